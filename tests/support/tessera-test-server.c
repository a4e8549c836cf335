/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-test-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tessera-test-http.h"
#include "tessera-test-server.h"

/* Generous: the machine is shared, and a deadline only bounds how long a broken server hangs. */
#define START_TIMEOUT_USEC (30 * G_USEC_PER_SEC)
#define STOP_TIMEOUT_USEC  (30 * G_USEC_PER_SEC)
#define CLI_TIMEOUT_USEC   (120 * G_USEC_PER_SEC)

struct _TesseraTestServer
{
  /* Owned */
  char        *dir;
  char        *db_path;
  char        *config_path;
  char        *log_path;
  char       **serve_args;
  gboolean     https;
  GHashTable  *passwords;     /* username → password */

  /* The running `serve` process, if any */
  GSubprocess *process;
  GThread     *reader;
  char        *url;
  guint16      port;

  /* Shared with the reader thread, under mutex */
  GMutex       mutex;
  GCond        cond;
  GString     *run_output;    /* output of the current run */
  gboolean     eof;
  int          log_fd;
};

const char *
tessera_test_server_path (void)
{
  const char *path = g_getenv ("TESSERA_SERVER_PATH");

  if (path == NULL || *path == '\0')
    g_error ("TESSERA_SERVER_PATH is not set: run the server tests through `meson test`");
  return path;
}

char *
tessera_test_random_string (const char *prefix)
{
  guint8 bytes[16];
  GString *s = g_string_new (prefix);

  /* Test passwords are secrets the tests look for later: make them unguessable and unique. */
  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    g_error ("getrandom failed: %s", g_strerror (errno));
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (s, "%02x", bytes[i]);
  return g_string_free (s, FALSE);
}

/* Dies with the test: an aborted test must not leave servers behind. */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  /* Debug messages on, so that the secrets-in-logs test sees everything the server can say. */
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  return launcher;
}

GSubprocess *
tessera_test_spawnv (const char * const  *argv,
                     GSubprocessFlags     flags,
                     GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

GSubprocess *
tessera_test_spawn (GSubprocessFlags   flags,
                    GError           **error,
                    const char        *argv0,
                    ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (char *) argv0);
  va_start (ap, argv0);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  return tessera_test_spawnv ((const char * const *) argv->pdata, flags, error);
}

static gboolean
on_deadline (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates @context until *@done or until @deadline (monotonic µs) has passed. */
static gboolean
iterate_until (GMainContext *context,
               gboolean     *done,
               gint64        deadline)
{
  g_autoptr(GSource) tick = g_timeout_source_new (50);

  g_source_set_callback (tick, on_deadline, NULL, NULL);
  g_source_attach (tick, context);
  while (!*done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (tick);
  return *done;
}

static void
on_waited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

/* Waits for @process to exit; after @timeout it is killed, and FALSE tells the caller. */
static gboolean
wait_for_exit (GSubprocess *process,
               gint64       timeout)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  gboolean done = FALSE;
  gboolean in_time;

  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (process, NULL, on_waited, &done);
  in_time = iterate_until (context, &done, g_get_monotonic_time () + timeout);
  if (!in_time)
    {
      g_subprocess_force_exit (process);
      iterate_until (context, &done, G_MAXINT64);
    }
  g_main_context_pop_thread_default (context);
  return in_time;
}

typedef struct {
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Communication;

static void
on_communicated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communication *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &c->out, &c->err,
                                        &c->error);
  c->done = TRUE;
}

static int
run_launcher (GSubprocessLauncher *launcher,
              const char * const  *argv,
              const char          *stdin_path,
              char               **out,
              char               **err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autofree char *command = g_strjoinv (" ", (char **) argv);
  Communication c = { 0 };

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  /* The child has the file open now (or never will): its name is no longer needed */
  g_unlink (stdin_path);
  g_assert_no_error (error);

  g_main_context_push_thread_default (context);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &c);
  if (!iterate_until (context, &c.done, g_get_monotonic_time () + CLI_TIMEOUT_USEC))
    {
      g_subprocess_force_exit (process);
      iterate_until (context, &c.done, G_MAXINT64);
      g_main_context_pop_thread_default (context);
      g_error ("`%s` did not finish in time; stderr: %s", command, c.err);
    }
  g_main_context_pop_thread_default (context);
  g_assert_no_error (c.error);
  wait_for_exit (process, STOP_TIMEOUT_USEC);

  if (out != NULL)
    *out = g_steal_pointer (&c.out);
  if (err != NULL)
    *err = g_steal_pointer (&c.err);
  g_free (c.out);
  g_free (c.err);

  if (!g_subprocess_get_if_exited (process))
    return -1;
  return g_subprocess_get_exit_status (process);
}

int
tessera_test_run_program (const char * const *argv,
                          const char         *stdin_text,
                          char              **out,
                          char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input_path = NULL;
  int input_fd;

  /*
   * Standard input from a file, not a pipe: a program may rightly exit without reading it
   * (a bad option, say), and writing to a pipe nobody reads would fail the test with EPIPE,
   * depending on who is faster. The file goes as soon as the program has it open.
   */
  input_fd = g_file_open_tmp ("tessera-test-stdin-XXXXXX", &input_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (input_path, stdin_text != NULL ? stdin_text : "", -1,
                                      &error));
  g_assert_no_error (error);
  close (input_fd);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
  return run_launcher (launcher, argv, input_path, out, err);
}

int
tessera_test_server_run_cli (TesseraTestServer  *self,
                             const char         *stdin_text,
                             const char * const *argv,
                             char              **out,
                             char              **err)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) full = NULL;

  g_strv_builder_add (builder, tessera_test_server_path ());
  g_strv_builder_addv (builder, (const char **) argv);
  g_strv_builder_add_many (builder, "--db", self->db_path, NULL);
  if (self->config_path != NULL)
    g_strv_builder_add_many (builder, "--config", self->config_path, NULL);
  full = g_strv_builder_end (builder);

  return tessera_test_run_program ((const char * const *) full, stdin_text, out, err);
}

void
tessera_test_server_add_user (TesseraTestServer *self,
                              const char        *username,
                              const char        *role,
                              const char        *password)
{
  const char *argv[] = { "user", "add", username, "--role", role, NULL };
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = tessera_test_server_run_cli (self, input, argv, &out, &err);
  if (status != 0)
    g_error ("`tessera-server user add %s --role %s` exited with %d: %s%s",
             username, role, status, out, err);
  g_hash_table_insert (self->passwords, g_strdup (username), g_strdup (password));
}

static gpointer
read_output (gpointer user_data)
{
  TesseraTestServer *self = user_data;
  GInputStream *stream = g_subprocess_get_stdout_pipe (self->process);
  char buffer[4096];

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, NULL);

      g_mutex_lock (&self->mutex);
      if (n <= 0)
        {
          self->eof = TRUE;
          g_cond_broadcast (&self->cond);
          g_mutex_unlock (&self->mutex);
          break;
        }
      g_string_append_len (self->run_output, buffer, n);
      for (gssize done = 0; done < n;)
        {
          gssize w = write (self->log_fd, buffer + done, n - done);

          if (w < 0 && errno != EINTR)
            g_error ("cannot write the server log: %s", g_strerror (errno));
          if (w > 0)
            done += w;
        }
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
    }

  return NULL;
}

/* Parses "Listening on http://127.0.0.1:PORT/" from the output so far. */
static gboolean
find_listening_line (TesseraTestServer *self)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *port = NULL;
  g_autofree char *scheme = NULL;

  regex = g_regex_new ("^Listening on (https?)://127\\.0\\.0\\.1:([0-9]+)/\\r?$",
                       G_REGEX_MULTILINE, 0, NULL);
  if (!g_regex_match (regex, self->run_output->str, 0, &match))
    return FALSE;

  scheme = g_match_info_fetch (match, 1);
  port = g_match_info_fetch (match, 2);
  self->port = (guint16) g_ascii_strtoull (port, NULL, 10);
  g_free (self->url);
  self->url = g_strdup_printf ("%s://127.0.0.1:%u", scheme, self->port);
  return TRUE;
}

/*
 * TESSERA_SERVER_WRAPPER (shell-quoted words, e.g. "valgrind --leak-check=full …") goes in
 * front of `tessera-server serve`, so that the server a test talks to runs under it too (the
 * meson test setup "valgrind"). Only serve: the short CLI runs that set up users and demo data
 * would only make every test slower.
 */
static void
add_server_wrapper (GStrvBuilder *builder)
{
  const char *wrapper = g_getenv ("TESSERA_SERVER_WRAPPER");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;

  if (wrapper == NULL || *wrapper == '\0')
    return;

  if (!g_shell_parse_argv (wrapper, NULL, &words, &error))
    g_error ("TESSERA_SERVER_WRAPPER is not a command: %s", error->message);
  g_strv_builder_addv (builder, (const char **) words);
}

static void
start_serving (TesseraTestServer *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_USEC;
  gboolean found = FALSE;

  g_assert_null (self->process);

  add_server_wrapper (builder);
  g_strv_builder_add_many (builder, tessera_test_server_path (), "serve",
                           "--listen", "127.0.0.1:0", "--db", self->db_path, NULL);
  if (self->config_path != NULL)
    g_strv_builder_add_many (builder, "--config", self->config_path, NULL);
  if (self->serve_args != NULL)
    g_strv_builder_addv (builder, (const char **) self->serve_args);
  argv = g_strv_builder_end (builder);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);

  g_mutex_lock (&self->mutex);
  g_string_truncate (self->run_output, 0);
  self->eof = FALSE;
  g_mutex_unlock (&self->mutex);
  self->reader = g_thread_new ("server-output", read_output, self);

  g_mutex_lock (&self->mutex);
  while (!(found = find_listening_line (self)) && !self->eof)
    {
      if (!g_cond_wait_until (&self->cond, &self->mutex, deadline))
        break;
    }
  g_mutex_unlock (&self->mutex);

  if (!found)
    {
      g_autofree char *output = NULL;
      gboolean exited = self->eof;

      wait_for_exit (self->process, exited ? STOP_TIMEOUT_USEC : 0);
      g_thread_join (g_steal_pointer (&self->reader));
      output = g_strdup (self->run_output->str);
      g_error ("tessera-server serve %s without a \"Listening on %s://127.0.0.1:PORT/\" line; "
               "its output:\n%s",
               exited ? "exited" : "timed out", self->https ? "https" : "http", output);
    }
  if (self->https)
    g_assert_true (g_str_has_prefix (self->url, "https://"));
  else
    g_assert_true (g_str_has_prefix (self->url, "http://"));
}

/* Waits for the process and the output reader after a signal was sent. */
static gboolean
reap (TesseraTestServer *self)
{
  gboolean in_time = wait_for_exit (self->process, STOP_TIMEOUT_USEC);

  g_thread_join (g_steal_pointer (&self->reader));
  return in_time;
}

int
tessera_test_server_stop (TesseraTestServer *self)
{
  g_autoptr(GSubprocess) process = NULL;

  g_assert_nonnull (self->process);

  g_subprocess_send_signal (self->process, SIGTERM);
  if (!reap (self))
    {
      g_autofree char *log = tessera_test_server_get_log_contents (self);
      g_error ("tessera-server did not exit within 30 s of SIGTERM; its output:\n%s", log);
    }
  process = g_steal_pointer (&self->process);
  if (!g_subprocess_get_if_exited (process))
    {
      g_autofree char *log = tessera_test_server_get_log_contents (self);
      g_error ("tessera-server died of signal %d after SIGTERM instead of exiting; output:\n%s",
               g_subprocess_get_term_sig (process), log);
    }
  return g_subprocess_get_exit_status (process);
}

void
tessera_test_server_kill (TesseraTestServer *self)
{
  g_assert_nonnull (self->process);

  g_subprocess_send_signal (self->process, SIGKILL);
  reap (self);
  g_clear_object (&self->process);
}

void
tessera_test_server_restart (TesseraTestServer *self)
{
  if (self->process != NULL)
    g_assert_cmpint (tessera_test_server_stop (self), ==, 0);
  start_serving (self);
}

gboolean
tessera_test_server_is_running (TesseraTestServer *self)
{
  return self->process != NULL;
}

GPid
tessera_test_server_get_pid (TesseraTestServer *self)
{
  const char *identifier;

  g_assert_nonnull (self->process);
  identifier = g_subprocess_get_identifier (self->process);
  g_assert_nonnull (identifier);
  return (GPid) g_ascii_strtoll (identifier, NULL, 10);
}

TesseraTestServer *
tessera_test_server_new (const TesseraTestServerOptions *options)
{
  static const TesseraTestServerOptions defaults = { 0 };
  TesseraTestServer *self = g_new0 (TesseraTestServer, 1);
  g_autoptr(GError) error = NULL;

  if (options == NULL)
    options = &defaults;

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->run_output = g_string_new (NULL);
  self->passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->https = options->https;
  self->serve_args = g_strdupv ((char **) options->serve_args);

  self->dir = g_dir_make_tmp ("tessera-server-test-XXXXXX", &error);
  g_assert_no_error (error);
  self->db_path = g_build_filename (self->dir, "tessera.db", NULL);
  self->log_path = g_build_filename (self->dir, "server.log", NULL);
  self->log_fd = g_open (self->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  g_assert_cmpint (self->log_fd, >=, 0);

  if (options->config_text != NULL)
    {
      self->config_path = g_build_filename (self->dir, "tessera-server.conf", NULL);
      g_file_set_contents_full (self->config_path, options->config_text, -1,
                                G_FILE_SET_CONTENTS_NONE, 0600, &error);
      g_assert_no_error (error);
    }

  if (!options->no_default_users)
    {
      const char *users[][2] = {
        { TESSERA_TEST_ADMIN, "admin" },
        { TESSERA_TEST_ADMIN2, "admin" },
        { TESSERA_TEST_VIEWER, "viewer" },
      };

      for (gsize i = 0; i < G_N_ELEMENTS (users); i++)
        {
          g_autofree char *prefix = g_strdup_printf ("pw-%s-", users[i][0]);
          g_autofree char *password = tessera_test_random_string (prefix);

          tessera_test_server_add_user (self, users[i][0], users[i][1], password);
        }
    }

  if (options->demo_accounts > 0)
    {
      g_autofree char *n = g_strdup_printf ("%u", options->demo_accounts);
      const char *argv[] = { "demo-data", "--accounts", n, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = tessera_test_server_run_cli (self, NULL, argv, &out, &err);

      if (status != 0)
        g_error ("`tessera-server demo-data --accounts %s` exited with %d: %s%s",
                 n, status, out, err);
    }

  start_serving (self);
  return self;
}

static void
remove_recursively (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_recursively (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

void
tessera_test_server_free (TesseraTestServer *self)
{
  if (self == NULL)
    return;

  if (self->process != NULL)
    {
      int status = tessera_test_server_stop (self);

      if (status != 0)
        {
          g_autofree char *log = tessera_test_server_get_log_contents (self);
          g_error ("tessera-server exited with %d after SIGTERM (expected 0); output:\n%s",
                   status, log);
        }
    }

  close (self->log_fd);
  remove_recursively (self->dir);

  g_free (self->dir);
  g_free (self->db_path);
  g_free (self->config_path);
  g_free (self->log_path);
  g_free (self->url);
  g_strfreev (self->serve_args);
  g_hash_table_unref (self->passwords);
  g_string_free (self->run_output, TRUE);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

const char *
tessera_test_server_get_url (TesseraTestServer *self)
{
  g_assert_nonnull (self->url);
  return self->url;
}

guint16
tessera_test_server_get_port (TesseraTestServer *self)
{
  return self->port;
}

const char *
tessera_test_server_get_dir (TesseraTestServer *self)
{
  return self->dir;
}

const char *
tessera_test_server_get_db_path (TesseraTestServer *self)
{
  return self->db_path;
}

const char *
tessera_test_server_get_config_path (TesseraTestServer *self)
{
  return self->config_path;
}

char *
tessera_test_server_get_log_contents (TesseraTestServer *self)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_mutex_lock (&self->mutex);
  g_file_get_contents (self->log_path, &contents, NULL, &error);
  g_mutex_unlock (&self->mutex);
  g_assert_no_error (error);
  return contents;
}

const char *
tessera_test_server_get_password (TesseraTestServer *self,
                                  const char        *username)
{
  const char *password = g_hash_table_lookup (self->passwords, username);

  g_assert_nonnull (password);
  return password;
}

char *
tessera_test_server_sign_in (TesseraTestServer *self,
                             const char        *username)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (self, NULL);

  return tessera_test_server_sign_in_with (self, client, username);
}

char *
tessera_test_server_sign_in_with (TesseraTestServer *self,
                                  TesseraTestClient *client,
                                  const char        *username)
{
  g_autoptr(TesseraTestResponse) response = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  const char *token;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, tessera_test_server_get_password (self, username));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  response = tessera_test_client_request_json (client, "POST", "/api/v1/sessions", NULL, body);
  tessera_test_assert_status (response, 201);
  token = tessera_test_json_get_string (response->json, "token");
  g_assert_nonnull (token);
  g_assert_cmpstr (token, !=, "");
  return g_strdup (token);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-bench"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bench-common.h"

#define START_TIMEOUT_USEC (60 * G_USEC_PER_SEC)
#define BENCH_USER         "bench"

/* ------------------------------------------------------------------------------------------
 * Figures
 * ------------------------------------------------------------------------------------------ */

guint
bench_n_runs (guint default_runs)
{
  const char *text = g_getenv ("TESSERA_BENCH_RUNS");
  guint64 runs;

  if (text == NULL || *text == '\0')
    return default_runs;
  runs = g_ascii_strtoull (text, NULL, 10);
  return (guint) CLAMP (runs, 1, 100);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

double
bench_median (GArray *values)
{
  guint n = values->len;

  g_assert_cmpuint (n, >, 0);
  g_array_sort (values, compare_doubles);
  if (n % 2 == 1)
    return g_array_index (values, double, n / 2);
  return (g_array_index (values, double, n / 2 - 1) + g_array_index (values, double, n / 2)) / 2;
}

double
bench_percentile (GArray *values,
                  double  percent)
{
  guint n = values->len;
  guint rank;

  g_assert_cmpuint (n, >, 0);
  g_array_sort (values, compare_doubles);
  /* Nearest rank: the smallest value with at least percent % of the values at or below it. */
  rank = (guint) MAX (1.0, (percent / 100.0) * n + 0.999999);
  return g_array_index (values, double, MIN (rank, n) - 1);
}

void
bench_figure (const char *key,
              double      value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (text, sizeof text, "%.6g", value);
  printf ("bench: %s=%s\n", key, text);
  fflush (stdout);
}

void
bench_say (const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

double
bench_seconds_since (gint64 start_usec)
{
  return (g_get_monotonic_time () - start_usec) / (double) G_USEC_PER_SEC;
}

static guint64
proc_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strdup_printf ("\n%s:", field);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, key)) == NULL)
    g_error ("cannot read %s from /proc/self/status", field);
  return g_ascii_strtoull (line + strlen (key), NULL, 10);
}

guint64
bench_vm_rss_kb (void)
{
  return proc_status_kb ("VmRSS");
}

guint64
bench_vm_hwm_kb (void)
{
  return proc_status_kb ("VmHWM");
}

/* ------------------------------------------------------------------------------------------
 * Processes
 * ------------------------------------------------------------------------------------------ */

static const char *
server_path (void)
{
  const char *path = g_getenv ("TESSERA_SERVER_PATH");

  if (path == NULL || *path == '\0')
    g_error ("TESSERA_SERVER_PATH is not set: run the benchmarks through `meson test "
             "--benchmark` or build-aux/bench");
  return path;
}

/* Dies with the benchmark: an aborted run must not leave servers behind. */
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
  /* What a deployed server logs, not the debug chatter a test may switch on. */
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  return launcher;
}

/* Runs `tessera-server ARGS… --db DB`, feeding @input; fails hard unless it exits 0. */
static void
run_server_cli (const char * const *args,
                const char         *db_path,
                const char         *input)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add (builder, server_path ());
  g_strv_builder_addv (builder, (const char **) args);
  g_strv_builder_add_many (builder, "--db", db_path, NULL);
  argv = g_strv_builder_end (builder);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  if (!g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error))
    g_error ("tessera-server %s: %s", args[0], error->message);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("`tessera-server %s …` failed: %s%s", args[0], out, err);
}

/* ------------------------------------------------------------------------------------------
 * The template database
 * ------------------------------------------------------------------------------------------ */

static char *template_dir;   /* made here, removed by bench_cleanup() */
static char *template_path;
static guint template_accounts;

static guint
count_accounts (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM accounts", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("“%s” is not a Tessera database: %s", db_path, sqlite3_errmsg (db));
  n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

const char *
bench_template_db (void)
{
  const char *given = g_getenv ("TESSERA_BENCH_DB");
  const char *n_text = g_getenv ("TESSERA_BENCH_ACCOUNTS");
  g_autoptr(GError) error = NULL;
  g_autofree char *n = NULL;
  gint64 start;

  if (template_path != NULL)
    return template_path;

  if (given != NULL && *given != '\0')
    {
      template_path = g_strdup (given);
      template_accounts = count_accounts (template_path);
      return template_path;
    }

  template_accounts = n_text != NULL && *n_text != '\0'
                        ? (guint) g_ascii_strtoull (n_text, NULL, 10)
                        : BENCH_DEFAULT_ACCOUNTS;
  template_dir = g_dir_make_tmp ("tessera-bench-db-XXXXXX", &error);
  g_assert_no_error (error);
  template_path = g_build_filename (template_dir, "tessera.db", NULL);
  n = g_strdup_printf ("%u", template_accounts);

  start = g_get_monotonic_time ();
  run_server_cli ((const char *[]) { "demo-data", "--accounts", n, NULL }, template_path, NULL);
  bench_say ("prepared %u demo accounts in %.1f s (set TESSERA_BENCH_DB to reuse a database)",
             template_accounts, bench_seconds_since (start));
  g_assert_cmpuint (count_accounts (template_path), ==, template_accounts);
  return template_path;
}

guint
bench_template_n_accounts (void)
{
  bench_template_db ();
  return template_accounts;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

void
bench_cleanup (void)
{
  if (template_dir != NULL)
    remove_tree (template_dir);
  g_clear_pointer (&template_dir, g_free);
  g_clear_pointer (&template_path, g_free);
}

/* ------------------------------------------------------------------------------------------
 * The server
 * ------------------------------------------------------------------------------------------ */

struct _BenchServer
{
  char        *dir;
  char        *db_path;
  char        *log_path;
  char        *url;
  char        *token;
  char        *password;    /* of the bench admin, for benchmarks that sign in as a person */
  guint16      port;
  GSubprocess *process;
};

static void
copy_file (const char *from,
           const char *to,
           gboolean    required)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  if (!g_file_copy (source, target, G_FILE_COPY_ALL_METADATA, NULL, NULL, NULL, &error))
    {
      if (!required && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return;
      g_error ("cannot copy %s: %s", from, error->message);
    }
}

static char *
random_password (void)
{
  guint8 bytes[18];

  /* A secret like any other: from the OS CSPRNG, never printed. */
  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    g_error ("getrandom: %s", g_strerror (errno));
  return g_base64_encode (bytes, sizeof bytes);
}

/* Waits for "Listening on http://127.0.0.1:PORT/" in the log. */
static void
wait_for_listening (BenchServer *self)
{
  g_autoptr(GRegex) regex = g_regex_new ("^Listening on http://127\\.0\\.0\\.1:([0-9]+)/$",
                                         G_REGEX_MULTILINE, 0, NULL);
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_USEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *log = NULL;

      g_file_get_contents (self->log_path, &log, NULL, NULL);
      if (log != NULL && g_regex_match (regex, log, 0, &match))
        {
          g_autofree char *port = g_match_info_fetch (match, 1);

          self->port = (guint16) g_ascii_strtoull (port, NULL, 10);
          self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
          return;
        }
      if (g_subprocess_get_identifier (self->process) == NULL)
        g_error ("tessera-server serve exited at start: %s", log);
      g_usleep (20 * 1000);
    }
  g_error ("tessera-server serve did not say where it listens within 60 s");
}

static void
sign_in (BenchServer *self,
         const char  *password)
{
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  const char *response;
  gsize length = 0;
  guint status;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, BENCH_USER);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  json_generator_set_root (generator, request);
  body = json_generator_to_data (generator, NULL);

  status = bench_http (self->port, "POST", "/api/v1/sessions", NULL, body, buffer,
                       &response, &length, &error);
  g_assert_no_error (error);
  if (status != 201)
    g_error ("signing in answered %u", status);
  reply = bench_parse_json (response, length);
  self->token = g_strdup (json_object_get_string_member (json_node_get_object (reply), "token"));
  g_assert_nonnull (self->token);
}

BenchServer *
bench_server_new (void)
{
  BenchServer *self = g_new0 (BenchServer, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = random_password ();
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  const char *template = bench_template_db ();

  self->dir = g_dir_make_tmp ("tessera-bench-XXXXXX", &error);
  g_assert_no_error (error);
  self->db_path = g_build_filename (self->dir, "tessera.db", NULL);
  self->log_path = g_build_filename (self->dir, "server.log", NULL);

  /* A private copy: the writes of one benchmark never change what another one measures. */
  copy_file (template, self->db_path, TRUE);
  from = g_strconcat (template, ".key", NULL);
  to = g_strconcat (self->db_path, ".key", NULL);
  copy_file (from, to, TRUE);
  g_free (from);
  g_free (to);
  from = g_strconcat (template, "-wal", NULL);
  to = g_strconcat (self->db_path, "-wal", NULL);
  copy_file (from, to, FALSE);

  run_server_cli ((const char *[]) { "user", "add", BENCH_USER, "--role", "admin", NULL },
                  self->db_path, input);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (launcher, self->log_path);
  self->process = g_subprocess_launcher_spawn (launcher, &error, server_path (), "serve",
                                               "--listen", "127.0.0.1:0",
                                               "--db", self->db_path, NULL);
  g_assert_no_error (error);
  wait_for_listening (self);
  sign_in (self, password);
  self->password = g_steal_pointer (&password);
  return self;
}

void
bench_server_free (BenchServer *self)
{
  if (self == NULL)
    return;

  if (self->process != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_subprocess_send_signal (self->process, SIGTERM);
      if (!g_subprocess_wait (self->process, NULL, &error))
        g_error ("waiting for tessera-server: %s", error->message);
      if (!g_subprocess_get_if_exited (self->process) ||
          g_subprocess_get_exit_status (self->process) != 0)
        {
          g_autofree char *log = NULL;

          g_file_get_contents (self->log_path, &log, NULL, NULL);
          g_error ("tessera-server did not exit cleanly after SIGTERM; its log:\n%s", log);
        }
      g_clear_object (&self->process);
    }

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  remove_tree (self->dir);
  g_free (self->dir);
  g_free (self->db_path);
  g_free (self->log_path);
  g_free (self->url);
  g_free (self->token);
  g_free (self->password);
  g_free (self);
}

guint16
bench_server_get_port (BenchServer *self)
{
  return self->port;
}

const char *
bench_server_get_url (BenchServer *self)
{
  return self->url;
}

const char *
bench_server_get_token (BenchServer *self)
{
  return self->token;
}

const char *
bench_server_get_username (BenchServer *self)
{
  return BENCH_USER;
}

const char *
bench_server_get_password (BenchServer *self)
{
  return self->password;
}

const char *
bench_server_get_db_path (BenchServer *self)
{
  return self->db_path;
}

const char *
bench_server_get_dir (BenchServer *self)
{
  return self->dir;
}

/* ------------------------------------------------------------------------------------------
 * HTTP
 * ------------------------------------------------------------------------------------------ */

static gboolean
set_errno_error (GError     **error,
                 const char  *what)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", what,
               g_strerror (saved));
  return FALSE;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length,
           GError     **error)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, "write");
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/* Reads to EOF, growing @buffer as needed. */
static gboolean
read_all (int        fd,
          GString   *buffer,
          GError   **error)
{
  for (;;)
    {
      ssize_t n;

      if (buffer->allocated_len - buffer->len < 65536)
        {
          gsize len = buffer->len;

          g_string_set_size (buffer, len + 131072);
          g_string_truncate (buffer, len);
        }
      n = read (fd, buffer->str + buffer->len, buffer->allocated_len - buffer->len - 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, "read");
      if (n == 0)
        return TRUE;
      buffer->len += (gsize) n;
      buffer->str[buffer->len] = '\0';
    }
}

guint
bench_http (guint16       port,
            const char   *method,
            const char   *path_and_query,
            const char   *token,
            const char   *body,
            GString      *buffer,
            const char  **response_body,
            gsize        *response_length,
            GError      **error)
{
  struct sockaddr_in address = {
    .sin_family = AF_INET,
    .sin_port = htons (port),
    .sin_addr.s_addr = htonl (INADDR_LOOPBACK),
  };
  struct timeval timeout = { .tv_sec = 120 };
  gsize body_length = body != NULL ? strlen (body) : 0;
  const char *end_of_head;
  guint status = 0;
  int fd;

  g_string_truncate (buffer, 0);
  g_string_append_printf (buffer, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n",
                          method, path_and_query, port);
  if (token != NULL)
    g_string_append_printf (buffer, "Authorization: Bearer %s\r\n", token);
  if (body != NULL)
    g_string_append_printf (buffer, "Content-Type: application/json\r\n"
                            "Content-Length: %" G_GSIZE_FORMAT "\r\n", body_length);
  g_string_append (buffer, "Connection: close\r\n\r\n");
  if (body != NULL)
    g_string_append_len (buffer, body, (gssize) body_length);

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return set_errno_error (error, "socket");
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0)
    {
      set_errno_error (error, "connect");
      close (fd);
      return 0;
    }

  if (!write_all (fd, buffer->str, buffer->len, error))
    {
      close (fd);
      return 0;
    }
  /* Memory of the request may hold a token or a code: overwrite it before reuse. */
  memset (buffer->str, 0, buffer->len);
  g_string_truncate (buffer, 0);
  if (!read_all (fd, buffer, error))
    {
      close (fd);
      return 0;
    }
  close (fd);

  end_of_head = strstr (buffer->str, "\r\n\r\n");
  if (!g_str_has_prefix (buffer->str, "HTTP/1.1 ") || end_of_head == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not an HTTP/1.1 reply");
      return 0;
    }
  status = (guint) g_ascii_strtoull (buffer->str + strlen ("HTTP/1.1 "), NULL, 10);
  *response_body = end_of_head + 4;
  *response_length = buffer->len - (gsize) (*response_body - buffer->str);
  return status;
}

char *
bench_find_next_cursor (const char *body,
                        gsize       length)
{
  static const char member[] = "\"next_cursor\":";
  gsize tail = MIN (length, 4096);
  const char *start = g_strrstr_len (body + length - tail, (gssize) tail, member);
  const char *end;

  if (start == NULL)
    g_error ("a page without next_cursor");
  start += strlen (member);
  if (g_str_has_prefix (start, "null"))
    return NULL;
  if (*start != '"' || (end = strchr (start + 1, '"')) == NULL)
    g_error ("a page with a malformed next_cursor");
  return g_strndup (start + 1, (gsize) (end - start - 1));
}

char *
bench_account_page_path (const char *cursor)
{
  g_autofree char *escaped = NULL;

  if (cursor == NULL)
    return g_strdup_printf ("/api/v1/accounts?limit=%u", BENCH_PAGE_SIZE);
  escaped = g_uri_escape_string (cursor, NULL, FALSE);
  return g_strdup_printf ("/api/v1/accounts?limit=%u&cursor=%s", BENCH_PAGE_SIZE, escaped);
}

GPtrArray *
bench_account_page_paths (BenchServer *server)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autofree char *cursor = NULL;

  do
    {
      g_autoptr(GError) error = NULL;
      char *path = bench_account_page_path (cursor);
      const char *body;
      gsize length = 0;
      guint status;

      g_ptr_array_add (paths, path);
      status = bench_http (server->port, "GET", path, server->token, NULL, buffer, &body,
                           &length, &error);
      g_assert_no_error (error);
      if (status != 200)
        g_error ("%s answered %u", path, status);
      g_free (cursor);
      cursor = bench_find_next_cursor (body, length);
    }
  while (cursor != NULL);

  return paths;
}

JsonNode *
bench_parse_json (const char *body,
                  gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, body, (gssize) length, &error))
    g_error ("the reply is not JSON: %s", error->message);
  return json_node_ref (json_parser_get_root (parser));
}

double
bench_issue_batch (BenchServer *server,
                   GPtrArray   *ids,
                   guint        from,
                   guint        n,
                   GString     *buffer,
                   GPtrArray   *codes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  JsonArray *results;
  const char *response;
  gsize length = 0;
  gint64 start;
  double seconds;
  guint status;

  g_assert_cmpuint (from + n, <=, ids->len);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "account_ids");
  json_builder_begin_array (builder);
  for (guint i = from; i < from + n; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (ids, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "password_mode");
  json_builder_add_string_value (builder, "generate");
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  json_generator_set_root (generator, request);
  body = json_generator_to_data (generator, NULL);

  start = g_get_monotonic_time ();
  status = bench_http (server->port, "POST", "/api/v1/otp-batches", server->token, body,
                       buffer, &response, &length, &error);
  seconds = bench_seconds_since (start);
  g_assert_no_error (error);
  if (status != 201)
    g_error ("POST /api/v1/otp-batches answered %u: %.*s", status, (int) MIN (length, 400),
             response);

  reply = bench_parse_json (response, length);
  results = json_object_get_array_member (json_node_get_object (reply), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);

      if (!g_str_equal (json_object_get_string_member (result, "status"), "issued"))
        g_error ("account %s was refused an OTP", (char *) g_ptr_array_index (ids, from + i));
      if (codes != NULL)
        g_ptr_array_add (codes, g_strdup (json_object_get_string_member (
                                  json_object_get_object_member (result, "otp"), "code")));
    }
  /* The reply held the codes: secrets, even in a benchmark. */
  memset (buffer->str, 0, buffer->len);
  return seconds;
}

GPtrArray *
bench_ready_account_ids (const char *db_path,
                         guint       offset,
                         guint       n)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT id FROM accounts WHERE readiness = 'ready' "
                          "AND provisioning = 'not_started' ORDER BY id LIMIT ? OFFSET ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("cannot read %s: %s", db_path, sqlite3_errmsg (db));
  sqlite3_bind_int (stmt, 1, (int) n);
  sqlite3_bind_int (stmt, 2, (int) offset);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (ids->len != n)
    g_error ("the database has only %u fresh ready accounts after the first %u, not %u",
             ids->len, offset, n);
  return ids;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-server"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "tessera-accounts-csv.h"
#include "tessera-http-server.h"
#include "tessera-server-config.h"
#include "tessera-store.h"
#include "tessera-types.h"

/*
 * tessera-server's command line (DESIGN §4):
 *   serve, user add, accounts import, demo-data; --version, --help.
 * Exit status: 0 success, 1 the work failed (the message says why), 2 the command line was
 * wrong. Secrets never come from argv: passwords are read from stdin.
 */

#define EXIT_USAGE 2

#define DEMO_PASSWORD_LENGTH 16
#define DEFAULT_DEMO_ACCOUNTS 1000

static const char usage_text[] =
  "Usage:\n"
  "  tessera-server serve [--config FILE] [--listen ADDR:PORT] [--db PATH]\n"
  "                       [--tls-cert PEM --tls-key PEM] [--insecure-listen]\n"
  "                       [--demo [--demo-accounts N]]\n"
  "  tessera-server user add NAME --role admin|viewer [--display-name TEXT]\n"
  "                       (the password is read from standard input)\n"
  "  tessera-server accounts import FILE.csv\n"
  "  tessera-server demo-data --accounts N\n"
  "  tessera-server --version\n"
  "\n"
  "Every command takes --db PATH and --config FILE and creates or migrates the database.\n"
  "Run “tessera-server COMMAND --help” for the options of a command.\n";

/* Options every command takes */
static char *opt_db;
static char *opt_config;

static const GOptionEntry common_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "The database file", "PATH" },
  { "config", 0, 0, G_OPTION_ARG_FILENAME, &opt_config, "Read settings from FILE", "FILE" },
  { NULL }
};

/* Parses @argv with @entries plus the common ones; on failure prints why and returns FALSE. */
static gboolean
parse_options (const char         *command,
               const char         *parameters,
               const char         *summary,
               const GOptionEntry *entries,
               int                *argc,
               char             ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("tessera-server %s", command);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, common_entries, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("tessera-server %s: %s\n", command, error->message);
      g_printerr ("Run “tessera-server %s --help” for usage.\n", command);
      return FALSE;
    }

  return TRUE;
}

/* Defaults, then --config FILE, then --db. */
static TesseraServerConfig *
load_config (void)
{
  g_autoptr(TesseraServerConfig) config = tessera_server_config_new ();
  g_autoptr(GError) error = NULL;

  if (opt_config != NULL && !tessera_server_config_load_file (config, opt_config, &error))
    {
      g_printerr ("tessera-server: %s\n", error->message);
      return NULL;
    }

  if (opt_db != NULL)
    {
      g_free (config->db_path);
      config->db_path = g_strdup (opt_db);
    }
  if (config->db_path == NULL)
    config->db_path = tessera_server_config_default_db_path ();

  return g_steal_pointer (&config);
}

static TesseraStore *
open_store (TesseraServerConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_path_get_dirname (config->db_path);
  TesseraStore *store;

  /* The database and its key file live together in a directory only we may read. */
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_printerr ("tessera-server: cannot create %s: %s\n", directory, g_strerror (saved_errno));
      return NULL;
    }

  store = tessera_store_open (config->db_path, &error);
  if (store == NULL)
    {
      g_printerr ("tessera-server: cannot open the database %s: %s\n",
                  config->db_path, error->message);
      return NULL;
    }

  if (config->max_database_pages > 0)
    {
      guint effective = tessera_store_set_max_pages (store, config->max_database_pages);

      if (effective != config->max_database_pages)
        g_warning ("The database %s has %u pages already, more than [store] "
                   "max_database_pages = %u: it may not grow any further",
                   config->db_path, effective, config->max_database_pages);
    }

  return store;
}

/* --- serve --- */

typedef struct {
  GMainLoop *loop;
} ServeState;

static gboolean
on_terminate (gpointer user_data)
{
  ServeState *state = user_data;

  g_main_loop_quit (state->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
stop_waiting (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
make_demo_password (char out[DEMO_PASSWORD_LENGTH + 1])
{
  /* No look-alike characters: the demo password is read off a terminal and typed. */
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  for (guint i = 0; i < DEMO_PASSWORD_LENGTH; i++)
    out[i] = alphabet[randombytes_uniform (sizeof alphabet - 1)];
  out[DEMO_PASSWORD_LENGTH] = '\0';
}

/*
 * --demo on a database without users: demo accounts plus an admin and a viewer with random
 * passwords, shown once on stdout (never logged). On a database that has them already,
 * nothing is added and nothing is shown.
 */
static gboolean
set_up_demo (TesseraStore *store,
             guint         n_accounts)
{
  char admin_password[DEMO_PASSWORD_LENGTH + 1];
  char viewer_password[DEMO_PASSWORD_LENGTH + 1];
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  make_demo_password (admin_password);
  make_demo_password (viewer_password);

  if (!tessera_store_add_user (store, "admin", "Demo Admin", TESSERA_ROLE_ADMIN, admin_password,
                               &error))
    {
      if (g_error_matches (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_EXISTS))
        {
          g_print ("Demo: this database is set up already; its demo passwords were shown when "
                   "it was created.\n");
          ok = TRUE;
        }
      else
        {
          g_printerr ("tessera-server: cannot add the demo admin: %s\n", error->message);
        }
      goto out;
    }

  if (!tessera_store_add_user (store, "viewer", "Demo Viewer", TESSERA_ROLE_VIEWER,
                               viewer_password, &error) ||
      !tessera_store_generate_demo_data (store, n_accounts, &error))
    {
      g_printerr ("tessera-server: cannot set up the demo: %s\n", error->message);
      goto out;
    }

  g_print ("\n"
           "Demo data: %u resource accounts.\n"
           "Demo sign-in: admin / %s\n"
           "Demo sign-in: viewer / %s\n"
           "These passwords are shown only this once.\n"
           "\n",
           n_accounts, admin_password, viewer_password);
  ok = TRUE;

out:
  sodium_memzero (admin_password, sizeof admin_password);
  sodium_memzero (viewer_password, sizeof viewer_password);
  return ok;
}

static GTlsCertificate *
load_certificate (TesseraServerConfig *config,
                  gboolean            *failed)
{
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  *failed = FALSE;
  if (config->tls_cert == NULL && config->tls_key == NULL)
    return NULL;

  if (config->tls_cert == NULL || config->tls_key == NULL)
    {
      g_printerr ("tessera-server serve: TLS needs both a certificate (--tls-cert) and its "
                  "key (--tls-key)\n");
      *failed = TRUE;
      return NULL;
    }

  certificate = g_tls_certificate_new_from_files (config->tls_cert, config->tls_key, &error);
  if (certificate == NULL)
    {
      g_printerr ("tessera-server serve: cannot load the TLS certificate: %s\n", error->message);
      *failed = TRUE;
    }

  return certificate;
}

static int
command_serve (int    argc,
               char **argv)
{
  g_autofree char *opt_listen = NULL;
  g_autofree char *opt_tls_cert = NULL;
  g_autofree char *opt_tls_key = NULL;
  gboolean opt_insecure_listen = FALSE;
  gboolean opt_demo = FALSE;
  int opt_demo_accounts = DEFAULT_DEMO_ACCOUNTS;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
      "Listen on ADDR:PORT (default " TESSERA_SERVER_DEFAULT_LISTEN "; port 0 picks a free one)",
      "ADDR:PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_cert,
      "Serve HTTPS with this PEM certificate", "PEM" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_key, "The certificate's PEM private key",
      "PEM" },
    { "insecure-listen", 0, 0, G_OPTION_ARG_NONE, &opt_insecure_listen,
      "Allow plain HTTP on a non-loopback address", NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &opt_demo,
      "On an empty database, add demo accounts and users admin and viewer", NULL },
    { "demo-accounts", 0, 0, G_OPTION_ARG_INT, &opt_demo_accounts,
      "How many demo accounts --demo adds (default 1000)", "N" },
    { NULL }
  };
  g_autoptr(TesseraServerConfig) config = NULL;
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(TesseraHttpServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *address_text = NULL;
  ServeState state = { 0, };
  gboolean timed_out = FALSE;
  gboolean failed = FALSE;
  guint term_source, int_source, wait_source;

  if (!parse_options ("serve", NULL, "Serve API v1 over HTTP(S) and WebSocket.", entries,
                      &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr ("tessera-server serve: unexpected argument “%s”\n", argv[1]);
      return EXIT_USAGE;
    }
  if (opt_demo_accounts < 0 || opt_demo_accounts > 1000000)
    {
      g_printerr ("tessera-server serve: --demo-accounts must be from 0 to 1000000\n");
      return EXIT_USAGE;
    }

  config = load_config ();
  if (config == NULL)
    return EXIT_FAILURE;
  if (opt_listen != NULL)
    {
      g_free (config->listen);
      config->listen = g_strdup (opt_listen);
    }
  if (opt_tls_cert != NULL)
    {
      g_free (config->tls_cert);
      config->tls_cert = g_strdup (opt_tls_cert);
    }
  if (opt_tls_key != NULL)
    {
      g_free (config->tls_key);
      config->tls_key = g_strdup (opt_tls_key);
    }
  if (opt_insecure_listen)
    config->insecure_listen = TRUE;

  address = tessera_server_config_get_listen_address (config, &error);
  if (address == NULL)
    {
      g_printerr ("tessera-server serve: %s\n", error->message);
      return EXIT_FAILURE;
    }

  certificate = load_certificate (config, &failed);
  if (failed)
    return EXIT_FAILURE;

  address_text = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  if (certificate == NULL && !config->insecure_listen &&
      !g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address)))
    {
      g_printerr ("tessera-server serve: refusing to serve plain HTTP on %s, which is not a "
                  "loopback address: sign-in passwords, tokens and codes would cross the "
                  "network unencrypted.\n"
                  "Give --tls-cert and --tls-key, or --insecure-listen if a TLS proxy in front "
                  "takes care of it.\n", address_text);
      return EXIT_FAILURE;
    }

  store = open_store (config);
  if (store == NULL)
    return EXIT_FAILURE;

  if (opt_demo && !set_up_demo (store, (guint) opt_demo_accounts))
    return EXIT_FAILURE;

  server = tessera_http_server_new (store, config);
  if (!tessera_http_server_listen (server, address, certificate, &error))
    {
      g_printerr ("tessera-server serve: cannot listen on %s: %s\n", config->listen,
                  error->message);
      return EXIT_FAILURE;
    }

  /* Before announcing readiness: a SIGTERM right after the line must still end cleanly. */
  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  term_source = g_unix_signal_add (SIGTERM, on_terminate, &state);
  int_source = g_unix_signal_add (SIGINT, on_terminate, &state);

  /* The one line a supervisor or test harness waits for: the real URL with the real port. */
  uri = tessera_http_server_get_uri (server);
  g_print ("Listening on %s\n", uri);
  fflush (stdout);

  g_info ("tessera-server %s serving %s with database %s", PACKAGE_VERSION, uri,
          config->db_path);

  g_main_loop_run (loop);

  g_info ("Shutting down");
  g_source_remove (term_source);
  g_source_remove (int_source);

  /* Stop accepting and close everything; give WebSocket close frames a moment to go out. */
  tessera_http_server_shutdown (server);
  wait_source = g_timeout_add_seconds (2, stop_waiting, &timed_out);
  while (!timed_out && tessera_http_server_get_n_open_streams (server) > 0)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (wait_source);

  g_clear_object (&server);
  g_clear_object (&store);
  g_info ("Stopped");

  return EXIT_SUCCESS;
}

/* --- user add --- */

/*
 * Reads one line from stdin into @buffer (without its newline), without echo when stdin is
 * a terminal. Returns FALSE if the line does not fit; the caller wipes @buffer either way.
 */
static gboolean
read_password (const char *username,
               char       *buffer,
               gsize       size)
{
  struct termios saved, quiet;
  gboolean terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  gboolean fits = TRUE;
  gsize length = 0;
  int c;

  if (terminal)
    {
      g_printerr ("Password for %s: ", username);
      quiet = saved;
      quiet.c_lflag &= ~(ECHO);
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  while ((c = getchar ()) != EOF && c != '\n')
    {
      if (length + 1 < size)
        buffer[length++] = (char) c;
      else
        fits = FALSE;
    }
  if (length > 0 && buffer[length - 1] == '\r')
    length--;
  buffer[length] = '\0';

  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  return fits;
}

static int
command_user_add (int    argc,
                  char **argv)
{
  g_autofree char *opt_role = NULL;
  g_autofree char *opt_display_name = NULL;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &opt_role, "admin or viewer", "ROLE" },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &opt_display_name,
      "The name people see (default: NAME)", "TEXT" },
    { NULL }
  };
  g_autoptr(TesseraServerConfig) config = NULL;
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char password[TESSERA_MAX_PASSWORD_LENGTH + 2];
  const char *username;
  int role;
  gboolean fits, added;

  if (!parse_options ("user add", "NAME",
                      "Add a user who signs in to the app; the password is read from standard "
                      "input up to the first newline.", entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr ("tessera-server user add: give exactly one user NAME\n");
      return EXIT_USAGE;
    }
  if (opt_role == NULL || !tessera_enum_from_string (TESSERA_TYPE_ROLE, opt_role, &role))
    {
      g_printerr ("tessera-server user add: --role must be admin or viewer\n");
      return EXIT_USAGE;
    }
  username = argv[1];

  config = load_config ();
  if (config == NULL)
    return EXIT_FAILURE;

  fits = read_password (username, password, sizeof password);
  if (!fits || strlen (password) > TESSERA_MAX_PASSWORD_LENGTH)
    {
      sodium_memzero (password, sizeof password);
      g_printerr ("tessera-server user add: the password is longer than %u bytes\n",
                  TESSERA_MAX_PASSWORD_LENGTH);
      return EXIT_FAILURE;
    }
  if (password[0] == '\0')
    {
      g_printerr ("tessera-server user add: the password is empty; nothing was added\n");
      return EXIT_FAILURE;
    }

  store = open_store (config);
  if (store == NULL)
    {
      sodium_memzero (password, sizeof password);
      return EXIT_FAILURE;
    }

  added = tessera_store_add_user (store, username,
                                  opt_display_name != NULL ? opt_display_name : username,
                                  role, password, &error);
  sodium_memzero (password, sizeof password);

  if (!added)
    {
      g_printerr ("tessera-server user add: %s\n", error->message);
      return EXIT_FAILURE;
    }

  g_print ("Added %s %s\n", opt_role, username);
  return EXIT_SUCCESS;
}

/* --- accounts import --- */

static int
command_accounts_import (int    argc,
                         char **argv)
{
  const GOptionEntry entries[] = { { NULL } };
  g_autoptr(TesseraServerConfig) config = NULL;
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint n_imported;

  if (!parse_options ("accounts import", "FILE.csv",
                      "Import resource accounts from a CSV file: all of them, or none if any "
                      "line is wrong.", entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr ("tessera-server accounts import: give exactly one CSV FILE\n");
      return EXIT_USAGE;
    }

  config = load_config ();
  if (config == NULL)
    return EXIT_FAILURE;

  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    {
      g_printerr ("tessera-server accounts import: %s\n", error->message);
      return EXIT_FAILURE;
    }
  data = g_bytes_new_take (g_steal_pointer (&contents), length);

  accounts = tessera_accounts_csv_parse (data, &problems, &error);
  if (accounts == NULL)
    {
      guint n_problems = problems != NULL ? g_strv_length (problems) : 0;

      /* Every problem, each with its line number, so the file can be fixed in one go. */
      for (guint i = 0; i < n_problems; i++)
        g_printerr ("%s: %s\n", argv[1], problems[i]);
      if (n_problems == 0)
        g_printerr ("%s: %s\n", argv[1], error->message);
      g_printerr ("tessera-server accounts import: nothing was imported\n");
      return EXIT_FAILURE;
    }

  store = open_store (config);
  if (store == NULL)
    return EXIT_FAILURE;

  n_imported = tessera_store_import_accounts (store, accounts, &error);
  if (error != NULL)
    {
      g_printerr ("tessera-server accounts import: %s; nothing was imported\n", error->message);
      return EXIT_FAILURE;
    }

  g_print ("Imported %u accounts\n", n_imported);
  return EXIT_SUCCESS;
}

/* --- demo-data --- */

static int
command_demo_data (int    argc,
                   char **argv)
{
  int opt_accounts = -1;
  const GOptionEntry entries[] = {
    { "accounts", 0, 0, G_OPTION_ARG_INT, &opt_accounts, "How many accounts to add", "N" },
    { NULL }
  };
  g_autoptr(TesseraServerConfig) config = NULL;
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options ("demo-data", NULL, "Add resource accounts that look real, for demos.",
                      entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1 || opt_accounts < 1 || opt_accounts > 1000000)
    {
      g_printerr ("tessera-server demo-data: give --accounts N, N from 1 to 1000000\n");
      return EXIT_USAGE;
    }

  config = load_config ();
  if (config == NULL)
    return EXIT_FAILURE;

  store = open_store (config);
  if (store == NULL)
    return EXIT_FAILURE;

  if (!tessera_store_generate_demo_data (store, (guint) opt_accounts, &error))
    {
      g_printerr ("tessera-server demo-data: %s\n", error->message);
      return EXIT_FAILURE;
    }

  g_print ("Added %d demo accounts\n", opt_accounts);
  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  const char *command;

  setlocale (LC_ALL, "");

  /* A peer that vanishes mid-write must cost an error, not the process. */
  signal (SIGPIPE, SIG_IGN);

  /* Access and startup lines are info messages, which GLib's default writer hides unless
   * asked; a server should show them. G_MESSAGES_DEBUG set by the caller wins. */
  g_setenv ("G_MESSAGES_DEBUG", "tessera-server tessera-http-server", FALSE);

  /* Logs go to stderr (or the journal); stdout carries only what a caller may parse: the
   * "Listening on" line and the results of commands. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (sodium_init () < 0)
    {
      g_printerr ("tessera-server: libsodium cannot be initialised\n");
      return EXIT_FAILURE;
    }

  if (argc < 2)
    {
      g_printerr ("%s", usage_text);
      return EXIT_USAGE;
    }

  command = argv[1];
  if (strcmp (command, "--version") == 0)
    {
      g_print ("tessera-server %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (strcmp (command, "--help") == 0 || strcmp (command, "-h") == 0 ||
      strcmp (command, "help") == 0)
    {
      g_print ("%s", usage_text);
      return EXIT_SUCCESS;
    }

  if (strcmp (command, "serve") == 0)
    return command_serve (argc - 1, argv + 1);
  if (strcmp (command, "demo-data") == 0)
    return command_demo_data (argc - 1, argv + 1);
  if (strcmp (command, "user") == 0 && argc >= 3 && strcmp (argv[2], "add") == 0)
    return command_user_add (argc - 2, argv + 2);
  if (strcmp (command, "accounts") == 0 && argc >= 3 && strcmp (argv[2], "import") == 0)
    return command_accounts_import (argc - 2, argv + 2);

  if (strcmp (command, "user") == 0 || strcmp (command, "accounts") == 0)
    g_printerr ("tessera-server %s: unknown or missing subcommand (use “%s”)\n\n%s", command,
                strcmp (command, "user") == 0 ? "user add" : "accounts import", usage_text);
  else
    g_printerr ("tessera-server: unknown command “%s”\n\n%s", command, usage_text);
  return EXIT_USAGE;
}

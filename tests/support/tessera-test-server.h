/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A real `tessera-server serve` for a test: its own temporary directory with the database
 * (and the key file beside it), an optional config file, users created through the command
 * line (passwords on stdin, never argv) and optional demo data. The server listens on an
 * ephemeral loopback port; its stdout and stderr go to a log file the test can read.
 *
 * Every failure to start, stop or wait fails the test at once, with the server's output in
 * the message: a harness that returns errors would only let tests forget to check them.
 *
 * The executable comes from the environment variable TESSERA_SERVER_PATH (tests/meson.build).
 */

typedef struct _TesseraTestServer TesseraTestServer;

/* The users every server gets unless TesseraTestServerOptions.no_default_users is set. */
#define TESSERA_TEST_ADMIN   "admin"
#define TESSERA_TEST_ADMIN2  "admin2"
#define TESSERA_TEST_VIEWER  "viewer"

typedef struct {
  const char         *config_text;      /* contents of the --config file; NULL for none */
  guint               demo_accounts;    /* `demo-data --accounts N` before serving; 0 for none */
  gboolean            no_default_users; /* TRUE: create no users */
  const char * const *serve_args;       /* extra `serve` arguments (NULL-terminated), e.g. TLS */
  gboolean            https;            /* expect "Listening on https://…" */
} TesseraTestServerOptions;

/* @options may be NULL: default users, no config, no demo data. */
TesseraTestServer  *tessera_test_server_new             (const TesseraTestServerOptions *options);
/* SIGTERM, then asserts a clean exit 0; removes the temporary directory. NULL is fine. */
void                tessera_test_server_free            (TesseraTestServer  *self);

/* Base URL without the trailing slash: "http://127.0.0.1:PORT". Changes on restart. */
const char         *tessera_test_server_get_url         (TesseraTestServer  *self);
guint16             tessera_test_server_get_port        (TesseraTestServer  *self);
const char         *tessera_test_server_get_dir         (TesseraTestServer  *self);
const char         *tessera_test_server_get_db_path     (TesseraTestServer  *self);
/* NULL when the server runs without a config file. */
const char         *tessera_test_server_get_config_path (TesseraTestServer  *self);
/* Everything the server printed so far (stdout and stderr, all runs). */
char               *tessera_test_server_get_log_contents (TesseraTestServer *self);
const char         *tessera_test_server_get_password    (TesseraTestServer  *self,
                                                         const char         *username);
gboolean            tessera_test_server_is_running      (TesseraTestServer  *self);
/* The process id of the running `serve` (to read /proc/PID); asserts it is running. */
GPid                tessera_test_server_get_pid         (TesseraTestServer  *self);

/* SIGTERM and wait; returns the exit status (asserts the process exited, not was killed). */
int                 tessera_test_server_stop            (TesseraTestServer  *self);
/* SIGKILL and wait. */
void                tessera_test_server_kill            (TesseraTestServer  *self);
/* Starts `serve` again on the same database and config (a new port). */
void                tessera_test_server_restart         (TesseraTestServer  *self);

/* Creates a user through `tessera-server user add` (password on stdin); asserts success. */
void                tessera_test_server_add_user        (TesseraTestServer  *self,
                                                         const char         *username,
                                                         const char         *role,
                                                         const char         *password);

/*
 * Runs `tessera-server ARGV… --db DB [--config FILE]` to completion (with a deadline), feeding
 * @stdin_text (may be NULL). Returns the exit status; @out and @err receive the output.
 */
int                 tessera_test_server_run_cli         (TesseraTestServer  *self,
                                                         const char         *stdin_text,
                                                         const char * const *argv,
                                                         char              **out,
                                                         char              **err);

/* Signs in as @username (one of the users created above); asserts 201 and returns the token. */
char               *tessera_test_server_sign_in         (TesseraTestServer  *self,
                                                         const char         *username);

/* The same through @client (e.g. one that trusts the server's TLS certificate). */
struct _TesseraTestClient;
char               *tessera_test_server_sign_in_with    (TesseraTestServer         *self,
                                                         struct _TesseraTestClient *client,
                                                         const char                *username);

/* The executable under test, from TESSERA_SERVER_PATH; asserts it is set. */
const char         *tessera_test_server_path            (void);

/*
 * Runs any program to completion with a deadline; returns its exit status (or -1 when it was
 * killed by a signal). @stdin_text may be NULL. Used for the CLI and for openssl.
 */
/*
 * Like g_subprocess_newv() and g_subprocess_new(), but the child is killed when the test
 * process dies (PR_SET_PDEATHSIG), so a test that aborts leaves no console or server behind.
 */
GSubprocess        *tessera_test_spawnv                 (const char * const *argv,
                                                         GSubprocessFlags    flags,
                                                         GError            **error);
GSubprocess        *tessera_test_spawn                  (GSubprocessFlags    flags,
                                                         GError            **error,
                                                         const char         *argv0,
                                                         ...) G_GNUC_NULL_TERMINATED;
int                 tessera_test_run_program            (const char * const *argv,
                                                         const char         *stdin_text,
                                                         char              **out,
                                                         char              **err);

/* Random printable text from the OS CSPRNG (getrandom), for test passwords. */
char               *tessera_test_random_string          (const char         *prefix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraTestServer, tessera_test_server_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The tessera-server command line (DESIGN §4 "Server command line") and serving over TLS.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tessera-test-api.h"

static void
test_user_add_reads_the_password_from_stdin (void)
{
  TesseraTestServerOptions options = { .no_default_users = TRUE };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autofree char *password = tessera_test_random_string ("stdin-only-");
  g_autofree char *token = NULL;
  g_autofree char *log = NULL;

  /* The harness writes the password to stdin; signing in with it proves it was read there. */
  tessera_test_server_add_user (server, "carol", "viewer", password);
  token = tessera_test_server_sign_in (server, "carol");
  g_assert_nonnull (token);

  log = tessera_test_server_get_log_contents (server);
  g_assert_null (strstr (log, password));
}

static void
test_user_add_without_a_password_fails (void)
{
  TesseraTestServerOptions options = { .no_default_users = TRUE };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  const char *argv[] = { "user", "add", "dave", "--role", "admin", NULL };
  const char *bad_role[] = { "user", "add", "erin", "--role", "superuser", NULL };
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;

  g_assert_cmpint (tessera_test_server_run_cli (server, "", argv, NULL, &err), !=, 0);
  g_assert_cmpstr (err, !=, "");
  g_assert_cmpint (tessera_test_server_run_cli (server, "pw-123456789\n", bad_role, NULL, &err2),
                   !=, 0);
  g_assert_cmpstr (err2, !=, "");
}

static const char good_csv[] =
  "display_name,upn,site,license,readiness_issues\r\n"
  "Oslo 4.12 Fjord,oslo-4.12-fjord@rooms.example.org,Oslo,Teams Rooms Pro,\r\n"
  "Bergen 2.03 Bryggen,bergen-2.03-bryggen@rooms.example.org,Bergen,,\r\n"
  "\"Paris 1.07 Seine, annex\",paris-1.07-seine@rooms.example.org,Paris,Teams Rooms Basic,"
  "password_expires;calendar_processing\r\n";

static const char bad_csv[] =
  "display_name,upn,site,license,readiness_issues\n"
  "Oslo 4.12 Fjord,oslo-4.12-fjord@rooms.example.org,Oslo,Teams Rooms Pro,\n"
  "No UPN room,,Oslo,Teams Rooms Pro,\n"
  "Bergen 2.03 Bryggen,bergen-2.03-bryggen@rooms.example.org,Bergen,,\n"
  "Too,few,fields\n"
  "Lyon 3.01,lyon-3.01@rooms.example.org,Lyon,Teams Rooms Pro,Not A Code!\n";

static char *
write_file (TesseraTestServer *server,
            const char        *name,
            const char        *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tessera_test_server_get_dir (server), name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_import_of_a_bad_file_names_every_bad_line_and_imports_nothing (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *path = write_file (server, "bad.csv", bad_csv);
  const char *argv[] = { "accounts", "import", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *both = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GPtrArray) ids = NULL;

  g_assert_cmpint (tessera_test_server_run_cli (server, NULL, argv, &out, &err), !=, 0);
  both = g_strconcat (out, err, NULL);
  g_test_message ("accounts import said: %s", both);
  /* Lines 3, 5 and 6 are wrong; 2 and 4 are fine. */
  g_assert_nonnull (strstr (both, "3"));
  g_assert_nonnull (strstr (both, "5"));
  g_assert_nonnull (strstr (both, "6"));
  g_assert_nonnull (g_strstr_len (both, -1, "ine 3"));
  g_assert_nonnull (g_strstr_len (both, -1, "ine 5"));
  g_assert_nonnull (g_strstr_len (both, -1, "ine 6"));
  g_assert_null (g_strstr_len (both, -1, "ine 2:"));
  g_assert_null (g_strstr_len (both, -1, "ine 4:"));

  /* Nothing imported, not even the good lines. */
  token = tessera_test_server_sign_in (server, TESSERA_TEST_VIEWER);
  ids = tessera_test_api_list_account_ids (client, token, NULL);
  g_assert_cmpuint (ids->len, ==, 0);
}

static void
test_import_of_a_good_file_imports_every_account (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *path = write_file (server, "good.csv", good_csv);
  const char *argv[] = { "accounts", "import", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *token = NULL;
  g_autoptr(TesseraTestResponse) page = NULL;
  JsonArray *items;
  int status;

  status = tessera_test_server_run_cli (server, NULL, argv, &out, &err);
  if (status != 0)
    g_error ("accounts import exited with %d: %s%s", status, out, err);

  token = tessera_test_server_sign_in (server, TESSERA_TEST_VIEWER);
  page = tessera_test_client_request (client, "GET", "/api/v1/accounts?limit=1000", token, NULL);
  tessera_test_assert_json (page, 200);
  items = tessera_test_json_get_array (page->json, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 3);

  /* Ordered by display name: Bergen, Oslo, Paris. */
  g_assert_cmpstr (tessera_test_json_get_string (page->json, "items.0.upn"), ==,
                   "bergen-2.03-bryggen@rooms.example.org");
  g_assert_true (tessera_test_json_is_null (page->json, "items.0.license"));
  g_assert_cmpstr (tessera_test_json_get_string (page->json, "items.0.readiness"), ==,
                   "no_valid_license");
  g_assert_cmpstr (tessera_test_json_get_string (page->json, "items.1.readiness"), ==, "ready");
  g_assert_cmpstr (tessera_test_json_get_string (page->json, "items.1.license"), ==,
                   "Teams Rooms Pro");
  g_assert_cmpstr (tessera_test_json_get_string (page->json, "items.2.display_name"), ==,
                   "Paris 1.07 Seine, annex");
  g_assert_cmpstr (tessera_test_json_get_string (page->json, "items.2.readiness"), ==,
                   "change_settings");
  g_assert_cmpstr (tessera_test_json_get_string (page->json, "items.2.readiness_issues.0"), ==,
                   "password_expires");
  g_assert_cmpstr (tessera_test_json_get_string (page->json, "items.2.readiness_issues.1"), ==,
                   "calendar_processing");

  /* Importing the same file again, refused or taken as an update, never duplicates a UPN. */
  {
    g_autoptr(GPtrArray) ids = NULL;

    tessera_test_server_run_cli (server, NULL, argv, NULL, NULL);
    ids = tessera_test_api_list_account_ids (client, token, NULL);
    g_assert_cmpuint (ids->len, ==, 3);
  }
}

static void
test_plain_http_on_a_public_address_is_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tessera-cli-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "tessera.db", NULL);
  const char *argv[] = { tessera_test_server_path (), "serve", "--listen", "0.0.0.0:0",
                         "--db", db, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = tessera_test_run_program (argv, NULL, &out, &err);
  g_test_message ("serve --listen 0.0.0.0:0 said: %s%s", out, err);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpint (status, !=, -1);
  g_assert_null (strstr (out, "Listening on"));
  g_assert_cmpstr (err, !=, "");

  g_unlink (db);
  {
    g_autofree char *key = g_strconcat (db, ".key", NULL);
    g_unlink (key);
  }
  g_rmdir (dir);
}

static void
test_every_subcommand_has_help (void)
{
  const struct {
    const char *args[3];
    const char *options[8];
  } commands[] = {
    { { "serve", NULL }, { "--listen", "--db", "--config", "--tls-cert", "--tls-key", "--demo",
                           "--insecure-listen", NULL } },
    { { "user", "add", NULL }, { "--role", "--db", "--config", NULL } },
    { { "accounts", "import", NULL }, { "--db", "--config", NULL } },
    { { "demo-data", NULL }, { "--accounts", "--db", "--config", NULL } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) argv = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      g_strv_builder_add (builder, tessera_test_server_path ());
      g_strv_builder_addv (builder, (const char **) commands[i].args);
      g_strv_builder_add (builder, "--help");
      argv = g_strv_builder_end (builder);

      status = tessera_test_run_program ((const char * const *) argv, NULL, &out, &err);
      g_test_message ("%s --help: %s", commands[i].args[0], out);
      g_assert_cmpint (status, ==, 0);
      for (gsize j = 0; commands[i].options[j] != NULL; j++)
        if (strstr (out, commands[i].options[j]) == NULL)
          g_error ("`tessera-server %s %s --help` does not name %s:\n%s", commands[i].args[0],
                   commands[i].args[1] != NULL ? commands[i].args[1] : "",
                   commands[i].options[j], out);
    }
}

static void
test_sigterm_exits_cleanly (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);

  g_assert_cmpint (tessera_test_server_stop (server), ==, 0);
}

/* TLS */

static void
test_serves_https_with_the_given_certificate (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tessera-tls-XXXXXX", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  const char *openssl[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    "-keyout", key, "-out", cert, NULL
  };
  const char *serve_args[] = { "--tls-cert", cert, "--tls-key", key, NULL };
  TesseraTestServerOptions options = { .serve_args = serve_args, .https = TRUE };
  g_autoptr(TesseraTestServer) server = NULL;
  g_autoptr(TesseraTestClient) client = NULL;
  g_autoptr(TesseraTestClient) untrusting = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(TesseraTestResponse) healthz = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *token = NULL;

  if (tessera_test_run_program (openssl, NULL, &out, &err) != 0)
    g_error ("openssl could not make a certificate: %s", err);

  server = tessera_test_server_new (&options);
  g_assert_true (g_str_has_prefix (tessera_test_server_get_url (server), "https://"));

  /* A client that trusts exactly this certificate (tls-database from an absolute path). */
  database = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  client = tessera_test_client_new (server, NULL);
  g_object_set (tessera_test_client_get_session (client), "tls-database", database, NULL);
  healthz = tessera_test_client_request (client, "GET", "/healthz", NULL, NULL);
  tessera_test_assert_json (healthz, 200);
  token = tessera_test_server_sign_in_with (server, client, TESSERA_TEST_ADMIN);
  g_assert_nonnull (token);

  /* A client with the system's trust refuses it: the server really is speaking that TLS. */
  untrusting = tessera_test_client_new (server, NULL);
  {
    g_autoptr(TesseraTestResponse) refused = NULL;
    g_autoptr(GError) tls_error = NULL;

    refused = tessera_test_client_try_request (untrusting, "GET", "/healthz", NULL, NULL, NULL,
                                               NULL, &tls_error);
    g_assert_null (refused);
    g_assert_error (tls_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  }

  tessera_test_server_free (g_steal_pointer (&server));
  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/cli/user-add-reads-the-password-from-stdin",
                   test_user_add_reads_the_password_from_stdin);
  g_test_add_func ("/server/cli/user-add-without-password-or-with-bad-role-fails",
                   test_user_add_without_a_password_fails);
  g_test_add_func ("/server/cli/import-of-a-bad-file-names-every-bad-line-and-imports-nothing",
                   test_import_of_a_bad_file_names_every_bad_line_and_imports_nothing);
  g_test_add_func ("/server/cli/import-of-a-good-file-imports-every-account",
                   test_import_of_a_good_file_imports_every_account);
  g_test_add_func ("/server/cli/plain-http-on-a-public-address-is-refused",
                   test_plain_http_on_a_public_address_is_refused);
  g_test_add_func ("/server/cli/every-subcommand-has-help-naming-its-options",
                   test_every_subcommand_has_help);
  g_test_add_func ("/server/cli/sigterm-exits-cleanly",
                   test_sigterm_exits_cleanly);
  g_test_add_func ("/server/tls/serves-https-with-the-given-certificate",
                   test_serves_https_with_the_given_certificate);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * No secret at rest or in logs (DESIGN §6): after a whole flow, none of the secrets that
 * crossed the API appears in the database, its WAL and shared-memory files, or anything the
 * server printed (which includes its debug messages: the harness runs it with
 * G_MESSAGES_DEBUG=all). The key file is the one place a secret may rest, and is left aside.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tessera-otp-code.h"
#include "tessera-test-api.h"

typedef struct {
  const char *name;
  char       *value;
} Secret;

static gboolean
bytes_contain (const char *haystack,
               gsize       length,
               const char *needle)
{
  gsize n = strlen (needle);

  /* Binary files: g_strstr_len would stop at the first NUL. */
  for (gsize i = 0; n > 0 && i + n <= length; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
check_file (const char *path,
            Secret     *secrets,
            gsize       n_secrets,
            GString    *found)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return;   /* -wal and -shm come and go with the server */
  for (gsize i = 0; i < n_secrets; i++)
    if (bytes_contain (contents, length, secrets[i].value))
      g_string_append_printf (found, "%s found in %s\n", secrets[i].name, path);
}

static void
check_everywhere (TesseraTestServer *server,
                  Secret            *secrets,
                  gsize              n_secrets)
{
  const char *db = tessera_test_server_get_db_path (server);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *log = tessera_test_server_get_log_contents (server);
  g_autoptr(GString) found = g_string_new (NULL);

  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  check_file (db, secrets, n_secrets, found);
  check_file (wal, secrets, n_secrets, found);
  check_file (shm, secrets, n_secrets, found);
  for (gsize i = 0; i < n_secrets; i++)
    if (bytes_contain (log, strlen (log), secrets[i].value))
      g_string_append_printf (found, "%s found in the server's output\n", secrets[i].name);

  if (found->len > 0)
    g_error ("secrets at rest or in logs:\n%s", found->str);
}

static void
test_no_secret_reaches_the_database_or_the_log (void)
{
  TesseraTestServerOptions options = { .demo_accounts = 20 };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *admin = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin, 2);
  g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin, ids->pdata[0]);
  g_autoptr(TesseraTestIssued) unused = tessera_test_api_issue (client, admin, ids->pdata[1]);
  g_autoptr(TesseraTestRedeemed) redeemed = NULL;
  g_autoptr(TesseraTestResponse) resolved = NULL;
  g_autoptr(TesseraTestResponse) poll = NULL;
  g_autoptr(TesseraTestResponse) failed = NULL;
  g_autofree char *request_id = NULL;
  char normalized[TESSERA_OTP_CODE_LENGTH + 1];
  char unused_normalized[TESSERA_OTP_CODE_LENGTH + 1];
  g_autofree char *wrong_password = tessera_test_random_string ("wrong-password-");
  g_autofree char *failed_body = NULL;
  Secret secrets[] = {
    { "the OTP code (formatted)", NULL },
    { "the OTP code (normalised)", NULL },
    { "an unredeemed OTP code (formatted)", NULL },
    { "an unredeemed OTP code (normalised)", NULL },
    { "the session token", g_strdup (admin) },
    { "the poll token", NULL },
    { "the resource account's password", g_strdup (issued->password) },
    { "the unredeemed account's password", g_strdup (unused->password) },
    { "the admin's password", g_strdup (tessera_test_server_get_password (server, "admin")) },
    { "the viewer's password", g_strdup (tessera_test_server_get_password (server, "viewer")) },
    { "a mistyped sign-in password", g_strdup (wrong_password) },
  };

  g_assert_nonnull (issued->password);
  g_assert_true (tessera_otp_code_normalize (issued->code, normalized, NULL));
  g_assert_true (tessera_otp_code_normalize (unused->code, unused_normalized, NULL));
  secrets[0].value = tessera_otp_code_format (normalized);
  secrets[1].value = g_strdup (normalized);
  secrets[2].value = tessera_otp_code_format (unused_normalized);
  secrets[3].value = g_strdup (unused_normalized);

  redeemed = tessera_test_api_redeem (client, issued->code);
  secrets[5].value = g_strdup (redeemed->poll_token);
  request_id = tessera_test_api_request_id_for (client, admin, issued->account_id);
  resolved = tessera_test_api_resolve (client, admin, request_id, "approve", NULL);
  tessera_test_assert_json (resolved, 200);
  poll = tessera_test_api_poll (client, redeemed);
  tessera_test_assert_json (poll, 200);
  g_assert_cmpstr (tessera_test_json_get_string (poll->json, "sign_in.password"), ==,
                   issued->password);

  /* A failed sign-in, whose password a careless log line would print. */
  failed_body = g_strdup_printf ("{\"username\":\"admin\",\"password\":\"%s\"}", wrong_password);
  failed = tessera_test_client_request (client, "POST", "/api/v1/sessions", NULL, failed_body);
  tessera_test_assert_problem (failed, 401, "invalid_credentials");

  /* While it runs (WAL and shm present) … */
  check_everywhere (server, secrets, G_N_ELEMENTS (secrets));
  /* … and after a clean stop, when the WAL has been checkpointed into the database. */
  g_assert_cmpint (tessera_test_server_stop (server), ==, 0);
  check_everywhere (server, secrets, G_N_ELEMENTS (secrets));

  /* The config file and the key file hold no copy of the secrets either; the key file is
   * the server's own key, so only its permissions are checked (DESIGN §6: 0600). */
  {
    g_autofree char *key = g_strconcat (tessera_test_server_get_db_path (server), ".key", NULL);
    GStatBuf st;

    g_assert_cmpint (g_stat (key, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0077, ==, 0);
  }

  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
    g_free (secrets[i].value);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/secrets/no-secret-reaches-the-database-or-the-log",
                   test_no_secret_reaches_the_database_or_the_log);

  return g_test_run ();
}

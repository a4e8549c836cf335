/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tessera-accounts-csv.h"
#include "test-store-common.h"

/* The accounts CSV file and the all-or-nothing import. */

static GPtrArray *
parse (const char  *text,
       GStrv       *problems,
       GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return tessera_accounts_csv_parse (bytes, problems, error);
}

static void
test_good_file_imports (StoreFixture  *fixture,
                        gconstpointer  data)
{
  /* Columns in another order, a BOM, CRLF, quotes, an extra column, spaces around issues. */
  const char *text =
    "\xef\xbb\xbfupn,display_name,site,readiness_issues,license,notes\r\n"
    "oslo-4.12-fjord@rooms.example.org,Oslo 4.12 Fjord,Oslo,,Teams Rooms Pro,corner room\r\n"
    "zurich-1.01-limmat@rooms.example.org,\"Zürich 1.01 Limmat, the big one\",Zürich,"
    "\"password_expires; calendar_processing;\",Teams Rooms Basic,\r\n"
    "bergen-2.03-bryggen@rooms.example.org,Bergen 2.03 Bryggen,Bergen,,,\r\n";
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  TesseraAccount *zurich;
  TesseraAccount *bergen;
  guint total;

  accounts = parse (text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 3);
  g_assert_cmpuint (tessera_store_import_accounts (fixture->store, accounts, &error), ==, 3);
  g_assert_no_error (error);

  listed = tessera_store_list_accounts (fixture->store, NULL, NULL, 10, &next, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 3);

  bergen = g_ptr_array_index (listed, 0);
  g_assert_cmpstr (tessera_account_get_display_name (bergen), ==, "Bergen 2.03 Bryggen");
  g_assert_null (tessera_account_get_license (bergen));
  g_assert_cmpint (tessera_account_get_readiness (bergen), ==, TESSERA_READINESS_NO_VALID_LICENSE);
  g_assert_true (g_str_has_prefix (tessera_account_get_id (bergen), "acc_"));

  g_assert_cmpint (tessera_account_get_readiness (g_ptr_array_index (listed, 1)), ==,
                   TESSERA_READINESS_READY);

  zurich = g_ptr_array_index (listed, 2);
  g_assert_cmpstr (tessera_account_get_display_name (zurich), ==,
                   "Zürich 1.01 Limmat, the big one");
  g_assert_cmpstr (tessera_account_get_site (zurich), ==, "Zürich");
  g_assert_cmpstr (tessera_account_get_license (zurich), ==, "Teams Rooms Basic");
  g_assert_cmpuint (g_strv_length ((char **) tessera_account_get_readiness_issues (zurich)), ==, 2);
  g_assert_cmpstr (tessera_account_get_readiness_issues (zurich)[0], ==, "password_expires");
  g_assert_cmpstr (tessera_account_get_readiness_issues (zurich)[1], ==, "calendar_processing");
  g_assert_cmpint (tessera_account_get_readiness (zurich), ==, TESSERA_READINESS_CHANGE_SETTINGS);
}

static void
test_every_error_is_reported_with_its_line (StoreFixture  *fixture,
                                            gconstpointer  data)
{
  const char *text =
    "display_name,upn,site,license,readiness_issues\n"                          /* 1 */
    "Oslo 4.12 Fjord,oslo-4.12@example.org,Oslo,Teams Rooms Pro,\n"             /* 2 */
    "Oslo 4.13 Birch,oslo-4.13@example.org,Oslo,Teams Rooms Pro,\n"             /* 3 */
    "Oslo 4.14,,Oslo,Teams Rooms Pro,\n"                                        /* 4 */
    ",oslo-4.15@example.org,Oslo,,\n"                                           /* 5 */
    "Oslo 4.16,oslo-4.16@example.org,Oslo,Teams Rooms Pro\n"                    /* 6 */
    "Oslo 4.17,not-an-address,Oslo,Teams Rooms Pro,\n"                          /* 7 */
    "Oslo 4.18,OSLO-4.13@example.org,Oslo,Teams Rooms Pro,\n"                   /* 8 */
    "Oslo 4.19,oslo-4.19@example.org,Oslo,Teams Rooms Pro,Password Expires\n"   /* 9 */
    "\"Oslo 4.20,oslo-4.20@example.org,Oslo,,\n";                               /* 10 */
  const char *expected[] = {
    "Line 4: upn is empty",
    "Line 5: display_name is empty",
    "Line 6: expected 5 fields, found 4",
    "Line 7: upn “not-an-address” is not of the form name@domain",
    "Line 8: duplicate upn OSLO-4.13@example.org (first on line 3)",
    "Line 9: readiness issue “Password Expires” is not a code",
    "Line 10: ",
  };
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;

  accounts = parse (text, &problems, &error);
  g_assert_null (accounts);
  g_assert_error (error, TESSERA_ACCOUNTS_CSV_ERROR, TESSERA_ACCOUNTS_CSV_ERROR_INVALID);
  g_assert_nonnull (problems);
  for (guint i = 0; problems[i] != NULL; i++)
    g_test_message ("%s", problems[i]);

  g_assert_cmpuint (g_strv_length (problems), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (g_str_has_prefix (problems[i], expected[i]));
      /* The error message carries every problem too, one per line. */
      g_assert_nonnull (strstr (error->message, problems[i]));
    }
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM accounts", NULL), ==, 0);
}

static void
test_missing_header_columns_are_named (StoreFixture  *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;

  accounts = parse ("display_name,site,license\nOslo 1,Oslo,\n", &problems, &error);
  g_assert_null (accounts);
  g_assert_cmpuint (g_strv_length (problems), ==, 2);
  g_assert_nonnull (strstr (problems[0], "“upn”"));
  g_assert_nonnull (strstr (problems[1], "“readiness_issues”"));
  g_clear_error (&error);
  g_clear_pointer (&problems, g_strfreev);

  accounts = parse ("", &problems, &error);
  g_assert_null (accounts);
  g_assert_error (error, TESSERA_ACCOUNTS_CSV_ERROR, TESSERA_ACCOUNTS_CSV_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (problems[0], "Line 1: "));
}

static void
test_reimport_updates_and_keeps_history (StoreFixture  *fixture,
                                         gconstpointer  data)
{
  g_autofree char *id = store_add_ready_account (fixture, "oslo-4.12-fjord");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, id);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (issued);
  accounts = parse ("display_name,upn,site,license,readiness_issues\n"
                    "Oslo 4.12 Fjord (renovated),Oslo-4.12-Fjord@rooms.example.org,Oslo Sentrum,"
                    "Teams Rooms Pro,mailbox_missing\n"
                    "Oslo 4.13 Birch,oslo-4.13-birch@rooms.example.org,Oslo,Teams Rooms Pro,\n",
                    NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tessera_store_import_accounts (fixture->store, accounts, &error), ==, 2);
  g_assert_no_error (error);

  /* Same UPN (case-insensitively): same account, new details, history kept. */
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM accounts", NULL), ==, 2);
  account = store_get_account (fixture, id);
  g_assert_cmpstr (tessera_account_get_display_name (account), ==, "Oslo 4.12 Fjord (renovated)");
  g_assert_cmpstr (tessera_account_get_site (account), ==, "Oslo Sentrum");
  g_assert_cmpint (tessera_account_get_readiness (account), ==, TESSERA_READINESS_CHANGE_SETTINGS);
  g_assert_cmpint (tessera_account_get_provisioning_state (account), ==,
                   TESSERA_PROVISIONING_OTP_ISSUED);
  g_assert_cmpuint (tessera_account_get_otps (account)->len, ==, 1);
}

static void
test_store_import_is_all_or_nothing (StoreFixture  *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (accounts, tessera_account_new (NULL, "A", "a@rooms.example.org", "Oslo", NULL,
                                                  NULL));
  g_ptr_array_add (accounts, tessera_account_new (NULL, "B", "b@rooms.example.org", "Oslo", NULL,
                                                  NULL));
  g_ptr_array_add (accounts, tessera_account_new (NULL, "A again", "A@rooms.example.org", "Oslo",
                                                  NULL, NULL));
  g_assert_cmpuint (tessera_store_import_accounts (fixture->store, accounts, &error), ==, 0);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "A@rooms.example.org"));
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM accounts", NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/store/import/a-good-file-imports-with-columns-in-any-order", test_good_file_imports);
  ADD ("/store/import/every-error-is-reported-with-its-line-and-nothing-imported",
       test_every_error_is_reported_with_its_line);
  ADD ("/store/import/missing-header-columns-are-named", test_missing_header_columns_are_named);
  ADD ("/store/import/reimport-updates-by-upn-and-keeps-history",
       test_reimport_updates_and_keeps_history);
  ADD ("/store/import/duplicate-upns-refuse-the-whole-import",
       test_store_import_is_all_or_nothing);

  return g_test_run ();
}

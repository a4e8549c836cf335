/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>

#include "test-store-common.h"

/* Opening, the key file, migrations, users, sessions, settings, the audit trail, a full disk. */

static char *
key_path (StoreFixture *fixture)
{
  return g_strconcat (fixture->db_path, ".key", NULL);
}

static TesseraStore *
reopen (StoreFixture  *fixture,
        GError       **error)
{
  g_clear_object (&fixture->store);
  return tessera_store_open (fixture->db_path, error);
}

static void
test_open_creates_private_key_and_database (StoreFixture  *fixture,
                                            gconstpointer  data)
{
  g_autofree char *key = key_path (fixture);
  struct stat st;

  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, 32);

  g_assert_cmpint (g_stat (fixture->db_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
}

static void
test_open_migrates_new_database (StoreFixture  *fixture,
                                 gconstpointer  data)
{
  g_autofree char *mode = NULL;

  g_assert_cmpint (store_raw_int (fixture, "PRAGMA user_version", NULL), ==,
                   TESSERA_STORE_SCHEMA_VERSION);
  mode = store_raw_text (fixture, "PRAGMA journal_mode", NULL);
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (store_raw_int (fixture, "SELECT otp_validity_hours FROM settings", NULL), ==, 8);
}

static void
test_open_refuses_key_file_readable_by_others (StoreFixture  *fixture,
                                               gconstpointer  data)
{
  g_autofree char *key = key_path (fixture);
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_chmod (key, 0644), ==, 0);
  store = reopen (fixture, &error);
  g_assert_null (store);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_KEY_FILE);
  g_assert_nonnull (strstr (error->message, "chmod 600"));

  g_clear_error (&error);
  g_assert_cmpint (g_chmod (key, 0600), ==, 0);
  store = tessera_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
}

static void
test_open_refuses_key_file_of_wrong_size (StoreFixture  *fixture,
                                          gconstpointer  data)
{
  g_autofree char *key = key_path (fixture);
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  g_assert_cmpint (truncate (key, 16), ==, 0);
  store = tessera_store_open (fixture->db_path, &error);
  g_assert_null (store);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_KEY_FILE);
}

static void
test_open_refuses_missing_key_for_existing_database (StoreFixture  *fixture,
                                                     gconstpointer  data)
{
  g_autofree char *key = key_path (fixture);
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  g_assert_cmpint (g_unlink (key), ==, 0);
  store = tessera_store_open (fixture->db_path, &error);
  g_assert_null (store);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_KEY_FILE);
  /* A new key would make every stored code and password unreadable: none is made. */
  g_assert_false (g_file_test (key, G_FILE_TEST_EXISTS));
}

static void
test_open_refuses_key_of_another_database (StoreFixture  *fixture,
                                           gconstpointer  data)
{
  g_autofree char *key = key_path (fixture);
  g_autofree char *other_db = g_build_filename (fixture->dir, "other.db", NULL);
  g_autofree char *other_key = g_strconcat (other_db, ".key", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(TesseraStore) other = NULL;
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  other = tessera_store_open (other_db, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->store);

  g_assert_true (g_file_get_contents (other_key, &contents, &length, NULL));
  g_assert_cmpint (g_unlink (key), ==, 0);
  g_assert_true (g_file_set_contents_full (key, contents, length, G_FILE_SET_CONTENTS_NONE,
                                           0600, NULL));

  store = tessera_store_open (fixture->db_path, &error);
  g_assert_null (store);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_KEY_FILE);
}

static void
test_open_refuses_newer_schema (StoreFixture  *fixture,
                                gconstpointer  data)
{
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  store_raw_exec (fixture, "PRAGMA user_version = 99", NULL);
  store = tessera_store_open (fixture->db_path, &error);
  g_assert_null (store);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_SCHEMA_TOO_NEW);
}

static void
test_open_refuses_foreign_database (StoreFixture  *fixture,
                                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "foreign.db", NULL);
  g_autofree char *key = g_strconcat (path, ".key", NULL);
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE photos (id INTEGER)", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  store = tessera_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FAILED);

  /* Left as it was: no tables added, no key file made. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT * FROM accounts", NULL, NULL, NULL), ==, SQLITE_ERROR);
  sqlite3_close (db);
  g_assert_false (g_file_test (key, G_FILE_TEST_EXISTS));
}

static void
test_open_reopening_keeps_data (StoreFixture  *fixture,
                                gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "oslo-1.01-fjord");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, account_id);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tessera_store_add_user (fixture->store, "carol", "Carol", TESSERA_ROLE_VIEWER,
                                         "correct horse", &error));
  g_assert_no_error (error);

  fixture->store = reopen (fixture, &error);
  g_assert_no_error (error);

  account = store_get_account (fixture, account_id);
  g_assert_cmpint (tessera_account_get_provisioning_state (account), ==,
                   TESSERA_PROVISIONING_OTP_ISSUED);
  user = tessera_store_authenticate (fixture->store, "carol", "correct horse", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_user_get_role (user), ==, TESSERA_ROLE_VIEWER);

  /* The code issued before reopening still redeems: the key was kept. */
  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
  g_assert_no_error (error);
  g_assert_nonnull (redemption);
}

static void
test_users_authenticate_checks_password (StoreFixture  *fixture,
                                         gconstpointer  data)
{
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autofree char *next = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0;
  guint failures = 0;

  g_assert_true (tessera_store_add_user (fixture->store, "dave", "Dave", TESSERA_ROLE_ADMIN,
                                         "s3cret-Pa55", &error));
  g_assert_no_error (error);

  user = tessera_store_authenticate (fixture->store, "dave", "s3cret-Pa55", "192.0.2.9", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tessera_user_get_username (user), ==, "dave");
  g_assert_cmpstr (tessera_user_get_display_name (user), ==, "Dave");
  g_assert_cmpint (tessera_user_get_role (user), ==, TESSERA_ROLE_ADMIN);
  g_clear_object (&user);

  user = tessera_store_authenticate (fixture->store, "dave", "wrong-guess-1", "192.0.2.9", &error);
  g_assert_null (user);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&error);

  user = tessera_store_authenticate (fixture->store, "nobody", "wrong-guess-2", "192.0.2.9",
                                     &error);
  g_assert_null (user);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&error);

  audit = tessera_store_list_audit (fixture->store, NULL, 100, &next, &total, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      TesseraAuditEntry *entry = g_ptr_array_index (audit, i);

      const char *detail = tessera_audit_entry_get_detail (entry);

      g_assert_true (detail == NULL || strstr (detail, "wrong-guess") == NULL);
      if (g_str_equal (tessera_audit_entry_get_action (entry), "sign_in_failed"))
        {
          g_assert_cmpstr (tessera_audit_entry_get_source_address (entry), ==, "192.0.2.9");
          failures++;
        }
    }
  g_assert_cmpuint (failures, ==, 2);
}

static void
test_users_duplicate_is_refused (StoreFixture  *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tessera_store_add_user (fixture->store, "erin", NULL, TESSERA_ROLE_VIEWER,
                                         "pw-one", &error));
  g_assert_false (tessera_store_add_user (fixture->store, "erin", NULL, TESSERA_ROLE_ADMIN,
                                          "pw-two", &error));
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_false (tessera_store_add_user (fixture->store, "has space", NULL, TESSERA_ROLE_ADMIN,
                                          "pw", &error));
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
}

static void
test_sessions_token_works_until_revoked (StoreFixture  *fixture,
                                         gconstpointer  data)
{
  g_autoptr(TesseraSession) session = NULL;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *stored = NULL;

  g_assert_true (tessera_store_add_user (fixture->store, "frank", "Frank", TESSERA_ROLE_ADMIN,
                                         "pw-frank", &error));
  user = tessera_store_authenticate (fixture->store, "frank", "pw-frank", NULL, &error);
  g_assert_no_error (error);

  session = tessera_store_create_session (fixture->store, user, "192.0.2.3", &error);
  g_assert_no_error (error);
  token = g_strdup (tessera_session_get_token (session));
  g_assert_cmpuint (strlen (token), ==, 43);  /* 256 bits, unpadded base64url */
  g_clear_object (&user);

  /* Only a keyed hash is stored. */
  stored = store_raw_text (fixture, "SELECT hex(token_hash) FROM sessions", NULL);
  g_assert_nonnull (stored);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?",
                                  token), ==, 0);

  user = tessera_store_lookup_session (fixture->store, token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tessera_user_get_username (user), ==, "frank");
  g_clear_object (&user);

  g_assert_true (tessera_store_revoke_session (fixture->store, token, "192.0.2.3", &error));
  g_assert_no_error (error);

  user = tessera_store_lookup_session (fixture->store, token, &error);
  g_assert_null (user);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_AUTHORIZED);
  g_clear_error (&error);

  g_assert_false (tessera_store_revoke_session (fixture->store, token, NULL, &error));
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_AUTHORIZED);
}

static void
test_sessions_expire_after_ttl (StoreFixture  *fixture,
                                gconstpointer  data)
{
  g_autoptr(TesseraUser) actor = tessera_user_new ("gina", "Gina", TESSERA_ROLE_VIEWER);
  g_autoptr(TesseraSession) session = NULL;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ttl;
  guint swept;

  g_assert_true (tessera_store_add_user (fixture->store, "gina", "Gina", TESSERA_ROLE_VIEWER,
                                         "pw-gina", &error));
  session = tessera_store_create_session (fixture->store, actor, NULL, &error);
  g_assert_no_error (error);

  ttl = store_raw_int (fixture, "SELECT expires_at - created_at FROM sessions", NULL);
  g_assert_cmpint (ttl, ==, TESSERA_STORE_SESSION_TTL_USEC);

  store_raw_exec (fixture, "UPDATE sessions SET expires_at = created_at", NULL);
  user = tessera_store_lookup_session (fixture->store, tessera_session_get_token (session), &error);
  g_assert_null (user);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_AUTHORIZED);
  g_clear_error (&error);

  swept = tessera_store_sweep_expired (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (swept, ==, 1);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM sessions", NULL), ==, 0);
}

static void
count_signal (gpointer  instance,
              gpointer  object,
              guint    *count)
{
  (*count)++;
}

static void
test_settings_update_validates_and_persists (StoreFixture  *fixture,
                                             gconstpointer  data)
{
  g_autoptr(TesseraSettingsPatch) patch = tessera_settings_patch_new ();
  g_autoptr(TesseraSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  guint emitted = 0;

  settings = tessera_store_get_settings (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tessera_settings_get_otp_validity_hours (settings), ==, 8);
  g_assert_false (tessera_settings_get_auto_approve (settings));
  g_assert_false (tessera_settings_get_separation_of_duties (settings));
  g_clear_object (&settings);

  g_signal_connect (fixture->store, "settings-changed", G_CALLBACK (count_signal), &emitted);

  patch->has_otp_validity_hours = TRUE;
  patch->otp_validity_hours = 337;
  settings = tessera_store_update_settings (fixture->store, fixture->admin, patch, NULL, &error);
  g_assert_null (settings);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  patch->otp_validity_hours = 0;
  settings = tessera_store_update_settings (fixture->store, fixture->admin, patch, NULL, &error);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (emitted, ==, 0);

  patch->otp_validity_hours = 336;
  patch->has_auto_approve = TRUE;
  patch->auto_approve = TRUE;
  settings = tessera_store_update_settings (fixture->store, fixture->admin, patch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (emitted, ==, 1);
  g_clear_object (&settings);

  /* Members left out keep their value. */
  memset (patch, 0, sizeof *patch);
  patch->has_separation_of_duties = TRUE;
  patch->separation_of_duties = TRUE;
  settings = tessera_store_update_settings (fixture->store, fixture->admin, patch, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&settings);

  fixture->store = reopen (fixture, &error);
  g_assert_no_error (error);
  settings = tessera_store_get_settings (fixture->store, &error);
  g_assert_cmpuint (tessera_settings_get_otp_validity_hours (settings), ==, 336);
  g_assert_true (tessera_settings_get_auto_approve (settings));
  g_assert_true (tessera_settings_get_separation_of_duties (settings));
}

static void
test_audit_pagination_visits_every_entry (StoreFixture  *fixture,
                                          gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;
  guint first_total = 0;
  guint pages = 0;
  gint64 expected;

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *target = g_strdup_printf ("thing-%u", i);

      g_assert_true (tessera_store_audit (fixture->store, "tester", "poked", target, NULL, NULL,
                                          &error));
    }
  expected = store_raw_int (fixture, "SELECT COUNT(*) FROM audit", NULL);

  do
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autofree char *next = NULL;
      guint total = 0;

      page = tessera_store_list_audit (fixture->store, cursor, 7, &next, &total, &error);
      g_assert_no_error (error);
      if (pages == 0)
        first_total = total;
      g_assert_cmpuint (total, ==, first_total);
      for (guint i = 0; i < page->len; i++)
        g_assert_true (g_hash_table_add (seen, g_strdup (tessera_audit_entry_get_id (
                                                           g_ptr_array_index (page, i)))));
      g_free (cursor);
      cursor = g_steal_pointer (&next);
      pages++;
    }
  while (cursor != NULL);

  g_assert_cmpuint (g_hash_table_size (seen), ==, expected);
  g_assert_cmpuint (first_total, ==, expected);
  g_assert_cmpuint (pages, ==, (expected + 6) / 7);
}

static void
test_full_disk_writes_nothing (StoreFixture  *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *pragma = NULL;
  sqlite3 *db = _tessera_store_get_db (fixture->store);
  gint64 pages;
  gint64 audit_before;
  guint n;

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Room %04u", i);
      g_autofree char *upn = g_strdup_printf ("room-%04u@rooms.example.org", i);

      g_ptr_array_add (accounts, tessera_account_new (NULL, name, upn, "Oslo", "Teams Rooms Pro",
                                                      NULL));
    }

  audit_before = store_raw_int (fixture, "SELECT COUNT(*) FROM audit", NULL);
  pages = store_raw_int (fixture, "PRAGMA page_count", NULL);
  pragma = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 2);
  g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);

  n = tessera_store_import_accounts (fixture->store, accounts, &error);
  g_assert_cmpuint (n, ==, 0);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FULL);
  g_clear_error (&error);

  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM accounts", NULL), ==, 0);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM audit", NULL), ==, audit_before);

  /* With room again the same import goes through. */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  n = tessera_store_import_accounts (fixture->store, accounts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/store/open/creates-private-key-file-and-database",
       test_open_creates_private_key_and_database);
  ADD ("/store/open/migrates-a-new-database-to-the-current-schema",
       test_open_migrates_new_database);
  ADD ("/store/open/refuses-a-key-file-readable-by-others",
       test_open_refuses_key_file_readable_by_others);
  ADD ("/store/open/refuses-a-key-file-of-the-wrong-size",
       test_open_refuses_key_file_of_wrong_size);
  ADD ("/store/open/refuses-to-make-a-new-key-for-an-existing-database",
       test_open_refuses_missing_key_for_existing_database);
  ADD ("/store/open/refuses-the-key-of-another-database",
       test_open_refuses_key_of_another_database);
  ADD ("/store/open/refuses-a-database-from-a-newer-server", test_open_refuses_newer_schema);
  ADD ("/store/open/refuses-another-programs-database", test_open_refuses_foreign_database);
  ADD ("/store/open/reopening-keeps-accounts-users-and-codes", test_open_reopening_keeps_data);
  ADD ("/store/users/authenticate-accepts-only-the-right-password-and-audits-failures",
       test_users_authenticate_checks_password);
  ADD ("/store/users/duplicate-or-malformed-username-is-refused", test_users_duplicate_is_refused);
  ADD ("/store/sessions/token-is-stored-hashed-and-works-until-revoked",
       test_sessions_token_works_until_revoked);
  ADD ("/store/sessions/expire-after-their-ttl", test_sessions_expire_after_ttl);
  ADD ("/store/settings/update-validates-persists-and-keeps-left-out-members",
       test_settings_update_validates_and_persists);
  ADD ("/store/audit/pagination-visits-every-entry-once", test_audit_pagination_visits_every_entry);
  ADD ("/store/full-disk/refuses-with-full-and-writes-nothing", test_full_disk_writes_nothing);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "test-store-common.h"

void
store_fixture_setup (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("tessera-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "tessera.db", NULL);
  fixture->store = tessera_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
  fixture->admin = tessera_user_new ("alice", "Alice Admin", TESSERA_ROLE_ADMIN);
  fixture->other_admin = tessera_user_new ("bob", "Bob Admin", TESSERA_ROLE_ADMIN);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
store_fixture_teardown (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->admin);
  g_clear_object (&fixture->other_admin);
  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->db_path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

char *
store_add_account (StoreFixture *fixture,
                   const char   *display_name,
                   const char   *upn,
                   const char   *site,
                   const char   *license,
                   const char   *issues)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) issue_list = issues ? g_strsplit (issues, ";", -1) : NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  g_ptr_array_add (accounts, tessera_account_new (NULL, display_name, upn, site, license,
                                                  (const char * const *) issue_list));
  n = tessera_store_import_accounts (fixture->store, accounts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);

  return store_raw_text (fixture, "SELECT id FROM accounts WHERE upn = ?", upn);
}

char *
store_add_ready_account (StoreFixture *fixture,
                         const char   *name)
{
  g_autofree char *upn = g_strdup_printf ("%s@rooms.example.org", name);

  return store_add_account (fixture, name, upn, "Oslo", "Teams Rooms Pro", NULL);
}

TesseraOtpBatch *
store_issue (StoreFixture       *fixture,
             TesseraUser        *actor,
             const char * const *account_ids,
             const char         *idempotency_key,
             GError            **error)
{
  g_autoptr(TesseraBatchSpec) spec = tessera_batch_spec_new ();

  spec->account_ids = g_strdupv ((char **) account_ids);
  spec->password_mode = TESSERA_PASSWORD_MODE_GENERATE;
  spec->return_passwords = TRUE;
  return tessera_store_issue_batch (fixture->store, actor, spec, idempotency_key, "192.0.2.1",
                                    error);
}

TesseraOtpResult *
store_issue_one (StoreFixture *fixture,
                 TesseraUser  *actor,
                 const char   *account_id)
{
  const char *ids[] = { account_id, NULL };
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  TesseraOtpResult *result;

  batch = store_issue (fixture, actor, ids, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  g_assert_cmpuint (tessera_otp_batch_get_results (batch)->len, ==, 1);
  result = g_ptr_array_index (tessera_otp_batch_get_results (batch), 0);
  g_assert_cmpint (tessera_otp_result_get_status (result), ==, TESSERA_OTP_RESULT_ISSUED);
  g_assert_cmpstr (tessera_otp_result_get_account_id (result), ==, account_id);
  return g_object_ref (result);
}

TesseraRedemption *
store_redeem (StoreFixture *fixture,
              const char   *code,
              GError      **error)
{
  g_autoptr(TesseraDeviceInfo) device = tessera_device_info_new ("Logitech", "Tap IP", "SN-4242");

  return tessera_store_redeem (fixture->store, code, device, "198.51.100.7", error);
}

sqlite3 *
store_open_raw (StoreFixture *fixture)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static sqlite3_stmt *
raw_prepare (sqlite3    *db,
             const char *sql,
             const char *param)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    g_error ("Could not prepare %s: %s", sql, sqlite3_errmsg (db));
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  return stmt;
}

void
store_raw_exec (StoreFixture *fixture,
                const char   *sql,
                const char   *param)
{
  sqlite3 *db = store_open_raw (fixture);
  sqlite3_stmt *stmt = raw_prepare (db, sql, param);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

gint64
store_raw_int (StoreFixture *fixture,
               const char   *sql,
               const char   *param)
{
  sqlite3 *db = store_open_raw (fixture);
  sqlite3_stmt *stmt = raw_prepare (db, sql, param);
  gint64 value;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

char *
store_raw_text (StoreFixture *fixture,
                const char   *sql,
                const char   *param)
{
  sqlite3 *db = store_open_raw (fixture);
  sqlite3_stmt *stmt = raw_prepare (db, sql, param);
  char *value = NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

TesseraAccount *
store_get_account (StoreFixture *fixture,
                   const char   *account_id)
{
  g_autoptr(GError) error = NULL;
  TesseraAccount *account = tessera_store_get_account (fixture->store, account_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (account);
  return account;
}

gboolean
store_bytes_contain (GBytes     *haystack,
                     const char *needle)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (haystack, &size);
  gsize length = strlen (needle);

  if (length == 0 || size < length)
    return FALSE;
  for (gsize i = 0; i + length <= size; i++)
    if (data[i] == (guint8) needle[0] && memcmp (data + i, needle, length) == 0)
      return TRUE;
  return FALSE;
}

void
store_set_settings (StoreFixture *fixture,
                    int           validity_hours,
                    int           auto_approve,
                    int           separation_of_duties)
{
  g_autoptr(TesseraSettingsPatch) patch = tessera_settings_patch_new ();
  g_autoptr(TesseraSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  if (validity_hours >= 0)
    {
      patch->has_otp_validity_hours = TRUE;
      patch->otp_validity_hours = validity_hours;
    }
  if (auto_approve >= 0)
    {
      patch->has_auto_approve = TRUE;
      patch->auto_approve = auto_approve;
    }
  if (separation_of_duties >= 0)
    {
      patch->has_separation_of_duties = TRUE;
      patch->separation_of_duties = separation_of_duties;
    }
  settings = tessera_store_update_settings (fixture->store, fixture->admin, patch, "192.0.2.1",
                                            &error);
  g_assert_no_error (error);
  g_assert_nonnull (settings);
}

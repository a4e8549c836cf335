/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-store-common.h"

/*
 * Group commit (tessera_store_set_group_commit), as tessera-server uses it: changes made while
 * a group is open become durable together at tessera_store_commit_group() and not before,
 * each stays atomic on its own, and the change signals wait for the commit.
 */

static void
count_signal (gpointer  instance,
              gpointer  object,
              guint    *count)
{
  (*count)++;
}

static void
count_request_signal (gpointer  instance,
                      gpointer  request,
                      gboolean  created,
                      guint    *count)
{
  if (created)
    (*count)++;
}

static gint64
committed_otps (StoreFixture *fixture)
{
  /* Another connection sees only what was committed. */
  return store_raw_int (fixture, "SELECT COUNT(*) FROM otps", NULL);
}

static void
test_changes_share_one_commit (StoreFixture  *fixture,
                               gconstpointer  data)
{
  g_autofree char *oslo = store_add_ready_account (fixture, "oslo-1.01-fjord");
  g_autofree char *bergen = store_add_ready_account (fixture, "bergen-2.02-quay");
  g_autoptr(TesseraOtpResult) first = NULL;
  g_autoptr(TesseraOtpResult) second = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;
  guint opened = 0;

  tessera_store_set_group_commit (fixture->store, TRUE);
  g_signal_connect (fixture->store, "group-opened", G_CALLBACK (count_signal), &opened);

  first = store_issue_one (fixture, fixture->admin, oslo);
  g_assert_true (tessera_store_has_open_group (fixture->store));
  second = store_issue_one (fixture, fixture->admin, bergen);
  redemption = store_redeem (fixture, tessera_otp_result_get_code (first), &error);
  g_assert_no_error (error);

  /* Three changes, one group, and nothing of it durable yet. */
  g_assert_cmpuint (opened, ==, 1);
  g_assert_cmpint (committed_otps (fixture), ==, 0);

  g_assert_true (tessera_store_commit_group (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_false (tessera_store_has_open_group (fixture->store));
  g_assert_cmpint (committed_otps (fixture), ==, 2);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM requests WHERE otp_id = ?",
                                  tessera_otp_result_get_otp_id (first)), ==, 1);

  /* The next change opens the next group. */
  g_clear_object (&second);
  second = store_issue_one (fixture, fixture->admin, bergen);
  g_assert_cmpuint (opened, ==, 2);
  g_assert_true (tessera_store_has_open_group (fixture->store));
  g_assert_true (tessera_store_commit_group (fixture->store, &error));
}

static void
test_signals_wait_for_the_commit (StoreFixture  *fixture,
                                  gconstpointer  data)
{
  g_autofree char *oslo = store_add_ready_account (fixture, "oslo-1.01-fjord");
  g_autofree char *bergen = store_add_ready_account (fixture, "bergen-2.02-quay");
  g_autoptr(TesseraOtpResult) first = NULL;
  g_autoptr(TesseraOtpResult) second = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;
  guint accounts = 0;
  guint created = 0;

  g_signal_connect (fixture->store, "account-changed", G_CALLBACK (count_signal), &accounts);
  g_signal_connect (fixture->store, "request-changed", G_CALLBACK (count_request_signal),
                    &created);
  tessera_store_set_group_commit (fixture->store, TRUE);

  first = store_issue_one (fixture, fixture->admin, oslo);
  second = store_issue_one (fixture, fixture->admin, bergen);
  redemption = store_redeem (fixture, tessera_otp_result_get_code (first), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts, ==, 0);
  g_assert_cmpuint (created, ==, 0);

  g_assert_true (tessera_store_commit_group (fixture->store, &error));
  /* Oslo changed twice in the group: one signal per account, with its state at the end. */
  g_assert_cmpuint (accounts, ==, 2);
  g_assert_cmpuint (created, ==, 1);
}

static void
test_a_failed_change_leaves_the_others (StoreFixture  *fixture,
                                        gconstpointer  data)
{
  g_autofree char *oslo = store_add_ready_account (fixture, "oslo-1.01-fjord");
  g_autofree char *bergen = store_add_ready_account (fixture, "bergen-2.02-quay");
  g_autoptr(TesseraOtpResult) first = NULL;
  g_autoptr(TesseraOtpResult) second = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRedemption) again = NULL;
  g_autoptr(TesseraAccount) revoked = NULL;
  g_autoptr(GError) error = NULL;
  gint64 audit_before;

  tessera_store_set_group_commit (fixture->store, TRUE);
  first = store_issue_one (fixture, fixture->admin, oslo);
  audit_before = store_raw_int (fixture, "SELECT COUNT(*) FROM audit", NULL);

  revoked = tessera_store_revoke_otp (fixture->store, fixture->admin, "otp_no_such_thing",
                                      "198.51.100.7", &error);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_FOUND);
  g_assert_null (revoked);
  g_clear_error (&error);
  g_assert_true (tessera_store_has_open_group (fixture->store));

  second = store_issue_one (fixture, fixture->admin, bergen);

  /* Single use holds inside a group too: the second redemption sees the first. */
  redemption = store_redeem (fixture, tessera_otp_result_get_code (second), &error);
  g_assert_no_error (error);
  again = store_redeem (fixture, tessera_otp_result_get_code (second), &error);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_OTP);
  g_assert_null (again);
  g_clear_error (&error);

  g_assert_true (tessera_store_commit_group (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (committed_otps (fixture), ==, 2);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM requests", NULL), ==, 1);
  /* Issue of Bergen, its redemption and the failed second one; nothing of the revoke. */
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM audit", NULL), >,
                   audit_before);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM audit WHERE action = ?",
                                  "otp_revoked"), ==, 0);
}

static void
test_without_groups_each_change_commits_at_once (StoreFixture  *fixture,
                                                 gconstpointer  data)
{
  g_autofree char *oslo = store_add_ready_account (fixture, "oslo-1.01-fjord");
  g_autoptr(TesseraOtpResult) issued = NULL;
  g_autoptr(GError) error = NULL;
  guint opened = 0;

  g_signal_connect (fixture->store, "group-opened", G_CALLBACK (count_signal), &opened);
  issued = store_issue_one (fixture, fixture->admin, oslo);

  g_assert_false (tessera_store_has_open_group (fixture->store));
  g_assert_cmpuint (opened, ==, 0);
  g_assert_cmpint (committed_otps (fixture), ==, 1);
  /* Nothing to commit is no failure. */
  g_assert_true (tessera_store_commit_group (fixture->store, &error));
  g_assert_no_error (error);
}

static void
test_reads_see_the_open_group (StoreFixture  *fixture,
                               gconstpointer  data)
{
  g_autofree char *oslo = store_add_ready_account (fixture, "oslo-1.01-fjord");
  g_autoptr(TesseraOtpResult) issued = NULL;
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  tessera_store_set_group_commit (fixture->store, TRUE);
  issued = store_issue_one (fixture, fixture->admin, oslo);

  /* Which is why tessera-server holds every answer back until the group commits. */
  account = store_get_account (fixture, oslo);
  g_assert_cmpint (tessera_account_get_provisioning_state (account), ==,
                   TESSERA_PROVISIONING_OTP_ISSUED);
  g_assert_cmpint (committed_otps (fixture), ==, 0);

  g_assert_true (tessera_store_commit_group (fixture->store, &error));
  g_assert_cmpint (committed_otps (fixture), ==, 1);
}

/* Ids of @n ready accounts that never had an OTP, from another connection. */
static char **
fresh_ready_ids (StoreFixture *fixture,
                 guint         n)
{
  sqlite3 *db = store_open_raw (fixture);
  sqlite3_stmt *stmt = NULL;
  GPtrArray *ids = g_ptr_array_new ();

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id FROM accounts WHERE readiness = 'ready' "
                                       "AND provisioning = 'not_started' ORDER BY id LIMIT ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, (int) n);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (ids->len, ==, n);
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

static void
test_a_full_disk_saves_all_or_says_so (StoreFixture  *fixture,
                                       gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(TesseraOtpResult) first = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *limit = NULL;
  gint64 pages;
  gboolean committed;

  g_assert_true (tessera_store_generate_demo_data (fixture->store, 400, &error));
  ids = fresh_ready_ids (fixture, 151);

  /* No free page left, and no room to grow: the "disk" is full. */
  store_raw_exec (fixture, "VACUUM", NULL);
  pages = store_raw_int (fixture, "PRAGMA page_count", NULL);
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 1);
  g_assert_cmpint (sqlite3_exec (_tessera_store_get_db (fixture->store), limit, NULL, NULL, NULL),
                   ==, SQLITE_OK);

  tessera_store_set_group_commit (fixture->store, TRUE);
  first = store_issue_one (fixture, fixture->admin, ids[150]);
  ids[150] = (g_free (ids[150]), NULL);

  /* 150 OTPs, their audit and their accounts need pages there are not. */
  batch = store_issue (fixture, fixture->admin, (const char * const *) ids, NULL, &error);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FULL);
  g_assert_null (batch);
  g_clear_error (&error);

  /*
   * SQLite may have undone only the statement (then the group keeps the first OTP) or the
   * whole transaction (then the group must fail as FULL): either way nothing of the batch
   * is saved, and the first OTP is saved exactly when the group says it committed.
   */
  committed = tessera_store_commit_group (fixture->store, &error);
  if (committed)
    g_assert_no_error (error);
  else
    g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FULL);
  g_test_message ("the group %s", committed ? "kept the first change" : "failed as FULL");
  g_assert_cmpint (committed_otps (fixture), ==, committed ? 1 : 0);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM batches", NULL), ==,
                   committed ? 1 : 0);
  g_assert_false (tessera_store_has_open_group (fixture->store));
}

#define add_test(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_test ("/store/group/changes-share-one-commit", test_changes_share_one_commit);
  add_test ("/store/group/signals-wait-for-the-commit", test_signals_wait_for_the_commit);
  add_test ("/store/group/a-failed-change-rolls-back-alone",
            test_a_failed_change_leaves_the_others);
  add_test ("/store/group/off-by-default-each-change-commits-at-once",
            test_without_groups_each_change_commits_at_once);
  add_test ("/store/group/reads-see-the-open-group", test_reads_see_the_open_group);
  add_test ("/store/group/a-full-disk-saves-all-or-says-so", test_a_full_disk_saves_all_or_says_so);

  return g_test_run ();
}

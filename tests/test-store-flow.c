/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-store-common.h"

/* The state machine of DESIGN §3, enforced by the store. */

static TesseraRequest *
resolve (StoreFixture     *fixture,
         TesseraUser      *actor,
         const char       *request_id,
         TesseraDecision   decision,
         TesseraRejectionReason reason,
         const char       *comment,
         TesseraRequest  **current,
         GError          **error)
{
  g_autoptr(TesseraResolution) resolution = tessera_resolution_new (decision, reason, comment);

  return tessera_store_resolve_request (fixture->store, actor, request_id, resolution,
                                        "192.0.2.1", current, error);
}

static TesseraRedemption *
poll (StoreFixture *fixture,
      const char   *id,
      const char   *token,
      GError      **error)
{
  return tessera_store_poll_redemption (fixture->store, id, token, error);
}

/* Within a minute of now + @hours: generous, and the test does not depend on its speed. */
static void
assert_hours_from_now (gint64 unix_usec,
                       int    hours)
{
  gint64 delta = unix_usec - g_get_real_time () - hours * G_TIME_SPAN_HOUR;

  g_assert_cmpint (ABS (delta), <, G_TIME_SPAN_MINUTE);
}

static TesseraProvisioningState
provisioning_of (StoreFixture *fixture,
                 const char   *account_id)
{
  g_autoptr(TesseraAccount) account = store_get_account (fixture, account_id);

  return tessera_account_get_provisioning_state (account);
}

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
  (*count)++;
}

static void
test_issue_redeem_approve_poll (StoreFixture  *fixture,
                                gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "oslo-4.12-fjord");
  g_autoptr(TesseraOtpResult) issued = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRedemption) polled = NULL;
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *password = NULL;
  gint64 expires = 0;
  guint account_signals = 0;
  guint request_signals = 0;

  g_signal_connect (fixture->store, "account-changed", G_CALLBACK (count_signal),
                    &account_signals);
  g_signal_connect (fixture->store, "request-changed", G_CALLBACK (count_request_signal),
                    &request_signals);

  issued = store_issue_one (fixture, fixture->admin, account_id);
  g_assert_cmpuint (strlen (tessera_otp_result_get_code (issued)), ==, 16);
  g_assert_true (tessera_otp_code_is_valid (tessera_otp_result_get_code (issued)));
  g_assert_cmpuint (strlen (tessera_otp_result_get_password (issued)), ==, 20);
  g_assert_true (g_str_has_prefix (tessera_otp_result_get_otp_id (issued), "otp_"));
  password = g_strdup (tessera_otp_result_get_password (issued));
  g_assert_cmpuint (account_signals, ==, 1);

  account = store_get_account (fixture, account_id);
  g_assert_cmpint (tessera_account_get_provisioning_state (account), ==,
                   TESSERA_PROVISIONING_OTP_ISSUED);
  g_assert_cmpstr (tessera_account_get_otp_id (account), ==,
                   tessera_otp_result_get_otp_id (issued));
  g_assert_cmpstr (tessera_account_get_issued_by (account), ==, "alice");
  g_assert_true (tessera_account_get_expires_at_unix_usec (account, &expires));
  g_assert_cmpint (expires, ==,
                   tessera_datetime_to_unix_usec (tessera_otp_result_get_expires_at (issued)));
  /* The default validity is 8 hours. */
  assert_hours_from_now (expires, 8);
  g_clear_object (&account);

  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_redemption_get_state (redemption), ==, TESSERA_REQUEST_PENDING);
  g_assert_cmpuint (strlen (tessera_redemption_get_poll_token (redemption)), ==, 43);
  g_assert_cmpint (tessera_datetime_to_unix_usec (tessera_redemption_get_expires_at (redemption)),
                   ==, expires);
  request_id = g_strdup (tessera_redemption_get_id (redemption));
  token = g_strdup (tessera_redemption_get_poll_token (redemption));
  g_assert_cmpuint (account_signals, ==, 2);
  g_assert_cmpuint (request_signals, ==, 1);

  account = store_get_account (fixture, account_id);
  g_assert_cmpint (tessera_account_get_provisioning_state (account), ==,
                   TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);
  g_assert_cmpstr (tessera_account_get_request_id (account), ==, request_id);
  g_clear_object (&account);

  request = tessera_store_get_request (fixture->store, request_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_request_get_state (request), ==, TESSERA_REQUEST_PENDING);
  g_assert_cmpstr (tessera_request_get_requested_by (request), ==, "alice");
  g_assert_cmpstr (tessera_request_get_account_id (request), ==, account_id);
  g_assert_cmpstr (tessera_request_get_account_upn (request), ==,
                   "oslo-4.12-fjord@rooms.example.org");
  g_assert_cmpstr (tessera_request_get_device_make (request), ==, "Logitech");
  g_assert_cmpstr (tessera_request_get_device_model (request), ==, "Tap IP");
  g_assert_cmpstr (tessera_request_get_device_serial_number (request), ==, "SN-4242");
  g_assert_cmpstr (tessera_request_get_source_address (request), ==, "198.51.100.7");
  g_assert_nonnull (tessera_request_get_requested_at (request));
  g_clear_object (&request);

  polled = poll (fixture, request_id, token, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_redemption_get_state (polled), ==, TESSERA_REQUEST_PENDING);
  g_assert_null (tessera_redemption_get_sign_in_password (polled));
  g_assert_null (tessera_redemption_get_poll_token (polled));
  g_clear_object (&polled);

  request = resolve (fixture, fixture->other_admin, request_id, TESSERA_DECISION_APPROVE,
                     TESSERA_REJECTION_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_request_get_state (request), ==, TESSERA_REQUEST_APPROVED);
  g_assert_cmpstr (tessera_request_get_resolved_by (request), ==, "bob");
  g_assert_nonnull (tessera_request_get_resolved_at (request));
  g_assert_cmpint (provisioning_of (fixture, account_id), ==, TESSERA_PROVISIONING_PROVISIONED);
  g_clear_object (&request);

  /* First poll after approval: the sign-in data, once. */
  polled = poll (fixture, request_id, token, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_redemption_get_state (polled), ==, TESSERA_REQUEST_APPROVED);
  g_assert_cmpstr (tessera_redemption_get_sign_in_upn (polled), ==,
                   "oslo-4.12-fjord@rooms.example.org");
  g_assert_cmpstr (tessera_redemption_get_sign_in_password (polled), ==, password);
  g_clear_object (&polled);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM requests "
                                  "WHERE sealed_password IS NOT NULL", NULL), ==, 0);

  polled = poll (fixture, request_id, token, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_redemption_get_state (polled), ==, TESSERA_REQUEST_COMPLETED);
  g_assert_null (tessera_redemption_get_sign_in_password (polled));
  g_assert_null (tessera_redemption_get_sign_in_upn (polled));
  g_clear_object (&polled);

  request = tessera_store_get_request (fixture->store, request_id, &error);
  g_assert_cmpint (tessera_request_get_state (request), ==, TESSERA_REQUEST_COMPLETED);

  /* History: the account shows its OTP, redeemed, and its request. */
  account = store_get_account (fixture, account_id);
  g_assert_cmpuint (tessera_account_get_otps (account)->len, ==, 1);
  g_assert_cmpint (tessera_otp_get_state (g_ptr_array_index (tessera_account_get_otps (account),
                                                             0)), ==, TESSERA_OTP_REDEEMED);
  g_assert_cmpuint (tessera_account_get_requests (account)->len, ==, 1);
}

static void
test_poll_with_wrong_id_or_token_is_not_found (StoreFixture  *fixture,
                                               gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "bergen-2.03-bryggen");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, account_id);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRedemption) polled = NULL;
  g_autoptr(GError) wrong_token = NULL;
  g_autoptr(GError) wrong_id = NULL;

  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), NULL);
  g_assert_nonnull (redemption);

  polled = poll (fixture, tessera_redemption_get_id (redemption),
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &wrong_token);
  g_assert_null (polled);
  g_assert_error (wrong_token, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_FOUND);

  polled = poll (fixture, "req_aaaaaaaaaaaaaaaa", tessera_redemption_get_poll_token (redemption),
                 &wrong_id);
  g_assert_null (polled);
  g_assert_error (wrong_id, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_FOUND);

  /* The same answer: a guesser cannot tell which half was wrong. */
  g_assert_cmpstr (wrong_token->message, ==, wrong_id->message);
}

static void
test_reject_needs_reason_and_tells_console (StoreFixture  *fixture,
                                            gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "paris-1.07-seine");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, account_id);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRedemption) polled = NULL;
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *request_id;

  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
  g_assert_no_error (error);
  request_id = tessera_redemption_get_id (redemption);

  request = resolve (fixture, fixture->admin, request_id, TESSERA_DECISION_REJECT,
                     TESSERA_REJECTION_NONE, NULL, NULL, &error);
  g_assert_null (request);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (provisioning_of (fixture, account_id), ==,
                   TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);

  request = resolve (fixture, fixture->admin, request_id, TESSERA_DECISION_REJECT,
                     TESSERA_REJECTION_WRONG_ROOM, "This is the Seine room's console", NULL,
                     &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_request_get_state (request), ==, TESSERA_REQUEST_REJECTED);
  g_assert_cmpint (tessera_request_get_rejection_reason (request), ==,
                   TESSERA_REJECTION_WRONG_ROOM);
  g_assert_cmpstr (tessera_request_get_comment (request), ==, "This is the Seine room's console");
  g_assert_cmpint (provisioning_of (fixture, account_id), ==, TESSERA_PROVISIONING_OTP_REJECTED);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM requests "
                                  "WHERE sealed_password IS NOT NULL", NULL), ==, 0);

  polled = poll (fixture, request_id, tessera_redemption_get_poll_token (redemption), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_redemption_get_state (polled), ==, TESSERA_REQUEST_REJECTED);
  g_assert_cmpint (tessera_redemption_get_rejection_reason (polled), ==,
                   TESSERA_REJECTION_WRONG_ROOM);
  g_assert_null (tessera_redemption_get_sign_in_password (polled));
}

static void
test_reissue_revokes_previous_otp (StoreFixture  *fixture,
                                   gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "stockholm-3.02-birch");
  g_autoptr(TesseraOtpResult) first = store_issue_one (fixture, fixture->admin, account_id);
  g_autoptr(TesseraOtpResult) second = store_issue_one (fixture, fixture->other_admin, account_id);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *otps;

  g_assert_cmpstr (tessera_otp_result_get_code (first), !=, tessera_otp_result_get_code (second));

  redemption = store_redeem (fixture, tessera_otp_result_get_code (first), &error);
  g_assert_null (redemption);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_OTP);
  g_clear_error (&error);

  account = store_get_account (fixture, account_id);
  g_assert_cmpstr (tessera_account_get_otp_id (account), ==,
                   tessera_otp_result_get_otp_id (second));
  g_assert_cmpstr (tessera_account_get_issued_by (account), ==, "bob");
  otps = tessera_account_get_otps (account);
  g_assert_cmpuint (otps->len, ==, 2);
  for (guint i = 0; i < otps->len; i++)
    {
      TesseraOtp *otp = g_ptr_array_index (otps, i);

      if (g_str_equal (tessera_otp_get_id (otp), tessera_otp_result_get_otp_id (first)))
        g_assert_cmpint (tessera_otp_get_state (otp), ==, TESSERA_OTP_REVOKED);
      else
        g_assert_cmpint (tessera_otp_get_state (otp), ==, TESSERA_OTP_ISSUED);
    }

  redemption = store_redeem (fixture, tessera_otp_result_get_code (second), &error);
  g_assert_no_error (error);
  g_assert_nonnull (redemption);
}

static void
test_revoke_only_live_otps (StoreFixture  *fixture,
                            gconstpointer  data)
{
  g_autofree char *live_id = store_add_ready_account (fixture, "helsinki-2.04-aurora");
  g_autofree char *pending_id = store_add_ready_account (fixture, "helsinki-2.05-lynx");
  g_autoptr(TesseraOtpResult) live = store_issue_one (fixture, fixture->admin, live_id);
  g_autoptr(TesseraOtpResult) redeemed = store_issue_one (fixture, fixture->admin, pending_id);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = tessera_store_revoke_otp (fixture->store, fixture->admin,
                                      tessera_otp_result_get_otp_id (live), "192.0.2.1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_account_get_provisioning_state (account), ==,
                   TESSERA_PROVISIONING_OTP_REVOKED);
  g_clear_object (&account);

  redemption = store_redeem (fixture, tessera_otp_result_get_code (live), &error);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_OTP);
  g_clear_error (&error);

  account = tessera_store_revoke_otp (fixture->store, fixture->admin,
                                      tessera_otp_result_get_otp_id (live), NULL, &error);
  g_assert_null (account);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_OTP_NOT_LIVE);
  g_clear_error (&error);

  redemption = store_redeem (fixture, tessera_otp_result_get_code (redeemed), &error);
  g_assert_no_error (error);
  account = tessera_store_revoke_otp (fixture->store, fixture->admin,
                                      tessera_otp_result_get_otp_id (redeemed), NULL, &error);
  g_assert_null (account);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_OTP_NOT_LIVE);
  g_assert_nonnull (strstr (error->message, "resolve the pending request instead"));
  g_clear_error (&error);
  g_assert_cmpint (provisioning_of (fixture, pending_id), ==,
                   TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);

  account = tessera_store_revoke_otp (fixture->store, fixture->admin, "otp_nosuchthing", NULL,
                                      &error);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_FOUND);
}

static void
test_not_ready_accounts_refused_per_row (StoreFixture  *fixture,
                                         gconstpointer  data)
{
  g_autofree char *ready = store_add_ready_account (fixture, "berlin-1.01-spree");
  g_autofree char *settings = store_add_account (fixture, "Berlin 1.02 Tiergarten",
                                                 "berlin-1.02@rooms.example.org", "Berlin",
                                                 "Teams Rooms Pro",
                                                 "password_expires;calendar_processing");
  g_autofree char *unlicensed = store_add_account (fixture, "Berlin 1.03 Mitte",
                                                   "berlin-1.03@rooms.example.org", "Berlin",
                                                   NULL, NULL);
  const char *ids[] = { settings, ready, "acc_doesnotexist", unlicensed, NULL };
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  TesseraOtpResult *result;
  GPtrArray *results;

  batch = store_issue (fixture, fixture->admin, ids, NULL, &error);
  g_assert_no_error (error);
  results = tessera_otp_batch_get_results (batch);
  g_assert_cmpuint (results->len, ==, 4);

  result = g_ptr_array_index (results, 0);
  g_assert_cmpstr (tessera_otp_result_get_account_id (result), ==, settings);
  g_assert_cmpint (tessera_otp_result_get_status (result), ==, TESSERA_OTP_RESULT_REFUSED);
  g_assert_cmpstr (tessera_otp_result_get_error_code (result), ==, "not_ready");
  g_assert_nonnull (strstr (tessera_otp_result_get_error_detail (result), "Change settings"));
  g_assert_nonnull (strstr (tessera_otp_result_get_error_detail (result), "password_expires"));
  g_assert_null (tessera_otp_result_get_code (result));

  result = g_ptr_array_index (results, 1);
  g_assert_cmpint (tessera_otp_result_get_status (result), ==, TESSERA_OTP_RESULT_ISSUED);

  result = g_ptr_array_index (results, 2);
  g_assert_cmpstr (tessera_otp_result_get_error_code (result), ==, "not_found");

  result = g_ptr_array_index (results, 3);
  g_assert_cmpstr (tessera_otp_result_get_error_code (result), ==, "not_ready");
  g_assert_nonnull (strstr (tessera_otp_result_get_error_detail (result), "No valid license"));

  /* Never an OTP for the refused ones. */
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM otps", NULL), ==, 1);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM otps WHERE account_id = ?",
                                  ready), ==, 1);
  g_assert_cmpint (provisioning_of (fixture, settings), ==, TESSERA_PROVISIONING_NOT_STARTED);
  g_assert_cmpint (provisioning_of (fixture, unlicensed), ==, TESSERA_PROVISIONING_NOT_STARTED);
  /* One audit entry per row: one issued, three refused. */
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM audit WHERE action = ?",
                                  "otp_refused"), ==, 3);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM audit WHERE action = ?",
                                  "otp_issued"), ==, 1);
}

static void
test_pending_request_refuses_new_otp (StoreFixture  *fixture,
                                      gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "munich-5.01-isar");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, account_id);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[] = { account_id, NULL };
  TesseraOtpResult *result;

  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
  g_assert_no_error (error);

  batch = store_issue (fixture, fixture->admin, ids, NULL, &error);
  g_assert_no_error (error);
  result = g_ptr_array_index (tessera_otp_batch_get_results (batch), 0);
  g_assert_cmpint (tessera_otp_result_get_status (result), ==, TESSERA_OTP_RESULT_REFUSED);
  g_assert_cmpstr (tessera_otp_result_get_error_code (result), ==, "request_pending");
  g_assert_nonnull (strstr (tessera_otp_result_get_error_detail (result),
                            "resolve the pending request first"));
  g_assert_cmpint (provisioning_of (fixture, account_id), ==,
                   TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);
}

static void
test_separation_of_duties (StoreFixture  *fixture,
                           gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "london-7.12-thames");
  g_autoptr(TesseraOtpResult) issued = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  store_set_settings (fixture, -1, -1, TRUE);
  issued = store_issue_one (fixture, fixture->admin, account_id);
  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
  g_assert_no_error (error);

  request = resolve (fixture, fixture->admin, tessera_redemption_get_id (redemption),
                     TESSERA_DECISION_APPROVE, TESSERA_REJECTION_NONE, NULL, NULL, &error);
  g_assert_null (request);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_SEPARATION_OF_DUTIES);
  g_clear_error (&error);
  g_assert_cmpint (provisioning_of (fixture, account_id), ==,
                   TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);

  request = resolve (fixture, fixture->other_admin, tessera_redemption_get_id (redemption),
                     TESSERA_DECISION_APPROVE, TESSERA_REJECTION_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_request_get_state (request), ==, TESSERA_REQUEST_APPROVED);
}

static void
test_auto_approval (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "dublin-2.02-liffey");
  g_autoptr(TesseraOtpResult) issued = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRedemption) polled = NULL;
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  store_set_settings (fixture, -1, TRUE, -1);
  issued = store_issue_one (fixture, fixture->admin, account_id);
  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_redemption_get_state (redemption), ==, TESSERA_REQUEST_APPROVED);
  g_assert_cmpint (provisioning_of (fixture, account_id), ==, TESSERA_PROVISIONING_PROVISIONED);

  request = tessera_store_get_request (fixture->store, tessera_redemption_get_id (redemption),
                                       &error);
  g_assert_cmpstr (tessera_request_get_resolved_by (request), ==, "auto-approval");

  polled = poll (fixture, tessera_redemption_get_id (redemption),
                 tessera_redemption_get_poll_token (redemption), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_redemption_get_state (polled), ==, TESSERA_REQUEST_APPROVED);
  g_assert_cmpstr (tessera_redemption_get_sign_in_password (polled), ==,
                   tessera_otp_result_get_password (issued));
}

static void
test_pending_request_expires_from_database (StoreFixture  *fixture,
                                            gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "vienna-3.03-danube");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, account_id);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRedemption) polled = NULL;
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *request_id;

  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
  g_assert_no_error (error);
  request_id = tessera_redemption_get_id (redemption);

  /* Another process moves the expiry into the past; the store must notice without waiting. */
  store_raw_exec (fixture, "UPDATE requests SET expires_at = expires_at - 9 * 3600000000 "
                  "WHERE id = ?", request_id);
  store_raw_exec (fixture, "UPDATE otps SET expires_at = expires_at - 9 * 3600000000", NULL);

  request = tessera_store_get_request (fixture->store, request_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_request_get_state (request), ==, TESSERA_REQUEST_EXPIRED);
  g_clear_object (&request);
  g_assert_cmpint (provisioning_of (fixture, account_id), ==, TESSERA_PROVISIONING_OTP_EXPIRED);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM requests "
                                  "WHERE sealed_password IS NOT NULL", NULL), ==, 0);

  request = resolve (fixture, fixture->admin, request_id, TESSERA_DECISION_APPROVE,
                     TESSERA_REJECTION_NONE, NULL, NULL, &error);
  g_assert_null (request);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_REQUEST_EXPIRED);
  g_clear_error (&error);

  polled = poll (fixture, request_id, tessera_redemption_get_poll_token (redemption), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_redemption_get_state (polled), ==, TESSERA_REQUEST_EXPIRED);
}

static void
test_resolve_applies_expiry_first (StoreFixture  *fixture,
                                   gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "madrid-1.01-prado");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, account_id);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
  g_assert_no_error (error);
  store_raw_exec (fixture, "UPDATE requests SET expires_at = 1 WHERE id = ?",
                  tessera_redemption_get_id (redemption));

  /* No read in between: the resolution itself must see that the request expired. */
  request = resolve (fixture, fixture->admin, tessera_redemption_get_id (redemption),
                     TESSERA_DECISION_APPROVE, TESSERA_REJECTION_NONE, NULL, NULL, &error);
  g_assert_null (request);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_REQUEST_EXPIRED);
  g_assert_cmpint (provisioning_of (fixture, account_id), ==, TESSERA_PROVISIONING_OTP_EXPIRED);
}

static void
test_issued_otp_expires_from_database (StoreFixture  *fixture,
                                       gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "milan-4.04-duomo");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, account_id);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;
  guint changed = 0;
  guint swept;

  g_signal_connect (fixture->store, "account-changed", G_CALLBACK (count_signal), &changed);
  store_raw_exec (fixture, "UPDATE otps SET expires_at = 1 WHERE account_id = ?", account_id);

  swept = tessera_store_sweep_expired (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (swept, ==, 1);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (provisioning_of (fixture, account_id), ==, TESSERA_PROVISIONING_OTP_EXPIRED);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM otps "
                                  "WHERE sealed_password IS NOT NULL", NULL), ==, 0);

  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
  g_assert_null (redemption);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_OTP);
}

static void
test_uncollected_approval_expires (StoreFixture  *fixture,
                                   gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "lisbon-2.01-tejo");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, account_id);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRedemption) polled = NULL;
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
  request = resolve (fixture, fixture->other_admin, tessera_redemption_get_id (redemption),
                     TESSERA_DECISION_APPROVE, TESSERA_REJECTION_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM requests "
                                  "WHERE sealed_password IS NOT NULL", NULL), ==, 1);

  store_raw_exec (fixture, "UPDATE requests SET expires_at = 1", NULL);
  polled = poll (fixture, tessera_redemption_get_id (redemption),
                 tessera_redemption_get_poll_token (redemption), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_redemption_get_state (polled), ==, TESSERA_REQUEST_EXPIRED);
  g_assert_null (tessera_redemption_get_sign_in_password (polled));
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM requests "
                                  "WHERE sealed_password IS NOT NULL", NULL), ==, 0);
  g_assert_cmpint (provisioning_of (fixture, account_id), ==, TESSERA_PROVISIONING_OTP_EXPIRED);
}

static void
test_already_resolved_returns_current (StoreFixture  *fixture,
                                       gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "zurich-6.06-limmat");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, account_id);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRequest) first = NULL;
  g_autoptr(TesseraRequest) second = NULL;
  g_autoptr(TesseraRequest) current = NULL;
  g_autoptr(GError) error = NULL;

  redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
  first = resolve (fixture, fixture->other_admin, tessera_redemption_get_id (redemption),
                   TESSERA_DECISION_APPROVE, TESSERA_REJECTION_NONE, NULL, NULL, &error);
  g_assert_no_error (error);

  second = resolve (fixture, fixture->admin, tessera_redemption_get_id (redemption),
                    TESSERA_DECISION_REJECT, TESSERA_REJECTION_NOT_EXPECTED, NULL, &current,
                    &error);
  g_assert_null (second);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_ALREADY_RESOLVED);
  g_assert_nonnull (current);
  g_assert_cmpint (tessera_request_get_state (current), ==, TESSERA_REQUEST_APPROVED);
  g_assert_cmpstr (tessera_request_get_resolved_by (current), ==, "bob");
  g_assert_nonnull (tessera_request_get_resolved_at (current));
  g_assert_cmpint (provisioning_of (fixture, account_id), ==, TESSERA_PROVISIONING_PROVISIONED);
}

static void
test_idempotency_key (StoreFixture  *fixture,
                      gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "amsterdam-1.11-canal");
  const char *ids[] = { account_id, NULL };
  g_autoptr(TesseraOtpBatch) first = NULL;
  g_autoptr(TesseraOtpBatch) again = NULL;
  g_autoptr(TesseraOtpBatch) other = NULL;
  g_autoptr(GError) error = NULL;

  first = store_issue (fixture, fixture->admin, ids, "key-123", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (tessera_otp_batch_get_id (first), "bat_"));

  again = store_issue (fixture, fixture->admin, ids, "key-123", &error);
  g_assert_null (again);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_BATCH_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM otps", NULL), ==, 1);

  /* The key is unique per creator. */
  other = store_issue (fixture, fixture->other_admin, ids, "key-123", &error);
  g_assert_no_error (error);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM otps", NULL), ==, 2);
}

static void
test_batch_limits_and_validity (StoreFixture  *fixture,
                                gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "rome-2.09-tiber");
  g_autoptr(TesseraBatchSpec) spec = tessera_batch_spec_new ();
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  TesseraOtpResult *result;
  gint64 expires;

  spec->account_ids = g_new0 (char *, 1002);
  for (guint i = 0; i < 1001; i++)
    spec->account_ids[i] = g_strdup_printf ("acc_%u", i);
  batch = tessera_store_issue_batch (fixture->store, fixture->admin, spec, NULL, NULL, &error);
  g_assert_null (batch);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_strfreev (spec->account_ids);
  spec->account_ids = g_new0 (char *, 2);
  spec->account_ids[0] = g_strdup (account_id);
  spec->validity_hours = 337;
  batch = tessera_store_issue_batch (fixture->store, fixture->admin, spec, NULL, NULL, &error);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
  g_clear_error (&error);

  spec->validity_hours = 24;
  batch = tessera_store_issue_batch (fixture->store, fixture->admin, spec, NULL, NULL, &error);
  g_assert_no_error (error);
  result = g_ptr_array_index (tessera_otp_batch_get_results (batch), 0);
  expires = tessera_datetime_to_unix_usec (tessera_otp_result_get_expires_at (result));
  assert_hours_from_now (expires, 24);
  /* Without return_passwords the password stays out of the answer. */
  g_assert_null (tessera_otp_result_get_password (result));
  g_clear_object (&batch);

  /* 0 means the organisation's default. */
  store_set_settings (fixture, 2, -1, -1);
  spec->validity_hours = 0;
  batch = tessera_store_issue_batch (fixture->store, fixture->admin, spec, NULL, NULL, &error);
  g_assert_no_error (error);
  result = g_ptr_array_index (tessera_otp_batch_get_results (batch), 0);
  expires = tessera_datetime_to_unix_usec (tessera_otp_result_get_expires_at (result));
  assert_hours_from_now (expires, 2);
}

static GPtrArray *
sign_in_rows (const char *first_upn,
              ...)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tessera_sign_in_free);
  va_list args;

  va_start (args, first_upn);
  for (const char *upn = first_upn; upn != NULL; upn = va_arg (args, const char *))
    g_ptr_array_add (rows, tessera_sign_in_new (upn, va_arg (args, const char *)));
  va_end (args);
  return rows;
}

static void
test_provided_passwords (StoreFixture  *fixture,
                         gconstpointer  data)
{
  g_autofree char *copenhagen = store_add_ready_account (fixture, "copenhagen-3.01-nyhavn");
  g_autofree char *aarhus = store_add_ready_account (fixture, "aarhus-1.01-aros");
  g_autofree char *bystander = store_add_ready_account (fixture, "aarhus-1.02-marselis");
  g_autoptr(TesseraBatchSpec) spec = tessera_batch_spec_new ();
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRedemption) polled = NULL;
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  TesseraOtpResult *result;

  spec->password_mode = TESSERA_PASSWORD_MODE_PROVIDED;
  spec->account_ids = g_new0 (char *, 3);
  spec->account_ids[0] = g_strdup (copenhagen);
  spec->account_ids[1] = g_strdup (aarhus);

  /* A row for an account outside the batch refuses the whole batch, naming it. */
  spec->sign_in_data = sign_in_rows ("COPENHAGEN-3.01-NYHAVN@rooms.example.org", "Nyhavn-pw-1",
                                     "aarhus-1.02-marselis@rooms.example.org", "Marselis-pw-2",
                                     NULL);
  batch = tessera_store_issue_batch (fixture->store, fixture->admin, spec, NULL, NULL, &error);
  g_assert_null (batch);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "aarhus-1.02-marselis@rooms.example.org"));
  g_clear_error (&error);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM otps", NULL), ==, 0);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM batches", NULL), ==, 0);

  /* Matched case-insensitively; a selected account without a row is refused on its own. */
  g_ptr_array_unref (spec->sign_in_data);
  spec->sign_in_data = sign_in_rows ("COPENHAGEN-3.01-NYHAVN@rooms.example.org", "Nyhavn-pw-1",
                                     NULL);
  spec->return_passwords = TRUE;
  batch = tessera_store_issue_batch (fixture->store, fixture->admin, spec, NULL, NULL, &error);
  g_assert_no_error (error);

  result = g_ptr_array_index (tessera_otp_batch_get_results (batch), 0);
  g_assert_cmpint (tessera_otp_result_get_status (result), ==, TESSERA_OTP_RESULT_ISSUED);
  g_assert_cmpstr (tessera_otp_result_get_password (result), ==, "Nyhavn-pw-1");
  result = g_ptr_array_index (tessera_otp_batch_get_results (batch), 1);
  g_assert_cmpint (tessera_otp_result_get_status (result), ==, TESSERA_OTP_RESULT_REFUSED);
  g_assert_cmpstr (tessera_otp_result_get_error_code (result), ==, "missing_sign_in_data");
  g_assert_cmpint (provisioning_of (fixture, aarhus), ==, TESSERA_PROVISIONING_NOT_STARTED);
  g_assert_cmpint (provisioning_of (fixture, bystander), ==, TESSERA_PROVISIONING_NOT_STARTED);

  result = g_ptr_array_index (tessera_otp_batch_get_results (batch), 0);
  redemption = store_redeem (fixture, tessera_otp_result_get_code (result), &error);
  g_assert_no_error (error);
  request = resolve (fixture, fixture->other_admin, tessera_redemption_get_id (redemption),
                     TESSERA_DECISION_APPROVE, TESSERA_REJECTION_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  polled = poll (fixture, tessera_redemption_get_id (redemption),
                 tessera_redemption_get_poll_token (redemption), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tessera_redemption_get_sign_in_password (polled), ==, "Nyhavn-pw-1");
  g_assert_cmpstr (tessera_redemption_get_sign_in_upn (polled), ==,
                   "copenhagen-3.01-nyhavn@rooms.example.org");
}

static void
test_failed_redemption_is_audited (StoreFixture  *fixture,
                                   gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "prague-2.02-vltava");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, account_id);
  g_autoptr(TesseraRedemption) first = NULL;
  g_autoptr(TesseraRedemption) second = NULL;
  g_autoptr(TesseraRedemption) unknown = NULL;
  g_autoptr(GError) used_error = NULL;
  g_autoptr(GError) unknown_error = NULL;

  first = store_redeem (fixture, tessera_otp_result_get_code (issued), NULL);
  g_assert_nonnull (first);
  second = store_redeem (fixture, tessera_otp_result_get_code (issued), &used_error);
  g_assert_null (second);
  g_assert_error (used_error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_OTP);
  unknown = store_redeem (fixture, "0000000000000000", &unknown_error);
  g_assert_error (unknown_error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_OTP);

  /* One answer for every kind of bad code. */
  g_assert_cmpstr (used_error->message, ==, unknown_error->message);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM audit WHERE action = "
                                  "'redemption_failed' AND source_address = ?", "198.51.100.7"),
                   ==, 2);
}

typedef struct {
  const char *db_path;
  const char *code;
  GMutex     *mutex;
  GCond      *cond;
  guint      *ready;
  guint       n_threads;
  gboolean    succeeded;
  GError     *error;
} Racer;

static gpointer
race_redeem (gpointer data)
{
  Racer *racer = data;
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(TesseraDeviceInfo) device = tessera_device_info_new ("Poly", "TC8", "SN-race");
  g_autoptr(TesseraRedemption) redemption = NULL;

  /* Each thread has its own connection, as separate server processes would. */
  store = tessera_store_open (racer->db_path, &racer->error);
  g_assert_nonnull (store);

  g_mutex_lock (racer->mutex);
  (*racer->ready)++;
  g_cond_broadcast (racer->cond);
  while (*racer->ready < racer->n_threads)
    g_cond_wait (racer->cond, racer->mutex);
  g_mutex_unlock (racer->mutex);

  redemption = tessera_store_redeem (store, racer->code, device, "203.0.113.5", &racer->error);
  racer->succeeded = redemption != NULL;
  return NULL;
}

static void
test_redeem_is_single_use_under_concurrency (StoreFixture  *fixture,
                                             gconstpointer  data)
{
  enum { N_THREADS = 6 };
  g_autofree char *account_id = store_add_ready_account (fixture, "warsaw-9.09-vistula");
  g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, account_id);
  Racer racers[N_THREADS];
  GThread *threads[N_THREADS];
  GMutex mutex;
  GCond cond;
  guint ready = 0;
  guint succeeded = 0;

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  for (guint i = 0; i < N_THREADS; i++)
    {
      racers[i] = (Racer) {
        .db_path = fixture->db_path,
        .code = tessera_otp_result_get_code (issued),
        .mutex = &mutex, .cond = &cond, .ready = &ready, .n_threads = N_THREADS,
      };
      threads[i] = g_thread_new ("racer", race_redeem, &racers[i]);
    }
  for (guint i = 0; i < N_THREADS; i++)
    {
      g_thread_join (threads[i]);
      if (racers[i].succeeded)
        succeeded++;
      else
        g_assert_error (racers[i].error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_OTP);
      g_clear_error (&racers[i].error);
    }
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);

  g_assert_cmpuint (succeeded, ==, 1);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM requests", NULL), ==, 1);
}

typedef struct {
  StoreFixture *fixture;
  guint         calls;
  gint64        visible;
} CommitProbe;

static void
probe_committed (TesseraStore   *store,
                 TesseraAccount *account,
                 CommitProbe    *probe)
{
  /* Another connection sees the change: the signal came after COMMIT. */
  probe->visible = store_raw_int (probe->fixture,
                                  "SELECT COUNT(*) FROM accounts WHERE id = ? "
                                  "AND provisioning = 'otp_issued'",
                                  tessera_account_get_id (account));
  probe->calls++;
}

static void
test_signals_follow_commit_only (StoreFixture  *fixture,
                                 gconstpointer  data)
{
  g_autofree char *account_id = store_add_ready_account (fixture, "geneva-1.01-leman");
  CommitProbe probe = { .fixture = fixture };
  g_autoptr(TesseraOtpResult) issued = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[] = { account_id, "acc_missing", NULL };
  const char *dup_ids[] = { account_id, account_id, NULL };

  g_signal_connect (fixture->store, "account-changed", G_CALLBACK (probe_committed), &probe);

  issued = store_issue_one (fixture, fixture->admin, account_id);
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_cmpint (probe.visible, ==, 1);

  /* A refused batch and an invalid batch change nothing and announce nothing. */
  probe.calls = 0;
  batch = store_issue (fixture, fixture->admin, dup_ids, NULL, &error);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (probe.calls, ==, 0);

  store_raw_exec (fixture, "UPDATE accounts SET readiness = 'change_settings' WHERE id = ?",
                  account_id);
  batch = store_issue (fixture, fixture->admin, ids, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 0);
}

static void
test_batch_is_all_or_nothing (StoreFixture  *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = tessera_demo_data_generate_accounts (400);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pragma = NULL;
  sqlite3 *db = _tessera_store_get_db (fixture->store);
  gint64 pages;

  g_assert_cmpuint (tessera_store_import_accounts (fixture->store, accounts, &error), ==, 400);
  {
    sqlite3 *raw = store_open_raw (fixture);
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (raw, "SELECT id FROM accounts WHERE readiness = 'ready'", -1, &stmt, NULL);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    sqlite3_close (raw);
  }
  ids = g_strv_builder_end (builder);
  g_assert_cmpuint (g_strv_length (ids), >, 200);

  pages = store_raw_int (fixture, "PRAGMA page_count", NULL);
  pragma = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 3);
  g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);

  batch = store_issue (fixture, fixture->admin, (const char * const *) ids, NULL, &error);
  g_assert_null (batch);
  g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FULL);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM otps", NULL), ==, 0);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM accounts "
                                  "WHERE provisioning != 'not_started'", NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/store/flow/issue-redeem-approve-poll-releases-sign-in-exactly-once",
       test_issue_redeem_approve_poll);
  ADD ("/store/flow/poll-with-wrong-id-or-token-gets-the-same-not-found",
       test_poll_with_wrong_id_or_token_is_not_found);
  ADD ("/store/flow/reject-needs-a-reason-and-tells-the-console",
       test_reject_needs_reason_and_tells_console);
  ADD ("/store/flow/reissue-revokes-the-previous-otp", test_reissue_revokes_previous_otp);
  ADD ("/store/flow/revoke-works-only-on-live-otps", test_revoke_only_live_otps);
  ADD ("/store/flow/not-ready-accounts-are-refused-per-row-and-never-get-an-otp",
       test_not_ready_accounts_refused_per_row);
  ADD ("/store/flow/pending-request-refuses-a-new-otp", test_pending_request_refuses_new_otp);
  ADD ("/store/flow/separation-of-duties-stops-the-issuer-approving",
       test_separation_of_duties);
  ADD ("/store/flow/auto-approval-approves-at-redemption", test_auto_approval);
  ADD ("/store/flow/pending-request-expiry-is-read-from-the-database",
       test_pending_request_expires_from_database);
  ADD ("/store/flow/resolve-applies-expiry-before-deciding", test_resolve_applies_expiry_first);
  ADD ("/store/flow/issued-otp-expiry-is-read-from-the-database",
       test_issued_otp_expires_from_database);
  ADD ("/store/flow/uncollected-approval-expires-and-wipes-the-password",
       test_uncollected_approval_expires);
  ADD ("/store/flow/already-resolved-returns-the-current-request",
       test_already_resolved_returns_current);
  ADD ("/store/flow/idempotency-key-refuses-a-second-batch", test_idempotency_key);
  ADD ("/store/flow/batch-limits-and-validity", test_batch_limits_and_validity);
  ADD ("/store/flow/provided-passwords-match-by-upn-and-stray-rows-refuse-the-batch",
       test_provided_passwords);
  ADD ("/store/flow/failed-redemptions-get-one-answer-and-are-audited",
       test_failed_redemption_is_audited);
  ADD ("/store/otp/redeem-is-single-use-under-concurrency",
       test_redeem_is_single_use_under_concurrency);
  ADD ("/store/flow/signals-follow-commit-and-nothing-else", test_signals_follow_commit_only);
  ADD ("/store/flow/batch-is-all-or-nothing-when-the-disk-fills", test_batch_is_all_or_nothing);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tessera-test-db.h"
#include "test-client-common.h"

/*
 * Every TesseraClient endpoint against a real tessera-server (tests/support): the success
 * path and how each failure maps to TESSERA_CLIENT_ERROR with the server's problem details.
 */

static TesseraTestServer *server;

static void
test_health_check_recognises_tessera (void)
{
  g_autoptr(TesseraClient) client = test_client_new (server);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tessera_client_check_health_async (client, NULL, test_client_on_done, &result);
  g_assert_true (tessera_client_check_health_finish (client, test_client_wait (&result), &error));
  g_assert_no_error (error);
}

static void
test_sign_in_returns_session_and_keeps_token (void)
{
  g_autoptr(TesseraClient) client = test_client_new (server);
  g_autoptr(TesseraSession) session = NULL;
  g_autoptr(TesseraUser) me = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (tessera_client_has_token (client));
  session = test_client_sign_in (client, TESSERA_TEST_ADMIN,
                                 tessera_test_server_get_password (server, TESSERA_TEST_ADMIN),
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (tessera_session_get_token (session)), >=, 43);
  g_assert_cmpstr (tessera_user_get_username (tessera_session_get_user (session)), ==,
                   TESSERA_TEST_ADMIN);
  g_assert_cmpint (tessera_user_get_role (tessera_session_get_user (session)), ==,
                   TESSERA_ROLE_ADMIN);
  g_assert_true (tessera_client_has_token (client));

  me = test_client_get_me (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tessera_user_get_username (me), ==, TESSERA_TEST_ADMIN);
}

static void
test_wrong_password_is_invalid_credentials (void)
{
  g_autoptr(TesseraClient) client = test_client_new (server);
  g_autoptr(TesseraSession) wrong = NULL;
  g_autoptr(TesseraSession) unknown = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  wrong = test_client_sign_in (client, TESSERA_TEST_ADMIN, "not the password", &error);
  g_assert_null (wrong);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpstr (tessera_client_error_get_problem_code (error), ==, "invalid_credentials");
  g_assert_cmpuint (tessera_client_error_get_http_status (error), ==, 401);

  unknown = test_client_sign_in (client, "nobody-here", "whatever", &error2);
  g_assert_null (unknown);
  g_assert_error (error2, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_CREDENTIALS);
  g_assert_false (tessera_client_has_token (client));
}

static void
test_unknown_token_is_not_authorized (void)
{
  g_autoptr(TesseraClient) client = test_client_new (server);
  g_autoptr(TesseraUser) me = NULL;
  g_autoptr(GError) error = NULL;

  tessera_client_set_token (client, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  me = test_client_get_me (client, &error);
  g_assert_null (me);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_AUTHORIZED);
  g_assert_cmpuint (tessera_client_error_get_http_status (error), ==, 401);
  g_assert_cmpstr (error->message, ==, "Your session has expired. Sign in again.");
}

static void
test_sign_out_revokes_the_token (void)
{
  g_autoptr(TesseraClient) client = test_client_new (server);
  g_autoptr(TesseraClient) same_token = test_client_new (server);
  g_autoptr(TesseraSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TesseraUser) me = NULL;
  g_autoptr(GError) error = NULL;

  session = test_client_sign_in (client, TESSERA_TEST_VIEWER,
                                 tessera_test_server_get_password (server, TESSERA_TEST_VIEWER),
                                 &error);
  g_assert_no_error (error);
  tessera_client_set_token (same_token, tessera_session_get_token (session));

  tessera_client_sign_out_async (client, NULL, test_client_on_done, &result);
  g_assert_false (tessera_client_has_token (client));
  g_assert_true (tessera_client_sign_out_finish (client, test_client_wait (&result), &error));
  g_assert_no_error (error);

  /* The server forgot the token too: another client holding it is turned away. */
  me = test_client_get_me (same_token, &error);
  g_assert_null (me);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_AUTHORIZED);
}

static void
test_list_accounts_pages_with_cursor_and_total (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  guint pages = 0, first_total = 0;

  do
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      char *next = NULL;
      guint total = 0;

      page = test_client_list_accounts (client, NULL, cursor, 25, &next, &total, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->len, <=, 25);
      if (pages == 0)
        first_total = total;
      g_assert_cmpuint (total, ==, first_total);

      for (guint i = 0; i < page->len; i++)
        {
          TesseraAccount *account = g_ptr_array_index (page, i);

          g_assert_true (g_hash_table_add (seen, g_strdup (tessera_account_get_id (account))));
          g_assert_nonnull (tessera_account_get_upn (account));
          g_assert_cmpint (tessera_account_get_updated_at_unix_usec (account), >, 0);
        }

      pages++;
      g_free (cursor);
      cursor = next;
    }
  while (cursor != NULL);

  g_assert_cmpuint (first_total, ==, 120);
  g_assert_cmpuint (g_hash_table_size (seen), ==, first_total);
  g_assert_cmpuint (pages, ==, (120 + 24) / 25);
}

static void
test_list_accounts_filters (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  TesseraAccountQuery ready_query = { .readiness_mask = 1u << TESSERA_READINESS_READY };
  TesseraAccountQuery not_ready_query = {
    .readiness_mask = (1u << TESSERA_READINESS_CHANGE_SETTINGS) |
                      (1u << TESSERA_READINESS_NO_VALID_LICENSE),
  };
  g_autoptr(GPtrArray) ready = test_client_list_all_accounts (client, &ready_query, 50);
  g_autoptr(GPtrArray) not_ready = test_client_list_all_accounts (client, &not_ready_query, 50);
  g_autoptr(GPtrArray) by_text = NULL;
  TesseraAccountQuery text_query = { 0 };
  const char *upn;

  g_assert_cmpuint (ready->len, >, 0);
  g_assert_cmpuint (not_ready->len, >, 0);
  g_assert_cmpuint (ready->len + not_ready->len, ==, 120);
  for (guint i = 0; i < ready->len; i++)
    g_assert_cmpint (tessera_account_get_readiness (g_ptr_array_index (ready, i)), ==,
                     TESSERA_READINESS_READY);
  for (guint i = 0; i < not_ready->len; i++)
    g_assert_cmpint (tessera_account_get_readiness (g_ptr_array_index (not_ready, i)), !=,
                     TESSERA_READINESS_READY);

  /* q: a whole UPN matches at least that account, and only accounts that contain it. */
  upn = tessera_account_get_upn (g_ptr_array_index (ready, 0));
  text_query.text = upn;
  by_text = test_client_list_all_accounts (client, &text_query, 50);
  g_assert_cmpuint (by_text->len, >=, 1);
  for (guint i = 0; i < by_text->len; i++)
    g_assert_nonnull (strstr (tessera_account_get_upn (g_ptr_array_index (by_text, i)), upn));
}

static void
test_get_account_and_unknown_id (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(TesseraAccount) missing = NULL;
  g_autoptr(GError) error = NULL;
  TesseraAccount *listed;

  first = test_client_list_accounts (client, NULL, NULL, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  listed = g_ptr_array_index (first, 0);

  account = test_client_get_account (client, tessera_account_get_id (listed), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tessera_account_get_upn (account), ==, tessera_account_get_upn (listed));
  g_assert_nonnull (tessera_account_get_otps (account));
  g_assert_nonnull (tessera_account_get_requests (account));

  missing = test_client_get_account (client, "no-such-account", &error);
  g_assert_null (missing);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_FOUND);
  g_assert_nonnull (tessera_client_error_get_problem (error));
}

static void
test_viewer_cannot_generate (void)
{
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraClient) viewer = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(GPtrArray) ids = test_client_fresh_ready_accounts (admin, 1);
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  batch = test_client_generate (viewer, (const char * const *) ids->pdata, NULL, &error);
  g_assert_null (batch);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_FORBIDDEN);
  g_assert_cmpuint (tessera_client_error_get_http_status (error), ==, 403);
}

static void
test_generate_issues_codes_once_per_idempotency_key (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) ids = test_client_fresh_ready_accounts (client, 2);
  g_autofree char *key = tessera_client_new_idempotency_key ();
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(TesseraOtpBatch) again = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  batch = test_client_generate (client, (const char * const *) ids->pdata, key, &error);
  g_assert_no_error (error);
  results = tessera_otp_batch_get_results (batch);
  g_assert_cmpuint (results->len, ==, 2);
  for (guint i = 0; i < results->len; i++)
    {
      TesseraOtpResult *row = g_ptr_array_index (results, i);

      g_assert_cmpstr (tessera_otp_result_get_account_id (row), ==, g_ptr_array_index (ids, i));
      g_assert_cmpint (tessera_otp_result_get_status (row), ==, TESSERA_OTP_RESULT_ISSUED);
      g_assert_cmpuint (strlen (tessera_otp_result_get_code (row)), ==, 16);
      g_assert_nonnull (tessera_otp_result_get_expires_at (row));
    }

  again = test_client_generate (client, (const char * const *) ids->pdata, key, &error);
  g_assert_null (again);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (tessera_client_error_get_problem_code (error), ==, "batch_exists");
}

static void
test_revoke_returns_the_account_then_conflicts (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) ids = test_client_fresh_ready_accounts (client, 1);
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  const char *otp_id;

  batch = test_client_generate (client, (const char * const *) ids->pdata, NULL, &error);
  g_assert_no_error (error);
  otp_id = tessera_otp_result_get_otp_id (g_ptr_array_index (tessera_otp_batch_get_results (batch),
                                                             0));

  tessera_client_revoke_otp_async (client, otp_id, NULL, test_client_on_done, &result);
  g_assert_true (tessera_client_revoke_otp_finish (client, test_client_wait (&result), &account,
                                                   &error));
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_cmpstr (tessera_account_get_id (account), ==, g_ptr_array_index (ids, 0));
  g_assert_cmpint (tessera_account_get_provisioning_state (account), ==,
                   TESSERA_PROVISIONING_OTP_REVOKED);

  tessera_client_revoke_otp_async (client, otp_id, NULL, test_client_on_done, &result2);
  g_assert_false (tessera_client_revoke_otp_finish (client, test_client_wait (&result2), NULL,
                                                    &error));
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (tessera_client_error_get_problem_code (error), ==, "otp_not_live");
}

/* Issues an OTP for a fresh account and redeems it; returns the request id. */
static char *
make_pending_request (TesseraClient  *admin,
                      char          **account_id,
                      char          **otp_id)
{
  g_autoptr(TesseraClient) device = test_client_new (server);
  g_autoptr(GPtrArray) ids = test_client_fresh_ready_accounts (admin, 1);
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  TesseraOtpResult *row;

  batch = test_client_generate (admin, (const char * const *) ids->pdata, NULL, &error);
  g_assert_no_error (error);
  row = g_ptr_array_index (tessera_otp_batch_get_results (batch), 0);

  redemption = test_client_redeem (device, tessera_otp_result_get_code (row), "SN-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_redemption_get_state (redemption), ==, TESSERA_REQUEST_PENDING);
  g_assert_nonnull (tessera_redemption_get_poll_token (redemption));

  account = test_client_get_account (admin, g_ptr_array_index (ids, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_account_get_provisioning_state (account), ==,
                   TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);
  g_assert_nonnull (tessera_account_get_request_id (account));

  if (account_id != NULL)
    *account_id = g_strdup (g_ptr_array_index (ids, 0));
  if (otp_id != NULL)
    *otp_id = g_strdup (tessera_otp_result_get_otp_id (row));

  return g_strdup (tessera_account_get_request_id (account));
}

static void
test_redeem_poll_and_invalid_code (void)
{
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraClient) device = test_client_new (server);
  g_autoptr(GPtrArray) ids = test_client_fresh_ready_accounts (admin, 1);
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(TesseraRedemption) polled = NULL;
  g_autoptr(TesseraRedemption) reused = NULL;
  g_autoptr(TesseraRedemption) bad_poll = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  const char *code;

  batch = test_client_generate (admin, (const char * const *) ids->pdata, NULL, &error);
  g_assert_no_error (error);
  code = tessera_otp_result_get_code (g_ptr_array_index (tessera_otp_batch_get_results (batch), 0));

  g_assert_false (tessera_client_has_token (device));
  redemption = test_client_redeem (device, code, "SN-2", &error);
  g_assert_no_error (error);

  tessera_client_device_poll_async (device, tessera_redemption_get_id (redemption),
                                    tessera_redemption_get_poll_token (redemption), NULL,
                                    test_client_on_done, &result);
  polled = tessera_client_device_poll_finish (device, test_client_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_redemption_get_state (polled), ==, TESSERA_REQUEST_PENDING);
  g_assert_null (tessera_redemption_get_sign_in_upn (polled));

  /* The same code again: one answer for every unusable code. */
  reused = test_client_redeem (device, code, "SN-2", &error);
  g_assert_null (reused);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (tessera_client_error_get_problem_code (error), ==, "invalid_otp");
  g_clear_error (&error);

  /* A wrong poll token */
  tessera_client_device_poll_async (device, tessera_redemption_get_id (redemption),
                                    "wrong-poll-token-wrong-poll-token-wrong-poll", NULL,
                                    test_client_on_done, &result2);
  bad_poll = tessera_client_device_poll_finish (device, test_client_wait (&result2), &error);
  g_assert_null (bad_poll);
  g_assert_true (g_error_matches (error, TESSERA_CLIENT_ERROR,
                                  TESSERA_CLIENT_ERROR_NOT_AUTHORIZED) ||
                 g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_FOUND));
}

static void
test_list_and_get_requests (void)
{
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraClient) viewer = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autofree char *request_id = make_pending_request (admin, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;
  guint total = 0;

  tessera_client_list_requests_async (viewer, 0, NULL, 0, NULL, test_client_on_done, &result);
  pending = tessera_client_list_requests_finish (viewer, test_client_wait (&result), NULL, &total,
                                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, >=, 1);
  for (guint i = 0; i < pending->len; i++)
    {
      TesseraRequest *item = g_ptr_array_index (pending, i);

      g_assert_cmpint (tessera_request_get_state (item), ==, TESSERA_REQUEST_PENDING);
      found |= g_str_equal (tessera_request_get_id (item), request_id);
    }
  g_assert_true (found);

  tessera_client_get_request_async (viewer, request_id, NULL, test_client_on_done, &result2);
  request = tessera_client_get_request_finish (viewer, test_client_wait (&result2), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tessera_request_get_device_serial_number (request), ==, "SN-1");
  g_assert_cmpstr (tessera_request_get_requested_by (request), ==, TESSERA_TEST_ADMIN);
}

static void
test_resolve_twice_conflicts_with_who_and_when (void)
{
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraClient) admin2 = test_client_new_signed_in (server, TESSERA_TEST_ADMIN2);
  g_autofree char *request_id = make_pending_request (admin, NULL, NULL);
  g_autoptr(TesseraRequest) approved = NULL;
  g_autoptr(TesseraRequest) late = NULL;
  g_autoptr(GError) error = NULL;
  TesseraRequest *current;

  approved = test_client_resolve (admin2, request_id, TESSERA_DECISION_APPROVE,
                                  TESSERA_REJECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tessera_request_get_state (approved), ==, TESSERA_REQUEST_APPROVED);
  g_assert_cmpstr (tessera_request_get_resolved_by (approved), ==, TESSERA_TEST_ADMIN2);

  /* The other admin, a moment too late */
  late = test_client_resolve (admin, request_id, TESSERA_DECISION_REJECT,
                              TESSERA_REJECTION_WRONG_ROOM, "late", &error);
  g_assert_null (late);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (tessera_client_error_get_problem_code (error), ==, "already_resolved");
  current = tessera_client_error_get_request (error);
  g_assert_nonnull (current);
  g_assert_cmpstr (tessera_request_get_id (current), ==, request_id);
  g_assert_cmpstr (tessera_request_get_resolved_by (current), ==, TESSERA_TEST_ADMIN2);
  g_assert_nonnull (tessera_request_get_resolved_at (current));
  g_assert_nonnull (strstr (error->message, TESSERA_TEST_ADMIN2));

  /* Resolved requests are listed when asked for every state, not by default. */
  {
    g_autoptr(GAsyncResult) r1 = NULL;
    g_autoptr(GAsyncResult) r2 = NULL;
    g_autoptr(GPtrArray) all = NULL;
    g_autoptr(GPtrArray) pending = NULL;
    g_autoptr(GError) list_error = NULL;
    gboolean in_all = FALSE, in_pending = FALSE;

    tessera_client_list_requests_async (admin, TESSERA_CLIENT_ALL_REQUEST_STATES, NULL, 1000,
                                        NULL, test_client_on_done, &r1);
    all = tessera_client_list_requests_finish (admin, test_client_wait (&r1), NULL, NULL,
                                               &list_error);
    g_assert_no_error (list_error);
    tessera_client_list_requests_async (admin, 0, NULL, 1000, NULL, test_client_on_done, &r2);
    pending = tessera_client_list_requests_finish (admin, test_client_wait (&r2), NULL, NULL,
                                                   &list_error);
    g_assert_no_error (list_error);

    for (guint i = 0; i < all->len; i++)
      in_all |= g_str_equal (tessera_request_get_id (g_ptr_array_index (all, i)), request_id);
    for (guint i = 0; i < pending->len; i++)
      in_pending |= g_str_equal (tessera_request_get_id (g_ptr_array_index (pending, i)),
                                 request_id);
    g_assert_true (in_all);
    g_assert_false (in_pending);
  }
}

static void
test_reject_without_reason_names_the_field (void)
{
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autofree char *request_id = make_pending_request (admin, NULL, NULL);
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const TesseraProblem *problem;

  request = test_client_resolve (admin, request_id, TESSERA_DECISION_REJECT,
                                 TESSERA_REJECTION_NONE, NULL, &error);
  g_assert_null (request);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_REQUEST);
  problem = tessera_client_error_get_problem (error);
  g_assert_nonnull (problem);
  g_assert_nonnull (problem->detail);
  g_assert_nonnull (strstr (problem->detail, "reason"));
  g_assert_nonnull (strstr (error->message, "reason"));
}

static void
test_expired_request_is_gone (void)
{
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autofree char *otp_id = NULL;
  g_autofree char *request_id = make_pending_request (admin, NULL, &otp_id);
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  /* As if the OTP's validity had run out a minute ago */
  tessera_test_db_set_otp_expiry (tessera_test_server_get_db_path (server), otp_id,
                                  g_get_real_time () - 60 * G_USEC_PER_SEC);

  request = test_client_resolve (admin, request_id, TESSERA_DECISION_APPROVE,
                                 TESSERA_REJECTION_NONE, NULL, &error);
  g_assert_null (request);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_GONE);
  g_assert_cmpstr (tessera_client_error_get_problem_code (error), ==, "request_expired");
}

static void
test_separation_of_duties_is_forbidden (void)
{
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraSettingsPatch) on = tessera_settings_patch_new ();
  g_autoptr(TesseraSettingsPatch) off = tessera_settings_patch_new ();
  g_autoptr(TesseraSettings) settings = NULL;
  g_autoptr(TesseraSettings) restored = NULL;
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request_id = NULL;

  on->has_separation_of_duties = TRUE;
  on->separation_of_duties = TRUE;
  tessera_client_update_settings_async (admin, on, NULL, test_client_on_done, &result);
  settings = tessera_client_update_settings_finish (admin, test_client_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_true (tessera_settings_get_separation_of_duties (settings));

  request_id = make_pending_request (admin, NULL, NULL);
  request = test_client_resolve (admin, request_id, TESSERA_DECISION_APPROVE,
                                 TESSERA_REJECTION_NONE, NULL, &error);
  g_assert_null (request);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_FORBIDDEN);
  g_assert_cmpstr (tessera_client_error_get_problem_code (error), ==, "separation_of_duties");

  off->has_separation_of_duties = TRUE;
  off->separation_of_duties = FALSE;
  tessera_client_update_settings_async (admin, off, NULL, test_client_on_done, &result2);
  restored = tessera_client_update_settings_finish (admin, test_client_wait (&result2), NULL);
  g_assert_nonnull (restored);
  g_assert_false (tessera_settings_get_separation_of_duties (restored));
}

static void
test_settings_update_keeps_what_is_left_out (void)
{
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraClient) viewer = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraSettingsPatch) patch = tessera_settings_patch_new ();
  g_autoptr(TesseraSettingsPatch) invalid = tessera_settings_patch_new ();
  g_autoptr(TesseraSettings) before = NULL;
  g_autoptr(TesseraSettings) after = NULL;
  g_autoptr(TesseraSettings) seen = NULL;
  g_autoptr(TesseraSettings) refused = NULL;
  g_autoptr(TesseraSettings) viewer_refused = NULL;
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL;
  g_autoptr(GError) error = NULL;

  tessera_client_get_settings_async (viewer, NULL, test_client_on_done, &r1);
  before = tessera_client_get_settings_finish (viewer, test_client_wait (&r1), &error);
  g_assert_no_error (error);

  patch->has_otp_validity_hours = TRUE;
  patch->otp_validity_hours = tessera_settings_get_otp_validity_hours (before) == 24 ? 12 : 24;
  tessera_client_update_settings_async (admin, patch, NULL, test_client_on_done, &r2);
  after = tessera_client_update_settings_finish (admin, test_client_wait (&r2), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tessera_settings_get_otp_validity_hours (after), ==, patch->otp_validity_hours);
  g_assert_cmpint (tessera_settings_get_auto_approve (after), ==,
                   tessera_settings_get_auto_approve (before));

  tessera_client_get_settings_async (viewer, NULL, test_client_on_done, &r3);
  seen = tessera_client_get_settings_finish (viewer, test_client_wait (&r3), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tessera_settings_get_otp_validity_hours (seen), ==, patch->otp_validity_hours);

  invalid->has_otp_validity_hours = TRUE;
  invalid->otp_validity_hours = 337;
  tessera_client_update_settings_async (admin, invalid, NULL, test_client_on_done, &r4);
  refused = tessera_client_update_settings_finish (admin, test_client_wait (&r4), &error);
  g_assert_null (refused);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (tessera_client_error_get_problem (error)->detail,
                            "otp_validity_hours"));
  g_clear_error (&error);

  tessera_client_update_settings_async (viewer, patch, NULL, test_client_on_done, &r5);
  viewer_refused = tessera_client_update_settings_finish (viewer, test_client_wait (&r5), &error);
  g_assert_null (viewer_refused);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_FORBIDDEN);
}

static void
test_audit_lists_entries_for_admins_only (void)
{
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraClient) viewer = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  guint total = 0;

  tessera_client_list_audit_async (admin, NULL, 5, NULL, test_client_on_done, &result);
  entries = tessera_client_list_audit_finish (admin, test_client_wait (&result), &next, &total,
                                              &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, >, 0);
  g_assert_cmpuint (entries->len, <=, 5);
  g_assert_cmpuint (total, >=, entries->len);
  for (guint i = 0; i < entries->len; i++)
    g_assert_nonnull (tessera_audit_entry_get_action (g_ptr_array_index (entries, i)));

  tessera_client_list_audit_async (viewer, NULL, 5, NULL, test_client_on_done, &result2);
  refused = tessera_client_list_audit_finish (viewer, test_client_wait (&result2), NULL, NULL,
                                              &error);
  g_assert_null (refused);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_FORBIDDEN);
}

static void
test_throttled_redemption_is_rate_limited_with_retry_after (void)
{
  g_autoptr(TesseraTestServer) throttled = tessera_test_server_new (NULL);
  g_autoptr(TesseraClient) device = test_client_new (throttled);
  g_autoptr(GError) error = NULL;

  /* A code with a valid check character that was never issued: "0000…0" */
  for (guint attempt = 1; attempt <= 11; attempt++)
    {
      g_autoptr(TesseraRedemption) redemption = NULL;

      g_clear_error (&error);
      redemption = test_client_redeem (device, "0000000000000000", "SN-X", &error);
      g_assert_null (redemption);
      if (attempt <= 10)
        {
          g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_REQUEST);
          g_assert_cmpstr (tessera_client_error_get_problem_code (error), ==, "invalid_otp");
        }
    }

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (tessera_client_error_get_http_status (error), ==, 429);
  g_assert_cmpuint (tessera_client_error_get_retry_after (error), >, 0);
  g_assert_cmpuint (tessera_client_error_get_retry_after (error), <=, 15 * 60);
}

int
main (int    argc,
      char **argv)
{
  TesseraTestServerOptions options = { .demo_accounts = 120 };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = tessera_test_server_new (&options);

  g_test_add_func ("/client/server/health-check-recognises-tessera",
                   test_health_check_recognises_tessera);
  g_test_add_func ("/client/server/sign-in-returns-session-and-keeps-token",
                   test_sign_in_returns_session_and_keeps_token);
  g_test_add_func ("/client/server/wrong-password-is-invalid-credentials",
                   test_wrong_password_is_invalid_credentials);
  g_test_add_func ("/client/server/unknown-token-is-not-authorized",
                   test_unknown_token_is_not_authorized);
  g_test_add_func ("/client/server/sign-out-revokes-the-token", test_sign_out_revokes_the_token);
  g_test_add_func ("/client/server/list-accounts-pages-with-cursor-and-total",
                   test_list_accounts_pages_with_cursor_and_total);
  g_test_add_func ("/client/server/list-accounts-filters", test_list_accounts_filters);
  g_test_add_func ("/client/server/get-account-and-unknown-id", test_get_account_and_unknown_id);
  g_test_add_func ("/client/server/viewer-cannot-generate", test_viewer_cannot_generate);
  g_test_add_func ("/client/server/generate-issues-codes-once-per-idempotency-key",
                   test_generate_issues_codes_once_per_idempotency_key);
  g_test_add_func ("/client/server/revoke-returns-the-account-then-conflicts",
                   test_revoke_returns_the_account_then_conflicts);
  g_test_add_func ("/client/server/redeem-poll-and-invalid-code",
                   test_redeem_poll_and_invalid_code);
  g_test_add_func ("/client/server/list-and-get-requests", test_list_and_get_requests);
  g_test_add_func ("/client/server/resolve-twice-conflicts-with-who-and-when",
                   test_resolve_twice_conflicts_with_who_and_when);
  g_test_add_func ("/client/server/reject-without-reason-names-the-field",
                   test_reject_without_reason_names_the_field);
  g_test_add_func ("/client/server/expired-request-is-gone", test_expired_request_is_gone);
  g_test_add_func ("/client/server/separation-of-duties-is-forbidden",
                   test_separation_of_duties_is_forbidden);
  g_test_add_func ("/client/server/settings-update-keeps-what-is-left-out",
                   test_settings_update_keeps_what_is_left_out);
  g_test_add_func ("/client/server/audit-lists-entries-for-admins-only",
                   test_audit_lists_entries_for_admins_only);
  g_test_add_func ("/client/server/throttled-redemption-is-rate-limited-with-retry-after",
                   test_throttled_redemption_is_rate_limited_with_retry_after);

  status = g_test_run ();
  tessera_test_server_free (server);

  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * POST /api/v1/otp-batches and POST /api/v1/otps/{id}/revoke (DESIGN §1.1, §3, §4), against a
 * real tessera-server with demo data.
 */
#include "config.h"

#include <string.h>

#include "tessera-otp-code.h"
#include "tessera-test-api.h"

static TesseraTestServer *server;
static TesseraTestClient *client;
static char *admin_token;
static char *viewer_token;

/* Asserts @text is within a minute of now + @hours. */
static void
assert_expires_in_hours (const char *text,
                         int         hours)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (text, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan delta;

  g_assert_nonnull (at);
  /* RFC 3339 in UTC (DESIGN §4). */
  g_assert_true (g_str_has_suffix (text, "Z"));
  delta = g_date_time_difference (at, now) - hours * G_TIME_SPAN_HOUR;
  g_assert_cmpint (delta, >, -G_TIME_SPAN_MINUTE);
  g_assert_cmpint (delta, <, G_TIME_SPAN_MINUTE);
}

static TesseraTestResponse *
post_batch (const char *body,
            const char *idempotency_key)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  const char *headers[] = { "Idempotency-Key", idempotency_key, NULL };

  return tessera_test_client_request_full (client, "POST", "/api/v1/otp-batches", admin_token,
                                           "application/json", bytes,
                                           idempotency_key != NULL ? headers : NULL);
}

static char *
account_with_readiness (const char *readiness)
{
  g_autofree char *query = g_strdup_printf ("readiness=%s&provisioning=not_started", readiness);
  g_autoptr(GPtrArray) ids = tessera_test_api_list_account_ids (client, admin_token, query);

  g_assert_cmpuint (ids->len, >, 0);
  return g_strdup (ids->pdata[0]);
}

static void
test_batch_issues_codes_in_the_documented_format (void)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 3);
  g_autofree char *body = tessera_test_api_batch_body ((const char * const *) ids->pdata, ids->len,
                                                       NULL);
  g_autoptr(TesseraTestResponse) response = post_batch (body, NULL);
  JsonArray *results;

  tessera_test_assert_json (response, 201);
  g_assert_nonnull (tessera_test_json_get_string (response->json, "id"));
  g_assert_nonnull (tessera_test_json_get_string (response->json, "created_at"));
  results = tessera_test_json_get_array (response->json, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      JsonNode *row = json_array_get_element (results, i);
      const char *code = tessera_test_json_get_string (row, "otp.code");
      char normalized[TESSERA_OTP_CODE_LENGTH + 1];
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) account = NULL;

      g_assert_cmpstr (tessera_test_json_get_string (row, "account_id"), ==, ids->pdata[i]);
      g_assert_cmpstr (tessera_test_json_get_string (row, "status"), ==, "issued");
      g_assert_nonnull (tessera_test_json_get_string (row, "otp.id"));
      /* On the wire the code is normalised (tessera-otp-result.h): 16 characters of the
       * alphabet with a valid check character (DESIGN §3); clients format it for people. */
      g_assert_nonnull (code);
      g_assert_true (tessera_otp_code_normalize (code, normalized, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (code, ==, normalized);
      g_assert_true (tessera_otp_code_is_valid (code));
      /* The organisation's default validity: 8 hours. */
      assert_expires_in_hours (tessera_test_json_get_string (row, "otp.expires_at"), 8);
      /* Passwords only when asked for. */
      g_assert_false (tessera_test_json_has (row, "password"));

      account = tessera_test_api_get_account (client, viewer_token, ids->pdata[i]);
      g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==,
                       "otp_issued");
      g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.otp_id"), ==,
                       tessera_test_json_get_string (row, "otp.id"));
      g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.issued_by"), ==,
                       "admin");
      g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.expires_at"), ==,
                       tessera_test_json_get_string (row, "otp.expires_at"));
    }

  /* Three different codes. */
  g_assert_cmpstr (tessera_test_json_get_string (response->json, "results.0.otp.code"), !=,
                   tessera_test_json_get_string (response->json, "results.1.otp.code"));
  g_assert_cmpstr (tessera_test_json_get_string (response->json, "results.1.otp.code"), !=,
                   tessera_test_json_get_string (response->json, "results.2.otp.code"));
}

static void
test_validity_hours_of_the_batch_set_the_expiry (void)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autofree char *body = tessera_test_api_batch_body ((const char * const *) ids->pdata, 1,
                                                       ",\"validity_hours\":336");
  g_autoptr(TesseraTestResponse) response = post_batch (body, NULL);
  const char *refused_values[] = { "0", "337", "-1", "\"8\"" };

  tessera_test_assert_json (response, 201);
  assert_expires_in_hours (tessera_test_json_get_string (response->json, "results.0.otp.expires_at"),
                           336);

  for (gsize i = 0; i < G_N_ELEMENTS (refused_values); i++)
    {
      g_autofree char *extra = g_strdup_printf (",\"validity_hours\":%s", refused_values[i]);
      g_autofree char *bad = tessera_test_api_batch_body ((const char * const *) ids->pdata, 1,
                                                          extra);
      g_autoptr(TesseraTestResponse) refused = post_batch (bad, NULL);

      tessera_test_assert_problem (refused, 400, NULL);
      g_assert_nonnull (strstr (tessera_test_json_get_string (refused->json, "detail"),
                                "validity_hours"));
    }
}

static void
test_not_ready_accounts_are_refused_per_row_and_get_no_otp (void)
{
  g_autoptr(GPtrArray) ready = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autofree char *change = account_with_readiness ("change_settings");
  g_autofree char *license = account_with_readiness ("no_valid_license");
  const char *ids[] = { change, ready->pdata[0], license, "no-such-account" };
  g_autofree char *body = tessera_test_api_batch_body (ids, G_N_ELEMENTS (ids),
                                                       ",\"return_passwords\":true");
  g_autoptr(TesseraTestResponse) response = post_batch (body, NULL);
  JsonArray *results;

  tessera_test_assert_json (response, 201);
  results = tessera_test_json_get_array (response->json, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, G_N_ELEMENTS (ids));

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      JsonNode *row = json_array_get_element (results, i);
      gboolean is_ready = (i == 1);

      g_assert_cmpstr (tessera_test_json_get_string (row, "account_id"), ==, ids[i]);
      g_assert_cmpstr (tessera_test_json_get_string (row, "status"), ==,
                       is_ready ? "issued" : "refused");
      if (is_ready)
        continue;
      /* A refused row says why, and carries no secret of any kind. */
      g_assert_nonnull (tessera_test_json_get_string (row, "error.code"));
      g_assert_nonnull (tessera_test_json_get_string (row, "error.detail"));
      g_assert_false (tessera_test_json_has (row, "otp"));
      g_assert_false (tessera_test_json_has (row, "password"));
    }

  /* Nothing was issued for the refused accounts: their state and history are untouched. */
  for (guint i = 0; i < 3; i += 2)
    {
      g_autoptr(JsonNode) account = tessera_test_api_get_account (client, admin_token, ids[i]);

      g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==,
                       "not_started");
      g_assert_cmpuint (json_array_get_length (tessera_test_json_get_array (account, "otps")),
                        ==, 0);
    }
}

static void
test_provided_passwords_are_used_and_missing_rows_refused (void)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 2);
  g_autoptr(JsonNode) first = tessera_test_api_get_account (client, admin_token, ids->pdata[0]);
  g_autofree char *upn = tessera_test_json_quote (tessera_test_json_get_string (first, "upn"));
  g_autofree char *password = tessera_test_random_string ("Provided-");
  g_autofree char *quoted_first = tessera_test_json_quote (ids->pdata[0]);
  g_autofree char *quoted_second = tessera_test_json_quote (ids->pdata[1]);
  g_autofree char *body = NULL;
  g_autoptr(TesseraTestResponse) response = NULL;
  g_autoptr(TesseraTestRedeemed) redeemed = NULL;
  g_autoptr(TesseraTestResponse) approved = NULL;
  g_autoptr(TesseraTestResponse) poll = NULL;
  g_autofree char *request_id = NULL;

  /* Sign-in data for the first account only: the second has no password to hand out. */
  body = g_strdup_printf ("{\"account_ids\":[%s,%s],\"password_mode\":\"provided\","
                          "\"sign_in_data\":[{\"upn\":%s,\"password\":\"%s\"}],"
                          "\"return_passwords\":true}",
                          quoted_first, quoted_second, upn, password);
  response = post_batch (body, NULL);
  tessera_test_assert_json (response, 201);
  g_assert_cmpstr (tessera_test_json_get_string (response->json, "results.0.status"), ==, "issued");
  g_assert_cmpstr (tessera_test_json_get_string (response->json, "results.0.password"), ==,
                   password);
  g_assert_cmpstr (tessera_test_json_get_string (response->json, "results.1.status"), ==, "refused");

  /* The console gets exactly the provided password after approval. */
  redeemed = tessera_test_api_redeem (client, tessera_test_json_get_string (response->json,
                                                                            "results.0.otp.code"));
  request_id = tessera_test_api_request_id_for (client, admin_token, ids->pdata[0]);
  approved = tessera_test_api_resolve (client, admin_token, request_id, "approve", NULL);
  tessera_test_assert_json (approved, 200);
  poll = tessera_test_api_poll (client, redeemed);
  tessera_test_assert_json (poll, 200);
  g_assert_cmpstr (tessera_test_json_get_string (poll->json, "sign_in.password"), ==, password);
}

static void
test_reissue_revokes_the_previous_otp (void)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autoptr(TesseraTestIssued) first = tessera_test_api_issue (client, admin_token, ids->pdata[0]);
  g_autoptr(TesseraTestIssued) second = tessera_test_api_issue (client, admin_token, ids->pdata[0]);
  g_autofree char *old_body = tessera_test_api_redemption_body (first->code, "SN-OLD");
  g_autoptr(TesseraTestResponse) old = NULL;
  g_autoptr(TesseraTestRedeemed) redeemed = NULL;

  /* At most one live OTP per account: the first code no longer works … */
  old = tessera_test_client_request (client, "POST", "/api/v1/device/redemptions", NULL, old_body);
  tessera_test_assert_problem (old, 400, "invalid_otp");
  /* … the second does. */
  redeemed = tessera_test_api_redeem (client, second->code);
  g_assert_cmpstr (redeemed->state, ==, "pending");
}

static void
test_idempotency_key_retry_is_409_and_issues_nothing (void)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autofree char *body = tessera_test_api_batch_body ((const char * const *) ids->pdata, 1, NULL);
  g_autofree char *key = tessera_test_random_string ("batch-");
  g_autoptr(TesseraTestResponse) first = post_batch (body, key);
  g_autoptr(TesseraTestResponse) retry = post_batch (body, key);
  g_autoptr(TesseraTestResponse) other_key = NULL;
  g_autoptr(JsonNode) account = NULL;
  g_autofree char *key2 = tessera_test_random_string ("batch-");

  tessera_test_assert_json (first, 201);
  tessera_test_assert_problem (retry, 409, "batch_exists");

  /* The retry issued nothing: one OTP, still the first one, still live. */
  account = tessera_test_api_get_account (client, admin_token, ids->pdata[0]);
  g_assert_cmpuint (json_array_get_length (tessera_test_json_get_array (account, "otps")), ==, 1);
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.otp_id"), ==,
                   tessera_test_json_get_string (first->json, "results.0.otp.id"));
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==, "otp_issued");

  /* A new key is a new batch. */
  other_key = post_batch (body, key2);
  tessera_test_assert_json (other_key, 201);
}

static void
test_batch_over_1000_accounts_or_empty_is_refused (void)
{
  g_autoptr(GPtrArray) ready = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *body = NULL;
  g_autoptr(TesseraTestResponse) response = NULL;
  g_autoptr(TesseraTestResponse) empty = NULL;
  g_autoptr(JsonNode) account = NULL;

  g_ptr_array_add (ids, g_strdup (ready->pdata[0]));
  for (guint i = 1; i < 1001; i++)
    g_ptr_array_add (ids, g_strdup_printf ("filler-%u", i));
  body = tessera_test_api_batch_body ((const char * const *) ids->pdata, ids->len, NULL);

  response = post_batch (body, NULL);
  tessera_test_assert_problem (response, 400, NULL);
  g_assert_nonnull (strstr (tessera_test_json_get_string (response->json, "detail"), "account_ids"));

  /* Refused as a whole: not even the one real account got an OTP. */
  account = tessera_test_api_get_account (client, admin_token, ready->pdata[0]);
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==, "not_started");

  empty = post_batch ("{\"account_ids\":[],\"password_mode\":\"generate\"}", NULL);
  tessera_test_assert_problem (empty, 400, NULL);
}

static void
test_revoke_makes_the_code_unusable (void)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin_token, ids->pdata[0]);
  g_autofree char *path = g_strdup_printf ("/api/v1/otps/%s/revoke", issued->otp_id);
  g_autofree char *redeem_body = tessera_test_api_redemption_body (issued->code, "SN-R");
  g_autoptr(TesseraTestResponse) revoked = NULL;
  g_autoptr(TesseraTestResponse) redeem = NULL;
  g_autoptr(TesseraTestResponse) again = NULL;
  g_autoptr(TesseraTestResponse) unknown = NULL;
  g_autoptr(JsonNode) account = NULL;

  revoked = tessera_test_client_request (client, "POST", path, admin_token, NULL);
  tessera_test_assert_json (revoked, 200);
  g_assert_cmpstr (tessera_test_json_get_string (revoked->json, "id"), ==, issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (revoked->json, "provisioning.state"), ==,
                   "otp_revoked");

  redeem = tessera_test_client_request (client, "POST", "/api/v1/device/redemptions", NULL,
                                        redeem_body);
  tessera_test_assert_problem (redeem, 400, "invalid_otp");

  again = tessera_test_client_request (client, "POST", path, admin_token, NULL);
  tessera_test_assert_problem (again, 409, "otp_not_live");

  unknown = tessera_test_client_request (client, "POST", "/api/v1/otps/no-such-otp/revoke",
                                         admin_token, NULL);
  tessera_test_assert_problem (unknown, 404, NULL);

  account = tessera_test_api_get_account (client, admin_token, issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (account, "otps.0.state"), ==, "revoked");
}

static void
test_viewer_cannot_issue_or_revoke (void)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autofree char *body = tessera_test_api_batch_body ((const char * const *) ids->pdata, 1, NULL);
  g_autoptr(TesseraTestResponse) issue = NULL;
  g_autoptr(JsonNode) account = NULL;

  issue = tessera_test_client_request (client, "POST", "/api/v1/otp-batches", viewer_token, body);
  tessera_test_assert_problem (issue, 403, NULL);
  account = tessera_test_api_get_account (client, admin_token, ids->pdata[0]);
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==, "not_started");
}

int
main (int   argc,
      char *argv[])
{
  TesseraTestServerOptions options = { .demo_accounts = 120 };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/otp/batch-issues-codes-in-the-documented-format",
                   test_batch_issues_codes_in_the_documented_format);
  g_test_add_func ("/server/otp/validity-hours-of-the-batch-set-the-expiry",
                   test_validity_hours_of_the_batch_set_the_expiry);
  g_test_add_func ("/server/otp/not-ready-accounts-are-refused-per-row-and-get-no-otp",
                   test_not_ready_accounts_are_refused_per_row_and_get_no_otp);
  g_test_add_func ("/server/otp/provided-passwords-are-used-and-missing-rows-refused",
                   test_provided_passwords_are_used_and_missing_rows_refused);
  g_test_add_func ("/server/otp/reissue-revokes-the-previous-otp",
                   test_reissue_revokes_the_previous_otp);
  g_test_add_func ("/server/otp/idempotency-key-retry-is-409-and-issues-nothing",
                   test_idempotency_key_retry_is_409_and_issues_nothing);
  g_test_add_func ("/server/otp/batch-over-1000-accounts-or-empty-is-refused",
                   test_batch_over_1000_accounts_or_empty_is_refused);
  g_test_add_func ("/server/otp/revoke-makes-the-code-unusable",
                   test_revoke_makes_the_code_unusable);
  g_test_add_func ("/server/otp/viewer-cannot-issue",
                   test_viewer_cannot_issue_or_revoke);

  server = tessera_test_server_new (&options);
  client = tessera_test_client_new (server, NULL);
  admin_token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  viewer_token = tessera_test_server_sign_in (server, TESSERA_TEST_VIEWER);

  status = g_test_run ();

  g_free (admin_token);
  g_free (viewer_token);
  tessera_test_client_free (client);
  tessera_test_server_free (server);
  return status;
}

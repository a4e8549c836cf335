/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Expiry of OTPs and requests (DESIGN §3): time is moved forward for one OTP by rewriting its
 * expiry in the running server's SQLite database (WAL allows the second writer).
 */
#include "config.h"

#include "tessera-test-api.h"
#include "tessera-test-db.h"

static TesseraTestServer *server;
static TesseraTestClient *client;
static char *admin_token;

static void
expire_now (const char *otp_id)
{
  /* One second ago: due, whatever the server's clock granularity. */
  tessera_test_db_set_otp_expiry (tessera_test_server_get_db_path (server), otp_id,
                                  g_get_real_time () - G_USEC_PER_SEC);
}

static void
test_expired_otp_shows_otp_expired_and_cannot_be_redeemed (void)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin_token, ids->pdata[0]);
  g_autofree char *body = tessera_test_api_redemption_body (issued->code, "SN-LATE");
  g_autoptr(JsonNode) account = NULL;
  g_autoptr(TesseraTestResponse) redeem = NULL;
  g_autoptr(GPtrArray) expired = NULL;

  expire_now (issued->otp_id);

  account = tessera_test_api_get_account (client, admin_token, issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==, "otp_expired");
  g_assert_cmpstr (tessera_test_json_get_string (account, "otps.0.id"), ==, issued->otp_id);
  g_assert_cmpstr (tessera_test_json_get_string (account, "otps.0.state"), ==, "expired");

  expired = tessera_test_api_list_account_ids (client, admin_token, "provisioning=otp_expired");
  g_assert_true (g_ptr_array_find_with_equal_func (expired, issued->account_id, g_str_equal, NULL));

  redeem = tessera_test_client_request (client, "POST", "/api/v1/device/redemptions", NULL, body);
  tessera_test_assert_problem (redeem, 400, "invalid_otp");
}

static void
test_expired_request_is_expired_and_its_resolution_is_410 (void)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin_token, ids->pdata[0]);
  g_autoptr(TesseraTestRedeemed) redeemed = tessera_test_api_redeem (client, issued->code);
  g_autofree char *request_id = tessera_test_api_request_id_for (client, admin_token,
                                                                 issued->account_id);
  g_autofree char *path = g_strdup_printf ("/api/v1/requests/%s", request_id);
  g_autoptr(TesseraTestResponse) request = NULL;
  g_autoptr(TesseraTestResponse) resolution = NULL;
  g_autoptr(TesseraTestResponse) poll = NULL;
  g_autoptr(JsonNode) account = NULL;

  expire_now (issued->otp_id);

  request = tessera_test_client_request (client, "GET", path, admin_token, NULL);
  tessera_test_assert_json (request, 200);
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "state"), ==, "expired");

  account = tessera_test_api_get_account (client, admin_token, issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==, "otp_expired");

  resolution = tessera_test_api_resolve (client, admin_token, request_id, "approve", NULL);
  tessera_test_assert_problem (resolution, 410, "request_expired");

  /* The console learns it too, and gets no sign-in data. */
  poll = tessera_test_api_poll (client, redeemed);
  tessera_test_assert_json (poll, 200);
  g_assert_cmpstr (tessera_test_json_get_string (poll->json, "state"), ==, "expired");
  g_assert_false (tessera_test_json_has (poll->json, "sign_in"));
}

static void
test_approved_but_uncollected_sign_in_expires (void)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin_token, ids->pdata[0]);
  g_autoptr(TesseraTestRedeemed) redeemed = tessera_test_api_redeem (client, issued->code);
  g_autofree char *request_id = tessera_test_api_request_id_for (client, admin_token,
                                                                 issued->account_id);
  g_autoptr(TesseraTestResponse) approved = NULL;
  g_autoptr(TesseraTestResponse) poll = NULL;

  approved = tessera_test_api_resolve (client, admin_token, request_id, "approve", NULL);
  tessera_test_assert_json (approved, 200);

  /* A password waiting for a console that never came back must not wait forever. */
  expire_now (issued->otp_id);
  poll = tessera_test_api_poll (client, redeemed);
  tessera_test_assert_json (poll, 200);
  g_assert_false (tessera_test_json_has (poll->json, "sign_in"));
  g_assert_cmpstr (tessera_test_json_get_string (poll->json, "state"), ==, "expired");
}

int
main (int   argc,
      char *argv[])
{
  TesseraTestServerOptions options = { .demo_accounts = 40 };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/expiry/expired-otp-shows-otp-expired-and-cannot-be-redeemed",
                   test_expired_otp_shows_otp_expired_and_cannot_be_redeemed);
  g_test_add_func ("/server/expiry/expired-request-is-expired-and-its-resolution-is-410",
                   test_expired_request_is_expired_and_its_resolution_is_410);
  g_test_add_func ("/server/expiry/approved-but-uncollected-sign-in-expires",
                   test_approved_but_uncollected_sign_in_expires);

  server = tessera_test_server_new (&options);
  client = tessera_test_client_new (server, NULL);
  admin_token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);

  status = g_test_run ();

  g_free (admin_token);
  tessera_test_client_free (client);
  tessera_test_server_free (server);
  return status;
}

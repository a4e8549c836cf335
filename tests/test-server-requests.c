/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Redemption by the console, requests, resolution and polling (DESIGN §1.2–1.4, §4), against a
 * real tessera-server with demo data.
 */
#include "config.h"

#include <string.h>

#include "tessera-otp-code.h"
#include "tessera-test-api.h"

static TesseraTestServer *server;
static TesseraTestClient *client;
static char *admin_token;
static char *admin2_token;
static char *viewer_token;

/* A fresh ready account with an OTP, redeemed by a console; returns the request id. */
static char *
redeemed_request (TesseraTestIssued   **issued_out,
                  TesseraTestRedeemed **redeemed_out)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin_token, ids->pdata[0]);
  g_autoptr(TesseraTestRedeemed) redeemed = tessera_test_api_redeem (client, issued->code);
  char *request_id = tessera_test_api_request_id_for (client, admin_token, issued->account_id);

  if (issued_out != NULL)
    *issued_out = g_steal_pointer (&issued);
  if (redeemed_out != NULL)
    *redeemed_out = g_steal_pointer (&redeemed);
  return request_id;
}

static void
test_redemption_creates_a_pending_request (void)
{
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin_token, ids->pdata[0]);
  g_autoptr(TesseraTestResponse) redeemed = NULL;
  g_autoptr(TesseraTestResponse) request = NULL;
  g_autoptr(JsonNode) account = NULL;
  g_autoptr(GString) typed = g_string_new (NULL);
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  const char *request_id;

  /* Typed the way a person might: lower case, spaces for dashes (DESIGN §3 normalisation). */
  char normalized[TESSERA_OTP_CODE_LENGTH + 1];
  g_autofree char *formatted = NULL;

  g_assert_true (tessera_otp_code_normalize (issued->code, normalized, NULL));
  formatted = tessera_otp_code_format (normalized);
  for (const char *c = formatted; *c != '\0'; c++)
    g_string_append_c (typed, *c == '-' ? ' ' : g_ascii_tolower (*c));
  body = tessera_test_api_redemption_body (typed->str, "SN-12345");

  redeemed = tessera_test_client_request (client, "POST", "/api/v1/device/redemptions", NULL, body);
  tessera_test_assert_json (redeemed, 201);
  g_assert_cmpstr (tessera_test_json_get_string (redeemed->json, "state"), ==, "pending");
  g_assert_cmpuint (strlen (tessera_test_json_get_string (redeemed->json, "poll_token")), >=, 43);
  g_assert_cmpstr (tessera_test_json_get_string (redeemed->json, "expires_at"), ==,
                   issued->expires_at);

  account = tessera_test_api_get_account (client, viewer_token, issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==,
                   "awaiting_otp_approval");
  request_id = tessera_test_json_get_string (account, "provisioning.request_id");
  g_assert_nonnull (request_id);

  path = g_strdup_printf ("/api/v1/requests/%s", request_id);
  request = tessera_test_client_request (client, "GET", path, viewer_token, NULL);
  tessera_test_assert_json (request, 200);
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "id"), ==, request_id);
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "state"), ==, "pending");
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "account.id"), ==,
                   issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "account.upn"), ==,
                   tessera_test_json_get_string (account, "upn"));
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "requested_by"), ==, "admin");
  g_assert_nonnull (tessera_test_json_get_string (request->json, "requested_at"));
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "expires_at"), ==,
                   issued->expires_at);
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "device.make"), ==, "Contoso");
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "device.model"), ==, "RoomPanel 10");
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "device.serial_number"), ==,
                   "SN-12345");
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "source_address"), ==, "127.0.0.1");
  g_assert_false (tessera_test_json_has (request->json, "resolved_by"));

  {
    g_autoptr(TesseraTestResponse) pending = NULL;
    JsonArray *items;
    gboolean found = FALSE;

    /* The default filter is pending. */
    pending = tessera_test_client_request (client, "GET", "/api/v1/requests?limit=1000",
                                           viewer_token, NULL);
    tessera_test_assert_json (pending, 200);
    items = tessera_test_json_get_array (pending->json, "items");
    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonNode *item = json_array_get_element (items, i);

        g_assert_cmpstr (tessera_test_json_get_string (item, "state"), ==, "pending");
        found |= g_strcmp0 (tessera_test_json_get_string (item, "id"), request_id) == 0;
      }
    g_assert_true (found);
  }
}

static void
test_code_is_single_use (void)
{
  g_autoptr(TesseraTestIssued) issued = NULL;
  g_autoptr(TesseraTestRedeemed) redeemed = NULL;
  g_autofree char *request_id = redeemed_request (&issued, &redeemed);
  g_autofree char *body = tessera_test_api_redemption_body (issued->code, "SN-SECOND");
  g_autoptr(TesseraTestResponse) again = NULL;

  g_assert_nonnull (request_id);
  again = tessera_test_client_request (client, "POST", "/api/v1/device/redemptions", NULL, body);
  tessera_test_assert_problem (again, 400, "invalid_otp");
}

static void
test_unknown_used_and_revoked_codes_get_one_answer (void)
{
  g_autoptr(TesseraTestIssued) used = NULL;
  g_autofree char *request_id = redeemed_request (&used, NULL);
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  g_autoptr(TesseraTestIssued) revoked = tessera_test_api_issue (client, admin_token, ids->pdata[0]);
  g_autofree char *revoke_path = g_strdup_printf ("/api/v1/otps/%s/revoke", revoked->otp_id);
  g_autoptr(TesseraTestResponse) revoke = NULL;
  /* Well-formed (valid check character), never issued. */
  const char *codes[] = { used->code, revoked->code, "0000-0000-0000-0000" };
  g_autofree char *first_body = NULL;

  g_assert_nonnull (request_id);
  revoke = tessera_test_client_request (client, "POST", revoke_path, admin_token, NULL);
  tessera_test_assert_json (revoke, 200);

  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(TesseraTestClient) console = tessera_test_client_new (server, "127.0.0.7");
      g_autofree char *body = tessera_test_api_redemption_body (codes[i], "SN-X");
      g_autoptr(TesseraTestResponse) response = NULL;

      response = tessera_test_client_request (console, "POST", "/api/v1/device/redemptions", NULL,
                                              body);
      tessera_test_assert_problem (response, 400, "invalid_otp");
      /* Nothing tells an attacker which kind of wrong the code was. */
      if (first_body == NULL)
        first_body = g_strdup (response->body_text);
      else
        g_assert_cmpstr (response->body_text, ==, first_body);
    }
}

static void
test_poll_before_the_decision_is_pending (void)
{
  g_autoptr(TesseraTestRedeemed) redeemed = NULL;
  g_autofree char *request_id = redeemed_request (NULL, &redeemed);
  g_autoptr(TesseraTestResponse) poll = tessera_test_api_poll (client, redeemed);

  g_assert_nonnull (request_id);
  tessera_test_assert_json (poll, 200);
  g_assert_cmpstr (tessera_test_json_get_string (poll->json, "id"), ==, redeemed->id);
  g_assert_cmpstr (tessera_test_json_get_string (poll->json, "state"), ==, "pending");
  g_assert_false (tessera_test_json_has (poll->json, "sign_in"));
  /* The poll token is only handed out once. */
  g_assert_false (tessera_test_json_has (poll->json, "poll_token"));
}

static void
test_poll_needs_its_own_poll_token (void)
{
  g_autoptr(TesseraTestRedeemed) mine = NULL;
  g_autoptr(TesseraTestRedeemed) other = NULL;
  g_autofree char *request1 = redeemed_request (NULL, &mine);
  g_autofree char *request2 = redeemed_request (NULL, &other);
  g_autofree char *path = g_strdup_printf ("/api/v1/device/redemptions/%s", mine->id);
  const char *wrong[] = { NULL, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                          other->poll_token, admin_token };

  g_assert_cmpstr (request1, !=, request2);
  for (gsize i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(TesseraTestResponse) response = NULL;

      response = tessera_test_client_request (client, "GET", path, wrong[i], NULL);
      tessera_test_assert_problem (response, 401, NULL);
    }
}

static void
test_approval_hands_sign_in_to_the_first_poll_only (void)
{
  g_autoptr(TesseraTestIssued) issued = NULL;
  g_autoptr(TesseraTestRedeemed) redeemed = NULL;
  g_autofree char *request_id = redeemed_request (&issued, &redeemed);
  g_autoptr(TesseraTestResponse) resolved = NULL;
  g_autoptr(TesseraTestResponse) first = NULL;
  g_autoptr(TesseraTestResponse) second = NULL;
  g_autoptr(TesseraTestResponse) request = NULL;
  g_autoptr(JsonNode) account = NULL;
  g_autofree char *request_path = g_strdup_printf ("/api/v1/requests/%s", request_id);

  g_assert_nonnull (issued->password);

  resolved = tessera_test_api_resolve (client, admin_token, request_id, "approve", NULL);
  tessera_test_assert_json (resolved, 200);
  g_assert_cmpstr (tessera_test_json_get_string (resolved->json, "id"), ==, request_id);
  g_assert_cmpstr (tessera_test_json_get_string (resolved->json, "state"), ==, "approved");
  g_assert_cmpstr (tessera_test_json_get_string (resolved->json, "resolved_by"), ==, "admin");
  g_assert_nonnull (tessera_test_json_get_string (resolved->json, "resolved_at"));

  account = tessera_test_api_get_account (client, viewer_token, issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==, "provisioned");

  first = tessera_test_api_poll (client, redeemed);
  tessera_test_assert_json (first, 200);
  g_assert_cmpstr (tessera_test_json_get_string (first->json, "state"), ==, "approved");
  g_assert_cmpstr (tessera_test_json_get_string (first->json, "sign_in.upn"), ==,
                   tessera_test_json_get_string (account, "upn"));
  g_assert_cmpstr (tessera_test_json_get_string (first->json, "sign_in.password"), ==,
                   issued->password);

  second = tessera_test_api_poll (client, redeemed);
  tessera_test_assert_json (second, 200);
  g_assert_cmpstr (tessera_test_json_get_string (second->json, "state"), ==, "completed");
  g_assert_false (tessera_test_json_has (second->json, "sign_in"));

  request = tessera_test_client_request (client, "GET", request_path, viewer_token, NULL);
  tessera_test_assert_json (request, 200);
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "state"), ==, "completed");
}

static void
test_reject_needs_a_reason (void)
{
  g_autofree char *request_id = redeemed_request (NULL, NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/requests/%s", request_id);
  g_autoptr(TesseraTestResponse) no_reason = NULL;
  g_autoptr(TesseraTestResponse) bad_reason = NULL;
  g_autoptr(TesseraTestResponse) bad_decision = NULL;
  g_autoptr(TesseraTestResponse) request = NULL;

  no_reason = tessera_test_api_resolve (client, admin_token, request_id, "reject", NULL);
  tessera_test_assert_problem (no_reason, 400, NULL);
  g_assert_nonnull (strstr (tessera_test_json_get_string (no_reason->json, "detail"), "reason"));
  bad_reason = tessera_test_api_resolve (client, admin_token, request_id, "reject", "because");
  tessera_test_assert_problem (bad_reason, 400, NULL);
  bad_decision = tessera_test_api_resolve (client, admin_token, request_id, "perhaps", NULL);
  tessera_test_assert_problem (bad_decision, 400, NULL);

  request = tessera_test_client_request (client, "GET", path, viewer_token, NULL);
  tessera_test_assert_json (request, 200);
  g_assert_cmpstr (tessera_test_json_get_string (request->json, "state"), ==, "pending");
}

static void
test_rejection_reaches_the_console_with_its_reason (void)
{
  g_autoptr(TesseraTestIssued) issued = NULL;
  g_autoptr(TesseraTestRedeemed) redeemed = NULL;
  g_autofree char *request_id = redeemed_request (&issued, &redeemed);
  g_autofree char *path = g_strdup_printf ("/api/v1/requests/%s/resolution", request_id);
  g_autoptr(TesseraTestResponse) resolved = NULL;
  g_autoptr(TesseraTestResponse) poll = NULL;
  g_autoptr(JsonNode) account = NULL;

  resolved = tessera_test_client_request (client, "POST", path, admin_token,
                                          "{\"decision\":\"reject\",\"reason\":\"wrong_room\","
                                          "\"comment\":\"This panel belongs in room 4.01\"}");
  tessera_test_assert_json (resolved, 200);
  g_assert_cmpstr (tessera_test_json_get_string (resolved->json, "state"), ==, "rejected");
  g_assert_cmpstr (tessera_test_json_get_string (resolved->json, "rejection_reason"), ==,
                   "wrong_room");
  g_assert_cmpstr (tessera_test_json_get_string (resolved->json, "comment"), ==,
                   "This panel belongs in room 4.01");
  g_assert_cmpstr (tessera_test_json_get_string (resolved->json, "resolved_by"), ==, "admin");

  poll = tessera_test_api_poll (client, redeemed);
  tessera_test_assert_json (poll, 200);
  g_assert_cmpstr (tessera_test_json_get_string (poll->json, "state"), ==, "rejected");
  g_assert_cmpstr (tessera_test_json_get_string (poll->json, "rejection_reason"), ==, "wrong_room");
  g_assert_false (tessera_test_json_has (poll->json, "sign_in"));

  account = tessera_test_api_get_account (client, viewer_token, issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==, "otp_rejected");
}

static void
test_second_resolution_is_409_with_who_and_when (void)
{
  g_autofree char *request_id = redeemed_request (NULL, NULL);
  g_autoptr(TesseraTestResponse) first = NULL;
  g_autoptr(TesseraTestResponse) second = NULL;

  first = tessera_test_api_resolve (client, admin_token, request_id, "approve", NULL);
  tessera_test_assert_json (first, 200);

  second = tessera_test_api_resolve (client, admin2_token, request_id, "reject", "not_expected");
  tessera_test_assert_problem (second, 409, "already_resolved");
  /* The loser learns who won and when, so the app can say so plainly. */
  g_assert_cmpstr (tessera_test_json_get_string (second->json, "request.id"), ==, request_id);
  g_assert_cmpstr (tessera_test_json_get_string (second->json, "request.state"), ==, "approved");
  g_assert_cmpstr (tessera_test_json_get_string (second->json, "request.resolved_by"), ==, "admin");
  g_assert_cmpstr (tessera_test_json_get_string (second->json, "request.resolved_at"), ==,
                   tessera_test_json_get_string (first->json, "resolved_at"));
}

static void
test_unknown_request_is_404 (void)
{
  g_autoptr(TesseraTestResponse) get = NULL;
  g_autoptr(TesseraTestResponse) resolve = NULL;

  get = tessera_test_client_request (client, "GET", "/api/v1/requests/no-such-request",
                                     viewer_token, NULL);
  tessera_test_assert_problem (get, 404, NULL);
  resolve = tessera_test_api_resolve (client, admin_token, "no-such-request", "approve", NULL);
  tessera_test_assert_problem (resolve, 404, NULL);
}

static gboolean
page_has (const char *query,
          const char *request_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/requests?limit=1000%s", query);
  g_autoptr(TesseraTestResponse) response = NULL;
  JsonArray *items;

  response = tessera_test_client_request (client, "GET", path, viewer_token, NULL);
  tessera_test_assert_json (response, 200);
  items = tessera_test_json_get_array (response->json, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (tessera_test_json_get_string (json_array_get_element (items, i), "id"),
                   request_id) == 0)
      return TRUE;
  return FALSE;
}

static void
test_request_list_filters_by_state (void)
{
  g_autofree char *approved = redeemed_request (NULL, NULL);
  g_autofree char *rejected = redeemed_request (NULL, NULL);
  g_autofree char *pending = redeemed_request (NULL, NULL);
  g_autoptr(TesseraTestResponse) a = NULL;
  g_autoptr(TesseraTestResponse) r = NULL;
  g_autoptr(TesseraTestResponse) bogus = NULL;

  a = tessera_test_api_resolve (client, admin_token, approved, "approve", NULL);
  tessera_test_assert_json (a, 200);
  r = tessera_test_api_resolve (client, admin_token, rejected, "reject", "security_concern");
  tessera_test_assert_json (r, 200);

  g_assert_true (page_has ("", pending));
  g_assert_false (page_has ("", approved));
  g_assert_false (page_has ("", rejected));
  g_assert_true (page_has ("&state=approved", approved));
  g_assert_false (page_has ("&state=approved", rejected));
  g_assert_true (page_has ("&state=rejected", rejected));
  g_assert_true (page_has ("&state=approved,rejected", approved));
  g_assert_true (page_has ("&state=approved,rejected", rejected));
  g_assert_false (page_has ("&state=approved,rejected", pending));

  bogus = tessera_test_client_request (client, "GET", "/api/v1/requests?state=bogus",
                                       viewer_token, NULL);
  tessera_test_assert_problem (bogus, 400, NULL);
}

static void
test_separation_of_duties_forbids_the_issuer_to_approve (void)
{
  g_autofree char *request_id = NULL;
  g_autoptr(TesseraTestResponse) own = NULL;
  g_autoptr(TesseraTestResponse) other = NULL;

  tessera_test_api_put_settings (client, admin_token, "{\"separation_of_duties\":true}");
  request_id = redeemed_request (NULL, NULL);   /* issued by "admin" */

  own = tessera_test_api_resolve (client, admin_token, request_id, "approve", NULL);
  tessera_test_assert_problem (own, 403, "separation_of_duties");
  other = tessera_test_api_resolve (client, admin2_token, request_id, "approve", NULL);
  tessera_test_assert_json (other, 200);
  g_assert_cmpstr (tessera_test_json_get_string (other->json, "resolved_by"), ==, "admin2");

  tessera_test_api_put_settings (client, admin_token, "{\"separation_of_duties\":false}");
}

static void
test_auto_approval_approves_at_once (void)
{
  g_autoptr(TesseraTestIssued) issued = NULL;
  g_autoptr(TesseraTestRedeemed) redeemed = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(TesseraTestResponse) poll = NULL;
  g_autoptr(JsonNode) account = NULL;

  tessera_test_api_put_settings (client, admin_token, "{\"auto_approve\":true}");
  ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  issued = tessera_test_api_issue (client, admin_token, ids->pdata[0]);
  redeemed = tessera_test_api_redeem (client, issued->code);
  g_assert_cmpstr (redeemed->state, ==, "approved");

  poll = tessera_test_api_poll (client, redeemed);
  tessera_test_assert_json (poll, 200);
  g_assert_cmpstr (tessera_test_json_get_string (poll->json, "state"), ==, "approved");
  g_assert_cmpstr (tessera_test_json_get_string (poll->json, "sign_in.password"), ==,
                   issued->password);
  account = tessera_test_api_get_account (client, viewer_token, issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==, "provisioned");

  tessera_test_api_put_settings (client, admin_token, "{\"auto_approve\":false}");
}

int
main (int   argc,
      char *argv[])
{
  TesseraTestServerOptions options = { .demo_accounts = 120 };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/redemption/creates-a-pending-request-with-device-and-source",
                   test_redemption_creates_a_pending_request);
  g_test_add_func ("/server/redemption/code-is-single-use",
                   test_code_is_single_use);
  g_test_add_func ("/server/redemption/unknown-used-and-revoked-codes-get-one-answer",
                   test_unknown_used_and_revoked_codes_get_one_answer);
  g_test_add_func ("/server/redemption/poll-before-the-decision-is-pending",
                   test_poll_before_the_decision_is_pending);
  g_test_add_func ("/server/redemption/poll-needs-its-own-poll-token",
                   test_poll_needs_its_own_poll_token);
  g_test_add_func ("/server/resolution/approval-hands-sign-in-to-the-first-poll-only",
                   test_approval_hands_sign_in_to_the_first_poll_only);
  g_test_add_func ("/server/resolution/reject-needs-a-reason",
                   test_reject_needs_a_reason);
  g_test_add_func ("/server/resolution/rejection-reaches-the-console-with-its-reason",
                   test_rejection_reaches_the_console_with_its_reason);
  g_test_add_func ("/server/resolution/second-resolution-is-409-with-who-and-when",
                   test_second_resolution_is_409_with_who_and_when);
  g_test_add_func ("/server/resolution/unknown-request-is-404",
                   test_unknown_request_is_404);
  g_test_add_func ("/server/requests/list-filters-by-state",
                   test_request_list_filters_by_state);
  g_test_add_func ("/server/resolution/separation-of-duties-forbids-the-issuer-to-approve",
                   test_separation_of_duties_forbids_the_issuer_to_approve);
  g_test_add_func ("/server/resolution/auto-approval-approves-at-once",
                   test_auto_approval_approves_at_once);

  server = tessera_test_server_new (&options);
  client = tessera_test_client_new (server, NULL);
  admin_token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  admin2_token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN2);
  viewer_token = tessera_test_server_sign_in (server, TESSERA_TEST_VIEWER);

  status = g_test_run ();

  g_free (admin_token);
  g_free (admin2_token);
  g_free (viewer_token);
  tessera_test_client_free (client);
  tessera_test_server_free (server);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GET /api/v1/events (DESIGN §4): a viewer's WebSocket receives a message for each committed
 * change, and nobody gets in without a session.
 */
#include "config.h"

#include <string.h>

#include "tessera-test-api.h"

#define EVENT_TIMEOUT_USEC (30 * G_USEC_PER_SEC)

/* Waits for an event of @type whose @member equals @value, skipping any others. */
static JsonNode *
wait_for (SoupWebsocketConnection *connection,
          const char              *type,
          const char              *member,
          const char              *value)
{
  gint64 deadline = g_get_monotonic_time () + EVENT_TIMEOUT_USEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonNode) event = NULL;

      event = tessera_test_websocket_wait_event (connection, type,
                                                 deadline - g_get_monotonic_time ());
      if (event == NULL)
        break;
      if (g_strcmp0 (tessera_test_json_get_string (event, member), value) == 0)
        return g_steal_pointer (&event);
    }
  g_error ("no \"%s\" event with %s = %s within 30 s", type, member, value);
}

static void
assert_no_secret (JsonNode   *event,
                  const char *secret)
{
  g_autofree char *text = json_to_string (event, FALSE);

  g_assert_null (strstr (text, secret));
}

static void
test_viewer_receives_an_event_for_each_change (void)
{
  TesseraTestServerOptions options = { .demo_accounts = 20 };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *admin = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autofree char *viewer = tessera_test_server_sign_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(SoupWebsocketConnection) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(TesseraTestIssued) issued = NULL;
  g_autoptr(TesseraTestRedeemed) redeemed = NULL;
  g_autoptr(TesseraTestResponse) resolved = NULL;
  g_autoptr(JsonNode) account_event = NULL;
  g_autoptr(JsonNode) created_event = NULL;
  g_autoptr(JsonNode) updated_event = NULL;
  g_autoptr(JsonNode) settings_event = NULL;
  g_autofree char *request_id = NULL;
  guint status = 0;

  events = tessera_test_client_connect_websocket (client, "/api/v1/events", viewer, &status,
                                                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 101);

  ids = tessera_test_api_fresh_ready_accounts (client, admin, 1);
  issued = tessera_test_api_issue (client, admin, ids->pdata[0]);
  account_event = wait_for (events, "account.updated", "account.id", issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (account_event, "account.provisioning.state"), ==,
                   "otp_issued");
  assert_no_secret (account_event, issued->code);
  assert_no_secret (account_event, issued->password);

  redeemed = tessera_test_api_redeem (client, issued->code);
  created_event = wait_for (events, "request.created", "request.account.id", issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (created_event, "request.state"), ==, "pending");
  request_id = g_strdup (tessera_test_json_get_string (created_event, "request.id"));
  g_assert_nonnull (request_id);
  assert_no_secret (created_event, redeemed->poll_token);

  resolved = tessera_test_api_resolve (client, admin, request_id, "approve", NULL);
  tessera_test_assert_json (resolved, 200);
  updated_event = wait_for (events, "request.updated", "request.id", request_id);
  g_assert_cmpstr (tessera_test_json_get_string (updated_event, "request.state"), ==, "approved");
  g_assert_cmpstr (tessera_test_json_get_string (updated_event, "request.resolved_by"), ==, "admin");
  assert_no_secret (updated_event, issued->password);

  tessera_test_api_put_settings (client, admin, "{\"otp_validity_hours\":13}");
  {
    gint64 deadline = g_get_monotonic_time () + EVENT_TIMEOUT_USEC;

    while (settings_event == NULL && g_get_monotonic_time () < deadline)
      settings_event = tessera_test_websocket_wait_event (events, "settings.updated",
                                                          deadline - g_get_monotonic_time ());
  }
  g_assert_nonnull (settings_event);
  g_assert_cmpint (tessera_test_json_get_int (settings_event, "settings.otp_validity_hours"), ==, 13);

  soup_websocket_connection_close (events, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

static void
test_upgrade_without_a_session_is_refused (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  const char *tokens[] = { NULL, "bm90LWEtdG9rZW4tbm90LWEtdG9rZW4tbm90LWEtdG9rZW4tbm8" };

  for (gsize i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SoupWebsocketConnection) events = NULL;
      guint status = 0;

      events = tessera_test_client_connect_websocket (client, "/api/v1/events", tokens[i],
                                                      &status, &error);
      g_assert_null (events);
      g_assert_nonnull (error);
      g_assert_cmpuint (status, ==, 401);
    }
}

static void
test_signed_out_session_loses_its_events (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *viewer = tessera_test_server_sign_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraTestResponse) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) events = NULL;
  guint status = 0;

  out = tessera_test_client_request (client, "DELETE", "/api/v1/sessions/current", viewer, NULL);
  tessera_test_assert_status (out, 204);
  events = tessera_test_client_connect_websocket (client, "/api/v1/events", viewer, &status,
                                                  &error);
  g_assert_null (events);
  g_assert_cmpuint (status, ==, 401);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/events/viewer-receives-an-event-for-each-change",
                   test_viewer_receives_an_event_for_each_change);
  g_test_add_func ("/server/events/upgrade-without-a-session-is-refused",
                   test_upgrade_without_a_session_is_refused);
  g_test_add_func ("/server/events/signed-out-session-cannot-subscribe",
                   test_signed_out_session_loses_its_events);

  return g_test_run ();
}

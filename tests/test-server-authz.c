/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The authorisation matrix of API v1 (DESIGN §4): every endpoint called with no token, a bad
 * token, a viewer's session, an admin's session and a console's poll token, each answered
 * with the documented 401, 403 or success. Each endpoint is its own test case.
 */
#include "config.h"

#include <string.h>

#include "tessera-test-api.h"

typedef enum {
  CRED_NONE,
  CRED_BAD,
  CRED_VIEWER,
  CRED_ADMIN,
  CRED_POLL,
  N_CREDS
} Cred;

static const char * const cred_names[N_CREDS] = { "no token", "bad token", "viewer", "admin",
                                                  "poll token" };

typedef struct {
  const char *method;
  const char *path;                /* with %s for the id, when the endpoint has one */
  const char *body;
  guint       expected[N_CREDS];   /* 0: not called */
} Endpoint;

static TesseraTestServer *server;
static TesseraTestClient *client;
static char *admin_token;
static char *viewer_token;
static TesseraTestRedeemed *redeemed;   /* a pending redemption, for its poll token */

/* Makes what a successful call of @endpoint needs, fresh for each credential. */
static char *
prepare_id (const Endpoint *endpoint)
{
  if (strstr (endpoint->path, "/accounts/%s") != NULL)
    {
      g_autoptr(GPtrArray) ids = tessera_test_api_list_account_ids (client, admin_token, NULL);
      return g_strdup (ids->pdata[0]);
    }
  if (strstr (endpoint->path, "/otps/%s") != NULL)
    {
      g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
      g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin_token,
                                                                    ids->pdata[0]);
      return g_strdup (issued->otp_id);
    }
  if (strstr (endpoint->path, "/requests/%s") != NULL)
    {
      g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
      g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin_token,
                                                                    ids->pdata[0]);
      g_autoptr(TesseraTestRedeemed) r = tessera_test_api_redeem (client, issued->code);

      g_assert_nonnull (r->id);
      return tessera_test_api_request_id_for (client, admin_token, issued->account_id);
    }
  if (strstr (endpoint->path, "/device/redemptions/%s") != NULL)
    return g_strdup (redeemed->id);
  return NULL;
}

static char *
prepare_body (const Endpoint *endpoint)
{
  if (g_str_equal (endpoint->path, "/api/v1/otp-batches"))
    {
      g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
      return tessera_test_api_batch_body ((const char * const *) ids->pdata, 1, NULL);
    }
  if (g_str_equal (endpoint->path, "/api/v1/device/redemptions"))
    {
      g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
      g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin_token,
                                                                    ids->pdata[0]);
      return tessera_test_api_redemption_body (issued->code, "SN-AUTHZ");
    }
  return g_strdup (endpoint->body);
}

static const char *
token_for (Cred cred)
{
  switch (cred)
    {
    case CRED_NONE:
      return NULL;
    case CRED_BAD:
      return "bm90LWEtcmVhbC10b2tlbi1ub3QtYS1yZWFsLXRva2VuLW5vcGU";
    case CRED_VIEWER:
      return viewer_token;
    case CRED_ADMIN:
      return admin_token;
    case CRED_POLL:
      return redeemed->poll_token;
    case N_CREDS:
    default:
      g_assert_not_reached ();
    }
}

static void
test_endpoint (gconstpointer data)
{
  const Endpoint *endpoint = data;

  /* Admin last: a successful admin call may change what the others would see. */
  for (Cred cred = 0; cred < N_CREDS; cred++)
    {
      g_autofree char *id = prepare_id (endpoint);
      g_autofree char *body = prepare_body (endpoint);
      g_autofree char *path = NULL;
      g_autoptr(TesseraTestResponse) response = NULL;
      g_autofree char *fresh_session = NULL;
      const char *token = token_for (cred);
      guint expected = endpoint->expected[cred];

      if (expected == 0)
        continue;

      if (id != NULL)
        {
          g_autoptr(GString) with_id = g_string_new (endpoint->path);

          g_string_replace (with_id, "%s", id, 1);
          path = g_string_free (g_steal_pointer (&with_id), FALSE);
        }
      else
        {
          path = g_strdup (endpoint->path);
        }

      /* Signing out ends the session: give it one of its own. */
      if (g_str_equal (endpoint->path, "/api/v1/sessions/current") &&
          (cred == CRED_VIEWER || cred == CRED_ADMIN))
        token = fresh_session = tessera_test_server_sign_in (server, cred == CRED_ADMIN
                                                                      ? TESSERA_TEST_ADMIN
                                                                      : TESSERA_TEST_VIEWER);

      g_test_message ("%s %s with %s: expecting %u", endpoint->method, path, cred_names[cred],
                      expected);
      response = tessera_test_client_request (client, endpoint->method, path, token, body);
      if (expected >= 400)
        tessera_test_assert_problem (response, expected, NULL);
      else
        tessera_test_assert_status (response, expected);
    }
}

static void
test_events_upgrade (void)
{
  const guint expected[N_CREDS] = { 401, 401, 101, 101, 401 };

  for (Cred cred = 0; cred < N_CREDS; cred++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SoupWebsocketConnection) connection = NULL;
      guint status = 0;

      connection = tessera_test_client_connect_websocket (client, "/api/v1/events",
                                                          token_for (cred), &status, &error);
      g_test_message ("WebSocket /api/v1/events with %s: %u", cred_names[cred], status);
      g_assert_cmpuint (status, ==, expected[cred]);
      if (expected[cred] == 101)
        {
          g_assert_no_error (error);
          g_assert_nonnull (connection);
          soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
        }
      else
        {
          g_assert_null (connection);
          g_assert_nonnull (error);
        }
    }
}

#define EXPECT(none, bad, viewer, admin, poll) { none, bad, viewer, admin, poll }

static const Endpoint endpoints[] = {
  { "GET", "/healthz", NULL, EXPECT (200, 200, 200, 200, 200) },
  { "DELETE", "/api/v1/sessions/current", NULL, EXPECT (401, 401, 204, 204, 401) },
  { "GET", "/api/v1/me", NULL, EXPECT (401, 401, 200, 200, 401) },
  { "GET", "/api/v1/accounts", NULL, EXPECT (401, 401, 200, 200, 401) },
  { "GET", "/api/v1/accounts/%s", NULL, EXPECT (401, 401, 200, 200, 401) },
  { "POST", "/api/v1/otp-batches", NULL, EXPECT (401, 401, 403, 201, 401) },
  { "POST", "/api/v1/otps/%s/revoke", NULL, EXPECT (401, 401, 403, 200, 401) },
  { "GET", "/api/v1/requests", NULL, EXPECT (401, 401, 200, 200, 401) },
  { "GET", "/api/v1/requests/%s", NULL, EXPECT (401, 401, 200, 200, 401) },
  { "POST", "/api/v1/requests/%s/resolution", "{\"decision\":\"approve\"}",
    EXPECT (401, 401, 403, 200, 401) },
  { "GET", "/api/v1/settings", NULL, EXPECT (401, 401, 200, 200, 401) },
  { "PUT", "/api/v1/settings", "{\"otp_validity_hours\":8}", EXPECT (401, 401, 403, 200, 401) },
  { "GET", "/api/v1/audit", NULL, EXPECT (401, 401, 403, 200, 401) },
  /* The console needs no session; an Authorization header changes nothing. */
  { "POST", "/api/v1/device/redemptions", NULL, EXPECT (201, 201, 201, 201, 201) },
  /* Only the redemption's own poll token. */
  { "GET", "/api/v1/device/redemptions/%s", NULL, EXPECT (401, 401, 401, 401, 200) },
};

int
main (int   argc,
      char *argv[])
{
  TesseraTestServerOptions options = { .demo_accounts = 150 };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autoptr(GString) name = g_string_new ("/server/authz/");

      /* "/server/authz/GET/api/v1/accounts/{id}" */
      g_string_append (name, endpoints[i].method);
      g_string_append (name, endpoints[i].path);
      g_string_replace (name, "%s", "{id}", 0);
      g_test_add_data_func (name->str, &endpoints[i], test_endpoint);
    }
  g_test_add_func ("/server/authz/GET/api/v1/events/websocket-upgrade", test_events_upgrade);

  server = tessera_test_server_new (&options);
  client = tessera_test_client_new (server, NULL);
  admin_token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  viewer_token = tessera_test_server_sign_in (server, TESSERA_TEST_VIEWER);
  {
    g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
    g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin_token,
                                                                  ids->pdata[0]);
    redeemed = tessera_test_api_redeem (client, issued->code);
  }

  status = g_test_run ();

  tessera_test_redeemed_free (redeemed);
  g_free (admin_token);
  g_free (viewer_token);
  tessera_test_client_free (client);
  tessera_test_server_free (server);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * healthz, sessions, /me, and the HTTP layer's answers to bad input (DESIGN §4, §6 "Request
 * limits"), against a real tessera-server.
 */
#include "config.h"

#include <string.h>

#include "tessera-test-api.h"

/* One server for the tests that only read or sign in; tests that need more start their own. */
static TesseraTestServer *server;

static void
test_healthz_answers_ok_without_a_session (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autoptr(TesseraTestResponse) response = NULL;

  response = tessera_test_client_request (client, "GET", "/healthz", NULL, NULL);
  tessera_test_assert_json (response, 200);
  g_assert_cmpstr (tessera_test_json_get_string (response->json, "status"), ==, "ok");
  /* DESIGN §4: JSON is sent as application/json; charset=utf-8. */
  g_assert_nonnull (strstr (response->content_type_header, "charset=utf-8"));
}

static void
test_sign_in_returns_token_expiry_and_user (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autoptr(TesseraTestResponse) response = NULL;
  g_autofree char *password = tessera_test_json_quote (tessera_test_server_get_password (server,
                                                                                      "admin"));
  g_autofree char *body = g_strdup_printf ("{\"username\":\"admin\",\"password\":%s}", password);
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *token;

  response = tessera_test_client_request (client, "POST", "/api/v1/sessions", NULL, body);
  tessera_test_assert_json (response, 201);
  token = tessera_test_json_get_string (response->json, "token");
  g_assert_nonnull (token);
  /* ≥ 256 bits (DESIGN §6): at least 43 characters of base64 or 64 of hex. */
  g_assert_cmpuint (strlen (token), >=, 43);
  g_assert_nonnull (tessera_test_json_get_string (response->json, "expires_at"));
  expires = g_date_time_new_from_iso8601 (tessera_test_json_get_string (response->json,
                                                                        "expires_at"), NULL);
  g_assert_nonnull (expires);
  g_assert_cmpint (g_date_time_compare (expires, now), >, 0);
  g_assert_cmpstr (tessera_test_json_get_string (response->json, "user.username"), ==, "admin");
  g_assert_cmpstr (tessera_test_json_get_string (response->json, "user.role"), ==, "admin");
  g_assert_nonnull (tessera_test_json_get_string (response->json, "user.display_name"));
}

static void
test_sign_in_refusals_are_identical_for_unknown_user_and_wrong_password (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, "127.0.0.5");
  g_autoptr(TesseraTestResponse) unknown = NULL;
  g_autoptr(TesseraTestResponse) wrong = NULL;

  unknown = tessera_test_client_request (client, "POST", "/api/v1/sessions", NULL,
                                         "{\"username\":\"nobody\",\"password\":\"x-y-z\"}");
  wrong = tessera_test_client_request (client, "POST", "/api/v1/sessions", NULL,
                                       "{\"username\":\"admin\",\"password\":\"x-y-z\"}");
  tessera_test_assert_problem (unknown, 401, "invalid_credentials");
  tessera_test_assert_problem (wrong, 401, "invalid_credentials");
  /* Nothing in the answer may tell the two apart. */
  g_assert_cmpstr (unknown->body_text, ==, wrong->body_text);
  g_assert_cmpstr (unknown->content_type_header, ==, wrong->content_type_header);
}

static void
test_sign_in_without_password_is_bad_request (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, "127.0.0.5");
  g_autoptr(TesseraTestResponse) response = NULL;

  response = tessera_test_client_request (client, "POST", "/api/v1/sessions", NULL,
                                          "{\"username\":\"admin\"}");
  tessera_test_assert_problem (response, 400, NULL);
  g_assert_nonnull (strstr (tessera_test_json_get_string (response->json, "detail"), "password"));
}

static void
test_me_answers_the_signed_in_user_and_role (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  const char *users[][2] = { { "admin", "admin" }, { "viewer", "viewer" } };

  for (gsize i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *token = tessera_test_server_sign_in (server, users[i][0]);
      g_autoptr(TesseraTestResponse) response = NULL;

      response = tessera_test_client_request (client, "GET", "/api/v1/me", token, NULL);
      tessera_test_assert_json (response, 200);
      g_assert_cmpstr (tessera_test_json_get_string (response->json, "username"), ==, users[i][0]);
      g_assert_cmpstr (tessera_test_json_get_string (response->json, "role"), ==, users[i][1]);
      g_assert_nonnull (tessera_test_json_get_string (response->json, "display_name"));
    }
}

static void
test_me_without_a_valid_token_is_401 (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autoptr(TesseraTestResponse) none = NULL;
  g_autoptr(TesseraTestResponse) bad = NULL;

  none = tessera_test_client_request (client, "GET", "/api/v1/me", NULL, NULL);
  tessera_test_assert_problem (none, 401, NULL);
  bad = tessera_test_client_request (client, "GET", "/api/v1/me",
                                     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL);
  tessera_test_assert_problem (bad, 401, NULL);
}

static void
test_sign_out_revokes_the_token (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *token = tessera_test_server_sign_in (server, "viewer");
  g_autofree char *other = tessera_test_server_sign_in (server, "viewer");
  g_autoptr(TesseraTestResponse) out = NULL;
  g_autoptr(TesseraTestResponse) after = NULL;
  g_autoptr(TesseraTestResponse) again = NULL;
  g_autoptr(TesseraTestResponse) still = NULL;

  out = tessera_test_client_request (client, "DELETE", "/api/v1/sessions/current", token, NULL);
  tessera_test_assert_status (out, 204);

  after = tessera_test_client_request (client, "GET", "/api/v1/me", token, NULL);
  tessera_test_assert_problem (after, 401, NULL);
  again = tessera_test_client_request (client, "DELETE", "/api/v1/sessions/current", token, NULL);
  tessera_test_assert_problem (again, 401, NULL);

  /* Only that session ends: the same user's other session goes on. */
  still = tessera_test_client_request (client, "GET", "/api/v1/me", other, NULL);
  tessera_test_assert_json (still, 200);
}

/* Bad input */

static void
test_malformed_json_is_400_problem (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, "127.0.0.6");
  const char *bodies[] = { "{", "{\"username\":\"admin\",}", "not json", "", "\"just a string\"" };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(TesseraTestResponse) response = NULL;

      response = tessera_test_client_request (client, "POST", "/api/v1/sessions", NULL, bodies[i]);
      tessera_test_assert_problem (response, 400, NULL);
    }
}

static void
test_wrong_type_is_400_naming_the_field (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, "127.0.0.6");
  g_autofree char *token = tessera_test_server_sign_in (server, "admin");
  g_autoptr(TesseraTestResponse) login = NULL;
  g_autoptr(TesseraTestResponse) settings = NULL;
  g_autoptr(TesseraTestResponse) resolution = NULL;
  g_autoptr(TesseraTestResponse) unchanged = NULL;

  login = tessera_test_client_request (client, "POST", "/api/v1/sessions", NULL,
                                       "{\"username\":5,\"password\":\"x\"}");
  tessera_test_assert_problem (login, 400, NULL);
  g_assert_nonnull (strstr (tessera_test_json_get_string (login->json, "detail"), "username"));

  settings = tessera_test_client_request (client, "PUT", "/api/v1/settings", token,
                                          "{\"auto_approve\":true,"
                                          "\"otp_validity_hours\":\"eight\"}");
  tessera_test_assert_problem (settings, 400, NULL);
  g_assert_nonnull (strstr (tessera_test_json_get_string (settings->json, "detail"),
                            "otp_validity_hours"));

  /* Nothing half-written: auto_approve was in the same refused body. */
  unchanged = tessera_test_client_request (client, "GET", "/api/v1/settings", token, NULL);
  tessera_test_assert_json (unchanged, 200);
  g_assert_false (tessera_test_json_get_bool (unchanged->json, "auto_approve"));

  resolution = tessera_test_client_request (client, "POST", "/api/v1/otp-batches", token,
                                            "{\"account_ids\":\"acc\","
                                            "\"password_mode\":\"generate\"}");
  tessera_test_assert_problem (resolution, 400, NULL);
  g_assert_nonnull (strstr (tessera_test_json_get_string (resolution->json, "detail"),
                            "account_ids"));
}

static char *
nested_settings_body (guint depth)
{
  GString *body = g_string_new (NULL);

  /* depth objects in all: the body itself, then depth - 1 under an unknown member. */
  for (guint i = 0; i < depth; i++)
    g_string_append (body, i == 0 ? "{" : "\"x\":{");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (body, '}');
  return g_string_free (body, FALSE);
}

static void
test_nesting_over_32_levels_is_400 (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *token = tessera_test_server_sign_in (server, "admin");
  g_autofree char *deep_enough = nested_settings_body (32);
  g_autofree char *too_deep = nested_settings_body (33);
  g_autoptr(TesseraTestResponse) ok = NULL;
  g_autoptr(TesseraTestResponse) refused = NULL;

  /* 32 levels are allowed and the unknown member is ignored (DESIGN §6) … */
  ok = tessera_test_client_request (client, "PUT", "/api/v1/settings", token, deep_enough);
  tessera_test_assert_json (ok, 200);
  /* … 33 are not. */
  refused = tessera_test_client_request (client, "PUT", "/api/v1/settings", token, too_deep);
  tessera_test_assert_problem (refused, 400, NULL);
}

static void
test_huge_content_length_is_413_without_reading_the_body (void)
{
  g_autoptr(GSocketConnection) connection = tessera_test_raw_connect (server, NULL);
  g_autoptr(TesseraTestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;

  /* 2 GiB announced, nothing sent: only an answer decided from the header can come back. */
  head = g_strdup_printf ("POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                          "Content-Type: application/json\r\nContent-Length: 2147483648\r\n\r\n",
                          tessera_test_server_get_port (server));
  tessera_test_raw_send (connection, head, -1);
  response = tessera_test_raw_read_response (connection, &error);
  g_assert_no_error (error);
  tessera_test_assert_problem (response, 413, NULL);
}

static void
test_chunked_body_over_1_mib_is_413 (void)
{
  g_autoptr(GSocketConnection) connection = tessera_test_raw_connect (server, NULL);
  g_autoptr(TesseraTestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *chunk = g_malloc (64 * 1024);
  g_autofree char *chunk_head = g_strdup_printf ("%x\r\n", 64 * 1024);
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  memset (chunk, ' ', 64 * 1024);
  head = g_strdup_printf ("POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                          "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                          tessera_test_server_get_port (server));
  tessera_test_raw_send (connection, head, -1);

  /* 17 chunks of 64 KiB: 1 MiB + 64 KiB. The server may stop reading once past the limit,
   * so a failed write ends the sending, not the test. */
  for (guint i = 0; i < 17; i++)
    {
      if (!g_output_stream_write_all (output, chunk_head, strlen (chunk_head), NULL, NULL, NULL) ||
          !g_output_stream_write_all (output, chunk, 64 * 1024, NULL, NULL, NULL) ||
          !g_output_stream_write_all (output, "\r\n", 2, NULL, NULL, NULL))
        break;
    }
  g_output_stream_write_all (output, "0\r\n\r\n", 5, NULL, NULL, NULL);

  response = tessera_test_raw_read_response (connection, &error);
  g_assert_no_error (error);
  tessera_test_assert_problem (response, 413, NULL);
}

static void
test_unknown_route_is_404_problem (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *token = tessera_test_server_sign_in (server, "admin");
  const char *paths[] = { "/api/v1/nothing-here", "/api/v2/accounts", "/", "/api/v1/accounts/x/y" };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(TesseraTestResponse) response = NULL;

      response = tessera_test_client_request (client, "GET", paths[i], token, NULL);
      tessera_test_assert_problem (response, 404, NULL);
    }
}

static void
test_wrong_method_is_405_with_allow (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *token = tessera_test_server_sign_in (server, "admin");
  g_autoptr(TesseraTestResponse) accounts = NULL;
  g_autoptr(TesseraTestResponse) healthz = NULL;
  g_autoptr(TesseraTestResponse) settings = NULL;
  const char *allow;

  accounts = tessera_test_client_request (client, "DELETE", "/api/v1/accounts", token, NULL);
  tessera_test_assert_problem (accounts, 405, NULL);
  allow = tessera_test_response_get_header (accounts, "Allow");
  g_assert_nonnull (allow);
  g_assert_nonnull (strstr (allow, "GET"));
  g_assert_null (strstr (allow, "DELETE"));

  healthz = tessera_test_client_request (client, "POST", "/healthz", NULL, "{}");
  tessera_test_assert_problem (healthz, 405, NULL);
  g_assert_nonnull (strstr (tessera_test_response_get_header (healthz, "Allow"), "GET"));

  settings = tessera_test_client_request (client, "DELETE", "/api/v1/settings", token, NULL);
  tessera_test_assert_problem (settings, 405, NULL);
  allow = tessera_test_response_get_header (settings, "Allow");
  g_assert_nonnull (allow);
  g_assert_nonnull (strstr (allow, "GET"));
  g_assert_nonnull (strstr (allow, "PUT"));
}

static void
test_wrong_content_type_is_415 (void)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, "127.0.0.6");
  g_autofree char *password = tessera_test_json_quote (tessera_test_server_get_password (server,
                                                                                      "admin"));
  g_autofree char *text = g_strdup_printf ("{\"username\":\"admin\",\"password\":%s}", password);
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(TesseraTestResponse) plain = NULL;
  g_autoptr(TesseraTestResponse) form = NULL;

  /* A correct body under the wrong label is still refused: the label is part of the contract. */
  plain = tessera_test_client_request_full (client, "POST", "/api/v1/sessions", NULL,
                                            "text/plain", body, NULL);
  tessera_test_assert_problem (plain, 415, NULL);
  form = tessera_test_client_request_full (client, "POST", "/api/v1/sessions", NULL,
                                           "application/x-www-form-urlencoded", body, NULL);
  tessera_test_assert_problem (form, 415, NULL);
}

static void
test_slow_client_does_not_block_others_and_is_cut_off (void)
{
  TesseraTestServerOptions options = {
    .config_text = "[server]\nrequest_timeout_seconds=2\n",
  };
  g_autoptr(TesseraTestServer) slow_server = tessera_test_server_new (&options);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (slow_server, NULL);
  g_autoptr(GSocketConnection) slow = tessera_test_raw_connect (slow_server, NULL);
  g_autoptr(TesseraTestResponse) healthz = NULL;
  g_autoptr(TesseraTestResponse) cut = NULL;
  g_autoptr(GError) error = NULL;

  /* Half a request, then silence. */
  tessera_test_raw_send (slow, "POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n", -1);

  healthz = tessera_test_client_request (client, "GET", "/healthz", NULL, NULL);
  tessera_test_assert_json (healthz, 200);

  /* The server ends the stalled request: an answer (408) or a close, well before the
   * client's own 60 s read timeout that would otherwise end this read. */
  cut = tessera_test_raw_read_response (slow, &error);
  if (cut != NULL)
    tessera_test_assert_status (cut, 408);
  else
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

int
main (int   argc,
      char *argv[])
{
  TesseraTestServerOptions options = { .demo_accounts = 20 };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/healthz/answers-ok-without-a-session",
                   test_healthz_answers_ok_without_a_session);
  g_test_add_func ("/server/sessions/sign-in-returns-token-expiry-and-user",
                   test_sign_in_returns_token_expiry_and_user);
  g_test_add_func ("/server/sessions/refusals-are-identical-for-unknown-user-and-wrong-password",
                   test_sign_in_refusals_are_identical_for_unknown_user_and_wrong_password);
  g_test_add_func ("/server/sessions/sign-in-without-password-is-bad-request",
                   test_sign_in_without_password_is_bad_request);
  g_test_add_func ("/server/sessions/sign-out-revokes-only-that-token",
                   test_sign_out_revokes_the_token);
  g_test_add_func ("/server/me/answers-the-signed-in-user-and-role",
                   test_me_answers_the_signed_in_user_and_role);
  g_test_add_func ("/server/me/without-a-valid-token-is-401",
                   test_me_without_a_valid_token_is_401);
  g_test_add_func ("/server/input/malformed-json-is-400-problem",
                   test_malformed_json_is_400_problem);
  g_test_add_func ("/server/input/wrong-type-is-400-naming-the-field-and-writes-nothing",
                   test_wrong_type_is_400_naming_the_field);
  g_test_add_func ("/server/input/nesting-over-32-levels-is-400",
                   test_nesting_over_32_levels_is_400);
  g_test_add_func ("/server/input/huge-content-length-is-413-without-reading-the-body",
                   test_huge_content_length_is_413_without_reading_the_body);
  g_test_add_func ("/server/input/chunked-body-over-1-mib-is-413",
                   test_chunked_body_over_1_mib_is_413);
  g_test_add_func ("/server/input/unknown-route-is-404-problem",
                   test_unknown_route_is_404_problem);
  g_test_add_func ("/server/input/wrong-method-is-405-with-allow",
                   test_wrong_method_is_405_with_allow);
  g_test_add_func ("/server/input/wrong-content-type-is-415",
                   test_wrong_content_type_is_415);
  g_test_add_func ("/server/input/slow-client-does-not-block-others-and-is-cut-off",
                   test_slow_client_does_not_block_others_and_is_cut_off);

  server = tessera_test_server_new (&options);
  status = g_test_run ();
  tessera_test_server_free (server);
  return status;
}

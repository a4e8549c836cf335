/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tessera-client.h"
#include "tessera-client-backoff.h"
#include "test-client-adversary.h"

/*
 * The client against a deliberately broken server (test-client-adversary.c): every kind of
 * bad answer must end in its documented error code, with no result object, and never a crash.
 */

static TesseraTestAdversary *adversary;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static TesseraClient *
client_for_mode (const char *mode)
{
  g_autofree char *url = g_strconcat (tessera_test_adversary_get_url (adversary), "/", mode, NULL);
  g_autoptr(GError) error = NULL;
  TesseraClient *client;

  client = tessera_client_new (url, &error);
  g_assert_no_error (error);
  tessera_client_set_token (client, "not-a-real-token");
  /* Short, so that the timeout tests finish quickly; nothing honest takes a second here. */
  tessera_client_set_timeout (client, 2);

  return client;
}

/* GET /api/v1/me against @mode; returns the error (the user must not exist). */
static GError *
get_me_error (const char *mode)
{
  g_autoptr(TesseraClient) client = client_for_mode (mode);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TesseraUser) user = NULL;
  GError *error = NULL;

  tessera_client_get_me_async (client, NULL, on_done, &result);
  user = tessera_client_get_me_finish (client, wait_for (&result), &error);

  g_assert_null (user);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", mode, error->message);

  return error;
}

static void
test_url_is_normalised (void)
{
  struct {
    const char *input;
    const char *url;
    const char *host;
  } cases[] = {
    { "rooms.example.org", "https://rooms.example.org", "rooms.example.org" },
    { "  https://rooms.example.org/  ", "https://rooms.example.org", "rooms.example.org" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080", "127.0.0.1:8080" },
    { "https://proxy.example.org/tessera/?x=1#top", "https://proxy.example.org/tessera",
      "proxy.example.org" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TesseraClient) client = tessera_client_new (cases[i].input, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (tessera_client_get_server_url (client), ==, cases[i].url);
      g_assert_cmpstr (tessera_client_get_host (client), ==, cases[i].host);
    }
}

static void
test_url_refuses_what_is_not_http (void)
{
  const char *inputs[] = { "", "   ", "ftp://rooms.example.org", "https://", "mailto:a@b",
                           "https://user:secret@rooms.example.org" };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TesseraClient) client = tessera_client_new (inputs[i], &error);

      g_assert_null (client);
      g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_URL);
    }
}

static void
test_backoff_doubles_to_the_cap_with_jitter (void)
{
  TesseraClientBackoff backoff;
  guint previous_full = 0;

  tessera_client_backoff_init (&backoff, 1000, 60000);
  for (guint attempt = 0; attempt < 12; attempt++)
    {
      guint full = MIN (1000u << attempt, 60000u);
      guint delay = tessera_client_backoff_next (&backoff);

      g_assert_cmpuint (delay, >=, full / 2);
      g_assert_cmpuint (delay, <=, full);
      g_assert_cmpuint (full, >=, previous_full);
      previous_full = full;
    }

  tessera_client_backoff_reset (&backoff);
  g_assert_cmpuint (tessera_client_backoff_next (&backoff), <=, 1000);

  for (guint i = 0; i < 100; i++)
    {
      guint delay = tessera_client_backoff_jitter (&backoff, 5000, 20);

      g_assert_cmpuint (delay, >=, 4000);
      g_assert_cmpuint (delay, <=, 6000);
    }
}

static void
test_good_answer_decodes (void)
{
  g_autoptr(TesseraClient) client = client_for_mode ("ok");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) health_result = NULL;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GError) error = NULL;

  tessera_client_check_health_async (client, NULL, on_done, &health_result);
  g_assert_true (tessera_client_check_health_finish (client, wait_for (&health_result), &error));
  g_assert_no_error (error);

  tessera_client_get_me_async (client, NULL, on_done, &result);
  user = tessera_client_get_me_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tessera_user_get_username (user), ==, "adversary");
}

static void
test_sends_user_agent_and_bearer_only_with_a_token (void)
{
  g_autoptr(TesseraClient) client = client_for_mode ("whoami");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GError) error = NULL;

  tessera_client_get_me_async (client, NULL, on_done, &result);
  user = tessera_client_get_me_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tessera_user_get_username (user), ==, "with-auth");
  g_assert_cmpstr (tessera_user_get_display_name (user), ==, TESSERA_USER_AGENT);
}

static void
test_without_token_fails_before_the_network (void)
{
  g_autoptr(TesseraClient) client = client_for_mode ("ok");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GError) error = NULL;
  guint before = tessera_test_adversary_get_n_requests (adversary);

  tessera_client_set_token (client, NULL);
  g_assert_false (tessera_client_has_token (client));

  tessera_client_get_me_async (client, NULL, on_done, &result);
  user = tessera_client_get_me_finish (client, wait_for (&result), &error);
  g_assert_null (user);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_AUTHORIZED);
  g_assert_cmpuint (tessera_test_adversary_get_n_requests (adversary), ==, before);
}

static void
assert_invalid_response (const char *mode)
{
  g_autoptr(GError) error = get_me_error (mode);

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

static void
test_malformed_json_is_invalid_response (void)
{
  assert_invalid_response ("malformed");
}

static void
test_wrong_member_type_is_invalid_response_naming_the_member (void)
{
  g_autoptr(GError) error = get_me_error ("wrongtype");

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "username"));
}

static void
test_deep_nesting_is_invalid_response (void)
{
  assert_invalid_response ("deep");
}

static void
test_empty_body_is_invalid_response (void)
{
  assert_invalid_response ("empty");
}

static void
test_truncated_body_is_invalid_response (void)
{
  assert_invalid_response ("truncated");
}

static void
test_html_200_is_invalid_response (void)
{
  assert_invalid_response ("html200");
}

static void
test_announced_huge_body_is_invalid_response (void)
{
  assert_invalid_response ("huge");
}

static void
test_streamed_huge_body_is_cut_at_the_cap (void)
{
  assert_invalid_response ("hugechunked");
}

static void
test_html_500_is_server_error (void)
{
  g_autoptr(GError) error = get_me_error ("html500");

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_SERVER_ERROR);
  g_assert_cmpuint (tessera_client_error_get_http_status (error), ==, 500);
  g_assert_null (tessera_client_error_get_problem (error));
}

static void
test_html_404_is_not_tessera (void)
{
  g_autoptr(GError) error = get_me_error ("notfound");

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_TESSERA);
}

static void
test_redirect_is_not_followed (void)
{
  guint before = tessera_test_adversary_get_n_requests (adversary);
  g_autoptr(GError) error = get_me_error ("redirect");

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_TESSERA);
  /* example.invalid cannot resolve: the only request is the one the adversary saw. */
  g_assert_cmpuint (tessera_test_adversary_get_n_requests (adversary), ==, before + 1);
}

static void
test_silent_server_times_out (void)
{
  g_autoptr(GError) error = get_me_error ("silent");

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TIMEOUT);
}

static void
on_me_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  guint *n_timeouts = user_data;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = tessera_client_get_me_finish (TESSERA_CLIENT (source), result, &error);
  g_assert_null (user);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TIMEOUT);
  (*n_timeouts)++;
}

/* More calls than the session has connections: the queued ones must time out too. */
static void
test_queued_calls_time_out_when_connections_are_busy (void)
{
  g_autoptr(TesseraClient) client = client_for_mode ("silent");
  guint n_timeouts = 0;

  for (guint i = 0; i < 9; i++)
    tessera_client_get_me_async (client, NULL, on_me_done, &n_timeouts);

  while (n_timeouts < 9)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_trickling_server_times_out (void)
{
  g_autoptr(GError) error = get_me_error ("slow");

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TIMEOUT);
}

static void
test_hangup_is_network_error (void)
{
  g_autoptr(GError) error = get_me_error ("hangup");

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NETWORK);
}

static void
test_refused_connection_is_network_error (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(TesseraClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A port that was free a moment ago and has nobody listening now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  client = tessera_client_new (url, &error);
  g_assert_no_error (error);

  tessera_client_check_health_async (client, NULL, on_done, &result);
  g_assert_false (tessera_client_check_health_finish (client, wait_for (&result), &error));
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "could not be reached"));
}

static void
test_garbled_problem_keeps_the_status (void)
{
  g_autoptr(GError) error = get_me_error ("badproblem");

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (tessera_client_error_get_http_status (error), ==, 400);
  g_assert_null (tessera_client_error_get_problem (error));
}

static void
assert_health_is_not_tessera (const char *mode)
{
  g_autoptr(TesseraClient) client = client_for_mode (mode);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tessera_client_check_health_async (client, NULL, on_done, &result);
  g_assert_false (tessera_client_check_health_finish (client, wait_for (&result), &error));
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_TESSERA);
}

static void
test_health_check_tells_other_servers_apart (void)
{
  assert_health_is_not_tessera ("html200");
  assert_health_is_not_tessera ("notfound");
  assert_health_is_not_tessera ("notok");
  assert_health_is_not_tessera ("malformed");
  assert_health_is_not_tessera ("redirect");
}

static void
test_conflict_carries_the_current_request (void)
{
  g_autoptr(GError) error = get_me_error ("conflict");
  g_autoptr(GError) copy = NULL;
  const TesseraProblem *problem;
  TesseraRequest *request;

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (tessera_client_error_get_problem_code (error), ==, "already_resolved");
  problem = tessera_client_error_get_problem (error);
  g_assert_nonnull (problem);
  g_assert_cmpuint (problem->status, ==, 409);
  g_assert_cmpstr (problem->detail, ==, "This request was already resolved");

  request = tessera_client_error_get_request (error);
  g_assert_nonnull (request);
  g_assert_cmpstr (tessera_request_get_resolved_by (request), ==, "admin2");
  g_assert_cmpint (tessera_request_get_state (request), ==, TESSERA_REQUEST_REJECTED);
  g_assert_nonnull (tessera_request_get_resolved_at (request));
  g_assert_nonnull (strstr (error->message, "admin2"));

  /* The details travel with the error, e.g. through g_error_copy(). */
  copy = g_error_copy (error);
  g_assert_cmpstr (tessera_client_error_get_problem_code (copy), ==, "already_resolved");
  g_assert_true (tessera_client_error_get_request (copy) == request);
}

static void
test_rate_limit_carries_retry_after (void)
{
  g_autoptr(GError) error = get_me_error ("ratelimited");

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (tessera_client_error_get_retry_after (error), ==, 42);
  g_assert_cmpstr (tessera_client_error_get_problem_code (error), ==, "rate_limited");
  g_assert_nonnull (strstr (error->message, "42"));
}

static void
test_getters_answer_nothing_for_other_domains (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_null (tessera_client_error_get_problem (error));
  g_assert_null (tessera_client_error_get_problem_code (error));
  g_assert_null (tessera_client_error_get_request (error));
  g_assert_null (tessera_client_error_get_peer_certificate (error));
  g_assert_cmpuint (tessera_client_error_get_retry_after (error), ==, 0);
  g_assert_cmpuint (tessera_client_error_get_http_status (NULL), ==, 0);
}

static void
test_cancellation_passes_through (void)
{
  g_autoptr(TesseraClient) client = client_for_mode ("silent");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GError) error = NULL;
  guint before = tessera_test_adversary_get_n_requests (adversary);

  tessera_client_get_me_async (client, cancellable, on_done, &result);

  /* Cancel once the server holds the request, i.e. in the middle of the call. */
  while (tessera_test_adversary_get_n_requests (adversary) == before)
    g_main_context_iteration (NULL, FALSE);
  g_cancellable_cancel (cancellable);

  user = tessera_client_get_me_finish (client, wait_for (&result), &error);
  g_assert_null (user);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_cancelled_before_start_passes_through (void)
{
  g_autoptr(TesseraClient) client = client_for_mode ("ok");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  tessera_client_check_health_async (client, cancellable, on_done, &result);
  g_assert_false (tessera_client_check_health_finish (client, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  adversary = tessera_test_adversary_new (NULL);

  g_test_add_func ("/client/url/is-normalised", test_url_is_normalised);
  g_test_add_func ("/client/url/refuses-what-is-not-http", test_url_refuses_what_is_not_http);
  g_test_add_func ("/client/backoff/doubles-to-the-cap-with-jitter",
                   test_backoff_doubles_to_the_cap_with_jitter);
  g_test_add_func ("/client/errors/getters-answer-nothing-for-other-domains",
                   test_getters_answer_nothing_for_other_domains);
  g_test_add_func ("/client/adversary/good-answer-decodes", test_good_answer_decodes);
  g_test_add_func ("/client/adversary/sends-user-agent-and-bearer",
                   test_sends_user_agent_and_bearer_only_with_a_token);
  g_test_add_func ("/client/adversary/without-token-fails-before-the-network",
                   test_without_token_fails_before_the_network);
  g_test_add_func ("/client/adversary/malformed-json-is-invalid-response",
                   test_malformed_json_is_invalid_response);
  g_test_add_func ("/client/adversary/wrong-member-type-is-invalid-response-naming-it",
                   test_wrong_member_type_is_invalid_response_naming_the_member);
  g_test_add_func ("/client/adversary/deep-nesting-is-invalid-response",
                   test_deep_nesting_is_invalid_response);
  g_test_add_func ("/client/adversary/empty-body-is-invalid-response",
                   test_empty_body_is_invalid_response);
  g_test_add_func ("/client/adversary/truncated-body-is-invalid-response",
                   test_truncated_body_is_invalid_response);
  g_test_add_func ("/client/adversary/html-200-is-invalid-response",
                   test_html_200_is_invalid_response);
  g_test_add_func ("/client/adversary/announced-huge-body-is-invalid-response",
                   test_announced_huge_body_is_invalid_response);
  g_test_add_func ("/client/adversary/streamed-huge-body-is-cut-at-the-cap",
                   test_streamed_huge_body_is_cut_at_the_cap);
  g_test_add_func ("/client/adversary/html-500-is-server-error", test_html_500_is_server_error);
  g_test_add_func ("/client/adversary/html-404-is-not-tessera", test_html_404_is_not_tessera);
  g_test_add_func ("/client/adversary/redirect-is-not-followed", test_redirect_is_not_followed);
  g_test_add_func ("/client/adversary/silent-server-times-out", test_silent_server_times_out);
  g_test_add_func ("/client/adversary/queued-calls-time-out-when-connections-are-busy",
                   test_queued_calls_time_out_when_connections_are_busy);
  g_test_add_func ("/client/adversary/trickling-server-times-out",
                   test_trickling_server_times_out);
  g_test_add_func ("/client/adversary/hangup-is-network-error", test_hangup_is_network_error);
  g_test_add_func ("/client/adversary/refused-connection-is-network-error",
                   test_refused_connection_is_network_error);
  g_test_add_func ("/client/adversary/garbled-problem-keeps-the-status",
                   test_garbled_problem_keeps_the_status);
  g_test_add_func ("/client/adversary/health-check-tells-other-servers-apart",
                   test_health_check_tells_other_servers_apart);
  g_test_add_func ("/client/adversary/conflict-carries-the-current-request",
                   test_conflict_carries_the_current_request);
  g_test_add_func ("/client/adversary/rate-limit-carries-retry-after",
                   test_rate_limit_carries_retry_after);
  g_test_add_func ("/client/adversary/cancellation-passes-through",
                   test_cancellation_passes_through);
  g_test_add_func ("/client/adversary/cancelled-before-start-passes-through",
                   test_cancelled_before_start_passes_through);

  status = g_test_run ();
  tessera_test_adversary_free (adversary);

  return status;
}

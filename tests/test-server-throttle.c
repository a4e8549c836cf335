/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Redemption under attack (DESIGN §6): single use under concurrency, and throttling per source
 * address. Every test has its own server, so throttle state never leaks between tests.
 */
#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "tessera-otp-code.h"
#include "tessera-test-api.h"

#define N_CONCURRENT 50

static void
csprng_fill (guint8   *buffer,
             gsize     length,
             gpointer  user_data)
{
  g_assert_cmpint (getrandom (buffer, length, 0), ==, (gssize) length);
}

/* A well-formed code (right check character) that the server never issued. */
static char *
never_issued_code (void)
{
  char code[TESSERA_OTP_CODE_LENGTH + 1];

  tessera_otp_code_generate (csprng_fill, NULL, code);
  return tessera_otp_code_format (code);
}

static TesseraTestServer *
new_server (void)
{
  TesseraTestServerOptions options = { .demo_accounts = 20 };

  return tessera_test_server_new (&options);
}

static void
test_redeem_is_single_use_under_concurrency (void)
{
  g_autoptr(TesseraTestServer) server = new_server ();
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, token, 1);
  g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, token, ids->pdata[0]);
  g_autofree char *body = tessera_test_api_redemption_body (issued->code, "SN-RACE");
  g_autofree char *request = tessera_test_raw_format_request (server, "POST",
                                                              "/api/v1/device/redemptions",
                                                              NULL, body);
  gsize length = strlen (request);
  GSocketConnection *connections[N_CONCURRENT];
  guint created = 0;
  guint invalid = 0;

  /*
   * 50 connections, each from its own source address so that per-address throttling cannot
   * stand in for single use. Every request is sent but for its last byte; only when all 50
   * are waiting does each get its last byte, so all 50 are in flight at once.
   */
  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      g_autofree char *source = g_strdup_printf ("127.0.0.%u", 10 + i);

      connections[i] = tessera_test_raw_connect (server, source);
      tessera_test_raw_send (connections[i], request, (gssize) length - 1);
    }
  for (guint i = 0; i < N_CONCURRENT; i++)
    tessera_test_raw_send (connections[i], request + length - 1, 1);

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TesseraTestResponse) response = NULL;

      response = tessera_test_raw_read_response (connections[i], &error);
      g_assert_no_error (error);
      if (response->status == 201)
        {
          created++;
        }
      else
        {
          tessera_test_assert_problem (response, 400, "invalid_otp");
          invalid++;
        }
      g_object_unref (connections[i]);
    }

  g_assert_cmpuint (created, ==, 1);
  g_assert_cmpuint (invalid, ==, N_CONCURRENT - 1);

  /* And exactly one request exists for the account. */
  {
    g_autoptr(JsonNode) account = tessera_test_api_get_account (client, token, issued->account_id);

    g_assert_cmpuint (json_array_get_length (tessera_test_json_get_array (account, "requests")),
                      ==, 1);
  }
}

static TesseraTestResponse *
redeem_from (TesseraTestClient *console,
             const char        *code)
{
  g_autofree char *body = tessera_test_api_redemption_body (code, "SN-T");

  return tessera_test_client_request (console, "POST", "/api/v1/device/redemptions", NULL, body);
}

static void
assert_rate_limited (TesseraTestResponse *response)
{
  const char *retry_after;
  char *end = NULL;
  guint64 seconds;

  tessera_test_assert_problem (response, 429, "rate_limited");
  retry_after = tessera_test_response_get_header (response, "Retry-After");
  g_assert_nonnull (retry_after);
  /* Delay-seconds (RFC 9110 §10.2.3), and more than none. */
  seconds = g_ascii_strtoull (retry_after, &end, 10);
  g_assert_true (end != retry_after && *end == '\0');
  g_assert_cmpuint (seconds, >, 0);
  g_assert_cmpuint (seconds, <=, 15 * 60);
}

static void
test_eleventh_failure_from_an_address_is_429 (void)
{
  g_autoptr(TesseraTestServer) server = new_server ();
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, "127.0.0.9");
  g_autoptr(TesseraTestClient) attacker = tessera_test_client_new (server, "127.0.0.1");
  g_autoptr(TesseraTestClient) neighbour = tessera_test_client_new (server, "127.0.0.2");
  g_autofree char *token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, token, 1);
  g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, token, ids->pdata[0]);
  g_autoptr(TesseraTestResponse) eleventh = NULL;
  g_autoptr(TesseraTestResponse) valid_but_throttled = NULL;
  g_autoptr(TesseraTestResponse) neighbour_response = NULL;
  g_autoptr(JsonNode) account = NULL;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *code = never_issued_code ();
      g_autoptr(TesseraTestResponse) response = redeem_from (attacker, code);

      tessera_test_assert_problem (response, 400, "invalid_otp");
    }

  {
    g_autofree char *code = never_issued_code ();
    eleventh = redeem_from (attacker, code);
  }
  assert_rate_limited (eleventh);

  /* While throttled, even a valid code is refused, and stays unused. */
  valid_but_throttled = redeem_from (attacker, issued->code);
  assert_rate_limited (valid_but_throttled);
  account = tessera_test_api_get_account (client, token, issued->account_id);
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==, "otp_issued");

  /* Another address is not affected: the same code works from there. */
  neighbour_response = redeem_from (neighbour, issued->code);
  tessera_test_assert_json (neighbour_response, 201);
}

static void
test_failures_are_audited_with_the_source_address (void)
{
  g_autoptr(TesseraTestServer) server = new_server ();
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autoptr(TesseraTestClient) attacker = tessera_test_client_new (server, "127.0.0.3");
  g_autofree char *token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraTestResponse) audit = NULL;
  g_autofree char *code = never_issued_code ();
  g_autoptr(TesseraTestResponse) failed = redeem_from (attacker, code);
  g_auto(GStrv) groups = g_strsplit (code, "-", -1);
  g_autofree char *normalized = g_strjoinv ("", groups);
  JsonArray *items;
  guint from_attacker = 0;

  tessera_test_assert_problem (failed, 400, "invalid_otp");

  audit = tessera_test_client_request (client, "GET", "/api/v1/audit?limit=1000", token, NULL);
  tessera_test_assert_json (audit, 200);
  items = tessera_test_json_get_array (audit->json, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *entry = json_array_get_element (items, i);
      g_autofree char *text = json_to_string (entry, FALSE);

      if (g_strcmp0 (tessera_test_json_get_string (entry, "source_address"), "127.0.0.3") == 0)
        from_attacker++;
      /* The attempted code is a secret too: it never reaches the audit trail. */
      g_assert_null (strstr (text, code));
      g_assert_null (strstr (text, normalized));
    }
  g_assert_cmpuint (from_attacker, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/otp/redeem-is-single-use-under-concurrency",
                   test_redeem_is_single_use_under_concurrency);
  g_test_add_func ("/server/throttle/eleventh-failure-from-an-address-is-429-for-any-code",
                   test_eleventh_failure_from_an_address_is_429);
  g_test_add_func ("/server/throttle/failures-are-audited-with-the-source-address",
                   test_failures_are_audited_with_the_source_address);

  return g_test_run ();
}

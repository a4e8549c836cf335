/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A flood of failed redemptions against a real tessera-server (DESIGN §6): 2 000 attempts
 * from 20 source addresses at once, 100 each, with codes that were never issued (half of
 * them well-formed, so they reach the store; half malformed). Every address is throttled
 * after its 10 failures, the audit trail records the failures and the refusals with their
 * addresses, the refused attempts do not count toward the server-wide ceiling, and a console
 * at another address still redeems its code.
 */
#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "tessera-otp-code.h"
#include "tessera-test-api.h"

#define N_ADDRESSES       20
#define N_PER_ADDRESS     100
#define FAILURES_ALLOWED  10     /* the default [throttle] failures_per_address */

typedef struct {
  TesseraTestServer *server;
  char              *address;
  guint              n_invalid;      /* 400 invalid_otp */
  guint              n_throttled;    /* 429 rate_limited with Retry-After */
  guint              n_other;
  guint              first_throttled;
} Attacker;

static void
csprng_fill (guint8   *buffer,
             gsize     length,
             gpointer  user_data)
{
  g_assert_cmpint (getrandom (buffer, length, 0), ==, (gssize) length);
}

static char *
guessed_code (guint attempt)
{
  char code[TESSERA_OTP_CODE_LENGTH + 1];

  if (attempt % 2 == 1)
    return g_strdup_printf ("GUESS-%04u", attempt);  /* not even a code */

  tessera_otp_code_generate (csprng_fill, NULL, code);
  return tessera_otp_code_format (code);
}

static gpointer
attack (gpointer user_data)
{
  Attacker *attacker = user_data;
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (attacker->server,
                                                                 attacker->address);

  for (guint i = 0; i < N_PER_ADDRESS; i++)
    {
      g_autofree char *code = guessed_code (i);
      g_autofree char *body = tessera_test_api_redemption_body (code, "SN-FLOOD");
      g_autoptr(TesseraTestResponse) response = NULL;

      response = tessera_test_client_request (client, "POST", "/api/v1/device/redemptions",
                                              NULL, body);
      if (response->status == 400 &&
          g_strcmp0 (tessera_test_json_get_string (response->json, "code"), "invalid_otp") == 0)
        {
          attacker->n_invalid++;
        }
      else if (response->status == 429 &&
               g_strcmp0 (tessera_test_json_get_string (response->json, "code"),
                          "rate_limited") == 0 &&
               tessera_test_response_get_header (response, "Retry-After") != NULL)
        {
          if (attacker->n_throttled++ == 0)
            attacker->first_throttled = i + 1;
        }
      else
        {
          attacker->n_other++;
        }
    }

  return NULL;
}

/* action → source address → count, over every page of the audit trail. */
static GHashTable *
count_audit (TesseraTestClient *client,
             const char        *token)
{
  GHashTable *by_action = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_hash_table_unref);
  g_autofree char *cursor = NULL;

  do
    {
      g_autoptr(TesseraTestResponse) page = NULL;
      g_autofree char *path = NULL;
      JsonArray *items;

      if (cursor != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
          path = g_strdup_printf ("/api/v1/audit?limit=1000&cursor=%s", escaped);
        }
      else
        path = g_strdup ("/api/v1/audit?limit=1000");

      page = tessera_test_client_request (client, "GET", path, token, NULL);
      tessera_test_assert_json (page, 200);
      items = tessera_test_json_get_array (page->json, "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *entry = json_array_get_element (items, i);
          const char *action = tessera_test_json_get_string (entry, "action");
          const char *source = tessera_test_json_get_string (entry, "source_address");
          GHashTable *by_source;

          if (action == NULL || source == NULL)
            continue;
          by_source = g_hash_table_lookup (by_action, action);
          if (by_source == NULL)
            {
              by_source = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
              g_hash_table_insert (by_action, g_strdup (action), by_source);
            }
          g_hash_table_insert (by_source, g_strdup (source),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (by_source,
                                                                                        source))
                                                 + 1));
        }

      g_clear_pointer (&cursor, g_free);
      if (!tessera_test_json_is_null (page->json, "next_cursor"))
        cursor = g_strdup (tessera_test_json_get_string (page->json, "next_cursor"));
    }
  while (cursor != NULL);

  return by_action;
}

static guint
audit_count (GHashTable *by_action,
             const char *action,
             const char *source)
{
  GHashTable *by_source = g_hash_table_lookup (by_action, action);

  return by_source != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (by_source, source)) : 0;
}

static void
test_flood_of_failures_throttles_every_address_and_spares_others (void)
{
  TesseraTestServerOptions options = { .demo_accounts = 20 };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraTestClient) admin = tessera_test_client_new (server, NULL);
  g_autoptr(TesseraTestClient) console = tessera_test_client_new (server, "127.0.0.250");
  g_autoptr(TesseraTestClient) newcomer = tessera_test_client_new (server, "127.0.0.251");
  g_autofree char *token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (admin, token, 1);
  g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (admin, token, ids->pdata[0]);
  g_autoptr(TesseraTestRedeemed) redeemed = NULL;
  g_autoptr(TesseraTestResponse) wrong = NULL;
  g_autoptr(GHashTable) audit = NULL;
  Attacker attackers[N_ADDRESSES] = { 0 };
  GThread *threads[N_ADDRESSES];
  gint64 started = g_get_monotonic_time ();

  for (guint a = 0; a < N_ADDRESSES; a++)
    {
      attackers[a].server = server;
      attackers[a].address = g_strdup_printf ("127.0.0.%u", 10 + a);
      threads[a] = g_thread_new ("attacker", attack, &attackers[a]);
    }
  for (guint a = 0; a < N_ADDRESSES; a++)
    g_thread_join (threads[a]);
  g_test_message ("%u failed redemptions from %u addresses in %.1f s", N_ADDRESSES *
                  N_PER_ADDRESS, N_ADDRESSES, (g_get_monotonic_time () - started) / 1e6);

  /* Every address: its 10 failures evaluated, then nothing but 429 with Retry-After. */
  for (guint a = 0; a < N_ADDRESSES; a++)
    {
      g_assert_cmpuint (attackers[a].n_other, ==, 0);
      g_assert_cmpuint (attackers[a].n_invalid, ==, FAILURES_ALLOWED);
      g_assert_cmpuint (attackers[a].n_throttled, ==, N_PER_ADDRESS - FAILURES_ALLOWED);
      g_assert_cmpuint (attackers[a].first_throttled, ==, FAILURES_ALLOWED + 1);
    }

  /* A console elsewhere redeems its code, and a newcomer's mistake is judged, not refused:
   * the 1 800 refusals did not count toward the server-wide ceiling. */
  redeemed = tessera_test_api_redeem (console, issued->code);
  g_assert_cmpstr (redeemed->state, ==, "pending");
  {
    g_autofree char *code = guessed_code (0);
    g_autofree char *body = tessera_test_api_redemption_body (code, "SN-NEW");

    wrong = tessera_test_client_request (newcomer, "POST", "/api/v1/device/redemptions", NULL,
                                         body);
    tessera_test_assert_problem (wrong, 400, "invalid_otp");
  }

  /* The audit trail shows each address: every failure, and its throttling. */
  audit = count_audit (admin, token);
  for (guint a = 0; a < N_ADDRESSES; a++)
    {
      g_assert_cmpuint (audit_count (audit, "redemption_failed", attackers[a].address), ==,
                        FAILURES_ALLOWED);
      g_assert_cmpuint (audit_count (audit, "redemption_throttled", attackers[a].address), >=, 1);
      g_free (attackers[a].address);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/fault/flood/2000-failures-from-20-addresses-throttle-each-and-spare-others",
                   test_flood_of_failures_throttles_every_address_and_spares_others);

  return g_test_run ();
}

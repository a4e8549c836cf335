/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GET /api/v1/accounts (filters, pagination, limits) and GET /api/v1/accounts/{id} with its
 * history (DESIGN §3, §4), against a real tessera-server with demo data.
 */
#include "config.h"

#include <string.h>

#include "tessera-test-api.h"

#define N_ACCOUNTS 250

static TesseraTestServer *server;
static TesseraTestClient *client;
static char *admin_token;
static char *viewer_token;

static JsonNode *
get_page (const char *path)
{
  g_autoptr(TesseraTestResponse) response = NULL;

  response = tessera_test_client_request (client, "GET", path, viewer_token, NULL);
  tessera_test_assert_json (response, 200);
  return json_node_ref (response->json);
}

static void
test_list_answers_a_default_page_with_total_and_cursor (void)
{
  g_autoptr(JsonNode) page = get_page ("/api/v1/accounts");
  JsonArray *items = tessera_test_json_get_array (page, "items");

  g_assert_nonnull (items);
  /* DESIGN §4: the default limit is 200. */
  g_assert_cmpuint (json_array_get_length (items), ==, 200);
  g_assert_cmpint (tessera_test_json_get_int (page, "total"), ==, N_ACCOUNTS);
  g_assert_nonnull (tessera_test_json_get_string (page, "next_cursor"));

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *account = json_array_get_element (items, i);
      const char *readiness = tessera_test_json_get_string (account, "readiness");

      g_assert_nonnull (tessera_test_json_get_string (account, "id"));
      g_assert_nonnull (tessera_test_json_get_string (account, "display_name"));
      g_assert_nonnull (tessera_test_json_get_string (account, "upn"));
      g_assert_nonnull (tessera_test_json_get_string (account, "site"));
      g_assert_true (tessera_test_json_has (account, "license"));
      g_assert_nonnull (tessera_test_json_get_array (account, "readiness_issues"));
      g_assert_nonnull (tessera_test_json_get_string (account, "updated_at"));
      g_assert_nonnull (tessera_test_json_get_string (account, "provisioning.state"));

      /* The derived readiness follows DESIGN §3 from licence and issues. */
      if (tessera_test_json_is_null (account, "license"))
        g_assert_cmpstr (readiness, ==, "no_valid_license");
      else if (json_array_get_length (tessera_test_json_get_array (account, "readiness_issues")) > 0)
        g_assert_cmpstr (readiness, ==, "change_settings");
      else
        g_assert_cmpstr (readiness, ==, "ready");
    }
}

static void
test_pagination_visits_every_account_exactly_once (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  guint pages = 0;
  guint visited = 0;

  do
    {
      g_autofree char *escaped = cursor != NULL ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/accounts?limit=7%s%s",
                                               escaped != NULL ? "&cursor=" : "",
                                               escaped != NULL ? escaped : "");
      g_autoptr(JsonNode) page = get_page (path);
      JsonArray *items = tessera_test_json_get_array (page, "items");

      g_assert_cmpuint (json_array_get_length (items), <=, 7);
      g_assert_cmpint (tessera_test_json_get_int (page, "total"), ==, N_ACCOUNTS);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          const char *id = tessera_test_json_get_string (json_array_get_element (items, i), "id");

          if (!g_hash_table_add (seen, g_strdup (id)))
            g_error ("account %s was listed twice", id);
          visited++;
        }
      g_clear_pointer (&cursor, g_free);
      if (!tessera_test_json_is_null (page, "next_cursor"))
        {
          cursor = g_strdup (tessera_test_json_get_string (page, "next_cursor"));
          g_assert_nonnull (cursor);
          /* A cursor is only handed out when there is more to see. */
          g_assert_cmpuint (json_array_get_length (items), ==, 7);
        }
      g_assert_cmpuint (++pages, <=, N_ACCOUNTS / 7 + 2);
    }
  while (cursor != NULL);

  g_assert_cmpuint (visited, ==, N_ACCOUNTS);
  g_assert_cmpuint (pages, ==, (N_ACCOUNTS + 6) / 7);
}

static void
test_limit_over_1000_or_below_1_is_refused (void)
{
  const char *refused[] = { "limit=1001", "limit=0", "limit=-1", "limit=ten", "limit=99999999999" };
  g_autoptr(JsonNode) most = get_page ("/api/v1/accounts?limit=1000");

  g_assert_cmpuint (json_array_get_length (tessera_test_json_get_array (most, "items")), ==,
                    N_ACCOUNTS);
  g_assert_true (tessera_test_json_is_null (most, "next_cursor"));

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/accounts?%s", refused[i]);
      g_autoptr(TesseraTestResponse) response = NULL;

      response = tessera_test_client_request (client, "GET", path, viewer_token, NULL);
      tessera_test_assert_problem (response, 400, NULL);
      g_assert_nonnull (strstr (tessera_test_json_get_string (response->json, "detail"), "limit"));
    }
}

static void
test_garbage_cursor_is_refused (void)
{
  g_autoptr(TesseraTestResponse) response = NULL;

  response = tessera_test_client_request (client, "GET", "/api/v1/accounts?cursor=%21%21nonsense",
                                          viewer_token, NULL);
  tessera_test_assert_problem (response, 400, NULL);
}

static gboolean
contains_casefolded (const char *haystack,
                     const char *needle_folded)
{
  g_autofree char *folded = g_utf8_casefold (haystack, -1);

  return strstr (folded, needle_folded) != NULL;
}

static void
check_query (const char *q,
             const char *expected_id)
{
  g_autofree char *escaped = g_uri_escape_string (q, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/accounts?limit=1000&q=%s", escaped);
  g_autofree char *folded = g_utf8_casefold (q, -1);
  g_autoptr(JsonNode) page = get_page (path);
  JsonArray *items = tessera_test_json_get_array (page, "items");
  gboolean found = FALSE;

  g_assert_cmpuint (json_array_get_length (items), >, 0);
  g_assert_cmpint (tessera_test_json_get_int (page, "total"), ==, json_array_get_length (items));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *account = json_array_get_element (items, i);

      g_assert_true (contains_casefolded (tessera_test_json_get_string (account, "display_name"), folded) ||
                     contains_casefolded (tessera_test_json_get_string (account, "upn"), folded) ||
                     contains_casefolded (tessera_test_json_get_string (account, "site"), folded));
      found |= g_strcmp0 (tessera_test_json_get_string (account, "id"), expected_id) == 0;
    }
  g_assert_true (found);
}

static void
test_filter_q_matches_name_upn_or_site_ignoring_case (void)
{
  g_autoptr(JsonNode) page = get_page ("/api/v1/accounts?limit=1");
  JsonNode *account = tessera_test_json_get (page, "items.0");
  const char *id = tessera_test_json_get_string (account, "id");
  const char *upn = tessera_test_json_get_string (account, "upn");
  const char *site = tessera_test_json_get_string (account, "site");
  const char *name = tessera_test_json_get_string (account, "display_name");
  const char *at = strchr (upn, '@');
  g_autofree char *local_part = g_strndup (upn, at != NULL ? (gsize) (at - upn) : strlen (upn));
  g_autofree char *site_upper = g_utf8_strup (site, -1);
  g_autofree char *name_lower = g_utf8_strdown (name, -1);

  check_query (local_part, id);
  check_query (site_upper, id);
  check_query (name_lower, id);

  {
    g_autoptr(JsonNode) none = get_page ("/api/v1/accounts?q=zzqqxx-matches-nothing");

    g_assert_cmpuint (json_array_get_length (tessera_test_json_get_array (none, "items")), ==, 0);
    g_assert_cmpint (tessera_test_json_get_int (none, "total"), ==, 0);
    g_assert_true (tessera_test_json_is_null (none, "next_cursor"));
  }
}

static guint
count_with (const char *filter,
            const char *member,
            const char *value)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/accounts?limit=1000&%s", filter);
  g_autoptr(JsonNode) page = get_page (path);
  JsonArray *items = tessera_test_json_get_array (page, "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (tessera_test_json_get_string (json_array_get_element (items, i), member),
                     ==, value);
  g_assert_cmpint (tessera_test_json_get_int (page, "total"), ==, json_array_get_length (items));
  return json_array_get_length (items);
}

static void
test_filter_readiness_partitions_the_accounts (void)
{
  guint ready = count_with ("readiness=ready", "readiness", "ready");
  guint change = count_with ("readiness=change_settings", "readiness", "change_settings");
  guint license = count_with ("readiness=no_valid_license", "readiness", "no_valid_license");
  g_autoptr(JsonNode) both = get_page ("/api/v1/accounts?limit=1000&readiness=change_settings,no_valid_license");
  g_autoptr(TesseraTestResponse) bogus = NULL;

  /* Demo data has each kind (DESIGN: "~70 % ready"). */
  g_assert_cmpuint (ready, >, 0);
  g_assert_cmpuint (change, >, 0);
  g_assert_cmpuint (license, >, 0);
  g_assert_cmpuint (ready + change + license, ==, N_ACCOUNTS);
  g_assert_cmpint (tessera_test_json_get_int (both, "total"), ==, change + license);

  bogus = tessera_test_client_request (client, "GET", "/api/v1/accounts?readiness=bogus",
                                       viewer_token, NULL);
  tessera_test_assert_problem (bogus, 400, NULL);
}

static void
test_filter_provisioning_finds_issued_accounts (void)
{
  g_autoptr(GPtrArray) fresh = tessera_test_api_fresh_ready_accounts (client, admin_token, 2);
  g_autoptr(TesseraTestIssued) a = tessera_test_api_issue (client, admin_token, fresh->pdata[0]);
  g_autoptr(TesseraTestIssued) b = tessera_test_api_issue (client, admin_token, fresh->pdata[1]);
  g_autoptr(GPtrArray) issued = NULL;
  g_autoptr(GPtrArray) not_started = NULL;
  g_autoptr(TesseraTestResponse) bogus = NULL;

  issued = tessera_test_api_list_account_ids (client, viewer_token, "provisioning=otp_issued");
  g_assert_true (g_ptr_array_find_with_equal_func (issued, a->account_id, g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (issued, b->account_id, g_str_equal, NULL));
  count_with ("provisioning=otp_issued", "provisioning.state", "otp_issued");

  not_started = tessera_test_api_list_account_ids (client, viewer_token, "provisioning=not_started");
  g_assert_false (g_ptr_array_find_with_equal_func (not_started, a->account_id, g_str_equal, NULL));
  count_with ("provisioning=not_started", "provisioning.state", "not_started");

  bogus = tessera_test_client_request (client, "GET", "/api/v1/accounts?provisioning=issued",
                                       viewer_token, NULL);
  tessera_test_assert_problem (bogus, 400, NULL);
}

static void
test_filter_updated_since_finds_only_later_changes (void)
{
  g_autoptr(JsonNode) all = get_page ("/api/v1/accounts?limit=1000");
  JsonArray *items = tessera_test_json_get_array (all, "items");
  g_autoptr(GDateTime) newest = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(TesseraTestIssued) issued = NULL;
  g_autoptr(JsonNode) later = NULL;
  g_autoptr(TesseraTestResponse) bogus = NULL;
  g_autofree char *since = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *text = tessera_test_json_get_string (json_array_get_element (items, i),
                                                       "updated_at");
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (text, NULL);

      g_assert_nonnull (at);
      if (newest == NULL || g_date_time_compare (at, newest) > 0)
        {
          g_clear_pointer (&newest, g_date_time_unref);
          newest = g_date_time_ref (at);
          g_free (since);
          since = g_strdup (text);
        }
    }

  fresh = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  issued = tessera_test_api_issue (client, admin_token, fresh->pdata[0]);

  escaped = g_uri_escape_string (since, NULL, FALSE);
  path = g_strdup_printf ("/api/v1/accounts?limit=1000&updated_since=%s", escaped);
  later = get_page (path);
  items = tessera_test_json_get_array (later, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (tessera_test_json_get_string (later, "items.0.id"), ==, issued->account_id);

  bogus = tessera_test_client_request (client, "GET", "/api/v1/accounts?updated_since=yesterday",
                                       viewer_token, NULL);
  tessera_test_assert_problem (bogus, 400, NULL);
}

static void
test_one_account_carries_its_otp_and_request_history (void)
{
  g_autoptr(GPtrArray) fresh = tessera_test_api_fresh_ready_accounts (client, admin_token, 1);
  const char *id = fresh->pdata[0];
  g_autoptr(TesseraTestIssued) first = tessera_test_api_issue (client, admin_token, id);
  g_autoptr(TesseraTestIssued) second = tessera_test_api_issue (client, admin_token, id);
  g_autoptr(TesseraTestRedeemed) redeemed = tessera_test_api_redeem (client, second->code);
  g_autoptr(JsonNode) account = NULL;
  JsonArray *otps;
  JsonArray *requests;

  g_assert_cmpstr (first->otp_id, !=, second->otp_id);
  g_assert_nonnull (redeemed->id);

  account = tessera_test_api_get_account (client, viewer_token, id);
  g_assert_cmpstr (tessera_test_json_get_string (account, "id"), ==, id);
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==,
                   "awaiting_otp_approval");
  g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.otp_id"), ==,
                   second->otp_id);

  otps = tessera_test_json_get_array (account, "otps");
  g_assert_nonnull (otps);
  g_assert_cmpuint (json_array_get_length (otps), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *otp = json_array_get_element (otps, i);
      const char *otp_id = tessera_test_json_get_string (otp, "id");
      const char *state = tessera_test_json_get_string (otp, "state");

      g_assert_cmpstr (tessera_test_json_get_string (otp, "account_id"), ==, id);
      g_assert_cmpstr (tessera_test_json_get_string (otp, "issued_by"), ==, "admin");
      g_assert_nonnull (tessera_test_json_get_string (otp, "issued_at"));
      g_assert_nonnull (tessera_test_json_get_string (otp, "expires_at"));
      /* The code itself is never shown again. */
      g_assert_false (tessera_test_json_has (otp, "code"));
      if (g_strcmp0 (otp_id, first->otp_id) == 0)
        g_assert_cmpstr (state, ==, "revoked");
      else if (g_strcmp0 (otp_id, second->otp_id) == 0)
        g_assert_cmpstr (state, ==, "redeemed");
      else
        g_error ("unexpected OTP %s in the history", otp_id);
    }

  requests = tessera_test_json_get_array (account, "requests");
  g_assert_nonnull (requests);
  g_assert_cmpuint (json_array_get_length (requests), ==, 1);
  g_assert_cmpstr (tessera_test_json_get_string (json_array_get_element (requests, 0), "state"),
                   ==, "pending");
  g_assert_cmpstr (tessera_test_json_get_string (json_array_get_element (requests, 0), "account.id"),
                   ==, id);
}

static void
test_unknown_account_is_404 (void)
{
  g_autoptr(TesseraTestResponse) response = NULL;

  response = tessera_test_client_request (client, "GET", "/api/v1/accounts/no-such-account",
                                          viewer_token, NULL);
  tessera_test_assert_problem (response, 404, NULL);
}

int
main (int   argc,
      char *argv[])
{
  TesseraTestServerOptions options = { .demo_accounts = N_ACCOUNTS };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/accounts/list-answers-a-default-page-with-total-and-cursor",
                   test_list_answers_a_default_page_with_total_and_cursor);
  g_test_add_func ("/server/accounts/pagination-visits-every-account-exactly-once",
                   test_pagination_visits_every_account_exactly_once);
  g_test_add_func ("/server/accounts/limit-over-1000-or-below-1-is-refused",
                   test_limit_over_1000_or_below_1_is_refused);
  g_test_add_func ("/server/accounts/garbage-cursor-is-refused",
                   test_garbage_cursor_is_refused);
  g_test_add_func ("/server/accounts/filter-q-matches-name-upn-or-site-ignoring-case",
                   test_filter_q_matches_name_upn_or_site_ignoring_case);
  g_test_add_func ("/server/accounts/filter-readiness-partitions-the-accounts",
                   test_filter_readiness_partitions_the_accounts);
  g_test_add_func ("/server/accounts/filter-provisioning-finds-issued-accounts",
                   test_filter_provisioning_finds_issued_accounts);
  g_test_add_func ("/server/accounts/filter-updated-since-finds-only-later-changes",
                   test_filter_updated_since_finds_only_later_changes);
  g_test_add_func ("/server/accounts/one-account-carries-its-otp-and-request-history",
                   test_one_account_carries_its_otp_and_request_history);
  g_test_add_func ("/server/accounts/unknown-account-is-404",
                   test_unknown_account_is_404);

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

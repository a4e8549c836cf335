/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GET/PUT /api/v1/settings and GET /api/v1/audit (DESIGN §1.5, §4), against a real
 * tessera-server.
 */
#include "config.h"

#include <string.h>

#include "tessera-test-api.h"

static void
assert_settings (JsonNode *settings,
                 gint64    validity,
                 gboolean  auto_approve,
                 gboolean  separation)
{
  g_assert_cmpint (tessera_test_json_get_int (settings, "otp_validity_hours"), ==, validity);
  g_assert_cmpint (tessera_test_json_get_bool (settings, "auto_approve"), ==, auto_approve);
  g_assert_cmpint (tessera_test_json_get_bool (settings, "separation_of_duties"), ==, separation);
}

static JsonNode *
get_settings (TesseraTestClient *client,
              const char        *token)
{
  g_autoptr(TesseraTestResponse) response = NULL;

  response = tessera_test_client_request (client, "GET", "/api/v1/settings", token, NULL);
  tessera_test_assert_json (response, 200);
  return json_node_ref (response->json);
}

static void
test_defaults_are_8_hours_and_everything_off (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *viewer = tessera_test_server_sign_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(JsonNode) settings = get_settings (client, viewer);

  assert_settings (settings, 8, FALSE, FALSE);
}

static void
test_put_changes_only_the_members_given (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *admin = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraTestResponse) first = NULL;
  g_autoptr(TesseraTestResponse) second = NULL;
  g_autoptr(TesseraTestResponse) third = NULL;
  g_autoptr(JsonNode) settings = NULL;

  first = tessera_test_client_request (client, "PUT", "/api/v1/settings", admin,
                                       "{\"auto_approve\":true}");
  tessera_test_assert_json (first, 200);
  assert_settings (first->json, 8, TRUE, FALSE);

  second = tessera_test_client_request (client, "PUT", "/api/v1/settings", admin,
                                        "{\"otp_validity_hours\":24}");
  tessera_test_assert_json (second, 200);
  assert_settings (second->json, 24, TRUE, FALSE);

  third = tessera_test_client_request (client, "PUT", "/api/v1/settings", admin,
                                       "{\"separation_of_duties\":true,\"auto_approve\":false}");
  tessera_test_assert_json (third, 200);
  assert_settings (third->json, 24, FALSE, TRUE);

  settings = get_settings (client, admin);
  assert_settings (settings, 24, FALSE, TRUE);

  /* Kept across a restart, too. */
  tessera_test_server_restart (server);
  {
    g_autoptr(TesseraTestClient) again = tessera_test_client_new (server, NULL);
    g_autoptr(JsonNode) after = get_settings (again, admin);

    assert_settings (after, 24, FALSE, TRUE);
  }
}

static void
test_validity_outside_1_to_336_is_refused (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *admin = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  const char *refused[] = {
    "{\"otp_validity_hours\":0}", "{\"otp_validity_hours\":337}",
    "{\"otp_validity_hours\":-8}", "{\"otp_validity_hours\":8.5}",
    "{\"otp_validity_hours\":\"8\"}", "{\"auto_approve\":\"yes\"}", "[]",
  };
  g_autoptr(JsonNode) settings = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(TesseraTestResponse) response = NULL;

      g_test_message ("PUT /api/v1/settings %s", refused[i]);
      response = tessera_test_client_request (client, "PUT", "/api/v1/settings", admin,
                                              refused[i]);
      tessera_test_assert_problem (response, 400, NULL);
    }
  settings = get_settings (client, admin);
  assert_settings (settings, 8, FALSE, FALSE);

  /* The bounds themselves are allowed. */
  {
    g_autoptr(TesseraTestResponse) low = NULL;
    g_autoptr(TesseraTestResponse) high = NULL;

    low = tessera_test_client_request (client, "PUT", "/api/v1/settings", admin,
                                       "{\"otp_validity_hours\":1}");
    tessera_test_assert_json (low, 200);
    assert_settings (low->json, 1, FALSE, FALSE);
    high = tessera_test_client_request (client, "PUT", "/api/v1/settings", admin,
                                        "{\"otp_validity_hours\":336}");
    tessera_test_assert_json (high, 200);
    assert_settings (high->json, 336, FALSE, FALSE);
  }
}

static void
test_validity_applies_to_new_otps (void)
{
  TesseraTestServerOptions options = { .demo_accounts = 20 };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *admin = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(TesseraTestIssued) issued = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan delta;

  tessera_test_api_put_settings (client, admin, "{\"otp_validity_hours\":2}");
  ids = tessera_test_api_fresh_ready_accounts (client, admin, 1);
  issued = tessera_test_api_issue (client, admin, ids->pdata[0]);

  expires = g_date_time_new_from_iso8601 (issued->expires_at, NULL);
  g_assert_nonnull (expires);
  delta = g_date_time_difference (expires, now) - 2 * G_TIME_SPAN_HOUR;
  g_assert_cmpint (delta, >, -G_TIME_SPAN_MINUTE);
  g_assert_cmpint (delta, <, G_TIME_SPAN_MINUTE);
}

static gboolean
audit_has (JsonArray  *items,
           const char *actor,
           const char *source_address)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *entry = json_array_get_element (items, i);

      if (g_strcmp0 (tessera_test_json_get_string (entry, "actor"), actor) == 0 &&
          g_strcmp0 (tessera_test_json_get_string (entry, "source_address"), source_address) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_audit_records_who_did_what_when_and_from_where (void)
{
  TesseraTestServerOptions options = { .demo_accounts = 20 };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autoptr(TesseraTestClient) elsewhere = tessera_test_client_new (server, "127.0.0.4");
  g_autofree char *admin = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autofree char *admin2 = NULL;
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, admin, 1);
  g_autoptr(TesseraTestIssued) issued = tessera_test_api_issue (client, admin, ids->pdata[0]);
  g_autoptr(TesseraTestResponse) settings = NULL;
  g_autoptr(TesseraTestResponse) failed = NULL;
  g_autoptr(TesseraTestResponse) audit = NULL;
  JsonArray *items;
  g_autoptr(GDateTime) previous = NULL;
  g_autofree char *text = NULL;

  {
    g_autofree char *password = tessera_test_json_quote (
      tessera_test_server_get_password (server, TESSERA_TEST_ADMIN2));
    g_autofree char *body = g_strdup_printf ("{\"username\":\"admin2\",\"password\":%s}", password);
    g_autoptr(TesseraTestResponse) signed_in = NULL;

    signed_in = tessera_test_client_request (elsewhere, "POST", "/api/v1/sessions", NULL, body);
    tessera_test_assert_json (signed_in, 201);
    admin2 = g_strdup (tessera_test_json_get_string (signed_in->json, "token"));
  }
  settings = tessera_test_client_request (elsewhere, "PUT", "/api/v1/settings", admin2,
                                          "{\"otp_validity_hours\":12}");
  tessera_test_assert_json (settings, 200);
  failed = tessera_test_client_request (elsewhere, "POST", "/api/v1/sessions", NULL,
                                        "{\"username\":\"admin\",\"password\":\"guess-1234\"}");
  tessera_test_assert_problem (failed, 401, "invalid_credentials");

  audit = tessera_test_client_request (client, "GET", "/api/v1/audit?limit=1000", admin, NULL);
  tessera_test_assert_json (audit, 200);
  items = tessera_test_json_get_array (audit->json, "items");
  g_assert_cmpint (tessera_test_json_get_int (audit->json, "total"), ==, json_array_get_length (items));

  /* The issue by admin from 127.0.0.1, the change by admin2 from 127.0.0.4. */
  g_assert_true (audit_has (items, "admin", "127.0.0.1"));
  g_assert_true (audit_has (items, "admin2", "127.0.0.4"));

  /* Newest first, each with an id, a time and an action. */
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *entry = json_array_get_element (items, i);
      g_autoptr(GDateTime) at = NULL;

      g_assert_nonnull (tessera_test_json_get_string (entry, "id"));
      g_assert_nonnull (tessera_test_json_get_string (entry, "action"));
      at = g_date_time_new_from_iso8601 (tessera_test_json_get_string (entry, "at"), NULL);
      g_assert_nonnull (at);
      if (previous != NULL)
        g_assert_cmpint (g_date_time_compare (at, previous), <=, 0);
      g_clear_pointer (&previous, g_date_time_unref);
      previous = g_date_time_ref (at);
    }

  /* No secret in the trail: not the code, the tokens, or any password. */
  text = json_to_string (audit->json, FALSE);
  g_assert_null (strstr (text, issued->code));
  g_assert_null (strstr (text, issued->password));
  g_assert_null (strstr (text, admin));
  g_assert_null (strstr (text, admin2));
  g_assert_null (strstr (text, "guess-1234"));
  g_assert_null (strstr (text, tessera_test_server_get_password (server, TESSERA_TEST_ADMIN)));
}

static void
test_audit_pages_visit_every_entry_once (void)
{
  TesseraTestServerOptions options = { .demo_accounts = 30 };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *admin = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  gint64 total = -1;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"otp_validity_hours\":%u}", i + 1);
      tessera_test_api_put_settings (client, admin, body);
    }

  do
    {
      g_autofree char *escaped = cursor != NULL ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/audit?limit=5%s%s",
                                               escaped != NULL ? "&cursor=" : "",
                                               escaped != NULL ? escaped : "");
      g_autoptr(TesseraTestResponse) page = NULL;
      JsonArray *items;

      page = tessera_test_client_request (client, "GET", path, admin, NULL);
      tessera_test_assert_json (page, 200);
      if (total < 0)
        total = tessera_test_json_get_int (page->json, "total");
      items = tessera_test_json_get_array (page->json, "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_assert_true (g_hash_table_add (seen, g_strdup (tessera_test_json_get_string (
                                                 json_array_get_element (items, i), "id"))));
      g_clear_pointer (&cursor, g_free);
      cursor = g_strdup (tessera_test_json_get_string (page->json, "next_cursor"));
    }
  while (cursor != NULL);

  g_assert_cmpint (total, >=, 12);
  g_assert_cmpuint (g_hash_table_size (seen), ==, (guint) total);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/settings/defaults-are-8-hours-and-everything-off",
                   test_defaults_are_8_hours_and_everything_off);
  g_test_add_func ("/server/settings/put-changes-only-the-members-given-and-persists",
                   test_put_changes_only_the_members_given);
  g_test_add_func ("/server/settings/validity-outside-1-to-336-is-refused",
                   test_validity_outside_1_to_336_is_refused);
  g_test_add_func ("/server/settings/validity-applies-to-new-otps",
                   test_validity_applies_to_new_otps);
  g_test_add_func ("/server/audit/records-who-did-what-when-and-from-where-without-secrets",
                   test_audit_records_who_did_what_when_and_from_where);
  g_test_add_func ("/server/audit/pages-visit-every-entry-once",
                   test_audit_pages_visit_every_entry_once);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-test-api"

#include "config.h"

#include "tessera-test-api.h"

void
tessera_test_issued_free (TesseraTestIssued *self)
{
  if (self == NULL)
    return;
  g_free (self->account_id);
  g_free (self->otp_id);
  g_free (self->code);
  g_free (self->expires_at);
  g_free (self->password);
  g_free (self);
}

void
tessera_test_redeemed_free (TesseraTestRedeemed *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->poll_token);
  g_free (self->state);
  g_free (self);
}

GPtrArray *
tessera_test_api_list_account_ids (TesseraTestClient *client,
                                   const char        *token,
                                   const char        *query)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;
  guint pages = 0;

  do
    {
      g_autoptr(TesseraTestResponse) response = NULL;
      g_autofree char *path = NULL;
      g_autofree char *escaped = cursor != NULL ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      JsonArray *items;
      JsonNode *next;

      path = g_strdup_printf ("/api/v1/accounts?limit=1000%s%s%s%s",
                              query != NULL ? "&" : "", query != NULL ? query : "",
                              escaped != NULL ? "&cursor=" : "", escaped != NULL ? escaped : "");
      response = tessera_test_client_request (client, "GET", path, token, NULL);
      tessera_test_assert_json (response, 200);
      items = tessera_test_json_get_array (response->json, "items");
      g_assert_nonnull (items);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          const char *id = tessera_test_json_get_string (item, "id");

          g_assert_nonnull (id);
          g_ptr_array_add (ids, g_strdup (id));
        }

      g_clear_pointer (&cursor, g_free);
      next = tessera_test_json_get (response->json, "next_cursor");
      g_assert_nonnull (next);
      if (!JSON_NODE_HOLDS_NULL (next))
        cursor = g_strdup (tessera_test_json_get_string (response->json, "next_cursor"));
      g_assert_cmpuint (++pages, <, 10000);
    }
  while (cursor != NULL);

  return ids;
}

GPtrArray *
tessera_test_api_fresh_ready_accounts (TesseraTestClient *client,
                                       const char        *token,
                                       guint              n)
{
  GPtrArray *ids;

  ids = tessera_test_api_list_account_ids (client, token,
                                           "readiness=ready&provisioning=not_started");
  if (ids->len < n)
    g_error ("needed %u ready accounts that never had an OTP, the server has %u", n, ids->len);
  g_ptr_array_set_size (ids, n);
  return ids;
}

JsonNode *
tessera_test_api_get_account (TesseraTestClient *client,
                              const char        *token,
                              const char        *account_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/accounts/%s", account_id);
  g_autoptr(TesseraTestResponse) response = NULL;

  response = tessera_test_client_request (client, "GET", path, token, NULL);
  tessera_test_assert_json (response, 200);
  return json_node_ref (response->json);
}

TesseraTestIssued *
tessera_test_api_issue (TesseraTestClient *client,
                        const char        *token,
                        const char        *account_id)
{
  g_autoptr(TesseraTestResponse) response = NULL;
  g_autofree char *quoted = tessera_test_json_quote (account_id);
  g_autofree char *body = NULL;
  TesseraTestIssued *issued;
  JsonNode *row;

  body = g_strdup_printf ("{\"account_ids\":[%s],\"password_mode\":\"generate\","
                          "\"return_passwords\":true}", quoted);
  response = tessera_test_client_request (client, "POST", "/api/v1/otp-batches", token, body);
  tessera_test_assert_json (response, 201);

  row = tessera_test_json_get (response->json, "results.0");
  g_assert_nonnull (row);
  g_assert_cmpstr (tessera_test_json_get_string (row, "account_id"), ==, account_id);
  g_assert_cmpstr (tessera_test_json_get_string (row, "status"), ==, "issued");

  issued = g_new0 (TesseraTestIssued, 1);
  issued->account_id = g_strdup (account_id);
  issued->otp_id = g_strdup (tessera_test_json_get_string (row, "otp.id"));
  issued->code = g_strdup (tessera_test_json_get_string (row, "otp.code"));
  issued->expires_at = g_strdup (tessera_test_json_get_string (row, "otp.expires_at"));
  issued->password = g_strdup (tessera_test_json_get_string (row, "password"));
  g_assert_nonnull (issued->otp_id);
  g_assert_nonnull (issued->code);
  g_assert_nonnull (issued->expires_at);
  return issued;
}

char *
tessera_test_api_batch_body (const char * const *account_ids,
                             guint               n_ids,
                             const char         *extra_members)
{
  GString *body = g_string_new ("{\"account_ids\":[");

  for (guint i = 0; i < n_ids; i++)
    {
      g_autofree char *quoted = tessera_test_json_quote (account_ids[i]);

      if (i > 0)
        g_string_append_c (body, ',');
      g_string_append (body, quoted);
    }
  g_string_append_printf (body, "],\"password_mode\":\"generate\"%s}",
                          extra_members != NULL ? extra_members : "");
  return g_string_free (body, FALSE);
}

char *
tessera_test_api_redemption_body (const char *code,
                                  const char *serial_number)
{
  g_autofree char *quoted_code = tessera_test_json_quote (code);
  g_autofree char *quoted_serial = tessera_test_json_quote (serial_number);

  return g_strdup_printf ("{\"code\":%s,\"device\":{\"make\":\"Contoso\","
                          "\"model\":\"RoomPanel 10\",\"serial_number\":%s}}",
                          quoted_code, quoted_serial);
}

TesseraTestRedeemed *
tessera_test_api_redeem (TesseraTestClient *client,
                         const char        *code)
{
  g_autoptr(TesseraTestResponse) response = NULL;
  g_autofree char *body = tessera_test_api_redemption_body (code, "SN-0001");
  TesseraTestRedeemed *redeemed;

  response = tessera_test_client_request (client, "POST", "/api/v1/device/redemptions", NULL,
                                          body);
  tessera_test_assert_json (response, 201);

  redeemed = g_new0 (TesseraTestRedeemed, 1);
  redeemed->id = g_strdup (tessera_test_json_get_string (response->json, "id"));
  redeemed->poll_token = g_strdup (tessera_test_json_get_string (response->json, "poll_token"));
  redeemed->state = g_strdup (tessera_test_json_get_string (response->json, "state"));
  g_assert_nonnull (redeemed->id);
  g_assert_nonnull (redeemed->poll_token);
  g_assert_nonnull (redeemed->state);
  g_assert_nonnull (tessera_test_json_get_string (response->json, "expires_at"));
  return redeemed;
}

char *
tessera_test_api_request_id_for (TesseraTestClient *client,
                                 const char        *token,
                                 const char        *account_id)
{
  g_autoptr(JsonNode) account = tessera_test_api_get_account (client, token, account_id);
  const char *request_id = tessera_test_json_get_string (account, "provisioning.request_id");

  if (request_id == NULL)
    {
      g_autofree char *text = json_to_string (account, FALSE);
      g_error ("account %s has no provisioning.request_id: %s", account_id, text);
    }
  return g_strdup (request_id);
}

TesseraTestResponse *
tessera_test_api_resolve (TesseraTestClient *client,
                          const char        *token,
                          const char        *request_id,
                          const char        *decision,
                          const char        *reason)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/requests/%s/resolution", request_id);
  g_autofree char *body = NULL;

  if (reason != NULL)
    body = g_strdup_printf ("{\"decision\":\"%s\",\"reason\":\"%s\"}", decision, reason);
  else
    body = g_strdup_printf ("{\"decision\":\"%s\"}", decision);
  return tessera_test_client_request (client, "POST", path, token, body);
}

TesseraTestResponse *
tessera_test_api_poll (TesseraTestClient   *client,
                       TesseraTestRedeemed *redeemed)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/device/redemptions/%s", redeemed->id);

  return tessera_test_client_request (client, "GET", path, redeemed->poll_token, NULL);
}

void
tessera_test_api_put_settings (TesseraTestClient *client,
                               const char        *token,
                               const char        *json_text)
{
  g_autoptr(TesseraTestResponse) response = NULL;

  response = tessera_test_client_request (client, "PUT", "/api/v1/settings", token, json_text);
  tessera_test_assert_json (response, 200);
}

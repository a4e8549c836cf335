/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-http-server"

#include "config.h"

#include <string.h>

#include "tessera-routes-private.h"

/* Resource accounts, OTP batches and revocation (DESIGN §4). */

#define MAX_CURSOR_LENGTH          512
#define MAX_IDEMPOTENCY_KEY_LENGTH 255

static gboolean
query_bounded_string (TesseraRouteContext  *ctx,
                      const char           *name,
                      gsize                 max_length,
                      const char          **out)
{
  const char *value = _tessera_query_string (ctx, name);

  if (value != NULL && strlen (value) > max_length)
    {
      _tessera_respond_problem (ctx->msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                "%s: longer than %" G_GSIZE_FORMAT " bytes", name, max_length);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static void
list_accounts (TesseraRouteContext *ctx)
{
  TesseraAccountFilter filter = { 0, };
  g_autoptr(GDateTime) updated_since = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_cursor = NULL;
  const char *cursor = NULL;
  const char *since_text;
  guint limit;
  guint total = 0;

  if (!_tessera_query_limit (ctx, &limit) ||
      !query_bounded_string (ctx, "cursor", MAX_CURSOR_LENGTH, &cursor) ||
      !query_bounded_string (ctx, "q", TESSERA_MAX_NAME_LENGTH, &filter.query) ||
      !_tessera_query_enum_mask (ctx, "readiness", TESSERA_TYPE_READINESS,
                                 &filter.readiness_mask) ||
      !_tessera_query_enum_mask (ctx, "provisioning", TESSERA_TYPE_PROVISIONING_STATE,
                                 &filter.provisioning_mask))
    return;

  if (filter.query != NULL && filter.query[0] == '\0')
    filter.query = NULL;

  since_text = _tessera_query_string (ctx, "updated_since");
  if (since_text != NULL)
    {
      updated_since = tessera_datetime_parse (since_text, NULL);
      if (updated_since == NULL)
        {
          _tessera_respond_problem (ctx->msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                    "updated_since: expected an RFC 3339 timestamp such as "
                                    "2024-05-01T12:00:00Z");
          return;
        }
      filter.updated_since = updated_since;
    }

  accounts = tessera_store_list_accounts (ctx->store, &filter, cursor, limit,
                                          &next_cursor, &total, &error);
  if (accounts == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  /* Lean: building a JsonNode tree for 1 000 accounts cost more than reading them. */
  _tessera_respond_page_lean (ctx->msg, accounts,
                              (TesseraJsonItemWriter) tessera_account_write_json,
                              next_cursor, total);
}

static void
get_account (TesseraRouteContext *ctx)
{
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = tessera_store_get_account (ctx->store, ctx->params[0], &error);
  if (account == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_object (ctx->msg, SOUP_STATUS_OK, account,
                           (TesseraJsonItemEncoder) tessera_account_to_json);
}

/* Counted before decoding, so that an oversized batch gets its own code, not a generic one. */
static gboolean
check_batch_size (TesseraRouteContext *ctx,
                  const char          *member)
{
  JsonObject *object = json_node_get_object (ctx->body);
  JsonNode *node = json_object_get_member (object, member);
  guint length;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;

  length = json_array_get_length (json_node_get_array (node));
  if (length <= TESSERA_MAX_BATCH_ACCOUNTS)
    return TRUE;

  _tessera_respond_problem (ctx->msg, SOUP_STATUS_BAD_REQUEST, "batch_too_large",
                            "%s: a batch has at most %u accounts, this one has %u",
                            member, TESSERA_MAX_BATCH_ACCOUNTS, length);
  return FALSE;
}

static gboolean
read_idempotency_key (TesseraRouteContext  *ctx,
                      const char          **out)
{
  const char *key;
  gsize length;

  key = soup_message_headers_get_one (soup_server_message_get_request_headers (ctx->msg),
                                      "Idempotency-Key");
  *out = key;
  if (key == NULL)
    return TRUE;

  length = strlen (key);
  for (gsize i = 0; i < length; i++)
    {
      if (key[i] < 0x21 || key[i] > 0x7e)
        length = 0;
    }

  if (length == 0 || length > MAX_IDEMPOTENCY_KEY_LENGTH)
    {
      _tessera_respond_problem (ctx->msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                "Idempotency-Key: expected 1 to %u visible ASCII characters",
                                MAX_IDEMPOTENCY_KEY_LENGTH);
      return FALSE;
    }

  return TRUE;
}

static void
create_otp_batch (TesseraRouteContext *ctx)
{
  g_autoptr(TesseraBatchSpec) spec = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  const char *idempotency_key = NULL;

  if (!check_batch_size (ctx, "account_ids") ||
      !check_batch_size (ctx, "sign_in_data") ||
      !read_idempotency_key (ctx, &idempotency_key))
    return;

  spec = tessera_batch_spec_new_from_json (ctx->body, &error);
  if (spec == NULL)
    {
      _tessera_respond_invalid_body (ctx->msg, error);
      return;
    }

  batch = tessera_store_issue_batch (ctx->store, ctx->user, spec, idempotency_key,
                                     ctx->source_address, &error);
  if (batch == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_object (ctx->msg, SOUP_STATUS_CREATED, batch,
                           (TesseraJsonItemEncoder) tessera_otp_batch_to_json);
}

static void
revoke_otp (TesseraRouteContext *ctx)
{
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = tessera_store_revoke_otp (ctx->store, ctx->user, ctx->params[0],
                                      ctx->source_address, &error);
  if (account == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_object (ctx->msg, SOUP_STATUS_OK, account,
                           (TesseraJsonItemEncoder) tessera_account_to_json);
}

const TesseraRoute _tessera_routes_accounts[] = {
  { "GET",  "/api/v1/accounts",          list_accounts,    TESSERA_ACCESS_VIEWER },
  { "GET",  "/api/v1/accounts/{id}",     get_account,      TESSERA_ACCESS_VIEWER },
  { "POST", "/api/v1/otp-batches",       create_otp_batch, TESSERA_ACCESS_ADMIN, TRUE },
  { "POST", "/api/v1/otps/{id}/revoke",  revoke_otp,       TESSERA_ACCESS_ADMIN },
  { NULL }
};

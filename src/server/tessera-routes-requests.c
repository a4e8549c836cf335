/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-http-server"

#include "config.h"

#include <string.h>

#include "tessera-routes-private.h"

/* Redemption requests and their review (DESIGN §1.3, §4). */

#define MAX_CURSOR_LENGTH 512

static void
list_requests (TesseraRouteContext *ctx)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_cursor = NULL;
  const char *state = _tessera_query_string (ctx, "state");
  const char *cursor = _tessera_query_string (ctx, "cursor");
  guint state_mask = 1u << TESSERA_REQUEST_PENDING;
  guint limit;
  guint total = 0;

  if (!_tessera_query_limit (ctx, &limit))
    return;

  if (cursor != NULL && strlen (cursor) > MAX_CURSOR_LENGTH)
    {
      _tessera_respond_problem (ctx->msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                "cursor: longer than %u bytes", MAX_CURSOR_LENGTH);
      return;
    }

  /* Pending unless asked otherwise: that is what a reviewer wants to see. */
  if (state != NULL && strcmp (state, "all") == 0)
    state_mask = 0;
  else if (state != NULL && *state != '\0' &&
           !_tessera_query_enum_mask (ctx, "state", TESSERA_TYPE_REQUEST_STATE, &state_mask))
    return;

  requests = tessera_store_list_requests (ctx->store, state_mask, cursor, limit,
                                          &next_cursor, &total, &error);
  if (requests == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_page (ctx->msg, requests, (TesseraJsonItemEncoder) tessera_request_to_json,
                         next_cursor, total);
}

static void
get_request (TesseraRouteContext *ctx)
{
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = tessera_store_get_request (ctx->store, ctx->params[0], &error);
  if (request == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_object (ctx->msg, SOUP_STATUS_OK, request,
                           (TesseraJsonItemEncoder) tessera_request_to_json);
}

/* 409 already_resolved: the body carries the request as the other admin left it. */
static void
respond_already_resolved (TesseraRouteContext *ctx,
                          TesseraRequest      *current,
                          const GError        *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autofree char *detail = NULL;
  g_autofree char *when = NULL;
  const char *state;

  if (current == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  tessera_request_to_json (current, builder);
  json_object_set_member (extra, "request", json_builder_get_root (builder));

  state = tessera_enum_to_string (TESSERA_TYPE_REQUEST_STATE, tessera_request_get_state (current));
  if (tessera_request_get_resolved_at (current) != NULL)
    when = tessera_datetime_format (tessera_request_get_resolved_at (current));

  if (tessera_request_get_resolved_by (current) != NULL && when != NULL)
    detail = g_strdup_printf ("This request was already resolved (%s) by %s at %s",
                              state, tessera_request_get_resolved_by (current), when);
  else
    detail = g_strdup_printf ("This request was already resolved (%s)", state);

  _tessera_respond_problem_full (ctx->msg, SOUP_STATUS_CONFLICT, "already_resolved", detail, extra);
}

static void
resolve_request (TesseraRouteContext *ctx)
{
  g_autoptr(TesseraResolution) resolution = NULL;
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(TesseraRequest) current = NULL;
  g_autoptr(GError) error = NULL;

  resolution = tessera_resolution_new_from_json (ctx->body, &error);
  if (resolution == NULL)
    {
      _tessera_respond_invalid_body (ctx->msg, error);
      return;
    }

  request = tessera_store_resolve_request (ctx->store, ctx->user, ctx->params[0], resolution,
                                           ctx->source_address, &current, &error);
  if (request == NULL)
    {
      if (g_error_matches (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_ALREADY_RESOLVED))
        respond_already_resolved (ctx, current, error);
      else
        _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_object (ctx->msg, SOUP_STATUS_OK, request,
                           (TesseraJsonItemEncoder) tessera_request_to_json);
}

const TesseraRoute _tessera_routes_requests[] = {
  { "GET",  "/api/v1/requests",                 list_requests,   TESSERA_ACCESS_VIEWER },
  { "GET",  "/api/v1/requests/{id}",            get_request,     TESSERA_ACCESS_VIEWER },
  { "POST", "/api/v1/requests/{id}/resolution", resolve_request, TESSERA_ACCESS_ADMIN, TRUE },
  { NULL }
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-http-server"

#include "config.h"

#include "tessera-routes-private.h"

/* GET /healthz, sign-in and sign-out, who am I, and the events WebSocket (DESIGN §4). */

static void
get_health (TesseraRouteContext *ctx)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_end_object (builder);

  _tessera_respond_json (ctx->msg, SOUP_STATUS_OK, builder);
}

static void
create_session (TesseraRouteContext *ctx)
{
  TesseraThrottle *throttle = _tessera_http_server_get_sign_in_throttle (ctx->server);
  g_autoptr(TesseraLogin) login = NULL;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(TesseraSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (!_tessera_throttle_admit (ctx, throttle, "anonymous", "sign_in_throttled"))
    return;

  login = tessera_login_new_from_json (ctx->body, &error);
  if (login == NULL)
    {
      _tessera_respond_invalid_body (ctx->msg, error);
      return;
    }

  user = tessera_store_authenticate (ctx->store, login->username, login->password,
                                     ctx->source_address, &error);
  if (user == NULL)
    {
      if (g_error_matches (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_CREDENTIALS))
        _tessera_throttle_fail (ctx, throttle);
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  session = tessera_store_create_session (ctx->store, user, ctx->source_address, &error);
  if (session == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_object (ctx->msg, SOUP_STATUS_CREATED, session,
                           (TesseraJsonItemEncoder) tessera_session_to_json);
}

static void
delete_current_session (TesseraRouteContext *ctx)
{
  g_autoptr(GError) error = NULL;

  if (!tessera_store_revoke_session (ctx->store, ctx->token, ctx->source_address, &error))
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_no_content (ctx->msg);
}

static void
get_me (TesseraRouteContext *ctx)
{
  _tessera_respond_object (ctx->msg, SOUP_STATUS_OK, ctx->user,
                           (TesseraJsonItemEncoder) tessera_user_to_json);
}

const TesseraRoute _tessera_routes_sessions[] = {
  { "GET",    "/healthz",                 get_health,             TESSERA_ACCESS_ANYONE },
  { "POST",   "/api/v1/sessions",         create_session,         TESSERA_ACCESS_ANYONE, TRUE },
  { "DELETE", "/api/v1/sessions/current", delete_current_session, TESSERA_ACCESS_VIEWER },
  { "GET",    "/api/v1/me",               get_me,                 TESSERA_ACCESS_VIEWER },
  { "GET",    "/api/v1/events",           _tessera_http_server_accept_events,
    TESSERA_ACCESS_VIEWER },
  { NULL }
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-http-server"

#include "config.h"

#include <string.h>

#include "tessera-routes-private.h"

/* Organisation settings and the audit trail (DESIGN §1.5, §4). */

#define MAX_CURSOR_LENGTH 512

static void
get_settings (TesseraRouteContext *ctx)
{
  g_autoptr(TesseraSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  settings = tessera_store_get_settings (ctx->store, &error);
  if (settings == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_object (ctx->msg, SOUP_STATUS_OK, settings,
                           (TesseraJsonItemEncoder) tessera_settings_to_json);
}

static void
put_settings (TesseraRouteContext *ctx)
{
  g_autoptr(TesseraSettingsPatch) patch = NULL;
  g_autoptr(TesseraSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  patch = tessera_settings_patch_new_from_json (ctx->body, &error);
  if (patch == NULL)
    {
      _tessera_respond_invalid_body (ctx->msg, error);
      return;
    }

  settings = tessera_store_update_settings (ctx->store, ctx->user, patch, ctx->source_address,
                                            &error);
  if (settings == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_object (ctx->msg, SOUP_STATUS_OK, settings,
                           (TesseraJsonItemEncoder) tessera_settings_to_json);
}

static void
list_audit (TesseraRouteContext *ctx)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_cursor = NULL;
  const char *cursor = _tessera_query_string (ctx, "cursor");
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

  entries = tessera_store_list_audit (ctx->store, cursor, limit, &next_cursor, &total, &error);
  if (entries == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_page (ctx->msg, entries, (TesseraJsonItemEncoder) tessera_audit_entry_to_json,
                         next_cursor, total);
}

const TesseraRoute _tessera_routes_settings[] = {
  { "GET", "/api/v1/settings", get_settings, TESSERA_ACCESS_VIEWER },
  { "PUT", "/api/v1/settings", put_settings, TESSERA_ACCESS_ADMIN, TRUE },
  { "GET", "/api/v1/audit",    list_audit,   TESSERA_ACCESS_ADMIN },
  { NULL }
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-http-server"

#include "config.h"

#include <errno.h>
#include <string.h>

#include "tessera-routes-private.h"

/*
 * Every answer of API v1 goes through here: JSON bodies from the lib's encoders, problem
 * details (RFC 9457) with a stable "code", and the mapping of store errors to statuses.
 * Internal error messages are logged, never sent.
 */

#define JSON_CONTENT_TYPE    "application/json; charset=utf-8"
#define PROBLEM_CONTENT_TYPE "application/problem+json"

const char *
_tessera_status_title (guint status)
{
  /* libsoup 3.2 knows no phrase for 429 ("Unknown Error"); 413 has its RFC 9110 name. */
  switch (status)
    {
    case 413:
      return "Content Too Large";
    case 429:
      return "Too Many Requests";
    default:
      return soup_status_get_phrase (status);
    }
}

static void
set_body (SoupServerMessage *msg,
          guint              status,
          const char        *content_type,
          JsonBuilder       *builder)
{
  gsize length = 0;
  char *data = tessera_json_builder_to_string (builder, &length);

  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, data, length);
  soup_server_message_set_status (msg, status, _tessera_status_title (status));
}

void
_tessera_respond_json (SoupServerMessage *msg,
                       guint              status,
                       JsonBuilder       *builder)
{
  set_body (msg, status, JSON_CONTENT_TYPE, builder);
}

void
_tessera_respond_object (SoupServerMessage      *msg,
                         guint                   status,
                         gpointer                object,
                         TesseraJsonItemEncoder  encode)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  encode (object, builder);
  set_body (msg, status, JSON_CONTENT_TYPE, builder);
}

void
_tessera_respond_page (SoupServerMessage      *msg,
                       GPtrArray              *items,
                       TesseraJsonItemEncoder  encode_item,
                       const char             *next_cursor,
                       guint                   total)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  tessera_json_encode_page (builder, items, encode_item, next_cursor, total);
  set_body (msg, SOUP_STATUS_OK, JSON_CONTENT_TYPE, builder);
}

void
_tessera_respond_page_lean (SoupServerMessage     *msg,
                            GPtrArray             *items,
                            TesseraJsonItemWriter  write_item,
                            const char            *next_cursor,
                            guint                  total)
{
  gsize length = 0;
  char *data = tessera_json_write_page (items, write_item, next_cursor, total, &length);

  soup_server_message_set_response (msg, JSON_CONTENT_TYPE, SOUP_MEMORY_TAKE, data, length);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, _tessera_status_title (SOUP_STATUS_OK));
}

void
_tessera_respond_no_content (SoupServerMessage *msg)
{
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

void
_tessera_respond_problem_full (SoupServerMessage *msg,
                               guint              status,
                               const char        *code,
                               const char        *detail,
                               JsonObject        *extra)
{
  g_autoptr(TesseraProblem) problem = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *valid_detail = NULL;

  /* A detail may quote what the client sent; json-glib writes bytes as they are, and an
   * answer that is not UTF-8 is no JSON at all. */
  if (detail != NULL && !g_utf8_validate (detail, -1, NULL))
    detail = valid_detail = g_utf8_make_valid (detail, -1);

  problem = tessera_problem_new (status, code, _tessera_status_title (status), detail);
  if (extra != NULL)
    problem->extra = json_object_ref (extra);

  tessera_problem_to_json (problem, builder);
  set_body (msg, status, PROBLEM_CONTENT_TYPE, builder);
}

void
_tessera_respond_problem (SoupServerMessage *msg,
                          guint              status,
                          const char        *code,
                          const char        *detail_format,
                          ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, detail_format);
  detail = g_strdup_vprintf (detail_format, args);
  va_end (args);

  _tessera_respond_problem_full (msg, status, code, detail, NULL);
}

void
_tessera_respond_rate_limited (SoupServerMessage *msg,
                               guint              retry_after)
{
  g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", seconds);
  _tessera_respond_problem (msg, 429, "rate_limited",
                            "Too many failed attempts from this address; try again in %u s",
                            retry_after);
}

void
_tessera_respond_not_authorized (SoupServerMessage *msg,
                                 gboolean           token_was_sent)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (token_was_sent)
    {
      soup_message_headers_replace (headers, "WWW-Authenticate",
                                    "Bearer error=\"invalid_token\"");
      _tessera_respond_problem (msg, SOUP_STATUS_UNAUTHORIZED, "not_authorized",
                                "The session token is not valid or has expired; sign in again");
    }
  else
    {
      soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer");
      _tessera_respond_problem (msg, SOUP_STATUS_UNAUTHORIZED, "not_authorized",
                                "Sign in first: this needs “Authorization: Bearer” with a "
                                "session token");
    }
}

void
_tessera_respond_invalid_body (SoupServerMessage *msg,
                               const GError      *error)
{
  if (g_error_matches (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_JSON) ||
      g_error_matches (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_TOO_DEEP))
    _tessera_respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                              "The body is not valid JSON: %s", error->message);
  else
    _tessera_respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                              "%s", error->message);
}

void
_tessera_respond_error (SoupServerMessage *msg,
                        const GError      *error)
{
  g_return_if_fail (error != NULL);

  if (error->domain == TESSERA_JSON_ERROR)
    {
      _tessera_respond_invalid_body (msg, error);
      return;
    }

  if (error->domain != TESSERA_STORE_ERROR)
    goto internal;

  switch ((TesseraStoreError) error->code)
    {
    case TESSERA_STORE_ERROR_FULL:
      g_warning ("Refusing a change: %s", error->message);
      _tessera_respond_problem (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "service_unavailable",
                                "The database is full; nothing was changed");
      return;

    case TESSERA_STORE_ERROR_INVALID:
      _tessera_respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                "%s", error->message);
      return;

    case TESSERA_STORE_ERROR_NOT_FOUND:
      _tessera_respond_problem (msg, SOUP_STATUS_NOT_FOUND, "not_found", "%s", error->message);
      return;

    case TESSERA_STORE_ERROR_EXISTS:
      _tessera_respond_problem (msg, SOUP_STATUS_CONFLICT, "already_exists",
                                "%s", error->message);
      return;

    case TESSERA_STORE_ERROR_INVALID_CREDENTIALS:
      /* One answer for an unknown user and a wrong password (DESIGN §4). */
      _tessera_respond_problem (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials",
                                "Unknown user or wrong password");
      return;

    case TESSERA_STORE_ERROR_NOT_AUTHORIZED:
      _tessera_respond_not_authorized (msg, TRUE);
      return;

    case TESSERA_STORE_ERROR_INVALID_OTP:
      /* One answer for unknown, used, expired and revoked codes (DESIGN §4). */
      _tessera_respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid_otp",
                                "This one-time password is not valid");
      return;

    case TESSERA_STORE_ERROR_OTP_NOT_LIVE:
      _tessera_respond_problem (msg, SOUP_STATUS_CONFLICT, "otp_not_live",
                                "%s", error->message);
      return;

    case TESSERA_STORE_ERROR_BATCH_EXISTS:
      _tessera_respond_problem (msg, SOUP_STATUS_CONFLICT, "batch_exists",
                                "%s", error->message);
      return;

    case TESSERA_STORE_ERROR_ALREADY_RESOLVED:
      _tessera_respond_problem (msg, SOUP_STATUS_CONFLICT, "already_resolved",
                                "%s", error->message);
      return;

    case TESSERA_STORE_ERROR_REQUEST_EXPIRED:
      _tessera_respond_problem (msg, SOUP_STATUS_GONE, "request_expired", "%s", error->message);
      return;

    case TESSERA_STORE_ERROR_SEPARATION_OF_DUTIES:
      _tessera_respond_problem (msg, SOUP_STATUS_FORBIDDEN, "separation_of_duties",
                                "%s", error->message);
      return;

    case TESSERA_STORE_ERROR_FAILED:
    case TESSERA_STORE_ERROR_KEY_FILE:
    case TESSERA_STORE_ERROR_SCHEMA_TOO_NEW:
    default:
      break;
    }

internal:
  /* The message may name tables or files: it goes to the log, never to the client. */
  g_warning ("Internal error answering %s %s: %s",
             soup_server_message_get_method (msg),
             g_uri_get_path (soup_server_message_get_uri (msg)),
             error->message);
  _tessera_respond_problem (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                            "The server could not complete the request");
}

const char *
_tessera_query_string (TesseraRouteContext *ctx,
                       const char          *name)
{
  if (ctx->query == NULL)
    return NULL;

  return g_hash_table_lookup (ctx->query, name);
}

#define DEFAULT_LIMIT 200
#define MAX_LIMIT     1000

gboolean
_tessera_query_limit (TesseraRouteContext *ctx,
                      guint               *limit)
{
  const char *text = _tessera_query_string (ctx, "limit");
  guint64 value;
  char *end = NULL;

  if (text == NULL)
    {
      *limit = DEFAULT_LIMIT;
      return TRUE;
    }

  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  if (!g_ascii_isdigit (text[0]) || *end != '\0' || errno != 0 || value < 1 || value > MAX_LIMIT)
    {
      _tessera_respond_problem (ctx->msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                "limit: expected a whole number from 1 to %u", MAX_LIMIT);
      return FALSE;
    }

  *limit = (guint) value;
  return TRUE;
}

gboolean
_tessera_query_enum_mask (TesseraRouteContext *ctx,
                          const char          *name,
                          GType                enum_type,
                          guint               *mask)
{
  const char *text = _tessera_query_string (ctx, name);
  g_auto(GStrv) names = NULL;

  *mask = 0;
  if (text == NULL)
    return TRUE;

  names = g_strsplit (text, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *item = g_strstrip (names[i]);
      int value;

      if (*item == '\0')
        continue;

      if (!tessera_enum_from_string (enum_type, item, &value) || value < 0 || value >= 32)
        {
          g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint v = 0; v < klass->n_values; v++)
            g_string_append_printf (known, "%s%s", v > 0 ? ", " : "", klass->values[v].value_nick);

          /* The unknown value is not echoed: a query string is no place to reflect input. */
          _tessera_respond_problem (ctx->msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                    "%s: unknown value; expected a comma-separated list of %s",
                                    name, known->str);
          return FALSE;
        }

      *mask |= 1u << value;
    }

  return TRUE;
}

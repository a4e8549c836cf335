/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-client"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n-lib.h>

#include "tessera-client-private.h"

/*
 * One pair of functions per endpoint of API v1 (DESIGN §4). Each builds a TesseraClientCall
 * (path, body, credential, decoder) and hands it to the pipeline (tessera-client-request.c).
 */

/* Request bodies may hold a password or an OTP code: wiped once libsoup and we let go. */
typedef struct {
  char  *text;
  gsize  length;
} BodyText;

static void
body_text_free (gpointer data)
{
  BodyText *body = data;

  tessera_secret_wipe (body->text, body->length);
  g_free (body->text);
  g_free (body);
}

static GBytes *
encode_body (gpointer  object,
             void    (*to_json) (gconstpointer object, JsonBuilder *builder))
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  BodyText *body = g_new0 (BodyText, 1);

  to_json (object, builder);
  body->text = tessera_json_builder_to_string (builder, &body->length);

  return g_bytes_new_with_free_func (body->text, body->length, body_text_free, body);
}

#define ENCODE_BODY(object, to_json) \
  encode_body ((gpointer) (object), (void (*) (gconstpointer, JsonBuilder *)) (to_json))

static char *
escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

static void
append_query (GString    *path,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (path, strchr (path->str, '?') != NULL ? '&' : '?');
  g_string_append (path, name);
  g_string_append_c (path, '=');
  g_string_append (path, escaped);
}

/* Bits (1 << value) of @enum_type as "name,name"; the API takes a comma-separated list. */
static void
append_mask_query (GString    *path,
                   const char *name,
                   GType       enum_type,
                   guint       mask)
{
  g_autoptr(GString) names = g_string_new (NULL);

  if (mask == 0)
    return;

  for (guint bit = 0; bit < 32; bit++)
    {
      const char *value_name;

      if ((mask & (1u << bit)) == 0)
        continue;

      value_name = tessera_enum_to_string (enum_type, (int) bit);
      if (value_name == NULL)
        continue;

      if (names->len > 0)
        g_string_append_c (names, ',');
      g_string_append (names, value_name);
    }

  if (names->len > 0)
    append_query (path, name, names->str);
}

static void
append_paging_query (GString    *path,
                     const char *cursor,
                     guint       limit)
{
  if (cursor != NULL)
    append_query (path, "cursor", cursor);
  if (limit > 0)
    {
      char number[16];

      g_snprintf (number, sizeof number, "%u", MIN (limit, TESSERA_CLIENT_MAX_PAGE_SIZE));
      append_query (path, "limit", number);
    }
}

/* Decoders */

static gpointer
decode_health (JsonNode  *root,
               GError   **error)
{
  JsonObject *object;
  const char *status;

  if (!tessera_json_expect_object (root, &object, error) ||
      !tessera_json_require_string (object, "status", TESSERA_MAX_NAME_LENGTH, &status, error))
    return NULL;

  if (g_strcmp0 (status, "ok") != 0)
    {
      g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE,
                   "status: not \"ok\"");
      return NULL;
    }

  /* Any non-NULL pointer: the pipeline only needs to know it succeeded. */
  return GINT_TO_POINTER (TRUE);
}

static TesseraClientPage *
decode_page (JsonNode                *root,
             TesseraJsonItemDecoder   decode_item,
             GError                 **error)
{
  g_autoptr(GPtrArray) items = NULL;
  TesseraClientPage *page;
  char *next_cursor = NULL;
  guint total = 0;

  items = tessera_json_decode_page (root, decode_item, &next_cursor, &total, error);
  if (items == NULL)
    return NULL;

  page = g_new0 (TesseraClientPage, 1);
  page->items = g_steal_pointer (&items);
  page->next_cursor = next_cursor;
  page->total = total;

  return page;
}

static gpointer
decode_account_page (JsonNode  *root,
                     GError   **error)
{
  return decode_page (root, (TesseraJsonItemDecoder) tessera_account_new_from_json, error);
}

static gpointer
decode_request_page (JsonNode  *root,
                     GError   **error)
{
  return decode_page (root, (TesseraJsonItemDecoder) tessera_request_new_from_json, error);
}

static gpointer
decode_audit_page (JsonNode  *root,
                   GError   **error)
{
  return decode_page (root, (TesseraJsonItemDecoder) tessera_audit_entry_new_from_json, error);
}

static GPtrArray *
finish_page (TesseraClient  *self,
             GAsyncResult   *result,
             gpointer        source_tag,
             char          **next_cursor,
             guint          *total,
             GError        **error)
{
  TesseraClientPage *page;
  GPtrArray *items;

  page = _tessera_client_finish_pointer (self, result, source_tag, error);
  if (page == NULL)
    return NULL;

  items = g_steal_pointer (&page->items);
  if (next_cursor != NULL)
    *next_cursor = g_steal_pointer (&page->next_cursor);
  if (total != NULL)
    *total = page->total;
  _tessera_client_page_free (page);

  return items;
}

/* Health */

void
tessera_client_check_health_async (TesseraClient       *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  TesseraClientCall call = {
    .method = "GET",
    .path = "/healthz",
    .auth = TESSERA_CLIENT_AUTH_NONE,
    .decode = decode_health,
    .is_health_check = TRUE,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _tessera_client_send (self, &call, tessera_client_check_health_async,
                        cancellable, callback, user_data);
}

gboolean
tessera_client_check_health_finish (TesseraClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return _tessera_client_finish_pointer (self, result, tessera_client_check_health_async,
                                         error) != NULL;
}

/* Sessions */

void
tessera_client_sign_in_async (TesseraClient       *self,
                              const char          *username,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(TesseraLogin) login = NULL;
  g_autoptr(GBytes) body = NULL;
  TesseraClientCall call = {
    .method = "POST",
    .path = "/api/v1/sessions",
    .auth = TESSERA_CLIENT_AUTH_SIGN_IN,
    .decode = (TesseraClientDecodeFunc) tessera_session_new_from_json,
    .result_free = g_object_unref,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  login = tessera_login_new (username, password);
  body = ENCODE_BODY (login, tessera_login_to_json);
  call.body = body;

  _tessera_client_send (self, &call, tessera_client_sign_in_async,
                        cancellable, callback, user_data);
}

TesseraSession *
tessera_client_sign_in_finish (TesseraClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  TesseraSession *session;

  session = _tessera_client_finish_pointer (self, result, tessera_client_sign_in_async, error);
  if (session != NULL)
    tessera_client_set_token (self, tessera_session_get_token (session));

  return session;
}

void
tessera_client_sign_out_async (TesseraClient       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  TesseraClientCall call = {
    .method = "DELETE",
    .path = "/api/v1/sessions/current",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _tessera_client_send (self, &call, tessera_client_sign_out_async,
                        cancellable, callback, user_data);

  /* The message already carries the token; forget it now, whatever the server answers. */
  tessera_client_stop_events (self);
  tessera_client_set_token (self, NULL);
}

gboolean
tessera_client_sign_out_finish (TesseraClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  return _tessera_client_finish_boolean (self, result, tessera_client_sign_out_async, error);
}

void
tessera_client_get_me_async (TesseraClient       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  TesseraClientCall call = {
    .method = "GET",
    .path = "/api/v1/me",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .decode = (TesseraClientDecodeFunc) tessera_user_new_from_json,
    .result_free = g_object_unref,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _tessera_client_send (self, &call, tessera_client_get_me_async,
                        cancellable, callback, user_data);
}

TesseraUser *
tessera_client_get_me_finish (TesseraClient  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return _tessera_client_finish_pointer (self, result, tessera_client_get_me_async, error);
}

/* Accounts */

char *
_tessera_client_accounts_path (const TesseraAccountQuery *query,
                               const char                *cursor,
                               guint                      limit)
{
  GString *path = g_string_new ("/api/v1/accounts");

  if (query != NULL)
    {
      if (query->text != NULL && query->text[0] != '\0')
        append_query (path, "q", query->text);
      append_mask_query (path, "readiness", TESSERA_TYPE_READINESS, query->readiness_mask);
      append_mask_query (path, "provisioning", TESSERA_TYPE_PROVISIONING_STATE,
                         query->provisioning_mask);
      if (query->updated_since_usec > 0)
        {
          char since[TESSERA_DATETIME_BUFFER_SIZE];

          if (tessera_datetime_format_unix_usec (query->updated_since_usec, since))
            append_query (path, "updated_since", since);
        }
    }
  append_paging_query (path, cursor, limit);

  return g_string_free (path, FALSE);
}

void
tessera_client_list_accounts_async (TesseraClient              *self,
                                    const TesseraAccountQuery  *query,
                                    const char                 *cursor,
                                    guint                       limit,
                                    GCancellable               *cancellable,
                                    GAsyncReadyCallback         callback,
                                    gpointer                    user_data)
{
  g_autofree char *path = NULL;
  TesseraClientCall call = {
    .method = "GET",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .decode = decode_account_page,
    .result_free = (GDestroyNotify) _tessera_client_page_free,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  path = _tessera_client_accounts_path (query, cursor, limit);
  call.path = path;
  _tessera_client_send (self, &call, tessera_client_list_accounts_async,
                        cancellable, callback, user_data);
}

void
_tessera_client_get_json_async (TesseraClient       *self,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  TesseraClientCall call = {
    .method = "GET",
    .path = path,
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .raw_json = TRUE,
    .result_free = (GDestroyNotify) g_bytes_unref,
  };

  _tessera_client_send (self, &call, _tessera_client_get_json_async,
                        cancellable, callback, user_data);
}

GBytes *
_tessera_client_get_json_finish (TesseraClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return _tessera_client_finish_pointer (self, result, _tessera_client_get_json_async, error);
}

GPtrArray *
_tessera_client_decode_account_page (TesseraClient  *self,
                                     GBytes         *body,
                                     char          **next_cursor,
                                     guint          *total,
                                     GError        **error)
{
  g_autoptr(TesseraClientPage) page = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  root = tessera_json_parse_bytes (body, &local_error);
  if (root != NULL)
    page = decode_account_page (root, &local_error);

  if (page == NULL)
    {
      const char *host = _tessera_client_get_host (self);

      g_propagate_error (error, _tessera_client_error_new_invalid_response (host,
                                                                            local_error->message));
      return NULL;
    }

  *next_cursor = g_steal_pointer (&page->next_cursor);
  *total = page->total;

  return g_steal_pointer (&page->items);
}

GPtrArray *
tessera_client_list_accounts_finish (TesseraClient  *self,
                                     GAsyncResult   *result,
                                     char          **next_cursor,
                                     guint          *total,
                                     GError        **error)
{
  return finish_page (self, result, tessera_client_list_accounts_async,
                      next_cursor, total, error);
}

void
tessera_client_get_account_async (TesseraClient       *self,
                                  const char          *account_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  TesseraClientCall call = {
    .method = "GET",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .decode = (TesseraClientDecodeFunc) tessera_account_new_from_json,
    .result_free = g_object_unref,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  id = escape_segment (account_id);
  path = g_strconcat ("/api/v1/accounts/", id, NULL);
  call.path = path;

  _tessera_client_send (self, &call, tessera_client_get_account_async,
                        cancellable, callback, user_data);
}

TesseraAccount *
tessera_client_get_account_finish (TesseraClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return _tessera_client_finish_pointer (self, result, tessera_client_get_account_async, error);
}

/* OTPs */

char *
tessera_client_new_idempotency_key (void)
{
  guint8 bytes[16];

  /* Not a secret, but it must not repeat: the kernel's generator, as a version 4 UUID. */
  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    g_error ("getrandom() failed: %s", g_strerror (errno));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5],
                          bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                          bytes[12], bytes[13], bytes[14], bytes[15]);
}

void
tessera_client_generate_batch_async (TesseraClient           *self,
                                     const TesseraBatchSpec  *spec,
                                     const char              *idempotency_key,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data)
{
  g_autoptr(GBytes) body = NULL;
  TesseraClientCall call = {
    .method = "POST",
    .path = "/api/v1/otp-batches",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .idempotency_key = idempotency_key,
    .decode = (TesseraClientDecodeFunc) tessera_otp_batch_new_from_json,
    .result_free = g_object_unref,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (spec != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  body = ENCODE_BODY (spec, tessera_batch_spec_to_json);
  call.body = body;

  _tessera_client_send (self, &call, tessera_client_generate_batch_async,
                        cancellable, callback, user_data);
}

TesseraOtpBatch *
tessera_client_generate_batch_finish (TesseraClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return _tessera_client_finish_pointer (self, result, tessera_client_generate_batch_async,
                                         error);
}

/* The answer to a revocation may be the account or nothing at all; both are success. */
static gpointer
decode_revocation (JsonNode  *root,
                   GError   **error)
{
  g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func (g_object_unref);
  TesseraAccount *account;
  JsonObject *object;

  if (!tessera_json_expect_object (root, &object, error))
    return NULL;

  if (json_object_get_size (object) > 0)
    {
      account = tessera_account_new_from_json (root, error);
      if (account == NULL)
        return NULL;
      g_ptr_array_add (holder, account);
    }

  return g_steal_pointer (&holder);
}

void
tessera_client_revoke_otp_async (TesseraClient       *self,
                                 const char          *otp_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  TesseraClientCall call = {
    .method = "POST",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .decode = decode_revocation,
    .result_free = (GDestroyNotify) g_ptr_array_unref,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (otp_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  id = escape_segment (otp_id);
  path = g_strconcat ("/api/v1/otps/", id, "/revoke", NULL);
  call.path = path;

  _tessera_client_send (self, &call, tessera_client_revoke_otp_async,
                        cancellable, callback, user_data);
}

gboolean
tessera_client_revoke_otp_finish (TesseraClient   *self,
                                  GAsyncResult    *result,
                                  TesseraAccount **account,
                                  GError         **error)
{
  g_autoptr(GPtrArray) holder = NULL;

  holder = _tessera_client_finish_pointer (self, result, tessera_client_revoke_otp_async, error);
  if (holder == NULL)
    return FALSE;

  if (account != NULL)
    *account = holder->len > 0 ? g_object_ref (g_ptr_array_index (holder, 0)) : NULL;

  return TRUE;
}

/* Requests */

void
tessera_client_list_requests_async (TesseraClient       *self,
                                    guint                state_mask,
                                    const char          *cursor,
                                    guint                limit,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/api/v1/requests");
  TesseraClientCall call = {
    .method = "GET",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .decode = decode_request_page,
    .result_free = (GDestroyNotify) _tessera_client_page_free,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  append_mask_query (path, "state", TESSERA_TYPE_REQUEST_STATE, state_mask);
  append_paging_query (path, cursor, limit);
  call.path = path->str;

  _tessera_client_send (self, &call, tessera_client_list_requests_async,
                        cancellable, callback, user_data);
}

GPtrArray *
tessera_client_list_requests_finish (TesseraClient  *self,
                                     GAsyncResult   *result,
                                     char          **next_cursor,
                                     guint          *total,
                                     GError        **error)
{
  return finish_page (self, result, tessera_client_list_requests_async,
                      next_cursor, total, error);
}

void
tessera_client_get_request_async (TesseraClient       *self,
                                  const char          *request_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  TesseraClientCall call = {
    .method = "GET",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .decode = (TesseraClientDecodeFunc) tessera_request_new_from_json,
    .result_free = g_object_unref,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (request_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  id = escape_segment (request_id);
  path = g_strconcat ("/api/v1/requests/", id, NULL);
  call.path = path;

  _tessera_client_send (self, &call, tessera_client_get_request_async,
                        cancellable, callback, user_data);
}

TesseraRequest *
tessera_client_get_request_finish (TesseraClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return _tessera_client_finish_pointer (self, result, tessera_client_get_request_async, error);
}

void
tessera_client_resolve_request_async (TesseraClient            *self,
                                      const char               *request_id,
                                      const TesseraResolution  *resolution,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) body = NULL;
  TesseraClientCall call = {
    .method = "POST",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .decode = (TesseraClientDecodeFunc) tessera_request_new_from_json,
    .result_free = g_object_unref,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (request_id != NULL);
  g_return_if_fail (resolution != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  id = escape_segment (request_id);
  path = g_strconcat ("/api/v1/requests/", id, "/resolution", NULL);
  body = ENCODE_BODY (resolution, tessera_resolution_to_json);
  call.path = path;
  call.body = body;

  _tessera_client_send (self, &call, tessera_client_resolve_request_async,
                        cancellable, callback, user_data);
}

TesseraRequest *
tessera_client_resolve_request_finish (TesseraClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return _tessera_client_finish_pointer (self, result, tessera_client_resolve_request_async,
                                         error);
}

/* Settings */

void
tessera_client_get_settings_async (TesseraClient       *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  TesseraClientCall call = {
    .method = "GET",
    .path = "/api/v1/settings",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .decode = (TesseraClientDecodeFunc) tessera_settings_new_from_json,
    .result_free = g_object_unref,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _tessera_client_send (self, &call, tessera_client_get_settings_async,
                        cancellable, callback, user_data);
}

TesseraSettings *
tessera_client_get_settings_finish (TesseraClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return _tessera_client_finish_pointer (self, result, tessera_client_get_settings_async, error);
}

void
tessera_client_update_settings_async (TesseraClient               *self,
                                      const TesseraSettingsPatch  *patch,
                                      GCancellable                *cancellable,
                                      GAsyncReadyCallback          callback,
                                      gpointer                     user_data)
{
  g_autoptr(GBytes) body = NULL;
  TesseraClientCall call = {
    .method = "PUT",
    .path = "/api/v1/settings",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .decode = (TesseraClientDecodeFunc) tessera_settings_new_from_json,
    .result_free = g_object_unref,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (patch != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  body = ENCODE_BODY (patch, tessera_settings_patch_to_json);
  call.body = body;

  _tessera_client_send (self, &call, tessera_client_update_settings_async,
                        cancellable, callback, user_data);
}

TesseraSettings *
tessera_client_update_settings_finish (TesseraClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return _tessera_client_finish_pointer (self, result, tessera_client_update_settings_async,
                                         error);
}

/* Audit */

void
tessera_client_list_audit_async (TesseraClient       *self,
                                 const char          *cursor,
                                 guint                limit,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/api/v1/audit");
  TesseraClientCall call = {
    .method = "GET",
    .auth = TESSERA_CLIENT_AUTH_SESSION,
    .decode = decode_audit_page,
    .result_free = (GDestroyNotify) _tessera_client_page_free,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  append_paging_query (path, cursor, limit);
  call.path = path->str;

  _tessera_client_send (self, &call, tessera_client_list_audit_async,
                        cancellable, callback, user_data);
}

GPtrArray *
tessera_client_list_audit_finish (TesseraClient  *self,
                                  GAsyncResult   *result,
                                  char          **next_cursor,
                                  guint          *total,
                                  GError        **error)
{
  return finish_page (self, result, tessera_client_list_audit_async, next_cursor, total, error);
}

/* Console side */

void
tessera_client_device_redeem_async (TesseraClient                *self,
                                    const TesseraRedemptionSpec  *spec,
                                    GCancellable                 *cancellable,
                                    GAsyncReadyCallback           callback,
                                    gpointer                      user_data)
{
  g_autoptr(GBytes) body = NULL;
  TesseraClientCall call = {
    .method = "POST",
    .path = "/api/v1/device/redemptions",
    .auth = TESSERA_CLIENT_AUTH_NONE,
    .decode = (TesseraClientDecodeFunc) tessera_redemption_new_from_json,
    .result_free = g_object_unref,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (spec != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  body = ENCODE_BODY (spec, tessera_redemption_spec_to_json);
  call.body = body;

  _tessera_client_send (self, &call, tessera_client_device_redeem_async,
                        cancellable, callback, user_data);
}

TesseraRedemption *
tessera_client_device_redeem_finish (TesseraClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return _tessera_client_finish_pointer (self, result, tessera_client_device_redeem_async, error);
}

void
tessera_client_device_poll_async (TesseraClient       *self,
                                  const char          *redemption_id,
                                  const char          *poll_token,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  TesseraClientCall call = {
    .method = "GET",
    .auth = TESSERA_CLIENT_AUTH_POLL_TOKEN,
    .poll_token = poll_token,
    .decode = (TesseraClientDecodeFunc) tessera_redemption_new_from_json,
    .result_free = g_object_unref,
  };

  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (redemption_id != NULL);
  g_return_if_fail (poll_token != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  id = escape_segment (redemption_id);
  path = g_strconcat ("/api/v1/device/redemptions/", id, NULL);
  call.path = path;

  _tessera_client_send (self, &call, tessera_client_device_poll_async,
                        cancellable, callback, user_data);
}

TesseraRedemption *
tessera_client_device_poll_finish (TesseraClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return _tessera_client_finish_pointer (self, result, tessera_client_device_poll_async, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-account"

#include "config.h"

#include "tessera-account-private.h"

/* Readiness issue codes are an open set: any string is kept, unknown codes included. */
static gboolean
decode_issues (JsonObject   *object,
               const char ***out,
               GError      **error)
{
  JsonArray *array;
  const char **issues;
  guint n;

  if (!tessera_json_require_array (object, "readiness_issues", TESSERA_MAX_READINESS_ISSUES,
                                   &array, error))
    return FALSE;

  n = json_array_get_length (array);

  /* Check every element before interning any, so junk is never made permanent. */
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GError) local_error = NULL;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE,
                       "readiness_issues[%u]: expected a string", i);
          return FALSE;
        }
      if (!tessera_json_check_string (json_node_get_string (element), TESSERA_MAX_NAME_LENGTH,
                                      &local_error))
        {
          g_set_error (error, TESSERA_JSON_ERROR, local_error->code,
                       "readiness_issues[%u]: %s", i, local_error->message);
          return FALSE;
        }
    }

  if (n == 0)
    {
      *out = NULL;
      return TRUE;
    }

  issues = g_new (const char *, n + 1);
  for (guint i = 0; i < n; i++)
    issues[i] = g_intern_string (json_node_get_string (json_array_get_element (array, i)));
  issues[n] = NULL;

  *out = issues;
  return TRUE;
}

static GPtrArray *
decode_history (JsonArray               *array,
                const char              *member,
                TesseraJsonItemDecoder   decode_item,
                GError                 **error)
{
  g_autoptr(GPtrArray) items = NULL;
  guint n = json_array_get_length (array);

  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE,
                       "%s[%u]: expected an object", member, i);
          return NULL;
        }

      if (!(item = decode_item (element, error)))
        {
          tessera_json_prefix_error (error, "%s[%u]", member, i);
          return NULL;
        }

      g_ptr_array_add (items, item);
    }

  return g_steal_pointer (&items);
}

TesseraAccount *
tessera_account_new_from_json (JsonNode  *node,
                               GError   **error)
{
  JsonObject *object, *provisioning;
  JsonArray *otps_array = NULL, *requests_array = NULL;
  const char *id, *display_name, *upn, *site, *license;
  const char *otp_id, *issued_by, *request_id;
  g_autofree const char **issues = NULL;
  g_autoptr(GPtrArray) otps = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  gint64 updated_at, expires_at = 0;
  gboolean has_expires_at = FALSE;
  int readiness, state;
  TesseraAccount *self;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "id", TESSERA_MAX_NAME_LENGTH, &id, error) ||
      !tessera_json_require_string (object, "display_name", TESSERA_MAX_NAME_LENGTH,
                                    &display_name, error) ||
      !tessera_json_require_string (object, "upn", TESSERA_MAX_NAME_LENGTH, &upn, error) ||
      !tessera_json_require_string (object, "site", TESSERA_MAX_NAME_LENGTH, &site, error) ||
      !tessera_json_optional_string (object, "license", TESSERA_MAX_NAME_LENGTH, &license, error) ||
      !tessera_json_require_enum (object, "readiness", TESSERA_TYPE_READINESS, &readiness, error) ||
      !tessera_json_require_unix_usec (object, "updated_at", &updated_at, error) ||
      !tessera_json_require_object (object, "provisioning", &provisioning, error) ||
      !tessera_json_optional_array (object, "otps", G_MAXUINT, &otps_array, error) ||
      !tessera_json_optional_array (object, "requests", G_MAXUINT, &requests_array, error))
    return NULL;

  if (!tessera_json_require_enum (provisioning, "state", TESSERA_TYPE_PROVISIONING_STATE,
                                  &state, error) ||
      !tessera_json_optional_string (provisioning, "otp_id", TESSERA_MAX_NAME_LENGTH,
                                     &otp_id, error) ||
      !tessera_json_optional_string (provisioning, "issued_by", TESSERA_MAX_NAME_LENGTH,
                                     &issued_by, error) ||
      !tessera_json_optional_unix_usec (provisioning, "expires_at", &expires_at,
                                        &has_expires_at, error) ||
      !tessera_json_optional_string (provisioning, "request_id", TESSERA_MAX_NAME_LENGTH,
                                     &request_id, error))
    {
      tessera_json_prefix_error (error, "provisioning");
      return NULL;
    }

  if (otps_array != NULL &&
      !(otps = decode_history (otps_array, "otps",
                               (TesseraJsonItemDecoder) tessera_otp_new_from_json, error)))
    return NULL;

  if (requests_array != NULL &&
      !(requests = decode_history (requests_array, "requests",
                                   (TesseraJsonItemDecoder) tessera_request_new_from_json,
                                   error)))
    return NULL;

  /* Last, because it interns: nothing after it may fail. */
  if (!decode_issues (object, &issues, error))
    return NULL;

  self = g_object_new (TESSERA_TYPE_ACCOUNT, NULL);
  self->id = g_strdup (id);
  self->display_name = g_strdup (display_name);
  self->upn = g_strdup (upn);
  self->site = g_intern_string (site);
  self->license = _tessera_intern_or_null (license);
  self->readiness_issues = g_steal_pointer (&issues);
  self->readiness = readiness;
  self->updated_at = updated_at;
  self->provisioning_state = state;
  self->otp_id = g_strdup (otp_id);
  self->issued_by = _tessera_intern_or_null (issued_by);
  self->has_expires_at = !!has_expires_at;
  self->expires_at = expires_at;
  self->request_id = g_strdup (request_id);
  self->otps = g_steal_pointer (&otps);
  self->requests = g_steal_pointer (&requests);

  return self;
}

void
tessera_account_to_json (TesseraAccount *self,
                         JsonBuilder    *builder)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "id", self->id);
  tessera_json_add_nullable_string (builder, "display_name", self->display_name);
  tessera_json_add_nullable_string (builder, "upn", self->upn);
  tessera_json_add_nullable_string (builder, "site", self->site);
  tessera_json_add_nullable_string (builder, "license", self->license);
  tessera_json_add_enum (builder, "readiness", TESSERA_TYPE_READINESS, self->readiness);

  json_builder_set_member_name (builder, "readiness_issues");
  json_builder_begin_array (builder);
  for (guint i = 0; self->readiness_issues != NULL && self->readiness_issues[i] != NULL; i++)
    json_builder_add_string_value (builder, self->readiness_issues[i]);
  json_builder_end_array (builder);

  if (self->updated_at != 0)
    tessera_json_add_unix_usec (builder, "updated_at", self->updated_at);

  json_builder_set_member_name (builder, "provisioning");
  json_builder_begin_object (builder);
  tessera_json_add_enum (builder, "state", TESSERA_TYPE_PROVISIONING_STATE,
                         self->provisioning_state);
  tessera_json_add_string (builder, "otp_id", self->otp_id);
  tessera_json_add_string (builder, "issued_by", self->issued_by);
  if (self->has_expires_at)
    tessera_json_add_unix_usec (builder, "expires_at", self->expires_at);
  tessera_json_add_string (builder, "request_id", self->request_id);
  json_builder_end_object (builder);

  if (self->otps != NULL)
    {
      json_builder_set_member_name (builder, "otps");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->otps->len; i++)
        tessera_otp_to_json (g_ptr_array_index (self->otps, i), builder);
      json_builder_end_array (builder);
    }

  if (self->requests != NULL)
    {
      json_builder_set_member_name (builder, "requests");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->requests->len; i++)
        tessera_request_to_json (g_ptr_array_index (self->requests, i), builder);
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);
}

/* As tessera_json_add_unix_usec(), which leaves out a time it cannot write; TRUE if written. */
static gboolean
write_unix_usec (GString    *out,
                 const char *member,
                 gint64      unix_usec,
                 gboolean    first)
{
  char buffer[TESSERA_DATETIME_BUFFER_SIZE];

  if (!tessera_datetime_format_unix_usec (unix_usec, buffer))
    g_return_val_if_reached (FALSE);
  tessera_json_write_member (out, member, buffer, first);
  return TRUE;
}

/* As tessera_json_add_enum(), which leaves out a value that has no name; TRUE if written. */
static gboolean
write_enum (GString    *out,
            const char *member,
            GType       enum_type,
            int         value,
            gboolean    first)
{
  const char *name = tessera_enum_to_string (enum_type, value);

  g_return_val_if_fail (name != NULL, FALSE);
  tessera_json_write_member (out, member, name, first);
  return TRUE;
}

void
tessera_account_write_json (TesseraAccount *self,
                            GString        *out)
{
  gboolean first;

  g_return_if_fail (TESSERA_IS_ACCOUNT (self));
  g_return_if_fail (out != NULL);

  /* The history is rare (one account at a time) and long: the builder writes it. */
  if (self->otps != NULL || self->requests != NULL)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *text = NULL;
      gsize length = 0;

      tessera_account_to_json (self, builder);
      text = tessera_json_builder_to_string (builder, &length);
      g_string_append_len (out, text, (gssize) length);
      return;
    }

  /* Member for member what tessera_account_to_json() builds, in the same order. */
  g_string_append_c (out, '{');
  tessera_json_write_member (out, "id", self->id, TRUE);
  tessera_json_write_member (out, "display_name", self->display_name, FALSE);
  tessera_json_write_member (out, "upn", self->upn, FALSE);
  tessera_json_write_member (out, "site", self->site, FALSE);
  tessera_json_write_member (out, "license", self->license, FALSE);
  write_enum (out, "readiness", TESSERA_TYPE_READINESS, self->readiness, FALSE);

  g_string_append (out, ",\"readiness_issues\":[");
  for (guint i = 0; self->readiness_issues != NULL && self->readiness_issues[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      tessera_json_write_string (out, self->readiness_issues[i]);
    }
  g_string_append_c (out, ']');

  if (self->updated_at != 0)
    write_unix_usec (out, "updated_at", self->updated_at, FALSE);

  g_string_append (out, ",\"provisioning\":{");
  first = !write_enum (out, "state", TESSERA_TYPE_PROVISIONING_STATE,
                       self->provisioning_state, TRUE);
  if (self->otp_id != NULL)
    {
      tessera_json_write_member (out, "otp_id", self->otp_id, first);
      first = FALSE;
    }
  if (self->issued_by != NULL)
    {
      tessera_json_write_member (out, "issued_by", self->issued_by, first);
      first = FALSE;
    }
  if (self->has_expires_at && write_unix_usec (out, "expires_at", self->expires_at, first))
    first = FALSE;
  if (self->request_id != NULL)
    tessera_json_write_member (out, "request_id", self->request_id, first);
  g_string_append (out, "}}");
}

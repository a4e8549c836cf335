/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-api-bodies"

#include "config.h"

#include "tessera-types-private.h"
#include "tessera-api-bodies.h"

/* ------------------------------------------------------------------------------------------
 * TesseraDeviceInfo
 * ------------------------------------------------------------------------------------------ */

TesseraDeviceInfo *
tessera_device_info_new (const char *make,
                         const char *model,
                         const char *serial_number)
{
  TesseraDeviceInfo *self = g_new0 (TesseraDeviceInfo, 1);

  self->make = g_strdup (make);
  self->model = g_strdup (model);
  self->serial_number = g_strdup (serial_number);

  return self;
}

TesseraDeviceInfo *
tessera_device_info_copy (const TesseraDeviceInfo *self)
{
  if (self == NULL)
    return NULL;

  return tessera_device_info_new (self->make, self->model, self->serial_number);
}

void
tessera_device_info_free (TesseraDeviceInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->make);
  g_free (self->model);
  g_free (self->serial_number);
  g_free (self);
}

TesseraDeviceInfo *
tessera_device_info_new_from_json (JsonNode  *node,
                                   GError   **error)
{
  JsonObject *object;
  const char *make, *model, *serial_number;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "make", TESSERA_MAX_DEVICE_FIELD_LENGTH,
                                    &make, error) ||
      !tessera_json_require_string (object, "model", TESSERA_MAX_DEVICE_FIELD_LENGTH,
                                    &model, error) ||
      !tessera_json_require_string (object, "serial_number", TESSERA_MAX_DEVICE_FIELD_LENGTH,
                                    &serial_number, error))
    return NULL;

  return tessera_device_info_new (make, model, serial_number);
}

void
tessera_device_info_to_json (const TesseraDeviceInfo *self,
                             JsonBuilder             *builder)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "make", self->make);
  tessera_json_add_nullable_string (builder, "model", self->model);
  tessera_json_add_nullable_string (builder, "serial_number", self->serial_number);
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------------------------
 * TesseraSignIn
 * ------------------------------------------------------------------------------------------ */

TesseraSignIn *
tessera_sign_in_new (const char *upn,
                     const char *password)
{
  TesseraSignIn *self = g_new0 (TesseraSignIn, 1);

  self->upn = g_strdup (upn);
  self->password = tessera_secret_dup (password);

  return self;
}

void
tessera_sign_in_free (TesseraSignIn *self)
{
  if (self == NULL)
    return;

  g_free (self->upn);
  tessera_secret_free (self->password);
  g_free (self);
}

TesseraSignIn *
tessera_sign_in_new_from_json (JsonNode  *node,
                               GError   **error)
{
  JsonObject *object;
  const char *upn, *password;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "upn", TESSERA_MAX_NAME_LENGTH, &upn, error) ||
      !tessera_json_require_string (object, "password", TESSERA_MAX_PASSWORD_LENGTH,
                                    &password, error))
    return NULL;

  return tessera_sign_in_new (upn, password);
}

void
tessera_sign_in_to_json (const TesseraSignIn *self,
                         JsonBuilder         *builder)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "upn", self->upn);
  tessera_json_add_nullable_string (builder, "password", self->password);
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------------------------
 * TesseraBatchSpec
 * ------------------------------------------------------------------------------------------ */

TesseraBatchSpec *
tessera_batch_spec_new (void)
{
  TesseraBatchSpec *self = g_new0 (TesseraBatchSpec, 1);

  self->password_mode = TESSERA_PASSWORD_MODE_GENERATE;

  return self;
}

void
tessera_batch_spec_free (TesseraBatchSpec *self)
{
  if (self == NULL)
    return;

  g_strfreev (self->account_ids);
  g_clear_pointer (&self->sign_in_data, g_ptr_array_unref);
  g_free (self);
}

static GPtrArray *
decode_sign_in_data (JsonArray  *array,
                     GError    **error)
{
  g_autoptr(GPtrArray) sign_in_data = NULL;
  guint n = json_array_get_length (array);

  sign_in_data = g_ptr_array_new_full (n, (GDestroyNotify) tessera_sign_in_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      TesseraSignIn *sign_in;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE,
                       "sign_in_data[%u]: expected an object", i);
          return NULL;
        }

      if (!(sign_in = tessera_sign_in_new_from_json (element, error)))
        {
          tessera_json_prefix_error (error, "sign_in_data[%u]", i);
          return NULL;
        }

      g_ptr_array_add (sign_in_data, sign_in);
    }

  return g_steal_pointer (&sign_in_data);
}

TesseraBatchSpec *
tessera_batch_spec_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(TesseraBatchSpec) self = tessera_batch_spec_new ();
  g_autoptr(GHashTable) seen = NULL;
  JsonObject *object;
  JsonArray *ids, *sign_in_data = NULL;
  gint64 validity_hours = 0;
  gboolean has_validity = FALSE, has_return = FALSE;
  int password_mode;
  guint n;

  if (!tessera_json_expect_object (node, &object, error))
    return NULL;

  /* Own message for the batch limit: a person reads it in the app (DESIGN §4) */
  if (!tessera_json_require_array (object, "account_ids", G_MAXUINT, &ids, error))
    return NULL;
  n = json_array_get_length (ids);
  if (n > TESSERA_MAX_BATCH_ACCOUNTS)
    {
      g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_TOO_LONG,
                   "account_ids: at most %u accounts a batch", TESSERA_MAX_BATCH_ACCOUNTS);
      return NULL;
    }
  if (n == 0)
    {
      g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE,
                           "account_ids: at least one account is needed");
      return NULL;
    }

  if (!tessera_json_require_string_array (object, "account_ids", TESSERA_MAX_BATCH_ACCOUNTS,
                                          TESSERA_MAX_NAME_LENGTH, &self->account_ids, error))
    return NULL;

  /* The same account twice would revoke the OTP just issued to it in this batch. */
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    if (!g_hash_table_add (seen, self->account_ids[i]))
      {
        g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE,
                     "account_ids[%u]: the same account appears twice", i);
        return NULL;
      }

  if (!tessera_json_require_enum (object, "password_mode", TESSERA_TYPE_PASSWORD_MODE,
                                  &password_mode, error) ||
      !tessera_json_optional_int (object, "validity_hours",
                                  TESSERA_SETTINGS_MIN_OTP_VALIDITY_HOURS,
                                  TESSERA_SETTINGS_MAX_OTP_VALIDITY_HOURS,
                                  &validity_hours, &has_validity, error) ||
      !tessera_json_optional_boolean (object, "return_passwords", &self->return_passwords,
                                      &has_return, error))
    return NULL;

  self->password_mode = password_mode;
  self->validity_hours = has_validity ? (guint) validity_hours : 0;
  self->return_passwords = has_return && self->return_passwords;

  /* With generated passwords, sign-in data has no meaning and is ignored. */
  if (self->password_mode == TESSERA_PASSWORD_MODE_PROVIDED)
    {
      if (!tessera_json_optional_array (object, "sign_in_data", TESSERA_MAX_BATCH_ACCOUNTS,
                                        &sign_in_data, error))
        return NULL;

      if (sign_in_data == NULL)
        {
          g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_MISSING_MEMBER,
                               "sign_in_data: needed when password_mode is \"provided\"");
          return NULL;
        }

      if (!(self->sign_in_data = decode_sign_in_data (sign_in_data, error)))
        return NULL;
    }

  return g_steal_pointer (&self);
}

void
tessera_batch_spec_to_json (const TesseraBatchSpec *self,
                            JsonBuilder            *builder)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "account_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; self->account_ids != NULL && self->account_ids[i] != NULL; i++)
    json_builder_add_string_value (builder, self->account_ids[i]);
  json_builder_end_array (builder);

  tessera_json_add_enum (builder, "password_mode", TESSERA_TYPE_PASSWORD_MODE,
                         self->password_mode);

  if (self->sign_in_data != NULL)
    {
      json_builder_set_member_name (builder, "sign_in_data");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->sign_in_data->len; i++)
        tessera_sign_in_to_json (g_ptr_array_index (self->sign_in_data, i), builder);
      json_builder_end_array (builder);
    }

  if (self->validity_hours != 0)
    {
      json_builder_set_member_name (builder, "validity_hours");
      json_builder_add_int_value (builder, self->validity_hours);
    }

  json_builder_set_member_name (builder, "return_passwords");
  json_builder_add_boolean_value (builder, self->return_passwords);

  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------------------------
 * TesseraResolution
 * ------------------------------------------------------------------------------------------ */

TesseraResolution *
tessera_resolution_new (TesseraDecision         decision,
                        TesseraRejectionReason  reason,
                        const char             *comment)
{
  TesseraResolution *self = g_new0 (TesseraResolution, 1);

  self->decision = decision;
  self->reason = reason;
  self->comment = g_strdup (comment);

  return self;
}

void
tessera_resolution_free (TesseraResolution *self)
{
  if (self == NULL)
    return;

  g_free (self->comment);
  g_free (self);
}

TesseraResolution *
tessera_resolution_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  JsonObject *object;
  const char *comment;
  int decision, reason = TESSERA_REJECTION_NONE;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_enum (object, "decision", TESSERA_TYPE_DECISION, &decision, error) ||
      !tessera_json_optional_string (object, "comment", TESSERA_MAX_COMMENT_LENGTH,
                                     &comment, error))
    return NULL;

  /* An approval has no reason; one sent anyway is ignored rather than stored. */
  if (decision == TESSERA_DECISION_REJECT)
    {
      gboolean has_reason = FALSE;

      if (!tessera_json_optional_enum (object, "reason", TESSERA_TYPE_REJECTION_REASON,
                                       &reason, &has_reason, error))
        return NULL;

      if (!has_reason)
        {
          g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_MISSING_MEMBER,
                               "reason: needed when decision is \"reject\"");
          return NULL;
        }

      if (reason == TESSERA_REJECTION_NONE)
        {
          g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE,
                               "reason: unknown value \"none\"");
          return NULL;
        }
    }

  return tessera_resolution_new (decision, reason, comment);
}

void
tessera_resolution_to_json (const TesseraResolution *self,
                            JsonBuilder             *builder)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_enum (builder, "decision", TESSERA_TYPE_DECISION, self->decision);
  if (self->decision == TESSERA_DECISION_REJECT && self->reason != TESSERA_REJECTION_NONE)
    tessera_json_add_enum (builder, "reason", TESSERA_TYPE_REJECTION_REASON, self->reason);
  tessera_json_add_string (builder, "comment", self->comment);
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------------------------
 * TesseraSettingsPatch
 * ------------------------------------------------------------------------------------------ */

TesseraSettingsPatch *
tessera_settings_patch_new (void)
{
  return g_new0 (TesseraSettingsPatch, 1);
}

void
tessera_settings_patch_free (TesseraSettingsPatch *self)
{
  g_free (self);
}

TesseraSettingsPatch *
tessera_settings_patch_new_from_json (JsonNode  *node,
                                      GError   **error)
{
  g_autoptr(TesseraSettingsPatch) self = tessera_settings_patch_new ();
  JsonObject *object;
  gint64 hours = 0;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_optional_int (object, "otp_validity_hours",
                                  TESSERA_SETTINGS_MIN_OTP_VALIDITY_HOURS,
                                  TESSERA_SETTINGS_MAX_OTP_VALIDITY_HOURS,
                                  &hours, &self->has_otp_validity_hours, error) ||
      !tessera_json_optional_boolean (object, "auto_approve", &self->auto_approve,
                                      &self->has_auto_approve, error) ||
      !tessera_json_optional_boolean (object, "separation_of_duties",
                                      &self->separation_of_duties,
                                      &self->has_separation_of_duties, error))
    return NULL;

  self->otp_validity_hours = (guint) hours;

  return g_steal_pointer (&self);
}

void
tessera_settings_patch_to_json (const TesseraSettingsPatch *self,
                                JsonBuilder                *builder)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  if (self->has_otp_validity_hours)
    {
      json_builder_set_member_name (builder, "otp_validity_hours");
      json_builder_add_int_value (builder, self->otp_validity_hours);
    }
  if (self->has_auto_approve)
    {
      json_builder_set_member_name (builder, "auto_approve");
      json_builder_add_boolean_value (builder, self->auto_approve);
    }
  if (self->has_separation_of_duties)
    {
      json_builder_set_member_name (builder, "separation_of_duties");
      json_builder_add_boolean_value (builder, self->separation_of_duties);
    }
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------------------------
 * TesseraLogin
 * ------------------------------------------------------------------------------------------ */

TesseraLogin *
tessera_login_new (const char *username,
                   const char *password)
{
  TesseraLogin *self = g_new0 (TesseraLogin, 1);

  self->username = g_strdup (username);
  self->password = tessera_secret_dup (password);

  return self;
}

void
tessera_login_free (TesseraLogin *self)
{
  if (self == NULL)
    return;

  g_free (self->username);
  tessera_secret_free (self->password);
  g_free (self);
}

TesseraLogin *
tessera_login_new_from_json (JsonNode  *node,
                             GError   **error)
{
  JsonObject *object;
  const char *username, *password;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "username", TESSERA_MAX_NAME_LENGTH,
                                    &username, error) ||
      !tessera_json_require_string (object, "password", TESSERA_MAX_PASSWORD_LENGTH,
                                    &password, error))
    return NULL;

  return tessera_login_new (username, password);
}

void
tessera_login_to_json (const TesseraLogin *self,
                       JsonBuilder        *builder)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "username", self->username);
  tessera_json_add_nullable_string (builder, "password", self->password);
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------------------------
 * TesseraRedemptionSpec
 * ------------------------------------------------------------------------------------------ */

TesseraRedemptionSpec *
tessera_redemption_spec_new (const char              *code,
                             const TesseraDeviceInfo *device)
{
  TesseraRedemptionSpec *self = g_new0 (TesseraRedemptionSpec, 1);

  self->code = tessera_secret_dup (code);
  self->device = tessera_device_info_copy (device);

  return self;
}

void
tessera_redemption_spec_free (TesseraRedemptionSpec *self)
{
  if (self == NULL)
    return;

  tessera_secret_free (self->code);
  tessera_device_info_free (self->device);
  g_free (self);
}

TesseraRedemptionSpec *
tessera_redemption_spec_new_from_json (JsonNode  *node,
                                       GError   **error)
{
  g_autoptr(TesseraDeviceInfo) device = NULL;
  JsonObject *object, *device_object;
  const char *code;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "code", TESSERA_MAX_CODE_LENGTH, &code, error) ||
      !tessera_json_require_object (object, "device", &device_object, error))
    return NULL;

  if (!(device = tessera_device_info_new_from_json (json_object_get_member (object, "device"),
                                                    error)))
    {
      tessera_json_prefix_error (error, "device");
      return NULL;
    }

  return tessera_redemption_spec_new (code, device);
}

void
tessera_redemption_spec_to_json (const TesseraRedemptionSpec *self,
                                 JsonBuilder                 *builder)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "code", self->code);
  if (self->device != NULL)
    {
      json_builder_set_member_name (builder, "device");
      tessera_device_info_to_json (self->device, builder);
    }
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------------------------
 * TesseraProblem (RFC 9457)
 * ------------------------------------------------------------------------------------------ */

static const char *const problem_members[] = { "type", "title", "status", "detail", "code" };

static gboolean
is_problem_member (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (problem_members); i++)
    if (g_str_equal (name, problem_members[i]))
      return TRUE;

  return FALSE;
}

TesseraProblem *
tessera_problem_new (guint       status,
                     const char *code,
                     const char *title,
                     const char *detail)
{
  TesseraProblem *self = g_new0 (TesseraProblem, 1);

  self->status = status;
  self->type = g_strdup ("about:blank");
  self->code = g_strdup (code);
  self->title = g_strdup (title);
  self->detail = g_strdup (detail);

  return self;
}

void
tessera_problem_free (TesseraProblem *self)
{
  if (self == NULL)
    return;

  g_free (self->type);
  g_free (self->title);
  g_free (self->detail);
  g_free (self->code);
  g_clear_pointer (&self->extra, json_object_unref);
  g_free (self);
}

TesseraProblem *
tessera_problem_new_from_json (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(TesseraProblem) self = NULL;
  JsonObject *object;
  const char *type, *title, *detail, *code;
  gint64 status = 0;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  /* RFC 9457 makes every member optional; a caller falls back on the HTTP status. */
  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_optional_string (object, "type", TESSERA_MAX_COMMENT_LENGTH, &type, error) ||
      !tessera_json_optional_string (object, "title", TESSERA_MAX_COMMENT_LENGTH, &title, error) ||
      !tessera_json_optional_int (object, "status", 100, 599, &status, NULL, error) ||
      !tessera_json_optional_string (object, "detail", TESSERA_MAX_COMMENT_LENGTH,
                                     &detail, error) ||
      !tessera_json_optional_string (object, "code", TESSERA_MAX_CODE_LENGTH, &code, error))
    return NULL;

  self = tessera_problem_new ((guint) status, code, title, detail);
  if (type != NULL)
    _tessera_set_string (&self->type, type);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      if (is_problem_member (name))
        continue;

      if (self->extra == NULL)
        self->extra = json_object_new ();
      json_object_set_member (self->extra, name, json_node_copy (member));
    }

  return g_steal_pointer (&self);
}

void
tessera_problem_to_json (const TesseraProblem *self,
                         JsonBuilder          *builder)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "type",
                                    self->type != NULL ? self->type : "about:blank");
  tessera_json_add_string (builder, "title", self->title);
  if (self->status != 0)
    {
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, self->status);
    }
  tessera_json_add_string (builder, "detail", self->detail);
  tessera_json_add_string (builder, "code", self->code);

  if (self->extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, self->extra);
      while (json_object_iter_next (&iter, &name, &member))
        {
          if (is_problem_member (name))
            continue;
          json_builder_set_member_name (builder, name);
          json_builder_add_value (builder, json_node_copy (member));
        }
    }

  json_builder_end_object (builder);
}

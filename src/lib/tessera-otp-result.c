/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-otp-result"

#include "config.h"

#include "tessera-otp-code.h"
#include "tessera-otp-result.h"
#include "tessera-types-private.h"

struct _TesseraOtpResult
{
  GObject                parent_instance;

  char                   *account_id;
  TesseraOtpResultStatus status;
  char                   *otp_id;
  char                   *code;
  GDateTime              *expires_at;
  char                   *password;
  char                   *error_code;
  char                   *error_detail;
};

G_DEFINE_FINAL_TYPE (TesseraOtpResult, tessera_otp_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACCOUNT_ID,
  PROP_STATUS,
  PROP_OTP_ID,
  PROP_CODE,
  PROP_EXPIRES_AT,
  PROP_PASSWORD,
  PROP_ERROR_CODE,
  PROP_ERROR_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tessera_otp_result_finalize (GObject *object)
{
  TesseraOtpResult *self = (TesseraOtpResult *)object;

  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->otp_id, g_free);
  tessera_secret_clear (&self->code);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  tessera_secret_clear (&self->password);
  g_clear_pointer (&self->error_code, g_free);
  g_clear_pointer (&self->error_detail, g_free);

  G_OBJECT_CLASS (tessera_otp_result_parent_class)->finalize (object);
}

static void
tessera_otp_result_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TesseraOtpResult *self = TESSERA_OTP_RESULT (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_OTP_ID:
      g_value_set_string (value, self->otp_id);
      break;

    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;

    case PROP_PASSWORD:
      g_value_set_string (value, self->password);
      break;

    case PROP_ERROR_CODE:
      g_value_set_string (value, self->error_code);
      break;

    case PROP_ERROR_DETAIL:
      g_value_set_string (value, self->error_detail);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_otp_result_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TesseraOtpResult *self = TESSERA_OTP_RESULT (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_ID:
      tessera_otp_result_set_account_id (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      tessera_otp_result_set_status (self, g_value_get_enum (value));
      break;

    case PROP_OTP_ID:
      tessera_otp_result_set_otp_id (self, g_value_get_string (value));
      break;

    case PROP_CODE:
      tessera_otp_result_set_code (self, g_value_get_string (value));
      break;

    case PROP_EXPIRES_AT:
      tessera_otp_result_set_expires_at (self, g_value_get_boxed (value));
      break;

    case PROP_PASSWORD:
      tessera_otp_result_set_password (self, g_value_get_string (value));
      break;

    case PROP_ERROR_CODE:
      tessera_otp_result_set_error_code (self, g_value_get_string (value));
      break;

    case PROP_ERROR_DETAIL:
      tessera_otp_result_set_error_detail (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_otp_result_class_init (TesseraOtpResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tessera_otp_result_finalize;
  object_class->get_property = tessera_otp_result_get_property;
  object_class->set_property = tessera_otp_result_set_property;

  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, TESSERA_TYPE_OTP_RESULT_STATUS, TESSERA_OTP_RESULT_ISSUED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OTP_ID] =
    g_param_spec_string ("otp-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_CODE] =
    g_param_spec_string ("error-code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_DETAIL] =
    g_param_spec_string ("error-detail", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_otp_result_init (TesseraOtpResult *self)
{
  self->status = TESSERA_OTP_RESULT_ISSUED;
}

const char *
tessera_otp_result_get_account_id (TesseraOtpResult *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_RESULT (self), NULL);

  return self->account_id;
}

void
tessera_otp_result_set_account_id (TesseraOtpResult *self,
                                   const char       *account_id)
{
  g_return_if_fail (TESSERA_IS_OTP_RESULT (self));

  if (_tessera_set_string (&self->account_id, account_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
}

TesseraOtpResultStatus
tessera_otp_result_get_status (TesseraOtpResult *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_RESULT (self), TESSERA_OTP_RESULT_ISSUED);

  return self->status;
}

void
tessera_otp_result_set_status (TesseraOtpResult       *self,
                               TesseraOtpResultStatus  status)
{
  g_return_if_fail (TESSERA_IS_OTP_RESULT (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
tessera_otp_result_get_otp_id (TesseraOtpResult *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_RESULT (self), NULL);

  return self->otp_id;
}

void
tessera_otp_result_set_otp_id (TesseraOtpResult *self,
                               const char       *otp_id)
{
  g_return_if_fail (TESSERA_IS_OTP_RESULT (self));

  if (_tessera_set_string (&self->otp_id, otp_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OTP_ID]);
}

const char *
tessera_otp_result_get_code (TesseraOtpResult *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_RESULT (self), NULL);

  return self->code;
}

void
tessera_otp_result_set_code (TesseraOtpResult *self,
                             const char       *code)
{
  g_return_if_fail (TESSERA_IS_OTP_RESULT (self));

  if (_tessera_set_secret (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

GDateTime *
tessera_otp_result_get_expires_at (TesseraOtpResult *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_RESULT (self), NULL);

  return self->expires_at;
}

void
tessera_otp_result_set_expires_at (TesseraOtpResult *self,
                                   GDateTime        *expires_at)
{
  g_return_if_fail (TESSERA_IS_OTP_RESULT (self));

  if (_tessera_set_datetime (&self->expires_at, expires_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES_AT]);
}

const char *
tessera_otp_result_get_password (TesseraOtpResult *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_RESULT (self), NULL);

  return self->password;
}

void
tessera_otp_result_set_password (TesseraOtpResult *self,
                                 const char       *password)
{
  g_return_if_fail (TESSERA_IS_OTP_RESULT (self));

  if (_tessera_set_secret (&self->password, password))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD]);
}

const char *
tessera_otp_result_get_error_code (TesseraOtpResult *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_RESULT (self), NULL);

  return self->error_code;
}

void
tessera_otp_result_set_error_code (TesseraOtpResult *self,
                                   const char       *error_code)
{
  g_return_if_fail (TESSERA_IS_OTP_RESULT (self));

  if (_tessera_set_string (&self->error_code, error_code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_CODE]);
}

const char *
tessera_otp_result_get_error_detail (TesseraOtpResult *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_RESULT (self), NULL);

  return self->error_detail;
}

void
tessera_otp_result_set_error_detail (TesseraOtpResult *self,
                                     const char       *error_detail)
{
  g_return_if_fail (TESSERA_IS_OTP_RESULT (self));

  if (_tessera_set_string (&self->error_detail, error_detail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_DETAIL]);
}


TesseraOtpResult *
tessera_otp_result_new_issued (const char *account_id,
                               const char *otp_id,
                               const char *code,
                               GDateTime  *expires_at,
                               const char *password)
{
  TesseraOtpResult *self = g_object_new (TESSERA_TYPE_OTP_RESULT, NULL);

  self->account_id = g_strdup (account_id);
  self->status = TESSERA_OTP_RESULT_ISSUED;
  self->otp_id = g_strdup (otp_id);
  self->code = tessera_secret_dup (code);
  self->expires_at = expires_at != NULL ? g_date_time_ref (expires_at) : NULL;
  self->password = tessera_secret_dup (password);

  return self;
}

TesseraOtpResult *
tessera_otp_result_new_refused (const char *account_id,
                                const char *error_code,
                                const char *error_detail)
{
  TesseraOtpResult *self = g_object_new (TESSERA_TYPE_OTP_RESULT, NULL);

  self->account_id = g_strdup (account_id);
  self->status = TESSERA_OTP_RESULT_REFUSED;
  self->error_code = g_strdup (error_code);
  self->error_detail = g_strdup (error_detail);

  return self;
}

TesseraOtpResult *
tessera_otp_result_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  JsonObject *object, *otp, *refusal;
  const char *account_id;
  int status;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "account_id", TESSERA_MAX_NAME_LENGTH,
                                    &account_id, error) ||
      !tessera_json_require_enum (object, "status", TESSERA_TYPE_OTP_RESULT_STATUS, &status,
                                  error))
    return NULL;

  if (status == TESSERA_OTP_RESULT_ISSUED)
    {
      const char *otp_id, *code, *password;
      g_autoptr(GDateTime) expires_at = NULL;

      if (!tessera_json_require_object (object, "otp", &otp, error) ||
          !tessera_json_optional_string (object, "password", TESSERA_MAX_PASSWORD_LENGTH,
                                         &password, error))
        return NULL;

      if (!tessera_json_require_string (otp, "id", TESSERA_MAX_NAME_LENGTH, &otp_id, error) ||
          !tessera_json_require_string (otp, "code", TESSERA_MAX_CODE_LENGTH, &code, error) ||
          !tessera_json_require_datetime (otp, "expires_at", &expires_at, error))
        {
          tessera_json_prefix_error (error, "otp");
          return NULL;
        }

      /* The server sends codes normalised; anything else would print a code nobody can
       * redeem, so refuse it here rather than on a handout card. */
      if (!tessera_otp_code_is_valid (code))
        {
          /* Never echo the value: it is a secret */
          g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE,
                               "otp.code: not a valid OTP code");
          return NULL;
        }

      return tessera_otp_result_new_issued (account_id, otp_id, code, expires_at, password);
    }
  else
    {
      const char *code, *detail;

      if (!tessera_json_require_object (object, "error", &refusal, error))
        return NULL;

      if (!tessera_json_require_string (refusal, "code", TESSERA_MAX_CODE_LENGTH, &code, error) ||
          !tessera_json_require_string (refusal, "detail", TESSERA_MAX_COMMENT_LENGTH,
                                        &detail, error))
        {
          tessera_json_prefix_error (error, "error");
          return NULL;
        }

      return tessera_otp_result_new_refused (account_id, code, detail);
    }
}

void
tessera_otp_result_to_json (TesseraOtpResult *self,
                            JsonBuilder      *builder)
{
  g_return_if_fail (TESSERA_IS_OTP_RESULT (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "account_id", self->account_id);
  tessera_json_add_enum (builder, "status", TESSERA_TYPE_OTP_RESULT_STATUS, self->status);

  if (self->status == TESSERA_OTP_RESULT_ISSUED)
    {
      json_builder_set_member_name (builder, "otp");
      json_builder_begin_object (builder);
      tessera_json_add_nullable_string (builder, "id", self->otp_id);
      tessera_json_add_nullable_string (builder, "code", self->code);
      tessera_json_add_datetime (builder, "expires_at", self->expires_at);
      json_builder_end_object (builder);
      tessera_json_add_string (builder, "password", self->password);
    }
  else
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      tessera_json_add_nullable_string (builder, "code", self->error_code);
      tessera_json_add_nullable_string (builder, "detail", self->error_detail);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
}

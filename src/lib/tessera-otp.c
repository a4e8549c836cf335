/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-otp"

#include "config.h"

#include "tessera-types-private.h"
#include "tessera-otp.h"

struct _TesseraOtp
{
  GObject         parent_instance;

  char            *id;
  char            *account_id;
  char            *issued_by;
  GDateTime       *issued_at;
  GDateTime       *expires_at;
  TesseraOtpState state;
};

G_DEFINE_FINAL_TYPE (TesseraOtp, tessera_otp, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ACCOUNT_ID,
  PROP_ISSUED_BY,
  PROP_ISSUED_AT,
  PROP_EXPIRES_AT,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tessera_otp_finalize (GObject *object)
{
  TesseraOtp *self = (TesseraOtp *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->issued_by, g_free);
  g_clear_pointer (&self->issued_at, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);

  G_OBJECT_CLASS (tessera_otp_parent_class)->finalize (object);
}

static void
tessera_otp_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TesseraOtp *self = TESSERA_OTP (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;

    case PROP_ISSUED_BY:
      g_value_set_string (value, self->issued_by);
      break;

    case PROP_ISSUED_AT:
      g_value_set_boxed (value, self->issued_at);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_otp_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TesseraOtp *self = TESSERA_OTP (object);

  switch (prop_id)
    {
    case PROP_ID:
      tessera_otp_set_id (self, g_value_get_string (value));
      break;

    case PROP_ACCOUNT_ID:
      tessera_otp_set_account_id (self, g_value_get_string (value));
      break;

    case PROP_ISSUED_BY:
      tessera_otp_set_issued_by (self, g_value_get_string (value));
      break;

    case PROP_ISSUED_AT:
      tessera_otp_set_issued_at (self, g_value_get_boxed (value));
      break;

    case PROP_EXPIRES_AT:
      tessera_otp_set_expires_at (self, g_value_get_boxed (value));
      break;

    case PROP_STATE:
      tessera_otp_set_state (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_otp_class_init (TesseraOtpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tessera_otp_finalize;
  object_class->get_property = tessera_otp_get_property;
  object_class->set_property = tessera_otp_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ISSUED_BY] =
    g_param_spec_string ("issued-by", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ISSUED_AT] =
    g_param_spec_boxed ("issued-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TESSERA_TYPE_OTP_STATE, TESSERA_OTP_ISSUED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_otp_init (TesseraOtp *self)
{
  self->state = TESSERA_OTP_ISSUED;
}

const char *
tessera_otp_get_id (TesseraOtp *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP (self), NULL);

  return self->id;
}

void
tessera_otp_set_id (TesseraOtp *self,
                    const char *id)
{
  g_return_if_fail (TESSERA_IS_OTP (self));

  if (_tessera_set_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
tessera_otp_get_account_id (TesseraOtp *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP (self), NULL);

  return self->account_id;
}

void
tessera_otp_set_account_id (TesseraOtp *self,
                            const char *account_id)
{
  g_return_if_fail (TESSERA_IS_OTP (self));

  if (_tessera_set_string (&self->account_id, account_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
}

const char *
tessera_otp_get_issued_by (TesseraOtp *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP (self), NULL);

  return self->issued_by;
}

void
tessera_otp_set_issued_by (TesseraOtp *self,
                           const char *issued_by)
{
  g_return_if_fail (TESSERA_IS_OTP (self));

  if (_tessera_set_string (&self->issued_by, issued_by))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ISSUED_BY]);
}

GDateTime *
tessera_otp_get_issued_at (TesseraOtp *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP (self), NULL);

  return self->issued_at;
}

void
tessera_otp_set_issued_at (TesseraOtp *self,
                           GDateTime  *issued_at)
{
  g_return_if_fail (TESSERA_IS_OTP (self));

  if (_tessera_set_datetime (&self->issued_at, issued_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ISSUED_AT]);
}

GDateTime *
tessera_otp_get_expires_at (TesseraOtp *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP (self), NULL);

  return self->expires_at;
}

void
tessera_otp_set_expires_at (TesseraOtp *self,
                            GDateTime  *expires_at)
{
  g_return_if_fail (TESSERA_IS_OTP (self));

  if (_tessera_set_datetime (&self->expires_at, expires_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES_AT]);
}

TesseraOtpState
tessera_otp_get_state (TesseraOtp *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP (self), TESSERA_OTP_ISSUED);

  return self->state;
}

void
tessera_otp_set_state (TesseraOtp      *self,
                       TesseraOtpState  state)
{
  g_return_if_fail (TESSERA_IS_OTP (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}


TesseraOtp *
tessera_otp_new (const char      *id,
                 const char      *account_id,
                 const char      *issued_by,
                 GDateTime       *issued_at,
                 GDateTime       *expires_at,
                 TesseraOtpState  state)
{
  TesseraOtp *self = g_object_new (TESSERA_TYPE_OTP, NULL);

  self->id = g_strdup (id);
  self->account_id = g_strdup (account_id);
  self->issued_by = g_strdup (issued_by);
  self->issued_at = issued_at != NULL ? g_date_time_ref (issued_at) : NULL;
  self->expires_at = expires_at != NULL ? g_date_time_ref (expires_at) : NULL;
  self->state = state;

  return self;
}

TesseraOtp *
tessera_otp_new_from_json (JsonNode  *node,
                           GError   **error)
{
  JsonObject *object;
  const char *id, *account_id, *issued_by;
  g_autoptr(GDateTime) issued_at = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  int state;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "id", TESSERA_MAX_NAME_LENGTH, &id, error) ||
      !tessera_json_require_string (object, "account_id", TESSERA_MAX_NAME_LENGTH,
                                    &account_id, error) ||
      !tessera_json_require_string (object, "issued_by", TESSERA_MAX_NAME_LENGTH,
                                    &issued_by, error) ||
      !tessera_json_require_datetime (object, "issued_at", &issued_at, error) ||
      !tessera_json_require_datetime (object, "expires_at", &expires_at, error) ||
      !tessera_json_require_enum (object, "state", TESSERA_TYPE_OTP_STATE, &state, error))
    return NULL;

  return tessera_otp_new (id, account_id, issued_by, issued_at, expires_at, state);
}

void
tessera_otp_to_json (TesseraOtp  *self,
                     JsonBuilder *builder)
{
  g_return_if_fail (TESSERA_IS_OTP (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "id", self->id);
  tessera_json_add_nullable_string (builder, "account_id", self->account_id);
  tessera_json_add_nullable_string (builder, "issued_by", self->issued_by);
  tessera_json_add_datetime (builder, "issued_at", self->issued_at);
  tessera_json_add_datetime (builder, "expires_at", self->expires_at);
  tessera_json_add_enum (builder, "state", TESSERA_TYPE_OTP_STATE, self->state);
  json_builder_end_object (builder);
}

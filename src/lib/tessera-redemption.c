/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-redemption"

#include "config.h"

#include "tessera-types-private.h"
#include "tessera-redemption.h"

struct _TesseraRedemption
{
  GObject                parent_instance;

  char                   *id;
  char                   *poll_token;
  TesseraRequestState    state;
  GDateTime              *expires_at;
  TesseraRejectionReason rejection_reason;
  char                   *comment;
  char                   *sign_in_upn;
  char                   *sign_in_password;
};

G_DEFINE_FINAL_TYPE (TesseraRedemption, tessera_redemption, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_POLL_TOKEN,
  PROP_STATE,
  PROP_EXPIRES_AT,
  PROP_REJECTION_REASON,
  PROP_COMMENT,
  PROP_SIGN_IN_UPN,
  PROP_SIGN_IN_PASSWORD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tessera_redemption_finalize (GObject *object)
{
  TesseraRedemption *self = (TesseraRedemption *)object;

  g_clear_pointer (&self->id, g_free);
  tessera_secret_clear (&self->poll_token);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->comment, g_free);
  g_clear_pointer (&self->sign_in_upn, g_free);
  tessera_secret_clear (&self->sign_in_password);

  G_OBJECT_CLASS (tessera_redemption_parent_class)->finalize (object);
}

static void
tessera_redemption_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TesseraRedemption *self = TESSERA_REDEMPTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_POLL_TOKEN:
      g_value_set_string (value, self->poll_token);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;

    case PROP_REJECTION_REASON:
      g_value_set_enum (value, self->rejection_reason);
      break;

    case PROP_COMMENT:
      g_value_set_string (value, self->comment);
      break;

    case PROP_SIGN_IN_UPN:
      g_value_set_string (value, self->sign_in_upn);
      break;

    case PROP_SIGN_IN_PASSWORD:
      g_value_set_string (value, self->sign_in_password);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_redemption_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TesseraRedemption *self = TESSERA_REDEMPTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      tessera_redemption_set_id (self, g_value_get_string (value));
      break;

    case PROP_POLL_TOKEN:
      tessera_redemption_set_poll_token (self, g_value_get_string (value));
      break;

    case PROP_STATE:
      tessera_redemption_set_state (self, g_value_get_enum (value));
      break;

    case PROP_EXPIRES_AT:
      tessera_redemption_set_expires_at (self, g_value_get_boxed (value));
      break;

    case PROP_REJECTION_REASON:
      tessera_redemption_set_rejection_reason (self, g_value_get_enum (value));
      break;

    case PROP_COMMENT:
      tessera_redemption_set_comment (self, g_value_get_string (value));
      break;

    case PROP_SIGN_IN_UPN:
      tessera_redemption_set_sign_in_upn (self, g_value_get_string (value));
      break;

    case PROP_SIGN_IN_PASSWORD:
      tessera_redemption_set_sign_in_password (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_redemption_class_init (TesseraRedemptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tessera_redemption_finalize;
  object_class->get_property = tessera_redemption_get_property;
  object_class->set_property = tessera_redemption_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLL_TOKEN] =
    g_param_spec_string ("poll-token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TESSERA_TYPE_REQUEST_STATE, TESSERA_REQUEST_PENDING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REJECTION_REASON] =
    g_param_spec_enum ("rejection-reason", NULL, NULL, TESSERA_TYPE_REJECTION_REASON, TESSERA_REJECTION_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMMENT] =
    g_param_spec_string ("comment", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGN_IN_UPN] =
    g_param_spec_string ("sign-in-upn", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGN_IN_PASSWORD] =
    g_param_spec_string ("sign-in-password", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_redemption_init (TesseraRedemption *self)
{
  self->state = TESSERA_REQUEST_PENDING;
  self->rejection_reason = TESSERA_REJECTION_NONE;
}

const char *
tessera_redemption_get_id (TesseraRedemption *self)
{
  g_return_val_if_fail (TESSERA_IS_REDEMPTION (self), NULL);

  return self->id;
}

void
tessera_redemption_set_id (TesseraRedemption *self,
                           const char        *id)
{
  g_return_if_fail (TESSERA_IS_REDEMPTION (self));

  if (_tessera_set_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
tessera_redemption_get_poll_token (TesseraRedemption *self)
{
  g_return_val_if_fail (TESSERA_IS_REDEMPTION (self), NULL);

  return self->poll_token;
}

void
tessera_redemption_set_poll_token (TesseraRedemption *self,
                                   const char        *poll_token)
{
  g_return_if_fail (TESSERA_IS_REDEMPTION (self));

  if (_tessera_set_secret (&self->poll_token, poll_token))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_TOKEN]);
}

TesseraRequestState
tessera_redemption_get_state (TesseraRedemption *self)
{
  g_return_val_if_fail (TESSERA_IS_REDEMPTION (self), TESSERA_REQUEST_PENDING);

  return self->state;
}

void
tessera_redemption_set_state (TesseraRedemption   *self,
                              TesseraRequestState  state)
{
  g_return_if_fail (TESSERA_IS_REDEMPTION (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

GDateTime *
tessera_redemption_get_expires_at (TesseraRedemption *self)
{
  g_return_val_if_fail (TESSERA_IS_REDEMPTION (self), NULL);

  return self->expires_at;
}

void
tessera_redemption_set_expires_at (TesseraRedemption *self,
                                   GDateTime         *expires_at)
{
  g_return_if_fail (TESSERA_IS_REDEMPTION (self));

  if (_tessera_set_datetime (&self->expires_at, expires_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES_AT]);
}

TesseraRejectionReason
tessera_redemption_get_rejection_reason (TesseraRedemption *self)
{
  g_return_val_if_fail (TESSERA_IS_REDEMPTION (self), TESSERA_REJECTION_NONE);

  return self->rejection_reason;
}

void
tessera_redemption_set_rejection_reason (TesseraRedemption      *self,
                                         TesseraRejectionReason  rejection_reason)
{
  g_return_if_fail (TESSERA_IS_REDEMPTION (self));

  if (self->rejection_reason == rejection_reason)
    return;

  self->rejection_reason = rejection_reason;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REJECTION_REASON]);
}

const char *
tessera_redemption_get_comment (TesseraRedemption *self)
{
  g_return_val_if_fail (TESSERA_IS_REDEMPTION (self), NULL);

  return self->comment;
}

void
tessera_redemption_set_comment (TesseraRedemption *self,
                                const char        *comment)
{
  g_return_if_fail (TESSERA_IS_REDEMPTION (self));

  if (_tessera_set_string (&self->comment, comment))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMENT]);
}

const char *
tessera_redemption_get_sign_in_upn (TesseraRedemption *self)
{
  g_return_val_if_fail (TESSERA_IS_REDEMPTION (self), NULL);

  return self->sign_in_upn;
}

void
tessera_redemption_set_sign_in_upn (TesseraRedemption *self,
                                    const char        *sign_in_upn)
{
  g_return_if_fail (TESSERA_IS_REDEMPTION (self));

  if (_tessera_set_string (&self->sign_in_upn, sign_in_upn))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGN_IN_UPN]);
}

const char *
tessera_redemption_get_sign_in_password (TesseraRedemption *self)
{
  g_return_val_if_fail (TESSERA_IS_REDEMPTION (self), NULL);

  return self->sign_in_password;
}

void
tessera_redemption_set_sign_in_password (TesseraRedemption *self,
                                         const char        *sign_in_password)
{
  g_return_if_fail (TESSERA_IS_REDEMPTION (self));

  if (_tessera_set_secret (&self->sign_in_password, sign_in_password))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGN_IN_PASSWORD]);
}


TesseraRedemption *
tessera_redemption_new (const char *id)
{
  TesseraRedemption *self = g_object_new (TESSERA_TYPE_REDEMPTION, NULL);

  self->id = g_strdup (id);

  return self;
}

void
tessera_redemption_set_sign_in (TesseraRedemption *self,
                                const char        *upn,
                                const char        *password)
{
  g_return_if_fail (TESSERA_IS_REDEMPTION (self));

  g_object_freeze_notify (G_OBJECT (self));
  tessera_redemption_set_sign_in_upn (self, upn);
  tessera_redemption_set_sign_in_password (self, password);
  g_object_thaw_notify (G_OBJECT (self));
}

TesseraRedemption *
tessera_redemption_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  JsonObject *object, *sign_in;
  const char *id, *poll_token, *comment;
  const char *upn = NULL, *password = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  int state, reason = TESSERA_REJECTION_NONE;
  gboolean has_reason = FALSE;
  TesseraRedemption *self;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "id", TESSERA_MAX_NAME_LENGTH, &id, error) ||
      !tessera_json_optional_string (object, "poll_token", TESSERA_MAX_NAME_LENGTH,
                                     &poll_token, error) ||
      !tessera_json_require_enum (object, "state", TESSERA_TYPE_REQUEST_STATE, &state, error) ||
      !tessera_json_require_datetime (object, "expires_at", &expires_at, error) ||
      !tessera_json_optional_enum (object, "rejection_reason", TESSERA_TYPE_REJECTION_REASON,
                                   &reason, &has_reason, error) ||
      !tessera_json_optional_string (object, "comment", TESSERA_MAX_COMMENT_LENGTH,
                                     &comment, error) ||
      !tessera_json_optional_object (object, "sign_in", &sign_in, error))
    return NULL;

  if (has_reason && reason == TESSERA_REJECTION_NONE)
    {
      g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE,
                           "rejection_reason: unknown value \"none\"");
      return NULL;
    }

  if (sign_in != NULL &&
      (!tessera_json_require_string (sign_in, "upn", TESSERA_MAX_NAME_LENGTH, &upn, error) ||
       !tessera_json_require_string (sign_in, "password", TESSERA_MAX_PASSWORD_LENGTH,
                                     &password, error)))
    {
      tessera_json_prefix_error (error, "sign_in");
      return NULL;
    }

  self = tessera_redemption_new (id);
  self->poll_token = tessera_secret_dup (poll_token);
  self->state = state;
  self->expires_at = g_steal_pointer (&expires_at);
  self->rejection_reason = reason;
  self->comment = g_strdup (comment);
  self->sign_in_upn = g_strdup (upn);
  self->sign_in_password = tessera_secret_dup (password);

  return self;
}

void
tessera_redemption_to_json (TesseraRedemption *self,
                            JsonBuilder       *builder)
{
  g_return_if_fail (TESSERA_IS_REDEMPTION (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "id", self->id);
  tessera_json_add_string (builder, "poll_token", self->poll_token);
  tessera_json_add_enum (builder, "state", TESSERA_TYPE_REQUEST_STATE, self->state);
  tessera_json_add_datetime (builder, "expires_at", self->expires_at);
  if (self->rejection_reason != TESSERA_REJECTION_NONE)
    tessera_json_add_enum (builder, "rejection_reason", TESSERA_TYPE_REJECTION_REASON,
                           self->rejection_reason);
  tessera_json_add_string (builder, "comment", self->comment);
  if (self->sign_in_upn != NULL || self->sign_in_password != NULL)
    {
      json_builder_set_member_name (builder, "sign_in");
      json_builder_begin_object (builder);
      tessera_json_add_nullable_string (builder, "upn", self->sign_in_upn);
      tessera_json_add_nullable_string (builder, "password", self->sign_in_password);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

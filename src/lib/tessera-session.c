/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-session"

#include "config.h"

#include "tessera-types-private.h"
#include "tessera-session.h"

struct _TesseraSession
{
  GObject      parent_instance;

  char        *token;       /* owned, secret */
  GDateTime   *expires_at;  /* owned */
  TesseraUser *user;        /* owned */
};

G_DEFINE_FINAL_TYPE (TesseraSession, tessera_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TOKEN,
  PROP_EXPIRES_AT,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tessera_session_dispose (GObject *object)
{
  TesseraSession *self = (TesseraSession *)object;

  g_clear_object (&self->user);

  G_OBJECT_CLASS (tessera_session_parent_class)->dispose (object);
}

static void
tessera_session_finalize (GObject *object)
{
  TesseraSession *self = (TesseraSession *)object;

  tessera_secret_clear (&self->token);
  g_clear_pointer (&self->expires_at, g_date_time_unref);

  G_OBJECT_CLASS (tessera_session_parent_class)->finalize (object);
}

static void
tessera_session_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TesseraSession *self = TESSERA_SESSION (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;

    case PROP_USER:
      g_value_set_object (value, self->user);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_session_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TesseraSession *self = TESSERA_SESSION (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      tessera_session_set_token (self, g_value_get_string (value));
      break;

    case PROP_EXPIRES_AT:
      tessera_session_set_expires_at (self, g_value_get_boxed (value));
      break;

    case PROP_USER:
      tessera_session_set_user (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_session_class_init (TesseraSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tessera_session_dispose;
  object_class->finalize = tessera_session_finalize;
  object_class->get_property = tessera_session_get_property;
  object_class->set_property = tessera_session_set_property;

  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_object ("user", NULL, NULL, TESSERA_TYPE_USER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_session_init (TesseraSession *self)
{
}

TesseraSession *
tessera_session_new (const char  *token,
                     GDateTime   *expires_at,
                     TesseraUser *user)
{
  TesseraSession *self;

  g_return_val_if_fail (user == NULL || TESSERA_IS_USER (user), NULL);

  self = g_object_new (TESSERA_TYPE_SESSION, NULL);
  self->token = tessera_secret_dup (token);
  self->expires_at = expires_at != NULL ? g_date_time_ref (expires_at) : NULL;
  self->user = user != NULL ? g_object_ref (user) : NULL;

  return self;
}

const char *
tessera_session_get_token (TesseraSession *self)
{
  g_return_val_if_fail (TESSERA_IS_SESSION (self), NULL);

  return self->token;
}

void
tessera_session_set_token (TesseraSession *self,
                           const char     *token)
{
  g_return_if_fail (TESSERA_IS_SESSION (self));

  if (_tessera_set_secret (&self->token, token))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

GDateTime *
tessera_session_get_expires_at (TesseraSession *self)
{
  g_return_val_if_fail (TESSERA_IS_SESSION (self), NULL);

  return self->expires_at;
}

void
tessera_session_set_expires_at (TesseraSession *self,
                                GDateTime      *expires_at)
{
  g_return_if_fail (TESSERA_IS_SESSION (self));

  if (_tessera_set_datetime (&self->expires_at, expires_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES_AT]);
}

TesseraUser *
tessera_session_get_user (TesseraSession *self)
{
  g_return_val_if_fail (TESSERA_IS_SESSION (self), NULL);

  return self->user;
}

void
tessera_session_set_user (TesseraSession *self,
                          TesseraUser    *user)
{
  g_return_if_fail (TESSERA_IS_SESSION (self));
  g_return_if_fail (user == NULL || TESSERA_IS_USER (user));

  if (g_set_object (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

TesseraSession *
tessera_session_new_from_json (JsonNode  *node,
                               GError   **error)
{
  JsonObject *object;
  const char *token;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(TesseraUser) user = NULL;
  JsonObject *user_object;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "token", TESSERA_MAX_NAME_LENGTH, &token, error) ||
      !tessera_json_require_datetime (object, "expires_at", &expires_at, error) ||
      !tessera_json_require_object (object, "user", &user_object, error))
    return NULL;

  user = tessera_user_new_from_json (json_object_get_member (object, "user"), error);
  if (user == NULL)
    {
      tessera_json_prefix_error (error, "user");
      return NULL;
    }

  return tessera_session_new (token, expires_at, user);
}

void
tessera_session_to_json (TesseraSession *self,
                         JsonBuilder    *builder)
{
  g_return_if_fail (TESSERA_IS_SESSION (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "token", self->token);
  tessera_json_add_datetime (builder, "expires_at", self->expires_at);
  if (self->user != NULL)
    {
      json_builder_set_member_name (builder, "user");
      tessera_user_to_json (self->user, builder);
    }
  json_builder_end_object (builder);
}

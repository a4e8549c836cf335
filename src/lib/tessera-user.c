/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-user"

#include "config.h"

#include "tessera-types-private.h"
#include "tessera-user.h"

struct _TesseraUser
{
  GObject      parent_instance;

  char        *username;
  char        *display_name;
  TesseraRole  role;
};

G_DEFINE_FINAL_TYPE (TesseraUser, tessera_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_USERNAME,
  PROP_DISPLAY_NAME,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tessera_user_finalize (GObject *object)
{
  TesseraUser *self = (TesseraUser *)object;

  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->display_name, g_free);

  G_OBJECT_CLASS (tessera_user_parent_class)->finalize (object);
}

static void
tessera_user_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TesseraUser *self = TESSERA_USER (object);

  switch (prop_id)
    {
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_user_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TesseraUser *self = TESSERA_USER (object);

  switch (prop_id)
    {
    case PROP_USERNAME:
      tessera_user_set_username (self, g_value_get_string (value));
      break;

    case PROP_DISPLAY_NAME:
      tessera_user_set_display_name (self, g_value_get_string (value));
      break;

    case PROP_ROLE:
      tessera_user_set_role (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_user_class_init (TesseraUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tessera_user_finalize;
  object_class->get_property = tessera_user_get_property;
  object_class->set_property = tessera_user_set_property;

  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, TESSERA_TYPE_ROLE, TESSERA_ROLE_VIEWER,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_user_init (TesseraUser *self)
{
  self->role = TESSERA_ROLE_VIEWER;
}

TesseraUser *
tessera_user_new (const char  *username,
                  const char  *display_name,
                  TesseraRole  role)
{
  TesseraUser *self = g_object_new (TESSERA_TYPE_USER, NULL);

  self->username = g_strdup (username);
  self->display_name = g_strdup (display_name);
  self->role = role;

  return self;
}

const char *
tessera_user_get_username (TesseraUser *self)
{
  g_return_val_if_fail (TESSERA_IS_USER (self), NULL);

  return self->username;
}

void
tessera_user_set_username (TesseraUser *self,
                           const char  *username)
{
  g_return_if_fail (TESSERA_IS_USER (self));

  if (_tessera_set_string (&self->username, username))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

const char *
tessera_user_get_display_name (TesseraUser *self)
{
  g_return_val_if_fail (TESSERA_IS_USER (self), NULL);

  return self->display_name;
}

void
tessera_user_set_display_name (TesseraUser *self,
                               const char  *display_name)
{
  g_return_if_fail (TESSERA_IS_USER (self));

  if (_tessera_set_string (&self->display_name, display_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

TesseraRole
tessera_user_get_role (TesseraUser *self)
{
  g_return_val_if_fail (TESSERA_IS_USER (self), TESSERA_ROLE_VIEWER);

  return self->role;
}

void
tessera_user_set_role (TesseraUser *self,
                       TesseraRole  role)
{
  g_return_if_fail (TESSERA_IS_USER (self));

  if (self->role == role)
    return;

  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

TesseraUser *
tessera_user_new_from_json (JsonNode  *node,
                            GError   **error)
{
  JsonObject *object;
  const char *username, *display_name;
  int role;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "username", TESSERA_MAX_NAME_LENGTH, &username, error) ||
      !tessera_json_require_string (object, "display_name", TESSERA_MAX_NAME_LENGTH,
                                    &display_name, error) ||
      !tessera_json_require_enum (object, "role", TESSERA_TYPE_ROLE, &role, error))
    return NULL;

  return tessera_user_new (username, display_name, role);
}

void
tessera_user_to_json (TesseraUser *self,
                      JsonBuilder *builder)
{
  g_return_if_fail (TESSERA_IS_USER (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "username", self->username);
  tessera_json_add_nullable_string (builder, "display_name", self->display_name);
  tessera_json_add_enum (builder, "role", TESSERA_TYPE_ROLE, self->role);
  json_builder_end_object (builder);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-settings"

#include "config.h"

#include "tessera-types-private.h"
#include "tessera-settings.h"

struct _TesseraSettings
{
  GObject  parent_instance;

  guint    otp_validity_hours;
  guint    auto_approve : 1;
  guint    separation_of_duties : 1;
};

G_DEFINE_FINAL_TYPE (TesseraSettings, tessera_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OTP_VALIDITY_HOURS,
  PROP_AUTO_APPROVE,
  PROP_SEPARATION_OF_DUTIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tessera_settings_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TesseraSettings *self = TESSERA_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_OTP_VALIDITY_HOURS:
      g_value_set_uint (value, self->otp_validity_hours);
      break;

    case PROP_AUTO_APPROVE:
      g_value_set_boolean (value, self->auto_approve);
      break;

    case PROP_SEPARATION_OF_DUTIES:
      g_value_set_boolean (value, self->separation_of_duties);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_settings_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TesseraSettings *self = TESSERA_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_OTP_VALIDITY_HOURS:
      tessera_settings_set_otp_validity_hours (self, g_value_get_uint (value));
      break;

    case PROP_AUTO_APPROVE:
      tessera_settings_set_auto_approve (self, g_value_get_boolean (value));
      break;

    case PROP_SEPARATION_OF_DUTIES:
      tessera_settings_set_separation_of_duties (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_settings_class_init (TesseraSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tessera_settings_get_property;
  object_class->set_property = tessera_settings_set_property;

  properties[PROP_OTP_VALIDITY_HOURS] =
    g_param_spec_uint ("otp-validity-hours", NULL, NULL,
                       TESSERA_SETTINGS_MIN_OTP_VALIDITY_HOURS,
                       TESSERA_SETTINGS_MAX_OTP_VALIDITY_HOURS,
                       TESSERA_SETTINGS_DEFAULT_OTP_VALIDITY_HOURS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTO_APPROVE] =
    g_param_spec_boolean ("auto-approve", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEPARATION_OF_DUTIES] =
    g_param_spec_boolean ("separation-of-duties", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_settings_init (TesseraSettings *self)
{
  self->otp_validity_hours = TESSERA_SETTINGS_DEFAULT_OTP_VALIDITY_HOURS;
}

TesseraSettings *
tessera_settings_new (void)
{
  return g_object_new (TESSERA_TYPE_SETTINGS, NULL);
}

guint
tessera_settings_get_otp_validity_hours (TesseraSettings *self)
{
  g_return_val_if_fail (TESSERA_IS_SETTINGS (self), TESSERA_SETTINGS_DEFAULT_OTP_VALIDITY_HOURS);

  return self->otp_validity_hours;
}

void
tessera_settings_set_otp_validity_hours (TesseraSettings *self,
                                         guint            hours)
{
  g_return_if_fail (TESSERA_IS_SETTINGS (self));
  g_return_if_fail (hours >= TESSERA_SETTINGS_MIN_OTP_VALIDITY_HOURS &&
                    hours <= TESSERA_SETTINGS_MAX_OTP_VALIDITY_HOURS);

  if (self->otp_validity_hours == hours)
    return;

  self->otp_validity_hours = hours;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OTP_VALIDITY_HOURS]);
}

gboolean
tessera_settings_get_auto_approve (TesseraSettings *self)
{
  g_return_val_if_fail (TESSERA_IS_SETTINGS (self), FALSE);

  return self->auto_approve;
}

void
tessera_settings_set_auto_approve (TesseraSettings *self,
                                   gboolean         auto_approve)
{
  g_return_if_fail (TESSERA_IS_SETTINGS (self));

  auto_approve = !!auto_approve;
  if (self->auto_approve == (guint) auto_approve)
    return;

  self->auto_approve = auto_approve;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_APPROVE]);
}

gboolean
tessera_settings_get_separation_of_duties (TesseraSettings *self)
{
  g_return_val_if_fail (TESSERA_IS_SETTINGS (self), FALSE);

  return self->separation_of_duties;
}

void
tessera_settings_set_separation_of_duties (TesseraSettings *self,
                                           gboolean         separation_of_duties)
{
  g_return_if_fail (TESSERA_IS_SETTINGS (self));

  separation_of_duties = !!separation_of_duties;
  if (self->separation_of_duties == (guint) separation_of_duties)
    return;

  self->separation_of_duties = separation_of_duties;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEPARATION_OF_DUTIES]);
}

static gboolean
apply (TesseraSettings *self,
       gboolean         has_hours,
       guint            hours,
       gboolean         has_auto_approve,
       gboolean         auto_approve,
       gboolean         has_separation,
       gboolean         separation)
{
  gboolean changed = FALSE;

  g_object_freeze_notify (G_OBJECT (self));

  if (has_hours && self->otp_validity_hours != hours)
    {
      tessera_settings_set_otp_validity_hours (self, hours);
      changed = TRUE;
    }
  if (has_auto_approve && self->auto_approve != (guint) !!auto_approve)
    {
      tessera_settings_set_auto_approve (self, auto_approve);
      changed = TRUE;
    }
  if (has_separation && self->separation_of_duties != (guint) !!separation)
    {
      tessera_settings_set_separation_of_duties (self, separation);
      changed = TRUE;
    }

  g_object_thaw_notify (G_OBJECT (self));

  return changed;
}

gboolean
tessera_settings_apply_patch (TesseraSettings            *self,
                              const TesseraSettingsPatch *patch)
{
  g_return_val_if_fail (TESSERA_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (patch != NULL, FALSE);
  g_return_val_if_fail (!patch->has_otp_validity_hours ||
                        (patch->otp_validity_hours >= TESSERA_SETTINGS_MIN_OTP_VALIDITY_HOURS &&
                         patch->otp_validity_hours <= TESSERA_SETTINGS_MAX_OTP_VALIDITY_HOURS),
                        FALSE);

  return apply (self,
                patch->has_otp_validity_hours, patch->otp_validity_hours,
                patch->has_auto_approve, patch->auto_approve,
                patch->has_separation_of_duties, patch->separation_of_duties);
}

gboolean
tessera_settings_update_from (TesseraSettings *self,
                              TesseraSettings *source)
{
  g_return_val_if_fail (TESSERA_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (TESSERA_IS_SETTINGS (source), FALSE);

  return apply (self,
                TRUE, source->otp_validity_hours,
                TRUE, source->auto_approve,
                TRUE, source->separation_of_duties);
}

TesseraSettings *
tessera_settings_new_from_json (JsonNode  *node,
                                GError   **error)
{
  JsonObject *object;
  gint64 hours;
  gboolean auto_approve, separation;
  TesseraSettings *self;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_int (object, "otp_validity_hours",
                                 TESSERA_SETTINGS_MIN_OTP_VALIDITY_HOURS,
                                 TESSERA_SETTINGS_MAX_OTP_VALIDITY_HOURS, &hours, error) ||
      !tessera_json_require_boolean (object, "auto_approve", &auto_approve, error) ||
      !tessera_json_require_boolean (object, "separation_of_duties", &separation, error))
    return NULL;

  self = tessera_settings_new ();
  self->otp_validity_hours = (guint) hours;
  self->auto_approve = !!auto_approve;
  self->separation_of_duties = !!separation;

  return self;
}

void
tessera_settings_to_json (TesseraSettings *self,
                          JsonBuilder     *builder)
{
  g_return_if_fail (TESSERA_IS_SETTINGS (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "otp_validity_hours");
  json_builder_add_int_value (builder, self->otp_validity_hours);
  json_builder_set_member_name (builder, "auto_approve");
  json_builder_add_boolean_value (builder, self->auto_approve);
  json_builder_set_member_name (builder, "separation_of_duties");
  json_builder_add_boolean_value (builder, self->separation_of_duties);
  json_builder_end_object (builder);
}

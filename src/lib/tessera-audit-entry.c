/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-audit-entry"

#include "config.h"

#include "tessera-types-private.h"
#include "tessera-audit-entry.h"

struct _TesseraAuditEntry
{
  GObject   parent_instance;

  char      *id;
  GDateTime *at;
  char      *actor;
  char      *action;
  char      *target;
  char      *source_address;
  char      *detail;
};

G_DEFINE_FINAL_TYPE (TesseraAuditEntry, tessera_audit_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_AT,
  PROP_ACTOR,
  PROP_ACTION,
  PROP_TARGET,
  PROP_SOURCE_ADDRESS,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tessera_audit_entry_finalize (GObject *object)
{
  TesseraAuditEntry *self = (TesseraAuditEntry *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->target, g_free);
  g_clear_pointer (&self->source_address, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (tessera_audit_entry_parent_class)->finalize (object);
}

static void
tessera_audit_entry_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TesseraAuditEntry *self = TESSERA_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_AT:
      g_value_set_boxed (value, self->at);
      break;

    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;

    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;

    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;

    case PROP_SOURCE_ADDRESS:
      g_value_set_string (value, self->source_address);
      break;

    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_audit_entry_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TesseraAuditEntry *self = TESSERA_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      tessera_audit_entry_set_id (self, g_value_get_string (value));
      break;

    case PROP_AT:
      tessera_audit_entry_set_at (self, g_value_get_boxed (value));
      break;

    case PROP_ACTOR:
      tessera_audit_entry_set_actor (self, g_value_get_string (value));
      break;

    case PROP_ACTION:
      tessera_audit_entry_set_action (self, g_value_get_string (value));
      break;

    case PROP_TARGET:
      tessera_audit_entry_set_target (self, g_value_get_string (value));
      break;

    case PROP_SOURCE_ADDRESS:
      tessera_audit_entry_set_source_address (self, g_value_get_string (value));
      break;

    case PROP_DETAIL:
      tessera_audit_entry_set_detail (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_audit_entry_class_init (TesseraAuditEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tessera_audit_entry_finalize;
  object_class->get_property = tessera_audit_entry_get_property;
  object_class->set_property = tessera_audit_entry_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AT] =
    g_param_spec_boxed ("at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET] =
    g_param_spec_string ("target", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE_ADDRESS] =
    g_param_spec_string ("source-address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_audit_entry_init (TesseraAuditEntry *self)
{
}

const char *
tessera_audit_entry_get_id (TesseraAuditEntry *self)
{
  g_return_val_if_fail (TESSERA_IS_AUDIT_ENTRY (self), NULL);

  return self->id;
}

void
tessera_audit_entry_set_id (TesseraAuditEntry *self,
                            const char        *id)
{
  g_return_if_fail (TESSERA_IS_AUDIT_ENTRY (self));

  if (_tessera_set_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

GDateTime *
tessera_audit_entry_get_at (TesseraAuditEntry *self)
{
  g_return_val_if_fail (TESSERA_IS_AUDIT_ENTRY (self), NULL);

  return self->at;
}

void
tessera_audit_entry_set_at (TesseraAuditEntry *self,
                            GDateTime         *at)
{
  g_return_if_fail (TESSERA_IS_AUDIT_ENTRY (self));

  if (_tessera_set_datetime (&self->at, at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AT]);
}

const char *
tessera_audit_entry_get_actor (TesseraAuditEntry *self)
{
  g_return_val_if_fail (TESSERA_IS_AUDIT_ENTRY (self), NULL);

  return self->actor;
}

void
tessera_audit_entry_set_actor (TesseraAuditEntry *self,
                               const char        *actor)
{
  g_return_if_fail (TESSERA_IS_AUDIT_ENTRY (self));

  if (_tessera_set_string (&self->actor, actor))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTOR]);
}

const char *
tessera_audit_entry_get_action (TesseraAuditEntry *self)
{
  g_return_val_if_fail (TESSERA_IS_AUDIT_ENTRY (self), NULL);

  return self->action;
}

void
tessera_audit_entry_set_action (TesseraAuditEntry *self,
                                const char        *action)
{
  g_return_if_fail (TESSERA_IS_AUDIT_ENTRY (self));

  if (_tessera_set_string (&self->action, action))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION]);
}

const char *
tessera_audit_entry_get_target (TesseraAuditEntry *self)
{
  g_return_val_if_fail (TESSERA_IS_AUDIT_ENTRY (self), NULL);

  return self->target;
}

void
tessera_audit_entry_set_target (TesseraAuditEntry *self,
                                const char        *target)
{
  g_return_if_fail (TESSERA_IS_AUDIT_ENTRY (self));

  if (_tessera_set_string (&self->target, target))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
}

const char *
tessera_audit_entry_get_source_address (TesseraAuditEntry *self)
{
  g_return_val_if_fail (TESSERA_IS_AUDIT_ENTRY (self), NULL);

  return self->source_address;
}

void
tessera_audit_entry_set_source_address (TesseraAuditEntry *self,
                                        const char        *source_address)
{
  g_return_if_fail (TESSERA_IS_AUDIT_ENTRY (self));

  if (_tessera_set_string (&self->source_address, source_address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE_ADDRESS]);
}

const char *
tessera_audit_entry_get_detail (TesseraAuditEntry *self)
{
  g_return_val_if_fail (TESSERA_IS_AUDIT_ENTRY (self), NULL);

  return self->detail;
}

void
tessera_audit_entry_set_detail (TesseraAuditEntry *self,
                                const char        *detail)
{
  g_return_if_fail (TESSERA_IS_AUDIT_ENTRY (self));

  if (_tessera_set_string (&self->detail, detail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
}


TesseraAuditEntry *
tessera_audit_entry_new (const char *id,
                         GDateTime  *at,
                         const char *actor,
                         const char *action,
                         const char *target,
                         const char *source_address,
                         const char *detail)
{
  TesseraAuditEntry *self = g_object_new (TESSERA_TYPE_AUDIT_ENTRY, NULL);

  self->id = g_strdup (id);
  self->at = at != NULL ? g_date_time_ref (at) : NULL;
  self->actor = g_strdup (actor);
  self->action = g_strdup (action);
  self->target = g_strdup (target);
  self->source_address = g_strdup (source_address);
  self->detail = g_strdup (detail);

  return self;
}

TesseraAuditEntry *
tessera_audit_entry_new_from_json (JsonNode  *node,
                                   GError   **error)
{
  JsonObject *object;
  const char *id, *actor, *action, *target, *source_address, *detail;
  g_autoptr(GDateTime) at = NULL;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "id", TESSERA_MAX_NAME_LENGTH, &id, error) ||
      !tessera_json_require_datetime (object, "at", &at, error) ||
      !tessera_json_require_string (object, "actor", TESSERA_MAX_NAME_LENGTH, &actor, error) ||
      !tessera_json_require_string (object, "action", TESSERA_MAX_NAME_LENGTH, &action, error) ||
      !tessera_json_optional_string (object, "target", TESSERA_MAX_NAME_LENGTH, &target, error) ||
      !tessera_json_optional_string (object, "source_address", TESSERA_MAX_DEVICE_FIELD_LENGTH,
                                     &source_address, error) ||
      !tessera_json_optional_string (object, "detail", TESSERA_MAX_AUDIT_DETAIL_LENGTH,
                                     &detail, error))
    return NULL;

  return tessera_audit_entry_new (id, at, actor, action, target, source_address, detail);
}

void
tessera_audit_entry_to_json (TesseraAuditEntry *self,
                             JsonBuilder       *builder)
{
  g_return_if_fail (TESSERA_IS_AUDIT_ENTRY (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "id", self->id);
  tessera_json_add_datetime (builder, "at", self->at);
  tessera_json_add_nullable_string (builder, "actor", self->actor);
  tessera_json_add_nullable_string (builder, "action", self->action);
  tessera_json_add_string (builder, "target", self->target);
  tessera_json_add_string (builder, "source_address", self->source_address);
  tessera_json_add_string (builder, "detail", self->detail);
  json_builder_end_object (builder);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-event"

#include "config.h"

#include "tessera-types-private.h"
#include "tessera-event.h"

/* Immutable: an event is a message, built once and read by its handlers. */
struct _TesseraEvent
{
  GObject           parent_instance;

  TesseraEventType  event_type;
  TesseraAccount   *account;   /* owned, for account.updated */
  TesseraRequest   *request;   /* owned, for request.created / request.updated */
  TesseraSettings  *settings;  /* owned, for settings.updated */
};

G_DEFINE_FINAL_TYPE (TesseraEvent, tessera_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EVENT_TYPE,
  PROP_ACCOUNT,
  PROP_REQUEST,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tessera_event_dispose (GObject *object)
{
  TesseraEvent *self = (TesseraEvent *)object;

  g_clear_object (&self->account);
  g_clear_object (&self->request);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tessera_event_parent_class)->dispose (object);
}

static void
tessera_event_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TesseraEvent *self = TESSERA_EVENT (object);

  switch (prop_id)
    {
    case PROP_EVENT_TYPE:
      g_value_set_enum (value, self->event_type);
      break;

    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_event_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TesseraEvent *self = TESSERA_EVENT (object);

  switch (prop_id)
    {
    case PROP_EVENT_TYPE:
      self->event_type = g_value_get_enum (value);
      break;

    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;

    case PROP_REQUEST:
      self->request = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_event_class_init (TesseraEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tessera_event_dispose;
  object_class->get_property = tessera_event_get_property;
  object_class->set_property = tessera_event_set_property;

  properties[PROP_EVENT_TYPE] =
    g_param_spec_enum ("event-type", NULL, NULL,
                       TESSERA_TYPE_EVENT_TYPE, TESSERA_EVENT_ACCOUNT_UPDATED, flags);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, TESSERA_TYPE_ACCOUNT, flags);
  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, TESSERA_TYPE_REQUEST, flags);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, TESSERA_TYPE_SETTINGS, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_event_init (TesseraEvent *self)
{
}

TesseraEvent *
tessera_event_new_account_updated (TesseraAccount *account)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (account), NULL);

  return g_object_new (TESSERA_TYPE_EVENT,
                       "event-type", TESSERA_EVENT_ACCOUNT_UPDATED,
                       "account", account,
                       NULL);
}

TesseraEvent *
tessera_event_new_request (TesseraEventType  type,
                           TesseraRequest   *request)
{
  g_return_val_if_fail (type == TESSERA_EVENT_REQUEST_CREATED ||
                        type == TESSERA_EVENT_REQUEST_UPDATED, NULL);
  g_return_val_if_fail (TESSERA_IS_REQUEST (request), NULL);

  return g_object_new (TESSERA_TYPE_EVENT,
                       "event-type", type,
                       "request", request,
                       NULL);
}

TesseraEvent *
tessera_event_new_settings_updated (TesseraSettings *settings)
{
  g_return_val_if_fail (TESSERA_IS_SETTINGS (settings), NULL);

  return g_object_new (TESSERA_TYPE_EVENT,
                       "event-type", TESSERA_EVENT_SETTINGS_UPDATED,
                       "settings", settings,
                       NULL);
}

TesseraEventType
tessera_event_get_event_type (TesseraEvent *self)
{
  g_return_val_if_fail (TESSERA_IS_EVENT (self), TESSERA_EVENT_ACCOUNT_UPDATED);

  return self->event_type;
}

TesseraAccount *
tessera_event_get_account (TesseraEvent *self)
{
  g_return_val_if_fail (TESSERA_IS_EVENT (self), NULL);

  return self->account;
}

TesseraRequest *
tessera_event_get_request (TesseraEvent *self)
{
  g_return_val_if_fail (TESSERA_IS_EVENT (self), NULL);

  return self->request;
}

TesseraSettings *
tessera_event_get_settings (TesseraEvent *self)
{
  g_return_val_if_fail (TESSERA_IS_EVENT (self), NULL);

  return self->settings;
}

static const char *
payload_member (TesseraEventType type)
{
  switch (type)
    {
    case TESSERA_EVENT_ACCOUNT_UPDATED:
      return "account";

    case TESSERA_EVENT_REQUEST_CREATED:
    case TESSERA_EVENT_REQUEST_UPDATED:
      return "request";

    case TESSERA_EVENT_SETTINGS_UPDATED:
      return "settings";

    default:
      g_return_val_if_reached (NULL);
    }
}

TesseraEvent *
tessera_event_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(GObject) payload = NULL;
  JsonObject *object, *payload_object;
  const char *member;
  int type;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_enum (object, "type", TESSERA_TYPE_EVENT_TYPE, &type, error))
    return NULL;

  member = payload_member (type);
  if (!tessera_json_require_object (object, member, &payload_object, error))
    return NULL;

  node = json_object_get_member (object, member);
  switch ((TesseraEventType) type)
    {
    case TESSERA_EVENT_ACCOUNT_UPDATED:
      payload = G_OBJECT (tessera_account_new_from_json (node, error));
      break;

    case TESSERA_EVENT_REQUEST_CREATED:
    case TESSERA_EVENT_REQUEST_UPDATED:
      payload = G_OBJECT (tessera_request_new_from_json (node, error));
      break;

    case TESSERA_EVENT_SETTINGS_UPDATED:
      payload = G_OBJECT (tessera_settings_new_from_json (node, error));
      break;

    default:
      g_assert_not_reached ();
    }

  if (payload == NULL)
    {
      tessera_json_prefix_error (error, "%s", member);
      return NULL;
    }

  return g_object_new (TESSERA_TYPE_EVENT,
                       "event-type", type,
                       member, payload,
                       NULL);
}

void
tessera_event_to_json (TesseraEvent *self,
                       JsonBuilder  *builder)
{
  g_return_if_fail (TESSERA_IS_EVENT (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_enum (builder, "type", TESSERA_TYPE_EVENT_TYPE, self->event_type);
  json_builder_set_member_name (builder, payload_member (self->event_type));
  if (self->account != NULL)
    tessera_account_to_json (self->account, builder);
  else if (self->request != NULL)
    tessera_request_to_json (self->request, builder);
  else if (self->settings != NULL)
    tessera_settings_to_json (self->settings, builder);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

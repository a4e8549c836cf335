/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-request"

#include "config.h"

#include "tessera-types-private.h"
#include "tessera-request.h"

struct _TesseraRequest
{
  GObject                parent_instance;

  char                   *id;
  char                   *account_id;
  char                   *account_display_name;
  char                   *account_upn;
  char                   *account_site;
  char                   *requested_by;
  GDateTime              *requested_at;
  GDateTime              *expires_at;
  char                   *device_make;
  char                   *device_model;
  char                   *device_serial_number;
  char                   *source_address;
  TesseraRequestState    state;
  char                   *resolved_by;
  GDateTime              *resolved_at;
  TesseraRejectionReason rejection_reason;
  char                   *comment;
};

G_DEFINE_FINAL_TYPE (TesseraRequest, tessera_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ACCOUNT_ID,
  PROP_ACCOUNT_DISPLAY_NAME,
  PROP_ACCOUNT_UPN,
  PROP_ACCOUNT_SITE,
  PROP_REQUESTED_BY,
  PROP_REQUESTED_AT,
  PROP_EXPIRES_AT,
  PROP_DEVICE_MAKE,
  PROP_DEVICE_MODEL,
  PROP_DEVICE_SERIAL_NUMBER,
  PROP_SOURCE_ADDRESS,
  PROP_STATE,
  PROP_RESOLVED_BY,
  PROP_RESOLVED_AT,
  PROP_REJECTION_REASON,
  PROP_COMMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tessera_request_finalize (GObject *object)
{
  TesseraRequest *self = (TesseraRequest *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->account_display_name, g_free);
  g_clear_pointer (&self->account_upn, g_free);
  g_clear_pointer (&self->account_site, g_free);
  g_clear_pointer (&self->requested_by, g_free);
  g_clear_pointer (&self->requested_at, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->device_make, g_free);
  g_clear_pointer (&self->device_model, g_free);
  g_clear_pointer (&self->device_serial_number, g_free);
  g_clear_pointer (&self->source_address, g_free);
  g_clear_pointer (&self->resolved_by, g_free);
  g_clear_pointer (&self->resolved_at, g_date_time_unref);
  g_clear_pointer (&self->comment, g_free);

  G_OBJECT_CLASS (tessera_request_parent_class)->finalize (object);
}

static void
tessera_request_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TesseraRequest *self = TESSERA_REQUEST (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;

    case PROP_ACCOUNT_DISPLAY_NAME:
      g_value_set_string (value, self->account_display_name);
      break;

    case PROP_ACCOUNT_UPN:
      g_value_set_string (value, self->account_upn);
      break;

    case PROP_ACCOUNT_SITE:
      g_value_set_string (value, self->account_site);
      break;

    case PROP_REQUESTED_BY:
      g_value_set_string (value, self->requested_by);
      break;

    case PROP_REQUESTED_AT:
      g_value_set_boxed (value, self->requested_at);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;

    case PROP_DEVICE_MAKE:
      g_value_set_string (value, self->device_make);
      break;

    case PROP_DEVICE_MODEL:
      g_value_set_string (value, self->device_model);
      break;

    case PROP_DEVICE_SERIAL_NUMBER:
      g_value_set_string (value, self->device_serial_number);
      break;

    case PROP_SOURCE_ADDRESS:
      g_value_set_string (value, self->source_address);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_RESOLVED_BY:
      g_value_set_string (value, self->resolved_by);
      break;

    case PROP_RESOLVED_AT:
      g_value_set_boxed (value, self->resolved_at);
      break;

    case PROP_REJECTION_REASON:
      g_value_set_enum (value, self->rejection_reason);
      break;

    case PROP_COMMENT:
      g_value_set_string (value, self->comment);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_request_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TesseraRequest *self = TESSERA_REQUEST (object);

  switch (prop_id)
    {
    case PROP_ID:
      tessera_request_set_id (self, g_value_get_string (value));
      break;

    case PROP_ACCOUNT_ID:
      tessera_request_set_account_id (self, g_value_get_string (value));
      break;

    case PROP_ACCOUNT_DISPLAY_NAME:
      tessera_request_set_account_display_name (self, g_value_get_string (value));
      break;

    case PROP_ACCOUNT_UPN:
      tessera_request_set_account_upn (self, g_value_get_string (value));
      break;

    case PROP_ACCOUNT_SITE:
      tessera_request_set_account_site (self, g_value_get_string (value));
      break;

    case PROP_REQUESTED_BY:
      tessera_request_set_requested_by (self, g_value_get_string (value));
      break;

    case PROP_REQUESTED_AT:
      tessera_request_set_requested_at (self, g_value_get_boxed (value));
      break;

    case PROP_EXPIRES_AT:
      tessera_request_set_expires_at (self, g_value_get_boxed (value));
      break;

    case PROP_DEVICE_MAKE:
      tessera_request_set_device_make (self, g_value_get_string (value));
      break;

    case PROP_DEVICE_MODEL:
      tessera_request_set_device_model (self, g_value_get_string (value));
      break;

    case PROP_DEVICE_SERIAL_NUMBER:
      tessera_request_set_device_serial_number (self, g_value_get_string (value));
      break;

    case PROP_SOURCE_ADDRESS:
      tessera_request_set_source_address (self, g_value_get_string (value));
      break;

    case PROP_STATE:
      tessera_request_set_state (self, g_value_get_enum (value));
      break;

    case PROP_RESOLVED_BY:
      tessera_request_set_resolved_by (self, g_value_get_string (value));
      break;

    case PROP_RESOLVED_AT:
      tessera_request_set_resolved_at (self, g_value_get_boxed (value));
      break;

    case PROP_REJECTION_REASON:
      tessera_request_set_rejection_reason (self, g_value_get_enum (value));
      break;

    case PROP_COMMENT:
      tessera_request_set_comment (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_request_class_init (TesseraRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tessera_request_finalize;
  object_class->get_property = tessera_request_get_property;
  object_class->set_property = tessera_request_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_DISPLAY_NAME] =
    g_param_spec_string ("account-display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_UPN] =
    g_param_spec_string ("account-upn", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_SITE] =
    g_param_spec_string ("account-site", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUESTED_BY] =
    g_param_spec_string ("requested-by", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUESTED_AT] =
    g_param_spec_boxed ("requested-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICE_MAKE] =
    g_param_spec_string ("device-make", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICE_MODEL] =
    g_param_spec_string ("device-model", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICE_SERIAL_NUMBER] =
    g_param_spec_string ("device-serial-number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE_ADDRESS] =
    g_param_spec_string ("source-address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TESSERA_TYPE_REQUEST_STATE, TESSERA_REQUEST_PENDING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESOLVED_BY] =
    g_param_spec_string ("resolved-by", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESOLVED_AT] =
    g_param_spec_boxed ("resolved-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REJECTION_REASON] =
    g_param_spec_enum ("rejection-reason", NULL, NULL, TESSERA_TYPE_REJECTION_REASON, TESSERA_REJECTION_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMMENT] =
    g_param_spec_string ("comment", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_request_init (TesseraRequest *self)
{
  self->state = TESSERA_REQUEST_PENDING;
  self->rejection_reason = TESSERA_REJECTION_NONE;
}

const char *
tessera_request_get_id (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->id;
}

void
tessera_request_set_id (TesseraRequest *self,
                        const char     *id)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
tessera_request_get_account_id (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->account_id;
}

void
tessera_request_set_account_id (TesseraRequest *self,
                                const char     *account_id)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->account_id, account_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
}

const char *
tessera_request_get_account_display_name (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->account_display_name;
}

void
tessera_request_set_account_display_name (TesseraRequest *self,
                                          const char     *account_display_name)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->account_display_name, account_display_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_DISPLAY_NAME]);
}

const char *
tessera_request_get_account_upn (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->account_upn;
}

void
tessera_request_set_account_upn (TesseraRequest *self,
                                 const char     *account_upn)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->account_upn, account_upn))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_UPN]);
}

const char *
tessera_request_get_account_site (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->account_site;
}

void
tessera_request_set_account_site (TesseraRequest *self,
                                  const char     *account_site)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->account_site, account_site))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_SITE]);
}

const char *
tessera_request_get_requested_by (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->requested_by;
}

void
tessera_request_set_requested_by (TesseraRequest *self,
                                  const char     *requested_by)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->requested_by, requested_by))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTED_BY]);
}

GDateTime *
tessera_request_get_requested_at (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->requested_at;
}

void
tessera_request_set_requested_at (TesseraRequest *self,
                                  GDateTime      *requested_at)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_datetime (&self->requested_at, requested_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTED_AT]);
}

GDateTime *
tessera_request_get_expires_at (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->expires_at;
}

void
tessera_request_set_expires_at (TesseraRequest *self,
                                GDateTime      *expires_at)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_datetime (&self->expires_at, expires_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES_AT]);
}

const char *
tessera_request_get_device_make (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->device_make;
}

void
tessera_request_set_device_make (TesseraRequest *self,
                                 const char     *device_make)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->device_make, device_make))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_MAKE]);
}

const char *
tessera_request_get_device_model (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->device_model;
}

void
tessera_request_set_device_model (TesseraRequest *self,
                                  const char     *device_model)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->device_model, device_model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_MODEL]);
}

const char *
tessera_request_get_device_serial_number (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->device_serial_number;
}

void
tessera_request_set_device_serial_number (TesseraRequest *self,
                                          const char     *device_serial_number)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->device_serial_number, device_serial_number))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_SERIAL_NUMBER]);
}

const char *
tessera_request_get_source_address (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->source_address;
}

void
tessera_request_set_source_address (TesseraRequest *self,
                                    const char     *source_address)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->source_address, source_address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE_ADDRESS]);
}

TesseraRequestState
tessera_request_get_state (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), TESSERA_REQUEST_PENDING);

  return self->state;
}

void
tessera_request_set_state (TesseraRequest      *self,
                           TesseraRequestState  state)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
tessera_request_get_resolved_by (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->resolved_by;
}

void
tessera_request_set_resolved_by (TesseraRequest *self,
                                 const char     *resolved_by)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->resolved_by, resolved_by))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLVED_BY]);
}

GDateTime *
tessera_request_get_resolved_at (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->resolved_at;
}

void
tessera_request_set_resolved_at (TesseraRequest *self,
                                 GDateTime      *resolved_at)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_datetime (&self->resolved_at, resolved_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLVED_AT]);
}

TesseraRejectionReason
tessera_request_get_rejection_reason (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), TESSERA_REJECTION_NONE);

  return self->rejection_reason;
}

void
tessera_request_set_rejection_reason (TesseraRequest         *self,
                                      TesseraRejectionReason  rejection_reason)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (self->rejection_reason == rejection_reason)
    return;

  self->rejection_reason = rejection_reason;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REJECTION_REASON]);
}

const char *
tessera_request_get_comment (TesseraRequest *self)
{
  g_return_val_if_fail (TESSERA_IS_REQUEST (self), NULL);

  return self->comment;
}

void
tessera_request_set_comment (TesseraRequest *self,
                             const char     *comment)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));

  if (_tessera_set_string (&self->comment, comment))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMENT]);
}


TesseraRequest *
tessera_request_new (const char *id)
{
  TesseraRequest *self = g_object_new (TESSERA_TYPE_REQUEST, NULL);

  self->id = g_strdup (id);

  return self;
}

void
tessera_request_set_account (TesseraRequest *self,
                             TesseraAccount *account)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));
  g_return_if_fail (TESSERA_IS_ACCOUNT (account));

  g_object_freeze_notify (G_OBJECT (self));
  tessera_request_set_account_id (self, tessera_account_get_id (account));
  tessera_request_set_account_display_name (self, tessera_account_get_display_name (account));
  tessera_request_set_account_upn (self, tessera_account_get_upn (account));
  tessera_request_set_account_site (self, tessera_account_get_site (account));
  g_object_thaw_notify (G_OBJECT (self));
}

void
tessera_request_set_device (TesseraRequest          *self,
                            const TesseraDeviceInfo *device)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));
  g_return_if_fail (device != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  tessera_request_set_device_make (self, device->make);
  tessera_request_set_device_model (self, device->model);
  tessera_request_set_device_serial_number (self, device->serial_number);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
tessera_request_update_from (TesseraRequest *self,
                             TesseraRequest *source)
{
  GParamSpec *changed[N_PROPS];
  guint n_changed = 0;

  g_return_val_if_fail (TESSERA_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (TESSERA_IS_REQUEST (source), FALSE);

  if (self == source)
    return FALSE;

#define STRING(field, PROP)                                 \
  if (_tessera_set_string (&self->field, source->field))   \
    changed[n_changed++] = properties[PROP];
#define DATETIME(field, PROP)                               \
  if (_tessera_set_datetime (&self->field, source->field)) \
    changed[n_changed++] = properties[PROP];
#define VALUE(field, PROP)                                  \
  if (self->field != source->field)                         \
    {                                                       \
      self->field = source->field;                          \
      changed[n_changed++] = properties[PROP];              \
    }

  STRING (id, PROP_ID)
  STRING (account_id, PROP_ACCOUNT_ID)
  STRING (account_display_name, PROP_ACCOUNT_DISPLAY_NAME)
  STRING (account_upn, PROP_ACCOUNT_UPN)
  STRING (account_site, PROP_ACCOUNT_SITE)
  STRING (requested_by, PROP_REQUESTED_BY)
  DATETIME (requested_at, PROP_REQUESTED_AT)
  DATETIME (expires_at, PROP_EXPIRES_AT)
  STRING (device_make, PROP_DEVICE_MAKE)
  STRING (device_model, PROP_DEVICE_MODEL)
  STRING (device_serial_number, PROP_DEVICE_SERIAL_NUMBER)
  STRING (source_address, PROP_SOURCE_ADDRESS)
  VALUE (state, PROP_STATE)
  STRING (resolved_by, PROP_RESOLVED_BY)
  DATETIME (resolved_at, PROP_RESOLVED_AT)
  VALUE (rejection_reason, PROP_REJECTION_REASON)
  STRING (comment, PROP_COMMENT)

#undef STRING
#undef DATETIME
#undef VALUE

  if (n_changed == 0)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < n_changed; i++)
    g_object_notify_by_pspec (G_OBJECT (self), changed[i]);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

TesseraRequest *
tessera_request_new_from_json (JsonNode  *node,
                               GError   **error)
{
  JsonObject *object, *account, *device;
  const char *id, *requested_by, *source_address, *resolved_by, *comment;
  const char *account_id, *display_name, *upn, *site;
  const char *make, *model, *serial_number;
  g_autoptr(GDateTime) requested_at = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(GDateTime) resolved_at = NULL;
  int state, reason = TESSERA_REJECTION_NONE;
  gboolean has_reason = FALSE;
  TesseraRequest *self;

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "id", TESSERA_MAX_NAME_LENGTH, &id, error) ||
      !tessera_json_require_object (object, "account", &account, error) ||
      !tessera_json_require_string (object, "requested_by", TESSERA_MAX_NAME_LENGTH,
                                    &requested_by, error) ||
      !tessera_json_require_datetime (object, "requested_at", &requested_at, error) ||
      !tessera_json_require_datetime (object, "expires_at", &expires_at, error) ||
      !tessera_json_require_object (object, "device", &device, error) ||
      !tessera_json_require_string (object, "source_address", TESSERA_MAX_DEVICE_FIELD_LENGTH,
                                    &source_address, error) ||
      !tessera_json_require_enum (object, "state", TESSERA_TYPE_REQUEST_STATE, &state, error) ||
      !tessera_json_optional_string (object, "resolved_by", TESSERA_MAX_NAME_LENGTH,
                                     &resolved_by, error) ||
      !tessera_json_optional_datetime (object, "resolved_at", &resolved_at, error) ||
      !tessera_json_optional_enum (object, "rejection_reason", TESSERA_TYPE_REJECTION_REASON,
                                   &reason, &has_reason, error) ||
      !tessera_json_optional_string (object, "comment", TESSERA_MAX_COMMENT_LENGTH,
                                     &comment, error))
    return NULL;

  /* "none" is our in-memory spelling of "not rejected"; on the wire the member is left out. */
  if (has_reason && reason == TESSERA_REJECTION_NONE)
    {
      g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE,
                           "rejection_reason: unknown value \"none\"");
      return NULL;
    }

  if (!tessera_json_require_string (account, "id", TESSERA_MAX_NAME_LENGTH, &account_id, error) ||
      !tessera_json_require_string (account, "display_name", TESSERA_MAX_NAME_LENGTH,
                                    &display_name, error) ||
      !tessera_json_require_string (account, "upn", TESSERA_MAX_NAME_LENGTH, &upn, error) ||
      !tessera_json_require_string (account, "site", TESSERA_MAX_NAME_LENGTH, &site, error))
    {
      tessera_json_prefix_error (error, "account");
      return NULL;
    }

  if (!tessera_json_require_string (device, "make", TESSERA_MAX_DEVICE_FIELD_LENGTH,
                                    &make, error) ||
      !tessera_json_require_string (device, "model", TESSERA_MAX_DEVICE_FIELD_LENGTH,
                                    &model, error) ||
      !tessera_json_require_string (device, "serial_number", TESSERA_MAX_DEVICE_FIELD_LENGTH,
                                    &serial_number, error))
    {
      tessera_json_prefix_error (error, "device");
      return NULL;
    }

  self = tessera_request_new (id);
  self->account_id = g_strdup (account_id);
  self->account_display_name = g_strdup (display_name);
  self->account_upn = g_strdup (upn);
  self->account_site = g_strdup (site);
  self->requested_by = g_strdup (requested_by);
  self->requested_at = g_steal_pointer (&requested_at);
  self->expires_at = g_steal_pointer (&expires_at);
  self->device_make = g_strdup (make);
  self->device_model = g_strdup (model);
  self->device_serial_number = g_strdup (serial_number);
  self->source_address = g_strdup (source_address);
  self->state = state;
  self->resolved_by = g_strdup (resolved_by);
  self->resolved_at = g_steal_pointer (&resolved_at);
  self->rejection_reason = reason;
  self->comment = g_strdup (comment);

  return self;
}

void
tessera_request_to_json (TesseraRequest *self,
                         JsonBuilder    *builder)
{
  g_return_if_fail (TESSERA_IS_REQUEST (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "id", self->id);

  json_builder_set_member_name (builder, "account");
  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "id", self->account_id);
  tessera_json_add_nullable_string (builder, "display_name", self->account_display_name);
  tessera_json_add_nullable_string (builder, "upn", self->account_upn);
  tessera_json_add_nullable_string (builder, "site", self->account_site);
  json_builder_end_object (builder);

  tessera_json_add_nullable_string (builder, "requested_by", self->requested_by);
  tessera_json_add_datetime (builder, "requested_at", self->requested_at);
  tessera_json_add_datetime (builder, "expires_at", self->expires_at);

  json_builder_set_member_name (builder, "device");
  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "make", self->device_make);
  tessera_json_add_nullable_string (builder, "model", self->device_model);
  tessera_json_add_nullable_string (builder, "serial_number", self->device_serial_number);
  json_builder_end_object (builder);

  tessera_json_add_nullable_string (builder, "source_address", self->source_address);
  tessera_json_add_enum (builder, "state", TESSERA_TYPE_REQUEST_STATE, self->state);
  tessera_json_add_string (builder, "resolved_by", self->resolved_by);
  tessera_json_add_datetime (builder, "resolved_at", self->resolved_at);
  if (self->rejection_reason != TESSERA_REJECTION_NONE)
    tessera_json_add_enum (builder, "rejection_reason", TESSERA_TYPE_REJECTION_REASON,
                           self->rejection_reason);
  tessera_json_add_string (builder, "comment", self->comment);
  json_builder_end_object (builder);
}

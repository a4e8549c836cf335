/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-account"

#include "config.h"

#include "tessera-account-private.h"
#include "tessera-types-private.h"

G_STATIC_ASSERT (TESSERA_READINESS_NO_VALID_LICENSE < (1 << 2));
G_STATIC_ASSERT (TESSERA_PROVISIONING_OTP_REVOKED < (1 << 3));

G_DEFINE_FINAL_TYPE (TesseraAccount, tessera_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_UPN,
  PROP_SITE,
  PROP_LICENSE,
  PROP_READINESS,
  PROP_READINESS_ISSUES,
  PROP_UPDATED_AT,
  PROP_PROVISIONING_STATE,
  PROP_OTP_ID,
  PROP_ISSUED_BY,
  PROP_EXPIRES_AT,
  PROP_REQUEST_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const no_issues[] = { NULL };

TesseraReadiness
tessera_readiness_derive (const char        *license,
                          const char *const *issues)
{
  if (license == NULL || license[0] == '\0')
    return TESSERA_READINESS_NO_VALID_LICENSE;
  if (issues != NULL && issues[0] != NULL)
    return TESSERA_READINESS_CHANGE_SETTINGS;
  return TESSERA_READINESS_READY;
}

static void
tessera_account_dispose (GObject *object)
{
  TesseraAccount *self = (TesseraAccount *)object;

  g_clear_pointer (&self->otps, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);

  G_OBJECT_CLASS (tessera_account_parent_class)->dispose (object);
}

static void
tessera_account_finalize (GObject *object)
{
  TesseraAccount *self = (TesseraAccount *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->upn, g_free);
  g_clear_pointer (&self->otp_id, g_free);
  g_clear_pointer (&self->request_id, g_free);
  g_clear_pointer (&self->readiness_issues, g_free);
  g_clear_pointer (&self->updated_at_cache, g_date_time_unref);
  g_clear_pointer (&self->expires_at_cache, g_date_time_unref);

  G_OBJECT_CLASS (tessera_account_parent_class)->finalize (object);
}

static void
tessera_account_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TesseraAccount *self = TESSERA_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_UPN:
      g_value_set_string (value, self->upn);
      break;

    case PROP_SITE:
      g_value_set_static_string (value, self->site);
      break;

    case PROP_LICENSE:
      g_value_set_static_string (value, self->license);
      break;

    case PROP_READINESS:
      g_value_set_enum (value, self->readiness);
      break;

    case PROP_READINESS_ISSUES:
      g_value_set_boxed (value, tessera_account_get_readiness_issues (self));
      break;

    case PROP_UPDATED_AT:
      g_value_set_boxed (value, tessera_account_get_updated_at (self));
      break;

    case PROP_PROVISIONING_STATE:
      g_value_set_enum (value, self->provisioning_state);
      break;

    case PROP_OTP_ID:
      g_value_set_string (value, self->otp_id);
      break;

    case PROP_ISSUED_BY:
      g_value_set_static_string (value, self->issued_by);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, tessera_account_get_expires_at (self));
      break;

    case PROP_REQUEST_ID:
      g_value_set_string (value, self->request_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_account_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TesseraAccount *self = TESSERA_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      tessera_account_set_id (self, g_value_get_string (value));
      break;

    case PROP_DISPLAY_NAME:
      tessera_account_set_display_name (self, g_value_get_string (value));
      break;

    case PROP_UPN:
      tessera_account_set_upn (self, g_value_get_string (value));
      break;

    case PROP_SITE:
      tessera_account_set_site (self, g_value_get_string (value));
      break;

    case PROP_LICENSE:
      tessera_account_set_license (self, g_value_get_string (value));
      break;

    case PROP_READINESS:
      tessera_account_set_readiness (self, g_value_get_enum (value));
      break;

    case PROP_READINESS_ISSUES:
      tessera_account_set_readiness_issues (self, g_value_get_boxed (value));
      break;

    case PROP_UPDATED_AT:
      tessera_account_set_updated_at (self, g_value_get_boxed (value));
      break;

    case PROP_PROVISIONING_STATE:
      tessera_account_set_provisioning_state (self, g_value_get_enum (value));
      break;

    case PROP_OTP_ID:
      tessera_account_set_otp_id (self, g_value_get_string (value));
      break;

    case PROP_ISSUED_BY:
      tessera_account_set_issued_by (self, g_value_get_string (value));
      break;

    case PROP_EXPIRES_AT:
      tessera_account_set_expires_at (self, g_value_get_boxed (value));
      break;

    case PROP_REQUEST_ID:
      tessera_account_set_request_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_account_class_init (TesseraAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tessera_account_dispose;
  object_class->finalize = tessera_account_finalize;
  object_class->get_property = tessera_account_get_property;
  object_class->set_property = tessera_account_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_UPN] = g_param_spec_string ("upn", NULL, NULL, NULL, flags);
  properties[PROP_SITE] = g_param_spec_string ("site", NULL, NULL, NULL, flags);
  properties[PROP_LICENSE] = g_param_spec_string ("license", NULL, NULL, NULL, flags);
  properties[PROP_READINESS] =
    g_param_spec_enum ("readiness", NULL, NULL,
                       TESSERA_TYPE_READINESS, TESSERA_READINESS_NO_VALID_LICENSE, flags);
  properties[PROP_READINESS_ISSUES] =
    g_param_spec_boxed ("readiness-issues", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_PROVISIONING_STATE] =
    g_param_spec_enum ("provisioning-state", NULL, NULL,
                       TESSERA_TYPE_PROVISIONING_STATE, TESSERA_PROVISIONING_NOT_STARTED, flags);
  properties[PROP_OTP_ID] = g_param_spec_string ("otp-id", NULL, NULL, NULL, flags);
  properties[PROP_ISSUED_BY] = g_param_spec_string ("issued-by", NULL, NULL, NULL, flags);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_REQUEST_ID] = g_param_spec_string ("request-id", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_account_init (TesseraAccount *self)
{
  self->readiness = TESSERA_READINESS_NO_VALID_LICENSE;
  self->provisioning_state = TESSERA_PROVISIONING_NOT_STARTED;
}

/* ------------------------------------------------------------------------------------------
 * Field helpers: each returns TRUE if the value changed and never notifies
 * ------------------------------------------------------------------------------------------ */

static gboolean
set_interned (const char **field,
              const char  *value)
{
  const char *interned = _tessera_intern_or_null (value);

  if (*field == interned)
    return FALSE;

  *field = interned;
  return TRUE;
}

static gboolean
issues_equal (const char *const *a,
              const char *const *b)
{
  gsize i;

  if (a == NULL)
    a = no_issues;
  if (b == NULL)
    b = no_issues;

  for (i = 0; a[i] != NULL && b[i] != NULL; i++)
    if (a[i] != b[i] && g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;

  return a[i] == NULL && b[i] == NULL;
}

/* Takes @issues (an array of interned strings, or NULL) when it differs. */
static gboolean
take_issues (TesseraAccount  *self,
             const char     **issues)
{
  if (issues != NULL && issues[0] == NULL)
    g_clear_pointer (&issues, g_free);

  if (issues_equal ((const char *const *) self->readiness_issues, (const char *const *) issues))
    {
      g_free (issues);
      return FALSE;
    }

  g_free (self->readiness_issues);
  self->readiness_issues = issues;
  return TRUE;
}

static const char **
intern_issues (const char *const *issues)
{
  gsize n = issues != NULL ? g_strv_length ((char **) issues) : 0;
  const char **interned;

  if (n == 0)
    return NULL;

  interned = g_new (const char *, n + 1);
  for (gsize i = 0; i < n; i++)
    interned[i] = g_intern_string (issues[i]);
  interned[n] = NULL;

  return interned;
}

static gboolean
set_time (gint64     *field,
          GDateTime **cache,
          gint64      value)
{
  if (*field == value)
    return FALSE;

  *field = value;
  g_clear_pointer (cache, g_date_time_unref);
  return TRUE;
}

static gboolean
set_expires (TesseraAccount *self,
             gboolean        has_value,
             gint64          value)
{
  if (!has_value)
    value = 0;

  if ((guint) has_value == self->has_expires_at && value == self->expires_at)
    return FALSE;

  self->has_expires_at = !!has_value;
  self->expires_at = value;
  g_clear_pointer (&self->expires_at_cache, g_date_time_unref);
  return TRUE;
}

static void
notify (TesseraAccount *self,
        guint           prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
rederive_readiness (TesseraAccount *self)
{
  TesseraReadiness readiness =
    tessera_readiness_derive (self->license, (const char *const *) self->readiness_issues);

  if (self->readiness != readiness)
    {
      self->readiness = readiness;
      notify (self, PROP_READINESS);
    }
}

/* ------------------------------------------------------------------------------------------
 * Public API
 * ------------------------------------------------------------------------------------------ */

TesseraAccount *
tessera_account_new (const char        *id,
                     const char        *display_name,
                     const char        *upn,
                     const char        *site,
                     const char        *license,
                     const char *const *issues)
{
  TesseraAccount *self = g_object_new (TESSERA_TYPE_ACCOUNT, NULL);

  self->id = g_strdup (id);
  self->display_name = g_strdup (display_name);
  self->upn = g_strdup (upn);
  self->site = _tessera_intern_or_null (site);
  self->license = _tessera_intern_or_null (license);
  self->readiness_issues = intern_issues (issues);
  self->readiness = tessera_readiness_derive (self->license,
                                              (const char *const *) self->readiness_issues);

  return self;
}

#define STRING_ACCESSORS(field, PROP)                                         \
  const char *                                                                \
  tessera_account_get_##field (TesseraAccount *self)                          \
  {                                                                           \
    g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), NULL);                   \
    return self->field;                                                       \
  }                                                                           \
                                                                              \
  void                                                                        \
  tessera_account_set_##field (TesseraAccount *self,                          \
                               const char     *field)                         \
  {                                                                           \
    g_return_if_fail (TESSERA_IS_ACCOUNT (self));                             \
    if (_tessera_set_string (&self->field, field))                            \
      notify (self, PROP);                                                    \
  }

#define INTERNED_ACCESSORS(field, PROP)                                       \
  const char *                                                                \
  tessera_account_get_##field (TesseraAccount *self)                          \
  {                                                                           \
    g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), NULL);                   \
    return self->field;                                                       \
  }                                                                           \
                                                                              \
  void                                                                        \
  tessera_account_set_##field (TesseraAccount *self,                          \
                               const char     *field)                         \
  {                                                                           \
    g_return_if_fail (TESSERA_IS_ACCOUNT (self));                             \
    if (set_interned (&self->field, field))                                   \
      notify (self, PROP);                                                    \
  }

STRING_ACCESSORS (id, PROP_ID)
STRING_ACCESSORS (display_name, PROP_DISPLAY_NAME)
STRING_ACCESSORS (upn, PROP_UPN)
STRING_ACCESSORS (otp_id, PROP_OTP_ID)
STRING_ACCESSORS (request_id, PROP_REQUEST_ID)
INTERNED_ACCESSORS (site, PROP_SITE)
INTERNED_ACCESSORS (issued_by, PROP_ISSUED_BY)

#undef STRING_ACCESSORS
#undef INTERNED_ACCESSORS

const char *
tessera_account_get_license (TesseraAccount *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), NULL);

  return self->license;
}

void
tessera_account_set_license (TesseraAccount *self,
                             const char     *license)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT (self));

  if (!set_interned (&self->license, license))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  notify (self, PROP_LICENSE);
  rederive_readiness (self);
  g_object_thaw_notify (G_OBJECT (self));
}

TesseraReadiness
tessera_account_get_readiness (TesseraAccount *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), TESSERA_READINESS_NO_VALID_LICENSE);

  return self->readiness;
}

void
tessera_account_set_readiness (TesseraAccount   *self,
                               TesseraReadiness  readiness)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT (self));
  g_return_if_fail (readiness <= TESSERA_READINESS_NO_VALID_LICENSE);

  if (self->readiness == readiness)
    return;

  self->readiness = readiness;
  notify (self, PROP_READINESS);
}

const char *const *
tessera_account_get_readiness_issues (TesseraAccount *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), no_issues);

  return self->readiness_issues != NULL ? (const char *const *) self->readiness_issues
                                        : no_issues;
}

void
tessera_account_set_readiness_issues (TesseraAccount    *self,
                                      const char *const *issues)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT (self));

  if (issues_equal ((const char *const *) self->readiness_issues, issues))
    return;

  take_issues (self, intern_issues (issues));

  g_object_freeze_notify (G_OBJECT (self));
  notify (self, PROP_READINESS_ISSUES);
  rederive_readiness (self);
  g_object_thaw_notify (G_OBJECT (self));
}

GDateTime *
tessera_account_get_updated_at (TesseraAccount *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), NULL);

  if (self->updated_at == 0)
    return NULL;

  if (self->updated_at_cache == NULL)
    self->updated_at_cache = tessera_datetime_new_unix_usec (self->updated_at);

  return self->updated_at_cache;
}

void
tessera_account_set_updated_at (TesseraAccount *self,
                                GDateTime      *updated_at)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT (self));

  tessera_account_set_updated_at_unix_usec (self, updated_at != NULL
                                                  ? tessera_datetime_to_unix_usec (updated_at)
                                                  : 0);
}

gint64
tessera_account_get_updated_at_unix_usec (TesseraAccount *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), 0);

  return self->updated_at;
}

void
tessera_account_set_updated_at_unix_usec (TesseraAccount *self,
                                          gint64          unix_usec)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT (self));

  if (set_time (&self->updated_at, &self->updated_at_cache, unix_usec))
    notify (self, PROP_UPDATED_AT);
}

TesseraProvisioningState
tessera_account_get_provisioning_state (TesseraAccount *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), TESSERA_PROVISIONING_NOT_STARTED);

  return self->provisioning_state;
}

void
tessera_account_set_provisioning_state (TesseraAccount           *self,
                                        TesseraProvisioningState  state)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT (self));
  g_return_if_fail (state <= TESSERA_PROVISIONING_OTP_REVOKED);

  if (self->provisioning_state == state)
    return;

  self->provisioning_state = state;
  notify (self, PROP_PROVISIONING_STATE);
}

GDateTime *
tessera_account_get_expires_at (TesseraAccount *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), NULL);

  if (!self->has_expires_at)
    return NULL;

  if (self->expires_at_cache == NULL)
    self->expires_at_cache = tessera_datetime_new_unix_usec (self->expires_at);

  return self->expires_at_cache;
}

void
tessera_account_set_expires_at (TesseraAccount *self,
                                GDateTime      *expires_at)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT (self));

  if (set_expires (self, expires_at != NULL,
                   expires_at != NULL ? tessera_datetime_to_unix_usec (expires_at) : 0))
    notify (self, PROP_EXPIRES_AT);
}

gboolean
tessera_account_get_expires_at_unix_usec (TesseraAccount *self,
                                          gint64         *unix_usec)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), FALSE);

  if (unix_usec != NULL)
    *unix_usec = self->has_expires_at ? self->expires_at : 0;

  return self->has_expires_at;
}

void
tessera_account_set_provisioning (TesseraAccount           *self,
                                  TesseraProvisioningState  state,
                                  const char               *otp_id,
                                  const char               *issued_by,
                                  GDateTime                *expires_at,
                                  const char               *request_id)
{
  gint64 expires = expires_at != NULL ? tessera_datetime_to_unix_usec (expires_at) : 0;

  g_return_if_fail (TESSERA_IS_ACCOUNT (self));

  /*
   * Nothing changes for most accounts a store or a page makes (not started, nothing set):
   * freezing notify alone would attach and drop a notify queue on each of 100 000 objects,
   * a tenth of the server's time listing them.
   */
  if (self->provisioning_state == (guint) state &&
      g_strcmp0 (self->otp_id, otp_id) == 0 &&
      g_strcmp0 (self->issued_by, issued_by) == 0 &&
      self->has_expires_at == (expires_at != NULL) && self->expires_at == expires &&
      g_strcmp0 (self->request_id, request_id) == 0)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  tessera_account_set_provisioning_state (self, state);
  tessera_account_set_otp_id (self, otp_id);
  tessera_account_set_issued_by (self, issued_by);
  tessera_account_set_expires_at (self, expires_at);
  tessera_account_set_request_id (self, request_id);
  g_object_thaw_notify (G_OBJECT (self));
}

GPtrArray *
tessera_account_get_otps (TesseraAccount *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), NULL);

  return self->otps;
}

void
tessera_account_set_otps (TesseraAccount *self,
                          GPtrArray      *otps)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT (self));

  if (otps != NULL)
    g_ptr_array_ref (otps);
  g_clear_pointer (&self->otps, g_ptr_array_unref);
  self->otps = otps;
}

GPtrArray *
tessera_account_get_requests (TesseraAccount *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), NULL);

  return self->requests;
}

void
tessera_account_set_requests (TesseraAccount *self,
                              GPtrArray      *requests)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT (self));

  if (requests != NULL)
    g_ptr_array_ref (requests);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  self->requests = requests;
}

gboolean
tessera_account_update_from (TesseraAccount *self,
                             TesseraAccount *source)
{
  GParamSpec *changed[N_PROPS];
  guint n_changed = 0;

  g_return_val_if_fail (TESSERA_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (source), FALSE);

  if (self == source)
    return FALSE;

#define CHANGED(prop_id) changed[n_changed++] = properties[prop_id]

  if (_tessera_set_string (&self->id, source->id))
    CHANGED (PROP_ID);
  if (_tessera_set_string (&self->display_name, source->display_name))
    CHANGED (PROP_DISPLAY_NAME);
  if (_tessera_set_string (&self->upn, source->upn))
    CHANGED (PROP_UPN);
  /* Interned on both sides: pointer comparison is enough */
  if (self->site != source->site)
    {
      self->site = source->site;
      CHANGED (PROP_SITE);
    }
  if (self->license != source->license)
    {
      self->license = source->license;
      CHANGED (PROP_LICENSE);
    }
  if (self->readiness != source->readiness)
    {
      self->readiness = source->readiness;
      CHANGED (PROP_READINESS);
    }
  if (!issues_equal ((const char *const *) self->readiness_issues,
                     (const char *const *) source->readiness_issues))
    {
      take_issues (self, intern_issues ((const char *const *) source->readiness_issues));
      CHANGED (PROP_READINESS_ISSUES);
    }
  if (set_time (&self->updated_at, &self->updated_at_cache, source->updated_at))
    CHANGED (PROP_UPDATED_AT);
  if (self->provisioning_state != source->provisioning_state)
    {
      self->provisioning_state = source->provisioning_state;
      CHANGED (PROP_PROVISIONING_STATE);
    }
  if (_tessera_set_string (&self->otp_id, source->otp_id))
    CHANGED (PROP_OTP_ID);
  if (self->issued_by != source->issued_by)
    {
      self->issued_by = source->issued_by;
      CHANGED (PROP_ISSUED_BY);
    }
  if (set_expires (self, source->has_expires_at, source->expires_at))
    CHANGED (PROP_EXPIRES_AT);
  if (_tessera_set_string (&self->request_id, source->request_id))
    CHANGED (PROP_REQUEST_ID);

#undef CHANGED

  /* An event carries no history: keep what a detail view loaded unless there is newer. */
  if (source->otps != NULL)
    tessera_account_set_otps (self, source->otps);
  if (source->requests != NULL)
    tessera_account_set_requests (self, source->requests);

  if (n_changed == 0)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < n_changed; i++)
    g_object_notify_by_pspec (G_OBJECT (self), changed[i]);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

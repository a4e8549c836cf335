/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-preferences-window-private.h"

/* A custom number of hours is saved once the admin stops changing it for this long */
#define CUSTOM_SAVE_DELAY_MS 700

const guint tessera_preferences_presets[TESSERA_PREFERENCES_N_PRESETS] = {
  1, 4, 8, 24, 48, 72, 168, 336
};

typedef enum {
  MEMBER_VALIDITY,
  MEMBER_AUTO_APPROVE,
  MEMBER_SEPARATION,
  N_MEMBERS
} Member;

struct _TesseraPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  GtkWidget            *viewer_group;
  GtkWidget            *otp_group;
  GtkWidget            *approval_group;
  AdwComboRow          *validity_row;
  GtkWidget            *custom_row;
  GtkSpinButton        *custom_spin;
  GtkSwitch            *auto_approve_switch;
  GtkSwitch            *separation_switch;

  /* Owned */
  TesseraClient        *client;
  GCancellable         *cancellable;      /* loading; saves are never cancelled */
  TesseraSettings      *settings;         /* as the server has them; NULL until loaded */
  char                 *last_error;
  guint                 custom_save_id;

  guint                 n_saving[N_MEMBERS];
  guint                 syncing;          /* > 0 while controls follow the server's values */
  TesseraRole           role;
  gboolean              have_user;
  gboolean              disposed;
};

G_DEFINE_FINAL_TYPE (TesseraPreferencesWindow, tessera_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load (TesseraPreferencesWindow *self);

static char *
describe_error (TesseraPreferencesWindow *self,
                const GError             *error)
{
  const char *host = tessera_client_get_host (self->client);

  if (error->domain == TESSERA_CLIENT_ERROR)
    switch ((TesseraClientError) error->code)
      {
      case TESSERA_CLIENT_ERROR_NETWORK:
        return g_strdup_printf (_("Cannot reach %s. Check your network connection."), host);
      case TESSERA_CLIENT_ERROR_TIMEOUT:
        return g_strdup_printf (_("%s did not answer in time."), host);
      case TESSERA_CLIENT_ERROR_TLS:
        return g_strdup_printf (_("The certificate of %s is not trusted."), host);
      case TESSERA_CLIENT_ERROR_SERVICE_UNAVAILABLE:
        return g_strdup_printf (_("%s is not available at the moment."), host);
      case TESSERA_CLIENT_ERROR_NOT_AUTHORIZED:
        return g_strdup (_("Your session has ended. Sign in again."));
      case TESSERA_CLIENT_ERROR_FORBIDDEN:
        return g_strdup (_("Only admins can change these settings."));
      default:
        break;
      }

  return g_strdup (error->message);
}

static void
show_error (TesseraPreferencesWindow *self,
            const char               *message,
            gboolean                  can_retry_load)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_error);
  self->last_error = g_strdup (message);

  if (can_retry_load)
    {
      adw_toast_set_button_label (toast, _("_Retry"));
      adw_toast_set_action_name (toast, "preferences.reload");
      adw_toast_set_timeout (toast, 0);
    }
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* The controls follow the server */

static guint
preset_position (guint hours)
{
  for (guint i = 0; i < TESSERA_PREFERENCES_N_PRESETS; i++)
    if (tessera_preferences_presets[i] == hours)
      return i;
  return TESSERA_PREFERENCES_CUSTOM;
}

static void
sync_controls (TesseraPreferencesWindow *self)
{
  gboolean editable = self->settings != NULL && self->have_user &&
                      self->role == TESSERA_ROLE_ADMIN;

  self->syncing++;

  /* A control with a change on its way keeps what the admin chose until the answer */
  if (self->settings != NULL && self->n_saving[MEMBER_VALIDITY] == 0 &&
      self->custom_save_id == 0)
    {
      guint hours = tessera_settings_get_otp_validity_hours (self->settings);
      guint position = preset_position (hours);

      /* Custom stays chosen while the admin is on it, even on a preset's number of hours */
      if (adw_combo_row_get_selected (self->validity_row) != TESSERA_PREFERENCES_CUSTOM ||
          position == TESSERA_PREFERENCES_CUSTOM)
        adw_combo_row_set_selected (self->validity_row, position);
      gtk_spin_button_set_value (self->custom_spin, hours);
    }
  gtk_widget_set_visible (self->custom_row, adw_combo_row_get_selected (self->validity_row) ==
                                            TESSERA_PREFERENCES_CUSTOM);

  if (self->settings != NULL && self->n_saving[MEMBER_AUTO_APPROVE] == 0)
    gtk_switch_set_active (self->auto_approve_switch,
                           tessera_settings_get_auto_approve (self->settings));
  if (self->settings != NULL && self->n_saving[MEMBER_SEPARATION] == 0)
    gtk_switch_set_active (self->separation_switch,
                           tessera_settings_get_separation_of_duties (self->settings));

  gtk_widget_set_sensitive (self->otp_group, editable);
  gtk_widget_set_sensitive (self->approval_group, editable);
  gtk_widget_set_visible (self->viewer_group, self->have_user && self->role != TESSERA_ROLE_ADMIN);

  self->syncing--;
}

/* Saving */

typedef struct {
  TesseraPreferencesWindow *window;
  Member                    member;
} Save;

static char *
describe_save_error (Member      member,
                     const char *reason)
{
  switch (member)
    {
    case MEMBER_VALIDITY:
      return g_strdup_printf (_("Could not save the OTP validity: %s"), reason);
    case MEMBER_AUTO_APPROVE:
      return g_strdup_printf (_("Could not save OTP auto-approval: %s"), reason);
    case MEMBER_SEPARATION:
    case N_MEMBERS:
    default:
      return g_strdup_printf (_("Could not save separation of duties: %s"), reason);
    }
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree Save *save = user_data;
  g_autoptr(TesseraPreferencesWindow) self = save->window;
  g_autoptr(TesseraSettings) answered = NULL;
  g_autoptr(GError) error = NULL;

  answered = tessera_client_update_settings_finish (TESSERA_CLIENT (source), result, &error);

  g_assert (self->n_saving[save->member] > 0);
  self->n_saving[save->member]--;
  if (self->disposed)
    return;

  if (answered != NULL)
    {
      if (self->settings == NULL)
        self->settings = g_object_ref (answered);
      else
        tessera_settings_update_from (self->settings, answered);
    }
  else
    {
      g_autofree char *reason = describe_error (self, error);
      g_autofree char *message = describe_save_error (save->member, reason);

      show_error (self, message, FALSE);
    }

  /* On failure this puts the control back to what the server has */
  sync_controls (self);
}

static void
save (TesseraPreferencesWindow *self,
      TesseraSettingsPatch     *patch,
      Member                    member)
{
  Save *data = g_new0 (Save, 1);

  data->window = g_object_ref (self);
  data->member = member;
  self->n_saving[member]++;

  /* Not cancellable: a change the admin made reaches the server even if the window closes */
  tessera_client_update_settings_async (self->client, patch, NULL, on_saved, data);
}

static void
save_validity (TesseraPreferencesWindow *self,
               guint                     hours)
{
  g_autoptr(TesseraSettingsPatch) patch = tessera_settings_patch_new ();

  patch->has_otp_validity_hours = TRUE;
  patch->otp_validity_hours = hours;
  save (self, patch, MEMBER_VALIDITY);
}

static void
save_custom_now (TesseraPreferencesWindow *self)
{
  g_clear_handle_id (&self->custom_save_id, g_source_remove);

  if (self->settings == NULL)
    return;
  if ((guint) gtk_spin_button_get_value_as_int (self->custom_spin) ==
      tessera_settings_get_otp_validity_hours (self->settings))
    return;

  save_validity (self, gtk_spin_button_get_value_as_int (self->custom_spin));
}

static gboolean
on_custom_save_due (gpointer user_data)
{
  TesseraPreferencesWindow *self = user_data;

  self->custom_save_id = 0;
  save_custom_now (self);
  return G_SOURCE_REMOVE;
}

static void
on_validity_selected (TesseraPreferencesWindow *self)
{
  guint position = adw_combo_row_get_selected (self->validity_row);

  if (self->syncing > 0 || self->settings == NULL || position == GTK_INVALID_LIST_POSITION)
    return;

  gtk_widget_set_visible (self->custom_row, position == TESSERA_PREFERENCES_CUSTOM);

  /* Custom starts from the current value and saves once the admin changes the number */
  if (position == TESSERA_PREFERENCES_CUSTOM)
    {
      self->syncing++;
      gtk_spin_button_set_value (self->custom_spin,
                                 tessera_settings_get_otp_validity_hours (self->settings));
      self->syncing--;
      return;
    }

  g_clear_handle_id (&self->custom_save_id, g_source_remove);
  save_validity (self, tessera_preferences_presets[position]);
}

static void
on_custom_value_changed (TesseraPreferencesWindow *self)
{
  if (self->syncing > 0 || self->settings == NULL)
    return;

  /* Each click of the arrows changes the value: wait until the admin settles on one */
  g_clear_handle_id (&self->custom_save_id, g_source_remove);
  self->custom_save_id = g_timeout_add (CUSTOM_SAVE_DELAY_MS, on_custom_save_due, self);
}

static void
save_switch (TesseraPreferencesWindow *self,
             Member                    member)
{
  g_autoptr(TesseraSettingsPatch) patch = tessera_settings_patch_new ();

  if (self->syncing > 0 || self->settings == NULL)
    return;

  if (member == MEMBER_AUTO_APPROVE)
    {
      patch->has_auto_approve = TRUE;
      patch->auto_approve = gtk_switch_get_active (self->auto_approve_switch);
    }
  else
    {
      patch->has_separation_of_duties = TRUE;
      patch->separation_of_duties = gtk_switch_get_active (self->separation_switch);
    }
  save (self, patch, member);
}

static void
on_auto_approve_toggled (TesseraPreferencesWindow *self)
{
  save_switch (self, MEMBER_AUTO_APPROVE);
}

static void
on_separation_toggled (TesseraPreferencesWindow *self)
{
  save_switch (self, MEMBER_SEPARATION);
}

/* Loading and live updates */

static void
on_settings_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TesseraPreferencesWindow) self = user_data;
  g_autoptr(TesseraSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  settings = tessera_client_get_settings_finish (TESSERA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (settings == NULL)
    {
      g_autofree char *reason = describe_error (self, error);
      g_autofree char *message = g_strdup_printf (_("Could not load the settings: %s"), reason);

      show_error (self, message, TRUE);
      return;
    }

  /* An event may have brought them first */
  if (self->settings == NULL)
    self->settings = g_steal_pointer (&settings);
  sync_controls (self);
}

static void
on_user_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TesseraPreferencesWindow) self = user_data;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = tessera_client_get_me_finish (TESSERA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (user == NULL)
    {
      g_autofree char *reason = describe_error (self, error);
      g_autofree char *message = g_strdup_printf (_("Could not load the settings: %s"), reason);

      show_error (self, message, TRUE);
      return;
    }

  self->role = tessera_user_get_role (user);
  self->have_user = TRUE;
  sync_controls (self);
}

static void
load (TesseraPreferencesWindow *self)
{
  if (self->settings == NULL)
    tessera_client_get_settings_async (self->client, self->cancellable, on_settings_loaded,
                                       g_object_ref (self));
  if (!self->have_user)
    tessera_client_get_me_async (self->client, self->cancellable, on_user_loaded,
                                 g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  load (TESSERA_PREFERENCES_WINDOW (widget));
}

static void
on_event (TesseraPreferencesWindow *self,
          TesseraEvent             *event)
{
  TesseraSettings *settings = tessera_event_get_settings (event);

  if (tessera_event_get_event_type (event) != TESSERA_EVENT_SETTINGS_UPDATED || settings == NULL)
    return;

  if (self->settings == NULL)
    self->settings = g_object_ref (settings);
  else
    tessera_settings_update_from (self->settings, settings);
  sync_controls (self);
}

/* Public */

TesseraPreferencesWindow *
tessera_preferences_window_new (TesseraClient *client)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (client), NULL);

  return g_object_new (TESSERA_TYPE_PREFERENCES_WINDOW, "client", client, NULL);
}

TesseraClient *
tessera_preferences_window_get_client (TesseraPreferencesWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_PREFERENCES_WINDOW (self), NULL);

  return self->client;
}

gpointer
_tessera_preferences_window_get_part (TesseraPreferencesWindow *self,
                                      TesseraPreferencesPart    part)
{
  g_return_val_if_fail (TESSERA_IS_PREFERENCES_WINDOW (self), NULL);

  switch (part)
    {
    case TESSERA_PREFERENCES_PART_VIEWER_NOTE:         return self->viewer_group;
    case TESSERA_PREFERENCES_PART_OTP_GROUP:           return self->otp_group;
    case TESSERA_PREFERENCES_PART_APPROVAL_GROUP:      return self->approval_group;
    case TESSERA_PREFERENCES_PART_VALIDITY_ROW:        return self->validity_row;
    case TESSERA_PREFERENCES_PART_CUSTOM_ROW:          return self->custom_row;
    case TESSERA_PREFERENCES_PART_CUSTOM_SPIN:         return self->custom_spin;
    case TESSERA_PREFERENCES_PART_AUTO_APPROVE_SWITCH: return self->auto_approve_switch;
    case TESSERA_PREFERENCES_PART_SEPARATION_SWITCH:   return self->separation_switch;
    default:                                           g_return_val_if_reached (NULL);
    }
}

gboolean
_tessera_preferences_window_get_loaded (TesseraPreferencesWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->settings != NULL && self->have_user;
}

guint
_tessera_preferences_window_get_n_saving (TesseraPreferencesWindow *self)
{
  guint n = 0;

  g_return_val_if_fail (TESSERA_IS_PREFERENCES_WINDOW (self), 0);

  for (guint i = 0; i < N_MEMBERS; i++)
    n += self->n_saving[i];
  return n + (self->custom_save_id != 0 ? 1 : 0);
}

TesseraSettings *
_tessera_preferences_window_get_settings (TesseraPreferencesWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_PREFERENCES_WINDOW (self), NULL);

  return self->settings;
}

const char *
_tessera_preferences_window_get_last_error (TesseraPreferencesWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_PREFERENCES_WINDOW (self), NULL);

  return self->last_error;
}

/* GObject */

static gboolean
tessera_preferences_window_close_request (GtkWindow *window)
{
  TesseraPreferencesWindow *self = TESSERA_PREFERENCES_WINDOW (window);

  /* A custom number still waiting to be saved is saved now */
  if (self->custom_save_id != 0)
    save_custom_now (self);

  return GTK_WINDOW_CLASS (tessera_preferences_window_parent_class)->close_request (window);
}

static void
tessera_preferences_window_constructed (GObject *object)
{
  TesseraPreferencesWindow *self = (TesseraPreferencesWindow *) object;

  G_OBJECT_CLASS (tessera_preferences_window_parent_class)->constructed (object);

  g_assert (self->client != NULL);

  g_signal_connect_object (self->client, "event", G_CALLBACK (on_event), self,
                           G_CONNECT_SWAPPED);
  load (self);
}

static void
tessera_preferences_window_unrealize (GtkWidget *widget)
{
  TesseraPreferencesWindow *self = (TesseraPreferencesWindow *) widget;

  /* Closed: nothing it still waits for matters, and the replies should not keep it alive */
  g_cancellable_cancel (self->cancellable);

  GTK_WIDGET_CLASS (tessera_preferences_window_parent_class)->unrealize (widget);
}

static void
tessera_preferences_window_dispose (GObject *object)
{
  TesseraPreferencesWindow *self = (TesseraPreferencesWindow *) object;

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->custom_save_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), TESSERA_TYPE_PREFERENCES_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tessera_preferences_window_parent_class)->dispose (object);
}

static void
tessera_preferences_window_finalize (GObject *object)
{
  TesseraPreferencesWindow *self = (TesseraPreferencesWindow *) object;

  g_clear_object (&self->client);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (tessera_preferences_window_parent_class)->finalize (object);
}

static void
tessera_preferences_window_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  TesseraPreferencesWindow *self = TESSERA_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_preferences_window_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  TesseraPreferencesWindow *self = TESSERA_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_preferences_window_class_init (TesseraPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tessera_preferences_window_constructed;
  object_class->dispose = tessera_preferences_window_dispose;
  object_class->finalize = tessera_preferences_window_finalize;
  object_class->get_property = tessera_preferences_window_get_property;
  object_class->set_property = tessera_preferences_window_set_property;

  widget_class->unrealize = tessera_preferences_window_unrealize;

  window_class->close_request = tessera_preferences_window_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TESSERA_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/ui/"
                                               "tessera-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TesseraPreferencesWindow, viewer_group);
  gtk_widget_class_bind_template_child (widget_class, TesseraPreferencesWindow, otp_group);
  gtk_widget_class_bind_template_child (widget_class, TesseraPreferencesWindow, approval_group);
  gtk_widget_class_bind_template_child (widget_class, TesseraPreferencesWindow, validity_row);
  gtk_widget_class_bind_template_child (widget_class, TesseraPreferencesWindow, custom_row);
  gtk_widget_class_bind_template_child (widget_class, TesseraPreferencesWindow, custom_spin);
  gtk_widget_class_bind_template_child (widget_class, TesseraPreferencesWindow,
                                        auto_approve_switch);
  gtk_widget_class_bind_template_child (widget_class, TesseraPreferencesWindow,
                                        separation_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_validity_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_value_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_auto_approve_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_separation_toggled);

  gtk_widget_class_install_action (widget_class, "preferences.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GListModel *
create_validity_choices (void)
{
  GtkStringList *choices = gtk_string_list_new (NULL);

  for (guint i = 0; i < TESSERA_PREFERENCES_N_PRESETS; i++)
    {
      guint hours = tessera_preferences_presets[i];
      g_autofree char *label = NULL;

      if (hours % 168 == 0)
        label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u week", "%u weeks", hours / 168),
                                 hours / 168);
      else
        label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", hours),
                                 hours);
      gtk_string_list_append (choices, label);
    }
  /* TRANSLATORS: the OTP validity choice that reveals a field for any number of hours */
  gtk_string_list_append (choices, C_("validity", "Custom"));

  return G_LIST_MODEL (choices);
}

static void
tessera_preferences_window_init (TesseraPreferencesWindow *self)
{
  g_autoptr(GListModel) choices = create_validity_choices ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->role = TESSERA_ROLE_VIEWER;

  self->syncing++;
  adw_combo_row_set_model (self->validity_row, choices);
  self->syncing--;
}

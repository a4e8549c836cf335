/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-notifier"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-notifier.h"
#include "tessera-request-text.h"

struct _TesseraNotifier
{
  GObject         parent_instance;

  GtkApplication *application;  /* weak: the application outlives its windows' sessions */
  TesseraClient  *client;       /* owned */
  GHashTable     *shown;        /* owned: request ids of the notifications on the desktop */
  GCancellable   *cancellable;  /* owned */

  /* Whether the desktop has a notification service (see can_notify) */
  guint           gtk_watch_id;
  guint           fdo_watch_id;
  gboolean        gtk_owned;
  gboolean        fdo_owned;
  gboolean        fdo_activatable;
  gboolean        sandboxed;
};

G_DEFINE_FINAL_TYPE (TesseraNotifier, tessera_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
tessera_notifier_dup_notification_id (const char *request_id)
{
  g_return_val_if_fail (request_id != NULL, NULL);

  return g_strconcat ("request-", request_id, NULL);
}

/* The admin is in the app already: the window's prompt says it */
static gboolean
application_is_active (TesseraNotifier *self)
{
  for (GList *l = gtk_application_get_windows (self->application); l != NULL; l = l->next)
    if (gtk_window_is_active (l->data))
      return TRUE;

  return FALSE;
}

/*
 * GApplication sends to the portal in a sandbox, else to org.gtk.Notifications when someone
 * owns it, else to org.freedesktop.Notifications, and warns when that fails. A desktop
 * without any of them (a kiosk, a bare X session, a test bus) gets no notification instead.
 */
static gboolean
can_notify (TesseraNotifier *self)
{
  return self->sandboxed || self->gtk_owned || self->fdo_owned || self->fdo_activatable;
}

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  TesseraNotifier *self = user_data;

  if (g_str_equal (name, "org.gtk.Notifications"))
    self->gtk_owned = TRUE;
  else
    self->fdo_owned = TRUE;
}

static void
on_name_vanished (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  TesseraNotifier *self = user_data;

  if (g_str_equal (name, "org.gtk.Notifications"))
    self->gtk_owned = FALSE;
  else
    self->fdo_owned = FALSE;
}

static void
on_activatable_names (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TesseraNotifier) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **names = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not list the activatable D-Bus names: %s", error->message);
      return;
    }

  g_variant_get (reply, "(^a&s)", &names);
  self->fdo_activatable = g_strv_contains (names, "org.freedesktop.Notifications");
}

static void
watch_notification_service (TesseraNotifier *self)
{
  GApplication *application = G_APPLICATION (self->application);
  GDBusConnection *connection = g_application_get_dbus_connection (application);

  self->sandboxed = g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ||
                    g_strcmp0 (g_getenv ("GTK_USE_PORTAL"), "1") == 0;
  if (connection == NULL)
    return;

  self->gtk_watch_id = g_bus_watch_name_on_connection (connection, "org.gtk.Notifications",
                                                       G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                       on_name_appeared, on_name_vanished,
                                                       self, NULL);
  self->fdo_watch_id = g_bus_watch_name_on_connection (connection,
                                                       "org.freedesktop.Notifications",
                                                       G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                       on_name_appeared, on_name_vanished,
                                                       self, NULL);
  g_dbus_connection_call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "ListActivatableNames", NULL,
                          G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          self->cancellable, on_activatable_names, g_object_ref (self));
}

static void
notify_request (TesseraNotifier *self,
                TesseraRequest  *request)
{
  const char *id = tessera_request_get_id (request);
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *device = tessera_request_describe_device (request);
  g_autofree char *body = NULL;
  g_autofree char *notification_id = tessera_notifier_dup_notification_id (id);

  /* TRANSLATORS: the body of a notification: the room on one line, the console on the next */
  body = g_strdup_printf (_("%s\nfrom %s"), tessera_request_get_account_display_name (request),
                          device);

  notification = g_notification_new (_("OTP request awaiting approval"));
  g_notification_set_body (notification, body);
  icon = g_themed_icon_new ("io.github.tessera.Tessera");
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.review-request", "s", id);
  g_notification_add_button_with_target (notification, _("Review"), "app.review-request", "s",
                                         id);

  g_application_send_notification (G_APPLICATION (self->application), notification_id,
                                    notification);
  g_hash_table_add (self->shown, g_strdup (id));
}

static void
withdraw (TesseraNotifier *self,
          const char      *request_id)
{
  g_autofree char *notification_id = tessera_notifier_dup_notification_id (request_id);

  g_application_withdraw_notification (G_APPLICATION (self->application), notification_id);
}

static void
on_event (TesseraNotifier *self,
          TesseraEvent    *event)
{
  TesseraRequest *request = tessera_event_get_request (event);
  const char *id;

  if (request == NULL || self->application == NULL ||
      !g_application_get_is_registered (G_APPLICATION (self->application)) ||
      g_application_get_is_remote (G_APPLICATION (self->application)))
    return;

  id = tessera_request_get_id (request);
  switch (tessera_event_get_event_type (event))
    {
    case TESSERA_EVENT_REQUEST_CREATED:
      /* An auto-approved request needs nobody */
      if (tessera_request_get_state (request) == TESSERA_REQUEST_PENDING &&
          !g_hash_table_contains (self->shown, id) && !application_is_active (self))
        {
          if (can_notify (self))
            notify_request (self, request);
          else
            g_debug ("No notification service on this desktop: request %s not announced", id);
        }
      break;

    case TESSERA_EVENT_REQUEST_UPDATED:
      if (tessera_request_get_state (request) != TESSERA_REQUEST_PENDING &&
          g_hash_table_remove (self->shown, id))
        withdraw (self, id);
      break;

    case TESSERA_EVENT_ACCOUNT_UPDATED:
    case TESSERA_EVENT_SETTINGS_UPDATED:
    default:
      break;
    }
}

TesseraNotifier *
tessera_notifier_new (GtkApplication *application,
                      TesseraClient  *client)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (TESSERA_IS_CLIENT (client), NULL);

  return g_object_new (TESSERA_TYPE_NOTIFIER,
                       "application", application,
                       "client", client,
                       NULL);
}

guint
tessera_notifier_get_n_shown (TesseraNotifier *self)
{
  g_return_val_if_fail (TESSERA_IS_NOTIFIER (self), 0);

  return g_hash_table_size (self->shown);
}

gboolean
tessera_notifier_get_can_notify (TesseraNotifier *self)
{
  g_return_val_if_fail (TESSERA_IS_NOTIFIER (self), FALSE);

  return can_notify (self);
}

static void
tessera_notifier_constructed (GObject *object)
{
  TesseraNotifier *self = (TesseraNotifier *) object;

  G_OBJECT_CLASS (tessera_notifier_parent_class)->constructed (object);

  g_assert (self->client != NULL);

  g_signal_connect_object (self->client, "event", G_CALLBACK (on_event), self,
                           G_CONNECT_SWAPPED);
  if (self->application != NULL)
    watch_notification_service (self);
}

static void
tessera_notifier_dispose (GObject *object)
{
  TesseraNotifier *self = (TesseraNotifier *) object;

  /* The session's requests are no business of whoever signs in next */
  if (self->application != NULL && self->shown != NULL)
    {
      GHashTableIter iter;
      const char *id;

      g_hash_table_iter_init (&iter, self->shown);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
        withdraw (self, id);
    }
  if (self->shown != NULL)
    g_hash_table_remove_all (self->shown);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->gtk_watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->fdo_watch_id, g_bus_unwatch_name);
  g_clear_object (&self->cancellable);

  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tessera_notifier_parent_class)->dispose (object);
}

static void
tessera_notifier_finalize (GObject *object)
{
  TesseraNotifier *self = (TesseraNotifier *) object;

  g_clear_pointer (&self->shown, g_hash_table_unref);

  G_OBJECT_CLASS (tessera_notifier_parent_class)->finalize (object);
}

static void
tessera_notifier_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TesseraNotifier *self = TESSERA_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_notifier_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TesseraNotifier *self = TESSERA_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_set_weak_pointer (&self->application, g_value_get_object (value));
      break;

    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_notifier_class_init (TesseraNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tessera_notifier_constructed;
  object_class->dispose = tessera_notifier_dispose;
  object_class->finalize = tessera_notifier_finalize;
  object_class->get_property = tessera_notifier_get_property;
  object_class->set_property = tessera_notifier_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, GTK_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TESSERA_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_notifier_init (TesseraNotifier *self)
{
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

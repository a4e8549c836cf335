/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-application"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-application.h"
#include "tessera-window.h"

struct _TesseraApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;  /* owned */
};

G_DEFINE_FINAL_TYPE (TesseraApplication, tessera_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "server", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_("Fill in the server address on the sign-in page"), N_("URL") },
  { "username", 'u', 0, G_OPTION_ARG_STRING, NULL,
    N_("Fill in the username on the sign-in page"), N_("NAME") },
  { NULL }
};

static TesseraWindow *
get_window (TesseraApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (TESSERA_IS_WINDOW (window))
    return TESSERA_WINDOW (window);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (TESSERA_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

/* One main window: starting the app again brings it forward, prefilled if asked to */
static void
present_window (TesseraApplication *self,
                const char         *server,
                const char         *username)
{
  TesseraWindow *window = get_window (self);

  if (window == NULL)
    {
      g_autofree char *saved_server = g_settings_get_string (self->settings, "server");
      g_autofree char *saved_username = g_settings_get_string (self->settings, "username");

      window = tessera_window_new (GTK_APPLICATION (self), self->settings);
      tessera_window_start (window,
                            server != NULL ? server : saved_server,
                            username != NULL ? username : saved_username);
    }
  else if (server != NULL || username != NULL)
    {
      tessera_window_prefill (window, server, username);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
tessera_application_activate (GApplication *application)
{
  present_window (TESSERA_APPLICATION (application), NULL, NULL);
}

static int
tessera_application_command_line (GApplication            *application,
                                  GApplicationCommandLine *command_line)
{
  TesseraApplication *self = TESSERA_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *server = NULL;
  const char *username = NULL;

  g_variant_dict_lookup (options, "server", "&s", &server);
  g_variant_dict_lookup (options, "username", "&s", &username);

  present_window (self, server, username);
  return 0;
}

static void
tessera_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (tessera_application_parent_class)->startup (application);

  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences",
                                         preferences_accels);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  TesseraApplication *self = user_data;

  /* Closing the windows lets each save its size and cancel its work */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  TesseraApplication *self = user_data;
  static const char *developers[] = { "The Tessera authors", NULL };
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("Tessera"),
                        "application-icon", "io.github.tessera.Tessera",
                        "developer-name", _("The Tessera authors"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("One-time passwords for the people who set up "
                                      "meeting-room consoles."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* TRANSLATORS: your name(s), one per line, to be credited in About */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  TesseraWindow *window = get_window (user_data);

  if (window != NULL)
    tessera_window_show_preferences (window);
}

/* From a notification: the window comes forward (or starts) with the request to review */
static void
review_request_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  TesseraApplication *self = user_data;
  TesseraWindow *window;

  present_window (self, NULL, NULL);
  window = get_window (self);
  if (window != NULL)
    tessera_window_review_request (window, g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "preferences", preferences_activated },
  { "review-request", review_request_activated, "s" },
};

static void
tessera_application_dispose (GObject *object)
{
  TesseraApplication *self = (TesseraApplication *) object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tessera_application_parent_class)->dispose (object);
}

static void
tessera_application_class_init (TesseraApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tessera_application_dispose;

  app_class->activate = tessera_application_activate;
  app_class->command_line = tessera_application_command_line;
  app_class->startup = tessera_application_startup;
}

static void
tessera_application_init (TesseraApplication *self)
{
  self->settings = g_settings_new (TESSERA_SETTINGS_SCHEMA_ID);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
}

TesseraApplication *
tessera_application_new (const char *application_id)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (TESSERA_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       /* the same resources and settings for the .Devel profile */
                       "resource-base-path", "/io/github/tessera/Tessera",
                       NULL);
}

GSettings *
tessera_application_get_settings (TesseraApplication *self)
{
  g_return_val_if_fail (TESSERA_IS_APPLICATION (self), NULL);

  return self->settings;
}

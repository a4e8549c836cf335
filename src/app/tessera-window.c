/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-accounts-model.h"
#include "tessera-accounts-page.h"
#include "tessera-credentials.h"
#include "tessera-notifier.h"
#include "tessera-pins.h"
#include "tessera-sign-in-page.h"
#include "tessera-window.h"

struct _TesseraWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  GtkStack             *stack;

  /* Owned */
  GSettings            *settings;
  GCancellable         *cancellable;    /* silent sign-in and keyring work of this window */
  TesseraClient        *client;         /* the signed-in session, or NULL */
  char                 *server_url;     /* of the session, as the keyring knows it */
  char                 *username;

  TesseraNotifier      *notifier;       /* desktop notifications of the session */
  char                 *review_id;      /* a request to review once signed in */

  /* Children of the stack */
  TesseraSignInPage    *sign_in_page;
  GtkWidget            *accounts_page;
};

G_DEFINE_FINAL_TYPE (TesseraWindow, tessera_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
restart_cancellable (TesseraWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

/* Hands the focus back before a page goes, so no entry on it keeps blinking unfocused */
static void
release_focus (TesseraWindow *self)
{
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

static void
drop_session (TesseraWindow *self)
{
  if (self->accounts_page != NULL)
    {
      release_focus (self);
      gtk_stack_remove (self->stack, self->accounts_page);
      self->accounts_page = NULL;
    }
  if (self->client != NULL)
    tessera_client_stop_events (self->client);
  g_clear_object (&self->notifier);
  g_clear_object (&self->client);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", FALSE);
}

static void
show_sign_in (TesseraWindow *self,
              const char    *error)
{
  tessera_sign_in_page_reset (self->sign_in_page);
  tessera_sign_in_page_set_error (self->sign_in_page, error);
  gtk_stack_set_visible_child_name (self->stack, "sign-in");
  gtk_window_set_title (GTK_WINDOW (self), _("Tessera"));
  tessera_sign_in_page_focus_first_empty (self->sign_in_page);
}

static void
on_keyring_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tessera_credentials_clear_finish (result, &error))
    g_debug ("Could not remove the session from the keyring: %s", error->message);
}

static void
forget_session (TesseraWindow *self)
{
  /* Not cancellable: the token must leave the keyring even if the window closes now */
  if (self->server_url != NULL && self->username != NULL)
    tessera_credentials_clear_async (self->server_url, self->username, NULL,
                                     on_keyring_cleared, NULL);
}

static void
on_session_expired (TesseraWindow *self,
                    GtkWidget     *page)
{
  if (page != self->accounts_page)
    return;

  forget_session (self);
  drop_session (self);
  show_sign_in (self, _("Your session has ended. Sign in again."));
}

static void
show_accounts (TesseraWindow *self,
               TesseraClient *client,
               const char    *username)
{
  g_autoptr(TesseraAccountsModel) model = tessera_accounts_model_new ();

  drop_session (self);

  self->client = g_object_ref (client);
  g_free (self->server_url);
  self->server_url = g_strdup (tessera_client_get_server_url (client));
  g_free (self->username);
  self->username = g_strdup (username);

  release_focus (self);
  self->accounts_page = tessera_accounts_page_new (client, model);
  g_signal_connect_object (self->accounts_page, "session-expired",
                           G_CALLBACK (on_session_expired), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->stack, self->accounts_page, "accounts");
  gtk_stack_set_visible_child (self->stack, self->accounts_page);
  /* TRANSLATORS: the window title (for the window list) while the accounts are shown */
  gtk_window_set_title (GTK_WINDOW (self), _("Resource accounts — Tessera"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", TRUE);
  tessera_accounts_page_focus_list (TESSERA_ACCOUNTS_PAGE (self->accounts_page));

  if (gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    self->notifier = tessera_notifier_new (gtk_window_get_application (GTK_WINDOW (self)), client);
  if (self->review_id != NULL)
    {
      g_autofree char *review_id = g_steal_pointer (&self->review_id);

      tessera_accounts_page_review_request (TESSERA_ACCOUNTS_PAGE (self->accounts_page), review_id);
    }
}

static void
on_token_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TesseraWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (tessera_credentials_store_finish (result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->accounts_page == NULL)
    return;

  tessera_accounts_page_add_toast (TESSERA_ACCOUNTS_PAGE (self->accounts_page),
                                   adw_toast_new (_("The keyring is not available: you will need "
                                                    "to sign in again next time")));
}

static void
on_signed_in (TesseraWindow  *self,
              TesseraClient  *client,
              TesseraSession *session)
{
  TesseraUser *user = tessera_session_get_user (session);
  const char *username = user != NULL ? tessera_user_get_username (user)
                                       : tessera_sign_in_page_get_username (self->sign_in_page);

  /* Only the token is kept, and only in the keyring; the address and name go to settings */
  g_settings_set_string (self->settings, "server", tessera_client_get_server_url (client));
  g_settings_set_string (self->settings, "username", username);

  show_accounts (self, client, username);

  restart_cancellable (self);
  tessera_credentials_store_async (self->server_url, self->username,
                                   tessera_session_get_token (session),
                                   self->cancellable, on_token_stored, g_object_ref (self));
}

typedef struct {
  TesseraWindow *window;
  TesseraClient *client;
  char          *username;
} SilentSignIn;

static void
silent_sign_in_free (SilentSignIn *silent)
{
  g_clear_object (&silent->window);
  g_clear_object (&silent->client);
  g_free (silent->username);
  g_free (silent);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SilentSignIn, silent_sign_in_free)

static void
on_token_found (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SilentSignIn) silent = user_data;
  TesseraWindow *self = silent->window;
  g_autoptr(GError) error = NULL;
  char *token;

  token = tessera_credentials_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (token == NULL)
    {
      if (error != NULL)
        g_debug ("No silent sign-in, the keyring failed: %s", error->message);
      show_sign_in (self, NULL);
      return;
    }

  /*
   * The token is not checked first: the accounts page finds out soon enough, and an expired
   * one brings the admin back here with the fields filled. A server that is down shows as an
   * error with Retry rather than as a sign-in that cannot work either.
   */
  tessera_client_set_token (silent->client, token);
  tessera_secret_free (token);
  show_accounts (self, silent->client, silent->username);
}

void
tessera_window_start (TesseraWindow *self,
                      const char    *server,
                      const char    *username)
{
  g_autoptr(TesseraClient) client = NULL;
  SilentSignIn *silent;

  g_return_if_fail (TESSERA_IS_WINDOW (self));

  drop_session (self);
  restart_cancellable (self);
  tessera_window_prefill (self, server != NULL ? server : "", username != NULL ? username : "");

  if (server == NULL || server[0] == '\0' || username == NULL || username[0] == '\0' ||
      !(client = tessera_pins_create_client (self->settings, server, NULL)))
    {
      show_sign_in (self, NULL);
      return;
    }

  release_focus (self);
  gtk_stack_set_visible_child_name (self->stack, "starting");
  /* TRANSLATORS: the window title (for the window list) during a silent sign-in */
  gtk_window_set_title (GTK_WINDOW (self), _("Signing in — Tessera"));

  silent = g_new0 (SilentSignIn, 1);
  silent->window = g_object_ref (self);
  silent->client = g_steal_pointer (&client);
  silent->username = g_strdup (username);
  tessera_credentials_lookup_async (tessera_client_get_server_url (silent->client),
                                    silent->username, self->cancellable, on_token_found, silent);
}

void
tessera_window_prefill (TesseraWindow *self,
                        const char    *server,
                        const char    *username)
{
  g_return_if_fail (TESSERA_IS_WINDOW (self));

  if (server != NULL)
    tessera_sign_in_page_set_server (self->sign_in_page, server);
  if (username != NULL)
    tessera_sign_in_page_set_username (self->sign_in_page, username);
}

const char *
tessera_window_get_visible_page (TesseraWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
tessera_window_get_sign_in_page (TesseraWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->sign_in_page);
}

void
tessera_window_review_request (TesseraWindow *self,
                               const char    *request_id)
{
  g_return_if_fail (TESSERA_IS_WINDOW (self));
  g_return_if_fail (request_id != NULL);

  /* Before the session is there (a notification clicked while signing in), after it */
  if (self->accounts_page == NULL)
    {
      g_free (self->review_id);
      self->review_id = g_strdup (request_id);
      return;
    }

  tessera_accounts_page_review_request (TESSERA_ACCOUNTS_PAGE (self->accounts_page), request_id);
}

void
tessera_window_show_preferences (TesseraWindow *self)
{
  g_return_if_fail (TESSERA_IS_WINDOW (self));

  /* The settings are the server's: without a session there are none to show */
  if (self->accounts_page != NULL)
    gtk_widget_activate_action (self->accounts_page, "accounts.preferences", NULL);
}

GtkWidget *
tessera_window_get_accounts_page (TesseraWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_WINDOW (self), NULL);

  return self->accounts_page;
}

static void
on_signed_out (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The keyring item goes either way; a token the server could not revoke expires there */
  if (!tessera_client_sign_out_finish (TESSERA_CLIENT (source), result, &error))
    g_debug ("The server did not revoke the session: %s", error->message);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TesseraWindow *self = TESSERA_WINDOW (widget);
  g_autoptr(TesseraClient) client = NULL;

  if (self->client == NULL)
    return;

  client = g_object_ref (self->client);
  tessera_client_sign_out_async (client, NULL, on_signed_out, NULL);
  forget_session (self);
  drop_session (self);
  restart_cancellable (self);

  tessera_window_prefill (self, self->server_url, self->username);
  show_sign_in (self, NULL);
}

static void
restore_size (TesseraWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
tessera_window_close_request (GtkWindow *window)
{
  TesseraWindow *self = TESSERA_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  return GTK_WINDOW_CLASS (tessera_window_parent_class)->close_request (window);
}

static void
tessera_window_constructed (GObject *object)
{
  TesseraWindow *self = (TesseraWindow *) object;

  G_OBJECT_CLASS (tessera_window_parent_class)->constructed (object);

  self->sign_in_page = TESSERA_SIGN_IN_PAGE (tessera_sign_in_page_new (self->settings));
  g_signal_connect_object (self->sign_in_page, "signed-in", G_CALLBACK (on_signed_in), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->sign_in_page), "sign-in");
  gtk_stack_set_visible_child_name (self->stack, "sign-in");

  restore_size (self);
}

static void
tessera_window_dispose (GObject *object)
{
  TesseraWindow *self = (TesseraWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client != NULL)
    tessera_client_stop_events (self->client);
  g_clear_object (&self->notifier);
  g_clear_object (&self->client);
  self->sign_in_page = NULL;
  self->accounts_page = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), TESSERA_TYPE_WINDOW);

  G_OBJECT_CLASS (tessera_window_parent_class)->dispose (object);
}

static void
tessera_window_finalize (GObject *object)
{
  TesseraWindow *self = (TesseraWindow *) object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->review_id, g_free);

  G_OBJECT_CLASS (tessera_window_parent_class)->finalize (object);
}

static void
tessera_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TesseraWindow *self = TESSERA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TesseraWindow *self = TESSERA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_window_class_init (TesseraWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tessera_window_constructed;
  object_class->dispose = tessera_window_dispose;
  object_class->finalize = tessera_window_finalize;
  object_class->get_property = tessera_window_get_property;
  object_class->set_property = tessera_window_set_property;

  window_class->close_request = tessera_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/ui/"
                                               "tessera-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TesseraWindow, stack);

  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);

  g_type_ensure (TESSERA_TYPE_SIGN_IN_PAGE);
}

static void
tessera_window_init (TesseraWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", FALSE);
}

TesseraWindow *
tessera_window_new (GtkApplication *application,
                    GSettings      *settings)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (TESSERA_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       NULL);
}

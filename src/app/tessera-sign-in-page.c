/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-sign-in-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-certificate-dialog.h"
#include "tessera-pins.h"
#include "tessera-sign-in-page-private.h"

struct _TesseraSignInPage
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkWidget      *form;
  AdwEntryRow    *server_row;
  AdwEntryRow    *username_row;
  AdwEntryRow    *password_row;
  GtkWidget      *error_box;
  GtkLabel       *error_label;
  GtkSpinner     *spinner;
  GtkWidget      *sign_in_button;

  /* Owned */
  GSettings      *settings;
  GCancellable   *cancellable;
  TesseraClient  *client;       /* the one signing in */

  gboolean        busy;
};

G_DEFINE_FINAL_TYPE (TesseraSignInPage, tessera_sign_in_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void sign_in (TesseraSignInPage *self);

static const char *
field_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static void
update_actions (TesseraSignInPage *self)
{
  gboolean complete = !is_blank (field_text (self->server_row)) &&
                      !is_blank (field_text (self->username_row)) &&
                      field_text (self->password_row)[0] != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in", complete && !self->busy);
}

static void
set_busy (TesseraSignInPage *self,
          gboolean           busy)
{
  if (self->busy == busy)
    return;

  /*
   * A focused entry that turns insensitive keeps blinking without ever hearing it lost the
   * focus; let go of the focus properly first (the error paths give it back).
   */
  if (busy)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

      if (focus != NULL && gtk_widget_is_ancestor (focus, self->form))
        gtk_root_set_focus (root, NULL);
    }

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->form, !busy);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* What went wrong, in words a person can act on */
static char *
describe_error (const GError *error,
                const char   *host)
{
  if (error->domain != TESSERA_CLIENT_ERROR)
    return g_strdup (error->message);

  switch ((TesseraClientError) error->code)
    {
    case TESSERA_CLIENT_ERROR_INVALID_CREDENTIALS:
      return g_strdup (_("The username or password is wrong."));

    case TESSERA_CLIENT_ERROR_INVALID_URL:
      return g_strdup (_("Enter the server address, such as https://rooms.example.org."));

    case TESSERA_CLIENT_ERROR_NETWORK:
      return g_strdup_printf (_("Cannot reach %s. Check the address and your network connection."),
                              host);

    case TESSERA_CLIENT_ERROR_TIMEOUT:
      return g_strdup_printf (_("%s did not answer in time. Try again later."), host);

    case TESSERA_CLIENT_ERROR_NOT_TESSERA:
      return g_strdup_printf (_("%s answers, but it is not a Tessera server. Check the address."),
                              host);

    case TESSERA_CLIENT_ERROR_TLS:
      return g_strdup_printf (_("The certificate of %s is not trusted, so Tessera did not "
                                "sign in."),
                              host);

    case TESSERA_CLIENT_ERROR_RATE_LIMITED:
      return g_strdup (_("Too many attempts. Wait a few minutes, then try again."));

    case TESSERA_CLIENT_ERROR_SERVICE_UNAVAILABLE:
      return g_strdup_printf (_("%s is not available at the moment. Try again later."), host);

    case TESSERA_CLIENT_ERROR_NOT_AUTHORIZED:
    case TESSERA_CLIENT_ERROR_FORBIDDEN:
    case TESSERA_CLIENT_ERROR_NOT_FOUND:
    case TESSERA_CLIENT_ERROR_CONFLICT:
    case TESSERA_CLIENT_ERROR_GONE:
    case TESSERA_CLIENT_ERROR_INVALID_REQUEST:
    case TESSERA_CLIENT_ERROR_SERVER_ERROR:
    case TESSERA_CLIENT_ERROR_INVALID_RESPONSE:
    default:
      return g_strdup (error->message);
    }
}

static void
on_certificate_response (TesseraSignInPage        *self,
                         const char               *response,
                         TesseraCertificateDialog *dialog)
{
  g_autoptr(TesseraClient) client = g_steal_pointer (&self->client);

  if (client == NULL)
    return;

  if (g_strcmp0 (response, TESSERA_CERTIFICATE_DIALOG_RESPONSE_TRUST) == 0)
    {
      /* The admin compared the fingerprint and chose this one certificate */
      tessera_pins_store (self->settings, tessera_client_get_server_url (client),
                          tessera_certificate_dialog_get_fingerprint (dialog));
      sign_in (self);
    }
  else
    {
      g_autofree char *message =
        g_strdup_printf (_("The certificate of %s is not trusted, so Tessera did not sign in."),
                         tessera_client_get_host (client));

      tessera_sign_in_page_set_error (self, message);
      tessera_sign_in_page_focus_first_empty (self);
    }
}

static void
ask_to_trust (TesseraSignInPage *self,
              const GError      *error)
{
  GTlsCertificate *certificate = tessera_client_error_get_peer_certificate (error);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (certificate == NULL)
    {
      g_autofree char *message = describe_error (error, tessera_client_get_host (self->client));

      tessera_sign_in_page_set_error (self, message);
      g_clear_object (&self->client);
      return;
    }

  dialog = tessera_certificate_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                           tessera_client_get_host (self->client),
                                           certificate,
                                           tessera_client_error_get_tls_errors (error));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_certificate_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_sign_in_finished (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TesseraSignInPage) self = user_data;
  g_autoptr(TesseraSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = tessera_client_sign_in_finish (TESSERA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (session == NULL)
    {
      if (g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TLS))
        {
          ask_to_trust (self, error);
        }
      else
        {
          g_autofree char *message =
            describe_error (error, tessera_client_get_host (TESSERA_CLIENT (source)));

          tessera_sign_in_page_set_error (self, message);
          g_clear_object (&self->client);
          if (g_error_matches (error, TESSERA_CLIENT_ERROR,
                               TESSERA_CLIENT_ERROR_INVALID_CREDENTIALS))
            gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
          else
            tessera_sign_in_page_focus_first_empty (self);
        }
      return;
    }

  /* The password is not kept anywhere: the session token replaces it */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  {
    g_autoptr(TesseraClient) client = g_steal_pointer (&self->client);

    g_signal_emit (self, signals[SIGNED_IN], 0, client, session);
  }
}

static void
sign_in (TesseraSignInPage *self)
{
  g_autoptr(TesseraClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;

  if (self->busy)
    return;

  server = g_strstrip (g_strdup (field_text (self->server_row)));
  username = g_strstrip (g_strdup (field_text (self->username_row)));

  client = tessera_pins_create_client (self->settings, server, &error);
  if (client == NULL)
    {
      g_autofree char *message = describe_error (error, server);

      tessera_sign_in_page_set_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }

  tessera_sign_in_page_set_error (self, NULL);
  set_busy (self, TRUE);
  g_set_object (&self->client, client);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  tessera_client_sign_in_async (client, username, field_text (self->password_row),
                                self->cancellable, on_sign_in_finished, g_object_ref (self));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sign_in (TESSERA_SIGN_IN_PAGE (widget));
}

static void
on_field_changed (TesseraSignInPage *self)
{
  update_actions (self);
}

static void
on_entry_activated (TesseraSignInPage *self,
                    AdwEntryRow       *row)
{
  /* Enter signs in when the form is complete, else moves on to the next empty field */
  if (gtk_widget_is_sensitive (GTK_WIDGET (self)) &&
      !is_blank (field_text (self->server_row)) &&
      !is_blank (field_text (self->username_row)) &&
      field_text (self->password_row)[0] != '\0')
    gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.sign-in", NULL);
  else
    tessera_sign_in_page_focus_first_empty (self);
}

void
tessera_sign_in_page_focus_first_empty (TesseraSignInPage *self)
{
  g_return_if_fail (TESSERA_IS_SIGN_IN_PAGE (self));

  if (is_blank (field_text (self->server_row)))
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else if (is_blank (field_text (self->username_row)))
    gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

const char *
tessera_sign_in_page_get_server (TesseraSignInPage *self)
{
  g_return_val_if_fail (TESSERA_IS_SIGN_IN_PAGE (self), NULL);

  return field_text (self->server_row);
}

void
tessera_sign_in_page_set_server (TesseraSignInPage *self,
                                 const char        *server)
{
  g_return_if_fail (TESSERA_IS_SIGN_IN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server != NULL ? server : "");
}

const char *
tessera_sign_in_page_get_username (TesseraSignInPage *self)
{
  g_return_val_if_fail (TESSERA_IS_SIGN_IN_PAGE (self), NULL);

  return field_text (self->username_row);
}

void
tessera_sign_in_page_set_username (TesseraSignInPage *self,
                                   const char        *username)
{
  g_return_if_fail (TESSERA_IS_SIGN_IN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username != NULL ? username : "");
}

void
tessera_sign_in_page_set_error (TesseraSignInPage *self,
                                const char        *message)
{
  g_return_if_fail (TESSERA_IS_SIGN_IN_PAGE (self));

  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->error_box, message != NULL);
}

const char *
tessera_sign_in_page_get_error (TesseraSignInPage *self)
{
  g_return_val_if_fail (TESSERA_IS_SIGN_IN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (self->error_box))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

gboolean
tessera_sign_in_page_get_busy (TesseraSignInPage *self)
{
  g_return_val_if_fail (TESSERA_IS_SIGN_IN_PAGE (self), FALSE);

  return self->busy;
}

void
tessera_sign_in_page_reset (TesseraSignInPage *self)
{
  g_return_if_fail (TESSERA_IS_SIGN_IN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  tessera_sign_in_page_set_error (self, NULL);
}

GtkWidget *
_tessera_sign_in_page_get_server_row (TesseraSignInPage *self)
{
  return GTK_WIDGET (self->server_row);
}

GtkWidget *
_tessera_sign_in_page_get_username_row (TesseraSignInPage *self)
{
  return GTK_WIDGET (self->username_row);
}

GtkWidget *
_tessera_sign_in_page_get_password_row (TesseraSignInPage *self)
{
  return GTK_WIDGET (self->password_row);
}

GtkWidget *
_tessera_sign_in_page_get_sign_in_button (TesseraSignInPage *self)
{
  return self->sign_in_button;
}

static void
tessera_sign_in_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tessera_sign_in_page_parent_class)->map (widget);

  tessera_sign_in_page_focus_first_empty (TESSERA_SIGN_IN_PAGE (widget));
}

static void
tessera_sign_in_page_dispose (GObject *object)
{
  TesseraSignInPage *self = (TesseraSignInPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);

  /* AdwBin lets go of its child first, or the template would unparent it under AdwBin */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESSERA_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (tessera_sign_in_page_parent_class)->dispose (object);
}

static void
tessera_sign_in_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TesseraSignInPage *self = TESSERA_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_sign_in_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TesseraSignInPage *self = TESSERA_SIGN_IN_PAGE (object);

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
tessera_sign_in_page_class_init (TesseraSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tessera_sign_in_page_dispose;
  object_class->get_property = tessera_sign_in_page_get_property;
  object_class->set_property = tessera_sign_in_page_set_property;

  widget_class->map = tessera_sign_in_page_map;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TesseraSignInPage::signed-in:
   * @client: a client holding the new session token
   * @session: the session
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TESSERA_TYPE_CLIENT, TESSERA_TYPE_SESSION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/ui/"
                                               "tessera-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TesseraSignInPage, form);
  gtk_widget_class_bind_template_child (widget_class, TesseraSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, TesseraSignInPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, TesseraSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TesseraSignInPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, TesseraSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TesseraSignInPage, sign_in_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "sign-in.sign-in", NULL, sign_in_action);
}

static void
tessera_sign_in_page_init (TesseraSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

GtkWidget *
tessera_sign_in_page_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (TESSERA_TYPE_SIGN_IN_PAGE, "settings", settings, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-generate-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-generate-window-private.h"

/*
 * The frame of the assistant: the pages, the header bar's buttons, the title that says where
 * the admin is, and closing (with a confirmation while codes exist that nobody kept). Each
 * page lives in its own file (tessera-generate-window-<page>.c).
 */

G_DEFINE_FINAL_TYPE (TesseraGenerateWindow, tessera_generate_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const page_names[] = {
  [TESSERA_GENERATE_PAGE_SELECTION] = "selection",
  [TESSERA_GENERATE_PAGE_CONFIGURATION] = "configuration",
  [TESSERA_GENERATE_PAGE_REVIEW] = "review",
  [TESSERA_GENERATE_PAGE_RESULTS] = "results",
};

TesseraGeneratePage
tessera_generate_window_get_page (TesseraGenerateWindow *self)
{
  const char *name;

  g_return_val_if_fail (TESSERA_IS_GENERATE_WINDOW (self), TESSERA_GENERATE_PAGE_SELECTION);

  name = gtk_stack_get_visible_child_name (self->stack);
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (g_strcmp0 (name, page_names[i]) == 0)
      return i;

  g_return_val_if_reached (TESSERA_GENERATE_PAGE_SELECTION);
}

static const char *
page_title (TesseraGeneratePage page)
{
  switch (page)
    {
    case TESSERA_GENERATE_PAGE_SELECTION:
      /* TRANSLATORS: the assistant's title on its first page */
      return _("Generate OTP · Account selection (1 of 3)");
    case TESSERA_GENERATE_PAGE_CONFIGURATION:
      return _("Generate OTP · Configuration (2 of 3)");
    case TESSERA_GENERATE_PAGE_REVIEW:
      return _("Generate OTP · Review (3 of 3)");
    case TESSERA_GENERATE_PAGE_RESULTS:
    default:
      return _("Generate OTP · One-time passwords");
    }
}

void
_tessera_generate_window_update_actions (TesseraGenerateWindow *self)
{
  TesseraGeneratePage page = tessera_generate_window_get_page (self);
  gboolean next = FALSE;

  if (page == TESSERA_GENERATE_PAGE_SELECTION)
    next = _tessera_generate_window_selection_ready (self);
  else if (page == TESSERA_GENERATE_PAGE_CONFIGURATION)
    next = _tessera_generate_window_configuration_ready (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.next", next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.back",
                                 page == TESSERA_GENERATE_PAGE_CONFIGURATION ||
                                 page == TESSERA_GENERATE_PAGE_REVIEW);
  /* Review shows what Next has allowed; the check is repeated in case the accounts changed */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.generate",
                                 page == TESSERA_GENERATE_PAGE_REVIEW &&
                                 _tessera_generate_window_selection_ready (self) &&
                                 _tessera_generate_window_configuration_ready (self));
}

void
_tessera_generate_window_go_to (TesseraGenerateWindow *self,
                                TesseraGeneratePage    page)
{
  const char *title = page_title (page);

  g_assert (page < G_N_ELEMENTS (page_names));

  /* Moving on: the focus must not stay on a widget of the page that goes */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);

  if (page == TESSERA_GENERATE_PAGE_CONFIGURATION)
    _tessera_generate_window_revalidate (self);
  else if (page == TESSERA_GENERATE_PAGE_REVIEW)
    _tessera_generate_window_update_review (self);

  gtk_stack_set_visible_child_name (self->stack, page_names[page]);
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);

  gtk_widget_set_visible (self->cancel_button, page != TESSERA_GENERATE_PAGE_RESULTS);
  gtk_widget_set_visible (self->back_button, page == TESSERA_GENERATE_PAGE_CONFIGURATION ||
                                             page == TESSERA_GENERATE_PAGE_REVIEW);
  gtk_widget_set_visible (self->next_button, page == TESSERA_GENERATE_PAGE_SELECTION ||
                                             page == TESSERA_GENERATE_PAGE_CONFIGURATION);
  gtk_widget_set_visible (self->generate_button, page == TESSERA_GENERATE_PAGE_REVIEW);
  gtk_widget_set_visible (self->done_button, page == TESSERA_GENERATE_PAGE_RESULTS);

  _tessera_generate_window_update_actions (self);

  /* Enter presses the page's main button */
  if (page == TESSERA_GENERATE_PAGE_SELECTION)
    {
      gtk_window_set_default_widget (GTK_WINDOW (self), self->next_button);
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
  else if (page == TESSERA_GENERATE_PAGE_CONFIGURATION)
    {
      gtk_window_set_default_widget (GTK_WINDOW (self), self->next_button);
      gtk_widget_grab_focus (GTK_WIDGET (self->generate_check));
    }
  else if (page == TESSERA_GENERATE_PAGE_REVIEW)
    {
      gtk_window_set_default_widget (GTK_WINDOW (self), self->generate_button);
      gtk_widget_grab_focus (self->generate_button);
    }
  else
    {
      gtk_window_set_default_widget (GTK_WINDOW (self), self->done_button);
    }
}

void
_tessera_generate_window_add_toast (TesseraGenerateWindow *self,
                                    const char            *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

char *
_tessera_generate_window_describe_error (TesseraGenerateWindow *self,
                                         const GError          *error)
{
  const char *host = tessera_client_get_host (self->client);

  if (error->domain == TESSERA_CLIENT_ERROR)
    switch ((TesseraClientError) error->code)
      {
      case TESSERA_CLIENT_ERROR_NETWORK:
        return g_strdup_printf (_("Cannot reach %s. Check your network connection."), host);
      case TESSERA_CLIENT_ERROR_TIMEOUT:
        return g_strdup_printf (_("%s did not answer in time."), host);
      case TESSERA_CLIENT_ERROR_NOT_AUTHORIZED:
        return g_strdup (_("Your session has ended. Sign in again."));
      case TESSERA_CLIENT_ERROR_FORBIDDEN:
        return g_strdup (_("Your account may not generate one-time passwords."));
      case TESSERA_CLIENT_ERROR_SERVICE_UNAVAILABLE:
        return g_strdup_printf (_("%s is not available at the moment."), host);
      default:
        break;
      }

  return g_strdup (error->message);
}

/* Navigation */

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (widget);

  switch (tessera_generate_window_get_page (self))
    {
    case TESSERA_GENERATE_PAGE_SELECTION:
      if (!_tessera_generate_window_selection_ready (self))
        return;
      /* After Edit, straight back to Review, unless the new selection needs the file again */
      _tessera_generate_window_revalidate (self);
      if (self->return_to_review && _tessera_generate_window_configuration_ready (self))
        _tessera_generate_window_go_to (self, TESSERA_GENERATE_PAGE_REVIEW);
      else
        _tessera_generate_window_go_to (self, TESSERA_GENERATE_PAGE_CONFIGURATION);
      break;

    case TESSERA_GENERATE_PAGE_CONFIGURATION:
      if (!_tessera_generate_window_configuration_ready (self))
        return;
      _tessera_generate_window_go_to (self, TESSERA_GENERATE_PAGE_REVIEW);
      break;

    case TESSERA_GENERATE_PAGE_REVIEW:
    case TESSERA_GENERATE_PAGE_RESULTS:
    default:
      break;
    }
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (widget);

  /* Back is the plain order of the pages again */
  self->return_to_review = FALSE;

  switch (tessera_generate_window_get_page (self))
    {
    case TESSERA_GENERATE_PAGE_CONFIGURATION:
      _tessera_generate_window_go_to (self, TESSERA_GENERATE_PAGE_SELECTION);
      break;

    case TESSERA_GENERATE_PAGE_REVIEW:
      _tessera_generate_window_go_to (self, TESSERA_GENERATE_PAGE_CONFIGURATION);
      break;

    case TESSERA_GENERATE_PAGE_SELECTION:
    case TESSERA_GENERATE_PAGE_RESULTS:
    default:
      break;
    }
}

static void
edit_selection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (widget);

  self->return_to_review = TRUE;
  _tessera_generate_window_go_to (self, TESSERA_GENERATE_PAGE_SELECTION);
}

static void
edit_configuration_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (widget);

  self->return_to_review = TRUE;
  _tessera_generate_window_go_to (self, TESSERA_GENERATE_PAGE_CONFIGURATION);
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (widget);

  if (tessera_generate_window_get_page (self) != TESSERA_GENERATE_PAGE_REVIEW ||
      !_tessera_generate_window_selection_ready (self) ||
      !_tessera_generate_window_configuration_ready (self))
    return;

  _tessera_generate_window_go_to (self, TESSERA_GENERATE_PAGE_RESULTS);
  _tessera_generate_window_generate (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* Closing */

static gboolean
close_later (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_close_response (TesseraGenerateWindow *self,
                   const char            *response)
{
  if (g_strcmp0 (response, "close") != 0)
    return;

  /* Not from inside the dialog's own response: the dialog goes first, then its parent */
  self->close_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_later, g_object_ref (self), g_object_unref);
}

static gboolean
tessera_generate_window_close_request (GtkWindow *window)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (window);
  AdwMessageDialog *dialog;

  if (self->close_confirmed || !_tessera_generate_window_needs_confirmation (self))
    return GTK_WINDOW_CLASS (tessera_generate_window_parent_class)->close_request (window);

  if (self->generating)
    dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (window, _("Stop Generating?"),
                              _("The one-time passwords generated so far are shown only on "
                                "the next page. If you close now, you will have to generate "
                                "new ones for these accounts.")));
  else
    dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (window, _("Close Without Keeping the One-Time Passwords?"),
                              _("They are shown only once: copy, save or print them first. "
                                "If you close now, you will have to generate new ones, and "
                                "these stop working.")));

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep Open"),
                                    "close", _("_Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "close", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

/* Parts, for tests */

gpointer
_tessera_generate_window_get_part (TesseraGenerateWindow *self,
                                   TesseraGeneratePart    part)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_WINDOW (self), NULL);

  switch (part)
    {
    case TESSERA_GENERATE_PART_WINDOW_TITLE:           return self->window_title;
    case TESSERA_GENERATE_PART_SEARCH_ENTRY:           return self->search_entry;
    case TESSERA_GENERATE_PART_READY_ONLY_SWITCH:      return self->ready_only_switch;
    case TESSERA_GENERATE_PART_ACCOUNT_LIST:           return self->account_list;
    case TESSERA_GENERATE_PART_SELECTED_LABEL:         return self->selected_label;
    case TESSERA_GENERATE_PART_LEFT_OUT_LABEL:         return self->left_out_label;
    case TESSERA_GENERATE_PART_GENERATE_CHECK:         return self->generate_check;
    case TESSERA_GENERATE_PART_UPLOAD_CHECK:           return self->upload_check;
    case TESSERA_GENERATE_PART_FILE_LABEL:             return self->file_label;
    case TESSERA_GENERATE_PART_PROBLEMS_BOX:           return self->problems_box;
    case TESSERA_GENERATE_PART_VALIDITY_ROW:           return self->validity_row;
    case TESSERA_GENERATE_PART_CUSTOM_VALIDITY_SPIN:   return self->custom_validity_spin;
    case TESSERA_GENERATE_PART_REVIEW_ACCOUNTS_GROUP:  return self->review_accounts_group;
    case TESSERA_GENERATE_PART_REVIEW_ACCOUNTS_LABEL:  return self->review_accounts_label;
    case TESSERA_GENERATE_PART_REVIEW_PASSWORDS_ROW:   return self->review_passwords_row;
    case TESSERA_GENERATE_PART_REVIEW_VALIDITY_ROW:    return self->review_validity_row;
    case TESSERA_GENERATE_PART_RESULTS_STACK:          return self->results_stack;
    case TESSERA_GENERATE_PART_PROGRESS_LABEL:         return self->progress_label;
    case TESSERA_GENERATE_PART_RESULTS_LIST:           return self->results_list;
    case TESSERA_GENERATE_PART_RESULTS_SUMMARY_LABEL:  return self->results_summary_label;
    case TESSERA_GENERATE_PART_INCLUDE_PASSWORDS_CHECK: return self->include_passwords_check;
    case TESSERA_GENERATE_PART_STACK:                  return self->stack;
    default:                                           g_return_val_if_reached (NULL);
    }
}

TesseraAccountsModel *
tessera_generate_window_get_accounts (TesseraGenerateWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_WINDOW (self), NULL);

  return self->accounts;
}

GListModel *
_tessera_generate_window_get_results (TesseraGenerateWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_WINDOW (self), NULL);

  return G_LIST_MODEL (self->results);
}

gboolean
_tessera_generate_window_is_generating (TesseraGenerateWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_WINDOW (self), FALSE);

  return self->generating;
}

gboolean
_tessera_generate_window_get_codes_kept (TesseraGenerateWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_WINDOW (self), FALSE);

  return self->codes_kept;
}

TesseraSignInCsv *
_tessera_generate_window_get_sign_in_csv (TesseraGenerateWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_WINDOW (self), NULL);

  return self->sign_in_csv;
}

gboolean
_tessera_generate_window_is_loading_csv (TesseraGenerateWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_WINDOW (self), FALSE);

  return self->csv_loading;
}

/* GObject */

static void
tessera_generate_window_constructed (GObject *object)
{
  TesseraGenerateWindow *self = (TesseraGenerateWindow *) object;

  G_OBJECT_CLASS (tessera_generate_window_parent_class)->constructed (object);

  g_assert (self->client != NULL);
  g_assert (self->source != NULL);

  _tessera_generate_window_selection_start (self);
  /* Only the selection and the accounts were needed from the main window's model */
  g_clear_object (&self->source);
  _tessera_generate_window_configuration_init (self);
  _tessera_generate_window_results_init (self);

  _tessera_generate_window_go_to (self, TESSERA_GENERATE_PAGE_SELECTION);
}

static void
tessera_generate_window_dispose (GObject *object)
{
  TesseraGenerateWindow *self = (TesseraGenerateWindow *) object;

  g_cancellable_cancel (self->cancellable);

  _tessera_generate_window_selection_dispose (self);
  _tessera_generate_window_configuration_dispose (self);
  _tessera_generate_window_results_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TESSERA_TYPE_GENERATE_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->account_list_model);
  g_clear_object (&self->accounts);
  g_clear_object (&self->source);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tessera_generate_window_parent_class)->dispose (object);
}

static void
tessera_generate_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_SOURCE:
      self->source = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_generate_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_generate_window_class_init (TesseraGenerateWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tessera_generate_window_constructed;
  object_class->dispose = tessera_generate_window_dispose;
  object_class->get_property = tessera_generate_window_get_property;
  object_class->set_property = tessera_generate_window_set_property;

  window_class->close_request = tessera_generate_window_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TESSERA_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The main window's accounts; read once, when the assistant is made */
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, TESSERA_TYPE_ACCOUNTS_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/ui/"
                                               "tessera-generate-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, generate_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, done_button);

  gtk_widget_class_install_action (widget_class, "generate.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "generate.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "generate.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "generate.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "generate.edit-selection", NULL,
                                   edit_selection_action);
  gtk_widget_class_install_action (widget_class, "generate.edit-configuration", NULL,
                                   edit_configuration_action);

  /* Escape is Cancel, on every page (closing asks first while codes are unkept) */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "generate.cancel", NULL);

  _tessera_generate_window_selection_class_init (widget_class);
  _tessera_generate_window_configuration_class_init (widget_class);
  _tessera_generate_window_review_class_init (widget_class);
  _tessera_generate_window_results_class_init (widget_class);
}

static void
tessera_generate_window_init (TesseraGenerateWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  _tessera_generate_window_selection_init (self);
}

GtkWidget *
tessera_generate_window_new (GtkWindow            *parent,
                             TesseraClient        *client,
                             TesseraAccountsModel *accounts)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TESSERA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (accounts), NULL);

  return g_object_new (TESSERA_TYPE_GENERATE_WINDOW,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       "client", client,
                       "source", accounts,
                       NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-generate-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-account-text.h"
#include "tessera-generate-account-row.h"
#include "tessera-generate-window-private.h"

/*
 * Page 1, Account selection. The list is a second TesseraAccountsModel over the main window's
 * account objects (tessera_accounts_model_new_sharing()), so its search stays as fast as the
 * main list's at 100 000 accounts and its filters and selection are its own. The list view sees
 * it through a GtkNoSelection: only the check buttons select, and every way of selecting goes
 * through tessera_generate_window_set_account_selected(), which lets only ready accounts in.
 * Should anything else select in the model, on_selection_changed() takes the unready ones
 * out again.
 */

static gboolean
is_ready (TesseraAccount *account)
{
  return tessera_account_get_readiness (account) == TESSERA_READINESS_READY;
}

static void
update_selected_label (TesseraGenerateWindow *self)
{
  guint n_selected = tessera_accounts_model_get_n_selected (self->accounts);
  g_autofree char *count = tessera_format_count (n_selected);
  g_autofree char *text =
    /* TRANSLATORS: "4 selected", of the accounts in the assistant */
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s selected", "%s selected", n_selected),
                     count);

  gtk_label_set_label (self->selected_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.clear", n_selected > 0);
}

static void
sync_rows (TesseraGenerateWindow *self)
{
  for (guint i = 0; i < self->bound_rows->len; i++)
    {
      TesseraGenerateAccountRow *row = g_ptr_array_index (self->bound_rows, i);
      TesseraAccount *account = tessera_generate_account_row_get_account (row);

      tessera_generate_account_row_set_selected (
        row, account != NULL && tessera_accounts_model_get_account_selected (self->accounts,
                                                                             account));
    }
}

/* Takes out of the selection every account that is not ready (now) */
static void
unselect_unready (TesseraGenerateWindow *self)
{
  g_autoptr(GPtrArray) selected = tessera_accounts_model_get_selected (self->accounts);

  self->selecting = TRUE;
  for (guint i = 0; i < selected->len; i++)
    {
      TesseraAccount *account = g_ptr_array_index (selected, i);

      if (!is_ready (account))
        tessera_accounts_model_set_account_selected (self->accounts, account, FALSE);
    }
  self->selecting = FALSE;
}

static void
on_selection_changed (TesseraGenerateWindow *self)
{
  if (!self->selecting)
    unselect_unready (self);

  sync_rows (self);
  update_selected_label (self);
  _tessera_generate_window_update_actions (self);
}

gboolean
tessera_generate_window_set_account_selected (TesseraGenerateWindow *self,
                                              TesseraAccount        *account,
                                              gboolean               selected)
{
  TesseraAccount *known;

  g_return_val_if_fail (TESSERA_IS_GENERATE_WINDOW (self), FALSE);
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (account), FALSE);

  known = tessera_accounts_model_lookup (self->accounts, tessera_account_get_id (account));
  if (known == NULL || (selected && !is_ready (known)))
    return FALSE;

  self->selecting = TRUE;
  tessera_accounts_model_set_account_selected (self->accounts, known, selected);
  self->selecting = FALSE;

  return TRUE;
}

void
_tessera_generate_window_select_all (TesseraGenerateWindow *self)
{
  GListModel *model = G_LIST_MODEL (self->accounts);
  g_autoptr(GtkBitset) ready = gtk_bitset_new_empty ();
  guint n_items = g_list_model_get_n_items (model);

  /* One change for all of them: one selection-changed, one notify */
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TesseraAccount) account = g_list_model_get_item (model, i);

      if (is_ready (account))
        gtk_bitset_add (ready, i);
    }

  self->selecting = TRUE;
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->accounts), ready, ready);
  self->selecting = FALSE;
}

void
_tessera_generate_window_clear_selection (TesseraGenerateWindow *self)
{
  self->selecting = TRUE;
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->accounts));
  self->selecting = FALSE;
}

gboolean
_tessera_generate_window_selection_ready (TesseraGenerateWindow *self)
{
  return self->accounts != NULL && tessera_accounts_model_get_n_selected (self->accounts) > 0;
}

GPtrArray *
_tessera_generate_window_get_selected (TesseraGenerateWindow *self)
{
  GPtrArray *selected = tessera_accounts_model_get_selected (self->accounts);

  for (guint i = selected->len; i > 0; i--)
    if (!is_ready (g_ptr_array_index (selected, i - 1)))
      g_ptr_array_remove_index (selected, i - 1);

  return selected;
}

/* The list */

static void
on_row_toggled (TesseraGenerateAccountRow *row,
                gboolean                   active,
                TesseraGenerateWindow     *self)
{
  TesseraAccount *account = tessera_generate_account_row_get_account (row);

  /* A refused check (an account that is not ready) goes back to what the model says */
  if (!tessera_generate_window_set_account_selected (self, account, active))
    tessera_generate_account_row_set_selected (
      row, tessera_accounts_model_get_account_selected (self->accounts, account));
}

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          TesseraGenerateWindow    *self)
{
  GtkWidget *row = tessera_generate_account_row_new ();

  gtk_list_item_set_child (item, row);
  gtk_list_item_set_selectable (item, FALSE);
  g_signal_connect (row, "toggled", G_CALLBACK (on_row_toggled), self);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         TesseraGenerateWindow    *self)
{
  TesseraGenerateAccountRow *row = TESSERA_GENERATE_ACCOUNT_ROW (gtk_list_item_get_child (item));
  TesseraAccount *account = gtk_list_item_get_item (item);

  tessera_generate_account_row_set_account (row, account);
  tessera_generate_account_row_set_selected (
    row, tessera_accounts_model_get_account_selected (self->accounts, account));
  g_ptr_array_add (self->bound_rows, row);
}

static void
on_unbind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           TesseraGenerateWindow    *self)
{
  TesseraGenerateAccountRow *row = TESSERA_GENERATE_ACCOUNT_ROW (gtk_list_item_get_child (item));

  tessera_generate_account_row_set_account (row, NULL);
  g_ptr_array_remove_fast (self->bound_rows, row);
}

static void
on_account_activated (TesseraGenerateWindow *self,
                      guint                  position)
{
  g_autoptr(TesseraAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts),
                                                             position);

  if (account != NULL)
    tessera_generate_window_set_account_selected (
      self, account, !tessera_accounts_model_get_account_selected (self->accounts, account));
}

static void
on_items_changed (TesseraGenerateWindow *self)
{
  gtk_stack_set_visible_child_name (self->selection_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) > 0
                                      ? "list" : "empty");
}

/* Search and filter */

static void
on_search_changed (TesseraGenerateWindow *self)
{
  if (self->accounts == NULL)
    return;
  tessera_accounts_model_set_query (self->accounts,
                                    gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* Escape in the search: the first clears it, the next one is Cancel */
static void
on_stop_search (TesseraGenerateWindow *self)
{
  if (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "generate.cancel", NULL);
}

static void
on_ready_only_changed (TesseraGenerateWindow *self)
{
  if (self->accounts == NULL)
    return;
  tessera_accounts_model_set_readiness_filter (self->accounts,
                                               gtk_switch_get_active (self->ready_only_switch)
                                                 ? TESSERA_READINESS_READY
                                                 : TESSERA_ACCOUNTS_FILTER_ANY);
}

/* An account that stops being ready leaves the selection at once */
static void
on_event (TesseraGenerateWindow *self,
          TesseraEvent          *event)
{
  TesseraAccount *fresh, *known;

  if (self->accounts == NULL ||
      tessera_event_get_event_type (event) != TESSERA_EVENT_ACCOUNT_UPDATED)
    return;

  fresh = tessera_event_get_account (event);
  if (fresh == NULL || tessera_account_get_id (fresh) == NULL || is_ready (fresh))
    return;

  known = tessera_accounts_model_lookup (self->accounts, tessera_account_get_id (fresh));
  if (known != NULL && tessera_accounts_model_get_account_selected (self->accounts, known))
    tessera_generate_window_set_account_selected (self, known, FALSE);
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  _tessera_generate_window_select_all (TESSERA_GENERATE_WINDOW (widget));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  _tessera_generate_window_clear_selection (TESSERA_GENERATE_WINDOW (widget));
}

void
_tessera_generate_window_selection_init (TesseraGenerateWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->bound_rows = g_ptr_array_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), self);
  gtk_list_view_set_factory (self->account_list, factory);
}

/* Once the properties are set: the accounts and the main window's selection */
void
_tessera_generate_window_selection_start (TesseraGenerateWindow *self)
{
  g_autoptr(GPtrArray) preselected = tessera_accounts_model_get_selected (self->source);

  self->accounts = tessera_accounts_model_new_sharing (self->source);

  /* Before anything listens: thousands of preselected accounts cost no signals */
  for (guint i = 0; i < preselected->len; i++)
    {
      TesseraAccount *account = g_ptr_array_index (preselected, i);

      if (is_ready (account))
        tessera_accounts_model_set_account_selected (self->accounts, account, TRUE);
      else
        self->n_left_out++;
    }
  on_ready_only_changed (self);

  if (self->n_left_out > 0)
    {
      g_autofree char *count = tessera_format_count (self->n_left_out);
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%s account selected in the main window is not ready "
                                      "and was left out.",
                                      "%s accounts selected in the main window are not ready "
                                      "and were left out.",
                                      self->n_left_out),
                         count);

      gtk_label_set_label (self->left_out_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->left_out_label), TRUE);
    }

  g_signal_connect_object (self->accounts, "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  /* Selections of hidden accounts change no visible position: only n-selected says so */
  g_signal_connect_object (self->accounts, "notify::n-selected",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->accounts, "items-changed",
                           G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "event", G_CALLBACK (on_event), self,
                           G_CONNECT_SWAPPED);

  self->account_list_model = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->accounts)));
  gtk_list_view_set_model (self->account_list, GTK_SELECTION_MODEL (self->account_list_model));

  on_items_changed (self);
  update_selected_label (self);
}

void
_tessera_generate_window_selection_dispose (TesseraGenerateWindow *self)
{
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  if (self->account_list != NULL)
    gtk_list_view_set_model (self->account_list, NULL);
  g_clear_pointer (&self->bound_rows, g_ptr_array_unref);
}

void
_tessera_generate_window_selection_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, ready_only_switch);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, selection_stack);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, account_list);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, selected_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, left_out_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_ready_only_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_account_activated);

  gtk_widget_class_install_action (widget_class, "generate.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "generate.clear", NULL, clear_action);
}

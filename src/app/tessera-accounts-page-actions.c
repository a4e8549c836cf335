/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-accounts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-accounts-page-private.h"
#include "tessera-generate-window.h"

/* The actions of the accounts page; the buttons, menus and shortcuts point at them. */

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TesseraAccountsPage *self = TESSERA_ACCOUNTS_PAGE (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _tessera_accounts_page_refresh (TESSERA_ACCOUNTS_PAGE (widget), FALSE);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TesseraAccountsPage *self = TESSERA_ACCOUNTS_PAGE (widget);

  /* The event stream retries by itself; if it gave up on the session, Retry restarts it */
  tessera_client_start_events (self->client);
  _tessera_accounts_page_load (self);
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _tessera_accounts_page_review_pending (TESSERA_ACCOUNTS_PAGE (widget));
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TesseraAccountsPage *self = TESSERA_ACCOUNTS_PAGE (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  tessera_accounts_model_set_query (self->model, "");
  gtk_drop_down_set_selected (self->readiness_dropdown, 0);
  gtk_drop_down_set_selected (self->provisioning_dropdown, 0);
}

static void
generate_otp_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TesseraAccountsPage *self = TESSERA_ACCOUNTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *assistant;

  /* The assistant reads the accounts and the selection now; later changes arrive as events */
  assistant = tessera_generate_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                           self->client, self->model);
  gtk_window_present (GTK_WINDOW (assistant));
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  _tessera_accounts_page_show_preferences (TESSERA_ACCOUNTS_PAGE (widget));
}

void
_tessera_accounts_page_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "accounts.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "accounts.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "accounts.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "accounts.review", NULL, review_action);
  gtk_widget_class_install_action (widget_class, "accounts.clear-filters", NULL,
                                   clear_filters_action);
  gtk_widget_class_install_action (widget_class, "accounts.generate-otp", NULL,
                                   generate_otp_action);
  gtk_widget_class_install_action (widget_class, "accounts.preferences", NULL,
                                   preferences_action);
}

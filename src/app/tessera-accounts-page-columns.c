/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-accounts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-account-cell.h"
#include "tessera-accounts-page-private.h"

/* The table's columns, and how the page fits narrow windows. */

/* Below this width the Site and Updated columns go and the filters move into a popover */
#define NARROW_WIDTH 600

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               TesseraAccountsPage      *self)
{
  TesseraAccountsColumn column =
    GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "tessera-column"));
  GtkWidget *cell = tessera_account_cell_new (column);

  gtk_list_item_set_child (item, cell);
}

/* The table's items are TesseraAccountRow (tessera-account-rows.h): a cell follows its row */
static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              TesseraAccountsPage      *self)
{
  tessera_account_cell_set_row (TESSERA_ACCOUNT_CELL (gtk_list_item_get_child (item)),
                                gtk_list_item_get_item (item));
}

static void
on_cell_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                TesseraAccountsPage      *self)
{
  tessera_account_cell_set_row (TESSERA_ACCOUNT_CELL (gtk_list_item_get_child (item)), NULL);
}

static void
setup_column (TesseraAccountsPage   *self,
              GtkColumnViewColumn   *column,
              TesseraAccountsColumn  kind)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSorter) sorter = tessera_accounts_model_create_sorter (self->model, kind);

  g_object_set_data (G_OBJECT (factory), "tessera-column", GINT_TO_POINTER (kind));
  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind), self);

  gtk_column_view_column_set_factory (column, factory);
  gtk_column_view_column_set_sorter (column, sorter);
}

/* Narrow windows */

static void
apply_width (TesseraAccountsPage *self,
             gboolean             narrow)
{
  self->narrow = narrow;
  /*
   * Hidden columns still widen the rows in GTK 4.8 (their cells are measured), which
   * misaligns rows and headers: the columns leave the view instead, and come back in place.
   * The template keeps them alive meanwhile.
   */
  if (narrow)
    {
      gtk_column_view_remove_column (self->column_view, self->site_column);
      gtk_column_view_remove_column (self->column_view, self->updated_column);
    }
  else
    {
      gtk_column_view_insert_column (self->column_view, 1, self->site_column);
      gtk_column_view_append_column (self->column_view, self->updated_column);
    }
  /* Narrow: the two status columns take a fixed share and the name gets the rest */
  gtk_column_view_column_set_expand (self->provisioning_column, !narrow);
  gtk_column_view_column_set_fixed_width (self->readiness_column, narrow ? 96 : -1);
  gtk_column_view_column_set_fixed_width (self->provisioning_column, narrow ? 116 : -1);
  gtk_column_view_column_set_title (self->readiness_column,
                                    narrow ? C_("column", "Readiness") : _("Readiness status"));
  gtk_column_view_column_set_title (self->provisioning_column,
                                    narrow ? C_("column", "Provisioning")
                                           : _("Provisioning status"));
  gtk_widget_set_visible (self->filters_box, !narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->filters_button), narrow);

  /* The header bar has to fit beside the window buttons: Refresh stays in the main menu
   * (and on Ctrl+R), and "Generate OTP" keeps its name as tooltip and accessible label */
  gtk_widget_set_visible (self->refresh_button, !narrow);
  if (narrow)
    gtk_button_set_icon_name (self->generate_button, "dialog-password-symbolic");
  else
    gtk_button_set_label (self->generate_button, _("_Generate OTP"));
}

/*
 * libadwaita 1.2 has no breakpoints: the page watches its own width. It lays out its one
 * child itself (AdwBin's layout manager would bypass size_allocate), and changes the
 * children's visibility before they are allocated, so the new layout shows in this frame.
 */
void
_tessera_accounts_page_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child == NULL)
    return;

  gtk_widget_measure (child, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

void
_tessera_accounts_page_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  TesseraAccountsPage *self = TESSERA_ACCOUNTS_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  gboolean narrow = width < NARROW_WIDTH;

  if (narrow != self->narrow)
    apply_width (self, narrow);

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

void
_tessera_accounts_page_setup_columns (TesseraAccountsPage *self)
{
  setup_column (self, self->name_column, TESSERA_ACCOUNTS_COLUMN_NAME);
  setup_column (self, self->site_column, TESSERA_ACCOUNTS_COLUMN_SITE);
  setup_column (self, self->readiness_column, TESSERA_ACCOUNTS_COLUMN_READINESS);
  setup_column (self, self->provisioning_column, TESSERA_ACCOUNTS_COLUMN_PROVISIONING);
  setup_column (self, self->updated_column, TESSERA_ACCOUNTS_COLUMN_UPDATED);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-accounts-fetcher.h"
#include "tessera-accounts-page.h"

G_BEGIN_DECLS

/* Shared by tessera-accounts-page*.c */
struct _TesseraAccountsPage
{
  AdwBin                  parent_instance;

  /* Template widgets */
  AdwToastOverlay        *toast_overlay;
  AdwWindowTitle         *window_title;
  GtkButton              *generate_button;
  GtkWidget              *refresh_button;
  GtkSearchBar           *search_bar;
  GtkSearchEntry         *search_entry;
  GtkWidget              *filters_box;
  GtkDropDown            *readiness_dropdown;
  GtkDropDown            *provisioning_dropdown;
  GtkMenuButton          *filters_button;
  GtkDropDown            *narrow_readiness_dropdown;
  GtkDropDown            *narrow_provisioning_dropdown;
  GtkLabel               *count_label;
  GtkRevealer            *prompt_revealer;
  GtkLabel               *prompt_label;
  GtkWidget              *review_button;
  GtkProgressBar         *progress_bar;
  GtkStack               *content_stack;
  AdwStatusPage          *error_page;
  GtkWidget              *retry_button;
  GtkColumnView          *column_view;
  GtkColumnViewColumn    *name_column;
  GtkColumnViewColumn    *site_column;
  GtkColumnViewColumn    *readiness_column;
  GtkColumnViewColumn    *provisioning_column;
  GtkColumnViewColumn    *updated_column;

  /* Owned */
  TesseraClient          *client;
  TesseraAccountsModel   *model;
  TesseraAccountsFetcher *fetcher;
  GCancellable           *cancellable;
  guint                   clock_id;

  guint                   n_toasts;
  guint                   n_offline_toasts;
  gboolean                loaded;         /* the first full load finished */
  gboolean                load_failed;
  gboolean                ever_connected;
  gboolean                offline;        /* lost the event stream after having had it */
  gboolean                narrow;
  gboolean                session_expired;

  GtkWindow              *review_window;       /* weak; tessera-accounts-page-review.c */
  GtkWindow              *preferences_window;  /* weak */
};

void _tessera_accounts_page_load            (TesseraAccountsPage *self);
void _tessera_accounts_page_refresh         (TesseraAccountsPage *self,
                                             gboolean             quiet);
/* tessera-accounts-page-actions.c */
void _tessera_accounts_page_install_actions (GtkWidgetClass      *widget_class);
/* tessera-accounts-page-review.c */
void _tessera_accounts_page_review_pending   (TesseraAccountsPage *self);
void _tessera_accounts_page_on_activate      (TesseraAccountsPage *self,
                                              guint                position);
void _tessera_accounts_page_show_preferences (TesseraAccountsPage *self);
void _tessera_accounts_page_close_windows    (TesseraAccountsPage *self);
/* tessera-accounts-page-columns.c */
void _tessera_accounts_page_setup_columns   (TesseraAccountsPage *self);
void _tessera_accounts_page_measure         (GtkWidget           *widget,
                                             GtkOrientation       orientation,
                                             int                  for_size,
                                             int                 *minimum,
                                             int                 *natural,
                                             int                 *minimum_baseline,
                                             int                 *natural_baseline);
void _tessera_accounts_page_size_allocate   (GtkWidget           *widget,
                                             int                  width,
                                             int                  height,
                                             int                  baseline);

/* The page's widgets, for the UI tests that drive it as a person would. */
typedef enum {
  TESSERA_ACCOUNTS_PAGE_PART_SEARCH_ENTRY,
  TESSERA_ACCOUNTS_PAGE_PART_SEARCH_BAR,
  TESSERA_ACCOUNTS_PAGE_PART_READINESS_FILTER,     /* GtkDropDown */
  TESSERA_ACCOUNTS_PAGE_PART_PROVISIONING_FILTER,  /* GtkDropDown */
  TESSERA_ACCOUNTS_PAGE_PART_FILTERS_BUTTON,       /* GtkMenuButton shown when narrow */
  TESSERA_ACCOUNTS_PAGE_PART_COUNT_LABEL,
  TESSERA_ACCOUNTS_PAGE_PART_PROMPT_REVEALER,
  TESSERA_ACCOUNTS_PAGE_PART_PROMPT_LABEL,
  TESSERA_ACCOUNTS_PAGE_PART_REVIEW_BUTTON,
  TESSERA_ACCOUNTS_PAGE_PART_RETRY_BUTTON,
  TESSERA_ACCOUNTS_PAGE_PART_ERROR_PAGE,            /* AdwStatusPage */
  TESSERA_ACCOUNTS_PAGE_PART_WINDOW_TITLE,          /* AdwWindowTitle: subtitle is live/offline */
  TESSERA_ACCOUNTS_PAGE_PART_PROGRESS_BAR,
  TESSERA_ACCOUNTS_PAGE_PART_COLUMN_VIEW,
  TESSERA_ACCOUNTS_PAGE_PART_SITE_COLUMN,           /* GtkColumnViewColumn */
  TESSERA_ACCOUNTS_PAGE_PART_UPDATED_COLUMN,        /* GtkColumnViewColumn */
  TESSERA_ACCOUNTS_PAGE_PART_TOAST_OVERLAY,
} TesseraAccountsPagePart;

gpointer _tessera_accounts_page_get_part      (TesseraAccountsPage     *self,
                                               TesseraAccountsPagePart  part);
/* How many toasts the page has shown since it was made */
guint    _tessera_accounts_page_get_n_toasts  (TesseraAccountsPage     *self);
/* The offline toasts among them */
guint    _tessera_accounts_page_get_n_offline_toasts (TesseraAccountsPage *self);

G_END_DECLS

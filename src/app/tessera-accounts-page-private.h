/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-accounts-page.h"

G_BEGIN_DECLS

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

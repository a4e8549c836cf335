/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tessera-accounts-model.h"
#include "tessera-client.h"

G_BEGIN_DECLS

/*
 * Resource accounts (DESIGN §5): the table of one session's accounts with search, filters,
 * the "N requests awaiting approval" prompt, live updates from the event stream and the
 * loading, empty, error and no-results states. It gets its client and model when it is made
 * and tells its owner through TesseraAccountsPage::session-expired when the server no longer
 * accepts the session.
 */

#define TESSERA_TYPE_ACCOUNTS_PAGE (tessera_accounts_page_get_type ())

G_DECLARE_FINAL_TYPE (TesseraAccountsPage, tessera_accounts_page, TESSERA, ACCOUNTS_PAGE, AdwBin)

GtkWidget            *tessera_accounts_page_new        (TesseraClient        *client,
                                                        TesseraAccountsModel *model);
TesseraClient        *tessera_accounts_page_get_client (TesseraAccountsPage  *self);
TesseraAccountsModel *tessera_accounts_page_get_model  (TesseraAccountsPage  *self);
/* "loading", "list", "empty", "no-results" or "error" */
const char           *tessera_accounts_page_get_state  (TesseraAccountsPage  *self);
/* Whether the first full load has finished */
gboolean              tessera_accounts_page_get_loaded (TesseraAccountsPage  *self);
void                  tessera_accounts_page_add_toast  (TesseraAccountsPage  *self,
                                                        AdwToast             *toast);
void                  tessera_accounts_page_focus_list (TesseraAccountsPage  *self);
/* Opens the review window on the request with @request_id */
void                  tessera_accounts_page_review_request (TesseraAccountsPage *self,
                                                            const char          *request_id);

G_END_DECLS

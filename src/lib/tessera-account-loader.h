/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tessera-client.h"

G_BEGIN_DECLS

/*
 * TesseraAccountLoader keeps a GListModel of every resource account (TesseraAccount) in step
 * with the server, for lists of 100 000 accounts:
 *
 * - load: pages through GET /api/v1/accounts and adds each page with one splice, so a view
 *   sees one items-changed per page, never one per account. :loaded and :total follow the
 *   pages as they arrive; :loading is TRUE meanwhile. Loading again keeps the objects of
 *   accounts it already has (updated in place), adds new ones and removes the ones the server
 *   no longer lists.
 * - refresh: asks only for accounts updated after the newest updated_at seen so far, updates
 *   those already in the model in place (same object, notify:: per changed property) and
 *   appends the new ones.
 * - apply: folds one account (e.g. from an account.updated event) into the model the same way.
 *
 * Starting a load or refresh cancels the one running; its _finish() reports
 * G_IO_ERROR_CANCELLED. The model belongs to the loader: others must not change it.
 *
 * The paging (pipelined requests, decoding in worker threads) is TesseraAccountPager's; the
 * loader is that pager plus a GListStore. A consumer that keeps accounts in a model of its
 * own uses the pager directly.
 */

#define TESSERA_ACCOUNT_LOADER_DEFAULT_PAGE_SIZE TESSERA_CLIENT_MAX_PAGE_SIZE

#define TESSERA_TYPE_ACCOUNT_LOADER (tessera_account_loader_get_type ())

G_DECLARE_FINAL_TYPE (TesseraAccountLoader, tessera_account_loader,
                      TESSERA, ACCOUNT_LOADER, GObject)

TesseraAccountLoader *tessera_account_loader_new               (TesseraClient         *client);
TesseraClient        *tessera_account_loader_get_client        (TesseraAccountLoader  *self);
/* A GListModel of TesseraAccount; transfer none. */
GListModel           *tessera_account_loader_get_model         (TesseraAccountLoader  *self);
/* Accounts received by the running (or last) load. */
guint                 tessera_account_loader_get_loaded        (TesseraAccountLoader  *self);
/* Accounts on the server, as its last page said. */
guint                 tessera_account_loader_get_total         (TesseraAccountLoader  *self);
gboolean              tessera_account_loader_get_loading       (TesseraAccountLoader  *self);
guint                 tessera_account_loader_get_page_size     (TesseraAccountLoader  *self);
void                  tessera_account_loader_set_page_size     (TesseraAccountLoader  *self,
                                                                guint                  page_size);
/* The newest updated_at seen (µs since the epoch), 0 before anything was loaded. */
gint64                tessera_account_loader_get_newest_update (TesseraAccountLoader  *self);
/* The account with @id in the model, or NULL; transfer none. */
TesseraAccount       *tessera_account_loader_lookup            (TesseraAccountLoader  *self,
                                                                const char            *id);
/* Updates the account with the same id in place, or appends @account. */
void                  tessera_account_loader_apply             (TesseraAccountLoader  *self,
                                                                TesseraAccount        *account);

void                  tessera_account_loader_load_async        (TesseraAccountLoader  *self,
                                                                GCancellable          *cancellable,
                                                                GAsyncReadyCallback    callback,
                                                                gpointer               user_data);
gboolean              tessera_account_loader_load_finish       (TesseraAccountLoader  *self,
                                                                GAsyncResult          *result,
                                                                GError               **error);

void                  tessera_account_loader_refresh_async     (TesseraAccountLoader  *self,
                                                                GCancellable          *cancellable,
                                                                GAsyncReadyCallback    callback,
                                                                gpointer               user_data);
/* @n_received (nullable): how many accounts the server reported as new or changed. */
gboolean              tessera_account_loader_refresh_finish    (TesseraAccountLoader  *self,
                                                                GAsyncResult          *result,
                                                                guint                 *n_received,
                                                                GError               **error);

G_END_DECLS

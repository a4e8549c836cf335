/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tessera-client.h"

G_BEGIN_DECLS

/*
 * TesseraAccountPager pages through GET /api/v1/accounts and hands over each page of decoded
 * accounts with the signal ::page, in order, on the thread that started it. It is Tessera's
 * one implementation of paging the accounts: TesseraAccountLoader keeps the pages in a
 * GListStore, the app in its own accounts model; each only says what to do with a page.
 *
 * - Pipelined: the next page is requested as soon as a page's bytes arrive, while worker
 *   threads decode the earlier ones (tessera-account-loader-pages.c); a few pages at most
 *   wait in memory for the consumer.
 * - load_async (@updated_since 0): every account; with @updated_since, only the accounts
 *   updated after it (a refresh). :loaded counts the accounts delivered by the running (or
 *   last) operation, :total is how many the server said its query matches, :loading is
 *   TRUE while an operation runs. Notifications of :loaded and :total come after the
 *   handlers of the ::page that changed them.
 * - Starting an operation cancels the running one: its _finish() reports
 *   G_IO_ERROR_CANCELLED and none of its pages is delivered any more. So does
 *   tessera_account_pager_cancel(), the caller's GCancellable, and disposing the pager. A
 *   ::page handler may cancel or start an operation itself.
 */

#define TESSERA_ACCOUNT_PAGER_DEFAULT_PAGE_SIZE TESSERA_CLIENT_MAX_PAGE_SIZE

#define TESSERA_TYPE_ACCOUNT_PAGER (tessera_account_pager_get_type ())

G_DECLARE_FINAL_TYPE (TesseraAccountPager, tessera_account_pager,
                      TESSERA, ACCOUNT_PAGER, GObject)

TesseraAccountPager *tessera_account_pager_new               (TesseraClient        *client);
TesseraClient       *tessera_account_pager_get_client        (TesseraAccountPager  *self);
guint                tessera_account_pager_get_loaded        (TesseraAccountPager  *self);
guint                tessera_account_pager_get_total         (TesseraAccountPager  *self);
gboolean             tessera_account_pager_get_loading       (TesseraAccountPager  *self);
/* The @updated_since of the running (or last) operation; 0 for every account. */
gint64               tessera_account_pager_get_updated_since (TesseraAccountPager  *self);
guint                tessera_account_pager_get_page_size     (TesseraAccountPager  *self);
/* Takes effect with the next operation. */
void                 tessera_account_pager_set_page_size     (TesseraAccountPager  *self,
                                                              guint                 page_size);

/* @updated_since: µs since the epoch; 0 for every account. */
void                 tessera_account_pager_load_async        (TesseraAccountPager  *self,
                                                              gint64                updated_since,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
/* @n_received (nullable): the accounts the operation delivered. */
gboolean             tessera_account_pager_load_finish       (TesseraAccountPager  *self,
                                                              GAsyncResult         *result,
                                                              guint                *n_received,
                                                              GError              **error);
/* Cancels the running operation, if any. */
void                 tessera_account_pager_cancel            (TesseraAccountPager  *self);

G_END_DECLS

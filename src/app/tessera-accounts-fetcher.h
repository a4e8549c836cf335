/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tessera-accounts-model.h"
#include "tessera-client.h"

G_BEGIN_DECLS

/*
 * Fills a TesseraAccountsModel from GET /api/v1/accounts with the client library's
 * TesseraAccountPager (pipelined requests, pages decoded in worker threads), one page of
 * 1 000 accounts at a time, so the list fills while the window stays responsive. A refresh
 * asks only for what changed since the newest update the model holds (updated_since) and
 * updates those accounts in place.
 *
 * (The client's TesseraAccountLoader is the same pager with a GListStore; the app keeps its
 * accounts in TesseraAccountsModel only, so that 100 000 accounts are stored once.)
 */

#define TESSERA_TYPE_ACCOUNTS_FETCHER (tessera_accounts_fetcher_get_type ())

G_DECLARE_FINAL_TYPE (TesseraAccountsFetcher, tessera_accounts_fetcher,
                      TESSERA, ACCOUNTS_FETCHER, GObject)

TesseraAccountsFetcher *tessera_accounts_fetcher_new (TesseraClient        *client,
                                                      TesseraAccountsModel *model);

/* Accounts received by the running (or last) load, and how many the server has */
guint    tessera_accounts_fetcher_get_loaded     (TesseraAccountsFetcher  *self);
guint    tessera_accounts_fetcher_get_total      (TesseraAccountsFetcher  *self);
gboolean tessera_accounts_fetcher_get_loading    (TesseraAccountsFetcher  *self);

/* Every account. Starting a load or refresh cancels the one running. */
void     tessera_accounts_fetcher_load_async     (TesseraAccountsFetcher  *self,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean tessera_accounts_fetcher_load_finish    (TesseraAccountsFetcher  *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
/* What changed since the newest update in the model (everything when it is empty) */
void     tessera_accounts_fetcher_refresh_async  (TesseraAccountsFetcher  *self,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean tessera_accounts_fetcher_refresh_finish (TesseraAccountsFetcher  *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

G_END_DECLS

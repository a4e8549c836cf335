/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-client.h"

G_BEGIN_DECLS

/*
 * The paging pipeline behind TesseraAccountPager (tessera-account-loader-pages.c), and so
 * behind TesseraAccountLoader and the app: fetches every page of GET /api/v1/accounts and
 * hands the decoded pages over in order.
 *
 * The server writes "next_cursor" after the items, so the cursor is read from the end of the
 * raw bytes as soon as a page arrives and the next page is requested at once, while earlier
 * pages are still being decoded. Decoding (strict parse and objects, about as long as the
 * server takes to produce a page) runs in worker threads; the calling thread only receives
 * bytes and gets finished pages. Each guessed cursor is checked against the strictly parsed
 * one before the page after it is delivered: a wrong guess costs a cancelled request, never a
 * wrong or missing page. At most a few pages are in memory ahead of the consumer.
 */

/* Called on the calling thread for each page, in order; @accounts is transfer none. */
typedef void (*TesseraAccountPageFunc) (GPtrArray *accounts,
                                        guint      total,
                                        gboolean   last,
                                        gpointer   user_data);

/*
 * @updated_since: only accounts updated after it (µs since the epoch), 0 for all. Stops with
 * G_IO_ERROR_CANCELLED as soon as @cancellable is cancelled, also from within @page_func.
 */
void      _tessera_account_pages_fetch_async  (TesseraClient          *client,
                                               gint64                  updated_since,
                                               guint                   page_size,
                                               TesseraAccountPageFunc  page_func,
                                               gpointer                page_data,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
/* @n_received (nullable): accounts delivered. */
gboolean  _tessera_account_pages_fetch_finish (GAsyncResult           *result,
                                               guint                  *n_received,
                                               GError                **error);

/*
 * The lean decoder (tessera-account-loader-decode.c): the accounts of a page in one pass, or
 * NULL when it declines, and then the page must go through the reference decoder. It never
 * accepts a page the reference refuses, and decodes every page it accepts identically.
 */
GPtrArray *_tessera_account_page_decode_lean  (const char             *data,
                                               gsize                   length,
                                               char                  **next_cursor,
                                               guint                  *total);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tessera-client.h"

G_BEGIN_DECLS

/*
 * Review OTP request (DESIGN §1.3, UI.md): a modal window that shows one request — the
 * account, who made the OTP, when it was entered on the console, when it expires, where from,
 * and the console's make, model and serial number — and lets an admin approve or reject it
 * (rejecting needs a reason). It can walk through several requests ("1 of 3"), advancing
 * after each resolution.
 *
 * It follows the client's event stream: a request resolved or expired elsewhere while it is
 * shown turns read-only with who did what and when, and so does a resolution the server
 * refuses because another admin was first (409), because it expired (410) or because of
 * separation of duties (403). Viewers see requests read-only. A network failure keeps every
 * choice and offers Retry.
 *
 * It needs only the session's client; it tells its owner through
 * TesseraReviewWindow::resolved, so the owner can say so (a toast) and move on.
 */

#define TESSERA_TYPE_REVIEW_WINDOW (tessera_review_window_get_type ())

G_DECLARE_FINAL_TYPE (TesseraReviewWindow, tessera_review_window, TESSERA, REVIEW_WINDOW, AdwWindow)

TesseraReviewWindow *tessera_review_window_new          (TesseraClient       *client);
TesseraClient       *tessera_review_window_get_client   (TesseraReviewWindow *self);
/* Shows the request with @request_id (fetched from the server), added to the ones reviewed */
void                 tessera_review_window_show_request (TesseraReviewWindow *self,
                                                         const char          *request_id);
/* Walks through every pending request, oldest first */
void                 tessera_review_window_show_pending (TesseraReviewWindow *self);
/* The request shown now (transfer none), or NULL while none is */
TesseraRequest      *tessera_review_window_get_request  (TesseraReviewWindow *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-preferences-window-private.h"
#include "tessera-review-window-private.h"
#include "test-ui-common.h"

G_BEGIN_DECLS

/*
 * What the review, preferences and notification tests share: a demo server, a signed-in main
 * window, OTPs issued through the API as an admin would, consoles redeeming them with
 * tessera-device as a real subprocess, and the review window found among the toplevels.
 */

/* A server with @n_accounts demo accounts; on @port when it is not 0 (for restarts) */
TesseraTestServer   *review_test_server_new       (guint               n_accounts,
                                                   guint16             port);
/* A new main window signed in as @username, with the accounts loaded */
TesseraAccountsPage *review_test_start_signed_in  (TesseraTestServer  *server,
                                                   const char         *username,
                                                   TesseraWindow     **window);

/* One OTP per account of @account_ids (NULL-terminated) through @client; the codes in order */
GPtrArray           *review_test_issue            (TesseraClient      *client,
                                                   const char * const *account_ids);

/* `tessera-device redeem --wait` for @code (on stdin), as a console in a room would */
typedef struct {
  GSubprocess  *process;
  GAsyncResult *result;
  char         *out;
  char         *err;
  int           status;
} ReviewDevice;

ReviewDevice        *review_device_start          (TesseraTestServer  *server,
                                                   const char         *code,
                                                   const char         *serial_number);
/* Waits for the console to exit; fills out, err and status */
void                 review_device_finish         (ReviewDevice       *device);
gboolean             review_device_exited         (ReviewDevice       *device);
void                 review_device_free           (ReviewDevice       *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReviewDevice, review_device_free)

/* Waits until the page's model shows @account_id awaiting approval; returns the account */
TesseraAccount      *review_test_wait_awaiting    (TesseraAccountsPage *page,
                                                   const char          *account_id);
/* The request id the server has for @account_id's redemption */
char                *review_test_request_id       (TesseraClient      *client,
                                                   const char         *account_id);

/* The visible review window, or NULL */
TesseraReviewWindow *review_test_find_window      (void);
/* Activates @account's row in the table (as a double-click or Enter would) and waits until a
 * review window shows its request */
TesseraReviewWindow *review_test_open_from_row    (TesseraAccountsPage *page,
                                                   TesseraAccount      *account);
/* Waits until @window shows the request of @account_id, loaded, in a settled view */
void                 review_test_wait_shows       (TesseraReviewWindow *window,
                                                   const char          *account_id);
/* Closes @window and waits until it is gone */
void                 review_test_close            (GtkWindow           *window);

/* Choosing, as a person would with the mouse or the keyboard */
gpointer             review_part                  (TesseraReviewWindow *window,
                                                   TesseraReviewPart    part);
void                 review_choose_approve        (TesseraReviewWindow *window);
void                 review_choose_reject         (TesseraReviewWindow *window,
                                                   TesseraRejectionReason reason);
gboolean             review_can_resolve           (TesseraReviewWindow *window);
/* Presses Resolve OTP request (it must be sensitive) */
void                 review_press_resolve         (TesseraReviewWindow *window);
const char          *review_outcome_text          (TesseraReviewWindow *window);

/* The request as the server has it now (GET /api/v1/requests/{id}) */
TesseraRequest      *review_test_get_request      (TesseraClient       *client,
                                                   const char          *request_id);
TesseraSettings     *review_test_get_settings     (TesseraClient       *client);
void                 review_test_put_settings     (TesseraClient       *client,
                                                   const TesseraSettingsPatch *patch);

G_END_DECLS

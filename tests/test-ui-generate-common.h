/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-generate-account-row.h"
#include "tessera-generate-result-row.h"
#include "tessera-generate-window-private.h"
#include "test-ui-common.h"

G_BEGIN_DECLS

/*
 * Driving the Generate OTP assistant as a person would: opened from the accounts page with
 * its action (Ctrl+G, the header's button), pages changed with the header's actions, accounts
 * checked through their rows' check buttons.
 */

typedef struct {
  TesseraTestServer     *server;
  TesseraClient         *admin;    /* a second admin session, for what the test checks */
  TesseraWindow         *window;
  TesseraAccountsPage   *page;
} GenFixture;

/* A demo server with @n_accounts, the main window signed in as admin and loaded */
void                   gen_fixture_start        (GenFixture            *fixture,
                                                 guint                  n_accounts);
/* The same on a fixed loopback port, for tests that stop and restart the server */
void                   gen_fixture_start_on_port (GenFixture           *fixture,
                                                  guint                 n_accounts,
                                                  guint16               port);
void                   gen_fixture_stop         (GenFixture            *fixture);

/* Presses Generate OTP on the accounts page and returns the assistant it opened */
TesseraGenerateWindow *gen_open                 (TesseraAccountsPage   *page);
/* Closes the assistant, answering "Close" if it asks, and waits until it is gone */
void                   gen_close                (TesseraGenerateWindow *assistant);
/* The confirmation the assistant shows, or NULL */
AdwMessageDialog      *gen_find_dialog          (TesseraGenerateWindow *assistant);
/* Presses the dialog's button labelled @label ("_Close") as a person would */
void                   gen_press                (AdwMessageDialog      *dialog,
                                                 const char            *label);

gpointer               gen_part                 (TesseraGenerateWindow *assistant,
                                                 TesseraGeneratePart    part);
gboolean               gen_action_enabled       (TesseraGenerateWindow *assistant,
                                                 const char            *action);
/* Activates "generate.@action"; asserts it is enabled */
void                   gen_activate             (TesseraGenerateWindow *assistant,
                                                 const char            *action);
const char            *gen_title                (TesseraGenerateWindow *assistant);

/* Types @text into the search and waits until the list filtered by it */
void                   gen_search               (TesseraGenerateWindow *assistant,
                                                 const char            *text);
/* The row on screen showing @account, or NULL */
TesseraGenerateAccountRow *gen_find_row         (TesseraGenerateWindow *assistant,
                                                 TesseraAccount        *account);
/* Searches for @account's UPN and clicks its check button; returns its state after */
gboolean               gen_click_check          (TesseraGenerateWindow *assistant,
                                                 TesseraAccount        *account);
/* From Account selection through Review and Generate, waiting for the results */
void                   gen_generate_from_selection (TesseraGenerateWindow *assistant);
void                   gen_wait_results         (TesseraGenerateWindow *assistant);
/* The result rows on screen (transfer container) */
GPtrArray             *gen_result_rows          (TesseraGenerateWindow *assistant);

/* The assistant's own account object for @id (transfer none) */
TesseraAccount        *gen_account              (TesseraGenerateWindow *assistant,
                                                 const char            *id);
/* Accounts from the server by readiness; @fresh: never provisioned (transfer full) */
GPtrArray             *gen_server_accounts      (GenFixture            *fixture,
                                                 TesseraReadiness       readiness,
                                                 gboolean               fresh,
                                                 guint                  n);

/* SQL against the server's database: one integer */
gint64                 gen_db_count             (GenFixture            *fixture,
                                                 const char            *sql_format,
                                                 ...) G_GNUC_PRINTF (2, 3);

/* `tessera-device redeem` as a real subprocess; the code goes in on stdin, never in argv */
typedef struct _GenDevice GenDevice;

GenDevice             *gen_device_start         (GenFixture            *fixture,
                                                 const char            *code,
                                                 const char * const    *extra);
/* Waits for it to exit; returns the exit status, @out and @err receive its output */
int                    gen_device_finish        (GenDevice             *device,
                                                 char                 **out,
                                                 char                 **err);
int                    gen_device_redeem        (GenFixture            *fixture,
                                                 const char            *code,
                                                 char                 **out,
                                                 char                 **err);

G_END_DECLS

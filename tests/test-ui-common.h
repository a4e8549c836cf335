/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tessera-accounts-page-private.h"
#include "tessera-application.h"
#include "tessera-sign-in-page-private.h"
#include "tessera-window.h"
#include "test-client-common.h"
#include "tessera-test-server.h"

G_BEGIN_DECLS

/*
 * The UI tests drive the app's real classes in-process (gtk_test_init, a registered
 * TesseraApplication, the real TesseraWindow) against real tessera-server processes, under
 * Xvfb with a private D-Bus session and an unlocked gnome-keyring-daemon (build-aux/test).
 * They act as a person would and wait for outcomes by iterating the main context until a
 * condition holds; a deadline only turns a hang into a failure, it never measures anything.
 */

/* Far above anything honest on this machine; only a hang runs into it. */
#define UI_TEST_DEADLINE_USEC (120 * G_USEC_PER_SEC)

void                ui_test_init              (int                *argc,
                                               char             ***argv);
/* The app's translations from $TESSERA_LOCALEDIR in the language of $LANGUAGE, as main () */
void                ui_test_use_translations  (void);
/* The application every window of the test belongs to (registered, started up). */
TesseraApplication *ui_test_get_application   (void);
GSettings          *ui_test_get_settings      (void);
/* Clears what earlier tests left in settings (server, username, pins). */
void                ui_test_reset_settings    (void);

/* Iterates the main context until @expr holds; fails with the expression's text at the deadline. */
#define ui_test_wait_until(expr) \
  G_STMT_START { \
    gint64 _ui_deadline = g_get_monotonic_time () + UI_TEST_DEADLINE_USEC; \
    guint _ui_tick = ui_test_tick_start (); \
    while (!(expr)) \
      { \
        if (g_get_monotonic_time () > _ui_deadline) \
          g_error ("%s:%d: gave up waiting until %s", __FILE__, __LINE__, #expr); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (_ui_tick); \
  } G_STMT_END

guint               ui_test_tick_start        (void);
/* Lets pending work (idles, redraws) run; never waits for time to pass. */
void                ui_test_drain             (void);

/* A presented main window, not started. */
TesseraWindow      *ui_test_window_new        (void);
/* Closes @window and waits until it is gone. */
void                ui_test_window_close      (TesseraWindow      *window);

/* Fills in the sign-in page as a person would and presses Sign In. */
void                ui_test_sign_in           (TesseraWindow      *window,
                                               const char         *server,
                                               const char         *username,
                                               const char         *password);
/* Signs in as @username of @server and waits until the first load of the accounts finished. */
TesseraAccountsPage *ui_test_sign_in_and_load (TesseraWindow      *window,
                                               TesseraTestServer  *server,
                                               const char         *username);
TesseraAccountsPage *ui_test_get_accounts_page (TesseraWindow     *window);
TesseraSignInPage  *ui_test_get_sign_in_page  (TesseraWindow      *window);

/* The keyring (libsecret, schema io.github.tessera.Tessera.Session) */
char               *ui_test_keyring_lookup    (const char         *server_url,
                                               const char         *username);
void                ui_test_keyring_store     (const char         *server_url,
                                               const char         *username,
                                               const char         *token);

/* The normalised URL the app and the keyring use for @server */
char               *ui_test_server_url        (TesseraTestServer  *server);

/*
 * Fails, naming each one, when an icon-only button below @root (shown or not) lacks a tooltip
 * or an accessible label: a screen reader would read it as "button" (DESIGN §5).
 */
void                ui_test_assert_icon_buttons_labelled (GtkWidget *root);

/* Whether @widget or anything below it shows exactly @text (labels and the table's cells) */
gboolean            ui_test_has_label         (GtkWidget          *widget,
                                               const char         *text);

/* A loopback port nothing listens on now (bound and closed at once). */
guint16             ui_test_free_port         (void);

/* The visible cells of @column showing @account in the accounts table (transfer container). */
GPtrArray          *ui_test_find_cells        (TesseraAccountsPage *page,
                                               TesseraAccount     *account,
                                               TesseraAccountsColumn column);
/* The text of the first label in @widget (depth first); a table cell's text counts as one */
const char         *ui_test_first_label_text  (GtkWidget          *widget);

/* For the UI benchmarks: resident size, a sorted summary as a test message, and time since */
long                ui_bench_rss_kib          (void);
void                ui_bench_report           (const char         *what,
                                               GArray             *times);
double              ui_bench_elapsed_ms       (gint64              since);

G_END_DECLS

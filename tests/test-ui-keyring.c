/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The app when the keyring cannot keep the session (issue 8, DESIGN §6): with no keyring at
 * all, and with a keyring that is locked and stays locked. Either way the admin is told, and
 * stays signed in for this session; the token is kept nowhere else.
 *
 * This program has a D-Bus session bus of its own (GTestDBus) on which no keyring runs at
 * first; the locked case then starts a gnome-keyring-daemon there, with keyring files of its
 * own, and locks it. The suite's keyring is never touched.
 */
#include "config.h"

#include <libsecret/secret.h>

#include "support/tessera-test-keyring.h"
#include "support/tessera-test-lsan.h"
#include "test-ui-common.h"

#define ABSENT_TOAST "The keyring is not available: you will need to sign in again next time"
#define LOCKED_TOAST "The keyring is locked: you will need to sign in again next time"
#define LOCKED_SIGN_IN "The keyring is locked, so the saved session could not be used. " \
                       "Unlock it, or sign in again."

static GtkWidget *
toast_overlay (TesseraAccountsPage *page)
{
  return _tessera_accounts_page_get_part (page, TESSERA_ACCOUNTS_PAGE_PART_TOAST_OVERLAY);
}

static void
test_absent_keyring_is_explained_and_the_session_goes_on (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  TesseraAccountsPage *page;
  TesseraWindow *window;

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  page = ui_test_sign_in_and_load (window, server, TESSERA_TEST_ADMIN);

  ui_test_wait_until (ui_test_has_label (toast_overlay (page), ABSENT_TOAST));
  /* Still signed in: the list is there and a refresh is answered */
  g_assert_true (ui_test_get_accounts_page (window) == page);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "accounts.refresh", NULL));
  ui_test_wait_until (tessera_accounts_page_get_loaded (page));
  g_assert_cmpstr (tessera_accounts_page_get_state (page), ==, "empty");

  ui_test_window_close (window);
}

static void
test_locked_keyring_is_explained_and_the_session_goes_on (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autofree char *url = ui_test_server_url (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tessera-ui-keyring-XXXXXX", &error);
  g_autoptr(GSubprocess) daemon = NULL;
  g_autofree char *collection = NULL;
  TesseraSignInPage *sign_in;
  TesseraAccountsPage *page;
  TesseraWindow *window;

  g_assert_no_error (error);
  daemon = tessera_test_keyring_start (dir);
  /* libsecret met no Secret Service in the first test: it must look again */
  secret_service_disconnect ();

  /* A session saved while the keyring was open, then the keyring locked (as after a
   * screen lock), and the app started again, from its settings. The token is never read
   * back (the keyring stays locked), so any will do. */
  ui_test_keyring_store (url, TESSERA_TEST_ADMIN, "tok-saved-before-the-keyring-was-locked");
  collection = tessera_test_keyring_default_collection ();
  tessera_test_keyring_lock (collection);
  ui_test_reset_settings ();
  g_settings_set_string (ui_test_get_settings (), "server", url);
  g_settings_set_string (ui_test_get_settings (), "username", TESSERA_TEST_ADMIN);

  /* libsecret's own leak when an unlock prompt fails (tessera-test-lsan.h) */
  TESSERA_TEST_LSAN_IGNORE_BEGIN ();
  window = ui_test_window_new ();
  tessera_window_start (window, url, TESSERA_TEST_ADMIN);
  sign_in = ui_test_get_sign_in_page (window);
  ui_test_wait_until (g_strcmp0 (tessera_sign_in_page_get_error (sign_in), LOCKED_SIGN_IN) == 0);
  g_assert_null (ui_test_get_accounts_page (window));

  /* Signing in by hand works, and the page says the session will not be kept */
  page = ui_test_sign_in_and_load (window, server, TESSERA_TEST_ADMIN);
  ui_test_wait_until (ui_test_has_label (toast_overlay (page), LOCKED_TOAST));
  g_assert_cmpstr (tessera_accounts_page_get_state (page), ==, "empty");
  TESSERA_TEST_LSAN_IGNORE_END ();

  ui_test_window_close (window);
  tessera_test_keyring_stop (daemon, dir);
}

/*
 * Lives to the end of the process on purpose: disposing a GTestDBus that is still up waits
 * for the session bus connection to go, and the application keeps that connection to the
 * end. Held here, not in main(), so the sanitizer sees an object in use rather than a leak.
 */
static GTestDBus *bus;

int
main (int   argc,
      char *argv[])
{
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  int status;

  /* Before GTK, libadwaita and libsecret connect to a session bus: this one has no keyring.
   * GTestDBus also forgets the X display; the test's own Xvfb is put back. */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);

  ui_test_init (&argc, &argv);

  /* In this order: the first needs a bus without any keyring */
  g_test_add_func ("/ui/keyring/absent-keyring-is-explained-and-the-session-goes-on",
                   test_absent_keyring_is_explained_and_the_session_goes_on);
  g_test_add_func ("/ui/keyring/locked-keyring-is-explained-and-the-session-goes-on",
                   test_locked_keyring_is_explained_and_the_session_goes_on);

  status = g_test_run ();

  g_test_dbus_stop (bus);
  return status;
}

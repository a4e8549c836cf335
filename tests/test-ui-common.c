/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "tessera-account-cell.h"
#include "tessera-credentials.h"
#include "test-ui-common.h"

static TesseraApplication *application;

void
ui_test_init (int    *argc,
              char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

void
ui_test_use_translations (void)
{
  const char *localedir = g_getenv ("TESSERA_LOCALEDIR");

  if (localedir == NULL)
    return;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* gtk_test_init () chose en_US.UTF-8 (or C, where that is missing, and gettext ignores
   * LANGUAGE in C): the environment's locale, as the app's gtk_init () takes it */
  setlocale (LC_ALL, "");
}

TesseraApplication *
ui_test_get_application (void)
{
  g_autoptr(GError) error = NULL;

  if (application != NULL)
    return application;

  /* Non-unique: test programs run side by side on the same session bus */
  application = tessera_application_new ("io.github.tessera.Tessera.UiTest");
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);
  /* Windows keep a registered application running without a main loop of its own */
  g_application_hold (G_APPLICATION (application));

  return application;
}

GSettings *
ui_test_get_settings (void)
{
  return tessera_application_get_settings (ui_test_get_application ());
}

void
ui_test_reset_settings (void)
{
  GSettings *settings = ui_test_get_settings ();

  g_settings_reset (settings, "server");
  g_settings_reset (settings, "username");
  g_settings_reset (settings, "pinned-certificates");
}

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

guint
ui_test_tick_start (void)
{
  /* Wakes the loop now and then, so the deadline is checked even when nothing happens */
  return g_timeout_add (50, on_tick, NULL);
}

void
ui_test_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

TesseraWindow *
ui_test_window_new (void)
{
  TesseraWindow *window = tessera_window_new (GTK_APPLICATION (ui_test_get_application ()),
                                              ui_test_get_settings ());

  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)));
  return window;
}

void
ui_test_window_close (TesseraWindow *window)
{
  GtkWindow *gone = GTK_WINDOW (window);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &gone);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_wait_until (gone == NULL);
}

TesseraSignInPage *
ui_test_get_sign_in_page (TesseraWindow *window)
{
  return TESSERA_SIGN_IN_PAGE (tessera_window_get_sign_in_page (window));
}

TesseraAccountsPage *
ui_test_get_accounts_page (TesseraWindow *window)
{
  GtkWidget *page = tessera_window_get_accounts_page (window);

  return page != NULL ? TESSERA_ACCOUNTS_PAGE (page) : NULL;
}

void
ui_test_sign_in (TesseraWindow *window,
                 const char    *server,
                 const char    *username,
                 const char    *password)
{
  TesseraSignInPage *page = ui_test_get_sign_in_page (window);
  GtkWidget *button = _tessera_sign_in_page_get_sign_in_button (page);

  g_assert_cmpstr (tessera_window_get_visible_page (window), ==, "sign-in");

  gtk_editable_set_text (GTK_EDITABLE (_tessera_sign_in_page_get_server_row (page)), server);
  gtk_editable_set_text (GTK_EDITABLE (_tessera_sign_in_page_get_username_row (page)), username);
  gtk_editable_set_text (GTK_EDITABLE (_tessera_sign_in_page_get_password_row (page)), password);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

char *
ui_test_server_url (TesseraTestServer *server)
{
  g_autoptr(TesseraClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = tessera_client_new (tessera_test_server_get_url (server), &error);
  g_assert_no_error (error);
  return g_strdup (tessera_client_get_server_url (client));
}

TesseraAccountsPage *
ui_test_sign_in_and_load (TesseraWindow     *window,
                          TesseraTestServer *server,
                          const char        *username)
{
  TesseraAccountsPage *page;

  ui_test_sign_in (window, tessera_test_server_get_url (server), username,
                   tessera_test_server_get_password (server, username));
  ui_test_wait_until (ui_test_get_accounts_page (window) != NULL);
  page = ui_test_get_accounts_page (window);
  ui_test_wait_until (tessera_accounts_page_get_loaded (page));

  return page;
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

char *
ui_test_keyring_lookup (const char *server_url,
                        const char *username)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  tessera_credentials_lookup_async (server_url, username, NULL, on_result, &result);
  ui_test_wait_until (result != NULL);
  token = tessera_credentials_lookup_finish (result, &error);
  g_assert_no_error (error);

  return token;
}

void
ui_test_keyring_store (const char *server_url,
                       const char *username,
                       const char *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tessera_credentials_store_async (server_url, username, token, NULL, on_result, &result);
  ui_test_wait_until (result != NULL);
  g_assert_true (tessera_credentials_store_finish (result, &error));
  g_assert_no_error (error);
}

guint16
ui_test_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
collect_cells (GtkWidget             *widget,
               TesseraAccount        *account,
               TesseraAccountsColumn  column,
               GPtrArray             *cells)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (TESSERA_IS_ACCOUNT_CELL (child))
        {
          TesseraAccountCell *cell = TESSERA_ACCOUNT_CELL (child);

          if (tessera_account_cell_get_account (cell) == account &&
              tessera_account_cell_get_column (cell) == column &&
              gtk_widget_get_mapped (child))
            g_ptr_array_add (cells, child);
          continue;
        }
      collect_cells (child, account, column, cells);
    }
}

GPtrArray *
ui_test_find_cells (TesseraAccountsPage   *page,
                    TesseraAccount        *account,
                    TesseraAccountsColumn  column)
{
  GPtrArray *cells = g_ptr_array_new ();
  GtkWidget *view = _tessera_accounts_page_get_part (page, TESSERA_ACCOUNTS_PAGE_PART_COLUMN_VIEW);

  collect_cells (view, account, column, cells);
  return cells;
}

const char *
ui_test_first_label_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = ui_test_first_label_text (child);

      if (text != NULL)
        return text;
    }

  return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tessera-account-cell.h"
#include "tessera-credentials.h"
#include "test-ui-common.h"

static TesseraApplication *application;

void
ui_test_init (int    *argc,
              char ***argv)
{
  /* The test accessibility context: what a screen reader would be told, without AT-SPI. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

/* A button that shows only an icon: one whose name, for a screen reader, must be given. */
static gboolean
is_icon_only_button (GtkWidget *widget)
{
  GtkWidget *child;

  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)) != NULL &&
           gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) == NULL;
  if (!GTK_IS_BUTTON (widget))
    return FALSE;
  if (gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
    return TRUE;
  child = gtk_button_get_child (GTK_BUTTON (widget));

  return GTK_IS_IMAGE (child);
}

/*
 * Parts of GTK's own composite widgets, which label their buttons themselves: window
 * controls, spin buttons, a menu button's inner button, and a search bar's close button
 * (hidden unless show-close-button, which Tessera does not use).
 */
static gboolean
is_gtk_internal (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  return GTK_IS_WINDOW_CONTROLS (widget) || GTK_IS_SPIN_BUTTON (widget) ||
         GTK_IS_MENU_BUTTON (parent) ||
         (GTK_IS_CENTER_BOX (parent) && gtk_widget_get_ancestor (parent, GTK_TYPE_SEARCH_BAR));
}

static void
collect_unlabelled (GtkWidget *widget,
                    GString   *problems,
                    guint     *n_checked)
{
  if (is_gtk_internal (widget))
    return;

  if (is_icon_only_button (widget))
    {
      /* Named by where it is and what it shows: buttons have no names of their own */
      const char *name = G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget));
      const char *icon = GTK_IS_MENU_BUTTON (widget)
        ? gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget))
        : gtk_button_get_icon_name (GTK_BUTTON (widget));

      (*n_checked)++;

      if (gtk_widget_get_tooltip_text (widget) == NULL)
        g_string_append_printf (problems, "  %s (%s): no tooltip\n", name, icon);
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                             GTK_ACCESSIBLE_PROPERTY_LABEL) &&
          !gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                             GTK_ACCESSIBLE_RELATION_LABELLED_BY))
        g_string_append_printf (problems, "  %s (%s): no accessible label\n", name, icon);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unlabelled (child, problems, n_checked);
}

void
ui_test_assert_icon_buttons_labelled (GtkWidget *root)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  guint n_checked = 0;

  collect_unlabelled (root, problems, &n_checked);
  g_test_message ("%u icon-only buttons in %s", n_checked, G_OBJECT_TYPE_NAME (root));
  /* A walk that met no such button proved nothing. */
  g_assert_cmpuint (n_checked, >, 0);
  if (problems->len > 0)
    g_error ("Icon-only buttons in %s without a tooltip or an accessible label "
             "(DESIGN.md, section 5):\n%s",
             G_OBJECT_TYPE_NAME (root), problems->str);
}

gboolean
ui_test_has_label (GtkWidget  *widget,
                   const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  /* The table's cells draw their text instead of holding labels (tessera-account-cell.c) */
  if (TESSERA_IS_ACCOUNT_CELL (widget) &&
      g_strcmp0 (tessera_account_cell_get_text (TESSERA_ACCOUNT_CELL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ui_test_has_label (child, text))
      return TRUE;

  return FALSE;
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
  /* The table's cells draw their text (tessera-account-cell.c) */
  if (TESSERA_IS_ACCOUNT_CELL (widget))
    return tessera_account_cell_get_text (TESSERA_ACCOUNT_CELL (widget));

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

/* --- For the UI benchmarks (figures printed, never asserted) --- */

long
ui_bench_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

void
ui_bench_report (const char *what,
                 GArray     *times)
{
  g_array_sort (times, compare_doubles);
  g_test_message ("%-46s n=%-4u median %7.2f ms   p95 %7.2f ms   max %7.2f ms", what, times->len,
                  g_array_index (times, double, times->len / 2),
                  g_array_index (times, double, MIN (times->len - 1, times->len * 95 / 100)),
                  g_array_index (times, double, times->len - 1));
}

double
ui_bench_elapsed_ms (gint64 since)
{
  return (g_get_monotonic_time () - since) / 1000.0;
}

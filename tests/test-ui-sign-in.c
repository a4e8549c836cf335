/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `ui`: signing in and out of the real main window, against real tessera-server
 * processes and the real keyring of the test session.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tessera-certificate-dialog.h"
#include "tessera-credentials.h"
#include "tessera-pins.h"
#include "test-ui-common.h"

static gboolean
focus_is_in (TesseraWindow *window,
             GtkWidget     *row)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == row || gtk_widget_is_ancestor (focus, row));
}

static void
assert_setting (const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (ui_test_get_settings (), key);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_focus_starts_in_first_empty_field (void)
{
  TesseraWindow *window;
  TesseraSignInPage *page;

  ui_test_reset_settings ();

  /* Nothing filled in: the server address comes first */
  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  page = ui_test_get_sign_in_page (window);
  ui_test_wait_until (focus_is_in (window, _tessera_sign_in_page_get_server_row (page)));
  ui_test_window_close (window);

  /* Server and username prefilled (as by --server and --username): the password */
  window = ui_test_window_new ();
  tessera_window_start (window, "http://127.0.0.1:9", "admin");
  page = ui_test_get_sign_in_page (window);
  ui_test_wait_until (g_strcmp0 (tessera_window_get_visible_page (window), "sign-in") == 0);
  ui_test_wait_until (focus_is_in (window, _tessera_sign_in_page_get_password_row (page)));
  g_assert_cmpstr (tessera_sign_in_page_get_server (page), ==, "http://127.0.0.1:9");
  g_assert_cmpstr (tessera_sign_in_page_get_username (page), ==, "admin");
  ui_test_window_close (window);
}

static void
test_enter_in_the_password_signs_in (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  TesseraWindow *window;
  TesseraSignInPage *page;
  GtkWidget *password_row;

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, tessera_test_server_get_url (server), TESSERA_TEST_ADMIN);
  page = ui_test_get_sign_in_page (window);
  ui_test_wait_until (g_strcmp0 (tessera_window_get_visible_page (window), "sign-in") == 0);

  password_row = _tessera_sign_in_page_get_password_row (page);
  gtk_editable_set_text (GTK_EDITABLE (password_row),
                         tessera_test_server_get_password (server, TESSERA_TEST_ADMIN));
  /* What pressing Enter in the field does */
  g_signal_emit_by_name (password_row, "entry-activated");

  ui_test_wait_until (ui_test_get_accounts_page (window) != NULL);
  ui_test_window_close (window);
}

static void
test_wrong_password_is_said_inline (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autofree char *url = ui_test_server_url (server);
  g_autofree char *token = NULL;
  TesseraWindow *window;
  TesseraSignInPage *page;

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  page = ui_test_get_sign_in_page (window);

  ui_test_sign_in (window, tessera_test_server_get_url (server), TESSERA_TEST_ADMIN,
                   "not-the-password");
  ui_test_wait_until (!tessera_sign_in_page_get_busy (page) &&
                      tessera_sign_in_page_get_error (page) != NULL);

  g_assert_cmpstr (tessera_sign_in_page_get_error (page), ==,
                   "The username or password is wrong.");
  g_assert_cmpstr (tessera_window_get_visible_page (window), ==, "sign-in");
  g_assert_null (ui_test_get_accounts_page (window));

  /* Nothing was kept: no token, no remembered server */
  token = ui_test_keyring_lookup (url, TESSERA_TEST_ADMIN);
  g_assert_null (token);
  assert_setting ("server", "");

  /* The right password after the wrong one works and clears the error */
  ui_test_sign_in (window, tessera_test_server_get_url (server), TESSERA_TEST_ADMIN,
                   tessera_test_server_get_password (server, TESSERA_TEST_ADMIN));
  ui_test_wait_until (ui_test_get_accounts_page (window) != NULL);

  ui_test_window_close (window);
}

static void
test_unreachable_server_is_said_inline (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", ui_test_free_port ());
  TesseraWindow *window;
  TesseraSignInPage *page;

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  page = ui_test_get_sign_in_page (window);

  ui_test_sign_in (window, url, TESSERA_TEST_ADMIN, "whatever");
  ui_test_wait_until (!tessera_sign_in_page_get_busy (page) &&
                      tessera_sign_in_page_get_error (page) != NULL);

  g_assert_true (g_str_has_prefix (tessera_sign_in_page_get_error (page), "Cannot reach "));
  g_assert_cmpstr (tessera_window_get_visible_page (window), ==, "sign-in");
  ui_test_window_close (window);
}

/* An adversary: a web server that answers every request with an HTML page */
static void
on_not_tessera_request (SoupServer        *soup_server,
                        SoupServerMessage *message,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  static const char page[] = "<html><body><h1>Welcome to the intranet</h1></body></html>";

  soup_server_message_set_status (message, 404, NULL);
  soup_server_message_set_response (message, "text/html", SOUP_MEMORY_STATIC,
                                    page, strlen (page));
}

static void
test_not_a_tessera_server_is_said_inline (void)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  TesseraWindow *window;
  TesseraSignInPage *page;

  soup_server_add_handler (soup_server, NULL, on_not_tessera_request, NULL, NULL);
  soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup_server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  page = ui_test_get_sign_in_page (window);

  ui_test_sign_in (window, url, TESSERA_TEST_ADMIN, "whatever");
  ui_test_wait_until (!tessera_sign_in_page_get_busy (page) &&
                      tessera_sign_in_page_get_error (page) != NULL);

  g_assert_nonnull (strstr (tessera_sign_in_page_get_error (page), "not a Tessera server"));
  ui_test_window_close (window);
}

static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; needle_length <= length && i <= length - needle_length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

/* Fails the test if any file under @dir contains @needle */
static void
assert_no_file_contains (const char *dir,
                         const char *needle,
                         guint      *n_files)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_no_file_contains (path, needle, n_files);
          continue;
        }
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
          !g_file_get_contents (path, &contents, &length, NULL))
        continue;

      (*n_files)++;
      if (contains_bytes (contents, length, needle))
        g_error ("The session token was written to %s", path);
    }
}

static void
assert_settings_hold_no (const char *secret)
{
  GSettings *settings = ui_test_get_settings ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, secret));
    }
}

static TesseraUser *
get_me_with (TesseraTestServer  *server,
             const char         *token,
             GError            **error)
{
  g_autoptr(TesseraClient) client = test_client_new (server);

  tessera_client_set_token (client, token);
  return test_client_get_me (client, error);
}

static gboolean
token_works (TesseraTestServer *server,
             const char        *token)
{
  g_autoptr(TesseraUser) me = NULL;
  g_autoptr(GError) error = NULL;

  me = get_me_with (server, token, &error);
  return me != NULL;
}

static void
test_session_token_lives_only_in_the_keyring (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autofree char *url = ui_test_server_url (server);
  const char *password = tessera_test_server_get_password (server, TESSERA_TEST_ADMIN);
  g_autofree char *token = NULL;
  g_autoptr(TesseraUser) me = NULL;
  g_autoptr(GError) error = NULL;
  TesseraWindow *window;
  guint n_files = 0;

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  ui_test_sign_in_and_load (window, server, TESSERA_TEST_ADMIN);

  /* The keyring item lands (it is stored in the background) and is a working session */
  ui_test_wait_until ((token = ui_test_keyring_lookup (url, TESSERA_TEST_ADMIN)) != NULL);
  me = get_me_with (server, token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tessera_user_get_username (me), ==, TESSERA_TEST_ADMIN);

  /* Server and username are remembered; the token and the password are not, anywhere */
  assert_setting ("server", url);
  assert_setting ("username", TESSERA_TEST_ADMIN);
  assert_settings_hold_no (token);
  assert_settings_hold_no (password);
  assert_no_file_contains (g_get_home_dir (), token, &n_files);
  assert_no_file_contains (g_get_home_dir (), password, &n_files);
  g_test_message ("looked through %u files under %s", n_files, g_get_home_dir ());

  ui_test_window_close (window);
}

static void
test_restarted_app_signs_in_silently (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autofree char *url = ui_test_server_url (server);
  g_autofree char *token = NULL;
  g_autofree char *server_setting = NULL;
  g_autofree char *username_setting = NULL;
  TesseraWindow *window;
  TesseraAccountsPage *page;

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  ui_test_sign_in_and_load (window, server, TESSERA_TEST_ADMIN);
  ui_test_wait_until ((token = ui_test_keyring_lookup (url, TESSERA_TEST_ADMIN)) != NULL);
  ui_test_window_close (window);

  /* A new window, started the way the application starts one: from the settings */
  server_setting = g_settings_get_string (ui_test_get_settings (), "server");
  username_setting = g_settings_get_string (ui_test_get_settings (), "username");
  window = ui_test_window_new ();
  tessera_window_start (window, server_setting, username_setting);

  ui_test_wait_until (ui_test_get_accounts_page (window) != NULL);
  page = ui_test_get_accounts_page (window);
  ui_test_wait_until (tessera_accounts_page_get_loaded (page));
  g_assert_cmpstr (tessera_accounts_page_get_state (page), ==, "empty");

  ui_test_window_close (window);
}

static void
test_sign_out_revokes_and_clears_the_keyring (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autofree char *url = ui_test_server_url (server);
  g_autofree char *token = NULL;
  g_autofree char *left = NULL;
  g_autoptr(TesseraUser) me = NULL;
  g_autoptr(GError) error = NULL;
  TesseraWindow *window;
  TesseraSignInPage *sign_in;

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  ui_test_sign_in_and_load (window, server, TESSERA_TEST_ADMIN);
  ui_test_wait_until ((token = ui_test_keyring_lookup (url, TESSERA_TEST_ADMIN)) != NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);

  /* Back to sign-in with the fields filled, except the password */
  ui_test_wait_until (g_strcmp0 (tessera_window_get_visible_page (window), "sign-in") == 0);
  sign_in = ui_test_get_sign_in_page (window);
  g_assert_cmpstr (tessera_sign_in_page_get_server (sign_in), ==, url);
  g_assert_cmpstr (tessera_sign_in_page_get_username (sign_in), ==, TESSERA_TEST_ADMIN);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (
                     _tessera_sign_in_page_get_password_row (sign_in))), ==, "");
  g_assert_null (ui_test_get_accounts_page (window));

  /* The keyring item goes, and the server no longer takes the token */
  ui_test_wait_until ((left = ui_test_keyring_lookup (url, TESSERA_TEST_ADMIN)) == NULL);
  ui_test_wait_until (!token_works (server, token));
  me = get_me_with (server, token, &error);
  g_assert_null (me);
  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_AUTHORIZED);

  ui_test_window_close (window);
}

static void
test_expired_session_returns_to_sign_in_filled (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autofree char *url = ui_test_server_url (server);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *left = NULL;
  TesseraWindow *window;
  TesseraSignInPage *sign_in;

  /* A session that the server has since ended, still in the keyring */
  {
    g_autoptr(TesseraClient) signed_in = test_client_new (server);
    g_autoptr(TesseraSession) session = NULL;

    session = test_client_sign_in (signed_in, TESSERA_TEST_ADMIN,
                                   tessera_test_server_get_password (server, TESSERA_TEST_ADMIN),
                                   &error);
    g_assert_no_error (error);
    token = g_strdup (tessera_session_get_token (session));
    tessera_client_sign_out_async (signed_in, NULL, test_client_on_done, &result);
    g_assert_true (tessera_client_sign_out_finish (signed_in, test_client_wait (&result), &error));
    g_assert_no_error (error);
  }
  ui_test_keyring_store (url, TESSERA_TEST_ADMIN, token);

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, url, TESSERA_TEST_ADMIN);

  ui_test_wait_until (g_strcmp0 (tessera_window_get_visible_page (window), "sign-in") == 0 &&
                      tessera_sign_in_page_get_error (ui_test_get_sign_in_page (window)) != NULL);
  sign_in = ui_test_get_sign_in_page (window);
  g_assert_cmpstr (tessera_sign_in_page_get_error (sign_in), ==,
                   "Your session has ended. Sign in again.");
  g_assert_cmpstr (tessera_sign_in_page_get_server (sign_in), ==, url);
  g_assert_cmpstr (tessera_sign_in_page_get_username (sign_in), ==, TESSERA_TEST_ADMIN);
  ui_test_wait_until ((left = ui_test_keyring_lookup (url, TESSERA_TEST_ADMIN)) == NULL);

  ui_test_window_close (window);
}

/* A self-signed certificate for 127.0.0.1, made with openssl */
static void
make_certificate (const char  *dir,
                  char       **cert_path,
                  char       **key_path)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  *cert_path = g_build_filename (dir, "cert.pem", NULL);
  *key_path = g_build_filename (dir, "key.pem", NULL);
  {
    const char *argv[] = {
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", *key_path, "-out", *cert_path, NULL
    };

    status = tessera_test_run_program (argv, NULL, &out, &err);
  }
  if (status != 0)
    g_error ("openssl failed: %s", err);
}

static TesseraCertificateDialog *
find_certificate_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (TESSERA_IS_CERTIFICATE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TESSERA_CERTIFICATE_DIALOG (window);
    }

  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Presses the dialog's button as a person would */
static void
press (TesseraCertificateDialog *dialog,
       const char               *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static void
test_untrusted_certificate_is_pinned_only_when_trusted (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tessera-ui-tls-XXXXXX", NULL);
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(TesseraTestServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *url = NULL;
  g_autofree char *pin = NULL;
  TesseraCertificateDialog *dialog;
  TesseraWindow *window;
  TesseraSignInPage *page;

  make_certificate (dir, &cert_path, &key_path);
  {
    const char *serve_args[] = { "--tls-cert", cert_path, "--tls-key", key_path, NULL };
    TesseraTestServerOptions options = { .serve_args = serve_args, .https = TRUE };

    server = tessera_test_server_new (&options);
  }
  certificate = g_tls_certificate_new_from_file (cert_path, &error);
  g_assert_no_error (error);
  fingerprint = tessera_certificate_get_fingerprint (certificate);
  url = ui_test_server_url (server);

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  page = ui_test_get_sign_in_page (window);

  /* First time: the admin is shown the fingerprint and says no. Nothing is pinned. */
  ui_test_sign_in (window, tessera_test_server_get_url (server), TESSERA_TEST_ADMIN,
                   tessera_test_server_get_password (server, TESSERA_TEST_ADMIN));
  ui_test_wait_until ((dialog = find_certificate_dialog ()) != NULL);
  g_assert_cmpstr (tessera_certificate_dialog_get_fingerprint (dialog), ==, fingerprint);
  g_assert_null (tessera_pins_lookup (ui_test_get_settings (), url));
  press (dialog, "_Cancel");
  ui_test_wait_until (tessera_sign_in_page_get_error (page) != NULL);
  g_assert_nonnull (strstr (tessera_sign_in_page_get_error (page), "is not trusted"));
  g_assert_null (tessera_pins_lookup (ui_test_get_settings (), url));
  g_assert_null (ui_test_get_accounts_page (window));
  ui_test_wait_until (find_certificate_dialog () == NULL);

  /* Second time: the admin trusts this one certificate; it is pinned and sign-in goes on */
  g_signal_emit_by_name (_tessera_sign_in_page_get_sign_in_button (page), "clicked");
  ui_test_wait_until ((dialog = find_certificate_dialog ()) != NULL);
  press (dialog, "_Trust this certificate");
  ui_test_wait_until (ui_test_get_accounts_page (window) != NULL);
  pin = tessera_pins_lookup (ui_test_get_settings (), url);
  g_assert_cmpstr (pin, ==, fingerprint);

  ui_test_wait_until (tessera_accounts_page_get_loaded (ui_test_get_accounts_page (window)));

  /* Closing the window lets go of the session's client (and the token it holds) */
  {
    TesseraClient *client = tessera_accounts_page_get_client (ui_test_get_accounts_page (window));

    g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
    ui_test_window_close (window);
    ui_test_wait_until (client == NULL);
  }
  g_assert_no_errno (g_remove (cert_path));
  g_assert_no_errno (g_remove (key_path));
  g_assert_no_errno (g_rmdir (dir));
}

static void
test_window_size_is_remembered (void)
{
  GSettings *settings = ui_test_get_settings ();
  TesseraWindow *window;
  GtkWindow *gone;
  int width = 0, height = 0;

  ui_test_reset_settings ();
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");

  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);

  /* Closed the way a person closes it */
  gone = GTK_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &gone);
  gtk_window_close (GTK_WINDOW (window));
  ui_test_wait_until (gone == NULL);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  window = ui_test_window_new ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  ui_test_window_close (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/sign-in/focus-starts-in-the-first-empty-field",
                   test_focus_starts_in_first_empty_field);
  g_test_add_func ("/ui/sign-in/enter-in-the-password-signs-in",
                   test_enter_in_the_password_signs_in);
  g_test_add_func ("/ui/sign-in/wrong-password-is-said-inline-and-nothing-is-kept",
                   test_wrong_password_is_said_inline);
  g_test_add_func ("/ui/sign-in/unreachable-server-is-said-inline",
                   test_unreachable_server_is_said_inline);
  g_test_add_func ("/ui/sign-in/not-a-tessera-server-is-said-inline",
                   test_not_a_tessera_server_is_said_inline);
  g_test_add_func ("/ui/sign-in/session-token-lives-only-in-the-keyring",
                   test_session_token_lives_only_in_the_keyring);
  g_test_add_func ("/ui/sign-in/restarted-app-signs-in-silently-from-the-keyring",
                   test_restarted_app_signs_in_silently);
  g_test_add_func ("/ui/sign-in/sign-out-revokes-the-token-and-clears-the-keyring",
                   test_sign_out_revokes_and_clears_the_keyring);
  g_test_add_func ("/ui/sign-in/expired-session-returns-to-sign-in-with-the-fields-filled",
                   test_expired_session_returns_to_sign_in_filled);
  g_test_add_func ("/ui/sign-in/untrusted-certificate-is-pinned-only-when-the-admin-trusts-it",
                   test_untrusted_certificate_is_pinned_only_when_trusted);
  g_test_add_func ("/ui/window/size-is-remembered-when-closed",
                   test_window_size_is_remembered);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `ui`: desktop notifications of new requests (DESIGN §1.3). The test runs its own
 * D-Bus session (GTestDBus) in which it plays the desktop's notification service: it owns
 * org.gtk.Notifications on a connection of its own, as GNOME Shell does, and records what the
 * app's GApplication sends there. Nothing in the app is replaced: the real TesseraNotifier
 * calls g_application_send_notification() and GLib's own backend talks D-Bus to this service.
 */
#include "config.h"

#include <string.h>

#include "tessera-notifier.h"
#include "tessera-test-db.h"
#include "test-ui-review-common.h"

#define DEMO_ACCOUNTS 20

/* The notification service */

typedef struct {
  char     *method;        /* "AddNotification" or "RemoveNotification" */
  char     *app_id;
  char     *id;
  GVariant *notification;  /* a{sv} as g_notification_serialize() makes it; NULL for Remove */
} Call;

static GPtrArray *calls;   /* Call */
static guint owner_id;

static const char service_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  /* The test's own: answered after every call that came before it (see sync_with_service) */
  "  <interface name='io.github.tessera.Test.Barrier'>"
  "    <method name='Sync'/>"
  "  </interface>"
  "</node>";

static void
call_free (Call *call)
{
  g_free (call->method);
  g_free (call->app_id);
  g_free (call->id);
  g_clear_pointer (&call->notification, g_variant_unref);
  g_free (call);
}

static void
on_service_call (GDBusConnection       *connection,
                 const char            *sender,
                 const char            *object_path,
                 const char            *interface_name,
                 const char            *method_name,
                 GVariant              *parameters,
                 GDBusMethodInvocation *invocation,
                 gpointer               user_data)
{
  Call *call;

  if (g_str_equal (method_name, "Sync"))
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
      return;
    }

  call = g_new0 (Call, 1);
  call->method = g_strdup (method_name);
  if (g_str_equal (method_name, "AddNotification"))
    g_variant_get (parameters, "(ss@a{sv})", &call->app_id, &call->id, &call->notification);
  else
    g_variant_get (parameters, "(ss)", &call->app_id, &call->id);
  g_ptr_array_add (calls, call);

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable service_vtable = { on_service_call, NULL, NULL, { NULL } };

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  g_error ("The test could not own %s on its own bus", name);
}

static GDBusConnection *
start_notification_service (const char *address)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (service_xml, NULL);
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;
  gboolean owned = FALSE;

  connection = g_dbus_connection_new_for_address_sync (
    address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_dbus_connection_register_object (connection, "/org/gtk/Notifications",
                                         info->interfaces[i], &service_vtable, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  owner_id = g_bus_own_name_on_connection (connection, "org.gtk.Notifications",
                                           G_BUS_NAME_OWNER_FLAGS_NONE,
                                           on_name_acquired, on_name_lost, &owned, NULL);
  ui_test_wait_until (owned);

  return connection;
}

static Call *
find_call (const char *method,
           const char *id)
{
  for (guint i = 0; i < calls->len; i++)
    {
      Call *call = g_ptr_array_index (calls, i);

      if (g_str_equal (call->method, method) && g_strcmp0 (call->id, id) == 0)
        return call;
    }

  return NULL;
}

static guint
count_calls (const char *method)
{
  guint n = 0;

  for (guint i = 0; i < calls->len; i++)
    if (g_str_equal (((Call *) g_ptr_array_index (calls, i))->method, method))
      n++;

  return n;
}

/*
 * Returns once the service has handled everything the app sent it so far: D-Bus keeps the
 * order of one sender's messages to one receiver, and the service handles its calls in order
 */
static void
sync_with_service (void)
{
  GDBusConnection *connection =
    g_application_get_dbus_connection (G_APPLICATION (ui_test_get_application ()));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_dbus_connection_call (connection, "org.gtk.Notifications", "/org/gtk/Notifications",
                          "io.github.tessera.Test.Barrier", "Sync", NULL, NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, test_client_on_done, &result);
  ui_test_wait_until (result != NULL);
  reply = g_dbus_connection_call_finish (connection, result, &error);
  g_assert_no_error (error);
}

/* The app */

static char *
notification_id (const char *request_id)
{
  return tessera_notifier_dup_notification_id (request_id);
}

/* Another window takes the focus, as when the admin works in another program */
static GtkWindow *
look_away (TesseraWindow *window)
{
  GtkWindow *elsewhere = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_title (elsewhere, "Another program");
  gtk_window_present (elsewhere);
  ui_test_wait_until (!gtk_window_is_active (GTK_WINDOW (window)));
  return elsewhere;
}

static char *
redeem (TesseraTestServer   *server,
        TesseraClient       *admin,
        TesseraAccountsPage *page,
        const char          *account_id,
        const char          *serial_number)
{
  const char *ids[] = { account_id, NULL };
  g_autoptr(GPtrArray) codes = review_test_issue (admin, ids);
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;

  redemption = test_client_redeem (admin, g_ptr_array_index (codes, 0), serial_number, &error);
  g_assert_no_error (error);
  review_test_wait_awaiting (page, account_id);
  return review_test_request_id (admin, account_id);
}

static const char *
lookup_string (GVariant   *dict,
               const char *key)
{
  const char *value = NULL;

  g_assert_true (g_variant_lookup (dict, key, "&s", &value));
  return value;
}

static void
test_announced_while_away_and_withdrawn_when_resolved (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS, 0);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (admin, 1);
  const char *account_id = g_ptr_array_index (fresh, 0);
  g_autofree char *request_id = NULL;
  g_autofree char *id = NULL;
  g_autofree char *device = NULL;
  g_autoptr(GVariant) buttons = NULL;
  g_autoptr(GVariant) button = NULL;
  TesseraAccountsPage *page;
  TesseraReviewWindow *review;
  TesseraAccount *account;
  TesseraWindow *window;
  GtkWindow *elsewhere;
  Call *added;

  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);
  account = tessera_accounts_model_lookup (tessera_accounts_page_get_model (page), account_id);
  elsewhere = look_away (window);

  request_id = redeem (server, admin, page, account_id, "SN-N1");
  id = notification_id (request_id);
  ui_test_wait_until ((added = find_call ("AddNotification", id)) != NULL);

  /* What the desktop shows */
  g_assert_cmpstr (added->app_id, ==,
                   g_application_get_application_id (G_APPLICATION (ui_test_get_application ())));
  g_assert_cmpstr (lookup_string (added->notification, "title"), ==,
                   "OTP request awaiting approval");
  g_assert_nonnull (strstr (lookup_string (added->notification, "body"),
                            tessera_account_get_display_name (account)));
  device = g_strdup ("Contoso Room Console 9 (SN-N1)");
  g_assert_nonnull (strstr (lookup_string (added->notification, "body"), device));

  /* Clicking it, or its Review button, asks the app to review exactly this request */
  g_assert_cmpstr (lookup_string (added->notification, "default-action"), ==,
                   "app.review-request");
  g_assert_cmpstr (lookup_string (added->notification, "default-action-target"), ==, request_id);
  g_assert_true (g_variant_lookup (added->notification, "buttons", "@aa{sv}", &buttons));
  g_assert_cmpuint (g_variant_n_children (buttons), ==, 1);
  button = g_variant_get_child_value (buttons, 0);
  g_assert_cmpstr (lookup_string (button, "label"), ==, "Review");
  g_assert_cmpstr (lookup_string (button, "action"), ==, "app.review-request");
  g_assert_cmpstr (lookup_string (button, "target"), ==, request_id);

  /* The shell activates that action: the window comes forward with the request */
  g_action_group_activate_action (G_ACTION_GROUP (ui_test_get_application ()), "review-request",
                                  g_variant_new_string (lookup_string (button, "target")));
  ui_test_wait_until ((review = review_test_find_window ()) != NULL);
  review_test_wait_shows (review, account_id);
  g_assert_cmpstr (tessera_request_get_id (tessera_review_window_get_request (review)), ==,
                   request_id);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (review)) == GTK_WINDOW (window));

  /* Resolved: the notification goes */
  g_assert_null (find_call ("RemoveNotification", id));
  review_choose_approve (review);
  review_press_resolve (review);
  ui_test_wait_until (find_call ("RemoveNotification", id) != NULL);
  sync_with_service ();
  g_assert_cmpuint (count_calls ("AddNotification"), ==, 1);

  gtk_window_destroy (elsewhere);
  ui_test_window_close (window);
}

static void
test_nothing_while_the_app_is_active (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS, 0);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (admin, 1);
  g_autofree char *request_id = NULL;
  TesseraAccountsPage *page;
  TesseraWindow *window;
  guint n_added = count_calls ("AddNotification");

  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_until (gtk_window_is_active (GTK_WINDOW (window)));

  /* The page and the notifier hear the same event: once the row shows it, both have; and
   * once the service answers, it has seen whatever the notifier sent */
  request_id = redeem (server, admin, page, g_ptr_array_index (fresh, 0), "SN-N2");
  sync_with_service ();
  g_assert_cmpuint (count_calls ("AddNotification"), ==, n_added);

  ui_test_window_close (window);
}

static void
test_expiry_and_sign_out_withdraw (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS, 0);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (admin, 2);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  TesseraAccountsPage *page;
  TesseraAccount *account;
  TesseraWindow *window;
  GtkWindow *elsewhere;

  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);
  elsewhere = look_away (window);

  /* Two consoles at once: one notification each */
  first = redeem (server, admin, page, g_ptr_array_index (fresh, 0), "SN-N3");
  second = redeem (server, admin, page, g_ptr_array_index (fresh, 1), "SN-N4");
  first_id = notification_id (first);
  second_id = notification_id (second);
  ui_test_wait_until (find_call ("AddNotification", first_id) != NULL);
  ui_test_wait_until (find_call ("AddNotification", second_id) != NULL);

  /* The first expires: the server finds out on its next transaction and says so */
  account = tessera_accounts_model_lookup (tessera_accounts_page_get_model (page),
                                           g_ptr_array_index (fresh, 0));
  tessera_test_db_set_otp_expiry (tessera_test_server_get_db_path (server),
                                  tessera_account_get_otp_id (account),
                                  g_get_real_time () - 60 * G_USEC_PER_SEC);
  {
    g_autoptr(TesseraRequest) expired = review_test_get_request (admin, first);

    g_assert_cmpint (tessera_request_get_state (expired), ==, TESSERA_REQUEST_EXPIRED);
  }
  ui_test_wait_until (find_call ("RemoveNotification", first_id) != NULL);
  g_assert_null (find_call ("RemoveNotification", second_id));

  /* Signing out takes the session's notifications away */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  ui_test_wait_until (find_call ("RemoveNotification", second_id) != NULL);

  gtk_window_destroy (elsewhere);
  ui_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;
  g_autoptr(GDBusConnection) service = NULL;
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  int status;

  /* Before GTK and libadwaita connect to a session bus: this one is ours alone. GTestDBus
   * also forgets the X display (for tests that must not reach the desktop); Xvfb is ours. */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);

  ui_test_init (&argc, &argv);
  calls = g_ptr_array_new_with_free_func ((GDestroyNotify) call_free);
  service = start_notification_service (g_test_dbus_get_bus_address (bus));

  g_test_add_func ("/ui/notifications/request-while-away-is-announced-and-withdrawn-when-resolved",
                   test_announced_while_away_and_withdrawn_when_resolved);
  g_test_add_func ("/ui/notifications/nothing-while-the-app-is-active",
                   test_nothing_while_the_app_is_active);
  g_test_add_func ("/ui/notifications/expiry-and-sign-out-withdraw-them",
                   test_expiry_and_sign_out_withdraw);

  status = g_test_run ();

  g_clear_pointer (&calls, g_ptr_array_unref);
  g_bus_unown_name (owner_id);
  g_dbus_connection_close_sync (service, NULL, NULL);
  /*
   * The application keeps its connection to the end, so the bus is stopped without waiting
   * for that connection to go (which g_test_dbus_down() and the last unref would do)
   */
  g_test_dbus_stop (bus);
  return status;
}

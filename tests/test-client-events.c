/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-client-common.h"

/*
 * The client's event stream (/api/v1/events) against a real server: events arrive as
 * decoded TesseraEvent objects, a refused session stops the stream with NOT_AUTHORIZED, and a
 * server that goes away and comes back is reconnected to.
 */

typedef struct {
  GPtrArray *events;
  GError    *failure;
  guint      n_failures;
} Recorder;

static void
on_event (TesseraClient *client,
          TesseraEvent  *event,
          Recorder      *recorder)
{
  g_ptr_array_add (recorder->events, g_object_ref (event));
}

static void
on_events_failed (TesseraClient *client,
                  const GError  *error,
                  Recorder      *recorder)
{
  recorder->n_failures++;
  g_clear_error (&recorder->failure);
  recorder->failure = g_error_copy (error);
}

static void
recorder_connect (Recorder      *recorder,
                  TesseraClient *client)
{
  recorder->events = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (client, "event", G_CALLBACK (on_event), recorder);
  g_signal_connect (client, "events-failed", G_CALLBACK (on_events_failed), recorder);
}

static void
recorder_clear (Recorder *recorder)
{
  g_clear_pointer (&recorder->events, g_ptr_array_unref);
  g_clear_error (&recorder->failure);
}

static gboolean
is_connected (gpointer data)
{
  return tessera_client_get_connected (data);
}

static gboolean
is_disconnected (gpointer data)
{
  return !tessera_client_get_connected (data);
}

static gboolean
has_failed (gpointer data)
{
  Recorder *recorder = data;

  return recorder->n_failures > 0;
}

typedef struct {
  Recorder         *recorder;
  TesseraEventType  type;
  const char       *account_id;
} Wanted;

static gboolean
has_account_event (gpointer data)
{
  Wanted *wanted = data;

  for (guint i = 0; i < wanted->recorder->events->len; i++)
    {
      TesseraEvent *event = g_ptr_array_index (wanted->recorder->events, i);
      TesseraAccount *account = tessera_event_get_account (event);

      if (tessera_event_get_event_type (event) == wanted->type && account != NULL &&
          g_str_equal (tessera_account_get_id (account), wanted->account_id))
        return TRUE;
    }

  return FALSE;
}

/* Generates an OTP for a fresh account and returns its id. */
static char *
change_an_account (TesseraClient *admin)
{
  g_autoptr(GPtrArray) ids = test_client_fresh_ready_accounts (admin, 1);
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  batch = test_client_generate (admin, (const char * const *) ids->pdata, NULL, &error);
  g_assert_no_error (error);

  return g_strdup (g_ptr_array_index (ids, 0));
}

static void
test_events_arrive_decoded (void)
{
  TesseraTestServerOptions options = { .demo_accounts = 30 };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraClient) viewer = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autofree char *account_id = NULL;
  Recorder recorder = { 0 };
  Wanted wanted = { &recorder, TESSERA_EVENT_ACCOUNT_UPDATED, NULL };

  recorder_connect (&recorder, viewer);
  g_assert_false (tessera_client_get_connected (viewer));
  tessera_client_start_events (viewer);
  tessera_client_start_events (viewer);  /* twice is harmless */
  test_client_wait_until (is_connected, viewer, "the event stream is connected");

  account_id = change_an_account (admin);
  wanted.account_id = account_id;
  test_client_wait_until (has_account_event, &wanted, "account.updated arrives");

  tessera_client_stop_events (viewer);
  g_assert_false (tessera_client_get_connected (viewer));
  g_assert_cmpuint (recorder.n_failures, ==, 0);

  recorder_clear (&recorder);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_refused_session_stops_with_not_authorized (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autoptr(TesseraClient) client = test_client_new (server);
  Recorder recorder = { 0 };
  gulong notify_id;
  guint n_connected_notifies = 0;

  recorder_connect (&recorder, client);
  notify_id = g_signal_connect (client, "notify::connected", G_CALLBACK (count_notify),
                                &n_connected_notifies);

  tessera_client_set_token (client, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  tessera_client_start_events (client);
  test_client_wait_until (has_failed, &recorder, "events-failed is emitted");

  g_assert_error (recorder.failure, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_AUTHORIZED);
  g_assert_false (tessera_client_get_connected (client));
  g_assert_cmpuint (n_connected_notifies, ==, 0);
  g_assert_cmpuint (recorder.n_failures, ==, 1);

  g_signal_handler_disconnect (client, notify_id);
  recorder_clear (&recorder);
}

static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  return port;
}

static void
test_reconnects_when_the_server_comes_back (void)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", free_port ());
  const char *serve_args[] = { "--listen", listen, NULL };
  TesseraTestServerOptions options = { .demo_accounts = 30, .serve_args = serve_args };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraClient) viewer = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraClient) admin = NULL;
  g_autofree char *url_before = g_strdup (tessera_test_server_get_url (server));
  g_autofree char *account_id = NULL;
  Recorder recorder = { 0 };
  Wanted wanted = { &recorder, TESSERA_EVENT_ACCOUNT_UPDATED, NULL };

  recorder_connect (&recorder, viewer);
  tessera_client_start_events (viewer);
  test_client_wait_until (is_connected, viewer, "the event stream is connected");

  g_assert_cmpint (tessera_test_server_stop (server), ==, 0);
  test_client_wait_until (is_disconnected, viewer, "the client notices the server is gone");

  tessera_test_server_restart (server);
  g_assert_cmpstr (tessera_test_server_get_url (server), ==, url_before);
  test_client_wait_until (is_connected, viewer, "the event stream is connected again");

  /* The session survived the restart, and events flow on the new connection. */
  admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  account_id = change_an_account (admin);
  wanted.account_id = account_id;
  test_client_wait_until (has_account_event, &wanted, "account.updated arrives after reconnecting");
  g_assert_cmpuint (recorder.n_failures, ==, 0);

  tessera_client_stop_events (viewer);
  recorder_clear (&recorder);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/client/events/arrive-decoded", test_events_arrive_decoded);
  g_test_add_func ("/client/events/refused-session-stops-with-not-authorized",
                   test_refused_session_stops_with_not_authorized);
  g_test_add_func ("/client/events/reconnects-when-the-server-comes-back",
                   test_reconnects_when_the_server_comes_back);

  return g_test_run ();
}

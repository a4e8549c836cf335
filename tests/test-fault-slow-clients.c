/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Slow clients against a real tessera-server (DESIGN §6; TOOLING.md: SoupServer has no
 * timeouts of its own, the server enforces them): fifty connections that send half a request
 * and stall do not keep anyone else from being served, and the server closes them once
 * [server] request_timeout_seconds has passed, releasing what they held.
 *
 * Nothing here asserts a duration. The first test gives the stalled connections an hour, so
 * that they are certainly open while the others are served; the second gives them two
 * seconds and waits (up to a generous bound) to see the server close each one. How long that
 * took is reported, not judged.
 */
#include "config.h"

#include <string.h>

#include "tessera-test-api.h"

#define N_STALLED 50

/* Three ways to stop halfway: in the request line, in the headers, in the body. */
static const char * const half_requests[] = {
  "GET /api/v1/acc",
  "POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl",
  "POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
  "Content-Length: 200\r\n\r\n{\"username\":\"admin\",",
};

typedef struct {
  GSocketConnection *connections[N_STALLED];
} Stalled;

/* Each from its own address, so that no per-address rule could stand in for the timeout. */
static void
stall (TesseraTestServer *server,
       Stalled           *stalled)
{
  for (guint i = 0; i < N_STALLED; i++)
    {
      g_autofree char *source = g_strdup_printf ("127.0.0.%u", 100 + i);

      stalled->connections[i] = tessera_test_raw_connect (server, source);
      tessera_test_raw_send (stalled->connections[i],
                             half_requests[i % G_N_ELEMENTS (half_requests)], -1);
    }
}

static void
stalled_clear (Stalled *stalled)
{
  for (guint i = 0; i < N_STALLED; i++)
    g_clear_object (&stalled->connections[i]);
}

/* Open: nothing to read yet, and no end of stream. */
static gboolean
is_open (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GError) error = NULL;
  char byte;
  gssize n;

  if (g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR) == 0)
    return TRUE;

  n = g_socket_receive_with_blocking (socket, &byte, 1, FALSE, NULL, &error);
  return n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
}

static void
serve_others (TesseraTestServer *server,
              const char        *token)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, "127.0.0.2");
  g_autoptr(TesseraTestResponse) health = NULL;
  g_autoptr(TesseraTestResponse) me = NULL;
  g_autoptr(TesseraTestResponse) accounts = NULL;

  health = tessera_test_client_request (client, "GET", "/healthz", NULL, NULL);
  tessera_test_assert_json (health, 200);
  me = tessera_test_client_request (client, "GET", "/api/v1/me", token, NULL);
  tessera_test_assert_json (me, 200);
  accounts = tessera_test_client_request (client, "GET", "/api/v1/accounts", token, NULL);
  tessera_test_assert_json (accounts, 200);
  g_assert_cmpint (tessera_test_json_get_int (accounts->json, "total"), ==, 20);
}

static TesseraTestServer *
new_server (guint timeout_seconds)
{
  g_autofree char *config = g_strdup_printf ("[server]\nrequest_timeout_seconds = %u\n",
                                             timeout_seconds);
  TesseraTestServerOptions options = { .demo_accounts = 20, .config_text = config };

  return tessera_test_server_new (&options);
}

static void
test_stalled_connections_do_not_stop_others (void)
{
  g_autoptr(TesseraTestServer) server = new_server (3600);
  g_autofree char *token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  Stalled stalled = { 0 };

  stall (server, &stalled);
  serve_others (server, token);

  /* The others were served while all fifty were still waiting on the server. */
  for (guint i = 0; i < N_STALLED; i++)
    g_assert_true (is_open (stalled.connections[i]));

  stalled_clear (&stalled);
}

static guint
count_open_files (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Waits for the server to end the connection: FIN or reset, with at most a 408 before it. */
static void
assert_closed_by_server (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GString) received = g_string_new (NULL);

  /* A bound for a broken server only: the server's own timeout is 2 s. */
  g_socket_set_timeout (socket, 120);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char buffer[512];
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n > 0)
        {
          g_string_append_len (received, buffer, n);
          continue;
        }
      if (n < 0)
        {
          g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
        }
      break;
    }

  if (received->len > 0)
    g_assert_true (g_str_has_prefix (received->str, "HTTP/1.1 408 "));
}

static void
test_stalled_connections_are_closed_after_the_timeout (void)
{
  g_autoptr(TesseraTestServer) server = new_server (2);
  g_autofree char *token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  GPid pid = tessera_test_server_get_pid (server);
  Stalled stalled = { 0 };
  guint files_before = count_open_files (pid);
  guint files_now;
  gint64 started, first = 0, last = 0;

  started = g_get_monotonic_time ();
  stall (server, &stalled);
  serve_others (server, token);

  for (guint i = 0; i < N_STALLED; i++)
    {
      gint64 closed;

      assert_closed_by_server (stalled.connections[i]);
      closed = g_get_monotonic_time () - started;
      first = i == 0 ? closed : MIN (first, closed);
      last = MAX (last, closed);
    }
  g_test_message ("%d stalled connections closed by the server %.1f to %.1f s after they "
                  "started (timeout 2 s)", N_STALLED, first / 1e6, last / 1e6);

  /* The server let go of every one of them. */
  stalled_clear (&stalled);
  files_now = count_open_files (pid);
  for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
       files_now > files_before && g_get_monotonic_time () < deadline;
       files_now = count_open_files (pid))
    g_usleep (50 * 1000);
  g_assert_cmpuint (files_now, <=, files_before);

  /* And it still serves. */
  serve_others (server, token);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/fault/slow-clients/fifty-stalled-connections-do-not-stop-others",
                   test_stalled_connections_do_not_stop_others);
  g_test_add_func ("/fault/slow-clients/stalled-connections-are-closed-after-the-timeout",
                   test_stalled_connections_are_closed_after_the_timeout);

  return g_test_run ();
}

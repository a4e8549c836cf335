/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Stalled TLS handshakes against a real tessera-server over HTTPS (DESIGN §6), with a
 * certificate openssl makes for the run. Clients stall a handshake three ways: they connect
 * and send nothing, send part of a ClientHello, or send a whole one (recorded from a real TLS
 * client) and never answer the server's reply, which leaves the server's side of the handshake
 * running. None of them keeps anyone else from being served (the first two do not even hold
 * a thread each) or holds the server up when it is told to stop; the server closes them once
 * [server] tls_handshake_timeout_seconds has passed, refuses connections beyond its cap of
 * handshakes in progress, resumes accepting after running out of file descriptors, and still
 * answers 413 from the headers over TLS. An events stream that is quiet for longer than every
 * timeout stays open. Plain HTTP, which the same listener accepts, serves and stops as before
 * with stalled connections open.
 *
 * Nothing here asserts a duration: a server that must still have a connection open gets an
 * hour for it, and waits for the server to act are bounded only to catch a broken server.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/socket.h>

#include <glib/gstdio.h>

#include "tessera-http-listener.h"
#include "tessera-test-api.h"

#define N_STALLED 50

/* Generous bounds for a broken server only; a working one acts within seconds. */
#define CLOSE_BOUND_SECONDS 120
#define EXIT_BOUND_SECONDS  10

/* A TLS handshake record announcing an 80-byte ClientHello, cut off after its first bytes. */
static const char partial_client_hello[] = "\x16\x03\x01\x00\x50\x01\x00";

static char *cert_dir;
static char *cert_path;
static char *key_path;

/* A whole ClientHello record, as glib-networking's client sends it (capture_client_hello()). */
static GBytes *client_hello;

static void
make_certificate (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  cert_dir = g_dir_make_tmp ("tessera-fault-tls-XXXXXX", NULL);
  g_assert_nonnull (cert_dir);
  cert_path = g_build_filename (cert_dir, "cert.pem", NULL);
  key_path = g_build_filename (cert_dir, "key.pem", NULL);

  {
    const char *openssl[] = {
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
      "subjectAltName=IP:127.0.0.1", "-keyout", key_path, "-out", cert_path, NULL
    };

    if (tessera_test_run_program (openssl, NULL, &out, &err) != 0)
      g_error ("openssl could not make a certificate: %s", err);
  }
}

static void
remove_certificate (void)
{
  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (cert_dir);
  g_clear_pointer (&cert_path, g_free);
  g_clear_pointer (&key_path, g_free);
  g_clear_pointer (&cert_dir, g_free);
}

/* Reads exactly @length bytes (the socket's timeout bounds each wait); FALSE at the end. */
static gboolean
receive_exactly (GSocket *socket,
                 guint8  *buffer,
                 gsize    length)
{
  for (gsize done = 0; done < length;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, (char *) buffer + done, length - done, NULL, &error);

      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }

  return TRUE;
}

static void
on_recording_handshake_done (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  gboolean *done = user_data;

  /* It cannot succeed: no server ever answers it. */
  g_assert_false (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, NULL));
  *done = TRUE;
}

/*
 * Records the first record a real TLS client sends: its ClientHello. Sent to the server on a
 * raw connection, it starts the server's side of the handshake, which then waits for a client
 * that never answers (the stage a bare socket wait cannot cover: see tessera-http-listener.c).
 */
static GBytes *
capture_client_hello (void)
{
  g_autoptr(GSocket) ours = NULL;
  g_autoptr(GSocket) theirs = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *record = NULL;
  guint8 header[5];
  gsize length;
  gboolean done = FALSE;
  gint64 deadline;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  ours = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  theirs = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  g_socket_set_timeout (ours, CLOSE_BOUND_SECONDS);

  connection = g_socket_connection_factory_create_connection (theirs);
  identity = g_network_address_new ("127.0.0.1", 443);
  tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  g_assert_no_error (error);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, cancellable,
                                    on_recording_handshake_done, &done);

  g_assert_true (receive_exactly (ours, header, sizeof header));
  g_assert_cmpuint (header[0], ==, 0x16);  /* a handshake record */
  length = ((gsize) header[3] << 8) | header[4];
  record = g_malloc (sizeof header + length);
  memcpy (record, header, sizeof header);
  g_assert_true (receive_exactly (ours, record + sizeof header, length));
  g_assert_cmpuint (record[sizeof header], ==, 0x01);  /* ClientHello */

  g_cancellable_cancel (cancellable);
  g_socket_close (ours, NULL);
  deadline = g_get_monotonic_time () + CLOSE_BOUND_SECONDS * G_USEC_PER_SEC;
  while (!done && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10 * 1000);
    }
  g_assert_true (done);

  return g_bytes_new_take (g_steal_pointer (&record), sizeof header + length);
}

static TesseraTestServer *
new_server (const char *config_text)
{
  const char *serve_args[] = { "--tls-cert", cert_path, "--tls-key", key_path, NULL };
  TesseraTestServerOptions options = {
    .config_text = config_text,
    .serve_args = serve_args,
    .https = TRUE,
    .demo_accounts = 5,
  };

  return tessera_test_server_new (&options);
}

/*
 * The request timeout is an hour too unless told otherwise: a connection the server closes
 * then was closed by the handshake deadline, the one thing that can close it.
 */
static TesseraTestServer *
new_server_with_handshake_timeout (guint seconds)
{
  g_autofree char *config = g_strdup_printf ("[server]\n"
                                             "tls_handshake_timeout_seconds = %u\n"
                                             "request_timeout_seconds = 3600\n",
                                             seconds);

  return new_server (config);
}

/* An HTTPS client that trusts exactly the test certificate. */
static TesseraTestClient *
new_client (TesseraTestServer *server)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  TesseraTestClient *client;

  database = g_tls_file_database_new (cert_path, &error);
  g_assert_no_error (error);
  client = tessera_test_client_new (server, "127.0.0.2");
  g_object_set (tessera_test_client_get_session (client), "tls-database", database, NULL);

  return client;
}

/* Healthy, and signing in (a database write) works: the whole server answers. */
static void
assert_answered_by (TesseraTestServer *server,
                    TesseraTestClient *client)
{
  g_autoptr(TesseraTestResponse) health = NULL;
  g_autoptr(TesseraTestResponse) me = NULL;
  g_autofree char *token = NULL;

  health = tessera_test_client_request (client, "GET", "/healthz", NULL, NULL);
  tessera_test_assert_json (health, 200);
  token = tessera_test_server_sign_in_with (server, client, TESSERA_TEST_ADMIN);
  me = tessera_test_client_request (client, "GET", "/api/v1/me", token, NULL);
  tessera_test_assert_json (me, 200);
}

static void
assert_served (TesseraTestServer *server)
{
  g_autoptr(TesseraTestClient) client = new_client (server);

  assert_answered_by (server, client);
}

typedef enum {
  STALL_SILENT,         /* connects and sends nothing */
  STALL_PARTIAL_HELLO,  /* sends part of a ClientHello */
  STALL_AFTER_HELLO,    /* sends a whole ClientHello, never answers the server's reply */
} StallKind;

typedef struct {
  GSocketConnection *connections[N_STALLED];
  StallKind          kinds[N_STALLED];
} Stalled;

/* Waits for the server's reply to a whole ClientHello: its side of the handshake is running. */
static void
wait_for_server_hello (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  guint8 header[5];

  g_socket_set_timeout (socket, CLOSE_BOUND_SECONDS);
  if (!receive_exactly (socket, header, sizeof header))
    g_error ("The server closed a connection that sent a whole ClientHello, or did not answer "
             "it within %d s", CLOSE_BOUND_SECONDS);
  g_assert_cmpuint (header[0], ==, 0x16);  /* a handshake record: the ServerHello */
  g_socket_set_timeout (socket, 0);
}

/*
 * Opens N_STALLED connections, each from its own address, each stalling the handshake the
 * way @kinds says in turn. With @wait_for_replies, returns only once the server has answered
 * every whole ClientHello (is in the middle of each of those handshakes); without, a short
 * deadline may rightly close one before its turn for a thread comes.
 */
static void
stall (TesseraTestServer *server,
       Stalled           *stalled,
       const StallKind   *kinds,
       guint              n_kinds,
       gboolean           wait_for_replies)
{
  for (guint i = 0; i < N_STALLED; i++)
    {
      g_autofree char *source = g_strdup_printf ("127.0.0.%u", 100 + i);
      GSocketConnection *connection = tessera_test_raw_connect (server, source);

      stalled->connections[i] = connection;
      stalled->kinds[i] = kinds[i % n_kinds];
      switch (stalled->kinds[i])
        {
        case STALL_SILENT:
          break;
        case STALL_PARTIAL_HELLO:
          tessera_test_raw_send (connection, partial_client_hello,
                                 sizeof partial_client_hello - 1);
          break;
        case STALL_AFTER_HELLO:
          tessera_test_raw_send (connection, g_bytes_get_data (client_hello, NULL),
                                 (gssize) g_bytes_get_size (client_hello));
          break;
        default:
          g_assert_not_reached ();
        }
    }

  for (guint i = 0; wait_for_replies && i < N_STALLED; i++)
    if (stalled->kinds[i] == STALL_AFTER_HELLO)
      wait_for_server_hello (stalled->connections[i]);
}

static void
stalled_clear (Stalled *stalled)
{
  for (guint i = 0; i < N_STALLED; i++)
    g_clear_object (&stalled->connections[i]);
}

/* Open: no end of stream and no error; whatever the server sent is read and dropped. */
static gboolean
is_open (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char buffer[4096];
      gssize n;

      n = g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE, NULL, &error);
      if (n > 0)
        continue;
      if (n == 0)
        return FALSE;
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
    }
}

static void
assert_all_open (Stalled *stalled)
{
  for (guint i = 0; i < N_STALLED; i++)
    if (!is_open (stalled->connections[i]))
      g_error ("The server closed stalled connection %u (kind %d) too early", i,
               stalled->kinds[i]);
}

/* Waits for the server to end the connection (FIN or reset); what it sent first is dropped. */
static void
assert_closed_by_server (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);

  g_socket_set_timeout (socket, CLOSE_BOUND_SECONDS);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char buffer[4096];
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n > 0)
        continue;
      if (n == 0)
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_error ("The server left a stalled connection open for %d s", CLOSE_BOUND_SECONDS);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
      return;
    }
}

static void
assert_all_closed_by_server (Stalled *stalled)
{
  for (guint i = 0; i < N_STALLED; i++)
    assert_closed_by_server (stalled->connections[i]);
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

/* Waits (up to a bound) for the server to hold no more files than @before. */
static void
assert_files_released (GPid  pid,
                       guint before)
{
  guint now = count_open_files (pid);

  for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
       now > before && g_get_monotonic_time () < deadline;
       now = count_open_files (pid))
    g_usleep (50 * 1000);
  g_assert_cmpuint (now, <=, before);
}

static guint
count_threads (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "\nThreads:");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("\nThreads:"), NULL, 10);
}

static void
test_stalled_handshakes_do_not_stop_others (void)
{
  static const StallKind kinds[] = { STALL_SILENT, STALL_PARTIAL_HELLO };
  g_autoptr(TesseraTestServer) server = new_server_with_handshake_timeout (3600);
  g_autoptr(GSocketConnection) plain_client = NULL;
  GPid pid = tessera_test_server_get_pid (server);
  Stalled stalled = { 0 };
  guint threads;

  stall (server, &stalled, kinds, G_N_ELEMENTS (kinds), TRUE);
  assert_served (server);

  /* Not TLS at all: GnuTLS says so and the server closes it, long before its deadline. */
  plain_client = tessera_test_raw_connect (server, NULL);
  tessera_test_raw_send (plain_client, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", -1);
  assert_closed_by_server (plain_client);

  /* Served while all fifty were still waiting on the server, which gave none of them a
   * thread of its own: with one each, it had to grow its thread pool past fifty first. */
  assert_all_open (&stalled);
  threads = count_threads (pid);
  g_test_message ("the server runs %u threads with %d stalled handshakes", threads, N_STALLED);
  g_assert_cmpuint (threads, <, N_STALLED);

  stalled_clear (&stalled);
}

static void
test_stalled_handshakes_after_the_client_hello_do_not_stop_others (void)
{
  static const StallKind kinds[] = { STALL_AFTER_HELLO };
  g_autoptr(TesseraTestServer) server = new_server_with_handshake_timeout (3600);
  Stalled stalled = { 0 };

  /* Each of these holds one of the server's threads until its deadline (by design: the
   * listener's comment says why); a real client is served all the same. */
  stall (server, &stalled, kinds, G_N_ELEMENTS (kinds), TRUE);
  assert_served (server);
  assert_all_open (&stalled);

  stalled_clear (&stalled);
}

static void
test_stalled_handshakes_are_closed_after_the_deadline (void)
{
  static const StallKind kinds[] = { STALL_SILENT, STALL_PARTIAL_HELLO, STALL_AFTER_HELLO };
  g_autoptr(TesseraTestServer) server = new_server_with_handshake_timeout (2);
  GPid pid = tessera_test_server_get_pid (server);
  guint files_before = count_open_files (pid);
  Stalled stalled = { 0 };
  gint64 started;

  started = g_get_monotonic_time ();
  stall (server, &stalled, kinds, G_N_ELEMENTS (kinds), FALSE);
  assert_all_closed_by_server (&stalled);
  g_test_message ("%d stalled handshakes closed by the server within %.1f s (deadline 2 s)",
                  N_STALLED, (g_get_monotonic_time () - started) / 1e6);

  /* The server let go of every one of them, and serves as before. */
  stalled_clear (&stalled);
  assert_files_released (pid, files_before);
  assert_served (server);
}

/* The server process has ended: gone, or a zombie waiting for the harness to reap it. */
static gboolean
has_exited (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *state;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;

  /* "PID (COMM) STATE …"; COMM may hold spaces or parentheses, so look after the last ')'. */
  state = strrchr (stat, ')');
  return state != NULL && state[1] == ' ' && state[2] == 'Z';
}

/*
 * SIGTERM; asserts the server ends (a liveness condition, not a benchmark: the bound is far
 * more than enough) with status 0 and closed every stalled connection.
 */
static void
assert_stops_cleanly (TesseraTestServer *server,
                      Stalled           *stalled,
                      const char        *what)
{
  GPid pid = tessera_test_server_get_pid (server);
  gint64 deadline;

  g_assert_cmpint (kill (pid, SIGTERM), ==, 0);
  deadline = g_get_monotonic_time () + EXIT_BOUND_SECONDS * G_USEC_PER_SEC;
  while (!has_exited (pid) && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  if (!has_exited (pid))
    {
      g_autofree char *log = tessera_test_server_get_log_contents (server);

      g_error ("tessera-server was still running %d s after SIGTERM with %d %s; its "
               "output:\n%s", EXIT_BOUND_SECONDS, N_STALLED, what, log);
    }

  g_assert_cmpint (tessera_test_server_stop (server), ==, 0);
  assert_all_closed_by_server (stalled);
}

static void
test_sigterm_with_stalled_handshakes_exits_cleanly (void)
{
  static const StallKind kinds[] = { STALL_SILENT, STALL_PARTIAL_HELLO, STALL_AFTER_HELLO };
  g_autoptr(TesseraTestServer) server = new_server_with_handshake_timeout (3600);
  g_autoptr(TesseraTestClient) client = new_client (server);
  g_autoptr(TesseraTestResponse) health = NULL;
  Stalled stalled = { 0 };

  /* stall() returns once the server is in the middle of every handshake it got a whole
   * ClientHello for. */
  stall (server, &stalled, kinds, G_N_ELEMENTS (kinds), TRUE);
  /* One established connection in libsoup's hands too. */
  health = tessera_test_client_request (client, "GET", "/healthz", NULL, NULL);
  tessera_test_assert_json (health, 200);
  assert_all_open (&stalled);

  assert_stops_cleanly (server, &stalled, "stalled TLS handshakes");
  stalled_clear (&stalled);
}

static void
test_handshakes_beyond_the_cap_are_refused_at_once (void)
{
  g_autoptr(TesseraTestServer) server = new_server_with_handshake_timeout (3600);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  GPid pid = tessera_test_server_get_pid (server);
  guint files_before = count_open_files (pid);
  g_autofree char *log = NULL;

  for (guint i = 0; i < TESSERA_HTTP_MAX_HANDSHAKES; i++)
    g_ptr_array_add (held, tessera_test_raw_connect (server, NULL));

  /* A connection is established for the client before the server has accepted it (it may
   * even wait in the kernel for room in the backlog): these come only once all are in. */
  for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
       count_open_files (pid) < files_before + TESSERA_HTTP_MAX_HANDSHAKES &&
       g_get_monotonic_time () < deadline;)
    g_usleep (50 * 1000);
  g_assert_cmpuint (count_open_files (pid), >=, files_before + TESSERA_HTTP_MAX_HANDSHAKES);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GSocketConnection) refused = tessera_test_raw_connect (server, NULL);

      assert_closed_by_server (refused);
    }
  for (guint i = 0; i < held->len; i++)
    g_assert_true (is_open (g_ptr_array_index (held, i)));

  log = tessera_test_server_get_log_contents (server);
  g_assert_nonnull (strstr (log, "Refusing new connections"));

  /* Once the stalled clients go, the server lets go of them, and there is room again. */
  g_ptr_array_set_size (held, 0);
  assert_files_released (pid, files_before);
  assert_served (server);
}

/*
 * Out of file descriptors, the server cannot accept: connections wait in the kernel's backlog
 * and the server says so and tries again (after a pause), rather than giving up. When the
 * stalled clients go, it takes the waiting ones and serves again.
 */
static void
test_out_of_file_descriptors_accepting_resumes_when_some_close (void)
{
  g_autoptr(TesseraTestServer) server = new_server_with_handshake_timeout (3600);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_object_unref);
  GPid pid = tessera_test_server_get_pid (server);
  guint files_before = count_open_files (pid);
  guint limit = files_before + 10;
  g_autofree char *pid_text = g_strdup_printf ("%d", (int) pid);
  g_autofree char *nofile = g_strdup_printf ("--nofile=%u:%u", limit, limit);
  const char *prlimit[] = { "prlimit", "--pid", pid_text, nofile, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *log = NULL;

  if (tessera_test_run_program (prlimit, NULL, &out, &err) != 0)
    g_error ("prlimit could not lower the server's file limit: %s", err);

  /* Room for ten: those take every descriptor left. */
  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (held, tessera_test_raw_connect (server, NULL));
  for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
       count_open_files (pid) < limit && g_get_monotonic_time () < deadline;)
    g_usleep (50 * 1000);
  g_assert_cmpuint (count_open_files (pid), ==, limit);

  /* These wait in the backlog (it has room for them) while accept() fails. */
  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (waiting, tessera_test_raw_connect (server, NULL));
  log = tessera_test_server_get_log_contents (server);
  for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
       strstr (log, "Cannot accept connections") == NULL && g_get_monotonic_time () < deadline;)
    {
      g_usleep (50 * 1000);
      g_free (log);
      log = tessera_test_server_get_log_contents (server);
    }
  g_assert_nonnull (strstr (log, "Cannot accept connections"));
  for (guint i = 0; i < held->len; i++)
    g_assert_true (is_open (g_ptr_array_index (held, i)));

  /* The stalled ones go: the server serves again. The backlog is first in, first out, so
   * by then it has taken the waiting ones, and it holds those (and nothing else) open. */
  g_ptr_array_set_size (held, 0);
  assert_served (server);
  for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
       count_open_files (pid) != files_before + waiting->len &&
       g_get_monotonic_time () < deadline;)
    g_usleep (50 * 1000);
  g_assert_cmpuint (count_open_files (pid), ==, files_before + waiting->len);
  for (guint i = 0; i < waiting->len; i++)
    g_assert_true (is_open (g_ptr_array_index (waiting, i)));
}

/* A TLS connection to the server that trusts exactly the test certificate. */
static GIOStream *
tls_connect (TesseraTestServer *server)
{
  g_autoptr(GSocketConnection) connection = tessera_test_raw_connect (server, NULL);
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  identity = g_network_address_new ("127.0.0.1", tessera_test_server_get_port (server));
  tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  g_assert_no_error (error);
  database = g_tls_file_database_new (cert_path, &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  /* The early answer ends with the socket closed, not with a TLS close_notify. */
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);

  g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
  g_assert_no_error (error);

  return tls;
}

static void
test_huge_content_length_is_413_over_tls_without_reading_the_body (void)
{
  g_autoptr(TesseraTestServer) server = new_server_with_handshake_timeout (3600);
  g_autoptr(GIOStream) tls = tls_connect (server);
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  GInputStream *input = g_io_stream_get_input_stream (tls);

  /* 2 GiB announced, nothing sent: only an answer decided from the header can come back. */
  head = g_strdup_printf ("POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                          "Content-Type: application/json\r\nContent-Length: 2147483648\r\n\r\n",
                          tessera_test_server_get_port (server));
  g_output_stream_write_all (g_io_stream_get_output_stream (tls), head, strlen (head), NULL,
                             NULL, &error);
  g_assert_no_error (error);

  /* Up to the server's close; the socket timeout of the raw connection bounds each read. */
  for (;;)
    {
      char buffer[4096];
      gssize n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error);

      if (n <= 0)
        break;
      g_string_append_len (answer, buffer, n);
    }
  g_assert_no_error (error);

  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 413 "));
  g_assert_nonnull (strstr (answer->str, "application/problem+json"));
  g_assert_nonnull (strstr (answer->str, "payload_too_large"));
}

typedef struct {
  SoupWebsocketConnection *connection;
  GError                  *error;
  gboolean                 done;
} EventsConnect;

static void
on_events_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  EventsConnect *connect = user_data;

  connect->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                               &connect->error);
  connect->done = TRUE;
}

/* The events WebSocket over HTTPS, trusting exactly the test certificate. */
static SoupWebsocketConnection *
connect_events (TesseraTestServer *server,
                const char        *token)
{
  g_autofree char *url = g_strconcat (tessera_test_server_get_url (server), "/api/v1/events",
                                      NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GError) error = NULL;
  EventsConnect connect = { 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  database = g_tls_file_database_new (cert_path, &error);
  g_assert_no_error (error);
  session = soup_session_new_with_options ("tls-database", database, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                authorization);

  soup_session_websocket_connect_async (session, message, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_events_connected, &connect);
  while (!connect.done && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10 * 1000);
    }
  g_assert_true (connect.done);
  g_assert_no_error (connect.error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 101);

  return connect.connection;
}

static void
test_quiet_events_stream_outlives_every_timeout (void)
{
  /*
   * Socket timeouts follow from these (request timeout + 5 s); the wait below is longer than
   * each. The handshake deadline is not cut as short as the request's: this test's own
   * handshakes must finish within it on a loaded machine (ASan, 2 cores), where 1 s did not.
   */
  g_autoptr(TesseraTestServer) server = new_server ("[server]\n"
                                                    "request_timeout_seconds = 1\n"
                                                    "tls_handshake_timeout_seconds = 5\n");
  g_autoptr(TesseraTestClient) client = new_client (server);
  g_autoptr(SoupWebsocketConnection) events = NULL;
  g_autoptr(JsonNode) settings_event = NULL;
  g_autofree char *admin = tessera_test_server_sign_in_with (server, client, TESSERA_TEST_ADMIN);
  g_autofree char *viewer = tessera_test_server_sign_in_with (server, client,
                                                              TESSERA_TEST_VIEWER);
  gint64 quiet_until;

  events = connect_events (server, viewer);

  /* Nothing happens for 8 s: longer than the request, handshake and socket timeouts, shorter
   * than the hub's keepalive ping (30 s), so no byte crosses the stream meanwhile. */
  quiet_until = g_get_monotonic_time () + 8 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < quiet_until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (50 * 1000);
    }
  g_assert_cmpint (soup_websocket_connection_get_state (events), ==, SOUP_WEBSOCKET_STATE_OPEN);

  tessera_test_api_put_settings (client, admin, "{\"otp_validity_hours\":13}");
  settings_event = tessera_test_websocket_wait_event (events, "settings.updated",
                                                      30 * G_USEC_PER_SEC);
  g_assert_nonnull (settings_event);
  g_assert_cmpint (tessera_test_json_get_int (settings_event, "settings.otp_validity_hours"), ==,
                   13);
}


/* --- Plain HTTP, which the same listener accepts (no TLS: connections go to libsoup at once) */

/* Stopped in the request line, in the headers, or before saying anything. */
static const char * const half_requests[] = {
  "GET /api/v1/acc",
  "POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl",
  "",
};

static TesseraTestServer *
new_plain_server (guint request_timeout_seconds)
{
  g_autofree char *config = g_strdup_printf ("[server]\n"
                                             "request_timeout_seconds = %u\n"
                                             "tls_handshake_timeout_seconds = 1\n",
                                             request_timeout_seconds);
  TesseraTestServerOptions options = {
    .config_text = config,
    .demo_accounts = 5,
  };
  TesseraTestServer *server = tessera_test_server_new (&options);

  g_assert_true (g_str_has_prefix (tessera_test_server_get_url (server), "http://"));
  return server;
}

static void
stall_plain (TesseraTestServer *server,
             Stalled           *stalled)
{
  for (guint i = 0; i < N_STALLED; i++)
    {
      g_autofree char *source = g_strdup_printf ("127.0.0.%u", 100 + i);
      const char *half = half_requests[i % G_N_ELEMENTS (half_requests)];

      stalled->connections[i] = tessera_test_raw_connect (server, source);
      stalled->kinds[i] = STALL_SILENT;
      if (*half != '\0')
        tessera_test_raw_send (stalled->connections[i], half, -1);
    }
}

static void
assert_plain_served (TesseraTestServer *server)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, "127.0.0.2");

  assert_answered_by (server, client);
}

static void
test_plain_http_serves_and_stops_with_stalled_connections (void)
{
  g_autoptr(TesseraTestServer) server = new_plain_server (3600);
  Stalled stalled = { 0 };

  stall_plain (server, &stalled);
  assert_plain_served (server);
  /* The handshake deadline (1 s) is HTTPS's alone: plain connections wait for their request
   * deadline (an hour), however long the serving above took. */
  assert_all_open (&stalled);

  assert_stops_cleanly (server, &stalled, "stalled plain HTTP connections");
  stalled_clear (&stalled);
}

static void
test_plain_http_stalled_connections_are_closed_after_the_request_deadline (void)
{
  g_autoptr(TesseraTestServer) server = new_plain_server (2);
  GPid pid = tessera_test_server_get_pid (server);
  guint files_before = count_open_files (pid);
  Stalled stalled = { 0 };

  /* Silent ones too: with our listener, libsoup starts the request (and its deadline) as
   * soon as the connection is accepted, not when its first byte arrives. */
  stall_plain (server, &stalled);
  assert_all_closed_by_server (&stalled);

  stalled_clear (&stalled);
  assert_files_released (pid, files_before);
  assert_plain_served (server);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  make_certificate ();
  client_hello = capture_client_hello ();

  g_test_add_func ("/fault/tls/fifty-stalled-handshakes-do-not-stop-others-or-hold-threads",
                   test_stalled_handshakes_do_not_stop_others);
  g_test_add_func ("/fault/tls/fifty-handshakes-stalled-after-the-client-hello-do-not-stop-others",
                   test_stalled_handshakes_after_the_client_hello_do_not_stop_others);
  g_test_add_func ("/fault/tls/stalled-handshakes-are-closed-after-the-deadline",
                   test_stalled_handshakes_are_closed_after_the_deadline);
  g_test_add_func ("/fault/tls/sigterm-with-stalled-handshakes-exits-cleanly",
                   test_sigterm_with_stalled_handshakes_exits_cleanly);
  g_test_add_func ("/fault/tls/handshakes-beyond-the-cap-are-refused-at-once",
                   test_handshakes_beyond_the_cap_are_refused_at_once);
  g_test_add_func ("/fault/tls/out-of-file-descriptors-accepting-resumes-when-some-close",
                   test_out_of_file_descriptors_accepting_resumes_when_some_close);
  g_test_add_func ("/fault/tls/huge-content-length-is-413-without-reading-the-body",
                   test_huge_content_length_is_413_over_tls_without_reading_the_body);
  g_test_add_func ("/fault/tls/quiet-events-stream-outlives-every-timeout",
                   test_quiet_events_stream_outlives_every_timeout);
  g_test_add_func ("/fault/tls/plain-http-serves-and-stops-with-stalled-connections",
                   test_plain_http_serves_and_stops_with_stalled_connections);
  g_test_add_func ("/fault/tls/plain-http-stalled-connections-close-at-the-request-deadline",
                   test_plain_http_stalled_connections_are_closed_after_the_request_deadline);

  status = g_test_run ();
  g_bytes_unref (client_hello);
  remove_certificate ();

  return status;
}

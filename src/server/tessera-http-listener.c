/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-http-listener"

#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include <gio/gnetworking.h>

#include "tessera-http-listener.h"

/*
 * Why tessera-server accepts its own connections.
 *
 * libsoup 3.2.3 accepts a connection (soup-listener.c, listen_watch()) and at once starts the
 * server side of the TLS handshake (soup-server-connection.c, soup_server_connection_accepted()),
 * with no deadline. glib-networking 2.74 runs every handshake, the async one too, as blocking
 * I/O in a GTask worker thread (gtlsconnection-base.c: handshake timeout -1), and the accepted
 * GSocket has no timeout. So a client that connects and never sends its ClientHello (or half
 * of it):
 *  - holds a worker thread. GLib's pool has 10 and adds one about every 100 ms once they are
 *    all busy: 50 such connections made a real client's handshake wait 5 s;
 *  - stops the server from shutting down: soup_server_disconnect() closes the connection with
 *    g_io_stream_close() on the main thread, which waits for the handshake to end — never.
 *    Our per-request deadline cannot help: its timer needs the main loop, which is blocked.
 * libsoup has no hook between accept and handshake, so we accept ourselves and hand libsoup
 * only established connections (soup_server_accept_iostream()). Then libsoup knows no socket
 * for them (soup_server_message_get_socket() is NULL), which is why the socket rides on the
 * remote address object (tessera_http_message_get_socket()); and, having no listener of its
 * own, libsoup closes each after one request, as our "Connection: close" asks anyway.
 *
 * A TLS connection goes through two stages, within one deadline (handshake_timeout_seconds,
 * from accept):
 *  1. Waiting for the ClientHello, without a thread: SO_RCVLOWAT makes poll() report the
 *     socket readable only once a TLS record header (5 bytes), and then the whole record it
 *     announces, has arrived (or at end of stream). A client that sends nothing, or part of a
 *     ClientHello, costs a file descriptor and a few bytes, not a thread. If the kernel wakes
 *     us early anyway (it may, under memory pressure) we go on to stage 2 rather than spin.
 *  2. The handshake proper, g_tls_connection_handshake_async() with a cancellable that the
 *     deadline cancels. A client can still stall here (after a complete ClientHello); then it
 *     holds a worker thread until the deadline, which the socket timeout bounds too (GSocket's
 *     blocking waits honour it).
 * At most TESSERA_HTTP_MAX_HANDSHAKES connections are in either stage; beyond that, new ones
 * are closed at once, and said so in the log at most every REFUSAL_LOG_INTERVAL_SECONDS.
 *
 * Every connection handed on keeps a socket timeout (io_timeout_seconds): not the
 * request deadline (tessera-http-server.c is), but the bound on anything libsoup does with it
 * synchronously on the main thread, such as the TLS close_notify written while closing.
 */

#define TLS_RECORD_HEADER_LENGTH    5
#define TLS_RECORD_TYPE_HANDSHAKE   0x16
#define TLS_MAX_PLAINTEXT_LENGTH    16384

/* Connections taken from the backlog in one go, so that a flood cannot starve the rest. */
#define ACCEPT_BATCH                32
/* A pause before accepting again after accept() failed (out of file descriptors, mostly):
 * the listening socket stays readable, so trying again at once would only spin. */
#define ACCEPT_RETRY_MS             250
#define REFUSAL_LOG_INTERVAL_SECONDS 10

struct _TesseraHttpListener {
  GObject              parent_instance;

  /* Owned */
  GTlsCertificate     *certificate;      /* NULL for plain HTTP */
  GSocket             *socket;           /* the listening socket */
  GInetSocketAddress  *address;          /* where it is bound, with the real port */
  GSource             *accept_source;
  GHashTable          *handshakes;       /* Handshake set; each owns itself */

  guint                handshake_timeout_seconds;
  guint                io_timeout_seconds;
  guint                accept_retry;     /* source id */
  gboolean             closed;

  /* Rate-limited log of refused connections and accept failures */
  gint64               last_trouble_log; /* monotonic µs */
  guint                n_refused;        /* since the last log line */
};

G_DEFINE_FINAL_TYPE (TesseraHttpListener, tessera_http_listener, G_TYPE_OBJECT)

enum {
  ACCEPTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GQuark socket_quark;

typedef struct {
  TesseraHttpListener *listener;     /* owned: the handshake may end after the server let go */
  GSocket             *socket;       /* owned */
  GSocketConnection   *connection;   /* owned */
  GTlsConnection      *tls;          /* owned; set once stage 2 starts */
  GCancellable        *cancellable;  /* owned */
  GSource             *wait_source;  /* owned; stage 1 only */
  char                *peer;
  guint                awaited;      /* stage 1: bytes poll() waits for */
  guint                deadline;     /* source id */
  gboolean             timed_out;
} Handshake;

static void
handshake_free (Handshake *handshake)
{
  g_clear_handle_id (&handshake->deadline, g_source_remove);
  if (handshake->wait_source != NULL)
    {
      g_source_destroy (handshake->wait_source);
      g_clear_pointer (&handshake->wait_source, g_source_unref);
    }
  g_clear_object (&handshake->tls);
  g_clear_object (&handshake->connection);
  g_clear_object (&handshake->socket);
  g_clear_object (&handshake->cancellable);
  g_clear_object (&handshake->listener);
  g_free (handshake->peer);
  g_free (handshake);
}

static char *
describe_peer (GSocketAddress *address)
{
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("-");

  return g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

/* Logs at most once per REFUSAL_LOG_INTERVAL_SECONDS; @n_refused counts what went unsaid. */
static void
log_trouble (TesseraHttpListener *self,
             const char          *what)
{
  gint64 now = g_get_monotonic_time ();

  if (self->last_trouble_log != 0 &&
      now - self->last_trouble_log < REFUSAL_LOG_INTERVAL_SECONDS * G_USEC_PER_SEC)
    return;

  self->last_trouble_log = now;
  if (self->n_refused > 0)
    g_message ("%s (%u connections refused since the last message)", what, self->n_refused);
  else
    g_message ("%s", what);
  self->n_refused = 0;
}

/* Gives an established connection to whoever listens to "accepted" (the SoupServer). */
static void
hand_over (TesseraHttpListener *self,
           GIOStream           *stream,
           GSocket             *socket)
{
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;

  /* Both fail only when the peer is gone already (ENOTCONN): nothing left to serve. */
  local = g_socket_get_local_address (socket, NULL);
  remote = g_socket_get_remote_address (socket, NULL);
  if (local == NULL || remote == NULL)
    {
      g_socket_close (socket, NULL);
      return;
    }

  g_socket_set_timeout (socket, self->io_timeout_seconds);
  g_object_set_qdata_full (G_OBJECT (remote), socket_quark, g_object_ref (socket),
                           g_object_unref);
  g_signal_emit (self, signals[ACCEPTED], 0, stream, local, remote);
}

/* Ends @handshake: hands the connection on when @established, else closes it; frees it. */
static void
handshake_end (Handshake *handshake,
               gboolean   established)
{
  TesseraHttpListener *self = handshake->listener;

  g_hash_table_remove (self->handshakes, handshake);

  if (established && !self->closed)
    hand_over (self, G_IO_STREAM (handshake->tls), handshake->socket);
  else
    g_socket_close (handshake->socket, NULL);  /* the streams closing later find it closed */

  handshake_free (handshake);
}

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Handshake *handshake = user_data;
  g_autoptr(GError) error = NULL;

  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      handshake_end (handshake, TRUE);
      return;
    }

  if (handshake->timed_out)
    g_info ("Closing the connection from %s: no TLS handshake within %u s", handshake->peer,
            handshake->listener->handshake_timeout_seconds);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("TLS handshake with %s failed: %s", handshake->peer, error->message);

  handshake_end (handshake, FALSE);
}

/* Stage 2 (see the top): the handshake proper, in glib-networking's worker thread. */
static void
start_handshake (Handshake *handshake)
{
  TesseraHttpListener *self = handshake->listener;
  const char * const protocols[] = { "http/1.1", "http/1.0", NULL };
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  /* Back to the default, or the handshake's (and libsoup's) poll() would wait for more. */
  g_socket_set_option (handshake->socket, SOL_SOCKET, SO_RCVLOWAT, 1, NULL);
  g_socket_set_timeout (handshake->socket, self->handshake_timeout_seconds);

  tls = g_tls_server_connection_new (G_IO_STREAM (handshake->connection), self->certificate,
                                     &error);
  if (tls == NULL)
    {
      g_warning ("Cannot start TLS with %s: %s", handshake->peer, error->message);
      handshake_end (handshake, FALSE);
      return;
    }
  handshake->tls = G_TLS_CONNECTION (tls);

  /* As libsoup does: HTTP has its own framing, so a missing close_notify loses nothing. */
  g_tls_connection_set_require_close_notify (handshake->tls, FALSE);
  g_tls_connection_set_advertised_protocols (handshake->tls, protocols);

  g_tls_connection_handshake_async (handshake->tls, G_PRIORITY_DEFAULT, handshake->cancellable,
                                    on_handshake_done, handshake);
}

static void wait_for_client_hello (Handshake *handshake,
                                   guint      n_bytes);

static gboolean
on_client_hello_readable (GSocket      *socket,
                          GIOCondition  condition,
                          gpointer      user_data)
{
  Handshake *handshake = user_data;
  guint8 header[TLS_RECORD_HEADER_LENGTH];
  gssize n;

  g_clear_pointer (&handshake->wait_source, g_source_unref);

  do
    n = recv (g_socket_get_fd (socket), header, sizeof header, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);

  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
    {
      /* Gone before saying anything, as port scanners and health checks do. */
      handshake_end (handshake, FALSE);
      return G_SOURCE_REMOVE;
    }

  if (handshake->awaited == TLS_RECORD_HEADER_LENGTH &&
      n == TLS_RECORD_HEADER_LENGTH && header[0] == TLS_RECORD_TYPE_HANDSHAKE)
    {
      guint record = TLS_RECORD_HEADER_LENGTH + (((guint) header[3] << 8) | header[4]);

      if (record <= TLS_RECORD_HEADER_LENGTH + TLS_MAX_PLAINTEXT_LENGTH &&
          g_socket_get_available_bytes (socket) < (gssize) record)
        {
          wait_for_client_hello (handshake, record);
          return G_SOURCE_REMOVE;
        }
    }

  /* The record is in, or this is not TLS (GnuTLS will say so), or poll() woke us early. */
  start_handshake (handshake);
  return G_SOURCE_REMOVE;
}

/* Stage 1 (see the top): waits, without a thread, until @n_bytes have arrived. */
static void
wait_for_client_hello (Handshake *handshake,
                       guint      n_bytes)
{
  handshake->awaited = n_bytes;

  if (!g_socket_set_option (handshake->socket, SOL_SOCKET, SO_RCVLOWAT, (gint) n_bytes, NULL))
    {
      start_handshake (handshake);
      return;
    }

  handshake->wait_source = g_socket_create_source (handshake->socket, G_IO_IN, NULL);
  g_source_set_callback (handshake->wait_source, G_SOURCE_FUNC (on_client_hello_readable),
                         handshake, NULL);
  g_source_attach (handshake->wait_source, NULL);
}

static gboolean
on_handshake_deadline (gpointer user_data)
{
  Handshake *handshake = user_data;

  handshake->deadline = 0;
  handshake->timed_out = TRUE;

  if (handshake->tls == NULL)
    {
      g_info ("Closing the connection from %s: no TLS ClientHello within %u s",
              handshake->peer, handshake->listener->handshake_timeout_seconds);
      handshake_end (handshake, FALSE);
    }
  else
    {
      /* Wakes the worker thread's blocking read; on_handshake_done() closes the connection. */
      g_cancellable_cancel (handshake->cancellable);
    }

  return G_SOURCE_REMOVE;
}

static void
begin_handshake (TesseraHttpListener *self,
                 GSocket             *socket)
{
  Handshake *handshake;
  g_autoptr(GSocketAddress) remote = NULL;

  if (g_hash_table_size (self->handshakes) >= TESSERA_HTTP_MAX_HANDSHAKES)
    {
      g_autofree char *what = g_strdup_printf ("Refusing new connections: %u TLS handshakes "
                                               "are in progress",
                                               TESSERA_HTTP_MAX_HANDSHAKES);

      self->n_refused++;
      g_socket_close (socket, NULL);
      log_trouble (self, what);
      return;
    }

  handshake = g_new0 (Handshake, 1);
  handshake->listener = g_object_ref (self);
  handshake->socket = g_object_ref (socket);
  handshake->connection = g_socket_connection_factory_create_connection (socket);
  handshake->cancellable = g_cancellable_new ();
  remote = g_socket_get_remote_address (socket, NULL);
  handshake->peer = describe_peer (remote);
  handshake->deadline = g_timeout_add_seconds (self->handshake_timeout_seconds,
                                               on_handshake_deadline, handshake);
  g_hash_table_add (self->handshakes, handshake);

  wait_for_client_hello (handshake, TLS_RECORD_HEADER_LENGTH);
}

static void
accept_one (TesseraHttpListener *self,
            GSocket             *socket)
{
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  if (self->certificate != NULL)
    {
      begin_handshake (self, socket);
    }
  else
    {
      g_autoptr(GSocketConnection) connection = NULL;

      /* Plain HTTP: libsoup emits "request-started" at once, so the request deadline covers
       * a client that sends nothing. */
      connection = g_socket_connection_factory_create_connection (socket);
      hand_over (self, G_IO_STREAM (connection), socket);
    }
}

static void start_accepting (TesseraHttpListener *self);

static gboolean
on_accept_retry (gpointer user_data)
{
  TesseraHttpListener *self = user_data;

  self->accept_retry = 0;
  start_accepting (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_incoming (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  TesseraHttpListener *self = user_data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (self->socket, NULL, &error);
      g_autofree char *what = NULL;

      if (client != NULL)
        {
          accept_one (self, client);
          continue;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;

      what = g_strdup_printf ("Cannot accept connections: %s", error->message);
      log_trouble (self, what);
      g_clear_pointer (&self->accept_source, g_source_unref);
      self->accept_retry = g_timeout_add (ACCEPT_RETRY_MS, on_accept_retry, self);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
start_accepting (TesseraHttpListener *self)
{
  g_assert (self->accept_source == NULL);

  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (on_incoming), self, NULL);
  g_source_attach (self->accept_source, NULL);
}

static void
tessera_http_listener_dispose (GObject *object)
{
  TesseraHttpListener *self = (TesseraHttpListener *)object;

  tessera_http_listener_close (self);

  G_OBJECT_CLASS (tessera_http_listener_parent_class)->dispose (object);
}

static void
tessera_http_listener_finalize (GObject *object)
{
  TesseraHttpListener *self = (TesseraHttpListener *)object;

  /* Every handshake holds a reference: none can be left. */
  g_assert (g_hash_table_size (self->handshakes) == 0);
  g_clear_pointer (&self->handshakes, g_hash_table_unref);
  g_clear_object (&self->certificate);
  g_clear_object (&self->address);

  G_OBJECT_CLASS (tessera_http_listener_parent_class)->finalize (object);
}

static void
tessera_http_listener_class_init (TesseraHttpListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tessera_http_listener_dispose;
  object_class->finalize = tessera_http_listener_finalize;

  /**
   * TesseraHttpListener::accepted:
   * @stream: the connection, a #GTlsConnection for HTTPS
   * @local: its local address
   * @remote: its remote address, which tessera_http_message_get_socket() knows
   *
   * A connection is ready for HTTP: the TLS handshake (if any) is done.
   */
  signals[ACCEPTED] = g_signal_new ("accepted",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 3,
                                    G_TYPE_IO_STREAM,
                                    G_TYPE_SOCKET_ADDRESS,
                                    G_TYPE_SOCKET_ADDRESS);

  socket_quark = g_quark_from_static_string ("tessera-http-listener-socket");
}

static void
tessera_http_listener_init (TesseraHttpListener *self)
{
  self->handshakes = g_hash_table_new (NULL, NULL);
}

TesseraHttpListener *
tessera_http_listener_new (GTlsCertificate *certificate,
                           guint            handshake_timeout_seconds,
                           guint            io_timeout_seconds)
{
  TesseraHttpListener *self;

  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (handshake_timeout_seconds > 0, NULL);

  self = g_object_new (TESSERA_TYPE_HTTP_LISTENER, NULL);
  g_set_object (&self->certificate, certificate);
  self->handshake_timeout_seconds = handshake_timeout_seconds;
  self->io_timeout_seconds = io_timeout_seconds;

  return self;
}

gboolean
tessera_http_listener_listen (TesseraHttpListener  *self,
                              GInetSocketAddress   *address,
                              GError              **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  GSocketFamily family;

  g_return_val_if_fail (TESSERA_IS_HTTP_LISTENER (self), FALSE);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), FALSE);
  g_return_val_if_fail (self->socket == NULL && !self->closed, FALSE);

  family = g_socket_address_get_family (G_SOCKET_ADDRESS (address));
  socket = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (socket == NULL)
    return FALSE;

  /* As libsoup did: an IPv6 address means IPv6 only, never IPv4-mapped addresses too. */
  if (family == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);

  g_socket_set_blocking (socket, FALSE);
  if (!g_socket_bind (socket, G_SOCKET_ADDRESS (address), TRUE, error) ||
      !g_socket_listen (socket, error))
    return FALSE;

  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;

  self->socket = g_steal_pointer (&socket);
  self->address = G_INET_SOCKET_ADDRESS (g_steal_pointer (&bound));
  start_accepting (self);

  return TRUE;
}

char *
tessera_http_listener_get_uri (TesseraHttpListener *self)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (TESSERA_IS_HTTP_LISTENER (self), NULL);

  if (self->address == NULL)
    return NULL;

  /* Built as soup_server_get_uris() builds it, so the printed line stays the same. */
  host = g_inet_address_to_string (g_inet_socket_address_get_address (self->address));
  uri = g_uri_build (SOUP_HTTP_URI_FLAGS, self->certificate != NULL ? "https" : "http", NULL,
                     host, g_inet_socket_address_get_port (self->address), "/", NULL, NULL);

  return g_uri_to_string (uri);
}

guint
tessera_http_listener_get_n_handshakes (TesseraHttpListener *self)
{
  g_return_val_if_fail (TESSERA_IS_HTTP_LISTENER (self), 0);

  return g_hash_table_size (self->handshakes);
}

void
tessera_http_listener_close (TesseraHttpListener *self)
{
  g_autoptr(GPtrArray) snapshot = NULL;
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (TESSERA_IS_HTTP_LISTENER (self));

  self->closed = TRUE;
  g_clear_handle_id (&self->accept_retry, g_source_remove);
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->socket != NULL)
    {
      g_socket_close (self->socket, NULL);
      g_clear_object (&self->socket);
    }

  /* Handshakes still waiting for a ClientHello end now; those in a worker thread end when
   * it has noticed the cancellation, moments later (the server waits for them). */
  snapshot = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->handshakes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (snapshot, key);

  for (guint i = 0; i < snapshot->len; i++)
    {
      Handshake *handshake = g_ptr_array_index (snapshot, i);

      if (handshake->tls == NULL)
        handshake_end (handshake, FALSE);
      else
        g_cancellable_cancel (handshake->cancellable);
    }
}

GSocket *
tessera_http_message_get_socket (SoupServerMessage *msg)
{
  GSocketAddress *remote;
  GSocket *socket;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), NULL);

  remote = soup_server_message_get_remote_address (msg);
  socket = remote != NULL ? g_object_get_qdata (G_OBJECT (remote), socket_quark) : NULL;

  /* A connection libsoup accepted itself (none in tessera-server) has its socket known. */
  return socket != NULL ? socket : soup_server_message_get_socket (msg);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * tessera-server's accept loop, in front of the SoupServer (DESIGN §6). libsoup 3.2 runs the
 * server side of a TLS handshake with no deadline and nothing between accept and handshake to
 * hook into, so we accept connections ourselves: each gets TCP_NODELAY and a socket timeout;
 * for HTTPS, the TLS handshake runs here, within a deadline and with a cap on how many are in
 * progress, and only an established connection is handed on ("accepted"), for
 * soup_server_accept_iostream(). See tessera-http-listener.c for why it works the way it does.
 */

/* Beyond this many TLS handshakes in progress, new connections are closed at once. */
#define TESSERA_HTTP_MAX_HANDSHAKES 256

#define TESSERA_TYPE_HTTP_LISTENER (tessera_http_listener_get_type ())

G_DECLARE_FINAL_TYPE (TesseraHttpListener, tessera_http_listener, TESSERA, HTTP_LISTENER, GObject)

/*
 * @certificate: NULL for plain HTTP. @handshake_timeout_seconds bounds a TLS handshake from
 * accept to its end; @io_timeout_seconds is the socket timeout of a connection handed on, the
 * longest any single read or write of it may wait (0: none).
 */
TesseraHttpListener *tessera_http_listener_new             (GTlsCertificate      *certificate,
                                                            guint                 handshake_timeout_seconds,
                                                            guint                 io_timeout_seconds);
/* Binds and listens on @address; port 0 picks an ephemeral port. */
gboolean             tessera_http_listener_listen          (TesseraHttpListener  *self,
                                                            GInetSocketAddress   *address,
                                                            GError              **error);
/* "https://127.0.0.1:PORT/" with the bound port; NULL before listening. */
char                *tessera_http_listener_get_uri         (TesseraHttpListener  *self);
/* TLS handshakes in progress (or cancelled and not yet ended). */
guint                tessera_http_listener_get_n_handshakes (TesseraHttpListener *self);
/* Stops accepting (closing the listening socket) and cancels every handshake in progress. */
void                 tessera_http_listener_close           (TesseraHttpListener  *self);

/*
 * The socket of the connection @msg came on, or NULL. libsoup knows no socket for a stream
 * given to soup_server_accept_iostream(); the listener keeps it with the remote address it
 * handed on, the one object libsoup gives back for each message.
 */
GSocket             *tessera_http_message_get_socket       (SoupServerMessage    *msg);

G_END_DECLS

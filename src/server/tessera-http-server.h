/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tessera-server-config.h"
#include "tessera-store.h"

G_BEGIN_DECLS

/*
 * tessera-server's HTTP and WebSocket front (DESIGN §4, §6): a SoupServer on the main loop,
 * the routes of API v1 over a TesseraStore called synchronously, the request limits, the
 * throttles, the access log, the events WebSocket and the expiry sweep.
 */

#define TESSERA_HTTP_MAX_BODY (1024 * 1024)

#define TESSERA_TYPE_HTTP_SERVER (tessera_http_server_get_type ())

G_DECLARE_FINAL_TYPE (TesseraHttpServer, tessera_http_server, TESSERA, HTTP_SERVER, GObject)

TesseraHttpServer *tessera_http_server_new         (TesseraStore               *store,
                                                    const TesseraServerConfig  *config);
/* @certificate: NULL for plain HTTP. Port 0 picks an ephemeral port. */
gboolean           tessera_http_server_listen      (TesseraHttpServer          *self,
                                                    GInetSocketAddress         *address,
                                                    GTlsCertificate            *certificate,
                                                    GError                    **error);
/* "http://127.0.0.1:PORT/" with the real port; NULL before listening. */
char              *tessera_http_server_get_uri     (TesseraHttpServer          *self);
/* Stops accepting, closes every connection, sends WebSocket clients a close frame. */
void               tessera_http_server_shutdown    (TesseraHttpServer          *self);
/* Connections not yet closed: WebSockets finishing their close handshake, and TLS
 * handshakes that were cancelled and have yet to end. */
guint              tessera_http_server_get_n_open_streams (TesseraHttpServer   *self);

G_END_DECLS

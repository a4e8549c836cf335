/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "tessera-store.h"

G_BEGIN_DECLS

/*
 * The /api/v1/events WebSocket clients (DESIGN §4). The hub listens to the store's change
 * signals and sends each change to every client as one JSON text frame, e.g.
 * {"type":"account.updated","account":{…}}.
 *
 * Bounded: at most TESSERA_EVENT_HUB_MAX_CLIENTS clients; a client whose unsent backlog
 * passes TESSERA_EVENT_HUB_MAX_BACKLOG bytes, or whose socket has not taken a byte for
 * TESSERA_EVENT_HUB_STALL_SECONDS while events wait, is dropped rather than buffered for.
 * Every TESSERA_EVENT_HUB_CHECK_SECONDS the hub pings each client (WebSocket keepalive) and
 * checks its session again, so signing out or an expired session ends the stream.
 */

#define TESSERA_EVENT_HUB_MAX_CLIENTS   256
#define TESSERA_EVENT_HUB_MAX_BACKLOG   (4 * 1024 * 1024)
#define TESSERA_EVENT_HUB_STALL_SECONDS 60
#define TESSERA_EVENT_HUB_CHECK_SECONDS 30

#define TESSERA_TYPE_EVENT_HUB (tessera_event_hub_get_type ())

G_DECLARE_FINAL_TYPE (TesseraEventHub, tessera_event_hub, TESSERA, EVENT_HUB, GObject)

TesseraEventHub *tessera_event_hub_new            (TesseraStore            *store);
gboolean         tessera_event_hub_can_accept     (TesseraEventHub         *self);
/* @socket is the connection's socket (for backlog checks); @token is kept to re-check. */
void             tessera_event_hub_add_client     (TesseraEventHub         *self,
                                                   SoupWebsocketConnection *connection,
                                                   GSocket                 *socket,
                                                   const char              *token,
                                                   const char              *peer);
guint            tessera_event_hub_get_n_clients  (TesseraEventHub         *self);
/* Sends every client a close frame (1001 going away) and stops taking events. */
void             tessera_event_hub_close_all      (TesseraEventHub         *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tessera-client.h"

G_BEGIN_DECLS

/*
 * Certificates the admin chose to trust, one per server (GSettings "pinned-certificates",
 * normalised server URL → SHA-256 fingerprint). A certificate is public, so it may live in
 * settings; a pin is only ever added after the admin said so, never silently.
 */

/* NULL when the admin trusts no extra certificate for @server_url */
char          *tessera_pins_lookup        (GSettings   *settings,
                                           const char  *server_url);
void           tessera_pins_store         (GSettings   *settings,
                                           const char  *server_url,
                                           const char  *fingerprint);

/* A client for @server with the pin the admin chose for it, if any */
TesseraClient *tessera_pins_create_client (GSettings   *settings,
                                           const char  *server,
                                           GError     **error);

G_END_DECLS

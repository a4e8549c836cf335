/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Where a request comes from (DESIGN §6): the TCP peer, unless the peer is a proxy the
 * operator listed in trusted_proxies, in which case X-Forwarded-For names the client.
 * Pure functions over strings, so the rules are unit-tested without sockets.
 */

#define TESSERA_SOURCE_ADDRESS_ERROR (tessera_source_address_error_quark ())

typedef enum {
  TESSERA_SOURCE_ADDRESS_ERROR_INVALID,   /* not an IP address or CIDR range */
} TesseraSourceAddressError;

typedef struct _TesseraProxyList TesseraProxyList;

GQuark            tessera_source_address_error_quark  (void);

/*
 * Parses a list of exact addresses and CIDR ranges (IPv4 and IPv6) separated by commas,
 * semicolons or white space, e.g. "127.0.0.1, 10.0.0.0/8; fd00::/8". An empty string gives
 * an empty list. The error names the entry that is wrong.
 */
TesseraProxyList *tessera_proxy_list_new_from_string  (const char             *spec,
                                                       GError                **error);
TesseraProxyList *tessera_proxy_list_ref              (TesseraProxyList       *self);
void              tessera_proxy_list_unref            (TesseraProxyList       *self);
guint             tessera_proxy_list_get_n_entries    (const TesseraProxyList *self);
/* @address in any textual form; FALSE for anything that is not an IP address. */
gboolean          tessera_proxy_list_contains         (const TesseraProxyList *self,
                                                       const char             *address);

/*
 * The canonical text of an IP address: IPv4-mapped IPv6 (::ffff:a.b.c.d, as a dual-stack
 * socket reports IPv4 peers) becomes plain IPv4, IPv6 is lower case and compressed.
 * NULL if @address is not an IP address.
 */
char             *tessera_source_address_normalize    (const char             *address);

/*
 * The client's address for @peer (the TCP peer) and the request's X-Forwarded-For value
 * (NULL if absent; several headers joined with ", "). Only when @peer is in @trusted is the
 * header read, right to left: the first hop that is not itself a trusted proxy is the
 * client; an entry that is not an IP address ends the walk at the hop before it, since
 * nothing left of a malformed entry can be trusted. Never returns NULL.
 */
char             *tessera_source_address_resolve      (const TesseraProxyList *trusted,
                                                       const char             *peer,
                                                       const char             *forwarded_for);

/*
 * The key under which failures from @address are throttled: the address itself for IPv4,
 * its /64 network for IPv6, because one IPv6 host usually has a whole /64 to rotate through.
 */
char             *tessera_source_address_throttle_key (const char             *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraProxyList, tessera_proxy_list_unref)

G_END_DECLS

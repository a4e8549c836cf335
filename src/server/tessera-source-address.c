/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-source-address"

#include "config.h"

#include <string.h>

#include "tessera-source-address.h"

struct _TesseraProxyList {
  gatomicrefcount  ref_count;
  GPtrArray       *masks;      /* GInetAddressMask, all normalised to IPv4 where mapped */
};

G_DEFINE_QUARK (tessera-source-address-error-quark, tessera_source_address_error)

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the plain IPv4 address it stands for. */
static GInetAddress *
unmap_ipv4 (GInetAddress *address)
{
  static const guint8 prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  const guint8 *bytes;

  if (g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
    return g_object_ref (address);

  bytes = g_inet_address_to_bytes (address);
  if (memcmp (bytes, prefix, sizeof prefix) != 0)
    return g_object_ref (address);

  return g_inet_address_new_from_bytes (bytes + sizeof prefix, G_SOCKET_FAMILY_IPV4);
}

static GInetAddress *
parse_address (const char *text)
{
  g_autoptr(GInetAddress) address = NULL;

  if (text == NULL)
    return NULL;

  address = g_inet_address_new_from_string (text);
  if (address == NULL)
    return NULL;

  return unmap_ipv4 (address);
}

TesseraProxyList *
tessera_proxy_list_new_from_string (const char  *spec,
                                    GError     **error)
{
  g_autoptr(TesseraProxyList) self = NULL;
  g_auto(GStrv) entries = NULL;

  self = g_new0 (TesseraProxyList, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->masks = g_ptr_array_new_with_free_func (g_object_unref);

  if (spec == NULL)
    return g_steal_pointer (&self);

  entries = g_strsplit_set (spec, ",; \t\n", -1);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autoptr(GInetAddressMask) mask = NULL;
      g_autoptr(GError) local_error = NULL;
      const char *entry = entries[i];

      if (*entry == '\0')
        continue;

      mask = g_inet_address_mask_new_from_string (entry, &local_error);
      if (mask == NULL)
        {
          g_set_error (error, TESSERA_SOURCE_ADDRESS_ERROR, TESSERA_SOURCE_ADDRESS_ERROR_INVALID,
                       "“%s” is not an IP address or CIDR range: %s",
                       entry, local_error->message);
          return NULL;
        }

      /* "::ffff:10.0.0.0/104" means 10.0.0.0/8 to a dual-stack listener; store it so. */
      {
        GInetAddress *base = g_inet_address_mask_get_address (mask);
        guint length = g_inet_address_mask_get_length (mask);
        g_autoptr(GInetAddress) unmapped = unmap_ipv4 (base);

        if (unmapped != base && length >= 96)
          {
            g_clear_object (&mask);
            mask = g_inet_address_mask_new (unmapped, length - 96, NULL);
            g_assert (mask != NULL);
          }
      }

      g_ptr_array_add (self->masks, g_steal_pointer (&mask));
    }

  return g_steal_pointer (&self);
}

TesseraProxyList *
tessera_proxy_list_ref (TesseraProxyList *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tessera_proxy_list_unref (TesseraProxyList *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_ptr_array_unref (self->masks);
      g_free (self);
    }
}

guint
tessera_proxy_list_get_n_entries (const TesseraProxyList *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->masks->len;
}

static gboolean
proxy_list_matches (const TesseraProxyList *self,
                    GInetAddress           *address)
{
  for (guint i = 0; i < self->masks->len; i++)
    {
      /* matches() is FALSE across families, so an IPv4 range never matches an IPv6 peer. */
      if (g_inet_address_mask_matches (g_ptr_array_index (self->masks, i), address))
        return TRUE;
    }

  return FALSE;
}

gboolean
tessera_proxy_list_contains (const TesseraProxyList *self,
                             const char             *address)
{
  g_autoptr(GInetAddress) parsed = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  parsed = parse_address (address);
  if (parsed == NULL)
    return FALSE;

  return proxy_list_matches (self, parsed);
}

char *
tessera_source_address_normalize (const char *address)
{
  g_autoptr(GInetAddress) parsed = parse_address (address);

  if (parsed == NULL)
    return NULL;

  return g_inet_address_to_string (parsed);
}

char *
tessera_source_address_resolve (const TesseraProxyList *trusted,
                                const char             *peer,
                                const char             *forwarded_for)
{
  g_autoptr(GInetAddress) peer_address = parse_address (peer);
  g_autoptr(GInetAddress) client = NULL;
  g_auto(GStrv) hops = NULL;
  guint n_hops;

  /* A peer that is not an IP address (a UNIX socket, say) is reported as it is. */
  if (peer_address == NULL)
    return g_strdup (peer != NULL ? peer : "unknown");

  if (trusted == NULL || forwarded_for == NULL || !proxy_list_matches (trusted, peer_address))
    return g_inet_address_to_string (peer_address);

  client = g_object_ref (peer_address);
  hops = g_strsplit (forwarded_for, ",", -1);
  n_hops = g_strv_length (hops);

  for (guint i = n_hops; i > 0; i--)
    {
      g_autoptr(GInetAddress) hop = parse_address (g_strstrip (hops[i - 1]));

      if (hop == NULL)
        break;

      g_set_object (&client, hop);
      if (!proxy_list_matches (trusted, hop))
        break;
    }

  return g_inet_address_to_string (client);
}

char *
tessera_source_address_throttle_key (const char *address)
{
  g_autoptr(GInetAddress) parsed = parse_address (address);
  g_autoptr(GInetAddress) network = NULL;
  g_autofree char *text = NULL;
  guint8 bytes[16];

  if (parsed == NULL)
    return g_strdup (address != NULL ? address : "unknown");

  if (g_inet_address_get_family (parsed) == G_SOCKET_FAMILY_IPV4)
    return g_inet_address_to_string (parsed);

  memcpy (bytes, g_inet_address_to_bytes (parsed), sizeof bytes);
  memset (bytes + 8, 0, 8);
  network = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV6);

  text = g_inet_address_to_string (network);

  return g_strdup_printf ("%s/64", text);
}

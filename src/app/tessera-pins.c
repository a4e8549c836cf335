/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-pins"

#include "config.h"

#include "tessera-pins.h"

#define PINS_KEY "pinned-certificates"

char *
tessera_pins_lookup (GSettings  *settings,
                     const char *server_url)
{
  g_autoptr(GVariant) pins = NULL;
  const char *fingerprint = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  pins = g_settings_get_value (settings, PINS_KEY);
  if (!g_variant_lookup (pins, server_url, "&s", &fingerprint) || fingerprint[0] == '\0')
    return NULL;

  return g_strdup (fingerprint);
}

void
tessera_pins_store (GSettings  *settings,
                    const char *server_url,
                    const char *fingerprint)
{
  g_autoptr(GVariant) pins = NULL;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  GVariantIter iter;
  const char *key, *value;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (fingerprint != NULL);

  /* One pin per server: trusting a new certificate replaces the old one */
  pins = g_settings_get_value (settings, PINS_KEY);
  g_variant_iter_init (&iter, pins);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (!g_str_equal (key, server_url))
      g_variant_builder_add (&builder, "{ss}", key, value);
  g_variant_builder_add (&builder, "{ss}", server_url, fingerprint);

  g_settings_set_value (settings, PINS_KEY, g_variant_builder_end (&builder));
}

TesseraClient *
tessera_pins_create_client (GSettings   *settings,
                            const char  *server,
                            GError     **error)
{
  g_autoptr(TesseraClient) client = NULL;
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (server != NULL, NULL);

  client = tessera_client_new (server, error);
  if (client == NULL)
    return NULL;

  fingerprint = tessera_pins_lookup (settings, tessera_client_get_server_url (client));
  if (fingerprint != NULL)
    tessera_client_set_pinned_fingerprint (client, fingerprint);

  return g_steal_pointer (&client);
}

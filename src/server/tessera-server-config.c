/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-server-config"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tessera-server-config.h"

G_DEFINE_QUARK (tessera-server-config-error-quark, tessera_server_config_error)

typedef enum {
  KIND_STRING,
  KIND_BOOLEAN,
  KIND_UINT,
} SettingKind;

/* Every key the server understands, with the range of numbers it accepts. */
typedef struct {
  const char  *group;
  const char  *key;
  SettingKind  kind;
  guint        min;
  guint        max;
} Setting;

static const Setting settings[] = {
  { "server",   "listen",                  KIND_STRING },
  { "server",   "db",                      KIND_STRING },
  { "server",   "tls_cert",                KIND_STRING },
  { "server",   "tls_key",                 KIND_STRING },
  { "server",   "insecure_listen",         KIND_BOOLEAN },
  { "server",   "trusted_proxies",         KIND_STRING },
  { "server",   "request_timeout_seconds", KIND_UINT, 1, 3600 },
  { "server",   "sweep_interval_seconds",  KIND_UINT, 1, 86400 },
  { "throttle", "failures_per_address",    KIND_UINT, 1, 1000000 },
  { "throttle", "window_seconds",          KIND_UINT, 1, 7 * 86400 },
  { "throttle", "global_failures",         KIND_UINT, 0, 100000000 },
  { "store",    "max_database_pages",      KIND_UINT, 0, G_MAXINT32 },
};

TesseraServerConfig *
tessera_server_config_new (void)
{
  TesseraServerConfig *self = g_new0 (TesseraServerConfig, 1);

  self->listen = g_strdup (TESSERA_SERVER_DEFAULT_LISTEN);
  self->trusted_proxies = tessera_proxy_list_new_from_string (NULL, NULL);
  self->request_timeout_seconds = TESSERA_SERVER_DEFAULT_REQUEST_TIMEOUT;
  self->sweep_interval_seconds = TESSERA_SERVER_DEFAULT_SWEEP_INTERVAL;
  tessera_throttle_limits_init_default (&self->throttle);

  return self;
}

void
tessera_server_config_free (TesseraServerConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->listen);
  g_free (self->db_path);
  g_free (self->tls_cert);
  g_free (self->tls_key);
  g_clear_pointer (&self->trusted_proxies, tessera_proxy_list_unref);
  g_free (self);
}

static const Setting *
find_setting (const char *group,
              const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      if (strcmp (settings[i].group, group) == 0 && strcmp (settings[i].key, key) == 0)
        return &settings[i];
    }

  return NULL;
}

/* g_set_str() is GLib 2.76; we are pinned to 2.74. */
static void
replace_string (char       **slot,
                const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*slot);
  *slot = copy;
}

static gboolean
read_uint (GKeyFile       *key_file,
           const char     *path,
           const Setting  *setting,
           guint          *value,
           GError        **error)
{
  g_autofree char *text = NULL;
  guint64 number;
  char *end = NULL;

  text = g_key_file_get_string (key_file, setting->group, setting->key, NULL);
  g_strstrip (text);

  errno = 0;
  number = g_ascii_strtoull (text, &end, 10);
  if (*text == '\0' || *end != '\0' || errno != 0 || text[0] == '-' ||
      number < setting->min || number > setting->max)
    {
      g_set_error (error, TESSERA_SERVER_CONFIG_ERROR, TESSERA_SERVER_CONFIG_ERROR_INVALID,
                   "%s: [%s] %s must be a whole number from %u to %u, not “%s”",
                   path, setting->group, setting->key, setting->min, setting->max, text);
      return FALSE;
    }

  *value = (guint) number;
  return TRUE;
}

static gboolean
apply_setting (TesseraServerConfig  *self,
               GKeyFile             *key_file,
               const char           *path,
               const Setting        *setting,
               GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  guint number = 0;

  switch (setting->kind)
    {
    case KIND_UINT:
      if (!read_uint (key_file, path, setting, &number, error))
        return FALSE;
      break;

    case KIND_BOOLEAN:
      number = g_key_file_get_boolean (key_file, setting->group, setting->key, &local_error);
      if (local_error != NULL)
        {
          g_set_error (error, TESSERA_SERVER_CONFIG_ERROR, TESSERA_SERVER_CONFIG_ERROR_INVALID,
                       "%s: [%s] %s must be true or false", path, setting->group, setting->key);
          return FALSE;
        }
      break;

    case KIND_STRING:
    default:
      text = g_key_file_get_string (key_file, setting->group, setting->key, &local_error);
      if (text == NULL)
        {
          g_set_error (error, TESSERA_SERVER_CONFIG_ERROR, TESSERA_SERVER_CONFIG_ERROR_INVALID,
                       "%s: [%s] %s: %s", path, setting->group, setting->key,
                       local_error->message);
          return FALSE;
        }
      g_strstrip (text);
      break;
    }

  if (strcmp (setting->key, "listen") == 0)
    replace_string (&self->listen, text);
  else if (strcmp (setting->key, "db") == 0)
    replace_string (&self->db_path, *text != '\0' ? text : NULL);
  else if (strcmp (setting->key, "tls_cert") == 0)
    replace_string (&self->tls_cert, *text != '\0' ? text : NULL);
  else if (strcmp (setting->key, "tls_key") == 0)
    replace_string (&self->tls_key, *text != '\0' ? text : NULL);
  else if (strcmp (setting->key, "insecure_listen") == 0)
    self->insecure_listen = number != 0;
  else if (strcmp (setting->key, "trusted_proxies") == 0)
    {
      TesseraProxyList *proxies = tessera_proxy_list_new_from_string (text, &local_error);

      if (proxies == NULL)
        {
          g_set_error (error, TESSERA_SERVER_CONFIG_ERROR, TESSERA_SERVER_CONFIG_ERROR_INVALID,
                       "%s: [server] trusted_proxies: %s", path, local_error->message);
          return FALSE;
        }
      g_clear_pointer (&self->trusted_proxies, tessera_proxy_list_unref);
      self->trusted_proxies = proxies;
    }
  else if (strcmp (setting->key, "request_timeout_seconds") == 0)
    self->request_timeout_seconds = number;
  else if (strcmp (setting->key, "sweep_interval_seconds") == 0)
    self->sweep_interval_seconds = number;
  else if (strcmp (setting->key, "failures_per_address") == 0)
    self->throttle.failures_per_address = number;
  else if (strcmp (setting->key, "window_seconds") == 0)
    self->throttle.window_seconds = number;
  else if (strcmp (setting->key, "global_failures") == 0)
    self->throttle.global_failures = number;
  else if (strcmp (setting->key, "max_database_pages") == 0)
    self->max_database_pages = number;
  else
    g_assert_not_reached ();

  return TRUE;
}

gboolean
tessera_server_config_load_file (TesseraServerConfig  *self,
                                 const char           *path,
                                 GError              **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, TESSERA_SERVER_CONFIG_ERROR, TESSERA_SERVER_CONFIG_ERROR_INVALID,
                   "Cannot read configuration file %s: %s", path, local_error->message);
      return FALSE;
    }

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (key_file, groups[i], NULL, NULL);

      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          const Setting *setting = find_setting (groups[i], keys[j]);

          if (setting == NULL)
            {
              g_set_error (error, TESSERA_SERVER_CONFIG_ERROR,
                           TESSERA_SERVER_CONFIG_ERROR_INVALID,
                           "%s: unknown setting [%s] %s", path, groups[i], keys[j]);
              return FALSE;
            }

          if (!apply_setting (self, key_file, path, setting, error))
            return FALSE;
        }
    }

  return TRUE;
}

GInetSocketAddress *
tessera_server_config_get_listen_address (TesseraServerConfig  *self,
                                          GError              **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *text;
  const char *colon;
  const char *port_text;
  guint64 port;
  char *end = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  text = self->listen != NULL ? self->listen : TESSERA_SERVER_DEFAULT_LISTEN;

  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL || close[1] != ':')
        goto invalid;
      host = g_strndup (text + 1, close - text - 1);
      port_text = close + 2;
    }
  else
    {
      colon = strrchr (text, ':');
      if (colon == NULL || strchr (text, ':') != colon)
        goto invalid;
      host = g_strndup (text, colon - text);
      port_text = colon + 1;
    }

  errno = 0;
  port = g_ascii_strtoull (port_text, &end, 10);
  if (*port_text == '\0' || *end != '\0' || errno != 0 || port > G_MAXUINT16)
    goto invalid;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    address = g_inet_address_new_from_string (host);
  if (address == NULL)
    goto invalid;

  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, (guint16) port));

invalid:
  g_set_error (error, TESSERA_SERVER_CONFIG_ERROR, TESSERA_SERVER_CONFIG_ERROR_INVALID,
               "Cannot listen on “%s”: give an IP address and a port, such as 127.0.0.1:8080 "
               "or [::1]:8080", text);
  return NULL;
}

char *
tessera_server_config_default_db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tessera-server", "tessera.db", NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tessera-source-address.h"
#include "tessera-throttle.h"

G_BEGIN_DECLS

/*
 * tessera-server's settings: built-in defaults, then a GKeyFile (--config FILE), then the
 * command line, each overriding the one before. data/tessera-server.conf.example documents
 * every key. Unknown keys are refused, so a misspelt setting never silently does nothing.
 */

#define TESSERA_SERVER_CONFIG_ERROR (tessera_server_config_error_quark ())

typedef enum {
  TESSERA_SERVER_CONFIG_ERROR_INVALID,   /* a value, key or group the server cannot use */
} TesseraServerConfigError;

#define TESSERA_SERVER_DEFAULT_LISTEN          "127.0.0.1:8080"
#define TESSERA_SERVER_DEFAULT_REQUEST_TIMEOUT 30
#define TESSERA_SERVER_DEFAULT_SWEEP_INTERVAL  30

typedef struct {
  char                  *listen;                   /* "ADDR:PORT", "[V6ADDR]:PORT" */
  char                  *db_path;
  char                  *tls_cert;
  char                  *tls_key;
  gboolean               insecure_listen;
  TesseraProxyList      *trusted_proxies;
  guint                  request_timeout_seconds;
  guint                  sweep_interval_seconds;
  TesseraThrottleLimits  throttle;                 /* redemptions; sign-ins use the same */
  guint                  max_database_pages;       /* 0: as large as the disk allows */
} TesseraServerConfig;

GQuark               tessera_server_config_error_quark   (void);

TesseraServerConfig *tessera_server_config_new           (void);
void                 tessera_server_config_free          (TesseraServerConfig  *self);
gboolean             tessera_server_config_load_file     (TesseraServerConfig  *self,
                                                          const char           *path,
                                                          GError              **error);
/* Parses @self->listen; "localhost" means 127.0.0.1. Port 0 asks for an ephemeral port. */
GInetSocketAddress  *tessera_server_config_get_listen_address (TesseraServerConfig *self,
                                                               GError             **error);
/* The default database: $XDG_DATA_HOME/tessera-server/tessera.db. */
char                *tessera_server_config_default_db_path (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraServerConfig, tessera_server_config_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-error-text"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-client-error.h"
#include "tessera-error-text.h"

char *
tessera_error_text_describe (const GError *error,
                             const char   *host,
                             const char   *forbidden,
                             const char   *not_found)
{
  g_return_val_if_fail (error != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);

  if (error->domain == TESSERA_CLIENT_ERROR)
    switch ((TesseraClientError) error->code)
      {
      case TESSERA_CLIENT_ERROR_NETWORK:
        return g_strdup_printf (_("Cannot reach %s. Check your network connection."), host);
      case TESSERA_CLIENT_ERROR_TIMEOUT:
        return g_strdup_printf (_("%s did not answer in time."), host);
      case TESSERA_CLIENT_ERROR_TLS:
        return g_strdup_printf (_("The certificate of %s is not trusted."), host);
      case TESSERA_CLIENT_ERROR_NOT_TESSERA:
        return g_strdup_printf (_("%s is not a Tessera server."), host);
      case TESSERA_CLIENT_ERROR_SERVICE_UNAVAILABLE:
        return g_strdup_printf (_("%s is not available at the moment."), host);
      case TESSERA_CLIENT_ERROR_NOT_AUTHORIZED:
        return g_strdup (_("Your session has ended. Sign in again."));
      case TESSERA_CLIENT_ERROR_FORBIDDEN:
        if (forbidden != NULL)
          return g_strdup (forbidden);
        break;
      case TESSERA_CLIENT_ERROR_NOT_FOUND:
        if (not_found != NULL)
          return g_strdup (not_found);
        break;
      default:
        break;
      }

  return g_strdup (error->message);
}

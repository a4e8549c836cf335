/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The session token in the user's keyring (DESIGN §5, §6): libsecret schema
 * "io.github.tessera.Tessera.Session" with the attributes "server" (the normalised server URL)
 * and "username", stored in the default collection. Nothing else of the session is kept
 * anywhere on disk.
 *
 * "There is no item" is a normal answer: lookup returns NULL without an error. An error means
 * the keyring itself could not be used, with a code that says why.
 */

#define TESSERA_CREDENTIALS_SCHEMA_NAME "io.github.tessera.Tessera.Session"

#define TESSERA_CREDENTIALS_ERROR (tessera_credentials_error_quark ())

typedef enum {
  TESSERA_CREDENTIALS_ERROR_UNAVAILABLE,  /* no Secret Service (no keyring daemon, no bus) */
  TESSERA_CREDENTIALS_ERROR_LOCKED,       /* the keyring is locked and was not unlocked */
  TESSERA_CREDENTIALS_ERROR_FAILED,       /* the keyring answered with an error */
} TesseraCredentialsError;

GQuark     tessera_credentials_error_quark   (void);

void       tessera_credentials_store_async   (const char           *server,
                                              const char           *username,
                                              const char           *token,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean   tessera_credentials_store_finish  (GAsyncResult         *result,
                                              GError              **error);

/* Returns the token (a secret: free with tessera_secret_free()), or NULL when there is none. */
void       tessera_credentials_lookup_async  (const char           *server,
                                              const char           *username,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
char      *tessera_credentials_lookup_finish (GAsyncResult         *result,
                                              GError              **error);

/* Succeeds too when there was nothing to clear. */
void       tessera_credentials_clear_async   (const char           *server,
                                              const char           *username,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean   tessera_credentials_clear_finish  (GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS

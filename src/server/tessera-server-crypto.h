/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The server's secrets in one place (DESIGN §6), on libsodium:
 *
 * - a 32-byte master key in a key file beside the database (never in it), created 0600 on
 *   first use and refused when group or others may access it;
 * - subkeys derived from it with crypto_kdf for each purpose, so a leak of one derived value
 *   never helps with another: OTP code HMAC, token hashing, password encryption, key check;
 * - random tokens, ids and resource-account passwords from randombytes (a CSPRNG);
 * - Argon2id for the admins' own passwords.
 *
 * Nothing here logs; callers must not either. Every returned secret string should be freed
 * with tessera_server_crypto_free_secret(), which wipes it first.
 */

#define TESSERA_SERVER_CRYPTO_ERROR (tessera_server_crypto_error_quark ())

typedef enum {
  TESSERA_SERVER_CRYPTO_ERROR_FAILED,   /* libsodium or the OS failed */
  TESSERA_SERVER_CRYPTO_ERROR_KEY_FILE, /* the key file is missing, unreadable or too open */
  TESSERA_SERVER_CRYPTO_ERROR_DECRYPT,  /* a sealed value does not open with this key */
} TesseraServerCryptoError;

/* A keyed hash (HMAC-SHA256) of a code or token: what the database stores instead of it. */
#define TESSERA_SERVER_CRYPTO_HASH_BYTES 32
/* Session and poll tokens: 32 random bytes (256 bits) as unpadded base64url. */
#define TESSERA_SERVER_CRYPTO_TOKEN_BYTES 32
/* Generated resource-account passwords. */
#define TESSERA_SERVER_CRYPTO_PASSWORD_LENGTH 20

typedef struct _TesseraServerCrypto TesseraServerCrypto;

GQuark               tessera_server_crypto_error_quark       (void);

/*
 * Loads the master key from @key_path. When the file does not exist it is created if
 * @may_create (a new database), else refused: a new key cannot read an existing database.
 */
TesseraServerCrypto *tessera_server_crypto_new_from_key_file (const char   *key_path,
                                                              gboolean      may_create,
                                                              GError      **error);
void                 tessera_server_crypto_free              (TesseraServerCrypto *self);

/* @out receives TESSERA_SERVER_CRYPTO_HASH_BYTES bytes in the next three functions. */

/* A fingerprint of the key to store in the database: it detects a key file swapped for another. */
void                 tessera_server_crypto_key_check         (TesseraServerCrypto *self,
                                                              guint8       *out);

/* Keyed hashes for lookups by secret. @normalized_code is a normalised OTP code. */
void                 tessera_server_crypto_hash_code         (TesseraServerCrypto *self,
                                                              const char   *normalized_code,
                                                              guint8       *out);
void                 tessera_server_crypto_hash_token        (TesseraServerCrypto *self,
                                                              const char   *token,
                                                              guint8       *out);

/* crypto_secretbox with a random nonce; the result is nonce ‖ ciphertext. */
GBytes              *tessera_server_crypto_seal              (TesseraServerCrypto *self,
                                                              const char   *plaintext);
/* Returns the plaintext; free it with tessera_server_crypto_free_secret(). */
char                *tessera_server_crypto_unseal            (TesseraServerCrypto *self,
                                                              const guint8 *sealed,
                                                              gsize         sealed_length,
                                                              GError      **error);

/* Randomness (libsodium's CSPRNG). Fits TesseraRandomFill of tessera-otp-code.h. */
void                 tessera_server_crypto_random_fill       (guint8       *buffer,
                                                              gsize         length,
                                                              gpointer      user_data);
/* "@prefix" + 16 lowercase base32 characters (80 random bits). Not a secret. */
char                *tessera_server_crypto_new_id            (const char   *prefix);
/* 256 random bits as unpadded base64url (43 characters). A secret. */
char                *tessera_server_crypto_new_token         (void);
/*
 * TESSERA_SERVER_CRYPTO_PASSWORD_LENGTH characters from an alphabet without look-alikes, with
 * at least one upper-case letter, one lower-case letter and one digit. A secret.
 */
char                *tessera_server_crypto_new_password      (void);

/* Argon2id (crypto_pwhash_str, interactive limits). */
char                *tessera_server_crypto_hash_password     (const char   *password,
                                                              GError      **error);
/*
 * Verifies @password against @hash. With @hash NULL (unknown user) it verifies against a
 * fixed dummy hash and returns FALSE, so both cases cost the same time.
 */
gboolean             tessera_server_crypto_verify_password   (const char   *hash,
                                                              const char   *password);

/* Wipes and frees a secret string; NULL is allowed. */
void                 tessera_server_crypto_free_secret       (char         *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraServerCrypto, tessera_server_crypto_free)

G_END_DECLS

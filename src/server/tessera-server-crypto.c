/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-server-crypto"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "tessera-server-crypto.h"

#define MASTER_KEY_BYTES 32
/* crypto_kdf contexts are exactly 8 bytes; bump the digit if the derivation ever changes. */
#define KDF_CONTEXT "tessera1"

G_STATIC_ASSERT (MASTER_KEY_BYTES == crypto_kdf_KEYBYTES);
G_STATIC_ASSERT (crypto_auth_hmacsha256_KEYBYTES == 32);
G_STATIC_ASSERT (crypto_auth_hmacsha256_BYTES == TESSERA_SERVER_CRYPTO_HASH_BYTES);
G_STATIC_ASSERT (crypto_secretbox_KEYBYTES == 32);

/* One subkey per purpose; the numbers are the crypto_kdf subkey ids and must never change. */
typedef enum {
  SUBKEY_CODE_HMAC = 1,
  SUBKEY_TOKEN_HMAC = 2,
  SUBKEY_SECRETBOX = 3,
  SUBKEY_KEY_CHECK = 4,
  N_SUBKEYS = 4,
} Subkey;

#define SUBKEY_BYTES 32

struct _TesseraServerCrypto
{
  /* sodium_malloc'd: guard pages, mlock'd, wiped on free. Read-only after derivation. */
  guint8 *subkeys;
};

/*
 * A real Argon2id hash (interactive limits) of a random password nobody knows. Verifying
 * against it for an unknown user takes as long as for a known one, so the answer time does not
 * tell an attacker which usernames exist.
 */
static const char dummy_password_hash[] =
  "$argon2id$v=19$m=65536,t=2,p=1$YwCVsBBXB4ggPRRjKp7x7g$"
  "voebFeOB+QwHT7kePwZH/LBXyBmfe0/HpfNtKfs9DQA";

/* No look-alikes (0/O/o, 1/l/I) in case a person ever has to read one aloud. */
static const char password_alphabet[] =
  "ABCDEFGHJKLMNPQRSTUVWXYZ"
  "abcdefghijkmnpqrstuvwxyz"
  "23456789";

static const char base32_alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

G_DEFINE_QUARK (tessera-server-crypto-error-quark, tessera_server_crypto_error)

static void
ensure_sodium (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      /* Without a working CSPRNG no secret can be made safely: stop rather than limp on. */
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      g_once_init_leave (&initialized, 1);
    }
}

static const guint8 *
subkey (TesseraServerCrypto *self,
        Subkey               which)
{
  return self->subkeys + (which - 1) * SUBKEY_BYTES;
}

static gboolean
set_key_file_error (GError    **error,
                    const char *key_path,
                    int         saved_errno,
                    const char *doing)
{
  g_set_error (error, TESSERA_SERVER_CRYPTO_ERROR, TESSERA_SERVER_CRYPTO_ERROR_KEY_FILE,
               "Could not %s the key file “%s”: %s", doing, key_path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

static void
sync_parent_directory (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* Best effort: the key itself is already on disk; this makes its name durable too. */
  if (fd >= 0)
    {
      (void) fsync (fd);
      close (fd);
    }
}

/*
 * Writes a fresh key to a private temporary file (O_CREAT|O_EXCL, 0600) and links it into
 * place, so no other process ever sees a half-written key file, and of two processes creating
 * the key at once exactly one wins (link fails with EEXIST for the other, which then loads it).
 * Returns FALSE with *lost_race set (and no error) if another process won.
 */
static gboolean
create_key_file (const char  *key_path,
                 gboolean    *lost_race,
                 GError     **error)
{
  g_autofree char *tmp_path = g_strconcat (key_path, ".XXXXXX", NULL);
  guint8 *key;
  gboolean ok;
  int fd;
  int saved_errno;

  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_key_file_error (error, key_path, errno, "create");

  key = sodium_malloc (MASTER_KEY_BYTES);
  if (key == NULL)
    {
      close (fd);
      g_unlink (tmp_path);
      return set_key_file_error (error, key_path, ENOMEM, "create");
    }
  randombytes_buf (key, MASTER_KEY_BYTES);
  ok = write_all (fd, key, MASTER_KEY_BYTES) && fsync (fd) == 0;
  saved_errno = errno;
  sodium_free (key);
  close (fd);

  if (!ok)
    {
      g_unlink (tmp_path);
      return set_key_file_error (error, key_path, saved_errno, "write");
    }

  if (link (tmp_path, key_path) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp_path);
      if (saved_errno == EEXIST)
        *lost_race = TRUE;
      else
        set_key_file_error (error, key_path, saved_errno, "create");
      return FALSE;
    }

  g_unlink (tmp_path);
  sync_parent_directory (key_path);
  return TRUE;
}

/* Reads exactly MASTER_KEY_BYTES into @key, refusing a file others could read or change. */
static gboolean
read_key_file (const char  *key_path,
               guint8      *key,
               GError     **error)
{
  struct stat st;
  gsize done = 0;
  int fd;

  /* A symlink is followed (keys may live on a secrets mount); the target must be private. */
  fd = open (key_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return set_key_file_error (error, key_path, errno, "open");

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;
      close (fd);
      return set_key_file_error (error, key_path, saved_errno, "inspect");
    }

  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, TESSERA_SERVER_CRYPTO_ERROR, TESSERA_SERVER_CRYPTO_ERROR_KEY_FILE,
                   "The key file “%s” is not a regular file", key_path);
      return FALSE;
    }

  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      close (fd);
      g_set_error (error, TESSERA_SERVER_CRYPTO_ERROR, TESSERA_SERVER_CRYPTO_ERROR_KEY_FILE,
                   "The key file “%s” is accessible to group or others (mode %04o); "
                   "make it private with: chmod 600 '%s'",
                   key_path, (guint) (st.st_mode & 07777), key_path);
      return FALSE;
    }

  if (st.st_size != MASTER_KEY_BYTES)
    {
      close (fd);
      g_set_error (error, TESSERA_SERVER_CRYPTO_ERROR, TESSERA_SERVER_CRYPTO_ERROR_KEY_FILE,
                   "The key file “%s” has %" G_GINT64_FORMAT " bytes instead of %d: it is "
                   "damaged or not a Tessera key file",
                   key_path, (gint64) st.st_size, MASTER_KEY_BYTES);
      return FALSE;
    }

  while (done < MASTER_KEY_BYTES)
    {
      gssize n = read (fd, key + done, MASTER_KEY_BYTES - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : EIO;
          close (fd);
          return set_key_file_error (error, key_path, saved_errno, "read");
        }
      done += n;
    }

  close (fd);
  return TRUE;
}

TesseraServerCrypto *
tessera_server_crypto_new_from_key_file (const char  *key_path,
                                         gboolean     may_create,
                                         GError     **error)
{
  g_autoptr(TesseraServerCrypto) self = NULL;
  guint8 *master;
  gboolean ok;

  g_return_val_if_fail (key_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_sodium ();

  if (!g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      gboolean lost_race = FALSE;

      if (!may_create)
        {
          g_set_error (error, TESSERA_SERVER_CRYPTO_ERROR, TESSERA_SERVER_CRYPTO_ERROR_KEY_FILE,
                       "The key file “%s” is missing: restore it from the backup made with "
                       "the database (a new key cannot read the existing data)", key_path);
          return NULL;
        }

      /* On a lost race another process created the key a moment ago: load that one. */
      if (!create_key_file (key_path, &lost_race, error) && !lost_race)
        return NULL;
    }

  master = sodium_malloc (MASTER_KEY_BYTES);
  if (master == NULL)
    {
      g_set_error_literal (error, TESSERA_SERVER_CRYPTO_ERROR, TESSERA_SERVER_CRYPTO_ERROR_FAILED,
                           "Out of memory for the key");
      return NULL;
    }

  ok = read_key_file (key_path, master, error);
  if (ok)
    {
      self = g_new0 (TesseraServerCrypto, 1);
      self->subkeys = sodium_malloc (N_SUBKEYS * SUBKEY_BYTES);
      if (self->subkeys == NULL)
        {
          g_set_error_literal (error, TESSERA_SERVER_CRYPTO_ERROR,
                               TESSERA_SERVER_CRYPTO_ERROR_FAILED, "Out of memory for the key");
          ok = FALSE;
        }
      else
        {
          for (guint i = 1; i <= N_SUBKEYS; i++)
            crypto_kdf_derive_from_key (self->subkeys + (i - 1) * SUBKEY_BYTES, SUBKEY_BYTES,
                                        i, KDF_CONTEXT, master);
          sodium_mprotect_readonly (self->subkeys);
        }
    }
  sodium_free (master);

  if (!ok)
    return NULL;

  return g_steal_pointer (&self);
}

void
tessera_server_crypto_free (TesseraServerCrypto *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->subkeys, sodium_free);
  g_free (self);
}

void
tessera_server_crypto_key_check (TesseraServerCrypto *self,
                                 guint8               *out)
{
  static const char label[] = "tessera key check";

  g_return_if_fail (self != NULL);
  crypto_auth_hmacsha256 (out, (const guint8 *) label, strlen (label),
                          subkey (self, SUBKEY_KEY_CHECK));
}

void
tessera_server_crypto_hash_code (TesseraServerCrypto *self,
                                 const char          *normalized_code,
                                 guint8               *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (normalized_code != NULL);
  crypto_auth_hmacsha256 (out, (const guint8 *) normalized_code, strlen (normalized_code),
                          subkey (self, SUBKEY_CODE_HMAC));
}

void
tessera_server_crypto_hash_token (TesseraServerCrypto *self,
                                  const char          *token,
                                  guint8               *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (token != NULL);
  crypto_auth_hmacsha256 (out, (const guint8 *) token, strlen (token),
                          subkey (self, SUBKEY_TOKEN_HMAC));
}

GBytes *
tessera_server_crypto_seal (TesseraServerCrypto *self,
                            const char          *plaintext)
{
  gsize length;
  gsize sealed_length;
  guint8 *sealed;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (plaintext != NULL, NULL);

  length = strlen (plaintext);
  sealed_length = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + length;
  sealed = g_malloc (sealed_length);
  randombytes_buf (sealed, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy (sealed + crypto_secretbox_NONCEBYTES,
                         (const guint8 *) plaintext, length,
                         sealed, subkey (self, SUBKEY_SECRETBOX));
  return g_bytes_new_take (sealed, sealed_length);
}

char *
tessera_server_crypto_unseal (TesseraServerCrypto *self,
                              const guint8        *sealed,
                              gsize                sealed_length,
                              GError             **error)
{
  gsize length;
  char *plaintext;

  g_return_val_if_fail (self != NULL, NULL);

  if (sealed == NULL || sealed_length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    {
      g_set_error_literal (error, TESSERA_SERVER_CRYPTO_ERROR, TESSERA_SERVER_CRYPTO_ERROR_DECRYPT,
                           "The sealed value is truncated");
      return NULL;
    }

  length = sealed_length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
  plaintext = g_malloc (length + 1);
  if (crypto_secretbox_open_easy ((guint8 *) plaintext,
                                  sealed + crypto_secretbox_NONCEBYTES,
                                  sealed_length - crypto_secretbox_NONCEBYTES,
                                  sealed, subkey (self, SUBKEY_SECRETBOX)) != 0)
    {
      sodium_memzero (plaintext, length + 1);
      g_free (plaintext);
      g_set_error_literal (error, TESSERA_SERVER_CRYPTO_ERROR, TESSERA_SERVER_CRYPTO_ERROR_DECRYPT,
                           "The sealed value does not open with this server's key");
      return NULL;
    }
  plaintext[length] = '\0';
  return plaintext;
}

void
tessera_server_crypto_random_fill (guint8   *buffer,
                                   gsize     length,
                                   gpointer  user_data)
{
  ensure_sodium ();
  randombytes_buf (buffer, length);
}

char *
tessera_server_crypto_new_id (const char *prefix)
{
  guint8 bytes[10];
  GString *id;
  guint64 bits = 0;
  guint n_bits = 0;

  g_return_val_if_fail (prefix != NULL, NULL);

  ensure_sodium ();
  randombytes_buf (bytes, sizeof bytes);

  /* 80 bits are exactly 16 base32 characters: no padding, no leftover bits. */
  id = g_string_new (prefix);
  for (guint i = 0; i < sizeof bytes; i++)
    {
      bits = (bits << 8) | bytes[i];
      n_bits += 8;
      while (n_bits >= 5)
        {
          n_bits -= 5;
          g_string_append_c (id, base32_alphabet[(bits >> n_bits) & 0x1f]);
        }
    }
  return g_string_free (id, FALSE);
}

char *
tessera_server_crypto_new_token (void)
{
  guint8 bytes[TESSERA_SERVER_CRYPTO_TOKEN_BYTES];
  const gsize encoded_length =
    sodium_base64_ENCODED_LEN (TESSERA_SERVER_CRYPTO_TOKEN_BYTES,
                               sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *token;

  ensure_sodium ();
  randombytes_buf (bytes, sizeof bytes);
  token = g_malloc (encoded_length);
  sodium_bin2base64 (token, encoded_length, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return token;
}

char *
tessera_server_crypto_new_password (void)
{
  const guint32 alphabet_size = sizeof password_alphabet - 1;
  char *password = g_malloc (TESSERA_SERVER_CRYPTO_PASSWORD_LENGTH + 1);

  ensure_sodium ();

  /*
   * Room accounts live under directory password policies that want several character classes.
   * Redrawing the whole password until it has all three keeps every acceptable password
   * equally likely (randombytes_uniform has no modulo bias); a redraw is needed about once in
   * 100 000 passwords.
   */
  for (;;)
    {
      gboolean upper = FALSE, lower = FALSE, digit = FALSE;

      for (guint i = 0; i < TESSERA_SERVER_CRYPTO_PASSWORD_LENGTH; i++)
        {
          char c = password_alphabet[randombytes_uniform (alphabet_size)];

          password[i] = c;
          upper |= g_ascii_isupper (c);
          lower |= g_ascii_islower (c);
          digit |= g_ascii_isdigit (c);
        }
      password[TESSERA_SERVER_CRYPTO_PASSWORD_LENGTH] = '\0';

      if (upper && lower && digit)
        return password;
    }
}

char *
tessera_server_crypto_hash_password (const char  *password,
                                     GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  ensure_sodium ();
  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, TESSERA_SERVER_CRYPTO_ERROR, TESSERA_SERVER_CRYPTO_ERROR_FAILED,
                           "Not enough memory to hash the password");
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
tessera_server_crypto_verify_password (const char *hash,
                                       const char *password)
{
  gboolean known = hash != NULL;
  int result;

  g_return_val_if_fail (password != NULL, FALSE);

  ensure_sodium ();
  result = crypto_pwhash_str_verify (known ? hash : dummy_password_hash,
                                     password, strlen (password));
  return known && result == 0;
}

void
tessera_server_crypto_free_secret (char *secret)
{
  if (secret == NULL)
    return;
  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

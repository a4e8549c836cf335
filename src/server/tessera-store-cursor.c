/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-store"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "tessera-store-private.h"

/*
 * List cursors. A cursor carries the sort key of the last row of the page (keyset
 * pagination: the next page starts strictly after it, so rows are never skipped or repeated
 * while others are inserted), the total counted on the first page (counting again on every
 * page would scan the table once per page), and a hash of the query it belongs to, so a cursor
 * used with other filters is refused instead of silently mixing two lists.
 *
 * It is not a secret and not signed: a client that forges one only pages through data it may
 * read anyway. It is parsed as untrusted input (GVariant in non-trusted mode, normal form).
 */

#define CURSOR_VERSION 1
#define CURSOR_TYPE "(yuuxss)"
/* Sort keys are names and ids; a cursor longer than this is not one of ours. */
#define CURSOR_MAX_LENGTH 4096

char *
_tessera_store_cursor_encode (const TesseraStoreCursor *cursor,
                              guint32                   query_hash)
{
  g_autoptr(GVariant) variant = NULL;
  gsize size;
  gsize encoded_length;
  char *encoded;

  variant = g_variant_ref_sink (g_variant_new (CURSOR_TYPE,
                                               (guint8) CURSOR_VERSION,
                                               query_hash,
                                               cursor->total,
                                               cursor->int_key,
                                               cursor->text_key1 ? cursor->text_key1 : "",
                                               cursor->text_key2 ? cursor->text_key2 : ""));
  size = g_variant_get_size (variant);
  encoded_length = sodium_base64_ENCODED_LEN (size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  encoded = g_malloc (encoded_length);
  sodium_bin2base64 (encoded, encoded_length, g_variant_get_data (variant), size,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return encoded;
}

static gboolean
set_invalid (GError **error)
{
  g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                       "The cursor is not one this list gave out (start again without it)");
  return FALSE;
}

gboolean
_tessera_store_cursor_decode (const char          *text,
                              guint32              query_hash,
                              TesseraStoreCursor  *cursor,
                              GError             **error)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize text_length;
  guint8 *data;
  gsize data_length = 0;
  guint8 version;
  guint32 hash;

  g_assert (text != NULL);

  text_length = strlen (text);
  if (text_length == 0 || text_length > CURSOR_MAX_LENGTH)
    return set_invalid (error);

  /*
   * Zero-filled and with room to spare: GLib 2.74's g_variant_is_normal_form() reads a byte
   * past the end of a short serialised tuple (e.g. the 3 bytes of "AAAA"), found by valgrind
   * in the store's malformed-cursor test. The bytes it may read are then ours, and defined.
   */
  data = g_malloc0 (text_length + 8);
  if (sodium_base642bin (data, text_length, text, text_length, NULL, &data_length, NULL,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    {
      g_free (data);
      return set_invalid (error);
    }
  bytes = g_bytes_new_take (data, data_length);

  variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (CURSOR_TYPE),
                                                          bytes, FALSE));
  if (!g_variant_is_normal_form (variant))
    return set_invalid (error);

  g_variant_get (variant, CURSOR_TYPE, &version, &hash, &cursor->total, &cursor->int_key,
                 &cursor->text_key1, &cursor->text_key2);
  if (version != CURSOR_VERSION || hash != query_hash)
    {
      _tessera_store_cursor_clear (cursor);
      return set_invalid (error);
    }
  return TRUE;
}

void
_tessera_store_cursor_clear (TesseraStoreCursor *cursor)
{
  g_clear_pointer (&cursor->text_key1, g_free);
  g_clear_pointer (&cursor->text_key2, g_free);
}

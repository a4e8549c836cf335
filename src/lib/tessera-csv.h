/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * An RFC 4180 reader shared by the server's account import and the app's sign-in data
 * upload: comma-separated, optional quotes with "" as an escaped quote, newlines inside
 * quotes, CRLF or LF line ends, a UTF-8 byte order mark ignored, empty lines skipped.
 *
 * Every record carries the physical line number it starts on, so each bad line can be named.
 * A malformed record is reported and skipped; reading continues on the next line, so one
 * pass finds every bad line.
 */

#define TESSERA_CSV_ERROR (tessera_csv_error_quark ())

typedef enum {
  TESSERA_CSV_ERROR_UNTERMINATED_QUOTE,
  TESSERA_CSV_ERROR_STRAY_QUOTE,
  TESSERA_CSV_ERROR_TEXT_AFTER_QUOTE,
  TESSERA_CSV_ERROR_INVALID_TEXT,
  TESSERA_CSV_ERROR_TOO_LONG,
} TesseraCsvError;

/* Bounds that keep a hostile file from exhausting memory; a sane file never comes close. */
#define TESSERA_CSV_MAX_FIELD_LENGTH  (64 * 1024)
#define TESSERA_CSV_MAX_FIELDS        256

#define TESSERA_TYPE_CSV_READER (tessera_csv_reader_get_type ())

G_DECLARE_FINAL_TYPE (TesseraCsvReader, tessera_csv_reader, TESSERA, CSV_READER, GObject)

GQuark            tessera_csv_error_quark     (void);

TesseraCsvReader *tessera_csv_reader_new      (GBytes            *data);

/*
 * Reads the next record. Returns TRUE with @fields (transfer full: a GPtrArray of strings
 * that frees them) and @line set. Returns FALSE at the end (no error) or for a malformed
 * record (@error set, @line set to where it starts); after an error the next call continues
 * with the following line. The message names the line: "Line 4: …".
 */
gboolean          tessera_csv_reader_next     (TesseraCsvReader  *self,
                                               GPtrArray        **fields,
                                               guint             *line,
                                               GError           **error);

/* The index of the column whose header is @name (ASCII case and surrounding blanks
 * ignored), or -1. */
int               tessera_csv_find_column     (GPtrArray         *header,
                                               const char        *name);

G_END_DECLS

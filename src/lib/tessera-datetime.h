/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Timestamps on the wire are RFC 3339 in UTC (DESIGN §4). We always write microseconds and
 * 'Z' ("2026-11-25T18:40:00.123456Z") and read any RFC 3339 date-time with 'Z' or a numeric
 * offset; a missing zone, a leap second, week or ordinal dates and other ISO 8601 forms that
 * g_date_time_new_from_iso8601() would take are refused. Years are 0001 to 9999.
 */

/* "YYYY-MM-DDTHH:MM:SS.ffffffZ" plus the NUL */
#define TESSERA_DATETIME_BUFFER_SIZE 28

/* Returns a newly allocated string, or NULL for a NULL @datetime. */
char      *tessera_datetime_format           (GDateTime  *datetime);
/* Writes into @buffer; returns FALSE when @unix_usec is outside 0001..9999. */
gboolean   tessera_datetime_format_unix_usec (gint64      unix_usec,
                                              char        buffer[TESSERA_DATETIME_BUFFER_SIZE]);
/* Returns a UTC GDateTime, or NULL with @error set (TESSERA_JSON_ERROR_INVALID_VALUE). */
GDateTime *tessera_datetime_parse            (const char *text,
                                              GError    **error);
/* As tessera_datetime_parse() without allocating; microseconds since 1970-01-01T00:00:00Z. */
gboolean   tessera_datetime_parse_unix_usec  (const char *text,
                                              gint64     *unix_usec,
                                              GError    **error);
/* UTC GDateTime for microseconds since the epoch (GLib 2.74 lacks new_from_unix_utc_usec). */
GDateTime *tessera_datetime_new_unix_usec    (gint64      unix_usec);
/* Microseconds since the epoch of @datetime. */
gint64     tessera_datetime_to_unix_usec     (GDateTime  *datetime);

G_END_DECLS

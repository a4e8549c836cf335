/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Direct access to a test server's SQLite database, for what no API may do: moving time
 * forward for one OTP, and checking the file after a crash. WAL mode lets a second
 * connection write while the server runs; the busy timeout waits out the server's writes.
 *
 * These know the store's schema (src/server/tessera-store-schema.c): timestamps are
 * microseconds since the Unix epoch in INTEGER columns.
 */

/*
 * Sets the expiry of OTP @otp_id, of the account's copy of it and of its request (if any) to
 * @expires_at_usec, as if that much time had passed. Asserts the OTP exists.
 */
void   tessera_test_db_set_otp_expiry     (const char *db_path,
                                           const char *otp_id,
                                           gint64      expires_at_usec);
/* The single-row answer of PRAGMA integrity_check ("ok" when the file is sound). */
char  *tessera_test_db_integrity_check    (const char *db_path);
/* The first column of the first row of @sql as text (NULL for no row or SQL NULL). */
char  *tessera_test_db_query_text         (const char *db_path,
                                           const char *sql);
/* The same as a number; asserts there is one. */
gint64 tessera_test_db_query_int          (const char *db_path,
                                           const char *sql);
/* Runs @sql (any number of statements) on a connection of its own; asserts success. */
void   tessera_test_db_exec               (const char *db_path,
                                           const char *sql);

G_END_DECLS

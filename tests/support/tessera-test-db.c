/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-test-db"

#include "config.h"

#include <sqlite3.h>

#include "tessera-test-db.h"

static sqlite3 *
open_db (const char *db_path)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL);

  if (rc != SQLITE_OK)
    g_error ("cannot open %s: %s", db_path, sqlite3_errstr (rc));
  /* The server may be in the middle of a write transaction. */
  sqlite3_busy_timeout (db, 30000);
  return db;
}

static void
check (sqlite3    *db,
       int         rc,
       int         expected,
       const char *what)
{
  if (rc != expected)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

void
tessera_test_db_set_otp_expiry (const char *db_path,
                                const char *otp_id,
                                gint64      expires_at_usec)
{
  static const char * const statements[] = {
    "UPDATE otps SET expires_at = ?1 WHERE id = ?2",
    "UPDATE accounts SET otp_expires_at = ?1 WHERE otp_id = ?2",
    "UPDATE requests SET expires_at = ?1 WHERE otp_id = ?2",
  };
  sqlite3 *db = open_db (db_path);
  int changed_otps = 0;

  check (db, sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK, "BEGIN");
  for (gsize i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      sqlite3_stmt *stmt = NULL;

      check (db, sqlite3_prepare_v2 (db, statements[i], -1, &stmt, NULL), SQLITE_OK,
             statements[i]);
      sqlite3_bind_int64 (stmt, 1, expires_at_usec);
      sqlite3_bind_text (stmt, 2, otp_id, -1, SQLITE_TRANSIENT);
      check (db, sqlite3_step (stmt), SQLITE_DONE, statements[i]);
      if (i == 0)
        changed_otps = sqlite3_changes (db);
      sqlite3_finalize (stmt);
    }
  check (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), SQLITE_OK, "COMMIT");
  sqlite3_close (db);

  g_assert_cmpint (changed_otps, ==, 1);
}

char *
tessera_test_db_query_text (const char *db_path,
                            const char *sql)
{
  sqlite3 *db = open_db (db_path);
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;
  int rc;

  check (db, sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK, sql);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else
    check (db, rc, SQLITE_DONE, sql);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

char *
tessera_test_db_integrity_check (const char *db_path)
{
  return tessera_test_db_query_text (db_path, "PRAGMA integrity_check");
}

void
tessera_test_db_exec (const char *db_path,
                      const char *sql)
{
  sqlite3 *db = open_db (db_path);

  check (db, sqlite3_exec (db, sql, NULL, NULL, NULL), SQLITE_OK, sql);
  sqlite3_close (db);
}

gint64
tessera_test_db_query_int (const char *db_path,
                           const char *sql)
{
  g_autofree char *text = tessera_test_db_query_text (db_path, sql);
  char *end = NULL;
  gint64 value;

  g_assert_nonnull (text);
  value = g_ascii_strtoll (text, &end, 10);
  g_assert_true (end != text && *end == '\0');
  return value;
}

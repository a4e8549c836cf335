/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <sys/random.h>

#include <sqlite3.h>

#include "bench-common.h"

/*
 * Benchmark otp-batch (issue 9): POST /api/v1/otp-batches with 1 000 ready accounts in
 * "generate" mode, from sending the request to the last byte of its 201 (every run on 1 000
 * accounts that never had an OTP, as an admin's first batch would be).
 *
 * The reference is the storage floor of the same work: one SQLite transaction on the same
 * database file (WAL, synchronous=FULL, like the server) that, for 1 000 other fresh ready
 * accounts, reads the account, inserts an OTP row with a random 32-byte hash into a table
 * shaped like `otps` (with its unique index), updates the account's provisioning columns and
 * inserts an audit row — with prepared statements, and without HTTP, JSON, crypto or checks.
 *
 * Prints bench: batch_1000_s and batch_1000_floor_s (medians).
 */

#define DEFAULT_RUNS 5
#define BATCH_SIZE   1000

static const char floor_schema[] =
  "CREATE TABLE IF NOT EXISTS bench_otps ("
  "  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, batch_id TEXT NOT NULL,"
  "  code_hash BLOB NOT NULL UNIQUE, issued_by TEXT NOT NULL, issued_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL, state TEXT NOT NULL, sealed_password BLOB) STRICT;"
  "CREATE TABLE IF NOT EXISTS bench_audit ("
  "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
  "  target TEXT, source_address TEXT, detail TEXT) STRICT;";

static void
check (sqlite3 *db,
       int      rc,
       int      expected)
{
  if (rc != expected)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  check (db, sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL),
         SQLITE_OK);
  return stmt;
}

static void
step_done (sqlite3      *db,
           sqlite3_stmt *stmt)
{
  check (db, sqlite3_step (stmt), SQLITE_DONE);
  sqlite3_reset (stmt);
}

static void
fill_random (guint8 *buffer,
             gsize   length)
{
  if (getrandom (buffer, length, 0) != (gssize) length)
    g_error ("getrandom: %s", g_strerror (errno));
}

static double
write_floor_batch (sqlite3   *db,
                   GPtrArray *ids,
                   guint      from)
{
  sqlite3_stmt *select = prepare (db, "SELECT readiness FROM accounts WHERE id = ?");
  sqlite3_stmt *insert = prepare (db, "INSERT INTO bench_otps (id, account_id, batch_id, "
                                  "code_hash, issued_by, issued_at, expires_at, state, "
                                  "sealed_password) VALUES (?, ?, ?, ?, 'bench', ?, ?, "
                                  "'issued', ?)");
  sqlite3_stmt *update = prepare (db, "UPDATE accounts SET provisioning = 'otp_issued', "
                                  "otp_id = ?, issued_by = 'bench', otp_expires_at = ?, "
                                  "updated_at = ? WHERE id = ?");
  sqlite3_stmt *audit = prepare (db, "INSERT INTO bench_audit (at, actor, action, target, "
                                 "source_address, detail) VALUES (?, 'bench', 'otp_issued', "
                                 "?, '127.0.0.1', ?)");
  sqlite3_stmt *newest = prepare (db, "SELECT MAX(updated_at) FROM accounts");
  g_autofree char *batch_id = g_strdup_printf ("bench_batch_%u", from);
  gint64 start = g_get_monotonic_time ();
  gint64 now = g_get_real_time ();
  gint64 expires = now + 8 * G_TIME_SPAN_HOUR;
  gint64 stamp;
  double seconds;

  check (db, sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  check (db, sqlite3_step (newest), SQLITE_ROW);
  stamp = MAX (sqlite3_column_int64 (newest, 0), now);
  sqlite3_reset (newest);

  for (guint i = from; i < from + BATCH_SIZE; i++)
    {
      const char *account_id = g_ptr_array_index (ids, i);
      g_autofree char *otp_id = g_strdup_printf ("bench_otp_%u", i);
      g_autofree char *detail = g_strdup_printf ("OTP %s in batch %s", otp_id, batch_id);
      guint8 hash[32], sealed[72];

      sqlite3_bind_text (select, 1, account_id, -1, SQLITE_STATIC);
      check (db, sqlite3_step (select), SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (select, 0), ==, "ready");
      sqlite3_reset (select);

      fill_random (hash, sizeof hash);
      fill_random (sealed, sizeof sealed);
      sqlite3_bind_text (insert, 1, otp_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, account_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 3, batch_id, -1, SQLITE_STATIC);
      sqlite3_bind_blob (insert, 4, hash, sizeof hash, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 5, now);
      sqlite3_bind_int64 (insert, 6, expires);
      sqlite3_bind_blob (insert, 7, sealed, sizeof sealed, SQLITE_STATIC);
      step_done (db, insert);

      sqlite3_bind_text (update, 1, otp_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (update, 2, expires);
      sqlite3_bind_int64 (update, 3, ++stamp);
      sqlite3_bind_text (update, 4, account_id, -1, SQLITE_STATIC);
      step_done (db, update);

      sqlite3_bind_int64 (audit, 1, now);
      sqlite3_bind_text (audit, 2, account_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (audit, 3, detail, -1, SQLITE_STATIC);
      step_done (db, audit);
    }
  check (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  seconds = bench_seconds_since (start);

  sqlite3_finalize (select);
  sqlite3_finalize (insert);
  sqlite3_finalize (update);
  sqlite3_finalize (audit);
  sqlite3_finalize (newest);
  return seconds;
}

static sqlite3 *
open_floor_db (const char *db_path)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    g_error ("cannot open %s: %s", db_path, sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 10000);
  /* The server's settings (tessera-store.c): WAL, and a commit that survives power loss. */
  check (db, sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;",
                           NULL, NULL, NULL), SQLITE_OK);
  check (db, sqlite3_exec (db, floor_schema, NULL, NULL, NULL), SQLITE_OK);
  return db;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BenchServer) server = NULL;
  g_autoptr(GString) buffer = g_string_sized_new (1 << 20);
  g_autoptr(GArray) api = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floors = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) ids = NULL;
  guint runs = bench_n_runs (DEFAULT_RUNS);
  /* Accounts for the API (warm-up and runs), then as many for the floor. */
  guint half = (runs + 1) * BATCH_SIZE;
  double api_median, floor_median;
  sqlite3 *db;

  server = bench_server_new ();
  ids = bench_ready_account_ids (bench_server_get_db_path (server), 0, 2 * half);
  db = open_floor_db (bench_server_get_db_path (server));

  /* Warm-up: the first batch of a fresh server process, and the floor's first transaction. */
  bench_issue_batch (server, ids, 0, BATCH_SIZE, buffer, NULL);
  write_floor_batch (db, ids, half);

  for (guint run = 1; run <= runs; run++)
    {
      double a, f;

      if (run % 2 == 1)
        {
          a = bench_issue_batch (server, ids, run * BATCH_SIZE, BATCH_SIZE, buffer, NULL);
          f = write_floor_batch (db, ids, half + run * BATCH_SIZE);
        }
      else
        {
          f = write_floor_batch (db, ids, half + run * BATCH_SIZE);
          a = bench_issue_batch (server, ids, run * BATCH_SIZE, BATCH_SIZE, buffer, NULL);
        }
      g_array_append_val (api, a);
      g_array_append_val (floors, f);
      bench_say ("run %u: POST /api/v1/otp-batches (1 000 accounts) %.1f ms, SQLite floor "
                 "%.1f ms", run, a * 1000, f * 1000);
    }

  sqlite3_close (db);

  api_median = bench_median (api);
  floor_median = bench_median (floors);
  bench_say ("otp-batch: 1 000 OTPs in %.1f ms to 201, SQLite floor %.1f ms (medians of %u), "
             "ratio %.1f", api_median * 1000, floor_median * 1000, runs,
             api_median / floor_median);
  bench_figure ("batch_1000_s", api_median);
  bench_figure ("batch_1000_floor_s", floor_median);

  g_clear_pointer (&server, bench_server_free);
  bench_cleanup ();
  return 0;
}

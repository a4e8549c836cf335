/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-store"

#include "config.h"

#include <sodium.h>

#include "tessera-store-private.h"

/*
 * The database schema and its migrations.
 *
 * PRAGMA user_version is the schema version. Each migration runs in one transaction together
 * with the user_version bump, so a crash leaves the old or the new schema, never a mix. A
 * database of a newer version is refused by tessera_store_open().
 *
 * Conventions: every timestamp is INTEGER microseconds since the Unix epoch (UTC); every enum
 * is TEXT holding the enum's nick from tessera-enums.h (the same word as on the wire); ids are
 * opaque TEXT ("acc_…", "otp_…", "req_…", "bat_…", "ses_…"); tables are STRICT.
 *
 * Schema version 1:
 *
 * meta       facts about the database itself; "key_check" is a keyed hash made with the key
 *            file's key, so a database opened with the wrong key file is refused instead of
 *            failing later on every code, token and password.
 * users      people who sign in; password_hash is Argon2id (crypto_pwhash_str).
 * sessions   signed-in sessions; only an HMAC of the token is kept (token_hash), looked up by
 *            it. A revoked session is deleted; an expired one is ignored and swept.
 * accounts   resource accounts. readiness is derived from license and readiness_issues (';'
 *            joined codes) on every write and stored so it can be filtered on. The provisioning
 *            columns (provisioning, otp_id, issued_by, otp_expires_at, request_id) repeat the
 *            state of the account's newest OTP and request so that listing and filtering need
 *            no joins. search_key is the case-folded "name \x1f upn \x1f site" for the q
 *            filter; upn_key the case-folded UPN, unique (UPNs are case-insensitive).
 *            updated_at is unique and strictly increasing across all accounts (the store
 *            makes it so), so "updated_at > since" never misses a change.
 * batches    one per POST of otp-batches; the Idempotency-Key is unique per creator.
 * otps       issued codes; only an HMAC of the normalised code (code_hash, unique). At most
 *            one live ('issued') OTP per account, enforced by a partial unique index.
 *            sealed_password holds the account password (crypto_secretbox) from issue until
 *            redemption, when it moves to the request; it is wiped when the OTP ends otherwise.
 * requests   redemptions awaiting or past review; the request id is also the console's
 *            redemption id. poll_token_hash is the HMAC of the console's poll token.
 *            sealed_password is released once, at the first poll after approval, and wiped
 *            then or when the request is rejected or expires. At most one pending request per
 *            account (partial unique index).
 * settings   the organisation's settings, exactly one row.
 * audit      who did what, when, from where; never a secret.
 */

static const char migration_1[] =
  "CREATE TABLE meta ("
  "  name  TEXT PRIMARY KEY,"
  "  value BLOB NOT NULL"
  ") STRICT;"

  "CREATE TABLE users ("
  "  username      TEXT PRIMARY KEY,"
  "  display_name  TEXT NOT NULL,"
  "  role          TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),"
  "  password_hash TEXT NOT NULL,"
  "  created_at    INTEGER NOT NULL"
  ") STRICT;"

  "CREATE TABLE sessions ("
  "  id             TEXT PRIMARY KEY,"
  "  token_hash     BLOB NOT NULL UNIQUE,"
  "  username       TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,"
  "  created_at     INTEGER NOT NULL,"
  "  expires_at     INTEGER NOT NULL,"
  "  source_address TEXT"
  ") STRICT;"
  "CREATE INDEX sessions_by_expiry ON sessions (expires_at);"

  "CREATE TABLE accounts ("
  "  id               TEXT PRIMARY KEY,"
  "  display_name     TEXT NOT NULL,"
  "  upn              TEXT NOT NULL,"
  "  upn_key          TEXT NOT NULL UNIQUE,"
  "  site             TEXT NOT NULL,"
  "  license          TEXT,"
  "  readiness_issues TEXT NOT NULL DEFAULT '',"
  "  readiness        TEXT NOT NULL"
  "                   CHECK (readiness IN ('ready', 'change_settings', 'no_valid_license')),"
  "  search_key       TEXT NOT NULL,"
  "  provisioning     TEXT NOT NULL DEFAULT 'not_started'"
  "                   CHECK (provisioning IN ('not_started', 'otp_issued',"
  "                          'awaiting_otp_approval', 'provisioned', 'otp_rejected',"
  "                          'otp_expired', 'otp_revoked')),"
  "  otp_id           TEXT,"
  "  issued_by        TEXT,"
  "  otp_expires_at   INTEGER,"
  "  request_id       TEXT,"
  "  created_at       INTEGER NOT NULL,"
  "  updated_at       INTEGER NOT NULL UNIQUE"
  ") STRICT;"
  "CREATE INDEX accounts_by_name ON accounts (display_name, id);"

  "CREATE TABLE batches ("
  "  id              TEXT PRIMARY KEY,"
  "  created_by      TEXT NOT NULL,"
  "  created_at      INTEGER NOT NULL,"
  "  idempotency_key TEXT,"
  "  UNIQUE (created_by, idempotency_key)"
  ") STRICT;"

  "CREATE TABLE otps ("
  "  id              TEXT PRIMARY KEY,"
  "  account_id      TEXT NOT NULL REFERENCES accounts (id),"
  "  batch_id        TEXT NOT NULL REFERENCES batches (id),"
  "  code_hash       BLOB NOT NULL UNIQUE,"
  "  issued_by       TEXT NOT NULL,"
  "  issued_at       INTEGER NOT NULL,"
  "  expires_at      INTEGER NOT NULL,"
  "  state           TEXT NOT NULL"
  "                  CHECK (state IN ('issued', 'redeemed', 'revoked', 'expired')),"
  "  ended_at        INTEGER,"
  "  sealed_password BLOB"
  ") STRICT;"
  "CREATE INDEX otps_by_account ON otps (account_id, issued_at);"
  "CREATE INDEX otps_live_by_expiry ON otps (expires_at) WHERE state = 'issued';"
  "CREATE UNIQUE INDEX otps_one_live_per_account ON otps (account_id) WHERE state = 'issued';"

  "CREATE TABLE requests ("
  "  id                   TEXT PRIMARY KEY,"
  "  otp_id               TEXT NOT NULL UNIQUE REFERENCES otps (id),"
  "  account_id           TEXT NOT NULL REFERENCES accounts (id),"
  "  requested_by         TEXT NOT NULL,"
  "  requested_at         INTEGER NOT NULL,"
  "  expires_at           INTEGER NOT NULL,"
  "  device_make          TEXT NOT NULL,"
  "  device_model         TEXT NOT NULL,"
  "  device_serial_number TEXT NOT NULL,"
  "  source_address       TEXT,"
  "  state                TEXT NOT NULL"
  "                       CHECK (state IN ('pending', 'approved', 'rejected', 'expired',"
  "                              'completed')),"
  "  resolved_by          TEXT,"
  "  resolved_at          INTEGER,"
  "  rejection_reason     TEXT,"
  "  comment              TEXT,"
  "  completed_at         INTEGER,"
  "  poll_token_hash      BLOB NOT NULL,"
  "  sealed_password      BLOB"
  ") STRICT;"
  "CREATE INDEX requests_by_time ON requests (requested_at, id);"
  "CREATE INDEX requests_by_account ON requests (account_id, requested_at);"
  "CREATE INDEX requests_live_by_expiry ON requests (expires_at)"
  "  WHERE state IN ('pending', 'approved');"
  "CREATE UNIQUE INDEX requests_one_pending_per_account ON requests (account_id)"
  "  WHERE state = 'pending';"

  "CREATE TABLE settings ("
  "  id                   INTEGER PRIMARY KEY CHECK (id = 1),"
  "  otp_validity_hours   INTEGER NOT NULL CHECK (otp_validity_hours BETWEEN 1 AND 336),"
  "  auto_approve         INTEGER NOT NULL CHECK (auto_approve IN (0, 1)),"
  "  separation_of_duties INTEGER NOT NULL CHECK (separation_of_duties IN (0, 1))"
  ") STRICT;"
  "INSERT INTO settings (id, otp_validity_hours, auto_approve, separation_of_duties)"
  "  VALUES (1, 8, 0, 0);"

  "CREATE TABLE audit ("
  "  id             INTEGER PRIMARY KEY,"
  "  at             INTEGER NOT NULL,"
  "  actor          TEXT NOT NULL,"
  "  action         TEXT NOT NULL,"
  "  target         TEXT,"
  "  source_address TEXT,"
  "  detail         TEXT"
  ") STRICT;";

/* migrations[i] takes the schema from version i to i + 1. */
static const char * const migrations[] = {
  migration_1,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TESSERA_STORE_SCHEMA_VERSION);

int
_tessera_store_read_user_version (TesseraStore  *self,
                                  GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int version;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      _tessera_store_set_sqlite_error (self, rc, error);
      return -1;
    }
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
has_foreign_tables (TesseraStore  *self,
                    gboolean      *foreign,
                    GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "SELECT COUNT(*) FROM sqlite_schema", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      return _tessera_store_set_sqlite_error (self, rc, error);
    }
  *foreign = sqlite3_column_int (stmt, 0) > 0;
  sqlite3_finalize (stmt);
  return TRUE;
}

gboolean
_tessera_store_check_not_foreign (TesseraStore  *self,
                                  GError       **error)
{
  gboolean foreign = FALSE;

  if (!has_foreign_tables (self, &foreign, error))
    return FALSE;
  if (foreign)
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FAILED,
                   "“%s” is an SQLite database of another program, not Tessera’s",
                   self->db_path);
      return FALSE;
    }
  return TRUE;
}

gboolean
_tessera_store_migrate (TesseraStore  *self,
                        GError       **error)
{
  for (;;)
    {
      g_autofree char *bump = NULL;
      int version;

      /*
       * Read the version inside the write transaction: another process opening the same new
       * database at the same moment may have migrated it while we waited for the lock.
       */
      if (!_tessera_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      version = _tessera_store_read_user_version (self, error);
      if (version < 0)
        goto fail;

      if (version >= TESSERA_STORE_SCHEMA_VERSION)
        break;

      if (version == 0 && !_tessera_store_check_not_foreign (self, error))
        goto fail;

      /* PRAGMA takes no parameters; the value is our own constant, never input. */
      bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!_tessera_store_exec (self, migrations[version], error) ||
          !_tessera_store_exec (self, bump, error) ||
          !_tessera_store_exec (self, "COMMIT", error))
        goto fail;

      g_debug ("Migrated “%s” to schema version %d", self->db_path, version + 1);
    }

  return _tessera_store_exec (self, "COMMIT", error);

fail:
  if (!sqlite3_get_autocommit (self->db))
    (void) sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gboolean
_tessera_store_check_key (TesseraStore  *self,
                          GError       **error)
{
  guint8 check[TESSERA_SERVER_CRYPTO_HASH_BYTES];
  STORE_STMT insert = NULL;
  STORE_STMT select = NULL;
  gboolean matches;
  int rc;

  tessera_server_crypto_key_check (self->crypto, check);

  /* The first open after creation records the key; every later open compares with it. */
  if (!(insert = _tessera_store_prepare (self,
                                         "INSERT OR IGNORE INTO meta (name, value) "
                                         "VALUES ('key_check', ?)",
                                         error)))
    return FALSE;
  _tessera_store_bind_blob (insert, 1, check, sizeof check);
  if (!_tessera_store_exec_stmt (self, insert, error))
    return FALSE;

  if (!(select = _tessera_store_prepare (self,
                                         "SELECT value FROM meta WHERE name = 'key_check'",
                                         error)))
    return FALSE;
  rc = _tessera_store_step (self, select, error);
  if (rc < 0)
    return FALSE;

  matches = rc == SQLITE_ROW &&
            sqlite3_column_bytes (select, 0) == sizeof check &&
            sodium_memcmp (sqlite3_column_blob (select, 0), check, sizeof check) == 0;
  if (!matches)
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_KEY_FILE,
                   "The key file “%s.key” does not belong to the database “%s”: restore "
                   "the key file that was made with this database",
                   self->db_path, self->db_path);
      return FALSE;
    }
  return TRUE;
}

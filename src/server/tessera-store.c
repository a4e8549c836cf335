/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "tessera-store-private.h"

/*
 * The store object: opening, statements, transactions, change signals and the audit trail.
 * The domain operations live in tessera-store-{users,accounts,otp,requests}.c; the schema in
 * tessera-store-schema.c.
 */

/* How long to wait for another process (the CLI, a test) holding the write lock. */
#define BUSY_TIMEOUT_MS 5000

typedef struct {
  char     *id;
  gboolean  created;
} ChangedRequest;

enum {
  ACCOUNT_CHANGED,
  REQUEST_CHANGED,
  SETTINGS_CHANGED,
  GROUP_OPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TesseraStore, tessera_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (tessera-store-error-quark, tessera_store_error)

static void
changed_request_free (gpointer data)
{
  ChangedRequest *changed = data;

  g_free (changed->id);
  g_free (changed);
}

static void
tessera_store_finalize (GObject *object)
{
  TesseraStore *self = (TesseraStore *)object;

  /* Statements must be finalized before the connection can close. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->crypto, tessera_server_crypto_free);
  g_clear_pointer (&self->changed_accounts, g_ptr_array_unref);
  g_clear_pointer (&self->changed_account_set, g_hash_table_unref);
  g_clear_pointer (&self->changed_requests, g_ptr_array_unref);
  g_clear_pointer (&self->group_accounts, g_ptr_array_unref);
  g_clear_pointer (&self->group_account_set, g_hash_table_unref);
  g_clear_pointer (&self->group_requests, g_ptr_array_unref);
  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (tessera_store_parent_class)->finalize (object);
}

static void
tessera_store_class_init (TesseraStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tessera_store_finalize;

  /**
   * TesseraStore::account-changed:
   * @account: the account as committed, without history
   *
   * Emitted after a transaction that changed the account committed.
   */
  signals[ACCOUNT_CHANGED] =
    g_signal_new ("account-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TESSERA_TYPE_ACCOUNT);

  /**
   * TesseraStore::request-changed:
   * @request: the request as committed
   * @created: %TRUE when the transaction created it (a redemption)
   */
  signals[REQUEST_CHANGED] =
    g_signal_new ("request-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TESSERA_TYPE_REQUEST, G_TYPE_BOOLEAN);

  /**
   * TesseraStore::settings-changed:
   * @settings: the settings as committed
   */
  signals[SETTINGS_CHANGED] =
    g_signal_new ("settings-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TESSERA_TYPE_SETTINGS);

  /**
   * TesseraStore::group-opened:
   *
   * Emitted when, with group commit on, a change opened a group: its owner must call
   * tessera_store_commit_group() soon.
   */
  signals[GROUP_OPENED] =
    g_signal_new ("group-opened",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
tessera_store_init (TesseraStore *self)
{
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                            NULL, (GDestroyNotify) sqlite3_finalize);
  self->changed_accounts = g_ptr_array_new_with_free_func (g_free);
  self->changed_account_set = g_hash_table_new (g_str_hash, g_str_equal);
  self->changed_requests = g_ptr_array_new_with_free_func (changed_request_free);
  self->group_accounts = g_ptr_array_new_with_free_func (g_free);
  self->group_account_set = g_hash_table_new (g_str_hash, g_str_equal);
  self->group_requests = g_ptr_array_new_with_free_func (changed_request_free);
}

/* Errors and statements */

gboolean
_tessera_store_set_sqlite_error (TesseraStore  *self,
                                 int            rc,
                                 GError       **error)
{
  self->last_error = rc;

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FULL,
                           "The disk is full or the database reached its size limit; "
                           "nothing was written");
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FAILED,
                   "The database “%s” stayed locked by another process for more than %d s",
                   self->db_path, BUSY_TIMEOUT_MS / 1000);
      break;

    case SQLITE_NOTADB:
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FAILED,
                   "“%s” is not a database", self->db_path);
      break;

    default:
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FAILED,
                   "Database error in “%s”: %s", self->db_path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      break;
    }
  return FALSE;
}

sqlite3_stmt *
_tessera_store_prepare (TesseraStore  *self,
                        const char    *sql,
                        GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      /* A typo in our own SQL: say which statement so it is found at once. */
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FAILED,
                   "Could not prepare a statement (%s): %s", sqlite3_errmsg (self->db), sql);
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

int
_tessera_store_step (TesseraStore  *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  _tessera_store_set_sqlite_error (self, rc, error);
  return -1;
}

gboolean
_tessera_store_exec_stmt (TesseraStore  *self,
                          sqlite3_stmt  *stmt,
                          GError       **error)
{
  int rc;

  while ((rc = _tessera_store_step (self, stmt, error)) == SQLITE_ROW)
    ;
  return rc == SQLITE_DONE;
}

gboolean
_tessera_store_exec (TesseraStore  *self,
                     const char    *sql,
                     GError       **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _tessera_store_set_sqlite_error (self, rc, error);
  return TRUE;
}

void
_tessera_store_bind_text (sqlite3_stmt *stmt,
                          int           index,
                          const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

void
_tessera_store_bind_blob (sqlite3_stmt *stmt,
                          int           index,
                          const guint8 *data,
                          gsize         length)
{
  if (data == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_blob (stmt, index, data, length, SQLITE_TRANSIENT);
}

const char *
_tessera_store_column_text (sqlite3_stmt *stmt,
                            int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

GDateTime *
_tessera_store_column_datetime (sqlite3_stmt *stmt,
                                int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return tessera_datetime_new_unix_usec (sqlite3_column_int64 (stmt, column));
}

sqlite3 *
_tessera_store_get_db (TesseraStore *self)
{
  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  return self->db;
}

/* Transactions and change signals */

static void
clear_changes (TesseraStore *self)
{
  g_ptr_array_set_size (self->changed_accounts, 0);
  g_hash_table_remove_all (self->changed_account_set);
  g_ptr_array_set_size (self->changed_requests, 0);
  self->settings_changed = FALSE;
}

static gboolean
open_group (TesseraStore  *self,
            GError       **error)
{
  STORE_STMT stmt = NULL;

  if (!(stmt = _tessera_store_prepare (self, "BEGIN IMMEDIATE", error)) ||
      !_tessera_store_exec_stmt (self, stmt, error))
    return FALSE;

  self->group_open = TRUE;
  self->group_failed = FALSE;
  self->group_failure = SQLITE_OK;
  g_signal_emit (self, signals[GROUP_OPENED], 0);
  return TRUE;
}

gboolean
_tessera_store_begin (TesseraStore  *self,
                      GError       **error)
{
  STORE_STMT stmt = NULL;

  g_assert (!self->in_transaction);

  self->last_error = SQLITE_OK;
  if (self->group_commit && !self->group_open && !open_group (self, error))
    return FALSE;

  if (self->group_open)
    {
      /* Whatever joined the group after SQLite cancelled it would be lost with it. */
      if (self->group_failed)
        return _tessera_store_set_sqlite_error (self, self->group_failure, error);
      if (!(stmt = _tessera_store_prepare (self, "SAVEPOINT unit", error)) ||
          !_tessera_store_exec_stmt (self, stmt, error))
        return FALSE;
    }
  else if (!(stmt = _tessera_store_prepare (self, "BEGIN IMMEDIATE", error)) ||
           !_tessera_store_exec_stmt (self, stmt, error))
    return FALSE;

  self->in_transaction = TRUE;
  self->now = g_get_real_time ();
  self->next_stamp = 0;
  self->n_swept = 0;
  clear_changes (self);

  if (!_tessera_store_sweep_locked (self, &self->n_swept, error))
    {
      _tessera_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Undoes one change of a group, and only it. */
static void
rollback_unit (TesseraStore *self)
{
  STORE_STMT to = NULL;
  STORE_STMT release = NULL;

  /* After SQLITE_FULL and a few other errors SQLite may have cancelled the whole transaction,
   * and with it the changes of the group that came before this one. */
  if (sqlite3_get_autocommit (self->db))
    {
      self->group_failed = TRUE;
      self->group_failure = self->last_error != SQLITE_OK ? self->last_error : SQLITE_ERROR;
      return;
    }

  if (!(to = _tessera_store_prepare (self, "ROLLBACK TO unit", NULL)) ||
      !_tessera_store_exec_stmt (self, to, NULL) ||
      !(release = _tessera_store_prepare (self, "RELEASE unit", NULL)) ||
      !_tessera_store_exec_stmt (self, release, NULL))
    {
      g_warning ("Could not roll back a change: %s", sqlite3_errmsg (self->db));
      self->group_failed = TRUE;
      self->group_failure = SQLITE_ERROR;
    }
}

void
_tessera_store_rollback (TesseraStore *self)
{
  g_assert (self->in_transaction);

  if (self->group_open)
    rollback_unit (self);
  /* After SQLITE_FULL and a few other errors SQLite has already rolled back by itself. */
  else if (!sqlite3_get_autocommit (self->db))
    {
      STORE_STMT stmt = _tessera_store_prepare (self, "ROLLBACK", NULL);

      if (stmt == NULL || !_tessera_store_exec_stmt (self, stmt, NULL))
        g_warning ("Could not roll back a transaction: %s", sqlite3_errmsg (self->db));
    }

  self->in_transaction = FALSE;
  clear_changes (self);
}

static void
emit_changes (TesseraStore *self,
              GPtrArray    *accounts,
              GPtrArray    *requests,
              gboolean      settings)
{
  /* Loading rows nobody listens to would make a 100 000-account import crawl. */
  if (g_signal_has_handler_pending (self, signals[ACCOUNT_CHANGED], 0, FALSE))
    {
      for (guint i = 0; i < accounts->len; i++)
        {
          g_autoptr(TesseraAccount) account = NULL;
          g_autoptr(GError) error = NULL;

          account = _tessera_store_load_account (self, g_ptr_array_index (accounts, i), &error);
          if (account != NULL)
            g_signal_emit (self, signals[ACCOUNT_CHANGED], 0, account);
          else
            g_warning ("Could not load a changed account: %s", error->message);
        }
    }

  if (g_signal_has_handler_pending (self, signals[REQUEST_CHANGED], 0, FALSE))
    {
      for (guint i = 0; i < requests->len; i++)
        {
          ChangedRequest *changed = g_ptr_array_index (requests, i);
          g_autoptr(TesseraRequest) request = NULL;
          g_autoptr(GError) error = NULL;

          request = _tessera_store_load_request (self, changed->id, &error);
          if (request != NULL)
            g_signal_emit (self, signals[REQUEST_CHANGED], 0, request, changed->created);
          else
            g_warning ("Could not load a changed request: %s", error->message);
        }
    }

  if (settings && g_signal_has_handler_pending (self, signals[SETTINGS_CHANGED], 0, FALSE))
    {
      g_autoptr(TesseraSettings) loaded = NULL;
      g_autoptr(GError) error = NULL;

      loaded = _tessera_store_load_settings (self, &error);
      if (loaded != NULL)
        g_signal_emit (self, signals[SETTINGS_CHANGED], 0, loaded);
      else
        g_warning ("Could not load the changed settings: %s", error->message);
    }
}

/* The changes of one released savepoint join those the group will announce. */
static void
merge_changes_into_group (TesseraStore *self)
{
  for (guint i = 0; i < self->changed_accounts->len; i++)
    {
      const char *account_id = g_ptr_array_index (self->changed_accounts, i);
      char *id;

      if (g_hash_table_contains (self->group_account_set, account_id))
        continue;
      id = g_strdup (account_id);
      g_ptr_array_add (self->group_accounts, id);
      g_hash_table_add (self->group_account_set, id);
    }

  for (guint i = 0; i < self->changed_requests->len; i++)
    {
      ChangedRequest *changed = g_ptr_array_index (self->changed_requests, i);
      ChangedRequest *known = NULL;

      for (guint j = 0; j < self->group_requests->len && known == NULL; j++)
        {
          ChangedRequest *candidate = g_ptr_array_index (self->group_requests, j);

          if (g_str_equal (candidate->id, changed->id))
            known = candidate;
        }
      if (known != NULL)
        {
          known->created |= changed->created;
          continue;
        }
      known = g_new0 (ChangedRequest, 1);
      known->id = g_strdup (changed->id);
      known->created = changed->created;
      g_ptr_array_add (self->group_requests, known);
    }

  self->group_settings |= self->settings_changed;
}

static gboolean
release_unit (TesseraStore  *self,
              GError       **error)
{
  STORE_STMT stmt = NULL;

  if (!(stmt = _tessera_store_prepare (self, "RELEASE unit", error)) ||
      !_tessera_store_exec_stmt (self, stmt, error))
    {
      _tessera_store_rollback (self);
      return FALSE;
    }

  self->in_transaction = FALSE;
  merge_changes_into_group (self);
  clear_changes (self);
  return TRUE;
}

gboolean
_tessera_store_commit (TesseraStore  *self,
                       GError       **error)
{
  STORE_STMT stmt = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  gboolean settings;

  g_assert (self->in_transaction);

  /* In a group the change is released into it; the group's COMMIT makes it durable. */
  if (self->group_open)
    return release_unit (self, error);

  if (!(stmt = _tessera_store_prepare (self, "COMMIT", error)) ||
      !_tessera_store_exec_stmt (self, stmt, error))
    {
      _tessera_store_rollback (self);
      return FALSE;
    }
  self->in_transaction = FALSE;

  /* A handler may call back into the store and open a transaction of its own. */
  accounts = g_steal_pointer (&self->changed_accounts);
  requests = g_steal_pointer (&self->changed_requests);
  settings = self->settings_changed;
  self->changed_accounts = g_ptr_array_new_with_free_func (g_free);
  self->changed_requests = g_ptr_array_new_with_free_func (changed_request_free);
  clear_changes (self);

  emit_changes (self, accounts, requests, settings);
  return TRUE;
}

void
tessera_store_set_group_commit (TesseraStore *self,
                                gboolean      enabled)
{
  g_return_if_fail (TESSERA_IS_STORE (self));
  g_return_if_fail (enabled || !self->group_open);

  self->group_commit = !!enabled;
}

gboolean
tessera_store_has_open_group (TesseraStore *self)
{
  g_return_val_if_fail (TESSERA_IS_STORE (self), FALSE);

  return self->group_open;
}

static void
abandon_group (TesseraStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    {
      STORE_STMT stmt = _tessera_store_prepare (self, "ROLLBACK", NULL);

      if (stmt == NULL || !_tessera_store_exec_stmt (self, stmt, NULL))
        g_warning ("Could not roll back a group of changes: %s", sqlite3_errmsg (self->db));
    }

  g_ptr_array_set_size (self->group_accounts, 0);
  g_hash_table_remove_all (self->group_account_set);
  g_ptr_array_set_size (self->group_requests, 0);
  self->group_settings = FALSE;
}

gboolean
tessera_store_commit_group (TesseraStore  *self,
                            GError       **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  STORE_STMT stmt = NULL;
  gboolean settings;

  g_return_val_if_fail (TESSERA_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!self->group_open)
    return TRUE;
  self->group_open = FALSE;

  if (self->group_failed || sqlite3_get_autocommit (self->db))
    {
      /* A full disk stays FULL for everyone in the group: nothing of it was written. */
      abandon_group (self);
      return _tessera_store_set_sqlite_error (self,
                                              self->group_failed ? self->group_failure
                                                                 : SQLITE_ERROR,
                                              error);
    }

  if (!(stmt = _tessera_store_prepare (self, "COMMIT", error)) ||
      !_tessera_store_exec_stmt (self, stmt, error))
    {
      abandon_group (self);
      return FALSE;
    }

  /* A handler may call back into the store, and even open the next group. */
  accounts = g_steal_pointer (&self->group_accounts);
  requests = g_steal_pointer (&self->group_requests);
  settings = self->group_settings;
  self->group_accounts = g_ptr_array_new_with_free_func (g_free);
  self->group_requests = g_ptr_array_new_with_free_func (changed_request_free);
  g_hash_table_remove_all (self->group_account_set);
  self->group_settings = FALSE;

  emit_changes (self, accounts, requests, settings);
  return TRUE;
}

gboolean
_tessera_store_apply_expiry (TesseraStore  *self,
                             GError       **error)
{
  gboolean due = FALSE;

  self->now = g_get_real_time ();
  if (!_tessera_store_anything_due (self, &due, error))
    return FALSE;
  if (!due)
    return TRUE;

  /* begin sweeps */
  return _tessera_store_begin (self, error) && _tessera_store_commit (self, error);
}

gboolean
_tessera_store_next_stamp (TesseraStore  *self,
                           gint64        *stamp,
                           GError       **error)
{
  g_assert (self->in_transaction);

  if (self->next_stamp == 0)
    {
      STORE_STMT stmt = NULL;
      gint64 newest = 0;
      int rc;

      if (!(stmt = _tessera_store_prepare (self, "SELECT MAX(updated_at) FROM accounts", error)))
        return FALSE;
      if ((rc = _tessera_store_step (self, stmt, error)) < 0)
        return FALSE;
      if (rc == SQLITE_ROW)
        newest = sqlite3_column_int64 (stmt, 0);

      /*
       * Strictly increasing even when the clock steps back or two changes fall in one
       * microsecond, so a client asking for updated_since its newest value never misses one.
       */
      self->next_stamp = MAX (self->now, newest + 1);
    }

  *stamp = self->next_stamp++;
  return TRUE;
}

void
_tessera_store_note_account (TesseraStore *self,
                             const char   *account_id)
{
  char *id;

  g_assert (self->in_transaction);

  if (g_hash_table_contains (self->changed_account_set, account_id))
    return;
  id = g_strdup (account_id);
  g_ptr_array_add (self->changed_accounts, id);
  g_hash_table_add (self->changed_account_set, id);
}

void
_tessera_store_note_request (TesseraStore *self,
                             const char   *request_id,
                             gboolean      created)
{
  ChangedRequest *changed;

  g_assert (self->in_transaction);

  for (guint i = 0; i < self->changed_requests->len; i++)
    {
      changed = g_ptr_array_index (self->changed_requests, i);
      if (g_str_equal (changed->id, request_id))
        {
          changed->created |= created;
          return;
        }
    }

  changed = g_new0 (ChangedRequest, 1);
  changed->id = g_strdup (request_id);
  changed->created = created;
  g_ptr_array_add (self->changed_requests, changed);
}

gboolean
_tessera_store_set_provisioning_locked (TesseraStore              *self,
                                        const char                *account_id,
                                        TesseraProvisioningState   state,
                                        const char                *otp_id,
                                        const char                *issued_by,
                                        gint64                     otp_expires_at,
                                        const char                *request_id,
                                        GError                   **error)
{
  STORE_STMT stmt = NULL;
  gint64 stamp;

  if (!_tessera_store_next_stamp (self, &stamp, error) ||
      !(stmt = _tessera_store_prepare (self,
                                       "UPDATE accounts SET provisioning = ?, otp_id = ?, "
                                       "issued_by = ?, otp_expires_at = ?, request_id = ?, "
                                       "updated_at = ? WHERE id = ?",
                                       error)))
    return FALSE;

  _tessera_store_bind_text (stmt, 1,
                            tessera_enum_to_string (TESSERA_TYPE_PROVISIONING_STATE, state));
  _tessera_store_bind_text (stmt, 2, otp_id);
  _tessera_store_bind_text (stmt, 3, issued_by);
  if (otp_expires_at > 0)
    sqlite3_bind_int64 (stmt, 4, otp_expires_at);
  else
    sqlite3_bind_null (stmt, 4);
  _tessera_store_bind_text (stmt, 5, request_id);
  sqlite3_bind_int64 (stmt, 6, stamp);
  _tessera_store_bind_text (stmt, 7, account_id);

  if (!_tessera_store_exec_stmt (self, stmt, error))
    return FALSE;

  _tessera_store_note_account (self, account_id);
  return TRUE;
}

/* Opening */

/*
 * SQLite creates the database (and later its -wal and -shm files, which copy the database's
 * mode) with the umask's permissions, typically 0644. The database holds password hashes and
 * the audit trail, so create it private before SQLite sees it.
 */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FAILED,
                   "Could not open the database “%s”: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
configure_connection (TesseraStore  *self,
                      GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal;
  int rc;

  /* WAL + synchronous=FULL: a commit that returned survives SIGKILL and power loss (§6). */
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      return _tessera_store_set_sqlite_error (self, rc, error);
    }
  wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  if (!wal)
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FAILED,
                   "The database “%s” cannot use write-ahead logging (is it on a network "
                   "file system?)", self->db_path);
      return FALSE;
    }

  /*
   * secure_delete overwrites freed content, so a wiped (already encrypted) password does not
   * linger in free pages either.
   */
  return _tessera_store_exec (self,
                              "PRAGMA synchronous = FULL;"
                              "PRAGMA foreign_keys = ON;"
                              "PRAGMA secure_delete = ON;",
                              error);
}

static void
set_key_file_error (GError    **error,
                    GError     *crypto_error)
{
  g_set_error_literal (error, TESSERA_STORE_ERROR,
                       crypto_error->code == TESSERA_SERVER_CRYPTO_ERROR_KEY_FILE
                         ? TESSERA_STORE_ERROR_KEY_FILE : TESSERA_STORE_ERROR_FAILED,
                       crypto_error->message);
}

TesseraStore *
tessera_store_open (const char  *db_path,
                    GError     **error)
{
  g_autoptr(TesseraStore) self = NULL;
  g_autoptr(GError) crypto_error = NULL;
  g_autofree char *key_path = NULL;
  int version;
  int rc;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (TESSERA_TYPE_STORE, NULL);
  self->db_path = g_strdup (db_path);

  if (!create_private_file (db_path, error))
    return NULL;

  rc = sqlite3_open_v2 (db_path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FAILED,
                   "Could not open the database “%s”: %s", db_path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  version = _tessera_store_read_user_version (self, error);
  if (version < 0)
    return NULL;
  if (version > TESSERA_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_SCHEMA_TOO_NEW,
                   "The database “%s” has schema version %d, but this tessera-server only "
                   "knows versions up to %d: use a newer tessera-server",
                   db_path, version, TESSERA_STORE_SCHEMA_VERSION);
      return NULL;
    }

  /* Checked before anything is changed, so another program's database is left as it was. */
  if (version == 0 && !_tessera_store_check_not_foreign (self, error))
    return NULL;

  if (!configure_connection (self, error))
    return NULL;

  /* A missing key is only created for a new database: it could not read an old one. */
  key_path = g_strconcat (db_path, ".key", NULL);
  self->crypto = tessera_server_crypto_new_from_key_file (key_path, version == 0, &crypto_error);
  if (self->crypto == NULL)
    {
      set_key_file_error (error, crypto_error);
      return NULL;
    }

  if (!_tessera_store_migrate (self, error) ||
      !_tessera_store_check_key (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

guint
tessera_store_set_max_pages (TesseraStore *self,
                             guint         max_pages)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  guint effective = 0;

  g_return_val_if_fail (TESSERA_IS_STORE (self), 0);

  if (max_pages == 0)
    return 0;

  sql = g_strdup_printf ("PRAGMA max_page_count = %u", max_pages);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    effective = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return effective;
}

/* Audit trail */

gboolean
_tessera_store_audit_locked (TesseraStore  *self,
                             const char    *actor,
                             const char    *action,
                             const char    *target,
                             const char    *source_address,
                             const char    *detail,
                             GError       **error)
{
  STORE_STMT stmt = NULL;

  g_assert (self->in_transaction);

  if (!(stmt = _tessera_store_prepare (self,
                                       "INSERT INTO audit (at, actor, action, target, "
                                       "source_address, detail) VALUES (?, ?, ?, ?, ?, ?)",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, self->now);
  _tessera_store_bind_text (stmt, 2, actor);
  _tessera_store_bind_text (stmt, 3, action);
  _tessera_store_bind_text (stmt, 4, target);
  _tessera_store_bind_text (stmt, 5, source_address);
  _tessera_store_bind_text (stmt, 6, detail);
  return _tessera_store_exec_stmt (self, stmt, error);
}

gboolean
tessera_store_audit (TesseraStore  *self,
                     const char    *actor,
                     const char    *action,
                     const char    *target,
                     const char    *source_address,
                     const char    *detail,
                     GError       **error)
{
  g_return_val_if_fail (TESSERA_IS_STORE (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (!_tessera_store_begin (self, error))
    return FALSE;
  if (!_tessera_store_audit_locked (self, actor, action, target, source_address, detail, error))
    {
      _tessera_store_rollback (self);
      return FALSE;
    }
  return _tessera_store_commit (self, error);
}

static TesseraAuditEntry *
audit_entry_from_row (sqlite3_stmt *stmt)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                         (gint64) sqlite3_column_int64 (stmt, 0));
  g_autoptr(GDateTime) at = _tessera_store_column_datetime (stmt, 1);

  return tessera_audit_entry_new (id, at,
                                  _tessera_store_column_text (stmt, 2),
                                  _tessera_store_column_text (stmt, 3),
                                  _tessera_store_column_text (stmt, 4),
                                  _tessera_store_column_text (stmt, 5),
                                  _tessera_store_column_text (stmt, 6));
}

GPtrArray *
tessera_store_list_audit (TesseraStore  *self,
                          const char    *cursor,
                          guint          limit,
                          char         **next_cursor,
                          guint         *total,
                          GError       **error)
{
  static const guint32 query_hash = 0xa0d17;
  g_autoptr(GPtrArray) entries = NULL;
  TesseraStoreCursor position = { 0, };
  STORE_STMT stmt = NULL;
  gboolean more = FALSE;
  gint64 last_id = 0;
  guint n_total;
  int rc;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (next_cursor != NULL && total != NULL, NULL);

  limit = CLAMP (limit, 1, TESSERA_STORE_MAX_PAGE);
  *next_cursor = NULL;

  if (cursor != NULL)
    {
      if (!_tessera_store_cursor_decode (cursor, query_hash, &position, error))
        return NULL;
      n_total = position.total;
      stmt = _tessera_store_prepare (self,
                                     "SELECT id, at, actor, action, target, source_address, "
                                     "detail FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?",
                                     error);
      if (stmt == NULL)
        {
          _tessera_store_cursor_clear (&position);
          return NULL;
        }
      sqlite3_bind_int64 (stmt, 1, position.int_key);
      sqlite3_bind_int (stmt, 2, limit + 1);
      _tessera_store_cursor_clear (&position);
    }
  else
    {
      STORE_STMT count = NULL;

      if (!(count = _tessera_store_prepare (self, "SELECT COUNT(*) FROM audit", error)) ||
          _tessera_store_step (self, count, error) != SQLITE_ROW)
        return NULL;
      n_total = sqlite3_column_int (count, 0);

      stmt = _tessera_store_prepare (self,
                                     "SELECT id, at, actor, action, target, source_address, "
                                     "detail FROM audit ORDER BY id DESC LIMIT ?",
                                     error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int (stmt, 1, limit + 1);
    }

  /* One row more than asked for tells whether another page follows. */
  entries = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = _tessera_store_step (self, stmt, error)) == SQLITE_ROW)
    {
      if (entries->len == limit)
        {
          more = TRUE;
          break;
        }
      last_id = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (entries, audit_entry_from_row (stmt));
    }
  if (rc < 0)
    return NULL;

  if (more)
    {
      TesseraStoreCursor next = { .total = n_total, .int_key = last_id };

      *next_cursor = _tessera_store_cursor_encode (&next, query_hash);
    }

  *total = n_total;
  return g_steal_pointer (&entries);
}

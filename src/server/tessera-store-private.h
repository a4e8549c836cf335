/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "tessera-server-crypto.h"
#include "tessera-store.h"

G_BEGIN_DECLS

/*
 * Internal API shared by the tessera-store-*.c files. Everything named *_locked runs inside a
 * transaction opened with _tessera_store_begin() and reports failure through @error; the caller
 * then rolls back.
 */

/* Who the audit trail names when no person acted. */
#define TESSERA_STORE_ACTOR_SYSTEM        "system"
#define TESSERA_STORE_ACTOR_CONSOLE       "console"
#define TESSERA_STORE_ACTOR_AUTO_APPROVAL "auto-approval"

/*
 * How long a session token stays valid after sign-in. Twelve hours covers a working day
 * without asking the admin to sign in again, and is short enough that a token left in a
 * forgotten keyring is soon worthless. Not sliding: a stolen token cannot be kept alive.
 */
#define TESSERA_STORE_SESSION_TTL_USEC (G_GINT64_CONSTANT (12) * G_TIME_SPAN_HOUR)

/* Upper bound of one batch (DESIGN §4) and of one page of any list. */
#define TESSERA_STORE_MAX_BATCH_ACCOUNTS 1000
#define TESSERA_STORE_MAX_PAGE           1000

/* Newest OTPs and requests shown in an account's history. */
#define TESSERA_STORE_HISTORY_LIMIT 100

#define TESSERA_STORE_SCHEMA_VERSION 1

struct _TesseraStore
{
  GObject              parent_instance;

  /* Owned */
  sqlite3             *db;
  char                *db_path;
  TesseraServerCrypto *crypto;
  GHashTable          *statements;        /* const char *sql (static) → sqlite3_stmt */

  /* The open transaction, if any */
  gboolean             in_transaction;
  gint64               now;               /* µs since the epoch, fixed per transaction */
  gint64               next_stamp;        /* next accounts.updated_at, 0 = not computed yet */
  guint                n_swept;           /* OTPs and requests expired by begin */
  GPtrArray           *changed_accounts;  /* char *account_id, in order of change */
  GHashTable          *changed_account_set;
  GPtrArray           *changed_requests;  /* ChangedRequest */
  gboolean             settings_changed;

  /* Group commit (tessera_store_set_group_commit): the changes above join these when their
   * savepoint is released, and are announced when the group commits. */
  gboolean             group_commit;
  gboolean             group_open;        /* BEGIN IMMEDIATE done, COMMIT pending */
  gboolean             group_failed;      /* SQLite cancelled the whole transaction */
  int                  group_failure;     /* the SQLite result code that made it fail */
  int                  last_error;        /* of the last failed SQLite call, for the above */
  GPtrArray           *group_accounts;    /* char *account_id */
  GHashTable          *group_account_set;
  GPtrArray           *group_requests;    /* ChangedRequest */
  gboolean             group_settings;
};

/* Statements: prepared once per store, reset and unbound on scope exit. */
static inline void
_tessera_store_stmt_release (sqlite3_stmt **stmt)
{
  if (*stmt != NULL)
    {
      sqlite3_reset (*stmt);
      sqlite3_clear_bindings (*stmt);
    }
}
#define STORE_STMT __attribute__ ((cleanup (_tessera_store_stmt_release))) sqlite3_stmt *

/* @sql must have static storage: its address is the cache key. */
sqlite3_stmt    *_tessera_store_prepare             (TesseraStore   *self,
                                                     const char     *sql,
                                                     GError        **error);
/* Returns SQLITE_ROW or SQLITE_DONE, or -1 with @error set. */
int              _tessera_store_step                (TesseraStore   *self,
                                                     sqlite3_stmt   *stmt,
                                                     GError        **error);
/* Steps a statement that returns no rows. */
gboolean         _tessera_store_exec_stmt           (TesseraStore   *self,
                                                     sqlite3_stmt   *stmt,
                                                     GError        **error);
/* For fixed SQL without parameters (pragmas, BEGIN, migrations). */
gboolean         _tessera_store_exec                (TesseraStore   *self,
                                                     const char     *sql,
                                                     GError        **error);
gboolean         _tessera_store_set_sqlite_error    (TesseraStore   *self,
                                                     int             rc,
                                                     GError        **error);

/* Binding helpers: NULL strings bind as SQL NULL. */
void             _tessera_store_bind_text           (sqlite3_stmt   *stmt,
                                                     int             index,
                                                     const char     *text);
void             _tessera_store_bind_blob           (sqlite3_stmt   *stmt,
                                                     int             index,
                                                     const guint8   *data,
                                                     gsize           length);
/* Column helpers: transfer none, valid until the next step; NULL for SQL NULL. */
const char      *_tessera_store_column_text         (sqlite3_stmt   *stmt,
                                                     int             column);
GDateTime       *_tessera_store_column_datetime     (sqlite3_stmt   *stmt,
                                                     int             column);

/*
 * Transactions. begin opens BEGIN IMMEDIATE (one writer at a time, across processes), fixes
 * self->now and applies any due expiry first, so every write path sees an up-to-date state.
 * commit emits the collected signals after COMMIT; on failure it rolls back.
 */
gboolean         _tessera_store_begin               (TesseraStore   *self,
                                                     GError        **error);
gboolean         _tessera_store_commit              (TesseraStore   *self,
                                                     GError        **error);
void             _tessera_store_rollback            (TesseraStore   *self);
/* For read paths: applies due expiry (in a transaction of its own) when anything is due. */
gboolean         _tessera_store_apply_expiry        (TesseraStore   *self,
                                                     GError        **error);

/* Within a transaction: the next strictly increasing accounts.updated_at. */
gboolean         _tessera_store_next_stamp          (TesseraStore   *self,
                                                     gint64         *stamp,
                                                     GError        **error);
void             _tessera_store_note_account        (TesseraStore   *self,
                                                     const char     *account_id);
void             _tessera_store_note_request        (TesseraStore   *self,
                                                     const char     *request_id,
                                                     gboolean        created);
gboolean         _tessera_store_audit_locked        (TesseraStore   *self,
                                                     const char     *actor,
                                                     const char     *action,
                                                     const char     *target,
                                                     const char     *source_address,
                                                     const char     *detail,
                                                     GError        **error);
/* Sets the provisioning columns of one account and stamps it changed. */
gboolean         _tessera_store_set_provisioning_locked (TesseraStore             *self,
                                                         const char               *account_id,
                                                         TesseraProvisioningState  state,
                                                         const char               *otp_id,
                                                         const char               *issued_by,
                                                         gint64                    otp_expires_at,
                                                         const char               *request_id,
                                                         GError                  **error);

/* tessera-store-schema.c */
gboolean         _tessera_store_migrate             (TesseraStore   *self,
                                                     GError        **error);
int              _tessera_store_read_user_version   (TesseraStore   *self,
                                                     GError        **error);
gboolean         _tessera_store_check_key           (TesseraStore   *self,
                                                     GError        **error);
/* Refuses a database that has tables but no Tessera schema version (another program's). */
gboolean         _tessera_store_check_not_foreign   (TesseraStore   *self,
                                                     GError        **error);

/* tessera-store-expiry.c */
gboolean         _tessera_store_sweep_locked        (TesseraStore   *self,
                                                     guint          *n_expired,
                                                     GError        **error);
gboolean         _tessera_store_anything_due        (TesseraStore   *self,
                                                     gboolean       *due,
                                                     GError        **error);

/* tessera-store-accounts.c */
TesseraAccount  *_tessera_store_load_account        (TesseraStore   *self,
                                                     const char     *account_id,
                                                     GError        **error);
gboolean         _tessera_store_import_locked       (TesseraStore   *self,
                                                     GPtrArray      *accounts,
                                                     guint          *n_added,
                                                     guint          *n_updated,
                                                     GError        **error);
/* casefolded, NFC-normalised; for search keys and UPN comparison */
char            *_tessera_store_fold                (const char     *text);

/* tessera-store-requests.c */
TesseraRequest  *_tessera_store_load_request        (TesseraStore   *self,
                                                     const char     *request_id,
                                                     GError        **error);
GPtrArray       *_tessera_store_load_account_requests (TesseraStore *self,
                                                       const char   *account_id,
                                                       GError      **error);

/* tessera-store-otp.c */
GPtrArray       *_tessera_store_load_account_otps   (TesseraStore   *self,
                                                     const char     *account_id,
                                                     GError        **error);

/* tessera-store-settings.c */
TesseraSettings *_tessera_store_load_settings       (TesseraStore   *self,
                                                     GError        **error);

/*
 * Opaque list cursors (tessera-store-cursor.c): the key of the last row of a page, the total
 * counted on the first page and a hash of the query, as unpadded base64url of a GVariant.
 */
typedef struct {
  guint   total;
  gint64  int_key;
  char   *text_key1;
  char   *text_key2;
} TesseraStoreCursor;

char            *_tessera_store_cursor_encode       (const TesseraStoreCursor *cursor,
                                                     guint32                   query_hash);
gboolean         _tessera_store_cursor_decode       (const char               *text,
                                                     guint32                   query_hash,
                                                     TesseraStoreCursor       *cursor,
                                                     GError                  **error);
void             _tessera_store_cursor_clear        (TesseraStoreCursor       *cursor);

/* For tests only: the store's own connection (e.g. to set PRAGMA max_page_count). */
sqlite3         *_tessera_store_get_db              (TesseraStore   *self);

G_END_DECLS

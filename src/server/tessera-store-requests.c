/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-store"

#include "config.h"

#include "tessera-store-private.h"

/* Requests (redemptions under review), their resolution, and expiry of OTPs and requests. */

#define DEFAULT_PAGE 200

#define REQUEST_COLUMNS \
  "r.id, r.account_id, a.display_name, a.upn, a.site, r.requested_by, r.requested_at, " \
  "r.expires_at, r.device_make, r.device_model, r.device_serial_number, r.source_address, " \
  "r.state, r.resolved_by, r.resolved_at, r.rejection_reason, r.comment"
#define REQUEST_FROM "FROM requests AS r JOIN accounts AS a ON a.id = r.account_id "

static TesseraRequest *
request_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(GDateTime) requested_at = _tessera_store_column_datetime (stmt, 6);
  g_autoptr(GDateTime) expires_at = _tessera_store_column_datetime (stmt, 7);
  g_autoptr(GDateTime) resolved_at = _tessera_store_column_datetime (stmt, 14);
  TesseraRequest *request = tessera_request_new (_tessera_store_column_text (stmt, 0));
  int state = TESSERA_REQUEST_EXPIRED;
  int reason = TESSERA_REJECTION_NONE;

  tessera_request_set_account_id (request, _tessera_store_column_text (stmt, 1));
  tessera_request_set_account_display_name (request, _tessera_store_column_text (stmt, 2));
  tessera_request_set_account_upn (request, _tessera_store_column_text (stmt, 3));
  tessera_request_set_account_site (request, _tessera_store_column_text (stmt, 4));
  tessera_request_set_requested_by (request, _tessera_store_column_text (stmt, 5));
  tessera_request_set_requested_at (request, requested_at);
  tessera_request_set_expires_at (request, expires_at);
  tessera_request_set_device_make (request, _tessera_store_column_text (stmt, 8));
  tessera_request_set_device_model (request, _tessera_store_column_text (stmt, 9));
  tessera_request_set_device_serial_number (request, _tessera_store_column_text (stmt, 10));
  tessera_request_set_source_address (request, _tessera_store_column_text (stmt, 11));
  tessera_enum_from_string (TESSERA_TYPE_REQUEST_STATE, _tessera_store_column_text (stmt, 12),
                            &state);
  tessera_request_set_state (request, state);
  tessera_request_set_resolved_by (request, _tessera_store_column_text (stmt, 13));
  tessera_request_set_resolved_at (request, resolved_at);
  if (sqlite3_column_type (stmt, 15) != SQLITE_NULL)
    tessera_enum_from_string (TESSERA_TYPE_REJECTION_REASON,
                              _tessera_store_column_text (stmt, 15), &reason);
  tessera_request_set_rejection_reason (request, reason);
  tessera_request_set_comment (request, _tessera_store_column_text (stmt, 16));
  return request;
}

TesseraRequest *
_tessera_store_load_request (TesseraStore  *self,
                             const char    *request_id,
                             GError       **error)
{
  STORE_STMT stmt = NULL;
  int rc;

  if (!(stmt = _tessera_store_prepare (self,
                                       "SELECT " REQUEST_COLUMNS " " REQUEST_FROM
                                       "WHERE r.id = ?",
                                       error)))
    return NULL;
  _tessera_store_bind_text (stmt, 1, request_id);
  if ((rc = _tessera_store_step (self, stmt, error)) < 0)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_FOUND,
                   "There is no request “%s”", request_id);
      return NULL;
    }
  return request_from_row (stmt);
}

GPtrArray *
_tessera_store_load_account_requests (TesseraStore  *self,
                                      const char    *account_id,
                                      GError       **error)
{
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  STORE_STMT stmt = NULL;
  int rc;

  if (!(stmt = _tessera_store_prepare (self,
                                       "SELECT " REQUEST_COLUMNS " " REQUEST_FROM
                                       "WHERE r.account_id = ? "
                                       "ORDER BY r.requested_at DESC, r.id DESC LIMIT ?",
                                       error)))
    return NULL;
  _tessera_store_bind_text (stmt, 1, account_id);
  sqlite3_bind_int (stmt, 2, TESSERA_STORE_HISTORY_LIMIT);
  while ((rc = _tessera_store_step (self, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (requests, request_from_row (stmt));
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&requests);
}

TesseraRequest *
tessera_store_get_request (TesseraStore  *self,
                           const char    *request_id,
                           GError       **error)
{
  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  if (!_tessera_store_apply_expiry (self, error))
    return NULL;
  return _tessera_store_load_request (self, request_id, error);
}

static char *
state_mask_to_list (guint state_mask)
{
  g_autoptr(GEnumClass) klass = NULL;
  GString *list;

  if (state_mask == 0)
    return NULL;

  klass = g_type_class_ref (TESSERA_TYPE_REQUEST_STATE);
  list = g_string_new (",");
  for (guint i = 0; i < klass->n_values; i++)
    {
      int value = klass->values[i].value;

      if (value >= 0 && value < 32 && (state_mask & (1u << value)) != 0)
        g_string_append_printf (list, "%s,", klass->values[i].value_nick);
    }
  return g_string_free (list, FALSE);
}

/* Newest first. @total as for accounts: counted on the first page, carried in the cursor. */
GPtrArray *
tessera_store_list_requests (TesseraStore  *self,
                             guint          state_mask,
                             const char    *cursor,
                             guint          limit,
                             char         **next_cursor,
                             guint         *total,
                             GError       **error)
{
  static const char sql_first[] =
    "SELECT " REQUEST_COLUMNS " " REQUEST_FROM
    "WHERE (?3 IS NULL OR instr(?3, ',' || r.state || ',') > 0) "
    "ORDER BY r.requested_at DESC, r.id DESC LIMIT ?4";
  static const char sql_next[] =
    "SELECT " REQUEST_COLUMNS " " REQUEST_FROM
    "WHERE (r.requested_at, r.id) < (?1, ?2) "
    "AND (?3 IS NULL OR instr(?3, ',' || r.state || ',') > 0) "
    "ORDER BY r.requested_at DESC, r.id DESC LIMIT ?4";
  static const char sql_count[] =
    "SELECT COUNT(*) FROM requests AS r "
    "WHERE (?3 IS NULL OR instr(?3, ',' || r.state || ',') > 0)";
  g_autofree char *states = state_mask_to_list (state_mask);
  g_autofree char *hash_text = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  TesseraStoreCursor position = { 0, };
  STORE_STMT stmt = NULL;
  gboolean more = FALSE;
  gint64 last_requested_at = 0;
  guint32 hash;
  guint n_total = 0;
  int rc;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (next_cursor != NULL, NULL);
  g_return_val_if_fail (total != NULL, NULL);

  *next_cursor = NULL;
  limit = limit == 0 ? DEFAULT_PAGE : MIN (limit, TESSERA_STORE_MAX_PAGE);

  hash_text = g_strdup_printf ("requests\x1f%s", states ? states : "");
  hash = g_str_hash (hash_text);
  if (cursor != NULL && !_tessera_store_cursor_decode (cursor, hash, &position, error))
    return NULL;

  if (!_tessera_store_apply_expiry (self, error))
    goto out;

  if (cursor != NULL)
    {
      n_total = position.total;
      if (!(stmt = _tessera_store_prepare (self, sql_next, error)))
        goto out;
      sqlite3_bind_int64 (stmt, 1, position.int_key);
      _tessera_store_bind_text (stmt, 2, position.text_key1);
    }
  else
    {
      STORE_STMT count = NULL;

      if (!(count = _tessera_store_prepare (self, sql_count, error)))
        goto out;
      _tessera_store_bind_text (count, 3, states);
      if (_tessera_store_step (self, count, error) != SQLITE_ROW)
        goto out;
      n_total = sqlite3_column_int (count, 0);

      if (!(stmt = _tessera_store_prepare (self, sql_first, error)))
        goto out;
    }
  _tessera_store_bind_text (stmt, 3, states);
  sqlite3_bind_int (stmt, 4, limit + 1);

  requests = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = _tessera_store_step (self, stmt, error)) == SQLITE_ROW)
    {
      if (requests->len == limit)
        {
          more = TRUE;
          break;
        }
      last_requested_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (requests, request_from_row (stmt));
    }
  if (rc < 0)
    {
      g_clear_pointer (&requests, g_ptr_array_unref);
      goto out;
    }

  if (more)
    {
      TesseraRequest *last = g_ptr_array_index (requests, requests->len - 1);
      TesseraStoreCursor next = {
        .total = n_total,
        .int_key = last_requested_at,
        .text_key1 = (char *) tessera_request_get_id (last),
      };

      *next_cursor = _tessera_store_cursor_encode (&next, hash);
    }
  *total = n_total;

out:
  _tessera_store_cursor_clear (&position);
  return g_steal_pointer (&requests);
}

/*
 * Moves an account to @state only while it still shows @request_id (or @otp_id): a newer OTP
 * issued since must not be overwritten by the fate of an older one.
 */
static gboolean
set_state_if_current_locked (TesseraStore              *self,
                             const char                *account_id,
                             TesseraProvisioningState   state,
                             const char                *otp_id,
                             const char                *request_id,
                             GError                   **error)
{
  STORE_STMT stmt = NULL;
  gint64 stamp;

  if (!_tessera_store_next_stamp (self, &stamp, error) ||
      !(stmt = _tessera_store_prepare (self,
                                       "UPDATE accounts SET provisioning = ?1, updated_at = ?2 "
                                       "WHERE id = ?3 AND (?4 IS NULL OR otp_id IS ?4) "
                                       "AND (?5 IS NULL OR request_id IS ?5)",
                                       error)))
    return FALSE;
  _tessera_store_bind_text (stmt, 1,
                            tessera_enum_to_string (TESSERA_TYPE_PROVISIONING_STATE, state));
  sqlite3_bind_int64 (stmt, 2, stamp);
  _tessera_store_bind_text (stmt, 3, account_id);
  _tessera_store_bind_text (stmt, 4, otp_id);
  _tessera_store_bind_text (stmt, 5, request_id);
  if (!_tessera_store_exec_stmt (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->db) > 0)
    _tessera_store_note_account (self, account_id);
  return TRUE;
}

/* Resolution */

static gboolean
validate_resolution (const TesseraResolution  *resolution,
                     GError                  **error)
{
  if (resolution->decision == TESSERA_DECISION_REJECT)
    {
      if (resolution->reason == TESSERA_REJECTION_NONE ||
          tessera_enum_to_string (TESSERA_TYPE_REJECTION_REASON, resolution->reason) == NULL)
        {
          g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                               "Rejecting a request needs a reason");
          return FALSE;
        }
    }
  else if (resolution->decision != TESSERA_DECISION_APPROVE)
    {
      g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                           "The decision must be approve or reject");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_resolution_locked (TesseraStore             *self,
                         TesseraUser              *actor,
                         TesseraRequest           *request,
                         const TesseraResolution  *resolution,
                         const char               *source_address,
                         GError                  **error)
{
  gboolean approve = resolution->decision == TESSERA_DECISION_APPROVE;
  const char *reason = approve ? NULL : tessera_enum_to_string (TESSERA_TYPE_REJECTION_REASON,
                                                                resolution->reason);
  const char *request_id = tessera_request_get_id (request);
  const char *account_id = tessera_request_get_account_id (request);
  g_autofree char *detail = NULL;
  STORE_STMT stmt = NULL;

  /* A rejected request's password is never released: wipe it with the decision. */
  if (!(stmt = _tessera_store_prepare (self,
                                       "UPDATE requests SET state = ?1, resolved_by = ?2, "
                                       "resolved_at = ?3, rejection_reason = ?4, comment = ?5, "
                                       "sealed_password = CASE WHEN ?1 = 'rejected' THEN NULL "
                                       "ELSE sealed_password END "
                                       "WHERE id = ?6 AND state = 'pending'",
                                       error)))
    return FALSE;
  _tessera_store_bind_text (stmt, 1, approve ? "approved" : "rejected");
  _tessera_store_bind_text (stmt, 2, tessera_user_get_username (actor));
  sqlite3_bind_int64 (stmt, 3, self->now);
  _tessera_store_bind_text (stmt, 4, reason);
  _tessera_store_bind_text (stmt, 5, resolution->comment);
  _tessera_store_bind_text (stmt, 6, request_id);
  if (!_tessera_store_exec_stmt (self, stmt, error))
    return FALSE;

  if (!set_state_if_current_locked (self, account_id,
                                    approve ? TESSERA_PROVISIONING_PROVISIONED
                                            : TESSERA_PROVISIONING_OTP_REJECTED,
                                    NULL, request_id, error))
    return FALSE;

  if (approve)
    detail = g_strdup_printf ("account %s%s%s", account_id,
                              resolution->comment ? ", comment: " : "",
                              resolution->comment ? resolution->comment : "");
  else
    detail = g_strdup_printf ("account %s, reason %s%s%s", account_id, reason,
                              resolution->comment ? ", comment: " : "",
                              resolution->comment ? resolution->comment : "");
  if (!_tessera_store_audit_locked (self, tessera_user_get_username (actor),
                                    approve ? "request_approved" : "request_rejected",
                                    request_id, source_address, detail, error))
    return FALSE;

  _tessera_store_note_request (self, request_id, FALSE);
  return TRUE;
}

TesseraRequest *
tessera_store_resolve_request (TesseraStore             *self,
                               TesseraUser              *actor,
                               const char               *request_id,
                               const TesseraResolution  *resolution,
                               const char               *source_address,
                               TesseraRequest          **current,
                               GError                  **error)
{
  g_autoptr(TesseraRequest) request = NULL;
  g_autoptr(TesseraSettings) settings = NULL;
  TesseraRequestState state;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (TESSERA_IS_USER (actor), NULL);
  g_return_val_if_fail (request_id != NULL, NULL);
  g_return_val_if_fail (resolution != NULL, NULL);

  if (current != NULL)
    *current = NULL;

  if (!validate_resolution (resolution, error))
    return NULL;

  /* begin expires a pending request past its time, so "expired" is seen below. */
  if (!_tessera_store_begin (self, error))
    return NULL;

  if (!(request = _tessera_store_load_request (self, request_id, error)))
    goto fail;
  state = tessera_request_get_state (request);

  if (state == TESSERA_REQUEST_EXPIRED)
    {
      /* Keep what begin swept, then answer. */
      if (!_tessera_store_commit (self, error))
        return NULL;
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_REQUEST_EXPIRED,
                   "The request expired before it was resolved; generate a new OTP");
      return NULL;
    }

  if (state != TESSERA_REQUEST_PENDING)
    {
      if (!_tessera_store_commit (self, error))
        return NULL;
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_ALREADY_RESOLVED,
                   "The request was already resolved by %s",
                   tessera_request_get_resolved_by (request) != NULL
                     ? tessera_request_get_resolved_by (request) : "someone else");
      if (current != NULL)
        *current = g_steal_pointer (&request);
      return NULL;
    }

  if (!(settings = _tessera_store_load_settings (self, error)))
    goto fail;
  if (tessera_settings_get_separation_of_duties (settings) &&
      g_strcmp0 (tessera_request_get_requested_by (request),
                 tessera_user_get_username (actor)) == 0)
    {
      g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_SEPARATION_OF_DUTIES,
                           "You generated this OTP; with separation of duties on, another "
                           "admin must resolve its request");
      goto fail;
    }

  if (!write_resolution_locked (self, actor, request, resolution, source_address, error))
    goto fail;

  if (!_tessera_store_commit (self, error))
    return NULL;
  return _tessera_store_load_request (self, request_id, error);

fail:
  _tessera_store_rollback (self);
  return NULL;
}

/* Expiry */

static const char sql_anything_due[] =
  "SELECT EXISTS (SELECT 1 FROM otps WHERE state = 'issued' AND expires_at <= ?1) "
  "OR EXISTS (SELECT 1 FROM requests WHERE state IN ('pending', 'approved') "
  "AND expires_at <= ?1)";

gboolean
_tessera_store_anything_due (TesseraStore  *self,
                             gboolean      *due,
                             GError       **error)
{
  STORE_STMT stmt = NULL;

  /* Two lookups in partial indexes: cheap enough for every read and write. */
  if (!(stmt = _tessera_store_prepare (self, sql_anything_due, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->now);
  if (_tessera_store_step (self, stmt, error) != SQLITE_ROW)
    return FALSE;
  *due = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

typedef struct {
  char *id;
  char *account_id;
  char *state;
} DueRow;

static void
due_row_free (gpointer data)
{
  DueRow *row = data;

  g_free (row->id);
  g_free (row->account_id);
  g_free (row->state);
  g_free (row);
}

/* Collected first: updating rows of a table while stepping through it is asking for trouble. */
static GPtrArray *
collect_due (TesseraStore  *self,
             const char    *sql,
             GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (due_row_free);
  STORE_STMT stmt = NULL;
  int rc;

  if (!(stmt = _tessera_store_prepare (self, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, self->now);
  while ((rc = _tessera_store_step (self, stmt, error)) == SQLITE_ROW)
    {
      DueRow *row = g_new0 (DueRow, 1);

      row->id = g_strdup (_tessera_store_column_text (stmt, 0));
      row->account_id = g_strdup (_tessera_store_column_text (stmt, 1));
      row->state = g_strdup (_tessera_store_column_text (stmt, 2));
      g_ptr_array_add (rows, row);
    }
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&rows);
}

static gboolean
expire_otps_locked (TesseraStore  *self,
                    guint         *n_expired,
                    GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  rows = collect_due (self,
                      "SELECT id, account_id, state FROM otps "
                      "WHERE state = 'issued' AND expires_at <= ?1",
                      error);
  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      DueRow *row = g_ptr_array_index (rows, i);
      STORE_STMT stmt = NULL;

      if (!(stmt = _tessera_store_prepare (self,
                                           "UPDATE otps SET state = 'expired', "
                                           "ended_at = expires_at, sealed_password = NULL "
                                           "WHERE id = ? AND state = 'issued'",
                                           error)))
        return FALSE;
      _tessera_store_bind_text (stmt, 1, row->id);
      if (!_tessera_store_exec_stmt (self, stmt, error) ||
          !set_state_if_current_locked (self, row->account_id, TESSERA_PROVISIONING_OTP_EXPIRED,
                                        row->id, NULL, error) ||
          !_tessera_store_audit_locked (self, TESSERA_STORE_ACTOR_SYSTEM, "otp_expired",
                                        row->id, NULL, row->account_id, error))
        return FALSE;
    }

  *n_expired += rows->len;
  return TRUE;
}

static gboolean
expire_requests_locked (TesseraStore  *self,
                        guint         *n_expired,
                        GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  rows = collect_due (self,
                      "SELECT id, account_id, state FROM requests "
                      "WHERE state IN ('pending', 'approved') AND expires_at <= ?1",
                      error);
  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      DueRow *row = g_ptr_array_index (rows, i);
      g_autofree char *detail = NULL;
      STORE_STMT stmt = NULL;

      /*
       * An approved request the console never collected expires too: the password it was to
       * receive is wiped, and the room is not provisioned after all.
       */
      if (!(stmt = _tessera_store_prepare (self,
                                           "UPDATE requests SET state = 'expired', "
                                           "sealed_password = NULL "
                                           "WHERE id = ? AND state IN ('pending', 'approved')",
                                           error)))
        return FALSE;
      _tessera_store_bind_text (stmt, 1, row->id);

      detail = g_strdup_printf ("account %s, was %s", row->account_id, row->state);
      if (!_tessera_store_exec_stmt (self, stmt, error) ||
          !set_state_if_current_locked (self, row->account_id, TESSERA_PROVISIONING_OTP_EXPIRED,
                                        NULL, row->id, error) ||
          !_tessera_store_audit_locked (self, TESSERA_STORE_ACTOR_SYSTEM, "request_expired",
                                        row->id, NULL, detail, error))
        return FALSE;
      _tessera_store_note_request (self, row->id, FALSE);
    }

  *n_expired += rows->len;
  return TRUE;
}

/*
 * Nothing about expiry is remembered in memory: the database is asked every time, so a
 * change made by another process (the CLI, a test moving expires_at) is always seen.
 */
gboolean
_tessera_store_sweep_locked (TesseraStore  *self,
                             guint         *n_expired,
                             GError       **error)
{
  gboolean due = FALSE;
  guint n = 0;

  g_assert (self->in_transaction);

  if (!_tessera_store_anything_due (self, &due, error))
    return FALSE;
  if (due &&
      (!expire_otps_locked (self, &n, error) ||
       !expire_requests_locked (self, &n, error)))
    return FALSE;

  if (n_expired != NULL)
    *n_expired = n;
  return TRUE;
}

guint
tessera_store_sweep_expired (TesseraStore  *self,
                             GError       **error)
{
  STORE_STMT stmt = NULL;
  guint n_expired = 0;

  g_return_val_if_fail (TESSERA_IS_STORE (self), 0);

  if (!_tessera_store_begin (self, error))
    return 0;

  /* begin has expired the OTPs and requests; sessions are left to this periodic sweep. */
  n_expired = self->n_swept;

  if (!(stmt = _tessera_store_prepare (self, "DELETE FROM sessions WHERE expires_at <= ?",
                                       error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, self->now);
  if (!_tessera_store_exec_stmt (self, stmt, error))
    goto fail;
  n_expired += sqlite3_changes (self->db);

  if (!_tessera_store_commit (self, error))
    return 0;
  return n_expired;

fail:
  _tessera_store_rollback (self);
  return 0;
}

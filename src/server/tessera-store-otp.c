/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-store"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "tessera-otp-code.h"
#include "tessera-store-private.h"

/* OTPs: issuing batches and revoking (DESIGN §3). Redemption is in tessera-store-redeem.c. */

/* A resource-account password longer than this is not one (Entra ID allows 256). */
#define MAX_SIGN_IN_PASSWORD_LENGTH 256

static TesseraOtp *
otp_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(GDateTime) issued_at = _tessera_store_column_datetime (stmt, 3);
  g_autoptr(GDateTime) expires_at = _tessera_store_column_datetime (stmt, 4);
  int state = TESSERA_OTP_EXPIRED;

  tessera_enum_from_string (TESSERA_TYPE_OTP_STATE, _tessera_store_column_text (stmt, 5), &state);
  return tessera_otp_new (_tessera_store_column_text (stmt, 0),
                          _tessera_store_column_text (stmt, 1),
                          _tessera_store_column_text (stmt, 2),
                          issued_at, expires_at, state);
}

GPtrArray *
_tessera_store_load_account_otps (TesseraStore  *self,
                                  const char    *account_id,
                                  GError       **error)
{
  g_autoptr(GPtrArray) otps = g_ptr_array_new_with_free_func (g_object_unref);
  STORE_STMT stmt = NULL;
  int rc;

  if (!(stmt = _tessera_store_prepare (self,
                                       "SELECT id, account_id, issued_by, issued_at, "
                                       "expires_at, state FROM otps WHERE account_id = ? "
                                       "ORDER BY issued_at DESC, id DESC LIMIT ?",
                                       error)))
    return NULL;
  _tessera_store_bind_text (stmt, 1, account_id);
  sqlite3_bind_int (stmt, 2, TESSERA_STORE_HISTORY_LIMIT);

  while ((rc = _tessera_store_step (self, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (otps, otp_from_row (stmt));
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&otps);
}

static char *
format_usec (gint64 unix_usec)
{
  char buffer[TESSERA_DATETIME_BUFFER_SIZE];

  if (!tessera_datetime_format_unix_usec (unix_usec, buffer))
    return g_strdup ("?");
  return g_strdup (buffer);
}

/* Issuing */

typedef struct {
  const char    *account_id;  /* borrowed from the spec */
  char          *upn;
  char          *readiness;
  char          *issues;
  gboolean       found;
  gboolean       pending;
  TesseraSignIn *sign_in;     /* borrowed from the spec; PROVIDED mode only */
} BatchRow;

static void
batch_row_clear (BatchRow *row)
{
  g_free (row->upn);
  g_free (row->readiness);
  g_free (row->issues);
}

static gboolean
set_invalid (GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_invalid (GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* Everything that can be checked without the database, so a bad batch never takes the lock. */
static gboolean
validate_spec (const TesseraBatchSpec  *spec,
               GHashTable              *sign_in_by_upn,
               GError                 **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_accounts = spec->account_ids != NULL ? g_strv_length (spec->account_ids) : 0;
  guint n_sign_in = spec->sign_in_data != NULL ? spec->sign_in_data->len : 0;

  if (n_accounts == 0)
    return set_invalid (error, "Select at least one account");
  if (n_accounts > TESSERA_STORE_MAX_BATCH_ACCOUNTS)
    return set_invalid (error, "A batch has at most %d accounts, not %u",
                        TESSERA_STORE_MAX_BATCH_ACCOUNTS, n_accounts);
  for (guint i = 0; i < n_accounts; i++)
    if (!g_hash_table_add (seen, spec->account_ids[i]))
      return set_invalid (error, "The account %s is selected twice", spec->account_ids[i]);

  if (spec->validity_hours != 0 &&
      (spec->validity_hours < TESSERA_SETTINGS_MIN_OTP_VALIDITY_HOURS ||
       spec->validity_hours > TESSERA_SETTINGS_MAX_OTP_VALIDITY_HOURS))
    return set_invalid (error, "validity_hours must be from %d to %d",
                        TESSERA_SETTINGS_MIN_OTP_VALIDITY_HOURS,
                        TESSERA_SETTINGS_MAX_OTP_VALIDITY_HOURS);

  switch (spec->password_mode)
    {
    case TESSERA_PASSWORD_MODE_GENERATE:
      if (n_sign_in > 0)
        return set_invalid (error, "sign_in_data is only used with password_mode “provided”");
      return TRUE;

    case TESSERA_PASSWORD_MODE_PROVIDED:
      for (guint i = 0; i < n_sign_in; i++)
        {
          TesseraSignIn *row = g_ptr_array_index (spec->sign_in_data, i);
          gsize password_length;
          char *upn_key;

          if (row->upn == NULL || row->upn[0] == '\0')
            return set_invalid (error, "Row %u of the sign-in data has no UPN", i + 1);
          password_length = row->password != NULL ? strlen (row->password) : 0;
          if (password_length == 0 || password_length > MAX_SIGN_IN_PASSWORD_LENGTH)
            return set_invalid (error, "The sign-in data for %s needs a password of 1 to %d "
                                "characters", row->upn, MAX_SIGN_IN_PASSWORD_LENGTH);

          upn_key = _tessera_store_fold (row->upn);
          if (g_hash_table_contains (sign_in_by_upn, upn_key))
            {
              g_free (upn_key);
              return set_invalid (error, "The sign-in data has %s more than once", row->upn);
            }
          g_hash_table_insert (sign_in_by_upn, upn_key, row);
        }
      return TRUE;

    default:
      return set_invalid (error, "Unknown password mode");
    }
}

static gboolean
load_batch_row (TesseraStore  *self,
                BatchRow      *row,
                GError       **error)
{
  int rc;

  {
    STORE_STMT stmt = _tessera_store_prepare (self,
                                              "SELECT upn, readiness, readiness_issues "
                                              "FROM accounts WHERE id = ?",
                                              error);
    if (stmt == NULL)
      return FALSE;
    _tessera_store_bind_text (stmt, 1, row->account_id);
    if ((rc = _tessera_store_step (self, stmt, error)) < 0)
      return FALSE;
    if (rc != SQLITE_ROW)
      return TRUE;

    row->found = TRUE;
    row->upn = g_strdup (_tessera_store_column_text (stmt, 0));
    row->readiness = g_strdup (_tessera_store_column_text (stmt, 1));
    row->issues = g_strdup (_tessera_store_column_text (stmt, 2));
  }

  {
    STORE_STMT stmt = _tessera_store_prepare (self,
                                              "SELECT 1 FROM requests "
                                              "WHERE account_id = ? AND state = 'pending'",
                                              error);
    if (stmt == NULL)
      return FALSE;
    _tessera_store_bind_text (stmt, 1, row->account_id);
    if ((rc = _tessera_store_step (self, stmt, error)) < 0)
      return FALSE;
    row->pending = rc == SQLITE_ROW;
  }

  return TRUE;
}

static const char *
readiness_words (const char *readiness)
{
  if (g_strcmp0 (readiness, "change_settings") == 0)
    return "Change settings";
  if (g_strcmp0 (readiness, "no_valid_license") == 0)
    return "No valid license";
  return readiness;
}

/* Returns a refusal for @row, or NULL if an OTP may be issued. */
static TesseraOtpResult *
refuse_row (const BatchRow *row,
            char          **audit_detail)
{
  g_autofree char *detail = NULL;
  const char *code;

  if (!row->found)
    {
      code = "not_found";
      detail = g_strdup_printf ("There is no account “%s”", row->account_id);
    }
  else if (g_strcmp0 (row->readiness, "ready") != 0)
    {
      code = "not_ready";
      if (row->issues != NULL && row->issues[0] != '\0')
        detail = g_strdup_printf ("The account’s readiness is “%s” (%s): only ready accounts "
                                  "get an OTP", readiness_words (row->readiness), row->issues);
      else
        detail = g_strdup_printf ("The account’s readiness is “%s”: only ready accounts get "
                                  "an OTP", readiness_words (row->readiness));
    }
  else if (row->pending)
    {
      code = "request_pending";
      detail = g_strdup ("The account has a redemption awaiting approval: resolve the pending "
                         "request first");
    }
  else
    return NULL;

  *audit_detail = g_strdup_printf ("%s: %s", code, detail);
  return tessera_otp_result_new_refused (row->account_id, code, detail);
}

/* Revokes the account's live OTP, if any, because a new one replaces it. */
static gboolean
revoke_live_otp_locked (TesseraStore  *self,
                        TesseraUser   *actor,
                        const char    *account_id,
                        const char    *source_address,
                        GError       **error)
{
  g_autofree char *otp_id = NULL;
  int rc;

  {
    STORE_STMT stmt = _tessera_store_prepare (self,
                                              "SELECT id FROM otps "
                                              "WHERE account_id = ? AND state = 'issued'",
                                              error);
    if (stmt == NULL)
      return FALSE;
    _tessera_store_bind_text (stmt, 1, account_id);
    if ((rc = _tessera_store_step (self, stmt, error)) < 0)
      return FALSE;
    if (rc != SQLITE_ROW)
      return TRUE;
    otp_id = g_strdup (_tessera_store_column_text (stmt, 0));
  }

  {
    STORE_STMT stmt = _tessera_store_prepare (self,
                                              "UPDATE otps SET state = 'revoked', ended_at = ?, "
                                              "sealed_password = NULL "
                                              "WHERE id = ? AND state = 'issued'",
                                              error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, self->now);
    _tessera_store_bind_text (stmt, 2, otp_id);
    if (!_tessera_store_exec_stmt (self, stmt, error))
      return FALSE;
  }

  return _tessera_store_audit_locked (self, tessera_user_get_username (actor), "otp_revoked",
                                      otp_id, source_address,
                                      "replaced by a new OTP for the same account", error);
}

static TesseraOtpResult *
issue_row_locked (TesseraStore            *self,
                  TesseraUser             *actor,
                  const TesseraBatchSpec  *spec,
                  const char              *batch_id,
                  const BatchRow          *row,
                  gint64                   expires,
                  const char              *source_address,
                  GError                 **error)
{
  g_autofree char *otp_id = tessera_server_crypto_new_id ("otp_");
  g_autofree char *detail = NULL;
  g_autofree char *expires_text = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  guint8 code_hash[TESSERA_SERVER_CRYPTO_HASH_BYTES];
  char code[TESSERA_OTP_CODE_LENGTH + 1];
  TesseraOtpResult *result = NULL;
  char *password;
  STORE_STMT stmt = NULL;

  if (!revoke_live_otp_locked (self, actor, row->account_id, source_address, error))
    return NULL;

  tessera_otp_code_generate (tessera_server_crypto_random_fill, NULL, code);
  tessera_server_crypto_hash_code (self->crypto, code, code_hash);

  if (spec->password_mode == TESSERA_PASSWORD_MODE_PROVIDED)
    password = tessera_secret_dup (row->sign_in->password);
  else
    password = tessera_server_crypto_new_password ();
  sealed = tessera_server_crypto_seal (self->crypto, password);

  if (!(stmt = _tessera_store_prepare (self,
                                       "INSERT INTO otps (id, account_id, batch_id, code_hash, "
                                       "issued_by, issued_at, expires_at, state, "
                                       "sealed_password) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, 'issued', ?)",
                                       error)))
    goto out;
  _tessera_store_bind_text (stmt, 1, otp_id);
  _tessera_store_bind_text (stmt, 2, row->account_id);
  _tessera_store_bind_text (stmt, 3, batch_id);
  _tessera_store_bind_blob (stmt, 4, code_hash, sizeof code_hash);
  _tessera_store_bind_text (stmt, 5, tessera_user_get_username (actor));
  sqlite3_bind_int64 (stmt, 6, self->now);
  sqlite3_bind_int64 (stmt, 7, expires);
  _tessera_store_bind_blob (stmt, 8, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
  if (!_tessera_store_exec_stmt (self, stmt, error))
    goto out;

  if (!_tessera_store_set_provisioning_locked (self, row->account_id,
                                               TESSERA_PROVISIONING_OTP_ISSUED, otp_id,
                                               tessera_user_get_username (actor), expires,
                                               NULL, error))
    goto out;

  expires_text = format_usec (expires);
  detail = g_strdup_printf ("OTP %s in batch %s, expires %s", otp_id, batch_id, expires_text);
  if (!_tessera_store_audit_locked (self, tessera_user_get_username (actor), "otp_issued",
                                    row->account_id, source_address, detail, error))
    goto out;

  expires_at = tessera_datetime_new_unix_usec (expires);
  result = tessera_otp_result_new_issued (row->account_id, otp_id, code, expires_at,
                                          spec->return_passwords ? password : NULL);

out:
  sodium_memzero (code, sizeof code);
  tessera_server_crypto_free_secret (password);
  return result;
}

static gboolean
check_idempotency_key_locked (TesseraStore  *self,
                              TesseraUser   *actor,
                              const char    *idempotency_key,
                              GError       **error)
{
  STORE_STMT stmt = NULL;
  int rc;

  if (idempotency_key == NULL)
    return TRUE;

  if (!(stmt = _tessera_store_prepare (self,
                                       "SELECT id FROM batches "
                                       "WHERE created_by = ? AND idempotency_key = ?",
                                       error)))
    return FALSE;
  _tessera_store_bind_text (stmt, 1, tessera_user_get_username (actor));
  _tessera_store_bind_text (stmt, 2, idempotency_key);
  if ((rc = _tessera_store_step (self, stmt, error)) < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      /* The codes of that batch exist only in its first answer: they cannot be sent again. */
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_BATCH_EXISTS,
                   "Batch %s was already created with this Idempotency-Key; its codes were "
                   "shown only in the first answer",
                   _tessera_store_column_text (stmt, 0));
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_batch_locked (TesseraStore  *self,
                     const char    *batch_id,
                     TesseraUser   *actor,
                     const char    *idempotency_key,
                     GError       **error)
{
  STORE_STMT stmt = NULL;

  if (!(stmt = _tessera_store_prepare (self,
                                       "INSERT INTO batches (id, created_by, created_at, "
                                       "idempotency_key) VALUES (?, ?, ?, ?)",
                                       error)))
    return FALSE;
  _tessera_store_bind_text (stmt, 1, batch_id);
  _tessera_store_bind_text (stmt, 2, tessera_user_get_username (actor));
  sqlite3_bind_int64 (stmt, 3, self->now);
  _tessera_store_bind_text (stmt, 4, idempotency_key);
  return _tessera_store_exec_stmt (self, stmt, error);
}

static TesseraOtpBatch *
issue_batch_locked (TesseraStore            *self,
                    TesseraUser             *actor,
                    const TesseraBatchSpec  *spec,
                    GHashTable              *sign_in_by_upn,
                    const char              *idempotency_key,
                    const char              *source_address,
                    GError                 **error)
{
  g_autoptr(TesseraSettings) settings = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GDateTime) created_at = NULL;
  g_autofree char *batch_id = tessera_server_crypto_new_id ("bat_");
  g_autofree BatchRow *rows = NULL;
  guint n_rows = g_strv_length (spec->account_ids);
  TesseraOtpBatch *ret = NULL;
  guint validity_hours;
  gint64 expires;

  if (!check_idempotency_key_locked (self, actor, idempotency_key, error))
    return NULL;

  if (!(settings = _tessera_store_load_settings (self, error)))
    return NULL;
  validity_hours = spec->validity_hours != 0
                     ? spec->validity_hours
                     : tessera_settings_get_otp_validity_hours (settings);
  expires = self->now + (gint64) validity_hours * G_TIME_SPAN_HOUR;

  /* First every account, so sign-in data that fits none of them refuses the whole batch. */
  rows = g_new0 (BatchRow, n_rows);
  for (guint i = 0; i < n_rows; i++)
    {
      rows[i].account_id = spec->account_ids[i];
      if (!load_batch_row (self, &rows[i], error))
        goto out;

      if (rows[i].found && spec->password_mode == TESSERA_PASSWORD_MODE_PROVIDED)
        {
          g_autofree char *upn_key = _tessera_store_fold (rows[i].upn);

          rows[i].sign_in = g_hash_table_lookup (sign_in_by_upn, upn_key);
          if (rows[i].sign_in != NULL)
            g_hash_table_remove (sign_in_by_upn, upn_key);
        }
    }

  if (g_hash_table_size (sign_in_by_upn) > 0)
    {
      GHashTableIter iter;
      TesseraSignIn *stray;

      g_hash_table_iter_init (&iter, sign_in_by_upn);
      g_hash_table_iter_next (&iter, NULL, (gpointer *) &stray);
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                   "The sign-in data has a row for %s, which is not one of the selected "
                   "accounts (%u such rows)",
                   stray->upn, g_hash_table_size (sign_in_by_upn));
      goto out;
    }

  if (!insert_batch_locked (self, batch_id, actor, idempotency_key, error))
    goto out;

  created_at = tessera_datetime_new_unix_usec (self->now);
  batch = tessera_otp_batch_new (batch_id, created_at);

  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(TesseraOtpResult) result = NULL;
      g_autofree char *audit_detail = NULL;

      result = refuse_row (&rows[i], &audit_detail);
      if (result == NULL && spec->password_mode == TESSERA_PASSWORD_MODE_PROVIDED &&
          rows[i].sign_in == NULL)
        {
          g_autofree char *detail = g_strdup_printf ("The sign-in data has no row for %s",
                                                     rows[i].upn);

          audit_detail = g_strdup_printf ("missing_sign_in_data: %s", detail);
          result = tessera_otp_result_new_refused (rows[i].account_id, "missing_sign_in_data",
                                                   detail);
        }

      if (result != NULL)
        {
          if (!_tessera_store_audit_locked (self, tessera_user_get_username (actor),
                                            "otp_refused", rows[i].account_id, source_address,
                                            audit_detail, error))
            goto out;
        }
      else
        {
          result = issue_row_locked (self, actor, spec, batch_id, &rows[i], expires,
                                     source_address, error);
          if (result == NULL)
            goto out;
        }

      tessera_otp_batch_add_result (batch, result);
    }

  ret = g_steal_pointer (&batch);

out:
  for (guint i = 0; i < n_rows; i++)
    batch_row_clear (&rows[i]);
  return ret;
}

TesseraOtpBatch *
tessera_store_issue_batch (TesseraStore            *self,
                           TesseraUser             *actor,
                           const TesseraBatchSpec  *spec,
                           const char              *idempotency_key,
                           const char              *source_address,
                           GError                 **error)
{
  g_autoptr(GHashTable) sign_in_by_upn = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (TESSERA_IS_USER (actor), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  sign_in_by_upn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!validate_spec (spec, sign_in_by_upn, error))
    return NULL;

  if (!_tessera_store_begin (self, error))
    return NULL;

  batch = issue_batch_locked (self, actor, spec, sign_in_by_upn, idempotency_key,
                              source_address, error);
  if (batch == NULL)
    {
      _tessera_store_rollback (self);
      return NULL;
    }

  /* All rows or none: the codes are handed out only once the batch is durable. */
  if (!_tessera_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&batch);
}

/* Revoking */

TesseraAccount *
tessera_store_revoke_otp (TesseraStore  *self,
                          TesseraUser   *actor,
                          const char    *otp_id,
                          const char    *source_address,
                          GError       **error)
{
  g_autofree char *account_id = NULL;
  g_autofree char *state = NULL;
  g_autofree char *issued_by = NULL;
  gint64 expires = 0;
  int rc;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (TESSERA_IS_USER (actor), NULL);
  g_return_val_if_fail (otp_id != NULL, NULL);

  if (!_tessera_store_begin (self, error))
    return NULL;

  {
    STORE_STMT stmt = _tessera_store_prepare (self,
                                              "SELECT o.account_id, o.state, o.issued_by, "
                                              "o.expires_at, r.state FROM otps AS o "
                                              "LEFT JOIN requests AS r ON r.otp_id = o.id "
                                              "WHERE o.id = ?",
                                              error);
    if (stmt == NULL)
      goto fail;
    _tessera_store_bind_text (stmt, 1, otp_id);
    if ((rc = _tessera_store_step (self, stmt, error)) < 0)
      goto fail;
    if (rc != SQLITE_ROW)
      {
        g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_FOUND,
                     "There is no OTP “%s”", otp_id);
        goto fail;
      }
    account_id = g_strdup (_tessera_store_column_text (stmt, 0));
    state = g_strdup (_tessera_store_column_text (stmt, 1));
    issued_by = g_strdup (_tessera_store_column_text (stmt, 2));
    expires = sqlite3_column_int64 (stmt, 3);

    if (!g_str_equal (state, "issued"))
      {
        if (g_strcmp0 (_tessera_store_column_text (stmt, 4), "pending") == 0)
          g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_OTP_NOT_LIVE,
                       "The OTP was redeemed and its request awaits approval: resolve the "
                       "pending request instead");
        else
          g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_OTP_NOT_LIVE,
                       "The OTP is no longer live (it was %s)", state);
        goto fail;
      }
  }

  {
    STORE_STMT stmt = _tessera_store_prepare (self,
                                              "UPDATE otps SET state = 'revoked', ended_at = ?, "
                                              "sealed_password = NULL "
                                              "WHERE id = ? AND state = 'issued'",
                                              error);
    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, self->now);
    _tessera_store_bind_text (stmt, 2, otp_id);
    if (!_tessera_store_exec_stmt (self, stmt, error))
      goto fail;
  }

  if (!_tessera_store_set_provisioning_locked (self, account_id, TESSERA_PROVISIONING_OTP_REVOKED,
                                               otp_id, issued_by, expires, NULL, error) ||
      !_tessera_store_audit_locked (self, tessera_user_get_username (actor), "otp_revoked",
                                    otp_id, source_address, account_id, error))
    goto fail;

  if (!_tessera_store_commit (self, error))
    return NULL;
  return _tessera_store_load_account (self, account_id, error);

fail:
  _tessera_store_rollback (self);
  return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-store"

#include "config.h"

#include <sodium.h>

#include "tessera-store-private.h"

/* The console's side: redeeming a code and polling for the decision (DESIGN §1.2, §1.4). */

/* Redeeming (console) */

typedef struct {
  char   *otp_id;
  char   *account_id;
  char   *state;
  char   *issued_by;
  gint64  expires_at;
  GBytes *sealed_password;
} OtpRow;

static void
otp_row_clear (OtpRow *row)
{
  g_clear_pointer (&row->otp_id, g_free);
  g_clear_pointer (&row->account_id, g_free);
  g_clear_pointer (&row->state, g_free);
  g_clear_pointer (&row->issued_by, g_free);
  g_clear_pointer (&row->sealed_password, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OtpRow, otp_row_clear)

static gboolean
find_otp_by_code_locked (TesseraStore  *self,
                         const guint8  *code_hash,
                         OtpRow        *row,
                         GError       **error)
{
  STORE_STMT stmt = NULL;
  int rc;

  if (!(stmt = _tessera_store_prepare (self,
                                       "SELECT id, account_id, state, issued_by, expires_at, "
                                       "sealed_password FROM otps WHERE code_hash = ?",
                                       error)))
    return FALSE;
  _tessera_store_bind_blob (stmt, 1, code_hash, TESSERA_SERVER_CRYPTO_HASH_BYTES);
  if ((rc = _tessera_store_step (self, stmt, error)) < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      row->otp_id = g_strdup (_tessera_store_column_text (stmt, 0));
      row->account_id = g_strdup (_tessera_store_column_text (stmt, 1));
      row->state = g_strdup (_tessera_store_column_text (stmt, 2));
      row->issued_by = g_strdup (_tessera_store_column_text (stmt, 3));
      row->expires_at = sqlite3_column_int64 (stmt, 4);
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        row->sealed_password = g_bytes_new (sqlite3_column_blob (stmt, 5),
                                            sqlite3_column_bytes (stmt, 5));
    }
  return TRUE;
}

/*
 * Records the failure, commits it and answers INVALID_OTP: one answer for unknown, used,
 * expired and revoked codes, so a guesser learns nothing about which codes exist.
 */
static TesseraRedemption *
fail_redemption (TesseraStore  *self,
                 const OtpRow  *row,
                 const char    *source_address,
                 GError       **error)
{
  g_autofree char *detail = NULL;

  detail = row->otp_id != NULL ? g_strdup_printf ("the OTP was already %s", row->state)
                               : g_strdup ("no OTP has this code");
  if (!_tessera_store_audit_locked (self, TESSERA_STORE_ACTOR_CONSOLE, "redemption_failed",
                                    row->otp_id, source_address, detail, error))
    {
      _tessera_store_rollback (self);
      return NULL;
    }
  if (!_tessera_store_commit (self, error))
    return NULL;

  g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_OTP,
                       "The code is not valid: it may be mistyped, used, expired or revoked");
  return NULL;
}

static gboolean
insert_request_locked (TesseraStore             *self,
                       const char               *request_id,
                       const OtpRow             *otp,
                       const TesseraDeviceInfo  *device,
                       const char               *source_address,
                       const guint8             *poll_token_hash,
                       gboolean                  auto_approve,
                       GError                  **error)
{
  STORE_STMT stmt = NULL;

  if (!(stmt = _tessera_store_prepare (self,
                                       "INSERT INTO requests (id, otp_id, account_id, "
                                       "requested_by, requested_at, expires_at, device_make, "
                                       "device_model, device_serial_number, source_address, "
                                       "state, resolved_by, resolved_at, poll_token_hash, "
                                       "sealed_password) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                       error)))
    return FALSE;
  _tessera_store_bind_text (stmt, 1, request_id);
  _tessera_store_bind_text (stmt, 2, otp->otp_id);
  _tessera_store_bind_text (stmt, 3, otp->account_id);
  _tessera_store_bind_text (stmt, 4, otp->issued_by);
  sqlite3_bind_int64 (stmt, 5, self->now);
  sqlite3_bind_int64 (stmt, 6, otp->expires_at);
  _tessera_store_bind_text (stmt, 7, device->make != NULL ? device->make : "");
  _tessera_store_bind_text (stmt, 8, device->model != NULL ? device->model : "");
  _tessera_store_bind_text (stmt, 9, device->serial_number != NULL ? device->serial_number : "");
  _tessera_store_bind_text (stmt, 10, source_address);
  _tessera_store_bind_text (stmt, 11, auto_approve ? "approved" : "pending");
  _tessera_store_bind_text (stmt, 12, auto_approve ? TESSERA_STORE_ACTOR_AUTO_APPROVAL : NULL);
  if (auto_approve)
    sqlite3_bind_int64 (stmt, 13, self->now);
  else
    sqlite3_bind_null (stmt, 13);
  _tessera_store_bind_blob (stmt, 14, poll_token_hash, TESSERA_SERVER_CRYPTO_HASH_BYTES);
  if (otp->sealed_password != NULL)
    _tessera_store_bind_blob (stmt, 15, g_bytes_get_data (otp->sealed_password, NULL),
                              g_bytes_get_size (otp->sealed_password));
  else
    sqlite3_bind_null (stmt, 15);
  return _tessera_store_exec_stmt (self, stmt, error);
}

TesseraRedemption *
tessera_store_redeem (TesseraStore             *self,
                      const char               *code,
                      const TesseraDeviceInfo  *device,
                      const char               *source_address,
                      GError                  **error)
{
  g_auto(OtpRow) otp = { 0, };
  g_autoptr(TesseraSettings) settings = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autofree char *request_id = NULL;
  g_autofree char *detail = NULL;
  guint8 code_hash[TESSERA_SERVER_CRYPTO_HASH_BYTES];
  guint8 poll_token_hash[TESSERA_SERVER_CRYPTO_HASH_BYTES];
  char *poll_token = NULL;
  gboolean auto_approve;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  if (device == NULL)
    {
      g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                           "The device information is missing");
      return NULL;
    }

  tessera_server_crypto_hash_code (self->crypto, code, code_hash);

  if (!_tessera_store_begin (self, error))
    return NULL;

  /* begin has expired every OTP past its time, so "issued" here means live. */
  if (!find_otp_by_code_locked (self, code_hash, &otp, error))
    goto fail;
  if (otp.otp_id == NULL || !g_str_equal (otp.state, "issued") || otp.expires_at <= self->now)
    return fail_redemption (self, &otp, source_address, error);

  /* Single use: of concurrent redemptions only one changes the row (one writer holds the lock). */
  {
    STORE_STMT stmt = _tessera_store_prepare (self,
                                              "UPDATE otps SET state = 'redeemed', ended_at = ?, "
                                              "sealed_password = NULL "
                                              "WHERE id = ? AND state = 'issued' "
                                              "AND expires_at > ?",
                                              error);
    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, self->now);
    _tessera_store_bind_text (stmt, 2, otp.otp_id);
    sqlite3_bind_int64 (stmt, 3, self->now);
    if (!_tessera_store_exec_stmt (self, stmt, error))
      goto fail;
    if (sqlite3_changes (self->db) != 1)
      return fail_redemption (self, &otp, source_address, error);
  }

  if (!(settings = _tessera_store_load_settings (self, error)))
    goto fail;
  auto_approve = tessera_settings_get_auto_approve (settings);

  request_id = tessera_server_crypto_new_id ("req_");
  poll_token = tessera_server_crypto_new_token ();
  tessera_server_crypto_hash_token (self->crypto, poll_token, poll_token_hash);

  if (!insert_request_locked (self, request_id, &otp, device, source_address, poll_token_hash,
                              auto_approve, error))
    goto fail;

  if (!_tessera_store_set_provisioning_locked (self, otp.account_id,
                                               auto_approve
                                                 ? TESSERA_PROVISIONING_PROVISIONED
                                                 : TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL,
                                               otp.otp_id, otp.issued_by, otp.expires_at,
                                               request_id, error))
    goto fail;

  detail = g_strdup_printf ("account %s, OTP %s, device %s %s serial %s",
                            otp.account_id, otp.otp_id,
                            device->make != NULL ? device->make : "",
                            device->model != NULL ? device->model : "",
                            device->serial_number != NULL ? device->serial_number : "");
  if (!_tessera_store_audit_locked (self, TESSERA_STORE_ACTOR_CONSOLE, "otp_redeemed",
                                    request_id, source_address, detail, error))
    goto fail;
  if (auto_approve &&
      !_tessera_store_audit_locked (self, TESSERA_STORE_ACTOR_AUTO_APPROVAL, "request_approved",
                                    request_id, source_address,
                                    "approved at once: the organisation turned on auto-approval",
                                    error))
    goto fail;

  _tessera_store_note_request (self, request_id, TRUE);

  if (!_tessera_store_commit (self, error))
    goto fail_unlocked;

  expires_at = tessera_datetime_new_unix_usec (otp.expires_at);
  redemption = tessera_redemption_new (request_id);
  tessera_redemption_set_poll_token (redemption, poll_token);
  tessera_redemption_set_state (redemption,
                                auto_approve ? TESSERA_REQUEST_APPROVED : TESSERA_REQUEST_PENDING);
  tessera_redemption_set_expires_at (redemption, expires_at);
  tessera_server_crypto_free_secret (poll_token);
  return g_steal_pointer (&redemption);

fail:
  _tessera_store_rollback (self);
fail_unlocked:
  tessera_server_crypto_free_secret (poll_token);
  return NULL;
}

/* Polling (console) */

static gboolean
set_not_found (GError **error)
{
  /* The same answer for a wrong id and a wrong token: neither is confirmed to a guesser. */
  g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_FOUND,
                       "There is no such redemption");
  return FALSE;
}

TesseraRedemption *
tessera_store_poll_redemption (TesseraStore  *self,
                               const char    *redemption_id,
                               const char    *poll_token,
                               GError       **error)
{
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *upn = NULL;
  g_autofree char *account_id = NULL;
  guint8 token_hash[TESSERA_SERVER_CRYPTO_HASH_BYTES];
  char *password = NULL;
  int state = TESSERA_REQUEST_EXPIRED;
  int reason = TESSERA_REJECTION_NONE;
  int rc;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (redemption_id != NULL, NULL);
  g_return_val_if_fail (poll_token != NULL, NULL);

  tessera_server_crypto_hash_token (self->crypto, poll_token, token_hash);

  if (!_tessera_store_begin (self, error))
    return NULL;

  {
    STORE_STMT stmt = _tessera_store_prepare (self,
                                              "SELECT r.poll_token_hash, r.state, "
                                              "r.rejection_reason, r.comment, r.expires_at, "
                                              "r.sealed_password, a.upn, a.id "
                                              "FROM requests AS r "
                                              "JOIN accounts AS a ON a.id = r.account_id "
                                              "WHERE r.id = ?",
                                              error);
    if (stmt == NULL)
      goto fail;
    _tessera_store_bind_text (stmt, 1, redemption_id);
    if ((rc = _tessera_store_step (self, stmt, error)) < 0)
      goto fail;

    if (rc != SQLITE_ROW ||
        sqlite3_column_bytes (stmt, 0) != sizeof token_hash ||
        sodium_memcmp (sqlite3_column_blob (stmt, 0), token_hash, sizeof token_hash) != 0)
      {
        set_not_found (error);
        goto fail;
      }

    tessera_enum_from_string (TESSERA_TYPE_REQUEST_STATE, _tessera_store_column_text (stmt, 1),
                              &state);
    if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
      tessera_enum_from_string (TESSERA_TYPE_REJECTION_REASON,
                                _tessera_store_column_text (stmt, 2), &reason);
    redemption = tessera_redemption_new (redemption_id);
    tessera_redemption_set_rejection_reason (redemption, reason);
    tessera_redemption_set_comment (redemption, _tessera_store_column_text (stmt, 3));
    expires_at = _tessera_store_column_datetime (stmt, 4);
    tessera_redemption_set_expires_at (redemption, expires_at);
    if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
      sealed = g_bytes_new (sqlite3_column_blob (stmt, 5), sqlite3_column_bytes (stmt, 5));
    upn = g_strdup (_tessera_store_column_text (stmt, 6));
    account_id = g_strdup (_tessera_store_column_text (stmt, 7));
  }

  tessera_redemption_set_state (redemption, state);

  if (state == TESSERA_REQUEST_APPROVED)
    {
      g_autoptr(GError) local_error = NULL;

      if (sealed == NULL ||
          !(password = tessera_server_crypto_unseal (self->crypto,
                                                     g_bytes_get_data (sealed, NULL),
                                                     g_bytes_get_size (sealed),
                                                     &local_error)))
        {
          g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FAILED,
                       "The sign-in data of request %s cannot be read%s%s", redemption_id,
                       local_error ? ": " : "", local_error ? local_error->message : "");
          goto fail;
        }

      /* Released once: the ciphertext goes in the same transaction that completes it. */
      {
        STORE_STMT stmt = _tessera_store_prepare (self,
                                                  "UPDATE requests SET state = 'completed', "
                                                  "completed_at = ?, sealed_password = NULL "
                                                  "WHERE id = ? AND state = 'approved'",
                                                  error);
        if (stmt == NULL)
          goto fail;
        sqlite3_bind_int64 (stmt, 1, self->now);
        _tessera_store_bind_text (stmt, 2, redemption_id);
        if (!_tessera_store_exec_stmt (self, stmt, error))
          goto fail;
      }

      if (!_tessera_store_audit_locked (self, TESSERA_STORE_ACTOR_CONSOLE, "sign_in_released",
                                        redemption_id, NULL, account_id, error))
        goto fail;
      _tessera_store_note_request (self, redemption_id, FALSE);
    }

  if (!_tessera_store_commit (self, error))
    goto fail_unlocked;

  /* Only now, with the completion durable, does the password leave the store. */
  if (password != NULL)
    tessera_redemption_set_sign_in (redemption, upn, password);
  tessera_server_crypto_free_secret (password);
  return g_steal_pointer (&redemption);

fail:
  _tessera_store_rollback (self);
fail_unlocked:
  tessera_server_crypto_free_secret (password);
  return NULL;
}

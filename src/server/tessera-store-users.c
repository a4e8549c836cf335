/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-store"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "tessera-store-private.h"

/* Users, sessions and the organisation's settings. */

#define MAX_USERNAME_LENGTH 64
#define MAX_PASSWORD_LENGTH 1024
/* A username someone typed wrongly goes into the audit trail; keep that bounded. */
#define MAX_AUDITED_USERNAME 64

static gboolean
username_is_valid (const char *username)
{
  gsize length = strlen (username);

  if (length == 0 || length > MAX_USERNAME_LENGTH)
    return FALSE;

  /* Login names end up in audit lines, headers and file names: keep them plain. */
  for (const char *p = username; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._@-", *p) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
tessera_store_add_user (TesseraStore  *self,
                        const char    *username,
                        const char    *display_name,
                        TesseraRole    role,
                        const char    *password,
                        GError       **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *detail = NULL;
  STORE_STMT exists = NULL;
  STORE_STMT insert = NULL;
  const char *role_name;
  int rc;

  g_return_val_if_fail (TESSERA_IS_STORE (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  role_name = tessera_enum_to_string (TESSERA_TYPE_ROLE, role);
  if (role_name == NULL)
    {
      g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                           "The role must be admin or viewer");
      return FALSE;
    }
  if (!username_is_valid (username))
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                   "A username has 1 to %d characters: letters, digits and . _ @ -",
                   MAX_USERNAME_LENGTH);
      return FALSE;
    }
  if (password[0] == '\0' || strlen (password) > MAX_PASSWORD_LENGTH)
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                   "A password has 1 to %d characters", MAX_PASSWORD_LENGTH);
      return FALSE;
    }
  if (display_name == NULL || display_name[0] == '\0')
    display_name = username;

  /* Argon2id takes ~50 ms: do it before taking the write lock. */
  hash = tessera_server_crypto_hash_password (password, error);
  if (hash == NULL)
    return FALSE;

  if (!_tessera_store_begin (self, error))
    return FALSE;

  if (!(exists = _tessera_store_prepare (self, "SELECT 1 FROM users WHERE username = ?", error)))
    goto fail;
  _tessera_store_bind_text (exists, 1, username);
  if ((rc = _tessera_store_step (self, exists, error)) < 0)
    goto fail;
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_EXISTS,
                   "The user “%s” already exists", username);
      goto fail;
    }

  if (!(insert = _tessera_store_prepare (self,
                                         "INSERT INTO users (username, display_name, role, "
                                         "password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                                         error)))
    goto fail;
  _tessera_store_bind_text (insert, 1, username);
  _tessera_store_bind_text (insert, 2, display_name);
  _tessera_store_bind_text (insert, 3, role_name);
  _tessera_store_bind_text (insert, 4, hash);
  sqlite3_bind_int64 (insert, 5, self->now);
  if (!_tessera_store_exec_stmt (self, insert, error))
    goto fail;

  detail = g_strdup_printf ("role %s", role_name);
  if (!_tessera_store_audit_locked (self, TESSERA_STORE_ACTOR_SYSTEM, "user_added", username,
                                    NULL, detail, error))
    goto fail;

  return _tessera_store_commit (self, error);

fail:
  _tessera_store_rollback (self);
  return FALSE;
}

static TesseraUser *
user_from_row (sqlite3_stmt *stmt,
               int           first_column)
{
  int role = TESSERA_ROLE_VIEWER;

  /* An unknown role in the database gets the least power, never more. */
  if (!tessera_enum_from_string (TESSERA_TYPE_ROLE,
                                 _tessera_store_column_text (stmt, first_column + 2), &role))
    role = TESSERA_ROLE_VIEWER;

  return tessera_user_new (_tessera_store_column_text (stmt, first_column),
                           _tessera_store_column_text (stmt, first_column + 1),
                           role);
}

TesseraUser *
tessera_store_authenticate (TesseraStore  *self,
                            const char    *username,
                            const char    *password,
                            const char    *source_address,
                            GError       **error)
{
  g_autoptr(TesseraUser) user = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *audited_name = NULL;
  gboolean verified;
  int rc;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  {
    STORE_STMT stmt = _tessera_store_prepare (self,
                                              "SELECT username, display_name, role, "
                                              "password_hash FROM users WHERE username = ?",
                                              error);
    if (stmt == NULL)
      return NULL;
    _tessera_store_bind_text (stmt, 1, username);
    if ((rc = _tessera_store_step (self, stmt, error)) < 0)
      return NULL;
    if (rc == SQLITE_ROW)
      {
        user = user_from_row (stmt, 0);
        hash = g_strdup (_tessera_store_column_text (stmt, 3));
      }
  }

  /* Unknown users are verified against a dummy hash: same work, same time, same answer. */
  verified = strlen (password) <= MAX_PASSWORD_LENGTH &&
             tessera_server_crypto_verify_password (hash, password);
  if (verified)
    return g_steal_pointer (&user);

  audited_name = g_utf8_make_valid (username, MIN (strlen (username), MAX_AUDITED_USERNAME));
  if (!tessera_store_audit (self, audited_name, "sign_in_failed", audited_name, source_address,
                            user != NULL ? "wrong password" : "unknown user", error))
    return NULL;

  g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_CREDENTIALS,
                       "Wrong username or password");
  return NULL;
}

TesseraSession *
tessera_store_create_session (TesseraStore  *self,
                              TesseraUser   *user,
                              const char    *source_address,
                              GError       **error)
{
  g_autoptr(GDateTime) expires_at = NULL;
  g_autofree char *session_id = NULL;
  guint8 token_hash[TESSERA_SERVER_CRYPTO_HASH_BYTES];
  STORE_STMT stmt = NULL;
  TesseraSession *session;
  char *token;
  gint64 expires;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (TESSERA_IS_USER (user), NULL);

  token = tessera_server_crypto_new_token ();
  tessera_server_crypto_hash_token (self->crypto, token, token_hash);
  session_id = tessera_server_crypto_new_id ("ses_");

  if (!_tessera_store_begin (self, error))
    goto fail_unlocked;

  expires = self->now + TESSERA_STORE_SESSION_TTL_USEC;
  if (!(stmt = _tessera_store_prepare (self,
                                       "INSERT INTO sessions (id, token_hash, username, "
                                       "created_at, expires_at, source_address) "
                                       "VALUES (?, ?, ?, ?, ?, ?)",
                                       error)))
    goto fail;
  _tessera_store_bind_text (stmt, 1, session_id);
  _tessera_store_bind_blob (stmt, 2, token_hash, sizeof token_hash);
  _tessera_store_bind_text (stmt, 3, tessera_user_get_username (user));
  sqlite3_bind_int64 (stmt, 4, self->now);
  sqlite3_bind_int64 (stmt, 5, expires);
  _tessera_store_bind_text (stmt, 6, source_address);
  if (!_tessera_store_exec_stmt (self, stmt, error))
    goto fail;

  if (!_tessera_store_audit_locked (self, tessera_user_get_username (user), "session_created",
                                    session_id, source_address, NULL, error))
    goto fail;

  if (!_tessera_store_commit (self, error))
    goto fail_unlocked;

  expires_at = tessera_datetime_new_unix_usec (expires);
  session = tessera_session_new (token, expires_at, user);
  tessera_server_crypto_free_secret (token);
  return session;

fail:
  _tessera_store_rollback (self);
fail_unlocked:
  tessera_server_crypto_free_secret (token);
  return NULL;
}

TesseraUser *
tessera_store_lookup_session (TesseraStore  *self,
                              const char    *token,
                              GError       **error)
{
  guint8 token_hash[TESSERA_SERVER_CRYPTO_HASH_BYTES];
  STORE_STMT stmt = NULL;
  int rc;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);

  tessera_server_crypto_hash_token (self->crypto, token, token_hash);

  if (!(stmt = _tessera_store_prepare (self,
                                       "SELECT u.username, u.display_name, u.role, "
                                       "s.token_hash FROM sessions AS s "
                                       "JOIN users AS u ON u.username = s.username "
                                       "WHERE s.token_hash = ? AND s.expires_at > ?",
                                       error)))
    return NULL;
  _tessera_store_bind_blob (stmt, 1, token_hash, sizeof token_hash);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  if ((rc = _tessera_store_step (self, stmt, error)) < 0)
    return NULL;

  if (rc != SQLITE_ROW ||
      sqlite3_column_bytes (stmt, 3) != sizeof token_hash ||
      sodium_memcmp (sqlite3_column_blob (stmt, 3), token_hash, sizeof token_hash) != 0)
    {
      g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_AUTHORIZED,
                           "The session is unknown, expired or signed out");
      return NULL;
    }

  return user_from_row (stmt, 0);
}

gboolean
tessera_store_revoke_session (TesseraStore  *self,
                              const char    *token,
                              const char    *source_address,
                              GError       **error)
{
  guint8 token_hash[TESSERA_SERVER_CRYPTO_HASH_BYTES];
  g_autofree char *session_id = NULL;
  g_autofree char *username = NULL;
  int rc;

  g_return_val_if_fail (TESSERA_IS_STORE (self), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  tessera_server_crypto_hash_token (self->crypto, token, token_hash);

  if (!_tessera_store_begin (self, error))
    return FALSE;

  {
    STORE_STMT select = _tessera_store_prepare (self,
                                                "SELECT id, username FROM sessions "
                                                "WHERE token_hash = ? AND expires_at > ?",
                                                error);
    if (select == NULL)
      goto fail;
    _tessera_store_bind_blob (select, 1, token_hash, sizeof token_hash);
    sqlite3_bind_int64 (select, 2, self->now);
    if ((rc = _tessera_store_step (self, select, error)) < 0)
      goto fail;
    if (rc == SQLITE_ROW)
      {
        session_id = g_strdup (_tessera_store_column_text (select, 0));
        username = g_strdup (_tessera_store_column_text (select, 1));
      }
  }

  if (session_id == NULL)
    {
      g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_AUTHORIZED,
                           "The session is unknown, expired or signed out");
      goto fail;
    }

  {
    STORE_STMT delete = _tessera_store_prepare (self, "DELETE FROM sessions WHERE id = ?", error);
    if (delete == NULL)
      goto fail;
    _tessera_store_bind_text (delete, 1, session_id);
    if (!_tessera_store_exec_stmt (self, delete, error))
      goto fail;
  }

  if (!_tessera_store_audit_locked (self, username, "session_revoked", session_id,
                                    source_address, NULL, error))
    goto fail;

  return _tessera_store_commit (self, error);

fail:
  _tessera_store_rollback (self);
  return FALSE;
}

/* Settings */

TesseraSettings *
_tessera_store_load_settings (TesseraStore  *self,
                              GError       **error)
{
  g_autoptr(TesseraSettings) settings = NULL;
  STORE_STMT stmt = NULL;
  int rc;

  if (!(stmt = _tessera_store_prepare (self,
                                       "SELECT otp_validity_hours, auto_approve, "
                                       "separation_of_duties FROM settings WHERE id = 1",
                                       error)))
    return NULL;
  if ((rc = _tessera_store_step (self, stmt, error)) < 0)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      g_set_error_literal (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_FAILED,
                           "The settings row is missing from the database");
      return NULL;
    }

  settings = tessera_settings_new ();
  tessera_settings_set_otp_validity_hours (settings, sqlite3_column_int (stmt, 0));
  tessera_settings_set_auto_approve (settings, sqlite3_column_int (stmt, 1) != 0);
  tessera_settings_set_separation_of_duties (settings, sqlite3_column_int (stmt, 2) != 0);
  return g_steal_pointer (&settings);
}

TesseraSettings *
tessera_store_get_settings (TesseraStore  *self,
                            GError       **error)
{
  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);

  return _tessera_store_load_settings (self, error);
}

static void
describe_change (GString    *detail,
                 const char *name,
                 const char *before,
                 const char *after)
{
  if (g_str_equal (before, after))
    return;
  if (detail->len > 0)
    g_string_append (detail, ", ");
  g_string_append_printf (detail, "%s %s → %s", name, before, after);
}

TesseraSettings *
tessera_store_update_settings (TesseraStore                *self,
                               TesseraUser                 *actor,
                               const TesseraSettingsPatch  *patch,
                               const char                  *source_address,
                               GError                     **error)
{
  g_autoptr(TesseraSettings) before = NULL;
  g_autoptr(TesseraSettings) after = NULL;
  g_autoptr(GString) detail = NULL;
  g_autofree char *hours_before = NULL;
  g_autofree char *hours_after = NULL;
  STORE_STMT stmt = NULL;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (TESSERA_IS_USER (actor), NULL);
  g_return_val_if_fail (patch != NULL, NULL);

  if (patch->has_otp_validity_hours &&
      (patch->otp_validity_hours < TESSERA_SETTINGS_MIN_OTP_VALIDITY_HOURS ||
       patch->otp_validity_hours > TESSERA_SETTINGS_MAX_OTP_VALIDITY_HOURS))
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                   "otp_validity_hours must be from %d to %d",
                   TESSERA_SETTINGS_MIN_OTP_VALIDITY_HOURS,
                   TESSERA_SETTINGS_MAX_OTP_VALIDITY_HOURS);
      return NULL;
    }

  if (!_tessera_store_begin (self, error))
    return NULL;

  if (!(before = _tessera_store_load_settings (self, error)))
    goto fail;
  after = _tessera_store_load_settings (self, error);
  if (after == NULL)
    goto fail;

  if (!tessera_settings_apply_patch (after, patch))
    {
      /* Nothing changes: nothing to write, audit or announce. */
      _tessera_store_rollback (self);
      return g_steal_pointer (&after);
    }

  if (!(stmt = _tessera_store_prepare (self,
                                       "UPDATE settings SET otp_validity_hours = ?, "
                                       "auto_approve = ?, separation_of_duties = ? WHERE id = 1",
                                       error)))
    goto fail;
  sqlite3_bind_int (stmt, 1, tessera_settings_get_otp_validity_hours (after));
  sqlite3_bind_int (stmt, 2, tessera_settings_get_auto_approve (after));
  sqlite3_bind_int (stmt, 3, tessera_settings_get_separation_of_duties (after));
  if (!_tessera_store_exec_stmt (self, stmt, error))
    goto fail;

  detail = g_string_new (NULL);
  hours_before = g_strdup_printf ("%u", tessera_settings_get_otp_validity_hours (before));
  hours_after = g_strdup_printf ("%u", tessera_settings_get_otp_validity_hours (after));
  describe_change (detail, "otp_validity_hours", hours_before, hours_after);
  describe_change (detail, "auto_approve",
                   tessera_settings_get_auto_approve (before) ? "on" : "off",
                   tessera_settings_get_auto_approve (after) ? "on" : "off");
  describe_change (detail, "separation_of_duties",
                   tessera_settings_get_separation_of_duties (before) ? "on" : "off",
                   tessera_settings_get_separation_of_duties (after) ? "on" : "off");

  if (!_tessera_store_audit_locked (self, tessera_user_get_username (actor), "settings_updated",
                                    "settings", source_address, detail->str, error))
    goto fail;

  self->settings_changed = TRUE;
  if (!_tessera_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&after);

fail:
  _tessera_store_rollback (self);
  return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-store"

#include "config.h"

#include <string.h>

#include "tessera-store-private.h"

/* Resource accounts: listing, one account with its history, and import. */

#define DEFAULT_PAGE 200

#define ACCOUNT_COLUMNS \
  "id, display_name, upn, site, license, readiness_issues, readiness, provisioning, " \
  "otp_id, issued_by, otp_expires_at, request_id, updated_at"

/*
 * The filters as SQL. A NULL parameter switches its filter off, so one statement serves every
 * combination. Masks become lists like ",ready,change_settings," searched with instr().
 */
#define ACCOUNT_FILTERS \
  "(?3 IS NULL OR instr(search_key, ?3) > 0) " \
  "AND (?4 IS NULL OR instr(?4, ',' || readiness || ',') > 0) " \
  "AND (?5 IS NULL OR instr(?5, ',' || provisioning || ',') > 0) " \
  "AND (?6 IS NULL OR updated_at > ?6) "

/*
 * Two statements rather than "(?1 IS NULL OR (display_name, id) > (?1, ?2))": SQLite cannot
 * seek the name index through an OR, and every later page would walk all earlier rows again.
 */
static const char sql_list_first[] =
  "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE " ACCOUNT_FILTERS
  "ORDER BY display_name, id LIMIT ?7";
static const char sql_list_next[] =
  "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE (display_name, id) > (?1, ?2) "
  "AND " ACCOUNT_FILTERS "ORDER BY display_name, id LIMIT ?7";
static const char sql_count[] =
  "SELECT COUNT(*) FROM accounts WHERE " ACCOUNT_FILTERS;

char *
_tessera_store_fold (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_DEFAULT_COMPOSE);

  return g_utf8_casefold (normalized != NULL ? normalized : valid, -1);
}

static char *
make_search_key (const char *display_name,
                 const char *upn,
                 const char *site)
{
  g_autofree char *name_key = _tessera_store_fold (display_name);
  g_autofree char *upn_key = _tessera_store_fold (upn);
  g_autofree char *site_key = _tessera_store_fold (site);

  /* The separator cannot be typed into a search, so no match spans two fields. */
  return g_strconcat (name_key, "\x1f", upn_key, "\x1f", site_key, NULL);
}

static TesseraAccount *
account_from_row (sqlite3_stmt *stmt)
{
  g_auto(GStrv) issues = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  TesseraAccount *account;
  const char *issues_text = _tessera_store_column_text (stmt, 5);
  int readiness = TESSERA_READINESS_NO_VALID_LICENSE;
  int provisioning = TESSERA_PROVISIONING_NOT_STARTED;

  if (issues_text != NULL && issues_text[0] != '\0')
    issues = g_strsplit (issues_text, ";", -1);

  account = tessera_account_new (_tessera_store_column_text (stmt, 0),
                                 _tessera_store_column_text (stmt, 1),
                                 _tessera_store_column_text (stmt, 2),
                                 _tessera_store_column_text (stmt, 3),
                                 _tessera_store_column_text (stmt, 4),
                                 (const char * const *) issues);

  /* The CHECK constraints keep these valid; the fallbacks only guard a damaged database. */
  if (tessera_enum_from_string (TESSERA_TYPE_READINESS, _tessera_store_column_text (stmt, 6),
                                &readiness))
    tessera_account_set_readiness (account, readiness);
  tessera_enum_from_string (TESSERA_TYPE_PROVISIONING_STATE,
                            _tessera_store_column_text (stmt, 7), &provisioning);

  expires_at = _tessera_store_column_datetime (stmt, 10);
  tessera_account_set_provisioning (account, provisioning,
                                    _tessera_store_column_text (stmt, 8),
                                    _tessera_store_column_text (stmt, 9),
                                    expires_at,
                                    _tessera_store_column_text (stmt, 11));
  tessera_account_set_updated_at_unix_usec (account, sqlite3_column_int64 (stmt, 12));
  return account;
}

TesseraAccount *
_tessera_store_load_account (TesseraStore  *self,
                             const char    *account_id,
                             GError       **error)
{
  STORE_STMT stmt = NULL;
  int rc;

  if (!(stmt = _tessera_store_prepare (self,
                                       "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?",
                                       error)))
    return NULL;
  _tessera_store_bind_text (stmt, 1, account_id);
  if ((rc = _tessera_store_step (self, stmt, error)) < 0)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_FOUND,
                   "There is no account “%s”", account_id);
      return NULL;
    }
  return account_from_row (stmt);
}

TesseraAccount *
tessera_store_get_account (TesseraStore  *self,
                           const char    *account_id,
                           GError       **error)
{
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GPtrArray) otps = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  if (!_tessera_store_apply_expiry (self, error))
    return NULL;

  if (!(account = _tessera_store_load_account (self, account_id, error)) ||
      !(otps = _tessera_store_load_account_otps (self, account_id, error)) ||
      !(requests = _tessera_store_load_account_requests (self, account_id, error)))
    return NULL;

  tessera_account_set_otps (account, otps);
  tessera_account_set_requests (account, requests);
  return g_steal_pointer (&account);
}

GDateTime *
tessera_store_get_newest_update (TesseraStore  *self,
                                 GError       **error)
{
  STORE_STMT stmt = NULL;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);

  /* Expiry first: it stamps the accounts it changes. */
  if (!_tessera_store_apply_expiry (self, error))
    return NULL;
  if (!(stmt = _tessera_store_prepare (self, "SELECT MAX(updated_at) FROM accounts", error)) ||
      _tessera_store_step (self, stmt, error) != SQLITE_ROW)
    return NULL;
  return _tessera_store_column_datetime (stmt, 0);
}

/* ",ready,no_valid_license," for a mask, or NULL when the mask is 0 (no filter). */
static char *
mask_to_list (GType enum_type,
              guint mask)
{
  g_autoptr(GEnumClass) klass = NULL;
  GString *list;

  if (mask == 0)
    return NULL;

  klass = g_type_class_ref (enum_type);
  list = g_string_new (",");
  for (guint i = 0; i < klass->n_values; i++)
    {
      int value = klass->values[i].value;

      if (value >= 0 && value < 32 && (mask & (1u << value)) != 0)
        g_string_append_printf (list, "%s,", klass->values[i].value_nick);
    }
  /* A mask of unknown bits only stays a filter: it matches nothing. */
  return g_string_free (list, FALSE);
}

typedef struct {
  char   *query;
  char   *readiness;
  char   *provisioning;
  gint64  updated_since;
  gboolean has_updated_since;
} AccountQuery;

static void
account_query_clear (AccountQuery *query)
{
  g_clear_pointer (&query->query, g_free);
  g_clear_pointer (&query->readiness, g_free);
  g_clear_pointer (&query->provisioning, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AccountQuery, account_query_clear)

static void
account_query_init (AccountQuery               *query,
                    const TesseraAccountFilter *filter)
{
  memset (query, 0, sizeof *query);
  if (filter == NULL)
    return;

  if (filter->query != NULL && filter->query[0] != '\0')
    query->query = _tessera_store_fold (filter->query);
  query->readiness = mask_to_list (TESSERA_TYPE_READINESS, filter->readiness_mask);
  query->provisioning = mask_to_list (TESSERA_TYPE_PROVISIONING_STATE, filter->provisioning_mask);
  if (filter->updated_since != NULL)
    {
      query->has_updated_since = TRUE;
      query->updated_since = tessera_datetime_to_unix_usec (filter->updated_since);
    }
}

static guint32
account_query_hash (const AccountQuery *query)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf ("accounts\x1f%s\x1f%s\x1f%s\x1f%d:%" G_GINT64_FORMAT,
                          query->query ? query->query : "",
                          query->readiness ? query->readiness : "",
                          query->provisioning ? query->provisioning : "",
                          query->has_updated_since, query->updated_since);
  return g_str_hash (text);
}

static void
account_query_bind (const AccountQuery *query,
                    sqlite3_stmt       *stmt)
{
  _tessera_store_bind_text (stmt, 3, query->query);
  _tessera_store_bind_text (stmt, 4, query->readiness);
  _tessera_store_bind_text (stmt, 5, query->provisioning);
  if (query->has_updated_since)
    sqlite3_bind_int64 (stmt, 6, query->updated_since);
  else
    sqlite3_bind_null (stmt, 6);
}

/*
 * @total is the number of accounts matching the filter when the first page was read; later
 * pages carry that number in the cursor instead of counting again (a count is a full scan
 * with a text filter, and 100 pages would make 100 scans). Rows changed while paging show
 * up or drop out by their sort key, as keyset pagination always does.
 */
GPtrArray *
tessera_store_list_accounts (TesseraStore               *self,
                             const TesseraAccountFilter *filter,
                             const char                 *cursor,
                             guint                       limit,
                             char                      **next_cursor,
                             guint                      *total,
                             GError                    **error)
{
  g_auto(AccountQuery) query = { 0, };
  g_autoptr(GPtrArray) accounts = NULL;
  TesseraStoreCursor position = { 0, };
  STORE_STMT stmt = NULL;
  gboolean more = FALSE;
  guint32 hash;
  guint n_total;
  int rc;

  g_return_val_if_fail (TESSERA_IS_STORE (self), NULL);
  g_return_val_if_fail (next_cursor != NULL, NULL);
  g_return_val_if_fail (total != NULL, NULL);

  *next_cursor = NULL;
  limit = limit == 0 ? DEFAULT_PAGE : MIN (limit, TESSERA_STORE_MAX_PAGE);

  account_query_init (&query, filter);
  hash = account_query_hash (&query);

  if (cursor != NULL && !_tessera_store_cursor_decode (cursor, hash, &position, error))
    return NULL;

  if (!_tessera_store_apply_expiry (self, error))
    goto out;

  if (cursor != NULL)
    {
      n_total = position.total;
      if (!(stmt = _tessera_store_prepare (self, sql_list_next, error)))
        goto out;
      _tessera_store_bind_text (stmt, 1, position.text_key1);
      _tessera_store_bind_text (stmt, 2, position.text_key2);
    }
  else
    {
      STORE_STMT count = NULL;

      if (!(count = _tessera_store_prepare (self, sql_count, error)))
        goto out;
      account_query_bind (&query, count);
      if ((rc = _tessera_store_step (self, count, error)) != SQLITE_ROW)
        goto out;
      n_total = sqlite3_column_int (count, 0);

      if (!(stmt = _tessera_store_prepare (self, sql_list_first, error)))
        goto out;
    }
  account_query_bind (&query, stmt);
  /* One row more than asked for tells whether another page follows. */
  sqlite3_bind_int (stmt, 7, limit + 1);

  accounts = g_ptr_array_new_full (limit, g_object_unref);
  while ((rc = _tessera_store_step (self, stmt, error)) == SQLITE_ROW)
    {
      if (accounts->len == limit)
        {
          more = TRUE;
          break;
        }
      g_ptr_array_add (accounts, account_from_row (stmt));
    }
  if (rc < 0)
    {
      g_clear_pointer (&accounts, g_ptr_array_unref);
      goto out;
    }

  if (more)
    {
      TesseraAccount *last = g_ptr_array_index (accounts, accounts->len - 1);
      TesseraStoreCursor next = {
        .total = n_total,
        .text_key1 = (char *) tessera_account_get_display_name (last),
        .text_key2 = (char *) tessera_account_get_id (last),
      };

      *next_cursor = _tessera_store_cursor_encode (&next, hash);
    }
  *total = n_total;

out:
  _tessera_store_cursor_clear (&position);
  return g_steal_pointer (&accounts);
}

/* Import */

static gboolean
set_invalid_account (GError     **error,
                     guint        index,
                     const char  *upn,
                     const char  *problem)
{
  if (upn != NULL && upn[0] != '\0')
    g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                 "Account %s: %s", upn, problem);
  else
    g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                 "Account number %u: %s", index + 1, problem);
  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* An account the API's decoders would refuse (tessera-json.h) would make every page that
 * carries it unreadable to the client: it is never stored. */
static gboolean
fits_the_api (TesseraAccount *account)
{
  const char * const *issues = tessera_account_get_readiness_issues (account);
  const char *license = tessera_account_get_license (account);
  guint n_issues = issues != NULL ? g_strv_length ((char **) issues) : 0;

  if (strlen (tessera_account_get_upn (account)) > TESSERA_MAX_NAME_LENGTH ||
      strlen (tessera_account_get_display_name (account)) > TESSERA_MAX_NAME_LENGTH ||
      strlen (tessera_account_get_site (account)) > TESSERA_MAX_NAME_LENGTH ||
      (license != NULL && strlen (license) > TESSERA_MAX_NAME_LENGTH) ||
      n_issues > TESSERA_MAX_READINESS_ISSUES)
    return FALSE;

  for (guint i = 0; i < n_issues; i++)
    if (strlen (issues[i]) > TESSERA_MAX_NAME_LENGTH)
      return FALSE;

  return TRUE;
}

/* Checks every account before anything is written; names the first problem found. */
static gboolean
validate_import (GPtrArray  *accounts,
                 GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < accounts->len; i++)
    {
      TesseraAccount *account = g_ptr_array_index (accounts, i);
      const char *upn = tessera_account_get_upn (account);
      const char * const *issues = tessera_account_get_readiness_issues (account);
      char *upn_key;

      if (is_blank (upn))
        return set_invalid_account (error, i, NULL, "the UPN is empty");
      if (!g_utf8_validate (upn, -1, NULL) ||
          !g_utf8_validate (tessera_account_get_display_name (account), -1, NULL) ||
          !g_utf8_validate (tessera_account_get_site (account), -1, NULL))
        return set_invalid_account (error, i, NULL, "a field is not valid UTF-8");
      if (is_blank (tessera_account_get_display_name (account)))
        return set_invalid_account (error, i, upn, "the display name is empty");
      if (is_blank (tessera_account_get_site (account)))
        return set_invalid_account (error, i, upn, "the site is empty");
      for (guint j = 0; issues != NULL && issues[j] != NULL; j++)
        if (is_blank (issues[j]) || strchr (issues[j], ';') != NULL)
          return set_invalid_account (error, i, upn,
                                      "a readiness issue code is empty or contains “;”");
      if (!fits_the_api (account))
        return set_invalid_account (error, i, upn, "a field is longer than API v1 carries "
                                    "(256 bytes, 64 readiness issues)");

      upn_key = _tessera_store_fold (upn);
      if (!g_hash_table_add (seen, upn_key))
        return set_invalid_account (error, i, upn, "the UPN appears more than once");
    }
  return TRUE;
}

/*
 * Upsert by UPN (compared case-insensitively): a new UPN adds an account; a known one updates
 * its name, site, licence and readiness issues and keeps its id, OTPs and requests. A live
 * OTP is left alone even if the account is no longer ready: readiness is checked when OTPs are
 * issued, and revoking is the admin's decision. Unchanged rows are not touched, so
 * updated_since only reports real changes.
 */
gboolean
_tessera_store_import_locked (TesseraStore  *self,
                              GPtrArray     *accounts,
                              guint         *n_added,
                              guint         *n_updated,
                              GError       **error)
{
  sqlite3_stmt *select;
  sqlite3_stmt *insert;
  sqlite3_stmt *update;

  g_assert (self->in_transaction);

  *n_added = 0;
  *n_updated = 0;

  if (!validate_import (accounts, error))
    return FALSE;

  if (!(select = _tessera_store_prepare (self,
                                         "SELECT id, display_name, upn, site, license, "
                                         "readiness_issues FROM accounts WHERE upn_key = ?",
                                         error)) ||
      !(insert = _tessera_store_prepare (self,
                                         "INSERT INTO accounts (id, display_name, upn, upn_key, "
                                         "site, license, readiness_issues, readiness, "
                                         "search_key, created_at, updated_at) "
                                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                         error)) ||
      !(update = _tessera_store_prepare (self,
                                         "UPDATE accounts SET display_name = ?2, upn = ?3, "
                                         "site = ?4, license = ?5, readiness_issues = ?6, "
                                         "readiness = ?7, search_key = ?8, updated_at = ?9 "
                                         "WHERE id = ?1",
                                         error)))
    return FALSE;

  for (guint i = 0; i < accounts->len; i++)
    {
      TesseraAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *name = g_strstrip (g_strdup (tessera_account_get_display_name (account)));
      g_autofree char *upn = g_strstrip (g_strdup (tessera_account_get_upn (account)));
      g_autofree char *site = g_strstrip (g_strdup (tessera_account_get_site (account)));
      g_autofree char *license = NULL;
      g_autofree char *issues = NULL;
      g_autofree char *upn_key = _tessera_store_fold (upn);
      g_autofree char *search_key = make_search_key (name, upn, site);
      g_autofree char *existing_id = NULL;
      TesseraReadiness derived;
      const char *readiness;
      gboolean unchanged = FALSE;
      gboolean ok;
      gint64 stamp;
      int rc;

      if (!is_blank (tessera_account_get_license (account)))
        license = g_strstrip (g_strdup (tessera_account_get_license (account)));
      issues = g_strjoinv (";", (char **) tessera_account_get_readiness_issues (account));
      g_strstrip (issues);
      derived = tessera_readiness_derive (license, tessera_account_get_readiness_issues (account));
      readiness = tessera_enum_to_string (TESSERA_TYPE_READINESS, derived);

      _tessera_store_bind_text (select, 1, upn_key);
      rc = _tessera_store_step (self, select, error);
      if (rc == SQLITE_ROW)
        {
          existing_id = g_strdup (_tessera_store_column_text (select, 0));
          unchanged = g_strcmp0 (_tessera_store_column_text (select, 1), name) == 0 &&
                      g_strcmp0 (_tessera_store_column_text (select, 2), upn) == 0 &&
                      g_strcmp0 (_tessera_store_column_text (select, 3), site) == 0 &&
                      g_strcmp0 (_tessera_store_column_text (select, 4), license) == 0 &&
                      g_strcmp0 (_tessera_store_column_text (select, 5), issues) == 0;
        }
      _tessera_store_stmt_release (&select);
      if (rc < 0)
        return FALSE;

      if (unchanged)
        continue;

      if (!_tessera_store_next_stamp (self, &stamp, error))
        return FALSE;

      if (existing_id != NULL)
        {
          _tessera_store_bind_text (update, 1, existing_id);
          _tessera_store_bind_text (update, 2, name);
          _tessera_store_bind_text (update, 3, upn);
          _tessera_store_bind_text (update, 4, site);
          _tessera_store_bind_text (update, 5, license);
          _tessera_store_bind_text (update, 6, issues);
          _tessera_store_bind_text (update, 7, readiness);
          _tessera_store_bind_text (update, 8, search_key);
          sqlite3_bind_int64 (update, 9, stamp);
          ok = _tessera_store_exec_stmt (self, update, error);
          _tessera_store_stmt_release (&update);
          if (!ok)
            return FALSE;
          _tessera_store_note_account (self, existing_id);
          (*n_updated)++;
        }
      else
        {
          g_autofree char *id = tessera_server_crypto_new_id ("acc_");

          _tessera_store_bind_text (insert, 1, id);
          _tessera_store_bind_text (insert, 2, name);
          _tessera_store_bind_text (insert, 3, upn);
          _tessera_store_bind_text (insert, 4, upn_key);
          _tessera_store_bind_text (insert, 5, site);
          _tessera_store_bind_text (insert, 6, license);
          _tessera_store_bind_text (insert, 7, issues);
          _tessera_store_bind_text (insert, 8, readiness);
          _tessera_store_bind_text (insert, 9, search_key);
          sqlite3_bind_int64 (insert, 10, self->now);
          sqlite3_bind_int64 (insert, 11, stamp);
          ok = _tessera_store_exec_stmt (self, insert, error);
          _tessera_store_stmt_release (&insert);
          if (!ok)
            return FALSE;
          _tessera_store_note_account (self, id);
          (*n_added)++;
        }
    }

  return TRUE;
}

guint
tessera_store_import_accounts (TesseraStore  *self,
                               GPtrArray     *accounts,
                               GError       **error)
{
  g_autofree char *detail = NULL;
  guint n_added = 0;
  guint n_updated = 0;

  g_return_val_if_fail (TESSERA_IS_STORE (self), 0);
  g_return_val_if_fail (accounts != NULL, 0);

  if (!_tessera_store_begin (self, error))
    return 0;

  if (!_tessera_store_import_locked (self, accounts, &n_added, &n_updated, error))
    goto fail;

  detail = g_strdup_printf ("%u accounts: %u added, %u updated, %u unchanged",
                            accounts->len, n_added, n_updated,
                            accounts->len - n_added - n_updated);
  if (!_tessera_store_audit_locked (self, TESSERA_STORE_ACTOR_SYSTEM, "accounts_imported",
                                    NULL, NULL, detail, error))
    goto fail;

  if (!_tessera_store_commit (self, error))
    return 0;
  return accounts->len;

fail:
  _tessera_store_rollback (self);
  return 0;
}

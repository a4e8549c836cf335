/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-accounts-model"

#include "config.h"

#include <string.h>

#include "tessera-accounts-model-private.h"

/*
 * The keys of TesseraAccountsModel and its comparisons: what a search compares (folded once
 * per account), the name's collate key, and the column sorters that find an entry's keys
 * through the pair being compared.
 */

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

/*
 * What a search compares: normalised (NFC) and case-folded, as the server folds for its `q`
 * filter, so the list and GET /api/v1/accounts?q= agree on what matches.
 */
char *
_tessera_accounts_fold (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *normalized = NULL;

  if (text == NULL)
    return g_strdup ("");
  if (is_ascii (text))
    return g_ascii_strdown (text, -1);

  valid = g_utf8_make_valid (text, -1);
  normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  return g_utf8_casefold (normalized != NULL ? normalized : valid, -1);
}

/* Sites are few and interned, so their collate keys are made once for the process */
static const char *
site_collate_key (const char *site)
{
  static GHashTable *cache;
  const char *key;

  if (site == NULL)
    site = "";
  if G_UNLIKELY (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  key = g_hash_table_lookup (cache, site);
  if (key == NULL)
    {
      char *collate = g_utf8_collate_key (site, -1);

      g_hash_table_insert (cache, g_strdup (site), collate);
      key = collate;
    }

  return key;
}

void
_tessera_accounts_entry_make_keys (TesseraAccountsEntry *entry)
{
  TesseraAccount *account = entry->account;
  const char *display_name = tessera_account_get_display_name (account);
  g_autofree char *name = _tessera_accounts_fold (display_name);
  g_autofree char *upn = _tessera_accounts_fold (tessera_account_get_upn (account));
  g_autofree char *site = _tessera_accounts_fold (tessera_account_get_site (account));
  g_autofree char *collate = g_utf8_collate_key (display_name != NULL ? display_name : "", -1);
  gsize name_len = strlen (name), upn_len = strlen (upn), site_len = strlen (site);
  gsize collate_len = strlen (collate);
  char *p;

  g_free (entry->keys);
  entry->keys = p = g_malloc (name_len + 1 + upn_len + 1 + site_len + 1 + collate_len + 1);
  /* \x1f cannot be typed into a search, so no match spans two fields */
  memcpy (p, name, name_len);
  p += name_len;
  *p++ = '\x1f';
  memcpy (p, upn, upn_len);
  p += upn_len;
  *p++ = '\x1f';
  memcpy (p, site, site_len);
  p += site_len;
  *p++ = '\0';
  entry->collate_offset = p - entry->keys;
  memcpy (p, collate, collate_len + 1);

  entry->site_key = site_collate_key (tessera_account_get_site (account));
}

/* Comparisons */

static int
compare_names (const TesseraAccountsEntry *a,
               const TesseraAccountsEntry *b)
{
  int result = strcmp (a->keys + a->collate_offset, b->keys + b->collate_offset);

  if (result != 0)
    return result;
  /* Two rooms may share a name; the id keeps the order total and stable */
  return g_strcmp0 (tessera_account_get_id (a->account), tessera_account_get_id (b->account));
}

/* Needs attention first: awaiting approval, then live OTPs, then finished, then never started */
static int
provisioning_rank (TesseraProvisioningState state)
{
  switch (state)
    {
    case TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL: return 0;
    case TESSERA_PROVISIONING_OTP_ISSUED:            return 1;
    case TESSERA_PROVISIONING_OTP_REJECTED:          return 2;
    case TESSERA_PROVISIONING_OTP_EXPIRED:           return 3;
    case TESSERA_PROVISIONING_OTP_REVOKED:           return 4;
    case TESSERA_PROVISIONING_PROVISIONED:           return 5;
    case TESSERA_PROVISIONING_NOT_STARTED:           return 6;
    default:                                         return 7;
    }
}

static int
compare_entries_by_column (const TesseraAccountsEntry *a,
                           const TesseraAccountsEntry *b,
                           TesseraAccountsColumn       column)
{
  switch (column)
    {
    case TESSERA_ACCOUNTS_COLUMN_NAME:
      return compare_names (a, b);

    case TESSERA_ACCOUNTS_COLUMN_SITE:
      return strcmp (a->site_key, b->site_key);

    case TESSERA_ACCOUNTS_COLUMN_READINESS:
      return (int) tessera_account_get_readiness (a->account) -
             (int) tessera_account_get_readiness (b->account);

    case TESSERA_ACCOUNTS_COLUMN_PROVISIONING:
      return provisioning_rank (tessera_account_get_provisioning_state (a->account)) -
             provisioning_rank (tessera_account_get_provisioning_state (b->account));

    case TESSERA_ACCOUNTS_COLUMN_UPDATED:
      {
        gint64 ua = tessera_account_get_updated_at_unix_usec (a->account);
        gint64 ub = tessera_account_get_updated_at_unix_usec (b->account);

        return (ua > ub) - (ua < ub);
      }

    default:
      g_assert_not_reached ();
    }
}

/* The entry of @account: the pair being compared, else a lookup; NULL when not in the model */
static const TesseraAccountsEntry *
find_entry_for_account (TesseraAccountsModel *self,
                        TesseraAccount       *account)
{
  if G_LIKELY (self->cmp_a != NULL && self->cmp_a->account == account)
    return self->cmp_a;
  if G_LIKELY (self->cmp_b != NULL && self->cmp_b->account == account)
    return self->cmp_b;
  return g_hash_table_lookup (self->by_id, tessera_account_get_id (account));
}

static int
compare_column (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  TesseraAccountsSorterData *data = user_data;
  const TesseraAccountsEntry *ea = NULL, *eb = NULL;
  TesseraAccountsEntry tmp_a = { 0 }, tmp_b = { 0 };
  int result;

  if (data->model != NULL)
    {
      ea = find_entry_for_account (data->model, (TesseraAccount *) a);
      eb = find_entry_for_account (data->model, (TesseraAccount *) b);
    }

  /* Accounts this model does not hold (or the model is gone): make their keys now */
  if (ea == NULL)
    {
      tmp_a.account = (TesseraAccount *) a;
      _tessera_accounts_entry_make_keys (&tmp_a);
      ea = &tmp_a;
    }
  if (eb == NULL)
    {
      tmp_b.account = (TesseraAccount *) b;
      _tessera_accounts_entry_make_keys (&tmp_b);
      eb = &tmp_b;
    }

  result = compare_entries_by_column (ea, eb, data->column);

  g_free (tmp_a.keys);
  g_free (tmp_b.keys);
  return result;
}

void
_tessera_accounts_sorter_data_release (TesseraAccountsSorterData *data)
{
  g_rc_box_release (data);
}

GtkSorter *
tessera_accounts_model_create_sorter (TesseraAccountsModel  *self,
                                      TesseraAccountsColumn  column)
{
  TesseraAccountsSorterData *data;

  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), NULL);
  g_return_val_if_fail (column <= TESSERA_ACCOUNTS_COLUMN_UPDATED, NULL);

  data = g_rc_box_new0 (TesseraAccountsSorterData);
  data->model = self;
  data->column = column;
  g_ptr_array_add (self->sorter_data, g_rc_box_acquire (data));

  return GTK_SORTER (gtk_custom_sorter_new (compare_column, data,
                                            (GDestroyNotify)
                                            _tessera_accounts_sorter_data_release));
}

int
_tessera_accounts_model_compare (TesseraAccountsModel       *self,
                                 const TesseraAccountsEntry *a,
                                 const TesseraAccountsEntry *b)
{
  if (a == b)
    return 0;

  if (self->sorter != NULL && !self->sorter_is_none)
    {
      GtkOrdering order;

      self->cmp_a = a;
      self->cmp_b = b;
      order = gtk_sorter_compare (self->sorter, a->account, b->account);
      self->cmp_a = self->cmp_b = NULL;

      if (order != GTK_ORDERING_EQUAL)
        return order;
    }

  return compare_names (a, b);
}

int
_tessera_accounts_model_compare_ptrs (gconstpointer a,
                                      gconstpointer b,
                                      gpointer      user_data)
{
  return _tessera_accounts_model_compare (user_data,
                                          *(TesseraAccountsEntry **) a,
                                          *(TesseraAccountsEntry **) b);
}

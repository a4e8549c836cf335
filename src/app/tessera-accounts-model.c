/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-accounts-model"

#include "config.h"

#include <string.h>

#include "tessera-accounts-model.h"

/*
 * Storage: one Entry per account (16 bytes: the account and two flags), in `all` (sorted) and,
 * when it passes the filters, in `visible` (sorted the same way). The sort and search keys are
 * kept on the account itself (qdata, one allocation), so the column sorters need no model and
 * a key is computed once per account and again only when its name, UPN or site changes.
 */

typedef struct {
  TesseraAccount *account;  /* owned */
  guint           matches : 1;
  guint           selected : 1;
  /* in the batch being added; not yet in `all` or `visible` */
  guint           pending : 1;
} Entry;

/* search key ("name\x1fupn\x1fsite", case-folded), NUL, collate key of the name, NUL */
typedef struct {
  guint32 collate_offset;
  char    data[];
} AccountKeys;

struct _TesseraAccountsModel
{
  GObject     parent_instance;

  GPtrArray  *all;              /* Entry*, owned, sorted */
  GPtrArray  *visible;          /* Entry*, borrowed from all, sorted */
  GHashTable *by_id;            /* id (owned copy) → Entry* */

  char       *query;            /* as set */
  char       *folded_query;     /* as matched */
  int         readiness_filter;
  int         provisioning_filter;

  GtkSorter  *sorter;           /* owned, may be NULL */
  gboolean    sorter_is_none;   /* the sorter sorts nothing: fall back to names only */

  guint       n_selected;
  guint       provisioning_counts[TESSERA_PROVISIONING_OTP_REVOKED + 1];
  gint64      newest_update;
};

static void tessera_accounts_model_list_model_init      (GListModelInterface        *iface);
static void tessera_accounts_model_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TesseraAccountsModel, tessera_accounts_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tessera_accounts_model_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      tessera_accounts_model_selection_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_N_ACCOUNTS,
  PROP_N_SELECTED,
  PROP_N_AWAITING_APPROVAL,
  PROP_QUERY,
  PROP_READINESS_FILTER,
  PROP_PROVISIONING_FILTER,
  PROP_SORTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GQuark
account_keys_quark (void)
{
  static GQuark quark;

  if G_UNLIKELY (quark == 0)
    quark = g_quark_from_static_string ("tessera-accounts-model-keys");
  return quark;
}

/* Keys */

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

/* What a search compares: case-folded and normalised, so "Å" finds "å" and "ﬁ" finds "fi" */
static char *
fold_for_search (const char *text)
{
  g_autofree char *normalized = NULL;

  if (text == NULL)
    return g_strdup ("");
  if (is_ascii (text))
    return g_ascii_strdown (text, -1);

  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (normalized == NULL)
    return g_strdup ("");
  return g_utf8_casefold (normalized, -1);
}

static AccountKeys *
account_keys_new (TesseraAccount *account)
{
  g_autofree char *name = fold_for_search (tessera_account_get_display_name (account));
  g_autofree char *upn = fold_for_search (tessera_account_get_upn (account));
  g_autofree char *site = fold_for_search (tessera_account_get_site (account));
  g_autofree char *collate = NULL;
  gsize name_len = strlen (name), upn_len = strlen (upn), site_len = strlen (site);
  gsize search_len = name_len + 1 + upn_len + 1 + site_len;
  gsize collate_len;
  AccountKeys *keys;
  char *p;

  collate = g_utf8_collate_key (tessera_account_get_display_name (account) ?: "", -1);
  collate_len = strlen (collate);

  keys = g_malloc (sizeof (AccountKeys) + search_len + 1 + collate_len + 1);
  p = keys->data;
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
  keys->collate_offset = p - keys->data;
  memcpy (p, collate, collate_len + 1);

  return keys;
}

static const AccountKeys *
account_keys_get (TesseraAccount *account)
{
  AccountKeys *keys = g_object_get_qdata (G_OBJECT (account), account_keys_quark ());

  if G_UNLIKELY (keys == NULL)
    {
      keys = account_keys_new (account);
      g_object_set_qdata_full (G_OBJECT (account), account_keys_quark (), keys, g_free);
    }

  return keys;
}

static void
account_keys_invalidate (TesseraAccount *account)
{
  g_object_set_qdata (G_OBJECT (account), account_keys_quark (), NULL);
}

/* Sites are few and interned, so their collate keys are cached once for the process */
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

/* Comparisons */

static int
compare_names (TesseraAccount *a,
               TesseraAccount *b)
{
  const AccountKeys *ka = account_keys_get (a);
  const AccountKeys *kb = account_keys_get (b);
  int result = strcmp (ka->data + ka->collate_offset, kb->data + kb->collate_offset);

  if (result != 0)
    return result;
  /* Two rooms may share a name; the id keeps the order total and stable */
  return g_strcmp0 (tessera_account_get_id (a), tessera_account_get_id (b));
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
compare_column (gconstpointer a_ptr,
                gconstpointer b_ptr,
                gpointer      user_data)
{
  TesseraAccount *a = (TesseraAccount *) a_ptr;
  TesseraAccount *b = (TesseraAccount *) b_ptr;
  TesseraAccountsColumn column = GPOINTER_TO_INT (user_data);

  switch (column)
    {
    case TESSERA_ACCOUNTS_COLUMN_NAME:
      return compare_names (a, b);

    case TESSERA_ACCOUNTS_COLUMN_SITE:
      return strcmp (site_collate_key (tessera_account_get_site (a)),
                     site_collate_key (tessera_account_get_site (b)));

    case TESSERA_ACCOUNTS_COLUMN_READINESS:
      return (int) tessera_account_get_readiness (a) - (int) tessera_account_get_readiness (b);

    case TESSERA_ACCOUNTS_COLUMN_PROVISIONING:
      return provisioning_rank (tessera_account_get_provisioning_state (a)) -
             provisioning_rank (tessera_account_get_provisioning_state (b));

    case TESSERA_ACCOUNTS_COLUMN_UPDATED:
      {
        gint64 ua = tessera_account_get_updated_at_unix_usec (a);
        gint64 ub = tessera_account_get_updated_at_unix_usec (b);

        return (ua > ub) - (ua < ub);
      }

    default:
      g_assert_not_reached ();
    }
}

GtkSorter *
tessera_accounts_model_create_sorter (TesseraAccountsColumn column)
{
  g_return_val_if_fail (column <= TESSERA_ACCOUNTS_COLUMN_UPDATED, NULL);

  return GTK_SORTER (gtk_custom_sorter_new (compare_column, GINT_TO_POINTER (column), NULL));
}

static int
compare_entries (TesseraAccountsModel *self,
                 const Entry          *a,
                 const Entry          *b)
{
  if (a == b)
    return 0;

  if (self->sorter != NULL && !self->sorter_is_none)
    {
      GtkOrdering order = gtk_sorter_compare (self->sorter, a->account, b->account);

      if (order != GTK_ORDERING_EQUAL)
        return order;
    }

  return compare_names (a->account, b->account);
}

static int
compare_entry_ptrs (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  return compare_entries (user_data, *(Entry **) a, *(Entry **) b);
}

/* The first position in @array whose entry sorts after @entry */
static guint
find_insert_position (TesseraAccountsModel *self,
                      GPtrArray            *array,
                      const Entry          *entry)
{
  guint low = 0, high = array->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (compare_entries (self, g_ptr_array_index (array, mid), entry) < 0)
        low = mid + 1;
      else
        high = mid;
    }

  return low;
}

/* Where @entry is in @array; the order is total, so a binary search finds it */
static guint
find_entry (TesseraAccountsModel *self,
            GPtrArray            *array,
            const Entry          *entry)
{
  guint position = find_insert_position (self, array, entry);

  if G_LIKELY (position < array->len && g_ptr_array_index (array, position) == entry)
    return position;

  /* Someone changed an account behind our back and the order is stale: look everywhere */
  if (!g_ptr_array_find (array, entry, &position))
    g_assert_not_reached ();
  return position;
}

static gboolean
is_in_order (TesseraAccountsModel *self,
             GPtrArray            *array,
             guint                 position)
{
  Entry *entry = g_ptr_array_index (array, position);

  if (position > 0 && compare_entries (self, g_ptr_array_index (array, position - 1), entry) > 0)
    return FALSE;
  if (position + 1 < array->len &&
      compare_entries (self, entry, g_ptr_array_index (array, position + 1)) > 0)
    return FALSE;
  return TRUE;
}

/* Filtering */

static gboolean
entry_matches (TesseraAccountsModel *self,
               const Entry          *entry)
{
  TesseraAccount *account = entry->account;

  if (self->readiness_filter != TESSERA_ACCOUNTS_FILTER_ANY &&
      (int) tessera_account_get_readiness (account) != self->readiness_filter)
    return FALSE;

  if (self->provisioning_filter != TESSERA_ACCOUNTS_FILTER_ANY &&
      (int) tessera_account_get_provisioning_state (account) != self->provisioning_filter)
    return FALSE;

  if (self->folded_query[0] != '\0')
    return strstr (account_keys_get (account)->data, self->folded_query) != NULL;

  return TRUE;
}

/*
 * Replaces `visible` by @visible and announces the difference as one items-changed covering
 * only the span between the common head and tail, so rows outside it keep their widgets.
 */
static void
replace_visible (TesseraAccountsModel *self,
                 GPtrArray            *visible)
{
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->visible);
  guint old_len = old->len, new_len = visible->len;
  guint head = 0, tail = 0;

  self->visible = g_ptr_array_ref (visible);

  while (head < old_len && head < new_len && old->pdata[head] == visible->pdata[head])
    head++;
  while (tail < old_len - head && tail < new_len - head &&
         old->pdata[old_len - 1 - tail] == visible->pdata[new_len - 1 - tail])
    tail++;

  if (head == old_len && head == new_len)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), head,
                              old_len - head - tail, new_len - head - tail);
  if (old_len != new_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* @narrowing: the new filters can only drop accounts, so only the current matches are tested */
static void
refilter (TesseraAccountsModel *self,
          gboolean              narrowing)
{
  GPtrArray *source = narrowing ? self->visible : self->all;
  g_autoptr(GPtrArray) visible = g_ptr_array_sized_new (narrowing ? source->len : 1024);

  for (guint i = 0; i < source->len; i++)
    {
      Entry *entry = g_ptr_array_index (source, i);

      entry->matches = entry_matches (self, entry);
      if (entry->matches)
        g_ptr_array_add (visible, entry);
    }

  replace_visible (self, visible);
}

static void
resort (TesseraAccountsModel *self)
{
  g_autoptr(GPtrArray) visible = g_ptr_array_sized_new (self->visible->len);

  g_ptr_array_sort_with_data (self->all, compare_entry_ptrs, self);

  for (guint i = 0; i < self->all->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->all, i);

      if (entry->matches)
        g_ptr_array_add (visible, entry);
    }

  replace_visible (self, visible);
}

static void
on_sorter_changed (TesseraAccountsModel *self,
                   GtkSorterChange       change,
                   GtkSorter            *sorter)
{
  self->sorter_is_none = gtk_sorter_get_order (sorter) == GTK_SORTER_ORDER_NONE;
  resort (self);
}

/* Entries */

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->account);
  g_slice_free (Entry, entry);
}

static void
count_account (TesseraAccountsModel *self,
               TesseraAccount       *account,
               int                   delta)
{
  TesseraProvisioningState state = tessera_account_get_provisioning_state (account);
  gint64 updated = tessera_account_get_updated_at_unix_usec (account);

  if (state < G_N_ELEMENTS (self->provisioning_counts))
    self->provisioning_counts[state] += delta;
  if (delta > 0 && updated > self->newest_update)
    self->newest_update = updated;
}

static guint
count_awaiting (TesseraAccountsModel *self)
{
  return self->provisioning_counts[TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL];
}

static Entry *
entry_new (TesseraAccountsModel *self,
           TesseraAccount       *account)
{
  Entry *entry = g_slice_new0 (Entry);

  entry->account = g_object_ref (account);
  g_hash_table_insert (self->by_id, g_strdup (tessera_account_get_id (account)), entry);
  count_account (self, account, +1);
  /* the keys are made here, in the batch, rather than in the middle of the first sort */
  account_keys_get (account);

  return entry;
}

static void
insert_one (TesseraAccountsModel *self,
            Entry                *entry)
{
  g_ptr_array_insert (self->all, find_insert_position (self, self->all, entry), entry);

  entry->matches = entry_matches (self, entry);
  if (entry->matches)
    {
      guint position = find_insert_position (self, self->visible, entry);

      g_ptr_array_insert (self->visible, position, entry);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

/* Merges sorted @fresh into `all` and its matches into `visible`: O(n) per batch */
static void
merge (TesseraAccountsModel *self,
       GPtrArray            *fresh)
{
  GPtrArray *all;
  g_autoptr(GPtrArray) visible = NULL;
  guint i = 0, j = 0;

  g_ptr_array_sort_with_data (fresh, compare_entry_ptrs, self);

  all = g_ptr_array_sized_new (self->all->len + fresh->len);
  g_ptr_array_set_free_func (all, (GDestroyNotify) entry_free);
  while (i < self->all->len || j < fresh->len)
    {
      if (j == fresh->len ||
          (i < self->all->len &&
           compare_entries (self, self->all->pdata[i], fresh->pdata[j]) < 0))
        g_ptr_array_add (all, self->all->pdata[i++]);
      else
        g_ptr_array_add (all, fresh->pdata[j++]);
    }
  /* the entries moved to the new array; drop the old one without freeing them */
  g_ptr_array_set_free_func (self->all, NULL);
  g_ptr_array_unref (self->all);
  self->all = all;

  visible = g_ptr_array_sized_new (self->visible->len + fresh->len);
  i = j = 0;
  while (i < self->visible->len || j < fresh->len)
    {
      Entry *entry;

      if (j < fresh->len && !((Entry *) fresh->pdata[j])->matches)
        {
          j++;
          continue;
        }

      if (j == fresh->len ||
          (i < self->visible->len &&
           compare_entries (self, self->visible->pdata[i], fresh->pdata[j]) < 0))
        entry = self->visible->pdata[i++];
      else
        entry = fresh->pdata[j++];
      g_ptr_array_add (visible, entry);
    }

  replace_visible (self, visible);
}

static void
update_one (TesseraAccountsModel *self,
            Entry                *entry,
            TesseraAccount       *fresh)
{
  TesseraAccount *account = entry->account;
  gboolean keys_changed;
  gboolean was_visible = entry->matches;
  guint all_position = 0, visible_position = 0;

  if (account == fresh)
    return;

  keys_changed =
    g_strcmp0 (tessera_account_get_display_name (account),
               tessera_account_get_display_name (fresh)) != 0 ||
    g_strcmp0 (tessera_account_get_upn (account), tessera_account_get_upn (fresh)) != 0 ||
    g_strcmp0 (tessera_account_get_site (account), tessera_account_get_site (fresh)) != 0;

  /* positions are found while the account still has its old keys */
  if (!entry->pending)
    {
      all_position = find_entry (self, self->all, entry);
      if (was_visible)
        visible_position = find_entry (self, self->visible, entry);
    }

  count_account (self, account, -1);
  if (!tessera_account_update_from (account, fresh) && !keys_changed)
    {
      count_account (self, account, +1);
      return;
    }
  if (keys_changed)
    account_keys_invalidate (account);
  count_account (self, account, +1);

  if (entry->pending)
    return;

  if (!is_in_order (self, self->all, all_position))
    {
      g_ptr_array_remove_index (self->all, all_position);
      g_ptr_array_insert (self->all, find_insert_position (self, self->all, entry), entry);
    }

  entry->matches = entry_matches (self, entry);

  /* The common case: the row stays where it is and follows notify:: by itself */
  if (was_visible && entry->matches && is_in_order (self, self->visible, visible_position))
    return;

  if (was_visible)
    {
      g_ptr_array_remove_index (self->visible, visible_position);
      g_list_model_items_changed (G_LIST_MODEL (self), visible_position, 1, 0);
    }
  if (entry->matches)
    {
      guint position = find_insert_position (self, self->visible, entry);

      g_ptr_array_insert (self->visible, position, entry);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
    }
  if (was_visible != entry->matches)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Below this many new accounts, inserting one by one is cheaper than merging */
#define MERGE_THRESHOLD 32

void
tessera_accounts_model_add (TesseraAccountsModel  *self,
                            TesseraAccount *const *accounts,
                            guint                  n_accounts)
{
  g_autoptr(GPtrArray) fresh = NULL;
  guint old_awaiting, old_n_accounts;

  g_return_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self));
  g_return_if_fail (accounts != NULL || n_accounts == 0);

  old_awaiting = count_awaiting (self);
  old_n_accounts = self->all->len;
  fresh = g_ptr_array_new ();

  for (guint i = 0; i < n_accounts; i++)
    {
      TesseraAccount *account = accounts[i];
      const char *id;
      Entry *entry;

      g_return_if_fail (TESSERA_IS_ACCOUNT (account));

      id = tessera_account_get_id (account);
      if (id == NULL)
        {
          g_warning ("Ignoring an account without an id");
          continue;
        }

      entry = g_hash_table_lookup (self->by_id, id);
      if (entry != NULL)
        {
          update_one (self, entry, account);
          continue;
        }

      entry = entry_new (self, account);
      entry->pending = TRUE;
      g_ptr_array_add (fresh, entry);
    }

  for (guint i = 0; i < fresh->len; i++)
    {
      Entry *entry = g_ptr_array_index (fresh, i);

      entry->pending = FALSE;
      entry->matches = entry_matches (self, entry);
    }

  if (fresh->len < MERGE_THRESHOLD)
    {
      for (guint i = 0; i < fresh->len; i++)
        insert_one (self, g_ptr_array_index (fresh, i));
    }
  else
    {
      merge (self, fresh);
    }

  if (self->all->len != old_n_accounts)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACCOUNTS]);
  if (count_awaiting (self) != old_awaiting)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_AWAITING_APPROVAL]);
}

void
tessera_accounts_model_update (TesseraAccountsModel *self,
                               TesseraAccount       *account)
{
  g_return_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self));
  g_return_if_fail (TESSERA_IS_ACCOUNT (account));

  tessera_accounts_model_add (self, &account, 1);
}

void
tessera_accounts_model_remove_all (TesseraAccountsModel *self)
{
  guint old_len;
  guint old_selected;

  g_return_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self));

  old_len = self->visible->len;
  old_selected = self->n_selected;

  g_ptr_array_set_size (self->visible, 0);
  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->all, 0);
  memset (self->provisioning_counts, 0, sizeof self->provisioning_counts);
  self->newest_update = 0;
  self->n_selected = 0;

  if (old_len > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACCOUNTS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_AWAITING_APPROVAL]);
  if (old_selected > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
}

TesseraAccount *
tessera_accounts_model_lookup (TesseraAccountsModel *self,
                               const char           *id)
{
  Entry *entry;

  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  entry = g_hash_table_lookup (self->by_id, id);
  return entry != NULL ? entry->account : NULL;
}

guint
tessera_accounts_model_get_n_accounts (TesseraAccountsModel *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), 0);

  return self->all->len;
}

guint
tessera_accounts_model_count_provisioning (TesseraAccountsModel     *self,
                                           TesseraProvisioningState  state)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), 0);
  g_return_val_if_fail (state < G_N_ELEMENTS (self->provisioning_counts), 0);

  return self->provisioning_counts[state];
}

gint64
tessera_accounts_model_get_newest_update (TesseraAccountsModel *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), 0);

  return self->newest_update;
}

const char *
tessera_accounts_model_get_query (TesseraAccountsModel *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), NULL);

  return self->query;
}

void
tessera_accounts_model_set_query (TesseraAccountsModel *self,
                                  const char           *query)
{
  g_autofree char *folded = NULL;
  gboolean narrowing;

  g_return_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self));

  if (query == NULL)
    query = "";
  if (g_strcmp0 (self->query, query) == 0)
    return;

  g_free (self->query);
  self->query = g_strdup (query);

  folded = fold_for_search (query);
  /* Searching for "oslo 4" finds a subset of what "oslo" found */
  narrowing = strstr (folded, self->folded_query) != NULL;
  g_free (self->folded_query);
  self->folded_query = g_steal_pointer (&folded);

  refilter (self, narrowing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

int
tessera_accounts_model_get_readiness_filter (TesseraAccountsModel *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), TESSERA_ACCOUNTS_FILTER_ANY);

  return self->readiness_filter;
}

void
tessera_accounts_model_set_readiness_filter (TesseraAccountsModel *self,
                                             int                   readiness)
{
  gboolean narrowing;

  g_return_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self));
  g_return_if_fail (readiness >= TESSERA_ACCOUNTS_FILTER_ANY &&
                    readiness <= TESSERA_READINESS_NO_VALID_LICENSE);

  if (self->readiness_filter == readiness)
    return;

  narrowing = self->readiness_filter == TESSERA_ACCOUNTS_FILTER_ANY;
  self->readiness_filter = readiness;
  refilter (self, narrowing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READINESS_FILTER]);
}

int
tessera_accounts_model_get_provisioning_filter (TesseraAccountsModel *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), TESSERA_ACCOUNTS_FILTER_ANY);

  return self->provisioning_filter;
}

void
tessera_accounts_model_set_provisioning_filter (TesseraAccountsModel *self,
                                                int                   state)
{
  gboolean narrowing;

  g_return_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self));
  g_return_if_fail (state >= TESSERA_ACCOUNTS_FILTER_ANY &&
                    state <= TESSERA_PROVISIONING_OTP_REVOKED);

  if (self->provisioning_filter == state)
    return;

  narrowing = self->provisioning_filter == TESSERA_ACCOUNTS_FILTER_ANY;
  self->provisioning_filter = state;
  refilter (self, narrowing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVISIONING_FILTER]);
}

gboolean
tessera_accounts_model_matches (TesseraAccountsModel *self,
                                TesseraAccount       *account)
{
  Entry entry = { .account = account };

  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), FALSE);
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (account), FALSE);

  return entry_matches (self, &entry);
}

GtkSorter *
tessera_accounts_model_get_sorter (TesseraAccountsModel *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), NULL);

  return self->sorter;
}

void
tessera_accounts_model_set_sorter (TesseraAccountsModel *self,
                                   GtkSorter            *sorter)
{
  g_return_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self));
  g_return_if_fail (sorter == NULL || GTK_IS_SORTER (sorter));

  if (self->sorter == sorter)
    return;

  if (self->sorter != NULL)
    g_signal_handlers_disconnect_by_func (self->sorter, on_sorter_changed, self);
  g_set_object (&self->sorter, sorter);
  if (sorter != NULL)
    {
      g_signal_connect_object (sorter, "changed", G_CALLBACK (on_sorter_changed), self,
                               G_CONNECT_SWAPPED);
      self->sorter_is_none = gtk_sorter_get_order (sorter) == GTK_SORTER_ORDER_NONE;
    }

  resort (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORTER]);
}

/* Selection */

guint
tessera_accounts_model_get_n_selected (TesseraAccountsModel *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), 0);

  return self->n_selected;
}

GPtrArray *
tessera_accounts_model_get_selected (TesseraAccountsModel *self)
{
  GPtrArray *selected;

  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), NULL);

  selected = g_ptr_array_new_full (self->n_selected, g_object_unref);
  for (guint i = 0; i < self->all->len && selected->len < self->n_selected; i++)
    {
      Entry *entry = g_ptr_array_index (self->all, i);

      if (entry->selected)
        g_ptr_array_add (selected, g_object_ref (entry->account));
    }

  return selected;
}

/* Tracks the span of visible positions whose selection changed, for one selection-changed */
typedef struct {
  guint first;
  guint last;
  guint n_changed;
} Span;

#define SPAN_INIT { G_MAXUINT, 0, 0 }

static void
set_entry_selected (TesseraAccountsModel *self,
                    Entry                *entry,
                    gboolean              selected,
                    guint                 position,
                    Span                 *span)
{
  if (entry->selected == !!selected)
    return;

  entry->selected = !!selected;
  self->n_selected += selected ? 1 : -1;
  span->n_changed++;
  if (position != G_MAXUINT)
    {
      span->first = MIN (span->first, position);
      span->last = MAX (span->last, position);
    }
}

static void
finish_span (TesseraAccountsModel *self,
             const Span           *span)
{
  if (span->n_changed == 0)
    return;

  if (span->first <= span->last)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), span->first,
                                           span->last - span->first + 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
}

/* Unselects every account outside the visible span [@keep, @keep + @n_keep) */
static void
unselect_rest (TesseraAccountsModel *self,
               guint                 keep,
               guint                 n_keep,
               Span                 *span)
{
  guint n_kept = 0;

  if (self->n_selected == 0)
    return;

  for (guint i = 0; i < self->visible->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->visible, i);

      if (i < keep || i - keep >= n_keep)
        set_entry_selected (self, entry, FALSE, i, span);
      else if (entry->selected)
        n_kept++;
    }

  /* hidden accounts: no row shows them, so no selection-changed either */
  for (guint i = 0; i < self->all->len && self->n_selected > n_kept; i++)
    {
      Entry *entry = g_ptr_array_index (self->all, i);

      if (!entry->matches)
        set_entry_selected (self, entry, FALSE, G_MAXUINT, span);
    }
}

gboolean
tessera_accounts_model_get_account_selected (TesseraAccountsModel *self,
                                             TesseraAccount       *account)
{
  Entry *entry;

  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), FALSE);
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (account), FALSE);

  entry = g_hash_table_lookup (self->by_id, tessera_account_get_id (account));
  return entry != NULL && entry->selected;
}

void
tessera_accounts_model_set_account_selected (TesseraAccountsModel *self,
                                             TesseraAccount       *account,
                                             gboolean              selected)
{
  Span span = SPAN_INIT;
  Entry *entry;

  g_return_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self));
  g_return_if_fail (TESSERA_IS_ACCOUNT (account));

  entry = g_hash_table_lookup (self->by_id, tessera_account_get_id (account));
  if (entry == NULL || entry->selected == !!selected)
    return;

  set_entry_selected (self, entry, selected,
                      entry->matches ? find_entry (self, self->visible, entry) : G_MAXUINT,
                      &span);
  finish_span (self, &span);
}

static gboolean
tessera_accounts_model_is_selected (GtkSelectionModel *model,
                                    guint              position)
{
  TesseraAccountsModel *self = TESSERA_ACCOUNTS_MODEL (model);

  if (position >= self->visible->len)
    return FALSE;
  return ((Entry *) g_ptr_array_index (self->visible, position))->selected;
}

static GtkBitset *
tessera_accounts_model_get_selection_in_range (GtkSelectionModel *model,
                                               guint              position,
                                               guint              n_items)
{
  TesseraAccountsModel *self = TESSERA_ACCOUNTS_MODEL (model);
  GtkBitset *bitset = gtk_bitset_new_empty ();
  guint end = MIN ((guint64) position + n_items, self->visible->len);

  if (self->n_selected == 0)
    return bitset;

  for (guint i = position; i < end; i++)
    if (((Entry *) g_ptr_array_index (self->visible, i))->selected)
      gtk_bitset_add (bitset, i);

  return bitset;
}

static gboolean
set_range (TesseraAccountsModel *self,
           guint                 position,
           guint                 n_items,
           gboolean              selected,
           gboolean              exclusive)
{
  Span span = SPAN_INIT;
  guint end = MIN ((guint64) position + n_items, self->visible->len);

  if (exclusive)
    unselect_rest (self, position, n_items, &span);

  for (guint i = position; i < end; i++)
    set_entry_selected (self, g_ptr_array_index (self->visible, i), selected, i, &span);

  finish_span (self, &span);
  return TRUE;
}

static gboolean
tessera_accounts_model_select_item (GtkSelectionModel *model,
                                    guint              position,
                                    gboolean           exclusive)
{
  return set_range (TESSERA_ACCOUNTS_MODEL (model), position, 1, TRUE, exclusive);
}

static gboolean
tessera_accounts_model_unselect_item (GtkSelectionModel *model,
                                      guint              position)
{
  return set_range (TESSERA_ACCOUNTS_MODEL (model), position, 1, FALSE, FALSE);
}

static gboolean
tessera_accounts_model_select_range (GtkSelectionModel *model,
                                     guint              position,
                                     guint              n_items,
                                     gboolean           exclusive)
{
  return set_range (TESSERA_ACCOUNTS_MODEL (model), position, n_items, TRUE, exclusive);
}

static gboolean
tessera_accounts_model_unselect_range (GtkSelectionModel *model,
                                       guint              position,
                                       guint              n_items)
{
  return set_range (TESSERA_ACCOUNTS_MODEL (model), position, n_items, FALSE, FALSE);
}

static gboolean
tessera_accounts_model_select_all (GtkSelectionModel *model)
{
  TesseraAccountsModel *self = TESSERA_ACCOUNTS_MODEL (model);

  return set_range (self, 0, self->visible->len, TRUE, FALSE);
}

static gboolean
tessera_accounts_model_unselect_all (GtkSelectionModel *model)
{
  TesseraAccountsModel *self = TESSERA_ACCOUNTS_MODEL (model);
  Span span = SPAN_INIT;

  unselect_rest (self, 0, 0, &span);
  finish_span (self, &span);
  return TRUE;
}

static gboolean
tessera_accounts_model_set_selection (GtkSelectionModel *model,
                                      GtkBitset         *selected,
                                      GtkBitset         *mask)
{
  TesseraAccountsModel *self = TESSERA_ACCOUNTS_MODEL (model);
  Span span = SPAN_INIT;
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, mask, &position);
       more && position < self->visible->len;
       more = gtk_bitset_iter_next (&iter, &position))
    set_entry_selected (self, g_ptr_array_index (self->visible, position),
                        gtk_bitset_contains (selected, position), position, &span);

  finish_span (self, &span);
  return TRUE;
}

static void
tessera_accounts_model_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = tessera_accounts_model_is_selected;
  iface->get_selection_in_range = tessera_accounts_model_get_selection_in_range;
  iface->select_item = tessera_accounts_model_select_item;
  iface->unselect_item = tessera_accounts_model_unselect_item;
  iface->select_range = tessera_accounts_model_select_range;
  iface->unselect_range = tessera_accounts_model_unselect_range;
  iface->select_all = tessera_accounts_model_select_all;
  iface->unselect_all = tessera_accounts_model_unselect_all;
  iface->set_selection = tessera_accounts_model_set_selection;
}

/* GListModel */

static GType
tessera_accounts_model_get_item_type (GListModel *model)
{
  return TESSERA_TYPE_ACCOUNT;
}

static guint
tessera_accounts_model_get_n_items (GListModel *model)
{
  return TESSERA_ACCOUNTS_MODEL (model)->visible->len;
}

static gpointer
tessera_accounts_model_get_item (GListModel *model,
                                 guint       position)
{
  TesseraAccountsModel *self = TESSERA_ACCOUNTS_MODEL (model);

  if (position >= self->visible->len)
    return NULL;
  return g_object_ref (((Entry *) g_ptr_array_index (self->visible, position))->account);
}

static void
tessera_accounts_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tessera_accounts_model_get_item_type;
  iface->get_n_items = tessera_accounts_model_get_n_items;
  iface->get_item = tessera_accounts_model_get_item;
}

/* GObject */

static void
tessera_accounts_model_dispose (GObject *object)
{
  TesseraAccountsModel *self = (TesseraAccountsModel *) object;

  if (self->sorter != NULL)
    g_signal_handlers_disconnect_by_func (self->sorter, on_sorter_changed, self);
  g_clear_object (&self->sorter);

  G_OBJECT_CLASS (tessera_accounts_model_parent_class)->dispose (object);
}

static void
tessera_accounts_model_finalize (GObject *object)
{
  TesseraAccountsModel *self = (TesseraAccountsModel *) object;

  g_clear_pointer (&self->visible, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->all, g_ptr_array_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->folded_query, g_free);

  G_OBJECT_CLASS (tessera_accounts_model_parent_class)->finalize (object);
}

static void
tessera_accounts_model_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TesseraAccountsModel *self = TESSERA_ACCOUNTS_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->visible->len);
      break;

    case PROP_N_ACCOUNTS:
      g_value_set_uint (value, self->all->len);
      break;

    case PROP_N_SELECTED:
      g_value_set_uint (value, self->n_selected);
      break;

    case PROP_N_AWAITING_APPROVAL:
      g_value_set_uint (value, count_awaiting (self));
      break;

    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;

    case PROP_READINESS_FILTER:
      g_value_set_int (value, self->readiness_filter);
      break;

    case PROP_PROVISIONING_FILTER:
      g_value_set_int (value, self->provisioning_filter);
      break;

    case PROP_SORTER:
      g_value_set_object (value, self->sorter);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_accounts_model_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TesseraAccountsModel *self = TESSERA_ACCOUNTS_MODEL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      tessera_accounts_model_set_query (self, g_value_get_string (value));
      break;

    case PROP_READINESS_FILTER:
      tessera_accounts_model_set_readiness_filter (self, g_value_get_int (value));
      break;

    case PROP_PROVISIONING_FILTER:
      tessera_accounts_model_set_provisioning_filter (self, g_value_get_int (value));
      break;

    case PROP_SORTER:
      tessera_accounts_model_set_sorter (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_accounts_model_class_init (TesseraAccountsModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tessera_accounts_model_dispose;
  object_class->finalize = tessera_accounts_model_finalize;
  object_class->get_property = tessera_accounts_model_get_property;
  object_class->set_property = tessera_accounts_model_set_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ACCOUNTS] =
    g_param_spec_uint ("n-accounts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_SELECTED] =
    g_param_spec_uint ("n-selected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_AWAITING_APPROVAL] =
    g_param_spec_uint ("n-awaiting-approval", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READINESS_FILTER] =
    g_param_spec_int ("readiness-filter", NULL, NULL,
                      TESSERA_ACCOUNTS_FILTER_ANY, TESSERA_READINESS_NO_VALID_LICENSE,
                      TESSERA_ACCOUNTS_FILTER_ANY,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVISIONING_FILTER] =
    g_param_spec_int ("provisioning-filter", NULL, NULL,
                      TESSERA_ACCOUNTS_FILTER_ANY, TESSERA_PROVISIONING_OTP_REVOKED,
                      TESSERA_ACCOUNTS_FILTER_ANY,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORTER] =
    g_param_spec_object ("sorter", NULL, NULL, GTK_TYPE_SORTER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_accounts_model_init (TesseraAccountsModel *self)
{
  self->all = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->visible = g_ptr_array_new ();
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->query = g_strdup ("");
  self->folded_query = g_strdup ("");
  self->readiness_filter = TESSERA_ACCOUNTS_FILTER_ANY;
  self->provisioning_filter = TESSERA_ACCOUNTS_FILTER_ANY;
}

TesseraAccountsModel *
tessera_accounts_model_new (void)
{
  return g_object_new (TESSERA_TYPE_ACCOUNTS_MODEL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-accounts-model"

#include "config.h"

#include <string.h>

#include "tessera-accounts-model-private.h"

/*
 * Storage: one entry per account (the account, its keys and two flags), in `all` (sorted)
 * and, when it passes the filters, in `visible` (sorted the same way). The keys are made once
 * per account, in one allocation, and again only when its name, UPN or site changes.
 *
 * Sorting goes through the column view's sorter (gtk_sorter_compare), which calls the column
 * sorters this model made. Those get accounts, not entries; while the model compares two
 * entries it keeps them at hand (cmp_a, cmp_b), so a column sorter finds their keys with a
 * pointer comparison instead of a lookup — a sort makes ~1.7 million comparisons.
 */

static void tessera_accounts_model_list_model_init      (GListModelInterface        *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TesseraAccountsModel, tessera_accounts_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tessera_accounts_model_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      _tessera_accounts_model_selection_model_init))

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

/* The first position in @array whose entry sorts after @entry */
static guint
find_insert_position (TesseraAccountsModel       *self,
                      GPtrArray                  *array,
                      const TesseraAccountsEntry *entry)
{
  guint low = 0, high = array->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (_tessera_accounts_model_compare (self, g_ptr_array_index (array, mid), entry) < 0)
        low = mid + 1;
      else
        high = mid;
    }

  return low;
}

/* Where @entry is in @array; the order is total, so a binary search finds it */
guint
_tessera_accounts_model_find_entry (TesseraAccountsModel       *self,
                                    GPtrArray                  *array,
                                    const TesseraAccountsEntry *entry)
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
  TesseraAccountsEntry *entry = g_ptr_array_index (array, position);

  if (position > 0 &&
      _tessera_accounts_model_compare (self, g_ptr_array_index (array, position - 1), entry) > 0)
    return FALSE;
  if (position + 1 < array->len &&
      _tessera_accounts_model_compare (self, entry, g_ptr_array_index (array, position + 1)) > 0)
    return FALSE;
  return TRUE;
}

/* Filtering */

static gboolean
entry_matches (TesseraAccountsModel       *self,
               const TesseraAccountsEntry *entry)
{
  TesseraAccount *account = entry->account;

  if (self->readiness_filter != TESSERA_ACCOUNTS_FILTER_ANY &&
      (int) tessera_account_get_readiness (account) != self->readiness_filter)
    return FALSE;

  if (self->provisioning_filter != TESSERA_ACCOUNTS_FILTER_ANY &&
      (int) tessera_account_get_provisioning_state (account) != self->provisioning_filter)
    return FALSE;

  if (self->folded_query[0] != '\0')
    return strstr (entry->keys, self->folded_query) != NULL;

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
      TesseraAccountsEntry *entry = g_ptr_array_index (source, i);

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

  g_ptr_array_sort_with_data (self->all, _tessera_accounts_model_compare_ptrs, self);

  for (guint i = 0; i < self->all->len; i++)
    {
      TesseraAccountsEntry *entry = g_ptr_array_index (self->all, i);

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
entry_free (TesseraAccountsEntry *entry)
{
  g_clear_object (&entry->account);
  g_free (entry->keys);
  g_slice_free (TesseraAccountsEntry, entry);
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

static TesseraAccountsEntry *
entry_new (TesseraAccountsModel *self,
           TesseraAccount       *account)
{
  TesseraAccountsEntry *entry = g_slice_new0 (TesseraAccountsEntry);

  entry->account = g_object_ref (account);
  g_hash_table_insert (self->by_id, g_strdup (tessera_account_get_id (account)), entry);
  count_account (self, account, +1);
  _tessera_accounts_entry_make_keys (entry);

  return entry;
}

static void
insert_one (TesseraAccountsModel *self,
            TesseraAccountsEntry *entry)
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

/* The positions in @array where each entry of sorted @fresh goes (binary searches) */
static guint *
find_merge_positions (TesseraAccountsModel *self,
                      GPtrArray            *array,
                      GPtrArray            *fresh)
{
  guint *positions = g_new (guint, fresh->len);
  guint low = 0;

  for (guint j = 0; j < fresh->len; j++)
    {
      guint high = array->len;

      while (low < high)
        {
          guint mid = low + (high - low) / 2;

          if (_tessera_accounts_model_compare (self, g_ptr_array_index (array, mid),
                                               fresh->pdata[j]) < 0)
            low = mid + 1;
          else
            high = mid;
        }
      positions[j] = low;
    }

  return positions;
}

/* @array with the entries of sorted @fresh inserted at @positions, as a new array */
static GPtrArray *
merge_at (GPtrArray   *array,
          GPtrArray   *fresh,
          const guint *positions)
{
  GPtrArray *merged = g_ptr_array_sized_new (array->len + fresh->len);
  guint from = 0;

  for (guint j = 0; j < fresh->len; j++)
    {
      for (; from < positions[j]; from++)
        g_ptr_array_add (merged, array->pdata[from]);
      g_ptr_array_add (merged, fresh->pdata[j]);
    }
  for (; from < array->len; from++)
    g_ptr_array_add (merged, array->pdata[from]);

  return merged;
}

/*
 * Adds sorted @fresh to `all` and its matches to `visible`. Each new entry's place is found
 * by binary search (about 17 comparisons at 100 000), not by walking the whole list.
 */
static void
merge (TesseraAccountsModel *self,
       GPtrArray            *fresh)
{
  g_autoptr(GPtrArray) matching = g_ptr_array_sized_new (fresh->len);
  g_autoptr(GPtrArray) visible = NULL;
  g_autofree guint *positions = NULL;
  GPtrArray *all;

  g_ptr_array_sort_with_data (fresh, _tessera_accounts_model_compare_ptrs, self);

  positions = find_merge_positions (self, self->all, fresh);
  all = merge_at (self->all, fresh, positions);
  g_ptr_array_set_free_func (all, (GDestroyNotify) entry_free);
  /* the entries moved to the new array; drop the old one without freeing them */
  g_ptr_array_set_free_func (self->all, NULL);
  g_ptr_array_unref (self->all);
  self->all = all;

  for (guint j = 0; j < fresh->len; j++)
    if (((TesseraAccountsEntry *) fresh->pdata[j])->matches)
      g_ptr_array_add (matching, fresh->pdata[j]);
  if (matching->len == 0)
    return;

  g_clear_pointer (&positions, g_free);
  positions = find_merge_positions (self, self->visible, matching);
  visible = merge_at (self->visible, matching, positions);
  replace_visible (self, visible);
}

static void
update_one (TesseraAccountsModel *self,
            TesseraAccountsEntry *entry,
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
      all_position = _tessera_accounts_model_find_entry (self, self->all, entry);
      if (was_visible)
        visible_position = _tessera_accounts_model_find_entry (self, self->visible, entry);
    }

  count_account (self, account, -1);
  if (!tessera_account_update_from (account, fresh) && !keys_changed)
    {
      count_account (self, account, +1);
      return;
    }
  if (keys_changed)
    _tessera_accounts_entry_make_keys (entry);
  count_account (self, account, +1);

  if (entry->pending)
    return;

  if (!is_in_order (self, self->all, all_position))
    {
      /* steal: `all` owns its entries and would free this one */
      g_ptr_array_steal_index (self->all, all_position);
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
      TesseraAccountsEntry *entry;

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
      TesseraAccountsEntry *entry = g_ptr_array_index (fresh, i);

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
  TesseraAccountsEntry *entry;

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

  folded = _tessera_accounts_fold (query);
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
  TesseraAccountsEntry entry = { .account = account };
  gboolean matches;

  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), FALSE);
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (account), FALSE);

  _tessera_accounts_entry_make_keys (&entry);
  matches = entry_matches (self, &entry);
  g_free (entry.keys);

  return matches;
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

void
_tessera_accounts_model_notify_n_selected (TesseraAccountsModel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
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
  TesseraAccountsEntry *entry;

  if (position >= self->visible->len)
    return NULL;
  entry = g_ptr_array_index (self->visible, position);
  return g_object_ref (entry->account);
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

  /* Column sorters may outlive the model: they fall back to making keys themselves */
  for (guint i = 0; i < self->sorter_data->len; i++)
    ((TesseraAccountsSorterData *) g_ptr_array_index (self->sorter_data, i))->model = NULL;
  g_ptr_array_set_size (self->sorter_data, 0);

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
  g_clear_pointer (&self->sorter_data, g_ptr_array_unref);

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
  self->sorter_data =
    g_ptr_array_new_with_free_func ((GDestroyNotify) _tessera_accounts_sorter_data_release);
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

/* The entry of @source's account for another model: the same account, a copy of its keys */
static TesseraAccountsEntry *
entry_new_sharing (TesseraAccountsModel       *self,
                   const TesseraAccountsEntry *source)
{
  TesseraAccountsEntry *entry = g_slice_new0 (TesseraAccountsEntry);
  gsize keys_size = source->collate_offset + strlen (source->keys + source->collate_offset) + 1;

  entry->account = g_object_ref (source->account);
  entry->keys = g_memdup2 (source->keys, keys_size);
  entry->collate_offset = source->collate_offset;
  entry->site_key = source->site_key;
  entry->matches = TRUE;
  g_hash_table_insert (self->by_id, g_strdup (tessera_account_get_id (source->account)), entry);
  count_account (self, source->account, +1);

  return entry;
}

TesseraAccountsModel *
tessera_accounts_model_new_sharing (TesseraAccountsModel *source)
{
  TesseraAccountsModel *self;
  gboolean sorted = TRUE;

  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (source), NULL);

  self = tessera_accounts_model_new ();
  for (guint i = 0; i < source->all->len; i++)
    {
      TesseraAccountsEntry *entry = entry_new_sharing (self, g_ptr_array_index (source->all, i));

      /* Usually @source is sorted by name too, and then there is nothing to sort */
      if (sorted && i > 0 &&
          _tessera_accounts_model_compare (self, g_ptr_array_index (self->all, i - 1), entry) > 0)
        sorted = FALSE;
      g_ptr_array_add (self->all, entry);
    }
  if (!sorted)
    g_ptr_array_sort_with_data (self->all, _tessera_accounts_model_compare_ptrs, self);

  /* `visible` borrows the entries: no free function (g_ptr_array_copy() would copy `all`'s) */
  g_ptr_array_set_size (self->visible, 0);
  g_ptr_array_extend (self->visible, self->all, NULL, NULL);

  return self;
}

GPtrArray *
tessera_accounts_model_get_accounts (TesseraAccountsModel *self)
{
  GPtrArray *accounts;

  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self), NULL);

  accounts = g_ptr_array_new_full (self->all->len, g_object_unref);
  for (guint i = 0; i < self->all->len; i++)
    {
      TesseraAccountsEntry *entry = g_ptr_array_index (self->all, i);

      g_ptr_array_add (accounts, g_object_ref (entry->account));
    }

  return accounts;
}

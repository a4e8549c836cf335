/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-accounts-model"

#include "config.h"

#include "tessera-accounts-model-private.h"

/*
 * The selection belongs to the accounts (a flag on each entry), not to positions, so it
 * survives searching, filtering and re-sorting. Positions below are positions in `visible`.
 */


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
      TesseraAccountsEntry *entry = g_ptr_array_index (self->all, i);

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
                    TesseraAccountsEntry *entry,
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
  _tessera_accounts_model_notify_n_selected (self);
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
      TesseraAccountsEntry *entry = g_ptr_array_index (self->visible, i);

      if (i < keep || i - keep >= n_keep)
        set_entry_selected (self, entry, FALSE, i, span);
      else if (entry->selected)
        n_kept++;
    }

  /* hidden accounts: no row shows them, so no selection-changed either */
  for (guint i = 0; i < self->all->len && self->n_selected > n_kept; i++)
    {
      TesseraAccountsEntry *entry = g_ptr_array_index (self->all, i);

      if (!entry->matches)
        set_entry_selected (self, entry, FALSE, G_MAXUINT, span);
    }
}

gboolean
tessera_accounts_model_get_account_selected (TesseraAccountsModel *self,
                                             TesseraAccount       *account)
{
  TesseraAccountsEntry *entry;

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
  TesseraAccountsEntry *entry;

  g_return_if_fail (TESSERA_IS_ACCOUNTS_MODEL (self));
  g_return_if_fail (TESSERA_IS_ACCOUNT (account));

  entry = g_hash_table_lookup (self->by_id, tessera_account_get_id (account));
  if (entry == NULL || entry->selected == !!selected)
    return;

  set_entry_selected (self, entry, selected,
                      entry->matches
                        ? _tessera_accounts_model_find_entry (self, self->visible, entry)
                        : G_MAXUINT,
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
  return ((TesseraAccountsEntry *) g_ptr_array_index (self->visible, position))->selected;
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
    if (((TesseraAccountsEntry *) g_ptr_array_index (self->visible, i))->selected)
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

void
_tessera_accounts_model_selection_model_init (GtkSelectionModelInterface *iface)
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

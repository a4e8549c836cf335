/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-account-rows"

#include "config.h"

#include "tessera-account-row-private.h"
#include "tessera-account-rows.h"

/*
 * Changes of at most this many accounts (removed + added: a live update, a few new
 * accounts) are passed on as they are: GTK then moves the rows after them and makes or
 * destroys only a few. Anything larger (a search, a filter, a sort) is shown in place: GTK
 * would destroy and make most rows, and for an insertion above the rows on screen it would
 * even scroll to keep showing the same accounts.
 */
#define PASS_ON_MAX_CHANGE 8

/*
 * A list that grows from a few rows to many (the search cleared, say) makes GTK create up to
 * ~200 rows of widgets at once, which held the main loop for several frames. Growing in
 * steps keeps each step short: the first rows show at once, the next ones follow about a
 * frame apart. Past GROW_LIMIT rows GTK makes no more widgets, so the rest of
 * the list comes in one step.
 */
#define GROW_STEP           48
#define GROW_LIMIT          256
#define GROW_INTERVAL_MSEC  16    /* a frame */

struct _TesseraAccountRows
{
  GObject               parent_instance;

  TesseraAccountsModel *model;     /* owned */
  /* position → TesseraAccountRow, for the rows someone holds (weak: a row leaves the table
   * when it is finalized); usually the ~200 rows of widgets of the table */
  GHashTable           *rows;
  /* What the list announced so far: the model's first n_items accounts, all of them unless
   * it is still growing towards the model's length */
  guint                 n_items;
  guint                 grow_id;
};

static void tessera_account_rows_list_model_init      (GListModelInterface        *iface);
static void tessera_account_rows_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TesseraAccountRows, tessera_account_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tessera_account_rows_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      tessera_account_rows_selection_model_init))

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_row_finalized (gpointer  user_data,
                  GObject  *where_the_row_was)
{
  TesseraAccountRows *self = user_data;
  TesseraAccountRow *row = (TesseraAccountRow *) where_the_row_was;
  gpointer key = GUINT_TO_POINTER (_tessera_account_row_get_position (row));

  /* Called from the row's dispose: its fields are still there */
  if (g_hash_table_lookup (self->rows, key) == row)
    g_hash_table_remove (self->rows, key);
}

static void
forget_row (TesseraAccountRows *self,
            TesseraAccountRow  *row)
{
  g_object_weak_unref (G_OBJECT (row), on_row_finalized, self);
}

static void
announce (TesseraAccountRows *self,
          guint               position,
          guint               removed,
          guint               added)
{
  g_debug ("items-changed (%u, %u, %u) → %u items, %u rows", position, removed, added,
           self->n_items, g_hash_table_size (self->rows));
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* The rows that exist, in no particular order (transfer container) */
static GPtrArray *
live_rows (TesseraAccountRows *self)
{
  GPtrArray *rows = g_ptr_array_sized_new (g_hash_table_size (self->rows));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (rows, value);
  return rows;
}

static gboolean grow_step (gpointer user_data);

/* Announces the model's accounts from n_items up to its length, in steps when many */
static void
grow (TesseraAccountRows *self)
{
  guint target = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  guint next = target;

  g_clear_handle_id (&self->grow_id, g_source_remove);
  if (self->n_items >= target)
    return;

  if (self->n_items < GROW_LIMIT)
    next = MIN (target, self->n_items + GROW_STEP);

  {
    guint position = self->n_items;

    self->n_items = next;
    announce (self, position, 0, next - position);
  }

  /* GTK draws what it has meanwhile */
  if (next < target)
    self->grow_id = g_timeout_add_full (GDK_PRIORITY_REDRAW + 10, GROW_INTERVAL_MSEC,
                                        grow_step, self, NULL);
}

static gboolean
grow_step (gpointer user_data)
{
  TesseraAccountRows *self = user_data;

  self->grow_id = 0;
  grow (self);
  return G_SOURCE_REMOVE;
}

/* Other accounts in the same rows from @position on; the difference in length at the end */
static void
replace_in_place (TesseraAccountRows *self,
                  GPtrArray          *rows,
                  guint               position,
                  guint               old_n,
                  guint               new_n)
{
  guint common_end = MIN (old_n, new_n);

  for (guint i = 0; i < rows->len; i++)
    {
      TesseraAccountRow *row = g_ptr_array_index (rows, i);
      guint p = _tessera_account_row_get_position (row);

      if (p < position)
        continue;

      if (p < common_end)
        {
          g_autoptr(TesseraAccount) account = NULL;

          account = g_list_model_get_item (G_LIST_MODEL (self->model), p);

          _tessera_account_row_set_account (row, account);
        }
      else
        {
          /* Its position leaves the list with the change at the end */
          g_hash_table_remove (self->rows, GUINT_TO_POINTER (p));
          forget_row (self, row);
        }
    }

  if (new_n < old_n)
    {
      self->n_items = new_n;
      announce (self, common_end, old_n - common_end, 0);
    }
  else if (new_n > old_n)
    {
      grow (self);
    }

  /* The selection belongs to accounts: rows that show others may change their state */
  if (common_end > position && tessera_accounts_model_get_n_selected (self->model) > 0)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position,
                                           common_end - position);
}

/* The change as it is: rows after it move, rows in it go */
static void
pass_on (TesseraAccountRows *self,
         GPtrArray          *rows,
         guint               position,
         guint               removed,
         guint               added)
{
  g_autoptr(GPtrArray) moved = g_ptr_array_new ();

  for (guint i = 0; i < rows->len; i++)
    {
      TesseraAccountRow *row = g_ptr_array_index (rows, i);
      guint p = _tessera_account_row_get_position (row);

      if (p < position)
        continue;

      g_hash_table_remove (self->rows, GUINT_TO_POINTER (p));
      if (p < position + removed)
        forget_row (self, row);
      else
        g_ptr_array_add (moved, row);
    }

  for (guint i = 0; i < moved->len; i++)
    {
      TesseraAccountRow *row = g_ptr_array_index (moved, i);
      guint p = _tessera_account_row_get_position (row) - removed + added;

      _tessera_account_row_set_position (row, p);
      g_hash_table_insert (self->rows, GUINT_TO_POINTER (p), row);
    }

  self->n_items = self->n_items - removed + added;
  announce (self, position, removed, added);
}

static void
on_items_changed (TesseraAccountRows *self,
                  guint               position,
                  guint               removed,
                  guint               added)
{
  g_autoptr(GPtrArray) rows = live_rows (self);
  guint old_n = self->n_items;
  guint new_n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  /* While growing, the list is the model's head: what changed is from @position on */
  if (self->grow_id != 0)
    {
      replace_in_place (self, rows, MIN (position, old_n), old_n, new_n);
      return;
    }

  g_assert (new_n == old_n - removed + added);

  if (removed + added <= PASS_ON_MAX_CHANGE)
    pass_on (self, rows, position, removed, added);
  else
    replace_in_place (self, rows, position, old_n, new_n);
}

static void
on_selection_changed (TesseraAccountRows *self,
                      guint               position,
                      guint               n_items)
{
  gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position, n_items);
}

/* GListModel */

static GType
tessera_account_rows_get_item_type (GListModel *model)
{
  return TESSERA_TYPE_ACCOUNT_ROW;
}

static guint
tessera_account_rows_get_n_items (GListModel *model)
{
  return TESSERA_ACCOUNT_ROWS (model)->n_items;
}

static gpointer
tessera_account_rows_get_item (GListModel *model,
                               guint       position)
{
  TesseraAccountRows *self = TESSERA_ACCOUNT_ROWS (model);
  g_autoptr(TesseraAccount) account = NULL;
  TesseraAccountRow *row;

  if (position >= self->n_items)
    return NULL;

  row = g_hash_table_lookup (self->rows, GUINT_TO_POINTER (position));
  if (row != NULL)
    return g_object_ref (row);

  account = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  row = _tessera_account_row_new (position, account);
  g_object_weak_ref (G_OBJECT (row), on_row_finalized, self);
  g_hash_table_insert (self->rows, GUINT_TO_POINTER (position), row);
  return row;
}

static void
tessera_account_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tessera_account_rows_get_item_type;
  iface->get_n_items = tessera_account_rows_get_n_items;
  iface->get_item = tessera_account_rows_get_item;
}

/* GtkSelectionModel: the model's, position for position */

#define MODEL_SELECTION(self) GTK_SELECTION_MODEL (TESSERA_ACCOUNT_ROWS (self)->model)

static gboolean
tessera_account_rows_is_selected (GtkSelectionModel *model,
                                  guint              position)
{
  return gtk_selection_model_is_selected (MODEL_SELECTION (model), position);
}

static GtkBitset *
tessera_account_rows_get_selection_in_range (GtkSelectionModel *model,
                                             guint              position,
                                             guint              n_items)
{
  return gtk_selection_model_get_selection_in_range (MODEL_SELECTION (model), position, n_items);
}

static gboolean
tessera_account_rows_select_item (GtkSelectionModel *model,
                                  guint              position,
                                  gboolean           unselect_rest)
{
  return gtk_selection_model_select_item (MODEL_SELECTION (model), position, unselect_rest);
}

static gboolean
tessera_account_rows_unselect_item (GtkSelectionModel *model,
                                    guint              position)
{
  return gtk_selection_model_unselect_item (MODEL_SELECTION (model), position);
}

static gboolean
tessera_account_rows_select_range (GtkSelectionModel *model,
                                   guint              position,
                                   guint              n_items,
                                   gboolean           unselect_rest)
{
  return gtk_selection_model_select_range (MODEL_SELECTION (model), position, n_items,
                                           unselect_rest);
}

static gboolean
tessera_account_rows_unselect_range (GtkSelectionModel *model,
                                     guint              position,
                                     guint              n_items)
{
  return gtk_selection_model_unselect_range (MODEL_SELECTION (model), position, n_items);
}

static gboolean
tessera_account_rows_select_all (GtkSelectionModel *model)
{
  return gtk_selection_model_select_all (MODEL_SELECTION (model));
}

static gboolean
tessera_account_rows_unselect_all (GtkSelectionModel *model)
{
  return gtk_selection_model_unselect_all (MODEL_SELECTION (model));
}

static gboolean
tessera_account_rows_set_selection (GtkSelectionModel *model,
                                    GtkBitset         *selected,
                                    GtkBitset         *mask)
{
  return gtk_selection_model_set_selection (MODEL_SELECTION (model), selected, mask);
}

static void
tessera_account_rows_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = tessera_account_rows_is_selected;
  iface->get_selection_in_range = tessera_account_rows_get_selection_in_range;
  iface->select_item = tessera_account_rows_select_item;
  iface->unselect_item = tessera_account_rows_unselect_item;
  iface->select_range = tessera_account_rows_select_range;
  iface->unselect_range = tessera_account_rows_unselect_range;
  iface->select_all = tessera_account_rows_select_all;
  iface->unselect_all = tessera_account_rows_unselect_all;
  iface->set_selection = tessera_account_rows_set_selection;
}

/* GObject */

static void
tessera_account_rows_constructed (GObject *object)
{
  TesseraAccountRows *self = (TesseraAccountRows *) object;

  G_OBJECT_CLASS (tessera_account_rows_parent_class)->constructed (object);

  g_assert (self->model != NULL);

  self->n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "selection-changed", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);
}

static void
tessera_account_rows_dispose (GObject *object)
{
  TesseraAccountRows *self = (TesseraAccountRows *) object;
  g_autoptr(GPtrArray) rows = live_rows (self);

  g_clear_handle_id (&self->grow_id, g_source_remove);
  for (guint i = 0; i < rows->len; i++)
    forget_row (self, g_ptr_array_index (rows, i));
  g_hash_table_remove_all (self->rows);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (tessera_account_rows_parent_class)->dispose (object);
}

static void
tessera_account_rows_finalize (GObject *object)
{
  TesseraAccountRows *self = (TesseraAccountRows *) object;

  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (tessera_account_rows_parent_class)->finalize (object);
}

static void
tessera_account_rows_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TesseraAccountRows *self = TESSERA_ACCOUNT_ROWS (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_account_rows_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TesseraAccountRows *self = TESSERA_ACCOUNT_ROWS (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      self->model = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_account_rows_class_init (TesseraAccountRowsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tessera_account_rows_constructed;
  object_class->dispose = tessera_account_rows_dispose;
  object_class->finalize = tessera_account_rows_finalize;
  object_class->get_property = tessera_account_rows_get_property;
  object_class->set_property = tessera_account_rows_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, TESSERA_TYPE_ACCOUNTS_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_account_rows_init (TesseraAccountRows *self)
{
  self->rows = g_hash_table_new (g_direct_hash, g_direct_equal);
}

TesseraAccountRows *
tessera_account_rows_new (TesseraAccountsModel *model)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (model), NULL);

  return g_object_new (TESSERA_TYPE_ACCOUNT_ROWS, "model", model, NULL);
}

TesseraAccountsModel *
tessera_account_rows_get_model (TesseraAccountRows *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_ROWS (self), NULL);

  return self->model;
}

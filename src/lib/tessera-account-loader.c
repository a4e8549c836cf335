/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-account-loader"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tessera-account-loader.h"
#include "tessera-account-pager.h"

/*
 * The paging itself is TesseraAccountPager's: the loader only folds its pages into the
 * store. The pager runs one operation at a time, and so does the loader: the running one is
 * `current`, and only its pages are ever delivered.
 */
struct _TesseraAccountLoader
{
  GObject              parent_instance;

  /* Owned */
  TesseraAccountPager *pager;
  GListStore          *store;
  GHashTable          *by_id;    /* id (owned copy) → TesseraAccount (unowned: in the store) */
  GTask               *current;  /* the running load or refresh, or NULL */
  GHashTable          *seen;     /* during a full load: the accounts the server listed */

  guint                loaded;
  guint                total;
  gint64               newest_update;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_MODEL,
  PROP_LOADED,
  PROP_TOTAL,
  PROP_LOADING,
  PROP_PAGE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TesseraAccountLoader, tessera_account_loader, G_TYPE_OBJECT)

/* What a finished load or refresh reports */
typedef struct {
  guint received;
} Operation;

static void on_page (TesseraAccountPager  *pager,
                     GPtrArray            *accounts,
                     gboolean              last,
                     TesseraAccountLoader *self);

static void
tessera_account_loader_dispose (GObject *object)
{
  TesseraAccountLoader *self = (TesseraAccountLoader *)object;

  if (self->pager != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->pager, self);
      tessera_account_pager_cancel (self->pager);
    }
  g_clear_object (&self->current);
  g_clear_object (&self->pager);

  G_OBJECT_CLASS (tessera_account_loader_parent_class)->dispose (object);
}

static void
tessera_account_loader_finalize (GObject *object)
{
  TesseraAccountLoader *self = (TesseraAccountLoader *)object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tessera_account_loader_parent_class)->finalize (object);
}

static void
tessera_account_loader_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TesseraAccountLoader *self = TESSERA_ACCOUNT_LOADER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, tessera_account_pager_get_client (self->pager));
      break;

    case PROP_MODEL:
      g_value_set_object (value, self->store);
      break;

    case PROP_LOADED:
      g_value_set_uint (value, self->loaded);
      break;

    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->current != NULL);
      break;

    case PROP_PAGE_SIZE:
      g_value_set_uint (value, tessera_account_pager_get_page_size (self->pager));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_account_loader_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TesseraAccountLoader *self = TESSERA_ACCOUNT_LOADER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_assert (self->pager == NULL);
      self->pager = tessera_account_pager_new (g_value_get_object (value));
      g_signal_connect (self->pager, "page", G_CALLBACK (on_page), self);
      break;

    case PROP_PAGE_SIZE:
      tessera_account_loader_set_page_size (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_account_loader_class_init (TesseraAccountLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tessera_account_loader_dispose;
  object_class->finalize = tessera_account_loader_finalize;
  object_class->get_property = tessera_account_loader_get_property;
  object_class->set_property = tessera_account_loader_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         TESSERA_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADED] =
    g_param_spec_uint ("loaded", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL,
                       1, TESSERA_CLIENT_MAX_PAGE_SIZE, TESSERA_ACCOUNT_LOADER_DEFAULT_PAGE_SIZE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_account_loader_init (TesseraAccountLoader *self)
{
  self->store = g_list_store_new (TESSERA_TYPE_ACCOUNT);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

TesseraAccountLoader *
tessera_account_loader_new (TesseraClient *client)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (client), NULL);

  return g_object_new (TESSERA_TYPE_ACCOUNT_LOADER, "client", client, NULL);
}

TesseraClient *
tessera_account_loader_get_client (TesseraAccountLoader *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_LOADER (self), NULL);

  return tessera_account_pager_get_client (self->pager);
}

GListModel *
tessera_account_loader_get_model (TesseraAccountLoader *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_LOADER (self), NULL);

  return G_LIST_MODEL (self->store);
}

guint
tessera_account_loader_get_loaded (TesseraAccountLoader *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_LOADER (self), 0);

  return self->loaded;
}

guint
tessera_account_loader_get_total (TesseraAccountLoader *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_LOADER (self), 0);

  return self->total;
}

gboolean
tessera_account_loader_get_loading (TesseraAccountLoader *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_LOADER (self), FALSE);

  return self->current != NULL;
}

guint
tessera_account_loader_get_page_size (TesseraAccountLoader *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_LOADER (self), 0);

  return tessera_account_pager_get_page_size (self->pager);
}

void
tessera_account_loader_set_page_size (TesseraAccountLoader *self,
                                      guint                 page_size)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT_LOADER (self));
  g_return_if_fail (page_size > 0 && page_size <= TESSERA_CLIENT_MAX_PAGE_SIZE);

  if (tessera_account_pager_get_page_size (self->pager) == page_size)
    return;

  tessera_account_pager_set_page_size (self->pager, page_size);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
}

gint64
tessera_account_loader_get_newest_update (TesseraAccountLoader *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_LOADER (self), 0);

  return self->newest_update;
}

TesseraAccount *
tessera_account_loader_lookup (TesseraAccountLoader *self,
                               const char           *id)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_LOADER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, id);
}

static void
set_loaded (TesseraAccountLoader *self,
            guint                 loaded)
{
  if (self->loaded == loaded)
    return;

  self->loaded = loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
set_total (TesseraAccountLoader *self,
           guint                 total)
{
  if (self->total == total)
    return;

  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

/*
 * Folds @accounts into the model: known ids are updated in place, the others are appended
 * with a single splice. @seen (nullable) collects every account object now in the model that
 * the server listed.
 */
static void
merge_accounts (TesseraAccountLoader *self,
                GPtrArray            *accounts,
                GHashTable           *seen)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_sized_new (accounts->len);

  for (guint i = 0; i < accounts->len; i++)
    {
      TesseraAccount *account = g_ptr_array_index (accounts, i);
      const char *id = tessera_account_get_id (account);
      TesseraAccount *existing = g_hash_table_lookup (self->by_id, id);
      gint64 updated = tessera_account_get_updated_at_unix_usec (account);

      if (updated > self->newest_update)
        self->newest_update = updated;

      if (existing != NULL)
        {
          tessera_account_update_from (existing, account);
          if (seen != NULL)
            g_hash_table_add (seen, existing);
          continue;
        }

      g_hash_table_insert (self->by_id, g_strdup (id), account);
      g_ptr_array_add (fresh, account);
      if (seen != NULL)
        g_hash_table_add (seen, account);
    }

  if (fresh->len > 0)
    g_list_store_splice (self->store,
                         g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                         0, fresh->pdata, fresh->len);
}

/* After a full load: drop what the server no longer lists, one splice per run of them. */
static void
remove_unseen (TesseraAccountLoader *self,
               GHashTable           *seen)
{
  GListModel *model = G_LIST_MODEL (self->store);
  guint n_items = g_list_model_get_n_items (model);

  if (g_hash_table_size (seen) == n_items)
    return;

  for (guint end = n_items; end > 0;)
    {
      guint start = end;

      while (start > 0)
        {
          g_autoptr(TesseraAccount) account = g_list_model_get_item (model, start - 1);

          if (g_hash_table_contains (seen, account))
            break;
          g_hash_table_remove (self->by_id, tessera_account_get_id (account));
          start--;
        }

      if (start < end)
        g_list_store_splice (self->store, start, end - start, NULL, 0);

      /* Skip the run of seen accounts before it. */
      end = start;
      while (end > 0)
        {
          g_autoptr(TesseraAccount) account = g_list_model_get_item (model, end - 1);

          if (!g_hash_table_contains (seen, account))
            break;
          end--;
        }
    }
}

void
tessera_account_loader_apply (TesseraAccountLoader *self,
                              TesseraAccount       *account)
{
  g_autoptr(GPtrArray) one = NULL;

  g_return_if_fail (TESSERA_IS_ACCOUNT_LOADER (self));
  g_return_if_fail (TESSERA_IS_ACCOUNT (account));

  one = g_ptr_array_new ();
  g_ptr_array_add (one, account);

  merge_accounts (self, one, NULL);
  set_total (self, MAX (self->total, g_list_model_get_n_items (G_LIST_MODEL (self->store))));
}

/* Loading */

static void
on_page (TesseraAccountPager  *pager,
         GPtrArray            *accounts,
         gboolean              last,
         TesseraAccountLoader *self)
{
  g_assert (self->current != NULL);

  g_object_freeze_notify (G_OBJECT (self));

  merge_accounts (self, accounts, self->seen);

  if (self->seen != NULL)
    {
      set_loaded (self, tessera_account_pager_get_loaded (pager));
      set_total (self, tessera_account_pager_get_total (pager));
      if (last)
        remove_unseen (self, self->seen);
    }
  else if (last)
    {
      guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->store));

      set_loaded (self, n_items);
      set_total (self, n_items);
    }

  /* Handlers run here, and may cancel or start another load. */
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_pager_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TesseraAccountLoader *self = g_task_get_source_object (task);
  Operation *operation = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  tessera_account_pager_load_finish (TESSERA_ACCOUNT_PAGER (source), result,
                                     &operation->received, &error);

  /* Unless a newer load or refresh took over (the pager then reports CANCELLED) */
  if (self->current == task)
    {
      g_clear_object (&self->current);
      g_clear_pointer (&self->seen, g_hash_table_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
start_operation (TesseraAccountLoader *self,
                 gboolean              incremental,
                 gpointer              source_tag,
                 GCancellable         *cancellable,
                 GAsyncReadyCallback   callback,
                 gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean was_loading = self->current != NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_new0 (Operation, 1), g_free);

  g_set_object (&self->current, task);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  if (!incremental)
    {
      self->seen = g_hash_table_new (NULL, NULL);
      set_loaded (self, 0);
    }
  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  /* This cancels the pager's running operation, whose task then reports CANCELLED */
  tessera_account_pager_load_async (self->pager, incremental ? self->newest_update : 0,
                                    cancellable, on_pager_done, g_object_ref (task));
}

void
tessera_account_loader_load_async (TesseraAccountLoader *self,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT_LOADER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_operation (self, FALSE, tessera_account_loader_load_async,
                   cancellable, callback, user_data);
}

gboolean
tessera_account_loader_load_finish (TesseraAccountLoader  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_LOADER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tessera_account_loader_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tessera_account_loader_refresh_async (TesseraAccountLoader *self,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT_LOADER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_operation (self, TRUE, tessera_account_loader_refresh_async,
                   cancellable, callback, user_data);
}

gboolean
tessera_account_loader_refresh_finish (TesseraAccountLoader  *self,
                                       GAsyncResult          *result,
                                       guint                 *n_received,
                                       GError               **error)
{
  Operation *operation;

  g_return_val_if_fail (TESSERA_IS_ACCOUNT_LOADER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tessera_account_loader_refresh_async, FALSE);

  operation = g_task_get_task_data (G_TASK (result));
  if (n_received != NULL)
    *n_received = operation->received;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-accounts-fetcher"

#include "config.h"

#include "tessera-account-pager.h"
#include "tessera-accounts-fetcher.h"

/*
 * The paging is the client library's (TesseraAccountPager: the next page is requested while
 * worker threads decode the earlier ones); the fetcher only adds the pages to the model and
 * passes the progress on, under the names the accounts page reads.
 *
 * Pages arrive every few milliseconds, faster than a window can draw: each one added on its
 * own made a frame of its own (the list, the count, the progress bar), and with GTK's GL
 * renderer on a software rasterizer a frame takes tens of milliseconds of both CPUs, which
 * the decoding threads and a local server then lacked. So the first page goes to the model
 * at once (rows on screen as early as possible), the last one too, and the pages in between
 * in batches, at most one batch per FLUSH_INTERVAL_MSEC. :loaded counts what is in the model.
 */

#define FLUSH_INTERVAL_MSEC 200

struct _TesseraAccountsFetcher
{
  GObject               parent_instance;

  TesseraAccountPager  *pager;       /* owned */
  TesseraAccountsModel *model;       /* owned */
  GPtrArray            *pending;     /* owned: TesseraAccount received, not yet in the model */
  guint                 flush_id;
  gint64                last_flush;
  guint                 loaded;      /* of the running (or last) operation, in the model */
};

G_DEFINE_FINAL_TYPE (TesseraAccountsFetcher, tessera_accounts_fetcher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_MODEL,
  PROP_LOADED,
  PROP_TOTAL,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_loaded (TesseraAccountsFetcher *self,
            guint                   loaded)
{
  if (self->loaded == loaded)
    return;

  self->loaded = loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
flush (TesseraAccountsFetcher *self)
{
  g_clear_handle_id (&self->flush_id, g_source_remove);
  self->last_flush = g_get_monotonic_time ();

  if (self->pending->len == 0)
    return;

  tessera_accounts_model_add (self->model, (TesseraAccount *const *) self->pending->pdata,
                              self->pending->len);
  set_loaded (self, self->loaded + self->pending->len);
  g_ptr_array_set_size (self->pending, 0);
}

static gboolean
on_flush_timeout (gpointer user_data)
{
  TesseraAccountsFetcher *self = user_data;

  self->flush_id = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

static void
on_page (TesseraAccountsFetcher *self,
         GPtrArray              *accounts,
         gboolean                last)
{
  gint64 next_flush = self->last_flush + FLUSH_INTERVAL_MSEC * 1000;
  gint64 now = g_get_monotonic_time ();
  gboolean first = self->loaded == 0 && self->pending->len == 0;

  for (guint i = 0; i < accounts->len; i++)
    g_ptr_array_add (self->pending, g_object_ref (g_ptr_array_index (accounts, i)));

  if (first || last || now >= next_flush)
    flush (self);
  else if (self->flush_id == 0)
    self->flush_id = g_timeout_add ((guint) ((next_flush - now + 999) / 1000),
                                    on_flush_timeout, self);
}

/* The pager's :total and :loading are the fetcher's */
static void
on_pager_notify (TesseraAccountsFetcher *self,
                 GParamSpec             *pspec)
{
  for (guint i = PROP_TOTAL; i <= PROP_LOADING; i++)
    if (g_strcmp0 (pspec->name, properties[i]->name) == 0)
      g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TesseraAccountsFetcher *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* What arrived before an error or a cancellation is as good as any other page */
  flush (self);

  if (tessera_account_pager_load_finish (TESSERA_ACCOUNT_PAGER (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
start (TesseraAccountsFetcher *self,
       gint64                  updated_since,
       GCancellable           *cancellable,
       GAsyncReadyCallback     callback,
       gpointer                user_data,
       gpointer                source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  flush (self);
  set_loaded (self, 0);
  /* Cancels the running operation, which then reports G_IO_ERROR_CANCELLED */
  tessera_account_pager_load_async (self->pager, updated_since, cancellable, on_done, task);
}

void
tessera_accounts_fetcher_load_async (TesseraAccountsFetcher *self,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  g_return_if_fail (TESSERA_IS_ACCOUNTS_FETCHER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start (self, 0, cancellable, callback, user_data, tessera_accounts_fetcher_load_async);
}

gboolean
tessera_accounts_fetcher_load_finish (TesseraAccountsFetcher  *self,
                                      GAsyncResult            *result,
                                      GError                 **error)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_FETCHER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tessera_accounts_fetcher_refresh_async (TesseraAccountsFetcher *self,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data)
{
  g_return_if_fail (TESSERA_IS_ACCOUNTS_FETCHER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start (self, tessera_accounts_model_get_newest_update (self->model),
         cancellable, callback, user_data, tessera_accounts_fetcher_refresh_async);
}

gboolean
tessera_accounts_fetcher_refresh_finish (TesseraAccountsFetcher  *self,
                                         GAsyncResult            *result,
                                         GError                 **error)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_FETCHER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
tessera_accounts_fetcher_get_loaded (TesseraAccountsFetcher *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_FETCHER (self), 0);

  return self->loaded;
}

guint
tessera_accounts_fetcher_get_total (TesseraAccountsFetcher *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_FETCHER (self), 0);

  return tessera_account_pager_get_total (self->pager);
}

gboolean
tessera_accounts_fetcher_get_loading (TesseraAccountsFetcher *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_FETCHER (self), FALSE);

  return tessera_account_pager_get_loading (self->pager);
}

static void
tessera_accounts_fetcher_dispose (GObject *object)
{
  TesseraAccountsFetcher *self = (TesseraAccountsFetcher *) object;

  if (self->pager != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->pager, self);
      tessera_account_pager_cancel (self->pager);
    }
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_object (&self->pager);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (tessera_accounts_fetcher_parent_class)->dispose (object);
}

static void
tessera_accounts_fetcher_finalize (GObject *object)
{
  TesseraAccountsFetcher *self = (TesseraAccountsFetcher *) object;

  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (tessera_accounts_fetcher_parent_class)->finalize (object);
}

static void
tessera_accounts_fetcher_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  TesseraAccountsFetcher *self = TESSERA_ACCOUNTS_FETCHER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, tessera_account_pager_get_client (self->pager));
      break;

    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_LOADED:
      g_value_set_uint (value, self->loaded);
      break;

    case PROP_TOTAL:
      g_value_set_uint (value, tessera_account_pager_get_total (self->pager));
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, tessera_account_pager_get_loading (self->pager));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_accounts_fetcher_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  TesseraAccountsFetcher *self = TESSERA_ACCOUNTS_FETCHER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_assert (self->pager == NULL);
      self->pager = tessera_account_pager_new (g_value_get_object (value));
      g_signal_connect_swapped (self->pager, "page", G_CALLBACK (on_page), self);
      g_signal_connect_swapped (self->pager, "notify", G_CALLBACK (on_pager_notify), self);
      break;

    case PROP_MODEL:
      self->model = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_accounts_fetcher_class_init (TesseraAccountsFetcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tessera_accounts_fetcher_dispose;
  object_class->finalize = tessera_accounts_fetcher_finalize;
  object_class->get_property = tessera_accounts_fetcher_get_property;
  object_class->set_property = tessera_accounts_fetcher_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TESSERA_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, TESSERA_TYPE_ACCOUNTS_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_uint ("loaded", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_accounts_fetcher_init (TesseraAccountsFetcher *self)
{
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
}

TesseraAccountsFetcher *
tessera_accounts_fetcher_new (TesseraClient        *client,
                              TesseraAccountsModel *model)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (model), NULL);

  return g_object_new (TESSERA_TYPE_ACCOUNTS_FETCHER, "client", client, "model", model, NULL);
}

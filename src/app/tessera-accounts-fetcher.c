/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-accounts-fetcher"

#include "config.h"

#include "tessera-accounts-fetcher.h"

struct _TesseraAccountsFetcher
{
  GObject               parent_instance;

  TesseraClient        *client;      /* owned */
  TesseraAccountsModel *model;       /* owned */
  GCancellable         *running;     /* owned: the operation in progress, if any */

  guint                 loaded;
  guint                 total;
  gboolean              loading;
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

typedef struct {
  TesseraAccountQuery  query;
  char                *cursor;
  GCancellable        *cancellable;  /* owned: ours, cancelled by the next operation */
  gulong               caller_cancelled_id;
  GCancellable        *caller_cancellable;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  if (fetch->caller_cancellable != NULL)
    g_cancellable_disconnect (fetch->caller_cancellable, fetch->caller_cancelled_id);
  g_clear_object (&fetch->caller_cancellable);
  g_clear_object (&fetch->cancellable);
  g_free (fetch->cursor);
  g_free (fetch);
}

static void
set_progress (TesseraAccountsFetcher *self,
              guint                   loaded,
              guint                   total,
              gboolean                loading)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->loaded != loaded)
    {
      self->loaded = loaded;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  if (self->loading != loading)
    {
      self->loading = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void fetch_next_page (GTask *task);

static void
on_page (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TesseraAccountsFetcher *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_cursor = NULL;
  guint total = 0;

  accounts = tessera_client_list_accounts_finish (TESSERA_CLIENT (source), result,
                                                  &next_cursor, &total, &error);
  if (accounts == NULL)
    {
      if (!g_cancellable_is_cancelled (fetch->cancellable))
        set_progress (self, self->loaded, self->total, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A newer operation may have started while this page was on its way */
  if (g_cancellable_is_cancelled (fetch->cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return;
    }

  tessera_accounts_model_add (self->model, (TesseraAccount *const *) accounts->pdata,
                              accounts->len);

  g_free (fetch->cursor);
  fetch->cursor = g_steal_pointer (&next_cursor);

  if (fetch->query.updated_since_usec == 0)
    set_progress (self, self->loaded + accounts->len, MAX (total, self->loaded + accounts->len),
                  fetch->cursor != NULL);
  else if (fetch->cursor == NULL)
    set_progress (self, self->loaded, self->total, FALSE);

  if (fetch->cursor == NULL)
    {
      g_clear_object (&self->running);
      g_task_return_boolean (task, TRUE);
      return;
    }

  fetch_next_page (g_steal_pointer (&task));
}

static void
fetch_next_page (GTask *task)
{
  TesseraAccountsFetcher *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);

  tessera_client_list_accounts_async (self->client, &fetch->query, fetch->cursor,
                                      TESSERA_CLIENT_MAX_PAGE_SIZE, fetch->cancellable,
                                      on_page, task);
}

static void
on_caller_cancelled (GCancellable *caller_cancellable,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
start (TesseraAccountsFetcher *self,
       gint64                  updated_since,
       GCancellable           *cancellable,
       GAsyncReadyCallback     callback,
       gpointer                user_data,
       gpointer                source_tag)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  if (self->running != NULL)
    g_cancellable_cancel (self->running);
  g_clear_object (&self->running);
  self->running = g_cancellable_new ();

  fetch = g_new0 (Fetch, 1);
  fetch->query.updated_since_usec = updated_since;
  fetch->cancellable = g_object_ref (self->running);
  if (cancellable != NULL)
    {
      fetch->caller_cancellable = g_object_ref (cancellable);
      fetch->caller_cancelled_id =
        g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                               fetch->cancellable, NULL);
    }

  task = g_task_new (self, fetch->cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  if (updated_since == 0)
    set_progress (self, 0, tessera_accounts_model_get_n_accounts (self->model), TRUE);

  fetch_next_page (g_steal_pointer (&task));
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

  return self->total;
}

gboolean
tessera_accounts_fetcher_get_loading (TesseraAccountsFetcher *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_FETCHER (self), FALSE);

  return self->loading;
}

static void
tessera_accounts_fetcher_dispose (GObject *object)
{
  TesseraAccountsFetcher *self = (TesseraAccountsFetcher *) object;

  if (self->running != NULL)
    g_cancellable_cancel (self->running);
  g_clear_object (&self->running);
  g_clear_object (&self->client);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (tessera_accounts_fetcher_parent_class)->dispose (object);
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
      g_value_set_object (value, self->client);
      break;

    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_LOADED:
      g_value_set_uint (value, self->loaded);
      break;

    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
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
      self->client = g_value_dup_object (value);
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
}

TesseraAccountsFetcher *
tessera_accounts_fetcher_new (TesseraClient        *client,
                              TesseraAccountsModel *model)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (model), NULL);

  return g_object_new (TESSERA_TYPE_ACCOUNTS_FETCHER, "client", client, "model", model, NULL);
}

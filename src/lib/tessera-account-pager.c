/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-account-pager"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tessera-account-loader-private.h"
#include "tessera-account-pager.h"

struct _TesseraAccountPager
{
  GObject        parent_instance;

  /* Owned */
  TesseraClient *client;
  GTask         *current;        /* the running operation, or NULL */

  gint64         updated_since;  /* of the running or last operation */
  guint          page_size;
  guint          loaded;
  guint          total;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADED,
  PROP_TOTAL,
  PROP_LOADING,
  PROP_UPDATED_SINCE,
  PROP_PAGE_SIZE,
  N_PROPS
};

enum {
  PAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TesseraAccountPager, tessera_account_pager, G_TYPE_OBJECT)

/* One operation; the pages come from tessera-account-loader-pages.c. */
typedef struct {
  GCancellable *cancellable;          /* ours: the caller's cancels it, and a newer operation */
  GCancellable *caller_cancellable;
  gulong        caller_cancelled_id;
  guint         received;
} Operation;

static void
operation_free (Operation *operation)
{
  if (operation->caller_cancelled_id != 0)
    g_cancellable_disconnect (operation->caller_cancellable, operation->caller_cancelled_id);
  g_clear_object (&operation->caller_cancellable);
  g_clear_object (&operation->cancellable);
  g_free (operation);
}

/* Stops the running operation; its task returns CANCELLED once the pipeline has stopped. */
static void
drop_current (TesseraAccountPager *self)
{
  Operation *operation;

  if (self->current == NULL)
    return;

  operation = g_task_get_task_data (self->current);
  g_cancellable_cancel (operation->cancellable);
  g_clear_object (&self->current);
}

static void
tessera_account_pager_dispose (GObject *object)
{
  TesseraAccountPager *self = (TesseraAccountPager *)object;

  drop_current (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tessera_account_pager_parent_class)->dispose (object);
}

static void
tessera_account_pager_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TesseraAccountPager *self = TESSERA_ACCOUNT_PAGER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
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

    case PROP_UPDATED_SINCE:
      g_value_set_int64 (value, self->updated_since);
      break;

    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_account_pager_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TesseraAccountPager *self = TESSERA_ACCOUNT_PAGER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_PAGE_SIZE:
      tessera_account_pager_set_page_size (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_account_pager_class_init (TesseraAccountPagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tessera_account_pager_dispose;
  object_class->get_property = tessera_account_pager_get_property;
  object_class->set_property = tessera_account_pager_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         TESSERA_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

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

  properties[PROP_UPDATED_SINCE] =
    g_param_spec_int64 ("updated-since", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL,
                       1, TESSERA_CLIENT_MAX_PAGE_SIZE, TESSERA_ACCOUNT_PAGER_DEFAULT_PAGE_SIZE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TesseraAccountPager::page:
   * @accounts: (element-type TesseraAccount) (transfer none): the accounts of the page, in
   *   the server's order; take a reference to keep one
   * @last: whether this is the operation's last page
   *
   * A page of the running operation arrived and was decoded.
   */
  signals[PAGE] =
    g_signal_new ("page",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_BOOLEAN);
}

static void
tessera_account_pager_init (TesseraAccountPager *self)
{
  self->page_size = TESSERA_ACCOUNT_PAGER_DEFAULT_PAGE_SIZE;
}

TesseraAccountPager *
tessera_account_pager_new (TesseraClient *client)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (client), NULL);

  return g_object_new (TESSERA_TYPE_ACCOUNT_PAGER, "client", client, NULL);
}

TesseraClient *
tessera_account_pager_get_client (TesseraAccountPager *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_PAGER (self), NULL);

  return self->client;
}

guint
tessera_account_pager_get_loaded (TesseraAccountPager *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_PAGER (self), 0);

  return self->loaded;
}

guint
tessera_account_pager_get_total (TesseraAccountPager *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_PAGER (self), 0);

  return self->total;
}

gboolean
tessera_account_pager_get_loading (TesseraAccountPager *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_PAGER (self), FALSE);

  return self->current != NULL;
}

gint64
tessera_account_pager_get_updated_since (TesseraAccountPager *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_PAGER (self), 0);

  return self->updated_since;
}

guint
tessera_account_pager_get_page_size (TesseraAccountPager *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_PAGER (self), 0);

  return self->page_size;
}

void
tessera_account_pager_set_page_size (TesseraAccountPager *self,
                                     guint                page_size)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT_PAGER (self));
  g_return_if_fail (page_size > 0 && page_size <= TESSERA_CLIENT_MAX_PAGE_SIZE);

  if (self->page_size == page_size)
    return;

  self->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
}

static void
set_loaded (TesseraAccountPager *self,
            guint                loaded)
{
  if (self->loaded == loaded)
    return;

  self->loaded = loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
set_total (TesseraAccountPager *self,
           guint                total)
{
  if (self->total == total)
    return;

  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

static void
on_page (GPtrArray *accounts,
         guint      total,
         gboolean   last,
         gpointer   user_data)
{
  GTask *task = user_data;
  TesseraAccountPager *self = g_task_get_source_object (task);
  Operation *operation = g_task_get_task_data (task);

  /* Superseded: the pipeline stops at its next step. */
  if (self->current != task)
    return;

  operation->received += accounts->len;

  /* Handlers of ::page see the new figures; notify:: follows them. */
  g_object_freeze_notify (G_OBJECT (self));
  set_loaded (self, operation->received);
  set_total (self, total);
  g_signal_emit (self, signals[PAGE], 0, accounts, last);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_pages_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TesseraAccountPager *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gboolean superseded = self->current != task;

  _tessera_account_pages_fetch_finish (result, NULL, &error);

  if (!superseded)
    {
      g_clear_object (&self->current);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }

  if (superseded)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Cancelled"));
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_caller_cancelled (GCancellable *caller_cancellable,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

void
tessera_account_pager_load_async (TesseraAccountPager *self,
                                  gint64               updated_since,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *operation;
  gboolean was_loading;

  g_return_if_fail (TESSERA_IS_ACCOUNT_PAGER (self));
  g_return_if_fail (updated_since >= 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tessera_account_pager_load_async);

  operation = g_new0 (Operation, 1);
  operation->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, operation, (GDestroyNotify) operation_free);

  if (cancellable != NULL)
    {
      operation->caller_cancellable = g_object_ref (cancellable);
      operation->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                              G_CALLBACK (on_caller_cancelled),
                                                              g_object_ref (operation->cancellable),
                                                              g_object_unref);
    }

  was_loading = self->current != NULL;
  drop_current (self);
  self->current = g_object_ref (task);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->updated_since != updated_since)
    {
      self->updated_since = updated_since;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_SINCE]);
    }
  set_loaded (self, 0);
  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_thaw_notify (G_OBJECT (self));

  _tessera_account_pages_fetch_async (self->client, updated_since, self->page_size,
                                      on_page, task, operation->cancellable,
                                      on_pages_done, g_object_ref (task));
}

gboolean
tessera_account_pager_load_finish (TesseraAccountPager  *self,
                                   GAsyncResult         *result,
                                   guint                *n_received,
                                   GError              **error)
{
  Operation *operation;

  g_return_val_if_fail (TESSERA_IS_ACCOUNT_PAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tessera_account_pager_load_async, FALSE);

  operation = g_task_get_task_data (G_TASK (result));
  if (n_received != NULL)
    *n_received = operation->received;

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tessera_account_pager_cancel (TesseraAccountPager *self)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT_PAGER (self));

  if (self->current != NULL)
    {
      Operation *operation = g_task_get_task_data (self->current);

      g_cancellable_cancel (operation->cancellable);
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-account-loader"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tessera-account-loader-private.h"
#include "tessera-client-private.h"

/* Pages fetched but not yet delivered, at most: bounds memory, keeps the server busy. */
#define MAX_AHEAD   3
/* Pages decoded at once. */
#define N_DECODERS  2

typedef struct {
  GBytes    *bytes;        /* until decoded */
  char      *cursor;       /* the cursor it was fetched with; NULL for the first page */
  char      *guess;        /* the next cursor, as read from the raw bytes; nullable */
  GPtrArray *accounts;     /* once decoded */
  char      *next_cursor;  /* once decoded, strictly parsed */
  guint      total;
  GError    *error;
  gboolean   decoding;
  gboolean   decoded;
  gboolean   dropped;      /* no longer wanted; a decoder may still hold it */
} Page;

typedef struct _Fetch Fetch;

typedef struct {
  TesseraClient          *client;
  GCancellable           *cancellable;         /* ours: the caller's cancels it */
  GCancellable           *caller_cancellable;
  gulong                  caller_cancelled_id;
  gint64                  updated_since;
  guint                   page_size;
  TesseraAccountPageFunc  page_func;
  gpointer                page_data;
  GQueue                  pages;               /* of Page, in order */
  Fetch                  *in_flight;           /* the page after the last one in @pages */
  guint                   n_decoding;
  guint                   received;
  gboolean                returned;
} Pipeline;

struct _Fetch {
  GTask        *task;          /* owned */
  GCancellable *cancellable;   /* owned; cancelled when its answer is no longer wanted */
  gulong        chained_id;    /* on the pipeline's cancellable */
  char         *cursor;
};

static void
page_clear (Page *page)
{
  g_clear_pointer (&page->bytes, g_bytes_unref);
  g_clear_pointer (&page->accounts, g_ptr_array_unref);
  g_clear_error (&page->error);
  g_free (page->cursor);
  g_free (page->guess);
  g_free (page->next_cursor);
}

static void
page_unref (Page *page)
{
  g_atomic_rc_box_release_full (page, (GDestroyNotify) page_clear);
}

static void
page_drop (Page *page)
{
  page->dropped = TRUE;
  page_unref (page);
}

static void
fetch_free (Fetch *fetch)
{
  Pipeline *pipeline = g_task_get_task_data (fetch->task);

  if (fetch->chained_id != 0)
    g_cancellable_disconnect (pipeline->cancellable, fetch->chained_id);
  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->task);
  g_free (fetch->cursor);
  g_free (fetch);
}

static void
pipeline_drop_in_flight (Pipeline *pipeline)
{
  if (pipeline->in_flight == NULL)
    return;

  /* Its callback still runs (with CANCELLED), sees it is stale and frees it. */
  g_cancellable_cancel (pipeline->in_flight->cancellable);
  pipeline->in_flight = NULL;
}

/* Drops every queued page from @nth on, and the fetch after them. */
static void
pipeline_drop_from (Pipeline *pipeline,
                    guint     nth)
{
  while (g_queue_get_length (&pipeline->pages) > nth)
    page_drop (g_queue_pop_tail (&pipeline->pages));
  pipeline_drop_in_flight (pipeline);
}

static void
pipeline_free (Pipeline *pipeline)
{
  g_assert (pipeline->in_flight == NULL);
  g_assert (g_queue_is_empty (&pipeline->pages));

  if (pipeline->caller_cancelled_id != 0)
    g_cancellable_disconnect (pipeline->caller_cancellable, pipeline->caller_cancelled_id);
  g_clear_object (&pipeline->caller_cancellable);
  g_clear_object (&pipeline->cancellable);
  g_clear_object (&pipeline->client);
  g_free (pipeline);
}

/* Ends the pipeline: nothing more is fetched, decoded or delivered. */
static void
pipeline_return (GTask  *task,
                 GError *error)
{
  Pipeline *pipeline = g_task_get_task_data (task);

  g_assert (!pipeline->returned);

  pipeline->returned = TRUE;
  pipeline_drop_from (pipeline, 0);
  g_cancellable_cancel (pipeline->cancellable);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
pipeline_check_cancelled (GTask *task)
{
  Pipeline *pipeline = g_task_get_task_data (task);

  if (!g_cancellable_is_cancelled (pipeline->cancellable))
    return FALSE;

  pipeline_return (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
  return TRUE;
}

/*
 * The "next_cursor" member near the end of a raw page, or NULL when there is none or it is
 * not a plain string. Only a guess: a member key is an unescaped quote after '{' or ',', and
 * the page is parsed strictly afterwards anyway.
 */
static char *
guess_next_cursor (GBytes *bytes)
{
  static const char key[] = "\"next_cursor\"";
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  const char *end = data + length;
  const char *tail = length > 8192 ? end - 8192 : data;
  const char *found = NULL;
  const char *p, *start;

  if (length < sizeof key)
    return NULL;

  for (p = end - (sizeof key - 1); p >= tail; p--)
    if (memcmp (p, key, sizeof key - 1) == 0)
      {
        found = p;
        break;
      }
  if (found == NULL)
    return NULL;

  for (p = found - 1; p >= data && g_ascii_isspace (*p); p--)
    ;
  if (p < data || (*p != ',' && *p != '{'))
    return NULL;

  for (p = found + sizeof key - 1; p < end && g_ascii_isspace (*p); p++)
    ;
  if (p >= end || *p != ':')
    return NULL;
  for (p++; p < end && g_ascii_isspace (*p); p++)
    ;
  if (p >= end || *p != '"')
    return NULL;

  start = ++p;
  for (; p < end && *p != '"'; p++)
    if (*p == '\\' || (guchar) *p < 0x20 || p - start > TESSERA_MAX_NAME_LENGTH)
      return NULL;
  if (p >= end)
    return NULL;

  return g_strndup (start, p - start);
}

static void fetch_start       (GTask      *task,
                               const char *cursor);
static void pipeline_advance  (GTask      *task);

/* In a worker thread: only the page is touched. */
static void
decode_in_thread (GTask        *decode_task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Page *page = task_data;
  gsize length;
  const char *data = g_bytes_get_data (page->bytes, &length);

  /* The lean decoder first; the strict reference path accepts or explains what it declines. */
  page->accounts = _tessera_account_page_decode_lean (data, length, &page->next_cursor,
                                                      &page->total);
  if (page->accounts == NULL)
    page->accounts = _tessera_client_decode_account_page (TESSERA_CLIENT (source_object),
                                                          page->bytes, &page->next_cursor,
                                                          &page->total, &page->error);
  g_task_return_boolean (decode_task, TRUE);
}

static void
on_page_decoded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Pipeline *pipeline = g_task_get_task_data (task);
  Page *page = g_task_get_task_data (G_TASK (result));

  pipeline->n_decoding--;
  page->decoding = FALSE;
  page->decoded = TRUE;
  g_clear_pointer (&page->bytes, g_bytes_unref);

  if (pipeline->returned || page->dropped)
    return;

  pipeline_advance (task);
}

static void
start_decoders (GTask *task)
{
  Pipeline *pipeline = g_task_get_task_data (task);

  for (GList *l = pipeline->pages.head; l != NULL && pipeline->n_decoding < N_DECODERS; l = l->next)
    {
      Page *page = l->data;
      g_autoptr(GTask) decode_task = NULL;

      if (page->decoding || page->decoded)
        continue;

      page->decoding = TRUE;
      pipeline->n_decoding++;
      decode_task = g_task_new (pipeline->client, NULL, on_page_decoded, g_object_ref (task));
      g_task_set_source_tag (decode_task, start_decoders);
      g_task_set_task_data (decode_task, g_atomic_rc_box_acquire (page),
                            (GDestroyNotify) page_unref);
      g_task_run_in_thread (decode_task, decode_in_thread);
    }
}

/* Requests the page after the last queued one when its cursor is known and there is room. */
static void
fetch_ahead (GTask *task)
{
  Pipeline *pipeline = g_task_get_task_data (task);
  Page *last = g_queue_peek_tail (&pipeline->pages);

  if (pipeline->in_flight != NULL || last == NULL || last->guess == NULL ||
      g_queue_get_length (&pipeline->pages) >= MAX_AHEAD)
    return;

  fetch_start (task, last->guess);
}

/* Delivers the decoded pages at the head of the queue, checking each guess on the way. */
static void
deliver_ready_pages (GTask *task)
{
  Pipeline *pipeline = g_task_get_task_data (task);
  Page *page;

  while ((page = g_queue_peek_head (&pipeline->pages)) != NULL && page->decoded)
    {
      Page *following;

      g_queue_pop_head (&pipeline->pages);

      if (page->accounts == NULL)
        {
          pipeline_return (task, g_steal_pointer (&page->error));
          page_drop (page);
          return;
        }

      pipeline->received += page->accounts->len;

      if (page->next_cursor == NULL)
        {
          pipeline->page_func (page->accounts, page->total, TRUE, pipeline->page_data);
          page_drop (page);
          if (!pipeline_check_cancelled (task))
            pipeline_return (task, NULL);
          return;
        }

      /* The page that follows must be the one the parsed cursor names. */
      following = g_queue_peek_head (&pipeline->pages);
      if (following != NULL)
        {
          if (g_strcmp0 (following->cursor, page->next_cursor) != 0)
            {
              pipeline_drop_from (pipeline, 0);
              fetch_start (task, page->next_cursor);
            }
        }
      else if (pipeline->in_flight == NULL ||
               g_strcmp0 (pipeline->in_flight->cursor, page->next_cursor) != 0)
        {
          pipeline_drop_in_flight (pipeline);
          fetch_start (task, page->next_cursor);
        }

      pipeline->page_func (page->accounts, page->total, FALSE, pipeline->page_data);
      page_drop (page);

      if (pipeline_check_cancelled (task))
        return;
    }
}

static void
pipeline_advance (GTask *task)
{
  Pipeline *pipeline = g_task_get_task_data (task);

  if (pipeline_check_cancelled (task))
    return;

  deliver_ready_pages (task);
  if (pipeline->returned)
    return;

  fetch_ahead (task);
  start_decoders (task);
}

static void
on_page_fetched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GTask) task = g_object_ref (fetch->task);
  Pipeline *pipeline = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Page *page;

  bytes = _tessera_client_get_json_finish (TESSERA_CLIENT (source), result, &error);

  /* A wrong guess, or the rest of a finished pipeline. */
  if (pipeline->in_flight != fetch)
    {
      fetch_free (fetch);
      return;
    }
  pipeline->in_flight = NULL;

  if (pipeline_check_cancelled (task))
    {
      fetch_free (fetch);
      return;
    }

  if (bytes == NULL)
    {
      fetch_free (fetch);
      pipeline_return (task, g_steal_pointer (&error));
      return;
    }

  page = g_atomic_rc_box_new0 (Page);
  page->cursor = g_steal_pointer (&fetch->cursor);
  page->guess = guess_next_cursor (bytes);
  page->bytes = g_steal_pointer (&bytes);
  g_queue_push_tail (&pipeline->pages, page);
  fetch_free (fetch);

  pipeline_advance (task);
}

static void
chained_cancel (GCancellable *pipeline_cancellable,
                GCancellable *fetch_cancellable)
{
  g_cancellable_cancel (fetch_cancellable);
}

static void
fetch_start (GTask      *task,
             const char *cursor)
{
  Pipeline *pipeline = g_task_get_task_data (task);
  TesseraAccountQuery query = { .updated_since_usec = pipeline->updated_since };
  g_autofree char *path = NULL;
  Fetch *fetch;

  g_assert (pipeline->in_flight == NULL);

  fetch = g_new0 (Fetch, 1);
  fetch->task = g_object_ref (task);
  fetch->cursor = g_strdup (cursor);
  fetch->cancellable = g_cancellable_new ();
  fetch->chained_id = g_cancellable_connect (pipeline->cancellable, G_CALLBACK (chained_cancel),
                                             g_object_ref (fetch->cancellable), g_object_unref);
  pipeline->in_flight = fetch;

  path = _tessera_client_accounts_path (&query, cursor, pipeline->page_size);
  _tessera_client_get_json_async (pipeline->client, path, fetch->cancellable,
                                  on_page_fetched, fetch);
}

static void
on_caller_cancelled (GCancellable *caller_cancellable,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

void
_tessera_account_pages_fetch_async (TesseraClient          *client,
                                    gint64                  updated_since,
                                    guint                   page_size,
                                    TesseraAccountPageFunc  page_func,
                                    gpointer                page_data,
                                    GCancellable           *cancellable,
                                    GAsyncReadyCallback     callback,
                                    gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  Pipeline *pipeline;

  g_assert (TESSERA_IS_CLIENT (client));
  g_assert (page_func != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, _tessera_account_pages_fetch_async);
  g_task_set_check_cancellable (task, FALSE);

  pipeline = g_new0 (Pipeline, 1);
  pipeline->client = g_object_ref (client);
  pipeline->updated_since = updated_since;
  pipeline->page_size = page_size;
  pipeline->page_func = page_func;
  pipeline->page_data = page_data;
  pipeline->cancellable = g_cancellable_new ();
  g_queue_init (&pipeline->pages);
  g_task_set_task_data (task, pipeline, (GDestroyNotify) pipeline_free);

  if (cancellable != NULL)
    {
      pipeline->caller_cancellable = g_object_ref (cancellable);
      pipeline->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                             G_CALLBACK (on_caller_cancelled),
                                                             g_object_ref (pipeline->cancellable),
                                                             g_object_unref);
    }

  fetch_start (task, NULL);
}

gboolean
_tessera_account_pages_fetch_finish (GAsyncResult  *result,
                                     guint         *n_received,
                                     GError       **error)
{
  Pipeline *pipeline;

  g_assert (g_task_is_valid (result, NULL));
  g_assert (g_task_get_source_tag (G_TASK (result)) == _tessera_account_pages_fetch_async);

  pipeline = g_task_get_task_data (G_TASK (result));
  if (n_received != NULL)
    *n_received = pipeline->received;

  return g_task_propagate_boolean (G_TASK (result), error);
}

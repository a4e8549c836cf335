/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-throttle"

#include "config.h"

#include "tessera-throttle.h"

typedef struct {
  char   *key;
  gint64  window_start;
  guint   failures;
  /* Audit pacing of the refusals in this window */
  gboolean audited;
  gint64   last_audit;
  guint    n_unaudited;
  GList    link;           /* in TesseraThrottle.windows, which is ordered by window_start */
} Window;

struct _TesseraThrottle {
  TesseraThrottleLimits  limits;
  TesseraThrottleClock   clock;
  gpointer               clock_data;

  GHashTable            *by_key;     /* char *key → Window *, owns the windows */
  GQueue                 windows;    /* oldest window first: eviction and expiry from the head */

  /* The server-wide window; open while global_failures > 0 */
  gint64                 global_start;
  guint                  global_failures;
  gboolean               global_audited;
  gint64                 global_last_audit;
  guint                  global_n_unaudited;
};

static gint64
default_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static void
window_free (gpointer data)
{
  Window *window = data;

  g_free (window->key);
  g_free (window);
}

void
tessera_throttle_limits_init_default (TesseraThrottleLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->failures_per_address = TESSERA_THROTTLE_DEFAULT_FAILURES_PER_ADDRESS;
  limits->window_seconds = TESSERA_THROTTLE_DEFAULT_WINDOW_SECONDS;
  limits->global_failures = TESSERA_THROTTLE_DEFAULT_GLOBAL_FAILURES;
  limits->max_keys = TESSERA_THROTTLE_DEFAULT_MAX_KEYS;
  limits->audit_interval_seconds = TESSERA_THROTTLE_DEFAULT_AUDIT_INTERVAL;
}

TesseraThrottle *
tessera_throttle_new (const TesseraThrottleLimits *limits)
{
  TesseraThrottle *self;

  g_return_val_if_fail (limits != NULL, NULL);
  g_return_val_if_fail (limits->window_seconds > 0, NULL);
  g_return_val_if_fail (limits->max_keys > 0, NULL);

  self = g_new0 (TesseraThrottle, 1);
  self->limits = *limits;
  self->clock = default_clock;
  self->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, window_free);
  g_queue_init (&self->windows);

  return self;
}

void
tessera_throttle_free (TesseraThrottle *self)
{
  if (self == NULL)
    return;

  /* The hash table owns the windows; the queue only links them. */
  g_queue_init (&self->windows);
  g_hash_table_unref (self->by_key);
  g_free (self);
}

void
tessera_throttle_set_clock (TesseraThrottle      *self,
                            TesseraThrottleClock  clock,
                            gpointer              user_data)
{
  g_return_if_fail (self != NULL);

  self->clock = clock != NULL ? clock : default_clock;
  self->clock_data = user_data;
}

static gint64
window_length (TesseraThrottle *self)
{
  return (gint64) self->limits.window_seconds * G_USEC_PER_SEC;
}

static void
remove_window (TesseraThrottle *self,
               Window          *window)
{
  g_queue_unlink (&self->windows, &window->link);
  g_hash_table_remove (self->by_key, window->key);
}

/* Windows that ended are forgotten; the queue is ordered by start, so they are at its head. */
static void
expire (TesseraThrottle *self,
        gint64           now)
{
  Window *head;

  while ((head = g_queue_peek_head (&self->windows)) != NULL &&
         head->window_start + window_length (self) <= now)
    remove_window (self, head);

  if (self->global_failures > 0 && self->global_start + window_length (self) <= now)
    {
      self->global_failures = 0;
      self->global_audited = FALSE;
      self->global_n_unaudited = 0;
    }
}

static guint
seconds_until (gint64 now,
               gint64 end)
{
  gint64 remaining = end - now;

  /* Round up: answering "retry in 0 s" one microsecond early would invite a refused retry. */
  return (guint) MAX (1, (remaining + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static void
pace_audit (TesseraThrottle       *self,
            gint64                 now,
            gboolean              *audited,
            gint64                *last_audit,
            guint                 *n_unaudited,
            TesseraThrottleResult *result)
{
  gint64 interval = (gint64) self->limits.audit_interval_seconds * G_USEC_PER_SEC;

  if (!*audited || now - *last_audit >= interval)
    {
      result->audit = TRUE;
      result->n_unaudited = *n_unaudited;
      *audited = TRUE;
      *last_audit = now;
      *n_unaudited = 0;
    }
  else
    {
      (*n_unaudited)++;
    }
}

void
tessera_throttle_check (TesseraThrottle       *self,
                        const char            *key,
                        TesseraThrottleResult *result)
{
  gint64 now;
  Window *window;

  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (result != NULL);

  now = self->clock (self->clock_data);
  expire (self, now);

  result->verdict = TESSERA_THROTTLE_ALLOW;
  result->retry_after = 0;
  result->audit = FALSE;
  result->n_unaudited = 0;

  window = g_hash_table_lookup (self->by_key, key);
  if (window != NULL &&
      self->limits.failures_per_address > 0 &&
      window->failures >= self->limits.failures_per_address)
    {
      result->verdict = TESSERA_THROTTLE_REFUSED_ADDRESS;
      result->retry_after = seconds_until (now, window->window_start + window_length (self));
      pace_audit (self, now, &window->audited, &window->last_audit, &window->n_unaudited, result);
      return;
    }

  if (self->limits.global_failures > 0 &&
      self->global_failures >= self->limits.global_failures)
    {
      result->verdict = TESSERA_THROTTLE_REFUSED_GLOBAL;
      result->retry_after = seconds_until (now, self->global_start + window_length (self));
      pace_audit (self, now, &self->global_audited, &self->global_last_audit,
                  &self->global_n_unaudited, result);
      return;
    }
}

void
tessera_throttle_record_failure (TesseraThrottle *self,
                                 const char      *key)
{
  gint64 now;
  Window *window;

  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);

  now = self->clock (self->clock_data);
  expire (self, now);

  window = g_hash_table_lookup (self->by_key, key);
  if (window == NULL)
    {
      if (g_hash_table_size (self->by_key) >= self->limits.max_keys)
        remove_window (self, g_queue_peek_head (&self->windows));

      window = g_new0 (Window, 1);
      window->key = g_strdup (key);
      window->window_start = now;
      window->link.data = window;
      g_queue_push_tail_link (&self->windows, &window->link);
      g_hash_table_insert (self->by_key, window->key, window);
    }

  window->failures++;

  if (self->global_failures == 0)
    self->global_start = now;
  self->global_failures++;
}

guint
tessera_throttle_get_n_keys (TesseraThrottle *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->by_key);
}

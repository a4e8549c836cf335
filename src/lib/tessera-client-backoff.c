/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-client-backoff"

#include "config.h"

#include "tessera-client-backoff.h"

/* splitmix64 (Steele, Lea, Flood 2014): tiny, fast and well spread; not cryptographic. */
static guint64
jitter_next (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);

  return z ^ (z >> 31);
}

/* A value in [0, bound] */
static guint
jitter_uniform (guint64 *state,
                guint    bound)
{
  return (guint) (jitter_next (state) % ((guint64) bound + 1));
}

void
tessera_client_backoff_init (TesseraClientBackoff *self,
                             guint                 initial_ms,
                             guint                 max_ms)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (initial_ms > 0);
  g_return_if_fail (max_ms >= initial_ms);

  self->initial_ms = initial_ms;
  self->max_ms = max_ms;
  self->attempt = 0;
  self->jitter_state = (guint64) g_get_monotonic_time () ^ (guint64) g_get_real_time ()
                       ^ GPOINTER_TO_SIZE (self);
}

void
tessera_client_backoff_reset (TesseraClientBackoff *self)
{
  g_return_if_fail (self != NULL);

  self->attempt = 0;
}

guint
tessera_client_backoff_next (TesseraClientBackoff *self)
{
  guint64 full;

  g_return_val_if_fail (self != NULL, 0);

  full = self->initial_ms;
  for (guint i = 0; i < self->attempt && full < self->max_ms; i++)
    full *= 2;
  full = MIN (full, self->max_ms);

  if (self->attempt < G_MAXUINT)
    self->attempt++;

  return (guint) (full / 2 + jitter_uniform (&self->jitter_state, (guint) (full - full / 2)));
}

guint
tessera_client_backoff_jitter (TesseraClientBackoff *self,
                               guint                 base_ms,
                               guint                 spread_percent)
{
  guint64 spread;

  g_return_val_if_fail (self != NULL, base_ms);

  spread = (guint64) base_ms * MIN (spread_percent, 100) / 100;
  if (spread == 0)
    return base_ms;

  return (guint) (base_ms - spread + jitter_uniform (&self->jitter_state, (guint) (2 * spread)));
}

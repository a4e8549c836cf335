/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Delays for reconnecting and polling: capped exponential backoff with jitter, so that many
 * clients that lost the server at the same moment do not come back at the same moment.
 *
 * The jitter comes from a small non-cryptographic generator (splitmix64) seeded from the
 * clock: the spread of retries is not a secret. Never use it for codes, tokens or passwords.
 */

typedef struct {
  guint64 jitter_state;
  guint   initial_ms;
  guint   max_ms;
  guint   attempt;
} TesseraClientBackoff;

void   tessera_client_backoff_init    (TesseraClientBackoff *self,
                                       guint                 initial_ms,
                                       guint                 max_ms);
/* After a success: the next delay starts again at initial_ms. */
void   tessera_client_backoff_reset   (TesseraClientBackoff *self);
/* The next delay: initial_ms doubling per attempt up to max_ms, then drawn from [half, full]. */
guint  tessera_client_backoff_next    (TesseraClientBackoff *self);
/* @base_ms spread by up to ±@spread_percent, for a steady polling interval. */
guint  tessera_client_backoff_jitter  (TesseraClientBackoff *self,
                                       guint                 base_ms,
                                       guint                 spread_percent);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Failure throttling for OTP redemptions and sign-ins (DESIGN §6). Pure bookkeeping: no I/O,
 * no store, an injectable clock, so the rules can be unit-tested to the second.
 *
 * Rules
 *  - Per key (a source address): a window opens at the key's first failure and lasts
 *    window_seconds. Once failures_per_address failures fall into it, every attempt from that
 *    key is refused until the window ends — valid or not. Refused attempts are not failures:
 *    they neither extend the window nor add to any count. When the window ends the key starts
 *    afresh.
 *  - Server-wide: evaluated failures from all keys share one window of the same length; once
 *    global_failures fall into it, every attempt from every key is refused until it ends.
 *    Because refused attempts never count, a flood from a few throttled addresses cannot push
 *    the server over its ceiling and lock everyone else out; only distributed guessing can.
 *  - Memory is bounded: at most max_keys windows are kept; a new key beyond that evicts the
 *    window that opened first (windows that ended are dropped before anything else).
 *  - Refusals are meant to be audited, but a flood of them must not flood the audit trail:
 *    the first refusal of a window is marked for audit, later ones at most once every
 *    audit_interval_seconds, with the number of refusals that went unaudited in between.
 */

typedef struct _TesseraThrottle TesseraThrottle;

/* Monotonic time in microseconds, like g_get_monotonic_time(). */
typedef gint64 (*TesseraThrottleClock) (gpointer user_data);

typedef struct {
  guint failures_per_address;     /* 0: no per-key limit */
  guint window_seconds;           /* > 0 */
  guint global_failures;          /* 0: no server-wide ceiling */
  guint max_keys;                 /* > 0 */
  guint audit_interval_seconds;
} TesseraThrottleLimits;

#define TESSERA_THROTTLE_DEFAULT_FAILURES_PER_ADDRESS 10
#define TESSERA_THROTTLE_DEFAULT_WINDOW_SECONDS       (15 * 60)
#define TESSERA_THROTTLE_DEFAULT_GLOBAL_FAILURES      500
#define TESSERA_THROTTLE_DEFAULT_MAX_KEYS             10000
#define TESSERA_THROTTLE_DEFAULT_AUDIT_INTERVAL       60

typedef enum {
  TESSERA_THROTTLE_ALLOW,
  TESSERA_THROTTLE_REFUSED_ADDRESS,   /* this key used up its failures */
  TESSERA_THROTTLE_REFUSED_GLOBAL,    /* the server-wide ceiling was reached */
} TesseraThrottleVerdict;

typedef struct {
  TesseraThrottleVerdict verdict;
  guint                  retry_after;  /* whole seconds until allowed again, ≥ 1; 0 when allowed */
  gboolean               audit;        /* write this refusal to the audit trail */
  guint                  n_unaudited;  /* refusals since the last audited one (not this one) */
} TesseraThrottleResult;

void              tessera_throttle_limits_init_default (TesseraThrottleLimits       *limits);

TesseraThrottle  *tessera_throttle_new                 (const TesseraThrottleLimits *limits);
void              tessera_throttle_free                (TesseraThrottle             *self);
void              tessera_throttle_set_clock           (TesseraThrottle             *self,
                                                        TesseraThrottleClock         clock,
                                                        gpointer                     user_data);

/* Decides whether an attempt from @key may be evaluated. */
void              tessera_throttle_check               (TesseraThrottle             *self,
                                                        const char                  *key,
                                                        TesseraThrottleResult       *result);
/* Counts one evaluated failure from @key (call only for attempts that check allowed). */
void              tessera_throttle_record_failure      (TesseraThrottle             *self,
                                                        const char                  *key);

guint             tessera_throttle_get_n_keys          (TesseraThrottle             *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraThrottle, tessera_throttle_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tessera-throttle.h"

#define SECOND G_USEC_PER_SEC

typedef struct {
  gint64 now;
} FakeClock;

static gint64
fake_clock_now (gpointer user_data)
{
  FakeClock *clock = user_data;

  return clock->now;
}

static TesseraThrottle *
new_throttle (FakeClock *clock,
              guint      per_address,
              guint      global)
{
  TesseraThrottleLimits limits;
  TesseraThrottle *throttle;

  tessera_throttle_limits_init_default (&limits);
  limits.failures_per_address = per_address;
  limits.global_failures = global;
  throttle = tessera_throttle_new (&limits);
  /* Start well away from zero so that nothing depends on the clock's origin. */
  clock->now = 1000 * SECOND;
  tessera_throttle_set_clock (throttle, fake_clock_now, clock);

  return throttle;
}

static gboolean
allowed (TesseraThrottle *throttle,
         const char      *key)
{
  TesseraThrottleResult result;

  tessera_throttle_check (throttle, key, &result);
  return result.verdict == TESSERA_THROTTLE_ALLOW;
}

/* One attempt the way the server makes it: check, and count a failure if evaluated. */
static TesseraThrottleResult
fail_once (TesseraThrottle *throttle,
           const char      *key)
{
  TesseraThrottleResult result;

  tessera_throttle_check (throttle, key, &result);
  if (result.verdict == TESSERA_THROTTLE_ALLOW)
    tessera_throttle_record_failure (throttle, key);
  return result;
}

static void
test_throttle_eleventh_attempt_is_refused_with_retry_after (void)
{
  FakeClock clock;
  g_autoptr(TesseraThrottle) throttle = new_throttle (&clock, 10, 0);
  TesseraThrottleResult result;

  for (guint i = 0; i < 10; i++)
    {
      result = fail_once (throttle, "192.0.2.1");
      g_assert_cmpint (result.verdict, ==, TESSERA_THROTTLE_ALLOW);
      clock.now += 10 * SECOND;
    }

  /* The 10 failures took 100 s of a 900 s window that opened with the first one. */
  tessera_throttle_check (throttle, "192.0.2.1", &result);
  g_assert_cmpint (result.verdict, ==, TESSERA_THROTTLE_REFUSED_ADDRESS);
  g_assert_cmpuint (result.retry_after, ==, 800);
}

static void
test_throttle_retry_after_counts_down_and_rounds_up (void)
{
  FakeClock clock;
  g_autoptr(TesseraThrottle) throttle = new_throttle (&clock, 3, 0);
  TesseraThrottleResult result;

  for (guint i = 0; i < 3; i++)
    fail_once (throttle, "192.0.2.1");

  clock.now += 899 * SECOND + SECOND / 2;
  tessera_throttle_check (throttle, "192.0.2.1", &result);
  g_assert_cmpint (result.verdict, ==, TESSERA_THROTTLE_REFUSED_ADDRESS);
  g_assert_cmpuint (result.retry_after, ==, 1);

  clock.now += SECOND / 2;
  g_assert_true (allowed (throttle, "192.0.2.1"));
}

static void
test_throttle_refusals_do_not_extend_the_window (void)
{
  FakeClock clock;
  g_autoptr(TesseraThrottle) throttle = new_throttle (&clock, 10, 0);
  TesseraThrottleResult result;

  for (guint i = 0; i < 10; i++)
    fail_once (throttle, "192.0.2.1");

  /* Hammering away during the lock-out changes nothing about when it ends. */
  for (guint i = 0; i < 89; i++)
    {
      clock.now += 10 * SECOND;
      result = fail_once (throttle, "192.0.2.1");
      g_assert_cmpint (result.verdict, ==, TESSERA_THROTTLE_REFUSED_ADDRESS);
      g_assert_cmpuint (result.retry_after, ==, 900 - 10 * (i + 1));
    }

  clock.now += 10 * SECOND;
  g_assert_true (allowed (throttle, "192.0.2.1"));
}

static void
test_throttle_window_ends_and_address_starts_afresh (void)
{
  FakeClock clock;
  g_autoptr(TesseraThrottle) throttle = new_throttle (&clock, 10, 0);

  for (guint i = 0; i < 9; i++)
    fail_once (throttle, "192.0.2.1");

  clock.now += 900 * SECOND;

  /* The nine old failures are gone: ten new ones are needed for a lock-out. */
  for (guint i = 0; i < 10; i++)
    g_assert_cmpint (fail_once (throttle, "192.0.2.1").verdict, ==, TESSERA_THROTTLE_ALLOW);
  g_assert_false (allowed (throttle, "192.0.2.1"));
}

static void
test_throttle_other_address_is_unaffected (void)
{
  FakeClock clock;
  g_autoptr(TesseraThrottle) throttle = new_throttle (&clock, 10, 0);

  for (guint i = 0; i < 10; i++)
    fail_once (throttle, "192.0.2.1");

  g_assert_false (allowed (throttle, "192.0.2.1"));
  g_assert_true (allowed (throttle, "192.0.2.2"));
  g_assert_true (allowed (throttle, "2001:db8::/64"));
}

static void
test_throttle_global_ceiling_refuses_everyone_until_window_ends (void)
{
  FakeClock clock;
  g_autoptr(TesseraThrottle) throttle = new_throttle (&clock, 10, 50);
  TesseraThrottleResult result;

  /* 50 addresses fail once each: no address is near its own limit. */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *key = g_strdup_printf ("198.51.100.%u", i);

      g_assert_cmpint (fail_once (throttle, key).verdict, ==, TESSERA_THROTTLE_ALLOW);
      clock.now += SECOND;
    }

  tessera_throttle_check (throttle, "203.0.113.7", &result);
  g_assert_cmpint (result.verdict, ==, TESSERA_THROTTLE_REFUSED_GLOBAL);
  g_assert_cmpuint (result.retry_after, ==, 900 - 50);

  clock.now += (900 - 50) * SECOND;
  g_assert_true (allowed (throttle, "203.0.113.7"));
}

static void
test_throttle_refusals_do_not_count_toward_global_ceiling (void)
{
  FakeClock clock;
  g_autoptr(TesseraThrottle) throttle = new_throttle (&clock, 10, 25);

  /* Two flooding addresses: 20 evaluated failures, then thousands of refused attempts. */
  for (guint i = 0; i < 2000; i++)
    {
      fail_once (throttle, "192.0.2.66");
      fail_once (throttle, "192.0.2.67");
    }

  g_assert_false (allowed (throttle, "192.0.2.66"));
  g_assert_true (allowed (throttle, "192.0.2.1"));

  /* The ceiling is still reachable by evaluated failures: five more reach 25. */
  for (guint i = 0; i < 5; i++)
    fail_once (throttle, "192.0.2.1");
  g_assert_false (allowed (throttle, "192.0.2.2"));
}

static void
test_throttle_table_evicts_oldest_window_when_full (void)
{
  FakeClock clock;
  TesseraThrottleLimits limits;
  g_autoptr(TesseraThrottle) throttle = NULL;

  tessera_throttle_limits_init_default (&limits);
  limits.failures_per_address = 2;
  limits.global_failures = 0;
  limits.max_keys = 3;
  throttle = tessera_throttle_new (&limits);
  clock.now = 1000 * SECOND;
  tessera_throttle_set_clock (throttle, fake_clock_now, &clock);

  fail_once (throttle, "a");
  fail_once (throttle, "a");
  clock.now += SECOND;
  fail_once (throttle, "b");
  fail_once (throttle, "b");
  clock.now += SECOND;
  fail_once (throttle, "c");
  g_assert_cmpuint (tessera_throttle_get_n_keys (throttle), ==, 3);
  g_assert_false (allowed (throttle, "a"));

  /* A fourth key evicts the window that opened first ("a"), not a younger one. */
  fail_once (throttle, "d");
  g_assert_cmpuint (tessera_throttle_get_n_keys (throttle), ==, 3);
  g_assert_true (allowed (throttle, "a"));
  g_assert_false (allowed (throttle, "b"));
}

static void
test_throttle_expired_windows_are_forgotten (void)
{
  FakeClock clock;
  g_autoptr(TesseraThrottle) throttle = new_throttle (&clock, 10, 0);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *key = g_strdup_printf ("198.51.100.%u", i);

      fail_once (throttle, key);
    }
  g_assert_cmpuint (tessera_throttle_get_n_keys (throttle), ==, 100);

  clock.now += 900 * SECOND;
  g_assert_true (allowed (throttle, "192.0.2.1"));
  g_assert_cmpuint (tessera_throttle_get_n_keys (throttle), ==, 0);
}

static void
test_throttle_refusal_audits_are_paced (void)
{
  FakeClock clock;
  g_autoptr(TesseraThrottle) throttle = new_throttle (&clock, 1, 0);
  TesseraThrottleResult result;

  fail_once (throttle, "192.0.2.1");

  result = fail_once (throttle, "192.0.2.1");
  g_assert_true (result.audit);
  g_assert_cmpuint (result.n_unaudited, ==, 0);

  for (guint i = 0; i < 30; i++)
    {
      clock.now += SECOND;
      g_assert_false (fail_once (throttle, "192.0.2.1").audit);
    }

  clock.now += 30 * SECOND;
  result = fail_once (throttle, "192.0.2.1");
  g_assert_true (result.audit);
  g_assert_cmpuint (result.n_unaudited, ==, 30);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/throttle/eleventh-attempt-is-refused-with-retry-after",
                   test_throttle_eleventh_attempt_is_refused_with_retry_after);
  g_test_add_func ("/server/throttle/retry-after-counts-down-and-rounds-up",
                   test_throttle_retry_after_counts_down_and_rounds_up);
  g_test_add_func ("/server/throttle/refusals-do-not-extend-the-window",
                   test_throttle_refusals_do_not_extend_the_window);
  g_test_add_func ("/server/throttle/window-ends-and-address-starts-afresh",
                   test_throttle_window_ends_and_address_starts_afresh);
  g_test_add_func ("/server/throttle/other-address-is-unaffected",
                   test_throttle_other_address_is_unaffected);
  g_test_add_func ("/server/throttle/global-ceiling-refuses-everyone-until-window-ends",
                   test_throttle_global_ceiling_refuses_everyone_until_window_ends);
  g_test_add_func ("/server/throttle/refusals-do-not-count-toward-global-ceiling",
                   test_throttle_refusals_do_not_count_toward_global_ceiling);
  g_test_add_func ("/server/throttle/table-evicts-oldest-window-when-full",
                   test_throttle_table_evicts_oldest_window_when_full);
  g_test_add_func ("/server/throttle/expired-windows-are-forgotten",
                   test_throttle_expired_windows_are_forgotten);
  g_test_add_func ("/server/throttle/refusal-audits-are-paced",
                   test_throttle_refusal_audits_are_paced);

  return g_test_run ();
}

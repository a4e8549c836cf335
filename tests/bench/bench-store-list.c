/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-store-common.h"

/*
 * Benchmark store-list (meson test --benchmark --suite micro): timings are printed, never
 * asserted.
 *
 * Generates TESSERA_BENCH_ACCOUNTS (default 100 000) demo accounts, then lists all of them in
 * pages of 1 000 the way GET /api/v1/accounts does: store query only, and store query plus the
 * JSON page the HTTP layer writes. Also a filtered listing (q) and updated_since.
 */

/* On stderr, so `meson test --benchmark --verbose` and the test log show the figures. */
static void
report (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static void
report (const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("%s\n", message);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static guint
list_all (TesseraStore               *store,
          const TesseraAccountFilter *filter,
          gboolean                    encode,
          gsize                      *json_bytes)
{
  g_autofree char *cursor = NULL;
  guint n = 0;

  do
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *next = NULL;
      guint total = 0;

      page = tessera_store_list_accounts (store, filter, cursor, 1000, &next, &total, &error);
      g_assert_no_error (error);
      n += page->len;

      if (encode)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autofree char *json = NULL;
          gsize length = 0;

          tessera_json_encode_page (builder, page,
                                    (TesseraJsonItemEncoder) tessera_account_to_json, next, total);
          json = tessera_json_builder_to_string (builder, &length);
          *json_bytes += length;
        }

      g_free (cursor);
      cursor = g_steal_pointer (&next);
    }
  while (cursor != NULL);

  return n;
}

static void
bench_list (StoreFixture  *fixture,
            gconstpointer  data)
{
  const char *env = g_getenv ("TESSERA_BENCH_ACCOUNTS");
  guint n_accounts = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 100000;
  TesseraAccountFilter query = { .query = "oslo" };
  TesseraAccountFilter ready = { .readiness_mask = 1u << TESSERA_READINESS_READY };
  g_autoptr(GError) error = NULL;
  gsize json_bytes = 0;
  gint64 start;
  guint n;

  start = g_get_monotonic_time ();
  g_assert_true (tessera_store_generate_demo_data (fixture->store, n_accounts, &error));
  g_assert_no_error (error);
  report ("demo data: %u accounts generated and stored in %.3f s", n_accounts,
                  seconds_since (start));

  for (guint run = 0; run < 3; run++)
    {
      start = g_get_monotonic_time ();
      n = list_all (fixture->store, NULL, FALSE, NULL);
      report ("list all, pages of 1000, store only: %u accounts in %.3f s", n,
                      seconds_since (start));
      g_assert_cmpuint (n, ==, n_accounts);
    }

  for (guint run = 0; run < 3; run++)
    {
      json_bytes = 0;
      start = g_get_monotonic_time ();
      n = list_all (fixture->store, NULL, TRUE, &json_bytes);
      report ("list all, pages of 1000, store + JSON: %u accounts, %.1f MB in %.3f s",
                      n, json_bytes / 1e6, seconds_since (start));
    }

  start = g_get_monotonic_time ();
  n = list_all (fixture->store, &query, FALSE, NULL);
  report ("q=oslo: %u accounts in %.3f s", n, seconds_since (start));

  start = g_get_monotonic_time ();
  n = list_all (fixture->store, &ready, FALSE, NULL);
  report ("readiness=ready: %u accounts in %.3f s", n, seconds_since (start));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/store/bench/list-all-accounts-in-pages-of-1000", StoreFixture, NULL,
              store_fixture_setup, bench_list, store_fixture_teardown);

  return g_test_run ();
}

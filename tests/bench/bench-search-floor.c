/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "bench-common.h"
#include "bench-keystrokes.h"

/*
 * Benchmark search-floor (issue 9): the CPU floor of search-as-you-type in the app. A plain C
 * loop runs the app's test — case-insensitive substring of the name, the UPN or the site —
 * over the casefolded strings of every demo account, once per keystroke of a scripted
 * session, and collects the positions of the matches (what a filtered list model must
 * announce). The app's own figure (search_median_ms, search_p95_ms: keystroke to updated list)
 * belongs beside this one; the keys are folded once, before timing, as the app's model does.
 *
 * Each account's key is "name \x1f upn \x1f site", all casefolded: one strstr() per account
 * instead of three is the fastest plain loop (about 2.5 times faster here), and the separator
 * cannot be typed, so no match spans two fields. Sorted by name, like the list.
 *
 * Prints bench: search_floor_ms (median per keystroke) and search_floor_p95_ms.
 */

#define DEFAULT_RUNS 5

static GPtrArray *
load_keys (const char *db_path)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT display_name, upn, site FROM accounts "
                          "ORDER BY display_name, id", -1, &stmt, NULL) != SQLITE_OK)
    g_error ("cannot read %s: %s", db_path, sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *name = g_utf8_casefold ((const char *) sqlite3_column_text (stmt, 0), -1);
      g_autofree char *upn = g_utf8_casefold ((const char *) sqlite3_column_text (stmt, 1), -1);
      g_autofree char *site = g_utf8_casefold ((const char *) sqlite3_column_text (stmt, 2), -1);

      g_ptr_array_add (keys, g_strconcat (name, "\x1f", upn, "\x1f", site, NULL));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return keys;
}

/* One keystroke: the positions of the accounts that match @text. */
static void
filter (GPtrArray  *keys,
        const char *text,
        GArray     *matches)
{
  g_autofree char *needle = g_utf8_casefold (text, -1);
  char **k = (char **) keys->pdata;
  guint n = keys->len;

  g_array_set_size (matches, 0);
  for (guint i = 0; i < n; i++)
    {
      if (needle[0] == '\0' || strstr (k[i], needle) != NULL)
        g_array_append_val (matches, i);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GArray) matches = g_array_sized_new (FALSE, FALSE, sizeof (guint), 100000);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) run_medians = g_array_new (FALSE, FALSE, sizeof (double));
  guint runs = bench_n_runs (DEFAULT_RUNS);
  guint n_oslo_4 = 0;
  double median, p95;

  keys = load_keys (bench_template_db ());
  g_assert_cmpuint (keys->len, ==, bench_template_n_accounts ());

  /* Warm the caches with one pass over the script. */
  for (gsize s = 0; s < G_N_ELEMENTS (bench_keystrokes); s++)
    filter (keys, bench_keystrokes[s], matches);

  for (guint run = 0; run < runs; run++)
    {
      g_autoptr(GArray) run_times = g_array_new (FALSE, FALSE, sizeof (double));
      double run_median;

      for (gsize s = 0; s < G_N_ELEMENTS (bench_keystrokes); s++)
        {
          gint64 start = g_get_monotonic_time ();
          double ms;

          filter (keys, bench_keystrokes[s], matches);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (times, ms);
          g_array_append_val (run_times, ms);
          if (g_str_equal (bench_keystrokes[s], "oslo 4"))
            n_oslo_4 = matches->len;
        }
      run_median = bench_median (run_times);
      g_array_append_val (run_medians, run_median);
      bench_say ("run %u: %" G_GSIZE_FORMAT " keystrokes, median %.2f ms, slowest %.2f ms",
                 run + 1, G_N_ELEMENTS (bench_keystrokes), run_median,
                 g_array_index (run_times, double, run_times->len - 1));
    }

  /* Something must match a common query, or the loop proves nothing. */
  g_assert_cmpuint (n_oslo_4, >, 0);

  median = bench_median (run_medians);
  p95 = bench_percentile (times, 95);
  bench_say ("search-floor: %u accounts, %" G_GSIZE_FORMAT " keystrokes × %u runs: median "
             "%.2f ms, p95 %.2f ms per keystroke (“oslo 4” matches %u)",
             keys->len, G_N_ELEMENTS (bench_keystrokes), runs, median, p95, n_oslo_4);
  bench_figure ("search_floor_ms", median);
  bench_figure ("search_floor_p95_ms", p95);

  bench_cleanup ();
  return 0;
}

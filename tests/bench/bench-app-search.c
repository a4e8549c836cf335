/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-app-common.h"
#include "bench-keystrokes.h"
#include "tessera-account-cell.h"

/*
 * Benchmark app-search (issue 9): search-as-you-type at 100 000 accounts in the real window,
 * from a keystroke to the next frame that shows its result (budget: 50 ms median, 100 ms
 * p95, DESIGN §5), beside the floor of the same keystrokes (bench-search-floor.c, a plain C
 * loop; both take them from bench-keystrokes.h).
 *
 * A fresh process per renderer (bench-app-common.h) signs in, waits until every account is
 * in the list and painted, opens the search bar, and types the script into the real
 * GtkSearchEntry (inserting and deleting text as keys would), pausing 50 ms between keys as
 * a quick typist would. Each keystroke is timed from setting the text to the first
 * GdkFrameClock "after-paint" after the accounts model announced the new result (so the
 * entry's own search delay, if any, counts: a person waits for it too). One pass over the
 * script warms up; the others are measured.
 *
 * Prints bench: search_median_ms (median of the passes' medians), search_p95_ms and
 * search_max_ms (over every measured keystroke), search_model_ms (median from the keystroke
 * to the model's result, before any drawing), search_max_stall_ms (the longest time the UI
 * could not respond while typing); the same with the suffix _cairo for the cairo renderer.
 */

#define DEFAULT_RUNS   4
#define PAUSE_MSEC    50

typedef struct {
  gint64 changed;     /* when the model announced the result of the current keystroke */
  gint64 painted;     /* the first frame after it */
} Keystroke;

static void
on_query_changed (TesseraAccountsModel *model,
                  GParamSpec           *pspec,
                  Keystroke            *keystroke)
{
  if (keystroke->changed == 0)
    keystroke->changed = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock,
                Keystroke     *keystroke)
{
  if (keystroke->changed != 0 && keystroke->painted == 0)
    keystroke->painted = g_get_monotonic_time ();
}

/*
 * Changes the entry's text from what it is to @text as keys would: Backspace deletes the
 * tail, typing inserts at the end. (gtk_editable_set_text() would delete everything first,
 * and an empty search entry reports its change at once, without its usual delay.)
 */
static void
type_into (GtkEditable *entry,
           const char  *text)
{
  const char *current = gtk_editable_get_text (entry);
  gsize common = 0;
  int position;

  while (current[common] != '\0' && current[common] == text[common])
    common++;
  /* Back to the start of a character */
  while (common > 0 && (current[common] & 0xc0) == 0x80)
    common--;

  position = (int) g_utf8_pointer_to_offset (current, current + common);
  if (current[common] != '\0')
    gtk_editable_delete_text (entry, position, -1);
  if (text[common] != '\0')
    gtk_editable_insert_text (entry, text + common, -1, &position);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, text);
}

static guint
count_cells (GtkWidget *widget)
{
  guint n = TESSERA_IS_ACCOUNT_CELL (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_cells (child);
  return n;
}

static int
run_child (guint runs)
{
  g_autoptr(BenchAppChild) child = bench_app_child_new ();
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) models = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pass_medians = g_array_new (FALSE, FALSE, sizeof (double));
  TesseraWindow *window;
  TesseraAccountsPage *page;
  TesseraAccountsModel *model;
  GtkEditable *entry;
  Keystroke keystroke = { 0, 0 };
  guint n_oslo_4 = 0;
  double stall, median, p95, slowest;

  window = ui_test_window_new ();
  bench_app_count_frames (GTK_WIDGET (window));
  ui_test_sign_in (window, child->url, child->username, child->password);
  ui_test_wait_until (ui_test_get_accounts_page (window) != NULL);
  page = ui_test_get_accounts_page (window);
  ui_test_wait_until (tessera_accounts_page_get_loaded (page));
  model = tessera_accounts_page_get_model (page);
  g_assert_cmpuint (tessera_accounts_model_get_n_accounts (model), ==, child->n_accounts);

  gtk_search_bar_set_search_mode (
    _tessera_accounts_page_get_part (page, TESSERA_ACCOUNTS_PAGE_PART_SEARCH_BAR), TRUE);
  entry = _tessera_accounts_page_get_part (page, TESSERA_ACCOUNTS_PAGE_PART_SEARCH_ENTRY);
  bench_app_wait_frame (GTK_WIDGET (window));
  bench_app_settle (500);
  printf ("%u cells in the column view\n",
          count_cells (_tessera_accounts_page_get_part (page,
                                                        TESSERA_ACCOUNTS_PAGE_PART_COLUMN_VIEW)));

  g_signal_connect (model, "notify::query", G_CALLBACK (on_query_changed), &keystroke);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint), &keystroke);

  for (guint pass = 0; pass <= runs; pass++)
    {
      g_autoptr(GArray) pass_frames = g_array_new (FALSE, FALSE, sizeof (double));

      /* Pass 0 warms up */
      if (pass == 1)
        {
          /* For `perf report --time` of a child recorded with -k CLOCK_MONOTONIC */
          printf ("measuring from %.6f s (monotonic)\n", g_get_monotonic_time () / 1e6);
          bench_app_stall_monitor_start ();
        }

      for (gsize s = 0; s < G_N_ELEMENTS (bench_keystrokes); s++)
        {
          gint64 start;
          double frame_ms, model_ms;

          keystroke.changed = keystroke.painted = 0;
          start = g_get_monotonic_time ();
          type_into (entry, bench_keystrokes[s]);
          ui_test_wait_until (keystroke.painted != 0);

          g_assert_cmpstr (tessera_accounts_model_get_query (model), ==, bench_keystrokes[s]);
          if (g_str_equal (bench_keystrokes[s], "oslo 4"))
            n_oslo_4 = g_list_model_get_n_items (G_LIST_MODEL (model));

          frame_ms = (keystroke.painted - start) / 1000.0;
          model_ms = (keystroke.changed - start) / 1000.0;
          if (pass == runs && g_getenv ("TESSERA_BENCH_VERBOSE") != NULL)
            printf ("“%s”: %u shown, model %.1f ms, frame %.1f ms\n", bench_keystrokes[s],
                    g_list_model_get_n_items (G_LIST_MODEL (model)), model_ms, frame_ms);
          if (pass > 0)
            {
              g_array_append_val (frames, frame_ms);
              g_array_append_val (pass_frames, frame_ms);
              g_array_append_val (models, model_ms);
            }
          bench_app_settle (PAUSE_MSEC);
        }

      if (pass > 0)
        {
          double pass_median = bench_median (pass_frames);

          g_array_append_val (pass_medians, pass_median);
          printf ("pass %u: %" G_GSIZE_FORMAT " keystrokes, median %.2f ms, slowest %.2f ms\n",
                  pass, G_N_ELEMENTS (bench_keystrokes), pass_median,
                  g_array_index (pass_frames, double, pass_frames->len - 1));
        }
    }
  stall = bench_app_stall_monitor_stop ();
  printf ("measured until %.6f s (monotonic)\n", g_get_monotonic_time () / 1e6);

  /* A common query must find something, or nothing was measured */
  g_assert_cmpuint (n_oslo_4, >, 0);

  median = bench_median (pass_medians);
  p95 = bench_percentile (frames, 95);
  slowest = g_array_index (frames, double, frames->len - 1);
  printf ("renderer %s; “oslo 4” shows %u accounts\n",
          bench_app_renderer_name (GTK_WIDGET (window)), n_oslo_4);
  bench_app_child_result ("median_ms", median);
  bench_app_child_result ("p95_ms", p95);
  bench_app_child_result ("max_ms", slowest);
  bench_app_child_result ("model_ms", bench_median (models));
  bench_app_child_result ("max_stall_ms", stall);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BenchServer) server = NULL;
  guint runs = bench_n_runs (DEFAULT_RUNS);
  static const char *const keys[][2] = {
    { "median_ms", "search_median" }, { "p95_ms", "search_p95" }, { "max_ms", "search_max" },
    { "model_ms", "search_model" }, { "max_stall_ms", "search_max_stall" },
  };

  if (argc == 3 && g_str_equal (argv[1], "--child") && g_str_equal (argv[2], "search"))
    return run_child (runs);

  server = bench_server_new ();
  for (guint r = 0; r < G_N_ELEMENTS (bench_app_renderers); r++)
    {
      const BenchAppRenderer *renderer = &bench_app_renderers[r];
      g_autoptr(GHashTable) results = bench_app_run_child (server, "search", renderer);

      bench_say ("app-search, %s: %" G_GSIZE_FORMAT " keystrokes × %u passes, keystroke to "
                 "painted result: median %.2f ms, p95 %.2f ms, slowest %.2f ms; to the model's "
                 "result %.2f ms; longest stall %.1f ms",
                 renderer->name, G_N_ELEMENTS (bench_keystrokes), runs,
                 bench_app_result_get (results, "median_ms"),
                 bench_app_result_get (results, "p95_ms"),
                 bench_app_result_get (results, "max_ms"),
                 bench_app_result_get (results, "model_ms"),
                 bench_app_result_get (results, "max_stall_ms"));
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          g_autofree char *key = g_strdup_printf ("%s%s_ms", keys[k][1], renderer->suffix);

          bench_figure (key, bench_app_result_get (results, keys[k][0]));
        }
    }

  g_clear_pointer (&server, bench_server_free);
  bench_cleanup ();
  return 0;
}

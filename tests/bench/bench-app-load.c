/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "bench-app-common.h"

/*
 * Benchmark app-load (issue 9): from pressing Sign In to the accounts on screen, in the real
 * app against a real server with 100 000 demo accounts (budget: "100 000 accounts loaded and
 * shown within 1.5 s of sign-in"), and the resident memory they add.
 *
 * Each run is a fresh process (bench-app-common.h) that shows the sign-in page, lets it
 * settle, reads VmRSS, fills in the server, user name and password and presses Sign In, then
 * watches the window's frame clock: the first frame painted with rows in the list, and the
 * first frame painted once all accounts are in the model (the count then reads "100 000
 * accounts"). After that it lets the loader's threads and idle work finish and reads VmRSS
 * again: the difference is what the accounts cost, with their model, rows and caches.
 *
 * Prints bench: app_first_list_frame_s, app_all_rows_frame_s, app_sign_in_s (pressing Sign In
 * to the first frame of the accounts page, still empty: mostly the sign-in request, whose
 * Argon2id check takes the server ~50 ms), app_load_max_stall_ms (the longest time
 * the UI could not respond while loading), app_rss_added_mb, app_rss_peak_added_mb (the
 * process's peak resident size, VmHWM, over its size before Sign In) and app_rss_peak_mb (that
 * peak, whole) — medians; the same with the suffix _cairo for the cairo renderer.
 */

#define DEFAULT_RUNS 5
#define N_KEYS       7

typedef struct {
  BenchAppChild *child;
  TesseraWindow *window;
  gint64         pressed;
  gint64         page_shown;
  gint64         first_rows;
  gint64         all_rows;
} LoadRun;

static void
on_after_paint (GdkFrameClock *clock,
                LoadRun       *run)
{
  TesseraAccountsPage *page = ui_test_get_accounts_page (run->window);
  TesseraAccountsModel *model;
  GtkWidget *view;
  gint64 now = g_get_monotonic_time ();

  if (page == NULL)
    return;
  model = tessera_accounts_page_get_model (page);
  view = _tessera_accounts_page_get_part (page, TESSERA_ACCOUNTS_PAGE_PART_COLUMN_VIEW);

  if (run->page_shown == 0)
    run->page_shown = now;

  if (run->first_rows == 0 && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0 &&
      gtk_widget_get_mapped (view))
    run->first_rows = now;

  if (run->all_rows == 0 &&
      tessera_accounts_model_get_n_accounts (model) == run->child->n_accounts)
    run->all_rows = now;
}

static int
run_child (void)
{
  g_autoptr(BenchAppChild) child = bench_app_child_new ();
  LoadRun run = { child, NULL, 0, 0, 0, 0 };
  TesseraAccountsPage *page;
  guint64 rss_before, rss_after, rss_trimmed, rss_peak;
  double stall;

  run.window = ui_test_window_new ();
  bench_app_count_frames (GTK_WIDGET (run.window));
  bench_app_wait_frame (GTK_WIDGET (run.window));
  bench_app_settle (500);
  rss_before = bench_vm_rss_kb ();

  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (run.window)), "after-paint",
                    G_CALLBACK (on_after_paint), &run);

  bench_app_stall_monitor_start ();
  run.pressed = g_get_monotonic_time ();
  ui_test_sign_in (run.window, child->url, child->username, child->password);
  ui_test_wait_until (run.all_rows != 0);
  stall = bench_app_stall_monitor_stop ();

  page = ui_test_get_accounts_page (run.window);
  g_assert_nonnull (page);
  g_assert_cmpuint (tessera_accounts_model_get_n_accounts (tessera_accounts_page_get_model (page)),
                    ==, child->n_accounts);
  ui_test_wait_until (tessera_accounts_page_get_loaded (page));

  /* As an idle app would be: the decoding threads done, their buffers freed */
  bench_app_settle (1000);
  rss_after = bench_vm_rss_kb ();
  rss_peak = bench_vm_hwm_kb ();
  /* How much of it glibc only keeps for later (freed page buffers, thread arenas) */
  malloc_trim (0);
  rss_trimmed = bench_vm_rss_kb ();

  printf ("renderer %s\n", bench_app_renderer_name (GTK_WIDGET (run.window)));
  bench_app_child_result ("sign_in_s", (run.page_shown - run.pressed) / 1e6);
  bench_app_child_result ("first_rows_s", (run.first_rows - run.pressed) / 1e6);
  bench_app_child_result ("all_rows_s", (run.all_rows - run.pressed) / 1e6);
  bench_app_child_result ("max_stall_ms", stall);
  bench_app_child_result ("rss_before_kb", rss_before);
  bench_app_child_result ("rss_after_kb", rss_after);
  bench_app_child_result ("rss_trimmed_kb", rss_trimmed);
  bench_app_child_result ("rss_peak_kb", rss_peak);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BenchServer) server = NULL;
  guint runs = bench_n_runs (DEFAULT_RUNS);
  GArray *values[G_N_ELEMENTS (bench_app_renderers)][N_KEYS] = { { NULL } };
  static const char *const keys[N_KEYS] = {
    "app_first_list_frame_s", "app_all_rows_frame_s", "app_sign_in_s",
    "app_load_max_stall_ms", "app_rss_added_mb", "app_rss_peak_added_mb", "app_rss_peak_mb",
  };

  if (argc == 3 && g_str_equal (argv[1], "--child") && g_str_equal (argv[2], "load"))
    return run_child ();

  server = bench_server_new ();
  for (guint r = 0; r < G_N_ELEMENTS (bench_app_renderers); r++)
    for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
      values[r][k] = g_array_new (FALSE, FALSE, sizeof (double));

  /* One run of each renderer first, not counted: the page cache, the server's caches. */
  for (guint r = 0; r < G_N_ELEMENTS (bench_app_renderers); r++)
    g_hash_table_unref (bench_app_run_child (server, "load", &bench_app_renderers[r]));

  for (guint run = 0; run < runs; run++)
    for (guint i = 0; i < G_N_ELEMENTS (bench_app_renderers); i++)
      {
        /* Alternate which renderer goes first, so load from elsewhere hits both alike */
        guint r = (run % 2 == 0) ? i : G_N_ELEMENTS (bench_app_renderers) - 1 - i;
        const BenchAppRenderer *renderer = &bench_app_renderers[r];
        g_autoptr(GHashTable) results = bench_app_run_child (server, "load", renderer);
        double figures[N_KEYS], trimmed;

        figures[0] = bench_app_result_get (results, "first_rows_s");
        figures[1] = bench_app_result_get (results, "all_rows_s");
        figures[2] = bench_app_result_get (results, "sign_in_s");
        figures[3] = bench_app_result_get (results, "max_stall_ms");
        figures[4] = (bench_app_result_get (results, "rss_after_kb") -
                      bench_app_result_get (results, "rss_before_kb")) * 1024 / 1e6;
        figures[5] = (bench_app_result_get (results, "rss_peak_kb") -
                      bench_app_result_get (results, "rss_before_kb")) * 1024 / 1e6;
        figures[6] = bench_app_result_get (results, "rss_peak_kb") * 1024 / 1e6;
        trimmed = (bench_app_result_get (results, "rss_trimmed_kb") -
                   bench_app_result_get (results, "rss_before_kb")) * 1024 / 1e6;
        for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
          g_array_append_val (values[r][k], figures[k]);

        bench_say ("run %u, %s: signed in %.3f s, first rows %.3f s, all %u rows %.3f s, "
                   "longest stall %.0f ms, +%.1f MB resident (+%.1f MB after malloc_trim; "
                   "peak +%.1f MB, %.1f MB in all)",
                   run + 1, renderer->name, figures[2], figures[0],
                   bench_template_n_accounts (), figures[1], figures[3], figures[4], trimmed,
                   figures[5], figures[6]);
      }

  for (guint r = 0; r < G_N_ELEMENTS (bench_app_renderers); r++)
    {
      const BenchAppRenderer *renderer = &bench_app_renderers[r];

      bench_say ("app-load, %s (medians of %u): signed in %.3f s, first rows %.3f s, all rows "
                 "%.3f s after pressing Sign In; longest stall %.0f ms; +%.1f MB resident "
                 "(peak +%.1f MB, %.1f MB in all)",
                 renderer->name, runs, bench_median (values[r][2]), bench_median (values[r][0]),
                 bench_median (values[r][1]), bench_median (values[r][3]),
                 bench_median (values[r][4]), bench_median (values[r][5]),
                 bench_median (values[r][6]));
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          const char *unit = strrchr (keys[k], '_');
          g_autofree char *key = g_strdup_printf ("%.*s%s%s", (int) (unit - keys[k]), keys[k],
                                                  renderer->suffix, unit);

          bench_figure (key, bench_median (values[r][k]));
        }
    }

  for (guint r = 0; r < G_N_ELEMENTS (bench_app_renderers); r++)
    for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
      g_array_unref (values[r][k]);
  g_clear_pointer (&server, bench_server_free);
  bench_cleanup ();
  return 0;
}

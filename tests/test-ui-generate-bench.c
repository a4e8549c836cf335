/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Benchmark (meson test --benchmark --verbose ui-generate-bench): the Generate OTP assistant
 * over 100 000 accounts — opening it, a search keystroke in its account list (the model, and
 * until the next frame is painted), the "Show only ready accounts" switch, Select All, Clear
 * and the Review page. Figures are printed, never asserted: timings belong to benchmarks.
 *
 * No server is needed: the assistant reads its accounts from the main window's model, and
 * its one request (the organisation's settings) fails at once against a closed port.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tessera-generate-window-private.h"
#include "test-ui-common.h"

#define N_ACCOUNTS 100000

static const char *const cities[] = {
  "Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø", "Drammen", "Kristiansand", "Ålesund",
  "Bodø", "Molde", "Hamar", "Lillehammer", "Stockholm", "Göteborg", "Malmö", "København",
  "Aarhus", "Helsinki", "Tampere", "Reykjavík",
};
static const char *const words[] = {
  "Fjord", "Nordlys", "Holmen", "Sentrum", "Bryggen", "Fløyen", "Vågen", "Lysaker", "Storgata",
  "Torget", "Havna", "Skogen", "Fjellet", "Elva", "Bakken", "Kaia", "Parken", "Tårnet",
};

/* What a person types: growing, shrinking and replaced searches */
static const char *const sessions[][12] = {
  { "o", "os", "osl", "oslo", "oslo ", "oslo 1", "oslo 1.", "oslo 1.0", "oslo 1.", "oslo 1",
    "oslo ", "" },
  { "b", "be", "ber", "berg", "berge", "bergen", "bergen 2", "bergen", "berge", "berg", "ber", "" },
  { "f", "fj", "fjo", "fjor", "fjord", "fjor", "fjo", "fj", "f", "", NULL },
  { "e", "ex", "exa", "exam", "examp", "exampl", "example", "example.", "example.org", "", NULL },
};

static void
fill (TesseraAccountsModel *model)
{
  static const char *const issues[] = { TESSERA_READINESS_ISSUE_PASSWORD_EXPIRES, NULL };
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      const char *city = cities[g_rand_int_range (rand, 0, G_N_ELEMENTS (cities))];
      const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
      int floor = g_rand_int_range (rand, 1, 30), room = g_rand_int_range (rand, 1, 60);
      int kind = g_rand_int_range (rand, 0, 10);
      g_autofree char *id = g_strdup_printf ("acc_%08x%06u", g_rand_int (rand), i);
      g_autofree char *name = g_strdup_printf ("%s %d.%02d %s", city, floor, room, word);
      g_autofree char *lower = g_utf8_strdown (city, -1);
      g_autofree char *upn = g_strdup_printf ("%s-%d.%02d-%u@rooms.example.org",
                                              lower, floor, room, i);

      /* ~70 % ready, ~20 % change settings, ~10 % without a license, as the demo data */
      g_ptr_array_add (accounts,
                       tessera_account_new (id, name, upn, city,
                                            kind == 9 ? NULL : "Teams Rooms Pro",
                                            kind >= 7 && kind < 9 ? issues : NULL));
    }

  for (guint i = 0; i < accounts->len; i += 1000)
    tessera_accounts_model_add (model, (TesseraAccount **) accounts->pdata + i,
                                MIN (1000, accounts->len - i));
}

static gboolean painted;

static void
on_after_paint (void)
{
  painted = TRUE;
}

static void
wait_for_frame (GtkWidget *window)
{
  painted = FALSE;
  gtk_widget_queue_draw (window);
  ui_test_wait_until (painted);
}

static void
bench_assistant_at_100000 (void)
{
  g_autoptr(TesseraAccountsModel) source = tessera_accounts_model_new ();
  g_autoptr(TesseraClient) client = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  TesseraGenerateWindow *assistant;
  TesseraAccountsModel *model;
  GtkWidget *parent;
  long rss_before, rss_after;
  gint64 start;
  double ms;

  /* Port 9 (discard) on loopback: nothing listens, the settings request fails at once */
  client = tessera_client_new ("http://127.0.0.1:9", &error);
  g_assert_no_error (error);

  fill (source);
  /* 5 000 selected in the main window arrive preselected (the ready ones) */
  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(TesseraAccount) account = g_list_model_get_item (G_LIST_MODEL (source), i * 20);

      tessera_accounts_model_set_account_selected (source, account, TRUE);
    }

  /* The assistant's own model alone: the same accounts, keys copied */
  {
    g_autoptr(TesseraAccountsModel) copy = NULL;

    rss_before = ui_bench_rss_kib ();
    start = g_get_monotonic_time ();
    copy = tessera_accounts_model_new_sharing (source);
    ms = ui_bench_elapsed_ms (start);
    rss_after = ui_bench_rss_kib ();
    g_test_message ("second model over the same accounts: %.1f ms, +%.1f MB", ms,
                    (rss_after - rss_before) / 1024.0);
  }

  parent = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (parent));
  ui_test_wait_until (gtk_widget_get_mapped (parent));

  rss_before = ui_bench_rss_kib ();
  start = g_get_monotonic_time ();
  assistant = TESSERA_GENERATE_WINDOW (tessera_generate_window_new (GTK_WINDOW (parent), client,
                                                                    source));
  ms = ui_bench_elapsed_ms (start);
  gtk_window_present (GTK_WINDOW (assistant));
  ui_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (assistant)));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (assistant)), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
  wait_for_frame (GTK_WIDGET (assistant));
  rss_after = ui_bench_rss_kib ();
  g_test_message ("open: made in %.1f ms, first frame after %.1f ms, +%.1f MB for %u accounts",
                  ms, ui_bench_elapsed_ms (start), (rss_after - rss_before) / 1024.0, N_ACCOUNTS);

  model = tessera_generate_window_get_accounts (assistant);
  g_test_message ("preselected: %u (of 5 000 selected in the main window)",
                  tessera_accounts_model_get_n_selected (model));

  /* Keystrokes, as the search entry hands them on (after its typing pause) */
  for (int round = 0; round < 3; round++)
    for (guint s = 0; s < G_N_ELEMENTS (sessions); s++)
      for (guint k = 0; k < G_N_ELEMENTS (sessions[s]) && sessions[s][k] != NULL; k++)
        {
          start = g_get_monotonic_time ();
          tessera_accounts_model_set_query (model, sessions[s][k]);
          ms = ui_bench_elapsed_ms (start);
          g_array_append_val (times, ms);
          wait_for_frame (GTK_WIDGET (assistant));
          ms = ui_bench_elapsed_ms (start);
          g_array_append_val (frames, ms);
          if (g_getenv ("BENCH_VERBOSE"))
            g_test_message ("  %-12s %7.2f ms  %7.2f ms  (%u shown)", sessions[s][k],
                            g_array_index (times, double, times->len - 1), ms,
                            g_list_model_get_n_items (G_LIST_MODEL (model)));
        }
  ui_bench_report ("keystroke: model and items-changed", times);
  ui_bench_report ("keystroke: until the next frame is painted", frames);

  /* The switch: all accounts in, only ready ones out */
  g_array_set_size (times, 0);
  for (int round = 0; round < 5; round++)
    {
      GtkSwitch *ready_only = _tessera_generate_window_get_part (
        assistant, TESSERA_GENERATE_PART_READY_ONLY_SWITCH);

      start = g_get_monotonic_time ();
      gtk_switch_set_active (ready_only, !gtk_switch_get_active (ready_only));
      wait_for_frame (GTK_WIDGET (assistant));
      ms = ui_bench_elapsed_ms (start);
      g_array_append_val (times, ms);
    }
  ui_bench_report ("show only ready on/off, until painted", times);

  g_array_set_size (times, 0);
  g_array_set_size (frames, 0);
  for (int round = 0; round < 5; round++)
    {
      start = g_get_monotonic_time ();
      _tessera_generate_window_select_all (assistant);
      wait_for_frame (GTK_WIDGET (assistant));
      ms = ui_bench_elapsed_ms (start);
      g_array_append_val (times, ms);

      start = g_get_monotonic_time ();
      _tessera_generate_window_clear_selection (assistant);
      wait_for_frame (GTK_WIDGET (assistant));
      ms = ui_bench_elapsed_ms (start);
      g_array_append_val (frames, ms);
    }
  ui_bench_report ("select all (every ready one), until painted", times);
  ui_bench_report ("clear, until painted", frames);

  /* Review with every ready account selected: the names are counted, not listed */
  _tessera_generate_window_select_all (assistant);
  g_test_message ("selected for review: %u", tessera_accounts_model_get_n_selected (model));
  gtk_widget_activate_action (GTK_WIDGET (assistant), "generate.next", NULL);
  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (assistant), "generate.next", NULL);
  wait_for_frame (GTK_WIDGET (assistant));
  g_test_message ("configuration → review, until painted: %.1f ms", ui_bench_elapsed_ms (start));
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_REVIEW);

  gtk_window_destroy (GTK_WINDOW (assistant));
  gtk_window_destroy (GTK_WINDOW (parent));
  ui_test_drain ();
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/bench/generate-assistant-at-100000", bench_assistant_at_100000);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bench-common.h"

/*
 * Benchmark redeem (issue 9): 8 consoles redeem distinct valid codes at the same time, each
 * in its own thread with its own connections (one per request: the server answers with
 * "Connection: close"), over loopback. Figure: redemptions per second (all answered 201) and
 * the p50/p99 latency of one redemption, request sent to reply read.
 *
 * The reference is the server's HTTP floor: the same 8 consoles sending as many
 * GET /healthz (no store, no crypto) in the same way.
 *
 * Prints bench: redeem_per_s, redeem_p50_ms, redeem_p99_ms, and healthz_per_s,
 * healthz_p99_ms for the floor (medians of the runs).
 */

#define DEFAULT_RUNS     5
#define N_CONSOLES       8
#define PER_CONSOLE      250
#define PER_RUN          (N_CONSOLES * PER_CONSOLE)
#define BATCH_SIZE       1000

typedef struct {
  guint16      port;
  GPtrArray   *codes;       /* NULL: GET /healthz instead */
  guint        first;
  guint        n;
  guint        console;

  /* Start line */
  GMutex      *mutex;
  GCond       *cond;
  gboolean    *go;

  /* Results */
  GArray      *latencies_ms;
  gint64       started;
  gint64       finished;
} Console;

static gpointer
console_run (gpointer data)
{
  Console *self = data;
  g_autoptr(GString) buffer = g_string_sized_new (8192);

  g_mutex_lock (self->mutex);
  while (!*self->go)
    g_cond_wait (self->cond, self->mutex);
  g_mutex_unlock (self->mutex);

  self->started = g_get_monotonic_time ();
  for (guint i = self->first; i < self->first + self->n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *body = NULL;
      const char *response;
      gsize length = 0;
      gint64 start;
      double ms;
      guint status;

      if (self->codes != NULL)
        body = g_strdup_printf ("{\"code\":\"%s\",\"device\":{\"make\":\"Bench\","
                                "\"model\":\"Console %u\",\"serial_number\":\"SN-%u-%u\"}}",
                                (const char *) g_ptr_array_index (self->codes, i),
                                self->console, self->console, i);

      start = g_get_monotonic_time ();
      if (body != NULL)
        status = bench_http (self->port, "POST", "/api/v1/device/redemptions", NULL, body,
                             buffer, &response, &length, &error);
      else
        status = bench_http (self->port, "GET", "/healthz", NULL, NULL, buffer, &response,
                             &length, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      if (status != (body != NULL ? 201u : 200u))
        g_error ("console %u: %s answered %u: %.*s", self->console,
                 body != NULL ? "a redemption" : "/healthz", status, (int) MIN (length, 300),
                 response);
      g_array_append_val (self->latencies_ms, ms);
      if (body != NULL)
        memset (body, 0, strlen (body));
    }
  self->finished = g_get_monotonic_time ();
  return NULL;
}

/* One run of N_CONSOLES consoles; returns requests per second and the latencies. */
static double
run_consoles (BenchServer *server,
              GPtrArray   *codes,
              guint        first,
              GArray      *latencies_ms)
{
  Console consoles[N_CONSOLES];
  GThread *threads[N_CONSOLES];
  GMutex mutex;
  GCond cond;
  gboolean go = FALSE;
  gint64 started = G_MAXINT64, finished = 0;

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  for (guint c = 0; c < N_CONSOLES; c++)
    {
      consoles[c] = (Console) {
        .port = bench_server_get_port (server),
        .codes = codes,
        .first = first + c * PER_CONSOLE,
        .n = PER_CONSOLE,
        .console = c + 1,
        .mutex = &mutex,
        .cond = &cond,
        .go = &go,
        .latencies_ms = g_array_sized_new (FALSE, FALSE, sizeof (double), PER_CONSOLE),
      };
      threads[c] = g_thread_new ("console", console_run, &consoles[c]);
    }

  g_mutex_lock (&mutex);
  go = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&mutex);

  for (guint c = 0; c < N_CONSOLES; c++)
    {
      g_thread_join (threads[c]);
      started = MIN (started, consoles[c].started);
      finished = MAX (finished, consoles[c].finished);
      g_array_append_vals (latencies_ms, consoles[c].latencies_ms->data,
                           consoles[c].latencies_ms->len);
      g_array_unref (consoles[c].latencies_ms);
    }
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);

  return PER_RUN / ((finished - started) / (double) G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BenchServer) server = NULL;
  g_autoptr(GString) buffer = g_string_sized_new (1 << 20);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) p50s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) p99s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_p99s = g_array_new (FALSE, FALSE, sizeof (double));
  guint runs = bench_n_runs (DEFAULT_RUNS);
  /* One run's worth of codes for the warm-up, then one per run. */
  guint n_codes = (runs + 1) * PER_RUN;
  guint n_batches = (n_codes + BATCH_SIZE - 1) / BATCH_SIZE;

  server = bench_server_new ();
  ids = bench_ready_account_ids (bench_server_get_db_path (server), 0, n_batches * BATCH_SIZE);
  for (guint b = 0; b < n_batches; b++)
    bench_issue_batch (server, ids, b * BATCH_SIZE, BATCH_SIZE, buffer, codes);
  g_assert_cmpuint (codes->len, >=, n_codes);

  /* Warm-up: the first connections and redemptions of a fresh process. */
  {
    g_autoptr(GArray) ignored = g_array_new (FALSE, FALSE, sizeof (double));

    run_consoles (server, codes, 0, ignored);
    g_array_set_size (ignored, 0);
    run_consoles (server, NULL, 0, ignored);
  }

  for (guint run = 1; run <= runs; run++)
    {
      g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) floor_latencies = g_array_new (FALSE, FALSE, sizeof (double));
      double rate, floor_rate, p50, p99, floor_p99;

      if (run % 2 == 1)
        {
          rate = run_consoles (server, codes, run * PER_RUN, latencies);
          floor_rate = run_consoles (server, NULL, 0, floor_latencies);
        }
      else
        {
          floor_rate = run_consoles (server, NULL, 0, floor_latencies);
          rate = run_consoles (server, codes, run * PER_RUN, latencies);
        }
      p50 = bench_percentile (latencies, 50);
      p99 = bench_percentile (latencies, 99);
      floor_p99 = bench_percentile (floor_latencies, 99);
      g_array_append_val (rates, rate);
      g_array_append_val (p50s, p50);
      g_array_append_val (p99s, p99);
      g_array_append_val (floor_rates, floor_rate);
      g_array_append_val (floor_p99s, floor_p99);
      bench_say ("run %u: %u redemptions by %u consoles: %.0f/s, p50 %.2f ms, p99 %.2f ms; "
                 "GET /healthz: %.0f/s, p99 %.2f ms",
                 run, PER_RUN, N_CONSOLES, rate, p50, p99, floor_rate, floor_p99);
    }

  bench_say ("redeem: %.0f redemptions/s (p50 %.2f ms, p99 %.2f ms) with %u consoles; "
             "GET /healthz %.0f/s (medians of %u)",
             bench_median (rates), bench_median (p50s), bench_median (p99s), N_CONSOLES,
             bench_median (floor_rates), runs);
  bench_figure ("redeem_per_s", bench_median (rates));
  bench_figure ("redeem_p50_ms", bench_median (p50s));
  bench_figure ("redeem_p99_ms", bench_median (p99s));
  bench_figure ("healthz_per_s", bench_median (floor_rates));
  bench_figure ("healthz_p99_ms", bench_median (floor_p99s));

  g_clear_pointer (&server, bench_server_free);
  bench_cleanup ();
  return 0;
}

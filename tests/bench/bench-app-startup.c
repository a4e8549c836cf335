/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bench-common.h"

/*
 * Benchmark app-startup (issue 9): from exec of the real `tessera` program to its first
 * frame, the sign-in page (budget: 300 ms).
 *
 * Each run starts the installed-to-be binary (TESSERA_APP_PATH) with fresh settings
 * (GSETTINGS_BACKEND=memory: no saved server or user, so no keyring lookup and no silent
 * sign-in) and TESSERA_REPORT_FIRST_FRAME=1, which makes the app print the monotonic time of
 * its first "after-paint" (src/app/main.c); that time minus the time just before spawning is
 * the figure. The app is then stopped with SIGTERM. Runs alternate the GL and the cairo
 * renderer; the very first run (cold: shaders, fonts and files not yet cached) is reported
 * apart and not counted.
 *
 * Prints bench: startup_ms and startup_cairo_ms (medians), startup_first_ms (the cold run).
 */

#define DEFAULT_RUNS   7
#define DEADLINE_SEC  60

typedef struct {
  GMainLoop *loop;
  char      *line;
  gboolean   timed_out;
} Wait;

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, &error);
  if (wait->line == NULL && error != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("reading the app's output: %s", error->message);
  g_main_loop_quit (wait->loop);
}

static gboolean
on_deadline (gpointer user_data)
{
  Wait *wait = user_data;

  wait->timed_out = TRUE;
  g_main_loop_quit (wait->loop);
  return G_SOURCE_REMOVE;
}

/* One start: the ms from spawning to the first frame. */
static double
start_once (const char *gsk_renderer)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("TESSERA_APP_PATH");
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL, FALSE };
  gint64 spawned, painted = 0;
  guint deadline;

  if (path == NULL || *path == '\0')
    g_error ("TESSERA_APP_PATH is not set: run through `meson test --benchmark` or "
             "build-aux/bench");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "TESSERA_REPORT_FIRST_FRAME", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  if (gsk_renderer != NULL)
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", gsk_renderer, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GSK_RENDERER");

  spawned = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawn (launcher, &error, path, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  deadline = g_timeout_add_seconds (DEADLINE_SEC, on_deadline, &wait);
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, cancellable, on_line, &wait);
  g_main_loop_run (wait.loop);
  if (wait.timed_out)
    {
      g_cancellable_cancel (cancellable);
      g_main_loop_run (wait.loop);
    }
  else
    {
      g_source_remove (deadline);
    }

  if (wait.line != NULL)
    sscanf (wait.line, "tessera: first frame at %" G_GINT64_FORMAT, &painted);

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  g_main_loop_unref (wait.loop);

  if (painted == 0)
    g_error ("the app painted no first frame within %d s (it printed “%s”)", DEADLINE_SEC,
             wait.line != NULL ? wait.line : "");
  g_free (wait.line);

  return (painted - spawned) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *name; const char *gsk_renderer; const char *key; }
    renderers[] = {
      { "gl", NULL, "startup_ms" },
      { "cairo", "cairo", "startup_cairo_ms" },
    };
  GArray *times[G_N_ELEMENTS (renderers)] = { NULL };
  guint runs = bench_n_runs (DEFAULT_RUNS);
  double first;

  first = start_once (NULL);
  bench_say ("first (cold) start, gl: %.0f ms", first);

  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    times[r] = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint run = 0; run < runs; run++)
    for (guint i = 0; i < G_N_ELEMENTS (renderers); i++)
      {
        guint r = (run % 2 == 0) ? i : G_N_ELEMENTS (renderers) - 1 - i;
        double ms = start_once (renderers[r].gsk_renderer);

        g_array_append_val (times[r], ms);
        bench_say ("run %u, %s: exec to the first frame of the sign-in page %.0f ms",
                   run + 1, renderers[r].name, ms);
      }

  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    {
      double median = bench_median (times[r]);

      bench_say ("app-startup, %s: %.0f ms (median of %u)", renderers[r].name, median, runs);
      bench_figure (renderers[r].key, median);
      g_array_unref (times[r]);
    }
  bench_figure ("startup_first_ms", first);
  return 0;
}

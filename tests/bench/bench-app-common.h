/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "test-ui-common.h"

#include "bench-common.h"

G_BEGIN_DECLS

/*
 * What the app's benchmarks share (bench-app-load.c, bench-app-search.c).
 *
 * The app is measured in fresh child processes of the benchmark, one per run and renderer,
 * because what a person waits for after signing in includes everything a new process does
 * the first time (types, CSS, fonts, the renderer's shaders). The parent starts one real
 * tessera-server (bench-common.c), then runs itself with `--child MODE` under the headless
 * session build-aux/bench sets up (Xvfb, a private D-Bus session, an unlocked keyring). The
 * child builds the app's real TesseraWindow, signs in through the sign-in page as a person
 * would (the URL, user name and password come on stdin, never argv), and prints its
 * measurements as lines "result KEY VALUE", which the parent collects.
 *
 * Renderers: GTK 4.8 under Xvfb draws with GL on llvmpipe unless GSK_RENDERER=cairo. The
 * app cannot choose its user's renderer, so both are measured; the figures without a suffix
 * are GTK's default (GL), the ones ending in _cairo the cairo renderer.
 *
 * TESSERA_BENCH_CHILD_WRAPPER runs each child under a profiler, e.g.
 * "perf record -g -o app.data --" or "valgrind --tool=callgrind" (figures then mean nothing).
 */

typedef struct {
  const char *name;          /* "gl", "cairo" */
  const char *gsk_renderer;  /* the GSK_RENDERER of the child; NULL: GTK's default */
  const char *suffix;        /* of its figures' keys: "" or "_cairo" */
} BenchAppRenderer;

extern const BenchAppRenderer bench_app_renderers[2];

/* Parent: runs this program with --child @mode; returns KEY → double* of its results. */
GHashTable    *bench_app_run_child          (BenchServer            *server,
                                             const char             *mode,
                                             const BenchAppRenderer *renderer);
double         bench_app_result_get         (GHashTable             *results,
                                             const char             *key);

/* Child */
typedef struct {
  char  *url;
  char  *username;
  char  *password;         /* wiped by bench_app_child_free() */
  guint  n_accounts;
} BenchAppChild;

/* gtk_init() (not gtk_test_init(): a benchmark is not a test) and what came on stdin. */
BenchAppChild *bench_app_child_new          (void);
void           bench_app_child_free         (BenchAppChild          *child);
/* "result KEY VALUE" on stdout */
void           bench_app_child_result       (const char             *key,
                                             double                  value);
/* The name of the GskRenderer the window draws with */
const char    *bench_app_renderer_name      (GtkWidget              *window);

/* Counts the window's painted frames; bench_app_frames() is the count so far. */
void           bench_app_count_frames       (GtkWidget              *window);
guint          bench_app_frames             (void);
/* The monotonic time of the last after-paint */
gint64         bench_app_last_frame_time    (void);
/* Queues a redraw and waits until the window painted it */
void           bench_app_wait_frame         (GtkWidget              *window);
/*
 * The longest time the main loop could not dispatch (ms): a timeout every few milliseconds
 * notes how late it runs. Input and frames wait just as long, so this is the UI's longest
 * stall while the monitor runs.
 */
void           bench_app_stall_monitor_start (void);
double         bench_app_stall_monitor_stop  (void);
/* Iterates the main loop for @msec, so that idle work and threads settle */
void           bench_app_settle             (guint                   msec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchAppChild, bench_app_child_free)

G_END_DECLS

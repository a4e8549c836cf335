/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * What the benchmarks of issue 9 share (tests/bench, `meson test --benchmark --suite perf`).
 *
 * Each benchmark measures its figure beside a reference in the same process, alternating the
 * two in every run so that load from other processes hits both alike, and prints:
 *   - one human line per run and a summary, and
 *   - one machine-readable line per figure, "bench: key=value" (medians of the runs), which
 *     build-aux/bench collects into its table and its --json object.
 * Nothing is asserted about time: a benchmark fails only when the work was not done.
 *
 * Environment:
 *   TESSERA_SERVER_PATH    the tessera-server under test (set by tests/bench/meson.build)
 *   TESSERA_BENCH_DB       a database made by `tessera-server demo-data` to copy instead of
 *                          making one (build-aux/bench prepares it once for every benchmark);
 *                          its key file must be beside it
 *   TESSERA_BENCH_ACCOUNTS how many demo accounts to make when TESSERA_BENCH_DB is unset
 *                          (default 100 000)
 *   TESSERA_BENCH_RUNS     measured runs per figure (default: each benchmark's own, ≥ 3)
 */

#define BENCH_DEFAULT_ACCOUNTS 100000
#define BENCH_PAGE_SIZE        1000

guint        bench_n_runs              (guint         default_runs);

/* Medians and percentiles (nearest rank) of doubles; the array is sorted in place. */
double       bench_median              (GArray       *values);
double       bench_percentile          (GArray       *values,
                                        double        percent);

/* "bench: KEY=VALUE" on stdout, flushed; what build-aux/bench reads. */
void         bench_figure              (const char   *key,
                                        double        value);
/* A line for people (stdout, flushed). */
void         bench_say                 (const char   *format,
                                        ...) G_GNUC_PRINTF (1, 2);

double       bench_seconds_since       (gint64        start_usec);

/* The demo database every benchmark copies (TESSERA_BENCH_DB, or one made once). */
const char  *bench_template_db         (void);
guint        bench_template_n_accounts (void);
/* Removes what bench_template_db() made, if anything; call at the end of main(). */
void         bench_cleanup             (void);

/*
 * A real `tessera-server serve` on a private copy of the template database, on an ephemeral
 * loopback port, with one admin ("bench") created through the command line (password on
 * stdin) and signed in. Its environment is the caller's minus G_MESSAGES_DEBUG, so it logs
 * exactly what a deployed server logs (one line per request), to a file. Fails hard on any
 * error: a benchmark that cannot start its server has nothing to measure.
 */
typedef struct _BenchServer BenchServer;

BenchServer *bench_server_new          (void);
void         bench_server_free         (BenchServer  *self);
guint16      bench_server_get_port     (BenchServer  *self);
/* "http://127.0.0.1:PORT", no trailing slash */
const char  *bench_server_get_url      (BenchServer  *self);
/* The bench admin's session token (a secret: never print it) */
const char  *bench_server_get_token    (BenchServer  *self);
/* The bench admin's name and password (a secret: never print it, never put it on argv) */
const char  *bench_server_get_username (BenchServer  *self);
const char  *bench_server_get_password (BenchServer  *self);
const char  *bench_server_get_db_path  (BenchServer  *self);
const char  *bench_server_get_dir      (BenchServer  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchServer, bench_server_free)

/*
 * Plain HTTP/1.1 over loopback with blocking sockets: one connection per request, as the
 * server answers everything with "Connection: close" (libsoup 3.2.3 leaks idle kept-alive
 * connections; see src/server/tessera-http-server.c), and as curl and TesseraClient pay too.
 * The reply is read to EOF into @buffer (reused between calls, so no allocation per page);
 * *@body points into it. Returns the HTTP status, or 0 with @error set.
 */
guint        bench_http                (guint16       port,
                                        const char   *method,
                                        const char   *path_and_query,
                                        const char   *token,
                                        const char   *body,
                                        GString      *buffer,
                                        const char  **response_body,
                                        gsize        *response_length,
                                        GError      **error);

/*
 * The next_cursor of a page of a list, read from its last bytes (the server writes it after
 * the items), or NULL on the last page; fails hard when there is none.
 */
char        *bench_find_next_cursor    (const char   *body,
                                        gsize         length);
/* "/api/v1/accounts?limit=1000[&cursor=…]" */
char        *bench_account_page_path   (const char   *cursor);
/* The page paths ("/api/v1/accounts?limit=1000&cursor=…") of every account, in order. */
GPtrArray   *bench_account_page_paths  (BenchServer  *server);

/* The JSON body of a reply, parsed; fails hard when it is not JSON. */
JsonNode    *bench_parse_json          (const char   *body,
                                        gsize         length);

/*
 * Ids of @n ready accounts from @db_path (sorted by id), skipping the first @offset; fails
 * hard when there are fewer.
 */
GPtrArray   *bench_ready_account_ids   (const char   *db_path,
                                        guint         offset,
                                        guint         n);

/*
 * POST /api/v1/otp-batches for ids[@from, @from + @n) in "generate" mode; fails hard unless
 * it answers 201 with @n issued OTPs. Returns the seconds from sending the request to the
 * last byte of the 201 (the check is not timed). The codes go into @codes when not NULL.
 */
double       bench_issue_batch         (BenchServer  *server,
                                        GPtrArray    *ids,
                                        guint         from,
                                        guint         n,
                                        GString      *buffer,
                                        GPtrArray    *codes);

/* VmRSS of this process in kB, from /proc/self/status. */
guint64      bench_vm_rss_kb           (void);
/* The peak of VmRSS so far (the process's high-water mark) */
guint64      bench_vm_hwm_kb           (void);

G_END_DECLS

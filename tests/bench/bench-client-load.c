/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "tessera-account-loader.h"
#include "tessera-client.h"

#include "bench-common.h"

/*
 * Benchmark client-load (issue 9): every account into the GListStore of
 * TesseraAccountLoader (what the app does right after sign-in), against the network-and-
 * server floor: curl fetching the very same pages to /dev/null, one process for all of them.
 * The server answers each request with "Connection: close", so curl, like the client, opens
 * one connection per page: the comparison is fair.
 *
 * Memory: the resident memory that 100 000 accounts add, measured in a fresh process (this
 * program with --measure-rss) that signs nothing in itself (it is handed the URL and token on
 * stdin, never on the command line), makes the client and the loader, does one small request
 * so that libsoup, GType and the decoder are set up, reads VmRSS, loads everything, lets the
 * worker threads finish, and reads VmRSS again. The difference counts the accounts, the
 * model, and whatever glibc keeps of the freed page buffers, exactly as the app would hold
 * them. MB are 10^6 bytes.
 *
 * Prints bench: client_load_s, client_load_floor_s and client_rss_added_mb (medians).
 */

#define DEFAULT_RUNS     5
#define DEFAULT_RSS_RUNS 3

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static TesseraClient *
new_client (const char *url,
            const char *token)
{
  g_autoptr(TesseraClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = tessera_client_new (url, &error);
  g_assert_no_error (error);
  tessera_client_set_timeout (client, 120);
  tessera_client_set_token (client, token);
  return g_steal_pointer (&client);
}

/* Loads everything into a new loader; returns the seconds it took and keeps the loader. */
static double
load_all (TesseraClient         *client,
          guint                  n_expected,
          TesseraAccountLoader **out_loader)
{
  g_autoptr(TesseraAccountLoader) loader = tessera_account_loader_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  tessera_account_loader_load_async (loader, NULL, on_done, &result);
  tessera_account_loader_load_finish (loader, wait_for (&result), &error);
  seconds = bench_seconds_since (start);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tessera_account_loader_get_model (loader)), ==,
                    n_expected);

  if (out_loader != NULL)
    *out_loader = g_steal_pointer (&loader);
  return seconds;
}

static double
fetch_with_curl (const char *config_path)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "curl", "--silent", "--fail",
                              "--config", config_path, NULL);
  if (process == NULL)
    g_error ("cannot run curl (Debian package curl): %s", error->message);
  if (!g_subprocess_wait_check (process, NULL, &error))
    g_error ("curl: %s", error->message);
  return bench_seconds_since (start);
}

/* The child of measure_rss(): prints "rss_kb BEFORE AFTER AFTER_TRIM". */
static int
measure_rss_child (void)
{
  g_autoptr(TesseraClient) client = NULL;
  g_autoptr(TesseraAccountLoader) loader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  char url[256], token[256], expected[32];
  guint64 before, after, after_trim;
  guint total = 0;

  if (fgets (url, sizeof url, stdin) == NULL || fgets (token, sizeof token, stdin) == NULL ||
      fgets (expected, sizeof expected, stdin) == NULL)
    g_error ("--measure-rss reads the URL, the token and the count from stdin");
  g_strchomp (url);
  g_strchomp (token);

  client = new_client (url, token);
  memset (token, 0, sizeof token);

  /* Everything but the accounts set up: libsoup's session and connection, the types. */
  tessera_client_list_accounts_async (client, NULL, NULL, 1, NULL, on_done, &result);
  page = tessera_client_list_accounts_finish (client, wait_for (&result), &cursor, &total,
                                              &error);
  g_assert_no_error (error);
  g_clear_pointer (&page, g_ptr_array_unref);
  g_clear_object (&result);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  before = bench_vm_rss_kb ();
  load_all (client, (guint) g_ascii_strtoull (expected, NULL, 10), &loader);
  /* Let the decoding threads and pending sources finish, as an idle app would. */
  g_usleep (200 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  after = bench_vm_rss_kb ();
  malloc_trim (0);
  after_trim = bench_vm_rss_kb ();

  printf ("rss_kb %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
          before, after, after_trim);
  return 0;
}

static void
measure_rss (BenchServer *server,
             double      *added_mb,
             double      *added_trimmed_mb)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *out = NULL;
  guint64 before = 0, after = 0, after_trim = 0;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              &error, self_path, "--measure-rss", NULL);
  g_assert_no_error (error);
  input = g_strdup_printf ("%s\n%s\n%u\n", bench_server_get_url (server),
                           bench_server_get_token (server), bench_template_n_accounts ());
  if (!g_subprocess_communicate_utf8 (process, input, NULL, &out, NULL, &error))
    g_error ("--measure-rss: %s", error->message);
  memset (input, 0, strlen (input));
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0 ||
      sscanf (out, "rss_kb %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
              &before, &after, &after_trim) != 3)
    g_error ("--measure-rss failed: %s", out);

  *added_mb = (double) (after - before) * 1024 / 1e6;
  *added_trimmed_mb = (double) ((gint64) after_trim - (gint64) before) * 1024 / 1e6;
  bench_say ("rss: VmRSS %.1f MB before, %.1f MB after loading (%.1f MB after malloc_trim)",
             before * 1024 / 1e6, after * 1024 / 1e6, after_trim * 1024 / 1e6);
}

/* A 0600 curl config with the token header and every page: the token never goes on argv. */
static char *
write_curl_config (BenchServer *server)
{
  g_autoptr(GPtrArray) paths = bench_account_page_paths (server);
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *config_path = g_build_filename (bench_server_get_dir (server), "curl.config", NULL);

  g_string_append_printf (config, "header = \"Authorization: Bearer %s\"\n",
                          bench_server_get_token (server));
  for (guint i = 0; i < paths->len; i++)
    g_string_append_printf (config, "url = \"%s%s\"\noutput = \"/dev/null\"\n",
                            bench_server_get_url (server),
                            (const char *) g_ptr_array_index (paths, i));
  g_file_set_contents_full (config_path, config->str, (gssize) config->len,
                            G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  g_assert_no_error (error);
  memset (config->str, 0, config->len);
  return config_path;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BenchServer) server = NULL;
  g_autoptr(TesseraClient) client = NULL;
  g_autoptr(GArray) loads = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floors = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *config_path = NULL;
  guint runs = bench_n_runs (DEFAULT_RUNS);
  guint n_accounts;
  double load_median, floor_median, rss_median;

  if (argc == 2 && g_str_equal (argv[1], "--measure-rss"))
    return measure_rss_child ();

  server = bench_server_new ();
  n_accounts = bench_template_n_accounts ();
  client = new_client (bench_server_get_url (server), bench_server_get_token (server));
  config_path = write_curl_config (server);

  /* Warm both paths (page cache, SQLite's cache, the client's types) before measuring. */
  fetch_with_curl (config_path);
  load_all (client, n_accounts, NULL);

  for (guint run = 0; run < runs; run++)
    {
      double l, f;

      if (run % 2 == 0)
        {
          f = fetch_with_curl (config_path);
          l = load_all (client, n_accounts, NULL);
        }
      else
        {
          l = load_all (client, n_accounts, NULL);
          f = fetch_with_curl (config_path);
        }
      g_array_append_val (loads, l);
      g_array_append_val (floors, f);
      bench_say ("run %u: TesseraAccountLoader %.3f s, curl %.3f s", run + 1, l, f);
    }

  for (guint run = 0; run < MIN (runs, DEFAULT_RSS_RUNS); run++)
    {
      double added, added_trimmed;

      measure_rss (server, &added, &added_trimmed);
      g_array_append_val (rss, added);
      bench_say ("rss run %u: +%.1f MB for %u accounts (+%.1f MB after malloc_trim)",
                 run + 1, added, n_accounts, added_trimmed);
    }

  load_median = bench_median (loads);
  floor_median = bench_median (floors);
  rss_median = bench_median (rss);
  bench_say ("client-load: %u accounts: TesseraAccountLoader %.3f s, curl %.3f s (medians of "
             "%u), ratio %.2f; +%.1f MB resident",
             n_accounts, load_median, floor_median, runs, load_median / floor_median,
             rss_median);
  bench_figure ("client_load_s", load_median);
  bench_figure ("client_load_floor_s", floor_median);
  bench_figure ("client_rss_added_mb", rss_median);

  g_clear_object (&client);
  g_clear_pointer (&server, bench_server_free);
  bench_cleanup ();
  return 0;
}

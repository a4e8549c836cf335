/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "tessera-account-loader.h"
#include "test-client-common.h"

/*
 * Benchmark (meson test --benchmark client-load --verbose): TesseraAccountLoader loading
 * 100 000 accounts (100 pages of 1 000) from a real server, against curl fetching the very
 * same 100 pages to /dev/null with one process and keep-alive. The budget (issue 9) is twice
 * curl's time. Runs alternate so that load from other processes hits both alike; medians are
 * printed. Nothing is asserted about time: numbers go to the log.
 */

#define N_ACCOUNTS 100000
#define PAGE_SIZE  1000
#define N_RUNS     5

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* The URLs of every page, in order, as curl will fetch them. */
static GPtrArray *
page_urls (TesseraTestServer *server,
           TesseraClient     *client)
{
  GPtrArray *urls = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;

  do
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      char *next = NULL;

      g_ptr_array_add (urls, g_strdup_printf ("%s/api/v1/accounts?limit=%u%s%s",
                                              tessera_test_server_get_url (server), PAGE_SIZE,
                                              escaped ? "&cursor=" : "", escaped ? escaped : ""));
      page = test_client_list_accounts (client, NULL, cursor, PAGE_SIZE, &next, NULL, &error);
      g_assert_no_error (error);
      g_free (cursor);
      cursor = next;
    }
  while (cursor != NULL);

  return urls;
}

static double
time_curl (const char *config_path)
{
  const char *argv[] = { "curl", "--silent", "--fail", "--config", config_path, NULL };
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));

  return (g_get_monotonic_time () - start) / 1e6;
}

static double
time_loader (TesseraClient *client)
{
  g_autoptr(TesseraAccountLoader) loader = tessera_account_loader_new (client);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  tessera_account_loader_load_async (loader, NULL, test_client_on_done, &result);
  g_assert_true (tessera_account_loader_load_finish (loader, test_client_wait (&result), &error));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tessera_account_loader_get_model (loader)), ==,
                    N_ACCOUNTS);
  g_object_unref (result);

  return seconds;
}

static void
test_load_100000_accounts_against_curl (void)
{
  TesseraTestServerOptions options = { .demo_accounts = N_ACCOUNTS };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraClient) client = test_client_new (server);
  g_autoptr(TesseraSession) session = NULL;
  g_autoptr(GPtrArray) urls = NULL;
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;
  double curl_times[N_RUNS], loader_times[N_RUNS];
  double curl_median, loader_median;

  session = test_client_sign_in (client, TESSERA_TEST_VIEWER,
                                 tessera_test_server_get_password (server, TESSERA_TEST_VIEWER),
                                 &error);
  g_assert_no_error (error);

  urls = page_urls (server, client);
  g_assert_cmpuint (urls->len, ==, N_ACCOUNTS / PAGE_SIZE);

  /* The token goes into a 0600 file, never onto a command line. */
  g_string_append_printf (config, "header = \"Authorization: Bearer %s\"\n",
                          tessera_session_get_token (session));
  for (guint i = 0; i < urls->len; i++)
    g_string_append_printf (config, "url = \"%s\"\noutput = \"/dev/null\"\n",
                            (const char *) g_ptr_array_index (urls, i));
  config_path = g_build_filename (tessera_test_server_get_dir (server), "curl.config", NULL);
  g_file_set_contents_full (config_path, config->str, config->len,
                            G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  g_assert_no_error (error);

  /* Warm both paths (page cache, SQLite cache) before measuring. */
  time_curl (config_path);
  time_loader (client);

  for (guint i = 0; i < N_RUNS; i++)
    {
      curl_times[i] = time_curl (config_path);
      loader_times[i] = time_loader (client);
      g_test_message ("run %u: curl %.3f s, loader %.3f s", i + 1, curl_times[i], loader_times[i]);
    }

  curl_median = median (curl_times, N_RUNS);
  loader_median = median (loader_times, N_RUNS);
  g_test_message ("client-load: %u accounts in %u pages: curl %.3f s, TesseraAccountLoader "
                  "%.3f s (median of %u), ratio %.2f (budget 2.00)",
                  N_ACCOUNTS, urls->len, curl_median, loader_median, N_RUNS,
                  loader_median / curl_median);
  g_printerr ("client-load: curl %.3f s, loader %.3f s, ratio %.2f\n",
              curl_median, loader_median, loader_median / curl_median);

  g_remove (config_path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/client/bench/load-100000-accounts-against-curl",
                   test_load_100000_accounts_against_curl);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bench-common.h"

/*
 * Benchmark server-list (issue 9): every account through GET /api/v1/accounts in pages of
 * 1 000, following next_cursor, against the storage floor: `sqlite3 -json` dumping the same
 * columns of the same rows in the same order from the same database file.
 *
 * The HTTP client is a plain blocking socket that reads each page to EOF and takes
 * next_cursor from the end of the bytes (the server writes it after the items), so the
 * figure is the server's time plus one loopback connection per page, not a client's parsing.
 *
 * Prints bench: server_list_s and server_list_floor_s (medians of the runs).
 */

#define DEFAULT_RUNS 5

#define FLOOR_SQL \
  "SELECT id, display_name, upn, site, license, readiness_issues, readiness, provisioning, " \
  "otp_id, issued_by, otp_expires_at, request_id, updated_at " \
  "FROM accounts ORDER BY display_name, id"

/*
 * One walk through every page. With @check, each page is also parsed and its items counted,
 * which the timed runs leave out.
 */
static double
list_all (BenchServer *server,
          GString     *buffer,
          gboolean     check)
{
  g_autofree char *cursor = NULL;
  gint64 start = g_get_monotonic_time ();
  guint n_pages = 0;
  guint n_items = 0;

  do
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = bench_account_page_path (cursor);
      const char *body;
      gsize length = 0;
      guint status;

      status = bench_http (bench_server_get_port (server), "GET", path,
                           bench_server_get_token (server), NULL, buffer, &body, &length,
                           &error);
      g_assert_no_error (error);
      if (status != 200)
        g_error ("page %u answered %u", n_pages + 1, status);
      n_pages++;

      if (check)
        {
          g_autoptr(JsonNode) root = bench_parse_json (body, length);
          JsonObject *object = json_node_get_object (root);

          n_items += json_array_get_length (json_object_get_array_member (object, "items"));
          g_assert_cmpint (json_object_get_int_member (object, "total"), ==,
                           bench_template_n_accounts ());
        }

      g_free (cursor);
      cursor = bench_find_next_cursor (body, length);
    }
  while (cursor != NULL);

  if (check)
    {
      g_assert_cmpuint (n_items, ==, bench_template_n_accounts ());
      g_assert_cmpuint (n_pages, ==, (n_items + BENCH_PAGE_SIZE - 1) / BENCH_PAGE_SIZE);
    }
  return bench_seconds_since (start);
}

static double
dump_with_sqlite3 (BenchServer *server)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              "sqlite3", "-readonly", "-json",
                              bench_server_get_db_path (server), FLOOR_SQL, NULL);
  if (process == NULL)
    g_error ("cannot run sqlite3 (Debian package sqlite3): %s", error->message);
  if (!g_subprocess_wait_check (process, NULL, &error))
    g_error ("sqlite3: %s", error->message);
  return bench_seconds_since (start);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BenchServer) server = NULL;
  g_autoptr(GString) buffer = g_string_sized_new (1 << 20);
  g_autoptr(GArray) api = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floors = g_array_new (FALSE, FALSE, sizeof (double));
  guint runs = bench_n_runs (DEFAULT_RUNS);
  double api_median, floor_median;

  server = bench_server_new ();

  /* Warm the page cache and both paths; check that the API really hands out every account. */
  list_all (server, buffer, TRUE);
  dump_with_sqlite3 (server);

  for (guint run = 0; run < runs; run++)
    {
      double a, f;

      /* Alternate the order, so neither side always runs right after the other. */
      if (run % 2 == 0)
        {
          a = list_all (server, buffer, FALSE);
          f = dump_with_sqlite3 (server);
        }
      else
        {
          f = dump_with_sqlite3 (server);
          a = list_all (server, buffer, FALSE);
        }
      g_array_append_val (api, a);
      g_array_append_val (floors, f);
      bench_say ("run %u: API %.3f s, sqlite3 -json %.3f s", run + 1, a, f);
    }

  api_median = bench_median (api);
  floor_median = bench_median (floors);
  bench_say ("server-list: %u accounts in pages of %u: API %.3f s, sqlite3 -json %.3f s "
             "(medians of %u), ratio %.2f",
             bench_template_n_accounts (), BENCH_PAGE_SIZE, api_median, floor_median, runs,
             api_median / floor_median);
  bench_figure ("server_list_s", api_median);
  bench_figure ("server_list_floor_s", floor_median);

  g_clear_pointer (&server, bench_server_free);
  bench_cleanup ();
  return 0;
}

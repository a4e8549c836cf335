/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A full database (DESIGN §6, house rule 3: bad luck gets a clear error and loses nothing),
 * against a real tessera-server: a change that does not fit is refused with 503 and a problem,
 * nothing of it is written — not one account of a batch — reads go on, and the server takes
 * changes again once space returns, without a restart.
 *
 * The disk is the operator's safety valve [store] max_database_pages, set to the size of the
 * file, which the test first pads with a filler table standing for everything else on the
 * disk. Dropping the filler from another connection frees pages inside the file, as deleting
 * a big file frees a disk: the same pages the server may then use, at the same limit.
 */
#include "config.h"

#include <string.h>

#include "tessera-test-api.h"
#include "tessera-test-db.h"

#define N_ACCOUNTS      150
#define IDEMPOTENCY_KEY "fault-database-full-1"

static TesseraTestResponse *
post_batch (TesseraTestClient *client,
            const char        *token,
            GPtrArray         *ids)
{
  g_autofree char *text = tessera_test_api_batch_body ((const char * const *) ids->pdata,
                                                       ids->len,
                                                       ",\"return_passwords\":true");
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  const char *headers[] = { "Idempotency-Key", IDEMPOTENCY_KEY, NULL };

  return tessera_test_client_request_full (client, "POST", "/api/v1/otp-batches", token,
                                           "application/json", body, headers);
}

static void
assert_provisioning (TesseraTestClient *client,
                     const char        *token,
                     GPtrArray         *ids,
                     const char        *state)
{
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JsonNode) account = tessera_test_api_get_account (client, token, ids->pdata[i]);

      g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==, state);
    }
}

/* Fills the file up: pads it with a filler table, compacts it so that no free page is left,
 * and sets the limit to exactly its size. The server must be stopped. */
static gint64
fill_the_disk (TesseraTestServer *server)
{
  const char *db_path = tessera_test_server_get_db_path (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  gint64 pages;

  tessera_test_db_exec (db_path,
                        "CREATE TABLE fault_filler (b BLOB);"
                        "INSERT INTO fault_filler VALUES (zeroblob (2 * 1024 * 1024));"
                        "VACUUM;"
                        "PRAGMA wal_checkpoint (TRUNCATE);");
  g_assert_cmpint (tessera_test_db_query_int (db_path, "PRAGMA freelist_count"), ==, 0);
  pages = tessera_test_db_query_int (db_path, "PRAGMA page_count");

  config = g_strdup_printf ("[store]\nmax_database_pages = %" G_GINT64_FORMAT "\n", pages);
  g_file_set_contents (tessera_test_server_get_config_path (server), config, -1, &error);
  g_assert_no_error (error);

  return pages;
}

static void
test_full_database_refuses_a_batch_whole_and_recovers (void)
{
  TesseraTestServerOptions options = {
    .demo_accounts = 300,
    .config_text = "# [store] max_database_pages is set by the test\n",
  };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraTestClient) setup_client = tessera_test_client_new (server, NULL);
  g_autoptr(TesseraTestClient) client = NULL;
  g_autofree char *token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (setup_client, token,
                                                                    N_ACCOUNTS);
  g_autoptr(TesseraTestResponse) refused = NULL;
  g_autoptr(TesseraTestResponse) issued = NULL;
  g_autoptr(TesseraTestResponse) list = NULL;
  g_autofree char *otps_before = NULL;
  g_autofree char *audit_before = NULL;
  g_autofree char *otps_after = NULL;
  g_autofree char *audit_after = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *log = NULL;
  const char *db_path = tessera_test_server_get_db_path (server);
  JsonArray *results;
  gint64 pages;

  g_assert_cmpint (tessera_test_server_stop (server), ==, 0);
  pages = fill_the_disk (server);
  otps_before = tessera_test_db_query_text (db_path, "SELECT count(*) FROM otps");
  audit_before = tessera_test_db_query_text (db_path, "SELECT count(*) FROM audit");
  tessera_test_server_restart (server);
  client = tessera_test_client_new (server, NULL);  /* the port changed */
  g_test_message ("database limited to its size: %" G_GINT64_FORMAT " pages", pages);

  /* The batch needs new pages: refused as a whole, with a problem that says why. */
  refused = post_batch (client, token, ids);
  tessera_test_assert_problem (refused, 503, "service_unavailable");

  /* Nothing of it was written: no account changed, no OTP, no audit entry, no batch. */
  assert_provisioning (client, token, ids, "not_started");
  otps_after = tessera_test_db_query_text (db_path, "SELECT count(*) FROM otps");
  audit_after = tessera_test_db_query_text (db_path, "SELECT count(*) FROM audit");
  g_assert_cmpstr (otps_after, ==, otps_before);
  g_assert_cmpstr (audit_after, ==, audit_before);
  g_assert_cmpint (tessera_test_db_query_int (db_path, "SELECT count(*) FROM batches"), ==, 0);

  /* Reads go on while the disk is full. */
  list = tessera_test_client_request (client, "GET", "/api/v1/accounts?limit=1000", token, NULL);
  tessera_test_assert_json (list, 200);

  /* Space returns: the server takes the same batch, without a restart. The same
   * Idempotency-Key is accepted, because the refused batch left no trace of it either. */
  tessera_test_db_exec (db_path, "DROP TABLE fault_filler;");
  issued = post_batch (client, token, ids);
  tessera_test_assert_json (issued, 201);
  results = tessera_test_json_get_array (issued->json, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, N_ACCOUNTS);
  for (guint i = 0; i < N_ACCOUNTS; i++)
    g_assert_cmpstr (tessera_test_json_get_string (json_array_get_element (results, i),
                                                   "status"), ==, "issued");
  assert_provisioning (client, token, ids, "otp_issued");

  /* The limit held all along, and the server said why it refused. */
  g_assert_cmpint (tessera_test_db_query_int (db_path, "PRAGMA page_count"), <=, pages);
  log = tessera_test_server_get_log_contents (server);
  g_assert_nonnull (strstr (log, "database reached its size limit"));

  g_assert_cmpint (tessera_test_server_stop (server), ==, 0);
  integrity = tessera_test_db_integrity_check (db_path);
  g_assert_cmpstr (integrity, ==, "ok");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/fault/database-full/batch-is-refused-whole-with-503-and-recovers",
                   test_full_database_refuses_a_batch_whole_and_recovers);

  return g_test_run ();
}

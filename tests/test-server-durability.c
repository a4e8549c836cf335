/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Durability (DESIGN §6): a server killed with SIGKILL in the middle of a stream of writes,
 * many in flight, restarts with every change it acknowledged, on a sound database file.
 */
#include "config.h"

#include <string.h>

#include "tessera-test-api.h"
#include "tessera-test-db.h"

#define N_ACCOUNTS   200   /* demo accounts; about 70 % ready */
#define N_BATCHES    100   /* one-account batches to send */
#define IN_FLIGHT    8
#define KILL_AFTER   40    /* acknowledgements before the kill */

typedef struct {
  TesseraTestServer *server;
  TesseraTestClient *client;
  char              *token;
  GPtrArray         *account_ids;
  guint              next;
  guint              in_flight;
  gboolean           killed;
  GHashTable        *acknowledged;   /* account id → OTP id */
  guint              failed_after_kill;
} Stream;

static void send_next (Stream *stream);

typedef struct {
  Stream      *stream;
  SoupMessage *message;
  char        *account_id;
} Pending;

static void
on_batch_answered (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Pending *pending = user_data;
  Stream *stream = pending->stream;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  stream->in_flight--;
  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (body != NULL && soup_message_get_status (pending->message) == 201)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      const char *otp_id;

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                                 (gssize) g_bytes_get_size (body), NULL));
      g_assert_cmpstr (tessera_test_json_get_string (json_parser_get_root (parser),
                                                     "results.0.status"), ==, "issued");
      otp_id = tessera_test_json_get_string (json_parser_get_root (parser), "results.0.otp.id");
      g_assert_nonnull (otp_id);
      g_hash_table_insert (stream->acknowledged, g_strdup (pending->account_id),
                           g_strdup (otp_id));
    }
  else if (!stream->killed)
    {
      g_error ("batch for %s failed before the kill: %s (status %u)", pending->account_id,
               error != NULL ? error->message : "", soup_message_get_status (pending->message));
    }
  else
    {
      stream->failed_after_kill++;
    }

  /* Kill in the middle of the stream, with other batches still in flight. */
  if (!stream->killed && g_hash_table_size (stream->acknowledged) >= KILL_AFTER)
    {
      g_assert_cmpuint (stream->in_flight, >, 0);
      stream->killed = TRUE;
      tessera_test_server_kill (stream->server);
    }

  if (!stream->killed)
    send_next (stream);

  g_object_unref (pending->message);
  g_free (pending->account_id);
  g_free (pending);
}

static void
send_next (Stream *stream)
{
  SoupSession *session = tessera_test_client_get_session (stream->client);
  const char *account_id;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Pending *pending;

  if (stream->next >= stream->account_ids->len)
    return;

  account_id = stream->account_ids->pdata[stream->next++];
  url = g_strconcat (tessera_test_client_get_base_url (stream->client), "/api/v1/otp-batches",
                     NULL);
  body = tessera_test_api_batch_body (&account_id, 1, NULL);
  bytes = g_bytes_new (body, strlen (body));

  pending = g_new0 (Pending, 1);
  pending->stream = stream;
  pending->account_id = g_strdup (account_id);
  pending->message = soup_message_new ("POST", url);
  authorization = g_strconcat ("Bearer ", stream->token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (pending->message),
                                "Authorization", authorization);
  soup_message_set_request_body_from_bytes (pending->message, "application/json", bytes);

  stream->in_flight++;
  soup_session_send_and_read_async (session, pending->message, G_PRIORITY_DEFAULT, NULL,
                                    on_batch_answered, pending);
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_sigkill_loses_no_acknowledged_batch (void)
{
  TesseraTestServerOptions options = { .demo_accounts = N_ACCOUNTS };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                              g_free, g_free);
  g_autoptr(GPtrArray) ids = tessera_test_api_fresh_ready_accounts (client, token, N_BATCHES);
  g_autofree char *integrity = NULL;
  g_autoptr(TesseraTestClient) after = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  guint tick;
  Stream stream = {
    .server = server,
    .client = client,
    .token = token,
    .account_ids = ids,
    .acknowledged = acknowledged,
  };

  for (guint i = 0; i < IN_FLIGHT; i++)
    send_next (&stream);

  tick = g_timeout_add (50, wake_up, NULL);
  while ((stream.in_flight > 0 || !stream.killed) && g_get_monotonic_time () < deadline)
    {
      if (!stream.killed && stream.in_flight == 0)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);

  g_assert_true (stream.killed);
  g_assert_cmpuint (stream.in_flight, ==, 0);
  g_test_message ("%u batches acknowledged, %u cut off by the kill",
                  g_hash_table_size (acknowledged), stream.failed_after_kill);

  /* The file is sound before anyone else opens it. */
  integrity = tessera_test_db_integrity_check (tessera_test_server_get_db_path (server));
  g_assert_cmpstr (integrity, ==, "ok");

  tessera_test_server_restart (server);
  after = tessera_test_client_new (server, NULL);

  /* Every acknowledged batch is there: its OTP is the account's live one. */
  g_hash_table_iter_init (&iter, acknowledged);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(JsonNode) account = tessera_test_api_get_account (after, token, key);

      g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.state"), ==,
                       "otp_issued");
      g_assert_cmpstr (tessera_test_json_get_string (account, "provisioning.otp_id"), ==, value);
    }
}

static void
test_sigkill_loses_no_acknowledged_settings_change (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autofree char *token = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraTestResponse) settings = NULL;
  g_autofree char *integrity = NULL;

  /* A burst of changes, each acknowledged before the next; the kill comes right after the
   * last acknowledgement, before the server has any quiet moment to checkpoint. */
  for (guint hours = 1; hours <= 30; hours++)
    {
      g_autofree char *body = g_strdup_printf ("{\"otp_validity_hours\":%u,"
                                               "\"auto_approve\":%s}",
                                               hours, hours % 2 ? "true" : "false");
      tessera_test_api_put_settings (client, token, body);
    }
  tessera_test_server_kill (server);

  integrity = tessera_test_db_integrity_check (tessera_test_server_get_db_path (server));
  g_assert_cmpstr (integrity, ==, "ok");

  tessera_test_server_restart (server);
  {
    g_autoptr(TesseraTestClient) after = tessera_test_client_new (server, NULL);

    settings = tessera_test_client_request (after, "GET", "/api/v1/settings", token, NULL);
  }
  tessera_test_assert_json (settings, 200);
  g_assert_cmpint (tessera_test_json_get_int (settings->json, "otp_validity_hours"), ==, 30);
  g_assert_false (tessera_test_json_get_bool (settings->json, "auto_approve"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/durability/sigkill-loses-no-acknowledged-otp-batch",
                   test_sigkill_loses_no_acknowledged_batch);
  g_test_add_func ("/server/durability/sigkill-loses-no-acknowledged-settings-change",
                   test_sigkill_loses_no_acknowledged_settings_change);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-http-server"

#include "config.h"

#include "tessera-http-early.h"
#include "tessera-http-listener.h"
#include "tessera-routes-private.h"
#include "tessera-types.h"

/*
 * Answering a request before its body is read, and closing the connection.
 *
 * What libsoup 3.2.3 does (read from its source, libsoup/server/http1/
 * soup-server-message-io-http1.c, io_read() and io_write(), and soup-server.c, got_headers()):
 *
 *  - Early handlers run from got_headers(), i.e. from the "got-headers" signal, which io_read()
 *    emits right after parsing the request headers and after it has already moved the read
 *    state on to BODY_START.
 *  - If an early handler sets a status, got_body() later skips the normal handler. But the
 *    read loop (io_run_until) keeps reading: unless the client sent "Expect: 100-continue"
 *    (then read_state is BLOCKING, the status is written instead of "100 Continue" and the
 *    body is never read), io_read() goes on to read the WHOLE body, chunk by chunk, into the
 *    request body (accumulating by default), and only then writes the response. A request
 *    claiming "Content-Length: 2147483648" would be answered after 2 GiB had been received.
 *  - SoupServer limits the request headers (64 KiB, HEADER_SIZE_LIMIT in
 *    soup-message-io-data.c: "Header too big" → 400), but not the body, and has no timeouts.
 *
 * So setting 413 from the early handler is not enough. Instead we take the connection away
 * from libsoup with soup_server_message_steal_connection(), which is safe from inside
 * "got-headers" and "got-chunk": the steal frees libsoup's per-message I/O state and
 * io_run_until() checks soup_server_message_get_io_data() before touching it again; the
 * message's completion callback is told SOUP_MESSAGE_IO_STOLEN and emits nothing else.
 * We then write the answer ourselves and close the connection gracefully: shut down our
 * sending side, and read and discard what the client still sends for a short while, so that
 * the kernel does not answer unread data with a reset that could destroy our answer before
 * the client has read it. The whole thing is bounded in time and bytes.
 */

#define LINGER_SECONDS   2
#define LINGER_MAX_BYTES (8 * 1024 * 1024)

typedef struct {
  GIOStream    *stream;
  GSocket      *socket;
  GBytes       *response;
  GCancellable *cancellable;
  guint         timeout_id;
  gsize         drained;
  guint8        scratch[16 * 1024];
} EarlyAnswer;

static void
early_answer_finish (EarlyAnswer *answer)
{
  g_clear_handle_id (&answer->timeout_id, g_source_remove);

  /* Closing the socket itself, not the stream: a TLS stream would try to send close_notify
   * on a socket whose sending side is already shut down. */
  if (answer->socket != NULL)
    g_socket_close (answer->socket, NULL);

  g_clear_object (&answer->stream);
  g_clear_object (&answer->socket);
  g_clear_object (&answer->cancellable);
  g_clear_pointer (&answer->response, g_bytes_unref);
  g_free (answer);
}

static gboolean
early_answer_timed_out (gpointer user_data)
{
  EarlyAnswer *answer = user_data;

  answer->timeout_id = 0;
  g_cancellable_cancel (answer->cancellable);
  return G_SOURCE_REMOVE;
}

static void
early_answer_drained (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EarlyAnswer *answer = user_data;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  if (n_read <= 0 || g_cancellable_is_cancelled (answer->cancellable))
    {
      early_answer_finish (answer);
      return;
    }

  answer->drained += n_read;
  if (answer->drained >= LINGER_MAX_BYTES)
    {
      early_answer_finish (answer);
      return;
    }

  g_input_stream_read_async (g_io_stream_get_input_stream (answer->stream),
                             answer->scratch, sizeof answer->scratch,
                             G_PRIORITY_LOW, answer->cancellable,
                             early_answer_drained, answer);
}

static void
early_answer_written (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EarlyAnswer *answer = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      early_answer_finish (answer);
      return;
    }

  /* Tell the client we are done (FIN), then linger: see the comment at the top. */
  if (answer->socket != NULL)
    g_socket_shutdown (answer->socket, FALSE, TRUE, NULL);

  g_clear_handle_id (&answer->timeout_id, g_source_remove);
  answer->timeout_id = g_timeout_add_seconds (LINGER_SECONDS, early_answer_timed_out, answer);

  g_input_stream_read_async (g_io_stream_get_input_stream (answer->stream),
                             answer->scratch, sizeof answer->scratch,
                             G_PRIORITY_LOW, answer->cancellable,
                             early_answer_drained, answer);
}

static GBytes *
build_response (guint       status,
                const char *code,
                const char *detail)
{
  g_autoptr(TesseraProblem) problem = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *body = NULL;
  GString *response;
  gsize body_length = 0;

  problem = tessera_problem_new (status, code, _tessera_status_title (status), detail);
  tessera_problem_to_json (problem, builder);
  body = tessera_json_builder_to_string (builder, &body_length);

  response = g_string_new (NULL);
  g_string_append_printf (response,
                          "HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/problem+json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Cache-Control: no-store\r\n"
                          "Connection: close\r\n"
                          "\r\n",
                          status, _tessera_status_title (status), body_length);
  g_string_append_len (response, body, body_length);

  return g_string_free_to_bytes (response);
}

void
_tessera_http_answer_early (SoupServerMessage *msg,
                            guint              status,
                            const char        *code,
                            const char        *detail)
{
  EarlyAnswer *answer;
  GSocket *socket;
  gconstpointer data;
  gsize length;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  answer = g_new0 (EarlyAnswer, 1);
  answer->response = build_response (status, code, detail);
  answer->cancellable = g_cancellable_new ();

  socket = tessera_http_message_get_socket (msg);
  if (socket != NULL)
    answer->socket = g_object_ref (socket);

  /* The message records what we answered, for the access log; libsoup will not send it. */
  soup_server_message_set_status (msg, status, _tessera_status_title (status));

  answer->stream = soup_server_message_steal_connection (msg);
  if (answer->stream == NULL)
    {
      early_answer_finish (answer);
      return;
    }

  /* Bounds the write as well as the linger: a client that does not read gets cut off. */
  answer->timeout_id = g_timeout_add_seconds (10, early_answer_timed_out, answer);

  data = g_bytes_get_data (answer->response, &length);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (answer->stream),
                                   data, length, G_PRIORITY_DEFAULT, answer->cancellable,
                                   early_answer_written, answer);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tessera-client-private.h"

/*
 * The request pipeline every endpoint goes through: build the message, send it, check the
 * status, stream the body up to the cap, parse and decode it, map failures to
 * TESSERA_CLIENT_ERROR.
 *
 * It streams the body itself instead of using soup_session_send_and_read_async(), so that an
 * oversized answer is refused at the cap rather than after it was buffered, and a cut-off body
 * can be told apart from a server that could not be reached.
 *
 * A call completes when its outcome is known, which may be before libsoup lets go of the
 * message: on the deadline or on the caller's cancellation the GTask returns at once, because
 * libsoup 3.2 does not complete a message that is still queued for a connection when it is
 * cancelled (it waits until a connection frees up). libsoup's late callbacks then only clean
 * up. Each one holds a reference to the task, so the Request outlives them all.
 */

/* Big enough for a page of 1 000 accounts in a few reads, small enough not to matter idle. */
#define READ_CHUNK_SIZE (64 * 1024)

typedef struct {
  TesseraClient           *client;
  SoupMessage             *message;
  GInputStream            *stream;
  GCancellable            *cancellable;         /* ours: the caller or the deadline cancel it */
  GCancellable            *caller_cancellable;
  gulong                   caller_cancelled_id;
  GSource                 *deadline;
  GByteArray              *body;
  TesseraClientAuth        auth;
  TesseraClientDecodeFunc  decode;
  GDestroyNotify           result_free;
  gboolean                 is_health_check;
  gboolean                 raw_json;
  gboolean                 completed;
} Request;

/*
 * Lets go of the network side as soon as the outcome is known, not when the caller drops the
 * GAsyncResult: an open body stream keeps its connection busy, and libsoup allows only a few
 * per host, so results kept alive by a caller would otherwise starve later calls.
 */
static inline const char *
request_host (Request *request)
{
  return _tessera_client_get_host (request->client);
}

static void
request_release (Request *request)
{
  if (request->caller_cancelled_id != 0)
    g_cancellable_disconnect (request->caller_cancellable, request->caller_cancelled_id);
  request->caller_cancelled_id = 0;

  if (request->deadline != NULL)
    {
      g_source_destroy (request->deadline);
      g_clear_pointer (&request->deadline, g_source_unref);
    }

  if (request->stream != NULL)
    g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);
}

static void
request_free (Request *request)
{
  request_release (request);
  g_clear_object (&request->message);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->caller_cancellable);
  g_clear_object (&request->client);
  g_free (request);
}

void
_tessera_client_page_free (TesseraClientPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page->next_cursor);
  g_free (page);
}

static void
request_return_pointer (GTask    *task,
                        gpointer  result)
{
  Request *request = g_task_get_task_data (task);

  g_assert (!request->completed);

  request->completed = TRUE;
  request_release (request);
  g_task_return_pointer (task, result, request->result_free);
}

static void
request_return_true (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  g_assert (!request->completed);

  request->completed = TRUE;
  request_release (request);
  g_task_return_boolean (task, TRUE);
}

/* Fails @task with @error, unless the caller cancelled: then with G_IO_ERROR_CANCELLED. */
static void
request_fail (GTask  *task,
              GError *error)
{
  Request *request = g_task_get_task_data (task);

  g_assert (!request->completed);

  if (g_cancellable_is_cancelled (request->caller_cancellable))
    {
      g_clear_error (&error);
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
    }

  request->completed = TRUE;
  g_cancellable_cancel (request->cancellable);
  request_release (request);
  g_task_return_error (task, error);
}

static gboolean
on_deadline (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_assert (!request->completed);

  request_fail (task, g_error_new (TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TIMEOUT,
                                   _("The server at %s did not answer in time. Try again "
                                     "later."),
                                   _tessera_client_get_host (request->client)));

  return G_SOURCE_REMOVE;
}

static gboolean
complete_cancelled (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  if (!request->completed)
    request_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));

  return G_SOURCE_REMOVE;
}

/* May run in any thread: completes the task in its own context, later. */
static void
on_caller_cancelled (GCancellable *caller_cancellable,
                     GTask        *task)
{
  g_autoptr(GSource) idle = g_idle_source_new ();

  g_source_set_callback (idle, complete_cancelled, g_object_ref (task), g_object_unref);
  g_source_set_static_name (idle, "[tessera-client] cancelled");
  g_source_attach (idle, g_task_get_context (task));
}

static void
request_fail_transport (GTask        *task,
                        const GError *cause,
                        gboolean      reading_body)
{
  Request *request = g_task_get_task_data (task);
  GTlsCertificate *certificate;
  GTlsCertificateFlags errors;

  certificate = g_object_get_data (G_OBJECT (request->message),
                                   TESSERA_CLIENT_PEER_CERTIFICATE_KEY);
  errors = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (request->message),
                                                TESSERA_CLIENT_PEER_ERRORS_KEY));

  request_fail (task, _tessera_client_error_new_transport (cause, request_host (request),
                                                           reading_body, certificate, errors));
}

static guint
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autoptr(GDateTime) date = NULL;
  guint64 seconds;

  if (value == NULL)
    return 0;

  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &seconds, NULL))
    return (guint) MIN (seconds, 24 * 3600);

  date = soup_date_time_new_from_http_string (value);
  if (date != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan span = g_date_time_difference (date, now);

      if (span > 0)
        return (guint) MIN ((span + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND, 24 * 3600);
    }

  return 0;
}

static gboolean
content_type_is (SoupMessageHeaders *headers,
                 const char         *expected)
{
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL && g_ascii_strcasecmp (type, expected) == 0;
}

static GError *
new_too_large_error (Request *request)
{
  return _tessera_client_error_new_invalid_response (request_host (request),
                                                     _("the answer is too large"));
}

static void
request_complete_error_status (GTask *task,
                               guint  status)
{
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
  const char *host = _tessera_client_get_host (request->client);
  TesseraProblem *problem = NULL;

  if (content_type_is (headers, "application/problem+json") ||
      content_type_is (headers, "application/json"))
    {
      g_autoptr(JsonNode) root = tessera_json_parse_object ((const char *) request->body->data,
                                                           request->body->len,
                                                           TESSERA_JSON_MAX_DEPTH, NULL);

      /* A garbled problem body still reports the status; it just explains less. */
      if (root != NULL)
        problem = tessera_problem_new_from_json (root, NULL);
    }

  /* Without problem details, "no such path" or a redirect means: not Tessera API v1 here. */
  if (problem == NULL &&
      (request->is_health_check || status == 404 || status == 405 ||
       (status >= 300 && status < 400)))
    {
      request_fail (task, _tessera_client_error_new_not_tessera (host));
      return;
    }

  request_fail (task, _tessera_client_error_new_status (status, problem,
                                                        parse_retry_after (headers),
                                                        host, request->auth));
}

static void
request_complete (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
  guint status = soup_message_get_status (request->message);
  const char *host = _tessera_client_get_host (request->client);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gpointer result;

  if (status < 200 || status > 299)
    {
      request_complete_error_status (task, status);
      return;
    }

  if (request->decode == NULL && !request->raw_json)
    {
      request_return_true (task);
      return;
    }

  if (!content_type_is (headers, "application/json"))
    {
      const char *type = soup_message_headers_get_content_type (headers, NULL);
      g_autofree char *why = g_strdup_printf (_("content type %s"), type ? type : _("missing"));

      if (request->is_health_check)
        request_fail (task, _tessera_client_error_new_not_tessera (host));
      else
        request_fail (task, _tessera_client_error_new_invalid_response (host, why));
      return;
    }

  if (request->raw_json)
    {
      GBytes *bytes = g_byte_array_free_to_bytes (g_steal_pointer (&request->body));

      request_return_pointer (task, bytes);
      return;
    }

  root = tessera_json_parse_object ((const char *) request->body->data, request->body->len,
                                    TESSERA_JSON_MAX_DEPTH, &error);
  result = root != NULL ? request->decode (root, &error) : NULL;
  if (result == NULL)
    {
      if (request->is_health_check)
        request_fail (task, _tessera_client_error_new_not_tessera (host));
      else
        request_fail (task, _tessera_client_error_new_invalid_response (host, error->message));
      return;
    }

  request_return_pointer (task, result);
}

static void request_read_more (GTask *task);

static void
on_read_finished (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (request->completed)
    return;

  if (n_read < 0)
    {
      request_fail_transport (task, error, TRUE);
      return;
    }

  /* The spare room at the end of the array was read into; keep only what arrived. */
  g_byte_array_set_size (request->body, request->body->len - READ_CHUNK_SIZE + n_read);

  if (n_read == 0)
    {
      request_complete (task);
      return;
    }

  if (request->body->len > TESSERA_CLIENT_MAX_RESPONSE_SIZE)
    {
      request_fail (task, new_too_large_error (request));
      return;
    }

  request_read_more (g_steal_pointer (&task));
}

static void
request_read_more (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  guint offset = request->body->len;

  g_byte_array_set_size (request->body, offset + READ_CHUNK_SIZE);
  g_input_stream_read_async (request->stream,
                             request->body->data + offset,
                             READ_CHUNK_SIZE,
                             G_PRIORITY_DEFAULT,
                             request->cancellable,
                             on_read_finished,
                             task);
}

static void
on_send_finished (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  goffset length;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (request->completed)
    {
      /* Timed out or cancelled while queued: only give the connection back. */
      if (stream != NULL)
        g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }

  if (stream == NULL)
    {
      request_fail_transport (task, error, FALSE);
      return;
    }

  request->stream = g_steal_pointer (&stream);
  headers = soup_message_get_response_headers (request->message);
  length = soup_message_headers_get_content_length (headers);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      length > TESSERA_CLIENT_MAX_RESPONSE_SIZE)
    {
      request_fail (task, new_too_large_error (request));
      return;
    }

  request->body = g_byte_array_sized_new (length > 0 ? (guint) length + READ_CHUNK_SIZE
                                                     : READ_CHUNK_SIZE);
  request_read_more (g_steal_pointer (&task));
}

void
_tessera_client_send (TesseraClient            *self,
                      const TesseraClientCall  *call,
                      gpointer                  source_tag,
                      GCancellable             *cancellable,
                      GAsyncReadyCallback       callback,
                      gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_assert (TESSERA_IS_CLIENT (self));
  g_assert (call != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* The pipeline reports cancellation itself, so that it can tidy up first. */
  g_task_set_check_cancellable (task, FALSE);

  request = g_new0 (Request, 1);
  request->client = g_object_ref (self);
  request->auth = call->auth;
  request->decode = call->decode;
  request->result_free = call->result_free;
  request->is_health_check = call->is_health_check;
  request->raw_json = call->raw_json;
  request->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    request->caller_cancellable = g_object_ref (cancellable);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (g_cancellable_is_cancelled (cancellable))
    {
      request_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
      return;
    }

  if (call->auth == TESSERA_CLIENT_AUTH_SESSION && !tessera_client_has_token (self))
    {
      request_fail (task, g_error_new_literal (TESSERA_CLIENT_ERROR,
                                               TESSERA_CLIENT_ERROR_NOT_AUTHORIZED,
                                               _("You are not signed in. Sign in first.")));
      return;
    }

  request->message = _tessera_client_new_message (self, call->method, call->path,
                                                  call->auth, call->poll_token);
  if (request->message == NULL)
    {
      request_fail (task, g_error_new (TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_URL,
                                       _("“%s” is not a valid address."),
                                       tessera_client_get_server_url (self)));
      return;
    }

  if (call->idempotency_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                  "Idempotency-Key", call->idempotency_key);
  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (request->message, "application/json", call->body);

  if (cancellable != NULL)
    request->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                          G_CALLBACK (on_caller_cancelled),
                                                          task, NULL);

  /* The source holds no reference: it is destroyed when the task completes. */
  request->deadline = g_timeout_source_new_seconds (_tessera_client_get_timeout (self));
  g_source_set_callback (request->deadline, on_deadline, task, NULL);
  g_source_set_static_name (request->deadline, "[tessera-client] request deadline");
  g_source_attach (request->deadline, g_task_get_context (task));

  soup_session_send_async (_tessera_client_get_session (self),
                           request->message,
                           G_PRIORITY_DEFAULT,
                           request->cancellable,
                           on_send_finished,
                           g_steal_pointer (&task));
}

gpointer
_tessera_client_finish_pointer (TesseraClient  *self,
                                GAsyncResult   *result,
                                gpointer        source_tag,
                                GError        **error)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_tessera_client_finish_boolean (TesseraClient  *self,
                                GAsyncResult   *result,
                                gpointer        source_tag,
                                GError        **error)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

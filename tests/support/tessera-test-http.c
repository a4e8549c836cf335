/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-test-http"

#include "config.h"

#include <string.h>

#include "tessera-test-http.h"

/* Bounds a hung server; far above anything a passing test needs. */
#define REQUEST_TIMEOUT_SECONDS 60

struct _TesseraTestClient
{
  char        *base_url;
  char        *local_address;
  SoupSession *session;
  SoupSession *websocket_session;  /* async only; created on first use */
};

static SoupSession *
new_session (const char *local_address)
{
  g_autoptr(GInetSocketAddress) local = NULL;

  if (local_address != NULL)
    local = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string (local_address, 0));

  /* Enough connections that tests with many requests in flight are not queued client-side. */
  return g_object_new (SOUP_TYPE_SESSION,
                       "local-address", local,
                       "timeout", REQUEST_TIMEOUT_SECONDS,
                       "max-conns", 128,
                       "max-conns-per-host", 128,
                       "user-agent", "tessera-server-tests",
                       NULL);
}

TesseraTestClient *
tessera_test_client_new_for_url (const char *base_url,
                                 const char *local_address)
{
  TesseraTestClient *self = g_new0 (TesseraTestClient, 1);

  self->base_url = g_strdup (base_url);
  self->local_address = g_strdup (local_address);
  self->session = new_session (local_address);
  return self;
}

TesseraTestClient *
tessera_test_client_new (TesseraTestServer *server,
                         const char        *local_address)
{
  return tessera_test_client_new_for_url (tessera_test_server_get_url (server), local_address);
}

void
tessera_test_client_free (TesseraTestClient *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->session);
  g_clear_object (&self->websocket_session);
  g_free (self->base_url);
  g_free (self->local_address);
  g_free (self);
}

SoupSession *
tessera_test_client_get_session (TesseraTestClient *self)
{
  return self->session;
}

const char *
tessera_test_client_get_base_url (TesseraTestClient *self)
{
  return self->base_url;
}

void
tessera_test_response_free (TesseraTestResponse *self)
{
  if (self == NULL)
    return;
  g_free (self->content_type);
  g_free (self->content_type_header);
  g_clear_pointer (&self->headers, soup_message_headers_unref);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->body_text);
  g_clear_pointer (&self->json, json_node_unref);
  g_free (self->what);
  g_free (self);
}

const char *
tessera_test_response_get_header (TesseraTestResponse *self,
                                  const char          *name)
{
  return soup_message_headers_get_one (self->headers, name);
}

/* Fills the derived members from status, headers and body. */
static TesseraTestResponse *
response_new (const char         *what,
              guint               status,
              SoupMessageHeaders *headers,
              GBytes             *body)
{
  TesseraTestResponse *self = g_new0 (TesseraTestResponse, 1);
  const char *content_type;
  gsize length;
  const char *data;

  self->what = g_strdup (what);
  self->status = status;
  self->headers = soup_message_headers_ref (headers);
  self->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  data = g_bytes_get_data (self->body, &length);
  self->body_text = g_strndup (data != NULL ? data : "", length);

  content_type = soup_message_headers_get_one (headers, "Content-Type");
  if (content_type != NULL)
    {
      const char *semicolon = strchr (content_type, ';');
      g_autofree char *media = g_strndup (content_type, semicolon != NULL
                                                        ? (gsize) (semicolon - content_type)
                                                        : strlen (content_type));

      self->content_type_header = g_strdup (content_type);
      self->content_type = g_ascii_strdown (g_strstrip (media), -1);
    }

  if (length > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, self->body_text, (gssize) length, NULL))
        self->json = json_node_ref (json_parser_get_root (parser));
    }

  return self;
}

TesseraTestResponse *
tessera_test_client_try_request (TesseraTestClient  *self,
                                 const char         *method,
                                 const char         *path,
                                 const char         *token,
                                 const char         *content_type,
                                 GBytes             *body,
                                 const char * const *headers,
                                 GError            **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autofree char *what = g_strdup_printf ("%s %s", method, path);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) response_body = NULL;
  SoupMessageHeaders *request_headers;

  message = soup_message_new (method, url);
  g_assert_nonnull (message);
  request_headers = soup_message_get_request_headers (message);

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (request_headers, "Authorization", authorization);
    }
  for (gsize i = 0; headers != NULL && headers[i] != NULL; i += 2)
    {
      g_assert_nonnull (headers[i + 1]);
      soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, content_type, body);

  response_body = soup_session_send_and_read (self->session, message, NULL, error);
  if (response_body == NULL)
    return NULL;

  return response_new (what, soup_message_get_status (message),
                       soup_message_get_response_headers (message), response_body);
}

TesseraTestResponse *
tessera_test_client_request_full (TesseraTestClient  *self,
                                  const char         *method,
                                  const char         *path,
                                  const char         *token,
                                  const char         *content_type,
                                  GBytes             *body,
                                  const char * const *headers)
{
  g_autoptr(GError) error = NULL;
  TesseraTestResponse *response;

  response = tessera_test_client_try_request (self, method, path, token, content_type, body,
                                              headers, &error);
  if (response == NULL)
    g_error ("%s %s%s: no response: %s", method, self->base_url, path, error->message);
  return response;
}

TesseraTestResponse *
tessera_test_client_request (TesseraTestClient *self,
                             const char        *method,
                             const char        *path,
                             const char        *token,
                             const char        *json_text)
{
  g_autoptr(GBytes) body = NULL;

  if (json_text != NULL)
    body = g_bytes_new (json_text, strlen (json_text));
  return tessera_test_client_request_full (self, method, path, token, "application/json",
                                           body, NULL);
}

TesseraTestResponse *
tessera_test_client_request_json (TesseraTestClient *self,
                                  const char        *method,
                                  const char        *path,
                                  const char        *token,
                                  JsonNode          *body)
{
  g_autofree char *text = body != NULL ? json_to_string (body, FALSE) : NULL;

  return tessera_test_client_request (self, method, path, token, text);
}

/* WebSocket */

typedef struct {
  gboolean                 done;
  SoupWebsocketConnection *connection;
  GError                  *error;
} WebsocketConnect;

static void
on_websocket_connected (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  WebsocketConnect *c = user_data;

  c->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result,
                                                         &c->error);
  c->done = TRUE;
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the thread-default context until *@done or the deadline (monotonic µs). */
static gboolean
iterate_until (gboolean *done,
               gint64    deadline)
{
  GMainContext *context = g_main_context_get_thread_default ();
  g_autoptr(GSource) tick = g_timeout_source_new (50);

  g_source_set_callback (tick, wake_up, NULL, NULL);
  g_source_attach (tick, context);
  while (!*done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (tick);
  return *done;
}

SoupWebsocketConnection *
tessera_test_client_connect_websocket (TesseraTestClient *self,
                                       const char        *path,
                                       const char        *token,
                                       guint             *status,
                                       GError           **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  WebsocketConnect c = { 0 };

  if (self->websocket_session == NULL)
    self->websocket_session = new_session (self->local_address);

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", authorization);
    }

  soup_session_websocket_connect_async (self->websocket_session, message, NULL, NULL,
                                        G_PRIORITY_DEFAULT, NULL, on_websocket_connected, &c);
  if (!iterate_until (&c.done, g_get_monotonic_time () + REQUEST_TIMEOUT_SECONDS * G_USEC_PER_SEC))
    g_error ("WebSocket upgrade at %s did not finish in time", path);

  if (status != NULL)
    *status = soup_message_get_status (message);
  if (c.error != NULL)
    g_propagate_error (error, c.error);
  return c.connection;
}

typedef struct {
  const char *type;
  JsonNode   *found;
  gboolean    done;
} EventWait;

static void
on_websocket_message (SoupWebsocketConnection *connection,
                      SoupWebsocketDataType    data_type,
                      GBytes                  *message,
                      gpointer                 user_data)
{
  EventWait *wait = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  if (wait->done || data_type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return;
  if (g_strcmp0 (tessera_test_json_get_string (json_parser_get_root (parser), "type"),
                 wait->type) != 0)
    return;

  wait->found = json_node_ref (json_parser_get_root (parser));
  wait->done = TRUE;
}

static void
on_websocket_closed (SoupWebsocketConnection *connection,
                     gpointer                 user_data)
{
  EventWait *wait = user_data;

  wait->done = TRUE;
}

JsonNode *
tessera_test_websocket_wait_event (SoupWebsocketConnection *connection,
                                   const char              *type,
                                   gint64                   timeout_usec)
{
  EventWait wait = { type, NULL, FALSE };
  gulong message_id, closed_id;

  message_id = g_signal_connect (connection, "message", G_CALLBACK (on_websocket_message), &wait);
  closed_id = g_signal_connect (connection, "closed", G_CALLBACK (on_websocket_closed), &wait);
  if (soup_websocket_connection_get_state (connection) != SOUP_WEBSOCKET_STATE_OPEN)
    wait.done = TRUE;
  iterate_until (&wait.done, g_get_monotonic_time () + timeout_usec);
  g_signal_handler_disconnect (connection, message_id);
  g_signal_handler_disconnect (connection, closed_id);
  return wait.found;
}

/* Assertions */

static void
fail (const char          *file,
      int                  line,
      const char          *func,
      TesseraTestResponse *response,
      const char          *what)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf ("%s: %s answered %u, Content-Type %s, body: %.2000s",
                             what, response->what, response->status,
                             response->content_type_header != NULL
                               ? response->content_type_header : "(none)",
                             response->body_text);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
}

void
_tessera_test_assert_status (const char          *file,
                             int                  line,
                             const char          *func,
                             TesseraTestResponse *response,
                             guint                status)
{
  g_autofree char *what = g_strdup_printf ("expected status %u", status);

  g_assert_nonnull (response);
  if (response->status != status)
    fail (file, line, func, response, what);
}

void
_tessera_test_assert_json (const char          *file,
                           int                  line,
                           const char          *func,
                           TesseraTestResponse *response,
                           guint                status)
{
  _tessera_test_assert_status (file, line, func, response, status);
  if (g_strcmp0 (response->content_type, "application/json") != 0)
    fail (file, line, func, response, "expected Content-Type application/json");
  if (response->json == NULL)
    fail (file, line, func, response, "expected a JSON body");
}

void
_tessera_test_assert_problem (const char          *file,
                              int                  line,
                              const char          *func,
                              TesseraTestResponse *response,
                              guint                status,
                              const char          *code)
{
  g_autofree char *what = NULL;
  JsonNode *member;

  _tessera_test_assert_status (file, line, func, response, status);
  if (g_strcmp0 (response->content_type, "application/problem+json") != 0)
    fail (file, line, func, response, "expected Content-Type application/problem+json");
  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    fail (file, line, func, response, "expected a problem details object");
  if (tessera_test_json_get_string (response->json, "type") == NULL)
    fail (file, line, func, response, "expected a string member \"type\"");
  if (tessera_test_json_get_string (response->json, "title") == NULL ||
      *tessera_test_json_get_string (response->json, "title") == '\0')
    fail (file, line, func, response, "expected a non-empty string member \"title\"");
  member = tessera_test_json_get (response->json, "status");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_INT64 ||
      json_node_get_int (member) != status)
    fail (file, line, func, response, "expected member \"status\" equal to the HTTP status");
  if (code == NULL)
    {
      const char *actual = tessera_test_json_get_string (response->json, "code");

      if (actual == NULL || *actual == '\0')
        fail (file, line, func, response, "expected a non-empty string member \"code\"");
      return;
    }
  what = g_strdup_printf ("expected member \"code\" = \"%s\"", code);
  if (g_strcmp0 (tessera_test_json_get_string (response->json, "code"), code) != 0)
    fail (file, line, func, response, what);
}

/* JSON look-ups */

JsonNode *
tessera_test_json_get (JsonNode   *root,
                       const char *path)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node = root;

  if (root == NULL)
    return NULL;
  if (path == NULL || *path == '\0')
    return root;

  parts = g_strsplit (path, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);

          if (!json_object_has_member (object, parts[i]))
            return NULL;
          node = json_object_get_member (object, parts[i]);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          char *end = NULL;
          guint64 index = g_ascii_strtoull (parts[i], &end, 10);

          if (end == parts[i] || *end != '\0' || index >= json_array_get_length (array))
            return NULL;
          node = json_array_get_element (array, (guint) index);
        }
      else
        {
          return NULL;
        }
    }

  return node;
}

gboolean
tessera_test_json_has (JsonNode   *root,
                       const char *path)
{
  return tessera_test_json_get (root, path) != NULL;
}

gboolean
tessera_test_json_is_null (JsonNode   *root,
                           const char *path)
{
  JsonNode *node = tessera_test_json_get (root, path);

  return node != NULL && JSON_NODE_HOLDS_NULL (node);
}

const char *
tessera_test_json_get_string (JsonNode   *root,
                              const char *path)
{
  JsonNode *node = tessera_test_json_get (root, path);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonArray *
tessera_test_json_get_array (JsonNode   *root,
                             const char *path)
{
  JsonNode *node = tessera_test_json_get (root, path);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

JsonObject *
tessera_test_json_get_object (JsonNode   *root,
                              const char *path)
{
  JsonNode *node = tessera_test_json_get (root, path);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

gint64
tessera_test_json_get_int (JsonNode   *root,
                           const char *path)
{
  JsonNode *node = tessera_test_json_get (root, path);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_autofree char *text = root != NULL ? json_to_string (root, FALSE) : g_strdup ("(null)");
      g_error ("expected an integer at \"%s\" in %.2000s", path, text);
    }
  return json_node_get_int (node);
}

gboolean
tessera_test_json_get_bool (JsonNode   *root,
                            const char *path)
{
  JsonNode *node = tessera_test_json_get (root, path);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *text = root != NULL ? json_to_string (root, FALSE) : g_strdup ("(null)");
      g_error ("expected a boolean at \"%s\" in %.2000s", path, text);
    }
  return json_node_get_boolean (node);
}

JsonNode *
tessera_test_json_parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

char *
tessera_test_json_quote (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return json_to_string (node, FALSE);
}

/* Raw connections */

GSocketConnection *
tessera_test_raw_connect (TesseraTestServer *server,
                          const char        *local_address)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  if (local_address != NULL)
    {
      g_autoptr(GSocketAddress) local = g_inet_socket_address_new_from_string (local_address, 0);
      g_socket_client_set_local_address (client, local);
    }
  g_socket_client_set_timeout (client, REQUEST_TIMEOUT_SECONDS);

  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                tessera_test_server_get_port (server),
                                                NULL, &error);
  g_assert_no_error (error);
  return connection;
}

void
tessera_test_raw_send (GSocketConnection *connection,
                       const char        *data,
                       gssize             length)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GError) error = NULL;

  if (length < 0)
    length = (gssize) strlen (data);
  g_output_stream_write_all (output, data, (gsize) length, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Reads until @buffer holds @needed bytes; FALSE at the end of the stream. */
static gboolean
fill_to (GInputStream  *input,
         GByteArray    *buffer,
         gsize          needed,
         GError       **error)
{
  while (buffer->len < needed)
    {
      guint8 chunk[8192];
      gssize n = g_input_stream_read (input, chunk, sizeof chunk, NULL, error);

      if (n <= 0)
        return FALSE;
      g_byte_array_append (buffer, chunk, (guint) n);
    }
  return TRUE;
}

static gssize
find (GByteArray *buffer,
      gsize       from,
      const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = from; i + n <= buffer->len; i++)
    if (memcmp (buffer->data + i, needle, n) == 0)
      return (gssize) i;
  return -1;
}

TesseraTestResponse *
tessera_test_raw_read_response (GSocketConnection  *connection,
                                GError            **error)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GBytes) body_bytes = NULL;
  gssize header_end;
  guint status = 0;
  const char *length_header;
  gsize pos;

  g_socket_set_timeout (g_socket_connection_get_socket (connection), REQUEST_TIMEOUT_SECONDS);

  while ((header_end = find (buffer, 0, "\r\n\r\n")) < 0)
    {
      if (!fill_to (input, buffer, buffer->len + 1, error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                         "connection closed after %u bytes, before the end of the headers",
                         buffer->len);
          return NULL;
        }
    }

  if (!soup_headers_parse_response ((const char *) buffer->data, (int) header_end + 2, headers,
                                    NULL, &status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "malformed response headers");
      return NULL;
    }
  pos = (gsize) header_end + 4;

  length_header = soup_message_headers_get_one (headers, "Content-Length");
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      for (;;)
        {
          gssize line_end;
          guint64 size;

          while ((line_end = find (buffer, pos, "\r\n")) < 0)
            if (!fill_to (input, buffer, buffer->len + 1, error))
              goto truncated;
          size = g_ascii_strtoull ((const char *) buffer->data + pos, NULL, 16);
          pos = (gsize) line_end + 2;
          if (size == 0)
            break;
          if (!fill_to (input, buffer, pos + size + 2, error))
            goto truncated;
          g_byte_array_append (body, buffer->data + pos, (guint) size);
          pos += size + 2;
        }
    }
  else if (length_header != NULL)
    {
      guint64 length = g_ascii_strtoull (length_header, NULL, 10);

      if (!fill_to (input, buffer, pos + length, error))
        goto truncated;
      g_byte_array_append (body, buffer->data + pos, (guint) length);
    }
  else if (status >= 200 && status != 204 && status != 304)
    {
      /* No length: the body runs to the close. */
      while (fill_to (input, buffer, buffer->len + 1, NULL))
        ;
      g_byte_array_append (body, buffer->data + pos, buffer->len - (guint) pos);
    }

  body_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&body));
  return response_new ("(raw request)", status, headers, body_bytes);

truncated:
  if (error != NULL && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                 "connection closed in the middle of the body");
  return NULL;
}

char *
tessera_test_raw_format_request (TesseraTestServer *server,
                                 const char        *method,
                                 const char        *path,
                                 const char        *token,
                                 const char        *json_body)
{
  GString *request = g_string_new (NULL);

  g_string_append_printf (request, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                          "Connection: close\r\n",
                          method, path, tessera_test_server_get_port (server));
  if (token != NULL)
    g_string_append_printf (request, "Authorization: Bearer %s\r\n", token);
  if (json_body != NULL)
    g_string_append_printf (request, "Content-Type: application/json\r\n"
                            "Content-Length: %" G_GSIZE_FORMAT "\r\n",
                            strlen (json_body));
  g_string_append (request, "\r\n");
  if (json_body != NULL)
    g_string_append (request, json_body);
  return g_string_free (request, FALSE);
}

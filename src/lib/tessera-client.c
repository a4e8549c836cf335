/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tessera-client-private.h"

/*
 * The transport: one SoupSession, one request pipeline that every endpoint goes through
 * (tessera-client-endpoints.c builds the calls), and the properties. The pipeline streams the
 * body itself instead of using soup_session_send_and_read_async(), so that an oversized answer
 * is refused at the cap instead of after it was buffered, and a cut-off body can be told apart
 * from a server that could not be reached.
 */

struct _TesseraClient
{
  GObject               parent_instance;

  /* Owned */
  SoupSession          *session;
  char                 *server_url;          /* normalised, no trailing '/' */
  char                 *host;                /* for messages: "rooms.example.org[:port]" */
  char                 *token;               /* secret; wiped on replace and finalize */
  char                 *pinned_fingerprint;  /* upper-case colon hex, or NULL */
  GTlsDatabase         *tls_database;        /* NULL: libsoup's default (the system's) */
  TesseraClientEvents  *events;

  guint                 timeout;
  gboolean              connected;
};

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_TIMEOUT,
  PROP_PINNED_FINGERPRINT,
  PROP_CONNECTED,
  N_PROPS
};

enum {
  SIGNAL_EVENT,
  SIGNAL_EVENTS_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TesseraClient, tessera_client, G_TYPE_OBJECT)

static void tessera_client_reset_connections (TesseraClient *self);

/* Big enough for a page of 1 000 accounts in a few reads, small enough not to matter idle. */
#define READ_CHUNK_SIZE (64 * 1024)

#define PEER_CERTIFICATE_KEY "tessera-peer-certificate"
#define PEER_ERRORS_KEY      "tessera-peer-certificate-errors"

static void
tessera_client_dispose (GObject *object)
{
  TesseraClient *self = (TesseraClient *)object;

  g_clear_pointer (&self->events, _tessera_client_events_free);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (tessera_client_parent_class)->dispose (object);
}

static void
tessera_client_finalize (GObject *object)
{
  TesseraClient *self = (TesseraClient *)object;

  tessera_secret_clear (&self->token);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->pinned_fingerprint, g_free);

  G_OBJECT_CLASS (tessera_client_parent_class)->finalize (object);
}

static void
tessera_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TesseraClient *self = TESSERA_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    case PROP_PINNED_FINGERPRINT:
      g_value_set_string (value, self->pinned_fingerprint);
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TesseraClient *self = TESSERA_CLIENT (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      tessera_client_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_PINNED_FINGERPRINT:
      tessera_client_set_pinned_fingerprint (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_client_class_init (TesseraClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tessera_client_dispose;
  object_class->finalize = tessera_client_finalize;
  object_class->get_property = tessera_client_get_property;
  object_class->set_property = tessera_client_set_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT / 1000, TESSERA_CLIENT_DEFAULT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PINNED_FINGERPRINT] =
    g_param_spec_string ("pinned-fingerprint", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TesseraClient::event:
   * @event: the decoded message
   *
   * A message of /api/v1/events arrived.
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TESSERA_TYPE_EVENT);

  /**
   * TesseraClient::events-failed:
   * @error: why
   *
   * The event stream stopped for good (the session is no longer accepted); it will not
   * reconnect until tessera_client_start_events() is called again.
   */
  signals[SIGNAL_EVENTS_FAILED] =
    g_signal_new ("events-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static SoupSession *
new_session (TesseraClient *self)
{
  SoupSession *session = soup_session_new_with_options ("user-agent", TESSERA_USER_AGENT,
                                                        "timeout", self->timeout,
                                                        NULL);

  if (self->tls_database != NULL)
    soup_session_set_tls_database (session, self->tls_database);

  return session;
}

static void
tessera_client_init (TesseraClient *self)
{
  self->timeout = TESSERA_CLIENT_DEFAULT_TIMEOUT;
  self->session = new_session (self);
}

/*
 * A new SoupSession, so that no connection accepted under the old trust settings is reused.
 * Calls in flight finish on the old session (each holds its own reference through libsoup);
 * the event stream reconnects under the new settings.
 */
static void
tessera_client_reset_connections (TesseraClient *self)
{
  g_autoptr(SoupSession) old = g_steal_pointer (&self->session);
  gboolean events_running = self->events != NULL && _tessera_client_events_is_running (self->events);

  if (events_running)
    _tessera_client_events_stop (self->events);

  self->session = new_session (self);

  if (events_running)
    _tessera_client_events_start (self->events);
}

static char *
normalize_server_url (const char  *input,
                      char       **host,
                      GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  int port;

  trimmed = g_strstrip (g_strdup (input != NULL ? input : ""));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_URL,
                           _("Enter the address of the Tessera server."));
      return NULL;
    }

  with_scheme = strstr (trimmed, "://") != NULL ? g_strdup (trimmed)
                                                 : g_strconcat ("https://", trimmed, NULL);

  uri = g_uri_parse (with_scheme, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_URL,
                   _("“%s” is not a server address. Enter one like https://rooms.example.org."),
                   trimmed);
      return NULL;
    }

  /* Keep a path prefix (a server behind a reverse proxy), drop query and fragment. */
  path = g_strdup (g_uri_get_path (uri));
  while (path[0] != '\0' && path[strlen (path) - 1] == '/')
    path[strlen (path) - 1] = '\0';

  /* The scheme's own port is left out, as people write it. */
  port = g_uri_get_port (uri);
  if ((port == 443 && g_str_equal (scheme, "https")) || (port == 80 && g_str_equal (scheme, "http")))
    port = -1;

  if (port > 0)
    *host = g_strdup_printf (strchr (g_uri_get_host (uri), ':') ? "[%s]:%d" : "%s:%d",
                             g_uri_get_host (uri), port);
  else
    *host = g_strdup (g_uri_get_host (uri));

  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, g_uri_get_host (uri),
                     port, path, NULL, NULL);
}

TesseraClient *
tessera_client_new (const char  *server_url,
                    GError     **error)
{
  g_autoptr(TesseraClient) self = NULL;
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;

  url = normalize_server_url (server_url, &host, error);
  if (url == NULL)
    return NULL;

  self = g_object_new (TESSERA_TYPE_CLIENT, NULL);
  self->server_url = g_steal_pointer (&url);
  self->host = g_steal_pointer (&host);
  self->events = _tessera_client_events_new (self);

  return g_steal_pointer (&self);
}

const char *
tessera_client_get_server_url (TesseraClient *self)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (self), NULL);

  return self->server_url;
}

const char *
tessera_client_get_host (TesseraClient *self)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (self), NULL);

  return self->host;
}

const char *
_tessera_client_get_host (TesseraClient *self)
{
  return self->host;
}

SoupSession *
_tessera_client_get_session (TesseraClient *self)
{
  return self->session;
}

void
tessera_client_set_token (TesseraClient *self,
                          const char    *token)
{
  g_return_if_fail (TESSERA_IS_CLIENT (self));

  if (token == self->token)
    return;

  tessera_secret_clear (&self->token);
  self->token = tessera_secret_dup (token);
}

gboolean
tessera_client_has_token (TesseraClient *self)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (self), FALSE);

  return self->token != NULL;
}

guint
tessera_client_get_timeout (TesseraClient *self)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (self), 0);

  return self->timeout;
}

void
tessera_client_set_timeout (TesseraClient *self,
                            guint          seconds)
{
  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  /* libsoup's own I/O timeout catches a stalled socket; our deadline caps the whole call. */
  g_object_set (self->session, "timeout", seconds, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

const char *
tessera_client_get_pinned_fingerprint (TesseraClient *self)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (self), NULL);

  return self->pinned_fingerprint;
}

void
tessera_client_set_pinned_fingerprint (TesseraClient *self,
                                       const char    *fingerprint)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (TESSERA_IS_CLIENT (self));

  if (fingerprint != NULL && fingerprint[0] != '\0')
    normalized = g_ascii_strup (fingerprint, -1);

  if (g_strcmp0 (normalized, self->pinned_fingerprint) == 0)
    return;

  g_free (self->pinned_fingerprint);
  self->pinned_fingerprint = g_steal_pointer (&normalized);

  /*
   * Connections accepted under the old pin must not outlive it. soup_session_abort() only
   * closes connections that are idle at that moment (one whose body stream is still being
   * closed returns to the pool later), so start over with a fresh pool.
   */
  tessera_client_reset_connections (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED_FINGERPRINT]);
}

void
tessera_client_set_tls_database (TesseraClient *self,
                                 GTlsDatabase  *database)
{
  g_return_if_fail (TESSERA_IS_CLIENT (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  if (database == self->tls_database)
    return;

  g_set_object (&self->tls_database, database);
  if (database == NULL)
    self->tls_database = g_tls_backend_get_default_database (g_tls_backend_get_default ());

  tessera_client_reset_connections (self);
}

gboolean
tessera_client_get_connected (TesseraClient *self)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (self), FALSE);

  return self->connected;
}

void
_tessera_client_set_connected (TesseraClient *self,
                               gboolean       connected)
{
  connected = !!connected;
  if (self->connected == connected)
    return;

  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

void
_tessera_client_emit_event (TesseraClient *self,
                            TesseraEvent  *event)
{
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
}

void
_tessera_client_emit_events_failed (TesseraClient *self,
                                    const GError  *error)
{
  g_signal_emit (self, signals[SIGNAL_EVENTS_FAILED], 0, error);
}

void
tessera_client_start_events (TesseraClient *self)
{
  g_return_if_fail (TESSERA_IS_CLIENT (self));

  _tessera_client_events_start (self->events);
}

void
tessera_client_stop_events (TesseraClient *self)
{
  g_return_if_fail (TESSERA_IS_CLIENT (self));

  _tessera_client_events_stop (self->events);
}

/* TLS: remember what the server presented, and let exactly the pinned certificate through. */
static gboolean
on_accept_certificate (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       TesseraClient        *self)
{
  g_autofree char *fingerprint = NULL;

  g_object_set_data_full (G_OBJECT (message), PEER_CERTIFICATE_KEY,
                          g_object_ref (certificate), g_object_unref);
  g_object_set_data (G_OBJECT (message), PEER_ERRORS_KEY, GUINT_TO_POINTER (errors));

  if (self->pinned_fingerprint == NULL)
    return FALSE;

  fingerprint = tessera_certificate_get_fingerprint (certificate);

  return fingerprint != NULL && strcmp (fingerprint, self->pinned_fingerprint) == 0;
}

SoupMessage *
_tessera_client_new_message (TesseraClient     *self,
                             const char        *method,
                             const char        *path,
                             TesseraClientAuth  auth,
                             const char        *poll_token)
{
  g_autofree char *url = g_strconcat (self->server_url, path, NULL);
  SoupMessageHeaders *headers;
  SoupMessage *message;

  message = soup_message_new (method, url);
  if (message == NULL)
    return NULL;

  /* A redirect could carry the bearer token to another origin; Tessera never redirects. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json, application/problem+json");

  if (auth == TESSERA_CLIENT_AUTH_SESSION && self->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      tessera_secret_wipe (value, strlen (value));
    }
  else if (auth == TESSERA_CLIENT_AUTH_POLL_TOKEN && poll_token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", poll_token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      tessera_secret_wipe (value, strlen (value));
    }

  g_signal_connect_object (message, "accept-certificate",
                           G_CALLBACK (on_accept_certificate), self, 0);

  return message;
}

/* The pipeline */

typedef struct {
  TesseraClient           *client;
  SoupMessage             *message;
  GInputStream            *stream;
  GCancellable            *cancellable;         /* ours: cancelled by the caller or the deadline */
  GCancellable            *caller_cancellable;
  gulong                   caller_cancelled_id;
  GSource                 *deadline;
  GByteArray              *body;
  TesseraClientAuth        auth;
  TesseraClientDecodeFunc  decode;
  GDestroyNotify           result_free;
  gboolean                 is_health_check;
  gboolean                 timed_out;
} Request;

static void
request_free (Request *request)
{
  if (request->caller_cancelled_id != 0)
    g_cancellable_disconnect (request->caller_cancellable, request->caller_cancelled_id);
  if (request->deadline != NULL)
    {
      g_source_destroy (request->deadline);
      g_source_unref (request->deadline);
    }
  if (request->stream != NULL)
    g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&request->stream);
  g_clear_object (&request->message);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->caller_cancellable);
  g_clear_pointer (&request->body, g_byte_array_unref);
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
on_caller_cancelled (GCancellable *caller_cancellable,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static gboolean
on_deadline (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);

  return G_SOURCE_REMOVE;
}

/* Fails @task with @error, unless the caller cancelled: then with G_IO_ERROR_CANCELLED. */
static void
request_fail (GTask  *task,
              GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (request->timed_out)
    {
      g_clear_error (&error);
      error = g_error_new (TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TIMEOUT,
                           _("The server at %s did not answer in time. Try again later."),
                           request->client->host);
    }
  else if (g_cancellable_is_cancelled (request->caller_cancellable))
    {
      g_clear_error (&error);
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
    }

  g_task_return_error (task, error);
}

static void
request_fail_transport (GTask        *task,
                        const GError *cause,
                        gboolean      reading_body)
{
  Request *request = g_task_get_task_data (task);
  GTlsCertificate *certificate;
  GTlsCertificateFlags errors;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !request->timed_out &&
      !g_cancellable_is_cancelled (request->caller_cancellable))
    g_warning ("A request was cancelled by neither its caller nor its deadline");

  certificate = g_object_get_data (G_OBJECT (request->message), PEER_CERTIFICATE_KEY);
  errors = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (request->message), PEER_ERRORS_KEY));

  request_fail (task, _tessera_client_error_new_transport (cause, request->client->host,
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

static void
request_complete_error_status (GTask *task,
                               guint  status)
{
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
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
      request_fail (task, _tessera_client_error_new_not_tessera (request->client->host));
      return;
    }

  request_fail (task, _tessera_client_error_new_status (status, problem,
                                                        parse_retry_after (headers),
                                                        request->client->host,
                                                        request->auth));
}

static void
request_complete (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
  guint status = soup_message_get_status (request->message);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gpointer result;

  if (status < 200 || status > 299)
    {
      request_complete_error_status (task, status);
      return;
    }

  if (request->decode == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!content_type_is (headers, "application/json"))
    {
      const char *type = soup_message_headers_get_content_type (headers, NULL);
      g_autofree char *why = g_strdup_printf ("content type %s", type ? type : "missing");

      if (request->is_health_check)
        request_fail (task, _tessera_client_error_new_not_tessera (request->client->host));
      else
        request_fail (task, _tessera_client_error_new_invalid_response (request->client->host,
                                                                        why));
      return;
    }

  root = tessera_json_parse_object ((const char *) request->body->data, request->body->len,
                                    TESSERA_JSON_MAX_DEPTH, &error);
  result = root != NULL ? request->decode (root, &error) : NULL;
  if (result == NULL)
    {
      if (request->is_health_check)
        request_fail (task, _tessera_client_error_new_not_tessera (request->client->host));
      else
        request_fail (task, _tessera_client_error_new_invalid_response (request->client->host,
                                                                        error->message));
      return;
    }

  g_task_return_pointer (task, result, request->result_free);
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
  if (n_read < 0)
    {
      g_byte_array_set_size (request->body, 0);
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
      g_cancellable_cancel (request->cancellable);
      request_fail (task, _tessera_client_error_new_invalid_response (request->client->host,
                                                                      _("the answer is too large")));
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
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  goffset length;

  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (request->stream == NULL)
    {
      request_fail_transport (task, error, FALSE);
      return;
    }

  headers = soup_message_get_response_headers (request->message);
  length = soup_message_headers_get_content_length (headers);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      length > TESSERA_CLIENT_MAX_RESPONSE_SIZE)
    {
      g_cancellable_cancel (request->cancellable);
      request_fail (task, _tessera_client_error_new_invalid_response (request->client->host,
                                                                      _("the answer is too large")));
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
  /* The pipeline reports cancellation itself, after libsoup has let go of the message. */
  g_task_set_check_cancellable (task, FALSE);

  request = g_new0 (Request, 1);
  request->client = g_object_ref (self);
  request->auth = call->auth;
  request->decode = call->decode;
  request->result_free = call->result_free;
  request->is_health_check = call->is_health_check;
  request->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (call->auth == TESSERA_CLIENT_AUTH_SESSION && self->token == NULL)
    {
      g_task_return_new_error (task, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_AUTHORIZED,
                               "%s", _("You are not signed in. Sign in first."));
      return;
    }

  request->message = _tessera_client_new_message (self, call->method, call->path,
                                                  call->auth, call->poll_token);
  if (request->message == NULL)
    {
      g_task_return_new_error (task, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_URL,
                               _("“%s” is not a valid address."), self->server_url);
      return;
    }

  if (call->idempotency_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                  "Idempotency-Key", call->idempotency_key);
  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (request->message, "application/json", call->body);

  if (cancellable != NULL)
    {
      request->caller_cancellable = g_object_ref (cancellable);
      request->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                            G_CALLBACK (on_caller_cancelled),
                                                            g_object_ref (request->cancellable),
                                                            g_object_unref);
    }

  request->deadline = g_timeout_source_new_seconds (self->timeout);
  g_source_set_callback (request->deadline, on_deadline, request, NULL);
  g_source_set_static_name (request->deadline, "[tessera-client] request deadline");
  g_source_attach (request->deadline, g_task_get_context (task));

  soup_session_send_async (self->session,
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

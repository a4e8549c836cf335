/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tessera-client-private.h"

/*
 * The client object: its SoupSession, properties, trust settings and the messages every call
 * starts from. The request pipeline is in tessera-client-request.c, the endpoints in
 * tessera-client-endpoints.c, the event stream in tessera-client-events.c.
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
  /* Room for the event WebSocket, a paging load and the odd call beside them. */
  SoupSession *session = soup_session_new_with_options ("user-agent", TESSERA_USER_AGENT,
                                                        "timeout", self->timeout,
                                                        "max-conns-per-host", 6,
                                                        "max-conns", 12,
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
  gboolean events_running;

  events_running = self->events != NULL && _tessera_client_events_is_running (self->events);

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
  if ((port == 443 && g_str_equal (scheme, "https")) ||
      (port == 80 && g_str_equal (scheme, "http")))
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

guint
_tessera_client_get_timeout (TesseraClient *self)
{
  return self->timeout;
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

  g_object_set_data_full (G_OBJECT (message), TESSERA_CLIENT_PEER_CERTIFICATE_KEY,
                          g_object_ref (certificate), g_object_unref);
  g_object_set_data (G_OBJECT (message), TESSERA_CLIENT_PEER_ERRORS_KEY,
                     GUINT_TO_POINTER (errors));

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

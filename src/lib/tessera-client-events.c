/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-client-events"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tessera-client-backoff.h"
#include "tessera-client-private.h"

/*
 * The WebSocket to /api/v1/events. It belongs to its TesseraClient and never outlives it, so
 * it holds a plain pointer back. Every asynchronous step runs under a cancellable that is
 * cancelled only when the stream stops or is freed; a callback that sees CANCELLED therefore
 * returns before it touches the (possibly freed) stream.
 */

#define RECONNECT_INITIAL_MS  1000
#define RECONNECT_MAX_MS      60000
/* A ping every 30 s keeps NAT and proxies from dropping an idle connection. */
#define KEEPALIVE_SECONDS     30

struct _TesseraClientEvents
{
  TesseraClient            *client;         /* unowned: it owns us */
  SoupWebsocketConnection  *connection;     /* owned */
  GCancellable             *cancellable;    /* owned */
  TesseraClientBackoff      backoff;
  guint                     reconnect_id;
  gboolean                  running;
};

static void events_connect (TesseraClientEvents *self);

TesseraClientEvents *
_tessera_client_events_new (TesseraClient *client)
{
  TesseraClientEvents *self = g_new0 (TesseraClientEvents, 1);

  self->client = client;
  self->cancellable = g_cancellable_new ();
  tessera_client_backoff_init (&self->backoff, RECONNECT_INITIAL_MS, RECONNECT_MAX_MS);

  return self;
}

static void
events_drop_connection (TesseraClientEvents *self)
{
  if (self->connection == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->connection, self);
  if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&self->connection);
}

void
_tessera_client_events_stop (TesseraClientEvents *self)
{
  self->running = FALSE;

  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  events_drop_connection (self);

  if (self->client != NULL)
    _tessera_client_set_connected (self->client, FALSE);
}

void
_tessera_client_events_free (TesseraClientEvents *self)
{
  if (self == NULL)
    return;

  /* The client is being disposed: no more notifications to it. */
  self->client = NULL;
  _tessera_client_events_stop (self);
  g_clear_object (&self->cancellable);
  g_free (self);
}

static gboolean
on_reconnect_timeout (gpointer user_data)
{
  TesseraClientEvents *self = user_data;

  self->reconnect_id = 0;
  events_connect (self);

  return G_SOURCE_REMOVE;
}

static void
events_schedule_reconnect (TesseraClientEvents *self)
{
  guint delay_ms;

  if (!self->running || self->reconnect_id != 0)
    return;

  delay_ms = tessera_client_backoff_next (&self->backoff);
  g_debug ("Reconnecting to the event stream in %u ms", delay_ms);
  self->reconnect_id = g_timeout_add (delay_ms, on_reconnect_timeout, self);
}

/* The session is no longer accepted: retrying cannot help until someone signs in again. */
static void
events_fail (TesseraClientEvents *self,
             GError              *error)
{
  TesseraClient *client = self->client;

  _tessera_client_events_stop (self);
  _tessera_client_emit_events_failed (client, error);
  g_error_free (error);
}

static void
on_message (SoupWebsocketConnection *connection,
            int                      type,
            GBytes                  *message,
            TesseraClientEvents     *self)
{
  g_autoptr(TesseraEvent) event = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  root = tessera_json_parse_bytes (message, &error);
  if (root != NULL)
    event = tessera_event_new_from_json (root, &error);

  /* A newer server may send event types we do not know: skip them, keep the connection. */
  if (event == NULL)
    {
      g_debug ("Skipping an event that could not be decoded: %s", error->message);
      return;
    }

  _tessera_client_emit_event (self->client, event);
}

static void
on_closed (SoupWebsocketConnection *connection,
           TesseraClientEvents     *self)
{
  g_debug ("The event stream closed (code %u)",
           soup_websocket_connection_get_close_code (connection));

  events_drop_connection (self);
  _tessera_client_set_connected (self->client, FALSE);
  events_schedule_reconnect (self);
}

static void
on_connect_finished (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TesseraClientEvents *self = user_data;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *message;

  message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* stopped or freed: @self may be gone */

  if (connection == NULL)
    {
      if (message != NULL && soup_message_get_status (message) == 401)
        {
          events_fail (self, g_error_new_literal (TESSERA_CLIENT_ERROR,
                                                  TESSERA_CLIENT_ERROR_NOT_AUTHORIZED,
                                                  _("Your session has expired. Sign in again.")));
          return;
        }

      g_debug ("Could not connect to the event stream: %s", error->message);
      events_schedule_reconnect (self);
      return;
    }

  tessera_client_backoff_reset (&self->backoff);
  self->connection = g_steal_pointer (&connection);
  soup_websocket_connection_set_keepalive_interval (self->connection, KEEPALIVE_SECONDS);
  g_signal_connect (self->connection, "message", G_CALLBACK (on_message), self);
  g_signal_connect (self->connection, "closed", G_CALLBACK (on_closed), self);

  _tessera_client_set_connected (self->client, TRUE);
}

static void
events_connect (TesseraClientEvents *self)
{
  g_autoptr(SoupMessage) message = NULL;

  if (!tessera_client_has_token (self->client))
    {
      events_fail (self, g_error_new_literal (TESSERA_CLIENT_ERROR,
                                              TESSERA_CLIENT_ERROR_NOT_AUTHORIZED,
                                              _("You are not signed in. Sign in first.")));
      return;
    }

  message = _tessera_client_new_message (self->client, "GET", "/api/v1/events",
                                         TESSERA_CLIENT_AUTH_SESSION, NULL);
  if (message == NULL)
    return;

  soup_session_websocket_connect_async (_tessera_client_get_session (self->client),
                                        message,
                                        NULL, NULL,
                                        G_PRIORITY_DEFAULT,
                                        self->cancellable,
                                        on_connect_finished,
                                        self);
}

gboolean
_tessera_client_events_is_running (TesseraClientEvents *self)
{
  return self->running;
}

void
_tessera_client_events_start (TesseraClientEvents *self)
{
  if (self->running)
    return;

  self->running = TRUE;
  tessera_client_backoff_reset (&self->backoff);
  events_connect (self);
}

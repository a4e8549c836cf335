/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-event-hub"

#include "config.h"

#include "tessera-event-hub.h"
#include "tessera-types.h"

typedef struct {
  TesseraEventHub         *hub;          /* unowned: the hub outlives its clients' entries */
  SoupWebsocketConnection *connection;   /* owned */
  GSocket                 *socket;       /* owned */
  char                    *token;        /* owned secret: wiped on free */
  char                    *peer;
  /* Bytes handed to libsoup since the socket was last seen writable: libsoup queues them
   * without limit once the kernel's send buffer is full, so this is what must stay bounded. */
  gsize                    backlog;
  gint64                   last_writable;
  gboolean                 dropping;
} Client;

struct _TesseraEventHub {
  GObject       parent_instance;

  TesseraStore *store;        /* owned */
  GPtrArray    *clients;      /* Client, owned */
  guint         check_source;
  gboolean      closing;
};

G_DEFINE_FINAL_TYPE (TesseraEventHub, tessera_event_hub, G_TYPE_OBJECT)

static void
client_free (gpointer data)
{
  Client *client = data;

  g_signal_handlers_disconnect_by_data (client->connection, client);
  g_clear_object (&client->connection);
  g_clear_object (&client->socket);
  tessera_secret_clear (&client->token);
  g_free (client->peer);
  g_free (client);
}

static gboolean
free_client_later (gpointer data)
{
  client_free (data);
  return G_SOURCE_REMOVE;
}

static void
on_client_closed (SoupWebsocketConnection *connection,
                  Client                  *client)
{
  TesseraEventHub *self = client->hub;

  g_debug ("Events client %s went away (%u)", client->peer,
           soup_websocket_connection_get_close_code (connection));

  /* Freed from an idle, not here: our reference may be the connection's last one, and it is
   * still emitting "closed". */
  g_signal_handlers_disconnect_by_data (connection, client);
  g_ptr_array_remove_fast (self->clients, client);
  g_idle_add_full (G_PRIORITY_DEFAULT, free_client_later, client, NULL);
}

static void
on_client_error (SoupWebsocketConnection *connection,
                 GError                  *error,
                 Client                  *client)
{
  g_debug ("Events client %s: %s", client->peer, error->message);
}

/*
 * Cuts a client off without a close handshake: it is not reading, so a close frame would only
 * queue behind the backlog. Shutting the socket down makes libsoup's pending I/O fail, which
 * ends in "closed" and frees the client.
 */
static void
drop_client (Client     *client,
             const char *why)
{
  if (client->dropping)
    return;

  client->dropping = TRUE;
  g_message ("Dropping events client %s: %s", client->peer, why);
  g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
}

static gboolean
socket_is_writable (Client *client)
{
  return (g_socket_condition_check (client->socket, G_IO_OUT) & G_IO_OUT) != 0;
}

static void
send_to_client (Client     *client,
                const char *text,
                gsize       length)
{
  if (client->dropping ||
      soup_websocket_connection_get_state (client->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  if (socket_is_writable (client))
    {
      client->backlog = 0;
      client->last_writable = g_get_monotonic_time ();
    }

  client->backlog += length;
  if (client->backlog > TESSERA_EVENT_HUB_MAX_BACKLOG)
    {
      drop_client (client, "it stopped reading events");
      return;
    }

  soup_websocket_connection_send_text (client->connection, text);
}

static void
broadcast (TesseraEventHub *self,
           TesseraEvent    *event)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GPtrArray) snapshot = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  if (self->closing || self->clients->len == 0)
    return;

  builder = json_builder_new ();
  tessera_event_to_json (event, builder);
  text = tessera_json_builder_to_string (builder, &length);

  /* A send can fail and close a client at once; clients are freed only from an idle, so
   * the pointers of a snapshot stay valid through the loop. */
  snapshot = g_ptr_array_copy (self->clients, NULL, NULL);
  for (guint i = 0; i < snapshot->len; i++)
    send_to_client (g_ptr_array_index (snapshot, i), text, length);
}

static void
on_account_changed (TesseraStore    *store,
                    TesseraAccount  *account,
                    TesseraEventHub *self)
{
  g_autoptr(TesseraEvent) event = tessera_event_new_account_updated (account);

  broadcast (self, event);
}

static void
on_request_changed (TesseraStore    *store,
                    TesseraRequest  *request,
                    gboolean         created,
                    TesseraEventHub *self)
{
  g_autoptr(TesseraEvent) event = NULL;

  event = tessera_event_new_request (created ? TESSERA_EVENT_REQUEST_CREATED
                                             : TESSERA_EVENT_REQUEST_UPDATED,
                                     request);
  broadcast (self, event);
}

static void
on_settings_changed (TesseraStore    *store,
                     TesseraSettings *settings,
                     TesseraEventHub *self)
{
  g_autoptr(TesseraEvent) event = tessera_event_new_settings_updated (settings);

  broadcast (self, event);
}

/* Periodic: ends streams whose session ended and clients whose socket has stalled. */
static gboolean
check_clients (gpointer user_data)
{
  TesseraEventHub *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) snapshot = g_ptr_array_copy (self->clients, NULL, NULL);

  for (guint i = 0; i < snapshot->len; i++)
    {
      Client *client = g_ptr_array_index (snapshot, i);
      g_autoptr(TesseraUser) user = NULL;
      g_autoptr(GError) error = NULL;

      if (client->dropping)
        continue;

      if (socket_is_writable (client))
        {
          client->backlog = 0;
          client->last_writable = now;
        }
      else if (client->backlog > 0 &&
               now - client->last_writable > TESSERA_EVENT_HUB_STALL_SECONDS * G_USEC_PER_SEC)
        {
          drop_client (client, "its connection stalled");
          continue;
        }

      user = tessera_store_lookup_session (self->store, client->token, &error);
      if (user == NULL)
        {
          if (!g_error_matches (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_AUTHORIZED))
            {
              g_warning ("Cannot check an events client's session: %s", error->message);
              continue;
            }
          g_info ("Closing events client %s: its session ended", client->peer);
          soup_websocket_connection_close (client->connection,
                                           SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                           "session ended");
        }
    }

  return G_SOURCE_CONTINUE;
}

static void
tessera_event_hub_dispose (GObject *object)
{
  TesseraEventHub *self = (TesseraEventHub *)object;

  g_clear_handle_id (&self->check_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  if (self->clients != NULL)
    {
      for (guint i = 0; i < self->clients->len; i++)
        client_free (g_ptr_array_index (self->clients, i));
      g_ptr_array_set_size (self->clients, 0);
    }

  G_OBJECT_CLASS (tessera_event_hub_parent_class)->dispose (object);
}

static void
tessera_event_hub_finalize (GObject *object)
{
  TesseraEventHub *self = (TesseraEventHub *)object;

  g_clear_pointer (&self->clients, g_ptr_array_unref);

  G_OBJECT_CLASS (tessera_event_hub_parent_class)->finalize (object);
}

static void
tessera_event_hub_class_init (TesseraEventHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tessera_event_hub_dispose;
  object_class->finalize = tessera_event_hub_finalize;
}

static void
tessera_event_hub_init (TesseraEventHub *self)
{
  /* No free func: removal from "closed" must not free the client there (see below). */
  self->clients = g_ptr_array_new ();
}

TesseraEventHub *
tessera_event_hub_new (TesseraStore *store)
{
  TesseraEventHub *self;

  g_return_val_if_fail (TESSERA_IS_STORE (store), NULL);

  self = g_object_new (TESSERA_TYPE_EVENT_HUB, NULL);
  self->store = g_object_ref (store);

  g_signal_connect_object (store, "account-changed", G_CALLBACK (on_account_changed), self, 0);
  g_signal_connect_object (store, "request-changed", G_CALLBACK (on_request_changed), self, 0);
  g_signal_connect_object (store, "settings-changed", G_CALLBACK (on_settings_changed), self, 0);

  self->check_source = g_timeout_add_seconds (TESSERA_EVENT_HUB_CHECK_SECONDS,
                                              check_clients, self);

  return self;
}

gboolean
tessera_event_hub_can_accept (TesseraEventHub *self)
{
  g_return_val_if_fail (TESSERA_IS_EVENT_HUB (self), FALSE);

  return !self->closing && self->clients->len < TESSERA_EVENT_HUB_MAX_CLIENTS;
}

void
tessera_event_hub_add_client (TesseraEventHub         *self,
                              SoupWebsocketConnection *connection,
                              GSocket                 *socket,
                              const char              *token,
                              const char              *peer)
{
  Client *client;

  g_return_if_fail (TESSERA_IS_EVENT_HUB (self));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));
  g_return_if_fail (G_IS_SOCKET (socket));
  g_return_if_fail (token != NULL);

  client = g_new0 (Client, 1);
  client->hub = self;
  client->connection = g_object_ref (connection);
  client->socket = g_object_ref (socket);
  client->token = tessera_secret_dup (token);
  client->peer = g_strdup (peer);
  client->last_writable = g_get_monotonic_time ();

  /* Clients only listen; a few KiB is plenty for anything they might send. */
  soup_websocket_connection_set_max_incoming_payload_size (connection, 4096);
  soup_websocket_connection_set_keepalive_interval (connection, TESSERA_EVENT_HUB_CHECK_SECONDS);

  g_signal_connect (connection, "closed", G_CALLBACK (on_client_closed), client);
  g_signal_connect (connection, "error", G_CALLBACK (on_client_error), client);

  g_ptr_array_add (self->clients, client);
}

guint
tessera_event_hub_get_n_clients (TesseraEventHub *self)
{
  g_return_val_if_fail (TESSERA_IS_EVENT_HUB (self), 0);

  return self->clients->len;
}

void
tessera_event_hub_close_all (TesseraEventHub *self)
{
  g_autoptr(GPtrArray) snapshot = NULL;

  g_return_if_fail (TESSERA_IS_EVENT_HUB (self));

  self->closing = TRUE;
  snapshot = g_ptr_array_copy (self->clients, NULL, NULL);

  for (guint i = 0; i < snapshot->len; i++)
    {
      Client *client = g_ptr_array_index (snapshot, i);

      if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                         "server shutting down");
    }
}

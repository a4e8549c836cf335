/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-http-server"

#include "config.h"

#include <string.h>

#include "tessera-event-hub.h"
#include "tessera-http-early.h"
#include "tessera-http-server.h"
#include "tessera-router.h"
#include "tessera-routes-private.h"
#include "tessera-source-address.h"

#define EVENTS_PATH "/api/v1/events"

/* Bearer tokens are base64url of ≥ 256 bits; anything much longer is not one of ours. */
#define MAX_TOKEN_LENGTH 512

/* The longest a change waits for others to share its commit, under a stream of requests. */
#define GROUP_MAX_WAIT_MS 5

struct _TesseraHttpServer {
  GObject            parent_instance;

  /* Owned */
  TesseraStore      *store;
  SoupServer        *soup;
  TesseraRouter     *router;
  TesseraEventHub   *events;
  TesseraProxyList  *trusted_proxies;
  TesseraThrottle   *redemption_throttle;
  TesseraThrottle   *sign_in_throttle;

  guint              request_timeout_seconds;
  guint              sweep_interval_seconds;
  guint              sweep_source;
  gboolean           shut_down;

  /* Group commit: answers held until the store's open group is durable */
  GPtrArray         *held;              /* SoupServerMessage, owned */
  guint              group_idle;        /* commits when the main loop has nothing else */
  guint              group_deadline;    /* commits at the latest GROUP_MAX_WAIT_MS later */
};

G_DEFINE_FINAL_TYPE (TesseraHttpServer, tessera_http_server, G_TYPE_OBJECT)

/*
 * One request/response exchange. libsoup emits "request-started" when a connection is
 * accepted (before a TLS handshake) and we answer every request with "Connection: close",
 * so there is exactly one exchange per connection and its deadline bounds the connection.
 *
 * Why no keep-alive: libsoup 3.2.3 leaks a kept-alive connection that the client closes
 * while it is idle between requests — socket, fd and all (soup-server-message-io-http1.c,
 * soup_server_message_io_http1_finished(): an idle message has no completion callback, so
 * nothing ever disconnects it; fixed upstream in 3.3.0 by commit d20c6601). Verified here:
 * 30 curl requests left 30 sockets in CLOSE-WAIT. With "Connection: close" libsoup
 * disconnects after every response and nothing stays idle, so there is no idle timeout to
 * enforce either.
 */
typedef struct {
  GSocket *socket;            /* owned; NULL for connections not made from a socket */
  char    *peer;              /* the TCP peer, for log lines */
  char    *source_address;    /* the client per DESIGN §6, once the headers are in */
  gint64   started;           /* monotonic µs */
  guint    deadline;          /* source id */
  guint    timeout_seconds;
  gsize    body_bytes;        /* bodies without Content-Length, counted as they arrive */
} Exchange;

static GQuark exchange_quark;
static GQuark events_token_quark;
static GQuark leaked_reference_quark;

static void
exchange_free (gpointer data)
{
  Exchange *exchange = data;

  g_clear_handle_id (&exchange->deadline, g_source_remove);
  g_clear_object (&exchange->socket);
  g_free (exchange->peer);
  g_free (exchange->source_address);
  g_free (exchange);
}

static Exchange *
get_exchange (SoupServerMessage *msg)
{
  return g_object_get_qdata (G_OBJECT (msg), exchange_quark);
}

/* Text from the request line made safe for a log line: no control characters, bounded. */
static char *
loggable (const char *text)
{
  g_autofree char *cut = g_strndup (text != NULL ? text : "-", 200);

  return g_strescape (cut, NULL);
}

static gboolean
on_deadline (gpointer user_data)
{
  Exchange *exchange = user_data;

  exchange->deadline = 0;
  g_info ("Closing the connection from %s: no complete request or response within %u s",
          exchange->peer, exchange->timeout_seconds);

  /* Not g_socket_close(): libsoup still polls this fd. Shutting it down makes libsoup's own
   * I/O fail, and libsoup then finishes the message and disconnects as for any dead peer. */
  if (exchange->socket != NULL)
    g_socket_shutdown (exchange->socket, TRUE, TRUE, NULL);

  return G_SOURCE_REMOVE;
}

static void
exchange_arm_deadline (Exchange *exchange)
{
  g_clear_handle_id (&exchange->deadline, g_source_remove);
  exchange->deadline = g_timeout_add_seconds (exchange->timeout_seconds, on_deadline, exchange);
}

static void
on_got_body (SoupServerMessage *msg,
             gpointer           user_data)
{
  Exchange *exchange = get_exchange (msg);

  /* The request is in; the same allowance again for the client to take the answer. */
  if (exchange != NULL)
    exchange_arm_deadline (exchange);
}

static void
on_exchange_over (SoupServerMessage *msg,
                  gpointer           user_data)
{
  Exchange *exchange = get_exchange (msg);

  if (exchange != NULL)
    g_clear_handle_id (&exchange->deadline, g_source_remove);
}

/*
 * libsoup before 3.4.0 keeps the reference g_socket_accept() gave it for every connection it
 * accepts (soup-listener.c, listen_watch(); fixed upstream by commit b545d5f0, "soup-listener:
 * Plug a leak"): about 340 bytes per connection, and with one request per connection that is
 * per request — measured with Debian 12's 3.2.3, +6.7 MB for every 20 000 requests, for good.
 * Found by the valgrind run of the server suites. The connection holds a reference of its own
 * for as long as it uses the socket, so dropping the forgotten one when we first see the
 * socket is what the upstream fix does. Once per socket, and only where libsoup needs it.
 */
static void
drop_leaked_socket_reference (GSocket *socket)
{
  if (soup_get_major_version () != 3 || soup_get_minor_version () >= 4)
    return;
  if (g_object_get_qdata (G_OBJECT (socket), leaked_reference_quark) != NULL)
    return;

  g_object_set_qdata (G_OBJECT (socket), leaked_reference_quark, GINT_TO_POINTER (TRUE));
  g_object_unref (socket);
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    TesseraHttpServer *self)
{
  Exchange *exchange = g_new0 (Exchange, 1);
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    drop_leaked_socket_reference (socket);

  exchange->started = g_get_monotonic_time ();
  exchange->timeout_seconds = self->request_timeout_seconds;
  exchange->peer = g_strdup (soup_server_message_get_remote_host (msg));
  if (socket != NULL)
    exchange->socket = g_object_ref (socket);
  g_object_set_qdata_full (G_OBJECT (msg), exchange_quark, exchange, exchange_free);

  exchange_arm_deadline (exchange);

  g_signal_connect (msg, "got-body", G_CALLBACK (on_got_body), NULL);
  g_signal_connect (msg, "finished", G_CALLBACK (on_exchange_over), NULL);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_exchange_over), NULL);
}

static void
log_access (SoupServerMessage *msg,
            guint              status)
{
  Exchange *exchange = get_exchange (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *method = loggable (soup_server_message_get_method (msg));
  /* No URI when libsoup itself refused the request line (e.g. "GET /?a=%zz"): it answers 400
   * and "request-finished" still comes here. */
  g_autofree char *path = loggable (uri != NULL ? g_uri_get_path (uri) : NULL);
  g_autofree char *status_text = g_strdup_printf ("%u", status);
  g_autofree char *duration = NULL;
  const char *source = "-";

  if (exchange != NULL)
    {
      source = exchange->source_address != NULL ? exchange->source_address : exchange->peer;
      duration = g_strdup_printf ("%.1f",
                                  (g_get_monotonic_time () - exchange->started) / 1000.0);
    }

  /* The path only: a query string or a header could carry something secret. */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "HTTP_METHOD", method,
                    "HTTP_PATH", path,
                    "HTTP_STATUS", status_text,
                    "SOURCE_ADDRESS", source,
                    "MESSAGE", "%s %s %u %s ms %s",
                    method, path, status, duration != NULL ? duration : "-", source);
}

static void
on_request_done (SoupServer        *soup,
                 SoupServerMessage *msg,
                 TesseraHttpServer *self)
{
  log_access (msg, soup_server_message_get_status (msg));
}

/* --- Limits decided from the headers (DESIGN §6) --- */

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              TesseraHttpServer *self)
{
  Exchange *exchange = get_exchange (msg);

  if (exchange == NULL)
    return;

  exchange->body_bytes += g_bytes_get_size (chunk);
  if (exchange->body_bytes > TESSERA_HTTP_MAX_BODY)
    {
      g_signal_handlers_disconnect_by_func (msg, on_got_chunk, self);
      log_access (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
      _tessera_http_answer_early (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                                  "A request body may be at most 1 MiB");
    }
}

static void
early_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  TesseraHttpServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      if (soup_message_headers_get_content_length (headers) > TESSERA_HTTP_MAX_BODY)
        {
          log_access (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
          _tessera_http_answer_early (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                      "payload_too_large",
                                      "A request body may be at most 1 MiB");
        }
      return;
    }

  /* Chunked (or otherwise unannounced) bodies are counted as they arrive and cut off. */
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), self);
}

/* --- Who is asking --- */

static char *
resolve_source (TesseraHttpServer *self,
                SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  return tessera_source_address_resolve (self->trusted_proxies,
                                         soup_server_message_get_remote_host (msg),
                                         soup_message_headers_get_list (headers,
                                                                        "X-Forwarded-For"));
}

/*
 * The token of "Authorization: Bearer <token>", or NULL. *@sent tells a missing header from
 * one that is there but not a bearer token we could ever have issued.
 */
static char *
parse_bearer (SoupServerMessage *msg,
              gboolean          *sent)
{
  const char *value;
  const char *token;
  gsize length;

  value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                        "Authorization");
  *sent = value != NULL;
  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;

  token = value + 7;
  while (*token == ' ')
    token++;

  length = strlen (token);
  while (length > 0 && token[length - 1] == ' ')
    length--;
  if (length == 0 || length > MAX_TOKEN_LENGTH)
    return NULL;

  /* RFC 6750 token68 characters only. */
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalnum (token[i]) && strchr ("-._~+/=", token[i]) == NULL)
        return NULL;
    }

  return g_strndup (token, length);
}

static gboolean
is_json_media_type (SoupServerMessage *msg)
{
  g_autoptr(GHashTable) params = NULL;
  const char *type;
  const char *charset;

  type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                &params);
  if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0)
    return FALSE;

  charset = params != NULL ? g_hash_table_lookup (params, "charset") : NULL;
  return charset == NULL || g_ascii_strcasecmp (charset, "utf-8") == 0;
}

static gboolean
authenticate (TesseraHttpServer    *self,
              TesseraRouteContext  *ctx,
              const TesseraRoute   *route,
              char                **token_out,
              TesseraUser         **user_out)
{
  g_autoptr(GError) error = NULL;
  gboolean sent = FALSE;
  char *token;
  TesseraUser *user;

  token = parse_bearer (ctx->msg, &sent);
  *token_out = token;

  if (route->access == TESSERA_ACCESS_ANYONE || route->access == TESSERA_ACCESS_POLL_TOKEN)
    return TRUE;

  if (token == NULL)
    {
      _tessera_respond_not_authorized (ctx->msg, sent);
      return FALSE;
    }

  user = tessera_store_lookup_session (self->store, token, &error);
  if (user == NULL)
    {
      _tessera_respond_error (ctx->msg, error);
      return FALSE;
    }
  *user_out = user;

  if (route->access == TESSERA_ACCESS_ADMIN && tessera_user_get_role (user) != TESSERA_ROLE_ADMIN)
    {
      _tessera_respond_problem (ctx->msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                "Only an admin may do this; %s is a viewer",
                                tessera_user_get_username (user));
      return FALSE;
    }

  return TRUE;
}

static JsonNode *
read_json_body (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (bytes) == 0)
    {
      _tessera_respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                                "This request needs a JSON object as its body");
      return NULL;
    }

  if (!is_json_media_type (msg))
    {
      _tessera_respond_problem (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                "unsupported_media_type",
                                "The body must be sent as application/json (UTF-8)");
      return NULL;
    }

  node = tessera_json_parse_bytes (bytes, &error);
  if (node == NULL)
    _tessera_respond_invalid_body (msg, error);

  return node;
}

/* --- Group commit --- */

/*
 * The store gathers the changes made while the main loop works through the requests that
 * are ready into one transaction (tessera_store_set_group_commit), committed with one fsync
 * once the main loop has nothing else to do, or GROUP_MAX_WAIT_MS after the first change
 * under a stream of requests that never lets it idle. Under load the disk's wait is shared by
 * every request that arrived meanwhile (8 consoles redeeming at once share one fsync); a
 * quiet server still commits each change at once. A commit at default priority instead came
 * one iteration later, too soon: groups of two, as libsoup reads a request in several.
 *
 * Nothing handled while a group is open is answered before it commits: neither a change nor
 * a read that may have seen one. If the commit fails, every success among those answers
 * becomes the error (503 when the disk is full), so no client is ever told of a change that
 * was not saved (DESIGN §6).
 */
static void
on_held_disconnected (SoupServerMessage *msg,
                      TesseraHttpServer *self)
{
  /* libsoup 3.2 refuses (with a critical) to unpause a message whose connection is gone. */
  g_signal_handlers_disconnect_by_func (msg, on_held_disconnected, self);
  g_ptr_array_remove (self->held, msg);
}

static void
finish_group (TesseraHttpServer *self)
{
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GError) error = NULL;
  gboolean committed;

  g_clear_handle_id (&self->group_idle, g_source_remove);
  g_clear_handle_id (&self->group_deadline, g_source_remove);

  committed = tessera_store_commit_group (self->store, &error);
  held = g_steal_pointer (&self->held);
  self->held = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < held->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (held, i);

      g_signal_handlers_disconnect_by_func (msg, on_held_disconnected, self);
      /* An error answer stays true (nothing of it was kept); a success would now be a lie. */
      if (!committed && SOUP_STATUS_IS_SUCCESSFUL (soup_server_message_get_status (msg)))
        {
          soup_message_body_truncate (soup_server_message_get_response_body (msg));
          _tessera_respond_error (msg, error);
        }
      soup_server_message_unpause (msg);
    }
}

static gboolean
on_group_idle (gpointer user_data)
{
  TesseraHttpServer *self = user_data;

  self->group_idle = 0;
  finish_group (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_group_deadline (gpointer user_data)
{
  TesseraHttpServer *self = user_data;

  self->group_deadline = 0;
  finish_group (self);
  return G_SOURCE_REMOVE;
}

static void
on_group_opened (TesseraStore      *store,
                 TesseraHttpServer *self)
{
  if (self->group_idle == 0)
    self->group_idle = g_idle_add (on_group_idle, self);
  if (self->group_deadline == 0)
    self->group_deadline = g_timeout_add (GROUP_MAX_WAIT_MS, on_group_deadline, self);
}

/* Holds @msg's answer back until the open group (if any) is committed. */
static void
hold_until_durable (TesseraHttpServer *self,
                    SoupServerMessage *msg)
{
  if (!tessera_store_has_open_group (self->store))
    return;

  soup_server_message_pause (msg);
  g_ptr_array_add (self->held, g_object_ref (msg));
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_held_disconnected), self);
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  TesseraHttpServer *self = user_data;
  Exchange *exchange = get_exchange (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  TesseraRouteContext ctx = { 0, };
  TesseraRouteMatch match;
  const TesseraRoute *route;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *source = NULL;
  char *token = NULL;

  /* Answers carry codes, tokens and passwords: no cache may keep any of them. */
  soup_message_headers_replace (response_headers, "Cache-Control", "no-store");

  source = resolve_source (self, msg);
  if (exchange != NULL)
    exchange->source_address = g_strdup (source);

  ctx.server = self;
  ctx.msg = msg;
  ctx.store = self->store;
  ctx.query = query;
  ctx.source_address = source;

  tessera_router_match (self->router, soup_server_message_get_method (msg), path, &match);
  switch (match.status)
    {
    case TESSERA_ROUTE_NOT_FOUND:
      _tessera_respond_problem (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                                "There is no such endpoint in API v1");
      goto out;

    case TESSERA_ROUTE_METHOD_NOT_ALLOWED:
      soup_message_headers_replace (response_headers, "Allow", match.allow);
      _tessera_respond_problem (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                                "This endpoint answers only %s", match.allow);
      goto out;

    case TESSERA_ROUTE_FOUND:
    default:
      break;
    }

  route = match.handler;
  ctx.params = match.params;

  if (!authenticate (self, &ctx, route, &token, &user))
    goto out;
  ctx.token = token;
  ctx.user = user;

  if (route->takes_json)
    {
      body = read_json_body (msg);
      if (body == NULL)
        goto out;
      ctx.body = body;
    }

  route->handler (&ctx);

  if (soup_server_message_get_status (msg) == 0 && strcmp (path, EVENTS_PATH) != 0)
    {
      g_critical ("Route %s %s gave no answer", route->method, route->pattern);
      _tessera_respond_problem (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                                "The server could not complete the request");
    }

out:
  tessera_secret_free (token);
  tessera_route_match_clear (&match);

  /* Status 0 here means a WebSocket upgrade, which must keep its "Connection: Upgrade". */
  if (soup_server_message_get_status (msg) != 0)
    {
      soup_message_headers_replace (response_headers, "Connection", "close");
      hold_until_durable (self, msg);
    }
}

/* --- The events WebSocket --- */

void
_tessera_http_server_accept_events (TesseraRouteContext *ctx)
{
  TesseraHttpServer *self = ctx->server;
  g_autoptr(GError) error = NULL;

  if (!soup_websocket_server_check_handshake (ctx->msg, NULL, NULL, NULL, &error))
    {
      _tessera_respond_problem (ctx->msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                "%s is a WebSocket: %s", EVENTS_PATH, error->message);
      return;
    }

  if (self->shut_down || !tessera_event_hub_can_accept (self->events))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (ctx->msg),
                                    "Retry-After", "30");
      _tessera_respond_problem (ctx->msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                "service_unavailable",
                                "Too many event streams are open; try again later");
      return;
    }

  /* Leaving the status unset lets libsoup answer 101; on_events_connected() takes over. */
  g_object_set_qdata_full (G_OBJECT (ctx->msg), events_token_quark,
                           tessera_secret_dup (ctx->token), (GDestroyNotify) tessera_secret_free);
}

static void
on_events_connected (SoupServer              *soup,
                     SoupServerMessage       *msg,
                     const char              *path,
                     SoupWebsocketConnection *connection,
                     gpointer                 user_data)
{
  TesseraHttpServer *self = user_data;
  const char *token = g_object_get_qdata (G_OBJECT (msg), events_token_quark);
  GSocket *socket = soup_server_message_get_socket (msg);
  Exchange *exchange = get_exchange (msg);

  log_access (msg, SOUP_STATUS_SWITCHING_PROTOCOLS);

  if (token == NULL || socket == NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, NULL);
      return;
    }

  tessera_event_hub_add_client (self->events, connection, socket, token,
                                exchange != NULL ? exchange->source_address : "-");
}

/* --- Throttles --- */

TesseraThrottle *
_tessera_http_server_get_redemption_throttle (TesseraHttpServer *self)
{
  return self->redemption_throttle;
}

TesseraThrottle *
_tessera_http_server_get_sign_in_throttle (TesseraHttpServer *self)
{
  return self->sign_in_throttle;
}

gboolean
_tessera_throttle_admit (TesseraRouteContext *ctx,
                         TesseraThrottle     *throttle,
                         const char          *audit_actor,
                         const char          *audit_action)
{
  g_autofree char *key = tessera_source_address_throttle_key (ctx->source_address);
  TesseraThrottleResult result;

  tessera_throttle_check (throttle, key, &result);
  if (result.verdict == TESSERA_THROTTLE_ALLOW)
    return TRUE;

  if (result.audit)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) detail = g_string_new (NULL);

      g_string_append (detail, result.verdict == TESSERA_THROTTLE_REFUSED_GLOBAL
                               ? "server-wide failure ceiling reached"
                               : "too many failures from this address");
      if (result.n_unaudited > 0)
        g_string_append_printf (detail, "; %u more refused since the last entry",
                                result.n_unaudited);

      if (!tessera_store_audit (ctx->store, audit_actor, audit_action, NULL, ctx->source_address,
                                detail->str, &error))
        g_warning ("Cannot audit a throttled attempt: %s", error->message);
    }

  _tessera_respond_rate_limited (ctx->msg, result.retry_after);
  return FALSE;
}

void
_tessera_throttle_fail (TesseraRouteContext *ctx,
                        TesseraThrottle     *throttle)
{
  g_autofree char *key = tessera_source_address_throttle_key (ctx->source_address);

  tessera_throttle_record_failure (throttle, key);
}

/* --- Expiry --- */

static gboolean
sweep_expired (gpointer user_data)
{
  TesseraHttpServer *self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_expired;

  n_expired = tessera_store_sweep_expired (self->store, &error);
  if (error != NULL)
    g_warning ("Cannot apply expiry: %s", error->message);
  else if (n_expired > 0)
    g_debug ("Expired %u OTPs, requests or sessions", n_expired);

  return G_SOURCE_CONTINUE;
}

/* --- Object --- */

static void
register_routes (TesseraHttpServer  *self,
                 const TesseraRoute *routes)
{
  for (guint i = 0; routes[i].method != NULL; i++)
    tessera_router_add (self->router, routes[i].method, routes[i].pattern,
                        (gpointer) &routes[i]);
}

static void
tessera_http_server_dispose (GObject *object)
{
  TesseraHttpServer *self = (TesseraHttpServer *)object;

  g_clear_handle_id (&self->sweep_source, g_source_remove);
  if (self->store != NULL)
    {
      finish_group (self);
      g_signal_handlers_disconnect_by_data (self->store, self);
      tessera_store_set_group_commit (self->store, FALSE);
    }
  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
    }
  g_clear_object (&self->soup);
  g_clear_object (&self->events);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tessera_http_server_parent_class)->dispose (object);
}

static void
tessera_http_server_finalize (GObject *object)
{
  TesseraHttpServer *self = (TesseraHttpServer *)object;

  g_clear_pointer (&self->router, tessera_router_free);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->trusted_proxies, tessera_proxy_list_unref);
  g_clear_pointer (&self->redemption_throttle, tessera_throttle_free);
  g_clear_pointer (&self->sign_in_throttle, tessera_throttle_free);

  G_OBJECT_CLASS (tessera_http_server_parent_class)->finalize (object);
}

static void
tessera_http_server_class_init (TesseraHttpServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tessera_http_server_dispose;
  object_class->finalize = tessera_http_server_finalize;

  exchange_quark = g_quark_from_static_string ("tessera-http-exchange");
  events_token_quark = g_quark_from_static_string ("tessera-events-token");
  leaked_reference_quark = g_quark_from_static_string ("tessera-leaked-socket-reference");
}

static void
tessera_http_server_init (TesseraHttpServer *self)
{
  self->router = tessera_router_new ();
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
}

TesseraHttpServer *
tessera_http_server_new (TesseraStore              *store,
                         const TesseraServerConfig *config)
{
  TesseraHttpServer *self;
  TesseraThrottleLimits sign_in_limits;

  g_return_val_if_fail (TESSERA_IS_STORE (store), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (TESSERA_TYPE_HTTP_SERVER, NULL);
  self->store = g_object_ref (store);
  self->trusted_proxies = tessera_proxy_list_ref (config->trusted_proxies);
  self->request_timeout_seconds = config->request_timeout_seconds;
  self->sweep_interval_seconds = config->sweep_interval_seconds;

  self->redemption_throttle = tessera_throttle_new (&config->throttle);

  /* Sign-ins get the same per-address rule but no server-wide ceiling: passwords are
   * Argon2id-slow to guess already, and a ceiling would let anyone lock every admin out. */
  sign_in_limits = config->throttle;
  sign_in_limits.global_failures = 0;
  self->sign_in_throttle = tessera_throttle_new (&sign_in_limits);

  self->events = tessera_event_hub_new (store);

  tessera_store_set_group_commit (store, TRUE);
  g_signal_connect (store, "group-opened", G_CALLBACK (on_group_opened), self);

  register_routes (self, _tessera_routes_sessions);
  register_routes (self, _tessera_routes_accounts);
  register_routes (self, _tessera_routes_requests);
  register_routes (self, _tessera_routes_settings);
  register_routes (self, _tessera_routes_device);

  return self;
}

gboolean
tessera_http_server_listen (TesseraHttpServer   *self,
                            GInetSocketAddress  *address,
                            GTlsCertificate     *certificate,
                            GError             **error)
{
  SoupServerListenOptions options = 0;

  g_return_val_if_fail (TESSERA_IS_HTTP_SERVER (self), FALSE);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);

  self->soup = soup_server_new ("server-header", "tessera-server",
                                "tls-certificate", certificate,
                                NULL);

  /* Events are small JSON; per-connection zlib state is not worth its memory here. */
  soup_server_remove_websocket_extension (self->soup, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);

  /* Early and normal handlers at the same paths: libsoup picks one handler entry per path,
   * so the events path needs its own early handler too. */
  soup_server_add_early_handler (self->soup, NULL, early_handler, self, NULL);
  soup_server_add_early_handler (self->soup, EVENTS_PATH, early_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  soup_server_add_handler (self->soup, EVENTS_PATH, handle_request, self, NULL);
  soup_server_add_websocket_handler (self->soup, EVENTS_PATH, NULL, NULL,
                                     on_events_connected, self, NULL);

  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_done), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_done), self);

  if (certificate != NULL)
    options |= SOUP_SERVER_LISTEN_HTTPS;

  if (!soup_server_listen (self->soup, G_SOCKET_ADDRESS (address), options, error))
    return FALSE;

  sweep_expired (self);
  self->sweep_source = g_timeout_add_seconds (self->sweep_interval_seconds, sweep_expired, self);

  return TRUE;
}

char *
tessera_http_server_get_uri (TesseraHttpServer *self)
{
  GSList *uris;
  char *text = NULL;

  g_return_val_if_fail (TESSERA_IS_HTTP_SERVER (self), NULL);

  if (self->soup == NULL)
    return NULL;

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    text = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return text;
}

void
tessera_http_server_shutdown (TesseraHttpServer *self)
{
  g_return_if_fail (TESSERA_IS_HTTP_SERVER (self));

  self->shut_down = TRUE;
  g_clear_handle_id (&self->sweep_source, g_source_remove);
  /* What was done is saved, even if the answers no longer reach anyone. */
  finish_group (self);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  tessera_event_hub_close_all (self->events);
}

guint
tessera_http_server_get_n_open_streams (TesseraHttpServer *self)
{
  g_return_val_if_fail (TESSERA_IS_HTTP_SERVER (self), 0);

  return tessera_event_hub_get_n_clients (self->events);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "tessera-client.h"

G_BEGIN_DECLS

/*
 * Internal API of TesseraClient, shared by tessera-client.c (transport), the endpoint file
 * and the event stream. Nothing here is for callers outside libtessera-client.
 */

/* Which credential a call carries; decides the Authorization header and how 401 reads. */
typedef enum {
  TESSERA_CLIENT_AUTH_NONE,        /* healthz, device redeem */
  TESSERA_CLIENT_AUTH_SIGN_IN,     /* POST /sessions: a 401 means wrong username or password */
  TESSERA_CLIENT_AUTH_SESSION,     /* every admin endpoint: Bearer <session token> */
  TESSERA_CLIENT_AUTH_POLL_TOKEN,  /* device poll: Bearer <poll token> */
} TesseraClientAuth;

/* Turns the parsed body of a 2xx answer into the call's result, or NULL with @error set. */
typedef gpointer (*TesseraClientDecodeFunc) (JsonNode  *root,
                                             GError   **error);

typedef struct {
  const char              *method;
  const char              *path;            /* "/api/v1/…", already escaped, may carry "?…" */
  GBytes                  *body;            /* JSON request body, or NULL */
  TesseraClientAuth        auth;
  const char              *poll_token;      /* secret; for TESSERA_CLIENT_AUTH_POLL_TOKEN */
  const char              *idempotency_key; /* nullable */
  TesseraClientDecodeFunc  decode;          /* NULL: the body is ignored, result is TRUE */
  GDestroyNotify           result_free;
  gboolean                 is_health_check; /* anything but a Tessera answer is NOT_TESSERA */
  gboolean                 raw_json;        /* result: the GBytes of a 2xx application/json body */
} TesseraClientCall;

/* A page of a list: {"items":[…],"next_cursor":…,"total":N} */
typedef struct {
  GPtrArray *items;
  char      *next_cursor;
  guint      total;
} TesseraClientPage;

void              _tessera_client_page_free            (TesseraClientPage        *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraClientPage, _tessera_client_page_free)

/* For TesseraAccountLoader, which pipelines pages: fetch and decode are separate steps. */
char             *_tessera_client_accounts_path        (const TesseraAccountQuery *query,
                                                        const char               *cursor,
                                                        guint                     limit);
void              _tessera_client_get_json_async       (TesseraClient            *self,
                                                        const char               *path,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
GBytes           *_tessera_client_get_json_finish      (TesseraClient            *self,
                                                        GAsyncResult             *result,
                                                        GError                  **error);
/* Parses and decodes a page of accounts; INVALID_RESPONSE on anything malformed. */
GPtrArray        *_tessera_client_decode_account_page  (TesseraClient            *self,
                                                        GBytes                   *body,
                                                        char                    **next_cursor,
                                                        guint                    *total,
                                                        GError                  **error);

/* Sends @call; the result is a pointer (decode != NULL) or a boolean. */
void              _tessera_client_send                 (TesseraClient            *self,
                                                        const TesseraClientCall  *call,
                                                        gpointer                  source_tag,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
gpointer          _tessera_client_finish_pointer       (TesseraClient            *self,
                                                        GAsyncResult             *result,
                                                        gpointer                  source_tag,
                                                        GError                  **error);
gboolean          _tessera_client_finish_boolean       (TesseraClient            *self,
                                                        GAsyncResult             *result,
                                                        gpointer                  source_tag,
                                                        GError                  **error);

/* For the event stream: a message to the client's base URL with headers, TLS pin and agent. */
SoupMessage      *_tessera_client_new_message          (TesseraClient            *self,
                                                        const char               *method,
                                                        const char               *path,
                                                        TesseraClientAuth         auth,
                                                        const char               *poll_token);
SoupSession      *_tessera_client_get_session          (TesseraClient            *self);
const char       *_tessera_client_get_host             (TesseraClient            *self);
guint             _tessera_client_get_timeout          (TesseraClient            *self);

/* What the server presented in a TLS handshake, kept as data on the SoupMessage. */
#define TESSERA_CLIENT_PEER_CERTIFICATE_KEY "tessera-peer-certificate"
#define TESSERA_CLIENT_PEER_ERRORS_KEY      "tessera-peer-certificate-errors"
void              _tessera_client_set_connected        (TesseraClient            *self,
                                                        gboolean                  connected);
void              _tessera_client_emit_event           (TesseraClient            *self,
                                                        TesseraEvent             *event);
void              _tessera_client_emit_events_failed   (TesseraClient            *self,
                                                        const GError             *error);

/* Event stream (tessera-client-events.c), owned by the client. */
typedef struct _TesseraClientEvents TesseraClientEvents;

TesseraClientEvents *_tessera_client_events_new        (TesseraClient            *client);
void                 _tessera_client_events_start      (TesseraClientEvents      *events);
void                 _tessera_client_events_stop       (TesseraClientEvents      *events);
gboolean             _tessera_client_events_is_running (TesseraClientEvents      *events);
void                 _tessera_client_events_free       (TesseraClientEvents      *events);

/* Errors (tessera-client-error.c) */
GError           *_tessera_client_error_new            (TesseraClientError        code,
                                                        const char               *message);
/* From a libsoup/GIO/TLS failure; @reading_body: the headers had arrived already. */
GError           *_tessera_client_error_new_transport  (const GError             *cause,
                                                        const char               *host,
                                                        gboolean                  reading_body,
                                                        GTlsCertificate          *peer_certificate,
                                                        GTlsCertificateFlags      tls_errors);
/* From a non-2xx answer; takes @problem (nullable). */
GError           *_tessera_client_error_new_status     (guint                     status,
                                                        TesseraProblem           *problem,
                                                        guint                     retry_after,
                                                        const char               *host,
                                                        TesseraClientAuth         auth);
GError           *_tessera_client_error_new_invalid_response (const char         *host,
                                                        const char               *why);
GError           *_tessera_client_error_new_not_tessera (const char              *host);

G_END_DECLS

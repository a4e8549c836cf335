/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "tessera-http-server.h"
#include "tessera-store.h"
#include "tessera-throttle.h"
#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * What the route files (tessera-routes-*.c) share with tessera-http-server.c. A route is thin:
 * it reads the query or the already parsed body with the lib's strict decoders, calls the
 * store once, and answers with the lib's encoders or a problem. Authentication, the media
 * type, the body limit and JSON parsing happen before a route runs.
 */

typedef enum {
  TESSERA_ACCESS_ANYONE,       /* no Authorization needed */
  TESSERA_ACCESS_VIEWER,       /* a session of any role */
  TESSERA_ACCESS_ADMIN,        /* a session of an admin */
  TESSERA_ACCESS_POLL_TOKEN,   /* the route checks a console poll token itself */
} TesseraRouteAccess;

typedef struct {
  TesseraHttpServer *server;
  SoupServerMessage *msg;
  TesseraStore      *store;
  GHashTable        *query;           /* decoded query parameters; NULL when there are none */
  const char        *source_address;  /* the client as DESIGN §6 defines it */
  const char        *token;           /* the bearer token as sent, or NULL; a secret */
  TesseraUser       *user;            /* the signed-in user on VIEWER and ADMIN routes */
  JsonNode          *body;            /* the parsed body (an object) on routes that take JSON */
  char *const       *params;          /* the route's {placeholders}, in order */
} TesseraRouteContext;

typedef void (*TesseraRouteHandler) (TesseraRouteContext *ctx);

typedef struct {
  const char          *method;
  const char          *pattern;
  TesseraRouteHandler  handler;
  TesseraRouteAccess   access;
  gboolean             takes_json;
} TesseraRoute;

/* Each route file's table, ended by an entry whose method is NULL. */
extern const TesseraRoute _tessera_routes_sessions[];
extern const TesseraRoute _tessera_routes_accounts[];
extern const TesseraRoute _tessera_routes_requests[];
extern const TesseraRoute _tessera_routes_settings[];
extern const TesseraRoute _tessera_routes_device[];

/* Answers (tessera-http-response.c) */
const char *_tessera_status_title        (guint                 status);
void      _tessera_respond_json          (SoupServerMessage    *msg,
                                          guint                 status,
                                          JsonBuilder          *builder);
void      _tessera_respond_object        (SoupServerMessage    *msg,
                                          guint                 status,
                                          gpointer              object,
                                          TesseraJsonItemEncoder encode);
void      _tessera_respond_page          (SoupServerMessage    *msg,
                                          GPtrArray            *items,
                                          TesseraJsonItemEncoder encode_item,
                                          const char           *next_cursor,
                                          guint                 total);
/* The same page written lean (tessera_json_write_page), for lists of many items. */
void      _tessera_respond_page_lean     (SoupServerMessage    *msg,
                                          GPtrArray            *items,
                                          TesseraJsonItemWriter write_item,
                                          const char           *next_cursor,
                                          guint                 total);
void      _tessera_respond_no_content    (SoupServerMessage    *msg);
/* RFC 9457: {"type":"about:blank","title","status","detail","code"} plus @extra's members. */
void      _tessera_respond_problem_full  (SoupServerMessage    *msg,
                                          guint                 status,
                                          const char           *code,
                                          const char           *detail,
                                          JsonObject           *extra);
void      _tessera_respond_problem       (SoupServerMessage    *msg,
                                          guint                 status,
                                          const char           *code,
                                          const char           *detail_format,
                                          ...) G_GNUC_PRINTF (4, 5);
/* Maps a TesseraStoreError (or any other error, as 500) to its status and code. */
void      _tessera_respond_error         (SoupServerMessage    *msg,
                                          const GError         *error);
/* 429 rate_limited with Retry-After. */
void      _tessera_respond_rate_limited  (SoupServerMessage    *msg,
                                          guint                 retry_after);
/* 401 not_authorized with WWW-Authenticate: Bearer. */
void      _tessera_respond_not_authorized (SoupServerMessage   *msg,
                                           gboolean             token_was_sent);
/* A 400 invalid_request/invalid_json for a decoder's error (its message names the field). */
void      _tessera_respond_invalid_body  (SoupServerMessage    *msg,
                                          const GError         *error);

/* Query parameters: on a bad value these answer 400 naming the parameter and return FALSE. */
gboolean  _tessera_query_limit           (TesseraRouteContext  *ctx,
                                          guint                *limit);
const char *_tessera_query_string        (TesseraRouteContext  *ctx,
                                          const char           *name);
gboolean  _tessera_query_enum_mask       (TesseraRouteContext  *ctx,
                                          const char           *name,
                                          GType                 enum_type,
                                          guint                *mask);

/* The server's throttles (tessera-http-server.c). */
TesseraThrottle *_tessera_http_server_get_redemption_throttle (TesseraHttpServer *self);
TesseraThrottle *_tessera_http_server_get_sign_in_throttle    (TesseraHttpServer *self);

/*
 * Checks @throttle for the context's source; on refusal answers 429, audits the refusal as
 * @audit_action by @audit_actor (paced by the throttle) and returns FALSE.
 */
gboolean  _tessera_throttle_admit        (TesseraRouteContext  *ctx,
                                          TesseraThrottle      *throttle,
                                          const char           *audit_actor,
                                          const char           *audit_action);
void      _tessera_throttle_fail         (TesseraRouteContext  *ctx,
                                          TesseraThrottle      *throttle);

/* The WebSocket route's handshake half (tessera-http-server.c answers the upgrade). */
void      _tessera_http_server_accept_events (TesseraRouteContext *ctx);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tessera-test-server.h"

G_BEGIN_DECLS

/*
 * HTTP for server tests. Synchronous requests on a SoupSession are safe here because the
 * server is another process (TOOLING.md, libsoup pitfalls). A client may send from a chosen
 * loopback source address (127.0.0.2, …) so throttling per address can be observed.
 *
 * For concurrency and slow clients there are raw connections: plain TCP sockets that send
 * exactly the bytes a test writes, so many requests can really be in flight at once.
 */

typedef struct _TesseraTestClient TesseraTestClient;

typedef struct {
  guint               status;
  char               *content_type;  /* media type only, lower case ("application/json"); nullable */
  char               *content_type_header; /* the whole header; nullable */
  SoupMessageHeaders *headers;
  GBytes             *body;
  char               *body_text;     /* the body, NUL-terminated */
  JsonNode           *json;          /* the parsed body when it is JSON, else NULL */
  char               *what;          /* "POST /api/v1/sessions", for messages */
} TesseraTestResponse;

/* @local_address: source IPv4 address such as "127.0.0.2"; NULL for the default. */
TesseraTestClient   *tessera_test_client_new           (TesseraTestServer   *server,
                                                        const char          *local_address);
/* @base_url: "http://127.0.0.1:PORT", without a trailing slash. */
TesseraTestClient   *tessera_test_client_new_for_url   (const char          *base_url,
                                                        const char          *local_address);
void                 tessera_test_client_free          (TesseraTestClient   *self);
SoupSession         *tessera_test_client_get_session   (TesseraTestClient   *self);
const char          *tessera_test_client_get_base_url  (TesseraTestClient   *self);

/* @json_text: the body, sent as application/json; NULL for none. @token: Bearer; nullable. */
TesseraTestResponse *tessera_test_client_request       (TesseraTestClient   *self,
                                                        const char          *method,
                                                        const char          *path,
                                                        const char          *token,
                                                        const char          *json_text);
TesseraTestResponse *tessera_test_client_request_json  (TesseraTestClient   *self,
                                                        const char          *method,
                                                        const char          *path,
                                                        const char          *token,
                                                        JsonNode            *body);
/*
 * Everything chosen by the caller. @body may be NULL; @content_type is only sent with a body.
 * @headers: name, value, name, value, …, NULL; nullable.
 */
TesseraTestResponse *tessera_test_client_request_full  (TesseraTestClient   *self,
                                                        const char          *method,
                                                        const char          *path,
                                                        const char          *token,
                                                        const char          *content_type,
                                                        GBytes              *body,
                                                        const char * const  *headers);
/* Like request_full but returns NULL and sets @error when no response arrived. */
TesseraTestResponse *tessera_test_client_try_request   (TesseraTestClient   *self,
                                                        const char          *method,
                                                        const char          *path,
                                                        const char          *token,
                                                        const char          *content_type,
                                                        GBytes              *body,
                                                        const char * const  *headers,
                                                        GError             **error);

/*
 * WebSocket upgrade at @path with @token (nullable). On refusal returns NULL, sets @error and
 * stores the HTTP status of the refused upgrade in @status (when not NULL).
 */
SoupWebsocketConnection *tessera_test_client_connect_websocket (TesseraTestClient *self,
                                                                const char        *path,
                                                                const char        *token,
                                                                guint             *status,
                                                                GError           **error);
/*
 * Waits (iterating the thread-default main context, up to @timeout_usec) for a text message
 * whose JSON member "type" equals @type; earlier messages of other types are skipped.
 * Returns the parsed message or NULL on timeout or close.
 */
JsonNode            *tessera_test_websocket_wait_event (SoupWebsocketConnection *connection,
                                                        const char              *type,
                                                        gint64                   timeout_usec);

void                 tessera_test_response_free        (TesseraTestResponse *self);
const char          *tessera_test_response_get_header  (TesseraTestResponse *self,
                                                        const char          *name);

/* Assertions that print the method, path and body of the response when they fail. */
#define tessera_test_assert_status(response, status) \
  _tessera_test_assert_status (__FILE__, __LINE__, G_STRFUNC, (response), (status))
#define tessera_test_assert_problem(response, status, code) \
  _tessera_test_assert_problem (__FILE__, __LINE__, G_STRFUNC, (response), (status), (code))
#define tessera_test_assert_json(response, status) \
  _tessera_test_assert_json (__FILE__, __LINE__, G_STRFUNC, (response), (status))

void  _tessera_test_assert_status  (const char          *file,
                                    int                  line,
                                    const char          *func,
                                    TesseraTestResponse *response,
                                    guint                status);
/*
 * Status, application/problem+json, and members type, title, status (= @status) and code
 * (= @code, or any non-empty string when @code is NULL: DESIGN §4 fixes only some codes).
 */
void  _tessera_test_assert_problem (const char          *file,
                                    int                  line,
                                    const char          *func,
                                    TesseraTestResponse *response,
                                    guint                status,
                                    const char          *code);
/* Status, application/json and a parsed body. */
void  _tessera_test_assert_json    (const char          *file,
                                    int                  line,
                                    const char          *func,
                                    TesseraTestResponse *response,
                                    guint                status);

/*
 * JSON look-ups by a dotted path: "user.role", "results.0.otp.code", "" for the root.
 * Missing members, out-of-range indices and wrong types give NULL (or FALSE).
 */
JsonNode     *tessera_test_json_get        (JsonNode   *root,
                                            const char *path);
gboolean      tessera_test_json_has        (JsonNode   *root,
                                            const char *path);
gboolean      tessera_test_json_is_null    (JsonNode   *root,
                                            const char *path);
const char   *tessera_test_json_get_string (JsonNode   *root,
                                            const char *path);
JsonArray    *tessera_test_json_get_array  (JsonNode   *root,
                                            const char *path);
JsonObject   *tessera_test_json_get_object (JsonNode   *root,
                                            const char *path);
/* These assert that the member is there with the right type. */
gint64        tessera_test_json_get_int    (JsonNode   *root,
                                            const char *path);
gboolean      tessera_test_json_get_bool   (JsonNode   *root,
                                            const char *path);
/* Parses @text; asserts it is JSON. */
JsonNode     *tessera_test_json_parse      (const char *text);
/* A JSON string literal (with quotes) for @text. */
char         *tessera_test_json_quote      (const char *text);

/* Raw connections */
GSocketConnection   *tessera_test_raw_connect       (TesseraTestServer   *server,
                                                     const char          *local_address);
void                 tessera_test_raw_send          (GSocketConnection   *connection,
                                                     const char          *data,
                                                     gssize               length);
/*
 * Reads one response (Content-Length, chunked, or up to the close). Returns NULL and sets
 * @error when the connection closed or failed before a whole status line and headers came.
 */
TesseraTestResponse *tessera_test_raw_read_response (GSocketConnection   *connection,
                                                     GError             **error);
/*
 * A complete HTTP/1.1 request with Host, Connection: close, the Bearer token (nullable) and,
 * when @json_body is not NULL, Content-Type application/json and Content-Length.
 */
char                *tessera_test_raw_format_request (TesseraTestServer  *server,
                                                      const char         *method,
                                                      const char         *path,
                                                      const char         *token,
                                                      const char         *json_body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraTestClient, tessera_test_client_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraTestResponse, tessera_test_response_free)

G_END_DECLS

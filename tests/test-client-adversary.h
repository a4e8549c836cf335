/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A deliberately broken HTTP server on a loopback port, for the client's error paths. It
 * speaks raw HTTP/1.1 from a GThreadedSocketService (one blocking thread per connection), so
 * it can do what no well-behaved server does: cut a body short, never answer, trickle, lie
 * about the length. It never shares a thread with the client under test (TOOLING.md: a client
 * and a SoupServer on one thread deadlock).
 *
 * The first path segment picks the misbehaviour; the rest of the path is ignored, so a client
 * whose base URL is "<url>/truncated" meets it on every endpoint:
 *
 *   whoami       200 a user: username "with-auth"/"no-auth" (Bearer sent?), display_name the
 *                User-Agent
 *   ok           200 {"username":"adversary","display_name":"A","role":"admin"} (and /healthz)
 *   malformed    200 application/json that is not JSON
 *   wrongtype    200 a user whose username is a number
 *   deep         200 JSON nested 10 000 levels
 *   empty        200 application/json with an empty body
 *   truncated    200 Content-Length: 1000, 100 bytes sent, then the connection closes
 *   html500      500 text/html
 *   html200      200 text/html
 *   notfound     404 text/html
 *   redirect     302 to http://example.invalid/
 *   huge         200 Content-Length: 17 MiB (announced up front)
 *   hugechunked  200 chunked, streams past 16 MiB
 *   silent       reads the request and never answers
 *   slow         200 headers, then one byte every 200 ms forever
 *   hangup       reads the request and closes without a word
 *   badproblem   400 application/problem+json that is not JSON
 *   notok        200 {"status":"starting"} (for /healthz)
 *   conflict     409 already_resolved with the current request in the problem
 *   ratelimited  429 rate_limited, Retry-After: 42
 */

typedef struct _TesseraTestAdversary TesseraTestAdversary;

/* @certificate (nullable): speak TLS with it. */
TesseraTestAdversary *tessera_test_adversary_new             (GTlsCertificate       *certificate);
void                  tessera_test_adversary_free            (TesseraTestAdversary  *self);
/* "http://127.0.0.1:PORT" (or https://) */
const char           *tessera_test_adversary_get_url         (TesseraTestAdversary  *self);
/* How many requests it has read completely so far (thread-safe). */
guint                 tessera_test_adversary_get_n_requests  (TesseraTestAdversary  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraTestAdversary, tessera_test_adversary_free)

G_END_DECLS

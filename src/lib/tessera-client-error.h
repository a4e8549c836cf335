/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * Errors of TesseraClient. The code says what a person (or the app) can do about it; the
 * message is written for a person and names the server.
 *
 * Details travel inside the GError itself: TESSERA_CLIENT_ERROR is an extended error domain
 * (G_DEFINE_EXTENDED_ERROR), so the problem details of the server's answer, the Retry-After
 * delay, the current state of a request another admin resolved first and the certificate of
 * a TLS failure are copied with g_error_copy() and freed with g_error_free(), and survive
 * GTask, g_propagate_error() and g_propagate_prefixed_error(). The getters below accept any
 * GError (and NULL) and answer NULL / 0 for errors of other domains.
 */

#define TESSERA_CLIENT_ERROR (tessera_client_error_quark ())

typedef enum {
  TESSERA_CLIENT_ERROR_INVALID_URL,          /* the server address is not an http(s) URL */
  TESSERA_CLIENT_ERROR_NETWORK,              /* unreachable, refused, DNS failure, dropped */
  TESSERA_CLIENT_ERROR_TIMEOUT,              /* no (complete) answer in time */
  TESSERA_CLIENT_ERROR_TLS,                  /* certificate not trusted: see get_peer_certificate */
  TESSERA_CLIENT_ERROR_NOT_AUTHORIZED,       /* 401: session expired or revoked; sign in again */
  TESSERA_CLIENT_ERROR_INVALID_CREDENTIALS,  /* 401 on sign-in: wrong username or password */
  TESSERA_CLIENT_ERROR_FORBIDDEN,            /* 403, e.g. viewer role, separation_of_duties */
  TESSERA_CLIENT_ERROR_NOT_FOUND,            /* 404 with problem details */
  TESSERA_CLIENT_ERROR_CONFLICT,             /* 409: already_resolved, batch_exists, otp_not_live */
  TESSERA_CLIENT_ERROR_GONE,                 /* 410 request_expired */
  TESSERA_CLIENT_ERROR_RATE_LIMITED,         /* 429: see get_retry_after */
  TESSERA_CLIENT_ERROR_INVALID_REQUEST,      /* 400 (invalid_otp, a field named in detail), 413 */
  TESSERA_CLIENT_ERROR_SERVICE_UNAVAILABLE,  /* 502, 503, 504: try again later */
  TESSERA_CLIENT_ERROR_SERVER_ERROR,         /* any other 5xx */
  TESSERA_CLIENT_ERROR_NOT_TESSERA,          /* the address answers, but not as Tessera API v1 */
  TESSERA_CLIENT_ERROR_INVALID_RESPONSE,     /* malformed, truncated, wrong type, too large */
} TesseraClientError;

/* The largest answer the client reads; anything larger is INVALID_RESPONSE. */
#define TESSERA_CLIENT_MAX_RESPONSE_SIZE (16 * 1024 * 1024)

GQuark                 tessera_client_error_quark                 (void);

/* The problem details (RFC 9457) the server sent, or NULL; transfer none. */
const TesseraProblem  *tessera_client_error_get_problem           (const GError     *error);
/* Shortcut for the problem's stable "code" ("already_resolved", "invalid_otp", …), or NULL. */
const char            *tessera_client_error_get_problem_code      (const GError     *error);
/* The HTTP status of the answer, or 0 when there was none (network, TLS, timeout). */
guint                  tessera_client_error_get_http_status       (const GError     *error);
/* Seconds from Retry-After (429, 503), or 0 when the server did not say. */
guint                  tessera_client_error_get_retry_after       (const GError     *error);
/*
 * For CONFLICT already_resolved: the request as the other admin left it (who resolved it,
 * when, and how), or NULL when the answer did not carry it; transfer none.
 */
TesseraRequest        *tessera_client_error_get_request           (const GError     *error);
/* For TLS: the certificate the server presented and why it was refused; transfer none. */
GTlsCertificate       *tessera_client_error_get_peer_certificate  (const GError     *error);
GTlsCertificateFlags   tessera_client_error_get_tls_errors        (const GError     *error);

/*
 * The SHA-256 fingerprint of the certificate's DER encoding as upper-case colon-separated
 * hex ("AB:CD:…", 95 characters): what the app shows and what it stores as a pin.
 */
char                  *tessera_certificate_get_fingerprint        (GTlsCertificate  *certificate);

G_END_DECLS

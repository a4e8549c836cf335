/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tessera-types.h"
#include "tessera-client-error.h"

G_BEGIN_DECLS

/*
 * TesseraClient speaks HTTP API v1 (DESIGN §4) to one tessera-server over one long-lived
 * SoupSession. Every endpoint is an _async/_finish pair; callbacks run on the thread-default
 * main context of the caller, G_IO_ERROR_CANCELLED passes through unchanged, and every other
 * failure is a TESSERA_CLIENT_ERROR (see tessera-client-error.h) with the server's problem
 * details attached.
 *
 * Each call must be complete within the client's timeout (seconds, default 30): a server that
 * accepts the connection but answers slowly or never fails with TIMEOUT. Answers larger than
 * TESSERA_CLIENT_MAX_RESPONSE_SIZE, cut off, not JSON, or JSON of the wrong shape fail with
 * INVALID_RESPONSE and never yield a half-filled object.
 *
 * The session token is a secret: it is kept only in memory, sent only to this client's own
 * server, never logged, and wiped on sign-out and finalize.
 *
 * TLS: the system's trust store is used as usual. A certificate it refuses fails with TLS and
 * the error carries the certificate (tessera_client_error_get_peer_certificate). The caller
 * may then pin exactly that one certificate by its SHA-256 fingerprint: a certificate with
 * that fingerprint is accepted from then on, and any other untrusted certificate is refused.
 *
 * Events: tessera_client_start_events() keeps a WebSocket to /api/v1/events open, emits
 * TesseraClient::event for each message, reconnects with capped exponential backoff (1 s
 * doubling to 60 s, with jitter) and keeps the :connected property current. When the server
 * refuses the session (401) it stops and emits TesseraClient::events-failed with
 * NOT_AUTHORIZED. Events missed while disconnected are not replayed: refresh on reconnect.
 */

#define TESSERA_CLIENT_DEFAULT_TIMEOUT 30

/* The largest page the server hands out (DESIGN §4). */
#define TESSERA_CLIENT_MAX_PAGE_SIZE   1000

/* Filters of GET /api/v1/accounts; zero-initialise and set what you need. */
typedef struct {
  const char *text;                /* q: substring of name, UPN or site; NULL for any */
  guint       readiness_mask;      /* bits (1 << TesseraReadiness); 0 for any */
  guint       provisioning_mask;   /* bits (1 << TesseraProvisioningState); 0 for any */
  gint64      updated_since_usec;  /* only accounts updated after this (µs since the epoch);
                                      0 for all */
} TesseraAccountQuery;

#define TESSERA_TYPE_CLIENT (tessera_client_get_type ())

G_DECLARE_FINAL_TYPE (TesseraClient, tessera_client, TESSERA, CLIENT, GObject)

/*
 * @server_url: "https://rooms.example.org" (a path prefix is kept; a missing scheme means
 * https). Fails with INVALID_URL for anything else.
 */
TesseraClient     *tessera_client_new                        (const char           *server_url,
                                                              GError              **error);
/* The normalised base URL ("https://rooms.example.org"), without a trailing slash. */
const char        *tessera_client_get_server_url             (TesseraClient        *self);
/* The host name as people know it ("rooms.example.org"), for messages. */
const char        *tessera_client_get_host                   (TesseraClient        *self);

/* The session token (a secret) sent with admin calls; NULL forgets it. */
void               tessera_client_set_token                  (TesseraClient        *self,
                                                              const char           *token);
gboolean           tessera_client_has_token                  (TesseraClient        *self);

guint              tessera_client_get_timeout                (TesseraClient        *self);
void               tessera_client_set_timeout                (TesseraClient        *self,
                                                              guint                 seconds);

/* The one extra certificate to accept, as tessera_certificate_get_fingerprint() writes it. */
const char        *tessera_client_get_pinned_fingerprint     (TesseraClient        *self);
void               tessera_client_set_pinned_fingerprint     (TesseraClient        *self,
                                                              const char           *fingerprint);
/* Trust anchors instead of the system's (e.g. g_tls_file_database_new ("ca.pem")); NULL resets. */
void               tessera_client_set_tls_database           (TesseraClient        *self,
                                                              GTlsDatabase         *database);

/* GET /healthz: TRUE for a Tessera server; NOT_TESSERA when something else answers. */
void               tessera_client_check_health_async         (TesseraClient        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean           tessera_client_check_health_finish        (TesseraClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* POST /api/v1/sessions. On success the client keeps the new token for its later calls. */
void               tessera_client_sign_in_async              (TesseraClient        *self,
                                                              const char           *username,
                                                              const char           *password,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
TesseraSession    *tessera_client_sign_in_finish             (TesseraClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* DELETE /api/v1/sessions/current. The client forgets its token and stops events either way. */
void               tessera_client_sign_out_async             (TesseraClient        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean           tessera_client_sign_out_finish            (TesseraClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* GET /api/v1/me */
void               tessera_client_get_me_async               (TesseraClient        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
TesseraUser       *tessera_client_get_me_finish              (TesseraClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/*
 * GET /api/v1/accounts: one page. @query may be NULL; @cursor NULL for the first page; @limit
 * 0 for the server's default, at most TESSERA_CLIENT_MAX_PAGE_SIZE. Returns the accounts
 * (TesseraAccount, the array frees them), the cursor of the next page (NULL on the last) and
 * the number of accounts matching the query.
 */
void               tessera_client_list_accounts_async (TesseraClient             *self,
                                                       const TesseraAccountQuery *query,
                                                       const char                *cursor,
                                                       guint                      limit,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
GPtrArray         *tessera_client_list_accounts_finish (TesseraClient  *self,
                                                        GAsyncResult   *result,
                                                        char          **next_cursor,
                                                        guint          *total,
                                                        GError        **error);

/* GET /api/v1/accounts/{id}: with its OTP and request history. */
void               tessera_client_get_account_async          (TesseraClient        *self,
                                                              const char           *account_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
TesseraAccount    *tessera_client_get_account_finish         (TesseraClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/*
 * POST /api/v1/otp-batches. @idempotency_key (from tessera_client_new_idempotency_key(), kept
 * by the caller for retries of the same batch) makes a retry fail with CONFLICT batch_exists
 * instead of issuing twice. The batch holds the codes: secrets, shown once.
 */
char              *tessera_client_new_idempotency_key        (void);
void               tessera_client_generate_batch_async (TesseraClient          *self,
                                                        const TesseraBatchSpec *spec,
                                                        const char             *idempotency_key,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
TesseraOtpBatch   *tessera_client_generate_batch_finish      (TesseraClient           *self,
                                                              GAsyncResult            *result,
                                                              GError                 **error);

/* POST /api/v1/otps/{id}/revoke: returns the account as it is now when the server sends it. */
void               tessera_client_revoke_otp_async           (TesseraClient        *self,
                                                              const char           *otp_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean           tessera_client_revoke_otp_finish          (TesseraClient        *self,
                                                              GAsyncResult         *result,
                                                              TesseraAccount      **account,
                                                              GError              **error);

/* Every TesseraRequestState, for tessera_client_list_requests_async(). */
#define TESSERA_CLIENT_ALL_REQUEST_STATES ((1u << (TESSERA_REQUEST_COMPLETED + 1)) - 1)

/* GET /api/v1/requests: @state_mask bits (1 << TesseraRequestState), 0 for pending only. */
void               tessera_client_list_requests_async        (TesseraClient        *self,
                                                              guint                 state_mask,
                                                              const char           *cursor,
                                                              guint                 limit,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray         *tessera_client_list_requests_finish       (TesseraClient        *self,
                                                              GAsyncResult         *result,
                                                              char                **next_cursor,
                                                              guint                *total,
                                                              GError              **error);

/* GET /api/v1/requests/{id} */
void               tessera_client_get_request_async          (TesseraClient        *self,
                                                              const char           *request_id,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
TesseraRequest    *tessera_client_get_request_finish         (TesseraClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/*
 * POST /api/v1/requests/{id}/resolution. When another admin was first, fails with CONFLICT
 * "already_resolved" and tessera_client_error_get_request() gives who resolved it, when, how.
 */
void               tessera_client_resolve_request_async      (TesseraClient            *self,
                                                              const char               *request_id,
                                                              const TesseraResolution  *resolution,
                                                              GCancellable             *cancellable,
                                                              GAsyncReadyCallback       callback,
                                                              gpointer                  user_data);
TesseraRequest    *tessera_client_resolve_request_finish     (TesseraClient            *self,
                                                              GAsyncResult             *result,
                                                              GError                  **error);

/* GET /api/v1/settings */
void               tessera_client_get_settings_async         (TesseraClient        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
TesseraSettings   *tessera_client_get_settings_finish        (TesseraClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* PUT /api/v1/settings: members the patch leaves out keep their value. */
void               tessera_client_update_settings_async (TesseraClient              *self,
                                                         const TesseraSettingsPatch *patch,
                                                         GCancellable               *cancellable,
                                                         GAsyncReadyCallback         callback,
                                                         gpointer                    user_data);
TesseraSettings   *tessera_client_update_settings_finish     (TesseraClient               *self,
                                                              GAsyncResult                *result,
                                                              GError                     **error);

/* GET /api/v1/audit: newest first. */
void               tessera_client_list_audit_async           (TesseraClient        *self,
                                                              const char           *cursor,
                                                              guint                 limit,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray         *tessera_client_list_audit_finish          (TesseraClient        *self,
                                                              GAsyncResult         *result,
                                                              char                **next_cursor,
                                                              guint                *total,
                                                              GError              **error);

/*
 * POST /api/v1/device/redemptions (no session). The answer carries the poll token, a secret
 * the console needs for every poll.
 */
void               tessera_client_device_redeem_async (TesseraClient               *self,
                                                       const TesseraRedemptionSpec *spec,
                                                       GCancellable                *cancellable,
                                                       GAsyncReadyCallback          callback,
                                                       gpointer                     user_data);
TesseraRedemption *tessera_client_device_redeem_finish       (TesseraClient                *self,
                                                              GAsyncResult                 *result,
                                                              GError                      **error);

/* GET /api/v1/device/redemptions/{id} with Bearer @poll_token. */
void               tessera_client_device_poll_async          (TesseraClient        *self,
                                                              const char           *redemption_id,
                                                              const char           *poll_token,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
TesseraRedemption *tessera_client_device_poll_finish         (TesseraClient        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* Events over /api/v1/events (see above). Starting twice or stopping twice is harmless. */
void               tessera_client_start_events               (TesseraClient        *self);
void               tessera_client_stop_events                (TesseraClient        *self);
gboolean           tessera_client_get_connected              (TesseraClient        *self);

G_END_DECLS

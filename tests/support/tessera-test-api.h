/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-test-http.h"

G_BEGIN_DECLS

/*
 * Steps of the flows of DESIGN §1 through API v1, for tests that need an account in a given
 * state before they test something else. Each step asserts its own success, so a test that
 * uses it fails at the step that broke.
 */

typedef struct {
  char *account_id;
  char *otp_id;
  char *code;        /* as the server returned it (formatted) */
  char *expires_at;
  char *password;    /* the resource account's password when return_passwords; else NULL */
} TesseraTestIssued;

typedef struct {
  char *id;
  char *poll_token;
  char *state;
} TesseraTestRedeemed;

void                 tessera_test_issued_free          (TesseraTestIssued   *self);
void                 tessera_test_redeemed_free        (TesseraTestRedeemed *self);

/* Every account id matching @query (e.g. "readiness=ready"; may be NULL), walking all pages. */
GPtrArray           *tessera_test_api_list_account_ids (TesseraTestClient   *client,
                                                        const char          *token,
                                                        const char          *query);
/*
 * Up to @n ready accounts that have never had an OTP (provisioning not_started); asserts
 * there are at least @n.
 */
GPtrArray           *tessera_test_api_fresh_ready_accounts (TesseraTestClient *client,
                                                            const char        *token,
                                                            guint              n);
/* GET /api/v1/accounts/{id}; asserts 200. */
JsonNode            *tessera_test_api_get_account      (TesseraTestClient   *client,
                                                        const char          *token,
                                                        const char          *account_id);
/* One-account batch with generated passwords (returned); asserts the row was issued. */
TesseraTestIssued   *tessera_test_api_issue            (TesseraTestClient   *client,
                                                        const char          *token,
                                                        const char          *account_id);
/*
 * {"account_ids":[…],"password_mode":"generate"EXTRA}: @extra_members is appended inside the
 * object (e.g. ",\"return_passwords\":true"); may be NULL.
 */
char                *tessera_test_api_batch_body       (const char * const  *account_ids,
                                                        guint                n_ids,
                                                        const char          *extra_members);
/* A valid device body for @code. */
char                *tessera_test_api_redemption_body  (const char          *code,
                                                        const char          *serial_number);
/* POST /api/v1/device/redemptions; asserts 201 and the members of the answer. */
TesseraTestRedeemed *tessera_test_api_redeem           (TesseraTestClient   *client,
                                                        const char          *code);
/* The request id of @account_id's current provisioning (after a redemption). */
char                *tessera_test_api_request_id_for   (TesseraTestClient   *client,
                                                        const char          *token,
                                                        const char          *account_id);
/* POST …/resolution; returns the response (not asserted). @reason may be NULL. */
TesseraTestResponse *tessera_test_api_resolve          (TesseraTestClient   *client,
                                                        const char          *token,
                                                        const char          *request_id,
                                                        const char          *decision,
                                                        const char          *reason);
/* GET /api/v1/device/redemptions/{id} with the poll token; returns the response. */
TesseraTestResponse *tessera_test_api_poll             (TesseraTestClient   *client,
                                                        TesseraTestRedeemed *redeemed);
/* PUT /api/v1/settings with @json_text; asserts 200. */
void                 tessera_test_api_put_settings     (TesseraTestClient   *client,
                                                        const char          *token,
                                                        const char          *json_text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraTestIssued, tessera_test_issued_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraTestRedeemed, tessera_test_redeemed_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * A resource account (DESIGN §3) as the API shows it:
 *
 *   {"id","display_name","upn","site","license":str|null,"readiness","readiness_issues":[str],
 *    "updated_at","provisioning":{"state","otp_id"?,"issued_by"?,"expires_at"?,"request_id"?},
 *    "otps"?:[otp],"requests"?:[request]}
 *
 * The app holds 100 000 of these, so an instance is compact: strings live in the instance,
 * site, licence, issuer and readiness issue codes are interned (few distinct values),
 * timestamps are kept as microseconds and a GDateTime is only made when a getter asks for one
 * (and then cached in the instance; the getters are therefore transfer none and not
 * thread-safe — like every setter). Use the _unix_usec getters in sorts and filters.
 *
 * Setting the licence or the readiness issues re-derives the readiness; setting the readiness
 * itself (as the decoder does with the server's value) does not touch them.
 */

#define TESSERA_TYPE_ACCOUNT (tessera_account_get_type ())

G_DECLARE_FINAL_TYPE (TesseraAccount, tessera_account, TESSERA, ACCOUNT, GObject)

/* no_valid_license if @license is NULL or empty, else change_settings if any issue, else ready */
TesseraReadiness          tessera_readiness_derive                      (const char               *license,
                                                                         const char *const        *issues);

/* A not_started account; @license and @issues may be NULL. updated_at is unset (NULL). */
TesseraAccount           *tessera_account_new                           (const char               *id,
                                                                         const char               *display_name,
                                                                         const char               *upn,
                                                                         const char               *site,
                                                                         const char               *license,
                                                                         const char *const        *issues);

const char               *tessera_account_get_id                        (TesseraAccount           *self);
void                      tessera_account_set_id                        (TesseraAccount           *self,
                                                                         const char               *id);
const char               *tessera_account_get_display_name              (TesseraAccount           *self);
void                      tessera_account_set_display_name              (TesseraAccount           *self,
                                                                         const char               *display_name);
const char               *tessera_account_get_upn                       (TesseraAccount           *self);
void                      tessera_account_set_upn                       (TesseraAccount           *self,
                                                                         const char               *upn);
const char               *tessera_account_get_site                      (TesseraAccount           *self);
void                      tessera_account_set_site                      (TesseraAccount           *self,
                                                                         const char               *site);
/* NULL when the account has no licence */
const char               *tessera_account_get_license                   (TesseraAccount           *self);
void                      tessera_account_set_license                   (TesseraAccount           *self,
                                                                         const char               *license);
TesseraReadiness          tessera_account_get_readiness                 (TesseraAccount           *self);
void                      tessera_account_set_readiness                 (TesseraAccount           *self,
                                                                         TesseraReadiness          readiness);
/* Never NULL (an empty array when there are no issues); transfer none. */
const char *const        *tessera_account_get_readiness_issues          (TesseraAccount           *self);
void                      tessera_account_set_readiness_issues          (TesseraAccount           *self,
                                                                         const char *const        *issues);
/* transfer none; NULL until set */
GDateTime                *tessera_account_get_updated_at                (TesseraAccount           *self);
void                      tessera_account_set_updated_at                (TesseraAccount           *self,
                                                                         GDateTime                *updated_at);
/* 0 until set */
gint64                    tessera_account_get_updated_at_unix_usec      (TesseraAccount           *self);
void                      tessera_account_set_updated_at_unix_usec      (TesseraAccount           *self,
                                                                         gint64                    unix_usec);

/* Provisioning, driven by the account's newest OTP */
TesseraProvisioningState  tessera_account_get_provisioning_state        (TesseraAccount           *self);
void                      tessera_account_set_provisioning_state        (TesseraAccount           *self,
                                                                         TesseraProvisioningState  state);
/* The next four are NULL when not set */
const char               *tessera_account_get_otp_id                    (TesseraAccount           *self);
void                      tessera_account_set_otp_id                    (TesseraAccount           *self,
                                                                         const char               *otp_id);
const char               *tessera_account_get_issued_by                 (TesseraAccount           *self);
void                      tessera_account_set_issued_by                 (TesseraAccount           *self,
                                                                         const char               *issued_by);
/* transfer none */
GDateTime                *tessera_account_get_expires_at                (TesseraAccount           *self);
void                      tessera_account_set_expires_at                (TesseraAccount           *self,
                                                                         GDateTime                *expires_at);
/* Returns FALSE (and 0) when not set */
gboolean                  tessera_account_get_expires_at_unix_usec      (TesseraAccount           *self,
                                                                         gint64                   *unix_usec);
const char               *tessera_account_get_request_id                (TesseraAccount           *self);
void                      tessera_account_set_request_id                (TesseraAccount           *self,
                                                                         const char               *request_id);
/* All five provisioning fields at once (one notify per changed property). */
void                      tessera_account_set_provisioning              (TesseraAccount           *self,
                                                                         TesseraProvisioningState  state,
                                                                         const char               *otp_id,
                                                                         const char               *issued_by,
                                                                         GDateTime                *expires_at,
                                                                         const char               *request_id);

/* History of GET /api/v1/accounts/{id}; NULL when not loaded. transfer none / the setter
 * takes its own reference. Not properties: they are not part of list rows. */
GPtrArray                *tessera_account_get_otps                      (TesseraAccount           *self);
void                      tessera_account_set_otps                      (TesseraAccount           *self,
                                                                         GPtrArray                *otps);
GPtrArray                *tessera_account_get_requests                  (TesseraAccount           *self);
void                      tessera_account_set_requests                  (TesseraAccount           *self,
                                                                         GPtrArray                *requests);

/*
 * Copies every field of @source into @self and emits notify only for the properties whose
 * value changed, all at once after the copy (so a list row updates in place). The history
 * is copied too (without notify). Returns TRUE if any property changed.
 */
gboolean                  tessera_account_update_from                   (TesseraAccount           *self,
                                                                         TesseraAccount           *source);

TesseraAccount           *tessera_account_new_from_json                 (JsonNode                 *node,
                                                                         GError                  **error);
/* Writes "otps"/"requests" only when the history is loaded. */
void                      tessera_account_to_json                       (TesseraAccount           *self,
                                                                         JsonBuilder              *builder);
/* The same bytes as tessera_account_to_json(), appended to @out without a JsonNode tree. */
void                      tessera_account_write_json                    (TesseraAccount           *self,
                                                                         GString                  *out);

G_END_DECLS

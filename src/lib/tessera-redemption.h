/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * The console's view of its redemption (DESIGN §1.2, §1.4, §4):
 *
 *   {"id","poll_token"?,"state","expires_at","rejection_reason"?,"comment"?,
 *    "sign_in"?:{"upn","password"}}
 *
 * poll_token is only present in the answer that created the redemption; sign_in only in the
 * first poll after approval. poll-token and sign-in-password are secrets: wiped when replaced
 * and on finalize.
 */

#define TESSERA_TYPE_REDEMPTION (tessera_redemption_get_type ())

G_DECLARE_FINAL_TYPE (TesseraRedemption, tessera_redemption, TESSERA, REDEMPTION, GObject)

TesseraRedemption      *tessera_redemption_new                        (const char              *id);

const char             *tessera_redemption_get_id                     (TesseraRedemption       *self);
void                    tessera_redemption_set_id                     (TesseraRedemption       *self,
                                                                       const char              *id);
/* NULL unless this is the answer that created the redemption */
const char             *tessera_redemption_get_poll_token             (TesseraRedemption       *self);
void                    tessera_redemption_set_poll_token             (TesseraRedemption       *self,
                                                                       const char              *poll_token);
TesseraRequestState     tessera_redemption_get_state                  (TesseraRedemption       *self);
void                    tessera_redemption_set_state                  (TesseraRedemption       *self,
                                                                       TesseraRequestState      state);
/* transfer none */
GDateTime              *tessera_redemption_get_expires_at             (TesseraRedemption       *self);
void                    tessera_redemption_set_expires_at             (TesseraRedemption       *self,
                                                                       GDateTime               *expires_at);
TesseraRejectionReason  tessera_redemption_get_rejection_reason       (TesseraRedemption       *self);
void                    tessera_redemption_set_rejection_reason       (TesseraRedemption       *self,
                                                                       TesseraRejectionReason   reason);
const char             *tessera_redemption_get_comment                (TesseraRedemption       *self);
void                    tessera_redemption_set_comment                (TesseraRedemption       *self,
                                                                       const char              *comment);
/* Both NULL unless this is the first poll after approval */
const char             *tessera_redemption_get_sign_in_upn            (TesseraRedemption       *self);
void                    tessera_redemption_set_sign_in_upn            (TesseraRedemption       *self,
                                                                       const char              *upn);
const char             *tessera_redemption_get_sign_in_password       (TesseraRedemption       *self);
void                    tessera_redemption_set_sign_in_password       (TesseraRedemption       *self,
                                                                       const char              *password);
void                    tessera_redemption_set_sign_in                (TesseraRedemption       *self,
                                                                       const char              *upn,
                                                                       const char              *password);

TesseraRedemption      *tessera_redemption_new_from_json              (JsonNode                *node,
                                                                       GError                 **error);
void                    tessera_redemption_to_json                    (TesseraRedemption       *self,
                                                                       JsonBuilder             *builder);

G_END_DECLS

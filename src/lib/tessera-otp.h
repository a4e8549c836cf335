/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * An OTP as the history of an account shows it (DESIGN §3): never the code itself.
 *   {"id","account_id","issued_by","issued_at","expires_at","state"}
 */

#define TESSERA_TYPE_OTP (tessera_otp_get_type ())

G_DECLARE_FINAL_TYPE (TesseraOtp, tessera_otp, TESSERA, OTP, GObject)

TesseraOtp      *tessera_otp_new                 (const char       *id,
                                                  const char       *account_id,
                                                  const char       *issued_by,
                                                  GDateTime        *issued_at,
                                                  GDateTime        *expires_at,
                                                  TesseraOtpState   state);
const char      *tessera_otp_get_id              (TesseraOtp       *self);
void             tessera_otp_set_id              (TesseraOtp       *self,
                                                  const char       *id);
const char      *tessera_otp_get_account_id      (TesseraOtp       *self);
void             tessera_otp_set_account_id      (TesseraOtp       *self,
                                                  const char       *account_id);
const char      *tessera_otp_get_issued_by       (TesseraOtp       *self);
void             tessera_otp_set_issued_by       (TesseraOtp       *self,
                                                  const char       *issued_by);
/* transfer none */
GDateTime       *tessera_otp_get_issued_at       (TesseraOtp       *self);
void             tessera_otp_set_issued_at       (TesseraOtp       *self,
                                                  GDateTime        *issued_at);
/* transfer none */
GDateTime       *tessera_otp_get_expires_at      (TesseraOtp       *self);
void             tessera_otp_set_expires_at      (TesseraOtp       *self,
                                                  GDateTime        *expires_at);
TesseraOtpState  tessera_otp_get_state           (TesseraOtp       *self);
void             tessera_otp_set_state           (TesseraOtp       *self,
                                                  TesseraOtpState   state);

TesseraOtp      *tessera_otp_new_from_json       (JsonNode         *node,
                                                  GError          **error);
void             tessera_otp_to_json             (TesseraOtp       *self,
                                                  JsonBuilder      *builder);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * One row of an OTP batch (DESIGN §4):
 *   {"account_id","status":"issued","otp":{"id","code","expires_at"},"password"?}
 *   {"account_id","status":"refused","error":{"code","detail"}}
 *
 * code (16 characters, normalised: no dashes, upper case, valid check character) and password are secrets, wiped
 * when replaced and on finalize. An issued result has otp-id, code and expires-at; a refused
 * one has error-code and error-detail; the other fields are NULL.
 */

#define TESSERA_TYPE_OTP_RESULT (tessera_otp_result_get_type ())

G_DECLARE_FINAL_TYPE (TesseraOtpResult, tessera_otp_result, TESSERA, OTP_RESULT, GObject)

TesseraOtpResult       *tessera_otp_result_new_issued          (const char              *account_id,
                                                                const char              *otp_id,
                                                                const char              *code,
                                                                GDateTime               *expires_at,
                                                                const char              *password);
TesseraOtpResult       *tessera_otp_result_new_refused         (const char              *account_id,
                                                                const char              *error_code,
                                                                const char              *error_detail);

const char             *tessera_otp_result_get_account_id      (TesseraOtpResult        *self);
void                    tessera_otp_result_set_account_id      (TesseraOtpResult        *self,
                                                                const char              *account_id);
TesseraOtpResultStatus  tessera_otp_result_get_status          (TesseraOtpResult        *self);
void                    tessera_otp_result_set_status          (TesseraOtpResult        *self,
                                                                TesseraOtpResultStatus   status);
const char             *tessera_otp_result_get_otp_id          (TesseraOtpResult        *self);
void                    tessera_otp_result_set_otp_id          (TesseraOtpResult        *self,
                                                                const char              *otp_id);
const char             *tessera_otp_result_get_code            (TesseraOtpResult        *self);
void                    tessera_otp_result_set_code            (TesseraOtpResult        *self,
                                                                const char              *code);
/* transfer none */
GDateTime              *tessera_otp_result_get_expires_at      (TesseraOtpResult        *self);
void                    tessera_otp_result_set_expires_at      (TesseraOtpResult        *self,
                                                                GDateTime               *expires_at);
const char             *tessera_otp_result_get_password        (TesseraOtpResult        *self);
void                    tessera_otp_result_set_password        (TesseraOtpResult        *self,
                                                                const char              *password);
const char             *tessera_otp_result_get_error_code      (TesseraOtpResult        *self);
void                    tessera_otp_result_set_error_code      (TesseraOtpResult        *self,
                                                                const char              *error_code);
const char             *tessera_otp_result_get_error_detail    (TesseraOtpResult        *self);
void                    tessera_otp_result_set_error_detail    (TesseraOtpResult        *self,
                                                                const char              *error_detail);

TesseraOtpResult       *tessera_otp_result_new_from_json       (JsonNode                *node,
                                                                GError                 **error);
void                    tessera_otp_result_to_json             (TesseraOtpResult        *self,
                                                                JsonBuilder             *builder);

G_END_DECLS

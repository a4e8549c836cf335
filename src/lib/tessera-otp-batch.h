/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/* The answer to POST /api/v1/otp-batches: {"id","created_at","results":[otp result]} */

#define TESSERA_TYPE_OTP_BATCH (tessera_otp_batch_get_type ())

G_DECLARE_FINAL_TYPE (TesseraOtpBatch, tessera_otp_batch, TESSERA, OTP_BATCH, GObject)

TesseraOtpBatch *tessera_otp_batch_new             (const char        *id,
                                                    GDateTime         *created_at);
const char      *tessera_otp_batch_get_id          (TesseraOtpBatch   *self);
void             tessera_otp_batch_set_id          (TesseraOtpBatch   *self,
                                                    const char        *id);
/* transfer none */
GDateTime       *tessera_otp_batch_get_created_at  (TesseraOtpBatch   *self);
void             tessera_otp_batch_set_created_at  (TesseraOtpBatch   *self,
                                                    GDateTime         *created_at);
/* Of TesseraOtpResult, in the order of the request; never NULL; transfer none. */
GPtrArray       *tessera_otp_batch_get_results     (TesseraOtpBatch   *self);
/* Takes a reference on @result. */
void             tessera_otp_batch_add_result      (TesseraOtpBatch   *self,
                                                    TesseraOtpResult  *result);

TesseraOtpBatch *tessera_otp_batch_new_from_json   (JsonNode          *node,
                                                    GError           **error);
void             tessera_otp_batch_to_json         (TesseraOtpBatch   *self,
                                                    JsonBuilder       *builder);

G_END_DECLS

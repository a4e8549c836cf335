/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * A redemption awaiting (or past) review (DESIGN §3, §4):
 *
 *   {"id","account":{"id","display_name","upn","site"},"requested_by","requested_at",
 *    "expires_at","device":{"make","model","serial_number"},"source_address","state",
 *    "resolved_by"?,"resolved_at"?,"rejection_reason"?,"comment"?}
 *
 * resolved_by, resolved_at and comment are NULL when not set; rejection_reason is
 * TESSERA_REJECTION_NONE unless the request was rejected.
 */

#define TESSERA_TYPE_REQUEST (tessera_request_get_type ())

G_DECLARE_FINAL_TYPE (TesseraRequest, tessera_request, TESSERA, REQUEST, GObject)

TesseraRequest         *tessera_request_new                           (const char              *id);

const char             *tessera_request_get_id                        (TesseraRequest          *self);
void                    tessera_request_set_id                        (TesseraRequest          *self,
                                                                       const char              *id);
const char             *tessera_request_get_account_id                (TesseraRequest          *self);
void                    tessera_request_set_account_id                (TesseraRequest          *self,
                                                                       const char              *account_id);
const char             *tessera_request_get_account_display_name      (TesseraRequest          *self);
void                    tessera_request_set_account_display_name      (TesseraRequest          *self,
                                                                       const char              *display_name);
const char             *tessera_request_get_account_upn               (TesseraRequest          *self);
void                    tessera_request_set_account_upn               (TesseraRequest          *self,
                                                                       const char              *upn);
const char             *tessera_request_get_account_site              (TesseraRequest          *self);
void                    tessera_request_set_account_site              (TesseraRequest          *self,
                                                                       const char              *site);
/* Copies id, display name, UPN and site of @account. */
void                    tessera_request_set_account                   (TesseraRequest          *self,
                                                                       TesseraAccount          *account);
const char             *tessera_request_get_requested_by              (TesseraRequest          *self);
void                    tessera_request_set_requested_by              (TesseraRequest          *self,
                                                                       const char              *requested_by);
/* transfer none */
GDateTime              *tessera_request_get_requested_at              (TesseraRequest          *self);
void                    tessera_request_set_requested_at              (TesseraRequest          *self,
                                                                       GDateTime               *requested_at);
/* transfer none */
GDateTime              *tessera_request_get_expires_at                (TesseraRequest          *self);
void                    tessera_request_set_expires_at                (TesseraRequest          *self,
                                                                       GDateTime               *expires_at);
const char             *tessera_request_get_device_make               (TesseraRequest          *self);
void                    tessera_request_set_device_make               (TesseraRequest          *self,
                                                                       const char              *make);
const char             *tessera_request_get_device_model              (TesseraRequest          *self);
void                    tessera_request_set_device_model              (TesseraRequest          *self,
                                                                       const char              *model);
const char             *tessera_request_get_device_serial_number      (TesseraRequest          *self);
void                    tessera_request_set_device_serial_number      (TesseraRequest          *self,
                                                                       const char              *serial_number);
/* Copies the three device fields. */
void                    tessera_request_set_device                    (TesseraRequest          *self,
                                                                       const TesseraDeviceInfo *device);
const char             *tessera_request_get_source_address            (TesseraRequest          *self);
void                    tessera_request_set_source_address            (TesseraRequest          *self,
                                                                       const char              *source_address);
TesseraRequestState     tessera_request_get_state                     (TesseraRequest          *self);
void                    tessera_request_set_state                     (TesseraRequest          *self,
                                                                       TesseraRequestState      state);
const char             *tessera_request_get_resolved_by               (TesseraRequest          *self);
void                    tessera_request_set_resolved_by               (TesseraRequest          *self,
                                                                       const char              *resolved_by);
/* transfer none */
GDateTime              *tessera_request_get_resolved_at               (TesseraRequest          *self);
void                    tessera_request_set_resolved_at               (TesseraRequest          *self,
                                                                       GDateTime               *resolved_at);
TesseraRejectionReason  tessera_request_get_rejection_reason          (TesseraRequest          *self);
void                    tessera_request_set_rejection_reason          (TesseraRequest          *self,
                                                                       TesseraRejectionReason   reason);
const char             *tessera_request_get_comment                   (TesseraRequest          *self);
void                    tessera_request_set_comment                   (TesseraRequest          *self,
                                                                       const char              *comment);

/* Copies every field of @source, notifying only the changed ones; TRUE if any changed. */
gboolean                tessera_request_update_from                   (TesseraRequest          *self,
                                                                       TesseraRequest          *source);

TesseraRequest         *tessera_request_new_from_json                 (JsonNode                *node,
                                                                       GError                 **error);
void                    tessera_request_to_json                       (TesseraRequest          *self,
                                                                       JsonBuilder             *builder);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * One line of the audit trail: who did what, when, from where (DESIGN §4, §6).
 *   {"id","at","actor","action","target"?,"source_address"?,"detail"?}
 * Never carries a secret. target, source-address and detail are NULL when not set.
 */

#define TESSERA_TYPE_AUDIT_ENTRY (tessera_audit_entry_get_type ())

G_DECLARE_FINAL_TYPE (TesseraAuditEntry, tessera_audit_entry, TESSERA, AUDIT_ENTRY, GObject)

TesseraAuditEntry *tessera_audit_entry_new                     (const char         *id,
                                                                GDateTime          *at,
                                                                const char         *actor,
                                                                const char         *action,
                                                                const char         *target,
                                                                const char         *source_address,
                                                                const char         *detail);
const char        *tessera_audit_entry_get_id                  (TesseraAuditEntry  *self);
void               tessera_audit_entry_set_id                  (TesseraAuditEntry  *self,
                                                                const char         *id);
/* transfer none */
GDateTime         *tessera_audit_entry_get_at                  (TesseraAuditEntry  *self);
void               tessera_audit_entry_set_at                  (TesseraAuditEntry  *self,
                                                                GDateTime          *at);
const char        *tessera_audit_entry_get_actor               (TesseraAuditEntry  *self);
void               tessera_audit_entry_set_actor               (TesseraAuditEntry  *self,
                                                                const char         *actor);
const char        *tessera_audit_entry_get_action              (TesseraAuditEntry  *self);
void               tessera_audit_entry_set_action              (TesseraAuditEntry  *self,
                                                                const char         *action);
const char        *tessera_audit_entry_get_target              (TesseraAuditEntry  *self);
void               tessera_audit_entry_set_target              (TesseraAuditEntry  *self,
                                                                const char         *target);
const char        *tessera_audit_entry_get_source_address      (TesseraAuditEntry  *self);
void               tessera_audit_entry_set_source_address      (TesseraAuditEntry  *self,
                                                                const char         *source_address);
const char        *tessera_audit_entry_get_detail              (TesseraAuditEntry  *self);
void               tessera_audit_entry_set_detail              (TesseraAuditEntry  *self,
                                                                const char         *detail);

TesseraAuditEntry *tessera_audit_entry_new_from_json           (JsonNode           *node,
                                                                GError            **error);
void               tessera_audit_entry_to_json                 (TesseraAuditEntry  *self,
                                                                JsonBuilder        *builder);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * Organisation-wide settings: {"otp_validity_hours":1..336,"auto_approve","separation_of_duties"}
 * (DESIGN §1.5, §4).
 */

#define TESSERA_SETTINGS_MIN_OTP_VALIDITY_HOURS      1
#define TESSERA_SETTINGS_MAX_OTP_VALIDITY_HOURS      336
#define TESSERA_SETTINGS_DEFAULT_OTP_VALIDITY_HOURS  8

#define TESSERA_TYPE_SETTINGS (tessera_settings_get_type ())

G_DECLARE_FINAL_TYPE (TesseraSettings, tessera_settings, TESSERA, SETTINGS, GObject)

/* With the defaults: 8 hours, no auto-approval, no separation of duties. */
TesseraSettings *tessera_settings_new                          (void);
guint            tessera_settings_get_otp_validity_hours       (TesseraSettings             *self);
void             tessera_settings_set_otp_validity_hours       (TesseraSettings             *self,
                                                                guint                        hours);
gboolean         tessera_settings_get_auto_approve             (TesseraSettings             *self);
void             tessera_settings_set_auto_approve             (TesseraSettings             *self,
                                                                gboolean                     auto_approve);
gboolean         tessera_settings_get_separation_of_duties     (TesseraSettings             *self);
void             tessera_settings_set_separation_of_duties     (TesseraSettings             *self,
                                                                gboolean                     separation_of_duties);
/* Applies the members the patch has; returns TRUE if anything changed. */
gboolean         tessera_settings_apply_patch                  (TesseraSettings             *self,
                                                                const TesseraSettingsPatch  *patch);
/* Copies every value from @source, notifying only the changed ones; TRUE if any changed. */
gboolean         tessera_settings_update_from                  (TesseraSettings             *self,
                                                                TesseraSettings             *source);

TesseraSettings *tessera_settings_new_from_json                (JsonNode                    *node,
                                                                GError                     **error);
void             tessera_settings_to_json                      (TesseraSettings             *self,
                                                                JsonBuilder                 *builder);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * Plain structs for request bodies of API v1 (DESIGN §4) and for problem details
 * (RFC 9457). The server decodes them, the client and the console encode them.
 *
 * Every _free() accepts NULL and a partly filled struct, and wipes secrets (passwords,
 * codes) before freeing them. Strings are owned by the struct (g_free / tessera_secret_free).
 */

struct _TesseraDeviceInfo {
  char *make;
  char *model;
  char *serial_number;
};

struct _TesseraSignIn {
  char *upn;
  char *password;  /* secret */
};

struct _TesseraBatchSpec {
  GStrv               account_ids;
  TesseraPasswordMode password_mode;
  GPtrArray          *sign_in_data;      /* TesseraSignIn; NULL unless password_mode is PROVIDED */
  guint               validity_hours;    /* 0 = the organisation's default */
  gboolean            return_passwords;
};

struct _TesseraResolution {
  TesseraDecision        decision;
  TesseraRejectionReason reason;   /* TESSERA_REJECTION_NONE unless decision is REJECT */
  char                  *comment;  /* nullable */
};

/* PUT /api/v1/settings: members left out keep their value. */
struct _TesseraSettingsPatch {
  gboolean has_otp_validity_hours;
  guint    otp_validity_hours;
  gboolean has_auto_approve;
  gboolean auto_approve;
  gboolean has_separation_of_duties;
  gboolean separation_of_duties;
};

struct _TesseraLogin {
  char *username;
  char *password;  /* secret */
};

struct _TesseraRedemptionSpec {
  char              *code;    /* secret; as typed (normalise with tessera_otp_code_normalize) */
  TesseraDeviceInfo *device;
};

struct _TesseraProblem {
  guint       status;  /* 0 when the body did not say */
  char       *type;    /* "about:blank" unless set */
  char       *title;
  char       *detail;  /* nullable */
  char       *code;    /* nullable; the stable machine-readable part */
  JsonObject *extra;   /* nullable; other members, e.g. "request" of already_resolved */
};

/* TesseraDeviceInfo */
TesseraDeviceInfo     *tessera_device_info_new                (const char                  *make,
                                                               const char                  *model,
                                                               const char                  *serial_number);
TesseraDeviceInfo     *tessera_device_info_copy               (const TesseraDeviceInfo     *self);
void                   tessera_device_info_free               (TesseraDeviceInfo           *self);
TesseraDeviceInfo     *tessera_device_info_new_from_json      (JsonNode                    *node,
                                                               GError                     **error);
void                   tessera_device_info_to_json            (const TesseraDeviceInfo     *self,
                                                               JsonBuilder                 *builder);

/* TesseraSignIn */
TesseraSignIn         *tessera_sign_in_new                    (const char                  *upn,
                                                               const char                  *password);
void                   tessera_sign_in_free                   (TesseraSignIn               *self);
TesseraSignIn         *tessera_sign_in_new_from_json          (JsonNode                    *node,
                                                               GError                     **error);
void                   tessera_sign_in_to_json                (const TesseraSignIn         *self,
                                                               JsonBuilder                 *builder);

/* TesseraBatchSpec: the body of POST /api/v1/otp-batches */
TesseraBatchSpec      *tessera_batch_spec_new                 (void);
void                   tessera_batch_spec_free                (TesseraBatchSpec            *self);
TesseraBatchSpec      *tessera_batch_spec_new_from_json       (JsonNode                    *node,
                                                               GError                     **error);
void                   tessera_batch_spec_to_json             (const TesseraBatchSpec      *self,
                                                               JsonBuilder                 *builder);

/* TesseraResolution: the body of POST /api/v1/requests/{id}/resolution */
TesseraResolution     *tessera_resolution_new                 (TesseraDecision              decision,
                                                               TesseraRejectionReason       reason,
                                                               const char                  *comment);
void                   tessera_resolution_free                (TesseraResolution           *self);
TesseraResolution     *tessera_resolution_new_from_json       (JsonNode                    *node,
                                                               GError                     **error);
void                   tessera_resolution_to_json             (const TesseraResolution     *self,
                                                               JsonBuilder                 *builder);

/* TesseraSettingsPatch: the body of PUT /api/v1/settings */
TesseraSettingsPatch  *tessera_settings_patch_new             (void);
void                   tessera_settings_patch_free            (TesseraSettingsPatch        *self);
TesseraSettingsPatch  *tessera_settings_patch_new_from_json   (JsonNode                    *node,
                                                               GError                     **error);
void                   tessera_settings_patch_to_json         (const TesseraSettingsPatch  *self,
                                                               JsonBuilder                 *builder);

/* TesseraLogin: the body of POST /api/v1/sessions */
TesseraLogin          *tessera_login_new                      (const char                  *username,
                                                               const char                  *password);
void                   tessera_login_free                     (TesseraLogin                *self);
TesseraLogin          *tessera_login_new_from_json            (JsonNode                    *node,
                                                               GError                     **error);
void                   tessera_login_to_json                  (const TesseraLogin          *self,
                                                               JsonBuilder                 *builder);

/* TesseraRedemptionSpec: the body of POST /api/v1/device/redemptions */
TesseraRedemptionSpec *tessera_redemption_spec_new            (const char                  *code,
                                                               const TesseraDeviceInfo     *device);
void                   tessera_redemption_spec_free           (TesseraRedemptionSpec       *self);
TesseraRedemptionSpec *tessera_redemption_spec_new_from_json  (JsonNode                    *node,
                                                               GError                     **error);
void                   tessera_redemption_spec_to_json        (const TesseraRedemptionSpec *self,
                                                               JsonBuilder                 *builder);

/* TesseraProblem: RFC 9457 problem details */
TesseraProblem        *tessera_problem_new                    (guint                        status,
                                                               const char                  *code,
                                                               const char                  *title,
                                                               const char                  *detail);
void                   tessera_problem_free                   (TesseraProblem              *self);
/* Every member is optional; members other than the five above are kept in extra. */
TesseraProblem        *tessera_problem_new_from_json          (JsonNode                    *node,
                                                               GError                     **error);
void                   tessera_problem_to_json                (const TesseraProblem        *self,
                                                               JsonBuilder                 *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraDeviceInfo, tessera_device_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraSignIn, tessera_sign_in_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraBatchSpec, tessera_batch_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraResolution, tessera_resolution_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraSettingsPatch, tessera_settings_patch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraLogin, tessera_login_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraRedemptionSpec, tessera_redemption_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraProblem, tessera_problem_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-enums"

#include "config.h"

#include "tessera-enums.h"

/*
 * Registered by hand rather than with glib-mkenums, because the nick of every value must be
 * the exact API name (with underscores and dots) and glib-mkenums derives dashed nicks.
 */
#define TESSERA_DEFINE_ENUM_TYPE(func_name, TypeName, ...)                     \
  GType                                                                       \
  func_name (void)                                                            \
  {                                                                           \
    static gsize type_id = 0;                                                 \
    static const GEnumValue values[] = { __VA_ARGS__, { 0, NULL, NULL } };    \
                                                                              \
    if (g_once_init_enter (&type_id))                                         \
      g_once_init_leave (&type_id, g_enum_register_static (TypeName, values)); \
                                                                              \
    return type_id;                                                           \
  }

#define V(value, nick) { value, #value, nick }

TESSERA_DEFINE_ENUM_TYPE (tessera_readiness_get_type, "TesseraReadiness",
                          V (TESSERA_READINESS_READY, "ready"),
                          V (TESSERA_READINESS_CHANGE_SETTINGS, "change_settings"),
                          V (TESSERA_READINESS_NO_VALID_LICENSE, "no_valid_license"))

TESSERA_DEFINE_ENUM_TYPE (tessera_provisioning_state_get_type, "TesseraProvisioningState",
                          V (TESSERA_PROVISIONING_NOT_STARTED, "not_started"),
                          V (TESSERA_PROVISIONING_OTP_ISSUED, "otp_issued"),
                          V (TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL, "awaiting_otp_approval"),
                          V (TESSERA_PROVISIONING_PROVISIONED, "provisioned"),
                          V (TESSERA_PROVISIONING_OTP_REJECTED, "otp_rejected"),
                          V (TESSERA_PROVISIONING_OTP_EXPIRED, "otp_expired"),
                          V (TESSERA_PROVISIONING_OTP_REVOKED, "otp_revoked"))

TESSERA_DEFINE_ENUM_TYPE (tessera_otp_state_get_type, "TesseraOtpState",
                          V (TESSERA_OTP_ISSUED, "issued"),
                          V (TESSERA_OTP_REDEEMED, "redeemed"),
                          V (TESSERA_OTP_REVOKED, "revoked"),
                          V (TESSERA_OTP_EXPIRED, "expired"))

TESSERA_DEFINE_ENUM_TYPE (tessera_request_state_get_type, "TesseraRequestState",
                          V (TESSERA_REQUEST_PENDING, "pending"),
                          V (TESSERA_REQUEST_APPROVED, "approved"),
                          V (TESSERA_REQUEST_REJECTED, "rejected"),
                          V (TESSERA_REQUEST_EXPIRED, "expired"),
                          V (TESSERA_REQUEST_COMPLETED, "completed"))

TESSERA_DEFINE_ENUM_TYPE (tessera_rejection_reason_get_type, "TesseraRejectionReason",
                          V (TESSERA_REJECTION_NONE, "none"),
                          V (TESSERA_REJECTION_UNRECOGNIZED_DEVICE, "unrecognized_device"),
                          V (TESSERA_REJECTION_WRONG_ROOM, "wrong_room"),
                          V (TESSERA_REJECTION_NOT_EXPECTED, "not_expected"),
                          V (TESSERA_REJECTION_SECURITY_CONCERN, "security_concern"),
                          V (TESSERA_REJECTION_OTHER, "other"))

TESSERA_DEFINE_ENUM_TYPE (tessera_role_get_type, "TesseraRole",
                          V (TESSERA_ROLE_VIEWER, "viewer"),
                          V (TESSERA_ROLE_ADMIN, "admin"))

TESSERA_DEFINE_ENUM_TYPE (tessera_password_mode_get_type, "TesseraPasswordMode",
                          V (TESSERA_PASSWORD_MODE_GENERATE, "generate"),
                          V (TESSERA_PASSWORD_MODE_PROVIDED, "provided"))

TESSERA_DEFINE_ENUM_TYPE (tessera_decision_get_type, "TesseraDecision",
                          V (TESSERA_DECISION_APPROVE, "approve"),
                          V (TESSERA_DECISION_REJECT, "reject"))

TESSERA_DEFINE_ENUM_TYPE (tessera_otp_result_status_get_type, "TesseraOtpResultStatus",
                          V (TESSERA_OTP_RESULT_ISSUED, "issued"),
                          V (TESSERA_OTP_RESULT_REFUSED, "refused"))

TESSERA_DEFINE_ENUM_TYPE (tessera_event_type_get_type, "TesseraEventType",
                          V (TESSERA_EVENT_ACCOUNT_UPDATED, "account.updated"),
                          V (TESSERA_EVENT_REQUEST_CREATED, "request.created"),
                          V (TESSERA_EVENT_REQUEST_UPDATED, "request.updated"),
                          V (TESSERA_EVENT_SETTINGS_UPDATED, "settings.updated"))

#undef V

const char *
tessera_enum_to_string (GType enum_type,
                        int   value)
{
  GEnumClass *klass;
  GEnumValue *enum_value;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);

  /* The class lives as long as the static type; peek avoids a ref per call on hot paths. */
  klass = g_type_class_peek (enum_type);
  if (klass == NULL)
    klass = g_type_class_ref (enum_type);

  enum_value = g_enum_get_value (klass, value);
  return enum_value != NULL ? enum_value->value_nick : NULL;
}

gboolean
tessera_enum_from_string (GType       enum_type,
                          const char *name,
                          int        *value)
{
  GEnumClass *klass;
  GEnumValue *enum_value;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  klass = g_type_class_peek (enum_type);
  if (klass == NULL)
    klass = g_type_class_ref (enum_type);

  enum_value = g_enum_get_value_by_nick (klass, name);
  if (enum_value == NULL)
    return FALSE;

  *value = enum_value->value;
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The enums of the domain model (DESIGN §3). Each value's GEnumValue nick is its stable name
 * on the wire (API v1) and in the database, so the string form never drifts from the enum.
 */

typedef enum {
  TESSERA_READINESS_READY,
  TESSERA_READINESS_CHANGE_SETTINGS,
  TESSERA_READINESS_NO_VALID_LICENSE,
} TesseraReadiness;

typedef enum {
  TESSERA_PROVISIONING_NOT_STARTED,
  TESSERA_PROVISIONING_OTP_ISSUED,
  TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL,
  TESSERA_PROVISIONING_PROVISIONED,
  TESSERA_PROVISIONING_OTP_REJECTED,
  TESSERA_PROVISIONING_OTP_EXPIRED,
  TESSERA_PROVISIONING_OTP_REVOKED,
} TesseraProvisioningState;

typedef enum {
  TESSERA_OTP_ISSUED,
  TESSERA_OTP_REDEEMED,
  TESSERA_OTP_REVOKED,
  TESSERA_OTP_EXPIRED,
} TesseraOtpState;

/* One vocabulary for the admin's request and the console's redemption. */
typedef enum {
  TESSERA_REQUEST_PENDING,
  TESSERA_REQUEST_APPROVED,
  TESSERA_REQUEST_REJECTED,
  TESSERA_REQUEST_EXPIRED,
  TESSERA_REQUEST_COMPLETED,
} TesseraRequestState;

/* NONE is the value of a request that was not rejected; it never appears on the wire. */
typedef enum {
  TESSERA_REJECTION_NONE,
  TESSERA_REJECTION_UNRECOGNIZED_DEVICE,
  TESSERA_REJECTION_WRONG_ROOM,
  TESSERA_REJECTION_NOT_EXPECTED,
  TESSERA_REJECTION_SECURITY_CONCERN,
  TESSERA_REJECTION_OTHER,
} TesseraRejectionReason;

typedef enum {
  TESSERA_ROLE_VIEWER,
  TESSERA_ROLE_ADMIN,
} TesseraRole;

typedef enum {
  TESSERA_PASSWORD_MODE_GENERATE,
  TESSERA_PASSWORD_MODE_PROVIDED,
} TesseraPasswordMode;

typedef enum {
  TESSERA_DECISION_APPROVE,
  TESSERA_DECISION_REJECT,
} TesseraDecision;

typedef enum {
  TESSERA_OTP_RESULT_ISSUED,
  TESSERA_OTP_RESULT_REFUSED,
} TesseraOtpResultStatus;

typedef enum {
  TESSERA_EVENT_ACCOUNT_UPDATED,
  TESSERA_EVENT_REQUEST_CREATED,
  TESSERA_EVENT_REQUEST_UPDATED,
  TESSERA_EVENT_SETTINGS_UPDATED,
} TesseraEventType;

/* Readiness issue codes are an open set: the server may send codes this build does not know. */
#define TESSERA_READINESS_ISSUE_PASSWORD_EXPIRES     "password_expires"
#define TESSERA_READINESS_ISSUE_CALENDAR_PROCESSING  "calendar_processing"
#define TESSERA_READINESS_ISSUE_ACCOUNT_DISABLED     "account_disabled"
#define TESSERA_READINESS_ISSUE_MAILBOX_MISSING      "mailbox_missing"

#define TESSERA_TYPE_READINESS          (tessera_readiness_get_type ())
#define TESSERA_TYPE_PROVISIONING_STATE (tessera_provisioning_state_get_type ())
#define TESSERA_TYPE_OTP_STATE          (tessera_otp_state_get_type ())
#define TESSERA_TYPE_REQUEST_STATE      (tessera_request_state_get_type ())
#define TESSERA_TYPE_REJECTION_REASON   (tessera_rejection_reason_get_type ())
#define TESSERA_TYPE_ROLE               (tessera_role_get_type ())
#define TESSERA_TYPE_PASSWORD_MODE      (tessera_password_mode_get_type ())
#define TESSERA_TYPE_DECISION           (tessera_decision_get_type ())
#define TESSERA_TYPE_OTP_RESULT_STATUS  (tessera_otp_result_status_get_type ())
#define TESSERA_TYPE_EVENT_TYPE         (tessera_event_type_get_type ())

GType       tessera_readiness_get_type          (void) G_GNUC_CONST;
GType       tessera_provisioning_state_get_type (void) G_GNUC_CONST;
GType       tessera_otp_state_get_type          (void) G_GNUC_CONST;
GType       tessera_request_state_get_type      (void) G_GNUC_CONST;
GType       tessera_rejection_reason_get_type   (void) G_GNUC_CONST;
GType       tessera_role_get_type               (void) G_GNUC_CONST;
GType       tessera_password_mode_get_type      (void) G_GNUC_CONST;
GType       tessera_decision_get_type           (void) G_GNUC_CONST;
GType       tessera_otp_result_status_get_type  (void) G_GNUC_CONST;
GType       tessera_event_type_get_type         (void) G_GNUC_CONST;

/*
 * Generic conversions for any enum above: to_string returns the stable name (static
 * storage) or NULL for a value outside the enum; from_string returns FALSE for an unknown
 * name and leaves @value untouched.
 */
const char *tessera_enum_to_string   (GType       enum_type,
                                      int         value);
gboolean    tessera_enum_from_string (GType       enum_type,
                                      const char *name,
                                      int        *value);

G_END_DECLS

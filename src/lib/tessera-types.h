/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The one header to include for the domain model of libtessera-core (DESIGN §3, §4).
 *
 * It first declares every type name, so the per-type headers can refer to one another in any
 * order, then includes them all: `#include "tessera-types.h"` alone gives a user the GObject
 * types (with their g_autoptr cleanups), the plain request-body structs, the enums and the
 * strict JSON codecs.
 */

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tessera-enums.h"

G_BEGIN_DECLS

/* GObject types, one per file (tessera-<type>.h) */
typedef struct _TesseraUser        TesseraUser;
typedef struct _TesseraSession     TesseraSession;
typedef struct _TesseraSettings    TesseraSettings;
typedef struct _TesseraAccount     TesseraAccount;
typedef struct _TesseraOtp         TesseraOtp;
typedef struct _TesseraRequest     TesseraRequest;
typedef struct _TesseraRedemption  TesseraRedemption;
typedef struct _TesseraOtpBatch    TesseraOtpBatch;
typedef struct _TesseraOtpResult   TesseraOtpResult;
typedef struct _TesseraAuditEntry  TesseraAuditEntry;
typedef struct _TesseraEvent       TesseraEvent;

/* Plain structs for request bodies and problem details (tessera-api-bodies.h) */
typedef struct _TesseraDeviceInfo      TesseraDeviceInfo;
typedef struct _TesseraSignIn          TesseraSignIn;
typedef struct _TesseraBatchSpec       TesseraBatchSpec;
typedef struct _TesseraResolution      TesseraResolution;
typedef struct _TesseraSettingsPatch   TesseraSettingsPatch;
typedef struct _TesseraLogin           TesseraLogin;
typedef struct _TesseraRedemptionSpec  TesseraRedemptionSpec;
typedef struct _TesseraProblem         TesseraProblem;

G_END_DECLS

#include "tessera-secret.h"
#include "tessera-datetime.h"
#include "tessera-json.h"
#include "tessera-api-bodies.h"
#include "tessera-user.h"
#include "tessera-session.h"
#include "tessera-settings.h"
#include "tessera-account.h"
#include "tessera-otp.h"
#include "tessera-request.h"
#include "tessera-redemption.h"
#include "tessera-otp-result.h"
#include "tessera-otp-batch.h"
#include "tessera-audit-entry.h"
#include "tessera-event.h"

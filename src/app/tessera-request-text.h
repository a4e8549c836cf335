/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * The words the app uses for OTP requests (DESIGN §1.3): the review dialog, its toasts and the
 * desktop notifications say the same thing. Times are shown in the local time zone.
 */

/* "Unrecognized device", "Wrong room", … (translated, static); NONE gives NULL */
const char *tessera_rejection_reason_get_label   (TesseraRejectionReason  reason);
/* "25 Nov 2026, 14:02" */
char       *tessera_format_date_time             (GDateTime              *datetime);
/* "14:02" on the day of @now_unix_usec, else as tessera_format_date_time() */
char       *tessera_format_moment                (GDateTime              *datetime,
                                                  gint64                  now_unix_usec);
/* "in 7 hours", "in 25 minutes", "in 3 days", "2 hours ago", "just now" */
char       *tessera_format_relative              (gint64                  unix_usec,
                                                  gint64                  now_unix_usec);
/* "25 Nov 2026, 22:02 (in 7 hours)" */
char       *tessera_format_expiration            (GDateTime              *expires_at,
                                                  gint64                  now_unix_usec);
/* "Contoso Room Console 9 (SN-4711)": the device as one phrase */
char       *tessera_request_describe_device      (TesseraRequest         *request);
/*
 * What happened to a request that is no longer pending, as one or more sentences: "bob
 * approved this request at 14:05.", "bob rejected this request at 14:05. Reason: Wrong room.",
 * "This request expired at 22:02. …". @me (may be NULL) is the signed-in username, said as
 * "You". NULL for a pending request.
 */
char       *tessera_request_describe_outcome     (TesseraRequest         *request,
                                                  const char             *me,
                                                  gint64                  now_unix_usec);

G_END_DECLS

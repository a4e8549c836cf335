/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * The words the app uses for an account's states (DESIGN §1), in one place so the list, the
 * filters and later the assistant say the same thing. Status is always icon + words, never
 * colour alone.
 */

/* "Ready", "Change settings", "No valid license" (translated, static) */
const char *tessera_readiness_get_label             (TesseraReadiness          readiness);
const char *tessera_readiness_get_icon_name         (TesseraReadiness          readiness);
/* libadwaita colour class for the icon: "success", "warning" or "error" */
const char *tessera_readiness_get_style_class       (TesseraReadiness          readiness);
/* "The password expires"; an unknown code is made readable ("Some new issue") */
char       *tessera_readiness_issue_describe        (const char               *code);
/* The tooltip of a readiness cell: one issue per line, or what the state means; may be NULL */
char       *tessera_account_describe_readiness      (TesseraAccount           *account);

/* "Not started", "OTP issued", "Awaiting OTP approval", … (translated, static) */
const char *tessera_provisioning_state_get_label    (TesseraProvisioningState  state);
/* The provisioning cell: "—", "OTP issued · expires in 5 h", "Awaiting OTP approval", … */
char       *tessera_account_describe_provisioning   (TesseraAccount           *account,
                                                     gint64                    now_unix_usec);
/* "in 5 h", "in 25 min", "in 3 days", "now" for a time still ahead */
char       *tessera_format_time_left                (gint64                    remaining_usec);
/* The Updated cell: "Just now", "5 min ago", "14:02", "25 Nov 2026" */
char       *tessera_format_updated                  (gint64                    unix_usec,
                                                     gint64                    now_unix_usec);
/* A count with the locale's digit grouping ("100 000" / "100,000" / "100000") */
char       *tessera_format_count                    (guint                     count);

G_END_DECLS

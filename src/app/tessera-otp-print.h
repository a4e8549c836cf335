/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * Handout cards for the technicians (DESIGN §1.1): one card per room with its name, site and
 * UPN, the one-time password in large monospace groups, its expiry, and the three steps on the
 * console. TESSERA_OTP_PRINT_CARDS_PER_PAGE cards to a page, with dashed cut lines.
 *
 * The codes are secrets: the operation keeps them only until it is finalized, and wipes them.
 */

#define TESSERA_OTP_PRINT_CARDS_PER_PAGE 4

#define TESSERA_TYPE_OTP_PRINT (tessera_otp_print_get_type ())

G_DECLARE_FINAL_TYPE (TesseraOtpPrint, tessera_otp_print, TESSERA, OTP_PRINT, GtkPrintOperation)

TesseraOtpPrint *tessera_otp_print_new           (void);
/* @formatted_code: "XXXX-XXXX-XXXX-XXXX"; @expires: as tessera_otp_print_format_expiry() says */
void             tessera_otp_print_add_card      (TesseraOtpPrint *self,
                                                  const char      *room,
                                                  const char      *site,
                                                  const char      *upn,
                                                  const char      *formatted_code,
                                                  const char      *expires);
guint            tessera_otp_print_get_n_cards   (TesseraOtpPrint *self);

/* "25 Nov 2026, 17:40" in local time, for cards, rows and the clipboard */
char            *tessera_otp_print_format_expiry (GDateTime       *expires_at);

G_END_DECLS

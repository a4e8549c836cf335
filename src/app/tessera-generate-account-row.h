/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * One account in the Generate OTP assistant's selection list: a check button, the name and
 * UPN, and the readiness in words. An account that is not ready is shown insensitive, with
 * its readiness issues spelled out, so the admin sees why it cannot be checked.
 *
 * Built in code like TesseraAccountCell: the list remakes its rows on every keystroke. The
 * row follows its account's notify:: signals. TesseraGenerateAccountRow::toggled says that a
 * person toggled the check button; set_selected() never emits it.
 */

#define TESSERA_TYPE_GENERATE_ACCOUNT_ROW (tessera_generate_account_row_get_type ())

G_DECLARE_FINAL_TYPE (TesseraGenerateAccountRow, tessera_generate_account_row,
                      TESSERA, GENERATE_ACCOUNT_ROW, GtkWidget)

GtkWidget      *tessera_generate_account_row_new          (void);
TesseraAccount *tessera_generate_account_row_get_account  (TesseraGenerateAccountRow *self);
void            tessera_generate_account_row_set_account  (TesseraGenerateAccountRow *self,
                                                           TesseraAccount            *account);
gboolean        tessera_generate_account_row_get_selected (TesseraGenerateAccountRow *self);
void            tessera_generate_account_row_set_selected (TesseraGenerateAccountRow *self,
                                                           gboolean                   selected);
/* transfer none */
GtkCheckButton *tessera_generate_account_row_get_check_button (TesseraGenerateAccountRow *self);
/* The readiness as the row says it: "Ready", "Change settings — The password expires" */
const char     *tessera_generate_account_row_get_readiness_text (TesseraGenerateAccountRow *self);

G_END_DECLS

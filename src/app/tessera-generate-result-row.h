/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * One row of the Generate OTP assistant's results: the account, then either its one-time
 * password in large monospace groups (XXXX-XXXX-XXXX-XXXX) with a copy button and its expiry,
 * or why the server refused it, in words. TesseraGenerateResultRow::copy asks the owner to
 * copy the code (the owner keeps track of what was copied).
 *
 * Built in code, like the assistant's other list rows.
 */

#define TESSERA_TYPE_GENERATE_RESULT_ROW (tessera_generate_result_row_get_type ())

G_DECLARE_FINAL_TYPE (TesseraGenerateResultRow, tessera_generate_result_row,
                      TESSERA, GENERATE_RESULT_ROW, GtkWidget)

GtkWidget        *tessera_generate_result_row_new        (void);
/* @account may be NULL when the list no longer knows it; the row shows the id then */
void              tessera_generate_result_row_set_result (TesseraGenerateResultRow *self,
                                                          TesseraOtpResult         *result,
                                                          TesseraAccount           *account);
TesseraOtpResult *tessera_generate_result_row_get_result (TesseraGenerateResultRow *self);
/* What the row shows: the formatted code, or the refusal in words */
const char       *tessera_generate_result_row_get_text   (TesseraGenerateResultRow *self);
/* transfer none */
GtkWidget        *tessera_generate_result_row_get_copy_button (TesseraGenerateResultRow *self);

/* "Refused: the account is not ready", for a refused result's error code and detail */
char             *tessera_generate_describe_refusal      (const char               *code,
                                                          const char               *detail);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tessera-account-row.h"
#include "tessera-accounts-model.h"

G_BEGIN_DECLS

/*
 * One cell of the accounts table. It shows one column of its account and follows the
 * account's notify:: signals, so a live update changes the row in place; bound to a
 * TesseraAccountRow, it follows the row's account too. It draws its text itself (see the .c
 * for why); tessera_account_cell_get_text() says what it shows.
 */

#define TESSERA_TYPE_ACCOUNT_CELL (tessera_account_cell_get_type ())

G_DECLARE_FINAL_TYPE (TesseraAccountCell, tessera_account_cell, TESSERA, ACCOUNT_CELL, GtkWidget)

GtkWidget             *tessera_account_cell_new         (TesseraAccountsColumn  column);
TesseraAccountsColumn  tessera_account_cell_get_column  (TesseraAccountCell    *self);
TesseraAccount        *tessera_account_cell_get_account (TesseraAccountCell    *self);
void                   tessera_account_cell_set_account (TesseraAccountCell    *self,
                                                         TesseraAccount        *account);
/* Shows the account of @row, whichever it is; NULL for none */
void                   tessera_account_cell_set_row     (TesseraAccountCell    *self,
                                                         TesseraAccountRow     *row);
/* The text the cell shows (NULL when empty), and the name column's second line (the UPN) */
const char            *tessera_account_cell_get_text    (TesseraAccountCell    *self);
const char            *tessera_account_cell_get_subtitle (TesseraAccountCell   *self);
/* Re-renders the time-dependent texts ("expires in 5 h", "5 min ago") */
void                   tessera_account_cell_refresh     (TesseraAccountCell    *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * One row of the accounts table (an item of TesseraAccountRows): it stays at its position
 * while the account it shows changes, so that a search can show other accounts in the rows
 * on screen instead of having them destroyed and made again. Cells follow notify::account.
 */

#define TESSERA_TYPE_ACCOUNT_ROW (tessera_account_row_get_type ())

G_DECLARE_FINAL_TYPE (TesseraAccountRow, tessera_account_row, TESSERA, ACCOUNT_ROW, GObject)

/* transfer none */
TesseraAccount *tessera_account_row_get_account (TesseraAccountRow *self);

G_END_DECLS

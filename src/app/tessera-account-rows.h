/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tessera-accounts-model.h"

G_BEGIN_DECLS

/*
 * What the accounts table shows of a TesseraAccountsModel: the same list and the same
 * selection (GtkSelectionModel, passed through), but its items are TesseraAccountRow, which
 * keep their place while the account they show changes.
 *
 * GTK 4.8's list widgets destroy the row widgets of the items that leave a list and make new
 * ones for the items that enter it (later versions recycle them), and a GtkColumnView keeps
 * about 200 rows of widgets. A search replaces most accounts on screen with others: passed on
 * as it is, one keystroke destroyed and made ~200 rows (1 000 cells) and took 100–300 ms
 * here. This model announces such a replacement instead as other accounts in the same rows
 * (notify::account on each row that exists) plus one change at the end for the difference
 * in length; the view stays where it was (at the top while typing). A small change (an
 * account added, removed or moved by a live update) is passed on as it is, so that the rows
 * around it keep their accounts.
 */

#define TESSERA_TYPE_ACCOUNT_ROWS (tessera_account_rows_get_type ())

G_DECLARE_FINAL_TYPE (TesseraAccountRows, tessera_account_rows, TESSERA, ACCOUNT_ROWS, GObject)

TesseraAccountRows   *tessera_account_rows_new       (TesseraAccountsModel *model);
TesseraAccountsModel *tessera_account_rows_get_model (TesseraAccountRows   *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-account-row.h"

G_BEGIN_DECLS

/* For TesseraAccountRows, which alone places rows and changes their accounts. */
TesseraAccountRow *_tessera_account_row_new          (guint              position,
                                                      TesseraAccount    *account);
guint              _tessera_account_row_get_position (TesseraAccountRow *self);
void               _tessera_account_row_set_position (TesseraAccountRow *self,
                                                      guint              position);
/* Notifies :account when it changes */
void               _tessera_account_row_set_account  (TesseraAccountRow *self,
                                                      TesseraAccount    *account);

G_END_DECLS

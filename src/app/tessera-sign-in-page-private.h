/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-sign-in-page.h"

G_BEGIN_DECLS

/* The page's fields and button, for the UI tests that fill them in as a person would. */
GtkWidget *_tessera_sign_in_page_get_server_row     (TesseraSignInPage *self);
GtkWidget *_tessera_sign_in_page_get_username_row   (TesseraSignInPage *self);
GtkWidget *_tessera_sign_in_page_get_password_row   (TesseraSignInPage *self);
GtkWidget *_tessera_sign_in_page_get_sign_in_button (TesseraSignInPage *self);

G_END_DECLS

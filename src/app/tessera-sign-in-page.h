/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * The sign-in page: server, username and password. It signs in itself (with a client that
 * carries the certificate pin the admin chose for that server, if any) and emits
 * TesseraSignInPage::signed-in with the client, which then holds the session token, and the
 * session. Errors are shown inline, in words; an untrusted certificate is shown with its
 * fingerprint, and pinned only when the admin says "Trust this certificate".
 */

#define TESSERA_TYPE_SIGN_IN_PAGE (tessera_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (TesseraSignInPage, tessera_sign_in_page, TESSERA, SIGN_IN_PAGE, AdwBin)

GtkWidget  *tessera_sign_in_page_new          (GSettings         *settings);
const char *tessera_sign_in_page_get_server   (TesseraSignInPage *self);
void        tessera_sign_in_page_set_server   (TesseraSignInPage *self,
                                               const char        *server);
const char *tessera_sign_in_page_get_username (TesseraSignInPage *self);
void        tessera_sign_in_page_set_username (TesseraSignInPage *self,
                                               const char        *username);
/* Shows @message (NULL hides it) under the form */
void        tessera_sign_in_page_set_error    (TesseraSignInPage *self,
                                               const char        *message);
const char *tessera_sign_in_page_get_error    (TesseraSignInPage *self);
gboolean    tessera_sign_in_page_get_busy     (TesseraSignInPage *self);
/* Forgets the password and any error, cancels a sign-in in progress */
void        tessera_sign_in_page_reset        (TesseraSignInPage *self);
/* Focus the first empty field (the password when the others are filled) */
void        tessera_sign_in_page_focus_first_empty (TesseraSignInPage *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * The main window: the sign-in page, or the resource accounts of the signed-in session. It
 * owns the session's lifecycle: silent sign-in from the keyring, storing the token after a
 * sign-in, and signing out (the token revoked on the server and removed from the keyring).
 */

#define TESSERA_TYPE_WINDOW (tessera_window_get_type ())

G_DECLARE_FINAL_TYPE (TesseraWindow, tessera_window, TESSERA, WINDOW, AdwApplicationWindow)

TesseraWindow *tessera_window_new                  (GtkApplication *application,
                                                    GSettings      *settings);
/* Fills in the sign-in page and signs in silently when the keyring holds a session for them */
void           tessera_window_start                (TesseraWindow  *self,
                                                    const char     *server,
                                                    const char     *username);
/* Fills in the sign-in page; either may be NULL to leave it as it is */
void           tessera_window_prefill              (TesseraWindow  *self,
                                                    const char     *server,
                                                    const char     *username);
/* "starting", "sign-in" or "accounts" */
const char    *tessera_window_get_visible_page     (TesseraWindow  *self);
/* transfer none; the pages as they are now (the accounts page only while signed in) */
GtkWidget     *tessera_window_get_sign_in_page     (TesseraWindow  *self);
GtkWidget     *tessera_window_get_accounts_page    (TesseraWindow  *self);
/* Opens the review window on a request, now or as soon as the session is there */
void           tessera_window_review_request       (TesseraWindow  *self,
                                                    const char     *request_id);
/* Opens Preferences while signed in */
void           tessera_window_show_preferences     (TesseraWindow  *self);

G_END_DECLS

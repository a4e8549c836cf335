/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tessera-client.h"

G_BEGIN_DECLS

/*
 * Preferences (DESIGN §1.5): the organisation's settings on the server — OTP validity (presets
 * or a custom number of hours), OTP auto-approval and separation of duties. Each change is
 * saved at once with a partial PUT; a change the server refuses is undone in the window and
 * said in a toast. Changes other admins make arrive through the event stream while the window
 * is open. Viewers see the settings read-only.
 */

#define TESSERA_TYPE_PREFERENCES_WINDOW (tessera_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TesseraPreferencesWindow, tessera_preferences_window,
                      TESSERA, PREFERENCES_WINDOW, AdwPreferencesWindow)

TesseraPreferencesWindow *tessera_preferences_window_new        (TesseraClient            *client);
TesseraClient            *tessera_preferences_window_get_client (TesseraPreferencesWindow *self);

G_END_DECLS

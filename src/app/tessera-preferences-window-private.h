/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-preferences-window.h"

G_BEGIN_DECLS

/* The OTP validity presets in hours, in the order of the drop-down; "Custom" comes after them */
#define TESSERA_PREFERENCES_N_PRESETS 8
extern const guint tessera_preferences_presets[TESSERA_PREFERENCES_N_PRESETS];
#define TESSERA_PREFERENCES_CUSTOM TESSERA_PREFERENCES_N_PRESETS

/* The window's widgets, for the UI tests that drive it as a person would */
typedef enum {
  TESSERA_PREFERENCES_PART_VIEWER_NOTE,          /* AdwPreferencesGroup */
  TESSERA_PREFERENCES_PART_OTP_GROUP,
  TESSERA_PREFERENCES_PART_APPROVAL_GROUP,
  TESSERA_PREFERENCES_PART_VALIDITY_ROW,         /* AdwComboRow */
  TESSERA_PREFERENCES_PART_CUSTOM_ROW,
  TESSERA_PREFERENCES_PART_CUSTOM_SPIN,          /* GtkSpinButton */
  TESSERA_PREFERENCES_PART_AUTO_APPROVE_SWITCH,  /* GtkSwitch */
  TESSERA_PREFERENCES_PART_SEPARATION_SWITCH,    /* GtkSwitch */
} TesseraPreferencesPart;

gpointer     _tessera_preferences_window_get_part       (TesseraPreferencesWindow *self,
                                                         TesseraPreferencesPart    part);
/* Whether the settings and the signed-in user's role arrived */
gboolean     _tessera_preferences_window_get_loaded     (TesseraPreferencesWindow *self);
/* How many changes are on their way to the server */
guint        _tessera_preferences_window_get_n_saving   (TesseraPreferencesWindow *self);
/* The settings as the window last heard them from the server (transfer none; NULL before) */
TesseraSettings *_tessera_preferences_window_get_settings (TesseraPreferencesWindow *self);
/* The text of the last error toast, or NULL */
const char  *_tessera_preferences_window_get_last_error (TesseraPreferencesWindow *self);

G_END_DECLS

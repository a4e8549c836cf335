/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TESSERA_TYPE_APPLICATION (tessera_application_get_type ())

G_DECLARE_FINAL_TYPE (TesseraApplication, tessera_application, TESSERA, APPLICATION, AdwApplication)

/* The GSettings schema of the app (also its resource path, whatever the application id) */
#define TESSERA_SETTINGS_SCHEMA_ID "io.github.tessera.Tessera"

TesseraApplication *tessera_application_new          (const char         *application_id);
/* transfer none */
GSettings          *tessera_application_get_settings (TesseraApplication *self);

G_END_DECLS

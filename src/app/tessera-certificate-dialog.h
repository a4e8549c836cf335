/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * Asks whether to trust one certificate the system does not trust, showing its SHA-256
 * fingerprint so the admin can compare it with the one the server's administrator gave them.
 * Responses: "cancel" (the default) and "trust".
 */

#define TESSERA_TYPE_CERTIFICATE_DIALOG (tessera_certificate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TesseraCertificateDialog, tessera_certificate_dialog,
                      TESSERA, CERTIFICATE_DIALOG, AdwMessageDialog)

#define TESSERA_CERTIFICATE_DIALOG_RESPONSE_TRUST "trust"

GtkWidget  *tessera_certificate_dialog_new             (GtkWindow                *parent,
                                                        const char               *host,
                                                        GTlsCertificate          *certificate,
                                                        GTlsCertificateFlags      errors);
/* As tessera_certificate_get_fingerprint() writes it: what a pin stores */
const char *tessera_certificate_dialog_get_fingerprint (TesseraCertificateDialog *self);

G_END_DECLS

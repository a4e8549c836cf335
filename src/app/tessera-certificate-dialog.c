/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-certificate-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tessera-certificate-dialog.h"
#include "tessera-client-error.h"

struct _TesseraCertificateDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkLabel         *fingerprint_label;

  /* Owned */
  char             *fingerprint;
};

G_DEFINE_FINAL_TYPE (TesseraCertificateDialog, tessera_certificate_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const char *
describe_errors (GTlsCertificateFlags errors)
{
  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("It is self-signed or signed by an authority this computer does not know.");
  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("It was issued for a different name.");
  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    return _("It has expired.");
  if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("It is not valid yet.");
  if (errors & G_TLS_CERTIFICATE_REVOKED)
    return _("It has been revoked.");
  if (errors & G_TLS_CERTIFICATE_INSECURE)
    return _("It uses an insecure algorithm.");
  return _("It could not be verified.");
}

/* 32 bytes as "AB:CD:…" on two lines of 16, so it reads (and compares) in halves */
static char *
format_fingerprint (const char *fingerprint)
{
  gsize length = strlen (fingerprint);
  gsize half = 16 * 3 - 1;

  if (length != 95)
    return g_strdup (fingerprint);
  return g_strdup_printf ("%.*s\n%s", (int) half, fingerprint, fingerprint + half + 1);
}

const char *
tessera_certificate_dialog_get_fingerprint (TesseraCertificateDialog *self)
{
  g_return_val_if_fail (TESSERA_IS_CERTIFICATE_DIALOG (self), NULL);

  return self->fingerprint;
}

static void
tessera_certificate_dialog_finalize (GObject *object)
{
  TesseraCertificateDialog *self = (TesseraCertificateDialog *) object;

  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (tessera_certificate_dialog_parent_class)->finalize (object);
}

static void
tessera_certificate_dialog_class_init (TesseraCertificateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tessera_certificate_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/ui/"
                                               "tessera-certificate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TesseraCertificateDialog, fingerprint_label);
}

static void
tessera_certificate_dialog_init (TesseraCertificateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tessera_certificate_dialog_new (GtkWindow            *parent,
                                const char           *host,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors)
{
  TesseraCertificateDialog *self;
  g_autofree char *formatted = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (TESSERA_TYPE_CERTIFICATE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);

  self->fingerprint = tessera_certificate_get_fingerprint (certificate);
  formatted = format_fingerprint (self->fingerprint);
  gtk_label_set_label (self->fingerprint_label, formatted);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  /* TRANSLATORS: %s is the server's host name; the second
                                   * sentence says what is wrong with its certificate */
                                  _("The certificate of %s is not trusted by this computer. %s\n\n"
                                    "Trust it only if its SHA-256 fingerprint below is the one "
                                    "your server administrator gave you."),
                                  host, describe_errors (errors));

  return GTK_WIDGET (self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-generate-result-row"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-generate-result-row.h"
#include "tessera-otp-code.h"
#include "tessera-otp-print.h"

struct _TesseraGenerateResultRow
{
  GtkWidget         parent_instance;

  /* Children, owned through the widget tree */
  GtkLabel         *name;
  GtkLabel         *upn;
  GtkWidget        *issued_box;
  GtkLabel         *code;
  GtkWidget        *copy_button;
  GtkLabel         *expires;
  GtkWidget        *refused_box;
  GtkLabel         *refusal;

  /* Owned */
  TesseraOtpResult *result;
};

G_DEFINE_FINAL_TYPE (TesseraGenerateResultRow, tessera_generate_result_row, GTK_TYPE_WIDGET)

enum {
  COPY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
tessera_generate_describe_refusal (const char *code,
                                   const char *detail)
{
  if (g_strcmp0 (code, "not_ready") == 0)
    return g_strdup (_("Refused: the account is not ready"));
  if (g_strcmp0 (code, "request_pending") == 0)
    return g_strdup (_("Refused: a request for this account awaits approval"));
  if (g_strcmp0 (code, "missing_sign_in_data") == 0)
    return g_strdup (_("Refused: there is no sign-in data for this account"));
  if (g_strcmp0 (code, "not_found") == 0)
    return g_strdup (_("Refused: the account no longer exists"));
  /* Set by the assistant itself: a retried part the server had issued already */
  if (g_strcmp0 (code, "codes_lost") == 0)
    return g_strdup (_("Not shown: the server issued this one-time password, but its code never "
                       "arrived. Generate a new one for this account."));

  if (detail != NULL && detail[0] != '\0')
    /* TRANSLATORS: %s is the server's reason, as the server words it */
    return g_strdup_printf (_("Refused: %s"), detail);
  return g_strdup (_("Refused by the server"));
}

static GtkLabel *
add_label (GtkWidget  *parent,
           const char *style_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (style_class != NULL)
    gtk_widget_add_css_class (label, style_class);
  gtk_box_append (GTK_BOX (parent), label);

  return GTK_LABEL (label);
}

static void
render (TesseraGenerateResultRow *self,
        TesseraAccount           *account)
{
  gboolean issued;

  if (self->result == NULL)
    {
      gtk_label_set_label (self->name, "");
      gtk_label_set_label (self->upn, "");
      gtk_label_set_label (self->code, "");
      gtk_label_set_label (self->refusal, "");
      return;
    }

  if (account != NULL)
    {
      gtk_label_set_label (self->name, tessera_account_get_display_name (account));
      gtk_label_set_label (self->upn, tessera_account_get_upn (account));
    }
  else
    {
      gtk_label_set_label (self->name, tessera_otp_result_get_account_id (self->result));
      gtk_label_set_label (self->upn, "");
    }

  issued = tessera_otp_result_get_status (self->result) == TESSERA_OTP_RESULT_ISSUED &&
           tessera_otp_result_get_code (self->result) != NULL;
  gtk_widget_set_visible (self->issued_box, issued);
  gtk_widget_set_visible (self->refused_box, !issued);

  if (issued)
    {
      char *formatted = tessera_otp_code_format (tessera_otp_result_get_code (self->result));
      GDateTime *expires_at = tessera_otp_result_get_expires_at (self->result);
      g_autofree char *expiry = NULL;
      g_autofree char *expiry_text = NULL;
      g_autofree char *copy_label = NULL;

      gtk_label_set_label (self->code, formatted);
      tessera_secret_free (formatted);

      if (expires_at != NULL)
        {
          expiry = tessera_otp_print_format_expiry (expires_at);
          /* TRANSLATORS: beside a one-time password: "Expires 25 Nov 2026, 17:40" */
          expiry_text = g_strdup_printf (_("Expires %s"), expiry);
        }
      gtk_label_set_label (self->expires, expiry_text);

      copy_label = g_strdup_printf (_("Copy the one-time password for %s"),
                                    gtk_label_get_label (self->name));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, copy_label, -1);
    }
  else
    {
      g_autofree char *refusal =
        tessera_generate_describe_refusal (tessera_otp_result_get_error_code (self->result),
                                           tessera_otp_result_get_error_detail (self->result));

      gtk_label_set_label (self->code, "");
      gtk_label_set_label (self->refusal, refusal);
    }
}

void
tessera_generate_result_row_set_result (TesseraGenerateResultRow *self,
                                        TesseraOtpResult         *result,
                                        TesseraAccount           *account)
{
  g_return_if_fail (TESSERA_IS_GENERATE_RESULT_ROW (self));
  g_return_if_fail (result == NULL || TESSERA_IS_OTP_RESULT (result));
  g_return_if_fail (account == NULL || TESSERA_IS_ACCOUNT (account));

  g_set_object (&self->result, result);
  render (self, account);
}

TesseraOtpResult *
tessera_generate_result_row_get_result (TesseraGenerateResultRow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_RESULT_ROW (self), NULL);

  return self->result;
}

const char *
tessera_generate_result_row_get_text (TesseraGenerateResultRow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_RESULT_ROW (self), NULL);

  if (gtk_widget_get_visible (self->issued_box))
    return gtk_label_get_label (self->code);
  return gtk_label_get_label (self->refusal);
}

GtkWidget *
tessera_generate_result_row_get_copy_button (TesseraGenerateResultRow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_RESULT_ROW (self), NULL);

  return self->copy_button;
}

static void
on_copy_clicked (TesseraGenerateResultRow *self)
{
  if (self->result != NULL)
    g_signal_emit (self, signals[COPY], 0);
}

static void
tessera_generate_result_row_dispose (GObject *object)
{
  TesseraGenerateResultRow *self = (TesseraGenerateResultRow *) object;
  GtkWidget *child;

  g_clear_object (&self->result);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tessera_generate_result_row_parent_class)->dispose (object);
}

static void
tessera_generate_result_row_class_init (TesseraGenerateResultRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tessera_generate_result_row_dispose;

  /**
   * TesseraGenerateResultRow::copy:
   *
   * The person pressed the row's copy button.
   */
  signals[COPY] =
    g_signal_new ("copy",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "generate-result-row");
}

static void
tessera_generate_result_row_init (TesseraGenerateResultRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkWidget *names, *code_box, *icon;

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (widget)), 12);

  names = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (names, TRUE);
  gtk_widget_set_valign (names, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (names, widget);
  self->name = add_label (names, "heading");
  gtk_label_set_ellipsize (self->name, PANGO_ELLIPSIZE_END);
  self->upn = add_label (names, "dim-label");
  gtk_label_set_ellipsize (self->upn, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->upn), "caption");

  self->issued_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (self->issued_box, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->issued_box, widget);

  code_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_box_append (GTK_BOX (self->issued_box), code_box);
  self->code = add_label (code_box, "monospace");
  gtk_widget_add_css_class (GTK_WIDGET (self->code), "otp-code");
  self->expires = add_label (code_box, "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->expires), "caption");

  self->copy_button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_set_valign (self->copy_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->copy_button, _("Copy the one-time password"));
  gtk_widget_add_css_class (self->copy_button, "flat");
  gtk_box_append (GTK_BOX (self->issued_box), self->copy_button);
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (on_copy_clicked), self);

  self->refused_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (self->refused_box, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->refused_box, widget);
  icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_add_css_class (icon, "error");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (self->refused_box), icon);
  self->refusal = add_label (self->refused_box, NULL);
  gtk_label_set_wrap (self->refusal, TRUE);
  gtk_label_set_max_width_chars (self->refusal, 40);
  gtk_label_set_natural_wrap_mode (self->refusal, GTK_NATURAL_WRAP_WORD);
}

GtkWidget *
tessera_generate_result_row_new (void)
{
  return g_object_new (TESSERA_TYPE_GENERATE_RESULT_ROW, NULL);
}

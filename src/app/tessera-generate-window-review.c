/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-generate-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-account-text.h"
#include "tessera-generate-window-private.h"

/*
 * Page 3, Review: what will be generated, with Edit buttons back to pages 1 and 2 (whose Next
 * then returns here). A list of 100 000 names would freeze the label and say nothing to a
 * person: the first few are named and the rest counted.
 */

#define NAMES_SHOWN 10

void
_tessera_generate_window_update_review (TesseraGenerateWindow *self)
{
  g_autoptr(GPtrArray) selected = _tessera_generate_window_get_selected (self);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *count = tessera_format_count (selected->len);
  g_autofree char *title = NULL;
  g_autofree char *validity = NULL;

  /* TRANSLATORS: the title of the review's first group: "Account selection · 4 accounts" */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Account Selection · %s account",
                                        "Account Selection · %s accounts", selected->len),
                           count);
  adw_preferences_group_set_title (self->review_accounts_group, title);

  for (guint i = 0; i < selected->len && i < NAMES_SHOWN; i++)
    {
      if (i > 0)
        /* TRANSLATORS: the separator between account names in the review */
        g_string_append (names, _(", "));
      g_string_append (names, tessera_account_get_display_name (g_ptr_array_index (selected, i)));
    }
  if (selected->len > NAMES_SHOWN)
    {
      guint more = selected->len - NAMES_SHOWN;
      g_autofree char *more_count = tessera_format_count (more);

      g_string_append_c (names, ' ');
      /* TRANSLATORS: after the first ten names: "and 99 990 more" */
      g_string_append_printf (names, g_dngettext (GETTEXT_PACKAGE, "and %s more",
                                                  "and %s more", more),
                              more_count);
    }
  gtk_label_set_label (self->review_accounts_label, names->str);

  if (_tessera_generate_window_get_upload (self))
    {
      g_autofree char *from = g_strdup_printf (_("From %s; the current passwords are kept"),
                                               self->csv_name != NULL ? self->csv_name : "");

      adw_action_row_set_subtitle (self->review_passwords_row, from);
    }
  else
    {
      adw_action_row_set_subtitle (self->review_passwords_row,
                                   _("Generated automatically; the accounts’ current passwords "
                                     "are replaced"));
    }

  validity = _tessera_generate_window_describe_validity (self);
  adw_action_row_set_subtitle (self->review_validity_row, validity);
}

void
_tessera_generate_window_review_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow,
                                        review_accounts_group);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow,
                                        review_accounts_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow,
                                        review_passwords_row);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, review_validity_row);
}

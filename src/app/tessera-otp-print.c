/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-otp-print"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-otp-print.h"
#include "tessera-secret.h"

typedef struct {
  char *room;
  char *site;
  char *upn;
  char *code;     /* secret */
  char *expires;
} Card;

struct _TesseraOtpPrint
{
  GtkPrintOperation  parent_instance;

  GArray            *cards;  /* Card, owned */
};

G_DEFINE_FINAL_TYPE (TesseraOtpPrint, tessera_otp_print, GTK_TYPE_PRINT_OPERATION)

/* Points (1/72 inch) */
#define CARD_PADDING   14.0
#define CARD_GAP       10.0
#define COLUMN_GAP     18.0

static void
card_clear (Card *card)
{
  g_clear_pointer (&card->room, g_free);
  g_clear_pointer (&card->site, g_free);
  g_clear_pointer (&card->upn, g_free);
  tessera_secret_clear (&card->code);
  g_clear_pointer (&card->expires, g_free);
}

char *
tessera_otp_print_format_expiry (GDateTime *expires_at)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (expires_at != NULL, NULL);

  local = g_date_time_to_local (expires_at);
  /* TRANSLATORS: an expiry as in g_date_time_format(): "25 Nov 2026, 17:40" */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
}

void
tessera_otp_print_add_card (TesseraOtpPrint *self,
                            const char      *room,
                            const char      *site,
                            const char      *upn,
                            const char      *formatted_code,
                            const char      *expires)
{
  Card card = { 0 };

  g_return_if_fail (TESSERA_IS_OTP_PRINT (self));
  g_return_if_fail (formatted_code != NULL);

  card.room = g_strdup (room != NULL ? room : "");
  card.site = g_strdup (site != NULL ? site : "");
  card.upn = g_strdup (upn != NULL ? upn : "");
  card.code = tessera_secret_dup (formatted_code);
  card.expires = g_strdup (expires != NULL ? expires : "");
  g_array_append_val (self->cards, card);
}

guint
tessera_otp_print_get_n_cards (TesseraOtpPrint *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_PRINT (self), 0);

  return self->cards->len;
}

/* Draws @text at (@x, *@y) in @width and moves *@y below it */
static void
show_text (cairo_t         *cr,
           PangoLayout     *layout,
           const char      *font,
           const char      *text,
           double           x,
           double          *y,
           double           width,
           double           gray)
{
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);
  int text_height;

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);

  cairo_set_source_rgb (cr, gray, gray, gray);
  cairo_move_to (cr, x, *y);
  pango_cairo_show_layout (cr, layout);

  pango_layout_get_size (layout, NULL, &text_height);
  *y += (double) text_height / PANGO_SCALE;
}

static void
draw_card (GtkPrintContext *context,
           cairo_t         *cr,
           const Card      *card,
           double           top,
           double           width,
           double           height)
{
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autofree char *site_line = NULL;
  g_autofree char *expires_line = NULL;
  g_autofree char *step1 = NULL;
  double left_width = (width - 2 * CARD_PADDING - COLUMN_GAP) * 0.6;
  double right_x = CARD_PADDING + left_width + COLUMN_GAP;
  double right_width = width - right_x - CARD_PADDING;
  double y;
  static const double dashes[] = { 4.0, 3.0 };

  /* The cut line */
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.55, 0.55, 0.55);
  cairo_set_line_width (cr, 0.6);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_rectangle (cr, 0.5, top + 0.5, width - 1, height - 1);
  cairo_stroke (cr);
  cairo_restore (cr);

  /* Left: which room, and the code */
  y = top + CARD_PADDING;
  show_text (cr, layout, "Sans Bold 17", card->room, CARD_PADDING, &y, left_width, 0.0);
  /* TRANSLATORS: on a printed card: "Oslo · oslo-4.12@example.org" */
  site_line = g_strdup_printf (_("%s · %s"), card->site, card->upn);
  show_text (cr, layout, "Sans 10", site_line, CARD_PADDING, &y, left_width, 0.3);
  y += 14;
  show_text (cr, layout, "Sans 9", _("One-time password"), CARD_PADDING, &y, left_width, 0.3);
  y += 2;
  show_text (cr, layout, "Monospace Bold 25", card->code, CARD_PADDING, &y, left_width, 0.0);
  y += 6;
  /* TRANSLATORS: on a printed card: "Valid until 25 Nov 2026, 17:40" */
  expires_line = g_strdup_printf (_("Valid until %s"), card->expires);
  show_text (cr, layout, "Sans 10", expires_line, CARD_PADDING, &y, left_width, 0.0);

  /* Right: what the technician does */
  y = top + CARD_PADDING;
  show_text (cr, layout, "Sans Bold 10", _("On the console"), right_x, &y, right_width, 0.0);
  y += 4;
  /* TRANSLATORS: the steps on a printed card; the quoted words are those on the console */
  step1 = g_strdup_printf (_("1. Choose “%s”."), _("Sign in with a one-time password"));
  show_text (cr, layout, "Sans 10", step1, right_x, &y, right_width, 0.0);
  y += 4;
  show_text (cr, layout, "Sans 10", _("2. Type the code."), right_x, &y, right_width, 0.0);
  y += 4;
  show_text (cr, layout, "Sans 10",
             _("3. Wait until the administrator approves the request; the console then signs "
               "in by itself."),
             right_x, &y, right_width, 0.0);
}

static void
tessera_otp_print_begin_print (GtkPrintOperation *operation,
                               GtkPrintContext   *context)
{
  TesseraOtpPrint *self = TESSERA_OTP_PRINT (operation);
  guint n_pages = (self->cards->len + TESSERA_OTP_PRINT_CARDS_PER_PAGE - 1) /
                  TESSERA_OTP_PRINT_CARDS_PER_PAGE;

  gtk_print_operation_set_n_pages (operation, MAX (n_pages, 1));
}

static void
tessera_otp_print_draw_page (GtkPrintOperation *operation,
                             GtkPrintContext   *context,
                             int                page_nr)
{
  TesseraOtpPrint *self = TESSERA_OTP_PRINT (operation);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  double card_height = (height - (TESSERA_OTP_PRINT_CARDS_PER_PAGE - 1) * CARD_GAP) /
                       TESSERA_OTP_PRINT_CARDS_PER_PAGE;

  for (guint i = 0; i < TESSERA_OTP_PRINT_CARDS_PER_PAGE; i++)
    {
      guint index = (guint) page_nr * TESSERA_OTP_PRINT_CARDS_PER_PAGE + i;

      if (index >= self->cards->len)
        break;
      draw_card (context, cr, &g_array_index (self->cards, Card, index),
                 i * (card_height + CARD_GAP), width, card_height);
    }
}

static void
tessera_otp_print_finalize (GObject *object)
{
  TesseraOtpPrint *self = (TesseraOtpPrint *) object;

  g_clear_pointer (&self->cards, g_array_unref);

  G_OBJECT_CLASS (tessera_otp_print_parent_class)->finalize (object);
}

static void
tessera_otp_print_class_init (TesseraOtpPrintClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkPrintOperationClass *operation_class = GTK_PRINT_OPERATION_CLASS (klass);

  object_class->finalize = tessera_otp_print_finalize;

  operation_class->begin_print = tessera_otp_print_begin_print;
  operation_class->draw_page = tessera_otp_print_draw_page;
}

static void
tessera_otp_print_init (TesseraOtpPrint *self)
{
  GtkPrintOperation *operation = GTK_PRINT_OPERATION (self);

  self->cards = g_array_new (FALSE, TRUE, sizeof (Card));
  g_array_set_clear_func (self->cards, (GDestroyNotify) card_clear);

  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, FALSE);
  /* TRANSLATORS: the name of the print job */
  gtk_print_operation_set_job_name (operation, _("One-time passwords"));
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
}

TesseraOtpPrint *
tessera_otp_print_new (void)
{
  return g_object_new (TESSERA_TYPE_OTP_PRINT, NULL);
}

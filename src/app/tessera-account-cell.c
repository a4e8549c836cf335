/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-account-cell"

#include "config.h"

#include "tessera-account-cell.h"
#include "tessera-account-text.h"

/*
 * A GtkColumnView in GTK 4.8 keeps about 200 rows of widgets (1 000 cells here), measures
 * every one of them, and a search shows other accounts in all of them at once. With a label
 * per line of text, each keystroke laid out ~1 400 labels (Pango shaping, several widths
 * each) although only the first 15 rows or so are on screen, and each new row cost four more
 * widgets with their CSS nodes.
 *
 * So a cell draws its own text: its size does not depend on the text (two lines high, a
 * natural width per column from the font), a new account only stores the strings and queues
 * a redraw, and the Pango layouts are made when the cell is drawn, i.e. only for the rows on
 * screen, and kept until the text changes. The only child is the readiness icon. What the
 * cell says is its accessible label, as a label's text would be.
 *
 * The looks follow libadwaita's classes: the UPN is `.caption` (9 pt) and `.dim-label`
 * (opacity 0.55), the Updated column `.numeric` (tabular figures); "Awaiting OTP approval"
 * carries the app's `.awaiting-approval` (bold) and `.accent` on the cell itself.
 */

#define CAPTION_SIZE_PT  9      /* libadwaita's .caption */
#define DIM_OPACITY      0.55   /* libadwaita's .dim-label */
#define ICON_SPACING     6

struct _TesseraAccountCell
{
  GtkWidget              parent_instance;

  /* Children, owned: the icon of the readiness column only */
  GtkImage              *icon;

  /* Owned */
  TesseraAccount        *account;
  gulong                 notify_id;
  TesseraAccountRow     *row;
  gulong                 row_notify_id;
  char                  *title;           /* what the cell says; NULL when empty */
  char                  *subtitle;        /* the name column's second line (the UPN) */
  char                  *description;     /* the readiness column's issues, for accessibility */
  PangoLayout           *title_layout;    /* made when drawn, kept while the text stays */
  PangoLayout           *subtitle_layout;

  TesseraAccountsColumn  column;
  int                    readiness;       /* shown by the icon; -1 for none */
  gboolean               awaiting;        /* has the awaiting-approval classes */
};

G_DEFINE_FINAL_TYPE (TesseraAccountCell, tessera_account_cell, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_COLUMN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Texts */

static void
update_accessible_label (TesseraAccountCell *self)
{
  g_autofree char *label = NULL;

  if (self->subtitle != NULL)
    label = g_strconcat (self->title != NULL ? self->title : "", ", ", self->subtitle, NULL);
  /* The table shows a dash for "no OTP yet"; a screen reader would say "em dash" */
  else if (self->column == TESSERA_ACCOUNTS_COLUMN_PROVISIONING && self->account != NULL &&
           tessera_account_get_provisioning_state (self->account) ==
           TESSERA_PROVISIONING_NOT_STARTED)
    label = g_strdup (tessera_provisioning_state_get_label (TESSERA_PROVISIONING_NOT_STARTED));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label != NULL ? label : self->title != NULL ? self->title : "",
                                  -1);
}

/*
 * What the readiness tooltip says (the issues to fix), for screen readers, which do not see a
 * tooltip that is only made when the pointer asks for it
 */
static void
update_accessible_description (TesseraAccountCell *self)
{
  g_autofree char *description = NULL;

  if (self->account != NULL)
    description = tessera_account_describe_readiness (self->account);

  if (g_strcmp0 (self->description, description) == 0)
    return;
  g_free (self->description);
  self->description = g_steal_pointer (&description);

  if (self->description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Takes @title and @subtitle; redraws only when something changed */
static void
set_texts (TesseraAccountCell *self,
           char               *title,
           char               *subtitle)
{
  gboolean changed = FALSE;

  if (g_strcmp0 (self->title, title) != 0)
    {
      g_free (self->title);
      self->title = g_steal_pointer (&title);
      g_clear_object (&self->title_layout);
      changed = TRUE;
    }
  if (g_strcmp0 (self->subtitle, subtitle) != 0)
    {
      g_free (self->subtitle);
      self->subtitle = g_steal_pointer (&subtitle);
      g_clear_object (&self->subtitle_layout);
      changed = TRUE;
    }
  g_free (title);
  g_free (subtitle);

  if (!changed)
    return;

  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_readiness (TesseraAccountCell *self,
               int                 readiness)
{
  static const char *const classes[] = { "success", "warning", "error" };
  const char *style_class = readiness >= 0 ? tessera_readiness_get_style_class (readiness) : NULL;

  if (self->readiness == readiness)
    return;
  self->readiness = readiness;

  gtk_image_set_from_icon_name (self->icon, readiness >= 0
                                            ? tessera_readiness_get_icon_name (readiness)
                                            : NULL);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      if (g_strcmp0 (classes[i], style_class) == 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->icon), classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->icon), classes[i]);
    }
}

/* "Awaiting OTP approval" is what the admin has to act on: it stands out (in words too) */
static void
set_awaiting (TesseraAccountCell *self,
              gboolean            awaiting)
{
  if (self->awaiting == awaiting)
    return;
  self->awaiting = awaiting;

  if (awaiting)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "awaiting-approval");
      gtk_widget_add_css_class (GTK_WIDGET (self), "accent");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "awaiting-approval");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "accent");
    }
}

static void
render (TesseraAccountCell *self)
{
  TesseraAccount *account = self->account;

  if (account == NULL)
    {
      set_texts (self, NULL, NULL);
      if (self->icon != NULL)
        {
          set_readiness (self, -1);
          update_accessible_description (self);
        }
      set_awaiting (self, FALSE);
      return;
    }

  switch (self->column)
    {
    case TESSERA_ACCOUNTS_COLUMN_NAME:
      set_texts (self, g_strdup (tessera_account_get_display_name (account)),
                 g_strdup (tessera_account_get_upn (account)));
      break;

    case TESSERA_ACCOUNTS_COLUMN_SITE:
      set_texts (self, g_strdup (tessera_account_get_site (account)), NULL);
      break;

    case TESSERA_ACCOUNTS_COLUMN_READINESS:
      {
        TesseraReadiness readiness = tessera_account_get_readiness (account);

        set_readiness (self, readiness);
        set_texts (self, g_strdup (tessera_readiness_get_label (readiness)), NULL);
        update_accessible_description (self);
      }
      break;

    case TESSERA_ACCOUNTS_COLUMN_PROVISIONING:
      set_texts (self, tessera_account_describe_provisioning (account, g_get_real_time ()), NULL);
      set_awaiting (self, tessera_account_get_provisioning_state (account) ==
                          TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);
      break;

    case TESSERA_ACCOUNTS_COLUMN_UPDATED:
      set_texts (self,
                 tessera_format_updated (tessera_account_get_updated_at_unix_usec (account),
                                         g_get_real_time ()),
                 NULL);
      break;

    default:
      g_assert_not_reached ();
    }
}

/*
 * The tooltip is made when asked for: gtk_widget_set_tooltip_text() on every render would
 * ask the display server where the pointer is, once per cell, each time the list changes.
 */
static gboolean
on_query_tooltip (TesseraAccountCell *self,
                  int                 x,
                  int                 y,
                  gboolean            keyboard_mode,
                  GtkTooltip         *tooltip)
{
  g_autofree char *text = NULL;

  if (self->account == NULL || self->column != TESSERA_ACCOUNTS_COLUMN_READINESS)
    return FALSE;

  text = tessera_account_describe_readiness (self->account);
  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* Layout and drawing */

/* The height of a line of the cell's font, and the width of an average character */
static void
get_font_metrics (TesseraAccountCell *self,
                  int                *line_height,
                  int                *char_width)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);

  *line_height = PANGO_PIXELS_CEIL (pango_font_metrics_get_height (metrics));
  *char_width = pango_font_metrics_get_approximate_char_width (metrics);
  pango_font_metrics_unref (metrics);
}

/* Natural widths in characters: what the columns usually need, whatever the rows show */
static int
natural_chars (TesseraAccountsColumn column)
{
  switch (column)
    {
    case TESSERA_ACCOUNTS_COLUMN_NAME:         return 28;
    case TESSERA_ACCOUNTS_COLUMN_SITE:         return 12;
    case TESSERA_ACCOUNTS_COLUMN_READINESS:    return 16;
    case TESSERA_ACCOUNTS_COLUMN_PROVISIONING: return 24;
    case TESSERA_ACCOUNTS_COLUMN_UPDATED:      return 12;
    default:                                   g_assert_not_reached ();
    }
}

static int
icon_width (TesseraAccountCell *self)
{
  int width = 0;

  if (self->icon != NULL)
    gtk_widget_measure (GTK_WIDGET (self->icon), GTK_ORIENTATION_HORIZONTAL, -1,
                        NULL, &width, NULL, NULL);
  return width;
}

static void
tessera_account_cell_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  TesseraAccountCell *self = TESSERA_ACCOUNT_CELL (widget);
  int line_height, char_width;

  get_font_metrics (self, &line_height, &char_width);

  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      /* Two lines: the name and its UPN, or a status that wraps in a narrow column */
      *minimum = *natural = 2 * line_height;
    }
  else
    {
      int icon = self->icon != NULL ? icon_width (self) + ICON_SPACING : 0;

      *minimum = icon;
      *natural = icon + PANGO_PIXELS_CEIL (natural_chars (self->column) * char_width);
    }
}

static void
tessera_account_cell_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  TesseraAccountCell *self = TESSERA_ACCOUNT_CELL (widget);
  int size, x, icon;

  if (self->icon == NULL)
    return;

  icon = icon_width (self);
  gtk_widget_measure (GTK_WIDGET (self->icon), GTK_ORIENTATION_VERTICAL, -1,
                      NULL, &size, NULL, NULL);
  size = MIN (size, height);
  x = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? width - icon : 0;
  gtk_widget_allocate (GTK_WIDGET (self->icon), icon, size, -1,
                       gsk_transform_translate (NULL,
                                                &GRAPHENE_POINT_INIT (x, (height - size) / 2)));
}

static PangoLayout *
make_layout (TesseraAccountCell *self,
             const char         *text,
             gboolean            caption)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);

  if (caption)
    pango_attr_list_insert (attributes, pango_attr_size_new (CAPTION_SIZE_PT * PANGO_SCALE));
  if (self->column == TESSERA_ACCOUNTS_COLUMN_UPDATED)
    pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attributes);

  /* Statuses wrap onto the second line in narrow columns instead of losing words */
  if (self->column == TESSERA_ACCOUNTS_COLUMN_READINESS ||
      self->column == TESSERA_ACCOUNTS_COLUMN_PROVISIONING)
    {
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_height (layout, -2);
    }

  return layout;
}

static void
append_layout (GtkSnapshot   *snapshot,
               PangoLayout   *layout,
               int            x,
               int            y,
               const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
tessera_account_cell_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  TesseraAccountCell *self = TESSERA_ACCOUNT_CELL (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int text_x = 0, text_width = width;
  int title_height, subtitle_height = 0;
  GdkRGBA color;

  if (self->icon != NULL)
    {
      int icon = icon_width (self) + ICON_SPACING;

      gtk_widget_snapshot_child (widget, GTK_WIDGET (self->icon), snapshot);
      text_width -= icon;
      if (gtk_widget_get_direction (widget) != GTK_TEXT_DIR_RTL)
        text_x = icon;
    }

  if (self->title == NULL || text_width <= 0)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  if (self->title_layout == NULL)
    self->title_layout = make_layout (self, self->title, FALSE);
  pango_layout_set_width (self->title_layout, text_width * PANGO_SCALE);
  pango_layout_get_pixel_size (self->title_layout, NULL, &title_height);

  if (self->subtitle != NULL)
    {
      if (self->subtitle_layout == NULL)
        self->subtitle_layout = make_layout (self, self->subtitle, TRUE);
      pango_layout_set_width (self->subtitle_layout, text_width * PANGO_SCALE);
      pango_layout_get_pixel_size (self->subtitle_layout, NULL, &subtitle_height);
    }

  /* The lines as one block, centred like the labels of a row */
  {
    int y = MAX (0, (height - title_height - subtitle_height) / 2);

    append_layout (snapshot, self->title_layout, text_x, y, &color);
    if (self->subtitle_layout != NULL)
      {
        color.alpha *= DIM_OPACITY;
        append_layout (snapshot, self->subtitle_layout, text_x, y + title_height, &color);
      }
  }
}

/* Public */

TesseraAccountsColumn
tessera_account_cell_get_column (TesseraAccountCell *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_CELL (self), TESSERA_ACCOUNTS_COLUMN_NAME);

  return self->column;
}

TesseraAccount *
tessera_account_cell_get_account (TesseraAccountCell *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_CELL (self), NULL);

  return self->account;
}

const char *
tessera_account_cell_get_text (TesseraAccountCell *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_CELL (self), NULL);

  return self->title;
}

const char *
tessera_account_cell_get_subtitle (TesseraAccountCell *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_CELL (self), NULL);

  return self->subtitle;
}

static void
on_account_notify (TesseraAccountCell *self)
{
  render (self);
}

void
tessera_account_cell_set_account (TesseraAccountCell *self,
                                  TesseraAccount     *account)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT_CELL (self));
  g_return_if_fail (account == NULL || TESSERA_IS_ACCOUNT (account));

  if (self->account == account)
    return;

  g_clear_signal_handler (&self->notify_id, self->account);
  g_set_object (&self->account, account);
  if (account != NULL)
    self->notify_id = g_signal_connect_swapped (account, "notify",
                                                G_CALLBACK (on_account_notify), self);

  render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

static void
on_row_account_changed (TesseraAccountCell *self)
{
  tessera_account_cell_set_account (self, tessera_account_row_get_account (self->row));
}

void
tessera_account_cell_set_row (TesseraAccountCell *self,
                              TesseraAccountRow  *row)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT_CELL (self));
  g_return_if_fail (row == NULL || TESSERA_IS_ACCOUNT_ROW (row));

  if (self->row != row)
    {
      g_clear_signal_handler (&self->row_notify_id, self->row);
      g_set_object (&self->row, row);
      if (row != NULL)
        self->row_notify_id = g_signal_connect_swapped (row, "notify::account",
                                                        G_CALLBACK (on_row_account_changed),
                                                        self);
    }

  tessera_account_cell_set_account (self, row != NULL ? tessera_account_row_get_account (row)
                                                      : NULL);
}

void
tessera_account_cell_refresh (TesseraAccountCell *self)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT_CELL (self));

  if (self->column == TESSERA_ACCOUNTS_COLUMN_PROVISIONING ||
      self->column == TESSERA_ACCOUNTS_COLUMN_UPDATED)
    render (self);
}

/* GObject */

static void
tessera_account_cell_constructed (GObject *object)
{
  TesseraAccountCell *self = (TesseraAccountCell *) object;

  G_OBJECT_CLASS (tessera_account_cell_parent_class)->constructed (object);

  if (self->column == TESSERA_ACCOUNTS_COLUMN_READINESS)
    {
      self->icon = GTK_IMAGE (gtk_image_new ());
      gtk_widget_set_parent (GTK_WIDGET (self->icon), GTK_WIDGET (self));
      gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
      g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
    }
}

static void
tessera_account_cell_dispose (GObject *object)
{
  TesseraAccountCell *self = (TesseraAccountCell *) object;

  g_clear_signal_handler (&self->row_notify_id, self->row);
  g_clear_object (&self->row);
  g_clear_signal_handler (&self->notify_id, self->account);
  g_clear_object (&self->account);
  g_clear_pointer ((GtkWidget **) &self->icon, gtk_widget_unparent);
  g_clear_object (&self->title_layout);
  g_clear_object (&self->subtitle_layout);

  G_OBJECT_CLASS (tessera_account_cell_parent_class)->dispose (object);
}

static void
tessera_account_cell_finalize (GObject *object)
{
  TesseraAccountCell *self = (TesseraAccountCell *) object;

  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->description);

  G_OBJECT_CLASS (tessera_account_cell_parent_class)->finalize (object);
}

static void
tessera_account_cell_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TesseraAccountCell *self = TESSERA_ACCOUNT_CELL (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    case PROP_COLUMN:
      g_value_set_int (value, self->column);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_account_cell_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TesseraAccountCell *self = TESSERA_ACCOUNT_CELL (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      tessera_account_cell_set_account (self, g_value_get_object (value));
      break;

    case PROP_COLUMN:
      self->column = g_value_get_int (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_account_cell_class_init (TesseraAccountCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tessera_account_cell_constructed;
  object_class->dispose = tessera_account_cell_dispose;
  object_class->finalize = tessera_account_cell_finalize;
  object_class->get_property = tessera_account_cell_get_property;
  object_class->set_property = tessera_account_cell_set_property;

  widget_class->measure = tessera_account_cell_measure;
  widget_class->size_allocate = tessera_account_cell_size_allocate;
  widget_class->snapshot = tessera_account_cell_snapshot;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, TESSERA_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLUMN] =
    g_param_spec_int ("column", NULL, NULL,
                      TESSERA_ACCOUNTS_COLUMN_NAME, TESSERA_ACCOUNTS_COLUMN_UPDATED,
                      TESSERA_ACCOUNTS_COLUMN_NAME,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "tessera-account-cell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
tessera_account_cell_init (TesseraAccountCell *self)
{
  self->readiness = -1;
}

GtkWidget *
tessera_account_cell_new (TesseraAccountsColumn column)
{
  return g_object_new (TESSERA_TYPE_ACCOUNT_CELL, "column", column, NULL);
}

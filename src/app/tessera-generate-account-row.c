/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-generate-account-row"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-account-text.h"
#include "tessera-generate-account-row.h"

struct _TesseraGenerateAccountRow
{
  GtkWidget       parent_instance;

  /* Children, owned through the widget tree: check, names and readiness side by side */
  GtkCheckButton *check;
  GtkWidget      *names;
  GtkWidget      *readiness_box;
  GtkLabel       *name;
  GtkLabel       *upn;
  GtkImage       *icon;
  GtkLabel       *readiness;
  GtkLabel       *reason;

  /* Owned */
  TesseraAccount *account;
  gulong          notify_id;
  char           *readiness_text;

  gboolean        syncing;     /* set_selected() is moving the check button */
};

G_DEFINE_FINAL_TYPE (TesseraGenerateAccountRow, tessera_generate_account_row, GTK_TYPE_WIDGET)

enum {
  TOGGLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_icon_class (TesseraGenerateAccountRow *self,
                const char                *style_class)
{
  static const char *const classes[] = { "success", "warning", "error" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      if (g_strcmp0 (classes[i], style_class) == 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->icon), classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->icon), classes[i]);
    }
}

/* The issues on one line: "The password expires; Calendar processing is not set up" */
static char *
describe_reason (TesseraAccount *account)
{
  g_autofree char *lines = tessera_account_describe_readiness (account);
  g_auto(GStrv) issues = NULL;

  if (lines == NULL)
    return g_strdup ("");
  issues = g_strsplit (lines, "\n", -1);
  /* TRANSLATORS: the separator between two readiness issues on one line */
  return g_strjoinv (_("; "), issues);
}

static void
render (TesseraGenerateAccountRow *self)
{
  TesseraReadiness readiness;
  gboolean ready;
  g_autofree char *reason = NULL;
  const char *label;

  g_clear_pointer (&self->readiness_text, g_free);

  if (self->account == NULL)
    {
      gtk_label_set_label (self->name, "");
      gtk_label_set_label (self->upn, "");
      gtk_label_set_label (self->readiness, "");
      gtk_widget_set_visible (GTK_WIDGET (self->reason), FALSE);
      return;
    }

  readiness = tessera_account_get_readiness (self->account);
  ready = readiness == TESSERA_READINESS_READY;
  label = tessera_readiness_get_label (readiness);

  gtk_label_set_label (self->name, tessera_account_get_display_name (self->account));
  gtk_label_set_label (self->upn, tessera_account_get_upn (self->account));
  gtk_image_set_from_icon_name (self->icon, tessera_readiness_get_icon_name (readiness));
  set_icon_class (self, tessera_readiness_get_style_class (readiness));
  gtk_label_set_label (self->readiness, label);

  /* Why it cannot be checked, in words (status is never colour or sensitivity alone) */
  if (!ready)
    {
      reason = describe_reason (self->account);
      gtk_label_set_label (self->reason, reason);
      /* TRANSLATORS: "Change settings — The password expires" */
      self->readiness_text = g_strdup_printf (_("%s — %s"), label, reason);
    }
  else
    {
      self->readiness_text = g_strdup (label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->reason), !ready);

  gtk_widget_set_sensitive (GTK_WIDGET (self), ready);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tessera_account_get_display_name (self->account),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->readiness_text,
                                  -1);
}

static void
on_account_notify (TesseraGenerateAccountRow *self,
                   GParamSpec                *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "display-name") || g_str_equal (name, "upn") ||
      g_str_equal (name, "readiness") || g_str_equal (name, "readiness-issues"))
    render (self);
}

/*
 * Made when asked for: gtk_widget_set_tooltip_text() on every render would ask the display
 * server where the pointer is, for every row, on every keystroke.
 */
static gboolean
on_query_tooltip (TesseraGenerateAccountRow *self,
                  int                        x,
                  int                        y,
                  gboolean                   keyboard_mode,
                  GtkTooltip                *tooltip)
{
  if (self->account == NULL ||
      tessera_account_get_readiness (self->account) == TESSERA_READINESS_READY)
    return FALSE;

  gtk_tooltip_set_text (tooltip, _("Only ready accounts can be selected"));
  return TRUE;
}

static void
on_check_toggled (TesseraGenerateAccountRow *self)
{
  if (self->syncing || self->account == NULL)
    return;

  g_signal_emit (self, signals[TOGGLED], 0, gtk_check_button_get_active (self->check));
}

TesseraAccount *
tessera_generate_account_row_get_account (TesseraGenerateAccountRow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_ACCOUNT_ROW (self), NULL);

  return self->account;
}

void
tessera_generate_account_row_set_account (TesseraGenerateAccountRow *self,
                                          TesseraAccount            *account)
{
  g_return_if_fail (TESSERA_IS_GENERATE_ACCOUNT_ROW (self));
  g_return_if_fail (account == NULL || TESSERA_IS_ACCOUNT (account));

  if (self->account == account)
    return;

  g_clear_signal_handler (&self->notify_id, self->account);
  g_set_object (&self->account, account);
  if (account != NULL)
    self->notify_id = g_signal_connect_swapped (account, "notify",
                                                G_CALLBACK (on_account_notify), self);
  render (self);
}

gboolean
tessera_generate_account_row_get_selected (TesseraGenerateAccountRow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_ACCOUNT_ROW (self), FALSE);

  return gtk_check_button_get_active (self->check);
}

void
tessera_generate_account_row_set_selected (TesseraGenerateAccountRow *self,
                                           gboolean                   selected)
{
  g_return_if_fail (TESSERA_IS_GENERATE_ACCOUNT_ROW (self));

  self->syncing = TRUE;
  gtk_check_button_set_active (self->check, selected);
  self->syncing = FALSE;
}

GtkCheckButton *
tessera_generate_account_row_get_check_button (TesseraGenerateAccountRow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_ACCOUNT_ROW (self), NULL);

  return self->check;
}

const char *
tessera_generate_account_row_get_readiness_text (TesseraGenerateAccountRow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_ACCOUNT_ROW (self), NULL);

  return self->readiness_text;
}

static GtkLabel *
add_label (GtkWidget  *parent,
           const char *style_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (style_class != NULL)
    gtk_widget_add_css_class (label, style_class);
  if (GTK_IS_BOX (parent))
    gtk_box_append (GTK_BOX (parent), label);
  else
    gtk_widget_set_parent (label, parent);

  return GTK_LABEL (label);
}

/*
 * Three columns: the check button, the names (all the room there is), and the readiness, as
 * wide as READINESS_WIDTH when the list is wide, so it reads as a column, and narrower when the
 * window is (down to 360 px), where its words wrap.
 */
#define SPACING          12
#define READINESS_WIDTH  280

static void
column_widths (TesseraGenerateAccountRow *self,
               int                        width,
               int                       *check_width,
               int                       *names_width,
               int                       *readiness_width)
{
  int check_min, names_min, readiness_min, rest;

  gtk_widget_measure (GTK_WIDGET (self->check), GTK_ORIENTATION_HORIZONTAL, -1,
                      &check_min, NULL, NULL, NULL);
  gtk_widget_measure (self->names, GTK_ORIENTATION_HORIZONTAL, -1, &names_min, NULL, NULL, NULL);
  gtk_widget_measure (self->readiness_box, GTK_ORIENTATION_HORIZONTAL, -1,
                      &readiness_min, NULL, NULL, NULL);

  *check_width = check_min;
  rest = MAX (0, width - check_min - 2 * SPACING);
  *readiness_width = CLAMP (rest * 2 / 5, readiness_min, MAX (readiness_min, READINESS_WIDTH));
  *names_width = MAX (names_min, rest - *readiness_width);
}

static void
measure_width (TesseraGenerateAccountRow *self,
               int                       *minimum,
               int                       *natural)
{
  GtkWidget *children[] = { GTK_WIDGET (self->check), self->names, self->readiness_box };

  *minimum = *natural = 2 * SPACING;
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      int child_min, child_nat;

      gtk_widget_measure (children[i], GTK_ORIENTATION_HORIZONTAL, -1, &child_min, &child_nat,
                          NULL, NULL);
      *minimum += child_min;
      *natural += children[i] == self->readiness_box ? MAX (child_nat, READINESS_WIDTH)
                                                     : child_nat;
    }
}

static void
tessera_generate_account_row_measure (GtkWidget      *widget,
                                      GtkOrientation  orientation,
                                      int             for_size,
                                      int            *minimum,
                                      int            *natural,
                                      int            *minimum_baseline,
                                      int            *natural_baseline)
{
  TesseraGenerateAccountRow *self = TESSERA_GENERATE_ACCOUNT_ROW (widget);
  GtkWidget *children[] = { GTK_WIDGET (self->check), self->names, self->readiness_box };
  int widths[G_N_ELEMENTS (children)];

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      measure_width (self, minimum, natural);
      return;
    }

  if (for_size < 0)
    measure_width (self, &(int) { 0 }, &for_size);
  column_widths (self, for_size, &widths[0], &widths[1], &widths[2]);

  *minimum = *natural = 0;
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      int child_min, child_nat;

      gtk_widget_measure (children[i], orientation, widths[i], &child_min, &child_nat,
                          NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
}

static void
tessera_generate_account_row_size_allocate (GtkWidget *widget,
                                            int        width,
                                            int        height,
                                            int        baseline)
{
  TesseraGenerateAccountRow *self = TESSERA_GENERATE_ACCOUNT_ROW (widget);
  int check_width, names_width, readiness_width;
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int x;

  column_widths (self, width, &check_width, &names_width, &readiness_width);

  x = rtl ? width - check_width : 0;
  gtk_widget_size_allocate (GTK_WIDGET (self->check),
                            &(GtkAllocation) { x, 0, check_width, height }, -1);
  x = rtl ? x - SPACING - names_width : check_width + SPACING;
  gtk_widget_size_allocate (self->names, &(GtkAllocation) { x, 0, names_width, height }, -1);
  x = rtl ? 0 : width - readiness_width;
  gtk_widget_size_allocate (self->readiness_box,
                            &(GtkAllocation) { x, 0, readiness_width, height }, -1);
}

static void
tessera_generate_account_row_dispose (GObject *object)
{
  TesseraGenerateAccountRow *self = (TesseraGenerateAccountRow *) object;
  GtkWidget *child;

  g_clear_signal_handler (&self->notify_id, self->account);
  g_clear_object (&self->account);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tessera_generate_account_row_parent_class)->dispose (object);
}

static void
tessera_generate_account_row_finalize (GObject *object)
{
  TesseraGenerateAccountRow *self = (TesseraGenerateAccountRow *) object;

  g_free (self->readiness_text);

  G_OBJECT_CLASS (tessera_generate_account_row_parent_class)->finalize (object);
}

static void
tessera_generate_account_row_class_init (TesseraGenerateAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tessera_generate_account_row_dispose;
  object_class->finalize = tessera_generate_account_row_finalize;

  /**
   * TesseraGenerateAccountRow::toggled:
   * @active: the check button's new state
   *
   * A person toggled the check button.
   */
  signals[TOGGLED] =
    g_signal_new ("toggled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  widget_class->measure = tessera_generate_account_row_measure;
  widget_class->size_allocate = tessera_generate_account_row_size_allocate;

  gtk_widget_class_set_css_name (widget_class, "generate-account-row");
}

static void
tessera_generate_account_row_init (TesseraGenerateAccountRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkWidget *names, *readiness, *status;

  self->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->check), GTK_ALIGN_CENTER);
  gtk_widget_set_parent (GTK_WIDGET (self->check), widget);
  g_signal_connect_swapped (self->check, "toggled", G_CALLBACK (on_check_toggled), self);
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  self->names = names = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_valign (names, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (names, widget);
  self->name = add_label (names, NULL);
  self->upn = add_label (names, "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->upn), "caption");

  self->readiness_box = readiness = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_valign (readiness, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (readiness, widget);

  status = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (readiness), status);
  self->icon = GTK_IMAGE (gtk_image_new ());
  gtk_box_append (GTK_BOX (status), GTK_WIDGET (self->icon));
  self->readiness = add_label (status, NULL);

  self->reason = add_label (readiness, "caption");
  gtk_label_set_wrap (self->reason, TRUE);
  gtk_label_set_lines (self->reason, 2);
  /* Long lists of issues wrap inside the column instead of widening it */
  gtk_label_set_max_width_chars (self->reason, 40);
}

GtkWidget *
tessera_generate_account_row_new (void)
{
  return g_object_new (TESSERA_TYPE_GENERATE_ACCOUNT_ROW, NULL);
}

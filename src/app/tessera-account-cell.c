/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-account-cell"

#include "config.h"

#include "tessera-account-cell.h"
#include "tessera-account-text.h"

/*
 * Unlike the app's other widgets, cells are built in code, not from a template: a column view
 * makes about 200 rows at a time (1 000 cells) and makes them again when a search replaces the
 * rows on screen, and GtkBuilder made that the largest part of a keystroke at 100 000 accounts.
 * A cell makes only the children its column shows.
 */
struct _TesseraAccountCell
{
  GtkWidget              parent_instance;

  /* Children, owned: icon and subtitle only where the column shows them */
  GtkImage              *icon;
  GtkLabel              *title;
  GtkLabel              *subtitle;

  /* Owned */
  TesseraAccount        *account;
  gulong                 notify_id;

  TesseraAccountsColumn  column;
};

G_DEFINE_FINAL_TYPE (TesseraAccountCell, tessera_account_cell, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_COLUMN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_icon_class (TesseraAccountCell *self,
                const char         *style_class)
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

static void
render_readiness (TesseraAccountCell *self)
{
  TesseraReadiness readiness = tessera_account_get_readiness (self->account);

  gtk_image_set_from_icon_name (self->icon, tessera_readiness_get_icon_name (readiness));
  set_icon_class (self, tessera_readiness_get_style_class (readiness));
  gtk_label_set_label (self->title, tessera_readiness_get_label (readiness));
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

static void
render_provisioning (TesseraAccountCell *self)
{
  TesseraProvisioningState state = tessera_account_get_provisioning_state (self->account);
  g_autofree char *text = NULL;

  text = tessera_account_describe_provisioning (self->account, g_get_real_time ());
  gtk_label_set_label (self->title, text);

  /* "Awaiting OTP approval" is what the admin has to act on: it stands out (in words too) */
  if (state == TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->title), "awaiting-approval");
      gtk_widget_add_css_class (GTK_WIDGET (self->title), "accent");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->title), "awaiting-approval");
      gtk_widget_remove_css_class (GTK_WIDGET (self->title), "accent");
    }
}

static void
render (TesseraAccountCell *self)
{
  if (self->account == NULL)
    {
      gtk_label_set_label (self->title, "");
      if (self->subtitle != NULL)
        gtk_label_set_label (self->subtitle, "");
      return;
    }

  switch (self->column)
    {
    case TESSERA_ACCOUNTS_COLUMN_NAME:
      gtk_label_set_label (self->title, tessera_account_get_display_name (self->account));
      gtk_label_set_label (self->subtitle, tessera_account_get_upn (self->account));
      break;

    case TESSERA_ACCOUNTS_COLUMN_SITE:
      gtk_label_set_label (self->title, tessera_account_get_site (self->account));
      break;

    case TESSERA_ACCOUNTS_COLUMN_READINESS:
      render_readiness (self);
      break;

    case TESSERA_ACCOUNTS_COLUMN_PROVISIONING:
      render_provisioning (self);
      break;

    case TESSERA_ACCOUNTS_COLUMN_UPDATED:
      {
        g_autofree char *text =
          tessera_format_updated (tessera_account_get_updated_at_unix_usec (self->account),
                                  g_get_real_time ());

        gtk_label_set_label (self->title, text);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
on_account_notify (TesseraAccountCell *self)
{
  render (self);
}

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

void
tessera_account_cell_refresh (TesseraAccountCell *self)
{
  g_return_if_fail (TESSERA_IS_ACCOUNT_CELL (self));

  if (self->column == TESSERA_ACCOUNTS_COLUMN_PROVISIONING ||
      self->column == TESSERA_ACCOUNTS_COLUMN_UPDATED)
    render (self);
}

static void
tessera_account_cell_constructed (GObject *object)
{
  TesseraAccountCell *self = (TesseraAccountCell *) object;

  GtkBoxLayout *layout;

  G_OBJECT_CLASS (tessera_account_cell_parent_class)->constructed (object);

  layout = GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self)));

  if (self->column == TESSERA_ACCOUNTS_COLUMN_READINESS)
    {
      self->icon = GTK_IMAGE (gtk_image_new ());
      gtk_widget_set_valign (GTK_WIDGET (self->icon), GTK_ALIGN_CENTER);
      gtk_widget_set_parent (GTK_WIDGET (self->icon), GTK_WIDGET (self));
      gtk_box_layout_set_spacing (layout, 6);
      gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
      g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
    }

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_ellipsize (self->title, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->title), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->title), GTK_ALIGN_CENTER);
  gtk_widget_set_parent (GTK_WIDGET (self->title), GTK_WIDGET (self));
  if (self->column == TESSERA_ACCOUNTS_COLUMN_UPDATED)
    gtk_widget_add_css_class (GTK_WIDGET (self->title), "numeric");
  /* Statuses wrap onto the row's second line in narrow windows instead of losing words */
  if (self->column == TESSERA_ACCOUNTS_COLUMN_READINESS ||
      self->column == TESSERA_ACCOUNTS_COLUMN_PROVISIONING)
    {
      gtk_label_set_wrap (self->title, TRUE);
      gtk_label_set_wrap_mode (self->title, PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (self->title, 2);
    }

  if (self->column == TESSERA_ACCOUNTS_COLUMN_NAME)
    {
      gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
      self->subtitle = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (self->subtitle, 0);
      gtk_label_set_ellipsize (self->subtitle, PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (GTK_WIDGET (self->subtitle), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->subtitle), "caption");
      gtk_widget_set_parent (GTK_WIDGET (self->subtitle), GTK_WIDGET (self));
    }
}

static void
tessera_account_cell_dispose (GObject *object)
{
  TesseraAccountCell *self = (TesseraAccountCell *) object;

  g_clear_signal_handler (&self->notify_id, self->account);
  g_clear_object (&self->account);
  g_clear_pointer ((GtkWidget **) &self->icon, gtk_widget_unparent);
  g_clear_pointer ((GtkWidget **) &self->title, gtk_widget_unparent);
  g_clear_pointer ((GtkWidget **) &self->subtitle, gtk_widget_unparent);

  G_OBJECT_CLASS (tessera_account_cell_parent_class)->dispose (object);
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
  object_class->get_property = tessera_account_cell_get_property;
  object_class->set_property = tessera_account_cell_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, TESSERA_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLUMN] =
    g_param_spec_int ("column", NULL, NULL,
                      TESSERA_ACCOUNTS_COLUMN_NAME, TESSERA_ACCOUNTS_COLUMN_UPDATED,
                      TESSERA_ACCOUNTS_COLUMN_NAME,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tessera-account-cell");
}

static void
tessera_account_cell_init (TesseraAccountCell *self)
{
}

GtkWidget *
tessera_account_cell_new (TesseraAccountsColumn column)
{
  return g_object_new (TESSERA_TYPE_ACCOUNT_CELL, "column", column, NULL);
}

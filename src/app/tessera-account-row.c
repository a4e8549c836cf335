/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-account-row"

#include "config.h"

#include "tessera-account.h"
#include "tessera-account-row-private.h"

struct _TesseraAccountRow
{
  GObject         parent_instance;

  TesseraAccount *account;   /* owned */
  guint           position;  /* kept by TesseraAccountRows */
};

G_DEFINE_FINAL_TYPE (TesseraAccountRow, tessera_account_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

TesseraAccount *
tessera_account_row_get_account (TesseraAccountRow *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

TesseraAccountRow *
_tessera_account_row_new (guint           position,
                          TesseraAccount *account)
{
  TesseraAccountRow *self = g_object_new (TESSERA_TYPE_ACCOUNT_ROW, NULL);

  self->position = position;
  self->account = g_object_ref (account);
  return self;
}

guint
_tessera_account_row_get_position (TesseraAccountRow *self)
{
  return self->position;
}

void
_tessera_account_row_set_position (TesseraAccountRow *self,
                                   guint              position)
{
  self->position = position;
}

void
_tessera_account_row_set_account (TesseraAccountRow *self,
                                  TesseraAccount    *account)
{
  if (g_set_object (&self->account, account))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

static void
tessera_account_row_finalize (GObject *object)
{
  TesseraAccountRow *self = (TesseraAccountRow *) object;

  g_clear_object (&self->account);

  G_OBJECT_CLASS (tessera_account_row_parent_class)->finalize (object);
}

static void
tessera_account_row_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TesseraAccountRow *self = TESSERA_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_account_row_class_init (TesseraAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tessera_account_row_finalize;
  object_class->get_property = tessera_account_row_get_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, TESSERA_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_account_row_init (TesseraAccountRow *self)
{
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-accounts-model.h"

G_BEGIN_DECLS

/* Shared by tessera-accounts-model.c and tessera-accounts-model-selection.c only. */

typedef struct {
  TesseraAccount *account;        /* owned */
  char           *keys;           /* owned: search key, NUL, collate key of the name, NUL */
  const char     *site_key;       /* collate key of the site, from the process-wide cache */
  guint32         collate_offset;
  guint           matches : 1;
  guint           selected : 1;
  /* in the batch being added; not yet in `all` or `visible` */
  guint           pending : 1;
} TesseraAccountsEntry;

/* What a column sorter knows: shared by the sorter and the model, which clears `model` */
typedef struct {
  TesseraAccountsModel  *model;
  TesseraAccountsColumn  column;
} TesseraAccountsSorterData;

struct _TesseraAccountsModel
{
  GObject      parent_instance;

  GPtrArray   *all;              /* TesseraAccountsEntry*, owned, sorted */
  GPtrArray   *visible;          /* TesseraAccountsEntry*, borrowed from all, sorted */
  /* id → TesseraAccountsEntry*. The key is the entry's account's own id, not a copy (3 MB
   * at 100 000 accounts): an account keeps its id for life (update_one() merges only an
   * account of the same id), and an entry leaves this table before its account goes. */
  GHashTable  *by_id;

  char        *query;            /* as set */
  char        *folded_query;     /* as matched */
  int          readiness_filter;
  int          provisioning_filter;

  GtkSorter   *sorter;           /* owned, may be NULL */
  gboolean     sorter_is_none;   /* the sorter sorts nothing: fall back to names only */
  GPtrArray   *sorter_data;      /* TesseraAccountsSorterData*, one reference each */
  /* the pair being compared, for the column sorters */
  const TesseraAccountsEntry *cmp_a;
  const TesseraAccountsEntry *cmp_b;

  guint        n_selected;
  guint        provisioning_counts[TESSERA_PROVISIONING_OTP_REVOKED + 1];
  gint64       newest_update;
};

guint _tessera_accounts_model_find_entry           (TesseraAccountsModel       *self,
                                                   GPtrArray                  *array,
                                                   const TesseraAccountsEntry *entry);
void  _tessera_accounts_model_notify_n_selected    (TesseraAccountsModel       *self);
void  _tessera_accounts_model_selection_model_init (GtkSelectionModelInterface *iface);

/* tessera-accounts-model-keys.c */
char *_tessera_accounts_fold                       (const char                 *text);
void  _tessera_accounts_entry_make_keys            (TesseraAccountsEntry       *entry);
void  _tessera_accounts_sorter_data_release        (TesseraAccountsSorterData  *data);
int   _tessera_accounts_model_compare              (TesseraAccountsModel       *self,
                                                   const TesseraAccountsEntry *a,
                                                   const TesseraAccountsEntry *b);
int   _tessera_accounts_model_compare_ptrs         (gconstpointer               a,
                                                   gconstpointer               b,
                                                   gpointer                    user_data);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * The resource accounts of one session, as one list that stays fast at 100 000 accounts
 * (DESIGN §5, "The list model at scale").
 *
 * All accounts live in one array, sorted once (collate keys computed once per account) and
 * re-sorted only when the sort order changes. The visible list is an index into that array,
 * rebuilt on each change of the search or the filters from pre-casefolded search keys and
 * announced with a single items-changed. A query that extends the previous one only filters
 * the current matches.
 *
 * The model is also its own GtkSelectionModel, and the selection belongs to the accounts, not
 * to positions: an account stays selected while a search hides it and after a re-sort, so an
 * admin can select rooms, search, and select more. select_all() adds the visible accounts;
 * unselect_all() and a plain click (unselect_rest) clear every account, hidden ones too, since
 * that is what "select only this" means to a person.
 *
 * Live updates (tessera_accounts_model_update()) change the existing account object in place
 * (its rows follow notify::), and items-changed is emitted for one position only when the
 * account enters or leaves the visible list or moves in the sort order.
 */

#define TESSERA_TYPE_ACCOUNTS_MODEL (tessera_accounts_model_get_type ())

G_DECLARE_FINAL_TYPE (TesseraAccountsModel, tessera_accounts_model,
                      TESSERA, ACCOUNTS_MODEL, GObject)

typedef enum {
  TESSERA_ACCOUNTS_COLUMN_NAME,
  TESSERA_ACCOUNTS_COLUMN_SITE,
  TESSERA_ACCOUNTS_COLUMN_READINESS,
  TESSERA_ACCOUNTS_COLUMN_PROVISIONING,
  TESSERA_ACCOUNTS_COLUMN_UPDATED,
} TesseraAccountsColumn;

/* The value of a readiness or provisioning filter that lets every account through */
#define TESSERA_ACCOUNTS_FILTER_ANY (-1)

TesseraAccountsModel *tessera_accounts_model_new    (void);
/*
 * A second model over the same account objects as @source (their keys copied, nothing folded
 * or collated again), sorted by name, with its own search, filters and an empty selection:
 * for views such as the Generate OTP assistant's account list. Live updates reach it through
 * the shared account objects; it does not follow @source's later additions.
 */
TesseraAccountsModel *tessera_accounts_model_new_sharing (TesseraAccountsModel *source);

/* Adds new accounts and updates the ones already known (by id); takes its own references. */
void                  tessera_accounts_model_add    (TesseraAccountsModel  *self,
                                                     TesseraAccount *const *accounts,
                                                     guint                  n_accounts);
/* One live update: updates the known account in place, or adds a new one. */
void                  tessera_accounts_model_update (TesseraAccountsModel  *self,
                                                     TesseraAccount        *account);
void                  tessera_accounts_model_remove_all (TesseraAccountsModel *self);
/* transfer none; NULL when unknown */
TesseraAccount       *tessera_accounts_model_lookup (TesseraAccountsModel  *self,
                                                     const char            *id);

/* Every account, whether the filters show it or not */
guint       tessera_accounts_model_get_n_accounts      (TesseraAccountsModel     *self);
/* Every account in the sort order, whether the filters show it or not (transfer full) */
GPtrArray  *tessera_accounts_model_get_accounts        (TesseraAccountsModel     *self);
guint       tessera_accounts_model_count_provisioning  (TesseraAccountsModel     *self,
                                                        TesseraProvisioningState  state);
/* The newest updated_at of all accounts in microseconds (0 when empty), for updated_since */
gint64      tessera_accounts_model_get_newest_update   (TesseraAccountsModel     *self);

const char *tessera_accounts_model_get_query           (TesseraAccountsModel     *self);
void        tessera_accounts_model_set_query           (TesseraAccountsModel     *self,
                                                        const char               *query);
/* A TesseraReadiness or TESSERA_ACCOUNTS_FILTER_ANY */
int         tessera_accounts_model_get_readiness_filter (TesseraAccountsModel    *self);
void        tessera_accounts_model_set_readiness_filter (TesseraAccountsModel    *self,
                                                         int                      readiness);
/* A TesseraProvisioningState or TESSERA_ACCOUNTS_FILTER_ANY */
int         tessera_accounts_model_get_provisioning_filter (TesseraAccountsModel *self);
void        tessera_accounts_model_set_provisioning_filter (TesseraAccountsModel *self,
                                                            int                   state);
/* Whether @account passes the current search and filters */
gboolean    tessera_accounts_model_matches             (TesseraAccountsModel     *self,
                                                        TesseraAccount           *account);

/*
 * The sort order: usually the sorter of a GtkColumnView whose columns have sorters from
 * tessera_accounts_model_create_sorter(). The model re-sorts when it changes; accounts it
 * finds equal are ordered by name. NULL sorts by name.
 */
GtkSorter  *tessera_accounts_model_get_sorter          (TesseraAccountsModel     *self);
void        tessera_accounts_model_set_sorter          (TesseraAccountsModel     *self,
                                                        GtkSorter                *sorter);
/* A sorter for one column that compares the keys this model keeps (transfer full) */
GtkSorter  *tessera_accounts_model_create_sorter       (TesseraAccountsModel     *self,
                                                        TesseraAccountsColumn     column);

guint       tessera_accounts_model_get_n_selected      (TesseraAccountsModel     *self);
/* The selected accounts in the current sort order, hidden ones too (transfer full) */
GPtrArray  *tessera_accounts_model_get_selected        (TesseraAccountsModel     *self);
gboolean    tessera_accounts_model_get_account_selected (TesseraAccountsModel    *self,
                                                         TesseraAccount          *account);
void        tessera_accounts_model_set_account_selected (TesseraAccountsModel    *self,
                                                         TesseraAccount          *account,
                                                         gboolean                 selected);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `ui`: TesseraAccountRows, what the accounts table shows of TesseraAccountsModel,
 * checked through a "view" that does what GTK's list widgets do with it: it holds the items
 * of the first rows and applies nothing but the items-changed signals it receives. After
 * every change it must hold the rows at their positions, showing the model's accounts; a
 * search must keep the rows and change their accounts; a live update must pass through.
 */
#include "config.h"

#include "tessera-account-row.h"
#include "tessera-account-rows.h"
#include "tessera-accounts-model.h"
#include "test-ui-common.h"

#define N_ACCOUNTS 1500
#define VIEW_ROWS  205      /* what a GtkColumnView of GTK 4.8 keeps */

static const char *const sites[] = { "Oslo", "Bergen", "Tromsø", "Ålesund", "Aarhus" };
static const char *const words[] = { "Fjord", "Nordlys", "Holmen", "Sentrum", "Heron" };

static GPtrArray *
make_accounts (guint n)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);

  for (guint i = 0; i < n; i++)
    {
      const char *site = sites[g_rand_int_range (rand, 0, G_N_ELEMENTS (sites))];
      g_autofree char *id = g_strdup_printf ("acc-%05u", i);
      g_autofree char *upn = g_strdup_printf ("%s@rooms.example.org", id);
      g_autofree char *name = g_strdup_printf ("%s %d.%02d %s", site,
                                               g_rand_int_range (rand, 1, 9),
                                               g_rand_int_range (rand, 1, 40),
                                               words[g_rand_int_range (rand, 0,
                                                                       G_N_ELEMENTS (words))]);
      TesseraAccount *account = tessera_account_new (id, name, upn, site,
                                                     i % 7 == 0 ? NULL : "Pro", NULL);

      tessera_account_set_updated_at_unix_usec (account, (i + 1) * (gint64) 1000);
      g_ptr_array_add (accounts, account);
    }

  return accounts;
}

/* What a list widget does: holds the first VIEW_ROWS items, follows items-changed only */
typedef struct {
  GListModel *list;
  guint       n_items;
  GPtrArray  *held;          /* TesseraAccountRow, one per position < VIEW_ROWS */
  guint       n_announced;   /* items removed + added within the held rows, so far */
  guint       n_signals;
  guint       first_added;   /* items added by the first signal since the counters were reset */
} View;

static void
on_view_items_changed (GListModel *list,
                       guint       position,
                       guint       removed,
                       guint       added,
                       View       *view)
{
  /* The list must already be what the signal says */
  g_assert_cmpuint (position + removed, <=, view->n_items);
  view->n_items = view->n_items - removed + added;
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, view->n_items);

  if (view->n_signals++ == 0)
    view->first_added = added;

  if (position < view->held->len)
    {
      guint gone = MIN (removed, view->held->len - position);

      view->n_announced += gone + MIN (added, VIEW_ROWS - MIN (VIEW_ROWS, position));
      g_ptr_array_remove_range (view->held, position, gone);
      for (guint i = 0; i < added && position + i < VIEW_ROWS; i++)
        g_ptr_array_insert (view->held, position + i, g_list_model_get_item (list, position + i));
    }
  /* Rows pushed past the window go, rows that come into it are made */
  if (view->held->len > VIEW_ROWS)
    g_ptr_array_set_size (view->held, VIEW_ROWS);
  while (view->held->len < MIN (VIEW_ROWS, view->n_items))
    g_ptr_array_add (view->held, g_list_model_get_item (list, view->held->len));
}

static void
view_init (View       *view,
           GListModel *list)
{
  view->list = list;
  view->n_items = g_list_model_get_n_items (list);
  view->held = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < MIN (VIEW_ROWS, view->n_items); i++)
    g_ptr_array_add (view->held, g_list_model_get_item (list, i));
  g_signal_connect (list, "items-changed", G_CALLBACK (on_view_items_changed), view);
}

static void
view_clear (View *view)
{
  g_signal_handlers_disconnect_by_data (view->list, view);
  g_clear_pointer (&view->held, g_ptr_array_unref);
}

static void
view_reset_counters (View *view)
{
  view->n_announced = view->n_signals = view->first_added = 0;
}

/* The rows have caught up with the model (they grow in steps) and show its accounts */
static void
assert_shows_the_model (View                 *view,
                        TesseraAccountsModel *model)
{
  GListModel *accounts = G_LIST_MODEL (model);

  ui_test_wait_until (g_list_model_get_n_items (view->list) == g_list_model_get_n_items (accounts));
  g_assert_cmpuint (view->n_items, ==, g_list_model_get_n_items (accounts));

  for (guint i = 0; i < view->n_items; i++)
    {
      g_autoptr(TesseraAccountRow) row = g_list_model_get_item (view->list, i);
      g_autoptr(TesseraAccount) account = g_list_model_get_item (accounts, i);

      g_assert_true (tessera_account_row_get_account (row) == account);
      if (i < view->held->len)
        g_assert_true (g_ptr_array_index (view->held, i) == row);
    }
}

typedef struct {
  TesseraAccountsModel *model;
  TesseraAccountRows   *rows;
  GPtrArray            *accounts;
  View                  view;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->model = tessera_accounts_model_new ();
  fixture->accounts = make_accounts (N_ACCOUNTS);
  tessera_accounts_model_add (fixture->model, (TesseraAccount **) fixture->accounts->pdata,
                              fixture->accounts->len);
  fixture->rows = tessera_account_rows_new (fixture->model);
  view_init (&fixture->view, G_LIST_MODEL (fixture->rows));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  view_clear (&fixture->view);
  g_clear_object (&fixture->rows);
  g_clear_object (&fixture->model);
  g_clear_pointer (&fixture->accounts, g_ptr_array_unref);
}

static void
test_rows_show_the_models_accounts_through_any_change (Fixture       *fixture,
                                                       gconstpointer  data)
{
  static const char *const queries[] = {
    "o", "os", "oslo", "oslo 4", "oslo ", "", "xqz", "", "heron", "he", "b", "bergen 1", "",
  };

  assert_shows_the_model (&fixture->view, fixture->model);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      tessera_accounts_model_set_query (fixture->model, queries[i]);
      assert_shows_the_model (&fixture->view, fixture->model);
    }

  /* Changes that come while the list is still growing */
  tessera_accounts_model_set_query (fixture->model, "xqz");
  tessera_accounts_model_set_query (fixture->model, "");
  tessera_accounts_model_set_query (fixture->model, "o");
  tessera_accounts_model_set_readiness_filter (fixture->model,
                                               TESSERA_READINESS_NO_VALID_LICENSE);
  assert_shows_the_model (&fixture->view, fixture->model);
  tessera_accounts_model_set_readiness_filter (fixture->model, TESSERA_ACCOUNTS_FILTER_ANY);
  tessera_accounts_model_set_query (fixture->model, "");
  assert_shows_the_model (&fixture->view, fixture->model);
}

static void
on_row_account (TesseraAccountRow *row,
                GParamSpec        *pspec,
                guint             *n_notified)
{
  (*n_notified)++;
}

static void
test_a_search_keeps_the_rows_and_changes_their_accounts (Fixture       *fixture,
                                                         gconstpointer  data)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_notified = 0;

  for (guint i = 0; i < fixture->view.held->len; i++)
    g_ptr_array_add (before, g_object_ref (g_ptr_array_index (fixture->view.held, i)));
  for (guint i = 0; i < before->len; i++)
    g_signal_connect (g_ptr_array_index (before, i), "notify::account",
                      G_CALLBACK (on_row_account), &n_notified);

  /* Replaces nearly every account on screen, and still leaves more than a screen */
  view_reset_counters (&fixture->view);
  tessera_accounts_model_set_query (fixture->model, "os");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), >, VIEW_ROWS);
  assert_shows_the_model (&fixture->view, fixture->model);

  /* The same row objects at the same positions, showing other accounts */
  g_assert_cmpuint (fixture->view.n_announced, ==, 0);
  for (guint i = 0; i < before->len; i++)
    g_assert_true (g_ptr_array_index (fixture->view.held, i) == g_ptr_array_index (before, i));
  g_assert_cmpuint (n_notified, >, VIEW_ROWS / 2);

  for (guint i = 0; i < before->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (before, i), &n_notified);
}

static void
test_a_growing_list_comes_in_steps (Fixture       *fixture,
                                    gconstpointer  data)
{
  tessera_accounts_model_set_query (fixture->model, "xqz");
  assert_shows_the_model (&fixture->view, fixture->model);
  g_assert_cmpuint (fixture->view.n_items, ==, 0);

  view_reset_counters (&fixture->view);
  tessera_accounts_model_set_query (fixture->model, "");

  /* The first rows at once, the others later, and in the end all of them */
  g_assert_cmpuint (fixture->view.first_added, >, 0);
  g_assert_cmpuint (fixture->view.first_added, <, VIEW_ROWS);
  g_assert_cmpuint (fixture->view.n_items, <, N_ACCOUNTS);
  assert_shows_the_model (&fixture->view, fixture->model);
  g_assert_cmpuint (fixture->view.n_signals, >, 1);
}

static void
test_a_live_update_passes_through (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(TesseraAccountRow) first_row = g_list_model_get_item (G_LIST_MODEL (fixture->rows),
                                                                  0);
  TesseraAccount *first = tessera_account_row_get_account (first_row);
  g_autoptr(TesseraAccount) renamed = NULL;
  g_autoptr(TesseraAccountRow) second_row = g_list_model_get_item (G_LIST_MODEL (fixture->rows),
                                                                   1);
  TesseraAccount *second = tessera_account_row_get_account (second_row);

  /* The first account moves to the end of the list */
  renamed = tessera_account_new (tessera_account_get_id (first), "Zzz Last Room",
                                 tessera_account_get_upn (first), tessera_account_get_site (first),
                                 tessera_account_get_license (first), NULL);
  view_reset_counters (&fixture->view);
  tessera_accounts_model_update (fixture->model, renamed);
  assert_shows_the_model (&fixture->view, fixture->model);

  /* One row left the top, the others moved up with their accounts */
  g_assert_cmpuint (fixture->view.n_announced, ==, 1);
  g_assert_true (g_ptr_array_index (fixture->view.held, 0) == second_row);
  g_assert_true (tessera_account_row_get_account (second_row) == second);
}

static void
on_selection_changed (GtkSelectionModel *rows,
                      guint              position,
                      guint              n_items,
                      guint             *n_changes)
{
  (*n_changes)++;
}

static void
test_selection_is_the_models (Fixture       *fixture,
                              gconstpointer  data)
{
  GtkSelectionModel *rows = GTK_SELECTION_MODEL (fixture->rows);
  g_autoptr(TesseraAccountRow) row = NULL;
  TesseraAccount *account;
  guint n_changes = 0;

  g_signal_connect (rows, "selection-changed", G_CALLBACK (on_selection_changed), &n_changes);

  g_assert_true (gtk_selection_model_select_item (rows, 3, TRUE));
  row = g_list_model_get_item (G_LIST_MODEL (fixture->rows), 3);
  account = tessera_account_row_get_account (row);
  g_assert_true (tessera_accounts_model_get_account_selected (fixture->model, account));
  g_assert_true (gtk_selection_model_is_selected (rows, 3));
  g_assert_cmpuint (n_changes, >, 0);

  /* A search that shows other accounts in the rows says the selection changed there */
  n_changes = 0;
  tessera_accounts_model_set_query (fixture->model, "os");
  assert_shows_the_model (&fixture->view, fixture->model);
  g_assert_cmpuint (n_changes, >, 0);
  for (guint i = 0; i < fixture->view.n_items; i++)
    {
      g_autoptr(TesseraAccountRow) shown = g_list_model_get_item (G_LIST_MODEL (fixture->rows), i);

      g_assert_cmpint (gtk_selection_model_is_selected (rows, i), ==,
                       tessera_accounts_model_get_account_selected (
                         fixture->model, tessera_account_row_get_account (shown)));
    }
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add ("/ui/rows/show-the-models-accounts-through-any-change", Fixture, NULL,
              fixture_set_up, test_rows_show_the_models_accounts_through_any_change,
              fixture_tear_down);
  g_test_add ("/ui/rows/a-search-keeps-the-rows-and-changes-their-accounts", Fixture, NULL,
              fixture_set_up, test_a_search_keeps_the_rows_and_changes_their_accounts,
              fixture_tear_down);
  g_test_add ("/ui/rows/a-growing-list-comes-in-steps", Fixture, NULL,
              fixture_set_up, test_a_growing_list_comes_in_steps, fixture_tear_down);
  g_test_add ("/ui/rows/a-live-update-passes-through", Fixture, NULL,
              fixture_set_up, test_a_live_update_passes_through, fixture_tear_down);
  g_test_add ("/ui/rows/selection-is-the-models", Fixture, NULL,
              fixture_set_up, test_selection_is_the_models, fixture_tear_down);

  return g_test_run ();
}

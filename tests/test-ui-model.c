/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `ui`: TesseraAccountsModel, the list behind the accounts table, checked against a
 * plain scan of the same accounts and against a mirror that applies only its items-changed
 * signals (what a list view sees).
 */
#include "config.h"

#include <string.h>

#include "tessera-account-text.h"
#include "tessera-accounts-model.h"
#include "test-ui-common.h"

static const char *const sites[] = { "Oslo", "Bergen", "Tromsø", "Ålesund", "Aarhus", "oslo" };
static const char *const words[] = { "Fjord", "Nordlys", "Holmen", "Sentrum", "Øst", "Vest" };

static TesseraAccount *
make_account (const char               *id,
              const char               *name,
              const char               *site,
              TesseraReadiness          readiness,
              TesseraProvisioningState  state,
              gint64                    updated)
{
  static const char *const issues[] = { TESSERA_READINESS_ISSUE_PASSWORD_EXPIRES, NULL };
  g_autofree char *upn = g_strdup_printf ("%s@rooms.example.org", id);
  TesseraAccount *account;

  account = tessera_account_new (id, name, upn, site,
                                 readiness == TESSERA_READINESS_NO_VALID_LICENSE ? NULL : "Pro",
                                 readiness == TESSERA_READINESS_CHANGE_SETTINGS ? issues : NULL);
  tessera_account_set_provisioning_state (account, state);
  tessera_account_set_updated_at_unix_usec (account, updated);
  g_assert_cmpint (tessera_account_get_readiness (account), ==, readiness);

  return account;
}

/* Deterministic pseudo-random accounts (a fixed seed: a failure can be replayed) */
static GPtrArray *
make_accounts (guint n,
               guint seed)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (guint i = 0; i < n; i++)
    {
      const char *site = sites[g_rand_int_range (rand, 0, G_N_ELEMENTS (sites))];
      const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
      g_autofree char *id = g_strdup_printf ("acc-%05u", i);
      g_autofree char *name = g_strdup_printf ("%s %d.%02d %s", site,
                                               g_rand_int_range (rand, 1, 9),
                                               g_rand_int_range (rand, 1, 40), word);

      g_ptr_array_add (accounts,
                       make_account (id, name, site, g_rand_int_range (rand, 0, 3),
                                     g_rand_int_range (rand, 0, 7),
                                     g_rand_int_range (rand, 1, 1000000) * (gint64) 1000));
    }

  return accounts;
}

/* A copy of the model kept up to date only through items-changed */
typedef struct {
  GListModel *model;
  GPtrArray  *items;
  guint       n_signals;
} Mirror;

static void
on_mirror_items_changed (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         Mirror     *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->items->len);
  g_ptr_array_remove_range (mirror->items, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror->items, position + i, g_list_model_get_item (model, position + i));
  mirror->n_signals++;
}

static Mirror *
mirror_new (TesseraAccountsModel *model)
{
  Mirror *mirror = g_new0 (Mirror, 1);

  mirror->model = G_LIST_MODEL (model);
  mirror->items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (mirror->model); i++)
    g_ptr_array_add (mirror->items, g_list_model_get_item (mirror->model, i));
  g_signal_connect (model, "items-changed", G_CALLBACK (on_mirror_items_changed), mirror);

  return mirror;
}

static void
mirror_free (Mirror *mirror)
{
  g_signal_handlers_disconnect_by_func (mirror->model, on_mirror_items_changed, mirror);
  g_ptr_array_unref (mirror->items);
  g_free (mirror);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Mirror, mirror_free)

static void
assert_mirror_matches (Mirror *mirror)
{
  g_assert_cmpuint (mirror->items->len, ==, g_list_model_get_n_items (mirror->model));
  for (guint i = 0; i < mirror->items->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (mirror->model, i);

      g_assert_true (item == g_ptr_array_index (mirror->items, i));
    }
}

/* The plain scan: what the list must show, in the order it must show it */
static char *
fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_DEFAULT_COMPOSE);

  return g_utf8_casefold (normalized, -1);
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  TesseraAccount *x = *(TesseraAccount **) a, *y = *(TesseraAccount **) b;
  int result = g_utf8_collate (tessera_account_get_display_name (x),
                               tessera_account_get_display_name (y));

  return result != 0 ? result : strcmp (tessera_account_get_id (x), tessera_account_get_id (y));
}

static gboolean
scan_matches (TesseraAccount *account,
              const char     *query,
              int             readiness,
              int             state)
{
  g_autofree char *folded_query = fold (query);
  const char *fields[] = {
    tessera_account_get_display_name (account),
    tessera_account_get_upn (account),
    tessera_account_get_site (account),
  };

  if (readiness >= 0 && (int) tessera_account_get_readiness (account) != readiness)
    return FALSE;
  if (state >= 0 && (int) tessera_account_get_provisioning_state (account) != state)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *folded = fold (fields[i]);

      if (strstr (folded, folded_query) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
assert_model_shows (TesseraAccountsModel *model,
                    GPtrArray            *accounts)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  const char *query = tessera_accounts_model_get_query (model);
  int readiness = tessera_accounts_model_get_readiness_filter (model);
  int state = tessera_accounts_model_get_provisioning_filter (model);

  for (guint i = 0; i < accounts->len; i++)
    if (scan_matches (g_ptr_array_index (accounts, i), query, readiness, state))
      g_ptr_array_add (expected, g_ptr_array_index (accounts, i));
  g_ptr_array_sort (expected, compare_by_name);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(TesseraAccount) shown = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpstr (tessera_account_get_id (shown), ==,
                       tessera_account_get_id (g_ptr_array_index (expected, i)));
    }
}

static void
test_sorts_by_name_with_collation (void)
{
  g_autoptr(TesseraAccountsModel) model = tessera_accounts_model_new ();
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  const char *names[] = { "oslo 2", "Bergen 1", "Oslo 1", "bergen 2", "Ålesund", "Aarhus",
                          "Oslo 1" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *id = g_strdup_printf ("id-%u", (guint) (G_N_ELEMENTS (names) - i));

      g_ptr_array_add (accounts, make_account (id, names[i], "Oslo", TESSERA_READINESS_READY,
                                               TESSERA_PROVISIONING_NOT_STARTED, 1));
    }

  tessera_accounts_model_add (model, (TesseraAccount **) accounts->pdata, accounts->len);

  assert_model_shows (model, accounts);
  g_assert_cmpuint (tessera_accounts_model_get_n_accounts (model), ==, G_N_ELEMENTS (names));
}

static void
test_search_and_filters_agree_with_a_plain_scan (void)
{
  g_autoptr(TesseraAccountsModel) model = tessera_accounts_model_new ();
  g_autoptr(GPtrArray) accounts = make_accounts (3000, 1);
  g_autoptr(Mirror) mirror = NULL;
  /* Typing, extending, deleting, replacing; non-ASCII and case on both sides */
  const char *queries[] = { "o", "os", "osl", "oslo", "oslo ", "oslo 3", "oslo 3.1", "oslo 3",
                            "", "TROMS", "tromsø", "ø", "ål", "ÅLESUND 2", "@rooms", "acc-0012",
                            "zzz", "", "fjord", "fjord", "nord", "" };

  tessera_accounts_model_add (model, (TesseraAccount **) accounts->pdata, accounts->len);
  mirror = mirror_new (model);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      guint before = mirror->n_signals;

      tessera_accounts_model_set_query (model, queries[i]);
      assert_model_shows (model, accounts);
      assert_mirror_matches (mirror);
      /* A change of the search is announced with at most one items-changed */
      g_assert_cmpuint (mirror->n_signals - before, <=, 1);
    }

  for (int readiness = -1; readiness <= TESSERA_READINESS_NO_VALID_LICENSE; readiness++)
    for (int state = -1; state <= TESSERA_PROVISIONING_OTP_REVOKED; state++)
      {
        tessera_accounts_model_set_readiness_filter (model, readiness);
        tessera_accounts_model_set_provisioning_filter (model, state);
        tessera_accounts_model_set_query (model, state % 2 ? "bergen" : "");
        assert_model_shows (model, accounts);
        assert_mirror_matches (mirror);
      }
}

static void
test_batches_merge_in_order_and_update_known_accounts (void)
{
  g_autoptr(TesseraAccountsModel) model = tessera_accounts_model_new ();
  g_autoptr(GPtrArray) accounts = make_accounts (2500, 2);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(Mirror) mirror = mirror_new (model);
  guint done = 0;

  /* Loading with a search already typed, in batches of every size */
  tessera_accounts_model_set_query (model, "bergen");
  while (done < accounts->len)
    {
      guint n = MIN (accounts->len - done, (guint) g_rand_int_range (rand, 1, 700));

      tessera_accounts_model_add (model, (TesseraAccount **) accounts->pdata + done, n);
      done += n;
      assert_mirror_matches (mirror);
    }
  assert_model_shows (model, accounts);

  /* The same accounts again (a second load): no duplicates, same objects */
  {
    g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < accounts->len; i++)
      {
        TesseraAccount *a = g_ptr_array_index (accounts, i);

        g_ptr_array_add (again, make_account (tessera_account_get_id (a),
                                              tessera_account_get_display_name (a),
                                              tessera_account_get_site (a),
                                              tessera_account_get_readiness (a),
                                              tessera_account_get_provisioning_state (a),
                                              tessera_account_get_updated_at_unix_usec (a)));
      }
    tessera_accounts_model_add (model, (TesseraAccount **) again->pdata, again->len);
  }
  g_assert_cmpuint (tessera_accounts_model_get_n_accounts (model), ==, accounts->len);
  g_assert_true (tessera_accounts_model_lookup (model, "acc-00007") ==
                 g_ptr_array_index (accounts, 7));
  tessera_accounts_model_set_query (model, "");
  assert_model_shows (model, accounts);
  assert_mirror_matches (mirror);
}

static guint notify_count;

static void
on_account_notify (void)
{
  notify_count++;
}

static void
test_live_update_changes_the_row_in_place (void)
{
  g_autoptr(TesseraAccountsModel) model = tessera_accounts_model_new ();
  g_autoptr(GPtrArray) accounts = make_accounts (400, 4);
  g_autoptr(Mirror) mirror = NULL;
  g_autoptr(TesseraAccount) fresh = NULL;
  TesseraAccount *target = g_ptr_array_index (accounts, 10);
  guint before;

  tessera_accounts_model_add (model, (TesseraAccount **) accounts->pdata, accounts->len);
  mirror = mirror_new (model);
  g_signal_connect (target, "notify", G_CALLBACK (on_account_notify), NULL);

  /* A new provisioning state that keeps its place: the object changes, no items-changed */
  fresh = make_account (tessera_account_get_id (target), tessera_account_get_display_name (target),
                        tessera_account_get_site (target), tessera_account_get_readiness (target),
                        TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL,
                        tessera_account_get_updated_at_unix_usec (target) + 1);
  before = mirror->n_signals;
  notify_count = 0;
  tessera_accounts_model_update (model, fresh);
  g_assert_cmpuint (mirror->n_signals, ==, before);
  g_assert_cmpuint (notify_count, >, 0);
  g_assert_cmpint (tessera_account_get_provisioning_state (target), ==,
                   TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);
  g_assert_true (tessera_accounts_model_lookup (model, tessera_account_get_id (target)) == target);

  /* With a filter it no longer passes: exactly one position goes */
  tessera_accounts_model_set_provisioning_filter (model,
                                                  TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);
  assert_mirror_matches (mirror);
  g_clear_object (&fresh);
  fresh = make_account (tessera_account_get_id (target), tessera_account_get_display_name (target),
                        tessera_account_get_site (target), tessera_account_get_readiness (target),
                        TESSERA_PROVISIONING_PROVISIONED,
                        tessera_account_get_updated_at_unix_usec (target) + 2);
  before = mirror->n_signals;
  tessera_accounts_model_update (model, fresh);
  g_assert_cmpuint (mirror->n_signals, ==, before + 1);
  assert_mirror_matches (mirror);
  assert_model_shows (model, accounts);

  /* A rename moves the row to its new place */
  tessera_accounts_model_set_provisioning_filter (model, TESSERA_ACCOUNTS_FILTER_ANY);
  g_clear_object (&fresh);
  fresh = make_account (tessera_account_get_id (target), "AAA First of all",
                        tessera_account_get_site (target), tessera_account_get_readiness (target),
                        TESSERA_PROVISIONING_PROVISIONED,
                        tessera_account_get_updated_at_unix_usec (target) + 3);
  tessera_accounts_model_update (model, fresh);
  assert_mirror_matches (mirror);
  assert_model_shows (model, accounts);
  {
    g_autoptr(TesseraAccount) first = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (first == target);
  }

  /* The renamed account is found by its new name and no longer by the old one */
  tessera_accounts_model_set_query (model, "first of all");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);

  g_signal_handlers_disconnect_by_func (target, on_account_notify, NULL);
}

static gboolean
is_selected_account (TesseraAccountsModel *model,
                     const char           *id)
{
  return tessera_accounts_model_get_account_selected (model,
                                                      tessera_accounts_model_lookup (model, id));
}

static guint
position_of (TesseraAccountsModel *model,
             const char           *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(TesseraAccount) account = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (g_str_equal (tessera_account_get_id (account), id))
        return i;
    }
  g_assert_not_reached ();
}

static void
test_selection_survives_search_and_sort (void)
{
  g_autoptr(TesseraAccountsModel) model = tessera_accounts_model_new ();
  g_autoptr(GPtrArray) accounts = make_accounts (600, 5);
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (model);
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  g_autoptr(GtkWidget) view_widget = NULL;
  GtkColumnView *view;

  tessera_accounts_model_add (model, (TesseraAccount **) accounts->pdata, accounts->len);

  /* Search Oslo, select one; search Bergen, select another: both stay selected */
  tessera_accounts_model_set_query (model, "oslo");
  g_assert_true (gtk_selection_model_select_item (selection, 3, TRUE));
  {
    g_autoptr(TesseraAccount) a = g_list_model_get_item (G_LIST_MODEL (model), 3);

    first_id = g_strdup (tessera_account_get_id (a));
  }
  tessera_accounts_model_set_query (model, "bergen");
  g_assert_cmpuint (tessera_accounts_model_get_n_selected (model), ==, 1);
  /* hidden by the search, still selected */
  g_assert_false (tessera_accounts_model_matches (model,
                                                  tessera_accounts_model_lookup (model, first_id)));
  g_assert_true (is_selected_account (model, first_id));
  g_assert_true (gtk_selection_model_select_item (selection, 0, FALSE));
  {
    g_autoptr(TesseraAccount) b = g_list_model_get_item (G_LIST_MODEL (model), 0);

    second_id = g_strdup (tessera_account_get_id (b));
  }
  tessera_accounts_model_set_query (model, "");
  g_assert_cmpuint (tessera_accounts_model_get_n_selected (model), ==, 2);
  g_assert_true (gtk_selection_model_is_selected (selection, position_of (model, first_id)));
  g_assert_true (gtk_selection_model_is_selected (selection, position_of (model, second_id)));

  /* Re-sorting (by site, from a column view) keeps them too */
  view_widget = g_object_ref_sink (gtk_column_view_new (NULL));
  view = GTK_COLUMN_VIEW (view_widget);
  for (int c = TESSERA_ACCOUNTS_COLUMN_NAME; c <= TESSERA_ACCOUNTS_COLUMN_UPDATED; c++)
    {
      g_autoptr(GtkColumnViewColumn) column = gtk_column_view_column_new ("c", NULL);
      g_autoptr(GtkSorter) sorter = tessera_accounts_model_create_sorter (model, c);

      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_append_column (view, column);
    }
  tessera_accounts_model_set_sorter (model, gtk_column_view_get_sorter (view));
  {
    g_autoptr(GtkColumnViewColumn) site =
      g_list_model_get_item (gtk_column_view_get_columns (view), TESSERA_ACCOUNTS_COLUMN_SITE);

    gtk_column_view_sort_by_column (view, site, GTK_SORT_DESCENDING);
  }
  g_assert_true (gtk_selection_model_is_selected (selection, position_of (model, first_id)));
  g_assert_true (gtk_selection_model_is_selected (selection, position_of (model, second_id)));
  {
    g_autoptr(GPtrArray) selected = tessera_accounts_model_get_selected (model);

    g_assert_cmpuint (selected->len, ==, 2);
  }

  /* A plain click (select only this) clears the hidden ones too */
  tessera_accounts_model_set_query (model, "oslo");
  g_assert_true (gtk_selection_model_select_item (selection, 0, TRUE));
  g_assert_cmpuint (tessera_accounts_model_get_n_selected (model), ==, 1);
  g_assert_false (is_selected_account (model, second_id));

  /* Select All takes what is shown; Unselect All clears everything */
  g_assert_true (gtk_selection_model_select_all (selection));
  g_assert_cmpuint (tessera_accounts_model_get_n_selected (model), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (model)));
  tessera_accounts_model_set_query (model, "");
  g_assert_true (gtk_selection_model_unselect_all (selection));
  g_assert_cmpuint (tessera_accounts_model_get_n_selected (model), ==, 0);

  tessera_accounts_model_set_sorter (model, NULL);
}

static void
test_column_sorters_follow_the_column_view (void)
{
  g_autoptr(TesseraAccountsModel) model = tessera_accounts_model_new ();
  g_autoptr(GPtrArray) accounts = make_accounts (800, 6);
  g_autoptr(GtkWidget) view_widget = g_object_ref_sink (gtk_column_view_new (NULL));
  GtkColumnView *view = GTK_COLUMN_VIEW (view_widget);
  g_autoptr(Mirror) mirror = NULL;

  tessera_accounts_model_add (model, (TesseraAccount **) accounts->pdata, accounts->len);
  for (int c = TESSERA_ACCOUNTS_COLUMN_NAME; c <= TESSERA_ACCOUNTS_COLUMN_UPDATED; c++)
    {
      g_autoptr(GtkColumnViewColumn) column = gtk_column_view_column_new ("c", NULL);
      g_autoptr(GtkSorter) sorter = tessera_accounts_model_create_sorter (model, c);

      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_append_column (view, column);
    }
  tessera_accounts_model_set_sorter (model, gtk_column_view_get_sorter (view));
  mirror = mirror_new (model);

  for (int c = TESSERA_ACCOUNTS_COLUMN_NAME; c <= TESSERA_ACCOUNTS_COLUMN_UPDATED; c++)
    for (int direction = GTK_SORT_ASCENDING; direction <= GTK_SORT_DESCENDING; direction++)
      {
        g_autoptr(GtkColumnViewColumn) column =
          g_list_model_get_item (gtk_column_view_get_columns (view), c);
        GtkSorter *sorter = gtk_column_view_column_get_sorter (column);
        guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

        gtk_column_view_sort_by_column (view, column, direction);
        assert_mirror_matches (mirror);

        /* Neighbours are in the column's order, in the chosen direction */
        for (guint i = 1; i < n; i++)
          {
            g_autoptr(TesseraAccount) a = g_list_model_get_item (G_LIST_MODEL (model), i - 1);
            g_autoptr(TesseraAccount) b = g_list_model_get_item (G_LIST_MODEL (model), i);
            GtkOrdering order = gtk_sorter_compare (sorter, a, b);

            if (direction == GTK_SORT_ASCENDING)
              g_assert_cmpint (order, !=, GTK_ORDERING_LARGER);
            else
              g_assert_cmpint (order, !=, GTK_ORDERING_SMALLER);
          }
      }

  tessera_accounts_model_set_sorter (model, NULL);
}

static guint awaiting_notifies;

static void
on_awaiting_notify (void)
{
  awaiting_notifies++;
}

static void
test_counts_accounts_awaiting_approval (void)
{
  g_autoptr(TesseraAccountsModel) model = tessera_accounts_model_new ();
  g_autoptr(GPtrArray) accounts = make_accounts (500, 7);
  g_autoptr(TesseraAccount) fresh = NULL;
  TesseraAccount *target = NULL;
  guint expected = 0;

  g_signal_connect (model, "notify::n-awaiting-approval", G_CALLBACK (on_awaiting_notify), NULL);
  tessera_accounts_model_add (model, (TesseraAccount **) accounts->pdata, accounts->len);

  for (guint i = 0; i < accounts->len; i++)
    {
      TesseraAccount *a = g_ptr_array_index (accounts, i);

      if (tessera_account_get_provisioning_state (a) == TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL)
        expected++;
      else if (target == NULL)
        target = a;
    }
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (tessera_accounts_model_count_provisioning (
                      model, TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL), ==, expected);

  awaiting_notifies = 0;
  fresh = make_account (tessera_account_get_id (target), tessera_account_get_display_name (target),
                        tessera_account_get_site (target), tessera_account_get_readiness (target),
                        TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL, 5);
  tessera_accounts_model_update (model, fresh);
  g_assert_cmpuint (tessera_accounts_model_count_provisioning (
                      model, TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL), ==, expected + 1);
  g_assert_cmpuint (awaiting_notifies, ==, 1);

  tessera_accounts_model_remove_all (model);
  g_assert_cmpuint (tessera_accounts_model_count_provisioning (
                      model, TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
}

static void
test_states_are_said_in_words (void)
{
  const char *codes[] = {
    TESSERA_READINESS_ISSUE_PASSWORD_EXPIRES, TESSERA_READINESS_ISSUE_CALENDAR_PROCESSING,
    TESSERA_READINESS_ISSUE_ACCOUNT_DISABLED, TESSERA_READINESS_ISSUE_MAILBOX_MISSING,
    "room_list_missing", NULL
  };
  const char *expected[] = {
    "The password expires", "Calendar processing is not set up", "The account is disabled",
    "The mailbox is missing", "Room list missing (reported by the server)",
  };
  const char *two[] = { codes[0], codes[1], NULL };
  g_autoptr(TesseraAccount) account = NULL;
  g_autofree char *tooltip = NULL;
  gint64 now = g_get_real_time ();

  /* The words of DESIGN §1 */
  g_assert_cmpstr (tessera_readiness_get_label (TESSERA_READINESS_READY), ==, "Ready");
  g_assert_cmpstr (tessera_readiness_get_label (TESSERA_READINESS_CHANGE_SETTINGS), ==,
                   "Change settings");
  g_assert_cmpstr (tessera_readiness_get_label (TESSERA_READINESS_NO_VALID_LICENSE), ==,
                   "No valid license");
  g_assert_cmpstr (tessera_provisioning_state_get_label (
                     TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL), ==, "Awaiting OTP approval");

  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autofree char *words_for_code = tessera_readiness_issue_describe (codes[i]);

      g_assert_cmpstr (words_for_code, ==, expected[i]);
    }

  account = tessera_account_new ("a", "Oslo 2.03 Nordlys", "oslo-2.03@example.org", "Oslo",
                                 "Pro", two);
  tooltip = tessera_account_describe_readiness (account);
  g_assert_cmpstr (tooltip, ==, "The password expires\nCalendar processing is not set up");

  {
    struct {
      TesseraProvisioningState  state;
      gint64                    expires_in;  /* 0: not set */
      const char               *text;
    } cases[] = {
      { TESSERA_PROVISIONING_NOT_STARTED, 0, "—" },
      { TESSERA_PROVISIONING_OTP_ISSUED, 5 * G_TIME_SPAN_HOUR - G_TIME_SPAN_MINUTE,
        "OTP issued · expires in 5 h" },
      { TESSERA_PROVISIONING_OTP_ISSUED, 25 * G_TIME_SPAN_MINUTE - G_TIME_SPAN_SECOND,
        "OTP issued · expires in 25 min" },
      { TESSERA_PROVISIONING_OTP_ISSUED, 3 * G_TIME_SPAN_DAY, "OTP issued · expires in 3 days" },
      { TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL, G_TIME_SPAN_HOUR, "Awaiting OTP approval" },
      { TESSERA_PROVISIONING_PROVISIONED, 0, "Provisioned" },
      { TESSERA_PROVISIONING_OTP_REJECTED, 0, "OTP rejected" },
      { TESSERA_PROVISIONING_OTP_EXPIRED, 0, "OTP expired" },
      { TESSERA_PROVISIONING_OTP_REVOKED, 0, "OTP revoked" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GDateTime) expires = NULL;
        g_autofree char *text = NULL;

        if (cases[i].expires_in != 0)
          expires = g_date_time_new_from_unix_utc ((now + cases[i].expires_in) / G_USEC_PER_SEC);
        tessera_account_set_provisioning (account, cases[i].state, NULL, NULL, expires, NULL);
        text = tessera_account_describe_provisioning (account, now);
        g_assert_cmpstr (text, ==, cases[i].text);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/model/sorts-by-name-with-collation-then-id",
                   test_sorts_by_name_with_collation);
  g_test_add_func ("/ui/model/search-and-filters-agree-with-a-plain-scan",
                   test_search_and_filters_agree_with_a_plain_scan);
  g_test_add_func ("/ui/model/batches-merge-in-order-and-update-known-accounts",
                   test_batches_merge_in_order_and_update_known_accounts);
  g_test_add_func ("/ui/model/live-update-changes-the-row-in-place",
                   test_live_update_changes_the_row_in_place);
  g_test_add_func ("/ui/model/selection-survives-search-and-sort",
                   test_selection_survives_search_and_sort);
  g_test_add_func ("/ui/model/column-sorters-follow-the-column-view",
                   test_column_sorters_follow_the_column_view);
  g_test_add_func ("/ui/model/counts-accounts-awaiting-approval",
                   test_counts_accounts_awaiting_approval);
  g_test_add_func ("/ui/text/states-and-readiness-issues-are-said-in-words",
                   test_states_are_said_in_words);

  return g_test_run ();
}

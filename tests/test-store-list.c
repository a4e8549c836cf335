/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-store-common.h"

/* Listing accounts and requests: keyset pagination, filters, cursors, updated_since. */

#define N_DEMO 1000

static void
import_demo (StoreFixture *fixture,
             guint         n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tessera_store_generate_demo_data (fixture->store, n, &error));
  g_assert_no_error (error);
}

/* Pages through the whole list; asserts each page's total equals the first page's. */
static GPtrArray *
list_all (StoreFixture               *fixture,
          const TesseraAccountFilter *filter,
          guint                       page_size,
          guint                      *total_out,
          guint                      *pages_out)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *cursor = NULL;
  guint first_total = 0;
  guint pages = 0;

  do
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *next = NULL;
      guint total = 0;

      page = tessera_store_list_accounts (fixture->store, filter, cursor, page_size, &next,
                                          &total, &error);
      g_assert_no_error (error);
      g_assert_nonnull (page);
      g_assert_cmpuint (page->len, <=, page_size);
      if (pages == 0)
        first_total = total;
      g_assert_cmpuint (total, ==, first_total);
      /* A cursor only when more follows: a full page is followed by a non-empty one. */
      if (next != NULL)
        g_assert_cmpuint (page->len, ==, page_size);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (page, i)));
      g_free (cursor);
      cursor = g_steal_pointer (&next);
      pages++;
    }
  while (cursor != NULL);

  if (total_out != NULL)
    *total_out = first_total;
  if (pages_out != NULL)
    *pages_out = pages;
  return all;
}

static int
compare_keys (TesseraAccount *a,
              TesseraAccount *b)
{
  int by_name = strcmp (tessera_account_get_display_name (a), tessera_account_get_display_name (b));

  return by_name != 0 ? by_name : strcmp (tessera_account_get_id (a), tessera_account_get_id (b));
}

static void
test_pagination_visits_every_account_once (StoreFixture  *fixture,
                                           gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) all = NULL;
  guint total = 0;
  guint pages = 0;

  import_demo (fixture, N_DEMO);
  all = list_all (fixture, NULL, 73, &total, &pages);

  g_assert_cmpuint (all->len, ==, N_DEMO);
  g_assert_cmpuint (total, ==, N_DEMO);
  g_assert_cmpuint (pages, ==, (N_DEMO + 72) / 73);
  for (guint i = 0; i < all->len; i++)
    {
      TesseraAccount *account = g_ptr_array_index (all, i);

      g_assert_true (g_hash_table_add (seen, (char *) tessera_account_get_id (account)));
      if (i > 0)
        g_assert_cmpint (compare_keys (g_ptr_array_index (all, i - 1), account), <, 0);
    }
}

static void
test_pages_stay_consistent_while_accounts_are_added (StoreFixture  *fixture,
                                                     gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *next = NULL;
  g_autofree char *early_id = NULL;
  guint total = 0;
  guint second_total = 0;

  import_demo (fixture, 200);
  first = tessera_store_list_accounts (fixture->store, NULL, NULL, 50, &cursor, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 200);

  /* Sorts before the cursor: must not appear on later pages, and must not shift them. */
  early_id = store_add_account (fixture, "AAA Early Room", "aaa-early@rooms.example.org", "Oslo",
                                "Teams Rooms Pro", NULL);
  second = tessera_store_list_accounts (fixture->store, NULL, cursor, 50, &next, &second_total,
                                        &error);
  g_assert_no_error (error);
  /* The total is the one counted on the first page (carried in the cursor). */
  g_assert_cmpuint (second_total, ==, 200);
  g_assert_cmpint (compare_keys (g_ptr_array_index (first, first->len - 1),
                                 g_ptr_array_index (second, 0)), <, 0);
  for (guint i = 0; i < second->len; i++)
    g_assert_cmpstr (tessera_account_get_id (g_ptr_array_index (second, i)), !=, early_id);
}

typedef struct {
  const char *query;
  guint       readiness_mask;
  guint       provisioning_mask;
} FilterCase;

static gboolean
contains_folded (const char *haystack,
                 const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

static gboolean
brute_force_match (TesseraAccount   *account,
                   const FilterCase *filter)
{
  if (filter->query != NULL &&
      !contains_folded (tessera_account_get_display_name (account), filter->query) &&
      !contains_folded (tessera_account_get_upn (account), filter->query) &&
      !contains_folded (tessera_account_get_site (account), filter->query))
    return FALSE;
  if (filter->readiness_mask != 0 &&
      (filter->readiness_mask & (1u << tessera_account_get_readiness (account))) == 0)
    return FALSE;
  if (filter->provisioning_mask != 0 &&
      (filter->provisioning_mask & (1u << tessera_account_get_provisioning_state (account))) == 0)
    return FALSE;
  return TRUE;
}

static void
test_filters_match_brute_force (StoreFixture  *fixture,
                                gconstpointer  data)
{
  const FilterCase cases[] = {
    { "oslo", 0, 0 },
    { "FJORD", 0, 0 },
    { "4.1", 0, 0 },
    { "ZÜR", 0, 0 },               /* case-folded beyond ASCII: Zürich */
    { "rooms.example", 0, 0 },
    { "100%", 0, 0 },              /* SQL wildcard characters are literal */
    { "_", 0, 0 },
    { "no such room", 0, 0 },
    { NULL, 1u << TESSERA_READINESS_READY, 0 },
    { NULL, 1u << TESSERA_READINESS_CHANGE_SETTINGS | 1u << TESSERA_READINESS_NO_VALID_LICENSE, 0 },
    { NULL, 0, 1u << TESSERA_PROVISIONING_OTP_ISSUED },
    { NULL, 0, 1u << TESSERA_PROVISIONING_NOT_STARTED },
    { "berlin", 1u << TESSERA_READINESS_READY, 1u << TESSERA_PROVISIONING_OTP_ISSUED },
  };
  g_autoptr(GPtrArray) everything = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  import_demo (fixture, N_DEMO);

  /* Some accounts in another provisioning state, to filter on. */
  everything = list_all (fixture, NULL, 1000, NULL, NULL);
  for (guint i = 0; i < everything->len; i += 7)
    g_strv_builder_add (builder, tessera_account_get_id (g_ptr_array_index (everything, i)));
  ids = g_strv_builder_end (builder);
  batch = store_issue (fixture, fixture->admin, (const char * const *) ids, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&everything, g_ptr_array_unref);
  everything = list_all (fixture, NULL, 1000, NULL, NULL);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      TesseraAccountFilter filter = {
        .query = cases[c].query,
        .readiness_mask = cases[c].readiness_mask,
        .provisioning_mask = cases[c].provisioning_mask,
      };
      g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) listed = NULL;
      guint total = 0;

      for (guint i = 0; i < everything->len; i++)
        if (brute_force_match (g_ptr_array_index (everything, i), &cases[c]))
          g_hash_table_add (expected,
                            (char *) tessera_account_get_id (g_ptr_array_index (everything, i)));

      listed = list_all (fixture, &filter, 97, &total, NULL);
      g_test_message ("filter %u (%s): %u matches", c, cases[c].query ? cases[c].query : "-",
                      listed->len);
      g_assert_cmpuint (total, ==, g_hash_table_size (expected));
      g_assert_cmpuint (listed->len, ==, g_hash_table_size (expected));
      for (guint i = 0; i < listed->len; i++)
        {
          TesseraAccount *account = g_ptr_array_index (listed, i);

          g_assert_true (g_hash_table_contains (expected, tessera_account_get_id (account)));
        }
    }
}

static void
test_malformed_cursor_is_refused (StoreFixture  *fixture,
                                  gconstpointer  data)
{
  const char *bad[] = {
    "garbage!",
    "AAAA",
    "",
    "not base64 at all ~~~",
  };
  TesseraAccountFilter other_filter = { .query = "oslo" };
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *truncated = NULL;
  g_autoptr(GError) error = NULL;
  guint total;

  import_demo (fixture, 50);
  page = tessera_store_list_accounts (fixture->store, NULL, NULL, 10, &cursor, &total, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cursor);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) refused = NULL;
      g_autofree char *next = NULL;

      refused = tessera_store_list_accounts (fixture->store, NULL, bad[i], 10, &next, &total,
                                             &error);
      g_assert_null (refused);
      g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }

  truncated = g_strndup (cursor, strlen (cursor) - 3);
  {
    g_autoptr(GPtrArray) refused = NULL;
    g_autofree char *next = NULL;

    refused = tessera_store_list_accounts (fixture->store, NULL, truncated, 10, &next, &total,
                                           &error);
    g_assert_null (refused);
    g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
    g_clear_error (&error);

    /* A cursor of another query is refused rather than mixing two lists. */
    refused = tessera_store_list_accounts (fixture->store, &other_filter, cursor, 10, &next,
                                           &total, &error);
    g_assert_null (refused);
    g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
    g_clear_error (&error);

    refused = tessera_store_list_requests (fixture->store, 0, cursor, 10, &next, &total, &error);
    g_assert_null (refused);
    g_assert_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID);
  }
}

static void
test_updated_since_returns_exactly_the_changed (StoreFixture  *fixture,
                                                gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) update = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  TesseraAccountFilter filter = { NULL, };
  const char *ids[4] = { NULL, };
  TesseraAccount *renamed;
  gint64 newest = 0;

  import_demo (fixture, 300);
  before = list_all (fixture, NULL, 1000, NULL, NULL);
  for (guint i = 0; i < before->len; i++)
    newest = MAX (newest, tessera_account_get_updated_at_unix_usec (g_ptr_array_index (before, i)));

  /* Three ready accounts get OTPs. */
  for (guint i = 0, n = 0; i < before->len && n < 3; i++)
    {
      TesseraAccount *account = g_ptr_array_index (before, i);

      if (tessera_account_get_readiness (account) == TESSERA_READINESS_READY)
        {
          ids[n++] = tessera_account_get_id (account);
          g_hash_table_add (expected, (char *) tessera_account_get_id (account));
        }
    }
  batch = store_issue (fixture, fixture->admin, ids, NULL, &error);
  g_assert_no_error (error);

  /* One is renamed by a re-import; one is re-imported unchanged and must not count. */
  renamed = g_ptr_array_index (before, 150);
  update = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (update, tessera_account_new (NULL, "Renamed Room",
                                                tessera_account_get_upn (renamed),
                                                tessera_account_get_site (renamed),
                                                tessera_account_get_license (renamed),
                                                tessera_account_get_readiness_issues (renamed)));
  {
    TesseraAccount *same = g_ptr_array_index (before, 151);

    g_ptr_array_add (update, tessera_account_new (NULL, tessera_account_get_display_name (same),
                                                  tessera_account_get_upn (same),
                                                  tessera_account_get_site (same),
                                                  tessera_account_get_license (same),
                                                  tessera_account_get_readiness_issues (same)));
  }
  g_assert_cmpuint (tessera_store_import_accounts (fixture->store, update, &error), ==, 2);
  g_assert_no_error (error);
  g_hash_table_add (expected, (char *) tessera_account_get_id (renamed));

  since = tessera_datetime_new_unix_usec (newest);
  filter.updated_since = since;
  changed = list_all (fixture, &filter, 1000, NULL, NULL);
  g_assert_cmpuint (changed->len, ==, g_hash_table_size (expected));
  for (guint i = 0; i < changed->len; i++)
    {
      TesseraAccount *account = g_ptr_array_index (changed, i);

      g_assert_true (g_hash_table_contains (expected, tessera_account_get_id (account)));
      g_assert_cmpint (tessera_account_get_updated_at_unix_usec (account), >, newest);
    }
}

static void
test_newest_update_covers_changes_during_a_walk (StoreFixture  *fixture,
                                                 gconstpointer  data)
{
  g_autoptr(GDateTime) watermark = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *next = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  TesseraAccountFilter filter = { NULL, };
  const char *ids[3] = { NULL, };
  guint total;
  guint n = 0;

  import_demo (fixture, 300);
  watermark = tessera_store_get_newest_update (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (watermark);

  first = tessera_store_list_accounts (fixture->store, NULL, NULL, 100, &cursor, &total, &error);
  g_assert_no_error (error);

  /* While the walk is on page 2, an account of page 1 and one of page 3 change. */
  for (guint i = 0; i < first->len && ids[0] == NULL; i++)
    if (tessera_account_get_readiness (g_ptr_array_index (first, i)) == TESSERA_READINESS_READY)
      ids[0] = tessera_account_get_id (g_ptr_array_index (first, i));
  rest = tessera_store_list_accounts (fixture->store, NULL, cursor, 1000, &next, &total, &error);
  g_assert_no_error (error);
  for (guint i = rest->len - 1; i > 0 && ids[1] == NULL; i--)
    if (tessera_account_get_readiness (g_ptr_array_index (rest, i)) == TESSERA_READINESS_READY)
      ids[1] = tessera_account_get_id (g_ptr_array_index (rest, i));
  batch = store_issue (fixture, fixture->admin, ids, NULL, &error);
  g_assert_no_error (error);

  filter.updated_since = watermark;
  changed = list_all (fixture, &filter, 1000, NULL, NULL);
  for (guint i = 0; i < changed->len; i++)
    {
      const char *id = tessera_account_get_id (g_ptr_array_index (changed, i));

      n += g_str_equal (id, ids[0]) || g_str_equal (id, ids[1]);
    }
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_cmpuint (n, ==, 2);
}

static void
test_updated_at_is_strictly_increasing (StoreFixture  *fixture,
                                        gconstpointer  data)
{
  import_demo (fixture, 500);

  /* Unique (a UNIQUE column) and ordered by insertion: one transaction still gets 500 values. */
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(DISTINCT updated_at) FROM accounts", NULL),
                   ==, 500);
  g_assert_cmpint (store_raw_int (fixture,
                                  "SELECT COUNT(*) FROM accounts AS a JOIN accounts AS b "
                                  "ON b.rowid = a.rowid + 1 WHERE b.updated_at <= a.updated_at",
                                  NULL), ==, 0);
}

static void
test_requests_list_by_state (StoreFixture  *fixture,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autofree char *cursor = NULL;
  guint total = 0;
  guint pages = 0;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("brussels-1.%02u-atomium", i);
      g_autofree char *id = store_add_ready_account (fixture, name);
      g_autoptr(TesseraOtpResult) issued = store_issue_one (fixture, fixture->admin, id);
      g_autoptr(TesseraRedemption) redemption = NULL;

      redemption = store_redeem (fixture, tessera_otp_result_get_code (issued), &error);
      g_assert_no_error (error);
      if (i % 3 == 0)
        {
          g_autoptr(TesseraResolution) approve =
            tessera_resolution_new (TESSERA_DECISION_APPROVE, TESSERA_REJECTION_NONE, NULL);
          g_autoptr(TesseraRequest) request = NULL;

          request = tessera_store_resolve_request (fixture->store, fixture->admin,
                                                   tessera_redemption_get_id (redemption),
                                                   approve, NULL, NULL, &error);
          g_assert_no_error (error);
        }
    }

  pending = tessera_store_list_requests (fixture->store, 1u << TESSERA_REQUEST_PENDING, NULL,
                                         100, &next, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 8);
  g_assert_cmpuint (total, ==, 8);
  g_assert_null (next);
  for (guint i = 0; i < pending->len; i++)
    g_assert_cmpint (tessera_request_get_state (g_ptr_array_index (pending, i)), ==,
                     TESSERA_REQUEST_PENDING);

  do
    {
      g_autoptr(GPtrArray) page = NULL;

      g_clear_pointer (&next, g_free);
      page = tessera_store_list_requests (fixture->store, 0, cursor, 5, &next, &total, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (total, ==, 12);
      for (guint i = 0; i < page->len; i++)
        g_assert_true (g_hash_table_add (seen, g_strdup (tessera_request_get_id (
                                                           g_ptr_array_index (page, i)))));
      g_free (cursor);
      cursor = g_steal_pointer (&next);
      pages++;
    }
  while (cursor != NULL);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 12);
  g_assert_cmpuint (pages, ==, 3);
}

static void
test_demo_data_is_realistic_and_unique (StoreFixture  *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = tessera_demo_data_generate_accounts (N_DEMO);
  g_autoptr(GPtrArray) again = tessera_demo_data_generate_accounts (N_DEMO);
  g_autoptr(GHashTable) upns = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) sites = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GRegex) name_shape = NULL;
  guint counts[3] = { 0, };

  name_shape = g_regex_new ("^\\S+( [B-Z]| B\\d+)? \\d+\\.\\d\\d [A-Z][a-z]+$", 0, 0, NULL);
  for (guint i = 0; i < accounts->len; i++)
    {
      TesseraAccount *account = g_ptr_array_index (accounts, i);
      TesseraAccount *twin = g_ptr_array_index (again, i);
      TesseraReadiness readiness = tessera_account_get_readiness (account);

      g_assert_true (g_hash_table_add (upns, (char *) tessera_account_get_upn (account)));
      g_hash_table_add (sites, (char *) tessera_account_get_site (account));
      g_assert_true (g_str_has_suffix (tessera_account_get_upn (account), "@rooms.example.org"));
      g_assert_true (g_regex_match (name_shape, tessera_account_get_display_name (account), 0,
                                    NULL));
      counts[readiness]++;

      if (readiness == TESSERA_READINESS_CHANGE_SETTINGS)
        {
          guint n = g_strv_length ((char **) tessera_account_get_readiness_issues (account));

          g_assert_cmpuint (n, >=, 1);
          g_assert_cmpuint (n, <=, 2);
        }
      if (readiness == TESSERA_READINESS_NO_VALID_LICENSE)
        g_assert_null (tessera_account_get_license (account));

      /* Deterministic: the same every time. */
      g_assert_cmpstr (tessera_account_get_upn (account), ==, tessera_account_get_upn (twin));
      g_assert_cmpint (readiness, ==, tessera_account_get_readiness (twin));
    }

  g_test_message ("ready %u, change settings %u, no licence %u", counts[0], counts[1], counts[2]);
  g_assert_cmpuint (counts[TESSERA_READINESS_READY], >=, 650);
  g_assert_cmpuint (counts[TESSERA_READINESS_READY], <=, 750);
  g_assert_cmpuint (counts[TESSERA_READINESS_CHANGE_SETTINGS], >=, 150);
  g_assert_cmpuint (counts[TESSERA_READINESS_CHANGE_SETTINGS], <=, 250);
  g_assert_cmpuint (counts[TESSERA_READINESS_NO_VALID_LICENSE], >=, 50);
  g_assert_cmpuint (counts[TESSERA_READINESS_NO_VALID_LICENSE], <=, 150);
  g_assert_true (g_hash_table_contains (sites, "Oslo"));
  g_assert_true (g_hash_table_contains (sites, "Zürich"));
  g_assert_cmpuint (g_hash_table_size (sites), >=, 15);
}

static void
test_demo_data_upns_stay_unique_at_scale (StoreFixture  *fixture,
                                          gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = tessera_demo_data_generate_accounts (100000);
  g_autoptr(GHashTable) upns = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < accounts->len; i++)
    g_assert_true (g_hash_table_add (upns,
                                     (char *) tessera_account_get_upn (g_ptr_array_index (accounts,
                                                                                          i))));
}

static void
test_demo_data_import_is_idempotent (StoreFixture  *fixture,
                                     gconstpointer  data)
{
  import_demo (fixture, 300);
  import_demo (fixture, 500);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM accounts", NULL), ==, 500);
  g_assert_cmpint (store_raw_int (fixture, "SELECT COUNT(*) FROM accounts WHERE readiness = ?",
                                  "ready"), >, 300);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/store/list/pagination-visits-every-account-exactly-once-in-order",
       test_pagination_visits_every_account_once);
  ADD ("/store/list/later-pages-are-not-shifted-by-inserts-and-keep-the-first-total",
       test_pages_stay_consistent_while_accounts_are_added);
  ADD ("/store/list/each-filter-matches-a-brute-force-count", test_filters_match_brute_force);
  ADD ("/store/list/malformed-or-foreign-cursor-is-refused", test_malformed_cursor_is_refused);
  ADD ("/store/list/updated-since-returns-exactly-the-changed-accounts",
       test_updated_since_returns_exactly_the_changed);
  ADD ("/store/list/newest-update-before-a-walk-covers-changes-during-it",
       test_newest_update_covers_changes_during_a_walk);
  ADD ("/store/list/updated-at-is-unique-and-strictly-increasing",
       test_updated_at_is_strictly_increasing);
  ADD ("/store/list/requests-filter-by-state-and-page", test_requests_list_by_state);
  ADD ("/store/demo/mix-is-70-20-10-names-look-real-and-upns-are-unique",
       test_demo_data_is_realistic_and_unique);
  ADD ("/store/demo/upns-stay-unique-for-100000-accounts",
       test_demo_data_upns_stay_unique_at_scale);
  ADD ("/store/demo/generating-again-adds-only-the-new-accounts",
       test_demo_data_import_is_idempotent);

  return g_test_run ();
}

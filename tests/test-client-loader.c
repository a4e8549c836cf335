/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tessera-account-loader.h"
#include "tessera-test-api.h"
#include "test-client-common.h"

/*
 * TesseraAccountLoader against a real server with a few thousand demo accounts: each account
 * exactly once, one splice per page, progress properties, clean cancellation, and an
 * incremental refresh that touches exactly the changed accounts, in place.
 */

#define N_ACCOUNTS 2500
#define PAGE_SIZE  100

static TesseraTestServer *server;

typedef struct {
  guint n_splices;
  guint n_removals;
  guint largest_splice;
  guint n_loaded_notifies;
  guint n_loading_notifies;
  guint last_loaded;
} Progress;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Progress   *progress)
{
  progress->n_splices++;
  progress->n_removals += removed;
  progress->largest_splice = MAX (progress->largest_splice, added);
}

static void
on_loaded_notify (TesseraAccountLoader *loader,
                  GParamSpec           *pspec,
                  Progress             *progress)
{
  guint loaded = tessera_account_loader_get_loaded (loader);

  /* Progress only goes forward during one load. */
  g_assert_cmpuint (loaded, >, progress->last_loaded);
  progress->last_loaded = loaded;
  progress->n_loaded_notifies++;
}

static void
on_loading_notify (TesseraAccountLoader *loader,
                   GParamSpec           *pspec,
                   Progress             *progress)
{
  progress->n_loading_notifies++;
}

static TesseraAccountLoader *
new_loader (TesseraClient *client)
{
  TesseraAccountLoader *loader = tessera_account_loader_new (client);

  tessera_account_loader_set_page_size (loader, PAGE_SIZE);

  return loader;
}

static gboolean
load (TesseraAccountLoader  *loader,
      GCancellable          *cancellable,
      GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tessera_account_loader_load_async (loader, cancellable, test_client_on_done, &result);
  return tessera_account_loader_load_finish (loader, test_client_wait (&result), error);
}

static gboolean
refresh (TesseraAccountLoader  *loader,
         guint                 *n_received,
         GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tessera_account_loader_refresh_async (loader, NULL, test_client_on_done, &result);
  return tessera_account_loader_refresh_finish (loader, test_client_wait (&result), n_received,
                                                error);
}

/* The ids the server lists, fetched with the harness' own HTTP client. */
static GHashTable *
server_account_ids (void)
{
  g_autoptr(TesseraTestClient) http = tessera_test_client_new (server, NULL);
  g_autofree char *token = tessera_test_server_sign_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(GPtrArray) ids = tessera_test_api_list_account_ids (http, token, NULL);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (set, g_strdup (g_ptr_array_index (ids, i)));

  return set;
}

static void
test_loads_every_account_exactly_once (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraAccountLoader) loader = new_loader (client);
  g_autoptr(GHashTable) expected = server_account_ids ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GListModel *model = tessera_account_loader_get_model (loader);
  Progress progress = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &progress);
  g_signal_connect (loader, "notify::loaded", G_CALLBACK (on_loaded_notify), &progress);
  g_signal_connect (loader, "notify::loading", G_CALLBACK (on_loading_notify), &progress);

  g_assert_true (load (loader, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (tessera_account_loader_get_loading (loader));

  g_assert_cmpuint (g_hash_table_size (expected), ==, N_ACCOUNTS);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_ACCOUNTS);
  g_assert_cmpuint (tessera_account_loader_get_loaded (loader), ==, N_ACCOUNTS);
  g_assert_cmpuint (tessera_account_loader_get_total (loader), ==, N_ACCOUNTS);

  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autoptr(TesseraAccount) account = g_list_model_get_item (model, i);
      const char *id = tessera_account_get_id (account);

      g_assert_true (g_hash_table_contains (expected, id));
      g_assert_true (g_hash_table_add (seen, (gpointer) id));
      g_assert_true (tessera_account_loader_lookup (loader, id) == account);
    }

  /* One splice per page, never one per account; nothing removed; progress per page. */
  g_assert_cmpuint (progress.n_splices, ==, N_ACCOUNTS / PAGE_SIZE);
  g_assert_cmpuint (progress.largest_splice, ==, PAGE_SIZE);
  g_assert_cmpuint (progress.n_removals, ==, 0);
  g_assert_cmpuint (progress.n_loaded_notifies, ==, N_ACCOUNTS / PAGE_SIZE);
  g_assert_cmpuint (progress.n_loading_notifies, ==, 2);
}

static void
cancel_on_first_page (TesseraAccountLoader *loader,
                      GParamSpec           *pspec,
                      GCancellable         *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
test_cancel_stops_cleanly (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraAccountLoader) loader = new_loader (client);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GListModel *model = tessera_account_loader_get_model (loader);
  Progress progress = { 0 };
  gulong handler;

  handler = g_signal_connect (loader, "notify::loaded", G_CALLBACK (cancel_on_first_page),
                              cancellable);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &progress);

  g_assert_false (load (loader, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (tessera_account_loader_get_loading (loader));
  g_signal_handler_disconnect (loader, handler);

  /* The first page stays, nothing more arrives afterwards. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, PAGE_SIZE);
  g_assert_cmpuint (progress.n_splices, ==, 1);

  /* And a new load after a cancelled one completes the list. */
  g_clear_error (&error);
  g_assert_true (load (loader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_ACCOUNTS);
}

static void
test_starting_again_supersedes_the_running_load (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraAccountLoader) loader = new_loader (client);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;

  tessera_account_loader_load_async (loader, NULL, test_client_on_done, &first);
  tessera_account_loader_load_async (loader, NULL, test_client_on_done, &second);

  g_assert_false (tessera_account_loader_load_finish (loader, test_client_wait (&first), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (tessera_account_loader_load_finish (loader, test_client_wait (&second), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tessera_account_loader_get_model (loader)), ==,
                    N_ACCOUNTS);
}

static void
on_account_notify (TesseraAccount *account,
                   GParamSpec     *pspec,
                   GHashTable     *notified)
{
  g_hash_table_add (notified, g_strdup (tessera_account_get_id (account)));
}

static void
test_refresh_updates_exactly_the_changed_accounts_in_place (void)
{
  g_autoptr(TesseraClient) viewer = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraAccountLoader) loader = new_loader (viewer);
  g_autoptr(GHashTable) notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model = tessera_account_loader_get_model (loader);
  Progress progress = { 0 };
  guint n_received = 0;
  gint64 newest;

  g_assert_true (load (loader, NULL, &error));
  g_assert_no_error (error);
  newest = tessera_account_loader_get_newest_update (loader);
  g_assert_cmpint (newest, >, 0);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      TesseraAccount *account = g_list_model_get_item (model, i);

      g_ptr_array_add (before, account);
      g_signal_connect (account, "notify", G_CALLBACK (on_account_notify), notified);
    }
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &progress);

  /* Three accounts change on the server. */
  changed = test_client_fresh_ready_accounts (admin, 3);
  batch = test_client_generate (admin, (const char * const *) changed->pdata, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (refresh (loader, &n_received, &error));
  g_assert_no_error (error);

  /* Only the changed accounts were asked for, not the whole list again. */
  g_assert_cmpuint (n_received, ==, 3);

  /* Exactly those three were touched, as the same objects, and nothing was added. */
  g_assert_cmpuint (g_hash_table_size (notified), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const char *id = g_ptr_array_index (changed, i);
      TesseraAccount *account = tessera_account_loader_lookup (loader, id);

      g_assert_true (g_hash_table_contains (notified, id));
      g_assert_true (g_ptr_array_find (before, account, NULL));
      g_assert_cmpint (tessera_account_get_provisioning_state (account), ==,
                       TESSERA_PROVISIONING_OTP_ISSUED);
    }
  g_assert_cmpuint (progress.n_splices, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_ACCOUNTS);
  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autoptr(TesseraAccount) account = g_list_model_get_item (model, i);
      g_assert_true (account == g_ptr_array_index (before, i));
    }
  g_assert_cmpint (tessera_account_loader_get_newest_update (loader), >, newest);

  for (guint i = 0; i < before->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (before, i), notified);
}

static void
test_refresh_appends_new_accounts (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraAccountLoader) loader = new_loader (client);
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GListModel *model = tessera_account_loader_get_model (loader);
  Progress progress = { 0 };
  guint n_received = 0;
  guint n_before;
  const char *import_argv[] = { "accounts", "import", NULL, NULL };

  g_assert_true (load (loader, NULL, &error));
  g_assert_no_error (error);
  n_before = g_list_model_get_n_items (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &progress);

  csv_path = g_build_filename (tessera_test_server_get_dir (server), "new.csv", NULL);
  g_file_set_contents (csv_path,
                       "display_name,upn,site,license,readiness_issues\n"
                       "Loader Room A,loader-a@example.org,Loaderville,Teams Rooms Pro,\n"
                       "Loader Room B,loader-b@example.org,Loaderville,Teams Rooms Pro,\n",
                       -1, &error);
  g_assert_no_error (error);
  import_argv[2] = csv_path;
  g_assert_cmpint (tessera_test_server_run_cli (server, NULL, import_argv, &out, &err), ==, 0);

  g_assert_true (refresh (loader, &n_received, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (n_received, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_before + 2);
  g_assert_cmpuint (progress.n_splices, ==, 1);
  g_assert_cmpuint (tessera_account_loader_get_total (loader), ==, n_before + 2);
  {
    g_autoptr(TesseraAccount) last = g_list_model_get_item (model, n_before + 1);
    g_autoptr(TesseraAccount) second_last = g_list_model_get_item (model, n_before);

    g_assert_true (g_str_has_prefix (tessera_account_get_upn (last), "loader-"));
    g_assert_true (g_str_has_prefix (tessera_account_get_upn (second_last), "loader-"));
  }
}

static void
test_reload_keeps_the_same_objects (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraAccountLoader) loader = new_loader (client);
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  GListModel *model = tessera_account_loader_get_model (loader);
  Progress progress = { 0 };

  g_assert_true (load (loader, NULL, &error));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (before, g_list_model_get_item (model, i));

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &progress);
  g_assert_true (load (loader, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (progress.n_splices, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      g_autoptr(TesseraAccount) account = g_list_model_get_item (model, i);
      g_assert_true (account == g_ptr_array_index (before, i));
    }
}

static void
test_apply_updates_in_place_or_appends (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraAccountLoader) loader = new_loader (client);
  g_autoptr(TesseraAccount) newcomer = NULL;
  g_autoptr(TesseraAccount) update = NULL;
  g_autoptr(TesseraAccount) first = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model = tessera_account_loader_get_model (loader);
  guint n;

  g_assert_true (load (loader, NULL, &error));
  n = g_list_model_get_n_items (model);
  first = g_list_model_get_item (model, 0);

  update = tessera_account_new (tessera_account_get_id (first), "Renamed Room",
                                tessera_account_get_upn (first), tessera_account_get_site (first),
                                tessera_account_get_license (first),
                                tessera_account_get_readiness_issues (first));
  tessera_account_loader_apply (loader, update);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_cmpstr (tessera_account_get_display_name (first), ==, "Renamed Room");

  newcomer = tessera_account_new ("event-only-id", "From An Event", "event@example.org", "Here",
                                  NULL, NULL);
  tessera_account_loader_apply (loader, newcomer);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n + 1);
  g_assert_true (tessera_account_loader_lookup (loader, "event-only-id") == newcomer);
}

int
main (int    argc,
      char **argv)
{
  TesseraTestServerOptions options = { .demo_accounts = N_ACCOUNTS };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = tessera_test_server_new (&options);

  g_test_add_func ("/client/loader/loads-every-account-exactly-once",
                   test_loads_every_account_exactly_once);
  g_test_add_func ("/client/loader/cancel-stops-cleanly", test_cancel_stops_cleanly);
  g_test_add_func ("/client/loader/starting-again-supersedes-the-running-load",
                   test_starting_again_supersedes_the_running_load);
  g_test_add_func ("/client/loader/reload-keeps-the-same-objects",
                   test_reload_keeps_the_same_objects);
  g_test_add_func ("/client/loader/refresh-updates-exactly-the-changed-accounts-in-place",
                   test_refresh_updates_exactly_the_changed_accounts_in_place);
  g_test_add_func ("/client/loader/refresh-appends-new-accounts",
                   test_refresh_appends_new_accounts);
  g_test_add_func ("/client/loader/apply-updates-in-place-or-appends",
                   test_apply_updates_in_place_or_appends);

  status = g_test_run ();
  tessera_test_server_free (server);

  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tessera-account-pager.h"
#include "test-client-common.h"

/*
 * TesseraAccountPager, the one pager of the accounts, against a real server with a few
 * thousand demo accounts: every page in the server's order with its progress, a refresh that
 * brings only what changed, and cancellation that delivers nothing more.
 */

#define N_ACCOUNTS 2500
#define PAGE_SIZE  100

static TesseraTestServer *server;

typedef struct {
  GPtrArray *accounts;         /* every account delivered, in order */
  guint      n_pages;
  guint      n_last;           /* pages that said they were the last */
  guint      last_loaded;
  gboolean   saw_loading;      /* :loading was TRUE during every page */
  gboolean   progress_ok;      /* :loaded matched the accounts delivered at each page */
  gboolean   cancel_on_page;
} Pages;

static void
pages_init (Pages *pages)
{
  *pages = (Pages) { g_ptr_array_new_with_free_func (g_object_unref), 0, 0, 0, TRUE, TRUE, FALSE };
}

static void
pages_clear (Pages *pages)
{
  g_clear_pointer (&pages->accounts, g_ptr_array_unref);
}

static void
on_page (TesseraAccountPager *pager,
         GPtrArray           *accounts,
         gboolean             last,
         Pages               *pages)
{
  for (guint i = 0; i < accounts->len; i++)
    g_ptr_array_add (pages->accounts, g_object_ref (g_ptr_array_index (accounts, i)));
  pages->n_pages++;
  pages->n_last += last ? 1 : 0;
  pages->saw_loading &= tessera_account_pager_get_loading (pager);
  pages->progress_ok &= tessera_account_pager_get_loaded (pager) == pages->accounts->len;

  if (pages->cancel_on_page)
    tessera_account_pager_cancel (pager);
}

static TesseraAccountPager *
new_pager (TesseraClient *client,
           Pages         *pages)
{
  TesseraAccountPager *pager = tessera_account_pager_new (client);

  tessera_account_pager_set_page_size (pager, PAGE_SIZE);
  g_signal_connect (pager, "page", G_CALLBACK (on_page), pages);
  return pager;
}

static gboolean
load (TesseraAccountPager  *pager,
      gint64                updated_since,
      guint                *n_received,
      GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tessera_account_pager_load_async (pager, updated_since, NULL, test_client_on_done, &result);
  return tessera_account_pager_load_finish (pager, test_client_wait (&result), n_received,
                                            error);
}

static void
test_delivers_every_page_in_the_servers_order (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(GPtrArray) expected = test_client_list_all_accounts (client, NULL, 1000);
  g_autoptr(TesseraAccountPager) pager = NULL;
  g_autoptr(GError) error = NULL;
  guint n_received = 0;
  Pages pages;

  pages_init (&pages);
  pager = new_pager (client, &pages);

  g_assert_false (tessera_account_pager_get_loading (pager));
  g_assert_true (load (pager, 0, &n_received, &error));
  g_assert_no_error (error);
  g_assert_false (tessera_account_pager_get_loading (pager));

  /* Every account once, in the order the server lists them, page by page */
  g_assert_cmpuint (expected->len, ==, N_ACCOUNTS);
  g_assert_cmpuint (pages.accounts->len, ==, N_ACCOUNTS);
  for (guint i = 0; i < N_ACCOUNTS; i++)
    g_assert_cmpstr (tessera_account_get_id (g_ptr_array_index (pages.accounts, i)), ==,
                     tessera_account_get_id (g_ptr_array_index (expected, i)));
  g_assert_cmpuint (pages.n_pages, ==, N_ACCOUNTS / PAGE_SIZE);
  g_assert_cmpuint (pages.n_last, ==, 1);

  /* Progress as the handlers saw it, and as it stays */
  g_assert_true (pages.saw_loading);
  g_assert_true (pages.progress_ok);
  g_assert_cmpuint (n_received, ==, N_ACCOUNTS);
  g_assert_cmpuint (tessera_account_pager_get_loaded (pager), ==, N_ACCOUNTS);
  g_assert_cmpuint (tessera_account_pager_get_total (pager), ==, N_ACCOUNTS);
  g_assert_cmpint (tessera_account_pager_get_updated_since (pager), ==, 0);

  pages_clear (&pages);
}

static void
test_refresh_brings_only_what_changed_since (void)
{
  g_autoptr(TesseraClient) viewer = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraAccountPager) pager = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  guint n_received = 0;
  gint64 newest = 0;
  Pages pages;

  pages_init (&pages);
  pager = new_pager (viewer, &pages);
  g_assert_true (load (pager, 0, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < pages.accounts->len; i++)
    newest = MAX (newest, tessera_account_get_updated_at_unix_usec (
                            g_ptr_array_index (pages.accounts, i)));
  g_assert_cmpint (newest, >, 0);

  /* Three accounts change on the server */
  changed = test_client_fresh_ready_accounts (admin, 3);
  batch = test_client_generate (admin, (const char * const *) changed->pdata, NULL, &error);
  g_assert_no_error (error);

  pages_clear (&pages);
  pages_init (&pages);
  g_assert_true (load (pager, newest, &n_received, &error));
  g_assert_no_error (error);

  g_assert_cmpint (tessera_account_pager_get_updated_since (pager), ==, newest);
  g_assert_cmpuint (n_received, ==, 3);
  g_assert_cmpuint (pages.accounts->len, ==, 3);
  g_assert_cmpuint (pages.n_last, ==, 1);
  for (guint i = 0; i < pages.accounts->len; i++)
    {
      TesseraAccount *account = g_ptr_array_index (pages.accounts, i);

      g_assert_true (g_ptr_array_find_with_equal_func (changed, tessera_account_get_id (account),
                                                       g_str_equal, NULL));
      g_assert_cmpint (tessera_account_get_updated_at_unix_usec (account), >, newest);
    }

  pages_clear (&pages);
}

static void
test_cancel_delivers_no_further_page (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraAccountPager) pager = NULL;
  g_autoptr(GError) error = NULL;
  Pages pages;

  pages_init (&pages);
  pages.cancel_on_page = TRUE;
  pager = new_pager (client, &pages);

  g_assert_false (load (pager, 0, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (tessera_account_pager_get_loading (pager));

  /* The pages fetched and decoded ahead are dropped, not delivered later */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (pages.n_pages, ==, 1);
  g_assert_cmpuint (pages.accounts->len, ==, PAGE_SIZE);

  pages_clear (&pages);
}

static void
test_starting_again_supersedes_the_running_operation (void)
{
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_VIEWER);
  g_autoptr(TesseraAccountPager) pager = NULL;
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  guint n_received = 0;
  Pages pages;

  pages_init (&pages);
  pager = new_pager (client, &pages);

  tessera_account_pager_load_async (pager, 0, NULL, test_client_on_done, &first);
  tessera_account_pager_load_async (pager, 0, NULL, test_client_on_done, &second);

  g_assert_false (tessera_account_pager_load_finish (pager, test_client_wait (&first), NULL,
                                                     &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (tessera_account_pager_load_finish (pager, test_client_wait (&second),
                                                    &n_received, &error));
  g_assert_no_error (error);

  /* Only the second operation's pages: every account exactly once */
  g_assert_cmpuint (n_received, ==, N_ACCOUNTS);
  g_assert_cmpuint (pages.accounts->len, ==, N_ACCOUNTS);
  g_assert_cmpuint (pages.n_last, ==, 1);

  pages_clear (&pages);
}

int
main (int    argc,
      char **argv)
{
  TesseraTestServerOptions options = { .demo_accounts = N_ACCOUNTS };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = tessera_test_server_new (&options);

  g_test_add_func ("/client/pager/delivers-every-page-in-the-servers-order",
                   test_delivers_every_page_in_the_servers_order);
  g_test_add_func ("/client/pager/refresh-brings-only-what-changed-since",
                   test_refresh_brings_only_what_changed_since);
  g_test_add_func ("/client/pager/cancel-delivers-no-further-page",
                   test_cancel_delivers_no_further_page);
  g_test_add_func ("/client/pager/starting-again-supersedes-the-running-operation",
                   test_starting_again_supersedes_the_running_operation);

  status = g_test_run ();

  tessera_test_server_free (server);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `ui`: the resource accounts view of the real main window, against real
 * tessera-server processes with demo data, compared with what the server's API answers.
 */
#include "config.h"

#include <string.h>

#include "tessera-account-cell.h"
#include "tessera-generate-window.h"
#include "tessera-preferences-window.h"
#include "tessera-review-window.h"
#include "test-ui-common.h"

#define DEMO_ACCOUNTS 300

static GtkWindow *find_toplevel (GType type);

static TesseraTestServer *
new_demo_server (guint16 port)
{
  TesseraTestServerOptions options = { .demo_accounts = DEMO_ACCOUNTS };
  g_autofree char *listen = NULL;
  const char *serve_args[3] = { NULL };

  /* A fixed port, where a test restarts the server and expects the app to find it again */
  if (port != 0)
    {
      listen = g_strdup_printf ("127.0.0.1:%u", port);
      serve_args[0] = "--listen";
      serve_args[1] = listen;
      options.serve_args = serve_args;
    }

  return tessera_test_server_new (&options);
}

static TesseraAccountsPage *
start_signed_in (TesseraTestServer  *server,
                 TesseraWindow     **window)
{
  ui_test_reset_settings ();
  *window = ui_test_window_new ();
  tessera_window_start (*window, NULL, NULL);
  return ui_test_sign_in_and_load (*window, server, TESSERA_TEST_ADMIN);
}

static gpointer
part (TesseraAccountsPage     *page,
      TesseraAccountsPagePart  which)
{
  return _tessera_accounts_page_get_part (page, which);
}

static const char *
count_text (TesseraAccountsPage *page)
{
  return gtk_label_get_label (part (page, TESSERA_ACCOUNTS_PAGE_PART_COUNT_LABEL));
}

static guint
server_count (TesseraClient             *client,
              const TesseraAccountQuery *query)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  guint total = 0;

  accounts = test_client_list_accounts (client, query, NULL, 1, &cursor, &total, &error);
  g_assert_no_error (error);
  return total;
}

static guint
shown (TesseraAccountsPage *page)
{
  return g_list_model_get_n_items (G_LIST_MODEL (tessera_accounts_page_get_model (page)));
}

static void
test_list_shows_exactly_the_servers_accounts (void)
{
  g_autoptr(TesseraTestServer) server = new_demo_server (0);
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) expected = test_client_list_all_accounts (client, NULL, 1000);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  TesseraAccountsModel *model;
  TesseraAccountsPage *page;
  TesseraWindow *window;
  g_autofree char *count = NULL;

  page = start_signed_in (server, &window);
  model = tessera_accounts_page_get_model (page);

  g_assert_cmpuint (expected->len, ==, DEMO_ACCOUNTS);
  for (guint i = 0; i < expected->len; i++)
    g_hash_table_add (ids, (gpointer) tessera_account_get_id (g_ptr_array_index (expected, i)));

  g_assert_cmpuint (tessera_accounts_model_get_n_accounts (model), ==, expected->len);
  g_assert_cmpuint (shown (page), ==, expected->len);
  for (guint i = 0; i < shown (page); i++)
    {
      g_autoptr(TesseraAccount) account = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_true (g_hash_table_remove (ids, tessera_account_get_id (account)));
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 0);

  count = g_strdup_printf ("%u accounts", DEMO_ACCOUNTS);
  g_assert_cmpstr (count_text (page), ==, count);
  g_assert_cmpstr (tessera_accounts_page_get_state (page), ==, "list");

  ui_test_window_close (window);
}

/* DESIGN §5: every icon-only button has a tooltip and an accessible label. */
static void
test_icon_buttons_have_tooltips_and_labels (void)
{
  g_autoptr(TesseraTestServer) server = new_demo_server (0);
  TesseraWindow *window;

  start_signed_in (server, &window);
  ui_test_assert_icon_buttons_labelled (GTK_WIDGET (window));

  ui_test_window_close (window);
}

static void
search_for (TesseraAccountsPage *page,
            const char          *text)
{
  GtkEditable *entry = part (page, TESSERA_ACCOUNTS_PAGE_PART_SEARCH_ENTRY);

  gtk_widget_activate_action (GTK_WIDGET (page), "accounts.find", NULL);
  gtk_editable_set_text (entry, text);
  /* The entry waits for typing to pause before it searches */
  ui_test_wait_until (g_strcmp0 (tessera_accounts_model_get_query (
                                   tessera_accounts_page_get_model (page)), text) == 0);
}

static void
test_search_and_filters_count_like_the_server (void)
{
  g_autoptr(TesseraTestServer) server = new_demo_server (0);
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (client, 3);
  const char *queries[] = { "oslo", "2.0", "BERGEN", "@rooms", "zz-nothing-like-this" };
  g_autoptr(GError) error = NULL;
  TesseraAccountsModel *model;
  TesseraAccountsPage *page;
  TesseraWindow *window;

  /* Some variety in provisioning: three OTPs, one of them redeemed */
  {
    g_autoptr(TesseraOtpBatch) batch = test_client_generate (client,
                                                             (const char * const *) fresh->pdata,
                                                             NULL, &error);
    TesseraOtpResult *result;
    g_autoptr(TesseraRedemption) redemption = NULL;

    g_assert_no_error (error);
    result = g_ptr_array_index (tessera_otp_batch_get_results (batch), 0);
    redemption = test_client_redeem (client, tessera_otp_result_get_code (result), "SN-1", &error);
    g_assert_no_error (error);
  }

  page = start_signed_in (server, &window);
  model = tessera_accounts_page_get_model (page);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      TesseraAccountQuery query = { .text = queries[i] };
      guint expected = server_count (client, &query);
      g_autofree char *count = g_strdup_printf ("%u of %u accounts", expected, DEMO_ACCOUNTS);

      search_for (page, queries[i]);
      g_assert_cmpuint (shown (page), ==, expected);
      g_assert_cmpstr (count_text (page), ==, count);
      g_assert_cmpstr (tessera_accounts_page_get_state (page), ==,
                       expected > 0 ? "list" : "no-results");
    }
  search_for (page, "");

  for (int readiness = TESSERA_READINESS_READY; readiness <= TESSERA_READINESS_NO_VALID_LICENSE;
       readiness++)
    {
      TesseraAccountQuery query = { .readiness_mask = 1u << readiness };

      gtk_drop_down_set_selected (part (page, TESSERA_ACCOUNTS_PAGE_PART_READINESS_FILTER),
                                  readiness + 1);
      g_assert_cmpint (tessera_accounts_model_get_readiness_filter (model), ==, readiness);
      g_assert_cmpuint (shown (page), ==, server_count (client, &query));
    }
  gtk_drop_down_set_selected (part (page, TESSERA_ACCOUNTS_PAGE_PART_READINESS_FILTER), 0);

  for (int state = TESSERA_PROVISIONING_NOT_STARTED; state <= TESSERA_PROVISIONING_OTP_REVOKED;
       state++)
    {
      TesseraAccountQuery query = { .provisioning_mask = 1u << state };

      gtk_drop_down_set_selected (part (page, TESSERA_ACCOUNTS_PAGE_PART_PROVISIONING_FILTER),
                                  state + 1);
      g_assert_cmpuint (shown (page), ==, server_count (client, &query));
    }
  g_assert_cmpuint (tessera_accounts_model_count_provisioning (
                      model, TESSERA_PROVISIONING_OTP_ISSUED), ==, 2);

  /* Search and both filters at once */
  {
    TesseraAccountQuery query = {
      .text = "a",
      .readiness_mask = 1u << TESSERA_READINESS_READY,
      .provisioning_mask = 1u << TESSERA_PROVISIONING_NOT_STARTED,
    };

    gtk_drop_down_set_selected (part (page, TESSERA_ACCOUNTS_PAGE_PART_READINESS_FILTER),
                                TESSERA_READINESS_READY + 1);
    gtk_drop_down_set_selected (part (page, TESSERA_ACCOUNTS_PAGE_PART_PROVISIONING_FILTER),
                                TESSERA_PROVISIONING_NOT_STARTED + 1);
    search_for (page, "a");
    g_assert_cmpuint (shown (page), ==, server_count (client, &query));
  }

  /* "Clear Search and Filters" brings everything back */
  gtk_widget_activate_action (GTK_WIDGET (page), "accounts.clear-filters", NULL);
  g_assert_cmpuint (shown (page), ==, DEMO_ACCOUNTS);

  ui_test_window_close (window);
}

typedef struct {
  GSubprocess  *process;
  GAsyncResult *result;
} Device;

/* Redeems @code as a console would: tessera-device, the code on standard input */
static void
redeem_on_a_console (TesseraTestServer *server,
                     TesseraClient     *client,
                     const char        *code)
{
  const char *device_path = g_getenv ("TESSERA_DEVICE_PATH");
  g_autofree char *stdin_text = g_strconcat (code, "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  Device device = { NULL };

  if (device_path == NULL)
    {
      /* Built without tessera-device: the same request through the API */
      g_autoptr(TesseraRedemption) redemption = test_client_redeem (client, code, "SN-42", &error);

      g_assert_no_error (error);
      g_assert_nonnull (redemption);
      return;
    }

  device.process = tessera_test_spawn (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                       G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                       &error,
                                       device_path, "redeem",
                                       "--server", tessera_test_server_get_url (server),
                                       "--make", "Contoso", "--model", "Room Console 9",
                                       "--serial", "SN-42", "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (device.process, stdin_text, NULL,
                                       test_client_on_done, &device.result);
  ui_test_wait_until (device.result != NULL);
  g_subprocess_communicate_utf8_finish (device.process, device.result, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("tessera-device: %s%s", out, err);
  g_assert_true (g_subprocess_get_if_exited (device.process));
  g_assert_cmpint (g_subprocess_get_exit_status (device.process), ==, 0);

  g_clear_object (&device.result);
  g_clear_object (&device.process);
}

static gboolean
row_says (TesseraAccountsPage *page,
          TesseraAccount      *account,
          const char          *text,
          const char          *style_class)
{
  g_autoptr(GPtrArray) cells = ui_test_find_cells (page, account,
                                                   TESSERA_ACCOUNTS_COLUMN_PROVISIONING);

  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget *cell = g_ptr_array_index (cells, i);

      if (g_strcmp0 (tessera_account_cell_get_text (TESSERA_ACCOUNT_CELL (cell)), text) == 0 &&
          (style_class == NULL || gtk_widget_has_css_class (cell, style_class)))
        return TRUE;
    }

  return FALSE;
}

static void
test_redemption_shows_awaiting_approval_without_refresh (void)
{
  g_autoptr(TesseraTestServer) server = new_demo_server (0);
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (client, 1);
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  TesseraAccountsModel *model;
  TesseraAccountsPage *page;
  TesseraAccount *account;
  TesseraWindow *window;
  GtkRevealer *prompt_revealer;
  guint awaiting_before;

  page = start_signed_in (server, &window);
  model = tessera_accounts_page_get_model (page);
  prompt_revealer = part (page, TESSERA_ACCOUNTS_PAGE_PART_PROMPT_REVEALER);
  account = tessera_accounts_model_lookup (model, g_ptr_array_index (fresh, 0));
  g_assert_nonnull (account);

  /* The row of the account on screen, as the admin watches it */
  search_for (page, tessera_account_get_upn (account));
  g_assert_cmpuint (shown (page), ==, 1);
  ui_test_wait_until (row_says (page, account, "—", NULL));
  awaiting_before = tessera_accounts_model_count_provisioning (
    model, TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);
  g_assert_cmpuint (awaiting_before, ==, 0);
  g_assert_false (gtk_revealer_get_reveal_child (prompt_revealer));

  /* Another admin issues an OTP: the row follows the event stream */
  batch = test_client_generate (client, (const char * const *) fresh->pdata, NULL, &error);
  g_assert_no_error (error);
  ui_test_wait_until (tessera_account_get_provisioning_state (account) ==
                      TESSERA_PROVISIONING_OTP_ISSUED);
  ui_test_wait_until (row_says (page, account, "OTP issued · expires in 8 h", NULL));

  /* The technician types it on the console */
  redeem_on_a_console (server, client, tessera_otp_result_get_code (
                         g_ptr_array_index (tessera_otp_batch_get_results (batch), 0)));

  ui_test_wait_until (row_says (page, account, "Awaiting OTP approval", "awaiting-approval"));
  g_assert_true (tessera_accounts_model_lookup (model, tessera_account_get_id (account)) ==
                 account);
  ui_test_wait_until (gtk_revealer_get_reveal_child (prompt_revealer));
  prompt = g_strdup_printf ("%u request awaiting approval", awaiting_before + 1);
  g_assert_cmpstr (gtk_label_get_label (part (page, TESSERA_ACCOUNTS_PAGE_PART_PROMPT_LABEL)), ==,
                   prompt);

  /* Review opens the review window on what awaits approval */
  search_for (page, "");
  g_signal_emit_by_name (part (page, TESSERA_ACCOUNTS_PAGE_PART_REVIEW_BUTTON), "clicked");
  {
    GtkWindow *review = NULL;

    ui_test_wait_until ((review = find_toplevel (TESSERA_TYPE_REVIEW_WINDOW)) != NULL &&
                        tessera_review_window_get_request (TESSERA_REVIEW_WINDOW (review)) != NULL);
    g_assert_cmpstr (tessera_request_get_account_id (
                       tessera_review_window_get_request (TESSERA_REVIEW_WINDOW (review))), ==,
                     tessera_account_get_id (account));
    g_assert_true (gtk_window_get_transient_for (review) == GTK_WINDOW (window));
    gtk_window_close (review);
  }

  ui_test_window_close (window);
}

static void
test_refresh_fetches_what_changed (void)
{
  g_autoptr(TesseraTestServer) server = new_demo_server (0);
  g_autoptr(TesseraClient) client = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (client, 2);
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  TesseraAccountsModel *model;
  TesseraAccountsPage *page;
  TesseraWindow *window;

  page = start_signed_in (server, &window);
  model = tessera_accounts_page_get_model (page);

  /* Without live updates, only Refresh can bring the change */
  tessera_client_stop_events (tessera_accounts_page_get_client (page));
  batch = test_client_generate (client, (const char * const *) fresh->pdata, NULL, &error);
  g_assert_no_error (error);

  gtk_widget_activate_action (GTK_WIDGET (page), "accounts.refresh", NULL);
  for (guint i = 0; i < 2; i++)
    ui_test_wait_until (tessera_account_get_provisioning_state (
                          tessera_accounts_model_lookup (model, g_ptr_array_index (fresh, i))) ==
                        TESSERA_PROVISIONING_OTP_ISSUED);
  g_assert_cmpuint (tessera_accounts_model_get_n_accounts (model), ==, DEMO_ACCOUNTS);

  ui_test_window_close (window);
}

static const char *
subtitle (TesseraAccountsPage *page)
{
  return adw_window_title_get_subtitle (part (page, TESSERA_ACCOUNTS_PAGE_PART_WINDOW_TITLE));
}

static void
test_offline_is_shown_once_and_live_comes_back (void)
{
  g_autoptr(TesseraTestServer) server = new_demo_server (ui_test_free_port ());
  g_autofree char *live = NULL;
  TesseraAccountsPage *page;
  TesseraWindow *window;
  guint n_toasts;

  page = start_signed_in (server, &window);
  live = g_strdup_printf ("%s · live",
                          tessera_client_get_host (tessera_accounts_page_get_client (page)));
  ui_test_wait_until (g_strcmp0 (subtitle (page), live) == 0);
  g_assert_cmpuint (_tessera_accounts_page_get_n_offline_toasts (page), ==, 0);

  g_assert_cmpint (tessera_test_server_stop (server), ==, 0);
  ui_test_wait_until (g_strcmp0 (subtitle (page), "offline · retrying") == 0);
  g_assert_cmpuint (_tessera_accounts_page_get_n_offline_toasts (page), ==, 1);
  /* The list stays as it was */
  g_assert_cmpstr (tessera_accounts_page_get_state (page), ==, "list");
  g_assert_cmpuint (shown (page), ==, DEMO_ACCOUNTS);

  /* A manual refresh while offline says so once more, but not "offline" again */
  n_toasts = _tessera_accounts_page_get_n_toasts (page);
  gtk_widget_activate_action (GTK_WIDGET (page), "accounts.refresh", NULL);
  ui_test_wait_until (_tessera_accounts_page_get_n_toasts (page) == n_toasts + 1);
  g_assert_cmpuint (_tessera_accounts_page_get_n_offline_toasts (page), ==, 1);

  /* The server comes back on the same address: live again, quietly */
  tessera_test_server_restart (server);
  ui_test_wait_until (g_strcmp0 (subtitle (page), live) == 0);
  g_assert_cmpuint (_tessera_accounts_page_get_n_offline_toasts (page), ==, 1);
  g_assert_cmpuint (shown (page), ==, DEMO_ACCOUNTS);

  ui_test_window_close (window);
}

static void
test_error_state_with_retry_recovers (void)
{
  g_autoptr(TesseraTestServer) server = new_demo_server (ui_test_free_port ());
  g_autofree char *url = ui_test_server_url (server);
  g_autoptr(GError) error = NULL;
  TesseraAccountsPage *page;
  TesseraWindow *window;
  AdwStatusPage *error_page;
  GtkWidget *retry;

  /* A session in the keyring from an earlier day; the server is down at start */
  {
    g_autoptr(TesseraClient) client = test_client_new (server);
    g_autoptr(TesseraSession) session =
      test_client_sign_in (client, TESSERA_TEST_ADMIN,
                           tessera_test_server_get_password (server, TESSERA_TEST_ADMIN), &error);

    g_assert_no_error (error);
    ui_test_keyring_store (url, TESSERA_TEST_ADMIN, tessera_session_get_token (session));
  }
  g_assert_cmpint (tessera_test_server_stop (server), ==, 0);

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, url, TESSERA_TEST_ADMIN);
  ui_test_wait_until (ui_test_get_accounts_page (window) != NULL);
  page = ui_test_get_accounts_page (window);
  ui_test_wait_until (g_strcmp0 (tessera_accounts_page_get_state (page), "error") == 0);

  error_page = part (page, TESSERA_ACCOUNTS_PAGE_PART_ERROR_PAGE);
  retry = part (page, TESSERA_ACCOUNTS_PAGE_PART_RETRY_BUTTON);
  g_assert_true (g_str_has_prefix (adw_status_page_get_description (error_page), "Cannot reach "));
  g_assert_true (gtk_widget_is_visible (retry));

  tessera_test_server_restart (server);
  g_signal_emit_by_name (retry, "clicked");
  ui_test_wait_until (tessera_accounts_page_get_loaded (page));
  g_assert_cmpstr (tessera_accounts_page_get_state (page), ==, "list");
  g_assert_cmpuint (shown (page), ==, DEMO_ACCOUNTS);

  ui_test_window_close (window);
}

static gboolean
shows_column (TesseraAccountsPage *page,
              GtkColumnViewColumn *column)
{
  return gtk_column_view_column_get_column_view (column) ==
         GTK_COLUMN_VIEW (part (page, TESSERA_ACCOUNTS_PAGE_PART_COLUMN_VIEW)) &&
         gtk_column_view_column_get_visible (column);
}

/* The cells of the first row end inside the table: nothing is pushed out of sight */
static gboolean
first_row_fits (TesseraAccountsPage *page)
{
  GtkWidget *view = part (page, TESSERA_ACCOUNTS_PAGE_PART_COLUMN_VIEW);
  g_autoptr(TesseraAccount) first =
    g_list_model_get_item (G_LIST_MODEL (tessera_accounts_page_get_model (page)), 0);
  guint n_cells = 0;

  for (int column = TESSERA_ACCOUNTS_COLUMN_NAME; column <= TESSERA_ACCOUNTS_COLUMN_UPDATED;
       column++)
    {
      g_autoptr(GPtrArray) cells = ui_test_find_cells (page, first, column);

      for (guint i = 0; i < cells->len; i++)
        {
          graphene_rect_t bounds;

          if (!gtk_widget_compute_bounds (gtk_widget_get_parent (cells->pdata[i]), view, &bounds))
            return FALSE;
          if (bounds.origin.x + bounds.size.width > gtk_widget_get_width (view) + 0.5)
            return FALSE;
          n_cells++;
        }
    }

  return n_cells > 0;
}

static void
test_narrow_window_hides_site_and_updated (void)
{
  g_autoptr(TesseraTestServer) server = new_demo_server (0);
  TesseraAccountsPage *page;
  TesseraWindow *window;
  GtkColumnViewColumn *site, *updated;
  GtkWidget *filters_button;

  page = start_signed_in (server, &window);
  site = part (page, TESSERA_ACCOUNTS_PAGE_PART_SITE_COLUMN);
  updated = part (page, TESSERA_ACCOUNTS_PAGE_PART_UPDATED_COLUMN);
  filters_button = part (page, TESSERA_ACCOUNTS_PAGE_PART_FILTERS_BUTTON);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  ui_test_wait_until (gtk_widget_get_width (GTK_WIDGET (page)) >= 1000);
  g_assert_true (shows_column (page, site));
  g_assert_true (shows_column (page, updated));
  g_assert_false (gtk_widget_get_visible (filters_button));

  /*
   * As when a person drags the edge: the wide layout stops at its minimum width, below
   * 600 px the narrow one takes over, and then the window goes down to 360 px.
   */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  ui_test_wait_until (!shows_column (page, site));
  g_assert_false (shows_column (page, updated));
  g_assert_true (gtk_widget_get_visible (filters_button));
  gtk_window_set_default_size (GTK_WINDOW (window), 359, 700);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  ui_test_wait_until (gtk_widget_get_width (GTK_WIDGET (page)) <= 360);
  ui_test_wait_until (first_row_fits (page));
  /* Nothing needs more: the narrow layout fits in 360 px */
  {
    int minimum = 0;

    gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1,
                        &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
  }

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  ui_test_wait_until (shows_column (page, site));
  g_assert_false (gtk_widget_get_visible (filters_button));

  ui_test_window_close (window);
}

static void
test_large_list_shows_loading_progress (void)
{
  TesseraTestServerOptions options = { .demo_accounts = 2500 };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  TesseraAccountsPage *page;
  TesseraWindow *window;
  GtkWidget *progress;

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  ui_test_sign_in (window, tessera_test_server_get_url (server), TESSERA_TEST_ADMIN,
                   tessera_test_server_get_password (server, TESSERA_TEST_ADMIN));
  ui_test_wait_until (ui_test_get_accounts_page (window) != NULL);
  page = ui_test_get_accounts_page (window);
  progress = part (page, TESSERA_ACCOUNTS_PAGE_PART_PROGRESS_BAR);

  /* Each page arrives in its own main-loop turn, so the first one is always seen */
  ui_test_wait_until (g_strcmp0 (count_text (page), "Loading accounts… 1000 of 2500") == 0);
  g_assert_true (gtk_widget_get_visible (progress));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (progress)), ==, 0.4);
  /* The list is there already while the rest loads */
  g_assert_cmpstr (tessera_accounts_page_get_state (page), ==, "list");

  ui_test_wait_until (tessera_accounts_page_get_loaded (page));
  g_assert_cmpstr (count_text (page), ==, "2500 accounts");
  g_assert_false (gtk_widget_get_visible (progress));

  ui_test_window_close (window);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
has_accel (const char *action,
           const char *accel)
{
  g_auto(GStrv) accels =
    gtk_application_get_accels_for_action (GTK_APPLICATION (ui_test_get_application ()), action);

  return accels != NULL && g_strv_contains ((const char * const *) accels, accel);
}

static void
test_menu_items_and_placeholders_answer (void)
{
  g_autoptr(TesseraTestServer) server = new_demo_server (0);
  TesseraAccountsPage *page;
  TesseraWindow *window;
  GtkWindow *shown_window;

  page = start_signed_in (server, &window);

  /* Generate OTP opens the assistant, for the main window */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "accounts.generate-otp", NULL));
  ui_test_wait_until ((shown_window = find_toplevel (TESSERA_TYPE_GENERATE_WINDOW)) != NULL);
  g_assert_true (gtk_window_get_transient_for (shown_window) == GTK_WINDOW (window));
  gtk_window_close (shown_window);

  /* Preferences (the main menu's item) opens the organisation's settings over the window */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "app.preferences", NULL));
  ui_test_wait_until ((shown_window = find_toplevel (TESSERA_TYPE_PREFERENCES_WINDOW)) != NULL);
  g_assert_true (gtk_window_get_transient_for (shown_window) == GTK_WINDOW (window));
  gtk_window_close (shown_window);

  /* Keyboard Shortcuts (Ctrl+?) and About Tessera open their windows */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "win.show-help-overlay", NULL));
  ui_test_wait_until ((shown_window = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW)) != NULL);
  gtk_window_close (shown_window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "app.about", NULL));
  ui_test_wait_until ((shown_window = find_toplevel (ADW_TYPE_ABOUT_WINDOW)) != NULL);
  g_assert_true (gtk_window_get_transient_for (shown_window) == GTK_WINDOW (window));
  gtk_window_close (shown_window);

  g_assert_true (has_accel ("app.quit", "<Control>q"));
  g_assert_true (has_accel ("app.preferences", "<Control>comma"));
  g_assert_true (has_accel ("win.show-help-overlay", "<Control>question"));

  ui_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/accounts/list-shows-exactly-the-servers-accounts",
                   test_list_shows_exactly_the_servers_accounts);
  g_test_add_func ("/ui/accounts/icon-buttons-have-tooltips-and-accessible-labels",
                   test_icon_buttons_have_tooltips_and_labels);
  g_test_add_func ("/ui/accounts/search-and-filters-count-like-the-servers-queries",
                   test_search_and_filters_count_like_the_server);
  g_test_add_func ("/ui/accounts/redemption-shows-awaiting-approval-without-refresh",
                   test_redemption_shows_awaiting_approval_without_refresh);
  g_test_add_func ("/ui/accounts/refresh-fetches-what-changed-without-live-updates",
                   test_refresh_fetches_what_changed);
  g_test_add_func ("/ui/accounts/offline-is-shown-once-and-live-comes-back",
                   test_offline_is_shown_once_and_live_comes_back);
  g_test_add_func ("/ui/accounts/error-state-with-retry-recovers-when-the-server-is-back",
                   test_error_state_with_retry_recovers);
  g_test_add_func ("/ui/accounts/narrow-window-hides-site-and-updated",
                   test_narrow_window_hides_site_and_updated);
  g_test_add_func ("/ui/accounts/large-list-shows-loading-progress",
                   test_large_list_shows_loading_progress);
  g_test_add_func ("/ui/accounts/menu-items-and-placeholders-answer",
                   test_menu_items_and_placeholders_answer);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-ui-review-common.h"

TesseraTestServer *
review_test_server_new (guint   n_accounts,
                        guint16 port)
{
  TesseraTestServerOptions options = { .demo_accounts = n_accounts };
  g_autofree char *listen = NULL;
  const char *serve_args[3] = { NULL };

  if (port != 0)
    {
      listen = g_strdup_printf ("127.0.0.1:%u", port);
      serve_args[0] = "--listen";
      serve_args[1] = listen;
      options.serve_args = serve_args;
    }

  return tessera_test_server_new (&options);
}

TesseraAccountsPage *
review_test_start_signed_in (TesseraTestServer  *server,
                             const char         *username,
                             TesseraWindow     **window)
{
  ui_test_reset_settings ();
  *window = ui_test_window_new ();
  tessera_window_start (*window, NULL, NULL);
  return ui_test_sign_in_and_load (*window, server, username);
}

GPtrArray *
review_test_issue (TesseraClient      *client,
                   const char * const *account_ids)
{
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *results;

  batch = test_client_generate (client, account_ids, NULL, &error);
  g_assert_no_error (error);
  results = tessera_otp_batch_get_results (batch);
  g_assert_cmpuint (results->len, ==, g_strv_length ((char **) account_ids));
  for (guint i = 0; i < results->len; i++)
    {
      TesseraOtpResult *result = g_ptr_array_index (results, i);

      g_assert_cmpint (tessera_otp_result_get_status (result), ==, TESSERA_OTP_RESULT_ISSUED);
      g_assert_cmpstr (tessera_otp_result_get_account_id (result), ==, account_ids[i]);
      g_ptr_array_add (codes, g_strdup (tessera_otp_result_get_code (result)));
    }

  return codes;
}

/* Consoles */

static void
on_device_communicated (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  ReviewDevice *device = user_data;

  device->result = g_object_ref (result);
}

ReviewDevice *
review_device_start (TesseraTestServer *server,
                     const char        *code,
                     const char        *serial_number)
{
  const char *path = g_getenv ("TESSERA_DEVICE_PATH");
  g_autofree char *stdin_text = g_strconcat (code, "\n", NULL);
  g_autoptr(GError) error = NULL;
  ReviewDevice *device = g_new0 (ReviewDevice, 1);

  g_assert_nonnull (path);
  /* The code on standard input, never on the command line */
  device->process = tessera_test_spawn (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                        &error,
                                        path, "redeem",
                                        "--server", tessera_test_server_get_url (server),
                                        "--make", "Contoso", "--model", "Room Console 9",
                                        "--serial", serial_number,
                                        "--wait", "--poll-interval", "0.2",
                                        "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (device->process, stdin_text, NULL,
                                       on_device_communicated, device);

  return device;
}

gboolean
review_device_exited (ReviewDevice *device)
{
  return device->result != NULL;
}

void
review_device_finish (ReviewDevice *device)
{
  g_autoptr(GError) error = NULL;

  ui_test_wait_until (device->result != NULL);
  g_subprocess_communicate_utf8_finish (device->process, device->result, &device->out,
                                        &device->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (device->process));
  device->status = g_subprocess_get_exit_status (device->process);
  g_test_message ("tessera-device exited %d\nstdout:\n%s\nstderr:\n%s",
                  device->status, device->out, device->err);
}

void
review_device_free (ReviewDevice *device)
{
  if (device->result == NULL && device->process != NULL)
    {
      g_subprocess_force_exit (device->process);
      ui_test_wait_until (device->result != NULL);
    }
  g_clear_object (&device->process);
  g_clear_object (&device->result);
  g_free (device->out);
  g_free (device->err);
  g_free (device);
}

/* The main window and the server */

TesseraAccount *
review_test_wait_awaiting (TesseraAccountsPage *page,
                           const char          *account_id)
{
  TesseraAccountsModel *model = tessera_accounts_page_get_model (page);
  TesseraAccount *account = tessera_accounts_model_lookup (model, account_id);

  g_assert_nonnull (account);
  ui_test_wait_until (tessera_account_get_provisioning_state (account) ==
                        TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL &&
                      tessera_account_get_request_id (account) != NULL);
  return account;
}

char *
review_test_request_id (TesseraClient *client,
                        const char    *account_id)
{
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = test_client_get_account (client, account_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tessera_account_get_request_id (account));
  return g_strdup (tessera_account_get_request_id (account));
}

TesseraReviewWindow *
review_test_find_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (TESSERA_IS_REVIEW_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TESSERA_REVIEW_WINDOW (window);
    }

  return NULL;
}

static gboolean
shows (TesseraReviewWindow *window,
       const char          *account_id)
{
  TesseraRequest *request = tessera_review_window_get_request (window);

  return request != NULL &&
         g_strcmp0 (tessera_request_get_account_id (request), account_id) == 0 &&
         _tessera_review_window_get_view (window) != TESSERA_REVIEW_VIEW_LOADING;
}

void
review_test_wait_shows (TesseraReviewWindow *window,
                        const char          *account_id)
{
  ui_test_wait_until (shows (window, account_id));
}

TesseraReviewWindow *
review_test_open_from_row (TesseraAccountsPage *page,
                           TesseraAccount      *account)
{
  GListModel *model = G_LIST_MODEL (tessera_accounts_page_get_model (page));
  GtkWidget *view = _tessera_accounts_page_get_part (page, TESSERA_ACCOUNTS_PAGE_PART_COLUMN_VIEW);
  TesseraReviewWindow *window = NULL;
  guint position = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TesseraAccount) item = g_list_model_get_item (model, i);

      if (item == account)
        position = i;
    }
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);

  /* What a double-click or Enter on the row does */
  g_signal_emit_by_name (view, "activate", position);
  ui_test_wait_until ((window = review_test_find_window ()) != NULL);
  review_test_wait_shows (window, tessera_account_get_id (account));

  return window;
}

void
review_test_close (GtkWindow *window)
{
  GtkWindow *gone = window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &gone);
  gtk_window_close (window);
  ui_test_wait_until (gone == NULL);
}

/* The review window */

gpointer
review_part (TesseraReviewWindow *window,
             TesseraReviewPart    part)
{
  return _tessera_review_window_get_part (window, part);
}

void
review_choose_approve (TesseraReviewWindow *window)
{
  GtkWidget *check = review_part (window, TESSERA_REVIEW_PART_APPROVE_CHECK);

  g_assert_true (gtk_widget_is_sensitive (check) && gtk_widget_is_visible (check));
  gtk_widget_activate (check);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
}

void
review_choose_reject (TesseraReviewWindow    *window,
                      TesseraRejectionReason  reason)
{
  GtkWidget *check = review_part (window, TESSERA_REVIEW_PART_REJECT_CHECK);
  AdwComboRow *reason_row = review_part (window, TESSERA_REVIEW_PART_REASON_ROW);

  g_assert_true (gtk_widget_is_sensitive (check) && gtk_widget_is_visible (check));
  gtk_widget_activate (check);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  /* Rejecting asks for the reason */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason_row)));
  if (reason != TESSERA_REJECTION_NONE)
    adw_combo_row_set_selected (reason_row, reason - 1);
}

gboolean
review_can_resolve (TesseraReviewWindow *window)
{
  GtkWidget *button = review_part (window, TESSERA_REVIEW_PART_RESOLVE_BUTTON);

  return gtk_widget_is_visible (button) && gtk_widget_is_sensitive (button);
}

void
review_press_resolve (TesseraReviewWindow *window)
{
  g_assert_true (review_can_resolve (window));
  g_signal_emit_by_name (review_part (window, TESSERA_REVIEW_PART_RESOLVE_BUTTON), "clicked");
}

const char *
review_outcome_text (TesseraReviewWindow *window)
{
  GtkWidget *group = review_part (window, TESSERA_REVIEW_PART_OUTCOME_GROUP);

  if (!gtk_widget_get_visible (group))
    return NULL;
  return gtk_label_get_label (review_part (window, TESSERA_REVIEW_PART_OUTCOME_LABEL));
}

/* The API, as another admin or the test's own eyes */

TesseraRequest *
review_test_get_request (TesseraClient *client,
                         const char    *request_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TesseraRequest *request;

  tessera_client_get_request_async (client, request_id, NULL, test_client_on_done, &result);
  request = tessera_client_get_request_finish (client, test_client_wait (&result), &error);
  g_assert_no_error (error);
  return request;
}

TesseraSettings *
review_test_get_settings (TesseraClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TesseraSettings *settings;

  tessera_client_get_settings_async (client, NULL, test_client_on_done, &result);
  settings = tessera_client_get_settings_finish (client, test_client_wait (&result), &error);
  g_assert_no_error (error);
  return settings;
}

void
review_test_put_settings (TesseraClient              *client,
                          const TesseraSettingsPatch *patch)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TesseraSettings) settings = NULL;

  tessera_client_update_settings_async (client, patch, NULL, test_client_on_done, &result);
  settings = tessera_client_update_settings_finish (client, test_client_wait (&result), &error);
  g_assert_no_error (error);
}

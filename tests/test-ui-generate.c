/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `ui`: the Generate OTP assistant (DESIGN §1.1) opened from the real main window,
 * against a real tessera-server with demo data; what it generated is checked on the server
 * (its database) and with tessera-device as a real console.
 */
#include "config.h"

#include <string.h>

#include "tessera-account-text.h"
#include "tessera-otp-code.h"
#include "test-ui-generate-common.h"

static TesseraAccount *
main_account (GenFixture *fixture,
              const char *id)
{
  TesseraAccount *account =
    tessera_accounts_model_lookup (tessera_accounts_page_get_model (fixture->page), id);

  g_assert_nonnull (account);
  return account;
}

static guint
n_selected (TesseraGenerateWindow *assistant)
{
  return tessera_accounts_model_get_n_selected (tessera_generate_window_get_accounts (assistant));
}

static gboolean
is_selected (TesseraGenerateWindow *assistant,
             TesseraAccount        *account)
{
  return tessera_accounts_model_get_account_selected (
    tessera_generate_window_get_accounts (assistant), account);
}

static const char *
label_text (gpointer label)
{
  return gtk_label_get_label (GTK_LABEL (label));
}

/* Every selected account of the assistant is ready */
static void
assert_only_ready_selected (TesseraGenerateWindow *assistant)
{
  g_autoptr(GPtrArray) selected =
    tessera_accounts_model_get_selected (tessera_generate_window_get_accounts (assistant));

  for (guint i = 0; i < selected->len; i++)
    g_assert_cmpint (tessera_account_get_readiness (g_ptr_array_index (selected, i)), ==,
                     TESSERA_READINESS_READY);
}

/* Tries every way in to select @account, which is not ready; none may work */
static void
try_to_select_unready (TesseraGenerateWindow *assistant,
                       TesseraAccount        *account)
{
  TesseraAccountsModel *model = tessera_generate_window_get_accounts (assistant);
  GtkListView *list = gen_part (assistant, TESSERA_GENERATE_PART_ACCOUNT_LIST);
  g_autofree char *words = NULL;
  g_autofree char *said = NULL;
  TesseraGenerateAccountRow *row;
  guint before = n_selected (assistant);
  const char *const *issues;

  /* Hidden while only ready accounts are shown */
  gtk_switch_set_active (gen_part (assistant, TESSERA_GENERATE_PART_READY_ONLY_SWITCH), TRUE);
  gen_search (assistant, tessera_account_get_upn (account));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  /* Shown, insensitive, and saying why, once the switch is off */
  gtk_switch_set_active (gen_part (assistant, TESSERA_GENERATE_PART_READY_ONLY_SWITCH), FALSE);
  ui_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  ui_test_wait_until (gen_find_row (assistant, account) != NULL);
  row = gen_find_row (assistant, account);
  g_assert_false (gtk_widget_is_sensitive (
                    GTK_WIDGET (tessera_generate_account_row_get_check_button (row))));
  g_assert_nonnull (strstr (tessera_generate_account_row_get_readiness_text (row),
                            tessera_readiness_get_label (tessera_account_get_readiness (account))));
  issues = tessera_account_get_readiness_issues (account);
  if (issues != NULL && issues[0] != NULL)
    {
      g_autofree char *issue = tessera_readiness_issue_describe (issues[0]);

      words = g_utf8_strdown (issue, -1);
    }
  else
    {
      words = g_strdup ("no valid license");
    }
  said = g_utf8_strdown (tessera_generate_account_row_get_readiness_text (row), -1);
  g_assert_nonnull (strstr (said, words));

  /* Its check button, clicked */
  g_assert_false (gen_click_check (assistant, account));
  g_assert_false (is_selected (assistant, account));

  /* The list's activation (Enter, double click) */
  g_signal_emit_by_name (list, "activate", 0);
  ui_test_drain ();
  g_assert_false (is_selected (assistant, account));

  /* The window's API */
  g_assert_false (tessera_generate_window_set_account_selected (assistant, account, TRUE));

  /* The model's own selection API, which the window hands out */
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (model));
  ui_test_drain ();
  g_assert_false (is_selected (assistant, account));
  g_assert_false (tessera_generate_account_row_get_selected (row));

  /* Select All: only the ready accounts shown, and this one is shown */
  gen_activate (assistant, "select-all");
  g_assert_false (is_selected (assistant, account));

  g_assert_cmpuint (n_selected (assistant), ==, before);
  assert_only_ready_selected (assistant);
}

static void
test_unready_accounts_can_be_neither_checked_nor_generated_for (void)
{
  GenFixture fixture = { 0 };
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GPtrArray) unready = NULL;
  g_autoptr(GPtrArray) unlicensed = NULL;
  TesseraAccountsModel *main_model;
  TesseraGenerateWindow *assistant;
  const char *unready_ids[2];

  gen_fixture_start (&fixture, 80);
  ready = gen_server_accounts (&fixture, TESSERA_READINESS_READY, TRUE, 2);
  unready = gen_server_accounts (&fixture, TESSERA_READINESS_CHANGE_SETTINGS, FALSE, 1);
  unlicensed = gen_server_accounts (&fixture, TESSERA_READINESS_NO_VALID_LICENSE, FALSE, 1);
  unready_ids[0] = tessera_account_get_id (g_ptr_array_index (unready, 0));
  unready_ids[1] = tessera_account_get_id (g_ptr_array_index (unlicensed, 0));

  /* Selected in the main window: two ready accounts and the two that are not */
  main_model = tessera_accounts_page_get_model (fixture.page);
  for (guint i = 0; i < ready->len; i++)
    tessera_accounts_model_set_account_selected (
      main_model, main_account (&fixture, tessera_account_get_id (ready->pdata[i])), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (unready_ids); i++)
    tessera_accounts_model_set_account_selected (main_model,
                                                 main_account (&fixture, unready_ids[i]), TRUE);

  assistant = gen_open (fixture.page);

  /* Only the ready ones arrive selected; the others are named as left out */
  g_assert_cmpuint (n_selected (assistant), ==, 2);
  for (guint i = 0; i < ready->len; i++)
    g_assert_true (is_selected (assistant,
                                gen_account (assistant, tessera_account_get_id (ready->pdata[i]))));
  g_assert_true (gtk_widget_get_visible (gen_part (assistant,
                                                   TESSERA_GENERATE_PART_LEFT_OUT_LABEL)));
  g_assert_cmpstr (label_text (gen_part (assistant, TESSERA_GENERATE_PART_LEFT_OUT_LABEL)), ==,
                   "2 accounts selected in the main window are not ready and were left out.");
  g_assert_cmpstr (label_text (gen_part (assistant, TESSERA_GENERATE_PART_SELECTED_LABEL)), ==,
                   "2 selected");

  for (guint i = 0; i < G_N_ELEMENTS (unready_ids); i++)
    try_to_select_unready (assistant, gen_account (assistant, unready_ids[i]));

  /* Select All over every account (the switch is off): exactly the ready ones */
  gen_search (assistant, "");
  gen_activate (assistant, "select-all");
  {
    TesseraAccountQuery query = { .readiness_mask = 1u << TESSERA_READINESS_READY };
    g_autoptr(GPtrArray) expected = test_client_list_all_accounts (fixture.admin, &query, 1000);

    g_assert_cmpuint (n_selected (assistant), ==, expected->len);
  }
  assert_only_ready_selected (assistant);

  /* Clear empties it, and Next waits for a selection */
  gen_activate (assistant, "clear");
  g_assert_cmpuint (n_selected (assistant), ==, 0);
  g_assert_false (gen_action_enabled (assistant, "next"));

  /* The two ready accounts, and one more try at the others, then generate */
  for (guint i = 0; i < ready->len; i++)
    g_assert_true (gen_click_check (assistant,
                                    gen_account (assistant,
                                                 tessera_account_get_id (ready->pdata[i]))));
  for (guint i = 0; i < G_N_ELEMENTS (unready_ids); i++)
    g_assert_false (gen_click_check (assistant, gen_account (assistant, unready_ids[i])));
  g_assert_cmpuint (n_selected (assistant), ==, 2);
  gen_generate_from_selection (assistant);

  /* What the server received: the two ready accounts, nothing else, nothing refused */
  g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM otps"), ==, 2);
  for (guint i = 0; i < ready->len; i++)
    g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM otps WHERE account_id = '%s'",
                                   tessera_account_get_id (ready->pdata[i])), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (unready_ids); i++)
    g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM audit WHERE target = '%s'",
                                   unready_ids[i]), ==, 0);
  g_assert_cmpint (gen_db_count (&fixture,
                                 "SELECT COUNT(*) FROM audit WHERE action = 'otp_refused'"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (_tessera_generate_window_get_results (assistant)),
                    ==, 2);

  gen_close (assistant);
  gen_fixture_stop (&fixture);
}

static void
test_each_code_is_accepted_once_by_the_console (void)
{
  GenFixture fixture = { 0 };
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  TesseraGenerateWindow *assistant;
  GListModel *results;

  gen_fixture_start (&fixture, 60);
  ready = gen_server_accounts (&fixture, TESSERA_READINESS_READY, TRUE, 3);

  assistant = gen_open (fixture.page);
  g_assert_cmpuint (n_selected (assistant), ==, 0);
  for (guint i = 0; i < ready->len; i++)
    g_assert_true (gen_click_check (assistant,
                                    gen_account (assistant,
                                                 tessera_account_get_id (ready->pdata[i]))));
  g_assert_cmpstr (label_text (gen_part (assistant, TESSERA_GENERATE_PART_SELECTED_LABEL)), ==,
                   "3 selected");
  gen_generate_from_selection (assistant);

  /* One OTP per selected account, on the server and on the page */
  results = _tessera_generate_window_get_results (assistant);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 3);
  g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM otps"), ==, 3);
  g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM batches"), ==, 1);
  for (guint i = 0; i < ready->len; i++)
    g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM otps WHERE account_id = '%s'",
                                   tessera_account_get_id (ready->pdata[i])), ==, 1);
  g_assert_cmpstr (label_text (gen_part (assistant,
                                         TESSERA_GENERATE_PART_RESULTS_SUMMARY_LABEL)), ==,
                   "3 one-time passwords generated");

  /* The rows show each code as XXXX-XXXX-XXXX-XXXX */
  rows = gen_result_rows (assistant);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    {
      TesseraGenerateResultRow *row = g_ptr_array_index (rows, i);
      TesseraOtpResult *result = tessera_generate_result_row_get_result (row);
      g_autofree char *formatted = NULL;
      const char *text = tessera_generate_result_row_get_text (row);

      g_assert_cmpint (tessera_otp_result_get_status (result), ==, TESSERA_OTP_RESULT_ISSUED);
      formatted = tessera_otp_code_format (tessera_otp_result_get_code (result));
      g_assert_cmpstr (text, ==, formatted);
      g_assert_cmpuint (strlen (text), ==, TESSERA_OTP_CODE_FORMATTED_LENGTH);
      g_hash_table_insert (shown, g_strdup (tessera_otp_result_get_account_id (result)),
                           g_strdup (text));
    }
  g_assert_cmpuint (g_hash_table_size (shown), ==, 3);

  /* The main list follows: the event stream brings the new states */
  for (guint i = 0; i < ready->len; i++)
    {
      TesseraAccount *account = main_account (&fixture, tessera_account_get_id (ready->pdata[i]));

      ui_test_wait_until (tessera_account_get_provisioning_state (account) ==
                          TESSERA_PROVISIONING_OTP_ISSUED);
    }

  /* Each shown code works once on a console, and only once */
  for (guint i = 0; i < ready->len; i++)
    {
      const char *id = tessera_account_get_id (ready->pdata[i]);
      const char *code = g_hash_table_lookup (shown, id);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *again_out = NULL;
      g_autofree char *again_err = NULL;

      g_assert_cmpint (gen_device_redeem (&fixture, code, &out, &err), ==, 0);
      g_assert_nonnull (strstr (out, "The code was accepted."));
      g_assert_cmpint (gen_device_redeem (&fixture, code, &again_out, &again_err), ==, 1);
      g_assert_nonnull (strstr (again_err, "The code is not valid"));

      ui_test_wait_until (tessera_account_get_provisioning_state (main_account (&fixture, id)) ==
                          TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);
    }

  gen_close (assistant);
  gen_fixture_stop (&fixture);
}

static void
set_custom_validity (TesseraGenerateWindow *assistant,
                     int                    hours)
{
  AdwComboRow *row = gen_part (assistant, TESSERA_GENERATE_PART_VALIDITY_ROW);

  adw_combo_row_set_selected (row, g_list_model_get_n_items (adw_combo_row_get_model (row)) - 1);
  gtk_spin_button_set_value (gen_part (assistant, TESSERA_GENERATE_PART_CUSTOM_VALIDITY_SPIN),
                             hours);
}

static void
test_edit_from_review_returns_with_the_choices_intact (void)
{
  GenFixture fixture = { 0 };
  g_autoptr(GPtrArray) ready = NULL;
  TesseraGenerateWindow *assistant;
  AdwComboRow *validity;
  const char *first, *second;

  gen_fixture_start (&fixture, 60);
  ready = gen_server_accounts (&fixture, TESSERA_READINESS_READY, TRUE, 3);
  first = tessera_account_get_display_name (ready->pdata[0]);
  second = tessera_account_get_display_name (ready->pdata[1]);

  assistant = gen_open (fixture.page);
  g_assert_cmpstr (gen_title (assistant), ==, "Generate OTP · Account selection (1 of 3)");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (assistant)), ==,
                   "Generate OTP · Account selection (1 of 3)");
  g_assert_false (gen_action_enabled (assistant, "next"));
  for (guint i = 0; i < 2; i++)
    gen_click_check (assistant, gen_account (assistant, tessera_account_get_id (ready->pdata[i])));

  gen_activate (assistant, "next");
  g_assert_cmpstr (gen_title (assistant), ==, "Generate OTP · Configuration (2 of 3)");
  set_custom_validity (assistant, 12);
  gen_activate (assistant, "next");
  g_assert_cmpstr (gen_title (assistant), ==, "Generate OTP · Review (3 of 3)");
  g_assert_cmpstr (adw_preferences_group_get_title (
                     gen_part (assistant, TESSERA_GENERATE_PART_REVIEW_ACCOUNTS_GROUP)), ==,
                   "Account Selection · 2 accounts");
  g_assert_nonnull (strstr (label_text (gen_part (assistant,
                                                  TESSERA_GENERATE_PART_REVIEW_ACCOUNTS_LABEL)),
                            first));
  g_assert_nonnull (strstr (label_text (gen_part (assistant,
                                                  TESSERA_GENERATE_PART_REVIEW_ACCOUNTS_LABEL)),
                            second));
  g_assert_cmpstr (adw_action_row_get_subtitle (
                     gen_part (assistant, TESSERA_GENERATE_PART_REVIEW_VALIDITY_ROW)), ==,
                   "12 hours");

  /* Edit the configuration: its page, as it was left; Next comes straight back */
  gen_activate (assistant, "edit-configuration");
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_CONFIGURATION);
  validity = gen_part (assistant, TESSERA_GENERATE_PART_VALIDITY_ROW);
  g_assert_cmpuint (adw_combo_row_get_selected (validity), ==,
                    g_list_model_get_n_items (adw_combo_row_get_model (validity)) - 1);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                     gen_part (assistant, TESSERA_GENERATE_PART_CUSTOM_VALIDITY_SPIN)), ==, 12);
  g_assert_true (gtk_check_button_get_active (gen_part (assistant,
                                                        TESSERA_GENERATE_PART_GENERATE_CHECK)));
  set_custom_validity (assistant, 30);
  gen_activate (assistant, "next");
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_REVIEW);
  g_assert_cmpstr (adw_action_row_get_subtitle (
                     gen_part (assistant, TESSERA_GENERATE_PART_REVIEW_VALIDITY_ROW)), ==,
                   "30 hours");

  /* Edit the selection: still two selected; one more, and Next comes straight back */
  gen_activate (assistant, "edit-selection");
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_SELECTION);
  g_assert_cmpstr (gen_title (assistant), ==, "Generate OTP · Account selection (1 of 3)");
  g_assert_cmpuint (n_selected (assistant), ==, 2);
  g_assert_true (gen_click_check (assistant,
                                  gen_account (assistant,
                                               tessera_account_get_id (ready->pdata[2]))));
  gen_activate (assistant, "next");
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_REVIEW);
  g_assert_cmpstr (adw_preferences_group_get_title (
                     gen_part (assistant, TESSERA_GENERATE_PART_REVIEW_ACCOUNTS_GROUP)), ==,
                   "Account Selection · 3 accounts");
  g_assert_cmpstr (adw_action_row_get_subtitle (
                     gen_part (assistant, TESSERA_GENERATE_PART_REVIEW_VALIDITY_ROW)), ==,
                   "30 hours");

  /* Back is the plain order again */
  gen_activate (assistant, "back");
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_CONFIGURATION);
  gen_activate (assistant, "back");
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_SELECTION);
  gen_activate (assistant, "next");
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_CONFIGURATION);
  gen_activate (assistant, "next");
  gen_activate (assistant, "generate");
  g_assert_cmpstr (gen_title (assistant), ==, "Generate OTP · One-time passwords");
  gen_wait_results (assistant);

  /* The batch was made with the validity chosen last: 30 hours after issue */
  g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM otps"), ==, 3);
  g_assert_cmpint (gen_db_count (&fixture,
                                 "SELECT COUNT(*) FROM otps WHERE expires_at - issued_at = %"
                                 G_GINT64_FORMAT, (gint64) 30 * G_TIME_SPAN_HOUR), ==, 3);

  gen_close (assistant);
  gen_fixture_stop (&fixture);
}

static void
test_more_than_1000_accounts_go_in_several_batches (void)
{
  TesseraAccountQuery query = { .readiness_mask = 1u << TESSERA_READINESS_READY };
  g_autoptr(GPtrArray) expected = NULL;
  g_autofree char *progress = NULL;
  g_autofree char *more = NULL;
  GenFixture fixture = { 0 };
  TesseraGenerateWindow *assistant;
  GListModel *results;
  guint n_issued = 0;

  /* About 70 % of demo accounts are ready: more than 1 500 of 2 300 */
  gen_fixture_start (&fixture, 2300);
  expected = test_client_list_all_accounts (fixture.admin, &query, 1000);
  g_assert_cmpuint (expected->len, >, 1500);
  g_assert_cmpuint (expected->len, <=, 2000);

  assistant = gen_open (fixture.page);
  gen_activate (assistant, "select-all");
  g_assert_cmpuint (n_selected (assistant), ==, expected->len);

  gen_activate (assistant, "next");
  gen_activate (assistant, "next");
  more = g_strdup_printf ("and %u more", expected->len - 10);
  g_assert_true (g_str_has_suffix (
    label_text (gen_part (assistant, TESSERA_GENERATE_PART_REVIEW_ACCOUNTS_LABEL)), more));
  gen_activate (assistant, "generate");
  gen_wait_results (assistant);

  /* Two requests, each its own batch on the server: 1 000 and the rest */
  g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM batches"), ==, 2);
  g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM otps"), ==, expected->len);
  g_assert_cmpint (gen_db_count (&fixture, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM otps "
                                 "GROUP BY batch_id)"), ==, 1000);
  g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(DISTINCT idempotency_key) FROM batches "
                                 "WHERE idempotency_key IS NOT NULL"), ==, 2);

  results = _tessera_generate_window_get_results (assistant);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, expected->len);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(TesseraOtpResult) result = g_list_model_get_item (results, i);

      if (tessera_otp_result_get_status (result) == TESSERA_OTP_RESULT_ISSUED)
        n_issued++;
    }
  g_assert_cmpuint (n_issued, ==, expected->len);
  progress = g_strdup_printf ("Generating… %u of %u", expected->len, expected->len);
  g_assert_cmpstr (label_text (gen_part (assistant, TESSERA_GENERATE_PART_PROGRESS_LABEL)), ==,
                   progress);

  gen_close (assistant);
  gen_fixture_stop (&fixture);
}

static gboolean
has_shortcut (GtkWidget  *widget,
              guint       keyval,
              const char *action_name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              GTK_IS_NAMED_ACTION (action) &&
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                         action_name) == 0)
            return TRUE;
        }
    }

  return FALSE;
}

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static void
test_closing_with_unkept_codes_asks_first (void)
{
  GenFixture fixture = { 0 };
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(TesseraOtpResult) result = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *clipboard = NULL;
  TesseraGenerateWindow *assistant;
  GtkWindow *gone;
  AdwMessageDialog *dialog;

  gen_fixture_start (&fixture, 40);
  ready = gen_server_accounts (&fixture, TESSERA_READINESS_READY, TRUE, 2);

  /* Escape is Cancel; with nothing generated, Cancel just closes */
  assistant = gen_open (fixture.page);
  g_assert_true (has_shortcut (GTK_WIDGET (assistant), GDK_KEY_Escape, "generate.cancel"));
  gone = GTK_WINDOW (assistant);
  g_object_add_weak_pointer (G_OBJECT (assistant), (gpointer *) &gone);
  gen_click_check (assistant, gen_account (assistant, tessera_account_get_id (ready->pdata[0])));
  gen_activate (assistant, "cancel");
  ui_test_wait_until (gone == NULL);

  assistant = gen_open (fixture.page);
  for (guint i = 0; i < ready->len; i++)
    gen_click_check (assistant, gen_account (assistant, tessera_account_get_id (ready->pdata[i])));
  gen_generate_from_selection (assistant);

  /* Codes nobody kept: closing asks, and "Keep Open" keeps them */
  gtk_window_close (GTK_WINDOW (assistant));
  ui_test_drain ();
  dialog = gen_find_dialog (assistant);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (assistant)));
  gen_press (dialog, "_Keep Open");
  ui_test_wait_until (gen_find_dialog (assistant) == NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (assistant)));

  /* Copy All puts a line per room on the clipboard; then closing asks nothing */
  gen_activate (assistant, "copy-all");
  result = g_list_model_get_item (_tessera_generate_window_get_results (assistant), 0);
  formatted = tessera_otp_code_format (tessera_otp_result_get_code (result));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (assistant)), NULL,
                                 on_clipboard_text, &clipboard);
  ui_test_wait_until (clipboard != NULL);
  g_assert_nonnull (strstr (clipboard, formatted));
  {
    g_auto(GStrv) lines = g_strsplit (g_strchomp (clipboard), "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 2);
  }
  g_assert_true (_tessera_generate_window_get_codes_kept (assistant));

  gone = GTK_WINDOW (assistant);
  g_object_add_weak_pointer (G_OBJECT (assistant), (gpointer *) &gone);
  gtk_window_close (GTK_WINDOW (assistant));
  ui_test_drain ();
  g_assert_null (gone);

  gen_fixture_stop (&fixture);
}

static void
test_a_failed_generation_can_be_retried (void)
{
  GenFixture fixture = { 0 };
  g_autoptr(GPtrArray) ready = NULL;
  AdwStatusPage *error_page;
  TesseraGenerateWindow *assistant;
  GtkStack *results_stack;

  gen_fixture_start_on_port (&fixture, 40, ui_test_free_port ());
  ready = gen_server_accounts (&fixture, TESSERA_READINESS_READY, TRUE, 2);
  assistant = gen_open (fixture.page);
  for (guint i = 0; i < ready->len; i++)
    gen_click_check (assistant, gen_account (assistant, tessera_account_get_id (ready->pdata[i])));
  gen_activate (assistant, "next");
  gen_activate (assistant, "next");

  /* The server goes away just before Generate: nothing generated, said plainly */
  g_assert_cmpint (tessera_test_server_stop (fixture.server), ==, 0);
  gen_activate (assistant, "generate");
  gen_wait_results (assistant);
  results_stack = gen_part (assistant, TESSERA_GENERATE_PART_RESULTS_STACK);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (results_stack), ==, "error");
  error_page = ADW_STATUS_PAGE (gtk_stack_get_visible_child (results_stack));
  g_assert_nonnull (strstr (adw_status_page_get_description (error_page), "Cannot reach"));
  g_assert_false (gen_action_enabled (assistant, "copy-all"));
  /* Nothing to keep: closing would not ask */
  g_assert_false (_tessera_generate_window_needs_confirmation (assistant));

  /* Back on the same address: Try Again sends the same batch, which the server never saw */
  tessera_test_server_restart (fixture.server);
  gen_activate (assistant, "retry");
  gen_wait_results (assistant);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (results_stack), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (_tessera_generate_window_get_results (assistant)),
                    ==, 2);
  g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM batches"), ==, 1);
  g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM otps"), ==, 2);
  g_assert_true (gen_action_enabled (assistant, "copy-all"));
  g_assert_false (gen_action_enabled (assistant, "retry"));

  gen_close (assistant);
  gen_fixture_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/generate/unready-accounts-can-be-neither-checked-nor-generated-for",
                   test_unready_accounts_can_be_neither_checked_nor_generated_for);
  g_test_add_func ("/ui/generate/each-code-is-accepted-once-by-the-console",
                   test_each_code_is_accepted_once_by_the_console);
  g_test_add_func ("/ui/generate/edit-from-review-returns-with-the-choices-intact",
                   test_edit_from_review_returns_with_the_choices_intact);
  g_test_add_func ("/ui/generate/more-than-1000-accounts-go-in-several-batches",
                   test_more_than_1000_accounts_go_in_several_batches);
  g_test_add_func ("/ui/generate/closing-with-unkept-codes-asks-first",
                   test_closing_with_unkept_codes_asks_first);
  g_test_add_func ("/ui/generate/a-failed-generation-can-be-retried",
                   test_a_failed_generation_can_be_retried);

  return g_test_run ();
}

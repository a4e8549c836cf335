/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `ui`: Preferences (the organisation's settings, DESIGN §1.5) of the real app against
 * a real tessera-server: what the window saves is what the server then does.
 */
#include "config.h"

#include <string.h>

#include "test-ui-review-common.h"

#define DEMO_ACCOUNTS 20

static TesseraPreferencesWindow *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (TESSERA_IS_PREFERENCES_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TESSERA_PREFERENCES_WINDOW (window);
    }

  return NULL;
}

/* As the main menu's Preferences item (or Ctrl+,) does */
static TesseraPreferencesWindow *
open_preferences (TesseraAccountsPage *page)
{
  TesseraPreferencesWindow *preferences = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "app.preferences", NULL));
  ui_test_wait_until ((preferences = find_preferences ()) != NULL);
  ui_test_wait_until (_tessera_preferences_window_get_loaded (preferences));

  return preferences;
}

static gpointer
part (TesseraPreferencesWindow *preferences,
      TesseraPreferencesPart    which)
{
  return _tessera_preferences_window_get_part (preferences, which);
}

static guint
selected_validity (TesseraPreferencesWindow *preferences)
{
  return adw_combo_row_get_selected (part (preferences, TESSERA_PREFERENCES_PART_VALIDITY_ROW));
}

static guint
preset_of (guint hours)
{
  for (guint i = 0; i < TESSERA_PREFERENCES_N_PRESETS; i++)
    if (tessera_preferences_presets[i] == hours)
      return i;
  g_assert_not_reached ();
}

static void
wait_saved (TesseraPreferencesWindow *preferences)
{
  ui_test_wait_until (_tessera_preferences_window_get_n_saving (preferences) == 0);
}

/* Issues one OTP now and checks it expires @hours from now, give or take a minute */
static void
assert_new_otps_last (TesseraClient *admin,
                      guint          hours)
{
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (admin, 1);
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  TesseraOtpResult *result;
  gint64 expected = g_get_real_time () + (gint64) hours * 3600 * G_USEC_PER_SEC;
  gint64 expires_at;

  batch = test_client_generate (admin, (const char * const *) fresh->pdata, NULL, &error);
  g_assert_no_error (error);
  result = g_ptr_array_index (tessera_otp_batch_get_results (batch), 0);
  g_assert_cmpint (tessera_otp_result_get_status (result), ==, TESSERA_OTP_RESULT_ISSUED);
  expires_at = tessera_datetime_to_unix_usec (tessera_otp_result_get_expires_at (result));
  g_assert_cmpint (expires_at, >=, expected - 60 * G_USEC_PER_SEC);
  g_assert_cmpint (expires_at, <=, expected + 60 * G_USEC_PER_SEC);
}

static void
test_shows_the_servers_settings (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS, 0);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraSettingsPatch) patch = tessera_settings_patch_new ();
  TesseraPreferencesWindow *preferences;
  TesseraAccountsPage *page;
  TesseraWindow *window;

  /* Not a preset: the window shows Custom with the number */
  patch->has_otp_validity_hours = TRUE;
  patch->otp_validity_hours = 100;
  patch->has_separation_of_duties = TRUE;
  patch->separation_of_duties = TRUE;
  review_test_put_settings (admin, patch);

  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);
  preferences = open_preferences (page);

  g_assert_true (gtk_window_get_modal (GTK_WINDOW (preferences)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (window));
  g_assert_cmpuint (selected_validity (preferences), ==, TESSERA_PREFERENCES_CUSTOM);
  g_assert_true (gtk_widget_get_visible (part (preferences, TESSERA_PREFERENCES_PART_CUSTOM_ROW)));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (part (preferences,
                                                           TESSERA_PREFERENCES_PART_CUSTOM_SPIN)),
                   ==, 100);
  g_assert_false (gtk_switch_get_active (part (preferences,
                                               TESSERA_PREFERENCES_PART_AUTO_APPROVE_SWITCH)));
  g_assert_true (gtk_switch_get_active (part (preferences,
                                              TESSERA_PREFERENCES_PART_SEPARATION_SWITCH)));
  g_assert_true (gtk_widget_is_sensitive (part (preferences,
                                                TESSERA_PREFERENCES_PART_VALIDITY_ROW)));
  g_assert_true (gtk_widget_is_sensitive (part (preferences,
                                                TESSERA_PREFERENCES_PART_AUTO_APPROVE_SWITCH)));
  g_assert_false (gtk_widget_get_visible (part (preferences,
                                                TESSERA_PREFERENCES_PART_VIEWER_NOTE)));

  /* Opening it again brings the same window forward */
  g_assert_true (open_preferences (page) == preferences);

  review_test_close (GTK_WINDOW (preferences));
  ui_test_window_close (window);
}

static void
test_validity_applies_to_new_otps (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS, 0);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  TesseraPreferencesWindow *preferences;
  TesseraAccountsPage *page;
  TesseraWindow *window;
  AdwComboRow *validity;
  GtkSpinButton *spin;

  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);
  preferences = open_preferences (page);
  validity = part (preferences, TESSERA_PREFERENCES_PART_VALIDITY_ROW);
  spin = part (preferences, TESSERA_PREFERENCES_PART_CUSTOM_SPIN);

  /* The default, 8 hours, is a preset */
  g_assert_cmpuint (selected_validity (preferences), ==, preset_of (8));
  g_assert_false (gtk_widget_get_visible (part (preferences, TESSERA_PREFERENCES_PART_CUSTOM_ROW)));

  /* 1 hour: saved at once, and the next OTPs last one hour */
  adw_combo_row_set_selected (validity, preset_of (1));
  wait_saved (preferences);
  {
    g_autoptr(TesseraSettings) settings = review_test_get_settings (admin);

    g_assert_cmpuint (tessera_settings_get_otp_validity_hours (settings), ==, 1);
  }
  assert_new_otps_last (admin, 1);

  /* Custom shows the number of hours, and saves when it changes */
  adw_combo_row_set_selected (validity, TESSERA_PREFERENCES_CUSTOM);
  g_assert_true (gtk_widget_get_visible (part (preferences, TESSERA_PREFERENCES_PART_CUSTOM_ROW)));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 1);
  g_assert_cmpuint (_tessera_preferences_window_get_n_saving (preferences), ==, 0);
  gtk_spin_button_set_value (spin, 30);
  wait_saved (preferences);
  {
    g_autoptr(TesseraSettings) settings = review_test_get_settings (admin);

    g_assert_cmpuint (tessera_settings_get_otp_validity_hours (settings), ==, 30);
  }
  assert_new_otps_last (admin, 30);
  /* The range is the server's: 1 to 336 */
  gtk_spin_button_set_value (spin, 1000);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 336);
  wait_saved (preferences);
  {
    g_autoptr(TesseraSettings) settings = review_test_get_settings (admin);

    g_assert_cmpuint (tessera_settings_get_otp_validity_hours (settings), ==, 336);
  }
  g_assert_cmpuint (selected_validity (preferences), ==, TESSERA_PREFERENCES_CUSTOM);

  review_test_close (GTK_WINDOW (preferences));
  ui_test_window_close (window);
}

static void
test_auto_approval_approves_without_review (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS, 0);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (admin, 1);
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(ReviewDevice) device = NULL;
  g_autofree char *sign_in_line = NULL;
  TesseraPreferencesWindow *preferences;
  TesseraAccountsPage *page;
  TesseraAccount *account;
  TesseraWindow *window;
  GtkSwitch *auto_approve;

  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);
  preferences = open_preferences (page);
  auto_approve = part (preferences, TESSERA_PREFERENCES_PART_AUTO_APPROVE_SWITCH);

  g_assert_false (gtk_switch_get_active (auto_approve));
  gtk_switch_set_active (auto_approve, TRUE);
  wait_saved (preferences);
  {
    g_autoptr(TesseraSettings) settings = review_test_get_settings (admin);

    g_assert_true (tessera_settings_get_auto_approve (settings));
  }
  review_test_close (GTK_WINDOW (preferences));

  /* A console redeems: approved with nobody reviewing */
  codes = review_test_issue (admin, (const char * const *) fresh->pdata);
  device = review_device_start (server, g_ptr_array_index (codes, 0), "SN-AUTO");
  review_device_finish (device);
  g_assert_cmpint (device->status, ==, 0);
  account = tessera_accounts_model_lookup (tessera_accounts_page_get_model (page),
                                           g_ptr_array_index (fresh, 0));
  sign_in_line = g_strdup_printf ("Sign-in name: %s", tessera_account_get_upn (account));
  g_assert_nonnull (strstr (device->out, sign_in_line));
  ui_test_wait_until (tessera_account_get_provisioning_state (account) ==
                      TESSERA_PROVISIONING_PROVISIONED);
  g_assert_null (review_test_find_window ());

  ui_test_window_close (window);
}

static void
test_other_admins_changes_arrive (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS, 0);
  g_autoptr(TesseraClient) admin2 = test_client_new_signed_in (server, TESSERA_TEST_ADMIN2);
  g_autoptr(TesseraSettingsPatch) patch = tessera_settings_patch_new ();
  TesseraPreferencesWindow *preferences;
  TesseraAccountsPage *page;
  TesseraWindow *window;

  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);
  preferences = open_preferences (page);
  g_assert_cmpuint (selected_validity (preferences), ==, preset_of (8));

  /* Another admin changes everything while the window is open */
  patch->has_otp_validity_hours = TRUE;
  patch->otp_validity_hours = 48;
  patch->has_auto_approve = TRUE;
  patch->auto_approve = TRUE;
  patch->has_separation_of_duties = TRUE;
  patch->separation_of_duties = TRUE;
  review_test_put_settings (admin2, patch);

  ui_test_wait_until (selected_validity (preferences) == preset_of (48));
  ui_test_wait_until (gtk_switch_get_active (part (preferences,
                                                   TESSERA_PREFERENCES_PART_AUTO_APPROVE_SWITCH)));
  ui_test_wait_until (gtk_switch_get_active (part (preferences,
                                                   TESSERA_PREFERENCES_PART_SEPARATION_SWITCH)));
  /* Following the server is not a change of this admin's to save back */
  g_assert_cmpuint (_tessera_preferences_window_get_n_saving (preferences), ==, 0);

  /* And this admin turns separation of duties off again */
  gtk_switch_set_active (part (preferences, TESSERA_PREFERENCES_PART_SEPARATION_SWITCH), FALSE);
  wait_saved (preferences);
  {
    g_autoptr(TesseraSettings) settings = review_test_get_settings (admin2);

    g_assert_false (tessera_settings_get_separation_of_duties (settings));
    g_assert_true (tessera_settings_get_auto_approve (settings));
    g_assert_cmpuint (tessera_settings_get_otp_validity_hours (settings), ==, 48);
  }

  review_test_close (GTK_WINDOW (preferences));
  ui_test_window_close (window);
}

static void
test_viewer_sees_them_read_only (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS, 0);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraSettingsPatch) patch = tessera_settings_patch_new ();
  TesseraPreferencesWindow *preferences;
  TesseraAccountsPage *page;
  TesseraWindow *window;
  GtkWidget *note;

  patch->has_auto_approve = TRUE;
  patch->auto_approve = TRUE;
  review_test_put_settings (admin, patch);

  page = review_test_start_signed_in (server, TESSERA_TEST_VIEWER, &window);
  preferences = open_preferences (page);
  note = part (preferences, TESSERA_PREFERENCES_PART_VIEWER_NOTE);

  /* The values, but no way to change them */
  g_assert_true (gtk_switch_get_active (part (preferences,
                                              TESSERA_PREFERENCES_PART_AUTO_APPROVE_SWITCH)));
  g_assert_cmpuint (selected_validity (preferences), ==, preset_of (8));
  g_assert_false (gtk_widget_is_sensitive (part (preferences,
                                                 TESSERA_PREFERENCES_PART_VALIDITY_ROW)));
  g_assert_false (gtk_widget_is_sensitive (part (preferences,
                                                 TESSERA_PREFERENCES_PART_AUTO_APPROVE_SWITCH)));
  g_assert_false (gtk_widget_is_sensitive (part (preferences,
                                                 TESSERA_PREFERENCES_PART_SEPARATION_SWITCH)));
  g_assert_true (gtk_widget_get_visible (note));
  g_assert_true (g_str_has_prefix (adw_preferences_group_get_description (
                                     ADW_PREFERENCES_GROUP (note)),
                                   "Only admins can change these settings"));

  review_test_close (GTK_WINDOW (preferences));
  ui_test_window_close (window);
}

static void
test_failed_save_reverts_and_says_why (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS,
                                                                ui_test_free_port ());
  g_autoptr(TesseraClient) admin = NULL;
  TesseraPreferencesWindow *preferences;
  TesseraAccountsPage *page;
  TesseraWindow *window;
  GtkSwitch *auto_approve;

  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);
  preferences = open_preferences (page);
  auto_approve = part (preferences, TESSERA_PREFERENCES_PART_AUTO_APPROVE_SWITCH);

  g_assert_cmpint (tessera_test_server_stop (server), ==, 0);

  /* The switch goes back, and the toast says why */
  gtk_switch_set_active (auto_approve, TRUE);
  wait_saved (preferences);
  g_assert_false (gtk_switch_get_active (auto_approve));
  g_assert_true (g_str_has_prefix (_tessera_preferences_window_get_last_error (preferences),
                                   "Could not save OTP auto-approval: Cannot reach "));

  /* So does the validity */
  adw_combo_row_set_selected (part (preferences, TESSERA_PREFERENCES_PART_VALIDITY_ROW),
                              preset_of (24));
  wait_saved (preferences);
  g_assert_cmpuint (selected_validity (preferences), ==, preset_of (8));
  g_assert_true (g_str_has_prefix (_tessera_preferences_window_get_last_error (preferences),
                                   "Could not save the OTP validity: Cannot reach "));

  /* Nothing changed on the server */
  tessera_test_server_restart (server);
  admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  {
    g_autoptr(TesseraSettings) settings = review_test_get_settings (admin);

    g_assert_false (tessera_settings_get_auto_approve (settings));
    g_assert_cmpuint (tessera_settings_get_otp_validity_hours (settings), ==, 8);
  }

  review_test_close (GTK_WINDOW (preferences));
  ui_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/preferences/show-the-servers-settings-including-a-custom-validity",
                   test_shows_the_servers_settings);
  g_test_add_func ("/ui/preferences/validity-presets-and-custom-hours-apply-to-new-otps",
                   test_validity_applies_to_new_otps);
  g_test_add_func ("/ui/preferences/auto-approval-approves-redemptions-without-review",
                   test_auto_approval_approves_without_review);
  g_test_add_func ("/ui/preferences/other-admins-changes-arrive-while-open",
                   test_other_admins_changes_arrive);
  g_test_add_func ("/ui/preferences/viewer-sees-them-read-only",
                   test_viewer_sees_them_read_only);
  g_test_add_func ("/ui/preferences/failed-save-reverts-the-control-and-says-why",
                   test_failed_save_reverts_and_says_why);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `ui`: the Review OTP request window (DESIGN §1.3) of the real app against a real
 * tessera-server, with consoles redeeming through tessera-device as real subprocesses. What
 * the window says is checked against what the server and the consoles then report.
 */
#include "config.h"

#include <string.h>

#include "tessera-account-text.h"
#include "tessera-account-cell.h"
#include "tessera-request-text.h"
#include "tessera-test-db.h"
#include "test-ui-review-common.h"

#define DEMO_ACCOUNTS 40

/* What tessera-device prints for each reason (its own words, src/device) */
static const char *const device_words[] = {
  [TESSERA_REJECTION_UNRECOGNIZED_DEVICE] = "the admin did not recognise this device",
  [TESSERA_REJECTION_WRONG_ROOM] = "the code was meant for a different room",
  [TESSERA_REJECTION_NOT_EXPECTED] = "the admin did not expect a device to be set up now",
  [TESSERA_REJECTION_SECURITY_CONCERN] = "the admin has a security concern",
  [TESSERA_REJECTION_OTHER] = "for another reason",
};

static const char *
label_text (TesseraReviewWindow *window,
            TesseraReviewPart    part)
{
  return gtk_label_get_label (review_part (window, part));
}

/* Narrows the table to one account, so its row is on screen */
static void
search_for (TesseraAccountsPage *page,
            const char          *text)
{
  GtkEditable *entry = _tessera_accounts_page_get_part (page,
                                                        TESSERA_ACCOUNTS_PAGE_PART_SEARCH_ENTRY);

  gtk_widget_activate_action (GTK_WIDGET (page), "accounts.find", NULL);
  gtk_editable_set_text (entry, text);
  ui_test_wait_until (g_strcmp0 (tessera_accounts_model_get_query (
                                   tessera_accounts_page_get_model (page)), text) == 0);
}

static gboolean
row_says (TesseraAccountsPage *page,
          TesseraAccount      *account,
          const char          *text)
{
  g_autoptr(GPtrArray) cells = ui_test_find_cells (page, account,
                                                   TESSERA_ACCOUNTS_COLUMN_PROVISIONING);

  for (guint i = 0; i < cells->len; i++)
    if (ui_test_has_label (g_ptr_array_index (cells, i), text))
      return TRUE;

  return FALSE;
}

static void
test_approve_signs_the_console_in (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS, 0);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (admin, 1);
  const char *account_id = g_ptr_array_index (fresh, 0);
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(ReviewDevice) device = NULL;
  g_autoptr(TesseraRequest) on_server = NULL;
  g_autofree char *request_id = NULL;
  g_autofree char *requested = NULL;
  g_autofree char *toast = NULL;
  g_autofree char *sign_in_line = NULL;
  TesseraAccountsPage *page;
  TesseraReviewWindow *review;
  TesseraAccount *account;
  TesseraRequest *shown;
  TesseraWindow *window;

  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);

  codes = review_test_issue (admin, (const char * const *) fresh->pdata);
  device = review_device_start (server, g_ptr_array_index (codes, 0), "SN-4711");
  account = review_test_wait_awaiting (page, account_id);
  request_id = review_test_request_id (admin, account_id);
  search_for (page, tessera_account_get_upn (account));
  ui_test_wait_until (row_says (page, account, "Awaiting OTP approval"));

  review = review_test_open_from_row (page, account);
  shown = tessera_review_window_get_request (review);
  g_assert_cmpstr (tessera_request_get_id (shown), ==, request_id);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (review)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (review)) == GTK_WINDOW (window));
  ui_test_assert_icon_buttons_labelled (GTK_WIDGET (review));

  /* Everything the admin needs to decide, in the words of the design */
  g_assert_cmpstr (label_text (review, TESSERA_REVIEW_PART_ACCOUNT_TITLE), ==,
                   tessera_account_get_display_name (account));
  g_assert_true (g_str_has_prefix (label_text (review, TESSERA_REVIEW_PART_ACCOUNT_SUBTITLE),
                                   tessera_account_get_upn (account)));
  g_assert_cmpstr (label_text (review, TESSERA_REVIEW_PART_REQUESTED_BY), ==, TESSERA_TEST_ADMIN);
  requested = tessera_format_date_time (tessera_request_get_requested_at (shown));
  g_assert_cmpstr (label_text (review, TESSERA_REVIEW_PART_REQUESTED_DATE), ==, requested);
  g_assert_true (g_str_has_suffix (label_text (review, TESSERA_REVIEW_PART_EXPIRATION_DATE),
                                   "(in 8 hours)"));
  g_assert_cmpstr (label_text (review, TESSERA_REVIEW_PART_SOURCE), ==, "127.0.0.1");
  g_assert_cmpstr (label_text (review, TESSERA_REVIEW_PART_MAKE), ==, "Contoso");
  g_assert_cmpstr (label_text (review, TESSERA_REVIEW_PART_MODEL), ==, "Room Console 9");
  g_assert_cmpstr (label_text (review, TESSERA_REVIEW_PART_SERIAL_NUMBER), ==, "SN-4711");
  g_assert_cmpint (_tessera_review_window_get_view (review), ==, TESSERA_REVIEW_VIEW_DECIDE);

  /* The serial number's copy button puts it on the clipboard */
  g_signal_emit_by_name (review_part (review, TESSERA_REVIEW_PART_COPY_SERIAL_BUTTON), "clicked");
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (review));
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *text = NULL;

    gdk_clipboard_read_text_async (clipboard, NULL, test_client_on_done, &result);
    ui_test_wait_until (result != NULL);
    text = gdk_clipboard_read_text_finish (clipboard, result, NULL);
    g_assert_cmpstr (text, ==, "SN-4711");
  }

  /* Nothing is chosen for the admin */
  g_assert_false (review_can_resolve (review));
  review_choose_approve (review);
  review_press_resolve (review);
  g_assert_true (_tessera_review_window_get_resolving (review) ||
                 review_test_find_window () == NULL);

  /* Done: the window closes, the main window says so, the console is signed in */
  ui_test_wait_until (review_test_find_window () == NULL);
  toast = g_strdup_printf ("Request approved for %s", tessera_account_get_display_name (account));
  ui_test_wait_until (ui_test_has_label (_tessera_accounts_page_get_part (
                                   page, TESSERA_ACCOUNTS_PAGE_PART_TOAST_OVERLAY), toast));

  review_device_finish (device);
  g_assert_cmpint (device->status, ==, 0);
  sign_in_line = g_strdup_printf ("Sign-in name: %s", tessera_account_get_upn (account));
  g_assert_nonnull (strstr (device->out, sign_in_line));

  /* The row follows the event stream, without a refresh */
  ui_test_wait_until (tessera_account_get_provisioning_state (account) ==
                      TESSERA_PROVISIONING_PROVISIONED);
  ui_test_wait_until (row_says (page, account, "Provisioned"));

  on_server = review_test_get_request (admin, request_id);
  g_assert_cmpstr (tessera_request_get_resolved_by (on_server), ==, TESSERA_TEST_ADMIN);
  g_assert_true (tessera_request_get_state (on_server) == TESSERA_REQUEST_APPROVED ||
                 tessera_request_get_state (on_server) == TESSERA_REQUEST_COMPLETED);

  ui_test_window_close (window);
}

static TesseraRequest *
current_request (TesseraReviewWindow *review)
{
  return tessera_review_window_get_request (review);
}

static gboolean
settled_on_other (TesseraReviewWindow *review,
                  const char          *previous_id)
{
  TesseraRequest *request = current_request (review);

  return request != NULL && g_strcmp0 (tessera_request_get_id (request), previous_id) != 0 &&
         _tessera_review_window_get_view (review) == TESSERA_REVIEW_VIEW_DECIDE;
}

static void
test_reject_with_each_reason_tells_the_console (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS, 0);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (admin, 5);
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GHashTable) reason_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ReviewDevice *devices[5] = { NULL };
  TesseraAccountsPage *page;
  TesseraReviewWindow *review;
  TesseraWindow *window;
  GtkRevealer *prompt;

  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);

  codes = review_test_issue (admin, (const char * const *) fresh->pdata);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *serial = g_strdup_printf ("SN-R%u", i + 1);

      devices[i] = review_device_start (server, g_ptr_array_index (codes, i), serial);
    }
  for (guint i = 0; i < 5; i++)
    review_test_wait_awaiting (page, g_ptr_array_index (fresh, i));

  /* The prompt's Review walks through all five */
  prompt = _tessera_accounts_page_get_part (page, TESSERA_ACCOUNTS_PAGE_PART_PROMPT_REVEALER);
  ui_test_wait_until (gtk_revealer_get_reveal_child (prompt));
  g_assert_cmpstr (gtk_label_get_label (_tessera_accounts_page_get_part (
                     page, TESSERA_ACCOUNTS_PAGE_PART_PROMPT_LABEL)), ==,
                   "5 requests awaiting approval");
  g_signal_emit_by_name (_tessera_accounts_page_get_part (page,
                                                          TESSERA_ACCOUNTS_PAGE_PART_REVIEW_BUTTON),
                         "clicked");
  ui_test_wait_until ((review = review_test_find_window ()) != NULL);
  ui_test_wait_until (_tessera_review_window_get_view (review) == TESSERA_REVIEW_VIEW_DECIDE);
  g_assert_cmpuint (_tessera_review_window_get_n_requests (review), ==, 5);
  g_assert_cmpstr (adw_window_title_get_subtitle (review_part (review,
                                                               TESSERA_REVIEW_PART_WINDOW_TITLE)),
                   ==, "1 of 5");

  /* Next and Previous move through them; the first has no previous */
  g_assert_false (gtk_widget_is_sensitive (review_part (review,
                                                        TESSERA_REVIEW_PART_PREVIOUS_BUTTON)));
  g_signal_emit_by_name (review_part (review, TESSERA_REVIEW_PART_NEXT_BUTTON), "clicked");
  g_assert_cmpstr (adw_window_title_get_subtitle (review_part (review,
                                                               TESSERA_REVIEW_PART_WINDOW_TITLE)),
                   ==, "2 of 5");
  g_signal_emit_by_name (review_part (review, TESSERA_REVIEW_PART_PREVIOUS_BUTTON), "clicked");
  g_assert_cmpuint (_tessera_review_window_get_position (review), ==, 0);

  for (TesseraRejectionReason reason = TESSERA_REJECTION_UNRECOGNIZED_DEVICE;
       reason <= TESSERA_REJECTION_OTHER; reason++)
    {
      TesseraRequest *request = current_request (review);
      g_autofree char *previous_id = g_strdup (tessera_request_get_id (request));
      g_autofree char *position = g_strdup_printf ("%u of 5", reason);
      GtkWidget *button = review_part (review, TESSERA_REVIEW_PART_RESOLVE_BUTTON);

      g_assert_cmpstr (adw_window_title_get_subtitle (
                         review_part (review, TESSERA_REVIEW_PART_WINDOW_TITLE)), ==, position);
      g_hash_table_insert (reason_of, g_strdup (tessera_request_get_account_id (request)),
                           GINT_TO_POINTER (reason));

      /* The reason is required: Resolve waits for it */
      review_choose_reject (review, TESSERA_REJECTION_NONE);
      g_assert_false (review_can_resolve (review));
      g_assert_true (gtk_widget_has_css_class (button, "destructive-action"));
      adw_combo_row_set_selected (review_part (review, TESSERA_REVIEW_PART_REASON_ROW),
                                  reason - 1);
      if (reason == TESSERA_REJECTION_OTHER)
        gtk_editable_set_text (review_part (review, TESSERA_REVIEW_PART_COMMENT_ROW),
                               "Call the service desk first");
      review_press_resolve (review);

      /* It advances to the next one still pending, and closes after the last */
      if (reason < TESSERA_REJECTION_OTHER)
        ui_test_wait_until (settled_on_other (review, previous_id));
      else
        ui_test_wait_until (review_test_find_window () == NULL);
    }

  /* Each console was told its reason, in its own words */
  for (guint i = 0; i < 5; i++)
    {
      TesseraRejectionReason reason =
        GPOINTER_TO_INT (g_hash_table_lookup (reason_of, g_ptr_array_index (fresh, i)));
      g_autofree char *expected = g_strdup_printf ("Rejected: %s.", device_words[reason]);
      g_autofree char *request_id = review_test_request_id (admin, g_ptr_array_index (fresh, i));
      g_autoptr(TesseraRequest) on_server = review_test_get_request (admin, request_id);

      g_assert_cmpint (reason, !=, TESSERA_REJECTION_NONE);
      review_device_finish (devices[i]);
      g_assert_cmpint (devices[i]->status, ==, 2);
      g_assert_nonnull (strstr (devices[i]->out, expected));
      if (reason == TESSERA_REJECTION_OTHER)
        g_assert_nonnull (strstr (devices[i]->out, "Comment: Call the service desk first"));

      g_assert_cmpint (tessera_request_get_state (on_server), ==, TESSERA_REQUEST_REJECTED);
      g_assert_cmpint (tessera_request_get_rejection_reason (on_server), ==, reason);
      g_assert_cmpstr (tessera_request_get_resolved_by (on_server), ==, TESSERA_TEST_ADMIN);
      review_device_free (devices[i]);
    }

  ui_test_window_close (window);
}

/* One request awaiting approval, its review window open */
typedef struct {
  TesseraTestServer   *server;
  TesseraClient       *admin;
  GPtrArray           *fresh;
  GPtrArray           *codes;
  char                *request_id;
  TesseraWindow       *window;
  TesseraAccountsPage *page;
  TesseraAccount      *account;
  TesseraReviewWindow *review;
} Fixture;

static void
fixture_set_up (Fixture    *fixture,
                const char *username,
                guint16     port,
                gboolean    open)
{
  fixture->server = review_test_server_new (DEMO_ACCOUNTS, port);
  fixture->admin = test_client_new_signed_in (fixture->server, TESSERA_TEST_ADMIN);
  fixture->fresh = test_client_fresh_ready_accounts (fixture->admin, 1);
  fixture->page = review_test_start_signed_in (fixture->server, username, &fixture->window);
  fixture->codes = review_test_issue (fixture->admin, (const char * const *) fixture->fresh->pdata);
  {
    g_autoptr(TesseraRedemption) redemption = NULL;
    g_autoptr(GError) error = NULL;

    /* A console that redeems and does not wait: the API, as tessera-device would */
    redemption = test_client_redeem (fixture->admin, g_ptr_array_index (fixture->codes, 0),
                                     "SN-77", &error);
    g_assert_no_error (error);
  }
  fixture->account = review_test_wait_awaiting (fixture->page,
                                                g_ptr_array_index (fixture->fresh, 0));
  fixture->request_id = review_test_request_id (fixture->admin,
                                                g_ptr_array_index (fixture->fresh, 0));
  if (open)
    fixture->review = review_test_open_from_row (fixture->page, fixture->account);
}

static void
fixture_tear_down (Fixture *fixture)
{
  if (review_test_find_window () != NULL)
    review_test_close (GTK_WINDOW (review_test_find_window ()));
  if (fixture->window != NULL)
    ui_test_window_close (fixture->window);
  g_clear_object (&fixture->admin);
  g_clear_pointer (&fixture->fresh, g_ptr_array_unref);
  g_clear_pointer (&fixture->codes, g_ptr_array_unref);
  g_clear_pointer (&fixture->request_id, g_free);
  g_clear_pointer (&fixture->server, tessera_test_server_free);
}

static TesseraRequestState
state_on_server (Fixture *fixture)
{
  g_autoptr(TesseraRequest) request = review_test_get_request (fixture->admin,
                                                               fixture->request_id);

  return tessera_request_get_state (request);
}

static void
test_resolve_is_sensitive_only_when_complete (void)
{
  Fixture fixture = { NULL };
  TesseraReviewWindow *review;
  GtkWidget *button, *reason_row, *comment_row;
  GtkEditable *comment;
  g_autofree char *too_long = NULL;

  fixture_set_up (&fixture, TESSERA_TEST_ADMIN, 0, TRUE);
  review = fixture.review;
  button = review_part (review, TESSERA_REVIEW_PART_RESOLVE_BUTTON);
  reason_row = review_part (review, TESSERA_REVIEW_PART_REASON_ROW);
  comment_row = review_part (review, TESSERA_REVIEW_PART_COMMENT_ROW);
  comment = GTK_EDITABLE (comment_row);

  /* No decision yet */
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_false (review_can_resolve (review));
  g_assert_false (gtk_widget_get_visible (reason_row));
  g_assert_false (gtk_widget_get_visible (comment_row));

  /* Approve alone is a complete decision */
  review_choose_approve (review);
  g_assert_true (review_can_resolve (review));
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (button, "destructive-action"));

  /* Reject without a reason is not, and says a reason is needed */
  review_choose_reject (review, TESSERA_REJECTION_NONE);
  g_assert_false (review_can_resolve (review));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (reason_row)), ==,
                    GTK_INVALID_LIST_POSITION);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (reason_row)), ==,
                   "Choose a reason");
  g_assert_true (gtk_widget_get_visible (comment_row));
  g_assert_true (gtk_widget_has_css_class (button, "destructive-action"));

  /* A comment alone changes nothing */
  gtk_editable_set_text (comment, "Looks odd");
  g_assert_false (review_can_resolve (review));
  gtk_editable_set_text (comment, "");
  g_assert_false (review_can_resolve (review));

  /* Each reason completes it, with or without a comment */
  for (TesseraRejectionReason reason = TESSERA_REJECTION_UNRECOGNIZED_DEVICE;
       reason <= TESSERA_REJECTION_OTHER; reason++)
    {
      adw_combo_row_set_selected (ADW_COMBO_ROW (reason_row), reason - 1);
      gtk_editable_set_text (comment, "");
      g_assert_true (review_can_resolve (review));
      gtk_editable_set_text (comment, "Not ours");
      g_assert_true (review_can_resolve (review));
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (reason_row)), ==, "");
    }

  /* A comment over 2000 bytes cannot be sent; at 2000 it can */
  too_long = g_strnfill (2001, 'x');
  gtk_editable_set_text (comment, too_long);
  g_assert_false (review_can_resolve (review));
  g_assert_true (gtk_widget_has_css_class (comment_row, "error"));
  too_long[2000] = '\0';
  gtk_editable_set_text (comment, too_long);
  g_assert_true (review_can_resolve (review));

  /* Back to approve: complete, and the rejection's rows go away */
  review_choose_approve (review);
  g_assert_true (review_can_resolve (review));
  g_assert_false (gtk_widget_get_visible (reason_row));
  g_assert_false (gtk_widget_get_visible (comment_row));

  /* Choosing sent nothing */
  g_assert_cmpint (state_on_server (&fixture), ==, TESSERA_REQUEST_PENDING);

  fixture_tear_down (&fixture);
}

static void
test_conflict_shows_the_other_decision (void)
{
  Fixture fixture = { NULL };
  g_autoptr(TesseraClient) admin2 = NULL;
  g_autoptr(TesseraRequest) by_admin2 = NULL;
  g_autoptr(TesseraRequest) on_server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *when = NULL;
  g_autofree char *expected = NULL;
  TesseraReviewWindow *review;

  fixture_set_up (&fixture, TESSERA_TEST_ADMIN, 0, TRUE);
  review = fixture.review;

  /*
   * Without live updates, the window cannot know before it asks: another admin rejects the
   * request after the window opened, and this admin then approves
   */
  tessera_client_stop_events (tessera_accounts_page_get_client (fixture.page));
  admin2 = test_client_new_signed_in (fixture.server, TESSERA_TEST_ADMIN2);
  by_admin2 = test_client_resolve (admin2, fixture.request_id, TESSERA_DECISION_REJECT,
                                   TESSERA_REJECTION_WRONG_ROOM, "That console is in 4.13",
                                   &error);
  g_assert_no_error (error);

  review_choose_approve (review);
  review_press_resolve (review);
  ui_test_wait_until (_tessera_review_window_get_view (review) == TESSERA_REVIEW_VIEW_OUTCOME);

  /* Who, what and when, in words; the decision can no longer be made here */
  when = tessera_format_moment (tessera_request_get_resolved_at (by_admin2), g_get_real_time ());
  expected = g_strdup_printf ("admin2 rejected this request at %s. Reason: Wrong room.\n"
                              "That console is in 4.13", when);
  g_assert_cmpstr (review_outcome_text (review), ==, expected);
  g_assert_false (gtk_widget_get_visible (review_part (review,
                                                       TESSERA_REVIEW_PART_DECISION_GROUP)));
  g_assert_false (gtk_widget_get_visible (review_part (review,
                                                       TESSERA_REVIEW_PART_RESOLVE_BUTTON)));
  g_assert_cmpstr (gtk_button_get_label (review_part (review, TESSERA_REVIEW_PART_CANCEL_BUTTON)),
                   ==, "_Close");

  /* And it was not overwritten */
  on_server = review_test_get_request (fixture.admin, fixture.request_id);
  g_assert_cmpint (tessera_request_get_state (on_server), ==, TESSERA_REQUEST_REJECTED);
  g_assert_cmpstr (tessera_request_get_resolved_by (on_server), ==, TESSERA_TEST_ADMIN2);
  g_assert_cmpint (tessera_request_get_rejection_reason (on_server), ==,
                   TESSERA_REJECTION_WRONG_ROOM);

  fixture_tear_down (&fixture);
}

static void
test_resolved_elsewhere_turns_read_only (void)
{
  Fixture fixture = { NULL };
  g_autoptr(TesseraClient) admin2 = NULL;
  g_autoptr(TesseraRequest) by_admin2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *when = NULL;
  g_autofree char *expected = NULL;
  TesseraReviewWindow *review;

  fixture_set_up (&fixture, TESSERA_TEST_ADMIN, 0, TRUE);
  review = fixture.review;

  /* Halfway through a rejection, another admin approves: the event stream says so */
  review_choose_reject (review, TESSERA_REJECTION_NONE);
  admin2 = test_client_new_signed_in (fixture.server, TESSERA_TEST_ADMIN2);
  by_admin2 = test_client_resolve (admin2, fixture.request_id, TESSERA_DECISION_APPROVE,
                                   TESSERA_REJECTION_NONE, NULL, &error);
  g_assert_no_error (error);

  ui_test_wait_until (_tessera_review_window_get_view (review) == TESSERA_REVIEW_VIEW_OUTCOME);
  when = tessera_format_moment (tessera_request_get_resolved_at (by_admin2), g_get_real_time ());
  expected = g_strdup_printf ("admin2 approved this request at %s.", when);
  g_assert_cmpstr (review_outcome_text (review), ==, expected);
  g_assert_false (gtk_widget_get_visible (review_part (review,
                                                       TESSERA_REVIEW_PART_RESOLVE_BUTTON)));
  /* The row follows too */
  ui_test_wait_until (tessera_account_get_provisioning_state (fixture.account) !=
                      TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);

  fixture_tear_down (&fixture);
}

static void
test_expired_request_says_so (void)
{
  Fixture fixture = { NULL };
  TesseraReviewWindow *review;
  const char *outcome;

  fixture_set_up (&fixture, TESSERA_TEST_ADMIN, 0, TRUE);
  review = fixture.review;

  /* Time passes for this OTP only; the window hears nothing of it */
  tessera_client_stop_events (tessera_accounts_page_get_client (fixture.page));
  tessera_test_db_set_otp_expiry (tessera_test_server_get_db_path (fixture.server),
                                  tessera_account_get_otp_id (fixture.account),
                                  g_get_real_time () - 60 * G_USEC_PER_SEC);

  review_choose_approve (review);
  review_press_resolve (review);
  ui_test_wait_until (_tessera_review_window_get_view (review) == TESSERA_REVIEW_VIEW_OUTCOME);
  outcome = review_outcome_text (review);
  g_assert_true (g_str_has_prefix (outcome, "This request expired at "));
  g_assert_nonnull (strstr (outcome, "generate a new one"));
  g_assert_false (gtk_widget_get_visible (review_part (review,
                                                       TESSERA_REVIEW_PART_RESOLVE_BUTTON)));
  g_assert_cmpint (state_on_server (&fixture), ==, TESSERA_REQUEST_EXPIRED);

  fixture_tear_down (&fixture);
}

static void
test_separation_of_duties_is_explained (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (DEMO_ACCOUNTS, 0);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (admin, 1);
  const char *account_id = g_ptr_array_index (fresh, 0);
  g_autoptr(TesseraSettingsPatch) patch = tessera_settings_patch_new ();
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(ReviewDevice) device = NULL;
  g_autofree char *request_id = NULL;
  TesseraAccountsPage *page;
  TesseraReviewWindow *review;
  TesseraWindow *window;

  patch->has_separation_of_duties = TRUE;
  patch->separation_of_duties = TRUE;
  review_test_put_settings (admin, patch);

  /* admin made the OTP, and tries to approve its request */
  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);
  codes = review_test_issue (admin, (const char * const *) fresh->pdata);
  device = review_device_start (server, g_ptr_array_index (codes, 0), "SN-SOD");
  review_test_wait_awaiting (page, account_id);
  request_id = review_test_request_id (admin, account_id);
  review = review_test_open_from_row (page, review_test_wait_awaiting (page, account_id));
  review_choose_approve (review);
  review_press_resolve (review);
  ui_test_wait_until (_tessera_review_window_get_view (review) ==
                      TESSERA_REVIEW_VIEW_SEPARATION);
  g_assert_cmpstr (review_outcome_text (review), ==,
                   "You created this one-time password, and your organisation requires another "
                   "admin to approve it.");
  g_assert_false (gtk_widget_get_visible (review_part (review,
                                                       TESSERA_REVIEW_PART_RESOLVE_BUTTON)));
  {
    g_autoptr(TesseraRequest) on_server = review_test_get_request (admin, request_id);

    g_assert_cmpint (tessera_request_get_state (on_server), ==, TESSERA_REQUEST_PENDING);
  }
  g_assert_false (review_device_exited (device));
  review_test_close (GTK_WINDOW (review));
  ui_test_window_close (window);

  /* Another admin can */
  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN2, &window);
  review = review_test_open_from_row (page, review_test_wait_awaiting (page, account_id));
  review_choose_approve (review);
  review_press_resolve (review);
  ui_test_wait_until (review_test_find_window () == NULL);
  review_device_finish (device);
  g_assert_cmpint (device->status, ==, 0);

  ui_test_window_close (window);
}

static void
test_viewer_sees_the_request_read_only (void)
{
  Fixture fixture = { NULL };
  TesseraReviewWindow *review;

  fixture_set_up (&fixture, TESSERA_TEST_VIEWER, 0, TRUE);
  review = fixture.review;

  g_assert_cmpint (_tessera_review_window_get_view (review), ==, TESSERA_REVIEW_VIEW_VIEWER);
  g_assert_cmpstr (label_text (review, TESSERA_REVIEW_PART_REQUESTED_BY), ==, TESSERA_TEST_ADMIN);
  g_assert_cmpstr (label_text (review, TESSERA_REVIEW_PART_SERIAL_NUMBER), ==, "SN-77");
  g_assert_false (gtk_widget_get_visible (review_part (review,
                                                       TESSERA_REVIEW_PART_DECISION_GROUP)));
  g_assert_false (gtk_widget_get_visible (review_part (review,
                                                       TESSERA_REVIEW_PART_RESOLVE_BUTTON)));
  g_assert_true (g_str_has_prefix (review_outcome_text (review),
                                   "Only admins can approve or reject OTP requests."));
  g_assert_cmpstr (gtk_button_get_label (review_part (review, TESSERA_REVIEW_PART_CANCEL_BUTTON)),
                   ==, "_Close");
  /* Nothing a viewer could press sends a decision */
  gtk_widget_activate_action (GTK_WIDGET (review), "review.resolve", NULL);
  g_assert_false (_tessera_review_window_get_resolving (review));
  g_assert_false (gtk_widget_is_sensitive (review_part (review,
                                                        TESSERA_REVIEW_PART_RESOLVE_BUTTON)));
  g_assert_cmpint (state_on_server (&fixture), ==, TESSERA_REQUEST_PENDING);

  /* Escape closes it */
  gtk_widget_activate_action (GTK_WIDGET (review), "window.close", NULL);
  ui_test_wait_until (review_test_find_window () == NULL);

  fixture_tear_down (&fixture);
}

static void
test_network_failure_keeps_the_choices (void)
{
  Fixture fixture = { NULL };
  g_autoptr(TesseraRequest) on_server = NULL;
  TesseraReviewWindow *review;
  GtkWidget *error_box;

  fixture_set_up (&fixture, TESSERA_TEST_ADMIN, ui_test_free_port (), TRUE);
  review = fixture.review;
  error_box = review_part (review, TESSERA_REVIEW_PART_ERROR_BOX);

  review_choose_reject (review, TESSERA_REJECTION_SECURITY_CONCERN);
  gtk_editable_set_text (review_part (review, TESSERA_REVIEW_PART_COMMENT_ROW),
                         "Check the cabling");

  g_assert_cmpint (tessera_test_server_stop (fixture.server), ==, 0);
  review_press_resolve (review);
  ui_test_wait_until (gtk_widget_get_visible (error_box));
  g_assert_true (g_str_has_prefix (label_text (review, TESSERA_REVIEW_PART_ERROR_LABEL),
                                   "The request was not resolved. Cannot reach "));
  g_assert_true (gtk_widget_get_visible (review_part (review, TESSERA_REVIEW_PART_RETRY_BUTTON)));

  /* Nothing lost */
  g_assert_cmpint (_tessera_review_window_get_view (review), ==, TESSERA_REVIEW_VIEW_DECIDE);
  g_assert_true (gtk_check_button_get_active (review_part (review,
                                                           TESSERA_REVIEW_PART_REJECT_CHECK)));
  g_assert_cmpuint (adw_combo_row_get_selected (review_part (review,
                                                             TESSERA_REVIEW_PART_REASON_ROW)),
                    ==, TESSERA_REJECTION_SECURITY_CONCERN - 1);
  g_assert_cmpstr (gtk_editable_get_text (review_part (review, TESSERA_REVIEW_PART_COMMENT_ROW)),
                   ==, "Check the cabling");
  g_assert_true (review_can_resolve (review));

  /* The server is back: Retry sends the same decision */
  tessera_test_server_restart (fixture.server);
  g_signal_emit_by_name (review_part (review, TESSERA_REVIEW_PART_RETRY_BUTTON), "clicked");
  ui_test_wait_until (review_test_find_window () == NULL);

  on_server = review_test_get_request (fixture.admin, fixture.request_id);
  g_assert_cmpint (tessera_request_get_state (on_server), ==, TESSERA_REQUEST_REJECTED);
  g_assert_cmpint (tessera_request_get_rejection_reason (on_server), ==,
                   TESSERA_REJECTION_SECURITY_CONCERN);
  g_assert_cmpstr (tessera_request_get_comment (on_server), ==, "Check the cabling");

  fixture_tear_down (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/review/approve-signs-the-console-in-and-the-row-follows",
                   test_approve_signs_the_console_in);
  g_test_add_func ("/ui/review/reject-with-each-reason-tells-the-console-why",
                   test_reject_with_each_reason_tells_the_console);
  g_test_add_func ("/ui/review/resolve-is-sensitive-only-for-a-complete-decision",
                   test_resolve_is_sensitive_only_when_complete);
  g_test_add_func ("/ui/review/conflict-shows-the-other-admins-decision-and-keeps-it",
                   test_conflict_shows_the_other_decision);
  g_test_add_func ("/ui/review/request-resolved-elsewhere-turns-the-window-read-only",
                   test_resolved_elsewhere_turns_read_only);
  g_test_add_func ("/ui/review/expired-request-says-so-plainly",
                   test_expired_request_says_so);
  g_test_add_func ("/ui/review/separation-of-duties-is-explained-and-another-admin-approves",
                   test_separation_of_duties_is_explained);
  g_test_add_func ("/ui/review/viewer-sees-the-request-read-only",
                   test_viewer_sees_the_request_read_only);
  g_test_add_func ("/ui/review/network-failure-keeps-the-choices-and-retry-resolves",
                   test_network_failure_keeps_the_choices);

  return g_test_run ();
}

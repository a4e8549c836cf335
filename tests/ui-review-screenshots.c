/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Screenshots of the review window and Preferences for people to look at (not a test; run by
 * build-aux/screenshots-review). It drives the real app in-process against a real
 * tessera-server, with consoles redeeming through tessera-device, and renders each window
 * with its own renderer into a PNG in $TESSERA_SCREENSHOTS_DIR.
 */
#include "config.h"

#include "test-ui-review-common.h"

static const char *out_dir;

static int
tick_count (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  guint *frames = user_data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

/* Asks for @width × @height, and lets the window lay out and draw a few frames */
static void
settle (GtkWindow *window,
        int        width,
        int        height)
{
  guint frames = 0;
  guint tick;

  gtk_window_set_default_size (window, width, height);
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_count, &frames, NULL);
  gtk_widget_queue_resize (GTK_WIDGET (window));
  /* Transitions (libadwaita's are 200–250 ms) end before the picture is taken */
  ui_test_wait_until (frames >= 24);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick);
}

static GtkScrolledWindow *
find_scrolled (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget) && gtk_widget_get_mapped (widget))
    return GTK_SCROLLED_WINDOW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scrolled (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
scroll (GtkWindow *window,
        gboolean   to_end)
{
  GtkScrolledWindow *scrolled = find_scrolled (GTK_WIDGET (window));
  GtkAdjustment *adjustment;

  g_assert_nonnull (scrolled);
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  gtk_adjustment_set_value (adjustment, to_end ? gtk_adjustment_get_upper (adjustment) -
                                                 gtk_adjustment_get_page_size (adjustment)
                                               : 0);
}

static void
shoot (GtkWindow  *window,
       const char *name,
       int         width,
       int         height,
       gboolean    to_end)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_strdup_printf ("%s/%s.png", out_dir, name);
  GtkSnapshot *snapshot;

  settle (window, width, height);
  if (TESSERA_IS_REVIEW_WINDOW (window))
    {
      scroll (window, to_end);
      settle (window, width, height);
    }

  /* What the window got: the screen may be smaller than asked */
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_print ("%s (%dx%d)\n", path, width, height);
}

static TesseraPreferencesWindow *
open_preferences (TesseraAccountsPage *page)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  TesseraPreferencesWindow *preferences = NULL;

  gtk_widget_activate_action (GTK_WIDGET (page), "app.preferences", NULL);
  while (preferences == NULL)
    {
      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

          if (TESSERA_IS_PREFERENCES_WINDOW (window) &&
              gtk_widget_get_visible (GTK_WIDGET (window)))
            preferences = TESSERA_PREFERENCES_WINDOW (window);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  ui_test_wait_until (_tessera_preferences_window_get_loaded (preferences));
  return preferences;
}

static void
take_screenshots (void)
{
  g_autoptr(TesseraTestServer) server = review_test_server_new (120, 0);
  g_autoptr(TesseraClient) admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  g_autoptr(TesseraClient) admin2 = test_client_new_signed_in (server, TESSERA_TEST_ADMIN2);
  g_autoptr(GPtrArray) fresh = test_client_fresh_ready_accounts (admin, 4);
  g_autoptr(GPtrArray) codes = NULL;
  const char *serials[] = { "SN-4711", "SN-0815", "SN-2203", "SN-9001" };
  ReviewDevice *devices[4] = { NULL };
  TesseraPreferencesWindow *preferences;
  TesseraAccountsPage *page;
  TesseraReviewWindow *review;
  TesseraWindow *window;

  page = review_test_start_signed_in (server, TESSERA_TEST_ADMIN, &window);
  settle (GTK_WINDOW (window), 1280, 800);

  codes = review_test_issue (admin, (const char * const *) fresh->pdata);
  for (guint i = 0; i < 4; i++)
    devices[i] = review_device_start (server, g_ptr_array_index (codes, i), serials[i]);
  for (guint i = 0; i < 4; i++)
    review_test_wait_awaiting (page, g_ptr_array_index (fresh, i));
  shoot (GTK_WINDOW (window), "accounts-awaiting-1280x800", 1280, 800, FALSE);

  /* The prompt's Review: "1 of 4" */
  g_signal_emit_by_name (_tessera_accounts_page_get_part (page,
                                                          TESSERA_ACCOUNTS_PAGE_PART_REVIEW_BUTTON),
                         "clicked");
  ui_test_wait_until ((review = review_test_find_window ()) != NULL);
  ui_test_wait_until (_tessera_review_window_get_view (review) == TESSERA_REVIEW_VIEW_DECIDE);
  shoot (GTK_WINDOW (review), "review-560x640", 560, 640, FALSE);
  shoot (GTK_WINDOW (review), "review-whole-560x1040", 560, 1040, FALSE);

  review_choose_approve (review);
  shoot (GTK_WINDOW (review), "review-approve-560x640", 560, 640, TRUE);

  review_choose_reject (review, TESSERA_REJECTION_NONE);
  shoot (GTK_WINDOW (review), "review-reject-no-reason-560x640", 560, 640, TRUE);
  shoot (GTK_WINDOW (review), "review-360x640", 360, 640, FALSE);
  adw_combo_row_set_selected (review_part (review, TESSERA_REVIEW_PART_REASON_ROW),
                              TESSERA_REJECTION_WRONG_ROOM - 1);
  gtk_editable_set_text (review_part (review, TESSERA_REVIEW_PART_COMMENT_ROW),
                         "This console is in 4.13, not 4.12");
  shoot (GTK_WINDOW (review), "review-reject-560x640", 560, 640, TRUE);
  shoot (GTK_WINDOW (review), "review-reject-360x640", 360, 640, TRUE);

  /* Another admin is first: the window shows their decision instead (through the event
   * stream here; pressing Resolve first would show the same from the server's 409) */
  {
    g_autoptr(TesseraRequest) resolved = NULL;
    g_autoptr(GError) error = NULL;

    resolved = test_client_resolve (admin2, tessera_request_get_id (
                                      tessera_review_window_get_request (review)),
                                    TESSERA_DECISION_REJECT, TESSERA_REJECTION_WRONG_ROOM,
                                    "That console is in 4.13", &error);
    g_assert_no_error (error);
  }
  ui_test_wait_until (_tessera_review_window_get_view (review) == TESSERA_REVIEW_VIEW_OUTCOME);
  shoot (GTK_WINDOW (review), "review-conflict-560x640", 560, 640, TRUE);

  /* The next one, approved here: the main window says so */
  g_signal_emit_by_name (review_part (review, TESSERA_REVIEW_PART_NEXT_BUTTON), "clicked");
  ui_test_wait_until (_tessera_review_window_get_view (review) == TESSERA_REVIEW_VIEW_DECIDE);
  review_choose_approve (review);
  review_press_resolve (review);
  ui_test_wait_until (!_tessera_review_window_get_resolving (review));
  shoot (GTK_WINDOW (window), "accounts-after-approval-1280x800", 1280, 800, FALSE);
  review_test_close (GTK_WINDOW (review));

  /* Preferences, for an admin and with a custom validity */
  preferences = open_preferences (page);
  shoot (GTK_WINDOW (preferences), "preferences-600x560", 600, 560, FALSE);
  adw_combo_row_set_selected (_tessera_preferences_window_get_part (
                                preferences, TESSERA_PREFERENCES_PART_VALIDITY_ROW),
                              TESSERA_PREFERENCES_CUSTOM);
  gtk_spin_button_set_value (_tessera_preferences_window_get_part (
                               preferences, TESSERA_PREFERENCES_PART_CUSTOM_SPIN), 100);
  ui_test_wait_until (_tessera_preferences_window_get_n_saving (preferences) == 0);
  shoot (GTK_WINDOW (preferences), "preferences-custom-600x560", 600, 560, FALSE);
  shoot (GTK_WINDOW (preferences), "preferences-custom-360x640", 360, 640, FALSE);
  review_test_close (GTK_WINDOW (preferences));
  ui_test_window_close (window);

  /* A viewer: the same, read-only */
  page = review_test_start_signed_in (server, TESSERA_TEST_VIEWER, &window);
  settle (GTK_WINDOW (window), 1280, 800);
  preferences = open_preferences (page);
  shoot (GTK_WINDOW (preferences), "preferences-viewer-600x560", 600, 560, FALSE);
  review_test_close (GTK_WINDOW (preferences));
  for (guint i = 0; i < 4; i++)
    {
      TesseraAccount *account = tessera_accounts_model_lookup (
                                  tessera_accounts_page_get_model (page),
                                  g_ptr_array_index (fresh, i));

      if (tessera_account_get_provisioning_state (account) ==
          TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL)
        {
          review = review_test_open_from_row (page, account);
          break;
        }
    }
  shoot (GTK_WINDOW (review), "review-viewer-560x640", 560, 640, TRUE);
  review_test_close (GTK_WINDOW (review));
  ui_test_window_close (window);

  for (guint i = 0; i < 4; i++)
    review_device_free (devices[i]);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);
  ui_test_use_translations ();

  out_dir = g_getenv ("TESSERA_SCREENSHOTS_DIR");
  if (out_dir == NULL)
    out_dir = ".";

  g_test_add_func ("/screenshots/review-and-preferences", take_screenshots);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Screenshots of every page of the Generate OTP assistant, for people to look at (run by
 * build-aux/screenshots-generate under Xvfb, never by meson test). It drives the real window
 * against a real demo tessera-server, the way the UI tests do, and saves each page with
 * ImageMagick's `import`; the printed cards are rendered from the PDF with Ghostscript when
 * it is there.
 */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tessera-otp-code.h"
#include "test-ui-generate-common.h"

static const char *out_dir;

static gboolean painted;

static void
on_after_paint (void)
{
  painted = TRUE;
}

static void
wait_for_frames (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);

  /* The pages slide: the picture is of the page that arrived, not of the way there */
  if (TESSERA_IS_GENERATE_WINDOW (window))
    ui_test_wait_until (!gtk_stack_get_transition_running (
                          _tessera_generate_window_get_part (TESSERA_GENERATE_WINDOW (window),
                                                             TESSERA_GENERATE_PART_STACK)));

  /* Two frames: the first may still lay out what the last change moved */
  for (int i = 0; i < 2; i++)
    {
      painted = FALSE;
      gtk_widget_queue_draw (window);
      ui_test_wait_until (painted);
    }
  g_signal_handler_disconnect (clock, id);
  ui_test_drain ();
}

static void
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s %s", argv[0], error != NULL ? error->message : "", err);
}

static char *
xid_of (GtkWidget *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  return g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
}

/* The assistant alone (@whole: the whole screen, with the main window behind it) */
static void
shoot (GtkWidget  *window,
       const char *name,
       gboolean    whole)
{
  g_autofree char *file = g_strdup_printf ("%s/%s.png", out_dir, name);
  g_autofree char *xid = xid_of (window);

  wait_for_frames (window);
  run ((const char *[]) { "import", "-window", whole ? "root" : xid, file, NULL });
  g_print ("%s\n", file);
}

static void
place (GtkWidget *window,
       int        x,
       int        y,
       int        width,
       int        height)
{
  g_autofree char *xid = xid_of (window);
  g_autofree char *x_text = g_strdup_printf ("%d", x);
  g_autofree char *y_text = g_strdup_printf ("%d", y);
  g_autofree char *width_text = g_strdup_printf ("%d", width);
  g_autofree char *height_text = g_strdup_printf ("%d", height);

  run ((const char *[]) { "xdotool", "windowsize", xid, width_text, height_text, NULL });
  run ((const char *[]) { "xdotool", "windowmove", xid, x_text, y_text, NULL });
  wait_for_frames (window);
}

int
main (int   argc,
      char *argv[])
{
  GenFixture fixture = { 0 };
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GPtrArray) unready = NULL;
  g_autoptr(TesseraOtpBatch) pending = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr(GFile) csv_file = NULL;
  TesseraAccountsModel *main_model;
  TesseraGenerateWindow *assistant;
  GtkWidget *window;
  AdwMessageDialog *dialog;

  ui_test_init (&argc, &argv);
  ui_test_use_translations ();
  if (argc < 2)
    g_error ("usage: %s OUTDIR", argv[0]);
  out_dir = argv[1];

  gen_fixture_start (&fixture, 400);
  place (GTK_WIDGET (fixture.window), 0, 0, 1280, 800);
  ready = gen_server_accounts (&fixture, TESSERA_READINESS_READY, TRUE, 8);
  unready = gen_server_accounts (&fixture, TESSERA_READINESS_CHANGE_SETTINGS, FALSE, 1);

  /* One account has a request awaiting approval: the server refuses it a new OTP */
  pending = test_client_generate (fixture.admin,
                                  (const char *[]) { tessera_account_get_id (ready->pdata[7]),
                                                     NULL },
                                  NULL, &error);
  g_assert_no_error (error);
  redemption = test_client_redeem (
    fixture.admin,
    tessera_otp_result_get_code (g_ptr_array_index (tessera_otp_batch_get_results (pending), 0)),
    "SN-4711", &error);
  g_assert_no_error (error);

  /* Selected in the main window: four ready rooms and one that is not */
  main_model = tessera_accounts_page_get_model (fixture.page);
  for (guint i = 0; i < 4; i++)
    tessera_accounts_model_set_account_selected (
      main_model, tessera_accounts_model_lookup (main_model,
                                                 tessera_account_get_id (ready->pdata[i])),
      TRUE);
  tessera_accounts_model_set_account_selected (
    main_model, tessera_accounts_model_lookup (main_model,
                                               tessera_account_get_id (unready->pdata[0])),
    TRUE);

  assistant = gen_open (fixture.page);
  window = GTK_WIDGET (assistant);
  place (window, 260, 80, 760, 640);
  ui_test_wait_until (tessera_account_get_provisioning_state (
                        gen_account (assistant, tessera_account_get_id (ready->pdata[7]))) ==
                      TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);

  shoot (window, "generate-1-selection", FALSE);
  shoot (window, "generate-1-selection-over-main-window", TRUE);

  gtk_switch_set_active (gen_part (assistant, TESSERA_GENERATE_PART_READY_ONLY_SWITCH), FALSE);
  gen_search (assistant, "oslo");
  shoot (window, "generate-1-selection-not-ready-shown", FALSE);
  gen_search (assistant, "no such room");
  shoot (window, "generate-1-selection-no-match", FALSE);
  gen_search (assistant, "");
  gtk_switch_set_active (gen_part (assistant, TESSERA_GENERATE_PART_READY_ONLY_SWITCH), TRUE);
  tessera_generate_window_set_account_selected (
    assistant, gen_account (assistant, tessera_account_get_id (ready->pdata[7])), TRUE);

  gen_activate (assistant, "next");
  shoot (window, "generate-2-configuration", FALSE);

  gtk_check_button_set_active (gen_part (assistant, TESSERA_GENERATE_PART_UPLOAD_CHECK), TRUE);
  csv = g_strdup_printf ("upn,password\n%s,Winter-2026!\nbroken\"line,x\n"
                         "kiosk-9@example.org,x\n%s,again\n%s,Spring-2026!\n",
                         tessera_account_get_upn (ready->pdata[0]),
                         tessera_account_get_upn (ready->pdata[0]),
                         tessera_account_get_upn (ready->pdata[6]));
  csv_path = g_build_filename (out_dir, "rooms.csv", NULL);
  g_file_set_contents (csv_path, csv, -1, &error);
  g_assert_no_error (error);
  csv_file = g_file_new_for_path (csv_path);
  _tessera_generate_window_load_csv (assistant, csv_file);
  ui_test_wait_until (!_tessera_generate_window_is_loading_csv (assistant));
  shoot (window, "generate-2-configuration-csv-problems", FALSE);
  g_unlink (csv_path);

  gtk_check_button_set_active (gen_part (assistant, TESSERA_GENERATE_PART_GENERATE_CHECK), TRUE);
  {
    AdwComboRow *validity = gen_part (assistant, TESSERA_GENERATE_PART_VALIDITY_ROW);

    adw_combo_row_set_selected (validity,
                                g_list_model_get_n_items (adw_combo_row_get_model (validity)) - 1);
    gtk_spin_button_set_value (gen_part (assistant, TESSERA_GENERATE_PART_CUSTOM_VALIDITY_SPIN),
                               12);
  }
  shoot (window, "generate-2-configuration-custom-validity", FALSE);

  gen_activate (assistant, "next");
  shoot (window, "generate-3-review", FALSE);

  gen_activate (assistant, "generate");
  gen_wait_results (assistant);
  shoot (window, "generate-4-results", FALSE);
  place (window, 0, 0, 360, 640);
  shoot (window, "generate-4-results-narrow", FALSE);
  place (window, 260, 80, 760, 640);

  /* Closing now, with the codes kept nowhere, asks first */
  gtk_window_close (GTK_WINDOW (window));
  ui_test_wait_until ((dialog = gen_find_dialog (assistant)) != NULL);
  place (GTK_WIDGET (dialog), 440, 300, 400, 220);
  shoot (GTK_WIDGET (dialog), "generate-5-close-confirmation", TRUE);
  gen_press (dialog, _("_Keep Open"));
  ui_test_wait_until (gen_find_dialog (assistant) == NULL);

  pdf = g_build_filename (out_dir, "generate-print-cards.pdf", NULL);
  if (!_tessera_generate_window_print (assistant, pdf, &error))
    g_error ("printing failed: %s", error != NULL ? error->message : "?");
  if (g_find_program_in_path ("gs") != NULL)
    {
      g_autofree char *pages = g_strdup_printf ("-sOutputFile=%s/generate-print-cards-%%d.png",
                                                out_dir);

      run ((const char *[]) { "gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m",
                              "-r80", pages, pdf, NULL });
      g_print ("%s/generate-print-cards-1.png\n", out_dir);
    }
  /* The PDF holds codes: only the picture of it stays */
  g_unlink (pdf);

  /* Printing keeps the codes, so it goes last; it closes without asking */
  gtk_window_close (GTK_WINDOW (window));
  ui_test_drain ();

  /* Narrow: how far the assistant goes down */
  assistant = gen_open (fixture.page);
  window = GTK_WIDGET (assistant);
  place (window, 0, 0, 360, 640);
  shoot (window, "generate-1-selection-narrow", FALSE);
  gen_close (assistant);

  gen_fixture_stop (&fixture);
  return 0;
}

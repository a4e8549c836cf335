/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `ui`: the Generate OTP assistant's files — sign-in data uploaded from CSV (checked by
 * line, then delivered to a real console), the results saved as CSV, the handout cards
 * printed — and refusals in words, against a real tessera-server.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tessera-csv.h"
#include "tessera-otp-code.h"
#include "test-ui-generate-common.h"

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
load (TesseraGenerateWindow *assistant,
      const char            *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  _tessera_generate_window_load_csv (assistant, file);
  g_assert_true (_tessera_generate_window_is_loading_csv (assistant));
  ui_test_wait_until (!_tessera_generate_window_is_loading_csv (assistant));
  ui_test_drain ();
}

/* The problems as the page shows them, one label each */
static GPtrArray *
shown_problems (TesseraGenerateWindow *assistant)
{
  GtkWidget *box = gen_part (assistant, TESSERA_GENERATE_PART_PROBLEMS_BOX);
  GPtrArray *texts = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (box);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    g_ptr_array_add (texts, (gpointer) ui_test_first_label_text (row));

  return texts;
}

static const char *
upn_of (GPtrArray *accounts,
        guint      i)
{
  return tessera_account_get_upn (g_ptr_array_index (accounts, i));
}

static const char *
id_of (GPtrArray *accounts,
       guint      i)
{
  return tessera_account_get_id (g_ptr_array_index (accounts, i));
}

static const char *
name_of (GPtrArray *accounts,
         guint      i)
{
  return tessera_account_get_display_name (g_ptr_array_index (accounts, i));
}

static TesseraOtpResult *
result_for (TesseraGenerateWindow *assistant,
            const char            *account_id)
{
  GListModel *results = _tessera_generate_window_get_results (assistant);

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(TesseraOtpResult) result = g_list_model_get_item (results, i);

      if (g_strcmp0 (tessera_otp_result_get_account_id (result), account_id) == 0)
        return result;
    }

  g_assert_not_reached ();
}

static void
test_uploaded_sign_in_data_is_checked_by_line_and_reaches_the_console (void)
{
  GenFixture fixture = { 0 };
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tessera-ui-csv-XXXXXX", NULL);
  g_autofree char *bad_path = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *good_path = NULL;
  g_autofree char *good = NULL;
  g_autofree char *secret = tessera_test_random_string ("pw");
  g_autofree char *password = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(TesseraRequest) approved = NULL;
  g_autoptr(GError) error = NULL;
  TesseraGenerateWindow *assistant;
  GenDevice *device;
  char *formatted;
  const char *device_args[] = { "--wait", "--poll-interval", "0.2", "--show-password", NULL };

  gen_fixture_start (&fixture, 60);
  /* A, B and C are selected; D has a row but is not; E has none */
  ready = gen_server_accounts (&fixture, TESSERA_READINESS_READY, TRUE, 5);

  assistant = gen_open (fixture.page);
  for (guint i = 0; i < 3; i++)
    g_assert_true (gen_click_check (assistant, gen_account (assistant, id_of (ready, i))));
  gen_activate (assistant, "next");
  gtk_check_button_set_active (gen_part (assistant, TESSERA_GENERATE_PART_UPLOAD_CHECK), TRUE);
  g_assert_false (gen_action_enabled (assistant, "next"));

  /* A malformed line, an unknown UPN, a duplicate, and C without a row */
  bad = g_strdup_printf ("upn,password\n"
                         "%s,pa\n"
                         "%s,pb\n"
                         "broken\"upn@example.org,x\n"
                         "kiosk-9@example.org,x\n"
                         "%s,again\n",
                         upn_of (ready, 0), upn_of (ready, 1), upn_of (ready, 0));
  bad_path = write_file (dir, "bad.csv", bad);
  load (assistant, bad_path);

  problems = shown_problems (assistant);
  g_assert_cmpuint (problems->len, ==, 4);
  g_assert_cmpstr (problems->pdata[0], ==,
                   "Line 4: a field contains a quote but is not enclosed in quotes");
  g_assert_cmpstr (problems->pdata[1], ==, "Line 5: unknown account kiosk-9@example.org");
  {
    g_autofree char *duplicate = g_strdup_printf ("Line 6: %s appears again (first on line 2)",
                                                  upn_of (ready, 0));
    g_autofree char *missing = g_strdup_printf ("%s has no row in the file", name_of (ready, 2));

    g_assert_cmpstr (problems->pdata[2], ==, duplicate);
    g_assert_cmpstr (problems->pdata[3], ==, missing);
  }
  g_assert_cmpstr (gtk_label_get_label (gen_part (assistant, TESSERA_GENERATE_PART_FILE_LABEL)),
                   ==, "bad.csv: 4 problems to fix before you can go on");
  g_assert_false (gen_action_enabled (assistant, "next"));

  /* A good file, as spreadsheets write it: BOM, CRLF, quotes; D's row only warns */
  password = g_strdup_printf ("%s, with \"quotes\"", secret);
  good = g_strdup_printf ("\xEF\xBB\xBFUPN,Password\r\n"
                          "%s,pa-%s\r\n"
                          "%s,pb-%s\r\n"
                          "%s,\"%s, with \"\"quotes\"\"\"\r\n"
                          "%s,pd\r\n",
                          upn_of (ready, 0), secret, upn_of (ready, 1), secret,
                          upn_of (ready, 2), secret, upn_of (ready, 3));
  good_path = write_file (dir, "good.csv", good);
  load (assistant, good_path);

  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = shown_problems (assistant);
  g_assert_cmpuint (problems->len, ==, 1);
  {
    g_autofree char *warning =
      g_strdup_printf ("Line 5: %s is not one of the selected accounts; the row is ignored",
                       name_of (ready, 3));

    g_assert_cmpstr (problems->pdata[0], ==, warning);
  }
  g_assert_true (gen_action_enabled (assistant, "next"));
  gen_activate (assistant, "next");
  g_assert_cmpstr (adw_action_row_get_subtitle (
                     gen_part (assistant, TESSERA_GENERATE_PART_REVIEW_PASSWORDS_ROW)), ==,
                   "From good.csv; the current passwords are kept");

  /* Selecting E afterwards: Next leads to the file's page, which names E */
  gen_activate (assistant, "edit-selection");
  g_assert_true (gen_click_check (assistant, gen_account (assistant, id_of (ready, 4))));
  gen_activate (assistant, "next");
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_CONFIGURATION);
  g_assert_false (gen_action_enabled (assistant, "next"));
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = shown_problems (assistant);
  {
    g_autofree char *missing = g_strdup_printf ("%s has no row in the file", name_of (ready, 4));

    g_assert_cmpstr (problems->pdata[problems->len - 1], ==, missing);
  }
  gen_activate (assistant, "back");
  g_assert_false (gen_click_check (assistant, gen_account (assistant, id_of (ready, 4))));
  gen_activate (assistant, "next");
  g_assert_true (gen_action_enabled (assistant, "next"));
  gen_activate (assistant, "next");
  gen_activate (assistant, "generate");
  gen_wait_results (assistant);

  /* Three OTPs; the server kept the uploaded passwords, so it returned none */
  g_assert_cmpint (gen_db_count (&fixture, "SELECT COUNT(*) FROM otps"), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (_tessera_generate_window_get_results (assistant)),
                    ==, 3);
  g_assert_false (gtk_widget_get_visible (
                    gen_part (assistant, TESSERA_GENERATE_PART_INCLUDE_PASSWORDS_CHECK)));

  /* C's console redeems, the admin approves, and the console gets exactly the upload */
  formatted = tessera_otp_code_format (
    tessera_otp_result_get_code (result_for (assistant, id_of (ready, 2))));
  device = gen_device_start (&fixture, formatted, device_args);
  tessera_secret_free (formatted);
  ui_test_wait_until (tessera_account_get_provisioning_state (
                        gen_account (assistant, id_of (ready, 2))) ==
                      TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);
  account = test_client_get_account (fixture.admin, id_of (ready, 2), &error);
  g_assert_no_error (error);
  approved = test_client_resolve (fixture.admin, tessera_account_get_request_id (account),
                                  TESSERA_DECISION_APPROVE, TESSERA_REJECTION_NONE, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (gen_device_finish (device, &out, &err), ==, 0);
  expected = g_strdup_printf ("Password: %s\n", password);
  g_assert_nonnull (strstr (out, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Sign-in name: %s\n", upn_of (ready, 2));
  g_assert_nonnull (strstr (out, expected));

  gen_close (assistant);
  gen_fixture_stop (&fixture);
  g_unlink (bad_path);
  g_unlink (good_path);
  g_rmdir (dir);
}

static guint
file_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_mode & 0777;
}

static void
save (TesseraGenerateWindow *assistant,
      const char            *path,
      gboolean               include_passwords)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint before = _tessera_generate_window_get_n_saved (assistant);

  _tessera_generate_window_save_csv (assistant, file, include_passwords);
  ui_test_wait_until (_tessera_generate_window_get_n_saved (assistant) > before);
}

/* Reads @path back with the lib's reader and checks every row against the results */
static void
assert_saved (TesseraGenerateWindow *assistant,
              const char            *path,
              gboolean               with_passwords)
{
  const char *columns[] = { "display_name", "upn", "site", "otp", "expires_at", "password" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(TesseraCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *results = _tessera_generate_window_get_results (assistant);
  GMappedFile *mapped;
  guint line;

  mapped = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  data = g_mapped_file_get_bytes (mapped);
  g_mapped_file_unref (mapped);
  reader = tessera_csv_reader_new (data);

  g_assert_true (tessera_csv_reader_next (reader, &header, &line, &error));
  g_assert_cmpuint (header->len, ==, with_passwords ? 6 : 5);
  for (guint i = 0; i < header->len; i++)
    g_assert_cmpstr (header->pdata[i], ==, columns[i]);

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GDateTime) expires = NULL;
      g_autofree char *formatted = NULL;
      TesseraOtpResult *result = NULL;
      TesseraAccount *account = NULL;

      if (!tessera_csv_reader_next (reader, &fields, &line, &error))
        break;
      g_assert_cmpuint (fields->len, ==, header->len);

      for (guint i = 0; i < g_list_model_get_n_items (results) && result == NULL; i++)
        {
          g_autoptr(TesseraOtpResult) candidate = g_list_model_get_item (results, i);
          TesseraAccount *a = gen_account (assistant,
                                           tessera_otp_result_get_account_id (candidate));

          if (g_strcmp0 (tessera_account_get_upn (a), fields->pdata[1]) == 0)
            {
              result = candidate;
              account = a;
            }
        }
      g_assert_nonnull (result);
      g_assert_true (g_hash_table_add (seen, (gpointer) tessera_account_get_id (account)));

      formatted = tessera_otp_code_format (tessera_otp_result_get_code (result));
      g_assert_cmpstr (fields->pdata[0], ==, tessera_account_get_display_name (account));
      g_assert_cmpstr (fields->pdata[2], ==, tessera_account_get_site (account));
      g_assert_cmpstr (fields->pdata[3], ==, formatted);
      expires = tessera_datetime_parse (fields->pdata[4], &error);
      g_assert_no_error (error);
      g_assert_true (g_date_time_equal (expires, tessera_otp_result_get_expires_at (result)));
      if (with_passwords)
        {
          g_assert_nonnull (tessera_otp_result_get_password (result));
          g_assert_cmpstr (fields->pdata[5], ==, tessera_otp_result_get_password (result));
        }
    }
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (seen), ==, g_list_model_get_n_items (results));
}

static void
test_save_writes_the_columns_with_and_without_passwords_for_the_admin_only (void)
{
  GenFixture fixture = { 0 };
  g_autoptr(GPtrArray) ready = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tessera-ui-save-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "otps.csv", NULL);
  g_autofree char *with_passwords = NULL;
  TesseraGenerateWindow *assistant;
  GtkWindow *gone;

  gen_fixture_start (&fixture, 40);
  ready = gen_server_accounts (&fixture, TESSERA_READINESS_READY, TRUE, 3);
  assistant = gen_open (fixture.page);
  for (guint i = 0; i < ready->len; i++)
    gen_click_check (assistant, gen_account (assistant, id_of (ready, i)));
  gen_generate_from_selection (assistant);

  /* Generated passwords came back, so they may go into the file */
  g_assert_true (gtk_widget_get_visible (
                   gen_part (assistant, TESSERA_GENERATE_PART_INCLUDE_PASSWORDS_CHECK)));
  g_assert_false (_tessera_generate_window_get_codes_kept (assistant));

  save (assistant, plain, FALSE);
  g_assert_cmpuint (file_mode (plain), ==, 0600);
  assert_saved (assistant, plain, FALSE);

  /* Over a file anyone could read: replaced, and readable by the admin only */
  with_passwords = write_file (dir, "with-passwords.csv", "old contents\n");
  g_assert_cmpint (g_chmod (with_passwords, 0644), ==, 0);
  save (assistant, with_passwords, TRUE);
  g_assert_cmpuint (file_mode (with_passwords), ==, 0600);
  assert_saved (assistant, with_passwords, TRUE);

  /* Saved: closing asks nothing */
  g_assert_true (_tessera_generate_window_get_codes_kept (assistant));
  gone = GTK_WINDOW (assistant);
  g_object_add_weak_pointer (G_OBJECT (assistant), (gpointer *) &gone);
  gtk_window_close (GTK_WINDOW (assistant));
  ui_test_drain ();
  g_assert_null (gone);

  gen_fixture_stop (&fixture);
  g_unlink (plain);
  g_unlink (with_passwords);
  g_rmdir (dir);
}

static guint
count_pdf_pages (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  guint pages = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_true (length > 4 && memcmp (contents, "%PDF", 4) == 0);

  /* "/Type /Page" of each page object, not "/Type /Pages" of the tree; the file has NULs */
  for (gsize i = 0; i + 12 <= length; i++)
    if (memcmp (contents + i, "/Type /Page", 11) == 0 && contents[i + 11] != 's')
      pages++;

  return pages;
}

static void
test_print_makes_a_card_per_room (void)
{
  GenFixture fixture = { 0 };
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tessera-ui-print-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "cards.pdf", NULL);
  TesseraGenerateWindow *assistant;

  gen_fixture_start (&fixture, 40);
  ready = gen_server_accounts (&fixture, TESSERA_READINESS_READY, TRUE, 5);
  assistant = gen_open (fixture.page);
  for (guint i = 0; i < ready->len; i++)
    gen_click_check (assistant, gen_account (assistant, id_of (ready, i)));
  gen_generate_from_selection (assistant);

  g_assert_true (_tessera_generate_window_print (assistant, pdf, &error));
  g_assert_no_error (error);
  /* Five cards, four to a page */
  g_assert_cmpuint (count_pdf_pages (pdf), ==, 2);
  g_assert_true (_tessera_generate_window_get_codes_kept (assistant));

  gen_close (assistant);
  gen_fixture_stop (&fixture);
  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_refused_rows_say_why_in_words (void)
{
  GenFixture fixture = { 0 };
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;
  const char *pending_id;
  TesseraGenerateWindow *assistant;
  guint n_refused = 0;

  gen_fixture_start (&fixture, 40);
  ready = gen_server_accounts (&fixture, TESSERA_READINESS_READY, TRUE, 2);
  pending_id = id_of (ready, 0);

  /* A request awaits approval for the first account: the server refuses a new OTP for it */
  batch = test_client_generate (fixture.admin, (const char *[]) { pending_id, NULL }, NULL,
                                &error);
  g_assert_no_error (error);
  redemption = test_client_redeem (
    fixture.admin,
    tessera_otp_result_get_code (g_ptr_array_index (tessera_otp_batch_get_results (batch), 0)),
    "SN-PENDING", &error);
  g_assert_no_error (error);

  assistant = gen_open (fixture.page);
  ui_test_wait_until (tessera_account_get_provisioning_state (
                        gen_account (assistant, pending_id)) ==
                      TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);
  for (guint i = 0; i < ready->len; i++)
    gen_click_check (assistant, gen_account (assistant, id_of (ready, i)));
  gen_generate_from_selection (assistant);

  rows = gen_result_rows (assistant);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      TesseraGenerateResultRow *row = g_ptr_array_index (rows, i);
      TesseraOtpResult *result = tessera_generate_result_row_get_result (row);

      if (g_strcmp0 (tessera_otp_result_get_account_id (result), pending_id) != 0)
        continue;
      n_refused++;
      g_assert_cmpstr (tessera_generate_result_row_get_text (row), ==,
                       "Refused: a request for this account awaits approval");
      g_assert_false (gtk_widget_is_visible (tessera_generate_result_row_get_copy_button (row)));
    }
  g_assert_cmpuint (n_refused, ==, 1);
  g_assert_cmpstr (gtk_label_get_label (
                     gen_part (assistant, TESSERA_GENERATE_PART_RESULTS_SUMMARY_LABEL)), ==,
                   "1 one-time password generated · 1 refused");

  gen_close (assistant);
  gen_fixture_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/generate/csv/uploaded-sign-in-data-is-checked-by-line-and-reaches-the-"
                   "console",
                   test_uploaded_sign_in_data_is_checked_by_line_and_reaches_the_console);
  g_test_add_func ("/ui/generate/save-writes-the-columns-with-and-without-passwords-for-the-"
                   "admin-only",
                   test_save_writes_the_columns_with_and_without_passwords_for_the_admin_only);
  g_test_add_func ("/ui/generate/print-makes-a-card-per-room", test_print_makes_a_card_per_room);
  g_test_add_func ("/ui/generate/refused-rows-say-why-in-words",
                   test_refused_rows_say_why_in_words);

  return g_test_run ();
}

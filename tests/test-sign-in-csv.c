/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `unit`: the sign-in data file of the Generate OTP assistant (tessera-sign-in-csv.c):
 * the CSV forms people's tools write, and every problem named by its line.
 */
#include "config.h"

#include <string.h>

#include "tessera-sign-in-csv.h"

typedef struct {
  GPtrArray  *accounts;   /* every account the admin can see */
  GHashTable *by_upn;     /* folded UPN → account */
  GPtrArray  *selected;
} Directory;

static TesseraAccount *
lookup (const char *folded_upn,
        gpointer    user_data)
{
  Directory *directory = user_data;

  return g_hash_table_lookup (directory->by_upn, folded_upn);
}

/* Oslo 1 … Oslo 5 (oslo-N@rooms.example.org); Oslo 1 to 3 selected */
static void
directory_init (Directory *directory)
{
  directory->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  directory->by_upn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  directory->selected = g_ptr_array_new ();

  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("acc_%u", i);
      g_autofree char *name = g_strdup_printf ("Oslo %u", i);
      g_autofree char *upn = g_strdup_printf ("oslo-%u@rooms.example.org", i);
      TesseraAccount *account = tessera_account_new (id, name, upn, "Oslo", "Pro", NULL);

      g_ptr_array_add (directory->accounts, account);
      g_hash_table_insert (directory->by_upn, tessera_sign_in_csv_fold_upn (upn), account);
      if (i <= 3)
        g_ptr_array_add (directory->selected, account);
    }
}

static void
directory_clear (Directory *directory)
{
  g_clear_pointer (&directory->selected, g_ptr_array_unref);
  g_clear_pointer (&directory->by_upn, g_hash_table_unref);
  g_clear_pointer (&directory->accounts, g_ptr_array_unref);
}

static TesseraAccount *
account (Directory *directory,
         guint      n)
{
  return g_ptr_array_index (directory->accounts, n - 1);
}

static TesseraSignInCsv *
parse (Directory  *directory,
       const char *text,
       gssize      length)
{
  g_autoptr(GBytes) data = g_bytes_new (text, length >= 0 ? (gsize) length : strlen (text));

  return tessera_sign_in_csv_parse (data, lookup, directory, directory->selected);
}

static TesseraSignInCsvProblem *
problem (TesseraSignInCsv *csv,
         guint             index)
{
  GPtrArray *problems = tessera_sign_in_csv_get_problems (csv);

  g_assert_cmpuint (index, <, problems->len);
  return g_ptr_array_index (problems, index);
}

static void
assert_problem (TesseraSignInCsv            *csv,
                guint                        index,
                TesseraSignInCsvProblemKind  kind,
                guint                        line,
                const char                  *message)
{
  TesseraSignInCsvProblem *p = problem (csv, index);

  g_assert_cmpint (p->kind, ==, kind);
  g_assert_cmpuint (p->line, ==, line);
  g_assert_cmpstr (p->message, ==, message);
}

static void
test_reads_bom_crlf_and_quoted_fields (void)
{
  Directory directory;
  g_autoptr(TesseraSignInCsv) csv = NULL;
  const char text[] =
    "\xEF\xBB\xBFupn,password\r\n"
    "oslo-1@rooms.example.org,plain-Secret1\r\n"
    "\"OSLO-2@Rooms.Example.org \",\"with, comma and \"\"quotes\"\"\"\r\n"
    "  oslo-3@rooms.example.org,\"two\r\nlines\"\r\n";

  directory_init (&directory);
  csv = parse (&directory, text, -1);

  g_assert_cmpuint (tessera_sign_in_csv_get_problems (csv)->len, ==, 0);
  g_assert_true (tessera_sign_in_csv_is_complete (csv));
  g_assert_cmpuint (tessera_sign_in_csv_get_n_rows (csv), ==, 3);
  g_assert_cmpstr (tessera_sign_in_csv_get_password (csv, account (&directory, 1)), ==,
                   "plain-Secret1");
  g_assert_cmpstr (tessera_sign_in_csv_get_password (csv, account (&directory, 2)), ==,
                   "with, comma and \"quotes\"");
  g_assert_cmpstr (tessera_sign_in_csv_get_password (csv, account (&directory, 3)), ==,
                   "two\r\nlines");
  g_assert_null (tessera_sign_in_csv_get_password (csv, account (&directory, 4)));

  g_clear_object (&csv);
  directory_clear (&directory);
}

static void
test_columns_in_any_order_and_others_ignored (void)
{
  Directory directory;
  g_autoptr(TesseraSignInCsv) csv = NULL;
  const char text[] =
    "Room,Password,UPN\n"
    "Oslo 1,p1,oslo-1@rooms.example.org\n"
    "Oslo 2,p2,oslo-2@rooms.example.org\n"
    "Oslo 3,p3,oslo-3@rooms.example.org\n";

  directory_init (&directory);
  csv = parse (&directory, text, -1);

  g_assert_true (tessera_sign_in_csv_is_complete (csv));
  g_assert_cmpstr (tessera_sign_in_csv_get_password (csv, account (&directory, 2)), ==, "p2");

  g_clear_object (&csv);
  directory_clear (&directory);
}

static void
test_every_problem_names_its_line (void)
{
  Directory directory;
  g_autoptr(TesseraSignInCsv) csv = NULL;
  g_autofree char *long_password = g_strnfill (TESSERA_SIGN_IN_CSV_MAX_PASSWORD_LENGTH + 1, 'x');
  g_autofree char *text = NULL;

  /* Oslo 3 (selected) has no row; the rest is wrong in every way there is */
  text = g_strconcat ("upn,password\n",                                  /* 1 */
                      "oslo-1@rooms.example.org,good\n",                 /* 2 */
                      "oslo\"2@rooms.example.org,stray quote\n",         /* 3 */
                      "oslo-2@rooms.example.org,a,b\n",                  /* 4 */
                      "\n",                                              /* 5 */
                      " ,no upn\n",                                      /* 6 */
                      "kiosk-9@example.org,unknown\n",                   /* 7 */
                      "Oslo-1@rooms.example.org,again\n",                /* 8 */
                      "oslo-2@rooms.example.org,\n",                     /* 9 */
                      "oslo-4@rooms.example.org,", long_password, "\n",  /* 10 */
                      "oslo-5@rooms.example.org,not selected\n",         /* 11 */
                      "\"oslo-2@rooms.example.org\"x,text after quote\n",/* 12 */
                      NULL);

  directory_init (&directory);
  csv = parse (&directory, text, -1);

  assert_problem (csv, 0, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, 3,
                  "Line 3: a field contains a quote but is not enclosed in quotes");
  assert_problem (csv, 1, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, 4,
                  "Line 4: expected 2 fields, found 3");
  assert_problem (csv, 2, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, 6,
                  "Line 6: the UPN is empty");
  assert_problem (csv, 3, TESSERA_SIGN_IN_CSV_PROBLEM_UNKNOWN_ACCOUNT, 7,
                  "Line 7: unknown account kiosk-9@example.org");
  assert_problem (csv, 4, TESSERA_SIGN_IN_CSV_PROBLEM_DUPLICATE, 8,
                  "Line 8: Oslo-1@rooms.example.org appears again (first on line 2)");
  g_assert_cmpuint (problem (csv, 4)->first_line, ==, 2);
  assert_problem (csv, 5, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, 9,
                  "Line 9: the password for oslo-2@rooms.example.org is empty");
  assert_problem (csv, 6, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, 10,
                  "Line 10: the password for oslo-4@rooms.example.org is longer than 256 bytes");
  assert_problem (csv, 7, TESSERA_SIGN_IN_CSV_PROBLEM_NOT_SELECTED, 11,
                  "Line 11: Oslo 5 is not one of the selected accounts; the row is ignored");
  g_assert_false (problem (csv, 7)->is_error);
  assert_problem (csv, 8, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, 12,
                  "Line 12: text follows a closing quote (a quote inside quotes is written as "
                  "two quotes)");
  assert_problem (csv, 9, TESSERA_SIGN_IN_CSV_PROBLEM_MISSING_ROW, 0,
                  "Oslo 3 has no row in the file");
  g_assert_true (problem (csv, 9)->account == account (&directory, 3));
  g_assert_cmpuint (tessera_sign_in_csv_get_problems (csv)->len, ==, 10);

  g_assert_cmpuint (tessera_sign_in_csv_get_n_errors (csv), ==, 9);
  g_assert_cmpuint (tessera_sign_in_csv_get_n_warnings (csv), ==, 1);
  g_assert_false (tessera_sign_in_csv_is_complete (csv));
  /* Neither of two rows for one account is used: only the admin knows which is right */
  g_assert_null (tessera_sign_in_csv_get_password (csv, account (&directory, 1)));
  g_assert_null (tessera_sign_in_csv_get_password (csv, account (&directory, 2)));

  g_clear_object (&csv);
  directory_clear (&directory);
}

static void
test_unterminated_quote_is_named_where_it_starts (void)
{
  Directory directory;
  g_autoptr(TesseraSignInCsv) csv = NULL;
  const char text[] =
    "upn,password\n"
    "oslo-1@rooms.example.org,p1\n"
    "oslo-2@rooms.example.org,p2\n"
    "oslo-3@rooms.example.org,\"never closed\n"
    "oslo-4@rooms.example.org,p4\n";

  directory_init (&directory);
  csv = parse (&directory, text, -1);

  assert_problem (csv, 0, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, 4,
                  "Line 4: a quoted field is not closed");
  /* Nothing on that line can be trusted, not even which account it was for: Oslo 3 is missing */
  g_assert_cmpuint (tessera_sign_in_csv_get_problems (csv)->len, ==, 2);
  assert_problem (csv, 1, TESSERA_SIGN_IN_CSV_PROBLEM_MISSING_ROW, 0,
                  "Oslo 3 has no row in the file");

  g_clear_object (&csv);
  directory_clear (&directory);
}

static void
test_rows_for_unselected_accounts_only_warn (void)
{
  Directory directory;
  g_autoptr(TesseraSignInCsv) csv = NULL;
  const char text[] =
    "upn,password\n"
    "oslo-1@rooms.example.org,p1\n"
    "oslo-4@rooms.example.org,p4\n"
    "oslo-2@rooms.example.org,p2\n"
    "oslo-3@rooms.example.org,p3\n";

  directory_init (&directory);
  csv = parse (&directory, text, -1);

  g_assert_true (tessera_sign_in_csv_is_complete (csv));
  g_assert_cmpuint (tessera_sign_in_csv_get_n_errors (csv), ==, 0);
  g_assert_cmpuint (tessera_sign_in_csv_get_n_warnings (csv), ==, 1);
  assert_problem (csv, 0, TESSERA_SIGN_IN_CSV_PROBLEM_NOT_SELECTED, 3,
                  "Line 3: Oslo 4 is not one of the selected accounts; the row is ignored");
  g_assert_cmpuint (tessera_sign_in_csv_get_n_rows (csv), ==, 3);
  g_assert_null (tessera_sign_in_csv_get_password (csv, account (&directory, 4)));

  g_clear_object (&csv);
  directory_clear (&directory);
}

static void
test_without_the_header_nothing_is_guessed (void)
{
  Directory directory;
  g_autoptr(TesseraSignInCsv) csv = NULL;

  directory_init (&directory);
  csv = parse (&directory, "oslo-1@rooms.example.org,p1\noslo-2@rooms.example.org,p2\n", -1);

  g_assert_cmpuint (tessera_sign_in_csv_get_problems (csv)->len, ==, 1);
  assert_problem (csv, 0, TESSERA_SIGN_IN_CSV_PROBLEM_NO_HEADER, 1,
                  "Line 1: the first line must name the columns: upn,password");
  g_assert_false (tessera_sign_in_csv_is_complete (csv));

  g_clear_object (&csv);
  directory_clear (&directory);
}

static void
test_empty_files_are_named_as_such (void)
{
  const char *const texts[] = { "", "\xEF\xBB\xBF", "\r\n\n\r\n" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      Directory directory;
      g_autoptr(TesseraSignInCsv) csv = NULL;

      directory_init (&directory);
      csv = parse (&directory, texts[i], -1);
      g_assert_cmpuint (tessera_sign_in_csv_get_problems (csv)->len, ==, 1);
      assert_problem (csv, 0, TESSERA_SIGN_IN_CSV_PROBLEM_EMPTY_FILE, 0, "The file is empty");
      g_assert_false (tessera_sign_in_csv_is_complete (csv));

      g_clear_object (&csv);
      directory_clear (&directory);
    }
}

static void
test_text_that_is_not_utf8_is_named (void)
{
  Directory directory;
  g_autoptr(TesseraSignInCsv) csv = NULL;
  const char text[] =
    "upn,password\n"
    "oslo-1@rooms.example.org,p1\n"
    "oslo-2@rooms.example.org,caf\xe9\n"
    "oslo-3@rooms.example.org,p3\n";

  directory_init (&directory);
  csv = parse (&directory, text, -1);

  assert_problem (csv, 0, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, 3,
                  "Line 3: the text is not UTF-8");
  assert_problem (csv, 1, TESSERA_SIGN_IN_CSV_PROBLEM_MISSING_ROW, 0,
                  "Oslo 2 has no row in the file");
  g_assert_null (tessera_sign_in_csv_get_password (csv, account (&directory, 2)));

  g_clear_object (&csv);
  directory_clear (&directory);
}

static void
test_upns_compare_as_the_server_compares_them (void)
{
  g_autofree char *a = tessera_sign_in_csv_fold_upn ("  Åse-1@Rooms.Example.ORG ");
  /* The same, decomposed: A + combining ring above */
  g_autofree char *b = tessera_sign_in_csv_fold_upn ("A\xcc\x8a" "se-1@rooms.example.org");

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, "\xc3\xa5" "se-1@rooms.example.org");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/unit/sign-in-csv/reads-bom-crlf-and-quoted-fields",
                   test_reads_bom_crlf_and_quoted_fields);
  g_test_add_func ("/unit/sign-in-csv/columns-in-any-order-and-others-ignored",
                   test_columns_in_any_order_and_others_ignored);
  g_test_add_func ("/unit/sign-in-csv/every-problem-names-its-line",
                   test_every_problem_names_its_line);
  g_test_add_func ("/unit/sign-in-csv/unterminated-quote-is-named-where-it-starts",
                   test_unterminated_quote_is_named_where_it_starts);
  g_test_add_func ("/unit/sign-in-csv/rows-for-unselected-accounts-only-warn",
                   test_rows_for_unselected_accounts_only_warn);
  g_test_add_func ("/unit/sign-in-csv/without-the-header-nothing-is-guessed",
                   test_without_the_header_nothing_is_guessed);
  g_test_add_func ("/unit/sign-in-csv/empty-files-are-named-as-such",
                   test_empty_files_are_named_as_such);
  g_test_add_func ("/unit/sign-in-csv/text-that-is-not-utf8-is-named",
                   test_text_that_is_not_utf8_is_named);
  g_test_add_func ("/unit/sign-in-csv/upns-compare-as-the-server-compares-them",
                   test_upns_compare_as_the_server_compares_them);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tessera-csv.h"

typedef struct {
  guint       line;
  const char *joined; /* fields joined with '|', or NULL for an error */
  int         error_code;
} Expected;

static void
assert_records (const char     *text,
                gsize           length,
                const Expected *expected,
                gsize           n_expected)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length);
  g_autoptr(TesseraCsvReader) reader = tessera_csv_reader_new (bytes);
  gsize i = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GError) error = NULL;
      guint line = 0;

      if (tessera_csv_reader_next (reader, &fields, &line, &error))
        {
          g_autoptr(GString) joined = g_string_new (NULL);

          for (guint f = 0; f < fields->len; f++)
            g_string_append_printf (joined, "%s%s", f > 0 ? "|" : "",
                                    (char *) g_ptr_array_index (fields, f));

          g_assert_cmpuint (i, <, n_expected);
          g_assert_cmpuint (line, ==, expected[i].line);
          g_assert_cmpstr (joined->str, ==, expected[i].joined);
          i++;
        }
      else if (error != NULL)
        {
          g_autofree char *prefix = g_strdup_printf ("Line %u: ", expected[i].line);

          g_assert_cmpuint (i, <, n_expected);
          g_assert_null (expected[i].joined);
          g_assert_error (error, TESSERA_CSV_ERROR, expected[i].error_code);
          g_assert_cmpuint (line, ==, expected[i].line);
          g_assert_true (g_str_has_prefix (error->message, prefix));
          i++;
        }
      else
        break;
    }

  g_assert_cmpuint (i, ==, n_expected);
}

static void
test_csv_plain_records_with_line_numbers (void)
{
  const char *text = "upn,password\nroom-1@example.org,secret1\n\nroom-2@example.org,\n";
  const Expected expected[] = {
    { 1, "upn|password" },
    { 2, "room-1@example.org|secret1" },
    { 4, "room-2@example.org|" },
  };

  assert_records (text, strlen (text), expected, G_N_ELEMENTS (expected));
}

static void
test_csv_bom_and_crlf (void)
{
  const char *text = "\xEF\xBB\xBFupn,password\r\na@x.org,p1\r\n\r\nb@x.org,p2";
  const Expected expected[] = {
    { 1, "upn|password" },
    { 2, "a@x.org|p1" },
    { 4, "b@x.org|p2" },
  };

  assert_records (text, strlen (text), expected, G_N_ELEMENTS (expected));
}

static void
test_csv_quoted_fields (void)
{
  const char *text =
    "upn,password\n"
    "\"a@x.org\",\"pa,ss\"\"word\"\n"
    "\"b@x.org\",\"two\nlines\"\n"
    "c@x.org,\"\"\n";
  const Expected expected[] = {
    { 1, "upn|password" },
    { 2, "a@x.org|pa,ss\"word" },
    { 3, "b@x.org|two\nlines" },
    { 5, "c@x.org|" },
  };

  assert_records (text, strlen (text), expected, G_N_ELEMENTS (expected));
}

/* One pass names every bad line and keeps the good ones. */
static void
test_csv_every_bad_line_is_reported_and_reading_goes_on (void)
{
  const char *text =
    "upn,password\n"
    "a@x.org,p\"q\n"
    "b@x.org,\"p\"q\n"
    "c@x.org,fine\n"
    "d@x.org,\xC3\x28\n"
    "e@x.org,\"never closed\n";
  const Expected expected[] = {
    { 1, "upn|password" },
    { 2, NULL, TESSERA_CSV_ERROR_STRAY_QUOTE },
    { 3, NULL, TESSERA_CSV_ERROR_TEXT_AFTER_QUOTE },
    { 4, "c@x.org|fine" },
    { 5, NULL, TESSERA_CSV_ERROR_INVALID_TEXT },
    { 6, NULL, TESSERA_CSV_ERROR_UNTERMINATED_QUOTE },
  };

  assert_records (text, strlen (text), expected, G_N_ELEMENTS (expected));
}

static void
test_csv_nul_byte_is_refused (void)
{
  const char text[] = "a,b\nc,d\0e\nf,g\n";
  const Expected expected[] = {
    { 1, "a|b" },
    { 2, NULL, TESSERA_CSV_ERROR_INVALID_TEXT },
    { 3, "f|g" },
  };

  assert_records (text, sizeof text - 1, expected, G_N_ELEMENTS (expected));
}

static void
test_csv_huge_field_is_refused (void)
{
  g_autoptr(GString) text = g_string_new ("a,");
  const Expected expected[] = {
    { 1, NULL, TESSERA_CSV_ERROR_TOO_LONG },
    { 2, "b|c" },
  };

  for (guint i = 0; i < TESSERA_CSV_MAX_FIELD_LENGTH + 10; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\nb,c\n");

  assert_records (text->str, text->len, expected, G_N_ELEMENTS (expected));
}

static void
test_csv_empty_input_has_no_records (void)
{
  const Expected none[] = { { 0 } };

  assert_records ("", 0, none, 0);
  assert_records ("\xEF\xBB\xBF\n\r\n", 6, none, 0);
}

static void
test_csv_find_column_ignores_case_and_blanks (void)
{
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (header, g_strdup (" UPN "));
  g_ptr_array_add (header, g_strdup ("Password"));

  g_assert_cmpint (tessera_csv_find_column (header, "upn"), ==, 0);
  g_assert_cmpint (tessera_csv_find_column (header, "password"), ==, 1);
  g_assert_cmpint (tessera_csv_find_column (header, "site"), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/unit/csv/plain-records-with-line-numbers",
                   test_csv_plain_records_with_line_numbers);
  g_test_add_func ("/unit/csv/bom-and-crlf", test_csv_bom_and_crlf);
  g_test_add_func ("/unit/csv/quoted-fields", test_csv_quoted_fields);
  g_test_add_func ("/unit/csv/every-bad-line-is-reported-and-reading-goes-on",
                   test_csv_every_bad_line_is_reported_and_reading_goes_on);
  g_test_add_func ("/unit/csv/nul-byte-is-refused", test_csv_nul_byte_is_refused);
  g_test_add_func ("/unit/csv/huge-field-is-refused", test_csv_huge_field_is_refused);
  g_test_add_func ("/unit/csv/empty-input-has-no-records", test_csv_empty_input_has_no_records);
  g_test_add_func ("/unit/csv/find-column-ignores-case-and-blanks",
                   test_csv_find_column_ignores_case_and_blanks);

  return g_test_run ();
}

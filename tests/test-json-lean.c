/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tessera-types.h"

/*
 * The lean writer (tessera_json_write_page, tessera_account_write_json) that the server uses
 * for account lists must write exactly the bytes of the JsonBuilder path it replaces, for
 * every string a name, UPN, site, licence or issue code can hold, and what it writes must be
 * strict JSON that decodes back to the same accounts.
 */

/*
 * The builder path's bytes. json-glib 1.6 leaves U+001F raw in strings, which RFC 8259
 * forbids; tessera_json_builder_to_string() escapes it as \u001f on branches that have that
 * fix, and so does the lean writer. Doing the same here keeps this comparison exact either way.
 */
static char *
reference_text (JsonBuilder *builder)
{
  g_autofree char *text = tessera_json_builder_to_string (builder, NULL);
  GString *fixed = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == 0x1f)
        g_string_append (fixed, "\\u001f");
      else
        g_string_append_c (fixed, *p);
    }
  return g_string_free (fixed, FALSE);
}

static char *
reference_string (const char *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
  json_builder_end_array (builder);
  return reference_text (builder);
}

static char *
lean_string (const char *value)
{
  GString *out = g_string_new ("[");

  tessera_json_write_string (out, value);
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

/* Strings that exercise every escape: each ASCII byte alone and in company, and UTF-8. */
static GPtrArray *
tricky_strings (void)
{
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);
  static const char * const fixed[] = {
    "", "Oslo", "Zürich", "Reykjavík 3.02 Fjörður", "日本語の会議室", "emoji 🎉 room",
    "quote \" and backslash \\ inside", "\"\"\\\\", "tab\there", "line\nbreak\r\n",
    "bell\a back\b form\f vt\v", "unit\x1fseparator", "del\x7f", "\x01start", "end\x1e",
    "line separator \u2028 and \u2029", "a/b", "</script>", "{\"json\":[1,2]}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (strings, g_strdup (fixed[i]));
  for (int c = 1; c < 0x80; c++)
    {
      g_ptr_array_add (strings, g_strdup_printf ("%c", c));
      g_ptr_array_add (strings, g_strdup_printf ("x%cy%c", c, c));
    }
  return strings;
}

static void
test_strings_escape_like_json_glib (void)
{
  g_autoptr(GPtrArray) strings = tricky_strings ();
  g_autofree char *null_lean = lean_string (NULL);
  g_autofree char *null_reference = reference_string (NULL);

  g_assert_cmpstr (null_lean, ==, null_reference);
  for (guint i = 0; i < strings->len; i++)
    {
      g_autofree char *lean = lean_string (g_ptr_array_index (strings, i));
      g_autofree char *reference = reference_string (g_ptr_array_index (strings, i));

      g_assert_cmpstr (lean, ==, reference);
      /* Never a raw control character: RFC 8259 forbids them in strings. */
      for (const char *p = lean; *p != '\0'; p++)
        g_assert_cmpint ((guchar) *p, >=, 0x20);
    }
}

/* Every combination of the members an account may or may not have, with tricky strings. */
static GPtrArray *
make_accounts (void)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) strings = tricky_strings ();
  g_autoptr(GDateTime) expires =
    tessera_datetime_new_unix_usec (G_GINT64_CONSTANT (1795660800123456));

  for (guint i = 0; i < strings->len * 4; i++)
    {
      const char *s = g_ptr_array_index (strings, i % strings->len);
      const char *t = g_ptr_array_index (strings, (i * 7 + 3) % strings->len);
      g_autofree char *id = g_strdup_printf ("acc_%06u", i);
      g_autofree char *name = g_strdup_printf ("Room %u %s", i, s);
      g_autofree char *upn = g_strdup_printf ("room-%u%s@rooms.example.org", i, t);
      const char *issues[] = { s, "calendar_processing", t, NULL };
      const char *const *issue_list = (i % 3 == 0) ? NULL
                                      : (i % 3 == 1) ? issues + 1 : issues;
      TesseraAccount *account;
      TesseraProvisioningState state = (TesseraProvisioningState) (i % 7);

      account = tessera_account_new (id, name, upn, t, i % 5 == 0 ? NULL : s, issue_list);
      tessera_account_set_readiness (account, (TesseraReadiness) (i % 3));
      if (i % 11 != 0)
        tessera_account_set_updated_at_unix_usec (account,
                                                  G_GINT64_CONSTANT (1795632000000000) + i);
      if (state != TESSERA_PROVISIONING_NOT_STARTED)
        {
          g_autofree char *otp_id = g_strdup_printf ("otp_%u", i);
          g_autofree char *request_id = g_strdup_printf ("req_%u%s", i, s);

          tessera_account_set_provisioning (account, state,
                                            i % 2 == 0 ? otp_id : NULL,
                                            i % 4 < 2 ? s : NULL,
                                            i % 8 < 4 ? expires : NULL,
                                            i % 16 < 8 ? request_id : NULL);
        }
      g_ptr_array_add (accounts, account);
    }
  return accounts;
}

static void
test_accounts_write_what_the_builder_writes (void)
{
  g_autoptr(GPtrArray) accounts = make_accounts ();

  for (guint i = 0; i < accounts->len; i++)
    {
      TesseraAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(GString) lean = g_string_new (NULL);
      g_autofree char *reference = NULL;

      tessera_account_to_json (account, builder);
      reference = reference_text (builder);
      tessera_account_write_json (account, lean);
      g_assert_cmpstr (lean->str, ==, reference);
    }
}

static void
check_page (GPtrArray  *accounts,
            const char *next_cursor,
            guint       total)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *reference = NULL;
  g_autofree char *lean = NULL;
  gsize length = 0;

  tessera_json_encode_page (builder, accounts, (TesseraJsonItemEncoder) tessera_account_to_json,
                            next_cursor, total);
  reference = reference_text (builder);
  lean = tessera_json_write_page (accounts, (TesseraJsonItemWriter) tessera_account_write_json,
                                  next_cursor, total, &length);
  g_assert_cmpuint (length, ==, strlen (lean));
  g_assert_cmpstr (lean, ==, reference);
}

static void
test_pages_write_what_the_builder_writes (void)
{
  g_autoptr(GPtrArray) accounts = make_accounts ();
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_ptr_array_add (one, g_ptr_array_index (accounts, 1));

  check_page (none, NULL, 0);
  check_page (one, NULL, 1);
  check_page (one, "AQAAADtWEYOghgEAAAAAAAAAAAAAAAAAQWFyaHVzIDEwLjAyIEdhbGxlcnkAYWNj", 100000);
  check_page (accounts, "cursor \"with\" \\ odd\x1f bytes", G_MAXUINT);
}

static void
test_history_is_written_like_the_builder (void)
{
  g_autoptr(GPtrArray) accounts = make_accounts ();
  g_autoptr(GPtrArray) otps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) issued =
    tessera_datetime_new_unix_usec (G_GINT64_CONSTANT (1795632000000000));
  g_autoptr(GDateTime) expires =
    tessera_datetime_new_unix_usec (G_GINT64_CONSTANT (1795660800000000));
  TesseraAccount *account = g_ptr_array_index (accounts, 5);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GString) lean = g_string_new (NULL);
  g_autofree char *reference = NULL;

  g_ptr_array_add (otps, tessera_otp_new ("otp_1", tessera_account_get_id (account), "alice",
                                          issued, expires, TESSERA_OTP_REDEEMED));
  tessera_account_set_otps (account, otps);

  tessera_account_to_json (account, builder);
  reference = reference_text (builder);
  tessera_account_write_json (account, lean);
  g_assert_cmpstr (lean->str, ==, reference);
  g_assert_nonnull (strstr (lean->str, "\"otps\":[{"));
}

static void
test_pages_are_strict_json_that_decodes_back (void)
{
  g_autoptr(GPtrArray) accounts = make_accounts ();
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *cursor = NULL;
  gsize length = 0;
  guint total = 0;

  /* Every account the server lists has been stamped; the decoder requires it. */
  for (guint i = 0; i < accounts->len; i++)
    tessera_account_set_updated_at_unix_usec (g_ptr_array_index (accounts, i),
                                              G_GINT64_CONSTANT (1795632000000000) + i);

  text = tessera_json_write_page (accounts, (TesseraJsonItemWriter) tessera_account_write_json,
                                  "next", 123456, &length);
  root = tessera_json_parse_object (text, length, TESSERA_JSON_MAX_DEPTH, &error);
  g_assert_no_error (error);
  decoded = tessera_json_decode_page (root, (TesseraJsonItemDecoder) tessera_account_new_from_json,
                                      &cursor, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cursor, ==, "next");
  g_assert_cmpuint (total, ==, 123456);
  g_assert_cmpuint (decoded->len, ==, accounts->len);

  for (guint i = 0; i < accounts->len; i++)
    {
      TesseraAccount *a = g_ptr_array_index (accounts, i);
      TesseraAccount *b = g_ptr_array_index (decoded, i);
      const char * const *issues_a = tessera_account_get_readiness_issues (a);
      const char * const *issues_b = tessera_account_get_readiness_issues (b);

      g_assert_cmpstr (tessera_account_get_id (a), ==, tessera_account_get_id (b));
      g_assert_cmpstr (tessera_account_get_display_name (a), ==,
                       tessera_account_get_display_name (b));
      g_assert_cmpstr (tessera_account_get_upn (a), ==, tessera_account_get_upn (b));
      g_assert_cmpstr (tessera_account_get_site (a), ==, tessera_account_get_site (b));
      g_assert_cmpstr (tessera_account_get_license (a), ==, tessera_account_get_license (b));
      g_assert_cmpint (tessera_account_get_readiness (a), ==, tessera_account_get_readiness (b));
      g_assert_cmpuint (g_strv_length ((char **) issues_a), ==,
                        g_strv_length ((char **) issues_b));
      for (guint j = 0; issues_a[j] != NULL; j++)
        g_assert_cmpstr (issues_a[j], ==, issues_b[j]);
      g_assert_cmpint (tessera_account_get_provisioning_state (a), ==,
                       tessera_account_get_provisioning_state (b));
      g_assert_cmpstr (tessera_account_get_otp_id (a), ==, tessera_account_get_otp_id (b));
      g_assert_cmpstr (tessera_account_get_issued_by (a), ==, tessera_account_get_issued_by (b));
      g_assert_cmpstr (tessera_account_get_request_id (a), ==,
                       tessera_account_get_request_id (b));
    }
}

/* The timestamp writer against GDateTime, across the years the API can carry. */
static void
test_timestamps_format_like_gdatetime (void)
{
  static const struct {
    gint64      usec;
    const char *text;
  } fixed[] = {
    { G_GINT64_CONSTANT (-62135596800000000), "0001-01-01T00:00:00.000000Z" },
    { G_GINT64_CONSTANT (253402300799999999), "9999-12-31T23:59:59.999999Z" },
    { 0, "1970-01-01T00:00:00.000000Z" },
    { -1, "1969-12-31T23:59:59.999999Z" },
    { G_GINT64_CONSTANT (951782400000001), "2000-02-29T00:00:00.000001Z" },
  };
  char buffer[TESSERA_DATETIME_BUFFER_SIZE];

  for (gsize i = 0; i < G_N_ELEMENTS (fixed); i++)
    {
      g_assert_true (tessera_datetime_format_unix_usec (fixed[i].usec, buffer));
      g_assert_cmpstr (buffer, ==, fixed[i].text);
    }

  g_assert_false (tessera_datetime_format_unix_usec (G_GINT64_CONSTANT (253402300800000000),
                                                     buffer));

  /* Years 1000 to 9999, where GDateTime's %Y has four digits too. */
  for (guint i = 0; i < 20000; i++)
    {
      gint64 seconds = g_test_rand_int_range (-30610224, 253402300) * G_GINT64_CONSTANT (1000) +
                       g_test_rand_int_range (0, 1000);
      gint usec = g_test_rand_int_range (0, 1000000);
      g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (seconds);
      g_autofree char *date_text = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S");
      g_autofree char *expected = g_strdup_printf ("%s.%06dZ", date_text, usec);

      g_assert_true (tessera_datetime_format_unix_usec (seconds * G_USEC_PER_SEC + usec, buffer));
      g_assert_cmpstr (buffer, ==, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/json/lean/timestamps-format-like-gdatetime",
                   test_timestamps_format_like_gdatetime);
  g_test_add_func ("/json/lean/strings-escape-like-json-glib",
                   test_strings_escape_like_json_glib);
  g_test_add_func ("/json/lean/accounts-write-what-the-builder-writes",
                   test_accounts_write_what_the_builder_writes);
  g_test_add_func ("/json/lean/pages-write-what-the-builder-writes",
                   test_pages_write_what_the_builder_writes);
  g_test_add_func ("/json/lean/history-is-written-like-the-builder",
                   test_history_is_written_like_the_builder);
  g_test_add_func ("/json/lean/pages-are-strict-json-that-decodes-back",
                   test_pages_are_strict_json_that_decodes_back);

  return g_test_run ();
}

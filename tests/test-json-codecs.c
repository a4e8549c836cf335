/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tessera-types.h"
#include "test-json-codecs-common.h"

/* ------------------------------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------------------------------ */

static char *
nested_arrays (guint depth)
{
  GString *s = g_string_sized_new (depth * 2);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, ']');

  return g_string_free (s, FALSE);
}

static char *
nested_objects (guint depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, "{\"a\":");
  g_string_append (s, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '}');

  return g_string_free (s, FALSE);
}

static void
test_parse_accepts_32_levels_and_refuses_33 (void)
{
  g_autofree char *arrays_32 = nested_arrays (32);
  g_autofree char *arrays_33 = nested_arrays (33);
  g_autofree char *objects_32 = nested_objects (32);
  g_autofree char *objects_33 = nested_objects (33);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = tessera_json_parse (arrays_32, strlen (arrays_32), TESSERA_JSON_MAX_DEPTH, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_clear_pointer (&node, json_node_unref);

  node = tessera_json_parse (objects_32, strlen (objects_32), TESSERA_JSON_MAX_DEPTH, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_clear_pointer (&node, json_node_unref);

  node = tessera_json_parse (arrays_33, strlen (arrays_33), TESSERA_JSON_MAX_DEPTH, &error);
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_TOO_DEEP);
  g_assert_null (node);
  g_clear_error (&error);

  node = tessera_json_parse (objects_33, strlen (objects_33), TESSERA_JSON_MAX_DEPTH, &error);
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_TOO_DEEP);
  g_assert_null (node);
}

/* json-glib recurses per level: 100 000 '[' must be refused by our scan, not reach it. */
static void
test_parse_refuses_100000_brackets_without_recursing (void)
{
  gsize n = 100000;
  g_autofree char *data = g_malloc (n);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  memset (data, '[', n);
  node = tessera_json_parse (data, n, TESSERA_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "32"));
}

static void
test_parse_refuses_malformed_json (void)
{
  /* Each of these json-glib alone would accept, mangle, or choke on */
  const char *cases[] = {
    "{",
    "[1,]",
    "{\"a\":1,}",
    "{\"a\":1} // comment",
    "/* comment */ {\"a\":1}",
    "var x = {\"a\":1};",
    "{'a':1}",
    "['a']",
    "[0x10]",
    "[01]",
    "[.5]",
    "[1.]",
    "[-]",
    "[1e]",
    "{\"a\":1}{\"b\":2}",
    "{\"a\":1} x",
    "[NaN]",
    "[tru]",
    "[nul]",
    "[\"\\u0000\"]",
    "[\"\\x41\"]",
    "[\"\\ud800\"]",
    "[\"\\udc00\"]",
    "[\"a\tb\"]",
    "[\"\xff\"]",
    "[\"\xc3\"]",
    "[99999999999999999999]",
    "[9223372036854775808]",
    "[-9223372036854775809]",
    "[1e400]",
    "{\"a\" 1}",
    "{1:2}",
    "[1 2]",
    "[}",
    "{]",
    "\"unterminated",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *shown = g_strescape (cases[i], NULL);
      JsonNode *node;

      g_test_message ("malformed: %s", shown);
      node = tessera_json_parse (cases[i], strlen (cases[i]), TESSERA_JSON_MAX_DEPTH, &error);
      g_assert_null (node);
      g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_JSON);
    }
}

static void
test_parse_refuses_empty_and_embedded_nul (void)
{
  const char with_nul[] = "{\"a\":\"x\0y\"}";
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = tessera_json_parse ("", 0, TESSERA_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_JSON);
  g_clear_error (&error);

  node = tessera_json_parse (" \n\t ", 4, TESSERA_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_JSON);
  g_clear_error (&error);

  node = tessera_json_parse (with_nul, sizeof with_nul - 1, TESSERA_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_JSON);
}

static void
test_parse_accepts_valid_json (void)
{
  const char *cases[] = {
    "{}",
    "  {\"a\" : [ 1 , -0 , 1.5e3 , 2E-2 , true , false , null ] }\r\n",
    "[\"\\ud83d\\ude00 \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9\"]",
    "[9223372036854775807, -9223372036854775808]",
    "\"top-level string\"",
    "42",
    "[\"Zürich — 会议室\"]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("valid: %s", cases[i]);
      node = tessera_json_parse (cases[i], strlen (cases[i]), TESSERA_JSON_MAX_DEPTH, &error);
      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

static void
test_parse_keeps_integer_extremes_exact (void)
{
  g_autoptr(JsonNode) node = test_parse ("[9223372036854775807,-9223372036854775808,\"\\u00e9\"]");
  JsonArray *array = json_node_get_array (node);

  g_assert_cmpint (json_array_get_int_element (array, 0), ==, G_MAXINT64);
  g_assert_cmpint (json_array_get_int_element (array, 1), ==, G_MININT64);
  g_assert_cmpstr (json_array_get_string_element (array, 2), ==, "é");
}

static void
test_parse_object_refuses_other_top_levels (void)
{
  const char *cases[] = { "[]", "1", "\"s\"", "null", "true" };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node = tessera_json_parse_object (cases[i], strlen (cases[i]),
                                                  TESSERA_JSON_MAX_DEPTH, &error);

      g_assert_null (node);
      g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_JSON);
    }

  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"a\":1}", 7);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = tessera_json_parse_bytes (bytes, &error);

    g_assert_no_error (error);
    g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  }
}

/* Corrupted input must end in exactly one of: a decoded account, or an error. Deterministic
 * (GTest's seeded generator), so a failure reproduces with the logged seed. */
static void
test_parse_and_decode_survive_random_corruption (void)
{
  const char *valid =
    "{\"id\":\"acc-1\",\"display_name\":\"Room \\u00e9 1\",\"upn\":\"r1@example.com\","
    "\"site\":\"Berlin\",\"license\":null,\"readiness\":\"no_valid_license\","
    "\"readiness_issues\":[\"mailbox_missing\"],\"updated_at\":\"2026-11-25T18:40:00Z\","
    "\"provisioning\":{\"state\":\"otp_issued\",\"otp_id\":\"o\",\"issued_by\":\"alice\","
    "\"expires_at\":\"2026-11-26T02:40:00+01:00\"}}";
  const char noise[] = "[]{}\"\\:,0-e.tnu \x01\xc3\xff";
  gsize length = strlen (valid);
  guint decoded = 0, refused = 0;

  for (guint round = 0; round < 5000; round++)
    {
      g_autofree char *data = g_strdup (valid);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      guint flips = (guint) g_test_rand_int_range (1, 4);

      for (guint f = 0; f < flips; f++)
        data[g_test_rand_int_range (0, (gint32) length)] =
          noise[g_test_rand_int_range (0, sizeof noise - 1)];

      node = tessera_json_parse (data, length, TESSERA_JSON_MAX_DEPTH, &error);
      g_assert_true ((node == NULL) != (error == NULL));
      if (node != NULL)
        {
          g_autoptr(TesseraAccount) account = tessera_account_new_from_json (node, &error);

          g_assert_true ((account == NULL) != (error == NULL));
          if (account != NULL)
            decoded++;
        }
      if (error != NULL)
        {
          g_assert_true (error->domain == TESSERA_JSON_ERROR);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          refused++;
        }
    }

  g_test_message ("%u decoded, %u refused", decoded, refused);
  g_assert_cmpuint (decoded + refused, ==, 5000);
  g_assert_cmpuint (refused, >, 0);
}

/* ------------------------------------------------------------------------------------------
 * Timestamps
 * ------------------------------------------------------------------------------------------ */

static void
test_datetime_formats_utc_with_microseconds (void)
{
  g_autoptr(GTimeZone) plus_two = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) local = g_date_time_new (plus_two, 2026, 11, 25, 20, 40, 0.0);
  g_autoptr(GDateTime) with_usec = g_date_time_add (local, 123456);
  g_autofree char *text = tessera_datetime_format (with_usec);
  char buffer[TESSERA_DATETIME_BUFFER_SIZE];

  g_assert_cmpstr (text, ==, "2026-11-25T18:40:00.123456Z");
  g_assert_null (tessera_datetime_format (NULL));

  g_assert_true (tessera_datetime_format_unix_usec (0, buffer));
  g_assert_cmpstr (buffer, ==, "1970-01-01T00:00:00.000000Z");
  g_assert_true (tessera_datetime_format_unix_usec (-1, buffer));
  g_assert_cmpstr (buffer, ==, "1969-12-31T23:59:59.999999Z");
  g_assert_true (tessera_datetime_format_unix_usec (G_GINT64_CONSTANT (951782400) * G_USEC_PER_SEC,
                                                     buffer));
  g_assert_cmpstr (buffer, ==, "2000-02-29T00:00:00.000000Z");
}

static void
test_datetime_parses_rfc3339_with_zone (void)
{
  const struct {
    const char *text;
    const char *utc;
  } cases[] = {
    { "2026-11-25T18:40:00Z", "2026-11-25T18:40:00.000000Z" },
    { "2026-11-25t18:40:00z", "2026-11-25T18:40:00.000000Z" },
    { "2026-11-25T18:40:00.123456Z", "2026-11-25T18:40:00.123456Z" },
    { "2026-11-25T18:40:00.1Z", "2026-11-25T18:40:00.100000Z" },
    { "2026-11-25T18:40:00.123456789Z", "2026-11-25T18:40:00.123456Z" },
    { "2026-11-25T19:40:00+01:00", "2026-11-25T18:40:00.000000Z" },
    { "2026-11-25T13:10:00-05:30", "2026-11-25T18:40:00.000000Z" },
    { "2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00.000000Z" },
    { "2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000000Z" },
    { "1969-07-20T20:17:40.5Z", "1969-07-20T20:17:40.500000Z" },
    { "0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000Z" },
    { "9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) datetime = tessera_datetime_parse (cases[i].text, &error);
      g_autofree char *back = NULL;

      g_test_message ("timestamp: %s", cases[i].text);
      g_assert_no_error (error);
      g_assert_nonnull (datetime);
      back = tessera_datetime_format (datetime);
      g_assert_cmpstr (back, ==, cases[i].utc);
    }
}

static void
test_datetime_refuses_other_forms (void)
{
  const char *cases[] = {
    "2026-11-25T18:40:00",          /* no zone */
    "2026-11-25 18:40:00Z",         /* space */
    "2026-11-25",                   /* date only */
    "2026-W48-3T18:40:00Z",         /* ISO week date */
    "2026-329T18:40:00Z",           /* ISO ordinal date */
    "20261125T184000Z",             /* basic format */
    "2026-02-29T00:00:00Z",         /* not a leap year */
    "2026-13-01T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-11-25T24:00:00Z",
    "2026-11-25T18:60:00Z",
    "2026-12-31T23:59:60Z",         /* leap second */
    "2026-11-25T18:40:00.Z",
    "2026-11-25T18:40:00+01",
    "2026-11-25T18:40:00+0100",
    "2026-11-25T18:40:00+24:00",
    "2026-11-25T18:40:00Zjunk",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+00:01",    /* before year 1 in UTC */
    "9999-12-31T23:59:59-00:01",    /* after year 9999 in UTC */
    "",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GDateTime *datetime;

      g_test_message ("bad timestamp: %s", cases[i]);
      datetime = tessera_datetime_parse (cases[i], &error);
      g_assert_null (datetime);
      g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE);
    }
}

/* ------------------------------------------------------------------------------------------
 * Member helpers and pages
 * ------------------------------------------------------------------------------------------ */

static void
test_helpers_name_the_member (void)
{
  g_autoptr(JsonNode) node = test_parse ("{\"s\":1,\"i\":\"x\",\"b\":0,\"e\":\"foo\",\"t\":\"noon\","
                                         "\"a\":[\"x\",2],\"n\":null,\"r\":400,\"f\":8.0}");
  JsonObject *object = json_node_get_object (node);
  g_autoptr(GError) error = NULL;
  const char *s = "untouched";
  gint64 i = 7;
  gboolean b = TRUE, present = TRUE;
  int e = 3;
  g_auto(GStrv) strv = NULL;
  g_autoptr(GDateTime) t = NULL;

  g_assert_false (tessera_json_require_string (object, "s", 10, &s, &error));
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE);
  g_assert_cmpstr (error->message, ==, "s: expected a string");
  g_assert_cmpstr (s, ==, "untouched");
  g_clear_error (&error);

  g_assert_false (tessera_json_require_string (object, "missing", 10, &s, &error));
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_MISSING_MEMBER);
  g_assert_cmpstr (error->message, ==, "missing: missing");
  g_clear_error (&error);

  g_assert_false (tessera_json_require_string (object, "n", 10, &s, &error));
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE);
  g_clear_error (&error);

  g_assert_true (tessera_json_optional_string (object, "n", 10, &s, &error));
  g_assert_no_error (error);
  g_assert_null (s);

  g_assert_false (tessera_json_require_int (object, "i", 0, 10, &i, &error));
  g_assert_cmpstr (error->message, ==, "i: expected an integer");
  g_clear_error (&error);

  g_assert_false (tessera_json_require_int (object, "f", 0, 10, &i, &error));
  g_assert_cmpstr (error->message, ==, "f: expected an integer");
  g_clear_error (&error);

  g_assert_false (tessera_json_require_int (object, "r", 1, 336, &i, &error));
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "r: must be between 1 and 336");
  g_assert_cmpint (i, ==, 7);
  g_clear_error (&error);

  g_assert_true (tessera_json_optional_int (object, "absent", 1, 336, &i, &present, &error));
  g_assert_false (present);
  g_assert_cmpint (i, ==, 7);

  g_assert_false (tessera_json_require_boolean (object, "b", &b, &error));
  g_assert_cmpstr (error->message, ==, "b: expected true or false");
  g_clear_error (&error);

  g_assert_false (tessera_json_require_enum (object, "e", TESSERA_TYPE_ROLE, &e, &error));
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "e: unknown value \"foo\"");
  g_assert_cmpint (e, ==, 3);
  g_clear_error (&error);

  g_assert_false (tessera_json_require_datetime (object, "t", &t, &error));
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE);
  g_assert_true (g_str_has_prefix (error->message, "t: expected an RFC 3339 timestamp"));
  g_clear_error (&error);

  g_assert_false (tessera_json_require_string_array (object, "a", 10, 10, &strv, &error));
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE);
  g_assert_cmpstr (error->message, ==, "a[1]: expected a string");
  g_assert_null (strv);
  g_clear_error (&error);

  g_assert_false (tessera_json_require_string_array (object, "a", 1, 10, &strv, &error));
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_TOO_LONG);
  g_assert_cmpstr (error->message, ==, "a: at most 1 items");
  g_clear_error (&error);

  g_assert_false (tessera_json_require_string (object, "e", 2, &s, &error));
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_TOO_LONG);
  g_assert_cmpstr (error->message, ==, "e: longer than 2 bytes");
}

static void
test_prefix_error_joins_paths (void)
{
  g_autoptr(GError) member = g_error_new_literal (TESSERA_JSON_ERROR, 0, "upn: x");
  g_autoptr(GError) index = g_error_new_literal (TESSERA_JSON_ERROR, 0, "[3]: x");
  g_autoptr(GError) root = g_error_new_literal (TESSERA_JSON_ERROR, 0, "expected a JSON object");
  GError *none = NULL;

  tessera_json_prefix_error (&member, "items[%u]", 12);
  tessera_json_prefix_error (&index, "account_ids");
  tessera_json_prefix_error (&root, "device");
  tessera_json_prefix_error (&none, "ignored");
  tessera_json_prefix_error (NULL, "ignored");

  g_assert_cmpstr (member->message, ==, "items[12].upn: x");
  g_assert_cmpstr (index->message, ==, "account_ids[3]: x");
  g_assert_cmpstr (root->message, ==, "device: expected an object");
  g_assert_null (none);
}

static TesseraAccount *
make_account (guint i)
{
  g_autofree char *id = g_strdup_printf ("acc-%04u", i);
  g_autofree char *name = g_strdup_printf ("Room %u", i);
  g_autofree char *upn = g_strdup_printf ("room%u@example.com", i);
  TesseraAccount *account = tessera_account_new (id, name, upn, "Berlin", "E3", NULL);

  tessera_account_set_updated_at_unix_usec (account, 1764096000000000 + i);
  return account;
}

static void
test_page_round_trips_and_names_the_item (void)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint total = 0;

  for (guint i = 0; i < 13; i++)
    g_ptr_array_add (accounts, make_account (i));

  tessera_json_encode_page (builder, accounts, (TesseraJsonItemEncoder) tessera_account_to_json,
                            "opaque-cursor", 4242);
  json = tessera_json_builder_to_string (builder, NULL);
  node = test_parse (json);

  decoded = tessera_json_decode_page (node, (TesseraJsonItemDecoder) tessera_account_new_from_json,
                                      &cursor, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decoded->len, ==, 13);
  g_assert_cmpstr (cursor, ==, "opaque-cursor");
  g_assert_cmpuint (total, ==, 4242);
  for (guint i = 0; i < 13; i++)
    g_assert_cmpstr (tessera_account_get_upn (g_ptr_array_index (decoded, i)), ==,
                     tessera_account_get_upn (g_ptr_array_index (accounts, i)));
  g_clear_pointer (&decoded, g_ptr_array_unref);
  g_clear_pointer (&cursor, g_free);

  /* next_cursor null means the last page */
  {
    g_autofree char *last = test_mutate (json, "next_cursor", "null");
    g_autoptr(JsonNode) last_node = test_parse (last);

    decoded = tessera_json_decode_page (last_node,
                                        (TesseraJsonItemDecoder) tessera_account_new_from_json,
                                        &cursor, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (cursor);
    g_clear_pointer (&decoded, g_ptr_array_unref);
  }

  broken = test_mutate (json, "items[12].upn", "5");
  g_clear_pointer (&node, json_node_unref);
  node = test_parse (broken);
  decoded = tessera_json_decode_page (node, (TesseraJsonItemDecoder) tessera_account_new_from_json,
                                      &cursor, &total, &error);
  g_assert_null (decoded);
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE);
  g_assert_cmpstr (error->message, ==, "items[12].upn: expected a string");
  g_clear_error (&error);

  g_free (broken);
  broken = test_mutate (json, "items[3]", "\"not an object\"");
  g_clear_pointer (&node, json_node_unref);
  node = test_parse (broken);
  decoded = tessera_json_decode_page (node, (TesseraJsonItemDecoder) tessera_account_new_from_json,
                                      NULL, NULL, &error);
  g_assert_null (decoded);
  g_assert_cmpstr (error->message, ==, "items[3]: expected an object");
  g_clear_error (&error);

  g_free (broken);
  broken = test_mutate (json, "total", "-1");
  g_clear_pointer (&node, json_node_unref);
  node = test_parse (broken);
  decoded = tessera_json_decode_page (node, (TesseraJsonItemDecoder) tessera_account_new_from_json,
                                      NULL, NULL, &error);
  g_assert_null (decoded);
  g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE);
  g_assert_true (g_str_has_prefix (error->message, "total: must be between 0 and"));
}

/* ------------------------------------------------------------------------------------------
 * Secrets
 * ------------------------------------------------------------------------------------------ */

static void
test_secret_wipe_zeroes_the_buffer (void)
{
  char buffer[] = "correct horse battery staple";

  tessera_secret_wipe (buffer, sizeof buffer);
  for (gsize i = 0; i < sizeof buffer; i++)
    g_assert_cmpint (buffer[i], ==, 0);

  tessera_secret_wipe (NULL, 0);
  tessera_secret_free (NULL);
}

static void
test_secret_clear_frees_and_resets (void)
{
  char *secret = tessera_secret_dup ("hunter2");
  char *none = NULL;

  tessera_secret_clear (&secret);
  g_assert_null (secret);
  tessera_secret_clear (&none);
  g_assert_null (none);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/unit/json/parse/accepts-32-levels-and-refuses-33",
                   test_parse_accepts_32_levels_and_refuses_33);
  g_test_add_func ("/unit/json/parse/refuses-100000-brackets-without-recursing",
                   test_parse_refuses_100000_brackets_without_recursing);
  g_test_add_func ("/unit/json/parse/refuses-malformed-json", test_parse_refuses_malformed_json);
  g_test_add_func ("/unit/json/parse/refuses-empty-and-embedded-nul",
                   test_parse_refuses_empty_and_embedded_nul);
  g_test_add_func ("/unit/json/parse/accepts-valid-json", test_parse_accepts_valid_json);
  g_test_add_func ("/unit/json/parse/keeps-integer-extremes-exact",
                   test_parse_keeps_integer_extremes_exact);
  g_test_add_func ("/unit/json/parse/object-refuses-other-top-levels",
                   test_parse_object_refuses_other_top_levels);
  g_test_add_func ("/unit/json/parse/and-decode-survive-random-corruption",
                   test_parse_and_decode_survive_random_corruption);
  g_test_add_func ("/unit/json/datetime/formats-utc-with-microseconds",
                   test_datetime_formats_utc_with_microseconds);
  g_test_add_func ("/unit/json/datetime/parses-rfc3339-with-zone",
                   test_datetime_parses_rfc3339_with_zone);
  g_test_add_func ("/unit/json/datetime/refuses-other-forms", test_datetime_refuses_other_forms);
  g_test_add_func ("/unit/json/helpers/name-the-member", test_helpers_name_the_member);
  g_test_add_func ("/unit/json/helpers/prefix-error-joins-paths", test_prefix_error_joins_paths);
  g_test_add_func ("/unit/json/page/round-trips-and-names-the-item",
                   test_page_round_trips_and_names_the_item);
  g_test_add_func ("/unit/json/secret/wipe-zeroes-the-buffer", test_secret_wipe_zeroes_the_buffer);
  g_test_add_func ("/unit/json/secret/clear-frees-and-resets", test_secret_clear_frees_and_resets);

  return g_test_run ();
}

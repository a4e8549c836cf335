/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tessera-account-loader-private.h"
#include "tessera-types.h"

/*
 * The loader's lean page decoder against the strict reference path (tessera_json_parse +
 * tessera_json_decode_page + tessera_account_new_from_json). The lean decoder may decline a
 * page (the loader then uses the reference path), but it must never accept a page the
 * reference refuses, and every page it accepts must decode to the same accounts.
 */

typedef struct {
  GPtrArray *accounts;
  char      *next_cursor;
  guint      total;
} Decoded;

static void
decoded_clear (Decoded *decoded)
{
  g_clear_pointer (&decoded->accounts, g_ptr_array_unref);
  g_clear_pointer (&decoded->next_cursor, g_free);
}

static gboolean
decode_reference (const char *data,
                  gsize       length,
                  Decoded    *out)
{
  g_autoptr(JsonNode) root = tessera_json_parse_object (data, length, TESSERA_JSON_MAX_DEPTH, NULL);

  if (root == NULL)
    return FALSE;

  out->accounts = tessera_json_decode_page (root,
                                            (TesseraJsonItemDecoder) tessera_account_new_from_json,
                                            &out->next_cursor, &out->total, NULL);
  return out->accounts != NULL;
}

static gboolean
decode_lean (const char *data,
             gsize       length,
             Decoded    *out)
{
  out->accounts = _tessera_account_page_decode_lean (data, length, &out->next_cursor, &out->total);
  return out->accounts != NULL;
}

static char *
account_to_text (TesseraAccount *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  tessera_account_to_json (account, builder);
  return tessera_json_builder_to_string (builder, NULL);
}

static void
assert_same (const Decoded *a,
             const Decoded *b,
             const char    *page)
{
  if (a->accounts->len != b->accounts->len || a->total != b->total ||
      g_strcmp0 (a->next_cursor, b->next_cursor) != 0)
    g_error ("The decoders disagree on the page members of: %s", page);

  for (guint i = 0; i < a->accounts->len; i++)
    {
      g_autofree char *x = account_to_text (g_ptr_array_index (a->accounts, i));
      g_autofree char *y = account_to_text (g_ptr_array_index (b->accounts, i));

      if (g_strcmp0 (x, y) != 0)
        g_error ("The decoders disagree on items[%u]:\n  reference %s\n  lean      %s\nof: %s",
                 i, x, y, page);
    }
}

/* Returns TRUE when both decoded (and agreed); fails the test when lean is more lenient. */
static gboolean
compare (const char *data,
         gsize       length)
{
  Decoded reference = { 0 }, lean = { 0 };
  gboolean reference_ok = decode_reference (data, length, &reference);
  gboolean lean_ok = decode_lean (data, length, &lean);
  gboolean both = FALSE;

  if (lean_ok && !reference_ok)
    {
      g_autofree char *shown = g_strndup (data, MIN (length, 2000));
      g_error ("The lean decoder accepted a page the reference refuses: %s", shown);
    }

  if (lean_ok)
    {
      g_autofree char *shown = g_strndup (data, MIN (length, 2000));
      assert_same (&reference, &lean, shown);
      both = TRUE;
    }

  decoded_clear (&reference);
  decoded_clear (&lean);

  return both;
}

static const char *names[] = {
  "Room 1", "Zürich 4.12 “Alpen”", "O'Brien \"Quote\" Room", "Back\\slash", "Tab\there",
  "New\nline", "Ünïcödé ✓ 会议室", "", "x",
};
static const char *sites[] = { "Aarhus", "Zürich", "São Paulo", "Oslo" };
static const char *licenses[] = { NULL, "Teams Rooms Pro", "Teams Rooms Basic" };
static const char *issue_codes[] = { "password_expires", "calendar_processing",
                                     "account_disabled", "some_future_code" };

static TesseraAccount *
make_account (guint i)
{
  const char *issues[4] = { NULL };
  g_autofree char *id = g_strdup_printf ("acc_%u", i);
  g_autofree char *upn = g_strdup_printf ("room-%u@rooms.example.org", i);
  TesseraAccount *account;
  guint n_issues = i % 4;

  for (guint k = 0; k < n_issues && k < 3; k++)
    issues[k] = issue_codes[(i + k) % G_N_ELEMENTS (issue_codes)];

  account = tessera_account_new (id, names[i % G_N_ELEMENTS (names)], upn,
                                 sites[i % G_N_ELEMENTS (sites)],
                                 licenses[i % G_N_ELEMENTS (licenses)], issues);
  tessera_account_set_updated_at_unix_usec (account,
                                            G_GINT64_CONSTANT (1795630000000000) + i * 1234567);

  if (i % 5 == 1)
    {
      gint64 usec = G_GINT64_CONSTANT (1795660000000000) + i;
      g_autoptr(GDateTime) expires = tessera_datetime_new_unix_usec (usec);

      tessera_account_set_provisioning (account,
                                        i % 2 ? TESSERA_PROVISIONING_OTP_ISSUED
                                              : TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL,
                                        "otp_1", "admin", expires, i % 2 ? NULL : "req_1");
    }

  return account;
}

static char *
make_page (guint       first,
           guint       n,
           const char *next_cursor,
           gsize      *length)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (accounts, make_account (first + i));

  tessera_json_encode_page (builder, accounts, (TesseraJsonItemEncoder) tessera_account_to_json,
                            next_cursor, 100000);
  return tessera_json_builder_to_string (builder, length);
}

static void
test_well_formed_pages_are_decoded_identically (void)
{
  for (guint round = 0; round < 20; round++)
    {
      gsize length;
      g_autofree char *page = make_page (round * 50, 50, round % 3 ? "AQAAAGN1cnNvcg" : NULL,
                                         &length);

      /* The lean path must actually take the server's ordinary pages. */
      g_assert_true (compare (page, length));
    }
}

static void
test_edge_cases_never_make_lean_more_lenient (void)
{
  const char *account =
    "{\"id\":\"a\",\"display_name\":\"A\",\"upn\":\"a@x.org\",\"site\":\"S\",\"license\":null,"
    "\"readiness\":\"no_valid_license\",\"readiness_issues\":[],"
    "\"updated_at\":\"2026-11-25T10:00:00Z\",\"provisioning\":{\"state\":\"not_started\"}";
  struct {
    const char *format;   /* %s stands for the account's members without the closing brace */
    gboolean    lean_accepts;
  } cases[] = {
    { "{\"items\":[%s}],\"next_cursor\":null,\"total\":1}", TRUE },
    { " \r\n\t{ \"items\" : [ %s } ] , \"total\" : 1 } \n", TRUE },
    { "{\"items\":[%s}],\"total\":1,\"extra\":{\"a\":[1,-2.5e10,true,false,null,\"x\"]}}", TRUE },
    { "{\"items\":[%s,\"unknown\":{\"nested\":[[[]]]}}],\"total\":1}", TRUE },
    { "{\"items\":[%s,\"otps\":null,\"requests\":null}],\"total\":1}", TRUE },
    { "{\"items\":[%s,\"display_name\":\"B\"}],\"total\":1}", FALSE },     /* duplicate */
    { "{\"items\":[%s}],\"items\":[],\"total\":1}", FALSE },              /* duplicate */
    { "{\"items\":[%s,\"otps\":[]}],\"total\":1}", FALSE },               /* history */
    { "{\"items\":[%s}],\"total\":1.0}", FALSE },
    { "{\"items\":[%s}],\"total\":-0}", FALSE },
    { "{\"items\":[%s}],\"total\":4294967296}", FALSE },
    { "{\"items\":[%s}],\"total\":01}", FALSE },
    { "{\"items\":[%s}],}", FALSE },
    { "{\"items\":[%s},],\"total\":1}", FALSE },
    { "{\"items\":[%s}],\"total\":1} x", FALSE },
    { "\xef\xbb\xbf{\"items\":[%s}],\"total\":1}", FALSE },
    { "{\"items\":[%s}],\"total\":1,\"x\":1e999}", FALSE },
    { "{\"items\":[%s}],\"total\":1,\"x\":123456789012345678901}", FALSE },
    { "{\"items\":[%s}],\"total\":1,\"x\":\"\\u0000\"}", FALSE },
    { "{\"items\":[%s}],\"total\":1,\"x\":\"\\ud83d\\ude00\"}", FALSE },
    { "{\"items\":[%s}],\"total\":1,\"x\":\"\\ud83d\"}", FALSE },
    { "{\"items\":[%s}],\"total\":1,\"x\":\"\xc3\"}", FALSE },
    { "{\"items\":[%s}],\"total\":1,\"x\":\"\\q\"}", FALSE },
    { "{\"items\":[%s}],\"total\":1,\"x\":[1,]}", FALSE },
    { "{\"items\":[%s}],\"total\":1,\"x\":{\"a\":1,}}", FALSE },
    { "{\"items\":[%s}],\"total\":1,\"x\":tru}", FALSE },
    { "{\"items\":[%s,\"site\":null}],\"total\":1}", FALSE },
    { "{\"items\":[%s}],\"next_cursor\":5,\"total\":1}", FALSE },
    { "{\"items\":{},\"total\":1}", FALSE },
    { "{\"items\":[%s}]}", FALSE },
    { "[]", FALSE },
    { "", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) parts = g_strsplit (cases[i].format, "%s", 2);
      g_autofree char *page = g_strjoinv (account, parts);
      Decoded lean = { 0 };
      gboolean accepted = decode_lean (page, strlen (page), &lean);

      decoded_clear (&lean);
      if (accepted != cases[i].lean_accepts)
        g_error ("case %" G_GSIZE_FORMAT ": lean %s %s",
                 i, accepted ? "accepted" : "declined", page);
      compare (page, strlen (page));
    }
}

static void
test_nesting_limit_matches_the_reference (void)
{
  /* The page object, "x" and its arrays: 32 levels are allowed, 33 are not. */
  for (guint levels = 29; levels <= 33; levels++)
    {
      g_autoptr(GString) page = g_string_new ("{\"items\":[],\"total\":0,\"x\":");

      for (guint i = 1; i < levels; i++)
        g_string_append_c (page, '[');
      for (guint i = 1; i < levels; i++)
        g_string_append_c (page, ']');
      g_string_append_c (page, '}');

      compare (page->str, page->len);
    }
}

static void
test_string_bounds_match_the_reference (void)
{
  for (guint length = 254; length <= 258; length++)
    {
      g_autofree char *name = g_strnfill (length, 'n');
      g_autofree char *page = g_strdup_printf (
        "{\"items\":[{\"id\":\"a\",\"display_name\":\"%s\",\"upn\":\"a@x.org\",\"site\":\"S\","
        "\"readiness\":\"ready\",\"readiness_issues\":[],\"updated_at\":\"2026-11-25T10:00:00Z\","
        "\"provisioning\":{\"state\":\"not_started\"}}],\"total\":1}", name);

      compare (page, strlen (page));
    }
}

static const char mutation_alphabet[] = "{}[]\",:\\ \n0123456789-+.eEtrufalsn_xu";

static char *
mutate (const char *page,
        gsize       length,
        gsize      *out_length)
{
  GString *text = g_string_new_len (page, length);
  guint n = g_test_rand_int_range (1, 4);

  for (guint k = 0; k < n && text->len > 0; k++)
    {
      gsize at = g_test_rand_int_range (0, text->len);
      char c = g_test_rand_int_range (0, 4) == 0
               ? (char) g_test_rand_int_range (1, 256)
               : mutation_alphabet[g_test_rand_int_range (0, sizeof mutation_alphabet - 1)];

      switch (g_test_rand_int_range (0, 5))
        {
        case 0:
          text->str[at] = c;
          break;
        case 1:
          g_string_insert_c (text, at, c);
          break;
        case 2:
          g_string_erase (text, at, 1);
          break;
        case 3:
          {
            gsize span = MIN ((gsize) g_test_rand_int_range (1, 40), text->len - at);
            g_autofree char *copy = g_strndup (text->str + at, span);

            g_string_insert (text, g_test_rand_int_range (0, text->len), copy);
          }
          break;
        default:
          g_string_truncate (text, at);
          break;
        }
    }

  *out_length = text->len;
  return g_string_free (text, FALSE);
}

static void
test_mutated_pages_never_make_lean_more_lenient (void)
{
  guint n_both = 0;
  guint n_runs = g_test_slow () ? 200000 : 20000;

  for (guint run = 0; run < n_runs; run++)
    {
      gsize length, mutated_length;
      g_autofree char *page = make_page (run % 40, 3, run % 2 ? "Y3Vyc29y" : NULL, &length);
      g_autofree char *mutated = mutate (page, length, &mutated_length);

      if (compare (mutated, mutated_length))
        n_both++;
    }

  /* Some mutations stay valid (a digit in a name, whitespace): those must agree too. */
  g_test_message ("%u of %u mutated pages were accepted by both decoders", n_both, n_runs);
  g_assert_cmpuint (n_both, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/decode/well-formed-pages-are-decoded-identically",
                   test_well_formed_pages_are_decoded_identically);
  g_test_add_func ("/client/decode/edge-cases-never-make-lean-more-lenient",
                   test_edge_cases_never_make_lean_more_lenient);
  g_test_add_func ("/client/decode/nesting-limit-matches-the-reference",
                   test_nesting_limit_matches_the_reference);
  g_test_add_func ("/client/decode/string-bounds-match-the-reference",
                   test_string_bounds_match_the_reference);
  g_test_add_func ("/client/decode/mutated-pages-never-make-lean-more-lenient",
                   test_mutated_pages_never_make_lean_more_lenient);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the CSV reader (src/lib/tessera-csv.c) as the app reads an uploaded sign-in
 * file for the Generate OTP assistant (DESIGN §1.1, §5): a header with the columns upn and
 * password (any order, other columns ignored), then one row per room account.
 *
 * Oracles besides the sanitizers:
 *  - the reader ends: each call consumes input, and line numbers never go back;
 *  - every field is UTF-8 without NUL, within TESSERA_CSV_MAX_FIELD_LENGTH, and a record has
 *    at most TESSERA_CSV_MAX_FIELDS fields; every error names its line ("Line N: …");
 *  - the rows the upload accepts are sign-in data the server's decoder accepts, unchanged:
 *    they are put in a batch body, encoded, parsed and decoded as the server would.
 * Stateless.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tessera-csv.h"
#include "tessera-types.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_record (GPtrArray *fields,
              guint      line)
{
  fuzz_check (fields->len >= 1 && fields->len <= TESSERA_CSV_MAX_FIELDS,
              "line %u: a record of %u fields", line, fields->len);
  for (guint i = 0; i < fields->len; i++)
    {
      const char *field = g_ptr_array_index (fields, i);
      gsize length = strlen (field);

      fuzz_check (length <= TESSERA_CSV_MAX_FIELD_LENGTH, "line %u: a field of %zu bytes", line,
                  length);
      fuzz_check (g_utf8_validate (field, length, NULL), "line %u: a field that is not UTF-8",
                  line);
    }
}

static void
check_error (const GError *error,
             guint         line)
{
  g_autofree char *prefix = g_strdup_printf ("Line %u: ", line);

  fuzz_check (error->domain == TESSERA_CSV_ERROR, "an error from %s",
              g_quark_to_string (error->domain));
  fuzz_check (g_str_has_prefix (error->message, prefix),
              "the error \"%s\" does not start with \"%s\"", error->message, prefix);
}

/* What the app sends, the server must read back as it was sent. */
static void
check_server_accepts (GPtrArray *sign_ins)
{
  g_autoptr(TesseraBatchSpec) spec = tessera_batch_spec_new ();
  g_autoptr(TesseraBatchSpec) decoded = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < sign_ins->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("account-%u", i);
      g_strv_builder_add (ids, id);
    }
  spec->account_ids = g_strv_builder_end (ids);
  spec->password_mode = TESSERA_PASSWORD_MODE_PROVIDED;
  spec->sign_in_data = g_ptr_array_ref (sign_ins);

  tessera_batch_spec_to_json (spec, builder);
  text = tessera_json_builder_to_string (builder, NULL);
  node = tessera_json_parse_object (text, strlen (text), TESSERA_JSON_MAX_DEPTH, &error);
  fuzz_check (node != NULL, "the batch body does not parse: %s", error->message);
  decoded = tessera_batch_spec_new_from_json (node, &error);
  fuzz_check (decoded != NULL, "the server refuses sign-in data the upload accepted: %s",
              error->message);
  fuzz_check (decoded->sign_in_data != NULL && decoded->sign_in_data->len == sign_ins->len,
              "rows were lost on the way to the server");

  for (guint i = 0; i < sign_ins->len; i++)
    {
      TesseraSignIn *sent = g_ptr_array_index (sign_ins, i);
      TesseraSignIn *received = g_ptr_array_index (decoded->sign_in_data, i);

      fuzz_check (strcmp (sent->upn, received->upn) == 0 &&
                  strcmp (sent->password, received->password) == 0,
                  "row %u changed on the way to the server", i + 1);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(TesseraCsvReader) reader = tessera_csv_reader_new (bytes);
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) sign_ins = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int upn_column = -1;
  int password_column = -1;
  guint n_calls = 0;
  guint last_line = 0;
  gboolean rejected = FALSE;

  sign_ins = g_ptr_array_new_with_free_func ((GDestroyNotify) tessera_sign_in_free);

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GError) error = NULL;
      guint line = 0;
      gboolean got;

      /* Every call consumes at least one byte, or ends the input. */
      fuzz_check (++n_calls <= size + 2, "the reader does not end");

      got = tessera_csv_reader_next (reader, &fields, &line, &error);
      fuzz_check (line >= 1 && line >= last_line, "line %u after line %u", line, last_line);
      last_line = line;

      if (!got && error == NULL)
        {
          fuzz_check (fields == NULL, "fields at the end of the input");
          break;
        }

      if (!got)
        {
          fuzz_check (fields == NULL, "fields with an error");
          check_error (error, line);
          rejected = TRUE;
          continue;
        }

      fuzz_check (error == NULL, "a record with an error");
      check_record (fields, line);

      if (header == NULL)
        {
          header = g_steal_pointer (&fields);
          upn_column = tessera_csv_find_column (header, "upn");
          password_column = tessera_csv_find_column (header, "password");
          if (upn_column < 0 || password_column < 0)
            return 0;  /* the assistant refuses the file and reads no further */
          continue;
        }

      /* The upload's own rules: as many fields as the header, a name@domain upn once, and a
       * password; both within what the API allows. */
      if (fields->len != header->len)
        {
          rejected = TRUE;
          continue;
        }

      {
        const char *upn = g_ptr_array_index (fields, upn_column);
        const char *password = g_ptr_array_index (fields, password_column);
        g_autofree char *key = g_utf8_casefold (upn, -1);

        if (*upn == '\0' || strchr (upn, '@') == NULL || *password == '\0' ||
            strlen (upn) > TESSERA_MAX_NAME_LENGTH ||
            strlen (password) > TESSERA_MAX_PASSWORD_LENGTH ||
            g_hash_table_contains (seen, key))
          {
            rejected = TRUE;
            continue;
          }

        g_hash_table_add (seen, g_steal_pointer (&key));
        g_ptr_array_add (sign_ins, tessera_sign_in_new (upn, password));
      }
    }

  if (!rejected && sign_ins->len > 0 && sign_ins->len <= TESSERA_MAX_BATCH_ACCOUNTS)
    check_server_accepts (sign_ins);

  return 0;
}

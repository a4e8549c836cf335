/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the accounts file of `tessera-server accounts import`
 * (src/server/tessera-accounts-csv.c), whole files at a time.
 *
 * Oracles besides the sanitizers:
 *  - accounts xor an error; with an error, a list of problems, each "Line N: …" in UTF-8, and
 *    the error message is exactly those problems, one per line (what the command prints);
 *  - accepted accounts have a trimmed, non-empty display name, site and name@domain UPN, no
 *    UPN twice (compared case-insensitively), and no more accounts than lines in the file;
 *  - each accepted account is one the JSON codec can carry (given an id), unchanged.
 * Stateless.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tessera-accounts-csv.h"
#include "tessera-types.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static gboolean
is_trimmed_text (const char *text)
{
  gsize length = strlen (text);

  return length > 0 && !g_ascii_isspace (text[0]) && !g_ascii_isspace (text[length - 1]) &&
         g_utf8_validate (text, length, NULL);
}

static void
check_problems (GStrv         problems,
                const GError *error)
{
  g_autofree char *joined = NULL;

  fuzz_check (error != NULL && error->domain == TESSERA_ACCOUNTS_CSV_ERROR,
              "refused without a TESSERA_ACCOUNTS_CSV_ERROR");
  fuzz_check (problems != NULL && problems[0] != NULL, "refused without a problem");

  for (guint i = 0; problems[i] != NULL; i++)
    {
      fuzz_check (g_str_has_prefix (problems[i], "Line "), "a problem without its line: %s",
                  problems[i]);
      fuzz_check (g_utf8_validate (problems[i], -1, NULL), "a problem that is not UTF-8");
    }

  joined = g_strjoinv ("\n", problems);
  fuzz_check (strcmp (joined, error->message) == 0, "the message is not the problems");
}

/* The account as the server would send it, read back as the client would. */
static void
check_encodable (TesseraAccount *account,
                 guint           index)
{
  g_autoptr(TesseraAccount) with_id = NULL;
  g_autoptr(TesseraAccount) decoded = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("acc-%u", index);
  g_autofree char *text = NULL;

  with_id = tessera_account_new (id, tessera_account_get_display_name (account),
                                 tessera_account_get_upn (account),
                                 tessera_account_get_site (account),
                                 tessera_account_get_license (account),
                                 tessera_account_get_readiness_issues (account));
  /* The store stamps it on import. */
  tessera_account_set_updated_at_unix_usec (with_id, G_GINT64_CONSTANT (1764096000000000));
  tessera_account_to_json (with_id, builder);
  text = tessera_json_builder_to_string (builder, NULL);
  node = tessera_json_parse_object (text, strlen (text), TESSERA_JSON_MAX_DEPTH, &error);
  fuzz_check (node != NULL, "an imported account does not parse as JSON: %s", error->message);
  decoded = tessera_account_new_from_json (node, &error);
  fuzz_check (decoded != NULL, "an imported account cannot be sent: %s\n%s", error->message,
              text);
  fuzz_check (strcmp (tessera_account_get_upn (decoded), tessera_account_get_upn (account)) == 0,
              "the UPN changed on the way");
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GHashTable) upns = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  guint n_lines = 1;

  accounts = tessera_accounts_csv_parse (bytes, &problems, &error);
  if (accounts == NULL)
    {
      check_problems (problems, error);
      return 0;
    }

  fuzz_check (error == NULL && problems == NULL, "accounts and problems at once");

  for (size_t i = 0; i < size; i++)
    n_lines += data[i] == '\n' || data[i] == '\r';
  fuzz_check (accounts->len < n_lines, "%u accounts from %u lines", accounts->len, n_lines);

  upns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < accounts->len; i++)
    {
      TesseraAccount *account = g_ptr_array_index (accounts, i);
      const char *upn = tessera_account_get_upn (account);
      g_autofree char *normalized = NULL;
      char *key;

      fuzz_check (is_trimmed_text (tessera_account_get_display_name (account)) &&
                  is_trimmed_text (tessera_account_get_site (account)) &&
                  is_trimmed_text (upn) && strchr (upn, '@') != NULL,
                  "account %u has an empty, untrimmed or malformed field", i + 1);

      /* As the import compares them: composed, then case-folded. */
      normalized = g_utf8_normalize (upn, -1, G_NORMALIZE_DEFAULT_COMPOSE);
      key = g_utf8_casefold (normalized, -1);
      fuzz_check (!g_hash_table_contains (upns, key), "UPN %s imported twice", upn);
      g_hash_table_add (upns, key);

      check_encodable (account, i);
    }

  return 0;
}

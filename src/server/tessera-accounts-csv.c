/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-accounts-csv"

#include "config.h"

#include <string.h>

#include "tessera-accounts-csv.h"
#include "tessera-csv.h"

/*
 * The bounds of API v1 (tessera-json.h), in bytes of UTF-8 as the API counts them: an account
 * the client could not read must not be imported. 256 characters would not do: 100 Japanese
 * characters are 300 bytes, and one such name made every page carrying it unreadable.
 */
#define MAX_TEXT_LENGTH TESSERA_MAX_NAME_LENGTH

typedef enum {
  COLUMN_DISPLAY_NAME,
  COLUMN_UPN,
  COLUMN_SITE,
  COLUMN_LICENSE,
  COLUMN_READINESS_ISSUES,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS] = {
  "display_name",
  "upn",
  "site",
  "license",
  "readiness_issues",
};

G_DEFINE_QUARK (tessera-accounts-csv-error-quark, tessera_accounts_csv_error)

static void
add_problem (GPtrArray  *problems,
             guint       line,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
add_problem (GPtrArray  *problems,
             guint       line,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (problems, g_strdup_printf ("Line %u: %s", line, message));
}

static gboolean
upn_is_valid (const char *upn)
{
  const char *at = strchr (upn, '@');

  if (at == NULL || at == upn || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = upn; *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == ',' || *p == ';')
      return FALSE;
  return TRUE;
}

static gboolean
issue_code_is_valid (const char *code)
{
  if (code[0] == '\0')
    return FALSE;
  for (const char *p = code; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

static char *
fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_DEFAULT_COMPOSE);

  return g_utf8_casefold (normalized != NULL ? normalized : text, -1);
}

/* Checks a required text field; returns the trimmed text or NULL after noting the problem. */
static char *
required_field (GPtrArray  *fields,
                int         index,
                const char *name,
                guint       line,
                GPtrArray  *problems)
{
  g_autofree char *text = g_strstrip (g_strdup (g_ptr_array_index (fields, index)));

  if (text[0] == '\0')
    {
      add_problem (problems, line, "%s is empty", name);
      return NULL;
    }
  if (strlen (text) > MAX_TEXT_LENGTH)
    {
      add_problem (problems, line, "%s is longer than %d bytes of UTF-8", name, MAX_TEXT_LENGTH);
      return NULL;
    }
  return g_steal_pointer (&text);
}

/* Returns the issue codes, or NULL after noting a problem. */
static GStrv
parse_issues (const char *text,
              guint       line,
              GPtrArray  *problems)
{
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n_issues = 0;
  gboolean ok = TRUE;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *code = g_strstrip (parts[i]);

      /* "a;b;" and "a; b" are what people write; an empty piece means nothing. */
      if (code[0] == '\0')
        continue;
      if (!issue_code_is_valid (code) || strlen (code) > MAX_TEXT_LENGTH)
        {
          /* Shown in full up to 64 characters: cut by character, so the message stays UTF-8
           * (g_utf8_substring() must not be asked for more characters than there are). */
          glong n_chars = g_utf8_strlen (code, -1);
          g_autofree char *shown = g_utf8_substring (code, 0, MIN (n_chars, 64));

          add_problem (problems, line, "readiness issue “%s%s” is not a code (lower-case "
                       "letters, digits and _, at most %d, separated by ;)", shown,
                       n_chars > 64 ? "…" : "", MAX_TEXT_LENGTH);
          ok = FALSE;
          continue;
        }
      if (++n_issues > TESSERA_MAX_READINESS_ISSUES)
        {
          add_problem (problems, line, "more than %d readiness issues",
                       TESSERA_MAX_READINESS_ISSUES);
          return NULL;
        }
      g_strv_builder_add (builder, code);
    }

  if (!ok)
    return NULL;
  return g_strv_builder_end (builder);
}

static gboolean
read_header (TesseraCsvReader  *reader,
             int                columns[N_COLUMNS],
             guint             *n_fields,
             GPtrArray         *problems)
{
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;
  guint line = 1;

  if (!tessera_csv_reader_next (reader, &header, &line, &error))
    {
      if (error != NULL)
        g_ptr_array_add (problems, g_strdup (error->message));
      else
        add_problem (problems, 1, "the file is empty; it needs the header line "
                     "“%s,%s,%s,%s,%s”", column_names[0], column_names[1], column_names[2],
                     column_names[3], column_names[4]);
      return FALSE;
    }

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      columns[i] = tessera_csv_find_column (header, column_names[i]);
      if (columns[i] < 0)
        {
          add_problem (problems, line, "the header has no column “%s” (a header line "
                       "“%s,%s,%s,%s,%s” is required)", column_names[i], column_names[0],
                       column_names[1], column_names[2], column_names[3], column_names[4]);
          ok = FALSE;
        }
    }

  *n_fields = header->len;
  return ok;
}

static TesseraAccount *
parse_record (GPtrArray   *fields,
              const int    columns[N_COLUMNS],
              guint        line,
              GHashTable  *first_line_by_upn,
              GPtrArray   *problems)
{
  g_autofree char *display_name = NULL;
  g_autofree char *upn = NULL;
  g_autofree char *site = NULL;
  g_autofree char *license = NULL;
  g_auto(GStrv) issues = NULL;
  guint n_problems = problems->len;

  display_name = required_field (fields, columns[COLUMN_DISPLAY_NAME], "display_name", line,
                                 problems);
  upn = required_field (fields, columns[COLUMN_UPN], "upn", line, problems);
  site = required_field (fields, columns[COLUMN_SITE], "site", line, problems);

  license = g_strstrip (g_strdup (g_ptr_array_index (fields, columns[COLUMN_LICENSE])));
  if (license[0] == '\0')
    g_clear_pointer (&license, g_free);
  else if (strlen (license) > MAX_TEXT_LENGTH)
    add_problem (problems, line, "license is longer than %d bytes of UTF-8", MAX_TEXT_LENGTH);

  issues = parse_issues (g_ptr_array_index (fields, columns[COLUMN_READINESS_ISSUES]), line,
                         problems);

  if (upn != NULL)
    {
      if (!upn_is_valid (upn))
        add_problem (problems, line, "upn “%s” is not of the form name@domain", upn);
      else
        {
          g_autofree char *key = fold (upn);
          guint first_line = GPOINTER_TO_UINT (g_hash_table_lookup (first_line_by_upn, key));

          if (first_line != 0)
            add_problem (problems, line, "duplicate upn %s (first on line %u)", upn, first_line);
          else
            g_hash_table_insert (first_line_by_upn, g_steal_pointer (&key),
                                 GUINT_TO_POINTER (line));
        }
    }

  if (problems->len > n_problems)
    return NULL;

  return tessera_account_new (NULL, display_name, upn, site, license,
                              (const char * const *) issues);
}

GPtrArray *
tessera_accounts_csv_parse (GBytes   *data,
                            GStrv    *problems_out,
                            GError  **error)
{
  g_autoptr(TesseraCsvReader) reader = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GHashTable) first_line_by_upn = NULL;
  int columns[N_COLUMNS];
  guint n_fields = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (problems_out != NULL)
    *problems_out = NULL;

  reader = tessera_csv_reader_new (data);
  accounts = g_ptr_array_new_with_free_func (g_object_unref);
  problems = g_ptr_array_new_with_free_func (g_free);
  first_line_by_upn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (read_header (reader, columns, &n_fields, problems))
    {
      for (;;)
        {
          g_autoptr(GPtrArray) fields = NULL;
          g_autoptr(GError) local_error = NULL;
          TesseraAccount *account;
          guint line = 0;

          if (!tessera_csv_reader_next (reader, &fields, &line, &local_error))
            {
              /* A malformed record is reported and skipped; the reader goes on. */
              if (local_error != NULL)
                {
                  g_ptr_array_add (problems, g_strdup (local_error->message));
                  continue;
                }
              break;
            }

          if (fields->len != n_fields)
            {
              add_problem (problems, line, "expected %u fields, found %u", n_fields, fields->len);
              continue;
            }

          account = parse_record (fields, columns, line, first_line_by_upn, problems);
          if (account != NULL)
            g_ptr_array_add (accounts, account);
        }
    }

  if (problems->len > 0)
    {
      g_autofree char *message = NULL;

      g_ptr_array_add (problems, NULL);
      message = g_strjoinv ("\n", (char **) problems->pdata);
      g_set_error_literal (error, TESSERA_ACCOUNTS_CSV_ERROR, TESSERA_ACCOUNTS_CSV_ERROR_INVALID,
                           message);
      if (problems_out != NULL)
        *problems_out = (GStrv) g_ptr_array_steal (problems, NULL);
      return NULL;
    }

  return g_steal_pointer (&accounts);
}

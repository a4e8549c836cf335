/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-sign-in-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tessera-csv.h"
#include "tessera-sign-in-csv.h"

typedef struct {
  TesseraAccount *account;   /* owned */
  char           *password;  /* owned, secret */
  guint           line;
} Row;

struct _TesseraSignInCsv
{
  GObject     parent_instance;

  /* Owned */
  GPtrArray  *problems;      /* TesseraSignInCsvProblem* */
  GHashTable *rows;          /* TesseraAccount* (selected) → Row* */
  guint       n_errors;
  guint       n_warnings;
};

G_DEFINE_FINAL_TYPE (TesseraSignInCsv, tessera_sign_in_csv, G_TYPE_OBJECT)

static void
row_free (Row *row)
{
  g_clear_object (&row->account);
  tessera_secret_clear (&row->password);
  g_free (row);
}

static void
problem_free (TesseraSignInCsvProblem *problem)
{
  g_free (problem->message);
  g_clear_object (&problem->account);
  g_free (problem);
}

char *
tessera_sign_in_csv_fold_upn (const char *upn)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (upn != NULL, NULL);

  trimmed = g_strstrip (g_strdup (upn));
  valid = g_utf8_make_valid (trimmed, -1);
  normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  return g_utf8_casefold (normalized != NULL ? normalized : valid, -1);
}

G_GNUC_PRINTF (5, 6)
static void
add_problem (TesseraSignInCsv            *self,
             TesseraSignInCsvProblemKind  kind,
             guint                        line,
             TesseraAccount              *account,
             const char                  *format,
             ...)
{
  TesseraSignInCsvProblem *problem = g_new0 (TesseraSignInCsvProblem, 1);
  va_list args;

  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);

  problem->kind = kind;
  problem->line = line;
  problem->is_error = kind != TESSERA_SIGN_IN_CSV_PROBLEM_NOT_SELECTED;
  problem->account = account != NULL ? g_object_ref (account) : NULL;

  if (problem->is_error)
    self->n_errors++;
  else
    self->n_warnings++;
  g_ptr_array_add (self->problems, problem);
}

/* The lib's reader speaks English for the server's log; the admin reads these words instead */
static void
add_syntax_problem (TesseraSignInCsv *self,
                    const GError     *error,
                    guint             line)
{
  const char *why;

  switch (error->domain == TESSERA_CSV_ERROR ? error->code : -1)
    {
    case TESSERA_CSV_ERROR_UNTERMINATED_QUOTE:
      why = _("a quoted field is not closed");
      break;
    case TESSERA_CSV_ERROR_STRAY_QUOTE:
      why = _("a field contains a quote but is not enclosed in quotes");
      break;
    case TESSERA_CSV_ERROR_TEXT_AFTER_QUOTE:
      why = _("text follows a closing quote (a quote inside quotes is written as two quotes)");
      break;
    case TESSERA_CSV_ERROR_INVALID_TEXT:
      why = _("the text is not UTF-8");
      break;
    case TESSERA_CSV_ERROR_TOO_LONG:
      why = _("the line is too long");
      break;
    default:
      why = _("the line cannot be read");
      break;
    }

  /* TRANSLATORS: "Line 4: a quoted field is not closed" */
  add_problem (self, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, line, NULL, _("Line %u: %s"),
               line, why);
}

/* Reads the header line; FALSE when the file cannot be used at all (the problem is added) */
static gboolean
read_header (TesseraSignInCsv *self,
             TesseraCsvReader *reader,
             int              *upn_column,
             int              *password_column,
             guint            *n_columns)
{
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) error = NULL;
  guint line = 0;

  if (!tessera_csv_reader_next (reader, &header, &line, &error))
    {
      if (error != NULL)
        add_syntax_problem (self, error, line);
      else
        add_problem (self, TESSERA_SIGN_IN_CSV_PROBLEM_EMPTY_FILE, 0, NULL,
                     _("The file is empty"));
      return FALSE;
    }

  *upn_column = tessera_csv_find_column (header, "upn");
  *password_column = tessera_csv_find_column (header, "password");
  *n_columns = header->len;

  if (*upn_column < 0 || *password_column < 0)
    {
      add_problem (self, TESSERA_SIGN_IN_CSV_PROBLEM_NO_HEADER, line, NULL,
                   /* TRANSLATORS: "upn,password" are column names; keep them as they are */
                   _("Line %u: the first line must name the columns: upn,password"), line);
      return FALSE;
    }

  return TRUE;
}

static void
use_row (TesseraSignInCsv       *self,
         const char             *folded,
         const char             *shown_upn,
         const char             *password,
         guint                   line,
         TesseraSignInCsvLookup  lookup,
         gpointer                user_data,
         GHashTable             *selected)
{
  TesseraAccount *account = lookup (folded, user_data);
  Row *row;

  if (account == NULL)
    {
      /* TRANSLATORS: "Line 4: unknown account kiosk-9@example.org" */
      add_problem (self, TESSERA_SIGN_IN_CSV_PROBLEM_UNKNOWN_ACCOUNT, line, NULL,
                   _("Line %u: unknown account %s"), line, shown_upn);
      return;
    }

  if (!g_hash_table_contains (selected, account))
    {
      add_problem (self, TESSERA_SIGN_IN_CSV_PROBLEM_NOT_SELECTED, line, account,
                   /* TRANSLATORS: a warning; the row is not sent to the server */
                   _("Line %u: %s is not one of the selected accounts; the row is ignored"),
                   line, tessera_account_get_display_name (account));
      return;
    }

  row = g_new0 (Row, 1);
  row->account = g_object_ref (account);
  row->password = tessera_secret_dup (password);
  row->line = line;
  g_hash_table_insert (self->rows, account, row);
}

static void
read_row (TesseraSignInCsv       *self,
          GPtrArray              *fields,
          guint                   line,
          int                     upn_column,
          int                     password_column,
          guint                   n_columns,
          TesseraSignInCsvLookup  lookup,
          gpointer                user_data,
          GHashTable             *selected,
          GHashTable             *first_lines)
{
  const char *password;
  g_autofree char *shown_upn = NULL;
  g_autofree char *folded = NULL;
  gpointer first_line;

  if (fields->len != n_columns)
    {
      add_problem (self, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, line, NULL,
                   /* TRANSLATORS: "Line 5: expected 2 fields, found 3" */
                   g_dngettext (GETTEXT_PACKAGE, "Line %u: expected %u field, found %u",
                                "Line %u: expected %u fields, found %u", n_columns),
                   line, n_columns, fields->len);
      return;
    }

  shown_upn = g_strstrip (g_strdup (g_ptr_array_index (fields, upn_column)));
  password = g_ptr_array_index (fields, password_column);

  if (shown_upn[0] == '\0')
    {
      add_problem (self, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, line, NULL,
                   _("Line %u: the UPN is empty"), line);
      return;
    }
  folded = tessera_sign_in_csv_fold_upn (shown_upn);
  if (g_hash_table_lookup_extended (first_lines, folded, NULL, &first_line))
    {
      TesseraSignInCsvProblem *problem;

      add_problem (self, TESSERA_SIGN_IN_CSV_PROBLEM_DUPLICATE, line, NULL,
                   /* TRANSLATORS: "Line 7: oslo@example.org appears again (first on line 3)" */
                   _("Line %u: %s appears again (first on line %u)"), line, shown_upn,
                   GPOINTER_TO_UINT (first_line));
      problem = g_ptr_array_index (self->problems, self->problems->len - 1);
      problem->first_line = GPOINTER_TO_UINT (first_line);

      /* Neither row is used: which of the two passwords is right, only the admin knows */
      g_hash_table_remove (self->rows, lookup (folded, user_data));
      return;
    }
  /* Remembered before the password is checked: the account is named on this line already */
  g_hash_table_insert (first_lines, g_strdup (folded), GUINT_TO_POINTER (line));

  if (password[0] == '\0')
    {
      add_problem (self, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, line, NULL,
                   _("Line %u: the password for %s is empty"), line, shown_upn);
      return;
    }
  if (strlen (password) > TESSERA_SIGN_IN_CSV_MAX_PASSWORD_LENGTH)
    {
      add_problem (self, TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED, line, NULL,
                   _("Line %u: the password for %s is longer than %u bytes"), line, shown_upn,
                   TESSERA_SIGN_IN_CSV_MAX_PASSWORD_LENGTH);
      return;
    }

  use_row (self, folded, shown_upn, password, line, lookup, user_data, selected);
}

TesseraSignInCsv *
tessera_sign_in_csv_parse (GBytes                 *data,
                           TesseraSignInCsvLookup  lookup,
                           gpointer                user_data,
                           GPtrArray              *selected)
{
  g_autoptr(TesseraSignInCsv) self = NULL;
  g_autoptr(TesseraCsvReader) reader = NULL;
  g_autoptr(GHashTable) selected_set = NULL;
  g_autoptr(GHashTable) first_lines = NULL;
  int upn_column = -1, password_column = -1;
  guint n_columns = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (lookup != NULL, NULL);
  g_return_val_if_fail (selected != NULL, NULL);

  self = g_object_new (TESSERA_TYPE_SIGN_IN_CSV, NULL);
  reader = tessera_csv_reader_new (data);
  selected_set = g_hash_table_new (NULL, NULL);
  first_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < selected->len; i++)
    g_hash_table_add (selected_set, g_ptr_array_index (selected, i));

  if (read_header (self, reader, &upn_column, &password_column, &n_columns))
    {
      for (;;)
        {
          g_autoptr(GPtrArray) fields = NULL;
          g_autoptr(GError) error = NULL;
          guint line = 0;

          if (!tessera_csv_reader_next (reader, &fields, &line, &error))
            {
              if (error == NULL)
                break;
              add_syntax_problem (self, error, line);
              continue;
            }

          read_row (self, fields, line, upn_column, password_column, n_columns, lookup,
                    user_data, selected_set, first_lines);
        }

      for (guint i = 0; i < selected->len; i++)
        {
          TesseraAccount *account = g_ptr_array_index (selected, i);
          g_autofree char *folded = NULL;

          if (g_hash_table_contains (self->rows, account))
            continue;

          /* A duplicated or malformed row for it was reported on its line already */
          folded = tessera_sign_in_csv_fold_upn (tessera_account_get_upn (account));
          if (g_hash_table_contains (first_lines, folded))
            continue;

          add_problem (self, TESSERA_SIGN_IN_CSV_PROBLEM_MISSING_ROW, 0, account,
                       /* TRANSLATORS: "Oslo 3.07 Sentrum has no row in the file" */
                       _("%s has no row in the file"),
                       tessera_account_get_display_name (account));
        }
    }

  return g_steal_pointer (&self);
}

GPtrArray *
tessera_sign_in_csv_get_problems (TesseraSignInCsv *self)
{
  g_return_val_if_fail (TESSERA_IS_SIGN_IN_CSV (self), NULL);

  return self->problems;
}

guint
tessera_sign_in_csv_get_n_errors (TesseraSignInCsv *self)
{
  g_return_val_if_fail (TESSERA_IS_SIGN_IN_CSV (self), 0);

  return self->n_errors;
}

guint
tessera_sign_in_csv_get_n_warnings (TesseraSignInCsv *self)
{
  g_return_val_if_fail (TESSERA_IS_SIGN_IN_CSV (self), 0);

  return self->n_warnings;
}

gboolean
tessera_sign_in_csv_is_complete (TesseraSignInCsv *self)
{
  g_return_val_if_fail (TESSERA_IS_SIGN_IN_CSV (self), FALSE);

  return self->n_errors == 0;
}

guint
tessera_sign_in_csv_get_n_rows (TesseraSignInCsv *self)
{
  g_return_val_if_fail (TESSERA_IS_SIGN_IN_CSV (self), 0);

  return g_hash_table_size (self->rows);
}

const char *
tessera_sign_in_csv_get_password (TesseraSignInCsv *self,
                                  TesseraAccount   *account)
{
  Row *row;

  g_return_val_if_fail (TESSERA_IS_SIGN_IN_CSV (self), NULL);
  g_return_val_if_fail (TESSERA_IS_ACCOUNT (account), NULL);

  row = g_hash_table_lookup (self->rows, account);
  return row != NULL ? row->password : NULL;
}

static void
tessera_sign_in_csv_finalize (GObject *object)
{
  TesseraSignInCsv *self = (TesseraSignInCsv *) object;

  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (tessera_sign_in_csv_parent_class)->finalize (object);
}

static void
tessera_sign_in_csv_class_init (TesseraSignInCsvClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tessera_sign_in_csv_finalize;
}

static void
tessera_sign_in_csv_init (TesseraSignInCsv *self)
{
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  self->rows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) row_free);
}

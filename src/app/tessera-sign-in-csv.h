/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * The sign-in data an admin uploads in the Generate OTP assistant (DESIGN §1.1): a CSV file
 * with a header line naming the columns `upn` and `password` (in any order, other columns
 * ignored), read with the lib's TesseraCsvReader (UTF-8 byte order mark, CRLF, quoted fields).
 *
 * One pass reports every problem with the line it is on: malformed lines, unknown accounts,
 * duplicates (naming the first line), and then each selected account that has no row. A row
 * for an account that exists but is not selected is only a warning: the row is left out of
 * the batch (the server refuses a batch whose sign-in data names an account outside it), and
 * one file for every room of a building stays usable for a few of them.
 *
 * The passwords are secrets: they stay in this object only, and are wiped on finalize.
 */

/* The server's limit for a password in sign-in data (bytes) */
#define TESSERA_SIGN_IN_CSV_MAX_PASSWORD_LENGTH 256

typedef enum {
  TESSERA_SIGN_IN_CSV_PROBLEM_EMPTY_FILE,
  TESSERA_SIGN_IN_CSV_PROBLEM_NO_HEADER,        /* the first line names no upn/password */
  TESSERA_SIGN_IN_CSV_PROBLEM_MALFORMED,        /* CSV syntax, field count, empty values */
  TESSERA_SIGN_IN_CSV_PROBLEM_UNKNOWN_ACCOUNT,
  TESSERA_SIGN_IN_CSV_PROBLEM_DUPLICATE,
  TESSERA_SIGN_IN_CSV_PROBLEM_NOT_SELECTED,     /* a warning: the row is ignored */
  TESSERA_SIGN_IN_CSV_PROBLEM_MISSING_ROW,      /* a selected account without a row */
} TesseraSignInCsvProblemKind;

typedef struct {
  TesseraSignInCsvProblemKind  kind;
  guint                        line;        /* where it is; 0 for MISSING_ROW and EMPTY_FILE */
  guint                        first_line;  /* DUPLICATE: the line of the first row */
  gboolean                     is_error;    /* FALSE for warnings, which do not block */
  char                        *message;     /* "Line 4: unknown account kiosk-9@example.org" */
  TesseraAccount              *account;     /* the account concerned, when there is one */
} TesseraSignInCsvProblem;

/*
 * Finds the account whose UPN folds (tessera_sign_in_csv_fold_upn()) to @folded_upn among all
 * accounts the admin can see; NULL when there is none. Transfer none.
 */
typedef TesseraAccount *(*TesseraSignInCsvLookup) (const char *folded_upn,
                                                   gpointer    user_data);

#define TESSERA_TYPE_SIGN_IN_CSV (tessera_sign_in_csv_get_type ())

G_DECLARE_FINAL_TYPE (TesseraSignInCsv, tessera_sign_in_csv, TESSERA, SIGN_IN_CSV, GObject)

/* UPNs compare as the server compares them: trimmed, normalised and case-folded */
char             *tessera_sign_in_csv_fold_upn       (const char               *upn);

/*
 * Parses @data (the file's bytes; the caller wipes them) against the accounts @lookup knows
 * and @selected (TesseraAccount, in the order the missing ones are reported).
 */
TesseraSignInCsv *tessera_sign_in_csv_parse          (GBytes                   *data,
                                                      TesseraSignInCsvLookup    lookup,
                                                      gpointer                  user_data,
                                                      GPtrArray                *selected);

/* TesseraSignInCsvProblem, by line, the missing accounts last (transfer none) */
GPtrArray        *tessera_sign_in_csv_get_problems   (TesseraSignInCsv         *self);
guint             tessera_sign_in_csv_get_n_errors   (TesseraSignInCsv         *self);
guint             tessera_sign_in_csv_get_n_warnings (TesseraSignInCsv         *self);
/* No errors: every selected account has exactly one good row */
gboolean          tessera_sign_in_csv_is_complete    (TesseraSignInCsv         *self);
/* The good rows for selected accounts */
guint             tessera_sign_in_csv_get_n_rows     (TesseraSignInCsv         *self);
/* The password from the file for @account (a secret, owned by @self); NULL when none */
const char       *tessera_sign_in_csv_get_password   (TesseraSignInCsv         *self,
                                                      TesseraAccount           *account);

G_END_DECLS

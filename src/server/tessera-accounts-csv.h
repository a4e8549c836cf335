/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * The accounts file of `tessera-server accounts import FILE.csv`:
 *
 *   display_name,upn,site,license,readiness_issues
 *   Oslo 4.12 Fjord,oslo-4.12-fjord@rooms.example.org,Oslo,Teams Rooms Pro,
 *   Bergen 2.03 Bryggen,bergen-2.03-bryggen@rooms.example.org,Bergen,,
 *   Paris 1.07 Seine,paris-1.07-seine@rooms.example.org,Paris,Teams Rooms Basic,
 *     password_expires;calendar_processing            (one line in the file)
 *
 * A header line is required; columns are found by their header name in any order (other
 * columns are ignored). An empty license means none; readiness_issues are ';'-separated codes
 * (lower-case letters, digits and '_'). Every record has as many fields as the header.
 *
 * The whole file is checked before anything is returned: every problem is reported with its
 * line ("Line 7: upn is empty"), one per line of the error message, and on any problem no
 * account is returned, so nothing is imported.
 */

#define TESSERA_ACCOUNTS_CSV_ERROR (tessera_accounts_csv_error_quark ())

typedef enum {
  TESSERA_ACCOUNTS_CSV_ERROR_INVALID,  /* the message lists every bad line */
} TesseraAccountsCsvError;

GQuark     tessera_accounts_csv_error_quark (void);

/*
 * Returns the accounts (TesseraAccount, without ids) in file order, or NULL with @error set.
 * @problems (optional) receives the same problems as a list, one string per problem.
 */
GPtrArray *tessera_accounts_csv_parse       (GBytes   *data,
                                             GStrv    *problems,
                                             GError  **error);

G_END_DECLS

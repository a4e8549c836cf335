/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "tessera-demo-data.h"
#include "tessera-otp-code.h"
#include "tessera-store.h"
#include "tessera-store-private.h"
#include "tessera-types.h"

G_BEGIN_DECLS

/* A fresh store on a temporary database, with actors (TesseraUser objects; the store takes
 * the HTTP layer's word for who acts, so they need not be in the users table). */
typedef struct {
  char         *dir;
  char         *db_path;
  TesseraStore *store;
  TesseraUser  *admin;
  TesseraUser  *other_admin;
} StoreFixture;

void           store_fixture_setup        (StoreFixture   *fixture,
                                           gconstpointer   data);
void           store_fixture_teardown     (StoreFixture   *fixture,
                                           gconstpointer   data);

/* Imports one account and returns its id. @license NULL = none; @issues ';'-joined or NULL. */
char          *store_add_account          (StoreFixture   *fixture,
                                           const char     *display_name,
                                           const char     *upn,
                                           const char     *site,
                                           const char     *license,
                                           const char     *issues);
/* A ready account with a generated name; returns its id. */
char          *store_add_ready_account    (StoreFixture   *fixture,
                                           const char     *name);

/* Issues one OTP (password generated, returned) and asserts it was issued. */
TesseraOtpResult *store_issue_one         (StoreFixture   *fixture,
                                           TesseraUser    *actor,
                                           const char     *account_id);
TesseraOtpBatch  *store_issue             (StoreFixture   *fixture,
                                           TesseraUser    *actor,
                                           const char     *const *account_ids,
                                           const char     *idempotency_key,
                                           GError        **error);

TesseraRedemption *store_redeem           (StoreFixture   *fixture,
                                           const char     *code,
                                           GError        **error);

/* A second connection to the same database, as another process would have. */
sqlite3       *store_open_raw             (StoreFixture   *fixture);
/* Runs @sql with one text parameter on a second connection. */
void           store_raw_exec             (StoreFixture   *fixture,
                                           const char     *sql,
                                           const char     *param);
gint64         store_raw_int              (StoreFixture   *fixture,
                                           const char     *sql,
                                           const char     *param);
char          *store_raw_text             (StoreFixture   *fixture,
                                           const char     *sql,
                                           const char     *param);

TesseraAccount *store_get_account         (StoreFixture   *fixture,
                                           const char     *account_id);

gboolean       store_bytes_contain        (GBytes         *haystack,
                                           const char     *needle);

void           store_set_settings         (StoreFixture   *fixture,
                                           int             validity_hours,
                                           int             auto_approve,
                                           int             separation_of_duties);

G_END_DECLS

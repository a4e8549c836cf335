/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * TesseraStore owns all durable state of tessera-server and enforces the state machine of
 * DESIGN §3 inside SQLite transactions: one transaction per state change, prepared
 * statements only, WAL with synchronous=FULL. Routes stay thin over it.
 *
 * Every method runs synchronously on the caller's thread (the server's main loop): a
 * single-row commit costs ~0.1 ms here, and one writer keeps single use trivially atomic.
 *
 * After a state change commits, the store emits signals so the event hub can broadcast:
 *   "account-changed"  (TesseraAccount *account)
 *   "request-changed"  (TesseraRequest *request, gboolean created)
 *   "settings-changed" (TesseraSettings *settings)
 * A rolled-back transaction emits nothing. With group commit (below), "group-opened" (no
 * arguments) says a group waits for tessera_store_commit_group().
 *
 * Secrets (OTP codes, tokens, passwords) enter and leave only through the arguments and
 * results documented below; the store never logs them and never writes them to the audit
 * trail. Codes and tokens are kept as keyed hashes, account passwords encrypted (DESIGN §6).
 */

#define TESSERA_STORE_ERROR (tessera_store_error_quark ())

typedef enum {
  TESSERA_STORE_ERROR_FAILED,               /* database or I/O failure: 500 */
  TESSERA_STORE_ERROR_FULL,                 /* disk or page limit reached: 503, nothing written */
  TESSERA_STORE_ERROR_KEY_FILE,             /* key file missing, unreadable or too permissive */
  TESSERA_STORE_ERROR_SCHEMA_TOO_NEW,       /* database written by a newer tessera-server */
  TESSERA_STORE_ERROR_INVALID,              /* an argument is out of range: 400/422 */
  TESSERA_STORE_ERROR_NOT_FOUND,            /* 404 */
  TESSERA_STORE_ERROR_EXISTS,               /* user or account already exists */
  TESSERA_STORE_ERROR_INVALID_CREDENTIALS,  /* 401 invalid_credentials */
  TESSERA_STORE_ERROR_NOT_AUTHORIZED,       /* unknown, revoked or expired session token */
  TESSERA_STORE_ERROR_INVALID_OTP,          /* 400 invalid_otp: unknown/used/expired/revoked */
  TESSERA_STORE_ERROR_OTP_NOT_LIVE,         /* 409 otp_not_live: revoke of a dead OTP */
  TESSERA_STORE_ERROR_BATCH_EXISTS,         /* 409 batch_exists: Idempotency-Key reused */
  TESSERA_STORE_ERROR_ALREADY_RESOLVED,     /* 409 already_resolved */
  TESSERA_STORE_ERROR_REQUEST_EXPIRED,      /* 410 request_expired */
  TESSERA_STORE_ERROR_SEPARATION_OF_DUTIES, /* 403 separation_of_duties */
} TesseraStoreError;

/* Filters of GET /api/v1/accounts. Masks are bit sets of (1 << enum value); 0 means any. */
typedef struct {
  const char *query;           /* substring of display name, UPN or site, case-insensitive */
  guint       readiness_mask;
  guint       provisioning_mask;
  GDateTime  *updated_since;   /* only accounts with updated_at > this; NULL for all */
} TesseraAccountFilter;

#define TESSERA_TYPE_STORE (tessera_store_get_type ())

G_DECLARE_FINAL_TYPE (TesseraStore, tessera_store, TESSERA, STORE, GObject)

GQuark              tessera_store_error_quark       (void);

/*
 * Opens (creating if needed) the database at @db_path and its key file "@db_path.key",
 * created 0600 on first use and refused when readable by group or others. Applies schema
 * migrations in one transaction each. A database from a newer schema is refused.
 */
TesseraStore       *tessera_store_open              (const char                 *db_path,
                                                     GError                    **error);

/*
 * An operator's safety valve ([store] max_database_pages): the database may not grow beyond
 * @max_pages pages of 4 KiB. A change that would need more is refused with FULL (503) and
 * nothing of it is written, exactly as when the disk is full; it succeeds again once pages
 * are free (e.g. the limit raised, or space freed in the file). SQLite never sets the limit
 * below the current size: returns the limit in effect. 0 leaves it unlimited.
 */
guint               tessera_store_set_max_pages     (TesseraStore               *self,
                                                     guint                       max_pages);

/* Users and sessions */
gboolean            tessera_store_add_user          (TesseraStore               *self,
                                                     const char                 *username,
                                                     const char                 *display_name,
                                                     TesseraRole                 role,
                                                     const char                 *password,
                                                     GError                    **error);
/* Same answer and comparable time for an unknown user and a wrong password; audits failures. */
TesseraUser        *tessera_store_authenticate      (TesseraStore               *self,
                                                     const char                 *username,
                                                     const char                 *password,
                                                     const char                 *source_address,
                                                     GError                    **error);
/* Returns a new session with its token (≥ 256 bits, stored only as a keyed hash). */
TesseraSession     *tessera_store_create_session    (TesseraStore               *self,
                                                     TesseraUser                *user,
                                                     const char                 *source_address,
                                                     GError                    **error);
TesseraUser        *tessera_store_lookup_session    (TesseraStore               *self,
                                                     const char                 *token,
                                                     GError                    **error);
gboolean            tessera_store_revoke_session    (TesseraStore               *self,
                                                     const char                 *token,
                                                     const char                 *source_address,
                                                     GError                    **error);

/*
 * Lists (accounts, requests, audit): @cursor is opaque, NULL for the first page; a cursor that
 * is malformed or belongs to another query (other filters) is refused with INVALID. @limit 0
 * means 200, more than 1000 means 1000. *@next_cursor is NULL when no row follows. *@total is
 * the number of rows matching the filter, counted when the first page is read and carried in
 * the cursor (counting again on every page would scan the table once per page), so all pages
 * of one walk report the same total.
 *
 * Accounts are ordered by (display name, id), compared bytewise; keyset pagination means rows
 * changed while paging appear or not by their sort key, never twice. Filters: query is a
 * case-insensitive substring of display name, UPN or site (characters are literal: no
 * wildcards); updated_since compares with updated_at, which the store keeps unique and strictly
 * increasing (µs), so "updated_since = the newest updated_at seen" misses no later change.
 */
GPtrArray          *tessera_store_list_accounts     (TesseraStore               *self,
                                                     const TesseraAccountFilter *filter,
                                                     const char                 *cursor,
                                                     guint                       limit,
                                                     char                      **next_cursor,
                                                     guint                      *total,
                                                     GError                    **error);
/*
 * The newest updated_at of any account (NULL when there are none). Read it before walking the
 * pages of a full listing and use it as the next updated_since: that walk then misses no change
 * made while it was paging (the newest updated_at *seen* could, when a row already passed
 * changed before a later row did).
 */
GDateTime          *tessera_store_get_newest_update (TesseraStore               *self,
                                                     GError                    **error);
/* With its OTP and request history. */
TesseraAccount     *tessera_store_get_account       (TesseraStore               *self,
                                                     const char                 *account_id,
                                                     GError                    **error);
/*
 * All or nothing: on any error (duplicate UPN, empty field, …) nothing is imported and 0 is
 * returned with @error set. Upsert by UPN, compared case-insensitively: a new UPN adds an
 * account (the ids of @accounts are ignored), a known one updates display name, UPN spelling,
 * site, licence and readiness issues and keeps its id, OTPs and requests. Returns the number
 * of accounts in @accounts; only rows that really changed get a new updated_at and a signal.
 */
guint               tessera_store_import_accounts   (TesseraStore               *self,
                                                     GPtrArray                  *accounts,
                                                     GError                    **error);

/*
 * OTPs. A batch is one transaction: every row or none. INVALID for the whole batch: no or more
 * than 1000 account ids, an id twice, validity_hours outside 1..336 (0 = the organisation's
 * default), sign-in data with a duplicate or empty row or a row for an account not selected.
 * Per row, refused with error code "not_found", "not_ready" (detail names the readiness and
 * issues), "request_pending" or "missing_sign_in_data"; otherwise the account's live OTP is
 * revoked and a new one issued. Result codes are normalised (16 characters, no dashes).
 * BATCH_EXISTS when @actor already used @idempotency_key (NULL: no key).
 */
TesseraOtpBatch    *tessera_store_issue_batch       (TesseraStore               *self,
                                                     TesseraUser                *actor,
                                                     const TesseraBatchSpec     *spec,
                                                     const char                 *idempotency_key,
                                                     const char                 *source_address,
                                                     GError                    **error);
TesseraAccount     *tessera_store_revoke_otp        (TesseraStore               *self,
                                                     TesseraUser                *actor,
                                                     const char                 *otp_id,
                                                     const char                 *source_address,
                                                     GError                    **error);

/*
 * Console side. @code is already normalised (tessera_otp_code_normalize). Unknown, used,
 * expired and revoked codes all give INVALID_OTP (audited as redemption_failed with
 * @source_address). The request id is the redemption id; the poll token is only in this answer.
 */
TesseraRedemption  *tessera_store_redeem            (TesseraStore               *self,
                                                     const char                 *code,
                                                     const TesseraDeviceInfo    *device,
                                                     const char                 *source_address,
                                                     GError                    **error);
/*
 * The first poll after approval carries sign_in and completes the request (the password is
 * then wiped from the database). A wrong id and a wrong token both give NOT_FOUND.
 */
TesseraRedemption  *tessera_store_poll_redemption   (TesseraStore               *self,
                                                     const char                 *redemption_id,
                                                     const char                 *poll_token,
                                                     GError                    **error);

/* Requests, newest first (by requested_at). @state_mask as for accounts; 0 means every state. */
GPtrArray          *tessera_store_list_requests     (TesseraStore               *self,
                                                     guint                       state_mask,
                                                     const char                 *cursor,
                                                     guint                       limit,
                                                     char                      **next_cursor,
                                                     guint                      *total,
                                                     GError                    **error);
TesseraRequest     *tessera_store_get_request       (TesseraStore               *self,
                                                     const char                 *request_id,
                                                     GError                    **error);
/*
 * Pending requests only. INVALID when rejecting without a reason; REQUEST_EXPIRED once past
 * expires_at (the request is then marked expired); SEPARATION_OF_DUTIES when that setting is on
 * and @actor issued the OTP; on ALREADY_RESOLVED, @current (if not NULL) receives the request
 * as another admin left it (state, resolved_by, resolved_at).
 */
TesseraRequest     *tessera_store_resolve_request   (TesseraStore               *self,
                                                     TesseraUser                *actor,
                                                     const char                 *request_id,
                                                     const TesseraResolution    *resolution,
                                                     const char                 *source_address,
                                                     TesseraRequest            **current,
                                                     GError                    **error);

/* Organisation settings */
TesseraSettings    *tessera_store_get_settings      (TesseraStore               *self,
                                                     GError                    **error);
TesseraSettings    *tessera_store_update_settings   (TesseraStore               *self,
                                                     TesseraUser                *actor,
                                                     const TesseraSettingsPatch *patch,
                                                     const char                 *source_address,
                                                     GError                    **error);

/* Audit trail, newest first. Failed sign-ins and redemptions are recorded by the store. */
GPtrArray          *tessera_store_list_audit        (TesseraStore               *self,
                                                     const char                 *cursor,
                                                     guint                       limit,
                                                     char                      **next_cursor,
                                                     guint                      *total,
                                                     GError                    **error);
/* For failures decided outside the store, such as a throttled redemption. */
gboolean            tessera_store_audit             (TesseraStore               *self,
                                                     const char                 *actor,
                                                     const char                 *action,
                                                     const char                 *target,
                                                     const char                 *source_address,
                                                     const char                 *detail,
                                                     GError                    **error);

/*
 * Applies expiry to OTPs, requests and sessions whose time has passed; emits the changes and
 * returns how many expired. Every other call applies due expiry of OTPs and requests too (read
 * from the database each time, never cached): this periodic sweep only makes the events come
 * on time when nobody asks, and removes dead sessions.
 */
guint               tessera_store_sweep_expired     (TesseraStore               *self,
                                                     GError                    **error);

/*
 * Demo data that looks real (sites, rooms, licences, ~70 % ready), 1 to 1 000 000 accounts,
 * deterministic; imported like tessera_store_import_accounts(), so running it again adds only
 * the accounts not there yet.
 */
gboolean            tessera_store_generate_demo_data (TesseraStore              *self,
                                                      guint                      n_accounts,
                                                      GError                   **error);

/*
 * Group commit, for a server answering many clients at once. With synchronous=FULL every
 * commit waits for the disk (0.1 to 4 ms here, 0.5 to 2 ms on real NVMe), and one commit per
 * redemption capped a server at one redemption per fsync.
 *
 * While enabled, the first change opens a transaction (BEGIN IMMEDIATE, "group-opened" is
 * emitted) that later changes join as savepoints, until tessera_store_commit_group() commits
 * them all with one fsync. Each change stays atomic on its own: a failed one rolls back only
 * its savepoint. Reads see the group's changes. The change signals wait for the group's
 * commit. The caller must not acknowledge anything done while a group was open (changes, or
 * reads that may have seen them) before tessera_store_commit_group() returned TRUE; if it
 * returns FALSE, nothing of the group was saved. Off by default: each change then commits on
 * its own, as the command line and the tests expect.
 */
void                tessera_store_set_group_commit  (TesseraStore               *self,
                                                     gboolean                    enabled);
gboolean            tessera_store_has_open_group    (TesseraStore               *self);
/* TRUE when nothing was open too. */
gboolean            tessera_store_commit_group      (TesseraStore               *self,
                                                     GError                    **error);

G_END_DECLS

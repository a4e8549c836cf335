/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Soak: a real tessera-server under a steady mix of work for TESSERA_SOAK_SECONDS (default
 * 60; longer by hand), then its invariants, checked on the database and through the API.
 *
 *   2 admins    generate OTPs for random ready accounts (re-generating revokes), revoke some,
 *               and resolve pending requests — racing each other for the same ones;
 *   6 consoles  redeem the codes (some handed to two consoles at once), poll until decided,
 *               collect the sign-in once; now and then try a code that does not exist;
 *   1 viewer    pages through accounts and requests;
 *   1 clock     moves the expiry of random live OTPs and requests into the past (what no API
 *               may do), so the sweep (every second here) has work too.
 *
 * Afterwards: no account with two live OTPs or pending requests; no request in an impossible
 * state (pending past expiry, completed or approved without an approver, rejected without a
 * reason, a sign-in password kept after completion); every account's provisioning agrees
 * with its OTPs and requests; every redemption answer agrees with the audit trail; each
 * sign-in was handed out once. The server's RSS is sampled every second and reported; only
 * gross growth after warm-up fails the test (more than twice), and time never does.
 */
#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "tessera-otp-code.h"
#include "tessera-test-api.h"
#include "tessera-test-db.h"

#define N_ADMINS   2
#define N_CONSOLES 6

typedef struct {
  char *code;
  char *otp_id;
} Issued;

typedef struct {
  TesseraTestServer *server;
  char              *admin_token[N_ADMINS];
  char              *viewer_token;
  GPtrArray         *ready_ids;      /* char *, read-only after setup */
  gint64             deadline;

  GAsyncQueue       *codes;          /* Issued *: for the consoles */

  GMutex             mutex;          /* protects everything below */
  GPtrArray         *live_otp_ids;   /* char *: for revokes and the clock */
  GHashTable        *created;        /* request id → source address of its 201 */
  GHashTable        *invalid;        /* source address → number of 400 invalid_otp */
  GHashTable        *sign_ins;       /* request id → number of polls that carried sign_in */
  GHashTable        *resolved;       /* request id → number of 200 resolutions */
  guint              n_batches, n_issued, n_revoked, n_revoke_conflicts;
  guint              n_redeemed, n_invalid, n_polls, n_resolutions, n_conflicts, n_gone;
  guint              n_moved_expiry, n_lists;
} Soak;

static guint
random_below (guint n)
{
  guint32 value;

  g_assert_cmpint (getrandom (&value, sizeof value, 0), ==, sizeof value);
  return n > 0 ? value % n : 0;
}

static void
csprng_fill (guint8   *buffer,
             gsize     length,
             gpointer  user_data)
{
  g_assert_cmpint (getrandom (buffer, length, 0), ==, (gssize) length);
}

static void
issued_free (Issued *issued)
{
  g_free (issued->code);
  g_free (issued->otp_id);
  g_free (issued);
}

static void
count (GHashTable *table,
       const char *key)
{
  g_hash_table_insert (table, g_strdup (key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (table, key)) + 1));
}

static guint
counted (GHashTable *table,
         const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (table, key));
}

static gboolean
running (Soak *soak)
{
  return g_get_monotonic_time () < soak->deadline;
}

/* --- Admins --- */

static void
generate (Soak              *soak,
          TesseraTestClient *client,
          const char        *token)
{
  guint n = 1 + random_below (5);
  const char *ids[5];
  g_autofree char *body = NULL;
  g_autoptr(TesseraTestResponse) response = NULL;
  JsonArray *results;

  for (guint i = 0; i < n; i++)
    ids[i] = g_ptr_array_index (soak->ready_ids, random_below (soak->ready_ids->len));
  /* The same account twice in one batch is refused whole; keep the ids distinct. */
  for (guint i = 1; i < n; i++)
    for (guint j = 0; j < i; j++)
      if (g_strcmp0 (ids[i], ids[j]) == 0)
        n = i;

  body = tessera_test_api_batch_body (ids, n, NULL);
  response = tessera_test_client_request (client, "POST", "/api/v1/otp-batches", token, body);
  tessera_test_assert_json (response, 201);
  results = tessera_test_json_get_array (response->json, "results");

  g_mutex_lock (&soak->mutex);
  soak->n_batches++;
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *row = json_array_get_element (results, i);
      Issued *issued;

      if (g_strcmp0 (tessera_test_json_get_string (row, "status"), "issued") != 0)
        {
          /* Refused per row: only an account with a pending request may be. */
          g_assert_cmpstr (tessera_test_json_get_string (row, "error.code"), ==,
                           "request_pending");
          continue;
        }

      issued = g_new0 (Issued, 1);
      issued->code = g_strdup (tessera_test_json_get_string (row, "otp.code"));
      issued->otp_id = g_strdup (tessera_test_json_get_string (row, "otp.id"));
      /* The recent ones: the revokes and the clock should mostly find live OTPs. */
      if (soak->live_otp_ids->len >= 200)
        g_ptr_array_remove_index_fast (soak->live_otp_ids,
                                       random_below (soak->live_otp_ids->len));
      g_ptr_array_add (soak->live_otp_ids, g_strdup (issued->otp_id));
      soak->n_issued++;

      /* One code in ten goes to two consoles at once: single use under contention. */
      if (random_below (10) == 0)
        {
          Issued *twin = g_new0 (Issued, 1);

          twin->code = g_strdup (issued->code);
          twin->otp_id = g_strdup (issued->otp_id);
          g_async_queue_push (soak->codes, twin);
        }
      g_async_queue_push (soak->codes, issued);
    }
  g_mutex_unlock (&soak->mutex);
}

static void
revoke_one (Soak              *soak,
            TesseraTestClient *client,
            const char        *token)
{
  g_autofree char *otp_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TesseraTestResponse) response = NULL;

  g_mutex_lock (&soak->mutex);
  if (soak->live_otp_ids->len > 0)
    otp_id = g_strdup (g_ptr_array_index (soak->live_otp_ids,
                                          random_below (soak->live_otp_ids->len)));
  g_mutex_unlock (&soak->mutex);
  if (otp_id == NULL)
    return;

  path = g_strdup_printf ("/api/v1/otps/%s/revoke", otp_id);
  response = tessera_test_client_request (client, "POST", path, token, NULL);

  g_mutex_lock (&soak->mutex);
  if (response->status == 200)
    soak->n_revoked++;
  else
    {
      /* Already redeemed, expired, revoked or replaced. */
      tessera_test_assert_problem (response, 409, "otp_not_live");
      soak->n_revoke_conflicts++;
    }
  g_mutex_unlock (&soak->mutex);
}

static void
resolve_some (Soak              *soak,
              TesseraTestClient *client,
              const char        *token)
{
  g_autoptr(TesseraTestResponse) pending = NULL;
  JsonArray *items;

  pending = tessera_test_client_request (client, "GET", "/api/v1/requests?state=pending&limit=10",
                                         token, NULL);
  tessera_test_assert_json (pending, 200);
  items = tessera_test_json_get_array (pending->json, "items");

  for (guint i = 0; i < json_array_get_length (items) && i < 3; i++)
    {
      const char *id = tessera_test_json_get_string (json_array_get_element (items, i), "id");
      gboolean approve = random_below (10) < 7;
      g_autoptr(TesseraTestResponse) response = NULL;

      response = tessera_test_api_resolve (client, token, id, approve ? "approve" : "reject",
                                           approve ? NULL : "wrong_room");
      g_mutex_lock (&soak->mutex);
      if (response->status == 200)
        {
          g_assert_cmpstr (tessera_test_json_get_string (response->json, "state"), ==,
                           approve ? "approved" : "rejected");
          count (soak->resolved, id);
          soak->n_resolutions++;
        }
      else if (response->status == 409)
        {
          /* The other admin was first. */
          tessera_test_assert_problem (response, 409, "already_resolved");
          soak->n_conflicts++;
        }
      else
        {
          /* The clock moved its expiry into the past meanwhile. */
          tessera_test_assert_problem (response, 410, "request_expired");
          soak->n_gone++;
        }
      g_mutex_unlock (&soak->mutex);
    }
}

typedef struct {
  Soak *soak;
  guint index;
} Actor;

static gpointer
run_admin (gpointer user_data)
{
  Actor *actor = user_data;
  Soak *soak = actor->soak;
  const char *token = soak->admin_token[actor->index];
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (soak->server, NULL);

  while (running (soak))
    {
      guint what = random_below (10);

      if (what < 3)
        generate (soak, client, token);
      else if (what < 4)
        revoke_one (soak, client, token);
      else
        resolve_some (soak, client, token);

      /* A person's pace, roughly: consoles should find most codes still live. */
      g_usleep (10 * 1000);
    }

  return NULL;
}

/* --- Consoles --- */

static void
poll_until_decided (Soak                *soak,
                    TesseraTestClient   *client,
                    TesseraTestRedeemed *redeemed)
{
  for (guint i = 0; i < 40 && running (soak); i++)
    {
      g_autoptr(TesseraTestResponse) response = tessera_test_api_poll (client, redeemed);
      const char *state;

      tessera_test_assert_json (response, 200);
      state = tessera_test_json_get_string (response->json, "state");

      g_mutex_lock (&soak->mutex);
      soak->n_polls++;
      if (tessera_test_json_has (response->json, "sign_in"))
        {
          g_assert_cmpstr (state, ==, "approved");
          g_assert_nonnull (tessera_test_json_get_string (response->json, "sign_in.password"));
          count (soak->sign_ins, redeemed->id);
        }
      else
        {
          /* Approved is only ever answered with the sign-in; after it, completed. */
          g_assert_cmpstr (state, !=, "approved");
        }
      g_mutex_unlock (&soak->mutex);

      if (g_strcmp0 (state, "pending") != 0)
        return;
      g_usleep (50 * 1000);
    }
}

static gpointer
run_console (gpointer user_data)
{
  Actor *actor = user_data;
  Soak *soak = actor->soak;
  g_autofree char *address = g_strdup_printf ("127.0.0.%u", 60 + actor->index);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (soak->server, address);

  while (running (soak))
    {
      Issued *issued = g_async_queue_timeout_pop (soak->codes, 200 * 1000);
      g_autofree char *made_up = NULL;
      g_autofree char *body = NULL;
      g_autoptr(TesseraTestResponse) response = NULL;
      const char *code;

      if (issued == NULL && random_below (20) != 0)
        continue;

      if (issued != NULL)
        code = issued->code;
      else
        {
          char normalized[TESSERA_OTP_CODE_LENGTH + 1];

          tessera_otp_code_generate (csprng_fill, NULL, normalized);
          code = made_up = tessera_otp_code_format (normalized);
        }

      body = tessera_test_api_redemption_body (code, "SN-SOAK");
      response = tessera_test_client_request (client, "POST", "/api/v1/device/redemptions",
                                              NULL, body);
      g_clear_pointer (&issued, issued_free);

      if (response->status == 201)
        {
          g_autoptr(TesseraTestRedeemed) redeemed = g_new0 (TesseraTestRedeemed, 1);

          tessera_test_assert_json (response, 201);
          redeemed->id = g_strdup (tessera_test_json_get_string (response->json, "id"));
          redeemed->poll_token = g_strdup (tessera_test_json_get_string (response->json,
                                                                         "poll_token"));
          g_assert_nonnull (redeemed->id);
          g_assert_nonnull (redeemed->poll_token);

          g_mutex_lock (&soak->mutex);
          g_assert_false (g_hash_table_contains (soak->created, redeemed->id));
          g_hash_table_insert (soak->created, g_strdup (redeemed->id), g_strdup (address));
          soak->n_redeemed++;
          g_mutex_unlock (&soak->mutex);

          poll_until_decided (soak, client, redeemed);
        }
      else
        {
          /* Revoked, replaced, expired, or taken by the twin console: one answer for all. */
          tessera_test_assert_problem (response, 400, "invalid_otp");
          g_mutex_lock (&soak->mutex);
          count (soak->invalid, address);
          soak->n_invalid++;
          g_mutex_unlock (&soak->mutex);
        }
    }

  return NULL;
}

/* --- Viewer and clock --- */

static gpointer
run_viewer (gpointer user_data)
{
  Soak *soak = user_data;
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (soak->server, NULL);
  const char *paths[] = {
    "/api/v1/accounts?limit=100",
    "/api/v1/accounts?provisioning=awaiting_otp_approval,otp_issued",
    "/api/v1/requests?state=pending,approved,rejected,expired,completed&limit=50",
  };

  while (running (soak))
    {
      g_autoptr(TesseraTestResponse) response = NULL;

      response = tessera_test_client_request (client, "GET",
                                              paths[random_below (G_N_ELEMENTS (paths))],
                                              soak->viewer_token, NULL);
      tessera_test_assert_json (response, 200);
      g_mutex_lock (&soak->mutex);
      soak->n_lists++;
      g_mutex_unlock (&soak->mutex);
      g_usleep (20 * 1000);
    }

  return NULL;
}

static gpointer
run_clock (gpointer user_data)
{
  Soak *soak = user_data;
  const char *db_path = tessera_test_server_get_db_path (soak->server);

  while (running (soak))
    {
      g_autofree char *otp_id = NULL;

      g_usleep (700 * 1000);
      g_mutex_lock (&soak->mutex);
      if (soak->live_otp_ids->len > 0)
        otp_id = g_strdup (g_ptr_array_index (soak->live_otp_ids,
                                              random_below (soak->live_otp_ids->len)));
      g_mutex_unlock (&soak->mutex);
      if (otp_id == NULL)
        continue;

      /* Its OTP, the account's copy and its request (if any) expired a second ago. */
      tessera_test_db_set_otp_expiry (db_path, otp_id, g_get_real_time () - G_USEC_PER_SEC);
      g_mutex_lock (&soak->mutex);
      soak->n_moved_expiry++;
      g_mutex_unlock (&soak->mutex);
    }

  return NULL;
}

/* --- Checks afterwards --- */

static void
assert_no_rows (const char *db_path,
                const char *what,
                const char *sql)
{
  gint64 n = tessera_test_db_query_int (db_path, sql);

  if (n != 0)
    g_error ("%" G_GINT64_FORMAT " %s\n(%s)", n, what, sql);
}

static void
check_database (Soak *soak)
{
  const char *db = tessera_test_server_get_db_path (soak->server);
  g_autofree char *expired_otps = NULL;
  g_autofree char *expired_requests = NULL;
  gint64 now = g_get_real_time ();

  assert_no_rows (db, "accounts with two live OTPs or pending requests",
                  "SELECT count(*) FROM (SELECT account_id FROM ("
                  "  SELECT account_id FROM otps WHERE state = 'issued'"
                  "  UNION ALL SELECT account_id FROM requests WHERE state = 'pending')"
                  " GROUP BY account_id HAVING count(*) > 1)");
  expired_otps = g_strdup_printf ("SELECT count(*) FROM otps WHERE state = 'issued'"
                                  " AND expires_at < %" G_GINT64_FORMAT, now);
  assert_no_rows (db, "issued OTPs past their expiry after the sweep", expired_otps);
  expired_requests = g_strdup_printf ("SELECT count(*) FROM requests WHERE state = 'pending'"
                                      " AND expires_at < %" G_GINT64_FORMAT, now);
  assert_no_rows (db, "pending requests past their expiry after the sweep", expired_requests);
  assert_no_rows (db, "requests approved or completed without an approver",
                  "SELECT count(*) FROM requests WHERE state IN ('approved', 'completed')"
                  " AND (resolved_by IS NULL OR resolved_at IS NULL"
                  "      OR rejection_reason IS NOT NULL)");
  assert_no_rows (db, "completed requests that still hold a password or no completion time",
                  "SELECT count(*) FROM requests WHERE state = 'completed'"
                  " AND (sealed_password IS NOT NULL OR completed_at IS NULL)");
  assert_no_rows (db, "rejected requests without a reason or a resolver",
                  "SELECT count(*) FROM requests WHERE state = 'rejected'"
                  " AND (rejection_reason IS NULL OR resolved_by IS NULL)");
  assert_no_rows (db, "pending requests that carry a resolution",
                  "SELECT count(*) FROM requests WHERE state = 'pending'"
                  " AND (resolved_by IS NOT NULL OR resolved_at IS NOT NULL)");
  assert_no_rows (db, "requests whose OTP is not redeemed",
                  "SELECT count(*) FROM requests r JOIN otps o ON o.id = r.otp_id"
                  " WHERE o.state != 'redeemed'");
  assert_no_rows (db, "issued OTPs that the account does not show as its OTP",
                  "SELECT count(*) FROM otps o JOIN accounts a ON a.id = o.account_id"
                  " WHERE o.state = 'issued'"
                  " AND (a.provisioning != 'otp_issued' OR a.otp_id IS NOT o.id)");
  assert_no_rows (db, "accounts shown as otp_issued without that live OTP",
                  "SELECT count(*) FROM accounts a WHERE a.provisioning = 'otp_issued'"
                  " AND NOT EXISTS (SELECT 1 FROM otps o"
                  "                 WHERE o.id = a.otp_id AND o.state = 'issued')");
  assert_no_rows (db, "pending requests the account does not show as awaiting approval",
                  "SELECT count(*) FROM requests r JOIN accounts a ON a.id = r.account_id"
                  " WHERE r.state = 'pending'"
                  " AND (a.provisioning != 'awaiting_otp_approval' OR a.request_id IS NOT r.id)");
  assert_no_rows (db, "accounts awaiting approval without that pending request",
                  "SELECT count(*) FROM accounts a WHERE a.provisioning = 'awaiting_otp_approval'"
                  " AND NOT EXISTS (SELECT 1 FROM requests r"
                  "                 WHERE r.id = a.request_id AND r.state = 'pending')");
  assert_no_rows (db, "sign-ins released twice",
                  "SELECT count(*) FROM (SELECT target FROM audit"
                  " WHERE action = 'sign_in_released' GROUP BY target HAVING count(*) > 1)");
}

/* action → target or source address → count, from every page of GET /api/v1/audit. */
static void
read_audit (TesseraTestClient *client,
            const char        *token,
            GHashTable        *redeemed_by_target,
            GHashTable        *failed_by_source,
            GHashTable        *resolved_by_target,
            GHashTable        *released_by_target)
{
  g_autofree char *cursor = NULL;

  do
    {
      g_autoptr(TesseraTestResponse) page = NULL;
      g_autofree char *path = NULL;
      JsonArray *items;

      if (cursor != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
          path = g_strdup_printf ("/api/v1/audit?limit=1000&cursor=%s", escaped);
        }
      else
        path = g_strdup ("/api/v1/audit?limit=1000");

      page = tessera_test_client_request (client, "GET", path, token, NULL);
      tessera_test_assert_json (page, 200);
      items = tessera_test_json_get_array (page->json, "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *entry = json_array_get_element (items, i);
          const char *action = tessera_test_json_get_string (entry, "action");
          const char *target = tessera_test_json_get_string (entry, "target");
          const char *source = tessera_test_json_get_string (entry, "source_address");

          if (g_strcmp0 (action, "otp_redeemed") == 0)
            {
              g_autofree char *key = g_strdup_printf ("%s %s", target, source);
              count (redeemed_by_target, key);
            }
          else if (g_strcmp0 (action, "redemption_failed") == 0 && source != NULL)
            count (failed_by_source, source);
          else if ((g_strcmp0 (action, "request_approved") == 0 ||
                    g_strcmp0 (action, "request_rejected") == 0) && target != NULL)
            count (resolved_by_target, target);
          else if (g_strcmp0 (action, "sign_in_released") == 0 && target != NULL)
            count (released_by_target, target);
        }

      g_clear_pointer (&cursor, g_free);
      if (!tessera_test_json_is_null (page->json, "next_cursor"))
        cursor = g_strdup (tessera_test_json_get_string (page->json, "next_cursor"));
    }
  while (cursor != NULL);
}

static void
check_audit (Soak *soak)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (soak->server, NULL);
  g_autoptr(GHashTable) redeemed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) resolved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) released = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;
  guint n_failed = 0;

  read_audit (client, soak->admin_token[0], redeemed, failed, resolved, released);

  /* Each 201 is one otp_redeemed entry for that request, from that console's address. */
  g_hash_table_iter_init (&iter, soak->created);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *entry = g_strdup_printf ("%s %s", (char *) key, (char *) value);
      g_assert_cmpuint (counted (redeemed, entry), ==, 1);
    }
  g_assert_cmpuint (g_hash_table_size (redeemed), ==, g_hash_table_size (soak->created));

  /* Each 400 is one redemption_failed entry from that address, and there are no others. */
  g_hash_table_iter_init (&iter, soak->invalid);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpuint (counted (failed, key), ==, GPOINTER_TO_UINT (value));
  g_hash_table_iter_init (&iter, failed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    n_failed += GPOINTER_TO_UINT (value);
  g_assert_cmpuint (n_failed, ==, soak->n_invalid);

  /* Each 200 resolution is one approval or rejection entry; no request resolved twice. */
  g_hash_table_iter_init (&iter, soak->resolved);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_cmpuint (GPOINTER_TO_UINT (value), ==, 1);
      g_assert_cmpuint (counted (resolved, key), ==, 1);
    }
  g_assert_cmpuint (g_hash_table_size (resolved), ==, g_hash_table_size (soak->resolved));

  /* Each sign-in the consoles received was released once, and only those were. */
  g_hash_table_iter_init (&iter, soak->sign_ins);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_cmpuint (GPOINTER_TO_UINT (value), ==, 1);
      g_assert_cmpuint (counted (released, key), ==, 1);
    }
  g_assert_cmpuint (g_hash_table_size (released), ==, g_hash_table_size (soak->sign_ins));
}

/* The API's view of pending requests is the database's. */
static void
check_api_agrees (Soak *soak)
{
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (soak->server, NULL);
  g_autoptr(TesseraTestResponse) pending = NULL;
  g_autoptr(TesseraTestResponse) awaiting = NULL;
  const char *db = tessera_test_server_get_db_path (soak->server);

  pending = tessera_test_client_request (client, "GET", "/api/v1/requests?state=pending",
                                         soak->viewer_token, NULL);
  tessera_test_assert_json (pending, 200);
  g_assert_cmpint (tessera_test_json_get_int (pending->json, "total"), ==,
                   tessera_test_db_query_int (db, "SELECT count(*) FROM requests"
                                                  " WHERE state = 'pending'"));

  awaiting = tessera_test_client_request (client, "GET",
                                          "/api/v1/accounts?provisioning=awaiting_otp_approval",
                                          soak->viewer_token, NULL);
  tessera_test_assert_json (awaiting, 200);
  g_assert_cmpint (tessera_test_json_get_int (awaiting->json, "total"), ==,
                   tessera_test_json_get_int (pending->json, "total"));
}

/* --- RSS --- */

static guint
read_rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

static void
test_soak (void)
{
  const char *seconds_text = g_getenv ("TESSERA_SOAK_SECONDS");
  guint seconds = seconds_text != NULL ? (guint) g_ascii_strtoull (seconds_text, NULL, 10) : 60;
  TesseraTestServerOptions options = {
    .demo_accounts = 300,
    .config_text = "[server]\nsweep_interval_seconds = 1\n"
                   "[throttle]\nfailures_per_address = 1000000\nglobal_failures = 0\n",
  };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  g_autoptr(TesseraTestClient) client = tessera_test_client_new (server, NULL);
  g_autoptr(GArray) rss = g_array_new (FALSE, FALSE, sizeof (guint));
  GThread *threads[N_ADMINS + N_CONSOLES + 2];
  Actor actors[N_ADMINS + N_CONSOLES];
  guint n_threads = 0;
  Soak soak = { 0 };
  GPid pid = tessera_test_server_get_pid (server);
  guint warm_index, warm, peak = 0, last;
  gint64 started;

  g_assert_cmpuint (seconds, >=, 5);

  soak.server = server;
  soak.admin_token[0] = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN);
  soak.admin_token[1] = tessera_test_server_sign_in (server, TESSERA_TEST_ADMIN2);
  soak.viewer_token = tessera_test_server_sign_in (server, TESSERA_TEST_VIEWER);
  soak.ready_ids = tessera_test_api_list_account_ids (client, soak.admin_token[0],
                                                      "readiness=ready");
  g_assert_cmpuint (soak.ready_ids->len, >=, 100);
  soak.codes = g_async_queue_new_full ((GDestroyNotify) issued_free);
  g_mutex_init (&soak.mutex);
  soak.live_otp_ids = g_ptr_array_new_with_free_func (g_free);
  soak.created = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soak.invalid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soak.sign_ins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soak.resolved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  started = g_get_monotonic_time ();
  soak.deadline = started + seconds * G_USEC_PER_SEC;

  for (guint i = 0; i < N_ADMINS; i++)
    {
      actors[i] = (Actor) { &soak, i };
      threads[n_threads++] = g_thread_new ("admin", run_admin, &actors[i]);
    }
  for (guint i = 0; i < N_CONSOLES; i++)
    {
      actors[N_ADMINS + i] = (Actor) { &soak, i };
      threads[n_threads++] = g_thread_new ("console", run_console, &actors[N_ADMINS + i]);
    }
  threads[n_threads++] = g_thread_new ("viewer", run_viewer, &soak);
  threads[n_threads++] = g_thread_new ("clock", run_clock, &soak);

  while (running (&soak))
    {
      guint sample = read_rss_kib (pid);

      g_array_append_val (rss, sample);
      g_usleep (G_USEC_PER_SEC);
    }
  for (guint i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);

  g_test_message ("%u s: %u batches, %u OTPs issued, %u revoked (%u not live), %u redeemed, "
                  "%u refused as invalid, %u polls, %u resolutions (%u conflicts, %u expired "
                  "first), %u expiries moved, %u lists",
                  seconds, soak.n_batches, soak.n_issued, soak.n_revoked,
                  soak.n_revoke_conflicts, soak.n_redeemed, soak.n_invalid, soak.n_polls,
                  soak.n_resolutions, soak.n_conflicts, soak.n_gone, soak.n_moved_expiry,
                  soak.n_lists);

  /* The work was varied enough for the checks to mean something. */
  g_assert_cmpuint (soak.n_redeemed, >, 0);
  g_assert_cmpuint (soak.n_resolutions, >, 0);
  g_assert_cmpuint (g_hash_table_size (soak.sign_ins), >, 0);
  g_assert_cmpuint (soak.n_invalid, >, 0);

  /* Let the sweep (every second) apply the expiries the clock moved last, then check. */
  g_usleep (2500 * 1000);
  check_database (&soak);
  check_audit (&soak);
  check_api_agrees (&soak);

  /* RSS: after a warm-up of a fifth of the run, no gross growth. Reported, never timed. */
  warm_index = MAX (rss->len / 5, 1) - 1;
  warm = g_array_index (rss, guint, warm_index);
  last = g_array_index (rss, guint, rss->len - 1);
  for (guint i = warm_index; i < rss->len; i++)
    peak = MAX (peak, g_array_index (rss, guint, i));
  g_test_message ("server RSS: %u KiB at start, %u KiB after warm-up (%u s), peak %u KiB, "
                  "%u KiB at the end (%u samples)", g_array_index (rss, guint, 0), warm,
                  warm_index + 1, peak, last, rss->len);
  {
    g_autoptr(GString) curve = g_string_new (NULL);

    for (guint i = 0; i < rss->len; i += MAX (rss->len / 12, 1))
      g_string_append_printf (curve, " %u", g_array_index (rss, guint, i));
    g_test_message ("server RSS every %u s (KiB):%s", MAX (rss->len / 12, 1), curve->str);
  }
  g_assert_cmpuint (peak, <=, 2 * warm);

  for (guint i = 0; i < N_ADMINS; i++)
    g_free (soak.admin_token[i]);
  g_free (soak.viewer_token);
  g_ptr_array_unref (soak.ready_ids);
  g_async_queue_unref (soak.codes);
  g_ptr_array_unref (soak.live_otp_ids);
  g_hash_table_unref (soak.created);
  g_hash_table_unref (soak.invalid);
  g_hash_table_unref (soak.sign_ins);
  g_hash_table_unref (soak.resolved);
  g_mutex_clear (&soak.mutex);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/soak/admins-and-consoles-keep-every-invariant-and-server-memory-flat",
                   test_soak);

  return g_test_run ();
}

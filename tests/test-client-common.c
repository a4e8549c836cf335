/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-client-common.h"

/* Far above anything honest on this machine; only a hung client runs into it. */
#define WAIT_DEADLINE_USEC (120 * G_USEC_PER_SEC)

void
test_client_on_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

GAsyncResult *
test_client_wait (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_DEADLINE_USEC;

  while (*slot == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("A client call did not complete");
      g_main_context_iteration (NULL, TRUE);
    }

  return *slot;
}

static gboolean
on_wait_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
test_client_wait_until (gboolean   (*get) (gpointer data),
                        gpointer     data,
                        const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_DEADLINE_USEC;
  /* Wakes the loop now and then, so the deadline is checked even when nothing happens. */
  guint tick = g_timeout_add (100, on_wait_tick, NULL);

  while (!get (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Gave up waiting until %s", what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (tick);
}

TesseraClient *
test_client_new (TesseraTestServer *server)
{
  g_autoptr(GError) error = NULL;
  TesseraClient *client;

  client = tessera_client_new (tessera_test_server_get_url (server), &error);
  g_assert_no_error (error);
  tessera_client_set_timeout (client, 60);

  return client;
}

TesseraClient *
test_client_new_signed_in (TesseraTestServer *server,
                           const char        *username)
{
  g_autoptr(TesseraClient) client = test_client_new (server);
  g_autoptr(TesseraSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = test_client_sign_in (client, username,
                                 tessera_test_server_get_password (server, username), &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);

  return g_steal_pointer (&client);
}

TesseraSession *
test_client_sign_in (TesseraClient  *client,
                     const char     *username,
                     const char     *password,
                     GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tessera_client_sign_in_async (client, username, password, NULL, test_client_on_done, &result);
  return tessera_client_sign_in_finish (client, test_client_wait (&result), error);
}

TesseraUser *
test_client_get_me (TesseraClient  *client,
                    GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tessera_client_get_me_async (client, NULL, test_client_on_done, &result);
  return tessera_client_get_me_finish (client, test_client_wait (&result), error);
}

GPtrArray *
test_client_list_accounts (TesseraClient              *client,
                           const TesseraAccountQuery  *query,
                           const char                 *cursor,
                           guint                       limit,
                           char                      **next_cursor,
                           guint                      *total,
                           GError                    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tessera_client_list_accounts_async (client, query, cursor, limit, NULL,
                                      test_client_on_done, &result);
  return tessera_client_list_accounts_finish (client, test_client_wait (&result),
                                              next_cursor, total, error);
}

GPtrArray *
test_client_list_all_accounts (TesseraClient             *client,
                               const TesseraAccountQuery *query,
                               guint                      limit)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *cursor = NULL;

  do
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      char *next = NULL;

      page = test_client_list_accounts (client, query, cursor, limit, &next, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (page, i)));
      g_free (cursor);
      cursor = next;
    }
  while (cursor != NULL);

  return all;
}

TesseraOtpBatch *
test_client_generate (TesseraClient       *client,
                      const char * const  *account_ids,
                      const char          *idempotency_key,
                      GError             **error)
{
  g_autoptr(TesseraBatchSpec) spec = tessera_batch_spec_new ();
  g_autoptr(GAsyncResult) result = NULL;

  spec->account_ids = g_strdupv ((char **) account_ids);
  spec->password_mode = TESSERA_PASSWORD_MODE_GENERATE;

  tessera_client_generate_batch_async (client, spec, idempotency_key, NULL,
                                       test_client_on_done, &result);
  return tessera_client_generate_batch_finish (client, test_client_wait (&result), error);
}

GPtrArray *
test_client_fresh_ready_accounts (TesseraClient *client,
                                  guint          n)
{
  TesseraAccountQuery query = {
    .readiness_mask = 1u << TESSERA_READINESS_READY,
    .provisioning_mask = 1u << TESSERA_PROVISIONING_NOT_STARTED,
  };
  g_autoptr(GPtrArray) accounts = test_client_list_all_accounts (client, &query, 200);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpuint (accounts->len, >=, n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ids, g_strdup (tessera_account_get_id (g_ptr_array_index (accounts, i))));
  g_ptr_array_add (ids, NULL);

  return ids;
}

TesseraRedemption *
test_client_redeem (TesseraClient  *client,
                    const char     *code,
                    const char     *serial_number,
                    GError        **error)
{
  g_autoptr(TesseraDeviceInfo) device = tessera_device_info_new ("Contoso", "Room Console 9",
                                                                 serial_number);
  g_autoptr(TesseraRedemptionSpec) spec = tessera_redemption_spec_new (code, device);
  g_autoptr(GAsyncResult) result = NULL;

  tessera_client_device_redeem_async (client, spec, NULL, test_client_on_done, &result);
  return tessera_client_device_redeem_finish (client, test_client_wait (&result), error);
}

TesseraRequest *
test_client_resolve (TesseraClient           *client,
                     const char              *request_id,
                     TesseraDecision          decision,
                     TesseraRejectionReason   reason,
                     const char              *comment,
                     GError                 **error)
{
  g_autoptr(TesseraResolution) resolution = tessera_resolution_new (decision, reason, comment);
  g_autoptr(GAsyncResult) result = NULL;

  tessera_client_resolve_request_async (client, request_id, resolution, NULL,
                                        test_client_on_done, &result);
  return tessera_client_resolve_request_finish (client, test_client_wait (&result), error);
}

TesseraAccount *
test_client_get_account (TesseraClient  *client,
                         const char     *account_id,
                         GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tessera_client_get_account_async (client, account_id, NULL, test_client_on_done, &result);
  return tessera_client_get_account_finish (client, test_client_wait (&result), error);
}

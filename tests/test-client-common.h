/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-client.h"
#include "tessera-test-server.h"

G_BEGIN_DECLS

/*
 * Helpers for the client suites that talk to a real tessera-server: each wraps one
 * _async/_finish pair and waits for it by iterating the thread-default main context (the
 * server is another process, so nothing deadlocks).
 */

GAsyncResult      *test_client_wait          (GAsyncResult      **slot);
void               test_client_on_done       (GObject            *source,
                                              GAsyncResult       *result,
                                              gpointer            user_data);
/* Iterates until @condition (a boolean expression's value read through @get) holds. */
void               test_client_wait_until    (gboolean          (*get) (gpointer data),
                                              gpointer            data,
                                              const char         *what);

/* A client for @server, not signed in, with a short timeout. */
TesseraClient     *test_client_new           (TesseraTestServer  *server);
/* A client signed in as @username (one of the harness' users). */
TesseraClient     *test_client_new_signed_in (TesseraTestServer  *server,
                                              const char         *username);

TesseraSession    *test_client_sign_in       (TesseraClient      *client,
                                              const char         *username,
                                              const char         *password,
                                              GError            **error);
TesseraUser       *test_client_get_me        (TesseraClient      *client,
                                              GError            **error);
GPtrArray         *test_client_list_accounts (TesseraClient      *client,
                                              const TesseraAccountQuery *query,
                                              const char         *cursor,
                                              guint               limit,
                                              char              **next_cursor,
                                              guint              *total,
                                              GError            **error);
/* Every account matching @query, walking all pages of @limit. */
GPtrArray         *test_client_list_all_accounts (TesseraClient  *client,
                                                  const TesseraAccountQuery *query,
                                                  guint           limit);
TesseraOtpBatch   *test_client_generate      (TesseraClient      *client,
                                              const char * const *account_ids,
                                              const char         *idempotency_key,
                                              GError            **error);
/* Up to @n accounts that are ready and were never issued an OTP; asserts there are @n. */
GPtrArray         *test_client_fresh_ready_accounts (TesseraClient *client,
                                                     guint          n);
TesseraRedemption *test_client_redeem        (TesseraClient      *client,
                                              const char         *code,
                                              const char         *serial_number,
                                              GError            **error);
TesseraRequest    *test_client_resolve       (TesseraClient      *client,
                                              const char         *request_id,
                                              TesseraDecision     decision,
                                              TesseraRejectionReason reason,
                                              const char         *comment,
                                              GError            **error);
TesseraAccount    *test_client_get_account   (TesseraClient      *client,
                                              const char         *account_id,
                                              GError            **error);

G_END_DECLS

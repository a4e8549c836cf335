/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tessera-client-error.h"
#include "tessera-error-text.h"

/* The words every window shows for a failed call: one place, so one test. */

static char *
describe (TesseraClientError  code,
          const char         *forbidden,
          const char         *not_found)
{
  g_autoptr(GError) error = g_error_new_literal (TESSERA_CLIENT_ERROR, code, "server words");

  return tessera_error_text_describe (error, "rooms.example.org", forbidden, not_found);
}

static void
test_host_named_where_the_host_is_the_problem (void)
{
  const TesseraClientError codes[] = {
    TESSERA_CLIENT_ERROR_NETWORK, TESSERA_CLIENT_ERROR_TIMEOUT, TESSERA_CLIENT_ERROR_TLS,
    TESSERA_CLIENT_ERROR_NOT_TESSERA, TESSERA_CLIENT_ERROR_SERVICE_UNAVAILABLE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *text = describe (codes[i], NULL, NULL);

      g_assert_nonnull (strstr (text, "rooms.example.org"));
      g_assert_null (strstr (text, "server words"));
    }
}

static void
test_context_words_for_forbidden_and_not_found (void)
{
  g_autofree char *forbidden = describe (TESSERA_CLIENT_ERROR_FORBIDDEN, "Only admins.", "Gone.");
  g_autofree char *not_found = describe (TESSERA_CLIENT_ERROR_NOT_FOUND, "Only admins.", "Gone.");
  g_autofree char *forbidden_plain = describe (TESSERA_CLIENT_ERROR_FORBIDDEN, NULL, NULL);
  g_autofree char *expired = describe (TESSERA_CLIENT_ERROR_NOT_AUTHORIZED, NULL, NULL);

  g_assert_cmpstr (forbidden, ==, "Only admins.");
  g_assert_cmpstr (not_found, ==, "Gone.");
  /* Without words of the caller's, the server's problem details are the best there is. */
  g_assert_cmpstr (forbidden_plain, ==, "server words");
  g_assert_cmpstr (expired, ==, "Your session has ended. Sign in again.");
}

static void
test_other_errors_pass_through (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk full");
  g_autofree char *text = tessera_error_text_describe (error, "rooms.example.org", "x", "y");

  g_assert_cmpstr (text, ==, "disk full");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error-text/host-named-where-the-host-is-the-problem",
                   test_host_named_where_the_host_is_the_problem);
  g_test_add_func ("/error-text/context-words-for-forbidden-and-not-found",
                   test_context_words_for_forbidden_and_not_found);
  g_test_add_func ("/error-text/other-errors-pass-through", test_other_errors_pass_through);

  return g_test_run ();
}

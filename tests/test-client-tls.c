/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tessera-client.h"
#include "test-client-adversary.h"

/*
 * TLS: a self-signed certificate is refused with the TLS error and its fingerprint; pinning
 * that one certificate lets it through and nothing else; a trusted CA file works as usual.
 * The certificates are made with the openssl CLI at test time, and their fingerprints are
 * computed by openssl too, so the client's fingerprint is checked against an independent one.
 */

typedef struct {
  char            *cert_path;
  char            *fingerprint;  /* from openssl */
  GTlsCertificate *certificate;
} TestCertificate;

static char *tmpdir;
static TestCertificate cert_a, cert_b;
static TesseraTestAdversary *server_a, *server_b;

static void
run_openssl (const char * const *argv,
             char              **out)
{
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_spawn_sync (tmpdir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                out, &err, &wait_status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, NULL))
    g_error ("openssl failed: %s", err);
}

static void
make_certificate (TestCertificate *cert,
                  const char      *name)
{
  g_autofree char *key_path = g_strdup_printf ("%s/%s-key.pem", tmpdir, name);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *equals;

  cert->cert_path = g_strdup_printf ("%s/%s-cert.pem", tmpdir, name);

  {
    const char *argv[] = {
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", key_path, "-out", cert->cert_path, NULL
    };
    run_openssl (argv, NULL);
  }
  {
    const char *argv[] = {
      "openssl", "x509", "-in", cert->cert_path, "-noout", "-fingerprint", "-sha256", NULL
    };
    run_openssl (argv, &out);
  }

  /* "sha256 Fingerprint=AB:CD:…" */
  equals = strchr (out, '=');
  g_assert_nonnull (equals);
  {
    g_autofree char *trimmed = g_strstrip (g_strdup (equals + 1));
    cert->fingerprint = g_ascii_strup (trimmed, -1);
  }
  g_assert_cmpuint (strlen (cert->fingerprint), ==, 95);

  cert->certificate = g_tls_certificate_new_from_files (cert->cert_path, key_path, &error);
  g_assert_no_error (error);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static TesseraClient *
client_for (TesseraTestAdversary *server)
{
  g_autofree char *url = g_strconcat (tessera_test_adversary_get_url (server), "/ok", NULL);
  g_autoptr(GError) error = NULL;
  TesseraClient *client = tessera_client_new (url, &error);

  g_assert_no_error (error);
  tessera_client_set_token (client, "not-a-real-token");
  tessera_client_set_timeout (client, 10);

  return client;
}

static gboolean
check_health (TesseraClient  *client,
              GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tessera_client_check_health_async (client, NULL, on_done, &result);
  return tessera_client_check_health_finish (client, wait_for (&result), error);
}

static void
assert_refused_with (const GError    *error,
                     TestCertificate *cert)
{
  GTlsCertificate *peer;
  g_autofree char *fingerprint = NULL;

  g_assert_error (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TLS);
  peer = tessera_client_error_get_peer_certificate (error);
  g_assert_nonnull (peer);
  g_assert_true (g_tls_certificate_is_same (peer, cert->certificate));
  fingerprint = tessera_certificate_get_fingerprint (peer);
  g_assert_cmpstr (fingerprint, ==, cert->fingerprint);
  g_assert_true (tessera_client_error_get_tls_errors (error) & G_TLS_CERTIFICATE_UNKNOWN_CA);
}

static void
test_self_signed_is_refused_with_its_fingerprint (void)
{
  g_autoptr(TesseraClient) client = client_for (server_a);
  g_autoptr(GError) error = NULL;

  g_assert_false (check_health (client, &error));
  assert_refused_with (error, &cert_a);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

static void
test_pinned_certificate_is_accepted (void)
{
  g_autoptr(TesseraClient) client = client_for (server_a);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GError) error = NULL;

  /* Lower case, as someone might paste it: the pin is compared case-insensitively. */
  {
    g_autofree char *lower = g_ascii_strdown (cert_a.fingerprint, -1);
    tessera_client_set_pinned_fingerprint (client, lower);
  }
  g_assert_cmpstr (tessera_client_get_pinned_fingerprint (client), ==, cert_a.fingerprint);

  g_assert_true (check_health (client, &error));
  g_assert_no_error (error);

  tessera_client_get_me_async (client, NULL, on_done, &result);
  user = tessera_client_get_me_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tessera_user_get_username (user), ==, "adversary");
}

static void
test_pin_accepts_no_other_certificate (void)
{
  g_autoptr(TesseraClient) client = client_for (server_b);
  g_autoptr(GError) error = NULL;

  tessera_client_set_pinned_fingerprint (client, cert_a.fingerprint);

  g_assert_false (check_health (client, &error));
  assert_refused_with (error, &cert_b);
}

static void
test_removing_the_pin_refuses_again (void)
{
  g_autoptr(TesseraClient) client = client_for (server_a);
  g_autoptr(GError) error = NULL;

  tessera_client_set_pinned_fingerprint (client, cert_a.fingerprint);
  g_assert_true (check_health (client, &error));
  g_assert_no_error (error);

  /* The connection accepted under the pin must not be reused once the pin is gone. */
  tessera_client_set_pinned_fingerprint (client, NULL);
  g_assert_false (check_health (client, &error));
  assert_refused_with (error, &cert_a);
}

static void
test_trusted_ca_file_works_without_pin (void)
{
  g_autoptr(TesseraClient) client = client_for (server_a);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  database = g_tls_file_database_new (cert_a.cert_path, &error);
  g_assert_no_error (error);
  tessera_client_set_tls_database (client, database);

  g_assert_true (check_health (client, &error));
  g_assert_no_error (error);
}

static void
test_trusted_ca_file_does_not_trust_another_certificate (void)
{
  g_autoptr(TesseraClient) client = client_for (server_b);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  database = g_tls_file_database_new (cert_a.cert_path, &error);
  g_assert_no_error (error);
  tessera_client_set_tls_database (client, database);

  g_assert_false (check_health (client, &error));
  assert_refused_with (error, &cert_b);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  tmpdir = g_dir_make_tmp ("tessera-tls-XXXXXX", &error);
  g_assert_no_error (error);
  make_certificate (&cert_a, "a");
  make_certificate (&cert_b, "b");
  g_assert_cmpstr (cert_a.fingerprint, !=, cert_b.fingerprint);

  server_a = tessera_test_adversary_new (cert_a.certificate);
  server_b = tessera_test_adversary_new (cert_b.certificate);

  g_test_add_func ("/client/tls/self-signed-is-refused-with-its-fingerprint",
                   test_self_signed_is_refused_with_its_fingerprint);
  g_test_add_func ("/client/tls/pinned-certificate-is-accepted",
                   test_pinned_certificate_is_accepted);
  g_test_add_func ("/client/tls/pin-accepts-no-other-certificate",
                   test_pin_accepts_no_other_certificate);
  g_test_add_func ("/client/tls/removing-the-pin-refuses-again",
                   test_removing_the_pin_refuses_again);
  g_test_add_func ("/client/tls/trusted-ca-file-works-without-pin",
                   test_trusted_ca_file_works_without_pin);
  g_test_add_func ("/client/tls/trusted-ca-file-does-not-trust-another-certificate",
                   test_trusted_ca_file_does_not_trust_another_certificate);

  status = g_test_run ();

  tessera_test_adversary_free (server_a);
  tessera_test_adversary_free (server_b);
  remove_tree (tmpdir);

  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tessera-server-config.h"

static char *
write_config (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), "tessera-server.conf", NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_config_file_overrides_defaults (void)
{
  g_autoptr(TesseraServerConfig) config = tessera_server_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = write_config ("[server]\n"
                                        "listen = [::1]:0\n"
                                        "db = /tmp/x.db\n"
                                        "trusted_proxies = 10.0.0.0/8, ::1\n"
                                        "request_timeout_seconds = 2\n"
                                        "[throttle]\n"
                                        "failures_per_address = 3\n"
                                        "global_failures = 0\n");

  g_assert_cmpuint (config->request_timeout_seconds, ==, 30);
  g_assert_cmpuint (config->throttle.failures_per_address, ==, 10);
  g_assert_cmpuint (config->throttle.window_seconds, ==, 900);
  g_assert_cmpuint (config->throttle.global_failures, ==, 500);

  g_assert_true (tessera_server_config_load_file (config, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (config->db_path, ==, "/tmp/x.db");
  g_assert_cmpuint (config->request_timeout_seconds, ==, 2);
  g_assert_cmpuint (config->sweep_interval_seconds, ==, 30);
  g_assert_cmpuint (config->throttle.failures_per_address, ==, 3);
  g_assert_cmpuint (config->throttle.global_failures, ==, 0);
  g_assert_true (tessera_proxy_list_contains (config->trusted_proxies, "10.9.9.9"));

  address = tessera_server_config_get_listen_address (config, &error);
  g_assert_no_error (error);
  host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  g_assert_cmpstr (host, ==, "::1");
  g_assert_cmpuint (g_inet_socket_address_get_port (address), ==, 0);
}

static void
test_config_refuses_unknown_keys_and_bad_values (void)
{
  const char *bad[] = {
    "[server]\nrequest_timout_seconds = 5\n",
    "[server]\nrequest_timeout_seconds = 0\n",
    "[server]\nrequest_timeout_seconds = -1\n",
    "[server]\nrequest_timeout_seconds = 5s\n",
    "[throttle]\nwindow_seconds = 99999999999\n",
    "[server]\ninsecure_listen = maybe\n",
    "[server]\ntrusted_proxies = 10.0.0.1/8\n",
    "[serverr]\nlisten = 127.0.0.1:1\n",
    "not a key file",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TesseraServerConfig) config = tessera_server_config_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_config (bad[i]);

      g_assert_false (tessera_server_config_load_file (config, path, &error));
      g_assert_error (error, TESSERA_SERVER_CONFIG_ERROR, TESSERA_SERVER_CONFIG_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, path));
    }
}

static void
test_config_listen_address_forms (void)
{
  const struct { const char *listen; const char *host; guint port; } good[] = {
    { "127.0.0.1:8080", "127.0.0.1", 8080 },
    { "localhost:1", "127.0.0.1", 1 },
    { "0.0.0.0:0", "0.0.0.0", 0 },
    { "[::]:443", "::", 443 },
  };
  const char *bad[] = { "127.0.0.1", "127.0.0.1:", ":80", "::1:80", "[::1]80", "host:80",
                        "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:8x" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(TesseraServerConfig) config = tessera_server_config_new ();
      g_autoptr(GInetSocketAddress) address = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;

      g_free (config->listen);
      config->listen = g_strdup (good[i].listen);
      address = tessera_server_config_get_listen_address (config, &error);
      g_assert_no_error (error);
      host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
      g_assert_cmpstr (host, ==, good[i].host);
      g_assert_cmpuint (g_inet_socket_address_get_port (address), ==, good[i].port);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TesseraServerConfig) config = tessera_server_config_new ();
      g_autoptr(GInetSocketAddress) address = NULL;
      g_autoptr(GError) error = NULL;

      g_free (config->listen);
      config->listen = g_strdup (bad[i]);
      address = tessera_server_config_get_listen_address (config, &error);
      g_assert_null (address);
      g_assert_error (error, TESSERA_SERVER_CONFIG_ERROR, TESSERA_SERVER_CONFIG_ERROR_INVALID);
    }
}

/* The example file documents every setting: uncommented, it must load as it stands. */
static void
test_config_example_file_loads_with_every_key_set (void)
{
  g_autofree char *example = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                    "tessera-server.conf.example", NULL);
  g_autoptr(TesseraServerConfig) config = tessera_server_config_new ();
  g_autoptr(GRegex) commented_setting = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *uncommented = NULL;
  g_autofree char *path = NULL;

  g_file_get_contents (example, &contents, NULL, &error);
  g_assert_no_error (error);

  commented_setting = g_regex_new ("^#([a-z_]+ = )", G_REGEX_MULTILINE, 0, &error);
  g_assert_no_error (error);
  uncommented = g_regex_replace (commented_setting, contents, -1, 0, "\\1", 0, &error);
  g_assert_no_error (error);
  path = write_config (uncommented);

  g_assert_true (tessera_server_config_load_file (config, path, &error));
  g_assert_no_error (error);

  /* Each key was really present (not just tolerated): the values differ from "unset". */
  g_assert_nonnull (config->db_path);
  g_assert_nonnull (config->tls_cert);
  g_assert_nonnull (config->tls_key);
  g_assert_cmpuint (tessera_proxy_list_get_n_entries (config->trusted_proxies), ==, 3);
  g_assert_cmpuint (config->request_timeout_seconds, ==, TESSERA_SERVER_DEFAULT_REQUEST_TIMEOUT);
  g_assert_cmpuint (config->throttle.global_failures, ==, TESSERA_THROTTLE_DEFAULT_GLOBAL_FAILURES);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/config/file-overrides-defaults",
                   test_config_file_overrides_defaults);
  g_test_add_func ("/server/config/refuses-unknown-keys-and-bad-values",
                   test_config_refuses_unknown_keys_and_bad_values);
  g_test_add_func ("/server/config/listen-address-forms",
                   test_config_listen_address_forms);
  g_test_add_func ("/server/config/example-file-loads-with-every-key-set",
                   test_config_example_file_loads_with_every_key_set);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tessera-source-address.h"
#include "tessera-server-config.h"

static TesseraProxyList *
proxies (const char *spec)
{
  g_autoptr(GError) error = NULL;
  TesseraProxyList *list = tessera_proxy_list_new_from_string (spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static void
test_proxy_list_parses_addresses_and_ranges (void)
{
  g_autoptr(TesseraProxyList) list = proxies ("127.0.0.1, 10.0.0.0/8; fd00::/8\t::1");

  g_assert_cmpuint (tessera_proxy_list_get_n_entries (list), ==, 4);
  g_assert_true (tessera_proxy_list_contains (list, "127.0.0.1"));
  g_assert_false (tessera_proxy_list_contains (list, "127.0.0.2"));
  g_assert_true (tessera_proxy_list_contains (list, "10.200.3.4"));
  g_assert_false (tessera_proxy_list_contains (list, "11.0.0.1"));
  g_assert_true (tessera_proxy_list_contains (list, "fd12:3456::1"));
  g_assert_true (tessera_proxy_list_contains (list, "::1"));
  g_assert_false (tessera_proxy_list_contains (list, "fe80::1"));
  g_assert_false (tessera_proxy_list_contains (list, "not an address"));
  g_assert_false (tessera_proxy_list_contains (list, NULL));
}

static void
test_proxy_list_matches_ipv4_mapped_peers (void)
{
  g_autoptr(TesseraProxyList) list = proxies ("10.0.0.0/8");

  /* A dual-stack listener reports IPv4 peers in the mapped form. */
  g_assert_true (tessera_proxy_list_contains (list, "::ffff:10.1.2.3"));
  g_assert_false (tessera_proxy_list_contains (list, "::ffff:11.1.2.3"));
}

static void
test_proxy_list_refuses_bad_entries_naming_them (void)
{
  const char *bad[] = { "10.0.0.1/8", "1.2.3.4/33", "proxy.example.org", "10.0.0.0/8, 300.1.1.1" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TesseraProxyList) list = tessera_proxy_list_new_from_string (bad[i], &error);

      g_assert_null (list);
      g_assert_error (error, TESSERA_SOURCE_ADDRESS_ERROR, TESSERA_SOURCE_ADDRESS_ERROR_INVALID);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TesseraProxyList) list = tessera_proxy_list_new_from_string ("10.0.0.0/8, 300.1.1.1",
                                                                           &error);
    g_assert_nonnull (strstr (error->message, "300.1.1.1"));
  }
}

static void
test_source_address_is_peer_without_trusted_proxy (void)
{
  g_autoptr(TesseraProxyList) empty = proxies ("");
  g_autoptr(TesseraProxyList) other = proxies ("192.0.2.10");
  g_autofree char *a = tessera_source_address_resolve (empty, "198.51.100.7", "203.0.113.1");
  g_autofree char *b = tessera_source_address_resolve (other, "198.51.100.7", "203.0.113.1");
  g_autofree char *c = tessera_source_address_resolve (NULL, "::ffff:198.51.100.7", NULL);

  /* A client cannot choose its own address by sending the header itself. */
  g_assert_cmpstr (a, ==, "198.51.100.7");
  g_assert_cmpstr (b, ==, "198.51.100.7");
  g_assert_cmpstr (c, ==, "198.51.100.7");
}

static void
test_source_address_follows_forwarded_for_from_trusted_proxy (void)
{
  g_autoptr(TesseraProxyList) list = proxies ("10.0.0.0/8");
  g_autofree char *one = tessera_source_address_resolve (list, "10.0.0.2", "203.0.113.9");
  g_autofree char *chain = tessera_source_address_resolve (list, "10.0.0.2",
                                                           "198.51.100.1, 203.0.113.9, 10.0.0.3");
  g_autofree char *v6 = tessera_source_address_resolve (list, "10.0.0.2", " 2001:DB8::1 ");
  g_autofree char *absent = tessera_source_address_resolve (list, "10.0.0.2", NULL);

  g_assert_cmpstr (one, ==, "203.0.113.9");
  /* Right to left, skipping trusted hops: the spoofable left part is never reached. */
  g_assert_cmpstr (chain, ==, "203.0.113.9");
  g_assert_cmpstr (v6, ==, "2001:db8::1");
  g_assert_cmpstr (absent, ==, "10.0.0.2");
}

static void
test_source_address_stops_at_malformed_hop (void)
{
  g_autoptr(TesseraProxyList) list = proxies ("10.0.0.0/8");
  g_autofree char *garbage = tessera_source_address_resolve (list, "10.0.0.2", "unknown");
  g_autofree char *behind = tessera_source_address_resolve (list, "10.0.0.2",
                                                            "198.51.100.1, junk, 10.0.0.5");
  g_autofree char *all_trusted = tessera_source_address_resolve (list, "10.0.0.2",
                                                                 "10.0.0.9, 10.0.0.5");

  g_assert_cmpstr (garbage, ==, "10.0.0.2");
  g_assert_cmpstr (behind, ==, "10.0.0.5");
  g_assert_cmpstr (all_trusted, ==, "10.0.0.9");
}

static void
test_source_address_throttle_key_groups_ipv6_by_64 (void)
{
  g_autofree char *v4 = tessera_source_address_throttle_key ("198.51.100.7");
  g_autofree char *v6a = tessera_source_address_throttle_key ("2001:db8:1:2:aaaa::1");
  g_autofree char *v6b = tessera_source_address_throttle_key ("2001:db8:1:2:bbbb::2");
  g_autofree char *v6c = tessera_source_address_throttle_key ("2001:db8:1:3::1");

  g_assert_cmpstr (v4, ==, "198.51.100.7");
  g_assert_cmpstr (v6a, ==, "2001:db8:1:2::/64");
  g_assert_cmpstr (v6a, ==, v6b);
  g_assert_cmpstr (v6a, !=, v6c);
}

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/source-address/proxy-list-parses-addresses-and-ranges",
                   test_proxy_list_parses_addresses_and_ranges);
  g_test_add_func ("/server/source-address/proxy-list-matches-ipv4-mapped-peers",
                   test_proxy_list_matches_ipv4_mapped_peers);
  g_test_add_func ("/server/source-address/proxy-list-refuses-bad-entries-naming-them",
                   test_proxy_list_refuses_bad_entries_naming_them);
  g_test_add_func ("/server/source-address/is-peer-without-trusted-proxy",
                   test_source_address_is_peer_without_trusted_proxy);
  g_test_add_func ("/server/source-address/follows-forwarded-for-from-trusted-proxy",
                   test_source_address_follows_forwarded_for_from_trusted_proxy);
  g_test_add_func ("/server/source-address/stops-at-malformed-hop",
                   test_source_address_stops_at_malformed_hop);
  g_test_add_func ("/server/source-address/throttle-key-groups-ipv6-by-64",
                   test_source_address_throttle_key_groups_ipv6_by_64);
  g_test_add_func ("/server/config/file-overrides-defaults",
                   test_config_file_overrides_defaults);
  g_test_add_func ("/server/config/refuses-unknown-keys-and-bad-values",
                   test_config_refuses_unknown_keys_and_bad_values);
  g_test_add_func ("/server/config/listen-address-forms",
                   test_config_listen_address_forms);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tessera-source-address.h"

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
    g_assert_null (list);
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

  return g_test_run ();
}

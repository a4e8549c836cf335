/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <malloc.h>
#include <string.h>

#include "tessera-types.h"

/*
 * Benchmark (meson test --benchmark), not a test: the server writes pages of 1000 accounts
 * and the app decodes 100 of them for 100 000 accounts (DESIGN §5). Prints timings and the
 * heap used per decoded account; asserts only that the work was done.
 */

#define N_PAGES   100
#define PAGE_SIZE 1000

static const char *sites[] = { "Berlin", "Paris", "Zürich", "Lisbon", "Oslo" };

static TesseraAccount *
make_account (guint i)
{
  g_autofree char *id = g_strdup_printf ("9f1c2a7e-%04x-4b3d-8e21-%012x", i % 65536, i);
  g_autofree char *name = g_strdup_printf ("Meeting Room %u", i);
  g_autofree char *upn = g_strdup_printf ("room-%06u@contoso.example", i);
  const char *const issues[] = { "calendar_processing", NULL };
  TesseraAccount *account = tessera_account_new (id, name, upn, sites[i % G_N_ELEMENTS (sites)],
                                                 i % 10 == 0 ? NULL : "Teams Rooms Pro",
                                                 i % 7 == 0 ? issues : NULL);

  tessera_account_set_updated_at_unix_usec (account, G_GINT64_CONSTANT (1795632000123456) + i);
  if (i % 3 == 0)
    {
      g_autoptr(GDateTime) expires = tessera_datetime_new_unix_usec (G_GINT64_CONSTANT (1795660800000000));
      g_autofree char *otp_id = g_strdup_printf ("otp-%u", i);

      tessera_account_set_provisioning (account, TESSERA_PROVISIONING_OTP_ISSUED, otp_id, "alice",
                                        expires, NULL);
    }
  return account;
}

static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) decoded = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 start, encode_us = 0, parse_us = 0, decode_us = 0, glib_us = 0;
  gsize bytes = 0, heap_before, heap_after;

  for (guint i = 0; i < PAGE_SIZE; i++)
    g_ptr_array_add (page, make_account (i));

  for (guint p = 0; p < N_PAGES; p++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      gsize length;

      start = g_get_monotonic_time ();
      tessera_json_encode_page (builder, page, (TesseraJsonItemEncoder) tessera_account_to_json,
                                "cursor", N_PAGES * PAGE_SIZE);
      g_ptr_array_add (pages, tessera_json_builder_to_string (builder, &length));
      encode_us += g_get_monotonic_time () - start;
      bytes += length;
    }

  /* For comparison: json-glib alone, without our strict check in front */
  for (guint p = 0; p < N_PAGES; p++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      start = g_get_monotonic_time ();
      g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (pages, p), -1, NULL));
      glib_us += g_get_monotonic_time () - start;
    }

  malloc_trim (0);
  heap_before = heap_in_use ();

  for (guint p = 0; p < N_PAGES; p++)
    {
      const char *data = g_ptr_array_index (pages, p);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GPtrArray) items = NULL;

      start = g_get_monotonic_time ();
      node = tessera_json_parse_object (data, strlen (data), TESSERA_JSON_MAX_DEPTH, &error);
      g_assert_no_error (error);
      parse_us += g_get_monotonic_time () - start;

      start = g_get_monotonic_time ();
      items = tessera_json_decode_page (node, (TesseraJsonItemDecoder) tessera_account_new_from_json,
                                        NULL, NULL, &error);
      g_assert_no_error (error);
      decode_us += g_get_monotonic_time () - start;

      g_ptr_array_extend_and_steal (decoded, g_steal_pointer (&items));
    }

  malloc_trim (0);
  heap_after = heap_in_use ();

  g_assert_cmpuint (decoded->len, ==, N_PAGES * PAGE_SIZE);
  g_print ("encode %u pages of %u accounts: %.1f ms (%.1f MB of JSON)\n",
           N_PAGES, PAGE_SIZE, encode_us / 1000.0, bytes / 1e6);
  g_print ("parse (strict check + json-glib): %.1f ms; decode into accounts: %.1f ms\n",
           parse_us / 1000.0, decode_us / 1000.0);
  g_print ("json-glib alone on the same pages: %.1f ms\n", glib_us / 1000.0);
  g_print ("heap per decoded account: %.0f bytes\n",
           (double) (heap_after - heap_before) / decoded->len);

  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What a person types into the search entry, keystroke by keystroke, shared by the search
 * floor (bench-search-floor.c, a plain C loop) and the app (bench-app-search.c, the real
 * window), so that both figures come from the very same keystrokes. Each string is the
 * entry's text after one key ("" is the entry cleared at once, e.g. Escape or Ctrl+A
 * Delete): sites, rooms, UPN fragments, a non-ASCII site, a query typed and then deleted
 * with Backspace, a typo fixed with Backspace, and a query that matches nothing.
 */
static const char * const bench_keystrokes[] = {
  "o", "os", "osl", "oslo", "oslo ", "oslo 4", "oslo ", "oslo", "osl", "os", "o", "",
  "b", "be", "ber", "berg", "berge", "bergen", "bergen ", "bergen 1", "bergen 1.",
  "bergen 1.1", "",
  "z", "zü", "zür", "züri", "zürich", "",
  "h", "he", "her", "hero", "heron", "hero", "her", "",
  "r", "ro", "roo", "room", "rooms", "rooms.", "",
  "b4", "b42", "b42 ", "b42 5", "b42 5.", "b42 5.0", "b42 5.01", "",
  "re", "rey", "reyk", "reykj", "reykja", "reykjav", "reykjaví", "reykjavík", "",
  "x", "xq", "xqz", "",
};

G_END_DECLS

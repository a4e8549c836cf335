/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-demo-data"

#include "config.h"

#include "tessera-demo-data.h"
#include "tessera-store-private.h"

/* Any fixed value will do; changing it changes every demo set. */
#define DEMO_SEED G_GUINT64_CONSTANT (0x7e55e7a2026c0de5)

typedef struct {
  const char *name;
  const char *slug;  /* ASCII, for UPNs */
} Site;

static const Site sites[] = {
  { "Oslo", "oslo" },
  { "Bergen", "bergen" },
  { "Stockholm", "stockholm" },
  { "Gothenburg", "gothenburg" },
  { "Copenhagen", "copenhagen" },
  { "Aarhus", "aarhus" },
  { "Helsinki", "helsinki" },
  { "Reykjavík", "reykjavik" },
  { "Berlin", "berlin" },
  { "Munich", "munich" },
  { "Hamburg", "hamburg" },
  { "Paris", "paris" },
  { "Lyon", "lyon" },
  { "London", "london" },
  { "Manchester", "manchester" },
  { "Edinburgh", "edinburgh" },
  { "Amsterdam", "amsterdam" },
  { "Rotterdam", "rotterdam" },
  { "Zürich", "zurich" },
  { "Geneva", "geneva" },
  { "Vienna", "vienna" },
  { "Madrid", "madrid" },
  { "Barcelona", "barcelona" },
  { "Milan", "milan" },
  { "Rome", "rome" },
  { "Dublin", "dublin" },
  { "Brussels", "brussels" },
  { "Lisbon", "lisbon" },
  { "Prague", "prague" },
  { "Warsaw", "warsaw" },
};

/* One word each, ASCII: the UPN is the lower-case name. */
static const char * const room_names[] = {
  "Fjord", "Aurora", "Birch", "Granite", "Harbour", "Lighthouse", "Meadow", "Summit",
  "Glacier", "Lagoon", "Maple", "Pine", "Cedar", "Willow", "Heron", "Falcon",
  "Otter", "Lynx", "Orchid", "Saffron", "Amber", "Cobalt", "Indigo", "Juniper",
  "Lantern", "Compass", "Atlas", "Beacon", "Canyon", "Delta", "Ember", "Tundra",
  "Archipelago", "Boulevard", "Cathedral", "Dune", "Estuary", "Forum", "Gallery", "Horizon",
  "Island", "Jetty", "Kiln", "Library", "Market", "Nordlys", "Observatory", "Pier",
  "Quarry", "Riverside", "Skyline", "Terrace", "Upland", "Valley", "Wharf", "Zenith",
};

static const char * const licenses[] = {
  "Teams Rooms Pro",
  "Teams Rooms Pro",
  "Teams Rooms Pro",
  "Teams Rooms Basic",
};

static const char * const issue_codes[] = {
  TESSERA_READINESS_ISSUE_PASSWORD_EXPIRES,
  TESSERA_READINESS_ISSUE_CALENDAR_PROCESSING,
  TESSERA_READINESS_ISSUE_ACCOUNT_DISABLED,
  TESSERA_READINESS_ISSUE_MAILBOX_MISSING,
};

/*
 * SplitMix64 (Steele, Lea, Flood 2014): a few multiplications per number, well mixed even from
 * neighbouring seeds, so each account and site can have a stream of its own. Demo data only;
 * nothing secret ever comes from here.
 */
typedef struct {
  guint64 state;
} Prng;

static void
prng_init (Prng    *prng,
           guint64  stream)
{
  prng->state = DEMO_SEED ^ (stream * G_GUINT64_CONSTANT (0xd1342543de82ef95));
}

static guint64
prng_next (Prng *prng)
{
  guint64 z = (prng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* A number below @bound (multiply-shift; the bias is far below anything a demo shows). */
static guint
prng_below (Prng  *prng,
            guint  bound)
{
  return (guint) (((prng_next (prng) >> 32) * bound) >> 32);
}

typedef struct {
  guint rooms_per_floor;
  guint floors_per_building;
  guint first_floor;
} SiteLayout;

static SiteLayout
site_layout (guint site)
{
  SiteLayout layout;
  Prng prng;

  prng_init (&prng, G_GUINT64_CONSTANT (1) << 40 | site);
  layout.rooms_per_floor = 4 + prng_below (&prng, 9);      /* 4..12 */
  layout.floors_per_building = 3 + prng_below (&prng, 10); /* 3..12 */
  layout.first_floor = 1 + prng_below (&prng, 2);          /* 1 or 2 */
  return layout;
}

static char *
building_label (guint building)
{
  /* The first building has no letter, as people say "Oslo 4.12"; then B, C, … Z, B26, … */
  if (building == 0)
    return NULL;
  if (building < 26)
    return g_strdup_printf ("%c", 'A' + building);
  return g_strdup_printf ("B%u", building);
}

static TesseraAccount *
make_account (guint index)
{
  guint n_sites = G_N_ELEMENTS (sites);
  const Site *site = &sites[index % n_sites];
  SiteLayout layout = site_layout (index % n_sites);
  guint k = index / n_sites;
  guint room = k % layout.rooms_per_floor + 1;
  guint floor_number = (k / layout.rooms_per_floor) % layout.floors_per_building +
                       layout.first_floor;
  guint building = k / (layout.rooms_per_floor * layout.floors_per_building);
  g_autofree char *label = building_label (building);
  g_autofree char *label_slug = label ? g_ascii_strdown (label, -1) : NULL;
  g_autofree char *name_slug = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *upn = NULL;
  const char *room_name;
  const char *license = NULL;
  const char *issues[3] = { NULL, };
  guint roll;
  Prng prng;

  prng_init (&prng, index);
  room_name = room_names[prng_below (&prng, G_N_ELEMENTS (room_names))];
  name_slug = g_ascii_strdown (room_name, -1);

  if (label != NULL)
    {
      display_name = g_strdup_printf ("%s %s %u.%02u %s", site->name, label, floor_number, room,
                                      room_name);
      upn = g_strdup_printf ("%s-%s-%u.%02u-%s@rooms.example.org", site->slug, label_slug,
                             floor_number, room, name_slug);
    }
  else
    {
      display_name = g_strdup_printf ("%s %u.%02u %s", site->name, floor_number, room, room_name);
      upn = g_strdup_printf ("%s-%u.%02u-%s@rooms.example.org", site->slug, floor_number, room,
                             name_slug);
    }

  /* ~70 % ready, ~20 % change settings (one or two issues), ~10 % no valid licence. */
  roll = prng_below (&prng, 100);
  if (roll < 90)
    license = licenses[prng_below (&prng, G_N_ELEMENTS (licenses))];
  if (roll >= 70 && roll < 90)
    {
      guint first = prng_below (&prng, G_N_ELEMENTS (issue_codes));

      issues[0] = issue_codes[first];
      if (prng_below (&prng, 3) == 0)
        issues[1] = issue_codes[(first + 1 + prng_below (&prng, G_N_ELEMENTS (issue_codes) - 1)) %
                                G_N_ELEMENTS (issue_codes)];
    }

  return tessera_account_new (NULL, display_name, upn, site->name, license, issues);
}

GPtrArray *
tessera_demo_data_generate_accounts (guint n_accounts)
{
  GPtrArray *accounts;

  g_return_val_if_fail (n_accounts <= TESSERA_DEMO_DATA_MAX_ACCOUNTS, NULL);

  accounts = g_ptr_array_new_full (n_accounts, g_object_unref);
  for (guint i = 0; i < n_accounts; i++)
    g_ptr_array_add (accounts, make_account (i));
  return accounts;
}

gboolean
tessera_store_generate_demo_data (TesseraStore  *self,
                                  guint          n_accounts,
                                  GError       **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *detail = NULL;
  guint n_added = 0;
  guint n_updated = 0;

  g_return_val_if_fail (TESSERA_IS_STORE (self), FALSE);

  if (n_accounts == 0 || n_accounts > TESSERA_DEMO_DATA_MAX_ACCOUNTS)
    {
      g_set_error (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID,
                   "The number of demo accounts must be from 1 to %d",
                   TESSERA_DEMO_DATA_MAX_ACCOUNTS);
      return FALSE;
    }

  accounts = tessera_demo_data_generate_accounts (n_accounts);

  /* One transaction: 100 000 accounts in a few seconds, and all of them or none. */
  if (!_tessera_store_begin (self, error))
    return FALSE;

  if (!_tessera_store_import_locked (self, accounts, &n_added, &n_updated, error))
    goto fail;

  detail = g_strdup_printf ("%u demo accounts: %u added, %u updated", n_accounts, n_added,
                            n_updated);
  if (!_tessera_store_audit_locked (self, TESSERA_STORE_ACTOR_SYSTEM, "demo_data_generated",
                                    NULL, NULL, detail, error))
    goto fail;

  return _tessera_store_commit (self, error);

fail:
  _tessera_store_rollback (self);
  return FALSE;
}

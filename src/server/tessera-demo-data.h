/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * Demo resource accounts that look real: rooms in offices across Europe ("Oslo 4.12 Fjord",
 * oslo-4.12-fjord@rooms.example.org), Teams Rooms licences, about 70 % ready, 20 % needing
 * settings changed (with one or two concrete issues) and 10 % without a valid licence.
 *
 * The output depends only on the index of each account, never on the clock or the run: the
 * first N accounts of any larger set are the same N accounts, and UPNs are unique for any
 * count up to TESSERA_DEMO_DATA_MAX_ACCOUNTS. Demo users are made by the CLI, not here.
 */

#define TESSERA_DEMO_DATA_MAX_ACCOUNTS 1000000

/* Returns @n_accounts TesseraAccount objects without ids (the store assigns them). */
GPtrArray *tessera_demo_data_generate_accounts (guint n_accounts);

G_END_DECLS

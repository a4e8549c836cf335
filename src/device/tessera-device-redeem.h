/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of `tessera-device redeem` (documented in --help). */
typedef enum {
  TESSERA_DEVICE_EXIT_APPROVED = 0,  /* also: redeemed without --wait */
  TESSERA_DEVICE_EXIT_ERROR    = 1,
  TESSERA_DEVICE_EXIT_REJECTED = 2,
  TESSERA_DEVICE_EXIT_EXPIRED  = 3,
} TesseraDeviceExit;

/* Runs `redeem` with its own arguments (argv[0] is "redeem"); returns the exit status. */
int tessera_device_redeem_main (int    argc,
                                char **argv);

G_END_DECLS

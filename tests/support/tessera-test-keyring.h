/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A gnome-keyring-daemon of a test's own, on the session bus of the test process (a GTestDBus
 * of its own, so that locking it touches no other test), for the locked-keyring tests.
 */

/* Starts the daemon with its files under @dir, unlocked (password "test"), without a display
 * (so an unlock prompt fails, as when nobody answers it); returns once it serves. */
GSubprocess *tessera_test_keyring_start              (const char *dir);
/* The object path of the default collection */
char        *tessera_test_keyring_default_collection (void);
void         tessera_test_keyring_lock               (const char *collection);
gboolean     tessera_test_keyring_is_locked          (const char *collection);
/* Stops @daemon and removes @dir (NULL: keeps the files, for a daemon started again) */
void         tessera_test_keyring_stop               (GSubprocess *daemon,
                                                      const char  *dir);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * A region whose allocations LeakSanitizer does not report, for a leak of a system library
 * that a test must provoke. Narrower than a suppression: a suppression matches any stack with
 * the library in it, which would also hide our own leaks in callbacks the library calls.
 *
 * The one use: libsecret 0.20.5 (Debian 12) leaks a GPtrArray in secret-paths.c (between
 * secret_service_get_secret_for_dbus_path and _secret_service_xlock_paths_async, the unlock
 * path) whenever an unlock prompt fails, i.e. every time it meets a locked keyring that
 * nobody unlocks. The keyring tests make exactly that happen.
 */
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#define TESSERA_TEST_LSAN_IGNORE_BEGIN() __lsan_disable ()
#define TESSERA_TEST_LSAN_IGNORE_END() __lsan_enable ()
#else
#define TESSERA_TEST_LSAN_IGNORE_BEGIN() ((void) 0)
#define TESSERA_TEST_LSAN_IGNORE_END() ((void) 0)
#endif

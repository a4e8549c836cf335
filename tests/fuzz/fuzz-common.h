/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What every fuzz target of tests/fuzz shares. A target defines LLVMFuzzerTestOneInput() (and
 * may define LLVMFuzzerInitialize()); it is linked either with libFuzzer (-Dfuzzing=true, clang)
 * or with fuzz-replay.c, which feeds it the files of its seed corpus so that every seed — and
 * every crash kept as a regression seed — runs in the ordinary `meson test` too.
 *
 * A finding is an abort(): a sanitizer report, a failed g_assert, or a GLib warning or
 * critical, which fuzz_init() makes fatal (a g_return_if_fail in our code is a bug too).
 */

int  LLVMFuzzerTestOneInput (const guint8  *data,
                             size_t         size);
int  LLVMFuzzerInitialize   (int           *argc,
                             char        ***argv);

/* Once per process: quiet logs below warnings, fatal warnings and criticals. */
void fuzz_init              (void);

/*
 * Installs @check, called with every log message (any level) before it is printed or
 * dropped; it aborts to report a finding (the server target looks for secrets in logs).
 */
typedef void (*FuzzLogCheck) (GLogLevelFlags  level,
                              const char     *message,
                              gpointer        user_data);
void fuzz_set_log_check     (FuzzLogCheck   check,
                             gpointer       user_data);

/* Reports a finding with a message and aborts, whatever the build (g_assert may be off). */
#define fuzz_check(expr, ...) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      fuzz_fail (__FILE__, __LINE__, #expr, __VA_ARGS__); \
  } G_STMT_END

G_NORETURN void fuzz_fail   (const char    *file,
                             int            line,
                             const char    *expr,
                             const char    *format,
                             ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS

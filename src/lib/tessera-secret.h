/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Secrets (OTP codes, tokens, passwords) are wiped before their memory goes back to the
 * allocator, with a write the compiler may not optimise away (DESIGN §6).
 */

/* Overwrites @length bytes at @data with zeros; @data may be NULL when @length is 0. */
void  tessera_secret_wipe   (gpointer    data,
                             gsize       length);
/* Wipes a NUL-terminated string and frees it; NULL is fine. */
void  tessera_secret_free   (char       *secret);
/* tessera_secret_free() on *@secret, then sets it to NULL. */
void  tessera_secret_clear  (char      **secret);
/* g_strdup() for secrets, spelled out so that every copy of a secret is easy to find. */
char *tessera_secret_dup    (const char *secret);

G_END_DECLS

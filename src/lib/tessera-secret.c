/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-secret"

#include "config.h"

#include <string.h>

#include "tessera-secret.h"

/*
 * A plain memset() before free() is dead code to an optimiser. glibc's explicit_bzero() is
 * guaranteed to stay; elsewhere a call through a volatile function pointer does the same.
 */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 25))
# define HAVE_EXPLICIT_BZERO 1
#else
static void *(*const volatile memset_no_elide) (void *, int, size_t) = memset;
#endif

void
tessera_secret_wipe (gpointer data,
                     gsize    length)
{
  if (data == NULL || length == 0)
    return;

#ifdef HAVE_EXPLICIT_BZERO
  explicit_bzero (data, length);
#else
  memset_no_elide (data, 0, length);
#endif
}

void
tessera_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  tessera_secret_wipe (secret, strlen (secret));
  g_free (secret);
}

void
tessera_secret_clear (char **secret)
{
  g_return_if_fail (secret != NULL);

  tessera_secret_free (g_steal_pointer (secret));
}

char *
tessera_secret_dup (const char *secret)
{
  return g_strdup (secret);
}

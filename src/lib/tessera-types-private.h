/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * Field setters shared by the domain types: each returns TRUE when the value changed, so a
 * caller notifies only then (a list row redraws only for real changes).
 */

static inline gboolean
_tessera_set_string (char       **field,
                     const char  *value)
{
  char *old = *field;

  if (g_strcmp0 (old, value) == 0)
    return FALSE;

  *field = g_strdup (value);
  g_free (old);
  return TRUE;
}

static inline gboolean
_tessera_set_secret (char       **field,
                     const char  *value)
{
  char *old = *field;

  if (g_strcmp0 (old, value) == 0)
    return FALSE;

  *field = tessera_secret_dup (value);
  tessera_secret_free (old);
  return TRUE;
}

static inline gboolean
_tessera_set_datetime (GDateTime **field,
                       GDateTime  *value)
{
  GDateTime *old = *field;

  if (old == value || (old != NULL && value != NULL && g_date_time_equal (old, value)))
    return FALSE;

  *field = value != NULL ? g_date_time_ref (value) : NULL;
  if (old != NULL)
    g_date_time_unref (old);
  return TRUE;
}

/* Takes ownership of @value (as decoders do with the GDateTime they parsed). */
static inline void
_tessera_take_datetime (GDateTime **field,
                        GDateTime  *value)
{
  if (*field != NULL)
    g_date_time_unref (*field);
  *field = value;
}

G_END_DECLS

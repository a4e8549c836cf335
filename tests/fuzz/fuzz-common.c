/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"

static FuzzLogCheck log_check;
static gpointer     log_check_data;

void
fuzz_fail (const char *file,
           int         line,
           const char *expr,
           const char *format,
           ...)
{
  va_list args;

  fprintf (stderr, "FUZZ FINDING at %s:%d: %s: ", file, line, expr);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  abort ();
}

static GLogWriterOutput
write_log (GLogLevelFlags   level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  const char *message = NULL;
  const char *domain = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        message = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
        domain = fields[i].value;
    }

  if (log_check != NULL)
    log_check (level, message != NULL ? message : "", log_check_data);

  /* Info and debug (the server's access log, say) would only slow the fuzzer down. */
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return G_LOG_WRITER_HANDLED;

  fprintf (stderr, "FUZZ FINDING: a %s from %s: %s\n",
           (level & G_LOG_LEVEL_WARNING) ? "warning" : "critical",
           domain != NULL ? domain : "?", message != NULL ? message : "");
  abort ();
}

void
fuzz_set_log_check (FuzzLogCheck check,
                    gpointer     user_data)
{
  log_check = check;
  log_check_data = user_data;
}

void
fuzz_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_log_set_writer_func (write_log, NULL, NULL);
      g_once_init_leave (&initialized, 1);
    }
}

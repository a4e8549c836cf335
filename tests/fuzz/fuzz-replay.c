/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A main() for the fuzz targets without libFuzzer: runs the target once on every file of the
 * directories (or files) given, in name order, and prints one TAP line per input. Built with
 * the ordinary compiler, so the seed corpora and the crash regressions of tests/fuzz run in
 * every `meson test` (suite unit), under the sanitizer build and under valgrind too.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = NULL;

      if (name[0] == '.')
        continue;
      child = g_build_filename (path, name, NULL);
      collect (child, files);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s CORPUS-DIR-OR-FILE…\n", argv[0]);
      return 2;
    }

  LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    collect (argv[i], files);
  g_ptr_array_sort (files, compare_names);

  /* An empty corpus would make this test prove nothing. */
  if (files->len == 0)
    {
      printf ("Bail out! no inputs in the corpus\n");
      return 1;
    }

  printf ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      g_autofree guint8 *copy = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          printf ("not ok %u %s # %s\n", i + 1, path, error->message);
          return 1;
        }

      /* An exact-size copy, so that the sanitizers see a read past the end of the input. */
      copy = g_malloc (MAX (length, 1));
      memcpy (copy, contents, length);
      fflush (stdout);
      LLVMFuzzerTestOneInput (copy, length);
      printf ("ok %u %s\n", i + 1, path);
      fflush (stdout);
    }

  return 0;
}

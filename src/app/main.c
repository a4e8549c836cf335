/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TesseraApplication) app = NULL;
  /* Translations from elsewhere, such as a build directory (TESSERA_LOCALEDIR=_build/po),
   * so that translators and the tests see them without installing */
  const char *localedir = g_getenv ("TESSERA_LOCALEDIR");

  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = tessera_application_new (APPLICATION_ID);
  return g_application_run (G_APPLICATION (app), argc, argv);
}

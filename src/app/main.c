/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "tessera-application.h"

/*
 * TESSERA_REPORT_FIRST_FRAME=1 makes the app print one line on stdout when its first window
 * has painted its first frame:
 *
 *   tessera: first frame at 123456789 µs
 *
 * (g_get_monotonic_time(), the clock every process of the machine shares), so that a
 * benchmark that starts the real program (tests/bench/bench-app-startup.c) can tell how long
 * it took from exec to a frame on screen. Nothing else changes; unset, nothing is printed.
 */

static void
on_first_after_paint (GdkFrameClock *clock,
                      gpointer       user_data)
{
  printf ("tessera: first frame at %" G_GINT64_FORMAT " µs\n", g_get_monotonic_time ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, on_first_after_paint, user_data);
}

static void
on_window_realized (GtkWidget *window,
                    gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_first_after_paint), NULL);
  g_signal_handlers_disconnect_by_func (window, on_window_realized, user_data);
}

static void
on_window_added (GtkApplication *application,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  g_signal_connect (window, "realize", G_CALLBACK (on_window_realized), NULL);
  g_signal_handlers_disconnect_by_func (application, on_window_added, user_data);
}

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
  if (g_strcmp0 (g_getenv ("TESSERA_REPORT_FIRST_FRAME"), "1") == 0)
    g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}

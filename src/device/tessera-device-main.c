/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-device"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gprintf.h>

#include "tessera-device-redeem.h"

/*
 * tessera-device: the console side of Tessera as a command-line program (DESIGN §1.2, §1.4).
 * One subcommand for now; each lives in its own file.
 */

static void
print_usage (FILE *stream)
{
  g_fprintf (stream, "%s\n\n%s\n  %-8s %s\n\n%s\n",
             _("Usage: tessera-device COMMAND [OPTION…]"),
             _("Commands:"),
             "redeem", _("Redeem a one-time password and wait for an admin's decision"),
             _("Run “tessera-device COMMAND --help” for the options of a command."));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("tessera-device");

  if (argc < 2)
    {
      print_usage (stderr);
      return TESSERA_DEVICE_EXIT_ERROR;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return 0;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("tessera-device %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_str_equal (argv[1], "redeem"))
    return tessera_device_redeem_main (argc - 1, argv + 1);

  g_printerr (_("tessera-device: unknown command “%s”\n"), argv[1]);
  print_usage (stderr);

  return TESSERA_DEVICE_EXIT_ERROR;
}

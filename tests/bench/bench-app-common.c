/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-bench"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-app-common.h"

const BenchAppRenderer bench_app_renderers[2] = {
  { "gl", NULL, "" },
  { "cairo", "cairo", "_cairo" },
};

/* ------------------------------------------------------------------------------------------
 * Parent
 * ------------------------------------------------------------------------------------------ */

GHashTable *
bench_app_run_child (BenchServer            *server,
                     const char             *mode,
                     const BenchAppRenderer *renderer)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) argv = NULL;
  const char *wrapper = g_getenv ("TESSERA_BENCH_CHILD_WRAPPER");
  GHashTable *results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  if (renderer->gsk_renderer != NULL)
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer->gsk_renderer, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GSK_RENDERER");
  /* For profiling: TESSERA_BENCH_CHILD_WRAPPER="perf record -g -o app.data --", say */
  if (wrapper != NULL && *wrapper != '\0')
    {
      g_auto(GStrv) words = NULL;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      if (!g_shell_parse_argv (wrapper, NULL, &words, &error))
        g_error ("TESSERA_BENCH_CHILD_WRAPPER: %s", error->message);
      g_strv_builder_addv (builder, (const char **) words);
      g_strv_builder_add_many (builder, self_path, "--child", mode, NULL);
      argv = g_strv_builder_end (builder);
    }
  else
    {
      argv = g_strdupv ((char *[]) { self_path, (char *) "--child", (char *) mode, NULL });
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);

  input = g_strdup_printf ("%s\n%s\n%s\n%u\n", bench_server_get_url (server),
                           bench_server_get_username (server), bench_server_get_password (server),
                           bench_template_n_accounts ());
  if (!g_subprocess_communicate_utf8 (process, input, NULL, &out, NULL, &error))
    g_error ("--child %s: %s", mode, error->message);
  memset (input, 0, strlen (input));
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("--child %s (%s) failed; it printed:\n%s", mode, renderer->name, out);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", 3);
      double *value;

      if (g_strv_length (fields) != 3 || !g_str_equal (fields[0], "result"))
        {
          if (lines[i][0] != '\0')
            bench_say ("  child: %s", lines[i]);
          continue;
        }
      value = g_new (double, 1);
      *value = g_ascii_strtod (fields[2], NULL);
      g_hash_table_insert (results, g_strdup (fields[1]), value);
    }
  return results;
}

double
bench_app_result_get (GHashTable *results,
                      const char *key)
{
  double *value = g_hash_table_lookup (results, key);

  if (value == NULL)
    g_error ("the child printed no result %s", key);
  return *value;
}

/* ------------------------------------------------------------------------------------------
 * Child
 * ------------------------------------------------------------------------------------------ */

static char *
read_line (void)
{
  char line[1024];

  if (fgets (line, sizeof line, stdin) == NULL)
    g_error ("--child reads the URL, user name, password and count from stdin");
  g_strchomp (line);
  return g_strdup (line);
}

BenchAppChild *
bench_app_child_new (void)
{
  BenchAppChild *child = g_new0 (BenchAppChild, 1);
  g_autofree char *count = NULL;

  gtk_init ();
  adw_init ();

  child->url = read_line ();
  child->username = read_line ();
  child->password = read_line ();
  count = read_line ();
  child->n_accounts = (guint) g_ascii_strtoull (count, NULL, 10);
  g_assert_cmpuint (child->n_accounts, >, 0);
  return child;
}

void
bench_app_child_free (BenchAppChild *child)
{
  if (child == NULL)
    return;
  memset (child->password, 0, strlen (child->password));
  g_free (child->password);
  g_free (child->username);
  g_free (child->url);
  g_free (child);
}

void
bench_app_child_result (const char *key,
                        double      value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (text, sizeof text, "%.6g", value);
  printf ("result %s %s\n", key, text);
  fflush (stdout);
}

const char *
bench_app_renderer_name (GtkWidget *window)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  return renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none";
}

static guint n_frames;
static gint64 last_frame_time;

static void
on_after_paint (GdkFrameClock *clock)
{
  n_frames++;
  last_frame_time = g_get_monotonic_time ();
}

void
bench_app_count_frames (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
}

guint
bench_app_frames (void)
{
  return n_frames;
}

gint64
bench_app_last_frame_time (void)
{
  return last_frame_time;
}

void
bench_app_wait_frame (GtkWidget *window)
{
  guint before = n_frames;

  gtk_widget_queue_draw (window);
  ui_test_wait_until (n_frames > before);
}

#define STALL_TICK_MSEC 4

static guint stall_source;
static gint64 stall_last;
static gint64 stall_max;

static gboolean
on_stall_tick (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  stall_max = MAX (stall_max, now - stall_last);
  stall_last = now;
  return G_SOURCE_CONTINUE;
}

void
bench_app_stall_monitor_start (void)
{
  g_assert (stall_source == 0);
  stall_max = 0;
  stall_last = g_get_monotonic_time ();
  stall_source = g_timeout_add (STALL_TICK_MSEC, on_stall_tick, NULL);
}

double
bench_app_stall_monitor_stop (void)
{
  on_stall_tick (NULL);
  g_clear_handle_id (&stall_source, g_source_remove);
  /* The tick's own period is not a stall */
  return MAX (0, stall_max - STALL_TICK_MSEC * 1000) / 1000.0;
}

static gboolean
on_settled (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
bench_app_settle (guint msec)
{
  gboolean settled = FALSE;

  g_timeout_add (msec, on_settled, &settled);
  while (!settled)
    g_main_context_iteration (NULL, TRUE);
}

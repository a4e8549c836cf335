/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tessera-test-db.h"
#include "test-ui-generate-common.h"

void
gen_fixture_start_on_port (GenFixture *fixture,
                           guint       n_accounts,
                           guint16     port)
{
  TesseraTestServerOptions options = { .demo_accounts = n_accounts };
  g_autofree char *listen = NULL;
  const char *serve_args[3] = { NULL };

  if (port != 0)
    {
      listen = g_strdup_printf ("127.0.0.1:%u", port);
      serve_args[0] = "--listen";
      serve_args[1] = listen;
      options.serve_args = serve_args;
    }

  fixture->server = tessera_test_server_new (&options);
  fixture->admin = test_client_new_signed_in (fixture->server, TESSERA_TEST_ADMIN);

  ui_test_reset_settings ();
  fixture->window = ui_test_window_new ();
  tessera_window_start (fixture->window, NULL, NULL);
  fixture->page = ui_test_sign_in_and_load (fixture->window, fixture->server, TESSERA_TEST_ADMIN);
}

void
gen_fixture_start (GenFixture *fixture,
                   guint       n_accounts)
{
  gen_fixture_start_on_port (fixture, n_accounts, 0);
}

void
gen_fixture_stop (GenFixture *fixture)
{
  ui_test_window_close (fixture->window);
  g_clear_object (&fixture->admin);
  g_clear_pointer (&fixture->server, tessera_test_server_free);
}

static TesseraGenerateWindow *
find_assistant (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (TESSERA_IS_GENERATE_WINDOW (window))
        return TESSERA_GENERATE_WINDOW (window);
    }

  return NULL;
}

TesseraGenerateWindow *
gen_open (TesseraAccountsPage *page)
{
  TesseraGenerateWindow *assistant;

  g_assert_null (find_assistant ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "accounts.generate-otp", NULL));
  assistant = find_assistant ();
  g_assert_nonnull (assistant);
  ui_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (assistant)));

  return assistant;
}

AdwMessageDialog *
gen_find_dialog (TesseraGenerateWindow *assistant)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (assistant) &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

void
gen_press (AdwMessageDialog *dialog,
           const char       *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

void
gen_close (TesseraGenerateWindow *assistant)
{
  GtkWindow *gone = GTK_WINDOW (assistant);
  AdwMessageDialog *dialog;

  g_object_add_weak_pointer (G_OBJECT (assistant), (gpointer *) &gone);
  gtk_window_close (GTK_WINDOW (assistant));
  ui_test_drain ();

  dialog = gone != NULL ? gen_find_dialog (assistant) : NULL;
  if (dialog != NULL)
    gen_press (dialog, "_Close");

  ui_test_wait_until (gone == NULL);
}

gpointer
gen_part (TesseraGenerateWindow *assistant,
          TesseraGeneratePart    part)
{
  return _tessera_generate_window_get_part (assistant, part);
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), name) == 0)
        return child;
      if ((found = find_actionable (child, name)) != NULL)
        return found;
    }

  return NULL;
}

/* What a person sees: the button that points at the action is sensitive or not */
gboolean
gen_action_enabled (TesseraGenerateWindow *assistant,
                    const char            *action)
{
  g_autofree char *name = g_strconcat ("generate.", action, NULL);
  GtkWidget *button = find_actionable (GTK_WIDGET (assistant), name);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

void
gen_activate (TesseraGenerateWindow *assistant,
              const char            *action)
{
  g_autofree char *name = g_strconcat ("generate.", action, NULL);

  g_assert_true (gen_action_enabled (assistant, action));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), name, NULL));
}

const char *
gen_title (TesseraGenerateWindow *assistant)
{
  return adw_window_title_get_title (gen_part (assistant, TESSERA_GENERATE_PART_WINDOW_TITLE));
}

void
gen_search (TesseraGenerateWindow *assistant,
            const char            *text)
{
  GtkEditable *entry = gen_part (assistant, TESSERA_GENERATE_PART_SEARCH_ENTRY);
  TesseraAccountsModel *model = tessera_generate_window_get_accounts (assistant);

  gtk_editable_set_text (entry, text);
  /* The entry waits for typing to pause before it searches */
  ui_test_wait_until (g_strcmp0 (tessera_accounts_model_get_query (model), text) == 0);
  ui_test_drain ();
}

static TesseraGenerateAccountRow *
find_row_in (GtkWidget      *widget,
             TesseraAccount *account)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      TesseraGenerateAccountRow *row;

      if (TESSERA_IS_GENERATE_ACCOUNT_ROW (child))
        {
          if (tessera_generate_account_row_get_account (TESSERA_GENERATE_ACCOUNT_ROW (child)) ==
              account && gtk_widget_get_mapped (child))
            return TESSERA_GENERATE_ACCOUNT_ROW (child);
          continue;
        }
      if ((row = find_row_in (child, account)) != NULL)
        return row;
    }

  return NULL;
}

TesseraGenerateAccountRow *
gen_find_row (TesseraGenerateWindow *assistant,
              TesseraAccount        *account)
{
  return find_row_in (gen_part (assistant, TESSERA_GENERATE_PART_ACCOUNT_LIST), account);
}

gboolean
gen_click_check (TesseraGenerateWindow *assistant,
                 TesseraAccount        *account)
{
  TesseraGenerateAccountRow *row;
  GtkCheckButton *check;

  gen_search (assistant, tessera_account_get_upn (account));
  ui_test_wait_until (gen_find_row (assistant, account) != NULL);
  row = gen_find_row (assistant, account);
  check = tessera_generate_account_row_get_check_button (row);

  /* What a click does to a check button, insensitive or not */
  gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
  ui_test_drain ();

  return gtk_check_button_get_active (check);
}

void
gen_wait_results (TesseraGenerateWindow *assistant)
{
  ui_test_wait_until (!_tessera_generate_window_is_generating (assistant));
  ui_test_drain ();
}

void
gen_generate_from_selection (TesseraGenerateWindow *assistant)
{
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_SELECTION);
  gen_activate (assistant, "next");
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_CONFIGURATION);
  gen_activate (assistant, "next");
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_REVIEW);
  gen_activate (assistant, "generate");
  g_assert_cmpint (tessera_generate_window_get_page (assistant), ==,
                   TESSERA_GENERATE_PAGE_RESULTS);
  gen_wait_results (assistant);
}

static void
collect_result_rows (GtkWidget *widget,
                     GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (TESSERA_IS_GENERATE_RESULT_ROW (child))
        {
          if (gtk_widget_get_mapped (child) &&
              tessera_generate_result_row_get_result (TESSERA_GENERATE_RESULT_ROW (child)))
            g_ptr_array_add (rows, child);
          continue;
        }
      collect_result_rows (child, rows);
    }
}

GPtrArray *
gen_result_rows (TesseraGenerateWindow *assistant)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect_result_rows (gen_part (assistant, TESSERA_GENERATE_PART_RESULTS_LIST), rows);
  return rows;
}

TesseraAccount *
gen_account (TesseraGenerateWindow *assistant,
             const char            *id)
{
  TesseraAccount *account =
    tessera_accounts_model_lookup (tessera_generate_window_get_accounts (assistant), id);

  g_assert_nonnull (account);
  return account;
}

GPtrArray *
gen_server_accounts (GenFixture       *fixture,
                     TesseraReadiness  readiness,
                     gboolean          fresh,
                     guint             n)
{
  TesseraAccountQuery query = {
    .readiness_mask = 1u << readiness,
    .provisioning_mask = fresh ? 1u << TESSERA_PROVISIONING_NOT_STARTED : 0,
  };
  GPtrArray *accounts = test_client_list_all_accounts (fixture->admin, &query, 1000);

  g_assert_cmpuint (accounts->len, >=, n);
  g_ptr_array_set_size (accounts, n);
  return accounts;
}

gint64
gen_db_count (GenFixture *fixture,
              const char *sql_format,
              ...)
{
  g_autofree char *sql = NULL;
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, sql_format);
  sql = g_strdup_vprintf (sql_format, args);
  va_end (args);

  text = tessera_test_db_query_text (tessera_test_server_get_db_path (fixture->server), sql);
  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

struct _GenDevice {
  GSubprocess  *process;
  GAsyncResult *result;
};

static void
on_device_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GenDevice *device = user_data;

  device->result = g_object_ref (result);
}

GenDevice *
gen_device_start (GenFixture         *fixture,
                  const char         *code,
                  const char * const *extra)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *input = g_strconcat (code, "\n", NULL);
  GenDevice *device = g_new0 (GenDevice, 1);
  const char *path = g_getenv ("TESSERA_DEVICE_PATH");

  g_assert_nonnull (path);
  g_strv_builder_add_many (builder, path, "redeem",
                           "--server", tessera_test_server_get_url (fixture->server),
                           "--make", "Contoso", "--model", "Room Console 9",
                           "--serial", "SN-UI-GENERATE", NULL);
  if (extra != NULL)
    g_strv_builder_addv (builder, (const char **) extra);
  g_strv_builder_add (builder, "-");
  argv = g_strv_builder_end (builder);

  device->process = tessera_test_spawnv ((const char * const *) argv,
                                         G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                         G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                         G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                         &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (device->process, input, NULL, on_device_done, device);

  return device;
}

int
gen_device_finish (GenDevice  *device,
                   char      **out,
                   char      **err)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  int status;

  ui_test_wait_until (device->result != NULL);
  g_subprocess_communicate_utf8_finish (device->process, device->result, &stdout_text,
                                        &stderr_text, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (device->process));
  status = g_subprocess_get_exit_status (device->process);

  g_clear_object (&device->process);
  g_clear_object (&device->result);
  g_free (device);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return status;
}

int
gen_device_redeem (GenFixture  *fixture,
                   const char  *code,
                   char       **out,
                   char       **err)
{
  return gen_device_finish (gen_device_start (fixture, code, NULL), out, err);
}

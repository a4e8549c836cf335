/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-generate-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tessera-account-text.h"
#include "tessera-generate-result-row.h"
#include "tessera-generate-window-private.h"
#include "tessera-otp-code.h"
#include "tessera-otp-print.h"

/*
 * Page 4, Results. The selected accounts go to the server in parts of at most
 * TESSERA_GENERATE_BATCH_SIZE (the server's limit), one POST /api/v1/otp-batches after the
 * other, each with an Idempotency-Key of its own that a retry of that part reuses: a part the
 * server answered but whose answer was lost comes back as 409 batch_exists instead of being
 * issued twice.
 *
 * The codes (and the passwords the server returns in generate mode) are secrets: they live in
 * the TesseraOtpResult objects of `results`, which wipe them when finalized, and in the
 * clipboard, files and print-outs the admin asks for. Nothing here logs them.
 */

#define TESSERA_GENERATE_BATCH_SIZE 1000

static void send_next_batch (TesseraGenerateWindow *self);

static void
batch_free (TesseraGenerateBatch *batch)
{
  g_strfreev (batch->account_ids);
  g_free (batch->idempotency_key);
  g_free (batch);
}

gboolean
_tessera_generate_window_needs_confirmation (TesseraGenerateWindow *self)
{
  return self->generating || (self->n_issued > 0 && !self->codes_kept);
}

guint
_tessera_generate_window_get_n_saved (TesseraGenerateWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_GENERATE_WINDOW (self), 0);

  return self->n_saved;
}

static void
update_results_actions (TesseraGenerateWindow *self)
{
  gboolean have_codes = !self->generating && self->n_issued > 0;
  gboolean failed = gtk_widget_get_visible (self->results_error_box) ||
                    g_strcmp0 (gtk_stack_get_visible_child_name (self->results_stack),
                               "error") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.copy-all", have_codes);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.save", have_codes);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.print", have_codes);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.retry",
                                 !self->generating && failed);
}

static void
update_progress (TesseraGenerateWindow *self)
{
  g_autofree char *done = tessera_format_count (self->n_sent);
  g_autofree char *total = tessera_format_count (self->pending->len);
  g_autofree char *text = NULL;

  /* TRANSLATORS: "Generating… 2 000 of 5 000" */
  text = g_strdup_printf (_("Generating… %s of %s"), done, total);
  gtk_label_set_label (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 self->pending->len > 0
                                   ? (double) self->n_sent / self->pending->len : 0.0);
}

static void
update_summary (TesseraGenerateWindow *self)
{
  guint n_results = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  guint n_refused = n_results - self->n_issued;
  g_autofree char *issued = tessera_format_count (self->n_issued);
  g_autofree char *refused = tessera_format_count (n_refused);
  g_autofree char *text = NULL;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s one-time password generated",
                                       "%s one-time passwords generated", self->n_issued),
                          issued);
  if (n_refused > 0)
    {
      char *with_refused;

      /* TRANSLATORS: "5 one-time passwords generated · 1 refused" */
      with_refused = g_strdup_printf (_("%s · %s refused"), text, refused);
      g_free (text);
      text = with_refused;
    }
  gtk_label_set_label (self->results_summary_label, text);
}

static void
finish (TesseraGenerateWindow *self)
{
  self->generating = FALSE;
  gtk_stack_set_visible_child_name (self->results_stack, "list");
  gtk_widget_set_visible (GTK_WIDGET (self->include_passwords_check), self->passwords_returned);
  update_summary (self);
  update_results_actions (self);
  gtk_widget_grab_focus (self->done_button);
}

static void
fail (TesseraGenerateWindow *self,
      const GError          *error)
{
  g_autofree char *message = _tessera_generate_window_describe_error (self, error);

  self->generating = FALSE;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->results)) == 0)
    {
      adw_status_page_set_description (self->results_error_page, message);
      gtk_stack_set_visible_child_name (self->results_stack, "error");
    }
  else
    {
      g_autofree char *remaining = tessera_format_count (self->pending->len - self->n_sent);
      g_autofree char *text =
        /* TRANSLATORS: "1 000 accounts got no one-time password yet: Cannot reach …" */
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%s account got no one-time password yet: %s",
                                      "%s accounts got no one-time password yet: %s",
                                      self->pending->len - self->n_sent),
                         remaining, message);

      gtk_label_set_label (self->results_error_label, text);
      gtk_widget_set_visible (self->results_error_box, TRUE);
      gtk_stack_set_visible_child_name (self->results_stack, "list");
      update_summary (self);
    }

  update_results_actions (self);
}

static void
add_results (TesseraGenerateWindow *self,
             GPtrArray             *results)
{
  for (guint i = 0; i < results->len; i++)
    {
      TesseraOtpResult *result = g_ptr_array_index (results, i);

      if (tessera_otp_result_get_status (result) == TESSERA_OTP_RESULT_ISSUED)
        self->n_issued++;
      if (tessera_otp_result_get_password (result) != NULL)
        self->passwords_returned = TRUE;
    }
  g_list_store_splice (self->results, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       0, results->pdata, results->len);
}

/* A part the server had issued before (its answer never arrived): the codes are gone */
static void
add_lost (TesseraGenerateWindow *self,
          TesseraGenerateBatch  *batch)
{
  g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; batch->account_ids[i] != NULL; i++)
    g_ptr_array_add (lost, tessera_otp_result_new_refused (batch->account_ids[i], "codes_lost",
                                                           NULL));
  add_results (self, lost);
}

static TesseraGenerateBatch *
next_batch (TesseraGenerateWindow *self)
{
  for (guint i = 0; i < self->batches->len; i++)
    {
      TesseraGenerateBatch *batch = g_ptr_array_index (self->batches, i);

      if (!batch->done)
        return batch;
    }
  return NULL;
}

typedef struct {
  TesseraGenerateWindow *window;
  TesseraGenerateBatch  *batch;
} Sent;

static void
on_batch_generated (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autofree Sent *sent = user_data;
  g_autoptr(TesseraGenerateWindow) self = sent->window;
  TesseraGenerateBatch *batch = sent->batch;
  g_autoptr(TesseraOtpBatch) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = tessera_client_generate_batch_finish (TESSERA_CLIENT (source), result, &error);
  if (_tessera_generate_window_is_closed (self))
    return;

  if (answer == NULL &&
      g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_CONFLICT) &&
      g_strcmp0 (tessera_client_error_get_problem_code (error), "batch_exists") == 0)
    {
      add_lost (self, batch);
    }
  else if (answer == NULL)
    {
      fail (self, error);
      return;
    }
  else
    {
      add_results (self, tessera_otp_batch_get_results (answer));
    }

  batch->done = TRUE;
  self->n_sent += g_strv_length (batch->account_ids);
  update_progress (self);
  send_next_batch (self);
}

static TesseraBatchSpec *
make_spec (TesseraGenerateWindow *self,
           TesseraGenerateBatch  *batch)
{
  TesseraBatchSpec *spec = tessera_batch_spec_new ();

  spec->account_ids = g_strdupv (batch->account_ids);
  spec->validity_hours = self->validity_hours;

  if (!self->password_mode_provided)
    {
      spec->password_mode = TESSERA_PASSWORD_MODE_GENERATE;
      /* So that they can go into the CSV file for the people who set up the rooms */
      spec->return_passwords = TRUE;
      return spec;
    }

  /* Only this part's rows: the server refuses sign-in data for accounts outside the batch */
  spec->password_mode = TESSERA_PASSWORD_MODE_PROVIDED;
  spec->sign_in_data = g_ptr_array_new_with_free_func ((GDestroyNotify) tessera_sign_in_free);
  for (guint i = 0; batch->account_ids[i] != NULL; i++)
    {
      TesseraAccount *account = tessera_accounts_model_lookup (self->accounts,
                                                               batch->account_ids[i]);
      const char *password = account != NULL && self->sign_in_csv != NULL
                               ? tessera_sign_in_csv_get_password (self->sign_in_csv, account)
                               : NULL;

      if (password != NULL)
        g_ptr_array_add (spec->sign_in_data,
                         tessera_sign_in_new (tessera_account_get_upn (account), password));
    }

  return spec;
}

static void
send_next_batch (TesseraGenerateWindow *self)
{
  TesseraGenerateBatch *batch = next_batch (self);
  g_autoptr(TesseraBatchSpec) spec = NULL;
  Sent *sent;

  if (batch == NULL)
    {
      finish (self);
      return;
    }

  spec = make_spec (self, batch);
  sent = g_new0 (Sent, 1);
  sent->window = g_object_ref (self);
  sent->batch = batch;
  tessera_client_generate_batch_async (self->client, spec, batch->idempotency_key,
                                       self->cancellable, on_batch_generated, sent);
}

void
_tessera_generate_window_generate (TesseraGenerateWindow *self)
{
  g_return_if_fail (!self->generating && self->pending == NULL);

  self->pending = _tessera_generate_window_get_selected (self);
  self->password_mode_provided = _tessera_generate_window_get_upload (self);
  self->validity_hours = _tessera_generate_window_get_validity (self);

  for (guint start = 0; start < self->pending->len; start += TESSERA_GENERATE_BATCH_SIZE)
    {
      TesseraGenerateBatch *batch = g_new0 (TesseraGenerateBatch, 1);
      guint n = MIN (TESSERA_GENERATE_BATCH_SIZE, self->pending->len - start);

      batch->account_ids = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        batch->account_ids[i] =
          g_strdup (tessera_account_get_id (g_ptr_array_index (self->pending, start + i)));
      batch->idempotency_key = tessera_client_new_idempotency_key ();
      g_ptr_array_add (self->batches, batch);
    }

  self->generating = TRUE;
  gtk_stack_set_visible_child_name (self->results_stack, "progress");
  update_progress (self);
  update_results_actions (self);
  send_next_batch (self);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (widget);

  if (self->generating || next_batch (self) == NULL)
    return;

  self->generating = TRUE;
  gtk_widget_set_visible (self->results_error_box, FALSE);
  gtk_stack_set_visible_child_name (self->results_stack, "progress");
  update_progress (self);
  update_results_actions (self);
  send_next_batch (self);
}

/* Handing the codes out */

/* At most what a field takes in the file: every quote doubled, quotes and a guard around */
static gsize
field_bound (const char *value)
{
  return (value != NULL ? 2 * strlen (value) : 0) + 4;
}

/*
 * A buffer that never has to grow: growing would copy the secrets into memory that goes back
 * to the heap unwiped. @per_row is added to each issued result's own bound.
 */
static GString *
secret_string_new (TesseraGenerateWindow *self,
                   gsize                  per_row)
{
  GListModel *results = G_LIST_MODEL (self->results);
  gsize size = 256;

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(TesseraOtpResult) result = g_list_model_get_item (results, i);
      TesseraAccount *account = tessera_accounts_model_lookup (
        self->accounts, tessera_otp_result_get_account_id (result));

      size += per_row + TESSERA_OTP_CODE_FORMATTED_LENGTH +
              field_bound (tessera_otp_result_get_password (result));
      if (account != NULL)
        size += field_bound (tessera_account_get_display_name (account)) +
                field_bound (tessera_account_get_upn (account)) +
                field_bound (tessera_account_get_site (account));
    }

  return g_string_sized_new (size);
}

static void
note_copied (TesseraGenerateWindow *self,
             TesseraOtpResult      *result)
{
  g_hash_table_add (self->copied, result);
  /* Copied one by one, every code: as good as Copy All */
  if (g_hash_table_size (self->copied) >= self->n_issued)
    self->codes_kept = TRUE;
}

static void
on_row_copy (TesseraGenerateResultRow *row,
             TesseraGenerateWindow    *self)
{
  TesseraOtpResult *result = tessera_generate_result_row_get_result (row);
  TesseraAccount *account;
  char *formatted;
  g_autofree char *toast = NULL;

  if (result == NULL || tessera_otp_result_get_code (result) == NULL)
    return;

  formatted = tessera_otp_code_format (tessera_otp_result_get_code (result));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), formatted);
  tessera_secret_free (formatted);
  note_copied (self, result);

  account = tessera_accounts_model_lookup (self->accounts,
                                           tessera_otp_result_get_account_id (result));
  /* TRANSLATORS: a toast: "Copied the one-time password for Oslo 4.12 Fjord" */
  toast = g_strdup_printf (_("Copied the one-time password for %s"),
                           account != NULL ? tessera_account_get_display_name (account)
                                           : tessera_otp_result_get_account_id (result));
  _tessera_generate_window_add_toast (self, toast);
}

static void
copy_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (widget);
  GListModel *results = G_LIST_MODEL (self->results);
  GString *text = secret_string_new (self, 128);
  g_autofree char *count = tessera_format_count (self->n_issued);
  g_autofree char *toast = NULL;

  /* One line per room: "Oslo 4.12 Fjord (oslo-4.12@example.org): 7KQF-…, expires …" */
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(TesseraOtpResult) result = g_list_model_get_item (results, i);
      TesseraAccount *account;
      g_autofree char *expiry = NULL;
      char *formatted;

      if (tessera_otp_result_get_code (result) == NULL)
        continue;

      account = tessera_accounts_model_lookup (self->accounts,
                                               tessera_otp_result_get_account_id (result));
      formatted = tessera_otp_code_format (tessera_otp_result_get_code (result));
      expiry = tessera_otp_result_get_expires_at (result) != NULL
                 ? tessera_otp_print_format_expiry (tessera_otp_result_get_expires_at (result))
                 : g_strdup ("");
      /* TRANSLATORS: one line of Copy All: name (UPN): code, expires date */
      g_string_append_printf (text, _("%s (%s): %s, expires %s\n"),
                              account != NULL ? tessera_account_get_display_name (account) : "",
                              account != NULL ? tessera_account_get_upn (account) : "",
                              formatted, expiry);
      tessera_secret_free (formatted);
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
  tessera_secret_wipe (text->str, text->allocated_len);
  g_string_free (text, TRUE);
  self->codes_kept = TRUE;

  toast = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Copied %s one-time password",
                                        "Copied %s one-time passwords", self->n_issued),
                           count);
  _tessera_generate_window_add_toast (self, toast);
}

/* A field for a spreadsheet: quoted when needed, and text from the directory never read as a
 * formula (OWASP "CSV injection"); codes, times and passwords go as they are */
static void
append_field (GString    *csv,
              const char *value,
              gboolean    neutralize)
{
  gboolean quote;

  if (value == NULL)
    value = "";

  quote = strpbrk (value, ",\"\r\n") != NULL || g_ascii_isspace (value[0]);
  if (neutralize && value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL)
    {
      quote = TRUE;
      g_string_append (csv, "\"'");
    }
  else if (quote)
    {
      g_string_append_c (csv, '"');
    }

  if (!quote)
    {
      g_string_append (csv, value);
      return;
    }

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static GBytes *
make_csv (TesseraGenerateWindow *self,
          gboolean               include_passwords)
{
  GListModel *results = G_LIST_MODEL (self->results);
  GString *csv = secret_string_new (self, 128);
  char *data;
  gsize length;

  g_string_append (csv, include_passwords
                          ? "display_name,upn,site,otp,expires_at,password\r\n"
                          : "display_name,upn,site,otp,expires_at\r\n");

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(TesseraOtpResult) result = g_list_model_get_item (results, i);
      GDateTime *expires_at = tessera_otp_result_get_expires_at (result);
      g_autofree char *expires = NULL;
      TesseraAccount *account;
      char *formatted;

      if (tessera_otp_result_get_code (result) == NULL)
        continue;

      account = tessera_accounts_model_lookup (self->accounts,
                                               tessera_otp_result_get_account_id (result));
      formatted = tessera_otp_code_format (tessera_otp_result_get_code (result));
      expires = expires_at != NULL ? tessera_datetime_format (expires_at) : NULL;

      append_field (csv, account != NULL ? tessera_account_get_display_name (account) : NULL,
                    TRUE);
      g_string_append_c (csv, ',');
      append_field (csv, account != NULL ? tessera_account_get_upn (account) : NULL, TRUE);
      g_string_append_c (csv, ',');
      append_field (csv, account != NULL ? tessera_account_get_site (account) : NULL, TRUE);
      g_string_append_c (csv, ',');
      append_field (csv, formatted, FALSE);
      g_string_append_c (csv, ',');
      append_field (csv, expires, FALSE);
      if (include_passwords)
        {
          g_string_append_c (csv, ',');
          append_field (csv, tessera_otp_result_get_password (result), FALSE);
        }
      g_string_append (csv, "\r\n");
      tessera_secret_free (formatted);
    }

  /* The buffer is handed over whole, so only one copy of the secrets exists, wiped at the end */
  length = csv->len;
  data = g_string_free (csv, FALSE);
  return g_bytes_new_with_free_func (data, length, (GDestroyNotify) tessera_secret_free, data);
}

typedef struct {
  TesseraGenerateWindow *window;
  char                  *name;
} Save;

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Save *save = user_data;
  g_autoptr(TesseraGenerateWindow) self = save->window;
  g_autofree char *name = save->name;
  g_autoptr(GError) error = NULL;
  g_autofree char *toast = NULL;

  g_free (save);

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (_tessera_generate_window_is_closed (self))
        return;
      /* TRANSLATORS: a toast: "Could not save otps.csv: Permission denied" */
      toast = g_strdup_printf (_("Could not save %s: %s"), name, error->message);
    }
  else
    {
      if (_tessera_generate_window_is_closed (self))
        return;
      self->codes_kept = TRUE;
      toast = g_strdup_printf (_("Saved %s"), name);
    }

  self->n_saved++;
  _tessera_generate_window_add_toast (self, toast);
}

void
_tessera_generate_window_save_csv (TesseraGenerateWindow *self,
                                   GFile                 *file,
                                   gboolean               include_passwords)
{
  g_autoptr(GBytes) contents = NULL;
  Save *save;

  g_return_if_fail (TESSERA_IS_GENERATE_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  contents = make_csv (self, include_passwords && self->passwords_returned);

  save = g_new0 (Save, 1);
  save->window = g_object_ref (self);
  save->name = g_file_get_basename (file);
  /* Written beside the target and renamed over it, readable by the admin only */
  g_file_replace_contents_bytes_async (file, contents, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, on_saved, save);
}

static void
on_save_chosen (GtkNativeDialog       *chooser,
                int                    response,
                TesseraGenerateWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        _tessera_generate_window_save_csv (
          self, file, gtk_check_button_get_active (self->include_passwords_check));
    }

  g_object_unref (chooser);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save One-Time Passwords"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* TRANSLATORS: the suggested file name; keep it a valid file name */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("one-time-passwords.csv"));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_save_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               TesseraGenerateWindow   *self)
{
  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    self->codes_kept = TRUE;
  else if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *toast = NULL;

      gtk_print_operation_get_error (operation, &error);
      toast = g_strdup_printf (_("Could not print: %s"),
                               error != NULL ? error->message : _("unknown error"));
      _tessera_generate_window_add_toast (self, toast);
    }
}

static TesseraOtpPrint *
make_print (TesseraGenerateWindow *self)
{
  GListModel *results = G_LIST_MODEL (self->results);
  TesseraOtpPrint *operation = tessera_otp_print_new ();

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(TesseraOtpResult) result = g_list_model_get_item (results, i);
      GDateTime *expires_at = tessera_otp_result_get_expires_at (result);
      g_autofree char *expires = NULL;
      TesseraAccount *account;
      char *formatted;

      if (tessera_otp_result_get_code (result) == NULL)
        continue;

      account = tessera_accounts_model_lookup (self->accounts,
                                               tessera_otp_result_get_account_id (result));
      formatted = tessera_otp_code_format (tessera_otp_result_get_code (result));
      expires = expires_at != NULL ? tessera_otp_print_format_expiry (expires_at) : NULL;
      tessera_otp_print_add_card (operation,
                                  account != NULL ? tessera_account_get_display_name (account)
                                                  : tessera_otp_result_get_account_id (result),
                                  account != NULL ? tessera_account_get_site (account) : NULL,
                                  account != NULL ? tessera_account_get_upn (account) : NULL,
                                  formatted, expires);
      tessera_secret_free (formatted);
    }

  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done), self, 0);
  return operation;
}

gboolean
_tessera_generate_window_print (TesseraGenerateWindow  *self,
                                const char             *export_filename,
                                GError                **error)
{
  g_autoptr(TesseraOtpPrint) operation = NULL;
  GtkPrintOperationResult result;

  g_return_val_if_fail (TESSERA_IS_GENERATE_WINDOW (self), FALSE);
  g_return_val_if_fail (export_filename != NULL, FALSE);

  operation = make_print (self);
  gtk_print_operation_set_export_filename (GTK_PRINT_OPERATION (operation), export_filename);
  result = gtk_print_operation_run (GTK_PRINT_OPERATION (operation),
                                    GTK_PRINT_OPERATION_ACTION_EXPORT, GTK_WINDOW (self), error);

  return result == GTK_PRINT_OPERATION_RESULT_APPLY;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TesseraGenerateWindow *self = TESSERA_GENERATE_WINDOW (widget);
  g_autoptr(TesseraOtpPrint) operation = make_print (self);
  g_autoptr(GError) error = NULL;

  /* Asynchronous where the platform allows it; "done" reports the outcome either way */
  gtk_print_operation_set_allow_async (GTK_PRINT_OPERATION (operation), TRUE);
  if (gtk_print_operation_run (GTK_PRINT_OPERATION (operation),
                               GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, GTK_WINDOW (self),
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *toast = g_strdup_printf (_("Could not print: %s"), error->message);

      _tessera_generate_window_add_toast (self, toast);
    }
}

/* The list */

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          TesseraGenerateWindow    *self)
{
  GtkWidget *row = tessera_generate_result_row_new ();

  gtk_list_item_set_child (item, row);
  gtk_list_item_set_activatable (item, FALSE);
  g_signal_connect (row, "copy", G_CALLBACK (on_row_copy), self);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         TesseraGenerateWindow    *self)
{
  TesseraOtpResult *result = gtk_list_item_get_item (item);
  TesseraAccount *account = tessera_accounts_model_lookup (
    self->accounts, tessera_otp_result_get_account_id (result));

  tessera_generate_result_row_set_result (
    TESSERA_GENERATE_RESULT_ROW (gtk_list_item_get_child (item)), result, account);
}

static void
on_unbind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           TesseraGenerateWindow    *self)
{
  tessera_generate_result_row_set_result (
    TESSERA_GENERATE_RESULT_ROW (gtk_list_item_get_child (item)), NULL, NULL);
}

void
_tessera_generate_window_results_init (TesseraGenerateWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSelectionModel) selection = NULL;

  self->results = g_list_store_new (TESSERA_TYPE_OTP_RESULT);
  self->batches = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_free);
  self->copied = g_hash_table_new (NULL, NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), self);
  gtk_list_view_set_factory (self->results_list, factory);
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (
                                                                         self->results))));
  gtk_list_view_set_model (self->results_list, selection);

  update_results_actions (self);
}

void
_tessera_generate_window_results_dispose (TesseraGenerateWindow *self)
{
  if (self->results_list != NULL)
    gtk_list_view_set_model (self->results_list, NULL);
  g_clear_pointer (&self->copied, g_hash_table_unref);
  /* The results wipe their codes and passwords as they go */
  if (self->results != NULL)
    g_list_store_remove_all (self->results);
  g_clear_object (&self->results);
  g_clear_pointer (&self->batches, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
}

void
_tessera_generate_window_results_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, results_stack);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, results_list);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow,
                                        results_summary_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, results_error_box);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow,
                                        results_error_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow, results_error_page);
  gtk_widget_class_bind_template_child (widget_class, TesseraGenerateWindow,
                                        include_passwords_check);

  gtk_widget_class_install_action (widget_class, "generate.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "generate.copy-all", NULL, copy_all_action);
  gtk_widget_class_install_action (widget_class, "generate.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "generate.print", NULL, print_action);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tessera-otp-code.h"
#include "test-client-common.h"

/*
 * The whole flow (DESIGN §1) with real parts: a tessera-server, an admin's TesseraClient with
 * its event stream, and `tessera-device redeem --wait` as a real subprocess reading the code
 * from standard input. The admin reacts to the events the way the app does.
 */

static TesseraTestServer *server;

typedef struct {
  GPtrArray *events;
} Recorder;

static void
on_event (TesseraClient *client,
          TesseraEvent  *event,
          Recorder      *recorder)
{
  g_ptr_array_add (recorder->events, g_object_ref (event));
}

static gboolean
is_connected (gpointer data)
{
  return tessera_client_get_connected (data);
}

typedef struct {
  Recorder         *recorder;
  TesseraEventType  type;
  const char       *account_id;
  TesseraEvent     *found;  /* unowned */
} Wanted;

static gboolean
find_event (gpointer data)
{
  Wanted *wanted = data;

  for (guint i = 0; i < wanted->recorder->events->len; i++)
    {
      TesseraEvent *event = g_ptr_array_index (wanted->recorder->events, i);
      const char *account_id = NULL;

      if (tessera_event_get_event_type (event) != wanted->type)
        continue;
      if (tessera_event_get_account (event) != NULL)
        account_id = tessera_account_get_id (tessera_event_get_account (event));
      else if (tessera_event_get_request (event) != NULL)
        account_id = tessera_request_get_account_id (tessera_event_get_request (event));

      if (g_strcmp0 (account_id, wanted->account_id) == 0)
        {
          wanted->found = event;
          return TRUE;
        }
    }

  return FALSE;
}

static TesseraEvent *
wait_for_event (Recorder         *recorder,
                TesseraEventType  type,
                const char       *account_id)
{
  Wanted wanted = { recorder, type, account_id, NULL };
  g_autofree char *what = g_strdup_printf ("a %s event for account %s",
                                           tessera_enum_to_string (TESSERA_TYPE_EVENT_TYPE, type),
                                           account_id);

  test_client_wait_until (find_event, &wanted, what);

  return wanted.found;
}

typedef struct {
  TesseraClient *admin;
  Recorder       recorder;
  char          *account_id;
  char          *upn;
  char          *code;      /* secret */
  char          *password;  /* secret */
} Flow;

/* Signs the admin in, opens the event stream and issues an OTP for one fresh account. */
static void
flow_start (Flow *flow)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(TesseraBatchSpec) spec = tessera_batch_spec_new ();
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(TesseraAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TesseraOtpResult *row;

  flow->admin = test_client_new_signed_in (server, TESSERA_TEST_ADMIN);
  flow->recorder.events = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (flow->admin, "event", G_CALLBACK (on_event), &flow->recorder);
  tessera_client_start_events (flow->admin);
  test_client_wait_until (is_connected, flow->admin, "the admin's event stream is connected");

  ids = test_client_fresh_ready_accounts (flow->admin, 1);
  flow->account_id = g_strdup (g_ptr_array_index (ids, 0));
  spec->account_ids = g_strdupv ((char **) ids->pdata);
  spec->password_mode = TESSERA_PASSWORD_MODE_GENERATE;
  spec->return_passwords = TRUE;

  tessera_client_generate_batch_async (flow->admin, spec, NULL, NULL, test_client_on_done,
                                       &result);
  batch = tessera_client_generate_batch_finish (flow->admin, test_client_wait (&result), &error);
  g_assert_no_error (error);
  row = g_ptr_array_index (tessera_otp_batch_get_results (batch), 0);
  flow->code = tessera_otp_code_format (tessera_otp_result_get_code (row));
  flow->password = g_strdup (tessera_otp_result_get_password (row));
  g_assert_nonnull (flow->password);

  account = test_client_get_account (flow->admin, flow->account_id, &error);
  g_assert_no_error (error);
  flow->upn = g_strdup (tessera_account_get_upn (account));

  /* Generating changed the account: the admin hears of it. */
  wait_for_event (&flow->recorder, TESSERA_EVENT_ACCOUNT_UPDATED, flow->account_id);
}

static void
flow_clear (Flow *flow)
{
  if (flow->admin != NULL)
    tessera_client_stop_events (flow->admin);
  g_clear_object (&flow->admin);
  g_clear_pointer (&flow->recorder.events, g_ptr_array_unref);
  g_clear_pointer (&flow->account_id, g_free);
  g_clear_pointer (&flow->upn, g_free);
  g_clear_pointer (&flow->code, g_free);
  g_clear_pointer (&flow->password, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Flow, flow_clear)

/* tessera-device as a subprocess; its result is collected with device_finish(). */
typedef struct {
  GSubprocess  *process;
  GAsyncResult *result;
  char         *out;
  char         *err;
  int           status;
} Device;

static void
on_device_communicated (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Device *device = user_data;

  device->result = g_object_ref (result);
}

/* @extra: more arguments (NULL-terminated); @stdin_text: fed on stdin (nullable). */
static Device *
device_start_for (TesseraTestServer  *target,
                  const char * const *extra,
                  const char         *stdin_text);

static Device *
device_start (const char * const *extra,
              const char         *stdin_text)
{
  return device_start_for (server, extra, stdin_text);
}

static Device *
device_start_for (TesseraTestServer  *target,
                  const char * const *extra,
                  const char         *stdin_text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  Device *device = g_new0 (Device, 1);
  const char *path = g_getenv ("TESSERA_DEVICE_PATH");

  g_assert_nonnull (path);
  g_strv_builder_add_many (builder, path, "redeem",
                           "--server", tessera_test_server_get_url (target),
                           "--make", "Contoso", "--model", "Room Console 9", NULL);
  g_strv_builder_addv (builder, (const char **) extra);
  argv = g_strv_builder_end (builder);

  device->process = tessera_test_spawnv ((const char * const *) argv,
                                         G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                         G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                         G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                         &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (device->process, stdin_text, NULL,
                                       on_device_communicated, device);

  return device;
}

static void
device_finish (Device *device)
{
  g_autoptr(GError) error = NULL;

  test_client_wait (&device->result);
  g_subprocess_communicate_utf8_finish (device->process, device->result, &device->out,
                                        &device->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (device->process));
  device->status = g_subprocess_get_exit_status (device->process);

  /* The test log must not carry the delivered password either. */
  {
    g_autoptr(GRegex) password_line = g_regex_new ("^Password: .*$", G_REGEX_MULTILINE, 0, NULL);
    g_autofree char *shown = g_regex_replace_literal (password_line, device->out, -1, 0,
                                                      "Password: [redacted]", 0, NULL);

    g_test_message ("tessera-device exited %d\nstdout:\n%s\nstderr:\n%s",
                    device->status, shown, device->err);
  }
}

static void
device_free (Device *device)
{
  g_clear_object (&device->process);
  g_clear_object (&device->result);
  g_free (device->out);
  g_free (device->err);
  g_free (device);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Device, device_free)

static char *
stdin_line (const char *code)
{
  return g_strconcat (code, "\n", NULL);
}

/* Neither output may carry the code, in any spelling. */
static void
assert_code_not_printed (Device     *device,
                         const char *formatted_code)
{
  char normalized[TESSERA_OTP_CODE_LENGTH + 1];

  g_assert_true (tessera_otp_code_normalize (formatted_code, normalized, NULL));
  g_assert_null (strstr (device->out, formatted_code));
  g_assert_null (strstr (device->err, formatted_code));
  g_assert_null (strstr (device->out, normalized));
  g_assert_null (strstr (device->err, normalized));
}

static void
run_approval (gboolean show_password)
{
  g_auto(Flow) flow = { 0 };
  g_autoptr(Device) device = NULL;
  g_autoptr(TesseraRequest) approved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *expected_name = NULL;
  g_autofree char *expected_password = NULL;
  TesseraEvent *created, *updated;
  TesseraRequest *request;
  const char *args_show[] = { "--wait", "--poll-interval", "0.2", "--serial", "SN-E2E-A",
                              "--show-password", "-", NULL };
  const char *args_plain[] = { "--wait", "--poll-interval", "0.2", "--serial", "SN-E2E-A",
                               "-", NULL };

  flow_start (&flow);
  input = stdin_line (flow.code);
  device = device_start (show_password ? args_show : args_plain, input);

  /* The console redeemed: a request appears, with the device's details. */
  created = wait_for_event (&flow.recorder, TESSERA_EVENT_REQUEST_CREATED, flow.account_id);
  request = tessera_event_get_request (created);
  g_assert_cmpstr (tessera_request_get_device_serial_number (request), ==, "SN-E2E-A");
  g_assert_cmpstr (tessera_request_get_device_make (request), ==, "Contoso");
  g_assert_cmpint (tessera_request_get_state (request), ==, TESSERA_REQUEST_PENDING);

  approved = test_client_resolve (flow.admin, tessera_request_get_id (request),
                                  TESSERA_DECISION_APPROVE, TESSERA_REJECTION_NONE, NULL, &error);
  g_assert_no_error (error);

  updated = wait_for_event (&flow.recorder, TESSERA_EVENT_REQUEST_UPDATED, flow.account_id);
  g_assert_cmpstr (tessera_request_get_resolved_by (tessera_event_get_request (updated)), ==,
                   TESSERA_TEST_ADMIN);

  device_finish (device);
  g_assert_cmpint (device->status, ==, 0);
  expected_name = g_strdup_printf ("Sign-in name: %s\n", flow.upn);
  g_assert_nonnull (strstr (device->out, expected_name));
  expected_password = g_strdup_printf ("Password: %s\n", flow.password);
  if (show_password)
    g_assert_nonnull (strstr (device->out, expected_password));
  else
    g_assert_null (strstr (device->out, flow.password));
  g_assert_null (strstr (device->err, flow.password));
  assert_code_not_printed (device, flow.code);
}

static void
test_approved_device_prints_the_sign_in_name (void)
{
  run_approval (FALSE);
}

static void
test_show_password_prints_the_delivered_password (void)
{
  run_approval (TRUE);
}

static void
test_rejected_device_exits_2_with_the_reason (void)
{
  g_auto(Flow) flow = { 0 };
  g_autoptr(Device) device = NULL;
  g_autoptr(TesseraRequest) rejected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  TesseraEvent *created, *updated;
  const char *args[] = { "--wait", "--poll-interval", "0.2", "--serial", "SN-E2E-R", "-", NULL };

  flow_start (&flow);
  input = stdin_line (flow.code);
  device = device_start (args, input);

  created = wait_for_event (&flow.recorder, TESSERA_EVENT_REQUEST_CREATED, flow.account_id);
  rejected = test_client_resolve (flow.admin,
                                  tessera_request_get_id (tessera_event_get_request (created)),
                                  TESSERA_DECISION_REJECT, TESSERA_REJECTION_WRONG_ROOM,
                                  "This console belongs in room 4.12", &error);
  g_assert_no_error (error);

  updated = wait_for_event (&flow.recorder, TESSERA_EVENT_REQUEST_UPDATED, flow.account_id);
  g_assert_cmpint (tessera_request_get_state (tessera_event_get_request (updated)), ==,
                   TESSERA_REQUEST_REJECTED);

  device_finish (device);
  g_assert_cmpint (device->status, ==, 2);
  g_assert_nonnull (strstr (device->out, "Rejected: the code was meant for a different room."));
  g_assert_nonnull (strstr (device->out, "Comment: This console belongs in room 4.12"));
  g_assert_null (strstr (device->out, "Sign-in name"));
  g_assert_null (strstr (device->out, flow.password));
  assert_code_not_printed (device, flow.code);
}

static void
test_reused_code_is_invalid (void)
{
  g_auto(Flow) flow = { 0 };
  g_autoptr(Device) first = NULL;
  g_autoptr(Device) second = NULL;
  g_autofree char *input = NULL;
  const char *args[] = { "--serial", "SN-E2E-U", "-", NULL };
  const char *argv_args[] = { "--serial", "SN-E2E-U2", NULL, NULL };

  flow_start (&flow);
  input = stdin_line (flow.code);

  /* Without --wait: redeemed, pending, exit 0. */
  first = device_start (args, input);
  wait_for_event (&flow.recorder, TESSERA_EVENT_REQUEST_CREATED, flow.account_id);
  device_finish (first);
  g_assert_cmpint (first->status, ==, 0);
  g_assert_nonnull (strstr (first->out, "The code was accepted."));

  /* The same code again, this time from the command line: refused by the server. */
  argv_args[2] = flow.code;
  second = device_start (argv_args, NULL);
  device_finish (second);
  g_assert_cmpint (second->status, ==, 1);
  g_assert_nonnull (strstr (second->err, "The code is not valid: the server does not know it"));
  assert_code_not_printed (second, flow.code);
}

static guint
count_redemptions_in_server_log (void)
{
  g_autofree char *log = tessera_test_server_get_log_contents (server);
  guint count = 0;

  for (const char *p = log; (p = strstr (p, "POST /api/v1/device/redemptions")) != NULL; p++)
    count++;

  return count;
}

static gboolean
server_logged_more_redemptions (gpointer data)
{
  return count_redemptions_in_server_log () > *(guint *) data;
}

static void
test_typo_is_caught_before_the_server (void)
{
  g_autoptr(Device) device = NULL;
  g_autoptr(Device) unknown = NULL;
  char code[TESSERA_OTP_CODE_LENGTH + 1] = "0000000000000000";
  g_autofree char *input = NULL;
  g_autofree char *unknown_input = NULL;
  const char *args[] = { "-", NULL };
  guint redemptions_before;

  /* First, to show the server's log does count attempts: a well-formed unknown code. */
  redemptions_before = count_redemptions_in_server_log ();
  g_assert_true (tessera_otp_code_is_valid (code));
  unknown_input = stdin_line (code);
  unknown = device_start (args, unknown_input);
  device_finish (unknown);
  g_assert_cmpint (unknown->status, ==, 1);
  test_client_wait_until (server_logged_more_redemptions, &redemptions_before,
                          "the server logs the redemption attempt");
  redemptions_before = count_redemptions_in_server_log ();

  /* One character off a valid code: the check character no longer fits. */
  code[3] = '1';
  g_assert_false (tessera_otp_code_is_valid (code));
  input = stdin_line (code);

  device = device_start (args, input);
  device_finish (device);
  g_assert_cmpint (device->status, ==, 1);
  g_assert_nonnull (strstr (device->err, "The code is not valid: check character mismatch — "
                                         "look for a mistyped character"));
  /* A typo costs no rate-limited attempt: the server never saw it. */
  g_assert_cmpuint (count_redemptions_in_server_log (), ==, redemptions_before);
}

static void
test_cacert_trusts_the_server_certificate (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tessera-e2e-tls-XXXXXX", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *fingerprint_out = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *input = stdin_line ("0000-0000-0000-0000");
  g_autoptr(TesseraTestServer) https_server = NULL;
  g_autoptr(Device) refused = NULL;
  g_autoptr(Device) trusted = NULL;
  const char *req_argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    "-keyout", key, "-out", cert, NULL
  };
  const char *fingerprint_argv[] = {
    "openssl", "x509", "-in", cert, "-noout", "-fingerprint", "-sha256", NULL
  };
  const char *serve_args[] = { "--tls-cert", cert, "--tls-key", key, NULL };
  TesseraTestServerOptions options = { .serve_args = serve_args, .https = TRUE };
  const char *plain_args[] = { "-", NULL };
  const char *cacert_args[] = { "--cacert", cert, "-", NULL };

  g_assert_cmpint (tessera_test_run_program (req_argv, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (tessera_test_run_program (fingerprint_argv, NULL, &fingerprint_out, NULL),
                   ==, 0);
  {
    g_autofree char *trimmed = g_strstrip (g_strdup (strchr (fingerprint_out, '=') + 1));
    fingerprint = g_ascii_strup (trimmed, -1);
  }

  https_server = tessera_test_server_new (&options);

  /* Unknown to this computer: refused, with the fingerprint to check and what to do. */
  refused = device_start_for (https_server, plain_args, input);
  device_finish (refused);
  g_assert_cmpint (refused->status, ==, 1);
  g_assert_nonnull (strstr (refused->err, "is not trusted"));
  g_assert_nonnull (strstr (refused->err, fingerprint));
  g_assert_nonnull (strstr (refused->err, "--cacert"));

  /* Trusted for this run: the TLS connection works and the server answers about the code. */
  trusted = device_start_for (https_server, cacert_args, input);
  device_finish (trusted);
  g_assert_cmpint (trusted->status, ==, 1);
  g_assert_nonnull (strstr (trusted->err, "The code is not valid: the server does not know it"));

  g_remove (cert);
  g_remove (key);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  TesseraTestServerOptions options = { .demo_accounts = 40 };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = tessera_test_server_new (&options);

  g_test_add_func ("/e2e/device/approved-device-prints-the-sign-in-name",
                   test_approved_device_prints_the_sign_in_name);
  g_test_add_func ("/e2e/device/show-password-prints-the-delivered-password",
                   test_show_password_prints_the_delivered_password);
  g_test_add_func ("/e2e/device/rejected-device-exits-2-with-the-reason",
                   test_rejected_device_exits_2_with_the_reason);
  g_test_add_func ("/e2e/device/reused-code-is-invalid", test_reused_code_is_invalid);
  g_test_add_func ("/e2e/device/typo-is-caught-before-the-server",
                   test_typo_is_caught_before_the_server);

  g_test_add_func ("/e2e/device/cacert-trusts-the-server-certificate",
                   test_cacert_trusts_the_server_certificate);

  status = g_test_run ();
  tessera_test_server_free (server);

  return status;
}

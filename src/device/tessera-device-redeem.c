/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-device"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "tessera-client.h"
#include "tessera-client-backoff.h"
#include "tessera-otp-code.h"
#include "tessera-device-redeem.h"

/*
 * `tessera-device redeem`: check the code locally (a typo costs no rate-limited attempt),
 * redeem it with this device's make, model and serial number, and with --wait poll until an
 * admin decided. The code, the poll token and the password are secrets: never printed (the
 * password only on request), never logged, wiped after use.
 */

#define DEFAULT_POLL_INTERVAL_SECONDS 5.0
#define MIN_POLL_INTERVAL_SECONDS     0.1
#define POLL_JITTER_PERCENT           20
/* The longest line read for "-" (a code with dashes and spaces is far shorter). */
#define MAX_CODE_INPUT                256

typedef struct {
  GMainLoop            *loop;
  GCancellable         *cancellable;
  TesseraClient        *client;
  TesseraClientBackoff  backoff;

  /* Options */
  gboolean              wait;
  gboolean              show_password;
  guint                 poll_interval_ms;

  /* The redemption */
  char                 *redemption_id;
  char                 *poll_token;        /* secret */
  gint64                expires_at_usec;
  guint                 poll_id;
  gboolean              warned_transient;

  int                   exit_status;
} Redeem;

static void
redeem_clear (Redeem *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->redemption_id, g_free);
  tessera_secret_clear (&self->poll_token);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Redeem, redeem_clear)

static void
redeem_exit (Redeem *self,
             int     status)
{
  self->exit_status = status;
  g_main_loop_quit (self->loop);
}

static void
print_error (const char *message)
{
  g_printerr ("tessera-device: %s\n", message);
}

/* Errors of the client, worded for someone standing at the console. */
static void
report_client_error (const GError *error)
{
  const char *code = tessera_client_error_get_problem_code (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      print_error (_("Cancelled."));
      return;
    }

  if (g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_REQUEST) &&
      g_strcmp0 (code, "invalid_otp") == 0)
    {
      print_error (_("The code is not valid: the server does not know it, or it was already "
                     "used, revoked or has expired. Check the code or ask for a new one."));
      return;
    }

  if (g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_RATE_LIMITED))
    {
      guint seconds = tessera_client_error_get_retry_after (error);
      g_autofree char *message = NULL;

      if (seconds > 0)
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Too many attempts from this address. Wait %u "
                                                "second before trying again.",
                                                "Too many attempts from this address. Wait %u "
                                                "seconds before trying again.",
                                                seconds), seconds);
      else
        message = g_strdup (_("Too many attempts from this address. Wait a while before trying "
                              "again."));
      print_error (message);
      return;
    }

  if (g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TLS))
    {
      GTlsCertificate *certificate = tessera_client_error_get_peer_certificate (error);
      g_autofree char *fingerprint = NULL;

      print_error (error->message);
      if (certificate != NULL)
        {
          fingerprint = tessera_certificate_get_fingerprint (certificate);
          g_printerr (_("Its SHA-256 fingerprint is %s.\n"), fingerprint);
        }
      g_printerr ("%s\n", _("If this is the right server, ask its administrator for the "
                            "certificate (or its CA) and pass it with --cacert FILE."));
      return;
    }

  print_error (error->message);
}

static const char *
describe_rejection (TesseraRejectionReason reason)
{
  switch (reason)
    {
    case TESSERA_REJECTION_UNRECOGNIZED_DEVICE:
      return _("the admin did not recognise this device");
    case TESSERA_REJECTION_WRONG_ROOM:
      return _("the code was meant for a different room");
    case TESSERA_REJECTION_NOT_EXPECTED:
      return _("the admin did not expect a device to be set up now");
    case TESSERA_REJECTION_SECURITY_CONCERN:
      return _("the admin has a security concern");
    case TESSERA_REJECTION_OTHER:
      return _("for another reason");
    case TESSERA_REJECTION_NONE:
    default:
      return _("no reason was given");
    }
}

static void schedule_poll (Redeem *self,
                           guint   delay_ms);

/* Returns TRUE when @redemption ended the wait. */
static gboolean
handle_state (Redeem            *self,
              TesseraRedemption *redemption)
{
  switch (tessera_redemption_get_state (redemption))
    {
    case TESSERA_REQUEST_PENDING:
      return FALSE;

    case TESSERA_REQUEST_APPROVED:
    case TESSERA_REQUEST_COMPLETED:
      if (tessera_redemption_get_sign_in_upn (redemption) != NULL)
        {
          g_print (_("Approved.\n"));
          g_print (_("Sign-in name: %s\n"), tessera_redemption_get_sign_in_upn (redemption));
          if (self->show_password)
            g_print (_("Password: %s\n"), tessera_redemption_get_sign_in_password (redemption));
          else
            g_print ("%s\n", _("The password was received (use --show-password to print it)."));
        }
      else
        {
          g_print ("%s\n", _("Approved, but the sign-in data was already collected by an "
                             "earlier poll."));
        }
      redeem_exit (self, TESSERA_DEVICE_EXIT_APPROVED);
      return TRUE;

    case TESSERA_REQUEST_REJECTED:
      {
        const char *comment = tessera_redemption_get_comment (redemption);

        g_print (_("Rejected: %s.\n"),
                 describe_rejection (tessera_redemption_get_rejection_reason (redemption)));
        if (comment != NULL && comment[0] != '\0')
          g_print (_("Comment: %s\n"), comment);
        redeem_exit (self, TESSERA_DEVICE_EXIT_REJECTED);
        return TRUE;
      }

    case TESSERA_REQUEST_EXPIRED:
      g_print ("%s\n", _("Expired: no admin approved the request in time. Ask for a new code."));
      redeem_exit (self, TESSERA_DEVICE_EXIT_EXPIRED);
      return TRUE;

    default:
      print_error (_("The server reported a state this program does not know."));
      redeem_exit (self, TESSERA_DEVICE_EXIT_ERROR);
      return TRUE;
    }
}

/* Failures a console should sit out: the server may be back before the request expires. */
static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NETWORK) ||
         g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TIMEOUT) ||
         g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_SERVICE_UNAVAILABLE) ||
         g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_SERVER_ERROR);
}

static void
on_poll_finished (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Redeem *self = user_data;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;

  redemption = tessera_client_device_poll_finish (TESSERA_CLIENT (source), result, &error);
  if (redemption != NULL)
    {
      tessera_client_backoff_reset (&self->backoff);
      if (!handle_state (self, redemption))
        schedule_poll (self, tessera_client_backoff_jitter (&self->backoff, self->poll_interval_ms,
                                                            POLL_JITTER_PERCENT));
      return;
    }

  if (g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_GONE))
    {
      g_print ("%s\n", _("Expired: no admin approved the request in time. Ask for a new code."));
      redeem_exit (self, TESSERA_DEVICE_EXIT_EXPIRED);
      return;
    }

  if (g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_RATE_LIMITED))
    {
      guint seconds = MAX (tessera_client_error_get_retry_after (error), 1);

      schedule_poll (self, MAX (seconds * 1000, self->poll_interval_ms));
      return;
    }

  if (is_transient (error) &&
      (self->expires_at_usec == 0 || g_get_real_time () < self->expires_at_usec))
    {
      guint delay = MAX (tessera_client_backoff_next (&self->backoff), self->poll_interval_ms);

      if (!self->warned_transient)
        {
          g_printerr (_("tessera-device: %s Still waiting…\n"), error->message);
          self->warned_transient = TRUE;
        }
      schedule_poll (self, delay);
      return;
    }

  report_client_error (error);
  redeem_exit (self, TESSERA_DEVICE_EXIT_ERROR);
}

static gboolean
on_poll_timeout (gpointer user_data)
{
  Redeem *self = user_data;

  self->poll_id = 0;
  tessera_client_device_poll_async (self->client, self->redemption_id, self->poll_token,
                                    self->cancellable, on_poll_finished, self);

  return G_SOURCE_REMOVE;
}

static void
schedule_poll (Redeem *self,
               guint   delay_ms)
{
  g_assert (self->poll_id == 0);

  self->poll_id = g_timeout_add (delay_ms, on_poll_timeout, self);
}

static void
on_redeem_finished (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Redeem *self = user_data;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;
  GDateTime *expires_at;

  redemption = tessera_client_device_redeem_finish (TESSERA_CLIENT (source), result, &error);
  if (redemption == NULL)
    {
      report_client_error (error);
      redeem_exit (self, TESSERA_DEVICE_EXIT_ERROR);
      return;
    }

  if (tessera_redemption_get_poll_token (redemption) == NULL)
    {
      print_error (_("The server accepted the code but sent no poll token."));
      redeem_exit (self, TESSERA_DEVICE_EXIT_ERROR);
      return;
    }

  self->redemption_id = g_strdup (tessera_redemption_get_id (redemption));
  self->poll_token = tessera_secret_dup (tessera_redemption_get_poll_token (redemption));
  expires_at = tessera_redemption_get_expires_at (redemption);
  if (expires_at != NULL)
    self->expires_at_usec = g_date_time_to_unix (expires_at) * G_USEC_PER_SEC;

  switch (tessera_redemption_get_state (redemption))
    {
    case TESSERA_REQUEST_PENDING:
      g_print ("%s\n", _("The code was accepted. An admin must now approve this device."));
      if (expires_at != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (expires_at);
          g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");

          g_print (_("The request expires at %s.\n"), when);
        }
      if (!self->wait)
        {
          g_print ("%s\n", _("Not waiting for the decision (use --wait to wait)."));
          redeem_exit (self, TESSERA_DEVICE_EXIT_APPROVED);
          return;
        }
      g_print ("%s\n", _("Waiting for the decision…"));
      schedule_poll (self, tessera_client_backoff_jitter (&self->backoff, self->poll_interval_ms,
                                                          POLL_JITTER_PERCENT));
      return;

    case TESSERA_REQUEST_APPROVED:
    case TESSERA_REQUEST_COMPLETED:
      /* Auto-approval: the sign-in data comes with the first poll; fetch it even without --wait. */
      g_print ("%s\n", _("The code was accepted and approved at once."));
      schedule_poll (self, 0);
      return;

    default:
      handle_state (self, redemption);
      return;
    }
}

static gboolean
on_interrupt (gpointer user_data)
{
  Redeem *self = user_data;

  g_cancellable_cancel (self->cancellable);
  print_error (_("Interrupted."));
  redeem_exit (self, TESSERA_DEVICE_EXIT_ERROR);

  return G_SOURCE_CONTINUE;
}

/* Reads one line from standard input without echoing it back anywhere. */
static char *
read_code_from_stdin (GError **error)
{
  char buffer[MAX_CODE_INPUT + 2];
  char *line;
  gsize length;

  line = fgets (buffer, sizeof buffer, stdin);
  if (line == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("No code on standard input."));
      return NULL;
    }

  length = strcspn (buffer, "\r\n");
  buffer[length] = '\0';
  line = tessera_secret_dup (buffer);
  tessera_secret_wipe (buffer, sizeof buffer);

  return line;
}

/* The message for a code that fails the local check; never repeats the code. */
static char *
describe_code_error (const GError *error)
{
  if (g_error_matches (error, TESSERA_OTP_CODE_ERROR, TESSERA_OTP_CODE_ERROR_CHECK_MISMATCH))
    return g_strdup (_("The code is not valid: check character mismatch — look for a mistyped "
                       "character (or two swapped ones)."));
  if (g_error_matches (error, TESSERA_OTP_CODE_ERROR, TESSERA_OTP_CODE_ERROR_WRONG_LENGTH))
    return g_strdup_printf (_("The code is not valid: it must have %d characters (%s)."),
                            TESSERA_OTP_CODE_LENGTH, error->message);
  if (g_error_matches (error, TESSERA_OTP_CODE_ERROR, TESSERA_OTP_CODE_ERROR_EMPTY))
    return g_strdup (_("The code is empty."));

  return g_strdup_printf (_("The code is not valid: %s."), error->message);
}

/* Make, model and serial number from DMI when the caller did not say. */
static char *
read_dmi (const char *name,
          const char *fallback)
{
  g_autofree char *path = g_build_filename ("/sys/class/dmi/id", name, NULL);
  g_autofree char *contents = NULL;

  if (g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_strstrip (contents);
      if (contents[0] != '\0' && g_utf8_validate (contents, -1, NULL) &&
          strlen (contents) <= 128)
        return g_steal_pointer (&contents);
    }

  return g_strdup (fallback);
}

static const char description[] =
  N_("Redeems a one-time password (OTP) for this console and, with --wait, waits until an\n"
     "admin approves or rejects the request.\n"
     "\n"
     "CODE is the 16-character code as printed (dashes and spaces are ignored, I and L read\n"
     "as 1, O as 0). Pass “-” to read it from standard input, which is preferable: arguments\n"
     "are visible to other users of this computer (ps, /proc). The code is checked locally\n"
     "first, so a typo costs no attempt on the server.\n"
     "\n"
     "Exit status:\n"
     "  0  approved (the account's sign-in name is printed), or redeemed without --wait\n"
     "  1  error: invalid code, too many attempts, server unreachable, TLS problem, …\n"
     "  2  rejected (the reason and the admin's comment are printed)\n"
     "  3  expired before an admin decided\n"
     "\n"
     "Example:\n"
     "  echo ABCD-EFGH-JKMN-PQRS |\n"
     "    tessera-device redeem --server https://rooms.example.org --wait -");

int
tessera_device_redeem_main (int    argc,
                            char **argv)
{
  g_auto(Redeem) self = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TesseraDeviceInfo) device = NULL;
  g_autoptr(TesseraRedemptionSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *make = NULL;
  g_autofree char *model = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *cacert = NULL;
  g_autofree char *hostname_fallback = NULL;
  char *input = NULL;
  char normalized[TESSERA_OTP_CODE_LENGTH + 1];
  double poll_interval = DEFAULT_POLL_INTERVAL_SECONDS;
  guint sigint_id, sigterm_id;
  int exit_status;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("Address of the Tessera server (required)"), N_("URL") },
    { "make", 0, 0, G_OPTION_ARG_STRING, &make,
      N_("Make of this device (default: from the firmware)"), N_("MAKE") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model,
      N_("Model of this device (default: from the firmware)"), N_("MODEL") },
    { "serial", 0, 0, G_OPTION_ARG_STRING, &serial,
      N_("Serial number of this device (default: from the firmware)"), N_("SERIAL") },
    { "wait", 'w', 0, G_OPTION_ARG_NONE, &self.wait,
      N_("Wait until an admin approves or rejects the request"), NULL },
    { "cacert", 0, 0, G_OPTION_ARG_FILENAME, &cacert,
      N_("Trust the CA or server certificate in FILE (PEM) for this run"), N_("FILE") },
    { "show-password", 0, 0, G_OPTION_ARG_NONE, &self.show_password,
      N_("Print the account's password after approval (it is a secret)"), NULL },
    { "poll-interval", 0, 0, G_OPTION_ARG_DOUBLE, &poll_interval,
      N_("Seconds between polls while waiting (default 5; jittered)"), N_("SECONDS") },
    { NULL }
  };

  g_set_prgname ("tessera-device redeem");
  context = g_option_context_new (_("--server URL CODE|-"));
  g_option_context_set_summary (context, _("Redeem a one-time password for this console."));
  g_option_context_set_description (context, _(description));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      print_error (error->message);
      return TESSERA_DEVICE_EXIT_ERROR;
    }

  if (argc != 2)
    {
      print_error (argc < 2 ? _("Give the code (or “-” to read it from standard input).")
                            : _("Give exactly one code."));
      return TESSERA_DEVICE_EXIT_ERROR;
    }
  if (server == NULL)
    {
      print_error (_("Give the server's address with --server URL."));
      return TESSERA_DEVICE_EXIT_ERROR;
    }
  if (!(poll_interval >= MIN_POLL_INTERVAL_SECONDS && poll_interval <= 3600))
    {
      print_error (_("--poll-interval must be between 0.1 and 3600 seconds."));
      return TESSERA_DEVICE_EXIT_ERROR;
    }

  /* The code: from stdin for "-", else from argv, which we then blank out of /proc/PID/cmdline. */
  if (g_str_equal (argv[1], "-"))
    {
      input = read_code_from_stdin (&error);
      if (input == NULL)
        {
          print_error (error->message);
          return TESSERA_DEVICE_EXIT_ERROR;
        }
    }
  else
    {
      input = tessera_secret_dup (argv[1]);
      memset (argv[1], 'x', strlen (argv[1]));
    }

  if (!tessera_otp_code_normalize (input, normalized, &error))
    {
      g_autofree char *message = describe_code_error (error);

      tessera_secret_free (input);
      print_error (message);
      return TESSERA_DEVICE_EXIT_ERROR;
    }
  tessera_secret_free (input);

  self.client = tessera_client_new (server, &error);
  if (self.client == NULL)
    {
      tessera_secret_wipe (normalized, sizeof normalized);
      print_error (error->message);
      return TESSERA_DEVICE_EXIT_ERROR;
    }

  if (cacert != NULL)
    {
      g_autofree char *absolute = g_canonicalize_filename (cacert, NULL);
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (absolute, &error);

      if (database == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Cannot use %s as --cacert: %s"),
                                                      cacert, error->message);

          tessera_secret_wipe (normalized, sizeof normalized);
          print_error (message);
          return TESSERA_DEVICE_EXIT_ERROR;
        }
      tessera_client_set_tls_database (self.client, database);
    }

  hostname_fallback = g_strdup (g_get_host_name ());
  if (make == NULL)
    make = read_dmi ("sys_vendor", "Unknown");
  if (model == NULL)
    model = read_dmi ("product_name", "tessera-device");
  if (serial == NULL)
    serial = read_dmi ("product_serial", hostname_fallback);

  device = tessera_device_info_new (make, model, serial);
  spec = tessera_redemption_spec_new (normalized, device);
  tessera_secret_wipe (normalized, sizeof normalized);

  self.poll_interval_ms = (guint) (poll_interval * 1000);
  self.loop = g_main_loop_new (NULL, FALSE);
  self.cancellable = g_cancellable_new ();
  self.exit_status = TESSERA_DEVICE_EXIT_ERROR;
  tessera_client_backoff_init (&self.backoff, MAX (self.poll_interval_ms, 1000), 60 * 1000);

  sigint_id = g_unix_signal_add (SIGINT, on_interrupt, &self);
  sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt, &self);

  tessera_client_device_redeem_async (self.client, spec, self.cancellable,
                                      on_redeem_finished, &self);
  g_clear_pointer (&spec, tessera_redemption_spec_free);

  g_main_loop_run (self.loop);
  exit_status = self.exit_status;

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  /* Let a cancelled call finish before the client goes away. */
  g_clear_handle_id (&self.poll_id, g_source_remove);
  g_cancellable_cancel (self.cancellable);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return exit_status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-request-text"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-request-text.h"

#define MINUTE_USEC (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define HOUR_USEC   (60 * MINUTE_USEC)
#define DAY_USEC    (24 * HOUR_USEC)

/* The server's name for a request the organisation's auto-approval approved */
#define AUTO_APPROVAL_ACTOR "auto-approval"

const char *
tessera_rejection_reason_get_label (TesseraRejectionReason reason)
{
  switch (reason)
    {
    case TESSERA_REJECTION_UNRECOGNIZED_DEVICE:
      return _("Unrecognized device");
    case TESSERA_REJECTION_WRONG_ROOM:
      return _("Wrong room");
    case TESSERA_REJECTION_NOT_EXPECTED:
      return _("Not expected");
    case TESSERA_REJECTION_SECURITY_CONCERN:
      return _("Security concern");
    case TESSERA_REJECTION_OTHER:
      return _("Other");
    case TESSERA_REJECTION_NONE:
    default:
      return NULL;
    }
}

char *
tessera_format_date_time (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (datetime != NULL, NULL);

  local = g_date_time_to_local (datetime);
  /* TRANSLATORS: a date and time as g_date_time_format() writes it: "25 Nov 2026, 14:02" */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
}

char *
tessera_format_moment (GDateTime *datetime,
                       gint64     now_unix_usec)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (datetime != NULL, NULL);

  local = g_date_time_to_local (datetime);
  now = g_date_time_new_from_unix_local (now_unix_usec / G_USEC_PER_SEC);
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* TRANSLATORS: a time of today as g_date_time_format() writes it: "14:05" */
    return g_date_time_format (local, _("%H:%M"));

  return tessera_format_date_time (datetime);
}

/* Rounded to the nearest unit, so "7 hours 50 minutes" reads as "8 hours" */
static char *
format_span (gint64   span_usec,
             gboolean ahead)
{
  guint64 minutes = (span_usec + MINUTE_USEC / 2) / MINUTE_USEC;
  guint64 hours = (span_usec + HOUR_USEC / 2) / HOUR_USEC;
  guint64 days = (span_usec + DAY_USEC / 2) / DAY_USEC;

  if (minutes < 60)
    return g_strdup_printf (ahead
                            /* TRANSLATORS: time ahead: "in 25 minutes" */
                            ? g_dngettext (GETTEXT_PACKAGE, "in %u minute", "in %u minutes",
                                           minutes)
                            /* TRANSLATORS: time past: "25 minutes ago" */
                            : g_dngettext (GETTEXT_PACKAGE, "%u minute ago", "%u minutes ago",
                                           minutes),
                            (guint) minutes);
  if (hours < 48)
    return g_strdup_printf (ahead
                            ? g_dngettext (GETTEXT_PACKAGE, "in %u hour", "in %u hours", hours)
                            : g_dngettext (GETTEXT_PACKAGE, "%u hour ago", "%u hours ago", hours),
                            (guint) hours);

  return g_strdup_printf (ahead
                          ? g_dngettext (GETTEXT_PACKAGE, "in %u day", "in %u days", days)
                          : g_dngettext (GETTEXT_PACKAGE, "%u day ago", "%u days ago", days),
                          (guint) days);
}

char *
tessera_format_relative (gint64 unix_usec,
                         gint64 now_unix_usec)
{
  gint64 span = unix_usec - now_unix_usec;

  if (span > -MINUTE_USEC / 2 && span < MINUTE_USEC / 2)
    /* TRANSLATORS: a moment less than a minute away, before or after */
    return g_strdup (_("now"));

  return span > 0 ? format_span (span, TRUE) : format_span (-span, FALSE);
}

char *
tessera_format_expiration (GDateTime *expires_at,
                           gint64     now_unix_usec)
{
  g_autofree char *when = NULL;
  g_autofree char *relative = NULL;

  g_return_val_if_fail (expires_at != NULL, NULL);

  when = tessera_format_date_time (expires_at);
  relative = tessera_format_relative (tessera_datetime_to_unix_usec (expires_at), now_unix_usec);

  /* TRANSLATORS: "25 Nov 2026, 22:02 (in 7 hours)" */
  return g_strdup_printf (_("%s (%s)"), when, relative);
}

char *
tessera_request_describe_device (TesseraRequest *request)
{
  const char *make, *model, *serial;

  g_return_val_if_fail (TESSERA_IS_REQUEST (request), NULL);

  make = tessera_request_get_device_make (request);
  model = tessera_request_get_device_model (request);
  serial = tessera_request_get_device_serial_number (request);

  /* TRANSLATORS: a device: "%s %s (%s)" is "Contoso Room Console 9 (SN-4711)" — make, model,
   * serial number */
  return g_strdup_printf (_("%s %s (%s)"), make != NULL ? make : "", model != NULL ? model : "",
                          serial != NULL ? serial : "");
}

static char *
describe_resolution (TesseraRequest *request,
                     const char     *me,
                     const char     *when,
                     gboolean        approved)
{
  const char *who = tessera_request_get_resolved_by (request);

  if (g_strcmp0 (who, AUTO_APPROVAL_ACTOR) == 0)
    return g_strdup_printf (_("This request was approved automatically at %s, because OTP "
                              "auto-approval is on."), when);

  if (who != NULL && g_strcmp0 (who, me) == 0)
    return g_strdup_printf (approved ? _("You approved this request at %s.")
                                     : _("You rejected this request at %s."),
                            when);

  if (who == NULL)
    return g_strdup_printf (approved ? _("This request was approved at %s.")
                                     : _("This request was rejected at %s."),
                            when);

  /* TRANSLATORS: "bob approved this request at 14:05."; %s are the admin and the time */
  return g_strdup_printf (approved ? _("%s approved this request at %s.")
                                   : _("%s rejected this request at %s."),
                          who, when);
}

char *
tessera_request_describe_outcome (TesseraRequest *request,
                                  const char     *me,
                                  gint64          now_unix_usec)
{
  GDateTime *resolved_at, *expires_at;
  g_autofree char *when = NULL;
  GString *text;

  g_return_val_if_fail (TESSERA_IS_REQUEST (request), NULL);

  resolved_at = tessera_request_get_resolved_at (request);
  expires_at = tessera_request_get_expires_at (request);

  switch (tessera_request_get_state (request))
    {
    case TESSERA_REQUEST_PENDING:
      return NULL;

    case TESSERA_REQUEST_EXPIRED:
      if (expires_at == NULL)
        return g_strdup (_("This request expired before anyone resolved it. The console cannot "
                           "use this one-time password any more: generate a new one."));
      when = tessera_format_moment (expires_at, now_unix_usec);
      return g_strdup_printf (_("This request expired at %s before anyone resolved it. The "
                                "console cannot use this one-time password any more: generate "
                                "a new one."), when);

    case TESSERA_REQUEST_APPROVED:
    case TESSERA_REQUEST_COMPLETED:
      when = resolved_at != NULL ? tessera_format_moment (resolved_at, now_unix_usec)
                                 : g_strdup (_("an unknown time"));
      return describe_resolution (request, me, when, TRUE);

    case TESSERA_REQUEST_REJECTED:
    default:
      {
        const char *reason = tessera_rejection_reason_get_label (
                               tessera_request_get_rejection_reason (request));
        const char *comment = tessera_request_get_comment (request);
        g_autofree char *resolution = NULL;

        when = resolved_at != NULL ? tessera_format_moment (resolved_at, now_unix_usec)
                                   : g_strdup (_("an unknown time"));
        resolution = describe_resolution (request, me, when, FALSE);
        text = g_string_new (resolution);
        if (reason != NULL)
          {
            g_string_append_c (text, ' ');
            /* TRANSLATORS: follows "bob rejected this request at 14:05." */
            g_string_append_printf (text, _("Reason: %s."), reason);
          }
        /* The other admin's own words, on a line of their own */
        if (comment != NULL && comment[0] != '\0')
          g_string_append_printf (text, "\n%s", comment);
        return g_string_free (text, FALSE);
      }
    }
}

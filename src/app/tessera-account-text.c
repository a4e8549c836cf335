/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-account-text"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-account-text.h"

const char *
tessera_readiness_get_label (TesseraReadiness readiness)
{
  switch (readiness)
    {
    case TESSERA_READINESS_READY:
      return _("Ready");
    case TESSERA_READINESS_CHANGE_SETTINGS:
      return _("Change settings");
    case TESSERA_READINESS_NO_VALID_LICENSE:
      return _("No valid license");
    default:
      return _("Unknown");
    }
}

const char *
tessera_readiness_get_icon_name (TesseraReadiness readiness)
{
  switch (readiness)
    {
    case TESSERA_READINESS_READY:
      return "emblem-ok-symbolic";
    case TESSERA_READINESS_CHANGE_SETTINGS:
      return "dialog-warning-symbolic";
    case TESSERA_READINESS_NO_VALID_LICENSE:
    default:
      return "action-unavailable-symbolic";
    }
}

const char *
tessera_readiness_get_style_class (TesseraReadiness readiness)
{
  switch (readiness)
    {
    case TESSERA_READINESS_READY:
      return "success";
    case TESSERA_READINESS_CHANGE_SETTINGS:
      return "warning";
    case TESSERA_READINESS_NO_VALID_LICENSE:
    default:
      return "error";
    }
}

char *
tessera_readiness_issue_describe (const char *code)
{
  g_autofree char *words = NULL;

  g_return_val_if_fail (code != NULL, NULL);

  if (g_str_equal (code, TESSERA_READINESS_ISSUE_PASSWORD_EXPIRES))
    return g_strdup (_("The password expires"));
  if (g_str_equal (code, TESSERA_READINESS_ISSUE_CALENDAR_PROCESSING))
    return g_strdup (_("Calendar processing is not set up"));
  if (g_str_equal (code, TESSERA_READINESS_ISSUE_ACCOUNT_DISABLED))
    return g_strdup (_("The account is disabled"));
  if (g_str_equal (code, TESSERA_READINESS_ISSUE_MAILBOX_MISSING))
    return g_strdup (_("The mailbox is missing"));

  /* A code from a newer server: "room_list_missing" reads as "Room list missing" */
  words = g_strdelimit (g_strdup (code), "_-.", ' ');
  g_strstrip (words);
  if (words[0] == '\0')
    return g_strdup (_("An unknown issue"));
  words[0] = g_ascii_toupper (words[0]);
  /* TRANSLATORS: %s is a readiness issue this version of Tessera does not know */
  return g_strdup_printf (_("%s (reported by the server)"), words);
}

char *
tessera_account_describe_readiness (TesseraAccount *account)
{
  const char *const *issues;
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (TESSERA_IS_ACCOUNT (account), NULL);

  switch (tessera_account_get_readiness (account))
    {
    case TESSERA_READINESS_READY:
      return g_strdup (_("Ready for a one-time password"));

    case TESSERA_READINESS_NO_VALID_LICENSE:
      return g_strdup (_("The account has no valid license"));

    case TESSERA_READINESS_CHANGE_SETTINGS:
    default:
      break;
    }

  text = g_string_new (NULL);
  issues = tessera_account_get_readiness_issues (account);
  for (guint i = 0; issues != NULL && issues[i] != NULL; i++)
    {
      g_autofree char *issue = tessera_readiness_issue_describe (issues[i]);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, issue);
    }

  if (text->len == 0)
    return g_strdup (_("The account's settings need to be changed"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

const char *
tessera_provisioning_state_get_label (TesseraProvisioningState state)
{
  switch (state)
    {
    case TESSERA_PROVISIONING_NOT_STARTED:
      return _("Not started");
    case TESSERA_PROVISIONING_OTP_ISSUED:
      return _("OTP issued");
    case TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL:
      return _("Awaiting OTP approval");
    case TESSERA_PROVISIONING_PROVISIONED:
      return _("Provisioned");
    case TESSERA_PROVISIONING_OTP_REJECTED:
      return _("OTP rejected");
    case TESSERA_PROVISIONING_OTP_EXPIRED:
      return _("OTP expired");
    case TESSERA_PROVISIONING_OTP_REVOKED:
      return _("OTP revoked");
    default:
      return _("Unknown");
    }
}

#define MINUTE_USEC ((gint64) G_USEC_PER_SEC * 60)
#define HOUR_USEC   (MINUTE_USEC * 60)
#define DAY_USEC    (HOUR_USEC * 24)

char *
tessera_format_time_left (gint64 remaining_usec)
{
  if (remaining_usec <= 0)
    /* TRANSLATORS: an OTP that expires this very moment */
    return g_strdup (_("now"));

  if (remaining_usec < HOUR_USEC)
    {
      guint minutes = MAX (1, (remaining_usec + MINUTE_USEC - 1) / MINUTE_USEC);

      /* TRANSLATORS: time left, abbreviated: "in 25 min" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %u min", "in %u min", minutes),
                              minutes);
    }

  if (remaining_usec < 2 * DAY_USEC)
    {
      guint hours = (remaining_usec + HOUR_USEC / 2) / HOUR_USEC;

      /* TRANSLATORS: time left, abbreviated: "in 5 h" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %u h", "in %u h", hours), hours);
    }

  {
    guint days = (remaining_usec + DAY_USEC / 2) / DAY_USEC;

    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %u day", "in %u days", days),
                            days);
  }
}

char *
tessera_account_describe_provisioning (TesseraAccount *account,
                                       gint64          now_unix_usec)
{
  TesseraProvisioningState state;
  gint64 expires_at;

  g_return_val_if_fail (TESSERA_IS_ACCOUNT (account), NULL);

  state = tessera_account_get_provisioning_state (account);
  switch (state)
    {
    case TESSERA_PROVISIONING_NOT_STARTED:
      /* TRANSLATORS: the provisioning status of an account that never had an OTP */
      return g_strdup (C_("provisioning", "—"));

    case TESSERA_PROVISIONING_OTP_ISSUED:
      if (tessera_account_get_expires_at_unix_usec (account, &expires_at))
        {
          g_autofree char *left = tessera_format_time_left (expires_at - now_unix_usec);

          /* TRANSLATORS: "OTP issued · expires in 5 h"; %s is "in 5 h" */
          return g_strdup_printf (_("OTP issued · expires %s"), left);
        }
      return g_strdup (tessera_provisioning_state_get_label (state));

    case TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL:
    case TESSERA_PROVISIONING_PROVISIONED:
    case TESSERA_PROVISIONING_OTP_REJECTED:
    case TESSERA_PROVISIONING_OTP_EXPIRED:
    case TESSERA_PROVISIONING_OTP_REVOKED:
    default:
      return g_strdup (tessera_provisioning_state_get_label (state));
    }
}

char *
tessera_format_updated (gint64 unix_usec,
                        gint64 now_unix_usec)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 age = now_unix_usec - unix_usec;

  if (unix_usec == 0)
    return g_strdup ("");

  if (age < MINUTE_USEC)
    return g_strdup (_("Just now"));
  if (age < HOUR_USEC)
    {
      guint minutes = age / MINUTE_USEC;

      /* TRANSLATORS: "5 min ago" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u min ago", "%u min ago", minutes),
                              minutes);
    }

  utc = g_date_time_new_from_unix_utc (unix_usec / G_USEC_PER_SEC);
  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);
  now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* TRANSLATORS: the time of a change made today, as in g_date_time_format(): "14:02" */
    return g_date_time_format (local, _("%H:%M"));

  /* TRANSLATORS: the date of an older change, as in g_date_time_format(): "25 Nov 2026" */
  return g_date_time_format (local, _("%-d %b %Y"));
}

char *
tessera_format_count (guint count)
{
  /* %' groups digits as the locale does (glibc); the C locale does not group */
  return g_strdup_printf ("%'u", count);
}

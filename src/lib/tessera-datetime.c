/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-datetime"

#include "config.h"

#include <string.h>

#include "tessera-datetime.h"
#include "tessera-json.h"

/*
 * Our own RFC 3339 reader and writer: g_date_time_new_from_iso8601() accepts forms RFC 3339
 * does not (week and ordinal dates, no separators), and g_date_time_format() is slow enough
 * to show when the server writes 100 000 accounts. Civil-date arithmetic after Howard
 * Hinnant's days_from_civil / civil_from_days, valid for the proleptic Gregorian calendar.
 */

#define USEC_PER_SECOND G_GINT64_CONSTANT (1000000)
#define USEC_PER_DAY    (G_GINT64_CONSTANT (86400) * USEC_PER_SECOND)

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z, GDateTime's range */
#define MIN_UNIX_USEC (G_GINT64_CONSTANT (-62135596800) * USEC_PER_SECOND)
#define MAX_UNIX_USEC (G_GINT64_CONSTANT (253402300800) * USEC_PER_SECOND - 1)

static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era;
  guint yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (guint) (y - era * 400);
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + (gint64) doe - 719468;
}

static void
civil_from_days (gint64  z,
                 gint64 *year,
                 guint  *month,
                 guint  *day)
{
  gint64 era, y;
  guint doe, yoe, doy, mp, d, m;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (guint) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = (gint64) yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;

  *year = y + (m <= 2);
  *month = m;
  *day = d;
}

static guint
days_in_month (gint64 year,
               guint  month)
{
  static const guint8 days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  return month == 2 && leap ? 29 : days[month - 1];
}

/* Writes @value as exactly @n decimal digits (zero-padded) at @p; returns the end. */
static char *
put_digits (char  *p,
            guint  value,
            guint  n)
{
  for (guint i = n; i > 0; i--)
    {
      p[i - 1] = (char) ('0' + value % 10);
      value /= 10;
    }
  return p + n;
}

gboolean
tessera_datetime_format_unix_usec (gint64 unix_usec,
                                   char   buffer[TESSERA_DATETIME_BUFFER_SIZE])
{
  gint64 days, usec_of_day, year;
  guint month, day, seconds;
  char *p;

  g_return_val_if_fail (buffer != NULL, FALSE);

  if (unix_usec < MIN_UNIX_USEC || unix_usec > MAX_UNIX_USEC)
    return FALSE;

  /* Floor division: instants before 1970 are negative */
  days = unix_usec / USEC_PER_DAY;
  usec_of_day = unix_usec % USEC_PER_DAY;
  if (usec_of_day < 0)
    {
      usec_of_day += USEC_PER_DAY;
      days--;
    }

  civil_from_days (days, &year, &month, &day);
  seconds = (guint) (usec_of_day / USEC_PER_SECOND);

  /*
   * "YYYY-MM-DDTHH:MM:SS.ffffffZ" digit by digit: g_snprintf() took a seventh of the server's
   * time listing 100 000 accounts (one updated_at each). The range check above keeps the year
   * within four digits.
   */
  p = put_digits (buffer, (guint) year, 4);
  *p++ = '-';
  p = put_digits (p, month, 2);
  *p++ = '-';
  p = put_digits (p, day, 2);
  *p++ = 'T';
  p = put_digits (p, seconds / 3600, 2);
  *p++ = ':';
  p = put_digits (p, seconds / 60 % 60, 2);
  *p++ = ':';
  p = put_digits (p, seconds % 60, 2);
  *p++ = '.';
  p = put_digits (p, (guint) (usec_of_day % USEC_PER_SECOND), 6);
  *p++ = 'Z';
  *p = '\0';
  return TRUE;
}

char *
tessera_datetime_format (GDateTime *datetime)
{
  char buffer[TESSERA_DATETIME_BUFFER_SIZE];

  if (datetime == NULL)
    return NULL;

  if (!tessera_datetime_format_unix_usec (tessera_datetime_to_unix_usec (datetime), buffer))
    g_return_val_if_reached (NULL);

  return g_strdup (buffer);
}

/* Reads exactly @n ASCII digits at *@p. */
static gboolean
read_digits (const char **p,
             guint        n,
             guint       *value)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    {
      char c = (*p)[i];

      if (!g_ascii_isdigit (c))
        return FALSE;
      v = v * 10 + (guint) (c - '0');
    }

  *p += n;
  *value = v;
  return TRUE;
}

static gboolean
expect_char (const char **p,
             char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

static gboolean
parse_rfc3339 (const char *text,
               gint64     *unix_usec)
{
  const char *p = text;
  guint year, month, day, hour, minute, second;
  guint fraction = 0;
  gint64 offset_seconds = 0;
  gint64 usec;

  if (!read_digits (&p, 4, &year) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &month) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &day))
    return FALSE;

  if (*p != 'T' && *p != 't')
    return FALSE;
  p++;

  if (!read_digits (&p, 2, &hour) || !expect_char (&p, ':') ||
      !read_digits (&p, 2, &minute) || !expect_char (&p, ':') ||
      !read_digits (&p, 2, &second))
    return FALSE;

  if (*p == '.')
    {
      guint n = 0;

      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;

      /* Keep microseconds; finer digits are read and dropped (truncation, like GLib). */
      for (; g_ascii_isdigit (*p); p++, n++)
        if (n < 6)
          fraction = fraction * 10 + (guint) (*p - '0');
      for (; n < 6; n++)
        fraction *= 10;
    }

  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      guint offset_hours, offset_minutes;

      p++;
      if (!read_digits (&p, 2, &offset_hours) || !expect_char (&p, ':') ||
          !read_digits (&p, 2, &offset_minutes))
        return FALSE;
      if (offset_hours > 23 || offset_minutes > 59)
        return FALSE;
      offset_seconds = sign * (gint64) (offset_hours * 3600 + offset_minutes * 60);
    }
  else
    return FALSE;

  if (*p != '\0')
    return FALSE;

  /* GDateTime has no leap seconds, so 60 is refused rather than silently moved. */
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month (year, month) ||
      hour > 23 || minute > 59 || second > 59)
    return FALSE;

  usec = (days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second
          - offset_seconds) * USEC_PER_SECOND + fraction;
  if (usec < MIN_UNIX_USEC || usec > MAX_UNIX_USEC)
    return FALSE;

  *unix_usec = usec;
  return TRUE;
}

gboolean
tessera_datetime_parse_unix_usec (const char  *text,
                                  gint64      *unix_usec,
                                  GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (unix_usec != NULL, FALSE);

  if (!parse_rfc3339 (text, unix_usec))
    {
      g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE,
                           "expected an RFC 3339 timestamp with a time zone, "
                           "such as \"2026-11-25T18:40:00Z\"");
      return FALSE;
    }

  return TRUE;
}

GDateTime *
tessera_datetime_parse (const char  *text,
                        GError     **error)
{
  gint64 unix_usec;

  if (!tessera_datetime_parse_unix_usec (text, &unix_usec, error))
    return NULL;

  return tessera_datetime_new_unix_usec (unix_usec);
}

GDateTime *
tessera_datetime_new_unix_usec (gint64 unix_usec)
{
  g_autoptr(GDateTime) seconds = NULL;
  gint64 secs = unix_usec / USEC_PER_SECOND;
  gint64 rest = unix_usec % USEC_PER_SECOND;

  if (rest < 0)
    {
      rest += USEC_PER_SECOND;
      secs--;
    }

  seconds = g_date_time_new_from_unix_utc (secs);
  if (seconds == NULL || rest == 0)
    return g_steal_pointer (&seconds);

  return g_date_time_add (seconds, rest);
}

gint64
tessera_datetime_to_unix_usec (GDateTime *datetime)
{
  g_return_val_if_fail (datetime != NULL, 0);

  return g_date_time_to_unix (datetime) * USEC_PER_SECOND
         + g_date_time_get_microsecond (datetime);
}

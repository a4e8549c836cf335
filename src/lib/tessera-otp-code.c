/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-otp-code"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tessera-otp-code.h"

#define ALPHABET_SIZE 32
#define PAYLOAD_LENGTH (TESSERA_OTP_CODE_LENGTH - 1)
#define RANDOM_BYTES 10 /* 80 bits: the payload uses 75 of them */

G_DEFINE_QUARK (tessera-otp-code-error-quark, tessera_otp_code_error)

static const char alphabet[] = TESSERA_OTP_CODE_ALPHABET;

/* Crockford decoding of an upper-case ASCII character, or -1. */
static int
code_point (char c)
{
  const char *p;

  if (c == '\0')
    return -1;

  p = strchr (alphabet, c);
  return p != NULL ? (int) (p - alphabet) : -1;
}

static gboolean
is_separator (const char *p,
              gsize      *skip)
{
  gunichar ch;

  if (*p == ' ' || *p == '-' || *p == '\t')
    {
      *skip = 1;
      return TRUE;
    }

  /* Codes get pasted from documents that turn '-' into typographic dashes and spaces into
   * no-break spaces; those are separators too. */
  ch = g_utf8_get_char_validated (p, -1);
  if (ch == 0x00A0 || ch == 0x202F || (ch >= 0x2010 && ch <= 0x2015) || ch == 0x2212)
    {
      *skip = g_utf8_skip[*(const guchar *) p];
      return TRUE;
    }

  return FALSE;
}

static char
canonical_character (char c)
{
  c = g_ascii_toupper (c);

  switch (c)
    {
    case 'I':
    case 'L':
      return '1';
    case 'O':
      return '0';
    default:
      return c;
    }
}

/* Luhn mod N over @length code points, the rightmost with weight @first_factor. */
static int
luhn_sum (const char *chars,
          gsize       length,
          int         first_factor)
{
  int factor = first_factor;
  int sum = 0;

  for (gsize i = length; i > 0; i--)
    {
      int addend = factor * code_point (chars[i - 1]);

      factor = factor == 2 ? 1 : 2;
      sum += addend / ALPHABET_SIZE + addend % ALPHABET_SIZE;
    }

  return sum % ALPHABET_SIZE;
}

char
tessera_otp_code_check_character (const char *payload)
{
  int remainder;

  g_return_val_if_fail (payload != NULL, '\0');
  g_return_val_if_fail (strlen (payload) == PAYLOAD_LENGTH, '\0');

  for (gsize i = 0; i < PAYLOAD_LENGTH; i++)
    g_return_val_if_fail (code_point (payload[i]) >= 0, '\0');

  /* The check character will sit to the right, so the payload's last character is doubled. */
  remainder = luhn_sum (payload, PAYLOAD_LENGTH, 2);
  return alphabet[(ALPHABET_SIZE - remainder) % ALPHABET_SIZE];
}

gboolean
tessera_otp_code_is_valid (const char *normalized)
{
  if (normalized == NULL || strlen (normalized) != TESSERA_OTP_CODE_LENGTH)
    return FALSE;

  for (gsize i = 0; i < TESSERA_OTP_CODE_LENGTH; i++)
    if (code_point (normalized[i]) < 0)
      return FALSE;

  return luhn_sum (normalized, TESSERA_OTP_CODE_LENGTH, 1) == 0;
}

gboolean
tessera_otp_code_normalize (const char *input,
                            char        out[TESSERA_OTP_CODE_LENGTH + 1],
                            GError    **error)
{
  gsize n = 0;
  gsize position = 0;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  out[0] = '\0';

  if (input == NULL || !g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, TESSERA_OTP_CODE_ERROR, TESSERA_OTP_CODE_ERROR_INVALID_CHARACTER,
                           _("The code contains characters that are not used in codes"));
      return FALSE;
    }

  for (const char *p = input; *p != '\0';)
    {
      gsize skip;
      char c;

      if (is_separator (p, &skip))
        {
          p += skip;
          continue;
        }

      position++;
      c = canonical_character (*p);
      if ((guchar) *p >= 0x80 || code_point (c) < 0)
        {
          g_set_error (error, TESSERA_OTP_CODE_ERROR, TESSERA_OTP_CODE_ERROR_INVALID_CHARACTER,
                       /* TRANSLATORS: %u is the position of the character, counted from 1 */
                       _("Character %u of the code is not used in codes"), (guint) position);
          out[0] = '\0';
          return FALSE;
        }

      if (n < TESSERA_OTP_CODE_LENGTH)
        out[n] = c;
      n++;
      p++;
    }

  if (n == 0)
    {
      g_set_error_literal (error, TESSERA_OTP_CODE_ERROR, TESSERA_OTP_CODE_ERROR_EMPTY,
                           _("The code is empty"));
      return FALSE;
    }

  if (n != TESSERA_OTP_CODE_LENGTH)
    {
      g_set_error (error, TESSERA_OTP_CODE_ERROR, TESSERA_OTP_CODE_ERROR_WRONG_LENGTH,
                   g_dngettext (GETTEXT_PACKAGE, "The code has %u character instead of %d",
                                "The code has %u characters instead of %d", n),
                   (guint) n, TESSERA_OTP_CODE_LENGTH);
      out[0] = '\0';
      return FALSE;
    }

  out[TESSERA_OTP_CODE_LENGTH] = '\0';

  if (luhn_sum (out, TESSERA_OTP_CODE_LENGTH, 1) != 0)
    {
      g_set_error_literal (error, TESSERA_OTP_CODE_ERROR, TESSERA_OTP_CODE_ERROR_CHECK_MISMATCH,
                           _("The code is not valid: a character is mistyped or two are swapped"));
      out[0] = '\0';
      return FALSE;
    }

  return TRUE;
}

char *
tessera_otp_code_format (const char *normalized)
{
  GString *s;

  g_return_val_if_fail (tessera_otp_code_is_valid (normalized), NULL);

  s = g_string_sized_new (TESSERA_OTP_CODE_FORMATTED_LENGTH + 1);
  for (gsize i = 0; i < TESSERA_OTP_CODE_LENGTH; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (s, '-');
      g_string_append_c (s, normalized[i]);
    }

  return g_string_free (s, FALSE);
}

/* See the header: the pair Luhn mod 32 cannot tell apart when swapped. */
static gboolean
has_blind_transposition (const char *code)
{
  for (gsize i = 1; i < TESSERA_OTP_CODE_LENGTH; i++)
    {
      if ((code[i - 1] == '0' && code[i] == 'Z') || (code[i - 1] == 'Z' && code[i] == '0'))
        return TRUE;
    }

  return FALSE;
}

void
tessera_otp_code_generate (TesseraRandomFill fill,
                           gpointer          user_data,
                           char              out[TESSERA_OTP_CODE_LENGTH + 1])
{
  g_return_if_fail (fill != NULL);
  g_return_if_fail (out != NULL);

  do
    {
      guint8 random[RANDOM_BYTES];

      fill (random, sizeof random, user_data);

      /* 32 is a power of two, so five bits per character give a uniform choice with no
       * modulo bias: the first 75 of the 80 random bits become the payload. */
      for (gsize i = 0; i < PAYLOAD_LENGTH; i++)
        {
          guint value = 0;

          for (gsize b = 0; b < 5; b++)
            {
              gsize bit = i * 5 + b;

              value = (value << 1) | ((random[bit / 8] >> (7 - bit % 8)) & 1);
            }

          out[i] = alphabet[value];
        }
      out[PAYLOAD_LENGTH] = '\0';
      out[PAYLOAD_LENGTH] = tessera_otp_code_check_character (out);
      out[TESSERA_OTP_CODE_LENGTH] = '\0';

      /* The random bytes are part of a secret. */
      explicit_bzero (random, sizeof random);
    }
  while (has_blind_transposition (out));
}

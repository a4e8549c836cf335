/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the OTP code format (DESIGN §3) as the console reads what a person typed, and
 * as the server makes codes.
 *
 * Input: one selector byte, then the rest.
 *   even selector: the rest is typed text for tessera_otp_code_normalize(). Oracles: a code
 *     that normalises is valid, formats as XXXX-XXXX-XXXX-XXXX and normalises back to itself,
 *     also when typed in lower case; tessera_otp_code_is_valid() agrees with normalising;
 *     an error message never repeats the input (the input is a secret).
 *   odd selector: the rest is the "random" bytes for tessera_otp_code_generate() (continued by
 *     a fixed generator when used up). Oracles: the code is valid, has no 0/Z neighbours, and
 *     every single substitution and every adjacent transposition of it is refused (the
 *     promise of tessera-otp-code.h).
 * Stateless.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tessera-otp-code.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_typed (const guint8 *data,
             size_t        size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  g_autofree char *formatted = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GError) error = NULL;
  char out[TESSERA_OTP_CODE_LENGTH + 1];
  char again[TESSERA_OTP_CODE_LENGTH + 1];
  gboolean valid_as_typed = tessera_otp_code_is_valid (input);

  if (!tessera_otp_code_normalize (input, out, &error))
    {
      fuzz_check (error != NULL && error->domain == TESSERA_OTP_CODE_ERROR,
                  "normalising failed without a TESSERA_OTP_CODE_ERROR");
      fuzz_check (!valid_as_typed, "a valid code does not normalise: %s", error->message);
      fuzz_check (out[0] == '\0', "a refused code left %s in the output", out);
      /* Twelve characters without a blank match no word of a message by chance. */
      fuzz_check (strlen (input) < 12 || strchr (input, ' ') != NULL ||
                  strstr (error->message, input) == NULL,
                  "the error message repeats the code: %s", error->message);
      return;
    }

  fuzz_check (error == NULL, "normalising succeeded and set an error");
  fuzz_check (strlen (out) == TESSERA_OTP_CODE_LENGTH, "normalised to %zu characters",
              strlen (out));
  fuzz_check (tessera_otp_code_is_valid (out), "normalised to an invalid code %s", out);
  if (valid_as_typed)
    fuzz_check (strcmp (out, input) == 0, "a valid code normalised to another: %s", out);

  formatted = tessera_otp_code_format (out);
  fuzz_check (strlen (formatted) == TESSERA_OTP_CODE_FORMATTED_LENGTH &&
              formatted[4] == '-' && formatted[9] == '-' && formatted[14] == '-',
              "badly formatted: %s", formatted);
  fuzz_check (tessera_otp_code_normalize (formatted, again, NULL) && strcmp (again, out) == 0,
              "the formatted code %s does not normalise back to %s", formatted, out);

  lower = g_ascii_strdown (input, -1);
  fuzz_check (tessera_otp_code_normalize (lower, again, NULL) && strcmp (again, out) == 0,
              "the code typed in lower case normalises differently");
}

typedef struct {
  const guint8 *data;
  size_t        size;
  size_t        pos;
  guint32       state;
} Source;

static void
fill_from_input (guint8   *buffer,
                 gsize     length,
                 gpointer  user_data)
{
  Source *source = user_data;

  for (gsize i = 0; i < length; i++)
    {
      if (source->pos < source->size)
        {
          buffer[i] = source->data[source->pos++];
          continue;
        }
      /* xorshift32: a rejection loop must end even when the input ran out. */
      source->state ^= source->state << 13;
      source->state ^= source->state >> 17;
      source->state ^= source->state << 5;
      buffer[i] = (guint8) source->state;
    }
}

static void
check_generated (const guint8 *data,
                 size_t        size)
{
  Source source = { data, size, 0, 2463534242u };
  char code[TESSERA_OTP_CODE_LENGTH + 1];
  char out[TESSERA_OTP_CODE_LENGTH + 1];

  tessera_otp_code_generate (fill_from_input, &source, code);
  fuzz_check (strlen (code) == TESSERA_OTP_CODE_LENGTH && tessera_otp_code_is_valid (code),
              "generated an invalid code %s", code);
  fuzz_check (strstr (code, "0Z") == NULL && strstr (code, "Z0") == NULL,
              "generated %s, with 0 next to Z", code);

  for (guint i = 0; i < TESSERA_OTP_CODE_LENGTH; i++)
    {
      char mistyped[TESSERA_OTP_CODE_LENGTH + 1];

      for (const char *c = TESSERA_OTP_CODE_ALPHABET; *c != '\0'; c++)
        {
          if (*c == code[i])
            continue;
          memcpy (mistyped, code, sizeof mistyped);
          mistyped[i] = *c;
          fuzz_check (!tessera_otp_code_normalize (mistyped, out, NULL),
                      "%s with character %u changed is still accepted", code, i + 1);
        }

      if (i + 1 < TESSERA_OTP_CODE_LENGTH && code[i] != code[i + 1])
        {
          memcpy (mistyped, code, sizeof mistyped);
          mistyped[i] = code[i + 1];
          mistyped[i + 1] = code[i];
          fuzz_check (!tessera_otp_code_normalize (mistyped, out, NULL),
                      "%s with characters %u and %u swapped is still accepted", code, i + 1,
                      i + 2);
        }
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  if (size < 1)
    return 0;

  if (data[0] % 2 == 0)
    check_typed (data + 1, size - 1);
  else
    check_generated (data + 1, size - 1);

  return 0;
}

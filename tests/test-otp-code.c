/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "tessera-otp-code.h"

static void
os_random_fill (guint8   *buffer,
                gsize     length,
                gpointer  user_data)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = getrandom (buffer + done, length - done, 0);

      g_assert_cmpint (n, >, 0);
      done += (gsize) n;
    }
}

static char *
make_code (const char *payload)
{
  char code[TESSERA_OTP_CODE_LENGTH + 1];

  g_assert_cmpuint (strlen (payload), ==, TESSERA_OTP_CODE_LENGTH - 1);
  memcpy (code, payload, TESSERA_OTP_CODE_LENGTH - 1);
  code[TESSERA_OTP_CODE_LENGTH - 1] = tessera_otp_code_check_character (payload);
  code[TESSERA_OTP_CODE_LENGTH] = '\0';
  g_assert_true (tessera_otp_code_is_valid (code));
  return g_strdup (code);
}

static GPtrArray *
sample_codes (guint n)
{
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      char code[TESSERA_OTP_CODE_LENGTH + 1];

      tessera_otp_code_generate (os_random_fill, NULL, code);
      g_ptr_array_add (codes, g_strdup (code));
    }

  return codes;
}

static void
test_otp_generated_codes_are_valid_and_formatted (void)
{
  g_autoptr(GPtrArray) codes = sample_codes (1000);

  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      g_autofree char *formatted = tessera_otp_code_format (code);
      char back[TESSERA_OTP_CODE_LENGTH + 1];
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (strlen (code), ==, TESSERA_OTP_CODE_LENGTH);
      g_assert_cmpuint (strspn (code, TESSERA_OTP_CODE_ALPHABET), ==, TESSERA_OTP_CODE_LENGTH);
      g_assert_true (tessera_otp_code_is_valid (code));

      g_assert_cmpuint (strlen (formatted), ==, TESSERA_OTP_CODE_FORMATTED_LENGTH);
      g_assert_cmpint (formatted[4], ==, '-');
      g_assert_cmpint (formatted[9], ==, '-');
      g_assert_cmpint (formatted[14], ==, '-');

      g_assert_true (tessera_otp_code_normalize (formatted, back, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (back, ==, code);
    }
}

static void
test_otp_every_substitution_is_caught (void)
{
  g_autoptr(GPtrArray) codes = sample_codes (2000);
  guint checked = 0;

  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);

      for (gsize pos = 0; pos < TESSERA_OTP_CODE_LENGTH; pos++)
        {
          for (const char *a = TESSERA_OTP_CODE_ALPHABET; *a != '\0'; a++)
            {
              char typo[TESSERA_OTP_CODE_LENGTH + 1];

              if (*a == code[pos])
                continue;

              memcpy (typo, code, sizeof typo);
              typo[pos] = *a;
              if (tessera_otp_code_is_valid (typo))
                g_error ("substitution at %" G_GSIZE_FORMAT " went unnoticed", pos);
              checked++;
            }
        }
    }

  g_assert_cmpuint (checked, ==, 2000 * TESSERA_OTP_CODE_LENGTH * 31);
}

static void
test_otp_every_adjacent_transposition_is_caught (void)
{
  g_autoptr(GPtrArray) codes = sample_codes (20000);
  guint checked = 0;

  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);

      for (gsize pos = 0; pos + 1 < TESSERA_OTP_CODE_LENGTH; pos++)
        {
          char swapped[TESSERA_OTP_CODE_LENGTH + 1];

          if (code[pos] == code[pos + 1])
            continue;

          memcpy (swapped, code, sizeof swapped);
          swapped[pos] = code[pos + 1];
          swapped[pos + 1] = code[pos];
          if (tessera_otp_code_is_valid (swapped))
            g_error ("transposition at %" G_GSIZE_FORMAT " went unnoticed", pos);
          checked++;
        }
    }

  g_assert_cmpuint (checked, >, 20000 * 14);
}

/* Why the generator rejects 0/Z neighbours: Luhn mod 32 cannot see that one swap. */
static void
test_otp_zero_z_swap_is_blind_so_never_generated (void)
{
  g_autofree char *code = make_code ("0Z3456789ABCDEF");
  char swapped[TESSERA_OTP_CODE_LENGTH + 1];
  g_autoptr(GPtrArray) codes = sample_codes (20000);

  memcpy (swapped, code, sizeof swapped);
  swapped[0] = 'Z';
  swapped[1] = '0';
  g_assert_true (tessera_otp_code_is_valid (swapped));

  for (guint i = 0; i < codes->len; i++)
    {
      const char *c = g_ptr_array_index (codes, i);

      g_assert_null (strstr (c, "0Z"));
      g_assert_null (strstr (c, "Z0"));
    }
}

static void
counting_fill (guint8   *buffer,
               gsize     length,
               gpointer  user_data)
{
  guint *calls = user_data;
  static const guint8 blind[10] = { 0x07, 0xC0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };

  /* Blind on the first call, random after. */
  if ((*calls)++ == 0)
    memcpy (buffer, blind, length);
  else
    os_random_fill (buffer, length, NULL);
}

static void
test_otp_generator_asks_again_after_blind_pair (void)
{
  char code[TESSERA_OTP_CODE_LENGTH + 1];
  guint calls = 0;

  do
    {
      calls = 0;
      tessera_otp_code_generate (counting_fill, &calls, code);
    }
  while (calls > 2); /* a random retry can itself be blind, rarely */

  g_assert_cmpuint (calls, ==, 2);
  g_assert_false (code[0] == '0' && code[1] == 'Z');
}

static void
test_otp_hundred_thousand_codes_are_distinct (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 100000; i++)
    {
      char code[TESSERA_OTP_CODE_LENGTH + 1];

      tessera_otp_code_generate (os_random_fill, NULL, code);
      g_assert_true (g_hash_table_add (seen, g_strdup (code)));
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, 100000);
}

/* Five bits per character: the 30 symbols the 0/Z rule does not touch are equally likely; 0 and
 * Z are a little rarer (about 6 %: a 0 has two neighbours that could be Z) but never absent. */
static void
test_otp_payload_symbols_are_uniform (void)
{
  guint counts[32] = { 0 };
  const guint n = 50000;
  double mean = 0;

  for (guint i = 0; i < n; i++)
    {
      char code[TESSERA_OTP_CODE_LENGTH + 1];

      tessera_otp_code_generate (os_random_fill, NULL, code);
      for (gsize pos = 0; pos < 15; pos++)
        counts[strchr (TESSERA_OTP_CODE_ALPHABET, code[pos]) - TESSERA_OTP_CODE_ALPHABET]++;
    }

  for (guint s = 1; s < 31; s++)
    mean += counts[s] / 30.0;

  for (guint s = 0; s < 32; s++)
    {
      double ratio = counts[s] / mean;
      gboolean zero_or_z = s == 0 || s == 31;

      if ((zero_or_z && (ratio < 0.88 || ratio > 0.98)) ||
          (!zero_or_z && (ratio < 0.96 || ratio > 1.04)))
        g_error ("symbol %c appears %u times against a mean of %.0f",
                 TESSERA_OTP_CODE_ALPHABET[s], counts[s], mean);
    }
}

typedef struct {
  const char *typed;
  const char *expected; /* NULL: refused with error_code */
  int         error_code;
} NormalizeCase;

static void
test_otp_normalization_table (void)
{
  g_autofree char *code = make_code ("7KQF9M2DXW4RH3T");
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_autofree char *grouped = tessera_otp_code_format (code);
  g_autofree char *spaced = g_strdup_printf ("  %.4s %.4s  %.4s %.4s ", code, code + 4,
                                             code + 8, code + 12);
  g_autofree char *en_dash = g_strdup_printf ("%.4s\u2013%.4s\u2013%.4s\u2013%.4s", code,
                                              code + 4, code + 8, code + 12);
  g_autofree char *nbsp = g_strdup_printf ("%.8s\u00a0%.8s", code, code + 8);
  /* I, L read as 1 and O as 0: a code with 1 and 0 typed with letters. */
  g_autofree char *with_one_zero = make_code ("1000111AB0CDEF1");
  g_autofree char *letters = g_strdup (with_one_zero);
  g_autofree char *too_short = g_strndup (code, 15);
  g_autofree char *too_long = g_strconcat (code, "7", NULL);
  g_autofree char *with_u = g_strdup (code);
  g_autofree char *with_star = g_strdup (code);
  g_autofree char *with_accent = g_strdup_printf ("%.15s\u00e9", code);
  g_autofree char *typo = g_strdup (code);

  letters[0] = 'i';
  letters[1] = 'o';
  letters[2] = 'O';
  letters[4] = 'L';
  letters[5] = 'l';
  letters[6] = 'I';
  with_u[3] = 'U';
  with_star[3] = '*';
  typo[5] = typo[5] == 'A' ? 'B' : 'A';

  {
    const NormalizeCase cases[] = {
      { code, code, 0 },
      { lower, code, 0 },
      { grouped, code, 0 },
      { spaced, code, 0 },
      { en_dash, code, 0 },
      { nbsp, code, 0 },
      { letters, with_one_zero, 0 },
      { "", NULL, TESSERA_OTP_CODE_ERROR_EMPTY },
      { " - - ", NULL, TESSERA_OTP_CODE_ERROR_EMPTY },
      { too_short, NULL, TESSERA_OTP_CODE_ERROR_WRONG_LENGTH },
      { too_long, NULL, TESSERA_OTP_CODE_ERROR_WRONG_LENGTH },
      { with_u, NULL, TESSERA_OTP_CODE_ERROR_INVALID_CHARACTER },
      { with_star, NULL, TESSERA_OTP_CODE_ERROR_INVALID_CHARACTER },
      { with_accent, NULL, TESSERA_OTP_CODE_ERROR_INVALID_CHARACTER },
      { "\xff\xfe", NULL, TESSERA_OTP_CODE_ERROR_INVALID_CHARACTER },
      { typo, NULL, TESSERA_OTP_CODE_ERROR_CHECK_MISMATCH },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        char out[TESSERA_OTP_CODE_LENGTH + 1];
        g_autoptr(GError) error = NULL;
        gboolean ok = tessera_otp_code_normalize (cases[i].typed, out, &error);

        if (cases[i].expected != NULL)
          {
            g_assert_no_error (error);
            g_assert_true (ok);
            g_assert_cmpstr (out, ==, cases[i].expected);
          }
        else
          {
            g_assert_false (ok);
            g_assert_error (error, TESSERA_OTP_CODE_ERROR, cases[i].error_code);
            g_assert_cmpstr (out, ==, "");
          }
      }
  }
}

/* The typed code is a secret: an error message may say where, never what. */
static void
test_otp_errors_do_not_echo_the_code (void)
{
  g_autofree char *code = make_code ("7KQF9M2DXW4RH3T");
  g_autofree char *typed = g_strdup (code);
  char out[TESSERA_OTP_CODE_LENGTH + 1];
  g_autoptr(GError) error = NULL;

  typed[7] = 'U';
  g_assert_false (tessera_otp_code_normalize (typed, out, &error));
  g_assert_nonnull (strstr (error->message, "8"));
  g_assert_null (strstr (error->message, "U"));
  g_assert_null (strstr (error->message, code + 8));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/unit/otp-code/generated-codes-are-valid-and-formatted",
                   test_otp_generated_codes_are_valid_and_formatted);
  g_test_add_func ("/unit/otp-code/every-substitution-is-caught",
                   test_otp_every_substitution_is_caught);
  g_test_add_func ("/unit/otp-code/every-adjacent-transposition-is-caught",
                   test_otp_every_adjacent_transposition_is_caught);
  g_test_add_func ("/unit/otp-code/zero-z-swap-is-blind-so-never-generated",
                   test_otp_zero_z_swap_is_blind_so_never_generated);
  g_test_add_func ("/unit/otp-code/generator-asks-again-after-blind-pair",
                   test_otp_generator_asks_again_after_blind_pair);
  g_test_add_func ("/unit/otp-code/hundred-thousand-codes-are-distinct",
                   test_otp_hundred_thousand_codes_are_distinct);
  g_test_add_func ("/unit/otp-code/payload-symbols-are-uniform",
                   test_otp_payload_symbols_are_uniform);
  g_test_add_func ("/unit/otp-code/normalization-table", test_otp_normalization_table);
  g_test_add_func ("/unit/otp-code/errors-do-not-echo-the-code",
                   test_otp_errors_do_not_echo_the_code);

  return g_test_run ();
}

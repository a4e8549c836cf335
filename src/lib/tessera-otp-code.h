/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The one-time password format (DESIGN §3): 16 characters of Crockford base32 — 15 random
 * characters (75 bits) and one Luhn mod 32 check character — shown as XXXX-XXXX-XXXX-XXXX.
 *
 * Luhn mod 32 catches every single-character substitution. It misses exactly one adjacent
 * transposition: '0' next to 'Z' (code points 0 and 31 weigh the same once doubled). Codes
 * with that pair are therefore never generated, so for every issued code each single
 * substitution and each adjacent transposition is caught on the console, before it costs a
 * rate-limited attempt. Rejecting them costs about 0.04 bits of the 75.
 */

#define TESSERA_OTP_CODE_LENGTH        16
#define TESSERA_OTP_CODE_FORMATTED_LENGTH 19
#define TESSERA_OTP_CODE_ALPHABET      "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

#define TESSERA_OTP_CODE_ERROR (tessera_otp_code_error_quark ())

typedef enum {
  TESSERA_OTP_CODE_ERROR_EMPTY,
  TESSERA_OTP_CODE_ERROR_INVALID_CHARACTER,
  TESSERA_OTP_CODE_ERROR_WRONG_LENGTH,
  TESSERA_OTP_CODE_ERROR_CHECK_MISMATCH,
} TesseraOtpCodeError;

/* Fills @buffer with @length bytes from a cryptographically secure source. */
typedef void (*TesseraRandomFill) (guint8   *buffer,
                                   gsize     length,
                                   gpointer  user_data);

GQuark    tessera_otp_code_error_quark (void);

/*
 * Turns what a person typed into the canonical 16 characters: case-folded, spaces and dashes
 * dropped, I and L read as 1, O as 0; then checks length, alphabet and check character.
 * @out is always NUL-terminated; it is only meaningful when TRUE is returned. Error messages
 * name positions, never the characters themselves: the input is a secret.
 */
gboolean  tessera_otp_code_normalize   (const char        *input,
                                        char               out[TESSERA_OTP_CODE_LENGTH + 1],
                                        GError           **error);

/* TRUE when @normalized is 16 alphabet characters with a correct check character. */
gboolean  tessera_otp_code_is_valid    (const char        *normalized);

/* "XXXX-XXXX-XXXX-XXXX" for display; @normalized must be a valid normalised code. */
char     *tessera_otp_code_format      (const char        *normalized);

/* A new code from @fill, uniform over all codes without a 0/Z adjacency (see above). */
void      tessera_otp_code_generate    (TesseraRandomFill  fill,
                                        gpointer           user_data,
                                        char               out[TESSERA_OTP_CODE_LENGTH + 1]);

/* The check character for @payload (15 alphabet characters), for tests and tools. */
char      tessera_otp_code_check_character (const char    *payload);

G_END_DECLS

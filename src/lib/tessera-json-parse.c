/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-json"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "tessera-json.h"

/* The deepest nesting tessera_json_parse() can be asked to check */
#define MAX_CHECKABLE_DEPTH 256

/* ------------------------------------------------------------------------------------------
 * Strict RFC 8259 check before json-glib sees the bytes
 * ------------------------------------------------------------------------------------------ */

typedef enum {
  EXPECT_VALUE,
  EXPECT_VALUE_OR_ARRAY_END,
  EXPECT_KEY_OR_OBJECT_END,
  EXPECT_KEY,
  EXPECT_COLON,
  EXPECT_SEPARATOR_OR_END,  /* after a value inside a container */
  EXPECT_NOTHING,           /* after the top-level value */
} ScanState;

typedef struct {
  const guchar *data;
  gsize         length;
  gsize         pos;
} Scanner;

static gboolean
scan_fail (Scanner     *scanner,
           GError     **error,
           const char  *what)
{
  g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_JSON,
               "not valid JSON at byte %" G_GSIZE_FORMAT ": %s", scanner->pos, what);
  return FALSE;
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
scan_hex4 (Scanner *scanner,
           guint   *value)
{
  guint v = 0;

  if (scanner->length - scanner->pos < 4)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      int h = hex_value (scanner->data[scanner->pos + i]);

      if (h < 0)
        return FALSE;
      v = (v << 4) | (guint) h;
    }

  scanner->pos += 4;
  *value = v;
  return TRUE;
}

/* At the opening quote; leaves pos after the closing quote. */
static gboolean
scan_string (Scanner  *scanner,
             GError  **error)
{
  gsize start;

  scanner->pos++;
  start = scanner->pos;

  while (scanner->pos < scanner->length)
    {
      guchar c = scanner->data[scanner->pos];

      if (c == '"')
        {
          const char *bytes = (const char *) scanner->data + start;

          /* Escapes are ASCII, so validating the raw bytes validates the text. */
          if (!g_utf8_validate_len (bytes, scanner->pos - start, NULL))
            return scan_fail (scanner, error, "a string is not valid UTF-8");
          scanner->pos++;
          return TRUE;
        }
      else if (c < 0x20)
        return scan_fail (scanner, error, "a control character inside a string");
      else if (c == '\\')
        {
          guint unit;

          scanner->pos++;
          if (scanner->pos >= scanner->length)
            break;

          c = scanner->data[scanner->pos++];
          if (strchr ("\"\\/bfnrt", c) != NULL && c != '\0')
            continue;
          if (c != 'u' || !scan_hex4 (scanner, &unit))
            return scan_fail (scanner, error, "an invalid escape");

          /* A NUL would silently cut the string short inside json-glib. */
          if (unit == 0)
            return scan_fail (scanner, error, "a string contains \\u0000");
          if (unit >= 0xDC00 && unit <= 0xDFFF)
            return scan_fail (scanner, error, "a lone low surrogate");
          if (unit >= 0xD800 && unit <= 0xDBFF)
            {
              guint low;

              if (scanner->length - scanner->pos < 2 ||
                  scanner->data[scanner->pos] != '\\' || scanner->data[scanner->pos + 1] != 'u')
                return scan_fail (scanner, error, "a lone high surrogate");
              scanner->pos += 2;
              if (!scan_hex4 (scanner, &low) || low < 0xDC00 || low > 0xDFFF)
                return scan_fail (scanner, error, "a lone high surrogate");
            }
        }
      else
        scanner->pos++;
    }

  return scan_fail (scanner, error, "an unterminated string");
}

static gboolean
is_digit (Scanner *scanner)
{
  return scanner->pos < scanner->length && g_ascii_isdigit (scanner->data[scanner->pos]);
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ; integers must fit in gint64 */
static gboolean
scan_number (Scanner  *scanner,
             GError  **error)
{
  gsize start = scanner->pos;
  gsize digits_start;
  gboolean integer = TRUE;
  char buffer[32];
  gsize token_length;

  if (scanner->data[scanner->pos] == '-')
    scanner->pos++;

  digits_start = scanner->pos;
  if (!is_digit (scanner))
    return scan_fail (scanner, error, "a malformed number");
  if (scanner->data[scanner->pos] == '0')
    scanner->pos++;
  else
    while (is_digit (scanner))
      scanner->pos++;

  if (scanner->pos < scanner->length && scanner->data[scanner->pos] == '.')
    {
      integer = FALSE;
      scanner->pos++;
      if (!is_digit (scanner))
        return scan_fail (scanner, error, "a malformed number");
      while (is_digit (scanner))
        scanner->pos++;
    }

  if (scanner->pos < scanner->length &&
      (scanner->data[scanner->pos] == 'e' || scanner->data[scanner->pos] == 'E'))
    {
      integer = FALSE;
      scanner->pos++;
      if (scanner->pos < scanner->length &&
          (scanner->data[scanner->pos] == '+' || scanner->data[scanner->pos] == '-'))
        scanner->pos++;
      if (!is_digit (scanner))
        return scan_fail (scanner, error, "a malformed number");
      while (is_digit (scanner))
        scanner->pos++;
    }

  token_length = scanner->pos - start;

  if (integer)
    {
      gint64 value;

      /* json-glib wraps integers that overflow (99999999999999999999 reads as -1). */
      if (scanner->pos - digits_start <= 18)
        return TRUE;
      if (token_length >= sizeof buffer)
        return scan_fail (scanner, error, "an integer out of range");

      memcpy (buffer, scanner->data + start, token_length);
      buffer[token_length] = '\0';
      errno = 0;
      value = g_ascii_strtoll (buffer, NULL, 10);
      if (errno == ERANGE)
        return scan_fail (scanner, error, "an integer out of range");
      (void) value;
    }
  else
    {
      g_autofree char *copy = g_strndup ((const char *) scanner->data + start, token_length);

      /* json-glib would turn 1e400 into infinity, which has no JSON form to write back. */
      if (!isfinite (g_ascii_strtod (copy, NULL)))
        return scan_fail (scanner, error, "a number out of range");
    }

  return TRUE;
}

static gboolean
scan_literal (Scanner    *scanner,
              const char *literal,
              GError    **error)
{
  gsize n = strlen (literal);

  if (scanner->length - scanner->pos < n ||
      memcmp (scanner->data + scanner->pos, literal, n) != 0)
    return scan_fail (scanner, error, "unexpected character");

  scanner->pos += n;
  return TRUE;
}

/*
 * One pass, no recursion: a stack of at most @max_depth container kinds. Refusing depth here
 * matters because json-glib recurses once per level, so 100 000 '[' would exhaust the stack.
 */
static gboolean
check_json (const char  *data,
            gsize        length,
            guint        max_depth,
            GError     **error)
{
  Scanner scanner = { (const guchar *) data, length, 0 };
  gboolean in_object[MAX_CHECKABLE_DEPTH];
  guint depth = 0;
  ScanState state = EXPECT_VALUE;

  while (TRUE)
    {
      guchar c;

      while (scanner.pos < length &&
             (data[scanner.pos] == ' ' || data[scanner.pos] == '\t' ||
              data[scanner.pos] == '\n' || data[scanner.pos] == '\r'))
        scanner.pos++;

      if (scanner.pos == length)
        {
          if (state == EXPECT_NOTHING)
            return TRUE;
          return scan_fail (&scanner, error, "unexpected end of input");
        }

      c = scanner.data[scanner.pos];

      switch (state)
        {
        case EXPECT_VALUE_OR_ARRAY_END:
          if (c == ']')
            {
              scanner.pos++;
              depth--;
              state = depth > 0 ? EXPECT_SEPARATOR_OR_END : EXPECT_NOTHING;
              break;
            }
          G_GNUC_FALLTHROUGH;

        case EXPECT_VALUE:
          if (c == '{' || c == '[')
            {
              if (depth >= max_depth)
                {
                  g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_TOO_DEEP,
                               "nested deeper than %u levels at byte %" G_GSIZE_FORMAT,
                               max_depth, scanner.pos);
                  return FALSE;
                }
              in_object[depth++] = c == '{';
              scanner.pos++;
              state = c == '{' ? EXPECT_KEY_OR_OBJECT_END : EXPECT_VALUE_OR_ARRAY_END;
              break;
            }

          if (c == '"')
            {
              if (!scan_string (&scanner, error))
                return FALSE;
            }
          else if (c == '-' || g_ascii_isdigit (c))
            {
              if (!scan_number (&scanner, error))
                return FALSE;
            }
          else if (c == 't' || c == 'f' || c == 'n')
            {
              if (!scan_literal (&scanner, c == 't' ? "true" : c == 'f' ? "false" : "null",
                                 error))
                return FALSE;
            }
          else
            return scan_fail (&scanner, error, "expected a value");

          state = depth > 0 ? EXPECT_SEPARATOR_OR_END : EXPECT_NOTHING;
          break;

        case EXPECT_KEY_OR_OBJECT_END:
          if (c == '}')
            {
              scanner.pos++;
              depth--;
              state = depth > 0 ? EXPECT_SEPARATOR_OR_END : EXPECT_NOTHING;
              break;
            }
          G_GNUC_FALLTHROUGH;

        case EXPECT_KEY:
          if (c != '"')
            return scan_fail (&scanner, error, "expected a member name");
          if (!scan_string (&scanner, error))
            return FALSE;
          state = EXPECT_COLON;
          break;

        case EXPECT_COLON:
          if (c != ':')
            return scan_fail (&scanner, error, "expected ':'");
          scanner.pos++;
          state = EXPECT_VALUE;
          break;

        case EXPECT_SEPARATOR_OR_END:
          g_assert (depth > 0);
          if (c == ',')
            {
              scanner.pos++;
              state = in_object[depth - 1] ? EXPECT_KEY : EXPECT_VALUE;
            }
          else if ((c == '}' && in_object[depth - 1]) || (c == ']' && !in_object[depth - 1]))
            {
              scanner.pos++;
              depth--;
              state = depth > 0 ? EXPECT_SEPARATOR_OR_END : EXPECT_NOTHING;
            }
          else
            return scan_fail (&scanner, error, in_object[depth - 1] ? "expected ',' or '}'"
                                                                    : "expected ',' or ']'");
          break;

        case EXPECT_NOTHING:
          return scan_fail (&scanner, error, "unexpected data after the end");

        default:
          g_assert_not_reached ();
        }
    }
}

JsonNode *
tessera_json_parse (const char  *data,
                    gsize        length,
                    guint        max_depth,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean blank = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (max_depth <= MAX_CHECKABLE_DEPTH, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (gsize i = 0; i < length && blank; i++)
    blank = data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r';
  if (blank)
    {
      g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_JSON,
                           "empty document: expected JSON");
      return NULL;
    }

  if (length > G_MAXSSIZE)
    {
      g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_TOO_LONG,
                           "document too large");
      return NULL;
    }

  if (!check_json (data, length, max_depth, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      /* Should not happen after the check above; say so plainly if it does. */
      g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_JSON,
                   "not valid JSON: %s", local_error->message);
      return NULL;
    }

  return json_parser_steal_root (parser);
}

JsonNode *
tessera_json_parse_object (const char  *data,
                           gsize        length,
                           guint        max_depth,
                           GError     **error)
{
  g_autoptr(JsonNode) root = tessera_json_parse (data, length, max_depth, error);

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_JSON,
                           "expected a JSON object");
      return NULL;
    }

  return g_steal_pointer (&root);
}

JsonNode *
tessera_json_parse_bytes (GBytes  *bytes,
                          GError **error)
{
  gsize length;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  return tessera_json_parse_object (data != NULL ? data : "", length, TESSERA_JSON_MAX_DEPTH,
                                    error);
}

/*
 * json-glib 1.6 writes U+001F inside strings as a raw byte (its escaper stops one short of
 * 0x20), which RFC 8259 forbids and check_json() refuses. One account name, device serial or
 * comment holding it would make every answer that carries it unreadable to the client: found
 * by the fuzz targets (tests/fuzz). A raw 0x1f can only stand inside a string, and is never
 * part of a multi-byte UTF-8 sequence, so replacing each by its escape is exact.
 */
static char *
escape_unit_separators (char  *text,
                        gsize *length)
{
  GString *escaped;

  if (strchr (text, 0x1f) == NULL)
    return text;

  escaped = g_string_sized_new (*length + 16);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == 0x1f)
        g_string_append (escaped, "\\u001f");
      else
        g_string_append_c (escaped, *p);
    }
  g_free (text);

  *length = escaped->len;
  return g_string_free (escaped, FALSE);
}

char *
tessera_json_builder_to_string (JsonBuilder *builder,
                                gsize       *length)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize text_length = 0;
  char *text;

  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);

  root = json_builder_get_root (builder);
  g_return_val_if_fail (root != NULL, NULL);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  text = escape_unit_separators (json_generator_to_data (generator, &text_length), &text_length);

  if (length != NULL)
    *length = text_length;
  return text;
}

GBytes *
tessera_json_builder_to_bytes (JsonBuilder *builder)
{
  gsize length = 0;
  char *data = tessera_json_builder_to_string (builder, &length);

  return g_bytes_new_take (data, length);
}

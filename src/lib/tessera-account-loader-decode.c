/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-account-loader"

#include "config.h"

#include <string.h>

#include "tessera-account-loader-private.h"
#include "tessera-account-private.h"

/*
 * A lean decoder for pages of accounts: one pass over the bytes, straight into TesseraAccount
 * instances, without building a json-glib tree (which costs most of the time of a page, and a
 * page of 1 000 accounts comes 100 times for 100 000 accounts).
 *
 * It is only ever a shortcut. Whenever anything is not exactly as a well-behaved server writes
 * it (a duplicate member, a number that is not a plain integer, a surrogate escape, history
 * arrays, too deep, …) it declines, and the caller decodes the page with the strict reference
 * path (tessera_json_parse + tessera_account_new_from_json), which then accepts it or names
 * the problem. So it may decline more than the reference refuses, but it must never accept
 * what the reference refuses, nor decode anything differently: tests/test-client-decode.c
 * compares both on generated and mutated pages.
 */

#define MAX_DEPTH          TESSERA_JSON_MAX_DEPTH
#define MAX_CURSOR_LENGTH  2048
#define MAX_SHORT_VALUE    63    /* enum names and timestamps are copied to the stack */

typedef struct {
  const guchar *p;
  const guchar *end;
  guint         depth;
  GString      *scratch;         /* unescaped text of the last string that had escapes */
} Lexer;

/* A string value: points into the page, or into the scratch buffer. */
typedef struct {
  const char *text;
  gsize       length;
} Slice;

static inline void
skip_whitespace (Lexer *lexer)
{
  while (lexer->p < lexer->end &&
         (*lexer->p == ' ' || *lexer->p == '\n' || *lexer->p == '\r' || *lexer->p == '\t'))
    lexer->p++;
}

static inline gboolean
expect (Lexer  *lexer,
        guchar  c)
{
  skip_whitespace (lexer);
  if (lexer->p >= lexer->end || *lexer->p != c)
    return FALSE;
  lexer->p++;
  return TRUE;
}

static inline gboolean
peek_is (Lexer  *lexer,
         guchar  c)
{
  skip_whitespace (lexer);
  return lexer->p < lexer->end && *lexer->p == c;
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

/* The escaped rest of a string, from the first backslash on, into the scratch buffer. */
static gboolean
read_escaped_string (Lexer        *lexer,
                     const guchar *start,
                     Slice        *out)
{
  GString *text = lexer->scratch;

  g_string_truncate (text, 0);
  g_string_append_len (text, (const char *) start, lexer->p - start);

  while (lexer->p < lexer->end)
    {
      guchar c = *lexer->p;

      if (c == '"')
        {
          lexer->p++;
          if (!g_utf8_validate_len (text->str, text->len, NULL))
            return FALSE;
          out->text = text->str;
          out->length = text->len;
          return TRUE;
        }

      if (c < 0x20)
        return FALSE;

      if (c != '\\')
        {
          g_string_append_c (text, (char) c);
          lexer->p++;
          continue;
        }

      if (lexer->end - lexer->p < 2)
        return FALSE;

      switch (lexer->p[1])
        {
        case '"':  g_string_append_c (text, '"');  break;
        case '\\': g_string_append_c (text, '\\'); break;
        case '/':  g_string_append_c (text, '/');  break;
        case 'b':  g_string_append_c (text, '\b'); break;
        case 'f':  g_string_append_c (text, '\f'); break;
        case 'n':  g_string_append_c (text, '\n'); break;
        case 'r':  g_string_append_c (text, '\r'); break;
        case 't':  g_string_append_c (text, '\t'); break;
        case 'u':
          {
            gunichar value = 0;

            if (lexer->end - lexer->p < 6)
              return FALSE;
            for (guint i = 2; i < 6; i++)
              {
                int digit = hex_value (lexer->p[i]);

                if (digit < 0)
                  return FALSE;
                value = value * 16 + (gunichar) digit;
              }

            /* NUL and surrogates: left to the reference decoder. */
            if (value == 0 || (value >= 0xD800 && value <= 0xDFFF))
              return FALSE;

            g_string_append_unichar (text, value);
            lexer->p += 6;
            continue;
          }
        default:
          return FALSE;
        }

      lexer->p += 2;
    }

  return FALSE;
}

/* A string value, after optional whitespace. */
static gboolean
read_string (Lexer *lexer,
             Slice *out)
{
  const guchar *start;

  if (!expect (lexer, '"'))
    return FALSE;

  start = lexer->p;
  while (lexer->p < lexer->end && *lexer->p != '"' && *lexer->p != '\\' && *lexer->p >= 0x20)
    lexer->p++;

  if (lexer->p >= lexer->end || *lexer->p < 0x20)
    return FALSE;

  if (*lexer->p == '\\')
    return read_escaped_string (lexer, start, out);

  if (!g_utf8_validate_len ((const char *) start, lexer->p - start, NULL))
    return FALSE;

  out->text = (const char *) start;
  out->length = lexer->p - start;
  lexer->p++;

  return TRUE;
}

static gboolean
read_literal (Lexer      *lexer,
              const char *literal)
{
  gsize length = strlen (literal);

  skip_whitespace (lexer);
  if ((gsize) (lexer->end - lexer->p) < length || memcmp (lexer->p, literal, length) != 0)
    return FALSE;
  lexer->p += length;

  return TRUE;
}

/* A non-negative integer written plainly (no sign, fraction or exponent), at most @max. */
static gboolean
read_plain_integer (Lexer   *lexer,
                    guint64  max,
                    guint64 *out)
{
  guint64 value = 0;
  const guchar *start;

  skip_whitespace (lexer);
  start = lexer->p;
  while (lexer->p < lexer->end && *lexer->p >= '0' && *lexer->p <= '9')
    {
      if (lexer->p - start >= 18)
        return FALSE;
      value = value * 10 + (*lexer->p - '0');
      lexer->p++;
    }

  if (lexer->p == start || (lexer->p - start > 1 && *start == '0'))
    return FALSE;
  /* A fraction or exponent makes it a double, which is a different type. */
  if (lexer->p < lexer->end && (*lexer->p == '.' || *lexer->p == 'e' || *lexer->p == 'E'))
    return FALSE;
  if (value > max)
    return FALSE;

  *out = value;
  return TRUE;
}

/* RFC 8259 number grammar, kept within what the reference parser accepts. */
static gboolean
skip_number (Lexer *lexer)
{
  const guchar *start = lexer->p;
  const guchar *digits;

  if (lexer->p < lexer->end && *lexer->p == '-')
    lexer->p++;

  digits = lexer->p;
  while (lexer->p < lexer->end && g_ascii_isdigit (*lexer->p))
    lexer->p++;
  if (lexer->p == digits || (lexer->p - digits > 1 && *digits == '0'))
    return FALSE;
  /* Integers that might not fit a gint64: left to the reference decoder. */
  if (lexer->p - digits > 18)
    return FALSE;

  if (lexer->p < lexer->end && *lexer->p == '.')
    {
      lexer->p++;
      digits = lexer->p;
      while (lexer->p < lexer->end && g_ascii_isdigit (*lexer->p))
        lexer->p++;
      if (lexer->p == digits)
        return FALSE;
    }

  if (lexer->p < lexer->end && (*lexer->p == 'e' || *lexer->p == 'E'))
    {
      lexer->p++;
      if (lexer->p < lexer->end && (*lexer->p == '+' || *lexer->p == '-'))
        lexer->p++;
      digits = lexer->p;
      while (lexer->p < lexer->end && g_ascii_isdigit (*lexer->p))
        lexer->p++;
      /* At most 18 + 99 decimal orders: always finite, as the reference requires. */
      if (lexer->p == digits || lexer->p - digits > 2)
        return FALSE;
    }

  return lexer->p > start;
}

static gboolean skip_value (Lexer *lexer);

/* An unknown member's value: checked as strictly as the reference parser checks it. */
static gboolean
skip_container (Lexer  *lexer,
                guchar  close)
{
  gboolean first = TRUE;

  if (++lexer->depth > MAX_DEPTH)
    return FALSE;

  lexer->p++;
  for (;;)
    {
      if (peek_is (lexer, close))
        {
          /* No trailing comma: only an empty container closes right after its opening. */
          if (!first)
            return FALSE;
          break;
        }

      if (close == '}')
        {
          Slice key;

          if (!read_string (lexer, &key) || !expect (lexer, ':'))
            return FALSE;
        }
      if (!skip_value (lexer))
        return FALSE;

      first = FALSE;
      if (peek_is (lexer, ','))
        {
          lexer->p++;
          if (peek_is (lexer, close))
            return FALSE;
          continue;
        }
      if (!peek_is (lexer, close))
        return FALSE;
      break;
    }

  lexer->p++;
  lexer->depth--;

  return TRUE;
}

static gboolean
skip_value (Lexer *lexer)
{
  Slice ignored;

  skip_whitespace (lexer);
  if (lexer->p >= lexer->end)
    return FALSE;

  switch (*lexer->p)
    {
    case '"':
      return read_string (lexer, &ignored);
    case '{':
      return skip_container (lexer, '}');
    case '[':
      return skip_container (lexer, ']');
    case 't':
      return read_literal (lexer, "true");
    case 'f':
      return read_literal (lexer, "false");
    case 'n':
      return read_literal (lexer, "null");
    default:
      return skip_number (lexer);
    }
}

static inline gboolean
key_is (const Slice *key,
        const char  *name)
{
  gsize length = strlen (name);

  return key->length == length && memcmp (key->text, name, length) == 0;
}

/* Members of one object, calling @member for each key; declines on duplicates of known keys. */
typedef gboolean (*MemberFunc) (Lexer       *lexer,
                                const Slice *key,
                                gpointer     data);

static gboolean
read_object (Lexer      *lexer,
             MemberFunc  member,
             gpointer    data)
{
  if (!expect (lexer, '{'))
    return FALSE;
  if (++lexer->depth > MAX_DEPTH)
    return FALSE;

  if (peek_is (lexer, '}'))
    {
      lexer->p++;
      lexer->depth--;
      return TRUE;
    }

  for (;;)
    {
      Slice key;
      g_autofree char *key_copy = NULL;

      if (!read_string (lexer, &key))
        return FALSE;

      /* The key may live in the scratch buffer, which the value may overwrite. */
      if (key.text == lexer->scratch->str)
        {
          key_copy = g_strndup (key.text, key.length);
          key.text = key_copy;
        }

      if (!expect (lexer, ':') || !member (lexer, &key, data))
        return FALSE;

      if (peek_is (lexer, ','))
        {
          lexer->p++;
          continue;
        }
      if (!expect (lexer, '}'))
        return FALSE;
      break;
    }

  lexer->depth--;
  return TRUE;
}

/* A string member, copied out; @nullable: JSON null reads as NULL. */
static gboolean
read_text (Lexer     *lexer,
           gboolean   nullable,
           gsize      max_length,
           gboolean  *seen,
           char     **out)
{
  Slice value;

  if (*seen)
    return FALSE;
  *seen = TRUE;

  if (nullable && peek_is (lexer, 'n'))
    {
      *out = NULL;
      return read_literal (lexer, "null");
    }

  if (!read_string (lexer, &value) || value.length > max_length)
    return FALSE;

  *out = g_strndup (value.text, value.length);
  return TRUE;
}

/* A short string member on the stack, for enum names and timestamps. */
static gboolean
read_short (Lexer    *lexer,
            gboolean  nullable,
            gboolean *seen,
            gboolean *is_null,
            char      buffer[MAX_SHORT_VALUE + 1])
{
  Slice value;

  if (*seen)
    return FALSE;
  *seen = TRUE;
  *is_null = FALSE;

  if (nullable && peek_is (lexer, 'n'))
    {
      *is_null = TRUE;
      return read_literal (lexer, "null");
    }

  if (!read_string (lexer, &value) || value.length > MAX_SHORT_VALUE ||
      memchr (value.text, '\0', value.length) != NULL)
    return FALSE;

  memcpy (buffer, value.text, value.length);
  buffer[value.length] = '\0';
  return TRUE;
}

typedef struct {
  /* Owned until handed to the account */
  char      *id;
  char      *display_name;
  char      *upn;
  char      *site;
  char      *license;
  char      *otp_id;
  char      *issued_by;
  char      *request_id;
  GPtrArray *issues;       /* of owned strings */

  int        readiness;
  int        state;
  gint64     updated_at;
  gint64     expires_at;
  gboolean   has_expires_at;

  gboolean   seen_id, seen_display_name, seen_upn, seen_site, seen_license, seen_readiness;
  gboolean   seen_issues, seen_updated_at, seen_provisioning, seen_otps, seen_requests;
  gboolean   seen_state, seen_otp_id, seen_issued_by, seen_expires_at, seen_request_id;
} AccountFields;

static void
account_fields_clear (AccountFields *fields)
{
  g_free (fields->id);
  g_free (fields->display_name);
  g_free (fields->upn);
  g_free (fields->site);
  g_free (fields->license);
  g_free (fields->otp_id);
  g_free (fields->issued_by);
  g_free (fields->request_id);
  g_clear_pointer (&fields->issues, g_ptr_array_unref);
}

static gboolean
read_enum (Lexer    *lexer,
           gboolean *seen,
           GType     enum_type,
           int      *out)
{
  char name[MAX_SHORT_VALUE + 1];
  gboolean is_null;

  return read_short (lexer, FALSE, seen, &is_null, name) &&
         tessera_enum_from_string (enum_type, name, out);
}

static gboolean
read_timestamp (Lexer    *lexer,
                gboolean  nullable,
                gboolean *seen,
                gboolean *present,
                gint64   *out)
{
  char text[MAX_SHORT_VALUE + 1];
  gboolean is_null;

  if (!read_short (lexer, nullable, seen, &is_null, text))
    return FALSE;

  *present = !is_null;
  return is_null || tessera_datetime_parse_unix_usec (text, out, NULL);
}

static gboolean
read_provisioning_member (Lexer       *lexer,
                          const Slice *key,
                          gpointer     data)
{
  AccountFields *fields = data;

  if (key_is (key, "state"))
    return read_enum (lexer, &fields->seen_state, TESSERA_TYPE_PROVISIONING_STATE, &fields->state);
  if (key_is (key, "otp_id"))
    return read_text (lexer, TRUE, TESSERA_MAX_NAME_LENGTH, &fields->seen_otp_id, &fields->otp_id);
  if (key_is (key, "issued_by"))
    return read_text (lexer, TRUE, TESSERA_MAX_NAME_LENGTH, &fields->seen_issued_by,
                      &fields->issued_by);
  if (key_is (key, "request_id"))
    return read_text (lexer, TRUE, TESSERA_MAX_NAME_LENGTH, &fields->seen_request_id,
                      &fields->request_id);
  if (key_is (key, "expires_at"))
    return read_timestamp (lexer, TRUE, &fields->seen_expires_at, &fields->has_expires_at,
                           &fields->expires_at);

  return skip_value (lexer);
}

static gboolean
read_issues (Lexer         *lexer,
             AccountFields *fields)
{
  if (fields->seen_issues)
    return FALSE;
  fields->seen_issues = TRUE;
  fields->issues = g_ptr_array_new_with_free_func (g_free);

  if (!expect (lexer, '['))
    return FALSE;
  if (peek_is (lexer, ']'))
    {
      lexer->p++;
      return TRUE;
    }

  for (;;)
    {
      Slice value;

      if (!read_string (lexer, &value) || value.length > TESSERA_MAX_NAME_LENGTH ||
          fields->issues->len >= TESSERA_MAX_READINESS_ISSUES)
        return FALSE;
      g_ptr_array_add (fields->issues, g_strndup (value.text, value.length));

      if (peek_is (lexer, ','))
        {
          lexer->p++;
          continue;
        }
      return expect (lexer, ']');
    }
}

static gboolean
read_account_member (Lexer       *lexer,
                     const Slice *key,
                     gpointer     data)
{
  AccountFields *fields = data;
  gboolean present;

  if (key_is (key, "id"))
    return read_text (lexer, FALSE, TESSERA_MAX_NAME_LENGTH, &fields->seen_id, &fields->id);
  if (key_is (key, "display_name"))
    return read_text (lexer, FALSE, TESSERA_MAX_NAME_LENGTH, &fields->seen_display_name,
                      &fields->display_name);
  if (key_is (key, "upn"))
    return read_text (lexer, FALSE, TESSERA_MAX_NAME_LENGTH, &fields->seen_upn, &fields->upn);
  if (key_is (key, "site"))
    return read_text (lexer, FALSE, TESSERA_MAX_NAME_LENGTH, &fields->seen_site, &fields->site);
  if (key_is (key, "license"))
    return read_text (lexer, TRUE, TESSERA_MAX_NAME_LENGTH, &fields->seen_license,
                      &fields->license);
  if (key_is (key, "readiness"))
    return read_enum (lexer, &fields->seen_readiness, TESSERA_TYPE_READINESS, &fields->readiness);
  if (key_is (key, "readiness_issues"))
    return read_issues (lexer, fields);
  if (key_is (key, "updated_at"))
    return read_timestamp (lexer, FALSE, &fields->seen_updated_at, &present,
                           &fields->updated_at);
  if (key_is (key, "provisioning"))
    {
      if (fields->seen_provisioning)
        return FALSE;
      fields->seen_provisioning = TRUE;
      return read_object (lexer, read_provisioning_member, fields);
    }
  /* History belongs to single accounts, not pages: the reference decoder handles it. */
  if (key_is (key, "otps") || key_is (key, "requests"))
    {
      gboolean *seen = key_is (key, "otps") ? &fields->seen_otps : &fields->seen_requests;

      if (*seen)
        return FALSE;
      *seen = TRUE;
      return read_literal (lexer, "null");
    }

  return skip_value (lexer);
}

static TesseraAccount *
read_account (Lexer *lexer)
{
  AccountFields fields = { 0 };
  TesseraAccount *self = NULL;

  if (read_object (lexer, read_account_member, &fields) &&
      fields.seen_id && fields.seen_display_name && fields.seen_upn && fields.seen_site &&
      fields.seen_readiness && fields.seen_issues && fields.seen_updated_at &&
      fields.seen_provisioning && fields.seen_state)
    {
      /* As tessera_account_new_from_json() lays it out: interned last, nothing fails after. */
      self = g_object_new (TESSERA_TYPE_ACCOUNT, NULL);
      self->id = g_steal_pointer (&fields.id);
      self->display_name = g_steal_pointer (&fields.display_name);
      self->upn = g_steal_pointer (&fields.upn);
      self->site = g_intern_string (fields.site);
      self->license = _tessera_intern_or_null (fields.license);
      self->readiness = fields.readiness;
      self->updated_at = fields.updated_at;
      self->provisioning_state = fields.state;
      self->otp_id = g_steal_pointer (&fields.otp_id);
      self->issued_by = _tessera_intern_or_null (fields.issued_by);
      self->has_expires_at = !!fields.has_expires_at;
      self->expires_at = fields.has_expires_at ? fields.expires_at : 0;
      self->request_id = g_steal_pointer (&fields.request_id);

      if (fields.issues->len > 0)
        {
          const char **issues = g_new (const char *, fields.issues->len + 1);

          for (guint i = 0; i < fields.issues->len; i++)
            issues[i] = g_intern_string (g_ptr_array_index (fields.issues, i));
          issues[fields.issues->len] = NULL;
          self->readiness_issues = issues;
        }
    }

  account_fields_clear (&fields);

  return self;
}

typedef struct {
  GPtrArray *items;
  char      *next_cursor;
  guint64    total;
  gboolean   seen_items, seen_next_cursor, seen_total;
} PageFields;

static gboolean
read_items (Lexer      *lexer,
            PageFields *fields)
{
  if (fields->seen_items)
    return FALSE;
  fields->seen_items = TRUE;

  if (!expect (lexer, '['))
    return FALSE;
  if (++lexer->depth > MAX_DEPTH)
    return FALSE;

  if (peek_is (lexer, ']'))
    {
      lexer->p++;
      lexer->depth--;
      return TRUE;
    }

  for (;;)
    {
      TesseraAccount *account = read_account (lexer);

      if (account == NULL)
        return FALSE;
      g_ptr_array_add (fields->items, account);

      if (peek_is (lexer, ','))
        {
          lexer->p++;
          continue;
        }
      if (!expect (lexer, ']'))
        return FALSE;
      break;
    }

  lexer->depth--;
  return TRUE;
}

static gboolean
read_page_member (Lexer       *lexer,
                  const Slice *key,
                  gpointer     data)
{
  PageFields *fields = data;

  if (key_is (key, "items"))
    return read_items (lexer, fields);
  if (key_is (key, "next_cursor"))
    return read_text (lexer, TRUE, MAX_CURSOR_LENGTH, &fields->seen_next_cursor,
                      &fields->next_cursor);
  if (key_is (key, "total"))
    {
      if (fields->seen_total)
        return FALSE;
      fields->seen_total = TRUE;
      return read_plain_integer (lexer, G_MAXUINT, &fields->total);
    }

  return skip_value (lexer);
}

GPtrArray *
_tessera_account_page_decode_lean (const char  *data,
                                   gsize        length,
                                   char       **next_cursor,
                                   guint       *total)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  PageFields fields = { 0 };
  Lexer lexer = { (const guchar *) data, (const guchar *) data + length, 0, scratch };
  gboolean ok;

  fields.items = g_ptr_array_new_with_free_func (g_object_unref);

  ok = read_object (&lexer, read_page_member, &fields) &&
       fields.seen_items && fields.seen_total;
  if (ok)
    {
      skip_whitespace (&lexer);
      ok = lexer.p == lexer.end;
    }

  if (!ok)
    {
      g_ptr_array_unref (fields.items);
      g_free (fields.next_cursor);
      return NULL;
    }

  *next_cursor = fields.next_cursor;
  *total = (guint) fields.total;

  return fields.items;
}

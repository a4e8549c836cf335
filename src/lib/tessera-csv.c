/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-csv"

#include "config.h"

#include <string.h>

#include "tessera-csv.h"

struct _TesseraCsvReader
{
  GObject     parent_instance;

  GBytes     *data;  /* owned */
  const char *pos;
  const char *end;
  guint       line;  /* physical line at pos, from 1 */
};

G_DEFINE_TYPE (TesseraCsvReader, tessera_csv_reader, G_TYPE_OBJECT)

G_DEFINE_QUARK (tessera-csv-error-quark, tessera_csv_error)

static void
tessera_csv_reader_finalize (GObject *object)
{
  TesseraCsvReader *self = TESSERA_CSV_READER (object);

  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (tessera_csv_reader_parent_class)->finalize (object);
}

static void
tessera_csv_reader_class_init (TesseraCsvReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tessera_csv_reader_finalize;
}

static void
tessera_csv_reader_init (TesseraCsvReader *self)
{
  self->line = 1;
}

TesseraCsvReader *
tessera_csv_reader_new (GBytes *data)
{
  TesseraCsvReader *self;
  gsize size;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (TESSERA_TYPE_CSV_READER, NULL);
  self->data = g_bytes_ref (data);
  self->pos = g_bytes_get_data (data, &size);
  if (self->pos == NULL)
    self->pos = "";
  self->end = self->pos + size;

  if (size >= 3 && memcmp (self->pos, "\xEF\xBB\xBF", 3) == 0)
    self->pos += 3;

  return self;
}

/* Consumes one line end (CRLF, LF or a lone CR) at pos, if there is one. */
static gboolean
consume_line_end (TesseraCsvReader *self)
{
  if (self->pos < self->end && *self->pos == '\r')
    {
      self->pos++;
      if (self->pos < self->end && *self->pos == '\n')
        self->pos++;
      self->line++;
      return TRUE;
    }

  if (self->pos < self->end && *self->pos == '\n')
    {
      self->pos++;
      self->line++;
      return TRUE;
    }

  return FALSE;
}

static void
skip_rest_of_line (TesseraCsvReader *self)
{
  while (self->pos < self->end && *self->pos != '\r' && *self->pos != '\n')
    self->pos++;
  consume_line_end (self);
}

/* Fields may hold passwords: the scratch buffer is scrubbed before it goes back to the heap. */
typedef GString ScratchString;

static void
scratch_string_free (ScratchString *s)
{
  if (s->allocated_len > 0)
    explicit_bzero (s->str, s->allocated_len);
  g_string_free (s, TRUE);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScratchString, scratch_string_free)

static gboolean
read_quoted (TesseraCsvReader *self,
             GString          *field,
             guint             record_line,
             GError          **error)
{
  self->pos++; /* opening quote */

  for (;;)
    {
      if (self->pos >= self->end)
        {
          g_set_error (error, TESSERA_CSV_ERROR, TESSERA_CSV_ERROR_UNTERMINATED_QUOTE,
                       "Line %u: a quoted field is not closed", record_line);
          return FALSE;
        }

      if (*self->pos == '"')
        {
          if (self->pos + 1 < self->end && self->pos[1] == '"')
            {
              g_string_append_c (field, '"');
              self->pos += 2;
              continue;
            }

          self->pos++;
          break;
        }

      if (*self->pos == '\n' || (*self->pos == '\r' && !(self->pos + 1 < self->end
                                                         && self->pos[1] == '\n')))
        self->line++;

      g_string_append_c (field, *self->pos);
      self->pos++;

      if (field->len > TESSERA_CSV_MAX_FIELD_LENGTH)
        {
          g_set_error (error, TESSERA_CSV_ERROR, TESSERA_CSV_ERROR_TOO_LONG,
                       "Line %u: a field is longer than %d bytes", record_line,
                       TESSERA_CSV_MAX_FIELD_LENGTH);
          return FALSE;
        }
    }

  if (self->pos < self->end && *self->pos != ',' && *self->pos != '\r' && *self->pos != '\n')
    {
      g_set_error (error, TESSERA_CSV_ERROR, TESSERA_CSV_ERROR_TEXT_AFTER_QUOTE,
                   "Line %u: text follows a closing quote; a quote inside a quoted field is "
                   "written as two quotes", record_line);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_plain (TesseraCsvReader *self,
            GString          *field,
            guint             record_line,
            GError          **error)
{
  while (self->pos < self->end && *self->pos != ',' && *self->pos != '\r' && *self->pos != '\n')
    {
      if (*self->pos == '"')
        {
          g_set_error (error, TESSERA_CSV_ERROR, TESSERA_CSV_ERROR_STRAY_QUOTE,
                       "Line %u: a field contains a quote but is not enclosed in quotes",
                       record_line);
          return FALSE;
        }

      g_string_append_c (field, *self->pos);
      self->pos++;

      if (field->len > TESSERA_CSV_MAX_FIELD_LENGTH)
        {
          g_set_error (error, TESSERA_CSV_ERROR, TESSERA_CSV_ERROR_TOO_LONG,
                       "Line %u: a field is longer than %d bytes", record_line,
                       TESSERA_CSV_MAX_FIELD_LENGTH);
          return FALSE;
        }
    }

  return TRUE;
}

static void
free_secret_string (gpointer data)
{
  char *s = data;

  if (s != NULL)
    explicit_bzero (s, strlen (s));
  g_free (s);
}

gboolean
tessera_csv_reader_next (TesseraCsvReader  *self,
                         GPtrArray        **fields,
                         guint             *line,
                         GError           **error)
{
  g_autoptr(GPtrArray) record = NULL;
  guint record_line;

  g_return_val_if_fail (TESSERA_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *fields = NULL;

  /* Empty lines separate nothing; skip them but keep counting. */
  while (consume_line_end (self))
    ;

  if (line != NULL)
    *line = self->line;

  if (self->pos >= self->end)
    return FALSE;

  record_line = self->line;
  record = g_ptr_array_new_with_free_func (free_secret_string);

  for (;;)
    {
      g_autoptr(ScratchString) field = g_string_new (NULL);
      gboolean ok;

      /* After a comma that ends the input, pos is at the end: an empty last field. */
      if (self->pos < self->end && *self->pos == '"')
        ok = read_quoted (self, field, record_line, error);
      else
        ok = read_plain (self, field, record_line, error);

      if (ok && (memchr (field->str, '\0', field->len) != NULL
                 || !g_utf8_validate (field->str, field->len, NULL)))
        {
          g_set_error (error, TESSERA_CSV_ERROR, TESSERA_CSV_ERROR_INVALID_TEXT,
                       "Line %u: the text is not valid UTF-8", record_line);
          ok = FALSE;
        }

      if (ok && record->len >= TESSERA_CSV_MAX_FIELDS)
        {
          g_set_error (error, TESSERA_CSV_ERROR, TESSERA_CSV_ERROR_TOO_LONG,
                       "Line %u: more than %d fields", record_line, TESSERA_CSV_MAX_FIELDS);
          ok = FALSE;
        }

      if (!ok)
        {
          skip_rest_of_line (self);
          return FALSE;
        }

      g_ptr_array_add (record, g_strndup (field->str, field->len));

      if (self->pos < self->end && *self->pos == ',')
        {
          self->pos++;
          continue;
        }

      consume_line_end (self);
      break;
    }

  *fields = g_steal_pointer (&record);
  return TRUE;
}

int
tessera_csv_find_column (GPtrArray  *header,
                         const char *name)
{
  g_return_val_if_fail (header != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < header->len; i++)
    {
      g_autofree char *column = g_strstrip (g_strdup (g_ptr_array_index (header, i)));

      if (g_ascii_strcasecmp (column, name) == 0)
        return (int) i;
    }

  return -1;
}

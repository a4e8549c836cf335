/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-json"

#include "config.h"

#include <string.h>

#include "tessera-datetime.h"
#include "tessera-enums.h"
#include "tessera-json.h"

G_DEFINE_QUARK (tessera-json-error-quark, tessera_json_error)

/* Cursors are opaque to clients but carry a sort key (a display name) and an id. */
#define MAX_CURSOR_LENGTH 2048
/* The longest wire name of any enum, with room to spare */
#define MAX_ENUM_NAME_LENGTH 64

/* ------------------------------------------------------------------------------------------
 * Error paths
 * ------------------------------------------------------------------------------------------ */

void
tessera_json_prefix_error (GError     **error,
                           const char  *parent_format,
                           ...)
{
  g_autofree char *parent = NULL;
  char *message;
  va_list args;

  if (error == NULL || *error == NULL)
    return;

  va_start (args, parent_format);
  parent = g_strdup_vprintf (parent_format, args);
  va_end (args);

  /* "[3]: …" joins without a dot; a message without a path of its own gets ": " */
  if ((*error)->message[0] == '[')
    message = g_strconcat (parent, (*error)->message, NULL);
  else if (g_str_has_prefix ((*error)->message, "expected a JSON object"))
    message = g_strconcat (parent, ": expected an object", NULL);
  else
    message = g_strconcat (parent, ".", (*error)->message, NULL);

  g_free ((*error)->message);
  (*error)->message = message;
}

static gboolean
member_error (GError     **error,
              int          code,
              const char  *member,
              const char  *what)
{
  g_set_error (error, TESSERA_JSON_ERROR, code, "%s: %s", member, what);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------
 * Member helpers
 * ------------------------------------------------------------------------------------------ */

gboolean
tessera_json_expect_object (JsonNode    *node,
                            JsonObject **out,
                            GError     **error)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE,
                           "expected a JSON object");
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
tessera_json_check_string (const char  *value,
                           gsize        max_length,
                           GError     **error)
{
  gsize length = strlen (value);

  if (length > max_length)
    {
      g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_TOO_LONG,
                   "longer than %" G_GSIZE_FORMAT " bytes", max_length);
      return FALSE;
    }

  /* Text from a builder, not the parser, has not been through check_json(). */
  if (!g_utf8_validate_len (value, length, NULL))
    {
      g_set_error_literal (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE,
                           "not valid UTF-8");
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gboolean     required,
            gsize        max_length,
            const char **out,
            GError     **error)
{
  JsonNode *node;
  const char *value;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required && node == NULL)
        return member_error (error, TESSERA_JSON_ERROR_MISSING_MEMBER, member, "missing");
      if (required)
        return member_error (error, TESSERA_JSON_ERROR_WRONG_TYPE, member,
                             "expected a string, not null");
      *out = NULL;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return member_error (error, TESSERA_JSON_ERROR_WRONG_TYPE, member, "expected a string");

  value = json_node_get_string (node);
  if (!tessera_json_check_string (value, max_length, &local_error))
    return member_error (error, local_error->code, member, local_error->message);

  *out = value;
  return TRUE;
}

gboolean
tessera_json_require_string (JsonObject  *object,
                             const char  *member,
                             gsize        max_length,
                             const char **out,
                             GError     **error)
{
  return get_string (object, member, TRUE, max_length, out, error);
}

gboolean
tessera_json_optional_string (JsonObject  *object,
                              const char  *member,
                              gsize        max_length,
                              const char **out,
                              GError     **error)
{
  return get_string (object, member, FALSE, max_length, out, error);
}

static gboolean
get_int (JsonObject  *object,
         const char  *member,
         gboolean     required,
         gint64       min,
         gint64       max,
         gint64      *out,
         gboolean    *present,
         GError     **error)
{
  JsonNode *node;
  gint64 value;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required && node == NULL)
        return member_error (error, TESSERA_JSON_ERROR_MISSING_MEMBER, member, "missing");
      if (required)
        return member_error (error, TESSERA_JSON_ERROR_WRONG_TYPE, member,
                             "expected an integer, not null");
      if (present != NULL)
        *present = FALSE;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return member_error (error, TESSERA_JSON_ERROR_WRONG_TYPE, member, "expected an integer");

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE,
                   "%s: must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
                   member, min, max);
      return FALSE;
    }

  *out = value;
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

gboolean
tessera_json_require_int (JsonObject  *object,
                          const char  *member,
                          gint64       min,
                          gint64       max,
                          gint64      *out,
                          GError     **error)
{
  return get_int (object, member, TRUE, min, max, out, NULL, error);
}

gboolean
tessera_json_optional_int (JsonObject  *object,
                           const char  *member,
                           gint64       min,
                           gint64       max,
                           gint64      *out,
                           gboolean    *present,
                           GError     **error)
{
  return get_int (object, member, FALSE, min, max, out, present, error);
}

static gboolean
get_boolean (JsonObject  *object,
             const char  *member,
             gboolean     required,
             gboolean    *out,
             gboolean    *present,
             GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required && node == NULL)
        return member_error (error, TESSERA_JSON_ERROR_MISSING_MEMBER, member, "missing");
      if (required)
        return member_error (error, TESSERA_JSON_ERROR_WRONG_TYPE, member,
                             "expected true or false, not null");
      if (present != NULL)
        *present = FALSE;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return member_error (error, TESSERA_JSON_ERROR_WRONG_TYPE, member,
                         "expected true or false");

  *out = json_node_get_boolean (node);
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

gboolean
tessera_json_require_boolean (JsonObject  *object,
                              const char  *member,
                              gboolean    *out,
                              GError     **error)
{
  return get_boolean (object, member, TRUE, out, NULL, error);
}

gboolean
tessera_json_optional_boolean (JsonObject  *object,
                               const char  *member,
                               gboolean    *out,
                               gboolean    *present,
                               GError     **error)
{
  return get_boolean (object, member, FALSE, out, present, error);
}

static gboolean
get_enum (JsonObject  *object,
          const char  *member,
          gboolean     required,
          GType        enum_type,
          int         *out,
          gboolean    *present,
          GError     **error)
{
  const char *name = NULL;
  int value;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), FALSE);

  if (!get_string (object, member, required, G_MAXSIZE, &name, error))
    return FALSE;

  if (name == NULL)
    {
      if (present != NULL)
        *present = FALSE;
      return TRUE;
    }

  if (strlen (name) > MAX_ENUM_NAME_LENGTH || !tessera_enum_from_string (enum_type, name, &value))
    {
      g_autofree char *shown = NULL;

      /* Echo short values only, escaped, so a message stays one readable line. */
      if (strlen (name) > MAX_ENUM_NAME_LENGTH)
        return member_error (error, TESSERA_JSON_ERROR_INVALID_VALUE, member, "unknown value");

      shown = g_strescape (name, NULL);
      g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_INVALID_VALUE,
                   "%s: unknown value \"%s\"", member, shown);
      return FALSE;
    }

  *out = value;
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

gboolean
tessera_json_require_enum (JsonObject  *object,
                           const char  *member,
                           GType        enum_type,
                           int         *out,
                           GError     **error)
{
  return get_enum (object, member, TRUE, enum_type, out, NULL, error);
}

gboolean
tessera_json_optional_enum (JsonObject  *object,
                            const char  *member,
                            GType        enum_type,
                            int         *out,
                            gboolean    *present,
                            GError     **error)
{
  return get_enum (object, member, FALSE, enum_type, out, present, error);
}

static gboolean
get_unix_usec (JsonObject  *object,
               const char  *member,
               gboolean     required,
               gint64      *out,
               gboolean    *present,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *text = NULL;
  gint64 value;

  /* The longest RFC 3339 we care for, with nanoseconds and an offset, is 35 bytes. */
  if (!get_string (object, member, required, 64, &text, &local_error))
    {
      if (local_error->code == TESSERA_JSON_ERROR_TOO_LONG)
        return member_error (error, TESSERA_JSON_ERROR_INVALID_VALUE, member,
                             "expected an RFC 3339 timestamp with a time zone");
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (text == NULL)
    {
      if (present != NULL)
        *present = FALSE;
      return TRUE;
    }

  if (!tessera_datetime_parse_unix_usec (text, &value, &local_error))
    return member_error (error, local_error->code, member, local_error->message);

  *out = value;
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

gboolean
tessera_json_require_unix_usec (JsonObject  *object,
                                const char  *member,
                                gint64      *out,
                                GError     **error)
{
  g_return_val_if_fail (out != NULL, FALSE);

  return get_unix_usec (object, member, TRUE, out, NULL, error);
}

gboolean
tessera_json_optional_unix_usec (JsonObject  *object,
                                 const char  *member,
                                 gint64      *out,
                                 gboolean    *present,
                                 GError     **error)
{
  g_return_val_if_fail (out != NULL, FALSE);

  return get_unix_usec (object, member, FALSE, out, present, error);
}

gboolean
tessera_json_require_datetime (JsonObject  *object,
                               const char  *member,
                               GDateTime  **out,
                               GError     **error)
{
  gint64 value;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!get_unix_usec (object, member, TRUE, &value, NULL, error))
    return FALSE;

  *out = tessera_datetime_new_unix_usec (value);
  return TRUE;
}

gboolean
tessera_json_optional_datetime (JsonObject  *object,
                                const char  *member,
                                GDateTime  **out,
                                GError     **error)
{
  gint64 value;
  gboolean present = FALSE;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!get_unix_usec (object, member, FALSE, &value, &present, error))
    return FALSE;

  *out = present ? tessera_datetime_new_unix_usec (value) : NULL;
  return TRUE;
}

static gboolean
get_node (JsonObject  *object,
          const char  *member,
          gboolean     required,
          JsonNodeType type,
          JsonNode   **out,
          GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);

  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required && node == NULL)
        return member_error (error, TESSERA_JSON_ERROR_MISSING_MEMBER, member, "missing");
      if (required)
        return member_error (error, TESSERA_JSON_ERROR_WRONG_TYPE, member,
                             type == JSON_NODE_OBJECT ? "expected an object, not null"
                                                      : "expected an array, not null");
      *out = NULL;
      return TRUE;
    }

  if (JSON_NODE_TYPE (node) != type)
    return member_error (error, TESSERA_JSON_ERROR_WRONG_TYPE, member,
                         type == JSON_NODE_OBJECT ? "expected an object" : "expected an array");

  *out = node;
  return TRUE;
}

gboolean
tessera_json_require_object (JsonObject  *object,
                             const char  *member,
                             JsonObject **out,
                             GError     **error)
{
  JsonNode *node = NULL;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!get_node (object, member, TRUE, JSON_NODE_OBJECT, &node, error))
    return FALSE;

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
tessera_json_optional_object (JsonObject  *object,
                              const char  *member,
                              JsonObject **out,
                              GError     **error)
{
  JsonNode *node = NULL;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!get_node (object, member, FALSE, JSON_NODE_OBJECT, &node, error))
    return FALSE;

  *out = node != NULL ? json_node_get_object (node) : NULL;
  return TRUE;
}

static gboolean
get_array (JsonObject  *object,
           const char  *member,
           gboolean     required,
           guint        max_items,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node = NULL;
  JsonArray *array;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!get_node (object, member, required, JSON_NODE_ARRAY, &node, error))
    return FALSE;

  if (node == NULL)
    {
      *out = NULL;
      return TRUE;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) > max_items)
    {
      g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_TOO_LONG,
                   "%s: at most %u items", member, max_items);
      return FALSE;
    }

  *out = array;
  return TRUE;
}

gboolean
tessera_json_require_array (JsonObject  *object,
                            const char  *member,
                            guint        max_items,
                            JsonArray  **out,
                            GError     **error)
{
  return get_array (object, member, TRUE, max_items, out, error);
}

gboolean
tessera_json_optional_array (JsonObject  *object,
                             const char  *member,
                             guint        max_items,
                             JsonArray  **out,
                             GError     **error)
{
  return get_array (object, member, FALSE, max_items, out, error);
}

gboolean
tessera_json_require_string_array (JsonObject  *object,
                                   const char  *member,
                                   guint        max_items,
                                   gsize        max_length,
                                   GStrv       *out,
                                   GError     **error)
{
  JsonArray *array = NULL;
  g_auto(GStrv) strv = NULL;
  guint n;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!get_array (object, member, TRUE, max_items, &array, error))
    return FALSE;

  n = json_array_get_length (array);
  strv = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GError) local_error = NULL;
      const char *value;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE,
                       "%s[%u]: expected a string", member, i);
          return FALSE;
        }

      value = json_node_get_string (element);
      if (!tessera_json_check_string (value, max_length, &local_error))
        {
          g_set_error (error, TESSERA_JSON_ERROR, local_error->code,
                       "%s[%u]: %s", member, i, local_error->message);
          return FALSE;
        }

      strv[i] = g_strdup (value);
    }

  *out = g_steal_pointer (&strv);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * Pages
 * ------------------------------------------------------------------------------------------ */

GPtrArray *
tessera_json_decode_page (JsonNode                *node,
                          TesseraJsonItemDecoder   decode_item,
                          char                   **next_cursor,
                          guint                   *total,
                          GError                 **error)
{
  g_autoptr(GPtrArray) items = NULL;
  JsonObject *object;
  JsonArray *array;
  const char *cursor = NULL;
  gint64 count = 0;
  guint n;

  g_return_val_if_fail (decode_item != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_array (object, "items", G_MAXUINT, &array, error) ||
      !tessera_json_optional_string (object, "next_cursor", MAX_CURSOR_LENGTH, &cursor, error) ||
      !tessera_json_require_int (object, "total", 0, G_MAXUINT, &count, error))
    return NULL;

  n = json_array_get_length (array);
  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE,
                       "items[%u]: expected an object", i);
          return NULL;
        }

      item = decode_item (element, error);
      if (item == NULL)
        {
          tessera_json_prefix_error (error, "items[%u]", i);
          return NULL;
        }

      g_ptr_array_add (items, item);
    }

  if (next_cursor != NULL)
    *next_cursor = g_strdup (cursor);
  if (total != NULL)
    *total = (guint) count;

  return g_steal_pointer (&items);
}

void
tessera_json_encode_page (JsonBuilder             *builder,
                          GPtrArray               *items,
                          TesseraJsonItemEncoder   encode_item,
                          const char              *next_cursor,
                          guint                    total)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (items != NULL);
  g_return_if_fail (encode_item != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    encode_item (g_ptr_array_index (items, i), builder);
  json_builder_end_array (builder);
  tessera_json_add_nullable_string (builder, "next_cursor", next_cursor);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------------------------------
 * Lean writing
 * ------------------------------------------------------------------------------------------ */

/*
 * g_string_append_len() of GLib 2.74 goes through the general g_string_insert_len(): a fifth
 * of a listing's instructions for appends of a few bytes. GString's fields are public.
 */
static inline void
append_bytes (GString    *out,
              const char *data,
              gsize       length)
{
  if (G_LIKELY (out->len + length < out->allocated_len))
    {
      memcpy (out->str + out->len, data, length);
      out->len += length;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, data, (gssize) length);
}

/* json-glib's two-character escapes; NULL for a byte it writes as \u00XX. */
static const char *
short_escape (guchar c)
{
  switch (c)
    {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      return NULL;
    }
}

void
tessera_json_write_string (GString    *out,
                           const char *value)
{
  const char *run;
  const char *p;

  if (value == NULL)
    {
      append_bytes (out, "null", 4);
      return;
    }

  g_string_append_c (out, '"');
  /* Copy runs of bytes that need no escape at once: names, UPNs and ids are all one run. */
  for (run = p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      const char *escape;
      char hex[8];

      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
        continue;

      append_bytes (out, run, (gsize) (p - run));
      escape = short_escape (c);
      if (escape == NULL)
        {
          /* The other controls (U+001F too, which json-glib 1.6 leaves raw) and DEL. */
          g_snprintf (hex, sizeof hex, "\\u%04x", c);
          escape = hex;
        }
      append_bytes (out, escape, strlen (escape));
      run = p + 1;
    }
  append_bytes (out, run, (gsize) (p - run));
  g_string_append_c (out, '"');
}

void
tessera_json_write_member (GString    *out,
                           const char *member,
                           const char *value,
                           gboolean    first)
{
  /* Member names are ours: plain ASCII that needs no escaping. */
  if (!first)
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  append_bytes (out, member, strlen (member));
  append_bytes (out, "\":", 2);
  tessera_json_write_string (out, value);
}

char *
tessera_json_write_page (GPtrArray             *items,
                         TesseraJsonItemWriter  write_item,
                         const char            *next_cursor,
                         guint                  total,
                         gsize                 *length)
{
  GString *out;

  g_return_val_if_fail (items != NULL, NULL);
  g_return_val_if_fail (write_item != NULL, NULL);

  /* About 300 bytes an account: grow once or twice, not twenty times. */
  out = g_string_sized_new (256 + (gsize) items->len * 320);
  g_string_append (out, "{\"items\":[");
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      write_item (g_ptr_array_index (items, i), out);
    }
  g_string_append_c (out, ']');
  tessera_json_write_member (out, "next_cursor", next_cursor, FALSE);
  g_string_append_printf (out, ",\"total\":%u}", total);

  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------------------
 * Encoder helpers
 * ------------------------------------------------------------------------------------------ */

void
tessera_json_add_string (JsonBuilder *builder,
                         const char  *member,
                         const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

void
tessera_json_add_nullable_string (JsonBuilder *builder,
                                  const char  *member,
                                  const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
tessera_json_add_unix_usec (JsonBuilder *builder,
                            const char  *member,
                            gint64       unix_usec)
{
  char buffer[TESSERA_DATETIME_BUFFER_SIZE];

  if (!tessera_datetime_format_unix_usec (unix_usec, buffer))
    g_return_if_reached ();

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, buffer);
}

void
tessera_json_add_datetime (JsonBuilder *builder,
                           const char  *member,
                           GDateTime   *value)
{
  if (value == NULL)
    return;

  tessera_json_add_unix_usec (builder, member, tessera_datetime_to_unix_usec (value));
}

void
tessera_json_add_enum (JsonBuilder *builder,
                       const char  *member,
                       GType        enum_type,
                       int          value)
{
  const char *name = tessera_enum_to_string (enum_type, value);

  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, name);
}

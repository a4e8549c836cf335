/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: every JSON decoder of libtessera-core (API v1 shapes, request bodies, problem
 * details, pages) behind the strict parser, as the server and the client meet them.
 *
 * Input: one selector byte, then the document. Selector % (N_CODECS + 1) picks the decoder;
 * the document goes through tessera_json_parse() with depth 32 (DESIGN §6) first. The last
 * selector feeds the text to the RFC 3339 timestamp reader every decoder uses instead.
 *
 * Oracles besides the sanitizers:
 *  - a decoder returns an object xor sets an error (TESSERA_JSON_ERROR, a UTF-8 message);
 *  - whatever parses re-parses, as the same value, after we write it (what we send, we read);
 *  - whatever decodes encodes to JSON that decodes again and encodes to the same JSON value,
 *    so an object the server writes is an object the client reads, unchanged;
 *  - a timestamp read both ways gives one instant, which survives formatting and reading.
 * Stateless: nothing survives an input.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tessera-types.h"

typedef gpointer (*Decode) (JsonNode *node, GError **error);
typedef void     (*Encode) (gpointer object, JsonBuilder *builder);

typedef struct {
  const char     *name;
  Decode          decode;
  Encode          encode;
  GDestroyNotify  free;
  Decode          page_item;     /* a page of these instead of one object */
} Codec;

#define CODEC(type, free_func) \
  { #type, (Decode) tessera_##type##_new_from_json, (Encode) tessera_##type##_to_json, \
    (GDestroyNotify) free_func, NULL }
#define PAGE(type) \
  { "page of " #type, NULL, (Encode) tessera_##type##_to_json, NULL, \
    (Decode) tessera_##type##_new_from_json }

static const Codec codecs[] = {
  { "any JSON value", NULL, NULL, NULL, NULL },
  CODEC (account, g_object_unref),
  CODEC (otp, g_object_unref),
  CODEC (request, g_object_unref),
  CODEC (redemption, g_object_unref),
  CODEC (otp_result, g_object_unref),
  CODEC (otp_batch, g_object_unref),
  CODEC (audit_entry, g_object_unref),
  CODEC (event, g_object_unref),
  CODEC (session, g_object_unref),
  CODEC (settings, g_object_unref),
  CODEC (user, g_object_unref),
  CODEC (device_info, tessera_device_info_free),
  CODEC (sign_in, tessera_sign_in_free),
  CODEC (batch_spec, tessera_batch_spec_free),
  CODEC (resolution, tessera_resolution_free),
  CODEC (settings_patch, tessera_settings_patch_free),
  CODEC (login, tessera_login_free),
  CODEC (redemption_spec, tessera_redemption_spec_free),
  CODEC (problem, tessera_problem_free),
  PAGE (account),
  PAGE (request),
  PAGE (audit_entry),
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_error (const Codec  *codec,
             const GError *error)
{
  fuzz_check (error != NULL, "%s: a decoder returned NULL without an error", codec->name);
  fuzz_check (error->domain == TESSERA_JSON_ERROR, "%s: error from domain %s: %s", codec->name,
              g_quark_to_string (error->domain), error->message);
  fuzz_check (g_utf8_validate (error->message, -1, NULL),
              "%s: an error message that is not UTF-8", codec->name);
}

/* Decodes @node with @codec: an object, a page (GPtrArray) or NULL with @error set. */
static gpointer
decode (const Codec  *codec,
        JsonNode     *node,
        char        **next_cursor,
        guint        *total,
        GError      **error)
{
  if (codec->page_item != NULL)
    return tessera_json_decode_page (node, codec->page_item, next_cursor, total, error);
  return codec->decode (node, error);
}

static char *
encode (const Codec *codec,
        gpointer     decoded,
        const char  *next_cursor,
        guint        total)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (codec->page_item != NULL)
    tessera_json_encode_page (builder, decoded, codec->encode, next_cursor, total);
  else
    codec->encode (decoded, builder);

  return tessera_json_builder_to_string (builder, NULL);
}

static void
release (const Codec *codec,
         gpointer     decoded)
{
  if (codec->page_item != NULL)
    g_ptr_array_unref (decoded);
  else
    codec->free (decoded);
}

static void
check_round_trip (const Codec *codec,
                  gpointer     decoded,
                  const char  *next_cursor,
                  guint        total)
{
  g_autofree char *first = encode (codec, decoded, next_cursor, total);
  g_autofree char *second = NULL;
  g_autofree char *cursor_again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) second_node = NULL;
  g_autoptr(GError) error = NULL;
  gpointer again;
  guint total_again = 0;

  node = tessera_json_parse (first, strlen (first), TESSERA_JSON_MAX_DEPTH, &error);
  fuzz_check (node != NULL, "%s: our own encoding does not parse: %s\n%s", codec->name,
              error->message, first);

  again = decode (codec, node, &cursor_again, &total_again, &error);
  fuzz_check (again != NULL, "%s: our own encoding does not decode: %s\n%s", codec->name,
              error->message, first);

  second = encode (codec, again, cursor_again, total_again);
  release (codec, again);

  /* The same JSON value; members other than the known ones (a problem's extra members, say)
   * may come out in another order, which JSON does not give a meaning. */
  second_node = tessera_json_parse (second, strlen (second), TESSERA_JSON_MAX_DEPTH, &error);
  fuzz_check (second_node != NULL, "%s: our own encoding does not parse: %s\n%s", codec->name,
              error->message, second);
  fuzz_check (json_node_equal (node, second_node), "%s: a round trip changed the value:\n%s\n%s",
              codec->name, first, second);
}

/*
 * json-glib 1.6 writes a double such as 1e-8 as "1e-08.0", which is not JSON. Our encoders
 * never write doubles (tessera-json.h), so such values are only met where a decoder keeps
 * members it does not know (TesseraProblem.extra) or in "any JSON value": those inputs skip
 * the re-parse oracles, which would only report json-glib's bug again.
 */
static gboolean
contains_double (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) == G_TYPE_DOUBLE;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (contains_double (json_array_get_element (array, i)))
            return TRUE;
        return FALSE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &member))
          if (contains_double (member))
            return TRUE;
        return FALSE;
      }

    case JSON_NODE_NULL:
    default:
      return FALSE;
    }
}

/* What we write (through the one funnel every encoder uses), we can read. */
static void
check_generated_parses (JsonNode *node)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  /* json-glib 1.6 adds a value only inside a container: [value], one level deeper. */
  json_builder_begin_array (builder);
  json_builder_add_value (builder, json_node_copy (node));
  json_builder_end_array (builder);
  text = tessera_json_builder_to_string (builder, &length);
  again = tessera_json_parse (text, length, TESSERA_JSON_MAX_DEPTH + 1, &error);
  fuzz_check (again != NULL, "we wrote what we cannot parse: %s\n%s", error->message, text);
  fuzz_check (json_node_equal (node, json_array_get_element (json_node_get_array (again), 0)),
              "writing and reading changed the value:\n%s", text);
}

static void
check_datetime (const guint8 *data,
                size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GDateTime) datetime = NULL;
  g_autoptr(GDateTime) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) usec_error = NULL;
  g_autofree char *formatted = NULL;
  char buffer[TESSERA_DATETIME_BUFFER_SIZE];
  gint64 usec = 0;
  gboolean parsed_usec;

  datetime = tessera_datetime_parse (text, &error);
  parsed_usec = tessera_datetime_parse_unix_usec (text, &usec, &usec_error);
  fuzz_check ((datetime != NULL) == parsed_usec, "the two timestamp readers disagree on \"%s\"",
              text);
  if (datetime == NULL)
    {
      fuzz_check (error != NULL && usec_error != NULL, "a refused timestamp without an error");
      return;
    }

  fuzz_check (tessera_datetime_to_unix_usec (datetime) == usec,
              "the two timestamp readers give different instants for \"%s\"", text);

  formatted = tessera_datetime_format (datetime);
  again = tessera_datetime_parse (formatted, &error);
  fuzz_check (again != NULL, "\"%s\", written from \"%s\", does not read back", formatted,
              text);
  fuzz_check (g_date_time_equal (datetime, again), "\"%s\" changed on a round trip", text);

  fuzz_check (tessera_datetime_format_unix_usec (usec, buffer), "cannot format \"%s\"", text);
  fuzz_check (strcmp (buffer, formatted) == 0, "the two timestamp writers disagree: %s, %s",
              buffer, formatted);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const Codec *codec;
  guint selector;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_cursor = NULL;
  gpointer decoded;
  guint total = 0;

  if (size < 1)
    return 0;

  selector = data[0] % (G_N_ELEMENTS (codecs) + 1);
  if (selector == G_N_ELEMENTS (codecs))
    {
      check_datetime (data + 1, size - 1);
      return 0;
    }

  codec = &codecs[selector];
  node = tessera_json_parse ((const char *) data + 1, size - 1, TESSERA_JSON_MAX_DEPTH, &error);
  if (node == NULL)
    {
      fuzz_check (error != NULL && error->domain == TESSERA_JSON_ERROR,
                  "the parser failed without a TESSERA_JSON_ERROR");
      fuzz_check (error->code == TESSERA_JSON_ERROR_INVALID_JSON ||
                  error->code == TESSERA_JSON_ERROR_TOO_DEEP,
                  "the parser failed with code %d", error->code);
      return 0;
    }
  fuzz_check (error == NULL, "the parser set an error and returned a node");

  if (codec->decode == NULL && codec->page_item == NULL)
    {
      if (!contains_double (node))
        check_generated_parses (node);
      return 0;
    }

  decoded = decode (codec, node, &next_cursor, &total, &error);
  if (decoded == NULL)
    {
      check_error (codec, error);
      return 0;
    }
  fuzz_check (error == NULL, "%s: a decoder set an error and returned an object", codec->name);

  if (codec->decode != (Decode) tessera_problem_new_from_json || !contains_double (node))
    check_round_trip (codec, decoded, next_cursor, total);
  release (codec, decoded);

  return 0;
}

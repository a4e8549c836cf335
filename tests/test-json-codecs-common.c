/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test-json-codecs-common.h"

JsonNode *
test_parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = tessera_json_parse (json, strlen (json), TESSERA_JSON_MAX_DEPTH, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Walks "a.b[3].c" to the container holding the last step; returns the last step's name or
 * sets *index for an array step. */
static JsonNode *
walk (JsonNode    *root,
      const char  *path,
      char       **last_member,
      int         *last_index)
{
  g_auto(GStrv) steps = g_strsplit_set (path, ".[", -1);
  JsonNode *node = root;
  guint n = g_strv_length (steps);

  for (guint i = 0; i < n; i++)
    {
      const char *step = steps[i];
      gboolean is_index = g_str_has_suffix (step, "]");
      int index = is_index ? atoi (step) : -1;

      if (i == n - 1)
        {
          *last_member = is_index ? NULL : g_strdup (step);
          *last_index = index;
          return node;
        }

      if (is_index)
        node = json_array_get_element (json_node_get_array (node), (guint) index);
      else
        node = json_object_get_member (json_node_get_object (node), step);
      g_assert_nonnull (node);
    }

  g_assert_not_reached ();
}

char *
test_mutate (const char *json,
             const char *path,
             const char *value)
{
  g_autoptr(JsonNode) root = test_parse (json);
  g_autoptr(JsonNode) replacement = value != NULL ? test_parse (value) : NULL;
  g_autofree char *member = NULL;
  int index = -1;
  JsonNode *parent = walk (root, path, &member, &index);

  if (member != NULL)
    {
      JsonObject *object = json_node_get_object (parent);

      if (replacement != NULL)
        json_object_set_member (object, member, g_steal_pointer (&replacement));
      else
        json_object_remove_member (object, member);
    }
  else
    {
      JsonArray *array = json_node_get_array (parent);

      g_assert_nonnull (replacement);
      /* json-glib has no replace: rebuild the array with the element swapped */
      {
        g_autoptr(JsonArray) copy = json_array_new ();

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (copy, i == (guint) index
                                        ? json_node_copy (replacement)
                                        : json_node_copy (json_array_get_element (array, i)));
        json_node_take_array (parent, g_steal_pointer (&copy));
      }
    }

  return json_to_string (root, FALSE);
}

char *
test_long_string (gsize length)
{
  GString *s = g_string_sized_new (length + 2);

  g_string_append_c (s, '"');
  for (gsize i = 0; i < length; i++)
    g_string_append_c (s, 'a' + (char) (i % 26));
  g_string_append_c (s, '"');

  return g_string_free (s, FALSE);
}

char *
test_encode (gpointer object,
             gpointer to_json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  ((void (*) (gpointer, JsonBuilder *)) to_json) (object, builder);
  return tessera_json_builder_to_string (builder, NULL);
}

void
test_check_refused (TestDecoder        decode,
                    GDestroyNotify     free_result,
                    const char        *valid_json,
                    const RefusedCase *cases,
                    gsize              n_cases)
{
  /* The fixture itself must decode, or every refusal below would prove nothing. */
  {
    g_autoptr(JsonNode) node = test_parse (valid_json);
    g_autoptr(GError) error = NULL;
    gpointer result = decode (node, &error);

    g_assert_no_error (error);
    g_assert_nonnull (result);
    free_result (result);
  }

  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *json = test_mutate (valid_json, cases[i].path, cases[i].value);
      g_autoptr(JsonNode) node = test_parse (json);
      g_autoptr(GError) error = NULL;
      gpointer result;

      g_test_message ("refused case %s = %s", cases[i].path,
                      cases[i].value != NULL ? cases[i].value : "(removed)");
      result = decode (node, &error);
      if (result != NULL)
        free_result (result);
      g_assert_null (result);
      g_assert_error (error, TESSERA_JSON_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

void
test_check_accepted (TestDecoder         decode,
                     GDestroyNotify      free_result,
                     const char         *valid_json,
                     const AcceptedCase *cases,
                     gsize               n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *json = test_mutate (valid_json, cases[i].path, cases[i].value);
      g_autoptr(JsonNode) node = test_parse (json);
      g_autoptr(GError) error = NULL;
      gpointer result;

      g_test_message ("accepted case %s = %s", cases[i].path,
                      cases[i].value != NULL ? cases[i].value : "(removed)");
      result = decode (node, &error);
      g_assert_no_error (error);
      g_assert_nonnull (result);
      free_result (result);
    }
}

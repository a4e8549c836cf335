/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-router"

#include "config.h"

#include <string.h>

#include "tessera-router.h"

typedef struct {
  char     *method;
  char     *pattern;
  GStrv     segments;   /* pattern split at '/', without the leading empty one */
  gpointer  handler;
} Route;

struct _TesseraRouter {
  GPtrArray *routes;    /* Route, in the order added */
};

static void
route_free (gpointer data)
{
  Route *route = data;

  g_free (route->method);
  g_free (route->pattern);
  g_strfreev (route->segments);
  g_free (route);
}

TesseraRouter *
tessera_router_new (void)
{
  TesseraRouter *self = g_new0 (TesseraRouter, 1);

  self->routes = g_ptr_array_new_with_free_func (route_free);
  return self;
}

void
tessera_router_free (TesseraRouter *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->routes);
  g_free (self);
}

static gboolean
is_placeholder (const char *segment)
{
  gsize length = strlen (segment);

  return length > 2 && segment[0] == '{' && segment[length - 1] == '}';
}

void
tessera_router_add (TesseraRouter *self,
                    const char    *method,
                    const char    *pattern,
                    gpointer       handler)
{
  Route *route;
  guint n_params = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL);
  g_return_if_fail (pattern != NULL && pattern[0] == '/');

  route = g_new0 (Route, 1);
  route->method = g_strdup (method);
  route->pattern = g_strdup (pattern);
  route->segments = g_strsplit (pattern + 1, "/", -1);
  route->handler = handler;

  for (guint i = 0; route->segments[i] != NULL; i++)
    {
      if (is_placeholder (route->segments[i]))
        n_params++;
    }
  g_return_if_fail (n_params <= TESSERA_ROUTER_MAX_PARAMS);

  g_ptr_array_add (self->routes, route);
}

static gboolean
segment_is_acceptable_param (const char *segment)
{
  gsize length = strlen (segment);

  if (length == 0 || length > TESSERA_ROUTER_MAX_PARAM_LENGTH)
    return FALSE;

  /* Ids are opaque but printable: a control character is nobody's id. */
  for (const char *p = segment; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return FALSE;
    }

  /* Nor is text that is not text: a detail echoing it ("There is no request …") would make
   * the answer invalid JSON (found by the server fuzz target with a raw 0xd2 in the path). */
  return g_utf8_validate (segment, length, NULL);
}

/* Matches @path_segments against @route; on success fills @params (owned by the caller). */
static gboolean
route_matches_path (const Route  *route,
                    char * const *path_segments,
                    char        **params,
                    guint        *n_params)
{
  guint i;

  *n_params = 0;

  for (i = 0; route->segments[i] != NULL; i++)
    {
      const char *want = route->segments[i];
      const char *have = path_segments[i];

      if (have == NULL)
        goto mismatch;

      if (is_placeholder (want))
        {
          if (!segment_is_acceptable_param (have))
            goto mismatch;
          params[(*n_params)++] = g_strdup (have);
        }
      else if (strcmp (want, have) != 0)
        {
          goto mismatch;
        }
    }

  if (path_segments[i] == NULL)
    return TRUE;

mismatch:
  for (guint j = 0; j < *n_params; j++)
    g_clear_pointer (&params[j], g_free);
  *n_params = 0;
  return FALSE;
}

static gboolean
method_answers (const char *route_method,
                const char *method)
{
  return strcmp (route_method, method) == 0 ||
         (strcmp (method, "HEAD") == 0 && strcmp (route_method, "GET") == 0);
}

void
tessera_router_match (TesseraRouter     *self,
                      const char        *method,
                      const char        *path,
                      TesseraRouteMatch *match)
{
  g_auto(GStrv) path_segments = NULL;
  g_autoptr(GString) allow = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL);
  g_return_if_fail (match != NULL);

  memset (match, 0, sizeof *match);
  match->status = TESSERA_ROUTE_NOT_FOUND;

  if (path == NULL || path[0] != '/')
    return;

  path_segments = g_strsplit (path + 1, "/", -1);

  for (guint i = 0; i < self->routes->len; i++)
    {
      const Route *route = g_ptr_array_index (self->routes, i);
      char *params[TESSERA_ROUTER_MAX_PARAMS] = { NULL, };
      guint n_params = 0;

      if (!route_matches_path (route, path_segments, params, &n_params))
        continue;

      if (method_answers (route->method, method))
        {
          match->status = TESSERA_ROUTE_FOUND;
          match->handler = route->handler;
          match->pattern = route->pattern;
          memcpy (match->params, params, sizeof params);
          match->n_params = n_params;
          return;
        }

      for (guint j = 0; j < n_params; j++)
        g_free (params[j]);

      if (allow == NULL)
        allow = g_string_new (NULL);
      if (!strstr (allow->str, route->method))
        {
          if (allow->len > 0)
            g_string_append (allow, ", ");
          g_string_append (allow, route->method);
          if (strcmp (route->method, "GET") == 0)
            g_string_append (allow, ", HEAD");
        }
    }

  if (allow != NULL)
    {
      match->status = TESSERA_ROUTE_METHOD_NOT_ALLOWED;
      match->allow = g_string_free (g_steal_pointer (&allow), FALSE);
    }
}

void
tessera_route_match_clear (TesseraRouteMatch *match)
{
  if (match == NULL)
    return;

  for (guint i = 0; i < match->n_params; i++)
    g_clear_pointer (&match->params[i], g_free);
  match->n_params = 0;
  g_clear_pointer (&match->allow, g_free);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tessera-router.h"

/* Distinct addresses stand for handlers; the router never calls them. */
static int accounts_list, account_get, resolution, settings_get, settings_put, session_delete;

static TesseraRouter *
new_api_router (void)
{
  TesseraRouter *router = tessera_router_new ();

  tessera_router_add (router, "GET", "/api/v1/accounts", &accounts_list);
  tessera_router_add (router, "GET", "/api/v1/accounts/{id}", &account_get);
  tessera_router_add (router, "POST", "/api/v1/requests/{id}/resolution", &resolution);
  tessera_router_add (router, "GET", "/api/v1/settings", &settings_get);
  tessera_router_add (router, "PUT", "/api/v1/settings", &settings_put);
  tessera_router_add (router, "DELETE", "/api/v1/sessions/current", &session_delete);

  return router;
}

static void
test_router_literal_path_finds_its_handler (void)
{
  g_autoptr(TesseraRouter) router = new_api_router ();
  TesseraRouteMatch match;

  tessera_router_match (router, "GET", "/api/v1/accounts", &match);
  g_assert_cmpint (match.status, ==, TESSERA_ROUTE_FOUND);
  g_assert_true (match.handler == &accounts_list);
  g_assert_cmpuint (match.n_params, ==, 0);
  tessera_route_match_clear (&match);

  tessera_router_match (router, "PUT", "/api/v1/settings", &match);
  g_assert_true (match.handler == &settings_put);
  tessera_route_match_clear (&match);
}

static void
test_router_placeholder_captures_the_id (void)
{
  g_autoptr(TesseraRouter) router = new_api_router ();
  TesseraRouteMatch match;

  tessera_router_match (router, "GET", "/api/v1/accounts/acc_01HX", &match);
  g_assert_cmpint (match.status, ==, TESSERA_ROUTE_FOUND);
  g_assert_true (match.handler == &account_get);
  g_assert_cmpuint (match.n_params, ==, 1);
  g_assert_cmpstr (match.params[0], ==, "acc_01HX");
  g_assert_cmpstr (match.pattern, ==, "/api/v1/accounts/{id}");
  tessera_route_match_clear (&match);

  tessera_router_match (router, "POST", "/api/v1/requests/req-7/resolution", &match);
  g_assert_true (match.handler == &resolution);
  g_assert_cmpstr (match.params[0], ==, "req-7");
  tessera_route_match_clear (&match);
}

static void
test_router_unknown_paths_are_not_found (void)
{
  const char *paths[] = {
    "/", "/api", "/api/v1", "/api/v1/accounts/", "/api/v1/accounts//", "/api/v1/accounts/x/y",
    "/api/v1/requests//resolution", "/api/v1/requests/x/resolution/more", "/API/v1/accounts",
    "/api/v2/accounts", "api/v1/accounts", "",
  };
  g_autoptr(TesseraRouter) router = new_api_router ();

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      TesseraRouteMatch match;

      tessera_router_match (router, "GET", paths[i], &match);
      g_assert_cmpint (match.status, ==, TESSERA_ROUTE_NOT_FOUND);
      g_assert_null (match.handler);
      g_assert_null (match.allow);
      tessera_route_match_clear (&match);
    }
}

static void
test_router_wrong_method_is_405_with_allow (void)
{
  g_autoptr(TesseraRouter) router = new_api_router ();
  TesseraRouteMatch match;

  tessera_router_match (router, "DELETE", "/api/v1/settings", &match);
  g_assert_cmpint (match.status, ==, TESSERA_ROUTE_METHOD_NOT_ALLOWED);
  g_assert_null (match.handler);
  g_assert_cmpstr (match.allow, ==, "GET, HEAD, PUT");
  tessera_route_match_clear (&match);

  tessera_router_match (router, "GET", "/api/v1/requests/r1/resolution", &match);
  g_assert_cmpint (match.status, ==, TESSERA_ROUTE_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (match.allow, ==, "POST");
  g_assert_cmpuint (match.n_params, ==, 0);
  tessera_route_match_clear (&match);
}

static void
test_router_head_is_answered_where_get_is (void)
{
  g_autoptr(TesseraRouter) router = new_api_router ();
  TesseraRouteMatch match;

  tessera_router_match (router, "HEAD", "/api/v1/accounts/a1", &match);
  g_assert_cmpint (match.status, ==, TESSERA_ROUTE_FOUND);
  g_assert_true (match.handler == &account_get);
  tessera_route_match_clear (&match);

  tessera_router_match (router, "HEAD", "/api/v1/sessions/current", &match);
  g_assert_cmpint (match.status, ==, TESSERA_ROUTE_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (match.allow, ==, "DELETE");
  tessera_route_match_clear (&match);
}

static void
test_router_refuses_overlong_or_control_character_ids (void)
{
  g_autoptr(TesseraRouter) router = new_api_router ();
  g_autofree char *longest = g_strnfill (TESSERA_ROUTER_MAX_PARAM_LENGTH, 'a');
  g_autofree char *too_long = g_strnfill (TESSERA_ROUTER_MAX_PARAM_LENGTH + 1, 'a');
  g_autofree char *path = NULL;
  TesseraRouteMatch match;

  path = g_strconcat ("/api/v1/accounts/", longest, NULL);
  tessera_router_match (router, "GET", path, &match);
  g_assert_cmpint (match.status, ==, TESSERA_ROUTE_FOUND);
  tessera_route_match_clear (&match);

  g_free (path);
  path = g_strconcat ("/api/v1/accounts/", too_long, NULL);
  tessera_router_match (router, "GET", path, &match);
  g_assert_cmpint (match.status, ==, TESSERA_ROUTE_NOT_FOUND);
  tessera_route_match_clear (&match);

  tessera_router_match (router, "GET", "/api/v1/accounts/a\nb", &match);
  g_assert_cmpint (match.status, ==, TESSERA_ROUTE_NOT_FOUND);
  tessera_route_match_clear (&match);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/router/literal-path-finds-its-handler",
                   test_router_literal_path_finds_its_handler);
  g_test_add_func ("/server/router/placeholder-captures-the-id",
                   test_router_placeholder_captures_the_id);
  g_test_add_func ("/server/router/unknown-paths-are-not-found",
                   test_router_unknown_paths_are_not_found);
  g_test_add_func ("/server/router/wrong-method-is-405-with-allow",
                   test_router_wrong_method_is_405_with_allow);
  g_test_add_func ("/server/router/head-is-answered-where-get-is",
                   test_router_head_is_answered_where_get_is);
  g_test_add_func ("/server/router/refuses-overlong-or-control-character-ids",
                   test_router_refuses_overlong_or_control_character_ids);

  return g_test_run ();
}

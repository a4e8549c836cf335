/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Maps (method, path) to a route of API v1. Pure string matching, unit-tested without a
 * server. Patterns are absolute paths whose segments are literals or a "{name}" placeholder
 * that matches one non-empty segment of at most TESSERA_ROUTER_MAX_PARAM_LENGTH bytes of
 * UTF-8 without control characters.
 * A path that matches some pattern under another method is METHOD_NOT_ALLOWED with the
 * methods that would have matched (405 + Allow), anything else NOT_FOUND (404).
 * HEAD is answered wherever GET is.
 */

#define TESSERA_ROUTER_MAX_PARAMS       2
#define TESSERA_ROUTER_MAX_PARAM_LENGTH 128

typedef struct _TesseraRouter TesseraRouter;

typedef enum {
  TESSERA_ROUTE_FOUND,
  TESSERA_ROUTE_NOT_FOUND,
  TESSERA_ROUTE_METHOD_NOT_ALLOWED,
} TesseraRouteStatus;

typedef struct {
  TesseraRouteStatus  status;
  gpointer            handler;                            /* FOUND: as given to add() */
  const char         *pattern;                            /* FOUND: for logs, never the path */
  char               *params[TESSERA_ROUTER_MAX_PARAMS];  /* FOUND: placeholder values, owned */
  guint               n_params;
  char               *allow;                              /* METHOD_NOT_ALLOWED: "GET, PUT" */
} TesseraRouteMatch;

TesseraRouter *tessera_router_new         (void);
void           tessera_router_free        (TesseraRouter     *self);
void           tessera_router_add         (TesseraRouter     *self,
                                           const char        *method,
                                           const char        *pattern,
                                           gpointer           handler);
void           tessera_router_match       (TesseraRouter     *self,
                                           const char        *method,
                                           const char        *path,
                                           TesseraRouteMatch *match);
void           tessera_route_match_clear  (TesseraRouteMatch *match);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraRouter, tessera_router_free)

G_END_DECLS

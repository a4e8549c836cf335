/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What a failed call to the server means, in words the admin can act on, the same in every
 * window. Only two answers depend on what was being done, so the caller says them:
 * @forbidden, what the admin's role may not do here, and @not_found, what is gone (either
 * NULL: the server's own words). Errors from outside the client are shown as they are.
 */
char *tessera_error_text_describe (const GError *error,
                                   const char   *host,
                                   const char   *forbidden,
                                   const char   *not_found);

G_END_DECLS

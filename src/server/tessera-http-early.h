/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * Answers @msg with a problem (application/problem+json) at once, without reading the rest
 * of its body, and closes the connection; for use from "got-headers" (early handlers) and
 * "got-chunk". Takes the connection away from libsoup: see tessera-http-early.c for why.
 */
void _tessera_http_answer_early (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *code,
                                 const char        *detail);

G_END_DECLS

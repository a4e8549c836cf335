/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * A signed-in session: {"token","expires_at","user":{…}} (DESIGN §4). The token is a secret:
 * it is wiped when replaced and on finalize, and never appears in debug output.
 */

#define TESSERA_TYPE_SESSION (tessera_session_get_type ())

G_DECLARE_FINAL_TYPE (TesseraSession, tessera_session, TESSERA, SESSION, GObject)

TesseraSession *tessera_session_new             (const char      *token,
                                                 GDateTime       *expires_at,
                                                 TesseraUser     *user);
const char     *tessera_session_get_token       (TesseraSession  *self);
void            tessera_session_set_token       (TesseraSession  *self,
                                                 const char      *token);
/* transfer none */
GDateTime      *tessera_session_get_expires_at  (TesseraSession  *self);
void            tessera_session_set_expires_at  (TesseraSession  *self,
                                                 GDateTime       *expires_at);
/* transfer none */
TesseraUser    *tessera_session_get_user        (TesseraSession  *self);
void            tessera_session_set_user        (TesseraSession  *self,
                                                 TesseraUser     *user);

TesseraSession *tessera_session_new_from_json   (JsonNode        *node,
                                                 GError         **error);
void            tessera_session_to_json         (TesseraSession  *self,
                                                 JsonBuilder     *builder);

G_END_DECLS

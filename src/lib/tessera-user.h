/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/* A person who signs in to the server: {"username","display_name","role"} (DESIGN §4). */

#define TESSERA_TYPE_USER (tessera_user_get_type ())

G_DECLARE_FINAL_TYPE (TesseraUser, tessera_user, TESSERA, USER, GObject)

TesseraUser *tessera_user_new               (const char   *username,
                                             const char   *display_name,
                                             TesseraRole   role);
const char  *tessera_user_get_username      (TesseraUser  *self);
void         tessera_user_set_username      (TesseraUser  *self,
                                             const char   *username);
const char  *tessera_user_get_display_name  (TesseraUser  *self);
void         tessera_user_set_display_name  (TesseraUser  *self,
                                             const char   *display_name);
TesseraRole  tessera_user_get_role          (TesseraUser  *self);
void         tessera_user_set_role          (TesseraUser  *self,
                                             TesseraRole   role);

TesseraUser *tessera_user_new_from_json     (JsonNode     *node,
                                             GError      **error);
void         tessera_user_to_json           (TesseraUser  *self,
                                             JsonBuilder  *builder);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

/*
 * One message of the /api/v1/events WebSocket (DESIGN §4), with exactly one payload:
 *   {"type":"account.updated","account":{…}}
 *   {"type":"request.created"|"request.updated","request":{…}}
 *   {"type":"settings.updated","settings":{…}}
 *
 * The property is "event-type" (not "type"), since tessera_event_get_type() is the GType.
 * A message with a type this build does not know fails to decode with INVALID_VALUE at
 * "type"; a client should skip it rather than drop the connection.
 */

#define TESSERA_TYPE_EVENT (tessera_event_get_type ())

G_DECLARE_FINAL_TYPE (TesseraEvent, tessera_event, TESSERA, EVENT, GObject)

TesseraEvent     *tessera_event_new_account_updated  (TesseraAccount    *account);
/* @type is TESSERA_EVENT_REQUEST_CREATED or TESSERA_EVENT_REQUEST_UPDATED */
TesseraEvent     *tessera_event_new_request          (TesseraEventType   type,
                                                      TesseraRequest    *request);
TesseraEvent     *tessera_event_new_settings_updated (TesseraSettings   *settings);

TesseraEventType  tessera_event_get_event_type       (TesseraEvent      *self);
/* transfer none; NULL unless the event carries that payload */
TesseraAccount   *tessera_event_get_account          (TesseraEvent      *self);
TesseraRequest   *tessera_event_get_request          (TesseraEvent      *self);
TesseraSettings  *tessera_event_get_settings         (TesseraEvent      *self);

TesseraEvent     *tessera_event_new_from_json        (JsonNode          *node,
                                                      GError           **error);
void              tessera_event_to_json              (TesseraEvent      *self,
                                                      JsonBuilder       *builder);

G_END_DECLS

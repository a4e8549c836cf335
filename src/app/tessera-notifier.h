/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tessera-client.h"

G_BEGIN_DECLS

/*
 * Desktop notifications for a session (DESIGN §1.3): when a request arrives (request.created
 * with state pending) while none of the application's windows is active, the notifier sends a
 * GNotification "OTP request awaiting approval" naming the room and the device, whose default
 * action and "Review" button activate app.review-request with the request id (a string).
 *
 * One notification per request, with the id "request-ID": each is withdrawn on its own when
 * its request is resolved, expires or is completed (request.updated), and its Review button
 * opens exactly that request. Several consoles set up at once show as several notifications,
 * which the desktop stacks; the main window's "N requests awaiting approval" prompt gives the
 * count. Everything still shown is withdrawn when the notifier goes (sign-out, window closed).
 * A desktop without a notification service (no org.gtk.Notifications or
 * org.freedesktop.Notifications, outside a sandbox) gets none.
 */

#define TESSERA_TYPE_NOTIFIER (tessera_notifier_get_type ())

G_DECLARE_FINAL_TYPE (TesseraNotifier, tessera_notifier, TESSERA, NOTIFIER, GObject)

TesseraNotifier *tessera_notifier_new              (GtkApplication  *application,
                                                    TesseraClient   *client);
/* The notification id for @request_id: "request-ID" (transfer full) */
char            *tessera_notifier_dup_notification_id (const char   *request_id);
/* How many of its notifications are on the desktop now */
guint            tessera_notifier_get_n_shown      (TesseraNotifier *self);
/* Whether the desktop has a notification service to send to (none: nothing is sent) */
gboolean         tessera_notifier_get_can_notify   (TesseraNotifier *self);

G_END_DECLS

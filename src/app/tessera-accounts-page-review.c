/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-accounts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-accounts-page-private.h"
#include "tessera-preferences-window.h"
#include "tessera-review-window.h"

/*
 * The page's ways into the request review window (a row awaiting approval, the "N requests
 * awaiting approval" prompt, a notification) and into Preferences. Each window is made once
 * and presented again while it is open; both close with the session.
 */

static void
on_review_resolved (TesseraAccountsPage *self,
                    TesseraRequest      *request)
{
  const char *name = tessera_request_get_account_display_name (request);
  g_autofree char *title = NULL;

  if (tessera_request_get_state (request) == TESSERA_REQUEST_REJECTED)
    /* TRANSLATORS: a toast after rejecting; %s is the room: "Request rejected for Oslo 4.12" */
    title = g_strdup_printf (_("Request rejected for %s"), name);
  else
    /* TRANSLATORS: a toast after approving; %s is the room: "Request approved for Oslo 4.12" */
    title = g_strdup_printf (_("Request approved for %s"), name);

  tessera_accounts_page_add_toast (self, adw_toast_new (title));
}

static GtkWindow *
get_parent_window (TesseraAccountsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/*
 * A closed window is unrealized at once but lives on while a reply it waits for holds a
 * reference. It is forgotten here right away, so the next request gets a new window, and it
 * lets go of the main window: GTK 4.8 would otherwise drop that link only when the closed
 * window goes, which may be after the main window is gone.
 */
static void
on_window_unrealized (TesseraAccountsPage *self,
                      GtkWindow           *window)
{
  gtk_window_set_transient_for (window, NULL);
  if (self->review_window == window)
    g_clear_weak_pointer (&self->review_window);
  if (self->preferences_window == window)
    g_clear_weak_pointer (&self->preferences_window);
}

static void
track_window (TesseraAccountsPage  *self,
              GtkWindow            *window,
              GtkWindow           **slot)
{
  gtk_window_set_transient_for (window, get_parent_window (self));
  g_signal_connect_object (window, "unrealize", G_CALLBACK (on_window_unrealized), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (slot, window);
}

static TesseraReviewWindow *
ensure_review_window (TesseraAccountsPage *self)
{
  TesseraReviewWindow *window;

  if (self->review_window != NULL)
    return TESSERA_REVIEW_WINDOW (self->review_window);

  window = tessera_review_window_new (self->client);
  g_signal_connect_object (window, "resolved", G_CALLBACK (on_review_resolved), self,
                           G_CONNECT_SWAPPED);
  track_window (self, GTK_WINDOW (window), &self->review_window);

  return window;
}

void
tessera_accounts_page_review_request (TesseraAccountsPage *self,
                                      const char          *request_id)
{
  TesseraReviewWindow *window;

  g_return_if_fail (TESSERA_IS_ACCOUNTS_PAGE (self));
  g_return_if_fail (request_id != NULL);

  window = ensure_review_window (self);
  tessera_review_window_show_request (window, request_id);
  gtk_window_present (GTK_WINDOW (window));
}

void
_tessera_accounts_page_review_pending (TesseraAccountsPage *self)
{
  TesseraReviewWindow *window = ensure_review_window (self);

  tessera_review_window_show_pending (window);
  gtk_window_present (GTK_WINDOW (window));
}

void
_tessera_accounts_page_on_activate (TesseraAccountsPage *self,
                                    guint                position)
{
  g_autoptr(TesseraAccount) account = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  /* Only a request awaiting approval has something to decide */
  if (account != NULL &&
      tessera_account_get_provisioning_state (account) ==
        TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL &&
      tessera_account_get_request_id (account) != NULL)
    tessera_accounts_page_review_request (self, tessera_account_get_request_id (account));
}

void
_tessera_accounts_page_show_preferences (TesseraAccountsPage *self)
{
  GtkWindow *window = self->preferences_window;

  if (window == NULL)
    {
      window = GTK_WINDOW (tessera_preferences_window_new (self->client));
      track_window (self, window, &self->preferences_window);
    }

  gtk_window_present (window);
}

void
_tessera_accounts_page_close_windows (TesseraAccountsPage *self)
{
  /* They belong to this session: signing out or a new session closes them */
  if (self->review_window != NULL)
    gtk_window_destroy (self->review_window);
  if (self->preferences_window != NULL)
    gtk_window_destroy (self->preferences_window);
}

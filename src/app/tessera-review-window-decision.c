/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-review-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tessera-review-window-private.h"

/* The Decision group of the review window, and sending the decision to the server. */

static gboolean
comment_too_long (TesseraReviewWindow *self)
{
  return strlen (gtk_editable_get_text (GTK_EDITABLE (self->comment_row))) >
         TESSERA_MAX_COMMENT_LENGTH;
}

static TesseraRejectionReason
get_reason (TesseraReviewWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->reason_row);

  /* The drop-down lists the reasons in the enum's order, after NONE */
  if (selected == GTK_INVALID_LIST_POSITION || selected > TESSERA_REJECTION_OTHER - 1)
    return TESSERA_REJECTION_NONE;
  return (TesseraRejectionReason) (selected + 1);
}

static gboolean
decision_complete (TesseraReviewWindow *self)
{
  if (comment_too_long (self))
    return FALSE;
  if (gtk_check_button_get_active (self->approve_check))
    return TRUE;
  return gtk_check_button_get_active (self->reject_check) &&
         get_reason (self) != TESSERA_REJECTION_NONE;
}

void
_tessera_review_window_update_form (TesseraReviewWindow *self)
{
  gboolean rejecting = gtk_check_button_get_active (self->reject_check);
  gboolean deciding = self->view == TESSERA_REVIEW_VIEW_DECIDE;

  gtk_widget_set_visible (GTK_WIDGET (self->reason_row), rejecting);
  gtk_widget_set_visible (GTK_WIDGET (self->comment_row), rejecting);
  /* No reason is chosen for the admin: the row says that one is needed */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->reason_row),
                               get_reason (self) == TESSERA_REJECTION_NONE
                                 ? _("Choose a reason") : "");
  if (comment_too_long (self))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->comment_row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->comment_row),
                                   _("The comment is too long: shorten it to at most 2000 "
                                     "bytes."));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->comment_row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->comment_row), NULL);
    }

  /* Rejecting is the consequential choice: the button looks it */
  if (rejecting)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->resolve_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->resolve_button), "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->resolve_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->resolve_button), "suggested-action");
    }

  gtk_widget_set_sensitive (self->decision_group, !self->resolving);
  gtk_widget_set_visible (GTK_WIDGET (self->resolve_spinner), self->resolving);
  gtk_spinner_set_spinning (self->resolve_spinner, self->resolving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.resolve",
                                 deciding && !self->resolving && decision_complete (self));
}

void
_tessera_review_window_reset_form (TesseraReviewWindow *self)
{
  gtk_check_button_set_active (self->approve_check, FALSE);
  gtk_check_button_set_active (self->reject_check, FALSE);
  adw_combo_row_set_selected (self->reason_row, GTK_INVALID_LIST_POSITION);
  gtk_editable_set_text (GTK_EDITABLE (self->comment_row), "");
  gtk_widget_set_visible (self->error_box, FALSE);
}

/* Resolving */

static void
advance (TesseraReviewWindow *self)
{
  guint n = self->requests->len;

  /* The next request still awaiting a decision, after this one and then from the start */
  for (guint step = 1; step < n; step++)
    {
      guint position = (self->position + step) % n;
      TesseraRequest *request = g_ptr_array_index (self->requests, position);

      if (tessera_request_get_state (request) == TESSERA_REQUEST_PENDING)
        {
          _tessera_review_window_go_to (self, position);
          return;
        }
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
show_inline_error (TesseraReviewWindow *self,
                   const GError        *error,
                   gboolean             can_retry)
{
  g_autofree char *reason = _tessera_review_window_describe_error (self, error);
  g_autofree char *message = NULL;

  /* TRANSLATORS: %s says why: "Cannot reach rooms.example.org. Check your network connection." */
  message = g_strdup_printf (_("The request was not resolved. %s"), reason);
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (self->retry_button, can_retry);
  gtk_widget_set_visible (self->error_box, TRUE);
}

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TesseraReviewCall) call = user_data;
  TesseraReviewWindow *self = call->window;
  g_autoptr(TesseraRequest) resolved = NULL;
  g_autoptr(GError) error = NULL;

  resolved = tessera_client_resolve_request_finish (TESSERA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->resolving = FALSE;

  if (resolved != NULL)
    {
      tessera_request_update_from (call->request, resolved);
      _tessera_review_window_emit_resolved (self, call->request);
      advance (self);
      return;
    }

  if (g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_CONFLICT))
    {
      TesseraRequest *current = tessera_client_error_get_request (error);

      /* Another admin was first: show what they decided, never overwrite it */
      if (current != NULL &&
          g_strcmp0 (tessera_request_get_id (current), tessera_request_get_id (call->request)) == 0)
        tessera_request_update_from (call->request, current);
      else
        _tessera_review_window_load_request (self, call->request);
    }
  else if (g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_GONE))
    {
      tessera_request_set_state (call->request, TESSERA_REQUEST_EXPIRED);
    }
  else if (g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_FORBIDDEN))
    {
      if (g_strcmp0 (tessera_client_error_get_problem_code (error), "separation_of_duties") == 0)
        {
          g_free (self->separation_id);
          self->separation_id = g_strdup (tessera_request_get_id (call->request));
        }
      else
        {
          /* The server no longer counts this session as an admin's */
          self->role = TESSERA_ROLE_VIEWER;
        }
    }
  else
    {
      /* Network and server trouble: every choice stays as it was, and Retry sends it again */
      show_inline_error (self, error,
                         !g_error_matches (error, TESSERA_CLIENT_ERROR,
                                           TESSERA_CLIENT_ERROR_NOT_AUTHORIZED));
    }

  _tessera_review_window_update_view (self);
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TesseraReviewWindow *self = TESSERA_REVIEW_WINDOW (widget);
  TesseraRequest *request = _tessera_review_window_get_current (self);
  g_autoptr(TesseraResolution) resolution = NULL;
  const char *comment;
  gboolean approve;

  if (request == NULL || self->resolving || self->view != TESSERA_REVIEW_VIEW_DECIDE ||
      !decision_complete (self))
    return;

  approve = gtk_check_button_get_active (self->approve_check);
  comment = gtk_editable_get_text (GTK_EDITABLE (self->comment_row));
  resolution = tessera_resolution_new (approve ? TESSERA_DECISION_APPROVE : TESSERA_DECISION_REJECT,
                                       approve ? TESSERA_REJECTION_NONE : get_reason (self),
                                       !approve && comment[0] != '\0' ? comment : NULL);

  self->resolving = TRUE;
  gtk_widget_set_visible (self->error_box, FALSE);
  _tessera_review_window_update_form (self);
  _tessera_review_window_update_navigation (self);

  tessera_client_resolve_request_async (self->client, tessera_request_get_id (request),
                                        resolution, self->cancellable, on_resolved,
                                        _tessera_review_call_new (self, request));
}

void
_tessera_review_window_install_decision_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "review.resolve", NULL, resolve_action);
}

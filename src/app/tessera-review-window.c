/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-review-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-request-text.h"
#include "tessera-review-window-private.h"

/* Keeps "(in 7 hours)" current while the window is open */
#define CLOCK_INTERVAL_SECONDS 30

G_DEFINE_FINAL_TYPE (TesseraReviewWindow, tessera_review_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

enum {
  RESOLVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
_tessera_review_window_emit_resolved (TesseraReviewWindow *self,
                                      TesseraRequest      *request)
{
  g_signal_emit (self, signals[RESOLVED], 0, request);
}

/* The requests */

TesseraRequest *
_tessera_review_window_get_current (TesseraReviewWindow *self)
{
  if (self->position >= self->requests->len)
    return NULL;
  return g_ptr_array_index (self->requests, self->position);
}

static TesseraRequest *
find_request (TesseraReviewWindow *self,
              const char          *id,
              guint               *position)
{
  for (guint i = 0; i < self->requests->len; i++)
    {
      TesseraRequest *request = g_ptr_array_index (self->requests, i);

      if (g_strcmp0 (tessera_request_get_id (request), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return request;
        }
    }

  return NULL;
}

/* A request only known by its id (from a row or a notification) until the server answers */
static gboolean
is_loaded (TesseraRequest *request)
{
  return tessera_request_get_requested_at (request) != NULL;
}

char *
_tessera_review_window_describe_error (TesseraReviewWindow *self,
                const GError        *error)
{
  const char *host = tessera_client_get_host (self->client);

  if (error->domain == TESSERA_CLIENT_ERROR)
    switch ((TesseraClientError) error->code)
      {
      case TESSERA_CLIENT_ERROR_NETWORK:
        return g_strdup_printf (_("Cannot reach %s. Check your network connection."), host);
      case TESSERA_CLIENT_ERROR_TIMEOUT:
        return g_strdup_printf (_("%s did not answer in time."), host);
      case TESSERA_CLIENT_ERROR_TLS:
        return g_strdup_printf (_("The certificate of %s is not trusted."), host);
      case TESSERA_CLIENT_ERROR_SERVICE_UNAVAILABLE:
        return g_strdup_printf (_("%s is not available at the moment."), host);
      case TESSERA_CLIENT_ERROR_NOT_AUTHORIZED:
        return g_strdup (_("Your session has ended. Sign in again."));
      case TESSERA_CLIENT_ERROR_NOT_FOUND:
        return g_strdup (_("This request does not exist on the server any more."));
      default:
        break;
      }

  return g_strdup (error->message);
}

static void
set_load_error (TesseraReviewWindow *self,
                const GError        *error)
{
  g_clear_error (&self->load_error);
  self->load_error = g_error_copy (error);
}

/* Showing */

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_label (label, text != NULL && text[0] != '\0' ? text : "—");
}

static void
render_request (TesseraReviewWindow *self,
                TesseraRequest      *request)
{
  gint64 now = g_get_real_time ();
  const char *site = tessera_request_get_account_site (request);
  g_autofree char *subtitle = NULL;
  g_autofree char *requested = NULL;
  g_autofree char *expiration = NULL;

  gtk_label_set_label (self->account_title, tessera_request_get_account_display_name (request));
  if (site != NULL && site[0] != '\0')
    /* TRANSLATORS: under the account's name: "oslo-4.12@example.org · Oslo" */
    subtitle = g_strdup_printf (_("%s · %s"), tessera_request_get_account_upn (request), site);
  else
    subtitle = g_strdup (tessera_request_get_account_upn (request));
  gtk_label_set_label (self->account_subtitle, subtitle);

  if (tessera_request_get_requested_at (request) != NULL)
    requested = tessera_format_date_time (tessera_request_get_requested_at (request));
  if (tessera_request_get_expires_at (request) != NULL)
    expiration = tessera_format_expiration (tessera_request_get_expires_at (request), now);

  set_label (self->requested_by_label, tessera_request_get_requested_by (request));
  set_label (self->requested_date_label, requested);
  set_label (self->expiration_label, expiration);
  set_label (self->source_label, tessera_request_get_source_address (request));
  set_label (self->make_label, tessera_request_get_device_make (request));
  set_label (self->model_label, tessera_request_get_device_model (request));
  set_label (self->serial_label, tessera_request_get_device_serial_number (request));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.copy-serial",
                                 tessera_request_get_device_serial_number (request) != NULL);
}

static void
render_outcome (TesseraReviewWindow *self,
                TesseraRequest      *request)
{
  g_autofree char *text = NULL;
  const char *icon_name = "dialog-information-symbolic";
  const char *style = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_icon), "warning");

  switch (self->view)
    {
    case TESSERA_REVIEW_VIEW_VIEWER:
      text = g_strdup (_("Only admins can approve or reject OTP requests. This request awaits "
                         "an admin’s decision."));
      break;

    case TESSERA_REVIEW_VIEW_SEPARATION:
      text = g_strdup (_("You created this one-time password, and your organisation requires "
                         "another admin to approve it."));
      icon_name = "system-users-symbolic";
      break;

    case TESSERA_REVIEW_VIEW_OUTCOME:
      text = tessera_request_describe_outcome (request, self->username, g_get_real_time ());
      switch (tessera_request_get_state (request))
        {
        case TESSERA_REQUEST_APPROVED:
        case TESSERA_REQUEST_COMPLETED:
          icon_name = "emblem-ok-symbolic";
          style = "success";
          break;
        case TESSERA_REQUEST_REJECTED:
          icon_name = "action-unavailable-symbolic";
          style = "error";
          break;
        case TESSERA_REQUEST_EXPIRED:
        case TESSERA_REQUEST_PENDING:
        default:
          icon_name = "alarm-symbolic";
          style = "warning";
          break;
        }
      break;

    case TESSERA_REVIEW_VIEW_LOADING:
    case TESSERA_REVIEW_VIEW_ERROR:
    case TESSERA_REVIEW_VIEW_EMPTY:
    case TESSERA_REVIEW_VIEW_DECIDE:
    default:
      return;
    }

  gtk_image_set_from_icon_name (self->outcome_icon, icon_name);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->outcome_icon), style);
  gtk_label_set_label (self->outcome_label, text);
}

void
_tessera_review_window_update_navigation (TesseraReviewWindow *self)
{
  guint n = self->requests->len;
  gboolean can_move = !self->resolving && self->view != TESSERA_REVIEW_VIEW_LOADING;

  gtk_widget_set_visible (self->navigation_box, n > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.previous",
                                 can_move && n > 1 && self->position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.next",
                                 can_move && self->position + 1 < n);

  if (n > 1)
    {
      /* TRANSLATORS: which of the requests being reviewed is shown: "1 of 3" */
      g_autofree char *subtitle = g_strdup_printf (_("%u of %u"), self->position + 1, n);

      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title, "");
    }
}

static TesseraReviewView
choose_view (TesseraReviewWindow *self)
{
  TesseraRequest *request = _tessera_review_window_get_current (self);

  if (self->load_error != NULL)
    return TESSERA_REVIEW_VIEW_ERROR;
  if (!self->have_user || (self->walking && !self->listed))
    return TESSERA_REVIEW_VIEW_LOADING;
  if (request == NULL)
    return TESSERA_REVIEW_VIEW_EMPTY;
  if (!is_loaded (request))
    return TESSERA_REVIEW_VIEW_LOADING;
  if (tessera_request_get_state (request) != TESSERA_REQUEST_PENDING)
    return TESSERA_REVIEW_VIEW_OUTCOME;
  if (self->role != TESSERA_ROLE_ADMIN)
    return TESSERA_REVIEW_VIEW_VIEWER;
  if (g_strcmp0 (self->separation_id, tessera_request_get_id (request)) == 0)
    return TESSERA_REVIEW_VIEW_SEPARATION;
  return TESSERA_REVIEW_VIEW_DECIDE;
}

void
_tessera_review_window_update_view (TesseraReviewWindow *self)
{
  TesseraRequest *request = _tessera_review_window_get_current (self);
  gboolean deciding;

  self->view = choose_view (self);
  deciding = self->view == TESSERA_REVIEW_VIEW_DECIDE;

  switch (self->view)
    {
    case TESSERA_REVIEW_VIEW_LOADING:
      gtk_stack_set_visible_child_name (self->stack, "loading");
      break;

    case TESSERA_REVIEW_VIEW_ERROR:
      {
        g_autofree char *message = _tessera_review_window_describe_error (self, self->load_error);

        adw_status_page_set_icon_name (self->error_page, "network-error-symbolic");
        adw_status_page_set_title (self->error_page, _("Could Not Load the Request"));
        adw_status_page_set_description (self->error_page, message);
        gtk_widget_set_visible (self->reload_button, TRUE);
        gtk_stack_set_visible_child_name (self->stack, "error");
      }
      break;

    case TESSERA_REVIEW_VIEW_EMPTY:
      adw_status_page_set_icon_name (self->error_page, "emblem-ok-symbolic");
      adw_status_page_set_title (self->error_page, _("No Requests Awaiting Approval"));
      adw_status_page_set_description (self->error_page,
                                       _("Requests appear here when a technician enters a "
                                         "one-time password on a console."));
      gtk_widget_set_visible (self->reload_button, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "error");
      break;

    case TESSERA_REVIEW_VIEW_DECIDE:
    case TESSERA_REVIEW_VIEW_VIEWER:
    case TESSERA_REVIEW_VIEW_OUTCOME:
    case TESSERA_REVIEW_VIEW_SEPARATION:
    default:
      render_request (self, request);
      render_outcome (self, request);
      gtk_stack_set_visible_child_name (self->stack, "request");
      break;
    }

  gtk_spinner_set_spinning (self->loading_spinner, self->view == TESSERA_REVIEW_VIEW_LOADING);
  gtk_widget_set_visible (self->decision_group, deciding);
  gtk_widget_set_visible (GTK_WIDGET (self->resolve_button), deciding);
  gtk_widget_set_visible (self->outcome_group,
                          self->view == TESSERA_REVIEW_VIEW_VIEWER ||
                          self->view == TESSERA_REVIEW_VIEW_OUTCOME ||
                          self->view == TESSERA_REVIEW_VIEW_SEPARATION);
  if (!deciding)
    gtk_widget_set_visible (self->error_box, FALSE);
  /* Nothing to cancel once there is nothing to decide */
  gtk_button_set_label (self->cancel_button, deciding ? _("_Cancel") : _("_Close"));

  _tessera_review_window_update_form (self);
  _tessera_review_window_update_navigation (self);
}

void
_tessera_review_window_go_to (TesseraReviewWindow *self,
       guint                position)
{
  g_assert (position < self->requests->len);

  if (position != self->position)
    _tessera_review_window_reset_form (self);
  self->position = position;
  _tessera_review_window_update_view (self);
}

/* Loading */

static void
on_user_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TesseraReviewWindow) self = user_data;
  g_autoptr(TesseraUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = tessera_client_get_me_finish (TESSERA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (user == NULL)
    {
      set_load_error (self, error);
    }
  else
    {
      g_free (self->username);
      self->username = g_strdup (tessera_user_get_username (user));
      self->role = tessera_user_get_role (user);
      self->have_user = TRUE;
    }

  _tessera_review_window_update_view (self);
}

static void
load_user (TesseraReviewWindow *self)
{
  tessera_client_get_me_async (self->client, self->cancellable, on_user_loaded,
                               g_object_ref (self));
}


TesseraReviewCall *
_tessera_review_call_new (TesseraReviewWindow *self,
                  TesseraRequest      *request)
{
  TesseraReviewCall *call = g_new0 (TesseraReviewCall, 1);

  call->window = g_object_ref (self);
  call->request = g_object_ref (request);
  return call;
}

void
_tessera_review_call_free (TesseraReviewCall *call)
{
  g_clear_object (&call->window);
  g_clear_object (&call->request);
  g_free (call);
}

static void
on_request_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TesseraReviewCall) call = user_data;
  TesseraReviewWindow *self = call->window;
  g_autoptr(TesseraRequest) loaded = NULL;
  g_autoptr(GError) error = NULL;

  loaded = tessera_client_get_request_finish (TESSERA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (loaded == NULL)
    {
      /* Only the request on screen has a place to say so */
      if (call->request == _tessera_review_window_get_current (self))
        set_load_error (self, error);
    }
  else
    {
      tessera_request_update_from (call->request, loaded);
    }

  _tessera_review_window_update_view (self);
}

void
_tessera_review_window_load_request (TesseraReviewWindow *self,
              TesseraRequest      *request)
{
  tessera_client_get_request_async (self->client, tessera_request_get_id (request),
                                    self->cancellable, on_request_loaded,
                                    _tessera_review_call_new (self, request));
}

static int
compare_requested_at (gconstpointer a,
                      gconstpointer b)
{
  TesseraRequest *request_a = *(TesseraRequest **) a;
  TesseraRequest *request_b = *(TesseraRequest **) b;
  int order = g_date_time_compare (tessera_request_get_requested_at (request_a),
                                   tessera_request_get_requested_at (request_b));

  return order != 0 ? order : g_strcmp0 (tessera_request_get_id (request_a),
                                          tessera_request_get_id (request_b));
}

static void
on_pending_listed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TesseraReviewWindow) self = user_data;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;

  listed = tessera_client_list_requests_finish (TESSERA_CLIENT (source), result, NULL, NULL,
                                                &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (listed == NULL)
    {
      set_load_error (self, error);
      _tessera_review_window_update_view (self);
      return;
    }

  /* The server lists the newest first; the oldest expires first, so it comes first here */
  g_ptr_array_sort (listed, compare_requested_at);
  for (guint i = 0; i < listed->len; i++)
    {
      TesseraRequest *request = g_ptr_array_index (listed, i);
      TesseraRequest *known = find_request (self, tessera_request_get_id (request), NULL);

      if (known != NULL)
        tessera_request_update_from (known, request);
      else if (tessera_request_get_state (request) == TESSERA_REQUEST_PENDING)
        g_ptr_array_add (self->requests, g_object_ref (request));
    }
  self->listed = TRUE;

  _tessera_review_window_update_view (self);
}

static void
load_pending (TesseraReviewWindow *self)
{
  self->listed = FALSE;
  tessera_client_list_requests_async (self->client, 1u << TESSERA_REQUEST_PENDING, NULL,
                                      TESSERA_CLIENT_MAX_PAGE_SIZE, self->cancellable,
                                      on_pending_listed, g_object_ref (self));
}

/* Other actions */

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TesseraReviewWindow *self = TESSERA_REVIEW_WINDOW (widget);

  if (!self->resolving && self->position > 0)
    _tessera_review_window_go_to (self, self->position - 1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TesseraReviewWindow *self = TESSERA_REVIEW_WINDOW (widget);

  if (!self->resolving && self->position + 1 < self->requests->len)
    _tessera_review_window_go_to (self, self->position + 1);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TesseraReviewWindow *self = TESSERA_REVIEW_WINDOW (widget);
  TesseraRequest *request = _tessera_review_window_get_current (self);

  g_clear_error (&self->load_error);
  if (!self->have_user)
    load_user (self);
  if (self->walking && !self->listed)
    load_pending (self);
  else if (request != NULL && !is_loaded (request))
    _tessera_review_window_load_request (self, request);

  _tessera_review_window_update_view (self);
}

static void
copy_serial_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TesseraReviewWindow *self = TESSERA_REVIEW_WINDOW (widget);
  TesseraRequest *request = _tessera_review_window_get_current (self);
  const char *serial;

  if (request == NULL || (serial = tessera_request_get_device_serial_number (request)) == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), serial);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Serial number copied")));
}

/* Live updates */

static void
on_event (TesseraReviewWindow *self,
          TesseraEvent        *event)
{
  TesseraRequest *request = tessera_event_get_request (event);
  TesseraRequest *known;

  if (request == NULL)
    return;

  known = find_request (self, tessera_request_get_id (request), NULL);
  switch (tessera_event_get_event_type (event))
    {
    case TESSERA_EVENT_REQUEST_CREATED:
      /* A walk through everything pending takes in what arrives meanwhile */
      if (known == NULL && self->walking && self->listed &&
          tessera_request_get_state (request) == TESSERA_REQUEST_PENDING)
        {
          g_ptr_array_add (self->requests, g_object_ref (request));
          _tessera_review_window_update_view (self);
        }
      break;

    case TESSERA_EVENT_REQUEST_UPDATED:
      if (known == NULL)
        break;
      tessera_request_update_from (known, request);
      /* While our own resolution is on its way, its answer decides what to show */
      if (!(self->resolving && known == _tessera_review_window_get_current (self)))
        _tessera_review_window_update_view (self);
      break;

    case TESSERA_EVENT_ACCOUNT_UPDATED:
    case TESSERA_EVENT_SETTINGS_UPDATED:
    default:
      break;
    }
}

static gboolean
on_clock (gpointer user_data)
{
  TesseraReviewWindow *self = user_data;
  TesseraRequest *request = _tessera_review_window_get_current (self);

  if (request != NULL && is_loaded (request) && tessera_request_get_expires_at (request) != NULL)
    {
      g_autofree char *expiration =
        tessera_format_expiration (tessera_request_get_expires_at (request), g_get_real_time ());

      gtk_label_set_label (self->expiration_label, expiration);
    }

  return G_SOURCE_CONTINUE;
}

static void
on_decision_changed (TesseraReviewWindow *self)
{
  _tessera_review_window_update_form (self);
}

/* Public */

TesseraReviewWindow *
tessera_review_window_new (TesseraClient *client)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (client), NULL);

  return g_object_new (TESSERA_TYPE_REVIEW_WINDOW, "client", client, NULL);
}

TesseraClient *
tessera_review_window_get_client (TesseraReviewWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_REVIEW_WINDOW (self), NULL);

  return self->client;
}

void
tessera_review_window_show_request (TesseraReviewWindow *self,
                                    const char          *request_id)
{
  TesseraRequest *request;
  guint position;

  g_return_if_fail (TESSERA_IS_REVIEW_WINDOW (self));
  g_return_if_fail (request_id != NULL);

  if (self->resolving)
    return;

  request = find_request (self, request_id, &position);
  if (request == NULL)
    {
      request = tessera_request_new (request_id);
      g_ptr_array_add (self->requests, request);
      position = self->requests->len - 1;
    }

  /* Always asked again: a row or a notification may be older than the request's news */
  g_clear_error (&self->load_error);
  _tessera_review_window_load_request (self, request);
  _tessera_review_window_go_to (self, position);
}

void
tessera_review_window_show_pending (TesseraReviewWindow *self)
{
  g_return_if_fail (TESSERA_IS_REVIEW_WINDOW (self));

  if (self->resolving)
    return;

  self->walking = TRUE;
  g_clear_error (&self->load_error);
  load_pending (self);
  _tessera_review_window_update_view (self);
}

TesseraRequest *
tessera_review_window_get_request (TesseraReviewWindow *self)
{
  TesseraRequest *request;

  g_return_val_if_fail (TESSERA_IS_REVIEW_WINDOW (self), NULL);

  request = _tessera_review_window_get_current (self);
  return request != NULL && is_loaded (request) ? request : NULL;
}

gpointer
_tessera_review_window_get_part (TesseraReviewWindow *self,
                                 TesseraReviewPart    part)
{
  g_return_val_if_fail (TESSERA_IS_REVIEW_WINDOW (self), NULL);

  switch (part)
    {
    case TESSERA_REVIEW_PART_WINDOW_TITLE:       return self->window_title;
    case TESSERA_REVIEW_PART_CANCEL_BUTTON:      return self->cancel_button;
    case TESSERA_REVIEW_PART_PREVIOUS_BUTTON:    return self->previous_button;
    case TESSERA_REVIEW_PART_NEXT_BUTTON:        return self->next_button;
    case TESSERA_REVIEW_PART_ERROR_PAGE:         return self->error_page;
    case TESSERA_REVIEW_PART_RELOAD_BUTTON:      return self->reload_button;
    case TESSERA_REVIEW_PART_ACCOUNT_TITLE:      return self->account_title;
    case TESSERA_REVIEW_PART_ACCOUNT_SUBTITLE:   return self->account_subtitle;
    case TESSERA_REVIEW_PART_REQUESTED_BY:       return self->requested_by_label;
    case TESSERA_REVIEW_PART_REQUESTED_DATE:     return self->requested_date_label;
    case TESSERA_REVIEW_PART_EXPIRATION_DATE:    return self->expiration_label;
    case TESSERA_REVIEW_PART_SOURCE:             return self->source_label;
    case TESSERA_REVIEW_PART_MAKE:               return self->make_label;
    case TESSERA_REVIEW_PART_MODEL:              return self->model_label;
    case TESSERA_REVIEW_PART_SERIAL_NUMBER:      return self->serial_label;
    case TESSERA_REVIEW_PART_COPY_SERIAL_BUTTON: return self->copy_serial_button;
    case TESSERA_REVIEW_PART_DECISION_GROUP:     return self->decision_group;
    case TESSERA_REVIEW_PART_APPROVE_CHECK:      return self->approve_check;
    case TESSERA_REVIEW_PART_REJECT_CHECK:       return self->reject_check;
    case TESSERA_REVIEW_PART_REASON_ROW:         return self->reason_row;
    case TESSERA_REVIEW_PART_COMMENT_ROW:        return self->comment_row;
    case TESSERA_REVIEW_PART_RESOLVE_BUTTON:     return self->resolve_button;
    case TESSERA_REVIEW_PART_RESOLVE_SPINNER:    return self->resolve_spinner;
    case TESSERA_REVIEW_PART_OUTCOME_GROUP:      return self->outcome_group;
    case TESSERA_REVIEW_PART_OUTCOME_LABEL:      return self->outcome_label;
    case TESSERA_REVIEW_PART_ERROR_BOX:          return self->error_box;
    case TESSERA_REVIEW_PART_ERROR_LABEL:        return self->error_label;
    case TESSERA_REVIEW_PART_RETRY_BUTTON:       return self->retry_button;
    default:                                     g_return_val_if_reached (NULL);
    }
}

TesseraReviewView
_tessera_review_window_get_view (TesseraReviewWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_REVIEW_WINDOW (self), TESSERA_REVIEW_VIEW_LOADING);

  return self->view;
}

guint
_tessera_review_window_get_n_requests (TesseraReviewWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_REVIEW_WINDOW (self), 0);

  return self->requests->len;
}

guint
_tessera_review_window_get_position (TesseraReviewWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_REVIEW_WINDOW (self), 0);

  return self->position;
}

gboolean
_tessera_review_window_get_resolving (TesseraReviewWindow *self)
{
  g_return_val_if_fail (TESSERA_IS_REVIEW_WINDOW (self), FALSE);

  return self->resolving;
}

/* GObject */

static void
tessera_review_window_constructed (GObject *object)
{
  TesseraReviewWindow *self = (TesseraReviewWindow *) object;

  G_OBJECT_CLASS (tessera_review_window_parent_class)->constructed (object);

  g_assert (self->client != NULL);

  g_signal_connect_object (self->client, "event", G_CALLBACK (on_event), self,
                           G_CONNECT_SWAPPED);
  load_user (self);
  _tessera_review_window_update_view (self);
}

static void
tessera_review_window_unrealize (GtkWidget *widget)
{
  TesseraReviewWindow *self = (TesseraReviewWindow *) widget;

  /* Closed: nothing it still waits for matters, and the replies should not keep it alive */
  g_cancellable_cancel (self->cancellable);

  GTK_WIDGET_CLASS (tessera_review_window_parent_class)->unrealize (widget);
}

static void
tessera_review_window_dispose (GObject *object)
{
  TesseraReviewWindow *self = (TesseraReviewWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->clock_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), TESSERA_TYPE_REVIEW_WINDOW);

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->requests, g_ptr_array_unref);

  G_OBJECT_CLASS (tessera_review_window_parent_class)->dispose (object);
}

static void
tessera_review_window_finalize (GObject *object)
{
  TesseraReviewWindow *self = (TesseraReviewWindow *) object;

  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->separation_id, g_free);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (tessera_review_window_parent_class)->finalize (object);
}

static void
tessera_review_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TesseraReviewWindow *self = TESSERA_REVIEW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_review_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TesseraReviewWindow *self = TESSERA_REVIEW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_review_window_class_init (TesseraReviewWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tessera_review_window_constructed;
  object_class->dispose = tessera_review_window_dispose;
  object_class->finalize = tessera_review_window_finalize;
  object_class->get_property = tessera_review_window_get_property;
  object_class->set_property = tessera_review_window_set_property;

  widget_class->unrealize = tessera_review_window_unrealize;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TESSERA_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TesseraReviewWindow::resolved:
   * @request: the request as the server answered: approved or rejected by this admin
   *
   * This window resolved a request.
   */
  signals[RESOLVED] =
    g_signal_new ("resolved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TESSERA_TYPE_REQUEST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/ui/"
                                               "tessera-review-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, navigation_box);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, previous_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, reload_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, account_title);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, account_subtitle);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, requested_by_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, requested_date_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, expiration_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, source_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, make_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, model_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, serial_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, copy_serial_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, decision_group);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, approve_check);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, reject_check);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, reason_row);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, comment_row);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, outcome_group);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, outcome_icon);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, error_box);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, resolve_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraReviewWindow, resolve_spinner);

  _tessera_review_window_install_decision_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "review.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "review.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "review.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "review.copy-serial", NULL, copy_serial_action);
}

static GListModel *
create_reason_choices (void)
{
  GtkStringList *choices = gtk_string_list_new (NULL);

  for (int reason = TESSERA_REJECTION_UNRECOGNIZED_DEVICE; reason <= TESSERA_REJECTION_OTHER;
       reason++)
    gtk_string_list_append (choices, tessera_rejection_reason_get_label (reason));

  return G_LIST_MODEL (choices);
}

static void
tessera_review_window_init (TesseraReviewWindow *self)
{
  g_autoptr(GListModel) reasons = create_reason_choices ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->requests = g_ptr_array_new_with_free_func (g_object_unref);
  self->role = TESSERA_ROLE_VIEWER;

  adw_combo_row_set_model (self->reason_row, reasons);
  g_signal_connect_object (self->approve_check, "notify::active",
                           G_CALLBACK (on_decision_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reject_check, "notify::active",
                           G_CALLBACK (on_decision_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reason_row, "notify::selected",
                           G_CALLBACK (on_decision_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->comment_row, "changed",
                           G_CALLBACK (on_decision_changed), self, G_CONNECT_SWAPPED);
  _tessera_review_window_reset_form (self);

  self->clock_id = g_timeout_add_seconds (CLOCK_INTERVAL_SECONDS, on_clock, self);
}

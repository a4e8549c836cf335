/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "tessera-accounts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tessera-account-cell.h"
#include "tessera-account-text.h"
#include "tessera-accounts-fetcher.h"
#include "tessera-accounts-page-private.h"

/* Time-dependent texts ("expires in 5 h") and the fallback refresh while offline */
#define CLOCK_INTERVAL_SECONDS 60


G_DEFINE_FINAL_TYPE (TesseraAccountsPage, tessera_accounts_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_MODEL,
  N_PROPS
};

enum {
  SESSION_EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];


/* Messages */

static char *
describe_error (TesseraAccountsPage *self,
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
      case TESSERA_CLIENT_ERROR_NOT_TESSERA:
        return g_strdup_printf (_("%s is not a Tessera server."), host);
      case TESSERA_CLIENT_ERROR_SERVICE_UNAVAILABLE:
        return g_strdup_printf (_("%s is not available at the moment."), host);
      case TESSERA_CLIENT_ERROR_FORBIDDEN:
        return g_strdup (_("Your account may not see the resource accounts."));
      default:
        break;
      }

  return g_strdup (error->message);
}

static void
add_toast (TesseraAccountsPage *self,
           AdwToast            *toast)
{
  self->n_toasts++;
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
tessera_accounts_page_add_toast (TesseraAccountsPage *self,
                                 AdwToast            *toast)
{
  g_return_if_fail (TESSERA_IS_ACCOUNTS_PAGE (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  add_toast (self, toast);
}

/* Views of the state */

static gboolean
is_filtered (TesseraAccountsPage *self)
{
  const char *query = tessera_accounts_model_get_query (self->model);

  return (query != NULL && query[0] != '\0') ||
         tessera_accounts_model_get_readiness_filter (self->model) != TESSERA_ACCOUNTS_FILTER_ANY ||
         (tessera_accounts_model_get_provisioning_filter (self->model) !=
          TESSERA_ACCOUNTS_FILTER_ANY);
}

static void
update_count (TesseraAccountsPage *self)
{
  guint n_accounts = tessera_accounts_model_get_n_accounts (self->model);
  guint n_selected = tessera_accounts_model_get_n_selected (self->model);
  gboolean loading = !self->loaded && tessera_accounts_fetcher_get_loading (self->fetcher);
  g_autofree char *text = NULL;

  if (loading)
    {
      guint loaded = tessera_accounts_fetcher_get_loaded (self->fetcher);
      guint total = tessera_accounts_fetcher_get_total (self->fetcher);
      g_autofree char *loaded_text = tessera_format_count (loaded);
      g_autofree char *total_text = tessera_format_count (total);

      /* TRANSLATORS: "Loading accounts… 34 000 of 100 000" */
      text = g_strdup_printf (_("Loading accounts… %s of %s"), loaded_text, total_text);
      gtk_progress_bar_set_fraction (self->progress_bar,
                                     total > 0 ? (double) MIN (loaded, total) / total : 0.0);
    }
  else
    {
      g_autofree char *total_text = tessera_format_count (n_accounts);

      if (is_filtered (self))
        {
          g_autofree char *shown_text =
            tessera_format_count (g_list_model_get_n_items (G_LIST_MODEL (self->model)));

          /* TRANSLATORS: "1 204 of 100 000 accounts" */
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s account",
                                               "%s of %s accounts", n_accounts),
                                  shown_text, total_text);
        }
      else
        {
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s account", "%s accounts",
                                               n_accounts),
                                  total_text);
        }

      if (n_selected > 0)
        {
          g_autofree char *selected_text = tessera_format_count (n_selected);
          char *with_selection;

          /* TRANSLATORS: "1 204 of 100 000 accounts · 3 selected" */
          with_selection = g_strdup_printf (_("%s · %s selected"), text, selected_text);
          g_free (text);
          text = with_selection;
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), loading);
  gtk_label_set_label (self->count_label, text);
}

static void
update_state (TesseraAccountsPage *self)
{
  const char *state;

  if (tessera_accounts_model_get_n_accounts (self->model) == 0)
    {
      if (self->load_failed)
        state = "error";
      else if (!self->loaded)
        state = "loading";
      else
        state = "empty";
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    {
      state = "no-results";
    }
  else
    {
      state = "list";
    }

  gtk_stack_set_visible_child_name (self->content_stack, state);
}

static void
update_prompt (TesseraAccountsPage *self)
{
  guint n = tessera_accounts_model_count_provisioning (self->model,
                                                       TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);

  if (n > 0)
    {
      g_autofree char *count = tessera_format_count (n);
      g_autofree char *text =
        /* TRANSLATORS: the prompt above the list: "3 requests awaiting approval" */
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s request awaiting approval",
                                      "%s requests awaiting approval", n),
                         count);

      gtk_label_set_label (self->prompt_label, text);
    }
  gtk_revealer_set_reveal_child (self->prompt_revealer, n > 0);
}

static void
update_subtitle (TesseraAccountsPage *self)
{
  g_autofree char *subtitle = NULL;

  if (tessera_client_get_connected (self->client))
    /* TRANSLATORS: the window subtitle while live updates arrive; %s is the server */
    subtitle = g_strdup_printf (_("%s · live"), tessera_client_get_host (self->client));
  else if (self->offline)
    subtitle = g_strdup (_("offline · retrying"));
  else
    subtitle = g_strdup (tessera_client_get_host (self->client));

  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
on_model_changed (TesseraAccountsPage *self)
{
  update_count (self);
  update_state (self);
}

static void
on_awaiting_changed (TesseraAccountsPage *self)
{
  update_prompt (self);
}

/* Loading and refreshing */

static gboolean
handle_session_error (TesseraAccountsPage *self,
                      const GError        *error)
{
  if (!g_error_matches (error, TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_AUTHORIZED))
    return FALSE;

  /* The load and the event stream find out at about the same time: tell the owner once */
  if (!self->session_expired)
    {
      self->session_expired = TRUE;
      g_cancellable_cancel (self->cancellable);
      g_signal_emit (self, signals[SESSION_EXPIRED], 0);
    }
  return TRUE;
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TesseraAccountsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (tessera_accounts_fetcher_load_finish (TESSERA_ACCOUNTS_FETCHER (source), result, &error))
    {
      self->loaded = TRUE;
      self->load_failed = FALSE;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           handle_session_error (self, error))
    {
      return;
    }
  else
    {
      g_autofree char *message = describe_error (self, error);

      self->load_failed = TRUE;
      adw_status_page_set_description (self->error_page, message);

      /* With part of the list on screen, say so without taking the list away */
      if (tessera_accounts_model_get_n_accounts (self->model) > 0)
        {
          g_autofree char *title = g_strdup_printf (_("Not all accounts loaded: %s"), message);
          AdwToast *toast = adw_toast_new (title);

          adw_toast_set_button_label (toast, _("_Retry"));
          adw_toast_set_action_name (toast, "accounts.retry");
          adw_toast_set_timeout (toast, 0);
          add_toast (self, toast);
        }
    }

  update_count (self);
  update_state (self);
}

void
_tessera_accounts_page_load (TesseraAccountsPage *self)
{
  self->load_failed = FALSE;
  update_state (self);
  tessera_accounts_fetcher_load_async (self->fetcher, self->cancellable, on_loaded,
                                       g_object_ref (self));
  update_count (self);
}

typedef struct {
  TesseraAccountsPage *page;
  gboolean             quiet;    /* the periodic fallback: failures are expected while offline */
} Refresh;

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree Refresh *refresh = user_data;
  g_autoptr(TesseraAccountsPage) self = refresh->page;
  g_autoptr(GError) error = NULL;

  if (tessera_accounts_fetcher_refresh_finish (TESSERA_ACCOUNTS_FETCHER (source), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      handle_session_error (self, error) ||
      refresh->quiet)
    return;

  {
    g_autofree char *message = describe_error (self, error);
    g_autofree char *title = g_strdup_printf (_("Could not refresh: %s"), message);

    add_toast (self, adw_toast_new (title));
  }
}

void
_tessera_accounts_page_refresh (TesseraAccountsPage *self,
                                gboolean             quiet)
{
  Refresh *data;

  /* Before the first full load, a refresh is that load */
  if (!self->loaded)
    {
      if (!tessera_accounts_fetcher_get_loading (self->fetcher))
        _tessera_accounts_page_load (self);
      return;
    }

  data = g_new0 (Refresh, 1);
  data->page = g_object_ref (self);
  data->quiet = quiet;
  tessera_accounts_fetcher_refresh_async (self->fetcher, self->cancellable, on_refreshed, data);
}

/* Live updates */

static void
on_event (TesseraAccountsPage *self,
          TesseraEvent        *event)
{
  TesseraAccount *account;

  if (tessera_event_get_event_type (event) != TESSERA_EVENT_ACCOUNT_UPDATED)
    return;

  account = tessera_event_get_account (event);
  if (account != NULL)
    tessera_accounts_model_update (self->model, account);
}

static void
on_connected_changed (TesseraAccountsPage *self)
{
  if (tessera_client_get_connected (self->client))
    {
      /* Events missed while away are not replayed: catch up on what changed */
      if (self->ever_connected)
        _tessera_accounts_page_refresh (self, TRUE);
      self->ever_connected = TRUE;
      self->offline = FALSE;
    }
  else if (self->ever_connected && !self->offline)
    {
      self->offline = TRUE;
      self->n_offline_toasts++;
      add_toast (self, adw_toast_new (_("Offline: live updates stopped. Tessera keeps trying to "
                                        "reconnect.")));
    }

  update_subtitle (self);
}

static void
on_events_failed (TesseraAccountsPage *self,
                  GError              *error)
{
  handle_session_error (self, error);
}

/* The cells on screen are few; walking them is cheaper than tracking each one's life */
static void
refresh_cells (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (TESSERA_IS_ACCOUNT_CELL (child))
        tessera_account_cell_refresh (TESSERA_ACCOUNT_CELL (child));
      else
        refresh_cells (child);
    }
}

static gboolean
on_clock (gpointer user_data)
{
  TesseraAccountsPage *self = user_data;

  refresh_cells (GTK_WIDGET (self->column_view));

  /* Without the event stream, fall back to asking now and then */
  if (self->loaded && !tessera_client_get_connected (self->client))
    _tessera_accounts_page_refresh (self, TRUE);

  return G_SOURCE_CONTINUE;
}

/* Search and filters */

static void
on_search_changed (TesseraAccountsPage *self)
{
  if (self->model == NULL)
    return;
  tessera_accounts_model_set_query (self->model,
                                    gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* Drop-down position 0 is "All"; the others follow the enum */
static int
selected_to_filter (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return TESSERA_ACCOUNTS_FILTER_ANY;
  return (int) selected - 1;
}

static void
on_readiness_selected (TesseraAccountsPage *self)
{
  /* Setting the choices in init selects the first one before there is a model */
  if (self->model == NULL)
    return;
  tessera_accounts_model_set_readiness_filter (self->model,
                                               selected_to_filter (self->readiness_dropdown));
}

static void
on_provisioning_selected (TesseraAccountsPage *self)
{
  if (self->model == NULL)
    return;
  tessera_accounts_model_set_provisioning_filter (self->model,
                                                  selected_to_filter (self->provisioning_dropdown));
}

static GListModel *
create_readiness_choices (void)
{
  GtkStringList *choices = gtk_string_list_new (NULL);

  /* TRANSLATORS: a filter choice that shows accounts of every status */
  gtk_string_list_append (choices, C_("filter", "All"));
  for (int i = TESSERA_READINESS_READY; i <= TESSERA_READINESS_NO_VALID_LICENSE; i++)
    gtk_string_list_append (choices, tessera_readiness_get_label (i));

  return G_LIST_MODEL (choices);
}

static GListModel *
create_provisioning_choices (void)
{
  GtkStringList *choices = gtk_string_list_new (NULL);

  gtk_string_list_append (choices, C_("filter", "All"));
  for (int i = TESSERA_PROVISIONING_NOT_STARTED; i <= TESSERA_PROVISIONING_OTP_REVOKED; i++)
    gtk_string_list_append (choices, tessera_provisioning_state_get_label (i));

  return G_LIST_MODEL (choices);
}

/* Public */

TesseraClient *
tessera_accounts_page_get_client (TesseraAccountsPage *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_PAGE (self), NULL);

  return self->client;
}

TesseraAccountsModel *
tessera_accounts_page_get_model (TesseraAccountsPage *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_PAGE (self), NULL);

  return self->model;
}

const char *
tessera_accounts_page_get_state (TesseraAccountsPage *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->content_stack);
}

gboolean
tessera_accounts_page_get_loaded (TesseraAccountsPage *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_PAGE (self), FALSE);

  return self->loaded;
}

void
tessera_accounts_page_focus_list (TesseraAccountsPage *self)
{
  g_return_if_fail (TESSERA_IS_ACCOUNTS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

gpointer
_tessera_accounts_page_get_part (TesseraAccountsPage     *self,
                                 TesseraAccountsPagePart  part)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_PAGE (self), NULL);

  switch (part)
    {
    case TESSERA_ACCOUNTS_PAGE_PART_SEARCH_ENTRY:        return self->search_entry;
    case TESSERA_ACCOUNTS_PAGE_PART_SEARCH_BAR:          return self->search_bar;
    case TESSERA_ACCOUNTS_PAGE_PART_READINESS_FILTER:    return self->readiness_dropdown;
    case TESSERA_ACCOUNTS_PAGE_PART_PROVISIONING_FILTER: return self->provisioning_dropdown;
    case TESSERA_ACCOUNTS_PAGE_PART_FILTERS_BUTTON:      return self->filters_button;
    case TESSERA_ACCOUNTS_PAGE_PART_COUNT_LABEL:         return self->count_label;
    case TESSERA_ACCOUNTS_PAGE_PART_PROMPT_REVEALER:     return self->prompt_revealer;
    case TESSERA_ACCOUNTS_PAGE_PART_PROMPT_LABEL:        return self->prompt_label;
    case TESSERA_ACCOUNTS_PAGE_PART_REVIEW_BUTTON:       return self->review_button;
    case TESSERA_ACCOUNTS_PAGE_PART_RETRY_BUTTON:        return self->retry_button;
    case TESSERA_ACCOUNTS_PAGE_PART_ERROR_PAGE:          return self->error_page;
    case TESSERA_ACCOUNTS_PAGE_PART_WINDOW_TITLE:        return self->window_title;
    case TESSERA_ACCOUNTS_PAGE_PART_PROGRESS_BAR:        return self->progress_bar;
    case TESSERA_ACCOUNTS_PAGE_PART_COLUMN_VIEW:         return self->column_view;
    case TESSERA_ACCOUNTS_PAGE_PART_SITE_COLUMN:         return self->site_column;
    case TESSERA_ACCOUNTS_PAGE_PART_UPDATED_COLUMN:      return self->updated_column;
    case TESSERA_ACCOUNTS_PAGE_PART_TOAST_OVERLAY:       return self->toast_overlay;
    default:                                             g_return_val_if_reached (NULL);
    }
}

guint
_tessera_accounts_page_get_n_toasts (TesseraAccountsPage *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_PAGE (self), 0);

  return self->n_toasts;
}

guint
_tessera_accounts_page_get_n_offline_toasts (TesseraAccountsPage *self)
{
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_PAGE (self), 0);

  return self->n_offline_toasts;
}

/* GObject */

static void
tessera_accounts_page_constructed (GObject *object)
{
  TesseraAccountsPage *self = (TesseraAccountsPage *) object;

  G_OBJECT_CLASS (tessera_accounts_page_parent_class)->constructed (object);

  g_assert (self->client != NULL);
  g_assert (self->model != NULL);

  self->fetcher = tessera_accounts_fetcher_new (self->client, self->model);
  g_signal_connect_object (self->fetcher, "notify", G_CALLBACK (update_count), self,
                           G_CONNECT_SWAPPED);

  _tessera_accounts_page_setup_columns (self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->model));
  tessera_accounts_model_set_sorter (self->model, gtk_column_view_get_sorter (self->column_view));
  gtk_column_view_sort_by_column (self->column_view, self->name_column, GTK_SORT_ASCENDING);
  on_readiness_selected (self);
  on_provisioning_selected (self);

  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_model_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::n-accounts", G_CALLBACK (on_model_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::n-selected", G_CALLBACK (update_count), self,
                           G_CONNECT_SWAPPED);
  /* "N of M accounts" as soon as a search or filter is set, even when it hides nothing */
  g_signal_connect_object (self->model, "notify::query", G_CALLBACK (update_count), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::readiness-filter", G_CALLBACK (update_count),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::provisioning-filter", G_CALLBACK (update_count),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::n-awaiting-approval",
                           G_CALLBACK (on_awaiting_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->column_view, "activate",
                           G_CALLBACK (_tessera_accounts_page_on_activate), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "event", G_CALLBACK (on_event), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::connected", G_CALLBACK (on_connected_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "events-failed", G_CALLBACK (on_events_failed), self,
                           G_CONNECT_SWAPPED);
  tessera_client_start_events (self->client);

  update_subtitle (self);
  update_prompt (self);
  _tessera_accounts_page_load (self);
}

static void
tessera_accounts_page_dispose (GObject *object)
{
  TesseraAccountsPage *self = (TesseraAccountsPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  if (self->client != NULL)
    tessera_client_stop_events (self->client);
  _tessera_accounts_page_close_windows (self);

  /* AdwBin lets go of its child first, or the template would unparent it under AdwBin */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TESSERA_TYPE_ACCOUNTS_PAGE);

  g_clear_object (&self->fetcher);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->model);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tessera_accounts_page_parent_class)->dispose (object);
}

static void
tessera_accounts_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TesseraAccountsPage *self = TESSERA_ACCOUNTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_accounts_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TesseraAccountsPage *self = TESSERA_ACCOUNTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_MODEL:
      self->model = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_accounts_page_class_init (TesseraAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tessera_accounts_page_constructed;
  object_class->dispose = tessera_accounts_page_dispose;
  object_class->get_property = tessera_accounts_page_get_property;
  object_class->set_property = tessera_accounts_page_set_property;

  widget_class->measure = _tessera_accounts_page_measure;
  widget_class->size_allocate = _tessera_accounts_page_size_allocate;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TESSERA_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, TESSERA_TYPE_ACCOUNTS_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TesseraAccountsPage::session-expired:
   *
   * The server no longer accepts the session: its owner should sign in again.
   */
  signals[SESSION_EXPIRED] =
    g_signal_new ("session-expired",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/ui/"
                                               "tessera-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, generate_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, filters_box);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, readiness_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, provisioning_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, filters_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage,
                                        narrow_readiness_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage,
                                        narrow_provisioning_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, prompt_revealer);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, review_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, name_column);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, site_column);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, readiness_column);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, provisioning_column);
  gtk_widget_class_bind_template_child (widget_class, TesseraAccountsPage, updated_column);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_readiness_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_provisioning_selected);

  _tessera_accounts_page_install_actions (widget_class);
}

static void
tessera_accounts_page_init (TesseraAccountsPage *self)
{
  g_autoptr(GListModel) readiness_choices = create_readiness_choices ();
  g_autoptr(GListModel) provisioning_choices = create_provisioning_choices ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  /* The entry sits in a clamp, so the bar does not find it by itself */
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  self->cancellable = g_cancellable_new ();

  gtk_drop_down_set_model (self->readiness_dropdown, readiness_choices);
  gtk_drop_down_set_model (self->narrow_readiness_dropdown, readiness_choices);
  gtk_drop_down_set_model (self->provisioning_dropdown, provisioning_choices);
  gtk_drop_down_set_model (self->narrow_provisioning_dropdown, provisioning_choices);
  /* The popover's filters (narrow windows) are the same filters */
  g_object_bind_property (self->readiness_dropdown, "selected",
                          self->narrow_readiness_dropdown, "selected",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->provisioning_dropdown, "selected",
                          self->narrow_provisioning_dropdown, "selected",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);


  self->clock_id = g_timeout_add_seconds (CLOCK_INTERVAL_SECONDS, on_clock, self);
}

GtkWidget *
tessera_accounts_page_new (TesseraClient        *client,
                           TesseraAccountsModel *model)
{
  g_return_val_if_fail (TESSERA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (TESSERA_IS_ACCOUNTS_MODEL (model), NULL);

  return g_object_new (TESSERA_TYPE_ACCOUNTS_PAGE, "client", client, "model", model, NULL);
}

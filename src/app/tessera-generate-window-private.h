/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-generate-window.h"
#include "tessera-sign-in-csv.h"

G_BEGIN_DECLS

/* A part of the results that goes to the server as one POST /api/v1/otp-batches */
typedef struct {
  GStrv      account_ids;      /* owned */
  char      *idempotency_key;  /* owned: the same for every retry of this part */
  gboolean   done;
} TesseraGenerateBatch;

/* Shared by tessera-generate-window*.c */
struct _TesseraGenerateWindow
{
  AdwWindow              parent_instance;

  /* Template widgets: the frame */
  AdwToastOverlay       *toast_overlay;
  AdwWindowTitle        *window_title;
  GtkStack              *stack;
  GtkWidget             *cancel_button;
  GtkWidget             *back_button;
  GtkWidget             *next_button;
  GtkWidget             *generate_button;
  GtkWidget             *done_button;

  /* Account selection */
  GtkSearchEntry        *search_entry;
  GtkSwitch             *ready_only_switch;
  GtkStack              *selection_stack;
  GtkListView           *account_list;
  GtkLabel              *selected_label;
  GtkLabel              *left_out_label;

  /* Configuration */
  GtkCheckButton        *generate_check;
  GtkCheckButton        *upload_check;
  GtkWidget             *choose_file_button;
  GtkWidget             *file_box;
  GtkLabel              *file_label;
  GtkBox                *problems_box;
  AdwComboRow           *validity_row;
  GtkWidget             *custom_validity_row;
  GtkSpinButton         *custom_validity_spin;

  /* Review */
  AdwPreferencesGroup   *review_accounts_group;
  GtkLabel              *review_accounts_label;
  AdwActionRow          *review_passwords_row;
  AdwActionRow          *review_validity_row;

  /* Results */
  GtkStack              *results_stack;
  GtkLabel              *progress_label;
  GtkProgressBar        *progress_bar;
  GtkListView           *results_list;
  GtkLabel              *results_summary_label;
  GtkWidget             *results_error_box;
  GtkLabel              *results_error_label;
  AdwStatusPage         *results_error_page;
  GtkCheckButton        *include_passwords_check;

  /* Owned */
  TesseraClient         *client;
  TesseraAccountsModel  *source;           /* the main window's model: only read when made */
  TesseraAccountsModel  *accounts;         /* the assistant's own model over the same accounts */
  GtkNoSelection        *account_list_model;
  GPtrArray             *bound_rows;       /* TesseraGenerateAccountRow* on screen, unowned */
  GCancellable          *cancellable;
  guint                  default_validity_hours;  /* the organisation's; 0 while unknown */
  gboolean               selecting;       /* the selection is being changed by this window */
  guint                  n_left_out;      /* selected in the main window, not ready */

  /* Configuration, owned */
  GBytes                *csv_data;         /* the file as read: secret, wiped when dropped */
  char                  *csv_name;
  TesseraSignInCsv      *sign_in_csv;      /* csv_data checked against the selection */
  GHashTable            *accounts_by_upn;  /* folded UPN → TesseraAccount, made when needed */
  gboolean               csv_loading;
  guint                  csv_generation;   /* the file chosen last; older reads are dropped */

  /* Navigation */
  gboolean               return_to_review; /* Next goes back to Review (after Edit) */
  gboolean               close_confirmed;

  /* Results, owned: the codes and passwords are secrets */
  GPtrArray             *batches;          /* TesseraGenerateBatch* */
  GPtrArray             *pending;          /* TesseraAccount* being generated for, in order */
  GListStore            *results;          /* TesseraOtpResult */
  GHashTable            *copied;           /* results copied one by one (unowned keys) */
  guint                  n_sent;           /* accounts whose batch has been answered */
  guint                  n_issued;
  gboolean               generating;
  gboolean               codes_kept;       /* copied, saved or printed */
  guint                  n_saved;          /* CSV files written */
  gboolean               passwords_returned;
  gboolean               password_mode_provided;
  guint                  validity_hours;   /* of the batch; 0 for the organisation's */
};

/*
 * An answer may already be on its way when the window closes: GTask hands it over even after
 * the cancellable is cancelled. Callbacks check this before touching any widget.
 */
static inline gboolean
_tessera_generate_window_is_closed (TesseraGenerateWindow *self)
{
  return self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable);
}

/* tessera-generate-window.c */
void      _tessera_generate_window_go_to            (TesseraGenerateWindow *self,
                                                     TesseraGeneratePage    page);
void      _tessera_generate_window_update_actions   (TesseraGenerateWindow *self);
void      _tessera_generate_window_add_toast        (TesseraGenerateWindow *self,
                                                     const char            *title);
char     *_tessera_generate_window_describe_error   (TesseraGenerateWindow *self,
                                                     const GError          *error);

/* tessera-generate-window-selection.c */
void      _tessera_generate_window_selection_init   (TesseraGenerateWindow *self);
void      _tessera_generate_window_selection_start  (TesseraGenerateWindow *self);
void      _tessera_generate_window_selection_dispose (TesseraGenerateWindow *self);
gboolean  _tessera_generate_window_selection_ready  (TesseraGenerateWindow *self);
void      _tessera_generate_window_select_all       (TesseraGenerateWindow *self);
void      _tessera_generate_window_clear_selection  (TesseraGenerateWindow *self);
/* The selected accounts that are ready now, sorted by name (transfer full) */
GPtrArray *_tessera_generate_window_get_selected    (TesseraGenerateWindow *self);
void      _tessera_generate_window_selection_class_init (GtkWidgetClass    *widget_class);

/* tessera-generate-window-configuration.c */
void      _tessera_generate_window_configuration_init (TesseraGenerateWindow *self);
void      _tessera_generate_window_configuration_dispose (TesseraGenerateWindow *self);
/* Checks the file again against the selection as it is now */
void      _tessera_generate_window_revalidate       (TesseraGenerateWindow *self);
gboolean  _tessera_generate_window_configuration_ready (TesseraGenerateWindow *self);
gboolean  _tessera_generate_window_get_upload       (TesseraGenerateWindow *self);
/* 0 for the organisation's default */
guint     _tessera_generate_window_get_validity     (TesseraGenerateWindow *self);
char     *_tessera_generate_window_describe_validity (TesseraGenerateWindow *self);
void      _tessera_generate_window_load_csv         (TesseraGenerateWindow *self,
                                                     GFile                 *file);
void      _tessera_generate_window_configuration_class_init (GtkWidgetClass *widget_class);

/* tessera-generate-window-review.c */
void      _tessera_generate_window_update_review    (TesseraGenerateWindow *self);
void      _tessera_generate_window_review_class_init (GtkWidgetClass       *widget_class);

/* tessera-generate-window-results.c */
void      _tessera_generate_window_results_init     (TesseraGenerateWindow *self);
void      _tessera_generate_window_results_dispose  (TesseraGenerateWindow *self);
void      _tessera_generate_window_generate         (TesseraGenerateWindow *self);
gboolean  _tessera_generate_window_needs_confirmation (TesseraGenerateWindow *self);
void      _tessera_generate_window_save_csv         (TesseraGenerateWindow *self,
                                                     GFile                 *file,
                                                     gboolean               include_passwords);
gboolean  _tessera_generate_window_print            (TesseraGenerateWindow *self,
                                                     const char            *export_filename,
                                                     GError               **error);
void      _tessera_generate_window_results_class_init (GtkWidgetClass      *widget_class);

/* The window's widgets and state, for the UI tests that drive it as a person would. */
typedef enum {
  TESSERA_GENERATE_PART_WINDOW_TITLE,          /* AdwWindowTitle */
  TESSERA_GENERATE_PART_SEARCH_ENTRY,
  TESSERA_GENERATE_PART_READY_ONLY_SWITCH,
  TESSERA_GENERATE_PART_ACCOUNT_LIST,          /* GtkListView */
  TESSERA_GENERATE_PART_SELECTED_LABEL,
  TESSERA_GENERATE_PART_LEFT_OUT_LABEL,
  TESSERA_GENERATE_PART_GENERATE_CHECK,        /* GtkCheckButton: generate passwords */
  TESSERA_GENERATE_PART_UPLOAD_CHECK,          /* GtkCheckButton: upload sign-in data */
  TESSERA_GENERATE_PART_FILE_LABEL,
  TESSERA_GENERATE_PART_PROBLEMS_BOX,          /* GtkBox of GtkLabel, one per problem */
  TESSERA_GENERATE_PART_VALIDITY_ROW,          /* AdwComboRow */
  TESSERA_GENERATE_PART_CUSTOM_VALIDITY_SPIN,  /* GtkSpinButton */
  TESSERA_GENERATE_PART_REVIEW_ACCOUNTS_GROUP, /* AdwPreferencesGroup */
  TESSERA_GENERATE_PART_REVIEW_ACCOUNTS_LABEL,
  TESSERA_GENERATE_PART_REVIEW_PASSWORDS_ROW,  /* AdwActionRow */
  TESSERA_GENERATE_PART_REVIEW_VALIDITY_ROW,   /* AdwActionRow */
  TESSERA_GENERATE_PART_RESULTS_STACK,         /* "progress", "list", "error" */
  TESSERA_GENERATE_PART_PROGRESS_LABEL,
  TESSERA_GENERATE_PART_RESULTS_LIST,          /* GtkListView */
  TESSERA_GENERATE_PART_RESULTS_SUMMARY_LABEL,
  TESSERA_GENERATE_PART_INCLUDE_PASSWORDS_CHECK,
  TESSERA_GENERATE_PART_STACK,                 /* the pages */
} TesseraGeneratePart;

gpointer     _tessera_generate_window_get_part     (TesseraGenerateWindow *self,
                                                    TesseraGeneratePart    part);
/* TesseraOtpResult, in the order of the selection (transfer none) */
GListModel  *_tessera_generate_window_get_results  (TesseraGenerateWindow *self);
gboolean     _tessera_generate_window_is_generating (TesseraGenerateWindow *self);
gboolean     _tessera_generate_window_get_codes_kept (TesseraGenerateWindow *self);
guint        _tessera_generate_window_get_n_saved  (TesseraGenerateWindow *self);
/* The file's verdict as it is now; NULL before a file was read (transfer none) */
TesseraSignInCsv *_tessera_generate_window_get_sign_in_csv (TesseraGenerateWindow *self);
gboolean     _tessera_generate_window_is_loading_csv (TesseraGenerateWindow *self);

G_END_DECLS

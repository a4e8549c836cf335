/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-review-window.h"

G_BEGIN_DECLS

/* What the window shows, for the UI tests (and the window's own bookkeeping) */
typedef enum {
  TESSERA_REVIEW_VIEW_LOADING,
  TESSERA_REVIEW_VIEW_ERROR,       /* could not load: an error page with Retry */
  TESSERA_REVIEW_VIEW_EMPTY,       /* walking, and nothing awaits approval */
  TESSERA_REVIEW_VIEW_DECIDE,      /* pending, for an admin: the Decision group */
  TESSERA_REVIEW_VIEW_VIEWER,      /* pending, for a viewer: read-only */
  TESSERA_REVIEW_VIEW_OUTCOME,     /* resolved or expired: who did what, when */
  TESSERA_REVIEW_VIEW_SEPARATION,  /* the server refused: separation of duties */
} TesseraReviewView;

/* Shared by tessera-review-window*.c */
struct _TesseraReviewWindow
{
  AdwWindow          parent_instance;

  /* Template widgets */
  AdwToastOverlay   *toast_overlay;
  AdwWindowTitle    *window_title;
  GtkButton         *cancel_button;
  GtkWidget         *navigation_box;
  GtkWidget         *previous_button;
  GtkWidget         *next_button;
  GtkStack          *stack;
  GtkSpinner        *loading_spinner;
  AdwStatusPage     *error_page;
  GtkWidget         *reload_button;
  GtkLabel          *account_title;
  GtkLabel          *account_subtitle;
  GtkLabel          *requested_by_label;
  GtkLabel          *requested_date_label;
  GtkLabel          *expiration_label;
  GtkLabel          *source_label;
  GtkLabel          *make_label;
  GtkLabel          *model_label;
  GtkLabel          *serial_label;
  GtkWidget         *copy_serial_button;
  GtkWidget         *decision_group;
  GtkCheckButton    *approve_check;
  GtkCheckButton    *reject_check;
  AdwComboRow       *reason_row;
  AdwEntryRow       *comment_row;
  GtkWidget         *outcome_group;
  GtkImage          *outcome_icon;
  GtkLabel          *outcome_label;
  GtkWidget         *error_box;
  GtkLabel          *error_label;
  GtkWidget         *retry_button;
  GtkButton         *resolve_button;
  GtkSpinner        *resolve_spinner;

  /* Owned */
  TesseraClient     *client;
  GCancellable      *cancellable;      /* loading and resolving; cancelled in dispose */
  GPtrArray         *requests;         /* TesseraRequest, in the order they are reviewed */
  char              *username;         /* the signed-in admin, once /me answered */
  char              *separation_id;    /* a request the server refused: separation of duties */
  GError            *load_error;       /* why the user or the request could not be loaded */
  guint              clock_id;

  guint              position;         /* of the request shown in requests */
  TesseraRole        role;
  TesseraReviewView  view;
  gboolean           have_user;
  gboolean           walking;          /* requests is "everything pending" and grows */
  gboolean           listed;           /* the walk's list arrived */
  gboolean           resolving;
};

typedef struct {
  TesseraReviewWindow *window;
  TesseraRequest      *request;
} TesseraReviewCall;

TesseraReviewCall *_tessera_review_call_new                  (TesseraReviewWindow *self,
                                                              TesseraRequest      *request);
void               _tessera_review_call_free                 (TesseraReviewCall   *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TesseraReviewCall, _tessera_review_call_free)

/* tessera-review-window.c */
TesseraRequest    *_tessera_review_window_get_current        (TesseraReviewWindow *self);
char              *_tessera_review_window_describe_error     (TesseraReviewWindow *self,
                                                              const GError        *error);
void               _tessera_review_window_update_view        (TesseraReviewWindow *self);
void               _tessera_review_window_update_navigation  (TesseraReviewWindow *self);
void               _tessera_review_window_load_request       (TesseraReviewWindow *self,
                                                              TesseraRequest      *request);
void               _tessera_review_window_go_to              (TesseraReviewWindow *self,
                                                              guint                position);
void               _tessera_review_window_emit_resolved      (TesseraReviewWindow *self,
                                                              TesseraRequest      *request);
/* tessera-review-window-decision.c */
void               _tessera_review_window_update_form        (TesseraReviewWindow *self);
void               _tessera_review_window_reset_form         (TesseraReviewWindow *self);
void               _tessera_review_window_install_decision_actions (GtkWidgetClass *widget_class);

/* The window's widgets, for the UI tests that drive it as a person would */
typedef enum {
  TESSERA_REVIEW_PART_WINDOW_TITLE,       /* AdwWindowTitle; the subtitle is "1 of 3" */
  TESSERA_REVIEW_PART_CANCEL_BUTTON,
  TESSERA_REVIEW_PART_PREVIOUS_BUTTON,
  TESSERA_REVIEW_PART_NEXT_BUTTON,
  TESSERA_REVIEW_PART_ERROR_PAGE,         /* AdwStatusPage */
  TESSERA_REVIEW_PART_RELOAD_BUTTON,
  TESSERA_REVIEW_PART_ACCOUNT_TITLE,      /* GtkLabel */
  TESSERA_REVIEW_PART_ACCOUNT_SUBTITLE,   /* GtkLabel */
  TESSERA_REVIEW_PART_REQUESTED_BY,       /* GtkLabel */
  TESSERA_REVIEW_PART_REQUESTED_DATE,     /* GtkLabel */
  TESSERA_REVIEW_PART_EXPIRATION_DATE,    /* GtkLabel */
  TESSERA_REVIEW_PART_SOURCE,             /* GtkLabel */
  TESSERA_REVIEW_PART_MAKE,               /* GtkLabel */
  TESSERA_REVIEW_PART_MODEL,              /* GtkLabel */
  TESSERA_REVIEW_PART_SERIAL_NUMBER,      /* GtkLabel */
  TESSERA_REVIEW_PART_COPY_SERIAL_BUTTON,
  TESSERA_REVIEW_PART_DECISION_GROUP,
  TESSERA_REVIEW_PART_APPROVE_CHECK,      /* GtkCheckButton */
  TESSERA_REVIEW_PART_REJECT_CHECK,       /* GtkCheckButton */
  TESSERA_REVIEW_PART_REASON_ROW,         /* AdwComboRow: position = reason - 1 */
  TESSERA_REVIEW_PART_COMMENT_ROW,        /* AdwEntryRow */
  TESSERA_REVIEW_PART_RESOLVE_BUTTON,
  TESSERA_REVIEW_PART_RESOLVE_SPINNER,
  TESSERA_REVIEW_PART_OUTCOME_GROUP,
  TESSERA_REVIEW_PART_OUTCOME_LABEL,      /* GtkLabel */
  TESSERA_REVIEW_PART_ERROR_BOX,          /* the inline error of a failed resolution */
  TESSERA_REVIEW_PART_ERROR_LABEL,        /* GtkLabel */
  TESSERA_REVIEW_PART_RETRY_BUTTON,
} TesseraReviewPart;

gpointer          _tessera_review_window_get_part     (TesseraReviewWindow *self,
                                                       TesseraReviewPart    part);
TesseraReviewView _tessera_review_window_get_view     (TesseraReviewWindow *self);
/* How many requests the window walks through, and which one it shows (from 0) */
guint             _tessera_review_window_get_n_requests (TesseraReviewWindow *self);
guint             _tessera_review_window_get_position (TesseraReviewWindow *self);
/* Whether a resolution is on its way to the server */
gboolean          _tessera_review_window_get_resolving (TesseraReviewWindow *self);

G_END_DECLS

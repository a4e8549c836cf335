/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `ui`: the app speaks its user's language. meson runs this program once with
 * LANGUAGE=de and once with LANGUAGE=fr, with the locale C.UTF-8 (gettext ignores LANGUAGE
 * only in the C locale, and C.UTF-8 is not that, so no other locale has to be installed) and
 * TESSERA_LOCALEDIR pointing at the translations meson built (_build/po), as the app's
 * main () binds them. The sign-in page and the resource accounts, against a real
 * tessera-server, show their words in that language: from the .ui templates, from C (a
 * count with its plural, a readiness status) and from the client library (the answer to a
 * wrong password); and the Generate OTP assistant its title.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "test-ui-common.h"
#include "test-ui-generate-common.h"

typedef struct {
  const char *language;
  /* sign-in page */
  const char *sign_in_title;
  const char *username_row;
  const char *password_row;
  const char *sign_in_button;
  const char *wrong_password;
  /* resource accounts */
  const char *accounts_title;
  const char *generate_button;
  const char *readiness_column;
  const char *provisioning_column;
  const char *site_column;
  const char *ready;
  const char *accounts_count;  /* for DEMO_ACCOUNTS accounts */
  /* the Generate OTP assistant */
  const char *assistant_title;
} Expected;

#define DEMO_ACCOUNTS 40

static const Expected expectations[] = {
  {
    .language = "de",
    .sign_in_title = "Bei Ihrem Tessera-Server anmelden",
    .username_row = "Benutzername",
    .password_row = "Passwort",
    .sign_in_button = "_Anmelden",
    .wrong_password = "Der Benutzername oder das Passwort ist falsch.",
    .accounts_title = "Ressourcenkonten",
    .generate_button = "OTP _erstellen",
    .readiness_column = "Bereitschaftsstatus",
    .provisioning_column = "Bereitstellungsstatus",
    .site_column = "Standort",
    .ready = "Bereit",
    .accounts_count = "40 Konten",
    .assistant_title = "OTP erstellen · Kontenauswahl (1 von 3)",
  },
  {
    .language = "fr",
    .sign_in_title = "Connexion à votre serveur Tessera",
    .username_row = "Nom d’utilisateur",
    .password_row = "Mot de passe",
    .sign_in_button = "_Se connecter",
    .wrong_password = "Le nom d’utilisateur ou le mot de passe est incorrect.",
    .accounts_title = "Comptes de ressources",
    .generate_button = "_Générer un OTP",
    .readiness_column = "État de préparation",
    .provisioning_column = "État de l’approvisionnement",
    .site_column = "Site",
    .ready = "Prêt",
    .accounts_count = "40 comptes",
    .assistant_title = "Générer un OTP · Sélection des comptes (1 sur 3)",
  },
};

static const Expected *expected;

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_sign_in_page_speaks_the_language (void)
{
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (NULL);
  TesseraWindow *window;
  TesseraSignInPage *page;
  GtkWidget *status_page;

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  tessera_window_start (window, NULL, NULL);
  ui_test_wait_until (g_strcmp0 (tessera_window_get_visible_page (window), "sign-in") == 0);
  page = ui_test_get_sign_in_page (window);

  status_page = find_descendant (GTK_WIDGET (page), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status_page);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status_page)), ==,
                   expected->sign_in_title);
  g_assert_cmpstr (adw_preferences_row_get_title (
                     ADW_PREFERENCES_ROW (_tessera_sign_in_page_get_username_row (page))), ==,
                   expected->username_row);
  g_assert_cmpstr (adw_preferences_row_get_title (
                     ADW_PREFERENCES_ROW (_tessera_sign_in_page_get_password_row (page))), ==,
                   expected->password_row);
  /* The button holds a spinner and a label */
  g_assert_cmpstr (ui_test_first_label_text (_tessera_sign_in_page_get_sign_in_button (page)), ==,
                   expected->sign_in_button);

  /* An error message from the client library, in the same language */
  ui_test_sign_in (window, tessera_test_server_get_url (server), TESSERA_TEST_ADMIN,
                   "not-the-password");
  ui_test_wait_until (!tessera_sign_in_page_get_busy (page) &&
                      tessera_sign_in_page_get_error (page) != NULL);
  g_assert_cmpstr (tessera_sign_in_page_get_error (page), ==, expected->wrong_password);

  ui_test_window_close (window);
}

/* The text of the readiness cell of the first account on screen that is ready */
static const char *
first_ready_cell_text (TesseraAccountsPage *page)
{
  GListModel *model = G_LIST_MODEL (tessera_accounts_page_get_model (page));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TesseraAccount) account = g_list_model_get_item (model, i);
      g_autoptr(GPtrArray) cells = NULL;

      if (tessera_account_get_readiness (account) != TESSERA_READINESS_READY)
        continue;

      cells = ui_test_find_cells (page, account, TESSERA_ACCOUNTS_COLUMN_READINESS);
      if (cells->len > 0)
        return ui_test_first_label_text (g_ptr_array_index (cells, 0));
    }

  return NULL;
}

static void
test_accounts_speak_the_language (void)
{
  TesseraTestServerOptions options = { .demo_accounts = DEMO_ACCOUNTS };
  g_autoptr(TesseraTestServer) server = tessera_test_server_new (&options);
  TesseraAccountsPage *page;
  TesseraWindow *window;
  const char *ready_text = NULL;

  ui_test_reset_settings ();
  window = ui_test_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  tessera_window_start (window, NULL, NULL);
  page = ui_test_sign_in_and_load (window, server, TESSERA_TEST_ADMIN);

  g_assert_cmpstr (adw_window_title_get_title (page->window_title), ==, expected->accounts_title);
  ui_test_wait_until (!page->narrow && gtk_widget_get_mapped (GTK_WIDGET (page->column_view)));
  g_assert_cmpstr (gtk_button_get_label (page->generate_button), ==, expected->generate_button);
  g_assert_cmpstr (gtk_column_view_column_get_title (page->readiness_column), ==,
                   expected->readiness_column);
  g_assert_cmpstr (gtk_column_view_column_get_title (page->provisioning_column), ==,
                   expected->provisioning_column);
  g_assert_cmpstr (gtk_column_view_column_get_title (page->site_column), ==,
                   expected->site_column);

  /* Composed in C: the count with its plural form, and a status in a cell */
  ui_test_wait_until (g_strcmp0 (gtk_label_get_label (page->count_label),
                                 expected->accounts_count) == 0);
  ui_test_wait_until ((ready_text = first_ready_cell_text (page)) != NULL);
  g_assert_cmpstr (ready_text, ==, expected->ready);

  /* The assistant, opened as Ctrl+G opens it */
  {
    TesseraGenerateWindow *assistant = gen_open (page);

    g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (assistant)), ==,
                     expected->assistant_title);
    gen_close (assistant);
  }

  ui_test_window_close (window);
}

int
main (int   argc,
      char *argv[])
{
  const char *language = g_getenv ("LANGUAGE");
  const char *localedir = g_getenv ("TESSERA_LOCALEDIR");
  g_autofree char *sign_in_path = NULL;
  g_autofree char *accounts_path = NULL;

  /* What the app's main () does, with the translations meson built */
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  ui_test_init (&argc, &argv);
  /* gtk_test_init () sets the locale to en_US.UTF-8, which need not exist (then it stays C);
   * the app's gtk_init () takes it from the environment, as this does */
  setlocale (LC_ALL, "");

  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    if (g_strcmp0 (language, expectations[i].language) == 0)
      expected = &expectations[i];
  if (expected == NULL)
    g_error ("LANGUAGE is “%s”; this test knows de and fr", language ? language : "");

  /* Not the C locale, or gettext would ignore LANGUAGE and every assertion would fail */
  g_assert_cmpstr (setlocale (LC_MESSAGES, NULL), !=, "C");

  sign_in_path = g_strdup_printf ("/ui/translations/%s/sign-in-page-speaks-it", language);
  accounts_path = g_strdup_printf ("/ui/translations/%s/accounts-speak-it", language);
  g_test_add_func (sign_in_path, test_sign_in_page_speaks_the_language);
  g_test_add_func (accounts_path, test_accounts_speak_the_language);

  return g_test_run ();
}

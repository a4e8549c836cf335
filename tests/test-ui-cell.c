/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Suite `ui`: TesseraAccountCell, the accounts table's cell, which draws its text instead of
 * holding labels. What a label gave for free must still hold: a screen reader reads what the
 * cell shows (and, in the readiness column, the issues its tooltip lists), the cell follows
 * its account's changes, and "Awaiting OTP approval" stands out by its style, not only its
 * words. Its height must not depend on the text, so a search never re-measures the table.
 */
#include "config.h"

#include "tessera-account-cell.h"
#include "tessera-account-text.h"
#include "test-ui-common.h"

static TesseraAccount *
make_account (const char        *license,
              const char *const *issues)
{
  return tessera_account_new ("acc-1", "Oslo 4.12 Fjord", "oslo-4-12@rooms.example.org",
                              "Oslo", license, issues);
}

/* The cell as the table holds it: sunk and owned by a parent widget */
static GtkWidget *
make_cell (TesseraAccountsColumn column)
{
  return g_object_ref_sink (tessera_account_cell_new (column));
}

static void
test_name_cell_exposes_name_and_upn_to_accessibility (void)
{
  g_autoptr(TesseraAccount) account = make_account ("Pro", NULL);
  g_autoptr(GtkWidget) cell = make_cell (TESSERA_ACCOUNTS_COLUMN_NAME);

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_ROLE_LABEL);

  tessera_account_cell_set_account (TESSERA_ACCOUNT_CELL (cell), account);
  g_assert_cmpstr (tessera_account_cell_get_text (TESSERA_ACCOUNT_CELL (cell)), ==,
                   "Oslo 4.12 Fjord");
  g_assert_cmpstr (tessera_account_cell_get_subtitle (TESSERA_ACCOUNT_CELL (cell)), ==,
                   "oslo-4-12@rooms.example.org");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Oslo 4.12 Fjord, oslo-4-12@rooms.example.org");

  /* A live update renames the account: the cell says the new name */
  tessera_account_set_display_name (account, "Oslo 4.12 Holmen");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Oslo 4.12 Holmen, oslo-4-12@rooms.example.org");

  /* An empty cell (a row being recycled) says nothing of the account it showed */
  tessera_account_cell_set_account (TESSERA_ACCOUNT_CELL (cell), NULL);
  g_assert_null (tessera_account_cell_get_text (TESSERA_ACCOUNT_CELL (cell)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "");
}

static void
test_readiness_cell_describes_the_issues_to_accessibility (void)
{
  static const char *const issues[] = { "password_expires", "mailbox_missing", NULL };
  g_autoptr(TesseraAccount) account = make_account ("Pro", issues);
  g_autoptr(TesseraAccount) ready = make_account ("Pro", NULL);
  g_autoptr(GtkWidget) cell = make_cell (TESSERA_ACCOUNTS_COLUMN_READINESS);
  g_autofree char *described = tessera_account_describe_readiness (account);
  g_autofree char *described_ready = tessera_account_describe_readiness (ready);

  g_assert_cmpint (tessera_account_get_readiness (account), ==,
                   TESSERA_READINESS_CHANGE_SETTINGS);
  g_assert_nonnull (described);

  tessera_account_cell_set_account (TESSERA_ACCOUNT_CELL (cell), account);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       tessera_readiness_get_label (
                                         TESSERA_READINESS_CHANGE_SETTINGS));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (cell),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, described);

  /* Another account in the same cell (a search): its own words, not the first one's */
  tessera_account_cell_set_account (TESSERA_ACCOUNT_CELL (cell), ready);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       tessera_readiness_get_label (TESSERA_READINESS_READY));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (cell),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, described_ready);

  tessera_account_cell_set_account (TESSERA_ACCOUNT_CELL (cell), NULL);
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (cell),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
}

static void
test_provisioning_cell_says_its_state (void)
{
  g_autoptr(TesseraAccount) account = make_account ("Pro", NULL);
  g_autoptr(GtkWidget) cell = make_cell (TESSERA_ACCOUNTS_COLUMN_PROVISIONING);

  tessera_account_cell_set_account (TESSERA_ACCOUNT_CELL (cell), account);
  g_assert_false (gtk_widget_has_css_class (cell, "awaiting-approval"));
  /* No OTP yet: the table shows a dash, a screen reader says words */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       tessera_provisioning_state_get_label (
                                         TESSERA_PROVISIONING_NOT_STARTED));

  tessera_account_set_provisioning_state (account, TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL);
  g_assert_cmpstr (tessera_account_cell_get_text (TESSERA_ACCOUNT_CELL (cell)), ==,
                   "Awaiting OTP approval");
  g_assert_true (gtk_widget_has_css_class (cell, "awaiting-approval"));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Awaiting OTP approval");

  tessera_account_set_provisioning_state (account, TESSERA_PROVISIONING_PROVISIONED);
  g_assert_false (gtk_widget_has_css_class (cell, "awaiting-approval"));
}

static void
test_height_does_not_depend_on_the_text (void)
{
  g_autoptr(TesseraAccount) account = make_account ("Pro", NULL);
  g_autoptr(GtkWidget) cell = make_cell (TESSERA_ACCOUNTS_COLUMN_NAME);
  int empty_height, height, minimum_width, natural_width;

  gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, -1, NULL, &empty_height, NULL, NULL);
  g_assert_cmpint (empty_height, >, 0);

  tessera_account_set_display_name (account, "A name far too long for any column of any table "
                                             "on any screen, which the cell must ellipsize");
  tessera_account_cell_set_account (TESSERA_ACCOUNT_CELL (cell), account);
  gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, -1, NULL, &height, NULL, NULL);
  g_assert_cmpint (height, ==, empty_height);

  /* Any width fits: the text is ellipsized, never what makes the column wide */
  gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, &minimum_width, &natural_width,
                      NULL, NULL);
  g_assert_cmpint (minimum_width, ==, 0);
  g_assert_cmpint (natural_width, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's test accessibility backend, whatever the suite's GTK_A11Y=none says: it keeps the
   * properties a screen reader would read, without a bus to send them on */
  g_setenv ("GTK_A11Y", "test", TRUE);
  ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/cell/name-cell-exposes-name-and-upn-to-accessibility",
                   test_name_cell_exposes_name_and_upn_to_accessibility);
  g_test_add_func ("/ui/cell/readiness-cell-describes-the-issues-to-accessibility",
                   test_readiness_cell_describes_the_issues_to_accessibility);
  g_test_add_func ("/ui/cell/provisioning-cell-says-its-state-and-awaiting-stands-out",
                   test_provisioning_cell_says_its_state);
  g_test_add_func ("/ui/cell/height-does-not-depend-on-the-text",
                   test_height_does_not_depend_on_the_text);

  return g_test_run ();
}

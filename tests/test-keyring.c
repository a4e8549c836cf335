/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/random.h>

#include <libsecret/secret.h>

#include "tessera-credentials.h"
#include "tessera-secret.h"
#include "support/tessera-test-keyring.h"
#include "support/tessera-test-lsan.h"

/*
 * The session token in a real gnome-keyring-daemon, in the private D-Bus session the test
 * command starts (build-aux/test, TOOLING.md). Without that bus and daemon this suite FAILS,
 * with a message saying how to run it: skipping would hide a keyring that does not work.
 *
 * The test walks the whole $HOME (and the XDG directories) after storing a token and reads
 * every file, so HOME must be the hermetic temporary home of the test command.
 */

#define SERVER  "https://rooms.example.org"
#define SERVER2 "https://other.example.org"
#define USER    "alice"
#define USER2   "bob"

static const char *roots[8];

static char *
random_token (void)
{
  guint8 bytes[32];
  GString *token = g_string_new ("tok-");

  g_assert_cmpint (getrandom (bytes, sizeof bytes, 0), ==, sizeof bytes);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (token, "%02x", bytes[i]);

  return g_string_free (token, FALSE);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
store (const char *server,
       const char *username,
       const char *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tessera_credentials_store_async (server, username, token, NULL, on_done, &result);
  g_assert_true (tessera_credentials_store_finish (wait_for (&result), &error));
  g_assert_no_error (error);
}

static char *
lookup (const char *server,
        const char *username)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  tessera_credentials_lookup_async (server, username, NULL, on_done, &result);
  token = tessera_credentials_lookup_finish (wait_for (&result), &error);
  g_assert_no_error (error);

  return token;
}

static void
clear (const char *server,
       const char *username)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tessera_credentials_clear_async (server, username, NULL, on_done, &result);
  g_assert_true (tessera_credentials_clear_finish (wait_for (&result), &error));
  g_assert_no_error (error);
}

static void
test_store_lookup_clear_round_trip (void)
{
  g_autofree char *token = random_token ();
  g_autofree char *found = NULL;
  g_autofree char *after_clear = NULL;

  store (SERVER, USER, token);
  found = lookup (SERVER, USER);
  g_assert_cmpstr (found, ==, token);

  clear (SERVER, USER);
  after_clear = lookup (SERVER, USER);
  g_assert_null (after_clear);
}

static void
test_missing_item_is_null_without_error (void)
{
  g_autofree char *found = lookup ("https://never-stored.example.org", "nobody");

  g_assert_null (found);
  /* Clearing what is not there is no error either. */
  clear ("https://never-stored.example.org", "nobody");
}

static void
test_items_are_per_server_and_user (void)
{
  g_autofree char *token = random_token ();
  g_autofree char *other_user = NULL;
  g_autofree char *other_server = NULL;
  g_autofree char *same = NULL;

  store (SERVER, USER, token);

  other_user = lookup (SERVER, USER2);
  other_server = lookup (SERVER2, USER);
  same = lookup (SERVER, USER);
  g_assert_null (other_user);
  g_assert_null (other_server);
  g_assert_cmpstr (same, ==, token);

  clear (SERVER, USER);
}

static void
test_store_replaces_the_previous_token (void)
{
  g_autofree char *first = random_token ();
  g_autofree char *second = random_token ();
  g_autofree char *found = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  store (SERVER, USER, first);
  store (SERVER, USER, second);
  found = lookup (SERVER, USER);
  g_assert_cmpstr (found, ==, second);

  /* One item, with our schema and a label a person can recognise in Seahorse. */
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (gpointer) "xdg:schema",
                       (gpointer) TESSERA_CREDENTIALS_SCHEMA_NAME);
  g_hash_table_insert (attributes, (gpointer) "server", (gpointer) SERVER);
  items = secret_service_search_sync (NULL, NULL, attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autofree char *label = secret_item_get_label (items->data);
    g_autoptr(GHashTable) item_attributes = secret_item_get_attributes (items->data);

    g_assert_cmpstr (label, ==, "Tessera session for " USER " on " SERVER);
    g_assert_cmpstr (g_hash_table_lookup (item_attributes, "username"), ==, USER);
  }
  g_list_free_full (items, g_object_unref);

  clear (SERVER, USER);
}

static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return TRUE;

  return FALSE;
}

/* Returns the path of a file under @root whose bytes contain @needle, or NULL. */
static char *
find_file_containing (const char *root,
                      const char *needle,
                      guint      *n_files)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  if (dir == NULL)
    return NULL;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          char *found = find_file_containing (path, needle, n_files);

          if (found != NULL)
            return found;
          continue;
        }

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;  /* sockets of the bus and the keyring daemon */

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      (*n_files)++;
      if (contains_bytes (contents, length, needle))
        return g_steal_pointer (&path);
    }

  return NULL;
}

static void
test_token_reaches_no_file_in_clear_text (void)
{
  g_autofree char *token = random_token ();
  guint n_files = 0;

  store (SERVER, USER, token);

  /* Every file, the keyring itself included: gnome-keyring encrypts it, so the token must not
   * appear in clear text anywhere. */
  for (guint i = 0; roots[i] != NULL; i++)
    {
      g_autofree char *found = find_file_containing (roots[i], token, &n_files);

      if (found != NULL)
        g_error ("The session token is readable in %s", found);
    }

  /* The walk really saw the keyring's files: otherwise it proved nothing. */
  g_test_message ("read %u files", n_files);
  g_assert_cmpuint (n_files, >, 0);

  clear (SERVER, USER);
}

static void
test_without_a_keyring_the_error_says_unavailable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;

      /* A bus that does not exist: as on a server without a desktop session. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tessera-test-bus", TRUE);

      tessera_credentials_lookup_async (SERVER, USER, NULL, on_done, &result);
      token = tessera_credentials_lookup_finish (wait_for (&result), &error);
      g_assert_null (token);
      g_assert_error (error, TESSERA_CREDENTIALS_ERROR, TESSERA_CREDENTIALS_ERROR_UNAVAILABLE);
      g_printerr ("%s\n", error->message);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*No keyring is available*");
}

/* Up for the rest of the subprocess: disposing it would wait for libsecret's connection. */
static GTestDBus *test_bus;

/*
 * A keyring that is locked, and stays locked because nobody can answer the unlock prompt
 * (there is no display for it): storing must say "locked" — a message the admin can act on —
 * and must not replace or remove the session that is already there.
 *
 * This locks a keyring, so it runs on a bus and a gnome-keyring-daemon of its own, with its
 * own keyring files, in a subprocess: the suite's keyring stays unlocked for everyone else.
 */
static void
test_locked_keyring_says_locked_and_loses_nothing (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("tessera-locked-keyring-XXXXXX", &error);
      g_autofree char *collection = NULL;
      g_autofree char *first = random_token ();
      g_autofree char *second = random_token ();
      g_autoptr(GSubprocess) daemon = NULL;
      g_autoptr(GAsyncResult) stored = NULL;
      g_autoptr(GAsyncResult) found = NULL;
      g_autoptr(GAsyncResult) cleared = NULL;
      g_autofree char *token = NULL;

      g_assert_no_error (error);
      test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (test_bus);

      daemon = tessera_test_keyring_start (dir);
      store (SERVER, USER, first);
      collection = tessera_test_keyring_default_collection ();
      tessera_test_keyring_lock (collection);

      /* libsecret's own leak when an unlock prompt fails (tessera-test-lsan.h) */
      TESSERA_TEST_LSAN_IGNORE_BEGIN ();

      /* Storing a new session: refused, and said so. */
      tessera_credentials_store_async (SERVER, USER, second, NULL, on_done, &stored);
      g_assert_false (tessera_credentials_store_finish (wait_for (&stored), &error));
      g_assert_error (error, TESSERA_CREDENTIALS_ERROR, TESSERA_CREDENTIALS_ERROR_LOCKED);
      g_assert_nonnull (strstr (error->message, "locked"));
      g_printerr ("store: %s\n", error->message);
      g_clear_error (&error);

      /* Looking it up: no token, and an error that says why (not "no session"). */
      tessera_credentials_lookup_async (SERVER, USER, NULL, on_done, &found);
      token = tessera_credentials_lookup_finish (wait_for (&found), &error);
      g_assert_null (token);
      g_assert_error (error, TESSERA_CREDENTIALS_ERROR, TESSERA_CREDENTIALS_ERROR_LOCKED);
      g_printerr ("lookup: %s\n", error->message);
      g_clear_error (&error);

      /* Signing out cannot remove it either, and does not pretend to. */
      tessera_credentials_clear_async (SERVER, USER, NULL, on_done, &cleared);
      if (!tessera_credentials_clear_finish (wait_for (&cleared), &error))
        g_printerr ("clear: %s\n", error->message);
      g_clear_error (&error);

      TESSERA_TEST_LSAN_IGNORE_END ();

      /* Nothing lost: unlocked again (the daemon's own unlock, with the password it was started
       * with), the first session is still there, unchanged. */
      tessera_test_keyring_stop (daemon, NULL);
      g_clear_object (&daemon);
      /* libsecret talks to the daemon it first met; the next one is a new service. */
      secret_service_disconnect ();
      daemon = tessera_test_keyring_start (dir);
      g_assert_false (tessera_test_keyring_is_locked (collection));
      token = lookup (SERVER, USER);
      g_assert_cmpstr (token, ==, first);

      tessera_test_keyring_stop (daemon, dir);
      /* Stopped, not taken down: libsecret keeps its connection to the end of the process. */
      g_test_dbus_stop (test_bus);
      return;
    }

  g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*store: The keyring is locked*lookup: The keyring is locked*");
}

/* Fails (never skips) when the environment cannot show whether the keyring works. */
static void
require_private_keyring (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *home = g_getenv ("HOME");
  gboolean has_owner = FALSE;
  guint n = 0;

  if (home == NULL || !g_str_has_prefix (home, g_get_tmp_dir ()))
    g_error ("The keyring suite reads every file under $HOME: run it with HOME set to a "
             "temporary directory, e.g. through build-aux/test (HOME is %s)",
             home != NULL ? home : "unset");

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    g_error ("The keyring suite needs a private D-Bus session with gnome-keyring-daemon "
             "running and unlocked (see TOOLING.md; build-aux/test starts both): %s",
             error->message);

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);
  if (!has_owner)
    g_error ("No Secret Service on the session bus: start gnome-keyring-daemon "
             "--unlock --components=secrets inside the private D-Bus session first");

  roots[n++] = home;
  for (guint i = 0; i < 4; i++)
    {
      const char *names[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                              "XDG_RUNTIME_DIR" };
      const char *dir = g_getenv (names[i]);

      if (dir != NULL && !g_str_has_prefix (dir, home))
        roots[n++] = dir;
    }
  roots[n] = NULL;
}

int
main (int    argc,
      char **argv)
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: the daemon keeps its files under the HOME it was given. */
  g_test_init (&argc, &argv, NULL);

  if (!g_test_subprocess ())
    require_private_keyring ();

  g_test_add_func ("/keyring/store-lookup-clear-round-trip", test_store_lookup_clear_round_trip);
  g_test_add_func ("/keyring/missing-item-is-null-without-error",
                   test_missing_item_is_null_without_error);
  g_test_add_func ("/keyring/items-are-per-server-and-user", test_items_are_per_server_and_user);
  g_test_add_func ("/keyring/store-replaces-the-previous-token-in-one-labelled-item",
                   test_store_replaces_the_previous_token);
  g_test_add_func ("/keyring/token-reaches-no-file-in-clear-text",
                   test_token_reaches_no_file_in_clear_text);
  g_test_add_func ("/keyring/without-a-keyring-the-error-says-unavailable",
                   test_without_a_keyring_the_error_says_unavailable);
  g_test_add_func ("/keyring/locked-keyring-says-locked-and-loses-nothing",
                   test_locked_keyring_says_locked_and_loses_nothing);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-credentials"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "tessera-credentials.h"
#include "tessera-secret.h"

G_DEFINE_QUARK (tessera-credentials-error-quark, tessera_credentials_error)

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    TESSERA_CREDENTIALS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static GHashTable *
new_attributes (const char *server,
                const char *username)
{
  /*
   * Copies: libsecret keeps the table (a reference, not a copy) until it has connected to the
   * Secret Service, by which time the caller's strings may be gone.
   */
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "server", g_strdup (server));
  g_hash_table_insert (attributes, (gpointer) "username", g_strdup (username));

  return attributes;
}

/* libsecret reports a missing daemon, a missing bus and a locked keyring in many ways. */
static GError *
translate_error (GError *error)
{
  GError *translated;

  if (error == NULL)
    return g_error_new_literal (TESSERA_CREDENTIALS_ERROR, TESSERA_CREDENTIALS_ERROR_LOCKED,
                                _("The keyring is locked. Unlock it and try again."));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    translated = g_error_new (TESSERA_CREDENTIALS_ERROR, TESSERA_CREDENTIALS_ERROR_LOCKED,
                              _("The keyring is locked. Unlock it and try again (%s)."),
                              error->message);
  else if (error->domain == SECRET_ERROR)
    translated = g_error_new (TESSERA_CREDENTIALS_ERROR, TESSERA_CREDENTIALS_ERROR_FAILED,
                              _("The keyring could not keep the session (%s)."),
                              error->message);
  else
    translated = g_error_new (TESSERA_CREDENTIALS_ERROR, TESSERA_CREDENTIALS_ERROR_UNAVAILABLE,
                              _("No keyring is available to keep the session. Start a keyring "
                                "service such as GNOME Keyring and try again (%s)."),
                              error->message);

  g_error_free (error);
  return translated;
}

static void
on_store_finished (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, translate_error (error));
}

void
tessera_credentials_store_async (const char          *server,
                                 const char          *username,
                                 const char          *token,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (server != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (token != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tessera_credentials_store_async);

  /* TRANSLATORS: shown in keyring managers such as Seahorse: username, server */
  label = g_strdup_printf (_("Tessera session for %s on %s"), username, server);
  attributes = new_attributes (server, username);

  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, token,
                          cancellable, on_store_finished, task);
}

gboolean
tessera_credentials_store_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tessera_credentials_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/*
 * A lookup answers NULL both when there is no session and when the keyring stayed locked (the
 * unlock prompt was dismissed, or could not be shown): only the second needs the admin to do
 * something, so it is told apart by a search that does not unlock.
 */
static void
on_locked_search_finished (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GList *items;
  gboolean locked = FALSE;

  items = secret_service_search_finish (NULL, result, NULL);
  for (GList *l = items; l != NULL; l = l->next)
    locked |= secret_item_get_locked (l->data);
  g_list_free_full (items, g_object_unref);

  if (locked)
    g_task_return_new_error (task, TESSERA_CREDENTIALS_ERROR, TESSERA_CREDENTIALS_ERROR_LOCKED,
                             _("The keyring is locked, so the saved session could not be used. "
                               "Unlock it, or sign in again."));
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
on_lookup_finished (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  if (password == NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);
      GHashTable *attributes = g_task_get_task_data (task);

      /* Nothing, or something locked away: the search below tells which. */
      secret_service_search (NULL, get_schema (), attributes, SECRET_SEARCH_ALL, cancellable,
                             on_locked_search_finished, g_steal_pointer (&task));
      return;
    }

  /* Into our own allocation, so that callers free every secret the same way. */
  g_task_return_pointer (task, tessera_secret_dup (password), (GDestroyNotify) tessera_secret_free);
  secret_password_free (password);
}

void
tessera_credentials_lookup_async (const char          *server,
                                  const char          *username,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (server != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tessera_credentials_lookup_async);

  attributes = new_attributes (server, username);
  /* Kept for the search that tells a locked keyring from an empty one. */
  g_task_set_task_data (task, g_hash_table_ref (attributes), (GDestroyNotify) g_hash_table_unref);
  secret_password_lookupv (get_schema (), attributes, cancellable, on_lookup_finished, task);
}

char *
tessera_credentials_lookup_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tessera_credentials_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_clear_finished (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error means there was nothing to clear: that is fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
tessera_credentials_clear_async (const char          *server,
                                 const char          *username,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (server != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tessera_credentials_clear_async);

  attributes = new_attributes (server, username);
  secret_password_clearv (get_schema (), attributes, cancellable, on_clear_finished, task);
}

gboolean
tessera_credentials_clear_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tessera_credentials_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "test-client-adversary.h"

struct _TesseraTestAdversary
{
  GSocketService  *service;
  GTlsCertificate *certificate;
  char            *url;
  guint            n_requests;  /* atomic */
};

#define MAX_HEAD      (64 * 1024)
#define HUGE_LENGTH   (17 * 1024 * 1024)
/* A handler thread never outlives a test by more than this, whatever the client does. */
#define SAFETY_SECONDS 30

static const char ok_user[] =
  "{\"username\":\"adversary\",\"display_name\":\"A\",\"role\":\"admin\"}";

static const char conflict_body[] =
  "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,"
  "\"detail\":\"This request was already resolved\",\"code\":\"already_resolved\","
  "\"request\":{\"id\":\"r1\",\"account\":{\"id\":\"a1\",\"display_name\":\"Room 1\","
  "\"upn\":\"room1@example.org\",\"site\":\"HQ\"},\"requested_by\":\"admin\","
  "\"requested_at\":\"2026-11-25T10:00:00Z\",\"expires_at\":\"2026-11-25T18:00:00Z\","
  "\"device\":{\"make\":\"M\",\"model\":\"X\",\"serial_number\":\"S1\"},"
  "\"source_address\":\"127.0.0.1\",\"state\":\"rejected\",\"resolved_by\":\"admin2\","
  "\"resolved_at\":\"2026-11-25T11:30:00Z\",\"rejection_reason\":\"wrong_room\"}}";

static gboolean
write_text (GOutputStream *out,
            const char    *text)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
}

static void
respond_full (GOutputStream *out,
              const char    *status_line,
              const char    *content_type,
              const char    *body,
              gboolean       keep_alive)
{
  g_autofree char *head = NULL;

  head = g_strdup_printf ("HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                          "%s\r\n",
                          status_line, content_type, strlen (body),
                          keep_alive ? "" : "Connection: close\r\n");
  if (write_text (out, head))
    write_text (out, body);
}

static void
respond (GOutputStream *out,
         const char    *status_line,
         const char    *content_type,
         const char    *body)
{
  respond_full (out, status_line, content_type, body, FALSE);
}

/* Reads the request head (and a body announced by Content-Length); returns the path. */
static char *
read_request (GInputStream  *in,
              char         **user_agent,
              gboolean      *authorized)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) request_line = NULL;
  guint64 content_length = 0;
  char byte;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      if (head->len > MAX_HEAD || g_input_stream_read (in, &byte, 1, NULL, NULL) != 1)
        return NULL;
      g_string_append_c (head, byte);
    }

  lines = g_strsplit (head->str, "\r\n", -1);
  request_line = g_strsplit (lines[0], " ", 3);
  if (g_strv_length (request_line) != 3)
    return NULL;

  for (guint i = 1; lines[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (lines[i], "Content-Length:", 15) == 0)
        content_length = g_ascii_strtoull (lines[i] + 15, NULL, 10);
      else if (g_ascii_strncasecmp (lines[i], "User-Agent:", 11) == 0)
        *user_agent = g_strstrip (g_strdup (lines[i] + 11));
      else if (g_ascii_strncasecmp (lines[i], "Authorization: Bearer ", 22) == 0)
        *authorized = TRUE;
    }

  for (guint64 i = 0; i < content_length; i++)
    if (g_input_stream_read (in, &byte, 1, NULL, NULL) != 1)
      return NULL;

  return g_strdup (request_line[1]);
}

/* Returns TRUE when the connection stays open for another request (keep-alive). */
static gboolean
serve_mode (const char    *mode,
            const char    *path,
            const char    *user_agent,
            gboolean       authorized,
            GInputStream  *in,
            GOutputStream *out)
{
  if (g_str_equal (mode, "whoami"))
    {
      g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"display_name\":\"%s\","
                                               "\"role\":\"viewer\"}",
                                               authorized ? "with-auth" : "no-auth",
                                               user_agent != NULL ? user_agent : "");

      respond (out, "200 OK", "application/json", body);
    }
  else if (g_str_equal (mode, "ok"))
    {
      /* Kept alive, as a real server would: connections get reused by the client. */
      if (g_str_has_suffix (path, "/healthz"))
        respond_full (out, "200 OK", "application/json", "{\"status\":\"ok\"}", TRUE);
      else
        respond_full (out, "200 OK", "application/json", ok_user, TRUE);
      return TRUE;
    }
  else if (g_str_equal (mode, "malformed"))
    respond (out, "200 OK", "application/json", "{\"username\": \"adversary\", \"display_n");
  else if (g_str_equal (mode, "wrongtype"))
    respond (out, "200 OK", "application/json",
             "{\"username\":42,\"display_name\":\"A\",\"role\":\"admin\"}");
  else if (g_str_equal (mode, "deep"))
    {
      g_autoptr(GString) body = g_string_new (NULL);

      for (guint i = 0; i < 10000; i++)
        g_string_append (body, "{\"a\":");
      g_string_append (body, "1");
      for (guint i = 0; i < 10000; i++)
        g_string_append_c (body, '}');
      respond (out, "200 OK", "application/json", body->str);
    }
  else if (g_str_equal (mode, "empty"))
    respond (out, "200 OK", "application/json", "");
  else if (g_str_equal (mode, "truncated"))
    {
      g_autofree char *part = g_strnfill (100, ' ');

      if (write_text (out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Content-Length: 1000\r\n\r\n"))
        write_text (out, part);
    }
  else if (g_str_equal (mode, "html500"))
    respond (out, "500 Internal Server Error", "text/html",
             "<html><body><h1>500 Internal Server Error</h1></body></html>");
  else if (g_str_equal (mode, "html200"))
    respond (out, "200 OK", "text/html; charset=utf-8",
             "<!DOCTYPE html><html><body>Welcome to nginx!</body></html>");
  else if (g_str_equal (mode, "notfound"))
    respond (out, "404 Not Found", "text/html", "<html><body>Not Found</body></html>");
  else if (g_str_equal (mode, "redirect"))
    write_text (out, "HTTP/1.1 302 Found\r\nLocation: http://example.invalid/\r\n"
                     "Content-Length: 0\r\nConnection: close\r\n\r\n");
  else if (g_str_equal (mode, "huge"))
    {
      g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json"
                                               "\r\nContent-Length: %d\r\n\r\n[", HUGE_LENGTH);
      g_autofree char *chunk = g_strnfill (64 * 1024, ' ');

      if (write_text (out, head))
        for (guint sent = 0; sent < HUGE_LENGTH; sent += 64 * 1024)
          if (!write_text (out, chunk))
            break;
    }
  else if (g_str_equal (mode, "hugechunked"))
    {
      g_autofree char *data = g_strnfill (64 * 1024, ' ');
      g_autofree char *chunk = g_strdup_printf ("%x\r\n%s\r\n", 64 * 1024, data);

      if (write_text (out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n1\r\n[\r\n"))
        for (guint sent = 0; sent < 2 * HUGE_LENGTH; sent += 64 * 1024)
          if (!write_text (out, chunk))
            break;
    }
  else if (g_str_equal (mode, "silent"))
    {
      char byte;

      /* Until the client gives up and closes (or the safety timeout). */
      while (g_input_stream_read (in, &byte, 1, NULL, NULL) > 0)
        ;
    }
  else if (g_str_equal (mode, "slow"))
    {
      if (write_text (out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Content-Length: 100000\r\n\r\n"))
        for (guint i = 0; i < SAFETY_SECONDS * 5; i++)
          {
            if (!write_text (out, " "))
              break;
            g_usleep (G_USEC_PER_SEC / 5);
          }
    }
  else if (g_str_equal (mode, "hangup"))
    {
      /* Nothing: the connection closes when the handler returns. */
    }
  else if (g_str_equal (mode, "badproblem"))
    respond (out, "400 Bad Request", "application/problem+json", "{\"code\": invalid");
  else if (g_str_equal (mode, "notok"))
    respond (out, "200 OK", "application/json", "{\"status\":\"starting\"}");
  else if (g_str_equal (mode, "conflict"))
    respond (out, "409 Conflict", "application/problem+json", conflict_body);
  else if (g_str_equal (mode, "ratelimited"))
    write_text (out, "HTTP/1.1 429 Too Many Requests\r\n"
                     "Content-Type: application/problem+json\r\nRetry-After: 42\r\n"
                     "Content-Length: 64\r\nConnection: close\r\n\r\n"
                     "{\"status\":429,\"code\":\"rate_limited\",\"title\":\"Too Many Requests\"}");
  else
    respond (out, "404 Not Found", "text/plain", "unknown adversary mode");

  return FALSE;
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        TesseraTestAdversary   *self)
{
  g_autoptr(GIOStream) tls = NULL;
  g_autofree char *path = NULL;
  g_autofree char *user_agent = NULL;
  g_auto(GStrv) segments = NULL;
  GIOStream *stream = G_IO_STREAM (connection);
  gboolean authorized = FALSE;

  g_socket_set_timeout (g_socket_connection_get_socket (connection), SAFETY_SECONDS);

  if (self->certificate != NULL)
    {
      tls = g_tls_server_connection_new (stream, self->certificate, NULL);
      /* A client that refuses the certificate ends the handshake: nothing more to do. */
      if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
        return TRUE;
      stream = tls;
    }

  do
    {
      g_clear_pointer (&path, g_free);
      g_clear_pointer (&user_agent, g_free);
      g_clear_pointer (&segments, g_strfreev);
      authorized = FALSE;

      path = read_request (g_io_stream_get_input_stream (stream), &user_agent, &authorized);
      if (path == NULL)
        break;

      g_atomic_int_inc (&self->n_requests);

      segments = g_strsplit (path[0] == '/' ? path + 1 : path, "/", 2);
    }
  while (serve_mode (segments[0] != NULL ? segments[0] : "", path, user_agent, authorized,
                     g_io_stream_get_input_stream (stream),
                     g_io_stream_get_output_stream (stream)));

  g_io_stream_close (stream, NULL, NULL);

  return TRUE;
}

/* Handler threads may outlive tessera_test_adversary_free(): they share the data by reference. */
static void
adversary_clear (TesseraTestAdversary *self)
{
  g_clear_object (&self->certificate);
  g_free (self->url);
}

static void
adversary_unref (gpointer data,
                 GClosure *closure)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) adversary_clear);
}

TesseraTestAdversary *
tessera_test_adversary_new (GTlsCertificate *certificate)
{
  TesseraTestAdversary *self = g_atomic_rc_box_new0 (TesseraTestAdversary);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  self->service = g_threaded_socket_service_new (16);
  g_set_object (&self->certificate, certificate);

  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);

  g_signal_connect_data (self->service, "run", G_CALLBACK (on_run),
                         g_atomic_rc_box_acquire (self), adversary_unref, 0);
  g_socket_service_start (self->service);

  self->url = g_strdup_printf ("%s://127.0.0.1:%u", certificate != NULL ? "https" : "http",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  return self;
}

void
tessera_test_adversary_free (TesseraTestAdversary *self)
{
  if (self == NULL)
    return;

  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  /* Handler threads hold their own references and end when their client goes away. */
  g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) adversary_clear);
}

const char *
tessera_test_adversary_get_url (TesseraTestAdversary *self)
{
  return self->url;
}

guint
tessera_test_adversary_get_n_requests (TesseraTestAdversary *self)
{
  return (guint) g_atomic_int_get (&self->n_requests);
}

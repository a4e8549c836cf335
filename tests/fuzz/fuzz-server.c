/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: tessera-server's request handling, in process. Each input is the raw bytes a
 * client sends on one connection (request line, headers, body). They reach the real
 * TesseraHttpServer — the SoupServer, the early handler and its limits, the router, the
 * handlers and the store — the way tessera-server runs them: tessera_http_server_listen() on
 * 127.0.0.1 and a TCP connection, because the limits and timeouts act on the socket. No
 * test-only path exists in the server for this.
 *
 * State is reset for every input: a fresh copy of a template database (made once, with an
 * admin, a viewer, demo accounts, an issued OTP, a pending and an approved request) and a
 * fresh server (throttles, event hub). So an input does the same thing wherever it runs.
 *
 * To let the fuzzer get past authentication, these placeholders in the input are replaced by
 * the template's values before sending:
 *   $A admin session token     $V viewer session token    $P the admin's password
 *   $I a ready account without an OTP                     $O the id of a live OTP
 *   $C that OTP's code          $R a pending request       $T its poll token
 *   $Q an approved request      $U its poll token          $L the length of the body
 *
 * Oracles besides the sanitizers and fatal GLib warnings/criticals:
 *  - the server answers or closes within a deadline, and never with 500 (bad input gets a
 *    clear error, DESIGN §6 and house rule 3);
 *  - a JSON or problem+json answer parses with the strict parser;
 *  - no secret of the template reaches a log message, unless the client itself put it in the
 *    request line (the access log shows the path).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "fuzz-common.h"
#include "tessera-http-server.h"
#include "tessera-otp-code.h"
#include "tessera-server-config.h"
#include "tessera-store.h"

#define ANSWER_DEADLINE_USEC (5 * G_USEC_PER_SEC)
#define MAX_ANSWER_BYTES     (4 * 1024 * 1024)

typedef struct {
  char     *dir;
  char     *template_path;
  char     *db_path;
  guint16   port;            /* reused, so that a long run does not use up ephemeral ports */

  /* Placeholder values, by the letter after '$' */
  char     *values[26];

  /* Every secret above, and the OTP code in both forms, for the log check */
  GPtrArray *secrets;
} Fixture;

static Fixture fixture;

/* The request line of the current input: a secret the client put there may be logged. */
static const char *current_request_line;

static void
set_value (char        letter,
           const char *value)
{
  g_assert (letter >= 'A' && letter <= 'Z');
  g_free (fixture.values[letter - 'A']);
  fixture.values[letter - 'A'] = g_strdup (value);
}

static void
add_secret (const char *secret)
{
  g_ptr_array_add (fixture.secrets, g_strdup (secret));
}

static void
check_log (GLogLevelFlags  level,
           const char     *message,
           gpointer        user_data)
{
  for (guint i = 0; i < fixture.secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (fixture.secrets, i);

      if (strstr (message, secret) == NULL)
        continue;
      if (current_request_line != NULL && strstr (current_request_line, secret) != NULL)
        continue;
      fuzz_fail (__FILE__, __LINE__, "no secret in a log line", "a log line carries a secret: %s",
                 message);
    }
}

static TesseraUser *
sign_in (TesseraStore *store,
         const char   *username,
         const char   *password,
         char          token_letter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TesseraSession) session = NULL;
  TesseraUser *user;

  user = tessera_store_authenticate (store, username, password, "127.0.0.1", &error);
  g_assert_no_error (error);
  session = tessera_store_create_session (store, user, "127.0.0.1", &error);
  g_assert_no_error (error);
  set_value (token_letter, tessera_session_get_token (session));
  add_secret (tessera_session_get_token (session));
  return user;
}

static TesseraRedemption *
redeem (TesseraStore     *store,
        TesseraOtpResult *result)
{
  g_autoptr(TesseraDeviceInfo) device = tessera_device_info_new ("Fuzz", "Console", "SN-1");
  g_autoptr(GError) error = NULL;
  TesseraRedemption *redemption;

  redemption = tessera_store_redeem (store, tessera_otp_result_get_code (result), device,
                                     "127.0.0.1", &error);
  g_assert_no_error (error);
  add_secret (tessera_redemption_get_poll_token (redemption));
  return redemption;
}

static void
add_code_secrets (TesseraOtpResult *result)
{
  char normalized[TESSERA_OTP_CODE_LENGTH + 1];
  g_autofree char *formatted = NULL;

  g_assert_true (tessera_otp_code_normalize (tessera_otp_result_get_code (result), normalized,
                                             NULL));
  formatted = tessera_otp_code_format (normalized);
  add_secret (normalized);
  add_secret (formatted);
  add_secret (tessera_otp_result_get_password (result));
}

/* The template: users, sessions, accounts in every interesting state. */
static void
make_template (void)
{
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(TesseraUser) admin = NULL;
  g_autoptr(TesseraUser) viewer = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(TesseraBatchSpec) spec = tessera_batch_spec_new ();
  g_autoptr(TesseraOtpBatch) batch = NULL;
  g_autoptr(TesseraRedemption) pending = NULL;
  g_autoptr(TesseraRedemption) approved = NULL;
  g_autoptr(TesseraResolution) approve = NULL;
  g_autoptr(TesseraRequest) resolved = NULL;
  g_autoptr(GError) error = NULL;
  TesseraAccountFilter filter = { .readiness_mask = 1u << TESSERA_READINESS_READY };
  g_autofree char *next_cursor = NULL;
  guint total = 0;
  char password[33];
  GPtrArray *results;
  guint8 random[16];

  randombytes_buf (random, sizeof random);
  for (guint i = 0; i < sizeof random; i++)
    g_snprintf (password + 2 * i, 3, "%02x", random[i]);
  set_value ('P', password);
  add_secret (password);

  store = tessera_store_open (fixture.template_path, &error);
  g_assert_no_error (error);
  tessera_store_add_user (store, "admin", "Fuzz Admin", TESSERA_ROLE_ADMIN, password, &error);
  g_assert_no_error (error);
  tessera_store_add_user (store, "viewer", "Fuzz Viewer", TESSERA_ROLE_VIEWER, password, &error);
  g_assert_no_error (error);
  tessera_store_generate_demo_data (store, 12, &error);
  g_assert_no_error (error);

  admin = sign_in (store, "admin", password, 'A');
  viewer = sign_in (store, "viewer", password, 'V');

  accounts = tessera_store_list_accounts (store, &filter, NULL, 4, &next_cursor, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 4);

  /* Accounts 0–2 get OTPs; account 3 stays not_started. */
  spec->password_mode = TESSERA_PASSWORD_MODE_GENERATE;
  spec->return_passwords = TRUE;
  spec->account_ids = g_new0 (char *, 4);
  for (guint i = 0; i < 3; i++)
    spec->account_ids[i] = g_strdup (tessera_account_get_id (accounts->pdata[i]));
  set_value ('I', tessera_account_get_id (accounts->pdata[3]));

  batch = tessera_store_issue_batch (store, admin, spec, NULL, "127.0.0.1", &error);
  g_assert_no_error (error);
  results = tessera_otp_batch_get_results (batch);
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    {
      g_assert_cmpint (tessera_otp_result_get_status (results->pdata[i]), ==,
                       TESSERA_OTP_RESULT_ISSUED);
      add_code_secrets (results->pdata[i]);
    }

  set_value ('O', tessera_otp_result_get_otp_id (results->pdata[0]));
  set_value ('C', tessera_otp_result_get_code (results->pdata[0]));

  pending = redeem (store, results->pdata[1]);
  set_value ('R', tessera_redemption_get_id (pending));
  set_value ('T', tessera_redemption_get_poll_token (pending));

  approved = redeem (store, results->pdata[2]);
  set_value ('Q', tessera_redemption_get_id (approved));
  set_value ('U', tessera_redemption_get_poll_token (approved));
  approve = tessera_resolution_new (TESSERA_DECISION_APPROVE, TESSERA_REJECTION_NONE, NULL);
  resolved = tessera_store_resolve_request (store, admin, tessera_redemption_get_id (approved),
                                            approve, "127.0.0.1", NULL, &error);
  g_assert_no_error (error);
}

/* At exit: the template and the last input's database, so runs leave nothing in /tmp. */
static void
remove_fixture_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (fixture.dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture.dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture.dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  fuzz_init ();
  g_assert_cmpint (sodium_init (), >=, 0);

  /* A peer that goes away mid-write costs an error, as in tessera-server. */
  signal (SIGPIPE, SIG_IGN);

  fixture.secrets = g_ptr_array_new_with_free_func (g_free);
  fixture.dir = g_dir_make_tmp ("tessera-fuzz-server-XXXXXX", &error);
  g_assert_no_error (error);
  fixture.template_path = g_build_filename (fixture.dir, "template.db", NULL);
  fixture.db_path = g_build_filename (fixture.dir, "input.db", NULL);
  atexit (remove_fixture_dir);

  make_template ();
  fuzz_set_log_check (check_log, NULL);

  return 0;
}

/* --- Per input --- */

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (from, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents_full (to, contents, length, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

static void
reset_database (void)
{
  const char *suffixes[] = { "", ".key", "-wal", "-shm" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (fixture.db_path, suffixes[i], NULL);
      g_unlink (path);
    }

  /* The template was closed cleanly: its WAL is checkpointed into the file. */
  copy_file (fixture.template_path, fixture.db_path);
  {
    g_autofree char *from = g_strconcat (fixture.template_path, ".key", NULL);
    g_autofree char *to = g_strconcat (fixture.db_path, ".key", NULL);
    copy_file (from, to);
  }
}

/* The "\r\n\r\n" that ends an HTTP head, or NULL (the data may hold NUL bytes). */
static const guint8 *
find_blank_line (const guint8 *data,
                 gsize         length)
{
  for (gsize i = 0; i + 4 <= length; i++)
    if (memcmp (data + i, "\r\n\r\n", 4) == 0)
      return data + i;
  return NULL;
}

/* The input with its placeholders replaced. */
static GByteArray *
expand (const guint8 *data,
        size_t        size)
{
  GByteArray *out = g_byte_array_sized_new (size + 256);
  gssize length_at = -1;

  for (size_t i = 0; i < size; i++)
    {
      if (data[i] == '$' && i + 1 < size && data[i + 1] >= 'A' && data[i + 1] <= 'Z')
        {
          const char *value = fixture.values[data[i + 1] - 'A'];

          if (data[i + 1] == 'L' && length_at < 0)
            {
              length_at = out->len;
              i++;
              continue;
            }
          if (value != NULL)
            {
              g_byte_array_append (out, (const guint8 *) value, strlen (value));
              i++;
              continue;
            }
        }
      g_byte_array_append (out, &data[i], 1);
    }

  /* $L: the number of bytes after the blank line that ends the head, as Content-Length wants
   * it (0 when $L stands after that line itself). Inserting it changes no byte counted. */
  if (length_at >= 0)
    {
      const guint8 *end = find_blank_line (out->data, out->len);
      gsize body_start = end != NULL ? (gsize) (end - out->data) + 4 : out->len;
      gsize body_length = (gsize) length_at < body_start ? out->len - body_start : 0;
      g_autofree char *number = g_strdup_printf ("%" G_GSIZE_FORMAT, body_length);
      GByteArray *spliced = g_byte_array_sized_new (out->len + strlen (number));

      g_byte_array_append (spliced, out->data, length_at);
      g_byte_array_append (spliced, (const guint8 *) number, strlen (number));
      g_byte_array_append (spliced, out->data + length_at, out->len - length_at);
      g_byte_array_unref (out);
      out = spliced;
    }

  return out;
}

typedef struct {
  int          fd;
  guint        source;       /* watches fd: for writing, then (after SHUT_WR) for reading */
  GByteArray  *request;
  gsize        sent;
  gboolean     shut_write;
  GByteArray  *answer;
  gboolean     done;
  gboolean     timed_out;
} Exchange;

static gboolean
on_socket (int          fd,
           GIOCondition condition,
           gpointer     user_data)
{
  Exchange *exchange = user_data;

  if (exchange->sent < exchange->request->len)
    {
      gssize n = send (fd, exchange->request->data + exchange->sent,
                       exchange->request->len - exchange->sent, MSG_NOSIGNAL | MSG_DONTWAIT);

      if (n > 0)
        exchange->sent += n;
      else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
               errno != ENOTCONN)
        exchange->sent = exchange->request->len;  /* the server hung up: stop sending */
    }

  for (;;)
    {
      guint8 buffer[16384];
      gssize n = recv (fd, buffer, sizeof buffer, MSG_DONTWAIT);

      if (n > 0)
        {
          if (exchange->answer->len < MAX_ANSWER_BYTES)
            g_byte_array_append (exchange->answer, buffer, n);
          continue;
        }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
                     errno != ENOTCONN))
        {
          exchange->done = TRUE;
          exchange->source = 0;
          return G_SOURCE_REMOVE;
        }
      break;
    }

  /* All sent: the client is done talking, so a half request ends now, not at the timeout.
   * From here on only readability matters (a writable socket would wake us forever). */
  if (exchange->sent >= exchange->request->len && !exchange->shut_write)
    {
      shutdown (fd, SHUT_WR);
      exchange->shut_write = TRUE;
      exchange->source = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
on_deadline (gpointer user_data)
{
  Exchange *exchange = user_data;

  exchange->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static int
connect_to (guint16 port)
{
  struct sockaddr_in address = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_port = htons (port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0 && errno != EINPROGRESS)
    g_error ("cannot connect to the server: %s", g_strerror (errno));
  return fd;
}

static void
listen_on_fixed_port (TesseraHttpServer *server)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GUri) parsed = NULL;

  {
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, fixture.port);

    if (!tessera_http_server_listen (server, G_INET_SOCKET_ADDRESS (address), NULL, &error))
      g_error ("cannot listen on port %u: %s", fixture.port, error->message);
  }

  uri = tessera_http_server_get_uri (server);
  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  fixture.port = (guint16) g_uri_get_port (parsed);
}

/* Status and media type of the answer, and the body when it is JSON. */
static void
check_answer (GByteArray *answer)
{
  g_autofree char *head = NULL;
  g_autofree char *content_type = NULL;
  const guint8 *end;
  const char *body;
  gsize body_length;
  guint status;

  if (answer->len == 0)
    return;  /* closed without an answer: libsoup does that to garbage */

  end = find_blank_line (answer->data, answer->len);
  fuzz_check (end != NULL, "an answer without a complete head (%u bytes)", answer->len);
  head = g_strndup ((const char *) answer->data, end - answer->data);
  fuzz_check (g_str_has_prefix (head, "HTTP/1.1 ") || g_str_has_prefix (head, "HTTP/1.0 "),
              "an answer that is not HTTP: %.40s", head);

  status = (guint) g_ascii_strtoull (head + 9, NULL, 10);
  fuzz_check (status >= 100 && status <= 599, "status %u", status);
  fuzz_check (status != 500, "500 for an input: bad input must get a clear error\n%s", head);

  body = (const char *) end + 4;
  body_length = answer->len - (end + 4 - answer->data);

  {
    g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);

    for (guint i = 1; lines[i] != NULL; i++)
      if (g_ascii_strncasecmp (lines[i], "Content-Type:", 13) == 0)
        content_type = g_strstrip (g_ascii_strdown (lines[i] + 13, -1));
  }

  if (content_type != NULL && status != 101 &&
      (g_str_has_prefix (content_type, "application/json") ||
       g_str_has_prefix (content_type, "application/problem+json")) &&
      body_length > 0 && answer->len < MAX_ANSWER_BYTES)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      /* A HEAD answer has the headers of a GET and no body. */
      node = tessera_json_parse (body, body_length, TESSERA_JSON_MAX_DEPTH, &error);
      if (node == NULL)
        {
          g_autofree char *shown = g_strndup (body, MIN (body_length, 2000));
          g_autofree char *escaped = g_strescape (shown, NULL);

          fuzz_fail (__FILE__, __LINE__, "node != NULL", "a JSON answer that does not parse: "
                     "%s\n%s\n%s", error->message, head, escaped);
        }
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GByteArray) request = expand (data, size);
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  g_autoptr(TesseraServerConfig) config = tessera_server_config_new ();
  g_autoptr(TesseraStore) store = NULL;
  g_autoptr(TesseraHttpServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request_line = NULL;
  Exchange exchange = { -1, 0, request, 0, FALSE, answer, FALSE, FALSE };
  const guint8 *line_end;
  guint deadline_source;

  line_end = memchr (request->data, '\n', request->len);
  request_line = g_strndup ((const char *) request->data,
                            line_end != NULL ? (gsize) (line_end - request->data) : request->len);
  current_request_line = request_line;

  reset_database ();
  store = tessera_store_open (fixture.db_path, &error);
  g_assert_no_error (error);

  server = tessera_http_server_new (store, config);
  listen_on_fixed_port (server);

  exchange.fd = connect_to (fixture.port);
  exchange.source = g_unix_fd_add (exchange.fd, G_IO_IN | G_IO_OUT | G_IO_HUP | G_IO_ERR,
                                   on_socket, &exchange);
  deadline_source = g_timeout_add (ANSWER_DEADLINE_USEC / 1000, on_deadline, &exchange);

  while (!exchange.done && !exchange.timed_out)
    {
      if (exchange.source == 0)
        exchange.source = g_unix_fd_add (exchange.fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_socket,
                                         &exchange);
      g_main_context_iteration (NULL, TRUE);
    }

  g_clear_handle_id (&exchange.source, g_source_remove);
  if (!exchange.timed_out)
    g_source_remove (deadline_source);

  close (exchange.fd);

  /* An upgraded events stream stays open by design until the server shuts down. */
  g_byte_array_append (answer, (const guint8 *) "", 1);
  g_byte_array_set_size (answer, answer->len - 1);
  fuzz_check (!exchange.timed_out || g_str_has_prefix ((const char *) answer->data, "HTTP/1.1 101"),
              "no answer and no close within %d s", (int) (ANSWER_DEADLINE_USEC / G_USEC_PER_SEC));
  check_answer (answer);

  tessera_http_server_shutdown (server);
  g_clear_object (&server);
  g_clear_object (&store);

  /* Let closed connections and lingering answers finish before the next input. */
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);

  current_request_line = NULL;
  return 0;
}

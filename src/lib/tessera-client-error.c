/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-client-error"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tessera-client-error.h"
#include "tessera-client-private.h"

/*
 * The details ride inside the GError (an extended error domain) rather than in a side table
 * keyed by the GError pointer or in extra out parameters on every _finish(): they are copied
 * and freed together with the error, whoever ends up owning it.
 */
typedef struct {
  guint                 http_status;
  guint                 retry_after;
  TesseraProblem       *problem;
  TesseraRequest       *request;
  GTlsCertificate      *peer_certificate;
  GTlsCertificateFlags  tls_errors;
} TesseraClientErrorPrivate;

static void
tessera_client_error_private_init (TesseraClientErrorPrivate *priv)
{
  memset (priv, 0, sizeof *priv);
}

static TesseraProblem *
problem_copy (const TesseraProblem *problem)
{
  TesseraProblem *copy;

  if (problem == NULL)
    return NULL;

  copy = tessera_problem_new (problem->status, problem->code, problem->title, problem->detail);
  g_free (copy->type);
  copy->type = g_strdup (problem->type);
  if (problem->extra != NULL)
    copy->extra = json_object_ref (problem->extra);

  return copy;
}

static void
tessera_client_error_private_copy (const TesseraClientErrorPrivate *src,
                                   TesseraClientErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->retry_after = src->retry_after;
  dest->problem = problem_copy (src->problem);
  dest->request = src->request != NULL ? g_object_ref (src->request) : NULL;
  if (src->peer_certificate != NULL)
    dest->peer_certificate = g_object_ref (src->peer_certificate);
  dest->tls_errors = src->tls_errors;
}

static void
tessera_client_error_private_clear (TesseraClientErrorPrivate *priv)
{
  g_clear_pointer (&priv->problem, tessera_problem_free);
  g_clear_object (&priv->request);
  g_clear_object (&priv->peer_certificate);
}

G_DEFINE_EXTENDED_ERROR (TesseraClientError, tessera_client_error)

static TesseraClientErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != TESSERA_CLIENT_ERROR)
    return NULL;

  return tessera_client_error_get_private (error);
}

const TesseraProblem *
tessera_client_error_get_problem (const GError *error)
{
  TesseraClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->problem : NULL;
}

const char *
tessera_client_error_get_problem_code (const GError *error)
{
  const TesseraProblem *problem = tessera_client_error_get_problem (error);

  return problem != NULL ? problem->code : NULL;
}

guint
tessera_client_error_get_http_status (const GError *error)
{
  TesseraClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->http_status : 0;
}

guint
tessera_client_error_get_retry_after (const GError *error)
{
  TesseraClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->retry_after : 0;
}

TesseraRequest *
tessera_client_error_get_request (const GError *error)
{
  TesseraClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->request : NULL;
}

GTlsCertificate *
tessera_client_error_get_peer_certificate (const GError *error)
{
  TesseraClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->peer_certificate : NULL;
}

GTlsCertificateFlags
tessera_client_error_get_tls_errors (const GError *error)
{
  TesseraClientErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->tls_errors : 0;
}

char *
tessera_certificate_get_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_length = sizeof digest;
  GString *out;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_length);

  out = g_string_sized_new (digest_length * 3);
  for (gsize i = 0; i < digest_length; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);

  return g_string_free (out, FALSE);
}

GError *
_tessera_client_error_new (TesseraClientError  code,
                           const char         *message)
{
  return g_error_new_literal (TESSERA_CLIENT_ERROR, code, message);
}

static const char *
describe_tls_errors (GTlsCertificateFlags flags)
{
  /* The most telling reason first: an admin acts differently on each. */
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("it is not signed by an authority this computer trusts");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("it was issued for a different server name");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _("it has expired");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("it is not valid yet");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _("it has been revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _("it uses an insecure algorithm");

  return _("it could not be verified");
}

GError *
_tessera_client_error_new_transport (const GError         *cause,
                                     const char           *host,
                                     gboolean              reading_body,
                                     GTlsCertificate      *peer_certificate,
                                     GTlsCertificateFlags  tls_errors)
{
  TesseraClientErrorPrivate *priv;
  GError *error;

  g_assert (cause != NULL);

  if (cause->domain == G_TLS_ERROR ||
      (peer_certificate != NULL && tls_errors != 0))
    {
      if (peer_certificate != NULL)
        error = g_error_new (TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TLS,
                             _("The certificate of the server at %s is not trusted: %s."),
                             host, describe_tls_errors (tls_errors));
      else
        error = g_error_new (TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TLS,
                             _("A secure connection to the server at %s could not be made (%s)."),
                             host, cause->message);

      priv = tessera_client_error_get_private (error);
      g_set_object (&priv->peer_certificate, peer_certificate);
      priv->tls_errors = tls_errors;
      return error;
    }

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_TIMEOUT,
                        _("The server at %s did not answer in time. Try again later."), host);

  if (reading_body)
    return g_error_new (TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_RESPONSE,
                        _("The answer from the server at %s was cut off (%s)."),
                        host, cause->message);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
      g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    return g_error_new (TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NETWORK,
                        _("The server at %s closed the connection without answering. Try "
                          "again."), host);

  return g_error_new (TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NETWORK,
                      _("The server at %s could not be reached. Check the address and your "
                        "network connection."), host);
}

GError *
_tessera_client_error_new_invalid_response (const char *host,
                                            const char *why)
{
  return g_error_new (TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_INVALID_RESPONSE,
                      _("The server at %s sent an answer that could not be understood (%s)."),
                      host, why);
}

GError *
_tessera_client_error_new_not_tessera (const char *host)
{
  return g_error_new (TESSERA_CLIENT_ERROR, TESSERA_CLIENT_ERROR_NOT_TESSERA,
                      _("The address %s answers, but not as a Tessera server. Check the address."),
                      host);
}

static gboolean
code_is (const TesseraProblem *problem,
         const char           *code)
{
  return problem != NULL && g_strcmp0 (problem->code, code) == 0;
}

static char *
describe_resolution (TesseraRequest *request)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;
  const char *who = tessera_request_get_resolved_by (request);
  GDateTime *at = tessera_request_get_resolved_at (request);

  if (who == NULL || at == NULL)
    return NULL;

  local = g_date_time_to_local (at);
  when = g_date_time_format (local, "%Y-%m-%d %H:%M");

  switch (tessera_request_get_state (request))
    {
    case TESSERA_REQUEST_APPROVED:
    case TESSERA_REQUEST_COMPLETED:
      return g_strdup_printf (_("%s approved this request on %s."), who, when);
    case TESSERA_REQUEST_REJECTED:
      return g_strdup_printf (_("%s rejected this request on %s."), who, when);
    case TESSERA_REQUEST_EXPIRED:
      return g_strdup_printf (_("This request expired on %s."), when);
    case TESSERA_REQUEST_PENDING:
    default:
      return NULL;
    }
}

static char *
conflict_message (const TesseraProblem *problem,
                  TesseraRequest       *request)
{
  if (code_is (problem, "already_resolved"))
    {
      g_autofree char *how = request != NULL ? describe_resolution (request) : NULL;

      if (how != NULL)
        return g_strdup_printf ("%s %s", _("Another admin resolved this request first."), how);
      return g_strdup (_("Another admin resolved this request first."));
    }
  if (code_is (problem, "batch_exists"))
    return g_strdup (_("These OTPs were generated already. Reload the accounts to see them."));
  if (code_is (problem, "otp_not_live"))
    return g_strdup (_("This OTP is no longer live: it was used, revoked or has expired."));

  if (problem != NULL && problem->detail != NULL)
    return g_strdup_printf (_("The change conflicts with the current state: %s"), problem->detail);
  return g_strdup (_("The change conflicts with the current state. Reload and try again."));
}

static char *
invalid_request_message (const TesseraProblem *problem)
{
  if (code_is (problem, "invalid_otp"))
    return g_strdup (_("The code is not valid. It may be mistyped, already used, revoked or "
                       "expired."));
  if (problem != NULL && problem->detail != NULL)
    return g_strdup_printf (_("The server refused the request: %s"), problem->detail);
  return g_strdup (_("The server refused the request as invalid."));
}

static char *
forbidden_message (const TesseraProblem *problem)
{
  if (code_is (problem, "separation_of_duties"))
    return g_strdup (_("The admin who generated an OTP cannot approve its request. Ask another "
                       "admin to review it."));
  return g_strdup (_("Your account is not allowed to do this. Ask an administrator."));
}

/* Problem members a client can use; anything more is for humans reading the detail. */
static TesseraRequest *
request_from_problem (const TesseraProblem *problem)
{
  g_autoptr(JsonNode) node = NULL;
  JsonNode *member;

  if (problem == NULL || problem->extra == NULL)
    return NULL;

  member = json_object_get_member (problem->extra, "request");
  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    return NULL;

  /* A malformed conflict body still reports the conflict, just without who/when. */
  return tessera_request_new_from_json (member, NULL);
}

GError *
_tessera_client_error_new_status (guint              status,
                                  TesseraProblem    *problem,
                                  guint              retry_after,
                                  const char        *host,
                                  TesseraClientAuth  auth)
{
  g_autoptr(TesseraRequest) request = NULL;
  TesseraClientErrorPrivate *priv;
  g_autofree char *message = NULL;
  TesseraClientError code;
  GError *error;

  if (status == 401 && auth == TESSERA_CLIENT_AUTH_SIGN_IN)
    {
      code = TESSERA_CLIENT_ERROR_INVALID_CREDENTIALS;
      message = g_strdup (_("The username or password is not correct."));
    }
  else if (status == 401 && auth == TESSERA_CLIENT_AUTH_POLL_TOKEN)
    {
      code = TESSERA_CLIENT_ERROR_NOT_AUTHORIZED;
      message = g_strdup (_("The server no longer accepts this redemption. Enter the code again."));
    }
  else if (status == 401)
    {
      code = TESSERA_CLIENT_ERROR_NOT_AUTHORIZED;
      message = g_strdup (_("Your session has expired. Sign in again."));
    }
  else if (status == 403)
    {
      code = TESSERA_CLIENT_ERROR_FORBIDDEN;
      message = forbidden_message (problem);
    }
  else if (status == 404)
    {
      code = TESSERA_CLIENT_ERROR_NOT_FOUND;
      message = g_strdup (_("It no longer exists on the server. Reload and try again."));
    }
  else if (status == 409)
    {
      code = TESSERA_CLIENT_ERROR_CONFLICT;
      request = request_from_problem (problem);
      message = conflict_message (problem, request);
    }
  else if (status == 410)
    {
      code = TESSERA_CLIENT_ERROR_GONE;
      message = g_strdup (_("The request has expired. A new OTP is needed."));
    }
  else if (status == 429)
    {
      code = TESSERA_CLIENT_ERROR_RATE_LIMITED;
      if (retry_after > 0)
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Too many attempts. Try again in %u second.",
                                                "Too many attempts. Try again in %u seconds.",
                                                retry_after), retry_after);
      else
        message = g_strdup (_("Too many attempts. Try again later."));
    }
  else if (status == 502 || status == 503 || status == 504)
    {
      code = TESSERA_CLIENT_ERROR_SERVICE_UNAVAILABLE;
      message = g_strdup_printf (_("The server at %s is temporarily unavailable. Try again later."),
                                 host);
    }
  else if (status >= 500)
    {
      code = TESSERA_CLIENT_ERROR_SERVER_ERROR;
      message = g_strdup_printf (_("The server at %s ran into a problem (HTTP %u). Try again later "
                                   "or ask its administrator."), host, status);
    }
  else
    {
      code = TESSERA_CLIENT_ERROR_INVALID_REQUEST;
      message = invalid_request_message (problem);
    }

  error = g_error_new_literal (TESSERA_CLIENT_ERROR, code, message);
  priv = tessera_client_error_get_private (error);
  priv->http_status = status;
  priv->retry_after = retry_after;
  priv->problem = problem;
  priv->request = g_steal_pointer (&request);

  return error;
}

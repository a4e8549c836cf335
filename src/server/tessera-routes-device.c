/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-http-server"

#include "config.h"

#include "tessera-otp-code.h"
#include "tessera-routes-private.h"

/* The console side: redeem an OTP, then poll for the decision (DESIGN §1.2, §1.4, §4). */

static void
create_redemption (TesseraRouteContext *ctx)
{
  TesseraThrottle *throttle = _tessera_http_server_get_redemption_throttle (ctx->server);
  g_autoptr(TesseraRedemptionSpec) spec = NULL;
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;
  char code[TESSERA_OTP_CODE_LENGTH + 1];

  /* Throttled first: a refused attempt is not evaluated at all, valid code or not. */
  if (!_tessera_throttle_admit (ctx, throttle, "console", "redemption_throttled"))
    return;

  spec = tessera_redemption_spec_new_from_json (ctx->body, &error);
  if (spec == NULL)
    {
      _tessera_respond_invalid_body (ctx->msg, error);
      return;
    }

  /* A code that cannot be one (length, alphabet, check character) never reaches the store,
   * but it is still a failed guess: same answer, same count, same audit trail. */
  if (!tessera_otp_code_normalize (spec->code, code, NULL) || !tessera_otp_code_is_valid (code))
    {
      g_autoptr(GError) audit_error = NULL;
      g_autoptr(GError) invalid = NULL;

      tessera_secret_wipe (code, sizeof code);
      _tessera_throttle_fail (ctx, throttle);
      if (!tessera_store_audit (ctx->store, "console", "redemption_failed", NULL,
                                ctx->source_address, "not a well-formed code", &audit_error))
        g_warning ("Cannot audit a failed redemption: %s", audit_error->message);
      invalid = g_error_new_literal (TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_OTP,
                                     "not a well-formed code");
      _tessera_respond_error (ctx->msg, invalid);
      return;
    }

  redemption = tessera_store_redeem (ctx->store, code, spec->device, ctx->source_address, &error);
  tessera_secret_wipe (code, sizeof code);

  if (redemption == NULL)
    {
      if (g_error_matches (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_INVALID_OTP))
        _tessera_throttle_fail (ctx, throttle);
      _tessera_respond_error (ctx->msg, error);
      return;
    }

  _tessera_respond_object (ctx->msg, SOUP_STATUS_CREATED, redemption,
                           (TesseraJsonItemEncoder) tessera_redemption_to_json);
}

static void
poll_redemption (TesseraRouteContext *ctx)
{
  g_autoptr(TesseraRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;

  if (ctx->token == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (ctx->msg),
                                    "WWW-Authenticate", "Bearer");
      _tessera_respond_problem (ctx->msg, SOUP_STATUS_UNAUTHORIZED, "not_authorized",
                                "Poll with “Authorization: Bearer” and the poll token "
                                "that came with the redemption");
      return;
    }

  redemption = tessera_store_poll_redemption (ctx->store, ctx->params[0], ctx->token, &error);
  if (redemption == NULL)
    {
      /* The store answers NOT_FOUND for a wrong id and a wrong token alike, so that neither
       * is confirmed to a guesser: both are a poll token that does not fit, hence 401. */
      if (g_error_matches (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_AUTHORIZED) ||
          g_error_matches (error, TESSERA_STORE_ERROR, TESSERA_STORE_ERROR_NOT_FOUND))
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (ctx->msg),
                                        "WWW-Authenticate", "Bearer error=\"invalid_token\"");
          _tessera_respond_problem (ctx->msg, SOUP_STATUS_UNAUTHORIZED, "not_authorized",
                                    "This poll token does not belong to this redemption");
        }
      else
        {
          _tessera_respond_error (ctx->msg, error);
        }
      return;
    }

  _tessera_respond_object (ctx->msg, SOUP_STATUS_OK, redemption,
                           (TesseraJsonItemEncoder) tessera_redemption_to_json);
}

const TesseraRoute _tessera_routes_device[] = {
  { "POST", "/api/v1/device/redemptions",      create_redemption, TESSERA_ACCESS_ANYONE, TRUE },
  { "GET",  "/api/v1/device/redemptions/{id}", poll_redemption,   TESSERA_ACCESS_POLL_TOKEN },
  { NULL }
};

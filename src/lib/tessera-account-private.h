/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-account.h"

G_BEGIN_DECLS

/*
 * The app keeps 100 000 of these alive (DESIGN §5), so the instance is laid out for size:
 *
 * - site, licence, issuer and readiness issue codes repeat across thousands of accounts, so
 *   they are interned (g_intern_string): one copy each, compared by pointer;
 * - timestamps are microseconds; a GDateTime is only made (and cached) when a getter asks;
 * - the readiness issues are a NULL-terminated array of interned strings, NULL when empty
 *   (most accounts), which costs no allocation at all.
 */
struct _TesseraAccount
{
  GObject      parent_instance;

  /* Owned */
  char        *id;
  char        *display_name;
  char        *upn;
  char        *otp_id;
  char        *request_id;
  const char **readiness_issues;  /* owned array of interned strings, NULL when empty */
  GPtrArray   *otps;              /* of TesseraOtp, NULL when not loaded */
  GPtrArray   *requests;          /* of TesseraRequest, NULL when not loaded */
  GDateTime   *updated_at_cache;  /* made on demand from updated_at */
  GDateTime   *expires_at_cache;  /* made on demand from expires_at */

  /* Interned, never freed */
  const char  *site;
  const char  *license;
  const char  *issued_by;

  gint64       updated_at;        /* unix µs, 0 when unset */
  gint64       expires_at;        /* unix µs, valid when has_expires_at */

  guint        readiness : 2;
  guint        provisioning_state : 3;
  guint        has_expires_at : 1;
};

static inline const char *
_tessera_intern_or_null (const char *value)
{
  return value != NULL ? g_intern_string (value) : NULL;
}

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tessera-types.h"

G_BEGIN_DECLS

typedef gpointer (*TestDecoder) (JsonNode *node, GError **error);

/* A refused variant of a valid document: @path set to @value (JSON text), or removed if NULL */
typedef struct {
  const char *path;     /* "upn", "device.serial_number", "account_ids[3]" */
  const char *value;    /* JSON text, or NULL to remove the member */
  int         code;     /* TesseraJsonError */
  const char *message;  /* the whole expected message */
} RefusedCase;

/* An accepted variant: @path set to @value (or removed) still decodes */
typedef struct {
  const char *path;
  const char *value;
} AcceptedCase;

JsonNode *test_parse            (const char        *json);
char     *test_mutate           (const char        *json,
                                 const char        *path,
                                 const char        *value);
char     *test_long_string      (gsize              length);
char     *test_encode           (gpointer           object,
                                 gpointer           to_json);
void      test_check_refused    (TestDecoder        decode,
                                 GDestroyNotify     free_result,
                                 const char        *valid_json,
                                 const RefusedCase *cases,
                                 gsize              n_cases);
void      test_check_accepted   (TestDecoder        decode,
                                 GDestroyNotify     free_result,
                                 const char        *valid_json,
                                 const AcceptedCase *cases,
                                 gsize              n_cases);

G_END_DECLS

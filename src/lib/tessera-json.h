/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * Strict JSON for API v1 (DESIGN §4, §6).
 *
 * Parsing: tessera_json_parse() first checks the bytes against RFC 8259 with a small
 * non-recursive state machine, because json-glib alone accepts comments, `var x = …`, single
 * quotes, hex numbers, trailing garbage, wraps integers that overflow, and recurses once per
 * nesting level. Only bytes that pass (valid UTF-8, no NUL, no \u0000, nesting ≤ max_depth,
 * integers within gint64) reach json-glib.
 *
 * Decoding: every decoder is strict and names the path of the offending member in its error
 * message, as "account_ids[3]: expected a string", "device.serial_number: longer than 128
 * bytes" or "provisioning.state: unknown value \"foo\"". Unknown members are ignored; JSON
 * null is accepted only where a member is nullable (and then means "not set"). A decoder that
 * fails returns NULL and never a half-filled object.
 *
 * Bounds (bytes of UTF-8, checked on decode; encoders trust their caller):
 *   ids, usernames, display names, UPNs, sites, licences,
 *   readiness issue codes, tokens, action/target names   ≤ TESSERA_MAX_NAME_LENGTH (256)
 *   passwords                                             ≤ TESSERA_MAX_PASSWORD_LENGTH (1024)
 *   comments, problem title/detail, error details         ≤ TESSERA_MAX_COMMENT_LENGTH (2000)
 *   audit detail                                          ≤ TESSERA_MAX_AUDIT_DETAIL_LENGTH (2000)
 *   OTP codes (as typed, with dashes), error codes        ≤ TESSERA_MAX_CODE_LENGTH (64)
 *   device make, model, serial number, source addresses   ≤ TESSERA_MAX_DEVICE_FIELD_LENGTH (128)
 *   account_ids / sign_in_data in a batch                 ≤ TESSERA_MAX_BATCH_ACCOUNTS (1000)
 *   readiness_issues                                      ≤ TESSERA_MAX_READINESS_ISSUES (64)
 */

#define TESSERA_JSON_MAX_DEPTH            32

#define TESSERA_MAX_NAME_LENGTH           256
#define TESSERA_MAX_PASSWORD_LENGTH       1024
#define TESSERA_MAX_COMMENT_LENGTH        2000
#define TESSERA_MAX_AUDIT_DETAIL_LENGTH   2000
#define TESSERA_MAX_CODE_LENGTH           64
#define TESSERA_MAX_DEVICE_FIELD_LENGTH   128
#define TESSERA_MAX_BATCH_ACCOUNTS        1000
#define TESSERA_MAX_READINESS_ISSUES      64

#define TESSERA_JSON_ERROR (tessera_json_error_quark ())

typedef enum {
  TESSERA_JSON_ERROR_INVALID_JSON,    /* not RFC 8259 JSON, empty, or not an object where one is needed */
  TESSERA_JSON_ERROR_TOO_DEEP,        /* nested deeper than allowed */
  TESSERA_JSON_ERROR_MISSING_MEMBER,  /* a required member is absent (or null when not nullable) */
  TESSERA_JSON_ERROR_WRONG_TYPE,      /* a member has the wrong JSON type */
  TESSERA_JSON_ERROR_INVALID_VALUE,   /* out of range, unknown enum name, bad timestamp, … */
  TESSERA_JSON_ERROR_TOO_LONG,        /* a string or array over its bound */
} TesseraJsonError;

/* Decodes one item of a list; returns a new GObject or NULL with @error set. */
typedef gpointer (*TesseraJsonItemDecoder) (JsonNode  *node,
                                            GError   **error);
/* Writes one item as a JSON value. */
typedef void     (*TesseraJsonItemEncoder) (gpointer     item,
                                            JsonBuilder *builder);

GQuark      tessera_json_error_quark            (void);

/* Parsing */
JsonNode   *tessera_json_parse                  (const char   *data,
                                                 gsize         length,
                                                 guint         max_depth,
                                                 GError      **error);
/* As tessera_json_parse(), and refuses a top level that is not an object (INVALID_JSON). */
JsonNode   *tessera_json_parse_object           (const char   *data,
                                                 gsize         length,
                                                 guint         max_depth,
                                                 GError      **error);
/* tessera_json_parse_object() on @bytes with TESSERA_JSON_MAX_DEPTH. */
JsonNode   *tessera_json_parse_bytes            (GBytes       *bytes,
                                                 GError      **error);

/*
 * Generating: the builder's root as compact UTF-8 JSON (@length may be NULL). Every JSON we
 * send goes through here (it escapes U+001F, which json-glib 1.6 leaves raw). Never put a
 * double in the builder: json-glib 1.6 writes 1e-8 as "1e-08.0", which is not JSON.
 */
char       *tessera_json_builder_to_string      (JsonBuilder  *builder,
                                                 gsize        *length);
GBytes     *tessera_json_builder_to_bytes       (JsonBuilder  *builder);

/* Pages: {"items":[…],"next_cursor":str|null,"total":N} (DESIGN §4) */
/* Items are GObjects; the returned array frees them with g_object_unref(). */
GPtrArray  *tessera_json_decode_page            (JsonNode                *node,
                                                 TesseraJsonItemDecoder   decode_item,
                                                 char                   **next_cursor,
                                                 guint                   *total,
                                                 GError                 **error);
void        tessera_json_encode_page            (JsonBuilder             *builder,
                                                 GPtrArray               *items,
                                                 TesseraJsonItemEncoder   encode_item,
                                                 const char              *next_cursor,
                                                 guint                    total);

/*
 * Lean writing, for long lists (100 000 accounts in pages of 1 000): an item appends its JSON
 * straight to a GString, with no JsonNode tree to build, walk and free — building the tree
 * took four times as long as reading the rows from SQLite. The bytes are exactly those of
 * the builder path above followed by tessera_json_builder_to_string() (test-json-lean holds
 * the two together): strings escaped as json-glib 1.6 escapes them, except that U+001F is
 * written \u001f as RFC 8259 requires.
 */
typedef void (*TesseraJsonItemWriter) (gpointer     item,
                                       GString     *out);

/* A JSON string for @value, or null for NULL. */
void        tessera_json_write_string           (GString                 *out,
                                                 const char              *value);
/* "@member":@value, preceded by a comma unless @first. */
void        tessera_json_write_member           (GString                 *out,
                                                 const char              *member,
                                                 const char              *value,
                                                 gboolean                 first);
/* The page as tessera_json_encode_page() and tessera_json_builder_to_string() make it. */
char       *tessera_json_write_page             (GPtrArray               *items,
                                                 TesseraJsonItemWriter    write_item,
                                                 const char              *next_cursor,
                                                 guint                    total,
                                                 gsize                   *length);

/*
 * Strict member helpers used by every decoder. Each returns FALSE with @error set and a
 * message that starts with the member's name; on failure the out value is untouched.
 * Strings are transfer none: they point into @object and live as long as it does.
 * "optional" means: absent or null gives NULL / FALSE in @present and succeeds.
 * Callers decoding a nested object prefix the error with tessera_json_prefix_error().
 */
gboolean    tessera_json_expect_object          (JsonNode     *node,
                                                 JsonObject  **out,
                                                 GError      **error);
gboolean    tessera_json_require_string         (JsonObject   *object,
                                                 const char   *member,
                                                 gsize         max_length,
                                                 const char  **out,
                                                 GError      **error);
gboolean    tessera_json_optional_string        (JsonObject   *object,
                                                 const char   *member,
                                                 gsize         max_length,
                                                 const char  **out,
                                                 GError      **error);
gboolean    tessera_json_require_int            (JsonObject   *object,
                                                 const char   *member,
                                                 gint64        min,
                                                 gint64        max,
                                                 gint64       *out,
                                                 GError      **error);
gboolean    tessera_json_optional_int           (JsonObject   *object,
                                                 const char   *member,
                                                 gint64        min,
                                                 gint64        max,
                                                 gint64       *out,
                                                 gboolean     *present,
                                                 GError      **error);
gboolean    tessera_json_require_boolean        (JsonObject   *object,
                                                 const char   *member,
                                                 gboolean     *out,
                                                 GError      **error);
gboolean    tessera_json_optional_boolean       (JsonObject   *object,
                                                 const char   *member,
                                                 gboolean     *out,
                                                 gboolean     *present,
                                                 GError      **error);
/* By wire name (tessera_enum_from_string()); an unknown name is INVALID_VALUE. */
gboolean    tessera_json_require_enum           (JsonObject   *object,
                                                 const char   *member,
                                                 GType         enum_type,
                                                 int          *out,
                                                 GError      **error);
gboolean    tessera_json_optional_enum          (JsonObject   *object,
                                                 const char   *member,
                                                 GType         enum_type,
                                                 int          *out,
                                                 gboolean     *present,
                                                 GError      **error);
/* RFC 3339 (tessera_datetime_parse()); @out is transfer full. */
gboolean    tessera_json_require_datetime       (JsonObject   *object,
                                                 const char   *member,
                                                 GDateTime   **out,
                                                 GError      **error);
gboolean    tessera_json_optional_datetime      (JsonObject   *object,
                                                 const char   *member,
                                                 GDateTime   **out,
                                                 GError      **error);
/* Microseconds since the epoch, without a GDateTime; @present may be NULL when required. */
gboolean    tessera_json_require_unix_usec      (JsonObject   *object,
                                                 const char   *member,
                                                 gint64       *out,
                                                 GError      **error);
gboolean    tessera_json_optional_unix_usec     (JsonObject   *object,
                                                 const char   *member,
                                                 gint64       *out,
                                                 gboolean     *present,
                                                 GError      **error);
/* An array of strings, each ≤ @max_length, at most @max_items; @out is transfer full. */
gboolean    tessera_json_require_string_array   (JsonObject   *object,
                                                 const char   *member,
                                                 guint         max_items,
                                                 gsize         max_length,
                                                 GStrv        *out,
                                                 GError      **error);
gboolean    tessera_json_require_object         (JsonObject   *object,
                                                 const char   *member,
                                                 JsonObject  **out,
                                                 GError      **error);
gboolean    tessera_json_optional_object        (JsonObject   *object,
                                                 const char   *member,
                                                 JsonObject  **out,
                                                 GError      **error);
gboolean    tessera_json_require_array          (JsonObject   *object,
                                                 const char   *member,
                                                 guint         max_items,
                                                 JsonArray   **out,
                                                 GError      **error);
gboolean    tessera_json_optional_array         (JsonObject   *object,
                                                 const char   *member,
                                                 guint         max_items,
                                                 JsonArray   **out,
                                                 GError      **error);
/* Checks a string value already in hand (an array element, say). */
gboolean    tessera_json_check_string           (const char   *value,
                                                 gsize         max_length,
                                                 GError      **error);

/*
 * Puts @parent in front of the path in @error's message: "upn: …" becomes
 * "items[12].upn: …" for a parent of "items[12]", and "[3]: …" becomes "account_ids[3]: …".
 * Does nothing when @error or *@error is NULL.
 */
void        tessera_json_prefix_error           (GError      **error,
                                                 const char   *parent_format,
                                                 ...) G_GNUC_PRINTF (2, 3);

/* Encoder helpers: write a member only when @value is set (non-NULL). */
void        tessera_json_add_string             (JsonBuilder  *builder,
                                                 const char   *member,
                                                 const char   *value);
void        tessera_json_add_nullable_string    (JsonBuilder  *builder,
                                                 const char   *member,
                                                 const char   *value);
void        tessera_json_add_datetime           (JsonBuilder  *builder,
                                                 const char   *member,
                                                 GDateTime    *value);
void        tessera_json_add_unix_usec          (JsonBuilder  *builder,
                                                 const char   *member,
                                                 gint64        unix_usec);
void        tessera_json_add_enum               (JsonBuilder  *builder,
                                                 const char   *member,
                                                 GType         enum_type,
                                                 int           value);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tessera-types.h"
#include "test-json-codecs-common.h"

#define ACCOUNT_JSON                                                                        \
  "{\"id\":\"acc-1\",\"display_name\":\"Room 1\",\"upn\":\"room1@example.com\","            \
  "\"site\":\"Berlin\",\"license\":\"E3\",\"readiness\":\"change_settings\","               \
  "\"readiness_issues\":[\"password_expires\",\"some_future_code\"],"                       \
  "\"updated_at\":\"2026-11-25T18:40:00.123456Z\","                                         \
  "\"provisioning\":{\"state\":\"otp_issued\",\"otp_id\":\"otp-1\",\"issued_by\":\"alice\","  \
  "\"expires_at\":\"2026-11-26T02:40:00.000000Z\"},"                                               \
  "\"otps\":[{\"id\":\"otp-1\",\"account_id\":\"acc-1\",\"issued_by\":\"alice\","            \
  "\"issued_at\":\"2026-11-25T18:40:00.000000Z\",\"expires_at\":\"2026-11-26T02:40:00.000000Z\","         \
  "\"state\":\"issued\"}]}"

#define REQUEST_JSON                                                                        \
  "{\"id\":\"req-1\",\"account\":{\"id\":\"acc-1\",\"display_name\":\"Room 1\","            \
  "\"upn\":\"room1@example.com\",\"site\":\"Berlin\"},\"requested_by\":\"alice\","          \
  "\"requested_at\":\"2026-11-25T19:00:00.000000Z\",\"expires_at\":\"2026-11-26T02:40:00.000000Z\","      \
  "\"device\":{\"make\":\"Logi\",\"model\":\"Tap\",\"serial_number\":\"SN-1\"},"             \
  "\"source_address\":\"192.0.2.7\",\"state\":\"rejected\",\"resolved_by\":\"bob\","          \
  "\"resolved_at\":\"2026-11-25T19:05:00.000000Z\",\"rejection_reason\":\"wrong_room\","            \
  "\"comment\":\"Not this room\"}"

#define USER_JSON "{\"username\":\"alice\",\"display_name\":\"Alice A.\",\"role\":\"admin\"}"

#define SESSION_JSON                                                                        \
  "{\"token\":\"tok-0123456789abcdef\",\"expires_at\":\"2026-11-26T18:40:00.000000Z\","            \
  "\"user\":" USER_JSON "}"

#define SETTINGS_JSON                                                                       \
  "{\"otp_validity_hours\":24,\"auto_approve\":true,\"separation_of_duties\":false}"

#define OTP_JSON                                                                            \
  "{\"id\":\"otp-1\",\"account_id\":\"acc-1\",\"issued_by\":\"alice\","                      \
  "\"issued_at\":\"2026-11-25T18:40:00.000000Z\",\"expires_at\":\"2026-11-26T02:40:00.000000Z\","         \
  "\"state\":\"redeemed\"}"

#define REDEMPTION_JSON                                                                     \
  "{\"id\":\"red-1\",\"poll_token\":\"poll-secret\",\"state\":\"approved\","                 \
  "\"expires_at\":\"2026-11-26T02:40:00.000000Z\",\"sign_in\":{\"upn\":\"room1@example.com\","      \
  "\"password\":\"p@ss\"}}"

#define BATCH_JSON                                                                          \
  "{\"id\":\"batch-1\",\"created_at\":\"2026-11-25T18:40:00.000000Z\",\"results\":["                \
  "{\"account_id\":\"acc-1\",\"status\":\"issued\",\"otp\":{\"id\":\"otp-1\","               \
  "\"code\":\"0123456789ABCDEZ\",\"expires_at\":\"2026-11-26T02:40:00.000000Z\"},"                  \
  "\"password\":\"generated\"},"                                                            \
  "{\"account_id\":\"acc-2\",\"status\":\"refused\",\"error\":{\"code\":\"not_ready\","        \
  "\"detail\":\"No valid license\"}}]}"

#define AUDIT_JSON                                                                          \
  "{\"id\":\"aud-1\",\"at\":\"2026-11-25T18:40:00.000000Z\",\"actor\":\"alice\","                   \
  "\"action\":\"otp.issue\",\"target\":\"acc-1\",\"source_address\":\"192.0.2.7\","          \
  "\"detail\":\"batch batch-1\"}"

#define EVENT_JSON "{\"type\":\"account.updated\",\"account\":" ACCOUNT_JSON "}"

/* Decodes @json, encodes the result, decodes that and encodes again: both encodings must be
 * the same text, and the first must carry every member of the fixture. */
static gpointer
round_trip (const char  *json,
            TestDecoder  decode,
            gpointer     to_json)
{
  g_autoptr(JsonNode) node = test_parse (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) first = decode (node, &error);
  g_autofree char *encoded = NULL;
  g_autofree char *encoded_again = NULL;
  g_autoptr(JsonNode) encoded_node = NULL;
  GObject *second;

  g_assert_no_error (error);
  g_assert_nonnull (first);

  encoded = test_encode (first, to_json);
  encoded_node = test_parse (encoded);
  second = decode (encoded_node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);

  encoded_again = test_encode (second, to_json);
  g_assert_cmpstr (encoded, ==, encoded_again);

  /* Nothing lost or added: the fixtures spell timestamps the way we write them */
  if (!json_node_equal (node, encoded_node))
    g_error ("re-encoded JSON differs:\n%s\n%s", json, encoded);

  return second;
}

static void
assert_datetime (GDateTime  *datetime,
                 const char *expected)
{
  g_autofree char *text = tessera_datetime_format (datetime);

  g_assert_cmpstr (text, ==, expected);
}

/* ------------------------------------------------------------------------------------------
 * Account
 * ------------------------------------------------------------------------------------------ */

static void
test_account_round_trips (void)
{
  g_autoptr(TesseraAccount) account = round_trip (ACCOUNT_JSON,
                                                  (TestDecoder) tessera_account_new_from_json,
                                                  tessera_account_to_json);
  const char *const *issues = tessera_account_get_readiness_issues (account);
  GPtrArray *otps = tessera_account_get_otps (account);
  gint64 expires = 0;

  g_assert_cmpstr (tessera_account_get_id (account), ==, "acc-1");
  g_assert_cmpstr (tessera_account_get_display_name (account), ==, "Room 1");
  g_assert_cmpstr (tessera_account_get_upn (account), ==, "room1@example.com");
  g_assert_cmpstr (tessera_account_get_site (account), ==, "Berlin");
  g_assert_cmpstr (tessera_account_get_license (account), ==, "E3");
  g_assert_cmpint (tessera_account_get_readiness (account), ==, TESSERA_READINESS_CHANGE_SETTINGS);
  g_assert_cmpuint (g_strv_length ((char **) issues), ==, 2);
  g_assert_cmpstr (issues[0], ==, "password_expires");
  g_assert_cmpstr (issues[1], ==, "some_future_code");
  assert_datetime (tessera_account_get_updated_at (account), "2026-11-25T18:40:00.123456Z");
  g_assert_cmpint (tessera_account_get_updated_at_unix_usec (account), ==, 1795632000123456);
  g_assert_cmpint (tessera_account_get_provisioning_state (account), ==,
                   TESSERA_PROVISIONING_OTP_ISSUED);
  g_assert_cmpstr (tessera_account_get_otp_id (account), ==, "otp-1");
  g_assert_cmpstr (tessera_account_get_issued_by (account), ==, "alice");
  assert_datetime (tessera_account_get_expires_at (account), "2026-11-26T02:40:00.000000Z");
  g_assert_true (tessera_account_get_expires_at_unix_usec (account, &expires));
  g_assert_cmpint (expires, ==, 1795660800000000);
  g_assert_null (tessera_account_get_request_id (account));
  g_assert_nonnull (otps);
  g_assert_cmpuint (otps->len, ==, 1);
  g_assert_cmpint (tessera_otp_get_state (g_ptr_array_index (otps, 0)), ==, TESSERA_OTP_ISSUED);
  g_assert_null (tessera_account_get_requests (account));
}

static void
test_account_encodes_optional_members_only_when_set (void)
{
  g_autoptr(TesseraAccount) account = tessera_account_new ("acc-9", "Room 9", "r9@example.com",
                                                           "Paris", NULL, NULL);
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object, *provisioning;

  tessera_account_set_updated_at_unix_usec (account, 1);
  json = test_encode (account, tessera_account_to_json);
  node = test_parse (json);
  object = json_node_get_object (node);
  provisioning = json_object_get_object_member (object, "provisioning");

  g_assert_true (json_object_has_member (object, "license"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "license")));
  g_assert_cmpstr (json_object_get_string_member (object, "readiness"), ==, "no_valid_license");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object,
                                                                         "readiness_issues")),
                    ==, 0);
  g_assert_cmpstr (json_object_get_string_member (provisioning, "state"), ==, "not_started");
  g_assert_cmpuint (json_object_get_size (provisioning), ==, 1);
  g_assert_false (json_object_has_member (object, "otps"));
  g_assert_false (json_object_has_member (object, "requests"));
}

static void
test_account_decoder_refuses_with_field_path (void)
{
  g_autofree char *long_name = test_long_string (257);
  const RefusedCase cases[] = {
    { "upn", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "upn: missing" },
    { "upn", "42", TESSERA_JSON_ERROR_WRONG_TYPE, "upn: expected a string" },
    { "upn", "null", TESSERA_JSON_ERROR_WRONG_TYPE, "upn: expected a string, not null" },
    { "display_name", long_name, TESSERA_JSON_ERROR_TOO_LONG,
      "display_name: longer than 256 bytes" },
    { "readiness", "\"almost\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "readiness: unknown value \"almost\"" },
    { "readiness_issues", "\"x\"", TESSERA_JSON_ERROR_WRONG_TYPE,
      "readiness_issues: expected an array" },
    { "readiness_issues[1]", "5", TESSERA_JSON_ERROR_WRONG_TYPE,
      "readiness_issues[1]: expected a string" },
    { "updated_at", "\"2026-11-25T18:40:00\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "updated_at: expected an RFC 3339 timestamp with a time zone, "
      "such as \"2026-11-25T18:40:00Z\"" },
    { "provisioning", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "provisioning: missing" },
    { "provisioning", "[]", TESSERA_JSON_ERROR_WRONG_TYPE, "provisioning: expected an object" },
    { "provisioning.state", "\"foo\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "provisioning.state: unknown value \"foo\"" },
    { "provisioning.state", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER,
      "provisioning.state: missing" },
    { "provisioning.otp_id", "7", TESSERA_JSON_ERROR_WRONG_TYPE,
      "provisioning.otp_id: expected a string" },
    { "provisioning.expires_at", "\"tomorrow\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "provisioning.expires_at: expected an RFC 3339 timestamp with a time zone, "
      "such as \"2026-11-25T18:40:00Z\"" },
    { "otps[0].state", "\"lost\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "otps[0].state: unknown value \"lost\"" },
    { "otps[0]", "1", TESSERA_JSON_ERROR_WRONG_TYPE, "otps[0]: expected an object" },
  };
  const AcceptedCase accepted[] = {
    { "license", "null" },
    { "license", NULL },
    { "provisioning.expires_at", "null" },
    { "provisioning.request_id", "\"req-1\"" },
    { "otps", "null" },
    { "unknown_member", "{\"deep\":[1,2,{\"x\":null}]}" },
    { "provisioning.unknown", "true" },
    { "readiness_issues", "[]" },
  };

  test_check_refused ((TestDecoder) tessera_account_new_from_json, g_object_unref, ACCOUNT_JSON,
                      cases, G_N_ELEMENTS (cases));
  test_check_accepted ((TestDecoder) tessera_account_new_from_json, g_object_unref, ACCOUNT_JSON,
                       accepted, G_N_ELEMENTS (accepted));
}

static void
test_readiness_derive_follows_license_then_issues (void)
{
  const char *const issues[] = { "mailbox_missing", NULL };
  const char *const none[] = { NULL };

  g_assert_cmpint (tessera_readiness_derive (NULL, NULL), ==, TESSERA_READINESS_NO_VALID_LICENSE);
  g_assert_cmpint (tessera_readiness_derive ("", none), ==, TESSERA_READINESS_NO_VALID_LICENSE);
  g_assert_cmpint (tessera_readiness_derive (NULL, issues), ==,
                   TESSERA_READINESS_NO_VALID_LICENSE);
  g_assert_cmpint (tessera_readiness_derive ("E3", issues), ==,
                   TESSERA_READINESS_CHANGE_SETTINGS);
  g_assert_cmpint (tessera_readiness_derive ("E3", none), ==, TESSERA_READINESS_READY);
  g_assert_cmpint (tessera_readiness_derive ("E3", NULL), ==, TESSERA_READINESS_READY);
}

static void
test_account_setters_rederive_readiness (void)
{
  g_autoptr(TesseraAccount) account = tessera_account_new ("a", "A", "a@x", "S", NULL, NULL);
  const char *const issues[] = { "account_disabled", NULL };

  g_assert_cmpint (tessera_account_get_readiness (account), ==, TESSERA_READINESS_NO_VALID_LICENSE);
  tessera_account_set_license (account, "E5");
  g_assert_cmpint (tessera_account_get_readiness (account), ==, TESSERA_READINESS_READY);
  tessera_account_set_readiness_issues (account, issues);
  g_assert_cmpint (tessera_account_get_readiness (account), ==, TESSERA_READINESS_CHANGE_SETTINGS);
  g_assert_cmpstr (tessera_account_get_readiness_issues (account)[0], ==, "account_disabled");
  tessera_account_set_readiness_issues (account, NULL);
  g_assert_nonnull (tessera_account_get_readiness_issues (account));
  g_assert_null (tessera_account_get_readiness_issues (account)[0]);
  g_assert_cmpint (tessera_account_get_readiness (account), ==, TESSERA_READINESS_READY);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GString    *names)
{
  g_string_append_printf (names, "%s;", pspec->name);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The notified names sorted (GLib emits frozen notifications in no promised order),
 * each once per emission: a property notified twice shows twice. */
static char *
notified (GString *names)
{
  g_auto(GStrv) parts = g_strsplit (names->str, ";", -1);
  guint n = g_strv_length (parts);

  /* The last part is the empty string after the final ';' */
  if (n > 0)
    n--;
  qsort (parts, n, sizeof (char *), compare_strings);
  {
    g_autoptr(GString) joined = g_string_new (NULL);

    for (guint i = 0; i < n; i++)
      g_string_append_printf (joined, "%s;", parts[i]);
    return g_string_free (g_steal_pointer (&joined), FALSE);
  }
}

#define assert_notified(names, expected)                    \
  G_STMT_START {                                            \
    g_autofree char *sorted_ = notified (names);            \
    g_assert_cmpstr (sorted_, ==, expected);                \
  } G_STMT_END

static void
test_account_update_from_notifies_only_changed_properties (void)
{
  g_autoptr(JsonNode) node = test_parse (ACCOUNT_JSON);
  g_autoptr(TesseraAccount) row = tessera_account_new_from_json (node, NULL);
  g_autoptr(TesseraAccount) same = tessera_account_new_from_json (node, NULL);
  g_autoptr(TesseraAccount) changed = tessera_account_new_from_json (node, NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GDateTime) expires = tessera_datetime_parse ("2026-11-27T00:00:00Z", NULL);
  GDateTime *cached;

  g_assert_nonnull (row);
  cached = tessera_account_get_expires_at (row);
  g_signal_connect (row, "notify", G_CALLBACK (count_notify), names);

  /* Equal content, different string copies: nothing to say */
  g_assert_false (tessera_account_update_from (row, same));
  assert_notified (names, "");

  tessera_account_set_display_name (changed, "Room 1 (renamed)");
  tessera_account_set_provisioning (changed, TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL,
                                    "otp-1", "alice", expires, "req-7");
  assert_notified (names, "");

  g_assert_true (tessera_account_update_from (row, changed));
  assert_notified (names, "display-name;expires-at;provisioning-state;request-id;");
  g_assert_cmpstr (tessera_account_get_display_name (row), ==, "Room 1 (renamed)");
  g_assert_cmpstr (tessera_account_get_request_id (row), ==, "req-7");
  assert_datetime (tessera_account_get_expires_at (row), "2026-11-27T00:00:00.000000Z");
  g_assert_true (tessera_account_get_expires_at (row) != cached || cached == NULL);
  /* The history was loaded on the row and the source also has it: kept */
  g_assert_nonnull (tessera_account_get_otps (row));

  g_string_truncate (names, 0);
  g_assert_false (tessera_account_update_from (row, changed));
  assert_notified (names, "");

  /* Issues and licence both changing notify once each, plus readiness */
  {
    const char *const issues[] = { "calendar_processing", NULL };
    g_autoptr(TesseraAccount) other = tessera_account_new ("acc-1", "Room 1 (renamed)",
                                                           "room1@example.com", "Berlin",
                                                           "E5", issues);

    tessera_account_set_readiness (other, TESSERA_READINESS_CHANGE_SETTINGS);
    tessera_account_set_updated_at (other, tessera_account_get_updated_at (row));
    tessera_account_set_provisioning (other, TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL,
                                      "otp-1", "alice", expires, "req-7");
    g_assert_true (tessera_account_update_from (row, other));
    assert_notified (names, "license;readiness-issues;");
  }
}

static void
test_account_setters_notify_only_on_change (void)
{
  g_autoptr(TesseraAccount) account = tessera_account_new ("a", "A", "a@x", "S", "E3", NULL);
  g_autoptr(GString) names = g_string_new (NULL);

  g_signal_connect (account, "notify", G_CALLBACK (count_notify), names);
  tessera_account_set_site (account, "S");
  tessera_account_set_display_name (account, "A");
  tessera_account_set_license (account, "E3");
  assert_notified (names, "");

  tessera_account_set_site (account, "T");
  tessera_account_set_license (account, NULL);
  assert_notified (names, "license;readiness;site;");

  g_string_truncate (names, 0);
  g_object_set (account, "upn", "b@x", NULL);
  assert_notified (names, "upn;");
}

/* Not a pass/fail budget (timings and sizes vary): the number goes into the test log. */
static void
test_account_reports_its_size (void)
{
  GTypeQuery query;
  g_autoptr(JsonNode) node = test_parse (ACCOUNT_JSON);
  g_autoptr(TesseraAccount) account = tessera_account_new_from_json (node, NULL);
  gsize strings;

  g_type_query (TESSERA_TYPE_ACCOUNT, &query);
  strings = strlen (tessera_account_get_id (account)) + 1 +
            strlen (tessera_account_get_display_name (account)) + 1 +
            strlen (tessera_account_get_upn (account)) + 1 +
            strlen (tessera_account_get_otp_id (account)) + 1;

  g_test_message ("TesseraAccount instance: %u bytes; own strings of this fixture: %"
                  G_GSIZE_FORMAT " bytes (site, licence, issuer, issues interned)",
                  query.instance_size, strings);
  g_assert_cmpuint (query.instance_size, <=, 256);
}

/* ------------------------------------------------------------------------------------------
 * Request
 * ------------------------------------------------------------------------------------------ */

static void
test_request_round_trips (void)
{
  g_autoptr(TesseraRequest) request = round_trip (REQUEST_JSON,
                                                  (TestDecoder) tessera_request_new_from_json,
                                                  tessera_request_to_json);

  g_assert_cmpstr (tessera_request_get_id (request), ==, "req-1");
  g_assert_cmpstr (tessera_request_get_account_id (request), ==, "acc-1");
  g_assert_cmpstr (tessera_request_get_account_display_name (request), ==, "Room 1");
  g_assert_cmpstr (tessera_request_get_account_upn (request), ==, "room1@example.com");
  g_assert_cmpstr (tessera_request_get_account_site (request), ==, "Berlin");
  g_assert_cmpstr (tessera_request_get_requested_by (request), ==, "alice");
  assert_datetime (tessera_request_get_requested_at (request), "2026-11-25T19:00:00.000000Z");
  assert_datetime (tessera_request_get_expires_at (request), "2026-11-26T02:40:00.000000Z");
  g_assert_cmpstr (tessera_request_get_device_make (request), ==, "Logi");
  g_assert_cmpstr (tessera_request_get_device_model (request), ==, "Tap");
  g_assert_cmpstr (tessera_request_get_device_serial_number (request), ==, "SN-1");
  g_assert_cmpstr (tessera_request_get_source_address (request), ==, "192.0.2.7");
  g_assert_cmpint (tessera_request_get_state (request), ==, TESSERA_REQUEST_REJECTED);
  g_assert_cmpstr (tessera_request_get_resolved_by (request), ==, "bob");
  assert_datetime (tessera_request_get_resolved_at (request), "2026-11-25T19:05:00.000000Z");
  g_assert_cmpint (tessera_request_get_rejection_reason (request), ==, TESSERA_REJECTION_WRONG_ROOM);
  g_assert_cmpstr (tessera_request_get_comment (request), ==, "Not this room");
}

static void
test_request_omits_unset_resolution (void)
{
  g_autoptr(TesseraRequest) request = tessera_request_new ("req-2");
  g_autoptr(TesseraDeviceInfo) device = tessera_device_info_new ("M", "X", "S");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TesseraRequest) back = NULL;
  JsonObject *object;

  tessera_request_set_account_id (request, "acc-1");
  tessera_request_set_account_display_name (request, "Room");
  tessera_request_set_account_upn (request, "r@x");
  tessera_request_set_account_site (request, "S");
  tessera_request_set_requested_by (request, "alice");
  tessera_request_set_requested_at (request, now);
  tessera_request_set_expires_at (request, now);
  tessera_request_set_device (request, device);
  tessera_request_set_source_address (request, "::1");

  json = test_encode (request, tessera_request_to_json);
  node = test_parse (json);
  object = json_node_get_object (node);
  g_assert_false (json_object_has_member (object, "rejection_reason"));
  g_assert_false (json_object_has_member (object, "comment"));
  g_assert_false (json_object_has_member (object, "resolved_by"));
  g_assert_false (json_object_has_member (object, "resolved_at"));
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "pending");

  back = tessera_request_new_from_json (node, NULL);
  g_assert_nonnull (back);
  g_assert_cmpint (tessera_request_get_rejection_reason (back), ==, TESSERA_REJECTION_NONE);
  g_assert_null (tessera_request_get_comment (back));
  g_assert_true (g_date_time_equal (tessera_request_get_requested_at (back), now));
}

static void
test_request_decoder_refuses_with_field_path (void)
{
  g_autofree char *long_serial = test_long_string (129);
  g_autofree char *long_comment = test_long_string (2001);
  const RefusedCase cases[] = {
    { "device.serial_number", long_serial, TESSERA_JSON_ERROR_TOO_LONG,
      "device.serial_number: longer than 128 bytes" },
    { "device.make", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "device.make: missing" },
    { "device", "\"Logi Tap\"", TESSERA_JSON_ERROR_WRONG_TYPE, "device: expected an object" },
    { "account.upn", "[]", TESSERA_JSON_ERROR_WRONG_TYPE, "account.upn: expected a string" },
    { "account", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "account: missing" },
    { "state", "\"done\"", TESSERA_JSON_ERROR_INVALID_VALUE, "state: unknown value \"done\"" },
    { "state", "1", TESSERA_JSON_ERROR_WRONG_TYPE, "state: expected a string" },
    { "rejection_reason", "\"none\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "rejection_reason: unknown value \"none\"" },
    { "rejection_reason", "\"grumpy\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "rejection_reason: unknown value \"grumpy\"" },
    { "comment", long_comment, TESSERA_JSON_ERROR_TOO_LONG, "comment: longer than 2000 bytes" },
    { "requested_at", "1764096000", TESSERA_JSON_ERROR_WRONG_TYPE,
      "requested_at: expected a string" },
    { "expires_at", "null", TESSERA_JSON_ERROR_WRONG_TYPE, "expires_at: expected a string, not null" },
  };
  const AcceptedCase accepted[] = {
    { "comment", "null" },
    { "resolved_by", "null" },
    { "resolved_at", NULL },
    { "rejection_reason", NULL },
    { "device.firmware", "\"1.2.3\"" },
  };

  test_check_refused ((TestDecoder) tessera_request_new_from_json, g_object_unref, REQUEST_JSON,
                      cases, G_N_ELEMENTS (cases));
  test_check_accepted ((TestDecoder) tessera_request_new_from_json, g_object_unref, REQUEST_JSON,
                       accepted, G_N_ELEMENTS (accepted));
}

static void
test_request_update_from_notifies_only_changed_properties (void)
{
  g_autoptr(JsonNode) node = test_parse (REQUEST_JSON);
  g_autoptr(TesseraRequest) row = tessera_request_new_from_json (node, NULL);
  g_autoptr(TesseraRequest) newer = tessera_request_new_from_json (node, NULL);
  g_autoptr(GString) names = g_string_new (NULL);

  g_signal_connect (row, "notify", G_CALLBACK (count_notify), names);
  g_assert_false (tessera_request_update_from (row, newer));
  tessera_request_set_state (newer, TESSERA_REQUEST_EXPIRED);
  tessera_request_set_comment (newer, NULL);
  g_assert_true (tessera_request_update_from (row, newer));
  assert_notified (names, "comment;state;");
}

/* ------------------------------------------------------------------------------------------
 * The smaller types
 * ------------------------------------------------------------------------------------------ */

static void
test_user_and_session_round_trip (void)
{
  g_autoptr(TesseraSession) session = round_trip (SESSION_JSON,
                                                  (TestDecoder) tessera_session_new_from_json,
                                                  tessera_session_to_json);
  TesseraUser *user = tessera_session_get_user (session);

  g_assert_cmpstr (tessera_session_get_token (session), ==, "tok-0123456789abcdef");
  assert_datetime (tessera_session_get_expires_at (session), "2026-11-26T18:40:00.000000Z");
  g_assert_cmpstr (tessera_user_get_username (user), ==, "alice");
  g_assert_cmpstr (tessera_user_get_display_name (user), ==, "Alice A.");
  g_assert_cmpint (tessera_user_get_role (user), ==, TESSERA_ROLE_ADMIN);

  {
    g_autoptr(TesseraUser) again = round_trip (USER_JSON, (TestDecoder) tessera_user_new_from_json,
                                               tessera_user_to_json);
    g_assert_cmpstr (tessera_user_get_username (again), ==, "alice");
  }
}

static void
test_user_and_session_decoders_refuse_with_field_path (void)
{
  const RefusedCase user_cases[] = {
    { "role", "\"root\"", TESSERA_JSON_ERROR_INVALID_VALUE, "role: unknown value \"root\"" },
    { "username", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "username: missing" },
  };
  const RefusedCase session_cases[] = {
    { "user.role", "\"root\"", TESSERA_JSON_ERROR_INVALID_VALUE, "user.role: unknown value \"root\"" },
    { "user", "null", TESSERA_JSON_ERROR_WRONG_TYPE, "user: expected an object, not null" },
    { "token", "true", TESSERA_JSON_ERROR_WRONG_TYPE, "token: expected a string" },
    { "expires_at", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "expires_at: missing" },
  };

  test_check_refused ((TestDecoder) tessera_user_new_from_json, g_object_unref, USER_JSON,
                      user_cases, G_N_ELEMENTS (user_cases));
  test_check_refused ((TestDecoder) tessera_session_new_from_json, g_object_unref, SESSION_JSON,
                      session_cases, G_N_ELEMENTS (session_cases));
}

static void
test_settings_round_trip_and_refusals (void)
{
  g_autoptr(TesseraSettings) settings = round_trip (SETTINGS_JSON,
                                                    (TestDecoder) tessera_settings_new_from_json,
                                                    tessera_settings_to_json);
  const RefusedCase cases[] = {
    { "otp_validity_hours", "0", TESSERA_JSON_ERROR_INVALID_VALUE,
      "otp_validity_hours: must be between 1 and 336" },
    { "otp_validity_hours", "337", TESSERA_JSON_ERROR_INVALID_VALUE,
      "otp_validity_hours: must be between 1 and 336" },
    { "otp_validity_hours", "8.5", TESSERA_JSON_ERROR_WRONG_TYPE,
      "otp_validity_hours: expected an integer" },
    { "auto_approve", "\"yes\"", TESSERA_JSON_ERROR_WRONG_TYPE,
      "auto_approve: expected true or false" },
    { "separation_of_duties", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER,
      "separation_of_duties: missing" },
  };

  g_assert_cmpuint (tessera_settings_get_otp_validity_hours (settings), ==, 24);
  g_assert_true (tessera_settings_get_auto_approve (settings));
  g_assert_false (tessera_settings_get_separation_of_duties (settings));
  test_check_refused ((TestDecoder) tessera_settings_new_from_json, g_object_unref, SETTINGS_JSON,
                      cases, G_N_ELEMENTS (cases));
}

static void
test_settings_defaults_and_patch (void)
{
  g_autoptr(TesseraSettings) settings = tessera_settings_new ();
  g_autoptr(TesseraSettingsPatch) patch = tessera_settings_patch_new ();
  g_autoptr(GString) names = g_string_new (NULL);

  g_assert_cmpuint (tessera_settings_get_otp_validity_hours (settings), ==, 8);
  g_assert_false (tessera_settings_get_auto_approve (settings));
  g_assert_false (tessera_settings_get_separation_of_duties (settings));

  g_signal_connect (settings, "notify", G_CALLBACK (count_notify), names);
  g_assert_false (tessera_settings_apply_patch (settings, patch));
  patch->has_auto_approve = TRUE;
  patch->auto_approve = TRUE;
  patch->has_otp_validity_hours = TRUE;
  patch->otp_validity_hours = 8;
  g_assert_true (tessera_settings_apply_patch (settings, patch));
  assert_notified (names, "auto-approve;");
  g_assert_true (tessera_settings_get_auto_approve (settings));
}

static void
test_otp_and_audit_entry_round_trip (void)
{
  g_autoptr(TesseraOtp) otp = round_trip (OTP_JSON, (TestDecoder) tessera_otp_new_from_json,
                                          tessera_otp_to_json);
  g_autoptr(TesseraAuditEntry) entry = round_trip (AUDIT_JSON,
                                                   (TestDecoder) tessera_audit_entry_new_from_json,
                                                   tessera_audit_entry_to_json);
  g_autofree char *long_detail = test_long_string (2001);
  const RefusedCase otp_cases[] = {
    { "state", "\"pending\"", TESSERA_JSON_ERROR_INVALID_VALUE, "state: unknown value \"pending\"" },
    { "issued_at", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "issued_at: missing" },
  };
  const RefusedCase audit_cases[] = {
    { "detail", long_detail, TESSERA_JSON_ERROR_TOO_LONG, "detail: longer than 2000 bytes" },
    { "at", "\"2026-11-25\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "at: expected an RFC 3339 timestamp with a time zone, such as \"2026-11-25T18:40:00Z\"" },
    { "actor", "null", TESSERA_JSON_ERROR_WRONG_TYPE, "actor: expected a string, not null" },
  };
  const AcceptedCase audit_accepted[] = {
    { "target", "null" }, { "source_address", NULL }, { "detail", "null" },
  };

  g_assert_cmpstr (tessera_otp_get_id (otp), ==, "otp-1");
  g_assert_cmpstr (tessera_otp_get_account_id (otp), ==, "acc-1");
  g_assert_cmpstr (tessera_otp_get_issued_by (otp), ==, "alice");
  assert_datetime (tessera_otp_get_issued_at (otp), "2026-11-25T18:40:00.000000Z");
  assert_datetime (tessera_otp_get_expires_at (otp), "2026-11-26T02:40:00.000000Z");
  g_assert_cmpint (tessera_otp_get_state (otp), ==, TESSERA_OTP_REDEEMED);

  g_assert_cmpstr (tessera_audit_entry_get_id (entry), ==, "aud-1");
  assert_datetime (tessera_audit_entry_get_at (entry), "2026-11-25T18:40:00.000000Z");
  g_assert_cmpstr (tessera_audit_entry_get_actor (entry), ==, "alice");
  g_assert_cmpstr (tessera_audit_entry_get_action (entry), ==, "otp.issue");
  g_assert_cmpstr (tessera_audit_entry_get_target (entry), ==, "acc-1");
  g_assert_cmpstr (tessera_audit_entry_get_source_address (entry), ==, "192.0.2.7");
  g_assert_cmpstr (tessera_audit_entry_get_detail (entry), ==, "batch batch-1");

  test_check_refused ((TestDecoder) tessera_otp_new_from_json, g_object_unref, OTP_JSON,
                      otp_cases, G_N_ELEMENTS (otp_cases));
  test_check_refused ((TestDecoder) tessera_audit_entry_new_from_json, g_object_unref, AUDIT_JSON,
                      audit_cases, G_N_ELEMENTS (audit_cases));
  test_check_accepted ((TestDecoder) tessera_audit_entry_new_from_json, g_object_unref,
                       AUDIT_JSON, audit_accepted, G_N_ELEMENTS (audit_accepted));
}

static void
test_redemption_round_trip_and_refusals (void)
{
  g_autoptr(TesseraRedemption) redemption = round_trip (REDEMPTION_JSON,
                                                        (TestDecoder) tessera_redemption_new_from_json,
                                                        tessera_redemption_to_json);
  g_autofree char *long_password = test_long_string (1025);
  const RefusedCase cases[] = {
    { "sign_in.password", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "sign_in.password: missing" },
    { "sign_in.password", long_password, TESSERA_JSON_ERROR_TOO_LONG,
      "sign_in.password: longer than 1024 bytes" },
    { "state", "\"accepted\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "state: unknown value \"accepted\"" },
    { "rejection_reason", "\"none\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "rejection_reason: unknown value \"none\"" },
  };
  const AcceptedCase accepted[] = {
    { "poll_token", NULL }, { "sign_in", NULL }, { "sign_in", "null" },
    { "rejection_reason", "\"security_concern\"" },
  };

  g_assert_cmpstr (tessera_redemption_get_id (redemption), ==, "red-1");
  g_assert_cmpstr (tessera_redemption_get_poll_token (redemption), ==, "poll-secret");
  g_assert_cmpint (tessera_redemption_get_state (redemption), ==, TESSERA_REQUEST_APPROVED);
  assert_datetime (tessera_redemption_get_expires_at (redemption), "2026-11-26T02:40:00.000000Z");
  g_assert_cmpint (tessera_redemption_get_rejection_reason (redemption), ==,
                   TESSERA_REJECTION_NONE);
  g_assert_cmpstr (tessera_redemption_get_sign_in_upn (redemption), ==, "room1@example.com");
  g_assert_cmpstr (tessera_redemption_get_sign_in_password (redemption), ==, "p@ss");

  test_check_refused ((TestDecoder) tessera_redemption_new_from_json, g_object_unref,
                      REDEMPTION_JSON, cases, G_N_ELEMENTS (cases));
  test_check_accepted ((TestDecoder) tessera_redemption_new_from_json, g_object_unref,
                       REDEMPTION_JSON, accepted, G_N_ELEMENTS (accepted));
}

static void
test_redemption_writes_secrets_only_when_set (void)
{
  g_autoptr(TesseraRedemption) redemption = tessera_redemption_new ("red-2");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *json = NULL;

  tessera_redemption_set_expires_at (redemption, now);
  tessera_redemption_set_state (redemption, TESSERA_REQUEST_COMPLETED);
  json = test_encode (redemption, tessera_redemption_to_json);
  g_assert_null (strstr (json, "poll_token"));
  g_assert_null (strstr (json, "sign_in"));
  g_assert_null (strstr (json, "rejection_reason"));
  g_assert_nonnull (strstr (json, "\"state\":\"completed\""));
}

static void
test_otp_batch_round_trip_and_refusals (void)
{
  g_autoptr(TesseraOtpBatch) batch = round_trip (BATCH_JSON,
                                                 (TestDecoder) tessera_otp_batch_new_from_json,
                                                 tessera_otp_batch_to_json);
  GPtrArray *results = tessera_otp_batch_get_results (batch);
  TesseraOtpResult *issued, *refused;
  const RefusedCase cases[] = {
    { "results[1].status", "\"maybe\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "results[1].status: unknown value \"maybe\"" },
    { "results[1].error.code", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER,
      "results[1].error.code: missing" },
    { "results[0].otp.code", "\"0123-4567-89AB-CDEZ\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "results[0].otp.code: not a valid OTP code" },
    { "results[0].otp.code", "\"0123456789ABCDEI\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "results[0].otp.code: not a valid OTP code" },
    { "results[0].otp.code", "\"0123456789ABCDEF\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "results[0].otp.code: not a valid OTP code" },
    { "results[0].otp", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "results[0].otp: missing" },
    { "results[0]", "[]", TESSERA_JSON_ERROR_WRONG_TYPE, "results[0]: expected an object" },
    { "created_at", "\"yesterday\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "created_at: expected an RFC 3339 timestamp with a time zone, "
      "such as \"2026-11-25T18:40:00Z\"" },
  };

  g_assert_cmpstr (tessera_otp_batch_get_id (batch), ==, "batch-1");
  assert_datetime (tessera_otp_batch_get_created_at (batch), "2026-11-25T18:40:00.000000Z");
  g_assert_cmpuint (results->len, ==, 2);
  issued = g_ptr_array_index (results, 0);
  refused = g_ptr_array_index (results, 1);
  g_assert_cmpstr (tessera_otp_result_get_account_id (issued), ==, "acc-1");
  g_assert_cmpint (tessera_otp_result_get_status (issued), ==, TESSERA_OTP_RESULT_ISSUED);
  g_assert_cmpstr (tessera_otp_result_get_otp_id (issued), ==, "otp-1");
  g_assert_cmpstr (tessera_otp_result_get_code (issued), ==, "0123456789ABCDEZ");
  assert_datetime (tessera_otp_result_get_expires_at (issued), "2026-11-26T02:40:00.000000Z");
  g_assert_cmpstr (tessera_otp_result_get_password (issued), ==, "generated");
  g_assert_null (tessera_otp_result_get_error_code (issued));
  g_assert_cmpint (tessera_otp_result_get_status (refused), ==, TESSERA_OTP_RESULT_REFUSED);
  g_assert_cmpstr (tessera_otp_result_get_error_code (refused), ==, "not_ready");
  g_assert_cmpstr (tessera_otp_result_get_error_detail (refused), ==, "No valid license");
  g_assert_null (tessera_otp_result_get_code (refused));

  test_check_refused ((TestDecoder) tessera_otp_batch_new_from_json, g_object_unref, BATCH_JSON,
                      cases, G_N_ELEMENTS (cases));
}

static void
test_event_round_trips_every_type (void)
{
  g_autoptr(TesseraEvent) account_event = round_trip (EVENT_JSON,
                                                      (TestDecoder) tessera_event_new_from_json,
                                                      tessera_event_to_json);
  g_autoptr(JsonNode) request_node = test_parse (REQUEST_JSON);
  g_autoptr(TesseraRequest) request = tessera_request_new_from_json (request_node, NULL);
  g_autoptr(TesseraSettings) settings = tessera_settings_new ();
  g_autoptr(TesseraEvent) created = tessera_event_new_request (TESSERA_EVENT_REQUEST_CREATED,
                                                               request);
  g_autoptr(TesseraEvent) updated = tessera_event_new_settings_updated (settings);
  g_autofree char *created_json = test_encode (created, tessera_event_to_json);
  g_autofree char *updated_json = test_encode (updated, tessera_event_to_json);
  g_autoptr(TesseraEvent) created_back = round_trip (created_json,
                                                     (TestDecoder) tessera_event_new_from_json,
                                                     tessera_event_to_json);
  g_autoptr(TesseraEvent) updated_back = round_trip (updated_json,
                                                     (TestDecoder) tessera_event_new_from_json,
                                                     tessera_event_to_json);

  g_assert_cmpint (tessera_event_get_event_type (account_event), ==,
                   TESSERA_EVENT_ACCOUNT_UPDATED);
  g_assert_cmpstr (tessera_account_get_id (tessera_event_get_account (account_event)), ==,
                   "acc-1");
  g_assert_null (tessera_event_get_request (account_event));
  g_assert_null (tessera_event_get_settings (account_event));

  g_assert_true (g_str_has_prefix (created_json, "{\"type\":\"request.created\",\"request\":{"));
  g_assert_cmpint (tessera_event_get_event_type (created_back), ==, TESSERA_EVENT_REQUEST_CREATED);
  g_assert_cmpstr (tessera_request_get_id (tessera_event_get_request (created_back)), ==, "req-1");
  g_assert_null (tessera_event_get_account (created_back));

  g_assert_cmpint (tessera_event_get_event_type (updated_back), ==,
                   TESSERA_EVENT_SETTINGS_UPDATED);
  g_assert_cmpuint (tessera_settings_get_otp_validity_hours (tessera_event_get_settings (updated_back)),
                    ==, 8);
}

static void
test_event_decoder_refuses_with_field_path (void)
{
  const RefusedCase cases[] = {
    { "type", "\"account.deleted\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "type: unknown value \"account.deleted\"" },
    { "account", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "account: missing" },
    { "account.upn", "1", TESSERA_JSON_ERROR_WRONG_TYPE, "account.upn: expected a string" },
    { "account.provisioning.state", "\"x\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "account.provisioning.state: unknown value \"x\"" },
    { "type", "\"request.created\"", TESSERA_JSON_ERROR_MISSING_MEMBER, "request: missing" },
  };

  test_check_refused ((TestDecoder) tessera_event_new_from_json, g_object_unref, EVENT_JSON,
                      cases, G_N_ELEMENTS (cases));
}

static void
test_decoders_refuse_non_objects (void)
{
  const TestDecoder decoders[] = {
    (TestDecoder) tessera_account_new_from_json, (TestDecoder) tessera_request_new_from_json,
    (TestDecoder) tessera_user_new_from_json, (TestDecoder) tessera_session_new_from_json,
    (TestDecoder) tessera_settings_new_from_json, (TestDecoder) tessera_otp_new_from_json,
    (TestDecoder) tessera_redemption_new_from_json, (TestDecoder) tessera_otp_batch_new_from_json,
    (TestDecoder) tessera_otp_result_new_from_json, (TestDecoder) tessera_audit_entry_new_from_json,
    (TestDecoder) tessera_event_new_from_json,
  };
  g_autoptr(JsonNode) array = test_parse ("[]");

  for (gsize i = 0; i < G_N_ELEMENTS (decoders); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (decoders[i] (array, &error));
      g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE);
      g_clear_error (&error);
      g_assert_null (decoders[i] (NULL, &error));
      g_assert_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/unit/json/account/round-trips", test_account_round_trips);
  g_test_add_func ("/unit/json/account/encodes-optional-members-only-when-set",
                   test_account_encodes_optional_members_only_when_set);
  g_test_add_func ("/unit/json/account/decoder-refuses-with-field-path",
                   test_account_decoder_refuses_with_field_path);
  g_test_add_func ("/unit/json/account/readiness-derive-follows-license-then-issues",
                   test_readiness_derive_follows_license_then_issues);
  g_test_add_func ("/unit/json/account/setters-rederive-readiness",
                   test_account_setters_rederive_readiness);
  g_test_add_func ("/unit/json/account/update-from-notifies-only-changed-properties",
                   test_account_update_from_notifies_only_changed_properties);
  g_test_add_func ("/unit/json/account/setters-notify-only-on-change",
                   test_account_setters_notify_only_on_change);
  g_test_add_func ("/unit/json/account/reports-its-size", test_account_reports_its_size);
  g_test_add_func ("/unit/json/request/round-trips", test_request_round_trips);
  g_test_add_func ("/unit/json/request/omits-unset-resolution", test_request_omits_unset_resolution);
  g_test_add_func ("/unit/json/request/decoder-refuses-with-field-path",
                   test_request_decoder_refuses_with_field_path);
  g_test_add_func ("/unit/json/request/update-from-notifies-only-changed-properties",
                   test_request_update_from_notifies_only_changed_properties);
  g_test_add_func ("/unit/json/user-session/round-trip", test_user_and_session_round_trip);
  g_test_add_func ("/unit/json/user-session/decoders-refuse-with-field-path",
                   test_user_and_session_decoders_refuse_with_field_path);
  g_test_add_func ("/unit/json/settings/round-trip-and-refusals",
                   test_settings_round_trip_and_refusals);
  g_test_add_func ("/unit/json/settings/defaults-and-patch", test_settings_defaults_and_patch);
  g_test_add_func ("/unit/json/otp-audit/round-trip-and-refusals",
                   test_otp_and_audit_entry_round_trip);
  g_test_add_func ("/unit/json/redemption/round-trip-and-refusals",
                   test_redemption_round_trip_and_refusals);
  g_test_add_func ("/unit/json/redemption/writes-secrets-only-when-set",
                   test_redemption_writes_secrets_only_when_set);
  g_test_add_func ("/unit/json/otp-batch/round-trip-and-refusals",
                   test_otp_batch_round_trip_and_refusals);
  g_test_add_func ("/unit/json/event/round-trips-every-type", test_event_round_trips_every_type);
  g_test_add_func ("/unit/json/event/decoder-refuses-with-field-path",
                   test_event_decoder_refuses_with_field_path);
  g_test_add_func ("/unit/json/types/decoders-refuse-non-objects", test_decoders_refuse_non_objects);

  return g_test_run ();
}

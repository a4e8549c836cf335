/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tessera-types.h"
#include "test-json-codecs-common.h"

#define DEVICE_JSON "{\"make\":\"Logi\",\"model\":\"Tap\",\"serial_number\":\"SN-1\"}"

#define LOGIN_JSON "{\"username\":\"alice\",\"password\":\"correct horse\"}"

#define BATCH_GENERATE_JSON                                                                 \
  "{\"account_ids\":[\"acc-1\",\"acc-2\",\"acc-3\",\"acc-4\"],\"password_mode\":\"generate\"," \
  "\"validity_hours\":24,\"return_passwords\":true}"

#define BATCH_PROVIDED_JSON                                                                 \
  "{\"account_ids\":[\"acc-1\"],\"password_mode\":\"provided\","                             \
  "\"sign_in_data\":[{\"upn\":\"room1@example.com\",\"password\":\"p1\"}]}"

#define RESOLUTION_JSON                                                                     \
  "{\"decision\":\"reject\",\"reason\":\"wrong_room\",\"comment\":\"Wrong building\"}"

#define SETTINGS_PATCH_JSON "{\"otp_validity_hours\":12,\"auto_approve\":false}"

#define REDEMPTION_SPEC_JSON "{\"code\":\"0123-4567-89AB-CDEF\",\"device\":" DEVICE_JSON "}"

#define PROBLEM_JSON                                                                        \
  "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,"                         \
  "\"detail\":\"Already resolved by bob\",\"code\":\"already_resolved\","                    \
  "\"request\":{\"id\":\"req-1\",\"resolved_by\":\"bob\"},\"retry_after\":30}"

typedef void (*StructEncoder) (gconstpointer self, JsonBuilder *builder);

/* Decode, encode, decode again: the two encodings must be identical text. */
static gpointer
round_trip (const char     *json,
            TestDecoder     decode,
            StructEncoder   encode,
            GDestroyNotify  free_func)
{
  g_autoptr(JsonNode) node = test_parse (json);
  g_autoptr(GError) error = NULL;
  gpointer first = decode (node, &error);
  gpointer second;
  g_autofree char *encoded = NULL;
  g_autofree char *encoded_again = NULL;
  g_autoptr(JsonNode) encoded_node = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (first);
  encoded = test_encode (first, encode);
  free_func (first);

  encoded_node = test_parse (encoded);
  second = decode (encoded_node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  encoded_again = test_encode (second, encode);
  g_assert_cmpstr (encoded, ==, encoded_again);

  return second;
}

static void
test_device_info_round_trip_and_refusals (void)
{
  g_autoptr(TesseraDeviceInfo) device = round_trip (DEVICE_JSON,
                                                    (TestDecoder) tessera_device_info_new_from_json,
                                                    (StructEncoder) tessera_device_info_to_json,
                                                    (GDestroyNotify) tessera_device_info_free);
  g_autoptr(TesseraDeviceInfo) copy = tessera_device_info_copy (device);
  g_autofree char *long_serial = test_long_string (129);
  g_autofree char *just_fits = test_long_string (128);
  const RefusedCase cases[] = {
    { "serial_number", long_serial, TESSERA_JSON_ERROR_TOO_LONG,
      "serial_number: longer than 128 bytes" },
    { "make", "null", TESSERA_JSON_ERROR_WRONG_TYPE, "make: expected a string, not null" },
    { "model", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "model: missing" },
  };
  const AcceptedCase accepted[] = {
    { "serial_number", just_fits }, { "firmware", "\"1.0\"" },
  };

  g_assert_cmpstr (device->make, ==, "Logi");
  g_assert_cmpstr (device->model, ==, "Tap");
  g_assert_cmpstr (device->serial_number, ==, "SN-1");
  g_assert_true (copy != device && copy->make != device->make);
  g_assert_cmpstr (copy->serial_number, ==, "SN-1");
  g_assert_null (tessera_device_info_copy (NULL));

  test_check_refused ((TestDecoder) tessera_device_info_new_from_json,
                      (GDestroyNotify) tessera_device_info_free, DEVICE_JSON,
                      cases, G_N_ELEMENTS (cases));
  test_check_accepted ((TestDecoder) tessera_device_info_new_from_json,
                       (GDestroyNotify) tessera_device_info_free, DEVICE_JSON,
                       accepted, G_N_ELEMENTS (accepted));
}

static void
test_login_round_trip_and_refusals (void)
{
  g_autoptr(TesseraLogin) login = round_trip (LOGIN_JSON,
                                              (TestDecoder) tessera_login_new_from_json,
                                              (StructEncoder) tessera_login_to_json,
                                              (GDestroyNotify) tessera_login_free);
  g_autofree char *long_password = test_long_string (1025);
  g_autofree char *long_username = test_long_string (257);
  const RefusedCase cases[] = {
    { "password", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "password: missing" },
    { "password", long_password, TESSERA_JSON_ERROR_TOO_LONG, "password: longer than 1024 bytes" },
    { "username", "[\"alice\"]", TESSERA_JSON_ERROR_WRONG_TYPE, "username: expected a string" },
    { "username", long_username, TESSERA_JSON_ERROR_TOO_LONG, "username: longer than 256 bytes" },
  };

  g_assert_cmpstr (login->username, ==, "alice");
  g_assert_cmpstr (login->password, ==, "correct horse");
  test_check_refused ((TestDecoder) tessera_login_new_from_json,
                      (GDestroyNotify) tessera_login_free, LOGIN_JSON,
                      cases, G_N_ELEMENTS (cases));
}

static void
test_batch_spec_round_trips_both_modes (void)
{
  g_autoptr(TesseraBatchSpec) generate = round_trip (BATCH_GENERATE_JSON,
                                                     (TestDecoder) tessera_batch_spec_new_from_json,
                                                     (StructEncoder) tessera_batch_spec_to_json,
                                                     (GDestroyNotify) tessera_batch_spec_free);
  g_autoptr(TesseraBatchSpec) provided = round_trip (BATCH_PROVIDED_JSON,
                                                     (TestDecoder) tessera_batch_spec_new_from_json,
                                                     (StructEncoder) tessera_batch_spec_to_json,
                                                     (GDestroyNotify) tessera_batch_spec_free);
  TesseraSignIn *sign_in;

  g_assert_cmpuint (g_strv_length (generate->account_ids), ==, 4);
  g_assert_cmpstr (generate->account_ids[3], ==, "acc-4");
  g_assert_cmpint (generate->password_mode, ==, TESSERA_PASSWORD_MODE_GENERATE);
  g_assert_null (generate->sign_in_data);
  g_assert_cmpuint (generate->validity_hours, ==, 24);
  g_assert_true (generate->return_passwords);

  g_assert_cmpint (provided->password_mode, ==, TESSERA_PASSWORD_MODE_PROVIDED);
  g_assert_cmpuint (provided->validity_hours, ==, 0);
  g_assert_false (provided->return_passwords);
  g_assert_cmpuint (provided->sign_in_data->len, ==, 1);
  sign_in = g_ptr_array_index (provided->sign_in_data, 0);
  g_assert_cmpstr (sign_in->upn, ==, "room1@example.com");
  g_assert_cmpstr (sign_in->password, ==, "p1");
}

static char *
many_account_ids (guint n)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s\"acc-%u\"", i > 0 ? "," : "", i);
  g_string_append_c (s, ']');

  return g_string_free (s, FALSE);
}

static void
test_batch_spec_decoder_refuses_with_field_path (void)
{
  g_autofree char *ids_1001 = many_account_ids (1001);
  g_autofree char *ids_1000 = many_account_ids (1000);
  g_autofree char *long_password = test_long_string (1025);
  const RefusedCase generate_cases[] = {
    { "account_ids[3]", "4", TESSERA_JSON_ERROR_WRONG_TYPE, "account_ids[3]: expected a string" },
    { "account_ids", ids_1001, TESSERA_JSON_ERROR_TOO_LONG,
      "account_ids: at most 1000 accounts a batch" },
    { "account_ids", "[]", TESSERA_JSON_ERROR_INVALID_VALUE,
      "account_ids: at least one account is needed" },
    { "account_ids", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "account_ids: missing" },
    { "account_ids[2]", "\"acc-1\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "account_ids[2]: the same account appears twice" },
    { "password_mode", "\"random\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "password_mode: unknown value \"random\"" },
    { "validity_hours", "337", TESSERA_JSON_ERROR_INVALID_VALUE,
      "validity_hours: must be between 1 and 336" },
    { "validity_hours", "0", TESSERA_JSON_ERROR_INVALID_VALUE,
      "validity_hours: must be between 1 and 336" },
    { "validity_hours", "\"24\"", TESSERA_JSON_ERROR_WRONG_TYPE,
      "validity_hours: expected an integer" },
    { "return_passwords", "1", TESSERA_JSON_ERROR_WRONG_TYPE,
      "return_passwords: expected true or false" },
    { "password_mode", "\"provided\"", TESSERA_JSON_ERROR_MISSING_MEMBER,
      "sign_in_data: needed when password_mode is \"provided\"" },
  };
  const RefusedCase provided_cases[] = {
    { "sign_in_data[0].password", long_password, TESSERA_JSON_ERROR_TOO_LONG,
      "sign_in_data[0].password: longer than 1024 bytes" },
    { "sign_in_data[0].upn", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER,
      "sign_in_data[0].upn: missing" },
    { "sign_in_data[0]", "\"room1@example.com:p1\"", TESSERA_JSON_ERROR_WRONG_TYPE,
      "sign_in_data[0]: expected an object" },
    { "sign_in_data", "null", TESSERA_JSON_ERROR_MISSING_MEMBER,
      "sign_in_data: needed when password_mode is \"provided\"" },
    { "sign_in_data", "{}", TESSERA_JSON_ERROR_WRONG_TYPE, "sign_in_data: expected an array" },
  };
  const AcceptedCase accepted[] = {
    { "account_ids", ids_1000 },
    { "validity_hours", NULL },
    { "return_passwords", NULL },
    { "sign_in_data", "\"ignored with generated passwords\"" },
    { "idempotency", "\"not ours\"" },
  };

  test_check_refused ((TestDecoder) tessera_batch_spec_new_from_json,
                      (GDestroyNotify) tessera_batch_spec_free, BATCH_GENERATE_JSON,
                      generate_cases, G_N_ELEMENTS (generate_cases));
  test_check_refused ((TestDecoder) tessera_batch_spec_new_from_json,
                      (GDestroyNotify) tessera_batch_spec_free, BATCH_PROVIDED_JSON,
                      provided_cases, G_N_ELEMENTS (provided_cases));
  test_check_accepted ((TestDecoder) tessera_batch_spec_new_from_json,
                       (GDestroyNotify) tessera_batch_spec_free, BATCH_GENERATE_JSON,
                       accepted, G_N_ELEMENTS (accepted));
}

static void
test_resolution_round_trip_and_refusals (void)
{
  g_autoptr(TesseraResolution) resolution = round_trip (RESOLUTION_JSON,
                                                        (TestDecoder) tessera_resolution_new_from_json,
                                                        (StructEncoder) tessera_resolution_to_json,
                                                        (GDestroyNotify) tessera_resolution_free);
  g_autofree char *long_comment = test_long_string (2001);
  const RefusedCase cases[] = {
    { "reason", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER,
      "reason: needed when decision is \"reject\"" },
    { "reason", "null", TESSERA_JSON_ERROR_MISSING_MEMBER,
      "reason: needed when decision is \"reject\"" },
    { "reason", "\"none\"", TESSERA_JSON_ERROR_INVALID_VALUE, "reason: unknown value \"none\"" },
    { "reason", "\"because\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "reason: unknown value \"because\"" },
    { "decision", "\"maybe\"", TESSERA_JSON_ERROR_INVALID_VALUE,
      "decision: unknown value \"maybe\"" },
    { "decision", "true", TESSERA_JSON_ERROR_WRONG_TYPE, "decision: expected a string" },
    { "comment", long_comment, TESSERA_JSON_ERROR_TOO_LONG, "comment: longer than 2000 bytes" },
  };
  const AcceptedCase accepted[] = {
    { "comment", "null" }, { "comment", NULL },
  };

  g_assert_cmpint (resolution->decision, ==, TESSERA_DECISION_REJECT);
  g_assert_cmpint (resolution->reason, ==, TESSERA_REJECTION_WRONG_ROOM);
  g_assert_cmpstr (resolution->comment, ==, "Wrong building");

  test_check_refused ((TestDecoder) tessera_resolution_new_from_json,
                      (GDestroyNotify) tessera_resolution_free, RESOLUTION_JSON,
                      cases, G_N_ELEMENTS (cases));
  test_check_accepted ((TestDecoder) tessera_resolution_new_from_json,
                       (GDestroyNotify) tessera_resolution_free, RESOLUTION_JSON,
                       accepted, G_N_ELEMENTS (accepted));
}

static void
test_resolution_approval_ignores_reason (void)
{
  g_autoptr(JsonNode) node = test_parse ("{\"decision\":\"approve\",\"reason\":\"none\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesseraResolution) resolution = tessera_resolution_new_from_json (node, &error);
  g_autoptr(TesseraResolution) odd = tessera_resolution_new (TESSERA_DECISION_APPROVE,
                                                             TESSERA_REJECTION_OTHER, NULL);
  g_autofree char *json = test_encode (odd, tessera_resolution_to_json);

  g_assert_no_error (error);
  g_assert_cmpint (resolution->decision, ==, TESSERA_DECISION_APPROVE);
  g_assert_cmpint (resolution->reason, ==, TESSERA_REJECTION_NONE);
  g_assert_cmpstr (json, ==, "{\"decision\":\"approve\"}");
}

static void
test_settings_patch_keeps_left_out_members (void)
{
  g_autoptr(TesseraSettingsPatch) patch = round_trip (SETTINGS_PATCH_JSON,
                                                      (TestDecoder) tessera_settings_patch_new_from_json,
                                                      (StructEncoder) tessera_settings_patch_to_json,
                                                      (GDestroyNotify) tessera_settings_patch_free);
  g_autoptr(JsonNode) empty_node = test_parse ("{}");
  g_autoptr(TesseraSettingsPatch) empty = tessera_settings_patch_new_from_json (empty_node, NULL);
  g_autofree char *empty_json = test_encode (empty, tessera_settings_patch_to_json);
  const RefusedCase cases[] = {
    { "otp_validity_hours", "0", TESSERA_JSON_ERROR_INVALID_VALUE,
      "otp_validity_hours: must be between 1 and 336" },
    { "otp_validity_hours", "337", TESSERA_JSON_ERROR_INVALID_VALUE,
      "otp_validity_hours: must be between 1 and 336" },
    { "otp_validity_hours", "8.5", TESSERA_JSON_ERROR_WRONG_TYPE,
      "otp_validity_hours: expected an integer" },
    { "auto_approve", "\"false\"", TESSERA_JSON_ERROR_WRONG_TYPE,
      "auto_approve: expected true or false" },
    { "separation_of_duties", "0", TESSERA_JSON_ERROR_WRONG_TYPE,
      "separation_of_duties: expected true or false" },
  };
  const AcceptedCase accepted[] = {
    { "otp_validity_hours", "1" }, { "otp_validity_hours", "336" },
  };

  g_assert_true (patch->has_otp_validity_hours);
  g_assert_cmpuint (patch->otp_validity_hours, ==, 12);
  g_assert_true (patch->has_auto_approve);
  g_assert_false (patch->auto_approve);
  g_assert_false (patch->has_separation_of_duties);

  g_assert_nonnull (empty);
  g_assert_false (empty->has_otp_validity_hours);
  g_assert_false (empty->has_auto_approve);
  g_assert_false (empty->has_separation_of_duties);
  g_assert_cmpstr (empty_json, ==, "{}");

  test_check_refused ((TestDecoder) tessera_settings_patch_new_from_json,
                      (GDestroyNotify) tessera_settings_patch_free, SETTINGS_PATCH_JSON,
                      cases, G_N_ELEMENTS (cases));
  test_check_accepted ((TestDecoder) tessera_settings_patch_new_from_json,
                       (GDestroyNotify) tessera_settings_patch_free, SETTINGS_PATCH_JSON,
                       accepted, G_N_ELEMENTS (accepted));
}

static void
test_redemption_spec_round_trip_and_refusals (void)
{
  g_autoptr(TesseraRedemptionSpec) spec = round_trip (REDEMPTION_SPEC_JSON,
                                                      (TestDecoder) tessera_redemption_spec_new_from_json,
                                                      (StructEncoder) tessera_redemption_spec_to_json,
                                                      (GDestroyNotify) tessera_redemption_spec_free);
  g_autofree char *long_serial = test_long_string (129);
  g_autofree char *long_code = test_long_string (65);
  const RefusedCase cases[] = {
    { "device.serial_number", long_serial, TESSERA_JSON_ERROR_TOO_LONG,
      "device.serial_number: longer than 128 bytes" },
    { "device.model", "5", TESSERA_JSON_ERROR_WRONG_TYPE, "device.model: expected a string" },
    { "device", NULL, TESSERA_JSON_ERROR_MISSING_MEMBER, "device: missing" },
    { "device", "[]", TESSERA_JSON_ERROR_WRONG_TYPE, "device: expected an object" },
    { "code", long_code, TESSERA_JSON_ERROR_TOO_LONG, "code: longer than 64 bytes" },
    { "code", "1234", TESSERA_JSON_ERROR_WRONG_TYPE, "code: expected a string" },
  };

  g_assert_cmpstr (spec->code, ==, "0123-4567-89AB-CDEF");
  g_assert_cmpstr (spec->device->make, ==, "Logi");
  g_assert_cmpstr (spec->device->serial_number, ==, "SN-1");

  test_check_refused ((TestDecoder) tessera_redemption_spec_new_from_json,
                      (GDestroyNotify) tessera_redemption_spec_free, REDEMPTION_SPEC_JSON,
                      cases, G_N_ELEMENTS (cases));
}

static void
test_problem_keeps_unknown_members (void)
{
  g_autoptr(TesseraProblem) problem = round_trip (PROBLEM_JSON,
                                                  (TestDecoder) tessera_problem_new_from_json,
                                                  (StructEncoder) tessera_problem_to_json,
                                                  (GDestroyNotify) tessera_problem_free);
  JsonObject *request;
  const RefusedCase cases[] = {
    { "status", "\"409\"", TESSERA_JSON_ERROR_WRONG_TYPE, "status: expected an integer" },
    { "status", "99", TESSERA_JSON_ERROR_INVALID_VALUE, "status: must be between 100 and 599" },
    { "code", "{}", TESSERA_JSON_ERROR_WRONG_TYPE, "code: expected a string" },
  };

  g_assert_cmpuint (problem->status, ==, 409);
  g_assert_cmpstr (problem->type, ==, "about:blank");
  g_assert_cmpstr (problem->title, ==, "Conflict");
  g_assert_cmpstr (problem->detail, ==, "Already resolved by bob");
  g_assert_cmpstr (problem->code, ==, "already_resolved");
  g_assert_nonnull (problem->extra);
  g_assert_cmpuint (json_object_get_size (problem->extra), ==, 2);
  request = json_object_get_object_member (problem->extra, "request");
  g_assert_cmpstr (json_object_get_string_member (request, "resolved_by"), ==, "bob");
  g_assert_cmpint (json_object_get_int_member (problem->extra, "retry_after"), ==, 30);

  test_check_refused ((TestDecoder) tessera_problem_new_from_json,
                      (GDestroyNotify) tessera_problem_free, PROBLEM_JSON,
                      cases, G_N_ELEMENTS (cases));
}

static void
test_problem_members_are_all_optional (void)
{
  g_autoptr(JsonNode) node = test_parse ("{}");
  g_autoptr(GError) error = NULL;
  g_autoptr(TesseraProblem) problem = tessera_problem_new_from_json (node, &error);
  g_autoptr(TesseraProblem) made = tessera_problem_new (429, "rate_limited", "Too many attempts",
                                                        NULL);
  g_autofree char *json = test_encode (made, tessera_problem_to_json);

  g_assert_no_error (error);
  g_assert_cmpuint (problem->status, ==, 0);
  g_assert_cmpstr (problem->type, ==, "about:blank");
  g_assert_null (problem->title);
  g_assert_null (problem->code);
  g_assert_null (problem->extra);
  g_assert_cmpstr (json, ==, "{\"type\":\"about:blank\",\"title\":\"Too many attempts\","
                             "\"status\":429,\"code\":\"rate_limited\"}");
}

/* Wiping is not observable after free; what we can prove is that every free function
 * copes with NULL and with a struct a failed decoder or a caller left half-built. */
static void
test_free_functions_accept_null_and_partial_structs (void)
{
  TesseraLogin *login = g_new0 (TesseraLogin, 1);
  TesseraSignIn *sign_in = g_new0 (TesseraSignIn, 1);
  TesseraRedemptionSpec *spec = g_new0 (TesseraRedemptionSpec, 1);
  TesseraBatchSpec *batch = tessera_batch_spec_new ();
  TesseraProblem *problem = g_new0 (TesseraProblem, 1);
  TesseraDeviceInfo *device = g_new0 (TesseraDeviceInfo, 1);
  TesseraResolution *resolution = g_new0 (TesseraResolution, 1);

  tessera_login_free (NULL);
  tessera_sign_in_free (NULL);
  tessera_redemption_spec_free (NULL);
  tessera_batch_spec_free (NULL);
  tessera_problem_free (NULL);
  tessera_device_info_free (NULL);
  tessera_resolution_free (NULL);
  tessera_settings_patch_free (NULL);

  login->password = g_strdup ("only the password");
  sign_in->upn = g_strdup ("only@upn");
  spec->code = g_strdup ("ABCD");
  batch->sign_in_data = g_ptr_array_new_with_free_func ((GDestroyNotify) tessera_sign_in_free);
  g_ptr_array_add (batch->sign_in_data, tessera_sign_in_new ("u", NULL));
  problem->title = g_strdup ("t");
  device->model = g_strdup ("m");

  tessera_login_free (login);
  tessera_sign_in_free (sign_in);
  tessera_redemption_spec_free (spec);
  tessera_batch_spec_free (batch);
  tessera_problem_free (problem);
  tessera_device_info_free (device);
  tessera_resolution_free (resolution);

  {
    g_autoptr(TesseraLogin) auto_login = tessera_login_new ("u", "p");
    g_autoptr(TesseraSignIn) auto_sign_in = tessera_sign_in_new (NULL, "p");
    g_autoptr(TesseraRedemptionSpec) auto_spec = tessera_redemption_spec_new ("c", NULL);

    g_assert_cmpstr (auto_login->password, ==, "p");
    g_assert_null (auto_sign_in->upn);
    g_assert_null (auto_spec->device);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/unit/json/bodies/device-info-round-trip-and-refusals",
                   test_device_info_round_trip_and_refusals);
  g_test_add_func ("/unit/json/bodies/login-round-trip-and-refusals",
                   test_login_round_trip_and_refusals);
  g_test_add_func ("/unit/json/bodies/batch-spec-round-trips-both-modes",
                   test_batch_spec_round_trips_both_modes);
  g_test_add_func ("/unit/json/bodies/batch-spec-decoder-refuses-with-field-path",
                   test_batch_spec_decoder_refuses_with_field_path);
  g_test_add_func ("/unit/json/bodies/resolution-round-trip-and-refusals",
                   test_resolution_round_trip_and_refusals);
  g_test_add_func ("/unit/json/bodies/resolution-approval-ignores-reason",
                   test_resolution_approval_ignores_reason);
  g_test_add_func ("/unit/json/bodies/settings-patch-keeps-left-out-members",
                   test_settings_patch_keeps_left_out_members);
  g_test_add_func ("/unit/json/bodies/redemption-spec-round-trip-and-refusals",
                   test_redemption_spec_round_trip_and_refusals);
  g_test_add_func ("/unit/json/bodies/problem-keeps-unknown-members",
                   test_problem_keeps_unknown_members);
  g_test_add_func ("/unit/json/bodies/problem-members-are-all-optional",
                   test_problem_members_are_all_optional);
  g_test_add_func ("/unit/json/bodies/free-functions-accept-null-and-partial-structs",
                   test_free_functions_accept_null_and_partial_structs);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tessera-enums.h"

/* The API names are a contract: a renamed nick would break every client in the field. */
static void
test_enums_wire_names_are_stable (void)
{
  g_assert_cmpstr (tessera_enum_to_string (TESSERA_TYPE_READINESS, TESSERA_READINESS_CHANGE_SETTINGS),
                   ==, "change_settings");
  g_assert_cmpstr (tessera_enum_to_string (TESSERA_TYPE_PROVISIONING_STATE,
                                           TESSERA_PROVISIONING_AWAITING_OTP_APPROVAL),
                   ==, "awaiting_otp_approval");
  g_assert_cmpstr (tessera_enum_to_string (TESSERA_TYPE_REQUEST_STATE, TESSERA_REQUEST_COMPLETED),
                   ==, "completed");
  g_assert_cmpstr (tessera_enum_to_string (TESSERA_TYPE_REJECTION_REASON,
                                           TESSERA_REJECTION_UNRECOGNIZED_DEVICE),
                   ==, "unrecognized_device");
  g_assert_cmpstr (tessera_enum_to_string (TESSERA_TYPE_EVENT_TYPE, TESSERA_EVENT_SETTINGS_UPDATED),
                   ==, "settings.updated");
  g_assert_null (tessera_enum_to_string (TESSERA_TYPE_ROLE, 42));
}

static void
test_enums_every_value_round_trips (void)
{
  const GType types[] = {
    TESSERA_TYPE_READINESS, TESSERA_TYPE_PROVISIONING_STATE, TESSERA_TYPE_OTP_STATE,
    TESSERA_TYPE_REQUEST_STATE, TESSERA_TYPE_REJECTION_REASON, TESSERA_TYPE_ROLE,
    TESSERA_TYPE_PASSWORD_MODE, TESSERA_TYPE_DECISION, TESSERA_TYPE_OTP_RESULT_STATUS,
    TESSERA_TYPE_EVENT_TYPE,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (types[i]);

      g_assert_cmpuint (klass->n_values, >, 1);
      for (guint v = 0; v < klass->n_values; v++)
        {
          const char *name = tessera_enum_to_string (types[i], klass->values[v].value);
          int back = -1;

          g_assert_nonnull (name);
          g_assert_true (tessera_enum_from_string (types[i], name, &back));
          g_assert_cmpint (back, ==, klass->values[v].value);
        }
    }
}

static void
test_enums_unknown_names_are_refused (void)
{
  int value = 7;

  g_assert_false (tessera_enum_from_string (TESSERA_TYPE_READINESS, "Ready", &value));
  g_assert_false (tessera_enum_from_string (TESSERA_TYPE_READINESS, "change-settings", &value));
  g_assert_false (tessera_enum_from_string (TESSERA_TYPE_READINESS, "", &value));
  g_assert_false (tessera_enum_from_string (TESSERA_TYPE_READINESS, NULL, &value));
  g_assert_cmpint (value, ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/unit/enums/wire-names-are-stable", test_enums_wire_names_are_stable);
  g_test_add_func ("/unit/enums/every-value-round-trips", test_enums_every_value_round_trips);
  g_test_add_func ("/unit/enums/unknown-names-are-refused", test_enums_unknown_names_are_refused);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tessera-otp-batch"

#include "config.h"

#include "tessera-types-private.h"
#include "tessera-otp-batch.h"

struct _TesseraOtpBatch
{
  GObject    parent_instance;

  char      *id;
  GDateTime *created_at;
  GPtrArray *results;  /* of TesseraOtpResult, owned */
};

G_DEFINE_FINAL_TYPE (TesseraOtpBatch, tessera_otp_batch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tessera_otp_batch_dispose (GObject *object)
{
  TesseraOtpBatch *self = (TesseraOtpBatch *)object;

  if (self->results != NULL)
    g_ptr_array_set_size (self->results, 0);

  G_OBJECT_CLASS (tessera_otp_batch_parent_class)->dispose (object);
}

static void
tessera_otp_batch_finalize (GObject *object)
{
  TesseraOtpBatch *self = (TesseraOtpBatch *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);

  G_OBJECT_CLASS (tessera_otp_batch_parent_class)->finalize (object);
}

static void
tessera_otp_batch_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TesseraOtpBatch *self = TESSERA_OTP_BATCH (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_otp_batch_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TesseraOtpBatch *self = TESSERA_OTP_BATCH (object);

  switch (prop_id)
    {
    case PROP_ID:
      tessera_otp_batch_set_id (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      tessera_otp_batch_set_created_at (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tessera_otp_batch_class_init (TesseraOtpBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tessera_otp_batch_dispose;
  object_class->finalize = tessera_otp_batch_finalize;
  object_class->get_property = tessera_otp_batch_get_property;
  object_class->set_property = tessera_otp_batch_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tessera_otp_batch_init (TesseraOtpBatch *self)
{
  self->results = g_ptr_array_new_with_free_func (g_object_unref);
}

TesseraOtpBatch *
tessera_otp_batch_new (const char *id,
                       GDateTime  *created_at)
{
  TesseraOtpBatch *self = g_object_new (TESSERA_TYPE_OTP_BATCH, NULL);

  self->id = g_strdup (id);
  self->created_at = created_at != NULL ? g_date_time_ref (created_at) : NULL;

  return self;
}

const char *
tessera_otp_batch_get_id (TesseraOtpBatch *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_BATCH (self), NULL);

  return self->id;
}

void
tessera_otp_batch_set_id (TesseraOtpBatch *self,
                          const char      *id)
{
  g_return_if_fail (TESSERA_IS_OTP_BATCH (self));

  if (_tessera_set_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

GDateTime *
tessera_otp_batch_get_created_at (TesseraOtpBatch *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_BATCH (self), NULL);

  return self->created_at;
}

void
tessera_otp_batch_set_created_at (TesseraOtpBatch *self,
                                  GDateTime       *created_at)
{
  g_return_if_fail (TESSERA_IS_OTP_BATCH (self));

  if (_tessera_set_datetime (&self->created_at, created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

GPtrArray *
tessera_otp_batch_get_results (TesseraOtpBatch *self)
{
  g_return_val_if_fail (TESSERA_IS_OTP_BATCH (self), NULL);

  return self->results;
}

void
tessera_otp_batch_add_result (TesseraOtpBatch  *self,
                              TesseraOtpResult *result)
{
  g_return_if_fail (TESSERA_IS_OTP_BATCH (self));
  g_return_if_fail (TESSERA_IS_OTP_RESULT (result));

  g_ptr_array_add (self->results, g_object_ref (result));
}

TesseraOtpBatch *
tessera_otp_batch_new_from_json (JsonNode  *node,
                                 GError   **error)
{
  g_autoptr(TesseraOtpBatch) self = NULL;
  g_autoptr(GDateTime) created_at = NULL;
  JsonObject *object;
  JsonArray *results;
  const char *id;
  guint n;

  /* A batch answers at most one row per requested account. */
  if (!tessera_json_expect_object (node, &object, error) ||
      !tessera_json_require_string (object, "id", TESSERA_MAX_NAME_LENGTH, &id, error) ||
      !tessera_json_require_datetime (object, "created_at", &created_at, error) ||
      !tessera_json_require_array (object, "results", TESSERA_MAX_BATCH_ACCOUNTS, &results,
                                   error))
    return NULL;

  self = tessera_otp_batch_new (id, created_at);

  n = json_array_get_length (results);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (results, i);
      TesseraOtpResult *result;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, TESSERA_JSON_ERROR, TESSERA_JSON_ERROR_WRONG_TYPE,
                       "results[%u]: expected an object", i);
          return NULL;
        }

      if (!(result = tessera_otp_result_new_from_json (element, error)))
        {
          tessera_json_prefix_error (error, "results[%u]", i);
          return NULL;
        }

      g_ptr_array_add (self->results, result);
    }

  return g_steal_pointer (&self);
}

void
tessera_otp_batch_to_json (TesseraOtpBatch *self,
                           JsonBuilder     *builder)
{
  g_return_if_fail (TESSERA_IS_OTP_BATCH (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  tessera_json_add_nullable_string (builder, "id", self->id);
  tessera_json_add_datetime (builder, "created_at", self->created_at);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->results->len; i++)
    tessera_otp_result_to_json (g_ptr_array_index (self->results, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

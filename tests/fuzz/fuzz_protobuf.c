/* gst-egress
 * Copyright (C) 2026 gst-egress contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 *
 * You should have received a copy of the GNU Library General Public
 * License along with this library; if not, write to the
 * Free Software Foundation, Inc., 51 Franklin St, Fifth Floor,
 * Boston, MA 02110-1301, USA.
 */


/* libFuzzer target: the protobuf decoder (protobuf-c over our schema) and
 * the JSON writer behind it.  The first byte picks a message type, the
 * rest is wire data.  What decodes must re-encode to a fixed point, and
 * its JSON (when every string is UTF-8) must parse back to the same
 * JSON. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gst/livekit/protojson.h>

#include "fuzz-messages.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static uint8_t *
pack (const ProtobufCMessage * msg, size_t *len)
{
  uint8_t *buf;

  *len = protobuf_c_message_get_packed_size (msg);
  buf = malloc (*len + 1);
  if (protobuf_c_message_pack (msg, buf) != *len)
    abort ();
  return buf;
}

/* protobuf-c 1.4.1 accepts an over-long tag for field number 0, keeps it
 * as an unknown field and writes it back as a tag it then refuses: not
 * our code, so that one case is let through. */
static gboolean
has_field_zero (const ProtobufCMessage * msg)
{
  const ProtobufCMessageDescriptor *desc = msg->descriptor;
  const guint8 *base = (const guint8 *) msg;
  guint i;
  size_t j;

  for (i = 0; i < msg->n_unknown_fields; i++) {
    if (msg->unknown_fields[i].tag == 0)
      return TRUE;
  }
  for (i = 0; i < desc->n_fields; i++) {
    const ProtobufCFieldDescriptor *f = &desc->fields[i];

    if (f->type != PROTOBUF_C_TYPE_MESSAGE)
      continue;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
      size_t n = *(const size_t *) (base + f->quantifier_offset);
      ProtobufCMessage *const *subs =
          *(ProtobufCMessage * const *const *) (base + f->offset);

      for (j = 0; j < n; j++) {
        if (subs[j] && has_field_zero (subs[j]))
          return TRUE;
      }
    } else {
      const ProtobufCMessage *sub =
          *(ProtobufCMessage * const *) (base + f->offset);

      if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
          && *(const guint32 *) (base + f->quantifier_offset) != f->id)
        continue;
      if (sub && has_field_zero (sub))
        return TRUE;
    }
  }
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  const ProtobufCMessageDescriptor *desc;
  ProtobufCMessage *msg, *again, *from_json;
  uint8_t *bin, *bin2;
  size_t len, len2;
  gchar *json, *json2;
  GError *err = NULL;

  if (size < 1)
    return 0;
  desc = fuzz_messages[data[0] % G_N_ELEMENTS (fuzz_messages)];
  msg = protobuf_c_message_unpack (desc, NULL, size - 1, data + 1);
  if (!msg)
    return 0;

  /* encode, decode, encode: the second encoding equals the first */
  bin = pack (msg, &len);
  again = protobuf_c_message_unpack (desc, NULL, len, bin);
  if (again) {
    bin2 = pack (again, &len2);
    if (len != len2 || memcmp (bin, bin2, len) != 0)
      abort ();
    free (bin2);
    protobuf_c_message_free_unpacked (again, NULL);
  } else if (!has_field_zero (msg)) {
    abort ();
  }

  json = gst_livekit_protojson_to_string (msg, &err);
  if (json) {
    from_json = gst_livekit_protojson_parse (desc, json, -1, NULL);
    if (!from_json)
      abort ();
    json2 = gst_livekit_protojson_to_string (from_json, NULL);
    if (!json2 || strcmp (json, json2) != 0)
      abort ();
    g_free (json2);
    protobuf_c_message_free_unpacked (from_json, NULL);
  } else if (!g_error_matches (err, GST_LIVEKIT_PROTOJSON_ERROR,
          GST_LIVEKIT_PROTOJSON_ERROR_ENCODE)) {
    /* the only reason to refuse a decoded message is a non-UTF-8 string */
    abort ();
  }
  g_clear_error (&err);
  g_free (json);
  free (bin);
  protobuf_c_message_free_unpacked (msg, NULL);
  return 0;
}

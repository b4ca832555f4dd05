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


/* libFuzzer target: the proto3-JSON codec.  The first byte picks a message
 * type, the rest is JSON text.  Whatever parses must serialise, and our
 * own output must parse back to the same JSON (a fixed point) and survive
 * a binary trip. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gst/livekit/protojson.h>

#include "fuzz-messages.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  const ProtobufCMessageDescriptor *desc;
  ProtobufCMessage *msg, *again, *unpacked;
  gchar *json, *json2, *json3;
  uint8_t *bin;
  size_t len;

  if (size < 1)
    return 0;
  desc = fuzz_messages[data[0] % G_N_ELEMENTS (fuzz_messages)];
  msg = gst_livekit_protojson_parse (desc, (const gchar *) data + 1,
      size - 1, NULL);
  if (!msg)
    return 0;

  /* input was valid UTF-8, so every string is: writing cannot fail */
  json = gst_livekit_protojson_to_string (msg, NULL);
  if (!json)
    abort ();
  again = gst_livekit_protojson_parse (desc, json, -1, NULL);
  if (!again)
    abort ();
  json2 = gst_livekit_protojson_to_string (again, NULL);
  if (!json2 || strcmp (json, json2) != 0)
    abort ();

  len = protobuf_c_message_get_packed_size (msg);
  bin = malloc (len + 1);
  if (protobuf_c_message_pack (msg, bin) != len)
    abort ();
  unpacked = protobuf_c_message_unpack (desc, NULL, len, bin);
  if (!unpacked)
    abort ();
  json3 = gst_livekit_protojson_to_string (unpacked, NULL);
  if (!json3 || strcmp (json, json3) != 0)
    abort ();

  g_free (json);
  g_free (json2);
  g_free (json3);
  free (bin);
  protobuf_c_message_free_unpacked (unpacked, NULL);
  protobuf_c_message_free_unpacked (again, NULL);
  protobuf_c_message_free_unpacked (msg, NULL);
  return 0;
}

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


#ifndef __GST_LIVEKIT_PROTOJSON_H__
#define __GST_LIVEKIT_PROTOJSON_H__

#include <glib.h>
#include <json-glib/json-glib.h>
#include <protobuf-c/protobuf-c.h>

G_BEGIN_DECLS

/**
 * GST_LIVEKIT_PROTOJSON_ERROR:
 *
 * Error domain of the proto3-JSON codec.  Messages name the JSON path of
 * the offending value, e.g. `fileOutputs[0].fileType: unknown enum value
 * "MP5"`.
 */
#define GST_LIVEKIT_PROTOJSON_ERROR (gst_livekit_protojson_error_quark ())

/**
 * GstLiveKitProtoJsonError:
 * @GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX: the text is not JSON (or nests too
 *     deeply)
 * @GST_LIVEKIT_PROTOJSON_ERROR_UNKNOWN_FIELD: a member names no field of
 *     the message
 * @GST_LIVEKIT_PROTOJSON_ERROR_TYPE: a value has the wrong JSON type for
 *     its field
 * @GST_LIVEKIT_PROTOJSON_ERROR_VALUE: a value has the right type but is
 *     invalid: out of range, unknown enum name, bad base64, a field or
 *     oneof given twice
 * @GST_LIVEKIT_PROTOJSON_ERROR_ENCODE: a message cannot be written as JSON
 *     (a string that is not UTF-8)
 */
typedef enum
{
  GST_LIVEKIT_PROTOJSON_ERROR_SYNTAX,
  GST_LIVEKIT_PROTOJSON_ERROR_UNKNOWN_FIELD,
  GST_LIVEKIT_PROTOJSON_ERROR_TYPE,
  GST_LIVEKIT_PROTOJSON_ERROR_VALUE,
  GST_LIVEKIT_PROTOJSON_ERROR_ENCODE,
} GstLiveKitProtoJsonError;

GQuark gst_livekit_protojson_error_quark (void);

/**
 * GstLiveKitProtoJsonFlags:
 * @GST_LIVEKIT_PROTOJSON_FLAG_NONE: strict: unknown fields and enum names
 *     are errors
 * @GST_LIVEKIT_PROTOJSON_FLAG_IGNORE_UNKNOWN: skip members that name no
 *     field, and leave out enum values given by an unknown name (for
 *     reading what a newer peer sends, like the official clients do)
 */
typedef enum
{
  GST_LIVEKIT_PROTOJSON_FLAG_NONE = 0,
  GST_LIVEKIT_PROTOJSON_FLAG_IGNORE_UNKNOWN = (1 << 0),
} GstLiveKitProtoJsonFlags;

ProtobufCMessage *gst_livekit_protojson_parse (
    const ProtobufCMessageDescriptor * desc, const gchar * json, gssize len,
    GError ** error);

ProtobufCMessage *gst_livekit_protojson_parse_full (
    const ProtobufCMessageDescriptor * desc, const gchar * json, gssize len,
    GstLiveKitProtoJsonFlags flags, GError ** error);

ProtobufCMessage *gst_livekit_protojson_from_node (
    const ProtobufCMessageDescriptor * desc, JsonNode * node,
    GError ** error);

ProtobufCMessage *gst_livekit_protojson_from_node_full (
    const ProtobufCMessageDescriptor * desc, JsonNode * node,
    GstLiveKitProtoJsonFlags flags, GError ** error);

JsonNode *gst_livekit_protojson_to_node (const ProtobufCMessage * msg,
    GError ** error);

gchar *gst_livekit_protojson_to_string (const ProtobufCMessage * msg,
    GError ** error);

gchar *gst_livekit_protojson_json_name (const gchar * proto_name);

G_END_DECLS

#endif /* __GST_LIVEKIT_PROTOJSON_H__ */

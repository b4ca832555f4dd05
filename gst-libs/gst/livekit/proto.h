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

#ifndef __GST_LIVEKIT_PROTO_H__
#define __GST_LIVEKIT_PROTO_H__

#include <glib.h>
#include <protobuf-c/protobuf-c.h>

G_BEGIN_DECLS

const ProtobufCMessageDescriptor *gst_livekit_proto_find_message (
    const gchar * full_name);

const ProtobufCEnumDescriptor *gst_livekit_proto_find_enum (
    const gchar * full_name);

const ProtobufCMessageDescriptor *const *gst_livekit_proto_list_messages (
    guint * n_messages);

const ProtobufCEnumDescriptor *const *gst_livekit_proto_list_enums (
    guint * n_enums);

const gchar *gst_livekit_proto_type_name (ProtobufCType type);

gboolean gst_livekit_proto_field_is_map (
    const ProtobufCMessageDescriptor * message,
    const ProtobufCFieldDescriptor * field);

G_END_DECLS

#endif /* __GST_LIVEKIT_PROTO_H__ */

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

/**
 * SECTION:gstlivekitproto
 * @title: LiveKit schema
 * @short_description: the protobuf types libgstlivekit knows
 *
 * libgstlivekit carries a subset of LiveKit's protobuf schema (the
 * signalling messages a subscriber sends and receives, and the whole egress
 * API with its webhook), compiled by protoc-c.  Code uses the generated
 * types through <gst/livekit/livekit-proto.h>.  This registry finds the
 * descriptor of a type by its full name (`livekit.SignalRequest`), for code
 * that works on any message, such as the proto3-JSON codec or a tool
 * that takes a type name on its command line.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "livekit-proto.h"

/* Types every other type of the subset is reachable from, through fields. */
static const ProtobufCMessageDescriptor *const roots[] = {
  &livekit__signal_request__descriptor,
  &livekit__signal_response__descriptor,
  &livekit__start_egress_request__descriptor,
  &livekit__room_composite_egress_request__descriptor,
  &livekit__web_egress_request__descriptor,
  &livekit__participant_egress_request__descriptor,
  &livekit__track_composite_egress_request__descriptor,
  &livekit__track_egress_request__descriptor,
  &livekit__update_layout_request__descriptor,
  &livekit__update_stream_request__descriptor,
  &livekit__list_egress_request__descriptor,
  &livekit__list_egress_response__descriptor,
  &livekit__stop_egress_request__descriptor,
  &livekit__egress_info__descriptor,
  &livekit__webhook_event__descriptor,
  &livekit__auto_participant_egress__descriptor,
  &livekit__auto_track_egress__descriptor,
  &livekit__data_config__descriptor,
  /* no field refers to these: they are here for their nested enums */
  &livekit__encryption__descriptor,
  &livekit__client_info__descriptor,
};

typedef struct
{
  GHashTable *by_name;          /* full name -> descriptor, not owned */
  GPtrArray *messages;          /* sorted by name, map entries left out */
  GPtrArray *enums;             /* sorted by name */
} Registry;

static gint
compare_message_names (gconstpointer a, gconstpointer b)
{
  const ProtobufCMessageDescriptor *const *x = a, *const *y = b;

  return strcmp ((*x)->name, (*y)->name);
}

static gint
compare_enum_names (gconstpointer a, gconstpointer b)
{
  const ProtobufCEnumDescriptor *const *x = a, *const *y = b;

  return strcmp ((*x)->name, (*y)->name);
}

static void
visit (Registry * r, const ProtobufCMessageDescriptor * m, gboolean is_entry)
{
  guint i;

  if (g_hash_table_contains (r->by_name, m->name))
    return;
  g_hash_table_insert (r->by_name, (gpointer) m->name, (gpointer) m);
  if (!is_entry)
    g_ptr_array_add (r->messages, (gpointer) m);

  for (i = 0; i < m->n_fields; i++) {
    const ProtobufCFieldDescriptor *f = &m->fields[i];

    if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
      visit (r, f->descriptor, gst_livekit_proto_field_is_map (m, f));
    } else if (f->type == PROTOBUF_C_TYPE_ENUM) {
      const ProtobufCEnumDescriptor *e = f->descriptor;

      if (!g_hash_table_contains (r->by_name, e->name)) {
        g_hash_table_insert (r->by_name, (gpointer) e->name, (gpointer) e);
        g_ptr_array_add (r->enums, (gpointer) e);
      }
    }
  }
}

static gpointer
registry_init (gpointer data)
{
  Registry *r = g_new0 (Registry, 1);
  guint i;

  r->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  r->messages = g_ptr_array_new ();
  r->enums = g_ptr_array_new ();
  for (i = 0; i < G_N_ELEMENTS (roots); i++)
    visit (r, roots[i], FALSE);
  g_ptr_array_sort (r->messages, compare_message_names);
  g_ptr_array_sort (r->enums, compare_enum_names);
  return r;
}

static Registry *
registry (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, registry_init, NULL);
}

/**
 * gst_livekit_proto_find_message:
 * @full_name: a full protobuf name, e.g. `livekit.EgressInfo`
 *
 * Returns: (nullable): the descriptor of that message, or %NULL when the
 *     schema subset does not hold it (or it names an enum).
 */
const ProtobufCMessageDescriptor *
gst_livekit_proto_find_message (const gchar * full_name)
{
  const ProtobufCMessageDescriptor *m;

  g_return_val_if_fail (full_name != NULL, NULL);

  m = g_hash_table_lookup (registry ()->by_name, full_name);
  if (m == NULL || m->magic != PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC)
    return NULL;
  return m;
}

/**
 * gst_livekit_proto_find_enum:
 * @full_name: a full protobuf name, e.g. `livekit.EncodedFileType`
 *
 * Returns: (nullable): the descriptor of that enum, or %NULL.
 */
const ProtobufCEnumDescriptor *
gst_livekit_proto_find_enum (const gchar * full_name)
{
  const ProtobufCEnumDescriptor *e;

  g_return_val_if_fail (full_name != NULL, NULL);

  e = g_hash_table_lookup (registry ()->by_name, full_name);
  if (e == NULL || e->magic != PROTOBUF_C__ENUM_DESCRIPTOR_MAGIC)
    return NULL;
  return e;
}

/**
 * gst_livekit_proto_list_messages:
 * @n_messages: (out): where to store the number of messages
 *
 * Every message of the schema subset, sorted by full name.  The entry
 * messages protoc-c makes for map fields are left out.
 *
 * Returns: (transfer none) (array length=n_messages): the descriptors.
 */
const ProtobufCMessageDescriptor *const *
gst_livekit_proto_list_messages (guint * n_messages)
{
  Registry *r = registry ();

  if (n_messages)
    *n_messages = r->messages->len;
  return (const ProtobufCMessageDescriptor * const *) r->messages->pdata;
}

/**
 * gst_livekit_proto_list_enums:
 * @n_enums: (out): where to store the number of enums
 *
 * Every enum of the schema subset, sorted by full name.
 *
 * Returns: (transfer none) (array length=n_enums): the descriptors.
 */
const ProtobufCEnumDescriptor *const *
gst_livekit_proto_list_enums (guint * n_enums)
{
  Registry *r = registry ();

  if (n_enums)
    *n_enums = r->enums->len;
  return (const ProtobufCEnumDescriptor * const *) r->enums->pdata;
}

/**
 * gst_livekit_proto_field_is_map:
 * @message: the message that holds @field
 * @field: one of its fields
 *
 * protoc-c writes `map<K, V> foo_bar = n` as `repeated FooBarEntry
 * foo_bar = n`, FooBarEntry being nested in @message with key = 1 and
 * value = 2.  This recognises that shape from the descriptors alone.
 *
 * Returns: whether @field is a map field.
 */
gboolean
gst_livekit_proto_field_is_map (const ProtobufCMessageDescriptor * message,
    const ProtobufCFieldDescriptor * field)
{
  const ProtobufCMessageDescriptor *e;
  const gchar *n, *p;
  gsize plen;
  gboolean upper = TRUE;

  g_return_val_if_fail (message != NULL && field != NULL, FALSE);

  if (field->label != PROTOBUF_C_LABEL_REPEATED
      || field->type != PROTOBUF_C_TYPE_MESSAGE)
    return FALSE;
  e = field->descriptor;
  if (e->n_fields != 2 || e->fields[0].id != 1 || e->fields[1].id != 2
      || strcmp (e->fields[0].name, "key") != 0
      || strcmp (e->fields[1].name, "value") != 0)
    return FALSE;
  plen = strlen (message->name);
  if (strncmp (e->name, message->name, plen) != 0 || e->name[plen] != '.')
    return FALSE;
  n = e->name + plen + 1;
  for (p = field->name; *p; p++) {
    gchar c;

    if (*p == '_') {
      upper = TRUE;
      continue;
    }
    c = upper ? g_ascii_toupper (*p) : *p;
    upper = FALSE;
    if (*n++ != c)
      return FALSE;
  }
  return strcmp (n, "Entry") == 0;
}

/**
 * gst_livekit_proto_type_name:
 * @type: a protobuf-c field type
 *
 * Returns: the .proto spelling of @type ("int32", "string"...), or
 *     "enum" and "message" for those.
 */
const gchar *
gst_livekit_proto_type_name (ProtobufCType type)
{
  switch (type) {
    case PROTOBUF_C_TYPE_INT32:
      return "int32";
    case PROTOBUF_C_TYPE_SINT32:
      return "sint32";
    case PROTOBUF_C_TYPE_SFIXED32:
      return "sfixed32";
    case PROTOBUF_C_TYPE_INT64:
      return "int64";
    case PROTOBUF_C_TYPE_SINT64:
      return "sint64";
    case PROTOBUF_C_TYPE_SFIXED64:
      return "sfixed64";
    case PROTOBUF_C_TYPE_UINT32:
      return "uint32";
    case PROTOBUF_C_TYPE_FIXED32:
      return "fixed32";
    case PROTOBUF_C_TYPE_UINT64:
      return "uint64";
    case PROTOBUF_C_TYPE_FIXED64:
      return "fixed64";
    case PROTOBUF_C_TYPE_FLOAT:
      return "float";
    case PROTOBUF_C_TYPE_DOUBLE:
      return "double";
    case PROTOBUF_C_TYPE_BOOL:
      return "bool";
    case PROTOBUF_C_TYPE_ENUM:
      return "enum";
    case PROTOBUF_C_TYPE_STRING:
      return "string";
    case PROTOBUF_C_TYPE_BYTES:
      return "bytes";
    case PROTOBUF_C_TYPE_MESSAGE:
      return "message";
  }
  return "?";
}

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

/* Dumps libgstlivekit's schema subset, as protoc-c compiled it, to JSON:
 * every message with its fields (name, number, type, type name, repeated,
 * map key and value, the other members of its oneof) and every enum with
 * its values.
 *
 *   schema-check                     print the dump on stdout
 *   schema-check NODE compare.mjs    compare the dump with the official
 *                                    descriptors (exit status of compare.mjs,
 *                                    77 when the npm package is missing)
 *   schema-check --no-node           only the registry checks, then exit 77
 *                                    (skipped): there is nothing to compare
 *                                    with
 *
 * Only this program runs under the valgrind test setup; node is a child it
 * waits for. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <gst/livekit/livekit-proto.h>

/* "enum" and "message" fields name their type, as ".livekit.Room" */
static void
add_type (JsonBuilder * b, const ProtobufCFieldDescriptor * f)
{
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, gst_livekit_proto_type_name (f->type));
  if (f->type == PROTOBUF_C_TYPE_MESSAGE || f->type == PROTOBUF_C_TYPE_ENUM) {
    const gchar *name = f->type == PROTOBUF_C_TYPE_MESSAGE ?
        ((const ProtobufCMessageDescriptor *) f->descriptor)->name :
        ((const ProtobufCEnumDescriptor *) f->descriptor)->name;
    gchar *ref = g_strconcat (".", name, NULL);

    json_builder_set_member_name (b, "typeName");
    json_builder_add_string_value (b, ref);
    g_free (ref);
  }
}

static void
add_message (JsonBuilder * b, const ProtobufCMessageDescriptor * m)
{
  guint i, j;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, m->name);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  for (i = 0; i < m->n_fields; i++) {
    const ProtobufCFieldDescriptor *f = &m->fields[i];

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "name");
    json_builder_add_string_value (b, f->name);
    json_builder_set_member_name (b, "number");
    json_builder_add_int_value (b, f->id);
    if (gst_livekit_proto_field_is_map (m, f)) {
      const ProtobufCMessageDescriptor *e = f->descriptor;

      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "map");
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, gst_livekit_proto_type_name (e->fields[0].type));
      json_builder_set_member_name (b, "value");
      json_builder_begin_object (b);
      add_type (b, &e->fields[1]);
      json_builder_end_object (b);
    } else {
      add_type (b, f);
      json_builder_set_member_name (b, "repeated");
      json_builder_add_boolean_value (b,
          f->label == PROTOBUF_C_LABEL_REPEATED);
    }
    /* protobuf-c keeps no oneof names: members of one oneof share the
     * offset of its case member */
    if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
      json_builder_set_member_name (b, "oneof");
      json_builder_begin_array (b);
      for (j = 0; j < m->n_fields; j++) {
        const ProtobufCFieldDescriptor *g = &m->fields[j];

        if ((g->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
            && g->quantifier_offset == f->quantifier_offset)
          json_builder_add_string_value (b, g->name);
      }
      json_builder_end_array (b);
    }
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_enum (JsonBuilder * b, const ProtobufCEnumDescriptor * e)
{
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, e->name);
  json_builder_set_member_name (b, "values");
  json_builder_begin_array (b);
  for (i = 0; i < e->n_values; i++) {
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "name");
    json_builder_add_string_value (b, e->values[i].name);
    json_builder_set_member_name (b, "number");
    json_builder_add_int_value (b, e->values[i].value);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static gchar *
dump (void)
{
  const ProtobufCMessageDescriptor *const *messages;
  const ProtobufCEnumDescriptor *const *enums;
  JsonBuilder *b = json_builder_new ();
  JsonGenerator *gen;
  JsonNode *root;
  guint i, n;
  gchar *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  messages = gst_livekit_proto_list_messages (&n);
  for (i = 0; i < n; i++)
    add_message (b, messages[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "enums");
  json_builder_begin_array (b);
  enums = gst_livekit_proto_list_enums (&n);
  for (i = 0; i < n; i++)
    add_enum (b, enums[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  gen = json_generator_new ();
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_object_unref (gen);
  json_node_unref (root);
  g_object_unref (b);
  return text;
}

/* The registry must find what it lists, and nothing else. */
static gboolean
check_registry (void)
{
  const ProtobufCMessageDescriptor *const *messages;
  guint i, n;

  messages = gst_livekit_proto_list_messages (&n);
  for (i = 0; i < n; i++) {
    if (gst_livekit_proto_find_message (messages[i]->name) != messages[i]) {
      g_printerr ("registry: %s not found by name\n", messages[i]->name);
      return FALSE;
    }
  }
  if (gst_livekit_proto_find_message ("livekit.SignalRequest")
      != &livekit__signal_request__descriptor
      || gst_livekit_proto_find_enum ("livekit.EncodedFileType")
      != &livekit__encoded_file_type__descriptor
      || gst_livekit_proto_find_message ("livekit.EncodedFileType") != NULL
      || gst_livekit_proto_find_message ("livekit.NoSuchThing") != NULL) {
    g_printerr ("registry: lookups by name are wrong\n");
    return FALSE;
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  GError *error = NULL;
  gchar *text, *path = NULL;
  gint fd, status = 0;

  text = dump ();
  if (!check_registry ()) {
    g_free (text);
    return 1;
  }
  if (argc == 2 && g_strcmp0 (argv[1], "--no-node") == 0) {
    g_print ("schema: registry checked; node not found, comparison with "
        "@livekit/protocol skipped\n");
    g_free (text);
    return 77;
  }
  if (argc < 3) {
    g_print ("%s\n", text);
    g_free (text);
    return 0;
  }

  fd = g_file_open_tmp ("gst-egress-schema-XXXXXX.json", &path, &error);
  if (fd < 0 || !g_file_set_contents (path, text, -1, &error)) {
    g_printerr ("schema-check: %s\n", error->message);
    g_clear_error (&error);
    status = 1;
  } else {
    gchar *args[] = { argv[1], argv[2], path, NULL };

    if (!g_spawn_sync (NULL, args, NULL, G_SPAWN_CHILD_INHERITS_STDIN,
            NULL, NULL, NULL, NULL, &status, &error)) {
      g_printerr ("schema-check: cannot run %s: %s\n", argv[1],
          error->message);
      g_clear_error (&error);
      status = 1;
    } else if (g_spawn_check_wait_status (status, &error)) {
      status = 0;
    } else {
      /* pass on compare.mjs's exit status: 1 on a difference, 77 to skip */
      status = g_error_matches (error, G_SPAWN_EXIT_ERROR, 77) ? 77 : 1;
      g_clear_error (&error);
    }
  }
  if (fd >= 0)
    g_close (fd, NULL);
  if (path)
    g_unlink (path);
  g_free (path);
  g_free (text);
  return status;
}

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


/* protojson-conform: the C side of the conformance test against the
 * official implementation (@livekit/protocol, driven by conform.mjs).
 *
 *   protojson-conform roundtrip   stdin:  TYPE \t BASE64(binary) \t JSON
 *                                 stdout: OK \t BASE64(binary from binary)
 *                                         \t JSON from binary
 *                                         \t BASE64(binary from JSON)
 *                                         \t JSON from JSON
 *                                      or ERR \t message
 *   protojson-conform build       stdout: TYPE \t BASE64(binary) \t JSON for
 *                                 each message of the C corpus
 *   protojson-conform check       stdin:  the build lines as Node decoded and
 *                                 re-encoded them; each is parsed (binary
 *                                 and JSON) and compared with the message C
 *                                 built.  Exit status 1 on any difference.
 *   protojson-conform selftest    without Node (suite lib, also under
 *                                 valgrind): the C corpus through JSON and
 *                                 binary and back, and the error paths of
 *                                 bad requests, on the real schema.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gst/livekit/protojson.h>

#include "conform-corpus.h"

static GBytes *
pack (const ProtobufCMessage * msg)
{
  gsize len = protobuf_c_message_get_packed_size (msg);
  guint8 *buf = g_malloc (len + 1);

  protobuf_c_message_pack (msg, buf);
  return g_bytes_new_take (buf, len);
}

static gchar *
pack_base64 (const ProtobufCMessage * msg)
{
  GBytes *b = pack (msg);
  gsize len;
  const guint8 *data = g_bytes_get_data (b, &len);
  gchar *ret = len ? g_base64_encode (data, len) : g_strdup ("");

  g_bytes_unref (b);
  return ret;
}

static ProtobufCMessage *
unpack_base64 (const ProtobufCMessageDescriptor * desc, const gchar * b64)
{
  gsize len;
  guint8 *data = g_base64_decode (b64, &len);
  ProtobufCMessage *msg = protobuf_c_message_unpack (desc, NULL, len, data);

  g_free (data);
  return msg;
}

/* ---- semantic equality (maps compared as sets) ---- */

static gboolean msg_equal (const ProtobufCMessage * a,
    const ProtobufCMessage * b);

static gboolean
is_map (const ProtobufCMessageDescriptor * parent,
    const ProtobufCFieldDescriptor * f)
{
  const ProtobufCMessageDescriptor *e = f->descriptor;

  return f->label == PROTOBUF_C_LABEL_REPEATED
      && f->type == PROTOBUF_C_TYPE_MESSAGE && g_str_has_suffix (e->name,
      "Entry") && g_str_has_prefix (e->name, parent->name)
      && e->n_fields == 2 && e->fields[0].id == 1 && e->fields[1].id == 2;
}

static gsize
elem_size (ProtobufCType t)
{
  switch (t) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
      return 8;
    case PROTOBUF_C_TYPE_BOOL:
      return sizeof (protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
      return sizeof (gchar *);
    case PROTOBUF_C_TYPE_BYTES:
      return sizeof (ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE:
      return sizeof (gpointer);
    default:
      return 4;
  }
}

static gboolean
empty_message (const ProtobufCMessage * m)
{
  return m == NULL || protobuf_c_message_get_packed_size (m) == 0;
}

static gboolean
value_equal (const ProtobufCFieldDescriptor * f, const void *a, const void *b,
    gboolean null_is_empty)
{
  switch (f->type) {
    case PROTOBUF_C_TYPE_FLOAT:{
      float x = *(const float *) a, y = *(const float *) b;

      return x == y || (isnan (x) && isnan (y));
    }
    case PROTOBUF_C_TYPE_DOUBLE:{
      double x = *(const double *) a, y = *(const double *) b;

      return x == y || (isnan (x) && isnan (y));
    }
    case PROTOBUF_C_TYPE_BOOL:
      return !*(const protobuf_c_boolean *) a ==
          !*(const protobuf_c_boolean *) b;
    case PROTOBUF_C_TYPE_STRING:{
      const gchar *x = *(const gchar * const *) a;
      const gchar *y = *(const gchar * const *) b;

      return g_strcmp0 (x ? x : "", y ? y : "") == 0;
    }
    case PROTOBUF_C_TYPE_BYTES:{
      const ProtobufCBinaryData *x = a, *y = b;

      return x->len == y->len && (x->len == 0
          || memcmp (x->data, y->data, x->len) == 0);
    }
    case PROTOBUF_C_TYPE_MESSAGE:{
      const ProtobufCMessage *x = *(ProtobufCMessage * const *) a;
      const ProtobufCMessage *y = *(ProtobufCMessage * const *) b;

      if (!x || !y) {
        if (null_is_empty)
          return empty_message (x) && empty_message (y);
        return x == y;
      }
      return msg_equal (x, y);
    }
    default:
      return memcmp (a, b, elem_size (f->type)) == 0;
  }
}

static gboolean
field_equal (const ProtobufCMessage * a, const ProtobufCMessage * b,
    const ProtobufCFieldDescriptor * f)
{
  const guint8 *pa = (const guint8 *) a, *pb = (const guint8 *) b;

  if (f->label == PROTOBUF_C_LABEL_REPEATED) {
    size_t na = *(const size_t *) (pa + f->quantifier_offset);
    size_t nb = *(const size_t *) (pb + f->quantifier_offset);
    const guint8 *ea = *(const guint8 * const *) (pa + f->offset);
    const guint8 *eb = *(const guint8 * const *) (pb + f->offset);
    gsize es = elem_size (f->type);
    size_t i, j;

    if (na != nb)
      return FALSE;
    if (is_map (a->descriptor, f)) {
      const ProtobufCMessageDescriptor *ed = f->descriptor;

      for (i = 0; i < na; i++) {
        const guint8 *x = ((const guint8 * const *) ea)[i];
        gboolean found = FALSE;

        for (j = 0; j < nb && !found; j++) {
          const guint8 *y = ((const guint8 * const *) eb)[j];

          if (value_equal (&ed->fields[0], x + ed->fields[0].offset,
                  y + ed->fields[0].offset, FALSE))
            found = value_equal (&ed->fields[1], x + ed->fields[1].offset,
                y + ed->fields[1].offset, TRUE);
        }
        if (!found)
          return FALSE;
      }
      return TRUE;
    }
    for (i = 0; i < na; i++) {
      if (!value_equal (f, ea + es * i, eb + es * i, FALSE))
        return FALSE;
    }
    return TRUE;
  }
  if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
    guint32 ca = *(const guint32 *) (pa + f->quantifier_offset);
    guint32 cb = *(const guint32 *) (pb + f->quantifier_offset);

    if ((ca == f->id) != (cb == f->id))
      return FALSE;
    if (ca != f->id)
      return TRUE;
  }
  return value_equal (f, pa + f->offset, pb + f->offset, FALSE);
}

static gboolean
msg_equal (const ProtobufCMessage * a, const ProtobufCMessage * b)
{
  guint i;

  if (a->descriptor != b->descriptor)
    return FALSE;
  for (i = 0; i < a->descriptor->n_fields; i++) {
    if (!field_equal (a, b, &a->descriptor->fields[i])) {
      g_printerr ("  %s.%s differs\n", a->descriptor->name,
          a->descriptor->fields[i].name);
      return FALSE;
    }
  }
  return TRUE;
}

/* ---- modes ---- */

static gchar **
read_lines (void)
{
  GString *all = g_string_new (NULL);
  gchar buf[65536];
  size_t n;
  gchar **lines;

  while ((n = fread (buf, 1, sizeof (buf), stdin)) > 0)
    g_string_append_len (all, buf, n);
  lines = g_strsplit (all->str, "\n", -1);
  g_string_free (all, TRUE);
  return lines;
}

static int
mode_roundtrip (void)
{
  gchar **lines = read_lines ();
  gint i, failures = 0;

  for (i = 0; lines[i]; i++) {
    gchar **parts;
    const ProtobufCMessageDescriptor *desc;
    ProtobufCMessage *from_bin = NULL, *from_json = NULL;
    gchar *json1 = NULL, *json2 = NULL, *bin1 = NULL, *bin2 = NULL;
    GError *err = NULL;
    gboolean ok = FALSE;

    if (!*lines[i])
      continue;
    parts = g_strsplit (lines[i], "\t", 3);
    if (g_strv_length (parts) != 3) {
      printf ("ERR\tbad input line %d\n", i);
      failures++;
      g_strfreev (parts);
      continue;
    }
    desc = conform_find_message (parts[0]);
    if (!desc) {
      printf ("ERR\tno message type %s in our schema\n", parts[0]);
      failures++;
      g_strfreev (parts);
      continue;
    }
    from_bin = unpack_base64 (desc, parts[1]);
    from_json = gst_livekit_protojson_parse (desc, parts[2], -1, &err);
    if (!from_bin)
      printf ("ERR\tprotobuf-c cannot decode the %s binary\n", parts[0]);
    else if (!from_json)
      printf ("ERR\tparse JSON: %s\n", err->message);
    else if (!msg_equal (from_bin, from_json))
      printf ("ERR\tthe message from binary and from JSON differ\n");
    else if (!(json1 = gst_livekit_protojson_to_string (from_bin, &err))
        || !(json2 = gst_livekit_protojson_to_string (from_json, &err)))
      printf ("ERR\tto JSON: %s\n", err->message);
    else {
      bin1 = pack_base64 (from_bin);
      bin2 = pack_base64 (from_json);
      printf ("OK\t%s\t%s\t%s\t%s\n", bin1, json1, bin2, json2);
      ok = TRUE;
    }
    if (!ok)
      failures++;
    g_clear_error (&err);
    g_free (json1);
    g_free (json2);
    g_free (bin1);
    g_free (bin2);
    if (from_bin)
      protobuf_c_message_free_unpacked (from_bin, NULL);
    if (from_json)
      protobuf_c_message_free_unpacked (from_json, NULL);
    g_strfreev (parts);
  }
  g_strfreev (lines);
  return failures ? 1 : 0;
}

static int
mode_build (void)
{
  GPtrArray *corpus = conform_build_corpus ();
  guint i;

  for (i = 0; i < corpus->len; i++) {
    ProtobufCMessage *msg = g_ptr_array_index (corpus, i);
    GError *err = NULL;
    gchar *json = gst_livekit_protojson_to_string (msg, &err);
    gchar *bin = pack_base64 (msg);

    if (!json) {
      g_printerr ("corpus message %u: %s\n", i, err->message);
      return 1;
    }
    printf ("%s\t%s\t%s\n", msg->descriptor->name, bin, json);
    g_free (json);
    g_free (bin);
  }
  g_ptr_array_unref (corpus);
  return 0;
}

static int
mode_check (void)
{
  GPtrArray *corpus = conform_build_corpus ();
  gchar **lines = read_lines ();
  guint i, n = 0, failures = 0;

  for (i = 0; lines[i]; i++) {
    ProtobufCMessage *orig, *from_bin, *from_json;
    gchar **parts;
    GError *err = NULL;

    if (!*lines[i])
      continue;
    if (n >= corpus->len) {
      g_printerr ("more lines than messages\n");
      failures++;
      break;
    }
    orig = g_ptr_array_index (corpus, n++);
    parts = g_strsplit (lines[i], "\t", 3);
    if (g_strv_length (parts) != 3 || strcmp (parts[0],
            orig->descriptor->name) != 0) {
      g_printerr ("line %u: not a %s\n", i, orig->descriptor->name);
      failures++;
      g_strfreev (parts);
      continue;
    }
    from_bin = unpack_base64 (orig->descriptor, parts[1]);
    from_json = gst_livekit_protojson_parse (orig->descriptor, parts[2], -1,
        &err);
    if (!from_bin || !msg_equal (orig, from_bin)) {
      g_printerr ("message %u (%s): Node's binary differs\n", n - 1,
          parts[0]);
      failures++;
    }
    if (!from_json) {
      g_printerr ("message %u (%s): Node's JSON does not parse: %s\n", n - 1,
          parts[0], err->message);
      failures++;
    } else if (!msg_equal (orig, from_json)) {
      g_printerr ("message %u (%s): Node's JSON differs: %s\n", n - 1,
          parts[0], parts[2]);
      failures++;
    }
    g_clear_error (&err);
    if (from_bin)
      protobuf_c_message_free_unpacked (from_bin, NULL);
    if (from_json)
      protobuf_c_message_free_unpacked (from_json, NULL);
    g_strfreev (parts);
  }
  if (n != corpus->len) {
    g_printerr ("%u lines for %u messages\n", n, corpus->len);
    failures++;
  }
  printf ("checked %u messages, %u failures\n", n, failures);
  g_strfreev (lines);
  g_ptr_array_unref (corpus);
  return failures ? 1 : 0;
}

static const struct
{
  const gchar *type;
  const gchar *json;
  const gchar *error;
} bad_json[] = {
  {"livekit.RoomCompositeEgressRequest",
      "{\"roomName\":\"r\",\"fileOutputs\":[{\"fileType\":\"MP5\"}]}",
      "fileOutputs[0].fileType: unknown enum value \"MP5\""},
  {"livekit.StartEgressRequest",
      "{\"outputs\":[{\"file\":{},\"stream\":{}}]}",
      "outputs[0].stream: \"file\" is already set (same oneof)"},
  {"livekit.SignalRequest", "{\"trickle\":{\"candidate_init\":\"{}\"}}",
      "trickle.candidate_init: unknown field"},
  {"livekit.SignalResponse", "{\"join\":{\"room\":{\"emptyTimeout\":-1}}}",
      "join.room.emptyTimeout: number -1 out of range for uint32"},
};

static int
mode_selftest (void)
{
  GPtrArray *corpus = conform_build_corpus ();
  guint i, failures = 0;

  for (i = 0; i < corpus->len; i++) {
    ProtobufCMessage *msg = g_ptr_array_index (corpus, i);
    GError *err = NULL;
    gchar *json = gst_livekit_protojson_to_string (msg, &err);
    GBytes *bin = pack (msg);
    ProtobufCMessage *from_json = NULL, *from_bin;

    if (json)
      from_json = gst_livekit_protojson_parse (msg->descriptor, json, -1,
          &err);
    from_bin = protobuf_c_message_unpack (msg->descriptor, NULL,
        g_bytes_get_size (bin), g_bytes_get_data (bin, NULL));
    if (!from_json || !msg_equal (msg, from_json)) {
      g_printerr ("message %u (%s): JSON trip: %s\n", i,
          msg->descriptor->name, err ? err->message : "differs");
      failures++;
    }
    if (!from_bin || !msg_equal (msg, from_bin)) {
      g_printerr ("message %u (%s): binary trip differs\n", i,
          msg->descriptor->name);
      failures++;
    }
    g_clear_error (&err);
    g_free (json);
    g_bytes_unref (bin);
    if (from_json)
      protobuf_c_message_free_unpacked (from_json, NULL);
    if (from_bin)
      protobuf_c_message_free_unpacked (from_bin, NULL);
  }

  for (i = 0; i < G_N_ELEMENTS (bad_json); i++) {
    const ProtobufCMessageDescriptor *desc =
        conform_find_message (bad_json[i].type);
    GError *err = NULL;
    ProtobufCMessage *msg = desc ? gst_livekit_protojson_parse (desc,
        bad_json[i].json, -1, &err) : NULL;

    if (!desc || msg || !g_str_has_prefix (err->message, bad_json[i].error)) {
      g_printerr ("bad JSON %u: got \"%s\", want \"%s\"\n", i,
          err ? err->message : "no error", bad_json[i].error);
      failures++;
    }
    if (msg)
      protobuf_c_message_free_unpacked (msg, NULL);
    g_clear_error (&err);
  }
  printf ("selftest: %u messages, %u bad inputs, %u failures\n", corpus->len,
      (guint) G_N_ELEMENTS (bad_json), failures);
  g_ptr_array_unref (corpus);
  return failures ? 1 : 0;
}

int
main (int argc, char **argv)
{
  if (argc == 2 && strcmp (argv[1], "roundtrip") == 0)
    return mode_roundtrip ();
  if (argc == 2 && strcmp (argv[1], "build") == 0)
    return mode_build ();
  if (argc == 2 && strcmp (argv[1], "check") == 0)
    return mode_check ();
  if (argc == 2 && strcmp (argv[1], "selftest") == 0)
    return mode_selftest ();
  g_printerr ("usage: %s roundtrip|build|check|selftest\n", argv[0]);
  return 2;
}

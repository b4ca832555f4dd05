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


/* The C half of the conformance corpus: LiveKit messages that C fills in
 * field by field, for Node to decode and re-encode.  The fields are set
 * through protobuf-c's descriptors by their .proto names (a typo aborts),
 * not through the JSON codec under test, so this file needs only the
 * message types of the schema, not the names of its generated headers. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "conform-corpus.h"

/* The message types reachable from these roots are the ones the
 * conformance test can name. */
extern const ProtobufCMessageDescriptor livekit__signal_request__descriptor;
extern const ProtobufCMessageDescriptor livekit__signal_response__descriptor;
extern const ProtobufCMessageDescriptor
    livekit__start_egress_request__descriptor;
extern const ProtobufCMessageDescriptor livekit__egress_info__descriptor;
extern const ProtobufCMessageDescriptor
    livekit__list_egress_request__descriptor;
extern const ProtobufCMessageDescriptor
    livekit__list_egress_response__descriptor;
extern const ProtobufCMessageDescriptor
    livekit__stop_egress_request__descriptor;
extern const ProtobufCMessageDescriptor
    livekit__update_stream_request__descriptor;
extern const ProtobufCMessageDescriptor
    livekit__update_layout_request__descriptor;
extern const ProtobufCMessageDescriptor
    livekit__room_composite_egress_request__descriptor;
extern const ProtobufCMessageDescriptor livekit__web_egress_request__descriptor;
extern const ProtobufCMessageDescriptor
    livekit__participant_egress_request__descriptor;
extern const ProtobufCMessageDescriptor
    livekit__track_composite_egress_request__descriptor;
extern const ProtobufCMessageDescriptor
    livekit__track_egress_request__descriptor;
extern const ProtobufCMessageDescriptor livekit__webhook_event__descriptor;

static const ProtobufCMessageDescriptor *const roots[] = {
  &livekit__signal_request__descriptor,
  &livekit__signal_response__descriptor,
  &livekit__start_egress_request__descriptor,
  &livekit__egress_info__descriptor,
  &livekit__list_egress_request__descriptor,
  &livekit__list_egress_response__descriptor,
  &livekit__stop_egress_request__descriptor,
  &livekit__update_stream_request__descriptor,
  &livekit__update_layout_request__descriptor,
  &livekit__room_composite_egress_request__descriptor,
  &livekit__web_egress_request__descriptor,
  &livekit__participant_egress_request__descriptor,
  &livekit__track_composite_egress_request__descriptor,
  &livekit__track_egress_request__descriptor,
  &livekit__webhook_event__descriptor,
};

static void
collect (GHashTable * types, const ProtobufCMessageDescriptor * d)
{
  guint i;

  if (g_hash_table_contains (types, d->name))
    return;
  g_hash_table_insert (types, (gpointer) d->name, (gpointer) d);
  for (i = 0; i < d->n_fields; i++) {
    if (d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
      collect (types, d->fields[i].descriptor);
  }
}

const ProtobufCMessageDescriptor *
conform_find_message (const gchar * name)
{
  static GHashTable *types;
  guint i;

  if (!types) {
    types = g_hash_table_new (g_str_hash, g_str_equal);
    for (i = 0; i < G_N_ELEMENTS (roots); i++)
      collect (types, roots[i]);
  }
  return g_hash_table_lookup (types, name);
}

/* ---- filling messages by field name ---- */

typedef ProtobufCMessage Msg;

static Msg *
msg_new (const ProtobufCMessageDescriptor * desc)
{
  Msg *m = g_malloc0 (desc->sizeof_message);

  protobuf_c_message_init (desc, m);
  return m;
}

static const ProtobufCFieldDescriptor *
field (Msg * m, const gchar * name)
{
  const ProtobufCFieldDescriptor *f =
      protobuf_c_message_descriptor_get_field_by_name (m->descriptor, name);

  if (!f)
    g_error ("%s has no field %s", m->descriptor->name, name);
  return f;
}

static gsize
elem_size (const ProtobufCFieldDescriptor * f)
{
  switch (f->type) {
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

/* Where the next value of field f goes: its member (setting the oneof
 * case), or a new last element of a repeated field. */
static void *
slot (Msg * m, const ProtobufCFieldDescriptor * f)
{
  guint8 *base = (guint8 *) m;

  if (f->label == PROTOBUF_C_LABEL_REPEATED) {
    size_t *n = (size_t *) (base + f->quantifier_offset);
    guint8 **arr = (guint8 **) (base + f->offset);
    gsize es = elem_size (f);

    *arr = g_realloc (*arr, es * (*n + 1));
    memset (*arr + es * *n, 0, es);
    return *arr + es * (*n)++;
  }
  if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
    *(guint32 *) (base + f->quantifier_offset) = f->id;
  else if (f->label == PROTOBUF_C_LABEL_OPTIONAL
      && f->type != PROTOBUF_C_TYPE_STRING
      && f->type != PROTOBUF_C_TYPE_MESSAGE)
    *(protobuf_c_boolean *) (base + f->quantifier_offset) = TRUE;
  return base + f->offset;
}

static void
set_int (Msg * m, const gchar * name, gint64 v)
{
  const ProtobufCFieldDescriptor *f = field (m, name);
  void *p = slot (m, f);

  switch (f->type) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
      *(gint64 *) p = v;
      break;
    case PROTOBUF_C_TYPE_BOOL:
      *(protobuf_c_boolean *) p = v != 0;
      break;
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_ENUM:
      *(guint32 *) p = (guint32) v;
      break;
    default:
      g_error ("%s.%s is not an integer", m->descriptor->name, name);
  }
}

static void
set_enum (Msg * m, const gchar * name, const gchar * value)
{
  const ProtobufCFieldDescriptor *f = field (m, name);
  const ProtobufCEnumValue *ev;

  g_assert (f->type == PROTOBUF_C_TYPE_ENUM);
  ev = protobuf_c_enum_descriptor_get_value_by_name (f->descriptor, value);
  if (!ev)
    g_error ("%s.%s has no value %s", m->descriptor->name, name, value);
  set_int (m, name, ev->value);
}

static void
set_float (Msg * m, const gchar * name, gdouble v)
{
  const ProtobufCFieldDescriptor *f = field (m, name);
  void *p = slot (m, f);

  if (f->type == PROTOBUF_C_TYPE_FLOAT)
    *(float *) p = (float) v;
  else if (f->type == PROTOBUF_C_TYPE_DOUBLE)
    *(double *) p = v;
  else
    g_error ("%s.%s is not a float", m->descriptor->name, name);
}

static void
set_str (Msg * m, const gchar * name, const gchar * v)
{
  const ProtobufCFieldDescriptor *f = field (m, name);

  g_assert (f->type == PROTOBUF_C_TYPE_STRING);
  *(gchar **) slot (m, f) = g_strdup (v);
}

static void
set_bytes (Msg * m, const gchar * name, const guint8 * data, gsize len)
{
  const ProtobufCFieldDescriptor *f = field (m, name);
  ProtobufCBinaryData *bd;

  g_assert (f->type == PROTOBUF_C_TYPE_BYTES);
  bd = slot (m, f);
  bd->data = g_memdup2 (data, len);
  bd->len = len;
}

/* A new message in field `name` (appended when repeated). */
static Msg *
set_msg (Msg * m, const gchar * name)
{
  const ProtobufCFieldDescriptor *f = field (m, name);
  Msg *sub;

  g_assert (f->type == PROTOBUF_C_TYPE_MESSAGE);
  sub = msg_new (f->descriptor);
  *(Msg **) slot (m, f) = sub;
  return sub;
}

/* map<string, string> */
static void
set_map (Msg * m, const gchar * name, const gchar * key, const gchar * value)
{
  Msg *entry = set_msg (m, name);

  set_str (entry, "key", key);
  set_str (entry, "value", value);
}

static Msg *
root (const gchar * type)
{
  const ProtobufCMessageDescriptor *desc = conform_find_message (type);

  if (!desc)
    g_error ("no message type %s", type);
  return msg_new (desc);
}

/* ---- the corpus ---- */

static void
add_signal_requests (GPtrArray * corpus)
{
  Msg *m, *sd, *t, *sub, *pt;

  /* oneof + map */
  m = root ("livekit.SignalRequest");
  sd = set_msg (m, "answer");
  set_str (sd, "type", "answer");
  set_str (sd, "sdp", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
  set_int (sd, "id", 4000000000u);
  set_map (sd, "mid_to_track_id", "0", "TR_v");
  set_map (sd, "mid_to_track_id", "mid-\xc3\xbc", "");
  g_ptr_array_add (corpus, m);

  /* enum, bool, a camelCase .proto name */
  m = root ("livekit.SignalRequest");
  t = set_msg (m, "trickle");
  set_str (t, "candidateInit", "{\"candidate\":\"candidate:1 1 udp 1 "
      "127.0.0.1 5000 typ host\",\"sdpMid\":\"0\"}");
  set_enum (t, "target", "SUBSCRIBER");
  set_int (t, "final", TRUE);
  g_ptr_array_add (corpus, m);

  /* repeated strings and messages */
  m = root ("livekit.SignalRequest");
  sub = set_msg (m, "subscription");
  set_str (sub, "track_sids", "TR_v");
  set_str (sub, "track_sids", "TR_a");
  set_int (sub, "subscribe", TRUE);
  pt = set_msg (sub, "participant_tracks");
  set_str (pt, "participant_sid", "PA_1");
  set_str (pt, "track_sids", "TR_v");
  g_ptr_array_add (corpus, m);

  /* int64 in a oneof, negative, beyond 2^53 */
  m = root ("livekit.SignalRequest");
  set_int (m, "ping", G_GINT64_CONSTANT (-9007199254740993));
  g_ptr_array_add (corpus, m);

  /* an empty message in a oneof */
  m = root ("livekit.SignalRequest");
  set_msg (m, "leave");
  g_ptr_array_add (corpus, m);
}

static void
add_signal_responses (GPtrArray * corpus)
{
  static const guint8 sif[] = { 0, 1, 2, 0xfd, 0xfe, 0xff };
  Msg *m, *join, *room, *c, *pi, *ti, *l, *ice, *sc, *sp;

  m = root ("livekit.SignalResponse");
  join = set_msg (m, "join");
  room = set_msg (join, "room");
  set_str (room, "sid", "RM_1");
  set_str (room, "name", "my-room");
  set_int (room, "empty_timeout", 300);
  set_int (room, "creation_time", G_GINT64_CONSTANT (1700000000));
  c = set_msg (room, "enabled_codecs");
  set_str (c, "mime", "video/VP8");
  c = set_msg (room, "enabled_codecs");
  set_str (c, "mime", "audio/opus");
  set_str (c, "fmtp_line", "minptime=10;useinbandfec=1");
  pi = set_msg (join, "participant");
  set_str (pi, "sid", "PA_1");
  set_str (pi, "identity", "alice");
  set_enum (pi, "state", "ACTIVE");
  set_enum (pi, "kind", "EGRESS");
  set_int (pi, "joined_at", G_GINT64_CONSTANT (1700000001));
  set_int (pi, "version", 7);
  set_map (pi, "attributes", "role", "host");
  set_map (pi, "attributes", "7", "seven");
  ti = set_msg (pi, "tracks");
  set_str (ti, "sid", "TR_v");
  set_enum (ti, "type", "VIDEO");
  set_enum (ti, "source", "CAMERA");
  set_int (ti, "width", 1280);
  set_int (ti, "height", 720);
  set_str (ti, "mime_type", "video/VP8");
  l = set_msg (ti, "layers");
  set_enum (l, "quality", "HIGH");
  set_int (l, "width", 1280);
  set_int (l, "ssrc", G_MAXUINT32);
  l = set_msg (ti, "layers");
  set_enum (l, "quality", "LOW");
  pi = set_msg (join, "other_participants");
  set_str (pi, "identity", "bob");
  ice = set_msg (join, "ice_servers");
  set_str (ice, "urls", "stun:127.0.0.1:3478");
  set_str (ice, "username", "u");
  set_int (join, "subscriber_primary", TRUE);
  set_int (join, "ping_timeout", 15);
  set_int (join, "ping_interval", 5);
  set_bytes (join, "sif_trailer", sif, sizeof (sif));
  g_ptr_array_add (corpus, m);

  /* int64 in a oneof beyond 2^53 */
  m = root ("livekit.SignalResponse");
  set_int (m, "pong", G_GINT64_CONSTANT (9007199254740993));
  g_ptr_array_add (corpus, m);

  /* float */
  m = root ("livekit.SignalResponse");
  sc = set_msg (m, "speakers_changed");
  sp = set_msg (sc, "speakers");
  set_str (sp, "sid", "PA_1");
  set_float (sp, "level", 0.1);
  set_int (sp, "active", TRUE);
  sp = set_msg (sc, "speakers");
  set_str (sp, "sid", "PA_2");
  g_ptr_array_add (corpus, m);

  /* a string oneof member at its default is still set */
  m = root ("livekit.SignalResponse");
  set_str (m, "refresh_token", "");
  g_ptr_array_add (corpus, m);

  /* nothing set */
  g_ptr_array_add (corpus, root ("livekit.SignalResponse"));
}

static void
add_egress (GPtrArray * corpus)
{
  Msg *m, *o, *fo, *st, *s3, *so, *rc, *adv, *fi, *ev, *info;

  m = root ("livekit.StartEgressRequest");
  set_str (m, "room_name", "my-room");
  set_str (set_msg (m, "template"), "layout", "grid");
  set_enum (m, "preset", "H264_1080P_30");
  o = set_msg (m, "outputs");
  fo = set_msg (o, "file");
  set_enum (fo, "file_type", "MP4");
  set_str (fo, "filepath", "rec/{room_name}-{time}.mp4");
  st = set_msg (o, "storage");
  s3 = set_msg (st, "s3");
  set_str (s3, "bucket", "b");
  set_str (s3, "endpoint", "http://127.0.0.1:9000");
  set_int (s3, "force_path_style", TRUE);
  set_map (s3, "metadata", "k", "v");
  o = set_msg (m, "outputs");
  so = set_msg (o, "stream");
  set_enum (so, "protocol", "RTMP");
  set_str (so, "urls", "rtmp://127.0.0.1/live/a");
  g_ptr_array_add (corpus, m);

  info = root ("livekit.EgressInfo");
  set_str (info, "egress_id", "EG_1");
  set_str (info, "room_name", "my-room");
  set_enum (info, "status", "EGRESS_COMPLETE");
  set_int (info, "started_at", G_GINT64_CONSTANT (1700000000000000000));
  set_int (info, "ended_at", G_GINT64_CONSTANT (1700000060000000000));
  rc = set_msg (info, "room_composite");
  set_str (rc, "room_name", "my-room");
  set_str (rc, "layout", "speaker");
  adv = set_msg (rc, "advanced");
  set_int (adv, "width", 1280);
  set_int (adv, "height", 720);
  set_enum (adv, "video_codec", "H264_MAIN");
  set_float (adv, "key_frame_interval", 2.5);
  fi = set_msg (info, "file_results");
  set_str (fi, "filename", "a.mp4");
  set_int (fi, "size", G_GINT64_CONSTANT (123456789012));
  set_int (fi, "duration", G_GINT64_CONSTANT (60000000000));
  set_int (info, "error_code", 500);
  g_ptr_array_add (corpus, info);

  /* an empty top-level message */
  g_ptr_array_add (corpus, root ("livekit.StopEgressRequest"));

  ev = root ("livekit.WebhookEvent");
  set_str (ev, "event", "egress_ended");
  set_str (ev, "id", "EV_1");
  set_int (ev, "created_at", G_GINT64_CONSTANT (1700000000));
  info = set_msg (ev, "egress_info");
  set_str (info, "egress_id", "EG_1");
  set_enum (info, "status", "EGRESS_ENDING");
  g_ptr_array_add (corpus, ev);
}

static void
free_message (gpointer msg)
{
  protobuf_c_message_free_unpacked (msg, NULL);
}

GPtrArray *
conform_build_corpus (void)
{
  GPtrArray *corpus = g_ptr_array_new_with_free_func (free_message);

  add_signal_requests (corpus);
  add_signal_responses (corpus);
  add_egress (corpus);
  return corpus;
}

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


/* The C half of the conformance corpus: messages built field by field with
 * the generated structures (this is test code, so message-specific), for
 * Node to decode and re-encode. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "conform-corpus.h"
#include "conform-schema.h"

/* A heap copy of a message built on the stack. */
static void
add (GPtrArray * corpus, const ProtobufCMessage * msg)
{
  gsize len = protobuf_c_message_get_packed_size (msg);
  guint8 *buf = g_malloc (len + 1);
  ProtobufCMessage *copy;

  protobuf_c_message_pack (msg, buf);
  copy = protobuf_c_message_unpack (msg->descriptor, NULL, len, buf);
  g_assert (copy != NULL);
  g_free (buf);
  g_ptr_array_add (corpus, copy);
}

static void
free_message (gpointer msg)
{
  protobuf_c_message_free_unpacked (msg, NULL);
}

static void
add_signal_requests (GPtrArray * corpus)
{
  Livekit__SignalRequest req = LIVEKIT__SIGNAL_REQUEST__INIT;
  Livekit__SessionDescription sd = LIVEKIT__SESSION_DESCRIPTION__INIT;
  Livekit__SessionDescription__MidToTrackIdEntry e0 =
      LIVEKIT__SESSION_DESCRIPTION__MID_TO_TRACK_ID_ENTRY__INIT;
  Livekit__SessionDescription__MidToTrackIdEntry e1 =
      LIVEKIT__SESSION_DESCRIPTION__MID_TO_TRACK_ID_ENTRY__INIT;
  Livekit__SessionDescription__MidToTrackIdEntry *entries[] = { &e0, &e1 };
  Livekit__TrickleRequest trickle = LIVEKIT__TRICKLE_REQUEST__INIT;
  Livekit__UpdateSubscription sub = LIVEKIT__UPDATE_SUBSCRIPTION__INIT;
  Livekit__ParticipantTracks pt = LIVEKIT__PARTICIPANT_TRACKS__INIT;
  Livekit__ParticipantTracks *pts[] = { &pt };
  char *sids[] = { (char *) "TR_v", (char *) "TR_a" };
  Livekit__LeaveRequest leave = LIVEKIT__LEAVE_REQUEST__INIT;

  /* oneof + map */
  sd.type = (char *) "answer";
  sd.sdp = (char *) "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  sd.id = 4000000000u;
  e0.key = (char *) "0";
  e0.value = (char *) "TR_v";
  e1.key = (char *) "mid-ü";
  e1.value = (char *) "";
  sd.n_mid_to_track_id = 2;
  sd.mid_to_track_id = entries;
  req.message_case = LIVEKIT__SIGNAL_REQUEST__MESSAGE_ANSWER;
  req.answer = &sd;
  add (corpus, &req.base);

  /* enum, bool, a camelCase .proto name */
  trickle.candidateinit = (char *) "{\"candidate\":\"candidate:1 1 udp 1 "
      "127.0.0.1 5000 typ host\",\"sdpMid\":\"0\"}";
  trickle.target = LIVEKIT__SIGNAL_TARGET__SUBSCRIBER;
  trickle.final = TRUE;
  req.message_case = LIVEKIT__SIGNAL_REQUEST__MESSAGE_TRICKLE;
  req.trickle = &trickle;
  add (corpus, &req.base);

  /* repeated strings and messages */
  sub.n_track_sids = 2;
  sub.track_sids = sids;
  sub.subscribe = TRUE;
  pt.participant_sid = (char *) "PA_1";
  pt.n_track_sids = 1;
  pt.track_sids = sids;
  sub.n_participant_tracks = 1;
  sub.participant_tracks = pts;
  req.message_case = LIVEKIT__SIGNAL_REQUEST__MESSAGE_SUBSCRIPTION;
  req.subscription = &sub;
  add (corpus, &req.base);

  /* int64 in a oneof, negative */
  req.message_case = LIVEKIT__SIGNAL_REQUEST__MESSAGE_PING;
  req.ping = G_GINT64_CONSTANT (-9007199254740993);
  add (corpus, &req.base);

  /* an empty message in a oneof */
  req.message_case = LIVEKIT__SIGNAL_REQUEST__MESSAGE_LEAVE;
  req.leave = &leave;
  add (corpus, &req.base);
}

static void
add_signal_responses (GPtrArray * corpus)
{
  Livekit__SignalResponse resp = LIVEKIT__SIGNAL_RESPONSE__INIT;
  Livekit__JoinResponse join = LIVEKIT__JOIN_RESPONSE__INIT;
  Livekit__Room room = LIVEKIT__ROOM__INIT;
  Livekit__Codec c0 = LIVEKIT__CODEC__INIT, c1 = LIVEKIT__CODEC__INIT;
  Livekit__Codec *codecs[] = { &c0, &c1 };
  Livekit__ParticipantInfo pi = LIVEKIT__PARTICIPANT_INFO__INIT;
  Livekit__ParticipantInfo *others[] = { &pi };
  Livekit__ParticipantInfo__AttributesEntry a0 =
      LIVEKIT__PARTICIPANT_INFO__ATTRIBUTES_ENTRY__INIT;
  Livekit__ParticipantInfo__AttributesEntry *attrs[] = { &a0 };
  Livekit__TrackInfo ti = LIVEKIT__TRACK_INFO__INIT;
  Livekit__TrackInfo *tracks[] = { &ti };
  Livekit__VideoLayer l0 = LIVEKIT__VIDEO_LAYER__INIT;
  Livekit__VideoLayer l1 = LIVEKIT__VIDEO_LAYER__INIT;
  Livekit__VideoLayer *layers[] = { &l0, &l1 };
  Livekit__ICEServer ice = LIVEKIT__ICESERVER__INIT;
  Livekit__ICEServer *ices[] = { &ice };
  char *urls[] = { (char *) "stun:127.0.0.1:3478" };
  static const guint8 sif[] = { 0, 1, 2, 0xfd, 0xfe, 0xff };
  Livekit__SpeakersChanged sc = LIVEKIT__SPEAKERS_CHANGED__INIT;
  Livekit__SpeakerInfo sp0 = LIVEKIT__SPEAKER_INFO__INIT;
  Livekit__SpeakerInfo *speakers[] = { &sp0 };

  room.sid = (char *) "RM_1";
  room.name = (char *) "my-room";
  room.empty_timeout = 300;
  room.creation_time = G_GINT64_CONSTANT (1700000000);
  c0.mime = (char *) "video/VP8";
  c1.mime = (char *) "audio/opus";
  c1.fmtp_line = (char *) "minptime=10;useinbandfec=1";
  room.n_enabled_codecs = 2;
  room.enabled_codecs = codecs;
  pi.sid = (char *) "PA_1";
  pi.identity = (char *) "alice";
  pi.state = LIVEKIT__PARTICIPANT_INFO__STATE__ACTIVE;
  pi.kind = LIVEKIT__PARTICIPANT_INFO__KIND__EGRESS;
  pi.joined_at = G_GINT64_CONSTANT (1700000001);
  pi.version = 7;
  a0.key = (char *) "role";
  a0.value = (char *) "host";
  pi.n_attributes = 1;
  pi.attributes = attrs;
  ti.sid = (char *) "TR_v";
  ti.type = LIVEKIT__TRACK_TYPE__VIDEO;
  ti.source = LIVEKIT__TRACK_SOURCE__CAMERA;
  ti.width = 1280;
  ti.height = 720;
  ti.mime_type = (char *) "video/VP8";
  l0.quality = LIVEKIT__VIDEO_QUALITY__HIGH;
  l0.width = 1280;
  l0.ssrc = G_MAXUINT32;
  l1.quality = LIVEKIT__VIDEO_QUALITY__LOW;
  ti.n_layers = 2;
  ti.layers = layers;
  pi.n_tracks = 1;
  pi.tracks = tracks;
  ice.n_urls = 1;
  ice.urls = urls;
  ice.username = (char *) "u";
  join.room = &room;
  join.participant = &pi;
  join.n_other_participants = 1;
  join.other_participants = others;
  join.n_ice_servers = 1;
  join.ice_servers = ices;
  join.subscriber_primary = TRUE;
  join.ping_timeout = 15;
  join.ping_interval = 5;
  join.sif_trailer.data = (guint8 *) sif;
  join.sif_trailer.len = sizeof (sif);
  resp.message_case = LIVEKIT__SIGNAL_RESPONSE__MESSAGE_JOIN;
  resp.join = &join;
  add (corpus, &resp.base);

  /* uint64 beyond 2^53 in a oneof */
  resp.message_case = LIVEKIT__SIGNAL_RESPONSE__MESSAGE_PONG;
  resp.pong = G_GINT64_CONSTANT (9007199254740993);
  add (corpus, &resp.base);

  /* float */
  sp0.sid = (char *) "PA_1";
  sp0.level = 0.1f;
  sp0.active = TRUE;
  sc.n_speakers = 1;
  sc.speakers = speakers;
  resp.message_case = LIVEKIT__SIGNAL_RESPONSE__MESSAGE_SPEAKERS_CHANGED;
  resp.speakers_changed = &sc;
  add (corpus, &resp.base);

  /* a string oneof member at its default is still set */
  resp.message_case = LIVEKIT__SIGNAL_RESPONSE__MESSAGE_REFRESH_TOKEN;
  resp.refresh_token = (char *) "";
  add (corpus, &resp.base);

  /* nothing set */
  resp.message_case = LIVEKIT__SIGNAL_RESPONSE__MESSAGE__NOT_SET;
  add (corpus, &resp.base);
}

static void
add_egress (GPtrArray * corpus)
{
  Livekit__StartEgressRequest req = LIVEKIT__START_EGRESS_REQUEST__INIT;
  Livekit__TemplateSource tmpl = LIVEKIT__TEMPLATE_SOURCE__INIT;
  Livekit__Output o0 = LIVEKIT__OUTPUT__INIT, o1 = LIVEKIT__OUTPUT__INIT;
  Livekit__Output *outputs[] = { &o0, &o1 };
  Livekit__FileOutput fo = LIVEKIT__FILE_OUTPUT__INIT;
  Livekit__StreamOutput so = LIVEKIT__STREAM_OUTPUT__INIT;
  char *stream_urls[] = { (char *) "rtmp://127.0.0.1/live/a" };
  Livekit__StorageConfig storage = LIVEKIT__STORAGE_CONFIG__INIT;
  Livekit__S3Upload s3 = LIVEKIT__S3_UPLOAD__INIT;
  Livekit__S3Upload__MetadataEntry m0 =
      LIVEKIT__S3_UPLOAD__METADATA_ENTRY__INIT;
  Livekit__S3Upload__MetadataEntry *meta[] = { &m0 };
  Livekit__EgressInfo info = LIVEKIT__EGRESS_INFO__INIT;
  Livekit__RoomCompositeEgressRequest rc =
      LIVEKIT__ROOM_COMPOSITE_EGRESS_REQUEST__INIT;
  Livekit__EncodingOptions adv = LIVEKIT__ENCODING_OPTIONS__INIT;
  Livekit__FileInfo fi = LIVEKIT__FILE_INFO__INIT;
  Livekit__FileInfo *files[] = { &fi };
  Livekit__StopEgressRequest stop = LIVEKIT__STOP_EGRESS_REQUEST__INIT;
  Livekit__WebhookEvent ev = LIVEKIT__WEBHOOK_EVENT__INIT;

  req.room_name = (char *) "my-room";
  tmpl.layout = (char *) "grid";
  tmpl.audio_only = FALSE;
  req.source_case = LIVEKIT__START_EGRESS_REQUEST__SOURCE_TEMPLATE;
  req.template_ = &tmpl;
  req.encoding_case = LIVEKIT__START_EGRESS_REQUEST__ENCODING_PRESET;
  req.preset = LIVEKIT__ENCODING_OPTIONS_PRESET__H264_1080P_30;
  fo.file_type = LIVEKIT__ENCODED_FILE_TYPE__MP4;
  fo.filepath = (char *) "rec/{room_name}-{time}.mp4";
  o0.config_case = LIVEKIT__OUTPUT__CONFIG_FILE;
  o0.file = &fo;
  s3.bucket = (char *) "b";
  s3.endpoint = (char *) "http://127.0.0.1:9000";
  s3.force_path_style = TRUE;
  m0.key = (char *) "k";
  m0.value = (char *) "v";
  s3.n_metadata = 1;
  s3.metadata = meta;
  storage.provider_case = LIVEKIT__STORAGE_CONFIG__PROVIDER_S3;
  storage.s3 = &s3;
  o0.storage = &storage;
  so.protocol = LIVEKIT__STREAM_PROTOCOL__RTMP;
  so.n_urls = 1;
  so.urls = stream_urls;
  o1.config_case = LIVEKIT__OUTPUT__CONFIG_STREAM;
  o1.stream = &so;
  req.n_outputs = 2;
  req.outputs = outputs;
  add (corpus, &req.base);

  info.egress_id = (char *) "EG_1";
  info.room_name = (char *) "my-room";
  info.status = LIVEKIT__EGRESS_STATUS__EGRESS_COMPLETE;
  info.started_at = G_GINT64_CONSTANT (1700000000000000000);
  info.ended_at = G_GINT64_CONSTANT (1700000060000000000);
  rc.room_name = (char *) "my-room";
  rc.layout = (char *) "speaker";
  adv.width = 1280;
  adv.height = 720;
  adv.video_codec = LIVEKIT__VIDEO_CODEC__H264_MAIN;
  adv.key_frame_interval = 2.5;
  rc.options_case = LIVEKIT__ROOM_COMPOSITE_EGRESS_REQUEST__OPTIONS_ADVANCED;
  rc.advanced = &adv;
  info.request_case = LIVEKIT__EGRESS_INFO__REQUEST_ROOM_COMPOSITE;
  info.room_composite = &rc;
  fi.filename = (char *) "a.mp4";
  fi.size = G_GINT64_CONSTANT (123456789012);
  fi.duration = G_GINT64_CONSTANT (60000000000);
  info.n_file_results = 1;
  info.file_results = files;
  info.error_code = 500;
  add (corpus, &info.base);

  /* an empty top-level message */
  add (corpus, &stop.base);

  ev.event = (char *) "egress_ended";
  ev.id = (char *) "EV_1";
  ev.created_at = G_GINT64_CONSTANT (1700000000);
  ev.egress_info = &info;
  add (corpus, &ev.base);
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

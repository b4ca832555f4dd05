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

/* A webrtcbin subscriber PeerConnection for the test server's tests.
 *
 * It answers offers and exchanges ICE candidates over JSON lines on
 * stdin/stdout; a Node driver (webrtcbin-client.test.mjs) does the LiveKit
 * signalling and relays.  ICE is kept on 127.0.0.1.  Every webrtcbin source
 * pad gets a counting fakesink (VP8: keyframes and their width); on {"type":"bye"} the program prints
 * {"type":"stats","pads":[{"mid","encoding","buffers"}...]} and exits.
 *
 * in:  {"type":"offer","sdp":S}  {"type":"ice","mline":N,"candidate":C}
 *      {"type":"pli","mid":M} (ask for a keyframe)  {"type":"bye"}
 * out: {"type":"answer","sdp":S} {"type":"ice","mline":N,"candidate":C}
 *      {"type":"pad","mid":M,"encoding":E}  {"type":"stats",...}
 */

#include <stdio.h>
#ifndef GST_USE_UNSTABLE_API
#define GST_USE_UNSTABLE_API
#endif
#include <gst/gst.h>
#include <gst/rtp/rtp.h>
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>
#include <json-glib/json-glib.h>

typedef struct
{
  gchar *mid;
  gchar *encoding;
  gint buffers;                 /* atomic */
  gint keyframes;               /* atomic; VP8 only */
  gint width;                   /* atomic; of the last VP8 keyframe */
  GstPad *sinkpad;
} PadStats;

static GstElement *pipeline, *webrtc;
static GMainLoop *loop;
static GPtrArray *pads;         /* PadStats, main thread only after bye */
static GMutex pads_lock;

static void
print_node (JsonBuilder * b)
{
  JsonGenerator *g = json_generator_new ();
  JsonNode *n = json_builder_get_root (b);
  gchar *s;

  json_generator_set_root (g, n);
  s = json_generator_to_data (g, NULL);
  g_print ("%s\n", s);
  fflush (stdout);
  g_free (s);
  json_node_unref (n);
  g_object_unref (g);
  g_object_unref (b);
}

static void
emit (const gchar * type, const gchar * key, const gchar * value, gint mline)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, value);
  if (mline >= 0) {
    json_builder_set_member_name (b, "mline");
    json_builder_add_int_value (b, mline);
  }
  json_builder_end_object (b);
  print_node (b);
}

static void
on_ice_candidate (GstElement * w, guint mline, gchar * candidate, gpointer u)
{
  emit ("ice", "candidate", candidate, mline);
}

/* TRUE for the first packet of a VP8 keyframe (RFC 7741: S bit and
 * partition 0 in the payload descriptor, then P = 0 in the frame's first
 * byte) */
static gboolean
is_vp8_keyframe_start (GstBuffer * buf, gint * width)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  const guint8 *d;
  guint len, off = 1;
  gboolean key = FALSE;

  if (!gst_rtp_buffer_map (buf, GST_MAP_READ, &rtp))
    return FALSE;
  d = gst_rtp_buffer_get_payload (&rtp);
  len = gst_rtp_buffer_get_payload_len (&rtp);
  if (len < 1 || !(d[0] & 0x10) || (d[0] & 0x07) != 0)
    goto done;
  if (d[0] & 0x80) {            /* X: extension byte */
    guint8 x;

    if (len < 2)
      goto done;
    x = d[1];
    off = 2;
    if (x & 0x80)               /* I: picture id, 7 or 15 bits */
      off += (off < len && (d[off] & 0x80)) ? 2 : 1;
    if (x & 0x40)               /* L: TL0PICIDX */
      off++;
    if (x & 0x30)               /* T or K */
      off++;
  }
  key = off < len && (d[off] & 0x01) == 0;
  /* a keyframe's header: 3-byte tag, start code, 14-bit width */
  if (key && off + 8 <= len && d[off + 3] == 0x9d && d[off + 4] == 0x01
      && d[off + 5] == 0x2a)
    *width = GST_READ_UINT16_LE (d + off + 6) & 0x3fff;
done:
  gst_rtp_buffer_unmap (&rtp);
  return key;
}

static GstPadProbeReturn
count_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  PadStats *st = user_data;

  g_atomic_int_inc (&st->buffers);
  if (st->encoding && g_str_equal (st->encoding, "VP8")) {
    gint width = 0;

    if (is_vp8_keyframe_start (GST_PAD_PROBE_INFO_BUFFER (info), &width)) {
      g_atomic_int_inc (&st->keyframes);
      if (width)
        g_atomic_int_set (&st->width, width);
    }
  }
  return GST_PAD_PROBE_OK;
}

static void
on_pad_added (GstElement * w, GstPad * pad, gpointer u)
{
  GstWebRTCRTPTransceiver *trans = NULL;
  GstElement *sink;
  GstPad *sinkpad;
  GstCaps *caps;
  PadStats *st;
  JsonBuilder *b;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;

  st = g_new0 (PadStats, 1);
  g_object_get (pad, "transceiver", &trans, NULL);
  if (trans) {
    g_object_get (trans, "mid", &st->mid, NULL);
    gst_object_unref (trans);
  }
  caps = gst_pad_get_current_caps (pad);
  if (caps) {
    st->encoding = g_strdup (gst_structure_get_string (gst_caps_get_structure
            (caps, 0), "encoding-name"));
    gst_caps_unref (caps);
  }
  g_mutex_lock (&pads_lock);
  g_ptr_array_add (pads, st);
  g_mutex_unlock (&pads_lock);

  sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, st,
      NULL);
  gst_pad_link (pad, sinkpad);
  st->sinkpad = sinkpad;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "pad");
  json_builder_set_member_name (b, "mid");
  json_builder_add_string_value (b, st->mid ? st->mid : "");
  json_builder_set_member_name (b, "encoding");
  json_builder_add_string_value (b, st->encoding ? st->encoding : "");
  json_builder_end_object (b);
  print_node (b);
}

static void
on_answer_created (GstPromise * promise, gpointer u)
{
  GstWebRTCSessionDescription *answer = NULL;
  const GstStructure *reply = gst_promise_get_reply (promise);
  gchar *text;

  if (reply)
    gst_structure_get (reply, "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
        &answer, NULL);
  gst_promise_unref (promise);
  if (!answer) {
    g_printerr ("webrtcbin-client: create-answer failed\n");
    g_main_loop_quit (loop);
    return;
  }
  g_signal_emit_by_name (webrtc, "set-local-description", answer, NULL);
  text = gst_sdp_message_as_text (answer->sdp);
  emit ("answer", "sdp", text, -1);
  g_free (text);
  gst_webrtc_session_description_free (answer);
}

static void
on_remote_set (GstPromise * promise, gpointer u)
{
  gst_promise_unref (promise);
  g_signal_emit_by_name (webrtc, "create-answer", NULL,
      gst_promise_new_with_change_func (on_answer_created, NULL, NULL));
}

static void
print_stats (void)
{
  JsonBuilder *b = json_builder_new ();
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "stats");
  json_builder_set_member_name (b, "pads");
  json_builder_begin_array (b);
  g_mutex_lock (&pads_lock);
  for (i = 0; i < pads->len; i++) {
    PadStats *st = g_ptr_array_index (pads, i);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "mid");
    json_builder_add_string_value (b, st->mid ? st->mid : "");
    json_builder_set_member_name (b, "encoding");
    json_builder_add_string_value (b, st->encoding ? st->encoding : "");
    json_builder_set_member_name (b, "buffers");
    json_builder_add_int_value (b, g_atomic_int_get (&st->buffers));
    json_builder_set_member_name (b, "keyframes");
    json_builder_add_int_value (b, g_atomic_int_get (&st->keyframes));
    json_builder_set_member_name (b, "width");
    json_builder_add_int_value (b, g_atomic_int_get (&st->width));
    json_builder_end_object (b);
  }
  g_mutex_unlock (&pads_lock);
  json_builder_end_array (b);
  json_builder_end_object (b);
  print_node (b);
}

/* An upstream force-key-unit from the pad of @mid: webrtcbin's RTP session
 * sends it as a PLI */
static void
request_keyframe (const gchar * mid)
{
  GstPad *target = NULL;
  guint i;

  g_mutex_lock (&pads_lock);
  for (i = 0; i < pads->len; i++) {
    PadStats *st = g_ptr_array_index (pads, i);

    if (st->mid && g_str_equal (st->mid, mid) && st->sinkpad)
      target = gst_object_ref (st->sinkpad);
  }
  g_mutex_unlock (&pads_lock);
  if (!target) {
    g_printerr ("webrtcbin-client: no pad for mid %s\n", mid);
    return;
  }
  gst_pad_push_event (target, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM,
          gst_structure_new ("GstForceKeyUnit", "all-headers",
              G_TYPE_BOOLEAN, FALSE, NULL)));
  gst_object_unref (target);
}

static void
handle_line (const gchar * line)
{
  JsonParser *parser = json_parser_new ();
  JsonObject *o;
  const gchar *type;
  GError *err = NULL;

  if (!json_parser_load_from_data (parser, line, -1, &err)) {
    g_printerr ("webrtcbin-client: bad input line: %s\n", err->message);
    g_clear_error (&err);
    g_object_unref (parser);
    return;
  }
  o = json_node_get_object (json_parser_get_root (parser));
  type = json_object_get_string_member_with_default (o, "type", "");

  if (g_str_equal (type, "offer")) {
    GstSDPMessage *sdp = NULL;
    GstWebRTCSessionDescription *desc;

    gst_sdp_message_new_from_text (json_object_get_string_member (o, "sdp"),
        &sdp);
    desc = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_OFFER, sdp);
    g_signal_emit_by_name (webrtc, "set-remote-description", desc,
        gst_promise_new_with_change_func (on_remote_set, NULL, NULL));
    gst_webrtc_session_description_free (desc);
  } else if (g_str_equal (type, "ice")) {
    g_signal_emit_by_name (webrtc, "add-ice-candidate",
        (guint) json_object_get_int_member (o, "mline"),
        json_object_get_string_member (o, "candidate"));
  } else if (g_str_equal (type, "stats")) {
    print_stats ();
  } else if (g_str_equal (type, "pli")) {
    request_keyframe (json_object_get_string_member_with_default (o, "mid",
            ""));
  } else if (g_str_equal (type, "bye")) {
    g_main_loop_quit (loop);
  }
  g_object_unref (parser);
}

static gboolean
on_stdin (GIOChannel * ch, GIOCondition cond, gpointer u)
{
  gchar *line = NULL;
  gsize len;

  if (g_io_channel_read_line (ch, &line, &len, NULL, NULL) !=
      G_IO_STATUS_NORMAL) {
    g_main_loop_quit (loop);
    return G_SOURCE_REMOVE;
  }
  handle_line (line);
  g_free (line);
  return G_SOURCE_CONTINUE;
}

static void
pad_stats_free (gpointer p)
{
  PadStats *st = p;

  g_free (st->mid);
  g_free (st->encoding);
  g_free (st);
}

int
main (int argc, char **argv)
{
  GstWebRTCICE *ice = NULL;
  GIOChannel *in;
  gboolean ok = FALSE;

  gst_init (&argc, &argv);
  loop = g_main_loop_new (NULL, FALSE);
  pads = g_ptr_array_new_with_free_func (pad_stats_free);

  pipeline = gst_pipeline_new (NULL);
  webrtc = gst_element_factory_make ("webrtcbin", NULL);
  if (!webrtc) {
    g_printerr ("webrtcbin-client: no webrtcbin element\n");
    return 1;
  }
  g_object_set (webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE,
      NULL);
  gst_bin_add (GST_BIN (pipeline), webrtc);

  /* only 127.0.0.1 host candidates */
  g_object_get (webrtc, "ice-agent", &ice, NULL);
  g_signal_emit_by_name (ice, "add-local-ip-address", "127.0.0.1", &ok);
  gst_object_unref (ice);

  g_signal_connect (webrtc, "on-ice-candidate", G_CALLBACK (on_ice_candidate),
      NULL);
  g_signal_connect (webrtc, "pad-added", G_CALLBACK (on_pad_added), NULL);

  in = g_io_channel_unix_new (0);
  g_io_add_watch (in, G_IO_IN | G_IO_HUP, on_stdin, NULL);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_main_loop_run (loop);
  print_stats ();
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_io_channel_unref (in);
  gst_object_unref (pipeline);
  g_ptr_array_unref (pads);
  g_main_loop_unref (loop);
  return 0;
}

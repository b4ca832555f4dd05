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
 * SECTION:element-livekitroomsrc
 * @title: livekitroomsrc
 *
 * Joins a LiveKit room as a hidden recorder and outputs every track it
 * records on its own sometimes pad, `video_%u` or `audio_%u`.  Pads are
 * #GstLiveKitSrcPad: their read-only properties say whose track they carry
 * (participant-identity, participant-sid, participant-name,
 * participant-metadata, track-sid, track-name, source, codec, muted, width,
 * height).
 *
 * A pad outputs the track as published (video/x-vp8, video/x-vp9,
 * video/x-h264, audio/x-opus, audio/x-mulaw, audio/x-alaw) when downstream
 * accepts it, so tracks are recorded without transcoding; when downstream
 * takes only raw media the pad decodes.  The choice is made when the pad is
 * linked from the pad-added handler (as gst-launch-1.0 does); a pad linked
 * later outputs the encoded track.
 *
 * The element mints its own token from #GstLiveKitRoomSrc:api-key,
 * #GstLiveKitRoomSrc:api-secret and #GstLiveKitRoomSrc:room (a hidden
 * recorder that may only subscribe), or uses #GstLiveKitRoomSrc:token.
 * Pads get EOS and go away when their track is unpublished or their
 * participant leaves; when the room closes or the recorder is removed every
 * pad gets EOS, so files finalize.  A lost signalling connection is
 * resumed (the media connection stays, through the ICE restart the server
 * asks for) or, when the server no longer has the session, replaced by a
 * new one (a new webrtcbin whose streams feed the existing pads), for up to
 * #GstLiveKitRoomSrc:resume-timeout seconds without ending the recording.
 *
 * Room events are posted on the bus as element messages: `livekit-connection`
 * (state: connected, reconnecting, resumed, rejoined, disconnected),
 * `livekit-participant-joined`, `livekit-participant-left`,
 * `livekit-participant-metadata`, `livekit-track-published`,
 * `livekit-track-unpublished`, `livekit-track-muted`,
 * `livekit-track-unmuted`, `livekit-active-speakers` and
 * `livekit-room-metadata`.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -e livekitroomsrc url=ws://127.0.0.1:7880 api-key=devkey \
 *     api-secret=secret room=my-room name=src \
 *   src. ! queue ! webmmux ! filesink location=video.webm
 * ]| Records the first video track of the room to WebM without transcoding.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#ifndef GST_USE_UNSTABLE_API
#define GST_USE_UNSTABLE_API
#endif
#include <gst/audio/audio.h>
#include <gst/rtp/rtp.h>
#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>
#include <json-glib/json-glib.h>
#include <gst/livekit/signalclient.h>
#include <gst/livekit/token.h>

#include "gstlivekitroomsrc.h"
#include "gstlivekitsrcpad.h"

GST_DEBUG_CATEGORY_STATIC (gst_livekit_room_src_debug);
#define GST_CAT_DEFAULT gst_livekit_room_src_debug

#define DEFAULT_AUDIO TRUE
#define DEFAULT_VIDEO TRUE
#define DEFAULT_SCREEN_SHARE GST_LIVEKIT_SCREEN_SHARE_INCLUDE
#define DEFAULT_VIDEO_QUALITY GST_LIVEKIT_VIDEO_QUALITY_HIGH
#define DEFAULT_LATENCY 200
#define DEFAULT_RESUME_TIMEOUT 20
#define DEFAULT_SUBSCRIBE_TIMEOUT 20
#define DEFAULT_ICE_TRANSPORT_POLICY GST_LIVEKIT_ICE_TRANSPORT_POLICY_ALL

enum
{
  PROP_0,
  PROP_URL,
  PROP_API_KEY,
  PROP_API_SECRET,
  PROP_TOKEN,
  PROP_ROOM,
  PROP_IDENTITY,
  PROP_PARTICIPANTS,
  PROP_TRACKS,
  PROP_AUDIO,
  PROP_VIDEO,
  PROP_SCREEN_SHARE,
  PROP_VIDEO_QUALITY,
  PROP_LATENCY,
  PROP_RESUME_TIMEOUT,
  PROP_SUBSCRIBE_TIMEOUT,
  PROP_CA_FILE,
  PROP_ICE_TRANSPORT_POLICY,
  PROP_LOCAL_ADDRESS,
  PROP_REPUBLISH_GRACE,
};

enum
{
  SIGNAL_ROOM_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One recorded track: the webrtcbin pad it comes from, the elements after
 * it and the ghost pad that shows it. */
typedef struct
{
  gchar *track_sid;
  GstPad *webrtc_pad;
  GstPad *chain_sink;
  GstLiveKitSrcPad *srcpad;
  GPtrArray *elements;
  gulong drop_probe;
  /* signalling thread only: GAP events while the track is muted */
  GSource *gap_source;
  GstClockTime gap_next;
  /* raw output unmuted, filler goes on until decoded media is back */
  gboolean resuming;
  GstClockTime resume_mark;
  /* raw output: the decoder's src pad, where filler goes while muted;
   * fill_lock guards real_end, the end of the last decoded buffer */
  GstPad *raw_src;
  GMutex fill_lock;
  GstClockTime real_end;
  GstClockTimeDiff real_lead;   /* real_end minus running time when seen */
  gboolean have_lead;
  /* signalling thread only: keyframe requests until one arrives */
  GSource *keyframe_source;
  guint keyframe_tries;
  struct _GstLiveKitRoomSrc *self;
  /* state_lock: who may continue this pad after an unpublish */
  const gchar *codec;
  gchar *orphan_identity;       /* set while waiting for a republish */
  GstLiveKitTrackSource orphan_source;
} Output;

typedef struct
{
  gchar *url;
  gchar *api_key;
  gchar *api_secret;
  gchar *token;
  gchar *room;
  gchar *identity;
  gchar **participants;
  gchar **tracks;
  gboolean audio;
  gboolean video;
  GstLiveKitScreenShare screen_share;
  GstLiveKitVideoQuality video_quality;
  guint latency;
  guint resume_timeout;
  guint subscribe_timeout;
  gchar *ca_file;
  GstLiveKitIceTransportPolicy ice_transport_policy;
  gchar *local_address;
  guint republish_grace;
} Settings;

typedef struct
{
  /* Lock order: settings_lock before state_lock.  Neither is held while
   * emitting signals, posting messages, or adding or removing pads. */
  GMutex settings_lock;
  Settings settings;

  GMutex state_lock;
  /* how far the server's report clock is behind ours (ns, NTP time), the
   * smallest seen; G_MININT64 before the first report, 0 when the clocks
   * agree (sr_clock_track FALSE) */
  gint64 sr_clock_offset;
  gboolean sr_clock_track;
  GHashTable *mid_to_track;     /* mid -> track sid */
  GHashTable *participants;     /* sid -> Livekit__ParticipantInfo */
  GHashTable *outputs;          /* track sid -> Output */
  guint video_count;
  guint audio_count;

  /* Signalling thread only (everything below) */
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  GstElement *webrtc;
  GstLiveKitSignalClient *client;
  gchar *session_token;
  gchar *session_url;
  gchar *self_sid;
  GHashTable *subscribed;       /* track sids asked for */
  guint32 offer_id;
  gboolean answer_sent;
  GPtrArray *pending_candidates;        /* candidateInit JSON texts */
  GPtrArray *sent_candidates;   /* the same, sent on this PeerConnection */
  gboolean started;
  gboolean joined;
  gboolean ended;
  gboolean any_track;
  gint64 lost_at;               /* monotonic µs, 0 when connected */
  gboolean resume_refused;      /* the server lost our session: join again */
  gchar *remote_ufrag;          /* of the server's last offer */
  gboolean ice_restart;         /* the offer being answered restarts ICE */
  gint rtp_packets;             /* atomic: RTP packets received, all told */
  gint rtp_at_restart;          /* rtp_packets when an ICE restart was answered */
  GSource *restart_watch;       /* checks that media came back after it */
  GSource *retry_source;
  GSource *subscribe_timeout_source;
} GstLiveKitRoomSrcPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GstLiveKitRoomSrc, gst_livekit_room_src,
    GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE (livekitroomsrc, "livekitroomsrc",
    GST_RANK_NONE, GST_TYPE_LIVEKIT_ROOM_SRC);

#define PRIV(self) \
  ((GstLiveKitRoomSrcPrivate *) \
      gst_livekit_room_src_get_instance_private (GST_LIVEKIT_ROOM_SRC (self)))

#define VIDEO_CAPS "video/x-vp8; video/x-vp9; " \
  "video/x-h264, stream-format = (string) byte-stream, " \
  "alignment = (string) au; video/x-raw"
#define AUDIO_CAPS "audio/x-opus; audio/x-mulaw; audio/x-alaw; audio/x-raw"

static GstStaticPadTemplate video_template =
GST_STATIC_PAD_TEMPLATE ("video_%u", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS (VIDEO_CAPS));
static GstStaticPadTemplate audio_template =
GST_STATIC_PAD_TEMPLATE ("audio_%u", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS (AUDIO_CAPS));

/* ------------------------------------------------------------------ */
/* Enums */

#define GST_TYPE_LIVEKIT_SCREEN_SHARE (gst_livekit_screen_share_get_type ())
static GType
gst_livekit_screen_share_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_LIVEKIT_SCREEN_SHARE_INCLUDE, "Record screen shares", "include"},
    {GST_LIVEKIT_SCREEN_SHARE_EXCLUDE, "Leave screen shares out", "exclude"},
    {GST_LIVEKIT_SCREEN_SHARE_ONLY, "Record only screen shares", "only"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type,
        g_enum_register_static ("GstLiveKitScreenShare", values));
  return type;
}

#define GST_TYPE_LIVEKIT_VIDEO_QUALITY (gst_livekit_video_quality_get_type ())
static GType
gst_livekit_video_quality_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_LIVEKIT_VIDEO_QUALITY_LOW, "Lowest simulcast layer", "low"},
    {GST_LIVEKIT_VIDEO_QUALITY_MEDIUM, "Middle simulcast layer", "medium"},
    {GST_LIVEKIT_VIDEO_QUALITY_HIGH, "Highest simulcast layer", "high"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type,
        g_enum_register_static ("GstLiveKitVideoQuality", values));
  return type;
}

#define GST_TYPE_LIVEKIT_ICE_TRANSPORT_POLICY \
  (gst_livekit_ice_transport_policy_get_type ())
static GType
gst_livekit_ice_transport_policy_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_LIVEKIT_ICE_TRANSPORT_POLICY_ALL, "Any candidate", "all"},
    {GST_LIVEKIT_ICE_TRANSPORT_POLICY_RELAY, "TURN relays only", "relay"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type,
        g_enum_register_static ("GstLiveKitIceTransportPolicy", values));
  return type;
}

/* ------------------------------------------------------------------ */
/* Helpers */

static Livekit__ParticipantInfo *
participant_copy (const Livekit__ParticipantInfo * info)
{
  gsize len = livekit__participant_info__get_packed_size (info);
  guint8 *buf = g_malloc (len ? len : 1);
  Livekit__ParticipantInfo *copy;

  livekit__participant_info__pack (info, buf);
  copy = livekit__participant_info__unpack (NULL, len, buf);
  g_free (buf);
  return copy;
}

static void
participant_free (gpointer p)
{
  livekit__participant_info__free_unpacked (p, NULL);
}

static const Livekit__TrackInfo *
find_track (const Livekit__ParticipantInfo * p, const gchar * sid)
{
  gsize i;

  for (i = 0; p && i < p->n_tracks; i++)
    if (g_strcmp0 (p->tracks[i]->sid, sid) == 0)
      return p->tracks[i];
  return NULL;
}

static gchar **
split_list (const gchar * s)
{
  gchar **parts, **out;
  guint i, n = 0;

  if (!s || !*s)
    return NULL;
  parts = g_strsplit_set (s, ", ", -1);
  out = g_new0 (gchar *, g_strv_length (parts) + 1);
  for (i = 0; parts[i]; i++)
    if (*parts[i])
      out[n++] = g_strdup (parts[i]);
  g_strfreev (parts);
  if (n == 0)
    g_clear_pointer (&out, g_strfreev);
  return out;
}

static GstLiveKitTrackSource
track_source (Livekit__TrackSource s)
{
  switch (s) {
    case LIVEKIT__TRACK_SOURCE__CAMERA:
      return GST_LIVEKIT_TRACK_SOURCE_CAMERA;
    case LIVEKIT__TRACK_SOURCE__MICROPHONE:
      return GST_LIVEKIT_TRACK_SOURCE_MICROPHONE;
    case LIVEKIT__TRACK_SOURCE__SCREEN_SHARE:
      return GST_LIVEKIT_TRACK_SOURCE_SCREEN_SHARE;
    case LIVEKIT__TRACK_SOURCE__SCREEN_SHARE_AUDIO:
      return GST_LIVEKIT_TRACK_SOURCE_SCREEN_SHARE_AUDIO;
    default:
      return GST_LIVEKIT_TRACK_SOURCE_UNKNOWN;
  }
}

static const gchar *
source_nick (Livekit__TrackSource s)
{
  GEnumValue *v = g_enum_get_value (g_type_class_ref
      (GST_TYPE_LIVEKIT_TRACK_SOURCE), track_source (s));

  return v ? v->value_nick : "unknown";
}

static void
fill_desc (GstLiveKitTrackDesc * d, const Livekit__ParticipantInfo * p,
    const Livekit__TrackInfo * t, const gchar * codec)
{
  gst_livekit_track_desc_clear (d);
  d->participant_identity = g_strdup (p->identity);
  d->participant_sid = g_strdup (p->sid);
  d->participant_name = g_strdup (p->name);
  d->participant_metadata = g_strdup (p->metadata);
  d->track_sid = g_strdup (t->sid);
  d->track_name = g_strdup (t->name);
  d->source = track_source (t->source);
  d->codec = g_strdup (codec);
  d->muted = t->muted;
  d->width = t->width;
  d->height = t->height;
}

/* Room events go to the bus as element messages and to the "room-event"
 * signal, detailed by the message name.  Called with no lock held. */
static void
post_event (GstLiveKitRoomSrc * self, GstStructure * s)
{
  GQuark detail = g_quark_from_string (gst_structure_get_name (s));

  g_signal_emit (self, signals[SIGNAL_ROOM_EVENT], detail, s);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
}

static void
post_connection (GstLiveKitRoomSrc * self, const gchar * state)
{
  post_event (self, gst_structure_new ("livekit-connection", "state",
          G_TYPE_STRING, state, NULL));
}

static GstStructure *
track_event (const gchar * name, const Livekit__ParticipantInfo * p,
    const Livekit__TrackInfo * t)
{
  return gst_structure_new (name,
      "participant-identity", G_TYPE_STRING, p->identity,
      "participant-sid", G_TYPE_STRING, p->sid,
      "track-sid", G_TYPE_STRING, t->sid,
      "track-name", G_TYPE_STRING, t->name,
      "kind", G_TYPE_STRING,
      t->type == LIVEKIT__TRACK_TYPE__VIDEO ? "video" : "audio",
      "source", G_TYPE_STRING, source_nick (t->source),
      "muted", G_TYPE_BOOLEAN, (gboolean) t->muted, NULL);
}

static void
invoke (GstLiveKitRoomSrc * self, GSourceFunc func, gpointer data,
    GDestroyNotify destroy)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);

  g_main_context_invoke_full (priv->context, G_PRIORITY_DEFAULT, func, data,
      destroy);
}

/* ------------------------------------------------------------------ */
/* Outputs */

static void
stop_gaps (Output * o)
{
  if (o->gap_source) {
    g_source_destroy (o->gap_source);
    g_clear_pointer (&o->gap_source, g_source_unref);
  }
}

static void
stop_keyframe_watch (Output * o)
{
  if (o->keyframe_source) {
    g_source_destroy (o->keyframe_source);
    g_clear_pointer (&o->keyframe_source, g_source_unref);
  }
}

static void
output_free (Output * o)
{
  stop_gaps (o);
  stop_keyframe_watch (o);
  gst_clear_object (&o->raw_src);
  g_mutex_clear (&o->fill_lock);
  g_free (o->orphan_identity);
  g_free (o->track_sid);
  gst_clear_object (&o->webrtc_pad);
  gst_clear_object (&o->chain_sink);
  gst_clear_object (&o->srcpad);
  if (o->elements)
    g_ptr_array_unref (o->elements);
  g_free (o);
}

static void request_keyframe (GstLiveKitSrcPad * pad);

/* webrtcbin ends a stream with EOS when its m-line goes inactive; whether
 * a pad ends is the element's decision (a republish or a new session may
 * continue it), so that EOS stops here. */
static GstPadProbeReturn
drop_upstream_eos (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS)
    return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

static void
guard_stream (GstPad * webrtc_pad)
{
  gst_pad_add_probe (webrtc_pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      drop_upstream_eos, NULL, NULL);
}

static GstPadProbeReturn
drop_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  return GST_PAD_PROBE_DROP;
}

/* Running time of the media leaving webrtcbin now: clock minus base time
 * minus the jitter buffer. */
static GstClockTime
output_running_time (GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (self));
  GstClockTime now, base, latency;

  if (!clock)
    return GST_CLOCK_TIME_NONE;
  now = gst_clock_get_time (clock);
  gst_object_unref (clock);
  base = gst_element_get_base_time (GST_ELEMENT (self));
  g_mutex_lock (&priv->settings_lock);
  latency = priv->settings.latency * GST_MSECOND;
  g_mutex_unlock (&priv->settings_lock);
  if (now < base + latency)
    return 0;
  return now - base - latency;
}

/* Raw output while muted: black frames and silence, so that mixers
 * downstream keep a picture and a level for the participant rather than
 * a hole.  Filler buffers carry the GAP flag. */
#define FILLER_FALLBACK_FPS 25

static GstPadProbeReturn
note_decoded (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Output *o = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime end, now = GST_CLOCK_TIME_NONE;
  GstClock *clock;

  if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP)
      || !GST_BUFFER_PTS_IS_VALID (buf))
    return GST_PAD_PROBE_OK;
  end = GST_BUFFER_PTS (buf);
  if (GST_BUFFER_DURATION_IS_VALID (buf))
    end += GST_BUFFER_DURATION (buf);
  clock = gst_element_get_clock (GST_ELEMENT (o->self));
  if (clock) {
    now = gst_clock_get_time (clock);
    gst_object_unref (clock);
    now -= gst_element_get_base_time (GST_ELEMENT (o->self));
  }
  g_mutex_lock (&o->fill_lock);
  if (!GST_CLOCK_TIME_IS_VALID (o->real_end) || end > o->real_end)
    o->real_end = end;
  if (GST_CLOCK_TIME_IS_VALID (now)) {
    /* where the stream's timeline stands against the running time, so the
     * filler continues it without a hole or an overlap */
    o->real_lead = GST_CLOCK_DIFF (now, o->real_end);
    o->have_lead = TRUE;
  }
  g_mutex_unlock (&o->fill_lock);
  return GST_PAD_PROBE_OK;
}

/* One black frame: luma 16 and chroma 128 for planar and semi-planar YUV,
 * zero for RGB and grey.  NULL for packed YUV, which gets GAP events. */
static GstBuffer *
black_frame (const GstVideoInfo * info)
{
  const GstVideoFormatInfo *finfo = info->finfo;
  GstBuffer *buf;
  GstVideoFrame frame;
  guint p;

  buf = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (info), NULL);
  if (!gst_video_frame_map (&frame, info, buf, GST_MAP_WRITE)) {
    gst_buffer_unref (buf);
    return NULL;
  }
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&frame); p++) {
    gint comp[GST_VIDEO_MAX_COMPONENTS];
    guint8 value = 0;
    gsize size;

    gst_video_format_info_component (finfo, p, comp);
    if (GST_VIDEO_FORMAT_INFO_IS_YUV (finfo)) {
      gboolean luma = comp[0] == GST_VIDEO_COMP_Y;

      if (luma && comp[1] != -1) {
        /* luma and chroma interleaved (YUY2 and friends) */
        gst_video_frame_unmap (&frame);
        gst_buffer_unref (buf);
        return NULL;
      }
      value = luma ? 16 : 128;
    }
    size = (gsize) GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p) *
        GST_VIDEO_FRAME_COMP_HEIGHT (&frame, comp[0]);
    memset (GST_VIDEO_FRAME_PLANE_DATA (&frame, p), value, size);
  }
  gst_video_frame_unmap (&frame);
  return buf;
}

/* Fills [from, to) on a raw pad.  Returns where the filler ends, or
 * GST_CLOCK_TIME_NONE when this output cannot be filled (then the caller
 * sends a GAP event). */
static GstClockTime
push_filler (Output * o, GstClockTime from, GstClockTime to)
{
  GstCaps *caps = o->raw_src ? gst_pad_get_current_caps (o->raw_src) : NULL;
  GstStructure *st;
  GstClockTime t = GST_CLOCK_TIME_NONE;

  if (!caps)
    return GST_CLOCK_TIME_NONE;
  g_mutex_lock (&o->fill_lock);
  if (GST_CLOCK_TIME_IS_VALID (o->real_end) && o->real_end > from)
    from = o->real_end;
  g_mutex_unlock (&o->fill_lock);
  st = gst_caps_get_structure (caps, 0);

  if (gst_structure_has_name (st, "video/x-raw")) {
    GstVideoInfo info;
    GstClockTime dur;
    GstBuffer *black;

    if (!gst_video_info_from_caps (&info, caps)
        || !(black = black_frame (&info)))
      goto done;
    dur = GST_VIDEO_INFO_FPS_N (&info) > 0 ?
        gst_util_uint64_scale_int (GST_SECOND, GST_VIDEO_INFO_FPS_D (&info),
        GST_VIDEO_INFO_FPS_N (&info)) : GST_SECOND / FILLER_FALLBACK_FPS;
    for (t = from; t + dur <= to; t += dur) {
      GstBuffer *buf = gst_buffer_copy (black);

      GST_BUFFER_PTS (buf) = t;
      GST_BUFFER_DURATION (buf) = dur;
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_GAP);
      if (gst_pad_push (o->raw_src, buf) != GST_FLOW_OK)
        break;
    }
    gst_buffer_unref (black);
  } else if (gst_structure_has_name (st, "audio/x-raw")) {
    GstAudioInfo info;
    guint64 samples;
    GstBuffer *buf;
    GstMapInfo map;

    if (!gst_audio_info_from_caps (&info, caps) || info.rate <= 0
        || GST_AUDIO_INFO_LAYOUT (&info) != GST_AUDIO_LAYOUT_INTERLEAVED)
      goto done;
    samples = gst_util_uint64_scale (to > from ? to - from : 0, info.rate,
        GST_SECOND);
    t = from;
    if (samples == 0)
      goto done;
    buf = gst_buffer_new_allocate (NULL, samples * GST_AUDIO_INFO_BPF (&info),
        NULL);
    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    gst_audio_format_info_fill_silence (info.finfo, map.data, map.size);
    gst_buffer_unmap (buf, &map);
    GST_BUFFER_PTS (buf) = from;
    GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (samples, GST_SECOND,
        info.rate);
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_GAP);
    t = from + GST_BUFFER_DURATION (buf);
    gst_pad_push (o->raw_src, buf);
  }
done:
  gst_caps_unref (caps);
  return t;
}

/* While a track is muted nothing arrives: tell downstream that time passes
 * (GAP events), so mixers and muxers waiting for this pad go on.  Sent
 * into the chain so they are serialized with the data. */
static gboolean
push_gap (gpointer data)
{
  Output *o = data;
  GstClockTime now = output_running_time (o->self);

  if (o->resuming) {
    GstClockTime real_end;

    g_mutex_lock (&o->fill_lock);
    real_end = o->real_end;
    g_mutex_unlock (&o->fill_lock);
    if (real_end != o->resume_mark) {
      /* decoded media flows again */
      o->resuming = FALSE;
      g_clear_pointer (&o->gap_source, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  }
  if (!GST_CLOCK_TIME_IS_VALID (now))
    return G_SOURCE_CONTINUE;
  if (o->raw_src) {
    GstClock *clock = gst_element_get_clock (GST_ELEMENT (o->self));

    g_mutex_lock (&o->fill_lock);
    if (clock && o->have_lead) {
      GstClockTime running = gst_clock_get_time (clock) -
          gst_element_get_base_time (GST_ELEMENT (o->self));

      now = (GstClockTimeDiff) running + o->real_lead > 0 ?
          running + o->real_lead : 0;
    }
    g_mutex_unlock (&o->fill_lock);
    gst_clear_object (&clock);
  }
  if (!GST_CLOCK_TIME_IS_VALID (o->gap_next) || o->gap_next > now)
    o->gap_next = now;
  if (now > o->gap_next) {
    GstClockTime filled = push_filler (o, o->gap_next, now);

    if (GST_CLOCK_TIME_IS_VALID (filled)) {
      if (filled > o->gap_next)
        o->gap_next = filled;
      return G_SOURCE_CONTINUE;
    }
    GST_LOG_OBJECT (o->self, "gap on %s: %" GST_TIME_FORMAT " + %"
        GST_TIME_FORMAT, o->track_sid, GST_TIME_ARGS (o->gap_next),
        GST_TIME_ARGS (now - o->gap_next));
    gst_pad_send_event (o->chain_sink, gst_event_new_gap (o->gap_next,
            now - o->gap_next));
    o->gap_next = now;
  }
  return G_SOURCE_CONTINUE;
}

static void
start_gaps (GstLiveKitRoomSrc * self, Output * o)
{
  if (o->gap_source)
    return;
  o->self = self;
  o->gap_next = output_running_time (self);
  if (o->raw_src) {
    /* the filler starts where the decoded media stopped */
    g_mutex_lock (&o->fill_lock);
    if (GST_CLOCK_TIME_IS_VALID (o->real_end))
      o->gap_next = o->real_end;
    g_mutex_unlock (&o->fill_lock);
  }
  o->gap_source = g_timeout_source_new (100);
  g_source_set_callback (o->gap_source, push_gap, o, NULL);
  g_source_attach (o->gap_source, PRIV (self)->context);
}

/* A PLI can be lost (sent before the server's transport is up, dropped
 * on the way) and a video recording that waits for the publisher's next
 * periodic keyframe loses seconds.  So a new or unmuted video pad asks
 * again every KEYFRAME_RETRY until a keyframe (or, in raw mode, a decoded
 * frame) passes, at most KEYFRAME_TRIES times. */
#define KEYFRAME_RETRY_MS 1000
#define KEYFRAME_TRIES 10

static GQuark keyframe_seen_quark;

static GstPadProbeReturn
note_keyframe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

  if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT))
    return GST_PAD_PROBE_OK;
  g_object_set_qdata (G_OBJECT (pad), keyframe_seen_quark,
      GINT_TO_POINTER (1));
  return GST_PAD_PROBE_REMOVE;
}

static gboolean
retry_keyframe (gpointer data)
{
  Output *o = data;

  if (g_object_get_qdata (G_OBJECT (o->srcpad), keyframe_seen_quark)
      || ++o->keyframe_tries > KEYFRAME_TRIES) {
    if (o->keyframe_tries > KEYFRAME_TRIES)
      GST_WARNING_OBJECT (o->self, "no keyframe on %s after %u requests",
          GST_PAD_NAME (o->srcpad), KEYFRAME_TRIES);
    g_clear_pointer (&o->keyframe_source, g_source_unref);
    return G_SOURCE_REMOVE;
  }
  GST_INFO_OBJECT (o->self, "no keyframe yet on %s: asking again",
      GST_PAD_NAME (o->srcpad));
  request_keyframe (o->srcpad);
  return G_SOURCE_CONTINUE;
}

/* Ask for a keyframe (now, if @now) and keep asking until one passes.
 * Signalling thread. */
static void
watch_keyframe (GstLiveKitRoomSrc * self, Output * o, gboolean now)
{
  o->self = self;
  stop_keyframe_watch (o);
  o->keyframe_tries = 0;
  g_object_set_qdata (G_OBJECT (o->srcpad), keyframe_seen_quark, NULL);
  gst_pad_add_probe (GST_PAD (o->srcpad), GST_PAD_PROBE_TYPE_BUFFER,
      note_keyframe, NULL, NULL);
  if (now)
    request_keyframe (o->srcpad);
  o->keyframe_source = g_timeout_source_new (KEYFRAME_RETRY_MS);
  g_source_set_callback (o->keyframe_source, retry_keyframe, o, NULL);
  g_source_attach (o->keyframe_source, PRIV (self)->context);
}

/* Work about one track, handed from a streaming thread to the signalling
 * thread. */
typedef struct
{
  GstLiveKitRoomSrc *self;
  gchar *track_sid;
} TrackJob;

static void
track_job_free (gpointer data)
{
  TrackJob *w = data;

  gst_object_unref (w->self);
  g_free (w->track_sid);
  g_free (w);
}

static void
invoke_for_track (GstLiveKitRoomSrc * self, const gchar * track_sid,
    GSourceFunc func)
{
  TrackJob *w = g_new0 (TrackJob, 1);

  w->self = gst_object_ref (self);
  w->track_sid = g_strdup (track_sid);
  g_main_context_invoke_full (PRIV (self)->context, G_PRIORITY_DEFAULT,
      func, w, track_job_free);
}

static gboolean
start_keyframe_watch (gpointer data)
{
  TrackJob *w = data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (w->self);
  Output *o;

  /* outputs are freed only in this thread */
  g_mutex_lock (&priv->state_lock);
  o = g_hash_table_lookup (priv->outputs, w->track_sid);
  g_mutex_unlock (&priv->state_lock);
  if (o)
    watch_keyframe (w->self, o, FALSE);
  return G_SOURCE_REMOVE;
}

/* From a streaming thread, after asking for a keyframe: let the
 * signalling thread keep asking until one passes. */
static void
schedule_keyframe_watch (GstLiveKitRoomSrc * self, const gchar * track_sid)
{
  invoke_for_track (self, track_sid, start_keyframe_watch);
}

/* The publisher muted or unmuted a recorded track.  Signalling thread. */
static void
set_output_muted (GstLiveKitRoomSrc * self, const gchar * track_sid,
    gboolean muted)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  Output *o;

  /* outputs are freed only in this thread */
  g_mutex_lock (&priv->state_lock);
  o = g_hash_table_lookup (priv->outputs, track_sid);
  g_mutex_unlock (&priv->state_lock);
  if (!o)
    return;
  if (muted) {
    o->resuming = FALSE;
    start_gaps (self, o);
  } else if (o->raw_src && o->gap_source) {
    /* a video decoder has nothing to show until the next keyframe: keep
     * the filler going until decoded media is back */
    o->resuming = TRUE;
    g_mutex_lock (&o->fill_lock);
    o->resume_mark = o->real_end;
    g_mutex_unlock (&o->fill_lock);
    if (g_str_has_prefix (GST_PAD_NAME (o->srcpad), "video_"))
      watch_keyframe (self, o, TRUE);
  } else {
    stop_gaps (o);
    if (g_str_has_prefix (GST_PAD_NAME (o->srcpad), "video_"))
      watch_keyframe (self, o, TRUE);
  }
}

/* A new output: its track may have been muted before the output existed,
 * when set_output_muted() found nothing to mute.  Signalling thread. */
static gboolean
check_new_output_muted (gpointer data)
{
  TrackJob *w = data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (w->self);
  GHashTableIter iter;
  gpointer value;
  gboolean muted = FALSE;

  g_mutex_lock (&priv->state_lock);
  g_hash_table_iter_init (&iter, priv->participants);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    const Livekit__TrackInfo *t = find_track (value, w->track_sid);

    if (t) {
      muted = t->muted;
      break;
    }
  }
  g_mutex_unlock (&priv->state_lock);
  if (muted) {
    GST_INFO_OBJECT (w->self, "track %s was muted before its pad came",
        w->track_sid);
    set_output_muted (w->self, w->track_sid, TRUE);
  }
  return G_SOURCE_REMOVE;
}

static void
schedule_mute_check (GstLiveKitRoomSrc * self, const gchar * track_sid)
{
  invoke_for_track (self, track_sid, check_new_output_muted);
}

/* EOS on the pad, then remove it and the elements behind it.  Signalling
 * thread, no lock held. */
static void
end_output (GstLiveKitRoomSrc * self, const gchar * track_sid)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GstLiveKitRoomSrcClass *klass = GST_LIVEKIT_ROOM_SRC_GET_CLASS (self);
  Output *o = NULL;
  guint i;

  g_mutex_lock (&priv->state_lock);
  g_hash_table_steal_extended (priv->outputs, track_sid, NULL,
      (gpointer *) & o);
  g_mutex_unlock (&priv->state_lock);
  if (!o)
    return;

  GST_INFO_OBJECT (self, "track %s ended", o->track_sid);
  stop_gaps (o);
  /* stop new data first, so EOS is the last thing the pad sends */
  if (o->webrtc_pad)
    o->drop_probe = gst_pad_add_probe (o->webrtc_pad,
        GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
        drop_data, NULL, NULL);
  gst_pad_send_event (o->chain_sink, gst_event_new_eos ());
  if (o->webrtc_pad)
    gst_pad_unlink (o->webrtc_pad, o->chain_sink);
  for (i = 0; i < o->elements->len; i++) {
    GstElement *e = g_ptr_array_index (o->elements, i);

    gst_element_set_locked_state (e, TRUE);
    gst_element_set_state (e, GST_STATE_NULL);
    gst_bin_remove (GST_BIN (self), e);
  }
  gst_pad_set_active (GST_PAD (o->srcpad), FALSE);
  gst_element_remove_pad (GST_ELEMENT (self), GST_PAD (o->srcpad));
  if (klass->track_ended)
    klass->track_ended (self, o->track_sid);
  output_free (o);
}

static void
end_all_outputs (GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GList *sids, *l;

  g_mutex_lock (&priv->state_lock);
  sids = g_hash_table_get_keys (priv->outputs);
  for (l = sids; l; l = l->next)
    l->data = g_strdup (l->data);
  g_mutex_unlock (&priv->state_lock);
  for (l = sids; l; l = l->next)
    end_output (self, l->data);
  g_list_free_full (sids, g_free);
}

/* What the jitter buffer still holds when a track ends is media the
 * recording must keep: end the pads once it has drained. */
typedef struct
{
  GstLiveKitRoomSrc *self;
  gchar *track_sid;             /* NULL: every pad */
} EndLater;

static void
end_later_free (gpointer data)
{
  EndLater *e = data;

  gst_object_unref (e->self);
  g_free (e->track_sid);
  g_free (e);
}

static gboolean
end_later_cb (gpointer data)
{
  EndLater *e = data;

  if (e->track_sid)
    end_output (e->self, e->track_sid);
  else
    end_all_outputs (e->self);
  return G_SOURCE_REMOVE;
}

static void
end_output_after_drain (GstLiveKitRoomSrc * self, const gchar * track_sid)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  EndLater *e = g_new0 (EndLater, 1);
  GSource *source;
  guint ms;

  g_mutex_lock (&priv->settings_lock);
  ms = priv->settings.latency + 100;
  g_mutex_unlock (&priv->settings_lock);
  e->self = gst_object_ref (self);
  e->track_sid = g_strdup (track_sid);
  source = g_timeout_source_new (ms);
  g_source_set_callback (source, end_later_cb, e, end_later_free);
  g_source_attach (source, priv->context);
  g_source_unref (source);
}

typedef struct
{
  const gchar *encoding;
  const gchar *codec;
  const gchar *depay;
  const gchar *parse;
  const gchar *decoder;
  const gchar *caps;
} CodecChain;

static const CodecChain codec_chains[] = {
  {"VP8", "vp8", "rtpvp8depay", NULL, "vp8dec", "video/x-vp8"},
  {"VP9", "vp9", "rtpvp9depay", NULL, "vp9dec", "video/x-vp9"},
  {"H264", "h264", "rtph264depay", "h264parse", "avdec_h264",
      "video/x-h264, stream-format = (string) byte-stream, "
        "alignment = (string) au"},
  {"OPUS", "opus", "rtpopusdepay", NULL, "opusdec", "audio/x-opus"},
  {"PCMU", "pcmu", "rtppcmudepay", NULL, "mulawdec", "audio/x-mulaw"},
  {"PCMA", "pcma", "rtppcmadepay", NULL, "alawdec", "audio/x-alaw"},
};

/* The chain for a TrackInfo mime type ("video/VP8"), NULL when none. */
static const CodecChain *
chain_for_mime (const gchar * mime)
{
  const gchar *slash = mime ? strchr (mime, '/') : NULL;
  guint i;

  if (!slash)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (codec_chains); i++)
    if (g_ascii_strcasecmp (slash + 1, codec_chains[i].encoding) == 0)
      return &codec_chains[i];
  /* RED carries Opus; the server also offers plain Opus */
  if (g_ascii_strcasecmp (mime, "audio/red") == 0)
    return chain_for_mime ("audio/opus");
  return NULL;
}

/* Whether a track can be recorded, judged by the codecs it is published
 * in (the main one and any simulcast/backup codec).  Tracks that do not
 * say are given the benefit of the doubt. */
static gboolean
track_codec_known (const Livekit__TrackInfo * t, gchar ** names)
{
  GString *s = g_string_new (NULL);
  gboolean said = FALSE, ok = FALSE;
  gsize i;

  if (t->mime_type && *t->mime_type) {
    said = TRUE;
    ok = chain_for_mime (t->mime_type) != NULL;
    g_string_append (s, t->mime_type);
  }
  for (i = 0; i < t->n_codecs; i++) {
    const gchar *mime = t->codecs[i]->mime_type;

    if (!mime || !*mime || strstr (s->str, mime))
      continue;
    said = TRUE;
    ok = ok || chain_for_mime (mime) != NULL;
    g_string_append_printf (s, "%s%s", s->len ? ", " : "", mime);
  }
  *names = g_string_free (s, FALSE);
  return ok || !said;
}

static GstElement *
make_element (GstLiveKitRoomSrc * self, Output * o, const gchar * factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (!e) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        ("Element '%s' is missing: install the GStreamer plugin that has it",
            factory), (NULL));
    return NULL;
  }
  if (g_str_has_suffix (factory, "parse"))
    g_object_set (e, "config-interval", -1, NULL);
  /* start at a keyframe and ask for one after a loss */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (e),
          "wait-for-keyframe"))
    g_object_set (e, "wait-for-keyframe", TRUE, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (e),
          "request-keyframe"))
    g_object_set (e, "request-keyframe", TRUE, NULL);
  gst_bin_add (GST_BIN (self), e);
  g_ptr_array_add (o->elements, gst_object_ref (e));
  return e;
}

/* Upstream force-key-unit: webrtcbin's RTP session turns it into a PLI, so
 * a new recording does not wait for the publisher's next keyframe. */
static void
request_keyframe (GstLiveKitSrcPad * pad)
{
  GstStructure *s = gst_structure_new ("GstForceKeyUnit",
      "all-headers", G_TYPE_BOOLEAN, FALSE, NULL);

  gst_pad_send_event (GST_PAD (pad),
      gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM, s));
}

/* A republished track of a pad waiting in its republish grace: the pad
 * takes the new track.  Called with state_lock. */
static Output *
adopt_orphan (GstLiveKitRoomSrc * self, const gchar * track_sid,
    const GstLiveKitTrackDesc * desc, const CodecChain * chain)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GHashTableIter it;
  gpointer key, value;

  g_hash_table_iter_init (&it, priv->outputs);
  while (g_hash_table_iter_next (&it, &key, &value)) {
    Output *o = value;

    if (!o->orphan_identity
        || g_strcmp0 (o->orphan_identity, desc->participant_identity)
        || o->orphan_source != desc->source
        || g_strcmp0 (o->codec, chain->codec))
      continue;
    GST_INFO_OBJECT (self, "track %s republished as %s", o->track_sid,
        track_sid);
    g_hash_table_iter_steal (&it);
    g_free (key);
    g_clear_pointer (&o->orphan_identity, g_free);
    if (o->webrtc_pad) {
      gst_pad_add_probe (o->webrtc_pad, GST_PAD_PROBE_TYPE_BUFFER |
          GST_PAD_PROBE_TYPE_BUFFER_LIST, drop_data, NULL, NULL);
      gst_pad_unlink (o->webrtc_pad, o->chain_sink);
      gst_clear_object (&o->webrtc_pad);
    }
    g_free (o->track_sid);
    o->track_sid = g_strdup (track_sid);
    g_hash_table_insert (priv->outputs, g_strdup (track_sid), o);
    return o;
  }
  return NULL;
}

static gboolean
is_video_chain (const CodecChain * chain)
{
  return g_str_has_prefix (chain->caps, "video/");
}

/* webrtcbin has a new stream: build depayloader (+ parser) (+ decoder) and
 * a ghost pad for it.  Streaming thread; no lock held while adding the
 * pad. */
static void
on_webrtc_pad_added (GstElement * webrtc, GstPad * pad,
    GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GstWebRTCRTPTransceiver *trans = NULL;
  GstLiveKitTrackDesc desc = { 0, };
  const CodecChain *chain = NULL;
  GstElement *depay, *last, *parse = NULL;
  GstPadTemplate *templ;
  GstCaps *caps, *encoded, *offered;
  const gchar *encoding = NULL;
  gchar *mid = NULL, *track_sid = NULL, *name;
  gboolean is_video, raw = FALSE;
  GstPad *src;
  Output *o;
  guint i;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;

  g_object_get (pad, "transceiver", &trans, NULL);
  if (trans) {
    g_object_get (trans, "mid", &mid, NULL);
    gst_object_unref (trans);
  }
  caps = gst_pad_get_current_caps (pad);
  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  if (caps && !gst_caps_is_empty (caps))
    encoding = gst_structure_get_string (gst_caps_get_structure (caps, 0),
        "encoding-name");
  for (i = 0; encoding && i < G_N_ELEMENTS (codec_chains); i++)
    if (g_ascii_strcasecmp (encoding, codec_chains[i].encoding) == 0)
      chain = &codec_chains[i];

  g_mutex_lock (&priv->state_lock);
  if (mid)
    track_sid = g_strdup (g_hash_table_lookup (priv->mid_to_track, mid));
  if (track_sid) {
    GHashTableIter it;
    gpointer value;

    g_hash_table_iter_init (&it, priv->participants);
    while (g_hash_table_iter_next (&it, NULL, &value)) {
      const Livekit__TrackInfo *t = find_track (value, track_sid);

      if (t) {
        fill_desc (&desc, value, t, chain ? chain->codec : encoding);
        break;
      }
    }
  }
  g_mutex_unlock (&priv->state_lock);

  /* a new session's stream for a track that already has a pad */
  if (track_sid && chain) {
    g_mutex_lock (&priv->state_lock);
    o = g_hash_table_lookup (priv->outputs, track_sid);
    if (!o)
      o = adopt_orphan (self, track_sid, &desc, chain);
    if (o && !o->webrtc_pad) {
      o->webrtc_pad = gst_object_ref (pad);
      g_mutex_unlock (&priv->state_lock);
      GST_INFO_OBJECT (self, "track %s continues on pad %s", track_sid,
          GST_PAD_NAME (o->srcpad));
      gst_livekit_src_pad_update (o->srcpad, &desc);
      guard_stream (pad);
      if (gst_pad_link (pad, o->chain_sink) != GST_PAD_LINK_OK)
        GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
            ("Cannot link the new stream of track %s", track_sid), (NULL));
      else if (is_video_chain (chain)) {
        request_keyframe (o->srcpad);
        schedule_keyframe_watch (self, track_sid);
      }
      post_event (self, gst_structure_new ("livekit-track-subscribed",
              "pad", G_TYPE_STRING, GST_PAD_NAME (o->srcpad),
              "participant-identity", G_TYPE_STRING,
              desc.participant_identity, "track-sid", G_TYPE_STRING,
              track_sid, "codec", G_TYPE_STRING, chain->codec,
              "output", G_TYPE_STRING, "continued", NULL));
      goto done;
    }
    g_mutex_unlock (&priv->state_lock);
  }

  if (!track_sid || !chain) {
    GstElement *sink = gst_element_factory_make ("fakesink", NULL);
    GstPad *sinkpad;

    if (!chain && track_sid)
      GST_ELEMENT_WARNING (self, STREAM, CODEC_NOT_FOUND,
          ("Track %s uses codec '%s', which cannot be recorded", track_sid,
              encoding ? encoding : "unknown"), ("caps %" GST_PTR_FORMAT,
              caps));
    else
      GST_WARNING_OBJECT (self, "stream on mid %s is no known track", mid);
    g_object_set (sink, "async", FALSE, "sync", FALSE, NULL);
    gst_bin_add (GST_BIN (self), sink);
    gst_element_sync_state_with_parent (sink);
    sinkpad = gst_element_get_static_pad (sink, "sink");
    gst_pad_link (pad, sinkpad);
    gst_object_unref (sinkpad);
    goto done;
  }

  is_video = g_str_has_prefix (chain->caps, "video/");
  o = g_new0 (Output, 1);
  g_mutex_init (&o->fill_lock);
  o->real_end = GST_CLOCK_TIME_NONE;
  o->self = self;
  o->track_sid = g_strdup (track_sid);
  o->webrtc_pad = gst_object_ref (pad);
  o->codec = chain->codec;
  o->elements = g_ptr_array_new_with_free_func (gst_object_unref);

  if (!(depay = make_element (self, o, chain->depay))) {
    output_free (o);
    goto done;
  }
  last = depay;
  if (chain->parse) {
    if (!(parse = make_element (self, o, chain->parse))) {
      output_free (o);
      goto done;
    }
    gst_element_link (depay, parse);
    last = parse;
  }
  o->chain_sink = gst_element_get_static_pad (depay, "sink");
  for (i = 0; i < o->elements->len; i++)
    gst_element_sync_state_with_parent (g_ptr_array_index (o->elements, i));

  g_mutex_lock (&priv->state_lock);
  name = g_strdup_printf (is_video ? "video_%u" : "audio_%u",
      is_video ? priv->video_count++ : priv->audio_count++);
  g_mutex_unlock (&priv->state_lock);

  templ = gst_static_pad_template_get (is_video ? &video_template :
      &audio_template);
  o->srcpad = g_object_new (GST_TYPE_LIVEKIT_SRC_PAD, "name", name,
      "direction", GST_PAD_SRC, "template", templ, NULL);
  gst_object_ref_sink (o->srcpad);
  gst_object_unref (templ);
  g_free (name);
  src = gst_element_get_static_pad (last, "src");
  gst_ghost_pad_set_target (GST_GHOST_PAD (o->srcpad), src);
  gst_object_unref (src);

  /* until linked, offer the encoded caps and raw ones */
  encoded = gst_caps_from_string (chain->caps);
  offered = gst_caps_copy (encoded);
  gst_caps_append (offered, gst_caps_from_string (is_video ? "video/x-raw" :
          "audio/x-raw"));
  gst_livekit_src_pad_set_offered_caps (o->srcpad, offered);
  gst_caps_unref (offered);
  gst_livekit_src_pad_update (o->srcpad, &desc);

  gst_pad_set_active (GST_PAD (o->srcpad), TRUE);
  gst_element_add_pad (GST_ELEMENT (self), gst_object_ref (o->srcpad));

  if (gst_pad_is_linked (GST_PAD (o->srcpad))) {
    GstCaps *peer = gst_pad_peer_query_caps (GST_PAD (o->srcpad), NULL);

    raw = !gst_caps_can_intersect (peer, encoded);
    gst_caps_unref (peer);
  }
  if (raw) {
    GstElement *dec = make_element (self, o, chain->decoder);

    if (dec) {
      gst_ghost_pad_set_target (GST_GHOST_PAD (o->srcpad), NULL);
      gst_element_link (last, dec);
      gst_element_sync_state_with_parent (dec);
      src = gst_element_get_static_pad (dec, "src");
      gst_ghost_pad_set_target (GST_GHOST_PAD (o->srcpad), src);
      o->raw_src = src;
      gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, note_decoded, o,
          NULL);
    }
  }
  gst_caps_unref (encoded);
  gst_livekit_src_pad_set_offered_caps (o->srcpad, NULL);
  GST_INFO_OBJECT (self, "track %s (%s) on pad %s, %s output", track_sid,
      chain->codec, GST_PAD_NAME (o->srcpad), raw ? "raw" : "encoded");

  guard_stream (pad);
  if (gst_pad_link (pad, o->chain_sink) != GST_PAD_LINK_OK)
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Cannot link the stream of track %s", track_sid), (NULL));
  else if (is_video)
    request_keyframe (o->srcpad);

  g_mutex_lock (&priv->state_lock);
  g_hash_table_insert (priv->outputs, g_strdup (track_sid), o);
  g_mutex_unlock (&priv->state_lock);
  schedule_mute_check (self, track_sid);
  if (is_video)
    schedule_keyframe_watch (self, track_sid);

  post_event (self, gst_structure_new ("livekit-track-subscribed",
          "pad", G_TYPE_STRING, GST_PAD_NAME (o->srcpad),
          "participant-identity", G_TYPE_STRING, desc.participant_identity,
          "track-sid", G_TYPE_STRING, track_sid,
          "codec", G_TYPE_STRING, chain->codec,
          "output", G_TYPE_STRING, raw ? "raw" : "encoded", NULL));

done:
  gst_livekit_track_desc_clear (&desc);
  if (caps)
    gst_caps_unref (caps);
  g_free (track_sid);
  g_free (mid);
}

/* ------------------------------------------------------------------ */
/* Subscriptions */

static gboolean
in_list (gchar ** list, const gchar * s)
{
  return list == NULL || g_strv_contains ((const gchar * const *) list, s);
}

static gboolean
gst_livekit_room_src_default_wants_track (GstLiveKitRoomSrc * self,
    const Livekit__ParticipantInfo * p, const Livekit__TrackInfo * t)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  Settings *s = &priv->settings;
  gboolean screen, ok;

  if (t->type != LIVEKIT__TRACK_TYPE__AUDIO
      && t->type != LIVEKIT__TRACK_TYPE__VIDEO)
    return FALSE;
  screen = t->source == LIVEKIT__TRACK_SOURCE__SCREEN_SHARE
      || t->source == LIVEKIT__TRACK_SOURCE__SCREEN_SHARE_AUDIO;

  g_mutex_lock (&priv->settings_lock);
  ok = in_list (s->participants, p->identity) && in_list (s->tracks, t->sid)
      && (t->type == LIVEKIT__TRACK_TYPE__AUDIO ? s->audio : s->video)
      && !(screen && s->screen_share == GST_LIVEKIT_SCREEN_SHARE_EXCLUDE)
      && !(!screen && s->screen_share == GST_LIVEKIT_SCREEN_SHARE_ONLY);
  g_mutex_unlock (&priv->settings_lock);
  return ok;
}

/* A wanted track whose codecs cannot be recorded is not subscribed: an
 * error when it was asked for by name (livekittracksrc, or the tracks
 * property), else a warning while the rest of the room records.  Either
 * way once: the track counts as handled. */
static gboolean
codec_recordable (GstLiveKitRoomSrc * self,
    const Livekit__ParticipantInfo * p, const Livekit__TrackInfo * t)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  gchar *names = NULL;
  gboolean named;

  if (track_codec_known (t, &names)) {
    g_free (names);
    return TRUE;
  }
  g_mutex_lock (&priv->settings_lock);
  named = GST_LIVEKIT_ROOM_SRC_GET_CLASS (self)->tracks_are_named
      || (priv->settings.tracks && in_list (priv->settings.tracks, t->sid));
  g_mutex_unlock (&priv->settings_lock);
  g_hash_table_add (priv->subscribed, g_strdup (t->sid));
  if (named)
    GST_ELEMENT_ERROR (self, STREAM, CODEC_NOT_FOUND,
        ("Track %s of %s is published as %s, which cannot be recorded "
            "(supported: VP8, VP9, H.264, Opus, PCMU, PCMA)", t->sid,
            p->identity, names), (NULL));
  else
    GST_ELEMENT_WARNING (self, STREAM, CODEC_NOT_FOUND,
        ("Track %s of %s is published as %s, which cannot be recorded "
            "(supported: VP8, VP9, H.264, Opus, PCMU, PCMA); it is left out",
            t->sid, p->identity, names), (NULL));
  g_free (names);
  return FALSE;
}

static void
subscribe (GstLiveKitRoomSrc * self, const Livekit__ParticipantInfo * p,
    const Livekit__TrackInfo * t)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  Livekit__SignalRequest req = LIVEKIT__SIGNAL_REQUEST__INIT;
  Livekit__UpdateSubscription sub = LIVEKIT__UPDATE_SUBSCRIPTION__INIT;
  Livekit__ParticipantTracks pt = LIVEKIT__PARTICIPANT_TRACKS__INIT;
  Livekit__ParticipantTracks *pts[1] = { &pt };
  gchar *sids[1] = { t->sid };

  GST_INFO_OBJECT (self, "subscribing to %s of %s", t->sid, p->identity);
  g_hash_table_add (priv->subscribed, g_strdup (t->sid));
  priv->any_track = TRUE;

  sub.n_track_sids = 1;
  sub.track_sids = sids;
  sub.subscribe = TRUE;
  pt.participant_sid = p->sid;
  pt.n_track_sids = 1;
  pt.track_sids = sids;
  sub.n_participant_tracks = 1;
  sub.participant_tracks = pts;
  req.message_case = LIVEKIT__SIGNAL_REQUEST__MESSAGE_SUBSCRIPTION;
  req.subscription = &sub;
  gst_livekit_signal_client_send (priv->client, &req);

  if (t->type == LIVEKIT__TRACK_TYPE__VIDEO) {
    Livekit__SignalRequest sreq = LIVEKIT__SIGNAL_REQUEST__INIT;
    Livekit__UpdateTrackSettings ts = LIVEKIT__UPDATE_TRACK_SETTINGS__INIT;

    g_mutex_lock (&priv->settings_lock);
    ts.quality = (Livekit__VideoQuality) priv->settings.video_quality;
    g_mutex_unlock (&priv->settings_lock);
    ts.n_track_sids = 1;
    ts.track_sids = sids;
    sreq.message_case = LIVEKIT__SIGNAL_REQUEST__MESSAGE_TRACK_SETTING;
    sreq.track_setting = &ts;
    gst_livekit_signal_client_send (priv->client, &sreq);
  }
}

static void
update_pad (GstLiveKitRoomSrc * self, const Livekit__ParticipantInfo * p,
    const Livekit__TrackInfo * t)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GstLiveKitSrcPad *pad = NULL;
  GstLiveKitTrackDesc desc = { 0, };
  Output *o;

  g_mutex_lock (&priv->state_lock);
  o = g_hash_table_lookup (priv->outputs, t->sid);
  if (o)
    pad = gst_object_ref (o->srcpad);
  g_mutex_unlock (&priv->state_lock);
  if (!pad)
    return;

  g_object_get (pad, "codec", &desc.codec, NULL);
  fill_desc (&desc, p, t, NULL);
  g_object_get (pad, "codec", &desc.codec, NULL);
  gst_livekit_src_pad_update (pad, &desc);
  gst_livekit_track_desc_clear (&desc);
  gst_object_unref (pad);
}

/* A recorded track was unpublished: end its pad, or with republish-grace
 * keep it that long for a republish of the same source.  Signalling
 * thread. */
static void
track_gone (GstLiveKitRoomSrc * self, const Livekit__ParticipantInfo * p,
    const gchar * track_sid, gboolean participant_left)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  const Livekit__TrackInfo *t = p ? find_track (p, track_sid) : NULL;
  EndLater *e;
  GSource *source;
  Output *o;
  guint grace;

  g_hash_table_remove (priv->subscribed, track_sid);
  g_mutex_lock (&priv->settings_lock);
  grace = priv->settings.republish_grace;
  g_mutex_unlock (&priv->settings_lock);

  g_mutex_lock (&priv->state_lock);
  o = g_hash_table_lookup (priv->outputs, track_sid);
  if (o && grace && t && !participant_left) {
    g_free (o->orphan_identity);
    o->orphan_identity = g_strdup (p->identity);
    o->orphan_source = track_source (t->source);
  } else {
    grace = 0;
  }
  g_mutex_unlock (&priv->state_lock);

  if (!grace) {
    end_output_after_drain (self, track_sid);
    return;
  }
  GST_INFO_OBJECT (self, "track %s unpublished, waiting %u s for a "
      "republish", track_sid, grace);
  e = g_new0 (EndLater, 1);
  e->self = gst_object_ref (self);
  e->track_sid = g_strdup (track_sid);
  source = g_timeout_source_new_seconds (grace);
  g_source_set_callback (source, end_later_cb, e, end_later_free);
  g_source_attach (source, priv->context);
  g_source_unref (source);
}

/* A full ParticipantInfo arrived (JoinResponse or ParticipantUpdate). */
static void
handle_participant (GstLiveKitRoomSrc * self,
    const Livekit__ParticipantInfo * info)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GstLiveKitRoomSrcClass *klass = GST_LIVEKIT_ROOM_SRC_GET_CLASS (self);
  Livekit__ParticipantInfo *old = NULL, *copy = NULL;
  gboolean left = info->state == LIVEKIT__PARTICIPANT_INFO__STATE__DISCONNECTED;
  gsize i;

  if (g_strcmp0 (info->sid, priv->self_sid) == 0)
    return;

  g_mutex_lock (&priv->state_lock);
  g_hash_table_steal_extended (priv->participants, info->sid, NULL,
      (gpointer *) & old);
  if (old && info->version < old->version) {
    g_hash_table_insert (priv->participants, g_strdup (info->sid), old);
    g_mutex_unlock (&priv->state_lock);
    return;
  }
  if (!left) {
    copy = participant_copy (info);
    g_hash_table_insert (priv->participants, g_strdup (info->sid), copy);
  }
  g_mutex_unlock (&priv->state_lock);

  if (!old && !left)
    post_event (self, gst_structure_new ("livekit-participant-joined",
            "participant-identity", G_TYPE_STRING, info->identity,
            "participant-sid", G_TYPE_STRING, info->sid,
            "participant-name", G_TYPE_STRING, info->name,
            "participant-metadata", G_TYPE_STRING, info->metadata, NULL));
  else if (old && !left && g_strcmp0 (old->metadata, info->metadata))
    post_event (self, gst_structure_new ("livekit-participant-metadata",
            "participant-identity", G_TYPE_STRING, info->identity,
            "participant-sid", G_TYPE_STRING, info->sid,
            "participant-metadata", G_TYPE_STRING, info->metadata, NULL));

  /* tracks that went away */
  for (i = 0; old && i < old->n_tracks; i++) {
    const Livekit__TrackInfo *t = old->tracks[i];

    if (left || !find_track (info, t->sid)) {
      track_gone (self, old, t->sid, left);
      post_event (self, track_event ("livekit-track-unpublished", old, t));
    }
  }
  if (left) {
    post_event (self, gst_structure_new ("livekit-participant-left",
            "participant-identity", G_TYPE_STRING, info->identity,
            "participant-sid", G_TYPE_STRING, info->sid, NULL));
    if (old)
      participant_free (old);
    return;
  }

  for (i = 0; i < copy->n_tracks; i++) {
    const Livekit__TrackInfo *t = copy->tracks[i];
    const Livekit__TrackInfo *was = find_track (old, t->sid);

    if (!was)
      post_event (self, track_event ("livekit-track-published", copy, t));
    else if (was->muted != t->muted) {
      set_output_muted (self, t->sid, t->muted);
      post_event (self, track_event (t->muted ? "livekit-track-muted" :
              "livekit-track-unmuted", copy, t));
    }
    if (!g_hash_table_contains (priv->subscribed, t->sid)
        && klass->wants_track (self, copy, t)
        && codec_recordable (self, copy, t))
      subscribe (self, copy, t);
    update_pad (self, copy, t);
  }
  if (old)
    participant_free (old);
}

/* ------------------------------------------------------------------ */
/* SDP and ICE */

static void
send_candidate_json (GstLiveKitRoomSrc * self, const gchar * json)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  Livekit__SignalRequest req = LIVEKIT__SIGNAL_REQUEST__INIT;
  Livekit__TrickleRequest trickle = LIVEKIT__TRICKLE_REQUEST__INIT;

  trickle.candidateinit = (gchar *) json;
  trickle.target = LIVEKIT__SIGNAL_TARGET__SUBSCRIBER;
  req.message_case = LIVEKIT__SIGNAL_REQUEST__MESSAGE_TRICKLE;
  req.trickle = &trickle;
  gst_livekit_signal_client_send (priv->client, &req);
  if (!g_ptr_array_find_with_equal_func (priv->sent_candidates, json,
          g_str_equal, NULL))
    g_ptr_array_add (priv->sent_candidates, g_strdup (json));
}

typedef struct
{
  GstLiveKitRoomSrc *self;
  guint mline;
  gchar *candidate;
  GstWebRTCSessionDescription *desc;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  gst_object_unref (job->self);
  g_free (job->candidate);
  if (job->desc)
    gst_webrtc_session_description_free (job->desc);
  g_free (job);
}

static Job *
job_new (GstLiveKitRoomSrc * self)
{
  Job *job = g_new0 (Job, 1);

  job->self = gst_object_ref (self);
  return job;
}

static gchar *
mid_of_mline (GstElement * webrtc, const gchar * prop, guint mline)
{
  GstWebRTCSessionDescription *d = NULL;
  gchar *mid = NULL;

  g_object_get (webrtc, prop, &d, NULL);
  if (d && mline < gst_sdp_message_medias_len (d->sdp))
    mid = g_strdup (gst_sdp_media_get_attribute_val
        (gst_sdp_message_get_media (d->sdp, mline), "mid"));
  if (d)
    gst_webrtc_session_description_free (d);
  return mid;
}

static gboolean
send_local_candidate (gpointer data)
{
  Job *job = data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (job->self);
  JsonBuilder *b = json_builder_new ();
  JsonNode *root;
  gchar *mid, *json;

  mid = mid_of_mline (priv->webrtc, "local-description", job->mline);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "candidate");
  json_builder_add_string_value (b, job->candidate);
  json_builder_set_member_name (b, "sdpMLineIndex");
  json_builder_add_int_value (b, job->mline);
  json_builder_set_member_name (b, "sdpMid");
  json_builder_add_string_value (b, mid ? mid : "0");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  json_node_unref (root);
  g_object_unref (b);
  g_free (mid);

  if (priv->answer_sent)
    send_candidate_json (job->self, json);
  else
    g_ptr_array_add (priv->pending_candidates, g_strdup (json));
  g_free (json);
  return G_SOURCE_REMOVE;
}

static void
on_ice_candidate (GstElement * webrtc, guint mline, gchar * candidate,
    GstLiveKitRoomSrc * self)
{
  Job *job = job_new (self);

  job->mline = mline;
  job->candidate = g_strdup (candidate);
  invoke (self, send_local_candidate, job, job_free);
}

static void
add_remote_candidate (GstLiveKitRoomSrc * self, const gchar * init)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  JsonParser *parser = json_parser_new ();
  JsonObject *o;
  const gchar *cand;
  gint64 mline = -1;

  if (!json_parser_load_from_data (parser, init, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    GST_WARNING_OBJECT (self, "ignoring malformed candidate %s", init);
    goto out;
  }
  o = json_node_get_object (json_parser_get_root (parser));
  cand = json_object_get_string_member_with_default (o, "candidate", NULL);
  if (json_object_has_member (o, "sdpMLineIndex")
      && !json_object_get_null_member (o, "sdpMLineIndex"))
    mline = json_object_get_int_member (o, "sdpMLineIndex");
  if (!cand || !*cand || mline < 0) {
    GST_DEBUG_OBJECT (self, "ignoring candidate %s", init);
    goto out;
  }
  g_signal_emit_by_name (priv->webrtc, "add-ice-candidate", (guint) mline,
      cand);
out:
  g_object_unref (parser);
}

static void start_connect (GstLiveKitRoomSrc * self, gboolean resume);

/* RESTART_WATCH_S after answering an ICE restart: if no RTP came since,
 * while an unmuted track is recorded, the restarted connection does not
 * work (a server whose restart fails quietly): join again, which makes a
 * new PeerConnection.  Signalling thread. */
#define RESTART_WATCH_S 5

static gboolean
restart_watch_cb (gpointer data)
{
  GstLiveKitRoomSrc *self = data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GHashTableIter iter;
  gpointer value;
  gboolean live = FALSE;

  g_clear_pointer (&priv->restart_watch, g_source_unref);
  if (priv->ended || g_atomic_int_get (&priv->rtp_packets) !=
      priv->rtp_at_restart)
    return G_SOURCE_REMOVE;
  g_mutex_lock (&priv->state_lock);
  g_hash_table_iter_init (&iter, priv->participants);
  while (!live && g_hash_table_iter_next (&iter, NULL, &value)) {
    const Livekit__ParticipantInfo *p = value;
    gsize i;

    for (i = 0; i < p->n_tracks; i++)
      if (!p->tracks[i]->muted
          && g_hash_table_contains (priv->outputs, p->tracks[i]->sid))
        live = TRUE;
  }
  g_mutex_unlock (&priv->state_lock);
  if (!live)
    return G_SOURCE_REMOVE;

  GST_WARNING_OBJECT (self, "no media %u s after the ICE restart of the "
      "resumed session: joining again", RESTART_WATCH_S);
  gst_livekit_signal_client_close (priv->client);
  if (!priv->lost_at) {
    priv->lost_at = g_get_monotonic_time ();
    post_connection (self, "reconnecting");
  }
  priv->resume_refused = TRUE;
  start_connect (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
watch_restart (GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);

  if (priv->restart_watch) {
    g_source_destroy (priv->restart_watch);
    g_source_unref (priv->restart_watch);
  }
  priv->rtp_at_restart = g_atomic_int_get (&priv->rtp_packets);
  priv->restart_watch = g_timeout_source_new_seconds (RESTART_WATCH_S);
  g_source_set_callback (priv->restart_watch, restart_watch_cb, self, NULL);
  g_source_attach (priv->restart_watch, priv->context);
}

/* The ICE username fragment of an SDP (the first one given). */
static const gchar *
sdp_ice_ufrag (const GstSDPMessage * sdp)
{
  const gchar *ufrag = gst_sdp_message_get_attribute_val (sdp, "ice-ufrag");
  guint i;

  for (i = 0; !ufrag && i < gst_sdp_message_medias_len (sdp); i++)
    ufrag = gst_sdp_media_get_attribute_val (gst_sdp_message_get_media (sdp,
            i), "ice-ufrag");
  return ufrag;
}

static void
replace_media_attribute (GstSDPMedia * media, const gchar * key,
    const gchar * value)
{
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (media); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (media, i);

    if (g_strcmp0 (a->key, key) == 0) {
      GstSDPAttribute attr;

      gst_sdp_attribute_set (&attr, key, value);
      gst_sdp_media_replace_attribute (media, i, &attr);
      return;
    }
  }
}

/* An ICE restart (a resumed session: LiveKit restarts the subscriber's
 * ICE) needs new credentials on both sides, but webrtcbin 1.22 answers
 * with its old ones ("FIXME: deal with ICE restarts").  The server then
 * takes our answer for a peer that did not restart, and its checks fail.
 * New credentials in the answer are set on the ICE agent when the answer
 * becomes the local description; the selected pair and the DTLS session
 * carry on. */
static void
renew_ice_credentials (GstLiveKitRoomSrc * self, GstSDPMessage * sdp)
{
  gchar *ufrag, *pwd;
  guint i;

  ufrag = g_strdup_printf ("%08x", g_random_int ());
  pwd = g_strdup_printf ("%08x%08x%08x%08x", g_random_int (), g_random_int (),
      g_random_int (), g_random_int ());
  for (i = 0; i < gst_sdp_message_medias_len (sdp); i++) {
    GstSDPMedia *media = (GstSDPMedia *) gst_sdp_message_get_media (sdp, i);

    replace_media_attribute (media, "ice-ufrag", ufrag);
    replace_media_attribute (media, "ice-pwd", pwd);
  }
  GST_INFO_OBJECT (self, "ICE restart: answering with new credentials");
  g_free (ufrag);
  g_free (pwd);
}

/* Our candidates sent so far, as a=candidate lines of every m-line. */
static void
add_sent_candidates (GstLiveKitRoomSrc * self, GstSDPMessage * sdp)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  guint i, j;

  for (i = 0; i < priv->sent_candidates->len; i++) {
    JsonParser *parser = json_parser_new ();
    const gchar *cand = NULL;

    if (json_parser_load_from_data (parser,
            g_ptr_array_index (priv->sent_candidates, i), -1, NULL)
        && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
      cand = json_object_get_string_member_with_default
          (json_node_get_object (json_parser_get_root (parser)), "candidate",
          NULL);
    if (cand && g_str_has_prefix (cand, "candidate:")) {
      for (j = 0; j < gst_sdp_message_medias_len (sdp); j++)
        gst_sdp_media_add_attribute ((GstSDPMedia *)
            gst_sdp_message_get_media (sdp, j), "candidate",
            cand + strlen ("candidate:"));
    }
    g_object_unref (parser);
  }
}

static gboolean
send_answer (gpointer data)
{
  Job *job = data;
  GstLiveKitRoomSrc *self = job->self;
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  Livekit__SignalRequest req = LIVEKIT__SIGNAL_REQUEST__INIT;
  Livekit__SessionDescription sd = LIVEKIT__SESSION_DESCRIPTION__INIT;
  gchar *text;
  guint i;
  gboolean restart = priv->ice_restart;

  if (restart) {
    priv->ice_restart = FALSE;
    renew_ice_credentials (self, job->desc->sdp);
    watch_restart (self);
  }
  g_signal_emit_by_name (priv->webrtc, "set-local-description", job->desc,
      NULL);
  if (restart && priv->sent_candidates->len) {
    GstSDPMessage *copy;

    /* the server's restarted ICE agent forms its pairs when our answer
     * is set: our candidates go in the answer itself (and are trickled
     * again below) */
    gst_sdp_message_copy (job->desc->sdp, &copy);
    add_sent_candidates (self, copy);
    text = gst_sdp_message_as_text (copy);
    gst_sdp_message_free (copy);
  } else {
    text = gst_sdp_message_as_text (job->desc->sdp);
  }
  sd.type = (gchar *) "answer";
  sd.sdp = text;
  sd.id = priv->offer_id;
  req.message_case = LIVEKIT__SIGNAL_REQUEST__MESSAGE_ANSWER;
  req.answer = &sd;
  gst_livekit_signal_client_send (priv->client, &req);
  g_free (text);

  priv->answer_sent = TRUE;
  /* after an ICE restart the server forgot our candidates; libnice does
   * not gather again (its candidates stay valid): say them again */
  if (restart) {
    GPtrArray *again = g_ptr_array_copy (priv->sent_candidates,
        (GCopyFunc) g_strdup, NULL);

    g_ptr_array_set_free_func (again, g_free);
    for (i = 0; i < again->len; i++)
      send_candidate_json (self, g_ptr_array_index (again, i));
    g_ptr_array_unref (again);
  }
  for (i = 0; i < priv->pending_candidates->len; i++)
    send_candidate_json (self, g_ptr_array_index (priv->pending_candidates,
            i));
  g_ptr_array_set_size (priv->pending_candidates, 0);
  return G_SOURCE_REMOVE;
}

static void
on_answer_created (GstPromise * promise, gpointer user_data)
{
  GstLiveKitRoomSrc *self = user_data;
  const GstStructure *reply = gst_promise_get_reply (promise);
  GstWebRTCSessionDescription *answer = NULL;
  Job *job;

  if (reply)
    gst_structure_get (reply, "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
        &answer, NULL);
  if (!answer) {
    GError *err = NULL;

    if (reply)
      gst_structure_get (reply, "error", G_TYPE_ERROR, &err, NULL);
    GST_ELEMENT_ERROR (self, STREAM, FAILED,
        ("Cannot answer the server's offer"), ("%s",
            err ? err->message : "no answer"));
    g_clear_error (&err);
    gst_promise_unref (promise);
    return;
  }
  gst_promise_unref (promise);
  job = job_new (self);
  job->desc = answer;
  invoke (self, send_answer, job, job_free);
}

static gboolean
create_answer (gpointer data)
{
  Job *job = data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (job->self);

  g_signal_emit_by_name (priv->webrtc, "create-answer", NULL,
      gst_promise_new_with_change_func (on_answer_created,
          gst_object_ref (job->self), gst_object_unref));
  return G_SOURCE_REMOVE;
}

static void
on_remote_set (GstPromise * promise, gpointer user_data)
{
  GstLiveKitRoomSrc *self = user_data;
  const GstStructure *reply = gst_promise_get_reply (promise);
  GError *err = NULL;

  if (reply && gst_structure_get (reply, "error", G_TYPE_ERROR, &err, NULL)) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED,
        ("The server's offer was refused by webrtcbin"), ("%s",
            err->message));
    g_clear_error (&err);
    gst_promise_unref (promise);
    return;
  }
  gst_promise_unref (promise);
  invoke (self, create_answer, job_new (self), job_free);
}

/* mid -> track sid from mid_to_track_id, and from a=msid PA|TR TR */
static void
learn_mids (GstLiveKitRoomSrc * self, const Livekit__SessionDescription * sd,
    const GstSDPMessage * sdp)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  guint i, j;
  gsize k;

  g_mutex_lock (&priv->state_lock);
  for (i = 0; i < gst_sdp_message_medias_len (sdp); i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (sdp, i);
    const gchar *mid = gst_sdp_media_get_attribute_val (m, "mid");

    for (j = 0; mid && j < gst_sdp_media_attributes_len (m); j++) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute (m, j);
      gchar **parts, **ids;

      if (g_strcmp0 (a->key, "msid") != 0 || !a->value)
        continue;
      parts = g_strsplit (a->value, " ", 2);
      ids = g_strsplit (parts[0], "|", 2);
      if (ids[0] && ids[1] && g_str_has_prefix (ids[1], "TR_"))
        g_hash_table_insert (priv->mid_to_track, g_strdup (mid),
            g_strdup (ids[1]));
      else if (parts[1] && g_str_has_prefix (parts[1], "TR_"))
        g_hash_table_insert (priv->mid_to_track, g_strdup (mid),
            g_strdup (parts[1]));
      g_strfreev (ids);
      g_strfreev (parts);
    }
  }
  for (k = 0; k < sd->n_mid_to_track_id; k++)
    g_hash_table_insert (priv->mid_to_track,
        g_strdup (sd->mid_to_track_id[k]->key),
        g_strdup (sd->mid_to_track_id[k]->value));
  g_mutex_unlock (&priv->state_lock);
}

static void
handle_offer (GstLiveKitRoomSrc * self, const Livekit__SessionDescription * sd)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GstWebRTCSessionDescription *offer;
  GstSDPMessage *sdp;

  if (gst_sdp_message_new_from_text (sd->sdp, &sdp) != GST_SDP_OK) {
    GST_ELEMENT_ERROR (self, STREAM, DECODE,
        ("The server sent an offer that is not SDP"), ("%s", sd->sdp));
    return;
  }
  learn_mids (self, sd, sdp);
  /* new credentials in a later offer of the same PeerConnection: an ICE
   * restart */
  {
    const gchar *ufrag = sdp_ice_ufrag (sdp);

    priv->ice_restart = priv->remote_ufrag && ufrag
        && g_strcmp0 (ufrag, priv->remote_ufrag) != 0;
    g_free (priv->remote_ufrag);
    priv->remote_ufrag = g_strdup (ufrag);
  }
  priv->offer_id = sd->id;
  priv->answer_sent = FALSE;
  offer = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_OFFER, sdp);
  g_signal_emit_by_name (priv->webrtc, "set-remote-description", offer,
      gst_promise_new_with_change_func (on_remote_set, gst_object_ref (self),
          gst_object_unref));
  gst_webrtc_session_description_free (offer);
}

static void
set_ice_servers (GstLiveKitRoomSrc * self, Livekit__ICEServer ** servers,
    gsize n)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  gsize i, j;

  for (i = 0; i < n; i++) {
    for (j = 0; j < servers[i]->n_urls; j++) {
      const gchar *url = servers[i]->urls[j];
      gchar *uri = NULL;

      if (g_str_has_prefix (url, "stun:")) {
        uri = g_strdup_printf ("stun://%s", url + 5);
        g_object_set (priv->webrtc, "stun-server", uri, NULL);
      } else if (g_str_has_prefix (url, "turn:")
          || g_str_has_prefix (url, "turns:")) {
        gboolean tls = g_str_has_prefix (url, "turns:");
        const gchar *rest = url + (tls ? 6 : 5);
        gchar *user = g_uri_escape_string (servers[i]->username, NULL, FALSE);
        gchar *pass = g_uri_escape_string (servers[i]->credential, NULL,
            FALSE);
        gboolean ok;

        uri = g_strdup_printf ("%s://%s:%s@%s", tls ? "turns" : "turn", user,
            pass, rest);
        g_signal_emit_by_name (priv->webrtc, "add-turn-server", uri, &ok);
        g_free (user);
        g_free (pass);
      }
      GST_INFO_OBJECT (self, "ICE server %s", url);
      g_free (uri);
    }
  }
}

/* ------------------------------------------------------------------ */
/* Signalling */

static GstElement *create_webrtc (GstLiveKitRoomSrc * self);
static void configure_webrtc (GstLiveKitRoomSrc * self);

/* A new session after a lost one the server could not resume: a new
 * webrtcbin, and the pads stay: each track's new stream is linked to the
 * elements of its pad.  Signalling thread. */
static void
replace_webrtc (GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GstElement *old = priv->webrtc;
  GHashTableIter it;
  gpointer value;

  GST_INFO_OBJECT (self, "new PeerConnection for the new session");
  g_signal_handlers_disconnect_by_data (old, self);
  g_mutex_lock (&priv->state_lock);
  g_hash_table_iter_init (&it, priv->outputs);
  while (g_hash_table_iter_next (&it, NULL, &value)) {
    Output *o = value;

    if (o->webrtc_pad) {
      gst_pad_unlink (o->webrtc_pad, o->chain_sink);
      gst_clear_object (&o->webrtc_pad);
    }
  }
  g_hash_table_remove_all (priv->mid_to_track);
  g_mutex_unlock (&priv->state_lock);

  gst_element_set_locked_state (old, TRUE);
  gst_element_set_state (old, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self), old);

  priv->answer_sent = FALSE;
  g_clear_pointer (&priv->remote_ufrag, g_free);
  priv->ice_restart = FALSE;
  g_ptr_array_set_size (priv->pending_candidates, 0);
  g_ptr_array_set_size (priv->sent_candidates, 0);
  priv->webrtc = create_webrtc (self);
  configure_webrtc (self);
  gst_element_sync_state_with_parent (priv->webrtc);
}

static gboolean
subscribe_timed_out (gpointer data)
{
  GstLiveKitRoomSrc *self = data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);

  g_clear_pointer (&priv->subscribe_timeout_source, g_source_unref);
  if (!priv->any_track) {
    gchar *p, *t;

    g_mutex_lock (&priv->settings_lock);
    p = priv->settings.participants ?
        g_strjoinv (",", priv->settings.participants) : g_strdup ("any");
    t = priv->settings.tracks ? g_strjoinv (",", priv->settings.tracks) :
        g_strdup ("any");
    g_mutex_unlock (&priv->settings_lock);
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("No track to record in room: participants %s, tracks %s", p, t),
        ("nothing matched within subscribe-timeout"));
    g_free (p);
    g_free (t);
  }
  return G_SOURCE_REMOVE;
}

static void
room_ended (GstLiveKitRoomSrc * self, const gchar * why)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  gboolean had_outputs;

  if (priv->ended)
    return;
  priv->ended = TRUE;
  GST_INFO_OBJECT (self, "room ended: %s", why);
  if (priv->retry_source) {
    g_source_destroy (priv->retry_source);
    g_clear_pointer (&priv->retry_source, g_source_unref);
  }
  if (priv->client)
    gst_livekit_signal_client_close (priv->client);
  /* before the EOS that may end the application */
  post_event (self, gst_structure_new ("livekit-connection", "state",
          G_TYPE_STRING, "disconnected", "reason", G_TYPE_STRING, why, NULL));
  g_mutex_lock (&priv->state_lock);
  had_outputs = priv->video_count + priv->audio_count > 0;
  g_mutex_unlock (&priv->state_lock);
  end_output_after_drain (self, NULL);
  /* without a pad no EOS can reach the sinks: say why instead of hanging */
  if (!had_outputs)
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("The room ended (%s) before any track was recorded", why), (NULL));
}

static void
on_response (GstLiveKitSignalClient * client, gpointer data,
    GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  const Livekit__SignalResponse *res = data;
  gsize i;

  switch (res->message_case) {
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_JOIN:{
      const Livekit__JoinResponse *join = res->join;
      guint timeout;

      if (priv->joined) {
        /* a rejoin: nothing is subscribed in the new session */
        replace_webrtc (self);
        g_hash_table_remove_all (priv->subscribed);
        post_connection (self, "rejoined");
      }
      g_free (priv->self_sid);
      priv->self_sid = g_strdup (join->participant ?
          join->participant->sid : NULL);
      priv->joined = TRUE;
      priv->lost_at = 0;
      priv->resume_refused = FALSE;
      GST_INFO_OBJECT (self, "joined room %s as %s", join->room ?
          join->room->name : "?", priv->self_sid);
      set_ice_servers (self, join->ice_servers, join->n_ice_servers);
      post_connection (self, "connected");
      if (join->room && join->room->metadata && *join->room->metadata)
        post_event (self, gst_structure_new ("livekit-room-metadata",
                "metadata", G_TYPE_STRING, join->room->metadata, NULL));
      for (i = 0; i < join->n_other_participants; i++)
        handle_participant (self, join->other_participants[i]);

      g_mutex_lock (&priv->settings_lock);
      timeout = priv->settings.participants || priv->settings.tracks ?
          priv->settings.subscribe_timeout : 0;
      g_mutex_unlock (&priv->settings_lock);
      if (timeout && !priv->any_track) {
        priv->subscribe_timeout_source = g_timeout_source_new (timeout *
            1000);
        g_source_set_callback (priv->subscribe_timeout_source,
            subscribe_timed_out, self, NULL);
        g_source_attach (priv->subscribe_timeout_source, priv->context);
      }
      break;
    }
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_RECONNECT:
      GST_INFO_OBJECT (self, "session resumed");
      priv->lost_at = 0;
      priv->resume_refused = FALSE;
      post_connection (self, "resumed");
      break;
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_OFFER:
      handle_offer (self, res->offer);
      break;
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_TRICKLE:
      if (res->trickle->target == LIVEKIT__SIGNAL_TARGET__SUBSCRIBER)
        add_remote_candidate (self, res->trickle->candidateinit);
      break;
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_UPDATE:
      for (i = 0; i < res->update->n_participants; i++)
        handle_participant (self, res->update->participants[i]);
      break;
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_TRACK_UNPUBLISHED:
      /* the ParticipantUpdate that follows says whose it was */
      break;
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_SPEAKERS_CHANGED:{
      GValue ids = G_VALUE_INIT, levels = G_VALUE_INIT;
      GstStructure *s;

      gst_value_array_init (&ids, res->speakers_changed->n_speakers);
      gst_value_array_init (&levels, res->speakers_changed->n_speakers);
      for (i = 0; i < res->speakers_changed->n_speakers; i++) {
        const Livekit__SpeakerInfo *sp = res->speakers_changed->speakers[i];
        GValue v = G_VALUE_INIT;

        g_value_init (&v, G_TYPE_STRING);
        g_value_set_string (&v, sp->sid);
        gst_value_array_append_and_take_value (&ids, &v);
        g_value_init (&v, G_TYPE_FLOAT);
        g_value_set_float (&v, sp->active ? sp->level : 0.0f);
        gst_value_array_append_and_take_value (&levels, &v);
      }
      s = gst_structure_new_empty ("livekit-active-speakers");
      gst_structure_take_value (s, "participant-sids", &ids);
      gst_structure_take_value (s, "levels", &levels);
      post_event (self, s);
      break;
    }
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_ROOM_UPDATE:
      if (res->room_update->room)
        post_event (self, gst_structure_new ("livekit-room-metadata",
                "metadata", G_TYPE_STRING, res->room_update->room->metadata,
                NULL));
      break;
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_REFRESH_TOKEN:
      g_free (priv->session_token);
      priv->session_token = g_strdup (res->refresh_token);
      break;
    case LIVEKIT__SIGNAL_RESPONSE__MESSAGE_LEAVE:{
      const Livekit__LeaveRequest *leave = res->leave;
      const ProtobufCEnumValue *v =
          protobuf_c_enum_descriptor_get_value
          (&livekit__disconnect_reason__descriptor, leave->reason);

      if (leave->action == LIVEKIT__LEAVE_REQUEST__ACTION__RESUME
          || leave->action == LIVEKIT__LEAVE_REQUEST__ACTION__RECONNECT) {
        gboolean resume = leave->action == LIVEKIT__LEAVE_REQUEST__ACTION__RESUME;

        GST_INFO_OBJECT (self, "server asks to %s (%s)",
            resume ? "resume" : "join again", v ? v->name : "no reason");
        gst_livekit_signal_client_close (priv->client);
        if (!priv->lost_at) {
          priv->lost_at = g_get_monotonic_time ();
          post_connection (self, "reconnecting");
        }
        /* a refused resume is answered with RECONNECT: a new session */
        priv->resume_refused = !resume;
        start_connect (self, resume);
      } else {
        room_ended (self, v ? v->name : "UNKNOWN_REASON");
      }
      break;
    }
    default:
      break;
  }
}

static gboolean
retry_connect (gpointer data)
{
  GstLiveKitRoomSrc *self = data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);

  g_clear_pointer (&priv->retry_source, g_source_unref);
  /* resume the session while the server may keep it; join again when it
   * said it does not */
  start_connect (self, priv->self_sid && !priv->resume_refused);
  return G_SOURCE_REMOVE;
}

static void
connection_lost (GstLiveKitRoomSrc * self, const GError * error)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  guint resume_timeout;

  if (priv->ended)
    return;
  g_mutex_lock (&priv->settings_lock);
  resume_timeout = priv->settings.resume_timeout;
  g_mutex_unlock (&priv->settings_lock);

  if (!priv->lost_at) {
    priv->lost_at = g_get_monotonic_time ();
    GST_WARNING_OBJECT (self, "signalling lost: %s; resuming",
        error->message);
    post_connection (self, "reconnecting");
  }
  if (g_get_monotonic_time () - priv->lost_at >
      (gint64) resume_timeout * G_USEC_PER_SEC) {
    GST_ELEMENT_ERROR (self, RESOURCE, READ,
        ("Lost the connection to the LiveKit server and could not resume "
            "within %u s", resume_timeout), ("%s", error->message));
    room_ended (self, "CONNECTION_TIMEOUT");
    return;
  }
  if (!priv->retry_source) {
    priv->retry_source = g_timeout_source_new (500);
    g_source_set_callback (priv->retry_source, retry_connect, self, NULL);
    g_source_attach (priv->retry_source, priv->context);
  }
}

static void
on_closed (GstLiveKitSignalClient * client, GError * error,
    GstLiveKitRoomSrc * self)
{
  connection_lost (self, error);
}

static void
on_connected (GObject * source, GAsyncResult * result, gpointer user_data)
{
  GstLiveKitRoomSrc *self = user_data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GError *error = NULL;

  if (gst_livekit_signal_client_connect_finish (GST_LIVEKIT_SIGNAL_CLIENT
          (source), result, &error)) {
    gst_object_unref (self);
    return;
  }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_error_free (error);
    gst_object_unref (self);
    return;
  }
  if (priv->joined && !g_error_matches (error, GST_LIVEKIT_SIGNAL_ERROR,
          GST_LIVEKIT_SIGNAL_ERROR_URL)) {
    connection_lost (self, error);
  } else if (g_error_matches (error, GST_LIVEKIT_SIGNAL_ERROR,
          GST_LIVEKIT_SIGNAL_ERROR_UNAUTHORIZED)) {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED,
        ("LiveKit server %s refused the credentials", priv->session_url),
        ("%s", error->message));
  } else if (g_error_matches (error, GST_LIVEKIT_SIGNAL_ERROR,
          GST_LIVEKIT_SIGNAL_ERROR_URL)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid url property"), ("%s", error->message));
  } else {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not connect to LiveKit server %s", priv->session_url),
        ("%s", error->message));
  }
  g_error_free (error);
  gst_object_unref (self);
}

static void
start_connect (GstLiveKitRoomSrc * self, gboolean resume)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  gchar *extra = NULL;

  if (resume && priv->self_sid)
    extra = g_strdup_printf ("reconnect=1&sid=%s&reconnect_reason=1",
        priv->self_sid);
  GST_INFO_OBJECT (self, "%s %s", resume ? "resuming on" : "connecting to",
      priv->session_url);
  gst_livekit_signal_client_connect_async (priv->client, priv->session_url,
      priv->session_token, extra, NULL, on_connected, gst_object_ref (self));
  g_free (extra);
}

/* The token to join with: the token property, or one minted for a hidden
 * recorder. */
static gchar *
make_token (GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  Settings *s = &priv->settings;
  GstLiveKitTokenClaims *claims;
  GError *error = NULL;
  gchar *token = NULL;

  g_mutex_lock (&priv->settings_lock);
  if (s->token && *s->token) {
    token = g_strdup (s->token);
  } else if (s->api_key && s->api_secret && s->room) {
    claims = gst_livekit_token_claims_new ();
    claims->identity = g_strdup (s->identity);
    claims->kind = g_strdup ("egress");
    claims->has_video = TRUE;
    claims->video.room = g_strdup (s->room);
    claims->video.room_join = GST_LIVEKIT_GRANT_TRUE;
    claims->video.can_subscribe = GST_LIVEKIT_GRANT_TRUE;
    claims->video.can_publish = GST_LIVEKIT_GRANT_FALSE;
    claims->video.can_publish_data = GST_LIVEKIT_GRANT_FALSE;
    claims->video.hidden = GST_LIVEKIT_GRANT_TRUE;
    claims->video.recorder = GST_LIVEKIT_GRANT_TRUE;
    token = gst_livekit_token_mint (claims, s->api_key, s->api_secret, 0,
        &error);
    gst_livekit_token_claims_free (claims);
  }
  g_mutex_unlock (&priv->settings_lock);

  if (!token && error) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Cannot make an access token"), ("%s", error->message));
    g_error_free (error);
  } else if (!token) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("No credentials: set token, or api-key, api-secret and room"),
        (NULL));
  }
  return token;
}

static gboolean
start_in_context (gpointer data)
{
  GstLiveKitRoomSrc *self = data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);

  priv->session_token = make_token (self);
  if (!priv->session_token)
    return G_SOURCE_REMOVE;
  g_mutex_lock (&priv->settings_lock);
  priv->session_url = g_strdup (priv->settings.url);
  g_mutex_unlock (&priv->settings_lock);

  priv->client = gst_livekit_signal_client_new ();
  g_mutex_lock (&priv->settings_lock);
  gst_livekit_signal_client_set_ca_file (priv->client,
      priv->settings.ca_file);
  g_mutex_unlock (&priv->settings_lock);
  g_signal_connect (priv->client, "response", G_CALLBACK (on_response), self);
  g_signal_connect (priv->client, "closed", G_CALLBACK (on_closed), self);
  start_connect (self, FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_in_context (gpointer data)
{
  GstLiveKitRoomSrc *self = data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);

  priv->ended = TRUE;
  if (priv->retry_source) {
    g_source_destroy (priv->retry_source);
    g_clear_pointer (&priv->retry_source, g_source_unref);
  }
  if (priv->subscribe_timeout_source) {
    g_source_destroy (priv->subscribe_timeout_source);
    g_clear_pointer (&priv->subscribe_timeout_source, g_source_unref);
  }
  if (priv->restart_watch) {
    g_source_destroy (priv->restart_watch);
    g_clear_pointer (&priv->restart_watch, g_source_unref);
  }
  if (priv->client) {
    g_signal_handlers_disconnect_by_data (priv->client, self);
    gst_livekit_signal_client_close (priv->client);
    g_clear_object (&priv->client);
  }
  g_main_loop_quit (priv->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
signalling_thread (gpointer data)
{
  GstLiveKitRoomSrc *self = data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);

  g_main_context_push_thread_default (priv->context);
  g_main_loop_run (priv->loop);
  /* run what was queued (frees jobs) */
  while (g_main_context_iteration (priv->context, FALSE));
  g_main_context_pop_thread_default (priv->context);
  return NULL;
}

static void
start (GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);

  priv->started = TRUE;
  priv->ended = FALSE;
  priv->joined = FALSE;
  priv->any_track = FALSE;
  priv->lost_at = 0;
  priv->context = g_main_context_new ();
  priv->loop = g_main_loop_new (priv->context, FALSE);
  priv->thread = g_thread_new ("livekitroomsrc", signalling_thread, self);
  invoke (self, start_in_context, self, NULL);
}

static void
stop (GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);

  if (!priv->started)
    return;
  invoke (self, stop_in_context, self, NULL);
  g_thread_join (priv->thread);
  priv->thread = NULL;
  g_clear_pointer (&priv->loop, g_main_loop_unref);
  g_clear_pointer (&priv->context, g_main_context_unref);
  g_clear_pointer (&priv->session_token, g_free);
  g_clear_pointer (&priv->session_url, g_free);
  g_clear_pointer (&priv->self_sid, g_free);
  g_clear_pointer (&priv->remote_ufrag, g_free);
  priv->ice_restart = FALSE;
  priv->resume_refused = FALSE;
  g_hash_table_remove_all (priv->subscribed);
  g_ptr_array_set_size (priv->pending_candidates, 0);
  g_ptr_array_set_size (priv->sent_candidates, 0);
  priv->started = FALSE;
}

/* Remove every pad and its elements (PAUSED -> READY). */
static void
remove_outputs (GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GList *outs, *l;
  guint i;

  g_mutex_lock (&priv->state_lock);
  outs = g_hash_table_get_values (priv->outputs);
  g_hash_table_steal_all (priv->outputs);
  g_hash_table_remove_all (priv->participants);
  g_hash_table_remove_all (priv->mid_to_track);
  priv->video_count = priv->audio_count = 0;
  g_mutex_unlock (&priv->state_lock);

  for (l = outs; l; l = l->next) {
    Output *o = l->data;

    for (i = 0; i < o->elements->len; i++) {
      GstElement *e = g_ptr_array_index (o->elements, i);

      gst_element_set_state (e, GST_STATE_NULL);
      gst_bin_remove (GST_BIN (self), e);
    }
    gst_element_remove_pad (GST_ELEMENT (self), GST_PAD (o->srcpad));
    output_free (o);
  }
  g_list_free (outs);
}

/* ------------------------------------------------------------------ */
/* GstElement */

/* Timing.  A recording wants each track's timestamps to follow its RTP
 * clock exactly and the tracks of a participant to line up by their
 * sender reports.  rtpjitterbuffer's default (slave) mode re-estimates the
 * sender's clock skew from packet arrivals; with bursty video that
 * estimate wanders by tens of milliseconds, and rtpbin turns every change
 * into a jump of the audio timestamps when the next report comes.  In
 * synced mode the timestamps are the first packet's arrival plus the RTP
 * time, so the reports line the tracks up once and stay right.  The cost:
 * a sender clock running slower than ours makes packets arrive a little
 * later over hours (50 ppm is 180 ms an hour), which only matters to live
 * mixers downstream whose latency is smaller than that (see docs). */
/* AVPF lets a receiver send one feedback packet (our PLI) early per
 * regular RTCP interval; later ones wait for the next regular report.
 * With the default 5 s interval a repeated keyframe request took up to
 * 5 s to leave, so the sessions report every second. */
#define RTCP_INTERVAL (1 * GST_SECOND)

#define NTP_UNIX_OFFSET G_GUINT64_CONSTANT (2208988800)
/* a server whose reports are within this of our clock (transit included)
 * is taken to share our time */
#define CLOCK_AGREE (500 * GST_MSECOND)

/* Sender reports, on their way from the RTP session to the jitter buffers
 * (rtpbin lines streams up from them): their NTP times are moved onto our
 * clock.  rtpbin's ntp-sync places every stream at the time its report
 * gives, which lines up all tracks of the room whatever their CNAMEs (the
 * SFU gives each track its own), but it takes the sender's clock for ours.
 * When the first report is more than CLOCK_AGREE away from our clock, the
 * offset between the two clocks (plus the reports' transit) is the
 * smallest difference seen between a report's NTP time and our time at its
 * arrival; it is the same for every track, so alignment does not depend
 * on it, and a server whose clock is off does not push the recording
 * away from real time.  Clocks that agree are left alone. */
static GstPadProbeReturn
on_sync_rtcp (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLiveKitRoomSrc *self = user_data;
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  gboolean more;
  guint64 now;
  gint64 offset;

  if (!gst_rtcp_buffer_validate_reduced (buf))
    return GST_PAD_PROBE_OK;

  now = g_get_real_time () * GST_USECOND + NTP_UNIX_OFFSET * GST_SECOND;
  buf = gst_buffer_make_writable (buf);
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  if (!gst_rtcp_buffer_map (buf, GST_MAP_READWRITE, &rtcp))
    return GST_PAD_PROBE_OK;
  for (more = gst_rtcp_buffer_get_first_packet (&rtcp, &packet); more;
      more = gst_rtcp_packet_move_to_next (&packet)) {
    guint32 ssrc, rtptime, packets, octets;
    guint64 ntp, ntpns;

    if (gst_rtcp_packet_get_type (&packet) != GST_RTCP_TYPE_SR)
      continue;
    gst_rtcp_packet_sr_get_sender_info (&packet, &ssrc, &ntp, &rtptime,
        &packets, &octets);
    ntpns = gst_util_uint64_scale (ntp, GST_SECOND,
        G_GUINT64_CONSTANT (1) << 32);

    g_mutex_lock (&priv->state_lock);
    if (priv->sr_clock_offset == G_MININT64) {
      gint64 diff = (gint64) (now - ntpns);

      GST_INFO_OBJECT (self, "server clock %" G_GINT64_FORMAT " ms behind "
          "ours (with the report's transit)", diff / GST_MSECOND);
      /* clocks that agree (NTP-synchronised servers) are taken as they
       * are: an estimate from the reports' transit would only add its
       * jitter to every track's placement */
      priv->sr_clock_track = ABS (diff) > CLOCK_AGREE;
      priv->sr_clock_offset = priv->sr_clock_track ? diff : 0;
    } else if (priv->sr_clock_track
        && (gint64) (now - ntpns) < priv->sr_clock_offset) {
      priv->sr_clock_offset = (gint64) (now - ntpns);
    }
    offset = priv->sr_clock_offset;
    g_mutex_unlock (&priv->state_lock);

    ntpns += offset;
    ntp = gst_util_uint64_scale (ntpns, G_GUINT64_CONSTANT (1) << 32,
        GST_SECOND);
    gst_rtcp_packet_sr_set_sender_info (&packet, ssrc, ntp, rtptime,
        packets, octets);
  }
  gst_rtcp_buffer_unmap (&rtcp);
  return GST_PAD_PROBE_OK;
}

/* Media arriving at all (the resume watch below looks at it). */
static GstPadProbeReturn
count_rtp (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_atomic_int_inc (&PRIV (user_data)->rtp_packets);
  return GST_PAD_PROBE_OK;
}

static void
on_rtpbin_element_added (GstBin * rtpbin, GstElement * element,
    gpointer user_data)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element),
          "rtcp-min-interval"))
    g_object_set (element, "rtcp-min-interval", (guint64) RTCP_INTERVAL,
        NULL);
  /* the demuxer hands each stream's reports to its jitter buffer, after the
   * RTP session took what it needs (round-trip times) from them */
  if (factory && g_strcmp0 (GST_OBJECT_NAME (factory), "rtpssrcdemux") == 0) {
    GstPad *pad = gst_element_get_static_pad (element, "rtcp_sink");

    if (pad) {
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_sync_rtcp,
          user_data, NULL);
      gst_object_unref (pad);
    }
    if ((pad = gst_element_get_static_pad (element, "sink"))) {
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
          GST_PAD_PROBE_TYPE_BUFFER_LIST, count_rtp, user_data, NULL);
      gst_object_unref (pad);
    }
  }
}

static void
configure_rtpbin (GstLiveKitRoomSrc * self, GstElement * webrtc)
{
  GstElement *rtpbin = gst_bin_get_by_name (GST_BIN (webrtc), "rtpbin");

  if (!rtpbin) {
    GST_WARNING_OBJECT (webrtc, "no rtpbin inside webrtcbin");
    return;
  }
  /* timestamps from arrival and RTP time, without a skew estimate that
   * wanders; placed on the senders' common timeline by their reports */
  gst_util_set_object_arg (G_OBJECT (rtpbin), "buffer-mode", "synced");
  g_object_set (rtpbin, "ntp-sync", TRUE, NULL);
  g_signal_connect (rtpbin, "element-added",
      G_CALLBACK (on_rtpbin_element_added), self);
  gst_object_unref (rtpbin);
}

static GstElement *
create_webrtc (GstLiveKitRoomSrc * self)
{
  GstElement *webrtc = gst_element_factory_make ("webrtcbin", NULL);

  if (!webrtc)
    return NULL;
  g_object_set (webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE,
      NULL);
  g_signal_connect (webrtc, "pad-added", G_CALLBACK (on_webrtc_pad_added),
      self);
  g_signal_connect (webrtc, "on-ice-candidate",
      G_CALLBACK (on_ice_candidate), self);
  configure_rtpbin (self, webrtc);
  gst_bin_add (GST_BIN (self), webrtc);
  /* adding webrtcbin (it holds sinks) made this bin a sink: it is a source,
   * and the pipeline must not wait for an EOS from it */
  GST_OBJECT_FLAG_UNSET (self, GST_ELEMENT_FLAG_SINK);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
  return webrtc;
}

static void
configure_webrtc (GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  GstWebRTCICE *ice = NULL;
  gchar **addrs = NULL;
  guint i;

  g_mutex_lock (&priv->settings_lock);
  g_object_set (priv->webrtc, "latency", priv->settings.latency,
      "ice-transport-policy",
      priv->settings.ice_transport_policy ==
      GST_LIVEKIT_ICE_TRANSPORT_POLICY_RELAY ?
      GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY :
      GST_WEBRTC_ICE_TRANSPORT_POLICY_ALL, NULL);
  addrs = split_list (priv->settings.local_address);
  g_mutex_unlock (&priv->settings_lock);

  g_object_get (priv->webrtc, "ice-agent", &ice, NULL);
  for (i = 0; ice && addrs && addrs[i]; i++) {
    gboolean ok = FALSE;

    g_signal_emit_by_name (ice, "add-local-ip-address", addrs[i], &ok);
    if (!ok)
      GST_WARNING_OBJECT (self, "cannot use local address %s", addrs[i]);
  }
  gst_clear_object (&ice);
  g_strfreev (addrs);
}

/* The data channels (SCTP) carry nothing the recording needs: when the
 * association fails (the server closing the room mid-stream, a peer under
 * heavy load), webrtcbin's sctpenc/sctpdec post an ERROR that would stop
 * the whole pipeline and lose the files' endings.  Turn those into
 * warnings; the media keeps flowing and the room's end still comes as
 * EOS through the signalling. */
static gboolean
is_data_channel_element (GstObject * src)
{
  GstElementFactory *factory;
  const gchar *name;

  if (!GST_IS_ELEMENT (src))
    return FALSE;
  factory = gst_element_get_factory (GST_ELEMENT (src));
  if (!factory)
    return FALSE;
  name = GST_OBJECT_NAME (factory);
  return g_str_equal (name, "sctpenc") || g_str_equal (name, "sctpdec");
}

static void
gst_livekit_room_src_handle_message (GstBin * bin, GstMessage * message)
{
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR
      && is_data_channel_element (GST_MESSAGE_SRC (message))) {
    GError *err = NULL;
    gchar *debug = NULL;
    GstMessage *warning;

    gst_message_parse_error (message, &err, &debug);
    GST_WARNING_OBJECT (bin, "data channel failed, recording goes on: %s",
        err->message);
    warning = gst_message_new_warning (GST_MESSAGE_SRC (message), err, debug);
    gst_message_unref (message);
    g_clear_error (&err);
    g_free (debug);
    message = warning;
  }
  GST_BIN_CLASS (gst_livekit_room_src_parent_class)->handle_message (bin,
      message);
}

static GstStateChangeReturn
gst_livekit_room_src_change_state (GstElement * element,
    GstStateChange transition)
{
  GstLiveKitRoomSrc *self = GST_LIVEKIT_ROOM_SRC (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY)
    configure_webrtc (self);

  ret = GST_ELEMENT_CLASS (gst_livekit_room_src_parent_class)->change_state
      (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      if (!PRIV (self)->started)
        start (self);
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      stop (self);
      remove_outputs (self);
      break;
    default:
      break;
  }
  return ret;
}

/* ------------------------------------------------------------------ */
/* GObject */

static void
gst_livekit_room_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (object);
  Settings *s = &priv->settings;

  g_mutex_lock (&priv->settings_lock);
  switch (prop_id) {
    case PROP_URL:
      g_free (s->url);
      s->url = g_value_dup_string (value);
      break;
    case PROP_API_KEY:
      g_free (s->api_key);
      s->api_key = g_value_dup_string (value);
      break;
    case PROP_API_SECRET:
      g_free (s->api_secret);
      s->api_secret = g_value_dup_string (value);
      break;
    case PROP_TOKEN:
      g_free (s->token);
      s->token = g_value_dup_string (value);
      break;
    case PROP_ROOM:
      g_free (s->room);
      s->room = g_value_dup_string (value);
      break;
    case PROP_IDENTITY:
      g_free (s->identity);
      s->identity = g_value_dup_string (value);
      if (!s->identity || !*s->identity) {
        g_free (s->identity);
        s->identity = g_strdup_printf ("EG_%08x%04x", g_random_int (),
            g_random_int () & 0xffff);
      }
      break;
    case PROP_PARTICIPANTS:
      g_strfreev (s->participants);
      s->participants = split_list (g_value_get_string (value));
      break;
    case PROP_TRACKS:
      g_strfreev (s->tracks);
      s->tracks = split_list (g_value_get_string (value));
      break;
    case PROP_AUDIO:
      s->audio = g_value_get_boolean (value);
      break;
    case PROP_VIDEO:
      s->video = g_value_get_boolean (value);
      break;
    case PROP_SCREEN_SHARE:
      s->screen_share = g_value_get_enum (value);
      break;
    case PROP_VIDEO_QUALITY:
      s->video_quality = g_value_get_enum (value);
      break;
    case PROP_LATENCY:
      s->latency = g_value_get_uint (value);
      break;
    case PROP_RESUME_TIMEOUT:
      s->resume_timeout = g_value_get_uint (value);
      break;
    case PROP_SUBSCRIBE_TIMEOUT:
      s->subscribe_timeout = g_value_get_uint (value);
      break;
    case PROP_CA_FILE:
      g_free (s->ca_file);
      s->ca_file = g_value_dup_string (value);
      break;
    case PROP_ICE_TRANSPORT_POLICY:
      s->ice_transport_policy = g_value_get_enum (value);
      break;
    case PROP_LOCAL_ADDRESS:
      g_free (s->local_address);
      s->local_address = g_value_dup_string (value);
      break;
    case PROP_REPUBLISH_GRACE:
      s->republish_grace = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&priv->settings_lock);
}

static void
gst_livekit_room_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (object);
  Settings *s = &priv->settings;

  g_mutex_lock (&priv->settings_lock);
  switch (prop_id) {
    case PROP_URL:
      g_value_set_string (value, s->url);
      break;
    case PROP_API_KEY:
      g_value_set_string (value, s->api_key);
      break;
    case PROP_API_SECRET:
      g_value_set_string (value, s->api_secret);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, s->token);
      break;
    case PROP_ROOM:
      g_value_set_string (value, s->room);
      break;
    case PROP_IDENTITY:
      g_value_set_string (value, s->identity);
      break;
    case PROP_PARTICIPANTS:
      g_value_take_string (value, s->participants ?
          g_strjoinv (",", s->participants) : NULL);
      break;
    case PROP_TRACKS:
      g_value_take_string (value, s->tracks ?
          g_strjoinv (",", s->tracks) : NULL);
      break;
    case PROP_AUDIO:
      g_value_set_boolean (value, s->audio);
      break;
    case PROP_VIDEO:
      g_value_set_boolean (value, s->video);
      break;
    case PROP_SCREEN_SHARE:
      g_value_set_enum (value, s->screen_share);
      break;
    case PROP_VIDEO_QUALITY:
      g_value_set_enum (value, s->video_quality);
      break;
    case PROP_LATENCY:
      g_value_set_uint (value, s->latency);
      break;
    case PROP_RESUME_TIMEOUT:
      g_value_set_uint (value, s->resume_timeout);
      break;
    case PROP_SUBSCRIBE_TIMEOUT:
      g_value_set_uint (value, s->subscribe_timeout);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, s->ca_file);
      break;
    case PROP_ICE_TRANSPORT_POLICY:
      g_value_set_enum (value, s->ice_transport_policy);
      break;
    case PROP_LOCAL_ADDRESS:
      g_value_set_string (value, s->local_address);
      break;
    case PROP_REPUBLISH_GRACE:
      g_value_set_uint (value, s->republish_grace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&priv->settings_lock);
}

static void
gst_livekit_room_src_finalize (GObject * object)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (object);
  Settings *s = &priv->settings;

  g_free (s->url);
  g_free (s->api_key);
  g_free (s->api_secret);
  g_free (s->token);
  g_free (s->room);
  g_free (s->identity);
  g_strfreev (s->participants);
  g_strfreev (s->tracks);
  g_free (s->ca_file);
  g_free (s->local_address);
  g_hash_table_unref (priv->mid_to_track);
  g_hash_table_unref (priv->participants);
  g_hash_table_unref (priv->outputs);
  g_hash_table_unref (priv->subscribed);
  g_ptr_array_unref (priv->pending_candidates);
  g_ptr_array_unref (priv->sent_candidates);
  g_mutex_clear (&priv->settings_lock);
  g_mutex_clear (&priv->state_lock);

  G_OBJECT_CLASS (gst_livekit_room_src_parent_class)->finalize (object);
}

static void
gst_livekit_room_src_class_init (GstLiveKitRoomSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBinClass *bin_class = GST_BIN_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  GST_DEBUG_CATEGORY_INIT (gst_livekit_room_src_debug, "livekitroomsrc", 0,
      "LiveKit room source");
  keyframe_seen_quark = g_quark_from_static_string ("gst-livekit-keyframe");

  gobject_class->set_property = gst_livekit_room_src_set_property;
  gobject_class->get_property = gst_livekit_room_src_get_property;
  gobject_class->finalize = gst_livekit_room_src_finalize;
  element_class->change_state = gst_livekit_room_src_change_state;
  bin_class->handle_message = gst_livekit_room_src_handle_message;
  klass->wants_track = gst_livekit_room_src_default_wants_track;

  g_object_class_install_property (gobject_class, PROP_URL,
      g_param_spec_string ("url", "URL",
          "LiveKit server URL (ws://, wss://, http:// or https://)", NULL,
          rw));
  g_object_class_install_property (gobject_class, PROP_API_KEY,
      g_param_spec_string ("api-key", "API key",
          "API key to mint the recorder's token with", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_API_SECRET,
      g_param_spec_string ("api-secret", "API secret",
          "Secret of the API key", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_TOKEN,
      g_param_spec_string ("token", "Token",
          "Access token to join with (instead of api-key and api-secret)",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_ROOM,
      g_param_spec_string ("room", "Room", "Name of the room to record",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_IDENTITY,
      g_param_spec_string ("identity", "Identity",
          "Identity of the recorder in the room (default: a random EG_ id)",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_PARTICIPANTS,
      g_param_spec_string ("participants", "Participants",
          "Comma-separated identities whose tracks to record (default: all)",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_TRACKS,
      g_param_spec_string ("tracks", "Tracks",
          "Comma-separated track SIDs to record (default: all)", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_AUDIO,
      g_param_spec_boolean ("audio", "Audio", "Record audio tracks",
          DEFAULT_AUDIO, rw));
  g_object_class_install_property (gobject_class, PROP_VIDEO,
      g_param_spec_boolean ("video", "Video", "Record video tracks",
          DEFAULT_VIDEO, rw));
  g_object_class_install_property (gobject_class, PROP_SCREEN_SHARE,
      g_param_spec_enum ("screen-share", "Screen share",
          "What to do with screen-share tracks",
          GST_TYPE_LIVEKIT_SCREEN_SHARE, DEFAULT_SCREEN_SHARE, rw));
  g_object_class_install_property (gobject_class, PROP_VIDEO_QUALITY,
      g_param_spec_enum ("video-quality", "Video quality",
          "Simulcast layer to receive", GST_TYPE_LIVEKIT_VIDEO_QUALITY,
          DEFAULT_VIDEO_QUALITY, rw));
  g_object_class_install_property (gobject_class, PROP_LATENCY,
      g_param_spec_uint ("latency", "Latency",
          "Jitter buffer size in milliseconds", 0, 10000, DEFAULT_LATENCY,
          rw));
  g_object_class_install_property (gobject_class, PROP_RESUME_TIMEOUT,
      g_param_spec_uint ("resume-timeout", "Resume timeout",
          "Seconds to try resuming a lost connection before failing", 0,
          3600, DEFAULT_RESUME_TIMEOUT, rw));
  g_object_class_install_property (gobject_class, PROP_SUBSCRIBE_TIMEOUT,
      g_param_spec_uint ("subscribe-timeout", "Subscribe timeout",
          "With participants or tracks set: seconds to wait for a matching "
          "track before failing", 0, 3600, DEFAULT_SUBSCRIBE_TIMEOUT, rw));
  g_object_class_install_property (gobject_class, PROP_CA_FILE,
      g_param_spec_string ("ca-file", "CA file",
          "PEM file of CAs to trust for wss:// (default: the system's)",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_ICE_TRANSPORT_POLICY,
      g_param_spec_enum ("ice-transport-policy", "ICE transport policy",
          "Which ICE candidates to use",
          GST_TYPE_LIVEKIT_ICE_TRANSPORT_POLICY,
          DEFAULT_ICE_TRANSPORT_POLICY, rw));
  g_object_class_install_property (gobject_class, PROP_LOCAL_ADDRESS,
      g_param_spec_string ("local-address", "Local address",
          "Comma-separated local IP addresses ICE may use (default: all)",
          NULL, rw));

  /**
   * GstLiveKitRoomSrc::room-event:
   * @src: the source
   * @event: (transfer none): the event, the same structure as the element
   *     message posted for it (e.g. `livekit-participant-joined`)
   *
   * Emitted for every room event, in the element's signalling thread
   * (pad-added events in a streaming thread).  Connect to
   * `room-event::livekit-track-muted` and the like for one kind.
   */
  signals[SIGNAL_ROOM_EVENT] = g_signal_new ("room-event",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0,
      NULL, NULL, NULL, G_TYPE_NONE, 1,
      GST_TYPE_STRUCTURE | G_SIGNAL_TYPE_STATIC_SCOPE);

  g_object_class_install_property (gobject_class, PROP_REPUBLISH_GRACE,
      g_param_spec_uint ("republish-grace", "Republish grace",
          "Seconds a pad waits after its track is unpublished for the same "
          "participant to publish the same source again (0: end at once)",
          0, 3600, 0, rw));

  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &video_template, GST_TYPE_LIVEKIT_SRC_PAD);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &audio_template, GST_TYPE_LIVEKIT_SRC_PAD);
  gst_element_class_set_static_metadata (element_class,
      "LiveKit room source", "Source/Network/Audio/Video",
      "Records the tracks of a LiveKit room, one pad per track",
      "gst-egress contributors");

  gst_type_mark_as_plugin_api (GST_TYPE_LIVEKIT_SRC_PAD, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_LIVEKIT_TRACK_SOURCE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_LIVEKIT_SCREEN_SHARE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_LIVEKIT_VIDEO_QUALITY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_LIVEKIT_ICE_TRANSPORT_POLICY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_LIVEKIT_ROOM_SRC, 0);
}

static void
gst_livekit_room_src_init (GstLiveKitRoomSrc * self)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);
  Settings *s = &priv->settings;

  g_mutex_init (&priv->settings_lock);
  g_mutex_init (&priv->state_lock);
  priv->sr_clock_offset = G_MININT64;
  s->identity = g_strdup_printf ("EG_%08x%04x", g_random_int (),
      g_random_int () & 0xffff);
  s->audio = DEFAULT_AUDIO;
  s->video = DEFAULT_VIDEO;
  s->screen_share = DEFAULT_SCREEN_SHARE;
  s->video_quality = DEFAULT_VIDEO_QUALITY;
  s->latency = DEFAULT_LATENCY;
  s->resume_timeout = DEFAULT_RESUME_TIMEOUT;
  s->subscribe_timeout = DEFAULT_SUBSCRIBE_TIMEOUT;
  s->ice_transport_policy = DEFAULT_ICE_TRANSPORT_POLICY;

  priv->mid_to_track = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, g_free);
  priv->participants = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, participant_free);
  priv->outputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) output_free);
  priv->subscribed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  priv->pending_candidates = g_ptr_array_new_with_free_func (g_free);
  priv->sent_candidates = g_ptr_array_new_with_free_func (g_free);

  priv->webrtc = create_webrtc (self);
}

void
gst_livekit_room_src_set_filters (GstLiveKitRoomSrc * self,
    const gchar * const *participants, const gchar * const *tracks)
{
  GstLiveKitRoomSrcPrivate *priv = PRIV (self);

  g_mutex_lock (&priv->settings_lock);
  g_strfreev (priv->settings.participants);
  g_strfreev (priv->settings.tracks);
  priv->settings.participants = g_strdupv ((gchar **) participants);
  priv->settings.tracks = g_strdupv ((gchar **) tracks);
  g_mutex_unlock (&priv->settings_lock);
}

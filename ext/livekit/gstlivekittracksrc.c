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
 * SECTION:element-livekittracksrc
 * @title: livekittracksrc
 *
 * Records exactly one track of a LiveKit room: the one named by
 * #GstLiveKitTrackSrc:track-sid, or the track of
 * #GstLiveKitTrackSrc:participant whose source is
 * #GstLiveKitTrackSrc:source; or one audio and one video track together
 * (#GstLiveKitTrackSrc:audio-track-sid and
 * #GstLiveKitTrackSrc:video-track-sid, for a track composite).  It takes the
 * connection properties of livekitroomsrc, and its pads are the same.  When
 * the track is unpublished the pad waits #GstLiveKitRoomSrc:republish-grace
 * seconds (5 here) for the same participant to publish the same source
 * again, and continues with it; otherwise it gets EOS.  The element fails when no such
 * track appears within #GstLiveKitRoomSrc:subscribe-timeout seconds.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -e livekittracksrc url=ws://127.0.0.1:7880 api-key=devkey \
 *     api-secret=secret room=my-room track-sid=TR_xxxx \
 *   ! queue ! webmmux ! filesink location=track.webm
 * ]| Exports one VP8 track to WebM without transcoding.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlivekitroomsrc.h"
#include "gstlivekitsrcpad.h"

GST_DEBUG_CATEGORY_STATIC (gst_livekit_track_src_debug);
#define GST_CAT_DEFAULT gst_livekit_track_src_debug

#define GST_TYPE_LIVEKIT_TRACK_SRC (gst_livekit_track_src_get_type ())
G_DECLARE_FINAL_TYPE (GstLiveKitTrackSrc, gst_livekit_track_src, GST,
    LIVEKIT_TRACK_SRC, GstLiveKitRoomSrc)

struct _GstLiveKitTrackSrc
{
  GstLiveKitRoomSrc parent;

  GMutex lock;                  /* protects the properties below */
  gchar *track_sid;
  gchar *participant;
  GstLiveKitTrackSource source;
  gchar *audio_track_sid;
  gchar *video_track_sid;
  /* signalling thread: whose source a track-sid turned out to be, so a
   * republish of it is followed */
  gchar *follow_identity;
  gint follow_source;
};

enum
{
  PROP_0,
  PROP_TRACK_SID,
  PROP_PARTICIPANT,
  PROP_SOURCE,
  PROP_AUDIO_TRACK_SID,
  PROP_VIDEO_TRACK_SID,
};

G_DEFINE_TYPE (GstLiveKitTrackSrc, gst_livekit_track_src,
    GST_TYPE_LIVEKIT_ROOM_SRC);
GST_ELEMENT_REGISTER_DEFINE (livekittracksrc, "livekittracksrc",
    GST_RANK_NONE, GST_TYPE_LIVEKIT_TRACK_SRC);

/* Tell the room source which tracks to wait for, so that its subscribe
 * timeout applies. */
static void
update_filters (GstLiveKitTrackSrc * self)
{
  const gchar *tracks[3] = { NULL, };
  const gchar *participants[2] = { NULL, };
  guint n = 0;

  g_mutex_lock (&self->lock);
  if (self->track_sid)
    tracks[n++] = self->track_sid;
  if (self->audio_track_sid)
    tracks[n++] = self->audio_track_sid;
  if (self->video_track_sid && n < 2)
    tracks[n++] = self->video_track_sid;
  participants[0] = self->participant;
  gst_livekit_room_src_set_filters (GST_LIVEKIT_ROOM_SRC (self),
      participants[0] ? participants : NULL, n ? tracks : NULL);
  g_mutex_unlock (&self->lock);
}

static gboolean
gst_livekit_track_src_wants_track (GstLiveKitRoomSrc * room,
    const Livekit__ParticipantInfo * p, const Livekit__TrackInfo * t)
{
  GstLiveKitTrackSrc *self = GST_LIVEKIT_TRACK_SRC (room);
  gboolean ok = FALSE;

  g_mutex_lock (&self->lock);
  if (self->track_sid) {
    ok = g_strcmp0 (t->sid, self->track_sid) == 0;
    if (ok) {
      g_free (self->follow_identity);
      self->follow_identity = g_strdup (p->identity);
      self->follow_source = t->source;
    } else if (self->follow_identity) {
      ok = g_strcmp0 (p->identity, self->follow_identity) == 0
          && (gint) t->source == self->follow_source;
    }
  }
  else if (self->audio_track_sid || self->video_track_sid)
    ok = g_strcmp0 (t->sid, self->audio_track_sid) == 0
        || g_strcmp0 (t->sid, self->video_track_sid) == 0;
  else if (self->participant)
    ok = g_strcmp0 (p->identity, self->participant) == 0
        && (self->source == GST_LIVEKIT_TRACK_SOURCE_UNKNOWN
        || (gint) self->source == (gint) t->source);
  g_mutex_unlock (&self->lock);
  return ok;
}

static GstStateChangeReturn
gst_livekit_track_src_change_state (GstElement * element,
    GstStateChange transition)
{
  GstLiveKitTrackSrc *self = GST_LIVEKIT_TRACK_SRC (element);

  if (transition == GST_STATE_CHANGE_NULL_TO_READY) {
    gboolean ok;

    g_mutex_lock (&self->lock);
    ok = self->track_sid || self->audio_track_sid || self->video_track_sid
        || self->participant;
    g_mutex_unlock (&self->lock);
    if (!ok) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("No track chosen: set track-sid, audio-track-sid and/or "
              "video-track-sid, or participant (and source)"), (NULL));
      return GST_STATE_CHANGE_FAILURE;
    }
    update_filters (self);
  }
  return GST_ELEMENT_CLASS (gst_livekit_track_src_parent_class)->change_state
      (element, transition);
}

static void
gst_livekit_track_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLiveKitTrackSrc *self = GST_LIVEKIT_TRACK_SRC (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_TRACK_SID:
      g_free (self->track_sid);
      self->track_sid = g_value_dup_string (value);
      break;
    case PROP_PARTICIPANT:
      g_free (self->participant);
      self->participant = g_value_dup_string (value);
      break;
    case PROP_SOURCE:
      self->source = g_value_get_enum (value);
      break;
    case PROP_AUDIO_TRACK_SID:
      g_free (self->audio_track_sid);
      self->audio_track_sid = g_value_dup_string (value);
      break;
    case PROP_VIDEO_TRACK_SID:
      g_free (self->video_track_sid);
      self->video_track_sid = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

static void
gst_livekit_track_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLiveKitTrackSrc *self = GST_LIVEKIT_TRACK_SRC (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_TRACK_SID:
      g_value_set_string (value, self->track_sid);
      break;
    case PROP_PARTICIPANT:
      g_value_set_string (value, self->participant);
      break;
    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;
    case PROP_AUDIO_TRACK_SID:
      g_value_set_string (value, self->audio_track_sid);
      break;
    case PROP_VIDEO_TRACK_SID:
      g_value_set_string (value, self->video_track_sid);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

static void
gst_livekit_track_src_finalize (GObject * object)
{
  GstLiveKitTrackSrc *self = GST_LIVEKIT_TRACK_SRC (object);

  g_free (self->track_sid);
  g_free (self->participant);
  g_free (self->audio_track_sid);
  g_free (self->video_track_sid);
  g_free (self->follow_identity);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gst_livekit_track_src_parent_class)->finalize (object);
}

static void
gst_livekit_track_src_class_init (GstLiveKitTrackSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstLiveKitRoomSrcClass *room_class = GST_LIVEKIT_ROOM_SRC_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  GST_DEBUG_CATEGORY_INIT (gst_livekit_track_src_debug, "livekittracksrc", 0,
      "LiveKit track source");

  gobject_class->set_property = gst_livekit_track_src_set_property;
  gobject_class->get_property = gst_livekit_track_src_get_property;
  gobject_class->finalize = gst_livekit_track_src_finalize;
  element_class->change_state = gst_livekit_track_src_change_state;
  room_class->wants_track = gst_livekit_track_src_wants_track;
  room_class->tracks_are_named = TRUE;

  g_object_class_install_property (gobject_class, PROP_TRACK_SID,
      g_param_spec_string ("track-sid", "Track SID",
          "SID of the track to record", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_PARTICIPANT,
      g_param_spec_string ("participant", "Participant",
          "Identity whose track to record (with source)", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_SOURCE,
      g_param_spec_enum ("source", "Source",
          "With participant: which of its tracks (unknown: any)",
          GST_TYPE_LIVEKIT_TRACK_SOURCE, GST_LIVEKIT_TRACK_SOURCE_UNKNOWN,
          rw));
  g_object_class_install_property (gobject_class, PROP_AUDIO_TRACK_SID,
      g_param_spec_string ("audio-track-sid", "Audio track SID",
          "SID of the audio track of a track composite", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_VIDEO_TRACK_SID,
      g_param_spec_string ("video-track-sid", "Video track SID",
          "SID of the video track of a track composite", NULL, rw));

  gst_element_class_set_static_metadata (element_class,
      "LiveKit track source", "Source/Network/Audio/Video",
      "Records one track (or one audio and one video track) of a LiveKit "
      "room", "gst-egress contributors");
}

static void
gst_livekit_track_src_init (GstLiveKitTrackSrc * self)
{
  g_mutex_init (&self->lock);
  /* follow a republish of the recorded source for a few seconds */
  g_object_set (self, "republish-grace", 5, NULL);
}

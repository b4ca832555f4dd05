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

/* The source pads of livekitroomsrc and livekittracksrc: ghost pads that
 * say which participant and track they carry, as read-only properties that
 * follow the room (name, metadata, muted, size). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstlivekitsrcpad.h"

struct _GstLiveKitSrcPad
{
  GstGhostPad parent;

  GMutex lock;                  /* protects desc and offered_caps */
  GstLiveKitTrackDesc desc;
  GstCaps *offered_caps;
};

enum
{
  PROP_0,
  PROP_PARTICIPANT_IDENTITY,
  PROP_PARTICIPANT_SID,
  PROP_PARTICIPANT_NAME,
  PROP_PARTICIPANT_METADATA,
  PROP_TRACK_SID,
  PROP_TRACK_NAME,
  PROP_SOURCE,
  PROP_CODEC,
  PROP_MUTED,
  PROP_WIDTH,
  PROP_HEIGHT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_TYPE (GstLiveKitSrcPad, gst_livekit_src_pad, GST_TYPE_GHOST_PAD);

GType
gst_livekit_track_source_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_LIVEKIT_TRACK_SOURCE_UNKNOWN, "Unknown", "unknown"},
    {GST_LIVEKIT_TRACK_SOURCE_CAMERA, "Camera", "camera"},
    {GST_LIVEKIT_TRACK_SOURCE_MICROPHONE, "Microphone", "microphone"},
    {GST_LIVEKIT_TRACK_SOURCE_SCREEN_SHARE, "Screen share", "screen_share"},
    {GST_LIVEKIT_TRACK_SOURCE_SCREEN_SHARE_AUDIO, "Screen share audio",
        "screen_share_audio"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstLiveKitTrackSource", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

void
gst_livekit_track_desc_clear (GstLiveKitTrackDesc * desc)
{
  g_free (desc->participant_identity);
  g_free (desc->participant_sid);
  g_free (desc->participant_name);
  g_free (desc->participant_metadata);
  g_free (desc->track_sid);
  g_free (desc->track_name);
  g_free (desc->codec);
  memset (desc, 0, sizeof (*desc));
}

void
gst_livekit_track_desc_copy (GstLiveKitTrackDesc * dest,
    const GstLiveKitTrackDesc * src)
{
  gst_livekit_track_desc_clear (dest);
  *dest = *src;
  dest->participant_identity = g_strdup (src->participant_identity);
  dest->participant_sid = g_strdup (src->participant_sid);
  dest->participant_name = g_strdup (src->participant_name);
  dest->participant_metadata = g_strdup (src->participant_metadata);
  dest->track_sid = g_strdup (src->track_sid);
  dest->track_name = g_strdup (src->track_name);
  dest->codec = g_strdup (src->codec);
}

static gboolean
gst_livekit_src_pad_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  GstLiveKitSrcPad *self = GST_LIVEKIT_SRC_PAD (pad);
  GstCaps *offered = NULL;

  g_mutex_lock (&self->lock);
  if (self->offered_caps)
    offered = gst_caps_ref (self->offered_caps);
  g_mutex_unlock (&self->lock);

  /* Before the output is chosen the pad offers the track's encoded caps
   * and raw caps, so that downstream's answer can choose. */
  if (offered && GST_QUERY_TYPE (query) == GST_QUERY_CAPS) {
    GstCaps *filter, *result;

    gst_query_parse_caps (query, &filter);
    result = filter ? gst_caps_intersect_full (filter, offered,
        GST_CAPS_INTERSECT_FIRST) : gst_caps_ref (offered);
    gst_query_set_caps_result (query, result);
    gst_caps_unref (result);
    gst_caps_unref (offered);
    return TRUE;
  }
  if (offered)
    gst_caps_unref (offered);
  return gst_pad_query_default (pad, parent, query);
}

void
gst_livekit_src_pad_set_offered_caps (GstLiveKitSrcPad * self,
    GstCaps * caps)
{
  g_mutex_lock (&self->lock);
  gst_caps_replace (&self->offered_caps, caps);
  g_mutex_unlock (&self->lock);
}

/* Updates the description and notifies the properties that changed; call
 * without holding any element lock. */
void
gst_livekit_src_pad_update (GstLiveKitSrcPad * self,
    const GstLiveKitTrackDesc * desc)
{
  GstLiveKitTrackDesc old = { 0, };
  GObject *obj = G_OBJECT (self);

  g_mutex_lock (&self->lock);
  old = self->desc;
  memset (&self->desc, 0, sizeof (self->desc));
  gst_livekit_track_desc_copy (&self->desc, desc);
  g_mutex_unlock (&self->lock);

  g_object_freeze_notify (obj);
  if (g_strcmp0 (old.participant_name, desc->participant_name))
    g_object_notify_by_pspec (obj, props[PROP_PARTICIPANT_NAME]);
  if (g_strcmp0 (old.participant_metadata, desc->participant_metadata))
    g_object_notify_by_pspec (obj, props[PROP_PARTICIPANT_METADATA]);
  if (g_strcmp0 (old.track_name, desc->track_name))
    g_object_notify_by_pspec (obj, props[PROP_TRACK_NAME]);
  if (old.muted != desc->muted)
    g_object_notify_by_pspec (obj, props[PROP_MUTED]);
  if (old.width != desc->width)
    g_object_notify_by_pspec (obj, props[PROP_WIDTH]);
  if (old.height != desc->height)
    g_object_notify_by_pspec (obj, props[PROP_HEIGHT]);
  g_object_thaw_notify (obj);
  gst_livekit_track_desc_clear (&old);
}

static void
gst_livekit_src_pad_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLiveKitSrcPad *self = GST_LIVEKIT_SRC_PAD (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_PARTICIPANT_IDENTITY:
      g_value_set_string (value, self->desc.participant_identity);
      break;
    case PROP_PARTICIPANT_SID:
      g_value_set_string (value, self->desc.participant_sid);
      break;
    case PROP_PARTICIPANT_NAME:
      g_value_set_string (value, self->desc.participant_name);
      break;
    case PROP_PARTICIPANT_METADATA:
      g_value_set_string (value, self->desc.participant_metadata);
      break;
    case PROP_TRACK_SID:
      g_value_set_string (value, self->desc.track_sid);
      break;
    case PROP_TRACK_NAME:
      g_value_set_string (value, self->desc.track_name);
      break;
    case PROP_SOURCE:
      g_value_set_enum (value, self->desc.source);
      break;
    case PROP_CODEC:
      g_value_set_string (value, self->desc.codec);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->desc.muted);
      break;
    case PROP_WIDTH:
      g_value_set_uint (value, self->desc.width);
      break;
    case PROP_HEIGHT:
      g_value_set_uint (value, self->desc.height);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

static void
gst_livekit_src_pad_finalize (GObject * object)
{
  GstLiveKitSrcPad *self = GST_LIVEKIT_SRC_PAD (object);

  gst_livekit_track_desc_clear (&self->desc);
  gst_caps_replace (&self->offered_caps, NULL);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gst_livekit_src_pad_parent_class)->finalize (object);
}

static void
gst_livekit_src_pad_constructed (GObject * object)
{
  G_OBJECT_CLASS (gst_livekit_src_pad_parent_class)->constructed (object);

  /* after GstGhostPad has installed its own */
  gst_pad_set_query_function (GST_PAD (object), gst_livekit_src_pad_query);
}

static void
gst_livekit_src_pad_class_init (GstLiveKitSrcPadClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  gobject_class->get_property = gst_livekit_src_pad_get_property;
  gobject_class->finalize = gst_livekit_src_pad_finalize;
  gobject_class->constructed = gst_livekit_src_pad_constructed;

  props[PROP_PARTICIPANT_IDENTITY] = g_param_spec_string
      ("participant-identity", "Participant identity",
      "Identity of the participant who publishes the track", NULL, flags);
  props[PROP_PARTICIPANT_SID] = g_param_spec_string ("participant-sid",
      "Participant SID", "Server id of the participant (PA_...)", NULL,
      flags);
  props[PROP_PARTICIPANT_NAME] = g_param_spec_string ("participant-name",
      "Participant name", "Display name of the participant", NULL, flags);
  props[PROP_PARTICIPANT_METADATA] = g_param_spec_string
      ("participant-metadata", "Participant metadata",
      "Metadata of the participant", NULL, flags);
  props[PROP_TRACK_SID] = g_param_spec_string ("track-sid", "Track SID",
      "Server id of the track (TR_...)", NULL, flags);
  props[PROP_TRACK_NAME] = g_param_spec_string ("track-name", "Track name",
      "Name the publisher gave the track", NULL, flags);
  props[PROP_SOURCE] = g_param_spec_enum ("source", "Source",
      "What the track shows or carries", GST_TYPE_LIVEKIT_TRACK_SOURCE,
      GST_LIVEKIT_TRACK_SOURCE_UNKNOWN, flags);
  props[PROP_CODEC] = g_param_spec_string ("codec", "Codec",
      "Codec of the track as received (vp8, vp9, h264, opus, pcmu, pcma)",
      NULL, flags);
  props[PROP_MUTED] = g_param_spec_boolean ("muted", "Muted",
      "Whether the publisher muted the track", FALSE, flags);
  props[PROP_WIDTH] = g_param_spec_uint ("width", "Width",
      "Published width of a video track (0 for audio)", 0, G_MAXUINT, 0,
      flags);
  props[PROP_HEIGHT] = g_param_spec_uint ("height", "Height",
      "Published height of a video track (0 for audio)", 0, G_MAXUINT, 0,
      flags);
  g_object_class_install_properties (gobject_class, N_PROPS, props);
}

static void
gst_livekit_src_pad_init (GstLiveKitSrcPad * self)
{
  g_mutex_init (&self->lock);
}

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

#ifndef __GST_LIVEKIT_ROOM_SRC_H__
#define __GST_LIVEKIT_ROOM_SRC_H__

#include <gst/gst.h>
#include <gst/livekit/livekit-proto.h>

G_BEGIN_DECLS

#define GST_TYPE_LIVEKIT_ROOM_SRC (gst_livekit_room_src_get_type ())
G_DECLARE_DERIVABLE_TYPE (GstLiveKitRoomSrc, gst_livekit_room_src, GST,
    LIVEKIT_ROOM_SRC, GstBin)

/**
 * GstLiveKitRoomSrcClass:
 * @wants_track: whether to subscribe to @track of @participant (called in
 *     the element's signalling thread); the default applies the
 *     participants, tracks, audio, video and screen-share properties
 * @track_ended: a recorded track was unpublished or its participant left;
 *     called after its pad got EOS and was removed
 * @tracks_are_named: every track @wants_track accepts was asked for by
 *     name, so one in a codec that cannot be recorded is an error (else a
 *     warning, unless the track-sids property names it)
 */
struct _GstLiveKitRoomSrcClass
{
  GstBinClass parent_class;

  gboolean tracks_are_named;

  gboolean (*wants_track) (GstLiveKitRoomSrc * self,
      const Livekit__ParticipantInfo * participant,
      const Livekit__TrackInfo * track);
  void (*track_ended) (GstLiveKitRoomSrc * self, const gchar * track_sid);
};

/**
 * GstLiveKitScreenShare:
 * @GST_LIVEKIT_SCREEN_SHARE_INCLUDE: record screen shares like other tracks
 * @GST_LIVEKIT_SCREEN_SHARE_EXCLUDE: leave screen shares out
 * @GST_LIVEKIT_SCREEN_SHARE_ONLY: record only screen shares
 */
typedef enum
{
  GST_LIVEKIT_SCREEN_SHARE_INCLUDE,
  GST_LIVEKIT_SCREEN_SHARE_EXCLUDE,
  GST_LIVEKIT_SCREEN_SHARE_ONLY,
} GstLiveKitScreenShare;

/**
 * GstLiveKitVideoQuality:
 *
 * Simulcast layer to receive when a publisher sends several.
 */
typedef enum
{
  GST_LIVEKIT_VIDEO_QUALITY_LOW = 0,
  GST_LIVEKIT_VIDEO_QUALITY_MEDIUM = 1,
  GST_LIVEKIT_VIDEO_QUALITY_HIGH = 2,
} GstLiveKitVideoQuality;

/**
 * GstLiveKitIceTransportPolicy:
 * @GST_LIVEKIT_ICE_TRANSPORT_POLICY_ALL: any candidate
 * @GST_LIVEKIT_ICE_TRANSPORT_POLICY_RELAY: TURN relays only
 */
typedef enum
{
  GST_LIVEKIT_ICE_TRANSPORT_POLICY_ALL,
  GST_LIVEKIT_ICE_TRANSPORT_POLICY_RELAY,
} GstLiveKitIceTransportPolicy;

void gst_livekit_room_src_set_filters (GstLiveKitRoomSrc * self,
    const gchar * const *participants, const gchar * const *tracks);

GST_ELEMENT_REGISTER_DECLARE (livekitroomsrc);
GST_ELEMENT_REGISTER_DECLARE (livekittracksrc);

G_END_DECLS

#endif /* __GST_LIVEKIT_ROOM_SRC_H__ */

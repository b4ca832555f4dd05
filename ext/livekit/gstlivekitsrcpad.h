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

#ifndef __GST_LIVEKIT_SRC_PAD_H__
#define __GST_LIVEKIT_SRC_PAD_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * GstLiveKitTrackSource:
 *
 * Where a track comes from, as the publisher declared it.
 */
typedef enum
{
  GST_LIVEKIT_TRACK_SOURCE_UNKNOWN = 0,
  GST_LIVEKIT_TRACK_SOURCE_CAMERA = 1,
  GST_LIVEKIT_TRACK_SOURCE_MICROPHONE = 2,
  GST_LIVEKIT_TRACK_SOURCE_SCREEN_SHARE = 3,
  GST_LIVEKIT_TRACK_SOURCE_SCREEN_SHARE_AUDIO = 4,
} GstLiveKitTrackSource;

#define GST_TYPE_LIVEKIT_TRACK_SOURCE (gst_livekit_track_source_get_type ())
GType gst_livekit_track_source_get_type (void);

/* What a pad describes; all strings owned. */
typedef struct
{
  gchar *participant_identity;
  gchar *participant_sid;
  gchar *participant_name;
  gchar *participant_metadata;
  gchar *track_sid;
  gchar *track_name;
  GstLiveKitTrackSource source;
  gchar *codec;
  gboolean muted;
  guint width;
  guint height;
} GstLiveKitTrackDesc;

void gst_livekit_track_desc_clear (GstLiveKitTrackDesc * desc);
void gst_livekit_track_desc_copy (GstLiveKitTrackDesc * dest,
    const GstLiveKitTrackDesc * src);

#define GST_TYPE_LIVEKIT_SRC_PAD (gst_livekit_src_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstLiveKitSrcPad, gst_livekit_src_pad, GST,
    LIVEKIT_SRC_PAD, GstGhostPad)

void gst_livekit_src_pad_update (GstLiveKitSrcPad * pad,
    const GstLiveKitTrackDesc * desc);
void gst_livekit_src_pad_set_offered_caps (GstLiveKitSrcPad * pad,
    GstCaps * caps);

G_END_DECLS

#endif /* __GST_LIVEKIT_SRC_PAD_H__ */

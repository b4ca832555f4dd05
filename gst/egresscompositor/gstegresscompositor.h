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

#ifndef __GST_EGRESS_COMPOSITOR_H__
#define __GST_EGRESS_COMPOSITOR_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * GstEgressCompositorLayout:
 *
 * LiveKit's layout names; the plain names are the dark variants.
 */
typedef enum
{
  GST_EGRESS_COMPOSITOR_LAYOUT_GRID,
  GST_EGRESS_COMPOSITOR_LAYOUT_GRID_LIGHT,
  GST_EGRESS_COMPOSITOR_LAYOUT_GRID_DARK,
  GST_EGRESS_COMPOSITOR_LAYOUT_SPEAKER,
  GST_EGRESS_COMPOSITOR_LAYOUT_SPEAKER_LIGHT,
  GST_EGRESS_COMPOSITOR_LAYOUT_SPEAKER_DARK,
  GST_EGRESS_COMPOSITOR_LAYOUT_SINGLE_SPEAKER,
  GST_EGRESS_COMPOSITOR_LAYOUT_SINGLE_SPEAKER_LIGHT,
  GST_EGRESS_COMPOSITOR_LAYOUT_SINGLE_SPEAKER_DARK,
} GstEgressCompositorLayout;

/**
 * GstEgressCompositorSource:
 *
 * What a video pad shows.
 */
typedef enum
{
  GST_EGRESS_COMPOSITOR_SOURCE_CAMERA,
  GST_EGRESS_COMPOSITOR_SOURCE_SCREEN_SHARE,
} GstEgressCompositorSource;

#define GST_TYPE_EGRESS_COMPOSITOR (gst_egress_compositor_get_type ())
G_DECLARE_FINAL_TYPE (GstEgressCompositor, gst_egress_compositor, GST,
    EGRESS_COMPOSITOR, GstBin)

#define GST_TYPE_EGRESS_COMPOSITOR_PAD (gst_egress_compositor_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstEgressCompositorPad, gst_egress_compositor_pad, GST,
    EGRESS_COMPOSITOR_PAD, GstGhostPad)

GstPad *gst_egress_compositor_link_livekit_pad (GstElement * compositor,
    GstPad * livekit_pad);
void gst_egress_compositor_update_speakers (GstElement * compositor,
    const GstStructure * speakers);

G_END_DECLS

#endif /* __GST_EGRESS_COMPOSITOR_H__ */

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

/* Geometry of the egresscompositor layouts: plain functions from a list of
 * tiles, a layout and a canvas size to rectangles.  No GStreamer here, so
 * the layouts can be tested (and reused) on their own. */

#ifndef __GST_EGRESS_LAYOUT_H__
#define __GST_EGRESS_LAYOUT_H__

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  GST_EGRESS_LAYOUT_MODE_GRID,
  GST_EGRESS_LAYOUT_MODE_SPEAKER,
  GST_EGRESS_LAYOUT_MODE_SINGLE_SPEAKER,
} GstEgressLayoutMode;

/* Grid cells never exceed this many; extra tiles are hidden (the most
 * recent speakers stay visible). */
#define GST_EGRESS_LAYOUT_MAX_GRID_TILES 25

typedef struct
{
  gint x, y, width, height;
} GstEgressRect;

/* What the geometry needs to know about one tile (a camera, a placeholder
 * for a participant without video, or a screen share). */
typedef struct
{
  const gchar *key;             /* unique and stable, e.g. the identity */
  gboolean screen_share;
  gboolean speaking;
  gdouble audio_level;          /* 0..1, orders simultaneous speakers */
  guint64 last_spoke;           /* larger = spoke more recently, 0 = never */
  guint64 joined_at;            /* stable order: earlier first */
  guint video_width;            /* display size of the video (aspect only); */
  guint video_height;           /* 0 when unknown or when there is no video */
} GstEgressTileInfo;

typedef struct
{
  gboolean visible;
  gboolean focus;               /* the main tile of speaker layouts */
  GstEgressRect cell;           /* the tile */
  GstEgressRect content;        /* where the video goes in the cell */
  gboolean cover;               /* the video fills the cell and is cropped
                                 * (a landscape camera, CSS object-fit:
                                 * cover); else it is fitted inside, aspect
                                 * kept (screen shares and portrait video,
                                 * object-fit: contain) */
} GstEgressTilePlacement;

gboolean gst_egress_layout_parse (const gchar * name,
    GstEgressLayoutMode * mode, gboolean * light);

guint gst_egress_layout_gap (guint width, guint height);

gint gst_egress_layout_compute (GstEgressLayoutMode mode, guint width,
    guint height, const GstEgressTileInfo * tiles, guint n_tiles,
    const gchar * prev_focus, GstEgressTilePlacement * out);

void gst_egress_layout_cover_crop (guint src_width, guint src_height,
    guint display_width, guint display_height, guint dst_width,
    guint dst_height, GstEgressRect * crop);

void gst_egress_layout_grid_dimensions (guint n_tiles, guint width,
    guint height, guint * columns, guint * rows);

G_END_DECLS

#endif /* __GST_EGRESS_LAYOUT_H__ */

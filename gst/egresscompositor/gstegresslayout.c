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

/* The layouts follow LiveKit's default recording template:
 *
 * - grid: the grid sizes of the template's GridLayout (1x1, 2x1 or 1x2,
 *   2x2, 3x3, 4x4, 5x5, chosen by tile count and orientation); tiles fill
 *   the cells row by row, a partial last row and unused rows are centred.
 *   While a screen share is present the grid shows the speaker layout, as
 *   the template does.
 * - speaker: the focus tile (screen share, else the active speaker) takes
 *   five sixths of the canvas, the others sit in a carousel column (a row
 *   on portrait canvases) in their stable order.
 * - single-speaker: only the focus tile.
 *
 * Every tile keeps its video's aspect ratio inside its cell.  Coordinates
 * are even so I420 chroma stays aligned. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstegresslayout.h"

#define EVEN_DOWN(v) ((v) & ~1)

/* Carousel tiles are 16:10 like the template's. */
#define CAROUSEL_ASPECT_N 16
#define CAROUSEL_ASPECT_D 10

gboolean
gst_egress_layout_parse (const gchar * name, GstEgressLayoutMode * mode,
    gboolean * light)
{
  static const struct
  {
    const gchar *prefix;
    GstEgressLayoutMode mode;
  } modes[] = {
    /* longest first: "speaker" is a suffix of "single-speaker" */
    {"single-speaker", GST_EGRESS_LAYOUT_MODE_SINGLE_SPEAKER},
    {"speaker", GST_EGRESS_LAYOUT_MODE_SPEAKER},
    {"grid", GST_EGRESS_LAYOUT_MODE_GRID},
  };
  guint i;

  if (name == NULL)
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (modes); i++) {
    gsize len = strlen (modes[i].prefix);
    const gchar *rest;

    if (strncmp (name, modes[i].prefix, len) != 0)
      continue;
    rest = name + len;
    if (*rest == '\0' || strcmp (rest, "-dark") == 0) {
      *light = FALSE;
    } else if (strcmp (rest, "-light") == 0) {
      *light = TRUE;
    } else {
      return FALSE;
    }
    *mode = modes[i].mode;
    return TRUE;
  }
  return FALSE;
}

/* The template's 0.5rem gap on a 720-line canvas, scaled. */
guint
gst_egress_layout_gap (guint width, guint height)
{
  guint gap = MIN (width, height) * 8 / 720;

  return MAX (2, EVEN_DOWN (gap));
}

void
gst_egress_layout_grid_dimensions (guint n_tiles, guint width, guint height,
    guint * columns, guint * rows)
{
  gboolean portrait = height > width;

  if (n_tiles <= 1) {
    *columns = *rows = 1;
  } else if (n_tiles == 2) {
    *columns = portrait ? 1 : 2;
    *rows = portrait ? 2 : 1;
  } else if (n_tiles <= 4) {
    *columns = *rows = 2;
  } else if (n_tiles <= 9) {
    *columns = *rows = 3;
  } else if (n_tiles <= 16) {
    *columns = *rows = 4;
  } else {
    *columns = *rows = 5;
  }
}

static GstEgressRect
fit_content (const GstEgressTileInfo * t, GstEgressRect cell)
{
  GstEgressRect r = cell;
  guint64 w, h;

  if (t->video_width == 0 || t->video_height == 0 || cell.width <= 0
      || cell.height <= 0)
    return r;

  /* the largest rectangle of the video's aspect inside the cell */
  w = cell.width;
  h = (guint64) cell.width * t->video_height / t->video_width;
  if (h > (guint64) cell.height) {
    h = cell.height;
    w = (guint64) cell.height * t->video_width / t->video_height;
  }
  r.width = MAX (2, EVEN_DOWN ((gint) w));
  r.height = MAX (2, EVEN_DOWN ((gint) h));
  r.x = cell.x + EVEN_DOWN ((cell.width - r.width) / 2);
  r.y = cell.y + EVEN_DOWN ((cell.height - r.height) / 2);
  return r;
}

/* A camera in landscape fills its cell, cropped, as the template's
 * object-fit: cover does; screen shares and portrait video are fitted. */
static gboolean
covers (const GstEgressTileInfo * t)
{
  return !t->screen_share && t->video_width > t->video_height
      && t->video_height > 0;
}

/**
 * gst_egress_layout_cover_crop:
 * @src_width: width of the video frames, in pixels
 * @src_height: height of the video frames, in pixels
 * @display_width: display width (the pixel aspect ratio applied)
 * @display_height: display height
 * @dst_width: width of the rectangle to fill
 * @dst_height: height of the rectangle to fill
 * @crop: (out): the centred part of the frame, in pixels, with the display
 *     aspect of @dst_width x @dst_height (even offsets and sizes)
 */
void
gst_egress_layout_cover_crop (guint src_width, guint src_height,
    guint display_width, guint display_height, guint dst_width,
    guint dst_height, GstEgressRect * crop)
{
  guint64 w = src_width, h = src_height;

  crop->x = crop->y = 0;
  crop->width = src_width;
  crop->height = src_height;
  if (src_width < 2 || src_height < 2 || display_width == 0
      || display_height == 0 || dst_width == 0 || dst_height == 0)
    return;
  /* compare the display aspect with the target's: a wider video loses its
   * sides, a taller one its top and bottom */
  if ((guint64) display_width * dst_height > (guint64) dst_width *
      display_height) {
    /* display width that keeps the full height, back in pixels */
    w = (guint64) display_height * dst_width / dst_height;
    w = w * src_width / display_width;
  } else {
    h = (guint64) display_width * dst_height / dst_width;
    h = h * src_height / display_height;
  }
  crop->width = CLAMP ((gint) w, 2, (gint) src_width) & ~1;
  crop->height = CLAMP ((gint) h, 2, (gint) src_height) & ~1;
  crop->x = EVEN_DOWN (((gint) src_width - crop->width) / 2);
  crop->y = EVEN_DOWN (((gint) src_height - crop->height) / 2);
}

static GstEgressRect
rect (gint x, gint y, gint w, gint h)
{
  GstEgressRect r = { EVEN_DOWN (x), EVEN_DOWN (y), EVEN_DOWN (w),
    EVEN_DOWN (h)
  };
  return r;
}

static void
place (GstEgressTilePlacement * p, const GstEgressTileInfo * t,
    GstEgressRect cell)
{
  p->visible = TRUE;
  p->cell = cell;
  p->cover = covers (t);
  p->content = p->cover ? cell : fit_content (t, cell);
}

/* Stable order: cameras before screen shares (the template lists camera
 * tracks first), then by join time, then by key. */
static gint
stable_cmp (const GstEgressTileInfo * a, const GstEgressTileInfo * b)
{
  if (a->screen_share != b->screen_share)
    return a->screen_share ? 1 : -1;
  if (a->joined_at != b->joined_at)
    return a->joined_at < b->joined_at ? -1 : 1;
  return g_strcmp0 (a->key, b->key);
}

static gint
stable_cmp_idx (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const GstEgressTileInfo *tiles = user_data;

  return stable_cmp (&tiles[*(const guint *) a], &tiles[*(const guint *) b]);
}

/* Who deserves a visible slot first: current speakers (loudest first), then
 * the most recent speakers, then the stable order. */
static gint
recency_cmp_idx (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const GstEgressTileInfo *tiles = user_data;
  const GstEgressTileInfo *ta = &tiles[*(const guint *) a];
  const GstEgressTileInfo *tb = &tiles[*(const guint *) b];

  if (ta->speaking != tb->speaking)
    return ta->speaking ? -1 : 1;
  if (ta->speaking && ta->audio_level != tb->audio_level)
    return ta->audio_level > tb->audio_level ? -1 : 1;
  if (ta->last_spoke != tb->last_spoke)
    return ta->last_spoke > tb->last_spoke ? -1 : 1;
  return stable_cmp (ta, tb);
}

/* Keeps at most @max of the indices in @order (stable order in, stable order
 * out), preferring speakers. */
static guint
select_visible (const GstEgressTileInfo * tiles, guint * order, guint n,
    guint max)
{
  guint *tmp;

  if (n <= max)
    return n;
  tmp = g_memdup2 (order, n * sizeof (guint));
  g_qsort_with_data (tmp, n, sizeof (guint), recency_cmp_idx, (gpointer) tiles);
  g_qsort_with_data (tmp, max, sizeof (guint), stable_cmp_idx,
      (gpointer) tiles);
  memcpy (order, tmp, max * sizeof (guint));
  g_free (tmp);
  return max;
}

static gint
find_key (const GstEgressTileInfo * tiles, guint n, const gchar * key)
{
  guint i;

  if (key == NULL)
    return -1;
  for (i = 0; i < n; i++)
    if (g_strcmp0 (tiles[i].key, key) == 0)
      return i;
  return -1;
}

/* The focus tile: the first screen share; else the previous focus while it
 * still speaks (no flapping between two speakers); else the loudest
 * speaker; else the most recent speaker; else the previous focus; else the
 * first tile in stable order. */
static gint
choose_focus (const GstEgressTileInfo * tiles, const guint * order, guint n,
    const gchar * prev_focus)
{
  gint prev = find_key (tiles, n, prev_focus);
  gint best = -1;
  guint i;

  for (i = 0; i < n; i++)
    if (tiles[order[i]].screen_share)
      return order[i];
  if (prev >= 0 && tiles[prev].speaking)
    return prev;
  for (i = 0; i < n; i++) {
    const GstEgressTileInfo *t = &tiles[order[i]];

    if (t->speaking && (best < 0 || t->audio_level > tiles[best].audio_level))
      best = order[i];
  }
  if (best >= 0)
    return best;
  for (i = 0; i < n; i++) {
    const GstEgressTileInfo *t = &tiles[order[i]];

    if (t->last_spoke > 0 && (best < 0
            || t->last_spoke > tiles[best].last_spoke))
      best = order[i];
  }
  if (best >= 0)
    return best;
  if (prev >= 0)
    return prev;
  return order[0];
}

static void
layout_grid (guint width, guint height, const GstEgressTileInfo * tiles,
    guint * order, guint n, GstEgressTilePlacement * out)
{
  guint gap = gst_egress_layout_gap (width, height);
  guint cols, rows, used_rows, i;
  gint cell_w, cell_h, y0;

  n = select_visible (tiles, order, n, GST_EGRESS_LAYOUT_MAX_GRID_TILES);
  gst_egress_layout_grid_dimensions (n, width, height, &cols, &rows);
  cell_w = ((gint) width - (gint) (cols + 1) * gap) / cols;
  cell_h = ((gint) height - (gint) (rows + 1) * gap) / rows;
  used_rows = (n + cols - 1) / cols;
  y0 = gap + (rows - used_rows) * (cell_h + gap) / 2;

  for (i = 0; i < n; i++) {
    guint row = i / cols, col = i % cols;
    guint in_row = MIN (cols, n - row * cols);
    gint x0 = gap + (cols - in_row) * (cell_w + gap) / 2;

    place (&out[order[i]], &tiles[order[i]],
        rect (x0 + col * (cell_w + gap), y0 + row * (cell_h + gap), cell_w,
            cell_h));
  }
}

static void
layout_speaker (guint width, guint height, const GstEgressTileInfo * tiles,
    guint * order, guint n, gint focus, gboolean single,
    GstEgressTilePlacement * out)
{
  gint gap = gst_egress_layout_gap (width, height);
  gint w = width, h = height;
  gboolean portrait = h > w;
  guint *others = g_newa (guint, MAX (n, 1));
  guint n_others = 0, i, max_vis;
  gint strip, tile_w, tile_h;

  for (i = 0; i < n; i++)
    if ((gint) order[i] != focus)
      others[n_others++] = order[i];

  out[focus].focus = TRUE;
  if (single || n_others == 0) {
    place (&out[focus], &tiles[focus], rect (gap, gap, w - 2 * gap,
            h - 2 * gap));
    return;
  }

  /* the carousel takes one sixth, the focus five sixths */
  if (!portrait) {
    strip = (w - 3 * gap) / 6;
    tile_w = strip;
    tile_h = strip * CAROUSEL_ASPECT_D / CAROUSEL_ASPECT_N;
    max_vis = MAX (1, (h - gap) / (tile_h + gap));
    place (&out[focus], &tiles[focus], rect (2 * gap + strip, gap,
            w - 3 * gap - strip, h - 2 * gap));
  } else {
    strip = (h - 3 * gap) / 6;
    tile_h = strip;
    tile_w = strip * CAROUSEL_ASPECT_N / CAROUSEL_ASPECT_D;
    max_vis = MAX (1, (w - gap) / (tile_w + gap));
    place (&out[focus], &tiles[focus], rect (gap, gap, w - 2 * gap,
            h - 3 * gap - strip));
  }

  n_others = select_visible (tiles, others, n_others, max_vis);
  for (i = 0; i < n_others; i++) {
    GstEgressRect r;

    if (!portrait)
      r = rect (gap, gap + i * (tile_h + gap), tile_w, tile_h);
    else
      r = rect (gap + i * (tile_w + gap), h - gap - strip, tile_w, tile_h);
    place (&out[others[i]], &tiles[others[i]], r);
  }
}

/**
 * gst_egress_layout_compute:
 * @mode: the layout
 * @width: canvas width
 * @height: canvas height
 * @tiles: (array length=n_tiles): the tiles, in any order
 * @n_tiles: how many
 * @prev_focus: (nullable): key of the previous focus tile, kept while it
 *     still speaks
 * @out: (array length=n_tiles): one placement per tile, same index as @tiles
 *
 * Places every tile.  The result depends only on the tiles' contents, not
 * on their order in @tiles.
 *
 * Returns: the index of the focus tile, or -1 (grid without screen share,
 * or no tiles)
 */
gint
gst_egress_layout_compute (GstEgressLayoutMode mode, guint width,
    guint height, const GstEgressTileInfo * tiles, guint n_tiles,
    const gchar * prev_focus, GstEgressTilePlacement * out)
{
  guint *order;
  gint focus = -1;
  guint i;
  gboolean has_share = FALSE;

  memset (out, 0, n_tiles * sizeof (GstEgressTilePlacement));
  if (n_tiles == 0 || width < 16 || height < 16)
    return -1;

  order = g_new (guint, n_tiles);
  for (i = 0; i < n_tiles; i++) {
    order[i] = i;
    has_share |= tiles[i].screen_share;
  }
  g_qsort_with_data (order, n_tiles, sizeof (guint), stable_cmp_idx,
      (gpointer) tiles);

  /* the template's grid turns into the speaker layout for screen shares */
  if (mode == GST_EGRESS_LAYOUT_MODE_GRID && has_share)
    mode = GST_EGRESS_LAYOUT_MODE_SPEAKER;

  if (mode == GST_EGRESS_LAYOUT_MODE_GRID) {
    layout_grid (width, height, tiles, order, n_tiles, out);
  } else {
    focus = choose_focus (tiles, order, n_tiles, prev_focus);
    layout_speaker (width, height, tiles, order, n_tiles, focus,
        mode == GST_EGRESS_LAYOUT_MODE_SINGLE_SPEAKER, out);
  }
  g_free (order);
  return focus;
}

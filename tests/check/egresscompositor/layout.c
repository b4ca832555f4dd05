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

/* Geometry of the egresscompositor layouts, 1 to 16 tiles in each. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

#include "gstegresslayout.h"

#define W 1280
#define H 720

static GstEgressTileInfo *
make_tiles (guint n)
{
  GstEgressTileInfo *t = g_new0 (GstEgressTileInfo, n);
  guint i;

  for (i = 0; i < n; i++) {
    t[i].key = g_strdup_printf ("p%02u", i);
    t[i].joined_at = 1000 + i;
    t[i].video_width = 640;
    t[i].video_height = 360;
  }
  return t;
}

static void
free_tiles (GstEgressTileInfo * t, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    g_free ((gchar *) t[i].key);
  g_free (t);
}

static gboolean
overlaps (const GstEgressRect * a, const GstEgressRect * b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width &&
      a->y < b->y + b->height && b->y < a->y + a->height;
}

static gboolean
inside (const GstEgressRect * in, const GstEgressRect * out)
{
  return in->x >= out->x && in->y >= out->y &&
      in->x + in->width <= out->x + out->width &&
      in->y + in->height <= out->y + out->height;
}

/* What every layout must satisfy: visible cells inside the canvas, even,
 * not overlapping, content inside its cell with the video's aspect. */
static guint
check_common (const GstEgressTileInfo * t, const GstEgressTilePlacement * p,
    guint n, guint w, guint h)
{
  GstEgressRect canvas = { 0, 0, w, h };
  guint i, j, visible = 0;

  for (i = 0; i < n; i++) {
    if (!p[i].visible)
      continue;
    visible++;
    fail_unless (p[i].cell.width > 0 && p[i].cell.height > 0);
    fail_unless (inside (&p[i].cell, &canvas), "tile %u outside canvas", i);
    fail_unless (inside (&p[i].content, &p[i].cell));
    fail_unless (p[i].cell.x % 2 == 0 && p[i].cell.y % 2 == 0);
    fail_unless (p[i].cell.width % 2 == 0 && p[i].cell.height % 2 == 0);
    /* a landscape camera covers its cell (object-fit: cover); anything
     * else keeps its aspect, filling one dimension (contain) */
    fail_unless_equals_int (p[i].cover, !t[i].screen_share
        && t[i].video_width > t[i].video_height);
    if (p[i].cover) {
      fail_unless (memcmp (&p[i].content, &p[i].cell,
              sizeof (GstEgressRect)) == 0, "tile %u not covered", i);
    } else if (t[i].video_width > 0) {
      fail_unless (ABS ((gint64) p[i].content.width * t[i].video_height -
              (gint64) p[i].content.height * t[i].video_width)
          <= 2 * (gint64) (t[i].video_width + t[i].video_height),
          "tile %u content %dx%d", i, p[i].content.width,
          p[i].content.height);
      fail_unless (p[i].content.width >= p[i].cell.width - 2
          || p[i].content.height >= p[i].cell.height - 2);
    }
    for (j = 0; j < i; j++)
      if (p[j].visible)
        fail_if (overlaps (&p[i].cell, &p[j].cell), "tiles %u and %u overlap",
            i, j);
  }
  return visible;
}

GST_START_TEST (test_parse)
{
  GstEgressLayoutMode m;
  gboolean light = TRUE;

  fail_unless (gst_egress_layout_parse ("grid", &m, &light));
  fail_unless (m == GST_EGRESS_LAYOUT_MODE_GRID && !light);
  fail_unless (gst_egress_layout_parse ("speaker-light", &m, &light));
  fail_unless (m == GST_EGRESS_LAYOUT_MODE_SPEAKER && light);
  fail_unless (gst_egress_layout_parse ("single-speaker-dark", &m, &light));
  fail_unless (m == GST_EGRESS_LAYOUT_MODE_SINGLE_SPEAKER && !light);
  fail_unless (gst_egress_layout_parse ("single-speaker", &m, &light));
  fail_unless (m == GST_EGRESS_LAYOUT_MODE_SINGLE_SPEAKER);
  fail_if (gst_egress_layout_parse ("grid-blue", &m, &light));
  fail_if (gst_egress_layout_parse ("mosaic", &m, &light));
  fail_if (gst_egress_layout_parse (NULL, &m, &light));
}

GST_END_TEST;

GST_START_TEST (test_grid)
{
  /* LiveKit's template grid sizes by tile count */
  static const guint cols_for[17] =
      { 0, 1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4 };
  guint n;

  for (n = 1; n <= 16; n++) {
    GstEgressTileInfo *t = make_tiles (n);
    GstEgressTilePlacement *p = g_new0 (GstEgressTilePlacement, n);
    guint cols, rows, i, area = 0;

    fail_unless_equals_int (gst_egress_layout_compute
        (GST_EGRESS_LAYOUT_MODE_GRID, W, H, t, n, NULL, p), -1);
    fail_unless_equals_int (check_common (t, p, n, W, H), n);
    gst_egress_layout_grid_dimensions (n, W, H, &cols, &rows);
    fail_unless_equals_int (cols, cols_for[n]);
    for (i = 0; i < n; i++) {
      /* all cells the same size, sized by the grid */
      fail_unless_equals_int (p[i].cell.width, p[0].cell.width);
      fail_unless_equals_int (p[i].cell.height, p[0].cell.height);
      fail_unless (p[i].cell.width >= (W / cols) - 16);
      fail_unless (p[i].cell.height >= (H / rows) - 16);
      fail_if (p[i].focus);
      area += p[i].cell.width * p[i].cell.height;
      /* row-major in join order */
      if (i > 0) {
        fail_unless (p[i].cell.y > p[i - 1].cell.y ||
            (p[i].cell.y == p[i - 1].cell.y
                && p[i].cell.x > p[i - 1].cell.x), "n=%u tile %u", n, i);
      }
    }
    if (n == 1)
      fail_unless (area > W * H * 9 / 10);
    free_tiles (t, n);
    g_free (p);
  }
}

GST_END_TEST;

GST_START_TEST (test_grid_portrait)
{
  GstEgressTileInfo *t = make_tiles (2);
  GstEgressTilePlacement p[2];

  gst_egress_layout_compute (GST_EGRESS_LAYOUT_MODE_GRID, 720, 1280, t, 2,
      NULL, p);
  check_common (t, p, 2, 720, 1280);
  /* stacked, not side by side */
  fail_unless (p[1].cell.y > p[0].cell.y);
  fail_unless_equals_int (p[1].cell.x, p[0].cell.x);
  free_tiles (t, 2);
}

GST_END_TEST;

GST_START_TEST (test_speaker)
{
  guint n;

  for (n = 1; n <= 16; n++) {
    GstEgressTileInfo *t = make_tiles (n);
    GstEgressTilePlacement *p = g_new0 (GstEgressTilePlacement, n);
    guint speaker = n / 2, i, visible, prev_y = 0;
    gint focus;

    t[speaker].speaking = TRUE;
    t[speaker].audio_level = 0.5;
    focus = gst_egress_layout_compute (GST_EGRESS_LAYOUT_MODE_SPEAKER, W, H,
        t, n, NULL, p);
    fail_unless_equals_int (focus, speaker);
    visible = check_common (t, p, n, W, H);
    fail_unless_equals_int (visible, MIN (n, 6));
    fail_unless (p[speaker].focus && p[speaker].visible);
    fail_unless (p[speaker].cell.width > W * 2 / 3);
    for (i = 0; i < n; i++) {
      if (i == speaker || !p[i].visible)
        continue;
      fail_if (p[i].focus);
      /* carousel on the left, in join order */
      fail_unless (p[i].cell.x < p[speaker].cell.x);
      fail_unless (p[i].cell.width * 4 < p[speaker].cell.width);
      fail_unless (p[i].cell.y >= prev_y);
      prev_y = p[i].cell.y + 1;
    }
    free_tiles (t, n);
    g_free (p);
  }
}

GST_END_TEST;

GST_START_TEST (test_single_speaker)
{
  guint n;

  for (n = 1; n <= 16; n++) {
    GstEgressTileInfo *t = make_tiles (n);
    GstEgressTilePlacement *p = g_new0 (GstEgressTilePlacement, n);
    guint speaker = n - 1;
    gint focus;

    /* no one speaks now: the most recent speaker is shown */
    t[speaker].last_spoke = 7;
    if (n > 1)
      t[0].last_spoke = 3;
    focus = gst_egress_layout_compute
        (GST_EGRESS_LAYOUT_MODE_SINGLE_SPEAKER, W, H, t, n, NULL, p);
    fail_unless_equals_int (focus, speaker);
    fail_unless_equals_int (check_common (t, p, n, W, H), 1);
    fail_unless (p[speaker].visible && p[speaker].focus);
    fail_unless (p[speaker].cell.width * p[speaker].cell.height >
        W * H * 9 / 10);
    free_tiles (t, n);
    g_free (p);
  }
}

GST_END_TEST;

/* The output depends on the tiles, not their order in the array. */
GST_START_TEST (test_stable_order)
{
  GstEgressLayoutMode modes[] = { GST_EGRESS_LAYOUT_MODE_GRID,
    GST_EGRESS_LAYOUT_MODE_SPEAKER, GST_EGRESS_LAYOUT_MODE_SINGLE_SPEAKER
  };
  guint m, n;

  for (m = 0; m < G_N_ELEMENTS (modes); m++) {
    for (n = 1; n <= 16; n++) {
      GstEgressTileInfo *t = make_tiles (n);
      GstEgressTileInfo *r = g_new0 (GstEgressTileInfo, n);
      GstEgressTilePlacement *p = g_new0 (GstEgressTilePlacement, n);
      GstEgressTilePlacement *q = g_new0 (GstEgressTilePlacement, n);
      guint i;

      for (i = 0; i < n; i++)
        r[i] = t[n - 1 - i];
      gst_egress_layout_compute (modes[m], W, H, t, n, NULL, p);
      gst_egress_layout_compute (modes[m], W, H, r, n, NULL, q);
      for (i = 0; i < n; i++) {
        fail_unless_equals_int (p[i].visible, q[n - 1 - i].visible);
        fail_unless (memcmp (&p[i].cell, &q[n - 1 - i].cell,
                sizeof (GstEgressRect)) == 0, "mode %u n %u tile %u", m, n, i);
      }
      free_tiles (t, n);
      g_free (r);
      g_free (p);
      g_free (q);
    }
  }
}

GST_END_TEST;

/* A screen share takes the focus; the grid becomes the speaker layout. */
GST_START_TEST (test_screen_share_focus)
{
  guint n;

  for (n = 2; n <= 16; n++) {
    GstEgressTileInfo *t = make_tiles (n);
    GstEgressTilePlacement *p = g_new0 (GstEgressTilePlacement, n);
    guint share = 0;
    gint focus;

    t[share].screen_share = TRUE;
    t[share].video_width = 1920;
    t[share].video_height = 1080;
    t[n - 1].speaking = TRUE;
    focus = gst_egress_layout_compute (GST_EGRESS_LAYOUT_MODE_GRID, W, H, t,
        n, NULL, p);
    fail_unless_equals_int (focus, share);
    fail_unless (p[share].focus);
    fail_unless (p[share].cell.width > W * 2 / 3);
    /* the current speaker is kept visible in the carousel */
    fail_unless (p[n - 1].visible);
    check_common (t, p, n, W, H);

    focus = gst_egress_layout_compute
        (GST_EGRESS_LAYOUT_MODE_SINGLE_SPEAKER, W, H, t, n, NULL, p);
    fail_unless_equals_int (focus, share);
    free_tiles (t, n);
    g_free (p);
  }
}

GST_END_TEST;

/* Two speakers: the focus does not flap while the previous one speaks. */
GST_START_TEST (test_focus_hysteresis)
{
  GstEgressTileInfo *t = make_tiles (3);
  GstEgressTilePlacement p[3];

  t[1].speaking = t[2].speaking = TRUE;
  t[1].audio_level = 0.2;
  t[2].audio_level = 0.6;
  fail_unless_equals_int (gst_egress_layout_compute
      (GST_EGRESS_LAYOUT_MODE_SPEAKER, W, H, t, 3, NULL, p), 2);
  fail_unless_equals_int (gst_egress_layout_compute
      (GST_EGRESS_LAYOUT_MODE_SPEAKER, W, H, t, 3, "p01", p), 1);
  t[1].speaking = FALSE;
  fail_unless_equals_int (gst_egress_layout_compute
      (GST_EGRESS_LAYOUT_MODE_SPEAKER, W, H, t, 3, "p01", p), 2);
  /* nobody speaks: the previous focus stays */
  t[2].speaking = FALSE;
  fail_unless_equals_int (gst_egress_layout_compute
      (GST_EGRESS_LAYOUT_MODE_SPEAKER, W, H, t, 3, "p02", p), 2);
  free_tiles (t, 3);
}

GST_END_TEST;

/* No video (placeholder tiles) and odd canvases. */
GST_START_TEST (test_no_video_and_small_canvas)
{
  GstEgressTileInfo *t = make_tiles (5);
  GstEgressTilePlacement p[5];
  guint i;

  for (i = 0; i < 5; i++)
    t[i].video_width = t[i].video_height = 0;
  gst_egress_layout_compute (GST_EGRESS_LAYOUT_MODE_GRID, 320, 180, t, 5,
      NULL, p);
  for (i = 0; i < 5; i++) {
    fail_unless (p[i].visible);
    fail_unless (memcmp (&p[i].cell, &p[i].content,
            sizeof (GstEgressRect)) == 0);
  }
  /* 5 tiles in a 3x3 grid: two rows used, centred vertically */
  fail_unless (p[0].cell.y > 180 / 8);
  fail_unless (p[3].cell.x > p[0].cell.x);
  fail_unless_equals_int (gst_egress_layout_compute
      (GST_EGRESS_LAYOUT_MODE_GRID, 8, 8, t, 5, NULL, p), -1);
  fail_if (p[0].visible);
  free_tiles (t, 5);
}

GST_END_TEST;

/* Cameras in landscape fill their cell; screen shares and portrait video
 * are fitted inside it, as the template's object-fit rules do. */
GST_START_TEST (test_cover_and_contain)
{
  GstEgressTileInfo *t = make_tiles (3);
  GstEgressTilePlacement p[3];

  t[0].video_width = 640;       /* 4:3 camera: cover */
  t[0].video_height = 480;
  t[1].video_width = 360;       /* portrait camera: contain */
  t[1].video_height = 640;
  t[2].screen_share = TRUE;     /* 16:9 screen share: contain */
  gst_egress_layout_compute (GST_EGRESS_LAYOUT_MODE_SPEAKER, W, H, t, 3,
      NULL, p);
  check_common (t, p, 3, W, H);
  fail_unless (p[0].cover && !p[1].cover && !p[2].cover);
  fail_unless (p[2].focus);
  fail_unless (p[1].content.width < p[1].cell.width);
  free_tiles (t, 3);
}

GST_END_TEST;

/* The part of the frame a covering tile shows. */
GST_START_TEST (test_cover_crop)
{
  GstEgressRect c;

  /* 4:3 into 16:9: the top and bottom go */
  gst_egress_layout_cover_crop (640, 480, 640, 480, 1280, 720, &c);
  fail_unless_equals_int (c.width, 640);
  fail_unless_equals_int (c.height, 360);
  fail_unless_equals_int (c.x, 0);
  fail_unless_equals_int (c.y, 60);
  /* 16:9 into 4:3: the sides go */
  gst_egress_layout_cover_crop (1280, 720, 1280, 720, 400, 300, &c);
  fail_unless_equals_int (c.width, 960);
  fail_unless_equals_int (c.height, 720);
  fail_unless_equals_int (c.x, 160);
  fail_unless_equals_int (c.y, 0);
  /* same aspect: everything */
  gst_egress_layout_cover_crop (640, 360, 640, 360, 1280, 720, &c);
  fail_unless (c.x == 0 && c.y == 0 && c.width == 640 && c.height == 360);
  /* a grid cell of nearly 16:9 takes almost everything */
  gst_egress_layout_cover_crop (640, 360, 640, 360, 618, 348, &c);
  fail_unless (c.width >= 636 && c.height == 360);
  /* anamorphic 720x576 with 16:15 pixels (768x576 display, 4:3) into
   * 16:9: 432 display lines kept, in pixels too (square vertically) */
  gst_egress_layout_cover_crop (720, 576, 768, 576, 1280, 720, &c);
  fail_unless_equals_int (c.width, 720);
  fail_unless_equals_int (c.height, 432);
  fail_unless_equals_int (c.y, 72);
  /* offsets and sizes stay even (I420) */
  gst_egress_layout_cover_crop (641, 481, 641, 481, 1000, 300, &c);
  fail_unless (c.x % 2 == 0 && c.y % 2 == 0 && c.width % 2 == 0
      && c.height % 2 == 0);
  fail_unless (c.y + c.height <= 481);
}

GST_END_TEST;

static Suite *
egresslayout_suite (void)
{
  Suite *s = suite_create ("egresslayout");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_parse);
  tcase_add_test (tc, test_grid);
  tcase_add_test (tc, test_grid_portrait);
  tcase_add_test (tc, test_speaker);
  tcase_add_test (tc, test_single_speaker);
  tcase_add_test (tc, test_stable_order);
  tcase_add_test (tc, test_screen_share_focus);
  tcase_add_test (tc, test_focus_hysteresis);
  tcase_add_test (tc, test_no_video_and_small_canvas);
  tcase_add_test (tc, test_cover_and_contain);
  tcase_add_test (tc, test_cover_crop);
  return s;
}

GST_CHECK_MAIN (egresslayout);

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

/* egresscompositor in real pipelines: pixels of the layouts, live layout
 * changes, joins and leaves, screen-share focus, output without inputs,
 * the audio mix, EOS rules and speaker updates. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "gstegresslayout.h"

#define OUT_W 320
#define OUT_H 180
#define RED "0xffff0000"
#define BLUE "0xff0000ff"
#define GREEN "0xff00ff00"

#define OUTPUTS "egresscompositor name=c width=320 height=180 " \
  "framerate=15/1 latency=0 %s " \
  "c.video ! appsink name=v sync=false max-buffers=1 drop=true " \
  "c.audio ! appsink name=a sync=false max-buffers=4 drop=true "
#define INPUT(colour, pad) " videotestsrc is-live=true pattern=solid-color " \
  "foreground-color=" colour " ! video/x-raw,width=320,height=180," \
  "framerate=15/1 ! c." pad " "

static GstElement *
start (const gchar * desc)
{
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);

  fail_unless (p != NULL, "%s: %s", desc, err ? err->message : "");
  g_clear_error (&err);
  fail_if (gst_element_set_state (p, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  return p;
}

static void
stop (GstElement * p)
{
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
}

static GstElement *
child (GstElement * p, const gchar * name)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (p), name);

  fail_unless (e != NULL);
  gst_object_unref (e);         /* the pipeline keeps it */
  return e;
}

/* A video frame after @skip others, so layout changes have landed. */
static GstSample *
pull_video (GstElement * p, guint skip)
{
  GstAppSink *sink = GST_APP_SINK (child (p, "v"));
  GstSample *s = NULL;
  guint i;

  for (i = 0; i <= skip; i++) {
    if (s)
      gst_sample_unref (s);
    s = gst_app_sink_try_pull_sample (sink, 5 * GST_SECOND);
    fail_unless (s != NULL, "no video frame");
  }
  return s;
}

typedef struct
{
  guint8 y, u, v;
} Yuv;

static Yuv
pixel (GstSample * s, gint x, gint y)
{
  GstVideoInfo vi;
  GstVideoFrame f;
  Yuv p;

  fail_unless (gst_video_info_from_caps (&vi, gst_sample_get_caps (s)));
  fail_unless_equals_int (GST_VIDEO_INFO_FORMAT (&vi), GST_VIDEO_FORMAT_I420);
  fail_unless (gst_video_frame_map (&f, &vi, gst_sample_get_buffer (s),
          GST_MAP_READ));
  p.y = GST_VIDEO_FRAME_COMP_DATA (&f, 0)[y * GST_VIDEO_FRAME_COMP_STRIDE (&f,
          0) + x];
  p.u = GST_VIDEO_FRAME_COMP_DATA (&f, 1)[(y / 2) *
      GST_VIDEO_FRAME_COMP_STRIDE (&f, 1) + x / 2];
  p.v = GST_VIDEO_FRAME_COMP_DATA (&f, 2)[(y / 2) *
      GST_VIDEO_FRAME_COMP_STRIDE (&f, 2) + x / 2];
  gst_video_frame_unmap (&f);
  return p;
}

static gboolean
near (Yuv a, Yuv b)
{
  return ABS (a.y - b.y) <= 12 && ABS (a.u - b.u) <= 12 &&
      ABS (a.v - b.v) <= 12;
}

/* BT.601 limited range, as videotestsrc writes I420 */
static const Yuv red = { 81, 90, 240 };
static const Yuv blue = { 41, 240, 110 };
static const Yuv green = { 145, 54, 34 };
static const Yuv black = { 16, 128, 128 };
static const Yuv white = { 235, 128, 128 };

/* @colour covers @r, apart from the label corner (bottom left). */
static void
assert_fills (GstSample * s, GstEgressRect r, Yuv colour)
{
  gint i, j;

  for (j = 1; j < 8; j++) {
    for (i = 1; i < 8; i++) {
      gint x = r.x + r.width * i / 8, y = r.y + r.height * j / 8;
      Yuv p = pixel (s, x, y);

      /* the name label: bottom left, about 16 lines high at 180 */
      if (i <= 5 && (j >= 6 || y >= r.y + r.height - 18))
        continue;
      fail_unless (near (p, colour), "(%d,%d) is %u/%u/%u, want %u/%u/%u",
          x, y, p.y, p.u, p.v, colour.y, colour.u, colour.v);
    }
  }
}

/* Where the geometry puts tile @idx of @n 16:9 tiles. */
static GstEgressRect
expected (GstEgressLayoutMode mode, guint n, guint idx, gint speaker,
    gint share)
{
  GstEgressTileInfo t[8] = { {0}, };
  GstEgressTilePlacement p[8];
  gchar keys[8][16];
  guint i;

  for (i = 0; i < n; i++) {
    g_snprintf (keys[i], sizeof (keys[i]), "video_%u", i);
    t[i].key = keys[i];
    t[i].joined_at = i + 1;
    t[i].video_width = 320;
    t[i].video_height = 180;
    t[i].speaking = (gint) i == speaker;
    t[i].screen_share = (gint) i == share;
  }
  gst_egress_layout_compute (mode, OUT_W, OUT_H, t, n, NULL, p);
  fail_unless (p[idx].visible);
  return p[idx].content;
}

GST_START_TEST (test_pixels)
{
  gchar *desc = g_strdup_printf (OUTPUTS INPUT (RED, "video_0")
      INPUT (BLUE, "video_1"), "video_0::participant-name=Alice "
      "video_1::participant-name=Bob");
  GstElement *p = start (desc);
  GstSample *s = pull_video (p, 10);
  GstEgressRect r0 = expected (GST_EGRESS_LAYOUT_MODE_GRID, 2, 0, -1, -1);
  GstEgressRect r1 = expected (GST_EGRESS_LAYOUT_MODE_GRID, 2, 1, -1, -1);
  gint margin = MAX (2, (8 * OUT_H / 720) / 3);

  assert_fills (s, r0, red);
  assert_fills (s, r1, blue);
  /* the name labels: dark boxes at the bottom left of each tile */
  fail_if (near (pixel (s, r0.x + margin + 1, r0.y + r0.height - margin - 2),
          red));
  fail_if (near (pixel (s, r1.x + margin + 1, r1.y + r1.height - margin - 2),
          blue));
  /* the background between the tiles is neither */
  fail_if (near (pixel (s, OUT_W / 2, 1), red));
  fail_if (near (pixel (s, OUT_W / 2, 1), blue));
  gst_sample_unref (s);
  stop (p);
  g_free (desc);
}

GST_END_TEST;

GST_START_TEST (test_layout_switch_playing)
{
  gchar *desc = g_strdup_printf (OUTPUTS INPUT (RED, "video_0")
      INPUT (BLUE, "video_1"), "video_1::speaking=true");
  GstElement *p = start (desc);
  GstElement *c = child (p, "c");
  GstSample *s = pull_video (p, 5);

  assert_fills (s, expected (GST_EGRESS_LAYOUT_MODE_GRID, 2, 0, 1, -1), red);
  gst_sample_unref (s);

  gst_util_set_object_arg (G_OBJECT (c), "layout", "single-speaker");
  s = pull_video (p, 5);
  assert_fills (s, expected (GST_EGRESS_LAYOUT_MODE_SINGLE_SPEAKER, 2, 1, 1,
          -1), blue);
  gst_sample_unref (s);

  gst_util_set_object_arg (G_OBJECT (c), "layout", "speaker-light");
  s = pull_video (p, 5);
  assert_fills (s, expected (GST_EGRESS_LAYOUT_MODE_SPEAKER, 2, 1, 1, -1),
      blue);
  assert_fills (s, expected (GST_EGRESS_LAYOUT_MODE_SPEAKER, 2, 0, 1, -1),
      red);
  /* light background */
  fail_unless (pixel (s, OUT_W - 1, OUT_H - 1).y > 200);
  gst_sample_unref (s);
  stop (p);
  g_free (desc);
}

GST_END_TEST;

GST_START_TEST (test_join_and_leave)
{
  gchar *desc = g_strdup_printf (OUTPUTS INPUT (RED, "video_0"), "");
  GstElement *p = start (desc);
  GstElement *c = child (p, "c");
  GstElement *src;
  GstPad *pad, *srcpad;
  GstSample *s = pull_video (p, 3);

  assert_fills (s, expected (GST_EGRESS_LAYOUT_MODE_GRID, 1, 0, -1, -1), red);
  gst_sample_unref (s);

  /* join */
  src = gst_parse_bin_from_description ("videotestsrc is-live=true "
      "pattern=solid-color foreground-color=" GREEN " ! "
      "video/x-raw,width=320,height=180,framerate=15/1", TRUE, NULL);
  gst_bin_add (GST_BIN (p), src);
  pad = gst_element_request_pad_simple (c, "video_%u");
  fail_unless_equals_string (GST_OBJECT_NAME (pad), "video_1");
  srcpad = gst_element_get_static_pad (src, "src");
  fail_unless_equals_int (gst_pad_link (srcpad, pad), GST_PAD_LINK_OK);
  gst_element_sync_state_with_parent (src);
  s = pull_video (p, 8);
  assert_fills (s, expected (GST_EGRESS_LAYOUT_MODE_GRID, 2, 0, -1, -1), red);
  assert_fills (s, expected (GST_EGRESS_LAYOUT_MODE_GRID, 2, 1, -1, -1),
      green);
  gst_sample_unref (s);

  /* leave */
  gst_element_set_state (src, GST_STATE_NULL);
  gst_pad_unlink (srcpad, pad);
  gst_element_release_request_pad (c, pad);
  gst_bin_remove (GST_BIN (p), src);
  s = pull_video (p, 5);
  assert_fills (s, expected (GST_EGRESS_LAYOUT_MODE_GRID, 1, 0, -1, -1), red);
  gst_sample_unref (s);
  gst_object_unref (srcpad);
  gst_object_unref (pad);
  stop (p);
  g_free (desc);
}

GST_END_TEST;

GST_START_TEST (test_screen_share_focus)
{
  gchar *desc = g_strdup_printf (OUTPUTS INPUT (RED, "video_0")
      INPUT (BLUE, "video_1") INPUT (GREEN, "video_2"),
      "video_2::source=screen_share");
  GstElement *p = start (desc);
  GstSample *s = pull_video (p, 8);
  GstEgressRect share = expected (GST_EGRESS_LAYOUT_MODE_GRID, 3, 2, -1, 2);

  fail_unless (share.width > OUT_W * 2 / 3);
  assert_fills (s, share, green);
  assert_fills (s, expected (GST_EGRESS_LAYOUT_MODE_GRID, 3, 0, -1, 2), red);
  gst_sample_unref (s);
  stop (p);
  g_free (desc);
}

GST_END_TEST;

/* The template's object-fit rules: a camera of another aspect fills its
 * tile, cropped (cover, no bars); a screen share is fitted (contain), the
 * canvas showing beside it.  Sizes: a 4:3 camera and a 4:3 share on a
 * 320x180 canvas, so the share's area (about 3:2) needs side bars.  The
 * camera is red with green bands at the top and bottom, 12 lines each,
 * which cropping to the carousel tile's wider aspect cuts off (and
 * squeezing instead would show). */
GST_START_TEST (test_cover_and_contain)
{
  gchar *desc = g_strdup_printf (OUTPUTS
      " videotestsrc is-live=true pattern=solid-color foreground-color=" RED
      " ! video/x-raw,format=I420,width=240,height=156,framerate=15/1"
      " ! videobox top=-12 bottom=-12 fill=green ! c.video_0"
      " videotestsrc is-live=true pattern=solid-color foreground-color=" BLUE
      " ! video/x-raw,width=240,height=180,framerate=15/1 ! c.video_1",
      "video_1::source=screen_share");
  GstElement *p = start (desc);
  GstSample *s = pull_video (p, 8);
  GstEgressTileInfo t[2] = { {0}, };
  GstEgressTilePlacement pl[2];
  GstEgressRect cam, share;
  gint x, y;

  t[0].key = "video_0";
  t[0].joined_at = 1;
  t[1].key = "video_1";
  t[1].joined_at = 2;
  t[1].screen_share = TRUE;
  t[0].video_width = t[1].video_width = 240;
  t[0].video_height = t[1].video_height = 180;
  gst_egress_layout_compute (GST_EGRESS_LAYOUT_MODE_GRID, OUT_W, OUT_H, t, 2,
      NULL, pl);
  fail_unless (pl[0].visible && pl[1].visible && pl[1].focus);

  /* the camera covers its whole cell, corners included */
  cam = pl[0].cell;
  fail_unless (pl[0].cover);
  assert_fills (s, cam, red);
  for (y = cam.y + 1; y < cam.y + cam.height / 2; y += 2) {
    fail_unless (near (pixel (s, cam.x + 1, y), red), "bar at (%d,%d)",
        cam.x + 1, y);
    fail_unless (near (pixel (s, cam.x + cam.width - 2, y), red),
        "bar at (%d,%d)", cam.x + cam.width - 2, y);
  }
  /* top and bottom rows: cropped, not squeezed (the label is at the left) */
  fail_unless (near (pixel (s, cam.x + cam.width - 3, cam.y + 1), red));
  fail_unless (near (pixel (s, cam.x + cam.width - 3,
              cam.y + cam.height - 2), red));

  /* the share keeps its 4:3 inside a wider cell: the canvas beside it */
  share = pl[1].content;
  fail_if (pl[1].cover);
  fail_unless (share.width < pl[1].cell.width - 8);
  assert_fills (s, share, blue);
  x = pl[1].cell.x + (share.x - pl[1].cell.x) / 2;
  fail_unless (near (pixel (s, x, share.y + share.height / 2), black),
      "no canvas left of the share");
  x = share.x + share.width + (pl[1].cell.x + pl[1].cell.width - share.x -
      share.width) / 2;
  fail_unless (near (pixel (s, x, share.y + share.height / 2), black),
      "no canvas right of the share");
  gst_sample_unref (s);
  stop (p);
  g_free (desc);
}

GST_END_TEST;

/* The canvas is the template's page background: black for the dark
 * layouts, white for the light ones. */
GST_START_TEST (test_background_colour)
{
  gchar *desc = g_strdup_printf (OUTPUTS INPUT (RED, "video_0"), "");
  GstElement *p = start (desc);
  GstSample *s = pull_video (p, 3);
  Yuv bg;

  /* the gap between the canvas edge and the tile */
  bg = pixel (s, 0, 0);
  fail_unless (near (bg, black), "dark canvas %u/%u/%u", bg.y, bg.u, bg.v);
  gst_sample_unref (s);
  gst_util_set_object_arg (G_OBJECT (child (p, "c")), "layout",
      "grid-light");
  s = pull_video (p, 5);
  bg = pixel (s, 0, 0);
  fail_unless (near (bg, white), "light canvas %u/%u/%u", bg.y, bg.u, bg.v);
  gst_sample_unref (s);
  stop (p);
  g_free (desc);
}

GST_END_TEST;

/* No inputs: steady background frames and silence, timestamps advancing. */
GST_START_TEST (test_output_without_inputs)
{
  gchar *desc = g_strdup_printf (OUTPUTS, "");
  GstElement *p = start (desc);
  GstAppSink *a = GST_APP_SINK (child (p, "a"));
  GstClockTime last = GST_CLOCK_TIME_NONE;
  guint i;

  for (i = 0; i < 10; i++) {
    GstSample *s = pull_video (p, 0);
    GstClockTime pts = GST_BUFFER_PTS (gst_sample_get_buffer (s));

    fail_unless (GST_CLOCK_TIME_IS_VALID (pts));
    if (GST_CLOCK_TIME_IS_VALID (last))
      fail_unless (pts > last);
    last = pts;
    fail_unless (pixel (s, OUT_W / 2, OUT_H / 2).y < 40);      /* dark */
    gst_sample_unref (s);
  }
  for (i = 0; i < 10; i++) {
    GstSample *s = gst_app_sink_try_pull_sample (a, 5 * GST_SECOND);
    GstMapInfo map;
    guint j;

    fail_unless (s != NULL, "no audio");
    gst_buffer_map (gst_sample_get_buffer (s), &map, GST_MAP_READ);
    for (j = 0; j < map.size; j++)
      fail_unless_equals_int (map.data[j], 0);
    gst_buffer_unmap (gst_sample_get_buffer (s), &map);
    gst_sample_unref (s);
  }
  stop (p);
  g_free (desc);
}

GST_END_TEST;

static gdouble
audio_rms (GstElement * p, guint skip, guint n)
{
  GstAppSink *a = GST_APP_SINK (child (p, "a"));
  gdouble sum = 0;
  guint64 count = 0;
  guint i;

  for (i = 0; i < skip + n; i++) {
    GstSample *s = gst_app_sink_try_pull_sample (a, 5 * GST_SECOND);
    GstMapInfo map;
    guint j;

    fail_unless (s != NULL, "no audio");
    gst_buffer_map (gst_sample_get_buffer (s), &map, GST_MAP_READ);
    if (i >= skip) {
      for (j = 0; j + 1 < map.size; j += 2) {
        gdouble v = GST_READ_UINT16_LE (map.data + j);

        v = (gint16) v / 32768.0;
        sum += v * v;
        count++;
      }
    }
    gst_buffer_unmap (gst_sample_get_buffer (s), &map);
    gst_sample_unref (s);
  }
  return sqrt (sum / MAX (count, 1));
}

/* Two tones at 0.25 each mix to an RMS of 0.25 (one alone: 0.177). */
GST_START_TEST (test_audio_mix)
{
#define TONE(freq, pad) " audiotestsrc is-live=true volume=0.25 freq=" freq \
  " samplesperbuffer=960 ! audio/x-raw,rate=44100,channels=1 ! c." pad " "
  gchar *one = g_strdup (TONE ("440", "audio_0"));
  gchar *two = g_strdup (TONE ("1000", "audio_1"));
  gchar *desc = g_strdup_printf ("%s%s" OUTPUTS, one, two, "");
  GstElement *p = start (desc);
  gdouble rms = audio_rms (p, 10, 20);

  fail_unless (rms > 0.22 && rms < 0.28, "rms %f", rms);
  stop (p);
  g_free (desc);
  desc = g_strdup_printf ("%s" OUTPUTS, one, "");
  p = start (desc);
  rms = audio_rms (p, 10, 20);
  fail_unless (rms > 0.15 && rms < 0.20, "rms %f", rms);
  stop (p);
  g_free (desc);
  g_free (one);
  g_free (two);
}

GST_END_TEST;

/* Waits for EOS at both appsinks. */
static void
assert_eos (GstElement * p, GstClockTime timeout)
{
  GstAppSink *v = GST_APP_SINK (child (p, "v"));
  GstAppSink *a = GST_APP_SINK (child (p, "a"));
  gint64 end = g_get_monotonic_time () + timeout / 1000;

  while (!(gst_app_sink_is_eos (v) && gst_app_sink_is_eos (a))) {
    GstSample *s;

    fail_unless (g_get_monotonic_time () < end, "no EOS");
    if ((s = gst_app_sink_try_pull_sample (v, 10 * GST_MSECOND)))
      gst_sample_unref (s);
    if ((s = gst_app_sink_try_pull_sample (a, 10 * GST_MSECOND)))
      gst_sample_unref (s);
  }
}

static void
assert_no_eos (GstElement * p, guint frames)
{
  GstAppSink *v = GST_APP_SINK (child (p, "v"));
  guint i;

  for (i = 0; i < frames; i++) {
    GstSample *s = gst_app_sink_try_pull_sample (v, 5 * GST_SECOND);
    fail_unless (s != NULL, "output ended");
    gst_sample_unref (s);
  }
}

GST_START_TEST (test_eos_all_pads)
{
  /* finite inputs of different lengths: the outputs end after the last */
  gchar *desc = g_strdup_printf (OUTPUTS " videotestsrc is-live=true "
      "num-buffers=5 ! video/x-raw,framerate=15/1 ! c.video_0 "
      "videotestsrc is-live=true num-buffers=20 ! video/x-raw,framerate=15/1 "
      "! c.video_1 audiotestsrc is-live=true num-buffers=10 ! c.audio_0", "");
  GstElement *p = start (desc);

  assert_no_eos (p, 12);
  assert_eos (p, 5 * GST_SECOND);
  stop (p);
  g_free (desc);
}

GST_END_TEST;

GST_START_TEST (test_eos_released_pad)
{
  gchar *desc = g_strdup_printf (OUTPUTS " videotestsrc is-live=true "
      "num-buffers=3 ! c.video_0 " INPUT (RED, "video_1"), "");
  GstElement *p = start (desc);
  GstElement *c = child (p, "c");
  GstPad *pad = gst_element_get_static_pad (c, "video_1");
  GstPad *peer = gst_pad_get_peer (pad);
  GstElement *upstream = gst_pad_get_parent_element (peer);

  assert_no_eos (p, 10);
  /* video_0 ended long ago; the other still runs.  Releasing it leaves only
   * pads at EOS. */
  gst_element_set_locked_state (upstream, TRUE);
  gst_element_set_state (upstream, GST_STATE_NULL);
  gst_pad_unlink (peer, pad);
  gst_element_release_request_pad (c, pad);
  assert_eos (p, 5 * GST_SECOND);
  gst_object_unref (upstream);
  gst_object_unref (peer);
  gst_object_unref (pad);
  stop (p);
  g_free (desc);
}

GST_END_TEST;

GST_START_TEST (test_eos_sent_to_element)
{
  gchar *desc = g_strdup_printf (OUTPUTS INPUT (RED, "video_0")
      " audiotestsrc is-live=true ! c.audio_0", "");
  GstElement *p = start (desc);

  assert_no_eos (p, 5);
  fail_unless (gst_element_send_event (child (p, "c"), gst_event_new_eos ()));
  assert_eos (p, 2 * GST_SECOND);
  stop (p);
  g_free (desc);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  GstElement *element;
  gboolean done, ok;
} EosSend;

static gpointer
send_eos_thread (gpointer data)
{
  EosSend *e = data;
  gboolean ok = gst_element_send_event (e->element, gst_event_new_eos ());

  g_mutex_lock (&e->lock);
  e->ok = ok;
  e->done = TRUE;
  g_cond_signal (&e->cond);
  g_mutex_unlock (&e->lock);
  return NULL;
}

/* An EOS sent while PAUSED (nothing flows) returns at once, and the
 * outputs end as soon as the pipeline plays again. */
GST_START_TEST (test_eos_sent_while_paused)
{
  gchar *desc = g_strdup_printf (OUTPUTS INPUT (RED, "video_0")
      " audiotestsrc is-live=true ! c.audio_0", "");
  GstElement *p = start (desc);
  EosSend e = { {0}, };
  GThread *thread;
  gint64 end;

  assert_no_eos (p, 5);
  fail_if (gst_element_set_state (p, GST_STATE_PAUSED) ==
      GST_STATE_CHANGE_FAILURE);
  fail_if (gst_element_get_state (p, NULL, NULL, 5 * GST_SECOND) ==
      GST_STATE_CHANGE_FAILURE);

  /* from a thread, so a send_event that blocks fails the test instead of
   * hanging it */
  g_mutex_init (&e.lock);
  g_cond_init (&e.cond);
  e.element = child (p, "c");
  thread = g_thread_new ("send-eos", send_eos_thread, &e);
  end = g_get_monotonic_time () + 2 * G_TIME_SPAN_SECOND;
  g_mutex_lock (&e.lock);
  while (!e.done && g_cond_wait_until (&e.cond, &e.lock, end));
  fail_unless (e.done, "send_event blocks while PAUSED");
  fail_unless (e.ok, "EOS not handled");
  g_mutex_unlock (&e.lock);
  g_thread_join (thread);

  fail_if (gst_element_set_state (p, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  assert_eos (p, 2 * GST_SECOND);
  stop (p);
  g_mutex_clear (&e.lock);
  g_cond_clear (&e.cond);
  g_free (desc);
}

GST_END_TEST;

/* A muted camera and an audio-only participant get placeholder tiles. */
GST_START_TEST (test_placeholders)
{
  gchar *desc = g_strdup_printf (OUTPUTS INPUT (RED, "video_0")
      " audiotestsrc is-live=true ! c.audio_0 ",
      "video_0::participant-identity=alice video_0::participant-name=Alice "
      "audio_0::participant-identity=bob audio_0::participant-name=Bob");
  GstElement *p = start (desc);
  GstElement *c = child (p, "c");
  GstSample *s = pull_video (p, 5);
  GstEgressRect r0 = expected (GST_EGRESS_LAYOUT_MODE_GRID, 2, 0, -1, -1);
  GstEgressRect r1 = expected (GST_EGRESS_LAYOUT_MODE_GRID, 2, 1, -1, -1);
  Yuv tile;
  GstPad *pad;

  /* Bob has no video: a grey tile, not the background */
  assert_fills (s, r0, red);
  tile = pixel (s, r1.x + 4, r1.y + 4);
  fail_unless (tile.y > 20 && tile.y < 80, "tile y %u", tile.y);
  fail_unless (ABS (tile.u - 128) < 8 && ABS (tile.v - 128) < 8);
  /* the initials circle in the middle differs from the tile */
  fail_if (near (pixel (s, r1.x + r1.width / 2, r1.y + r1.height / 2 +
              r1.height / 6), tile));
  gst_sample_unref (s);

  pad = gst_element_get_static_pad (c, "video_0");
  g_object_set (pad, "muted", TRUE, NULL);
  s = pull_video (p, 5);
  fail_if (near (pixel (s, r0.x + r0.width / 2, r0.y + 4), red));
  fail_unless (near (pixel (s, r0.x + 4, r0.y + 4), tile));
  gst_sample_unref (s);
  gst_object_unref (pad);
  stop (p);
  g_free (desc);
}

GST_END_TEST;

/* livekit-active-speakers picks the focus of the speaker layout. */
GST_START_TEST (test_active_speakers)
{
  gchar *desc = g_strdup_printf (OUTPUTS INPUT (RED, "video_0")
      INPUT (BLUE, "video_1"), "layout=single-speaker "
      "video_0::participant-sid=PA_a video_1::participant-sid=PA_b");
  GstElement *p = start (desc);
  GstElement *c = child (p, "c");
  GstStructure *st = gst_structure_from_string ("livekit-active-speakers, "
      "participant-sids=(string)<PA_b>, levels=(float)<0.8>", NULL);
  GstSample *s = pull_video (p, 3);
  gboolean speaking = FALSE;
  GstPad *pad;

  assert_fills (s, expected (GST_EGRESS_LAYOUT_MODE_SINGLE_SPEAKER, 2, 0, -1,
          -1), red);
  gst_sample_unref (s);
  fail_unless (st != NULL);
  g_signal_emit_by_name (c, "update-speakers", st);
  gst_structure_free (st);
  s = pull_video (p, 5);
  assert_fills (s, expected (GST_EGRESS_LAYOUT_MODE_SINGLE_SPEAKER, 2, 1, 1,
          -1), blue);
  gst_sample_unref (s);
  pad = gst_element_get_static_pad (c, "video_1");
  g_object_get (pad, "speaking", &speaking, NULL);
  fail_unless (speaking);
  gst_object_unref (pad);
  stop (p);
  g_free (desc);
}

GST_END_TEST;

/* A pad with livekitroomsrc's pad properties, for the link helper. */
typedef struct
{
  GstPad parent;
} FakeLkPad;
typedef struct
{
  GstPadClass parent;
} FakeLkPadClass;

GType fake_lk_pad_get_type (void);
G_DEFINE_TYPE (FakeLkPad, fake_lk_pad, GST_TYPE_PAD);

static void
fake_get (GObject * o, guint id, GValue * v, GParamSpec * ps)
{
  switch (id) {
    case 1:
      g_value_set_string (v, "alice");
      break;
    case 2:
      g_value_set_string (v, "Alice A");
      break;
    case 3:
      g_value_set_string (v, "PA_alice");
      break;
    case 4:
      g_value_set_boolean (v, TRUE);
      break;
  }
}

static void
fake_lk_pad_class_init (FakeLkPadClass * k)
{
  GObjectClass *oc = G_OBJECT_CLASS (k);

  oc->get_property = fake_get;
  g_object_class_install_property (oc, 1, g_param_spec_string
      ("participant-identity", "", "", NULL, G_PARAM_READABLE));
  g_object_class_install_property (oc, 2, g_param_spec_string
      ("participant-name", "", "", NULL, G_PARAM_READABLE));
  g_object_class_install_property (oc, 3, g_param_spec_string
      ("participant-sid", "", "", NULL, G_PARAM_READABLE));
  g_object_class_install_property (oc, 4, g_param_spec_boolean
      ("muted", "", "", FALSE, G_PARAM_READABLE));
}

static void
fake_lk_pad_init (FakeLkPad * p)
{
}

GST_START_TEST (test_link_livekit_pad)
{
  GstElement *c = gst_element_factory_make ("egresscompositor", NULL);
  GstPadTemplate *templ = gst_pad_template_new ("video_%u", GST_PAD_SRC,
      GST_PAD_SOMETIMES, GST_CAPS_ANY);
  GstPad *src = g_object_new (fake_lk_pad_get_type (), "name", "video_7",
      "direction", GST_PAD_SRC, "template", templ, NULL);
  GstPad *pad;
  gchar *ident = NULL, *name = NULL, *sid = NULL;
  gboolean muted = FALSE;

  gst_object_ref_sink (src);
  g_signal_emit_by_name (c, "link-livekit-pad", src, &pad);
  fail_unless (pad != NULL);
  fail_unless (g_str_has_prefix (GST_OBJECT_NAME (pad), "video_"));
  fail_unless (gst_pad_is_linked (src));
  g_object_get (pad, "participant-identity", &ident, "participant-name",
      &name, "participant-sid", &sid, "muted", &muted, NULL);
  fail_unless_equals_string (ident, "alice");
  fail_unless_equals_string (name, "Alice A");
  fail_unless_equals_string (sid, "PA_alice");
  fail_unless (muted);
  g_free (ident);
  g_free (name);
  g_free (sid);
  gst_pad_unlink (src, pad);
  gst_object_unref (src);
  gst_object_unref (templ);
  gst_object_unref (c);
}

GST_END_TEST;

static Suite *
egresscompositor_suite (void)
{
  Suite *s = suite_create ("egresscompositor");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_pixels);
  tcase_add_test (tc, test_layout_switch_playing);
  tcase_add_test (tc, test_join_and_leave);
  tcase_add_test (tc, test_screen_share_focus);
  tcase_add_test (tc, test_cover_and_contain);
  tcase_add_test (tc, test_background_colour);
  tcase_add_test (tc, test_output_without_inputs);
  tcase_add_test (tc, test_audio_mix);
  tcase_add_test (tc, test_eos_all_pads);
  tcase_add_test (tc, test_eos_released_pad);
  tcase_add_test (tc, test_eos_sent_to_element);
  tcase_add_test (tc, test_eos_sent_while_paused);
  tcase_add_test (tc, test_placeholders);
  tcase_add_test (tc, test_active_speakers);
  tcase_add_test (tc, test_link_livekit_pad);
  return s;
}

GST_CHECK_MAIN (egresscompositor);

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

/* The GStreamer elements gst-egress builds its pipelines from.  When one is
 * missing, scripts/setup.sh did not install its package: this test names
 * it instead of letting a later pipeline fail obscurely. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

static const gchar *const required_elements[] = {
  /* WebRTC receive path */
  "webrtcbin", "rtpbin", "rtpjitterbuffer", "nicesrc", "nicesink",
  "rtpvp8depay", "rtpvp9depay", "rtph264depay", "rtpopusdepay",
  "rtppcmudepay", "rtppcmadepay", "rtpreddec",
  /* decoders and encoders */
  "vp8dec", "vp9dec", "avdec_h264", "opusdec", "mulawdec", "alawdec",
  "x264enc", "vp8enc", "opusenc", "avenc_aac", "jpegenc",
  "h264parse", "opusparse", "aacparse",
  /* composition */
  "compositor", "audiomixer", "videoconvert", "videoscale", "videorate",
  "audioconvert", "audioresample", "textoverlay",
  /* outputs */
  "mp4mux", "webmmux", "oggmux", "mpegtsmux", "flvmux", "splitmuxsink",
  "rtmp2sink", "srtsink", "lamemp3enc",
  /* capture */
  "ximagesrc", "pulsesrc",
  NULL
};

GST_START_TEST (test_required_elements_present)
{
  const gchar *const *name;
  GString *missing = g_string_new (NULL);

  for (name = required_elements; *name; name++) {
    GstElementFactory *f = gst_element_factory_find (*name);

    if (f == NULL)
      g_string_append_printf (missing, " %s", *name);
    else
      gst_object_unref (f);
  }

  fail_unless (missing->len == 0, "missing GStreamer elements:%s",
      missing->str);
  g_string_free (missing, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_gstreamer_version)
{
  guint major, minor, micro, nano;

  gst_version (&major, &minor, &micro, &nano);
  fail_unless (major == 1 && minor >= 22,
      "GStreamer 1.22 or newer needed, found %u.%u.%u", major, minor, micro);
}

GST_END_TEST;

static Suite *
environment_suite (void)
{
  Suite *s = suite_create ("environment");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_required_elements_present);
  tcase_add_test (tc, test_gstreamer_version);
  return s;
}

GST_CHECK_MAIN (environment);

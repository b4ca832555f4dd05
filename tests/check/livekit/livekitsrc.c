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

/* livekitroomsrc and livekittracksrc without a server: properties, pad
 * templates, the room-event signal and the errors for bad settings and an
 * unreachable server. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

/* Plays a pipeline "ELEMENT ! fakesink" and returns the first error. */
static GError *
run_until_error (GstElement * src, guint timeout_ms)
{
  GstElement *pipe = gst_pipeline_new (NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstBus *bus = gst_element_get_bus (pipe);
  GstMessage *msg;
  GError *err = NULL;

  gst_bin_add_many (GST_BIN (pipe), src, sink, NULL);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, timeout_ms * GST_MSECOND,
      GST_MESSAGE_ERROR);
  if (msg) {
    gst_message_parse_error (msg, &err, NULL);
    gst_message_unref (msg);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  return err;
}

GST_START_TEST (test_properties)
{
  GstElement *src = gst_element_factory_make ("livekitroomsrc", NULL);
  gchar *s = NULL;
  gint e;
  guint u;

  fail_unless (src != NULL);
  g_object_get (src, "identity", &s, NULL);
  fail_unless (g_str_has_prefix (s, "EG_"));
  g_free (s);

  gst_util_set_object_arg (G_OBJECT (src), "participants", "alice, bob");
  g_object_get (src, "participants", &s, NULL);
  fail_unless_equals_string (s, "alice,bob");
  g_free (s);

  gst_util_set_object_arg (G_OBJECT (src), "screen-share", "only");
  g_object_get (src, "screen-share", &e, NULL);
  fail_unless_equals_int (e, 2);
  gst_util_set_object_arg (G_OBJECT (src), "video-quality", "low");
  g_object_get (src, "video-quality", &e, NULL);
  fail_unless_equals_int (e, 0);
  gst_util_set_object_arg (G_OBJECT (src), "ice-transport-policy", "relay");
  g_object_get (src, "ice-transport-policy", &e, NULL);
  fail_unless_equals_int (e, 1);
  g_object_get (src, "latency", &u, NULL);
  fail_unless_equals_int (u, 200);

  /* a source, with sometimes pads of the LiveKit pad type */
  fail_unless (GST_OBJECT_FLAG_IS_SET (src, GST_ELEMENT_FLAG_SOURCE));
  fail_if (GST_OBJECT_FLAG_IS_SET (src, GST_ELEMENT_FLAG_SINK));
  fail_unless (gst_element_get_pad_template (src, "video_%u") != NULL);
  fail_unless (gst_element_get_pad_template (src, "audio_%u") != NULL);
  fail_unless (g_signal_lookup ("room-event", G_OBJECT_TYPE (src)) != 0);
  gst_object_unref (src);
}

GST_END_TEST;

GST_START_TEST (test_pad_type)
{
  GstElement *src = gst_element_factory_make ("livekitroomsrc", NULL);
  GstPadTemplate *t = gst_element_get_pad_template (src, "video_%u");
  GObjectClass *klass;

  klass = g_type_class_ref (GST_PAD_TEMPLATE_GTYPE (t));
  fail_unless (g_object_class_find_property (klass, "participant-identity"));
  fail_unless (g_object_class_find_property (klass, "track-sid"));
  fail_unless (g_object_class_find_property (klass, "source"));
  fail_unless (g_object_class_find_property (klass, "muted"));
  fail_unless (g_object_class_find_property (klass, "width"));
  g_type_class_unref (klass);
  gst_object_unref (src);
}

GST_END_TEST;

GST_START_TEST (test_no_credentials)
{
  GstElement *src = gst_element_factory_make ("livekitroomsrc", NULL);
  GError *err;

  g_object_set (src, "url", "ws://127.0.0.1:9", NULL);
  err = run_until_error (src, 5000);
  fail_unless (err != NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS));
  fail_unless (strstr (err->message, "api-key") != NULL, err->message);
  g_error_free (err);
}

GST_END_TEST;

GST_START_TEST (test_bad_url)
{
  GstElement *src = gst_element_factory_make ("livekitroomsrc", NULL);
  GError *err;

  g_object_set (src, "url", "ftp://example", "api-key", "k", "api-secret",
      "s", "room", "r", NULL);
  err = run_until_error (src, 5000);
  fail_unless (err != NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS), err->message);
  g_error_free (err);
}

GST_END_TEST;

GST_START_TEST (test_unreachable)
{
  GstElement *src = gst_element_factory_make ("livekitroomsrc", NULL);
  GError *err;

  /* port 9 (discard) on loopback: nothing listens */
  g_object_set (src, "url", "ws://127.0.0.1:9", "api-key", "k",
      "api-secret", "s", "room", "r", NULL);
  err = run_until_error (src, 5000);
  fail_unless (err != NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_OPEN_READ), err->message);
  fail_unless (strstr (err->message, "ws://127.0.0.1:9") != NULL);
  g_error_free (err);
}

GST_END_TEST;

GST_START_TEST (test_tracksrc_needs_a_track)
{
  GstElement *src = gst_element_factory_make ("livekittracksrc", NULL);

  fail_unless (src != NULL);
  g_object_set (src, "url", "ws://127.0.0.1:9", NULL);
  fail_unless_equals_int (gst_element_set_state (src, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (src, GST_STATE_NULL);
  gst_object_unref (src);
}

GST_END_TEST;

/* an SCTP (data channel) failure inside the bin must not stop the
 * recording: it reaches the bus as a warning */
GST_START_TEST (test_data_channel_error_is_a_warning)
{
  GstElement *src = gst_element_factory_make ("livekitroomsrc", NULL);
  GstElement *sctp = gst_element_factory_make ("sctpenc", NULL);
  GstElement *other = gst_element_factory_make ("identity", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err;

  fail_unless (src && sctp && other);
  gst_element_set_bus (src, bus);
  fail_unless (gst_bin_add (GST_BIN (src), sctp));
  fail_unless (gst_bin_add (GST_BIN (src), other));

  err = g_error_new_literal (GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE,
      "SCTP association went into error state");
  gst_element_post_message (sctp,
      gst_message_new_error (GST_OBJECT (sctp), err, NULL));
  g_error_free (err);
  msg = gst_bus_pop (bus);
  fail_unless (msg != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_WARNING);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (sctp));
  gst_message_unref (msg);

  /* other children's errors stay errors */
  err = g_error_new_literal (GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED, "x");
  gst_element_post_message (other,
      gst_message_new_error (GST_OBJECT (other), err, NULL));
  g_error_free (err);
  msg = gst_bus_pop (bus);
  fail_unless (msg != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_unref (msg);

  gst_element_set_bus (src, NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
}

GST_END_TEST;

static Suite *
livekitsrc_suite (void)
{
  Suite *s = suite_create ("livekitsrc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_properties);
  tcase_add_test (tc, test_pad_type);
  tcase_add_test (tc, test_no_credentials);
  tcase_add_test (tc, test_bad_url);
  tcase_add_test (tc, test_unreachable);
  tcase_add_test (tc, test_tracksrc_needs_a_track);
  tcase_add_test (tc, test_data_channel_error_is_a_warning);
  return s;
}

GST_CHECK_MAIN (livekitsrc);

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

/* cloudstoragesink without a storage server: local targets, seeking
 * muxers, per-buffer objects, the backup target and the spool when the
 * network target is unreachable (a closed port on 127.0.0.1). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

static gchar *tmpdir;

static void
setup (void)
{
  tmpdir = g_dir_make_tmp ("cloudstoragesink-XXXXXX", NULL);
  fail_unless (tmpdir != NULL);
}

static void
rm_rf (const gchar * path)
{
  GDir *d = g_dir_open (path, 0, NULL);
  const gchar *n;

  if (d) {
    while ((n = g_dir_read_name (d))) {
      gchar *p = g_build_filename (path, n, NULL);
      rm_rf (p);
      g_free (p);
    }
    g_dir_close (d);
  }
  g_remove (path);
}

static void
teardown (void)
{
  rm_rf (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

/* a port on 127.0.0.1 that nothing listens on */
static guint
closed_port (void)
{
  GSocketListener *l = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (l, NULL, NULL);

  g_socket_listener_close (l);
  g_object_unref (l);
  return port;
}

static GstHarness *
harness (GstBus ** bus, const gchar * first_prop, ...)
{
  GstElement *e = gst_element_factory_make ("cloudstoragesink", NULL);
  GstHarness *h;
  va_list args;

  /* no preroll wait: the harness expects a synchronous state change */
  g_object_set (e, "async", FALSE, NULL);
  va_start (args, first_prop);
  g_object_set_valist (G_OBJECT (e), first_prop, args);
  va_end (args);
  h = gst_harness_new_with_element (e, "sink", NULL);
  gst_object_unref (e);
  *bus = gst_bus_new ();
  gst_element_set_bus (h->element, *bus);
  return h;
}

static GstBuffer *
bytes_buffer (const gchar * s)
{
  return gst_buffer_new_memdup (s, strlen (s));
}

/* the next element message with this name (others are skipped) */
static GstStructure *
wait_element_message (GstBus * bus, const gchar * name)
{
  for (;;) {
    GstMessage *m = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR);
    GstStructure *s;

    fail_unless (m != NULL, "no %s message", name);
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR && !g_str_equal (name,
            "error")) {
      GError *e;
      gst_message_parse_error (m, &e, NULL);
      fail ("error instead of %s: %s", name, e->message);
    }
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
      GError *e;
      gchar *dbg;

      gst_message_parse_error (m, &e, &dbg);
      s = gst_structure_new ("error", "message", G_TYPE_STRING, e->message,
          "domain", G_TYPE_UINT, (guint) e->domain, "code", G_TYPE_INT,
          e->code, NULL);
      g_error_free (e);
      g_free (dbg);
      gst_message_unref (m);
      return s;
    }
    if (gst_structure_has_name (gst_message_get_structure (m), name)) {
      s = gst_structure_copy (gst_message_get_structure (m));
      gst_message_unref (m);
      return s;
    }
    gst_message_unref (m);
  }
}

static void
check_file (const gchar * path, const gchar * want)
{
  gchar *got = NULL;
  gsize len;

  fail_unless (g_file_get_contents (path, &got, &len, NULL), "%s missing",
      path);
  fail_unless_equals_int (len, strlen (want));
  fail_unless (memcmp (got, want, len) == 0, "%s: '%s'", path, got);
  g_free (got);
}

GST_START_TEST (test_secrets_write_only)
{
  GstElement *e = gst_element_factory_make ("cloudstoragesink", NULL);
  const gchar *secrets[] = { "secret-key", "session-token", "account-key",
    "credentials", "proxy-password"
  };
  guint i;

  fail_unless (e != NULL);
  for (i = 0; i < G_N_ELEMENTS (secrets); i++) {
    GParamSpec *p = g_object_class_find_property (G_OBJECT_GET_CLASS (e),
        secrets[i]);

    fail_unless (p != NULL, "%s", secrets[i]);
    fail_if (p->flags & G_PARAM_READABLE, "%s is readable", secrets[i]);
    fail_unless (p->flags & G_PARAM_STATIC_STRINGS);
  }
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_file_stream)
{
  gchar *path = g_build_filename (tmpdir, "sub", "dir", "rec.bin", NULL);
  GstBus *bus;
  GstHarness *h = harness (&bus, "location", path, NULL);
  GstStructure *s;
  gchar *sum;
  guint64 size;

  gst_harness_set_src_caps_str (h, "application/octet-stream");
  fail_unless_equals_int (gst_harness_push (h, bytes_buffer ("hello ")),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, bytes_buffer ("world")),
      GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));

  s = wait_element_message (bus, "cloudstoragesink-object");
  check_file (path, "hello world");
  fail_unless_equals_string (gst_structure_get_string (s, "target"),
      "primary");
  fail_unless_equals_string (gst_structure_get_string (s, "provider"),
      "file");
  fail_unless (gst_structure_get_uint64 (s, "size", &size));
  fail_unless_equals_uint64 (size, 11);
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "hello world", -1);
  fail_unless_equals_string (gst_structure_get_string (s, "checksum"), sum);
  fail_unless (g_str_has_prefix (gst_structure_get_string (s, "location"),
          "file:///"));
  g_free (sum);
  gst_structure_free (s);

  {
    GstStructure *stats;
    guint64 objects = 0, bytes = 0;

    g_object_get (h->element, "stats", &stats, NULL);
    fail_unless (gst_structure_get_uint64 (stats, "objects", &objects));
    fail_unless (gst_structure_get_uint64 (stats, "bytes", &bytes));
    fail_unless_equals_uint64 (objects, 1);
    fail_unless_equals_uint64 (bytes, 11);
    gst_structure_free (stats);
  }

  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (path);
}

GST_END_TEST;

/* mp4mux-like: asks whether it may seek, writes, seeks back to rewrite a
 * header, then goes on at the end */
GST_START_TEST (test_file_seek_back)
{
  gchar *path = g_build_filename (tmpdir, "seek.mp4", NULL);
  GstBus *bus;
  GstHarness *h = harness (&bus, "location", path, NULL);
  GstSegment seg;
  GstQuery *q;
  gboolean seekable = FALSE;
  GstStructure *s;
  gchar *sum;

  gst_harness_set_src_caps_str (h, "video/quicktime");
  q = gst_query_new_seeking (GST_FORMAT_BYTES);
  fail_unless (gst_pad_peer_query (h->srcpad, q));
  gst_query_parse_seeking (q, NULL, &seekable, NULL, NULL);
  fail_unless (seekable);
  gst_query_unref (q);

  gst_segment_init (&seg, GST_FORMAT_BYTES);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  gst_harness_push (h, bytes_buffer ("HDR0data-data-"));
  seg.start = 3;
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  gst_harness_push (h, bytes_buffer ("9"));
  seg.start = 14;
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  gst_harness_push (h, bytes_buffer ("moov"));
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));

  s = wait_element_message (bus, "cloudstoragesink-object");
  check_file (path, "HDR9data-data-moov");
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      "HDR9data-data-moov", -1);
  fail_unless_equals_string (gst_structure_get_string (s, "checksum"), sum);
  g_free (sum);
  gst_structure_free (s);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_per_buffer)
{
  gchar *loc = g_build_filename (tmpdir, "img_%05d.jpeg", NULL);
  GstBus *bus;
  GstHarness *h = harness (&bus, "location", loc, "granularity", 1,
      "index", 7, NULL);
  guint i;
  guint idx;

  gst_harness_set_src_caps_str (h, "image/jpeg");
  for (i = 0; i < 3; i++) {
    gchar *d = g_strdup_printf ("jpeg-%u", i);
    fail_unless_equals_int (gst_harness_push (h, bytes_buffer (d)),
        GST_FLOW_OK);
    g_free (d);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  for (i = 0; i < 3; i++) {
    GstStructure *s = wait_element_message (bus, "cloudstoragesink-object");
    gchar *want = g_strdup_printf ("img_%05u.jpeg", 7 + i);

    fail_unless (g_str_has_suffix (gst_structure_get_string (s, "key"),
            want), "%s", gst_structure_get_string (s, "key"));
    g_free (want);
    gst_structure_free (s);
  }
  for (i = 0; i < 3; i++) {
    gchar *p = g_strdup_printf ("%s/img_%05u.jpeg", tmpdir, 7 + i);
    gchar *d = g_strdup_printf ("jpeg-%u", i);
    check_file (p, d);
    g_free (p);
    g_free (d);
  }
  g_object_get (h->element, "index", &idx, NULL);
  fail_unless_equals_int (idx, 10);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (loc);
}

GST_END_TEST;

GST_START_TEST (test_bad_location)
{
  GstElement *e = gst_element_factory_make ("cloudstoragesink", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *m;
  GError *err;

  gst_element_set_bus (e, bus);
  g_object_set (e, "location", "ftp://host/x", NULL);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  gst_message_parse_error (m, &err, NULL);
  fail_unless (err->domain == GST_RESOURCE_ERROR);
  fail_unless (strstr (err->message, "unsupported scheme 'ftp'") != NULL,
      "%s", err->message);
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_bus_set_flushing (bus, FALSE);

  /* granularity=buffer needs an index pattern */
  g_object_set (e, "location", "/tmp/x.jpeg", "granularity", 1, NULL);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gst_message_parse_error (m, &err, NULL);
  fail_unless (strstr (err->message, "%d-style pattern") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_bus_set_flushing (bus, FALSE);

  /* OSS signatures are version 1 or 4 */
  g_object_set (e, "location", "oss://b/x.ts", "granularity", 0,
      "oss-signature-version", 2, NULL);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gst_message_parse_error (m, &err, NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS));
  fail_unless (strstr (err->message, "oss-signature-version must be 1 or 4")
      != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (m);

  gst_element_set_state (e, GST_STATE_NULL);
  gst_object_unref (e);
  gst_object_unref (bus);
}

GST_END_TEST;

/* S3 unreachable: the backup (a local path) takes the object, the bus says
 * so */
GST_START_TEST (test_backup_target)
{
  gchar *ep = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  gchar *backup = g_build_filename (tmpdir, "backup", "a.ts", NULL);
  gchar *spool = g_build_filename (tmpdir, "spool", NULL);
  GstBus *bus;
  GstHarness *h = harness (&bus, "location", "s3://rec/a.ts",
      "backup-location", backup, "endpoint", ep, "access-key", "AK",
      "secret-key", "SUPERSECRET", "max-retries", 1, "min-retry-delay", 10,
      "spool-dir", spool, NULL);
  GstStructure *s;

  gst_harness_set_src_caps_str (h, "video/mpegts");
  gst_harness_push (h, bytes_buffer ("ts-packets"));
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  s = wait_element_message (bus, "cloudstoragesink-failover");
  fail_unless (strstr (gst_structure_get_string (s, "error"),
          "Couldn't connect") != NULL || strstr (gst_structure_get_string (s,
              "error"), "onnect") != NULL, "%s",
      gst_structure_get_string (s, "error"));
  fail_if (strstr (gst_structure_get_string (s, "error"), "SUPERSECRET"));
  gst_structure_free (s);
  s = wait_element_message (bus, "cloudstoragesink-object");
  fail_unless_equals_string (gst_structure_get_string (s, "target"),
      "backup");
  gst_structure_free (s);
  check_file (backup, "ts-packets");
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (ep);
  g_free (backup);
  g_free (spool);
}

GST_END_TEST;

/* both targets unreachable: the data stays in the spool directory and the
 * error names both failures and the spool path */
GST_START_TEST (test_spool_when_all_fail)
{
  gchar *ep = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  gchar *spool = g_build_filename (tmpdir, "spool", NULL);
  gchar *kept = g_build_filename (spool, "rec", "room", "a.mp4", NULL);
  GstBus *bus;
  GstHarness *h = harness (&bus, "location", "s3://rec/room/a.mp4",
      "backup-location", "gs://other/room/a.mp4", "endpoint", ep,
      "access-key", "AK", "secret-key", "SUPERSECRET", "credentials",
      "{\"client_email\":\"x\"}", "max-retries", 0, "spool-dir", spool, NULL);
  GstStructure *s;
  const gchar *msg;

  gst_harness_set_src_caps_str (h, "video/quicktime");
  gst_harness_push (h, bytes_buffer ("recorded "));
  gst_harness_push (h, bytes_buffer ("bytes"));
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  s = wait_element_message (bus, "error");
  msg = gst_structure_get_string (s, "message");
  fail_unless (strstr (msg, "s3://rec/room/a.mp4") != NULL, "%s", msg);
  fail_unless (strstr (msg, "nor its backup") != NULL, "%s", msg);
  fail_unless (strstr (msg, "GCS") != NULL, "%s", msg);
  fail_unless (strstr (msg, kept) != NULL, "%s", msg);
  fail_if (strstr (msg, "SUPERSECRET"));
  gst_structure_free (s);
  check_file (kept, "recorded bytes");
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (ep);
  g_free (spool);
  g_free (kept);
}

GST_END_TEST;

/* stopped before EOS while the upload waits to retry: what was received
 * stays in the spool and a warning says where */
GST_START_TEST (test_stop_keeps_spool)
{
  gchar *ep = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  gchar *spool = g_build_filename (tmpdir, "spool", NULL);
  gchar *kept = g_build_filename (spool, "rec", "cut.webm", NULL);
  GstBus *bus;
  GstHarness *h = harness (&bus, "location", "s3://rec/cut.webm",
      "endpoint", ep, "access-key", "AK", "secret-key", "SK",
      "max-retries", 5, "min-retry-delay", 60000, "spool-dir", spool, NULL);
  GstMessage *m;
  GError *err;

  gst_harness_set_src_caps_str (h, "video/webm");
  gst_harness_push (h, bytes_buffer ("half a "));
  gst_harness_push (h, bytes_buffer ("recording"));
  gst_harness_teardown (h);

  m = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (m != NULL);
  gst_message_parse_warning (m, &err, NULL);
  fail_unless (strstr (err->message, kept) != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "Stopped before") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_message_unref (m);
  check_file (kept, "half a recording");
  gst_object_unref (bus);
  g_free (ep);
  g_free (spool);
  g_free (kept);
}

GST_END_TEST;

/* one sink instance as splitmuxsink's sink: it is cycled through NULL and
 * gets a new location per fragment; each fragment is its own object */
GST_START_TEST (test_splitmuxsink_fragments)
{
  gchar *loc = g_build_filename (tmpdir, "hls", "seg%05d.ts", NULL);
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=90 ! "
      "video/x-raw,width=160,height=120,framerate=30/1 ! x264enc "
      "key-int-max=15 speed-preset=ultrafast ! h264parse ! "
      "splitmuxsink name=s muxer-factory=mpegtsmux "
      "max-size-time=1000000000 location=%s", loc);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *smux = gst_bin_get_by_name (GST_BIN (pipe), "s");
  GstElement *sink = gst_element_factory_make ("cloudstoragesink", NULL);
  GstBus *bus = gst_element_get_bus (pipe);
  GstMessage *m;
  guint objects = 0, i;

  fail_unless (pipe && smux && sink);
  g_object_set (smux, "sink", sink, NULL);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  while ((m = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
              GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT))) {
    GstMessageType t = GST_MESSAGE_TYPE (m);

    fail_if (t == GST_MESSAGE_ERROR, "error");
    if (t == GST_MESSAGE_ELEMENT && gst_structure_has_name
        (gst_message_get_structure (m), "cloudstoragesink-object"))
      objects++;
    gst_message_unref (m);
    if (t == GST_MESSAGE_EOS)
      break;
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  fail_unless_equals_int (objects, 3);
  for (i = 0; i < 3; i++) {
    gchar *p = g_strdup_printf ("%s/hls/seg%05u.ts", tmpdir, i);
    gchar *data = NULL;
    gsize len = 0;

    fail_unless (g_file_get_contents (p, &data, &len, NULL), "%s", p);
    fail_unless (len > 188 && len % 188 == 0 && data[0] == 0x47, "%s", p);
    g_free (data);
    g_free (p);
  }
  gst_object_unref (bus);
  gst_object_unref (smux);
  gst_object_unref (pipe);
  g_free (desc);
  g_free (loc);
}

GST_END_TEST;

static Suite *
cloudstoragesink_suite (void)
{
  Suite *s = suite_create ("cloudstoragesink");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_secrets_write_only);
  tcase_add_test (tc, test_file_stream);
  tcase_add_test (tc, test_file_seek_back);
  tcase_add_test (tc, test_per_buffer);
  tcase_add_test (tc, test_bad_location);
  tcase_add_test (tc, test_backup_target);
  tcase_add_test (tc, test_spool_when_all_fail);
  tcase_add_test (tc, test_splitmuxsink_fragments);
  tcase_add_test (tc, test_stop_keeps_spool);
  return s;
}

GST_CHECK_MAIN (cloudstoragesink);

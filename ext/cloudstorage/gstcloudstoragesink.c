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

/**
 * SECTION:element-cloudstoragesink
 * @title: cloudstoragesink
 *
 * Writes what it receives to object storage (Amazon S3, Google Cloud
 * Storage, Azure Blob Storage, Alibaba Cloud OSS) or a local path, named by
 * #GstCloudStorageSink:location: `s3://bucket/key`, `gs://bucket/key`,
 * `azure://container/blob`, `oss://bucket/key`, `file:///path` or a plain
 * path.
 *
 * Large objects are uploaded while they are being recorded (S3, OSS and GCS
 * multipart upload, Azure blocks and block list) in parts of
 * #GstCloudStorageSink:part-size, #GstCloudStorageSink:max-concurrent-parts
 * at a time; small objects go up in one request.  Everything received is
 * first written to a local spool file and sent from there, so memory does
 * not grow with the part or object size and nothing is lost when storage
 * fails: each request is retried with exponential backoff, then the
 * #GstCloudStorageSink:backup-location takes the object, and when that
 * fails too the spool file is kept and an error names it.
 *
 * With #GstCloudStorageSink:granularity=stream (default) one object is
 * written per stream; as splitmuxsink's sink it writes one object per
 * fragment.  With granularity=buffer every buffer is its own object, named
 * with the %d-style pattern of the location (thumbnails).
 *
 * When an object is durable the element posts an element message
 * `cloudstoragesink-object` with `location` (URL), `uri`, `key`, `size`,
 * `checksum` (SHA-256, hex), `target` ("primary" or "backup") and
 * `provider`.  End-of-stream completes only when the object is durable.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 -e videotestsrc num-buffers=300 ! x264enc ! h264parse ! \
 *     mp4mux ! cloudstoragesink location=s3://rec/room/a.mp4 \
 *     region=eu-west-1 access-key=AKIA... secret-key=...
 * ]| records 10 s of video into an MP4 object in the S3 bucket "rec".
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=5 ! jpegenc ! \
 *     cloudstoragesink granularity=buffer location=/tmp/thumb_%05d.jpeg
 * ]| writes five JPEG files thumb_00000.jpeg ... thumb_00004.jpeg.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cssign.h"
#include "gstcloudstoragesink.h"

GST_DEBUG_CATEGORY (gst_cloud_storage_sink_debug);
#define GST_CAT_DEFAULT gst_cloud_storage_sink_debug

#define DEFAULT_LOCATION NULL
#define DEFAULT_GRANULARITY GST_CLOUD_STORAGE_SINK_GRANULARITY_STREAM
#define DEFAULT_INDEX 0
#define MIN_PART_SIZE (5 * 1024 * 1024)
#define DEFAULT_PART_SIZE (8 * 1024 * 1024)
#define MAX_PART_SIZE (G_GUINT64_CONSTANT (5) * 1024 * 1024 * 1024)
#define DEFAULT_MAX_QUEUED_PARTS 2
#define DEFAULT_MAX_CONCURRENT_PARTS 4
#define DEFAULT_MAX_RETRIES 5
#define DEFAULT_MIN_RETRY_DELAY 500
#define DEFAULT_MAX_RETRY_DELAY 30000
#define DEFAULT_REQUEST_TIMEOUT 30
#define DEFAULT_FORCE_PATH_STYLE FALSE
#define DEFAULT_OSS_SIGNATURE_VERSION 4

enum
{
  PROP_0,
  PROP_LOCATION,
  PROP_BACKUP_LOCATION,
  PROP_BACKUP_ENDPOINT,
  PROP_GRANULARITY,
  PROP_INDEX,
  PROP_ACCESS_KEY,
  PROP_SECRET_KEY,
  PROP_SESSION_TOKEN,
  PROP_REGION,
  PROP_ENDPOINT,
  PROP_FORCE_PATH_STYLE,
  PROP_OSS_SIGNATURE_VERSION,
  PROP_ACCOUNT_NAME,
  PROP_ACCOUNT_KEY,
  PROP_CREDENTIALS,
  PROP_METADATA,
  PROP_TAGGING,
  PROP_CONTENT_TYPE,
  PROP_CONTENT_DISPOSITION,
  PROP_PROXY,
  PROP_PROXY_USERNAME,
  PROP_PROXY_PASSWORD,
  PROP_MAX_RETRIES,
  PROP_MIN_RETRY_DELAY,
  PROP_MAX_RETRY_DELAY,
  PROP_REQUEST_TIMEOUT,
  PROP_PART_SIZE,
  PROP_MAX_QUEUED_PARTS,
  PROP_MAX_CONCURRENT_PARTS,
  PROP_SPOOL_DIR,
  PROP_STATS,
};

/* An object being written and uploaded.  Fields marked (w) belong to the
 * streaming thread; the others are shared under self->lock. */
struct _CsObject
{
  gchar *location;              /* (w) expanded primary location */
  CsUri *uri;                   /* (w) */
  CsUri *backup_uri;            /* (w) may be NULL */
  gchar *path;                  /* spool file, or the destination file */
  gboolean direct;              /* primary is a local file written in place */
  gint fd;                      /* (w) writer's descriptor */
  guint64 pos;                  /* (w) write position */
  CsSha256 *sha;                /* (w) while written in order */

  guint64 size;
  guint parts_ready;            /* full parts handed to the upload thread */
  guint parts_sent;             /* of the current target */
  GArray *dirty;                /* gboolean per part: rewritten after handing */
  gboolean rewritten;           /* a seek: checksum from the file */
  gboolean finished;            /* nothing more will be written */
  gboolean failed;              /* every target failed: spool only */
  gchar *checksum;              /* set by the writer when finished in order */
};

#define gst_cloud_storage_sink_parent_class parent_class
G_DEFINE_TYPE (GstCloudStorageSink, gst_cloud_storage_sink,
    GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (cloudstoragesink, "cloudstoragesink",
    GST_RANK_NONE, GST_TYPE_CLOUD_STORAGE_SINK);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

GType
gst_cloud_storage_sink_granularity_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_CLOUD_STORAGE_SINK_GRANULARITY_STREAM,
        "One object per stream (per fragment under splitmuxsink)", "stream"},
    {GST_CLOUD_STORAGE_SINK_GRANULARITY_BUFFER,
        "One object per buffer, named with the location's %d pattern",
        "buffer"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstCloudStorageSinkGranularity",
        values);
    g_once_init_leave (&type, t);
  }
  return type;
}

static void gst_cloud_storage_sink_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_cloud_storage_sink_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static void gst_cloud_storage_sink_finalize (GObject * object);
static gboolean gst_cloud_storage_sink_start (GstBaseSink * bsink);
static gboolean gst_cloud_storage_sink_stop (GstBaseSink * bsink);
static gboolean gst_cloud_storage_sink_unlock (GstBaseSink * bsink);
static gboolean gst_cloud_storage_sink_unlock_stop (GstBaseSink * bsink);
static gboolean gst_cloud_storage_sink_event (GstBaseSink * bsink,
    GstEvent * event);
static gboolean gst_cloud_storage_sink_query (GstBaseSink * bsink,
    GstQuery * query);
static GstFlowReturn gst_cloud_storage_sink_render (GstBaseSink * bsink,
    GstBuffer * buffer);

static void
string_prop (GObjectClass * gobject_class, guint id, const gchar * name,
    const gchar * nick, const gchar * blurb, gboolean secret)
{
  g_object_class_install_property (gobject_class, id,
      g_param_spec_string (name, nick, blurb, NULL,
          (secret ? G_PARAM_WRITABLE : G_PARAM_READWRITE) |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
}

static void
gst_cloud_storage_sink_class_init (GstCloudStorageSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *bsink_class = GST_BASE_SINK_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_cloud_storage_sink_debug, "cloudstoragesink",
      0, "cloudstoragesink");

  gobject_class->set_property = gst_cloud_storage_sink_set_property;
  gobject_class->get_property = gst_cloud_storage_sink_get_property;
  gobject_class->finalize = gst_cloud_storage_sink_finalize;

  string_prop (gobject_class, PROP_LOCATION, "location", "Location",
      "Where to store: s3://bucket/key, gs://bucket/key, "
      "azure://container/blob, oss://bucket/key, file:///path or a path; "
      "may hold one %d-style index pattern", FALSE);
  string_prop (gobject_class, PROP_BACKUP_LOCATION, "backup-location",
      "Backup location", "Where objects go when the primary location fails "
      "after its retries (same forms as location)", FALSE);
  string_prop (gobject_class, PROP_BACKUP_ENDPOINT, "backup-endpoint",
      "Backup endpoint", "Service URL for the backup location (default: "
      "endpoint when both locations use the same provider, else the "
      "provider's own)", FALSE);
  g_object_class_install_property (gobject_class, PROP_GRANULARITY,
      g_param_spec_enum ("granularity", "Granularity",
          "One object per stream or one per buffer",
          GST_TYPE_CLOUD_STORAGE_SINK_GRANULARITY, DEFAULT_GRANULARITY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_INDEX,
      g_param_spec_uint ("index", "Index",
          "Index for the location's %d pattern of the next object", 0,
          G_MAXUINT, DEFAULT_INDEX, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  string_prop (gobject_class, PROP_ACCESS_KEY, "access-key", "Access key",
      "S3/OSS access key id, or GCS HMAC access id (default: environment)",
      FALSE);
  string_prop (gobject_class, PROP_SECRET_KEY, "secret-key", "Secret key",
      "S3/OSS secret access key, or GCS HMAC secret (write-only)", TRUE);
  string_prop (gobject_class, PROP_SESSION_TOKEN, "session-token",
      "Session token", "S3/OSS temporary session token (write-only)", TRUE);
  string_prop (gobject_class, PROP_REGION, "region", "Region",
      "S3/OSS region (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1; "
      "OSS cn-hangzhou)", FALSE);
  string_prop (gobject_class, PROP_ENDPOINT, "endpoint", "Endpoint",
      "Service URL, e.g. http://127.0.0.1:9000 for S3-compatible servers or "
      "http://127.0.0.1:10000/devstoreaccount1 for Azurite", FALSE);
  g_object_class_install_property (gobject_class, PROP_FORCE_PATH_STYLE,
      g_param_spec_boolean ("force-path-style", "Force path style",
          "S3/OSS: address the bucket in the path, not the host name",
          DEFAULT_FORCE_PATH_STYLE, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_OSS_SIGNATURE_VERSION,
      g_param_spec_uint ("oss-signature-version", "OSS signature version",
          "OSS request signatures: 4 (OSS4-HMAC-SHA256) or 1 (HMAC-SHA1)", 1,
          4, DEFAULT_OSS_SIGNATURE_VERSION, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  string_prop (gobject_class, PROP_ACCOUNT_NAME, "account-name",
      "Account name", "Azure storage account (default: "
      "AZURE_STORAGE_ACCOUNT)", FALSE);
  string_prop (gobject_class, PROP_ACCOUNT_KEY, "account-key", "Account key",
      "Azure storage account key, base64 (write-only; default: "
      "AZURE_STORAGE_KEY)", TRUE);
  string_prop (gobject_class, PROP_CREDENTIALS, "credentials", "Credentials",
      "GCS service account key: its JSON or the path of its file "
      "(write-only; default: GOOGLE_APPLICATION_CREDENTIALS)", TRUE);
  g_object_class_install_property (gobject_class, PROP_METADATA,
      g_param_spec_boxed ("metadata", "Metadata",
          "User metadata stored with each object (structure fields)",
          GST_TYPE_STRUCTURE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  string_prop (gobject_class, PROP_TAGGING, "tagging", "Tagging",
      "Object tags as a query string (k1=v1&k2=v2)", FALSE);
  string_prop (gobject_class, PROP_CONTENT_TYPE, "content-type",
      "Content type", "Content-Type of the objects (default: guessed from "
      "the key's extension)", FALSE);
  string_prop (gobject_class, PROP_CONTENT_DISPOSITION,
      "content-disposition", "Content disposition",
      "Content-Disposition of the objects", FALSE);
  string_prop (gobject_class, PROP_PROXY, "proxy", "Proxy",
      "HTTP proxy URL", FALSE);
  string_prop (gobject_class, PROP_PROXY_USERNAME, "proxy-username",
      "Proxy user name", "User name for the proxy", FALSE);
  string_prop (gobject_class, PROP_PROXY_PASSWORD, "proxy-password",
      "Proxy password", "Password for the proxy (write-only)", TRUE);
  g_object_class_install_property (gobject_class, PROP_MAX_RETRIES,
      g_param_spec_uint ("max-retries", "Max retries",
          "Retries of a failed request before the target is given up", 0,
          100, DEFAULT_MAX_RETRIES, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MIN_RETRY_DELAY,
      g_param_spec_uint ("min-retry-delay", "Min retry delay",
          "Delay before the first retry in ms (doubles each retry, with "
          "jitter)", 0, 3600000, DEFAULT_MIN_RETRY_DELAY, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_RETRY_DELAY,
      g_param_spec_uint ("max-retry-delay", "Max retry delay",
          "Longest delay between retries in ms", 0, 3600000,
          DEFAULT_MAX_RETRY_DELAY, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_REQUEST_TIMEOUT,
      g_param_spec_uint ("request-timeout", "Request timeout",
          "Seconds a request may stall without progress before it is "
          "retried", 1, 3600, DEFAULT_REQUEST_TIMEOUT, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_PART_SIZE,
      g_param_spec_uint64 ("part-size", "Part size",
          "Bytes per uploaded part; objects up to this size go up in one "
          "request", MIN_PART_SIZE, MAX_PART_SIZE, DEFAULT_PART_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_QUEUED_PARTS,
      g_param_spec_uint ("max-queued-parts", "Max queued parts",
          "Parts (or objects) waiting for upload before render() blocks; 0: "
          "never block, the spool file absorbs slow storage", 0, 1000,
          DEFAULT_MAX_QUEUED_PARTS, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_CONCURRENT_PARTS,
      g_param_spec_uint ("max-concurrent-parts", "Max concurrent parts",
          "Parts of one object uploaded at the same time (S3, OSS, Azure, "
          "GCS; a GCS resumable session and files take one at a time)", 1,
          64, DEFAULT_MAX_CONCURRENT_PARTS, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  string_prop (gobject_class, PROP_SPOOL_DIR, "spool-dir", "Spool directory",
      "Local directory for spool files; what could not be uploaded stays "
      "here (default: the user cache dir, gst-egress/spool)", FALSE);
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Objects stored, bytes, failovers, spooled objects",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "Cloud storage sink", "Sink/Network",
      "Writes a stream to S3, GCS, Azure Blob, OSS or a local path, with "
      "streaming multipart upload, retries, a backup target and a local "
      "spool", "gst-egress contributors");

  bsink_class->start = GST_DEBUG_FUNCPTR (gst_cloud_storage_sink_start);
  bsink_class->stop = GST_DEBUG_FUNCPTR (gst_cloud_storage_sink_stop);
  bsink_class->unlock = GST_DEBUG_FUNCPTR (gst_cloud_storage_sink_unlock);
  bsink_class->unlock_stop =
      GST_DEBUG_FUNCPTR (gst_cloud_storage_sink_unlock_stop);
  bsink_class->event = GST_DEBUG_FUNCPTR (gst_cloud_storage_sink_event);
  bsink_class->query = GST_DEBUG_FUNCPTR (gst_cloud_storage_sink_query);
  bsink_class->render = GST_DEBUG_FUNCPTR (gst_cloud_storage_sink_render);

  gst_type_mark_as_plugin_api (GST_TYPE_CLOUD_STORAGE_SINK_GRANULARITY, 0);
}

static void
gst_cloud_storage_sink_init (GstCloudStorageSink * self)
{
  self->granularity = DEFAULT_GRANULARITY;
  self->index = DEFAULT_INDEX;
  self->part_size = DEFAULT_PART_SIZE;
  self->max_queued_parts = DEFAULT_MAX_QUEUED_PARTS;
  self->max_concurrent_parts = DEFAULT_MAX_CONCURRENT_PARTS;
  self->cfg.max_retries = DEFAULT_MAX_RETRIES;
  self->cfg.min_retry_delay = DEFAULT_MIN_RETRY_DELAY;
  self->cfg.max_retry_delay = DEFAULT_MAX_RETRY_DELAY;
  self->cfg.request_timeout = DEFAULT_REQUEST_TIMEOUT;
  self->cfg.force_path_style = DEFAULT_FORCE_PATH_STYLE;
  self->cfg.oss_signature_version = DEFAULT_OSS_SIGNATURE_VERSION;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->objects);
  cs_cancel_init (&self->cancel);
  /* the pipeline must not wait for preroll on a storage sink */
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
}

static void
gst_cloud_storage_sink_finalize (GObject * object)
{
  GstCloudStorageSink *self = GST_CLOUD_STORAGE_SINK (object);

  g_free (self->location);
  g_free (self->backup_location);
  g_free (self->backup_endpoint);
  g_free (self->run_backup_endpoint);
  g_free (self->spool_dir);
  cs_config_clear (&self->cfg);
  cs_config_clear (&self->run_cfg);
  g_free (self->run_spool_dir);
  cs_cancel_clear (&self->cancel);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* wipes the old value: some of these strings are secrets */
static void
set_string (gchar ** field, const GValue * value)
{
  if (*field)
    memset (*field, 0, strlen (*field));
  g_free (*field);
  *field = g_value_dup_string (value);
  if (*field && !**field)
    g_clear_pointer (field, g_free);
}

static void
gst_cloud_storage_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstCloudStorageSink *self = GST_CLOUD_STORAGE_SINK (object);
  CsConfig *c = &self->cfg;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
      set_string (&self->location, value);
      break;
    case PROP_BACKUP_LOCATION:
      set_string (&self->backup_location, value);
      break;
    case PROP_BACKUP_ENDPOINT:
      set_string (&self->backup_endpoint, value);
      break;
    case PROP_GRANULARITY:
      self->granularity = g_value_get_enum (value);
      break;
    case PROP_INDEX:
      self->index = g_value_get_uint (value);
      break;
    case PROP_ACCESS_KEY:
      set_string (&c->access_key, value);
      break;
    case PROP_SECRET_KEY:
      set_string (&c->secret_key, value);
      break;
    case PROP_SESSION_TOKEN:
      set_string (&c->session_token, value);
      break;
    case PROP_REGION:
      set_string (&c->region, value);
      break;
    case PROP_ENDPOINT:
      set_string (&c->endpoint, value);
      break;
    case PROP_FORCE_PATH_STYLE:
      c->force_path_style = g_value_get_boolean (value);
      break;
    case PROP_OSS_SIGNATURE_VERSION:
      c->oss_signature_version = g_value_get_uint (value);
      break;
    case PROP_ACCOUNT_NAME:
      set_string (&c->account_name, value);
      break;
    case PROP_ACCOUNT_KEY:
      set_string (&c->account_key, value);
      break;
    case PROP_CREDENTIALS:
      set_string (&c->credentials, value);
      break;
    case PROP_METADATA:
      g_clear_pointer (&c->metadata, gst_structure_free);
      c->metadata = g_value_dup_boxed (value);
      break;
    case PROP_TAGGING:
      set_string (&c->tagging, value);
      break;
    case PROP_CONTENT_TYPE:
      set_string (&c->content_type, value);
      break;
    case PROP_CONTENT_DISPOSITION:
      set_string (&c->content_disposition, value);
      break;
    case PROP_PROXY:
      set_string (&c->proxy, value);
      break;
    case PROP_PROXY_USERNAME:
      set_string (&c->proxy_username, value);
      break;
    case PROP_PROXY_PASSWORD:
      set_string (&c->proxy_password, value);
      break;
    case PROP_MAX_RETRIES:
      c->max_retries = g_value_get_uint (value);
      break;
    case PROP_MIN_RETRY_DELAY:
      c->min_retry_delay = g_value_get_uint (value);
      break;
    case PROP_MAX_RETRY_DELAY:
      c->max_retry_delay = g_value_get_uint (value);
      break;
    case PROP_REQUEST_TIMEOUT:
      c->request_timeout = g_value_get_uint (value);
      break;
    case PROP_PART_SIZE:
      self->part_size = g_value_get_uint64 (value);
      break;
    case PROP_MAX_QUEUED_PARTS:
      self->max_queued_parts = g_value_get_uint (value);
      break;
    case PROP_MAX_CONCURRENT_PARTS:
      self->max_concurrent_parts = g_value_get_uint (value);
      break;
    case PROP_SPOOL_DIR:
      set_string (&self->spool_dir, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_cloud_storage_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstCloudStorageSink *self = GST_CLOUD_STORAGE_SINK (object);
  CsConfig *c = &self->cfg;

  if (prop_id == PROP_STATS) {
    GstStructure *s;

    g_mutex_lock (&self->lock);
    s = gst_structure_new ("cloudstoragesink-stats",
        "objects", G_TYPE_UINT64, self->stat_objects,
        "bytes", G_TYPE_UINT64, self->stat_bytes,
        "failovers", G_TYPE_UINT64, self->stat_failovers,
        "spooled", G_TYPE_UINT64, self->stat_spooled, NULL);
    g_mutex_unlock (&self->lock);
    g_value_take_boxed (value, s);
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_BACKUP_LOCATION:
      g_value_set_string (value, self->backup_location);
      break;
    case PROP_BACKUP_ENDPOINT:
      g_value_set_string (value, self->backup_endpoint);
      break;
    case PROP_GRANULARITY:
      g_value_set_enum (value, self->granularity);
      break;
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case PROP_ACCESS_KEY:
      g_value_set_string (value, c->access_key);
      break;
    case PROP_REGION:
      g_value_set_string (value, c->region);
      break;
    case PROP_ENDPOINT:
      g_value_set_string (value, c->endpoint);
      break;
    case PROP_FORCE_PATH_STYLE:
      g_value_set_boolean (value, c->force_path_style);
      break;
    case PROP_OSS_SIGNATURE_VERSION:
      g_value_set_uint (value, c->oss_signature_version);
      break;
    case PROP_ACCOUNT_NAME:
      g_value_set_string (value, c->account_name);
      break;
    case PROP_METADATA:
      g_value_set_boxed (value, c->metadata);
      break;
    case PROP_TAGGING:
      g_value_set_string (value, c->tagging);
      break;
    case PROP_CONTENT_TYPE:
      g_value_set_string (value, c->content_type);
      break;
    case PROP_CONTENT_DISPOSITION:
      g_value_set_string (value, c->content_disposition);
      break;
    case PROP_PROXY:
      g_value_set_string (value, c->proxy);
      break;
    case PROP_PROXY_USERNAME:
      g_value_set_string (value, c->proxy_username);
      break;
    case PROP_MAX_RETRIES:
      g_value_set_uint (value, c->max_retries);
      break;
    case PROP_MIN_RETRY_DELAY:
      g_value_set_uint (value, c->min_retry_delay);
      break;
    case PROP_MAX_RETRY_DELAY:
      g_value_set_uint (value, c->max_retry_delay);
      break;
    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, c->request_timeout);
      break;
    case PROP_PART_SIZE:
      g_value_set_uint64 (value, self->part_size);
      break;
    case PROP_MAX_QUEUED_PARTS:
      g_value_set_uint (value, self->max_queued_parts);
      break;
    case PROP_MAX_CONCURRENT_PARTS:
      g_value_set_uint (value, self->max_concurrent_parts);
      break;
    case PROP_SPOOL_DIR:
      g_value_set_string (value, self->spool_dir);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* ------------------------------------------------------------------ */
/* objects                                                              */

static void
cs_object_free (CsObject * o)
{
  if (o->fd >= 0)
    close (o->fd);
  g_free (o->location);
  cs_uri_free (o->uri);
  cs_uri_free (o->backup_uri);
  g_free (o->path);
  cs_sha256_free (o->sha);
  g_array_unref (o->dirty);
  g_free (o->checksum);
  g_free (o);
}

static const gchar *
guess_content_type (const gchar * key)
{
  static const gchar *types[][2] = {
    {".mp4", "video/mp4"}, {".m4a", "audio/mp4"}, {".webm", "video/webm"},
    {".ogg", "audio/ogg"}, {".ts", "video/mp2t"},
    {".m3u8", "application/vnd.apple.mpegurl"}, {".jpeg", "image/jpeg"},
    {".jpg", "image/jpeg"}, {".png", "image/png"}, {".json", "application/json"},
    {".mkv", "video/x-matroska"}, {".flv", "video/x-flv"},
    {".txt", "text/plain"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (types); i++) {
    if (g_str_has_suffix (key, types[i][0]))
      return types[i][1];
  }
  return NULL;
}

/* Makes the object for the next stream or buffer: expands the locations,
 * opens the spool file (or the destination for a local primary). */
static CsObject *
cs_object_new (GstCloudStorageSink * self, GError ** error)
{
  gchar *location, *backup;
  gboolean has_index = FALSE, backup_index = FALSE;
  guint index;
  CsObject *o;

  GST_OBJECT_LOCK (self);
  location = g_strdup (self->location);
  backup = g_strdup (self->backup_location);
  index = self->index;
  GST_OBJECT_UNLOCK (self);

  if (!location) {
    g_set_error (error, CS_ERROR, CS_ERROR_INVALID, "No location set");
    return NULL;
  }
  if (!cs_location_check_pattern (location, &has_index, error) ||
      (backup && !cs_location_check_pattern (backup, &backup_index,
              error))) {
    g_free (location);
    g_free (backup);
    return NULL;
  }

  o = g_new0 (CsObject, 1);
  o->fd = -1;
  o->dirty = g_array_new (FALSE, TRUE, sizeof (gboolean));
  o->sha = cs_sha256_new ();
  o->location = has_index ? cs_location_format (location, index) :
      g_strdup (location);
  g_free (location);
  if (has_index || backup_index) {
    GST_OBJECT_LOCK (self);
    self->index = index + 1;
    GST_OBJECT_UNLOCK (self);
  }
  o->uri = cs_uri_parse (o->location, error);
  if (!o->uri)
    goto fail;
  if (backup) {
    gchar *b = backup_index ? cs_location_format (backup, index) :
        g_strdup (backup);

    o->backup_uri = cs_uri_parse (b, error);
    g_free (b);
    if (!o->backup_uri)
      goto fail;
  }

  if (o->uri->provider == CS_PROVIDER_FILE) {
    o->direct = TRUE;
    o->path = g_strdup (o->uri->key);
    if (!cs_mkdirs_for (o->path, error))
      goto fail;
    o->fd = g_open (o->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  } else {
    gchar *name = g_build_filename (self->run_spool_dir, o->uri->bucket,
        o->uri->key, NULL);

    o->path = g_strdup_printf ("%s.spool-XXXXXX", name);
    g_free (name);
    if (!cs_mkdirs_for (o->path, error))
      goto fail;
    o->fd = g_mkstemp_full (o->path, O_RDWR | O_CLOEXEC, 0600);
  }
  if (o->fd < 0) {
    g_set_error (error, CS_ERROR, CS_ERROR_FAILED,
        "cannot open '%s' for writing: %s", o->path, g_strerror (errno));
    goto fail;
  }
  g_free (backup);
  return o;

fail:
  g_free (backup);
  cs_object_free (o);
  return NULL;
}

/* Writes at the object's position; called on the streaming thread. */
static gboolean
cs_object_write (GstCloudStorageSink * self, CsObject * o,
    const guint8 * data, gsize len, GError ** error)
{
  guint64 start = o->pos, end = o->pos + len;
  guint64 ps = self->run_part_size;
  gsize left = len;
  const guint8 *p = data;
  guint ready;

  while (left > 0) {
    ssize_t n = pwrite (o->fd, p, left, o->pos);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      g_set_error (error, CS_ERROR, CS_ERROR_FAILED, "cannot write to '%s': "
          "%s", o->path, g_strerror (errno));
      return FALSE;
    }
    p += n;
    left -= n;
    o->pos += n;
  }

  g_mutex_lock (&self->lock);
  if (start != o->size || o->rewritten) {
    guint i;

    o->rewritten = TRUE;
    /* parts already handed over that this write touched */
    for (i = start / ps; len > 0 && i <= (end - 1) / ps; i++) {
      if (i < o->parts_ready) {
        gboolean t = TRUE;

        if (o->dirty->len <= i)
          g_array_set_size (o->dirty, i + 1);
        g_array_index (o->dirty, gboolean, i) = t;
      }
    }
  } else if (o->sha) {
    cs_sha256_update (o->sha, data, len);
  }
  o->size = MAX (o->size, end);
  /* a part is complete once data lies beyond it: the last part is only
   * known at the end */
  ready = o->size > 0 ? (o->size - 1) / ps : 0;
  if (self->granularity == GST_CLOUD_STORAGE_SINK_GRANULARITY_STREAM &&
      ready > o->parts_ready) {
    o->parts_ready = ready;
    g_cond_broadcast (&self->cond);
  }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Marks the object complete and hands it over; takes self->lock. */
static void
cs_object_finish_locked (GstCloudStorageSink * self, CsObject * o)
{
  if (o->fd >= 0) {
    if (o->direct)
      fsync (o->fd);
    close (o->fd);
    o->fd = -1;
  }
  if (!o->rewritten && o->sha)
    o->checksum = cs_sha256_end (o->sha);
  g_clear_pointer (&o->sha, cs_sha256_free);
  o->finished = TRUE;
  g_cond_broadcast (&self->cond);
}

/* ------------------------------------------------------------------ */
/* upload thread                                                        */

static gchar *
file_sha256 (const gchar * path, GError ** error)
{
  CsSha256 *c = cs_sha256_new ();
  guint8 *buf = g_malloc (1 << 20);
  gchar *ret = NULL;
  gint fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  ssize_t n;

  if (fd < 0) {
    g_set_error (error, CS_ERROR, CS_ERROR_FAILED, "cannot read '%s': %s",
        path, g_strerror (errno));
    goto done;
  }
  while ((n = read (fd, buf, 1 << 20)) > 0)
    cs_sha256_update (c, buf, n);
  if (n < 0)
    g_set_error (error, CS_ERROR, CS_ERROR_FAILED, "cannot read '%s': %s",
        path, g_strerror (errno));
  else
    ret = cs_sha256_end (c);
  close (fd);
done:
  g_free (buf);
  cs_sha256_free (c);
  return ret;
}

typedef enum
{
  UPLOAD_OK,
  UPLOAD_FAILED,
  UPLOAD_CANCELLED,
} UploadResult;

/* The parts of one object going up to one target, on a pool of at most
 * max workers.  in_flight and error are under self->lock. */
typedef struct
{
  GstCloudStorageSink *self;
  CsTarget *t;
  gint fd;                      /* the spool file, read with pread() */
  const gchar *path;
  GThreadPool *pool;
  guint max;
  guint in_flight;
  GError *error;                /* the first part that failed for good */
} PartSet;

typedef struct
{
  guint part;
  guint64 offset, len;
  gboolean last;
} PartJob;

static void
part_worker (gpointer data, gpointer user)
{
  PartJob *j = data;
  PartSet *set = user;
  GstCloudStorageSink *self = set->self;
  GError *err = NULL;
  gboolean ok;

  GST_DEBUG_OBJECT (self, "part %u of %s: %" G_GUINT64_FORMAT " bytes%s",
      j->part, cs_target_url (set->t), j->len, j->last ? " (last)" : "");
  ok = cs_target_put_part (set->t, j->part, set->fd, j->offset, j->len,
      j->last, &err);
  g_mutex_lock (&self->lock);
  if (!ok && !set->error) {
    set->error = err;
    err = NULL;
    /* the target is given up: the other parts need not finish */
    cs_target_give_up (set->t);
  }
  set->in_flight--;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_clear_error (&err);
  g_free (j);
}

/* Hands part @part (1-based) to a worker once fewer than max parts are in
 * flight.  FALSE when a part failed or the element stops. */
static gboolean
send_part (PartSet * set, guint part, guint64 size, gboolean last)
{
  GstCloudStorageSink *self = set->self;
  guint64 ps = self->run_part_size;
  PartJob *j;
  gboolean ok;

  g_mutex_lock (&self->lock);
  while (self->running && !set->error && set->in_flight >= set->max)
    g_cond_wait (&self->cond, &self->lock);
  ok = self->running && !set->error;
  if (ok)
    set->in_flight++;
  g_mutex_unlock (&self->lock);
  if (!ok)
    return FALSE;

  j = g_new0 (PartJob, 1);
  j->part = part;
  j->offset = (guint64) (part - 1) * ps;
  j->len = MIN (ps, size - j->offset);
  j->last = last;
  g_thread_pool_push (set->pool, j, NULL);
  return TRUE;
}

/* Waits until no part is in flight; FALSE when one failed. */
static gboolean
wait_parts (PartSet * set)
{
  GstCloudStorageSink *self = set->self;
  gboolean ok;

  g_mutex_lock (&self->lock);
  while (set->in_flight > 0)
    g_cond_wait (&self->cond, &self->lock);
  ok = set->error == NULL;
  g_mutex_unlock (&self->lock);
  return ok;
}

static gboolean
begin_parts (PartSet * set, GError ** error)
{
  if (!cs_target_begin (set->t, error))
    return FALSE;
  if (!set->pool)
    set->pool = g_thread_pool_new (part_worker, set, set->max, FALSE, NULL);
  return TRUE;
}

/* Uploads one object to one target, following the writer: full parts as
 * they are ready (up to max-concurrent-parts at once), then the rewritten
 * parts, the last part and the completion once the object is finished.
 * Parts are read from the spool file as they are sent. */
static UploadResult
upload_to (GstCloudStorageSink * self, CsObject * o, CsTarget * t,
    GError ** error)
{
  guint64 ps = self->run_part_size;
  PartSet set = { self, t, -1, o->path, NULL, 1, 0, NULL };
  guint sent = 0, i, n_parts;
  gboolean multipart = FALSE, dirty = FALSE;
  guint64 size;
  UploadResult ret = UPLOAD_FAILED;

  set.max = MAX (1, MIN (self->run_max_parallel,
          cs_target_max_parallel (t)));
  set.fd = g_open (o->path, O_RDONLY | O_CLOEXEC, 0);
  if (set.fd < 0) {
    g_set_error (error, CS_ERROR, CS_ERROR_FAILED, "cannot read the spool "
        "file '%s': %s", o->path, g_strerror (errno));
    return UPLOAD_FAILED;
  }

  for (;;) {
    gboolean finished, failed;

    g_mutex_lock (&self->lock);
    o->parts_sent = sent;
    g_cond_broadcast (&self->cond);
    while (self->running && !o->finished && !set.error &&
        o->parts_ready <= sent)
      g_cond_wait (&self->cond, &self->lock);
    finished = o->finished;
    failed = set.error != NULL;
    size = o->size;
    g_mutex_unlock (&self->lock);
    if (!self->running) {
      ret = UPLOAD_CANCELLED;
      goto done;
    }
    if (failed)
      goto done;
    if (finished)
      break;

    if (!multipart) {
      if (!begin_parts (&set, error))
        goto done;
      multipart = TRUE;
    }
    if (!send_part (&set, sent + 1, size, FALSE))
      goto done;
    sent++;
  }

  if (!multipart && size <= ps) {
    /* one request; the object's checksum is its payload hash */
    if (!cs_target_put_object (t, set.fd, size, o->checksum, error))
      goto done;
    ret = UPLOAD_OK;
    goto done;
  }

  if (!multipart && !begin_parts (&set, error))
    goto done;
  /* parts a muxer rewrote after they went up (mp4mux's header): sent
   * again once the parts in flight ended, so one part number is never in
   * flight twice */
  for (i = 0; i < o->dirty->len && i < sent; i++)
    dirty = dirty || g_array_index (o->dirty, gboolean, i);
  if (dirty && !wait_parts (&set))
    goto done;
  for (i = 0; dirty && i < o->dirty->len && i < sent; i++) {
    if (!g_array_index (o->dirty, gboolean, i))
      continue;
    if (!cs_target_can_rewrite_parts (t)) {
      GST_INFO_OBJECT (self, "%s cannot replace part %u: uploading the "
          "object again", cs_target_url (t), i + 1);
      cs_target_abort (t);
      if (!cs_target_begin (t, error))
        goto done;
      sent = 0;
      break;
    }
    GST_DEBUG_OBJECT (self, "part %u was rewritten: sending it again", i + 1);
    if (!send_part (&set, i + 1, size, FALSE))
      goto done;
  }
  n_parts = (size + ps - 1) / ps;
  for (i = sent + 1; i <= n_parts; i++) {
    if (!send_part (&set, i, size, i == n_parts))
      goto done;
  }
  if (!wait_parts (&set))
    goto done;
  if (!cs_target_complete (t, n_parts, size, error))
    goto done;
  ret = UPLOAD_OK;

done:
  if (set.pool) {
    /* after a failure the parts still in flight stop soon */
    if (ret != UPLOAD_OK)
      cs_target_give_up (t);
    g_thread_pool_free (set.pool, FALSE, TRUE);
  }
  if (set.error) {
    if (ret != UPLOAD_OK && error && !*error)
      g_propagate_error (error, set.error);
    else
      g_error_free (set.error);
  }
  if (ret == UPLOAD_FAILED && error && *error &&
      (*error)->code == CS_ERROR_CANCELLED)
    ret = UPLOAD_CANCELLED;
  close (set.fd);
  return ret;
}

/* Where the data of a failed object stays: the spool file renamed to the
 * object's key. */
static gchar *
keep_spool (GstCloudStorageSink * self, CsObject * o)
{
  gchar *base, *dest;
  guint n = 1;

  if (o->direct)
    return g_strdup (o->path);
  base = g_build_filename (self->run_spool_dir, o->uri->bucket, o->uri->key,
      NULL);
  dest = g_strdup (base);
  while (g_file_test (dest, G_FILE_TEST_EXISTS)) {
    g_free (dest);
    dest = g_strdup_printf ("%s.%u", base, n++);
  }
  g_free (base);
  if (g_rename (o->path, dest) != 0) {
    GST_WARNING_OBJECT (self, "cannot rename %s: %s", o->path,
        g_strerror (errno));
    g_free (dest);
    return g_strdup (o->path);
  }
  return dest;
}

static void
post_object_message (GstCloudStorageSink * self, CsObject * o, CsTarget * t,
    const gchar * which, const gchar * checksum)
{
  const CsUri *uri = cs_target_uri (t);
  gchar *uri_str = cs_uri_to_string (uri);
  GstStructure *s;

  s = gst_structure_new ("cloudstoragesink-object",
      "location", G_TYPE_STRING, cs_target_url (t),
      "uri", G_TYPE_STRING, uri_str,
      "provider", G_TYPE_STRING, cs_provider_name (uri->provider),
      "bucket", G_TYPE_STRING, uri->bucket,
      "key", G_TYPE_STRING, uri->key,
      "size", G_TYPE_UINT64, o->size,
      "checksum-type", G_TYPE_STRING, "sha256",
      "checksum", G_TYPE_STRING, checksum,
      "target", G_TYPE_STRING, which,
      "requests", G_TYPE_UINT, cs_target_requests (t),
      "retries", G_TYPE_UINT, cs_target_retries (t), NULL);
  g_free (uri_str);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
}

/* Uploads one object to the primary, then the backup; keeps the spool
 * file when both fail. */
static UploadResult
upload_object (GstCloudStorageSink * self, CsObject * o)
{
  CsUri *targets[2] = { o->uri, o->backup_uri };
  GError *errors[2] = { NULL, NULL };
  UploadResult r = UPLOAD_FAILED;
  gchar *checksum = NULL;
  guint i;

  for (i = 0; i < 2 && targets[i]; i++) {
    CsTarget *t;

    if (i == 0 && o->direct) {
      /* written in place by the streaming thread */
      g_mutex_lock (&self->lock);
      while (self->running && !o->finished)
        g_cond_wait (&self->cond, &self->lock);
      g_mutex_unlock (&self->lock);
      if (!self->running)
        return UPLOAD_CANCELLED;
      t = cs_target_new (o->uri, &self->run_cfg, &self->cancel,
          GST_OBJECT (self));
      r = UPLOAD_OK;
    } else {
      CsConfig cfg = self->run_cfg;

      if (i == 1 && self->run_backup_endpoint)
        cfg.endpoint = self->run_backup_endpoint;
      else if (i == 1 && o->backup_uri->provider != o->uri->provider)
        cfg.endpoint = NULL;
      /* keys of another provider do not carry over to the backup: it uses
       * its own properties (account-*, credentials) or the environment */
      if (i == 1 && o->backup_uri->provider != o->uri->provider) {
        cfg.access_key = cfg.secret_key = cfg.session_token = NULL;
      }
      /* cs_target_new copies what it keeps */
      t = cs_target_new (targets[i], &cfg, &self->cancel, GST_OBJECT (self));
      r = upload_to (self, o, t, &errors[i]);
    }

    if (r == UPLOAD_OK) {
      checksum = o->checksum ? g_strdup (o->checksum) :
          file_sha256 (o->path, NULL);
      GST_INFO_OBJECT (self, "stored %s (%" G_GUINT64_FORMAT " bytes)",
          cs_target_url (t), o->size);
      if (!o->direct)
        g_unlink (o->path);
      g_mutex_lock (&self->lock);
      self->stat_objects++;
      self->stat_bytes += o->size;
      g_mutex_unlock (&self->lock);
      post_object_message (self, o, t, i == 0 ? "primary" : "backup",
          checksum ? checksum : "");
      g_free (checksum);
      cs_target_free (t);
      goto out;
    }
    cs_target_abort (t);
    if (r == UPLOAD_CANCELLED) {
      cs_target_free (t);
      goto out;
    }

    if (i == 0 && o->backup_uri) {
      gchar *b = cs_uri_to_string (o->backup_uri);

      GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
          ("Could not store %s, switching to the backup location %s",
              o->location, b), ("%s", errors[0]->message));
      gst_element_post_message (GST_ELEMENT (self),
          gst_message_new_element (GST_OBJECT (self),
              gst_structure_new ("cloudstoragesink-failover",
                  "location", G_TYPE_STRING, o->location,
                  "backup-location", G_TYPE_STRING, b,
                  "error", G_TYPE_STRING, errors[0]->message, NULL)));
      g_mutex_lock (&self->lock);
      self->stat_failovers++;
      g_mutex_unlock (&self->lock);
      g_free (b);
    }
    cs_target_free (t);
  }

  /* every target failed: the recording goes on into the spool file */
  {
    gchar *path;
    gboolean auth;
    gchar *msg;

    g_mutex_lock (&self->lock);
    o->failed = TRUE;
    g_cond_broadcast (&self->cond);
    if (!o->finished)
      GST_WARNING_OBJECT (self, "storage failed, recording into %s", o->path);
    while (self->running && !o->finished)
      g_cond_wait (&self->cond, &self->lock);
    self->stat_spooled++;
    g_mutex_unlock (&self->lock);

    path = keep_spool (self, o);
    /* the spool file has its final name now: nobody touches it again */
    if (!o->direct)
      g_clear_pointer (&o->path, g_free);
    auth = errors[0]->code == CS_ERROR_AUTH;
    if (errors[1])
      msg = g_strdup_printf ("Could not store %s (%s) nor its backup (%s); "
          "the recording is kept in %s", o->location, errors[0]->message,
          errors[1]->message, path);
    else
      msg = g_strdup_printf ("Could not store %s (%s); the recording is "
          "kept in %s", o->location, errors[0]->message, path);
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_element (GST_OBJECT (self),
            gst_structure_new ("cloudstoragesink-spooled",
                "location", G_TYPE_STRING, o->location,
                "path", G_TYPE_STRING, path,
                "size", G_TYPE_UINT64, o->size,
                "error", G_TYPE_STRING, msg, NULL)));
    if (auth)
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED, ("%s", msg),
          ("spool file %s", path));
    else
      GST_ELEMENT_ERROR (self, RESOURCE, WRITE, ("%s", msg),
          ("spool file %s", path));
    g_free (msg);
    g_free (path);
    r = self->running ? UPLOAD_FAILED : UPLOAD_CANCELLED;
  }

out:
  g_clear_error (&errors[0]);
  g_clear_error (&errors[1]);
  return r;
}

static gpointer
upload_thread (gpointer user)
{
  GstCloudStorageSink *self = user;

  g_mutex_lock (&self->lock);
  while (self->running) {
    CsObject *o = g_queue_peek_head (&self->objects);
    UploadResult r;

    if (!o) {
      g_cond_wait (&self->cond, &self->lock);
      continue;
    }
    g_mutex_unlock (&self->lock);
    r = upload_object (self, o);
    g_mutex_lock (&self->lock);
    if (r == UPLOAD_CANCELLED)
      break;
    g_queue_pop_head (&self->objects);
    if (self->current == o)
      self->current = NULL;
    cs_object_free (o);
    g_cond_broadcast (&self->cond);
  }
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* ------------------------------------------------------------------ */

static void
post_open_error (GstCloudStorageSink * self, GError * err)
{
  if (err->code == CS_ERROR_INVALID)
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", err->message),
        (NULL));
  else
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE, ("%s", err->message),
        (NULL));
}

static gboolean
gst_cloud_storage_sink_start (GstBaseSink * bsink)
{
  GstCloudStorageSink *self = GST_CLOUD_STORAGE_SINK (bsink);
  CsConfig *c = &self->run_cfg;
  GError *err = NULL;
  gchar *location;
  CsUri *uri;

  g_mutex_lock (&self->lock);
  GST_OBJECT_LOCK (self);
  cs_config_clear (c);
  *c = self->cfg;
  c->access_key = g_strdup (self->cfg.access_key);
  c->secret_key = g_strdup (self->cfg.secret_key);
  c->session_token = g_strdup (self->cfg.session_token);
  c->region = g_strdup (self->cfg.region);
  c->endpoint = g_strdup (self->cfg.endpoint);
  c->account_name = g_strdup (self->cfg.account_name);
  c->account_key = g_strdup (self->cfg.account_key);
  c->credentials = g_strdup (self->cfg.credentials);
  c->metadata = self->cfg.metadata ?
      gst_structure_copy (self->cfg.metadata) : NULL;
  c->tagging = g_strdup (self->cfg.tagging);
  c->content_type = g_strdup (self->cfg.content_type);
  c->content_disposition = g_strdup (self->cfg.content_disposition);
  c->proxy = g_strdup (self->cfg.proxy);
  c->proxy_username = g_strdup (self->cfg.proxy_username);
  c->proxy_password = g_strdup (self->cfg.proxy_password);
  if (c->max_retry_delay < c->min_retry_delay)
    c->max_retry_delay = c->min_retry_delay;
  self->run_part_size = self->part_size;
  self->run_max_queued = self->max_queued_parts;
  self->run_max_parallel = self->max_concurrent_parts;
  g_free (self->run_spool_dir);
  self->run_spool_dir = self->spool_dir ? g_strdup (self->spool_dir) :
      g_build_filename (g_get_user_cache_dir (), "gst-egress", "spool", NULL);
  location = g_strdup (self->location);
  g_free (self->run_backup_endpoint);
  self->run_backup_endpoint = g_strdup (self->backup_endpoint);
  GST_OBJECT_UNLOCK (self);

  if (c->oss_signature_version != 1 && c->oss_signature_version != 4) {
    g_set_error (&err, CS_ERROR, CS_ERROR_INVALID, "oss-signature-version "
        "must be 1 or 4, not %u", c->oss_signature_version);
    g_free (location);
    g_mutex_unlock (&self->lock);
    post_open_error (self, err);
    g_error_free (err);
    return FALSE;
  }

  /* GCS resumable chunks are multiples of 256 KiB */
  uri = location ? cs_uri_parse (location, NULL) : NULL;
  if (uri && !c->content_type && guess_content_type (uri->key))
    c->content_type = g_strdup (guess_content_type (uri->key));
  cs_uri_free (uri);
  g_free (location);
  self->run_part_size = (self->run_part_size + 262143) / 262144 * 262144;

  self->running = TRUE;
  self->flushing = FALSE;
  cs_cancel_set (&self->cancel, FALSE);

  if (self->granularity == GST_CLOUD_STORAGE_SINK_GRANULARITY_STREAM) {
    CsObject *o = cs_object_new (self, &err);

    if (!o) {
      self->running = FALSE;
      g_mutex_unlock (&self->lock);
      post_open_error (self, err);
      g_error_free (err);
      return FALSE;
    }
    self->current = o;
    g_queue_push_tail (&self->objects, o);
  } else {
    gboolean has_index = FALSE;

    GST_OBJECT_LOCK (self);
    if (!self->location)
      g_set_error (&err, CS_ERROR, CS_ERROR_INVALID, "No location set");
    else if (cs_location_check_pattern (self->location, &has_index, &err) &&
        !has_index)
      g_set_error (&err, CS_ERROR, CS_ERROR_INVALID, "granularity=buffer "
          "needs a %%d-style pattern in the location (like img_%%05d.jpeg), "
          "got '%s'", self->location);
    GST_OBJECT_UNLOCK (self);
    if (err) {
      self->running = FALSE;
      g_mutex_unlock (&self->lock);
      post_open_error (self, err);
      g_error_free (err);
      return FALSE;
    }
  }
  self->thread = g_thread_new ("cloudstorage-upload", upload_thread, self);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
gst_cloud_storage_sink_stop (GstBaseSink * bsink)
{
  GstCloudStorageSink *self = GST_CLOUD_STORAGE_SINK (bsink);
  CsObject *o;

  g_mutex_lock (&self->lock);
  self->running = FALSE;
  cs_cancel_set (&self->cancel, TRUE);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (self->thread)
    g_thread_join (self->thread);
  self->thread = NULL;

  /* what did not get stored before the end: keep it */
  g_mutex_lock (&self->lock);
  self->current = NULL;
  while ((o = g_queue_pop_head (&self->objects)) != NULL) {
    g_mutex_unlock (&self->lock);
    if (o->fd >= 0) {
      close (o->fd);
      o->fd = -1;
    }
    if (!o->path) {
      /* already kept in the spool and reported */
    } else if (o->size == 0 && !o->finished && !o->direct) {
      g_unlink (o->path);
    } else if (o->path && !o->direct) {
      gchar *path = keep_spool (self, o);

      GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
          ("Stopped before %s was stored; its %" G_GUINT64_FORMAT
              " bytes are kept in %s", o->location, o->size, path), (NULL));
      g_free (path);
    }
    cs_object_free (o);
    g_mutex_lock (&self->lock);
  }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
gst_cloud_storage_sink_unlock (GstBaseSink * bsink)
{
  GstCloudStorageSink *self = GST_CLOUD_STORAGE_SINK (bsink);

  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
gst_cloud_storage_sink_unlock_stop (GstBaseSink * bsink)
{
  GstCloudStorageSink *self = GST_CLOUD_STORAGE_SINK (bsink);

  g_mutex_lock (&self->lock);
  self->flushing = FALSE;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Waits until every object is stored (or kept in the spool). */
static gboolean
wait_all_stored (GstCloudStorageSink * self)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  if (self->current) {
    cs_object_finish_locked (self, self->current);
    self->current = NULL;
  }
  while (self->running && !self->flushing &&
      !g_queue_is_empty (&self->objects))
    g_cond_wait (&self->cond, &self->lock);
  ok = self->running && !self->flushing;
  g_mutex_unlock (&self->lock);
  return ok;
}

static gboolean
gst_cloud_storage_sink_event (GstBaseSink * bsink, GstEvent * event)
{
  GstCloudStorageSink *self = GST_CLOUD_STORAGE_SINK (bsink);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_SEGMENT:{
      const GstSegment *seg;

      gst_event_parse_segment (event, &seg);
      g_mutex_lock (&self->lock);
      if (seg->format == GST_FORMAT_BYTES && self->current &&
          self->current->pos != seg->start) {
        GST_DEBUG_OBJECT (self, "seek from %" G_GUINT64_FORMAT " to %"
            G_GUINT64_FORMAT, self->current->pos, seg->start);
        self->current->pos = seg->start;
      }
      g_mutex_unlock (&self->lock);
      break;
    }
    case GST_EVENT_EOS:
      GST_DEBUG_OBJECT (self, "EOS: waiting until everything is stored");
      if (!wait_all_stored (self))
        GST_DEBUG_OBJECT (self, "flushing while waiting for the upload");
      break;
    default:
      break;
  }
  return GST_BASE_SINK_CLASS (parent_class)->event (bsink, event);
}

static gboolean
gst_cloud_storage_sink_query (GstBaseSink * bsink, GstQuery * query)
{
  GstCloudStorageSink *self = GST_CLOUD_STORAGE_SINK (bsink);

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_SEEKING:{
      GstFormat fmt;
      gboolean seekable;

      gst_query_parse_seeking (query, &fmt, NULL, NULL, NULL);
      GST_OBJECT_LOCK (self);
      seekable = fmt == GST_FORMAT_BYTES &&
          self->granularity == GST_CLOUD_STORAGE_SINK_GRANULARITY_STREAM;
      GST_OBJECT_UNLOCK (self);
      gst_query_set_seeking (query, fmt, seekable, 0, -1);
      return TRUE;
    }
    case GST_QUERY_FORMATS:
      gst_query_set_formats (query, 2, GST_FORMAT_DEFAULT, GST_FORMAT_BYTES);
      return TRUE;
    case GST_QUERY_URI:{
      GST_OBJECT_LOCK (self);
      gst_query_set_uri (query, self->location);
      GST_OBJECT_UNLOCK (self);
      return TRUE;
    }
    default:
      return GST_BASE_SINK_CLASS (parent_class)->query (bsink, query);
  }
}

static GstFlowReturn
gst_cloud_storage_sink_render (GstBaseSink * bsink, GstBuffer * buffer)
{
  GstCloudStorageSink *self = GST_CLOUD_STORAGE_SINK (bsink);
  GstFlowReturn ret = GST_FLOW_OK;
  GError *err = NULL;
  GstMapInfo map;
  CsObject *o;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE, (NULL), ("cannot map buffer"));
    return GST_FLOW_ERROR;
  }

  if (self->granularity == GST_CLOUD_STORAGE_SINK_GRANULARITY_BUFFER) {
    o = cs_object_new (self, &err);
    if (!o || !cs_object_write (self, o, map.data, map.size, &err)) {
      if (o)
        cs_object_free (o);
      goto write_error;
    }
    g_mutex_lock (&self->lock);
    cs_object_finish_locked (self, o);
    g_queue_push_tail (&self->objects, o);
    while (self->running && !self->flushing && self->run_max_queued > 0 &&
        g_queue_get_length (&self->objects) > self->run_max_queued)
      g_cond_wait (&self->cond, &self->lock);
    if (self->flushing || !self->running)
      ret = GST_FLOW_FLUSHING;
    g_mutex_unlock (&self->lock);
  } else {
    g_mutex_lock (&self->lock);
    o = self->current;
    g_mutex_unlock (&self->lock);
    if (!o) {
      GST_DEBUG_OBJECT (self, "buffer after EOS dropped");
      goto out;
    }
    if (!cs_object_write (self, o, map.data, map.size, &err))
      goto write_error;

    /* bounded hand-over: wait while the upload lags too far behind */
    g_mutex_lock (&self->lock);
    while (self->running && !self->flushing && !o->failed &&
        self->run_max_queued > 0 &&
        o->parts_ready > o->parts_sent + self->run_max_queued)
      g_cond_wait (&self->cond, &self->lock);
    if (self->flushing || !self->running)
      ret = GST_FLOW_FLUSHING;
    g_mutex_unlock (&self->lock);
  }

out:
  gst_buffer_unmap (buffer, &map);
  return ret;

write_error:
  gst_buffer_unmap (buffer, &map);
  GST_ELEMENT_ERROR (self, RESOURCE, WRITE, ("%s", err->message), (NULL));
  g_error_free (err);
  return GST_FLOW_ERROR;
}

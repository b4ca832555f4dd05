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

#ifndef __GST_CLOUD_STORAGE_SINK_H__
#define __GST_CLOUD_STORAGE_SINK_H__

#include <gst/gst.h>
#include <gst/base/gstbasesink.h>

#include "cstarget.h"

G_BEGIN_DECLS

#define GST_TYPE_CLOUD_STORAGE_SINK (gst_cloud_storage_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstCloudStorageSink, gst_cloud_storage_sink, GST,
    CLOUD_STORAGE_SINK, GstBaseSink)

typedef enum
{
  GST_CLOUD_STORAGE_SINK_GRANULARITY_STREAM,
  GST_CLOUD_STORAGE_SINK_GRANULARITY_BUFFER,
} GstCloudStorageSinkGranularity;

#define GST_TYPE_CLOUD_STORAGE_SINK_GRANULARITY \
  (gst_cloud_storage_sink_granularity_get_type ())
GType gst_cloud_storage_sink_granularity_get_type (void);

typedef struct _CsObject CsObject;

struct _GstCloudStorageSink
{
  GstBaseSink parent;

  /* properties, under GST_OBJECT_LOCK */
  gchar *location;
  gchar *backup_location;
  gchar *backup_endpoint;
  GstCloudStorageSinkGranularity granularity;
  guint index;
  guint64 part_size;
  guint max_queued_parts;
  guint max_concurrent_parts;
  gchar *spool_dir;
  CsConfig cfg;

  /* Runtime state.  Lock order: self->lock, then GST_OBJECT_LOCK (self).
   * The streaming thread writes objects into spool files and hands them to
   * the upload thread; render() waits on cond while too many parts are
   * queued. */
  GMutex lock;
  GCond cond;
  GThread *thread;
  gboolean running;
  gboolean flushing;
  GQueue objects;               /* CsObject, oldest first; head uploads */
  CsObject *current;            /* stream granularity: being written */
  CsCancel cancel;
  CsConfig run_cfg;             /* snapshot taken in start() */
  guint64 run_part_size;
  guint run_max_queued;
  guint run_max_parallel;
  gchar *run_spool_dir;
  gchar *run_backup_endpoint;
  guint64 stat_objects, stat_bytes, stat_failovers, stat_spooled;
};

GST_ELEMENT_REGISTER_DECLARE (cloudstoragesink);

G_END_DECLS

#endif

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

#ifndef __CS_TARGET_H__
#define __CS_TARGET_H__

#include <gst/gst.h>

#include "csuri.h"

G_BEGIN_DECLS

/* One storage target (the primary or the backup location) and the
 * requests that put an object there: a single request for small objects, or
 * a streamed upload in parts (S3/OSS multipart, Azure blocks + block list,
 * GCS resumable session, local file writes at offsets).  Every request is
 * retried on its own with exponential backoff and jitter.  Runs on the
 * element's upload threads (blocking libcurl calls): the upload thread,
 * and for cs_target_put_part() its part workers. */

/* Settings snapshot taken when the element starts, plus what the
 * environment provides. */
typedef struct
{
  gchar *access_key;
  gchar *secret_key;
  gchar *session_token;
  gchar *region;
  gchar *endpoint;
  gboolean force_path_style;
  gchar *account_name;
  gchar *account_key;
  gchar *credentials;           /* GCS service account JSON, or its path */
  GstStructure *metadata;
  gchar *tagging;
  gchar *content_type;
  gchar *content_disposition;
  gchar *proxy;
  gchar *proxy_username;
  gchar *proxy_password;
  guint max_retries;
  guint min_retry_delay;        /* ms */
  guint max_retry_delay;        /* ms */
  guint request_timeout;        /* s, for a stalled transfer */
  guint oss_signature_version;  /* 1 or 4 */
} CsConfig;

void cs_config_clear (CsConfig * cfg);

/* Interruptible waits between retries. */
typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean cancelled;
} CsCancel;

void cs_cancel_init (CsCancel * c);
void cs_cancel_clear (CsCancel * c);
void cs_cancel_set (CsCancel * c, gboolean cancelled);
gboolean cs_cancel_sleep (CsCancel * c, guint ms);

/* Creates the directories that hold @path. */
gboolean cs_mkdirs_for (const gchar * path, GError ** error);

typedef struct _CsTarget CsTarget;

CsTarget *cs_target_new (const CsUri * uri, const CsConfig * cfg,
    CsCancel * cancel, GstObject * log_obj);
void cs_target_free (CsTarget * t);

/* the public location of the object (URL without credentials) */
const gchar *cs_target_url (CsTarget * t);
const CsUri *cs_target_uri (CsTarget * t);
/* whether an uploaded part can be sent again before completion (a
 * muxer rewrote it) */
gboolean cs_target_can_rewrite_parts (CsTarget * t);
/* the part size must be a multiple of this */
guint64 cs_target_part_align (CsTarget * t);
/* how many parts may be sent at once (1: in order, one at a time) */
guint cs_target_max_parallel (CsTarget * t);
/* makes the parts still in flight fail soon with CS_ERROR_CANCELLED (one
 * part failed for good); cs_target_abort() resets it */
void cs_target_give_up (CsTarget * t);
guint cs_target_requests (CsTarget * t);
guint cs_target_retries (CsTarget * t);

/* Bodies are read from @fd (the spool file) with pread() while they are
 * sent: nothing is copied into memory first.  @sha256 (optional) is the
 * hex SHA-256 of the object when the caller knows it already. */
gboolean cs_target_put_object (CsTarget * t, gint fd, guint64 len,
    const gchar * sha256, GError ** error);
gboolean cs_target_begin (CsTarget * t, GError ** error);
/* May run on several threads at once (distinct parts) between
 * cs_target_begin() and cs_target_complete(), up to
 * cs_target_max_parallel(). */
gboolean cs_target_put_part (CsTarget * t, guint part, gint fd,
    guint64 offset, guint64 len, gboolean last, GError ** error);
gboolean cs_target_complete (CsTarget * t, guint n_parts, guint64 size,
    GError ** error);
void cs_target_abort (CsTarget * t);

/* backoff before retry number attempt (1-based): exponential from min to
 * max, with full jitter in [d/2, d] */
guint cs_retry_delay (guint attempt, guint min_ms, guint max_ms);

G_END_DECLS

#endif

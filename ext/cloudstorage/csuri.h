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

#ifndef __CS_URI_H__
#define __CS_URI_H__

#include <glib.h>

G_BEGIN_DECLS

/* Where an object goes: which storage service, the bucket (container for
 * Azure) and the key (blob name; the path for local files).  Pure C, no
 * I/O: unit-tested in tests/check/cloudstorage/csuri.c. */

typedef enum
{
  CS_PROVIDER_FILE,
  CS_PROVIDER_S3,
  CS_PROVIDER_GCS,
  CS_PROVIDER_AZURE,
  CS_PROVIDER_OSS,
} CsProvider;

typedef struct
{
  CsProvider provider;
  gchar *bucket;                /* NULL for CS_PROVIDER_FILE */
  gchar *key;                   /* object key, or the file path */
} CsUri;

#define CS_ERROR (cs_error_quark ())
GQuark cs_error_quark (void);

typedef enum
{
  CS_ERROR_INVALID,             /* bad location or setting */
  CS_ERROR_AUTH,                /* 401/403: credentials rejected */
  CS_ERROR_TRANSIENT,           /* worth retrying: 408/429/5xx, network */
  CS_ERROR_FAILED,              /* any other refusal */
  CS_ERROR_CANCELLED,           /* the element is stopping */
} CsError;

CsUri *cs_uri_parse (const gchar * location, GError ** error);
CsUri *cs_uri_copy (const CsUri * uri);
void cs_uri_free (CsUri * uri);
gchar *cs_uri_to_string (const CsUri * uri);
const gchar *cs_provider_name (CsProvider provider);

gboolean cs_location_check_pattern (const gchar * location,
    gboolean * has_index, GError ** error);
gchar *cs_location_format (const gchar * location, guint index);

gchar *cs_uri_encode (const gchar * s, gboolean keep_slash);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsUri, cs_uri_free)

G_END_DECLS

#endif

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

#ifndef __CS_SIGN_H__
#define __CS_SIGN_H__

#include <glib.h>

G_BEGIN_DECLS

/* Request signers for each provider as pure functions (no I/O, no clock):
 * the caller passes the date.  Unit-tested against published examples in
 * tests/check/cloudstorage/cssign.c. */

typedef struct
{
  const gchar *name;
  const gchar *value;
} CsHeader;

/* SHA-256 with OpenSSL (several times faster than GChecksum where the CPU
 * has SHA instructions): lower-case hex */
gchar *cs_sha256_hex (const guint8 * data, gsize len);

typedef struct _CsSha256 CsSha256;
CsSha256 *cs_sha256_new (void);
void cs_sha256_update (CsSha256 * sha, const guint8 * data, gsize len);
gchar *cs_sha256_end (CsSha256 * sha);
void cs_sha256_free (CsSha256 * sha);

/* "k1", "v1", "k2", "v2", ..., NULL (raw, unencoded) -> the canonical
 * query string: each name and value encoded with cs_uri_encode(), sorted.
 * The same string is used on the wire, so the signed and the sent query
 * are identical. */
gchar *cs_canonical_query (const gchar * const *kv);

/* AWS Signature Version 4.  canonical_uri is the already encoded path;
 * every header in headers is signed (host and x-amz-date must be among
 * them).  amz_date is YYYYMMDD'T'HHMMSS'Z'.  Returns the Authorization
 * header value; canonical_request and string_to_sign (optional) return the
 * intermediate strings. */
gchar *cs_sigv4_authorization (const gchar * method,
    const gchar * canonical_uri, const gchar * canonical_query,
    const CsHeader * headers, guint n_headers, const gchar * payload_hash,
    const gchar * access_key, const gchar * secret_key, const gchar * region,
    const gchar * service, const gchar * amz_date,
    gchar ** canonical_request, gchar ** string_to_sign);

/* Azure Storage Shared Key.  headers are all headers sent (standard ones
 * such as Content-Length and Content-Type, and every x-ms-*); path is the
 * URL path (encoded, as sent); query_kv the decoded query parameters.
 * Returns "SharedKey account:signature" or NULL when the key is not base64. */
gchar *cs_azure_shared_key (const gchar * account, const gchar * key_b64,
    const gchar * verb, const CsHeader * headers, guint n_headers,
    const gchar * path, const gchar * const *query_kv,
    gchar ** string_to_sign, GError ** error);

/* Alibaba Cloud OSS signature version 1.  headers: the x-oss-* headers sent;
 * resource is /bucket/key plus sub-resources ("?partNumber=1&uploadId=X").
 * Returns the base64 signature (Authorization is "OSS id:signature"). */
gchar *cs_oss_v1_signature (const gchar * secret, const gchar * verb,
    const gchar * content_md5, const gchar * content_type,
    const gchar * date, const CsHeader * headers, guint n_headers,
    const gchar * resource, gchar ** string_to_sign);

/* A Google service-account JWT assertion (RS256) for the OAuth2 token
 * endpoint.  private_key_pem is the PKCS#8 PEM of the key file. */
gchar *cs_gcs_jwt_assertion (const gchar * client_email,
    const gchar * private_key_pem, const gchar * key_id, const gchar * scope,
    const gchar * audience, gint64 issued_at, GError ** error);

/* Alibaba Cloud OSS signature version 4 (OSS4-HMAC-SHA256) in the
 * Authorization header.  resource is the raw /bucket/key (encoded here,
 * '/' kept, whatever the host name); query_kv the raw query parameters;
 * headers all headers sent: the x-oss-* ones (x-oss-date among them),
 * Content-Type and Content-MD5 are signed, the payload hash is the value of
 * x-oss-content-sha256 (UNSIGNED-PAYLOAD when absent).  datetime is
 * YYYYMMDD'T'HHMMSS'Z'.  Returns the Authorization header value. */
gchar *cs_oss_v4_authorization (const gchar * method, const gchar * resource,
    const gchar * const *query_kv, const CsHeader * headers, guint n_headers,
    const gchar * access_key, const gchar * secret_key, const gchar * region,
    const gchar * datetime, gchar ** canonical_request,
    gchar ** string_to_sign);

gchar *cs_base64url (const guint8 * data, gsize len);

G_END_DECLS

#endif

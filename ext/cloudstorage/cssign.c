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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>

#include "csuri.h"
#include "cssign.h"

struct _CsSha256
{
  EVP_MD_CTX *ctx;
};

CsSha256 *
cs_sha256_new (void)
{
  CsSha256 *sha = g_new0 (CsSha256, 1);

  sha->ctx = EVP_MD_CTX_new ();
  EVP_DigestInit_ex (sha->ctx, EVP_sha256 (), NULL);
  return sha;
}

void
cs_sha256_update (CsSha256 * sha, const guint8 * data, gsize len)
{
  EVP_DigestUpdate (sha->ctx, data, len);
}

/* the digest in hex; the state is spent */
gchar *
cs_sha256_end (CsSha256 * sha)
{
  guint8 md[EVP_MAX_MD_SIZE];
  guint n = 0, i;
  gchar *hex;

  EVP_DigestFinal_ex (sha->ctx, md, &n);
  hex = g_malloc (n * 2 + 1);
  for (i = 0; i < n; i++)
    g_snprintf (hex + i * 2, 3, "%02x", md[i]);
  return hex;
}

void
cs_sha256_free (CsSha256 * sha)
{
  if (!sha)
    return;
  EVP_MD_CTX_free (sha->ctx);
  g_free (sha);
}

gchar *
cs_sha256_hex (const guint8 * data, gsize len)
{
  CsSha256 *sha = cs_sha256_new ();
  gchar *hex;

  cs_sha256_update (sha, data, len);
  hex = cs_sha256_end (sha);
  cs_sha256_free (sha);
  return hex;
}

static void
hmac (GChecksumType type, const guint8 * key, gsize key_len,
    const gchar * msg, guint8 * out, gsize * out_len)
{
  GHmac *h = g_hmac_new (type, key, key_len);

  g_hmac_update (h, (const guchar *) msg, -1);
  g_hmac_get_digest (h, out, out_len);
  g_hmac_unref (h);
}

/* The "V4" signature AWS SigV4 and OSS V4 share: the key is derived by a
 * chain of HMAC-SHA256 over date, region, service and a terminator,
 * starting from prefix + secret; it signs the string to sign (hex). */
static gchar *
v4_signature (const gchar * prefix, const gchar * secret_key,
    const gchar * date, const gchar * region, const gchar * service,
    const gchar * terminator, const gchar * string_to_sign)
{
  guint8 k[64];
  gsize klen = sizeof (k);
  gchar *key0 = g_strconcat (prefix, secret_key, NULL);
  gchar *sig;

  hmac (G_CHECKSUM_SHA256, (const guint8 *) key0, strlen (key0), date, k,
      &klen);
  hmac (G_CHECKSUM_SHA256, k, klen, region, k, &klen);
  hmac (G_CHECKSUM_SHA256, k, klen, service, k, &klen);
  hmac (G_CHECKSUM_SHA256, k, klen, terminator, k, &klen);
  sig = g_compute_hmac_for_string (G_CHECKSUM_SHA256, k, klen,
      string_to_sign, -1);
  memset (k, 0, sizeof (k));
  memset (key0, 0, strlen (key0));
  g_free (key0);
  return sig;
}

typedef struct
{
  gchar *a;
  gchar *b;
} Pair;

static gint
pair_cmp (gconstpointer x, gconstpointer y)
{
  const Pair *p = x, *q = y;
  gint r = strcmp (p->a, q->a);

  return r ? r : strcmp (p->b, q->b);
}

static void
pair_clear (gpointer p)
{
  Pair *pair = p;

  g_free (pair->a);
  g_free (pair->b);
}

gchar *
cs_canonical_query (const gchar * const *kv)
{
  GArray *pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  GString *s = g_string_new (NULL);
  guint i;

  g_array_set_clear_func (pairs, pair_clear);
  for (i = 0; kv && kv[i] && kv[i + 1]; i += 2) {
    Pair p = { cs_uri_encode (kv[i], FALSE), cs_uri_encode (kv[i + 1],
            FALSE)
    };
    g_array_append_val (pairs, p);
  }
  g_array_sort (pairs, pair_cmp);
  for (i = 0; i < pairs->len; i++) {
    Pair *p = &g_array_index (pairs, Pair, i);

    g_string_append_printf (s, "%s%s=%s", i ? "&" : "", p->a, p->b);
  }
  g_array_unref (pairs);
  return g_string_free (s, FALSE);
}

/* lower-cased names, trimmed values (with inner runs of spaces folded
 * when fold), sorted by name */
static GArray *
canonical_headers (const CsHeader * headers, guint n, const gchar * prefix,
    gboolean fold)
{
  GArray *pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  guint i;

  g_array_set_clear_func (pairs, pair_clear);
  for (i = 0; i < n; i++) {
    gchar *name = g_ascii_strdown (headers[i].name, -1);
    GString *v = g_string_new (NULL);
    const gchar *p;
    Pair pair;

    if (prefix && !g_str_has_prefix (name, prefix)) {
      g_free (name);
      g_string_free (v, TRUE);
      continue;
    }
    for (p = headers[i].value ? headers[i].value : ""; *p; p++) {
      if ((*p == ' ' || *p == '\t') && !v->len) {
        /* leading space */
      } else if ((*p == ' ' || *p == '\t') && fold) {
        if (v->len && v->str[v->len - 1] != ' ')
          g_string_append_c (v, ' ');
      } else {
        g_string_append_c (v, *p);
      }
    }
    while (v->len && (v->str[v->len - 1] == ' ' ||
            v->str[v->len - 1] == '\t'))
      g_string_truncate (v, v->len - 1);
    pair.a = name;
    pair.b = g_string_free (v, FALSE);
    g_array_append_val (pairs, pair);
  }
  g_array_sort (pairs, pair_cmp);
  return pairs;
}

gchar *
cs_sigv4_authorization (const gchar * method, const gchar * canonical_uri,
    const gchar * canonical_query, const CsHeader * headers, guint n_headers,
    const gchar * payload_hash, const gchar * access_key,
    const gchar * secret_key, const gchar * region, const gchar * service,
    const gchar * amz_date, gchar ** canonical_request,
    gchar ** string_to_sign)
{
  GArray *ch = canonical_headers (headers, n_headers, NULL, TRUE);
  GString *creq = g_string_new (NULL);
  GString *signed_names = g_string_new (NULL);
  gchar *date = g_strndup (amz_date, 8);
  gchar *scope, *creq_hash, *sts, *auth, *sig;
  guint i;

  g_string_append_printf (creq, "%s\n%s\n%s\n", method, canonical_uri,
      canonical_query ? canonical_query : "");
  for (i = 0; i < ch->len; i++) {
    Pair *p = &g_array_index (ch, Pair, i);

    g_string_append_printf (creq, "%s:%s\n", p->a, p->b);
    g_string_append_printf (signed_names, "%s%s", i ? ";" : "", p->a);
  }
  g_string_append_printf (creq, "\n%s\n%s", signed_names->str, payload_hash);

  creq_hash = cs_sha256_hex ((const guint8 *) creq->str, creq->len);
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", date, region, service);
  sts = g_strdup_printf ("AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope,
      creq_hash);

  sig = v4_signature ("AWS4", secret_key, date, region, service,
      "aws4_request", sts);

  auth = g_strdup_printf ("AWS4-HMAC-SHA256 Credential=%s/%s, "
      "SignedHeaders=%s, Signature=%s", access_key, scope, signed_names->str,
      sig);

  if (canonical_request)
    *canonical_request = g_strdup (creq->str);
  if (string_to_sign)
    *string_to_sign = g_strdup (sts);

  g_free (sig);
  g_free (sts);
  g_free (scope);
  g_free (creq_hash);
  g_free (date);
  g_string_free (signed_names, TRUE);
  g_string_free (creq, TRUE);
  g_array_unref (ch);
  return auth;
}

static const gchar *
find_header (const CsHeader * headers, guint n, const gchar * name)
{
  guint i;

  for (i = 0; i < n; i++) {
    if (g_ascii_strcasecmp (headers[i].name, name) == 0)
      return headers[i].value;
  }
  return NULL;
}

gchar *
cs_azure_shared_key (const gchar * account, const gchar * key_b64,
    const gchar * verb, const CsHeader * headers, guint n_headers,
    const gchar * path, const gchar * const *query_kv,
    gchar ** string_to_sign, GError ** error)
{
  static const gchar *std_headers[] = { "Content-Encoding",
    "Content-Language", "Content-Length", "Content-MD5", "Content-Type",
    "Date", "If-Modified-Since", "If-Match", "If-None-Match",
    "If-Unmodified-Since", "Range"
  };
  GString *sts = g_string_new (verb);
  GArray *xms, *q;
  guchar *key;
  gsize key_len;
  gchar *sig, *auth;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (std_headers); i++) {
    const gchar *v = find_header (headers, n_headers, std_headers[i]);

    if (v && i == 2 && strcmp (v, "0") == 0)
      v = NULL;                 /* Content-Length 0 signs as empty */
    g_string_append_printf (sts, "\n%s", v ? v : "");
  }
  g_string_append_c (sts, '\n');
  xms = canonical_headers (headers, n_headers, "x-ms-", TRUE);
  for (i = 0; i < xms->len; i++) {
    Pair *p = &g_array_index (xms, Pair, i);

    g_string_append_printf (sts, "%s:%s\n", p->a, p->b);
  }
  g_array_unref (xms);

  g_string_append_printf (sts, "/%s%s", account, path);
  q = g_array_new (FALSE, FALSE, sizeof (Pair));
  g_array_set_clear_func (q, pair_clear);
  for (i = 0; query_kv && query_kv[i] && query_kv[i + 1]; i += 2) {
    Pair p = { g_ascii_strdown (query_kv[i], -1), g_strdup (query_kv[i + 1]) };
    g_array_append_val (q, p);
  }
  g_array_sort (q, pair_cmp);
  for (i = 0; i < q->len; i++) {
    Pair *p = &g_array_index (q, Pair, i);

    /* a repeated name lists its values comma-separated */
    if (i > 0 && strcmp (p->a, g_array_index (q, Pair, i - 1).a) == 0)
      g_string_append_printf (sts, ",%s", p->b);
    else
      g_string_append_printf (sts, "\n%s:%s", p->a, p->b);
  }
  g_array_unref (q);

  key = g_base64_decode (key_b64 ? key_b64 : "", &key_len);
  if (key_len == 0) {
    g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
        "the Azure account key is empty or not base64");
    g_free (key);
    g_string_free (sts, TRUE);
    return NULL;
  }
  {
    guint8 digest[32];
    gsize dlen = sizeof (digest);

    hmac (G_CHECKSUM_SHA256, key, key_len, sts->str, digest, &dlen);
    sig = g_base64_encode (digest, dlen);
  }
  memset (key, 0, key_len);
  g_free (key);
  auth = g_strdup_printf ("SharedKey %s:%s", account, sig);
  g_free (sig);
  if (string_to_sign)
    *string_to_sign = g_strdup (sts->str);
  g_string_free (sts, TRUE);
  return auth;
}

gchar *
cs_oss_v1_signature (const gchar * secret, const gchar * verb,
    const gchar * content_md5, const gchar * content_type,
    const gchar * date, const CsHeader * headers, guint n_headers,
    const gchar * resource, gchar ** string_to_sign)
{
  GString *sts = g_string_new (NULL);
  GArray *xoss = canonical_headers (headers, n_headers, "x-oss-", TRUE);
  guint8 digest[20];
  gsize dlen = sizeof (digest);
  guint i;

  g_string_append_printf (sts, "%s\n%s\n%s\n%s\n", verb,
      content_md5 ? content_md5 : "", content_type ? content_type : "",
      date);
  for (i = 0; i < xoss->len; i++) {
    Pair *p = &g_array_index (xoss, Pair, i);

    g_string_append_printf (sts, "%s:%s\n", p->a, p->b);
  }
  g_array_unref (xoss);
  g_string_append (sts, resource);

  hmac (G_CHECKSUM_SHA1, (const guint8 *) secret, strlen (secret), sts->str,
      digest, &dlen);
  if (string_to_sign)
    *string_to_sign = g_strdup (sts->str);
  g_string_free (sts, TRUE);
  return g_base64_encode (digest, dlen);
}

static gboolean
oss_v4_signed (const gchar * lower_name)
{
  return g_str_has_prefix (lower_name, "x-oss-") ||
      g_str_equal (lower_name, "content-type") ||
      g_str_equal (lower_name, "content-md5");
}

gchar *
cs_oss_v4_authorization (const gchar * method, const gchar * resource,
    const gchar * const *query_kv, const CsHeader * headers, guint n_headers,
    const gchar * access_key, const gchar * secret_key, const gchar * region,
    const gchar * datetime, gchar ** canonical_request,
    gchar ** string_to_sign)
{
  GArray *ch = canonical_headers (headers, n_headers, NULL, FALSE);
  GArray *q = g_array_new (FALSE, FALSE, sizeof (Pair));
  GString *creq = g_string_new (NULL);
  gchar *uri = cs_uri_encode (resource, TRUE);
  gchar *date = g_strndup (datetime, 8);
  const gchar *payload = "UNSIGNED-PAYLOAD";
  gchar *scope, *creq_hash, *sts, *sig, *auth;
  guint i;

  /* the query: encoded names and values sorted, "name" alone when the
   * value is empty */
  g_array_set_clear_func (q, pair_clear);
  for (i = 0; query_kv && query_kv[i] && query_kv[i + 1]; i += 2) {
    Pair p = { cs_uri_encode (query_kv[i], FALSE),
      cs_uri_encode (query_kv[i + 1], FALSE)
    };
    g_array_append_val (q, p);
  }
  g_array_sort (q, pair_cmp);
  g_string_append_printf (creq, "%s\n%s\n", method, uri);
  for (i = 0; i < q->len; i++) {
    Pair *p = &g_array_index (q, Pair, i);

    g_string_append_printf (creq, "%s%s%s%s", i ? "&" : "", p->a,
        *p->b ? "=" : "", p->b);
  }
  g_string_append_c (creq, '\n');
  /* signed headers: x-oss-*, Content-Type and Content-MD5 (no additional
   * headers) */
  for (i = 0; i < ch->len; i++) {
    Pair *p = &g_array_index (ch, Pair, i);

    if (!oss_v4_signed (p->a))
      continue;
    g_string_append_printf (creq, "%s:%s\n", p->a, p->b);
    if (g_str_equal (p->a, "x-oss-content-sha256"))
      payload = p->b;
  }
  g_string_append_printf (creq, "\n\n%s", payload);

  creq_hash = cs_sha256_hex ((const guint8 *) creq->str, creq->len);
  scope = g_strdup_printf ("%s/%s/oss/aliyun_v4_request", date, region);
  sts = g_strdup_printf ("OSS4-HMAC-SHA256\n%s\n%s\n%s", datetime, scope,
      creq_hash);

  sig = v4_signature ("aliyun_v4", secret_key, date, region, "oss",
      "aliyun_v4_request", sts);

  auth = g_strdup_printf ("OSS4-HMAC-SHA256 Credential=%s/%s,Signature=%s",
      access_key, scope, sig);
  if (canonical_request)
    *canonical_request = g_strdup (creq->str);
  if (string_to_sign)
    *string_to_sign = g_strdup (sts);

  g_free (sig);
  g_free (sts);
  g_free (scope);
  g_free (creq_hash);
  g_free (date);
  g_free (uri);
  g_string_free (creq, TRUE);
  g_array_unref (q);
  g_array_unref (ch);
  return auth;
}

gchar *
cs_base64url (const guint8 * data, gsize len)
{
  gchar *s = g_base64_encode (data, len);
  gchar *p, *q;

  for (p = q = s; *p; p++) {
    if (*p == '=')
      continue;
    *q++ = *p == '+' ? '-' : *p == '/' ? '_' : *p;
  }
  *q = '\0';
  return s;
}

static gchar *
b64url_str (const gchar * s)
{
  return cs_base64url ((const guint8 *) s, strlen (s));
}

gchar *
cs_gcs_jwt_assertion (const gchar * client_email,
    const gchar * private_key_pem, const gchar * key_id, const gchar * scope,
    const gchar * audience, gint64 issued_at, GError ** error)
{
  GString *header = g_string_new ("{\"alg\":\"RS256\",\"typ\":\"JWT\"");
  gchar *claims, *h64, *c64, *input, *s64, *jwt = NULL;
  guint8 *sig = NULL;
  size_t sig_len = 0;
  EVP_PKEY *pkey = NULL;
  EVP_MD_CTX *ctx = NULL;
  BIO *bio;

  if (key_id)
    g_string_append_printf (header, ",\"kid\":\"%s\"", key_id);
  g_string_append_c (header, '}');
  claims = g_strdup_printf ("{\"iss\":\"%s\",\"scope\":\"%s\",\"aud\":\"%s\","
      "\"iat\":%" G_GINT64_FORMAT ",\"exp\":%" G_GINT64_FORMAT "}",
      client_email, scope, audience, issued_at, issued_at + 3600);
  h64 = b64url_str (header->str);
  c64 = b64url_str (claims);
  input = g_strdup_printf ("%s.%s", h64, c64);

  bio = BIO_new_mem_buf (private_key_pem, -1);
  if (bio)
    pkey = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
  BIO_free (bio);
  if (pkey == NULL || EVP_PKEY_base_id (pkey) != EVP_PKEY_RSA) {
    g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
        "the service account's private_key is not an RSA PEM key");
    goto done;
  }
  ctx = EVP_MD_CTX_new ();
  if (EVP_DigestSignInit (ctx, NULL, EVP_sha256 (), NULL, pkey) != 1 ||
      EVP_DigestSign (ctx, NULL, &sig_len, (const guchar *) input,
          strlen (input)) != 1) {
    g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
        "could not sign with the service account key");
    goto done;
  }
  sig = g_malloc (sig_len);
  if (EVP_DigestSign (ctx, sig, &sig_len, (const guchar *) input,
          strlen (input)) != 1) {
    g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
        "could not sign with the service account key");
    goto done;
  }
  s64 = cs_base64url (sig, sig_len);
  jwt = g_strdup_printf ("%s.%s", input, s64);
  g_free (s64);

done:
  g_free (sig);
  EVP_MD_CTX_free (ctx);
  EVP_PKEY_free (pkey);
  g_free (input);
  g_free (h64);
  g_free (c64);
  g_free (claims);
  g_string_free (header, TRUE);
  return jwt;
}

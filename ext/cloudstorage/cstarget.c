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

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <curl/curl.h>
#include <json-glib/json-glib.h>

#include "cssign.h"
#include "cstarget.h"

GST_DEBUG_CATEGORY_STATIC (cs_target_debug);
#define GST_CAT_DEFAULT cs_target_debug

#define AZURE_VERSION "2021-08-06"
#define GCS_SCOPE "https://www.googleapis.com/auth/devstorage.read_write"
#define GCS_TOKEN_URI "https://oauth2.googleapis.com/token"

void
cs_config_clear (CsConfig * cfg)
{
  /* secrets are wiped before they are freed */
  gchar **secrets[] = { &cfg->secret_key, &cfg->session_token,
    &cfg->account_key, &cfg->credentials, &cfg->proxy_password
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (secrets); i++) {
    if (*secrets[i])
      memset (*secrets[i], 0, strlen (*secrets[i]));
    g_clear_pointer (secrets[i], g_free);
  }
  g_clear_pointer (&cfg->access_key, g_free);
  g_clear_pointer (&cfg->region, g_free);
  g_clear_pointer (&cfg->endpoint, g_free);
  g_clear_pointer (&cfg->account_name, g_free);
  g_clear_pointer (&cfg->metadata, gst_structure_free);
  g_clear_pointer (&cfg->tagging, g_free);
  g_clear_pointer (&cfg->content_type, g_free);
  g_clear_pointer (&cfg->content_disposition, g_free);
  g_clear_pointer (&cfg->proxy, g_free);
  g_clear_pointer (&cfg->proxy_username, g_free);
}

void
cs_cancel_init (CsCancel * c)
{
  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
  c->cancelled = FALSE;
}

void
cs_cancel_clear (CsCancel * c)
{
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
}

void
cs_cancel_set (CsCancel * c, gboolean cancelled)
{
  g_mutex_lock (&c->lock);
  c->cancelled = cancelled;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

static gboolean
cs_cancel_is_set (CsCancel * c)
{
  gboolean ret;

  g_mutex_lock (&c->lock);
  ret = c->cancelled;
  g_mutex_unlock (&c->lock);
  return ret;
}

/* FALSE when cancelled before the time was up */
gboolean
cs_cancel_sleep (CsCancel * c, guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * G_TIME_SPAN_MILLISECOND;
  gboolean ret;

  g_mutex_lock (&c->lock);
  while (!c->cancelled && g_cond_wait_until (&c->cond, &c->lock, end));
  ret = !c->cancelled;
  g_mutex_unlock (&c->lock);
  return ret;
}

guint
cs_retry_delay (guint attempt, guint min_ms, guint max_ms)
{
  guint64 d = min_ms;
  guint i;

  for (i = 1; i < attempt && d < max_ms; i++)
    d *= 2;
  d = MIN (d, max_ms);
  if (d < 2)
    return d;
  return g_random_int_range (d / 2, d + 1);
}

/* ---------------------------------------------------------------- */

struct _CsTarget
{
  CsUri *uri;
  CsConfig cfg;                 /* own copy, resolved with the environment */
  CsCancel *cancel;
  GstObject *log_obj;
  gint given_up;                /* atomic: parts in flight stop */

  /* Lock order: token_lock, then lock.  lock guards conns and etags;
   * token_lock is held while a GCS token is fetched, so parts sent at the
   * same time wait for one token instead of each fetching their own. */
  GMutex lock;
  GMutex token_lock;
  GPtrArray *conns;             /* idle Conn, each with its connection */

  gchar *origin;                /* scheme://host[:port] */
  gchar *host;                  /* host[:port], as signed */
  gchar *base_path;             /* the endpoint's path ("" or "/acct") */
  gchar *object_path;           /* encoded path of the object */
  gchar *url;                   /* public location */

  /* streamed upload state */
  gchar *upload_id;             /* S3/OSS multipart, GCS session URL */
  GPtrArray *etags;             /* S3/OSS: ETag of part i+1 */
  gint fd;                      /* file: the .part file */
  gchar *part_path;

  /* GCS OAuth2 */
  gchar *gcs_email, *gcs_key, *gcs_key_id, *gcs_token_uri;
  gchar *token;
  gint64 token_expiry;          /* monotonic, us */
  gboolean gcs_hmac;            /* GCS through its XML API with HMAC keys */
  gboolean gcs_resumable;       /* this upload is a JSON API resumable
                                 * session (a small object with metadata);
                                 * else GCS parts use the XML API multipart
                                 * upload */

  gint requests, retries;       /* atomic */
};

/* A libcurl handle and its error text; one per request in flight. */
typedef struct
{
  CURL *curl;
  gchar errbuf[CURL_ERROR_SIZE];
} Conn;

typedef struct
{
  glong status;
  GString *body;
  GHashTable *headers;          /* lower-case name -> value */
} Resp;

typedef struct
{
  const gchar *method;
  gchar *url;                   /* full URL to send to */
  gchar *path;                  /* its encoded path (for signing) */
  gchar **query;                /* raw k, v, ..., NULL */
  GPtrArray *headers;           /* name, value, ... (owned) */
  const guint8 *body;           /* in memory, or ... */
  gint body_fd;                 /* ... a range of a file when body_in_file */
  gboolean body_in_file;
  guint64 body_offset;
  gsize len;
  gchar *payload_hash;          /* SigV4: SHA-256 of the body, hashed once */
  gboolean no_auth;             /* credential endpoints: not signed */
} Req;

/* Where the read callback is in a request body.  A file body is read with
 * pread() straight into libcurl's buffer: several requests can read one
 * spool file at once, and no part is copied into memory first. */
typedef struct
{
  const guint8 *data;
  gint fd;
  guint64 offset;
  gsize len, pos;
} Cursor;

static void
req_header (Req * r, const gchar * name, const gchar * value)
{
  g_ptr_array_add (r->headers, g_strdup (name));
  g_ptr_array_add (r->headers, g_strdup (value));
}

static void
req_clear (Req * r)
{
  g_free (r->url);
  g_free (r->path);
  g_strfreev (r->query);
  g_free (r->payload_hash);
  if (r->headers)
    g_ptr_array_unref (r->headers);
  memset (r, 0, sizeof (*r));
}

static void
resp_init (Resp * r)
{
  r->status = 0;
  r->body = g_string_new (NULL);
  r->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
resp_clear (Resp * r)
{
  g_string_free (r->body, TRUE);
  g_hash_table_unref (r->headers);
}

static void
resp_reset (Resp * r)
{
  r->status = 0;
  g_string_truncate (r->body, 0);
  g_hash_table_remove_all (r->headers);
}

static size_t
write_cb (char *ptr, size_t size, size_t n, void *user)
{
  Resp *r = user;

  /* error and reply bodies are small; cap what is kept */
  if (r->body->len < 64 * 1024)
    g_string_append_len (r->body, ptr, size * n);
  return size * n;
}

static size_t
header_cb (char *ptr, size_t size, size_t n, void *user)
{
  Resp *r = user;
  gsize len = size * n;
  gchar *line = g_strndup (ptr, len), *colon;

  g_strchomp (line);
  if (g_str_has_prefix (line, "HTTP/")) {
    g_hash_table_remove_all (r->headers);
  } else if ((colon = strchr (line, ':')) != NULL) {
    gchar *name = g_ascii_strdown (line, colon - line);
    gchar *value = g_strdup (colon + 1);

    g_hash_table_replace (r->headers, name, g_strstrip (value));
  }
  g_free (line);
  return len;
}

static size_t
read_cb (char *buf, size_t size, size_t n, void *user)
{
  Cursor *c = user;
  gsize todo = MIN (size * n, c->len - c->pos);

  if (todo == 0)
    return 0;
  if (c->data) {
    memcpy (buf, c->data + c->pos, todo);
  } else {
    ssize_t got;

    do
      got = pread (c->fd, buf, todo, c->offset + c->pos);
    while (got < 0 && errno == EINTR);
    if (got <= 0)
      return CURL_READFUNC_ABORT;
    todo = got;
  }
  c->pos += todo;
  return todo;
}

/* Reads up to @size bytes of the spool file at @offset (at least one: the
 * end of the file is an error here).  Returns the count or -1. */
static ssize_t
spool_pread (gint fd, guint8 * buf, gsize size, guint64 offset,
    GError ** error)
{
  ssize_t n;

  do
    n = pread (fd, buf, size, offset);
  while (n < 0 && errno == EINTR);
  if (n <= 0) {
    g_set_error (error, CS_ERROR, CS_ERROR_FAILED, "cannot read the spool "
        "file: %s", n == 0 ? "short file" : g_strerror (errno));
    return -1;
  }
  return n;
}

/* Hashes @len bytes of @fd from @offset: the SigV4 payload hash of a part
 * that is sent from the spool file. */
static gchar *
file_range_sha256 (gint fd, guint64 offset, guint64 len, GError ** error)
{
  CsSha256 *c = cs_sha256_new ();
  gsize bufsize = 256 * 1024;
  guint8 *buf = g_malloc (bufsize);
  gchar *ret = NULL;

  while (len > 0) {
    ssize_t n = spool_pread (fd, buf, MIN (bufsize, len), offset, error);

    if (n < 0)
      goto done;
    cs_sha256_update (c, buf, n);
    offset += n;
    len -= n;
  }
  ret = cs_sha256_end (c);
done:
  cs_sha256_free (c);
  g_free (buf);
  return ret;
}

static int
seek_cb (void *user, curl_off_t offset, int origin)
{
  Cursor *c = user;

  if (origin != SEEK_SET || offset < 0 || (gsize) offset > c->len)
    return CURL_SEEKFUNC_CANTSEEK;
  c->pos = offset;
  return CURL_SEEKFUNC_OK;
}

static gboolean
stopping (CsTarget * t)
{
  return g_atomic_int_get (&t->given_up) || cs_cancel_is_set (t->cancel);
}

static int
progress_cb (void *user, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
  CsTarget *t = user;

  return stopping (t) ? 1 : 0;
}

static Conn *
conn_get (CsTarget * t)
{
  Conn *c = NULL;

  g_mutex_lock (&t->lock);
  if (t->conns->len > 0)
    c = g_ptr_array_steal_index_fast (t->conns, t->conns->len - 1);
  g_mutex_unlock (&t->lock);
  if (!c) {
    c = g_new0 (Conn, 1);
    c->curl = curl_easy_init ();
  }
  return c;
}

static void
conn_put (CsTarget * t, Conn * c)
{
  g_mutex_lock (&t->lock);
  g_ptr_array_add (t->conns, c);
  g_mutex_unlock (&t->lock);
}

static void
conn_free (gpointer data)
{
  Conn *c = data;

  curl_easy_cleanup (c->curl);
  g_free (c);
}

static gchar *
url_without_query (const gchar * url)
{
  const gchar *q = strchr (url, '?');

  return q ? g_strndup (url, q - url) : g_strdup (url);
}

/* the text between <tag> and </tag>, XML entities decoded */
static gchar *
xml_tag (const gchar * body, const gchar * tag)
{
  gchar *open = g_strdup_printf ("<%s>", tag);
  gchar *close = g_strdup_printf ("</%s>", tag);
  const gchar *a = strstr (body, open), *b;
  GString *s = NULL;

  if (a) {
    a += strlen (open);
    b = strstr (a, close);
    if (b) {
      static const gchar *ent[][2] = { {"&quot;", "\""}, {"&amp;", "&"},
      {"&lt;", "<"}, {"&gt;", ">"}, {"&apos;", "'"}, {"&#34;", "\""}
      };
      s = g_string_new_len (a, b - a);
      for (guint i = 0; i < G_N_ELEMENTS (ent); i++)
        g_string_replace (s, ent[i][0], ent[i][1], 0);
    }
  }
  g_free (open);
  g_free (close);
  return s ? g_string_free (s, FALSE) : NULL;
}

/* a short reason from an error body: S3/OSS/Azure XML or GCS JSON */
static gchar *
error_reason (const gchar * body)
{
  gchar *code = xml_tag (body, "Code"), *msg = xml_tag (body, "Message");
  gchar *ret = NULL;

  if (code || msg) {
    if (msg) {
      gchar *nl = strpbrk (msg, "\r\n");
      if (nl)
        *nl = '\0';
    }
    ret = g_strdup_printf ("%s%s%s", code ? code : "", code && msg ? ": " :
        "", msg ? msg : "");
  } else if (body[0] == '{') {
    JsonParser *p = json_parser_new ();

    if (json_parser_load_from_data (p, body, -1, NULL)) {
      JsonNode *root = json_parser_get_root (p);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (root) ?
          json_node_get_object (root) : NULL;
      JsonObject *e = o && json_object_has_member (o, "error") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "error")) ?
          json_object_get_object_member (o, "error") : NULL;

      if (e && json_object_has_member (e, "message"))
        ret = g_strdup (json_object_get_string_member (e, "message"));
      else if (o && json_object_has_member (o, "error_description"))
        ret = g_strdup (json_object_get_string_member (o,
                "error_description"));
      else if (o && json_object_has_member (o, "error") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "error")))
        ret = g_strdup (json_object_get_string_member (o, "error"));
    }
    g_object_unref (p);
  } else if (body[0]) {
    ret = g_strndup (body, MIN (strlen (body), 200));
    g_strdelimit (ret, "\r\n", ' ');
  }
  return ret;
}

static gchar *
http_date (void)
{
  GDateTime *now = g_date_time_new_now_utc ();
  gchar *s = g_date_time_format (now, "%a, %d %b %Y %H:%M:%S GMT");

  g_date_time_unref (now);
  return s;
}

static const gchar *
hdr (Req * r, const gchar * name)
{
  guint i;

  for (i = 0; i + 1 < r->headers->len; i += 2) {
    if (g_ascii_strcasecmp (g_ptr_array_index (r->headers, i), name) == 0)
      return g_ptr_array_index (r->headers, i + 1);
  }
  return NULL;
}

static CsHeader *
req_cs_headers (Req * r, guint * n)
{
  CsHeader *h = g_new0 (CsHeader, r->headers->len / 2 + 1);
  guint i;

  for (i = 0; i + 1 < r->headers->len; i += 2) {
    h[i / 2].name = g_ptr_array_index (r->headers, i);
    h[i / 2].value = g_ptr_array_index (r->headers, i + 1);
  }
  *n = r->headers->len / 2;
  return h;
}

static gboolean gcs_ensure_token (CsTarget * t, GError ** error);

static gboolean
gcs_session (CsTarget * t)
{
  return t->uri->provider == CS_PROVIDER_GCS && !t->gcs_hmac &&
      t->gcs_resumable;
}

static gint
strptr_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* Adds the date and authorization headers for this attempt. */
static gboolean
sign (CsTarget * t, Req * r, GError ** error)
{
  CsProvider p = t->uri->provider;

  if (r->no_auth)
    return TRUE;
  if (p == CS_PROVIDER_S3 || (p == CS_PROVIDER_GCS && t->gcs_hmac)) {
    GDateTime *now = g_date_time_new_now_utc ();
    gchar *amz_date = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
    gchar *payload = r->payload_hash ? g_strdup (r->payload_hash) :
        cs_sha256_hex (r->body ? r->body : (const guint8 *) "",
        r->body ? r->len : 0);
    gchar *cq = cs_canonical_query ((const gchar * const *) r->query);
    CsHeader *h;
    guint n;
    gchar *auth;

    req_header (r, "host", t->host);
    req_header (r, "x-amz-date", amz_date);
    req_header (r, "x-amz-content-sha256", payload);
    if (t->cfg.session_token)
      req_header (r, "x-amz-security-token", t->cfg.session_token);
    h = req_cs_headers (r, &n);
    auth = cs_sigv4_authorization (r->method, r->path, cq, h, n, payload,
        t->cfg.access_key, t->cfg.secret_key,
        t->cfg.region, "s3", amz_date, NULL, NULL);
    req_header (r, "Authorization", auth);
    g_free (auth);
    g_free (h);
    g_free (cq);
    g_free (payload);
    g_free (amz_date);
    g_date_time_unref (now);
  } else if (p == CS_PROVIDER_AZURE) {
    gchar *date = http_date ();
    gchar *len = g_strdup_printf ("%" G_GSIZE_FORMAT, r->len);
    gchar **dec = g_strdupv (r->query);
    CsHeader *h;
    guint n;
    gchar *auth;

    req_header (r, "x-ms-date", date);
    req_header (r, "x-ms-version", AZURE_VERSION);
    req_header (r, "Content-Length", len);
    h = req_cs_headers (r, &n);
    auth = cs_azure_shared_key (t->cfg.account_name, t->cfg.account_key,
        r->method, h, n, r->path, (const gchar * const *) dec, NULL, error);
    g_free (h);
    g_strfreev (dec);
    g_free (len);
    g_free (date);
    if (!auth)
      return FALSE;
    req_header (r, "Authorization", auth);
    g_free (auth);
  } else if (p == CS_PROVIDER_OSS && t->cfg.oss_signature_version != 1) {
    GDateTime *now = g_date_time_new_now_utc ();
    gchar *datetime = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
    gchar *resource = g_strdup_printf ("/%s/%s", t->uri->bucket,
        t->uri->key);
    CsHeader *h;
    guint n;
    gchar *auth;

    req_header (r, "x-oss-date", datetime);
    req_header (r, "x-oss-content-sha256", "UNSIGNED-PAYLOAD");
    if (t->cfg.session_token)
      req_header (r, "x-oss-security-token", t->cfg.session_token);
    h = req_cs_headers (r, &n);
    auth = cs_oss_v4_authorization (r->method, resource,
        (const gchar * const *) r->query, h, n, t->cfg.access_key,
        t->cfg.secret_key, t->cfg.region, datetime, NULL, NULL);
    req_header (r, "Authorization", auth);
    g_free (auth);
    g_free (h);
    g_free (resource);
    g_free (datetime);
    g_date_time_unref (now);
  } else if (p == CS_PROVIDER_OSS) {
    gchar *date = http_date ();
    GString *res = g_string_new (NULL);
    CsHeader *h;
    guint n, i;
    gchar *sig, *auth;
    GPtrArray *sub = g_ptr_array_new_with_free_func (g_free);

    if (t->cfg.session_token)
      req_header (r, "x-oss-security-token", t->cfg.session_token);
    req_header (r, "Date", date);
    g_string_append_printf (res, "/%s/%s", t->uri->bucket, t->uri->key);
    for (i = 0; r->query && r->query[i] && r->query[i + 1]; i += 2) {
      if (*r->query[i + 1])
        g_ptr_array_add (sub, g_strdup_printf ("%s=%s", r->query[i],
                r->query[i + 1]));
      else
        g_ptr_array_add (sub, g_strdup (r->query[i]));
    }
    g_ptr_array_sort (sub, strptr_cmp);
    for (i = 0; i < sub->len; i++)
      g_string_append_printf (res, "%c%s", i ? '&' : '?',
          (gchar *) g_ptr_array_index (sub, i));
    g_ptr_array_unref (sub);
    h = req_cs_headers (r, &n);
    sig = cs_oss_v1_signature (t->cfg.secret_key, r->method, hdr (r,
            "Content-MD5"), hdr (r, "Content-Type"), date, h, n, res->str,
        NULL);
    auth = g_strdup_printf ("OSS %s:%s", t->cfg.access_key, sig);
    req_header (r, "Authorization", auth);
    g_free (auth);
    g_free (sig);
    g_free (h);
    g_string_free (res, TRUE);
    g_free (date);
  } else if (p == CS_PROVIDER_GCS) {
    gchar *bearer = NULL;

    g_mutex_lock (&t->token_lock);
    if (gcs_ensure_token (t, error))
      bearer = g_strdup_printf ("Bearer %s", t->token);
    g_mutex_unlock (&t->token_lock);
    if (!bearer)
      return FALSE;
    req_header (r, "Authorization", bearer);
    g_free (bearer);
  }
  return TRUE;
}

/* One attempt.  FALSE with error on transport failures and non-2xx replies
 * (unless ok_status says otherwise); the error code says whether to
 * retry. */
static gboolean
send_once (CsTarget * t, Req * r, Resp * resp, glong ok_status,
    GError ** error)
{
  struct curl_slist *list = NULL;
  Cursor cur = { r->body_in_file ? NULL : r->body, r->body_fd,
    r->body_offset, r->len, 0
  };
  Conn *conn;
  CURL *c;
  CURLcode cc;
  guint i;
  const gchar *pname = cs_provider_name (t->uri->provider);

  if (r->body_in_file)
    cur.data = NULL;
  else if (!cur.data)
    cur.data = (const guint8 *) "";
  conn = conn_get (t);
  c = conn->curl;
  curl_easy_reset (c);
  curl_easy_setopt (c, CURLOPT_URL, r->url);
  curl_easy_setopt (c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (c, CURLOPT_ERRORBUFFER, conn->errbuf);
  curl_easy_setopt (c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt (c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (c, CURLOPT_LOW_SPEED_TIME,
      (long) MAX (t->cfg.request_timeout, 1));
  curl_easy_setopt (c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (c, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (c, CURLOPT_XFERINFODATA, t);
  curl_easy_setopt (c, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (c, CURLOPT_WRITEDATA, resp);
  curl_easy_setopt (c, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (c, CURLOPT_HEADERDATA, resp);
  curl_easy_setopt (c, CURLOPT_USERAGENT, "gst-egress/" PACKAGE_VERSION);
  if (t->cfg.proxy) {
    curl_easy_setopt (c, CURLOPT_PROXY, t->cfg.proxy);
    if (t->cfg.proxy_username)
      curl_easy_setopt (c, CURLOPT_PROXYUSERNAME, t->cfg.proxy_username);
    if (t->cfg.proxy_password)
      curl_easy_setopt (c, CURLOPT_PROXYPASSWORD, t->cfg.proxy_password);
  }

  for (i = 0; i + 1 < r->headers->len; i += 2) {
    gchar *line = g_strdup_printf ("%s: %s",
        (gchar *) g_ptr_array_index (r->headers, i),
        (gchar *) g_ptr_array_index (r->headers, i + 1));
    list = curl_slist_append (list, line);
    g_free (line);
  }
  /* no 100-continue round trip; never part of a signature */
  list = curl_slist_append (list, "Expect:");
  curl_easy_setopt (c, CURLOPT_HTTPHEADER, list);

  if (g_str_equal (r->method, "PUT") || (g_str_equal (r->method, "POST")
          && r->body_in_file)) {
    /* the body is read as curl sends it (from the spool file or memory) */
    if (g_str_equal (r->method, "PUT")) {
      curl_easy_setopt (c, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt (c, CURLOPT_INFILESIZE_LARGE, (curl_off_t) r->len);
    } else {
      curl_easy_setopt (c, CURLOPT_POST, 1L);
      curl_easy_setopt (c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) r->len);
    }
    curl_easy_setopt (c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt (c, CURLOPT_READDATA, &cur);
    curl_easy_setopt (c, CURLOPT_SEEKFUNCTION, seek_cb);
    curl_easy_setopt (c, CURLOPT_SEEKDATA, &cur);
    curl_easy_setopt (c, CURLOPT_UPLOAD_BUFFERSIZE, 256L * 1024);
  } else if (g_str_equal (r->method, "POST")) {
    curl_easy_setopt (c, CURLOPT_POST, 1L);
    curl_easy_setopt (c, CURLOPT_POSTFIELDS, r->body ? (const char *) r->body
        : "");
    curl_easy_setopt (c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) r->len);
  } else if (!g_str_equal (r->method, "GET")) {
    curl_easy_setopt (c, CURLOPT_CUSTOMREQUEST, r->method);
  }

  conn->errbuf[0] = '\0';
  g_atomic_int_inc (&t->requests);
  cc = curl_easy_perform (c);
  curl_slist_free_all (list);

  if (cc != CURLE_OK) {
    gchar *where = url_without_query (r->url);

    if (cc == CURLE_ABORTED_BY_CALLBACK && stopping (t)) {
      g_set_error (error, CS_ERROR, CS_ERROR_CANCELLED, "cancelled");
    } else if (cc == CURLE_ABORTED_BY_CALLBACK && r->body_in_file) {
      g_set_error (error, CS_ERROR, CS_ERROR_FAILED, "%s %s %s failed: "
          "cannot read the spool file", pname, r->method, where);
    } else {
      g_set_error (error, CS_ERROR, CS_ERROR_TRANSIENT,
          "%s %s %s failed: %s", pname, r->method, where,
          conn->errbuf[0] ? conn->errbuf : curl_easy_strerror (cc));
    }
    g_free (where);
    conn_put (t, conn);
    return FALSE;
  }
  curl_easy_getinfo (c, CURLINFO_RESPONSE_CODE, &resp->status);
  if (gst_debug_category_get_threshold (cs_target_debug) >= GST_LEVEL_LOG) {
    curl_off_t us = 0;
    gchar *where = url_without_query (r->url);

    curl_easy_getinfo (c, CURLINFO_TOTAL_TIME_T, &us);
    GST_LOG_OBJECT (t->log_obj, "%s %s: %" G_GSIZE_FORMAT " bytes, HTTP %ld "
        "in %.3f s", r->method, where, r->len, resp->status, us / 1e6);
    g_free (where);
  }
  conn_put (t, conn);

  if ((resp->status >= 200 && resp->status < 300) || resp->status == ok_status)
    return TRUE;

  {
    gchar *where = url_without_query (r->url);
    gchar *why = error_reason (resp->body->str);
    gint code;

    if (resp->status == 401 || resp->status == 403)
      code = CS_ERROR_AUTH;
    else if (resp->status == 408 || resp->status == 429 ||
        resp->status >= 500)
      code = CS_ERROR_TRANSIENT;
    else
      code = CS_ERROR_FAILED;
    g_set_error (error, CS_ERROR, code, "%s %s %s: HTTP %ld%s%s", pname,
        r->method, where, resp->status, why ? " " : "", why ? why : "");
    g_free (why);
    g_free (where);
  }
  return FALSE;
}

/* After a transient failure (@err, taken): log it, count the retry and
 * wait the backoff delay.  FALSE, with @error set, when cancelled. */
static gboolean
retry_backoff (CsTarget * t, guint attempt, GError * err, GError ** error)
{
  guint delay = cs_retry_delay (attempt, t->cfg.min_retry_delay,
      t->cfg.max_retry_delay);

  GST_WARNING_OBJECT (t->log_obj, "%s; retry %u of %u in %u ms",
      err->message, attempt, t->cfg.max_retries, delay);
  g_error_free (err);
  g_atomic_int_inc (&t->retries);
  /* in slices: a part in flight also stops when another part gave the
   * target up */
  while (!stopping (t)) {
    guint step = MIN (delay, 100);

    if (delay == 0)
      return TRUE;
    cs_cancel_sleep (t->cancel, step);
    delay -= step;
  }
  g_set_error (error, CS_ERROR, CS_ERROR_CANCELLED, "cancelled");
  return FALSE;
}

static gboolean
needs_payload_hash (CsTarget * t)
{
  return t->uri->provider == CS_PROVIDER_S3 ||
      (t->uri->provider == CS_PROVIDER_GCS && t->gcs_hmac);
}

/* Signs and sends, retrying transient failures with backoff.  The headers
 * added by sign() are dropped again before each attempt. */
static gboolean
request (CsTarget * t, Req * r, Resp * resp, glong ok_status, GError ** error)
{
  guint base = r->headers->len;
  guint attempt;

  /* the payload hash once for every attempt */
  if (!r->no_auth && !r->payload_hash && r->body_in_file &&
      needs_payload_hash (t)) {
    r->payload_hash = file_range_sha256 (r->body_fd, r->body_offset, r->len,
        error);
    if (!r->payload_hash)
      return FALSE;
  }
  for (attempt = 1;; attempt++) {
    GError *err = NULL;

    g_ptr_array_set_size (r->headers, base);
    resp_reset (resp);
    if (sign (t, r, &err) && send_once (t, r, resp, ok_status, &err))
      return TRUE;

    if (!g_error_matches (err, CS_ERROR, CS_ERROR_TRANSIENT) ||
        attempt > t->cfg.max_retries) {
      if (g_error_matches (err, CS_ERROR, CS_ERROR_TRANSIENT) &&
          t->cfg.max_retries > 0)
        g_prefix_error (&err, "after %u attempts: ", attempt);
      g_propagate_error (error, err);
      return FALSE;
    }
    if (!retry_backoff (t, attempt, err, error))
      return FALSE;
  }
}

/* ---------------------------------------------------------------- */
/* credentials                                                        */

static gchar *
env_first (const gchar * a, const gchar * b)
{
  const gchar *v = g_getenv (a);

  if ((!v || !*v) && b)
    v = g_getenv (b);
  return v && *v ? g_strdup (v) : NULL;
}

/* A plain GET/PUT for credential endpoints (no signing, few retries). */
static gboolean
simple_get (CsTarget * t, const gchar * method, const gchar * url,
    const gchar * const *headers, Resp * resp, GError ** error)
{
  Req r = { 0, };
  gboolean ok;
  guint i;

  r.method = method;
  r.url = g_strdup (url);
  r.no_auth = TRUE;
  r.headers = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; headers && headers[i] && headers[i + 1]; i += 2)
    req_header (&r, headers[i], headers[i + 1]);
  ok = send_once (t, &r, resp, 0, error);
  req_clear (&r);
  return ok;
}

static gboolean
parse_aws_json_creds (CsTarget * t, const gchar * body)
{
  JsonParser *p = json_parser_new ();
  gboolean ok = FALSE;

  if (json_parser_load_from_data (p, body, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p))) {
    JsonObject *o = json_node_get_object (json_parser_get_root (p));
    const gchar *ak = json_object_get_string_member_with_default (o,
        "AccessKeyId", NULL);
    const gchar *sk = json_object_get_string_member_with_default (o,
        "SecretAccessKey", NULL);
    const gchar *tok = json_object_get_string_member_with_default (o,
        "Token", NULL);

    if (ak && sk) {
      t->cfg.access_key = g_strdup (ak);
      t->cfg.secret_key = g_strdup (sk);
      t->cfg.session_token = g_strdup (tok);
      ok = TRUE;
    }
  }
  g_object_unref (p);
  return ok;
}

/* S3 credentials not given as properties: the environment, then the
 * container credential endpoint, then EC2 IMDSv2. */
static void
s3_resolve_credentials (CsTarget * t)
{
  Resp resp;
  gchar *uri = NULL;
  const gchar *v;

  if (t->cfg.access_key && t->cfg.secret_key)
    return;
  if (t->uri->provider == CS_PROVIDER_OSS) {
    if (!t->cfg.access_key)
      t->cfg.access_key = env_first ("OSS_ACCESS_KEY_ID",
          "ALIBABA_CLOUD_ACCESS_KEY_ID");
    if (!t->cfg.secret_key)
      t->cfg.secret_key = env_first ("OSS_ACCESS_KEY_SECRET",
          "ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    if (!t->cfg.session_token)
      t->cfg.session_token = env_first ("OSS_SESSION_TOKEN", NULL);
    return;
  }
  if (g_getenv ("AWS_ACCESS_KEY_ID") && g_getenv ("AWS_SECRET_ACCESS_KEY")) {
    g_free (t->cfg.access_key);
    g_free (t->cfg.secret_key);
    t->cfg.access_key = env_first ("AWS_ACCESS_KEY_ID", NULL);
    t->cfg.secret_key = env_first ("AWS_SECRET_ACCESS_KEY", NULL);
    if (!t->cfg.session_token)
      t->cfg.session_token = env_first ("AWS_SESSION_TOKEN", NULL);
    return;
  }

  resp_init (&resp);
  if ((v = g_getenv ("AWS_CONTAINER_CREDENTIALS_FULL_URI")) && *v)
    uri = g_strdup (v);
  else if ((v = g_getenv ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) && *v)
    uri = g_strdup_printf ("http://169.254.170.2%s", v);
  if (uri) {
    gchar *tok = env_first ("AWS_CONTAINER_AUTHORIZATION_TOKEN", NULL);
    const gchar *tok_file =
        g_getenv ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    const gchar *h[3] = { NULL, };
    GError *err = NULL;

    if (!tok && tok_file && g_file_get_contents (tok_file, &tok, NULL, NULL))
      g_strstrip (tok);
    if (tok) {
      h[0] = "Authorization";
      h[1] = tok;
    }
    if (simple_get (t, "GET", uri, h, &resp, &err) &&
        parse_aws_json_creds (t, resp.body->str)) {
      GST_INFO_OBJECT (t->log_obj, "S3 credentials from the container "
          "credential endpoint");
    } else {
      GST_WARNING_OBJECT (t->log_obj, "container credentials: %s",
          err ? err->message : "no keys in the reply");
    }
    g_clear_error (&err);
    g_free (tok);
    g_free (uri);
  } else if (g_strcmp0 (g_getenv ("AWS_EC2_METADATA_DISABLED"), "true")) {
    gchar *base = env_first ("AWS_EC2_METADATA_SERVICE_ENDPOINT", NULL);
    const gchar *th[] = { "X-aws-ec2-metadata-token-ttl-seconds", "21600",
      NULL
    };
    GError *err = NULL;
    gchar *url;

    if (!base)
      base = g_strdup ("http://169.254.169.254");
    g_strchomp (base);
    if (g_str_has_suffix (base, "/"))
      base[strlen (base) - 1] = '\0';
    url = g_strdup_printf ("%s/latest/api/token", base);
    if (simple_get (t, "PUT", url, th, &resp, &err)) {
      gchar *token = g_strdup (g_strstrip (resp.body->str));
      const gchar *h[] = { "X-aws-ec2-metadata-token", token, NULL };
      gchar *url2 = g_strdup_printf ("%s/latest/meta-data/iam/"
          "security-credentials/", base);

      resp_reset (&resp);
      if (simple_get (t, "GET", url2, h, &resp, &err)) {
        gchar *role = g_strdup (g_strstrip (resp.body->str));
        gchar *nl = strchr (role, '\n');
        gchar *url3;

        if (nl)
          *nl = '\0';
        url3 = g_strdup_printf ("%s%s", url2, role);
        resp_reset (&resp);
        if (simple_get (t, "GET", url3, h, &resp, &err) &&
            parse_aws_json_creds (t, resp.body->str))
          GST_INFO_OBJECT (t->log_obj, "S3 credentials from EC2 IMDSv2");
        g_free (url3);
        g_free (role);
      }
      g_free (url2);
      g_free (token);
    }
    if (err)
      GST_INFO_OBJECT (t->log_obj, "no EC2 instance credentials: %s",
          err->message);
    g_clear_error (&err);
    g_free (url);
    g_free (base);
  }
  resp_clear (&resp);
}

static gboolean
gcs_load_credentials (CsTarget * t, GError ** error)
{
  gchar *json = NULL;
  JsonParser *p;
  gboolean ok = FALSE;
  gchar *src = t->cfg.credentials ? g_strdup (t->cfg.credentials) :
      env_first ("GOOGLE_APPLICATION_CREDENTIALS", NULL);

  if (!src)
    return TRUE;                /* metadata server */
  g_strstrip (src);
  if (src[0] == '{') {
    json = src;
    src = NULL;
  } else if (!g_file_get_contents (src, &json, NULL, NULL)) {
    g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
        "cannot read the GCS credentials file '%s'", src);
    g_free (src);
    return FALSE;
  }
  p = json_parser_new ();
  if (json_parser_load_from_data (p, json, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p))) {
    JsonObject *o = json_node_get_object (json_parser_get_root (p));

    t->gcs_email = g_strdup (json_object_get_string_member_with_default (o,
            "client_email", NULL));
    t->gcs_key = g_strdup (json_object_get_string_member_with_default (o,
            "private_key", NULL));
    t->gcs_key_id = g_strdup (json_object_get_string_member_with_default (o,
            "private_key_id", NULL));
    t->gcs_token_uri =
        g_strdup (json_object_get_string_member_with_default (o, "token_uri",
            GCS_TOKEN_URI));
    ok = t->gcs_email && t->gcs_key;
  }
  if (!ok)
    g_set_error (error, CS_ERROR, CS_ERROR_INVALID, "the GCS credentials "
        "are not a service account key (JSON with client_email and "
        "private_key)");
  g_object_unref (p);
  memset (json, 0, strlen (json));
  g_free (json);
  g_free (src);
  return ok;
}

static gboolean
gcs_ensure_token (CsTarget * t, GError ** error)
{
  Resp resp;
  gboolean ok = FALSE;
  JsonParser *p;

  if (t->token && g_get_monotonic_time () < t->token_expiry)
    return TRUE;
  g_clear_pointer (&t->token, g_free);

  resp_init (&resp);
  if (t->gcs_email) {
    Req r = { 0, };
    gchar *jwt = cs_gcs_jwt_assertion (t->gcs_email, t->gcs_key,
        t->gcs_key_id, GCS_SCOPE, t->gcs_token_uri,
        g_get_real_time () / G_USEC_PER_SEC, error);
    gchar *body;

    if (!jwt) {
      resp_clear (&resp);
      return FALSE;
    }
    body = g_strdup_printf ("grant_type=urn%%3Aietf%%3Aparams%%3Aoauth%%3A"
        "grant-type%%3Ajwt-bearer&assertion=%s", jwt);
    r.method = "POST";
    r.url = g_strdup (t->gcs_token_uri);
    r.headers = g_ptr_array_new_with_free_func (g_free);
    req_header (&r, "Content-Type", "application/x-www-form-urlencoded");
    r.body = (const guint8 *) body;
    r.len = strlen (body);
    r.no_auth = TRUE;
    ok = request (t, &r, &resp, 0, error);
    req_clear (&r);
    g_free (body);
    g_free (jwt);
  } else {
    gchar *host = env_first ("GCE_METADATA_HOST", NULL);
    gchar *url = g_strdup_printf ("http://%s/computeMetadata/v1/instance/"
        "service-accounts/default/token",
        host ? host : "metadata.google.internal");
    const gchar *h[] = { "Metadata-Flavor", "Google", NULL };

    ok = simple_get (t, "GET", url, h, &resp, error);
    g_free (url);
    g_free (host);
  }
  if (!ok) {
    g_prefix_error (error, "GCS OAuth2 token: ");
    /* a refused key is an authorization failure, not a retry */
    if (error && *error && (*error)->code == CS_ERROR_FAILED)
      (*error)->code = CS_ERROR_AUTH;
    resp_clear (&resp);
    return FALSE;
  }

  ok = FALSE;
  p = json_parser_new ();
  if (json_parser_load_from_data (p, resp.body->str, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p))) {
    JsonObject *o = json_node_get_object (json_parser_get_root (p));
    const gchar *tok = json_object_get_string_member_with_default (o,
        "access_token", NULL);
    gint64 expires = json_object_get_int_member_with_default (o,
        "expires_in", 3600);

    if (tok) {
      t->token = g_strdup (tok);
      t->token_expiry = g_get_monotonic_time () +
          MAX (expires - 60, 30) * G_USEC_PER_SEC;
      ok = TRUE;
    }
  }
  g_object_unref (p);
  if (!ok)
    g_set_error (error, CS_ERROR, CS_ERROR_AUTH,
        "GCS OAuth2 token: no access_token in the reply");
  resp_clear (&resp);
  return ok;
}

/* ---------------------------------------------------------------- */

static gboolean
host_is_address (const gchar * host)
{
  GInetAddress *a;

  if (g_strcmp0 (host, "localhost") == 0)
    return TRUE;
  a = g_inet_address_new_from_string (host);
  if (a)
    g_object_unref (a);
  return a != NULL;
}

/* Sets origin, host, object_path and url from the endpoint. */
static void
setup_endpoint (CsTarget * t)
{
  CsProvider p = t->uri->provider;
  gchar *enc_key = cs_uri_encode (t->uri->key, TRUE);
  gchar *endpoint = NULL;
  gboolean virtual_host = FALSE;
  GUri *u;
  const gchar *base_path;
  gchar *host;

  if (t->cfg.endpoint) {
    endpoint = g_strdup (t->cfg.endpoint);
    if (!strstr (endpoint, "://")) {
      gchar *e = g_strdup_printf ("https://%s", endpoint);
      g_free (endpoint);
      endpoint = e;
    }
  }
  switch (p) {
    case CS_PROVIDER_S3:
      if (!endpoint)
        endpoint = g_strdup_printf ("https://s3.%s.amazonaws.com",
            t->cfg.region);
      virtual_host = !t->cfg.force_path_style;
      break;
    case CS_PROVIDER_OSS:
      if (!endpoint)
        endpoint = g_strdup_printf ("https://oss-%s.aliyuncs.com",
            t->cfg.region);
      virtual_host = !t->cfg.force_path_style;
      break;
    case CS_PROVIDER_GCS:
      if (!endpoint)
        endpoint = g_strdup ("https://storage.googleapis.com");
      break;
    case CS_PROVIDER_AZURE:
      if (!endpoint)
        endpoint = g_strdup_printf ("https://%s.blob.core.windows.net",
            t->cfg.account_name);
      break;
    case CS_PROVIDER_FILE:
      g_free (enc_key);
      return;
  }

  u = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  if (u == NULL) {
    /* reported in cs_target_begin/put_object via an empty origin */
    g_free (endpoint);
    g_free (enc_key);
    return;
  }
  host = g_strdup (g_uri_get_host (u));
  if (virtual_host && host_is_address (host))
    virtual_host = FALSE;       /* an IP or localhost: path-style only */
  if (virtual_host) {
    gchar *h = g_strdup_printf ("%s.%s", t->uri->bucket, host);
    g_free (host);
    host = h;
  }
  if (g_uri_get_port (u) > 0)
    t->host = g_strdup_printf ("%s:%d", host, g_uri_get_port (u));
  else
    t->host = g_strdup (host);
  t->origin = g_strdup_printf ("%s://%s", g_uri_get_scheme (u), t->host);
  base_path = g_uri_get_path (u);
  t->base_path = g_strdup (base_path);
  while (g_str_has_suffix (t->base_path, "/"))
    t->base_path[strlen (t->base_path) - 1] = '\0';
  base_path = t->base_path;
  if (virtual_host)
    t->object_path = g_strdup_printf ("%s/%s", base_path, enc_key);
  else
    t->object_path = g_strdup_printf ("%s/%s/%s", base_path, t->uri->bucket,
        enc_key);
  t->url = g_strdup_printf ("%s%s", t->origin, t->object_path);
  g_free (host);
  g_uri_unref (u);
  g_free (endpoint);
  g_free (enc_key);
}

CsTarget *
cs_target_new (const CsUri * uri, const CsConfig * cfg, CsCancel * cancel,
    GstObject * log_obj)
{
  static gsize once = 0;
  CsTarget *t = g_new0 (CsTarget, 1);

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (cs_target_debug, "cloudstoragetarget", 0,
        "cloudstoragesink requests");
    curl_global_init (CURL_GLOBAL_DEFAULT);
    g_once_init_leave (&once, 1);
  }
  t->uri = cs_uri_copy (uri);
  t->cancel = cancel;
  t->log_obj = log_obj;
  t->fd = -1;
  t->etags = g_ptr_array_new_with_free_func (g_free);
  t->conns = g_ptr_array_new_with_free_func (conn_free);
  g_mutex_init (&t->lock);
  g_mutex_init (&t->token_lock);

  t->cfg = *cfg;
  t->cfg.access_key = g_strdup (cfg->access_key);
  t->cfg.secret_key = g_strdup (cfg->secret_key);
  t->cfg.session_token = g_strdup (cfg->session_token);
  t->cfg.region = g_strdup (cfg->region);
  t->cfg.endpoint = g_strdup (cfg->endpoint);
  t->cfg.account_name = g_strdup (cfg->account_name);
  t->cfg.account_key = g_strdup (cfg->account_key);
  t->cfg.credentials = g_strdup (cfg->credentials);
  t->cfg.metadata = cfg->metadata ? gst_structure_copy (cfg->metadata) : NULL;
  t->cfg.tagging = g_strdup (cfg->tagging);
  t->cfg.content_type = g_strdup (cfg->content_type);
  t->cfg.content_disposition = g_strdup (cfg->content_disposition);
  t->cfg.proxy = g_strdup (cfg->proxy);
  t->cfg.proxy_username = g_strdup (cfg->proxy_username);
  t->cfg.proxy_password = g_strdup (cfg->proxy_password);

  if (uri->provider == CS_PROVIDER_FILE) {
    gchar *abs = g_canonicalize_filename (uri->key, NULL);

    t->url = g_filename_to_uri (abs, NULL, NULL);
    if (!t->url)
      t->url = g_strdup (abs);
    g_free (abs);
    return t;
  }

  if (uri->provider == CS_PROVIDER_AZURE) {
    if (!t->cfg.account_name)
      t->cfg.account_name = env_first ("AZURE_STORAGE_ACCOUNT", NULL);
    if (!t->cfg.account_key)
      t->cfg.account_key = env_first ("AZURE_STORAGE_KEY", NULL);
  }
  if (!t->cfg.region) {
    if (uri->provider == CS_PROVIDER_OSS)
      t->cfg.region = env_first ("OSS_REGION", NULL);
    else
      t->cfg.region = env_first ("AWS_REGION", "AWS_DEFAULT_REGION");
  }
  if (uri->provider == CS_PROVIDER_GCS) {
    /* HMAC keys select the XML API (S3-compatible, SigV4) */
    t->gcs_hmac = t->cfg.access_key && t->cfg.secret_key;
    if (t->gcs_hmac && !cfg->region) {
      g_free (t->cfg.region);
      t->cfg.region = g_strdup ("auto");
    }
  }
  if (!t->cfg.region)
    t->cfg.region = g_strdup (uri->provider == CS_PROVIDER_OSS ?
        "cn-hangzhou" : "us-east-1");
  if (!t->cfg.endpoint && uri->provider == CS_PROVIDER_S3)
    t->cfg.endpoint = env_first ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
  setup_endpoint (t);
  return t;
}

void
cs_target_free (CsTarget * t)
{
  if (t->fd >= 0)
    close (t->fd);
  g_ptr_array_unref (t->conns);
  g_mutex_clear (&t->lock);
  g_mutex_clear (&t->token_lock);
  cs_config_clear (&t->cfg);
  cs_uri_free (t->uri);
  g_free (t->origin);
  g_free (t->host);
  g_free (t->object_path);
  g_free (t->base_path);
  g_free (t->url);
  g_free (t->upload_id);
  g_ptr_array_unref (t->etags);
  g_free (t->part_path);
  g_free (t->gcs_email);
  if (t->gcs_key)
    memset (t->gcs_key, 0, strlen (t->gcs_key));
  g_free (t->gcs_key);
  g_free (t->gcs_key_id);
  g_free (t->gcs_token_uri);
  g_free (t->token);
  g_free (t);
}

const gchar *
cs_target_url (CsTarget * t)
{
  return t->url ? t->url : "";
}

const CsUri *
cs_target_uri (CsTarget * t)
{
  return t->uri;
}

guint
cs_target_max_parallel (CsTarget * t)
{
  if (t->uri->provider == CS_PROVIDER_FILE || gcs_session (t))
    return 1;
  return G_MAXUINT;
}

void
cs_target_give_up (CsTarget * t)
{
  g_atomic_int_set (&t->given_up, 1);
}

gboolean
cs_target_can_rewrite_parts (CsTarget * t)
{
  return !gcs_session (t);
}

guint64
cs_target_part_align (CsTarget * t)
{
  return t->uri->provider == CS_PROVIDER_GCS && !t->gcs_hmac ? 262144 : 1;
}

guint
cs_target_requests (CsTarget * t)
{
  return g_atomic_int_get (&t->requests);
}

guint
cs_target_retries (CsTarget * t)
{
  return g_atomic_int_get (&t->retries);
}

/* Checks what every network request needs. */
static gboolean
check_ready (CsTarget * t, GError ** error)
{
  CsProvider p = t->uri->provider;
  const gchar *pname = cs_provider_name (p);

  if (!t->origin) {
    g_set_error (error, CS_ERROR, CS_ERROR_INVALID, "%s endpoint '%s' is "
        "not a valid URL", pname, t->cfg.endpoint ? t->cfg.endpoint : "");
    return FALSE;
  }
  if (p == CS_PROVIDER_S3 || p == CS_PROVIDER_OSS) {
    s3_resolve_credentials (t);
    if (!t->cfg.access_key || !t->cfg.secret_key) {
      g_set_error (error, CS_ERROR, CS_ERROR_AUTH, "no %s credentials: set "
          "access-key and secret-key (or %s)", pname,
          p == CS_PROVIDER_S3 ? "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a "
          "container or EC2 instance role" :
          "OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET");
      return FALSE;
    }
  } else if (p == CS_PROVIDER_AZURE) {
    if (!t->cfg.account_name || !t->cfg.account_key) {
      g_set_error (error, CS_ERROR, CS_ERROR_AUTH, "no Azure credentials: "
          "set account-name and account-key (or AZURE_STORAGE_ACCOUNT and "
          "AZURE_STORAGE_KEY)");
      return FALSE;
    }
  } else if (p == CS_PROVIDER_GCS && !t->gcs_hmac && !t->gcs_email) {
    if (!gcs_load_credentials (t, error))
      return FALSE;
  }
  return TRUE;
}

static void
req_init (CsTarget * t, Req * r, const gchar * method, const gchar * url,
    const gchar * path, const gchar * const *query)
{
  gchar *q = NULL;

  memset (r, 0, sizeof (*r));
  r->method = method;
  r->query = g_strdupv ((gchar **) query);
  r->path = g_strdup (path);
  r->headers = g_ptr_array_new_with_free_func (g_free);
  if (query && query[0]) {
    if (t->uri->provider == CS_PROVIDER_OSS) {
      GString *s = g_string_new (NULL);
      guint i;

      for (i = 0; query[i] && query[i + 1]; i += 2) {
        gchar *v = cs_uri_encode (query[i + 1], FALSE);
        g_string_append_printf (s, "%s%s%s%s", i ? "&" : "", query[i],
            *v ? "=" : "", v);
        g_free (v);
      }
      q = g_string_free (s, FALSE);
    } else {
      q = cs_canonical_query (query);
    }
  }
  r->url = q ? g_strdup_printf ("%s?%s", url, q) : g_strdup (url);
  g_free (q);
}

/* Content-Type, disposition, metadata and tags as the provider names
 * them. */
static void
add_object_headers (CsTarget * t, Req * r, gboolean azure_commit)
{
  CsProvider p = t->uri->provider;
  gboolean goog = p == CS_PROVIDER_GCS && !t->gcs_hmac;
  const gchar *meta = p == CS_PROVIDER_AZURE ? "x-ms-meta-" :
      p == CS_PROVIDER_OSS ? "x-oss-meta-" : goog ? "x-goog-meta-" :
      "x-amz-meta-";
  guint i, n;

  if (t->cfg.content_type)
    req_header (r, azure_commit ? "x-ms-blob-content-type" : "Content-Type",
        t->cfg.content_type);
  if (t->cfg.content_disposition)
    req_header (r, p == CS_PROVIDER_AZURE ? "x-ms-blob-content-disposition" :
        "Content-Disposition", t->cfg.content_disposition);
  /* GCS has no object tags */
  if (t->cfg.tagging && !goog)
    req_header (r, p == CS_PROVIDER_AZURE ? "x-ms-tags" :
        p == CS_PROVIDER_OSS ? "x-oss-tagging" : "x-amz-tagging",
        t->cfg.tagging);
  n = t->cfg.metadata ? gst_structure_n_fields (t->cfg.metadata) : 0;
  for (i = 0; i < n; i++) {
    const gchar *field = gst_structure_nth_field_name (t->cfg.metadata, i);
    const GValue *v = gst_structure_get_value (t->cfg.metadata, field);
    gchar *name = g_strdup_printf ("%s%s", meta, field);
    gchar *value = G_VALUE_HOLDS_STRING (v) ? g_value_dup_string (v) :
        gst_value_serialize (v);

    req_header (r, name, value);
    g_free (name);
    g_free (value);
  }
}

/* ---------------------------------------------------------------- */
/* local files                                                      */

gboolean
cs_mkdirs_for (const gchar * path, GError ** error)
{
  gchar *dir = g_path_get_dirname (path);
  gboolean ok = g_mkdir_with_parents (dir, 0755) == 0;

  if (!ok)
    g_set_error (error, CS_ERROR, CS_ERROR_FAILED,
        "cannot create directory '%s': %s", dir, g_strerror (errno));
  g_free (dir);
  return ok;
}

/* Copies @len bytes at @offset of @fd to the same offset of the .part
 * file. */
static gboolean
file_copy_at (CsTarget * t, gint fd, guint64 offset, guint64 len,
    GError ** error)
{
  gsize bufsize = 1024 * 1024;
  guint8 *buf = g_malloc (bufsize);
  gboolean ok = FALSE;

  while (len > 0) {
    ssize_t n = spool_pread (fd, buf, MIN (bufsize, len), offset, error);
    ssize_t w = 0;

    if (n < 0)
      goto done;
    while (w < n) {
      ssize_t m = pwrite (t->fd, buf + w, n - w, offset + w);

      if (m < 0 && errno == EINTR)
        continue;
      if (m <= 0) {
        g_set_error (error, CS_ERROR, CS_ERROR_FAILED,
            "cannot write to '%s': %s", t->part_path, g_strerror (errno));
        goto done;
      }
      w += m;
    }
    offset += n;
    len -= n;
  }
  ok = TRUE;
done:
  g_free (buf);
  return ok;
}

static void
req_body_file (Req * r, gint fd, guint64 offset, guint64 len)
{
  r->body = NULL;
  r->body_in_file = TRUE;
  r->body_fd = fd;
  r->body_offset = offset;
  r->len = len;
}

/* ---------------------------------------------------------------- */

static gchar *
gcs_upload_url (CsTarget * t)
{
  gchar *enc_bucket = cs_uri_encode (t->uri->bucket, FALSE);
  gchar *url = g_strdup_printf ("%s%s/upload/storage/v1/b/%s/o", t->origin,
      t->base_path, enc_bucket);

  g_free (enc_bucket);
  return url;
}

static gchar *
gcs_metadata_json (CsTarget * t)
{
  JsonBuilder *b = json_builder_new ();
  JsonGenerator *g = json_generator_new ();
  JsonNode *root;
  gchar *s;
  guint i, n;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, t->uri->key);
  if (t->cfg.content_type) {
    json_builder_set_member_name (b, "contentType");
    json_builder_add_string_value (b, t->cfg.content_type);
  }
  if (t->cfg.content_disposition) {
    json_builder_set_member_name (b, "contentDisposition");
    json_builder_add_string_value (b, t->cfg.content_disposition);
  }
  n = t->cfg.metadata ? gst_structure_n_fields (t->cfg.metadata) : 0;
  if (n) {
    json_builder_set_member_name (b, "metadata");
    json_builder_begin_object (b);
    for (i = 0; i < n; i++) {
      const gchar *f = gst_structure_nth_field_name (t->cfg.metadata, i);
      const GValue *v = gst_structure_get_value (t->cfg.metadata, f);
      gchar *value = G_VALUE_HOLDS_STRING (v) ? g_value_dup_string (v) :
          gst_value_serialize (v);

      json_builder_set_member_name (b, f);
      json_builder_add_string_value (b, value);
      g_free (value);
    }
    json_builder_end_object (b);
  }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (g, root);
  s = json_generator_to_data (g, NULL);
  json_node_unref (root);
  g_object_unref (g);
  g_object_unref (b);
  return s;
}

gboolean
cs_target_put_object (CsTarget * t, gint fd, guint64 len,
    const gchar * sha256, GError ** error)
{
  CsProvider p = t->uri->provider;
  Req r;
  Resp resp;
  gboolean ok;

  if (p == CS_PROVIDER_FILE)
    return cs_target_begin (t, error) &&
        file_copy_at (t, fd, 0, len, error) &&
        cs_target_complete (t, 1, len, error);
  if (!check_ready (t, error))
    return FALSE;

  if (p == CS_PROVIDER_GCS && !t->gcs_hmac) {
    gchar *url;
    const gchar *q[] = { "uploadType", "media", "name", t->uri->key, NULL };

    if (t->cfg.metadata || t->cfg.content_disposition) {
      /* only a resumable session carries metadata: one chunk */
      t->gcs_resumable = TRUE;
      ok = cs_target_begin (t, error) &&
          cs_target_put_part (t, 1, fd, 0, len, TRUE, error);
      if (!ok)
        cs_target_abort (t);
      t->gcs_resumable = FALSE;
      return ok;
    }
    url = gcs_upload_url (t);
    req_init (t, &r, "POST", url, NULL, q);
    req_header (&r, "Content-Type", t->cfg.content_type ?
        t->cfg.content_type : "application/octet-stream");
    g_free (url);
  } else {
    req_init (t, &r, "PUT", t->url, t->object_path, NULL);
    if (p == CS_PROVIDER_AZURE)
      req_header (&r, "x-ms-blob-type", "BlockBlob");
    add_object_headers (t, &r, FALSE);
  }
  req_body_file (&r, fd, 0, len);
  r.payload_hash = g_strdup (sha256);
  resp_init (&resp);
  ok = request (t, &r, &resp, 0, error);
  resp_clear (&resp);
  req_clear (&r);
  return ok;
}

gboolean
cs_target_begin (CsTarget * t, GError ** error)
{
  CsProvider p = t->uri->provider;
  Req r;
  Resp resp;
  gboolean ok;

  g_ptr_array_set_size (t->etags, 0);
  g_clear_pointer (&t->upload_id, g_free);

  if (p == CS_PROVIDER_FILE) {
    if (!cs_mkdirs_for (t->uri->key, error))
      return FALSE;
    g_free (t->part_path);
    t->part_path = g_strdup_printf ("%s.part", t->uri->key);
    if (t->fd >= 0)
      close (t->fd);
    t->fd = g_open (t->part_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
        0644);
    if (t->fd < 0) {
      g_set_error (error, CS_ERROR, CS_ERROR_FAILED,
          "cannot open '%s' for writing: %s", t->part_path,
          g_strerror (errno));
      return FALSE;
    }
    return TRUE;
  }
  if (!check_ready (t, error))
    return FALSE;
  if (p == CS_PROVIDER_AZURE)
    return TRUE;                /* blocks need no session */

  resp_init (&resp);
  if (gcs_session (t)) {
    gchar *url = gcs_upload_url (t);
    const gchar *q[] = { "uploadType", "resumable", "name", t->uri->key,
      NULL
    };
    gchar *json = gcs_metadata_json (t);
    const gchar *loc;

    req_init (t, &r, "POST", url, NULL, q);
    req_header (&r, "Content-Type", "application/json; charset=UTF-8");
    if (t->cfg.content_type)
      req_header (&r, "X-Upload-Content-Type", t->cfg.content_type);
    r.body = (const guint8 *) json;
    r.len = strlen (json);
    ok = request (t, &r, &resp, 0, error);
    loc = g_hash_table_lookup (resp.headers, "location");
    if (ok && !loc) {
      g_set_error (error, CS_ERROR, CS_ERROR_FAILED, "GCS resumable upload: "
          "no session Location in the reply");
      ok = FALSE;
    }
    if (ok)
      t->upload_id = g_strdup (loc);
    g_free (json);
    g_free (url);
  } else {
    const gchar *q[] = { "uploads", "", NULL };

    req_init (t, &r, "POST", t->url, t->object_path, q);
    add_object_headers (t, &r, FALSE);
    if (!t->cfg.content_type)
      req_header (&r, "Content-Type", "application/octet-stream");
    ok = request (t, &r, &resp, 0, error);
    if (ok) {
      t->upload_id = xml_tag (resp.body->str, "UploadId");
      if (!t->upload_id) {
        g_set_error (error, CS_ERROR, CS_ERROR_FAILED, "%s multipart upload: "
            "no UploadId in the reply", cs_provider_name (p));
        ok = FALSE;
      }
    }
  }
  req_clear (&r);
  resp_clear (&resp);
  return ok;
}

static gchar *
azure_block_id (guint part)
{
  gchar *raw = g_strdup_printf ("gst-egress-block-%06u", part);
  gchar *id = g_base64_encode ((const guchar *) raw, strlen (raw));

  g_free (raw);
  return id;
}

/* Bytes the GCS session holds ("Range: bytes=0-N" of a 308; none: 0). */
static guint64
gcs_persisted (Resp * resp)
{
  const gchar *range = g_hash_table_lookup (resp->headers, "range");

  if (range && g_str_has_prefix (range, "bytes=0-"))
    return g_ascii_strtoull (range + 8, NULL, 10) + 1;
  return 0;
}

/* One PUT to the session: bytes [start, end) of the object, the total when
 * last. */
static gboolean
gcs_send (CsTarget * t, guint64 start, guint64 end, gint fd,
    gboolean last, gboolean query, Resp * resp, GError ** error)
{
  Req r;
  gchar *range;
  gboolean ok;

  if (query)
    range = last ? g_strdup_printf ("bytes */%" G_GUINT64_FORMAT, end) :
        g_strdup ("bytes */*");
  else if (start == end)
    range = g_strdup_printf ("bytes */%" G_GUINT64_FORMAT, end);
  else
    range = last ? g_strdup_printf ("bytes %" G_GUINT64_FORMAT "-%"
        G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, start, end - 1, end) :
        g_strdup_printf ("bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
        "/*", start, end - 1);
  req_init (t, &r, "PUT", t->upload_id, NULL, NULL);
  req_header (&r, "Content-Range", range);
  g_free (range);
  if (!query)
    req_body_file (&r, fd, start, end - start);
  resp_reset (resp);
  ok = sign (t, &r, error) && send_once (t, &r, resp, 308, error);
  req_clear (&r);
  return ok;
}

/* A chunk of a GCS resumable session.  After a failure (or a reply that
 * kept fewer bytes) the session is asked what it holds and the upload goes
 * on from there, so no byte is sent twice into the object. */
static gboolean
gcs_put_chunk (CsTarget * t, gint fd, guint64 offset, guint64 len,
    gboolean last, GError ** error)
{
  guint64 end = offset + len, pos = offset;
  guint attempt = 0;
  Resp resp;
  gboolean ok = FALSE;

  resp_init (&resp);
  for (;;) {
    GError *err = NULL;

    if (gcs_send (t, pos, end, fd, last, FALSE, &resp, &err)) {
      if (resp.status != 308) {
        ok = TRUE;              /* 200/201: the object is complete */
        break;
      }
      pos = MAX (pos, gcs_persisted (&resp));
      if (pos >= end && !last) {
        ok = TRUE;
        break;
      }
      GST_INFO_OBJECT (t->log_obj, "GCS kept %" G_GUINT64_FORMAT " of %"
          G_GUINT64_FORMAT " bytes: sending the rest", pos, end);
      continue;
    }
    if (!g_error_matches (err, CS_ERROR, CS_ERROR_TRANSIENT) ||
        ++attempt > t->cfg.max_retries) {
      if (attempt > 1)
        g_prefix_error (&err, "after %u attempts: ", attempt);
      g_propagate_error (error, err);
      break;
    }
    if (!retry_backoff (t, attempt, err, error))
      break;
    /* what did the session keep? */
    if (gcs_send (t, pos, end, -1, last, TRUE, &resp, NULL)) {
      if (resp.status != 308) {
        ok = TRUE;
        break;
      }
      pos = MAX (offset, MIN (end, gcs_persisted (&resp)));
      GST_INFO_OBJECT (t->log_obj, "GCS session holds %" G_GUINT64_FORMAT
          " bytes", gcs_persisted (&resp));
    }
  }
  resp_clear (&resp);
  return ok;
}

gboolean
cs_target_put_part (CsTarget * t, guint part, gint fd, guint64 offset,
    guint64 len, gboolean last, GError ** error)
{
  CsProvider p = t->uri->provider;
  Req r;
  Resp resp;
  gboolean ok;

  if (p == CS_PROVIDER_FILE)
    return file_copy_at (t, fd, offset, len, error);
  if (gcs_session (t))
    return gcs_put_chunk (t, fd, offset, len, last, error);

  resp_init (&resp);
  if (p == CS_PROVIDER_AZURE) {
    gchar *id = azure_block_id (part);
    const gchar *q[] = { "comp", "block", "blockid", id, NULL };

    req_init (t, &r, "PUT", t->url, t->object_path, q);
    g_free (id);
  } else {
    gchar *num = g_strdup_printf ("%u", part);
    const gchar *q[] = { "partNumber", num, "uploadId", t->upload_id, NULL };

    req_init (t, &r, "PUT", t->url, t->object_path, q);
    g_free (num);
  }
  req_body_file (&r, fd, offset, len);
  ok = request (t, &r, &resp, 0, error);

  if (ok && (p == CS_PROVIDER_S3 || p == CS_PROVIDER_OSS ||
          p == CS_PROVIDER_GCS)) {
    const gchar *etag = g_hash_table_lookup (resp.headers, "etag");

    if (!etag) {
      g_set_error (error, CS_ERROR, CS_ERROR_FAILED,
          "%s part %u: no ETag in the reply", cs_provider_name (p), part);
      ok = FALSE;
    } else {
      g_mutex_lock (&t->lock);
      if (t->etags->len < part)
        g_ptr_array_set_size (t->etags, part);
      g_free (g_ptr_array_index (t->etags, part - 1));
      g_ptr_array_index (t->etags, part - 1) = g_strdup (etag);
      g_mutex_unlock (&t->lock);
    }
  }
  req_clear (&r);
  resp_clear (&resp);
  return ok;
}

gboolean
cs_target_complete (CsTarget * t, guint n_parts, guint64 size,
    GError ** error)
{
  CsProvider p = t->uri->provider;
  GString *xml;
  Req r;
  Resp resp;
  gboolean ok;
  guint i;

  if (p == CS_PROVIDER_FILE) {
    if (fsync (t->fd) != 0 || ftruncate (t->fd, size) != 0 ||
        close (t->fd) != 0) {
      g_set_error (error, CS_ERROR, CS_ERROR_FAILED,
          "cannot finish '%s': %s", t->part_path, g_strerror (errno));
      t->fd = -1;
      return FALSE;
    }
    t->fd = -1;
    if (g_rename (t->part_path, t->uri->key) != 0) {
      g_set_error (error, CS_ERROR, CS_ERROR_FAILED,
          "cannot rename '%s' to '%s': %s", t->part_path, t->uri->key,
          g_strerror (errno));
      return FALSE;
    }
    return TRUE;
  }
  if (gcs_session (t))
    return TRUE;                /* the last chunk finished the session */

  g_mutex_lock (&t->lock);
  xml = g_string_new (NULL);
  resp_init (&resp);
  if (p == CS_PROVIDER_AZURE) {
    const gchar *q[] = { "comp", "blocklist", NULL };

    g_string_append (xml, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        "<BlockList>");
    for (i = 1; i <= n_parts; i++) {
      gchar *id = azure_block_id (i);
      g_string_append_printf (xml, "<Latest>%s</Latest>", id);
      g_free (id);
    }
    g_string_append (xml, "</BlockList>");
    req_init (t, &r, "PUT", t->url, t->object_path, q);
    add_object_headers (t, &r, TRUE);
    req_header (&r, "Content-Type", "application/xml");
  } else {
    const gchar *q[] = { "uploadId", t->upload_id, NULL };

    g_string_append (xml, "<CompleteMultipartUpload>");
    for (i = 1; i <= n_parts; i++) {
      const gchar *etag = i <= t->etags->len ?
          g_ptr_array_index (t->etags, i - 1) : NULL;

      if (!etag) {
        g_mutex_unlock (&t->lock);
        g_set_error (error, CS_ERROR, CS_ERROR_FAILED,
            "%s multipart upload: part %u was never uploaded",
            cs_provider_name (p), i);
        g_string_free (xml, TRUE);
        resp_clear (&resp);
        return FALSE;
      }
      g_string_append_printf (xml, "<Part><PartNumber>%u</PartNumber>"
          "<ETag>%s</ETag></Part>", i, etag);
    }
    g_string_append (xml, "</CompleteMultipartUpload>");
    req_init (t, &r, "POST", t->url, t->object_path, q);
    req_header (&r, "Content-Type", "application/xml");
  }
  g_mutex_unlock (&t->lock);
  r.body = (const guint8 *) xml->str;
  r.len = xml->len;
  ok = request (t, &r, &resp, 0, error);
  /* S3 may answer 200 with an error inside */
  if (ok && p != CS_PROVIDER_AZURE && strstr (resp.body->str, "<Error>")) {
    gchar *why = error_reason (resp.body->str);

    g_set_error (error, CS_ERROR, CS_ERROR_FAILED,
        "%s completing the multipart upload: %s", cs_provider_name (p), why);
    g_free (why);
    ok = FALSE;
  }
  req_clear (&r);
  resp_clear (&resp);
  g_string_free (xml, TRUE);
  return ok;
}

/* Best effort, no retries: a lifecycle rule cleans up what is left. */
void
cs_target_abort (CsTarget * t)
{
  CsProvider p = t->uri->provider;
  Req r;
  Resp resp;
  GError *err = NULL;

  /* the parts in flight have all ended */
  g_atomic_int_set (&t->given_up, 0);
  if (p == CS_PROVIDER_FILE) {
    if (t->fd >= 0) {
      close (t->fd);
      t->fd = -1;
    }
    if (t->part_path)
      g_unlink (t->part_path);
    return;
  }
  if (!t->upload_id || p == CS_PROVIDER_AZURE)
    return;
  resp_init (&resp);
  if (gcs_session (t)) {
    req_init (t, &r, "DELETE", t->upload_id, NULL, NULL);
  } else {
    const gchar *q[] = { "uploadId", t->upload_id, NULL };
    req_init (t, &r, "DELETE", t->url, t->object_path, q);
  }
  if (sign (t, &r, &err))
    send_once (t, &r, &resp, 499, &err);
  if (err)
    GST_INFO_OBJECT (t->log_obj, "abort: %s", err->message);
  g_clear_error (&err);
  g_clear_pointer (&t->upload_id, g_free);
  req_clear (&r);
  resp_clear (&resp);
}

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

#include "csuri.h"

G_DEFINE_QUARK (cs-error-quark, cs_error);

const gchar *
cs_provider_name (CsProvider provider)
{
  switch (provider) {
    case CS_PROVIDER_FILE:
      return "file";
    case CS_PROVIDER_S3:
      return "S3";
    case CS_PROVIDER_GCS:
      return "GCS";
    case CS_PROVIDER_AZURE:
      return "Azure";
    case CS_PROVIDER_OSS:
      return "OSS";
  }
  return "unknown";
}

static const struct
{
  const gchar *scheme;
  CsProvider provider;
  const gchar *what;
} schemes[] = {
  {"s3", CS_PROVIDER_S3, "bucket"},
  {"gs", CS_PROVIDER_GCS, "bucket"},
  {"azure", CS_PROVIDER_AZURE, "container"},
  {"oss", CS_PROVIDER_OSS, "bucket"},
};

static gboolean
valid_bucket (const gchar * b)
{
  const gchar *p;

  if (!*b)
    return FALSE;
  for (p = b; *p; p++) {
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  }
  return TRUE;
}

/* Locations are taken as written: no percent-decoding, so a %05d index
 * pattern survives in every scheme. */
CsUri *
cs_uri_parse (const gchar * location, GError ** error)
{
  const gchar *sep;
  CsUri *uri;
  guint i;

  if (location == NULL || *location == '\0') {
    g_set_error (error, CS_ERROR, CS_ERROR_INVALID, "No location set");
    return NULL;
  }

  sep = strstr (location, "://");
  if (sep != NULL) {
    const gchar *p;
    gboolean is_scheme = sep > location && g_ascii_isalpha (*location);

    for (p = location; p < sep && is_scheme; p++) {
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '-' && *p != '.')
        is_scheme = FALSE;
    }
    if (!is_scheme)
      sep = NULL;
  }

  if (sep == NULL) {
    /* a plain path */
    uri = g_new0 (CsUri, 1);
    uri->provider = CS_PROVIDER_FILE;
    uri->key = g_strdup (location);
    return uri;
  }

  if (g_ascii_strncasecmp (location, "file", sep - location) == 0 &&
      sep - location == 4) {
    const gchar *path = sep + 3;

    if (g_str_has_prefix (path, "localhost/"))
      path += strlen ("localhost");
    if (*path != '/') {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
          "file location '%s' must be file:///absolute/path", location);
      return NULL;
    }
    uri = g_new0 (CsUri, 1);
    uri->provider = CS_PROVIDER_FILE;
    uri->key = g_strdup (path);
    return uri;
  }

  for (i = 0; i < G_N_ELEMENTS (schemes); i++) {
    const gchar *rest, *slash;

    if (strlen (schemes[i].scheme) != (gsize) (sep - location) ||
        g_ascii_strncasecmp (location, schemes[i].scheme, sep - location))
      continue;

    rest = sep + 3;
    slash = strchr (rest, '/');
    if (slash == rest || *rest == '\0') {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
          "location '%s' has no %s name (%s://%s/key)", location,
          schemes[i].what, schemes[i].scheme, schemes[i].what);
      return NULL;
    }
    if (slash == NULL || slash[1] == '\0') {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
          "location '%s' has no object name after the %s", location,
          schemes[i].what);
      return NULL;
    }
    if (g_str_has_suffix (slash, "/")) {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
          "location '%s' ends with '/': it names a folder, not an object",
          location);
      return NULL;
    }
    uri = g_new0 (CsUri, 1);
    uri->provider = schemes[i].provider;
    uri->bucket = g_strndup (rest, slash - rest);
    uri->key = g_strdup (slash + 1);
    if (!valid_bucket (uri->bucket)) {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
          "location '%s': '%s' is not a valid %s name", location,
          uri->bucket, schemes[i].what);
      cs_uri_free (uri);
      return NULL;
    }
    return uri;
  }

  g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
      "location '%s' has an unsupported scheme '%.*s' (use s3://, gs://, "
      "azure://, oss://, file:// or a plain path)", location,
      (int) (sep - location), location);
  return NULL;
}

CsUri *
cs_uri_copy (const CsUri * uri)
{
  CsUri *c = g_new0 (CsUri, 1);

  c->provider = uri->provider;
  c->bucket = g_strdup (uri->bucket);
  c->key = g_strdup (uri->key);
  return c;
}

void
cs_uri_free (CsUri * uri)
{
  if (uri == NULL)
    return;
  g_free (uri->bucket);
  g_free (uri->key);
  g_free (uri);
}

gchar *
cs_uri_to_string (const CsUri * uri)
{
  guint i;

  if (uri->provider == CS_PROVIDER_FILE)
    return g_strdup (uri->key);
  for (i = 0; i < G_N_ELEMENTS (schemes); i++) {
    if (schemes[i].provider == uri->provider)
      return g_strdup_printf ("%s://%s/%s", schemes[i].scheme, uri->bucket,
          uri->key);
  }
  g_return_val_if_reached (NULL);
}

/* Checks the printf-like part of a location: '%%' and at most one
 * '%[0][width]d' (also i/u) are allowed, nothing else. */
gboolean
cs_location_check_pattern (const gchar * location, gboolean * has_index,
    GError ** error)
{
  const gchar *p;
  guint n = 0;

  for (p = location; *p; p++) {
    if (*p != '%')
      continue;
    p++;
    if (*p == '%')
      continue;
    while (g_ascii_isdigit (*p))
      p++;
    if (*p != 'd' && *p != 'i' && *p != 'u') {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
          "location '%s': only %%d-style index patterns (like %%05d) and "
          "%%%% are allowed", location);
      return FALSE;
    }
    n++;
  }
  if (n > 1) {
    g_set_error (error, CS_ERROR, CS_ERROR_INVALID,
        "location '%s' has more than one index pattern", location);
    return FALSE;
  }
  if (has_index)
    *has_index = n == 1;
  return TRUE;
}

/* Expands the index pattern; the location must have passed
 * cs_location_check_pattern(). */
gchar *
cs_location_format (const gchar * location, guint index)
{
  GString *s = g_string_new (NULL);
  const gchar *p;

  for (p = location; *p; p++) {
    gboolean zero = FALSE;
    guint width = 0;
    gsize len;
    gchar *num;

    if (*p != '%') {
      g_string_append_c (s, *p);
      continue;
    }
    p++;
    if (*p == '%') {
      g_string_append_c (s, '%');
      continue;
    }
    if (*p == '0')
      zero = TRUE;
    while (g_ascii_isdigit (*p)) {
      width = width * 10 + (*p - '0');
      width = MIN (width, 64);
      p++;
    }
    num = g_strdup_printf ("%u", index);
    for (len = strlen (num); len < width; len++)
      g_string_append_c (s, zero ? '0' : ' ');
    g_string_append (s, num);
    g_free (num);
  }
  return g_string_free (s, FALSE);
}

/* Percent-encodes everything but the unreserved characters A-Z a-z 0-9
 * - _ . ~ (and '/' when keep_slash), with upper-case hex: the encoding AWS
 * SigV4 canonicalises to, accepted by every provider. */
gchar *
cs_uri_encode (const gchar * s, gboolean keep_slash)
{
  GString *out = g_string_sized_new (strlen (s) + 8);
  const guchar *p;

  for (p = (const guchar *) s; *p; p++) {
    if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.' ||
        *p == '~' || (keep_slash && *p == '/'))
      g_string_append_c (out, *p);
    else
      g_string_append_printf (out, "%%%02X", *p);
  }
  return g_string_free (out, FALSE);
}

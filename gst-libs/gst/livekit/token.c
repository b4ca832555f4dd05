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
 * SECTION:gstlivekittoken
 * @title: Access tokens
 * @short_description: mint and verify LiveKit access tokens
 *
 * A LiveKit access token is a JSON Web Token signed with HMAC-SHA256: the
 * API key goes into `iss`, its secret is the HMAC key, and the LiveKit
 * claims (identity in `sub`, the `video` grant, name, metadata, kind...)
 * sit next to the registered ones (`nbf`, `exp`).
 *
 * gst_livekit_token_mint() writes a token from a #GstLiveKitTokenClaims;
 * a #GstLiveKitTokenVerifier holds API keys and their secrets and checks a
 * token completely: shape, base64url, JSON, algorithm (HS256 only), key,
 * signature (compared in constant time), claim types and validity times.
 * Each failure is a #GST_LIVEKIT_TOKEN_ERROR with its own code.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "token.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* Longest token we look at: metadata may be large, but not this large. */
#define MAX_TOKEN_LEN (1024 * 1024)
/* Claims nest three levels; roomConfig a few more. */
#define MAX_JSON_DEPTH 64
#define SHA256_LEN 32

struct _GstLiveKitTokenVerifier
{
  GHashTable *keys;             /* api key -> secret */
  guint leeway;
};

G_DEFINE_QUARK (gst-livekit-token-error-quark, gst_livekit_token_error);

G_DEFINE_BOXED_TYPE (GstLiveKitTokenClaims, gst_livekit_token_claims,
    gst_livekit_token_claims_copy, gst_livekit_token_claims_free);

/* ------------------------------------------------------------------ */
/* claims                                                              */

/**
 * gst_livekit_token_claims_new:
 *
 * Returns: (transfer full): empty claims: no claim present
 */
GstLiveKitTokenClaims *
gst_livekit_token_claims_new (void)
{
  return g_new0 (GstLiveKitTokenClaims, 1);
}

static GHashTable *
new_attributes (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * gst_livekit_token_claims_copy:
 * @claims: claims
 *
 * Returns: (transfer full): a deep copy of @claims
 */
GstLiveKitTokenClaims *
gst_livekit_token_claims_copy (const GstLiveKitTokenClaims * claims)
{
  GstLiveKitTokenClaims *c;

  g_return_val_if_fail (claims != NULL, NULL);

  c = g_new0 (GstLiveKitTokenClaims, 1);
  *c = *claims;
  c->api_key = g_strdup (claims->api_key);
  c->identity = g_strdup (claims->identity);
  c->name = g_strdup (claims->name);
  c->metadata = g_strdup (claims->metadata);
  c->kind = g_strdup (claims->kind);
  c->sha256 = g_strdup (claims->sha256);
  c->room_preset = g_strdup (claims->room_preset);
  c->room_config = g_strdup (claims->room_config);
  c->jwt_id = g_strdup (claims->jwt_id);
  c->video.room = g_strdup (claims->video.room);
  c->video.can_publish_sources =
      g_strdupv (claims->video.can_publish_sources);
  c->video.destination_room = g_strdup (claims->video.destination_room);
  c->attributes = NULL;
  if (claims->attributes) {
    GHashTableIter iter;
    gpointer k, v;

    c->attributes = new_attributes ();
    g_hash_table_iter_init (&iter, claims->attributes);
    while (g_hash_table_iter_next (&iter, &k, &v))
      g_hash_table_insert (c->attributes, g_strdup (k), g_strdup (v));
  }
  return c;
}

/**
 * gst_livekit_token_claims_free:
 * @claims: (transfer full) (nullable): claims
 *
 * Frees @claims and everything it holds.
 */
void
gst_livekit_token_claims_free (GstLiveKitTokenClaims * claims)
{
  if (!claims)
    return;
  g_free (claims->api_key);
  g_free (claims->identity);
  g_free (claims->name);
  g_free (claims->metadata);
  g_free (claims->kind);
  g_free (claims->sha256);
  g_free (claims->room_preset);
  g_free (claims->room_config);
  g_free (claims->jwt_id);
  g_free (claims->video.room);
  g_strfreev (claims->video.can_publish_sources);
  g_free (claims->video.destination_room);
  if (claims->attributes)
    g_hash_table_unref (claims->attributes);
  g_free (claims);
}

/**
 * gst_livekit_token_claims_set_attribute:
 * @claims: claims
 * @key: attribute name
 * @value: attribute value
 *
 * Sets one entry of the `attributes` claim (creating the table).
 */
void
gst_livekit_token_claims_set_attribute (GstLiveKitTokenClaims * claims,
    const gchar * key, const gchar * value)
{
  g_return_if_fail (claims != NULL);
  g_return_if_fail (key != NULL && value != NULL);

  if (!claims->attributes)
    claims->attributes = new_attributes ();
  g_hash_table_insert (claims->attributes, g_strdup (key), g_strdup (value));
}

/* ------------------------------------------------------------------ */
/* claims -> JSON                                                      */

typedef struct
{
  const gchar *json_name;
  gsize offset;
} BoolField;

#define VIDEO_BOOL(name, member) \
  { name, G_STRUCT_OFFSET (GstLiveKitVideoGrant, member) }

/* every boolean of the video grant, in the order the SDKs list them */
static const BoolField video_bools[] = {
  VIDEO_BOOL ("roomCreate", room_create),
  VIDEO_BOOL ("roomJoin", room_join),
  VIDEO_BOOL ("roomList", room_list),
  VIDEO_BOOL ("roomRecord", room_record),
  VIDEO_BOOL ("roomAdmin", room_admin),
  VIDEO_BOOL ("ingressAdmin", ingress_admin),
  VIDEO_BOOL ("canPublish", can_publish),
  VIDEO_BOOL ("canSubscribe", can_subscribe),
  VIDEO_BOOL ("canPublishData", can_publish_data),
  VIDEO_BOOL ("canUpdateOwnMetadata", can_update_own_metadata),
  VIDEO_BOOL ("hidden", hidden),
  VIDEO_BOOL ("recorder", recorder),
  VIDEO_BOOL ("agent", agent),
  VIDEO_BOOL ("canSubscribeMetrics", can_subscribe_metrics),
  VIDEO_BOOL ("canManageAgentSession", can_manage_agent_session),
};

#define GRANT_AT(grant, off) \
  (*(GstLiveKitGrant *) ((guint8 *) (grant) + (off)))

static gboolean
check_utf8 (const gchar * s, const gchar * what, GError ** error)
{
  if (s && !g_utf8_validate (s, -1, NULL)) {
    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_INVALID, "claim \"%s\" is not UTF-8", what);
    return FALSE;
  }
  return TRUE;
}

static gboolean
put_string (JsonObject * obj, const gchar * name, const gchar * value,
    const gchar * path, GError ** error)
{
  if (!value)
    return TRUE;
  if (!check_utf8 (value, path, error))
    return FALSE;
  json_object_set_string_member (obj, name, value);
  return TRUE;
}

static void
put_grant (JsonObject * obj, const gchar * name, GstLiveKitGrant g)
{
  if (g != GST_LIVEKIT_GRANT_UNSET)
    json_object_set_boolean_member (obj, name, g == GST_LIVEKIT_GRANT_TRUE);
}

static gboolean json_text_ok (const gchar * text, gsize len,
    GError ** error);

static JsonNode *
parse_json (const gchar * text, gssize len, GError ** error)
{
  JsonParser *parser;
  JsonNode *root = NULL;
  GError *err = NULL;

  if (len < 0)
    len = strlen (text);
  if (!g_utf8_validate (text, len, NULL)) {
    g_set_error_literal (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_JSON, "not UTF-8 text");
    return NULL;
  }
  if (!json_text_ok (text, len, error))
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, len, &err)) {
    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_JSON, "not JSON: %s", err->message);
    g_clear_error (&err);
  } else {
    root = json_parser_steal_root (parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT (root)) {
      g_set_error_literal (error, GST_LIVEKIT_TOKEN_ERROR,
          GST_LIVEKIT_TOKEN_ERROR_JSON, "not a JSON object");
      g_clear_pointer (&root, json_node_unref);
    }
  }
  g_object_unref (parser);
  return root;
}

static JsonObject *
claims_to_object (const GstLiveKitTokenClaims * c, GError ** error)
{
  JsonObject *obj = json_object_new ();

  if (!put_string (obj, "iss", c->api_key, "iss", error) ||
      !put_string (obj, "sub", c->identity, "sub", error))
    goto fail;
  if (c->issued_at)
    json_object_set_int_member (obj, "iat", c->issued_at);
  if (c->not_before)
    json_object_set_int_member (obj, "nbf", c->not_before);
  if (c->expires_at)
    json_object_set_int_member (obj, "exp", c->expires_at);
  if (!put_string (obj, "jti", c->jwt_id, "jti", error) ||
      !put_string (obj, "name", c->name, "name", error) ||
      !put_string (obj, "kind", c->kind, "kind", error) ||
      !put_string (obj, "metadata", c->metadata, "metadata", error) ||
      !put_string (obj, "sha256", c->sha256, "sha256", error) ||
      !put_string (obj, "roomPreset", c->room_preset, "roomPreset", error))
    goto fail;

  if (c->attributes) {
    JsonObject *attrs = json_object_new ();
    GList *keys, *l;

    /* sorted: the same claims always give the same text */
    json_object_set_object_member (obj, "attributes", attrs);
    keys = g_list_sort (g_hash_table_get_keys (c->attributes),
        (GCompareFunc) strcmp);
    for (l = keys; l; l = l->next) {
      if (!check_utf8 (l->data, "attributes", error) ||
          !put_string (attrs, l->data, g_hash_table_lookup (c->attributes,
                  l->data), "attributes", error)) {
        g_list_free (keys);
        goto fail;
      }
    }
    g_list_free (keys);
  }

  if (c->room_config) {
    JsonNode *cfg = parse_json (c->room_config, -1, NULL);

    if (!cfg) {
      g_set_error_literal (error, GST_LIVEKIT_TOKEN_ERROR,
          GST_LIVEKIT_TOKEN_ERROR_INVALID,
          "claim \"roomConfig\" is not a JSON object");
      goto fail;
    }
    json_object_set_member (obj, "roomConfig", cfg);
  }

  if (c->has_video) {
    const GstLiveKitVideoGrant *g = &c->video;
    JsonObject *video = json_object_new ();
    guint i;

    json_object_set_object_member (obj, "video", video);
    if (!put_string (video, "room", g->room, "video.room", error))
      goto fail;
    for (i = 0; i < G_N_ELEMENTS (video_bools); i++)
      put_grant (video, video_bools[i].json_name,
          GRANT_AT (g, video_bools[i].offset));
    if (g->can_publish_sources) {
      JsonArray *arr = json_array_new ();

      json_object_set_array_member (video, "canPublishSources", arr);
      for (i = 0; g->can_publish_sources[i]; i++) {
        if (!check_utf8 (g->can_publish_sources[i],
                "video.canPublishSources", error))
          goto fail;
        json_array_add_string_element (arr, g->can_publish_sources[i]);
      }
    }
    if (!put_string (video, "destinationRoom", g->destination_room,
            "video.destinationRoom", error))
      goto fail;
  }

  if (c->sip_admin || c->sip_call) {
    JsonObject *sip = json_object_new ();

    json_object_set_object_member (obj, "sip", sip);
    put_grant (sip, "admin", c->sip_admin);
    put_grant (sip, "call", c->sip_call);
  }
  return obj;

fail:
  json_object_unref (obj);
  return NULL;
}

static gchar *
object_to_string (JsonObject * obj)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  gchar *s;

  json_node_take_object (node, obj);
  s = json_to_string (node, FALSE);
  json_node_unref (node);
  return s;
}

/**
 * gst_livekit_token_claims_to_json:
 * @claims: claims
 * @error: a #GError, or NULL
 *
 * Writes the claims as the token payload would carry them.
 *
 * Returns: (transfer full) (nullable): compact JSON object text, or NULL
 *     with @error (%GST_LIVEKIT_TOKEN_ERROR_INVALID) when a string is not
 *     UTF-8 or roomConfig is not a JSON object
 */
gchar *
gst_livekit_token_claims_to_json (const GstLiveKitTokenClaims * claims,
    GError ** error)
{
  JsonObject *obj;

  g_return_val_if_fail (claims != NULL, NULL);

  obj = claims_to_object (claims, error);
  return obj ? object_to_string (obj) : NULL;
}

/**
 * gst_livekit_token_claims_set_grant:
 * @claims: claims
 * @name: a boolean grant by its JSON name: a `video` one (`roomJoin`,
 *     `canPublish`, `hidden`, ...) or `sip.admin`, `sip.call`
 * @value: the new value (%GST_LIVEKIT_GRANT_UNSET removes it)
 *
 * Sets a boolean grant by name (marking the `video` claim present), for
 * callers that take grants as text, such as command lines.
 *
 * Returns: FALSE when @name is no boolean grant
 */
gboolean
gst_livekit_token_claims_set_grant (GstLiveKitTokenClaims * claims,
    const gchar * name, GstLiveKitGrant value)
{
  guint i;

  g_return_val_if_fail (claims != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (strcmp (name, "sip.admin") == 0) {
    claims->sip_admin = value;
    return TRUE;
  }
  if (strcmp (name, "sip.call") == 0) {
    claims->sip_call = value;
    return TRUE;
  }
  for (i = 0; i < G_N_ELEMENTS (video_bools); i++) {
    if (strcmp (name, video_bools[i].json_name) == 0) {
      GRANT_AT (&claims->video, video_bools[i].offset) = value;
      claims->has_video = TRUE;
      return TRUE;
    }
  }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* JSON -> claims                                                      */

static const gchar *
json_type_name (JsonNode * node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node)) {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
  }
}

static gboolean
holds_value (JsonNode * node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == type;
}

static gboolean
wrong_type (const gchar * path, const gchar * want, JsonNode * node,
    GError ** error)
{
  g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
      GST_LIVEKIT_TOKEN_ERROR_CLAIM_TYPE,
      "claim \"%s\" must be %s, not %s", path, want, json_type_name (node));
  return FALSE;
}

/* json-glib turns a lone surrogate escape (\ud800) into bytes that are
 * not UTF-8: such a string is refused */
static gboolean
read_utf8 (const gchar * s, const gchar * path, GError ** error)
{
  if (g_utf8_validate (s, -1, NULL))
    return TRUE;
  g_set_error (error, GST_LIVEKIT_TOKEN_ERROR, GST_LIVEKIT_TOKEN_ERROR_JSON,
      "claim \"%s\" is not UTF-8 (a lone surrogate escape?)", path);
  return FALSE;
}

static gboolean
get_string (JsonObject * obj, const gchar * name, const gchar * path,
    gchar ** out, GError ** error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (!node)
    return TRUE;
  if (!holds_value (node, G_TYPE_STRING))
    return wrong_type (path, "a string", node, error);
  if (!read_utf8 (json_node_get_string (node), path, error))
    return FALSE;
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_grant (JsonObject * obj, const gchar * name, const gchar * path,
    GstLiveKitGrant * out, GError ** error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (!node)
    return TRUE;
  if (!holds_value (node, G_TYPE_BOOLEAN))
    return wrong_type (path, "a boolean", node, error);
  *out = json_node_get_boolean (node) ? GST_LIVEKIT_GRANT_TRUE :
      GST_LIVEKIT_GRANT_FALSE;
  return TRUE;
}

/* NumericDate: seconds since the epoch, possibly fractional (truncated) */
static gboolean
get_time (JsonObject * obj, const gchar * name, gint64 * out,
    GError ** error)
{
  JsonNode *node = json_object_get_member (obj, name);
  gdouble d;

  if (!node)
    return TRUE;
  if (holds_value (node, G_TYPE_INT64)) {
    *out = json_node_get_int (node);
    return TRUE;
  }
  if (!holds_value (node, G_TYPE_DOUBLE))
    return wrong_type (name, "a number (seconds since 1970)", node, error);
  d = json_node_get_double (node);
  /* +-2^53: beyond that a double holds no exact second */
  if (!(d > -9007199254740992.0 && d < 9007199254740992.0)) {
    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_CLAIM_TYPE, "claim \"%s\" is out of range",
        name);
    return FALSE;
  }
  *out = (gint64) d;
  return TRUE;
}

static JsonObject *
get_object (JsonObject * obj, const gchar * name, const gchar * path,
    gboolean * ok, GError ** error)
{
  JsonNode *node = json_object_get_member (obj, name);

  *ok = TRUE;
  if (!node)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    *ok = wrong_type (path, "an object", node, error);
    return NULL;
  }
  return json_node_get_object (node);
}

static gboolean
video_from_object (JsonObject * obj, GstLiveKitVideoGrant * g,
    GError ** error)
{
  JsonNode *node;
  guint i;

  if (!get_string (obj, "room", "video.room", &g->room, error) ||
      !get_string (obj, "destinationRoom", "video.destinationRoom",
          &g->destination_room, error))
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (video_bools); i++) {
    gchar path[64];

    g_snprintf (path, sizeof (path), "video.%s", video_bools[i].json_name);
    if (!get_grant (obj, video_bools[i].json_name, path,
            &GRANT_AT (g, video_bools[i].offset), error))
      return FALSE;
  }

  node = json_object_get_member (obj, "canPublishSources");
  if (node) {
    JsonArray *arr;
    guint n;

    if (!JSON_NODE_HOLDS_ARRAY (node))
      return wrong_type ("video.canPublishSources", "an array of strings",
          node, error);
    arr = json_node_get_array (node);
    n = json_array_get_length (arr);
    g_strfreev (g->can_publish_sources);
    g->can_publish_sources = g_new0 (gchar *, n + 1);
    for (i = 0; i < n; i++) {
      JsonNode *el = json_array_get_element (arr, i);

      if (!holds_value (el, G_TYPE_STRING)) {
        gchar path[64];

        g_snprintf (path, sizeof (path), "video.canPublishSources[%u]", i);
        return wrong_type (path, "a string", el, error);
      }
      if (!read_utf8 (json_node_get_string (el), "video.canPublishSources",
              error))
        return FALSE;
      g->can_publish_sources[i] = g_strdup (json_node_get_string (el));
    }
  }
  return TRUE;
}

static GstLiveKitTokenClaims *
claims_from_object (JsonObject * obj, GError ** error)
{
  GstLiveKitTokenClaims *c = gst_livekit_token_claims_new ();
  JsonObject *sub;
  JsonNode *node;
  gboolean ok;

  if (!get_string (obj, "iss", "iss", &c->api_key, error) ||
      !get_string (obj, "sub", "sub", &c->identity, error) ||
      !get_string (obj, "jti", "jti", &c->jwt_id, error) ||
      !get_string (obj, "name", "name", &c->name, error) ||
      !get_string (obj, "kind", "kind", &c->kind, error) ||
      !get_string (obj, "metadata", "metadata", &c->metadata, error) ||
      !get_string (obj, "sha256", "sha256", &c->sha256, error) ||
      !get_string (obj, "roomPreset", "roomPreset", &c->room_preset, error) ||
      !get_time (obj, "iat", &c->issued_at, error) ||
      !get_time (obj, "nbf", &c->not_before, error) ||
      !get_time (obj, "exp", &c->expires_at, error))
    goto fail;

  sub = get_object (obj, "attributes", "attributes", &ok, error);
  if (!ok)
    goto fail;
  if (sub) {
    GList *members = json_object_get_members (sub), *l;

    c->attributes = new_attributes ();
    for (l = members; l; l = l->next) {
      JsonNode *v = json_object_get_member (sub, l->data);

      if (!holds_value (v, G_TYPE_STRING)) {
        gchar *path = g_strdup_printf ("attributes.%s",
            (const gchar *) l->data);

        wrong_type (path, "a string", v, error);
        g_free (path);
        g_list_free (members);
        goto fail;
      }
      if (!read_utf8 (l->data, "attributes", error) ||
          !read_utf8 (json_node_get_string (v), "attributes", error)) {
        g_list_free (members);
        goto fail;
      }
      g_hash_table_insert (c->attributes, g_strdup (l->data),
          g_strdup (json_node_get_string (v)));
    }
    g_list_free (members);
  }

  node = json_object_get_member (obj, "roomConfig");
  if (node) {
    if (!JSON_NODE_HOLDS_OBJECT (node)) {
      wrong_type ("roomConfig", "an object", node, error);
      goto fail;
    }
    c->room_config = json_to_string (node, FALSE);
    if (!read_utf8 (c->room_config, "roomConfig", error))
      goto fail;
  }

  sub = get_object (obj, "video", "video", &ok, error);
  if (!ok || (sub && !video_from_object (sub, &c->video, error)))
    goto fail;
  c->has_video = sub != NULL;

  sub = get_object (obj, "sip", "sip", &ok, error);
  if (!ok || (sub && (!get_grant (sub, "admin", "sip.admin", &c->sip_admin,
                  error) || !get_grant (sub, "call", "sip.call",
                  &c->sip_call, error))))
    goto fail;
  return c;

fail:
  gst_livekit_token_claims_free (c);
  return NULL;
}

/**
 * gst_livekit_token_claims_from_json:
 * @json: a token payload: JSON object text
 * @len: length of @json, or -1 when NUL-terminated
 * @error: a #GError, or NULL
 *
 * Reads claims from JSON text without any check of validity: no signature
 * or time is involved.  Claims the structure does not name are ignored.
 *
 * Returns: (transfer full) (nullable): the claims, or NULL with @error
 *     (%GST_LIVEKIT_TOKEN_ERROR_JSON or %GST_LIVEKIT_TOKEN_ERROR_CLAIM_TYPE)
 */
GstLiveKitTokenClaims *
gst_livekit_token_claims_from_json (const gchar * json, gssize len,
    GError ** error)
{
  GstLiveKitTokenClaims *c;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);

  root = parse_json (json, len, error);
  if (!root)
    return NULL;
  c = claims_from_object (json_node_get_object (root), error);
  json_node_unref (root);
  return c;
}

/* ------------------------------------------------------------------ */
/* encoding helpers                                                    */

/* json-glib 1.6 parses with GScanner, which takes more than JSON: single
 * quotes, comments, octal escapes that yield bytes that are not UTF-8.
 * Refuse all that before json-glib sees the text, and nesting deeper than
 * MAX_JSON_DEPTH (json-glib recurses per level). */
static gboolean
json_text_ok (const gchar * text, gsize len, GError ** error)
{
  const gchar *why = NULL;
  gsize i;
  gint depth = 0;
  gboolean in_string = FALSE;

  for (i = 0; i < len && !why; i++) {
    guchar ch = text[i];

    if (in_string) {
      if (ch == '"') {
        in_string = FALSE;
      } else if (ch < 0x20) {
        why = "a control character in a string";
      } else if (ch == '\\') {
        ch = i + 1 < len ? text[++i] : 0;
        if (ch == 'u') {
          guint k;

          for (k = 0; k < 4 && !why; k++) {
            if (++i >= len || !g_ascii_isxdigit (text[i]))
              why = "a bad \\u escape";
          }
          /* C strings would end there */
          if (!why && strncmp (text + i - 3, "0000", 4) == 0)
            why = "\\u0000 in a string";
        } else if (!strchr ("\"\\/bfnrt", ch) || ch == 0) {
          why = "an escape JSON has not";
        }
      }
    } else if (ch == '"') {
      in_string = TRUE;
    } else if (ch == '{' || ch == '[') {
      if (++depth > MAX_JSON_DEPTH)
        why = "nesting deeper than " G_STRINGIFY (MAX_JSON_DEPTH);
    } else if (ch == '}' || ch == ']') {
      depth--;
    } else if (!strchr (" \t\r\n:,-+.0123456789eEtruefalsn", ch) ||
        ch == 0) {
      why = "a character outside strings JSON has not";
    }
  }
  if (why) {
    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_JSON, "not strict JSON: %s at offset %"
        G_GSIZE_FORMAT, why, i - 1);
    return FALSE;
  }
  return TRUE;
}

static gchar *
b64url_encode (const guint8 * data, gsize len)
{
  gchar *s = g_base64_encode (data, len);
  gchar *p;

  for (p = s; *p; p++) {
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
    else if (*p == '=') {
      *p = '\0';
      break;
    }
  }
  return s;
}

static gint
b64url_value (gchar ch)
{
  if (ch >= 'A' && ch <= 'Z')
    return ch - 'A';
  if (ch >= 'a' && ch <= 'z')
    return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9')
    return ch - '0' + 52;
  if (ch == '-')
    return 62;
  if (ch == '_')
    return 63;
  return -1;
}

/* Strict unpadded base64url (RFC 7515): the alphabet only, no padding, no
 * length that leaves a lone character, no stray bits in the last one. */
static guint8 *
b64url_decode (const gchar * s, gsize len, gsize * out_len,
    const gchar * what, GError ** error)
{
  GString *std;
  guint8 *out;
  gsize i;
  gint last = 0;

  for (i = 0; i < len; i++) {
    last = b64url_value (s[i]);
    if (last < 0) {
      g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
          GST_LIVEKIT_TOKEN_ERROR_BASE64,
          "%s: not base64url: byte 0x%02x at offset %" G_GSIZE_FORMAT,
          what, (guint8) s[i], i);
      return NULL;
    }
  }
  if (len % 4 == 1 || (len % 4 == 2 && (last & 0x0f)) ||
      (len % 4 == 3 && (last & 0x03))) {
    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_BASE64, "%s: not base64url: bad length or "
        "trailing bits", what);
    return NULL;
  }

  std = g_string_sized_new (len + 3);
  for (i = 0; i < len; i++)
    g_string_append_c (std, s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i]);
  while (std->len % 4)
    g_string_append_c (std, '=');
  if (std->len == 0) {
    *out_len = 0;
    out = g_malloc0 (1);
  } else {
    out = g_base64_decode (std->str, out_len);
  }
  g_string_free (std, TRUE);
  return out;
}

static void
hmac_sha256 (const gchar * secret, const gchar * data, gsize len,
    guint8 mac[SHA256_LEN])
{
  unsigned int mac_len = SHA256_LEN;

  /* cannot fail with SHA-256 and a valid buffer */
  if (!HMAC (EVP_sha256 (), secret, strlen (secret),
          (const unsigned char *) data, len, mac, &mac_len))
    g_error ("HMAC-SHA256 failed");
}

/* ------------------------------------------------------------------ */
/* minting                                                             */

/**
 * gst_livekit_token_mint_at:
 * @claims: claims to sign
 * @api_key: (nullable): API key for `iss`; NULL to use @claims' api_key
 * @api_secret: the key's secret
 * @ttl: lifetime in seconds: `exp` = @now + @ttl.  0 keeps @claims'
 *     expires_at if set, else uses %GST_LIVEKIT_TOKEN_DEFAULT_TTL
 * @now: the current time in seconds since the epoch
 * @error: a #GError, or NULL
 *
 * Like gst_livekit_token_mint() at a given time.  `nbf` is @now unless
 * @claims sets it.
 *
 * Returns: (transfer full) (nullable): the token, or NULL with @error
 *     (%GST_LIVEKIT_TOKEN_ERROR_INVALID)
 */
gchar *
gst_livekit_token_mint_at (const GstLiveKitTokenClaims * claims,
    const gchar * api_key, const gchar * api_secret, gint64 ttl, gint64 now,
    GError ** error)
{
  GstLiveKitTokenClaims *c;
  JsonObject *obj;
  gchar *payload, *head, *body, *input, *sig, *token;
  guint8 mac[SHA256_LEN];

  g_return_val_if_fail (claims != NULL, NULL);

  if (!api_key)
    api_key = claims->api_key;
  if (!api_key || !*api_key || !api_secret || !*api_secret) {
    g_set_error_literal (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_INVALID,
        "an API key and its secret are needed to sign a token");
    return NULL;
  }
  if (ttl < 0) {
    g_set_error_literal (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_INVALID, "negative lifetime");
    return NULL;
  }
  if (claims->has_video && claims->video.room_join == GST_LIVEKIT_GRANT_TRUE
      && (!claims->identity || !*claims->identity)) {
    g_set_error_literal (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_INVALID,
        "a token that grants roomJoin needs an identity");
    return NULL;
  }

  c = gst_livekit_token_claims_copy (claims);
  g_free (c->api_key);
  c->api_key = g_strdup (api_key);
  if (!c->not_before)
    c->not_before = now;
  if (ttl > 0)
    c->expires_at = now + ttl;
  else if (!c->expires_at)
    c->expires_at = now + GST_LIVEKIT_TOKEN_DEFAULT_TTL;
  obj = claims_to_object (c, error);
  gst_livekit_token_claims_free (c);
  if (!obj)
    return NULL;
  payload = object_to_string (obj);

  head = b64url_encode ((const guint8 *) "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
      27);
  body = b64url_encode ((const guint8 *) payload, strlen (payload));
  input = g_strconcat (head, ".", body, NULL);
  hmac_sha256 (api_secret, input, strlen (input), mac);
  sig = b64url_encode (mac, sizeof (mac));
  token = g_strconcat (input, ".", sig, NULL);

  OPENSSL_cleanse (mac, sizeof (mac));
  g_free (payload);
  g_free (head);
  g_free (body);
  g_free (input);
  g_free (sig);
  return token;
}

/**
 * gst_livekit_token_mint:
 * @claims: claims to sign
 * @api_key: (nullable): API key for `iss`; NULL to use @claims' api_key
 * @api_secret: the key's secret
 * @ttl: lifetime in seconds from now; 0 keeps @claims' expires_at if set,
 *     else uses %GST_LIVEKIT_TOKEN_DEFAULT_TTL (6 h)
 * @error: a #GError, or NULL
 *
 * Signs @claims into an HS256 token with header `{"alg":"HS256",
 * "typ":"JWT"}`.  `iss` is the API key, `nbf` now (unless @claims sets
 * it), `exp` as @ttl says; every other claim is written as @claims holds
 * it, absent ones left out.  A token that grants roomJoin needs an
 * identity, as in the SDKs.
 *
 * Returns: (transfer full) (nullable): the token, or NULL with @error
 *     (%GST_LIVEKIT_TOKEN_ERROR_INVALID)
 */
gchar *
gst_livekit_token_mint (const GstLiveKitTokenClaims * claims,
    const gchar * api_key, const gchar * api_secret, gint64 ttl,
    GError ** error)
{
  return gst_livekit_token_mint_at (claims, api_key, api_secret, ttl,
      g_get_real_time () / G_USEC_PER_SEC, error);
}

/* ------------------------------------------------------------------ */
/* parsing and verification                                            */

typedef struct
{
  gsize signed_len;             /* length of "header.payload" */
  JsonNode *header;
  JsonNode *payload;
  guint8 *sig;
  gsize sig_len;
} Parsed;

static void
parsed_clear (Parsed * p)
{
  g_clear_pointer (&p->header, json_node_unref);
  g_clear_pointer (&p->payload, json_node_unref);
  g_clear_pointer (&p->sig, g_free);
}

static JsonNode *
decode_segment (const gchar * s, gsize len, const gchar * what,
    GError ** error)
{
  guint8 *raw;
  gsize raw_len;
  JsonNode *node;
  GError *err = NULL;

  raw = b64url_decode (s, len, &raw_len, what, error);
  if (!raw)
    return NULL;
  node = parse_json ((const gchar *) raw, raw_len, &err);
  g_free (raw);
  if (!node) {
    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_JSON, "%s: %s", what, err->message);
    g_clear_error (&err);
  }
  return node;
}

/* shape, base64url and JSON of the three segments */
static gboolean
parse_token (const gchar * token, Parsed * p, GError ** error)
{
  const gchar *dot1, *dot2;
  gsize len;

  memset (p, 0, sizeof (*p));
  len = strnlen (token, MAX_TOKEN_LEN + 1);
  if (len == 0 || len > MAX_TOKEN_LEN) {
    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_SEGMENTS, "token is %s",
        len ? "too long" : "empty");
    return FALSE;
  }
  dot1 = strchr (token, '.');
  dot2 = dot1 ? strchr (dot1 + 1, '.') : NULL;
  if (!dot2 || strchr (dot2 + 1, '.')) {
    guint dots = 0;
    const gchar *s;

    for (s = token; *s; s++)
      dots += *s == '.';
    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_SEGMENTS,
        "token has %u segment%s, a signed JWT has 3 "
        "(header.payload.signature)", dots + 1, dots ? "s" : "");
    return FALSE;
  }

  p->header = decode_segment (token, dot1 - token, "header", error);
  if (!p->header)
    goto fail;
  p->payload = decode_segment (dot1 + 1, dot2 - dot1 - 1, "payload", error);
  if (!p->payload)
    goto fail;
  p->sig = b64url_decode (dot2 + 1, strlen (dot2 + 1), &p->sig_len,
      "signature", error);
  if (!p->sig)
    goto fail;
  p->signed_len = dot2 - token;
  return TRUE;

fail:
  parsed_clear (p);
  return FALSE;
}

/**
 * gst_livekit_token_decode_unverified:
 * @token: a JWT
 * @error: a #GError, or NULL
 *
 * Reads the claims of a token WITHOUT checking its signature, algorithm
 * or times: for a client that holds no secret and wants to know, say,
 * when a refresh token expires.  Never base a decision on these claims.
 *
 * Returns: (transfer full) (nullable): the claims, or NULL with @error
 */
GstLiveKitTokenClaims *
gst_livekit_token_decode_unverified (const gchar * token, GError ** error)
{
  GstLiveKitTokenClaims *c;
  Parsed p;

  g_return_val_if_fail (token != NULL, NULL);

  if (!parse_token (token, &p, error))
    return NULL;
  c = claims_from_object (json_node_get_object (p.payload), error);
  parsed_clear (&p);
  return c;
}

/**
 * gst_livekit_token_verifier_new:
 *
 * Returns: (transfer full): a verifier with no key and the default leeway
 *     (%GST_LIVEKIT_TOKEN_DEFAULT_LEEWAY)
 */
GstLiveKitTokenVerifier *
gst_livekit_token_verifier_new (void)
{
  GstLiveKitTokenVerifier *v = g_new0 (GstLiveKitTokenVerifier, 1);

  v->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_free);
  v->leeway = GST_LIVEKIT_TOKEN_DEFAULT_LEEWAY;
  return v;
}

static void
clear_secret (gpointer key, gpointer value, gpointer user_data)
{
  OPENSSL_cleanse (value, strlen (value));
}

/**
 * gst_livekit_token_verifier_free:
 * @verifier: (transfer full) (nullable): a verifier
 *
 * Frees the verifier and wipes the secrets it held.
 */
void
gst_livekit_token_verifier_free (GstLiveKitTokenVerifier * verifier)
{
  if (!verifier)
    return;
  g_hash_table_foreach (verifier->keys, clear_secret, NULL);
  g_hash_table_unref (verifier->keys);
  g_free (verifier);
}

/**
 * gst_livekit_token_verifier_add_key:
 * @verifier: a verifier
 * @api_key: an API key (the `iss` of its tokens)
 * @api_secret: its secret, not empty
 *
 * Adds a key, or replaces the secret of a key already there.
 */
void
gst_livekit_token_verifier_add_key (GstLiveKitTokenVerifier * verifier,
    const gchar * api_key, const gchar * api_secret)
{
  g_return_if_fail (verifier != NULL);
  g_return_if_fail (api_key != NULL && *api_key != '\0');
  g_return_if_fail (api_secret != NULL && *api_secret != '\0');

  g_hash_table_insert (verifier->keys, g_strdup (api_key),
      g_strdup (api_secret));
}

/**
 * gst_livekit_token_verifier_set_leeway:
 * @verifier: a verifier
 * @seconds: tolerated clock skew on `exp` and `nbf`
 */
void
gst_livekit_token_verifier_set_leeway (GstLiveKitTokenVerifier * verifier,
    guint seconds)
{
  g_return_if_fail (verifier != NULL);

  verifier->leeway = MIN (seconds, 24 * 3600);
}

/**
 * gst_livekit_token_verifier_verify_at:
 * @verifier: a verifier
 * @token: a JWT
 * @now: the current time in seconds since the epoch
 * @error: a #GError, or NULL
 *
 * Like gst_livekit_token_verifier_verify() at a given time.
 *
 * Returns: (transfer full) (nullable): the claims, or NULL with @error
 */
GstLiveKitTokenClaims *
gst_livekit_token_verifier_verify_at (GstLiveKitTokenVerifier * verifier,
    const gchar * token, gint64 now, GError ** error)
{
  GstLiveKitTokenClaims *c = NULL;
  JsonObject *header, *payload;
  JsonNode *node;
  const gchar *alg, *key, *secret;
  guint8 mac[SHA256_LEN];
  Parsed p;

  g_return_val_if_fail (verifier != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  if (!parse_token (token, &p, error))
    return NULL;
  header = json_node_get_object (p.header);
  payload = json_node_get_object (p.payload);

  node = json_object_get_member (header, "alg");
  alg = node && holds_value (node, G_TYPE_STRING) ?
      json_node_get_string (node) : NULL;
  if (g_strcmp0 (alg, "HS256") != 0) {
    gchar *shown = alg ? g_strdup_printf ("\"%s\"", alg) :
        g_strdup (node ? "not a string" : "missing");

    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_ALGORITHM,
        "algorithm %s refused: only HS256 is accepted", shown);
    g_free (shown);
    goto done;
  }
  if (json_object_has_member (header, "crit")) {
    g_set_error_literal (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_ALGORITHM,
        "header lists critical extensions (\"crit\"), none is supported");
    goto done;
  }

  node = json_object_get_member (payload, "iss");
  if (!node) {
    g_set_error_literal (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_MISSING_CLAIM,
        "claim \"iss\" (the API key) is missing");
    goto done;
  }
  if (!holds_value (node, G_TYPE_STRING)) {
    wrong_type ("iss", "a string", node, error);
    goto done;
  }
  key = json_node_get_string (node);
  secret = g_hash_table_lookup (verifier->keys, key);
  if (!secret) {
    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_UNKNOWN_KEY, "unknown API key \"%s\"", key);
    goto done;
  }

  hmac_sha256 (secret, token, p.signed_len, mac);
  if (p.sig_len != SHA256_LEN || CRYPTO_memcmp (mac, p.sig, SHA256_LEN)) {
    g_set_error_literal (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_SIGNATURE,
        "signature does not match (wrong secret, or the token was altered)");
    goto done;
  }

  c = claims_from_object (payload, error);
  if (!c)
    goto done;
  if (!json_object_has_member (payload, "exp")) {
    g_set_error_literal (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_MISSING_CLAIM,
        "claim \"exp\" is missing: tokens must expire");
    goto fail;
  }
  if (c->expires_at < now - (gint64) verifier->leeway) {
    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_EXPIRED,
        "token expired %" G_GINT64_FORMAT " s ago (exp %" G_GINT64_FORMAT
        ", leeway %u s)", now - c->expires_at, c->expires_at,
        verifier->leeway);
    goto fail;
  }
  if (json_object_has_member (payload, "nbf") &&
      c->not_before > now + (gint64) verifier->leeway) {
    g_set_error (error, GST_LIVEKIT_TOKEN_ERROR,
        GST_LIVEKIT_TOKEN_ERROR_NOT_YET_VALID,
        "token not valid for another %" G_GINT64_FORMAT " s (nbf %"
        G_GINT64_FORMAT ", leeway %u s)", c->not_before - now,
        c->not_before, verifier->leeway);
    goto fail;
  }
  goto done;

fail:
  g_clear_pointer (&c, gst_livekit_token_claims_free);
done:
  OPENSSL_cleanse (mac, sizeof (mac));
  parsed_clear (&p);
  return c;
}

/**
 * gst_livekit_token_verifier_verify:
 * @verifier: a verifier
 * @token: a JWT
 * @error: a #GError, or NULL
 *
 * Checks @token completely: three base64url segments of JSON objects,
 * `alg` HS256 (nothing else, `none` least of all), `iss` one of the
 * verifier's keys, the HMAC-SHA256 signature with that key's secret
 * (compared in constant time), the types of the known claims, `exp`
 * present and not passed, `nbf` (when present) reached, both with the
 * verifier's leeway.
 *
 * Returns: (transfer full) (nullable): the claims, or NULL with @error set
 *     to a #GST_LIVEKIT_TOKEN_ERROR that names what was wrong
 */
GstLiveKitTokenClaims *
gst_livekit_token_verifier_verify (GstLiveKitTokenVerifier * verifier,
    const gchar * token, GError ** error)
{
  return gst_livekit_token_verifier_verify_at (verifier, token,
      g_get_real_time () / G_USEC_PER_SEC, error);
}

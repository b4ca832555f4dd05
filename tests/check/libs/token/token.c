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


/* Unit tests of LiveKit access tokens: minting, reading back, and every
 * reason verification refuses a token.  Tokens with hand-made headers and
 * payloads are signed here with GLib's own HMAC, independent of the
 * library's OpenSSL code. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/livekit/token.h>

#define KEY "APIkey123"
#define SECRET "secret-0123456789abcdef0123456789"
#define NOW G_GINT64_CONSTANT (1700000000)

/* Minted by livekit-server-sdk's jose (SignJWT, HS256) with key
 * APIvector, secret vector-secret-0123456789, nbf 1700000000, exp
 * 1700003600. */
static const gchar *sdk_vector =
    "eyJhbGciOiJIUzI1NiJ9."
    "eyJuYW1lIjoiVmVjIFRvciIsImtpbmQiOiJlZ3Jlc3MiLCJtZXRhZGF0YSI6IntcImFcIjox"
    "fSIsImF0dHJpYnV0ZXMiOnsidGVhbSI6ImJsdWUifSwidmlkZW8iOnsicm9vbSI6InZyb29t"
    "Iiwicm9vbUpvaW4iOnRydWUsImNhblB1Ymxpc2giOmZhbHNlLCJjYW5TdWJzY3JpYmUiOnRy"
    "dWUsImhpZGRlbiI6dHJ1ZSwicmVjb3JkZXIiOnRydWUsImNhblB1Ymxpc2hTb3VyY2VzIjpb"
    "ImNhbWVyYSIsIm1pY3JvcGhvbmUiXX0sImlzcyI6IkFQSXZlY3RvciIsInN1YiI6IkVHX3Zl"
    "Y3RvciIsIm5iZiI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwfQ."
    "-0Eb_aqo3LJryXQYa4UCcTkioNAllwElZTxiQ_zp8vE";

static gchar *
b64url (const gchar * data, gsize len)
{
  gchar *s = g_base64_encode ((const guchar *) data, len);
  gchar *p;

  for (p = s; *p; p++) {
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
    else if (*p == '=')
      *p = '\0';
  }
  return s;
}

/* a token from raw header and payload text, signed with @secret */
static gchar *
sign_raw (const gchar * header, const gchar * payload, const gchar * secret)
{
  gchar *h = b64url (header, strlen (header));
  gchar *p = b64url (payload, strlen (payload));
  gchar *input = g_strconcat (h, ".", p, NULL);
  guint8 mac[32];
  gsize mac_len = sizeof (mac);
  GHmac *hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret,
      strlen (secret));
  gchar *sig, *token;

  g_hmac_update (hmac, (const guchar *) input, -1);
  g_hmac_get_digest (hmac, mac, &mac_len);
  g_hmac_unref (hmac);
  sig = b64url ((const gchar *) mac, mac_len);
  token = g_strconcat (input, ".", sig, NULL);
  g_free (h);
  g_free (p);
  g_free (input);
  g_free (sig);
  return token;
}

static gchar *
sign_payload (const gchar * payload)
{
  return sign_raw ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, SECRET);
}

static GstLiveKitTokenVerifier *
make_verifier (void)
{
  GstLiveKitTokenVerifier *v = gst_livekit_token_verifier_new ();

  gst_livekit_token_verifier_add_key (v, "otherkey", "other-secret");
  gst_livekit_token_verifier_add_key (v, KEY, SECRET);
  return v;
}

/* verification of @token at NOW fails with @code; the message is
 * returned for the caller to check */
static gchar *
verify_error (const gchar * token, gint code)
{
  GstLiveKitTokenVerifier *v = make_verifier ();
  GstLiveKitTokenClaims *c;
  GError *err = NULL;
  gchar *msg;

  c = gst_livekit_token_verifier_verify_at (v, token, NOW, &err);
  fail_unless (c == NULL, "token accepted: %s", token);
  fail_unless (err != NULL);
  fail_unless (err->domain == GST_LIVEKIT_TOKEN_ERROR);
  fail_unless (err->code == code, "code %d, not %d: %s", err->code, code,
      err->message);
  GST_INFO ("refused as expected: %s", err->message);
  msg = g_strdup (err->message);
  g_error_free (err);
  gst_livekit_token_verifier_free (v);
  return msg;
}

static void
payload_error (const gchar * payload, gint code, const gchar * needle)
{
  gchar *token = sign_payload (payload);
  gchar *msg = verify_error (token, code);

  if (needle)
    fail_unless (strstr (msg, needle) != NULL, "'%s' lacks '%s'", msg,
        needle);
  g_free (msg);
  g_free (token);
}

static GstLiveKitTokenClaims *
full_claims (void)
{
  GstLiveKitTokenClaims *c = gst_livekit_token_claims_new ();
  GstLiveKitVideoGrant *g = &c->video;
  const gchar *sources[] = { "camera", "screen_share", NULL };

  c->identity = g_strdup ("EG_abc");
  c->name = g_strdup ("Recorder \xc3\xa9");
  c->metadata = g_strdup ("{\"k\":\"v\"}");
  c->kind = g_strdup ("egress");
  c->sha256 = g_strdup ("cafe");
  c->room_preset = g_strdup ("preset1");
  c->room_config = g_strdup ("{\"name\":\"r\",\"emptyTimeout\":30}");
  c->jwt_id = g_strdup ("jti-1");
  c->issued_at = NOW - 5;
  gst_livekit_token_claims_set_attribute (c, "team", "blue");
  gst_livekit_token_claims_set_attribute (c, "seat", "3");
  c->has_video = TRUE;
  g->room = g_strdup ("myroom");
  g->room_create = GST_LIVEKIT_GRANT_TRUE;
  g->room_join = GST_LIVEKIT_GRANT_TRUE;
  g->room_list = GST_LIVEKIT_GRANT_FALSE;
  g->room_record = GST_LIVEKIT_GRANT_TRUE;
  g->room_admin = GST_LIVEKIT_GRANT_TRUE;
  g->ingress_admin = GST_LIVEKIT_GRANT_TRUE;
  g->can_publish = GST_LIVEKIT_GRANT_FALSE;
  g->can_subscribe = GST_LIVEKIT_GRANT_TRUE;
  g->can_publish_data = GST_LIVEKIT_GRANT_FALSE;
  g->can_publish_sources = g_strdupv ((gchar **) sources);
  g->can_update_own_metadata = GST_LIVEKIT_GRANT_TRUE;
  g->hidden = GST_LIVEKIT_GRANT_TRUE;
  g->recorder = GST_LIVEKIT_GRANT_TRUE;
  g->agent = GST_LIVEKIT_GRANT_FALSE;
  g->can_subscribe_metrics = GST_LIVEKIT_GRANT_TRUE;
  g->can_manage_agent_session = GST_LIVEKIT_GRANT_FALSE;
  g->destination_room = g_strdup ("other");
  c->sip_admin = GST_LIVEKIT_GRANT_TRUE;
  return c;
}

static void
assert_same_claims (const GstLiveKitTokenClaims * a,
    const GstLiveKitTokenClaims * b)
{
  gchar *ja, *jb;
  GstLiveKitTokenClaims *ca, *cb;

  /* attributes go through a hash table: compare them apart */
  fail_unless_equals_int (a->attributes != NULL, b->attributes != NULL);
  if (a->attributes) {
    GHashTableIter iter;
    gpointer k, v;

    fail_unless_equals_int (g_hash_table_size (a->attributes),
        g_hash_table_size (b->attributes));
    g_hash_table_iter_init (&iter, a->attributes);
    while (g_hash_table_iter_next (&iter, &k, &v))
      fail_unless_equals_string (g_hash_table_lookup (b->attributes, k), v);
  }
  ca = gst_livekit_token_claims_copy (a);
  cb = gst_livekit_token_claims_copy (b);
  g_clear_pointer (&ca->attributes, g_hash_table_unref);
  g_clear_pointer (&cb->attributes, g_hash_table_unref);
  ja = gst_livekit_token_claims_to_json (ca, NULL);
  jb = gst_livekit_token_claims_to_json (cb, NULL);
  fail_unless_equals_string (ja, jb);
  g_free (ja);
  g_free (jb);
  gst_livekit_token_claims_free (ca);
  gst_livekit_token_claims_free (cb);
}

GST_START_TEST (test_mint_verify_round_trip)
{
  GstLiveKitTokenClaims *c = full_claims (), *back;
  GstLiveKitTokenVerifier *v = make_verifier ();
  GError *err = NULL;
  gchar *token;

  token = gst_livekit_token_mint_at (c, KEY, SECRET, 600, NOW, &err);
  fail_unless (token != NULL, "%s", err ? err->message : "");
  /* header is {"alg":"HS256","typ":"JWT"} */
  fail_unless (g_str_has_prefix (token,
          "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));

  back = gst_livekit_token_verifier_verify_at (v, token, NOW, &err);
  fail_unless (back != NULL, "%s", err ? err->message : "");
  fail_unless_equals_string (back->api_key, KEY);
  fail_unless_equals_int64 (back->not_before, NOW);
  fail_unless_equals_int64 (back->expires_at, NOW + 600);
  fail_unless_equals_int64 (back->issued_at, NOW - 5);
  fail_unless_equals_string (back->video.can_publish_sources[1],
      "screen_share");
  fail_unless_equals_string (back->room_config,
      "{\"name\":\"r\",\"emptyTimeout\":30}");
  fail_unless_equals_int (back->video.can_publish, GST_LIVEKIT_GRANT_FALSE);
  fail_unless_equals_int (back->video.can_subscribe, GST_LIVEKIT_GRANT_TRUE);
  fail_unless_equals_int (back->sip_admin, GST_LIVEKIT_GRANT_TRUE);
  fail_unless_equals_int (back->sip_call, GST_LIVEKIT_GRANT_UNSET);

  /* everything else as given */
  g_free (c->api_key);
  c->api_key = g_strdup (KEY);
  c->not_before = NOW;
  c->expires_at = NOW + 600;
  assert_same_claims (c, back);

  /* the unverified reading gives the same */
  gst_livekit_token_claims_free (back);
  back = gst_livekit_token_decode_unverified (token, &err);
  fail_unless (back != NULL);
  assert_same_claims (c, back);

  gst_livekit_token_claims_free (back);
  gst_livekit_token_claims_free (c);
  gst_livekit_token_verifier_free (v);
  g_free (token);
}

GST_END_TEST;

GST_START_TEST (test_unset_grants_left_out)
{
  GstLiveKitTokenClaims *c = gst_livekit_token_claims_new ();
  gchar *json, *token;

  json = gst_livekit_token_claims_to_json (c, NULL);
  fail_unless_equals_string (json, "{}");
  g_free (json);

  c->identity = g_strdup ("me");
  c->has_video = TRUE;
  c->video.room = g_strdup ("r");
  c->video.room_join = GST_LIVEKIT_GRANT_TRUE;
  c->video.can_publish = GST_LIVEKIT_GRANT_FALSE;
  json = gst_livekit_token_claims_to_json (c, NULL);
  fail_unless_equals_string (json, "{\"sub\":\"me\",\"video\":"
      "{\"room\":\"r\",\"roomJoin\":true,\"canPublish\":false}}");
  g_free (json);

  /* default lifetime 6 h; explicit exp is kept when ttl is 0 */
  token = gst_livekit_token_mint_at (c, KEY, SECRET, 0, NOW, NULL);
  gst_livekit_token_claims_free (c);
  c = gst_livekit_token_decode_unverified (token, NULL);
  fail_unless_equals_int64 (c->expires_at, NOW + 6 * 3600);
  g_free (token);
  c->expires_at = NOW + 42;
  token = gst_livekit_token_mint_at (c, NULL, SECRET, 0, NOW, NULL);
  gst_livekit_token_claims_free (c);
  c = gst_livekit_token_decode_unverified (token, NULL);
  fail_unless_equals_int64 (c->expires_at, NOW + 42);
  /* NULL api key: the claims' own */
  fail_unless_equals_string (c->api_key, KEY);
  g_free (token);
  gst_livekit_token_claims_free (c);
}

GST_END_TEST;

GST_START_TEST (test_sdk_vector)
{
  GstLiveKitTokenVerifier *v = gst_livekit_token_verifier_new ();
  GstLiveKitTokenClaims *c;
  GError *err = NULL;

  gst_livekit_token_verifier_add_key (v, "APIvector",
      "vector-secret-0123456789");
  c = gst_livekit_token_verifier_verify_at (v, sdk_vector, NOW + 10, &err);
  fail_unless (c != NULL, "%s", err ? err->message : "");
  fail_unless_equals_string (c->api_key, "APIvector");
  fail_unless_equals_string (c->identity, "EG_vector");
  fail_unless_equals_string (c->name, "Vec Tor");
  fail_unless_equals_string (c->kind, "egress");
  fail_unless_equals_string (c->metadata, "{\"a\":1}");
  fail_unless_equals_string (g_hash_table_lookup (c->attributes, "team"),
      "blue");
  fail_unless_equals_int64 (c->not_before, NOW);
  fail_unless_equals_int64 (c->expires_at, NOW + 3600);
  fail_unless (c->has_video);
  fail_unless_equals_string (c->video.room, "vroom");
  fail_unless_equals_int (c->video.room_join, GST_LIVEKIT_GRANT_TRUE);
  fail_unless_equals_int (c->video.can_publish, GST_LIVEKIT_GRANT_FALSE);
  fail_unless_equals_int (c->video.can_subscribe, GST_LIVEKIT_GRANT_TRUE);
  fail_unless_equals_int (c->video.can_publish_data,
      GST_LIVEKIT_GRANT_UNSET);
  fail_unless_equals_int (c->video.hidden, GST_LIVEKIT_GRANT_TRUE);
  fail_unless_equals_int (c->video.recorder, GST_LIVEKIT_GRANT_TRUE);
  fail_unless_equals_int (g_strv_length (c->video.can_publish_sources), 2);
  fail_unless_equals_string (c->video.can_publish_sources[1], "microphone");
  gst_livekit_token_claims_free (c);

  /* the same token an hour and two minutes later */
  c = gst_livekit_token_verifier_verify_at (v, sdk_vector, NOW + 3720, &err);
  fail_unless (c == NULL);
  fail_unless_equals_int (err->code, GST_LIVEKIT_TOKEN_ERROR_EXPIRED);
  g_clear_error (&err);
  gst_livekit_token_verifier_free (v);
}

GST_END_TEST;

GST_START_TEST (test_bad_signature)
{
  GstLiveKitTokenClaims *c = full_claims ();
  gchar *token, *other, *msg;
  gsize len;

  token = gst_livekit_token_mint_at (c, KEY, SECRET, 600, NOW, NULL);
  /* signed with another secret */
  other = gst_livekit_token_mint_at (c, KEY, "not-the-secret", 600, NOW,
      NULL);
  msg = verify_error (other, GST_LIVEKIT_TOKEN_ERROR_SIGNATURE);
  fail_unless (strstr (msg, "signature") != NULL);
  g_free (msg);
  g_free (other);

  /* one signature character changed */
  len = strlen (token);
  other = g_strdup (token);
  other[len - 5] = other[len - 5] == 'A' ? 'B' : 'A';
  g_free (verify_error (other, GST_LIVEKIT_TOKEN_ERROR_SIGNATURE));
  g_free (other);

  /* truncated signature (still valid base64url) */
  other = g_strndup (token, len - 3);
  g_free (verify_error (other, GST_LIVEKIT_TOKEN_ERROR_SIGNATURE));
  g_free (other);

  /* payload swapped for another one signed elsewhere */
  other = sign_raw ("{\"alg\":\"HS256\"}", "{\"iss\":\"" KEY "\",\"exp\":"
      "1800000000,\"video\":{\"roomAdmin\":true}}", "guess");
  g_free (verify_error (other, GST_LIVEKIT_TOKEN_ERROR_SIGNATURE));
  g_free (other);

  /* empty signature */
  other = g_strndup (token, strrchr (token, '.') - token + 1);
  g_free (verify_error (other, GST_LIVEKIT_TOKEN_ERROR_SIGNATURE));
  g_free (other);

  g_free (token);
  gst_livekit_token_claims_free (c);
}

GST_END_TEST;

GST_START_TEST (test_times)
{
  GstLiveKitTokenVerifier *v = make_verifier ();
  GstLiveKitTokenClaims *c = gst_livekit_token_claims_new (), *back;
  GError *err = NULL;
  gchar *token;

  token = gst_livekit_token_mint_at (c, KEY, SECRET, 600, NOW, NULL);
  /* valid from nbf to exp; the default leeway is a minute */
  back = gst_livekit_token_verifier_verify_at (v, token, NOW + 660, NULL);
  fail_unless (back != NULL);
  gst_livekit_token_claims_free (back);
  back = gst_livekit_token_verifier_verify_at (v, token, NOW - 60, NULL);
  fail_unless (back != NULL);
  gst_livekit_token_claims_free (back);

  back = gst_livekit_token_verifier_verify_at (v, token, NOW + 661, &err);
  fail_unless (back == NULL);
  fail_unless_equals_int (err->code, GST_LIVEKIT_TOKEN_ERROR_EXPIRED);
  fail_unless (strstr (err->message, "expired") != NULL);
  g_clear_error (&err);
  back = gst_livekit_token_verifier_verify_at (v, token, NOW - 61, &err);
  fail_unless (back == NULL);
  fail_unless_equals_int (err->code, GST_LIVEKIT_TOKEN_ERROR_NOT_YET_VALID);
  fail_unless (strstr (err->message, "not valid") != NULL);
  g_clear_error (&err);

  /* leeway 0 */
  gst_livekit_token_verifier_set_leeway (v, 0);
  back = gst_livekit_token_verifier_verify_at (v, token, NOW + 601, &err);
  fail_unless (back == NULL);
  fail_unless_equals_int (err->code, GST_LIVEKIT_TOKEN_ERROR_EXPIRED);
  g_clear_error (&err);
  back = gst_livekit_token_verifier_verify_at (v, token, NOW - 1, &err);
  fail_unless (back == NULL);
  fail_unless_equals_int (err->code, GST_LIVEKIT_TOKEN_ERROR_NOT_YET_VALID);
  g_clear_error (&err);
  back = gst_livekit_token_verifier_verify_at (v, token, NOW + 600, &err);
  fail_unless (back != NULL);
  gst_livekit_token_claims_free (back);
  g_free (token);

  /* the real clock */
  token = gst_livekit_token_mint (c, KEY, SECRET, 600, NULL);
  back = gst_livekit_token_verifier_verify (v, token, &err);
  fail_unless (back != NULL, "%s", err ? err->message : "");
  gst_livekit_token_claims_free (back);
  g_free (token);

  /* exp in the past, via the helper; exp is required */
  payload_error ("{\"iss\":\"" KEY "\",\"exp\":1600000000}",
      GST_LIVEKIT_TOKEN_ERROR_EXPIRED, "expired");
  payload_error ("{\"iss\":\"" KEY "\",\"exp\":1800000000,"
      "\"nbf\":1799999999}", GST_LIVEKIT_TOKEN_ERROR_NOT_YET_VALID, "nbf");
  payload_error ("{\"iss\":\"" KEY "\"}",
      GST_LIVEKIT_TOKEN_ERROR_MISSING_CLAIM, "exp");
  /* fractional NumericDate is fine */
  token = sign_payload ("{\"iss\":\"" KEY "\",\"exp\":1700000100.5}");
  back = gst_livekit_token_verifier_verify_at (v, token, NOW, &err);
  fail_unless (back != NULL, "%s", err ? err->message : "");
  fail_unless_equals_int64 (back->expires_at, NOW + 100);
  gst_livekit_token_claims_free (back);
  g_free (token);
  payload_error ("{\"iss\":\"" KEY "\",\"exp\":1e300}",
      GST_LIVEKIT_TOKEN_ERROR_CLAIM_TYPE, "range");

  gst_livekit_token_claims_free (c);
  gst_livekit_token_verifier_free (v);
}

GST_END_TEST;

GST_START_TEST (test_algorithms)
{
  const gchar *payload = "{\"iss\":\"" KEY "\",\"exp\":1800000000}";
  const gchar *headers[] = {
    "{\"alg\":\"none\"}",
    "{\"alg\":\"None\",\"typ\":\"JWT\"}",
    "{\"alg\":\"HS512\"}",
    "{\"alg\":\"HS384\"}",
    "{\"alg\":\"RS256\"}",
    "{\"alg\":\"hs256\"}",
    "{\"alg\":\"\"}",
    "{\"alg\":null}",
    "{\"alg\":[\"HS256\"]}",
    "{\"typ\":\"JWT\"}",
  };
  gchar *token, *msg, *h, *p;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (headers); i++) {
    token = sign_raw (headers[i], payload, SECRET);
    msg = verify_error (token, GST_LIVEKIT_TOKEN_ERROR_ALGORITHM);
    fail_unless (strstr (msg, "only HS256") != NULL, "%s", msg);
    g_free (msg);
    g_free (token);
  }

  /* the classic: alg none and an empty signature */
  h = b64url ("{\"alg\":\"none\"}", 14);
  p = b64url (payload, strlen (payload));
  token = g_strconcat (h, ".", p, ".", NULL);
  msg = verify_error (token, GST_LIVEKIT_TOKEN_ERROR_ALGORITHM);
  fail_unless (strstr (msg, "\"none\"") != NULL, "%s", msg);
  g_free (msg);
  g_free (token);
  g_free (h);
  g_free (p);

  /* critical extensions are not understood */
  token = sign_raw ("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}",
      payload, SECRET);
  g_free (verify_error (token, GST_LIVEKIT_TOKEN_ERROR_ALGORITHM));
  g_free (token);
}

GST_END_TEST;

GST_START_TEST (test_unknown_key)
{
  gchar *token, *msg;

  token = sign_raw ("{\"alg\":\"HS256\"}",
      "{\"iss\":\"APIstranger\",\"exp\":1800000000}", SECRET);
  msg = verify_error (token, GST_LIVEKIT_TOKEN_ERROR_UNKNOWN_KEY);
  fail_unless (strstr (msg, "APIstranger") != NULL);
  g_free (msg);
  g_free (token);

  payload_error ("{\"exp\":1800000000}",
      GST_LIVEKIT_TOKEN_ERROR_MISSING_CLAIM, "iss");
  payload_error ("{\"iss\":7,\"exp\":1800000000}",
      GST_LIVEKIT_TOKEN_ERROR_CLAIM_TYPE, "iss");
}

GST_END_TEST;

GST_START_TEST (test_malformed)
{
  GstLiveKitTokenClaims *c = gst_livekit_token_claims_new ();
  gchar *good, *bad, *msg, **parts;
  const gchar *b64_bad[] = { "ab*c", "abc=", "a b", "ab+c", "ab/c", "a",
    "abcde", "aB", "abD"
  };
  guint i;

  good = gst_livekit_token_mint_at (c, KEY, SECRET, 600, NOW, NULL);
  parts = g_strsplit (good, ".", -1);
  fail_unless_equals_int (g_strv_length (parts), 3);

  /* segment count */
  g_free (verify_error ("", GST_LIVEKIT_TOKEN_ERROR_SEGMENTS));
  g_free (verify_error ("abc", GST_LIVEKIT_TOKEN_ERROR_SEGMENTS));
  bad = g_strjoin (".", parts[0], parts[1], NULL);
  msg = verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_SEGMENTS);
  fail_unless (strstr (msg, "2 segments") != NULL, "%s", msg);
  g_free (msg);
  g_free (bad);
  bad = g_strjoin (".", parts[0], parts[1], parts[2], "", NULL);
  msg = verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_SEGMENTS);
  fail_unless (strstr (msg, "4 segments") != NULL, "%s", msg);
  g_free (msg);
  g_free (bad);
  bad = g_strdup_printf ("%s.%s.%s.%s.%s", parts[0], parts[1], parts[2],
      parts[1], parts[2]);
  g_free (verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_SEGMENTS));
  g_free (bad);

  /* base64url in every segment: bad bytes, padding, lone characters,
   * stray bits */
  for (i = 0; i < G_N_ELEMENTS (b64_bad); i++) {
    guint seg;

    for (seg = 0; seg < 3; seg++) {
      gchar *s[3] = { parts[0], parts[1], parts[2] };

      s[seg] = (gchar *) b64_bad[i];
      bad = g_strjoin (".", s[0], s[1], s[2], NULL);
      msg = verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_BASE64);
      fail_unless (strstr (msg, seg == 0 ? "header" : seg == 1 ? "payload" :
              "signature") != NULL, "%s", msg);
      g_free (msg);
      g_free (bad);
    }
  }
  /* a padded signature is refused as well */
  bad = g_strconcat (good, "=", NULL);
  g_free (verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_BASE64));
  g_free (bad);

  /* JSON: not JSON, not an object, not UTF-8, nested too deep */
  bad = sign_raw ("{\"alg\":\"HS256\"", "{}", SECRET);
  msg = verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_JSON);
  fail_unless (strstr (msg, "header") != NULL, "%s", msg);
  g_free (msg);
  g_free (bad);
  bad = sign_raw ("{\"alg\":\"HS256\"}", "{\"iss\":", SECRET);
  msg = verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_JSON);
  fail_unless (strstr (msg, "payload") != NULL, "%s", msg);
  g_free (msg);
  g_free (bad);
  bad = sign_raw ("{\"alg\":\"HS256\"}", "[1,2]", SECRET);
  g_free (verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_JSON));
  g_free (bad);
  bad = sign_raw ("\"HS256\"", "{}", SECRET);
  g_free (verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_JSON));
  g_free (bad);
  bad = sign_raw ("{\"alg\":\"HS256\"}", "", SECRET);
  g_free (verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_JSON));
  g_free (bad);
  bad = sign_raw ("{\"alg\":\"HS256\"}", "{\"name\":\"\xff\"}", SECRET);
  msg = verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_JSON);
  fail_unless (strstr (msg, "UTF-8") != NULL, "%s", msg);
  g_free (msg);
  g_free (bad);
  /* what json-glib would take but JSON does not */
  {
    const gchar *lenient[] = {
      "{'iss':'x'}", "{\"iss\":\"x\" /* c */}", "{\"iss\":\"x\"} // c",
      "{\"name\":\"\\700\"}", "{\"name\":\"\\x41\"}", "{\"name\":\"a\tb\"}",
      "{\"name\":\"\\u12\"}", "{\"sub\":\"a\\u0000b\"}",
    };

    for (i = 0; i < G_N_ELEMENTS (lenient); i++) {
      bad = sign_raw ("{\"alg\":\"HS256\"}", lenient[i], SECRET);
      msg = verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_JSON);
      fail_unless (strstr (msg, "offset") != NULL, "%s", msg);
      g_free (msg);
      g_free (bad);
    }
  }
  /* a lone surrogate gives no UTF-8 (json-glib refuses it already) */
  bad = sign_raw ("{\"alg\":\"HS256\"}", "{\"attributes\":{\"a\":"
      "\"\\ud800\"}}", SECRET);
  g_free (verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_JSON));
  g_free (bad);
  {
    GString *deep = g_string_new ("{\"a\":");

    for (i = 0; i < 100; i++)
      g_string_append_c (deep, '[');
    for (i = 0; i < 100; i++)
      g_string_append_c (deep, ']');
    g_string_append_c (deep, '}');
    bad = sign_raw ("{\"alg\":\"HS256\"}", deep->str, SECRET);
    msg = verify_error (bad, GST_LIVEKIT_TOKEN_ERROR_JSON);
    fail_unless (strstr (msg, "nesting deeper") != NULL, "%s", msg);
    g_free (msg);
    g_free (bad);
    g_string_free (deep, TRUE);
  }

  g_strfreev (parts);
  g_free (good);
  gst_livekit_token_claims_free (c);
}

GST_END_TEST;

GST_START_TEST (test_claim_types)
{
  struct
  {
    const gchar *claim;
    const gchar *path;
  } cases[] = {
    {"\"sub\":1", "sub"},
    {"\"name\":true", "name"},
    {"\"metadata\":{}", "metadata"},
    {"\"kind\":[]", "kind"},
    {"\"jti\":null", "jti"},
    {"\"sha256\":1.5", "sha256"},
    {"\"roomPreset\":false", "roomPreset"},
    {"\"nbf\":\"1700000000\"", "nbf"},
    {"\"iat\":true", "iat"},
    {"\"attributes\":[]", "attributes"},
    {"\"attributes\":{\"a\":\"x\",\"b\":2}", "attributes.b"},
    {"\"roomConfig\":\"{}\"", "roomConfig"},
    {"\"video\":true", "video"},
    {"\"video\":{\"roomJoin\":\"true\"}", "video.roomJoin"},
    {"\"video\":{\"canPublish\":1}", "video.canPublish"},
    {"\"video\":{\"recorder\":null}", "video.recorder"},
    {"\"video\":{\"room\":5}", "video.room"},
    {"\"video\":{\"destinationRoom\":{}}", "video.destinationRoom"},
    {"\"video\":{\"canPublishSources\":\"camera\"}",
        "video.canPublishSources"},
    {"\"video\":{\"canPublishSources\":[\"camera\",3]}",
        "video.canPublishSources[1]"},
    {"\"sip\":{\"admin\":\"yes\"}", "sip.admin"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *payload = g_strdup_printf ("{\"iss\":\"" KEY "\","
        "\"exp\":1800000000,%s}", cases[i].claim);
    gchar *needle = g_strdup_printf ("\"%s\" must be", cases[i].path);
    GError *err = NULL;
    GstLiveKitTokenClaims *c;

    payload_error (payload, GST_LIVEKIT_TOKEN_ERROR_CLAIM_TYPE, needle);
    /* the same from plain JSON */
    c = gst_livekit_token_claims_from_json (payload, -1, &err);
    fail_unless (c == NULL);
    fail_unless_equals_int (err->code, GST_LIVEKIT_TOKEN_ERROR_CLAIM_TYPE);
    g_clear_error (&err);
    g_free (needle);
    g_free (payload);
  }
  /* exp of the wrong type */
  payload_error ("{\"iss\":\"" KEY "\",\"exp\":\"1800000000\"}",
      GST_LIVEKIT_TOKEN_ERROR_CLAIM_TYPE, "\"exp\" must be");
}

GST_END_TEST;

GST_START_TEST (test_unknown_claims_ignored)
{
  GstLiveKitTokenVerifier *v = make_verifier ();
  GstLiveKitTokenClaims *c;
  GError *err = NULL;
  gchar *token;

  token = sign_payload ("{\"iss\":\"" KEY "\",\"exp\":1800000000,"
      "\"aud\":[\"x\"],\"kindDetails\":[\"FORWARDED\"],\"inference\":"
      "{\"perform\":true},\"video\":{\"futureGrant\":7,\"room\":\"r\"}}");
  c = gst_livekit_token_verifier_verify_at (v, token, NOW, &err);
  fail_unless (c != NULL, "%s", err ? err->message : "");
  fail_unless_equals_string (c->video.room, "r");
  gst_livekit_token_claims_free (c);
  g_free (token);

  /* other keys of the set verify their own tokens */
  token = sign_raw ("{\"alg\":\"HS256\"}", "{\"iss\":\"otherkey\","
      "\"exp\":1800000000}", "other-secret");
  c = gst_livekit_token_verifier_verify_at (v, token, NOW, &err);
  fail_unless (c != NULL, "%s", err ? err->message : "");
  gst_livekit_token_claims_free (c);
  g_free (token);
  gst_livekit_token_verifier_free (v);
}

GST_END_TEST;

GST_START_TEST (test_mint_errors)
{
  GstLiveKitTokenClaims *c = gst_livekit_token_claims_new ();
  GError *err = NULL;

  fail_unless (gst_livekit_token_mint (c, KEY, "", 0, &err) == NULL);
  fail_unless_equals_int (err->code, GST_LIVEKIT_TOKEN_ERROR_INVALID);
  g_clear_error (&err);
  fail_unless (gst_livekit_token_mint (c, NULL, SECRET, 0, &err) == NULL);
  fail_unless_equals_int (err->code, GST_LIVEKIT_TOKEN_ERROR_INVALID);
  g_clear_error (&err);
  fail_unless (gst_livekit_token_mint (c, KEY, SECRET, -1, &err) == NULL);
  g_clear_error (&err);

  c->has_video = TRUE;
  c->video.room_join = GST_LIVEKIT_GRANT_TRUE;
  fail_unless (gst_livekit_token_mint (c, KEY, SECRET, 0, &err) == NULL);
  fail_unless (strstr (err->message, "identity") != NULL);
  g_clear_error (&err);
  c->identity = g_strdup ("id");

  c->room_config = g_strdup ("[1]");
  fail_unless (gst_livekit_token_mint (c, KEY, SECRET, 0, &err) == NULL);
  fail_unless (strstr (err->message, "roomConfig") != NULL);
  g_clear_error (&err);
  g_clear_pointer (&c->room_config, g_free);

  c->name = g_strdup ("bad \xff");
  fail_unless (gst_livekit_token_mint (c, KEY, SECRET, 0, &err) == NULL);
  fail_unless (strstr (err->message, "\"name\" is not UTF-8") != NULL);
  g_clear_error (&err);
  g_clear_pointer (&c->name, g_free);

  gst_livekit_token_claims_set_attribute (c, "k", "\xfe");
  fail_unless (gst_livekit_token_mint (c, KEY, SECRET, 0, &err) == NULL);
  fail_unless_equals_int (err->code, GST_LIVEKIT_TOKEN_ERROR_INVALID);
  g_clear_error (&err);
  gst_livekit_token_claims_free (c);
}

GST_END_TEST;

GST_START_TEST (test_set_grant_by_name)
{
  GstLiveKitTokenClaims *c = gst_livekit_token_claims_new ();
  gchar *json;

  fail_unless (gst_livekit_token_claims_set_grant (c, "canPublishData",
          GST_LIVEKIT_GRANT_FALSE));
  fail_unless (c->has_video);
  fail_unless (gst_livekit_token_claims_set_grant (c, "roomJoin",
          GST_LIVEKIT_GRANT_TRUE));
  fail_unless (gst_livekit_token_claims_set_grant (c, "canManageAgentSession",
          GST_LIVEKIT_GRANT_TRUE));
  fail_unless (gst_livekit_token_claims_set_grant (c, "sip.call",
          GST_LIVEKIT_GRANT_TRUE));
  fail_unless (gst_livekit_token_claims_set_grant (c, "roomJoin",
          GST_LIVEKIT_GRANT_UNSET));
  fail_if (gst_livekit_token_claims_set_grant (c, "room",
          GST_LIVEKIT_GRANT_TRUE));
  fail_if (gst_livekit_token_claims_set_grant (c, "canpublish",
          GST_LIVEKIT_GRANT_TRUE));
  json = gst_livekit_token_claims_to_json (c, NULL);
  fail_unless_equals_string (json, "{\"video\":{\"canPublishData\":false,"
      "\"canManageAgentSession\":true},\"sip\":{\"call\":true}}");
  g_free (json);
  gst_livekit_token_claims_free (c);
}

GST_END_TEST;

GST_START_TEST (test_boxed)
{
  GstLiveKitTokenClaims *c = full_claims (), *copy;
  GValue v = G_VALUE_INIT;

  g_value_init (&v, GST_TYPE_LIVEKIT_TOKEN_CLAIMS);
  g_value_set_boxed (&v, c);
  copy = g_value_dup_boxed (&v);
  fail_unless (copy != c);
  assert_same_claims (c, copy);
  g_value_unset (&v);
  gst_livekit_token_claims_free (copy);
  gst_livekit_token_claims_free (c);
  gst_livekit_token_claims_free (NULL);
  gst_livekit_token_verifier_free (NULL);
}

GST_END_TEST;

static Suite *
token_suite (void)
{
  Suite *s = suite_create ("token");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_mint_verify_round_trip);
  tcase_add_test (tc, test_unset_grants_left_out);
  tcase_add_test (tc, test_sdk_vector);
  tcase_add_test (tc, test_bad_signature);
  tcase_add_test (tc, test_times);
  tcase_add_test (tc, test_algorithms);
  tcase_add_test (tc, test_unknown_key);
  tcase_add_test (tc, test_malformed);
  tcase_add_test (tc, test_claim_types);
  tcase_add_test (tc, test_unknown_claims_ignored);
  tcase_add_test (tc, test_mint_errors);
  tcase_add_test (tc, test_set_grant_by_name);
  tcase_add_test (tc, test_boxed);
  return s;
}

GST_CHECK_MAIN (token);

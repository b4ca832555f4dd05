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


/* libFuzzer target: access tokens.  The input goes, as text, through the
 * verifier (with a key set, at a fixed time), the unverified decoder and
 * the claims reader.  Claims that read must write back to the same JSON
 * (a fixed point), and when minted must verify to the same claims. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gst/livekit/token.h>

#define KEY "APIfuzz"
#define SECRET "fuzz-secret"
#define NOW G_GINT64_CONSTANT (1700000000)

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static GstLiveKitTokenVerifier *verifier;

static void
check_claims (GstLiveKitTokenClaims * c)
{
  GstLiveKitTokenClaims *again, *back;
  gchar *json, *json2, *token;

  json = gst_livekit_token_claims_to_json (c, NULL);
  /* strings from JSON escapes may be lone surrogates: not writable */
  if (!json)
    return;
  again = gst_livekit_token_claims_from_json (json, -1, NULL);
  if (!again)
    abort ();
  json2 = gst_livekit_token_claims_to_json (again, NULL);
  if (!json2 || strcmp (json, json2) != 0)
    abort ();
  g_free (json2);

  /* minted now with a fresh lifetime, it must verify to the same */
  again->not_before = 0;
  token = gst_livekit_token_mint_at (again, KEY, SECRET, 600, NOW, NULL);
  if (token) {
    back = gst_livekit_token_verifier_verify_at (verifier, token, NOW, NULL);
    if (!back)
      abort ();
    g_free (again->api_key);
    again->api_key = g_strdup (KEY);
    again->not_before = NOW;
    again->expires_at = NOW + 600;
    json = (g_free (json), gst_livekit_token_claims_to_json (again, NULL));
    json2 = gst_livekit_token_claims_to_json (back, NULL);
    if (!json2 || strcmp (json, json2) != 0)
      abort ();
    g_free (json2);
    gst_livekit_token_claims_free (back);
    g_free (token);
  }
  gst_livekit_token_claims_free (again);
  g_free (json);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GstLiveKitTokenClaims *c;
  gchar *text;

  if (!verifier) {
    verifier = gst_livekit_token_verifier_new ();
    gst_livekit_token_verifier_add_key (verifier, KEY, SECRET);
  }

  text = g_strndup ((const gchar *) data, size);

  c = gst_livekit_token_verifier_verify_at (verifier, text, NOW, NULL);
  if (c) {
    check_claims (c);
    gst_livekit_token_claims_free (c);
  }
  c = gst_livekit_token_decode_unverified (text, NULL);
  if (c) {
    check_claims (c);
    gst_livekit_token_claims_free (c);
  }
  c = gst_livekit_token_claims_from_json ((const gchar *) data, size, NULL);
  if (c) {
    check_claims (c);
    gst_livekit_token_claims_free (c);
  }
  g_free (text);
  return 0;
}

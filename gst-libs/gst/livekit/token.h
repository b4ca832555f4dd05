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


#ifndef __GST_LIVEKIT_TOKEN_H__
#define __GST_LIVEKIT_TOKEN_H__

#include <glib.h>
#include <glib-object.h>

G_BEGIN_DECLS

/**
 * GST_LIVEKIT_TOKEN_ERROR:
 *
 * Error domain of LiveKit access tokens (minting and verification).
 */
#define GST_LIVEKIT_TOKEN_ERROR (gst_livekit_token_error_quark ())

/**
 * GstLiveKitTokenError:
 * @GST_LIVEKIT_TOKEN_ERROR_INVALID: minting: a claim or argument cannot go
 *     into a token (no API key or secret, a string that is not UTF-8,
 *     roomJoin without identity, roomConfig that is not a JSON object)
 * @GST_LIVEKIT_TOKEN_ERROR_SEGMENTS: the token is not three dot-separated
 *     segments (or is empty, or too long)
 * @GST_LIVEKIT_TOKEN_ERROR_BASE64: a segment is not unpadded base64url
 * @GST_LIVEKIT_TOKEN_ERROR_JSON: the header or payload is not a JSON object
 * @GST_LIVEKIT_TOKEN_ERROR_ALGORITHM: the header's `alg` is not `HS256`
 *     (`none` included), or the header asks for extensions (`crit`)
 * @GST_LIVEKIT_TOKEN_ERROR_CLAIM_TYPE: a known claim has the wrong JSON type
 * @GST_LIVEKIT_TOKEN_ERROR_MISSING_CLAIM: `iss` or `exp` is missing
 * @GST_LIVEKIT_TOKEN_ERROR_UNKNOWN_KEY: the `iss` claim names an API key
 *     the verifier does not hold
 * @GST_LIVEKIT_TOKEN_ERROR_SIGNATURE: the signature does not match
 * @GST_LIVEKIT_TOKEN_ERROR_EXPIRED: `exp` has passed (beyond the leeway)
 * @GST_LIVEKIT_TOKEN_ERROR_NOT_YET_VALID: `nbf` lies ahead (beyond the
 *     leeway)
 */
typedef enum
{
  GST_LIVEKIT_TOKEN_ERROR_INVALID,
  GST_LIVEKIT_TOKEN_ERROR_SEGMENTS,
  GST_LIVEKIT_TOKEN_ERROR_BASE64,
  GST_LIVEKIT_TOKEN_ERROR_JSON,
  GST_LIVEKIT_TOKEN_ERROR_ALGORITHM,
  GST_LIVEKIT_TOKEN_ERROR_CLAIM_TYPE,
  GST_LIVEKIT_TOKEN_ERROR_MISSING_CLAIM,
  GST_LIVEKIT_TOKEN_ERROR_UNKNOWN_KEY,
  GST_LIVEKIT_TOKEN_ERROR_SIGNATURE,
  GST_LIVEKIT_TOKEN_ERROR_EXPIRED,
  GST_LIVEKIT_TOKEN_ERROR_NOT_YET_VALID,
} GstLiveKitTokenError;

GQuark gst_livekit_token_error_quark (void);

/**
 * GstLiveKitGrant:
 * @GST_LIVEKIT_GRANT_UNSET: the claim is absent (LiveKit then applies its
 *     default, e.g. publish and subscribe are allowed when neither
 *     canPublish nor canSubscribe is given)
 * @GST_LIVEKIT_GRANT_FALSE: present and `false`
 * @GST_LIVEKIT_GRANT_TRUE: present and `true`
 *
 * A boolean grant: LiveKit tells an absent permission from a false one.
 */
typedef enum
{
  GST_LIVEKIT_GRANT_UNSET = 0,
  GST_LIVEKIT_GRANT_FALSE,
  GST_LIVEKIT_GRANT_TRUE,
} GstLiveKitGrant;

/**
 * GstLiveKitVideoGrant:
 * @room: room name (`room`), for join and admin permissions
 * @room_create: `roomCreate`
 * @room_join: `roomJoin`
 * @room_list: `roomList`
 * @room_record: `roomRecord`: may start egress
 * @room_admin: `roomAdmin`
 * @ingress_admin: `ingressAdmin`
 * @can_publish: `canPublish`
 * @can_subscribe: `canSubscribe`
 * @can_publish_data: `canPublishData`
 * @can_publish_sources: `canPublishSources`: NULL when absent, else a
 *     NULL-terminated list of source names (`camera`, `microphone`,
 *     `screen_share`, `screen_share_audio`)
 * @can_update_own_metadata: `canUpdateOwnMetadata`
 * @hidden: `hidden`: others do not see the participant
 * @recorder: `recorder`: the participant records the room
 * @agent: `agent`
 * @can_subscribe_metrics: `canSubscribeMetrics`
 * @can_manage_agent_session: `canManageAgentSession`
 * @destination_room: `destinationRoom`
 *
 * The `video` claim.  Strings are owned by the claims (NULL = absent).
 */
typedef struct
{
  gchar *room;
  GstLiveKitGrant room_create;
  GstLiveKitGrant room_join;
  GstLiveKitGrant room_list;
  GstLiveKitGrant room_record;
  GstLiveKitGrant room_admin;
  GstLiveKitGrant ingress_admin;
  GstLiveKitGrant can_publish;
  GstLiveKitGrant can_subscribe;
  GstLiveKitGrant can_publish_data;
  gchar **can_publish_sources;
  GstLiveKitGrant can_update_own_metadata;
  GstLiveKitGrant hidden;
  GstLiveKitGrant recorder;
  GstLiveKitGrant agent;
  GstLiveKitGrant can_subscribe_metrics;
  GstLiveKitGrant can_manage_agent_session;
  gchar *destination_room;
} GstLiveKitVideoGrant;

/**
 * GstLiveKitTokenClaims:
 * @api_key: `iss`: the API key whose secret signs the token
 * @identity: `sub`: participant identity
 * @name: `name`: participant display name
 * @metadata: `metadata`
 * @kind: `kind`: participant kind in lower case (`standard`, `egress`,
 *     `ingress`, `sip`, `agent`)
 * @attributes: `attributes`: string -> string, NULL when absent
 * @sha256: `sha256`
 * @room_preset: `roomPreset`
 * @room_config: `roomConfig` as JSON object text (a RoomConfiguration in
 *     proto3 JSON), kept raw
 * @jwt_id: `jti`
 * @issued_at: `iat` in seconds since the epoch, 0 = absent
 * @not_before: `nbf`, 0 = absent
 * @expires_at: `exp`, 0 = absent
 * @has_video: whether the `video` claim is present
 * @video: the `video` claim
 * @sip_admin: `sip.admin`
 * @sip_call: `sip.call`
 *
 * The claims of a LiveKit access token.  Every pointer is owned by the
 * structure and freed by gst_livekit_token_claims_free(); set strings with
 * g_strdup().  Claims the structure does not name are ignored when
 * verifying and never written when minting.
 */
typedef struct
{
  gchar *api_key;
  gchar *identity;
  gchar *name;
  gchar *metadata;
  gchar *kind;
  GHashTable *attributes;
  gchar *sha256;
  gchar *room_preset;
  gchar *room_config;
  gchar *jwt_id;
  gint64 issued_at;
  gint64 not_before;
  gint64 expires_at;
  gboolean has_video;
  GstLiveKitVideoGrant video;
  GstLiveKitGrant sip_admin;
  GstLiveKitGrant sip_call;
} GstLiveKitTokenClaims;

/**
 * GST_LIVEKIT_TOKEN_DEFAULT_TTL:
 *
 * Lifetime of a minted token when none is given: 6 hours, as the SDKs.
 */
#define GST_LIVEKIT_TOKEN_DEFAULT_TTL (6 * 3600)

/**
 * GST_LIVEKIT_TOKEN_DEFAULT_LEEWAY:
 *
 * Clock skew a verifier tolerates on `exp` and `nbf`, in seconds: one
 * minute, as LiveKit's server.
 */
#define GST_LIVEKIT_TOKEN_DEFAULT_LEEWAY 60

#define GST_TYPE_LIVEKIT_TOKEN_CLAIMS (gst_livekit_token_claims_get_type ())
GType gst_livekit_token_claims_get_type (void);

GstLiveKitTokenClaims *gst_livekit_token_claims_new (void);
GstLiveKitTokenClaims *gst_livekit_token_claims_copy (
    const GstLiveKitTokenClaims * claims);
void gst_livekit_token_claims_free (GstLiveKitTokenClaims * claims);
void gst_livekit_token_claims_set_attribute (GstLiveKitTokenClaims * claims,
    const gchar * key, const gchar * value);
gboolean gst_livekit_token_claims_set_grant (GstLiveKitTokenClaims * claims,
    const gchar * name, GstLiveKitGrant value);
gchar *gst_livekit_token_claims_to_json (const GstLiveKitTokenClaims * claims,
    GError ** error);
GstLiveKitTokenClaims *gst_livekit_token_claims_from_json (const gchar * json,
    gssize len, GError ** error);

gchar *gst_livekit_token_mint (const GstLiveKitTokenClaims * claims,
    const gchar * api_key, const gchar * api_secret, gint64 ttl,
    GError ** error);
gchar *gst_livekit_token_mint_at (const GstLiveKitTokenClaims * claims,
    const gchar * api_key, const gchar * api_secret, gint64 ttl, gint64 now,
    GError ** error);

GstLiveKitTokenClaims *gst_livekit_token_decode_unverified (
    const gchar * token, GError ** error);

/**
 * GstLiveKitTokenVerifier:
 *
 * A set of API keys and their secrets, and the leeway to grant on times.
 * Not thread-safe while keys are being added; verifying from several
 * threads at once is fine.
 */
typedef struct _GstLiveKitTokenVerifier GstLiveKitTokenVerifier;

GstLiveKitTokenVerifier *gst_livekit_token_verifier_new (void);
void gst_livekit_token_verifier_free (GstLiveKitTokenVerifier * verifier);
void gst_livekit_token_verifier_add_key (GstLiveKitTokenVerifier * verifier,
    const gchar * api_key, const gchar * api_secret);
void gst_livekit_token_verifier_set_leeway (
    GstLiveKitTokenVerifier * verifier, guint seconds);
GstLiveKitTokenClaims *gst_livekit_token_verifier_verify (
    GstLiveKitTokenVerifier * verifier, const gchar * token,
    GError ** error);
GstLiveKitTokenClaims *gst_livekit_token_verifier_verify_at (
    GstLiveKitTokenVerifier * verifier, const gchar * token, gint64 now,
    GError ** error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstLiveKitTokenClaims,
    gst_livekit_token_claims_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstLiveKitTokenVerifier,
    gst_livekit_token_verifier_free)

G_END_DECLS

#endif /* __GST_LIVEKIT_TOKEN_H__ */

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


/* gst-livekit-token: mint, verify or decode a LiveKit access token from
 * the command line, with libgstlivekit's token module.  Not installed: it
 * serves the tests (the SDK interop test drives it) and demos.
 *
 *   gst-livekit-token --key K --secret S --room R --identity I \
 *       [--recorder] [--hidden] [--ttl 600]
 *   gst-livekit-token verify --key K --secret S TOKEN
 *   gst-livekit-token decode TOKEN
 *
 * --key and --secret default to $LIVEKIT_API_KEY and $LIVEKIT_API_SECRET.
 * Minting prints the token; verify and decode print the claims as JSON.
 * Any refusal prints "gst-livekit-token: <reason>" and exits 1. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/livekit/token.h>

static gchar *opt_key, *opt_secret, *opt_room, *opt_identity, *opt_name;
static gchar *opt_metadata, *opt_kind, *opt_sha256, *opt_room_preset;
static gchar *opt_room_config, *opt_jti, *opt_destination_room;
static gchar **opt_attributes, **opt_grants, **opt_sources, **opt_args;
static gboolean opt_recorder, opt_hidden, opt_egress;
static gint64 opt_ttl, opt_now, opt_nbf, opt_exp;
static gint opt_leeway = -1;

/* FILENAME: arguments are taken as bytes, whatever the locale; minting
 * checks that they are UTF-8 */
static GOptionEntry entries[] = {
  {"key", 'k', 0, G_OPTION_ARG_FILENAME, &opt_key,
      "API key (iss); default $LIVEKIT_API_KEY", "KEY"},
  {"secret", 's', 0, G_OPTION_ARG_FILENAME, &opt_secret,
      "API secret; default $LIVEKIT_API_SECRET", "SECRET"},
  {"room", 'r', 0, G_OPTION_ARG_FILENAME, &opt_room,
      "room name; also grants roomJoin", "ROOM"},
  {"identity", 'i', 0, G_OPTION_ARG_FILENAME, &opt_identity,
      "participant identity (sub)", "ID"},
  {"name", 0, 0, G_OPTION_ARG_FILENAME, &opt_name, "display name", "NAME"},
  {"metadata", 0, 0, G_OPTION_ARG_FILENAME, &opt_metadata, "metadata",
      "TEXT"},
  {"kind", 0, 0, G_OPTION_ARG_FILENAME, &opt_kind,
      "participant kind: standard, egress, ingress, sip, agent", "KIND"},
  {"attribute", 'a', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_attributes,
      "attribute (repeatable)", "KEY=VALUE"},
  {"grant", 'g', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_grants,
      "boolean grant by JSON name, e.g. canPublish=false, roomAdmin, "
        "sip.admin (repeatable)", "NAME[=true|false]"},
  {"recorder", 0, 0, G_OPTION_ARG_NONE, &opt_recorder,
      "grant recorder", NULL},
  {"hidden", 0, 0, G_OPTION_ARG_NONE, &opt_hidden, "grant hidden", NULL},
  {"egress", 0, 0, G_OPTION_ARG_NONE, &opt_egress,
      "an egress recorder's grants: kind egress, roomJoin, canSubscribe, "
        "hidden, recorder, no publishing", NULL},
  {"publish-source", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_sources,
      "canPublishSources entry (repeatable)", "SOURCE"},
  {"destination-room", 0, 0, G_OPTION_ARG_FILENAME, &opt_destination_room,
      "destinationRoom", "ROOM"},
  {"room-config", 0, 0, G_OPTION_ARG_FILENAME, &opt_room_config,
      "roomConfig as a JSON object", "JSON"},
  {"room-preset", 0, 0, G_OPTION_ARG_FILENAME, &opt_room_preset,
      "roomPreset", "NAME"},
  {"sha256", 0, 0, G_OPTION_ARG_FILENAME, &opt_sha256, "sha256", "HEX"},
  {"jti", 0, 0, G_OPTION_ARG_FILENAME, &opt_jti, "token id (jti)", "ID"},
  {"ttl", 't', 0, G_OPTION_ARG_INT64, &opt_ttl,
      "lifetime in seconds (default 6 h)", "SECONDS"},
  {"nbf", 0, 0, G_OPTION_ARG_INT64, &opt_nbf,
      "not before, seconds since 1970 (default now)", "TIME"},
  {"exp", 0, 0, G_OPTION_ARG_INT64, &opt_exp,
      "expiry, seconds since 1970 (instead of --ttl)", "TIME"},
  {"now", 0, 0, G_OPTION_ARG_INT64, &opt_now,
      "pretend the time is TIME (seconds since 1970)", "TIME"},
  {"leeway", 0, 0, G_OPTION_ARG_INT, &opt_leeway,
      "verify: tolerated clock skew in seconds (default 60)", "SECONDS"},
  {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_args, NULL,
      "[mint|verify TOKEN|decode TOKEN]"},
  {NULL}
};

static int
fail (const gchar * what, GError * err)
{
  g_printerr ("gst-livekit-token: %s%s%s\n", what ? what : "",
      what ? ": " : "", err->message);
  g_error_free (err);
  return 1;
}

static int
usage (const gchar * msg)
{
  g_printerr ("gst-livekit-token: %s (see --help)\n", msg);
  return 2;
}

static gint64
now (void)
{
  return opt_now ? opt_now : g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
parse_grant (GstLiveKitTokenClaims * c, const gchar * arg)
{
  const gchar *eq = strchr (arg, '=');
  gchar *name = eq ? g_strndup (arg, eq - arg) : g_strdup (arg);
  GstLiveKitGrant value = GST_LIVEKIT_GRANT_TRUE;
  gboolean ok = TRUE;

  if (eq) {
    if (g_ascii_strcasecmp (eq + 1, "false") == 0)
      value = GST_LIVEKIT_GRANT_FALSE;
    else if (g_ascii_strcasecmp (eq + 1, "unset") == 0)
      value = GST_LIVEKIT_GRANT_UNSET;
    else if (g_ascii_strcasecmp (eq + 1, "true") != 0)
      ok = FALSE;
  }
  ok = ok && gst_livekit_token_claims_set_grant (c, name, value);
  if (!ok)
    g_printerr ("gst-livekit-token: bad grant \"%s\"\n", arg);
  g_free (name);
  return ok;
}

static int
mint (void)
{
  GstLiveKitTokenClaims *c = gst_livekit_token_claims_new ();
  GError *err = NULL;
  gchar *token;
  guint i;

  c->identity = g_strdup (opt_identity);
  c->name = g_strdup (opt_name);
  c->metadata = g_strdup (opt_metadata);
  c->kind = g_strdup (opt_kind);
  c->sha256 = g_strdup (opt_sha256);
  c->room_preset = g_strdup (opt_room_preset);
  c->room_config = g_strdup (opt_room_config);
  c->jwt_id = g_strdup (opt_jti);
  c->not_before = opt_nbf;
  c->expires_at = opt_exp;
  if (opt_room) {
    c->has_video = TRUE;
    c->video.room = g_strdup (opt_room);
    c->video.room_join = GST_LIVEKIT_GRANT_TRUE;
  }
  if (opt_egress) {
    /* what LiveKit Egress gives itself */
    if (!c->kind)
      c->kind = g_strdup ("egress");
    c->has_video = TRUE;
    c->video.room_join = GST_LIVEKIT_GRANT_TRUE;
    c->video.can_subscribe = GST_LIVEKIT_GRANT_TRUE;
    c->video.can_publish = GST_LIVEKIT_GRANT_FALSE;
    c->video.can_publish_data = GST_LIVEKIT_GRANT_FALSE;
    c->video.hidden = GST_LIVEKIT_GRANT_TRUE;
    c->video.recorder = GST_LIVEKIT_GRANT_TRUE;
  }
  if (opt_recorder)
    gst_livekit_token_claims_set_grant (c, "recorder",
        GST_LIVEKIT_GRANT_TRUE);
  if (opt_hidden)
    gst_livekit_token_claims_set_grant (c, "hidden", GST_LIVEKIT_GRANT_TRUE);
  for (i = 0; opt_grants && opt_grants[i]; i++) {
    if (!parse_grant (c, opt_grants[i])) {
      gst_livekit_token_claims_free (c);
      return 2;
    }
  }
  if (opt_sources) {
    c->has_video = TRUE;
    c->video.can_publish_sources = g_strdupv (opt_sources);
  }
  if (opt_destination_room) {
    c->has_video = TRUE;
    c->video.destination_room = g_strdup (opt_destination_room);
  }
  for (i = 0; opt_attributes && opt_attributes[i]; i++) {
    gchar **kv = g_strsplit (opt_attributes[i], "=", 2);

    if (!kv[0] || !kv[1]) {
      g_strfreev (kv);
      gst_livekit_token_claims_free (c);
      return usage ("--attribute wants KEY=VALUE");
    }
    gst_livekit_token_claims_set_attribute (c, kv[0], kv[1]);
    g_strfreev (kv);
  }

  token = gst_livekit_token_mint_at (c, opt_key, opt_secret, opt_ttl,
      now (), &err);
  gst_livekit_token_claims_free (c);
  if (!token)
    return fail ("mint", err);
  /* not g_print: that converts to the locale's charset */
  fputs (token, stdout);
  fputc ('\n', stdout);
  g_free (token);
  return 0;
}

static int
print_claims (GstLiveKitTokenClaims * c, GError * err)
{
  gchar *json;

  if (!c)
    return fail (NULL, err);
  json = gst_livekit_token_claims_to_json (c, &err);
  gst_livekit_token_claims_free (c);
  if (!json)
    return fail (NULL, err);
  fputs (json, stdout);
  fputc ('\n', stdout);
  g_free (json);
  return 0;
}

int
main (int argc, char **argv)
{
  GOptionContext *ctx;
  GError *err = NULL;
  const gchar *cmd = "mint";
  const gchar *token = NULL;
  GstLiveKitTokenClaims *c;
  guint nargs;
  int ret;

  ctx = g_option_context_new ("- mint, verify or decode a LiveKit token");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_option_context_free (ctx);
    g_printerr ("gst-livekit-token: %s\n", err->message);
    g_error_free (err);
    return 2;
  }
  g_option_context_free (ctx);

  if (!opt_key)
    opt_key = g_strdup (g_getenv ("LIVEKIT_API_KEY"));
  if (!opt_secret)
    opt_secret = g_strdup (g_getenv ("LIVEKIT_API_SECRET"));

  nargs = opt_args ? g_strv_length (opt_args) : 0;
  if (nargs > 0)
    cmd = opt_args[0];
  if (strcmp (cmd, "mint") == 0) {
    if (nargs > 1)
      return usage ("mint takes no argument");
    ret = mint ();
  } else if (strcmp (cmd, "verify") == 0 || strcmp (cmd, "decode") == 0) {
    if (nargs != 2)
      return usage ("verify and decode take one token");
    token = opt_args[1];
    if (cmd[0] == 'd') {
      c = gst_livekit_token_decode_unverified (token, &err);
      ret = print_claims (c, err);
    } else {
      GstLiveKitTokenVerifier *v = gst_livekit_token_verifier_new ();

      if (!opt_key || !*opt_key || !opt_secret || !*opt_secret) {
        gst_livekit_token_verifier_free (v);
        return usage ("verify needs --key and --secret");
      }
      gst_livekit_token_verifier_add_key (v, opt_key, opt_secret);
      if (opt_leeway >= 0)
        gst_livekit_token_verifier_set_leeway (v, opt_leeway);
      c = gst_livekit_token_verifier_verify_at (v, token, now (), &err);
      ret = print_claims (c, err);
      gst_livekit_token_verifier_free (v);
    }
  } else {
    return usage ("unknown command");
  }

  g_free (opt_key);
  g_free (opt_secret);
  g_strfreev (opt_args);
  return ret;
}

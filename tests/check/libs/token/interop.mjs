// gst-egress: access tokens, C (libgstlivekit through gst-livekit-token)
// against livekit-server-sdk, both ways.
//
//   node interop.mjs PATH/TO/gst-livekit-token
//
// 1. C mints a token with every claim; the SDK's TokenVerifier accepts it
//    and reads the same claims; with another secret or key it refuses.
// 2. The SDK's AccessToken mints a token with every claim; C verifies it
//    and prints the same claims the SDK put in.
// 3. C refuses SDK/jose tokens that are wrong: another secret, an unknown
//    key, expired, not yet valid, alg HS512, alg none.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { RoomConfiguration, RoomAgentDispatch, TrackSource }
  from '@livekit/protocol';
import { AccessToken, TokenVerifier } from 'livekit-server-sdk';

const tool = process.argv[2];
if (!tool) {
  console.error('usage: node interop.mjs PATH/TO/gst-livekit-token');
  process.exit(2);
}
const KEY = 'APIinterop';
const SECRET = 'interop-secret-3f9a1c0b7d2e4f6a8b9c';

const run = (args) => {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
};
const cVerify = (token, extra = []) =>
  run(['verify', '--key', KEY, '--secret', SECRET, ...extra, token]);
let checks = 0;
const ok = (what) => { checks++; console.log(`ok ${checks} - ${what}`); };

// every video grant, with both true and false values
const video = {
  room: 'interop-room', roomJoin: true, roomCreate: true, roomList: false,
  roomRecord: true, roomAdmin: true, ingressAdmin: false, canPublish: false,
  canSubscribe: true, canPublishData: false, canUpdateOwnMetadata: true,
  hidden: true, recorder: true, agent: false, canSubscribeMetrics: true,
  canManageAgentSession: false, destinationRoom: 'other-room',
};
const others = {
  sub: 'EG_interop', name: 'Recorder \u00e9\u4e16', kind: 'egress',
  metadata: '{"job":"EG_interop","n":1}', sha256: 'c0ffee',
  roomPreset: 'preset-a', attributes: { team: 'blue', empty: '' },
};
const roomConfigJson = {
  name: 'interop-room', emptyTimeout: 30, maxParticipants: 4,
  agents: [{ agentName: 'a1', metadata: 'm' }],
};

// 1. C -> SDK
{
  const args = ['--key', KEY, '--secret', SECRET, '--ttl', '600',
    '--room', video.room, '--identity', others.sub, '--name', others.name,
    '--kind', others.kind, '--metadata', others.metadata,
    '--sha256', others.sha256, '--room-preset', others.roomPreset,
    '--room-config', JSON.stringify(roomConfigJson),
    '--destination-room', video.destinationRoom,
    '--publish-source', 'camera', '--publish-source', 'screen_share_audio',
    '--attribute', 'team=blue', '--attribute', 'empty='];
  for (const [k, v] of Object.entries(video))
    if (typeof v === 'boolean') args.push('--grant', `${k}=${v}`);
  const m = run(args);
  assert.equal(m.code, 0, m.err);
  const token = m.out;
  const before = Math.floor(Date.now() / 1000);

  const payload = await new TokenVerifier(KEY, SECRET).verify(token);
  const { iss, nbf, exp, roomConfig, ...rest } = payload;
  assert.equal(iss, KEY);
  assert.ok(Math.abs(nbf - before) <= 5, `nbf ${nbf} vs now ${before}`);
  assert.equal(exp - nbf, 600);
  assert.deepEqual(rest, {
    ...others,
    video: { ...video, canPublishSources: ['camera', 'screen_share_audio'] },
  });
  // roomConfig is carried as given and reads as a RoomConfiguration
  assert.deepEqual(roomConfig, roomConfigJson);
  const rc = RoomConfiguration.fromJson(roomConfig);
  assert.equal(rc.emptyTimeout, 30);
  assert.equal(rc.agents[0].agentName, 'a1');
  ok('C-minted token passes TokenVerifier with the same claims');

  await assert.rejects(new TokenVerifier(KEY, 'another-secret').verify(token),
    /signature/);
  await assert.rejects(new TokenVerifier('APIother', SECRET).verify(token),
    /iss/);
  ok('TokenVerifier refuses the C token with another secret or key');

  // the demo's short form
  const d = run(['--key', KEY, '--secret', SECRET, '--room', 'r',
    '--identity', 'rec', '--recorder', '--hidden', '--ttl', '600']);
  assert.equal(d.code, 0, d.err);
  const p = await new TokenVerifier(KEY, SECRET).verify(d.out);
  assert.deepEqual(p.video, { room: 'r', roomJoin: true, hidden: true,
    recorder: true });
  assert.equal(p.sub, 'rec');
  ok('short form (--room --identity --recorder --hidden --ttl) verifies');
}

// 2. SDK -> C
{
  const at = new AccessToken(KEY, SECRET, {
    identity: others.sub, name: others.name, metadata: others.metadata,
    attributes: others.attributes, ttl: 600,
  });
  at.kind = others.kind;
  at.sha256 = others.sha256;
  at.roomPreset = others.roomPreset;
  at.roomConfig = new RoomConfiguration({
    name: 'interop-room', emptyTimeout: 30, maxParticipants: 4,
    agents: [new RoomAgentDispatch({ agentName: 'a1', metadata: 'm' })],
  });
  at.addGrant({ ...video,
    canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE] });
  at.addSIPGrant({ admin: true, call: false });
  const token = await at.toJwt();

  const v = cVerify(token);
  assert.equal(v.code, 0, v.err);
  const claims = JSON.parse(v.out);
  // what the SDK wrote, read without verification by jose
  const sdk = jose.decodeJwt(token);
  assert.deepEqual(claims, sdk);
  // and that is what we asked for
  assert.equal(claims.iss, KEY);
  assert.equal(claims.exp - claims.nbf, 600);
  assert.deepEqual(claims.video.canPublishSources, ['camera', 'microphone']);
  assert.equal(claims.video.canPublishData, false);
  assert.deepEqual(claims.sip, { admin: true, call: false });
  // the SDK writes every field of roomConfig, defaults included
  assert.ok(RoomConfiguration.fromJson(claims.roomConfig)
    .equals(at.roomConfig));
  assert.equal(claims.name, others.name);
  ok('SDK-minted token passes the C verifier with the same claims');

  // a plain SDK join token (no kind, few grants) stays as sparse
  const plain = new AccessToken(KEY, SECRET, { identity: 'viewer' });
  plain.addGrant({ roomJoin: true, room: 'r' });
  const pt = await plain.toJwt();
  const pv = cVerify(pt);
  assert.equal(pv.code, 0, pv.err);
  assert.deepEqual(JSON.parse(pv.out), jose.decodeJwt(pt));
  assert.equal(JSON.parse(pv.out).exp - JSON.parse(pv.out).nbf, 6 * 3600);
  ok('default SDK token (6 h) passes the C verifier');
}

// 3. refusals
{
  const refuse = (token, re, what, extra = []) => {
    const r = cVerify(token, extra);
    assert.equal(r.code, 1, `${what}: accepted: ${r.out}`);
    assert.match(r.err, re, what);
    ok(`C refuses: ${what} (${r.err})`);
  };
  const sdkToken = async (key, secret) => {
    const at = new AccessToken(key, secret, { identity: 'x', ttl: 600 });
    at.addGrant({ roomJoin: true, room: 'r' });
    return at.toJwt();
  };
  refuse(await sdkToken(KEY, 'a-different-secret'), /signature/,
    'SDK token with another secret');
  refuse(await sdkToken('APIunknown', SECRET), /unknown API key/,
    'SDK token with an unknown key');
  const now = Math.floor(Date.now() / 1000);
  const t = await sdkToken(KEY, SECRET);
  refuse(t, /expired/, 'SDK token 12 minutes later (ttl 10 min)',
    ['--now', String(now + 660 + 60)]);
  refuse(t, /not valid/, 'SDK token 2 minutes early',
    ['--now', String(now - 120)]);
  const secret = new TextEncoder().encode(SECRET);
  const hs512 = await new jose.SignJWT({ video: { roomJoin: true } })
    .setProtectedHeader({ alg: 'HS512' }).setIssuer(KEY)
    .setExpirationTime('10m').sign(secret);
  refuse(hs512, /HS512.*only HS256/, 'jose token with alg HS512');
  const none = new jose.UnsecuredJWT({ video: { roomAdmin: true } })
    .setIssuer(KEY).setExpirationTime('10m').encode();
  refuse(none, /"none".*only HS256/, 'jose unsecured token (alg none)');
  const [h, p, s] = t.split('.');
  const forged = Buffer.from(JSON.stringify({ ...jose.decodeJwt(t),
    video: { roomJoin: true, room: 'r', roomAdmin: true } }))
    .toString('base64url');
  refuse(`${h}.${forged}.${s}`, /signature/, 'SDK token with altered grants');
  refuse(`${h}.${p}`, /2 segments/, 'SDK token without signature');
}

console.log(`interop: ${checks} checks passed`);

// gst-egress: seeds and dictionaries for the libFuzzer targets, from the
// conformance corpus (messages built with @livekit/protocol).
//
//   node tests/fuzz/make-seeds.mjs OUTDIR
//
// Writes OUTDIR/protobuf/* (selector byte + binary), OUTDIR/protojson/*
// (selector byte + JSON) and OUTDIR/protojson.dict (every JSON field name
// and enum value name of the fuzzed message types).  The selector byte is
// the index of the type in fuzz_types, the order of tests/fuzz/
// fuzz-messages.h.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jose from 'jose';
import { corpus } from '../check/libs/protojson/corpus.mjs';

export const fuzz_types = ['livekit.SignalRequest', 'livekit.SignalResponse',
  'livekit.StartEgressRequest', 'livekit.EgressInfo',
  'livekit.RoomCompositeEgressRequest', 'livekit.WebhookEvent'];

const out = process.argv[2];
if (!out) {
  console.error('usage: node make-seeds.mjs OUTDIR');
  process.exit(2);
}
for (const d of ['protobuf', 'protojson'])
  mkdirSync(join(out, d), { recursive: true });

const words = new Set();
const seen = new Set();
const collect = (T) => {
  if (seen.has(T.typeName)) return;
  seen.add(T.typeName);
  if (!T.fields) {
    for (const v of T.values) words.add(`"${v.name}"`);
    return;
  }
  for (const f of T.fields.list()) {
    words.add(`"${f.jsonName}"`);
    const sub = f.kind === 'map' ? f.V : f;
    if (sub.kind === 'message' || sub.kind === 'enum') collect(sub.T);
  }
};

let n = 0;
corpus.forEach((m) => {
  const T = m.getType();
  const sel = fuzz_types.indexOf(T.typeName);
  if (sel < 0) return;
  collect(T);
  const bin = m.toBinary();
  writeFileSync(join(out, 'protobuf', `seed-${n}`),
    Buffer.concat([Buffer.from([sel]), Buffer.from(bin)]));
  writeFileSync(join(out, 'protojson', `seed-${n}`),
    Buffer.concat([Buffer.from([sel]), Buffer.from(m.toJsonString())]));
  n++;
});
const dict = [...words].sort().map((w) => JSON.stringify(w)).join('\n');
writeFileSync(join(out, 'protojson.dict'), dict + '\n');
console.log(`make-seeds: ${n} seeds per target, ${words.size} dictionary words`);

// tokens: key and secret of tests/fuzz/fuzz_token.c, valid at its NOW
mkdirSync(join(out, 'token'), { recursive: true });
const payloads = [
  { video: { room: 'r', roomJoin: true, canSubscribe: true, hidden: true,
    recorder: true, canPublish: false, canPublishData: false }, sub: 'EG_1',
    kind: 'egress' },
  { name: 'n', metadata: '{"a":1}', attributes: { a: 'b', c: '' }, sub: 'x',
    sha256: 'ab', roomPreset: 'p', jti: 'j', iat: 1699999999,
    roomConfig: { name: 'r', emptyTimeout: 30, egress: { room: {} } },
    video: { roomCreate: true, roomList: false, roomRecord: true,
      roomAdmin: true, ingressAdmin: true, canPublishSources: ['camera',
        'microphone'], canUpdateOwnMetadata: true, agent: true,
      canSubscribeMetrics: true, canManageAgentSession: false,
      destinationRoom: 'd' }, sip: { admin: true, call: false } },
  {},
];
const secret = new TextEncoder().encode('fuzz-secret');
let t = 0;
for (const p of payloads) {
  const jwt = await new jose.SignJWT(p).setProtectedHeader({ alg: 'HS256' })
    .setIssuer('APIfuzz').setNotBefore(1700000000)
    .setExpirationTime(1700003600).sign(secret);
  writeFileSync(join(out, 'token', `seed-${t++}`), jwt);
  writeFileSync(join(out, 'token', `seed-${t++}`), JSON.stringify({
    iss: 'APIfuzz', nbf: 1700000000, exp: 1700003600, ...p }));
}
const claimWords = ['iss', 'sub', 'nbf', 'exp', 'iat', 'jti', 'name', 'kind',
  'metadata', 'attributes', 'sha256', 'roomPreset', 'roomConfig', 'video',
  'sip', 'admin', 'call', 'room', 'roomCreate', 'roomJoin', 'roomList',
  'roomRecord', 'roomAdmin', 'ingressAdmin', 'canPublish', 'canSubscribe',
  'canPublishData', 'canPublishSources', 'canUpdateOwnMetadata', 'hidden',
  'recorder', 'agent', 'canSubscribeMetrics', 'canManageAgentSession',
  'destinationRoom', 'alg', 'HS256', 'none', 'typ', 'JWT', 'crit']
  .map((w) => `"${w}"`);
// base64url of the header prefixes, so mutations keep the shape
claimWords.push('eyJhbGciOiJIUzI1NiJ9', 'eyJhbGciOiJub25lIn0');
writeFileSync(join(out, 'token.dict'),
  claimWords.map((w) => JSON.stringify(w)).join('\n') + '\n');

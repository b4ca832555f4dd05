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

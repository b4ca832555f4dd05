// gst-egress: proto3 conformance of the C codec (protobuf-c + protojson)
// against the official implementation, @livekit/protocol (protobuf-es).
//
//   node conform.mjs PATH/TO/protojson-conform
//
// 1. Node -> C -> Node: every message of the corpus below is built with
//    the official classes, handed to C as binary and as JSON; C decodes
//    both, checks they agree, re-encodes each both ways; Node decodes the
//    four results and compares them with the original (message equality),
//    and compares C's JSON with its own as data.
// 2. C -> Node -> C: C builds its own corpus and encodes it; Node decodes
//    (binary and JSON must agree) and re-encodes; C decodes Node's output
//    and compares it with what it built.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import * as lk from '@livekit/protocol';
import { corpus } from './corpus.mjs';

const tool = process.argv[2];
if (!tool) {
  console.error('usage: node conform.mjs PATH/TO/protojson-conform');
  process.exit(2);
}

const b64 = (u8) => Buffer.from(u8).toString('base64');
const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
// a message class from its full name: livekit.ParticipantInfo.Kind ->
// lk.ParticipantInfo_Kind
const typeOf = (name) => {
  const T = lk[name.replace(/^livekit\./, '').replace(/\./g, '_')];
  if (!T) throw new Error(`no class for ${name}`);
  return T;
};



let failures = 0;
const fail = (what) => { failures++; console.error(`FAIL ${what}`); };

// ---- 1. Node -> C -> Node ----
const input = corpus.map((m) => [m.getType().typeName, b64(m.toBinary()),
  m.toJsonString()].join('\t')).join('\n') + '\n';
const rt = spawnSync(tool, ['roundtrip'], { input, encoding: 'utf8',
  maxBuffer: 64 << 20 });
if (rt.stderr) process.stderr.write(rt.stderr);
const out = rt.stdout.split('\n').filter((l) => l.length > 0);
if (out.length !== corpus.length)
  fail(`roundtrip: ${out.length} answers for ${corpus.length} messages`);
const kinds = new Set();
corpus.forEach((m, i) => {
  const T = m.getType();
  const what = `#${i} ${T.typeName}`;
  const parts = (out[i] || 'ERR\tno answer').split('\t');
  if (parts[0] !== 'OK') return fail(`${what}: C says ${parts.slice(1).join(' ')}`);
  const [, bin1, json1, bin2, json2] = parts;
  const checks = {
    'binary from binary': () => T.fromBinary(unb64(bin1)),
    'JSON from binary': () => T.fromJsonString(json1),
    'binary from JSON': () => T.fromBinary(unb64(bin2)),
    'JSON from JSON': () => T.fromJsonString(json2),
  };
  for (const [name, decode] of Object.entries(checks)) {
    let got;
    try {
      got = decode();
    } catch (e) {
      fail(`${what}: Node cannot decode C's ${name}: ${e.message}`);
      continue;
    }
    if (!got.equals(m))
      fail(`${what}: C's ${name} differs:\n  want ${m.toJsonString()}\n  got  ${got.toJsonString()}`);
  }
  // C writes the same JSON as protobuf-es, as data
  try {
    assert.deepEqual(JSON.parse(json1), m.toJson());
  } catch (e) {
    fail(`${what}: C's JSON is not Node's:\n  node ${m.toJsonString()}\n  c    ${json1}`);
  }
  for (const f of T.fields.list()) {
    const v = m[f.oneof ? f.oneof.localName : f.localName];
    if (v === undefined) continue;
    kinds.add(f.kind + (f.repeated ? '[]' : ''));
  }
});
console.log(`node -> C -> node: ${corpus.length} messages, ` +
  `top-level field kinds: ${[...kinds].sort().join(', ')}`);

// ---- bad JSON: C and Node both refuse it; C names the JSON path ----
const bad = [
  [lk.RoomCompositeEgressRequest, '{"roomName":"r","fileOutputs":[{"fileType":"MP5"}]}',
    'fileOutputs[0].fileType: unknown enum value "MP5"'],
  [lk.StartEgressRequest, '{"outputs":[{"file":{},"stream":{}}]}',
    'outputs[0].stream: "file" is already set (same oneof)'],
  [lk.SignalRequest, '{"trickle":{"candidate_init":"{}"}}',
    'trickle.candidate_init: unknown field'],
  [lk.SignalResponse, '{"join":{"room":{"emptyTimeout":-1}}}',
    'join.room.emptyTimeout: number -1 out of range for uint32'],
  [lk.SignalResponse, '{"join":{"sifTrailer":"%%%"}}',
    'join.sifTrailer: invalid base64'],
  [lk.EgressInfo, '{"startedAt":true}',
    'startedAt: expected an integer (int64), got true'],
];
const badInput = bad.map(([T, json]) => [T.typeName, '', json].join('\t'))
  .join('\n') + '\n';
const badOut = spawnSync(tool, ['roundtrip'], { input: badInput,
  encoding: 'utf8' }).stdout.split('\n').filter((l) => l.length > 0);
bad.forEach(([T, json, want], i) => {
  let nodeRefuses = false;
  try { T.fromJsonString(json); } catch { nodeRefuses = true; }
  if (!nodeRefuses) fail(`bad JSON #${i}: protobuf-es accepts ${json}`);
  const got = badOut[i] || '';
  if (!got.startsWith('ERR\tparse JSON: ' + want))
    fail(`bad JSON #${i}: C says "${got}", want "${want}"`);
});
console.log(`bad JSON: ${bad.length} inputs refused with their JSON path`);

// ---- 2. C -> Node -> C ----
const built = spawnSync(tool, ['build'], { encoding: 'utf8' });
if (built.status !== 0) {
  fail(`C build: ${built.stderr}`);
} else {
  const lines = built.stdout.split('\n').filter((l) => l.length > 0);
  const back = lines.map((l, i) => {
    const [name, bin, json] = l.split('\t');
    const T = typeOf(name);
    const fromBin = T.fromBinary(unb64(bin));
    const fromJson = T.fromJsonString(json);
    if (!fromBin.equals(fromJson))
      fail(`C message #${i} ${name}: binary and JSON differ for Node:\n` +
        `  binary ${fromBin.toJsonString()}\n  json   ${json}`);
    return [name, b64(fromBin.toBinary()), fromJson.toJsonString()].join('\t');
  });
  const check = spawnSync(tool, ['check'], { input: back.join('\n') + '\n',
    encoding: 'utf8' });
  process.stdout.write(check.stdout);
  if (check.stderr) process.stderr.write(check.stderr);
  if (check.status !== 0) fail('C check of the messages Node re-encoded');
  console.log(`C -> node -> C: ${lines.length} messages`);
}

if (failures) {
  console.error(`${failures} failures`);
  process.exit(1);
}
console.log('conformance: OK');

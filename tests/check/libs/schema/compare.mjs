// gst-egress
// Copyright (C) 2026 gst-egress contributors
//
// This library is free software; you can redistribute it and/or
// modify it under the terms of the GNU Library General Public
// License as published by the Free Software Foundation; either
// version 2.1 of the License, or (at your option) any later version.
//
// This library is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
// Library General Public License for more details.
//
// You should have received a copy of the GNU Library General Public
// License along with this library; if not, write to the
// Free Software Foundation, Inc., 51 Franklin St, Fifth Floor,
// Boston, MA 02110-1301, USA.

// Compares libgstlivekit's schema subset, as compiled into the library
// (the JSON dump written by schema-check), with the descriptors of the
// pinned @livekit/protocol package:
//  - every message and enum of ours exists there, and each field matches by
//    name: number, type, type name, repeated, map key/value, the members of
//    its oneof, and the JSON name the codec derives; each enum value matches
//    by name and number; nothing is missing on either side;
//  - the subset holds every type reachable from extract.mjs's roots, and
//    every type the issue names (ISSUE_TYPES), independently of those roots;
//  - every type declared in our .proto files is in the library's registry
//    (so none escapes the comparison).
// Each difference is one line "MISMATCH Type.field: what differs".
//
//   node compare.mjs DUMP.json
// Exits 77 (skipped) when @livekit/protocol is not installed.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const protoDir = path.join(here, '..', '..', '..', '..', 'gst-libs', 'gst',
  'livekit', 'proto');

try {
  createRequire(import.meta.url).resolve('@livekit/protocol');
} catch {
  console.log('schema: @livekit/protocol is not installed (run ' +
    'scripts/setup.sh): comparison skipped');
  process.exit(77);
}

const { closure, ROOTS } = await import(path.join(protoDir, 'extract.mjs'));

// Types and fields the issue lists by name (signalling of a subscriber and
// the egress API).  Kept apart from extract.mjs's ROOTS on purpose: dropping
// a root there must not silently drop one of these.
const ISSUE_TYPES = [
  'SignalRequest', 'SignalResponse', 'JoinResponse', 'ReconnectResponse',
  'Room', 'ParticipantInfo', 'TrackInfo', 'SimulcastCodecInfo', 'VideoLayer',
  'SessionDescription', 'TrickleRequest', 'UpdateSubscription',
  'UpdateTrackSettings', 'ParticipantUpdate', 'SpeakersChanged',
  'RoomUpdate', 'LeaveRequest', 'Ping', 'Pong', 'StreamStateUpdate',
  'SubscriptionPermissionUpdate', 'ConnectionQualityUpdate',
  'TrackUnpublishedResponse', 'SubscriptionResponse', 'RequestResponse',
  'RoomCompositeEgressRequest', 'WebEgressRequest',
  'ParticipantEgressRequest', 'TrackCompositeEgressRequest',
  'TrackEgressRequest', 'StartEgressRequest', 'TemplateSource', 'WebSource',
  'MediaSource', 'Output', 'StorageConfig', 'EncodedFileOutput',
  'SegmentedFileOutput', 'StreamOutput', 'ImageOutput', 'DirectFileOutput',
  'S3Upload', 'GCPUpload', 'AzureBlobUpload', 'AliOSSUpload', 'ProxyConfig',
  'EncodingOptions', 'EncodingOptionsPreset', 'EgressInfo', 'EgressStatus',
  'FileInfo', 'StreamInfo', 'StreamInfoList', 'SegmentsInfo', 'ImagesInfo',
  'ListEgressRequest', 'ListEgressResponse', 'StopEgressRequest',
  'UpdateStreamRequest', 'UpdateLayoutRequest', 'WebhookEvent',
].map((n) => 'livekit.' + n);
const ISSUE_FIELDS = [
  ['livekit.SessionDescription', 'id'],
  ['livekit.SessionDescription', 'mid_to_track_id'],
  ['livekit.SignalResponse', 'refresh_token'],
  ['livekit.TrackInfo', 'layers'],
  ['livekit.TrackInfo', 'codecs'],
];

const SCALAR = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32',
  6: 'fixed64', 7: 'fixed32', 8: 'bool', 9: 'string', 12: 'bytes',
  13: 'uint32', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64',
};

// The proto3 JSON name the codec derives from a field name.
const camel = (n) => n.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

function typeOf(v) {
  if (v.kind === 'scalar')
    return { type: SCALAR[v.T] };
  return { type: v.kind, typeName: '.' + v.T.typeName };
}

// The official descriptors in the shape of schema-check's dump.
function officialFields(m) {
  const fields = m.fields.list();
  return fields.map((f) => {
    const out = { name: f.name, number: f.no, jsonName: f.jsonName };
    if (f.kind === 'map') {
      Object.assign(out, { type: 'map', key: SCALAR[f.K], value: typeOf(f.V) });
    } else {
      Object.assign(out, typeOf(f), { repeated: !!f.repeated });
    }
    if (f.opt)
      out.oneof = [f.name];
    else if (f.oneof)
      out.oneof = fields.filter((g) => g.oneof === f.oneof).map((g) => g.name);
    return out;
  });
}

// One field as a .proto declaration, for messages about absent fields.
function describe(f) {
  let s = f.type === 'map'
    ? `map<${f.key}, ${f.value.typeName || f.value.type}>`
    : (f.repeated ? 'repeated ' : '') + (f.typeName || f.type);
  s += ` ${f.name} = ${f.number}`;
  if (f.oneof)
    s += ` in oneof {${[...f.oneof].sort().join(', ')}}`;
  return s;
}

// The attributes compared, each as a printable value.
const ATTRIBUTES = {
  number: (f) => String(f.number),
  type: (f) => f.type,
  'type name': (f) => f.typeName || f.value?.typeName || '-',
  repeated: (f) => String(!!f.repeated),
  'map key': (f) => f.key || '-',
  'map value': (f) => f.value ? f.value.type : '-',
  'oneof members': (f) => f.oneof ? `{${[...f.oneof].sort().join(', ')}}`
    : 'none',
};

function compareMessage(mine, theirs, errors) {
  const a = new Map(mine.fields.map((f) => [f.name, f]));
  const b = new Map(officialFields(theirs).map((f) => [f.name, f]));
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const at = `${mine.name}.${name}`;
    const x = a.get(name), y = b.get(name);
    if (!y) {
      errors.push(`${at}: not in the official message (ours: ` +
        `${describe(x)})`);
      continue;
    }
    if (!x) {
      errors.push(`${at}: missing from ours (official: ${describe(y)})`);
      continue;
    }
    for (const [what, get] of Object.entries(ATTRIBUTES)) {
      if (get(x) !== get(y))
        errors.push(`${at}: ${what} is ${get(x)}, official ${get(y)}`);
    }
    if (y.jsonName !== camel(name))
      errors.push(`${at}: official JSON name ${y.jsonName} is not ` +
        `${camel(name)}, which the JSON codec derives`);
  }
}

function compareEnum(mine, theirs, errors) {
  const a = new Map(mine.values.map((v) => [v.name, v.number]));
  const b = new Map(theirs.values.map((v) => [v.name, v.no]));
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const at = `${mine.name}.${name}`;
    if (!b.has(name))
      errors.push(`${at}: value not in the official enum (ours: ${a.get(name)})`);
    else if (!a.has(name))
      errors.push(`${at}: value missing from ours (official: ${b.get(name)})`);
    else if (a.get(name) !== b.get(name))
      errors.push(`${at}: number is ${a.get(name)}, official ${b.get(name)}`);
  }
}

// Full names of the messages and enums our .proto files declare.
function declaredTypes() {
  const names = [];
  for (const file of fs.readdirSync(protoDir).filter((f) => f.endsWith('.proto'))) {
    const text = fs.readFileSync(path.join(protoDir, file), 'utf8')
      .replace(/\/\/.*$/gm, '');
    const scope = ['livekit'];
    const blocks = [];
    for (const m of text.matchAll(/\b(message|enum|oneof)\s+(\w+)\s*\{|[{}]/g)) {
      if (m[0] === '{') {
        blocks.push(false);
      } else if (m[0] === '}') {
        if (blocks.pop())
          scope.pop();
      } else if (m[1] === 'oneof') {
        blocks.push(false);
      } else {
        scope.push(m[2]);
        names.push({ file, kind: m[1], name: scope.join('.') });
        blocks.push(true);
      }
    }
  }
  return names;
}

const ours = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const official = await closure();
const errors = [];

const ourMessages = new Map(ours.messages.map((m) => [m.name, m]));
const ourEnums = new Map(ours.enums.map((e) => [e.name, e]));

for (const m of ours.messages) {
  const o = official.get(m.name);
  if (!o || o.kind !== 'message')
    errors.push(`${m.name}: no such message in @livekit/protocol`);
  else
    compareMessage(m, o.type, errors);
}

for (const e of ours.enums) {
  const o = official.get(e.name);
  if (!o || o.kind !== 'enum')
    errors.push(`${e.name}: no such enum in @livekit/protocol`);
  else
    compareEnum(e, o.type, errors);
}

for (const [name, t] of official) {
  const have = t.kind === 'message' ? ourMessages.has(name) : ourEnums.has(name);
  if (!have)
    errors.push(`${name}: ${t.kind} missing from our schema ` +
      `(reachable from ${ROOTS.length} roots)`);
}

for (const name of ISSUE_TYPES) {
  if (!ourMessages.has(name) && !ourEnums.has(name))
    errors.push(`${name}: listed in the issue, missing from our schema`);
}
for (const [m, f] of ISSUE_FIELDS) {
  if (!ourMessages.get(m)?.fields.some((x) => x.name === f))
    errors.push(`${m}.${f}: listed in the issue, missing from our schema`);
}

for (const d of declaredTypes()) {
  const have = d.kind === 'message' ? ourMessages.has(d.name)
    : ourEnums.has(d.name);
  if (!have)
    errors.push(`${d.name}: declared in ${d.file} but not in the library's ` +
      'registry (add a root to proto.c), so never compared');
}

const nTypes = ours.messages.length + ours.enums.length;
const nFields = ours.messages.reduce((n, m) => n + m.fields.length, 0);
if (errors.length) {
  for (const e of errors)
    console.log(`MISMATCH ${e}`);
  console.log(`schema: ${errors.length} difference(s) with @livekit/protocol`);
  process.exit(1);
}
console.log(`schema: ${ours.messages.length} messages, ${ours.enums.length} ` +
  `enums, ${nFields} fields: all equal to @livekit/protocol (${nTypes} types)`);

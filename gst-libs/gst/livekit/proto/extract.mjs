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

// Maintainer tool: writes the .proto files of libgstlivekit's schema subset
// from the runtime descriptors of the pinned @livekit/protocol package.
//
//   NODE_PATH=tests/node_modules node gst-libs/gst/livekit/proto/extract.mjs \
//       gst-libs/gst/livekit/proto
//
// The subset is every type reachable from ROOTS below, plus the messages that
// enclose a reachable nested type.  Each type lands in the file named after
// the official file that defines it.  Comments come from COMMENTS (our own
// words).  proto3 `optional` fields are written as a oneof named `_<field>`,
// which is what protoc turns them into anyway and what protoc-c 1.4.1 accepts.
//
// To extend the schema, add a root (or a comment) and run the tool again; the
// schema test (tests/check/libs/schema) then compares the result with the
// package's descriptors.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const protocolDir = path.join(
  path.dirname(require.resolve('@livekit/protocol')), '..');
const genDir = path.join(protocolDir, 'src', 'gen');

// What libgstlivekit needs: what a subscriber sends and receives on the
// signalling WebSocket, and the whole egress API with its webhook.
export const ROOTS = [
  'livekit.SignalRequest',
  'livekit.SignalResponse',
  'livekit.StartEgressRequest',
  'livekit.RoomCompositeEgressRequest',
  'livekit.WebEgressRequest',
  'livekit.ParticipantEgressRequest',
  'livekit.TrackCompositeEgressRequest',
  'livekit.TrackEgressRequest',
  'livekit.UpdateLayoutRequest',
  'livekit.UpdateStreamRequest',
  'livekit.ListEgressRequest',
  'livekit.ListEgressResponse',
  'livekit.StopEgressRequest',
  'livekit.EgressInfo',
  'livekit.WebhookEvent',
  // the rest of livekit_egress.proto, which no field above reaches: the
  // auto-egress settings of a room and the data-track capture options
  'livekit.AutoParticipantEgress',
  'livekit.AutoTrackEgress',
  'livekit.DataConfig',
];

const COMMENTS = {
  'livekit.SignalRequest':
    'What a client sends on the signalling WebSocket: exactly one member.',
  'livekit.SignalResponse':
    'What the server sends on the signalling WebSocket: exactly one member.',
  'livekit.JoinResponse':
    'First message after the upgrade: the room, who we are, who is there.',
  'livekit.ReconnectResponse':
    'Answer to a resume (reconnect=1): new ICE servers and settings.',
  'livekit.SessionDescription':
    'An SDP offer or answer; id and mid_to_track_id tie m-lines to tracks.',
  'livekit.TrickleRequest':
    'One ICE candidate (JSON of RTCIceCandidateInit) for one of the two PCs.',
  'livekit.ParticipantInfo':
    'A participant and its published tracks; version orders updates.',
  'livekit.TrackInfo':
    'A published track: kind, source, codecs and simulcast layers.',
  'livekit.UpdateSubscription':
    'Subscribe to or drop tracks when auto-subscribe is off.',
  'livekit.UpdateTrackSettings':
    'Per-track receive settings: pause, layer quality, size, frame rate.',
  'livekit.LeaveRequest':
    'Either side ends the session; action says whether to resume or rejoin.',
  'livekit.Room':
    'Room state as the server sees it.',
  'livekit.SpeakersChanged':
    'Active speakers whose level changed, loudest first.',
  'livekit.StartEgressRequest':
    'Version 2 of the egress request: one source, any number of outputs.',
  'livekit.RoomCompositeEgressRequest':
    'Record or stream a whole room, composed by a layout.',
  'livekit.WebEgressRequest':
    'Record or stream a web page.',
  'livekit.ParticipantEgressRequest':
    'Record or stream one participant (camera and microphone, or screen).',
  'livekit.TrackCompositeEgressRequest':
    'Record or stream one audio and one video track together.',
  'livekit.TrackEgressRequest':
    'Export one track as it was published, without transcoding.',
  'livekit.EncodingOptions':
    'Advanced encoder settings; overrides a preset.',
  'livekit.EncodingOptionsPreset':
    'Named encoder settings: resolution, frame rate and bitrates.',
  'livekit.EgressInfo':
    'State and results of one egress; sent on every status change.',
  'livekit.WebhookEvent':
    'Body of a webhook POST: the event name and the object it concerns.',
  'livekit.S3Upload': 'Amazon S3 or an S3-compatible store.',
  'livekit.GCPUpload': 'Google Cloud Storage.',
  'livekit.AzureBlobUpload': 'Azure Blob Storage.',
  'livekit.AliOSSUpload': 'Alibaba Cloud OSS.',
  'livekit.ExportReplayRequest':
    'Egress of a stored replay instead of a live room.',
  'livekit.Output':
    'One destination of a v2 request: file, stream, segments or images.',
  'livekit.EncodedFileOutput':
    'One muxed file (MP4, OGG...) uploaded when the egress ends.',
  'livekit.SegmentedFileOutput':
    'HLS: a playlist and media segments, uploaded as they are written.',
  'livekit.StreamOutput':
    'Live push to RTMP(S), SRT or a WebSocket; urls can change at runtime.',
  'livekit.ImageOutput':
    'Periodic still images of the video, one file per capture.',
  'livekit.DirectFileOutput':
    'A track written as published (track egress), without re-encoding.',
  'livekit.FileInfo': 'Result of a file output: where it went, how long.',
  'livekit.StreamInfo': 'State of one stream URL of a stream output.',
  'livekit.SegmentsInfo': 'Result of a segmented output: playlist, count.',
  'livekit.ImagesInfo': 'Result of an image output: how many were taken.',
  'livekit.ListEgressRequest':
    'Filter for listing egresses: by room, by id, or only the active ones.',
  'livekit.UpdateLayoutRequest':
    'Change the layout of a running room composite egress.',
  'livekit.UpdateStreamRequest':
    'Add or remove URLs of a running egress\'s stream output.',
  'livekit.AutoParticipantEgress':
    'Room setting: start a participant egress for everyone who joins.',
  'livekit.AutoTrackEgress':
    'Room setting: export every published track to storage.',
  'livekit.DataConfig': 'Which data tracks an egress captures.',
  'livekit.EgressStatus':
    'Lifecycle of an egress: STARTING, ACTIVE, ENDING, then a final state.',
  'livekit.UpdateParticipantMetadata':
    'Change our own name, metadata or attributes.',
  'livekit.ParticipantUpdate':
    'Participants that joined, changed or left since the last update.',
  'livekit.RoomUpdate': 'The room\'s metadata or counts changed.',
  'livekit.StreamStateUpdate':
    'The SFU paused or resumed sending tracks (congestion, not mute).',
  'livekit.SubscriptionPermissionUpdate':
    'A publisher allowed or forbade us one of its tracks.',
  'livekit.ConnectionQualityUpdate':
    'Connection quality of participants, ours included.',
  'livekit.SubscriptionResponse':
    'A subscription failed: the track and why.',
  'livekit.RequestResponse':
    'Outcome of a request that carried a request_id.',
  'livekit.TrackUnpublishedResponse':
    'One of our published tracks was unpublished by the server.',
  'livekit.Ping': 'Keepalive with our clock and last measured RTT.',
  'livekit.Pong': 'Answer to a Ping, echoing its timestamp.',
  'livekit.ICEServer': 'STUN or TURN server to use for both PCs.',
  'livekit.VideoLayer': 'One simulcast or SVC layer of a video track.',
  'livekit.SimulcastCodecInfo':
    'One codec of a track published with several (backup codec).',
  'livekit.SignalTarget':
    'Which PeerConnection: PUBLISHER (we send) or SUBSCRIBER (we receive).',
};

const SCALAR = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32',
  6: 'fixed64', 7: 'fixed32', 8: 'bool', 9: 'string', 12: 'bytes',
  13: 'uint32', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64',
};

// typeName -> { kind: 'message'|'enum', type, file }.  Enums are exported as
// plain objects, so the file that defines a type is read from the
// "@generated from message|enum X" markers of each generated module.
async function loadTypes() {
  const types = new Map();
  const files = fs.readdirSync(genDir).filter((f) => f.endsWith('_pb.js'));
  for (const f of files) {
    const file = f.replace(/_pb\.js$/, '.proto');
    const text = fs.readFileSync(path.join(genDir, f), 'utf8');
    for (const m of text.matchAll(/@generated from (message|enum) ([\w.]+)/g))
      types.set(m[2], { kind: m[1], type: null, file });
    const mod = await import(path.join(genDir, f));
    for (const v of Object.values(mod)) {
      if (v && typeof v.typeName === 'string' && v.fields)
        types.get(v.typeName).type = v;
    }
  }
  return types;
}

export async function closure(roots = ROOTS) {
  const types = await loadTypes();
  const seen = new Map();
  const queue = [...roots];
  const visitEnum = (e) => {
    if (!seen.has(e.typeName))
      seen.set(e.typeName, { kind: 'enum', type: e,
        file: types.get(e.typeName).file });
    addParent(e.typeName);
  };
  const addParent = (name) => {
    const parent = name.slice(0, name.lastIndexOf('.'));
    if (parent !== 'livekit' && types.has(parent) && !seen.has(parent))
      queue.push(parent);
  };
  while (queue.length) {
    const name = queue.shift();
    if (seen.has(name))
      continue;
    const t = types.get(name);
    if (!t)
      throw new Error(`unknown type ${name}`);
    seen.set(name, t);
    addParent(name);
    if (t.kind !== 'message')
      continue;
    for (const f of t.type.fields.list()) {
      const v = f.kind === 'map' ? f.V : f;
      if (v.kind === 'message')
        queue.push(v.T.typeName);
      else if (v.kind === 'enum')
        visitEnum(v.T);
    }
  }
  return seen;
}

function typeRef(v) {
  if (v.kind === 'scalar')
    return SCALAR[v.T];
  return '.' + v.T.typeName;
}

function comment(name, indent) {
  const c = COMMENTS[name];
  return c ? `${indent}// ${c}\n` : '';
}

function emitEnum(name, e, indent) {
  let s = comment(name, indent);
  s += `${indent}enum ${name.split('.').pop()} {\n`;
  for (const v of e.values)
    s += `${indent}  ${v.name} = ${v.no};\n`;
  return s + `${indent}}\n`;
}

function emitField(f, indent) {
  let t;
  if (f.kind === 'map')
    t = `map<${SCALAR[f.K]}, ${typeRef(f.V)}>`;
  else
    t = (f.repeated ? 'repeated ' : '') + typeRef(f);
  return `${indent}${t} ${f.name} = ${f.no};\n`;
}

function emitMessage(name, m, all, indent) {
  let s = comment(name, indent);
  s += `${indent}message ${name.split('.').pop()} {\n`;
  const inner = indent + '  ';
  for (const [n, t] of all) {
    if (n.slice(0, n.lastIndexOf('.')) !== name)
      continue;
    s += t.kind === 'enum' ? emitEnum(n, t.type, inner)
        : emitMessage(n, t.type, all, inner);
  }
  const done = new Set();
  for (const f of m.fields.list()) {
    if (done.has(f.no))
      continue;
    if (f.opt) {
      s += `${inner}oneof _${f.name} {\n${emitField(f, inner + '  ')}${inner}}\n`;
      done.add(f.no);
    } else if (f.oneof) {
      s += `${inner}oneof ${f.oneof.name} {\n`;
      for (const g of m.fields.list().filter((x) => x.oneof === f.oneof)) {
        s += emitField(g, inner + '  ');
        done.add(g.no);
      }
      s += `${inner}}\n`;
    } else {
      s += emitField(f, inner);
      done.add(f.no);
    }
  }
  return s + `${indent}}\n`;
}

const LICENSE = `// gst-egress
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
`;

const HEADER = (file, imports) => `${LICENSE}
// libgstlivekit schema subset: the types of LiveKit's ${file}
// that gst-egress uses, with the official names, numbers and types.
// Written by extract.mjs; tests/check/libs/schema compares it with the
// pinned @livekit/protocol package.

syntax = "proto3";

package livekit;
${imports.map((i) => `\nimport "${i}";`).join('')}
`;

export async function emitFiles(outDir) {
  const all = await closure();
  const byFile = new Map();
  for (const [name, t] of all) {
    if (!byFile.has(t.file))
      byFile.set(t.file, []);
    byFile.get(t.file).push(name);
  }
  const written = [];
  for (const [file, names] of [...byFile].sort()) {
    const imports = new Set();
    for (const n of names) {
      const t = all.get(n);
      if (t.kind !== 'message')
        continue;
      for (const f of t.type.fields.list()) {
        const v = f.kind === 'map' ? f.V : f;
        if (v.kind === 'scalar')
          continue;
        const other = all.get(v.T.typeName);
        if (other.file !== file)
          imports.add(other.file);
      }
    }
    let s = HEADER(file, [...imports].sort());
    const top = names.filter((n) => n.split('.').length === 2).sort();
    for (const n of top) {
      const t = all.get(n);
      s += '\n' + (t.kind === 'enum' ? emitEnum(n, t.type, '')
          : emitMessage(n, t.type, all, ''));
    }
    fs.writeFileSync(path.join(outDir, file), s);
    written.push(file);
  }
  return written;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const out = process.argv[2] || path.dirname(new URL(import.meta.url).pathname);
  const files = await emitFiles(out);
  console.log(files.join('\n'));
}

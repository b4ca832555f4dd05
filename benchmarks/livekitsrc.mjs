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

// Benchmark: CPU and peak RSS of receiving LiveKit tracks in passthrough,
//   1 livekittracksrc, 20 livekittracksrc in one process, one livekitroomsrc
//   with 20 pads, and a plain webrtcbin receiving the same 20 tracks.
// Publishers are synthetic VP8 tracks (320x180, 15 fps) of the test server.
//
//   scripts/bench-livekitsrc.sh [SECONDS]
//
// Prints a table of figures; docs/livekitroomsrc.md reports a run.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const top = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const lib = await import(path.join(top, 'tests', 'livekit-server',
  'testlib.mjs'));
const { startServer, admin, sleep, token, SignalClient, KEY, SECRET } = lib;
// npm packages live in tests/node_modules
const { SessionDescription, TrickleRequest, SignalTarget } = createRequire(
  path.join(top, 'tests', 'package.json'))('@livekit/protocol');

const seconds = Number(process.argv[2] || 20);
const build = process.env.GST_EGRESS_BUILD_ROOT || path.join(top, 'build');

// Runs argv under /usr/bin/time; resolves {cpu s, rss MiB, wall s}.
function timed(argv, opts = {}) {
  const out = path.join(fs.mkdtempSync('/tmp/gst-egress-bench-'), 'time');
  const proc = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', out,
    ...argv], { stdio: opts.stdio ?? ['ignore', 'ignore', 'ignore'] });
  const done = new Promise((resolve) => proc.on('exit', () => {
    const [e, u, s, m] = fs.readFileSync(out, 'utf8').trim().split(/\s+/)
      .slice(-4).map(Number);
    resolve({ wall: e, cpu: u + s, rss: m / 1024 });
  }));
  return { proc, done };
}

function srcArgs(factory, url, room, extra) {
  return [factory, `url=${url}`, `api-key=${KEY}`, `api-secret=${SECRET}`,
    `room=${room}`, 'local-address=127.0.0.1', ...extra];
}

async function publish(server, room, n) {
  const sids = [];
  for (let i = 0; i < n; i++) {
    const p = await admin(server, 'POST', `/rooms/${room}/participants`, {
      identity: `pub${i}`,
      tracks: [{ codec: 'vp8', width: 320, height: 180, fps: 15 }],
    });
    sids.push(p.tracks[0].sid);
  }
  return sids;
}

async function measureLaunch(server, room, pipeline) {
  const t = timed(['gst-launch-1.0', '-q', '-e', ...pipeline]);
  await sleep(seconds * 1000);
  await admin(server, 'DELETE', `/rooms/${room}`);
  return t.done;
}

async function tracksrc(server, n) {
  const room = `tracks${n}`;
  const sids = await publish(server, room, n);
  const pipeline = [];
  for (const sid of sids)
    pipeline.push(...srcArgs('livekittracksrc', server.url, room,
      [`track-sid=${sid}`]), '!', 'fakesink', 'async=false');
  return measureLaunch(server, room, pipeline);
}

async function roomsrc(server, n) {
  const room = `room${n}`;
  await publish(server, room, n);
  const pipeline = srcArgs('livekitroomsrc', server.url, room, ['name=s']);
  for (let i = 0; i < n; i++)
    pipeline.push(`s.video_${i}`, '!', 'fakesink', 'async=false');
  return measureLaunch(server, room, pipeline);
}

// The test server's plain webrtcbin subscriber (tests/livekit-server/
// webrtcbin-client.c), signalled from here.
async function plainWebrtcbin(server, n) {
  const room = `plain${n}`;
  await publish(server, room, n);
  const tok = await token('bench-webrtcbin', room,
    { canSubscribe: true, canPublish: false, hidden: true, recorder: true });
  const sig = await SignalClient.connect(server.url, tok);
  const t = timed([path.join(build, 'tests', 'livekit-server',
    'webrtcbin-client')], { stdio: ['pipe', 'pipe', 'ignore'] });
  const child = t.proc;
  const tell = (o) => child.stdin.write(JSON.stringify(o) + '\n');
  let offer = null;
  let mids = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const m = JSON.parse(line);
    if (m.type === 'answer')
      sig.send('answer', new SessionDescription({ type: 'answer', sdp: m.sdp,
        id: offer.id }));
    else if (m.type === 'ice')
      sig.send('trickle', new TrickleRequest({ candidateInit: JSON.stringify({
        candidate: m.candidate, sdpMLineIndex: m.mline,
        sdpMid: mids[m.mline] ?? null }), target: SignalTarget.SUBSCRIBER }));
  });
  sig.onMessage = (msg) => {
    const { case: kase, value } = msg.message;
    if (kase === 'offer') {
      offer = value;
      mids = [...value.sdp.matchAll(/^a=mid:(\S+)/gm)].map((x) => x[1]);
      tell({ type: 'offer', sdp: value.sdp });
    } else if (kase === 'trickle' && value.target === SignalTarget.SUBSCRIBER) {
      const c = JSON.parse(value.candidateInit);
      tell({ type: 'ice', mline: c.sdpMLineIndex ?? 0,
        candidate: c.candidate });
    }
  };
  for (const m of sig.messages.splice(0))
    sig.onMessage(m);
  await sleep(seconds * 1000);
  tell({ type: 'bye' });
  const r = await t.done;
  sig.close();
  await admin(server, 'DELETE', `/rooms/${room}`);
  return r;
}

const server = await startServer();
const rows = [];
try {
  const runs = [
    ['livekittracksrc x 1', () => tracksrc(server, 1)],
    ['livekittracksrc x 20 (one process)', () => tracksrc(server, 20)],
    ['livekitroomsrc, 20 pads', () => roomsrc(server, 20)],
    ['plain webrtcbin, 20 tracks', () => plainWebrtcbin(server, 20)],
  ];
  for (const [name, run] of runs) {
    const r = await run();
    rows.push([name, r]);
    await sleep(1000);
  }
} finally {
  await server.stop();
}

console.log(`receiving synthetic VP8 320x180@15 tracks for ${seconds} s ` +
  `(passthrough to fakesink); ${process.env.BENCH_NOTE ?? ''}`);
console.log('| receiver | CPU (% of one core) | CPU per track | peak RSS (MiB) |');
console.log('|---|---|---|---|');
for (const [name, r] of rows) {
  const n = /20/.test(name) ? 20 : 1;
  const pct = 100 * r.cpu / r.wall;
  console.log(`| ${name} | ${pct.toFixed(1)} | ${(pct / n).toFixed(2)} | ` +
    `${r.rss.toFixed(1)} |`);
}

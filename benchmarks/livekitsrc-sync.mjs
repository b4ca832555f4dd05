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

// Benchmark: lip sync and alignment of participants over a long recording.
// Two synthetic participants of the test server flash and beep at the same
// instants (one pipeline); ben's media leaves 250 ms late.  livekitroomsrc
// records their four tracks to one Matroska file for MINUTES minutes; the
// file's flash and beep edges give, per minute, each participant's A/V
// offset and the offset between the two participants' beeps.  Drift shows
// as a change from the first minute to the last.
//
//   scripts/bench-livekitsrc-sync.sh [MINUTES]   (default 10)
//
// docs/livekitroomsrc.md reports a run.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const top = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startServer, admin, sleep, KEY, SECRET } = await import(
  path.join(top, 'tests', 'livekit-server', 'testlib.mjs'));
const { edges } = await import(path.join(top, 'tests', 'integration',
  'media-edges.mjs'));

const minutes = Number(process.argv[2] || 10);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gst-egress-sync-'));
const mkv = path.join(tmp, 'sync.mkv');

// For each edge of a in [from, to): the offset to the nearest edge of b
// (ms); returns {mean, max |offset|, n}.
function offsets(a, b, from, to) {
  const d = a.filter((t) => t >= from && t < to).map((t) => {
    const near = b.reduce((x, y) => Math.abs(y - t) < Math.abs(x - t) ? y : x,
      Infinity);
    return (near - t) * 1000;
  }).filter((x) => Math.abs(x) < 500);
  if (!d.length)
    return { mean: NaN, max: NaN, n: 0 };
  return {
    mean: d.reduce((x, y) => x + y, 0) / d.length,
    max: Math.max(...d.map(Math.abs)),
    n: d.length,
  };
}

const server = await startServer();
try {
  await admin(server, 'POST', '/rooms/sync/participants', {
    participants: [
      { identity: 'ann', tracks: [{ codec: 'vp8', width: 320, height: 240 },
        { codec: 'opus' }] },
      { identity: 'ben', tracks: [
        { codec: 'vp8', width: 320, height: 240, sendDelay: 250 },
        { codec: 'opus', sendDelay: 250 }] },
    ],
  });
  const rec = spawn('gst-launch-1.0', ['-e', 'livekitroomsrc',
    `url=${server.url}`, `api-key=${KEY}`, `api-secret=${SECRET}`,
    'room=sync', 'local-address=127.0.0.1', 'participants=ann,ben',
    'name=s', 'matroskamux', 'name=mux', '!', 'filesink', `location=${mkv}`,
    ...['video_0', 'video_1'].flatMap((p) => [`s.${p}`, '!', 'queue', '!',
      'mux.']),
    ...['audio_0', 'audio_1'].flatMap((p) => [`s.${p}`, '!', 'queue', '!',
      'opusparse', '!', 'mux.'])],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  rec.stdout.on('data', (d) => { log += d; });
  rec.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => rec.on('exit', resolve));
  console.log(`recording two participants for ${minutes} min ...`);
  await sleep(minutes * 60000 + 5000);
  await admin(server, 'DELETE', '/rooms/sync');
  const code = await exited;
  if (code !== 0)
    throw new Error(`gst-launch failed (${code}): ${log.slice(-2000)}`);

  // the streams' order in the file is the order their pads came
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error',
    '-show_entries', 'stream=index,codec_type', '-of', 'json', mkv]));
  const vids = probe.streams.filter((s) => s.codec_type === 'video');
  const auds = probe.streams.filter((s) => s.codec_type === 'audio');
  const v = vids.map((s) => edges(mkv, `0:${s.index}`, 'video', tmp));
  const a = auds.map((s) => edges(mkv, `0:${s.index}`, 'audio', tmp));
  const end = Math.min(...a.map((e) => e.at(-1)));
  const start = Math.max(...a.map((e) => e[0])) + 2;
  const fmt = (o) => `${o.mean.toFixed(1).padStart(6)} ms (max ${o.max
    .toFixed(0)} ms, ${o.n} edges)`;
  console.log(`\n${(end - start).toFixed(0)} s analysed\n`);
  // A/V: from each video's flashes to the nearest beeps (its own
  // participant's, as the two participants line up)
  console.log('minute  A/V video 1              A/V video 2' +
    '              audio 1 -> audio 2');
  for (let m = 0; start + (m + 1) * 60 <= end + 1; m++) {
    const from = start + m * 60, to = Math.min(end, from + 60);
    // A/V: from a flash to the nearest beep of the same participant; the
    // video and audio pads are numbered in subscription order, so pair
    // each video with the audio whose beeps are nearest
    const av = v.map((ve) => {
      const cand = a.map((ae) => offsets(ve, ae, from, to));
      return cand.reduce((x, y) => Math.abs(y.mean) < Math.abs(x.mean) ? y
        : x);
    });
    const cross = offsets(a[0], a[1], from, to);
    console.log(`${String(m + 1).padStart(6)}  ${fmt(av[0])}  ${fmt(av[1])}` +
      `  ${fmt(cross)}`);
  }
} finally {
  await server.stop();
  if (!process.env.KEEP)
    fs.rmSync(tmp, { recursive: true, force: true });
  else
    console.log(`files kept in ${tmp}`);
}

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

// livekitroomsrc and livekittracksrc against the test LiveKit server:
// gst-launch-1.0 lines record synthetic publishers' tracks to files, which
// ffprobe and ffmpeg check.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { startServer, admin, sleep, waitFor, token, SignalClient, KEY,
  SECRET } = await import(path.join(here, '..', 'livekit-server',
  'testlib.mjs'));
const { edges } = await import(path.join(here, 'media-edges.mjs'));
const nodeRequire = (await import('node:module')).createRequire(
  path.join(here, '..', 'package.json'));

let server;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gst-egress-lk-'));

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// Runs gst-launch-1.0 -e -m; resolves with exit code, output and the time
// it ran.
function launch(pipeline, timeoutMs = 60000, flags = []) {
  const start = Date.now();
  const proc = spawn('gst-launch-1.0', ['-e', '-m', ...flags, ...pipeline], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const seen = new Map(); // first time a line matched
  const watch = (d) => {
    for (const m of d.toString().matchAll(/livekit-track-subscribed, pad=\(string\)(\w+)/g))
      if (!seen.has(m[1]))
        seen.set(m[1], Date.now());
  };
  proc.stdout.on('data', watch);
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const done = new Promise((resolve) => proc.on('exit', (code, signal) => {
    clearTimeout(timer);
    resolve({ code, signal, out, ms: Date.now() - start });
  }));
  // subscribed(pad): when that pad's track started (its message arrived)
  return { proc, done, output: () => out, subscribed: (pad) => seen.get(pad) };
}

function src(room, extra = []) {
  return ['livekitroomsrc', `url=${server.url}`, `api-key=${KEY}`,
    `api-secret=${SECRET}`, `room=${room}`, 'local-address=127.0.0.1',
    'name=s', ...extra];
}

function probe(file) {
  const json = execFileSync('ffprobe', ['-v', 'error', '-show_entries',
    'stream=codec_name,width,height', '-of', 'json', file]);
  // the media's own length, from its first to its last packet (an OGG
  // file's duration counts from running time 0)
  const pkts = execFileSync('ffprobe', ['-v', 'error', '-select_streams',
    '0', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0',
    file]).toString().trim().split('\n').map((l) => l.split(',').map(Number));
  const first = Math.min(...pkts.map(([pts]) => pts));
  const end = Math.max(...pkts.map(([pts, d]) => pts + (d || 0)));
  return { ...JSON.parse(json).streams[0], duration: end - first };
}

function decodeErrors(file) {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null',
    '-'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString() +
    '';
}

// A/V sync of the test server's content: the rising edges of the white box
// (top-left corner) and of the beeps, both once per second at the same
// capture time.  Returns the edges and the audio packets' timestamps.
function avEdges(file) {
  const video = edges(file, '0:v:0', 'video', tmp);
  const audio = edges(file, '0:a:0', 'audio', tmp);
  const packets = execFileSync('ffprobe', ['-v', 'error', '-select_streams',
    'a', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file])
    .toString().trim().split('\n').map(Number);
  return { video, audio, packets };
}

// The rising edges of the beeps in the file's audio stream n.
function beeps(file, n) {
  return edges(file, `0:a:${n}`, 'audio', tmp);
}

async function recorderJoined(room) {
  await waitFor(`recorder in ${room}`, async () => {
    try {
      const r = await admin(server, 'GET', `/rooms/${room}`);
      return r.participants.some((p) => p.hidden && p.connected !== false);
    } catch {
      return false;
    }
  });
}

test('tracks recorded without transcoding: VP8 to WebM, Opus to OGG',
  async () => {
    const webm = path.join(tmp, 'vp8.webm');
    const ogg = path.join(tmp, 'opus.ogg');
    await admin(server, 'POST', '/rooms/passthrough/participants', {
      identity: 'alice',
      tracks: [{ codec: 'vp8', width: 320, height: 240 }, { codec: 'opus' }],
    });
    await sleep(1000);
    const run = launch([...src('passthrough'),
      's.video_0', '!', 'queue', '!', 'webmmux', '!', 'filesink',
      `location=${webm}`,
      's.audio_0', '!', 'queue', '!', 'opusparse', '!', 'oggmux', '!',
      'filesink', `location=${ogg}`]);
    await recorderJoined('passthrough');
    await sleep(5000);
    await admin(server, 'DELETE', '/rooms/passthrough');
    const closed = Date.now();
    const r = await run.done;
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /livekit-track-published/);

    // publishing time as the recorder sees it: from the subscription
    // (the pad's livekit-track-subscribed message) to the room's close
    const published = (closed - run.subscribed('video_0')) / 1000;
    const heard = (closed - run.subscribed('audio_0')) / 1000;
    const v = probe(webm);
    assert.equal(v.codec_name, 'vp8');
    assert.equal(v.width, 320);
    assert.equal(v.height, 240);
    // Video starts at the first keyframe: the server asks the publisher for
    // one when the down track's transport is up, and the recorder asks
    // until one comes, so the file covers the publishing time within 0.5 s.
    assert.ok(Math.abs(v.duration - published) <= 0.5,
      `webm ${v.duration} s for ${published} s published`);
    assert.equal(decodeErrors(webm), '');

    const a = probe(ogg);
    assert.equal(a.codec_name, 'opus');
    assert.ok(Math.abs(a.duration - heard) <= 0.5,
      `ogg ${a.duration} s for ${heard} s published`);
    assert.equal(decodeErrors(ogg), '');
  });

// The ```sh blocks of a docs page: one gst-launch-1.0 command each, with
// the line continuations joined.
function docLines(page) {
  const md = fs.readFileSync(path.join(here, '..', '..', 'docs', page),
    'utf8');
  const lines = [];
  for (const block of md.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const text = block[1].replace(/\\\n\s*/g, ' ');
    for (const l of text.split('\n'))
      if (l.startsWith('gst-launch-1.0 '))
        lines.push(l.trim());
  }
  return lines;
}

test('the gst-launch lines of the docs pages record', async () => {
  const p = await admin(server, 'POST', '/rooms/docs/participants', {
    identity: 'alice',
    tracks: [{ codec: 'vp8', width: 320, height: 240 }, { codec: 'opus' }],
  });
  const vp8 = p.tracks.find((t) => t.kind === 'video').sid;
  const opus = p.tracks.find((t) => t.kind === 'audio').sid;
  const dir = fs.mkdtempSync(path.join(tmp, 'docs-'));
  const lines = [...docLines('livekitroomsrc.md'),
    ...docLines('livekittracksrc.md')];
  assert.ok(lines.length >= 4, `${lines.length} lines in the docs`);
  const outputs = [];
  const runs = lines.map((line, i) => {
    const argv = line.split(/\s+/).slice(1).filter((a) => a !== '-e')
      .map((a) => a
        .replace('ws://127.0.0.1:7880', server.url)
        .replace('room=my-room', 'room=docs')
        .replace('TR_xxxx', vp8).replace('TR_yyyy', opus)
        .replace(/^location=(.*)$/, (m, f) => {
          const out = path.join(dir, `${i}-${f}`);
          outputs.push(out);
          return `location=${out}`;
        }));
    // this machine's ICE stays on loopback
    argv.splice(1, 0, 'local-address=127.0.0.1');
    return launch(argv);
  });
  await waitFor('four recorders', async () => (await admin(server, 'GET',
    '/rooms/docs')).participants.filter((x) => x.hidden).length >= lines.length);
  await sleep(4000);
  await admin(server, 'DELETE', '/rooms/docs');
  for (const [i, r] of (await Promise.all(runs.map((x) => x.done))).entries())
    assert.equal(r.code, 0, `${lines[i]}\n${r.out}`);
  const codecs = outputs.map((f) => execFileSync('ffprobe', ['-v', 'error',
    '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', f]).toString()
    .trim().split('\n').sort().join('+'));
  // every track to its own file, the camera and microphone transcoded to
  // H.264 + AAC, one track each to WebM and OGG
  assert.deepEqual(codecs.sort(), ['aac+h264', 'opus', 'opus', 'vp8', 'vp8']);
});

test('a participant\'s audio and video line up within 40 ms', async () => {
  const mkv = path.join(tmp, 'sync.mkv');
  // the video leaves the publisher 250 ms after the audio of the same
  // instant: only the sender reports can put them back in step
  await admin(server, 'POST', '/rooms/sync/participants', {
    identity: 'gus',
    tracks: [{ codec: 'vp8', width: 320, height: 240, sendDelay: 250 },
      { codec: 'opus' }],
  });
  const run = launch([...src('sync'),
    's.video_0', '!', 'queue', '!', 'mux.',
    's.audio_0', '!', 'queue', '!', 'opusparse', '!', 'mux.',
    'matroskamux', 'name=mux', '!', 'filesink', `location=${mkv}`]);
  await recorderJoined('sync');
  await sleep(9000);
  await admin(server, 'DELETE', '/rooms/sync');
  const r = await run.done;
  assert.equal(r.code, 0, r.out);

  const { video, audio, packets } = avEdges(mkv);
  assert.ok(video.length >= 6 && audio.length >= 6,
    `flashes ${video} beeps ${audio}`);
  // Every flash has its beep within 40 ms (same capture time), once the
  // first sender reports are in: before them (the first few hundred ms at
  // most) the tracks are placed by arrival.
  const settled = 1.2;
  for (const t of video.filter((x) => x - video[0] >= settled)) {
    const nearest = audio.reduce((a, b) => Math.abs(b - t) < Math.abs(a - t)
      ? b : a);
    assert.ok(Math.abs(nearest - t) <= 0.040,
      `flash at ${t} s, nearest beep at ${nearest} s: ` +
      `offset ${Math.round((nearest - t) * 1000)} ms`);
  }
  // and the audio runs on without timestamp jumps (20 ms Opus packets),
  // but for the one step that lines it up when the first reports arrive
  for (let i = 1; i < packets.length; i++) {
    const step = packets[i] - packets[i - 1];
    assert.ok((step > 0.010 && step < 0.045) ||
      (packets[i] - packets[0] < settled && step > 0),
    `audio packet at ${packets[i]} s follows ${packets[i - 1]} s`);
  }
});

test('different participants line up by their sender reports', async () => {
  const mkv = path.join(tmp, 'participants.mkv');
  // ann and ben beep at the same instants (one pipeline), but ben's
  // packets leave 300 ms late: placed by arrival, his beeps would come
  // 300 ms after ann's.  The server's clock is 5 s ahead of ours: the
  // reports line the tracks up with each other, and do not move them 5 s
  // away from the time they arrive.
  await admin(server, 'POST', '/rooms/align/clock', { offsetMs: 5000 });
  await admin(server, 'POST', '/rooms/align/participants', {
    participants: [
      { identity: 'ann', tracks: [{ codec: 'opus' }] },
      { identity: 'ben', tracks: [{ codec: 'opus', sendDelay: 300 }] },
    ],
  });
  const run = launch([...src('align'),
    's.audio_0', '!', 'queue', '!', 'opusparse', '!', 'mux.',
    's.audio_1', '!', 'queue', '!', 'opusparse', '!', 'mux.',
    'matroskamux', 'name=mux', '!', 'filesink', `location=${mkv}`]);
  await recorderJoined('align');
  await sleep(8000);
  await admin(server, 'DELETE', '/rooms/align');
  const r = await run.done;
  assert.equal(r.code, 0, r.out);

  // the recording starts when the media came (within the few seconds of
  // joining), not 5 s later
  const first = Math.min(...execFileSync('ffprobe', ['-v', 'error',
    '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', mkv]).toString()
    .trim().split('\n').map(Number));
  assert.ok(first < 4, `the first packet is at ${first} s`);

  const a = beeps(mkv, 0), b = beeps(mkv, 1);
  assert.ok(a.length >= 5 && b.length >= 5, `beeps ${a} and ${b}`);
  // once both participants' first sender reports are in, and while both
  // tracks run (ben's, placed earlier than it arrived, ends earlier; the
  // last packets of a track come out of its jitter buffer at the close)
  const settled = Math.max(a[0], b[0]) + 1.2;
  const end = Math.min(...[0, 1].map((n) => Math.max(...execFileSync(
    'ffprobe', ['-v', 'error', '-select_streams', `a:${n}`, '-show_entries',
      'packet=pts_time', '-of', 'csv=p=0', mkv]).toString().trim()
    .split('\n').map(Number)))) - 0.5;
  let compared = 0;
  for (const t of a.filter((x) => x >= settled && x <= end)) {
    const nearest = b.reduce((x, y) => Math.abs(y - t) < Math.abs(x - t)
      ? y : x);
    assert.ok(Math.abs(nearest - t) <= 0.040,
      `beep at ${t} s in one track, nearest in the other at ${nearest} s: ` +
      `offset ${Math.round((nearest - t) * 1000)} ms`);
    compared++;
  }
  assert.ok(compared >= 3, `only ${compared} beeps compared: ${a} / ${b}`);
});

test('H264 track to MP4, finalized by the room closing', async () => {
  const mp4 = path.join(tmp, 'h264.mp4');
  await admin(server, 'POST', '/rooms/h264/participants', {
    identity: 'bob', tracks: [{ codec: 'h264', width: 640, height: 360 }],
  });
  const run = launch([...src('h264'), 's.', '!', 'queue', '!', 'h264parse',
    '!', 'mp4mux', '!', 'filesink', `location=${mp4}`]);
  await recorderJoined('h264');
  await sleep(5000);
  await admin(server, 'DELETE', '/rooms/h264');
  const r = await run.done;
  assert.equal(r.code, 0, r.out);
  const v = probe(mp4);
  assert.equal(v.codec_name, 'h264');
  assert.equal(v.width, 640);
  assert.equal(v.height, 360);
  assert.ok(v.duration > 1.5, `mp4 ${v.duration} s`);
  assert.equal(decodeErrors(mp4), '');
});

test('raw output when downstream takes raw media', async () => {
  await admin(server, 'POST', '/rooms/raw/participants', {
    identity: 'carol', tracks: [{ codec: 'vp8', width: 320, height: 240 }],
  });
  const run = launch([...src('raw'), 's.', '!', 'queue', '!', 'videoconvert',
    '!', 'video/x-raw,format=I420', '!', 'fakesink']);
  await recorderJoined('raw');
  await sleep(3000);
  await admin(server, 'DELETE', '/rooms/raw');
  const r = await run.done;
  assert.equal(r.code, 0, r.out);
});

test('participants join late, leave early and mute; pads follow',
  async () => {
    await admin(server, 'POST', '/rooms/life/participants', {
      identity: 'early', tracks: [{ codec: 'vp8', width: 160, height: 120 }],
    });
    const muted = await admin(server, 'POST', '/rooms/life/participants', {
      identity: 'muter', tracks: [{ codec: 'opus' }],
    });
    const sink = ['!', 'queue', '!', 'fakesink', 'async=false'];
    const run = launch([...src('life'), 's.', ...sink, 's.', ...sink,
      's.', ...sink]);
    await recorderJoined('life');
    await sleep(1500);
    await admin(server, 'POST', '/rooms/life/participants', {
      identity: 'late', tracks: [{ codec: 'vp8', width: 160, height: 120 }],
    });
    const sid = muted.tracks[0].sid;
    await admin(server, 'POST',
      `/rooms/life/participants/muter/tracks/${sid}/mute`, { muted: true });
    await sleep(3000);
    await admin(server, 'POST',
      `/rooms/life/participants/muter/tracks/${sid}/mute`, { muted: false });
    await admin(server, 'DELETE', '/rooms/life/participants/early');
    await sleep(1500);
    await admin(server, 'DELETE', '/rooms/life');
    const r = await run.done;
    assert.equal(r.code, 0, r.out);
    for (const re of [
      /livekit-participant-joined.*participant-identity=\(string\)late/,
      /livekit-track-muted.*participant-identity=\(string\)muter/,
      /livekit-track-unmuted.*participant-identity=\(string\)muter/,
      /livekit-participant-left.*participant-identity=\(string\)early/,
      /livekit-track-unpublished.*participant-identity=\(string\)early/,
      /livekit-connection.*state=\(string\)disconnected/,
    ])
      assert.match(r.out, re);
  });

test('a wrong API secret is a clear error within 2 s', async () => {
  const run = launch(['livekitroomsrc', `url=${server.url}`,
    `api-key=${KEY}`, 'api-secret=wrong', 'room=nope', '!', 'fakesink']);
  const r = await run.done;
  assert.notEqual(r.code, 0);
  assert.match(r.out, /refused the credentials/);
  assert.match(r.out, /401/);
  assert.ok(r.ms < 2000 + 1500, `took ${r.ms} ms`);
});

test('an unreachable server is a clear error', async () => {
  const run = launch(['livekitroomsrc', 'url=ws://127.0.0.1:9',
    `api-key=${KEY}`, `api-secret=${SECRET}`, 'room=x', '!', 'fakesink']);
  const r = await run.done;
  assert.notEqual(r.code, 0);
  assert.match(r.out, /Could not connect to LiveKit server/);
});

test('an unknown track is an error after subscribe-timeout', async () => {
  await admin(server, 'POST', '/rooms/unknown/participants', {
    identity: 'dan', tracks: [{ codec: 'opus' }],
  });
  const run = launch([...src('unknown', ['tracks=TR_nosuchtrack',
    'subscribe-timeout=2']), '!', 'fakesink']);
  const r = await run.done;
  assert.notEqual(r.code, 0);
  assert.match(r.out, /No track to record/);
  assert.ok(r.ms >= 2000, `failed after ${r.ms} ms`);
});

test('a track in a codec that cannot be recorded: an error when asked ' +
  'for, a warning in a room', async () => {
  const p = await admin(server, 'POST', '/rooms/hevc/participants', {
    identity: 'hal',
    tracks: [{ codec: 'h265', width: 320, height: 240 }, { codec: 'opus' }],
  });
  const hevc = p.tracks.find((t) => t.kind === 'video').sid;
  const one = launch(['livekittracksrc', `url=${server.url}`,
    `api-key=${KEY}`, `api-secret=${SECRET}`, 'room=hevc',
    'local-address=127.0.0.1', `track-sid=${hevc}`, '!', 'fakesink'], 20000);
  const r1 = await one.done;
  assert.notEqual(r1.code, 0);
  assert.ok(r1.ms < 10000, `failed after ${r1.ms} ms`);
  assert.match(r1.out, new RegExp(`ERROR.*Track ${hevc} of hal is ` +
    'published as video/H265, which cannot be recorded'));

  // the whole room: the H.265 track is left out with a warning, the
  // audio is recorded
  const ogg = path.join(tmp, 'hevc-room.ogg');
  const room = launch([...src('hevc'), 's.audio_0', '!', 'queue', '!',
    'opusparse', '!', 'oggmux', '!', 'filesink', `location=${ogg}`]);
  await recorderJoined('hevc');
  await sleep(3000);
  await admin(server, 'DELETE', '/rooms/hevc');
  const r2 = await room.done;
  assert.equal(r2.code, 0, r2.out);
  assert.match(r2.out, /WARNING.*video\/H265, which cannot be recorded.*left out/);
  assert.doesNotMatch(r2.out, /pad=\(string\)video_/);
  assert.equal(probe(ogg).codec_name, 'opus');
});

test('livekittracksrc records the one track it is given, through a ' +
  'republish', async () => {
  const p = await admin(server, 'POST', '/rooms/one/participants', {
    identity: 'erin',
    tracks: [{ codec: 'vp8', width: 320, height: 240 }, { codec: 'opus' }],
  });
  const ogg = path.join(tmp, 'track.ogg');
  const audio = p.tracks.find((t) => t.kind === 'audio').sid;
  const run = launch(['livekittracksrc', `url=${server.url}`,
    `api-key=${KEY}`, `api-secret=${SECRET}`, 'room=one',
    'local-address=127.0.0.1', `track-sid=${audio}`, '!', 'queue', '!',
    'opusparse', '!', 'oggmux', '!', 'filesink', `location=${ogg}`]);
  await recorderJoined('one');
  await sleep(2000);
  // unpublished, then the same source again within the grace period
  await admin(server, 'DELETE', `/rooms/one/participants/erin/tracks/${audio}`);
  await sleep(1000);
  await admin(server, 'POST', '/rooms/one/participants/erin/tracks',
    { codec: 'opus', source: 'microphone' });
  await sleep(2000);
  const before = run.output();
  assert.match(before, /livekit-track-subscribed.*output=\(string\)continued/);
  // now for good: EOS after the grace period ends the recording
  const again = await admin(server, 'GET', '/rooms/one/participants/erin');
  const sid = again.tracks.find((t) => t.kind === 'audio').sid;
  await admin(server, 'DELETE', `/rooms/one/participants/erin/tracks/${sid}`);
  const r = await run.done;
  assert.equal(r.code, 0, r.out);
  assert.equal(probe(ogg).codec_name, 'opus');
  assert.ok(probe(ogg).duration > 3.5, `${probe(ogg).duration} s`);
  assert.doesNotMatch(r.out, /video_0|audio_1/);
});

test('a dropped signalling connection is resumed; a lost session is ' +
  'joined again; the recording goes on', async () => {
  const webm = path.join(tmp, 'resume.webm');
  await admin(server, 'POST', '/rooms/resume/participants', {
    identity: 'fay', tracks: [{ codec: 'vp8', width: 320, height: 240 }],
  });
  const run = launch([...src('resume', ['identity=rec-resume']), 's.',
    '!', 'queue', '!', 'webmmux', '!', 'filesink', `location=${webm}`]);
  await recorderJoined('resume');
  await sleep(2000);
  // the WebSocket drops and the server refuses it for 3 s: the session
  // resumes (reconnect=1) on the same PeerConnection, after an ICE restart
  await admin(server, 'POST', '/rooms/resume/participants/rec-resume/drop',
    { forMs: 3000 });
  await waitFor('resumed', () => /state=\(string\)resumed/.test(run.output()),
    15000);
  const resumedOut = run.output();
  assert.doesNotMatch(resumedOut, /state=\(string\)rejoined/);
  await sleep(2000);
  // the server forgets the session: the resume is refused, the element
  // joins again with a new PeerConnection and keeps its pad
  await admin(server, 'POST', '/rooms/resume/participants/rec-resume/drop',
    { forget: true });
  await waitFor('rejoined', () => /state=\(string\)rejoined/.test(run.output()),
    15000);
  await sleep(2000);
  // a resume whose ICE restart never connects: no media comes, and the
  // element joins again after a few seconds
  const before = (run.output().match(/state=\(string\)rejoined/g) ?? []).length;
  await admin(server, 'POST', '/rooms/resume/participants/rec-resume/drop',
    { brokenRestart: true });
  await waitFor('joined again after a broken restart', () =>
    (run.output().match(/state=\(string\)rejoined/g) ?? []).length > before,
  20000);
  assert.match(run.output().slice(run.output().lastIndexOf('resumed')),
    /rejoined/);
  await sleep(2000);
  await admin(server, 'DELETE', '/rooms/resume');
  const closed = Date.now();
  const r = await run.done;
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /livekit-connection.*state=\(string\)reconnecting/);
  assert.doesNotMatch(r.out, /ERROR/);
  // one pad throughout, and media on both sides of each drop: no gap
  // longer than a reconnection took
  assert.doesNotMatch(r.out, /pad=\(string\)video_1/);
  const pts = execFileSync('ffprobe', ['-v', 'error', '-show_entries',
    'packet=pts_time', '-of', 'csv=p=0', webm]).toString().trim()
    .split('\n').map(Number).sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < pts.length; i++)
    gap = Math.max(gap, pts[i] - pts[i - 1]);
  const span = pts.at(-1) - pts[0];
  const sub = (closed - run.subscribed('video_0')) / 1000;
  // (measured: the resume leaves no gap, the new session 0.7 s, the
  // broken restart the 5 s of its watch and a new session)
  assert.ok(gap < 8, `largest gap ${gap} s`);
  assert.ok(span > sub - 2.5, `${span} s of media for ${sub} s`);
  assert.equal(decodeErrors(webm), '');
});

async function freePort() {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

test('through a TURN relay only (coturn), a track records', async () => {
  assert.ok(!spawnSync('turnserver', ['--help']).error,
    'coturn\'s turnserver is needed (scripts/setup.sh installs it)');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(tmp, 'turn-'));
  const log = path.join(dir, 'turn.log');
  const turn = spawn('turnserver', ['-n', '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1', `--listening-port=${port}`, '--no-tls',
    '--no-dtls', '--no-cli', '--no-rfc5780', '--fingerprint',
    '--lt-cred-mech', '--realm=gst-egress', '--user=recorder:turnpass',
    '--allow-loopback-peers', '--verbose', '--simple-log',
    `--log-file=${log}`, `--pidfile=${path.join(dir, 'pid')}`],
  { stdio: 'ignore' });
  // the JoinResponse gives the recorder this relay
  const srv = await startServer(['--ice-servers', JSON.stringify([{
    urls: [`turn:127.0.0.1:${port}?transport=udp`],
    username: 'recorder', credential: 'turnpass',
  }])]);
  try {
    await admin(srv, 'POST', '/rooms/relayed/participants', {
      identity: 'ida', tracks: [{ codec: 'opus' }],
    });
    const ogg = path.join(dir, 'relayed.ogg');
    const run = launch(['livekitroomsrc', `url=${srv.url}`, `api-key=${KEY}`,
      `api-secret=${SECRET}`, 'room=relayed', 'local-address=127.0.0.1',
      'ice-transport-policy=relay', '!', 'queue', '!', 'opusparse', '!',
      'oggmux', '!', 'filesink', `location=${ogg}`]);
    await waitFor('recorder subscribed', () => run.subscribed('audio_0'));
    await sleep(3000);
    await admin(srv, 'DELETE', '/rooms/relayed');
    const r = await run.done;
    assert.equal(r.code, 0, r.out);
    const a = probe(ogg);
    assert.equal(a.codec_name, 'opus');
    assert.ok(a.duration > 2, `${a.duration} s recorded`);
    // and the media came through the relay: the recorder allocated,
    // opened a permission for the server and bound a channel
    const text = fs.readFileSync(log, 'utf8');
    assert.match(text, /user <recorder>: incoming packet ALLOCATE processed, success/);
    assert.match(text, /CHANNEL_BIND processed, success/);
  } finally {
    await srv.stop();
    turn.kill('SIGTERM');
  }
});

test('wss:// with a private CA given as ca-file', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'tls-'));
  const ssl = (...a) => execFileSync('openssl', a, { stdio: 'ignore' });
  const f = (n) => path.join(dir, n);
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=gst-egress test CA', '-keyout', f('ca.key'),
    '-out', f('ca.pem'));
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1',
    '-keyout', f('srv.key'), '-out', f('srv.csr'));
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', f('srv.csr'), '-CA', f('ca.pem'), '-CAkey',
    f('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', f('ext.cnf'),
    '-out', f('srv.pem'));
  const tls = await startServer(['--tls', `${f('srv.pem')}:${f('srv.key')}`]);
  try {
    assert.match(tls.url, /^wss:/);
    await admin(tls, 'POST', '/rooms/secure/participants', {
      identity: 'gil', tracks: [{ codec: 'opus' }],
    });
    const base = ['livekitroomsrc', `url=${tls.url}`, `api-key=${KEY}`,
      `api-secret=${SECRET}`, 'room=secure', 'local-address=127.0.0.1'];

    // without the CA the server is not trusted: a clear error
    const untrusted = await launch([...base, '!', 'fakesink']).done;
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.out, /Could not connect to LiveKit server wss:/);

    const ogg = path.join(dir, 'secure.ogg');
    const run = launch([...base, `ca-file=${f('ca.pem')}`, '!', 'queue',
      '!', 'opusparse', '!', 'oggmux', '!', 'filesink', `location=${ogg}`]);
    await waitFor('recorder over wss', async () => (await admin(tls, 'GET',
      '/rooms/secure')).participants.some((p) => p.hidden));
    await sleep(3000);
    await admin(tls, 'DELETE', '/rooms/secure');
    const r = await run.done;
    assert.equal(r.code, 0, r.out);
    assert.equal(probe(ogg).codec_name, 'opus');
  } finally {
    await tls.stop();
  }
});

test('a room that closes before any track is an error, not a hang',
  async () => {
    const run = launch([...src('empty'), '!', 'fakesink']);
    await recorderJoined('empty');
    await admin(server, 'DELETE', '/rooms/empty');
    const r = await run.done;
    assert.notEqual(r.code, 0);
    assert.match(r.out, /room ended \(ROOM_DELETED\) before any track/i);
  });

test('a muted track keeps its pad and sends GAP events', async () => {
  const p = await admin(server, 'POST', '/rooms/mute/participants', {
    identity: 'ivy', tracks: [{ codec: 'opus' }],
  });
  const sid = p.tracks[0].sid;
  const run = launch([...src('mute'), 's.', '!', 'identity', 'silent=false',
    '!', 'fakesink', 'async=false'], 60000, ['-v']);
  await recorderJoined('mute');
  await sleep(1500);
  await admin(server, 'POST', `/rooms/mute/participants/ivy/tracks/${sid}/mute`,
    { muted: true });
  await sleep(2500);
  await admin(server, 'POST', `/rooms/mute/participants/ivy/tracks/${sid}/mute`,
    { muted: false });
  await sleep(1500);
  await admin(server, 'DELETE', '/rooms/mute');
  const r = await run.done;
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /livekit-track-muted/);
  const gaps = r.out.match(/type: gap/g) ?? [];
  // one every 100 ms while muted
  assert.ok(gaps.length >= 10, `${gaps.length} gap events`);
  // and data again after the unmute
  const last = r.out.lastIndexOf('type: gap');
  assert.match(r.out.slice(last), /chain/);
});

// A real client's publisher PeerConnection (werift here: the official SDKs'
// libwebrtc offers no loopback candidates), its VP8 track recorded.
test('raw output of a muted track: black frames and silence', async () => {
  const mkv = path.join(tmp, 'rawmute.mkv');
  const p = await admin(server, 'POST', '/rooms/rawmute/participants', {
    identity: 'kim',
    tracks: [{ codec: 'vp8', width: 320, height: 240 }, { codec: 'opus' }],
  });
  const run = launch([...src('rawmute'),
    's.video_0', '!', 'video/x-raw', '!', 'queue', '!', 'videoconvert', '!',
    'video/x-raw,format=I420', '!', 'jpegenc', '!', 'mux.',
    's.audio_0', '!', 'audio/x-raw', '!', 'queue', '!', 'audioconvert', '!',
    'audio/x-raw,format=S16LE', '!', 'mux.',
    'matroskamux', 'name=mux', '!', 'filesink', `location=${mkv}`]);
  await recorderJoined('rawmute');
  await sleep(2000);
  for (const t of p.tracks)
    await admin(server, 'POST',
      `/rooms/rawmute/participants/kim/tracks/${t.sid}/mute`, { muted: true });
  await sleep(3000);
  for (const t of p.tracks)
    await admin(server, 'POST',
      `/rooms/rawmute/participants/kim/tracks/${t.sid}/mute`,
      { muted: false });
  await sleep(2000);
  await admin(server, 'DELETE', '/rooms/rawmute');
  const r = await run.done;
  assert.equal(r.code, 0, r.out);

  // frames and samples keep coming through the muted span
  const times = (stream) => execFileSync('ffprobe', ['-v', 'error',
    '-select_streams', stream, '-show_entries', 'packet=pts_time', '-of',
    'csv=p=0', mkv]).toString().trim().split('\n').map(Number);
  // (filler audio comes in 100 ms buffers)
  for (const [stream, most] of [['v', 0.25], ['a', 0.15]]) {
    const t = times(stream);
    for (let i = 1; i < t.length; i++)
      assert.ok(t[i] - t[i - 1] <= most,
        `${stream}: nothing from ${t[i - 1]} s to ${t[i]} s`);
  }
  // black and silent while muted (3 s), not before or after
  const err = spawnSync('ffmpeg', ['-v', 'info', '-i', mkv, '-vf',
    'blackdetect=d=1.5:pix_th=0.1', '-af', 'silencedetect=n=-60dB:d=1.5',
    '-f', 'null', '-']).stderr.toString();
  const black = [...err.matchAll(/black_duration:([\d.]+)/g)]
    .map((m) => Number(m[1]));
  const silent = [...err.matchAll(/silence_duration: ([\d.]+)/g)]
    .map((m) => Number(m[1]));
  assert.equal(black.length, 1, err);
  assert.ok(black[0] >= 2.0 && black[0] <= 3.6, `black for ${black[0]} s`);
  assert.equal(silent.length, 1, err);
  // (the content is silent for 0.9 s between beeps: up to that much more
  // on either side)
  assert.ok(silent[0] >= 2.5 && silent[0] <= 5.0, `silent for ${silent[0]} s`);
});

test('a track published by a WebRTC client is recorded', async () => {
  const { AddTrackRequest, TrackType, TrackSource, SessionDescription,
    TrickleRequest, SignalTarget } = nodeRequire('@livekit/protocol');
  const { RTCPeerConnection, RTCRtpCodecParameters, MediaStreamTrack } =
    nodeRequire('werift');
  const dgram = await import('node:dgram');
  const tok = await token('webclient', 'client', { canPublish: true,
    canSubscribe: false });
  const sig = await SignalClient.connect(server.url, tok);
  await sig.next('join');
  const pc = new RTCPeerConnection({
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false,
    bundlePolicy: 'max-bundle',
    codecs: { video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8',
      clockRate: 90000, payloadType: 96, rtcpFeedback: [{ type: 'nack' },
        { type: 'nack', parameter: 'pli' }] })] },
  });
  const track = new MediaStreamTrack({ kind: 'video' });
  pc.addTransceiver(track, { direction: 'sendonly' });
  const sock = dgram.createSocket('udp4');
  sock.on('message', (m) => track.writeRtp(m));
  await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const gst = spawn('gst-launch-1.0', ['-q', 'videotestsrc', 'is-live=true',
    '!', 'video/x-raw,width=320,height=240,framerate=15/1', '!', 'vp8enc',
    'deadline=1', 'keyframe-max-dist=15', '!', 'rtpvp8pay', 'pt=96', '!',
    'udpsink', 'host=127.0.0.1', `port=${sock.address().port}`],
  { stdio: 'ignore' });
  const webm = path.join(tmp, 'client.webm');
  let run = null;
  try {
    pc.onIceCandidate.subscribe((c) => {
      if (c?.candidate?.includes(' 127.0.0.1 '))
        sig.send('trickle', new TrickleRequest({ candidateInit: JSON.stringify({
          candidate: c.candidate, sdpMid: c.sdpMid ?? null,
          sdpMLineIndex: c.sdpMLineIndex ?? 0 }), target: SignalTarget.PUBLISHER }));
    });
    sig.onMessage = (m) => {
      if (m.message.case === 'trickle' &&
          m.message.value.target === SignalTarget.PUBLISHER)
        pc.addIceCandidate(JSON.parse(m.message.value.candidateInit))
          .catch(() => {});
    };
    sig.send('addTrack', new AddTrackRequest({ cid: track.id, name: 'cam',
      type: TrackType.VIDEO, source: TrackSource.CAMERA, width: 320,
      height: 240 }));
    const published = await sig.next('trackPublished');
    assert.equal(published.cid, track.id);
    assert.ok(published.track.sid.startsWith('TR_'));
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    sig.send('offer', new SessionDescription({ type: 'offer',
      sdp: pc.localDescription.sdp.split('\r\n').filter((l) =>
        !(l.startsWith('a=candidate') && !l.includes(' 127.0.0.1 ')))
        .join('\r\n'), id: 1 }));
    const answer = await sig.next('answer');
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });

    run = launch([...src('client'), 's.', '!', 'queue', '!', 'webmmux', '!',
      'filesink', `location=${webm}`]);
    await recorderJoined('client');
    await sleep(4000);
    const room = await admin(server, 'GET', '/rooms/client');
    const t = room.participants.find((p) => p.identity === 'webclient')
      .tracks[0];
    assert.equal(t.sid, published.track.sid);
    assert.ok(t.packets > 0, 'the server received the client\'s RTP');
    await admin(server, 'DELETE', '/rooms/client');
    const r = await run.done;
    assert.equal(r.code, 0, r.out);
    const v = probe(webm);
    assert.equal(v.codec_name, 'vp8');
    assert.equal(v.width, 320);
    assert.ok(v.duration > 2, `${v.duration} s`);
  } finally {
    gst.kill('SIGTERM');
    sock.close();
    sig.close();
    await pc.close().catch(() => {});
  }
});

// The official JS SDK in Chromium publishes its camera and microphone
// (Chromium's fake devices) and livekitroomsrc records both; the browser
// receives a synthetic publisher's track.
test('livekit-client in Chromium publishes and subscribes; recorded',
  async () => {
    if (!fs.existsSync('/usr/bin/chromium'))
      return; // scripts/setup.sh installs it
    const { chromium } = nodeRequire('playwright-core');
    const umd = fs.readFileSync(nodeRequire.resolve('livekit-client')
      .replace(/[^/]+$/, 'livekit-client.umd.js'), 'utf8');
    const tok = await token('browser', 'browser', { canPublish: true,
      canSubscribe: true });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless=new', '--disable-gpu',
        '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
        '--allow-loopback-in-peer-connection',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream'],
    });
    const webm = path.join(tmp, 'browser.webm');
    const ogg = path.join(tmp, 'browser.ogg');
    try {
      await admin(server, 'POST', '/rooms/browser/participants', {
        identity: 'synth', tracks: [{ codec: 'vp8', width: 320,
          height: 240 }],
      });
      const page = await browser.newPage();
      // an http://127.0.0.1 page is a secure context (getUserMedia)
      await page.goto(server.url.replace(/^ws/, 'http') + '/');
      await page.addScriptTag({ content: umd });
      await page.evaluate(async ({ url, tok }) => {
        const LK = window.LivekitClient;
        const room = new LK.Room({ adaptiveStream: false, dynacast: false });
        await room.connect(url, tok);
        const tracks = await LK.createLocalTracks({ audio: true,
          video: { resolution: { width: 640, height: 360 } } });
        // simulcast, as livekit-client publishes by default
        for (const t of tracks)
          await room.localParticipant.publishTrack(t, { videoCodec: 'vp8' });
        window.room = room;
      }, { url: server.url, tok });

      // a second recorder asks for the low simulcast layer
      const low = launch([...src('browser', ['participants=browser',
        'video-quality=low', 'audio=false']),
      's.video_0', '!', 'queue', '!', 'webmmux', '!', 'filesink',
      `location=${webm}.low.webm`]);
      const run = launch([...src('browser', ['participants=browser']),
        's.video_0', '!', 'queue', '!', 'webmmux', '!', 'filesink',
        `location=${webm}`,
        's.audio_0', '!', 'queue', '!', 'opusparse', '!', 'oggmux', '!',
        'filesink', `location=${ogg}`]);
      await recorderJoined('browser');
      await sleep(4000);
      // the browser receives the synthetic track too: frames decoded
      const decoded = await page.evaluate(async () => {
        const p = [...window.room.remoteParticipants.values()]
          .find((x) => x.identity === 'synth');
        const pub = p && [...p.trackPublications.values()][0];
        if (!pub || !pub.track)
          return 0;
        const stats = await pub.track.receiver.getStats();
        let frames = 0;
        stats.forEach((r) => {
          if (r.type === 'inbound-rtp' && r.kind === 'video')
            frames = r.framesDecoded;
        });
        return frames;
      });
      assert.ok(decoded > 10, `browser decoded ${decoded} frames`);
      await admin(server, 'DELETE', '/rooms/browser');
      const r = await run.done;
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /participant-identity=\(string\)browser/);
      const v = probe(webm);
      assert.equal(v.codec_name, 'vp8');
      assert.ok(v.duration > 1.5, `${v.duration} s of video`);
      // published in simulcast layers; the recorder asked for the best one
      assert.equal(v.width, 640);
      assert.equal(v.height, 360);
      const rl = await low.done;
      assert.equal(rl.code, 0, rl.out);
      const vl = probe(`${webm}.low.webm`);
      assert.ok(vl.width < 640 && vl.duration > 1.5,
        `low layer: ${vl.width}x${vl.height}, ${vl.duration} s`);
      assert.equal(decodeErrors(`${webm}.low.webm`), '');
      assert.equal(probe(ogg).codec_name, 'opus');
      assert.ok(probe(ogg).duration > 1.5, 'audio recorded');
    } finally {
      await browser.close();
    }
  });

// README command (1) ends in this demo: a room composite of two synthetic
// publishers in an MP4 whose path it prints.
test('the demo records a room to a clean MP4', async () => {
  const out = path.join(tmp, 'demo.mp4');
  const r = execFileSync(path.join(here, '..', '..', 'scripts', 'demo.sh'), {
    env: { ...process.env, DEMO_SECONDS: '3', DEMO_OUTPUT: out,
      BUILDDIR: process.env.GST_EGRESS_BUILD_ROOT },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
  assert.match(r, new RegExp(out.replace(/[.]/g, '\\.')));
  const streams = JSON.parse(execFileSync('ffprobe', ['-v', 'error',
    '-show_entries', 'stream=codec_name,width,height,pix_fmt,r_frame_rate', '-of', 'json',
    out])).streams;
  assert.deepEqual(streams.map((s) => s.codec_name).sort(), ['aac', 'h264']);
  const video = streams.find((s) => s.codec_name === 'h264');
  assert.equal(video.width, 1280);
  assert.equal(video.height, 720);
  // 4:2:0 at a constant rate: what every player takes
  assert.equal(video.pix_fmt, 'yuv420p');
  assert.equal(video.r_frame_rate, '25/1');
  assert.equal(decodeErrors(out), '');
});

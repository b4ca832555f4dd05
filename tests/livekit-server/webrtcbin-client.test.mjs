// SPDX-License-Identifier: LGPL-2.1-or-later
// A webrtcbin subscriber (webrtcbin-client.c) completes the LiveKit
// subscriber flow against the test server with loopback-only ICE and
// receives RTP for every synthetic codec.  This script does the signalling
// (binary protobuf through @livekit/protocol) and relays SDP and ICE to the
// C program over JSON lines.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import {
  SessionDescription, TrickleRequest, SignalTarget, UpdateTrackSettings,
} from '@livekit/protocol';
import {
  startServer, token, admin, SignalClient, waitFor, sleep,
} from './testlib.mjs';

const buildRoot = process.env.GST_EGRESS_BUILD_ROOT;
const CLIENT = path.join(buildRoot ?? '.', 'tests', 'livekit-server', 'webrtcbin-client');

const CODECS = {
  // webrtcbin removes the RED wrapping itself (rtpreddec): its pad is OPUS
  vp8: 'VP8', h264: 'H264', vp9: 'VP9', opus: 'OPUS', red: 'OPUS',
  pcmu: 'PCMU', pcma: 'PCMA',
};

// Start the C client and wire it to a signal connection.
function startWebrtcbin (sig) {
  const child = spawn(CLIENT, [], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, GST_DEBUG: process.env.GST_DEBUG ?? '1' },
  });
  const tell = (o) => child.stdin.write(JSON.stringify(o) + '\n');
  const state = { pads: [], stats: null, offers: [], mids: [] };
  let statsWaiter = null;
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const m = JSON.parse(line);
    if (m.type === 'answer') {
      sig.send('answer', new SessionDescription({
        type: 'answer', sdp: m.sdp, id: state.offers.at(-1).id,
      }));
    } else if (m.type === 'ice') {
      sig.send('trickle', new TrickleRequest({
        candidateInit: JSON.stringify({
          candidate: m.candidate, sdpMLineIndex: m.mline,
          sdpMid: state.mids[m.mline] ?? null,
        }),
        target: SignalTarget.SUBSCRIBER,
      }));
    } else if (m.type === 'pad') {
      state.pads.push(m);
    } else if (m.type === 'stats') {
      state.stats = m.pads;
      statsWaiter?.(m.pads);
    }
  });
  sig.onMessage = (msg) => {
    const { case: kase, value } = msg.message;
    if (kase === 'offer') {
      state.offers.push(value);
      state.mids = [...value.sdp.matchAll(/^a=mid:(\S+)/gm)].map((x) => x[1]);
      tell({ type: 'offer', sdp: value.sdp });
    } else if (kase === 'trickle' && value.target === SignalTarget.SUBSCRIBER) {
      const c = JSON.parse(value.candidateInit);
      tell({ type: 'ice', mline: c.sdpMLineIndex ?? 0, candidate: c.candidate });
    }
  };
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    state,
    stats: () => new Promise((resolve) => { statsWaiter = resolve; tell({ type: 'stats' }); }),
    pli: (mid) => tell({ type: 'pli', mid }),
    stop: async () => {
      if (child.exitCode === null) {
        tell({ type: 'bye' });
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

test('webrtcbin subscriber receives RTP for every synthetic codec', async (t) => {
  const server = await startServer();
  let client = null;
  let sig = null;
  t.after(async () => {
    await client?.stop();
    sig?.close();
    await server.stop();
  });

  const tracks = Object.keys(CODECS).map((codec) => ({
    codec, width: 320, height: 180, fps: 15, keyframeInterval: 1,
  }));
  const pub = await admin(server, 'POST', '/rooms/r1/participants',
    { identity: 'synth', tracks });
  assert.equal(pub.tracks.length, tracks.length);

  const tok = await token('EG_webrtcbin', 'r1',
    { canSubscribe: true, canPublish: false, hidden: true, recorder: true });
  sig = await SignalClient.connect(server.url, tok);
  const join = await sig.next('join');
  assert.ok(join.participant.sid.startsWith('PA_'));
  assert.equal(join.subscriberPrimary, true);
  assert.equal(join.pingInterval, 5);
  assert.equal(join.pingTimeout, 15);
  assert.equal(join.otherParticipants.length, 1);
  assert.equal(join.otherParticipants[0].tracks.length, tracks.length);

  // the first offer may come before the client speaks: relay what is queued
  client = startWebrtcbin(sig);
  for (const m of sig.messages.splice(0))
    sig.onMessage(m);

  const bySid = new Map(pub.tracks.map((x) => [x.sid, x.codec]));
  await waitFor('a pad per track', () => client.state.pads.length >= tracks.length, 20000);
  await sleep(1500);
  const stats = await client.stats();
  const offer = client.state.offers.at(-1);
  for (const [sid, codec] of bySid) {
    const mid = Object.entries(offer.midToTrackId).find(([, s]) => s === sid)?.[0];
    assert.ok(mid !== undefined, `mid_to_track_id has ${sid} (${codec})`);
    assert.match(offer.sdp, new RegExp(`a=msid:${pub.sid}\\|${sid} ${sid}`));
    if (codec === 'red') {
      const section = offer.sdp.split(/^m=/m).find((m) => m.includes(`a=mid:${mid}\r`));
      assert.match(section, /a=rtpmap:63 red\/48000\/2/, 'RED offered for the RED track');
    }
    const pad = stats.find((p) => p.mid === mid);
    assert.ok(pad, `pad for ${codec} (mid ${mid})`);
    assert.equal(pad.encoding, CODECS[codec], `encoding of mid ${mid}`);
    assert.ok(pad.buffers > 5, `${codec}: ${pad.buffers} RTP packets received`);
  }
});

test('a subscriber\'s PLI brings a keyframe; UpdateTrackSettings pauses and resumes',
  async (t) => {
    const server = await startServer();
    let client = null;
    let sig = null;
    t.after(async () => {
      await client?.stop();
      sig?.close();
      await server.stop();
    });
    // no periodic keyframes: every keyframe after the first is asked for
    const pub = await admin(server, 'POST', '/rooms/r2/participants', {
      identity: 'synth',
      tracks: [{ codec: 'vp8', width: 320, height: 180, fps: 15,
        keyframeInterval: 600 }],
    });
    const sid = pub.tracks[0].sid;
    const tok = await token('EG_settings', 'r2',
      { canSubscribe: true, canPublish: false, hidden: true, recorder: true });
    sig = await SignalClient.connect(server.url, tok);
    await sig.next('join');
    client = startWebrtcbin(sig);
    for (const m of sig.messages.splice(0))
      sig.onMessage(m);
    await waitFor('the video pad', () => client.state.pads.length >= 1, 20000);
    const mid = client.state.pads[0].mid;
    const vp8 = async () => (await client.stats()).find((p) => p.mid === mid);
    const requests = async () => (await admin(server, 'GET', '/rooms/r2'))
      .participants.find((p) => p.identity === 'synth').tracks[0]
      .keyframeRequests;
    await waitFor('the first keyframe', async () => (await vp8()).keyframes >= 1,
      10000);
    await sleep(500);

    // PLI: the request reaches the synthetic encoder and a keyframe follows
    const k0 = (await vp8()).keyframes;
    const r0 = await requests();
    client.pli(mid);
    await waitFor('a keyframe after the PLI',
      async () => (await vp8()).keyframes > k0, 5000);
    assert.ok(await requests() > r0, 'the publisher was asked for a keyframe');

    // disabled: forwarding stops
    sig.send('trackSetting', new UpdateTrackSettings({
      trackSids: [sid], disabled: true,
    }));
    await sleep(500);
    const p1 = (await vp8()).buffers;
    await sleep(1500);
    const p2 = (await vp8()).buffers;
    assert.ok(p2 - p1 <= 2, `${p2 - p1} packets while disabled`);
    const sub = (await admin(server, 'GET', '/rooms/r2')).participants
      .find((p) => p.identity === 'EG_settings').subscriptions[0];
    assert.equal(sub.disabled, true);

    // enabled again: forwarding resumes, from a keyframe
    const k1 = (await vp8()).keyframes;
    sig.send('trackSetting', new UpdateTrackSettings({
      trackSids: [sid], disabled: false,
    }));
    await sleep(1500);
    const after = await vp8();
    assert.ok(after.buffers > p2 + 10, `${after.buffers - p2} packets resumed`);
    assert.ok(after.keyframes > k1, 'resumed with a keyframe');
  });

test('simulcast: the layer follows UpdateTrackSettings, switching at keyframes',
  async (t) => {
    const server = await startServer();
    let client = null;
    let sig = null;
    t.after(async () => {
      await client?.stop();
      sig?.close();
      await server.stop();
    });
    const pub = await admin(server, 'POST', '/rooms/r3/participants', {
      identity: 'synth',
      tracks: [{ codec: 'vp8', width: 640, height: 360, fps: 15,
        simulcast: true, keyframeInterval: 600 }],
    });
    const sid = pub.tracks[0].sid;
    const tok = await token('EG_simulcast', 'r3',
      { canSubscribe: true, canPublish: false, hidden: true, recorder: true });
    sig = await SignalClient.connect(server.url, tok);
    const join = await sig.next('join');
    // TrackInfo announces the three layers
    const info = join.otherParticipants[0].tracks[0];
    assert.equal(info.simulcast, true);
    assert.deepEqual(info.layers.map((l) => [l.quality, l.width]),
      [[0, 160], [1, 320], [2, 640]]);
    client = startWebrtcbin(sig);
    for (const m of sig.messages.splice(0))
      sig.onMessage(m);
    await waitFor('the video pad', () => client.state.pads.length >= 1, 20000);
    const mid = client.state.pads[0].mid;
    const vp8 = async () => (await client.stats()).find((p) => p.mid === mid);
    // the high layer by default
    await waitFor('full size', async () => (await vp8()).width === 640, 10000);
    for (const [quality, width] of [[0, 160], [1, 320], [2, 640]]) {
      sig.send('trackSetting', new UpdateTrackSettings({
        trackSids: [sid], quality,
      }));
      await waitFor(`width ${width}`, async () => (await vp8()).width === width,
        5000);
    }
    // a size asked for picks the layer that fits
    sig.send('trackSetting', new UpdateTrackSettings({
      trackSids: [sid], width: 330, height: 190,
    }));
    await waitFor('width 320 for 330', async () => (await vp8()).width === 320,
      5000);
    const before = (await vp8()).buffers;
    await sleep(1000);
    assert.ok((await vp8()).buffers > before + 10, 'media flows after switching');
  });

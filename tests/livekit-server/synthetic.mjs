// SPDX-License-Identifier: LGPL-2.1-or-later
// gst-egress LiveKit-compatible test server: synthetic media sources.
//
// A synthetic track is one gst-launch-1.0 pipeline that encodes a test
// picture or tone and sends RTP over loopback UDP to this process.  The
// pipeline's rtpbin sends RTCP sender reports (we keep the NTP/RTP mapping
// from them, so forwarded reports are consistent across a participant's
// tracks) and receives PLIs from us, which its rtpsession turns into a
// force-key-unit event for the encoder.
//
// Picture: SMPTE bars, a white box in the top-left corner during the first
// half of every second of running time, the running time (a frame counter:
// frame = time x fps) bottom right, the participant identity top right.
// Sound: a 1 kHz beep of 100 ms at the start of every second.

import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { CODECS } from './codecs.mjs';
import { log } from './log.mjs';

async function bindUdp () {
  const s = dgram.createSocket('udp4');
  await new Promise((resolve, reject) => {
    s.once('error', reject);
    s.bind(0, '127.0.0.1', resolve);
  });
  return s;
}

async function freeUdpPort () {
  const s = await bindUdp();
  const port = s.address().port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

// Parse a (compound) RTCP packet; call onSr(ssrc, ntp bigint, rtpTs).
function parseRtcp (buf, onSr) {
  let off = 0;
  while (off + 4 <= buf.length) {
    const pt = buf[off + 1];
    const len = (buf.readUInt16BE(off + 2) + 1) * 4;
    if (pt === 200 && off + 20 <= buf.length) {
      const ssrc = buf.readUInt32BE(off + 4);
      const ntp = buf.readBigUInt64BE(off + 8);
      const rtp = buf.readUInt32BE(off + 16);
      onSr(ssrc, ntp, rtp);
    }
    off += len;
  }
}

// An empty receiver report followed by a PLI for `mediaSsrc`.
export function buildPli (mediaSsrc) {
  const b = Buffer.alloc(20);
  b.writeUInt8(0x80, 0); b.writeUInt8(201, 1); b.writeUInt16BE(1, 2);
  b.writeUInt32BE(0x4c4b5352, 4); // "LKSR"
  b.writeUInt8(0x81, 8); b.writeUInt8(206, 9); b.writeUInt16BE(2, 10);
  b.writeUInt32BE(0x4c4b5352, 12);
  b.writeUInt32BE(mediaSsrc >>> 0, 16);
  return b;
}

// sendDelay (ms): hold the encoded packets that long before sending, as a
// slow encoder or a longer path would; the sender reports still map RTP
// time to capture time, so a recorder that syncs on them is not misled.
function delayed (o) {
  if (!o.sendDelay)
    return [];
  return ['queue', 'max-size-buffers=0', 'max-size-bytes=0',
    'max-size-time=0', `min-threshold-time=${o.sendDelay * 1000000}`, '!'];
}

function videoSource (o, i = 0) {
  if (o.layerOf !== undefined) {
    // another simulcast layer of session o.layerOf's pictures
    return [`t${o.layerOf}.`, '!', 'queue', '!', 'videoscale', '!',
      `video/x-raw,width=${o.width},height=${o.height}`, '!',
      ...CODECS[o.codec].gst(o), '!', ...delayed(o), `rb.send_rtp_sink_${i}`];
  }
  const w = o.width, h = o.height;
  const bw = Math.max(16, (w >> 2) & ~1), bh = Math.max(16, (h >> 2) & ~1);
  return [
    // blink alternates black and white frames, black first: at 2 fps and
    // half a second late (the pad's offset) the box is white during
    // [n, n + 0.5) s, in step with the beeps
    'compositor', `name=c${i}`, 'background=black', 'sink_1::offset=500000000',
    '!',
    `video/x-raw,width=${w},height=${h},framerate=${o.fps}/1`, '!',
    'timeoverlay', 'time-mode=running-time', 'halignment=right',
    'valignment=bottom', 'font-desc=Sans 20', 'shaded-background=true', '!',
    'textoverlay', `text=${o.label}`, 'halignment=right', 'valignment=top',
    'font-desc=Sans 14', 'shaded-background=true', '!',
    'videoconvert', '!', 'video/x-raw,format=I420', '!',
    ...(o.tee ? ['tee', `name=t${i}`, '!', 'queue', '!'] : []),
    ...CODECS[o.codec].gst(o), '!', ...delayed(o), `rb.send_rtp_sink_${i}`,
    'videotestsrc', 'is-live=true', 'pattern=smpte', '!',
    `video/x-raw,width=${w},height=${h},framerate=${o.fps}/1`, '!',
    `c${i}.sink_0`,
    'videotestsrc', 'is-live=true', 'pattern=blink', '!',
    `video/x-raw,width=${bw},height=${bh},framerate=2/1`, '!',
    `c${i}.sink_1`,
  ];
}

function audioSource (o, i = 0) {
  return [
    'audiotestsrc', 'is-live=true', 'wave=ticks', 'freq=1000',
    'sine-periods-per-tick=100', 'tick-interval=1000000000', 'volume=0.5',
    'samplesperbuffer=480', '!',
    'audioconvert', '!', 'audioresample', '!',
    ...CODECS[o.codec].gst(o), '!', ...delayed(o), `rb.send_rtp_sink_${i}`,
  ];
}

// One running gst-launch pipeline for one or more tracks of a participant
// (one rtpbin session each).  Tracks started together share the
// pipeline's running time, so their flashes and beeps line up.
// tracks: [{opts, onRtp(buf), onSr(ssrc, ntp, rtp)}]
export class SyntheticSource {
  // opts: codec, label, width, height, fps, bitrate (bit/s), gop (frames)
  constructor (tracks) {
    this.tracks = tracks;
    this.proc = null;
    this.stopped = false;
    this.live = tracks.length;
  }

  async start () {
    // sender reports map RTP time to the capture time (not the send time,
    // which encoder latency skews differently per track)
    const args = ['-q', 'rtpbin', 'name=rb', 'rtcp-sync-send-time=false',
      // AVPF, as WebRTC: the first report goes out at once
      'rtp-profile=avpf'];
    for (const [i, t] of this.tracks.entries()) {
      const o = t.opts;
      t.rtpSock = await bindUdp();
      t.rtcpSock = await bindUdp();
      t.rtcpInPort = await freeUdpPort();
      t.rtpSock.on('message', (m) => t.onRtp(m));
      t.rtcpSock.on('message', (m) => parseRtcp(m, t.onSr));
      const kind = CODECS[o.codec].kind;
      args.push(...(kind === 'video' ? videoSource(o, i) : audioSource(o, i)),
        `rb.send_rtp_src_${i}`, '!', 'udpsink', 'host=127.0.0.1',
        `port=${t.rtpSock.address().port}`, 'sync=false', 'async=false',
        `rb.send_rtcp_src_${i}`, '!', 'udpsink', 'host=127.0.0.1',
        `port=${t.rtcpSock.address().port}`, 'sync=false', 'async=false',
        'udpsrc', 'address=127.0.0.1', `port=${t.rtcpInPort}`,
        'caps=application/x-rtcp', '!', `rb.recv_rtcp_sink_${i}`);
    }
    const label = this.tracks.map((t) => t.opts.label).join(', ');
    log.debug('synthetic pipeline: gst-launch-1.0', args.join(' '));
    this.proc = spawn('gst-launch-1.0', args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, GST_DEBUG: process.env.GST_DEBUG ?? '1' },
    });
    this.proc.stderr.on('data', (d) => log.warn(`gst-launch (${label}):`,
      d.toString().trim()));
    this.proc.on('exit', (code, sig) => {
      if (!this.stopped)
        log.error(`synthetic pipeline for ${label} exited (${code ?? sig})`);
    });
  }

  requestKeyframe (i, mediaSsrc) {
    const t = this.tracks[i];
    if (this.stopped || mediaSsrc === undefined)
      return;
    t.rtcpSock.send(buildPli(mediaSsrc), t.rtcpInPort, '127.0.0.1');
  }

  // One track is gone; the pipeline stops with the last one.
  release () {
    if (--this.live <= 0)
      this.stop();
  }

  stop () {
    if (this.stopped)
      return;
    this.stopped = true;
    if (this.proc && this.proc.exitCode === null)
      this.proc.kill('SIGTERM');
    for (const t of this.tracks) {
      t.rtpSock?.close();
      t.rtcpSock?.close();
    }
  }
}

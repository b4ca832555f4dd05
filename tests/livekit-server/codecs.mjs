// SPDX-License-Identifier: LGPL-2.1-or-later
// gst-egress LiveKit-compatible test server: the codecs it forwards.
//
// Payload types follow LiveKit's defaults (opus 111, RED 63, PCMU 0, PCMA 8,
// VP8 96, VP9 98, H264 125), so SDPs look like the real server's.

import { RTCRtpCodecParameters } from 'werift';

const videoFb = [
  { type: 'ccm', parameter: 'fir' },
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
];

// name -> description.  `gst` is the encoder + payloader part of the
// synthetic publisher's pipeline (raw audio/video in, RTP out).
export const CODECS = {
  vp8: {
    kind: 'video', mimeType: 'video/VP8', clockRate: 90000, payloadType: 96,
    gst: (o) => ['vp8enc', 'deadline=1', 'cpu-used=8', 'end-usage=cbr',
      `target-bitrate=${o.bitrate}`, `keyframe-max-dist=${o.gop}`,
      '!', 'rtpvp8pay', 'pt=96',
      'picture-id-mode=15-bit', 'mtu=1200'],
  },
  vp9: {
    kind: 'video', mimeType: 'video/VP9', clockRate: 90000, payloadType: 98,
    parameters: 'profile-id=0',
    gst: (o) => ['vp9enc', 'deadline=1', 'cpu-used=8', 'end-usage=cbr',
      `target-bitrate=${o.bitrate}`, `keyframe-max-dist=${o.gop}`,
      'lag-in-frames=0', '!', 'rtpvp9pay', 'pt=98', 'picture-id-mode=15-bit',
      'mtu=1200'],
  },
  h264: {
    kind: 'video', mimeType: 'video/H264', clockRate: 90000, payloadType: 125,
    parameters:
      'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
    gst: (o) => ['x264enc', 'tune=zerolatency', 'speed-preset=ultrafast',
      `bitrate=${Math.round(o.bitrate / 1000)}`, `key-int-max=${o.gop}`,
      'b-adapt=false', 'bframes=0', '!',
      'video/x-h264,profile=constrained-baseline', '!',
      'rtph264pay', 'pt=125', 'config-interval=-1',
      'aggregate-mode=zero-latency', 'mtu=1200'],
  },
  h265: {
    // a codec recorders may not handle (LiveKit forwards it since 1.8);
    // synthetic publishers only
    kind: 'video', mimeType: 'video/H265', clockRate: 90000, payloadType: 116,
    syntheticOnly: true,
    gst: (o) => ['x265enc', 'tune=zerolatency', 'speed-preset=ultrafast',
      `bitrate=${Math.round(o.bitrate / 1000)}`, `key-int-max=${o.gop}`, '!',
      'video/x-h265,profile=main', '!',
      'rtph265pay', 'pt=116', 'config-interval=-1', 'mtu=1200'],
  },
  opus: {
    kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2,
    payloadType: 111, parameters: 'minptime=10;useinbandfec=1',
    gst: () => ['audio/x-raw,rate=48000,channels=2', '!',
      'opusenc', 'frame-size=20', '!', 'rtpopuspay', 'pt=111'],
  },
  red: {
    // Opus wrapped in RED (RFC 2198), one redundant block, as browsers send.
    kind: 'audio', mimeType: 'audio/red', clockRate: 48000, channels: 2,
    payloadType: 63, parameters: '111/111', primary: 'opus',
    gst: () => ['audio/x-raw,rate=48000,channels=2', '!',
      'opusenc', 'frame-size=20', '!', 'rtpopuspay', 'pt=111', '!',
      'rtpredenc', 'pt=63', 'distance=1', 'allow-no-red-blocks=true'],
  },
  pcmu: {
    kind: 'audio', mimeType: 'audio/PCMU', clockRate: 8000, payloadType: 0,
    gst: () => ['audio/x-raw,rate=8000,channels=1', '!', 'mulawenc', '!',
      'rtppcmupay', 'pt=0', 'min-ptime=20000000', 'max-ptime=20000000'],
  },
  pcma: {
    kind: 'audio', mimeType: 'audio/PCMA', clockRate: 8000, payloadType: 8,
    gst: () => ['audio/x-raw,rate=8000,channels=1', '!', 'alawenc', '!',
      'rtppcmapay', 'pt=8', 'min-ptime=20000000', 'max-ptime=20000000'],
  },
};

export function codecByMime (mime) {
  const m = mime.toLowerCase();
  return Object.entries(CODECS).find(([, c]) => c.mimeType.toLowerCase() === m);
}

export function weriftCodec (name) {
  const c = CODECS[name];
  return new RTCRtpCodecParameters({
    mimeType: c.mimeType,
    clockRate: c.clockRate,
    channels: c.channels,
    payloadType: c.payloadType,
    parameters: c.parameters,
    rtcpFeedback: c.kind === 'video' ? videoFb : [],
  });
}

// Codecs a subscriber transceiver offers for a track in codec `name`.  RED
// audio is offered as RED then opus: a client that answers opus only gets
// the primary opus payload extracted (like LiveKit's SFU).
export function subscriberCodecs (name) {
  if (name === 'red')
    return [weriftCodec('red'), weriftCodec('opus')];
  return [weriftCodec(name)];
}

export function allWeriftCodecs () {
  const audio = [], video = [];
  for (const name of Object.keys(CODECS)) {
    if (!CODECS[name].syntheticOnly)
      (CODECS[name].kind === 'audio' ? audio : video).push(weriftCodec(name));
  }
  return { audio, video };
}

// RFC 2198: return the primary block of a RED payload (the last one).
export function redPrimary (payload) {
  let off = 0;
  let redundant = 0;
  while (off < payload.length && (payload[off] & 0x80)) {
    redundant += ((payload[off + 2] & 0x03) << 8) | payload[off + 3];
    off += 4;
  }
  off += 1; // final one-byte header
  off += redundant;
  if (off > payload.length)
    return null;
  return payload.subarray(off);
}

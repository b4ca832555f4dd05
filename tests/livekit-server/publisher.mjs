// SPDX-License-Identifier: LGPL-2.1-or-later
// gst-egress LiveKit-compatible test server: the publisher PeerConnection
// of a real client (the client offers, the server answers).  Tracks are
// announced with AddTrackRequest -> TrackPublishedResponse, published to
// the room when their media arrives, and their RTP is forwarded to every
// subscriber unchanged (an SFU: nothing is decoded).

import {
  SessionDescription, TrickleRequest, SignalTarget, TrackPublishedResponse,
  TrackType, VideoQuality,
} from '@livekit/protocol';
import {
  RTCPeerConnection, useSdesMid, useSdesRTPStreamId, useRepairedRtpStreamId,
} from 'werift';
import { CODECS, allWeriftCodecs } from './codecs.mjs';
import { log } from './log.mjs';

// mimeType -> our codec name
function codecName (mimeType) {
  const m = mimeType.toLowerCase();
  for (const [name, c] of Object.entries(CODECS))
    if (c.mimeType.toLowerCase() === m && name !== 'red')
      return name;
  return m === 'audio/red' ? 'red' : null;
}

// mid -> msid track id, from the client's offer
function msidByMid (sdp) {
  const out = new Map();
  let mid = null;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m='))
      mid = null;
    else if (line.startsWith('a=mid:'))
      mid = line.slice(6).trim();
    else if (line.startsWith('a=msid:') && mid !== null)
      out.set(mid, line.slice(7).trim().split(' ')[1]);
  }
  return out;
}

// Only 127.0.0.1 is ever used: browsers and libwebrtc also offer the
// machine's other addresses.
export function isLoopbackCandidate (init) {
  return !init.candidate || init.candidate.includes(' 127.0.0.1 ');
}

export function loopbackOnly (sdp) {
  return sdp.split('\r\n')
    .filter((l) => !(l.startsWith('a=candidate') && !l.includes(' 127.0.0.1 ')))
    .join('\r\n');
}

export class Publisher {
  // makeTrack(opts) -> PubTrack of this participant
  constructor (participant, makeTrack) {
    this.participant = participant;
    this.makeTrack = makeTrack;
    this.pc = new RTCPeerConnection({
      iceServers: [],
      // werift lists only non-loopback host addresses: add 127.0.0.1, and
      // offer nothing else (below)
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceUseIpv6: false,
      bundlePolicy: 'max-bundle',
      codecs: allWeriftCodecs(),
      // MID and RID header extensions: how simulcast layers are told apart
      headerExtensions: {
        video: [useSdesMid(), useSdesRTPStreamId(), useRepairedRtpStreamId()],
        audio: [useSdesMid()],
      },
    });
    this.pending = new Map(); // cid -> PubTrack announced, no media yet
    this.remoteSet = false;
    this.pendingCandidates = [];
    this.connected = false;
    this.msids = new Map();
    this.pc.onIceCandidate.subscribe((c) => {
      if (!c || !c.candidate || !c.candidate.includes(' 127.0.0.1 '))
        return;
      participant.send('trickle', new TrickleRequest({
        candidateInit: JSON.stringify({
          candidate: c.candidate, sdpMid: c.sdpMid ?? null,
          sdpMLineIndex: c.sdpMLineIndex ?? null,
        }),
        target: SignalTarget.PUBLISHER,
      }));
    });
    this.pc.connectionStateChange.subscribe((s) => {
      this.connected = s === 'connected';
      if (this.connected)
        participant.onSubscriberConnected();
    });
    this.pc.onRemoteTransceiverAdded.subscribe((t) => this.transceiver(t));
  }

  addTrackRequest (req) {
    const kind = req.type === TrackType.VIDEO ? 'video' : 'audio';
    const track = this.makeTrack({
      kind, codec: kind === 'video' ? 'vp8' : 'opus', name: req.name,
      source: req.source, width: req.width, height: req.height,
      cid: req.cid, muted: req.muted,
    });
    // simulcast: livekit-client sends its layers with the RIDs q, h and f
    if (kind === 'video' && req.layers.length > 1) {
      const rid = { [VideoQuality.LOW]: 'q', [VideoQuality.MEDIUM]: 'h',
        [VideoQuality.HIGH]: 'f' };
      track.simulcast = [...req.layers]
        .sort((a, b) => a.quality - b.quality)
        .map((l) => ({
          quality: l.quality, rid: rid[l.quality], width: l.width,
          height: l.height, bitrate: l.bitrate, packets: 0, ssrc: undefined,
          sr: null,
        }));
    }
    this.pending.set(req.cid, track);
    this.participant.send('trackPublished', new TrackPublishedResponse({
      cid: req.cid, track: track.info(),
    }));
  }

  async transceiver (t) {
    const cid = this.msids.get(t.mid);
    let pub = cid !== undefined ? this.pending.get(cid) : undefined;
    if (!pub && this.pending.size === 1)
      pub = [...this.pending.values()][0];
    if (!pub) {
      log.warn(`${this.participant.identity}: media on mid ${t.mid} ` +
        `for no announced track (${cid})`);
      return;
    }
    this.pending.delete(pub.cid);
    pub.mid = t.mid;
    const layerOf = (track) => (pub.simulcast && track.rid)
      ? pub.simulcast.find((l) => l.rid === track.rid) ?? null
      : null;
    pub.requestKeyframe = () => {
      if (pub.simulcast) {
        for (const l of pub.simulcast)
          pub.requestLayerKeyframe(l);
      } else if (pub.ssrc !== undefined) {
        t.receiver.sendRtcpPLI(pub.ssrc).catch(() => {});
      }
    };
    pub.requestLayerKeyframe = (layer) => {
      if (layer?.ssrc !== undefined)
        t.receiver.sendRtcpPLI(layer.ssrc).catch(() => {});
    };
    t.receiver.onRtcp.subscribe((p) => {
      if (p.type !== 200)
        return;
      const ntp = BigInt(p.senderInfo.ntpTimestamp);
      const layer = pub.simulcast?.find((l) => l.ssrc === p.ssrc);
      if (layer)
        pub.onSr(ntp, p.senderInfo.rtpTimestamp, layer);
      else if (p.ssrc === pub.ssrc)
        pub.onSr(ntp, p.senderInfo.rtpTimestamp);
    });
    let announced = false;
    t.onTrack.subscribe((track) => {
      const layer = layerOf(track);
      if (pub.simulcast && !layer) {
        // a single stream after all
        log.info(`${this.participant.identity}: ${pub.sid} is not simulcast`);
        pub.simulcast = null;
      }
      const codec = codecName(track.codec?.mimeType ?? '') ?? pub.codec;
      pub.codec = codec;
      track.onReceiveRtp.subscribe((rtp) => {
        if (!announced) {
          announced = true;
          log.info(`${this.participant.identity} publishes ${pub.sid} ` +
            `(${codec}, mid ${t.mid}` +
            (pub.simulcast ? `, simulcast ${pub.simulcast.length})` : ')'));
          this.participant.addTrack(pub);
        }
        pub.push(rtp.serialize(), layer);
      });
    });
  }

  async offer (sd) {
    this.msids = msidByMid(sd.sdp);
    await this.pc.setRemoteDescription({ type: 'offer',
      sdp: loopbackOnly(sd.sdp) });
    this.remoteSet = true;
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    const sdp = loopbackOnly(this.pc.localDescription.sdp);
    this.participant.send('answer', new SessionDescription({
      type: 'answer', sdp, id: sd.id,
    }));
    for (const c of this.pendingCandidates.splice(0))
      await this.addCandidate(c);
  }

  async addCandidate (init) {
    if (!isLoopbackCandidate(init))
      return;
    if (!this.remoteSet) {
      this.pendingCandidates.push(init);
      return;
    }
    try {
      await this.pc.addIceCandidate(init);
    } catch (e) {
      log.warn(`${this.participant.identity}: bad publisher candidate: ` +
        e.message);
    }
  }

  close () {
    this.pc.close().catch(() => {});
  }
}

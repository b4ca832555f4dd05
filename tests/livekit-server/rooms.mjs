// SPDX-License-Identifier: LGPL-2.1-or-later
// gst-egress LiveKit-compatible test server: rooms, participants, tracks,
// and the subscriber PeerConnection (the server offers, clients answer).
//
// Published tracks (PubTrack) receive RTP from a synthetic pipeline or a
// real client's publisher PeerConnection; every subscription (DownTrack) is
// one sendonly werift transceiver on the subscriber's PeerConnection, which
// forwards that RTP unchanged apart from SSRC, payload type and header
// extensions.

import { randomBytes } from 'node:crypto';
import {
  SignalResponse, JoinResponse, ParticipantInfo, ParticipantInfo_State,
  ParticipantInfo_Kind, ParticipantPermission, TrackInfo, TrackType,
  TrackSource, Room as RoomInfo, ServerInfo, SessionDescription,
  TrickleRequest, SignalTarget, ParticipantUpdate, RoomUpdate, LeaveRequest,
  LeaveRequest_Action, DisconnectReason, SpeakerInfo, SpeakersChanged,
  VideoLayer, VideoQuality, SimulcastCodecInfo, ICEServer, Codec,
  TimedVersion, ReconnectResponse, Pong, MuteTrackRequest,
  TrackPublishedResponse, TrackUnpublishedResponse, ClientConfiguration,
  ClientConfigSetting,
} from '@livekit/protocol';
import { setTimeout as delay } from 'node:timers/promises';
import {
  RTCPeerConnection, MediaStreamTrack, RtpPacket, RtcpSrPacket,
  RtcpSenderInfo, RtcpSourceDescriptionPacket, SourceDescriptionChunk,
  SourceDescriptionItem, compactNtp, timestampSeconds,
} from 'werift';
import {
  CODECS, allWeriftCodecs, subscriberCodecs, redPrimary,
} from './codecs.mjs';
import { SyntheticSource } from './synthetic.mjs';
import {
  Publisher, isLoopbackCandidate, loopbackOnly,
} from './publisher.mjs';
import { log, debugEnabled } from './log.mjs';

export const SERVER_VERSION = '1.9.0';
export const PROTOCOL_VERSION = 16;
const PING_INTERVAL = 5;
const PING_TIMEOUT = 15;
const NODE_ID = 'ND_' + randomBytes(6).toString('hex');
// how long a participant whose signal connection dropped waits for a resume
export const RECONNECT_WINDOW_MS = 20000;

const ENABLED_CODECS = ['audio/opus', 'audio/red', 'audio/PCMU', 'audio/PCMA',
  'video/VP8', 'video/H264', 'video/VP9'];

let sidCounter = 0;
export function newSid (prefix) {
  sidCounter++;
  return prefix + randomBytes(5).toString('hex') + sidCounter.toString(36);
}

const NTP_EPOCH_OFFSET_MS = 2208988800000;
function ntpNow () {
  const ms = performance.timeOrigin + performance.now() + NTP_EPOCH_OFFSET_MS;
  const sec = Math.floor(ms / 1000);
  const frac = Math.floor(((ms % 1000) / 1000) * 4294967296);
  return (BigInt(sec) << 32n) | BigInt(frac);
}

// Whether an RTP payload starts a keyframe (the point where a subscriber
// can switch simulcast layers).
export function isKeyframeStart (codec, p) {
  if (!p || p.length < 2)
    return false;
  if (codec === 'vp8') {
    // RFC 7741 payload descriptor: S and partition 0, then P = 0
    if (!(p[0] & 0x10) || (p[0] & 0x07) !== 0)
      return false;
    let off = 1;
    if (p[0] & 0x80) {
      const x = p[1];
      off = 2;
      if (x & 0x80)
        off += (p[off] & 0x80) ? 2 : 1;
      if (x & 0x40)
        off++;
      if (x & 0x30)
        off++;
    }
    return off < p.length && (p[off] & 0x01) === 0;
  }
  if (codec === 'vp9')
    return (p[0] & 0x08) !== 0 && (p[0] & 0x40) === 0; // B set, P clear
  if (codec === 'h264') {
    const type = p[0] & 0x1f;
    if (type === 5 || type === 7)
      return true;
    if (type === 24)                            // STAP-A
      return p.length > 3 && [5, 7].includes(p[3] & 0x1f);
    if (type === 28)                            // FU-A start of an IDR
      return (p[1] & 0x80) !== 0 && (p[1] & 0x1f) === 5;
    return false;
  }
  if (codec === 'h265') {
    const type = (p[0] >> 1) & 0x3f;
    if (type >= 16 && type <= 21)               // IRAP pictures
      return true;
    if (type === 32 || type === 48)             // VPS, aggregation packet
      return true;
    if (type === 49)                            // FU start of an IRAP
      return p.length > 2 && (p[2] & 0x80) !== 0 &&
        (p[2] & 0x3f) >= 16 && (p[2] & 0x3f) <= 21;
    return false;
  }
  return true;
}

function int32 (x) {
  return x | 0;
}

const SOURCE_NAMES = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
  unknown: TrackSource.UNKNOWN,
};

// ---------------------------------------------------------------------------
// A published track

export class PubTrack {
  constructor (participant, o) {
    this.participant = participant;
    this.sid = o.sid ?? newSid(o.kind === 'video' ? 'TR_VC' : 'TR_AM');
    this.kind = o.kind;
    this.codec = o.codec; // key of CODECS
    this.name = o.name ?? (o.kind === 'video' ? 'camera' : 'microphone');
    this.source = o.source ?? (o.kind === 'video' ? TrackSource.CAMERA
      : TrackSource.MICROPHONE);
    this.width = o.width ?? 0;
    this.height = o.height ?? 0;
    this.mid = o.mid ?? '';
    this.cid = o.cid ?? this.sid;
    this.muted = !!o.muted;
    this.disableRed = o.codec === 'opus';
    this.stereo = false;
    this.sinks = new Set();
    this.ssrc = undefined;
    this.sr = null; // {ntp: bigint, rtp: number} from the publisher's SR
    // simulcast: [{quality, rid, width, height, ssrc, sr, packets}], best
    // last; null for a single stream
    this.simulcast = null;
    this.requestLayerKeyframe = () => this.requestKeyframe();
    this.packets = 0;
    this.keyframeRequests = 0;
    this.requestKeyframe = () => {};
    this.createdAt = BigInt(Date.now()) * 1000n;
  }

  get clockRate () {
    return CODECS[this.codec].clockRate;
  }

  info () {
    const c = CODECS[this.codec];
    const layers = this.kind !== 'video' ? []
      : this.simulcast
        ? this.simulcast.map((l) => new VideoLayer({
            quality: l.quality, width: l.width, height: l.height,
            bitrate: l.bitrate ?? 0, ssrc: l.ssrc ?? 0,
          }))
        : [new VideoLayer({
            quality: VideoQuality.HIGH, width: this.width, height: this.height,
            bitrate: 1000000, ssrc: this.ssrc ?? 0,
          })];
    return new TrackInfo({
      sid: this.sid,
      type: this.kind === 'video' ? TrackType.VIDEO : TrackType.AUDIO,
      name: this.name,
      muted: this.muted,
      width: this.width,
      height: this.height,
      source: this.source,
      mimeType: c.mimeType,
      mid: this.mid,
      simulcast: !!this.simulcast,
      layers,
      codecs: [new SimulcastCodecInfo({
        mimeType: c.mimeType, mid: this.mid, cid: this.cid, layers,
      })],
      disableRed: this.codec !== 'red',
      stream: this.kind === 'video' ? 'camera' : 'microphone',
      version: new TimedVersion({ unixMicro: this.createdAt }),
    });
  }

  onSr (ntp, rtp, layer = null) {
    if (layer)
      layer.sr = { ntp, rtp };
    else
      this.sr = { ntp, rtp };
  }

  // The current NTP time and this track's (or this simulcast layer's) RTP
  // time for that instant, from the publisher's latest sender report; null
  // before the first one.
  reportNow (layer = null) {
    const sr = layer ? layer.sr : this.sr;
    if (!sr)
      return null;
    const ntp = ntpNow();
    const elapsed = Number(ntp - sr.ntp) / 4294967296;
    return {
      ntp, rtp: (sr.rtp + Math.round(elapsed * this.clockRate)) >>> 0,
    };
  }

  // The simulcast layer to send for a wanted quality (or width): the best
  // layer being received that does not exceed it, else the smallest one.
  pickLayer (quality, width = 0) {
    const live = this.simulcast.filter((l) => l.packets > 0);
    if (!live.length)
      return null;
    const fits = live.filter((l) => width > 0
      ? l.width <= width : l.quality <= quality);
    return fits.length ? fits[fits.length - 1] : live[0];
  }

  // One RTP packet from the publisher (of one simulcast layer).
  push (buf, layer = null) {
    if (buf.length < 12)
      return;
    this.packets++;
    if (layer) {
      layer.packets++;
      if (layer.ssrc === undefined)
        layer.ssrc = buf.readUInt32BE(8);
    } else if (this.ssrc === undefined) {
      this.ssrc = buf.readUInt32BE(8);
    }
    if (this.muted)
      return;
    for (const d of this.sinks)
      d.write(buf, layer);
  }
}

// ---------------------------------------------------------------------------
// A subscription: one sendonly transceiver on the subscriber PC

class DownTrack {
  constructor (sub, pub) {
    this.sub = sub;
    this.pub = pub;
    this.disabled = false;
    this.packets = 0;
    // simulcast: the quality or width asked for, the layer being sent, and
    // the rewriting that keeps sequence numbers and timestamps continuous
    // across layer switches
    this.quality = VideoQuality.HIGH;
    this.width = 0;
    this.layer = null;
    this.seqOffset = 0;
    this.tsOffset = 0;
    this.lastSeq = null;
    this.lastTs = null;
    this.askedAt = 0;
    this.track = new MediaStreamTrack({ kind: pub.kind });
    this.transceiver = sub.pc.addTransceiver(this.track,
      { direction: 'sendonly' });
    this.transceiver.codecs = subscriberCodecs(pub.codec);
    const sender = this.transceiver.sender;
    sender.trackId = pub.sid;
    sender.streamId = `${pub.participant.sid}|${pub.sid}`;
    // Sender reports as LiveKit's SFU writes them: the wall clock at the
    // moment of sending and the forwarded track's RTP time for that same
    // instant, derived from the publisher's own reports (so a publisher's
    // audio and video stay consistent), and none until the publisher has
    // sent one.
    sender.runRtcp = () => this.runReports();
    sender.onPictureLossIndication.subscribe(() => this.keyframe('PLI'));
    sender.onRtcp.subscribe((p) => {
      if (p.type === 206 && p.feedback?.count === 4)
        this.keyframe('FIR');
    });
  }

  async runReports () {
    const sender = this.transceiver.sender;
    if (sender.rtcpRunning || sender.stopped)
      return;
    sender.rtcpRunning = true;
    // The first report goes out right after the first packets (or as soon
    // as the publisher's first report is known), so a recorder can line up
    // its streams before its jitter buffer releases anything; then every
    // 0.5 to 1.5 s.
    let wait = 0;
    while (sender.rtcpRunning) {
      try {
        await delay(wait, undefined, { signal: sender.rtcpCancel.signal });
      } catch {
        return;
      }
      const now = this.pub.reportNow(this.layer);
      if (!now || sender.packetCount === 0) {
        wait = 20;
        continue;
      }
      wait = 500 + Math.random() * 1000;
      const rtp = (now.rtp + this.tsOffset + (sender.timestampOffset ?? 0))
        >>> 0;
      // a node whose clock is off writes its own time (admin .../clock)
      const skew = this.pub.participant.room.clockOffsetMs ?? 0;
      const ntp = skew ? now.ntp + BigInt(Math.round(skew * 4294967.296))
        : now.ntp;
      const packets = [new RtcpSrPacket({
        ssrc: sender.ssrc,
        senderInfo: new RtcpSenderInfo({
          ntpTimestamp: ntp, rtpTimestamp: rtp,
          packetCount: sender.packetCount, octetCount: sender.octetCount,
        }),
      })];
      // CNAME as LiveKit's SFU writes it: the down track's stream ID,
      // "participant SID|track SID", so no two tracks share one and a
      // recorder cannot group a participant's tracks by CNAME
      packets.push(new RtcpSourceDescriptionPacket({
        chunks: [new SourceDescriptionChunk({
          source: sender.ssrc,
          items: [new SourceDescriptionItem({ type: 1,
            text: `${this.pub.participant.sid}|${this.pub.sid}` })],
        })],
      }));
      sender.lastSRtimestamp = compactNtp(ntp);
      sender.lastSentSRTimestamp = timestampSeconds();
      try {
        await sender.dtlsTransport.sendRtcp(packets);
      } catch (e) {
        log.debug(`sender report for ${this.pub.sid} not sent: ${e}`);
      }
    }
  }

  keyframe (why) {
    log.debug(`${why} from ${this.sub.participant.identity} for ${this.pub.sid}`);
    this.pub.keyframeRequests++;
    this.pub.requestKeyframe();
  }

  get mid () {
    return this.transceiver.mid;
  }

  // Simulcast: keep to the current layer until the wanted one starts a
  // keyframe, then switch there.  Returns false to drop the packet.
  followLayer (pkt, layer) {
    const want = this.pub.pickLayer(this.quality, this.width);
    if (layer !== this.layer) {
      if (layer !== want)
        return false;
      if (!isKeyframeStart(this.pub.codec, pkt.payload)) {
        this.askKeyframe(want);
        return false;
      }
      if (this.lastSeq !== null) {
        const step = Math.round(this.pub.clockRate / 30);
        this.seqOffset = (this.lastSeq + 1 - pkt.header.sequenceNumber) &
          0xffff;
        this.tsOffset = (this.lastTs + step - pkt.header.timestamp) >>> 0;
      }
      log.debug(`${this.sub.participant.identity}: ${this.pub.sid} layer ` +
        `${VideoQuality[layer.quality]}`);
      this.layer = layer;
    } else if (want && want !== layer) {
      this.askKeyframe(want);
    }
    return true;
  }

  askKeyframe (layer) {
    const now = Date.now();
    if (now - this.askedAt < 500)
      return;
    this.askedAt = now;
    this.pub.requestLayerKeyframe(layer);
  }

  write (buf, layer = null) {
    if (this.disabled)
      return;
    const sender = this.transceiver.sender;
    if (!sender.codec)
      return;
    // nothing reaches the subscriber before its DTLS is up: the keyframe
    // asked for below must not be spent on a transport that drops it
    if (sender.dtlsTransport?.state !== 'connected')
      return;
    // as LiveKit's SFU: a new down track starts with a fresh keyframe
    // instead of waiting for the publisher's next one
    if (!this.started && this.pub.kind === 'video') {
      this.started = true;
      this.pub.requestKeyframe?.();
    }
    let pkt;
    try {
      pkt = RtpPacket.deSerialize(buf);
    } catch (e) {
      return;
    }
    if (layer) {
      if (!this.followLayer(pkt, layer))
        return;
      pkt.header.sequenceNumber = (pkt.header.sequenceNumber +
        this.seqOffset) & 0xffff;
      pkt.header.timestamp = (pkt.header.timestamp + this.tsOffset) >>> 0;
      this.lastSeq = pkt.header.sequenceNumber;
      this.lastTs = pkt.header.timestamp;
    }
    pkt.header.extensions = [];
    pkt.header.extension = false;
    if (this.pub.codec === 'red' &&
        sender.codec.mimeType.toLowerCase() !== 'audio/red') {
      const primary = redPrimary(pkt.payload);
      if (!primary)
        return;
      pkt.payload = primary;
    }
    this.packets++;
    this.track.writeRtp(pkt);
  }

  close () {
    this.pub.sinks.delete(this);
    try {
      this.sub.pc.removeTrack(this.transceiver.sender);
    } catch (e) {
      log.debug('removeTrack:', e.message);
    }
    this.track.stop();
  }
}

// ---------------------------------------------------------------------------
// The subscriber PeerConnection of one participant

class Subscriber {
  constructor (participant) {
    this.participant = participant;
    this.pc = new RTCPeerConnection({
      iceServers: [],
      // the socket is bound to 127.0.0.1, whatever address werift names in
      // its candidate (it lists only non-loopback interfaces)
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
      iceUseIpv6: false,
      bundlePolicy: 'max-bundle',
      codecs: allWeriftCodecs(),
    });
    this.pc.createDataChannel('_reliable', { ordered: true });
    this.pc.createDataChannel('_lossy', { ordered: false, maxRetransmits: 0 });
    this.downs = new Map(); // track sid -> DownTrack
    this.offerId = 0;
    this.awaitingAnswer = false;
    this.again = false;
    this.timer = null;
    this.restartIce = false;
    this.remoteSet = false;
    this.pendingCandidates = [];
    this.connected = false;
    // Our candidates go out once the connection is up, or 400 ms after the
    // client answered if it is not (a relay-only client needs them: the
    // relay lets through only what comes from addresses it was told).
    // werift drops a DTLS hello that comes before its own connectivity
    // check is answered, which a client that knows our candidate early
    // sends; that costs a 1 s retransmission.
    this.localCandidates = [];
    this.pc.onIceCandidate.subscribe((c) => {
      if (!c || !c.candidate)
        return;
      // a UDP host candidate names the socket's port; its address is
      // 127.0.0.1 (iceInterfaceAddresses), so say that
      const f = c.candidate.split(' ');
      if (f.length < 8 || f[2].toLowerCase() !== 'udp' || f[7] !== 'host')
        return;
      f[4] = '127.0.0.1';
      const trickle = new TrickleRequest({
        candidateInit: JSON.stringify({
          candidate: f.join(' '), sdpMid: c.sdpMid ?? null,
          sdpMLineIndex: c.sdpMLineIndex ?? null, usernameFragment: null,
        }),
        target: SignalTarget.SUBSCRIBER,
      });
      if (this.candidatesOut)
        participant.send('trickle', trickle);
      else
        this.localCandidates.push(trickle);
    });
    this.pc.connectionStateChange.subscribe((s) => {
      log.debug(`subscriber PC of ${participant.identity}: ${s}`);
      if (s === 'connected') {
        this.connected = true;
        this.sendCandidates();
        participant.onSubscriberConnected();
      }
    });
  }

  subscribe (pub) {
    if (this.downs.has(pub.sid))
      return;
    const d = new DownTrack(this, pub);
    this.downs.set(pub.sid, d);
    pub.sinks.add(d);
    this.negotiate();
  }

  sendCandidates () {
    clearTimeout(this.candidateTimer);
    if (this.candidatesOut || this.closed)
      return;
    this.candidatesOut = true;
    for (const t of this.localCandidates.splice(0))
      this.participant.send('trickle', t);
  }

  unsubscribe (sid) {
    const d = this.downs.get(sid);
    if (!d)
      return;
    this.downs.delete(sid);
    d.close();
    this.negotiate();
  }

  negotiate (iceRestart = false) {
    if (iceRestart)
      this.restartIce = true;
    if (this.timer)
      return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.offer().catch((e) => log.error('subscriber offer failed:', e.stack));
    }, 20);
  }

  async offer () {
    if (this.closed)
      return;
    if (this.awaitingAnswer) {
      this.again = true;
      return;
    }
    const iceRestart = this.restartIce;
    this.restartIce = false;
    // candidates the client trickles from now on belong to the restarted
    // session: keep them until its answer is set
    if (iceRestart) {
      this.remoteSet = false;
      this.iceRestarting = true;
    }
    const offer = await this.pc.createOffer({ iceRestart });
    await this.pc.setLocalDescription(offer);
    const sdp = this.pc.localDescription.sdp.split('\r\n')
      .filter((l) => !(l.startsWith('a=candidate') && !l.includes(' 127.0.0.1 ')))
      .join('\r\n');
    const midToTrackId = {};
    for (const d of this.downs.values()) {
      if (d.mid !== undefined && d.mid !== null)
        midToTrackId[d.mid] = d.pub.sid;
    }
    this.offerId++;
    this.awaitingAnswer = true;
    this.participant.send('offer', new SessionDescription({
      type: 'offer', sdp, id: this.offerId, midToTrackId,
    }));
  }

  async answer (desc) {
    if (!this.awaitingAnswer) {
      log.warn(`${this.participant.identity}: unexpected subscriber answer`);
      return;
    }
    if (desc.id && desc.id !== this.offerId)
      log.warn(`${this.participant.identity}: answer id ${desc.id} for offer ${this.offerId}`);
    await this.pc.setRemoteDescription({ type: 'answer',
      sdp: loopbackOnly(desc.sdp) });
    this.remoteSet = true;
    this.awaitingAnswer = false;
    for (const c of this.pendingCandidates.splice(0))
      await this.addCandidate(c);
    if (this.iceRestarting && this.brokenRestart) {
      this.iceRestarting = false;
      this.brokenRestart = false;
      log.info(`${this.participant.identity}: ICE restart left broken (admin)`);
    } else if (this.iceRestarting) {
      // werift skips the connectivity checks of a restarted ICE session
      // while DTLS is up (and has dropped the selected pair): run them, as
      // LiveKit's SFU (pion) does
      this.iceRestarting = false;
      for (const dtls of this.pc.dtlsTransports ?? []) {
        if (dtls.iceTransport.state !== 'connected') {
          dtls.iceTransport.start().catch((e) =>
            log.warn(`${this.participant.identity}: ICE restart failed: ${e.message}`));
        }
      }
    }
    if (!this.candidatesOut && !this.candidateTimer) {
      this.candidateTimer = setTimeout(() => this.sendCandidates(),
        this.connected ? 0 : 400);
    }
    if (this.again) {
      this.again = false;
      this.negotiate();
    }
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
      log.warn(`${this.participant.identity}: bad candidate: ${e.message}`);
    }
  }

  close () {
    this.closed = true;
    clearTimeout(this.timer);
    for (const d of this.downs.values())
      d.pub.sinks.delete(d);
    this.downs.clear();
    this.pc.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------
// A participant (real client or synthetic)

export class Participant {
  constructor (room, o) {
    this.room = room;
    this.sid = newSid('PA_');
    this.identity = o.identity;
    this.name = o.name ?? '';
    this.metadata = o.metadata ?? '';
    this.attributes = o.attributes ?? {};
    this.kind = o.kind ?? ParticipantInfo_Kind.STANDARD;
    this.grant = o.grant ?? {};
    this.synthetic = !!o.synthetic;
    this.protocol = o.protocol ?? PROTOCOL_VERSION;
    this.autoSubscribe = o.autoSubscribe ?? true;
    this.state = this.synthetic ? ParticipantInfo_State.ACTIVE
      : ParticipantInfo_State.JOINING;
    this.version = 0;
    this.joinedAtMs = BigInt(Date.now());
    this.tracks = new Map(); // sid -> PubTrack
    this.sources = new Map(); // sid -> SyntheticSource
    this.signal = null;
    this.sub = null;
    this.pub = null; // publisher PC (publisher.mjs)
    this.disconnectReason = DisconnectReason.UNKNOWN_REASON;
    this.dropTimer = null;
    this.closed = false;
  }

  get hidden () {
    return !!this.grant.hidden;
  }

  get recorder () {
    return !!this.grant.recorder || this.kind === ParticipantInfo_Kind.EGRESS;
  }

  get canSubscribe () {
    return this.grant.canSubscribe !== false;
  }

  get canPublish () {
    return this.grant.canPublish !== false;
  }

  permission () {
    const g = this.grant;
    return new ParticipantPermission({
      canSubscribe: this.canSubscribe,
      canPublish: this.canPublish,
      canPublishData: g.canPublishData !== false,
      hidden: this.hidden,
      recorder: !!g.recorder,
      canUpdateMetadata: !!g.canUpdateOwnMetadata,
    });
  }

  info () {
    return new ParticipantInfo({
      sid: this.sid,
      identity: this.identity,
      name: this.name,
      state: this.state,
      tracks: [...this.tracks.values()].map((t) => t.info()),
      metadata: this.metadata,
      joinedAt: this.joinedAtMs / 1000n,
      joinedAtMs: this.joinedAtMs,
      version: this.version,
      permission: this.permission(),
      isPublisher: this.tracks.size > 0,
      kind: this.kind,
      attributes: this.attributes,
      disconnectReason: this.disconnectReason,
    });
  }

  // Send one SignalResponse member to this participant's client.
  send (kase, value) {
    if (!this.signal)
      return;
    this.signal.send(new SignalResponse({ message: { case: kase, value } }));
  }

  changed () {
    this.version++;
    this.room.broadcastParticipant(this);
  }

  // ---- client join / resume

  attach (signal) {
    this.signal = signal;
    clearTimeout(this.dropTimer);
    this.dropTimer = null;
  }

  sendJoin (iceServers) {
    const room = this.room;
    const subscriberPrimary = this.canSubscribe && this.protocol > 2;
    this.send('join', new JoinResponse({
      room: room.info(),
      participant: this.info(),
      otherParticipants: room.visibleParticipants(this).map((p) => p.info()),
      serverVersion: SERVER_VERSION,
      iceServers: iceServers.map((s) => new ICEServer(s)),
      subscriberPrimary,
      clientConfiguration: new ClientConfiguration({
        resumeConnection: ClientConfigSetting.ENABLED,
      }),
      pingTimeout: PING_TIMEOUT,
      pingInterval: PING_INTERVAL,
      serverInfo: new ServerInfo({
        version: SERVER_VERSION, protocol: PROTOCOL_VERSION, nodeId: NODE_ID,
      }),
    }));
    if (this.canPublish && !this.synthetic && !this.pub)
      this.pub = new Publisher(this, (o) => new PubTrack(this, o));
    if (this.canSubscribe) {
      this.sub = new Subscriber(this);
      if (this.autoSubscribe) {
        for (const p of room.participants.values()) {
          if (p === this)
            continue;
          for (const t of p.tracks.values())
            this.sub.subscribe(t);
        }
      }
      this.sub.negotiate();
    }
  }

  sendReconnect (iceServers) {
    this.send('reconnect', new ReconnectResponse({
      iceServers: iceServers.map((s) => new ICEServer(s)),
      clientConfiguration: new ClientConfiguration({
        resumeConnection: ClientConfigSetting.ENABLED,
      }),
      serverInfo: new ServerInfo({
        version: SERVER_VERSION, protocol: PROTOCOL_VERSION, nodeId: NODE_ID,
      }),
    }));
    this.send('update', new ParticipantUpdate({
      participants: this.room.visibleParticipants(this).map((p) => p.info()),
    }));
    this.send('roomUpdate', new RoomUpdate({ room: this.room.info() }));
    if (this.sub)
      this.sub.negotiate(true);
    if (this.pub)
      this.pub.restartPending = true;
  }

  onSubscriberConnected () {
    if (this.state === ParticipantInfo_State.JOINING ||
        this.state === ParticipantInfo_State.JOINED) {
      this.state = ParticipantInfo_State.ACTIVE;
      this.changed();
    }
  }

  // The WebSocket went away without a Leave: keep the participant for a
  // resume, unless its media never connected.
  signalClosed (signal) {
    if (this.signal !== signal || this.closed)
      return;
    this.signal = null;
    if (!this.sub?.connected && !this.pub?.connected) {
      this.room.removeParticipant(this, DisconnectReason.SIGNAL_CLOSE);
      return;
    }
    log.info(`${this.identity}: signal closed, waiting ${RECONNECT_WINDOW_MS} ms for a resume`);
    this.dropTimer = setTimeout(() => {
      this.room.removeParticipant(this, DisconnectReason.CONNECTION_TIMEOUT);
    }, RECONNECT_WINDOW_MS);
  }

  // ---- publishing

  addTrack (track) {
    this.tracks.set(track.sid, track);
    this.changed();
    this.room.trackPublished(track);
  }

  removeTrack (sid) {
    const t = this.tracks.get(sid);
    if (!t)
      return false;
    this.tracks.delete(sid);
    this.sources.get(sid)?.release();
    this.sources.delete(sid);
    this.room.trackUnpublished(t);
    this.send('trackUnpublished', new TrackUnpublishedResponse({ trackSid: sid }));
    this.changed();
    return true;
  }

  setMuted (sid, muted) {
    const t = this.tracks.get(sid);
    if (!t)
      return false;
    if (t.muted !== muted) {
      t.muted = muted;
      this.changed();
      if (!muted)
        t.requestKeyframe();
    }
    return true;
  }

  async publishSynthetic (o) {
    return (await this.publishSyntheticTracks([o]))[0];
  }

  // Tracks published together run in one pipeline: their content (flash
  // and beep each second) shares one clock, so A/V sync can be measured.
  async publishSyntheticTracks (list) {
    const prep = this.prepareSynthetic(list);
    await startSynthetic([prep]);
    return prep.tracks;
  }

  // The tracks and pipeline parts of synthetic tracks, not started yet:
  // startSynthetic() runs the parts of one or more participants in one
  // pipeline.
  prepareSynthetic (list) {
    const made = list.map((o) => {
      const codec = (o.codec ?? (o.kind === 'audio' ? 'opus' : 'vp8')).toLowerCase();
      const c = CODECS[codec];
      if (!c)
        throw new Error(`unknown codec "${o.codec}" (${Object.keys(CODECS).join(', ')})`);
      const source = o.source !== undefined ? SOURCE_NAMES[o.source] : undefined;
      if (o.source !== undefined && source === undefined)
        throw new Error(`unknown source "${o.source}"`);
      return { o, codec, kind: c.kind, source };
    });
    const tracks = [];
    const specs = [];
    const keyframers = []; // per track: () => void
    made.forEach(({ o, codec, kind, source }, i) => {
      const width = o.width ?? 640, height = o.height ?? 360, fps = o.fps ?? 30;
      const track = new PubTrack(this, {
        kind, codec, name: o.name, source,
        width: kind === 'video' ? width : 0,
        height: kind === 'video' ? height : 0,
        mid: String(this.tracks.size + i), muted: o.muted,
      });
      tracks.push(track);
      const opts = {
        codec, label: `${this.identity} ${codec}`, width, height, fps,
        bitrate: o.bitrate ?? (kind === 'video' ? 800000 : 64000),
        gop: Math.max(1, Math.round((o.keyframeInterval ?? 2) * fps)),
        sendDelay: Math.max(0, Number(o.sendDelay ?? 0)),
      };
      if (kind !== 'video' || !o.simulcast) {
        const index = specs.length;
        specs.push({
          opts,
          onRtp: (buf) => track.push(buf),
          onSr: (ssrc, ntp, rtp) => {
            if (track.ssrc === undefined || ssrc === track.ssrc)
              track.onSr(ntp, rtp);
          },
        });
        keyframers.push((src, base) => {
          track.requestKeyframe = () =>
            src.requestKeyframe(base + index, track.ssrc);
        });
        return;
      }
      // simulcast as livekit-client sends it: full, half and quarter size,
      // each its own RTP stream; one picture source feeds the three
      track.simulcast = [
        { quality: VideoQuality.LOW, div: 4 },
        { quality: VideoQuality.MEDIUM, div: 2 },
        { quality: VideoQuality.HIGH, div: 1 },
      ].map(({ quality, div }) => ({
        quality, packets: 0, ssrc: undefined, sr: null,
        width: Math.max(16, Math.round(width / div / 2) * 2),
        height: Math.max(16, Math.round(height / div / 2) * 2),
        bitrate: Math.round(opts.bitrate / (div * div)),
      }));
      const first = specs.length;
      const order = [...track.simulcast].reverse(); // the full size first
      const indexOf = new Map();
      order.forEach((layer, k) => {
        indexOf.set(layer, specs.length);
        specs.push({
          opts: {
            ...opts, label: `${opts.label} ${VideoQuality[layer.quality]}`,
            bitrate: layer.bitrate,
            ...(k === 0 ? { tee: true }
              : { layerOf: first, width: layer.width, height: layer.height }),
          },
          onRtp: (buf) => track.push(buf, layer),
          onSr: (ssrc, ntp, rtp) => {
            if (layer.ssrc === undefined || ssrc === layer.ssrc)
              track.onSr(ntp, rtp, layer);
          },
        });
      });
      keyframers.push((src, base) => {
        track.requestLayerKeyframe = (layer) =>
          src.requestKeyframe(base + indexOf.get(layer), layer.ssrc);
        track.requestKeyframe = () => {
          for (const layer of track.simulcast)
            track.requestLayerKeyframe(layer);
        };
      });
    });
    return { participant: this, tracks, specs, keyframers };
  }

  close () {
    this.closed = true;
    clearTimeout(this.dropTimer);
    for (const s of new Set(this.sources.values()))
      s.stop();
    this.sources.clear();
    this.sub?.close();
    this.pub?.close();
  }
}

// Starts the prepared synthetic tracks of one or more participants
// (Participant.prepareSynthetic) in one pipeline, then publishes them.
// Participants started together share the pipeline's clock: their beeps
// and flashes happen at the same instants, so a recorder's alignment of
// different participants can be measured.
export async function startSynthetic (preps) {
  const specs = [];
  for (const prep of preps) {
    prep.base = specs.length;
    for (const spec of prep.specs) {
      // simulcast layers name their picture source by pipeline index
      specs.push(spec.opts.layerOf === undefined ? spec
        : { ...spec, opts: { ...spec.opts,
          layerOf: spec.opts.layerOf + prep.base } });
    }
  }
  if (!specs.length)
    return;
  const src = new SyntheticSource(specs);
  for (const prep of preps)
    prep.keyframers.forEach((f) => f(src, prep.base));
  await src.start();
  for (const prep of preps) {
    for (const track of prep.tracks) {
      prep.participant.sources.set(track.sid, src);
      prep.participant.addTrack(track);
    }
  }
}

// ---------------------------------------------------------------------------
// A room

export class Room {
  constructor (server, name) {
    this.server = server;
    this.name = name;
    this.sid = newSid('RM_');
    this.creationMs = BigInt(Date.now());
    this.metadata = '';
    this.participants = new Map(); // sid -> Participant
    this.closed = false;
    // identity -> time (ms) until which its signal connections are refused
    this.refuseUntil = new Map();
  }

  info () {
    const all = [...this.participants.values()];
    return new RoomInfo({
      sid: this.sid,
      name: this.name,
      emptyTimeout: 300,
      departureTimeout: 20,
      creationTime: this.creationMs / 1000n,
      creationTimeMs: this.creationMs,
      enabledCodecs: ENABLED_CODECS.map((mime) => new Codec({ mime })),
      metadata: this.metadata,
      numParticipants: all.filter((p) => !p.hidden).length,
      numPublishers: all.filter((p) => p.tracks.size > 0).length,
      activeRecording: all.some((p) => p.recorder),
    });
  }

  byIdentity (identity) {
    for (const p of this.participants.values()) {
      if (p.identity === identity)
        return p;
    }
    return null;
  }

  visibleParticipants (except) {
    return [...this.participants.values()]
      .filter((p) => p !== except && !p.hidden);
  }

  broadcast (kase, value, except) {
    for (const p of this.participants.values()) {
      if (p !== except)
        p.send(kase, value);
    }
  }

  broadcastParticipant (p) {
    if (p.hidden) {
      p.send('update', new ParticipantUpdate({ participants: [p.info()] }));
      return;
    }
    this.broadcast('update', new ParticipantUpdate({ participants: [p.info()] }));
  }

  broadcastRoom () {
    this.broadcast('roomUpdate', new RoomUpdate({ room: this.info() }));
  }

  addParticipant (p) {
    const old = this.byIdentity(p.identity);
    if (old) {
      old.send('leave', new LeaveRequest({
        reason: DisconnectReason.DUPLICATE_IDENTITY,
        action: LeaveRequest_Action.DISCONNECT,
      }));
      this.removeParticipant(old, DisconnectReason.DUPLICATE_IDENTITY);
    }
    this.participants.set(p.sid, p);
    p.version = 1;
    if (!p.hidden) {
      // others learn about the newcomer; the newcomer gets the JoinResponse
      const u = new ParticipantUpdate({ participants: [p.info()] });
      for (const q of this.participants.values()) {
        if (q !== p)
          q.send('update', u);
      }
    }
    if (p.recorder)
      this.broadcastRoom();
  }

  removeParticipant (p, reason) {
    if (!this.participants.has(p.sid))
      return;
    this.participants.delete(p.sid);
    for (const t of [...p.tracks.values()])
      this.trackUnpublished(t);
    p.state = ParticipantInfo_State.DISCONNECTED;
    p.disconnectReason = reason;
    p.version++;
    p.close();
    if (!p.hidden) {
      this.broadcast('update', new ParticipantUpdate({ participants: [p.info()] }));
    }
    if (p.recorder)
      this.broadcastRoom();
    p.signal?.close(1000, 'participant removed');
    p.signal = null;
    log.info(`room ${this.name}: ${p.identity} left (${DisconnectReason[reason]})`);
  }

  trackPublished (t) {
    for (const p of this.participants.values()) {
      if (p !== t.participant && p.sub && p.autoSubscribe)
        p.sub.subscribe(t);
    }
  }

  trackUnpublished (t) {
    for (const p of this.participants.values())
      p.sub?.unsubscribe(t.sid);
    t.sinks.clear();
  }

  findTrack (sid) {
    for (const p of this.participants.values()) {
      const t = p.tracks.get(sid);
      if (t)
        return t;
    }
    return null;
  }

  speakers (list) {
    const speakers = list.map((s) => new SpeakerInfo(s));
    this.broadcast('speakersChanged', new SpeakersChanged({ speakers }));
  }

  close (reason = DisconnectReason.ROOM_DELETED) {
    this.closed = true;
    for (const p of [...this.participants.values()]) {
      p.send('leave', new LeaveRequest({
        reason, action: LeaveRequest_Action.DISCONNECT,
      }));
      this.participants.delete(p.sid);
      p.close();
      p.signal?.close(1000, 'room closed');
      p.signal = null;
    }
    this.server.rooms.delete(this.name);
    log.info(`room ${this.name} closed`);
  }

  // A summary for the admin API.
  toJSON () {
    return {
      sid: this.sid,
      name: this.name,
      metadata: this.metadata,
      participants: [...this.participants.values()].map((p) => ({
        sid: p.sid,
        identity: p.identity,
        name: p.name,
        state: ParticipantInfo_State[p.state],
        hidden: p.hidden,
        synthetic: p.synthetic,
        connected: !!p.signal,
        tracks: [...p.tracks.values()].map((t) => ({
          sid: t.sid, kind: t.kind, codec: t.codec, name: t.name,
          muted: t.muted, width: t.width, height: t.height,
          packets: t.packets, ssrc: t.ssrc,
          keyframeRequests: t.keyframeRequests,
        })),
        subscriptions: p.sub
          ? [...p.sub.downs.values()].map((d) => ({
              trackSid: d.pub.sid, mid: d.mid ?? null, packets: d.packets,
              disabled: d.disabled,
            }))
          : [],
      })),
    };
  }
}

// Handle one decoded SignalRequest from participant p.
export async function handleRequest (p, req) {
  const m = req.message;
  if (debugEnabled() && m.case !== 'ping' && m.case !== 'pingReq')
    log.debug(`<- ${p.identity}:`, req.toJsonString());
  switch (m.case) {
    case 'ping':
      p.send('pong', BigInt(Date.now()));
      break;
    case 'pingReq':
      p.send('pongResp', new Pong({
        lastPingTimestamp: m.value.timestamp, timestamp: BigInt(Date.now()),
      }));
      break;
    case 'answer':
      if (!p.sub)
        throw new Error('answer without a subscriber PeerConnection');
      await p.sub.answer(m.value);
      break;
    case 'offer':
      if (!p.pub)
        throw new Error('publishing is not supported for this participant');
      await p.pub.offer(m.value);
      break;
    case 'trickle': {
      const init = JSON.parse(m.value.candidateInit);
      if (m.value.target === SignalTarget.SUBSCRIBER)
        await p.sub?.addCandidate(init);
      else
        await p.pub?.addCandidate(init);
      break;
    }
    case 'subscription': {
      const u = m.value;
      const sids = new Set(u.trackSids);
      for (const pt of u.participantTracks)
        pt.trackSids.forEach((s) => sids.add(s));
      for (const sid of sids) {
        if (!p.sub)
          break;
        if (u.subscribe) {
          const t = p.room.findTrack(sid);
          if (t && t.participant !== p)
            p.sub.subscribe(t);
        } else {
          p.sub.unsubscribe(sid);
        }
      }
      break;
    }
    case 'trackSetting': {
      const s = m.value;
      for (const sid of s.trackSids) {
        const d = p.sub?.downs.get(sid);
        if (!d)
          continue;
        const was = d.disabled;
        d.disabled = s.disabled;
        d.quality = s.quality;
        d.width = s.width;
        if (was && !d.disabled)
          d.pub.requestKeyframe();
      }
      break;
    }
    case 'mute':
      p.setMuted(m.value.sid, m.value.muted);
      break;
    case 'updateMetadata':
      if (m.value.metadata)
        p.metadata = m.value.metadata;
      if (m.value.name)
        p.name = m.value.name;
      Object.assign(p.attributes, m.value.attributes);
      p.changed();
      break;
    case 'addTrack':
      if (!p.pub)
        throw new Error('publishing is not supported for this participant');
      p.pub.addTrackRequest(m.value);
      break;
    case 'leave':
      p.room.removeParticipant(p, DisconnectReason.CLIENT_INITIATED);
      break;
    case 'syncState':
    case 'simulate':
    case 'subscriptionPermission':
    case 'updateLayers':
    case 'updateAudioTrack':
    case 'updateVideoTrack':
      break;
    default:
      log.debug(`${p.identity}: ignoring ${m.case}`);
  }
}

export { MuteTrackRequest, TrackPublishedResponse };

// SPDX-License-Identifier: LGPL-2.1-or-later
// gst-egress LiveKit-compatible test server: the admin HTTP API that tests
// use to script a room (docs/livekit-server.md lists every endpoint).

import {
  DisconnectReason, LeaveRequest, LeaveRequest_Action, ParticipantInfo_Kind,
  StreamStateUpdate, StreamStateInfo, StreamState,
} from '@livekit/protocol';
import { Participant, startSynthetic } from './rooms.mjs';
import { log } from './log.mjs';

class AdminError extends Error {
  constructor (status, msg) {
    super(msg);
    this.status = status;
  }
}

function readJson (req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (!body.trim())
        return resolve({});
      try {
        resolve(JSON.parse(body));
      } catch (e) {
        reject(new AdminError(400, `request body is not JSON: ${e.message}`));
      }
    });
    req.on('error', reject);
  });
}

function trackJson (t) {
  return {
    sid: t.sid, kind: t.kind, codec: t.codec, name: t.name, muted: t.muted,
    width: t.width, height: t.height,
  };
}

function participantJson (p) {
  return {
    sid: p.sid, identity: p.identity, tracks: [...p.tracks.values()].map(trackJson),
  };
}

function enumValue (e, name, what) {
  if (name === undefined)
    return undefined;
  const v = typeof name === 'number' ? name : e[String(name).toUpperCase()];
  if (v === undefined)
    throw new AdminError(400, `unknown ${what} "${name}"`);
  return v;
}

async function route (server, method, parts, body) {
  const [top, roomName, sub, identity, sub2, trackSid, action] = parts;
  if (top === 'health' && parts.length === 1)
    return { ok: true };
  if (top !== 'rooms')
    throw new AdminError(404, 'no such endpoint');
  if (!roomName) {
    if (method === 'GET')
      return [...server.rooms.values()].map((r) => r.toJSON());
    throw new AdminError(405, 'use GET /rooms');
  }
  const needRoom = () => {
    const r = server.room(roomName, false);
    if (!r)
      throw new AdminError(404, `no room "${roomName}"`);
    return r;
  };
  if (!sub) {
    if (method === 'GET')
      return needRoom().toJSON();
    if (method === 'DELETE') {
      const reason = enumValue(DisconnectReason, body.reason ?? 'ROOM_DELETED',
        'reason');
      needRoom().close(reason);
      return { ok: true };
    }
    throw new AdminError(405, 'use GET or DELETE /rooms/{room}');
  }
  if (sub === 'metadata' && method === 'POST') {
    const r = needRoom();
    r.metadata = String(body.metadata ?? '');
    r.broadcastRoom();
    return { ok: true };
  }
  if (sub === 'clock' && method === 'POST') {
    // the room's SFU clock, as its sender reports show it, runs this many
    // ms ahead of the real time (negative: behind)
    const ms = Number(body.offsetMs);
    if (!Number.isFinite(ms))
      throw new AdminError(400, 'offsetMs must be a number');
    server.room(roomName).clockOffsetMs = ms;
    return { ok: true };
  }
  if (sub === 'speakers' && method === 'POST') {
    const r = needRoom();
    const list = (body.speakers ?? []).map((s) => {
      const p = s.sid ? r.participants.get(s.sid) : r.byIdentity(s.identity);
      if (!p)
        throw new AdminError(404, `no participant "${s.identity ?? s.sid}"`);
      return { sid: p.sid, level: s.level ?? 1, active: s.active ?? true };
    });
    r.speakers(list);
    return { ok: true };
  }
  if (sub !== 'participants')
    throw new AdminError(404, 'no such endpoint');

  if (!identity) {
    if (method !== 'POST')
      throw new AdminError(405, 'use POST /rooms/{room}/participants');
    // {"participants": [...]}: several participants whose tracks run in
    // one pipeline, so their content happens at the same instants
    const group = Array.isArray(body.participants) ? body.participants
      : [body];
    if (!group.length || group.some((b) => !b?.identity))
      throw new AdminError(400, 'identity is required');
    const r = server.room(roomName);
    const preps = group.map((b) => {
      const p = new Participant(r, {
        identity: String(b.identity),
        name: b.name, metadata: b.metadata, attributes: b.attributes,
        kind: ParticipantInfo_Kind.STANDARD, synthetic: true,
        grant: { canSubscribe: false, canPublish: true },
      });
      r.addParticipant(p);
      return p.prepareSynthetic(b.tracks ?? []);
    });
    await startSynthetic(preps);
    for (const { participant: p } of preps)
      log.info(`room ${r.name}: synthetic ${p.identity} joined with ${p.tracks.size} tracks`);
    const out = preps.map(({ participant }) => participantJson(participant));
    return Array.isArray(body.participants) ? out : out[0];
  }

  const r = needRoom();
  const p = r.byIdentity(identity);
  if (!p)
    throw new AdminError(404, `no participant "${identity}" in "${roomName}"`);

  if (!sub2) {
    if (method === 'GET')
      return r.toJSON().participants.find((x) => x.sid === p.sid);
    if (method === 'DELETE') {
      if (!p.synthetic) {
        p.send('leave', new LeaveRequest({
          reason: DisconnectReason.PARTICIPANT_REMOVED,
          action: LeaveRequest_Action.DISCONNECT,
        }));
      }
      r.removeParticipant(p, p.synthetic ? DisconnectReason.CLIENT_INITIATED
        : DisconnectReason.PARTICIPANT_REMOVED);
      return { ok: true };
    }
    throw new AdminError(405, 'use GET or DELETE');
  }
  if (method !== 'POST' && !(sub2 === 'tracks' && method === 'DELETE'))
    throw new AdminError(405, 'use POST');
  switch (sub2) {
    case 'metadata':
      if (body.metadata !== undefined)
        p.metadata = String(body.metadata);
      if (body.name !== undefined)
        p.name = String(body.name);
      if (body.attributes)
        Object.assign(p.attributes, body.attributes);
      p.changed();
      return { ok: true };
    case 'drop': {
      // lose the signal connection without a Leave (resume tests);
      // forMs: refuse this identity's signal connections that long;
      // forget: the session is gone, so a resume is refused (the media
      // connections close too)
      if (!p.signal)
        throw new AdminError(409, `${identity} has no signal connection`);
      const forMs = Number(body.forMs ?? 0);
      if (!Number.isFinite(forMs) || forMs < 0)
        throw new AdminError(400, 'forMs must be a number of ms');
      if (forMs)
        needRoom().refuseUntil.set(identity, Date.now() + forMs);
      // brokenRestart: the ICE restart of the resume fails quietly (the
      // server's agent never checks again), as a faulty server's would
      if (body.brokenRestart && p.sub)
        p.sub.brokenRestart = true;
      p.signal.ws.terminate();
      if (body.forget)
        needRoom().removeParticipant(p, DisconnectReason.SIGNAL_CLOSE);
      return { ok: true };
    }
    case 'leave':
      if (!p.signal)
        throw new AdminError(409, `${identity} has no signal connection`);
      p.send('leave', new LeaveRequest({
        reason: enumValue(DisconnectReason, body.reason ?? 'UNKNOWN_REASON', 'reason'),
        action: enumValue(LeaveRequest_Action, body.action ?? 'DISCONNECT', 'action'),
      }));
      return { ok: true };
    case 'offer':
      if (!p.sub)
        throw new AdminError(409, `${identity} has no subscriber PeerConnection`);
      p.sub.negotiate(!!body.iceRestart);
      return { ok: true };
    case 'stream-state': {
      const states = (body.tracks ?? []).map((s) => {
        const t = r.findTrack(s.sid);
        if (!t)
          throw new AdminError(404, `no track "${s.sid}"`);
        return new StreamStateInfo({
          participantSid: t.participant.sid, trackSid: t.sid,
          state: enumValue(StreamState, s.state ?? 'ACTIVE', 'state'),
        });
      });
      p.send('streamStateUpdate', new StreamStateUpdate({ streamStates: states }));
      return { ok: true };
    }
    case 'tracks': {
      if (!p.synthetic)
        throw new AdminError(409, `${identity} is not a synthetic participant`);
      if (!trackSid) {
        if (method !== 'POST')
          throw new AdminError(405, 'use POST');
        const t = await p.publishSynthetic(body);
        return trackJson(t);
      }
      const t = p.tracks.get(trackSid);
      if (!t)
        throw new AdminError(404, `no track "${trackSid}"`);
      if (!action && method === 'DELETE') {
        p.removeTrack(trackSid);
        return { ok: true };
      }
      if (action === 'mute') {
        p.setMuted(trackSid, body.muted ?? true);
        return trackJson(t);
      }
      if (action === 'keyframe') {
        t.requestKeyframe();
        return { ok: true };
      }
      throw new AdminError(404, 'no such endpoint');
    }
    default:
      throw new AdminError(404, 'no such endpoint');
  }
}

export function handleAdmin (server, req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const send = (status, obj) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(obj, (k, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
  };
  readJson(req)
    .then((body) => route(server, req.method, parts, body))
    .then((obj) => send(200, obj))
    .catch((e) => {
      if (!(e instanceof AdminError))
        log.error('admin:', e.stack);
      send(e.status ?? 500, { error: e.message });
    });
}

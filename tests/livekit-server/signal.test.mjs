// SPDX-License-Identifier: LGPL-2.1-or-later
// The test server's signalling: HTTP routes and token checks, JoinResponse,
// participant updates, ping, JSON mode, malformed messages, resume, admin
// script events.  One server for the whole file.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Ping, ParticipantInfo_State, DisconnectReason, UpdateSubscription, UpdateTrackSettings }
  from '@livekit/protocol';
import { startServer, token, admin, SignalClient, waitFor, sleep, KEY } from './testlib.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => {
  const code = await server.stop();
  assert.equal(code, 0, 'server exits cleanly on SIGTERM');
});

const httpUrl = () => server.url.replace(/^ws/, 'http');

test('routes: /rtc/validate, /rtc/v1 fallbacks, bad tokens get 401', async () => {
  const good = await token('v1', 'rv');
  let r = await fetch(`${httpUrl()}/rtc/validate?access_token=${good}`);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), 'success');
  r = await fetch(`${httpUrl()}/rtc/v1/validate?access_token=${good}`);
  assert.equal(r.status, 404);
  assert.ok(!(await r.text()).includes('requested room does not exist'));

  const bad = [
    ['no token', ''],
    ['wrong secret', await token('v1', 'rv', {}, { secret: 'nope' })],
    ['unknown key', await token('v1', 'rv', {}, { key: 'other' })],
    ['expired', await token('v1', 'rv', {}, { ttl: -3600 })],
    ['no roomJoin', await token('v1', 'rv', { roomJoin: false })],
    ['garbage', 'abc.def.ghi'],
  ];
  for (const [what, tok] of bad) {
    await assert.rejects(SignalClient.connect(server.url, tok),
      (e) => e.status === 401, `${what} -> 401`);
    const v = await fetch(`${httpUrl()}/rtc/validate?access_token=${tok}`);
    assert.equal(v.status, 401, `validate ${what}`);
  }
  // the v1 upgrade answers 404 so clients fall back to /rtc
  await assert.rejects(new Promise((resolve, reject) => {
    import('ws').then(({ default: WebSocket }) => {
      const ws = new WebSocket(`${server.url}/rtc/v1?access_token=${good}`);
      ws.once('unexpected-response', (req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('open', resolve);
    });
  }), /HTTP 404/);
  // Bearer header works too
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(`${server.url}/rtc?protocol=16`,
    { headers: { authorization: `Bearer ${good}` } });
  const c = new SignalClient(ws);
  const join = await c.next('join');
  assert.equal(join.participant.identity, 'v1');
  c.close();
});

test('join, participant updates, ping, leave', async () => {
  const a = await SignalClient.connect(server.url, await token('alice', 'r2', {}, { name: 'Alice' }));
  const ja = await a.next('join');
  assert.ok(ja.room.sid.startsWith('RM_'));
  assert.equal(ja.room.name, 'r2');
  assert.ok(ja.serverInfo.version);
  assert.ok(ja.serverVersion);
  assert.equal(ja.participant.name, 'Alice');
  assert.equal(ja.otherParticipants.length, 0);
  assert.deepEqual(ja.iceServers, []);

  const b = await SignalClient.connect(server.url, await token('bob', 'r2'));
  const jb = await b.next('join');
  assert.deepEqual(jb.otherParticipants.map((p) => p.identity), ['alice']);
  const ub = await a.next('update', (u) => u.participants.some((p) => p.identity === 'bob'));
  const v1 = ub.participants[0].version;

  // a hidden recorder is invisible to the others
  const rec = await SignalClient.connect(server.url,
    await token('EG_x', 'r2', { hidden: true, recorder: true, canPublish: false }));
  const jr = await rec.next('join');
  assert.equal(jr.otherParticipants.length, 2);
  await a.next('roomUpdate', (u) => u.room.activeRecording === true);
  assert.ok(!a.messages.some((m) => m.message.case === 'update' &&
    m.message.value.participants.some((p) => p.identity === 'EG_x')));

  // metadata change via the admin API: increasing version
  await admin(server, 'POST', '/rooms/r2/participants/bob/metadata', { metadata: 'm1' });
  const um = await a.next('update', (u) => u.participants.some((p) => p.metadata === 'm1'));
  assert.ok(um.participants[0].version > v1);

  // pings in both forms
  a.send('ping', 1234n);
  assert.ok((await a.next('pong')) > 0n);
  a.send('pingReq', new Ping({ timestamp: 777n, rtt: 5n }));
  const pr = await a.next('pongResp');
  assert.equal(pr.lastPingTimestamp, 777n);

  // speakers
  await admin(server, 'POST', '/rooms/r2/speakers', { speakers: [{ identity: 'alice', level: 0.7 }] });
  const sp = await b.next('speakersChanged');
  assert.equal(sp.speakers[0].sid, ja.participant.sid);

  // bob leaves: alice sees DISCONNECTED
  b.send('leave', {});
  const gone = await a.next('update', (u) => u.participants.some((p) =>
    p.identity === 'bob' && p.state === ParticipantInfo_State.DISCONNECTED));
  assert.ok(gone);
  a.close();
  rec.close();
});

test('JSON replies after a text frame; malformed messages close only that connection', async () => {
  const a = await SignalClient.connect(server.url, await token('j1', 'r3'));
  await a.next('join');
  const first = a.messages.length ? a.messages[0] : null;
  assert.ok(!first || first.wasBinary);
  a.json = true;
  a.send('ping', 99n);
  await a.next('pong');
  await a.next('offer').catch(() => {});
  a.send('pingReq', new Ping({ timestamp: 5n }));
  await a.next('pongResp');
  const textReplies = a.messages.filter((m) => !m.wasBinary);
  assert.ok(textReplies.length >= 0);

  // now send garbage: this connection is closed with a reason...
  const bad = await SignalClient.connect(server.url, await token('bad', 'r3'));
  await bad.next('join');
  bad.ws.send(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]));
  const closed = await bad.closed;
  assert.equal(closed.code, 1007);
  await waitFor('logged reason', () => /malformed signal message/.test(server.stderr()));
  // ...and the server keeps serving the others
  a.send('pingReq', new Ping({ timestamp: 6n }));
  const pr = await a.next('pongResp');
  assert.equal(pr.lastPingTimestamp, 6n);
  const c = await SignalClient.connect(server.url, await token('after', 'r3'));
  await c.next('join');
  a.close();
  c.close();
});

test('room close sends Leave', async () => {
  const a = await SignalClient.connect(server.url, await token('z1', 'r4'));
  await a.next('join');
  await admin(server, 'DELETE', '/rooms/r4');
  const leave = await a.next('leave');
  assert.equal(leave.reason, DisconnectReason.ROOM_DELETED);
  await a.closed;
});

export { KEY, sleep, UpdateSubscription, UpdateTrackSettings };

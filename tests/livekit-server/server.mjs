#!/usr/bin/env node
// SPDX-License-Identifier: LGPL-2.1-or-later
// gst-egress LiveKit-compatible test server.
//
//   node tests/livekit-server/server.mjs [--port 0] [--keys KEY:SECRET]
//       [--tls CERT:KEY] [--ice-servers JSON] [--admin-port 0]
//       [--log-level info]
//
// Prints "<ws url> <admin url>" on one line when ready.  Listens on
// 127.0.0.1 only.  See docs/livekit-server.md.

import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import { WebSocketServer } from 'ws';
import { decodeJwt, jwtVerify } from 'jose';
import {
  SignalRequest, SignalResponse, DisconnectReason, LeaveRequest, LeaveRequest_Action,
  ParticipantInfo_Kind,
} from '@livekit/protocol';
import { Room, Participant, handleRequest } from './rooms.mjs';
import { log, setLogLevel, debugEnabled } from './log.mjs';
import { handleAdmin } from './admin.mjs';

export const DEFAULT_KEY = 'devkey';
export const DEFAULT_SECRET = 'secret';

function usage (msg) {
  if (msg)
    process.stderr.write(`server.mjs: ${msg}\n`);
  process.stderr.write('usage: node server.mjs [--port N] [--keys KEY:SECRET[,KEY:SECRET]]' +
      ' [--tls CERT:KEY] [--ice-servers JSON] [--admin-port N] [--log-level LEVEL]\n');
  process.exit(2);
}

function parseArgs (argv) {
  const o = { port: 0, adminPort: 0, keys: new Map(), tls: null, iceServers: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length)
        usage(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--port': o.port = Number(val()); break;
      case '--admin-port': o.adminPort = Number(val()); break;
      case '--keys':
        for (const kv of val().split(',')) {
          const at = kv.indexOf(':');
          if (at <= 0 || at === kv.length - 1)
            usage(`--keys wants KEY:SECRET, got "${kv}"`);
          o.keys.set(kv.slice(0, at), kv.slice(at + 1));
        }
        break;
      case '--tls': {
        const [cert, key] = val().split(':');
        if (!cert || !key)
          usage('--tls wants CERT:KEY (two PEM file paths)');
        o.tls = { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
        break;
      }
      case '--ice-servers':
        try {
          o.iceServers = JSON.parse(val());
        } catch (e) {
          usage(`--ice-servers is not JSON: ${e.message}`);
        }
        if (!Array.isArray(o.iceServers))
          usage('--ice-servers wants a JSON array of {urls, username, credential}');
        o.iceServers = o.iceServers.map((s) => ({
          urls: Array.isArray(s.urls) ? s.urls : [s.urls],
          username: s.username ?? '', credential: s.credential ?? '',
        }));
        break;
      case '--log-level': setLogLevel(val()); break;
      case '-h': case '--help': usage();
        break;
      default: usage(`unknown argument "${a}"`);
    }
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)
    usage('--port wants a port number');
  if (o.keys.size === 0)
    o.keys.set(DEFAULT_KEY, DEFAULT_SECRET);
  return o;
}

class HttpError extends Error {
  constructor (status, msg) {
    super(msg);
    this.status = status;
  }
}

// One client's signal WebSocket: binary protobuf until the client sends a
// text frame, then proto3 JSON (and back to binary after a binary frame).
class SignalConn {
  constructor (ws, label) {
    this.ws = ws;
    this.label = label;
    this.useJSON = false;
  }

  send (resp) {
    if (this.ws.readyState !== 1)
      return;
    if (debugEnabled() && resp.message.case !== 'pong' &&
        resp.message.case !== 'pongResp') {
      const s = resp.toJsonString();
      log.debug(`-> ${this.label}:`, s.length > 600 ? s.slice(0, 600) + '...' : s);
    }
    if (this.useJSON)
      this.ws.send(resp.toJsonString());
    else
      this.ws.send(resp.toBinary());
  }

  close (code, reason) {
    if (this.ws.readyState <= 1)
      this.ws.close(code, reason);
  }
}

export class LiveKitTestServer {
  constructor (opts) {
    this.opts = opts;
    this.rooms = new Map();
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: true });
  }

  room (name, create = true) {
    let r = this.rooms.get(name);
    if (!r && create) {
      r = new Room(this, name);
      this.rooms.set(name, r);
      log.info(`room ${name} created (${r.sid})`);
    }
    return r ?? null;
  }

  async verify (req, url) {
    let token = url.searchParams.get('access_token');
    const auth = req.headers.authorization;
    if (!token && auth && auth.startsWith('Bearer '))
      token = auth.slice(7).trim();
    if (!token)
      throw new HttpError(401, 'no access token');
    let claims;
    try {
      claims = decodeJwt(token);
    } catch (e) {
      throw new HttpError(401, `malformed token: ${e.message}`);
    }
    const secret = this.opts.keys.get(claims.iss);
    if (!secret)
      throw new HttpError(401, `unknown API key "${claims.iss}"`);
    try {
      await jwtVerify(token, new TextEncoder().encode(secret),
        { algorithms: ['HS256'], issuer: claims.iss, clockTolerance: 60 });
    } catch (e) {
      throw new HttpError(401, `invalid token: ${e.message}`);
    }
    if (claims.exp === undefined)
      throw new HttpError(401, 'invalid token: no exp claim');
    const grant = claims.video;
    if (!grant || !grant.roomJoin)
      throw new HttpError(401, 'permissions denied: no roomJoin grant');
    const room = grant.room || url.searchParams.get('room');
    if (!room)
      throw new HttpError(400, 'missing room name');
    const identity = claims.sub || claims.jti;
    if (!identity)
      throw new HttpError(400, 'missing participant identity');
    return { claims, grant, room, identity };
  }

  async onHttp (req, res) {
    const url = new URL(req.url, 'http://127.0.0.1');
    // browsers (livekit-client) call the validate routes cross-origin, as
    // LiveKit's server allows
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-allow-methods': 'GET, OPTIONS',
    };
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'text/plain', ...cors });
      res.end(body);
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      return res.end();
    }
    if (url.pathname === '/rtc/v1' || url.pathname === '/rtc/v1/validate')
      return reply(404, 'not found');
    if (url.pathname === '/rtc/validate') {
      try {
        await this.verify(req, url);
        return reply(200, 'success');
      } catch (e) {
        return reply(e.status ?? 500, e.message);
      }
    }
    if (url.pathname === '/')
      return reply(200, 'OK');
    return reply(404, 'not found');
  }

  async onUpgrade (req, socket, head) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const refuse = (status, msg) => {
      log.info(`refused ${url.pathname}: ${status} ${msg}`);
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
          'Content-Type: text/plain\r\nConnection: close\r\n' +
          `Content-Length: ${Buffer.byteLength(msg)}\r\n\r\n${msg}`);
    };
    if (url.pathname !== '/rtc')
      return refuse(404, 'not found');
    let v;
    try {
      v = await this.verify(req, url);
    } catch (e) {
      return refuse(e.status ?? 500, e.message);
    }
    const until = this.rooms?.get(v.room)?.refuseUntil?.get(v.identity);
    if (until && Date.now() < until)
      return refuse(503, 'signalling unavailable (admin drop)');
    this.wss.handleUpgrade(req, socket, head,
      (ws) => this.onSignal(ws, url, v));
  }

  onSignal (ws, url, v) {
    const q = url.searchParams;
    const bool = (name, dflt) => {
      const s = q.get(name);
      if (s === null || s === '')
        return dflt;
      return s === '1' || s === 'true';
    };
    const conn = new SignalConn(ws, v.identity);
    const room = this.room(v.room);
    let p;
    if (q.get('reconnect') === '1' || q.get('reconnect') === 'true') {
      const sid = q.get('sid');
      p = sid ? room.participants.get(sid) : room.byIdentity(v.identity);
      if (!p || p.closed || p.identity !== v.identity) {
        log.info(`resume of ${v.identity} (${sid}) refused: unknown participant`);
        conn.send(new SignalResponse({ message: { case: 'leave',
          value: new LeaveRequest({
            reason: DisconnectReason.STATE_MISMATCH,
            action: LeaveRequest_Action.RECONNECT,
          }) } }));
        ws.close(1000, 'unknown participant');
        return;
      }
      p.signal?.close(1000, 'replaced by resume');
      p.attach(conn);
      log.info(`room ${room.name}: ${p.identity} resumed`);
      p.sendReconnect(this.opts.iceServers);
    } else {
      const g = v.grant;
      const kindName = (v.claims.kind ?? 'standard').toUpperCase();
      p = new Participant(room, {
        identity: v.identity,
        name: v.claims.name ?? '',
        metadata: v.claims.metadata ?? '',
        attributes: v.claims.attributes ?? {},
        kind: ParticipantInfo_Kind[kindName] ?? ParticipantInfo_Kind.STANDARD,
        grant: g,
        protocol: Number(q.get('protocol') ?? 0),
        autoSubscribe: bool('auto_subscribe', true),
      });
      room.addParticipant(p);
      p.attach(conn);
      log.info(`room ${room.name}: ${p.identity} joined as ${p.sid}` +
          `${p.hidden ? ' (hidden)' : ''}`);
      p.sendJoin(this.opts.iceServers);
    }
    let chain = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      let req;
      try {
        if (isBinary) {
          conn.useJSON = false;
          req = SignalRequest.fromBinary(new Uint8Array(data));
        } else {
          conn.useJSON = true;
          req = SignalRequest.fromJsonString(data.toString(),
            { ignoreUnknownFields: true });
        }
      } catch (e) {
        log.warn(`${p.identity}: malformed signal message (${e.message}), closing its connection`);
        ws.close(1007, 'malformed signal message');
        return;
      }
      chain = chain.then(() => handleRequest(p, req)).catch((e) => {
        log.warn(`${p.identity}: ${req.message.case} failed: ${e.message}`);
      });
    });
    ws.on('close', () => p.signalClosed(conn));
    ws.on('error', (e) => log.warn(`${p.identity}: websocket error ${e.message}`));
  }

  async listen () {
    const o = this.opts;
    const handler = (req, res) => this.onHttp(req, res).catch((e) => {
      log.error('http:', e.stack);
      res.writeHead(500); res.end();
    });
    this.http = o.tls ? https.createServer(o.tls, handler)
      : http.createServer(handler);
    this.http.on('upgrade', (req, socket, head) => {
      this.onUpgrade(req, socket, head).catch((e) => {
        log.error('upgrade:', e.stack);
        socket.destroy();
      });
    });
    this.admin = http.createServer((req, res) => handleAdmin(this, req, res));
    await new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(o.port, '127.0.0.1', resolve);
    });
    await new Promise((resolve, reject) => {
      this.admin.once('error', reject);
      this.admin.listen(o.adminPort, '127.0.0.1', resolve);
    });
    const scheme = o.tls ? 'wss' : 'ws';
    this.url = `${scheme}://127.0.0.1:${this.http.address().port}`;
    this.adminUrl = `http://127.0.0.1:${this.admin.address().port}`;
  }

  async shutdown () {
    for (const r of [...this.rooms.values()])
      r.close(DisconnectReason.SERVER_SHUTDOWN);
    for (const c of this.wss.clients)
      c.terminate();
    this.http.closeAllConnections?.();
    this.admin.closeAllConnections?.();
    await Promise.all([
      new Promise((resolve) => this.http.close(resolve)),
      new Promise((resolve) => this.admin.close(resolve)),
    ]);
  }
}

const main = async () => {
  const opts = parseArgs(process.argv.slice(2));
  const server = new LiveKitTestServer(opts);
  await server.listen();
  process.stdout.write(`${server.url} ${server.adminUrl}\n`);
  let stopping = false;
  const stop = (sig) => {
    if (stopping)
      return;
    stopping = true;
    log.info(`${sig}: shutting down`);
    server.shutdown().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
};

if (import.meta.url === `file://${process.argv[1]}`)
  main().catch((e) => {
    process.stderr.write(`server.mjs: ${e.stack}\n`);
    process.exit(1);
  });

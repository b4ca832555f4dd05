// SPDX-License-Identifier: LGPL-2.1-or-later
// Helpers for the test server's own tests (and for other Node tests that
// need a server): start/stop it, mint tokens, call the admin API, and a
// minimal LiveKit signal client built on @livekit/protocol.

import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { AccessToken } from 'livekit-server-sdk';
import { SignalRequest, SignalResponse } from '@livekit/protocol';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SERVER_SCRIPT = path.join(here, 'server.mjs');
export const KEY = 'devkey';
export const SECRET = 'secret';

// Start server.mjs; resolves to {url, adminUrl, proc, stderr(), stop()}.
export function startServer (args = [], env = {}) {
  const proc = spawn(process.execPath, [SERVER_SCRIPT, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let err = '';
  proc.stderr.on('data', (d) => {
    err += d;
    if (process.env.LIVEKIT_SERVER_ECHO)
      process.stderr.write(d);
  });
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: proc.stdout });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start: ${err}`));
    }, 15000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}): ${err}`));
    });
    rl.once('line', (line) => {
      clearTimeout(timer);
      const [url, adminUrl] = line.trim().split(' ');
      resolve({
        url, adminUrl, proc,
        stderr: () => err,
        stop: () => new Promise((res) => {
          if (proc.exitCode !== null || proc.signalCode !== null)
            return res(proc.exitCode);
          proc.removeAllListeners('exit');
          proc.once('exit', (code) => res(code));
          proc.kill('SIGTERM');
          setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
        }),
      });
    });
  });
}

export async function token (identity, room, grant = {}, opts = {}) {
  const at = new AccessToken(opts.key ?? KEY, opts.secret ?? SECRET, {
    identity, name: opts.name, ttl: opts.ttl ?? '1h', metadata: opts.metadata,
  });
  if (opts.kind)
    at.kind = opts.kind;
  at.addGrant({ roomJoin: true, room, ...grant });
  return at.toJwt();
}

export async function admin (server, method, p, body) {
  const res = await fetch(server.adminUrl + p, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok)
    throw new Error(`admin ${method} ${p}: ${res.status} ${json.error}`);
  return json;
}

export function sleep (ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor (what, fn, timeoutMs = 15000, stepMs = 100) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v)
      return v;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}`);
    await sleep(stepMs);
  }
}

// A bare LiveKit signal client: binary protobuf (or JSON after json=true).
export class SignalClient {
  constructor (ws) {
    this.ws = ws;
    this.messages = [];
    this.waiters = [];
    this.json = false;
    ws.on('message', (data, isBinary) => {
      const m = isBinary
        ? SignalResponse.fromBinary(new Uint8Array(data))
        : SignalResponse.fromJsonString(data.toString(), { ignoreUnknownFields: true });
      m.wasBinary = isBinary;
      this.messages.push(m);
      for (const w of [...this.waiters]) {
        if (w.pred(m)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
      this.onMessage?.(m);
    });
    this.closed = new Promise((resolve) => ws.on('close',
      (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static connect (url, tok, query = '') {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url}/rtc?access_token=${tok}&protocol=16&sdk=go${query}`);
      const c = new SignalClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (req, res) => {
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }));
      });
      ws.once('error', reject);
    });
  }

  send (kase, value) {
    const req = new SignalRequest({ message: { case: kase, value } });
    this.ws.send(this.json ? req.toJsonString() : req.toBinary());
  }

  // Resolve with the first (past or future) message matching `kase`/`pred`.
  next (kase, pred = () => true, timeoutMs = 15000, fromIndex = 0) {
    const match = (m) => m.message.case === kase && pred(m.message.value);
    const old = this.messages.slice(fromIndex).find(match);
    if (old) {
      this.messages.splice(this.messages.indexOf(old), 1);
      return Promise.resolve(old.message.value);
    }
    return new Promise((resolve, reject) => {
      const w = {
        pred: match,
        resolve: (m) => {
          clearTimeout(t);
          this.messages.splice(this.messages.indexOf(m), 1);
          resolve(m.message.value);
        },
      };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`timed out waiting for ${kase}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  close () {
    this.ws.close();
  }
}

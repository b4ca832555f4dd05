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

// Storage peers for cloudstoragesink's end-to-end tests, all on 127.0.0.1:
// s3rver (checks SigV4), azurite (checks Shared Key), and small fakes
// written here for GCS (media and resumable uploads, an OAuth2 token
// endpoint that verifies the RS256 assertion), OSS (checks V1 signatures)
// and a flaky S3 for failure injection (cloudstorage-flaky.mjs).

import http from 'node:http';
import net from 'node:net';
import crypto from 'node:crypto';
import path from 'node:path';
import { spawn, execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve(server.address().port)));
}

function closeServer(server) {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

// ---------------------------------------------------------------- S3

export async function startS3rver(directory, buckets = ['rec']) {
  const S3rver = require('@20minutes/s3rver');
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true,
    directory, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = await s3.run();
  return {
    url: `http://127.0.0.1:${port}`,
    // the stored object, read back with SigV4 (curl's own signer); async:
    // s3rver runs in this process
    get(bucket, key) {
      return new Promise((resolve, reject) => execFile('curl', ['-sS',
        '--fail', '--aws-sigv4', 'aws:amz:us-east-1:s3', '--user',
        'S3RVER:S3RVER', '-H', 'x-amz-content-sha256: UNSIGNED-PAYLOAD',
        `http://127.0.0.1:${port}/${bucket}/${key}`],
      { maxBuffer: 1 << 30, encoding: 'buffer' }, (err, out) =>
        (err ? reject(err) : resolve(out))));
    },
    stop: () => s3.close(),
  };
}

// ---------------------------------------------------------------- Azure

export const AZ_ACCOUNT = 'devstoreaccount1';
export const AZ_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

// A Shared Key request written independently of the C signer.
function azureRequest(base, method, pathAndQuery, body = Buffer.alloc(0),
  extra = {}) {
  const url = new URL(base + pathAndQuery);
  const headers = { 'x-ms-date': new Date().toUTCString(),
    'x-ms-version': '2021-08-06', ...extra };
  const len = body.length ? String(body.length) : '';
  const xms = Object.keys(headers).filter((h) => h.startsWith('x-ms-'))
    .sort().map((h) => `${h}:${headers[h]}\n`).join('');
  let res = `/${AZ_ACCOUNT}${url.pathname}`;
  [...url.searchParams.keys()].sort().forEach((k) => {
    res += `\n${k.toLowerCase()}:${url.searchParams.get(k)}`;
  });
  const sts = `${method}\n\n\n${len}\n\n\n\n\n\n\n\n\n${xms}${res}`;
  const sig = crypto.createHmac('sha256', Buffer.from(AZ_KEY, 'base64'))
    .update(sts, 'utf8').digest('base64');
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers,
      'Content-Length': body.length,
      Authorization: `SharedKey ${AZ_ACCOUNT}:${sig}` } }, async (r) => {
      resolve({ status: r.statusCode, headers: r.headers,
        body: await readBody(r) });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function startAzurite(location) {
  const port = await freePort();
  const main = require.resolve('azurite/dist/src/blob/main.js');
  // --disableTelemetry: azurite would otherwise call an external host
  const proc = spawn(process.execPath, [main, '--blobHost', '127.0.0.1',
    '--blobPort', String(port), '--location', location,
    '--skipApiVersionCheck', '--loose', '--disableTelemetry'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`azurite: ${out}`)), 20000);
    const on = (d) => {
      out += d;
      if (/successfully listens/i.test(out)) {
        clearTimeout(t);
        resolve();
      }
    };
    proc.stdout.on('data', on);
    proc.stderr.on('data', on);
    proc.on('exit', (c) => reject(new Error(`azurite exited ${c}: ${out}`)));
  });
  const base = `http://127.0.0.1:${port}/${AZ_ACCOUNT}`;
  return {
    endpoint: base,
    async createContainer(name) {
      const r = await azureRequest(base, 'PUT', `/${name}?restype=container`);
      if (r.status !== 201 && r.status !== 409)
        throw new Error(`create container: ${r.status} ${r.body}`);
    },
    async get(container, blob) {
      const r = await azureRequest(base, 'GET', `/${container}/${blob}`);
      if (r.status !== 200)
        throw new Error(`get ${blob}: ${r.status} ${r.body}`);
      return { body: r.body, headers: r.headers };
    },
    async blockList(container, blob) {
      const r = await azureRequest(base, 'GET',
        `/${container}/${blob}?comp=blocklist&blocklisttype=committed`);
      return r.body.toString();
    },
    stop: () => new Promise((resolve) => {
      proc.once('exit', resolve);
      proc.kill('SIGTERM');
    }),
  };
}

// ---------------------------------------------------------------- GCS

const b64url = (b) => Buffer.from(b).toString('base64url');

// A GCS fake: OAuth2 token endpoint checking the service account's RS256
// assertion, JSON API media and resumable uploads, XML API multipart
// uploads with the bearer token (it counts how often each part number was
// sent), alt=media reads.
export async function startGcsFake() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa',
    { modulusLength: 2048 });
  const objects = new Map(); // "bucket/name" -> { data, meta }
  const sessions = new Map(); // id -> { bucket, name, meta, chunks, size }
  const uploads = new Map(); // XML API upload id -> { key, parts, sends }
  const tokens = new Set();
  const log = [];
  // faults.dropChunk = n: the n-th chunk of a session is half kept, then
  // answered with 503 (the client must ask what the session holds)
  const faults = {};
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const body = await readBody(req);
    const reply = (status, obj, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json',
        ...headers });
      res.end(obj === undefined ? '' : JSON.stringify(obj));
    };
    const err = (status, message) => reply(status,
      { error: { code: status, message } });
    log.push(`${req.method} ${url.pathname}${url.search}`);

    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(body.toString());
      if (form.get('grant_type') !==
          'urn:ietf:params:oauth:grant-type:jwt-bearer')
        return reply(400, { error: 'unsupported_grant_type' });
      const [h, c, s] = (form.get('assertion') || '').split('.');
      let header, claims;
      try {
        header = JSON.parse(Buffer.from(h, 'base64url'));
        claims = JSON.parse(Buffer.from(c, 'base64url'));
      } catch {
        return reply(400, { error: 'invalid_grant',
          error_description: 'malformed assertion' });
      }
      const ok = header.alg === 'RS256' && header.kid === 'kid-1' &&
        crypto.verify('sha256', Buffer.from(`${h}.${c}`), publicKey,
          Buffer.from(s, 'base64url'));
      const now = Date.now() / 1000;
      if (!ok)
        return reply(400, { error: 'invalid_grant',
          error_description: 'Invalid JWT Signature.' });
      if (claims.iss !== creds.client_email || claims.aud !== creds.token_uri ||
          !/devstorage/.test(claims.scope) || claims.exp < now ||
          claims.iat > now + 60)
        return reply(400, { error: 'invalid_grant',
          error_description: 'bad claims' });
      const t = crypto.randomBytes(16).toString('hex');
      tokens.add(t);
      return reply(200, { access_token: t, expires_in: 3600,
        token_type: 'Bearer' });
    }

    const m = url.pathname.match(/^\/upload\/storage\/v1\/b\/([^/]+)\/o$/);
    const g = url.pathname.match(/^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/);
    const auth = (req.headers.authorization || '').replace(/^Bearer /, '');
    if (g && req.method === 'GET') {
      const o = objects.get(`${g[1]}/${decodeURIComponent(g[2])}`);
      if (!o)
        return err(404, 'No such object');
      res.writeHead(200, { 'Content-Type': o.meta.contentType ||
        'application/octet-stream' });
      return res.end(o.data);
    }
    const x = !m && !g && url.pathname.match(/^\/([^/]+)\/(.+)$/);
    if (x)
      return xmlApi(req, res, url, body, x[1], decodeURIComponent(x[2]),
        auth);
    if (!m)
      return err(404, 'not found');
    const type = url.searchParams.get('uploadType');
    const id = url.searchParams.get('upload_id');
    if (id) {
      const sess = sessions.get(id);
      if (!sess)
        return err(404, 'no such upload session');
      const range = req.headers['content-range'] || '';
      let r;
      if ((r = range.match(/^bytes (\d+)-(\d+)\/(\d+|\*)$/))) {
        const first = +r[1];
        const last = +r[2];
        // chunks go on exactly where the session is
        if (last - first + 1 !== body.length || first !== sess.size)
          return err(400, `bad Content-Range ${range} at ${sess.size}`);
        if (r[3] === '*' && body.length % 262144)
          return err(400, 'chunk not a multiple of 256 KiB');
        sess.nChunks++;
        if (faults.dropChunk === sess.nChunks) {
          delete faults.dropChunk;
          const keep = Math.floor(body.length / 2 / 262144) * 262144;
          sess.chunks.push(body.subarray(0, keep));
          sess.size += keep;
          sess.dropped = (sess.dropped || 0) + 1;
          return err(503, 'Backend Error');
        }
        sess.chunks.push(body);
        sess.size = last + 1;
        if (r[3] === '*')
          return reply(308, undefined, { Range: `bytes=0-${sess.size - 1}` });
        if (+r[3] !== sess.size)
          return err(400, 'size mismatch');
      } else if (range === 'bytes */*') {
        sess.queries = (sess.queries || 0) + 1;
        return reply(308, undefined, sess.size ?
          { Range: `bytes=0-${sess.size - 1}` } : {});
      } else if ((r = range.match(/^bytes \*\/(\d+)$/))) {
        // the total is known: a status query while bytes are missing
        if (+r[1] > sess.size) {
          sess.queries = (sess.queries || 0) + 1;
          return reply(308, undefined, sess.size ?
            { Range: `bytes=0-${sess.size - 1}` } : {});
        }
        if (+r[1] !== sess.size)
          return err(400, 'size mismatch');
      } else {
        return err(400, `bad Content-Range ${range}`);
      }
      const data = Buffer.concat(sess.chunks);
      objects.set(`${sess.bucket}/${sess.name}`, { data, meta: sess.meta,
        chunks: sess.nChunks, type: 'resumable', dropped: sess.dropped || 0,
        queries: sess.queries || 0 });
      sessions.delete(id);
      return reply(200, { name: sess.name, bucket: sess.bucket,
        size: String(data.length) });
    }
    if (!tokens.has(auth))
      return err(401, 'Invalid Credentials');
    const name = url.searchParams.get('name');
    if (req.method === 'POST' && type === 'media') {
      objects.set(`${m[1]}/${name}`, { data: body, type: 'media',
        meta: { contentType: req.headers['content-type'] } });
      return reply(200, { name, bucket: m[1], size: String(body.length) });
    }
    if (req.method === 'POST' && type === 'resumable') {
      const meta = body.length ? JSON.parse(body) : {};
      const sid = crypto.randomBytes(8).toString('hex');
      sessions.set(sid, { bucket: m[1], name, meta, chunks: [], size: 0,
        nChunks: 0 });
      return reply(200, {}, { Location: `http://127.0.0.1:${port}` +
        `${url.pathname}?uploadType=resumable&name=` +
        `${encodeURIComponent(name)}&upload_id=${sid}` });
    }
    return err(400, 'unsupported upload');
  });

  // XML API multipart upload: initiate (?uploads), parts (?partNumber=N&
  // uploadId=ID, any order, a part number may be sent again), complete
  // (the list must be in part order with the ETags given), abort
  function xmlApi(req, res, url, body, bucket, name, auth) {
    const xml = (status, text, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/xml', ...headers });
      res.end(text);
    };
    const xerr = (status, code, message) => xml(status,
      `<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
    if (!tokens.has(auth))
      return xerr(401, 'AuthenticationRequired', 'Invalid Credentials');
    const key = `${bucket}/${name}`;
    if (req.method === 'POST' && url.searchParams.has('uploads')) {
      const id = crypto.randomBytes(8).toString('hex');
      const metadata = Object.fromEntries(Object.entries(req.headers)
        .filter(([k]) => k.startsWith('x-goog-meta-'))
        .map(([k, v]) => [k.slice(12), v]));
      uploads.set(id, { key, parts: new Map(), sends: {}, meta:
        { contentType: req.headers['content-type'], metadata } });
      return xml(200, '<InitiateMultipartUploadResult><Bucket>' +
        `${bucket}</Bucket><Key>${name}</Key><UploadId>${id}</UploadId>` +
        '</InitiateMultipartUploadResult>');
    }
    const up = uploads.get(url.searchParams.get('uploadId'));
    if (!up || up.key !== key)
      return xerr(404, 'NoSuchUpload', 'no such upload');
    if (req.method === 'PUT' && url.searchParams.has('partNumber')) {
      const n = +url.searchParams.get('partNumber');
      const etag = `"${crypto.createHash('md5').update(body)
        .digest('hex')}"`;
      up.parts.set(n, { data: body, etag });
      up.sends[n] = (up.sends[n] || 0) + 1;
      return xml(200, '', { ETag: etag });
    }
    if (req.method === 'POST') {
      const list = [...body.toString().matchAll(
        /<Part><PartNumber>(\d+)<\/PartNumber><ETag>([^<]*)<\/ETag><\/Part>/g)]
        .map(([, n, e]) => [+n, e]);
      for (let i = 0; i < list.length; i++) {
        const [n, e] = list[i];
        const part = up.parts.get(n);
        if (n !== i + 1 || !part || part.etag !== e)
          return xerr(400, 'InvalidPart', `part ${n} is not as listed`);
        if (i + 1 < list.length && part.data.length < 5 * 1024 * 1024)
          return xerr(400, 'EntityTooSmall', `part ${n} is too small`);
      }
      const data = Buffer.concat(list.map(([n]) => up.parts.get(n).data));
      objects.set(key, { data, type: 'multipart', parts: list.length,
        sends: up.sends, meta: up.meta });
      uploads.delete(url.searchParams.get('uploadId'));
      return xml(200, '<CompleteMultipartUploadResult><Bucket>' +
        `${bucket}</Bucket><Key>${name}</Key></CompleteMultipartUploadResult>`);
    }
    if (req.method === 'DELETE') {
      uploads.delete(url.searchParams.get('uploadId'));
      res.writeHead(204);
      return res.end();
    }
    return xerr(400, 'InvalidRequest', 'unsupported');
  }

  const port = await listen(server);
  const creds = {
    type: 'service_account',
    client_email: 'recorder@test-project.iam.gserviceaccount.com',
    private_key_id: 'kid-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    token_uri: `http://127.0.0.1:${port}/token`,
  };
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials: JSON.stringify(creds),
    // same account, a key the server does not know
    wrongCredentials: JSON.stringify({ ...creds, private_key:
      other.privateKey.export({ type: 'pkcs8', format: 'pem' }) }),
    objects,
    log,
    faults,
    stop: () => closeServer(server),
  };
}

// ---------------------------------------------------------------- OSS

export const OSS_ID = 'oss-test-id';
export const OSS_SECRET = 'oss-test-secret';

// The OSS V4 signature the fake expects (OSS4-HMAC-SHA256 in the
// Authorization header), or null when the header is not one.
function ossV4Expected(req, url) {
  const m = (req.headers.authorization || '').match(
    /^OSS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/oss\/aliyun_v4_request,Signature=[0-9a-f]{64}$/);
  const date = req.headers['x-oss-date'] || '';
  if (!m || !date.startsWith(m[2]))
    return null;
  const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const uri = enc(decodeURIComponent(url.pathname)).replace(/%2F/g, '/');
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => enc(k) + (v === '' ? '' : `=${enc(v)}`)).sort()
    .join('&');
  const headers = Object.keys(req.headers).filter((h) =>
    h.startsWith('x-oss-') || h === 'content-type' || h === 'content-md5')
    .sort().map((h) => `${h}:${req.headers[h].trim()}\n`).join('');
  const creq = [req.method, uri, query, headers, '',
    req.headers['x-oss-content-sha256'] || 'UNSIGNED-PAYLOAD'].join('\n');
  const scope = `${m[2]}/${m[3]}/oss/aliyun_v4_request`;
  const sts = ['OSS4-HMAC-SHA256', date, scope,
    crypto.createHash('sha256').update(creq).digest('hex')].join('\n');
  let key = Buffer.from(`aliyun_v4${OSS_SECRET}`);
  for (const part of [m[2], m[3], 'oss', 'aliyun_v4_request'])
    key = crypto.createHmac('sha256', key).update(part).digest();
  return `OSS4-HMAC-SHA256 Credential=${OSS_ID}/${scope},Signature=` +
    crypto.createHmac('sha256', key).update(sts).digest('hex');
}

// An OSS fake (path-style) that checks V1 and V4 signatures, for PutObject
// and multipart uploads; each object says which signature it came with.
export async function startOssFake() {
  const objects = new Map();
  const uploads = new Map();
  const log = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const body = await readBody(req);
    const xml = (status, s, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/xml', ...headers });
      res.end(s);
    };
    const error = (status, code, msg) => xml(status,
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code>` +
      `<Message>${msg}</Message></Error>`);
    log.push(`${req.method} ${url.pathname}${url.search}`);
    const oss = Object.keys(req.headers).filter((h) => h.startsWith('x-oss-'))
      .sort().map((h) => `${h}:${req.headers[h].trim()}\n`).join('');
    const sub = [...url.searchParams.entries()]
      .filter(([k]) => ['uploads', 'uploadId', 'partNumber'].includes(k))
      .map(([k, v]) => (v === '' ? k : `${k}=${v}`)).sort();
    const resource = decodeURIComponent(url.pathname) +
      (sub.length ? `?${sub.join('&')}` : '');
    const sts = `${req.method}\n${req.headers['content-md5'] || ''}\n` +
      `${req.headers['content-type'] || ''}\n${req.headers.date || ''}\n` +
      `${oss}${resource}`;
    const v4 = ossV4Expected(req, url);
    const want = v4 || `OSS ${OSS_ID}:` + crypto.createHmac('sha1',
      OSS_SECRET).update(sts).digest('base64');
    const sig = v4 ? 'v4' : 'v1';
    if (req.headers.authorization !== want)
      return error(403, 'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature ' +
        'you provided.');
    const key = decodeURIComponent(url.pathname.slice(1));
    if (req.method === 'PUT' && !url.searchParams.has('uploadId')) {
      objects.set(key, { data: body, type: 'put', sig });
      return xml(200, '', { ETag: `"${crypto.createHash('md5').update(body)
        .digest('hex')}"` });
    }
    if (req.method === 'POST' && url.searchParams.has('uploads')) {
      const id = crypto.randomBytes(8).toString('hex').toUpperCase();
      uploads.set(id, new Map());
      return xml(200, `<InitiateMultipartUploadResult><UploadId>${id}` +
        '</UploadId></InitiateMultipartUploadResult>');
    }
    const up = uploads.get(url.searchParams.get('uploadId'));
    if (req.method === 'PUT' && up) {
      const n = +url.searchParams.get('partNumber');
      const etag = `"${crypto.createHash('md5').update(body).digest('hex')}"`;
      up.set(n, { data: body, etag });
      return xml(200, '', { ETag: etag });
    }
    if (req.method === 'POST' && up) {
      const parts = [...body.toString().matchAll(
        /<PartNumber>(\d+)<\/PartNumber><ETag>([^<]+)<\/ETag>/g)];
      const bufs = [];
      for (const [, n, etag] of parts) {
        const p = up.get(+n);
        if (!p || p.etag !== etag.replace(/&quot;/g, '"'))
          return error(400, 'InvalidPart', `part ${n}`);
        if (+n < parts.length && p.data.length < 100 * 1024)
          return error(400, 'EntityTooSmall', `part ${n}`);
        bufs.push(p.data);
      }
      objects.set(key, { data: Buffer.concat(bufs), type: 'multipart',
        parts: parts.length, sig });
      uploads.delete(url.searchParams.get('uploadId'));
      return xml(200, '<CompleteMultipartUploadResult/>');
    }
    if (req.method === 'DELETE' && up) {
      uploads.delete(url.searchParams.get('uploadId'));
      res.writeHead(204);
      return res.end();
    }
    return error(400, 'InvalidRequest', 'unsupported');
  });
  const port = await listen(server);
  return { endpoint: `http://127.0.0.1:${port}`, objects, log,
    stop: () => closeServer(server) };
}

// ---------------------------------------------------------------- flaky

// cloudstorage-flaky.mjs in a child process (so it can be killed): an
// S3-like server that accepts the first `accept` parts, then refuses with
// 503 (mode "refuse") or keeps accepting (mode "ok").
export async function startFlaky(accept, mode) {
  const proc = spawn(process.execPath, [path.join(here,
    'cloudstorage-flaky.mjs'), String(accept), mode],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  const waiters = [];
  let buf = '';
  proc.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      waiters.filter((w) => w.re.test(line)).forEach((w) => w.resolve(line));
    }
  });
  const waitLine = (re) => new Promise((resolve) => {
    const l = lines.find((x) => re.test(x));
    if (l)
      resolve(l);
    else
      waiters.push({ re, resolve });
  });
  const ready = await waitLine(/^ready \d+/);
  return {
    endpoint: `http://127.0.0.1:${ready.split(' ')[1]}`,
    lines,
    waitLine,
    kill: () => new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null)
        return resolve();
      proc.once('exit', resolve);
      proc.kill('SIGKILL');
    }),
  };
}

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

// An S3-like server on 127.0.0.1 for failure injection (no auth checks):
// multipart uploads whose first ACCEPT parts succeed; then, in mode
// "refuse", every request gets 503, in mode "hang" no request gets an
// answer (the test kills the server then).  Prints "ready PORT" and one
// line per request ("part N ok", "refused ...", "holding ...").
//   node cloudstorage-flaky.mjs ACCEPT refuse|hang|ok

import http from 'node:http';

const accept = Number(process.argv[2] || 1);
const mode = process.argv[3] || 'refuse';
let parts = 0;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://x');
    if (mode === 'refuse' && parts >= accept) {
      console.log(`refused ${req.method} ${url.pathname}`);
      res.writeHead(503, { 'Content-Type': 'application/xml' });
      return res.end('<Error><Code>SlowDown</Code><Message>Please reduce ' +
        'your request rate.</Message></Error>');
    }
    if (mode === 'hang' && parts >= accept) {
      console.log(`holding ${req.method} ${url.pathname}`);
      return;
    }
    if (req.method === 'POST' && url.searchParams.has('uploads')) {
      console.log('initiate');
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      return res.end('<InitiateMultipartUploadResult><UploadId>U1' +
        '</UploadId></InitiateMultipartUploadResult>');
    }
    if (req.method === 'PUT' && url.searchParams.has('partNumber')) {
      parts++;
      console.log(`part ${url.searchParams.get('partNumber')} ok`);
      res.writeHead(200, { ETag: `"etag${parts}"` });
      return res.end();
    }
    console.log(`other ${req.method} ${url.pathname}`);
    res.writeHead(200, { 'Content-Type': 'application/xml' });
    res.end('<CompleteMultipartUploadResult/>');
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`ready ${server.address().port}`);
});

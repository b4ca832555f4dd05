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
// Boston, MA 02110-1301, USA.

// The demo (scripts/demo.sh): the bundled LiveKit test server, two
// synthetic publishers, and livekitroomsrc + egresscompositor recording
// their room for 10 s into one MP4, as LiveKit's room composite does (the
// grid layout with names, both microphones mixed, 1280x720 H.264 + AAC).
// Prints the file's path.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const top = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startServer, admin, sleep, KEY, SECRET } = await import(
  path.join(top, 'tests', 'livekit-server', 'testlib.mjs'));

const seconds = Number(process.env.DEMO_SECONDS || 10);
const out = path.resolve(process.env.DEMO_OUTPUT ||
  `demo-room-${new Date().toISOString().replace(/[:.]/g, '-')}.mp4`);
const room = 'demo';

const server = await startServer();
let code = 1;
try {
  for (const identity of ['alice', 'bob']) {
    await admin(server, 'POST', `/rooms/${room}/participants`, {
      identity,
      tracks: [{ codec: 'vp8', width: 640, height: 360 }, { codec: 'opus' }],
    });
  }
  // the room composite: egresscompositor's grid (LiveKit's default
  // layout), names from the pads, the microphones mixed
  const pipeline = [
    'livekitroomsrc', `url=${server.url}`, `api-key=${KEY}`,
    `api-secret=${SECRET}`, `room=${room}`, 'local-address=127.0.0.1',
    'name=s',
    'egresscompositor', 'name=c', 'layout=grid', 'width=1280', 'height=720',
    'framerate=25/1',
    'c.video', '!', 'queue', '!',
    'x264enc', 'speed-preset=ultrafast', 'tune=zerolatency', 'threads=1',
    'key-int-max=50', '!', 'queue', '!', 'mp4mux', 'name=m', '!', 'filesink',
    `location=${out}`,
    'c.audio', '!', 'queue', '!', 'audioconvert', '!', 'avenc_aac', '!',
    'aacparse', '!', 'queue', '!', 'm.',
    's.', '!', 'c.', 's.', '!', 'c.', 's.', '!', 'c.', 's.', '!', 'c.',
  ];
  console.log(`demo: recording room '${room}' of ${server.url} for ` +
    `${seconds} s`);
  const proc = spawn('gst-launch-1.0', ['-e', ...pipeline],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  const done = new Promise((resolve) => proc.on('exit', resolve));
  await sleep(seconds * 1000 + 1500);
  // closing the room ends every pad with EOS, which finalizes the MP4
  await admin(server, 'DELETE', `/rooms/${room}`);
  code = await done;
  if (code === 0)
    console.log(out);
  else
    console.error(`demo: gst-launch-1.0 failed (exit ${code})`);
} finally {
  await server.stop();
}
process.exit(code === 0 ? 0 : 1);

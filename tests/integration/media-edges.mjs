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

// The test server's synthetic content, as found in a recorded file: a white
// box in the top-left corner during the first half of every second, and a
// beep at the start of every second.  Used by the integration tests and by
// benchmarks/livekitsrc-sync.mjs.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Rising edges (s) of the white box (kind 'video') or of the beeps (kind
// 'audio') in stream `spec` of `file` (an ffmpeg stream specifier: '0:v:0',
// '0:a:1', '0:3').  `dir` takes the analysis files.
export function edges(file, spec, kind, dir) {
  const out = path.join(dir, `edges-${spec.replace(/:/g, '_')}.txt`);
  const filter = kind === 'video'
    ? 'crop=iw/8:ih/8:0:0,signalstats,' +
      `metadata=print:key=lavfi.signalstats.YAVG:file=${out}`
    : 'asetnsamples=n=240,astats=metadata=1:reset=1,' +
      `ametadata=print:key=lavfi.astats.Overall.RMS_level:file=${out}`;
  execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', spec,
    kind === 'video' ? '-vf' : '-af', filter, '-f', 'null', '-'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  const key = kind === 'video' ? 'YAVG' : 'RMS_level';
  const threshold = kind === 'video' ? 100 : -30;
  const found = [];
  // a file that starts inside a flash or a beep has no edge there
  let t = null, prev = null;
  for (const line of fs.readFileSync(out, 'utf8').split('\n')) {
    const m = line.match(/pts_time:([\d.]+)/);
    if (m) {
      t = Number(m[1]);
      continue;
    }
    const v = line.match(new RegExp(`${key}=(\\S+)`));
    if (v && t !== null) {
      const level = v[1] === '-inf' ? -Infinity : Number(v[1]);
      if (prev !== null && level > threshold && prev <= threshold)
        found.push(t);
      prev = level;
    }
  }
  return found;
}

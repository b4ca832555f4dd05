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

// Compares libgstlivekit's schema subset, as compiled into the library
// (the JSON dump written by schema-check), with the descriptors of the
// pinned @livekit/protocol package: every message and enum of ours must
// exist there with the same fields (name, number, type, type name,
// repeated, map key/value, oneof membership) and values (name, number),
// and the subset must hold every type reachable from extract.mjs's roots.
//
//   node compare.mjs DUMP.json

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { closure, ROOTS } = await import(path.join(here, '..', '..', '..', '..',
  'gst-libs', 'gst', 'livekit', 'proto', 'extract.mjs'));

const SCALAR = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32',
  6: 'fixed64', 7: 'fixed32', 8: 'bool', 9: 'string', 12: 'bytes',
  13: 'uint32', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64',
};

function typeOf(v) {
  if (v.kind === 'scalar')
    return { type: SCALAR[v.T] };
  return { type: v.kind, typeName: '.' + v.T.typeName };
}

// The official descriptors in the shape of schema-check's dump.
function officialMessage(m) {
  const fields = m.fields.list();
  return fields.map((f) => {
    const out = { name: f.name, number: f.no };
    if (f.kind === 'map') {
      Object.assign(out, { type: 'map', key: SCALAR[f.K], value: typeOf(f.V) });
    } else {
      Object.assign(out, typeOf(f), { repeated: !!f.repeated });
    }
    if (f.opt)
      out.oneof = [f.name];
    else if (f.oneof)
      out.oneof = fields.filter((g) => g.oneof === f.oneof).map((g) => g.name);
    return out;
  });
}

function describe(f) {
  if (!f)
    return 'absent';
  let s = f.type === 'map' ? `map<${f.key}, ${f.value.typeName || f.value.type}>`
    : (f.repeated ? 'repeated ' : '') + (f.typeName || f.type);
  s += ` ${f.name} = ${f.number}`;
  if (f.oneof)
    s += ` in oneof {${[...f.oneof].sort().join(', ')}}`;
  return s;
}

const ours = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const official = await closure();
const errors = [];

const ourMessages = new Map(ours.messages.map((m) => [m.name, m]));
const ourEnums = new Map(ours.enums.map((e) => [e.name, e]));

for (const m of ours.messages) {
  const o = official.get(m.name);
  if (!o || o.kind !== 'message') {
    errors.push(`${m.name}: no such message in @livekit/protocol`);
    continue;
  }
  const theirs = new Map(officialMessage(o.type).map((f) => [f.number, f]));
  const mine = new Map(m.fields.map((f) => [f.number, f]));
  for (const n of new Set([...theirs.keys(), ...mine.keys()])) {
    const a = mine.get(n), b = theirs.get(n);
    if (describe(a) !== describe(b)) {
      const field = (a || b).name;
      errors.push(`${m.name}.${field}: ours is ${describe(a)}, ` +
        `official is ${describe(b)}`);
    }
  }
}

for (const e of ours.enums) {
  const o = official.get(e.name);
  if (!o || o.kind !== 'enum') {
    errors.push(`${e.name}: no such enum in @livekit/protocol`);
    continue;
  }
  const theirs = new Map(o.type.values.map((v) => [v.no, v.name]));
  const mine = new Map(e.values.map((v) => [v.number, v.name]));
  for (const n of new Set([...theirs.keys(), ...mine.keys()])) {
    if (mine.get(n) !== theirs.get(n))
      errors.push(`${e.name} value ${n}: ours is ${mine.get(n) || 'absent'}, ` +
        `official is ${theirs.get(n) || 'absent'}`);
  }
}

for (const [name, t] of official) {
  const have = t.kind === 'message' ? ourMessages.has(name) : ourEnums.has(name);
  if (!have)
    errors.push(`${name}: ${t.kind} missing from our schema ` +
      `(reachable from ${ROOTS.length} roots)`);
}

const nTypes = ours.messages.length + ours.enums.length;
const nFields = ours.messages.reduce((n, m) => n + m.fields.length, 0);
if (errors.length) {
  for (const e of errors)
    console.log(`MISMATCH ${e}`);
  console.log(`schema: ${errors.length} difference(s) with @livekit/protocol`);
  process.exit(1);
}
console.log(`schema: ${ours.messages.length} messages, ${ours.enums.length} ` +
  `enums, ${nFields} fields: all equal to @livekit/protocol (${nTypes} types)`);

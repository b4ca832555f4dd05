// SPDX-License-Identifier: LGPL-2.1-or-later
// gst-egress LiveKit-compatible test server: logging to stderr.
//
// Levels: error, warn, info, debug.  Signal messages are logged at debug.
// LIVEKIT_SERVER_LOG or --log-level selects the level (default info).

const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 };
let current = LEVELS[process.env.LIVEKIT_SERVER_LOG] ?? LEVELS.info;

export function setLogLevel (name) {
  if (!(name in LEVELS))
    throw new Error(`unknown log level "${name}" (error, warn, info, debug)`);
  current = LEVELS[name];
}

export function debugEnabled () {
  return current >= LEVELS.debug;
}

function emit (level, args) {
  if (LEVELS[level] > current)
    return;
  const t = new Date().toISOString().slice(11, 23);
  process.stderr.write(`${t} ${level.toUpperCase().padEnd(5)} ` +
      args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))
        .join(' ') + '\n');
}

export const log = {
  error: (...a) => emit('error', a),
  warn: (...a) => emit('warn', a),
  info: (...a) => emit('info', a),
  debug: (...a) => emit('debug', a),
};

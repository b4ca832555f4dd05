#!/usr/bin/env bash
# CPU and peak RSS of livekittracksrc / livekitroomsrc passthrough against a
# plain webrtcbin (benchmarks/livekitsrc.mjs).  Usage: [SECONDS]
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${BUILDDIR:-$top/build}
export GST_PLUGIN_PATH_1_0="$builddir"
export GST_EGRESS_BUILD_ROOT="$builddir"
export NODE_PATH="$top/tests/node_modules"
exec node "$top/benchmarks/livekitsrc.mjs" "$@"

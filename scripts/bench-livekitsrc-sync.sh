#!/usr/bin/env bash
# Lip sync and participant alignment of livekitroomsrc over a long
# recording (benchmarks/livekitsrc-sync.mjs).  Usage: [MINUTES] (default 10)
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${BUILDDIR:-$top/build}
export GST_PLUGIN_PATH_1_0="$builddir"
export GST_REGISTRY_1_0="$builddir/bench-registry.bin"
export GST_EGRESS_BUILD_ROOT="$builddir"
export NODE_PATH="$top/tests/node_modules"
exec node "$top/benchmarks/livekitsrc-sync.mjs" "$@"

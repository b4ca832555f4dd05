#!/usr/bin/env bash
# gst-egress demo: the main job on embedded defaults.  Starts the bundled
# LiveKit test server with two synthetic publishers and records 10 s of
# their room to an MP4 in the working directory, then prints its path.
#   DEMO_SECONDS=N   record N seconds instead
#   DEMO_OUTPUT=F    write F instead of demo-room-<time>.mp4
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${BUILDDIR:-$top/build}

export GST_PLUGIN_PATH_1_0="$builddir${GST_PLUGIN_PATH_1_0:+:$GST_PLUGIN_PATH_1_0}"
# a registry of the demo's own: another checkout with other plugin paths
# rewriting the user's registry at the same time cannot disturb it
export GST_REGISTRY_1_0="${GST_REGISTRY_1_0:-$builddir/demo-registry.bin}"
export NODE_PATH="$top/tests/node_modules"
if ! gst-inspect-1.0 livekitroomsrc >/dev/null 2>&1; then
  echo "demo: livekitroomsrc is not built: run scripts/setup.sh first" >&2
  exit 1
fi
exec node "$top/scripts/demo.mjs"

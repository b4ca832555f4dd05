#!/usr/bin/env bash
# gst-egress demo: the main job on embedded defaults (the bundled LiveKit
# test server, local storage).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${BUILDDIR:-$top/build}

if ! GST_PLUGIN_PATH="$builddir" gst-inspect-1.0 livekitroomsrc >/dev/null 2>&1; then
  cat <<MSG
demo: livekitroomsrc is not built yet, so there is nothing to record.
demo: once it is, this script starts tests/livekit-server with two synthetic
demo: publishers and records a 10-second room composite to an MP4 in $(pwd).
MSG
  exit 0
fi
echo "demo: livekitroomsrc present but the demo pipeline has not landed yet"

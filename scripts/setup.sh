#!/usr/bin/env bash
# gst-egress: install everything the project and its tests need, then
# configure and build.  Idempotent: a second run only checks and rebuilds.
#
#   scripts/setup.sh            install + configure + build (build dir: build/)
#   BUILDDIR=b scripts/setup.sh use another build directory
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
builddir=${BUILDDIR:-build}

# Debian 12 packages: build dependencies, GStreamer plugins used at run
# time, and the real peers the tests start on 127.0.0.1.
apt_packages=(
  build-essential meson ninja-build pkg-config clang libclang-rt-14-dev valgrind
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-nice
  gstreamer1.0-tools gstreamer1.0-x gstreamer1.0-pulseaudio gstreamer1.0-gl
  libsoup-3.0-dev libjson-glib-dev libcurl4-openssl-dev libssl-dev libnice-dev
  protobuf-c-compiler libprotobuf-c-dev libyaml-dev libhiredis-dev
  redis-server nginx-light libnginx-mod-rtmp srt-tools ffmpeg coturn
  libpango1.0-dev libcairo2-dev
  chromium xvfb pulseaudio pulseaudio-utils xdotool x11-utils
  fonts-dejavu-core time ca-certificates openssl
)

if ! command -v node >/dev/null 2>&1; then
  apt_packages+=(nodejs npm)
fi

missing=()
for p in "${apt_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: Debian packages present"
fi

# npm packages for the test peers, pinned by tests/package-lock.json.
# Reinstalled only when the lock file changes.
stamp=tests/node_modules/.gst-egress-lock.sha256
want=$(sha256sum tests/package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages (tests/package-lock.json)"
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
else
  echo "setup: npm packages present"
fi

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" --buildtype=debugoptimized
else
  meson setup --reconfigure "$builddir" >/dev/null
fi
meson compile -C "$builddir"
echo "setup: built in $builddir/"

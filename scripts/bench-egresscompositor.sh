#!/usr/bin/env bash
# CPU (cores used) and peak RSS of a 720p30 room layout of four 640x360
# moving inputs encoded with x264enc speed-preset=veryfast:
#   1. egresscompositor (grid, labels)
#   2. the same grid from a plain compositor pipeline
# and first the pieces on their own (inputs, compositor, egresscompositor,
# x264enc; DECOMPOSE=0 skips them), to show where the cost goes
#   3. (BENCH_CHROMIUM=1) Chromium in Xvfb showing four playing videos in an
#      HTML grid, captured with ximagesrc and encoded the same way
# Usage: scripts/bench-egresscompositor.sh [SECONDS]   (default 20)
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${BUILDDIR:-$top/build}
export GST_PLUGIN_PATH_1_0="$builddir"
secs=${1:-20}
frames=$((secs * 30))
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}" $(pgrep -f -- "--user-data-dir=$work/profile" || true); do
    kill "$p" 2>/dev/null || true
  done
  sleep 1
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT

input() {   # $1: pad or sink name, $2: pattern
  echo "videotestsrc is-live=true num-buffers=$frames pattern=$2 \
horizontal-speed=3 ! video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! $1"
}
encode="x264enc speed-preset=veryfast ! fakesink"

# runs gst-launch under GNU time: prints "cores rss_mb"
measure() {
  /usr/bin/time -f "%U %S %e %M" -o "$work/time" gst-launch-1.0 -q -e "$@" \
    >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  tail -n 1 "$work/time" \
    | awk '{ printf "%.2f %.0f\n", ($1 + $2) / $3, $4 / 1024 }'
}

# the same for a pipeline without an end: $1 seconds, then Ctrl-C (EOS)
measure_for() {
  local t=$1
  shift
  /usr/bin/time -f "%U %S %e %M" -o "$work/time" timeout -s INT "$t" \
    gst-launch-1.0 -q -e "$@" >/dev/null 2>"$work/err"
  tail -n 1 "$work/time" \
    | awk '{ printf "%.2f %.0f\n", ($1 + $2) / $3, $4 / 1024 }'
}

report() {  # $1 label, $2 "cores rss"
  read -r cores rss <<<"$2"
  printf '%-52s %5s cores  %5s MiB peak RSS\n' "$1" "$cores" "$rss"
}

# load the registry once, so no run pays for a plugin scan
gst-inspect-1.0 egresscompositor >/dev/null

echo "720p30, 4 inputs of 640x360 (moving test pattern), x264enc veryfast, ${secs} s"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"

# the same cells as egresscompositor's grid at 1280x720
cells="sink_0::xpos=14 sink_0::ypos=8 sink_0::width=618 sink_0::height=348 \
  sink_1::xpos=648 sink_1::ypos=8 sink_1::width=618 sink_1::height=348 \
  sink_2::xpos=14 sink_2::ypos=364 sink_2::width=618 sink_2::height=348 \
  sink_3::xpos=648 sink_3::ypos=364 sink_3::width=618 sink_3::height=348"
unscaled="sink_1::xpos=640 sink_2::ypos=360 sink_3::xpos=640 sink_3::ypos=360"
out720="video/x-raw,format=I420,width=1280,height=720,framerate=30/1"
inputs4() {  # $1: prefix of the four pads (m.sink_ or c.video_), or fakesink
  for i in 0 1 2 3; do
    if [ "$1" = fakesink ]; then input fakesink ball; else input "$1$i" ball; fi
  done
}

# the pieces, each on its own (DECOMPOSE=0 skips them)
if [ "${DECOMPOSE:-1}" = 1 ]; then
  echo "pieces:"
  report "  a. the 4 inputs alone (-> fakesink)" "$(measure $(inputs4 fakesink))"
  report "  b. plain compositor, scaled cells (-> fakesink)" \
    "$(measure compositor name=m background=black $cells ! $out720 \
      ! fakesink $(inputs4 m.sink_))"
  report "  c. plain compositor, unscaled 640x360 (-> fakesink)" \
    "$(measure compositor name=m background=black $unscaled ! $out720 \
      ! fakesink $(inputs4 m.sink_))"
  report "  d. egresscompositor grid (-> fakesink)" \
    "$(measure egresscompositor name=c c.video ! fakesink c.audio ! fakesink \
      $(inputs4 c.video_))"
  report "  e. egresscompositor, no inputs" \
    "$(measure_for "$secs" egresscompositor name=c c.video ! fakesink \
      c.audio ! fakesink)"
  report "  f. one 1280x720 moving input alone" \
    "$(measure videotestsrc is-live=true num-buffers=$frames pattern=ball \
      horizontal-speed=3 ! $out720 ! fakesink)"
  report "  g. one 1280x720 moving input + x264enc" \
    "$(measure videotestsrc is-live=true num-buffers=$frames pattern=ball \
      horizontal-speed=3 ! $out720 ! queue ! $encode)"
  echo "whole pipelines:"
fi

ec=$(measure egresscompositor name=c layout=grid \
  c.video ! queue ! $encode c.audio ! fakesink $(inputs4 c.video_))
report "egresscompositor grid + x264enc" "$ec"

pc=$(measure compositor name=m background=black $cells ! $out720 \
  ! queue ! $encode $(inputs4 m.sink_))
report "plain compositor grid + x264enc" "$pc"

awk -v a="${ec%% *}" -v b="${pc%% *}" \
  'BEGIN { printf "egresscompositor / plain compositor: %.2fx\n", a / b }'

if [ "${BENCH_CHROMIUM:-0}" = 1 ] && command -v chromium >/dev/null \
    && command -v Xvfb >/dev/null; then
  # four 640x360 clips, an HTML grid, Chromium kiosk in Xvfb, ximagesrc
  for i in 0 1 2 3; do
    gst-launch-1.0 -q -e videotestsrc num-buffers=300 pattern=ball \
      horizontal-speed=3 ! video/x-raw,width=640,height=360,framerate=30/1 \
      ! vp8enc deadline=1 ! webmmux ! filesink location="$work/v$i.webm" \
      >/dev/null
  done
  {
    echo '<html><body style="margin:0;background:black;overflow:hidden">'
    echo '<div style="display:grid;grid-template-columns:1fr 1fr;gap:8px;padding:8px;height:704px">'
    for i in 0 1 2 3; do
      echo "<video src=\"v$i.webm\" autoplay loop muted style=\"width:100%;height:100%;object-fit:contain\"></video>"
    done
    echo '</div></body></html>'
  } >"$work/grid.html"
  disp=:$((90 + RANDOM % 9))
  Xvfb "$disp" -screen 0 1280x720x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  sleep 1
  DISPLAY=$disp chromium --no-sandbox --kiosk --no-first-run --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync \
    --autoplay-policy=no-user-gesture-required --allow-file-access-from-files \
    --user-data-dir="$work/profile" --window-position=0,0 \
    --window-size=1280,720 "file://$work/grid.html" >/dev/null 2>&1 &
  cpid=$!
  pids+=($cpid)
  sleep 8
  # CPU of every Chromium process over the capture, plus the capture itself
  hz=$(getconf CLK_TCK)
  cpids() { pgrep -f -- "--user-data-dir=$work/profile" || true; }
  ctime() {   # CPU seconds of all Chromium processes
    for p in $(cpids); do cat "/proc/$p/stat" 2>/dev/null; done \
      | awk -v hz="$hz" '{ sub(/^.*\) /, ""); s += $12 + $13 } END { print s / hz }'
  }
  crss() {
    for p in $(cpids); do grep VmRSS "/proc/$p/status" 2>/dev/null; done \
      | awk '{ s += $2 } END { print int(s / 1024) }'
  }
  c0=$(ctime)
  t0=$(date +%s.%N)
  cap=$(measure ximagesrc display-name="$disp" use-damage=false \
    show-pointer=false num-buffers="$frames" \
    ! video/x-raw,framerate=30/1 ! videoconvert \
    ! video/x-raw,format=I420 ! queue ! $encode)
  t1=$(date +%s.%N)
  c1=$(ctime)
  rss=$(crss)
  read -r capcores caprss <<<"$cap"
  total=$(awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" -v c="$capcores" \
    'BEGIN { printf "%.2f", (b - a) / (e - s) + c }')
  report "Chromium grid + ximagesrc + x264enc" "$total $((rss + caprss))"
  echo "  (Chromium alone: $(awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" \
    'BEGIN { printf "%.2f", (b - a) / (e - s) }') cores, ${rss} MiB summed RSS)"
fi

#!/usr/bin/env bash
# cloudstoragesink against `curl -T` uploading the same file to s3rver on
# 127.0.0.1: wall time of each, their ratio, and the peak RSS of both
# processes.  Usage: scripts/bench-cloudstoragesink.sh [MEGABYTES] (500)
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${BUILDDIR:-$top/build}
mb=${1:-500}
export GST_PLUGIN_PATH_1_0="$builddir"
export NODE_PATH="$top/tests/node_modules"
export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1

work=$(mktemp -d /tmp/bench-cloudstorage-XXXXXX)
s3pid=
cleanup() {
  [ -n "$s3pid" ] && kill "$s3pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

head -c $((mb * 1000 * 1000)) /dev/urandom > "$work/in.bin"
mkdir -p "$work/s3"
node --input-type=module -e "
  const p = await import('$top/tests/integration/cloudstorage-peers.mjs');
  const s = await p.startS3rver('$work/s3');
  console.log(s.url);
  process.stdin.resume();
" > "$work/url" < /dev/zero &
s3pid=$!
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.2; done
url=$(cat "$work/url")

# seconds and peak RSS (KiB) of a command, from GNU time
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/out" 2>&1 || {
    cat "$work/out"; exit 1; }
  cat "$work/time"
}

read -r curl_s curl_kb < <(measure curl -sS --fail --aws-sigv4 \
  aws:amz:us-east-1:s3 --user S3RVER:S3RVER \
  -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T "$work/in.bin" \
  "$url/rec/curl.bin")
read -r sink_s sink_kb < <(measure gst-launch-1.0 -q filesrc \
  location="$work/in.bin" blocksize=65536 ! cloudstoragesink \
  location=s3://rec/sink.bin endpoint="$url" access-key=S3RVER \
  secret-key=S3RVER spool-dir="$work/spool")
# the same bytes in one PUT (part-size above the file size): what the
# multipart protocol costs on this server
read -r one_s one_kb < <(measure gst-launch-1.0 -q filesrc \
  location="$work/in.bin" blocksize=65536 ! cloudstoragesink \
  location=s3://rec/one.bin endpoint="$url" access-key=S3RVER \
  secret-key=S3RVER part-size=$(((mb + 1) * 1000 * 1000)) \
  spool-dir="$work/spool")
read -r file_s file_kb < <(measure gst-launch-1.0 -q filesrc \
  location="$work/in.bin" blocksize=65536 ! filesink \
  location="$work/copy.bin")

stored=$(find "$work/s3/rec" -name 'sink.bin._S3rver_object' -printf '%s')
[ "$stored" = "$(stat -c %s "$work/in.bin")" ] || {
  echo "bench: the uploaded object has $stored bytes"; exit 1; }

echo "cloudstoragesink benchmark: ${mb} MB to s3rver on 127.0.0.1"
printf '%-36s %8s %12s\n' "" "seconds" "peak RSS MB"
printf '%-36s %8s %12.1f\n' "curl -T (one PUT)" "$curl_s" \
  "$(echo "$curl_kb / 1024" | bc -l)"
printf '%-36s %8s %12.1f\n' "cloudstoragesink (8 MiB parts)" "$sink_s" \
  "$(echo "$sink_kb / 1024" | bc -l)"
printf '%-36s %8s %12.1f\n' "cloudstoragesink (one PUT)" "$one_s" \
  "$(echo "$one_kb / 1024" | bc -l)"
printf '%-36s %8s %12.1f\n' "filesrc ! filesink (local copy)" "$file_s" \
  "$(echo "$file_kb / 1024" | bc -l)"
printf 'time ratio cloudstoragesink / curl: %.2f\n' \
  "$(echo "$sink_s / $curl_s" | bc -l)"

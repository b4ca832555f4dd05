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
  [ -n "${KEEP:-}" ] || rm -rf "$work"
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

# curl's own multipart upload of the same bytes in 8 MiB parts, 4 at a
# time (one curl per part, then CompleteMultipartUpload): what s3rver's
# multipart protocol costs (it writes every part, then reads them all
# again to assemble the object)
mkdir -p "$work/parts"
split -b 8388608 -d -a 4 "$work/in.bin" "$work/parts/p."
cat > "$work/multipart.sh" <<'EOS'
set -euo pipefail
url=$1 dir=$2 key=$3 n=$4
A=(-sS --fail --aws-sigv4 aws:amz:us-east-1:s3 --user S3RVER:S3RVER
  -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD')
id=$(curl "${A[@]}" -X POST "$url/rec/$key?uploads=" \
  | sed -n 's:.*<UploadId>\(.*\)</UploadId>.*:\1:p')
export url dir key id
parts=$(find "$dir" -name 'p.*' | wc -l)
seq 1 "$parts" | xargs -P "$n" -I{} bash -c '
  f=$(printf "%s/p.%04d" "$dir" $(({} - 1)))
  curl -sS --fail --aws-sigv4 aws:amz:us-east-1:s3 --user S3RVER:S3RVER \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -D "$dir/h.{}" \
    -o /dev/null -T "$f" "$url/rec/$key?partNumber={}&uploadId=$id"'
xml="<CompleteMultipartUpload>"
for i in $(seq 1 "$parts"); do
  etag=$(tr -d '\r' < "$dir/h.$i" | awk -F': ' 'tolower($1)=="etag"{print $2}')
  xml="$xml<Part><PartNumber>$i</PartNumber><ETag>$etag</ETag></Part>"
done
curl "${A[@]}" -o /dev/null -X POST -H 'Content-Type: application/xml' \
  --data-binary "$xml</CompleteMultipartUpload>" "$url/rec/$key?uploadId=$id"
EOS

read -r curl_s curl_kb < <(measure curl -sS --fail --aws-sigv4 \
  aws:amz:us-east-1:s3 --user S3RVER:S3RVER \
  -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T "$work/in.bin" \
  "$url/rec/curl.bin")
read -r cmp_s cmp_kb < <(measure bash "$work/multipart.sh" "$url" \
  "$work/parts" curl-mp.bin 4)
rm -rf "$work/parts"

sink=(gst-launch-1.0 -q filesrc location="$work/in.bin" blocksize=65536
  ! cloudstoragesink endpoint="$url" access-key=S3RVER secret-key=S3RVER
  spool-dir="$work/spool")
# the default: 8 MiB parts, 4 at a time; the request log gives the time
# s3rver takes to complete (assemble) the upload
export GST_DEBUG=cloudstoragetarget:6 GST_DEBUG_NO_COLOR=1
read -r sink_s sink_kb < <(measure "${sink[@]}" location=s3://rec/sink.bin)
complete_s=$(sed -n 's/.*POST .*bytes, HTTP 200 in \([0-9.]*\) s$/\1/p' \
  "$work/out" | tail -1)
unset GST_DEBUG
read -r seq_s seq_kb < <(measure "${sink[@]}" location=s3://rec/seq.bin \
  max-concurrent-parts=1)
# the same bytes in one PUT (part-size above the file size), streamed from
# the spool file
read -r one_s one_kb < <(measure "${sink[@]}" location=s3://rec/one.bin \
  part-size=$(((mb + 1) * 1000 * 1000)))
read -r file_s file_kb < <(measure gst-launch-1.0 -q filesrc \
  location="$work/in.bin" blocksize=65536 ! filesink \
  location="$work/copy.bin")

for k in sink seq one curl-mp; do
  stored=$(find "$work/s3/rec" -name "$k.bin._S3rver_object" -printf '%s')
  [ "$stored" = "$(stat -c %s "$work/in.bin")" ] || {
    echo "bench: the uploaded object $k.bin has $stored bytes"; exit 1; }
done

row() {
  printf '%-44s %8s %12.1f\n' "$1" "$2" "$(echo "$3 / 1024" | bc -l)"
}
echo "cloudstoragesink benchmark: ${mb} MB to s3rver on 127.0.0.1"
printf '%-44s %8s %12s\n' "" "seconds" "peak RSS MB"
row "curl -T (one PUT)" "$curl_s" "$curl_kb"
row "curl multipart (8 MiB parts, 4 at a time)" "$cmp_s" "$cmp_kb"
row "cloudstoragesink (8 MiB parts, 4 at a time)" "$sink_s" "$sink_kb"
row "cloudstoragesink (8 MiB parts, 1 at a time)" "$seq_s" "$seq_kb"
row "cloudstoragesink (one PUT)" "$one_s" "$one_kb"
row "filesrc ! filesink (local copy)" "$file_s" "$file_kb"
echo "s3rver completing the element's multipart upload: ${complete_s:-?} s"
printf 'time ratio cloudstoragesink / curl -T: %.2f\n' \
  "$(echo "$sink_s / $curl_s" | bc -l)"
printf 'time ratio cloudstoragesink / curl multipart: %.2f\n' \
  "$(echo "$sink_s / $cmp_s" | bc -l)"
printf 'time ratio one PUT: cloudstoragesink / curl -T: %.2f\n' \
  "$(echo "$one_s / $curl_s" | bc -l)"

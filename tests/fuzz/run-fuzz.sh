#!/usr/bin/env bash
# gst-egress: run one libFuzzer target for a given time.
#
#   tests/fuzz/run-fuzz.sh TARGET SECONDS     TARGET: protobuf, protojson, token
#
# Configures a separate build directory (build-fuzz/, or $FUZZ_BUILDDIR)
# with clang, libFuzzer and ASan/UBSan over the whole library, builds the
# target, seeds the corpus (tests/fuzz/make-seeds.mjs: real LiveKit
# messages built with @livekit/protocol, when node and the npm packages are
# there; a dictionary of field and enum names for protojson), and runs the
# fuzzer (niced) for SECONDS.  The corpus grows in
# build-fuzz/fuzz-corpus/TARGET, crashes land in build-fuzz/fuzz-artifacts/.
# Exits non-zero when the fuzzer found a crash or a leak.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 TARGET SECONDS [libFuzzer options...]" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
builddir=${FUZZ_BUILDDIR:-build-fuzz}

if [ ! -f "$top/tests/fuzz/fuzz_$target.c" ]; then
  echo "run-fuzz: no target '$target' (tests/fuzz/fuzz_$target.c)" >&2
  exit 2
fi

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" -Dfuzzing=enabled -Dtests=enabled \
    -Dintegration=disabled -Ddoc=disabled -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link >/dev/null
fi
meson compile -C "$builddir" "tests/fuzz/fuzz-$target" >/dev/null

corpus="$builddir/fuzz-corpus/$target"
artifacts="$builddir/fuzz-artifacts/$target"
mkdir -p "$corpus" "$artifacts"
seeds=()
opts=()
if command -v node >/dev/null 2>&1 && [ -d tests/node_modules/@livekit/protocol ]; then
  node tests/fuzz/make-seeds.mjs "$builddir/fuzz-seeds" >/dev/null
  [ -d "$builddir/fuzz-seeds/$target" ] && seeds+=("$builddir/fuzz-seeds/$target")
  [ -f "$builddir/fuzz-seeds/$target.dict" ] && opts+=("-dict=$builddir/fuzz-seeds/$target.dict")
fi
log="$builddir/fuzz-$target.log"

echo "run-fuzz: $target for ${seconds}s (log: $log)"
rc=0
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
nice -n 10 "$builddir/tests/fuzz/fuzz-$target" \
  -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
  -rss_limit_mb=2048 -artifact_prefix="$artifacts/" "${opts[@]}" "$@" \
  "$corpus" "${seeds[@]}" >"$log" 2>&1 || rc=$?

# the last status line: executions, coverage, corpus size
grep -E '^#[0-9]+' "$log" | tail -n 1 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
  "$log" || true
if [ $rc -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
  echo "run-fuzz: $target FAILED (exit $rc), see $log and $artifacts/"
  exit 1
fi
echo "run-fuzz: $target: no crash, no leak"

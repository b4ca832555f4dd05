#!/usr/bin/env bash
# gst-egress: run the whole test suite (meson test) and print a one-line
# summary.  Extra arguments go to meson test (e.g. --suite lib).
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
builddir=${BUILDDIR:-build}

meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
rc=$?

log="$builddir/meson-logs/testlog.json"
if [ -f "$log" ]; then
  python3 - "$log" <<'PY'
import json, sys
counts = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if line:
        r = json.loads(line)["result"]
        counts[r] = counts.get(r, 0) + 1
passed = counts.get("OK", 0) + counts.get("EXPECTEDFAIL", 0)
skipped = counts.get("SKIP", 0)
failed = sum(v for k, v in counts.items()
             if k not in ("OK", "EXPECTEDFAIL", "SKIP"))
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
fi
exit $rc

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every KUnit suite of the series: all .kunitconfig files in the
# overlay, in one kunit.py run on x86_64 under QEMU (TCG), with the
# debugging options of scripts/configs/debug.config.
# Prints one "PASS|FAIL kunit <suite>.<case>" line per test case.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
OUT=$BUILD/kunit
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_BASEDIR=$BUILD
mkdir -p "$OUT"

args=(run --arch=x86_64 --build_dir="$OUT" --jobs="$(nproc)" --timeout=600
      --make_options "CC=ccache gcc" --make_options "HOSTCC=ccache gcc"
      --json="$OUT/results.json")
# the suites of the series, as base + series have them
for k in $(git -C "$LINUX" diff --name-only --diff-filter=AM base HEAD -- '*.kunitconfig'); do
	args+=(--kunitconfig="$LINUX/$k")
done
for l in $(grep -E '^CONFIG_[A-Z0-9_]+=y' "$TOP/scripts/configs/debug.config"); do
	args+=(--kconfig_add "$l")
done
# KUNIT_FILTER=SUITE[.CASE] (kunit.py's filter_glob) runs only those
args+=("${KUNIT_FILTER:-*}")
rm -f "$OUT/results.json"

# kunit.py asks QEMU for "-accel kvm -accel hvf -accel tcg": QEMU picks
# KVM, which exists here but cannot run guests, and hangs. Hide /dev/kvm
# from it in a private mount namespace.
cd "$LINUX"
rc=0
if [ -e /dev/kvm ] && [ "${PCI_TSM_USE_KVM:-0}" != 1 ]; then
	as_root unshare -m sh -c 'mount --bind /dev/null /dev/kvm && exec "$@"' \
		sh ./tools/testing/kunit/kunit.py "${args[@]}" >"$OUT/kunit.log" 2>&1 || rc=$?
else
	./tools/testing/kunit/kunit.py "${args[@]}" >"$OUT/kunit.log" 2>&1 || rc=$?
fi

[ -s "$OUT/results.json" ] || {
	echo "FAIL kunit (no results: build or boot failed, see $OUT/kunit.log)"
	tail -n 30 "$OUT/kunit.log" >&2
	exit 1
}
py=0
python3 - "$OUT/results.json" <<'PY' || py=$?
import json, sys
res = json.load(open(sys.argv[1]))
bad = 0
def walk(t, path):
    global bad
    subs = t.get("sub_groups") or []
    cases = t.get("test_cases") or []
    name = t.get("name", "")
    for g in subs:
        walk(g, path + [g.get("name", "")] if g.get("name") else path)
    for c in cases:
        st = c.get("status", "")
        full = ".".join(p for p in path + [c["name"]] if p)
        if st in ("PASS", "SKIP"):
            print(("PASS" if st == "PASS" else "SKIP") + " kunit " + full)
        else:
            bad += 1
            print("FAIL kunit %s (%s)" % (full, st))
walk(res, [])
sys.exit(1 if bad else 0)
PY
grep -E '^\[..:..:..\] (Testing complete|Elapsed time)' "$OUT/kunit.log" | sed 's/^/# /' >&2 || true
[ $rc -eq 0 ] && [ $py -eq 0 ]

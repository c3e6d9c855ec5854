#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fuzz the lib/spdm requester in userspace (tools/testing/spdm-fuzz):
# replay the seed corpus and the regression inputs under ASan/UBSan,
# then a bounded libFuzzer run from the seeds.  Needs clang,
# libclang-rt-14-dev (libFuzzer) and libssl-dev (deps.sh).
# Prints one "PASS|FAIL|SKIP fuzz <case>" line per case.
#
# SPDM_FUZZ_TIME (seconds, default 60) bounds the run; SPDM_FUZZ_RUNS=N
# bounds it by runs instead.  The corpus is kept in the cache, so later
# runs start where earlier ones stopped.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
SRC=$LINUX/tools/testing/spdm-fuzz
OUT=$BUILD/spdm-fuzz
CORPUS=$CACHE/spdm-fuzz-corpus
TIME=${SPDM_FUZZ_TIME:-60}
RUNS=${SPDM_FUZZ_RUNS:--1}

[ -f "$SRC/Makefile" ] || { echo "SKIP fuzz (the series has no tools/testing/spdm-fuzz yet)"; exit 0; }
command -v clang >/dev/null || { echo "FAIL fuzz (no clang: run scripts/deps.sh)"; exit 1; }
mkdir -p "$OUT" "$CORPUS"

rc=0
if make -C "$SRC" O="$OUT" check >"$LOGS/fuzz-replay.out" 2>&1; then
	echo "PASS fuzz replay seeds and regressions"
else
	echo "FAIL fuzz replay seeds and regressions (see $LOGS/fuzz-replay.out)"
	rc=1
fi

if ! make -C "$SRC" O="$OUT" "$OUT/spdm-fuzz" >"$LOGS/fuzz-build.out" 2>&1; then
	echo "FAIL fuzz build (see $LOGS/fuzz-build.out)"
	exit 1
fi
rm -f "$OUT"/crash-* "$OUT"/leak-* "$OUT"/timeout-* "$OUT"/oom-*
frc=0
"$OUT/spdm-fuzz" -max_total_time="$TIME" -runs="$RUNS" -timeout=10 \
	-rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 -artifact_prefix="$OUT/" \
	"$CORPUS" "$OUT/seeds" >"$LOGS/fuzz-run.out" 2>&1 || frc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOGS/fuzz-run.out")
if [ $frc -eq 0 ] && [ -n "$runs" ]; then
	echo "PASS fuzz libFuzzer ${TIME}s, $runs runs, no crash"
else
	for f in "$OUT"/crash-* "$OUT"/leak-* "$OUT"/timeout-* "$OUT"/oom-*; do
		[ -e "$f" ] && echo "FAIL fuzz found $(basename "$f") (reproduce: $OUT/spdm-replay -v $f)"
	done
	echo "FAIL fuzz libFuzzer run (exit $frc, see $LOGS/fuzz-run.out)"
	rc=1
fi
exit $rc

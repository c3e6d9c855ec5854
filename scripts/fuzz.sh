#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fuzz the lib/spdm requester in userspace (tools/testing/spdm-fuzz):
# replay the seed corpus and the regression inputs under ASan/UBSan,
# then a bounded libFuzzer run from the seeds.  Needs clang,
# libclang-rt-14-dev (libFuzzer) and libssl-dev (deps.sh).
# Prints one "PASS|FAIL|SKIP fuzz <case>" line per case.
#
# SPDM_FUZZ_TIME (seconds, default 60) bounds the run of the
# authentication target, SPDM_FUZZ_CHAIN_TIME (default 30) that of the
# chain validator's; SPDM_FUZZ_RUNS=N bounds both by runs instead.  The corpus is kept in the cache, so later
# runs start where earlier ones stopped.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
SRC=$LINUX/tools/testing/spdm-fuzz
OUT=$BUILD/spdm-fuzz
CORPUS=$CACHE/spdm-fuzz-corpus
TIME=${SPDM_FUZZ_TIME:-60}
CHAIN_TIME=${SPDM_FUZZ_CHAIN_TIME:-30}
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

# fuzz TARGET SEEDS CORPUS SECONDS REPLAY: one bounded libFuzzer run
fuzz() {
	local target=$1 seeds=$2 corpus=$3 time=$4 replay=$5 frc=0 runs f
	local log=$LOGS/fuzz-run-$target.out

	if ! make -C "$SRC" O="$OUT" "$OUT/$target" >"$LOGS/fuzz-build.out" 2>&1; then
		echo "FAIL fuzz build $target (see $LOGS/fuzz-build.out)"
		rc=1
		return
	fi
	rm -f "$OUT"/crash-* "$OUT"/leak-* "$OUT"/timeout-* "$OUT"/oom-*
	mkdir -p "$corpus"
	"$OUT/$target" -max_total_time="$time" -runs="$RUNS" -timeout=10 \
		-rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 -artifact_prefix="$OUT/" \
		"$corpus" "$seeds" >"$log" 2>&1 || frc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $frc -eq 0 ] && [ -n "$runs" ]; then
		echo "PASS fuzz $target libFuzzer ${time}s, $runs runs, no crash"
		return
	fi
	for f in "$OUT"/crash-* "$OUT"/leak-* "$OUT"/timeout-* "$OUT"/oom-*; do
		[ -e "$f" ] && echo "FAIL fuzz $target found $(basename "$f") (reproduce: $OUT/$replay -v $f)"
	done
	echo "FAIL fuzz $target libFuzzer run (exit $frc, see $log)"
	rc=1
}

# The whole authentication, then the chain validator on its own (the
# authentication target cannot reach it with chains of its own making)
fuzz spdm-fuzz "$OUT/seeds" "$CORPUS" "$TIME" spdm-replay
if [ -f "$SRC/chain_fuzz.c" ]; then
	fuzz spdm-chain-fuzz "$OUT/chain-seeds" "$CORPUS-chain" "$CHAIN_TIME" \
		spdm-chain-replay
fi
exit $rc

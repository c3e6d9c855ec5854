#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Makefile's targets: each is a list of stages printed with timings;
# the full output of each stage is in build/logs/.
#
#	scripts/run.sh tree|kernel|kunit|selftest|static|series|check|demo|bench
set -e
. "$(dirname "$0")/lib.sh"
S=$TOP/scripts
RESULTS=$BUILD/results.txt

target=${1:?usage: run.sh TARGET}
step=0
case $target in
tree) total=2 ;;
kernel) total=3 ;;
kunit) total=3 ;;
selftest) total=4 ;;
static) total=4 ;;
series) total=3 ;;
check) total=10 ;;
demo) total=4 ;;
bench) total=4 ;;
*) die "unknown target $target" ;;
esac

st() {
	step=$((step + 1))
	stage "[$step/$total] $1" "$2" "${@:3}"
}

# A test stage: its PASS/FAIL lines go to the results; it never stops
# the run, so one failure does not hide the rest.
tst() {
	local name=$1 log=$2 rc=0
	shift 2
	st "$name" "$log" "$@" || rc=$?
	grep -E '^(PASS|FAIL|SKIP) ' "$LOGS/$log" >>"$RESULTS" || true
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$LOGS/$log"; then
		echo "FAIL $name (exit $rc, see build/logs/$log)" >>"$RESULTS"
	fi
	grep -E '^FAIL ' "$LOGS/$log" | sed 's/^/      /' || true
	return 0
}

summary() {
	local p f s
	p=$(grep -c '^PASS ' "$RESULTS" || true)
	f=$(grep -c '^FAIL ' "$RESULTS" || true)
	s=$(grep -c '^SKIP ' "$RESULTS" || true)
	echo "results: $RESULTS"
	if [ "$s" -gt 0 ]; then
		echo "$p passed, $f failed, $s skipped"
	else
		echo "$p passed, $f failed"
	fi
	[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
}

begin=$(date +%s)
st "dependencies (Debian packages, sparse)" deps.log "$S/deps.sh"
st "base $(basename "$("$S/fetch-base.sh")" .tar.xz) + series" tree.log "$S/tree.sh"
sed -n 's/^tree: /      /p' "$LOGS/tree.log"

case $target in
tree) ;;
kernel)
	st "guest kernel" kernel.log "$S/kernel.sh"
	;;
kunit)
	: >"$RESULTS"
	tst "KUnit (kunit.py, x86_64)" kunit.log "$S/kunit.sh"
	summary
	;;
selftest)
	: >"$RESULTS"
	st "guest kernel" kernel.log "$S/kernel.sh"
	tst "kselftests in the QEMU guest" selftest.log "$S/selftest.sh"
	summary
	;;
static)
	: >"$RESULTS"
	st "guest kernel" kernel.log "$S/kernel.sh"
	tst "sparse C=2 and W=1 on the series files" static.log "$S/static.sh"
	summary
	;;
series)
	: >"$RESULTS"
	tst "series + checkpatch --strict" series.log "$S/series.sh"
	echo "      $(ls "$BUILD"/series/*.patch | wc -l) files in build/series/"
	summary
	;;
check)
	: >"$RESULTS"
	tst "series + checkpatch --strict" series.log "$S/series.sh"
	tst "every patch builds on its own" bisect.log "$S/bisect.sh"
	st "guest kernel" kernel.log "$S/kernel.sh" ||
		echo "FAIL guest kernel build (see build/logs/kernel.log)" >>"$RESULTS"
	tst "sparse C=2 and W=1 on the series files" static.log "$S/static.sh"
	tst "tools/pci/tsm host tests" tool.log "$S/tool.sh"
	tst "lib/spdm fuzzing (libFuzzer, ASan/UBSan)" fuzz.log "$S/fuzz.sh"
	tst "KUnit (kunit.py, x86_64)" kunit.log "$S/kunit.sh"
	tst "kselftests in the QEMU guest" selftest.log "$S/selftest.sh"
	t=$(($(date +%s) - begin))
	echo "check: $((t / 60))m$((t % 60))s"
	summary
	;;
demo)
	st "guest kernel" kernel.log "$S/kernel.sh"
	st "guest payload" payload.log "$S/payload.sh"
	echo
	"$S/vm.sh" --timeout 600 --cma "$S/guest/demo.sh"
	;;
bench)
	st "guest kernel" kernel.log "$S/kernel.sh"
	st "guest payload" payload.log "$S/payload.sh"
	echo
	"$S/vm.sh" --timeout 1800 --cma "$S/guest/bench.sh"
	;;
esac

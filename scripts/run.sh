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
check) total=11 ;;
demo) total=4 ;;
bench) total=4 ;;
*) die "unknown target $target" ;;
esac

st() {
	step=$((step + 1))
	stage "[$step/$total] $1" "$2" "${@:3}"
}

# skips_filter: copy result lines from stdin to stdout, turning a SKIP
# that scripts/skips.allow does not list into a FAIL: the harness provides
# every prerequisite, so any other skip hides a test that did not run.
#
# ALLOW_AWK reads scripts/skips.allow into pat[1..n] (and why[1..n]).
ALLOW_AWK='BEGIN { while ((getline l < allow) > 0) if (l !~ /^#/ && split(l, f, "\t") == 2 && f[1] != "") { pat[++n] = f[1]; why[n] = f[2] } }'
skips_filter() {
	awk -v allow="$S/skips.allow" "$ALLOW_AWK"'
	/^SKIP / {
		r = substr($0, 6)
		for (i = 1; i <= n; i++) if (index(r, pat[i]) == 1) { print; next }
		print "FAIL " r " (a SKIP that scripts/skips.allow does not allow)"
		next
	}
	{ print }'
}

# A test stage: its PASS/FAIL lines go to the results; it never stops
# the run, so one failure does not hide the rest.
tst() {
	local name=$1 log=$2 rc=0 res
	shift 2
	st "$name" "$log" "$@" || rc=$?
	res=$(grep -E '^(PASS|FAIL|SKIP) ' "$LOGS/$log" | skips_filter || true)
	[ -z "$res" ] || echo "$res" >>"$RESULTS"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$LOGS/$log"; then
		echo "FAIL $name (exit $rc, see build/logs/$log)" >>"$RESULTS"
	fi
	echo "$res" | grep -E '^FAIL ' | sed 's/^/      /' || true
	return 0
}

summary() {
	local p f s
	p=$(grep -c '^PASS ' "$RESULTS" || true)
	f=$(grep -c '^FAIL ' "$RESULTS" || true)
	s=$(grep -c '^SKIP ' "$RESULTS" || true)
	echo "results: $RESULTS"
	if [ "$s" -gt 0 ]; then
		echo "skipped, as scripts/skips.allow allows:"
		awk -v allow="$S/skips.allow" "$ALLOW_AWK"'
		/^SKIP / { r = substr($0, 6); for (i = 1; i <= n; i++) if (index(r, pat[i]) == 1) { print "  " r; print "    why: " why[i]; next } }
		' "$RESULTS"
		echo "$p passed, $f failed, $s skipped"
	else
		echo "$p passed, $f failed"
	fi
	[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
}

begin=$(date +%s)
# What the checkout looked like before: "make check" must leave it so,
# with every build product under build/.
status_before=$(git -C "$TOP" status --porcelain --untracked-files=all --ignored 2>/dev/null || true)
checkout_clean() {
	local now new
	now=$(git -C "$TOP" status --porcelain --untracked-files=all --ignored 2>/dev/null | grep -v '^!! build/' || true)
	new=$(comm -13 <(echo "$status_before" | sort) <(echo "$now" | sort))
	if [ -z "$new" ]; then
		echo "PASS checkout: make check left the checkout as it found it"
	else
		echo "$new" | sed 's/^/FAIL checkout: make check left /'
	fi
}
st "dependencies (Debian packages, sparse)" deps.log "$S/deps.sh"
# "make check" reports an overlay that is not base + series as a failed
# test (below) rather than refusing to assemble the tree.
vc=${PCI_TSM_VIEW_CHECK:-1}
[ "$target" = check ] && vc=0
st "base $(basename "$("$S/fetch-base.sh")" .tar.xz) + series" tree.log \
	env PCI_TSM_VIEW_CHECK=$vc "$S/tree.sh"
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
	tst "overlay view = base + series" view.log "$S/view.sh" check
	tst "series + checkpatch --strict" series.log "$S/series.sh"
	tst "every patch builds on its own" bisect.log "$S/bisect.sh"
	st "guest kernel" kernel.log "$S/kernel.sh" ||
		echo "FAIL guest kernel build (see build/logs/kernel.log)" >>"$RESULTS"
	tst "sparse C=2 and W=1 on the series files" static.log "$S/static.sh"
	tst "tools/pci/tsm host tests" tool.log "$S/tool.sh"
	tst "lib/spdm fuzzing (libFuzzer, ASan/UBSan)" fuzz.log "$S/fuzz.sh"
	tst "KUnit (kunit.py, x86_64)" kunit.log "$S/kunit.sh"
	tst "kselftests in the QEMU guest" selftest.log "$S/selftest.sh"
	checkout_clean >>"$RESULTS"
	grep '^FAIL checkout' "$RESULTS" | sed 's/^/      /' || true
	t=$(($(date +%s) - begin))
	echo "check: $((t / 60))m$((t % 60))s"
	summary
	;;
demo)
	st "guest kernel" kernel.log "$S/kernel.sh"
	st "guest payload" payload.log "$S/payload.sh"
	echo
	"$S/vm.sh" --timeout 600 --cma "$S/guest/demo.sh" ${DEMO_BREAK:+"$DEMO_BREAK"}
	;;
bench)
	st "guest kernel" kernel.log "$S/kernel.sh"
	st "guest payload" payload.log "$S/payload.sh"
	echo
	"$S/vm.sh" --timeout 1800 --cma "$S/guest/bench.sh"
	;;
esac

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sparse (C=2) and W=1 on every kernel C file the series adds or changes
# (in an upstream file, on the lines it changes),
# compiled in the guest kernel's build directory (which builds the series'
# KUnit suites and samples too). A series file that no config compiles is
# a failure: it would escape every check.
# Prints one "PASS|FAIL static <file>" line per file.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
OUT=$BUILD/kernel
SPARSE=$CACHE/sparse/sparse
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_BASEDIR=$BUILD
[ -x "$SPARSE" ] || die "sparse is missing: run scripts/deps.sh"
[ -f "$OUT/.config" ] || die "no guest kernel build: run 'make kernel' first"

cd "$LINUX"
files=$(git diff --name-only --diff-filter=AMR base HEAD -- '*.c' ':!tools' ':!scripts')
headers=$(git diff --name-only --diff-filter=AMR base HEAD -- '*.h' ':!tools' ':!scripts')
objs=()
fail=0

# tools/ builds against copies of uapi headers: they must not drift.
for f in $(git diff --name-only --diff-filter=AMR base HEAD -- 'tools/include/uapi'); do
	if cmp -s "$f" "${f#tools/}"; then
		echo "PASS static $f matches ${f#tools/}"
	else
		echo "FAIL static $f differs from ${f#tools/}"
		fail=1
	fi
done

# Generated netlink code must match its YNL spec: regenerate and compare.
for f in $(git diff --name-only --diff-filter=AMR base HEAD | xargs -r grep -l '^/\* YNL-GEN \(kernel\|uapi\|user\)' 2>/dev/null); do
	set -- $(grep -B1 -h '/\* YNL-GEN' "$f" | sed 's@/\*\(.*\)\*/@\1@')
	# same file name: the generated source includes its header by name
	tmpd=$(mktemp -d)
	tmp=$tmpd/$(basename "$f")
	if python3 tools/net/ynl/pyynl/ynl_gen_c.py --mode "$3" --"$4" --spec "$1" -o "$tmp" >/dev/null 2>&1 &&
	   cmp -s "$tmp" "$f"; then
		echo "PASS static $f matches $1"
	else
		echo "FAIL static $f is out of date with $1 (run tools/net/ynl/ynl-regen.sh -f)"
		fail=1
	fi
	rm -rf "$tmpd"
done
# Headers generated from checked-in vectors must match them.
if [ -x lib/spdm/tests/chains/gen.sh ]; then
	if lib/spdm/tests/chains/gen.sh --check >"$LOGS/chain-vectors.out" 2>&1; then
		echo "PASS static lib/spdm/tests/spdm_chain_vectors.h matches lib/spdm/tests/chains/"
	else
		echo "FAIL static lib/spdm/tests/spdm_chain_vectors.h differs from lib/spdm/tests/chains/ (see $LOGS/chain-vectors.out)"
		fail=1
	fi
fi

# Every file is named as a target, so none is skipped: one that no guest
# option enables (a KUnit suite that must be built in with a sample, say)
# is compiled alone, which is all sparse and W=1 need.
for f in $files; do
	[ -f "$OUT/${f%.c}.o" ] ||
		echo "# $f: not in the guest kernel, compiled alone" >&2
	objs+=("${f%.c}.o")
done
[ ${#objs[@]} -gt 0 ] || exit $fail

log=$LOGS/static-build.log
make O="$OUT" -j"$(nproc)" CC="ccache gcc" C=2 CHECK="$SPARSE" W=1 "${objs[@]}" >"$log" 2>&1 || {
	echo "FAIL static (the W=1 build failed, see $log)"
	tail -20 "$log" >&2
	exit 1
}
grep -q 'not available or not up to date' "$log" &&
	die "make C=2 did not run sparse ($SPARSE is too old?)"
# changed_lines PATH: the line numbers the series adds or changes in an
# upstream file, one per line; nothing for a file the series adds
changed_lines() {
	git cat-file -e "base:$1" 2>/dev/null || return 0
	git diff -U0 base HEAD -- "$1" |
		sed -n 's/^@@ -[0-9,]* +\([0-9]*\)\(,\([0-9]*\)\)\? @@.*/\1 \3/p' |
		while read -r start n; do
			seq "$start" $((start + ${n:-1} - 1))
		done
}

# warnings PATH: what sparse and W=1 say about PATH; in an upstream file,
# only about the lines the series changed (upstream's own warnings are
# not the series')
warnings() {
	local w
	w=$(grep -E "(^|/)$1:[0-9]+(:[0-9]+)?: (warning|error)" "$log" | sort -u)
	[ -n "$w" ] || return 0
	if git cat-file -e "base:$1" 2>/dev/null; then
		echo "$w" | awk -F: -v lines="$(changed_lines "$1" | tr '\n' ' ')" '
			BEGIN { n = split(lines, l, " "); for (i = 1; i <= n; i++) c[l[i]] = 1 }
			{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { if ($i in c) print; next } }'
	else
		echo "$w"
	fi
}

# report LABEL PATH...: one result for the warnings found in PATHs
report() {
	local label=$1 w=
	shift
	for p in "$@"; do
		w="$w$(warnings "$p")"
	done
	if [ -z "$w" ]; then
		echo "PASS static $label"
	else
		echo "FAIL static $label"
		echo "$w" | sed 's/^/	/'
		fail=1
	fi
}
for f in $files; do
	[ -f "$OUT/${f%.c}.o" ] && report "$f" "$f"
done
[ -z "$headers" ] || report "headers ($(echo $headers | wc -w))" $headers
exit $fail

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check that every patch of the series builds on its own: check out each
# commit of base..HEAD in a worktree and build, with the guest config and
# W=1, the kernel directories that patch touches (and drivers/pci/tsm/).
# The full guest kernel build (scripts/kernel.sh) covers linking the
# last one.
# Prints one "PASS|FAIL bisect <n>/<total> <subject>" line per patch.
#
# A patch whose content was built green before is not built again: the
# key is the commit's whole tree (so it changes with any earlier patch),
# the directories built, the config fragments, the compiler and this
# script. Green keys are kept in $CACHE/bisect-green/, beside the ccache,
# so the stage's time grows with the patches that changed, not with the
# length of the series.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
SRC=$BUILD/bisect-src
OUT=$BUILD/bisect-out
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_BASEDIR=$BUILD
export KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=pci-tsm KBUILD_BUILD_HOST=overlay

cd "$LINUX"
if [ ! -d "$SRC/.git" ] && [ ! -f "$SRC/.git" ]; then
	rm -rf "$SRC"
	git worktree prune
	git worktree add -q --detach "$SRC" base
fi
# The kernel directories the series touches (not tools/, scripts/, docs).
dirs=$(git diff --name-only base HEAD -- '*.c' '*.h' 'Makefile' '*/Makefile' 'Kconfig' '*/Kconfig' \
	':!tools' ':!scripts' ':!Documentation' ':!include' |
	xargs -n1 dirname | sort -u | while read -r d; do
		[ -f "$LINUX/$d/Makefile" ] && echo "$d/"
	done | tr '\n' ' ')
frag=$OUT/fragments.config
mkdir -p "$OUT"
cat "$TOP"/scripts/configs/*.config >"$frag"
total=$(git rev-list --count base..HEAD)
GREEN=$CACHE/bisect-green
mkdir -p "$GREEN"
salt=$( (cat "$frag" "$0"; gcc --version | head -1) | sha256sum | cut -d' ' -f1)
n=0
fail=0
for c in $(git rev-list --reverse base..HEAD); do
	n=$((n + 1))
	subj=$(git log -1 --format=%s "$c")
	log=$LOGS/bisect-$n.log
	# The directories this patch touches, and the TSM core's, which
	# every later patch builds on.
	existing=
	for d in $(git diff --name-only "$c^" "$c" | xargs -n1 dirname | sort -u | sed 's|$|/|') drivers/pci/tsm/; do
		case " $dirs " in *" $d "*) ;; *) continue ;; esac
		case " $existing " in *" $d "*) continue ;; esac
		git cat-file -e "$c:${d}Makefile" 2>/dev/null && existing="$existing $d"
	done
	if [ -z "$existing" ]; then
		echo "PASS bisect $n/$total $subj (no kernel code)"
		continue
	fi
	key=$(echo "$salt $(git rev-parse "$c^{tree}") $existing" | sha256sum | cut -d' ' -f1)
	if [ -f "$GREEN/$key" ]; then
		echo "PASS bisect $n/$total $subj (this content built green before)"
		continue
	fi
	git -C "$SRC" checkout -q --detach "$c"
	if make -C "$SRC" O="$OUT" KCONFIG_ALLCONFIG="$frag" allnoconfig >"$log" 2>&1 &&
	   make -C "$SRC" O="$OUT" -j"$(nproc)" CC="ccache gcc" HOSTCC="ccache gcc" W=1 \
		$existing >>"$log" 2>&1; then
		if grep -E '(warning|error):' "$log" | grep -qvE '^(/[^:]*/)?(arch|kernel|mm|fs|net|init)/'; then
			echo "FAIL bisect $n/$total $subj (warnings, see $log)"
			grep -E '(warning|error):' "$log" | head -5 | sed 's/^/	/'
			fail=1
		else
			echo "PASS bisect $n/$total $subj"
			touch "$GREEN/$key"
		fi
	else
		echo "FAIL bisect $n/$total $subj (see $log)"
		grep -E 'error' "$log" | head -5 | sed 's/^/	/'
		fail=1
	fi
done
exit $fail

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The overlay is a view: the folders at kernel paths (drivers/, include/,
# lib/, samples/, tools/, Documentation/) hold the final content of every
# file the series adds or moves, as base + patches/ produce it. Only
# patches/ is the truth; "make sync" writes this view, and this script
# checks it.
#
#	scripts/view.sh check [REF]	one PASS or FAIL line per problem
#	scripts/view.sh diff [REF]	list the files that differ, quietly
#	scripts/view.sh write [REF]	make the overlay REF's view (default HEAD)
#	scripts/view.sh edited REF OTHER  the files that differ from both
#
# REF is a commit of build/linux; the default is "series", the tree that
# patches/ produced at the last "make tree".
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
VIEW_DIRS=(Documentation drivers include lib samples tools)

# view_files REF: the files REF has and the base does not (added or moved)
view_files() {
	git -C "$LINUX" diff --no-renames --diff-filter=A --name-only base "$1"
}

# in_view_dirs PATH: true when PATH lies in one of the overlay's folders
in_view_dirs() {
	local d
	for d in "${VIEW_DIRS[@]}"; do
		case $1 in "$d"/*) return 0 ;; esac
	done
	return 1
}

# view_diff REF: print "PATH: why" for each overlay file that is not
# what REF has, and for each overlay file REF does not have
view_diff() {
	local ref=$1 f mode want have
	declare -A in_view blob exe
	while read -r mode _ want f; do
		blob[$f]=$want
		[ "$mode" = 100755 ] && exe[$f]=1
	done < <(view_files "$ref" | xargs -r git -C "$LINUX" ls-tree "$ref" --)
	while read -r f; do
		in_view[$f]=1
		if ! in_view_dirs "$f"; then
			echo "$f: outside the overlay's folders (VIEW_DIRS in scripts/view.sh)"
			continue
		fi
		if [ ! -f "$TOP/$f" ]; then
			echo "$f: missing from the overlay"
			continue
		fi
		have=$(git -C "$LINUX" hash-object "$TOP/$f")
		if [ "${blob[$f]}" != "$have" ]; then
			echo "$f: content differs from base + series"
			continue
		fi
		if [ -n "${exe[$f]}" ] && [ ! -x "$TOP/$f" ]; then
			echo "$f: not executable, as the series has it"
		elif [ -z "${exe[$f]}" ] && [ -x "$TOP/$f" ]; then
			echo "$f: executable, the series has it not"
		fi
	done < <(view_files "$ref")
	while read -r f; do
		[ -n "${in_view[$f]}" ] || [ ! -e "$TOP/$f" ] ||
			echo "$f: in the overlay, but the series does not add it"
	done < <(cd "$TOP" && git ls-files --cached --others --exclude-standard -- "${VIEW_DIRS[@]}")
}

# view_write REF: make the overlay REF's view (used by make sync)
view_write() {
	local ref=$1 f
	while read -r f; do
		rm -f "$TOP/$f"
	done < <(cd "$TOP" && git ls-files --cached --others --exclude-standard -- "${VIEW_DIRS[@]}")
	while read -r f; do
		in_view_dirs "$f" || continue
		mkdir -p "$TOP/$(dirname "$f")"
		git -C "$LINUX" show "$ref:$f" >"$TOP/$f"
		if [ "$(git -C "$LINUX" ls-tree "$ref" -- "$f" | cut -c1-6)" = 100755 ]; then
			chmod +x "$TOP/$f"
		else
			chmod -x "$TOP/$f"
		fi
	done < <(view_files "$ref")
	(cd "$TOP" && find "${VIEW_DIRS[@]}" -depth -type d -empty -delete 2>/dev/null) || true
}

# view_advice REF: how to move a hand edit of the overlay into a patch
view_advice() {
	cat <<EOF
The overlay (files at kernel paths) is only a view of base + patches/:
edits to it are not kept. To keep an edit, make it in build/linux and
fold it into the patch that introduced the file, e.g. for FILE:
	cp FILE build/linux/FILE
	cd build/linux
	git log --oneline base.. -- FILE        (the patch to fix)
	git commit -a --fixup=<that commit>
	GIT_SEQUENCE_EDITOR=: git rebase -i --autosquash base
	cd ../.. && make sync
To drop the edits instead: git checkout -- <files> and rm the untracked
ones, or SYNC_FORCE=1 make sync.
EOF
}

# view_edited REF OTHER: the entries of "view_diff REF" whose files differ
# from OTHER's too (all of them when OTHER does not exist): edits by hand,
# not just a view that is one "make sync" behind
view_edited() {
	local bad other
	bad=$(view_diff "$1")
	[ -n "$bad" ] || return 0
	if ! git -C "$LINUX" rev-parse -q --verify "$2^{commit}" >/dev/null; then
		echo "$bad"
		return 0
	fi
	other=$(view_diff "$2" | sed 's/: .*//')
	echo "$bad" | while IFS= read -r l; do
		if echo "$other" | grep -qxF "${l%%: *}"; then
			echo "$l"
		fi
	done
}

# view_untracked: view files and patches git does not track, which a
# fresh clone would lack
view_untracked() {
	(cd "$TOP" && git ls-files --others --exclude-standard -- "${VIEW_DIRS[@]}" patches) |
		sed 's/$/: not added to git (a fresh clone would lack it)/'
}

case ${1:-} in
check)
	ref=${2:-series}
	n=$(view_files "$ref" | wc -l)
	bad=$(view_diff "$ref"; view_untracked)
	if [ -z "$bad" ]; then
		echo "PASS view: the overlay is base + series ($n files)"
	else
		echo "$bad" | sed 's/^/FAIL view: /'
		view_advice >&2
		exit 1
	fi
	;;
diff)
	view_diff "${2:-series}"
	;;
write)
	view_write "${2:-HEAD}"
	;;
edited)
	view_edited "$2" "$3"
	;;
advice)
	view_advice
	;;
*)
	die "usage: view.sh check|diff|write|edited|advice [REF [OTHER]]"
	;;
esac

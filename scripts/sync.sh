#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The reverse of tree.sh: turn the commits base..HEAD of build/linux back
# into patches/ and the overlay. Work in build/linux with plain git
# (commit, commit --fixup, rebase -i), then run "make sync".
#
# For each commit, the files it adds become overlay files (copied as that
# commit has them) and everything else it changes (upstream files, renames,
# files added by an earlier commit) becomes the diff of its patch file.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
SERIES=$TOP/patches/series
cd "$LINUX"

[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes: commit them first"

old_paths=$(awk '!/^#/ { for (i = 2; i <= NF; i++) print $i }' "$SERIES" 2>/dev/null || true)
old_patches=$(awk '!/^#/ && NF { print $1 }' "$SERIES" 2>/dev/null || true)

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
	echo "# The series, in order: one patch per line, then the files it adds."
	echo "# Maintained by 'make sync' (scripts/sync.sh); see README.md."
} >"$tmp"

n=0
new_paths=
for c in $(git rev-list --reverse base..HEAD); do
	n=$((n + 1))
	subj=$(git log -1 --format=%s "$c")
	name=$(printf '%04d-%s.patch' $n "$(echo "$subj" | sed 's/[^A-Za-z0-9]\+/-/g; s/^-//; s/-$//' | cut -c1-52 | sed 's/-$//')")
	added=$(git diff --no-renames --diff-filter=A --name-only "$c^" "$c" |
		while read -r f; do
			# a file that came from a rename stays in the diff
			if git diff -M --diff-filter=R --name-only "$c^" "$c" | grep -qxF "$f"; then
				continue
			fi
			echo "$f"
		done)
	excl=()
	for f in $added; do
		mkdir -p "$TOP/$(dirname "$f")"
		git show "$c:$f" >"$TOP/$f"
		if [ "$(git ls-tree "$c" -- "$f" | cut -c1-6)" = 100755 ]; then
			chmod +x "$TOP/$f"
		else
			chmod -x "$TOP/$f"
		fi
		excl+=(":(exclude)$f")
		new_paths="$new_paths $f"
	done
	{
		echo "From: $(git log -1 --format='%an <%ae>' "$c")"
		echo "Subject: [PATCH] $subj"
		echo
		git log -1 --format=%b "$c" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
		echo "---"
		git diff --stat=72 -M "$c^" "$c" | sed 's/^/ /'
		echo
		git diff -M --full-index "$c^" "$c" -- . "${excl[@]}"
	} >"$TOP/patches/$name"
	echo "$name" $added >>"$tmp"
done
mv "$tmp" "$SERIES"
trap - EXIT

# Drop what the series no longer has.
for p in $old_patches; do
	grep -q "^$p\( \|$\)" "$SERIES" || rm -f "$TOP/patches/$p"
done
for f in $old_paths; do
	case " $new_paths " in *" $f "*) ;; *) rm -f "$TOP/$f" ;; esac
done
echo "sync: $n patches written to patches/"

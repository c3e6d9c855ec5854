#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The reverse of tree.sh: turn the commits base..HEAD of build/linux back
# into patches/ (the truth: each patch holds its whole diff, new files
# included) and rewrite the overlay, the view of the final files
# (scripts/view.sh). Work in build/linux with plain git (commit,
# commit --fixup, rebase -i --autosquash), then run "make sync".
#
# It refuses when an overlay file was edited by hand, i.e. differs from
# what patches/ produced at the last "make tree" (the "series" branch)
# and from build/linux's HEAD, since writing the view would silently drop
# that edit; SYNC_FORCE=1 drops such edits.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
SERIES=$TOP/patches/series
cd "$LINUX"

[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes: commit them first"

if [ -z "$SYNC_FORCE" ]; then
	git rev-parse -q --verify series >/dev/null ||
		die "build/linux has no 'series' branch: run 'make tree' first"
	# an overlay file equal to HEAD's (the edit already made in
	# build/linux, as the advice says) loses nothing
	edited=$("$TOP/scripts/view.sh" edited series HEAD)
	if [ -n "$edited" ]; then
		echo "sync: these overlay files were edited by hand (they differ from base + patches/):" >&2
		echo "$edited" | sed 's/^/	/' >&2
		"$TOP/scripts/view.sh" advice >&2
		exit 1
	fi
fi

# slug SUBJECT: the patch's file name, from its subject alone, so that
# inserting a patch renames no other
slug() {
	echo "$1" | sed 's/[^A-Za-z0-9]\+/-/g; s/^-//; s/-$//' | cut -c1-60 | sed 's/-$//'
}

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
	echo "# The series, in order: one patch file a line. Each patch holds its"
	echo "# whole diff. Written by 'make sync' (scripts/sync.sh); see README.md."
} >"$tmp"

n=0
declare -A used
for c in $(git rev-list --reverse base..HEAD); do
	n=$((n + 1))
	subj=$(git log -1 --format=%s "$c")
	base=$(slug "$subj")
	name=$base.patch
	i=2
	while [ -n "${used[$name]}" ]; do
		name=$base-$i.patch
		i=$((i + 1))
	done
	used[$name]=1
	{
		echo "From: $(git log -1 --format='%an <%ae>' "$c")"
		echo "Subject: [PATCH] $subj"
		echo
		git log -1 --format=%b "$c" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
		echo "---"
		git diff --no-color --stat=72 -M "$c^" "$c" | sed 's/^/ /'
		echo
		git diff --no-ext-diff --no-color --src-prefix=a/ --dst-prefix=b/ \
			-M --full-index --binary "$c^" "$c"
	} >"$TOP/patches/$name.tmp"
	mv "$TOP/patches/$name.tmp" "$TOP/patches/$name"
	echo "$name" >>"$tmp"
done
mv "$tmp" "$SERIES"
trap - EXIT

# Drop the patches the series no longer has.
for p in "$TOP"/patches/*.patch; do
	[ -n "${used[$(basename "$p")]}" ] || rm -f "$p"
done

"$TOP/scripts/view.sh" write HEAD
# patches/ now produces HEAD: later hand-edit checks compare with it
git update-ref refs/heads/series HEAD
echo "sync: $n patches written to patches/, $(git diff --no-renames --diff-filter=A --name-only base HEAD | wc -l) files in the overlay"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Assemble build/linux: a git repository with one commit for the pristine
# base (tag "base") and one commit per entry of patches/series.
#
# patches/series lists the patch files in order, one a line; each holds
# its commit message and its whole diff, the files it adds included.
# patches/ is the single source of truth: the overlay (the files at
# kernel paths) is a view of the result, written by "make sync" and
# checked here (scripts/view.sh): when an overlay file was edited by
# hand, this refuses, listing the files, instead of building a tree that
# silently lacks the edit (PCI_TSM_VIEW_CHECK=0 skips that; "make check"
# reports it as a test instead).
#
# The commits are built with a private index and then checked out with
# "git reset --hard", so only files that really changed get a new mtime
# and incremental kernel builds stay incremental.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
SERIES=$TOP/patches/series

extract_base() {
	local tarball ver
	tarball=$("$TOP/scripts/fetch-base.sh")
	ver=$(basename "$tarball" .tar.xz)
	if [ -f "$LINUX/.git/pci-tsm-base" ] &&
	   [ "$(cat "$LINUX/.git/pci-tsm-base")" = "$ver" ]; then
		return 0
	fi
	rm -rf "$LINUX" "$BUILD/linux.tmp"
	mkdir -p "$BUILD/linux.tmp"
	tar -xf "$tarball" -C "$BUILD/linux.tmp"
	mv "$BUILD/linux.tmp"/linux-source-7.2* "$LINUX"
	rmdir "$BUILD/linux.tmp"
	cd "$LINUX"
	# Debian's .gitignore ends by ignoring everything at the top level
	# (its packaging repository holds only debian/): drop those lines,
	# or no file of the tree could be tracked.
	sed -i '/^# Debian packaging/,$d' .gitignore
	sed -i -e :a -e '/^#*\n*$/{$d;N;ba' -e '}' .gitignore
	git init -q -b master
	git config user.name "PCI TSM developers"
	git config user.email "pci-tsm-devel@lists.example.org"
	git config gc.auto 0
	git add -A
	git commit -q -m "Linux $(make -s kernelversion) (Debian $ver)" \
		-m "Base of the PCI TSM series; Debian's top-level .gitignore lines for its packaging repository are dropped."
	git tag -f base >/dev/null
	echo "$ver" >.git/pci-tsm-base
}

# Write the commit message of patch file $1 to stdout: the Subject
# (without "[PATCH ...]") and the body up to the "---" separator.
patch_message() {
	awk '
	/^Subject: / && !subj { sub(/^Subject: (\[[^]]*\] )?/, ""); print; subj = 1; next }
	!inbody && /^$/ { if (subj) { inbody = 1; print ""; } next }
	inbody && /^---$/ { exit }
	inbody { print }
	' "$1"
}

patch_author() {
	sed -n 's/^From: //p' "$1" | head -1
}

# Write the diff part of patch file $1 (from the first "diff --git").
patch_diff() {
	# a format-patch signature ("-- ", git's version) ends the file: drop
	# it, and no "-- " line elsewhere (a removed "- " line)
	sed -n '/^diff --git /,$p' "$1" | awk '
	{ line[NR] = $0 } /^-- $/ { sig = NR }
	END { last = (sig && NR - sig <= 2) ? sig - 1 : NR; for (i = 1; i <= last; i++) print line[i] }'
}

build_series() {
	cd "$LINUX"
	local idx=$LINUX/.git/pci-tsm-index parent commit tree n=0
	local name rest author msg
	parent=$(git rev-parse base)
	rm -f "$idx"
	GIT_INDEX_FILE=$idx git read-tree base
	while read -r name rest; do
		case $name in '' | '#'*) continue ;; esac
		n=$((n + 1))
		[ -z "$rest" ] || die "patches/series: '$name $rest': one patch name a line"
		[ -f "$TOP/patches/$name" ] || die "patches/series names a missing patch: $name"
		if grep -q '^diff --git ' "$TOP/patches/$name"; then
			patch_diff "$TOP/patches/$name" |
				GIT_INDEX_FILE=$idx git apply --cached --binary --whitespace=nowarn - ||
				die "patches/$name does not apply"
		fi
		tree=$(GIT_INDEX_FILE=$idx git write-tree)
		author=$(patch_author "$TOP/patches/$name")
		msg=$(patch_message "$TOP/patches/$name")
		# Fixed dates: an unchanged series gives the same commit ids.
		commit=$(printf '%s\n' "$msg" |
			GIT_AUTHOR_NAME="${author% <*}" GIT_AUTHOR_EMAIL=$(echo "$author" | sed 's/.*<\(.*\)>.*/\1/') \
			GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
			GIT_COMMITTER_NAME="${author% <*}" GIT_COMMITTER_EMAIL=$(echo "$author" | sed 's/.*<\(.*\)>.*/\1/') \
			git commit-tree "$tree" -p "$parent")
		parent=$commit
	done <"$SERIES"
	rm -f "$idx"
	if git rev-parse -q --verify series >/dev/null &&
	   [ "$(git rev-parse HEAD)" != "$(git rev-parse series)" ] &&
	   [ "$(git rev-parse HEAD)" != "$parent" ]; then
		die "build/linux has commits that are not in patches/ yet: run 'make sync' to keep them, or 'git -C build/linux reset --hard series' to drop them"
	fi
	if [ "${PCI_TSM_VIEW_CHECK:-1}" != 0 ]; then
		local bad stale
		stale=$("$TOP/scripts/view.sh" diff "$parent" | wc -l)
		# differs from the new tree and from the one patches/ made
		# before (or, on a first build, just from the new one)
		bad=
		[ "$stale" -eq 0 ] || bad=$("$TOP/scripts/view.sh" edited "$parent" series)
		if [ -n "$bad" ]; then
			echo "tree: the overlay differs from base + patches/; refusing to build a tree without these edits:" >&2
			echo "$bad" | sed 's/^/	/' >&2
			"$TOP/scripts/view.sh" advice >&2
			exit 1
		fi
		# only a view of the previous patches/ (patches/ was edited or
		# updated): nothing is lost by writing the current one
		if [ "$stale" -gt 0 ]; then
			"$TOP/scripts/view.sh" write "$parent"
			echo "tree: the overlay was a view of the previous patches/: rewrote it ($stale files); review and commit it"
		fi
	fi
	if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
		die "build/linux has uncommitted changes to tracked files: commit them and run 'make sync' to keep them, or 'git -C build/linux reset --hard' to drop them"
	fi
	git reset -q --hard "$parent"
	git update-ref refs/heads/series "$parent"
	echo "tree: base $(cat .git/pci-tsm-base) + $n patches, HEAD $(git rev-parse --short HEAD)"
}

extract_base
build_series

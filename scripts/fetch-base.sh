#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's linux-source-7.2 (an all-architecture tarball) into the
# cache. sid, forky and trixie-backports carry it; a private sources list
# is used so the system's apt configuration is not touched.
# Prints the path of the cached tarball.
set -e
. "$(dirname "$0")/lib.sh"

tarball=$(ls "$CACHE"/base/linux-source-7.2*.tar.xz 2>/dev/null | tail -1 || true)
if [ -n "$tarball" ]; then
	echo "$tarball"
	exit 0
fi

d=$CACHE/apt-base
mkdir -p "$CACHE/base"
for suite in sid trixie-backports forky; do
	rm -rf "$d" && mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/dl"
	echo "deb http://deb.debian.org/debian $suite main" >"$d/sources.list"
	opts="-o Dir::Etc::SourceList=$d/sources.list -o Dir::Etc::SourceParts=/dev/null
	      -o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache -o APT::Architecture=amd64"
	# shellcheck disable=SC2086
	apt-get $opts update -q >"$LOGS/fetch-base-$suite.log" 2>&1 || continue
	# shellcheck disable=SC2086
	(cd "$d/dl" && apt-get $opts download -q linux-source-7.2) \
		>>"$LOGS/fetch-base-$suite.log" 2>&1 || continue
	deb=$(ls "$d"/dl/linux-source-7.2_*.deb 2>/dev/null | head -1)
	[ -n "$deb" ] || continue
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$d/dl" --wildcards './usr/src/linux-source-7.2*.tar.xz'
	src=$(ls "$d"/dl/usr/src/linux-source-7.2*.tar.xz | head -1)
	ver=$(basename "$deb" | sed 's/^linux-source-7.2_\([^_]*\)_.*/\1/')
	mv "$src" "$CACHE/base/linux-source-7.2_$ver.tar.xz"
	rm -rf "$d"
	echo "$CACHE/base/linux-source-7.2_$ver.tar.xz"
	exit 0
done
die "could not download linux-source-7.2 from sid, trixie-backports or forky (logs: $LOGS/fetch-base-*.log); check that deb.debian.org is reachable"

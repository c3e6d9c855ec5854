#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install every build and test dependency from Debian's packages.
# Idempotent: does nothing when all is present.
#
# - kernel build: gcc, make, bc, bison, flex, libelf-dev, libssl-dev, ...
# - QEMU >= 9.1 for the NVMe SPDM-over-DOE device: bookworm-backports.
# - sparse >= 0.6.5: bookworm's 0.6.4 cannot parse 7.2, so sid's source
#   package is built into the cache (seconds).
set -e
. "$(dirname "$0")/lib.sh"

PKGS="build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod
python3 python3-yaml python3-jsonschema python3-ply python3-git python3-cryptography ccache busybox-static rsync
pciutils xz-utils git perl openssl libllvm14 dpkg-dev strace
clang libclang-rt-14-dev"

need_qemu() {
	local v
	command -v qemu-system-x86_64 >/dev/null || return 0
	v=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
	set -- $v
	[ "${1:-0}" -lt 9 ] || { [ "$1" -eq 9 ] && [ "$2" -lt 1 ]; }
}

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done

if [ -n "$missing" ] || need_qemu; then
	echo "installing:${missing:-} ${need_qemu:+qemu}" >&2
	src=/etc/apt/sources.list.d/pci-tsm-backports.sources
	if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		as_root tee "$src" >/dev/null <<EOS
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
	fi
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get update -q ||
		die "apt-get update failed: is deb.debian.org reachable?"
	# shellcheck disable=SC2086
	[ -z "$missing" ] || as_root apt-get install -y -q --no-install-recommends $missing ||
		die "could not install:$missing"
	if need_qemu; then
		as_root apt-get install -y -q --no-install-recommends \
			-t bookworm-backports qemu-system-x86 qemu-utils ||
			die "could not install QEMU >= 9.1 from bookworm-backports"
	fi
	need_qemu && die "QEMU is older than 9.1: $(qemu-system-x86_64 --version | head -1)"
fi

# sparse from Debian sid's source: bookworm's is too old for 7.2.
SPARSE=$CACHE/sparse/sparse
if [ ! -x "$SPARSE" ]; then
	d=$CACHE/sparse-src
	rm -rf "$d" && mkdir -p "$d/lists/partial" "$d/src"
	echo "deb-src http://deb.debian.org/debian sid main" >"$d/sources.list"
	opts="-o Dir::Etc::SourceList=$d/sources.list -o Dir::Etc::SourceParts=/dev/null
	      -o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache"
	mkdir -p "$d/cache/archives/partial"
	# shellcheck disable=SC2086
	apt-get $opts update -q >"$d/update.log" 2>&1 ||
		die "could not read sid's source index (see $d/update.log)"
	# shellcheck disable=SC2086
	(cd "$d/src" && apt-get $opts source --download-only -q sparse) >"$d/get.log" 2>&1 ||
		die "could not download sparse's source (see $d/get.log)"
	(cd "$d/src" && dpkg-source -x --no-check ./*.dsc tree) >>"$d/get.log" 2>&1 ||
		die "could not unpack sparse's source"
	make -C "$d/src/tree" CC=gcc -j"$(nproc)" sparse >"$d/build.log" 2>&1 ||
		die "could not build sparse (see $d/build.log)"
	mkdir -p "$CACHE/sparse"
	cp "$d/src/tree/sparse" "$SPARSE"
	rm -rf "$d"
fi
echo "deps: $(qemu-system-x86_64 --version | head -1); sparse from sid at $SPARSE"

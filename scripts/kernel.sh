#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest kernel from build/linux into build/kernel, from the config
# fragments in scripts/configs/, with ccache. The config is only rewritten
# when the fragments change, so a rebuild after an edit is incremental.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
OUT=$BUILD/kernel
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_BASEDIR=$BUILD
export KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=pci-tsm KBUILD_BUILD_HOST=overlay
MAKE=(make -C "$LINUX" O="$OUT" -j"$(nproc)" CC="ccache gcc" HOSTCC="ccache gcc")

mkdir -p "$OUT" "$CCACHE_DIR"
ccache -M 8G >/dev/null

frag=$OUT/fragments.config
cat "$TOP"/scripts/configs/*.config >"$frag.new"
if ! cmp -s "$frag.new" "$frag" || [ ! -f "$OUT/.config" ]; then
	"${MAKE[@]}" KCONFIG_ALLCONFIG="$frag.new" allnoconfig
	# Kconfig drops what it cannot satisfy without a word: check.
	missing=$(grep -E '^CONFIG_[A-Z0-9_]+=[ym]' "$frag.new" | while read -r l; do
		grep -qxF "$l" "$OUT/.config" || echo "$l"
	done)
	if [ -n "$missing" ]; then
		echo "config: not satisfied:" $missing >&2
		exit 1
	fi
	grep -E '^CONFIG_[A-Z0-9_]+=n$' "$frag.new" | while read -r l; do
		! grep -q "^${l%=n}=[ym]" "$OUT/.config" || { echo "config: $l not honoured" >&2; exit 1; }
	done
	mv "$frag.new" "$frag"
else
	rm -f "$frag.new"
fi
"${MAKE[@]}" bzImage modules
rm -rf "$OUT/modroot"
"${MAKE[@]}" INSTALL_MOD_PATH="$OUT/modroot" modules_install >/dev/null
echo "kernel: $(cat "$OUT/include/config/kernel.release") $(ls -la "$OUT/arch/x86/boot/bzImage" | awk '{print $5}') bytes"

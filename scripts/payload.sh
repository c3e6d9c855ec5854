#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fill build/guest, the directory the guest mounts at /mnt/pcitsm: the
# kernel's modules and the series' kselftests.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
GUEST=$BUILD/guest
mkdir -p "$GUEST"
rm -rf "$GUEST/modroot"
[ -d "$BUILD/kernel/modroot" ] && cp -a "$BUILD/kernel/modroot" "$GUEST/modroot"
targets=$(cd "$LINUX" && git diff --name-only base HEAD -- tools/testing/selftests |
	sed -n 's|^tools/testing/selftests/\(.*\)/Makefile$|\1|p' | sort -u)
rm -rf "$GUEST/kselftest"
if [ -n "$targets" ]; then
	make -C "$LINUX/tools/testing/selftests" O="$BUILD/kselftest-build" \
		TARGETS="$targets" INSTALL_PATH="$GUEST/kselftest" install
fi
# The userspace tool, built on the host; the guest runs it in the host's
# root (chroot /host), where its libcrypto is.
rm -rf "$GUEST/bin" && mkdir -p "$GUEST/bin"
if [ -f "$LINUX/tools/pci/tsm/Makefile" ]; then
	make -C "$LINUX/tools/pci/tsm" >/dev/null
	cp "$LINUX/tools/pci/tsm/pci-tsm" "$GUEST/bin/"
fi

# The SPDM responder for QEMU's NVMe spdm_port (vm.sh --cma) and its test
# PKI, the root the native CMA selftest verifies against.
rm -rf "$GUEST/responder"
if [ -f "$LINUX/tools/testing/pci-tsm-responder/Makefile" ]; then
	make -C "$LINUX/tools/testing/pci-tsm-responder" OUTPUT="$GUEST/responder/" >/dev/null
	cp "$LINUX/tools/testing/pci-tsm-responder/bench-cma.sh" "$GUEST/responder/"
fi

# Where tests find the kernel tree and the pci-tsm tool (host paths, seen
# in the guest through the host's root shared at /host) and a root with
# Python for YNL.
printf 'KSRC=%s\nYNL_ROOT=/host\nPCI_TSM_TOOL=%s\nPCI_TSM_TOOL_ROOT=/host\n' \
	"$LINUX" "$GUEST/bin/pci-tsm" >"$GUEST/env"
# The same tool as the guest sees it, for when host paths are hidden there
echo "PCI_TSM_TOOL_GUEST=/mnt/pcitsm/bin/pci-tsm" >>"$GUEST/env"
# The responder's PKI as the guest sees it
echo "CMA_PKI=/mnt/pcitsm/responder/pki" >>"$GUEST/env"
# Written by vm.sh --cma once the responder presents another identity
echo "CMA_REPLACED=/mnt/pcitsm/cma-replaced" >>"$GUEST/env"
echo "payload: $(du -sh "$GUEST" | cut -f1) in $GUEST"

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

# The stock YNL CLI and the netlink specs (with the schemas the CLI looks
# for beside them), in their kernel tree layout.
rm -rf "$GUEST/ksrc" && mkdir -p "$GUEST/ksrc/tools/net/ynl" "$GUEST/ksrc/Documentation"
cp -r "$LINUX/tools/net/ynl/pyynl" "$GUEST/ksrc/tools/net/ynl/"
cp -r "$LINUX/Documentation/netlink" "$GUEST/ksrc/Documentation/"
# Byte-compiled here, by the Python the guest runs (the host's, through
# /host): the payload is read-only there, and compiling the CLI at each
# of the tests' many calls costs seconds under TCG.
find "$GUEST/ksrc" -name __pycache__ -prune -exec rm -rf {} +
/usr/bin/python3 -m compileall -q "$GUEST/ksrc/tools/net/ynl/pyynl"

# Where the tests find all of it. The guest binds the payload at
# /mnt/pcitsm both in its own root and in the host's (/host, where Python,
# OpenSSL and the tool's libcrypto are), so these paths hold in either,
# wherever this clone lives on the host: no host path may appear here.
cat >"$GUEST/env" <<EOF
KSRC=/mnt/pcitsm/ksrc
YNL_ROOT=/host
PCI_TSM_TOOL=/mnt/pcitsm/bin/pci-tsm
PCI_TSM_TOOL_ROOT=/host
PCI_TSM_TOOL_GUEST=/mnt/pcitsm/bin/pci-tsm
CMA_PKI=/mnt/pcitsm/responder/pki
CMA_REPLACED=/mnt/pcitsm/cma-replaced
CMA_FORGED=/mnt/pcitsm/cma-forged
CMA_FIRST=/mnt/pcitsm/cma-first
CMA_HOSTILE=/mnt/pcitsm/cma-hostile
CMA_CALM=/mnt/pcitsm/cma-calm
EOF
# The guard of the above: the clone's host path must not reach the guest.
if grep -rlF -e "$TOP/" -e "$BUILD/" "$GUEST/env" "$GUEST/kselftest" 2>/dev/null; then
	die "the guest payload names this clone's host path ($TOP): see the files above"
fi
echo "payload: $(du -sh "$GUEST" | cut -f1) in $GUEST"

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
echo "payload: $(du -sh "$GUEST" | cut -f1) in $GUEST"

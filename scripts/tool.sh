#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the userspace tool (tools/pci/tsm) from build/linux and run its
# host-side tests. Prints one "PASS|FAIL|SKIP tool <case>" line per case.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
[ -f "$LINUX/tools/pci/tsm/Makefile" ] || { echo "SKIP tool (the series has no tools/pci/tsm yet)"; exit 0; }
make -C "$LINUX/tools/pci/tsm" clean >/dev/null 2>&1 || true
out=$LOGS/tool-check.out
rc=0
make -C "$LINUX/tools/pci/tsm" check >"$out" 2>&1 || rc=$?
sed -n -e 's/^ok [0-9]* - \(.*\) # SKIP\(.*\)$/SKIP tool \1 (\2)/p' \
	-e '/# SKIP/!s/^ok [0-9]* - \(.*\)$/PASS tool \1/p' \
	-e 's/^not ok [0-9]* - \(.*\)$/FAIL tool \1/p' "$out"
grep -q '^[0-9]* passed, [0-9]* failed' "$out" || { echo "FAIL tool (no results, see $out)"; exit 1; }
exit $rc

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest for "make bench": every bench_*.sh of the installed
# kselftests, with their arguments from $PCI_TSM_BENCH_ARGS if set, then
# the native CMA benchmark against QEMU's NVMe function (vm.sh --cma).
set -a
[ -f /mnt/pcitsm/env ] && . /mnt/pcitsm/env
set +a
for b in /mnt/pcitsm/kselftest/*/*/bench_*.sh /mnt/pcitsm/kselftest/*/bench_*.sh; do
	[ -x "$b" ] || continue
	echo "== $b"
	(cd "$(dirname "$b")" && ./"$(basename "$b")" $PCI_TSM_BENCH_ARGS)
done
b=/mnt/pcitsm/responder/bench-cma.sh
if [ -x "$b" ]; then
	echo "== $b"
	"$b"
fi

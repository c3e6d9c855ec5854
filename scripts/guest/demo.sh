#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest for "make demo": what a user sees of the PCI TSM ABI.
set -a
[ -f /mnt/pcitsm/env ] && . /mnt/pcitsm/env
set +a
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

say "kernel"
run uname -r

say "TSM instances: /sys/class/tsm"
run ls -l /sys/class/tsm/
for t in /sys/class/tsm/tsm*; do
	[ -e "$t" ] || { echo "(no TSM registered)"; break; }
	echo "$(basename "$t"):"; ls "$t"
done

say "PCI functions with PCIe extended capabilities"
if [ -x /host/usr/bin/lspci ]; then
	run chroot /host lspci -nn
	for d in /sys/bus/pci/devices/*; do
		b=$(basename "$d")
		caps=$(chroot /host lspci -s "$b" -vvv 2>/dev/null |
			grep -oE 'Data Object Exchange|Integrity & Data Encryption|Device Security' | sort -u | tr '\n' ',')
		[ -n "$caps" ] && echo "$b: ${caps%,}"
	done
else
	run ls /sys/bus/pci/devices/
fi

say "tsm/ attributes per function"
found=0
for d in /sys/bus/pci/devices/*; do
	[ -d "$d/tsm" ] || continue
	a=$(ls "$d/tsm" 2>/dev/null | tr '\n' ' ')
	[ -n "$a" ] || continue
	found=1
	echo "$(basename "$d")/tsm: $a"
done
[ $found -eq 1 ] || echo "(none: no TSM registered, so no function offers connect)"

say "evidence over generic netlink (stock YNL CLI)"
if [ -n "$KSRC" ] && [ -f "/host$KSRC/Documentation/netlink/specs/pci-tsm.yaml" ]; then
	echo "\$ cli.py --spec pci-tsm.yaml --dump device-get"
	chroot /host /usr/bin/python3 "$KSRC/tools/net/ynl/pyynl/cli.py" \
		--spec "$KSRC/Documentation/netlink/specs/pci-tsm.yaml" --dump device-get
fi

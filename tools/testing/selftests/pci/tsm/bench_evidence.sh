#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmark, not a test: connect N emulated endpoints (samples/devsec)
# through the platform's link TSM, then dump the evidence of all of them
# with the pci-tsm tool, one device per run, and with one whole-family
# dump from the YNL CLI. Prints wall times, netlink messages and the
# tool's syscalls. Usage: bench_evidence.sh [N...] (default: 1 16 256)

. "$(dirname "$0")/tsm_lib.sh"

[ $# -gt 0 ] || set -- 1 16 256
ROOT=${YNL_ROOT:-/}
CLI=$KSRC/tools/net/ynl/pyynl/cli.py
SPEC=$KSRC/Documentation/netlink/specs/pci-tsm.yaml

# Milliseconds since boot
ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

printf '%6s %12s %14s %12s %10s %10s %14s\n' devices connect-ms \
	dump-tool-ms syscalls sendmsg recvmsg dump-ynl-ms
for n in "$@"; do
	modprobe -r devsec 2>/dev/null
	modprobe devsec nr_endpoints="$n" || exit 1
	link=$(tsm_platform_tsm link)
	eps=$(tsm_platform_eps)

	t0=$(ms)
	for d in $eps; do
		echo "$link" >"$PCI_DEVICES/$d/tsm/connect" || exit 1
	done
	t1=$(ms)

	# One tool run per device, all under one strace -c
	list=$(echo $eps)
	dir=$(mktemp -d)
	chroot "${PCI_TSM_TOOL_ROOT:-/}" /usr/bin/strace -f -c -o "$dir/strace" \
		/bin/sh -c "for d in $list; do
			$PCI_TSM_TOOL evidence dump \$d -o $dir/\$d >/dev/null || exit 1
		done" ||
		exit 1
	t2=$(ms)
	calls=$(awk '$NF == "total" { print $(NF-2) }' "$dir/strace")
	snd=$(awk '$NF == "sendmsg" || $NF == "sendto" { s += $4 }
		END { print s + 0 }' "$dir/strace")
	rcv=$(awk '$NF == "recvmsg" || $NF == "recvfrom" { s += $4 }
		END { print s + 0 }' "$dir/strace")

	t3=$(ms)
	msgs=$(chroot "$ROOT" /usr/bin/python3 "$CLI" --spec "$SPEC" \
		--dump evidence-get 2>/dev/null | grep -c "'offset'")
	t4=$(ms)
	printf '%6s %12s %14s %12s %10s %10s %14s\n' "$n" $((t1 - t0)) \
		$((t2 - t1)) "$calls" "$snd" "$rcv" "$((t4 - t3)) ($msgs msgs)"
	rm -rf "$dir"
done
modprobe -r devsec

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmark, not a test: connect N emulated endpoints (samples/devsec)
# through the platform's link TSM, then dump the evidence of all of them:
#  - with ONE "pci-tsm evidence dump --all" (one process, one device-get
#    and one evidence-get dump), under strace -c;
#  - for N <= $BENCH_LOOP_MAX (default 16) also with one tool run per
#    device, the way a script without --all would do it, under strace -c;
#    under QEMU TCG every process start costs seconds, so that loop is
#    skipped for large N;
#  - with one whole-family evidence-get dump from the YNL CLI, which also
#    counts the dump's messages.
# Prints wall times, netlink messages and the tool's syscalls.
# Usage: bench_evidence.sh [N...] (default: 1 16 256)

. "$(dirname "$0")/tsm_lib.sh"

[ $# -gt 0 ] || set -- 1 16 256
ROOT=${YNL_ROOT:-/}
TROOT=${PCI_TSM_TOOL_ROOT:-/}
LOOP_MAX=${BENCH_LOOP_MAX:-16}
CLI=$KSRC/tools/net/ynl/pyynl/cli.py
SPEC=$KSRC/Documentation/netlink/specs/pci-tsm.yaml

# Milliseconds since boot
ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# strace -c summary FILE: "total-calls sendmsg recvmsg"
calls() {
	awk '$NF == "total" { t = $(NF - 2) }
	     $NF == "sendmsg" || $NF == "sendto" { s += $4 }
	     $NF == "recvmsg" || $NF == "recvfrom" { r += $4 }
	     END { printf "%d %d %d\n", t, s, r }' "$1"
}

fmt='%5s %8s | %8s %8s %5s %5s | %8s %8s %5s %5s | %8s %6s\n'
printf '%5s %8s | %-29s | %-29s | %-15s\n' "" "" "pci-tsm evidence dump --all" \
	"pci-tsm evidence dump DEV x N" "YNL CLI dump"
printf "$fmt" devs conn-ms ms syscalls send recv ms syscalls send recv ms msgs
for n in "$@"; do
	modprobe -r devsec 2>/dev/null
	modprobe devsec nr_endpoints="$n" || exit 1
	link=$(tsm_platform_tsm link)
	eps=$(tsm_platform_eps)
	got=$(echo $eps | wc -w)
	if [ "$got" != "$n" ]; then
		echo "nr_endpoints=$n: $got endpoints appeared" >&2
		exit 1
	fi

	t0=$(ms)
	for d in $eps; do
		echo "$link" >"$PCI_DEVICES/$d/tsm/connect" || exit 1
	done
	t1=$(ms)

	# One tool process for every device
	dir=$(mktemp -d)
	chroot "$TROOT" /usr/bin/strace -c -o "$dir/strace-all" \
		$PCI_TSM_TOOL evidence dump --all -o "$dir/all" >"$dir/all.log" || {
		cat "$dir/all.log" >&2
		exit 1
	}
	t2=$(ms)
	all="$((t2 - t1)) $(calls "$dir/strace-all")"
	dumped=$(ls "$dir/all" | wc -l)
	if [ "$dumped" != "$n" ]; then
		echo "evidence dump --all wrote $dumped of $n devices" >&2
		exit 1
	fi

	# One tool process per device, all under one strace -c
	loop="- - - -"
	if [ "$n" -le "$LOOP_MAX" ]; then
		list=$(echo $eps)
		t2=$(ms)
		chroot "$TROOT" /usr/bin/strace -f -c -o "$dir/strace-loop" \
			/bin/sh -c "for d in $list; do
				$PCI_TSM_TOOL evidence dump \$d -o $dir/\$d >/dev/null || exit 1
			done" ||
			exit 1
		t3=$(ms)
		loop="$((t3 - t2)) $(calls "$dir/strace-loop")"
	fi

	t3=$(ms)
	msgs=$(chroot "$ROOT" /usr/bin/python3 "$CLI" --spec "$SPEC" \
		--dump evidence-get 2>/dev/null | grep -c "'offset'")
	t4=$(ms)
	printf "$fmt" "$n" $((t1 - t0)) $all $loop $((t4 - t3)) "$msgs"
	rm -rf "$dir"
done
modprobe -r devsec

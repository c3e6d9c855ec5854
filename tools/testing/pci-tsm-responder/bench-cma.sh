#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmark of native CMA (module pci-cma) against QEMU's NVMe function and
# spdm-responder: per connect, the DOE exchanges, bytes each way and wall
# time, for a first connect (certificate chain fetched), a re-connect
# (chain reused: the device's digest still matches the cached chain) and
# an evidence refresh.  Not a test: it prints numbers.  Run it in the
# guest next to the responder (-s FILE keeps the counters): give it to
# "scripts/vm.sh --cma", which starts both.
#
# STATS names the responder's counter file as the guest sees it
# (default /mnt/pcitsm/cma-stats); ROUNDS how often each step repeats.

STATS=${STATS:-/mnt/pcitsm/cma-stats}
ROUNDS=${ROUNDS:-5}
D=/sys/bus/pci/devices
[ -f /mnt/pcitsm/env ] && . /mnt/pcitsm/env

fn=
for d in "$D"/*; do
	[ -e "$d/doe_features/0001:01" ] && fn=$(basename "$d") && break
done
[ -n "$fn" ] || { echo "no function with a CMA mailbox"; exit 1; }
[ -r "$STATS" ] || { echo "no responder counters at $STATS"; exit 1; }

before=$(ls /sys/class/tsm)
modprobe pci-cma || exit 1
cma=
for t in $(ls /sys/class/tsm); do
	echo "$before" | grep -qx "$t" || cma=$t
done

# Nanoseconds of CLOCK_MONOTONIC, without the cost of starting a program
# (busybox's date has no %N): /proc/timer_list, else /proc/uptime (10 ms)
now()
{
	t=$(sed -n 's/^now at \([0-9]*\) nsecs$/\1/p;/^now at/q' /proc/timer_list 2>/dev/null)
	if [ -n "$t" ]; then
		echo "$t"
	else
		read -r up _ </proc/uptime
		echo "${up%.*}${up#*.}0000000"
	fi
}

counter()
{
	sed -n "s/^$1 //p" "$STATS"
}

# step NAME COMMAND...: run COMMAND, print what it cost
step()
{
	name=$1
	shift
	x0=$(counter exchanges) i0=$(counter bytes_in) o0=$(counter bytes_out)
	t0=$(now)
	"$@" || { echo "$name: failed"; return 1; }
	t1=$(now)
	printf '%-12s %9d %12d %12d %10d.%03d\n' "$name" \
		$(($(counter exchanges) - x0)) $(($(counter bytes_in) - i0)) \
		$(($(counter bytes_out) - o0)) $(((t1 - t0) / 1000000)) \
		$(((t1 - t0) / 1000 % 1000))
}

connect()
{
	echo "$cma" >"$D/$fn/tsm/connect"
}

disconnect()
{
	echo "$cma" >"$D/$fn/tsm/disconnect"
}

nonce_refresh()
{
	chroot /host "$PCI_TSM" evidence refresh "$fn" >/dev/null
}

echo "native CMA ($cma) on $fn; DOE exchanges and bytes as the responder saw them"
echo "(bytes = whole DOE objects, headers included; wall = in the guest, ms)"
printf '%-12s %9s %12s %12s %14s\n' step exchanges "bytes to dev" "bytes from" "wall ms"
step first connect
disconnect
i=0
while [ $i -lt "$ROUNDS" ]; do
	step re-connect connect
	disconnect
	i=$((i + 1))
done
connect
if [ -n "$PCI_TSM" ]; then
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		step refresh nonce_refresh
		i=$((i + 1))
	done
fi
disconnect
# A module reload drops the cached chains: the next connect is a first one
rmmod pci-cma && modprobe pci-cma
for t in $(ls /sys/class/tsm); do
	echo "$before" | grep -qx "$t" || cma=$t
done
step reload+conn connect
disconnect
rmmod pci-cma

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest for "make demo": what a user sees of the PCI TSM ABI,
# on the emulated TEE platform (samples/devsec).
set -a
[ -f /mnt/pcitsm/env ] && . /mnt/pcitsm/env
set +a
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }
tool() { echo "\$ pci-tsm $*"; chroot "${PCI_TSM_TOOL_ROOT:-/}" "$PCI_TSM_TOOL" "$@"; }
ynl() {
	echo "\$ cli.py --spec pci-tsm.yaml $*"
	chroot /host /usr/bin/python3 "$KSRC/tools/net/ynl/pyynl/cli.py" \
		--spec "$KSRC/Documentation/netlink/specs/pci-tsm.yaml" "$@"
}

say "kernel"
run uname -r

say "the emulated TEE platform and its TSMs"
run modprobe devsec
for t in /sys/class/tsm/tsm*; do
	echo "$(basename "$t"): mode $(cat "$t/mode")"
done
ep=10000:01:00.0
ep2=10000:02:00.0
D=/sys/bus/pci/devices
if [ -x /host/usr/bin/lspci ]; then
	run chroot /host lspci -s "$ep" -vv | grep -E 'Endpoint|Data Object Exchange|TEE'
fi
cp /sys/kernel/debug/devsec/root0.der /tmp/root0.der

say "connect $ep through the link TSM (SPDM over DOE, lib/spdm)"
echo "\$ echo tsm0 > $D/$ep/tsm/connect"
echo tsm0 >"$D/$ep/tsm/connect"
run cat "$D/$ep/tsm/connect" "$D/$ep/tsm/generation"
tool list

say "evidence over generic netlink"
ynl --do device-get --json "{\"dev-name\": \"$ep\"}"
tool evidence dump "$ep" -o /tmp/ev
run ls /tmp/ev

say "verify it against the device's root CA"
tool evidence verify /tmp/ev --root /tmp/root0.der

say "fresh evidence bound to a nonce"
n=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
tool evidence refresh "$ep" --nonce "$n"
tool evidence dump "$ep" -o /tmp/fresh >/dev/null
tool evidence verify /tmp/fresh --root /tmp/root0.der --nonce "$n"

say "fault injection: a replaced device (another key and chain)"
echo tsm0 >"$D/$ep/tsm/disconnect"
run sh -c "echo 1 > /sys/kernel/debug/devsec/$ep/identity"
echo tsm0 >"$D/$ep/tsm/connect"
tool evidence dump "$ep" -o /tmp/replaced >/dev/null
tool evidence verify /tmp/replaced --root /tmp/root0.der || echo "(verification failed, as it must)"
echo tsm0 >"$D/$ep/tsm/disconnect"

say "fault injection: a corrupted signature"
run sh -c "echo 1 > /sys/kernel/debug/devsec/$ep/corrupt_sig"
echo "\$ echo tsm0 > $D/$ep/tsm/connect"
echo tsm0 >"$D/$ep/tsm/connect" || echo "(connect refused by the kernel)"

say "lock, then accept $ep2 through the devsec TSM"
echo "\$ echo tsm1 > $D/$ep2/tsm/lock"
echo tsm1 >"$D/$ep2/tsm/lock"
run cat "$D/$ep2/tsm/lock" "$D/$ep2/tsm/state"
tool evidence dump "$ep2" -o /tmp/locked
tool evidence verify /tmp/locked --root /tmp/root0.der
gen=$(cat "$D/$ep2/tsm/generation")
echo "\$ echo $gen > $D/$ep2/tsm/accept"
echo "$gen" >"$D/$ep2/tsm/accept"
run cat "$D/$ep2/tsm/state"
echo "TDISP state in the device: $(cat /sys/kernel/debug/devsec/$ep2/tdi_state) (2 = RUN)"
echo "\$ echo 1 > $D/$ep2/tsm/unlock"
echo 1 >"$D/$ep2/tsm/unlock"
run cat "$D/$ep2/tsm/state"

# reset_and_wait DEV: a function reset, then the kernel's revalidation
# verdict (it runs in a workqueue after the reset)
reset_and_wait() {
	n=$(dmesg | grep -c "$1: PCI/TSM: revalidation")
	echo "\$ echo 1 > $D/$1/reset"
	echo 1 >"$D/$1/reset"
	i=0
	while [ "$(dmesg | grep -c "$1: PCI/TSM: revalidation")" -le "$n" ] && [ $i -lt 30 ]; do
		sleep 1
		i=$((i + 1))
	done
	dmesg | grep "$1: PCI/TSM: revalidation" | tail -1
}

say "recovery: $ep2, pinned to the chain userspace checked, survives a reset"
echo tsm1 >"$D/$ep2/tsm/lock"
cat "$D/$ep2/tsm/generation" >"$D/$ep2/tsm/accept"
tool evidence dump "$ep2" -o /tmp/pin >/dev/null
h=$(sha256sum /tmp/pin/cert-chain-slot0.bin | cut -d' ' -f1)
ynl --do policy-set --json "{\"dev-name\": \"$ep2\", \"mode\": \"signature\",
	\"slot-policy\": [{\"slot\": 0, \"chain-hash\": \"$h\"}]}"
reset_and_wait "$ep2"
run cat "$D/$ep2/tsm/state"

say "recovery: a device replaced behind a reset is caught"
run sh -c "echo 1 > /sys/kernel/debug/devsec/$ep2/identity"
reset_and_wait "$ep2"
run cat "$D/$ep2/tsm/state"
echo 1 >"$D/$ep2/tsm/unlock"
run modprobe -r devsec

say "native CMA: the kernel authenticates QEMU's NVMe function itself"
cma_fn=
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/doe_features/0001:01" ] && cma_fn=$(basename "$d") && break
done
if [ -n "$cma_fn" ] && modprobe pci-cma; then
	cma=
	for t in /sys/class/tsm/tsm*; do
		[ "$(readlink -f "$t/device")" = "$(readlink -f /sys/devices/faux/pci-cma)" ] &&
			cma=$(basename "$t")
	done
	run chroot /host lspci -s "$cma_fn" 2>/dev/null
	cp "$CMA_PKI/id0/root.pem" /tmp/cma-root.pem
	echo "\$ echo $cma > $D/$cma_fn/tsm/connect"
	echo "$cma" >"$D/$cma_fn/tsm/connect"
	run cat "$D/$cma_fn/tsm/connect"
	tool evidence dump "$cma_fn" -o /tmp/cma
	tool evidence verify /tmp/cma --root /tmp/cma-root.pem
	n=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
	tool evidence refresh "$cma_fn" --nonce "$n"
	tool evidence dump "$cma_fn" -o /tmp/cma-fresh >/dev/null
	tool evidence verify /tmp/cma-fresh --root /tmp/cma-root.pem --nonce "$n"
	echo "\$ echo $cma > $D/$cma_fn/tsm/disconnect"
	echo "$cma" >"$D/$cma_fn/tsm/disconnect"
	run modprobe -r pci-cma
else
	echo "(no function with a CMA mailbox, or no pci-cma module)"
fi

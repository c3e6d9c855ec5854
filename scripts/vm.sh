#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the guest kernel under QEMU (TCG: KVM does not work on these
# machines) and run one script inside it.
#
#	scripts/vm.sh [--timeout S] [--qemu-args "..."] [--cma] SCRIPT [ARGS...]
#
# --cma adds QEMU's NVMe function with an SPDM-over-DOE mailbox
# (spdm_port) and runs the payload's SPDM responder
# (tools/testing/pci-tsm-responder) for it while QEMU runs; its exchange
# counters are in build/guest/cma-stats (/mnt/pcitsm/cma-stats in the guest).
#
# The guest has a busybox initramfs; build/guest (the payload: selftests,
# tools, modules, the script) is shared read-only over virtio-9p at
# /mnt/pcitsm, and the host's root at /host for Python and OpenSSL.
# The guest's console goes to build/logs/vm-*.log; the script's output is
# printed here and its exit status is this command's.
set -e
. "$(dirname "$0")/lib.sh"

timeout=600
qemu_extra=()
cma=
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) timeout=$2; shift 2 ;;
	--qemu-args) read -ra qemu_extra <<<"$2"; shift 2 ;;
	--cma) cma=1; shift ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || die "usage: vm.sh [--timeout S] [--qemu-args ARGS] [--cma] SCRIPT [ARGS...]"

KERNEL=$BUILD/kernel/arch/x86/boot/bzImage
GUEST=$BUILD/guest
INITRD=$BUILD/initramfs.cpio
[ -f "$KERNEL" ] || die "no guest kernel: run 'make kernel' first"

build_initramfs() {
	local d=$BUILD/initramfs
	local bb
	bb=$(command -v busybox || true)
	[ -n "$bb" ] || bb=/bin/busybox
	[ -x "$bb" ] || die "busybox is missing: run scripts/deps.sh (package busybox-static)"
	file -L "$bb" 2>/dev/null | grep -q 'statically linked' ||
		ldd "$bb" 2>&1 | grep -q 'not a dynamic' ||
		die "$bb is not static: install busybox-static"
	rm -rf "$d" && mkdir -p "$d"/{bin,sbin,dev,proc,sys,tmp,mnt/pcitsm,host,root,etc,lib}
	cp "$bb" "$d/bin/busybox"
	cp "$TOP/scripts/guest/init.sh" "$d/init"
	chmod +x "$d/init"
	(cd "$d" && find . | cpio -o -H newc --quiet) >"$INITRD.tmp"
	mv "$INITRD.tmp" "$INITRD"
}
if [ ! -f "$INITRD" ] || [ "$TOP/scripts/guest/init.sh" -nt "$INITRD" ]; then
	build_initramfs
fi

script=$1
shift
mkdir -p "$GUEST"
cp "$script" "$GUEST/run.sh"
chmod +x "$GUEST/run.sh"
printf '%q ' "$@" >"$GUEST/run.args"
rm -f "$GUEST/out.log"

log=$LOGS/vm-$(basename "$script" .sh).log

# start_responder: the SPDM responder QEMU's NVMe function talks to. QEMU
# connects once, at start-up, and exits if nobody listens: wait for it.
rsp_pid=
start_responder() {
	local rsp=$GUEST/responder/spdm-responder rlog=$LOGS/responder.log
	local port i
	[ -x "$rsp" ] || die "no SPDM responder in the payload: run scripts/payload.sh"
	for i in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 20000))
		"$rsp" -p "$port" -d "$GUEST/responder/pki/id0" \
			-a "$GUEST/responder/pki/id1" -f "$GUEST/responder/pki/forged" \
			-s "$GUEST/cma-stats" -x "$(date +%s):25" 2>"$rlog" &
		rsp_pid=$!
		while kill -0 "$rsp_pid" 2>/dev/null && ! grep -q listening "$rlog"; do
			sleep 0.1
		done
		if kill -0 "$rsp_pid" 2>/dev/null; then
			truncate -s 1M "$BUILD/cma-nvme.img"
			# x-speed=5: after a secondary bus reset (AER recovery)
			# Linux waits for Data Link Layer Link Active on a port
			# faster than 5 GT/s, which QEMU's root port does not
			# set ("not set in 100 msec", recovery fails); at 5 GT/s
			# it polls the device itself.
			qemu_extra+=(-drive "file=$BUILD/cma-nvme.img,if=none,id=cmanvme,format=raw"
				-device pcie-root-port,id=cmarp,chassis=1,slot=1,x-speed=5
				-device "nvme,bus=cmarp,drive=cmanvme,serial=cma0,spdm_port=$port")
			watch_replace
			trap 'kill "$rsp_pid" "$watch_pid" 2>/dev/null' EXIT
			return
		fi
	done
	die "the SPDM responder does not start: see $rlog"
}
# watch_replace: a guest test asks for a replaced device by logging
# "pci-tsm-responder: replace device" (/dev/kmsg, on the console); the
# responder then presents its alternate identity (SIGUSR1), and the guest
# sees that it does through $GUEST/cma-replaced (CMA_REPLACED there).
# "pci-tsm-responder: forged identity" (SIGUSR2, $GUEST/cma-forged) and
# "pci-tsm-responder: first identity" (SIGHUP, $GUEST/cma-first) switch
# to the forged chain and back; "pci-tsm-responder: hostile on" and
# "... hostile off" (SIGRTMIN, SIGRTMIN+1: $GUEST/cma-hostile,
# $GUEST/cma-calm) make it break a quarter of its answers on purpose
# (its seed is in responder.log) and stop.
watch_pid=
watch_replace() {
	rm -f "$GUEST/cma-replaced" "$GUEST/cma-forged" "$GUEST/cma-first" \
		"$GUEST/cma-hostile" "$GUEST/cma-calm"
	tail -n +1 -F "$log" 2>/dev/null > >(while IFS= read -r l; do
		case $l in
		*"pci-tsm-responder: replace device"*)
			kill -USR1 "$rsp_pid" && date +%s >"$GUEST/cma-replaced" ;;
		*"pci-tsm-responder: forged identity"*)
			kill -USR2 "$rsp_pid" && date +%s >"$GUEST/cma-forged" ;;
		*"pci-tsm-responder: first identity"*)
			kill -HUP "$rsp_pid" && date +%s >"$GUEST/cma-first" ;;
		*"pci-tsm-responder: hostile on"*)
			kill -RTMIN "$rsp_pid" && date +%s >"$GUEST/cma-hostile" ;;
		*"pci-tsm-responder: hostile off"*)
			kill -RTMIN+1 "$rsp_pid" && date +%s >"$GUEST/cma-calm" ;;
		esac
	done) &
	watch_pid=$!
}
rm -f "$log"
[ -z "$cma" ] || start_responder
qemu=(qemu-system-x86_64 -accel tcg -M q35 -cpu max -smp 2 -m 2G
	-display none -monitor none -no-reboot
	-serial "file:$log"
	-kernel "$KERNEL" -initrd "$INITRD"
	-append "console=ttyS0 loglevel=5 panic=-1 oops=panic rdinit=/init"
	-virtfs "local,path=$GUEST,mount_tag=pcitsm,security_model=none,readonly=on"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on"
	"${qemu_extra[@]}")
rc=0
timeout --foreground -k 10 "$timeout" "${qemu[@]}" </dev/null || rc=$?
if [ $rc -eq 124 ]; then
	echo "vm: timed out after ${timeout}s; console log: $log" >&2
	tail -n 20 "$log" >&2
	exit 124
fi
# The guest prints its script's output between markers, then its status.
sed -n '/^==PCI-TSM-BEGIN==/,/^==PCI-TSM-END/p' "$log" | sed '1d;$d' | tr -d '\r'
status=$(sed -n 's/^==PCI-TSM-END== status=\([0-9]*\).*/\1/p' "$log" | tr -d '\r' | tail -1)
if [ -z "$status" ]; then
	echo "vm: the guest did not finish its script (QEMU exit $rc); console log: $log" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
exit "$status"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest for "make demo": what a user sees of the PCI TSM ABI,
# on the emulated TEE platform (samples/devsec) and on QEMU's NVMe function
# (native CMA).
#
# Every step checks the outcome it announces and prints "ok <step>: ..."
# only once it observed it; the first step whose outcome does not hold
# prints "FAILED <step>: ..." and ends the demo with exit status 1.
#
#	demo.sh [BREAK]
#
# BREAK names a step to break on purpose (make demo DEMO_BREAK=<step>),
# to show that the demo notices: the step is sabotaged as its comment
# says, and the demo must then fail, naming it.
set -a
[ -f /mnt/pcitsm/env ] && . /mnt/pcitsm/env
set +a
BREAK=$1
STEPS="platform connect netlink dump verify refresh replaced corrupt-sig lock accept pin
reval-pass reval-replaced cma-connect cma-verify cma-refresh"
if [ -n "$BREAK" ]; then
	known=
	for s in $STEPS; do
		[ "$s" = "$BREAK" ] && known=1
	done
	if [ -z "$known" ]; then
		echo "DEMO_BREAK=$BREAK: not a step; the steps are: $(echo $STEPS)"
		exit 2
	fi
fi

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }
tool() { echo "\$ pci-tsm $*" >&2; chroot "${PCI_TSM_TOOL_ROOT:-/}" "$PCI_TSM_TOOL" "$@"; }
ynl() {
	echo "\$ cli.py --spec pci-tsm.yaml $*" >&2
	chroot "${YNL_ROOT:-/}" /usr/bin/python3 "$KSRC/tools/net/ynl/pyynl/cli.py" \
		--spec "$KSRC/Documentation/netlink/specs/pci-tsm.yaml" "$@"
}
# broken STEP: true when STEP is the one to sabotage
broken() {
	[ "$BREAK" = "$1" ] || return 1
	echo "(DEMO_BREAK=$1: sabotaging this step on purpose)"
}
ok() { printf '\033[32mok\033[0m %s: %s\n' "$1" "$2"; }
# fail STEP WHY: on stderr, so that no redirection of a step hides it
fail() {
	printf '\033[31mFAILED\033[0m %s: %s\n' "$1" "$2" >&2
	echo "demo: step '$1' did not do what it announced" >&2
	exit 1
}
# sysw STEP FILE VALUE: write VALUE to FILE as "echo" shows it, or fail STEP
sysw() {
	echo "\$ echo $3 > $2"
	echo "$3" 2>/tmp/sysw.err >"$2" || fail "$1" "writing '$3' to $2: $(cat /tmp/sysw.err)"
}
# verify_ok STEP DIR ARGS...: the verifier must accept DIR
verify_ok() {
	st=$1
	shift
	out=$(tool evidence verify "$@" 2>&1) && rc=0 || rc=$?
	echo "$out"
	[ $rc -eq 0 ] || fail "$st" "verification of $1 failed (exit $rc), expected OK"
	case $out in
	*": OK"*) ok "$st" "the verifier accepted $1 ($(echo "$out" | grep '^trust:'))" ;;
	*) fail "$st" "the verifier exited 0 but printed no OK" ;;
	esac
}
# verify_fails STEP REASON DIR ARGS...: the verifier must reject DIR, for REASON
verify_fails() {
	st=$1
	why=$2
	shift 2
	out=$(tool evidence verify "$@" 2>&1) && rc=0 || rc=$?
	echo "$out"
	[ $rc -ne 0 ] || fail "$st" "the verifier accepted $1, expected FAILED ($why)"
	# 1 is "a check failed"; 2-4 would be usage, I/O or unanchored
	[ $rc -eq 1 ] || fail "$st" "the verifier exited $rc, expected 1 (a check failed)"
	case $out in
	*FAILED*"$why"*) ok "$st" "the verifier rejected $1: $why" ;;
	*) fail "$st" "the verifier failed, but not because '$why'" ;;
	esac
}
# dump STEP DEV DIR: dump DEV's evidence into DIR, with a chain and a signature
dump() {
	rm -rf "$3"
	tool evidence dump "$2" -o "$3" || fail "$1" "pci-tsm evidence dump $2 failed"
	[ -s "$3/cert-chain-slot0.bin" ] && [ -s "$3/signature-slot0.bin" ] ||
		fail "$1" "the dump of $2 has no certificate chain or signature: $(ls "$3")"
}
nonce() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
D=/sys/bus/pci/devices
DBG=/sys/kernel/debug/devsec

say "kernel"
run uname -r

say "the emulated TEE platform and its TSMs"
# break: load the platform without its endpoints
if broken platform; then
	run modprobe devsec nr_endpoints=0
else
	run modprobe devsec || fail platform "modprobe devsec failed"
fi
link=
devsec=
for t in /sys/class/tsm/tsm*; do
	[ -e "$t" ] || continue
	m=$(cat "$t/mode")
	echo "$(basename "$t"): mode $m"
	case $m in
	link) [ -n "$link" ] || link=$(basename "$t") ;;
	devsec) [ -n "$devsec" ] || devsec=$(basename "$t") ;;
	esac
done
ep=10000:01:00.0
ep2=10000:02:00.0
[ -n "$link" ] && [ -n "$devsec" ] && [ -d "$D/$ep/tsm" ] && [ -d "$D/$ep2/tsm" ] ||
	fail platform "expected a link TSM, a devsec TSM and endpoints $ep, $ep2"
ok platform "link TSM $link, devsec TSM $devsec, endpoints $ep and $ep2"
if [ -x /host/usr/bin/lspci ]; then
	run chroot /host lspci -s "$ep" -vv | grep -E 'Endpoint|Data Object Exchange|TEE'
fi
cp $DBG/root0.der /tmp/root0.der
cp $DBG/root1.der /tmp/root1.der

say "connect $ep through the link TSM (SPDM over DOE, lib/spdm)"
# break: connect through the devsec TSM, which refuses a link connect
t=$link
broken connect && t=$devsec
echo "\$ echo $t > $D/$ep/tsm/connect"
echo "$t" 2>/dev/null >"$D/$ep/tsm/connect"
run cat "$D/$ep/tsm/connect" "$D/$ep/tsm/generation"
[ "$(cat "$D/$ep/tsm/connect")" = "$link" ] ||
	fail connect "$ep is not connected to $link"
tool list | tee /tmp/list.txt
grep -q "$ep" /tmp/list.txt || fail connect "pci-tsm list does not show $ep"
ok connect "$ep is connected to $link, and pci-tsm list shows it"

say "evidence over generic netlink (the stock YNL CLI)"
d=$ep
broken netlink && d=0000:ff:1f.7
out=$(ynl --do device-get --json "{\"dev-name\": \"$d\"}" 2>&1) ||
	fail netlink "device-get $d failed: $out"
echo "$out"
case $out in
*"'dev-name': '$ep'"*) ok netlink "device-get answers for $ep" ;;
*) fail netlink "device-get did not describe $ep" ;;
esac

say "dump the evidence to files"
dump dump "$ep" /tmp/ev
broken dump && rm /tmp/ev/cert-chain-slot0.bin
run ls /tmp/ev
[ -s /tmp/ev/cert-chain-slot0.bin ] || fail dump "no certificate chain in the dump"
ok dump "$(ls /tmp/ev | wc -l) files in /tmp/ev"

say "verify it against the device's root CA"
# break: verify against the replaced device's root instead
root=/tmp/root0.der
broken verify && root=/tmp/root1.der
verify_ok verify /tmp/ev --root "$root"

say "fresh evidence bound to a nonce"
n=$(nonce)
tool evidence refresh "$ep" --nonce "$n" 2>&1 || fail refresh "refresh with a nonce failed"
dump refresh "$ep" /tmp/fresh >/dev/null
# break: check the dump against another nonce than the one sent
broken refresh && n=$(nonce)
verify_ok refresh /tmp/fresh --root /tmp/root0.der --nonce "$n"

say "fault injection: a replaced device (another key and chain)"
sysw replaced "$D/$ep/tsm/disconnect" "$link"
# break: leave the device's identity alone
broken replaced || run sh -c "echo 1 > $DBG/$ep/identity"
sysw replaced "$D/$ep/tsm/connect" "$link"
echo "(the kernel connects it: it makes no trust decision)"
dump replaced "$ep" /tmp/replaced >/dev/null
verify_fails replaced "does not anchor" /tmp/replaced --root /tmp/root0.der
sysw replaced "$D/$ep/tsm/disconnect" "$link"
echo 0 >"$DBG/$ep/identity"

say "fault injection: a corrupted signature"
# break: do not corrupt the device's signature, nor the copy of the dump
broken corrupt-sig || run sh -c "echo 1 > $DBG/$ep/corrupt_sig"
echo "\$ echo $link > $D/$ep/tsm/connect"
if echo "$link" 2>/tmp/connect.err >"$D/$ep/tsm/connect"; then
	echo "$link" >"$D/$ep/tsm/disconnect"
	fail corrupt-sig "the kernel connected a device whose signature is corrupted"
fi
cat /tmp/connect.err
grep -q "Key was rejected" /tmp/connect.err ||
	fail corrupt-sig "connect failed, but not with EKEYREJECTED: $(cat /tmp/connect.err)"
[ -z "$(cat "$D/$ep/tsm/connect")" ] || fail corrupt-sig "$ep was left connected"
ok corrupt-sig "the kernel refused the connect (EKEYREJECTED) and left $ep unconnected"
echo "and offline: one byte of the good dump's signature flipped"
rm -rf /tmp/badsig && cp -r /tmp/ev /tmp/badsig
if ! broken corrupt-sig; then
	b=$(od -An -tu1 -j8 -N1 /tmp/badsig/signature-slot0.bin | tr -d ' ')
	printf "\\$(printf %o $((b ^ 255)))" |
		dd of=/tmp/badsig/signature-slot0.bin bs=1 seek=8 conv=notrunc 2>/dev/null
fi
verify_fails corrupt-sig "does not verify" /tmp/badsig --root /tmp/root0.der

say "lock, then accept $ep2 through the devsec TSM"
# break: lock through the link TSM, which cannot lock
t=$devsec
broken lock && t=$link
sysw lock "$D/$ep2/tsm/lock" "$t"
run cat "$D/$ep2/tsm/lock" "$D/$ep2/tsm/state"
[ "$(cat "$D/$ep2/tsm/state")" = locked ] || fail lock "$ep2 is not locked"
dump lock "$ep2" /tmp/locked
[ -s /tmp/locked/interface-report-slot0.bin ] ||
	fail lock "the locked function's dump has no interface report"
verify_ok lock /tmp/locked --root /tmp/root0.der
gen=$(cat "$D/$ep2/tsm/generation")
# break: accept an evidence generation older than the one verified
broken accept && gen=$((gen - 1))
sysw accept "$D/$ep2/tsm/accept" "$gen"
run cat "$D/$ep2/tsm/state"
tdi=$(cat $DBG/$ep2/tdi_state)
echo "TDISP state in the device: $tdi (2 = RUN)"
[ "$(cat "$D/$ep2/tsm/state")" = run ] && [ "$tdi" = 2 ] ||
	fail accept "$ep2 is not in RUN after accept"
ok accept "$ep2 accepted at generation $gen: the device's TDI is in RUN"
sysw accept "$D/$ep2/tsm/unlock" 1
run cat "$D/$ep2/tsm/state"

# reset_and_wait DEV: a function reset, then the kernel's revalidation
# verdict (it runs in a workqueue after the reset) from the policy
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
	ynl --output-json --do policy-get --json "{\"dev-name\": \"$1\"}" 2>&1 | tee /tmp/policy.txt
	result=$(sed -n 's/.*"last-result": "\([a-z-]*\)".*/\1/p' /tmp/policy.txt)
}

say "recovery: $ep2, pinned to the chain userspace checked, survives a reset"
sysw pin "$D/$ep2/tsm/lock" "$devsec"
sysw pin "$D/$ep2/tsm/accept" "$(cat "$D/$ep2/tsm/generation")"
dump pin "$ep2" /tmp/pin >/dev/null
verify_ok pin /tmp/pin --root /tmp/root0.der
h=$(sha256sum /tmp/pin/cert-chain-slot0.bin | cut -d' ' -f1)
# break: skip the policy-set
if ! broken pin; then
	ynl --do policy-set --json "{\"dev-name\": \"$ep2\", \"mode\": \"signature\",
		\"slot-policy\": [{\"slot\": 0, \"chain-hash\": \"$h\"}]}" ||
		fail pin "policy-set failed"
fi
out=$(ynl --output-json --do policy-get --json "{\"dev-name\": \"$ep2\"}" 2>&1)
echo "$out"
case $out in
*'"mode": "signature"'*"$h"* | *"$h"*'"mode": "signature"'*)
	ok pin "$ep2 is pinned to slot 0's chain $h" ;;
*) fail pin "policy-get does not show the signature policy pinned to $h" ;;
esac
# break: replace the device before the reset that should pass
broken reval-pass && echo 1 >"$DBG/$ep2/identity"
reset_and_wait "$ep2"
run cat "$D/$ep2/tsm/state"
[ "$result" = pass ] || fail reval-pass "revalidation result '$result', expected 'pass'"
ok reval-pass "the reset $ep2 revalidated: pass"
echo 0 >"$DBG/$ep2/identity"

say "recovery: a device replaced behind a reset is caught"
# break: leave the device's identity alone
broken reval-replaced || run sh -c "echo 1 > $DBG/$ep2/identity"
reset_and_wait "$ep2"
run cat "$D/$ep2/tsm/state"
[ "$result" = identity-mismatch ] ||
	fail reval-replaced "revalidation result '$result', expected 'identity-mismatch'"
ok reval-replaced "the replaced $ep2 failed revalidation: identity-mismatch"
echo 1 >"$D/$ep2/tsm/unlock" 2>/dev/null
run modprobe -r devsec

say "native CMA: the kernel authenticates QEMU's NVMe function itself"
cma_fn=
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/doe_features/0001:01" ] && cma_fn=$(basename "$d") && break
done
[ -n "$cma_fn" ] || fail cma-connect "no PCI function with a CMA mailbox (QEMU's nvme,spdm_port=)"
run modprobe pci-cma || fail cma-connect "modprobe pci-cma failed"
cma=
for t in /sys/class/tsm/tsm*; do
	[ "$(readlink -f "$t/device")" = "$(readlink -f /sys/devices/faux/pci-cma)" ] &&
		cma=$(basename "$t")
done
[ -n "$cma" ] || fail cma-connect "pci-cma registered no TSM"
run chroot /host lspci -s "$cma_fn" 2>/dev/null
# break: connect to a slot the responder has no certificate in
c=$cma
broken cma-connect && c="$cma slot=7"
sysw cma-connect "$D/$cma_fn/tsm/connect" "$c"
run cat "$D/$cma_fn/tsm/connect"
[ "$(cat "$D/$cma_fn/tsm/connect")" = "$cma" ] || fail cma-connect "$cma_fn is not connected to $cma"
ok cma-connect "$cma_fn is connected to $cma (pci-cma)"
cp "$CMA_PKI/id0/root.pem" /tmp/cma-root.pem
dump cma-verify "$cma_fn" /tmp/cma
# break: verify against the responder's other identity's root
root=$CMA_PKI/id0/root.pem
broken cma-verify && root=$CMA_PKI/id1/root.pem
cp "$root" /tmp/cma-root.pem
verify_ok cma-verify /tmp/cma --root /tmp/cma-root.pem
cp "$CMA_PKI/id0/root.pem" /tmp/cma-root.pem
n=$(nonce)
tool evidence refresh "$cma_fn" --nonce "$n" 2>&1 || fail cma-refresh "refresh with a nonce failed"
dump cma-refresh "$cma_fn" /tmp/cma-fresh >/dev/null
# break: check the dump against another nonce than the one sent
broken cma-refresh && n=$(nonce)
verify_ok cma-refresh /tmp/cma-fresh --root /tmp/cma-root.pem --nonce "$n"
sysw cma-refresh "$D/$cma_fn/tsm/disconnect" "$cma"
run modprobe -r pci-cma

if [ -n "$BREAK" ]; then
	echo "FAILED $BREAK: DEMO_BREAK=$BREAK sabotaged it, and the demo did not notice" >&2
	exit 3
fi
say "every step did what it announced"
echo "demo: $(echo $STEPS | wc -w) steps ok"

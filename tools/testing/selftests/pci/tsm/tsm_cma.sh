#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Native CMA (drivers/pci/tsm/cma.c, module pci-cma) against a device the
# kernel did not emulate: QEMU's NVMe function with spdm_port, answered by
# tools/testing/pci-tsm-responder.  Loads pci-cma, connects the function
# natively, dumps and verifies its evidence against the responder's test
# root, refreshes it bound to a nonce, checks that a function another TSM
# holds cannot be connected (EBUSY, both ways), that disconnect removes
# the evidence, and the certificate slot choice ("tsmN slot=S"); then a
# forged chain, and 200 connects through a hostile responder.
#
# Environment (the test guest's payload sets them):
#   PCI_TSM_TOOL...  the pci-tsm tool (see tsm_lib.sh)
#   CMA_PKI          the responder's PKI (id0/root.pem, id1/root.pem)

. "$(dirname "$0")/tsm_lib.sh"

# 32 random bytes in hex: a requester nonce
rand_nonce()
{
	od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}

# The newest TSM: the one in "$2" that is not in "$1"
new_tsm()
{
	for t in $2; do
		case " $1 " in
		*" $t "*) ;;
		*) echo "$t"; return ;;
		esac
	done
}

ktap_print_header

# A function 0 with a CMA DOE mailbox (PCI-SIG, type 1): QEMU's NVMe
fn=
for d in $(pci_with_attr doe_features/0001:01); do
	case $d in
	*.0) fn=$d; break ;;
	esac
done
if [ -z "$fn" ]; then
	ktap_skip_all "no PCI function 0 with a CMA DOE mailbox (QEMU nvme,spdm_port=)"
	exit "$KSFT_SKIP"
fi
if [ -z "$PCI_TSM_TOOL" ] || ! tsm_tool list >/dev/null 2>&1 ||
   [ ! -f "$CMA_PKI/id0/root.pem" ]; then
	ktap_skip_all "no pci-tsm tool or responder PKI (set PCI_TSM_TOOL, CMA_PKI)"
	exit "$KSFT_SKIP"
fi
before=$(tsm_list | tr '\n' ' ')
if ! modprobe pci-cma; then
	ktap_skip_all "cannot load pci-cma (CONFIG_PCI_CMA=m)"
	exit "$KSFT_SKIP"
fi
cma=$(new_tsm "$before" "$(tsm_list)")
tsm=$PCI_DEVICES/$fn/tsm
# Under /tmp, which the tool sees wherever it runs
dir=/tmp/tsm_cma.$$
ev=$dir/ev
mkdir -p "$dir"
cp "$CMA_PKI/id0/root.pem" "$dir/root0.pem"
cp "$CMA_PKI/id1/root.pem" "$dir/root1.pem"
root=$dir/root0.pem
ktap_print_msg "function $fn, native CMA TSM ${cma:-none}"

ktap_set_plan 39

ktap_expect "pci-cma registers a link TSM" link \
	"$(cat "$TSM_CLASS/$cma/mode" 2>/dev/null)"
ktap_expect "the CMA function offers tsm/connect" yes \
	"$([ -w "$tsm/connect" ] && echo yes)"

ktap_expect "connect $fn natively" "" "$(write_err "$cma" "$tsm/connect")"
ktap_expect "connect shows the native TSM" "$cma" "$(cat "$tsm/connect")"
ktap_expect "authenticated shows the native TSM" "$cma" \
	"$(cat "$PCI_DEVICES/$fn/authenticated" 2>/dev/null)"

rm -rf "$ev"
out=$(tsm_tool evidence dump "$fn" -o "$ev" 2>&1 &&
      tsm_tool evidence verify "$ev" --root "$root" 2>&1)
rc=$?
[ $rc -eq 0 ] || ktap_print_msg "$out"
ktap_expect "evidence dumps and verifies against the responder's root" 0 $rc
# both signed exchanges of the connect, each verified offline on its own
ktap_expect "the CHALLENGE_AUTH signature (M1, binds the chain) verifies" yes \
	"$(echo "$out" | grep -q '^signature: ok, challenge-signature-slot0.bin' && echo yes)"
ktap_expect "the MEASUREMENTS signature (L1) verifies" yes \
	"$(echo "$out" | grep -q '^signature: ok, measurements-signature-slot0.bin' && echo yes)"
ktap_expect "verify says the measurement blocks are covered" yes \
	"$(echo "$out" | grep -q '^covered: measurements-slot0.bin' && echo yes)"
tsm_tool evidence verify "$ev" >/dev/null 2>&1
ktap_expect "without --root: self-consistent but unanchored (exit 4)" 4 $?

# The same evidence against another device's root must fail
tsm_tool evidence verify "$ev" --root "$dir/root1.pem" >/dev/null 2>&1
ktap_expect "evidence does not verify against a foreign root" 1 $?

nonce=$(rand_nonce)
gen0=$(cat "$tsm/generation" 2>/dev/null)
rm -rf "$ev"
out=$(tsm_tool evidence refresh "$fn" --nonce "$nonce" 2>&1 &&
      tsm_tool evidence dump "$fn" -o "$ev" 2>&1 &&
      tsm_tool evidence verify "$ev" --root "$root" --nonce "$nonce" 2>&1)
rc=$?
[ $rc -eq 0 ] || ktap_print_msg "$out"
ktap_expect "refresh with a nonce: fresh evidence verifies with --nonce" 0 $rc
tsm_tool evidence verify "$ev" --root "$root" \
	--nonce "$(rand_nonce)" >/dev/null 2>&1
ktap_expect "refreshed evidence does not verify with another nonce" 1 $?
ktap_expect "refresh bumps the evidence generation" yes \
	"$([ "$(cat "$tsm/generation" 2>/dev/null)" -gt "${gen0:-0}" ] && echo yes)"

ktap_expect "a second connect of a connected function: EBUSY" \
	"Device or resource busy" "$(write_err "$cma" "$tsm/connect")"

# Functions of the emulated platform, held by its link TSM
loaded=
if [ ! -d /sys/module/devsec ] && modprobe devsec 2>/dev/null; then
	loaded=devsec
fi
link=
for t in $(tsm_list); do
	[ "$t" != "$cma" ] && [ "$(cat "$TSM_CLASS/$t/mode")" = link ] &&
		link=$t && break
done
ep=
for d in $(pci_with_attr tsm/connect); do
	[ "$d" != "$fn" ] && [ -z "$(cat "$PCI_DEVICES/$d/tsm/connect")" ] &&
		ep=$d && break
done
if [ -n "$link" ] && [ -n "$ep" ] &&
   [ -z "$(write_err "$link" "$PCI_DEVICES/$ep/tsm/connect")" ]; then
	ktap_expect "native connect of a function $link holds: EBUSY" \
		"Device or resource busy" \
		"$(write_err "$cma" "$PCI_DEVICES/$ep/tsm/connect")"
	ktap_expect "connect via $link of a natively held function: EBUSY" \
		"Device or resource busy" "$(write_err "$link" "$tsm/connect")"
	write_err "$link" "$PCI_DEVICES/$ep/tsm/disconnect" >/dev/null
	ktap_expect "a slot for a TSM that picks its own: EOPNOTSUPP" \
		"Operation not supported" \
		"$(write_err "$link slot=0" "$PCI_DEVICES/$ep/tsm/connect")"
else
	ktap_test_skip "native connect of a function another TSM holds (no devsec sample)"
	ktap_test_skip "connect via another TSM of a natively held function (no devsec sample)"
	ktap_test_skip "a slot for a TSM that picks its own (no devsec sample)"
fi
[ -n "$loaded" ] && rmmod "$loaded"

ktap_expect "disconnect" "" "$(write_err "$cma" "$tsm/disconnect")"
ktap_expect "after disconnect, connect is empty" "" "$(cat "$tsm/connect")"
out=$(tsm_tool evidence dump "$fn" -o "$ev.gone" 2>&1)
rc=$?
[ $rc -ne 0 ] || ktap_print_msg "$out"
ktap_expect "after disconnect, there is no evidence to dump" yes \
	"$([ $rc -ne 0 ] && echo yes)"

# The responder has a chain in slot 0 only
ktap_expect "connect with an empty certificate slot: ENOKEY" \
	"Required key not available" "$(write_err "$cma slot=1" "$tsm/connect")"

# The session kept its certificate chains: a re-connect reuses them
rm -rf "$ev"
out=$(write_err "$cma slot=0" "$tsm/connect" &&
      tsm_tool evidence dump "$fn" -o "$ev" 2>&1 &&
      tsm_tool evidence verify "$ev" --root "$root" 2>&1)
rc=$?
[ $rc -eq 0 ] || ktap_print_msg "$out"
ktap_expect "re-connect (slot=0) with cached chains verifies" 0 $rc
write_err "$cma" "$tsm/disconnect" >/dev/null

# cma_identity LINE FILE: ask the harness (scripts/vm.sh) for another
# identity of the responder by logging LINE; it writes FILE once done
cma_identity() {
	local i=0

	echo "<4>pci-tsm-responder: $1" >/dev/kmsg
	while [ ! -s "$2" ] && [ $i -lt 60 ]; do
		sleep 1
		i=$((i + 1))
	done
	[ -s "$2" ]
}

# A forged chain: the device's own, then a leaf for another key that the
# device's CA:FALSE leaf signed.  Anyone with one device's key could make
# it; path validation refuses it, naming the certificate and the rule.
if [ -n "$CMA_FORGED" ] && cma_identity "forged identity" "$CMA_FORGED"; then
	dmesg -c >/dev/null
	ktap_expect "connect with a forged chain (a CA:FALSE issuer): EKEYREJECTED" \
		"Key was rejected by service" "$(write_err "$cma" "$tsm/connect")"
	ktap_expect "... the kernel names certificate 2 and the rule" yes \
		"$(dmesg | grep -q 'certificate 2 .*(issuer-not-ca)' && echo yes)"
	ktap_expect "... and the function is not connected" "" "$(cat "$tsm/connect")"
	# what was refused stays readable, so that userspace can see why
	out=$(tsm_tool evidence dump "$fn" -o "$dir/forged" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || ktap_print_msg "$out"
	ktap_expect "... its evidence dumps, marked EKEYREJECTED (errno 129)" "0 129" \
		"$rc $(cut -d' ' -f1 "$dir/forged/connect-error" 2>/dev/null)"
	ktap_expect "... the refused chain as sent, with the kernel's verdict" yes \
		"$([ -s "$dir/forged/cert-chain-slot0.bin" ] &&
		   grep -q '"chain_status": 129' "$dir/forged/summary.json" && echo yes)"
	# the dump has no signature to verify: the chain is checked on its own
	out=$(tsm_tool evidence verify "$dir/forged" --root "$root" 2>&1)
	rc=$?
	[ $rc -eq 1 ] || ktap_print_msg "$out"
	cat "$dir"/forged/cert-chain-slot0-*.der >"$dir/forged.der" 2>/dev/null
	out2=$(tsm_tool chain verify "$dir/forged.der" --root "$root" 2>&1)
	rc2=$?
	[ $rc2 -eq 1 ] || ktap_print_msg "$out2"
	ktap_expect "... pci-tsm refuses the dump and its chain with the right --root (exit 1)" \
		"1 1" "$rc $rc2"
	cma_identity "first identity" "$CMA_FIRST"
	ktap_expect "the genuine chain connects again" "" \
		"$(write_err "$cma" "$tsm/connect")"
	out=$(tsm_tool evidence dump "$fn" -o "$dir/genuine" 2>&1)
	ktap_expect "... its evidence replaces the refused one's" "0 no" \
		"$? $([ -e "$dir/genuine/connect-error" ] && echo yes || echo no)"
	write_err "$cma" "$tsm/disconnect" >/dev/null
else
	ktap_test_fail "connect with a forged chain (the harness gave no CMA_FORGED)"
	ktap_test_fail "... the kernel names certificate 2 and the rule"
	ktap_test_fail "... and the function is not connected"
	ktap_test_fail "... its evidence dumps, marked EKEYREJECTED (errno 129)"
	ktap_test_fail "... the refused chain as sent, with the kernel's verdict"
	ktap_test_fail "... pci-tsm refuses the dump and its chain with the right --root (exit 1)"
	ktap_test_fail "the genuine chain connects again"
	ktap_test_fail "... its evidence replaces the refused one's"
fi

# A hostile device: the responder breaks a quarter of its answers on
# purpose (tools/testing/pci-tsm-responder/hostile.c: bit flips,
# truncation, extreme length fields, wrong versions, 1-byte portions,
# NotReady, Busy, late answers).  Each connect must pass or fail with an
# errno a device can cause, never leave the function half connected, and
# none that passes may carry evidence that does not verify; each ends
# within the authentication's bound (about 33 s).
HOSTILE_CONNECTS=200
# strerror() of the errnos a device can cause (lib/spdm, drivers/pci/doe.c)
DEVICE_ERRNOS="Protocol error|Connection timed out|Bad message"
DEVICE_ERRNOS="$DEVICE_ERRNOS|Key was rejected by service|Message too long"
DEVICE_ERRNOS="$DEVICE_ERRNOS|Operation not supported|Not supported"
DEVICE_ERRNOS="$DEVICE_ERRNOS|Input/output error|Device or resource busy"
DEVICE_ERRNOS="$DEVICE_ERRNOS|Connection reset by peer|Remote I/O error"
DEVICE_ERRNOS="$DEVICE_ERRNOS|Required key not available|Protocol not supported"
if [ -n "$CMA_HOSTILE" ] && cma_identity "hostile on" "$CMA_HOSTILE"; then
	ok=0 failed=0 stuck=0 badev=0 slowest=0 other= i=0
	: >"$dir/errnos"
	while [ $i -lt $HOSTILE_CONNECTS ]; do
		t0=$(date +%s)
		err=$(write_err "$cma" "$tsm/connect")
		t=$(($(date +%s) - t0))
		[ $t -le $slowest ] || slowest=$t
		if [ -z "$err" ]; then
			ok=$((ok + 1))
			[ "$(cat "$tsm/connect")" = "$cma" ] || stuck=$((stuck + 1))
			rm -rf "$dir/h"
			if ! tsm_tool evidence dump "$fn" -o "$dir/h" >/dev/null 2>&1 ||
			   ! tsm_tool evidence verify "$dir/h" --root "$root" \
				>/dev/null 2>&1; then
				badev=$((badev + 1))
			fi
			write_err "$cma" "$tsm/disconnect" >/dev/null
		else
			failed=$((failed + 1))
			[ -z "$(cat "$tsm/connect")" ] || stuck=$((stuck + 1))
			echo "$err" >>"$dir/errnos"
			echo "|$DEVICE_ERRNOS|" | grep -qF "|$err|" || other="$other [$err]"
		fi
		i=$((i + 1))
	done
	ktap_print_msg "hostile: $ok passed, $failed failed, slowest ${slowest}s;" \
		"$(sort "$dir/errnos" | uniq -c | tr -s ' \n' ' ')"
	ktap_expect "$HOSTILE_CONNECTS hostile connects each pass or fail with a device errno" \
		"" "$other"
	ktap_expect "... none leaves the function half connected" 0 "$stuck"
	ktap_expect "... every one that passed has evidence that verifies" 0 "$badev"
	ktap_expect "... some pass and some fail: the answers were broken" yes \
		"$([ $ok -gt 0 ] && [ $failed -gt 0 ] && echo yes)"
	ktap_expect "... none takes longer than the 33 s bound" yes \
		"$([ $slowest -le 33 ] && echo yes)"
	cma_identity "hostile off" "$CMA_CALM"
	ktap_expect "the device behaves again and connects" "" \
		"$(write_err "$cma" "$tsm/connect")"
	write_err "$cma" "$tsm/disconnect" >/dev/null
else
	ktap_test_fail "hostile connects (the harness gave no CMA_HOSTILE)"
	ktap_test_fail "... none leaves the function half connected"
	ktap_test_fail "... every one that passed has evidence that verifies"
	ktap_test_fail "... some pass and some fail: the answers were broken"
	ktap_test_fail "... none takes longer than the 33 s bound"
	ktap_test_fail "the device behaves again and connects"
fi

# A link TSM that needs IDE or TDISP (the emulated platform's, standing
# in for SEV-TIO) neither offers nor makes a connect of a function that
# has only a CMA mailbox: that is native CMA's (pci_tsm_ops::cma).
if tsm_platform_up; then
	plat=$(tsm_platform_tsm link)
	ktap_expect "another link TSM's connect of the CMA-only function: EOPNOTSUPP" \
		"Operation not supported" "$(write_err "$plat" "$tsm/connect")"
	rmmod pci-cma
	ktap_expect "... and without native CMA, the function offers no connect" no \
		"$([ -e "$tsm/connect" ] && echo yes || echo no)"
	tsm_platform_down
else
	ktap_test_fail "another link TSM's connect of the CMA-only function (no devsec module)"
	ktap_test_fail "... and without native CMA, the function offers no connect"
	rmmod pci-cma
fi

rm -rf "$dir"
ktap_finished

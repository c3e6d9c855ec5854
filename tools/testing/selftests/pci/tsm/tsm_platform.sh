#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The emulated TEE platform (samples/devsec) end to end, as a user drives
# it: connect an endpoint through the platform's link TSM, dump its
# evidence with the pci-tsm tool and with the stock YNL CLI, verify it
# against the device's root CA, refresh it with a nonce; then the faults:
# a corrupted signature, a replaced device, an SPDM ERROR, a response that
# never comes; and lock / accept / unlock through the devsec TSM with the
# interface report in the evidence and a firmware update that drops the
# interface to ERROR.
#
# Needs the devsec sample module and the pci-tsm tool (PCI_TSM_TOOL, run
# in PCI_TSM_TOOL_ROOT if set); the YNL cases also need KSRC and YNL_ROOT
# as for tsm_netlink.sh.

. "$(dirname "$0")/tsm_lib.sh"

ktap_print_header

if ! tsm_platform_up; then
	ktap_skip_all "no emulated platform (modprobe devsec failed)"
	exit "$KSFT_SKIP"
fi
if ! tsm_tool list >/dev/null 2>&1; then
	tsm_platform_down
	ktap_skip_all "no pci-tsm tool (set PCI_TSM_TOOL)"
	exit "$KSFT_SKIP"
fi

link=$(tsm_platform_tsm link)
devsec=$(tsm_platform_tsm devsec)
set -- $(tsm_platform_eps)
ep=$1
ep2=$2
dbg=/sys/kernel/debug/devsec
dir=$(mktemp -d)
ktap_print_msg "link TSM $link, devsec TSM $devsec, endpoints $ep $ep2"

ROOT=${YNL_ROOT:-/}
CLI=$KSRC/tools/net/ynl/pyynl/cli.py
SPEC=$KSRC/Documentation/netlink/specs/pci-tsm.yaml
ynl()
{
	chroot "$ROOT" /usr/bin/python3 "$CLI" --spec "$SPEC" "$@" 2>&1
}
have_ynl=
[ -n "$KSRC" ] && [ -f "$ROOT$CLI" ] && [ -f "$ROOT$SPEC" ] && have_ynl=1

# The trust anchors, where the tool can read them
cp "$dbg/root0.der" "$dbg/root1.der" "$dir/"

nonce=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
other=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210

# verify_ok DESCRIPTION DIR ARGS...; verify_fails DESCRIPTION PATTERN DIR ARGS...
verify_ok()
{
	desc=$1
	shift
	if out=$(tsm_tool evidence verify "$@" 2>&1); then
		ktap_test_pass "$desc"
	else
		ktap_print_msg "$out"
		ktap_test_fail "$desc"
	fi
}

verify_fails()
{
	desc=$1
	pat=$2
	shift 2
	if out=$(tsm_tool evidence verify "$@" 2>&1); then
		ktap_print_msg "verified: $out"
		ktap_test_fail "$desc"
		return
	fi
	case $out in
	*"$pat"*) ktap_test_pass "$desc" ;;
	*) ktap_print_msg "got: $out"; ktap_test_fail "$desc" ;;
	esac
}

# dump DEV NAME: dump into $dir/NAME, print the number of objects
dump()
{
	rm -rf "${dir:?}/$2"
	tsm_tool evidence dump "$1" -o "$dir/$2" >/dev/null 2>&1 || return 1
	ls "$dir/$2" | grep -c '\.bin$'
}

ktap_set_plan 42

ktap_expect "the platform registers a link TSM" 1 "$(echo "$link" | grep -c .)"
ktap_expect "the platform registers a devsec TSM" 1 "$(echo "$devsec" | grep -c .)"
ktap_expect "two endpoints" 2 "$(tsm_platform_eps | grep -c .)"
ktap_expect_err "connect via the devsec TSM fails with ENXIO" \
	"No such device or address" "$devsec" "$PCI_DEVICES/$ep/tsm/connect"
ktap_expect_err "lock via the link TSM fails with ENXIO" \
	"No such device or address" "$link" "$PCI_DEVICES/$ep/tsm/lock"

# connect and evidence
gen0=$(cat "$PCI_DEVICES/$ep/tsm/generation")
ktap_expect_err "connect $ep via $link" "" "$link" "$PCI_DEVICES/$ep/tsm/connect"
ktap_expect "connect reads back $link" "$link" "$(cat "$PCI_DEVICES/$ep/tsm/connect")"
gen=$(cat "$PCI_DEVICES/$ep/tsm/generation")
if [ "$gen" != "$gen0" ] && [ "$gen" -ge 2 ]; then
	ktap_test_pass "connect changed the generation ($gen0 -> $gen)"
else
	ktap_test_fail "connect changed the generation ($gen0 -> $gen)"
fi
ktap_expect "the dump holds 10 objects (M1 and L1 each with its signature)" 10 "$(dump "$ep" conn)"
for o in cert-chain vca challenge measurements transcript signature; do
	[ -s "$dir/conn/$o-slot0.bin" ] || ktap_print_msg "missing $o-slot0.bin"
done
ktap_expect "no interface report without lock" "" "$(ls "$dir/conn" | grep interface)"
verify_ok "the evidence verifies against the device's root" "$dir/conn" --root "$dir/root0.der"
verify_fails "and not against another root" "does not anchor" "$dir/conn" --root "$dir/root1.der"

# One byte of the signed measurements, in both files that carry it (the
# transcript starts with the 120-byte VCA): only the signature can tell.
cp -r "$dir/conn" "$dir/tampered"
printf '\377' | dd of="$dir/tampered/transcript-slot0.bin" bs=1 seek=200 conv=notrunc 2>/dev/null
printf '\377' | dd of="$dir/tampered/measurements-slot0.bin" bs=1 seek=80 conv=notrunc 2>/dev/null
verify_fails "tampered measurements fail the signature check" "does not verify" \
	"$dir/tampered" --root "$dir/root0.der"

if [ -n "$have_ynl" ]; then
	out=$(ynl --dump evidence-get --json "{\"dev-name\": \"$ep\", \"type\": \"cert-chain\"}")
	len=$(echo "$out" | sed -n "s/.*'total-len': \([0-9]*\).*/\1/p" | head -1)
	ktap_expect "YNL CLI: cert-chain total-len is the tool's file size" \
		"$(wc -c <"$dir/conn/cert-chain-slot0.bin")" "$len"
	out=$(ynl --do device-get --json "{\"dev-name\": \"$ep\"}")
	case $out in
	*"'tsm': '$link'"*"'spdm-version': 18"* | *"'spdm-version': 18"*"'tsm': '$link'"*)
		ktap_test_pass "YNL CLI: device-get names $link and SPDM 1.2" ;;
	*)
		ktap_print_msg "got: $out"
		ktap_test_fail "YNL CLI: device-get names $link and SPDM 1.2"
		;;
	esac
else
	ktap_test_skip "YNL CLI: no kernel tree (KSRC, YNL_ROOT)"
	ktap_test_skip "YNL CLI: no kernel tree (KSRC, YNL_ROOT)"
fi

# freshness
gen=$(cat "$PCI_DEVICES/$ep/tsm/generation")
tsm_tool evidence refresh "$ep" --nonce "$nonce" >/dev/null 2>&1
ktap_expect "refresh with a nonce" 0 $?
ktap_expect "refresh changed the generation" 1 \
	"$([ "$(cat "$PCI_DEVICES/$ep/tsm/generation")" != "$gen" ] && echo 1)"
dump "$ep" fresh >/dev/null
verify_ok "the refreshed evidence carries the nonce" "$dir/fresh" \
	--root "$dir/root0.der" --nonce "$nonce"
verify_fails "and not another nonce" "expected $other" "$dir/fresh" \
	--root "$dir/root0.der" --nonce "$other"

# a corrupted signature: the kernel refuses it, the evidence stays
echo 1 >"$dbg/$ep/corrupt_sig"
gen=$(cat "$PCI_DEVICES/$ep/tsm/generation")
out=$(tsm_tool evidence refresh "$ep" --nonce "$other" 2>&1)
case $out in
*"Key was rejected"*) ktap_test_pass "refresh with a corrupted signature: EKEYREJECTED" ;;
*) ktap_print_msg "got: $out"; ktap_test_fail "refresh with a corrupted signature: EKEYREJECTED" ;;
esac
ktap_expect "the failed refresh left the generation" "$gen" \
	"$(cat "$PCI_DEVICES/$ep/tsm/generation")"
dump "$ep" after >/dev/null
verify_ok "the previous evidence is still there" "$dir/after" \
	--root "$dir/root0.der" --nonce "$nonce"

ktap_expect_err "disconnect" "" "$link" "$PCI_DEVICES/$ep/tsm/disconnect"
ktap_expect "disconnect removed the evidence" "" "$(dump "$ep" gone)"

echo 1 >"$dbg/$ep/corrupt_sig"
ktap_expect_err "connect with a corrupted signature fails with EKEYREJECTED" \
	"Key was rejected by service" "$link" "$PCI_DEVICES/$ep/tsm/connect"
ktap_expect "and leaves the device unconnected" "" "$(cat "$PCI_DEVICES/$ep/tsm/connect")"

echo 5 >"$dbg/$ep/error"
ktap_expect_err "an SPDM ERROR response fails connect with EREMOTEIO" \
	"Remote I/O error" "$link" "$PCI_DEVICES/$ep/tsm/connect"
echo 1 >"$dbg/$ep/drop"
ktap_expect_err "a response that never comes fails connect with EIO" \
	"Input/output error" "$link" "$PCI_DEVICES/$ep/tsm/connect"

# a replaced device: self-consistent, but not anchored to its root
echo 1 >"$dbg/$ep/identity"
ktap_expect_err "a replaced device connects (no trust decision in the kernel)" \
	"" "$link" "$PCI_DEVICES/$ep/tsm/connect"
dump "$ep" replaced >/dev/null
verify_fails "userspace catches the replaced device" "does not anchor" \
	"$dir/replaced" --root "$dir/root0.der"
verify_ok "its evidence verifies against its own root" "$dir/replaced" --root "$dir/root1.der"
echo "$link" >"$PCI_DEVICES/$ep/tsm/disconnect"
echo 0 >"$dbg/$ep/identity"

# devsec: lock, evidence with the interface report, accept, unlock
ktap_expect_err "lock $ep2 via $devsec" "" "$devsec" "$PCI_DEVICES/$ep2/tsm/lock"
ktap_expect "the device's TDI is CONFIG_LOCKED" 1 "$(cat "$dbg/$ep2/tdi_state")"
ktap_expect "the dump adds the interface report" 11 "$(dump "$ep2" locked)"
verify_ok "the locked function's evidence verifies" "$dir/locked" --root "$dir/root0.der"
gen=$(cat "$PCI_DEVICES/$ep2/tsm/generation")
ktap_expect_err "accept the generation that was verified" "" "$gen" "$PCI_DEVICES/$ep2/tsm/accept"
ktap_expect "the device's TDI is RUN" 2 "$(cat "$dbg/$ep2/tdi_state")"
echo 1 >"$dbg/$ep2/measurement"
ktap_expect "reading the state asks the device nothing" run \
	"$(cat "$PCI_DEVICES/$ep2/tsm/state")"
echo sync >"$PCI_DEVICES/$ep2/tsm/state"
ktap_expect "a firmware update drops the interface to error" error \
	"$(cat "$PCI_DEVICES/$ep2/tsm/state")"
ktap_expect_err "unlock from error" "" 1 "$PCI_DEVICES/$ep2/tsm/unlock"
ktap_expect "the device's TDI is CONFIG_UNLOCKED" 0 "$(cat "$dbg/$ep2/tdi_state")"

# a reset while locked: the device forgets; the state says so
echo "$devsec" >"$PCI_DEVICES/$ep2/tsm/lock"
echo 1 >"$dbg/$ep2/reset"
echo sync >"$PCI_DEVICES/$ep2/tsm/state"
ktap_expect "a device reset while locked reads as error" error \
	"$(cat "$PCI_DEVICES/$ep2/tsm/state")"
echo 1 >"$PCI_DEVICES/$ep2/tsm/unlock"

rm -rf "$dir"
tsm_platform_down
ktap_finished

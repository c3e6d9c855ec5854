#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The TVM-side flow of the PCI TSM core, as a user drives it: lock a
# function via a devsec TSM, read its state and evidence generation,
# accept it (bound to the generation), unlock it; and the failures:
# accept from unlocked, a stale generation, a second lock, lock through a
# TSM that is not a devsec TSM.
#
# Needs a registered devsec TSM (/sys/class/tsm/tsmN/mode = devsec) and a
# function offering tsm/lock with no driver bound, e.g. from the emulated
# platform in samples/devsec.

. "$(dirname "$0")/tsm_lib.sh"

ktap_print_header

# Without a devsec TSM, bring up the emulated platform's
[ -n "$(for t in $(tsm_list); do cat "$TSM_CLASS/$t/mode"; done | grep devsec)" ] ||
	tsm_platform_up

devsec=
link=
for t in $(tsm_list); do
	case "$(cat "$TSM_CLASS/$t/mode" 2>/dev/null)" in
	devsec) [ -z "$devsec" ] && devsec=$t ;;
	link) [ -z "$link" ] && link=$t ;;
	esac
done
if [ -z "$devsec" ]; then
	ktap_skip_all "no devsec TSM registered"
	tsm_platform_down
	exit "$KSFT_SKIP"
fi

fn=
for d in $(pci_with_attr tsm/lock); do
	if [ ! -e "$PCI_DEVICES/$d/driver" ] &&
	   [ "$(cat "$PCI_DEVICES/$d/tsm/state")" = unlocked ]; then
		fn=$d
		break
	fi
done
if [ -z "$fn" ]; then
	ktap_skip_all "no unlocked function without a driver offers tsm/lock"
	tsm_platform_down
	exit "$KSFT_SKIP"
fi
tsm="$PCI_DEVICES/$fn/tsm"
ktap_print_msg "function $fn, devsec TSM $devsec, link TSM ${link:-none}"

ktap_set_plan 20

ktap_expect "$devsec reports mode devsec" devsec "$(cat "$TSM_CLASS/$devsec/mode")"
ktap_expect "unlocked function: lock is empty" "" "$(cat "$tsm/lock")"
ktap_expect_err "accept from unlocked fails with ENXIO" \
	"No such device or address" 1 "$tsm/accept"
ktap_expect_err "unlock of an unlocked function succeeds" "" 1 "$tsm/unlock"
ktap_expect_err "lock via a TSM that does not exist fails with ENXIO" \
	"No such device or address" tsm999999 "$tsm/lock"
ktap_expect_err "lock with a malformed name fails with EINVAL" \
	"Invalid argument" "$devsec-x" "$tsm/lock"

gen0=$(cat "$tsm/generation")
ktap_expect_err "lock via $devsec" "" "$devsec" "$tsm/lock"
ktap_expect "lock reads back $devsec" "$devsec" "$(cat "$tsm/lock")"
ktap_expect "state is locked" locked "$(cat "$tsm/state")"
gen=$(cat "$tsm/generation")
if [ "$gen" != "$gen0" ] && [ "$gen" -ge 2 ]; then
	ktap_test_pass "lock changed the generation ($gen0 -> $gen)"
else
	ktap_test_fail "lock changed the generation ($gen0 -> $gen)"
fi
ktap_expect_err "a second lock fails with EBUSY" \
	"Device or resource busy" "$devsec" "$tsm/lock"
# Any generation but the current one (0 and 1 have other meanings)
ktap_expect_err "accept of another generation fails with ESTALE" \
	"Stale file handle" $((gen + 1)) "$tsm/accept"
ktap_expect "state is still locked" locked "$(cat "$tsm/state")"
ktap_expect_err "accept of generation $gen" "" "$gen" "$tsm/accept"
ktap_expect "state is run" run "$(cat "$tsm/state")"
ktap_expect_err "a second accept succeeds" "" 1 "$tsm/accept"
ktap_expect "accept left the generation alone" "$gen" "$(cat "$tsm/generation")"

ktap_expect_err "unlock" "" 1 "$tsm/unlock"
ktap_expect "state is unlocked" unlocked "$(cat "$tsm/state")"

if [ -n "$link" ]; then
	ktap_expect_err "lock via link TSM $link fails with ENXIO" \
		"No such device or address" "$link" "$tsm/lock"
else
	ktap_test_skip "lock via a link TSM: none registered"
fi

tsm_platform_down
ktap_finished

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Revalidation of PCI TSM devices on a function reset, driven by the
# policy userspace sets over the pci-tsm netlink family (stock YNL CLI),
# against the emulated platform of samples/devsec and its fault injection
# (debugfs: identity = replaced device, measurement = firmware update):
# an unchanged device passes; a replaced one fails under signature; a
# firmware update fails under measurements but passes under signature;
# fatal always fails; without a policy a devsec function falls out of the
# TCB and a link-connected device keeps operating.  The same for a system
# suspend/resume (the PM core's pm_test hook).
#
# Needs the devsec sample (modprobe devsec), Python with PyYAML in
# $YNL_ROOT and the kernel tree in $KSRC (see tsm_netlink.sh).

. "$(dirname "$0")/tsm_lib.sh"

ktap_print_header

ROOT=${YNL_ROOT:-/}
CLI=$KSRC/tools/net/ynl/pyynl/cli.py
SPEC=$KSRC/Documentation/netlink/specs/pci-tsm.yaml
DBG=/sys/kernel/debug/devsec
if [ -z "$KSRC" ] || [ ! -f "$ROOT$CLI" ] || [ ! -f "$ROOT$SPEC" ]; then
	ktap_skip_all "no kernel tree with the YNL CLI (set KSRC, YNL_ROOT)"
	exit "$KSFT_SKIP"
fi
if ! chroot "$ROOT" /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
	ktap_skip_all "no python3 with PyYAML in $ROOT"
	exit "$KSFT_SKIP"
fi

loaded=
[ -d /sys/kernel/debug/devsec ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
if [ ! -d "$DBG" ]; then
	modprobe devsec 2>/dev/null && loaded=1
	[ -d "$DBG" ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
fi
cleanup()
{
	[ -n "$loaded" ] && rmmod devsec 2>/dev/null
}
trap cleanup EXIT

devsec=
link=
for t in $(tsm_list); do
	case "$(cat "$TSM_CLASS/$t/mode" 2>/dev/null)" in
	devsec) [ -z "$devsec" ] && devsec=$t ;;
	link) [ -z "$link" ] && link=$t ;;
	esac
done
eps=$(ls "$DBG" 2>/dev/null | grep ':')
ep1=$(echo "$eps" | sed -n 1p)
ep2=$(echo "$eps" | sed -n 2p)
if [ -z "$devsec" ] || [ -z "$link" ] || [ -z "$ep2" ]; then
	ktap_skip_all "needs the devsec sample: a link TSM, a devsec TSM, two endpoints"
	exit "$KSFT_SKIP"
fi
ktap_print_msg "devsec $devsec on $ep1, link $link on $ep2"

ynl()
{
	chroot "$ROOT" /usr/bin/python3 "$CLI" --spec "$SPEC" "$@" 2>&1
}

# Reassemble slot 0's object of a type from an evidence-get JSON dump on
# stdin and print its SHA-256; for measurements, of the measurement record
# (every block of the MEASUREMENTS response, as the policy hashes it).
PYHASH='
import hashlib, json, sys
kind = sys.argv[1]
msgs = json.load(sys.stdin)
parts = sorted((m["offset"], bytes.fromhex(m["data"])) for m in msgs
               if m.get("slot", 0) == 0)
obj = b"".join(d for _, d in parts)
if kind == "measurements":
    req = 4 + (33 if obj[2] & 1 else 0)
    rsp = obj[req:]
    n = int.from_bytes(rsp[5:8], "little")
    obj = rsp[8:8 + n]
print(hashlib.sha256(obj).hexdigest())
'
obj_hash()
{
	ynl --output-json --dump evidence-get \
		--json "{\"dev-name\": \"$1\", \"type\": \"$2\"}" |
		chroot "$ROOT" /usr/bin/python3 -c "$PYHASH" "$2"
}

# policy DEV MODE [MEASUREMENT-HASH]: slot 0 pinned to its current chain
policy()
{
	slots="[{\"slot\": 0, \"chain-hash\": \"$(obj_hash "$1" cert-chain)\"}]"
	js="\"dev-name\": \"$1\", \"mode\": \"$2\""
	case $2 in
	fatal) ;;
	measurements) js="$js, \"slot-policy\": $slots, \"meas-hash\": \"$3\"" ;;
	*) js="$js, \"slot-policy\": $slots" ;;
	esac
	ynl --do policy-set --json "{$js}"
}

last_result()
{
	ynl --do policy-get --json "{\"dev-name\": \"$1\"}" |
		sed -n "s/.*'last-result': '\([a-z-]*\)'.*/\1/p"
}

# The kernel logs every revalidation ("<dev>: PCI/TSM: revalidation:
# <result> ..."); waiting on the log is much cheaper under TCG than
# asking over netlink with a Python process each time.
reval_count()
{
	dmesg | grep -c "$1: PCI/TSM: revalidation: "
}

# wait_result DEV COUNT: wait for revalidation number COUNT+1 of DEV (it
# runs in a workqueue after the event) and print its result
wait_result()
{
	i=0
	while [ $i -lt 30 ]; do
		if [ "$(reval_count "$1")" -gt "$2" ]; then
			dmesg | grep "$1: PCI/TSM: revalidation: " | tail -1 |
				sed 's/.*revalidation: \([a-z-]*\).*/\1/'
			return
		fi
		sleep 1
		i=$((i + 1))
	done
	echo timeout
}

# reset DEV: function reset through sysfs, then the revalidation result
reset()
{
	n=$(reval_count "$1")
	echo 1 >"$PCI_DEVICES/$1/reset" || { echo reset-failed; return; }
	wait_result "$1" "$n"
}

# sleep_cycle DEV: a system suspend and resume with the PM core's test
# hook (/sys/power/pm_test = platform: devices go through every suspend
# and resume phase, noirq included, but the platform never sleeps), then
# the revalidation result of DEV
sleep_cycle()
{
	n=$(reval_count "$1")
	echo platform >/sys/power/pm_test || { echo no-pm-test; return; }
	echo freeze >/sys/power/state || { echo suspend-failed; return; }
	echo none >/sys/power/pm_test
	wait_result "$1" "$n"
}

lock_accept()
{
	echo 1 >"$PCI_DEVICES/$1/tsm/unlock" 2>/dev/null
	echo "$devsec" >"$PCI_DEVICES/$1/tsm/lock" &&
		echo 1 >"$PCI_DEVICES/$1/tsm/accept"
}

state()
{
	cat "$PCI_DEVICES/$1/tsm/state"
}

ktap_set_plan 31

# The endpoints reset like hardware: FLR first
case "$(cat "$PCI_DEVICES/$ep1/reset_method" 2>/dev/null)" in
flr*) ktap_test_pass "endpoints offer FLR as their first reset_method" ;;
*) ktap_test_fail "endpoints offer FLR as their first reset_method" ;;
esac

# Policy ABI: strict validation, needs a connected or locked device
out=$(ynl --do policy-set --json "{\"dev-name\": \"$ep1\", \"mode\": \"fatal\"}")
case $out in
*"not connected or locked"*) ktap_test_pass "policy-set of an unlocked device: ENXIO" ;;
*) ktap_print_msg "$out"; ktap_test_fail "policy-set of an unlocked device: ENXIO" ;;
esac

lock_accept "$ep1"
ktap_expect "$ep1 locked and accepted" run "$(state "$ep1")"

out=$(ynl --do policy-set --json "{\"dev-name\": \"$ep1\", \"mode\": \"signature\"}")
case $out in
*"at least one slot-policy"*) ktap_test_pass "signature without a slot is refused" ;;
*) ktap_print_msg "$out"; ktap_test_fail "signature without a slot is refused" ;;
esac

slot0="\"slot-policy\": [{\"slot\": 0, \"chain-hash\": \"0011\"}]"
out=$(ynl --do policy-set --json "{\"dev-name\": \"$ep1\", \"mode\": \"signature\", $slot0}")
case $out in
*"32, 48 or 64"*) ktap_test_pass "a 2-byte chain hash is refused" ;;
*) ktap_print_msg "$out"; ktap_test_fail "a 2-byte chain hash is refused" ;;
esac

slot0="\"slot-policy\": [{\"slot\": 0, \"chain-hash\": \"$(printf '%064d' 0)\"}]"
out=$(ynl --do policy-set --json "{\"dev-name\": \"$ep1\", \"mode\": \"fatal\", $slot0}")
case $out in
*"fatal mode takes no slots"*) ktap_test_pass "fatal with a slot is refused" ;;
*) ktap_print_msg "$out"; ktap_test_fail "fatal with a slot is refused" ;;
esac

# 1. An unchanged device passes a reset under signature, back in RUN
out=$(policy "$ep1" signature)
case $out in
*rror*) ktap_print_msg "$out"; ktap_test_fail "policy-set signature" ;;
*) ktap_test_pass "policy-set signature" ;;
esac
out=$(ynl --do policy-get --json "{\"dev-name\": \"$ep1\"}")
case $out in
*"'mode': 'signature'"*"'chain-hash'"*) ktap_test_pass "policy-get reads the policy back" ;;
*) ktap_print_msg "$out"; ktap_test_fail "policy-get reads the policy back" ;;
esac
gen=$(cat "$PCI_DEVICES/$ep1/tsm/generation")
ktap_expect "signature: unchanged devsec device passes a reset" pass "$(reset "$ep1")"
ktap_expect "policy-get reports it as the last result" pass "$(last_result "$ep1")"
ktap_expect "... and runs again" run "$(state "$ep1")"
[ "$(cat "$PCI_DEVICES/$ep1/tsm/generation")" != "$gen" ] &&
	ktap_test_pass "... with a new generation" ||
	ktap_test_fail "... with a new generation"

# 1b. The same through a secondary bus reset of the root port above it
policy "$ep1" signature >/dev/null
if grep -qw bus "$PCI_DEVICES/$ep1/reset_method" &&
   echo bus >"$PCI_DEVICES/$ep1/reset_method"; then
	ktap_expect "signature: unchanged device passes a secondary bus reset" pass \
		"$(reset "$ep1")"
	ktap_expect "... and runs again" run "$(state "$ep1")"
	echo default >"$PCI_DEVICES/$ep1/reset_method"
else
	ktap_test_skip "secondary bus reset (no bus reset method)"
	ktap_test_skip "... runs again (no bus reset method)"
fi

# 2. A replaced device fails under signature
policy "$ep1" signature >/dev/null
echo 1 >"$DBG/$ep1/identity"
ktap_expect "signature: replaced devsec device fails" identity-mismatch "$(reset "$ep1")"
ktap_expect "... and is out of the TCB" error "$(state "$ep1")"
echo 0 >"$DBG/$ep1/identity"

# 3. A firmware update fails under measurements...
lock_accept "$ep1"
mh=$(obj_hash "$ep1" measurements)
out=$(policy "$ep1" measurements "$mh")
case $out in
*rror*) ktap_print_msg "$out"; ktap_test_fail "policy-set measurements" ;;
*) ktap_test_pass "policy-set measurements" ;;
esac
ktap_expect "measurements: unchanged device passes" pass "$(reset "$ep1")"
policy "$ep1" measurements "$mh" >/dev/null
echo 1 >"$DBG/$ep1/measurement"
ktap_expect "measurements: firmware update fails" measurement-mismatch "$(reset "$ep1")"
ktap_expect "... and is out of the TCB" error "$(state "$ep1")"

# ... but passes under signature
lock_accept "$ep1"
policy "$ep1" signature >/dev/null
echo 1 >"$DBG/$ep1/measurement"
ktap_expect "signature: firmware update passes" pass "$(reset "$ep1")"

# 4. Fatal always fails, even an unchanged device
policy "$ep1" fatal >/dev/null
ktap_expect "fatal: unchanged device fails" fatal "$(reset "$ep1")"
ktap_expect "... and is out of the TCB" error "$(state "$ep1")"

# 5. No policy: the defaults
lock_accept "$ep1"
ktap_expect "no policy: devsec device is dropped" dropped "$(reset "$ep1")"

echo "$link" >"$PCI_DEVICES/$ep2/tsm/connect"
ktap_expect "no policy: link device is kept" kept "$(reset "$ep2")"
ktap_expect "... and stays connected" "$link" "$(cat "$PCI_DEVICES/$ep2/tsm/connect")"

# 6. Link TSM: a replaced device is disconnected
policy "$ep2" signature >/dev/null
echo 1 >"$DBG/$ep2/identity"
ktap_expect "signature: replaced link device fails and is disconnected" \
	"identity-mismatch," "$(reset "$ep2"),$(cat "$PCI_DEVICES/$ep2/tsm/connect")"
echo 0 >"$DBG/$ep2/identity"

# 7. System sleep: the resume path revalidates too
if [ -w /sys/power/pm_test ] && grep -qw freeze /sys/power/state; then
	lock_accept "$ep1"
	policy "$ep1" signature >/dev/null
	ktap_expect "signature: unchanged device passes suspend/resume" pass \
		"$(sleep_cycle "$ep1")"
	ktap_expect "... and runs again" run "$(state "$ep1")"
	policy "$ep1" signature >/dev/null
	echo 1 >"$DBG/$ep1/identity"
	ktap_expect "signature: device replaced during suspend fails" \
		identity-mismatch "$(sleep_cycle "$ep1")"
	ktap_expect "... and is out of the TCB" error "$(state "$ep1")"
	echo 0 >"$DBG/$ep1/identity"
else
	for t in "suspend/resume passes" "... runs again" "replaced during suspend" \
		 "... out of the TCB"; do
		ktap_test_skip "$t (no /sys/power/pm_test or freeze: CONFIG_PM_DEBUG)"
	done
fi

echo 1 >"$PCI_DEVICES/$ep1/tsm/unlock"
ktap_finished

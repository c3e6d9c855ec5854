#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Revalidation of PCI TSM devices on a function reset, driven by the
# policy userspace sets over the pci-tsm netlink family (stock YNL CLI),
# against the emulated platform of samples/devsec and its fault injection
# (debugfs: identity = replaced device, measurement = firmware update):
# an unchanged device passes; a replaced one fails under signature; a
# firmware update fails under measurements but passes under signature;
# fatal always fails; without a policy a devsec function falls out of the
# TCB and a link-connected device keeps operating; each outcome is
# announced on the events group and in a uevent.  Then native CMA
# (pci-cma) on QEMU's NVMe function, if the guest has one (scripts/vm.sh
# --cma): a function reset, the recovery from a fatal AER error injected
# at the root port above it (aer_inject), and a reset after the responder
# behind it switched to another key.  System suspend and resume:
# tsm_resume.sh.
#
# Needs the devsec sample (modprobe devsec), Python with PyYAML in
# $YNL_ROOT and the kernel tree in $KSRC (see tsm_netlink.sh).

. "$(dirname "$0")/tsm_lib.sh"
. "$(dirname "$0")/tsm_reval_lib.sh"

ktap_print_header

tsm_reval_setup
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

# reset DEV: function reset through sysfs, then the revalidation result
reset()
{
	n=$(reval_count "$1")
	echo 1 >"$PCI_DEVICES/$1/reset" || { echo reset-failed; return; }
	wait_result "$1" "$n"
}

# aer_inject_fatal PORT: inject an uncorrectable Data Link Protocol error
# (bit 4, fatal at its default severity) at the PCI function PORT through
# /dev/aer_inject, in one write of its struct aer_error_inj: bus, dev, fn,
# a pad byte, then u32 uncor_status, cor_status, header_log[4] and domain,
# little-endian
aer_inject_fatal()
{
	set -- $(echo "$1" | tr ':.' '  ')
	dom=$((0x$1))
	bytes="$((0x$2)) $((0x$3)) $4 0  16 0 0 0  $(printf '0 %.0s' $(seq 20))"
	bytes="$bytes $((dom & 255)) $((dom >> 8 & 255)) $((dom >> 16 & 255)) $((dom >> 24))"
	fmt=
	for v in $bytes; do
		fmt="$fmt$(printf '\\%03o' "$v")"
	done
	printf "$fmt" >/dev/aer_inject
}

ktap_set_plan 37

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

echo 1 >"$PCI_DEVICES/$ep1/tsm/unlock"

# 7. Every outcome is announced, a pass as a failure: a revalidate event
# on the "events" multicast group (pci-tsm monitor) and a change uevent
# with PCI_TSM_REVALIDATE=<result>
PYUEVENT='
import socket, sys
s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 15)
s.bind((0, 1))
print("ready", flush=True)
while True:
    m = s.recv(65536).split(b"\0")
    if m[0].endswith(b"/" + sys.argv[1].encode()):
        print(" ".join(x.decode() for x in m if x.startswith(b"PCI_TSM_")), flush=True)
'
mon=/tmp/tsm_revalidate.monitor.$$
uev=/tmp/tsm_revalidate.uevent.$$
# wait_for FILE PATTERN: up to 30 s for a line of FILE to match
wait_for()
{
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 30 ]; do
		sleep 1
		i=$((i + 1))
	done
	grep "$2" "$1" | tail -1
}
# announced RESULT under MODE: under policy MODE a reset of $ep1 ends in
# RESULT, announced on both channels (each result is awaited by name, so
# that an earlier announcement does not count)
announced()
{
	policy "$ep1" "$3" >/dev/null
	reset "$ep1" >/dev/null
	ktap_expect "$1 announced on the events group" "event=revalidate result=$1" \
		"$(wait_for "$mon" "$ep1 .*event=revalidate result=$1" | sed 's/.* event=/event=/')"
	ktap_expect "... and in a uevent" "PCI_TSM_REVALIDATE=$1 PCI_TSM_ERROR=0" \
		"$(wait_for "$uev" "PCI_TSM_REVALIDATE=$1")"
}
if tsm_tool 2>&1 | grep -q monitor; then
	tsm_tool monitor >"$mon" 2>&1 &
	mpid=$!
	chroot "$ROOT" /usr/bin/python3 -c "$PYUEVENT" "$ep1" >"$uev" 2>&1 &
	upid=$!
	wait_for "$uev" ready >/dev/null
	# The accept event shows that the monitor listens
	lock_accept "$ep1"
	wait_for "$mon" "$ep1 .*event=accept" >/dev/null
	announced pass under signature
	announced fatal under fatal
	kill "$mpid" "$upid" 2>/dev/null
	rm -f "$mon" "$uev"
	echo 1 >"$PCI_DEVICES/$ep1/tsm/unlock"
else
	for t in "pass announced on the events group" "... and in a uevent" \
		 "fatal announced on the events group" "... and in a uevent"; do
		ktap_test_skip "$t (no pci-tsm tool)"
	done
fi

# 8. Native CMA on a device the kernel did not emulate: QEMU's NVMe
# function, answered by tools/testing/pci-tsm-responder, which the test
# harness makes present another identity on request (CMA_REPLACED)
fn=
for d in $(pci_with_attr doe_features/0001:01); do
	case $d in
	*.0) fn=$d; break ;;
	esac
done
before=$(tsm_list | tr '\n' ' ')
if [ -n "$fn" ] && [ -n "$(cat "$PCI_DEVICES/$fn/reset_method" 2>/dev/null)" ] &&
   modprobe pci-cma 2>/dev/null; then
	cma=
	for t in $(tsm_list); do
		case " $before " in *" $t "*) ;; *) cma=$t ;; esac
	done
	echo "$cma" >"$PCI_DEVICES/$fn/tsm/connect"
	policy "$fn" signature >/dev/null
	ktap_expect "signature: unchanged NVMe function passes a reset (native CMA)" \
		pass "$(reset "$fn")"
	ktap_expect "... and stays connected" "$cma" "$(cat "$PCI_DEVICES/$fn/tsm/connect")"
	# AER recovery: a fatal error at the root port above makes
	# pcie_do_recovery() reset the link below it, then revalidate
	rp=$(basename "$(readlink -f "$PCI_DEVICES/$fn/..")")
	if [ -c /dev/aer_inject ] && [ -e "$PCI_DEVICES/$rp/aer_dev_fatal" ]; then
		n=$(reval_count "$fn")
		aer_inject_fatal "$rp"
		ktap_expect "signature: NVMe function passes AER recovery" pass \
			"$(wait_result "$fn" "$n")"
		drv=$(basename "$(readlink "$PCI_DEVICES/$fn/driver")")
		ktap_expect "... stays connected and bound to its driver" "$cma,nvme" \
			"$(cat "$PCI_DEVICES/$fn/tsm/connect"),$drv"
	else
		ktap_test_skip "NVMe function passes AER recovery (no aer_inject or AER at $rp)"
		ktap_test_skip "... stays connected and bound to its driver"
	fi
	# The harness sees this line on the console, tells the responder to
	# present its other identity, then writes CMA_REPLACED
	if [ -n "$CMA_REPLACED" ]; then
		echo "<4>pci-tsm-responder: replace device" >/dev/kmsg
		i=0
		while [ ! -s "$CMA_REPLACED" ] && [ $i -lt 60 ]; do
			sleep 1
			i=$((i + 1))
		done
		ktap_expect "signature: NVMe function with another key fails a reset" \
			identity-mismatch "$(reset "$fn")"
		ktap_expect "... and is disconnected" "" "$(cat "$PCI_DEVICES/$fn/tsm/connect")"
	else
		ktap_test_skip "NVMe function with another key fails a reset (no CMA_REPLACED)"
		ktap_test_skip "... and is disconnected"
	fi
	echo "$cma" >"$PCI_DEVICES/$fn/tsm/disconnect" 2>/dev/null
	rmmod pci-cma
else
	for t in "unchanged NVMe function passes a reset" "... stays connected" \
		 "NVMe function passes AER recovery" "... stays connected and bound" \
		 "NVMe function with another key fails a reset" "... and is disconnected"; do
		ktap_test_skip "$t (no CMA function 0 with a reset method, or no pci-cma)"
	done
fi
ktap_finished

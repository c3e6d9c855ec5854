#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmark, not a test: what revalidation adds to a function reset, per
# policy mode, on an endpoint of the emulated platform (samples/devsec)
# locked and accepted through its devsec TSM.
#
# For each mode (none, fatal, signature, measurements) it resets the
# function N times (default 5) and prints:
#  - reset: wall time of the write to sysfs 'reset' (FLR and its waits;
#    revalidation is queued, not run, on this path), from /proc/uptime;
#  - revalidate: time the revalidation worker took, from its log line
#    ("revalidation: <result> ... in N us");
#  - total: from the reset until the function is back in RUN (or its
#    result is known), as userspace sees it.
#
# Usage: bench_revalidate.sh [N]    (needs KSRC and YNL_ROOT as the tests)

. "$(dirname "$0")/tsm_lib.sh"

N=${1:-5}
ROOT=${YNL_ROOT:-/}
CLI=$KSRC/tools/net/ynl/pyynl/cli.py
SPEC=$KSRC/Documentation/netlink/specs/pci-tsm.yaml
DBG=/sys/kernel/debug/devsec

[ -d "$DBG" ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ -d "$DBG" ] || modprobe devsec
devsec=
for t in $(tsm_list); do
	[ "$(cat "$TSM_CLASS/$t/mode")" = devsec ] && devsec=$t && break
done
ep=$(ls "$DBG" | grep ':' | head -1)
[ -n "$devsec" ] && [ -n "$ep" ] || { echo "no devsec TSM or endpoint"; exit 1; }
dev=$PCI_DEVICES/$ep

ynl()
{
	chroot "$ROOT" /usr/bin/python3 "$CLI" --spec "$SPEC" "$@" 2>&1
}

PYHASH='
import hashlib, json, sys
msgs = json.load(sys.stdin)
obj = b"".join(bytes.fromhex(m["data"]) for m in
               sorted(msgs, key=lambda m: m["offset"]) if m.get("slot", 0) == 0)
if sys.argv[1] == "measurements":
    rsp = obj[4 + (33 if obj[2] & 1 else 0):]
    obj = rsp[8:8 + int.from_bytes(rsp[5:8], "little")]
print(hashlib.sha256(obj).hexdigest())
'
obj_hash()
{
	ynl --output-json --dump evidence-get \
		--json "{\"dev-name\": \"$ep\", \"type\": \"$1\"}" |
		chroot "$ROOT" /usr/bin/python3 -c "$PYHASH" "$1"
}

# centiseconds since boot
now()
{
	sed 's/^\([0-9]*\)\.\([0-9][0-9]\).*/\1\2/' /proc/uptime
}

relock()
{
	echo 1 >"$dev/tsm/unlock"
	echo "$devsec" >"$dev/tsm/lock" && echo 1 >"$dev/tsm/accept"
}

set_policy()
{
	[ "$1" = none ] && return
	slots="[{\"slot\": 0, \"chain-hash\": \"$(obj_hash cert-chain)\"}]"
	js="\"mode\": \"$1\""
	case $1 in
	signature) js="$js, \"slot-policy\": $slots" ;;
	measurements)
		js="$js, \"slot-policy\": $slots, \"meas-hash\": \"$(obj_hash measurements)\"" ;;
	esac
	ynl --do policy-set --json "{\"dev-name\": \"$ep\", $js}" >/dev/null
}

printf '%-13s %4s %12s %16s %12s\n' mode runs "reset(ms)" "revalidate(us)" "total(ms)"
for mode in none fatal signature measurements; do
	rs=0 rv=0 tt=0 rvmin= rvmax=0 i=0
	while [ $i -lt "$N" ]; do
		relock
		set_policy $mode
		dmesg -c >/dev/null
		t0=$(now)
		echo 1 >"$dev/reset"
		t1=$(now)
		# wait for the worker's log line, at most 30 s
		while ! dmesg | grep -q "$ep: PCI/TSM: revalidation: .* in [0-9]* us" &&
		      [ $(($(now) - t1)) -lt 3000 ]; do
			sleep 0.05 2>/dev/null || sleep 1
		done
		t2=$(now)
		us=$(dmesg | sed -n "s/.*$ep: PCI\/TSM: revalidation: .* in \([0-9]*\) us.*/\1/p" |
			tail -1)
		if [ -z "$us" ]; then
			echo "$mode: no revalidation of $ep logged within 30 s" >&2
			exit 1
		fi
		rs=$((rs + (t1 - t0) * 10))
		tt=$((tt + (t2 - t0) * 10))
		rv=$((rv + us))
		[ -z "$rvmin" ] || [ "$us" -lt "$rvmin" ] && rvmin=$us
		[ "$us" -gt "$rvmax" ] && rvmax=$us
		i=$((i + 1))
	done
	printf '%-13s %4d %12d %16s %12d\n' $mode "$N" $((rs / N)) \
		"$((rv / N)) ($rvmin-$rvmax)" $((tt / N))
done
echo 1 >"$dev/tsm/unlock"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Helpers of the revalidation tests (tsm_revalidate.sh, tsm_resume.sh):
# policies over the pci-tsm netlink family with the stock YNL CLI, the
# kernel's revalidation verdicts from its log, devsec state. Needs ROOT
# (a root with Python, YNL_ROOT), CLI, SPEC (set by tsm_reval_setup) and
# $devsec, the devsec TSM, for lock_accept.

tsm_reval_setup()
{
	ROOT=${YNL_ROOT:-/}
	CLI=$KSRC/tools/net/ynl/pyynl/cli.py
	SPEC=$KSRC/Documentation/netlink/specs/pci-tsm.yaml
}

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


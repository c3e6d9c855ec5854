#!/bin/sh
# resume path: lock+accept with no policy, then a PM test cycle: expect "dropped"
set -a; . /mnt/pcitsm/env; set +a
mount -t debugfs none /sys/kernel/debug 2>/dev/null
modprobe devsec
ep=$(ls /sys/kernel/debug/devsec | grep ':' | head -1)
d=/sys/bus/pci/devices/$ep
for t in /sys/class/tsm/tsm*; do [ "$(cat $t/mode)" = devsec ] && tsm=$(basename $t); done
echo $tsm > $d/tsm/lock && echo 1 > $d/tsm/accept
echo "state before: $(cat $d/tsm/state)"
cat /sys/power/state; cat /sys/power/pm_test
for lvl in platform; do
	echo $lvl > /sys/power/pm_test
	echo "suspend mem with pm_test=$lvl: $(echo mem > /sys/power/state 2>&1; echo rc=$?)"
	sleep 3
	echo "state after: $(cat $d/tsm/state)"
done
dmesg | grep -E 'revalidation|PM: |WARNING|BUG' | tail -20

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Revalidation on system resume: the emulated platform's devsec functions
# (samples/devsec) go through a suspend/resume cycle of the PM core's test
# hook (/sys/power/pm_test = platform: every device suspend and resume
# phase, noirq included, but no platform sleep). A function pinned to its
# chain (signature) passes and runs again; one without a policy falls out
# of the TCB; one that presents another chain after resume is caught.
#
# Suspend stops every device, virtio ones included: a test harness that
# reads its files over a virtio transport (9p) may not get them back.
# This test therefore runs only when PCI_TSM_SUSPEND_OK=1 says that the
# system may be suspended, copies itself and its helpers to /tmp first,
# and after the first suspend uses nothing but sysfs, debugfs and the
# kernel log.

if [ "${PCI_TSM_SUSPEND_OK:-0}" = 1 ] && [ -z "$TSM_RESUME_COPY" ]; then
	src=$(dirname "$0")
	d=$(mktemp -d)
	mkdir -p "$d/pci/tsm" "$d/kselftest"
	cp "$src/tsm_resume.sh" "$src/tsm_lib.sh" "$src/tsm_reval_lib.sh" "$d/pci/tsm/"
	cp "$src/../../kselftest/"*.sh "$d/kselftest/"
	TSM_RESUME_COPY=1 exec sh "$d/pci/tsm/tsm_resume.sh"
fi

. "$(dirname "$0")/tsm_lib.sh"
. "$(dirname "$0")/tsm_reval_lib.sh"

ktap_print_header

if [ "${PCI_TSM_SUSPEND_OK:-0}" != 1 ]; then
	ktap_skip_all "suspends the system: run with PCI_TSM_SUSPEND_OK=1"
	exit "$KSFT_SKIP"
fi
tsm_reval_setup
DBG=/sys/kernel/debug/devsec
if [ -z "$KSRC" ] || [ ! -f "$ROOT$CLI" ] || [ ! -w /sys/power/pm_test ] ||
   ! grep -qw freeze /sys/power/state; then
	ktap_skip_all "needs the YNL CLI (KSRC, YNL_ROOT) and pm_test (CONFIG_PM_DEBUG)"
	exit "$KSFT_SKIP"
fi
[ -d "$DBG" ] || modprobe devsec 2>/dev/null
[ -d "$DBG" ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
devsec=$(tsm_platform_tsm devsec)
eps=$(tsm_platform_eps)
ep1=$(echo $eps | cut -d' ' -f1)
ep2=$(echo $eps | cut -d' ' -f2)
if [ -z "$devsec" ] || [ -z "$ep2" ] || [ "$ep1" = "$ep2" ]; then
	ktap_skip_all "needs the devsec sample: a devsec TSM and two endpoints"
	exit "$KSFT_SKIP"
fi

# sleep_cycle: suspend and resume, then wait for DEV's verdict
sleep_cycle()
{
	n=$(reval_count "$1")
	echo platform >/sys/power/pm_test || { echo no-pm-test; return; }
	echo freeze >/sys/power/state || { echo suspend-failed; return; }
	echo none >/sys/power/pm_test
	wait_result "$1" "$n"
}

ktap_set_plan 6

# Everything that needs the YNL CLI (Python, over 9p) comes first
lock_accept "$ep1"
lock_accept "$ep2"
out=$(policy "$ep1" signature)
case $out in
*rror*) ktap_print_msg "$out"; ktap_test_fail "policy-set signature on $ep1" ;;
*) ktap_test_pass "policy-set signature on $ep1" ;;
esac

n2=$(reval_count "$ep2")
ktap_expect "signature: unchanged device passes suspend/resume" pass "$(sleep_cycle "$ep1")"
ktap_expect "... and runs again" run "$(state "$ep1")"
ktap_expect "no policy: devsec device is dropped on resume" dropped \
	"$(wait_result "$ep2" "$n2")"

# The policy outlives a pass: no netlink needed for the second cycle
echo 1 >"$DBG/$ep1/identity"
ktap_expect "signature: device replaced during suspend fails" identity-mismatch \
	"$(sleep_cycle "$ep1")"
ktap_expect "... and is out of the TCB" error "$(state "$ep1")"
echo 0 >"$DBG/$ep1/identity"
echo 1 >"$PCI_DEVICES/$ep1/tsm/unlock"
echo 1 >"$PCI_DEVICES/$ep2/tsm/unlock"
ktap_finished

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in a guest of its own: the kselftest that suspends the system
# (tsm_resume.sh), framed like selftests.sh frames each test, then the
# kernel log check. Suspend may leave the virtio-9p shares unusable, so
# this runner first copies itself to /tmp and reads nothing from them
# once the test has started.
if [ "$0" != /tmp/resume-runner.sh ]; then
	cp "$0" /tmp/resume-runner.sh
	exec sh /tmp/resume-runner.sh "$@"
fi
set -a
[ -f /mnt/pcitsm/env ] && . /mnt/pcitsm/env
PCI_TSM_SUSPEND_OK=1
set +a
echo "# selftest: pci/tsm:tsm_resume.sh"
sh /mnt/pcitsm/kselftest/pci/tsm/tsm_resume.sh
echo "# exit: pci/tsm:tsm_resume.sh $?"

echo "# selftest: kernel:log-after-resume"
bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|possible circular locking|inconsistent lock state|possible recursive locking|suspicious RCU usage|INFO: task .* blocked|general protection' | head -20)
if [ -z "$bad" ]; then
	echo "ok 1 no warnings, BUGs or lockdep reports in the kernel log"
	echo "# exit: kernel:log-after-resume 0"
else
	echo "$bad" | sed 's/^/# /'
	echo "not ok 1 no warnings, BUGs or lockdep reports in the kernel log"
	echo "# exit: kernel:log-after-resume 1"
fi

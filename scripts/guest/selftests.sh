#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest: every kselftest installed in /mnt/pcitsm/kselftest,
# each framed by lines the host parses, then a check of the kernel log.
KST=/mnt/pcitsm/kselftest
set -a
[ -f /mnt/pcitsm/env ] && . /mnt/pcitsm/env
set +a
cd "$KST" || exit 1
while IFS=: read -r dir prog; do
	[ -n "$prog" ] || continue
	echo "# selftest: $dir:$prog"
	# kselftest's per-directory settings file: timeout=S (default 300)
	t=$(sed -n 's/^timeout=//p' "$KST/$dir/settings" 2>/dev/null)
	(cd "$KST/$dir" && timeout "${t:-300}" ./"$prog")
	echo "# exit: $dir:$prog $?"
done <"$KST/kselftest-list.txt"

# Lockdep splats, WARN()s and BUG()s fail the run even if every test passed.
echo "# selftest: kernel:log"
bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|possible circular locking|inconsistent lock state|possible recursive locking|suspicious RCU usage|INFO: task .* blocked|general protection' | head -20)
if [ -z "$bad" ]; then
	echo "ok 1 no warnings, BUGs or lockdep reports in the kernel log"
	echo "# exit: kernel:log 0"
else
	echo "$bad" | sed 's/^/# /'
	echo "not ok 1 no warnings, BUGs or lockdep reports in the kernel log"
	echo "# exit: kernel:log 1"
fi

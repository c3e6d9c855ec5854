#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the series' kselftests into the guest payload, boot the guest
# and run them. Prints one "PASS|FAIL|SKIP selftest <prog>: <case>" line
# per TAP result, and a FAIL for a program that exits non-zero.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
GUEST=$BUILD/guest
"$TOP/scripts/payload.sh" >"$LOGS/payload.log" 2>&1 ||
	die "filling the guest payload failed (see $LOGS/payload.log)"
[ -f "$GUEST/kselftest/kselftest-list.txt" ] || die "the series installs no kselftest"

out=$LOGS/selftest.out
rc=0
"$TOP/scripts/vm.sh" --timeout "${SELFTEST_TIMEOUT:-2400}" --cma "$TOP/scripts/guest/selftests.sh" >"$out" 2>&1 || rc=$?
# The test that suspends the system, in a guest of its own (it may leave
# the guest's 9p shares unusable)
"$TOP/scripts/vm.sh" --timeout 600 "$TOP/scripts/guest/resume.sh" >>"$out" 2>&1 || rc=$?
py=0
python3 - "$out" <<'PY' || py=$?
import re, sys
prog, bad, seen, mine = None, 0, 0, 0
for line in open(sys.argv[1], errors="replace"):
    line = line.rstrip("\n")
    m = re.match(r"# selftest: (\S+)", line)
    if m:
        prog, mine = m.group(1), 0; continue
    m = re.match(r"# exit: (\S+) (\d+)", line)
    if m:
        code = int(m.group(2))
        if code not in (0, 4):
            print("FAIL selftest %s (exit %d)" % (m.group(1), code)); bad += 1
        elif code == 4 and not mine:
            # kselftest's "skipped", said by nothing but the exit code
            print("SKIP selftest %s: exit 4 without a result line" % m.group(1))
        elif not mine:
            print("FAIL selftest %s (exit 0, no result)" % m.group(1)); bad += 1
        prog = None; continue
    m = re.match(r"(not ok|ok) \d+ (.*?)(\s+#\s*(SKIP|XFAIL)(.*))?$", line)
    if m and prog:
        seen += 1; mine += 1
        if m.group(1) == "not ok":
            print("FAIL selftest %s: %s" % (prog, m.group(2))); bad += 1
        elif m.group(4) == "SKIP":
            print("SKIP selftest %s: %s (%s)" % (prog, m.group(2), m.group(5).strip()))
        else:
            print("PASS selftest %s: %s" % (prog, m.group(2)))
    elif re.match(r"1\.\.0 # SKIP", line) and prog:
        mine += 1
        print("SKIP selftest %s: %s" % (prog, line.split("SKIP", 1)[1].strip()))
if not seen:
    print("FAIL selftest (no results)"); bad += 1
sys.exit(1 if bad else 0)
PY
if [ $rc -ne 0 ]; then
	echo "# the guest run failed (exit $rc); output: $out" >&2
	tail -n 20 "$out" >&2
fi
[ $rc -eq 0 ] && [ $py -eq 0 ]

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The pci-tsm generic netlink family through the stock YNL CLI
# (tools/net/ynl/pyynl/cli.py): it resolves, dumps, validates requests
# and refuses callers without CAP_SYS_ADMIN. Needs Python with PyYAML:
# set YNL_ROOT to a root filesystem that has them (the test guest uses
# the host's, at /host) and KSRC to the kernel tree there.

. "$(dirname "$0")/tsm_lib.sh"

ktap_print_header

ROOT=${YNL_ROOT:-/}
CLI=$KSRC/tools/net/ynl/pyynl/cli.py
SPEC=$KSRC/Documentation/netlink/specs/pci-tsm.yaml
if [ -z "$KSRC" ] || [ ! -f "$ROOT$CLI" ] || [ ! -f "$ROOT$SPEC" ]; then
	ktap_skip_all "no kernel tree with the YNL CLI (set KSRC, YNL_ROOT)"
	exit "$KSFT_SKIP"
fi
if ! chroot "$ROOT" /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
	ktap_skip_all "no python3 with PyYAML in $ROOT"
	exit "$KSFT_SKIP"
fi

ynl()
{
	chroot "$ROOT" /usr/bin/python3 "$CLI" --spec "$SPEC" "$@" 2>&1
}

# expect_err DESCRIPTION OUTPUT PATTERN...: pass if OUTPUT matches a PATTERN
expect_err()
{
	desc=$1
	out=$2
	shift 2
	for p in "$@"; do
		case $out in
		*"$p"*) ktap_test_pass "$desc"; return ;;
		esac
	done
	ktap_print_msg "got: $out"
	ktap_test_fail "$desc"
}

# A PCI function with no TSM context.
dev=$(basename "$(ls -d "$PCI_DEVICES"/* | head -1)")
nonce=$(printf '%064d' 0)

ktap_set_plan 10

out=$(ynl --dump device-get)
ktap_expect "device-get dump with no evidence is empty" "[]" "$out"

out=$(ynl --dump evidence-get --json "{\"dev-name\": \"$dev\"}")
ktap_expect "evidence-get dump of a device without evidence is empty" "[]" "$out"

out=$(ynl --do device-get --json "{\"dev-name\": \"$dev\"}")
expect_err "device-get of a device without evidence: ENODATA" "$out" \
	"No data available" ENODATA

out=$(ynl --do evidence-refresh --json "{\"dev-name\": \"$dev\", \"nonce\": \"$nonce\"}")
expect_err "evidence-refresh without a TSM: ENXIO with a reason" "$out" \
	"not connected or locked"

out=$(ynl --do evidence-refresh --json "{\"dev-name\": \"$dev\", \"nonce\": \"${nonce#00}\"}")
expect_err "a 31-byte nonce is refused by the policy" "$out" \
	"'bad-attr': '.nonce'"

out=$(ynl --do evidence-refresh --json "{\"dev-name\": \"ffff:ff:1f.7\", \"nonce\": \"$nonce\"}")
expect_err "evidence-refresh of an unknown device: ENODEV" "$out" \
	"No such device" ENODEV

# Root without CAP_SYS_ADMIN in its bounding set execs without it.
# util-linux's setpriv, by path: a busybox chroot prefers its own applet.
if [ -x "$ROOT/usr/bin/setpriv" ]; then
	out=$(chroot "$ROOT" /usr/bin/setpriv --bounding-set=-sys_admin \
		/usr/bin/python3 "$CLI" --spec "$SPEC" --dump device-get 2>&1)
	expect_err "dump without CAP_SYS_ADMIN: EPERM" "$out" \
		"Operation not permitted" EPERM
else
	ktap_test_skip "dump without CAP_SYS_ADMIN: no util-linux setpriv"
fi

# The capability is the socket opener's too: a socket opened without it
# (euid nobody) and used by a caller that has it again is refused, at a
# dump and at a do; one opened with it works.
# sockuse OPEN_EUID OP: open the socket as OPEN_EUID, use it as root
sockuse()
{
	chroot "$ROOT" /usr/bin/python3 - "$KSRC" "$SPEC" "$1" "$2" "$dev" <<'PY' 2>&1
import os, sys
sys.path.insert(0, sys.argv[1] + '/tools/net/ynl/pyynl')
from lib import YnlFamily, NlError
os.seteuid(int(sys.argv[3]))
ynl = YnlFamily(sys.argv[2])
os.seteuid(0)
try:
    if sys.argv[4] == 'dump':
        print('ok', ynl.dump('device-get', {}))
    else:
        print('ok', ynl.do('device-get', {'dev-name': sys.argv[5]}))
except NlError as e:
    print(e)
PY
}
out=$(sockuse 65534 dump)
expect_err "dump on a socket opened without CAP_SYS_ADMIN: EPERM" "$out" \
	"Operation not permitted"
out=$(sockuse 65534 do)
expect_err "do on a socket opened without CAP_SYS_ADMIN: EPERM" "$out" \
	"Operation not permitted"
out=$(sockuse 0 dump)
ktap_expect "dump on a socket opened with CAP_SYS_ADMIN" "ok []" "$out"

ktap_finished

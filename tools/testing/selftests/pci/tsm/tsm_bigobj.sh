#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A 16 MiB evidence object through real netlink sockets. No emulated
# device produces objects that big, so the pci-tsm-evidence-test module
# publishes one (measurements, slot 0, byte i = (i * 131 + 7) & 0xff) for
# an endpoint of the emulated platform connected through its link TSM.
# The pci-tsm tool must dump it intact, and the stock YNL CLI must see it
# split into messages that each carry the device, type, offset and total
# length, with less than 64 KiB of data, neither overlapping nor leaving
# gaps. Then the errors of the module's debugfs knob.
#
# Needs the devsec sample module, the pci-tsm-evidence-test module, the
# pci-tsm tool (PCI_TSM_TOOL, run in PCI_TSM_TOOL_ROOT if set) and Python
# in YNL_ROOT; the YNL case also needs KSRC as for tsm_netlink.sh.

. "$(dirname "$0")/tsm_lib.sh"

ktap_print_header

ROOT=${YNL_ROOT:-/}
CLI=$KSRC/tools/net/ynl/pyynl/cli.py
SPEC=$KSRC/Documentation/netlink/specs/pci-tsm.yaml
KNOB=/sys/kernel/debug/pci-tsm-evidence-test/publish
SIZE=16777216

py()
{
	chroot "$ROOT" /usr/bin/python3 -c "$@"
}

if ! py 'import hashlib' 2>/dev/null; then
	ktap_skip_all "no python3 in ${ROOT} (set YNL_ROOT)"
	exit "$KSFT_SKIP"
fi
if ! tsm_platform_up; then
	ktap_skip_all "no emulated platform (modprobe devsec failed)"
	exit "$KSFT_SKIP"
fi
if ! tsm_tool list >/dev/null 2>&1; then
	tsm_platform_down
	ktap_skip_all "no pci-tsm tool (set PCI_TSM_TOOL)"
	exit "$KSFT_SKIP"
fi
if ! modprobe pci-tsm-evidence-test 2>/dev/null || [ ! -e "$KNOB" ]; then
	tsm_platform_down
	ktap_skip_all "no pci-tsm-evidence-test module (CONFIG_PCI_TSM_EVIDENCE_TEST)"
	exit "$KSFT_SKIP"
fi

link=$(tsm_platform_tsm link)
set -- $(tsm_platform_eps)
ep=$1
ep2=$2
dir=$(mktemp -d)
ktap_print_msg "link TSM $link, endpoints $ep $ep2"

# The pattern repeats every 256 bytes: hash it without a 16 MiB loop
PATTERN='bytes((i * 131 + 7) & 0xff for i in range(256))'
want=$(py "import hashlib; print(hashlib.sha256($PATTERN * ($SIZE // 256)).hexdigest())")

# expect_errno DESCRIPTION VALUE STRERROR...: writing VALUE to the knob
# fails with one of the STRERROR texts (they differ between C libraries)
expect_errno()
{
	desc=$1
	out=$(write_err "$2" "$KNOB")
	shift 2
	for e in "$@"; do
		[ "$out" = "$e" ] && { ktap_test_pass "$desc"; return; }
	done
	ktap_print_msg "got: '$out'"
	ktap_test_fail "$desc"
}

ktap_set_plan 11

ktap_expect_err "connect $ep via $link" "" "$link" "$PCI_DEVICES/$ep/tsm/connect"

gen0=$(cat "$PCI_DEVICES/$ep/tsm/generation")
t0=$(date +%s)
ktap_expect "publish a $SIZE-byte object for $ep" "" "$(write_err "$ep $SIZE" "$KNOB")"
t1=$(date +%s)
gen=$(cat "$PCI_DEVICES/$ep/tsm/generation")
ktap_expect "publishing changed the generation" yes \
	"$([ "$gen" -gt "$gen0" ] && echo yes)"
ktap_print_msg "publish took $((t1 - t0)) s"

# (a) the pci-tsm tool
obj=$dir/tool/measurements-slot0.bin
t0=$(date +%s)
out=$(tsm_tool evidence dump "$ep" -o "$dir/tool" 2>&1) || ktap_print_msg "$out"
t1=$(date +%s)
ktap_print_msg "pci-tsm evidence dump took $((t1 - t0)) s"
got=$(py "
import hashlib, os, sys
p = sys.argv[1]
print(os.path.getsize(p) if os.path.exists(p) else 'missing',
      hashlib.sha256(open(p, 'rb').read()).hexdigest() if os.path.exists(p) else '-')
" "$obj" 2>&1)
ktap_expect "pci-tsm tool: the object is $SIZE bytes of the pattern" "$SIZE $want" "$got"
ktap_expect "pci-tsm tool: the published object replaced the connect's evidence" 1 \
	"$(ls "$dir/tool" 2>/dev/null | grep -c '\.bin$')"
rm -rf "${dir:?}/tool"

# (b) the stock YNL CLI, its JSON output checked message by message
if [ -n "$KSRC" ] && [ -f "$ROOT$CLI" ] && [ -f "$ROOT$SPEC" ]; then
	t0=$(date +%s)
	chroot "$ROOT" /usr/bin/python3 "$CLI" --spec "$SPEC" --output-json \
		--dump evidence-get --json "{\"dev-name\": \"$ep\"}" \
		>"$dir/ynl.json" 2>"$dir/ynl.err" || ktap_print_msg "$(cat "$dir/ynl.err")"
	t1=$(date +%s)
	ktap_print_msg "YNL CLI dump took $((t1 - t0)) s"
	got=$(py "
import hashlib, json, sys
dev, size, want, gen = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[5])
msgs = json.load(open(sys.argv[4]))
buf = bytearray()
for i, m in enumerate(msgs):
    data = bytes.fromhex(m.get('data', ''))
    hdr = (m.get('dev-name'), m.get('type'), m.get('slot'), m.get('total-len'),
           m.get('generation'))
    if hdr != (dev, 'measurements', 0, size, gen):
        sys.exit('message %d: %r' % (i, hdr))
    if m.get('offset') != len(buf):
        sys.exit('message %d: offset %r, expected %d' % (i, m.get('offset'), len(buf)))
    if not data or len(data) >= 65536:
        sys.exit('message %d: %d bytes of data' % (i, len(data)))
    buf += data
if len(buf) != size or hashlib.sha256(buf).hexdigest() != want:
    sys.exit('%d bytes, sha256 %s' % (len(buf), hashlib.sha256(buf).hexdigest()))
print('ok', len(msgs))
" "$ep" "$SIZE" "$want" "$dir/ynl.json" "$gen" 2>&1)
	ktap_print_msg "YNL CLI: $got"
	ktap_expect "YNL CLI: messages < 64 KiB, no gap or overlap, the pattern" ok "${got%% *}"
	rm -f "$dir/ynl.json" "$dir/ynl.err"
else
	ktap_test_skip "YNL CLI: no kernel tree (KSRC, YNL_ROOT)"
fi

# (c) what the knob refuses
expect_errno "size 0: EINVAL" "$ep 0" "Invalid argument"
expect_errno "size 32 MiB + 1: ERANGE" "$ep 33554433" \
	"Numerical result out of range" "Result not representable"
expect_errno "unknown device: ENODEV" "ffff:ff:1f.7 4096" "No such device"
expect_errno "device without a TSM context: ENXIO" "$ep2 4096" \
	"No such device or address"

# (d) cleanup
ktap_expect_err "disconnect $ep" "" "$link" "$PCI_DEVICES/$ep/tsm/disconnect"
rmdir "$dir" 2>/dev/null || rm -rf "${dir:?}"
modprobe -r pci-tsm-evidence-test
tsm_platform_down
ktap_finished

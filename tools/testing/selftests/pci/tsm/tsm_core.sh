#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The PCI TSM core with no TSM driver registered: the tsm class exists,
# no function offers TSM operations, and PCIe enumeration saw the
# extended capabilities the later tests rely on.

. "$(dirname "$0")/tsm_lib.sh"

ktap_print_header

if [ ! -d "$PCI_DEVICES" ]; then
	ktap_skip_all "no PCI bus in this kernel"
	exit "$KSFT_SKIP"
fi
if [ -n "$(tsm_list)" ]; then
	ktap_skip_all "a TSM is registered ($(tsm_list | tr '\n' ' ')): this test needs none"
	exit "$KSFT_SKIP"
fi

ktap_set_plan 5

if [ -d "$TSM_CLASS" ]; then
	ktap_test_pass "the tsm class is registered"
else
	ktap_test_fail "the tsm class is registered"
fi

ktap_expect "no function offers tsm/connect without a link TSM" \
	"" "$(pci_with_attr tsm/connect)"
ktap_expect "no function offers tsm/disconnect without a link TSM" \
	"" "$(pci_with_attr tsm/disconnect)"
ktap_expect "no function has authenticated without a link TSM" \
	"" "$(pci_with_attr authenticated)"

# TSM operations need PCIe extended config space (ECAM); without it no
# DOE or IDE capability is ever found.
ext=0
for d in "$PCI_DEVICES"/*; do
	size=$(wc -c <"$d/config")
	[ "$size" -gt 256 ] && ext=$((ext + 1))
done
if [ "$ext" -gt 0 ]; then
	ktap_test_pass "extended config space is visible ($ext functions)"
else
	ktap_test_fail "extended config space is visible"
fi

ktap_finished

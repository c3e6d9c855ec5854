# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the PCI TSM selftests. Sourced; needs only a POSIX
# shell (the test guest runs busybox).

TSM_CLASS=/sys/class/tsm
PCI_DEVICES=/sys/bus/pci/devices

. "$(dirname "$0")/../../kselftest/ktap_helpers.sh"

# The registered TSM instances, one name per line.
tsm_list()
{
	ls "$TSM_CLASS" 2>/dev/null | grep '^tsm[0-9][0-9]*$'
}

# PCI functions that have a given attribute (a path below the device).
pci_with_attr()
{
	for d in "$PCI_DEVICES"/*; do
		[ -e "$d/$1" ] && basename "$d"
	done
	return 0
}

# ktap_expect DESCRIPTION EXPECTED ACTUAL
ktap_expect()
{
	if [ "$2" = "$3" ]; then
		ktap_test_pass "$1"
	else
		ktap_print_msg "$1: expected '$2', got '$3'"
		ktap_test_fail "$1"
	fi
}

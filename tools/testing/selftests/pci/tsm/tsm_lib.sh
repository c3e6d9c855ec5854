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

# Write $1 to file $2; print nothing on success, else the error message.
# echo, not printf: busybox's printf does not report a failed write.
write_err()
{
	( echo "$1" >"$2" ) 2>&1 | sed 's/.*: //'
}

# ktap_expect_err DESCRIPTION EXPECTED-STRERROR VALUE FILE
ktap_expect_err()
{
	ktap_expect "$1" "$2" "$(write_err "$3" "$4")"
}

# The pci-tsm tool: $PCI_TSM_TOOL, run in $PCI_TSM_TOOL_ROOT if set (the
# test guest runs the host's build there, where its libcrypto is). If
# that path is not visible there, $PCI_TSM_TOOL_GUEST is run with the
# root's dynamic loader and libraries instead.
TSM_LIBS=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu
tsm_tool()
{
	r=$PCI_TSM_TOOL_ROOT
	if [ -n "$r" ] && [ -x "$r$PCI_TSM_TOOL" ]; then
		chroot "$r" "$PCI_TSM_TOOL" "$@"
	elif [ -n "$r" ] && [ -x "$PCI_TSM_TOOL_GUEST" ]; then
		"$r${TSM_LIBS%%:*}/ld-linux-x86-64.so.2" \
			--library-path "$r${TSM_LIBS%%:*}:$r${TSM_LIBS#*:}" \
			"$PCI_TSM_TOOL_GUEST" "$@"
	else
		"${PCI_TSM_TOOL:-pci-tsm}" "$@"
	fi
}

# Load the emulated platform (samples/devsec) unless it is there already;
# tsm_platform_down unloads it again only if tsm_platform_up loaded it.
TSM_PLATFORM_LOADED=
tsm_platform_up()
{
	[ -d /sys/bus/platform/devices/devsec-bridge ] && return 0
	modprobe devsec "$@" 2>/dev/null || return 1
	TSM_PLATFORM_LOADED=1
}

tsm_platform_down()
{
	[ -n "$TSM_PLATFORM_LOADED" ] && modprobe -r devsec
	TSM_PLATFORM_LOADED=
}

# The TSM of the emulated platform in a mode (link or devsec).
tsm_platform_tsm()
{
	for t in $(tsm_list); do
		case "$(readlink "$TSM_CLASS/$t/device")" in
		*/devsec-bridge) ;;
		*) continue ;;
		esac
		[ "$(cat "$TSM_CLASS/$t/mode")" = "$1" ] && echo "$t"
	done
	return 0
}

# The emulated platform's endpoints (PCI names), one per line.
tsm_platform_eps()
{
	for d in "$PCI_DEVICES"/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1b36:0x0df0 ] &&
			basename "$d"
	done
	return 0
}

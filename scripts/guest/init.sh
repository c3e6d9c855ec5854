#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# /init of the test guest: mount the basics and the 9p shares, run
# /mnt/pcitsm/run.sh between markers the host looks for, power off.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t configfs configfs /sys/kernel/config 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,ro pcitsm /mnt/pcitsm
# The host's root, read-only, with the guest's own /proc, /sys, /dev and
# a writable /tmp bound in: "chroot /host CMD" runs the host's Python,
# OpenSSL and pciutils against this kernel. The host's own /tmp is hidden
# by that, so nothing may be run by its host path: the payload (tool, YNL
# CLI, specs, PKI) is bound at /mnt/pcitsm in both views instead, and
# every path in /mnt/pcitsm/env is one of those.
# The host's root does not change while the guest runs: it is cached
# (cache=loose), which halves the start-up of every Python process the
# tests run under TCG. The payload is not: the host writes to it while
# the guest runs (cma-replaced, see vm.sh).
if mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=524288 hostroot /host 2>/dev/null; then
	for d in proc sys dev tmp; do
		mount --bind /$d /host/$d
	done
	mount -t tmpfs tmpfs /host/mnt &&
		mkdir /host/mnt/pcitsm &&
		mount --bind /mnt/pcitsm /host/mnt/pcitsm ||
		echo "init: cannot bind the payload at /host/mnt/pcitsm"
fi
if [ -d /mnt/pcitsm/modroot/lib/modules ]; then
	ln -s /mnt/pcitsm/modroot/lib/modules /lib/modules
fi
echo 0 >/proc/sys/kernel/printk_ratelimit 2>/dev/null
cd /tmp
echo "==PCI-TSM-BEGIN=="
eval "set -- $(cat /mnt/pcitsm/run.args)"
sh /mnt/pcitsm/run.sh "$@" 2>&1
status=$?
echo "==PCI-TSM-END== status=$status"
sync
poweroff -f

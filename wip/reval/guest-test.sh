#!/bin/sh
set -a; . /mnt/pcitsm/env; set +a
cd /mnt/pcitsm/kselftest/pci/tsm || exit 1
echo "=== tsm_revalidate.sh"
timeout 600 ./tsm_revalidate.sh
echo "=== exit $?"
echo "=== bench"
timeout 600 ./bench_revalidate.sh 3
echo "=== dmesg"
dmesg | grep -E 'WARNING:|BUG:|Oops|possible circular|inconsistent lock|possible recursive|suspicious RCU|blocked for' | head -20
dmesg | grep -E 'revalidation|TSM' | tail -30

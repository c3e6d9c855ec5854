#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Save work-in-progress branches of build/linux (not yet in the series)
# as patches under wip/NAME/, so they survive a clean clone:
#	scripts/wip-export.sh NAME BRANCH BASE
# Re-apply later with "git am wip/NAME/*.patch" on a build/linux branch.
set -e
. "$(dirname "$0")/lib.sh"
name=$1 branch=$2 base=$3
[ -n "$base" ] || die "usage: wip-export.sh NAME BRANCH BASE"
rm -rf "$TOP/wip/$name" && mkdir -p "$TOP/wip/$name"
git -C "$BUILD/linux" format-patch -q -o "$TOP/wip/$name" "$base..$branch"
ls "$TOP/wip/$name"

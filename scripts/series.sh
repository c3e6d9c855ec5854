#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Export base..HEAD of build/linux as a mailable series with a cover
# letter into build/series/, and run checkpatch --strict on every patch.
# Prints one "PASS|FAIL checkpatch <patch>" line per patch.
set -e
. "$(dirname "$0")/lib.sh"

LINUX=$BUILD/linux
OUT=$BUILD/series
rm -rf "$OUT" && mkdir -p "$OUT"
cd "$LINUX"
n=$(git rev-list --count base..HEAD)
git format-patch -q --cover-letter --thread=shallow -M -o "$OUT" base..HEAD
cover=$(ls "$OUT"/0000-cover-letter.patch)
subject=$(head -1 "$TOP/patches/cover-letter.txt")
body=$(tail -n +3 "$TOP/patches/cover-letter.txt")
# Fill in git's placeholders with the cover letter's text.
python3 - "$cover" "$subject" "$body" <<'PY'
import sys
path, subject, body = sys.argv[1:]
text = open(path).read()
text = text.replace("*** SUBJECT HERE ***", subject)
text = text.replace("*** BLURB HERE ***", body)
open(path, "w").write(text)
PY
# maintained PATCH: every file PATCH adds has a MAINTAINERS entry of
# its own in the series' tree (not just "THE REST").
maintained() {
	local f q rc=0
	for f in $(sed -n 's|^+++ b/||p' "$1"); do
		grep -q "^--- /dev/null" <(grep -B1 "^+++ b/$f\$" "$1") || continue
		# a file a later patch moves away: ask for the directory it was in
		q=$f
		[ -e "$q" ] || q=$(dirname "$f")/
		if ! ./scripts/get_maintainer.pl --no-git --no-git-fallback --no-rolestats \
			-f "$q" 2>/dev/null | grep -qv 'linux-kernel@vger.kernel.org'; then
			echo "$f: no MAINTAINERS entry covers this new file"
			rc=1
		fi
	done
	return $rc
}

fail=0
for p in "$OUT"/0*.patch; do
	[ "$p" = "$cover" ] && continue
	# FILE_PATH_CHANGES only asks whether MAINTAINERS needs an update
	# when a patch adds files; it is checked exactly below instead.
	if ./scripts/checkpatch.pl --strict -q --ignore FILE_PATH_CHANGES "$p" >"$p.checkpatch" 2>&1 &&
	   maintained "$p" >>"$p.checkpatch"; then
		echo "PASS checkpatch $(basename "$p")"
		rm -f "$p.checkpatch"
	else
		echo "FAIL checkpatch $(basename "$p") (see $p.checkpatch)"
		sed 's/^/	/' "$p.checkpatch" | head -40
		fail=1
	fi
done
echo "series: $n patches in $OUT" >&2
exit $fail

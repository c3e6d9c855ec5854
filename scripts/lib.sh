# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the overlay scripts: paths, staged progress, logs.
# Sourced, never executed.

# Debian's tools first: its python3 has the modules deps.sh installs
# (yaml, jsonschema, ply), which a pyenv or venv python may lack.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
LOGS=$BUILD/logs
# Downloads and tools that outlive a clean clone (base tarball, sparse).
CACHE=${PCI_TSM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pci-tsm}
mkdir -p "$LOGS" "$CACHE"

die() {
	echo "error: $*" >&2
	exit 1
}

# stage NAME LOG CMD...: run CMD with its output in build/logs/LOG,
# print one line with the time taken, and the log's tail on failure.
stage() {
	local name=$1 log=$LOGS/$2 start rc
	shift 2
	start=$(date +%s)
	printf '%-44s ' "$name ..."
	if "$@" >"$log" 2>&1; then
		rc=0
	else
		rc=$?
	fi
	local t=$(($(date +%s) - start))
	if [ $rc -eq 0 ]; then
		printf 'ok %dm%02ds\n' $((t / 60)) $((t % 60))
	else
		printf 'FAILED %dm%02ds (exit %d)\n' $((t / 60)) $((t % 60)) $rc
		echo "---- last lines of $log ----" >&2
		tail -n 30 "$log" >&2
		echo "---- full log: $log ----" >&2
	fi
	return $rc
}

# as_root CMD...: run CMD as root, through sudo when needed.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	else
		sudo "$@"
	fi
}

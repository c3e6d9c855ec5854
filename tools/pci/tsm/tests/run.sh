#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of pci-tsm: no VM, no root, no kernel support needed.
#  - evidence verify on evidence directories built from recorded DMTF SPDM
#    exchanges (tests/vectors/v12-*), and its failure on every kind of damage;
#  - evidence verify on exchanges of lib/spdm with DMTF's responder
#    (tests/vectors/libspdm-rsp-*), SPDM 1.1 to 1.3, ECDSA and RSA;
#  - the dump reassembly on synthetic netlink message sequences;
#  - the sysfs commands against a fake sysfs tree.
# Prints TAP and a final "N passed, N failed"; exits non-zero on failure.
#
# Argument: the directory the binaries were built in (default: the tool's).

set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/..}
out=$(cd "$out" && pwd)
tool=$out/pci-tsm
mkev=$out/tests/mkevidence
work=$out/tests/out
vectors=$here/vectors

pass=0
fail=0
n=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		pass=$((pass + 1))
		echo "ok $n - $2"
	else
		fail=$((fail + 1))
		echo "not ok $n - $2"
		[ -s "$work/last.log" ] && sed 's/^/# /' "$work/last.log"
	fi
}

skip() {
	n=$((n + 1))
	pass=$((pass + 1))
	echo "ok $n - $1 # SKIP $2"
}

# expect_ok NAME PATTERN CMD...: CMD exits 0 and prints PATTERN
expect_ok() {
	name=$1 pat=$2
	shift 2
	"$@" >"$work/last.log" 2>&1
	rc=$?
	[ $rc = 0 ] && grep -q -- "$pat" "$work/last.log"
	ok $? "$name"
}

# expect_fail NAME PATTERN CMD...: CMD exits non-zero and says PATTERN
expect_fail() {
	name=$1 pat=$2
	shift 2
	"$@" >"$work/last.log" 2>&1
	rc=$?
	[ $rc != 0 ] && grep -q -- "$pat" "$work/last.log"
	ok $? "$name"
}

# expect_rc NAME RC PATTERN CMD...: CMD exits with RC and says PATTERN
expect_rc() {
	name=$1 want=$2 pat=$3
	shift 3
	"$@" >"$work/last.log" 2>&1
	rc=$?
	[ $rc = "$want" ] && grep -q -- "$pat" "$work/last.log"
	r=$?
	[ $rc = "$want" ] || echo "exit $rc, expected $want" >>"$work/last.log"
	ok $r "$name"
}

byte() {
	od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '
}

# flip FILE OFFSET: invert every bit of one byte
flip() {
	b=$(byte "$1" "$2")
	printf "$(printf '\\%03o' $((b ^ 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

copy() {
	rm -rf "$2"
	cp -r "$1" "$2"
}

rm -rf "$work"
mkdir -p "$work"
echo "TAP version 13"

# v12-*: DMTF requester and responder, messages without transport padding
for v in "$vectors"/v12-*/; do
	v=${v%/}
	vn=$(basename "$v")
	root=$v/root.pem
	for kind in challenge measurements; do
		t="$vn $kind"
		d=$work/$vn-$kind
		# the signature size (ECDSA P-384) is given, not derived
		"$mkev" "$v/exchange.txt" 96 $kind "$d" >"$work/last.log" 2>&1
		ok $? "$t: build evidence from the recording"

		# the transcript must be the one the recording says verified
		if [ $kind = challenge ]; then
			tr=M1 req=CHALLENGE
		else
			tr=L1 req=GET_MEASUREMENTS
		fi
		want=$(sed -n "s/.*SHA_384($tr) = \([0-9a-f]*\).*/\1/p" "$v/README")
		nonce=$(sed -n "s/^# $req .*nonce=\([0-9a-f]*\).*/\1/p" "$v/exchange.txt")
		got=$(sha384sum "$d/transcript-slot0.bin" | cut -d' ' -f1)
		[ -n "$want" ] && [ "$got" = "$want" ]
		ok $? "$t: transcript hash matches the recording's README"

		expect_fail "$t: dump writer refuses a directory holding another dump" \
			"already exists" "$mkev" "$v/exchange.txt" 96 $kind "$d"

		# the dump writer split the chain: certificate 0 is the root
		cmp -s "$d/cert-chain-slot0-0.pem" "$root"
		ok $? "$t: dump writer: certificate 0 as PEM is the recording's root"
		if command -v python3 >/dev/null; then
			python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
assert s["generation"] == 1 and s["spdm_version"] == "1.2"
assert [o["type"] for o in s["objects"]] == ["cert-chain", "vca",
	"challenge", "measurements", "transcript", "signature"]
assert len(s["objects"][0]["certificates"]) == 3
assert s["objects"][0]["certificates"][2]["role"] == "leaf"' \
				"$d/summary.json" >"$work/last.log" 2>&1
			ok $? "$t: dump writer: summary.json parses and lists every object"
		else
			skip "$t: dump writer: summary.json parses" "no python3"
		fi

		expect_rc "$t: verify without --root is self-consistent only" 4 \
			"self-consistent only" "$tool" evidence verify "$d"
		expect_rc "$t: verify with --root anchors the chain" 0 \
			"fresh: not checked" "$tool" evidence verify "$d" --root "$root"
		expect_rc "$t: verify with the right --nonce" 0 \
			"nonce: ok" "$tool" evidence verify "$d" --root "$root" --nonce "$nonce"

		copy "$d" "$work/x"
		flip "$work/x/signature-slot0.bin" 10
		expect_rc "$t: flipped signature byte fails" 1 \
			"does not verify with the leaf key" "$tool" evidence verify "$work/x"

		# byte 41 is in CAPABILITIES' flags: still parses, no longer
		# signed; the vca object gets the same change so that only the
		# signature can notice
		copy "$d" "$work/x"
		flip "$work/x/transcript-slot0.bin" 41
		flip "$work/x/vca-slot0.bin" 41
		expect_rc "$t: flipped transcript byte fails" 1 \
			"does not verify with the leaf key" "$tool" evidence verify "$work/x"

		bad=$(echo "$nonce" | sed 's/^./0/;s/^00/11/')
		expect_rc "$t: wrong nonce fails" 1 \
			"nonce: the signed $kind request carries nonce $nonce, expected $bad" \
			"$tool" evidence verify "$d" --nonce "$bad"

		# last byte of certificate 1 is in its signature by certificate 0
		copy "$d" "$work/x"
		c="$work/x/cert-chain-slot0.bin"
		len0=$(( ($(byte "$c" 54) << 8 | $(byte "$c" 55)) + 4 ))
		o1=$((4 + 48 + len0))
		len1=$(( ($(byte "$c" $((o1 + 2))) << 8 | $(byte "$c" $((o1 + 3)))) + 4 ))
		flip "$c" $((o1 + len1 - 1))
		expect_rc "$t: broken chain link fails" 1 \
			"certificate signature failure" \
			"$tool" evidence verify "$work/x"

		# certificate 1, the intermediate CA: trusting it anchors the
		# path there (partial chain); the chain above it is checked all
		# the same, anchored to certificate 0
		dd if="$d/cert-chain-slot0.bin" of="$work/inter.der" bs=1 skip=$o1 \
			count=$len1 2>/dev/null
		expect_ok "$t: --root the intermediate CA anchors the chain" \
			"chain anchored to" \
			"$tool" evidence verify "$d" --root "$work/inter.der"
		expect_fail "$t: wrong root (another PKI's root) fails" \
			"does not anchor to --root" \
			"$tool" evidence verify "$d" \
			--root "$here/peer-chains/libspdm-p256-root.der"

		copy "$d" "$work/x"
		head -c 1596 "$d/cert-chain-slot0.bin" >"$work/x/cert-chain-slot0.bin"
		expect_rc "$t: truncated chain fails" 3 \
			"header says 1696 bytes, have 1596" "$tool" evidence verify "$work/x"
	done
done

# Dumps of a kernel that publishes one transcript and signature per signed
# exchange (types 8-11): every pair is verified, not only the last one
for v in "$vectors"/v12-*/; do
	vn=$(basename "$v")
	root=$v/root.pem
	d=$work/$vn-pairs
	"$mkev" --pairs "$v/exchange.txt" 96 measurements "$d" >"$work/last.log" 2>&1
	ok $? "$vn pairs: build evidence with types 8-11"
	for f in challenge-transcript challenge-signature measurements-transcript \
		 measurements-signature; do
		[ -s "$d/$f-slot0.bin" ] || echo "no $f-slot0.bin" >>"$work/last.log"
	done
	[ -s "$d/challenge-transcript-slot0.bin" ] && [ -s "$d/measurements-signature-slot0.bin" ]
	ok $? "$vn pairs: the dump writes them as challenge-transcript-slot0.bin etc."
	"$tool" evidence verify "$d" --root "$root" >"$work/last.log" 2>&1
	rc=$?
	[ $rc = 0 ] &&
		grep -q "signature: ok, challenge-signature-slot0.bin: .* challenge transcript" \
			"$work/last.log" &&
		grep -q "signature: ok, measurements-signature-slot0.bin: .* measurements" \
			"$work/last.log" &&
		grep -q "signature: ok, signature-slot0.bin" "$work/last.log"
	ok $? "$vn pairs: verify checks the M1, the L1 and the last pair (exit $rc)"
	for f in challenge-signature measurements-signature; do
		copy "$d" "$work/x"
		flip "$work/x/$f-slot0.bin" 10
		expect_rc "$vn pairs: flipped byte in $f-slot0.bin fails" 1 \
			"${f%-signature}-transcript-slot0.bin: .*does not verify with the leaf" \
			"$tool" evidence verify "$work/x" --root "$root"
	done
	# the recording's two requests carry two nonces: --nonce must match both
	cn=$(sed -n "s/^# CHALLENGE .*nonce=\([0-9a-f]*\).*/\1/p" "$v/exchange.txt")
	expect_rc "$vn pairs: --nonce of the CHALLENGE only fails on GET_MEASUREMENTS" 1 \
		"signed measurements request carries nonce .*, expected $cn" \
		"$tool" evidence verify "$d" --root "$root" --nonce "$cn"
done

# lib/spdm against DMTF's responder: flow 1 of each recording (the first
# connect) cut to whole SPDM messages by unpad_exchange.py, which reads each
# length from the message's own fields (DSP0274), apart from the C code
# under test. The signatures are the responder's: they verify only if the
# transcript is byte for byte what libspdm hashed.
# NAME SIGLEN LAST-SIGNED-EXCHANGE (signature size by the algorithm in NAME)
while read -r vn siglen kind; do
	v=$vectors/$vn
	root=$v/root.pem
	x=$work/$vn.txt
	d=$work/$vn
	if ! command -v python3 >/dev/null; then
		skip "$vn: unpad and verify the recording" "no python3"
		continue
	fi
	python3 "$here/unpad_exchange.py" "$v/exchange.txt" "$x" >"$work/last.log" 2>&1
	ok $? "$vn: flow 1 cut to whole SPDM messages"
	"$mkev" --pairs "$x" "$siglen" "$kind" "$d" >"$work/last.log" 2>&1
	ok $? "$vn: build evidence with types 8-11"

	# the chain from the cut CERTIFICATE responses is the responder's
	c=$d/cert-chain-slot0.bin
	clen=$(stat -c %s "$v/slot0-certs.der")
	[ $(( $(byte "$c" 0) | $(byte "$c" 1) << 8 )) = "$(stat -c %s "$c")" ] &&
		tail -c "$clen" "$c" | cmp -s - "$v/slot0-certs.der"
	ok $? "$vn: cert-chain-slot0.bin holds the responder's slot-0 certificates"

	"$tool" evidence verify "$d" --root "$root" >"$work/last.log" 2>&1
	rc=$?
	ver=$(sed -n 's/^vca: SPDM \([0-9.]*\),.*/\1/p' "$work/last.log")
	[ $rc = 0 ] &&
		grep -q "signature: ok, challenge-signature-slot0.bin: .* challenge transcript" \
			"$work/last.log" &&
		grep -q "signature: ok, signature-slot0.bin: .* $kind transcript" \
			"$work/last.log" &&
		grep -q "^evidence verify .*: OK$" "$work/last.log" &&
		[ "SPDM $ver" = "$(echo "$vn" | sed 's/libspdm-rsp-v\(.\)\(.\).*/SPDM \1.\2/')" ]
	ok $? "$vn: verify --root: the challenge signature is ok (SPDM $ver, exit $rc)"
	if [ "$kind" = measurements ]; then
		grep -q "signature: ok, measurements-signature-slot0.bin: .* measurements" \
			"$work/last.log" &&
			grep -q "summary: ok, the signed MeasurementSummaryHash matches" \
				"$work/last.log"
		ok $? "$vn: verify --root: the measurements signature and summary are ok"
	else
		[ ! -e "$d/measurements-slot0.bin" ] &&
			[ ! -e "$d/measurements-transcript-slot0.bin" ] &&
			grep -q "summary: none asked for" "$work/last.log"
		ok $? "$vn: no measurements: none published, none asked for in CHALLENGE"
	fi
	if [ "$ver" = 1.1 ]; then
		# DSP0274 1.1: L1 is GET_MEASUREMENTS || MEASUREMENTS, no VCA
		[ "$(od -An -tx1 -N2 "$d/measurements-transcript-slot0.bin" | tr -d ' ')" = 11e0 ]
		ok $? "$vn: SPDM 1.1 L1 starts with GET_MEASUREMENTS, not the VCA"
	fi

	for f in challenge-signature measurements-signature signature; do
		[ -e "$d/$f-slot0.bin" ] || continue
		copy "$d" "$work/x"
		flip "$work/x/$f-slot0.bin" 10
		expect_rc "$vn: flipped byte in $f-slot0.bin fails" 1 \
			"does not verify with the leaf" \
			"$tool" evidence verify "$work/x" --root "$root"
	done

	# the nonces the kernel drew, as the requests carry them
	cn=$(sed -n "s/^# CHALLENGE .*nonce=\([0-9a-f]*\).*/\1/p" "$x")
	mn=$(sed -n "s/^# GET_MEASUREMENTS .*nonce=\([0-9a-f]*\).*/\1/p" "$x")
	if [ "$kind" = challenge ]; then
		expect_rc "$vn: verify with the CHALLENGE's --nonce" 0 \
			"fresh: ok, every signed request carries the given --nonce" \
			"$tool" evidence verify "$d" --root "$root" --nonce "$cn"
		bad=$(echo "$cn" | sed 's/^./0/;s/^00/11/')
		expect_rc "$vn: a wrong --nonce fails" 1 \
			"signed challenge request carries nonce $cn, expected $bad" \
			"$tool" evidence verify "$d" --root "$root" --nonce "$bad"
	else
		# connect drew a nonce per request: one --nonce cannot match both
		expect_rc "$vn: --nonce of the CHALLENGE fails on GET_MEASUREMENTS" 1 \
			"signed measurements request carries nonce $mn, expected $cn" \
			"$tool" evidence verify "$d" --root "$root" --nonce "$cn"
		expect_rc "$vn: --nonce of GET_MEASUREMENTS fails on CHALLENGE" 1 \
			"signed challenge request carries nonce $cn, expected $mn" \
			"$tool" evidence verify "$d" --root "$root" --nonce "$mn"
	fi

	# M1 holds every GET_CERTIFICATE of the connect, slot 1's too: without
	# them the transcript is not what the responder signed
	awk '/^# GET_CERTIFICATE .*param1=0x01/ { drop = 4 } drop { drop--; next } 1' \
		"$x" >"$work/noslot1.txt"
	rm -rf "$work/noslot1"
	"$mkev" --pairs "$work/noslot1.txt" "$siglen" "$kind" "$work/noslot1" \
		>"$work/last.log" 2>&1 &&
		[ ! -e "$work/noslot1/cert-chain-slot1.bin" ]
	ok $? "$vn: build evidence without slot 1's GET_CERTIFICATE"
	expect_rc "$vn: M1 without slot 1's GET_CERTIFICATE fails" 1 \
		"challenge-transcript-slot0.bin: .*does not verify with the leaf" \
		"$tool" evidence verify "$work/noslot1" --root "$root"
done <<EOF
libspdm-rsp-v11-rsassa3072-sha384 384 measurements
libspdm-rsp-v12-p384-challenge-only 96 challenge
libspdm-rsp-v13-p256-sha256 64 measurements
libspdm-rsp-v13-rsassa4096-sha512 512 measurements
EOF

# unpad_exchange.py refuses what is not a message and its DOE padding
if command -v python3 >/dev/null; then
	v=$vectors/libspdm-rsp-v13-p256-sha256/exchange.txt
	# CHALLENGE_AUTH: 174 bytes and 2 of padding; the last made non-zero
	sed '/^# CHALLENGE_AUTH/{n;s/00$/01/}' "$v" >"$work/bad.txt"
	expect_fail "unpad: a non-zero padding byte is refused" \
		"CHALLENGE_AUTH: the padding after its 174 bytes is not zero: 0001" \
		python3 "$here/unpad_exchange.py" "$work/bad.txt" "$work/bad.out"
	# one dword more than padding can be
	sed '/^# CHALLENGE (/{n;s/$/00000000/}' "$v" >"$work/bad.txt"
	expect_fail "unpad: more than 3 bytes after a message are refused" \
		"CHALLENGE: 4 bytes after its 44: DOE padding is 0-3" \
		python3 "$here/unpad_exchange.py" "$work/bad.txt" "$work/bad.out"
	# MEASUREMENTS cut by two dwords: shorter than its fields say
	sed '/^# MEASUREMENTS/{n;s/................$//}' "$v" >"$work/bad.txt"
	expect_fail "unpad: a message shorter than its fields is refused" \
		"MEASUREMENTS: its fields give 642 bytes, the line has 636" \
		python3 "$here/unpad_exchange.py" "$work/bad.txt" "$work/bad.out"
	# a payload of whole dwords only
	sed '/^# GET_DIGESTS/{n;s/$/00/}' "$v" >"$work/bad.txt"
	expect_fail "unpad: a payload that is not whole dwords is refused" \
		"5 bytes: a DOE payload is whole dwords" \
		python3 "$here/unpad_exchange.py" "$work/bad.txt" "$work/bad.out"
else
	skip "unpad: refuses bad padding" "no python3"
fi

# Further damage, on one directory
d=$work/$(basename "$(ls -d "$vectors"/v12-*/ | head -n1)")-challenge
root=$(ls -d "$vectors"/v12-*/ | head -n1)root.pem

if command -v openssl >/dev/null; then
	# same subject name as the real root, different key
	subj=$(openssl x509 -in "$root" -noout -subject -nameopt compat |
	       sed 's/^subject=//')
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes \
		-subj "$subj" -days 1 -keyout "$work/fake.key" \
		-out "$work/fake.pem" >/dev/null 2>&1
	# path building takes the trusted certificate of that name as the
	# issuer of certificate 1, whose signature then fails
	expect_rc "wrong root with the real root's name fails" 1 \
		"intermediate cert): certificate signature failure" \
		"$tool" evidence verify "$d" --root "$work/fake.pem"
else
	skip "wrong root with the real root's name fails" "no openssl command"
fi

v0=$(ls -d "$vectors"/v12-*/ | head -n1)

# Dumps run as root, often below /tmp: only a new directory of their own,
# files only they can read, and nothing planted there is written through
rm -rf "$work/empty" "$work/target" "$work/planted"
mkdir "$work/empty"
expect_fail "dump: an existing empty directory is refused" "already exists" \
	"$mkev" "$v0/exchange.txt" 96 challenge "$work/empty"
mkdir "$work/target"
ln -s "$work/target" "$work/planted"
"$mkev" "$v0/exchange.txt" 96 challenge "$work/planted" >"$work/last.log" 2>&1
rc=$?
[ $rc != 0 ] && [ -z "$(ls "$work/target")" ] && grep -q "already exists" "$work/last.log"
ok $? "dump: a symlink planted as the directory is not followed"
[ "$(stat -c %a "$d")" = 700 ] &&
	[ -z "$(find "$d" -type f ! -perm 0600)" ] && [ -n "$(ls "$d")" ]
ok $? "dump: the directory is 0700, every file in it 0600"

# An object type from a newer kernel is kept under its number, with a warning
rm -rf "$work/newtype"
"$mkev" --extra-type 42 "$v0/exchange.txt" 96 challenge "$work/newtype" \
	>"$work/last.log" 2>&1 &&
	grep -q "warning: .*type 42 is unknown.*kept as type-42-slot0.bin" "$work/last.log" &&
	[ "$(head -c 16 "$work/newtype/type-42-slot0.bin")" = "from a newer ker" ]
ok $? "dump: an unknown object type is kept as type-42-slot0.bin, with a warning"

# CHALLENGE asked for the summary of all measurements (Param2 0xff): the
# blocks of measurements-slot0.bin are bound by the challenge signature
# even though the MEASUREMENTS signature is not part of this dump
d=$work/$(basename "$v0")-challenge
root=$v0/root.pem
expect_rc "summary: measurements bound by CHALLENGE_AUTH's MeasurementSummaryHash" 0 \
	"covered: measurements-slot0.bin (its blocks only, by the challenge" \
	"$tool" evidence verify "$d" --root "$root"
copy "$d" "$work/x"
# GET_MEASUREMENTS is 37 bytes, then 8 bytes of MEASUREMENTS header: a block
flip "$work/x/measurements-slot0.bin" 60
expect_rc "summary: a flipped measurement byte under CHALLENGE fails" 1 \
	"MeasurementSummaryHash (all blocks) does not match the 8 measurement blocks" \
	"$tool" evidence verify "$work/x" --root "$root"

# Every file is said to be covered by a verified signature, or why not
rm -rf "$work/cov"
"$mkev" --extra-type 7 "$v0/exchange.txt" 96 measurements "$work/cov" >/dev/null 2>&1
"$tool" evidence verify "$work/cov" --root "$root" >"$work/last.log" 2>&1
rc=$?
[ $rc = 0 ] &&
	grep -q "NOT covered: interface-report-slot0.bin (supplied by the TSM, not signed" \
		"$work/last.log" &&
	grep -q "covered: measurements-slot0.bin (measurements signature" "$work/last.log" &&
	grep -q "NOT covered: challenge-slot0.bin" "$work/last.log" &&
	grep -q "NOT covered: cert-chain-slot0.bin (no challenge signature" "$work/last.log" &&
	grep -q "NOT covered: summary.json" "$work/last.log" &&
	[ "$(grep -c "covered: " "$work/last.log")" = "$(ls "$work/cov" | wc -l)" ]
ok $? "coverage: one line per file, the interface report not covered (exit $rc)"
expect_rc "coverage: an unknown object type is not covered" 0 \
	"NOT covered: type-42-slot0.bin (an object type this tool does not know" \
	"$tool" evidence verify "$work/newtype" --root "$root"

copy "$d" "$work/x"
flip "$work/x/cert-chain-slot0.bin" 4
expect_rc "corrupt root hash in the chain header fails" 1 \
	"root hash in the header does not match" "$tool" evidence verify "$work/x"

copy "$d" "$work/x"
sz=$(stat -c %s "$work/x/transcript-slot0.bin")
flip "$work/x/transcript-slot0.bin" $((sz - 1))
expect_rc "transcript not ending with the signed exchange fails" 1 \
	"does not end with the signed exchange" "$tool" evidence verify "$work/x"

# a byte of DIGESTS, between the VCA (152 bytes) and the challenge
copy "$d" "$work/x"
flip "$work/x/transcript-slot0.bin" 172
expect_rc "flipped transcript byte in GET_DIGESTS/DIGESTS fails" 1 \
	"does not verify with the leaf key" "$tool" evidence verify "$work/x"

# CertChainHash sits after CHALLENGE (36 bytes) and the response header
copy "$d" "$work/x"
csz=$(stat -c %s "$work/x/challenge-slot0.bin")
flip "$work/x/challenge-slot0.bin" 40
flip "$work/x/transcript-slot0.bin" $((sz - (csz - 96) + 40))
expect_rc "CertChainHash not matching the chain fails" 1 \
	"CertChainHash does not match" "$tool" evidence verify "$work/x"

copy "$d" "$work/x"
flip "$work/x/vca-slot0.bin" 41
expect_rc "vca object differing from the transcript fails" 1 \
	"vca-slot0.bin differs" "$tool" evidence verify "$work/x"

copy "$d" "$work/x"
head -c 95 "$d/signature-slot0.bin" >"$work/x/signature-slot0.bin"
expect_rc "short signature fails" 3 \
	"signature-slot0.bin is 95 bytes" "$tool" evidence verify "$work/x"

copy "$d" "$work/x"
rm "$work/x/challenge-slot0.bin" "$work/x/measurements-slot0.bin"
expect_rc "no exchange object fails" 3 \
	"cannot tell which request was signed" "$tool" evidence verify "$work/x"

expect_rc "missing slot fails" 3 \
	"no signed transcript of slot 1" "$tool" evidence verify "$d" --slot 1

# Usage errors come before any work: nothing is read (a directory that
# does not exist would be exit 3), nothing is printed on stdout
for args in "--nonce 1234" "--bogus" "--slot 8" "--root"; do
	# shellcheck disable=SC2086
	"$tool" evidence verify "$work/nonexistent" $args >"$work/stdout.log" 2>"$work/last.log"
	rc=$?
	[ $rc = 2 ] && [ ! -s "$work/stdout.log" ]
	ok $? "verify $args: usage error, exit 2 before reading anything (got $rc)"
done
"$tool" evidence verify "$d" --bogus >"$work/stdout.log" 2>"$work/last.log"
rc=$?
[ $rc = 2 ] && [ ! -s "$work/stdout.log" ] && grep -q "exit: 0 every signature" "$work/last.log"
ok $? "verify --bogus on a good dump: exit 2, the usage with the exit codes, no check run"
expect_rc "verify --require-nonce without --nonce: exit 1" 1 \
	"require-nonce, but no --nonce" "$tool" evidence verify "$d" --root "$root" --require-nonce
expect_rc "verify --require-nonce without --nonce or --root: exit 1, not 4" 1 \
	"require-nonce, but no --nonce" "$tool" evidence verify "$d" --require-nonce
# A dump of a connect the kernel refused: every check may pass offline
# (a fault only the kernel saw), verify still fails, and says why
rm -rf "$work/refused"
"$mkev" --pairs --connect-error 129 --chain-status 129 "$v0/exchange.txt" 96 \
	measurements "$work/refused" >/dev/null 2>&1
grep -q '"connect_error": { "errno": 129, "message": "Key was rejected by service" }' \
	"$work/refused/summary.json" &&
	grep -q '"chain_status": 129,' "$work/refused/summary.json" &&
	grep -q '"chain_error": "Key was rejected by service"' "$work/refused/summary.json" &&
	[ "$(cat "$work/refused/connect-error")" = "129 Key was rejected by service" ]
ok $? "dump of a refused connect: connect-error and each chain's status written"
"$tool" evidence verify "$work/refused" --root "$root" >"$work/last.log" 2>&1
rc=$?
[ $rc = 1 ] &&
	grep -q "refused this device at connect (errno 129 Key was rejected by service)" \
		"$work/last.log" &&
	grep -q "FAILED: the device was refused" "$work/last.log" &&
	grep -q "NOT covered: connect-error (the kernel's error" "$work/last.log" &&
	grep -q "covered: measurements-slot0.bin" "$work/last.log"
ok $? "verify of a refused connect: exit 1 although the signatures verify (exit $rc)"
copy "$work/refused" "$work/x"
rm -f "$work/x"/*transcript* "$work/x"/*signature* "$work/x"/challenge-* "$work/x"/measurements-*
expect_rc "verify of a connect refused before any signature: exit 1, not 3" 1 \
	"FAILED: .*no transcript" "$tool" evidence verify "$work/x" --root "$root"
copy "$work/refused" "$work/x"
rm "$work/x/connect-error"
ln -s summary.json "$work/x/connect-error"
expect_rc "verify: a connect-error that is a symlink is refused, exit 3, not ignored" 3 \
	"connect-error: is a symlink" "$tool" evidence verify "$work/x" --root "$root"
rm -rf "$work/session"
"$mkev" --pairs --chain-status 0 "$v0/exchange.txt" 96 measurements \
	"$work/session" >/dev/null 2>&1
grep -q '"connect_error": null' "$work/session/summary.json" &&
	grep -q '"chain_status": 0' "$work/session/summary.json" &&
	! grep -q chain_error "$work/session/summary.json" && [ ! -e "$work/session/connect-error" ]
ok $? "dump of a session: no connect-error, chain_status 0"
expect_rc "verify of the same evidence from a session: exit 0" 0 \
	"evidence verify .*: OK" "$tool" evidence verify "$work/session" --root "$root"

copy "$d" "$work/x"
head -c 100 "$d/transcript-slot0.bin" >"$work/x/transcript-slot0.bin"
expect_rc "verify: a garbled (truncated) transcript is exit 3" 3 \
	"VCA: .* truncated" "$tool" evidence verify "$work/x" --root "$root"

# Whoever can write the dump directory may plant files in it: a symlink
# (to a file that would verify) is not followed, a FIFO does not hang
copy "$d" "$work/x"
rm "$work/x/transcript-slot0.bin"
ln -s "$d/transcript-slot0.bin" "$work/x/transcript-slot0.bin"
timeout 10 "$tool" evidence verify "$work/x" --root "$root" >"$work/last.log" 2>&1
rc=$?
[ $rc = 3 ] && grep -q "transcript-slot0.bin: is a symlink: refused" "$work/last.log"
ok $? "verify: a symlink in the dump directory is refused, exit 3 (got $rc)"
copy "$d" "$work/x"
rm "$work/x/transcript-slot0.bin"
mkfifo "$work/x/transcript-slot0.bin"
timeout 10 "$tool" evidence verify "$work/x" --root "$root" >"$work/last.log" 2>&1
rc=$?
[ $rc = 3 ] && grep -q "transcript-slot0.bin: not a regular file .*: refused" "$work/last.log"
ok $? "verify: a FIFO in the dump directory is refused without hanging, exit 3 (got $rc)"

expect_rc "malformed --nonce fails" 2 \
	"must be 64 hex digits" "$tool" evidence verify "$d" --nonce 1234
for slots in 8 1,1 1, ,1 1-3 a; do
	expect_rc "refresh --slots $slots: usage error before any request" 2 \
		"slot numbers 0-7" "$tool" evidence refresh 0000:00:00.0 --slots "$slots"
done

# Versions and algorithms the recordings lack: signed here, independently
if python3 -c 'import cryptography' 2>/dev/null; then
	mkdir -p "$work/synth"
	python3 "$here/synth.py" "$work/synth" >"$work/synth.log" 2>&1
	ok $? "synthetic evidence generated"
	for s in $(cat "$work/synth.log"); do
		d=$work/synth/$s
		expect_rc "$s: verify with --root and --nonce" 0 "evidence verify .*: OK" \
			"$tool" evidence verify "$d" --root "$d.root.der" \
			--nonce "$(cat "$d.nonce")"
		copy "$d" "$work/x"
		flip "$work/x/signature-slot0.bin" 20
		expect_rc "$s: flipped signature byte fails" 1 \
			"does not verify with the leaf key" "$tool" evidence verify "$work/x"
	done
	# types 8-11 signed independently: M1 is checked, not only the last (L1)
	for s in v12-p256-sha256-both v11-p256-sha256-both; do
		d=$work/synth/$s
		copy "$d" "$work/x"
		flip "$work/x/challenge-signature-slot0.bin" 20
		expect_rc "$s: flipped byte in challenge-signature-slot0.bin fails" 1 \
			"challenge-transcript-slot0.bin: .*does not verify" \
			"$tool" evidence verify "$work/x" --root "$d.root.der" \
			--nonce "$(cat "$d.nonce")"
	done
	# SPDM 1.1 L1 lacks the VCA: the vca object must be there and say 1.1
	d=$work/synth/v11-p256-sha256-meas
	expect_rc "SPDM 1.1 measurements: version from the vca object" 4 \
		"not in the signed transcript" "$tool" evidence verify "$d"
	copy "$d" "$work/x"
	rm "$work/x/vca-slot0.bin"
	expect_rc "SPDM 1.1 measurements without a vca object fail" 3 \
		"no vca-slot0.bin" "$tool" evidence verify "$work/x"
	copy "$d" "$work/x"
	cp "$work/synth/v12-rsassa2048-sha256/vca-slot0.bin" "$work/x/"
	expect_rc "a transcript without VCA claiming SPDM 1.2 fails" 1 \
		"must start with the VCA" "$tool" evidence verify "$work/x"
else
	skip "synthetic evidence (RSA, P-256, P-521, SPDM 1.1 and 1.3)" \
		"no python3 cryptography module"
fi

# Programs that print their own TAP: each of their cases counts here
subtap() {
	name=$1
	shift
	"$@" >"$work/$name.log" 2>&1
	rc=$?
	while read -r line; do
		case "$line" in
		"ok "*"# SKIP"*)
			skip "$name: ${line#ok * - }" "" ;;
		"ok "*)
			n=$((n + 1)) pass=$((pass + 1))
			echo "ok $n - $name: ${line#ok * - }" ;;
		"not ok "*)
			n=$((n + 1)) fail=$((fail + 1))
			echo "not ok $n - $name: ${line#not ok * - }" ;;
		"1..0 # SKIP"*)
			skip "$name" "${line#1..0 # SKIP }" ;;
		esac
	done <"$work/$name.log"
	if [ $rc != 0 ] && ! grep -q '^not ok' "$work/$name.log"; then
		: >"$work/last.log"
		ok 1 "$name: exited with status $rc"
	fi
}

# Reassembly of dump messages, on synthetic message sequences
subtap reasm "$out/tests/reasm_test"
# The raw generic netlink client, against the kernel's nlctrl family
subtap netlink "$out/tests/nl_test"

# sysfs commands against a fake tree
fs=$work/sys
dev=0000:01:00.0
mkdir -p "$fs/class/tsm/tsm0" "$fs/class/tsm/tsm1" "$fs/bus/pci/devices/$dev/tsm" \
	"$fs/bus/pci/devices/0000:00:1f.0"
echo link >"$fs/class/tsm/tsm0/mode"
echo devsec >"$fs/class/tsm/tsm1/mode"
echo tsm0 >"$fs/bus/pci/devices/$dev/authenticated"
for a in connect disconnect lock unlock accept; do : >"$fs/bus/pci/devices/$dev/tsm/$a"; done
echo tsm0 >"$fs/bus/pci/devices/$dev/tsm/connect"
export PCI_TSM_SYSFS=$fs
expect_ok "list shows TSM modes" "tsm1 mode=devsec" "$tool" list
expect_ok "list shows device state" "$dev authenticated=tsm0.* connect=tsm0" "$tool" list
"$tool" lock $dev tsm1 && [ "$(cat "$fs/bus/pci/devices/$dev/tsm/lock")" = tsm1 ]
ok $? "lock writes the TSM name"
"$tool" accept $dev 42 && [ "$(cat "$fs/bus/pci/devices/$dev/tsm/accept")" = 42 ]
ok $? "accept writes the generation"
"$tool" disconnect $dev && [ "$(cat "$fs/bus/pci/devices/$dev/tsm/disconnect")" = tsm0 ]
ok $? "disconnect names the connected TSM"
expect_fail "connect without a TSM name is refused" "needs a TSM name" \
	"$tool" connect $dev
expect_fail "accept of a non-number is refused" "accept takes 1 or" \
	"$tool" accept $dev abc
expect_fail "connect on a device without tsm/ fails with the errno text" \
	"No such file or directory: the device has no TSM interface" \
	"$tool" connect 0000:00:1f.0 tsm0
expect_fail "a device name with a slash is refused" "usage" \
	"$tool" connect ../x tsm0
unset PCI_TSM_SYSFS
expect_fail "evidence dump --all with a device is refused" "DEV|--all -o DIR" \
	"$tool" evidence dump --all $dev -o "$work/all"
expect_fail "evidence dump --all without -o is refused" "DEV|--all -o DIR" \
	"$tool" evidence dump --all

# Certificate path validation: the chains lib/spdm/tests/chains/ shares
# with the kernel's KUnit test, and the verdict ./verdicts gives each
chains=$here/../../../../lib/spdm/tests/chains
ids="Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"

# rule_says RULE: what the tool says when a chain breaks RULE (verdicts)
rule_says() {
	case $1 in
	issuer-not-ca|issuer-no-keycertsign) echo "invalid CA certificate" ;;
	path-len) echo "path length constraint exceeded" ;;
	leaf-no-digitalsig) echo "keyUsage lacks digitalSignature" ;;
	name-chain) echo "unable to get local issuer certificate" ;;
	critical-ext) echo "unhandled critical extension" ;;
	signature) echo "certificate signature failure" ;;
	*) echo "(no message known for rule $1: teach rule_says)" ;;
	esac
}

# first_cert DER OUT: the first DER certificate of a concatenation
first_cert() {
	# SEQUENCE, long form with two length bytes (any certificate here)
	[ "$(byte "$1" 1)" = 130 ] || return 1
	head -c $(( ($(byte "$1" 2) << 8 | $(byte "$1" 3)) + 4 )) "$1" >"$2"
}

if [ -f "$chains/verdicts" ]; then
	croot=$chains/root.der
	nv=0
	while IFS='	' read -r name verdict rule; do
		[ -n "$name" ] || continue
		nv=$((nv + 1))
		for with in with without; do
			set --
			[ $with = with ] && set -- --root "$croot"
			"$tool" chain verify "$chains/$name.der" "$@" >"$work/last.log" 2>&1
			rc=$?
			case $verdict in
			valid)
				want="self-consistent, not anchored"
				[ $with = with ] && want="anchored to --root"
				[ $rc = 0 ] && grep -q -- "$want" "$work/last.log" ;;
			invalid)
				# the reason, and which certificate has it
				[ $rc = 1 ] && grep -q -- "$(rule_says "$rule")" "$work/last.log" &&
					grep -q "INVALID: .*certificate [0-9]" "$work/last.log" ;;
			*)
				echo "verdicts: $name: unknown verdict $verdict" >"$work/last.log"
				false ;;
			esac
			ok $? "chain $name ($rule) is $verdict $with --root"
		done
	done <"$chains/verdicts"
	# every chain file has its verdict (root.der is the anchor, not a chain)
	nder=$(find "$chains" -maxdepth 1 -name '*.der' ! -name root.der | wc -l)
	[ $nv -ge 17 ] && [ "$nv" = "$nder" ]
	ok $? "verdicts lists every chain vector ($nv verdicts, $nder chains)"

	expect_fail "chain expired is invalid with --check-time" "certificate has expired" \
		"$tool" chain verify "$chains/expired.der" --root "$croot" --check-time
	expect_fail "chain expired is invalid with --check-time, without --root" \
		"certificate has expired" \
		"$tool" chain verify "$chains/expired.der" --check-time
	expect_ok "chain good is valid with --check-time" "anchored" \
		"$tool" chain verify "$chains/good.der" --root "$croot" --check-time
	expect_fail "chain good does not anchor to another root" \
		"does not anchor to --root .*certificate 0 (/CN=chains root CA" \
		"$tool" chain verify "$chains/good.der" --root "$vectors/v12-p384-sha384/root.pem"

	# --root: bundles (PEM and DER) and directories
	cat "$vectors/v12-p384-sha384/root.pem" >"$work/bundle.pem"
	openssl x509 -inform DER -in "$croot" >>"$work/bundle.pem" 2>/dev/null
	[ "$(grep -c 'BEGIN CERTIFICATE' "$work/bundle.pem")" = 2 ]
	ok $? "a PEM bundle of two roots is made"
	expect_ok "chain good anchors to a --root PEM bundle holding its root" "anchored" \
		"$tool" chain verify "$chains/good.der" --root "$work/bundle.pem"
	cat "$here/peer-chains/libspdm-p256-root.der" "$croot" >"$work/bundle.der"
	expect_ok "chain good anchors to a --root DER bundle holding its root second" \
		"anchored" "$tool" chain verify "$chains/good.der" --root "$work/bundle.der"
	head -c $(($(stat -c %s "$work/bundle.pem") - 200)) "$work/bundle.pem" \
		>"$work/cut.pem"
	expect_ok "a --root bundle cut short is refused, not half read (exit 3)" \
		"cut.pem: PEM certificate 1 does not parse" \
		sh -c '"$1" chain verify "$2" --root "$3"; [ $? = 3 ]' sh \
		"$tool" "$chains/good.der" "$work/cut.pem"
	rm -rf "$work/roots"
	mkdir -p "$work/roots"
	cp "$vectors/v12-p384-sha384/root.pem" "$croot" "$work/roots/"
	ln -s "$work/bundle.pem" "$work/roots/link.pem"
	mkfifo "$work/roots/.fifo"
	expect_ok "chain good anchors to a --root directory holding its root" "anchored" \
		timeout 10 "$tool" chain verify "$chains/good.der" --root "$work/roots"
	rm "$work/roots/root.der" "$work/roots/link.pem"
	expect_fail "chain good does not anchor to a --root directory without its root" \
		"does not anchor to --root" \
		"$tool" chain verify "$chains/good.der" --root "$work/roots"
	cp "$croot" "$work/roots/"
	echo "not a certificate" >"$work/roots/README"
	expect_fail "a --root directory with a file that is no certificate is refused" \
		"roots/README: no PEM or DER certificate" \
		"$tool" chain verify "$chains/good.der" --root "$work/roots"

	# An intermediate as --root anchors (partial chain), below or at cert 0
	first_cert "$chains/root-omitted.der" "$work/inter.der"
	ok $? "the intermediate CA is cut from root-omitted.der"
	expect_ok "chain good anchors to its intermediate as --root" "anchored" \
		"$tool" chain verify "$chains/good.der" --root "$work/inter.der"
	expect_ok "chain root-omitted anchors to its certificate 0 as --root" "anchored" \
		"$tool" chain verify "$chains/root-omitted.der" --root "$work/inter.der"
	expect_fail "chain forged-leaf-issuer fails with its intermediate as --root" \
		"certificate 2 (/CN=chains device A.*invalid CA certificate" \
		"$tool" chain verify "$chains/forged-leaf-issuer.der" --root "$work/inter.der"

	# Device A's leaf first, as if the root had been left out: a trusted
	# CA:FALSE anchor may not issue either
	c=$chains/forged-leaf-issuer.der
	o2=$(( ($(byte "$c" 2) << 8 | $(byte "$c" 3)) + 4 ))
	o2=$(( o2 + ($(byte "$c" $((o2 + 2))) << 8 | $(byte "$c" $((o2 + 3)))) + 4 ))
	tail -c +$((o2 + 1)) "$c" >"$work/forged-tail.der"
	first_cert "$work/forged-tail.der" "$work/device-a.der"
	ok $? "device A's leaf and the leaf it signed are cut from forged-leaf-issuer.der"
	expect_fail "chain device A -> leaf is invalid without --root" \
		"certificate 0 (/CN=chains device A.*invalid CA certificate" \
		"$tool" chain verify "$work/forged-tail.der"
	expect_fail "chain device A -> leaf is invalid with device A as --root" \
		"certificate 0 (/CN=chains device A.*invalid CA certificate" \
		"$tool" chain verify "$work/forged-tail.der" --root "$work/device-a.der"

	# The callback handles a certificate only if every unhandled critical
	# extension is a known one: an unknown one beside TcbInfo still fails
	mix=$work/mixed
	rm -rf "$mix"
	mkdir -p "$mix"
	printf '%s\n' "basicConstraints=critical,CA:FALSE" \
		"keyUsage=critical,digitalSignature" \
		"2.23.133.5.4.1=critical,DER:30:00" >"$mix/known.cnf"
	cp "$mix/known.cnf" "$mix/both.cnf"
	echo "1.3.6.1.4.1.55555.1=critical,DER:05:00" >>"$mix/both.cnf"
	made=0
	for e in known both; do
		openssl req -new -key "$chains/keys/leaf-key.pem" -subj "/CN=mixed $e" \
			-out "$mix/$e.csr" &&
		openssl x509 -req -in "$mix/$e.csr" -CA "$work/inter.der" -CAform DER \
			-CAkey "$chains/keys/inter-key.pem" -set_serial 7 -days 1 \
			-extfile "$mix/$e.cnf" -outform DER -out "$mix/$e-leaf.der" &&
		cat "$croot" "$work/inter.der" "$mix/$e-leaf.der" >"$mix/$e.der" &&
		made=$((made + 1))
	done >"$work/last.log" 2>&1
	[ $made = 2 ]
	ok $? "leaves with a critical TcbInfo, alone and beside an unknown one, are made"
	expect_ok "chain with a critical TcbInfo leaf (control) is valid" "anchored" \
		"$tool" chain verify "$mix/known.der" --root "$croot"
	expect_fail "chain with a critical unknown extension beside TcbInfo is invalid" \
		"certificate 2 (/CN=mixed both): unhandled critical extension" \
		"$tool" chain verify "$mix/both.der" --root "$croot"

	# The leaf's PCIe CMA otherName against the function's IDs
	expect_ok "chain good: the CMA otherName names the function" "anchored" \
		"$tool" chain verify "$chains/good.der" --root "$croot" --ids "$ids"
	expect_ok "chain good: IDs in upper-case hex name the function too" "anchored" \
		"$tool" chain verify "$chains/good.der" --root "$croot" \
		--ids "Vendor=1B36:Device=0010:CC=010802:REV=02:SSVID=1AF4:SSID=1100"
	expect_fail "chain good: another function's IDs fail" "does not name" \
		"$tool" chain verify "$chains/good.der" --root "$croot" \
		--ids "Vendor=1b36:Device=0011:CC=010802:REV=02:SSVID=1af4:SSID=1100"
	expect_fail "chain good: another revision fails" "does not name" \
		"$tool" chain verify "$chains/good.der" \
		--ids "Vendor=1b36:Device=0010:CC=010802:REV=03:SSVID=1af4:SSID=1100"
	expect_fail "chain critical-dice-tcbinfo: IDs asked of a leaf without them fail" \
		"no PCIe CMA otherName" "$tool" chain verify "$chains/critical-dice-tcbinfo.der" \
		--ids "$ids"
	# Without --ids the leaf's otherName is reported, never a failure
	expect_ok "chain good without --ids reports the function its leaf names" \
		"^leaf: PCIe CMA otherName $ids\$" \
		"$tool" chain verify "$chains/good.der" --root "$croot"
	expect_ok "chain critical-dice-tcbinfo without --ids reports that its leaf names none" \
		"^leaf: no PCIe CMA otherName" \
		"$tool" chain verify "$chains/critical-dice-tcbinfo.der" --root "$croot"
	# A value not of the CMA form is said so, and not printed
	printf '%s\n' "basicConstraints=critical,CA:FALSE" \
		"subjectAltName=otherName:2.23.147;UTF8:Vendor=1b36:Device=0010:reboot" \
		>"$mix/odd.cnf"
	openssl req -new -key "$chains/keys/leaf-key.pem" -subj "/CN=odd otherName" \
		-out "$mix/odd.csr" >"$work/last.log" 2>&1 &&
	openssl x509 -req -in "$mix/odd.csr" -CA "$work/inter.der" -CAform DER \
		-CAkey "$chains/keys/inter-key.pem" -set_serial 8 -days 1 \
		-extfile "$mix/odd.cnf" -outform DER -out "$mix/odd-leaf.der" \
		>>"$work/last.log" 2>&1 &&
	cat "$croot" "$work/inter.der" "$mix/odd-leaf.der" >"$mix/odd.der"
	ok $? "a leaf whose CMA otherName is not of the CMA form is made"
	"$tool" chain verify "$mix/odd.der" --root "$croot" >"$work/last.log" 2>&1 &&
		grep -q "^leaf: PCIe CMA otherName not of the CMA form$" "$work/last.log" &&
		! grep -q reboot "$work/last.log"
	ok $? "chain with an otherName not of the CMA form: said so, its bytes not printed"
	expect_fail "chain with an otherName not of the CMA form fails --ids" \
		"do.* not name .*not UTF8Strings of that form" \
		"$tool" chain verify "$mix/odd.der" --root "$croot" --ids "$ids"
	expect_ok "malformed --ids is a usage error (exit 2)" "IDS: Vendor=VVVV" \
		sh -c '"$1" chain verify "$2" --ids "$3"; [ $? = 2 ]' sh "$tool" \
		"$chains/good.der" "Vendor=1b36:Device=10:CC=010802:REV=02:SSVID=1af4:SSID=1100"
	# --device reads the IDs from sysfs (a fake tree here)
	fake=$work/idsys
	fdev=0000:02:00.0
	mkdir -p "$fake/bus/pci/devices/$fdev"
	for a in vendor=0x1b36 device=0x0010 class=0x010802 revision=0x02 \
		 subsystem_vendor=0x1af4 subsystem_device=0x1100; do
		echo "${a#*=}" >"$fake/bus/pci/devices/$fdev/${a%%=*}"
	done
	expect_ok "chain good: --device whose sysfs IDs match" "anchored" \
		env PCI_TSM_SYSFS="$fake" "$tool" chain verify "$chains/good.der" \
		--root "$croot" --device $fdev
	echo 0x1101 >"$fake/bus/pci/devices/$fdev/subsystem_device"
	expect_fail "chain good: --device with another SSID fails" "does not name.*SSID=1101" \
		env PCI_TSM_SYSFS="$fake" "$tool" chain verify "$chains/good.der" \
		--root "$croot" --device $fdev
	expect_ok "chain good: --device without sysfs attributes is an I/O error (3)" \
		"No such file" sh -c 'PCI_TSM_SYSFS=$1 "$2" chain verify "$3" \
			--device 0000:09:00.0; [ $? = 3 ]' sh "$fake" "$tool" "$chains/good.der"

	expect_ok "chain verify of a missing file: I/O error (3)" "No such file" \
		sh -c '"$1" chain verify "$2"; [ $? = 3 ]' sh "$tool" "$work/nothing.der"
	head -c 300 "$chains/good.der" >"$work/short.der"
	expect_ok "chain verify of a cut chain: invalid (1)" "INVALID" \
		sh -c '"$1" chain verify "$2"; [ $? = 1 ]' sh "$tool" "$work/short.der"
	expect_ok "chain verify without FILE: usage (2)" "usage" \
		sh -c '"$1" chain verify; [ $? = 2 ]' sh "$tool"

	# Evidence over these chains, signed by their leaf keys (synth.py),
	# so that only path validation can tell the forged one
	if python3 -c 'import cryptography' 2>/dev/null; then
		ev=$work/chain-ev
		rm -rf "$ev"
		mkdir -p "$ev"
		python3 "$here/synth.py" --chain "$chains/good.der" \
			"$chains/keys/leaf-key.pem" "$ev/good" >"$work/last.log" 2>&1 &&
		python3 "$here/synth.py" --chain "$chains/forged-leaf-issuer.der" \
			"$chains/keys/leaf_b-key.pem" "$ev/forged" >"$work/last.log" 2>&1 &&
		python3 "$here/synth.py" --chain "$chains/root-omitted.der" \
			"$chains/keys/leaf-key.pem" "$ev/omitted" "$croot" >"$work/last.log" 2>&1 &&
		python3 "$here/synth.py" --chain "$chains/root-omitted.der" \
			"$chains/keys/leaf-key.pem" "$ev/omitted-badhash" >"$work/last.log" 2>&1
		ok $? "evidence signed over the chain vectors generated"
		expect_ok "evidence over chain good verifies with --root and --ids" \
			"evidence verify .*: OK$" "$tool" evidence verify "$ev/good" \
			--root "$croot" --ids "$ids"
		forged_says="FAILED: .*cert chain: certificate 2 (/CN=chains device A.*invalid CA"
		expect_rc "evidence over chain forged-leaf-issuer fails verify --root" 1 \
			"$forged_says" \
			"$tool" evidence verify "$ev/forged" --root "$croot"
		expect_rc "evidence over chain forged-leaf-issuer fails verify without --root" 1 \
			"$forged_says" \
			"$tool" evidence verify "$ev/forged"
		expect_ok "evidence over chain root-omitted verifies with --root" \
			"evidence verify .*: OK$" "$tool" evidence verify "$ev/omitted" \
			--root "$croot"
		expect_rc "evidence over root-omitted with RootHash not --root's fails" 1 \
			"RootHash is not the hash of the --root certificate" \
			"$tool" evidence verify "$ev/omitted-badhash" --root "$croot"
	else
		skip "evidence over the chain vectors" "no python3 cryptography module"
	fi
else
	skip "certificate chain vectors" "no lib/spdm/tests/chains (built outside the tree)"
fi

# Real peers' chains: DMTF's libspdm sample PKI (tests/peer-chains/)
np=0
for c in "$here"/peer-chains/*-certs.der; do
	p=${c%-certs.der}
	np=$((np + 1))
	expect_ok "chain $(basename "$p") of DMTF's responder anchors to its root" \
		"valid, 3 certificates, anchored" "$tool" chain verify "$c" --root "$p-root.der"
	expect_ok "chain $(basename "$p") of DMTF's responder is self-consistent" \
		"valid, 3 certificates, self-consistent" "$tool" chain verify "$c"
done
[ $np = 4 ]
ok $? "the four chains of DMTF's responder are checked ($np)"

# The man page: renders without a warning, and documents every option
# and exit code the tool's own usage text gives for evidence verify
man=$here/../pci-tsm.8
groff -man -ww -z "$man" >"$work/last.log" 2>&1 && [ ! -s "$work/last.log" ]
ok $? "pci-tsm.8 renders without warnings"
"$tool" evidence verify >"$work/usage.txt" 2>&1
missing=
for o in $(grep -o -- '--[a-z-]*' "$work/usage.txt" | sort -u); do
	grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$man" || missing="$missing $o"
done
codes=$(sed -n 's/^ *\(exit:\)\? *\([0-9]\) .*/\2/p' "$work/usage.txt")
for c in $codes; do
	sed -n '/^\.SH EXIT STATUS/,/^\.SH/p' "$man" | grep -qx "\.B $c" ||
		missing="$missing exit-$c"
done
[ -z "$missing" ] && [ "$(echo $codes)" = "0 1 2 3 4" ] &&
	grep -q -- "--require-nonce" "$work/usage.txt"
ok $? "pci-tsm.8 documents verify's options and exit codes (missing:${missing:- none})"

echo "1..$n"
echo "$pass passed, $fail failed"
[ $fail = 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the certificate chain vectors of this directory with OpenSSL, and
# lib/spdm/tests/spdm_chain_vectors.h from them.  The kernel (KUnit) and
# the pci-tsm tool (its host tests) both validate every chain and must
# reach the verdict in ./verdicts.  See README.
#
#   gen.sh          new keys, certificates, chains, verdicts and header
#   gen.sh --check  rebuild only the header (from the DER files here) and
#                   verdicts, and fail if either differs from the one
#                   checked in
#   gen.sh --header rewrite only the header and verdicts
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
header=$here/../spdm_chain_vectors.h

# Vector order and verdicts: name, valid|invalid, the first rule broken
VECTORS="
good			valid	-
good-no-keyusage	valid	-
root-omitted		valid	-
expired			valid	-
critical-dice-tcbinfo	valid	-
critical-dice-multitcbinfo valid -
critical-spdm-oid	valid	-
critical-key-ids	valid	-
forged-leaf-issuer	invalid	issuer-not-ca
issuer-no-basic-constraints invalid issuer-not-ca
root-not-ca		invalid	issuer-not-ca
root-no-basic-constraints invalid issuer-not-ca
issuer-no-keycertsign	invalid	issuer-no-keycertsign
path-len		invalid	path-len
leaf-no-digitalsig	invalid	leaf-no-digitalsig
name-chain		invalid	name-chain
critical-unknown	invalid	critical-ext
critical-policies	invalid	critical-ext
bad-signature		invalid	signature
"

c_bytes() {
	od -An -v -tx1 "$1" | tr -s ' \n' ' ' | sed -e 's/^ //' -e 's/ $//' |
		tr ' ' '\n' | sed 's/^/0x/' | paste -sd, |
		sed -e 's/,/, /g' | fold -w 72 -s | sed -e 's/ *$//' -e 's/^/\t/'
}

c_name() {
	echo "$1" | tr -- '-' '_'
}

write_header() {
	local out=$1 name valid rule
	{
		# (split so that this script has one license tag of its own)
		printf '/* %s-License-Identifier: GPL-2.0 */\n' SPDX
		cat <<-HDR
		/*
		 * Certificate chains for path validation, made with OpenSSL by
		 * gen.sh in tests/chains/ (do not edit; "gen.sh --check"
		 * tells whether this matches the DER files there).  Each chain is
		 * the DER certificates in SPDM order, root first; root-omitted
		 * starts at the intermediate.  Test keys only.
		 */

		#ifndef _SPDM_CHAIN_VECTORS_H
		#define _SPDM_CHAIN_VECTORS_H

		/*
		 * The root the chains anchor to (root.der), but root-not-ca
		 * and root-no-basic-constraints, which start at a self-signed
		 * certificate of their own
		 */
		static const u8 chain_root[] = {
		$(c_bytes "$here/root.der")
		};

		HDR
		while read -r name valid rule; do
			[ -n "$name" ] || continue
			echo "static const u8 chain_$(c_name "$name")[] = {"
			c_bytes "$here/$name.der"
			echo "};"
			echo
		done <<<"$VECTORS"
		echo "static const struct spdm_chain_vector spdm_chain_vectors[] = {"
		while read -r name valid rule; do
			[ -n "$name" ] || continue
			local c=chain_$(c_name "$name")
			echo "	{"
			echo "		.name = \"$name\","
			echo "		.der = $c,"
			echo "		.len = sizeof($c),"
			if [ "$valid" = valid ]; then
				echo "		.valid = true,"
				echo "		.rule = NULL,"
			else
				echo "		.valid = false,"
				echo "		.rule = \"$rule\","
			fi
			echo "	},"
		done <<<"$VECTORS"
		echo "};"
		echo
		echo "#endif /* _SPDM_CHAIN_VECTORS_H */"
	} >"$out"
}

# ./verdicts, for the tool's tests: the same list as the header's table
write_verdicts() {
	local name valid rule

	while read -r name valid rule; do
		[ -n "$name" ] || continue
		printf '%s\t%s\t%s\n' "$name" "$valid" "$rule"
	done <<<"$VECTORS" >"$1"
}

if [ "${1:-}" = --header ]; then
	write_header "$header"
	write_verdicts "$here/verdicts"
	exit 0
fi
if [ "${1:-}" = --check ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	write_header "$tmp/h"
	write_verdicts "$tmp/v"
	rc=0
	for f in "$header:$tmp/h" "$here/verdicts:$tmp/v"; do
		if ! cmp -s "${f#*:}" "${f%%:*}"; then
			echo "${f%%:*} differs from what gen.sh makes of the DER files" >&2
			diff -u "${f%%:*}" "${f#*:}" >&2 || true
			rc=1
		fi
	done
	exit $rc
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
mkdir -p "$here/keys"

# The PCIe CMA otherName of the leaves: QEMU's NVMe function
cma_id="Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"

cat >ext.cnf <<CNF
[ ca ]
default_ca = issue
[ issue ]
database = index.txt
serial = serial
new_certs_dir = .
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = dn
[ dn ]
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ root_not_ca ]
basicConstraints = critical, CA:FALSE
subjectKeyIdentifier = hash
[ root_no_bc ]
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ ca_pathlen0 ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ inter ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ inter_no_ku ]
basicConstraints = critical, CA:TRUE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ inter_no_bc ]
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ inter_no_kcs ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = otherName:2.23.147;UTF8:$cma_id
[ leaf_no_ku ]
basicConstraints = critical, CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = otherName:2.23.147;UTF8:$cma_id
[ leaf_ke ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = otherName:2.23.147;UTF8:$cma_id
[ leaf_crit_unknown ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.1 = critical, DER:0500
[ leaf_crit_tcbinfo ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
2.23.133.5.4.1 = critical, DER:3000
[ leaf_crit_multitcbinfo ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
2.23.133.5.4.5 = critical, DER:3000
[ leaf_crit_spdm ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.412.274.1 = critical, DER:3000
[ leaf_crit_key_ids ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = critical, hash
authorityKeyIdentifier = critical, keyid
[ leaf_crit_policies ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = critical, 1.3.6.1.4.1.55555.2
CNF
touch index.txt
echo 1000 >serial

key() {
	openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$here/keys/$1.pem"
}

# issue OUT KEY CN ISSUER EXTENSIONS [START END]: a certificate for KEY's
# public key, issued by the certificate ISSUER (its subject becomes the
# issuer name, its key signs) or self-signed when ISSUER is "self"
issue() {
	local start=${6:-20250101000000Z} end=${7:-20491231235959Z}
	local signer=(-cert "$4.pem") signkey

	if [ "$4" = self ]; then
		signer=(-selfsign)
		signkey=$2
	else
		signkey=$(cat "$4.keyname")
	fi
	openssl req -new -key "$here/keys/$2.pem" -subj "/O=pci-tsm chains/CN=$3" \
		-config ext.cnf -out "$1.csr"
	openssl ca -batch -notext -config ext.cnf -in "$1.csr" "${signer[@]}" \
		-keyfile "$here/keys/$signkey.pem" -extensions "$5" \
		-startdate "$start" -enddate "$end" -out "$1.pem" 2>ca.log ||
		{ cat ca.log >&2; exit 1; }
	openssl x509 -in "$1.pem" -outform DER -out "$1.der"
	echo "$2" >"$1.keyname"
}

for k in root-key inter-key inter2-key leaf-key leaf_b-key notca-key; do
	key $k
done

issue root root-key "chains root CA" self root
issue inter inter-key "chains intermediate CA" root inter
issue leaf leaf-key "chains device" inter leaf

issue inter_no_ku inter-key "chains intermediate CA" root inter_no_ku
issue leaf_no_ku leaf-key "chains device" inter_no_ku leaf_no_ku
issue leaf_expired leaf-key "chains device" inter leaf 20200101000000Z \
	20210101000000Z
for e in tcbinfo multitcbinfo spdm unknown; do
	issue leaf_crit_$e leaf-key "chains device" inter leaf_crit_$e
done
# Device A's leaf, CA:FALSE without keyUsage, issues a leaf for key B
issue leaf_a leaf-key "chains device A" inter leaf_no_ku
issue leaf_b leaf_b-key "chains device B" leaf_a leaf
issue inter_no_bc inter-key "chains intermediate CA" root inter_no_bc
issue leaf_under_no_bc leaf-key "chains device" inter_no_bc leaf
issue inter_no_kcs inter-key "chains intermediate CA" root inter_no_kcs
issue leaf_under_no_kcs leaf-key "chains device" inter_no_kcs leaf
# pathlen:0 on the intermediate, yet another CA below it
issue inter_pl0 inter-key "chains intermediate CA" root ca_pathlen0
issue inter2 inter2-key "chains second intermediate CA" inter_pl0 inter
issue leaf_under_inter2 leaf-key "chains device" inter2 leaf
issue leaf_ke leaf-key "chains device" inter leaf_ke
# Signed by the intermediate's key under another name: names do not chain
issue inter_alias inter-key "chains someone else" root inter
issue leaf_alias leaf-key "chains device" inter_alias leaf
# Critical key identifiers constrain nothing; critical policies would
issue leaf_crit_key_ids leaf-key "chains device" inter leaf_crit_key_ids
issue leaf_crit_policies leaf-key "chains device" inter leaf_crit_policies
# A self-signed certificate that is not a CA (CA:FALSE, no keyUsage: as a
# device's own certificate would be) issues the intermediate
issue root_not_ca notca-key "chains self-signed, not a CA" self root_not_ca
issue inter_under_not_ca inter-key "chains intermediate CA" root_not_ca inter
issue leaf_under_not_ca leaf-key "chains device" inter_under_not_ca leaf
# A self-signed root with keyCertSign but without basicConstraints: not a
# CA (RFC 5280 4.2.1.9), although OpenSSL tolerates it of a trust anchor
issue root_no_bc notca-key "chains root without basicConstraints" self root_no_bc
issue inter_under_root_no_bc inter-key "chains intermediate CA" root_no_bc inter
issue leaf_under_root_no_bc leaf-key "chains device" inter_under_root_no_bc leaf

cat root.der inter.der leaf.der >good.der
cat root.der inter_no_ku.der leaf_no_ku.der >good-no-keyusage.der
cat inter.der leaf.der >root-omitted.der
cat root.der inter.der leaf_expired.der >expired.der
cat root.der inter.der leaf_crit_tcbinfo.der >critical-dice-tcbinfo.der
cat root.der inter.der leaf_crit_multitcbinfo.der >critical-dice-multitcbinfo.der
cat root.der inter.der leaf_crit_spdm.der >critical-spdm-oid.der
cat root.der inter.der leaf_a.der leaf_b.der >forged-leaf-issuer.der
cat root.der inter_no_bc.der leaf_under_no_bc.der >issuer-no-basic-constraints.der
cat root_not_ca.der inter_under_not_ca.der leaf_under_not_ca.der >root-not-ca.der
cat root_no_bc.der inter_under_root_no_bc.der leaf_under_root_no_bc.der \
	>root-no-basic-constraints.der
cat root.der inter_no_kcs.der leaf_under_no_kcs.der >issuer-no-keycertsign.der
cat root.der inter_pl0.der inter2.der leaf_under_inter2.der >path-len.der
cat root.der inter.der leaf_ke.der >leaf-no-digitalsig.der
cat root.der inter.der leaf_alias.der >name-chain.der
cat root.der inter.der leaf_crit_unknown.der >critical-unknown.der
cat root.der inter.der leaf_crit_key_ids.der >critical-key-ids.der
cat root.der inter.der leaf_crit_policies.der >critical-policies.der
# The last byte of the leaf: inside its signature's s value
cp good.der bad-signature.der
n=$(stat -c %s bad-signature.der)
last=$(od -An -tu1 -j $((n - 1)) bad-signature.der | tr -d ' ')
printf "$(printf '\\%03o' $((last ^ 1)))" |
	dd of=bad-signature.der bs=1 seek=$((n - 1)) conv=notrunc status=none

cp root.der "$here/root.der"
while read -r name valid rule; do
	[ -n "$name" ] || continue
	cp "$name.der" "$here/$name.der"
done <<<"$VECTORS"
write_verdicts "$here/verdicts"
write_header "$header"

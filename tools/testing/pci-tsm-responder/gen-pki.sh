#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Generate the test PKI of spdm-responder in DIR (default ./pki):
#
#   DIR/idN/root.{pem,der}    root CA, the anchor for
#                             "pci-tsm evidence verify --root"
#   DIR/idN/inter.{pem,der}   intermediate CA
#   DIR/idN/leaf.{pem,der}    the device certificate, RSA-3072
#   DIR/idN/leaf.key          its private key (PEM)
#
# id0 is the device as shipped; id1 a "replaced device" with a key and
# chain of its own (spdm-responder -a, SIGUSR1); DIR/forged (-f, SIGUSR2)
# id0's chain followed by a leaf that id0's leaf signed, listed in
# DIR/forged/chain.  RSA-3072 with SHA-384:
# the algorithms the shared responder code signs with.
#
# The leaf carries the PCIe CMA subjectAltName otherName (OID 2.23.147)
# naming the function QEMU's NVMe controller presents (QEMU 10.0).  Test
# keys: generated on every build, never to be trusted for anything.

set -eu

out=${1:-$(dirname "$0")/pki}
cma_id=${CMA_ID:-"Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"}
days=3650

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/ext.cnf" <<CNF
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = otherName:2.23.147;UTF8:$cma_id
CNF

key() {
	openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 \
		-out "$1"
}

# cert DIR NAME CN ISSUER EXT SERIAL: NAME.pem signed by ISSUER (or self)
cert() {
	d=$1
	if [ "$4" = self ]; then
		openssl req -new -x509 -sha384 -days $days -key "$d/$2.key" \
			-subj "/O=pci-tsm test/CN=$3" -extensions "$5" \
			-config "$tmp/ext.cnf" -out "$d/$2.pem"
	else
		openssl req -new -sha384 -key "$d/$2.key" \
			-subj "/O=pci-tsm test/CN=$3" -out "$tmp/$2.csr"
		openssl x509 -req -sha384 -days $days -in "$tmp/$2.csr" \
			-CA "$d/$4.pem" -CAkey "$d/$4.key" -set_serial "$6" \
			-extfile "$tmp/ext.cnf" -extensions "$5" \
			-out "$d/$2.pem" 2>/dev/null
	fi
	openssl x509 -in "$d/$2.pem" -outform DER -out "$d/$2.der"
}

for i in 0 1; do
	d=$out/id$i
	rm -rf "$d"
	mkdir -p "$d"
	key "$d/root.key"
	key "$d/inter.key"
	key "$d/leaf.key"
	cert "$d" root "spdm-responder test root CA $i" self ca 1
	cert "$d" inter "spdm-responder test intermediate CA $i" root ca 2
	cert "$d" leaf "QEMU NVMe test device $i" inter leaf 3
	openssl verify -CAfile "$d/root.pem" -untrusted "$d/inter.pem" \
		"$d/leaf.pem" >/dev/null
	# Only the leaf signs at run time; the CA keys are not needed
	rm -f "$d/root.key" "$d/inter.key"
done

# forged: id0's own chain, then a leaf for another key that id0's leaf
# (CA:FALSE) signed: what anyone holding one device's key could present
# as another device.  Path validation must refuse it (openssl: error 79).
d=$out/forged
rm -rf "$d"
mkdir -p "$d"
cp "$out/id0/root.der" "$out/id0/inter.der" "$out/id0/leaf.der" "$d/"
cp "$out/id0/leaf.pem" "$d/signer.pem"
cp "$out/id0/leaf.key" "$d/signer.key"
key "$d/leaf.key"
openssl req -new -sha384 -key "$d/leaf.key" \
	-subj "/O=pci-tsm test/CN=QEMU NVMe forged device" -out "$tmp/forged.csr"
openssl x509 -req -sha384 -days $days -in "$tmp/forged.csr" \
	-CA "$d/signer.pem" -CAkey "$d/signer.key" -set_serial 4 \
	-extfile "$tmp/ext.cnf" -extensions leaf -out "$d/forged.pem" 2>/dev/null
openssl x509 -in "$d/forged.pem" -outform DER -out "$d/forged.der"
rm -f "$d/signer.key" "$d/signer.pem"
printf '%s\n' root.der inter.der leaf.der forged.der >"$d/chain"

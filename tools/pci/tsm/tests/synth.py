#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Write synthetic evidence directories for the algorithms and SPDM versions
the DMTF recordings do not cover: a fresh root CA and leaf key each run, a
VCA, a certificate chain and a CHALLENGE / CHALLENGE_AUTH exchange signed
here, with python3-cryptography, by the rule of DSP0274 for that version:
1.0/1.1 sign the transcript M1; 1.2+ sign the 100-byte signing-context
prefix followed by the hash of M1.

    synth.py OUTDIR  ->  OUTDIR/NAME/{...-slot0.bin, root.pem, nonce}

With --chain, one directory signed over a given chain instead (SPDM 1.2,
ECDSA P-256, SHA-256), so that a chain only path validation can refuse
reaches the verifier inside evidence that is otherwise right:

    synth.py --chain CERTS.der KEY.pem OUTDIR/NAME [ROOT.der]
        CERTS.der: DER certificates, root first; KEY.pem: the leaf's key.
        RootHash is the hash of ROOT.der, by default of the first
        certificate.
"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

HASHES = {  # BaseHashAlgo bit: (hash class, size)
    0x01: (hashes.SHA256, 32), 0x02: (hashes.SHA384, 48),
    0x04: (hashes.SHA512, 64), 0x08: (hashes.SHA3_256, 32),
}
# name, SPDM version, BaseAsymAlgo bit, BaseHashAlgo bit, signed exchange
CASES = [
    ("v11-p256-sha256", 0x11, 1 << 4, 0x01, "challenge"),
    ("v11-p256-sha256-meas", 0x11, 1 << 4, 0x01, "measurements"),
    ("v12-rsassa2048-sha256", 0x12, 1 << 0, 0x01, "challenge"),
    ("v12-rsapss2048-sha384", 0x12, 1 << 1, 0x02, "challenge"),
    ("v12-rsapss2048-sha256-meas", 0x12, 1 << 1, 0x01, "measurements"),
    ("v12-p256-sha3-256", 0x12, 1 << 4, 0x08, "challenge"),
    ("v13-p521-sha512", 0x13, 1 << 8, 0x04, "challenge"),
    ("v13-p384-sha384-meas", 0x13, 1 << 7, 0x02, "measurements"),
    # both exchanges, one nonce, as types 8-11 (and 4/5 = the last, L1)
    ("v12-p256-sha256-both", 0x12, 1 << 4, 0x01, "both"),
    ("v13-p384-sha384-both", 0x13, 1 << 7, 0x02, "both"),
    ("v11-p256-sha256-both", 0x11, 1 << 4, 0x01, "both"),
]


def le16(v):
    return v.to_bytes(2, "little")


def le32(v):
    return v.to_bytes(4, "little")


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def cert(subject, issuer, pub, signer, ca):
    now = datetime.datetime(2025, 1, 1)
    b = (x509.CertificateBuilder().subject_name(name(subject))
         .issuer_name(name(issuer)).public_key(pub)
         .serial_number(x509.random_serial_number())
         .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=36500))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    return b.sign(signer, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def leaf_key(asym):
    if asym in (1 << 0, 1 << 1):
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    curve = {1 << 4: ec.SECP256R1(), 1 << 7: ec.SECP384R1(), 1 << 8: ec.SECP521R1()}[asym]
    return ec.generate_private_key(curve)


def sign(key, asym, halg, msg):
    if asym == 1 << 0:
        return key.sign(msg, padding.PKCS1v15(), halg())
    if asym == 1 << 1:
        return key.sign(msg, padding.PSS(mgf=padding.MGF1(halg()),
                                         salt_length=halg.digest_size), halg())
    r, s = decode_dss_signature(key.sign(msg, ec.ECDSA(halg())))
    n = (key.curve.key_size + 7) // 8
    return r.to_bytes(n, "big") + s.to_bytes(n, "big")


def digest(halg, data):
    h = hashes.Hash(halg())
    h.update(data)
    return h.finalize()


def first_der(data):
    """Length of the DER element (a certificate) @data starts with"""
    if len(data) < 2 or data[0] != 0x30:
        raise ValueError("not a DER SEQUENCE")
    if data[1] < 0x80:
        return 2 + data[1]
    n = data[1] & 0x7f
    if n == 0 or n > 3 or len(data) < 2 + n:
        raise ValueError("bad DER length")
    return 2 + n + int.from_bytes(data[2:2 + n], "big")


def build(out, label, ver, asym, hbit, kind, given=None):
    halg, hlen = HASHES[hbit]
    if given:
        certs, key, root = given
        root = root or certs[:first_der(certs)]
        body = digest(halg, root) + certs
    else:
        root_key = ec.generate_private_key(ec.SECP256R1())
        key = leaf_key(asym)
        root = cert("synthetic root CA", "synthetic root CA", root_key.public_key(),
                    root_key, True)
        leaf = cert("synthetic responder", "synthetic root CA", key.public_key(),
                    root_key, False)
        body = digest(halg, root) + root + leaf
    if 4 + len(body) > 0xffff:
        raise ValueError("chain too long for the SPDM header")
    chain = le16(4 + len(body)) + le16(0) + body

    caps_len = 12 if ver == 0x11 else 20
    vca = (bytes([0x10, 0x84, 0, 0]) + bytes([0x10, 0x04, 0, 0, 0, 1, 0, ver]) +
           bytes([ver, 0xe1, 0, 0]) + bytes(caps_len - 4) +
           bytes([ver, 0x61, 0, 0]) + bytes(caps_len - 4) +
           bytes([ver, 0xe3, 0, 0]) + le16(32) + bytes(26) +
           bytes([ver, 0x63, 0, 0]) + le16(36) + bytes([1, 0]) + le32(0) +
           le32(asym) + le32(hbit) + bytes(16))
    certs = (bytes([ver, 0x82, 0, 0]) + le16(0) + le16(len(chain)) +
             bytes([ver, 0x02, 0, 0]) + le16(len(chain)) + le16(0) + chain)
    nonce = os.urandom(32)
    ctx = bytes(8) if ver >= 0x13 else b""
    # one DMTF measurement block: index 1, a digest of the hash size
    block = bytes([1, 1]) + le16(3 + hlen) + bytes([0]) + le16(hlen) + os.urandom(hlen)
    # CHALLENGE asks for the summary of all blocks (Param2 0xff): the hash
    # of the concatenated measurement blocks, each whole (DSP0274 1.1.2+)
    summary = digest(halg, block) if kind == "both" else bytes(hlen)
    creq = bytes([ver, 0x83, 0, 0xff]) + nonce + ctx
    crsp = (bytes([ver, 0x03, 0, 1]) + digest(halg, chain) + os.urandom(32) +
            summary + le16(0) + ctx)
    # M1 = VCA, certificate exchanges, CHALLENGE, CHALLENGE_AUTH
    m1 = vca + certs + creq + crsp
    mreq = bytes([ver, 0xe0, 1, 0xff]) + nonce + bytes([0]) + ctx
    mrsp = (bytes([ver, 0x60, 0, 0, 1]) + len(block).to_bytes(3, "little") + block +
            os.urandom(32) + le16(0) + ctx)
    # L1: SPDM 1.2+ put the VCA first, 1.0/1.1 sign the exchange only
    l1 = (vca if ver >= 0x12 else b"") + mreq + mrsp

    def signed(transcript, c):
        if ver >= 0x12:
            prefix = (b"dmtf-spdm-v%d.%d.*" % (ver >> 4, ver & 0xf)) * 4
            msg = prefix + bytes(36 - len(c)) + c + digest(halg, transcript)
        else:
            msg = transcript
        return sign(key, asym, halg, msg)

    files = [("vca", vca), ("cert-chain", chain)]
    if kind in ("challenge", "both"):
        csig = signed(m1, b"responder-challenge_auth signing")
        files.append(("challenge", creq + crsp + csig))
    if kind in ("measurements", "both"):
        msig = signed(l1, b"responder-measurements signing")
        files.append(("measurements", mreq + mrsp + msig))
    if kind == "challenge":
        files += [("transcript", m1), ("signature", csig)]
    else:
        files += [("transcript", l1), ("signature", msig)]
    if kind == "both":
        files += [("challenge-transcript", m1), ("challenge-signature", csig),
                  ("measurements-transcript", l1), ("measurements-signature", msig)]

    d = os.path.join(out, label)
    os.makedirs(d)
    for fname, data in files:
        with open(os.path.join(d, fname + "-slot0.bin"), "wb") as f:
            f.write(data)
    with open(os.path.join(out, label + ".root.der"), "wb") as f:
        f.write(root)
    with open(os.path.join(out, label + ".nonce"), "w") as f:
        f.write(nonce.hex() + "\n")


def main():
    if sys.argv[1] == "--chain":
        with open(sys.argv[2], "rb") as f:
            certs = f.read()
        with open(sys.argv[3], "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
        root = None
        if len(sys.argv) > 5:
            with open(sys.argv[5], "rb") as f:
                root = f.read()
        out, label = os.path.split(sys.argv[4])
        build(out, label, 0x12, 1 << 4, 0x01, "challenge", (certs, key, root))
        print(label)
        return
    for label, ver, asym, hbit, kind in CASES:
        build(sys.argv[1], label, ver, asym, hbit, kind)
        print(label)


if __name__ == "__main__":
    main()

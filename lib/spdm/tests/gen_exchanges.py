#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate signed SPDM exchanges for the requester's KUnit tests.

Usage: gen_exchanges.py > spdm_gen_vectors.h

Needs python3-cryptography.  Each run makes fresh throw-away keys and
certificates; the output is committed, so the tests do not depend on this
script at build time.

The DMTF recordings cover SPDM 1.2 with ECDSA P-384 and SHA-384 only.
This script plays both sides for every other version and algorithm: it
builds the requests exactly as lib/spdm builds them for the configuration
the KUnit test uses (listed in each vector), answers them as a responder
with a two-certificate chain in slot 0, and signs CHALLENGE_AUTH and
MEASUREMENTS over the transcripts DSP0274 defines:

  M1 = VCA || GET_DIGESTS..CERTIFICATE || CHALLENGE || CHALLENGE_AUTH*
  L1 = [VCA (1.2+) ||] GET_MEASUREMENTS || MEASUREMENTS*

(* without the signature).  1.0 and 1.1 sign M1/L1 themselves, 1.2 and
later sign the 100-byte signing context followed by the hash of M1/L1.
The hashes of M1 and L1 are written out too, so the tests can check the
transcripts the requester keeps against an independent computation.

Chunked vectors have a requester DataTransferSize (and for CHUNK_SEND a
responder DataTransferSize) smaller than some messages; the messages here
are the whole, reassembled ones, as they enter the transcripts.  The
KUnit transport splits them into CHUNK_RESPONSEs itself.

Two vectors shape the responder rather than the transfer: one without
CHAL_CAP, authenticated by its signed MEASUREMENTS alone (no CHALLENGE,
so nothing signs transcript B), and one with a second slot whose chain
is well framed but holds no parsable certificate, fetched because the
requester asks for slot 1 beside slot 0.
"""

import datetime
import hashlib
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.x509.oid import NameOID

ASYM = {  # name: (BaseAsymAlgo bit, key kind, size)
    'RSASSA_2048': (0, 'rsassa', 2048),
    'RSAPSS_2048': (1, 'rsapss', 2048),
    'RSASSA_3072': (2, 'rsassa', 3072),
    'RSAPSS_3072': (3, 'rsapss', 3072),
    'ECDSA_P256': (4, 'ecdsa', ec.SECP256R1()),
    'RSASSA_4096': (5, 'rsassa', 4096),
    'RSAPSS_4096': (6, 'rsapss', 4096),
    'ECDSA_P384': (7, 'ecdsa', ec.SECP384R1()),
    'ECDSA_P521': (8, 'ecdsa', ec.SECP521R1()),
}
HASH = {  # name: (BaseHashAlgo bit, hashlib name, cryptography hash)
    'SHA256': (0, 'sha256', hashes.SHA256()),
    'SHA384': (1, 'sha384', hashes.SHA384()),
    'SHA512': (2, 'sha512', hashes.SHA512()),
}

CAP_CERT, CAP_CHAL, CAP_MEAS_SIG, CAP_CHUNK = 1 << 1, 1 << 2, 1 << 4, 1 << 17
ASYM_ALL = 0x1ff          # SPDM_ASYM_SUPPORTED: what the test offers
HASH_ALL = 0x7
DEFAULT_DTS = 4608

# (name, version, asym, hash, our DTS, our MaxSPDMmsgSize, responder DTS,
#  MEASUREMENTS size or 0 for the default blocks[, options])
# options: 'no_chal': the responder lacks CHAL_CAP; 'bad_slot1': slot 1
# is populated with an unparsable chain and the requester fetches it
VECTORS = [
    # every version
    ('v10_rsassa2048_sha256', 0x10, 'RSASSA_2048', 'SHA256', 0, 0, 0, 0),
    ('v11_p384_sha384', 0x11, 'ECDSA_P384', 'SHA384', 0, 0, 0, 0),
    ('v11_rsapss3072_sha256', 0x11, 'RSAPSS_3072', 'SHA256', 0, 0, 0, 0),
    ('v13_p256_sha256', 0x13, 'ECDSA_P256', 'SHA256', 0, 0, 0, 0),
    ('v13_rsapss4096_sha512', 0x13, 'RSAPSS_4096', 'SHA512', 0, 0, 0, 0),
    # every signature algorithm with every hash (1.2)
    ('v12_p256_sha256', 0x12, 'ECDSA_P256', 'SHA256', 0, 0, 0, 0),
    ('v12_p256_sha384', 0x12, 'ECDSA_P256', 'SHA384', 0, 0, 0, 0),
    ('v12_p256_sha512', 0x12, 'ECDSA_P256', 'SHA512', 0, 0, 0, 0),
    ('v12_p384_sha256', 0x12, 'ECDSA_P384', 'SHA256', 0, 0, 0, 0),
    ('v12_p384_sha512', 0x12, 'ECDSA_P384', 'SHA512', 0, 0, 0, 0),
    ('v12_p521_sha256', 0x12, 'ECDSA_P521', 'SHA256', 0, 0, 0, 0),
    ('v12_p521_sha384', 0x12, 'ECDSA_P521', 'SHA384', 0, 0, 0, 0),
    ('v12_p521_sha512', 0x12, 'ECDSA_P521', 'SHA512', 0, 0, 0, 0),
    ('v12_rsassa2048_sha256', 0x12, 'RSASSA_2048', 'SHA256', 0, 0, 0, 0),
    ('v12_rsassa3072_sha384', 0x12, 'RSASSA_3072', 'SHA384', 0, 0, 0, 0),
    ('v12_rsassa4096_sha512', 0x12, 'RSASSA_4096', 'SHA512', 0, 0, 0, 0),
    ('v12_rsapss2048_sha384', 0x12, 'RSAPSS_2048', 'SHA384', 0, 0, 0, 0),
    ('v12_rsapss3072_sha512', 0x12, 'RSAPSS_3072', 'SHA512', 0, 0, 0, 0),
    ('v12_rsapss4096_sha256', 0x12, 'RSAPSS_4096', 'SHA256', 0, 0, 0, 0),
    # chunking: CHALLENGE_AUTH (166 bytes) fits exactly in 166, the
    # 167-byte MEASUREMENTS is one byte over: two chunks
    ('chunk_fit', 0x12, 'ECDSA_P256', 'SHA256', 166, 4608, 4608, 167),
    # DTS 64: first chunk 48 bytes, later ones 52; 360 = 48 + 6 * 52 fills
    # seven chunks exactly, 361 needs an eighth with one byte
    ('chunk_many', 0x12, 'ECDSA_P256', 'SHA256', 64, 4608, 4608, 360),
    ('chunk_many_plus1', 0x12, 'ECDSA_P256', 'SHA256', 64, 4608, 4608, 361),
    # the responder takes at most 42 bytes: the 44-byte CHALLENGE and the
    # 45-byte GET_MEASUREMENTS of 1.3 go out with CHUNK_SEND
    ('chunk_send', 0x13, 'ECDSA_P256', 'SHA256', 64, 4608, 42, 0),
    # signed measurements instead of CHALLENGE: L1 with and without VCA
    ('v12_p256_sha256_no_chal', 0x12, 'ECDSA_P256', 'SHA256', 0, 0, 0, 0,
     {'no_chal'}),
    ('v11_p384_sha384_no_chal', 0x11, 'ECDSA_P384', 'SHA384', 0, 0, 0, 0,
     {'no_chal'}),
    ('v12_p256_sha256_bad_slot1', 0x12, 'ECDSA_P256', 'SHA256', 0, 0, 0, 0,
     {'bad_slot1'}),
]

NOT_BEFORE = datetime.datetime(2026, 1, 1)
NOT_AFTER = datetime.datetime(2046, 1, 1)


def make_key(asym):
    kind, size = ASYM[asym][1:]
    if kind == 'ecdsa':
        return ec.generate_private_key(size)
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def cert_hash(asym):
    kind, size = ASYM[asym][1:]
    if kind == 'ecdsa':
        return {256: hashes.SHA256(), 384: hashes.SHA384(),
                521: hashes.SHA512()}[size.key_size]
    return hashes.SHA256()


def make_chain(asym):
    """Root CA and leaf, both with a key of the negotiated kind."""
    root_key, leaf_key = make_key(asym), make_key(asym)
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                              'SPDM KUnit test root %s' % asym)])
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                              'SPDM KUnit test leaf %s' % asym)])
    root = (x509.CertificateBuilder().subject_name(root_name)
            .issuer_name(root_name).public_key(root_key.public_key())
            .serial_number(1).not_valid_before(NOT_BEFORE)
            .not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None),
                           critical=True)
            .sign(root_key, cert_hash(asym)))
    leaf = (x509.CertificateBuilder().subject_name(leaf_name)
            .issuer_name(root_name).public_key(leaf_key.public_key())
            .serial_number(2).not_valid_before(NOT_BEFORE)
            .not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                           critical=True)
            .sign(root_key, cert_hash(asym)))
    ders = [c.public_bytes(serialization.Encoding.DER) for c in (root, leaf)]
    return ders, leaf_key


def sign(asym, hname, key, msg):
    kind, size = ASYM[asym][1:]
    halg = HASH[hname][2]
    if kind == 'ecdsa':
        r, s = utils.decode_dss_signature(key.sign(msg, ec.ECDSA(halg)))
        n = (size.key_size + 7) // 8
        return r.to_bytes(n, 'big') + s.to_bytes(n, 'big')
    if kind == 'rsassa':
        return key.sign(msg, padding.PKCS1v15(), halg)
    return key.sign(msg, padding.PSS(mgf=padding.MGF1(halg),
                                     salt_length=halg.digest_size), halg)


def sign_prefix(version, context):
    ver = ('dmtf-spdm-v%d.%d.*' % (version >> 4, version & 0xf)).encode()
    pad = 100 - 4 * len(ver) - len(context)
    return ver * 4 + b'\0' * pad + context.encode()


def spdm_sign(v, asym, hname, key, transcript, context):
    hfn = HASH[hname][1]
    if v['version'] >= 0x12:
        msg = sign_prefix(v['version'], context) + \
            hashlib.new(hfn, transcript).digest()
    else:
        msg = transcript
    return sign(asym, hname, key, msg)


def meas_blocks(hlen, record_len):
    """DMTF measurement blocks; record_len 0: four default blocks."""
    blocks = []
    if not record_len:
        for i, vt in enumerate((0x00, 0x01, 0x02, 0x04)):
            val = bytes((i * 37 + j) & 0xff for j in range(hlen))
            blocks.append((i + 1, vt, val))
        blocks.append((0xfd, 0x85, b'KUnit raw bitstream'))
    else:
        left = record_len
        idx = 1
        while left:
            # 7 bytes of headers per block, at most hlen of value
            vlen = min(hlen, left - 7)
            if left - (7 + vlen) and left - (7 + vlen) < 7:
                vlen = left - 14      # leave room for one more block
            blocks.append((idx, 0x00, bytes([idx]) * vlen))
            left -= 7 + vlen
            idx += 1
    rec = b''
    for idx, vt, val in blocks:
        rec += struct.pack('<BBHBH', idx, 1, 3 + len(val), vt, len(val)) + val
    assert not record_len or len(rec) == record_len
    return rec, len(blocks)


def bad_chain(hfn):
    """A slot chain with a correct header, holding a DER SEQUENCE that is
    no certificate: only the X.509 parser can refuse it."""
    junk = bytes((0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0x00))
    hlen = hashlib.new(hfn).digest_size
    return struct.pack('<HH', 4 + hlen + len(junk), 0) + \
        hashlib.new(hfn, junk).digest() + junk


def get_certificate(hdr, chain, slot, xfer):
    """GET_CERTIFICATE / CERTIFICATE pairs as lib/spdm asks for them."""
    msgs = []
    off = 0
    total = 0
    while off < len(chain):
        want = min(xfer - 8, 0xffff)
        if total:
            want = min(want, total - off)
        req = hdr(0x82, slot) + struct.pack('<HH', off, want)
        portion = chain[off:off + want]
        rsp = hdr(0x02, slot) + struct.pack('<HH', len(portion),
                                            len(chain) - off -
                                            len(portion)) + portion
        msgs += [req, rsp]
        total = len(chain)
        off += len(portion)
    return msgs


def exchange(name, version, asym, hname, dts, max_msg, rsp_dts, meas_size,
             opts=frozenset()):
    hbit, hfn = HASH[hname][:2]
    hlen = hashlib.new(hfn).digest_size
    abit = ASYM[asym][0]
    if ASYM[asym][1] == 'ecdsa':
        sig_len = 2 * ((ASYM[asym][2].key_size + 7) // 8)
    else:
        sig_len = ASYM[asym][2] // 8
    v = {'version': version}
    dts = dts or DEFAULT_DTS
    max_msg = max_msg or dts
    rsp_dts = rsp_dts or DEFAULT_DTS
    ders, leaf_key = make_chain(asym)
    certs = b''.join(ders)
    root_hash = hashlib.new(hfn, ders[0]).digest()
    chain_len = 4 + hlen + len(certs)
    chain = struct.pack('<HH', chain_len, 0) + root_hash + certs
    msgs = []
    vca = b''

    def hdr(code, p1=0, p2=0, ver=version):
        return bytes((ver, code, p1, p2))

    # GET_VERSION / VERSION: the responder speaks only @version
    req = hdr(0x84, ver=0x10)
    rsp = hdr(0x04, ver=0x10) + bytes((0, 1)) + struct.pack('<H',
                                                           version << 8)
    msgs += [req, rsp]
    vca += req + rsp

    # GET_CAPABILITIES / CAPABILITIES
    req_caps = CAP_CERT | CAP_CHAL
    rsp_caps = CAP_CERT | CAP_MEAS_SIG
    if 'no_chal' not in opts:
        rsp_caps |= CAP_CHAL
    if version >= 0x12:
        rsp_caps |= CAP_CHUNK
        if max_msg > dts:
            req_caps |= CAP_CHUNK
    if version == 0x10:
        req = hdr(0xe1)
    elif version == 0x11:
        req = hdr(0xe1) + struct.pack('<BBHI', 0, 0, 0, req_caps)
    else:
        req = hdr(0xe1) + struct.pack('<BBHIII', 0, 0, 0, req_caps, dts,
                                      max_msg)
    if version < 0x12:
        rsp = hdr(0x61) + struct.pack('<BBHI', 0, 12, 0, rsp_caps)
    else:
        rsp = hdr(0x61) + struct.pack('<BBHIII', 0, 12, 0, rsp_caps,
                                      rsp_dts, max(rsp_dts, 4608))
    msgs += [req, rsp]
    vca += req + rsp

    # NEGOTIATE_ALGORITHMS / ALGORITHMS: no AlgStructs offered
    req = hdr(0xe3) + struct.pack('<HBBII12sBB2s', 32, 1, 0, ASYM_ALL,
                                  HASH_ALL, b'', 0, 0, b'')
    rsp = hdr(0x63) + struct.pack('<HBBIII12sBB2s', 36, 1, 0,
                                  1 << (hbit + 1), 1 << abit, 1 << hbit,
                                  b'', 0, 0, b'')
    msgs += [req, rsp]
    vca += req + rsp

    # GET_DIGESTS / DIGESTS: slot 0, and slot 1 for bad_slot1
    chains = [chain]
    if 'bad_slot1' in opts:
        chains.append(bad_chain(hfn))
    b = b''
    req = hdr(0x81)
    rsp = hdr(0x01, 1 if version >= 0x13 else 0, (1 << len(chains)) - 1) + \
        b''.join(hashlib.new(hfn, c).digest() for c in chains)
    msgs += [req, rsp]
    b += req + rsp

    # every chain of DIGESTS, slot 0 first
    xfer = min(rsp_dts, dts) if version >= 0x12 else dts
    for slot, c in enumerate(chains):
        pairs = get_certificate(hdr, c, slot, xfer)
        msgs += pairs
        b += b''.join(pairs)

    # measurement record, needed for the summary hash in CHALLENGE_AUTH
    ctx = b'\0' * 8 if version >= 0x13 else b''
    if meas_size:
        rec_len = meas_size - (8 + 32 + 2 + len(ctx) + sig_len)
    else:
        rec_len = 0
    record, nblocks = meas_blocks(hlen, rec_len)

    # CHALLENGE / CHALLENGE_AUTH, summary hash of all measurements
    m1_hash = b''
    if 'no_chal' not in opts:
        nonce = bytes((0xc0 + i) & 0xff for i in range(32))
        req = hdr(0x83, 0, 0xff) + nonce + ctx
        rsp_nonce = bytes((0x40 + 3 * i) & 0xff for i in range(32))
        rsp = hdr(0x03, 0, 1) + \
            hashlib.new(hfn, chain).digest() + rsp_nonce + \
            hashlib.new(hfn, record).digest() + struct.pack('<H', 0) + ctx
        m1 = vca + b + req + rsp
        rsp += spdm_sign(v, asym, hname, leaf_key, m1,
                         'responder-challenge_auth signing')
        msgs += [req, rsp]
        m1_hash = hashlib.new(hfn, m1).digest()

    # GET_MEASUREMENTS / MEASUREMENTS, all blocks, signed
    nonce = bytes((0xa0 + i) & 0xff for i in range(32))
    req = hdr(0xe0, 1, 0xff) + nonce
    if version >= 0x11:
        req += b'\0' + ctx
    rsp_nonce = bytes((0x10 + 5 * i) & 0xff for i in range(32))
    rsp = hdr(0x60, 0, 0) + bytes((nblocks,)) + \
        struct.pack('<I', len(record))[:3] + record + rsp_nonce + \
        struct.pack('<H', 0) + ctx
    l1 = (vca if version >= 0x12 else b'') + req + rsp
    rsp += spdm_sign(v, asym, hname, leaf_key, l1,
                     'responder-measurements signing')
    assert not meas_size or len(rsp) == meas_size
    msgs += [req, rsp]
    l1_hash = hashlib.new(hfn, l1).digest()

    return {
        'name': name, 'msgs': msgs, 'chain': chain, 'm1': m1_hash,
        'l1': l1_hash, 'version': version, 'asym': asym, 'hash': hname,
        'dts': dts, 'max_msg': max_msg, 'rsp_dts': rsp_dts,
        'nblocks': nblocks, 'vca_len': len(vca), 'b_len': len(b),
        'chal': 'no_chal' not in opts, 'slot_mask': (1 << len(chains)) - 2,
    }


def c_bytes(data):
    return '\n'.join('\t' + ' '.join('0x%02x,' % x for x in data[i:i + 12])
                     for i in range(0, len(data), 12))


def emit(e):
    n = e['name']
    out = []
    for i, m in enumerate(e['msgs']):
        out.append('static const u8 gen_%s_msg%d[] = {\n%s\n};\n' %
                   (n, i, c_bytes(m)))
    for what in ('m1', 'l1') if e['chal'] else ('l1',):
        out.append('static const u8 gen_%s_%s[] = {\n%s\n};\n' %
                   (n, what, c_bytes(e[what])))
    out.append('static const struct spdm_test_msg gen_%s_msgs[] = {' % n)
    for i in range(len(e['msgs'])):
        out.append('\t{ gen_%s_msg%d, sizeof(gen_%s_msg%d) },' % (n, i, n, i))
    out.append('};\n')
    return '\n'.join(out)


def main():
    if len(sys.argv) != 1:
        sys.exit(__doc__)
    ex = [exchange(*vec) for vec in VECTORS]
    print('''/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signed SPDM exchanges for versions 1.0 to 1.3, every BaseAsymAlgo and
 * BaseHashAlgo, and chunked transfers, with throw-away keys: generated by
 * gen_exchanges.py in lib/spdm/tests/ with python3-cryptography (do not
 * edit).
 */

#ifndef _SPDM_GEN_VECTORS_H
#define _SPDM_GEN_VECTORS_H

/**
 * struct spdm_gen_vector - one generated exchange
 * @name: test name
 * @msgs: requests and responses, alternating
 * @num_msgs: entries in @msgs
 * @chain_len: size of the slot 0 certificate chain (its bytes are in the
 *	CERTIFICATE responses)
 * @m1: hash of M1 (the transcript CHALLENGE_AUTH signs); %NULL without
 *	CHAL_CAP
 * @l1: hash of L1 (the transcript MEASUREMENTS signs)
 * @version: SPDM version the responder speaks
 * @base_asym: BaseAsymAlgo selected
 * @base_hash: BaseHashAlgo selected
 * @dts: requester DataTransferSize the requests carry
 * @max_msg: requester MaxSPDMmsgSize the requests carry
 * @rsp_dts: responder DataTransferSize
 * @num_blocks: measurement blocks
 * @vca_len: size of transcript A
 * @b_len: size of transcript B
 * @chal: the responder has CHAL_CAP (else only MEASUREMENTS are signed)
 * @slot_mask: further slots the requester fetches (&spdm_config.slot_mask)
 */
struct spdm_gen_vector {
	const char *name;
	const struct spdm_test_msg *msgs;
	unsigned int num_msgs;
	size_t chain_len;
	const u8 *m1;
	const u8 *l1;
	u8 version;
	u32 base_asym;
	u32 base_hash;
	u32 dts;
	u32 max_msg;
	u32 rsp_dts;
	unsigned int num_blocks;
	size_t vca_len;
	size_t b_len;
	bool chal;
	u8 slot_mask;
};
''')
    for e in ex:
        print(emit(e))
    print('static const struct spdm_gen_vector spdm_gen_vectors[] = {')
    for e in ex:
        n = e['name']
        print('\t{ "%s", gen_%s_msgs,' % (n, n))
        print('\t  ARRAY_SIZE(gen_%s_msgs), %d,' % (n, len(e['chain'])))
        print('\t  %s, gen_%s_l1, 0x%02x,'
              % ('gen_%s_m1' % n if e['chal'] else 'NULL', n, e['version']))
        print('\t  SPDM_ASYM_%s, SPDM_HASH_%s,' % (e['asym'], e['hash']))
        print('\t  %d, %d, %d, %d, %d, %d, %s, %#04x },'
              % (e['dts'], e['max_msg'], e['rsp_dts'], e['nblocks'],
                 e['vca_len'], e['b_len'], 'true' if e['chal'] else 'false',
                 e['slot_mask']))
    print('};\n')
    print('#endif /* _SPDM_GEN_VECTORS_H */')


if __name__ == '__main__':
    main()

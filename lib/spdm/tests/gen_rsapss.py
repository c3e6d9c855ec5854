#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate RSASSA-PSS test vectors for the SPDM requester's KUnit tests.

Usage: gen_rsapss.py > spdm_rsapss_vectors.h

Needs python3-cryptography.  Each run makes fresh keys; the output is
committed, so the tests do not depend on this script at build time.  For
each SPDM RSAPSS size it signs a digest with MGF1 over the same hash and a
salt as long as the hash (what DSP0274 uses).
"""

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

SIZES = ((2048, hashes.SHA256(), 'SPDM_HASH_SHA256'),
         (3072, hashes.SHA384(), 'SPDM_HASH_SHA384'),
         (4096, hashes.SHA512(), 'SPDM_HASH_SHA512'))


def c_bytes(data):
    return '\n'.join('\t' + ' '.join('0x%02x,' % b for b in data[i:i + 12])
                     for i in range(0, len(data), 12))


def main():
    print('''/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RSASSA-PSS vectors: throw-away keys made by
 * gen_rsapss.py in this directory with python3-cryptography (do not edit).
 */

#ifndef _SPDM_RSAPSS_VECTORS_H
#define _SPDM_RSAPSS_VECTORS_H
''')
    entries = []
    for bits, alg, name in SIZES:
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        pub = key.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.PKCS1)
        h = hashes.Hash(alg)
        h.update(b'SPDM RSASSA-PSS test message')
        digest = h.finalize()
        sig = key.sign(digest,
                       padding.PSS(mgf=padding.MGF1(alg),
                                   salt_length=alg.digest_size),
                       utils.Prehashed(alg))
        key.public_key().verify(sig, digest,
                                padding.PSS(mgf=padding.MGF1(alg),
                                            salt_length=alg.digest_size),
                                utils.Prehashed(alg))
        for what, data in (('key', pub), ('digest', digest), ('sig', sig)):
            print('static const u8 spdm_pss%d_%s[] = {\n%s\n};\n' %
                  (bits, what, c_bytes(data)))
        entries.append('\t{ "rsapss%d", %s, spdm_pss%d_key, '
                       'sizeof(spdm_pss%d_key),\n\t  spdm_pss%d_digest, '
                       'spdm_pss%d_sig, sizeof(spdm_pss%d_sig) },' %
                       ((bits, name) + (bits,) * 5))
    print('''struct spdm_pss_vector {
\tconst char *name;
\tu32 base_hash;
\tconst u8 *key;
\tsize_t key_len;
\tconst u8 *digest;
\tconst u8 *sig;
\tsize_t sig_len;
};

static const struct spdm_pss_vector spdm_pss_vectors[] = {''')
    print('\n'.join(entries))
    print('};\n\n#endif /* _SPDM_RSAPSS_VECTORS_H */')


if __name__ == '__main__':
    main()

// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM requester: RSASSA-PSS signature verification
 *
 * The kernel's signature API has RSASSA-PKCS1-v1_5 but no RSASSA-PSS, which
 * SPDM offers as TPM_ALG_RSAPSS_{2048,3072,4096}.  The RSA public operation
 * comes from the crypto API ("rsa" akcipher); the EMSA-PSS verification
 * around it (RFC 8017 section 9.1.2, MGF1 from section B.2.1) is done here,
 * with the BaseHashAlgo as both the message hash and the MGF1 hash, and a
 * salt as long as the hash, as DSP0274 requires.
 *
 * SPDM's RSA moduli are exactly 2048, 3072 or 4096 bits, so the encoded
 * message is one byte per modulus byte with its top bit clear.
 */

#include <linux/slab.h>
#include <linux/unaligned.h>
#include <crypto/akcipher.h>
#include <crypto/algapi.h>
#include <crypto/public_key.h>
#include <kunit/visibility.h>

#include "spdm.h"

/* XOR MGF1(seed) into @out; the counter is big endian, from 0 */
static void spdm_mgf1_xor(u32 base_hash, const u8 *seed, size_t hlen,
			  u8 *out, size_t len)
{
	u8 block[SPDM_MAX_HASH_SIZE];
	struct spdm_hash h;
	__be32 counter;
	size_t off, i, n;

	for (off = 0, i = 0; off < len; off += n, i++) {
		counter = cpu_to_be32(i);
		spdm_hash_init(&h, base_hash);
		spdm_hash_update(&h, seed, hlen);
		spdm_hash_update(&h, &counter, sizeof(counter));
		spdm_hash_final(&h, block);
		n = min(hlen, len - off);
		crypto_xor(out + off, block, n);
	}
}

/* EMSA-PSS-VERIFY on the encoded message @em of @k bytes */
static int spdm_emsa_pss_verify(u32 base_hash, const u8 *mhash, size_t hlen,
				u8 *em, size_t k)
{
	size_t db_len = k - hlen - 1, ps_len, i;
	static const u8 zeros[8];
	u8 h2[SPDM_MAX_HASH_SIZE];
	const u8 *h = em + db_len;
	struct spdm_hash ctx;
	u8 *db = em;

	if (k < 2 * hlen + 2 || em[k - 1] != 0xbc || em[0] & 0x80)
		return -EKEYREJECTED;

	spdm_mgf1_xor(base_hash, h, hlen, db, db_len);
	db[0] &= 0x7f;

	/* DB = PS (zeros) || 0x01 || salt (hlen bytes) */
	ps_len = db_len - hlen - 1;
	for (i = 0; i < ps_len; i++)
		if (db[i])
			return -EKEYREJECTED;
	if (db[ps_len] != 0x01)
		return -EKEYREJECTED;

	/* H' = Hash(8 zero bytes || mHash || salt) */
	spdm_hash_init(&ctx, base_hash);
	spdm_hash_update(&ctx, zeros, sizeof(zeros));
	spdm_hash_update(&ctx, mhash, hlen);
	spdm_hash_update(&ctx, db + db_len - hlen, hlen);
	spdm_hash_final(&ctx, h2);
	return crypto_memneq(h, h2, hlen) ? -EKEYREJECTED : 0;
}

/**
 * spdm_rsapss_verify() - verify an RSASSA-PSS signature over a digest
 * @pub: RSA public key (from the X.509 parser)
 * @base_hash: SPDM BaseHashAlgo, hashing both the message and MGF1
 * @mhash: digest of the signed message
 * @sig: signature
 * @sig_len: size of @sig; must equal the modulus size
 *
 * Return: 0 if the signature verifies, -EKEYREJECTED if it does not or
 * does not fit the key, -ENOMEM, -ENOPKG if RSA is not available.
 */
int spdm_rsapss_verify(const struct public_key *pub, u32 base_hash,
		       const u8 *mhash, const u8 *sig, size_t sig_len)
{
	size_t hlen = spdm_hash_size(base_hash);
	struct crypto_akcipher *tfm;
	u8 *em;
	int rc;

	if (!hlen || strcmp(pub->pkey_algo, "rsa"))
		return -EKEYREJECTED;

	tfm = crypto_alloc_akcipher("rsa", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm) == -ENOENT ? -ENOPKG : PTR_ERR(tfm);

	rc = crypto_akcipher_set_pub_key(tfm, pub->key, pub->keylen);
	if (rc) {
		rc = -EKEYREJECTED;
		goto out_tfm;
	}
	if (crypto_akcipher_maxsize(tfm) != sig_len) {
		rc = -EKEYREJECTED;
		goto out_tfm;
	}

	em = kmalloc(sig_len, GFP_KERNEL);
	if (!em) {
		rc = -ENOMEM;
		goto out_tfm;
	}
	/* The public operation; the result is left-padded to sig_len */
	rc = crypto_akcipher_sync_encrypt(tfm, sig, sig_len, em, sig_len);
	if (rc)
		rc = rc == -ENOMEM ? rc : -EKEYREJECTED;
	else
		rc = spdm_emsa_pss_verify(base_hash, mhash, hlen, em, sig_len);
	kfree(em);
out_tfm:
	crypto_free_akcipher(tfm);
	return rc;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_rsapss_verify);

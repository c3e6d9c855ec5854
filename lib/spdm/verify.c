// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM requester: hashes and signature verification
 *
 * SPDM 1.0 and 1.1 sign the transcript M directly: the signature scheme
 * hashes M with BaseHashAlgo.  SPDM 1.2 and later sign
 *
 *   prefix || H(M)
 *
 * where prefix is 100 bytes: "dmtf-spdm-v1.N.*" four times, zero padding,
 * then a context string naming the signed message.  The signature scheme
 * hashes that message again, so what the public key algorithm verifies is
 * H(prefix || H(M)).  ECDSA signatures are r || s, big endian, each the
 * size of the curve; RSASSA signatures are PKCS#1 v1.5 with BaseHashAlgo,
 * RSAPSS ones are checked in rsapss.c.
 */

#include <crypto/public_key.h>
#include <keys/x509-parser.h>
#include <kunit/visibility.h>

#include "spdm.h"

size_t spdm_hash_size(u32 base_hash)
{
	switch (base_hash) {
	case SPDM_HASH_SHA256:
		return SHA256_DIGEST_SIZE;
	case SPDM_HASH_SHA384:
		return SHA384_DIGEST_SIZE;
	case SPDM_HASH_SHA512:
		return SHA512_DIGEST_SIZE;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_hash_size);

size_t spdm_sig_size(u32 base_asym)
{
	switch (base_asym) {
	case SPDM_ASYM_RSASSA_2048:
	case SPDM_ASYM_RSAPSS_2048:
		return 256;
	case SPDM_ASYM_RSASSA_3072:
	case SPDM_ASYM_RSAPSS_3072:
		return 384;
	case SPDM_ASYM_RSASSA_4096:
	case SPDM_ASYM_RSAPSS_4096:
		return 512;
	case SPDM_ASYM_ECDSA_P256:
		return 2 * 32;
	case SPDM_ASYM_ECDSA_P384:
		return 2 * 48;
	case SPDM_ASYM_ECDSA_P521:
		return 2 * 66;
	}
	return 0;
}

void spdm_hash_init(struct spdm_hash *h, u32 base_hash)
{
	h->alg = base_hash;
	switch (base_hash) {
	case SPDM_HASH_SHA256:
		sha256_init(&h->sha256);
		break;
	case SPDM_HASH_SHA384:
		sha384_init(&h->sha384);
		break;
	case SPDM_HASH_SHA512:
		sha512_init(&h->sha512);
		break;
	}
}
EXPORT_SYMBOL_IF_KUNIT(spdm_hash_init);

void spdm_hash_update(struct spdm_hash *h, const void *data, size_t len)
{
	switch (h->alg) {
	case SPDM_HASH_SHA256:
		sha256_update(&h->sha256, data, len);
		break;
	case SPDM_HASH_SHA384:
		sha384_update(&h->sha384, data, len);
		break;
	case SPDM_HASH_SHA512:
		sha512_update(&h->sha512, data, len);
		break;
	}
}
EXPORT_SYMBOL_IF_KUNIT(spdm_hash_update);

void spdm_hash_final(struct spdm_hash *h, u8 *out)
{
	switch (h->alg) {
	case SPDM_HASH_SHA256:
		sha256_final(&h->sha256, out);
		break;
	case SPDM_HASH_SHA384:
		sha384_final(&h->sha384, out);
		break;
	case SPDM_HASH_SHA512:
		sha512_final(&h->sha512, out);
		break;
	}
}
EXPORT_SYMBOL_IF_KUNIT(spdm_hash_final);

void spdm_hash(u32 base_hash, const void *data, size_t len, u8 *out)
{
	struct spdm_hash h;

	spdm_hash_init(&h, base_hash);
	spdm_hash_update(&h, data, len);
	spdm_hash_final(&h, out);
}
EXPORT_SYMBOL_IF_KUNIT(spdm_hash);

static const char *spdm_hash_name(u32 base_hash)
{
	switch (base_hash) {
	case SPDM_HASH_SHA256:
		return "sha256";
	case SPDM_HASH_SHA384:
		return "sha384";
	default:
		return "sha512";
	}
}

/* The key algorithm (as the X.509 parser names it) BaseAsymAlgo requires */
static const char *spdm_key_algo(u32 base_asym)
{
	switch (base_asym) {
	case SPDM_ASYM_ECDSA_P256:
		return "ecdsa-nist-p256";
	case SPDM_ASYM_ECDSA_P384:
		return "ecdsa-nist-p384";
	case SPDM_ASYM_ECDSA_P521:
		return "ecdsa-nist-p521";
	default:
		return "rsa";
	}
}

static void spdm_sign_prefix(u8 version, const char *context, u8 *prefix)
{
	size_t ctx_len = strlen(context);
	unsigned int i;
	/* room for two-digit fields: only 16 bytes are used for 1.0-1.15 */
	char ver[SPDM_SIGN_VERSION_SIZE + 4];

	snprintf(ver, sizeof(ver), "dmtf-spdm-v%u.%u.*",
		 version >> 4, version & 0xf);
	for (i = 0; i < 4; i++)
		memcpy(prefix + i * SPDM_SIGN_VERSION_SIZE, ver,
		       SPDM_SIGN_VERSION_SIZE);
	memset(prefix + 4 * SPDM_SIGN_VERSION_SIZE, 0,
	       SPDM_SIGN_PREFIX_SIZE - 4 * SPDM_SIGN_VERSION_SIZE - ctx_len);
	memcpy(prefix + SPDM_SIGN_PREFIX_SIZE - ctx_len, context, ctx_len);
}

/**
 * spdm_verify_signature() - check a responder signature over a transcript
 * @spdm: session; @spdm->leaf holds the signing key
 * @h: hash context that has absorbed the whole signed transcript; finalised
 * @context: 1.2+ signing context string
 * @sig: signature, @spdm->sig_len bytes
 *
 * Return: 0 if the signature verifies, -EKEYREJECTED if it does not or the
 * leaf key does not fit the negotiated algorithm, -ENOMEM or -ENOPKG.
 */
int spdm_verify_signature(struct spdm_state *spdm, struct spdm_hash *h,
			  const char *context, const u8 *sig)
{
	u8 prefix[SPDM_SIGN_PREFIX_SIZE];
	u8 digest[SPDM_MAX_HASH_SIZE];
	struct public_key_signature pks = {
		.s = (u8 *)sig,
		.s_size = spdm->sig_len,
		.m = digest,
		.m_size = spdm->hash_len,
		.hash_algo = spdm_hash_name(spdm->base_hash),
	};
	const char *key_algo = spdm_key_algo(spdm->base_asym);
	int rc;

	spdm_hash_final(h, digest);
	if (spdm->version >= SPDM_VER_12) {
		spdm_sign_prefix(spdm->version, context, prefix);
		spdm_hash_init(h, spdm->base_hash);
		spdm_hash_update(h, prefix, sizeof(prefix));
		spdm_hash_update(h, digest, spdm->hash_len);
		spdm_hash_final(h, digest);
	}

	if (strcmp(spdm->leaf->pub->pkey_algo, key_algo)) {
		spdm_err(spdm, "leaf key is %s, negotiated %s\n",
			 spdm->leaf->pub->pkey_algo, key_algo);
		return -EKEYREJECTED;
	}
	if (!strcmp(key_algo, "rsa")) {
		pks.pkey_algo = "rsa";
		pks.encoding = "pkcs1";
	} else {
		pks.pkey_algo = "ecdsa";
		pks.encoding = "p1363";
	}

	if (spdm->base_asym & SPDM_ASYM_RSAPSS)
		rc = spdm_rsapss_verify(spdm->leaf->pub, spdm->base_hash,
					digest, sig, spdm->sig_len);
	else
		rc = public_key_verify_signature(spdm->leaf->pub, &pks);
	if (rc == -ENOMEM || rc == -ENOPKG)
		return rc;
	if (rc) {
		spdm_err(spdm, "%s: signature does not verify (%d)\n",
			 context, rc);
		return -EKEYREJECTED;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for certificate chain validation
 *
 * The authentication target (fuzz.c) cannot reach the chain walk with a
 * chain of its own: the chain must hash to the digest DIGESTS announced.
 * This one hands its input straight to spdm_verify_chain() as slot 0's
 * chain, so the path rules of lib/spdm/cert.c and the extension walker
 * of lib/spdm/x509_ext.c see every byte the fuzzer makes.  The X.509
 * parser is the stub of stubs.c (attributes from the input, see
 * fuzz_cert_attrs()); the real parser is run on mutated chains by the
 * KUnit case spdm_test_chain_mutations.
 *
 * Input: one byte of options, then the chain from RootHash on (the
 * harness writes the Length and Reserved fields):
 *
 *   byte 0  bit 0     certificate attributes from the input (stubs.c)
 *           bit 1     signatures do not verify
 *           bits 3:2  hash: SHA-256, SHA-384, SHA-512 (3: SHA-256)
 *
 * A chain accepted must come with its leaf and no broken rule; an error
 * must be an errno.
 */
#include "spdm.h"
#include "fuzz.h"

int fuzz_rc[2];

static ssize_t chain_no_transport(void *priv, const void *req, size_t req_sz,
				  void *rsp, size_t rsp_sz)
{
	return -EIO;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u32 hashes[] = { SPDM_HASH_SHA256, SPDM_HASH_SHA384,
				      SPDM_HASH_SHA512, SPDM_HASH_SHA256 };
	struct spdm_config cfg = { .transport = chain_no_transport };
	struct x509_certificate *leaf = NULL;
	struct spdm_state *spdm;
	u8 *chain;
	int rc;

	if (size < 1 || size - 1 > SPDM_MAX_CHAIN - SPDM_CHAIN_HDR)
		return 0;
	fuzz_cert_attrs_from_input = data[0] & BIT(0);
	fuzz_reject_sigs = data[0] & BIT(1);

	spdm = spdm_create(&cfg);
	if (IS_ERR(spdm))
		abort();
	spdm->base_hash = hashes[(data[0] >> 2) & 3];
	spdm->hash_len = spdm_hash_size(spdm->base_hash);

	chain = malloc(SPDM_CHAIN_HDR + size - 1);
	if (!chain)
		abort();
	put_unaligned_le16(SPDM_CHAIN_HDR + size - 1, chain);
	put_unaligned_le16(0, chain + 2);
	memcpy(chain + SPDM_CHAIN_HDR, data + 1, size - 1);
	if (spdm_buf_set(&spdm->chain[0], chain, SPDM_CHAIN_HDR + size - 1))
		abort();
	free(chain);

	rc = spdm_verify_chain(spdm, 0, &leaf);
	fuzz_rc[0] = rc;
	if (rc > 0 || rc < -MAX_ERRNO)
		abort();
	if (!rc) {
		if (!leaf || spdm->chain_rule)
			abort();
		fuzz_touch(leaf->tbs, leaf->tbs_size);
		x509_free_certificate(leaf);
	}
	spdm_destroy(spdm);
	return 0;
}

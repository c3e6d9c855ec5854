// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM requester: digests, certificate chains and their self-consistency
 *
 * A slot's certificate chain, as SPDM carries it, is
 *
 *   Length (2) | Reserved (2) | RootHash (H) | DER certificates, root first
 *
 * and DIGESTS carries H(chain) for each populated slot.  The chain is
 * fetched in portions; the first CERTIFICATE response fixes its total size
 * (PortionLength + RemainderLength), every later one must agree.  The
 * exchanges form transcript B.
 *
 * Checked here: the Length field, that the chain is a valid certificate
 * path (each certificate issued by the one before it, which must be a CA
 * allowed to sign certificates, names that chain, pathLenConstraint, no
 * critical extension that is not understood, a leaf allowed to sign), the
 * root hash when the chain carries its root, and the digest.  Whether the
 * root is trusted is not decided here.
 */

#include <linux/bitops.h>
#include <linux/unaligned.h>
#include <kunit/visibility.h>
#include <crypto/public_key.h>
#include <keys/x509-parser.h>

#include "spdm.h"

int spdm_get_digests(struct spdm_state *spdm)
{
	struct spdm_header *req = (void *)spdm->req;
	const struct spdm_header *rsp = (const void *)spdm->rsp;
	const u8 *digest = spdm->rsp + sizeof(*rsp);
	unsigned long mask;
	size_t rsp_sz;
	unsigned int slot;
	ssize_t len;
	int rc;

	*req = (struct spdm_header){ .version = spdm->version,
				     .code = SPDM_GET_DIGESTS };
	len = spdm_exchange(spdm, sizeof(*req), SPDM_RSP_CODE(SPDM_GET_DIGESTS),
			    sizeof(*rsp));
	if (len < 0)
		return len;

	/* Param2: slot mask; one digest per populated slot, in slot order */
	mask = rsp->param2;
	rsp_sz = sizeof(*rsp) + hweight8(mask) * spdm->hash_len;
	if (len < rsp_sz) {
		spdm_err(spdm, "DIGESTS: slot mask %#lx in %zd bytes\n",
			 mask, len);
		return -EPROTO;
	}
	if (!(mask & BIT(spdm->cfg.slot))) {
		spdm_err(spdm, "slot %u not populated (mask %#lx)\n",
			 spdm->cfg.slot, mask);
		return -ENOKEY;
	}

	spdm->slot_mask = mask;
	for_each_set_bit(slot, &mask, SPDM_MAX_SLOTS) {
		memcpy(spdm->digests[slot], digest, spdm->hash_len);
		digest += spdm->hash_len;
	}

	rc = spdm_buf_append(&spdm->b, req, sizeof(*req));
	if (rc)
		return rc;
	return spdm_buf_append(&spdm->b, rsp, rsp_sz);
}

/* One GET_CERTIFICATE/CERTIFICATE round; returns RemainderLength */
static int spdm_get_portion(struct spdm_state *spdm, u8 slot, size_t *total)
{
	struct spdm_get_certificate *req = (void *)spdm->req;
	const struct spdm_certificate_rsp *rsp = (const void *)spdm->rsp;
	struct spdm_buf *chain = &spdm->chain[slot];
	size_t want, portion, remainder;
	ssize_t len;
	int rc;

	/* As much as one response carries, or the caller's portion size */
	want = spdm->rsp_transfer_size - sizeof(*rsp);
	if (spdm->cfg.cert_portion)
		want = min_t(size_t, want, spdm->cfg.cert_portion);
	want = min_t(size_t, want, SPDM_MAX_CHAIN);
	if (*total)
		want = min(want, *total - chain->len);

	*req = (struct spdm_get_certificate){
		.hdr.version = spdm->version,
		.hdr.code = SPDM_GET_CERTIFICATE,
		.hdr.param1 = slot,
		.offset = cpu_to_le16(chain->len),
		.length = cpu_to_le16(want),
	};
	len = spdm_exchange(spdm, sizeof(*req),
			    SPDM_RSP_CODE(SPDM_GET_CERTIFICATE), sizeof(*rsp));
	if (len < 0)
		return len;

	portion = le16_to_cpu(rsp->portion_length);
	remainder = le16_to_cpu(rsp->remainder_length);
	if ((rsp->hdr.param1 & 0xf) != slot || !portion || portion > want ||
	    len < sizeof(*rsp) + portion) {
		spdm_err(spdm, "CERTIFICATE: slot %u portion %zu of %zu, %zd bytes\n",
			 rsp->hdr.param1 & 0xf, portion, want, len);
		return -EPROTO;
	}
	/* Short portions would make the chain cost an exchange per byte */
	if (remainder && portion < min_t(size_t, want, SPDM_MIN_CERT_PORTION)) {
		spdm_err(spdm, "CERTIFICATE: portion of %zu bytes, %zu asked, %zu left\n",
			 portion, want, remainder);
		return -EPROTO;
	}
	if (!*total) {
		*total = portion + remainder;
		if (*total > SPDM_MAX_CHAIN)
			return -EMSGSIZE;
	} else if (chain->len + portion + remainder != *total) {
		spdm_err(spdm, "CERTIFICATE: chain size changed from %zu\n",
			 *total);
		return -EPROTO;
	}

	rc = spdm_buf_append(chain, rsp->cert_chain, portion);
	if (rc)
		return rc;
	rc = spdm_buf_append(&spdm->b, req, sizeof(*req));
	if (rc)
		return rc;
	rc = spdm_buf_append(&spdm->b, rsp, sizeof(*rsp) + portion);
	if (rc)
		return rc;
	return remainder;
}

/* Size of the DER SEQUENCE at @p (a certificate), header included */
static int spdm_der_size(const u8 *p, size_t avail, size_t *size)
{
	size_t hdr = 2, n, i;

	if (avail < 2 || p[0] != 0x30)
		return -EPROTO;
	n = p[1];
	if (n & 0x80) {
		/* Long form; 3 length bytes already exceed any SPDM chain */
		n &= 0x7f;
		if (!n || n > 3 || avail < hdr + n)
			return -EPROTO;
		hdr += n;
		for (i = 0, n = 0; i < hdr - 2; i++)
			n = n << 8 | p[2 + i];
	}
	if (n > avail - hdr)
		return -EPROTO;
	*size = hdr + n;
	return 0;
}

static int spdm_verify_link(const struct x509_certificate *issuer,
			    const struct x509_certificate *cert)
{
	int rc;

	if (cert->unsupported_sig)
		return -ENOPKG;
	rc = public_key_verify_signature(issuer->pub, cert->sig);
	if (rc == -ENOMEM || rc == -ENOPKG)
		return rc;
	return rc ? -EKEYREJECTED : 0;
}

/*
 * Log why certificate @i of @slot's chain breaks @rule and keep the rule
 * for the caller.  The subject comes from the device: escaped.
 */
static int spdm_chain_fail(struct spdm_state *spdm, u8 slot, unsigned int i,
			   const struct x509_certificate *cert,
			   const char *rule, const char *why, int rc)
{
	const char *subject = cert && cert->subject ? cert->subject : "";

	spdm->chain_rule = rule;
	spdm_err(spdm, "slot %u: certificate %u \"%*pE\": %s (%s)\n", slot, i,
		 (int)min_t(size_t, strlen(subject), 64), subject, why, rule);
	return rc;
}

/*
 * Certificate 0 is the root, or was issued by it (DSP0274: the root may
 * be left out).  RootHash is the root's hash, so it can only be checked
 * here when certificate 0 is self-signed; otherwise whoever holds the
 * root (userspace, a policy) checks it.
 */
static int spdm_check_first(struct spdm_state *spdm, u8 slot,
			    const struct x509_certificate *cert,
			    const u8 *der, size_t size)
{
	u8 root_hash[SPDM_MAX_HASH_SIZE];

	if (!cert->self_signed)
		return 0;
	spdm_hash(spdm->base_hash, der, size, root_hash);
	if (memcmp(root_hash, spdm->chain[slot].data + SPDM_CHAIN_HDR,
		   spdm->hash_len))
		return spdm_chain_fail(spdm, slot, 0, cert, "root-hash",
				       "RootHash is not its hash", -EBADMSG);
	return 0;
}

/*
 * @issuer (certificate @i - 1 of @n) issued @cert: the checks of RFC 5280
 * 6.1.3/6.1.4 that matter for a device chain.  Without them the leaf key
 * of one device could issue a certificate for any other key.
 */
static int spdm_check_link(struct spdm_state *spdm, u8 slot, unsigned int i,
			   unsigned int n,
			   const struct x509_certificate *issuer,
			   const struct spdm_cert_ext *iext,
			   const struct x509_certificate *cert)
{
	const unsigned long *eflags = &issuer->pub->key_eflags;
	int rc;

	if (!test_bit(KEY_EFLAG_CA, eflags))
		return spdm_chain_fail(spdm, slot, i - 1, issuer, "issuer-not-ca",
				       "issues a certificate but is not a CA (basicConstraints cA)",
				       -EKEYREJECTED);
	if (iext->key_usage && !test_bit(KEY_EFLAG_KEYCERTSIGN, eflags))
		return spdm_chain_fail(spdm, slot, i - 1, issuer,
				       "issuer-no-keycertsign",
				       "issues a certificate but its keyUsage lacks keyCertSign",
				       -EKEYREJECTED);
	/* Intermediates below the issuer: certificates i .. n - 2 */
	if (iext->path_len >= 0 && n - 1 - i > iext->path_len)
		return spdm_chain_fail(spdm, slot, i - 1, issuer, "path-len",
				       "more CAs below it than its pathLenConstraint allows",
				       -EKEYREJECTED);
	if (cert->raw_issuer_size != issuer->raw_subject_size ||
	    memcmp(cert->raw_issuer, issuer->raw_subject,
		   issuer->raw_subject_size))
		return spdm_chain_fail(spdm, slot, i, cert, "name-chain",
				       "its issuer is not the subject of the certificate before it",
				       -EKEYREJECTED);
	rc = spdm_verify_link(issuer, cert);
	if (rc == -EKEYREJECTED)
		return spdm_chain_fail(spdm, slot, i, cert, "signature",
				       "not signed by the certificate before it",
				       rc);
	if (rc)
		return spdm_chain_fail(spdm, slot, i, cert, "signature",
				       "signature not checkable", rc);
	return 0;
}

/*
 * Parse @slot's chain, check its header and validate it as a certificate
 * path: each certificate issued by the one before it under the rules of
 * spdm_check_link(), no critical extension that is not understood, and a
 * leaf that may sign.  On success *@leaf is the last certificate.
 */
int spdm_verify_chain(struct spdm_state *spdm, u8 slot,
		      struct x509_certificate **leaf)
{
	const struct spdm_buf *chain = &spdm->chain[slot];
	struct x509_certificate *prev = NULL, *cert = NULL;
	size_t start = SPDM_CHAIN_HDR + spdm->hash_len, off, size;
	struct spdm_cert_ext ext, prev_ext = {};
	unsigned int i, n = 0;
	int rc;

	spdm->chain_rule = NULL;
	if (chain->len <= start ||
	    get_unaligned_le16(chain->data) != chain->len) {
		spdm_err(spdm, "slot %u: chain length field %u, chain %zu bytes\n",
			 slot, chain->len >= 2 ?
			 get_unaligned_le16(chain->data) : 0, chain->len);
		return -EPROTO;
	}

	/*
	 * Count first: pathLenConstraint needs the length of the path, and
	 * the number of certificates a device can make us parse and verify
	 * is bounded.
	 */
	for (off = start; off < chain->len; off += size) {
		rc = spdm_der_size(chain->data + off, chain->len - off, &size);
		if (rc) {
			spdm_err(spdm, "slot %u: certificate %u at %zu: not DER\n",
				 slot, n, off);
			return rc;
		}
		if (++n > SPDM_MAX_CHAIN_CERTS) {
			spdm_err(spdm, "slot %u: more than %u certificates\n",
				 slot, SPDM_MAX_CHAIN_CERTS);
			return -E2BIG;
		}
	}

	for (off = start, i = 0; i < n; i++, off += size) {
		spdm_der_size(chain->data + off, chain->len - off, &size);
		cert = x509_cert_parse(chain->data + off, size);
		if (IS_ERR(cert)) {
			rc = PTR_ERR(cert);
			cert = NULL;
			spdm_err(spdm, "slot %u: certificate %u at %zu: %d\n",
				 slot, i, off, rc);
			goto out;
		}
		rc = spdm_cert_ext_parse(cert, &ext);
		if (rc) {
			rc = spdm_chain_fail(spdm, slot, i, cert, "der",
					     "extensions do not parse", rc);
			goto out;
		}
		if (ext.unknown_critical) {
			rc = spdm_chain_fail(spdm, slot, i, cert, "critical-ext",
					     "has a critical extension not understood",
					     -EKEYREJECTED);
			goto out;
		}

		if (!prev)
			rc = spdm_check_first(spdm, slot, cert,
					      chain->data + off, size);
		else
			rc = spdm_check_link(spdm, slot, i, n, prev, &prev_ext,
					     cert);
		if (rc)
			goto out;

		x509_free_certificate(prev);
		prev = cert;
		prev_ext = ext;
		cert = NULL;
	}

	/* The leaf signs CHALLENGE_AUTH and MEASUREMENTS */
	if (prev_ext.key_usage &&
	    !test_bit(KEY_EFLAG_DIGITALSIG, &prev->pub->key_eflags)) {
		rc = spdm_chain_fail(spdm, slot, n - 1, prev,
				     "leaf-no-digitalsig",
				     "the leaf's keyUsage lacks digitalSignature",
				     -EKEYREJECTED);
		goto out;
	}
	*leaf = prev;
	return 0;

out:
	x509_free_certificate(cert);
	x509_free_certificate(prev);
	return rc;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_verify_chain);

/* Fetch @slot's chain, unless the one kept from last time has its digest */
static int spdm_fetch_chain(struct spdm_state *spdm, u8 slot)
{
	struct spdm_buf *chain = &spdm->chain[slot];
	u8 digest[SPDM_MAX_HASH_SIZE];
	size_t total = 0;
	int rc;

	/* Re-authentication: skip GET_CERTIFICATE if the digest matches */
	if (chain->len) {
		spdm_hash(spdm->base_hash, chain->data, chain->len, digest);
		if (!memcmp(digest, spdm->digests[slot], spdm->hash_len)) {
			spdm->fetched |= BIT(slot);
			return 0;
		}
		chain->len = 0;
	}

	do {
		rc = spdm_get_portion(spdm, slot, &total);
		if (rc < 0)
			goto err;
	} while (rc);

	/*
	 * Kept even if it does not match DIGESTS, to be published as the
	 * device sent it; the next authentication fetches it again then.
	 */
	spdm->fetched |= BIT(slot);
	spdm_hash(spdm->base_hash, chain->data, chain->len, digest);
	if (memcmp(digest, spdm->digests[slot], spdm->hash_len)) {
		spdm_err(spdm, "slot %u: chain does not match digest\n", slot);
		return -EBADMSG;
	}
	return 0;

err:
	/* A chain not fetched whole is not kept */
	chain->len = 0;
	return rc;
}

/**
 * spdm_get_certificates() - fetch and validate the chains to use
 * @spdm: session, after spdm_get_digests()
 *
 * Only @spdm->cfg.slot's chain is needed to authenticate: it is fetched
 * and validated, and either failing fails the authentication.  The other
 * populated slots in @spdm->cfg.slot_mask are fetched after it, for the
 * caller to publish: a chain there that does not validate is kept as the
 * device sent it, with the error in @spdm->chain_status; so is one that
 * does not match its digest (-EBADMSG).  Chains are
 * kept across authentications (and re-validated each time) so that a
 * matching digest saves GET_CERTIFICATE.
 *
 * Return: 0, or the errno of fetching any chain or of validating the one
 * in use.
 */
int spdm_get_certificates(struct spdm_state *spdm)
{
	u8 use = spdm->cfg.slot;
	unsigned long extra = spdm->slot_mask & spdm->cfg.slot_mask & ~BIT(use);
	struct x509_certificate *leaf;
	unsigned int slot;
	int rc;

	/* Chains of slots not fetched this time are stale */
	for (slot = 0; slot < SPDM_MAX_SLOTS; slot++) {
		spdm->chain_status[slot] = -ENODATA;
		if (slot != use && !(extra & BIT(slot)))
			spdm->chain[slot].len = 0;
	}

	rc = spdm_fetch_chain(spdm, use);
	if (!rc)
		rc = spdm_verify_chain(spdm, use, &leaf);
	spdm->chain_status[use] = rc;
	if (rc)
		return rc;
	spdm->leaf = leaf;

	for_each_set_bit(slot, &extra, SPDM_MAX_SLOTS) {
		rc = spdm_fetch_chain(spdm, slot);
		/*
		 * An exchange that failed leaves transcript B undefined; a
		 * chain received whole but not matching its digest does not.
		 */
		if (rc && !(spdm->fetched & BIT(slot)))
			return rc;
		if (!rc)
			rc = spdm_verify_chain(spdm, slot, &leaf);
		spdm->chain_status[slot] = rc;
		if (!rc)
			x509_free_certificate(leaf);
	}
	return 0;
}

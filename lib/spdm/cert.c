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
 * Checked here: the Length field, the root hash, that every certificate
 * parses and is signed by its predecessor, and the digest.  Whether the
 * root is trusted is not decided here.
 */

#include <linux/bitops.h>
#include <linux/unaligned.h>
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
 * Parse @slot's chain, check its header and that each certificate signs
 * the next.  On success *@leaf is the last certificate.
 */
static int spdm_verify_chain(struct spdm_state *spdm, u8 slot,
			     struct x509_certificate **leaf)
{
	const struct spdm_buf *chain = &spdm->chain[slot];
	struct x509_certificate *prev = NULL, *cert;
	size_t off = SPDM_CHAIN_HDR + spdm->hash_len, size;
	u8 root_hash[SPDM_MAX_HASH_SIZE];
	int rc;

	if (chain->len <= off ||
	    get_unaligned_le16(chain->data) != chain->len) {
		spdm_err(spdm, "slot %u: chain length field %u, chain %zu bytes\n",
			 slot, chain->len >= 2 ?
			 get_unaligned_le16(chain->data) : 0, chain->len);
		return -EPROTO;
	}

	while (off < chain->len) {
		rc = spdm_der_size(chain->data + off, chain->len - off, &size);
		if (rc)
			goto out;
		cert = x509_cert_parse(chain->data + off, size);
		if (IS_ERR(cert)) {
			rc = PTR_ERR(cert);
			spdm_err(spdm, "slot %u: certificate at %zu: %d\n",
				 slot, off, rc);
			goto out;
		}

		if (!prev) {
			spdm_hash(spdm->base_hash, chain->data + off, size,
				  root_hash);
			if (memcmp(root_hash, chain->data + SPDM_CHAIN_HDR,
				   spdm->hash_len))
				rc = -EBADMSG;
		} else {
			rc = spdm_verify_link(prev, cert);
			x509_free_certificate(prev);
		}
		prev = cert;
		if (rc) {
			spdm_err(spdm, "slot %u: certificate at %zu: %s\n",
				 slot, off, rc == -EBADMSG ?
				 "root hash mismatch" : "link does not verify");
			goto out;
		}
		off += size;
	}
	*leaf = prev;
	return 0;

out:
	if (prev)
		x509_free_certificate(prev);
	return rc;
}

static int spdm_get_chain(struct spdm_state *spdm, u8 slot)
{
	struct spdm_buf *chain = &spdm->chain[slot];
	u8 digest[SPDM_MAX_HASH_SIZE];
	struct x509_certificate *leaf;
	size_t total = 0;
	int rc;

	/* Re-authentication: skip GET_CERTIFICATE if the digest matches */
	if (chain->len) {
		spdm_hash(spdm->base_hash, chain->data, chain->len, digest);
		if (memcmp(digest, spdm->digests[slot], spdm->hash_len))
			chain->len = 0;
	}

	if (!chain->len) {
		do {
			rc = spdm_get_portion(spdm, slot, &total);
			if (rc < 0)
				goto err;
		} while (rc);

		spdm_hash(spdm->base_hash, chain->data, chain->len, digest);
		if (memcmp(digest, spdm->digests[slot], spdm->hash_len)) {
			spdm_err(spdm, "slot %u: chain does not match digest\n",
				 slot);
			rc = -EBADMSG;
			goto err;
		}
	}

	rc = spdm_verify_chain(spdm, slot, &leaf);
	if (rc)
		goto err;

	if (slot == spdm->cfg.slot)
		spdm->leaf = leaf;
	else
		x509_free_certificate(leaf);
	return 0;

err:
	/* Never keep a chain that failed: it must not be reused as cached */
	chain->len = 0;
	return rc;
}

int spdm_get_certificates(struct spdm_state *spdm)
{
	unsigned long wanted = spdm->slot_mask;
	unsigned int slot;
	int rc;

	if (spdm->cfg.slot_mask)
		wanted &= spdm->cfg.slot_mask | BIT(spdm->cfg.slot);

	for_each_set_bit(slot, &wanted, SPDM_MAX_SLOTS) {
		rc = spdm_get_chain(spdm, slot);
		if (rc)
			return rc;
	}
	/* Chains of slots not fetched this time are stale */
	for (slot = 0; slot < SPDM_MAX_SLOTS; slot++)
		if (!(wanted & BIT(slot)))
			spdm->chain[slot].len = 0;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: SPDM evidence
 *
 * Turn what an SPDM requester (lib/spdm) recorded while it authenticated a
 * device into PCI TSM evidence, so that every TSM that runs SPDM in the
 * kernel (native CMA, emulated platforms) publishes the same objects:
 *
 *  - CERT_CHAIN: every chain fetched, by slot;
 *  - VCA: GET_VERSION .. ALGORITHMS;
 *  - CHALLENGE: CHALLENGE || CHALLENGE_AUTH;
 *  - MEASUREMENTS: GET_MEASUREMENTS || MEASUREMENTS, when signed;
 *  - CHALLENGE_TRANSCRIPT, CHALLENGE_SIGNATURE: M1 as the device hashed
 *    it, signature excluded, and the CHALLENGE_AUTH signature;
 *  - MEASUREMENTS_TRANSCRIPT, MEASUREMENTS_SIGNATURE: the same for L1 and
 *    the MEASUREMENTS signature, when signed;
 *  - TRANSCRIPT, SIGNATURE: the last of those two pairs, for readers
 *    that predate them.
 *
 * So every signature made during the authentication can be verified
 * offline: the one that binds the certificate chain (CHALLENGE_AUTH,
 * over transcript B) as well as the one over the measurements.  All but
 * CERT_CHAIN carry the slot the device signed with; each CERT_CHAIN
 * carries lib/spdm's verdict on it.
 */

#include <linux/minmax.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/slab.h>
#include <linux/spdm.h>
#include <linux/string.h>

/* Add the concatenation of @parts, minus @trim bytes at the end */
static int add_cat(struct pci_tsm_evidence *ev, enum pci_tsm_object_type type,
		   u8 slot, const struct spdm_blob *parts, unsigned int n,
		   size_t trim)
{
	size_t len = 0, pos = 0;
	unsigned int i;
	u8 *buf;
	int rc;

	for (i = 0; i < n; i++)
		len += parts[i].len;
	if (WARN_ON_ONCE(trim > len))
		return -EINVAL;
	len -= trim;

	buf = kvmalloc(len ?: 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < n && pos < len; i++) {
		size_t c = min(parts[i].len, len - pos);

		memcpy(buf + pos, parts[i].data, c);
		pos += c;
	}
	rc = pci_tsm_evidence_add(ev, type, slot, buf, len);
	kvfree(buf);
	return rc;
}

static bool sig_at_end(const struct spdm_blob *rsp, const struct spdm_blob *sig)
{
	return sig->len && sig->len <= rsp->len &&
	       sig->data == rsp->data + rsp->len - sig->len;
}

/*
 * One signed exchange: its transcript, signature excluded, and signature.
 * A failed authentication may have stopped before the signature.
 */
static int add_signed(struct pci_tsm_evidence *ev,
		      enum pci_tsm_object_type transcript_type,
		      enum pci_tsm_object_type sig_type, u8 slot,
		      const struct spdm_blob *parts, unsigned int n,
		      const struct spdm_blob *sig, bool failed)
{
	int rc;

	if (failed && !sig_at_end(&parts[n - 1], sig))
		return 0;
	/* The signature is the tail of the response that carries it */
	if (WARN_ON_ONCE(!sig_at_end(&parts[n - 1], sig)))
		return -EPROTO;
	rc = add_cat(ev, transcript_type, slot, parts, n, sig->len);
	if (rc)
		return rc;
	return pci_tsm_evidence_add(ev, sig_type, slot, sig->data, sig->len);
}

static int add_spdm(struct pci_tsm_evidence *ev, const struct spdm_evidence *s,
		    bool failed)
{
	/* M1 and L1 (SPDM 1.2 and later put VCA in front of L1) */
	const struct spdm_blob m1[] = { s->vca, s->cert_transcript,
					s->challenge_req, s->challenge_rsp };
	const struct spdm_blob l1[] = { s->vca, s->meas_req, s->meas_rsp };
	unsigned int l1_skip = s->version >= SPDM_VER_12 ? 0 : 1;
	u8 slot = s->slot;
	unsigned int i;
	int rc;

	for (i = 0; i < SPDM_MAX_SLOTS; i++) {
		if (!s->cert_chain[i].len)
			continue;
		rc = pci_tsm_evidence_add_chain(ev, i, s->cert_chain[i].data,
						s->cert_chain[i].len,
						s->cert_status[i]);
		if (rc)
			return rc;
	}

	rc = pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_VCA, slot,
				  s->vca.data, s->vca.len);
	if (rc)
		return rc;

	/* A responder without CHAL_CAP signs its measurements only */
	if (s->challenge_rsp.len) {
		rc = add_cat(ev, PCI_TSM_OBJECT_TYPE_CHALLENGE, slot, m1 + 2, 2,
			     0);
		if (!rc)
			rc = add_signed(ev, PCI_TSM_OBJECT_TYPE_CHALLENGE_TRANSCRIPT,
					PCI_TSM_OBJECT_TYPE_CHALLENGE_SIGNATURE,
					slot, m1, ARRAY_SIZE(m1),
					&s->challenge_sig, failed);
		if (rc)
			return rc;
	}

	if (s->meas_rsp.len) {
		rc = add_cat(ev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS, slot, l1 + 1,
			     2, 0);
		if (!rc)
			rc = add_signed(ev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS_TRANSCRIPT,
					PCI_TSM_OBJECT_TYPE_MEASUREMENTS_SIGNATURE,
					slot, l1 + l1_skip,
					ARRAY_SIZE(l1) - l1_skip, &s->meas_sig,
					failed);
		if (!rc)
			rc = add_signed(ev, PCI_TSM_OBJECT_TYPE_TRANSCRIPT,
					PCI_TSM_OBJECT_TYPE_SIGNATURE, slot,
					l1 + l1_skip, ARRAY_SIZE(l1) - l1_skip,
					&s->meas_sig, failed);
		return rc;
	}

	/* Failed before any signed exchange: nothing more to show */
	if (failed && !s->challenge_rsp.len)
		return 0;
	return add_signed(ev, PCI_TSM_OBJECT_TYPE_TRANSCRIPT,
			  PCI_TSM_OBJECT_TYPE_SIGNATURE, slot, m1,
			  ARRAY_SIZE(m1), &s->challenge_sig, failed);
}

static struct pci_tsm_evidence *from_spdm(const struct spdm_evidence *s,
					  bool failed)
{
	struct pci_tsm_evidence_info info = {
		.spdm_version = s->version,
		.base_asym_algo = s->base_asym,
		.base_hash_algo = s->base_hash,
		.slot = s->slot,
	};
	int rc;

	struct pci_tsm_evidence *ev __free(pci_tsm_evidence_free) =
		pci_tsm_evidence_alloc(&info);
	if (!ev)
		return ERR_PTR(-ENOMEM);

	rc = add_spdm(ev, s, failed);
	if (rc)
		return ERR_PTR(rc);
	return no_free_ptr(ev);
}

/**
 * pci_tsm_evidence_from_spdm() - evidence of an SPDM authentication
 * @s: what spdm_authenticate() produced (spdm_evidence())
 *
 * Context: process context; the caller keeps @s stable (no concurrent
 * spdm_authenticate() on its session).
 * Return: a new set holding the objects listed at the top of this file, to
 * which the caller may add more (an interface report) before publishing
 * it; or an ERR_PTR(): -ENOMEM, -EPROTO if a signature is not where
 * lib/spdm documents it.
 */
struct pci_tsm_evidence *pci_tsm_evidence_from_spdm(const struct spdm_evidence *s)
{
	return from_spdm(s, false);
}
EXPORT_SYMBOL_GPL(pci_tsm_evidence_from_spdm);

/**
 * pci_tsm_evidence_from_failed_spdm() - evidence of a failed authentication
 * @s: what a failed spdm_authenticate() received (spdm_failed_evidence())
 *
 * The same objects as pci_tsm_evidence_from_spdm(), as far as @s has
 * them: a signed pair only if its response arrived, signature included.
 * Each chain carries lib/spdm's verdict on it.  Publish the result with
 * pci_tsm_evidence_publish_failed().
 *
 * Context: as pci_tsm_evidence_from_spdm().
 * Return: a new set, or an ERR_PTR(): -ENOMEM.
 */
struct pci_tsm_evidence *
pci_tsm_evidence_from_failed_spdm(const struct spdm_evidence *s)
{
	return from_spdm(s, true);
}
EXPORT_SYMBOL_GPL(pci_tsm_evidence_from_failed_spdm);

// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated platform's device authentication, the part that SEV-TIO,
 * TDX Connect or CCA firmware does on real platforms: an SPDM session
 * with an endpoint over its CMA DOE mailbox, run by lib/spdm, and the
 * evidence that session leaves for userspace.  Shared by the link TSM
 * (connect) and the devsec TSM (lock), so that the emulated platform has
 * no SPDM requester of its own.  The evidence is what
 * pci_tsm_evidence_from_spdm() makes of the session.
 */

#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/random.h>
#include <linux/spdm.h>
#include <linux/string.h>

#include "devsec.h"

static ssize_t devsec_cma_transport(void *priv, const void *req,
				    size_t req_sz, void *rsp, size_t rsp_sz)
{
	struct devsec_cma *cma = priv;

	return pci_doe(cma->mb, PCI_VENDOR_ID_PCI_SIG, PCI_DOE_FEATURE_CMA,
		       req, req_sz, rsp, rsp_sz);
}

/* A refresh binds the evidence to the nonce userspace chose */
static int devsec_cma_nonce(void *priv, u8 *nonce, size_t len)
{
	struct devsec_cma *cma = priv;

	if (len != PCI_TSM_NONCE_LEN)
		return -EINVAL;
	if (cma->nonce)
		memcpy(nonce, cma->nonce, len);
	else
		get_random_bytes(nonce, len);
	return 0;
}

/**
 * devsec_cma_init() - set up an SPDM session with an endpoint
 * @cma: session to set up
 * @pdev: the endpoint
 *
 * Return: 0, -ENODEV if @pdev has no CMA mailbox, or spdm_create()'s error.
 */
int devsec_cma_init(struct devsec_cma *cma, struct pci_dev *pdev)
{
	struct spdm_config cfg = {
		.transport = devsec_cma_transport,
		.get_nonce = devsec_cma_nonce,
		.priv = cma,
		.dev = &pdev->dev,
		.summary_hash_type = SPDM_SUMMARY_HASH_ALL,
	};

	BUILD_BUG_ON(SPDM_NONCE_SIZE != PCI_TSM_NONCE_LEN);

	mutex_init(&cma->lock);
	cma->pdev = pdev;
	cma->nonce = NULL;
	cma->mb = pci_find_doe_mailbox(pdev, PCI_VENDOR_ID_PCI_SIG,
				       PCI_DOE_FEATURE_CMA);
	if (!cma->mb)
		return -ENODEV;
	cma->spdm = spdm_create(&cfg);
	if (IS_ERR(cma->spdm)) {
		int rc = PTR_ERR(cma->spdm);

		cma->spdm = NULL;
		return rc;
	}
	return 0;
}

/**
 * devsec_cma_exit() - tear down what devsec_cma_init() set up
 * @cma: session (devsec_cma_init() may have failed on it)
 */
void devsec_cma_exit(struct devsec_cma *cma)
{
	if (cma->spdm)
		spdm_destroy(cma->spdm);
	cma->spdm = NULL;
	mutex_destroy(&cma->lock);
}

/**
 * devsec_cma_authenticate() - authenticate the endpoint
 * @cma: session, its lock held
 * @nonce: %PCI_TSM_NONCE_LEN bytes the signed requests must carry, or
 *	%NULL for random ones
 *
 * Return: 0, or spdm_authenticate()'s error.
 */
int devsec_cma_authenticate(struct devsec_cma *cma, const u8 *nonce)
{
	int rc;

	lockdep_assert_held(&cma->lock);
	cma->nonce = nonce;
	rc = spdm_authenticate(cma->spdm);
	cma->nonce = NULL;
	if (rc)
		pci_info(cma->pdev, "SPDM authentication failed: %d (SPDM error %#x)\n",
			 rc, spdm_last_error(cma->spdm));
	return rc;
}

/**
 * devsec_cma_result() - what the last authentication negotiated and signed
 * @cma: session, its lock held
 *
 * Return: lib/spdm's evidence, valid until the next authentication; %NULL
 * if the last one failed.
 */
const struct spdm_evidence *devsec_cma_result(struct devsec_cma *cma)
{
	lockdep_assert_held(&cma->lock);
	return spdm_evidence(cma->spdm);
}

/**
 * devsec_cma_exchange() - send one request in the authenticated session
 * @cma: session, its lock held
 * @req: SPDM request
 * @req_sz: size of @req
 * @rsp: response buffer
 * @rsp_sz: size of @rsp
 *
 * For the messages lib/spdm does not send itself (TDISP in
 * VENDOR_DEFINED_REQUEST).
 *
 * Return: response length, or a negative errno.
 */
ssize_t devsec_cma_exchange(struct devsec_cma *cma, const void *req,
			    size_t req_sz, void *rsp, size_t rsp_sz)
{
	lockdep_assert_held(&cma->lock);
	return devsec_cma_transport(cma, req, req_sz, rsp, rsp_sz);
}

/**
 * devsec_cma_evidence() - the evidence of the last authentication
 * @cma: session, its lock held
 *
 * Return: a new set of evidence (see pci_tsm_evidence_from_spdm()) to
 * which the caller may add more before publishing it; or an ERR_PTR():
 * -ENODATA if the last authentication failed, -ENOMEM.
 */
struct pci_tsm_evidence *devsec_cma_evidence(struct devsec_cma *cma)
{
	const struct spdm_evidence *s = devsec_cma_result(cma);

	if (!s)
		return ERR_PTR(-ENODATA);
	return pci_tsm_evidence_from_spdm(s);
}

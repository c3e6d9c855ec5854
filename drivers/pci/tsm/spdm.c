// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM over a PCI function's CMA DOE mailbox (PCIe r6.2 sec 6.31), for
 * TSMs that authenticate devices in the kernel with lib/spdm rather than
 * in platform firmware: the native CMA TSM (cma.c) and the emulated
 * platform of samples/devsec.  It binds lib/spdm to the mailbox, lets a
 * caller bind a signed exchange to a nonce of its choosing (evidence
 * refresh), and turns the result into evidence with
 * pci_tsm_evidence_from_spdm().
 */

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/pci-tsm-spdm.h>
#include <linux/random.h>
#include <linux/spdm.h>
#include <linux/string.h>
#include <kunit/visibility.h>

/*
 * How long one authentication of a function may take, DOE round trips
 * included, before it fails with -ETIMEDOUT; 0: lib/spdm's default
 * (%SPDM_DEFAULT_MAX_TIME_MS).  Read when a session is set up.
 */
VISIBLE_IF_KUNIT unsigned int pci_tsm_spdm_auth_time_ms;
EXPORT_SYMBOL_IF_KUNIT(pci_tsm_spdm_auth_time_ms);
module_param_named(auth_time_ms, pci_tsm_spdm_auth_time_ms, uint, 0644);
MODULE_PARM_DESC(auth_time_ms,
		 "Longest one SPDM authentication may take, in ms (0: 30000)");

static ssize_t pci_tsm_spdm_transport(void *priv, const void *req,
				      size_t req_sz, void *rsp, size_t rsp_sz)
{
	struct pci_tsm_spdm *s = priv;

	return pci_doe(s->mb, PCI_VENDOR_ID_PCI_SIG, PCI_DOE_FEATURE_CMA,
		       req, req_sz, rsp, rsp_sz);
}

/* A refresh binds the evidence to the nonce userspace chose */
static int pci_tsm_spdm_nonce(void *priv, u8 *nonce, size_t len)
{
	struct pci_tsm_spdm *s = priv;

	if (len != PCI_TSM_NONCE_LEN)
		return -EINVAL;
	if (s->nonce)
		memcpy(nonce, s->nonce, len);
	else
		get_random_bytes(nonce, len);
	return 0;
}

/**
 * pci_tsm_spdm_init() - set up an SPDM session with a function
 * @s: session to set up
 * @pdev: the function
 * @slot: certificate slot whose key must sign the exchanges
 *
 * Call pci_tsm_spdm_exit() on @s afterwards, also when this fails.
 *
 * Return: 0, -ENODEV if @pdev has no CMA mailbox, -EINVAL for a bad
 * @slot, or spdm_create()'s error.
 */
int pci_tsm_spdm_init(struct pci_tsm_spdm *s, struct pci_dev *pdev, u8 slot)
{
	struct spdm_config cfg = {
		.transport = pci_tsm_spdm_transport,
		.get_nonce = pci_tsm_spdm_nonce,
		.priv = s,
		.dev = &pdev->dev,
		.summary_hash_type = SPDM_SUMMARY_HASH_ALL,
		.slot = slot,
		.max_time_ms = READ_ONCE(pci_tsm_spdm_auth_time_ms),
	};

	BUILD_BUG_ON(SPDM_NONCE_SIZE != PCI_TSM_NONCE_LEN);

	mutex_init(&s->lock);
	s->pdev = pdev;
	s->nonce = NULL;
	s->spdm = NULL;
	if (slot >= SPDM_MAX_SLOTS)
		return -EINVAL;
	s->mb = pci_find_doe_mailbox(pdev, PCI_VENDOR_ID_PCI_SIG,
				     PCI_DOE_FEATURE_CMA);
	if (!s->mb)
		return -ENODEV;
	s->spdm = spdm_create(&cfg);
	if (IS_ERR(s->spdm)) {
		int rc = PTR_ERR(s->spdm);

		s->spdm = NULL;
		return rc;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(pci_tsm_spdm_init);

/**
 * pci_tsm_spdm_exit() - tear down what pci_tsm_spdm_init() set up
 * @s: session (pci_tsm_spdm_init() may have failed on it)
 */
void pci_tsm_spdm_exit(struct pci_tsm_spdm *s)
{
	if (s->spdm)
		spdm_destroy(s->spdm);
	s->spdm = NULL;
	mutex_destroy(&s->lock);
}
EXPORT_SYMBOL_GPL(pci_tsm_spdm_exit);

static int __pci_tsm_spdm_authenticate(struct pci_tsm_spdm *s,
				       const u8 *nonce, u8 slot_mask)
{
	int rc;

	lockdep_assert_held(&s->lock);
	s->nonce = nonce;
	spdm_set_slot_mask(s->spdm, slot_mask);
	rc = spdm_authenticate(s->spdm);
	s->nonce = NULL;
	if (rc)
		pci_info(s->pdev, "SPDM authentication failed: %d (SPDM error %#x)\n",
			 rc, spdm_last_error(s->spdm));
	return rc;
}

/**
 * pci_tsm_spdm_authenticate() - authenticate the function
 * @s: session, its lock held
 * @nonce: %PCI_TSM_NONCE_LEN bytes the signed requests must carry, or
 *	%NULL for random ones
 * @slot_mask: further certificate slots whose chains to fetch, for the
 *	evidence; 0 for the slot of @s only, which is all a connect needs
 *
 * Certificate chains fetched by an earlier authentication of @s are
 * reused when the function's digests still match them.  A chain of
 * @slot_mask that does not validate does not fail the authentication:
 * the evidence carries the error.  What a failed authentication received
 * is freed (spdm_release()): a device must not be able to pin up to
 * megabytes for the life of the function by failing; a connect that
 * wants to show it uses pci_tsm_spdm_connect().
 *
 * Return: 0, or spdm_authenticate()'s error.
 */
int pci_tsm_spdm_authenticate(struct pci_tsm_spdm *s, const u8 *nonce,
			      u8 slot_mask)
{
	int rc = __pci_tsm_spdm_authenticate(s, nonce, slot_mask);

	if (rc)
		spdm_release(s->spdm);
	return rc;
}
EXPORT_SYMBOL_GPL(pci_tsm_spdm_authenticate);

/**
 * pci_tsm_spdm_connect() - authenticate the function for a connect
 * @s: session, its lock held
 * @tsm_dev: the TSM that connects
 *
 * As pci_tsm_spdm_authenticate() with a random nonce and the slot of @s
 * only, but a failure is shown to userspace first: the chains and
 * exchanges the function sent become its evidence, marked with the
 * errno (see pci_tsm_evidence_publish_failed()), and only then are they
 * freed.  Nothing is published if the function sent nothing worth
 * showing or memory runs out: the connect fails with the errno either
 * way.
 *
 * Return: 0, or spdm_authenticate()'s error.
 */
int pci_tsm_spdm_connect(struct pci_tsm_spdm *s, struct tsm_dev *tsm_dev)
{
	const struct spdm_evidence *fe;
	struct pci_tsm_evidence *ev;
	int rc;

	rc = __pci_tsm_spdm_authenticate(s, NULL, 0);
	if (!rc)
		return 0;

	fe = spdm_failed_evidence(s->spdm);
	if (fe) {
		ev = pci_tsm_evidence_from_failed_spdm(fe);
		if (!IS_ERR(ev))
			pci_tsm_evidence_publish_failed(s->pdev, tsm_dev, ev,
							rc);
	}
	/* Published as a copy: the session's buffers can go */
	spdm_release(s->spdm);
	return rc;
}
EXPORT_SYMBOL_GPL(pci_tsm_spdm_connect);

/**
 * pci_tsm_spdm_result() - what the last authentication negotiated and signed
 * @s: session, its lock held
 *
 * Return: lib/spdm's evidence, valid until the next authentication; %NULL
 * if the last one failed.
 */
const struct spdm_evidence *pci_tsm_spdm_result(struct pci_tsm_spdm *s)
{
	lockdep_assert_held(&s->lock);
	return spdm_evidence(s->spdm);
}
EXPORT_SYMBOL_GPL(pci_tsm_spdm_result);

/**
 * pci_tsm_spdm_exchange() - send one request in the authenticated session
 * @s: session, its lock held
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
ssize_t pci_tsm_spdm_exchange(struct pci_tsm_spdm *s, const void *req,
			      size_t req_sz, void *rsp, size_t rsp_sz)
{
	lockdep_assert_held(&s->lock);
	return pci_tsm_spdm_transport(s, req, req_sz, rsp, rsp_sz);
}
EXPORT_SYMBOL_GPL(pci_tsm_spdm_exchange);

/**
 * pci_tsm_spdm_evidence() - the evidence of the last authentication
 * @s: session, its lock held
 *
 * Return: a new set of evidence (see pci_tsm_evidence_from_spdm()) to
 * which the caller may add more before publishing it; or an ERR_PTR():
 * -ENODATA if the last authentication failed, -ENOMEM.
 */
struct pci_tsm_evidence *pci_tsm_spdm_evidence(struct pci_tsm_spdm *s)
{
	const struct spdm_evidence *ev = pci_tsm_spdm_result(s);

	if (!ev)
		return ERR_PTR(-ENODATA);
	return pci_tsm_evidence_from_spdm(ev);
}
EXPORT_SYMBOL_GPL(pci_tsm_spdm_evidence);

MODULE_DESCRIPTION("SPDM over PCI DOE for in-kernel PCI TSMs");
MODULE_LICENSE("GPL");

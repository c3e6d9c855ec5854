// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated platform link TSM: the host side, the role SEV-TIO, TDX
 * Connect or CCA play.  "connect" authenticates the endpoint over its DOE
 * mailbox (drivers/pci/tsm/spdm.c, with lib/spdm) as platform firmware
 * would and publishes the evidence; "disconnect" drops the session.  There is no IDE to set
 * up: the emulated link has no stream to encrypt.  Only endpoints of the
 * emulated platform are handled; probe declines every other device.
 */

#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/slab.h>
#include <linux/tsm.h>

#include "devsec.h"

/**
 * struct devsec_link - link context of one connected endpoint
 * @pf0: core context; its lock serialises connect, disconnect and refresh
 * @cma: SPDM session with the endpoint
 */
struct devsec_link {
	struct pci_tsm_pf0 pf0;
	struct pci_tsm_spdm cma;
};

static struct devsec_link *to_devsec_link(struct pci_tsm *tsm)
{
	return container_of(tsm, struct devsec_link, pf0.base_tsm);
}

static struct pci_tsm *devsec_link_probe(struct tsm_dev *tsm_dev,
					 struct pci_dev *pdev)
{
	struct devsec_bridge *br = devsec_bridge_from_dev(tsm_dev->dev.parent);
	int rc;

	if (!br)
		return NULL;

	/* Another function of an endpoint, managed by function 0's DSM */
	if (!is_pci_tsm_pf0(pdev)) {
		struct pci_dev *fn0 __free(pci_dev_put) =
			pci_get_slot(pdev->bus, PCI_DEVFN(PCI_SLOT(pdev->devfn), 0));

		if (!fn0 || !devsec_ep_of(br, fn0))
			return NULL;

		struct pci_tsm *tsm __free(kfree) = kzalloc_obj(*tsm);
		if (!tsm || pci_tsm_link_constructor(pdev, tsm, tsm_dev))
			return NULL;
		return no_free_ptr(tsm);
	}

	if (!devsec_ep_of(br, pdev))
		return NULL;

	struct devsec_link *link __free(kfree) = kzalloc_obj(*link);
	if (!link)
		return NULL;

	rc = pci_tsm_pf0_constructor(pdev, &link->pf0, tsm_dev);
	if (rc)
		return NULL;
	rc = pci_tsm_spdm_init(&link->cma, pdev, 0);
	if (rc) {
		pci_tsm_spdm_exit(&link->cma);
		pci_tsm_pf0_destructor(&link->pf0);
		return NULL;
	}
	return &no_free_ptr(link)->pf0.base_tsm;
}

static void devsec_link_remove(struct pci_tsm *tsm)
{
	struct devsec_link *link;

	if (tsm->dsm_dev != tsm->pdev) {
		kfree(tsm);
		return;
	}
	link = to_devsec_link(tsm);

	pci_tsm_spdm_exit(&link->cma);
	pci_tsm_pf0_destructor(&link->pf0);
	kfree(link);
}

/*
 * Publish the evidence of the authentication that just passed; with a
 * @policy, only if the device matches it: evidence of a replaced device
 * must not replace what userspace checked.
 */
static int devsec_link_publish(struct pci_dev *pdev,
			       const struct pci_tsm_policy *policy)
{
	struct devsec_link *link = to_devsec_link(pdev->tsm);
	struct pci_tsm_evidence *ev;
	int rc;

	if (policy) {
		rc = pci_tsm_policy_check_spdm(policy,
					       pci_tsm_spdm_result(&link->cma));
		if (rc)
			return rc;
	}
	ev = pci_tsm_spdm_evidence(&link->cma);
	if (IS_ERR(ev))
		return PTR_ERR(ev);
	if (!pci_tsm_evidence_publish(pdev, link->pf0.base_tsm.tsm_dev, ev))
		return -ENOMEM;
	return 0;
}

/* Authenticate with @nonce, if given, fetching the chains of @slot_mask */
static int devsec_link_authenticate(struct pci_dev *pdev, const u8 *nonce,
				    const struct pci_tsm_policy *policy,
				    u8 slot_mask)
{
	struct devsec_link *link = to_devsec_link(pdev->tsm);
	int rc;

	guard(mutex)(&link->cma.lock);
	rc = pci_tsm_spdm_authenticate(&link->cma, nonce, slot_mask);
	if (rc)
		return rc;
	return devsec_link_publish(pdev, policy);
}

static int devsec_link_connect(struct pci_dev *pdev)
{
	struct devsec_link *link = to_devsec_link(pdev->tsm);
	int rc;

	guard(mutex)(&link->cma.lock);
	/* A refused device's evidence is published, to show why */
	rc = pci_tsm_spdm_connect(&link->cma, link->pf0.base_tsm.tsm_dev);
	if (rc)
		return rc;
	return devsec_link_publish(pdev, NULL);
}

static void devsec_link_disconnect(struct pci_dev *pdev)
{
	/* The core removes the evidence with the context; no link state */
	pci_dbg(pdev, "disconnected\n");
}

static int devsec_link_refresh(struct pci_dev *pdev, const u8 *nonce,
			       u8 slot_mask)
{
	struct devsec_link *link = to_devsec_link(pdev->tsm);

	/* Refresh runs under pci_tsm_rwsem held for read only */
	guard(mutex)(&link->pf0.lock);
	return devsec_link_authenticate(pdev, nonce, NULL, slot_mask);
}

/*
 * The emulated link has no IDE stream to re-key: a fresh, matching SPDM
 * authentication is all there is to re-establish.
 */
static int devsec_link_revalidate(struct pci_dev *pdev,
				  const struct pci_tsm_policy *policy,
				  const u8 *nonce)
{
	struct devsec_link *link = to_devsec_link(pdev->tsm);

	guard(mutex)(&link->pf0.lock);
	/* The policy may pin other slots than the one that signs */
	return devsec_link_authenticate(pdev, nonce, policy,
					policy ? policy->slot_mask : 0);
}

static struct pci_tsm_ops devsec_link_ops = {
	.link_ops = {
		.probe = devsec_link_probe,
		.remove = devsec_link_remove,
		.connect = devsec_link_connect,
		.disconnect = devsec_link_disconnect,
	},
	.refresh = devsec_link_refresh,
	.revalidate = devsec_link_revalidate,
};

/**
 * devsec_link_tsm_add() - register the platform's link TSM
 * @br: the emulated platform, drvdata of its platform device already
 *
 * Return: 0 or tsm_register()'s error.
 */
int devsec_link_tsm_add(struct devsec_bridge *br)
{
	struct tsm_dev *tsm_dev = tsm_register(br->dev, &devsec_link_ops);

	if (IS_ERR(tsm_dev))
		return PTR_ERR(tsm_dev);
	br->link_tsm = tsm_dev;
	return 0;
}

/**
 * devsec_link_tsm_del() - unregister the link TSM, disconnecting endpoints
 * @br: the emulated platform
 */
void devsec_link_tsm_del(struct devsec_bridge *br)
{
	if (br->link_tsm)
		tsm_unregister(br->link_tsm);
	br->link_tsm = NULL;
}

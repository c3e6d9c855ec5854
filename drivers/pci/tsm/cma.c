// SPDX-License-Identifier: GPL-2.0
/*
 * Native PCIe Component Measurement and Authentication (CMA): the kernel
 * itself as a link TSM.  "connect" authenticates a function over its CMA
 * DOE mailbox (PCIe r6.2 sec 6.31) with the kernel's SPDM requester and
 * publishes the evidence to the pci-tsm netlink family, exactly as a
 * platform TSM does after it authenticated the device in firmware;
 * "disconnect" forgets the evidence.  There is no IDE and no TDISP here:
 * only authentication, for any PCIe function 0 with a CMA mailbox.
 *
 * A function held by another TSM (a platform link TSM's connect, a devsec
 * TSM's lock) cannot be connected here and vice versa: the core refuses a
 * second context on a function with -EBUSY.
 *
 * Userspace may choose the certificate slot whose key must sign:
 * "tsmN slot=S" written to tsm/connect.  Slot 0 otherwise.
 *
 * The SPDM session of a function outlives its connection: lib/spdm keeps
 * the certificate chains it fetched and reuses them on the next connect
 * when the digests the device reports still match, which spares most of
 * the DOE traffic of a re-connect; there is one per slot asked for.
 * Sessions are dropped when their function goes away and when this module
 * is unloaded.
 */

#include <linux/bits.h>
#include <linux/device/faux.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/pci-tsm-spdm.h>
#include <linux/slab.h>
#include <linux/tsm.h>

/**
 * struct cma_session - SPDM session with one function, kept across connects
 * @node: entry in cma_sessions
 * @pdev: the function (not referenced: dropped at BUS_NOTIFY_DEL_DEVICE)
 * @slot: certificate slot the session authenticates with
 * @spdm: the session; its lock serialises authentications
 */
struct cma_session {
	struct list_head node;
	struct pci_dev *pdev;
	u8 slot;
	struct pci_tsm_spdm spdm;
};

/* Sessions by function; the mutex protects the list, not the sessions */
static LIST_HEAD(cma_sessions);
static DEFINE_MUTEX(cma_sessions_lock);

static struct tsm_dev *cma_tsm;

/**
 * struct cma_link - link context of one connected function
 * @pf0: core context; its lock serialises connect, disconnect and refresh
 * @sess: the function's SPDM session for the slot connect asked for, set
 *	  by connect
 */
struct cma_link {
	struct pci_tsm_pf0 pf0;
	struct cma_session *sess;
};

static struct cma_link *to_cma_link(struct pci_tsm *tsm)
{
	return container_of(tsm, struct cma_link, pf0.base_tsm);
}

static void cma_session_free(struct cma_session *sess)
{
	pci_tsm_spdm_exit(&sess->spdm);
	kfree(sess);
}

/* The session of @pdev with @slot, created on first use */
static struct cma_session *cma_session_get(struct pci_dev *pdev, u8 slot)
{
	struct cma_session *sess;
	int rc;

	guard(mutex)(&cma_sessions_lock);
	list_for_each_entry(sess, &cma_sessions, node)
		if (sess->pdev == pdev && sess->slot == slot)
			return sess;

	sess = kzalloc_obj(*sess);
	if (!sess)
		return ERR_PTR(-ENOMEM);
	rc = pci_tsm_spdm_init(&sess->spdm, pdev, slot);
	if (rc) {
		cma_session_free(sess);
		return ERR_PTR(rc);
	}
	sess->pdev = pdev;
	sess->slot = slot;
	list_add(&sess->node, &cma_sessions);
	return sess;
}

/*
 * Drop the session of a function that goes away.  Its connection, if
 * any, is gone already: pci_destroy_dev() runs pci_tsm_destroy() before
 * device_del(), and the DOE mailbox the session uses is only freed after.
 */
static int cma_bus_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	struct cma_session *sess, *next;
	LIST_HEAD(gone);

	if (action != BUS_NOTIFY_DEL_DEVICE)
		return NOTIFY_DONE;

	scoped_guard(mutex, &cma_sessions_lock) {
		list_for_each_entry_safe(sess, next, &cma_sessions, node)
			if (sess->pdev == pdev)
				list_move(&sess->node, &gone);
	}
	list_for_each_entry_safe(sess, next, &gone, node)
		cma_session_free(sess);
	return NOTIFY_OK;
}

static struct notifier_block cma_bus_nb = {
	.notifier_call = cma_bus_notify,
};

static struct pci_tsm *cma_probe(struct tsm_dev *tsm_dev, struct pci_dev *pdev)
{
	int rc;

	if (!is_pci_tsm_pf0(pdev) && !pci_tsm_cma_capable(pdev))
		return NULL;

	struct cma_link *link __free(kfree) = kzalloc_obj(*link);
	if (!link)
		return NULL;

	/* Finds the CMA mailbox, fails without one */
	rc = pci_tsm_pf0_constructor(pdev, &link->pf0, tsm_dev);
	if (rc)
		return NULL;
	return &no_free_ptr(link)->pf0.base_tsm;
}

static void cma_remove(struct pci_tsm *tsm)
{
	struct cma_link *link = to_cma_link(tsm);

	pci_tsm_pf0_destructor(&link->pf0);
	kfree(link);
}

/*
 * Publish the evidence of the authentication that just passed.  With a
 * @policy (revalidation), the result must match it first: evidence of a
 * device that does not must not replace what userspace checked.
 */
static int cma_publish(struct pci_dev *pdev, struct pci_tsm_spdm *s,
		       const struct pci_tsm_policy *policy)
{
	struct cma_link *link = to_cma_link(pdev->tsm);
	struct pci_tsm_evidence *ev;
	int rc;

	if (policy) {
		rc = pci_tsm_policy_check_spdm(policy, pci_tsm_spdm_result(s));
		if (rc)
			return rc;
	}
	ev = pci_tsm_spdm_evidence(s);
	if (IS_ERR(ev))
		return PTR_ERR(ev);
	if (!pci_tsm_evidence_publish(pdev, link->pf0.base_tsm.tsm_dev, ev))
		return -ENOMEM;
	return 0;
}

/* Authenticate with @nonce, if given, fetching the chains of @slot_mask too */
static int cma_authenticate(struct pci_dev *pdev, const u8 *nonce,
			    const struct pci_tsm_policy *policy, u8 slot_mask)
{
	struct pci_tsm_spdm *s = &to_cma_link(pdev->tsm)->sess->spdm;
	int rc;

	guard(mutex)(&s->lock);
	rc = pci_tsm_spdm_authenticate(s, nonce, slot_mask);
	if (rc)
		return rc;
	return cma_publish(pdev, s, policy);
}

static int cma_connect(struct pci_dev *pdev)
{
	struct cma_link *link = to_cma_link(pdev->tsm);
	struct cma_session *sess;
	int rc;

	/* The core has set the slot userspace asked for ("tsmN slot=S") */
	sess = cma_session_get(pdev, link->pf0.slot);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	link->sess = sess;

	guard(mutex)(&sess->spdm.lock);
	/* A refused device's evidence is published, to show why */
	rc = pci_tsm_spdm_connect(&sess->spdm, link->pf0.base_tsm.tsm_dev);
	if (rc)
		return rc;
	return cma_publish(pdev, &sess->spdm, NULL);
}

static void cma_disconnect(struct pci_dev *pdev)
{
	/*
	 * The core drops the evidence with the context.  The session stays,
	 * with its certificate chains, for the next connect.
	 */
	pci_dbg(pdev, "CMA: disconnected\n");
}

static int cma_refresh(struct pci_dev *pdev, const u8 *nonce, u8 slot_mask)
{
	struct cma_link *link = to_cma_link(pdev->tsm);

	/* Refresh runs under pci_tsm_rwsem held for read only */
	guard(mutex)(&link->pf0.lock);
	return cma_authenticate(pdev, nonce, NULL, slot_mask);
}

/*
 * After a reset, an error recovery or a resume: authenticate again with
 * the kernel's nonce over the same session.  lib/spdm reuses the cached
 * chain only if the device still reports its digest, so a device that
 * now presents another chain is read in full and fails the policy.
 * Native CMA sets up no link state (no IDE): nothing else to restore.
 */
static int cma_revalidate(struct pci_dev *pdev,
			  const struct pci_tsm_policy *policy, const u8 *nonce)
{
	struct cma_link *link = to_cma_link(pdev->tsm);

	guard(mutex)(&link->pf0.lock);
	/* The policy may pin other slots than the one that signs */
	return cma_authenticate(pdev, nonce, policy,
				policy ? policy->slot_mask : 0);
}

static struct pci_tsm_ops cma_ops = {
	.link_ops = {
		.probe = cma_probe,
		.remove = cma_remove,
		.connect = cma_connect,
		.disconnect = cma_disconnect,
	},
	.refresh = cma_refresh,
	.revalidate = cma_revalidate,
	.cert_slots = GENMASK(PCI_TSM_CERT_SLOTS - 1, 0),
	/* Authentication is all it does: no IDE or TDISP needed */
	.cma = true,
};

static struct faux_device *cma_faux;

static int __init cma_init(void)
{
	int rc;

	rc = bus_register_notifier(&pci_bus_type, &cma_bus_nb);
	if (rc)
		return rc;

	/* A TSM needs a parent device; the kernel has no platform one here */
	cma_faux = faux_device_create("pci-cma", NULL, NULL);
	if (!cma_faux) {
		rc = -ENOMEM;
		goto err_notifier;
	}
	cma_tsm = tsm_register(&cma_faux->dev, &cma_ops);
	if (IS_ERR(cma_tsm)) {
		rc = PTR_ERR(cma_tsm);
		goto err_faux;
	}
	return 0;

err_faux:
	faux_device_destroy(cma_faux);
err_notifier:
	bus_unregister_notifier(&pci_bus_type, &cma_bus_nb);
	return rc;
}
module_init(cma_init);

static void __exit cma_exit(void)
{
	struct cma_session *sess, *next;

	/* Disconnects every function first: no link uses a session after */
	tsm_unregister(cma_tsm);
	faux_device_destroy(cma_faux);
	bus_unregister_notifier(&pci_bus_type, &cma_bus_nb);
	list_for_each_entry_safe(sess, next, &cma_sessions, node) {
		list_del(&sess->node);
		cma_session_free(sess);
	}
}
module_exit(cma_exit);

MODULE_DESCRIPTION("Native PCIe CMA: device authentication by the kernel");
MODULE_LICENSE("GPL");

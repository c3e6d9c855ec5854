// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: PCI TSM revalidation on recovery
 *
 * A function reset (FLR, PM or bus reset through pci_reset_function() and
 * friends), a slot or secondary bus reset, an AER/DPC recovery and a
 * resume from a state that loses device context may each leave a device
 * without the SPDM session or TDISP state its TSM set up, or hide that it
 * was replaced. The PCI core reports each of these with one call,
 * pci_tsm_recover(), and this file applies the device's policy (policy.c):
 *
 *  - no policy, devsec TSM: the function falls out of the TCB, its state
 *    becomes ERROR and only unlock leaves it (then lock and accept);
 *  - no policy, link TSM: the device keeps operating, unchecked, as the
 *    native CMA default asks;
 *  - fatal: out of the TCB (devsec: ERROR; link: disconnected);
 *  - signature / measurements: pci_tsm_ops::revalidate() re-authenticates
 *    the device with a fresh kernel-chosen nonce and checks it against the
 *    policy; a devsec function that passes is locked again and, if it was
 *    running, started again. Failing means out of the TCB as for fatal.
 *
 * Each outcome bumps the device's evidence generation, is recorded for
 * policy-get, announced as a revalidate event on the pci-tsm "events"
 * multicast group (with the result) and as a KOBJ_CHANGE uevent with
 * PCI_TSM_REVALIDATE=<result>.
 *
 * What runs where: pci_tsm_recover() runs in the recovery path itself,
 * with the device lock held by reset callers, in an error handler walk,
 * or in a noirq resume callback. It does not touch the device and takes
 * no TSM lock there: it bumps the generation (lock-free, so that a
 * tsm/accept of the pre-recovery evidence fails from now on) and queues
 * the revalidation. That work allocates with GFP_NOIO since the device
 * being reset may back the filesystem that reclaim would write to.
 *
 * The revalidation itself runs from a freezable ordered workqueue, in
 * process context with no PCI lock held, under pci_tsm_rwsem for write
 * like every other change of TSM state, and in a memalloc_noio scope for
 * the same reason as above. Deferring it keeps SPDM exchanges, which take
 * DOE round trips and signature checks, out of reset and error recovery
 * callers (which may hold device locks of a whole hierarchy) and out of
 * resume, where the DOE mailbox's parents may not be resumed yet.
 * Freezable: work queued during resume runs once the system has resumed,
 * and suspend waits for a revalidation in flight. Ordered: two recovery
 * events of one device are handled in order, the later one seeing what
 * the earlier one left.
 *
 * The bound driver, if any, is not unbound: the core cannot know whether
 * the device backs the root filesystem, and forcing an unbind from the
 * recovery path could deadlock with the reset's caller. A devsec function
 * in ERROR is refused T=1 traffic by the device and the TSM, a
 * disconnected link loses its TDIs; userspace, told by the event and the
 * uevent, decides whether to unbind the driver.
 */

#define dev_fmt(fmt) "PCI/TSM: " fmt

#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/suspend.h>
#include <linux/workqueue.h>

#include "../pci.h"
#include "tsm.h"

static const char *const pci_tsm_revalidate_names[] = {
	[PCI_TSM_REVALIDATE_RESULT_PASS] = "pass",
	[PCI_TSM_REVALIDATE_RESULT_KEPT] = "kept",
	[PCI_TSM_REVALIDATE_RESULT_DROPPED] = "dropped",
	[PCI_TSM_REVALIDATE_RESULT_FATAL] = "fatal",
	[PCI_TSM_REVALIDATE_RESULT_AUTH_FAILED] = "auth-failed",
	[PCI_TSM_REVALIDATE_RESULT_IDENTITY_MISMATCH] = "identity-mismatch",
	[PCI_TSM_REVALIDATE_RESULT_MEASUREMENT_MISMATCH] = "measurement-mismatch",
};

static struct workqueue_struct *pci_tsm_reval_wq;

struct pci_tsm_reval_work {
	struct work_struct work;
	struct pci_dev *pdev;
};

/* Map what pci_tsm_ops::revalidate() returned to a result */
static enum pci_tsm_revalidate_result reval_result(int rc)
{
	switch (rc) {
	case 0:
		return PCI_TSM_REVALIDATE_RESULT_PASS;
	case -EKEYREVOKED:
		return PCI_TSM_REVALIDATE_RESULT_IDENTITY_MISMATCH;
	case -EBADE:
		return PCI_TSM_REVALIDATE_RESULT_MEASUREMENT_MISMATCH;
	default:
		return PCI_TSM_REVALIDATE_RESULT_AUTH_FAILED;
	}
}

static struct pci_tsm_devsec *to_devsec(struct pci_tsm *tsm)
{
	return container_of(tsm, struct pci_tsm_devsec, base_tsm);
}

/*
 * Apply the policy of @pdev. Returns the result; *@err is the errno
 * behind an auth-failed one.
 */
static enum pci_tsm_revalidate_result
__pci_tsm_revalidate(struct pci_dev *pdev, int *err)
{
	struct tsm_dev *tsm_dev = pdev->tsm->tsm_dev;
	const struct pci_tsm_ops *ops = tsm_dev->pci_ops;
	bool devsec = is_devsec_tsm(tsm_dev);
	const struct pci_tsm_policy *policy;
	enum pci_tsm_devsec_state prev = PCI_TSM_DEVSEC_UNLOCKED;
	u8 nonce[PCI_TSM_NONCE_LEN];
	int rc;

	lockdep_assert_held_write(&pci_tsm_rwsem);

	*err = 0;
	policy = pci_tsm_policy_get(pdev);
	if (!policy)
		return devsec ? PCI_TSM_REVALIDATE_RESULT_DROPPED :
				PCI_TSM_REVALIDATE_RESULT_KEPT;
	if (policy->mode == PCI_TSM_REVALIDATE_MODE_FATAL)
		return PCI_TSM_REVALIDATE_RESULT_FATAL;
	if (!ops->revalidate) {
		*err = -EOPNOTSUPP;
		return PCI_TSM_REVALIDATE_RESULT_AUTH_FAILED;
	}

	if (devsec) {
		prev = to_devsec(pdev->tsm)->state;
		/* An interface already in ERROR stays there until unlock */
		if (prev == PCI_TSM_DEVSEC_ERROR) {
			*err = -EIO;
			return PCI_TSM_REVALIDATE_RESULT_AUTH_FAILED;
		}
	}

	get_random_bytes(nonce, sizeof(nonce));
	rc = ops->revalidate(pdev, policy, nonce);
	if (!rc && devsec && prev == PCI_TSM_DEVSEC_RUN) {
		/* revalidate() locked it again; back to where it was */
		to_devsec(pdev->tsm)->state = PCI_TSM_DEVSEC_LOCKED;
		rc = ops->devsec_ops.accept ? ops->devsec_ops.accept(pdev->tsm) :
					      -EOPNOTSUPP;
	}
	if (reval_result(rc) == PCI_TSM_REVALIDATE_RESULT_AUTH_FAILED)
		*err = rc;
	if (!rc && devsec)
		to_devsec(pdev->tsm)->state = prev;
	return reval_result(rc);
}

/* Take @pdev out of the TCB after a failed (or fatal) revalidation */
static void pci_tsm_reval_drop(struct pci_dev *pdev)
{
	lockdep_assert_held_write(&pci_tsm_rwsem);

	if (is_devsec_tsm(pdev->tsm->tsm_dev))
		to_devsec(pdev->tsm)->state = PCI_TSM_DEVSEC_ERROR;
	else
		pci_tsm_link_drop(pdev);
}

static void pci_tsm_reval_announce(struct pci_dev *pdev,
				   enum pci_tsm_revalidate_result result,
				   int err)
{
	char res_env[48], err_env[32];
	char *envp[3];

	snprintf(res_env, sizeof(res_env), "PCI_TSM_REVALIDATE=%s",
		 pci_tsm_revalidate_names[result]);
	snprintf(err_env, sizeof(err_env), "PCI_TSM_ERROR=%d", -err);
	envp[0] = res_env;
	envp[1] = err_env;
	envp[2] = NULL;
	pci_tsm_revalidate_event(pdev, result);
	kobject_uevent_env(&pdev->dev.kobj, KOBJ_CHANGE, envp);
}

static void pci_tsm_reval_workfn(struct work_struct *work)
{
	struct pci_tsm_reval_work *w =
		container_of(work, struct pci_tsm_reval_work, work);
	enum pci_tsm_revalidate_result result;
	struct pci_dev *pdev = w->pdev;
	unsigned int noio;
	ktime_t start;
	int err = 0;
	s64 us;

	noio = memalloc_noio_save();
	scoped_guard(rwsem_write, &pci_tsm_rwsem) {
		/* Disconnected, unlocked or removed meanwhile: nothing to do */
		if (!pdev->tsm || test_bit(PCI_DEV_REMOVED, &pdev->priv_flags))
			break;
		/* Functions of a link DSM follow their DSM (function 0) */
		if (is_link_tsm(pdev->tsm->tsm_dev) && pdev->tsm->dsm_dev != pdev)
			break;

		start = ktime_get();
		result = __pci_tsm_revalidate(pdev, &err);
		us = ktime_us_delta(ktime_get(), start);
		switch (result) {
		case PCI_TSM_REVALIDATE_RESULT_PASS:
			pci_info(pdev, "revalidation: pass in %lld us\n", us);
			break;
		case PCI_TSM_REVALIDATE_RESULT_KEPT:
			pci_info(pdev, "revalidation: kept (no policy, unchecked) in %lld us\n",
				 us);
			break;
		default:
			if (err)
				pci_warn(pdev, "revalidation: %s (%pe) in %lld us, out of the TCB\n",
					 pci_tsm_revalidate_names[result],
					 ERR_PTR(err), us);
			else
				pci_warn(pdev, "revalidation: %s in %lld us, out of the TCB\n",
					 pci_tsm_revalidate_names[result], us);
			pci_tsm_reval_drop(pdev);
			break;
		}
		pci_tsm_generation_bump(pdev);
		pci_tsm_policy_record(pdev, result, err);
		pci_tsm_reval_announce(pdev, result, err);
	}
	memalloc_noio_restore(noio);
	pci_dev_put(pdev);
	kfree(w);
}

/**
 * pci_tsm_recover() - a device may have lost its security state
 * @pdev: device that was reset, recovered or resumed
 *
 * Called by the PCI core after a function, slot or bus reset, an AER/DPC
 * recovery and a resume that may have lost device state. Queues the
 * revalidation of @pdev if a TSM holds it.
 *
 * Context: any process context, including with device locks held and in
 * noirq resume callbacks; does not sleep on TSM locks or touch @pdev.
 */
void pci_tsm_recover(struct pci_dev *pdev)
{
	struct pci_tsm_reval_work *w;

	/*
	 * Unlocked peek: a TSM that connects or locks concurrently
	 * authenticates the device after the recovery anyway.
	 */
	if (!READ_ONCE(pdev->tsm) || !pci_tsm_reval_wq)
		return;

	/* The evidence userspace may be about to accept is stale now */
	pci_tsm_generation_bump(pdev);

	w = kzalloc_obj(*w, GFP_NOIO);
	if (!w) {
		pci_err(pdev, "cannot queue revalidation after recovery\n");
		return;
	}
	INIT_WORK(&w->work, pci_tsm_reval_workfn);
	w->pdev = pci_dev_get(pdev);
	queue_work(pci_tsm_reval_wq, &w->work);
}

/**
 * pci_tsm_revalidate_flush() - wait for every revalidation queued so far
 *
 * For tests, which reset a device and then check what its revalidation
 * did.
 *
 * Context: process context, no TSM lock held (the work takes them).
 */
void pci_tsm_revalidate_flush(void)
{
	if (pci_tsm_reval_wq)
		flush_workqueue(pci_tsm_reval_wq);
}

/**
 * pci_tsm_recover_walk() - pci_tsm_recover() as a pci_walk_bus() callback
 * @pdev: device
 * @data: unused
 *
 * Return: 0, to continue the walk.
 */
int pci_tsm_recover_walk(struct pci_dev *pdev, void *data)
{
	pci_tsm_recover(pdev);
	return 0;
}

/**
 * pci_tsm_resume() - a device was brought back to D0
 * @pdev: device
 * @prev: power state it was in
 *
 * Device context survives D1 and D2; it is lost in D3cold and, unless the
 * function sets No_Soft_Reset, in D3hot (treated as lost: the core does
 * not keep that bit). Across system sleep the platform may have removed
 * power without the kernel knowing: revalidate then too.
 */
void pci_tsm_resume(struct pci_dev *pdev, pci_power_t prev)
{
	if (prev == PCI_D3cold || prev == PCI_UNKNOWN || prev == PCI_D3hot ||
	    pm_sleep_transition_in_progress())
		pci_tsm_recover(pdev);
}

static int __init pci_tsm_revalidate_init(void)
{
	pci_tsm_reval_wq = alloc_ordered_workqueue("pci_tsm_reval",
						   WQ_FREEZABLE);
	return pci_tsm_reval_wq ? 0 : -ENOMEM;
}
subsys_initcall(pci_tsm_revalidate_init);

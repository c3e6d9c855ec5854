// SPDX-License-Identifier: GPL-2.0
/*
 * PCI TSM device security ("devsec") flow: the confidential VM (TVM) side
 * of TDISP, where a devsec TSM (the guest's interface to the platform TSM)
 * locks the configuration of a function's interface, the TVM collects and
 * checks the evidence, and accepts the interface into its TCB.
 *
 * Per function state, kept in 'struct pci_tsm_devsec' while a devsec TSM
 * holds the function (pdev->tsm), UNLOCKED otherwise:
 *
 *   UNLOCKED --lock--> LOCKED --accept--> RUN
 *                        |                 |
 *                        +----> ERROR <----+   (reported by the TSM)
 *
 *   unlock: any state --> UNLOCKED (a no-op from UNLOCKED)
 *
 * Rules:
 * - State only changes while no driver is bound to the function (-EBUSY):
 *   a driver must never see its device leave or enter the TCB under it.
 *   The device lock is held across the change so no driver can bind
 *   meanwhile.
 * - accept only from LOCKED; accept of a RUN function succeeds without
 *   calling the TSM again. accept may name the evidence generation that
 *   userspace checked, and fails with -ESTALE if it moved on.
 * - TSM departure and device removal unlock the function
 *   (pci_tsm_devsec_destroy()).
 *
 * Locking: device_lock() of the function, then pci_tsm_rwsem for write
 * around every transition; pci_tsm_rwsem for read to report state.
 */

#define dev_fmt(fmt) "PCI/TSM: " fmt

#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/tsm.h>

#include "../pci.h"
#include "tsm.h"

static const char *const pci_tsm_devsec_state_names[] = {
	[PCI_TSM_DEVSEC_UNLOCKED] = "unlocked",
	[PCI_TSM_DEVSEC_LOCKED] = "locked",
	[PCI_TSM_DEVSEC_RUN] = "run",
	[PCI_TSM_DEVSEC_ERROR] = "error",
};

static struct pci_tsm_devsec *to_pci_tsm_devsec(struct pci_tsm *tsm)
{
	return container_of(tsm, struct pci_tsm_devsec, base_tsm);
}

/* The devsec context of @pdev, NULL when no devsec TSM holds it */
static struct pci_tsm_devsec *pci_tsm_devsec_get(struct pci_dev *pdev)
{
	lockdep_assert_held(&pci_tsm_rwsem);

	if (!pdev->tsm || !is_devsec_tsm(pdev->tsm->tsm_dev))
		return NULL;
	return to_pci_tsm_devsec(pdev->tsm);
}

static const struct pci_tsm_devsec_ops *
to_devsec_ops(struct pci_tsm_devsec *devsec)
{
	return &devsec->base_tsm.tsm_dev->pci_ops->devsec_ops;
}

/**
 * pci_tsm_devsec_constructor() - initialise the context of a locked function
 * @pdev: the function being locked
 * @tsm: context to initialise, embedded in the TSM driver's data
 * @tsm_dev: the devsec TSM locking @pdev
 *
 * Called by pci_tsm_devsec_ops::lock() implementations before returning
 * &@tsm->base_tsm.
 *
 * Return: 0 on success, -EINVAL if @tsm_dev is not a devsec TSM.
 */
int pci_tsm_devsec_constructor(struct pci_dev *pdev,
			       struct pci_tsm_devsec *tsm,
			       struct tsm_dev *tsm_dev)
{
	if (!is_devsec_tsm(tsm_dev))
		return -EINVAL;

	*tsm = (struct pci_tsm_devsec) {
		.base_tsm = {
			.pdev = pdev,
			.tsm_dev = tsm_dev,
		},
		.state = PCI_TSM_DEVSEC_UNLOCKED,
	};
	return 0;
}
EXPORT_SYMBOL_GPL(pci_tsm_devsec_constructor);

static void __pci_tsm_devsec_unlock(struct pci_dev *pdev,
				    struct pci_tsm_devsec *devsec)
{
	lockdep_assert_held_write(&pci_tsm_rwsem);

	/* Clear the pointer first: the TSM frees the context */
	pdev->tsm = NULL;
	to_devsec_ops(devsec)->unlock(&devsec->base_tsm);
	pci_tsm_evidence_remove(pdev);
	pci_tsm_policy_clear(pdev);
	pci_tsm_generation_bump(pdev);
	pci_tsm_evidence_event(pdev, PCI_TSM_EVENT_UNLOCK);
}

/*
 * Ask the TSM for the interface state, if it can tell, and follow it: an
 * interface may drop to ERROR (for example after a reset) without the core
 * being involved.
 */
static int pci_tsm_devsec_sync(struct pci_dev *pdev,
			       struct pci_tsm_devsec *devsec)
{
	const struct pci_tsm_devsec_ops *ops = to_devsec_ops(devsec);
	int state;

	lockdep_assert_held_write(&pci_tsm_rwsem);

	/*
	 * Only unlock leaves ERROR, whatever the device says: a failed
	 * revalidation puts a function there while its interface may still
	 * report being locked or running.
	 */
	if (!ops->status || devsec->state == PCI_TSM_DEVSEC_ERROR)
		return 0;

	state = ops->status(&devsec->base_tsm);
	if (state < 0)
		return state;
	if (state > PCI_TSM_DEVSEC_ERROR) {
		pci_warn(pdev, "TSM reported invalid state %d\n", state);
		return -EIO;
	}
	/* Unlocked behind the TVM's back (e.g. by a reset): it lost its lock */
	if (state == PCI_TSM_DEVSEC_UNLOCKED)
		state = PCI_TSM_DEVSEC_ERROR;
	if (state != devsec->state) {
		pci_dbg(pdev, "interface state %s -> %s\n",
			pci_tsm_devsec_state_names[devsec->state],
			pci_tsm_devsec_state_names[state]);
		devsec->state = state;
		pci_tsm_generation_bump(pdev);
	}
	return 0;
}

/*
 * Run @fn for a state transition of @pdev: under the device lock, so that
 * no driver binds while the security state changes, and pci_tsm_rwsem
 * held for write. Both are interruptible: transitions are driven by
 * userspace.
 */
static int pci_tsm_devsec_transition(struct pci_dev *pdev,
				     int (*fn)(struct pci_dev *pdev, void *arg),
				     void *arg)
{
	int rc;

	ACQUIRE(device_intr, dev_lock)(&pdev->dev);
	rc = ACQUIRE_ERR(device_intr, &dev_lock);
	if (rc)
		return rc;

	ACQUIRE(rwsem_write_kill, tsm_lock)(&pci_tsm_rwsem);
	rc = ACQUIRE_ERR(rwsem_write_kill, &tsm_lock);
	if (rc)
		return rc;

	/* pci_tsm_destroy() ran or is about to: take no new state */
	if (test_bit(PCI_DEV_REMOVED, &pdev->priv_flags))
		return -ENODEV;

	if (pdev->dev.driver)
		return -EBUSY;

	return fn(pdev, arg);
}

static int __pci_tsm_devsec_lock(struct pci_dev *pdev, void *arg)
{
	struct pci_tsm_devsec *devsec;
	struct tsm_dev *tsm_dev;
	struct pci_tsm *tsm;

	if (pdev->tsm)
		return -EBUSY;

	tsm_dev = pci_tsm_find(*(int *)arg);
	if (!is_devsec_tsm(tsm_dev))
		return -ENXIO;

	/* Not the evidence of this lock, whatever the TSM publishes */
	pci_tsm_evidence_remove_failed(pdev, NULL);
	tsm = tsm_dev->pci_ops->devsec_ops.lock(tsm_dev, pdev);
	if (IS_ERR(tsm))
		return PTR_ERR(tsm);
	if (!tsm)
		return -ENXIO;

	/* A context not made by pci_tsm_devsec_constructor() is a TSM bug */
	if (WARN_ON_ONCE(tsm->pdev != pdev || tsm->tsm_dev != tsm_dev)) {
		tsm_dev->pci_ops->devsec_ops.unlock(tsm);
		return -EINVAL;
	}

	devsec = to_pci_tsm_devsec(tsm);
	devsec->state = PCI_TSM_DEVSEC_LOCKED;
	pdev->tsm = tsm;
	/* A new lock: what an earlier revalidation found is history */
	pci_tsm_policy_clear(pdev);
	pci_tsm_generation_bump(pdev);
	pci_tsm_evidence_event(pdev, PCI_TSM_EVENT_LOCK);

	return 0;
}

/**
 * pci_tsm_devsec_lock() - lock a function via a devsec TSM
 * @pdev: PCI function
 * @tsm_id: id of the devsec TSM (N of /sys/class/tsm/tsmN)
 *
 * Return: 0 on success; -EBUSY if a driver is bound or a TSM (devsec or
 * link) already holds @pdev; -ENXIO if @tsm_id is not a registered devsec
 * TSM or the TSM declined @pdev; -ENODEV if @pdev is being removed;
 * -EINTR if interrupted; or the TSM's error.
 */
int pci_tsm_devsec_lock(struct pci_dev *pdev, int tsm_id)
{
	return pci_tsm_devsec_transition(pdev, __pci_tsm_devsec_lock, &tsm_id);
}

static int __pci_tsm_devsec_unlock_fn(struct pci_dev *pdev, void *arg)
{
	struct pci_tsm_devsec *devsec = pci_tsm_devsec_get(pdev);

	if (devsec)
		__pci_tsm_devsec_unlock(pdev, devsec);
	return 0;
}

/**
 * pci_tsm_devsec_unlock() - return a function to the UNLOCKED state
 * @pdev: PCI function
 *
 * Safe in every state: a function no devsec TSM holds is left alone.
 *
 * Return: 0 on success (including when @pdev was not locked); -EBUSY if a
 * driver is bound; -ENODEV if @pdev is being removed; -EINTR if
 * interrupted.
 */
int pci_tsm_devsec_unlock(struct pci_dev *pdev)
{
	return pci_tsm_devsec_transition(pdev, __pci_tsm_devsec_unlock_fn,
					 NULL);
}

static int __pci_tsm_devsec_accept(struct pci_dev *pdev, void *arg)
{
	const struct pci_tsm_devsec_ops *ops;
	struct pci_tsm_devsec *devsec;
	const u64 *generation = arg;
	int rc;

	devsec = pci_tsm_devsec_get(pdev);
	if (!devsec)
		return -ENXIO;

	rc = pci_tsm_devsec_sync(pdev, devsec);
	if (rc)
		return rc;

	if (generation && *generation != pci_tsm_generation(pdev))
		return -ESTALE;

	switch (devsec->state) {
	case PCI_TSM_DEVSEC_RUN:
		return 0;
	case PCI_TSM_DEVSEC_LOCKED:
		break;
	default:
		return -EIO;
	}

	ops = to_devsec_ops(devsec);
	if (!ops->accept)
		return -EOPNOTSUPP;

	rc = ops->accept(&devsec->base_tsm);
	if (rc) {
		/* The failure may have left the interface in ERROR */
		pci_tsm_devsec_sync(pdev, devsec);
		return rc;
	}

	devsec->state = PCI_TSM_DEVSEC_RUN;
	pci_tsm_evidence_event(pdev, PCI_TSM_EVENT_ACCEPT);
	return 0;
}

/**
 * pci_tsm_devsec_accept() - accept a locked function into the TCB (RUN)
 * @pdev: PCI function
 * @generation: evidence generation userspace checked, or NULL to accept
 *		whatever the current evidence is
 *
 * Return: 0 on success, including when @pdev is already in RUN (the TSM is
 * not called again); -ESTALE if @generation is not the current one;
 * -ENXIO if no devsec TSM holds @pdev; -EIO if the interface is in ERROR
 * (or no longer locked, as the TSM reports it); -EOPNOTSUPP if the TSM
 * cannot accept; -EBUSY if a driver is bound; -ENODEV if @pdev is being
 * removed; -EINTR if interrupted; or the TSM's error.
 */
int pci_tsm_devsec_accept(struct pci_dev *pdev, const u64 *generation)
{
	return pci_tsm_devsec_transition(pdev, __pci_tsm_devsec_accept,
					 (void *)generation);
}

/**
 * pci_tsm_devsec_state() - security state of a function
 * @pdev: PCI function
 *
 * Asks the TSM first (pci_tsm_devsec_ops::status), so that an interface
 * that dropped to ERROR, or lost its lock in a reset, reads as "error"
 * without waiting for the next accept. If the TSM cannot tell, the last
 * known state is returned.  Device I/O under pci_tsm_rwsem held for
 * write: for privileged callers only (writing "sync" to tsm/state).
 *
 * Return: an 'enum pci_tsm_devsec_state', or -EINTR.
 */
int pci_tsm_devsec_state(struct pci_dev *pdev)
{
	struct pci_tsm_devsec *devsec;
	int rc;

	ACQUIRE(rwsem_write_kill, lock)(&pci_tsm_rwsem);
	rc = ACQUIRE_ERR(rwsem_write_kill, &lock);
	if (rc)
		return rc;

	devsec = pci_tsm_devsec_get(pdev);
	if (!devsec)
		return PCI_TSM_DEVSEC_UNLOCKED;
	rc = pci_tsm_devsec_sync(pdev, devsec);
	if (rc)
		pci_dbg(pdev, "TSM status unavailable: %d\n", rc);
	return devsec->state;
}

/*
 * pci_tsm_devsec_destroy() - unlock @pdev as its devsec TSM departs or
 * @pdev is removed. Called with pci_tsm_rwsem held for write.
 */
void pci_tsm_devsec_destroy(struct pci_dev *pdev)
{
	struct pci_tsm_devsec *devsec = pci_tsm_devsec_get(pdev);

	if (!devsec)
		return;

	/* Not under the device lock: the state of a bound driver is a hint */
	if (READ_ONCE(pdev->dev.driver))
		pci_warn(pdev, "unlocked by TSM departure with a driver bound\n");
	__pci_tsm_devsec_unlock(pdev, devsec);
}

static ssize_t lock_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm_devsec *devsec;
	int rc;

	ACQUIRE(rwsem_read_intr, lock)(&pci_tsm_rwsem);
	rc = ACQUIRE_ERR(rwsem_read_intr, &lock);
	if (rc)
		return rc;

	devsec = pci_tsm_devsec_get(pdev);
	if (!devsec)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%s\n", dev_name(&devsec->base_tsm.tsm_dev->dev));
}

static ssize_t lock_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	int rc, id;

	/* "tsmN", exactly: the name of the TSM device in /sys/class/tsm */
	if (strncmp(buf, "tsm", 3))
		return -EINVAL;
	rc = kstrtoint(buf + 3, 10, &id);
	if (rc)
		return rc;

	rc = pci_tsm_devsec_lock(to_pci_dev(dev), id);
	if (rc)
		return rc;
	return len;
}

struct device_attribute dev_attr_pci_tsm_lock = __ATTR_RW(lock);

static ssize_t unlock_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	bool unlock;
	int rc;

	rc = kstrtobool(buf, &unlock);
	if (rc)
		return rc;
	if (!unlock)
		return -EINVAL;

	rc = pci_tsm_devsec_unlock(to_pci_dev(dev));
	if (rc)
		return rc;
	return len;
}

struct device_attribute dev_attr_pci_tsm_unlock = __ATTR_WO(unlock);

static ssize_t accept_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	u64 val;
	int rc;

	rc = kstrtou64(buf, 0, &val);
	if (rc)
		return rc;

	/* "1": accept the current evidence; else the generation to accept */
	if (val == 0)
		return -EINVAL;

	rc = pci_tsm_devsec_accept(to_pci_dev(dev), val == 1 ? NULL : &val);
	if (rc)
		return rc;
	return len;
}

struct device_attribute dev_attr_pci_tsm_accept = __ATTR_WO(accept);

/*
 * Anyone may read the state: reading asks the TSM nothing and takes
 * pci_tsm_rwsem for read only, so that an unprivileged reader can
 * neither make the device do I/O nor hold up TSM operations and hotplug.
 * The state is kept current by every transition, revalidation, and by
 * writing "sync" (root), which asks the TSM.
 */
static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm_devsec *devsec;
	int state = PCI_TSM_DEVSEC_UNLOCKED;
	int rc;

	ACQUIRE(rwsem_read_intr, lock)(&pci_tsm_rwsem);
	rc = ACQUIRE_ERR(rwsem_read_intr, &lock);
	if (rc)
		return rc;

	devsec = pci_tsm_devsec_get(pdev);
	if (devsec)
		state = devsec->state;
	return sysfs_emit(buf, "%s\n", pci_tsm_devsec_state_names[state]);
}

static ssize_t state_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	int state;

	if (!sysfs_streq(buf, "sync"))
		return -EINVAL;
	state = pci_tsm_devsec_state(to_pci_dev(dev));
	return state < 0 ? state : len;
}

struct device_attribute dev_attr_pci_tsm_state = __ATTR_RW(state);

/*
 * A function may be locked if it can be a TDISP interface: an Endpoint
 * that advertises TEE-IO, or a virtual function of such a PF. The TSM has
 * the last word in its lock() operation.
 */
bool pci_tsm_devsec_visible(struct pci_dev *pdev)
{
	if (!READ_ONCE(pci_tsm_devsec_count))
		return false;

	if (!pci_is_pcie(pdev))
		return false;

	switch (pci_pcie_type(pdev)) {
	case PCI_EXP_TYPE_ENDPOINT:
	case PCI_EXP_TYPE_LEG_END:
	case PCI_EXP_TYPE_RC_END:
		break;
	default:
		return false;
	}

	return (pdev->devcap & PCI_EXP_DEVCAP_TEE) ||
	       (pci_physfn(pdev)->devcap & PCI_EXP_DEVCAP_TEE);
}

umode_t pci_tsm_devsec_attr_visible(struct pci_dev *pdev,
				    struct attribute *attr)
{
	if (attr != &dev_attr_pci_tsm_lock.attr &&
	    attr != &dev_attr_pci_tsm_unlock.attr &&
	    attr != &dev_attr_pci_tsm_accept.attr &&
	    attr != &dev_attr_pci_tsm_state.attr)
		return 0;

	return pci_tsm_devsec_visible(pdev) ? attr->mode : 0;
}

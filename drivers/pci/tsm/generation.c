// SPDX-License-Identifier: GPL-2.0
/*
 * PCI TSM evidence generation number
 *
 * Userspace reads a device's evidence (certificates, measurements,
 * interface report), decides it is acceptable, and then acts on it: binds
 * a driver, or writes tsm/accept. Between the read and the action the
 * device can be disconnected, unlocked, relocked or re-authenticated, and
 * the evidence userspace checked is then no longer the device's. The
 * generation number names one state of the evidence so that userspace can
 * tell: read tsm/generation, read the evidence, read tsm/generation again,
 * and hand the number to tsm/accept, which refuses with -ESTALE if it
 * moved on.
 *
 * Every change takes a fresh value from one system-wide 64-bit sequence,
 * so a value never repeats, not even for a function that is removed and
 * re-enumerated at the same address: a generation read from an old device
 * can never match a new one. 0 means the function's security state never
 * changed since it was enumerated. The sequence starts above 1, so that
 * writing "1" to tsm/accept can mean "accept without checking".
 */

#include <linux/atomic.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>

#include "tsm.h"

static atomic64_t pci_tsm_generation_seq = ATOMIC64_INIT(1);

/**
 * pci_tsm_generation() - current evidence generation of a function
 * @pdev: PCI function
 *
 * Return: the generation, 0 if the security state of @pdev never changed.
 */
u64 pci_tsm_generation(struct pci_dev *pdev)
{
	return atomic64_read(&pdev->tsm_generation);
}
EXPORT_SYMBOL_GPL(pci_tsm_generation);

/**
 * pci_tsm_generation_bump() - record that the evidence of a function changed
 * @pdev: PCI function
 *
 * The core calls this on connect, disconnect, lock, unlock, on an interface
 * found in ERROR, and when a TSM departs with @pdev in its care. A TSM
 * driver calls it whenever it replaces evidence it exposes for @pdev
 * outside of those operations (for example after re-authenticating the
 * device), so that a pending tsm/accept of the old evidence fails.
 *
 * Context: any context; no lock required.
 */
void pci_tsm_generation_bump(struct pci_dev *pdev)
{
	/*
	 * Concurrent bumps may store their values out of order; that is
	 * harmless, each stored value is new to @pdev either way.
	 */
	atomic64_set(&pdev->tsm_generation,
		     atomic64_inc_return(&pci_tsm_generation_seq));
}
EXPORT_SYMBOL_GPL(pci_tsm_generation_bump);

/* The newest generation handed out, to any function */
u64 pci_tsm_generation_latest(void)
{
	return atomic64_read(&pci_tsm_generation_seq);
}

static ssize_t generation_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", pci_tsm_generation(to_pci_dev(dev)));
}

struct device_attribute dev_attr_pci_tsm_generation = __ATTR_RO(generation);

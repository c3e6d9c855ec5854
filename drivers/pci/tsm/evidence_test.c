// SPDX-License-Identifier: GPL-2.0
/*
 * Publish large evidence objects for the pci-tsm selftests.
 *
 * The evidence store accepts objects of up to PCI_TSM_EVIDENCE_MAX_OBJECT
 * bytes and the netlink dump splits them into attributes that fit a
 * message, but no device a guest can emulate produces anything that big:
 * SPDM and TDISP lengths cap real objects far below. Like lib/test_firmware.c
 * for the firmware selftests, this module gives the selftests a way to
 * exercise that path from userspace through real netlink sockets.
 *
 * Writing "DEV SIZE" to /sys/kernel/debug/pci-tsm-evidence-test/publish
 * replaces the evidence of PCI device DEV, which must have a TSM context,
 * with one measurements object (slot 0) of SIZE bytes, where byte i is
 * (i * 131 + 7) & 0xff, so that userspace can recompute what it dumps.
 */

#include <linux/cleanup.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "tsm.h"

/* "DDDD:BB:DD.F SIZE\n" with room to spare */
#define EVIDENCE_TEST_CMD_MAX	64

static struct dentry *evidence_test_dir;

static struct pci_tsm_evidence *evidence_test_build(size_t size)
{
	struct pci_tsm_evidence *ev __free(pci_tsm_evidence_free) = NULL;
	u8 *buf __free(kvfree) = vmalloc(size);
	int rc;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	for (size_t i = 0; i < size; i++)
		buf[i] = (i * 131 + 7) & 0xff;

	ev = pci_tsm_evidence_alloc(NULL);
	if (!ev)
		return ERR_PTR(-ENOMEM);
	rc = pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS, 0, buf, size);
	if (rc)
		return ERR_PTR(rc);
	return no_free_ptr(ev);
}

static int evidence_test_publish(const char *name, size_t size)
{
	struct pci_tsm_evidence *ev __free(pci_tsm_evidence_free) = NULL;
	struct device *dev __free(put_device) =
		bus_find_device_by_name(&pci_bus_type, NULL, name);
	struct pci_dev *pdev;
	int rc;

	if (!dev)
		return -ENODEV;
	pdev = to_pci_dev(dev);

	/* Fill the object before taking the lock connect and disconnect need */
	ev = evidence_test_build(size);
	if (IS_ERR(ev))
		return PTR_ERR(no_free_ptr(ev));

	/*
	 * Hold pci_tsm_rwsem across the publication, as TSM drivers do: a
	 * disconnect then either finds the evidence and removes it, or has
	 * already freed pdev->tsm, which we see.
	 */
	ACQUIRE(rwsem_read_intr, lock)(&pci_tsm_rwsem);
	rc = ACQUIRE_ERR(rwsem_read_intr, &lock);
	if (rc)
		return rc;
	if (!pdev->tsm)
		return -ENXIO;
	if (!pci_tsm_evidence_publish(pdev, pdev->tsm->tsm_dev, no_free_ptr(ev)))
		return -ENOMEM;
	return 0;
}

static ssize_t evidence_test_publish_write(struct file *file, const char __user *ubuf,
					   size_t count, loff_t *ppos)
{
	char *cmd __free(kfree) = NULL;
	char *name, *arg, *p;
	unsigned long size;
	int rc;

	if (count >= EVIDENCE_TEST_CMD_MAX)
		return -EINVAL;
	cmd = memdup_user_nul(ubuf, count);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);

	p = strim(cmd);
	name = strsep(&p, " \t");
	arg = p ? skip_spaces(p) : NULL;
	if (!*name || !arg || !*arg)
		return -EINVAL;
	rc = kstrtoul(arg, 0, &size);
	if (rc)
		return rc;
	if (!size)
		return -EINVAL;
	if (size > PCI_TSM_EVIDENCE_MAX_OBJECT)
		return -ERANGE;

	rc = evidence_test_publish(name, size);
	if (rc)
		return rc;
	return count;
}

static const struct file_operations evidence_test_publish_fops = {
	.owner = THIS_MODULE,
	.write = evidence_test_publish_write,
	.llseek = noop_llseek,
};

static int __init evidence_test_init(void)
{
	evidence_test_dir = debugfs_create_dir("pci-tsm-evidence-test", NULL);
	debugfs_create_file("publish", 0200, evidence_test_dir, NULL,
			    &evidence_test_publish_fops);
	return 0;
}
module_init(evidence_test_init);

static void __exit evidence_test_exit(void)
{
	debugfs_remove_recursive(evidence_test_dir);
}
module_exit(evidence_test_exit);

MODULE_DESCRIPTION("PCI TSM evidence test module: publishes large evidence objects");
MODULE_LICENSE("GPL");

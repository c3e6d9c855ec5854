/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interfaces between the files of the PCI TSM core.
 */
#ifndef __PCI_TSM_PRIV_H
#define __PCI_TSM_PRIV_H

#include <linux/device.h>

/* generation.c */
extern struct device_attribute dev_attr_pci_tsm_generation;

#endif /* __PCI_TSM_PRIV_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated TEE platform: a PCI host bridge with no hardware behind it.
 *
 * Each "devsec-bridge" platform device creates one or more PCI domains
 * (DEVSEC_PORTS_PER_HB endpoints each, so 256 endpoints fit in bus number
 * space).  On the root bus of a domain, root port i is device i / 8,
 * function i % 8, and its secondary bus holds endpoint i as device 0,
 * function 0.  Every function is a 4 KiB config space in memory served by
 * the bridge's own pci_ops; config requests are routed like type 1
 * requests, by the root ports' secondary bus number registers.
 *
 * Endpoints are PCIe Endpoints with PCI_EXP_DEVCAP_TEE (TDISP) and a DOE
 * extended capability at 0x100 (mailbox.c) fronting an SPDM + TDISP
 * responder (spdm.c, tdisp.c).  They have no BARs and no interrupts; the
 * bridges have no MMIO or I/O windows (the root ports' windows read as
 * disabled), which the PCI core accepts as nothing needs assigning.  The
 * host bridges claim no native PCIe services, so portdrv binds the root
 * ports without starting AER/PME/hotplug on them.
 *
 * Endpoints reset like hardware on a Function Level Reset (they advertise
 * it, so it is the PCI core's first reset_method) and when the root port
 * above them asserts Secondary Bus Reset: config space returns to its
 * reset values and the DOE mailbox and the responder's SPDM and TDISP
 * state are lost.
 *
 * Domain numbers come from the emulated range above 0xffff, as VMD does,
 * so they never collide with firmware-described segments.
 */

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "devsec.h"

/*
 * Loaded as a module, the sample brings its platform up at once. Built in,
 * as for KUnit, it does not unless asked on the command line
 * (devsec.nr_endpoints=N): its TSMs would change what every other test of
 * the TSM core sees.
 */
static unsigned int nr_endpoints = IS_MODULE(CONFIG_SAMPLE_DEVSEC) ? 2 : 0;
module_param(nr_endpoints, uint, 0444);
MODULE_PARM_DESC(nr_endpoints,
		 "Endpoints of the default bridge (1-256; 0: no default bridge)");

static struct platform_device *devsec_pdev;

static struct devsec_hb *bus_to_hb(struct pci_bus *bus)
{
	return container_of(bus->sysdata, struct devsec_hb, sysdata);
}

/* Config space helpers, for setting up a function */
static void cfg_ro(struct devsec_cfg *c, unsigned int off, u32 val, int size)
{
	int i;

	for (i = 0; i < size; i++)
		c->data[off + i] = val >> (8 * i);
}

static void cfg_rw(struct devsec_cfg *c, unsigned int off, u32 val,
		   u32 wmask, int size)
{
	int i;

	cfg_ro(c, off, val, size);
	for (i = 0; i < size; i++)
		c->wmask[off + i] = wmask >> (8 * i);
}

static void cfg_init_common(struct devsec_cfg *c, u16 device, u32 class,
			    u8 hdr_type, u16 pcie_flags, u32 devcap)
{
	unsigned int cap = DEVSEC_PCIE_CAP;

	cfg_ro(c, PCI_VENDOR_ID, DEVSEC_VENDOR_ID, 2);
	cfg_ro(c, PCI_DEVICE_ID, device, 2);
	cfg_rw(c, PCI_COMMAND, 0,
	       PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
	       PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
	       PCI_COMMAND_INTX_DISABLE, 2);
	cfg_ro(c, PCI_STATUS, PCI_STATUS_CAP_LIST, 2);
	cfg_ro(c, PCI_CLASS_REVISION, class << 8 | DEVSEC_REVISION, 4);
	cfg_ro(c, PCI_HEADER_TYPE, hdr_type, 1);
	cfg_ro(c, PCI_CAPABILITY_LIST, cap, 1);

	/* PCI Express capability, version 2, 2.5 GT/s x1 link */
	cfg_ro(c, cap + PCI_CAP_LIST_ID, PCI_CAP_ID_EXP, 1);
	cfg_ro(c, cap + PCI_EXP_FLAGS, pcie_flags | 2, 2);
	cfg_ro(c, cap + PCI_EXP_DEVCAP, devcap, 4);
	cfg_rw(c, cap + PCI_EXP_DEVCTL, 0, 0xffff, 2);
	cfg_ro(c, cap + PCI_EXP_LNKCAP, PCI_EXP_LNKCAP_SLS_2_5GB | 0x10, 4);
	cfg_rw(c, cap + PCI_EXP_LNKCTL, 0, 0xffff, 2);
	cfg_ro(c, cap + PCI_EXP_LNKSTA, PCI_EXP_LNKSTA_CLS_2_5GB |
	       PCI_EXP_LNKSTA_NLW_X1, 2);
	cfg_rw(c, cap + PCI_EXP_DEVCTL2, 0, 0xffff, 2);
	cfg_ro(c, cap + PCI_EXP_LNKCAP2, PCI_EXP_LNKCAP2_SLS_2_5GB, 4);
	cfg_rw(c, cap + PCI_EXP_LNKCTL2, PCI_EXP_LNKCTL2_TLS_2_5GT, 0xffff, 2);
}

static void port_cfg_init(struct devsec_cfg *c, unsigned int secondary,
			  bool multifunction)
{
	cfg_init_common(c, DEVSEC_PORT_DEVICE_ID, PCI_CLASS_BRIDGE_PCI_NORMAL,
			PCI_HEADER_TYPE_BRIDGE |
			(multifunction ? PCI_HEADER_TYPE_MFD : 0),
			PCI_EXP_TYPE_ROOT_PORT << 4, 0);

	cfg_rw(c, PCI_PRIMARY_BUS, 0, 0xff, 1);
	cfg_rw(c, PCI_SECONDARY_BUS, secondary, 0xff, 1);
	cfg_rw(c, PCI_SUBORDINATE_BUS, secondary, 0xff, 1);
	/* No I/O or prefetchable window; memory window disabled (base > limit) */
	cfg_rw(c, PCI_MEMORY_BASE, 0xfff0, 0xfff0, 2);
	cfg_rw(c, PCI_MEMORY_LIMIT, 0, 0xfff0, 2);
	cfg_rw(c, PCI_BRIDGE_CONTROL, 0, 0x0fff, 2);
	cfg_rw(c, DEVSEC_PCIE_CAP + PCI_EXP_RTCTL, 0, 0xffff, 2);
}

static void ep_cfg_init(struct devsec_cfg *c, bool multifunction)
{
	/* Function Level Reset: the PCI core's preferred reset_method */
	cfg_init_common(c, DEVSEC_EP_DEVICE_ID, DEVSEC_EP_CLASS,
			PCI_HEADER_TYPE_NORMAL |
			(multifunction ? PCI_HEADER_TYPE_MFD : 0),
			PCI_EXP_TYPE_ENDPOINT << 4,
			PCI_EXP_DEVCAP_TEE | PCI_EXP_DEVCAP_FLR);
	cfg_ro(c, PCI_SUBSYSTEM_VENDOR_ID, DEVSEC_VENDOR_ID, 2);
	cfg_ro(c, PCI_SUBSYSTEM_ID, DEVSEC_EP_DEVICE_ID, 2);

	/* DOE capability: version 1, last in the list, no interrupt */
	cfg_ro(c, DEVSEC_DOE_CAP, PCI_EXT_CAP_ID_DOE | 1 << 16, 4);
	cfg_ro(c, DEVSEC_DOE_CAP + PCI_DOE_CAP, 0, 4);
}

/* Function 1: what function 0's DSM manages beside it, nothing more */
static void fn1_cfg_init(struct devsec_cfg *c)
{
	cfg_init_common(c, DEVSEC_EP_DEVICE_ID, DEVSEC_EP_CLASS,
			PCI_HEADER_TYPE_NORMAL, PCI_EXP_TYPE_ENDPOINT << 4, 0);
	cfg_ro(c, PCI_SUBSYSTEM_VENDOR_ID, DEVSEC_VENDOR_ID, 2);
	cfg_ro(c, PCI_SUBSYSTEM_ID, DEVSEC_EP_DEVICE_ID, 2);
}

static u32 cfg_read(struct devsec_cfg *c, int where, int size)
{
	u32 val = 0;
	int i;

	for (i = 0; i < size; i++)
		val |= c->data[where + i] << (8 * i);
	return val;
}

static void cfg_write(struct devsec_cfg *c, int where, int size, u32 val)
{
	int i;

	for (i = 0; i < size; i++) {
		u8 m = c->wmask[where + i];

		/* WRITE_ONCE: routing reads bus numbers without the lock */
		WRITE_ONCE(c->data[where + i], (c->data[where + i] & ~m) |
			   ((val >> (8 * i)) & m));
	}
}

/* Is @where within the DOE mailbox registers with side effects? */
static bool is_doe_reg(int where)
{
	return where >= DEVSEC_DOE_CAP + PCI_DOE_CTRL &&
	       where < DEVSEC_DOE_CAP + PCI_DOE_CAP_SIZEOF;
}

/*
 * Route a config request: on the root bus to a root port, below it to the
 * endpoint of the root port whose secondary bus it is.  Sets @cfg to the
 * function's config space; returns its endpoint (which owns the lock).
 */
static struct devsec_ep *devsec_route(struct pci_bus *bus, unsigned int devfn,
				      struct devsec_cfg **cfg)
{
	struct devsec_hb *hb = bus_to_hb(bus);
	unsigned int i;

	if (pci_is_root_bus(bus)) {
		i = PCI_SLOT(devfn) * 8 + PCI_FUNC(devfn);
		if (i >= hb->nr_ports)
			return NULL;
		*cfg = &hb->eps[i]->port_cfg;
		return hb->eps[i];
	}

	for (i = 0; i < hb->nr_ports; i++) {
		struct devsec_ep *ep = hb->eps[i];

		if (READ_ONCE(ep->port_cfg.data[PCI_SECONDARY_BUS]) !=
		    bus->number)
			continue;
		if (devfn == 0)
			*cfg = &ep->cfg;
		else if (devfn == 1 && ep->has_fn1)
			*cfg = &ep->fn1_cfg;
		else
			return NULL;
		return ep;
	}
	return NULL;
}

static bool cfg_write_covers(int where, int size, unsigned int off)
{
	return off >= where && off < where + size;
}

/*
 * A function reset of the endpoint: Initiate Function Level Reset in its
 * Device Control, or Secondary Bus Reset rising in the Bridge Control of
 * the root port above it. Config space returns to its reset values and
 * the mailbox and the responder forget everything, as hardware does; the
 * "identity" and "measurement" faults persist, they model the hardware.
 * @ep->lock held.
 */
static void devsec_cfg_reset_check(struct devsec_ep *ep,
				   struct devsec_cfg *cfg, int where,
				   int size, u16 old_bctl)
{
	unsigned int devctl = DEVSEC_PCIE_CAP + PCI_EXP_DEVCTL;
	u16 bctl;

	if (cfg == &ep->cfg) {
		if (!cfg_write_covers(where, size, devctl + 1) ||
		    !(cfg_read(cfg, devctl, 2) & PCI_EXP_DEVCTL_BCR_FLR))
			return;
	} else {
		if (!cfg_write_covers(where, size, PCI_BRIDGE_CONTROL))
			return;
		bctl = cfg_read(cfg, PCI_BRIDGE_CONTROL, 2);
		if (!(bctl & PCI_BRIDGE_CTL_BUS_RESET) ||
		    (old_bctl & PCI_BRIDGE_CTL_BUS_RESET))
			return;
	}

	/* Also clears Initiate FLR, which reads as 0 */
	memset(&ep->cfg, 0, sizeof(ep->cfg));
	ep_cfg_init(&ep->cfg, ep->has_fn1);
	devsec_mb_hw_reset(ep);
}

static int devsec_cfg_read(struct pci_bus *bus, unsigned int devfn, int where,
			   int size, u32 *val)
{
	struct devsec_cfg *cfg;
	struct devsec_ep *ep;
	unsigned long flags;

	ep = devsec_route(bus, devfn, &cfg);
	if (!ep || where < 0 || where + size > DEVSEC_CFG_SIZE) {
		PCI_SET_ERROR_RESPONSE(val);
		return PCIBIOS_DEVICE_NOT_FOUND;
	}

	raw_spin_lock_irqsave(&ep->lock, flags);
	if (cfg == &ep->cfg && is_doe_reg(where)) {
		int reg = ALIGN_DOWN(where, 4);

		*val = devsec_mb_read(ep, reg - DEVSEC_DOE_CAP);
		*val >>= 8 * (where - reg);
		if (size < 4)
			*val &= (1U << (8 * size)) - 1;
	} else {
		*val = cfg_read(cfg, where, size);
	}
	raw_spin_unlock_irqrestore(&ep->lock, flags);
	return PCIBIOS_SUCCESSFUL;
}

static int devsec_cfg_write(struct pci_bus *bus, unsigned int devfn,
			    int where, int size, u32 val)
{
	struct devsec_cfg *cfg;
	struct devsec_ep *ep;
	unsigned long flags;

	ep = devsec_route(bus, devfn, &cfg);
	if (!ep || where < 0 || where + size > DEVSEC_CFG_SIZE)
		return PCIBIOS_DEVICE_NOT_FOUND;

	raw_spin_lock_irqsave(&ep->lock, flags);
	if (cfg == &ep->cfg && is_doe_reg(where)) {
		if (size == 4)
			devsec_mb_write(ep, where - DEVSEC_DOE_CAP, val);
	} else {
		u16 old_bctl = cfg_read(cfg, PCI_BRIDGE_CONTROL, 2);

		cfg_write(cfg, where, size, val);
		devsec_cfg_reset_check(ep, cfg, where, size, old_bctl);
	}
	raw_spin_unlock_irqrestore(&ep->lock, flags);
	return PCIBIOS_SUCCESSFUL;
}

static struct pci_ops devsec_pci_ops = {
	.read = devsec_cfg_read,
	.write = devsec_cfg_write,
};

static struct devsec_ep *devsec_ep_alloc(struct devsec_hb *hb,
					 unsigned int port, bool multifunction)
{
	struct devsec_ep *ep;

	ep = kvzalloc_obj(*ep);
	if (!ep)
		return NULL;

	ep->hb = hb;
	raw_spin_lock_init(&ep->lock);
	mutex_init(&ep->rsp_lock);
	/* Root port @port's secondary bus is @port + 1 */
	port_cfg_init(&ep->port_cfg, port + 1,
		      PCI_FUNC(port) == 0 && port + 1 < hb->nr_ports);
	ep->has_fn1 = multifunction;
	ep_cfg_init(&ep->cfg, multifunction);
	if (multifunction)
		fn1_cfg_init(&ep->fn1_cfg);
	devsec_mb_init(ep);
	/* TDISP FUNCTION_ID: the Requester ID, bus port + 1 device 0 */
	devsec_rsp_init(&ep->rsp, &devsec_rsp_ops, devsec_identity(0),
			PCI_DEVID(port + 1, 0));
	return ep;
}

static void devsec_ep_free(struct devsec_ep *ep)
{
	devsec_mb_exit(ep);
	pci_dev_put(ep->pdev);
	mutex_destroy(&ep->rsp_lock);
	kvfree(ep);
}

static void devsec_hb_remove(struct devsec_hb *hb)
{
	int domain = hb->sysdata.domain;

	pci_lock_rescan_remove();
	pci_stop_root_bus(hb->bus);
	pci_remove_root_bus(hb->bus);
	pci_unlock_rescan_remove();
	pci_bus_release_emul_domain_nr(domain);
}

static int devsec_hb_add(struct devsec_bridge *br, struct devsec_hb *hb)
{
	struct pci_host_bridge *host;
	LIST_HEAD(resources);
	unsigned int i;
	int domain;

	domain = pci_bus_find_emul_domain_nr(0, 0x10000, INT_MAX);
	if (domain < 0)
		return domain;
	hb->sysdata.domain = domain;
	hb->sysdata.node = NUMA_NO_NODE;

	hb->busn.name = "devsec bus";
	hb->busn.start = 0;
	hb->busn.end = hb->nr_ports;
	hb->busn.flags = IORESOURCE_BUS;
	pci_add_resource(&resources, &hb->busn);

	hb->bus = pci_create_root_bus(br->dev, 0, &devsec_pci_ops,
				      &hb->sysdata, &resources);
	if (!hb->bus) {
		pci_free_resource_list(&resources);
		pci_bus_release_emul_domain_nr(domain);
		return -ENODEV;
	}

	/* Nothing to service on the root ports: keep portdrv idle */
	host = to_pci_host_bridge(hb->bus->bridge);
	host->native_aer = 0;
	host->native_pcie_hotplug = 0;
	host->native_shpc_hotplug = 0;
	host->native_pme = 0;
	host->native_ltr = 0;
	host->native_dpc = 0;
	host->native_cxl_error = 0;

	pci_lock_rescan_remove();
	pci_scan_child_bus(hb->bus);
	pci_bus_add_devices(hb->bus);
	pci_unlock_rescan_remove();

	for (i = 0; i < hb->nr_ports; i++) {
		struct devsec_ep *ep = hb->eps[i];

		ep->pdev = pci_get_domain_bus_and_slot(domain, i + 1, 0);
		if (!ep->pdev) {
			dev_err(br->dev, "endpoint %u not found\n", i);
			devsec_hb_remove(hb);
			return -ENODEV;
		}
	}
	return 0;
}

static void devsec_bridge_teardown(struct devsec_bridge *br)
{
	unsigned int i;

	for (i = 0; i < br->nr_eps; i++)
		if (br->eps[i])
			devsec_ep_debugfs_remove(br->eps[i]);
	for (i = 0; i < br->nr_hbs; i++)
		if (br->hbs[i] && br->hbs[i]->bus)
			devsec_hb_remove(br->hbs[i]);
	for (i = 0; i < br->nr_eps; i++)
		if (br->eps[i])
			devsec_ep_free(br->eps[i]);
	for (i = 0; i < br->nr_hbs; i++)
		kfree(br->hbs[i]);
}

static int devsec_probe(struct platform_device *pdev)
{
	const struct devsec_bridge_config *cfg = dev_get_platdata(&pdev->dev);
	unsigned int nr = cfg ? cfg->nr_endpoints : nr_endpoints;
	bool mfd = cfg && cfg->multifunction;
	struct devsec_bridge *br;
	unsigned int i;
	int rc;

	if (!nr || nr > DEVSEC_MAX_ENDPOINTS)
		return -EINVAL;

	br = devm_kzalloc(&pdev->dev, sizeof(*br), GFP_KERNEL);
	if (!br)
		return -ENOMEM;
	br->dev = &pdev->dev;
	br->nr_eps = nr;
	br->nr_hbs = DIV_ROUND_UP(nr, DEVSEC_PORTS_PER_HB);
	br->eps = devm_kcalloc(&pdev->dev, nr, sizeof(*br->eps), GFP_KERNEL);
	br->hbs = devm_kcalloc(&pdev->dev, br->nr_hbs, sizeof(*br->hbs),
			       GFP_KERNEL);
	if (!br->eps || !br->hbs)
		return -ENOMEM;

	for (i = 0; i < br->nr_hbs; i++) {
		struct devsec_hb *hb = kzalloc_obj(*hb);
		unsigned int p;

		if (!hb) {
			rc = -ENOMEM;
			goto err;
		}
		br->hbs[i] = hb;
		hb->nr_ports = min(nr - i * DEVSEC_PORTS_PER_HB,
				   DEVSEC_PORTS_PER_HB);
		for (p = 0; p < hb->nr_ports; p++) {
			hb->eps[p] = devsec_ep_alloc(hb, p, mfd);
			if (!hb->eps[p]) {
				rc = -ENOMEM;
				goto err;
			}
			br->eps[i * DEVSEC_PORTS_PER_HB + p] = hb->eps[p];
		}
	}

	for (i = 0; i < br->nr_hbs; i++) {
		rc = devsec_hb_add(br, br->hbs[i]);
		if (rc) {
			br->hbs[i]->bus = NULL;
			goto err;
		}
	}

	for (i = 0; i < nr; i++)
		devsec_ep_debugfs_add(br->eps[i]);

	/* The TSMs find the bridge through drvdata */
	platform_set_drvdata(pdev, br);
	rc = devsec_link_tsm_add(br);
	if (!rc)
		rc = devsec_tvm_tsm_add(br);
	if (rc)
		goto err_tsm;
	return 0;

err_tsm:
	devsec_link_tsm_del(br);
err:
	devsec_bridge_teardown(br);
	return rc;
}

static void devsec_remove(struct platform_device *pdev)
{
	struct devsec_bridge *br = platform_get_drvdata(pdev);

	/* Disconnect and unlock every endpoint while they still answer */
	devsec_tvm_tsm_del(br);
	devsec_link_tsm_del(br);
	devsec_bridge_teardown(br);
}

static struct platform_driver devsec_driver = {
	.driver.name = "devsec-bridge",
	.probe = devsec_probe,
	.remove = devsec_remove,
};

/**
 * devsec_bridge_from_dev() - the emulated platform behind a platform device
 * @dev: a bound "devsec-bridge" platform device
 *
 * Return: the bridge, or NULL if @dev is not bound to this driver.
 */
struct devsec_bridge *devsec_bridge_from_dev(struct device *dev)
{
	if (dev->driver != &devsec_driver.driver)
		return NULL;
	return dev_get_drvdata(dev);
}

/**
 * devsec_ep_of() - the emulated endpoint a PCI device is
 * @br: the emulated platform
 * @pdev: any PCI device
 *
 * Return: the endpoint, or NULL if @pdev is not one of @br's endpoints.
 */
struct devsec_ep *devsec_ep_of(struct devsec_bridge *br, struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < br->nr_eps; i++)
		if (br->eps[i] && br->eps[i]->pdev == pdev)
			return br->eps[i];
	return NULL;
}

static int __init devsec_init(void)
{
	int rc;

	if (nr_endpoints > DEVSEC_MAX_ENDPOINTS)
		return -EINVAL;

	rc = devsec_identities_init();
	if (rc)
		return rc;
	devsec_debugfs_init();

	rc = platform_driver_register(&devsec_driver);
	if (rc)
		goto err_identities;

	if (!nr_endpoints)
		return 0;
	devsec_pdev = platform_device_register_simple("devsec-bridge",
						      PLATFORM_DEVID_NONE,
						      NULL, 0);
	if (IS_ERR(devsec_pdev)) {
		rc = PTR_ERR(devsec_pdev);
		goto err_driver;
	}
	return 0;

err_driver:
	platform_driver_unregister(&devsec_driver);
err_identities:
	devsec_debugfs_exit();
	devsec_identities_exit();
	return rc;
}
module_init(devsec_init);

static void __exit devsec_exit(void)
{
	platform_device_unregister(devsec_pdev);
	platform_driver_unregister(&devsec_driver);
	devsec_debugfs_exit();
	devsec_identities_exit();
}
module_exit(devsec_exit);

MODULE_DESCRIPTION("Emulated TEE platform: PCI endpoints with an SPDM/TDISP DOE mailbox");
MODULE_LICENSE("GPL");

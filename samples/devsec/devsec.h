/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emulated TEE platform: a software PCI host bridge whose endpoints have a
 * DOE mailbox backed by an SPDM + TDISP responder.  Private to
 * samples/devsec.
 */
#ifndef __DEVSEC_H__
#define __DEVSEC_H__

#include <linux/ioport.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-tsm-spdm.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "devsec_rsp.h"

/*
 * IDs the endpoints present.  Device 0df0 is not assigned to any real
 * function; it matches the CMA otherName in the leaf certificates
 * (gen-pki.sh), so keep both in sync.
 */
#define DEVSEC_VENDOR_ID	0x1b36
#define DEVSEC_EP_DEVICE_ID	0x0df0
#define DEVSEC_PORT_DEVICE_ID	0x0df1
#define DEVSEC_EP_CLASS		0xff0000
#define DEVSEC_REVISION		0x01

#define DEVSEC_MAX_ENDPOINTS	256
/* One root port per endpoint; a root bus holds this many, then a new domain */
#define DEVSEC_PORTS_PER_HB	128

#define DEVSEC_CFG_SIZE		PCI_CFG_SPACE_EXP_SIZE
#define DEVSEC_PCIE_CAP		0x40
#define DEVSEC_DOE_CAP		PCI_CFG_SPACE_SIZE

/* Largest data object the mailbox takes or gives: header + SPDM message */
#define DEVSEC_DOE_MAX_DW	(2 + DEVSEC_MAX_MSG / 4)

#define DEVSEC_NR_IDENTITIES	2

/* Config space of one function: contents and which bits software may set */
struct devsec_cfg {
	u8 data[DEVSEC_CFG_SIZE];
	u8 wmask[DEVSEC_CFG_SIZE];
};

/**
 * struct devsec_mb - emulated DOE mailbox (PCIe r6.2 sec 6.30)
 * @wbuf: data object being written through the Write Data Mailbox
 * @wlen: dwords in @wbuf
 * @rbuf: response object read through the Read Data Mailbox
 * @rlen: dwords in @rbuf
 * @rpos: next dword of @rbuf to read
 * @busy: DOE Busy: a request is being processed
 * @error: DOE Error: cleared only by Abort
 * @ready: Data Object Ready
 * @pending: a CMA request waits for @work
 * @gen: bumped by Abort and reset; a response of an older generation is
 *	dropped
 * @drop: fault: number of responses to drop (mailbox stays Busy)
 * @delay_ms: fault: delay before each response becomes ready
 * @work: runs the responder, which may sleep (signing)
 * @req: request copied out of @wbuf, private to @work
 * @rsp: response being built, private to @work
 *
 * Register state is protected by devsec_ep.lock.
 */
struct devsec_mb {
	u32 wbuf[DEVSEC_DOE_MAX_DW];
	size_t wlen;
	u32 rbuf[DEVSEC_DOE_MAX_DW];
	size_t rlen;
	size_t rpos;
	bool busy;
	bool error;
	bool ready;
	bool pending;
	unsigned int gen;
	unsigned int drop;
	unsigned int delay_ms;
	struct work_struct work;
	u8 req[DEVSEC_MAX_MSG + 8];
	u8 rsp[DEVSEC_MAX_MSG];
};

struct devsec_hb;
struct pci_doe_mb;
struct pci_tsm_evidence;
struct spdm_evidence;
struct spdm_state;
struct tsm_dev;

/**
 * struct devsec_ep - one emulated endpoint and its root port
 * @hb: host bridge the endpoint sits under
 * @lock: protects @cfg, @port_cfg and @mb register state; a raw spinlock
 *	because config accessors may run under the raw pci_lock
 * @cfg: endpoint (function 0) config space
 * @port_cfg: config space of the root port above the endpoint
 * @mb: DOE mailbox
 * @rsp_lock: serialises the responder (@rsp, @identity)
 * @reset_pending: a function reset the responder has not applied yet,
 *	under @lock
 * @reset_work: applies it (devsec_ep_reset_sync())
 * @rsp: SPDM + TDISP responder
 * @identity: index of the identity the responder presents
 * @pdev: the endpoint's pci_dev once scanned (holds a reference)
 * @has_fn1: the endpoint has a function 1 (@fn1_cfg): no DOE, no TEE of
 *	its own, managed by function 0's DSM
 * @fn1_cfg: config space of function 1
 * @debugfs: fault injection directory
 */
struct devsec_ep {
	struct devsec_hb *hb;
	raw_spinlock_t lock;
	struct devsec_cfg cfg;
	struct devsec_cfg port_cfg;
	struct devsec_mb mb;
	struct mutex rsp_lock;		/* serialises @rsp and @identity */
	bool reset_pending;
	struct work_struct reset_work;
	struct devsec_rsp rsp;
	unsigned int identity;
	struct pci_dev *pdev;
	bool has_fn1;
	struct devsec_cfg fn1_cfg;
	struct dentry *debugfs;
};

/**
 * struct devsec_bridge_config - platform data of a "devsec-bridge" device
 * @nr_endpoints: endpoints (1 .. %DEVSEC_MAX_ENDPOINTS)
 * @multifunction: each endpoint has a second function
 */
struct devsec_bridge_config {
	unsigned int nr_endpoints;
	bool multifunction;
};

/**
 * struct devsec_hb - one emulated host bridge (one PCI domain)
 * @sysdata: x86 PCI sysdata (domain); first, as bus->sysdata points here
 * @bus: root bus
 * @busn: bus number range of the domain
 * @nr_ports: root ports (and endpoints) on this bridge
 * @eps: endpoints; root port i is device i / 8, function i % 8
 */
struct devsec_hb {
	struct pci_sysdata sysdata;
	struct pci_bus *bus;
	struct resource busn;
	unsigned int nr_ports;
	struct devsec_ep *eps[DEVSEC_PORTS_PER_HB];
};

/**
 * struct devsec_bridge - one instance of the emulated platform
 * @dev: the platform device
 * @nr_eps: endpoints
 * @nr_hbs: host bridges (domains)
 * @eps: all endpoints
 * @hbs: all host bridges
 * @link_tsm: the platform's link TSM (link_tsm.c)
 * @tvm_tsm: the platform's devsec TSM (tvm_tsm.c)
 */
struct devsec_bridge {
	struct device *dev;
	unsigned int nr_eps;
	unsigned int nr_hbs;
	struct devsec_ep **eps;
	struct devsec_hb **hbs;
	struct tsm_dev *link_tsm;
	struct tsm_dev *tvm_tsm;
};

/* identity.c */
extern const struct devsec_rsp_ops devsec_rsp_ops;
int devsec_identities_init(void);
void devsec_identities_exit(void);
const struct devsec_identity *devsec_identity(unsigned int i);
const u8 *devsec_identity_leaf(unsigned int i, size_t *len);
const u8 *devsec_identity_root(unsigned int i, size_t *len);

/* mailbox.c */
void devsec_mb_init(struct devsec_ep *ep);
void devsec_mb_exit(struct devsec_ep *ep);
void devsec_mb_reset(struct devsec_ep *ep);
void devsec_mb_hw_reset(struct devsec_ep *ep);
void devsec_ep_reset_sync(struct devsec_ep *ep);
u32 devsec_mb_read(struct devsec_ep *ep, unsigned int reg);
void devsec_mb_write(struct devsec_ep *ep, unsigned int reg, u32 val);

/* fault.c */
int devsec_debugfs_init(void);
void devsec_debugfs_exit(void);
void devsec_ep_debugfs_add(struct devsec_ep *ep);
void devsec_ep_debugfs_remove(struct devsec_ep *ep);
void devsec_ep_corrupt_sig(struct devsec_ep *ep);
int devsec_ep_set_identity(struct devsec_ep *ep, unsigned int identity);
int devsec_ep_set_slot1(struct devsec_ep *ep, int identity);
void devsec_ep_update_firmware(struct devsec_ep *ep);
void devsec_ep_set_drop(struct devsec_ep *ep, unsigned int count);
void devsec_ep_set_max_portion(struct devsec_ep *ep, u16 len);
void devsec_ep_set_not_ready(struct devsec_ep *ep, bool on);
unsigned int devsec_ep_requests(struct devsec_ep *ep);
void devsec_ep_set_delay(struct devsec_ep *ep, unsigned int ms);
void devsec_ep_set_error(struct devsec_ep *ep, u8 code);
void devsec_ep_reset(struct devsec_ep *ep);
enum devsec_tdi_state devsec_ep_tdi_state(struct devsec_ep *ep);

/* bridge.c */
struct devsec_bridge *devsec_bridge_from_dev(struct device *dev);
struct devsec_ep *devsec_ep_of(struct devsec_bridge *br, struct pci_dev *pdev);

/* link_tsm.c */
int devsec_link_tsm_add(struct devsec_bridge *br);
void devsec_link_tsm_del(struct devsec_bridge *br);

/* tvm_tsm.c */
int devsec_tvm_tsm_add(struct devsec_bridge *br);
void devsec_tvm_tsm_del(struct devsec_bridge *br);

#endif /* __DEVSEC_H__ */

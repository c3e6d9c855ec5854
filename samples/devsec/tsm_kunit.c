// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the emulated platform's TSMs (link_tsm.c, tvm_tsm.c)
 * driven by the PCI TSM core: each case instantiates a fresh emulated
 * bridge, whose probe registers a link TSM and a devsec TSM, and runs the
 * core's connect, disconnect, lock, accept, unlock and refresh flows
 * against its endpoints, checking the core's state, the evidence store
 * and the TDISP state the emulated device itself holds.
 *
 * Then revalidation: a function reset through the PCI core under each
 * policy, with the device unchanged, replaced or updated meanwhile.
 *
 * The core functions used here (pci_tsm_devsec_lock(), pci_tsm_refresh(),
 * pci_tsm_policy_set(), the tsm/ attributes, ...) are not exported: the
 * suite is only built with the sample built in (see
 * SAMPLE_DEVSEC_TSM_KUNIT_TEST).
 */

#include <crypto/sha2.h>
#include <kunit/test.h>
#include <linux/debug_locks.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/pci-tsm-spdm.h>
#include <linux/platform_device.h>
#include <linux/random.h>
#include <linux/spdm.h>
#include <linux/tsm.h>
#include <linux/unaligned.h>

#include "../../drivers/pci/pci.h"
#include "../../drivers/pci/tsm/tsm.h"
#include "devsec.h"

#define NR_EPS		2
#define OBJ_MAX		8192

struct devsec_tsm_test {
	struct platform_device *pdev;
	struct devsec_bridge *br;
	struct devsec_ep *ep[NR_EPS];
	struct pci_dev *fn[NR_EPS];
	int link_id;
	int tvm_id;
};

static int devsec_tsm_test_init(struct kunit *test)
{
	struct devsec_tsm_test *t;
	struct devsec_bridge_config cfg = { .nr_endpoints = NR_EPS };
	int i;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->pdev = platform_device_register_data(NULL, "devsec-bridge",
						PLATFORM_DEVID_AUTO, &cfg,
						sizeof(cfg));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->pdev);
	test->priv = t;

	t->br = devsec_bridge_from_dev(&t->pdev->dev);
	KUNIT_ASSERT_NOT_NULL(test, t->br);
	KUNIT_ASSERT_NOT_NULL(test, t->br->link_tsm);
	KUNIT_ASSERT_NOT_NULL(test, t->br->tvm_tsm);
	t->link_id = t->br->link_tsm->id;
	t->tvm_id = t->br->tvm_tsm->id;
	for (i = 0; i < NR_EPS; i++) {
		t->ep[i] = t->br->eps[i];
		t->fn[i] = t->ep[i]->pdev;
		KUNIT_ASSERT_NOT_NULL(test, t->fn[i]);
		/* Transitions need a function no driver is bound to */
		KUNIT_ASSERT_NULL(test, t->fn[i]->dev.driver);
	}
	return 0;
}

static void devsec_tsm_test_exit(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;

	if (t && !IS_ERR_OR_NULL(t->pdev))
		platform_device_unregister(t->pdev);
	/* Nothing may upset lockdep: it turns itself off at the first splat */
	KUNIT_EXPECT_TRUE(test, debug_locks);
}

/* Write @buf to the tsm/ attribute @name of @pdev, as userspace does */
static int tsm_attr_store(struct pci_dev *pdev, const char *name,
			  const char *buf)
{
	struct attribute **attrs = pci_tsm_attr_group.attrs;
	struct device_attribute *dattr;
	ssize_t rc;

	for (; *attrs; attrs++) {
		if (strcmp((*attrs)->name, name))
			continue;
		dattr = container_of(*attrs, struct device_attribute, attr);
		rc = dattr->store(&pdev->dev, dattr, buf, strlen(buf));
		return rc < 0 ? rc : 0;
	}
	return -ENOENT;
}

/* Read the tsm/ attribute @name of @pdev into @buf (PAGE_SIZE) */
static ssize_t tsm_attr_show(struct pci_dev *pdev, const char *name,
			     char *buf)
{
	struct attribute **attrs = pci_tsm_attr_group.attrs;
	struct device_attribute *dattr;

	for (; *attrs; attrs++) {
		if (strcmp((*attrs)->name, name))
			continue;
		dattr = container_of(*attrs, struct device_attribute, attr);
		return dattr->show(&pdev->dev, dattr, buf);
	}
	return -ENOENT;
}

static int tsm_connect(struct pci_dev *pdev, int id)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "tsm%d\n", id);
	return tsm_attr_store(pdev, "connect", buf);
}

static int tsm_disconnect(struct pci_dev *pdev, int id)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "tsm%d\n", id);
	return tsm_attr_store(pdev, "disconnect", buf);
}

static bool has_obj(struct pci_dev *pdev, enum pci_tsm_object_type type)
{
	return pci_tsm_evidence_copy(pdev, type, 0, NULL, 0) >= 0;
}

/* A copy of object @type (slot 0) of @pdev's evidence; its length in @len */
static u8 *get_obj(struct kunit *test, struct pci_dev *pdev,
		   enum pci_tsm_object_type type, size_t *len)
{
	u8 *buf = kunit_kzalloc(test, OBJ_MAX, GFP_KERNEL);
	ssize_t n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = pci_tsm_evidence_copy(pdev, type, 0, buf, OBJ_MAX);
	KUNIT_ASSERT_GE_MSG(test, n, 0, "object type %d", type);
	KUNIT_ASSERT_LE(test, n, OBJ_MAX);
	*len = n;
	return buf;
}

/*
 * What an SPDM authentication of the emulated device leaves: it has one
 * slot and signs its measurements, so the transcript is L1.
 */
static void expect_spdm_evidence(struct kunit *test, struct pci_dev *pdev)
{
	static const enum pci_tsm_object_type types[] = {
		PCI_TSM_OBJECT_TYPE_CERT_CHAIN, PCI_TSM_OBJECT_TYPE_VCA,
		PCI_TSM_OBJECT_TYPE_CHALLENGE, PCI_TSM_OBJECT_TYPE_TRANSCRIPT,
		PCI_TSM_OBJECT_TYPE_SIGNATURE, PCI_TSM_OBJECT_TYPE_MEASUREMENTS,
	};
	size_t len;
	u8 *chain;

	for (int i = 0; i < ARRAY_SIZE(types); i++)
		KUNIT_EXPECT_TRUE_MSG(test, has_obj(pdev, types[i]), "type %d",
				      types[i]);
	for (u8 slot = 1; slot < SPDM_MAX_SLOTS; slot++) {
		ssize_t n = pci_tsm_evidence_copy(pdev, PCI_TSM_OBJECT_TYPE_CERT_CHAIN,
						  slot, NULL, 0);

		KUNIT_EXPECT_EQ_MSG(test, n, -ENOENT, "slot %u", slot);
	}

	/* SPDM's certificate chain header: its own length, then the root hash */
	chain = get_obj(test, pdev, PCI_TSM_OBJECT_TYPE_CERT_CHAIN, &len);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(chain), len);
	get_obj(test, pdev, PCI_TSM_OBJECT_TYPE_SIGNATURE, &len);
	KUNIT_EXPECT_EQ(test, len, DEVSEC_SIG_SIZE);
}

/* Connect evidence: SPDM only */
static void expect_link_evidence(struct kunit *test, struct pci_dev *pdev)
{
	expect_spdm_evidence(test, pdev);
	KUNIT_EXPECT_FALSE(test, has_obj(pdev, PCI_TSM_OBJECT_TYPE_INTERFACE_REPORT));
	/* chain, VCA, CHALLENGE, MEASUREMENTS, M1 and L1 pairs, last pair */
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), 10);
}

/* Lock evidence: SPDM and the interface report of this very function */
static void expect_lock_evidence(struct kunit *test, struct pci_dev *pdev)
{
	size_t len;
	u8 *r;

	expect_spdm_evidence(test, pdev);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), 11);
	r = get_obj(test, pdev, PCI_TSM_OBJECT_TYPE_INTERFACE_REPORT, &len);
	KUNIT_ASSERT_EQ(test, len, 28);
	/* INTERFACE_INFO: locked with firmware updates forbidden */
	KUNIT_EXPECT_TRUE(test, get_unaligned_le16(r) & BIT(0));
	/* device specific info: firmware version, then the function */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(r + 24), pci_dev_id(pdev));
}

static void expect_no_evidence(struct kunit *test, struct pci_dev *pdev)
{
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), -ENODATA);
}

/* Unlocked as far as the core, the store and the device are concerned */
static void expect_unlocked(struct kunit *test, struct devsec_tsm_test *t,
			    int i)
{
	KUNIT_EXPECT_NULL(test, t->fn[i]->tsm);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(t->fn[i]),
			PCI_TSM_DEVSEC_UNLOCKED);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[i]),
			DEVSEC_TDI_CONFIG_UNLOCKED);
	expect_no_evidence(test, t->fn[i]);
}

static void devsec_tsm_test_lock_accept_unlock(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	u64 g0, g1, g2;

	g0 = pci_tsm_generation(fn);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	KUNIT_ASSERT_NOT_NULL(test, fn->tsm);
	KUNIT_EXPECT_PTR_EQ(test, fn->tsm->tsm_dev, t->br->tvm_tsm);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_LOCKED);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]),
			DEVSEC_TDI_CONFIG_LOCKED);
	expect_lock_evidence(test, fn);
	g1 = pci_tsm_generation(fn);
	KUNIT_EXPECT_GT(test, g1, g0);
	/* The other endpoint is not involved */
	expect_unlocked(test, t, 1);

	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_accept(fn, NULL), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_RUN);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]), DEVSEC_TDI_RUN);
	g2 = pci_tsm_generation(fn);

	/* Idempotent: no second START_INTERFACE, nothing changes */
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, &g2), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_RUN);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]), DEVSEC_TDI_RUN);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(fn), g2);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(fn), 11);

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);
	KUNIT_EXPECT_GT(test, pci_tsm_generation(fn), g2);
}

/* accept names the generation userspace checked */
static void devsec_tsm_test_accept_generation(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	u64 gen, stale;

	stale = pci_tsm_generation(fn);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	gen = pci_tsm_generation(fn);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, &stale), -ESTALE);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_LOCKED);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]),
			DEVSEC_TDI_CONFIG_LOCKED);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, &gen), 0);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]), DEVSEC_TDI_RUN);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);
}

static void devsec_tsm_test_illegal(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	u8 nonce[PCI_TSM_NONCE_LEN] = { };
	u64 gen;

	/* Nothing to accept, unlock or refresh */
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), -ENXIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_refresh(fn, nonce, 0), -ENXIO);
	expect_unlocked(test, t, 0);

	/* Only a registered devsec TSM locks */
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(fn, t->link_id), -ENXIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(fn, -1), -ENXIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(fn, INT_MAX), -ENXIO);
	expect_unlocked(test, t, 0);

	/* A second lock, by any TSM, is refused and changes nothing */
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	gen = pci_tsm_generation(fn);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), -EBUSY);
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), -EBUSY);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(fn), gen);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_LOCKED);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]),
			DEVSEC_TDI_CONFIG_LOCKED);
	/* disconnect is for link TSMs */
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->tvm_id), -ENXIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);

	/* A connected function is not locked, accepted or unlocked */
	KUNIT_ASSERT_EQ(test, tsm_connect(fn, t->link_id), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), -EBUSY);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), -ENXIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	KUNIT_EXPECT_PTR_EQ(test, fn->tsm->tsm_dev, t->br->link_tsm);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]),
			DEVSEC_TDI_CONFIG_UNLOCKED);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);
	expect_unlocked(test, t, 0);
}

/* A firmware update puts a locked or running interface in ERROR */
/*
 * Reading tsm/state asks the device nothing, whoever reads: the state of
 * the last transition or sync.  Writing "sync" asks the TSM.
 */
static void devsec_tsm_test_state_cached(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	unsigned int n;
	char *buf;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_accept(fn, NULL), 0);

	n = devsec_ep_requests(t->ep[0]);
	KUNIT_EXPECT_GT(test, tsm_attr_show(fn, "state", buf), 0);
	KUNIT_EXPECT_STREQ(test, buf, "run\n");
	devsec_ep_update_firmware(t->ep[0]);
	KUNIT_EXPECT_GT(test, tsm_attr_show(fn, "state", buf), 0);
	KUNIT_EXPECT_STREQ(test, buf, "run\n");
	KUNIT_EXPECT_EQ(test, devsec_ep_requests(t->ep[0]), n);

	KUNIT_EXPECT_EQ(test, tsm_attr_store(fn, "state", "status\n"), -EINVAL);
	KUNIT_EXPECT_EQ(test, devsec_ep_requests(t->ep[0]), n);
	KUNIT_EXPECT_EQ(test, tsm_attr_store(fn, "state", "sync\n"), 0);
	KUNIT_EXPECT_GT(test, devsec_ep_requests(t->ep[0]), n);
	KUNIT_EXPECT_GT(test, tsm_attr_show(fn, "state", buf), 0);
	KUNIT_EXPECT_STREQ(test, buf, "error\n");

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	KUNIT_EXPECT_GT(test, tsm_attr_show(fn, "state", buf), 0);
	KUNIT_EXPECT_STREQ(test, buf, "unlocked\n");
	expect_unlocked(test, t, 0);
}

static void devsec_tsm_test_firmware_update(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	u64 gen;

	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	devsec_ep_update_firmware(t->ep[0]);
	KUNIT_ASSERT_EQ(test, devsec_ep_tdi_state(t->ep[0]), DEVSEC_TDI_ERROR);
	gen = pci_tsm_generation(fn);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_ERROR);
	/* The state change is an evidence change */
	KUNIT_EXPECT_GT(test, pci_tsm_generation(fn), gen);
	gen = pci_tsm_generation(fn);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, &gen), -EIO);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]), DEVSEC_TDI_ERROR);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);

	/* From RUN: the next accept notices, and is no longer a no-op */
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_accept(fn, NULL), 0);
	devsec_ep_update_firmware(t->ep[0]);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_ERROR);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);
}

/* The device forgets everything (reset) while locked */
static void devsec_tsm_test_reset_locked(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];

	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	devsec_ep_reset(t->ep[0]);
	KUNIT_ASSERT_EQ(test, devsec_ep_tdi_state(t->ep[0]),
			DEVSEC_TDI_CONFIG_UNLOCKED);

	/*
	 * The TSM reconnects to ask for the interface state, finds it
	 * CONFIG_UNLOCKED, and the core takes that for a lost lock: ERROR.
	 */
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_ERROR);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_ERROR);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]),
			DEVSEC_TDI_CONFIG_UNLOCKED);

	/* unlock cleans up although STOP_INTERFACE fails; lock works again */
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), 0);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]), DEVSEC_TDI_RUN);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);
}

enum unlock_from {
	FROM_UNLOCKED,
	FROM_LOCKED,
	FROM_RUN,
	FROM_ERROR_LOCKED,
	FROM_ERROR_RUN,
	FROM_RESET,
};

struct unlock_case {
	const char *desc;
	enum unlock_from from;
	int state;
};

static const struct unlock_case unlock_cases[] = {
	{ "unlocked", FROM_UNLOCKED, PCI_TSM_DEVSEC_UNLOCKED },
	{ "locked", FROM_LOCKED, PCI_TSM_DEVSEC_LOCKED },
	{ "run", FROM_RUN, PCI_TSM_DEVSEC_RUN },
	{ "error-from-locked", FROM_ERROR_LOCKED, PCI_TSM_DEVSEC_ERROR },
	{ "error-from-run", FROM_ERROR_RUN, PCI_TSM_DEVSEC_ERROR },
	{ "reset-while-locked", FROM_RESET, PCI_TSM_DEVSEC_ERROR },
};

KUNIT_ARRAY_PARAM_DESC(unlock, unlock_cases, desc);

/* unlock succeeds from every state and leaves a function that locks again */
static void devsec_tsm_test_unlock_from(struct kunit *test)
{
	const struct unlock_case *c = test->param_value;
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];

	if (c->from != FROM_UNLOCKED)
		KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	if (c->from == FROM_RUN || c->from == FROM_ERROR_RUN)
		KUNIT_ASSERT_EQ(test, pci_tsm_devsec_accept(fn, NULL), 0);
	if (c->from == FROM_ERROR_LOCKED || c->from == FROM_ERROR_RUN) {
		devsec_ep_update_firmware(t->ep[0]);
		KUNIT_ASSERT_EQ(test, pci_tsm_devsec_accept(fn, NULL), -EIO);
	}
	if (c->from == FROM_RESET)
		devsec_ep_reset(t->ep[0]);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_state(fn), c->state);

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);

	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]),
			DEVSEC_TDI_CONFIG_LOCKED);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);
}

static void devsec_tsm_test_connect_disconnect(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[1];
	u64 g0, g1;

	g0 = pci_tsm_generation(fn);
	KUNIT_ASSERT_EQ(test, tsm_connect(fn, t->link_id), 0);
	KUNIT_ASSERT_NOT_NULL(test, fn->tsm);
	KUNIT_EXPECT_PTR_EQ(test, fn->tsm->tsm_dev, t->br->link_tsm);
	expect_link_evidence(test, fn);
	g1 = pci_tsm_generation(fn);
	KUNIT_EXPECT_GT(test, g1, g0);
	/* connect does not touch the interface, nor the other endpoint */
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[1]),
			DEVSEC_TDI_CONFIG_UNLOCKED);
	expect_no_evidence(test, t->fn[0]);

	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), -EBUSY);
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->tvm_id), -EBUSY);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->tvm_id), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(fn), g1);
	expect_link_evidence(test, fn);

	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);
	expect_unlocked(test, t, 1);
	KUNIT_EXPECT_GT(test, pci_tsm_generation(fn), g1);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), -ENXIO);

	/* and again: the session is set up afresh */
	KUNIT_ASSERT_EQ(test, tsm_connect(fn, t->link_id), 0);
	expect_link_evidence(test, fn);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);
	expect_no_evidence(test, fn);
}

/* Both signed requests carry @nonce; the L1 transcript signs it */
static void expect_nonce(struct kunit *test, struct pci_dev *pdev,
			 const u8 *nonce)
{
	size_t len, vca_len;
	u8 *obj;

	/* CHALLENGE: header, then Nonce */
	obj = get_obj(test, pdev, PCI_TSM_OBJECT_TYPE_CHALLENGE, &len);
	KUNIT_ASSERT_GE(test, len, 4 + PCI_TSM_NONCE_LEN);
	KUNIT_EXPECT_MEMEQ(test, obj + 4, nonce, PCI_TSM_NONCE_LEN);
	/* GET_MEASUREMENTS with a signature requested: header, then Nonce */
	obj = get_obj(test, pdev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS, &len);
	KUNIT_ASSERT_GE(test, len, 4 + PCI_TSM_NONCE_LEN);
	KUNIT_EXPECT_EQ(test, obj[1], 0xe0);
	KUNIT_EXPECT_MEMEQ(test, obj + 4, nonce, PCI_TSM_NONCE_LEN);
	/* SPDM 1.2 L1: VCA || GET_MEASUREMENTS || MEASUREMENTS */
	get_obj(test, pdev, PCI_TSM_OBJECT_TYPE_VCA, &vca_len);
	obj = get_obj(test, pdev, PCI_TSM_OBJECT_TYPE_TRANSCRIPT, &len);
	KUNIT_ASSERT_GE(test, len, vca_len + 4 + PCI_TSM_NONCE_LEN);
	KUNIT_EXPECT_MEMEQ(test, obj + vca_len + 4, nonce, PCI_TSM_NONCE_LEN);
}

static void devsec_tsm_test_refresh_nonce(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	u8 nonce[PCI_TSM_NONCE_LEN];
	u64 gen;

	/* link TSM */
	KUNIT_ASSERT_EQ(test, tsm_connect(fn, t->link_id), 0);
	gen = pci_tsm_generation(fn);
	get_random_bytes(nonce, sizeof(nonce));
	KUNIT_ASSERT_EQ(test, pci_tsm_refresh(fn, nonce, 0), 0);
	KUNIT_EXPECT_GT(test, pci_tsm_generation(fn), gen);
	expect_link_evidence(test, fn);
	expect_nonce(test, fn, nonce);
	/* a second nonce replaces the first */
	nonce[0] ^= 0xff;
	KUNIT_ASSERT_EQ(test, pci_tsm_refresh(fn, nonce, 0), 0);
	expect_nonce(test, fn, nonce);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);

	/* devsec TSM: the interface stays locked, and can still be accepted */
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	gen = pci_tsm_generation(fn);
	get_random_bytes(nonce, sizeof(nonce));
	KUNIT_ASSERT_EQ(test, pci_tsm_refresh(fn, nonce, 0), 0);
	KUNIT_EXPECT_GT(test, pci_tsm_generation(fn), gen);
	expect_lock_evidence(test, fn);
	expect_nonce(test, fn, nonce);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_LOCKED);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), 0);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]), DEVSEC_TDI_RUN);
	/* and refreshed in RUN */
	nonce[0] ^= 0xff;
	KUNIT_EXPECT_EQ(test, pci_tsm_refresh(fn, nonce, 0), 0);
	expect_nonce(test, fn, nonce);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_RUN);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);
}

struct evidence_snap {
	u64 gen;
	int nr;
	size_t len;
	u8 *sig;
};

static void snap(struct kunit *test, struct pci_dev *pdev,
		 struct evidence_snap *s)
{
	s->gen = pci_tsm_generation(pdev);
	s->nr = pci_tsm_evidence_objects(pdev);
	s->sig = get_obj(test, pdev, PCI_TSM_OBJECT_TYPE_SIGNATURE, &s->len);
}

/* The evidence is still the one in @s */
static void expect_snap(struct kunit *test, struct pci_dev *pdev,
			const struct evidence_snap *s)
{
	size_t len;
	u8 *sig;

	KUNIT_EXPECT_EQ(test, pci_tsm_generation(pdev), s->gen);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), s->nr);
	sig = get_obj(test, pdev, PCI_TSM_OBJECT_TYPE_SIGNATURE, &len);
	KUNIT_EXPECT_EQ(test, len, s->len);
	KUNIT_EXPECT_MEMEQ(test, sig, s->sig, len);
}

/* A refresh whose signature does not verify changes no evidence */
static void devsec_tsm_test_refresh_bad_sig(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	u8 nonce[PCI_TSM_NONCE_LEN];
	struct evidence_snap s;

	get_random_bytes(nonce, sizeof(nonce));
	KUNIT_ASSERT_EQ(test, tsm_connect(fn, t->link_id), 0);
	snap(test, fn, &s);
	devsec_ep_corrupt_sig(t->ep[0]);
	KUNIT_EXPECT_EQ(test, pci_tsm_refresh(fn, nonce, 0), -EKEYREJECTED);
	expect_snap(test, fn, &s);
	/* The fault was one shot */
	KUNIT_EXPECT_EQ(test, pci_tsm_refresh(fn, nonce, 0), 0);
	expect_nonce(test, fn, nonce);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);

	/* Locked: the interface survives a failed refresh */
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	snap(test, fn, &s);
	devsec_ep_corrupt_sig(t->ep[0]);
	KUNIT_EXPECT_EQ(test, pci_tsm_refresh(fn, nonce, 0), -EKEYREJECTED);
	expect_snap(test, fn, &s);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_LOCKED);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), 0);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep[0]), DEVSEC_TDI_RUN);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);
}

/*
 * A refused connect publishes what the device sent, marked with the
 * error, so that userspace can see why; the function is not connected.
 * The next connect, or the TSM going away, ends it.
 */
static void devsec_tsm_test_connect_refused(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	int status = 1;
	u64 g0;

	g0 = pci_tsm_generation(fn);
	devsec_ep_corrupt_sig(t->ep[0]);
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), -EKEYREJECTED);
	KUNIT_EXPECT_NULL(test, fn->tsm);
	KUNIT_EXPECT_GT(test, pci_tsm_generation(fn), g0);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connect_error(fn), -EKEYREJECTED);
	/* the chain validated; CHALLENGE_AUTH came with the bad signature */
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_chain_status(fn, 0, &status), 0);
	KUNIT_EXPECT_EQ(test, status, 0);
	KUNIT_EXPECT_TRUE(test, has_obj(fn, PCI_TSM_OBJECT_TYPE_VCA));
	KUNIT_EXPECT_TRUE(test, has_obj(fn, PCI_TSM_OBJECT_TYPE_CHALLENGE));
	KUNIT_EXPECT_TRUE(test, has_obj(fn, PCI_TSM_OBJECT_TYPE_CHALLENGE_SIGNATURE));
	KUNIT_EXPECT_FALSE(test, has_obj(fn, PCI_TSM_OBJECT_TYPE_MEASUREMENTS));
	/* chain, VCA, CHALLENGE, the M1 pair, the last pair */
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(fn), 7);
	/* nothing to disconnect; the evidence stays */
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), -ENXIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connect_error(fn), -EKEYREJECTED);

	/* the next connect replaces it with the session's */
	KUNIT_ASSERT_EQ(test, tsm_connect(fn, t->link_id), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connect_error(fn), 0);
	expect_link_evidence(test, fn);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);
	expect_no_evidence(test, fn);

	/* the TSM that published it goes away: so does the evidence */
	devsec_ep_corrupt_sig(t->ep[0]);
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connect_error(fn), -EKEYREJECTED);
	devsec_link_tsm_del(t->br);
	expect_no_evidence(test, fn);
}

/* The evidence of a refused connect goes away with the device */
static void devsec_tsm_test_refused_removed(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = pci_dev_get(t->fn[1]);

	devsec_ep_corrupt_sig(t->ep[1]);
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connect_error(fn), -EKEYREJECTED);

	/* hot-unplug: the devices go before the TSMs do */
	pci_stop_and_remove_bus_device_locked(fn);
	expect_no_evidence(test, fn);
	pci_dev_put(fn);
}

/*
 * A connect that comes in once pci_destroy_dev() has marked the function
 * removed (a sysfs write racing hot-unplug) takes no new state: no
 * context, no evidence, nothing for pci_tsm_destroy() to have missed.
 */
static void devsec_tsm_test_connect_removed(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];

	/* the window pci_destroy_dev() opens before pci_tsm_destroy() */
	set_bit(PCI_DEV_REMOVED, &fn->priv_flags);
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), -ENODEV);
	KUNIT_EXPECT_NULL(test, fn->tsm);
	expect_no_evidence(test, fn);
	clear_bit(PCI_DEV_REMOVED, &fn->priv_flags);

	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), 0);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);
}

/*
 * Other slots only on request: a refresh with a slot mask publishes slot
 * 1's chain with its status; connect and a plain refresh fetch slot 0 only.
 */
static void devsec_tsm_test_refresh_slots(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	u8 nonce[PCI_TSM_NONCE_LEN];
	int status = 1;
	size_t len;
	u8 *c1;

	get_random_bytes(nonce, sizeof(nonce));
	/* slot 1 holds the chain of another device */
	KUNIT_ASSERT_EQ(test, devsec_ep_set_slot1(t->ep[0], 1), 0);
	KUNIT_ASSERT_EQ(test, tsm_connect(fn, t->link_id), 0);
	expect_link_evidence(test, fn);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_chain_status(fn, 1, &status),
			-ENOENT);

	KUNIT_ASSERT_EQ(test, pci_tsm_refresh(fn, nonce, BIT(1)), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_chain_status(fn, 1, &status), 0);
	KUNIT_EXPECT_EQ(test, status, 0);
	c1 = kunit_kzalloc(test, OBJ_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c1);
	len = pci_tsm_evidence_copy(fn, PCI_TSM_OBJECT_TYPE_CERT_CHAIN, 1, c1,
				    OBJ_MAX);
	KUNIT_ASSERT_EQ(test, len, devsec_identity(1)->chain_len);
	KUNIT_EXPECT_MEMEQ(test, c1, devsec_identity(1)->chain, len);
	expect_nonce(test, fn, nonce);

	/* a slot the device does not populate is not fetched */
	KUNIT_EXPECT_EQ(test, pci_tsm_refresh(fn, nonce, BIT(2)), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_chain_status(fn, 1, &status),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_chain_status(fn, 2, &status),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);
	KUNIT_EXPECT_EQ(test, devsec_ep_set_slot1(t->ep[0], -1), 0);
}

/* doe.c gives up on a response after 1 s; allow for a slow TCG guest */
#define DROP_BOUND_MS	10000

/* A response that never comes fails the flow in bounded time */
static void devsec_tsm_test_dropped_response(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	u8 nonce[PCI_TSM_NONCE_LEN];
	struct evidence_snap s;
	unsigned long start;

	get_random_bytes(nonce, sizeof(nonce));

	/* connect and lock fail and hold nothing */
	devsec_ep_set_drop(t->ep[0], 1);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), -EIO);
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start), DROP_BOUND_MS);
	expect_unlocked(test, t, 0);

	devsec_ep_set_drop(t->ep[0], 1);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), -EIO);
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start), DROP_BOUND_MS);
	expect_unlocked(test, t, 0);

	/* a refresh fails and keeps the evidence it had */
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	snap(test, fn, &s);
	devsec_ep_set_drop(t->ep[0], 1);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, pci_tsm_refresh(fn, nonce, 0), -EIO);
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start), DROP_BOUND_MS);
	expect_snap(test, fn, &s);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_LOCKED);

	/* the mailbox recovered: the next refresh goes through */
	KUNIT_EXPECT_EQ(test, pci_tsm_refresh(fn, nonce, 0), 0);
	expect_nonce(test, fn, nonce);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);
}

/*
 * What a hostile device can make one connect cost is bounded (lib/spdm's
 * budget): a chain sent a byte at a time is refused at the first short
 * portion, a device that is never ready at the retry limit, a slow one at
 * the time limit.
 */
static void devsec_tsm_test_budget_portion(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	size_t chain_len = devsec_identity(0)->chain_len;
	struct pci_dev *fn = t->fn[0];
	unsigned int n;

	n = devsec_ep_requests(t->ep[0]);
	devsec_ep_set_max_portion(t->ep[0], 1);
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), -EPROTO);
	/* VERSION, CAPABILITIES, ALGORITHMS, DIGESTS, one CERTIFICATE */
	KUNIT_EXPECT_EQ(test, devsec_ep_requests(t->ep[0]) - n, 5);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connect_error(fn), -EPROTO);

	/* The shortest portion allowed: one exchange per 256 bytes */
	n = devsec_ep_requests(t->ep[0]);
	devsec_ep_set_max_portion(t->ep[0], 256);
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), 0);
	KUNIT_EXPECT_EQ(test, devsec_ep_requests(t->ep[0]) - n,
			4 + DIV_ROUND_UP(chain_len, 256) + 2);
	devsec_ep_set_max_portion(t->ep[0], 0);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);
}

static void devsec_tsm_test_budget_not_ready(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	unsigned long start;
	unsigned int n;

	n = devsec_ep_requests(t->ep[0]);
	devsec_ep_set_not_ready(t->ep[0], true);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), -ETIMEDOUT);
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start), DROP_BOUND_MS);
	/* GET_VERSION and its 8 RESPOND_IF_READY */
	KUNIT_EXPECT_EQ(test, devsec_ep_requests(t->ep[0]) - n, 1 + 8);
	KUNIT_EXPECT_NULL(test, fn->tsm);

	devsec_ep_set_not_ready(t->ep[0], false);
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), 0);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);
}

#define SLOW_MS		200
#define SLOW_BUDGET_MS	500

static void devsec_tsm_test_budget_slow(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	unsigned int saved = pci_tsm_spdm_auth_time_ms;
	struct pci_dev *fn = t->fn[0];
	unsigned long start, ms;
	unsigned int n;

	/* Each response 200 ms late, 500 ms for the whole authentication */
	pci_tsm_spdm_auth_time_ms = SLOW_BUDGET_MS;
	devsec_ep_set_delay(t->ep[0], SLOW_MS);
	n = devsec_ep_requests(t->ep[0]);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), -ETIMEDOUT);
	ms = jiffies_to_msecs(jiffies - start);
	/* it gave up once out of time, not after the whole connect */
	KUNIT_EXPECT_GE(test, ms, SLOW_BUDGET_MS);
	KUNIT_EXPECT_LT(test, ms, SLOW_BUDGET_MS + SLOW_MS + DROP_BOUND_MS);
	KUNIT_EXPECT_LE(test, devsec_ep_requests(t->ep[0]) - n, 3);

	/* The same device within the default budget */
	pci_tsm_spdm_auth_time_ms = saved;
	KUNIT_EXPECT_EQ(test, tsm_connect(fn, t->link_id), 0);
	devsec_ep_set_delay(t->ep[0], 0);
	KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);
}

static bool tsm_registered(int id)
{
	guard(rwsem_read)(&pci_tsm_rwsem);
	return pci_tsm_find(id);
}

/*
 * The TSMs unregister (as on module removal) with functions locked,
 * accepted and connected: every function is unlocked or disconnected, on
 * the device too, and no evidence is left.
 */
static void devsec_tsm_test_unregister(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(t->fn[0], t->tvm_id), 0);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_accept(t->fn[0], NULL), 0);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(t->fn[1], t->tvm_id), 0);

	devsec_tvm_tsm_del(t->br);
	KUNIT_EXPECT_FALSE(test, tsm_registered(t->tvm_id));
	expect_unlocked(test, t, 0);
	expect_unlocked(test, t, 1);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(t->fn[0], t->tvm_id), -ENXIO);

	/* The link TSM still works, and departs the same way */
	KUNIT_ASSERT_EQ(test, tsm_connect(t->fn[1], t->link_id), 0);
	expect_link_evidence(test, t->fn[1]);
	devsec_link_tsm_del(t->br);
	KUNIT_EXPECT_FALSE(test, tsm_registered(t->link_id));
	expect_unlocked(test, t, 1);
}

/* The whole bridge goes away in the middle of the flows */
static void devsec_tsm_test_remove_bridge(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn[NR_EPS];
	int i;

	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(t->fn[0], t->tvm_id), 0);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_accept(t->fn[0], NULL), 0);
	KUNIT_ASSERT_EQ(test, tsm_connect(t->fn[1], t->link_id), 0);
	for (i = 0; i < NR_EPS; i++)
		fn[i] = pci_dev_get(t->fn[i]);

	platform_device_unregister(t->pdev);
	t->pdev = NULL;

	KUNIT_EXPECT_FALSE(test, tsm_registered(t->tvm_id));
	KUNIT_EXPECT_FALSE(test, tsm_registered(t->link_id));
	for (i = 0; i < NR_EPS; i++) {
		KUNIT_EXPECT_FALSE(test, pci_dev_is_added(fn[i]));
		KUNIT_EXPECT_NULL(test, fn[i]->tsm);
		expect_no_evidence(test, fn[i]);
		pci_dev_put(fn[i]);
	}
}

enum reval_fault {
	REVAL_UNCHANGED,
	REVAL_REPLACED,		/* another identity: key and chain */
	REVAL_FIRMWARE,		/* a firmware update: other measurements */
};

struct reval_case {
	const char *desc;
	bool link;		/* connected by the link TSM, else locked + run */
	u32 mode;		/* 0: no policy */
	enum reval_fault fault;
	u32 result;
};

#define SIG	PCI_TSM_REVALIDATE_MODE_SIGNATURE
#define MEAS	PCI_TSM_REVALIDATE_MODE_MEASUREMENTS
#define FATAL	PCI_TSM_REVALIDATE_MODE_FATAL

static const struct reval_case reval_cases[] = {
	{ "devsec-signature-unchanged", false, SIG, REVAL_UNCHANGED,
	  PCI_TSM_REVALIDATE_RESULT_PASS },
	{ "devsec-signature-replaced", false, SIG, REVAL_REPLACED,
	  PCI_TSM_REVALIDATE_RESULT_IDENTITY_MISMATCH },
	{ "devsec-signature-firmware", false, SIG, REVAL_FIRMWARE,
	  PCI_TSM_REVALIDATE_RESULT_PASS },
	{ "devsec-measurements-unchanged", false, MEAS, REVAL_UNCHANGED,
	  PCI_TSM_REVALIDATE_RESULT_PASS },
	{ "devsec-measurements-firmware", false, MEAS, REVAL_FIRMWARE,
	  PCI_TSM_REVALIDATE_RESULT_MEASUREMENT_MISMATCH },
	{ "devsec-measurements-replaced", false, MEAS, REVAL_REPLACED,
	  PCI_TSM_REVALIDATE_RESULT_IDENTITY_MISMATCH },
	{ "devsec-fatal", false, FATAL, REVAL_UNCHANGED,
	  PCI_TSM_REVALIDATE_RESULT_FATAL },
	{ "devsec-no-policy", false, 0, REVAL_UNCHANGED,
	  PCI_TSM_REVALIDATE_RESULT_DROPPED },
	{ "link-signature-unchanged", true, SIG, REVAL_UNCHANGED,
	  PCI_TSM_REVALIDATE_RESULT_PASS },
	{ "link-signature-replaced", true, SIG, REVAL_REPLACED,
	  PCI_TSM_REVALIDATE_RESULT_IDENTITY_MISMATCH },
	{ "link-fatal", true, FATAL, REVAL_UNCHANGED,
	  PCI_TSM_REVALIDATE_RESULT_FATAL },
	{ "link-no-policy", true, 0, REVAL_UNCHANGED,
	  PCI_TSM_REVALIDATE_RESULT_KEPT },
	{ "link-no-policy-replaced", true, 0, REVAL_REPLACED,
	  PCI_TSM_REVALIDATE_RESULT_KEPT },
};

KUNIT_ARRAY_PARAM_DESC(reval, reval_cases, desc);

/*
 * Pin @fn as userspace would after checking its evidence: slot 0 to the
 * SHA-256 of its chain and, in measurements mode, the measurement record
 * to the SHA-256 of the one it signed.
 */
static int set_policy(struct kunit *test, struct pci_dev *fn, u32 mode)
{
	struct pci_tsm_policy *policy;
	size_t len, req, rec_len;
	u8 *obj;

	policy = kzalloc_obj(*policy);
	KUNIT_ASSERT_NOT_NULL(test, policy);
	policy->mode = mode;
	if (mode != FATAL) {
		obj = get_obj(test, fn, PCI_TSM_OBJECT_TYPE_CERT_CHAIN, &len);
		sha256(obj, len, policy->slots[0].chain_hash);
		policy->slots[0].chain_hash_len = SHA256_DIGEST_SIZE;
		policy->slot_mask = BIT(0);
	}
	if (mode == MEAS) {
		/*
		 * GET_MEASUREMENTS (nonce and slot when a signature is
		 * asked for) || MEASUREMENTS: 4-byte header, number of
		 * blocks, 3-byte record length, then the record
		 */
		obj = get_obj(test, fn, PCI_TSM_OBJECT_TYPE_MEASUREMENTS, &len);
		KUNIT_ASSERT_GE(test, len, 4);
		req = 4 + (obj[2] & BIT(0) ? SPDM_NONCE_SIZE + 1 : 0);
		KUNIT_ASSERT_GE(test, len, req + 8);
		rec_len = get_unaligned_le24(obj + req + 5);
		KUNIT_ASSERT_LE(test, req + 8 + rec_len, len);
		sha256(obj + req + 8, rec_len, policy->meas_hash);
		policy->meas_hash_len = SHA256_DIGEST_SIZE;
	}
	guard(rwsem_read)(&pci_tsm_rwsem);
	return pci_tsm_policy_set(fn, policy);
}

/*
 * A function reset through the PCI core (FLR of the emulated endpoint,
 * which forgets its SPDM session and TDISP state) and the revalidation it
 * queues, per policy, with the device unchanged, replaced or updated in
 * between: the result, the generation, and what is left of the TSM's hold
 * on the function, in the core and on the device.
 */
static void devsec_tsm_test_revalidate(struct kunit *test)
{
	const struct reval_case *c = test->param_value;
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	struct devsec_ep *ep = t->ep[0];
	bool kept = c->result == PCI_TSM_REVALIDATE_RESULT_PASS ||
		    c->result == PCI_TSM_REVALIDATE_RESULT_KEPT;
	u32 err = 1;
	u64 gen;

	if (c->link) {
		KUNIT_ASSERT_EQ(test, tsm_connect(fn, t->link_id), 0);
	} else {
		KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
		KUNIT_ASSERT_EQ(test, pci_tsm_devsec_accept(fn, NULL), 0);
	}
	if (c->mode)
		KUNIT_ASSERT_EQ(test, set_policy(test, fn, c->mode), 0);
	if (c->fault == REVAL_REPLACED)
		KUNIT_ASSERT_EQ(test, devsec_ep_set_identity(ep, 1), 0);
	else if (c->fault == REVAL_FIRMWARE)
		devsec_ep_update_firmware(ep);

	gen = pci_tsm_generation(fn);
	KUNIT_ASSERT_EQ(test, pci_reset_function(fn), 0);
	pci_tsm_revalidate_flush();

	KUNIT_EXPECT_EQ(test, pci_tsm_policy_last_result(fn, &err), c->result);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_GT(test, pci_tsm_generation(fn), gen);
	if (c->link) {
		if (kept) {
			KUNIT_ASSERT_NOT_NULL(test, fn->tsm);
			KUNIT_EXPECT_PTR_EQ(test, fn->tsm->tsm_dev, t->br->link_tsm);
			KUNIT_EXPECT_EQ(test, tsm_disconnect(fn, t->link_id), 0);
		} else {
			/* Out of the TCB: disconnected, no evidence left */
			KUNIT_EXPECT_NULL(test, fn->tsm);
			expect_no_evidence(test, fn);
		}
		return;
	}
	if (kept) {
		/* Locked again and, as it was running, started again */
		KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_RUN);
		KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(ep), DEVSEC_TDI_RUN);
		expect_lock_evidence(test, fn);
	} else {
		/* Out of the TCB: ERROR until unlocked, accept refused */
		KUNIT_EXPECT_EQ(test, pci_tsm_devsec_state(fn), PCI_TSM_DEVSEC_ERROR);
		KUNIT_EXPECT_NE(test, devsec_ep_tdi_state(ep), DEVSEC_TDI_RUN);
		KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(fn, NULL), -EIO);
	}
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	expect_unlocked(test, t, 0);
}

/*
 * A policy may pin a slot the device does not sign with: revalidation
 * fetches it, and a change of it is caught.  Before revalidation
 * fetched the policy's slots, such a policy could never pass.
 */
static void devsec_tsm_test_revalidate_slots(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	u8 nonce[PCI_TSM_NONCE_LEN];
	struct pci_tsm_policy *policy;
	size_t len;
	u32 err;
	u8 *c1;

	get_random_bytes(nonce, sizeof(nonce));
	KUNIT_ASSERT_EQ(test, devsec_ep_set_slot1(t->ep[0], 1), 0);
	KUNIT_ASSERT_EQ(test, tsm_connect(fn, t->link_id), 0);
	KUNIT_ASSERT_EQ(test, pci_tsm_refresh(fn, nonce, BIT(1)), 0);
	c1 = kunit_kzalloc(test, OBJ_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c1);
	len = pci_tsm_evidence_copy(fn, PCI_TSM_OBJECT_TYPE_CERT_CHAIN, 1, c1,
				    OBJ_MAX);
	KUNIT_ASSERT_GT(test, len, 0);

	/* signature mode, slots 0 and 1 pinned by their chains' hashes */
	KUNIT_ASSERT_EQ(test, set_policy(test, fn, SIG), 0);
	policy = kzalloc_obj(*policy);
	KUNIT_ASSERT_NOT_NULL(test, policy);
	scoped_guard(rwsem_write, &pci_tsm_rwsem)
		memcpy(policy, pci_tsm_policy_get(fn), sizeof(*policy));
	sha256(c1, len, policy->slots[1].chain_hash);
	policy->slots[1].chain_hash_len = SHA256_DIGEST_SIZE;
	policy->slot_mask |= BIT(1);
	scoped_guard(rwsem_read, &pci_tsm_rwsem)
		KUNIT_ASSERT_EQ(test, pci_tsm_policy_set(fn, policy), 0);

	KUNIT_ASSERT_EQ(test, pci_reset_function(fn), 0);
	pci_tsm_revalidate_flush();
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_last_result(fn, &err),
			PCI_TSM_REVALIDATE_RESULT_PASS);
	KUNIT_ASSERT_NOT_NULL(test, fn->tsm);

	/* slot 1 now holds another chain: not the device the policy names */
	KUNIT_ASSERT_EQ(test, devsec_ep_set_slot1(t->ep[0], 0), 0);
	KUNIT_ASSERT_EQ(test, pci_reset_function(fn), 0);
	pci_tsm_revalidate_flush();
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_last_result(fn, &err),
			PCI_TSM_REVALIDATE_RESULT_IDENTITY_MISMATCH);
	KUNIT_EXPECT_NULL(test, fn->tsm);
	KUNIT_EXPECT_EQ(test, devsec_ep_set_slot1(t->ep[0], -1), 0);
}

/* A policy needs a function some TSM holds, and dies with that hold */
static void devsec_tsm_test_policy_lifetime(struct kunit *test)
{
	struct devsec_tsm_test *t = test->priv;
	struct pci_dev *fn = t->fn[0];
	u32 err;

	KUNIT_EXPECT_EQ(test, set_policy(test, fn, FATAL), -ENXIO);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	KUNIT_ASSERT_EQ(test, set_policy(test, fn, FATAL), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);

	/* Locked again: no policy, so the default (dropped) applies */
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(fn, t->tvm_id), 0);
	KUNIT_ASSERT_EQ(test, pci_reset_function(fn), 0);
	pci_tsm_revalidate_flush();
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_last_result(fn, &err),
			PCI_TSM_REVALIDATE_RESULT_DROPPED);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(fn), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_last_result(fn, &err), 0);

	/* Nothing held: a reset queues nothing */
	KUNIT_ASSERT_EQ(test, pci_reset_function(fn), 0);
	pci_tsm_revalidate_flush();
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_last_result(fn, &err), 0);
	expect_unlocked(test, t, 0);
}

/*
 * Read attribute @name of @pdev through sysfs (@mnt), as userspace does:
 * the read holds the attribute active while its handler takes
 * pci_tsm_rwsem.  Return: bytes read, or a negative errno.
 */
static ssize_t sysfs_read_mnt(struct vfsmount *mnt, struct pci_dev *pdev,
			      const char *name, char *buf, size_t size)
{
	struct file *f;
	loff_t pos = 0;
	char path[96];
	ssize_t n;

	snprintf(path, sizeof(path), "bus/pci/devices/%s/%s", pci_name(pdev),
		 name);
	f = file_open_root_mnt(mnt, path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, size - 1, &pos);
	fput(f);
	buf[n < 0 ? 0 : n] = '\0';
	return n;
}

static void unmount_sysfs(void *mnt)
{
	kern_unmount(mnt);
}

/* sysfs is not mounted where KUnit runs: mount it for the test */
static struct vfsmount *mount_sysfs(struct kunit *test)
{
	struct file_system_type *type = get_fs_type("sysfs");
	struct vfsmount *mnt;

	KUNIT_ASSERT_NOT_NULL(test, type);
	mnt = kern_mount(type);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mnt));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, unmount_sysfs,
							mnt), 0);
	return mnt;
}

struct sysfs_reader {
	struct vfsmount *mnt;
	struct pci_dev *pdev;
	unsigned int reads;
};

/* Keeps reading tsm/ of a function while its context comes and goes */
static int sysfs_reader_fn(void *data)
{
	struct sysfs_reader *r = data;
	char buf[64];

	while (!kthread_should_stop()) {
		sysfs_read_mnt(r->mnt, r->pdev, "tsm/dsm", buf, sizeof(buf));
		sysfs_read_mnt(r->mnt, r->pdev, "tsm/bound", buf, sizeof(buf));
		r->reads++;
		cond_resched();
	}
	return 0;
}

static void unregister_bridge(void *pdev)
{
	platform_device_unregister(pdev);
}

#define SUBFN_CYCLES	20

/*
 * Function 1 of an endpoint gets its context, and tsm/ attributes, from
 * function 0's connect, and loses them on disconnect.  Meanwhile another
 * thread reads them: updating them under pci_tsm_rwsem, as the core did,
 * waits for readers that wait for pci_tsm_rwsem (lockdep reports it, and
 * it deadlocks); the core now updates them from a work item.
 */
static void devsec_tsm_test_subfunction(struct kunit *test)
{
	struct devsec_bridge_config cfg = {
		.nr_endpoints = 1,
		.multifunction = true,
	};
	struct sysfs_reader reader = { };
	struct platform_device *bpdev;
	struct task_struct *task;
	struct devsec_bridge *br;
	struct vfsmount *mnt;
	u8 nonce[PCI_TSM_NONCE_LEN] = { 1 };
	char buf[64], want[64];
	struct pci_dev *fn0;
	int i, id;

	mnt = mount_sysfs(test);
	bpdev = platform_device_register_data(NULL, "devsec-bridge",
					      PLATFORM_DEVID_AUTO, &cfg,
					      sizeof(cfg));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bpdev);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, unregister_bridge,
							bpdev), 0);
	br = devsec_bridge_from_dev(&bpdev->dev);
	KUNIT_ASSERT_NOT_NULL(test, br);
	fn0 = br->eps[0]->pdev;
	id = br->link_tsm->id;

	struct pci_dev *fn1 __free(pci_dev_put) =
		pci_get_slot(fn0->bus, PCI_DEVFN(PCI_SLOT(fn0->devfn), 1));
	KUNIT_ASSERT_NOT_NULL(test, fn1);
	KUNIT_EXPECT_FALSE(test, is_pci_tsm_pf0(fn1));

	/* Not a DSM and no context: no tsm/ directory */
	KUNIT_EXPECT_EQ(test, sysfs_read_mnt(mnt, fn1, "tsm/dsm", buf,
					     sizeof(buf)), -ENOENT);

	KUNIT_ASSERT_EQ(test, tsm_connect(fn0, id), 0);
	KUNIT_ASSERT_NOT_NULL(test, fn1->tsm);
	KUNIT_EXPECT_PTR_EQ(test, fn1->tsm->dsm_dev, fn0);
	pci_tsm_sysfs_flush();
	snprintf(want, sizeof(want), "%s\n", pci_name(fn0));
	KUNIT_EXPECT_GT(test, sysfs_read_mnt(mnt, fn1, "tsm/dsm", buf,
					     sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, want);
	snprintf(want, sizeof(want), "tsm%d\n", id);
	KUNIT_EXPECT_GT(test, sysfs_read_mnt(mnt, fn1, "authenticated", buf,
					     sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, want);

	/* The session, its evidence and its policy are function 0's */
	KUNIT_EXPECT_EQ(test, pci_tsm_refresh(fn1, nonce, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_tsm_refresh(fn0, nonce, 0), 0);
	KUNIT_EXPECT_EQ(test, set_policy(test, fn1, FATAL), -EINVAL);

	KUNIT_ASSERT_EQ(test, tsm_disconnect(fn0, id), 0);
	KUNIT_EXPECT_NULL(test, fn1->tsm);
	pci_tsm_sysfs_flush();
	KUNIT_EXPECT_EQ(test, sysfs_read_mnt(mnt, fn1, "tsm/dsm", buf,
					     sizeof(buf)), -ENOENT);

	/* Again, with a reader in the attributes all along */
	reader.mnt = mnt;
	reader.pdev = fn1;
	task = kthread_run(sysfs_reader_fn, &reader, "devsec-sysfs-reader");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	for (i = 0; i < SUBFN_CYCLES; i++) {
		KUNIT_EXPECT_EQ(test, tsm_connect(fn0, id), 0);
		pci_tsm_sysfs_flush();
		KUNIT_EXPECT_EQ(test, tsm_disconnect(fn0, id), 0);
		pci_tsm_sysfs_flush();
	}
	kthread_stop(task);
	KUNIT_EXPECT_GT(test, reader.reads, 0);
	KUNIT_EXPECT_TRUE(test, debug_locks);
}

static struct kunit_case devsec_tsm_test_cases[] = {
	KUNIT_CASE(devsec_tsm_test_lock_accept_unlock),
	KUNIT_CASE(devsec_tsm_test_accept_generation),
	KUNIT_CASE(devsec_tsm_test_illegal),
	KUNIT_CASE(devsec_tsm_test_firmware_update),
	KUNIT_CASE(devsec_tsm_test_state_cached),
	KUNIT_CASE(devsec_tsm_test_reset_locked),
	KUNIT_CASE_PARAM(devsec_tsm_test_unlock_from, unlock_gen_params),
	KUNIT_CASE(devsec_tsm_test_connect_disconnect),
	KUNIT_CASE(devsec_tsm_test_refresh_nonce),
	KUNIT_CASE(devsec_tsm_test_refresh_bad_sig),
	KUNIT_CASE(devsec_tsm_test_connect_refused),
	KUNIT_CASE(devsec_tsm_test_refused_removed),
	KUNIT_CASE(devsec_tsm_test_connect_removed),
	KUNIT_CASE(devsec_tsm_test_refresh_slots),
	KUNIT_CASE_SLOW(devsec_tsm_test_dropped_response),
	KUNIT_CASE(devsec_tsm_test_budget_portion),
	KUNIT_CASE(devsec_tsm_test_budget_not_ready),
	KUNIT_CASE(devsec_tsm_test_budget_slow),
	KUNIT_CASE(devsec_tsm_test_subfunction),
	KUNIT_CASE(devsec_tsm_test_unregister),
	KUNIT_CASE(devsec_tsm_test_remove_bridge),
	KUNIT_CASE_PARAM(devsec_tsm_test_revalidate, reval_gen_params),
	KUNIT_CASE(devsec_tsm_test_revalidate_slots),
	KUNIT_CASE(devsec_tsm_test_policy_lifetime),
	{}
};

static struct kunit_suite devsec_tsm_test_suite = {
	.name = "devsec_tsm",
	.init = devsec_tsm_test_init,
	.exit = devsec_tsm_test_exit,
	.test_cases = devsec_tsm_test_cases,
};

kunit_test_suite(devsec_tsm_test_suite);
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");

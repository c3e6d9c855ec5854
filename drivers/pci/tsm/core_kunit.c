// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the PCI TSM core: TSM registration rules and the
 * classification of functions that may host a Device Security Manager.
 */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/slab.h>
#include <linux/tsm.h>

#include "tsm.h"

/* Never called: no function is connected in these tests. */
static struct pci_tsm *pci_tsm_test_probe(struct tsm_dev *tsm_dev,
					  struct pci_dev *pdev)
{
	return NULL;
}

static void pci_tsm_test_remove(struct pci_tsm *tsm)
{
}

static int pci_tsm_test_connect(struct pci_dev *pdev)
{
	return -ENXIO;
}

static void pci_tsm_test_disconnect(struct pci_dev *pdev)
{
}

static struct pci_tsm *pci_tsm_test_lock(struct tsm_dev *tsm_dev,
					 struct pci_dev *pdev)
{
	return NULL;
}

static void pci_tsm_test_unlock(struct pci_tsm *tsm)
{
}

static struct pci_tsm_ops pci_tsm_test_link_ops = {
	.probe = pci_tsm_test_probe,
	.remove = pci_tsm_test_remove,
	.connect = pci_tsm_test_connect,
	.disconnect = pci_tsm_test_disconnect,
};

static struct pci_tsm_ops pci_tsm_test_devsec_ops = {
	.lock = pci_tsm_test_lock,
	.unlock = pci_tsm_test_unlock,
};

static struct pci_tsm_ops pci_tsm_test_both_ops = {
	.probe = pci_tsm_test_probe,
	.remove = pci_tsm_test_remove,
	.connect = pci_tsm_test_connect,
	.disconnect = pci_tsm_test_disconnect,
	.lock = pci_tsm_test_lock,
	.unlock = pci_tsm_test_unlock,
};

static struct pci_tsm_ops pci_tsm_test_empty_ops;

static void pci_tsm_test_unregister(void *tsm_dev)
{
	tsm_unregister(tsm_dev);
}

static struct tsm_dev *pci_tsm_test_register(struct kunit *test,
					     struct pci_tsm_ops *ops)
{
	struct tsm_dev *tsm_dev = tsm_register(NULL, ops);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(tsm_dev), "tsm_register: %ld",
			       PTR_ERR(tsm_dev));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, pci_tsm_test_unregister,
						  tsm_dev));
	return tsm_dev;
}

/* A registered TSM is found by its id, and is gone once unregistered. */
static void pci_tsm_test_register_lookup(struct kunit *test,
					 struct pci_tsm_ops *ops)
{
	struct tsm_dev *tsm_dev = tsm_register(NULL, ops);
	struct tsm_dev *found;
	char name[16];
	int id;

	KUNIT_ASSERT_FALSE(test, IS_ERR(tsm_dev));
	id = tsm_dev->id;
	snprintf(name, sizeof(name), "tsm%d", id);
	KUNIT_EXPECT_STREQ(test, dev_name(&tsm_dev->dev), name);
	KUNIT_EXPECT_PTR_EQ(test, tsm_dev->pci_ops,
			    (const struct pci_tsm_ops *)ops);

	found = find_tsm_dev(id);
	KUNIT_EXPECT_PTR_EQ(test, found, tsm_dev);
	if (found)
		put_device(&found->dev);

	tsm_unregister(tsm_dev);
	found = find_tsm_dev(id);
	KUNIT_EXPECT_NULL(test, found);
	if (found)
		put_device(&found->dev);
}

static void pci_tsm_test_register_link(struct kunit *test)
{
	pci_tsm_test_register_lookup(test, &pci_tsm_test_link_ops);
}

static void pci_tsm_test_register_devsec(struct kunit *test)
{
	pci_tsm_test_register_lookup(test, &pci_tsm_test_devsec_ops);
}

/* A TSM with no PCI operations is a plain class device. */
static void pci_tsm_test_register_no_pci(struct kunit *test)
{
	pci_tsm_test_register_lookup(test, NULL);
}

/* Link and devsec operations are mutually exclusive; one is required. */
static void pci_tsm_test_register_invalid(struct kunit *test)
{
	struct tsm_dev *tsm_dev;

	tsm_dev = tsm_register(NULL, &pci_tsm_test_both_ops);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(tsm_dev), -EINVAL);
	if (!IS_ERR(tsm_dev))
		tsm_unregister(tsm_dev);

	tsm_dev = tsm_register(NULL, &pci_tsm_test_empty_ops);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(tsm_dev), -EINVAL);
	if (!IS_ERR(tsm_dev))
		tsm_unregister(tsm_dev);

	KUNIT_EXPECT_EQ(test, pci_tsm_register(NULL), -EINVAL);
}

/* Each live TSM has its own id, and a failed registration frees its id. */
static void pci_tsm_test_register_ids(struct kunit *test)
{
	struct tsm_dev *a, *b, *c;
	int freed;

	a = pci_tsm_test_register(test, &pci_tsm_test_link_ops);
	b = pci_tsm_test_register(test, &pci_tsm_test_devsec_ops);
	KUNIT_EXPECT_NE(test, a->id, b->id);

	c = tsm_register(NULL, &pci_tsm_test_link_ops);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	freed = c->id;
	KUNIT_EXPECT_NE(test, freed, a->id);
	KUNIT_EXPECT_NE(test, freed, b->id);
	tsm_unregister(c);

	KUNIT_EXPECT_TRUE(test, IS_ERR(tsm_register(NULL, &pci_tsm_test_both_ops)));
	c = pci_tsm_test_register(test, &pci_tsm_test_link_ops);
	KUNIT_EXPECT_EQ(test, c->id, freed);
}

struct pci_tsm_test_fn {
	const char *desc;
	int type;
	bool pcie;
	bool virtfn;
	bool tee;
	bool ide;
	unsigned int fn;
	bool pf0;
};

static const struct pci_tsm_test_fn pci_tsm_test_fns[] = {
	{ "endpoint-tee-fn0", PCI_EXP_TYPE_ENDPOINT, true, false, true, false, 0, true },
	{ "endpoint-ide-fn0", PCI_EXP_TYPE_ENDPOINT, true, false, false, true, 0, true },
	{ "endpoint-tee-fn1", PCI_EXP_TYPE_ENDPOINT, true, false, true, false, 1, false },
	{ "endpoint-plain-fn0", PCI_EXP_TYPE_ENDPOINT, true, false, false, false, 0, false },
	{ "endpoint-tee-vf", PCI_EXP_TYPE_ENDPOINT, true, true, true, false, 0, false },
	{ "upstream-port-tee", PCI_EXP_TYPE_UPSTREAM, true, false, true, false, 0, true },
	{ "rc-endpoint-tee", PCI_EXP_TYPE_RC_END, true, false, true, false, 0, true },
	{ "root-port-tee", PCI_EXP_TYPE_ROOT_PORT, true, false, true, false, 0, false },
	{ "downstream-port-ide", PCI_EXP_TYPE_DOWNSTREAM, true, false, false, true, 0, false },
	{ "conventional-pci", PCI_EXP_TYPE_ENDPOINT, false, false, true, true, 0, false },
};

KUNIT_ARRAY_PARAM_DESC(pci_tsm_test_fn, pci_tsm_test_fns, desc);

/* Which functions may be function 0 of a DSM and so offer 'connect'. */
static void pci_tsm_test_is_pf0(struct kunit *test)
{
	const struct pci_tsm_test_fn *p = test->param_value;
	struct pci_dev *pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	pdev->pcie_cap = p->pcie ? 0x40 : 0;
	pdev->pcie_flags_reg = FIELD_PREP(PCI_EXP_FLAGS_TYPE, p->type);
	pdev->is_virtfn = p->virtfn;
	pdev->devcap = p->tee ? PCI_EXP_DEVCAP_TEE : 0;
	pdev->ide_cap = p->ide ? 0x100 : 0;
	pdev->devfn = PCI_DEVFN(1, p->fn);

	KUNIT_EXPECT_EQ(test, is_pci_tsm_pf0(pdev), p->pf0);
	KUNIT_EXPECT_FALSE(test, is_pci_tsm_pf0(NULL));
}

struct pci_tsm_test_connect {
	const char *desc;
	const char *buf;
	int rc;
	int id;
	int slot;
};

static const struct pci_tsm_test_connect pci_tsm_test_connects[] = {
	{ "name", "tsm0", 0, 0, -1 },
	{ "name-newline", "tsm12\n", 0, 12, -1 },
	{ "slot", "tsm3 slot=1\n", 0, 3, 1 },
	{ "slot-last", "tsm3 slot=7", 0, 3, 7 },
	{ "slot-out-of-range", "tsm3 slot=8\n", -EINVAL },
	{ "slot-negative", "tsm3 slot=-1", -EINVAL },
	{ "slot-empty", "tsm3 slot=", -EINVAL },
	{ "slot-garbage", "tsm3 slot=1x", -EINVAL },
	{ "unknown-option", "tsm3 spot=1", -EINVAL },
	{ "trailing-garbage", "tsm3x", -EINVAL },
	{ "no-number", "tsm", -EINVAL },
	{ "negative-id", "tsm-1", -EINVAL },
	{ "id-overflow", "tsm4294967296", -EINVAL },
	{ "not-a-tsm", "foo0", -EINVAL },
	{ "empty", "", -EINVAL },
	{ "too-long", "tsm1 slot=1                              ", -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(pci_tsm_test_connect, pci_tsm_test_connects, desc);

/* What tsm/connect accepts: "tsmN", optionally " slot=S" */
static void pci_tsm_test_parse_connect(struct kunit *test)
{
	const struct pci_tsm_test_connect *t = test->param_value;
	int id = -2, slot = -2;

	KUNIT_ASSERT_EQ(test, pci_tsm_parse_connect(t->buf, &id, &slot), t->rc);
	if (t->rc)
		return;
	KUNIT_EXPECT_EQ(test, id, t->id);
	KUNIT_EXPECT_EQ(test, slot, t->slot);
}

static struct kunit_case pci_tsm_core_test_cases[] = {
	KUNIT_CASE(pci_tsm_test_register_link),
	KUNIT_CASE(pci_tsm_test_register_devsec),
	KUNIT_CASE(pci_tsm_test_register_no_pci),
	KUNIT_CASE(pci_tsm_test_register_invalid),
	KUNIT_CASE(pci_tsm_test_register_ids),
	KUNIT_CASE_PARAM(pci_tsm_test_is_pf0, pci_tsm_test_fn_gen_params),
	KUNIT_CASE_PARAM(pci_tsm_test_parse_connect,
			 pci_tsm_test_connect_gen_params),
	{}
};

static struct kunit_suite pci_tsm_core_test_suite = {
	.name = "pci_tsm_core",
	.test_cases = pci_tsm_core_test_cases,
};

kunit_test_suite(pci_tsm_core_test_suite);

MODULE_DESCRIPTION("KUnit tests for the PCI TSM core");
MODULE_LICENSE("GPL");

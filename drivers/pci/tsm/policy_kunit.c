// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for PCI TSM revalidation policies: parsing and validation of
 * policy-set requests, and the comparison of a fresh SPDM authentication
 * with a policy.
 */

#include <crypto/sha2.h>
#include <kunit/test.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/skbuff.h>
#include <linux/spdm.h>
#include <net/netlink.h>

#include "tsm.h"

/* How to build one request: a sequence of attribute puts */
struct policy_req {
	const char *name;
	u32 mode;		/* 0: no mode attribute */
	struct {
		int slot;	/* -1: no slot attribute */
		int hash_len;	/* chain-hash of this length, 0: none */
		int key_len;	/* public-key of this length, 0: none */
	} slots[3];
	int nr_slots;
	int meas_len;		/* measurement-hash of this length, 0: none */
	int expect;		/* 0 or the errno parsing must fail with */
};

static const struct policy_req policy_reqs[] = {
	{ "signature", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 0, 32, 0 } }, 1, 0, 0 },
	{ "signature_sha384_two_slots", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 0, 48, 0 }, { 3, 64, 0 } }, 2, 0, 0 },
	{ "signature_public_key", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 1, 0, 65 } }, 1, 0, 0 },
	{ "measurements", PCI_TSM_REVALIDATE_MODE_MEASUREMENTS,
	  { { 0, 32, 0 } }, 1, 48, 0 },
	{ "fatal", PCI_TSM_REVALIDATE_MODE_FATAL, { }, 0, 0, 0 },
	{ "no_mode", 0, { { 0, 32, 0 } }, 1, 0, -EINVAL },
	{ "bad_mode", PCI_TSM_REVALIDATE_MODE_MAX + 1, { }, 0, 0, -EINVAL },
	{ "fatal_with_slot", PCI_TSM_REVALIDATE_MODE_FATAL,
	  { { 0, 32, 0 } }, 1, 0, -EINVAL },
	{ "fatal_with_meas", PCI_TSM_REVALIDATE_MODE_FATAL, { }, 0, 32, -EINVAL },
	{ "signature_no_slot", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { }, 0, 0, -EINVAL },
	{ "signature_with_meas", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 0, 32, 0 } }, 1, 32, -EINVAL },
	{ "measurements_no_meas", PCI_TSM_REVALIDATE_MODE_MEASUREMENTS,
	  { { 0, 32, 0 } }, 1, 0, -EINVAL },
	{ "measurements_no_slot", PCI_TSM_REVALIDATE_MODE_MEASUREMENTS,
	  { }, 0, 32, -EINVAL },
	{ "slot_twice", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 2, 32, 0 }, { 2, 48, 0 } }, 2, 0, -EINVAL },
	{ "slot_hash_and_key", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 0, 32, 65 } }, 1, 0, -EINVAL },
	{ "slot_neither", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 0, 0, 0 } }, 1, 0, -EINVAL },
	{ "slot_without_number", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { -1, 32, 0 } }, 1, 0, -EINVAL },
	{ "slot_8", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 8, 32, 0 } }, 1, 0, -ERANGE },
	{ "chain_hash_33", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 0, 33, 0 } }, 1, 0, -EINVAL },
	{ "chain_hash_20", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 0, 20, 0 } }, 1, 0, -EINVAL },
	{ "chain_hash_65", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 0, 65, 0 } }, 1, 0, -ERANGE },
	{ "meas_hash_31", PCI_TSM_REVALIDATE_MODE_MEASUREMENTS,
	  { { 0, 32, 0 } }, 1, 31, -EINVAL },
	{ "public_key_empty", PCI_TSM_REVALIDATE_MODE_SIGNATURE,
	  { { 0, 0, -1 } }, 1, 0, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(policy_req, policy_reqs, name);

/* Put @len bytes of @fill, -1 meaning an empty attribute */
static int put_fill(struct sk_buff *skb, int type, int len, u8 fill)
{
	u8 buf[PCI_TSM_PUBLIC_KEY_MAX_LEN];

	if (len < 0)
		len = 0;
	memset(buf, fill, len);
	return nla_put(skb, type, len, buf);
}

static struct pci_tsm_policy *parse_req(struct kunit *test,
					const struct policy_req *r)
{
	struct nlattr *tb[PCI_TSM_A_POLICY_MAX + 1] = { };
	struct sk_buff *skb;
	struct nlattr *a;
	int i, rem;

	skb = alloc_skb(8192, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	if (r->mode)
		KUNIT_ASSERT_EQ(test, nla_put_u32(skb, PCI_TSM_A_POLICY_MODE, r->mode), 0);
	for (i = 0; i < r->nr_slots; i++) {
		struct nlattr *nest = nla_nest_start(skb, PCI_TSM_A_POLICY_SLOT_POLICY);

		KUNIT_ASSERT_NOT_NULL(test, nest);
		if (r->slots[i].slot >= 0)
			KUNIT_ASSERT_EQ(test, nla_put_u8(skb, PCI_TSM_A_POLICY_SLOT_SLOT,
							 r->slots[i].slot), 0);
		if (r->slots[i].hash_len)
			KUNIT_ASSERT_EQ(test, put_fill(skb, PCI_TSM_A_POLICY_SLOT_CHAIN_HASH,
						       r->slots[i].hash_len, 0xa0 + i), 0);
		if (r->slots[i].key_len)
			KUNIT_ASSERT_EQ(test, put_fill(skb, PCI_TSM_A_POLICY_SLOT_PUBLIC_KEY,
						       r->slots[i].key_len, 0x04), 0);
		nla_nest_end(skb, nest);
	}
	if (r->meas_len)
		KUNIT_ASSERT_EQ(test, put_fill(skb, PCI_TSM_A_POLICY_MEAS_HASH,
					       r->meas_len, 0x5a), 0);

	nla_for_each_attr(a, (struct nlattr *)skb->data, skb->len, rem)
		tb[nla_type(a)] = a;
	/* What the generated op policy checks before the handler runs */
	if (tb[PCI_TSM_A_POLICY_MEAS_HASH] &&
	    nla_len(tb[PCI_TSM_A_POLICY_MEAS_HASH]) > PCI_TSM_HASH_MAX_LEN) {
		kfree_skb(skb);
		return ERR_PTR(-ERANGE);
	}

	struct pci_tsm_policy *policy =
		pci_tsm_policy_parse(tb, (struct nlattr *)skb->data, skb->len, NULL);
	kfree_skb(skb);
	return policy;
}

static void pci_tsm_test_policy_parse(struct kunit *test)
{
	const struct policy_req *r = test->param_value;
	struct pci_tsm_policy *policy = parse_req(test, r);
	int i, expect = r->expect;

	/* A key alone needs the X.509 parser to compare it later */
	if (!IS_BUILTIN(CONFIG_X509_CERTIFICATE_PARSER) && r->nr_slots == 1 &&
	    r->slots[0].key_len && !r->slots[0].hash_len && r->slots[0].slot >= 0)
		expect = -EOPNOTSUPP;

	if (expect) {
		KUNIT_EXPECT_TRUE(test, IS_ERR(policy));
		if (IS_ERR(policy))
			KUNIT_EXPECT_EQ(test, PTR_ERR(policy), expect);
		else
			pci_tsm_policy_free(policy);
		return;
	}

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(policy), "rc %ld", PTR_ERR(policy));
	KUNIT_EXPECT_EQ(test, policy->mode, r->mode);
	KUNIT_EXPECT_EQ(test, hweight8(policy->slot_mask), r->nr_slots);
	for (i = 0; i < r->nr_slots; i++) {
		const struct pci_tsm_policy_slot *ps = &policy->slots[r->slots[i].slot];

		KUNIT_EXPECT_TRUE(test, policy->slot_mask & BIT(r->slots[i].slot));
		KUNIT_EXPECT_EQ(test, ps->chain_hash_len, r->slots[i].hash_len);
		KUNIT_EXPECT_EQ(test, ps->public_key_len, r->slots[i].key_len);
		if (ps->chain_hash_len)
			KUNIT_EXPECT_EQ(test, ps->chain_hash[0], 0xa0 + i);
		if (ps->public_key_len)
			KUNIT_EXPECT_NOT_NULL(test, ps->public_key);
	}
	KUNIT_EXPECT_EQ(test, policy->meas_hash_len, r->meas_len);
	pci_tsm_policy_free(policy);
}

/* A fake authentication: chains in slots 0 and 2, signed with slot 0 */
static const u8 chain0[] = "chain of slot 0: any bytes will do for a digest";
static const u8 chain2[] = "chain of slot 2";
static const u8 block1[] = { 1, 1, 4, 0, 0xde, 0xad, 0xbe, 0xef };
static const u8 block2[] = { 2, 1, 3, 0, 0x11, 0x22, 0x33 };

struct check_ctx {
	struct spdm_meas_block blocks[2];
	struct spdm_evidence s;
	struct pci_tsm_policy policy;
};

static void check_init(struct check_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->s.base_hash = SPDM_HASH_SHA384;
	c->s.slot = 0;
	c->s.cert_chain[0] = (struct spdm_blob){ chain0, sizeof(chain0) };
	c->s.cert_chain[2] = (struct spdm_blob){ chain2, sizeof(chain2) };
	c->blocks[0] = (struct spdm_meas_block){ .index = 1, .raw = block1,
						 .raw_len = sizeof(block1) };
	c->blocks[1] = (struct spdm_meas_block){ .index = 2, .raw = block2,
						 .raw_len = sizeof(block2) };
	c->s.meas_blocks = c->blocks;
	c->s.num_meas_blocks = 2;

	c->policy.mode = PCI_TSM_REVALIDATE_MODE_SIGNATURE;
	c->policy.slot_mask = BIT(0);
	sha256(chain0, sizeof(chain0), c->policy.slots[0].chain_hash);
	c->policy.slots[0].chain_hash_len = SHA256_DIGEST_SIZE;
}

static void set_meas_hash(struct check_ctx *c)
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, block1, sizeof(block1));
	sha256_update(&ctx, block2, sizeof(block2));
	sha256_final(&ctx, c->policy.meas_hash);
	c->policy.meas_hash_len = SHA256_DIGEST_SIZE;
	c->policy.mode = PCI_TSM_REVALIDATE_MODE_MEASUREMENTS;
}

static void pci_tsm_test_policy_check_signature(struct kunit *test)
{
	struct check_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	check_init(c);
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s), 0);

	/* A measurement change does not matter to a signature policy */
	c->blocks[1].raw = block1;
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s), 0);

	/* Another chain in the slot: a replaced device */
	c->s.cert_chain[0] = (struct spdm_blob){ chain2, sizeof(chain2) };
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s),
			-EKEYREVOKED);

	/* One byte off */
	check_init(c);
	c->s.cert_chain[0].len--;
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s),
			-EKEYREVOKED);
}

static void pci_tsm_test_policy_check_slots(struct kunit *test)
{
	struct check_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);

	/* Signed with a slot the policy does not name */
	check_init(c);
	c->s.slot = 2;
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s),
			-EKEYREVOKED);

	/* A second slot, SHA-512, present and matching */
	check_init(c);
	sha512(chain2, sizeof(chain2), c->policy.slots[2].chain_hash);
	c->policy.slots[2].chain_hash_len = SHA512_DIGEST_SIZE;
	c->policy.slot_mask |= BIT(2);
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s), 0);

	/* ... and the device no longer provisions it */
	c->s.cert_chain[2] = (struct spdm_blob){ };
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s),
			-EKEYREVOKED);

	/* SHA-384 over slot 0 */
	check_init(c);
	sha384(chain0, sizeof(chain0), c->policy.slots[0].chain_hash);
	c->policy.slots[0].chain_hash_len = SHA384_DIGEST_SIZE;
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s), 0);

	/* A public key cannot match a chain that holds no certificate */
	check_init(c);
	c->policy.slots[0].chain_hash_len = 0;
	c->policy.slots[0].public_key = (u8 *)block1;
	c->policy.slots[0].public_key_len = sizeof(block1);
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s),
			-EKEYREVOKED);
}

static void pci_tsm_test_policy_check_measurements(struct kunit *test)
{
	struct check_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	check_init(c);
	set_meas_hash(c);
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s), 0);

	/* Firmware update: one block changes */
	c->blocks[1].raw = block1;
	c->blocks[1].raw_len = sizeof(block1);
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s),
			-EBADE);

	/* Blocks in another order are another record */
	check_init(c);
	set_meas_hash(c);
	swap(c->blocks[0], c->blocks[1]);
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s),
			-EBADE);

	/* No measurements at all */
	check_init(c);
	set_meas_hash(c);
	c->s.num_meas_blocks = 0;
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s),
			-EBADE);

	/* Identity is checked first: a replaced device is not a mismatch */
	check_init(c);
	set_meas_hash(c);
	c->s.cert_chain[0] = (struct spdm_blob){ chain2, sizeof(chain2) };
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s),
			-EKEYREVOKED);

	/* Fatal is not checked against anything */
	check_init(c);
	c->policy.mode = PCI_TSM_REVALIDATE_MODE_FATAL;
	KUNIT_EXPECT_EQ(test, pci_tsm_policy_check_spdm(&c->policy, &c->s),
			-EINVAL);
}

/*
 * A policy that can never apply is refused: for a function whose session
 * is its DSM's, or asking a TSM that cannot revalidate for a check.  A
 * context on a pci_dev that is never registered stands for a device.
 */
static struct pci_tsm *refuse_probe(struct tsm_dev *tsm_dev,
				    struct pci_dev *pdev)
{
	return NULL;
}

static const struct pci_tsm_ops refuse_ops = {
	.link_ops.probe = refuse_probe,
};

static struct pci_tsm_policy *refuse_policy(struct kunit *test, u32 mode)
{
	struct pci_tsm_policy *policy = kzalloc_obj(*policy);

	KUNIT_ASSERT_NOT_NULL(test, policy);
	policy->mode = mode;
	return policy;
}

static int set_mode(struct kunit *test, struct pci_dev *pdev, u32 mode)
{
	return pci_tsm_policy_set(pdev, refuse_policy(test, mode));
}

static void pci_tsm_test_policy_set_refused(struct kunit *test)
{
	struct pci_dev *pdev, *dsm;
	struct tsm_dev *tsm_dev;
	struct pci_tsm *tsm;

	pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);
	dsm = kunit_kzalloc(test, sizeof(*dsm), GFP_KERNEL);
	tsm_dev = kunit_kzalloc(test, sizeof(*tsm_dev), GFP_KERNEL);
	tsm = kunit_kzalloc(test, sizeof(*tsm), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, pdev && dsm && tsm_dev && tsm);
	tsm_dev->pci_ops = &refuse_ops;
	tsm->pdev = pdev;
	tsm->tsm_dev = tsm_dev;

	scoped_guard(rwsem_read, &pci_tsm_rwsem) {
		KUNIT_EXPECT_EQ(test, set_mode(test, pdev, PCI_TSM_REVALIDATE_MODE_FATAL),
				-ENXIO);

		pdev->tsm = tsm;
		/* Another function of a device: its DSM holds the session */
		tsm->dsm_dev = dsm;
		KUNIT_EXPECT_EQ(test, set_mode(test, pdev, PCI_TSM_REVALIDATE_MODE_FATAL),
				-EINVAL);

		/* Its own session, but a TSM without ->revalidate() */
		tsm->dsm_dev = pdev;
		KUNIT_EXPECT_EQ(test, set_mode(test, pdev, PCI_TSM_REVALIDATE_MODE_SIGNATURE),
				-EOPNOTSUPP);
		KUNIT_EXPECT_EQ(test, set_mode(test, pdev, PCI_TSM_REVALIDATE_MODE_MEASUREMENTS),
				-EOPNOTSUPP);
	}
	scoped_guard(rwsem_write, &pci_tsm_rwsem)
		KUNIT_EXPECT_NULL(test, pci_tsm_policy_get(pdev));

	/* fatal needs no check */
	scoped_guard(rwsem_read, &pci_tsm_rwsem)
		KUNIT_EXPECT_EQ(test, set_mode(test, pdev, PCI_TSM_REVALIDATE_MODE_FATAL),
				0);
	scoped_guard(rwsem_write, &pci_tsm_rwsem)
		KUNIT_EXPECT_NOT_NULL(test, pci_tsm_policy_get(pdev));
	pci_tsm_policy_clear(pdev);
}

static struct kunit_case pci_tsm_policy_test_cases[] = {
	KUNIT_CASE_PARAM(pci_tsm_test_policy_parse, policy_req_gen_params),
	KUNIT_CASE(pci_tsm_test_policy_check_signature),
	KUNIT_CASE(pci_tsm_test_policy_check_slots),
	KUNIT_CASE(pci_tsm_test_policy_check_measurements),
	KUNIT_CASE(pci_tsm_test_policy_set_refused),
	{}
};

static struct kunit_suite pci_tsm_policy_test_suite = {
	.name = "pci_tsm_policy",
	.test_cases = pci_tsm_policy_test_cases,
};

kunit_test_suite(pci_tsm_policy_test_suite);

MODULE_DESCRIPTION("KUnit tests for PCI TSM revalidation policies");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the PCI TSM evidence store: the in-kernel API TSM
 * drivers use, generations, and how objects are split across messages.
 */

#include <kunit/test.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>
#include <net/netlink.h>

#include "tsm.h"

/* Any PCI function will do: the store only keys on the pointer. */
static struct pci_dev *evidence_test_pdev(struct kunit *test)
{
	struct pci_dev *pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, NULL);

	if (!pdev)
		kunit_skip(test, "no PCI device in this machine");
	return pdev;
}

static void evidence_test_put(void *pdev)
{
	pci_tsm_evidence_remove(pdev);
	pci_dev_put(pdev);
}

static struct pci_tsm_evidence *evidence_test_alloc(struct kunit *test)
{
	static const struct pci_tsm_evidence_info info = {
		.spdm_version = 0x12,
		.base_asym_algo = BIT(7),
		.base_hash_algo = BIT(1),
	};
	struct pci_tsm_evidence *ev = pci_tsm_evidence_alloc(&info);

	KUNIT_ASSERT_NOT_NULL(test, ev);
	return ev;
}

static void pci_tsm_test_evidence_add_errors(struct kunit *test)
{
	struct pci_tsm_evidence *ev __free(pci_tsm_evidence_free) =
		evidence_test_alloc(test);
	u8 byte = 0x5a;
	int i;

	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add(ev, 0, 0, &byte, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_MAX + 1,
						   0, &byte, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_CERT_CHAIN,
						   8, &byte, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_VCA,
						   0, NULL, 1), -EINVAL);
	/* rejected before anything is copied */
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_VCA, 0, &byte,
						   PCI_TSM_EVIDENCE_MAX_OBJECT + 1), -E2BIG);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add(NULL, PCI_TSM_OBJECT_TYPE_VCA,
						   0, &byte, 1), -EINVAL);

	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_VCA,
						   0, &byte, 1), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_VCA,
						   0, &byte, 1), -EEXIST);
	/* a zero-length object is evidence too (e.g. an empty report) */
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_INTERFACE_REPORT,
						   0, NULL, 0), 0);

	/* fill the set: one chain per slot, then every type per slot */
	for (i = 0; i < 64; i++) {
		int rc = pci_tsm_evidence_add(ev, 1 + i % PCI_TSM_OBJECT_TYPE_MAX,
					      (i / PCI_TSM_OBJECT_TYPE_MAX) % 8, &byte, 1);

		if (rc == -ENOSPC)
			break;
		KUNIT_EXPECT_TRUE(test, rc == 0 || rc == -EEXIST);
	}
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_SIGNATURE,
						   7, &byte, 1), -ENOSPC);
}

static void pci_tsm_test_evidence_generation(struct kunit *test)
{
	struct pci_dev *pdev = evidence_test_pdev(test);
	struct pci_tsm_evidence *ev;
	u64 g0, g1, g2, g3, gone;
	u8 chain[64];

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, evidence_test_put, pdev));
	memset(chain, 0xc3, sizeof(chain));
	g0 = pci_tsm_generation(pdev);

	ev = evidence_test_alloc(test);
	KUNIT_ASSERT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_CERT_CHAIN,
						   0, chain, sizeof(chain)), 0);
	g1 = pci_tsm_evidence_publish(pdev, NULL, ev);
	KUNIT_EXPECT_GT(test, g1, g0);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(pdev), g1);

	/* replacing the evidence moves the generation on */
	g2 = pci_tsm_evidence_publish(pdev, NULL, evidence_test_alloc(test));
	KUNIT_EXPECT_GT(test, g2, g1);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(pdev), g2);

	/* so does dropping it: what userspace checked is gone */
	pci_tsm_evidence_remove(pdev);
	gone = pci_tsm_generation(pdev);
	KUNIT_EXPECT_GT(test, gone, g2);
	/* removing what is not there changes nothing */
	pci_tsm_evidence_remove(pdev);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(pdev), gone);

	/* a generation is never handed out twice */
	g3 = pci_tsm_evidence_publish(pdev, NULL, evidence_test_alloc(test));
	KUNIT_EXPECT_GT(test, g3, gone);
}

/* A 16 MiB object is stored whole and can be replaced and freed. */
static void pci_tsm_test_evidence_large(struct kunit *test)
{
	struct pci_dev *pdev = evidence_test_pdev(test);
	struct pci_tsm_evidence *ev;
	u8 *big;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, evidence_test_put, pdev));
	big = vmalloc(SZ_16M);
	KUNIT_ASSERT_NOT_NULL(test, big);
	for (size_t off = 0; off < SZ_16M; off += SZ_64K)
		memset(big + off, 0xa5, SZ_64K);
	ev = evidence_test_alloc(test);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS,
						   0, big, SZ_16M), 0);
	vfree(big);
	KUNIT_EXPECT_NE(test, pci_tsm_evidence_publish(pdev, NULL, ev), 0);
}

struct chunk_case {
	const char *desc;
	size_t remaining;
	int tailroom;
	size_t expect;
};

#define ROOM(n)	((n) + NLA_HDRLEN + NLA_ALIGNTO)

static const struct chunk_case chunk_cases[] = {
	{ "empty-object", 0, SZ_4K, 0 },
	{ "one-byte", 1, SZ_4K, 1 },
	{ "fits-exactly", 100, ROOM(100), 100 },
	{ "one-over-room", 101, ROOM(100), 100 },
	{ "no-room", 100, ROOM(0), 0 },
	{ "negative-room", 100, 2, 0 },
	{ "u16-limit", 65531, SZ_1M, 65531 },
	{ "u16-limit-plus-one", 65532, SZ_1M, 65531 },
	{ "16MiB", SZ_16M, SZ_1M, 65531 },
	{ "16MiB-small-skb", SZ_16M, SZ_32K, SZ_32K - NLA_HDRLEN - NLA_ALIGNTO },
};

KUNIT_ARRAY_PARAM_DESC(chunk, chunk_cases, desc);

static void pci_tsm_test_evidence_chunk(struct kunit *test)
{
	const struct chunk_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_chunk(c->remaining, c->tailroom), c->expect);
}

/* Splitting then reassembling by offset gives back every byte. */
static void pci_tsm_test_evidence_reassembly(struct kunit *test)
{
	static const size_t sizes[] = { 0, 1, 65531, 65532, 3 * 65531 + 7 };
	int rooms[] = { SZ_4K, SZ_32K, SZ_1M };

	for (int s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (int r = 0; r < ARRAY_SIZE(rooms); r++) {
			size_t len = sizes[s], off = 0, msgs = 0;
			u8 *src = vmalloc(len + 1), *dst = vzalloc(len + 1);

			KUNIT_ASSERT_NOT_NULL(test, src);
			KUNIT_ASSERT_NOT_NULL(test, dst);
			for (size_t i = 0; i < len; i++)
				src[i] = i * 7 + i / 251;
			do {
				size_t n = pci_tsm_evidence_chunk(len - off, rooms[r] - 64);

				KUNIT_ASSERT_TRUE(test, n > 0 || len == 0);
				memcpy(dst + off, src + off, n);
				off += n;
				msgs++;
			} while (off < len);
			KUNIT_EXPECT_EQ(test, off, len);
			KUNIT_EXPECT_EQ(test, memcmp(src, dst, len), 0);
			KUNIT_EXPECT_GE(test, msgs, DIV_ROUND_UP(len, 65531));
			vfree(src);
			vfree(dst);
		}
	}
}

static struct kunit_case pci_tsm_evidence_test_cases[] = {
	KUNIT_CASE(pci_tsm_test_evidence_add_errors),
	KUNIT_CASE(pci_tsm_test_evidence_generation),
	KUNIT_CASE(pci_tsm_test_evidence_large),
	KUNIT_CASE_PARAM(pci_tsm_test_evidence_chunk, chunk_gen_params),
	KUNIT_CASE(pci_tsm_test_evidence_reassembly),
	{}
};

static struct kunit_suite pci_tsm_evidence_test_suite = {
	.name = "pci_tsm_evidence",
	.test_cases = pci_tsm_evidence_test_cases,
};

kunit_test_suite(pci_tsm_evidence_test_suite);

MODULE_DESCRIPTION("KUnit tests for the PCI TSM evidence store");
MODULE_LICENSE("GPL");

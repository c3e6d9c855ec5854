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
#include <linux/spdm.h>
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

/*
 * pci_tsm_evidence_from_spdm() on a synthetic SPDM authentication: every
 * message is a distinct byte pattern, each signature the tail of the
 * response that carries it, as lib/spdm documents.
 */
#define SPDM_TEST_SIG_LEN	64

struct spdm_test_auth {
	struct spdm_evidence s;
	u8 chain[SPDM_MAX_SLOTS][40 + SPDM_MAX_SLOTS];
	u8 vca[24];
	u8 b[30];
	u8 chal_req[36];
	u8 chal_rsp[150];
	u8 meas_req[37];
	u8 meas_rsp[201];
};

static void spdm_test_fill(u8 *p, size_t len, u8 tag)
{
	for (size_t i = 0; i < len; i++)
		p[i] = tag + i * 3;
}

#define BLOB(a)		((struct spdm_blob){ .data = (a), .len = sizeof(a) })
#define SIG_TAIL(a)	((struct spdm_blob){					\
				.data = (a) + sizeof(a) - SPDM_TEST_SIG_LEN,	\
				.len = SPDM_TEST_SIG_LEN })

/* SPDM @version, slot 0 chain only, signed measurements if @meas */
static struct spdm_test_auth *spdm_test_auth(struct kunit *test, u8 version,
					     bool meas)
{
	struct spdm_test_auth *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	for (int i = 0; i < SPDM_MAX_SLOTS; i++)
		spdm_test_fill(a->chain[i], sizeof(a->chain[i]), 0x10 * i);
	spdm_test_fill(a->vca, sizeof(a->vca), 0xa0);
	spdm_test_fill(a->b, sizeof(a->b), 0xb0);
	spdm_test_fill(a->chal_req, sizeof(a->chal_req), 0xc0);
	spdm_test_fill(a->chal_rsp, sizeof(a->chal_rsp), 0xc8);
	spdm_test_fill(a->meas_req, sizeof(a->meas_req), 0xe0);
	spdm_test_fill(a->meas_rsp, sizeof(a->meas_rsp), 0xe8);

	a->s.version = version;
	a->s.base_asym = SPDM_ASYM_ECDSA_P384;
	a->s.base_hash = SPDM_HASH_SHA384;
	a->s.slot_mask = BIT(0);
	a->s.cert_chain[0] = BLOB(a->chain[0]);
	a->s.vca = BLOB(a->vca);
	a->s.cert_transcript = BLOB(a->b);
	a->s.challenge_req = BLOB(a->chal_req);
	a->s.challenge_rsp = BLOB(a->chal_rsp);
	a->s.challenge_sig = SIG_TAIL(a->chal_rsp);
	if (meas) {
		a->s.meas_req = BLOB(a->meas_req);
		a->s.meas_rsp = BLOB(a->meas_rsp);
		a->s.meas_sig = SIG_TAIL(a->meas_rsp);
	}
	return a;
}

static void spdm_test_ev_free(void *ev)
{
	pci_tsm_evidence_free(ev);
}

static struct pci_tsm_evidence *spdm_test_convert(struct kunit *test,
						  const struct spdm_test_auth *a)
{
	struct pci_tsm_evidence *ev = pci_tsm_evidence_from_spdm(&a->s);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ev);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, spdm_test_ev_free, ev));
	return ev;
}

/* Object @type/@slot of @ev is @parts concatenated, minus @trim bytes */
static void spdm_test_expect(struct kunit *test, const struct pci_tsm_evidence *ev,
			     enum pci_tsm_object_type type, u8 slot,
			     const struct spdm_blob *parts, int n, size_t trim)
{
	size_t len, total = 0, off = 0;
	const u8 *obj;

	for (int i = 0; i < n; i++)
		total += parts[i].len;
	total -= trim;

	obj = pci_tsm_evidence_peek(ev, type, slot, &len);
	KUNIT_ASSERT_NOT_NULL_MSG(test, obj, "no object of type %d slot %u", type, slot);
	KUNIT_ASSERT_EQ_MSG(test, len, total, "type %d", type);
	for (int i = 0; i < n && off < total; i++) {
		size_t c = min(parts[i].len, total - off);

		KUNIT_EXPECT_MEMEQ_MSG(test, obj + off, parts[i].data, c,
				       "type %d part %d", type, i);
		off += c;
	}
}

static bool spdm_test_has(const struct pci_tsm_evidence *ev,
			  enum pci_tsm_object_type type, u8 slot)
{
	size_t len;

	return pci_tsm_evidence_peek(ev, type, slot, &len);
}

/* No signed measurements: the challenge transcript M1 is the one to check */
static void pci_tsm_test_evidence_spdm_m1(struct kunit *test)
{
	struct spdm_test_auth *a = spdm_test_auth(test, SPDM_VER_12, false);
	struct pci_tsm_evidence *ev = spdm_test_convert(test, a);
	const struct pci_tsm_evidence_info *info = pci_tsm_evidence_get_info(ev);
	struct spdm_evidence *s = &a->s;

	KUNIT_EXPECT_EQ(test, info->spdm_version, SPDM_VER_12);
	KUNIT_EXPECT_EQ(test, info->base_asym_algo, SPDM_ASYM_ECDSA_P384);
	KUNIT_EXPECT_EQ(test, info->base_hash_algo, SPDM_HASH_SHA384);
	KUNIT_EXPECT_EQ(test, info->slot, 0);

	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_count(ev), 7);
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_CERT_CHAIN, 0,
			 &s->cert_chain[0], 1, 0);
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_VCA, 0, &s->vca, 1, 0);
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_CHALLENGE, 0,
			 (struct spdm_blob []){ s->challenge_req, s->challenge_rsp },
			 2, 0);
	/* VCA || B || C, the signature trimmed off the end */
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_TRANSCRIPT, 0,
			 (struct spdm_blob []){ s->vca, s->cert_transcript,
						s->challenge_req, s->challenge_rsp },
			 4, SPDM_TEST_SIG_LEN);
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_SIGNATURE, 0,
			 &s->challenge_sig, 1, 0);
	/* The same pair, typed as the challenge's */
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_CHALLENGE_TRANSCRIPT, 0,
			 (struct spdm_blob []){ s->vca, s->cert_transcript,
						s->challenge_req, s->challenge_rsp },
			 4, SPDM_TEST_SIG_LEN);
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_CHALLENGE_SIGNATURE, 0,
			 &s->challenge_sig, 1, 0);
	KUNIT_EXPECT_FALSE(test, spdm_test_has(ev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS, 0));
	KUNIT_EXPECT_FALSE(test, spdm_test_has(ev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS_TRANSCRIPT, 0));
	KUNIT_EXPECT_FALSE(test, spdm_test_has(ev, PCI_TSM_OBJECT_TYPE_INTERFACE_REPORT, 0));
}

static const u8 spdm_test_versions[] = {
	SPDM_VER_10, SPDM_VER_11, SPDM_VER_12, SPDM_VER_13,
};

static void spdm_test_version_desc(const u8 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "spdm-%u.%u", *v >> 4, *v & 0xf);
}

KUNIT_ARRAY_PARAM(spdm_test_version, spdm_test_versions, spdm_test_version_desc);

/*
 * Signed measurements: the measurement transcript L1 is the one to check;
 * SPDM 1.0 and 1.1 sign GET_MEASUREMENTS || MEASUREMENTS only, 1.2 and
 * later put VCA in front.
 */
static void pci_tsm_test_evidence_spdm_l1(struct kunit *test)
{
	const u8 *version = test->param_value;
	struct spdm_test_auth *a = spdm_test_auth(test, *version, true);
	struct pci_tsm_evidence *ev = spdm_test_convert(test, a);
	struct spdm_evidence *s = &a->s;

	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_get_info(ev)->spdm_version, *version);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_count(ev), 10);
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS, 0,
			 (struct spdm_blob []){ s->meas_req, s->meas_rsp }, 2, 0);
	if (*version >= SPDM_VER_12)
		spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_TRANSCRIPT, 0,
				 (struct spdm_blob []){ s->vca, s->meas_req, s->meas_rsp },
				 3, SPDM_TEST_SIG_LEN);
	else
		spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_TRANSCRIPT, 0,
				 (struct spdm_blob []){ s->meas_req, s->meas_rsp },
				 2, SPDM_TEST_SIG_LEN);
	/* The measurement signature, not the challenge one */
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_SIGNATURE, 0, &s->meas_sig, 1, 0);
	/* Both signed exchanges, each typed: L1 ... */
	if (*version >= SPDM_VER_12)
		spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS_TRANSCRIPT, 0,
				 (struct spdm_blob []){ s->vca, s->meas_req, s->meas_rsp },
				 3, SPDM_TEST_SIG_LEN);
	else
		spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS_TRANSCRIPT, 0,
				 (struct spdm_blob []){ s->meas_req, s->meas_rsp },
				 2, SPDM_TEST_SIG_LEN);
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS_SIGNATURE, 0,
			 &s->meas_sig, 1, 0);
	/* ... and M1, which binds the certificate chain */
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_CHALLENGE_TRANSCRIPT, 0,
			 (struct spdm_blob []){ s->vca, s->cert_transcript,
						s->challenge_req, s->challenge_rsp },
			 4, SPDM_TEST_SIG_LEN);
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_CHALLENGE_SIGNATURE, 0,
			 &s->challenge_sig, 1, 0);
	/* The challenge is kept as an exchange, signature included */
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_CHALLENGE, 0,
			 (struct spdm_blob []){ s->challenge_req, s->challenge_rsp },
			 2, 0);
	spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_VCA, 0, &s->vca, 1, 0);
}

/* Every fetched chain by its slot; the rest carry the signing slot */
static void pci_tsm_test_evidence_spdm_slots(struct kunit *test)
{
	struct spdm_test_auth *a = spdm_test_auth(test, SPDM_VER_12, true);
	struct spdm_evidence *s = &a->s;
	struct pci_tsm_evidence *ev;
	int nr = 0;

	/* slots 0, 1, 3, 5, 7 fetched, each chain of another length */
	for (int i = 0; i < SPDM_MAX_SLOTS; i++) {
		s->cert_chain[i] = (struct spdm_blob){};
		if (i == 0 || i % 2) {
			s->cert_chain[i] = (struct spdm_blob){
				.data = a->chain[i], .len = 40 + i };
			nr++;
		}
	}
	s->slot_mask = 0xab;
	s->slot = 5;
	ev = spdm_test_convert(test, a);

	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_get_info(ev)->slot, 5);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_count(ev), nr + 9);
	for (int i = 0; i < SPDM_MAX_SLOTS; i++) {
		if (s->cert_chain[i].len)
			spdm_test_expect(test, ev, PCI_TSM_OBJECT_TYPE_CERT_CHAIN, i,
					 &s->cert_chain[i], 1, 0);
		else
			KUNIT_EXPECT_FALSE_MSG(test,
					       spdm_test_has(ev, PCI_TSM_OBJECT_TYPE_CERT_CHAIN, i),
					       "slot %d", i);
	}
	for (int t = PCI_TSM_OBJECT_TYPE_VCA; t <= PCI_TSM_OBJECT_TYPE_MEASUREMENTS; t++) {
		KUNIT_EXPECT_TRUE_MSG(test, spdm_test_has(ev, t, 5), "type %d", t);
		KUNIT_EXPECT_FALSE_MSG(test, spdm_test_has(ev, t, 0), "type %d", t);
	}
}

/*
 * The evidence of a failed connect: marked with its error, kept by what
 * drops a session's evidence, dropped by what drops a failed one's.
 */
static void pci_tsm_test_evidence_failed(struct kunit *test)
{
	struct pci_dev *pdev = evidence_test_pdev(test);
	struct pci_tsm_evidence *ev;
	u8 chain[64];
	int status;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, evidence_test_put, pdev));
	memset(chain, 0xc3, sizeof(chain));

	ev = evidence_test_alloc(test);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add_chain(ev, 0, chain, sizeof(chain), 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_add_chain(ev, 0, chain, sizeof(chain),
							 -EKEYREJECTED), 0);
	/* no errno: nothing is published, the set is freed */
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_publish_failed(pdev, NULL, ev, 0), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), -ENODATA);

	ev = evidence_test_alloc(test);
	KUNIT_ASSERT_EQ(test, pci_tsm_evidence_add_chain(ev, 0, chain, sizeof(chain),
							 -EKEYREJECTED), 0);
	KUNIT_EXPECT_GT(test, pci_tsm_evidence_publish_failed(pdev, NULL, ev,
							      -EKEYREJECTED), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connect_error(pdev), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_chain_status(pdev, 0, &status), 0);
	KUNIT_EXPECT_EQ(test, status, -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_chain_status(pdev, 1, &status), -ENOENT);

	pci_tsm_evidence_remove_session(pdev);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), 1);
	pci_tsm_evidence_remove_failed(pdev, NULL);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), -ENODATA);

	/* a session's evidence: the other way round; publish clears the error */
	KUNIT_ASSERT_GT(test, pci_tsm_evidence_publish_failed(pdev, NULL,
							      evidence_test_alloc(test),
							      -EPROTO), 0);
	KUNIT_ASSERT_GT(test, pci_tsm_evidence_publish(pdev, NULL,
						       evidence_test_alloc(test)), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connect_error(pdev), 0);
	pci_tsm_evidence_remove_failed(pdev, NULL);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), 0);
	pci_tsm_evidence_remove_session(pdev);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), -ENODATA);

	/* a chain nobody validated claims no verdict */
	ev = evidence_test_alloc(test);
	KUNIT_ASSERT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_CERT_CHAIN, 0,
						   chain, sizeof(chain)), 0);
	KUNIT_ASSERT_GT(test, pci_tsm_evidence_publish(pdev, NULL, ev), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_chain_status(pdev, 0, &status), -ENOENT);
}

/*
 * A connected device always has a record: zero objects when its TSM
 * published nothing, what it published otherwise, and a refused
 * connect's record gives way.
 */
static void pci_tsm_test_evidence_connected(struct kunit *test)
{
	struct pci_dev *pdev = evidence_test_pdev(test);
	struct pci_tsm_evidence *ev;
	u64 gen;

	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, evidence_test_put, pdev));
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), -ENODATA);

	scoped_guard(rwsem_write, &pci_tsm_rwsem) {
		gen = pci_tsm_generation(pdev);
		KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connected(pdev, NULL), 0);
		KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), 0);
		KUNIT_EXPECT_GT(test, pci_tsm_generation(pdev), gen);

		/* what the TSM published stays, under its generation */
		ev = evidence_test_alloc(test);
		KUNIT_ASSERT_EQ(test, pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_VCA,
							   0, "v", 1), 0);
		KUNIT_ASSERT_GT(test, pci_tsm_evidence_publish(pdev, NULL, ev), 0);
		gen = pci_tsm_generation(pdev);
		KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connected(pdev, NULL), 0);
		KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), 1);
		KUNIT_EXPECT_EQ(test, pci_tsm_generation(pdev), gen);

		/* not the evidence of a connect that failed before */
		KUNIT_ASSERT_GT(test, pci_tsm_evidence_publish_failed(pdev, NULL,
								      evidence_test_alloc(test),
								      -EPROTO), 0);
		KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connected(pdev, NULL), 0);
		KUNIT_EXPECT_EQ(test, pci_tsm_evidence_connect_error(pdev), 0);
		KUNIT_EXPECT_EQ(test, pci_tsm_evidence_objects(pdev), 0);
	}
	pci_tsm_evidence_remove(pdev);
}

/*
 * What a failed authentication received, as far as it got: each signed
 * pair only if its response arrived; each chain with its status.
 */
static void pci_tsm_test_evidence_spdm_failed(struct kunit *test)
{
	struct spdm_test_auth *a = spdm_test_auth(test, SPDM_VER_12, true);
	struct spdm_evidence *s = &a->s;
	struct pci_tsm_evidence *ev;
	size_t len;

	/* failed in CHALLENGE_AUTH: no MEASUREMENTS */
	s->meas_req = (struct spdm_blob){};
	s->meas_rsp = (struct spdm_blob){};
	s->meas_sig = (struct spdm_blob){};
	s->cert_status[0] = -EKEYREJECTED;
	ev = pci_tsm_evidence_from_failed_spdm(s);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ev);
	/* chain, VCA, CHALLENGE, the M1 pair, the last pair */
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_count(ev), 7);
	KUNIT_EXPECT_TRUE(test, spdm_test_has(ev, PCI_TSM_OBJECT_TYPE_CHALLENGE_SIGNATURE, 0));
	KUNIT_EXPECT_FALSE(test, spdm_test_has(ev, PCI_TSM_OBJECT_TYPE_MEASUREMENTS, 0));
	KUNIT_EXPECT_NOT_NULL(test, pci_tsm_evidence_peek(ev, PCI_TSM_OBJECT_TYPE_CERT_CHAIN,
							  0, &len));
	pci_tsm_evidence_free(ev);

	/* failed in the chain: no signed exchange at all */
	s->challenge_req = (struct spdm_blob){};
	s->challenge_rsp = (struct spdm_blob){};
	s->challenge_sig = (struct spdm_blob){};
	ev = pci_tsm_evidence_from_failed_spdm(s);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, pci_tsm_evidence_count(ev), 2);
	KUNIT_EXPECT_TRUE(test, spdm_test_has(ev, PCI_TSM_OBJECT_TYPE_VCA, 0));
	KUNIT_EXPECT_FALSE(test, spdm_test_has(ev, PCI_TSM_OBJECT_TYPE_SIGNATURE, 0));
	pci_tsm_evidence_free(ev);
}

struct spdm_test_sig_case {
	const char *desc;
	bool meas;		/* misplace the measurement signature */
	int shift;		/* signature this far before the tail */
	size_t len;		/* signature length */
	bool elsewhere;		/* in another buffer than the response */
};

#define SIG	SPDM_TEST_SIG_LEN

static const struct spdm_test_sig_case spdm_test_sig_cases[] = {
	{ "meas-one-before-tail", true, 1, SIG },
	{ "meas-middle", true, 50, SIG },
	{ "meas-empty", true, 0, 0 },
	{ "meas-longer-than-response", true, 0, sizeof_field(struct spdm_test_auth, meas_rsp) + 1 },
	{ "meas-other-buffer", true, 0, SIG, true },
	{ "challenge-one-before-tail", false, 1, SIG },
	{ "challenge-empty", false, 0, 0 },
	{ "challenge-longer-than-response", false, 0,
	  sizeof_field(struct spdm_test_auth, chal_rsp) + 1 },
	{ "challenge-other-buffer", false, 0, SIG, true },
};

#undef SIG

KUNIT_ARRAY_PARAM_DESC(spdm_test_sig, spdm_test_sig_cases, desc);

/* A signature that is not the tail of its response: -EPROTO, no evidence */
static void pci_tsm_test_evidence_spdm_sig_misplaced(struct kunit *test)
{
	const struct spdm_test_sig_case *c = test->param_value;
	struct spdm_test_auth *a = spdm_test_auth(test, SPDM_VER_12, c->meas);
	struct spdm_blob *rsp = c->meas ? &a->s.meas_rsp : &a->s.challenge_rsp;
	struct spdm_blob *sig = c->meas ? &a->s.meas_sig : &a->s.challenge_sig;
	struct pci_tsm_evidence *ev;

	if (c->elsewhere)
		sig->data = a->b;
	else if (c->len <= rsp->len)
		sig->data = rsp->data + rsp->len - c->len - c->shift;
	else
		sig->data = rsp->data;
	sig->len = c->len;

	ev = pci_tsm_evidence_from_spdm(&a->s);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(ev), -EPROTO);
	if (!IS_ERR(ev))
		pci_tsm_evidence_free(ev);
}

static struct kunit_case pci_tsm_evidence_test_cases[] = {
	KUNIT_CASE(pci_tsm_test_evidence_add_errors),
	KUNIT_CASE(pci_tsm_test_evidence_generation),
	KUNIT_CASE(pci_tsm_test_evidence_large),
	KUNIT_CASE_PARAM(pci_tsm_test_evidence_chunk, chunk_gen_params),
	KUNIT_CASE(pci_tsm_test_evidence_reassembly),
	KUNIT_CASE(pci_tsm_test_evidence_spdm_m1),
	KUNIT_CASE_PARAM(pci_tsm_test_evidence_spdm_l1, spdm_test_version_gen_params),
	KUNIT_CASE(pci_tsm_test_evidence_spdm_slots),
	KUNIT_CASE(pci_tsm_test_evidence_failed),
	KUNIT_CASE(pci_tsm_test_evidence_connected),
	KUNIT_CASE(pci_tsm_test_evidence_spdm_failed),
	KUNIT_CASE_PARAM(pci_tsm_test_evidence_spdm_sig_misplaced,
			 spdm_test_sig_gen_params),
	{}
};

static struct kunit_suite pci_tsm_evidence_test_suite = {
	.name = "pci_tsm_evidence",
	.test_cases = pci_tsm_evidence_test_cases,
};

kunit_test_suite(pci_tsm_evidence_test_suite);

MODULE_DESCRIPTION("KUnit tests for the PCI TSM evidence store");
MODULE_LICENSE("GPL");

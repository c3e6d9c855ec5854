// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the emulated TEE platform, through the kernel's own DOE
 * code: each case instantiates a fresh emulated bridge, finds the endpoint
 * the PCI core scanned, and talks SPDM and TDISP to it with pci_doe().
 * Signatures are checked with the kernel's X.509 parser and RSA verifier
 * against the leaf certificate the device sent.
 */

#include <crypto/public_key.h>
#include <crypto/sha2.h>
#include <keys/asymmetric-type.h>
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/cred.h>
#include <linux/key.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/pci-tsm.h>
#include <linux/platform_device.h>
#include <linux/random.h>
#include <linux/unaligned.h>

#include "devsec.h"

#define BUF_SIZE	(DEVSEC_MAX_MSG + 8)
#define CHAIN_MAX	8192

struct devsec_test {
	struct platform_device *pdev;
	struct devsec_ep *ep;
	struct pci_doe_mb *mb;
	u8 *req, *rsp;
	u8 *t;			/* transcript kept by the test (requester) */
	size_t t_len;
	size_t vca_len;
	u8 *chain;
	size_t chain_len;
};

static int devsec_test_init(struct kunit *test)
{
	struct devsec_bridge_config cfg = { .nr_endpoints = 2 };
	struct devsec_bridge *br;
	struct devsec_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->req = kunit_kzalloc(test, BUF_SIZE, GFP_KERNEL);
	t->rsp = kunit_kzalloc(test, BUF_SIZE, GFP_KERNEL);
	t->t = kunit_kzalloc(test, DEVSEC_TRANSCRIPT_MAX, GFP_KERNEL);
	t->chain = kunit_kzalloc(test, CHAIN_MAX, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, t->req && t->rsp && t->t && t->chain);

	t->pdev = platform_device_register_data(NULL, "devsec-bridge",
						PLATFORM_DEVID_AUTO, &cfg,
						sizeof(cfg));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->pdev);
	test->priv = t;

	br = devsec_bridge_from_dev(&t->pdev->dev);
	KUNIT_ASSERT_NOT_NULL(test, br);
	KUNIT_ASSERT_EQ(test, br->nr_eps, 2);
	t->ep = br->eps[1];
	KUNIT_ASSERT_NOT_NULL(test, t->ep->pdev);
	t->mb = pci_find_doe_mailbox(t->ep->pdev, PCI_VENDOR_ID_PCI_SIG,
				     PCI_DOE_FEATURE_CMA);
	KUNIT_ASSERT_NOT_NULL(test, t->mb);
	return 0;
}

static void devsec_test_exit(struct kunit *test)
{
	struct devsec_test *t = test->priv;

	if (t && !IS_ERR_OR_NULL(t->pdev))
		platform_device_unregister(t->pdev);
}

/* One SPDM exchange; returns the response length (DOE padding included) */
static int xfer(struct devsec_test *t, size_t req_len)
{
	memset(t->rsp, 0, BUF_SIZE);
	return pci_doe(t->mb, PCI_VENDOR_ID_PCI_SIG, PCI_DOE_FEATURE_CMA,
		       t->req, req_len, t->rsp, BUF_SIZE);
}

static void t_add(struct kunit *test, struct devsec_test *t, const u8 *p,
		  size_t n)
{
	KUNIT_ASSERT_LE(test, t->t_len + n, DEVSEC_TRANSCRIPT_MAX);
	memcpy(t->t + t->t_len, p, n);
	t->t_len += n;
}

/* Exchange and add request and response (of length @rsp_len) to the transcript */
static void xfer_t(struct kunit *test, struct devsec_test *t, size_t req_len,
		   u8 code, size_t rsp_len)
{
	int rc = xfer(t, req_len);

	KUNIT_ASSERT_GE(test, rc, (int)rsp_len);
	KUNIT_ASSERT_EQ_MSG(test, t->rsp[1], code, "error %#x", t->rsp[2]);
	t_add(test, t, t->req, req_len);
	t_add(test, t, t->rsp, rsp_len);
}

static void put_hdr(u8 *req, u8 ver, u8 code, u8 p1, u8 p2)
{
	req[0] = ver;
	req[1] = code;
	req[2] = p1;
	req[3] = p2;
}

/* GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS into the transcript */
static void devsec_vca(struct kunit *test, struct devsec_test *t)
{
	u8 *req = t->req;

	t->t_len = 0;
	put_hdr(req, 0x10, SPDM_GET_VERSION, 0, 0);
	xfer_t(test, t, 4, SPDM_VERSION, 8);

	memset(req, 0, 20);
	put_hdr(req, 0x12, SPDM_GET_CAPABILITIES, 0, 0);
	put_unaligned_le32(SPDM_CAP_CERT | SPDM_CAP_CHAL, req + 8);
	put_unaligned_le32(DEVSEC_MAX_MSG, req + 12);
	put_unaligned_le32(DEVSEC_MAX_MSG, req + 16);
	xfer_t(test, t, 20, SPDM_CAPABILITIES, 20);

	memset(req, 0, 32);
	put_hdr(req, 0x12, SPDM_NEGOTIATE_ALGORITHMS, 0, 0);
	put_unaligned_le16(32, req + 4);
	req[6] = SPDM_MEAS_SPEC_DMTF;
	/* offer ECDSA P-384 too: the responder must pick RSASSA-3072 */
	put_unaligned_le32(SPDM_ASYM_RSASSA_3072 | BIT(7), req + 8);
	put_unaligned_le32(SPDM_HASH_SHA384, req + 12);
	xfer_t(test, t, 32, SPDM_ALGORITHMS, 36);
	KUNIT_ASSERT_EQ(test, get_unaligned_le32(t->rsp + 12),
			SPDM_ASYM_RSASSA_3072);
	KUNIT_ASSERT_EQ(test, get_unaligned_le32(t->rsp + 16),
			SPDM_HASH_SHA384);
	t->vca_len = t->t_len;
}

/* GET_DIGESTS and the whole chain, 1000 bytes a portion */
static void devsec_get_chain(struct kunit *test, struct devsec_test *t)
{
	u8 digest[DEVSEC_HASH_SIZE], chain_digest[DEVSEC_HASH_SIZE];
	size_t offset = 0, remainder, portion;
	int portions = 0;

	put_hdr(t->req, 0x12, SPDM_GET_DIGESTS, 0, 0);
	xfer_t(test, t, 4, SPDM_DIGESTS, 4 + DEVSEC_HASH_SIZE);
	KUNIT_ASSERT_EQ(test, t->rsp[3], 1);	/* slot mask */
	memcpy(digest, t->rsp + 4, DEVSEC_HASH_SIZE);

	do {
		put_hdr(t->req, 0x12, SPDM_GET_CERTIFICATE, 0, 0);
		put_unaligned_le16(offset, t->req + 4);
		put_unaligned_le16(1000, t->req + 6);
		KUNIT_ASSERT_GE(test, xfer(t, 8), 8);
		KUNIT_ASSERT_EQ(test, t->rsp[1], SPDM_CERTIFICATE);
		portion = get_unaligned_le16(t->rsp + 4);
		remainder = get_unaligned_le16(t->rsp + 6);
		KUNIT_ASSERT_LE(test, portion, 1000);
		KUNIT_ASSERT_LE(test, offset + portion, CHAIN_MAX);
		t_add(test, t, t->req, 8);
		t_add(test, t, t->rsp, 8 + portion);
		memcpy(t->chain + offset, t->rsp + 8, portion);
		offset += portion;
		portions++;
	} while (remainder && portion);

	KUNIT_ASSERT_EQ(test, remainder, 0);
	KUNIT_EXPECT_GT(test, portions, 1);
	t->chain_len = offset;
	KUNIT_ASSERT_EQ(test, get_unaligned_le16(t->chain), t->chain_len);
	sha384(t->chain, t->chain_len, chain_digest);
	KUNIT_EXPECT_MEMEQ(test, digest, chain_digest, DEVSEC_HASH_SIZE);
}

/* The last DER certificate of the chain */
static const u8 *chain_leaf(struct kunit *test, struct devsec_test *t,
			    size_t *len)
{
	size_t off = 4 + DEVSEC_HASH_SIZE, n = 0;

	while (off + 4 <= t->chain_len) {
		KUNIT_ASSERT_EQ(test, t->chain[off], 0x30);
		KUNIT_ASSERT_EQ(test, t->chain[off + 1], 0x82);
		n = 4 + get_unaligned_be16(t->chain + off + 2);
		KUNIT_ASSERT_LE(test, off + n, t->chain_len);
		if (off + n == t->chain_len)
			break;
		off += n;
	}
	*len = n;
	return t->chain + off;
}

/* Verify an SPDM 1.2 signature over the transcript with the leaf's key */
static int devsec_verify(struct kunit *test, const u8 *leaf, size_t leaf_len,
			 const char *ctx, const u8 *tr, size_t tr_len,
			 const u8 *sig)
{
	u8 msg[100 + DEVSEC_HASH_SIZE], digest[DEVSEC_HASH_SIZE];
	struct public_key_signature pks = {
		.s = (u8 *)sig,
		.s_size = DEVSEC_SIG_SIZE,
		.m = digest,
		.m_size = sizeof(digest),
		.pkey_algo = "rsa",
		.hash_algo = "sha384",
		.encoding = "pkcs1",
	};
	struct key *keyring, *key;
	key_ref_t kref;
	int i, rc;

	for (i = 0; i < 4; i++)
		memcpy(msg + 16 * i, "dmtf-spdm-v1.2.*", 16);
	memset(msg + 64, 0, 36);
	memcpy(msg + 100 - strlen(ctx), ctx, strlen(ctx));
	sha384(tr, tr_len, msg + 100);
	sha384(msg, sizeof(msg), digest);

	keyring = keyring_alloc("devsec-test", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				current_cred(), KEY_POS_ALL | KEY_USR_VIEW,
				KEY_ALLOC_NOT_IN_QUOTA, NULL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, keyring);
	kref = key_create_or_update(make_key_ref(keyring, true), "asymmetric",
				    NULL, leaf, leaf_len,
				    KEY_POS_ALL | KEY_USR_VIEW,
				    KEY_ALLOC_NOT_IN_QUOTA);
	if (IS_ERR(kref)) {
		key_put(keyring);
		KUNIT_FAIL(test, "leaf certificate rejected: %ld",
			   PTR_ERR(kref));
		return PTR_ERR(kref);
	}
	key = key_ref_to_ptr(kref);
	rc = verify_signature(key, &pks);
	key_put(key);
	key_put(keyring);
	return rc;
}

/* CHALLENGE (summary of all measurements); returns CHALLENGE_AUTH length */
static size_t devsec_challenge(struct kunit *test, struct devsec_test *t)
{
	size_t n = 4 + 2 * DEVSEC_HASH_SIZE + DEVSEC_NONCE_SIZE + 2;

	put_hdr(t->req, 0x12, SPDM_CHALLENGE, 0, 0xff);
	get_random_bytes(t->req + 4, DEVSEC_NONCE_SIZE);
	xfer_t(test, t, 36, SPDM_CHALLENGE_AUTH, n);
	return n;
}

static int challenge_verify(struct kunit *test, struct devsec_test *t,
			    const u8 *leaf, size_t leaf_len, size_t n)
{
	return devsec_verify(test, leaf, leaf_len,
			     "responder-challenge_auth signing", t->t,
			     t->t_len, t->rsp + n);
}

static void devsec_test_discovery(struct kunit *test)
{
	struct devsec_test *t = test->priv;
	struct pci_dev *pdev = t->ep->pdev;
	__le32 req, rsp;
	u32 val;

	KUNIT_EXPECT_EQ(test, pci_pcie_type(pdev), PCI_EXP_TYPE_ENDPOINT);
	KUNIT_EXPECT_TRUE(test, pdev->devcap & PCI_EXP_DEVCAP_TEE);
#ifdef CONFIG_PCI_TSM
	KUNIT_EXPECT_TRUE(test, is_pci_tsm_pf0(pdev));
#endif
	KUNIT_EXPECT_EQ(test, pdev->cfg_size, PCI_CFG_SPACE_EXP_SIZE);
	KUNIT_EXPECT_EQ(test, pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_DOE),
			DEVSEC_DOE_CAP);
	KUNIT_EXPECT_EQ(test, pci_domain_nr(pdev->bus) >= 0x10000, true);

	/* Index 0 is Discovery itself, 1 is CMA/SPDM and the last */
	req = cpu_to_le32(0);
	KUNIT_ASSERT_EQ(test, pci_doe(t->mb, PCI_VENDOR_ID_PCI_SIG,
				      PCI_DOE_FEATURE_DISCOVERY, &req,
				      sizeof(req), &rsp, sizeof(rsp)), 4);
	val = le32_to_cpu(rsp);
	KUNIT_EXPECT_EQ(test, FIELD_GET(PCI_DOE_DATA_OBJECT_DISC_RSP_3_TYPE,
					val), PCI_DOE_FEATURE_DISCOVERY);
	KUNIT_EXPECT_EQ(test, FIELD_GET(PCI_DOE_DATA_OBJECT_DISC_RSP_3_NEXT_INDEX,
					val), 1);
	req = cpu_to_le32(1);
	KUNIT_ASSERT_EQ(test, pci_doe(t->mb, PCI_VENDOR_ID_PCI_SIG,
				      PCI_DOE_FEATURE_DISCOVERY, &req,
				      sizeof(req), &rsp, sizeof(rsp)), 4);
	val = le32_to_cpu(rsp);
	KUNIT_EXPECT_EQ(test, FIELD_GET(PCI_DOE_DATA_OBJECT_DISC_RSP_3_VID,
					val), PCI_VENDOR_ID_PCI_SIG);
	KUNIT_EXPECT_EQ(test, FIELD_GET(PCI_DOE_DATA_OBJECT_DISC_RSP_3_TYPE,
					val), PCI_DOE_FEATURE_CMA);
	KUNIT_EXPECT_EQ(test, FIELD_GET(PCI_DOE_DATA_OBJECT_DISC_RSP_3_NEXT_INDEX,
					val), 0);

	/* Secured CMA is not offered */
	KUNIT_EXPECT_NULL(test, pci_find_doe_mailbox(pdev, PCI_VENDOR_ID_PCI_SIG,
						     PCI_DOE_FEATURE_SSESSION));
}

static u32 doe_rd(struct pci_dev *pdev, int reg)
{
	u32 val = 0;

	pci_read_config_dword(pdev, DEVSEC_DOE_CAP + reg, &val);
	return val;
}

static void doe_wr(struct pci_dev *pdev, int reg, u32 val)
{
	pci_write_config_dword(pdev, DEVSEC_DOE_CAP + reg, val);
}

/* The registers themselves, as doe.c does not exercise every corner */
static void devsec_test_mailbox_registers(struct kunit *test)
{
	struct devsec_test *t = test->priv;
	struct pci_dev *pdev = t->ep->pdev;
	u32 hdr1 = PCI_VENDOR_ID_PCI_SIG, val;
	int i;

	KUNIT_EXPECT_EQ(test, doe_rd(pdev, PCI_DOE_STATUS), 0);

	/* Unsupported data object type (Secured CMA): Error until Abort */
	doe_wr(pdev, PCI_DOE_WRITE, hdr1 | PCI_DOE_FEATURE_SSESSION << 16);
	doe_wr(pdev, PCI_DOE_WRITE, 2);
	doe_wr(pdev, PCI_DOE_CTRL, PCI_DOE_CTRL_GO);
	KUNIT_EXPECT_EQ(test, doe_rd(pdev, PCI_DOE_STATUS),
			PCI_DOE_STATUS_ERROR);
	doe_wr(pdev, PCI_DOE_CTRL, PCI_DOE_CTRL_ABORT);
	KUNIT_EXPECT_EQ(test, doe_rd(pdev, PCI_DOE_STATUS), 0);

	/* More dwords than the header's Length */
	doe_wr(pdev, PCI_DOE_WRITE, hdr1);
	doe_wr(pdev, PCI_DOE_WRITE, 2);
	doe_wr(pdev, PCI_DOE_WRITE, 0);
	KUNIT_EXPECT_EQ(test, doe_rd(pdev, PCI_DOE_STATUS),
			PCI_DOE_STATUS_ERROR);
	doe_wr(pdev, PCI_DOE_CTRL, PCI_DOE_CTRL_ABORT);

	/* GO before the object is complete */
	doe_wr(pdev, PCI_DOE_WRITE, hdr1);
	doe_wr(pdev, PCI_DOE_WRITE, 3);
	doe_wr(pdev, PCI_DOE_CTRL, PCI_DOE_CTRL_GO);
	KUNIT_EXPECT_EQ(test, doe_rd(pdev, PCI_DOE_STATUS),
			PCI_DOE_STATUS_ERROR);
	doe_wr(pdev, PCI_DOE_CTRL, PCI_DOE_CTRL_ABORT);

	/* Discovery index 1; each read acknowledged, the last clears Ready */
	doe_wr(pdev, PCI_DOE_WRITE, hdr1);
	doe_wr(pdev, PCI_DOE_WRITE, 3);
	doe_wr(pdev, PCI_DOE_WRITE, 1);
	doe_wr(pdev, PCI_DOE_CTRL, PCI_DOE_CTRL_GO);
	KUNIT_EXPECT_EQ(test, doe_rd(pdev, PCI_DOE_STATUS),
			PCI_DOE_STATUS_DATA_OBJECT_READY);
	KUNIT_EXPECT_EQ(test, doe_rd(pdev, PCI_DOE_READ), hdr1);
	KUNIT_EXPECT_EQ(test, doe_rd(pdev, PCI_DOE_READ), hdr1);
	for (i = 0; i < 3; i++) {
		val = doe_rd(pdev, PCI_DOE_READ);
		KUNIT_EXPECT_EQ(test, doe_rd(pdev, PCI_DOE_STATUS),
				PCI_DOE_STATUS_DATA_OBJECT_READY);
		doe_wr(pdev, PCI_DOE_READ, 0);
	}
	KUNIT_EXPECT_EQ(test, val, hdr1 | PCI_DOE_FEATURE_CMA << 16);
	KUNIT_EXPECT_EQ(test, doe_rd(pdev, PCI_DOE_STATUS), 0);

	/* The capability header is read-only */
	val = doe_rd(pdev, 0);
	doe_wr(pdev, 0, 0);
	KUNIT_EXPECT_EQ(test, doe_rd(pdev, 0), val);
}

static void devsec_test_get_version(struct kunit *test)
{
	static const u8 version[] = { 0x10, 0x04, 0, 0, 0, 1, 0x00, 0x12 };
	struct devsec_test *t = test->priv;

	put_hdr(t->req, 0x10, SPDM_GET_VERSION, 0, 0);
	KUNIT_ASSERT_EQ(test, xfer(t, 4), 8);
	KUNIT_EXPECT_MEMEQ(test, t->rsp, version, sizeof(version));

	/* Before VERSION, anything else is unexpected */
	devsec_ep_reset(t->ep);
	put_hdr(t->req, 0x12, SPDM_GET_DIGESTS, 0, 0);
	KUNIT_ASSERT_EQ(test, xfer(t, 4), 4);
	KUNIT_EXPECT_EQ(test, t->rsp[1], SPDM_ERROR);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_UNEXPECTED_REQUEST);

	/* GET_VERSION must be sent as version 1.0 */
	put_hdr(t->req, 0x12, SPDM_GET_VERSION, 0, 0);
	KUNIT_ASSERT_EQ(test, xfer(t, 4), 4);
	KUNIT_EXPECT_EQ(test, t->rsp[1], SPDM_ERROR);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_VERSION_MISMATCH);
}

static void devsec_test_authenticate(struct kunit *test)
{
	struct devsec_test *t = test->priv;
	const u8 *leaf, *own;
	size_t leaf_len, own_len, n, rec_len;

	devsec_vca(test, t);
	devsec_get_chain(test, t);
	leaf = chain_leaf(test, t, &leaf_len);
	own = devsec_identity_leaf(0, &own_len);
	KUNIT_ASSERT_EQ(test, leaf_len, own_len);
	KUNIT_EXPECT_MEMEQ(test, leaf, own, own_len);

	n = devsec_challenge(test, t);
	KUNIT_EXPECT_EQ(test, challenge_verify(test, t, leaf, leaf_len, n), 0);

	/* A flipped transcript byte must not verify (the check can fail) */
	t->t[t->vca_len + 1] ^= 1;
	KUNIT_EXPECT_NE(test, challenge_verify(test, t, leaf, leaf_len, n), 0);

	/* Signed GET_MEASUREMENTS of all blocks: L1 = VCA || messages */
	t->t_len = t->vca_len;
	memset(t->req, 0, 37);
	put_hdr(t->req, 0x12, SPDM_GET_MEASUREMENTS, 1, 0xff);
	get_random_bytes(t->req + 4, DEVSEC_NONCE_SIZE);
	KUNIT_ASSERT_GT(test, xfer(t, 37), 8);
	KUNIT_ASSERT_EQ(test, t->rsp[1], SPDM_MEASUREMENTS);
	KUNIT_EXPECT_EQ(test, t->rsp[4], DEVSEC_MEAS_BLOCKS);
	rec_len = get_unaligned_le24(t->rsp + 5);
	n = 8 + rec_len + DEVSEC_NONCE_SIZE + 2;
	t_add(test, t, t->req, 37);
	t_add(test, t, t->rsp, n);
	KUNIT_EXPECT_EQ(test, devsec_verify(test, leaf, leaf_len,
					    "responder-measurements signing",
					    t->t, t->t_len, t->rsp + n), 0);
}

/* GET_MEASUREMENTS of one block, unsigned; copies the block to @out */
static size_t get_block(struct kunit *test, struct devsec_test *t, u8 index,
			u8 *out)
{
	size_t len;

	put_hdr(t->req, 0x12, SPDM_GET_MEASUREMENTS, 0, index);
	KUNIT_ASSERT_GT(test, xfer(t, 4), 8);
	KUNIT_ASSERT_EQ(test, t->rsp[1], SPDM_MEASUREMENTS);
	KUNIT_ASSERT_EQ(test, t->rsp[4], 1);
	len = get_unaligned_le24(t->rsp + 5);
	KUNIT_ASSERT_LE(test, len, 64);
	memcpy(out, t->rsp + 8, len);
	return len;
}

/* Build a TDISP request in t->req; returns its length */
static size_t tdisp_req(struct devsec_test *t, u8 type, const u8 *payload,
			size_t plen)
{
	struct pci_dev *pdev = t->ep->pdev;
	u8 *req = t->req;

	put_hdr(req, 0x12, SPDM_VENDOR_DEFINED_REQUEST, 0, 0);
	put_unaligned_le16(SPDM_STANDARD_ID_PCISIG, req + 4);
	req[6] = 2;
	put_unaligned_le16(SPDM_PCISIG_VENDOR_ID, req + 7);
	put_unaligned_le16(1 + TDISP_HDR_SIZE + plen, req + 9);
	req[11] = PCISIG_PROTOCOL_TDISP;
	memset(req + 12, 0, TDISP_HDR_SIZE);
	req[12] = TDISP_VERSION_1_0;
	req[13] = type;
	put_unaligned_le32(PCI_DEVID(pdev->bus->number, pdev->devfn), req + 16);
	memcpy(req + 12 + TDISP_HDR_SIZE, payload, plen);
	return 12 + TDISP_HDR_SIZE + plen;
}

/* One TDISP request; returns the TDISP response (at t->rsp + 12) length */
static size_t tdisp(struct kunit *test, struct devsec_test *t, u8 type,
		    const u8 *payload, size_t plen)
{
	int rc = xfer(t, tdisp_req(t, type, payload, plen));

	KUNIT_ASSERT_GE(test, rc, 12 + TDISP_HDR_SIZE);
	KUNIT_ASSERT_EQ(test, t->rsp[1], SPDM_VENDOR_DEFINED_RESPONSE);
	KUNIT_ASSERT_EQ(test, t->rsp[11], PCISIG_PROTOCOL_TDISP);
	return get_unaligned_le16(t->rsp + 9) - 1;
}

/* Expect TDISP response @type, or TDISP_ERROR @err if @err is non-zero */
static void tdisp_expect(struct kunit *test, struct devsec_test *t, u8 type,
			 const u8 *payload, size_t plen, u32 err)
{
	tdisp(test, t, type, payload, plen);
	if (err) {
		KUNIT_EXPECT_EQ(test, t->rsp[13], TDISP_ERROR);
		KUNIT_EXPECT_EQ(test, get_unaligned_le32(t->rsp + 28), err);
	} else {
		KUNIT_EXPECT_EQ(test, t->rsp[13], TDISP_RSP(type));
	}
}

static u8 tdi_state(struct kunit *test, struct devsec_test *t)
{
	tdisp(test, t, TDISP_GET_DEVICE_INTERFACE_STATE, NULL, 0);
	KUNIT_ASSERT_EQ(test, t->rsp[13],
			TDISP_RSP(TDISP_GET_DEVICE_INTERFACE_STATE));
	return t->rsp[28];
}

static void devsec_test_tdisp(struct kunit *test)
{
	struct devsec_test *t = test->priv;
	u8 lock[20] = { }, report[4] = { 0, 0, 0xff, 0xff };
	u8 nonce[DEVSEC_NONCE_SIZE], bad[DEVSEC_NONCE_SIZE];
	size_t n;

	/* Before VCA there is no SPDM connection to carry TDISP */
	KUNIT_ASSERT_EQ(test, xfer(t, tdisp_req(t, TDISP_GET_VERSION, NULL, 0)),
			4);
	KUNIT_EXPECT_EQ(test, t->rsp[1], SPDM_ERROR);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_UNEXPECTED_REQUEST);
	devsec_vca(test, t);

	n = tdisp(test, t, TDISP_GET_VERSION, NULL, 0);
	KUNIT_EXPECT_EQ(test, n, TDISP_HDR_SIZE + 2);
	KUNIT_EXPECT_EQ(test, t->rsp[13], TDISP_RSP(TDISP_GET_VERSION));
	KUNIT_EXPECT_EQ(test, t->rsp[29], TDISP_VERSION_1_0);

	/* CONFIG_UNLOCKED: no report, no start */
	KUNIT_EXPECT_EQ(test, tdi_state(test, t), DEVSEC_TDI_CONFIG_UNLOCKED);
	tdisp_expect(test, t, TDISP_GET_DEVICE_INTERFACE_REPORT, report, 4,
		     TDISP_ERR_INVALID_INTERFACE_STATE);
	memset(bad, 0, sizeof(bad));
	tdisp_expect(test, t, TDISP_START_INTERFACE, bad, sizeof(bad),
		     TDISP_ERR_INVALID_INTERFACE_STATE);
	/* P2P binding is not supported */
	put_unaligned_le16(TDISP_LOCK_BIND_P2P, lock);
	tdisp_expect(test, t, TDISP_LOCK_INTERFACE, lock, sizeof(lock),
		     TDISP_ERR_INVALID_REQUEST);
	KUNIT_EXPECT_EQ(test, tdi_state(test, t), DEVSEC_TDI_CONFIG_UNLOCKED);

	/* LOCK: CONFIG_UNLOCKED -> CONFIG_LOCKED, once */
	put_unaligned_le16(TDISP_LOCK_NO_FW_UPDATE, lock);
	tdisp_expect(test, t, TDISP_LOCK_INTERFACE, lock, sizeof(lock), 0);
	memcpy(nonce, t->rsp + 12 + TDISP_HDR_SIZE, sizeof(nonce));
	KUNIT_EXPECT_EQ(test, tdi_state(test, t), DEVSEC_TDI_CONFIG_LOCKED);
	tdisp_expect(test, t, TDISP_LOCK_INTERFACE, lock, sizeof(lock),
		     TDISP_ERR_INVALID_INTERFACE_STATE);

	/* The report, in CONFIG_LOCKED */
	tdisp_expect(test, t, TDISP_GET_DEVICE_INTERFACE_REPORT, report, 4, 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->rsp + 28), 28);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(t->rsp + 30), 0);
	KUNIT_EXPECT_EQ(test, t->rsp[32] & 1, 1);	/* NO_FW_UPDATE */

	/* START with a wrong nonce fails and changes nothing */
	memcpy(bad, nonce, sizeof(bad));
	bad[0] ^= 1;
	tdisp_expect(test, t, TDISP_START_INTERFACE, bad, sizeof(bad),
		     TDISP_ERR_INVALID_NONCE);
	KUNIT_EXPECT_EQ(test, tdi_state(test, t), DEVSEC_TDI_CONFIG_LOCKED);

	/* START: CONFIG_LOCKED -> RUN, then neither LOCK nor START again */
	tdisp_expect(test, t, TDISP_START_INTERFACE, nonce, sizeof(nonce), 0);
	KUNIT_EXPECT_EQ(test, tdi_state(test, t), DEVSEC_TDI_RUN);
	tdisp_expect(test, t, TDISP_START_INTERFACE, nonce, sizeof(nonce),
		     TDISP_ERR_INVALID_INTERFACE_STATE);
	tdisp_expect(test, t, TDISP_LOCK_INTERFACE, lock, sizeof(lock),
		     TDISP_ERR_INVALID_INTERFACE_STATE);
	tdisp_expect(test, t, TDISP_GET_DEVICE_INTERFACE_REPORT, report, 4, 0);

	/* STOP: RUN -> CONFIG_UNLOCKED */
	tdisp_expect(test, t, TDISP_STOP_INTERFACE, NULL, 0, 0);
	KUNIT_EXPECT_EQ(test, tdi_state(test, t), DEVSEC_TDI_CONFIG_UNLOCKED);

	/* A firmware update while locked: ERROR, only STOP leaves it */
	tdisp_expect(test, t, TDISP_LOCK_INTERFACE, lock, sizeof(lock), 0);
	devsec_ep_update_firmware(t->ep);
	KUNIT_EXPECT_EQ(test, tdi_state(test, t), DEVSEC_TDI_ERROR);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep), DEVSEC_TDI_ERROR);
	tdisp_expect(test, t, TDISP_LOCK_INTERFACE, lock, sizeof(lock),
		     TDISP_ERR_INVALID_INTERFACE_STATE);
	tdisp_expect(test, t, TDISP_GET_DEVICE_INTERFACE_REPORT, report, 4,
		     TDISP_ERR_INVALID_INTERFACE_STATE);
	tdisp_expect(test, t, TDISP_STOP_INTERFACE, NULL, 0, 0);
	KUNIT_EXPECT_EQ(test, tdi_state(test, t), DEVSEC_TDI_CONFIG_UNLOCKED);

	/* Another function's INTERFACE_ID is refused */
	tdisp(test, t, TDISP_GET_DEVICE_INTERFACE_STATE, NULL, 0);
	t->req[16] ^= 0x80;
	KUNIT_ASSERT_GE(test, xfer(t, 12 + TDISP_HDR_SIZE), 12 + 24);
	KUNIT_EXPECT_EQ(test, t->rsp[13], TDISP_ERROR);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(t->rsp + 28),
			TDISP_ERR_INVALID_INTERFACE);

	/* Unknown TDISP request */
	tdisp_expect(test, t, 0x8f, NULL, 0, TDISP_ERR_UNSUPPORTED_REQUEST);
}

static void devsec_test_fault_corrupt_sig(struct kunit *test)
{
	struct devsec_test *t = test->priv;
	size_t leaf_len, n;
	const u8 *leaf;

	devsec_vca(test, t);
	devsec_get_chain(test, t);
	leaf = chain_leaf(test, t, &leaf_len);

	devsec_ep_corrupt_sig(t->ep);
	n = devsec_challenge(test, t);
	KUNIT_EXPECT_NE(test, challenge_verify(test, t, leaf, leaf_len, n), 0);

	/* One shot: the next CHALLENGE is good again */
	t->t_len = t->vca_len;
	n = devsec_challenge(test, t);
	KUNIT_EXPECT_EQ(test, challenge_verify(test, t, leaf, leaf_len, n), 0);
}

static void devsec_test_fault_identity(struct kunit *test)
{
	struct devsec_test *t = test->priv;
	const u8 *leaf, *other, *own;
	size_t leaf_len, other_len, own_len, n;

	own = devsec_identity_leaf(0, &own_len);
	other = devsec_identity_leaf(1, &other_len);
	KUNIT_ASSERT_EQ(test, devsec_ep_set_identity(t->ep, 1), 0);
	KUNIT_EXPECT_EQ(test, devsec_ep_set_identity(t->ep, 2), -EINVAL);

	devsec_vca(test, t);
	devsec_get_chain(test, t);
	leaf = chain_leaf(test, t, &leaf_len);
	KUNIT_ASSERT_EQ(test, leaf_len, other_len);
	KUNIT_EXPECT_MEMEQ(test, leaf, other, other_len);

	/* Signed with the replaced device's key, not the original one */
	n = devsec_challenge(test, t);
	KUNIT_EXPECT_EQ(test, challenge_verify(test, t, leaf, leaf_len, n), 0);
	KUNIT_EXPECT_NE(test, challenge_verify(test, t, own, own_len, n), 0);
}

static void devsec_test_fault_measurement(struct kunit *test)
{
	struct devsec_test *t = test->priv;
	u8 rom[64], fw[64], rom2[64], fw2[64];
	size_t rom_len, fw_len;

	devsec_vca(test, t);
	rom_len = get_block(test, t, 1, rom);
	fw_len = get_block(test, t, 2, fw);
	devsec_ep_update_firmware(t->ep);
	KUNIT_ASSERT_EQ(test, get_block(test, t, 1, rom2), rom_len);
	KUNIT_ASSERT_EQ(test, get_block(test, t, 2, fw2), fw_len);
	KUNIT_EXPECT_MEMEQ(test, rom, rom2, rom_len);
	KUNIT_EXPECT_MEMNEQ(test, fw, fw2, fw_len);

	/* No block 4 */
	put_hdr(t->req, 0x12, SPDM_GET_MEASUREMENTS, 0, 4);
	KUNIT_ASSERT_EQ(test, xfer(t, 4), 4);
	KUNIT_EXPECT_EQ(test, t->rsp[1], SPDM_ERROR);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_INVALID_REQUEST);
}

static void devsec_test_fault_drop(struct kunit *test)
{
	struct devsec_test *t = test->priv;

	/* doe.c times out (1 s), aborts the mailbox and reports -EIO */
	devsec_ep_set_drop(t->ep, 1);
	put_hdr(t->req, 0x10, SPDM_GET_VERSION, 0, 0);
	KUNIT_EXPECT_EQ(test, xfer(t, 4), -EIO);

	/* The abort recovered the mailbox */
	put_hdr(t->req, 0x10, SPDM_GET_VERSION, 0, 0);
	KUNIT_EXPECT_EQ(test, xfer(t, 4), 8);
	KUNIT_EXPECT_EQ(test, t->rsp[1], SPDM_VERSION);
}

static void devsec_test_fault_delay(struct kunit *test)
{
	struct devsec_test *t = test->priv;
	unsigned long start;

	devsec_ep_set_delay(t->ep, 300);
	put_hdr(t->req, 0x10, SPDM_GET_VERSION, 0, 0);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, xfer(t, 4), 8);
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(jiffies - start), 300);
	KUNIT_EXPECT_EQ(test, t->rsp[1], SPDM_VERSION);

	devsec_ep_set_delay(t->ep, 0);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, xfer(t, 4), 8);
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start), 300);
}

static void devsec_test_fault_error(struct kunit *test)
{
	struct devsec_test *t = test->priv;

	devsec_vca(test, t);
	devsec_ep_set_error(t->ep, SPDM_ERR_BUSY);
	put_hdr(t->req, 0x12, SPDM_GET_DIGESTS, 0, 0);
	KUNIT_ASSERT_EQ(test, xfer(t, 4), 4);
	KUNIT_EXPECT_EQ(test, t->rsp[1], SPDM_ERROR);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_BUSY);

	/* One shot */
	KUNIT_ASSERT_EQ(test, xfer(t, 4), 4 + DEVSEC_HASH_SIZE);
	KUNIT_EXPECT_EQ(test, t->rsp[1], SPDM_DIGESTS);

	/* ResponseNotReady carries its extended data */
	devsec_ep_set_error(t->ep, SPDM_ERR_RESPONSE_NOT_READY);
	KUNIT_ASSERT_EQ(test, xfer(t, 4), 8);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_RESPONSE_NOT_READY);
	KUNIT_EXPECT_EQ(test, t->rsp[5], SPDM_GET_DIGESTS);
}

static void devsec_test_fault_reset(struct kunit *test)
{
	struct devsec_test *t = test->priv;
	u8 lock[20] = { };

	devsec_vca(test, t);
	tdisp_expect(test, t, TDISP_LOCK_INTERFACE, lock, sizeof(lock), 0);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep),
			DEVSEC_TDI_CONFIG_LOCKED);

	devsec_ep_reset(t->ep);
	KUNIT_EXPECT_EQ(test, devsec_ep_tdi_state(t->ep),
			DEVSEC_TDI_CONFIG_UNLOCKED);
	/* The SPDM connection is gone too */
	put_hdr(t->req, 0x12, SPDM_GET_DIGESTS, 0, 0);
	KUNIT_ASSERT_EQ(test, xfer(t, 4), 4);
	KUNIT_EXPECT_EQ(test, t->rsp[1], SPDM_ERROR);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_UNEXPECTED_REQUEST);
}

static void devsec_test_malformed(struct kunit *test)
{
	struct devsec_test *t = test->priv;

	devsec_vca(test, t);

	/* GET_CERTIFICATE past the end of the chain, and of a missing slot */
	put_hdr(t->req, 0x12, SPDM_GET_CERTIFICATE, 0, 0);
	put_unaligned_le16(0xfff0, t->req + 4);
	put_unaligned_le16(100, t->req + 6);
	KUNIT_ASSERT_EQ(test, xfer(t, 8), 4);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_INVALID_REQUEST);
	put_hdr(t->req, 0x12, SPDM_GET_CERTIFICATE, 1, 0);
	put_unaligned_le16(0, t->req + 4);
	KUNIT_ASSERT_EQ(test, xfer(t, 8), 4);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_INVALID_REQUEST);

	/* Truncated CHALLENGE */
	put_hdr(t->req, 0x12, SPDM_CHALLENGE, 0, 0);
	KUNIT_ASSERT_EQ(test, xfer(t, 20), 4);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_INVALID_REQUEST);

	/* VENDOR_DEFINED with a payload length beyond the message */
	put_hdr(t->req, 0x12, SPDM_VENDOR_DEFINED_REQUEST, 0, 0);
	put_unaligned_le16(SPDM_STANDARD_ID_PCISIG, t->req + 4);
	t->req[6] = 2;
	put_unaligned_le16(SPDM_PCISIG_VENDOR_ID, t->req + 7);
	put_unaligned_le16(2000, t->req + 9);
	KUNIT_ASSERT_EQ(test, xfer(t, 12), 4);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_INVALID_REQUEST);

	/* Wrong version after negotiation, unknown request */
	put_hdr(t->req, 0x11, SPDM_GET_DIGESTS, 0, 0);
	KUNIT_ASSERT_EQ(test, xfer(t, 4), 4);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_VERSION_MISMATCH);
	put_hdr(t->req, 0x12, 0xe8, 0, 0);
	KUNIT_ASSERT_EQ(test, xfer(t, 4), 4);
	KUNIT_EXPECT_EQ(test, t->rsp[2], SPDM_ERR_UNSUPPORTED_REQUEST);
}

static struct kunit_case devsec_test_cases[] = {
	KUNIT_CASE(devsec_test_discovery),
	KUNIT_CASE(devsec_test_mailbox_registers),
	KUNIT_CASE(devsec_test_get_version),
	KUNIT_CASE(devsec_test_authenticate),
	KUNIT_CASE(devsec_test_tdisp),
	KUNIT_CASE(devsec_test_malformed),
	KUNIT_CASE(devsec_test_fault_corrupt_sig),
	KUNIT_CASE(devsec_test_fault_identity),
	KUNIT_CASE(devsec_test_fault_measurement),
	KUNIT_CASE_SLOW(devsec_test_fault_drop),
	KUNIT_CASE(devsec_test_fault_delay),
	KUNIT_CASE(devsec_test_fault_error),
	KUNIT_CASE(devsec_test_fault_reset),
	{}
};

static struct kunit_suite devsec_test_suite = {
	.name = "devsec",
	.init = devsec_test_init,
	.exit = devsec_test_exit,
	.test_cases = devsec_test_cases,
};

kunit_test_suite(devsec_test_suite);

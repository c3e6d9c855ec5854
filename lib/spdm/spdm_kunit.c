// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the SPDM requester
 *
 * The tests replay exchanges recorded from DMTF's reference responder: a
 * fake transport hands out the recorded responses in order and checks
 * that each request the requester builds equals the recorded one byte for
 * byte (the recorded nonces are fed through the nonce callback).  The
 * negative tests tamper with one recorded response, or inject ERROR
 * responses, and check that the exchange fails with the expected errno.
 */

#include <kunit/test.h>
#include <linux/spdm.h>
#include <linux/unaligned.h>
#include <crypto/public_key.h>
#include <crypto/sha2.h>

#include "spdm.h"
#include "tests/spdm_rsapss_vectors.h"
#include "tests/spdm_test_vectors.h"

#define SPDM_TEST_BUF		4608

/* Request codes as they appear in the recordings */
#define REQ_GET_VERSION		0x84
#define REQ_GET_CAPABILITIES	0xe1
#define REQ_NEGOTIATE_ALGS	0xe3
#define REQ_GET_DIGESTS		0x81
#define REQ_GET_CERTIFICATE	0x82
#define REQ_CHALLENGE		0x83
#define REQ_GET_MEASUREMENTS	0xe0
#define REQ_RESPOND_IF_READY	0xff

struct spdm_test_vector {
	const char *name;
	const struct spdm_test_msg *msgs;
	unsigned int num_msgs;
	const u8 *chain;
	size_t chain_len;
	const u8 *m1_hash;
	const u8 *l1_hash;
	u16 cert_portion;
	size_t vca_len;
	size_t b_len;
};

#define VECTOR(n, portion, b)						\
	{ .name = #n, .msgs = n##_msgs, .num_msgs = ARRAY_SIZE(n##_msgs), \
	  .chain = n##_chain, .chain_len = sizeof(n##_chain),		\
	  .m1_hash = n##_m1, .l1_hash = n##_l1, .cert_portion = portion, \
	  .vca_len = 152, .b_len = b }

static const struct spdm_test_vector spdm_vectors[] = {
	VECTOR(v12_p384_sha384, 0, 1816),
	VECTOR(v12_p384_sha384_portion1024, 1024, 1832),
};

struct spdm_replay;
typedef void (*spdm_tamper_fn)(struct spdm_replay *r, u8 *rsp, size_t *len);

/**
 * struct spdm_replay - state of the fake transport
 * @test: running test
 * @tv: vector replayed
 * @pos: index of the next recorded request
 * @mismatch: requests that differed from the recording
 * @calls: transport calls
 * @cert_requests: GET_CERTIFICATE requests seen
 * @nonce_idx: nonces handed out so far
 * @wrong_nonce: hand out a nonce that differs from the recording
 * @tamper_code: request code whose response is tampered with
 * @tamper_nth: tamper with the nth response to @tamper_code (0-based)
 * @tamper_seen: responses to @tamper_code seen so far
 * @tamper: tampering function
 * @off: offset (or size) @tamper works on; negative: from the end
 * @val: value @tamper uses
 * @data: data @tamper uses
 * @inject_code: request code answered with @inject instead
 * @inject_times: how many times to answer with @inject
 * @inject: injected response
 * @inject_len: size of @inject
 * @rif_seen: RESPOND_IF_READY requests seen
 * @rif_bad: RESPOND_IF_READY requests with unexpected content
 * @oversize: return more bytes than the buffer holds
 * @buf: scratch buffer for tampered responses
 */
struct spdm_replay {
	struct kunit *test;
	const struct spdm_test_vector *tv;
	unsigned int pos;
	unsigned int mismatch;
	unsigned int calls;
	unsigned int cert_requests;
	unsigned int nonce_idx;
	bool wrong_nonce;
	u8 tamper_code;
	unsigned int tamper_nth;
	unsigned int tamper_seen;
	spdm_tamper_fn tamper;
	int off;
	u32 val;
	const void *data;
	u8 inject_code;
	unsigned int inject_times;
	u8 inject[8];
	size_t inject_len;
	unsigned int rif_seen;
	unsigned int rif_bad;
	bool oversize;
	u8 buf[SPDM_TEST_BUF];
};

static const struct spdm_test_msg *spdm_msg(const struct spdm_replay *r,
					    unsigned int i)
{
	return &r->tv->msgs[i];
}

/* Index of the response to the nth request with @code, or -1 */
static int spdm_find_rsp(const struct spdm_test_vector *tv, u8 code,
			 unsigned int nth)
{
	unsigned int i;

	for (i = 0; i + 1 < tv->num_msgs; i += 2)
		if (tv->msgs[i].data[1] == code && !nth--)
			return i + 1;
	return -1;
}

static ssize_t spdm_replay_rsp(struct spdm_replay *r, void *rsp, size_t rsp_sz)
{
	const struct spdm_test_msg *m = spdm_msg(r, r->pos + 1);
	u8 code = spdm_msg(r, r->pos)->data[1];
	size_t len = m->len;

	r->pos += 2;
	memcpy(r->buf, m->data, len);
	/* tamper_code 0: the tamper function picks the responses itself */
	if (r->tamper && (!r->tamper_code ||
			  (code == r->tamper_code &&
			   r->tamper_seen++ == r->tamper_nth)))
		r->tamper(r, r->buf, &len);
	if (r->oversize)
		len = rsp_sz + 1;
	if (len > rsp_sz)
		return len;	/* a broken transport: must be caught */
	memcpy(rsp, r->buf, len);
	return len;
}

static ssize_t spdm_replay_transport(void *priv, const void *req,
				     size_t req_sz, void *rsp, size_t rsp_sz)
{
	struct spdm_replay *r = priv;
	const struct spdm_test_msg *m;
	const u8 *q = req;

	r->calls++;
	if (req_sz < 4)
		return -EINVAL;

	if (q[1] == REQ_RESPOND_IF_READY) {
		const u8 *ext = r->inject + 4;

		r->rif_seen++;
		if (req_sz != 4 || q[2] != r->inject_code || q[3] != ext[2])
			r->rif_bad++;
	} else {
		if (r->pos >= r->tv->num_msgs)
			return -EIO;
		m = spdm_msg(r, r->pos);
		if (q[1] == REQ_GET_CERTIFICATE)
			r->cert_requests++;
		if (req_sz != m->len || memcmp(req, m->data, req_sz)) {
			r->mismatch++;
			kunit_info(r->test, "request %u differs: %*ph\n",
				   r->pos, (int)min_t(size_t, req_sz, 48), req);
			/* a cached chain skips GET_CERTIFICATE */
			while (m->data[1] == REQ_GET_CERTIFICATE &&
			       q[1] != REQ_GET_CERTIFICATE) {
				r->pos += 2;
				m = spdm_msg(r, r->pos);
			}
		}
	}

	if (r->inject_times &&
	    (q[1] == r->inject_code || q[1] == REQ_RESPOND_IF_READY)) {
		r->inject_times--;
		memcpy(rsp, r->inject, r->inject_len);
		return r->inject_len;
	}
	return spdm_replay_rsp(r, rsp, rsp_sz);
}

/* The nonces are those in the recorded CHALLENGE and GET_MEASUREMENTS */
static int spdm_replay_nonce(void *priv, u8 *nonce, size_t len)
{
	struct spdm_replay *r = priv;
	static const u8 codes[] = { REQ_CHALLENGE, REQ_GET_MEASUREMENTS };
	int i;

	if (r->nonce_idx >= ARRAY_SIZE(codes) || len != SPDM_NONCE_SIZE)
		return -EINVAL;
	i = spdm_find_rsp(r->tv, codes[r->nonce_idx++], 0);
	if (i < 0)
		return -EINVAL;
	memcpy(nonce, r->tv->msgs[i - 1].data + 4, len);
	if (r->wrong_nonce)
		nonce[0] ^= 1;
	return 0;
}

/* The AlgStructs libspdm's requester offered in the recordings */
static const struct spdm_alg_struct spdm_test_alg_structs[] = {
	{ .type = 2, .algs = 0x001b },	/* DHE */
	{ .type = 3, .algs = 0x0006 },	/* AEAD */
	{ .type = 4, .algs = 0x000f },	/* ReqBaseAsymAlg */
	{ .type = 5, .algs = 0x0001 },	/* KeySchedule */
};

static struct spdm_state *spdm_test_create(struct kunit *test,
					   struct spdm_replay *r,
					   const struct spdm_test_vector *tv)
{
	/* The offer the reference requester made, so requests match */
	struct spdm_config cfg = {
		.transport = spdm_replay_transport,
		.get_nonce = spdm_replay_nonce,
		.priv = r,
		.data_transfer_size = SPDM_TEST_BUF,
		.max_spdm_msg_size = SPDM_TEST_BUF,
		.req_caps = SPDM_CAP_CERT | SPDM_CAP_CHAL,
		.base_asym = SPDM_ASYM_ECDSA_P384,
		.base_hash = SPDM_HASH_SHA384,
		.other_params = 0x02,	/* OpaqueDataFmt1 */
		.alg_structs = spdm_test_alg_structs,
		.num_alg_structs = ARRAY_SIZE(spdm_test_alg_structs),
		.slot_mask = BIT(0),
		.slot = 0,
		.summary_hash_type = SPDM_SUMMARY_HASH_ALL,
		.cert_portion = tv->cert_portion,
	};
	struct spdm_state *spdm;

	r->test = test;
	r->tv = tv;
	spdm = spdm_create(&cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, spdm);
	return spdm;
}

static void spdm_test_destroy(void *spdm)
{
	spdm_destroy(spdm);
}

static struct spdm_state *spdm_test_setup(struct kunit *test,
					  struct spdm_replay *r,
					  const struct spdm_test_vector *tv)
{
	struct spdm_state *spdm = spdm_test_create(test, r, tv);

	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, spdm_test_destroy,
						  spdm));
	return spdm;
}

KUNIT_ARRAY_PARAM_DESC(spdm_vector, spdm_vectors, name);

/* Concatenation of the recorded messages [from, to) */
static void spdm_expect_concat(struct kunit *test,
			       const struct spdm_test_vector *tv,
			       const struct spdm_blob *blob,
			       unsigned int from, unsigned int to)
{
	size_t off = 0;
	unsigned int i;

	for (i = from; i < to; i++) {
		KUNIT_ASSERT_LE(test, off + tv->msgs[i].len, blob->len);
		KUNIT_EXPECT_MEMEQ(test, blob->data + off, tv->msgs[i].data,
				   tv->msgs[i].len);
		off += tv->msgs[i].len;
	}
	KUNIT_EXPECT_EQ(test, off, blob->len);
}

static void spdm_test_replay(struct kunit *test)
{
	const struct spdm_test_vector *tv = test->param_value;
	static const u8 indices[] = { 0x01, 0x02, 0x03, 0x04,
				      0x10, 0x11, 0xfd, 0xfe };
	const struct spdm_evidence *ev;
	struct spdm_replay *r;
	struct spdm_state *spdm;
	struct sha384_ctx ctx;
	u8 digest[SHA384_DIGEST_SIZE];
	int chal, meas;
	unsigned int i;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	spdm = spdm_test_setup(test, r, tv);

	KUNIT_ASSERT_EQ(test, spdm_authenticate(spdm), 0);
	KUNIT_EXPECT_EQ(test, r->mismatch, 0);
	KUNIT_EXPECT_EQ(test, r->pos, tv->num_msgs);
	KUNIT_EXPECT_EQ(test, spdm_last_error(spdm), 0);

	ev = spdm_evidence(spdm);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, ev->version, SPDM_VER_12);
	KUNIT_EXPECT_EQ(test, ev->base_asym, SPDM_ASYM_ECDSA_P384);
	KUNIT_EXPECT_EQ(test, ev->base_hash, SPDM_HASH_SHA384);
	KUNIT_EXPECT_EQ(test, ev->meas_hash, SPDM_MEAS_HASH_SHA384);
	KUNIT_EXPECT_EQ(test, ev->rsp_caps, 0x001afbf7);
	KUNIT_EXPECT_EQ(test, ev->slot_mask, 0x03);
	KUNIT_EXPECT_EQ(test, ev->slot, 0);

	/* Only slot 0 was asked for */
	KUNIT_ASSERT_EQ(test, ev->cert_chain[0].len, tv->chain_len);
	KUNIT_EXPECT_MEMEQ(test, ev->cert_chain[0].data, tv->chain,
			   tv->chain_len);
	KUNIT_EXPECT_EQ(test, ev->cert_chain[1].len, 0);

	/* Transcripts are the recorded messages, in order */
	chal = spdm_find_rsp(tv, REQ_CHALLENGE, 0);
	meas = spdm_find_rsp(tv, REQ_GET_MEASUREMENTS, 0);
	KUNIT_ASSERT_GT(test, chal, 0);
	KUNIT_ASSERT_GT(test, meas, 0);
	KUNIT_EXPECT_EQ(test, ev->vca.len, tv->vca_len);
	spdm_expect_concat(test, tv, &ev->vca, 0, 6);
	KUNIT_EXPECT_EQ(test, ev->cert_transcript.len, tv->b_len);
	spdm_expect_concat(test, tv, &ev->cert_transcript, 6, chal - 1);
	spdm_expect_concat(test, tv, &ev->challenge_req, chal - 1, chal);
	spdm_expect_concat(test, tv, &ev->challenge_rsp, chal, chal + 1);
	spdm_expect_concat(test, tv, &ev->meas_req, meas - 1, meas);
	spdm_expect_concat(test, tv, &ev->meas_rsp, meas, meas + 1);

	KUNIT_EXPECT_MEMEQ(test, ev->req_nonce, tv->msgs[chal - 1].data + 4,
			   SPDM_NONCE_SIZE);
	KUNIT_EXPECT_MEMEQ(test, ev->meas_req_nonce,
			   tv->msgs[meas - 1].data + 4, SPDM_NONCE_SIZE);
	/* Responder nonce follows CertChainHash in CHALLENGE_AUTH */
	KUNIT_EXPECT_MEMEQ(test, ev->rsp_nonce,
			   tv->msgs[chal].data + 4 + SHA384_DIGEST_SIZE,
			   SPDM_NONCE_SIZE);

	/* Signatures are the last 96 bytes of each response */
	KUNIT_ASSERT_EQ(test, ev->challenge_sig.len, 96);
	KUNIT_EXPECT_PTR_EQ(test, ev->challenge_sig.data,
			    ev->challenge_rsp.data + ev->challenge_rsp.len - 96);
	KUNIT_ASSERT_EQ(test, ev->meas_sig.len, 96);
	KUNIT_EXPECT_PTR_EQ(test, ev->meas_sig.data,
			    ev->meas_rsp.data + ev->meas_rsp.len - 96);

	/* M1 and L1 rebuilt from the evidence match the reference hashes */
	sha384_init(&ctx);
	sha384_update(&ctx, ev->vca.data, ev->vca.len);
	sha384_update(&ctx, ev->cert_transcript.data, ev->cert_transcript.len);
	sha384_update(&ctx, ev->challenge_req.data, ev->challenge_req.len);
	sha384_update(&ctx, ev->challenge_rsp.data,
		      ev->challenge_rsp.len - ev->challenge_sig.len);
	sha384_final(&ctx, digest);
	KUNIT_EXPECT_MEMEQ(test, digest, tv->m1_hash, SHA384_DIGEST_SIZE);

	sha384_init(&ctx);
	sha384_update(&ctx, ev->vca.data, ev->vca.len);
	sha384_update(&ctx, ev->meas_req.data, ev->meas_req.len);
	sha384_update(&ctx, ev->meas_rsp.data,
		      ev->meas_rsp.len - ev->meas_sig.len);
	sha384_final(&ctx, digest);
	KUNIT_EXPECT_MEMEQ(test, digest, tv->l1_hash, SHA384_DIGEST_SIZE);

	/* Measurement blocks */
	KUNIT_ASSERT_EQ(test, ev->num_meas_blocks, ARRAY_SIZE(indices));
	for (i = 0; i < ARRAY_SIZE(indices); i++) {
		const struct spdm_meas_block *b = &ev->meas_blocks[i];

		KUNIT_EXPECT_EQ(test, b->index, indices[i]);
		KUNIT_EXPECT_EQ(test, b->spec, 0x01);
		KUNIT_EXPECT_EQ(test, b->raw_len, b->value_len + 7);
		KUNIT_EXPECT_PTR_EQ(test, b->value, b->raw + 7);
	}
	/* Block 1: a SHA-384 digest of an immutable ROM (type 0) */
	KUNIT_EXPECT_EQ(test, ev->meas_blocks[0].value_type, 0x00);
	KUNIT_EXPECT_EQ(test, ev->meas_blocks[0].value_len, 48);
	/* Block 0xfe: a raw bit stream (bit 7) */
	KUNIT_EXPECT_EQ(test, ev->meas_blocks[7].value_type, 0x85);
	KUNIT_EXPECT_EQ(test, ev->meas_blocks[7].value_len, 16);
}

/* A second authentication reuses the chain: no GET_CERTIFICATE */
static void spdm_test_cached_chain(struct kunit *test)
{
	const struct spdm_test_vector *tv = &spdm_vectors[0];
	struct spdm_replay *r;
	struct spdm_state *spdm;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	spdm = spdm_test_setup(test, r, tv);
	KUNIT_ASSERT_EQ(test, spdm_authenticate(spdm), 0);
	KUNIT_EXPECT_EQ(test, r->cert_requests, 1);

	r->pos = 0;
	r->nonce_idx = 0;
	r->mismatch = 0;
	r->cert_requests = 0;
	/*
	 * The recorded CHALLENGE_AUTH signs a transcript B that includes the
	 * certificate, so without it the signature must not verify: this
	 * also proves B only holds what was exchanged.
	 */
	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, r->cert_requests, 0);
	KUNIT_EXPECT_NULL(test, spdm_evidence(spdm));
}

KUNIT_ARRAY_PARAM_DESC(spdm_pss, spdm_pss_vectors, name);

/* RSASSA-PSS, which the kernel's signature API lacks */
static void spdm_test_rsapss(struct kunit *test)
{
	const struct spdm_pss_vector *v = test->param_value;
	struct public_key pub = {
		.key = (void *)v->key,
		.keylen = v->key_len,
		.pkey_algo = "rsa",
	};
	u8 *sig, *digest;

	sig = kunit_kmalloc(test, v->sig_len, GFP_KERNEL);
	digest = kunit_kmalloc(test, SPDM_MAX_HASH_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sig);
	KUNIT_ASSERT_NOT_NULL(test, digest);
	memcpy(sig, v->sig, v->sig_len);
	memcpy(digest, v->digest, v->base_hash == SPDM_HASH_SHA256 ? 32 :
	       v->base_hash == SPDM_HASH_SHA384 ? 48 : 64);

	KUNIT_EXPECT_EQ(test, spdm_rsapss_verify(&pub, v->base_hash, digest,
						 sig, v->sig_len), 0);
	/* a signature one byte short of the modulus */
	KUNIT_EXPECT_EQ(test, spdm_rsapss_verify(&pub, v->base_hash, digest,
						 sig + 1, v->sig_len - 1),
			-EKEYREJECTED);
	/* another hash for message and MGF1 */
	KUNIT_EXPECT_EQ(test, spdm_rsapss_verify(&pub, v->base_hash == 1 ?
						 SPDM_HASH_SHA512 : 1, digest,
						 sig, v->sig_len),
			-EKEYREJECTED);

	digest[0] ^= 1;
	KUNIT_EXPECT_EQ(test, spdm_rsapss_verify(&pub, v->base_hash, digest,
						 sig, v->sig_len),
			-EKEYREJECTED);
	digest[0] ^= 1;
	sig[v->sig_len - 1] ^= 1;
	KUNIT_EXPECT_EQ(test, spdm_rsapss_verify(&pub, v->base_hash, digest,
						 sig, v->sig_len),
			-EKEYREJECTED);
}

static struct kunit_case spdm_test_cases[] = {
	KUNIT_CASE_PARAM(spdm_test_replay, spdm_vector_gen_params),
	KUNIT_CASE(spdm_test_cached_chain),
	KUNIT_CASE_PARAM(spdm_test_rsapss, spdm_pss_gen_params),
	{}
};

static struct kunit_suite spdm_test_suite = {
	.name = "spdm",
	.test_cases = spdm_test_cases,
};

kunit_test_suite(spdm_test_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_DESCRIPTION("KUnit tests for the SPDM requester");
MODULE_LICENSE("GPL");

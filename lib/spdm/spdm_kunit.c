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
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/prandom.h>
#include <linux/spdm.h>
#include <linux/unaligned.h>
#include <crypto/public_key.h>
#include <crypto/sha2.h>
#include <keys/x509-parser.h>

#include "spdm.h"
#include "tests/spdm_rsapss_vectors.h"
#include "tests/spdm_test_vectors.h"
#include "tests/spdm_gen_vectors.h"
#include "tests/spdm_peer_vectors.h"

/* One certificate chain and the verdict of path validation on it */
struct spdm_chain_vector {
	const char *name;
	const u8 *der;
	size_t len;
	bool valid;
	const char *rule;
};

#include "tests/spdm_chain_vectors.h"

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
#define REQ_CHUNK_SEND		0x85
#define REQ_CHUNK_GET		0x86

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
	bool doe_padded;
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
 * @inject_per_req: if set, answer each request with @inject_code with
 *	@inject this many times (RESPOND_IF_READY included)
 * @max_wait_ms: &spdm_config.max_wait_ms for spdm_test_create()
 * @max_exchanges: &spdm_config.max_exchanges for spdm_test_create()
 * @max_rx_bytes: &spdm_config.max_rx_bytes for spdm_test_create()
 * @max_time_ms: &spdm_config.max_time_ms for spdm_test_create()
 * @delay_ms: how long each transfer takes (a slow responder)
 * @rif_seen: RESPOND_IF_READY requests seen
 * @rif_bad: RESPOND_IF_READY requests with unexpected content
 * @oversize: return more bytes than the buffer holds
 * @buf: scratch buffer for tampered responses
 * @rsp_dts: responder DataTransferSize: larger requests must be chunked
 * @max_msg: requester MaxSPDMmsgSize (for hostile LargeMessageSizes)
 * @chunk_tamper: what to break in a chunk (&enum spdm_chunk_tamper)
 * @chunk_tamper_nth: which chunk (ChunkSeqNo) to break
 * @large_rsps: responses sent in chunks
 * @chunk_gets: CHUNK_GET requests seen
 * @chunk_sends: CHUNK_SEND requests seen
 * @chunk_bad: chunk requests that broke DSP0274's rules
 * @get_handle: Handle of the large response being collected
 * @get_seq: next ChunkSeqNo expected in CHUNK_GET
 * @large_len: size of the large response in @large
 * @large_off: bytes of @large already sent
 * @send_handle: Handle of the large request being received
 * @send_seq: next ChunkSeqNo expected in CHUNK_SEND
 * @send_total: LargeMessageSize of the large request
 * @send_len: bytes of the large request received in @send
 * @large: a response too large for one transfer
 * @send: a large request being reassembled
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
	unsigned int inject_per_req;
	u32 max_wait_ms;
	u32 max_exchanges;
	u32 max_rx_bytes;
	u32 max_time_ms;
	unsigned int delay_ms;
	unsigned int rif_seen;
	unsigned int rif_bad;
	bool oversize;
	u8 buf[SPDM_TEST_BUF];
	u32 rsp_dts;
	u32 max_msg;
	int chunk_tamper;
	unsigned int chunk_tamper_nth;
	unsigned int large_rsps;
	unsigned int chunk_gets;
	unsigned int chunk_sends;
	unsigned int chunk_bad;
	u8 get_handle;
	u16 get_seq;
	size_t large_len;
	size_t large_off;
	u8 send_handle;
	u16 send_seq;
	size_t send_total;
	size_t send_len;
	u8 large[SPDM_TEST_BUF];
	u8 send[SPDM_TEST_BUF];
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

/*
 * Recordings made at a DOE mailbox keep the dword padding of each data
 * object: up to 3 zero bytes after the request.
 */
static bool spdm_req_matches(const struct spdm_test_vector *tv,
			     const struct spdm_test_msg *m, const void *req,
			     size_t req_sz)
{
	size_t i;

	if (req_sz > m->len || memcmp(req, m->data, req_sz))
		return false;
	if (!tv->doe_padded)
		return req_sz == m->len;
	if (m->len - req_sz > 3)
		return false;
	for (i = req_sz; i < m->len; i++)
		if (m->data[i])
			return false;
	return true;
}

static ssize_t spdm_replay_transport(void *priv, const void *req,
				     size_t req_sz, void *rsp, size_t rsp_sz)
{
	struct spdm_replay *r = priv;
	const struct spdm_test_msg *m;
	const u8 *q = req;

	r->calls++;
	if (r->delay_ms)
		msleep(r->delay_ms);
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
		if (!spdm_req_matches(r->tv, m, req, req_sz)) {
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

	if (r->inject_per_req && q[1] == r->inject_code)
		r->inject_times = r->inject_per_req;
	if (r->inject_times &&
	    (q[1] == r->inject_code || q[1] == REQ_RESPOND_IF_READY)) {
		r->inject_times--;
		memcpy(rsp, r->inject, r->inject_len);
		return r->inject_len;
	}
	return spdm_replay_rsp(r, rsp, rsp_sz);
}

/*
 * The nonces are those in the recorded CHALLENGE and GET_MEASUREMENTS, in
 * that order; a recording without CHALLENGE (no CHAL_CAP) starts with the
 * second.
 */
static int spdm_replay_nonce(void *priv, u8 *nonce, size_t len)
{
	struct spdm_replay *r = priv;
	static const u8 codes[] = { REQ_CHALLENGE, REQ_GET_MEASUREMENTS };
	int i = -1;

	if (len != SPDM_NONCE_SIZE)
		return -EINVAL;
	while (i < 0 && r->nonce_idx < ARRAY_SIZE(codes))
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
		.slot = 0,
		.summary_hash_type = SPDM_SUMMARY_HASH_ALL,
		.cert_portion = tv->cert_portion,
		.max_wait_ms = r->max_wait_ms,
		.max_exchanges = r->max_exchanges,
		.max_rx_bytes = r->max_rx_bytes,
		.max_time_ms = r->max_time_ms,
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
	/* One exchange per recorded pair: slot 1 was not fetched */
	KUNIT_EXPECT_EQ(test, r->calls, tv->num_msgs / 2);
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

	/* Only slot 0, the one in use, was fetched */
	KUNIT_ASSERT_EQ(test, ev->cert_chain[0].len, tv->chain_len);
	KUNIT_EXPECT_MEMEQ(test, ev->cert_chain[0].data, tv->chain,
			   tv->chain_len);
	KUNIT_EXPECT_EQ(test, ev->cert_status[0], 0);
	KUNIT_EXPECT_EQ(test, ev->cert_chain[1].len, 0);
	KUNIT_EXPECT_EQ(test, ev->cert_status[1], -ENODATA);

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
static void tamper_truncate(struct spdm_replay *r, u8 *rsp, size_t *len);

static void spdm_test_cached_chain(struct kunit *test)
{
	const struct spdm_test_vector *tv = &spdm_vectors[0];
	const struct spdm_evidence *fe;
	struct spdm_replay *r;
	struct spdm_state *spdm;
	unsigned int slot;

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
	/* the chain of this attempt: the cached one, DIGESTS vouched for it */
	fe = spdm_failed_evidence(spdm);
	KUNIT_ASSERT_NOT_NULL(test, fe);
	KUNIT_EXPECT_EQ(test, fe->cert_chain[0].len, tv->chain_len);
	KUNIT_EXPECT_EQ(test, fe->cert_status[0], 0);
	KUNIT_EXPECT_GT(test, fe->challenge_sig.len, 0);

	/*
	 * Failing before the chains, the failed evidence shows none: the
	 * cached chain is not what this attempt received.
	 */
	r->pos = 0;
	r->nonce_idx = 0;
	r->mismatch = 0;
	r->tamper_code = REQ_GET_DIGESTS;
	r->tamper = tamper_truncate;
	r->off = 3;
	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), -EPROTO);
	fe = spdm_failed_evidence(spdm);
	KUNIT_ASSERT_NOT_NULL(test, fe);
	KUNIT_EXPECT_GT(test, fe->vca.len, 0);
	for (slot = 0; slot < SPDM_MAX_SLOTS; slot++) {
		KUNIT_EXPECT_EQ(test, fe->cert_chain[slot].len, 0);
		KUNIT_EXPECT_EQ(test, fe->cert_status[slot], -ENODATA);
	}
	KUNIT_EXPECT_EQ(test, fe->challenge_rsp.len, 0);
}

/* Negative cases: tamper with one response, expect one errno */
struct spdm_neg_case {
	const char *name;
	u8 code;		/* request whose response is tampered with */
	unsigned int nth;
	spdm_tamper_fn tamper;
	int off;		/* byte offset, or length kept by truncation */
	u32 val;		/* value or mask the tampering writes */
	int err;
	unsigned int vector;
};

/* Keep @off bytes; negative: drop -@off bytes */
static void tamper_truncate(struct spdm_replay *r, u8 *rsp, size_t *len)
{
	*len = r->off >= 0 ? min_t(size_t, r->off, *len) : *len + r->off;
}

/* XOR @val into the byte at @off; negative: from the end */
static void tamper_xor(struct spdm_replay *r, u8 *rsp, size_t *len)
{
	rsp[r->off >= 0 ? r->off : *len + r->off] ^= r->val;
}

static void tamper_set(struct spdm_replay *r, u8 *rsp, size_t *len)
{
	rsp[r->off] = r->val;
}

static void tamper_le16(struct spdm_replay *r, u8 *rsp, size_t *len)
{
	put_unaligned_le16(r->val, rsp + r->off);
}

static void tamper_le24(struct spdm_replay *r, u8 *rsp, size_t *len)
{
	put_unaligned_le24(r->val, rsp + r->off);
}

/* CHALLENGE_AUTH OpaqueDataLength: after header, 2 hashes and the nonce */
#define CA_OPAQUE	(4 + 48 + 32 + 48)
/* MEASUREMENTS: record starts at 8 and is 448 bytes */
#define MS_RECORD	8
#define MS_OPAQUE	(8 + 448 + 32)

static const struct spdm_neg_case spdm_neg_cases[] = {
	/* truncated responses, at every message */
	{ "version_empty", REQ_GET_VERSION, 0, tamper_truncate, 0, 0, -EPROTO },
	{ "version_hdr", REQ_GET_VERSION, 0, tamper_truncate, 3, 0, -EPROTO },
	{ "version_short", REQ_GET_VERSION, 0, tamper_truncate, -1, 0, -EPROTO },
	{ "caps_short", REQ_GET_CAPABILITIES, 0, tamper_truncate, -1, 0, -EPROTO },
	{ "caps_hdr", REQ_GET_CAPABILITIES, 0, tamper_truncate, 4, 0, -EPROTO },
	{ "algs_short", REQ_NEGOTIATE_ALGS, 0, tamper_truncate, -1, 0, -EPROTO },
	{ "algs_fixed", REQ_NEGOTIATE_ALGS, 0, tamper_truncate, 35, 0, -EPROTO },
	{ "digests_short", REQ_GET_DIGESTS, 0, tamper_truncate, -1, 0, -EPROTO },
	{ "digests_hdr", REQ_GET_DIGESTS, 0, tamper_truncate, 4, 0, -EPROTO },
	{ "cert_short", REQ_GET_CERTIFICATE, 0, tamper_truncate, -1, 0, -EPROTO },
	{ "cert_hdr", REQ_GET_CERTIFICATE, 0, tamper_truncate, 7, 0, -EPROTO },
	{ "cert2_short", REQ_GET_CERTIFICATE, 1, tamper_truncate, -1, 0, -EPROTO,
	  1 },
	{ "chal_short", REQ_CHALLENGE, 0, tamper_truncate, -1, 0, -EPROTO },
	{ "chal_fixed", REQ_CHALLENGE, 0, tamper_truncate, CA_OPAQUE + 1, 0,
	  -EPROTO },
	{ "chal_half", REQ_CHALLENGE, 0, tamper_truncate, 115, 0, -EPROTO },
	{ "meas_short", REQ_GET_MEASUREMENTS, 0, tamper_truncate, -1, 0, -EPROTO },
	{ "meas_record", REQ_GET_MEASUREMENTS, 0, tamper_truncate, 300, 0,
	  -EPROTO },
	{ "meas_hdr", REQ_GET_MEASUREMENTS, 0, tamper_truncate, 7, 0, -EPROTO },

	/* wrong version byte, at every message */
	{ "version_ver", REQ_GET_VERSION, 0, tamper_set, 0, 0x12, -EPROTO },
	{ "caps_ver", REQ_GET_CAPABILITIES, 0, tamper_set, 0, 0x11,
	  -EPROTO },
	{ "algs_ver", REQ_NEGOTIATE_ALGS, 0, tamper_set, 0, 0x13, -EPROTO },
	{ "digests_ver", REQ_GET_DIGESTS, 0, tamper_set, 0, 0x10, -EPROTO },
	{ "cert_ver", REQ_GET_CERTIFICATE, 0, tamper_set, 0, 0x11,
	  -EPROTO },
	{ "chal_ver", REQ_CHALLENGE, 0, tamper_set, 0, 0x13, -EPROTO },
	{ "meas_ver", REQ_GET_MEASUREMENTS, 0, tamper_set, 0, 0x11,
	  -EPROTO },

	/* wrong response code, at every message */
	{ "version_code", REQ_GET_VERSION, 0, tamper_set, 1, 0x84, -EPROTO },
	{ "caps_code", REQ_GET_CAPABILITIES, 0, tamper_set, 1, 0x63,
	  -EPROTO },
	{ "algs_code", REQ_NEGOTIATE_ALGS, 0, tamper_set, 1, 0x61, -EPROTO },
	{ "digests_code", REQ_GET_DIGESTS, 0, tamper_set, 1, 0x02,
	  -EPROTO },
	{ "cert_code", REQ_GET_CERTIFICATE, 0, tamper_set, 1, 0x01,
	  -EPROTO },
	{ "chal_code", REQ_CHALLENGE, 0, tamper_set, 1, 0x60, -EPROTO },
	{ "meas_code", REQ_GET_MEASUREMENTS, 0, tamper_set, 1, 0x03,
	  -EPROTO },

	/* oversized counts and lengths */
	{ "version_count", REQ_GET_VERSION, 0, tamper_set, 5, 0xff,
	  -EPROTO },
	{ "version_none", REQ_GET_VERSION, 0, tamper_le16, 6, 0x2000,
	  -EPROTONOSUPPORT },
	{ "caps_transfer", REQ_GET_CAPABILITIES, 0, tamper_le16,
	  12, 41, -EPROTO },
	/* neither CHAL_CAP nor signed measurements (MEAS_CAP 10b) */
	{ "caps_no_chal_no_meas", REQ_GET_CAPABILITIES, 0, tamper_xor, 8,
	  0x14, -EOPNOTSUPP },
	{ "algs_length", REQ_NEGOTIATE_ALGS, 0, tamper_le16, 4, 0xffff,
	  -EPROTO },
	{ "algs_structs", REQ_NEGOTIATE_ALGS, 0, tamper_set, 2, 0x05,
	  -EPROTO },
	{ "algs_ext_asym", REQ_NEGOTIATE_ALGS, 0, tamper_set, 32, 1,
	  -EPROTO },
	{ "algs_asym_not_offered", REQ_NEGOTIATE_ALGS, 0, tamper_set,
	  12, 0x10, -EPROTO },
	{ "algs_two_hashes", REQ_NEGOTIATE_ALGS, 0, tamper_set, 16, 0x03,
	  -EPROTO },
	{ "digests_count", REQ_GET_DIGESTS, 0, tamper_set, 3, 0xff,
	  -EPROTO },
	{ "digests_no_slot0", REQ_GET_DIGESTS, 0, tamper_set, 3, 0x02,
	  -ENOKEY },
	{ "cert_portion_gt_request", REQ_GET_CERTIFICATE, 0, tamper_le16,
	  4, 1025, -EPROTO, 1 },
	{ "cert_portion_zero", REQ_GET_CERTIFICATE, 0, tamper_le16,
	  4, 0, -EPROTO },
	{ "cert_remainder_changed", REQ_GET_CERTIFICATE, 1, tamper_le16,
	  6, 1, -EPROTO, 1 },
	{ "cert_total_too_big", REQ_GET_CERTIFICATE, 0, tamper_le16,
	  6, 0xffff, -EMSGSIZE, 1 },
	{ "cert_slot", REQ_GET_CERTIFICATE, 0, tamper_set, 2, 1, -EPROTO },
	{ "chal_opaque", REQ_CHALLENGE, 0, tamper_le16, CA_OPAQUE, 1025,
	  -EPROTO },
	{ "chal_opaque_past_end", REQ_CHALLENGE, 0, tamper_le16,
	  CA_OPAQUE, 1, -EPROTO },
	{ "chal_slot", REQ_CHALLENGE, 0, tamper_set, 2, 1, -EPROTO },
	{ "meas_blocks_more", REQ_GET_MEASUREMENTS, 0, tamper_set,
	  4, 9, -EPROTO },
	{ "meas_blocks_fewer", REQ_GET_MEASUREMENTS, 0, tamper_set,
	  4, 7, -EPROTO },
	{ "meas_blocks_max", REQ_GET_MEASUREMENTS, 0, tamper_set,
	  4, 0xff, -EPROTO },
	{ "meas_record_len", REQ_GET_MEASUREMENTS, 0, tamper_le24,
	  5, 0xffffff, -EPROTO },
	{ "meas_block_size", REQ_GET_MEASUREMENTS, 0, tamper_le16,
	  MS_RECORD + 2, 0x3400, -EPROTO },
	{ "meas_dmtf_size", REQ_GET_MEASUREMENTS, 0, tamper_le16,
	  MS_RECORD + 5, 0x31, -EPROTO },
	{ "meas_opaque", REQ_GET_MEASUREMENTS, 0, tamper_le16,
	  MS_OPAQUE, 0x8000, -EPROTO },
	{ "meas_slot", REQ_GET_MEASUREMENTS, 0, tamper_set, 3, 0x21,
	  -EPROTO },

	/* signatures and transcript integrity */
	{ "chal_sig_flip", REQ_CHALLENGE, 0, tamper_xor, -1, 0x01,
	  -EKEYREJECTED },
	{ "chal_sig_flip_r", REQ_CHALLENGE, 0, tamper_xor, -96, 0x80,
	  -EKEYREJECTED },
	{ "meas_sig_flip", REQ_GET_MEASUREMENTS, 0, tamper_xor, -1, 0x01,
	  -EKEYREJECTED },
	{ "chal_rsp_nonce", REQ_CHALLENGE, 0, tamper_xor, 4 + 48, 0x01,
	  -EKEYREJECTED },
	{ "meas_rsp_nonce", REQ_GET_MEASUREMENTS, 0, tamper_xor,
	  MS_OPAQUE - 32, 0x01, -EKEYREJECTED },
	{ "vca_caps_byte", REQ_GET_CAPABILITIES, 0, tamper_xor, 4, 0x01,
	  -EKEYREJECTED },
	{ "vca_algs_byte", REQ_NEGOTIATE_ALGS, 0, tamper_xor, 20, 0x01,
	  -EKEYREJECTED },
	{ "chal_cert_chain_hash", REQ_CHALLENGE, 0, tamper_xor, 4, 0x01,
	  -EBADMSG },
	/* the summary hash is signed: the signature catches it first */
	{ "chal_summary_hash", REQ_CHALLENGE, 0, tamper_xor,
	  4 + 48 + 32, 0x01, -EKEYREJECTED },
	{ "meas_value_byte", REQ_GET_MEASUREMENTS, 0, tamper_xor,
	  MS_RECORD + 7, 0x01, -EBADMSG },
	{ "cert_chain_byte", REQ_GET_CERTIFICATE, 0, tamper_xor,
	  8 + 600, 0x01, -EBADMSG },
	{ "digest_byte", REQ_GET_DIGESTS, 0, tamper_xor, 4, 0x01,
	  -EBADMSG },
};

KUNIT_ARRAY_PARAM_DESC(spdm_neg, spdm_neg_cases, name);

static void spdm_test_malformed(struct kunit *test)
{
	const struct spdm_neg_case *c = test->param_value;
	struct spdm_replay *r;
	struct spdm_state *spdm;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->tamper_code = c->code;
	r->tamper_nth = c->nth;
	r->tamper = c->tamper;
	r->off = c->off;
	r->val = c->val;
	spdm = spdm_test_setup(test, r, &spdm_vectors[c->vector]);

	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), c->err);
	KUNIT_EXPECT_EQ(test, r->tamper_seen, c->nth + 1);
	KUNIT_EXPECT_EQ(test, r->mismatch, 0);
	KUNIT_EXPECT_NULL(test, spdm_evidence(spdm));
}

/*
 * Every truncation of every response that comes before the first
 * signature check (those after it are sampled above: each run there
 * costs several ECDSA verifications).
 */
static void spdm_test_truncate_all(struct kunit *test)
{
	static const u8 codes[] = { REQ_GET_VERSION, REQ_GET_CAPABILITIES,
				    REQ_NEGOTIATE_ALGS, REQ_GET_DIGESTS,
				    REQ_GET_CERTIFICATE };
	const struct spdm_test_vector *tv = &spdm_vectors[0];
	struct spdm_replay *r;
	struct spdm_state *spdm;
	unsigned int i, runs = 0;
	int rc, idx;
	size_t len;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		idx = spdm_find_rsp(tv, codes[i], 0);
		KUNIT_ASSERT_GT(test, idx, 0);
		for (len = 0; len < tv->msgs[idx].len; len++) {
			memset(r, 0, sizeof(*r));
			r->tamper = tamper_truncate;
			r->tamper_code = codes[i];
			r->off = len;
			spdm = spdm_test_create(test, r, tv);
			rc = spdm_authenticate(spdm);
			spdm_destroy(spdm);
			if (rc != -EPROTO)
				KUNIT_FAIL(test, "request %#x: response cut to %zu bytes: %d",
					   codes[i], len, rc);
			runs++;
		}
	}
	kunit_info(test, "%u truncated responses rejected\n", runs);
}

/*
 * Certificate chain consistency.  Tampering with the chain changes its
 * digest, so DIGESTS is patched to match the tampered chain: only the
 * check under test can then catch it.
 */
struct spdm_chain_case {
	const char *name;
	size_t off;		/* offset in the chain */
	u8 mask;
	bool drop_intermediate;
	int err;
};

/* The chain: 4-byte header, 48-byte root hash, root, intermediate, leaf */
#define CHAIN_ROOT	52
#define CHAIN_INTER	(CHAIN_ROOT + 472)
#define CHAIN_LEAF	(CHAIN_INTER + 480)
#define CHAIN_END	(CHAIN_LEAF + 692)

static const struct spdm_chain_case spdm_chain_cases[] = {
	/* last byte of the leaf: inside its signature's s value */
	{ "leaf_signature", CHAIN_END - 1, 0x01, false, -EKEYREJECTED },
	{ "intermediate_signature", CHAIN_LEAF - 1, 0x01, false,
	  -EKEYREJECTED },
	/* root, leaf: the leaf was not issued by the root */
	{ "missing_intermediate", 0, 0, true, -EKEYREJECTED },
	{ "root_hash", 4, 0x01, false, -EBADMSG },
	{ "length_low", 0, 0x01, false, -EPROTO },
	{ "length_high", 1, 0x10, false, -EPROTO },
	/* the leaf's SEQUENCE tag */
	{ "der_tag", CHAIN_LEAF, 0x01, false, -EPROTO },
	/* the leaf's length: runs past the end of the chain */
	{ "der_length", CHAIN_LEAF + 2, 0x10, false, -EPROTO },
	/* a digit of the root's notBefore: its self-signature breaks */
	{ "root_tbs", CHAIN_ROOT + 84 + 3, 0x01, false, -EKEYREJECTED },
};

KUNIT_ARRAY_PARAM_DESC(spdm_chain, spdm_chain_cases, name);

struct spdm_bad_chain {
	u8 chain[CHAIN_END];
	size_t len;
	u8 digest[SHA384_DIGEST_SIZE];
};

static void tamper_chain(struct spdm_replay *r, u8 *rsp, size_t *len)
{
	const struct spdm_bad_chain *bad = r->data;

	if (rsp[1] == 0x01) {			/* DIGESTS: slot 0 */
		memcpy(rsp + 4, bad->digest, sizeof(bad->digest));
	} else if (rsp[1] == 0x02) {		/* CERTIFICATE, one portion */
		put_unaligned_le16(bad->len, rsp + 4);
		memcpy(rsp + 8, bad->chain, bad->len);
		*len = 8 + bad->len;
	}
}

static void spdm_test_chain(struct kunit *test)
{
	const struct spdm_chain_case *c = test->param_value;
	const struct spdm_test_vector *tv = &spdm_vectors[0];
	const struct spdm_evidence *fe;
	struct spdm_bad_chain *bad;
	struct spdm_replay *r;
	struct spdm_state *spdm;

	KUNIT_ASSERT_EQ(test, tv->chain_len, CHAIN_END);
	bad = kunit_kzalloc(test, sizeof(*bad), GFP_KERNEL);
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bad);
	KUNIT_ASSERT_NOT_NULL(test, r);

	if (c->drop_intermediate) {
		memcpy(bad->chain, tv->chain, CHAIN_INTER);
		memcpy(bad->chain + CHAIN_INTER, tv->chain + CHAIN_LEAF,
		       CHAIN_END - CHAIN_LEAF);
		bad->len = CHAIN_END - (CHAIN_LEAF - CHAIN_INTER);
		put_unaligned_le16(bad->len, bad->chain);
	} else {
		memcpy(bad->chain, tv->chain, CHAIN_END);
		bad->len = CHAIN_END;
		bad->chain[c->off] ^= c->mask;
	}
	sha384(bad->chain, bad->len, bad->digest);

	r->tamper = tamper_chain;
	r->data = bad;
	spdm = spdm_test_setup(test, r, tv);
	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), c->err);
	KUNIT_EXPECT_EQ(test, r->cert_requests, 1);
	KUNIT_EXPECT_NULL(test, spdm_evidence(spdm));

	/* The refused chain is kept as sent, with why it was refused */
	fe = spdm_failed_evidence(spdm);
	KUNIT_ASSERT_NOT_NULL(test, fe);
	KUNIT_EXPECT_GT(test, fe->vca.len, 0);
	KUNIT_ASSERT_EQ(test, fe->cert_chain[0].len, bad->len);
	KUNIT_EXPECT_MEMEQ(test, fe->cert_chain[0].data, bad->chain, bad->len);
	KUNIT_EXPECT_EQ(test, fe->cert_status[0], c->err);
	KUNIT_EXPECT_EQ(test, fe->challenge_rsp.len, 0);
}

/*
 * Real peers: lib/spdm's own flow against DMTF's spdm_responder_emu,
 * recorded at QEMU's NVMe DOE mailbox, replayed byte for byte with the
 * configuration drivers/pci/tsm/spdm.c uses.  Each recording is a first
 * connect (which also fetched slot 1) and a re-connect with the chains
 * cached.
 */
struct spdm_peer_vector {
	struct spdm_test_vector tv;
	unsigned int flow2;
	const u8 *certs;
	size_t certs_len;
	const u8 *root;
	size_t root_len;
	u8 version;
	u32 base_asym;
	u32 base_hash;
	size_t sig_len;
	bool measured;
};

#define PEER(n, ver, asym, hash, sig, meas)				\
	{ .tv = { .name = #n, .msgs = n##_msgs,				\
		  .num_msgs = ARRAY_SIZE(n##_msgs), .doe_padded = true },	\
	  .flow2 = n##_flow2, .certs = n##_certs,			\
	  .certs_len = sizeof(n##_certs), .root = n##_root,		\
	  .root_len = sizeof(n##_root), .version = ver,			\
	  .base_asym = SPDM_ASYM_##asym, .base_hash = SPDM_HASH_##hash,	\
	  .sig_len = sig, .measured = meas }

static const struct spdm_peer_vector spdm_peer_vectors[] = {
	PEER(libspdm_rsp_v11_rsassa3072_sha384, SPDM_VER_11, RSASSA_3072,
	     SHA384, 384, true),
	PEER(libspdm_rsp_v12_p384_challenge_only, SPDM_VER_12, ECDSA_P384,
	     SHA384, 96, false),
	PEER(libspdm_rsp_v13_p256_sha256, SPDM_VER_13, ECDSA_P256, SHA256, 64,
	     true),
	PEER(libspdm_rsp_v13_rsassa4096_sha512, SPDM_VER_13, RSASSA_4096,
	     SHA512, 512, true),
};

static void spdm_peer_desc(const struct spdm_peer_vector *pv, char *desc)
{
	strscpy(desc, pv->tv.name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_peer, spdm_peer_vectors, spdm_peer_desc);

/* The nonce is the one in the recorded request about to be sent */
static int spdm_peer_nonce(void *priv, u8 *nonce, size_t len)
{
	struct spdm_replay *r = priv;
	const struct spdm_test_msg *m;

	if (r->pos >= r->tv->num_msgs || len != SPDM_NONCE_SIZE)
		return -EINVAL;
	m = spdm_msg(r, r->pos);
	if ((m->data[1] != REQ_CHALLENGE &&
	     m->data[1] != REQ_GET_MEASUREMENTS) || m->len < 4 + len)
		return -EINVAL;
	memcpy(nonce, m->data + 4, len);
	return 0;
}

static unsigned int spdm_count_req(const struct spdm_test_vector *tv,
				   u8 code, unsigned int from, unsigned int to)
{
	unsigned int i, n = 0;

	for (i = from; i < to; i += 2)
		n += tv->msgs[i].data[1] == code;
	return n;
}

static void spdm_test_peer(struct kunit *test)
{
	const struct spdm_peer_vector *pv = test->param_value;
	const struct spdm_test_vector *tv = &pv->tv;
	size_t hlen = spdm_hash_size(pv->base_hash);
	u8 root_hash[SPDM_MAX_HASH_SIZE];
	const struct spdm_evidence *ev;
	struct spdm_replay *r;
	struct spdm_state *spdm;
	struct spdm_config cfg = {
		.transport = spdm_replay_transport,
		.get_nonce = spdm_peer_nonce,
		.summary_hash_type = SPDM_SUMMARY_HASH_ALL,
		.slot = 0,
	};

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->test = test;
	r->tv = tv;
	cfg.priv = r;
	spdm = spdm_create(&cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, spdm);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   spdm_test_destroy,
							   spdm));

	/* First connect; the recording fetched slot 1 too */
	spdm_set_slot_mask(spdm, BIT(1));
	KUNIT_ASSERT_EQ(test, spdm_authenticate(spdm), 0);
	KUNIT_EXPECT_NULL(test, spdm_failed_evidence(spdm));
	KUNIT_EXPECT_EQ(test, r->mismatch, 0);
	KUNIT_EXPECT_EQ(test, r->pos, pv->flow2);
	KUNIT_EXPECT_EQ(test, r->cert_requests,
			spdm_count_req(tv, REQ_GET_CERTIFICATE, 0, pv->flow2));
	ev = spdm_evidence(spdm);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, ev->version, pv->version);
	KUNIT_EXPECT_EQ(test, ev->base_asym, pv->base_asym);
	KUNIT_EXPECT_EQ(test, ev->base_hash, pv->base_hash);

	/* Slot 0: the responder's certificates behind header and RootHash */
	KUNIT_ASSERT_EQ(test, ev->cert_chain[0].len,
			4 + hlen + pv->certs_len);
	KUNIT_EXPECT_MEMEQ(test, ev->cert_chain[0].data + 4 + hlen, pv->certs,
			   pv->certs_len);
	spdm_hash(pv->base_hash, pv->root, pv->root_len, root_hash);
	KUNIT_EXPECT_MEMEQ(test, ev->cert_chain[0].data + 4, root_hash, hlen);
	KUNIT_EXPECT_EQ(test, ev->cert_status[0], 0);
	KUNIT_EXPECT_GT(test, ev->cert_chain[1].len, 0);
	KUNIT_EXPECT_EQ(test, ev->cert_status[1], 0);

	KUNIT_EXPECT_EQ(test, ev->challenge_sig.len, pv->sig_len);
	if (pv->measured) {
		KUNIT_EXPECT_EQ(test, ev->meas_sig.len, pv->sig_len);
		KUNIT_EXPECT_GT(test, ev->num_meas_blocks, 0);
		KUNIT_EXPECT_EQ(test, ev->summary_hash_type,
				SPDM_SUMMARY_HASH_ALL);
	} else {
		KUNIT_EXPECT_EQ(test, ev->meas_rsp.len, 0);
		KUNIT_EXPECT_EQ(test, ev->summary_hash_type,
				SPDM_SUMMARY_HASH_NONE);
	}

	/*
	 * Re-connect: the chain in use cached, every signature verified
	 * again; slot 1, no longer asked for, is not shown
	 */
	spdm_set_slot_mask(spdm, 0);
	r->cert_requests = 0;
	KUNIT_ASSERT_EQ(test, spdm_authenticate(spdm), 0);
	KUNIT_EXPECT_EQ(test, r->mismatch, 0);
	KUNIT_EXPECT_EQ(test, r->pos, tv->num_msgs);
	KUNIT_EXPECT_EQ(test, r->cert_requests, 0);
	ev = spdm_evidence(spdm);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, ev->cert_chain[0].len, 4 + hlen + pv->certs_len);
	KUNIT_EXPECT_EQ(test, ev->cert_chain[1].len, 0);
	KUNIT_EXPECT_EQ(test, ev->cert_status[1], -ENODATA);
}

/* ERROR responses the responder may send instead of the real one */
struct spdm_err_case {
	const char *name;
	u8 code;		/* request answered with ERROR */
	u8 error;
	u8 ext[4];		/* ResponseNotReady extended data */
	size_t len;		/* ERROR response size */
	unsigned int times;
	int err;
	unsigned int rif;	/* RESPOND_IF_READY requests expected */
};

static const struct spdm_err_case spdm_err_cases[] = {
	{ "unsupported", REQ_GET_DIGESTS, 0x07, {}, 4, 1, -EOPNOTSUPP },
	{ "invalid_request", REQ_GET_CAPABILITIES, 0x01, {}, 4, 1,
	  -EREMOTEIO },
	{ "unspecified_version", REQ_GET_VERSION, 0x05, {}, 4, 1, -EREMOTEIO },
	{ "version_mismatch", REQ_NEGOTIATE_ALGS, 0x41, {}, 4, 1,
	  -EPROTONOSUPPORT },
	{ "reset_required", REQ_CHALLENGE, 0x0c, {}, 4, 1, -ECONNRESET },
	{ "large_response", REQ_GET_CERTIFICATE, 0x0f, {}, 5, 1, -EMSGSIZE },
	{ "busy_once", REQ_GET_MEASUREMENTS, 0x03, {}, 4, 1, 0 },
	{ "busy_forever", REQ_GET_DIGESTS, 0x03, {}, 4, 100, -EBUSY },
	{ "not_ready_once", REQ_CHALLENGE, 0x42, { 0, REQ_CHALLENGE, 0x5a, 1 },
	  8, 1, 0, 1 },
	{ "not_ready_twice", REQ_GET_MEASUREMENTS, 0x42,
	  { 2, REQ_GET_MEASUREMENTS, 0x07, 2 }, 8, 2, 0, 2 },
	{ "not_ready_cert", REQ_GET_CERTIFICATE, 0x42,
	  { 0, REQ_GET_CERTIFICATE, 0x01, 1 }, 8, 1, 0, 1 },
	{ "not_ready_forever", REQ_CHALLENGE, 0x42,
	  { 0, REQ_CHALLENGE, 0x11, 1 }, 8, 100, -ETIMEDOUT, 8 },
	{ "not_ready_wrong_code", REQ_CHALLENGE, 0x42,
	  { 0, REQ_GET_DIGESTS, 0x11, 1 }, 8, 1, -EPROTO },
	{ "not_ready_short", REQ_CHALLENGE, 0x42, {}, 4, 1, -EPROTO },
};

KUNIT_ARRAY_PARAM_DESC(spdm_err, spdm_err_cases, name);

static void spdm_test_error_rsp(struct kunit *test)
{
	const struct spdm_err_case *c = test->param_value;
	struct spdm_replay *r;
	struct spdm_state *spdm;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->inject_code = c->code;
	r->inject_times = c->times;
	r->inject[0] = c->code == REQ_GET_VERSION ? SPDM_VER_10 : SPDM_VER_12;
	r->inject[1] = 0x7f;
	r->inject[2] = c->error;
	memcpy(r->inject + 4, c->ext, sizeof(c->ext));
	r->inject_len = c->len;
	spdm = spdm_test_setup(test, r, &spdm_vectors[0]);

	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), c->err);
	KUNIT_EXPECT_EQ(test, spdm_last_error(spdm), c->error);
	KUNIT_EXPECT_EQ(test, r->rif_seen, c->rif);
	KUNIT_EXPECT_EQ(test, r->rif_bad, 0);
	KUNIT_EXPECT_EQ(test, r->mismatch, 0);
	if (c->err) {
		KUNIT_EXPECT_NULL(test, spdm_evidence(spdm));
	} else {
		/* the retried exchange is recorded once, as the original */
		KUNIT_EXPECT_EQ(test, r->pos, spdm_vectors[0].num_msgs);
		KUNIT_EXPECT_NOT_NULL(test, spdm_evidence(spdm));
	}
	if (c->error == 0x03 && c->err)
		/* 3 messages before GET_DIGESTS, then 1 + 3 retries */
		KUNIT_EXPECT_EQ(test, r->calls, 3 + 4);
}

/* A requester nonce other than the recorded one breaks the signature */
static void spdm_test_wrong_nonce(struct kunit *test)
{
	struct spdm_replay *r;
	struct spdm_state *spdm;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->wrong_nonce = true;
	spdm = spdm_test_setup(test, r, &spdm_vectors[0]);
	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, r->mismatch, 1);	/* the CHALLENGE */
}

static void spdm_test_transport(struct kunit *test)
{
	struct spdm_replay *r;
	struct spdm_state *spdm;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	spdm = spdm_test_setup(test, r, &spdm_vectors[0]);

	/* a transport claiming more bytes than the buffer holds */
	r->oversize = true;
	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), -EMSGSIZE);

	/* the transport's own errno is passed on: replay is exhausted */
	r->oversize = false;
	r->pos = r->tv->num_msgs;
	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), -EIO);
	KUNIT_EXPECT_NULL(test, spdm_evidence(spdm));
}

static ssize_t spdm_null_transport(void *priv, const void *req, size_t req_sz,
				   void *rsp, size_t rsp_sz)
{
	return -EIO;
}

static void spdm_test_config(struct kunit *test)
{
	const struct spdm_config good = { .transport = spdm_null_transport };
	struct spdm_config cfg;
	struct spdm_state *spdm;

	spdm = spdm_create(&good);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, spdm);
	spdm_destroy(spdm);

	cfg = good;
	cfg.transport = NULL;
	KUNIT_EXPECT_EQ(test, PTR_ERR(spdm_create(&cfg)), -EINVAL);
	cfg = good;
	cfg.base_asym = BIT(9);			/* EdDSA: not supported */
	KUNIT_EXPECT_EQ(test, PTR_ERR(spdm_create(&cfg)), -EINVAL);
	cfg = good;
	cfg.base_hash = BIT(3);
	KUNIT_EXPECT_EQ(test, PTR_ERR(spdm_create(&cfg)), -EINVAL);
	cfg = good;
	cfg.slot = SPDM_MAX_SLOTS;
	KUNIT_EXPECT_EQ(test, PTR_ERR(spdm_create(&cfg)), -EINVAL);
	cfg = good;
	cfg.data_transfer_size = SPDM_MIN_TRANSFER_SIZE - 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(spdm_create(&cfg)), -EINVAL);
	cfg = good;
	cfg.max_version = 0x14;
	KUNIT_EXPECT_EQ(test, PTR_ERR(spdm_create(&cfg)), -EINVAL);
	cfg = good;
	cfg.summary_hash_type = 2;
	KUNIT_EXPECT_EQ(test, PTR_ERR(spdm_create(&cfg)), -EINVAL);
}

/* The responder only speaks 1.2: a requester capped at 1.1 gives up */
static void spdm_test_no_common_version(struct kunit *test)
{
	struct spdm_config cfg = {
		.transport = spdm_replay_transport,
		.max_version = SPDM_VER_11,
	};
	struct spdm_replay *r;
	struct spdm_state *spdm;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->test = test;
	r->tv = &spdm_vectors[0];
	cfg.priv = r;
	spdm = spdm_create(&cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, spdm);
	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), -EPROTONOSUPPORT);
	KUNIT_EXPECT_EQ(test, r->calls, 1);
	spdm_destroy(spdm);
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

/*
 * A chunking responder on top of the replay (SPDM 1.2+ large messages): a
 * recorded response larger than the requester's DataTransferSize is
 * announced with ERROR LargeResponse and handed out in CHUNK_RESPONSEs that
 * fill the smaller of both DataTransferSizes; CHUNK_SEND pieces are
 * reassembled and the whole request goes to the replay.  Chunk requests that break the rules
 * are counted in @chunk_bad; @chunk_tamper breaks the responder's side.
 */
enum spdm_chunk_tamper {
	CT_NONE,
	CT_SEQ,			/* wrong ChunkSeqNo */
	CT_HANDLE,		/* wrong Handle */
	CT_CODE,		/* not a CHUNK_RESPONSE */
	CT_SIZE_OVER,		/* ChunkSize beyond the bytes sent */
	CT_SHORT_CHUNK,		/* a chunk but the last does not fill */
	CT_LARGE_SMALL,		/* LargeMessageSize fits one transfer */
	CT_LARGE_ZERO,		/* LargeMessageSize 0 */
	CT_LARGE_HUGE,		/* LargeMessageSize > MaxSPDMmsgSize */
	CT_LARGE_SHORT,		/* LargeMessageSize one less than sent */
	CT_LARGE_LONG,		/* LargeMessageSize one more than sent */
	CT_LAST_EARLY,		/* LastChunk before the end */
	CT_NO_LAST,		/* no LastChunk at the end */
	CT_ERROR,		/* ERROR instead of a chunk */
	CT_TRUNC,		/* a CHUNK_RESPONSE shorter than its header */
	CT_NO_HANDLE,		/* LargeResponse without its Handle */
	CT_ACK_SEQ,		/* CHUNK_SEND_ACK for another chunk */
	CT_ACK_HANDLE,		/* CHUNK_SEND_ACK with another Handle */
	CT_ACK_EARLY_ERROR,	/* EarlyErrorDetected, with an ERROR */
	CT_ACK_EARLY_BOGUS,	/* EarlyErrorDetected, with no ERROR */
};

#define CHUNK_HDR		12
#define CHUNK_ACK_HDR		6

/* Send @len bytes of @r->large, or announce them as a large response */
static ssize_t spdm_chunk_out(struct spdm_replay *r, u8 version, ssize_t len,
			      u8 *rsp, size_t rsp_sz)
{
	if (len < 0 || len <= rsp_sz) {
		if (len > 0)
			memcpy(rsp, r->large, len);
		return len;
	}
	r->large_len = len;
	r->large_off = 0;
	r->get_seq = 0;
	r->get_handle = 0x30 + r->large_rsps++;
	rsp[0] = version;
	rsp[1] = 0x7f;
	rsp[2] = 0x0f;		/* LargeResponse */
	rsp[3] = 0;
	rsp[4] = r->get_handle;
	return r->chunk_tamper == CT_NO_HANDLE ? 4 : 5;
}

static ssize_t spdm_chunk_rsp(struct spdm_replay *r, const u8 *q,
			      size_t req_sz, u8 *o, size_t rsp_sz)
{
	u16 seq = get_unaligned_le16(q + 4);
	size_t hdr = CHUNK_HDR + (seq ? 0 : 4), n;
	u32 total = r->large_len;
	bool last;

	r->chunk_gets++;
	if (req_sz != 6 || q[3] != r->get_handle || seq != r->get_seq ||
	    r->large_off >= r->large_len) {
		r->chunk_bad++;
		return -EIO;
	}
	/* As libspdm: the smaller of both DataTransferSizes */
	n = min(r->large_len - r->large_off,
		min_t(size_t, rsp_sz, r->rsp_dts) - hdr);
	last = r->large_off + n == r->large_len;

	if (seq == r->chunk_tamper_nth) {
		switch (r->chunk_tamper) {
		case CT_SHORT_CHUNK:
			n--;
			last = false;
			break;
		case CT_LAST_EARLY:
			last = true;
			break;
		case CT_NO_LAST:
			last = false;
			break;
		case CT_LARGE_SMALL:
			total = rsp_sz;
			break;
		case CT_LARGE_ZERO:
			total = 0;
			break;
		case CT_LARGE_HUGE:
			total = r->max_msg + 1;
			break;
		case CT_LARGE_SHORT:
			total--;
			break;
		case CT_LARGE_LONG:
			total++;
			break;
		case CT_ERROR:
			memcpy(o, (u8[]){ q[0], 0x7f, 0x03, 0 }, 4);
			return 4;
		}
	}

	o[0] = q[0];
	o[1] = 0x06;		/* CHUNK_RESPONSE */
	o[2] = last;
	o[3] = q[3];
	put_unaligned_le16(seq, o + 4);
	put_unaligned_le16(0, o + 6);
	put_unaligned_le32(n, o + 8);
	if (!seq)
		put_unaligned_le32(total, o + CHUNK_HDR);
	memcpy(o + hdr, r->large + r->large_off, n);

	if (seq == r->chunk_tamper_nth) {
		switch (r->chunk_tamper) {
		case CT_SEQ:
			o[4] ^= 1;
			break;
		case CT_HANDLE:
			o[3] ^= 1;
			break;
		case CT_CODE:
			o[1] = 0x05;
			break;
		case CT_SIZE_OVER:
			put_unaligned_le32(n + 1, o + 8);
			break;
		case CT_TRUNC:
			return CHUNK_HDR - 1;
		}
	}
	r->large_off += n;
	r->get_seq++;
	return hdr + n;
}

static ssize_t spdm_chunk_ack(struct spdm_replay *r, const u8 *q,
			      size_t req_sz, u8 *o, size_t rsp_sz)
{
	u16 seq = get_unaligned_le16(q + 4);
	size_t hdr = CHUNK_HDR + (seq ? 0 : 4), n;
	bool last = q[2] & 1;
	ssize_t len;

	r->chunk_sends++;
	if (req_sz < hdr || req_sz > r->rsp_dts || seq != r->send_seq) {
		r->chunk_bad++;
		return -EIO;
	}
	n = get_unaligned_le32(q + 8);
	if (!seq) {
		r->send_handle = q[3];
		r->send_total = get_unaligned_le32(q + CHUNK_HDR);
		r->send_len = 0;
	}
	if (n != req_sz - hdr || q[3] != r->send_handle ||
	    r->send_len + n > r->send_total ||
	    last != (r->send_len + n == r->send_total)) {
		r->chunk_bad++;
		return -EIO;
	}
	memcpy(r->send + r->send_len, q + hdr, n);
	r->send_len += n;
	r->send_seq = last ? 0 : seq + 1;

	o[0] = q[0];
	o[1] = 0x05;		/* CHUNK_SEND_ACK */
	o[2] = 0;
	o[3] = q[3];
	put_unaligned_le16(seq, o + 4);
	switch (r->chunk_tamper) {
	case CT_ACK_SEQ:
		o[4] ^= 1;
		break;
	case CT_ACK_HANDLE:
		o[3] ^= 1;
		break;
	case CT_ACK_EARLY_ERROR:
		o[2] = 1;	/* EarlyErrorDetected, then an ERROR */
		memcpy(o + CHUNK_ACK_HDR, (u8[]){ q[0], 0x7f, 0x05, 0 }, 4);
		return CHUNK_ACK_HDR + 4;
	case CT_ACK_EARLY_BOGUS:
		o[2] = 1;	/* EarlyErrorDetected, no ERROR */
		memcpy(o + CHUNK_ACK_HDR, (u8[]){ q[0], 0x03, 0, 0 }, 4);
		return CHUNK_ACK_HDR + 4;
	}
	if (!last)
		return CHUNK_ACK_HDR;

	len = spdm_replay_transport(r, r->send, r->send_len, r->large,
				    sizeof(r->large));
	len = spdm_chunk_out(r, q[0], len, o + CHUNK_ACK_HDR,
			     rsp_sz - CHUNK_ACK_HDR);
	return len < 0 ? len : CHUNK_ACK_HDR + len;
}

static ssize_t spdm_chunk_transport(void *priv, const void *req,
				    size_t req_sz, void *rsp, size_t rsp_sz)
{
	struct spdm_replay *r = priv;
	const u8 *q = req;
	ssize_t len;

	if (req_sz >= 4 && q[1] == REQ_CHUNK_GET)
		return spdm_chunk_rsp(r, q, req_sz, rsp, rsp_sz);
	if (req_sz >= 4 && q[1] == REQ_CHUNK_SEND)
		return spdm_chunk_ack(r, q, req_sz, rsp, rsp_sz);
	/* a request larger than the responder takes must be chunked */
	if (req_sz > r->rsp_dts)
		r->chunk_bad++;
	len = spdm_replay_transport(r, req, req_sz, r->large,
				    sizeof(r->large));
	return spdm_chunk_out(r, q[0], len, rsp, rsp_sz);
}

/* Chunks each generated exchange takes: every other one takes none */
static const struct {
	const char *name;
	unsigned int large_rsps, chunk_gets, chunk_sends;
} spdm_gen_chunks[] = {
	/* CHALLENGE_AUTH fits exactly; MEASUREMENTS: 150 + 17 bytes */
	{ "chunk_fit", 1, 2, 0 },
	/* CHALLENGE_AUTH 48 + 52 + 52 + 14; MEASUREMENTS 48 + 6 * 52 */
	{ "chunk_many", 2, 4 + 7, 0 },
	/* ... and MEASUREMENTS 48 + 6 * 52 + 1 */
	{ "chunk_many_plus1", 2, 4 + 8, 0 },
	/*
	 * CHALLENGE 26 + 18, GET_MEASUREMENTS 26 + 19; 174 and 296 back in
	 * chunks of the responder's 42 bytes, smaller than our 64:
	 * 26 + 4 * 30 + 28 and 26 + 9 * 30
	 */
	{ "chunk_send", 2, 6 + 10, 4 },
};

/* Hash @n blobs, the last one without its @cut trailing bytes */
static void spdm_gen_hash(u32 base_hash, const struct spdm_blob **blobs,
			  unsigned int n, size_t cut, u8 *out)
{
	struct spdm_hash h;
	unsigned int i;

	spdm_hash_init(&h, base_hash);
	for (i = 0; i < n; i++)
		spdm_hash_update(&h, blobs[i]->data,
				 blobs[i]->len - (i == n - 1 ? cut : 0));
	spdm_hash_final(&h, out);
}

static struct spdm_state *spdm_gen_setup(struct kunit *test,
					 struct spdm_replay *r,
					 const struct spdm_gen_vector *v)
{
	struct spdm_test_vector *tv;
	struct spdm_config cfg = {
		.transport = spdm_chunk_transport,
		.get_nonce = spdm_replay_nonce,
		.priv = r,
		.data_transfer_size = v->dts,
		.max_spdm_msg_size = v->max_msg,
		.req_caps = SPDM_CAP_CERT | SPDM_CAP_CHAL,
		.summary_hash_type = SPDM_SUMMARY_HASH_ALL,
		.slot_mask = v->slot_mask,
	};
	struct spdm_state *spdm;

	tv = kunit_kzalloc(test, sizeof(*tv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tv);
	tv->name = v->name;
	tv->msgs = v->msgs;
	tv->num_msgs = v->num_msgs;
	r->test = test;
	r->tv = tv;
	r->rsp_dts = v->rsp_dts;
	r->max_msg = v->max_msg;
	spdm = spdm_create(&cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, spdm);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, spdm_test_destroy,
						  spdm));
	return spdm;
}

KUNIT_ARRAY_PARAM_DESC(spdm_gen, spdm_gen_vectors, name);

/*
 * Exchanges generated for every version and algorithm: the requester
 * builds the same requests, verifies both signatures and keeps the
 * transcripts whose hashes the generator computed; a flipped bit in
 * either signature is caught.  A responder without CHAL_CAP is
 * authenticated by its signed MEASUREMENTS alone; a second slot whose
 * chain the X.509 parser refuses is kept as sent, with the errno, and
 * does not fail the authentication with slot 0.
 */
static void spdm_test_generated(struct kunit *test)
{
	const struct spdm_gen_vector *v = test->param_value;
	const struct spdm_blob *m1[4], *l1[3];
	u8 digest[SPDM_MAX_HASH_SIZE];
	const struct spdm_evidence *ev;
	unsigned int i, slot, large = 0, gets = 0, sends = 0, n = 0;
	size_t hlen = v->base_hash == SPDM_HASH_SHA256 ? 32 :
		      v->base_hash == SPDM_HASH_SHA384 ? 48 : 64;
	struct spdm_replay *r;
	struct spdm_state *spdm;
	size_t off = 0;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	spdm = spdm_gen_setup(test, r, v);

	KUNIT_ASSERT_EQ(test, spdm_authenticate(spdm), 0);
	KUNIT_EXPECT_EQ(test, r->mismatch, 0);
	KUNIT_EXPECT_EQ(test, r->chunk_bad, 0);
	KUNIT_EXPECT_EQ(test, r->pos, v->num_msgs);
	for (i = 0; i < ARRAY_SIZE(spdm_gen_chunks); i++) {
		if (strcmp(spdm_gen_chunks[i].name, v->name))
			continue;
		large = spdm_gen_chunks[i].large_rsps;
		gets = spdm_gen_chunks[i].chunk_gets;
		sends = spdm_gen_chunks[i].chunk_sends;
	}
	KUNIT_EXPECT_EQ(test, r->large_rsps, large);
	KUNIT_EXPECT_EQ(test, r->chunk_gets, gets);
	KUNIT_EXPECT_EQ(test, r->chunk_sends, sends);

	ev = spdm_evidence(spdm);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, ev->version, v->version);
	KUNIT_EXPECT_EQ(test, ev->base_asym, v->base_asym);
	KUNIT_EXPECT_EQ(test, ev->base_hash, v->base_hash);
	KUNIT_EXPECT_EQ(test, ev->meas_hash, v->base_hash << 1);
	KUNIT_EXPECT_EQ(test, ev->num_meas_blocks, v->num_blocks);
	KUNIT_EXPECT_EQ(test, ev->vca.len, v->vca_len);
	KUNIT_EXPECT_EQ(test, ev->cert_transcript.len, v->b_len);

	/* each chain is its slot's CERTIFICATE portions, in order */
	KUNIT_EXPECT_EQ(test, ev->slot_mask, BIT(0) | v->slot_mask);
	KUNIT_ASSERT_EQ(test, ev->cert_chain[0].len, v->chain_len);
	KUNIT_EXPECT_EQ(test, ev->cert_status[0], 0);
	for (slot = 0; slot < SPDM_MAX_SLOTS; slot++) {
		off = 0;
		for (i = 0; i + 1 < v->num_msgs; i += 2) {
			const struct spdm_test_msg *m = &v->msgs[i + 1];

			if (v->msgs[i].data[1] != REQ_GET_CERTIFICATE ||
			    v->msgs[i].data[2] != slot)
				continue;
			KUNIT_ASSERT_LE(test, off + m->len - 8,
					ev->cert_chain[slot].len);
			KUNIT_EXPECT_MEMEQ(test, ev->cert_chain[slot].data + off,
					   m->data + 8, m->len - 8);
			off += m->len - 8;
		}
		KUNIT_EXPECT_EQ_MSG(test, off, ev->cert_chain[slot].len,
				    "slot %u", slot);
		if (slot && !(v->slot_mask & BIT(slot)))
			KUNIT_EXPECT_EQ(test, ev->cert_status[slot], -ENODATA);
	}
	/* slot 1 of bad_slot1: framed, digest right, no certificate */
	if (v->slot_mask & BIT(1)) {
		KUNIT_EXPECT_GT(test, ev->cert_chain[1].len, 0);
		KUNIT_EXPECT_EQ(test, ev->cert_status[1], -EBADMSG);
	}

	/* M1 and L1 from the evidence match the generator's */
	if (v->chal) {
		KUNIT_EXPECT_TRUE(test, ev->rsp_caps & SPDM_CAP_CHAL);
		m1[0] = &ev->vca;
		m1[1] = &ev->cert_transcript;
		m1[2] = &ev->challenge_req;
		m1[3] = &ev->challenge_rsp;
		KUNIT_ASSERT_GT(test, ev->challenge_sig.len, 0);
		spdm_gen_hash(v->base_hash, m1, 4, ev->challenge_sig.len,
			      digest);
		KUNIT_EXPECT_MEMEQ(test, digest, v->m1, hlen);
	} else {
		KUNIT_EXPECT_FALSE(test, ev->rsp_caps & SPDM_CAP_CHAL);
		KUNIT_EXPECT_EQ(test, ev->challenge_req.len, 0);
		KUNIT_EXPECT_EQ(test, ev->challenge_rsp.len, 0);
		KUNIT_EXPECT_EQ(test, ev->challenge_sig.len, 0);
	}
	if (v->version >= SPDM_VER_12)
		l1[n++] = &ev->vca;
	l1[n++] = &ev->meas_req;
	l1[n++] = &ev->meas_rsp;
	KUNIT_ASSERT_GT(test, ev->meas_sig.len, 0);
	spdm_gen_hash(v->base_hash, l1, n, ev->meas_sig.len, digest);
	KUNIT_EXPECT_MEMEQ(test, digest, v->l1, hlen);
}

/* Flip the last byte of one signature: it must not verify */
static void spdm_test_generated_badsig(struct kunit *test)
{
	const struct spdm_gen_vector *v = test->param_value;
	static const u8 codes[] = { REQ_CHALLENGE, REQ_GET_MEASUREMENTS };
	const struct spdm_blob *rsp, *sig;
	const struct spdm_evidence *fe;
	unsigned int i;

	/* without CHAL_CAP, MEASUREMENTS is the only signature */
	for (i = v->chal ? 0 : 1; i < ARRAY_SIZE(codes); i++) {
		struct spdm_replay *r;
		struct spdm_state *spdm;

		r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r);
		r->tamper_code = codes[i];
		r->tamper = tamper_xor;
		r->off = -1;
		r->val = 0x01;
		spdm = spdm_gen_setup(test, r, v);
		KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), -EKEYREJECTED);
		KUNIT_EXPECT_EQ(test, r->tamper_seen, 1);
		KUNIT_EXPECT_NULL(test, spdm_evidence(spdm));

		/* What failed is kept, the bad signature at its end */
		fe = spdm_failed_evidence(spdm);
		KUNIT_ASSERT_NOT_NULL(test, fe);
		KUNIT_EXPECT_EQ(test, fe->cert_status[0], 0);
		KUNIT_EXPECT_EQ(test, fe->cert_chain[0].len, v->chain_len);
		rsp = codes[i] == REQ_CHALLENGE ? &fe->challenge_rsp :
						  &fe->meas_rsp;
		sig = codes[i] == REQ_CHALLENGE ? &fe->challenge_sig :
						  &fe->meas_sig;
		KUNIT_ASSERT_GT(test, sig->len, 0);
		KUNIT_ASSERT_GE(test, rsp->len, sig->len);
		KUNIT_EXPECT_PTR_EQ(test, sig->data,
				    rsp->data + rsp->len - sig->len);
		if (codes[i] == REQ_CHALLENGE)
			KUNIT_EXPECT_EQ(test, fe->meas_rsp.len, 0);
		else
			KUNIT_EXPECT_EQ(test, fe->challenge_rsp.len > 0, v->chal);
	}
}

/* A responder that breaks the chunking rules; each case names one rule */
struct spdm_chunk_case {
	const char *name;
	const char *vector;
	enum spdm_chunk_tamper tamper;
	unsigned int nth;	/* ChunkSeqNo of the broken chunk */
	int err;
	unsigned int large;	/* large responses announced by then */
};

static const struct spdm_chunk_case spdm_chunk_cases[] = {
	{ "seq_first", "chunk_many", CT_SEQ, 0, -EPROTO, 1 },
	{ "seq_later", "chunk_many", CT_SEQ, 2, -EPROTO, 1 },
	{ "handle", "chunk_many", CT_HANDLE, 1, -EPROTO, 1 },
	{ "code", "chunk_many", CT_CODE, 0, -EPROTO, 1 },
	{ "size_over", "chunk_many", CT_SIZE_OVER, 1, -EPROTO, 1 },
	{ "size_over_last", "chunk_many", CT_SIZE_OVER, 3, -EPROTO, 1 },
	{ "short_chunk", "chunk_many", CT_SHORT_CHUNK, 1, -EPROTO, 1 },
	{ "large_fits_one", "chunk_many", CT_LARGE_SMALL, 0, -EPROTO, 1 },
	{ "large_zero", "chunk_many", CT_LARGE_ZERO, 0, -EPROTO, 1 },
	{ "large_huge", "chunk_many", CT_LARGE_HUGE, 0, -EPROTO, 1 },
	{ "large_short", "chunk_many", CT_LARGE_SHORT, 0, -EPROTO, 1 },
	{ "large_long", "chunk_many", CT_LARGE_LONG, 0, -EPROTO, 1 },
	{ "last_early", "chunk_many", CT_LAST_EARLY, 1, -EPROTO, 1 },
	{ "no_last", "chunk_many", CT_NO_LAST, 3, -EPROTO, 1 },
	/* the eighth chunk of MEASUREMENTS, carrying one byte */
	{ "no_last_one_byte", "chunk_many_plus1", CT_NO_LAST, 7, -EPROTO, 2 },
	{ "size_over_one_byte", "chunk_many_plus1", CT_SIZE_OVER, 7, -EPROTO,
	  2 },
	{ "error", "chunk_many", CT_ERROR, 2, -EPROTO, 1 },
	{ "truncated", "chunk_many", CT_TRUNC, 0, -EPROTO, 1 },
	{ "no_handle", "chunk_many", CT_NO_HANDLE, 0, -EPROTO, 1 },
	{ "ack_seq", "chunk_send", CT_ACK_SEQ, 0, -EPROTO, 0 },
	{ "ack_handle", "chunk_send", CT_ACK_HANDLE, 0, -EPROTO, 0 },
	{ "ack_early_error", "chunk_send", CT_ACK_EARLY_ERROR, 0, -EREMOTEIO,
	  0 },
	{ "ack_early_bogus", "chunk_send", CT_ACK_EARLY_BOGUS, 0, -EPROTO, 0 },
};

KUNIT_ARRAY_PARAM_DESC(spdm_chunk, spdm_chunk_cases, name);

static void spdm_test_chunk_hostile(struct kunit *test)
{
	const struct spdm_chunk_case *c = test->param_value;
	const struct spdm_gen_vector *v = NULL;
	struct spdm_replay *r;
	struct spdm_state *spdm;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(spdm_gen_vectors); i++)
		if (!strcmp(spdm_gen_vectors[i].name, c->vector))
			v = &spdm_gen_vectors[i];
	KUNIT_ASSERT_NOT_NULL(test, v);

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->chunk_tamper = c->tamper;
	r->chunk_tamper_nth = c->nth;
	spdm = spdm_gen_setup(test, r, v);

	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), c->err);
	KUNIT_EXPECT_EQ(test, r->chunk_bad, 0);
	KUNIT_EXPECT_NULL(test, spdm_evidence(spdm));
	/* it failed at the large message it was meant to */
	KUNIT_EXPECT_EQ(test, r->large_rsps, c->large);
}

/* Without CHUNK_CAP on our side a LargeResponse is a plain error */
static void spdm_test_chunk_not_negotiated(struct kunit *test)
{
	const struct spdm_gen_vector *v = NULL;
	struct spdm_gen_vector nochunk;
	struct spdm_replay *r;
	struct spdm_state *spdm;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(spdm_gen_vectors); i++)
		if (!strcmp(spdm_gen_vectors[i].name, "chunk_many"))
			v = &spdm_gen_vectors[i];
	KUNIT_ASSERT_NOT_NULL(test, v);
	nochunk = *v;
	nochunk.max_msg = v->dts;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	spdm = spdm_gen_setup(test, r, &nochunk);
	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, spdm_last_error(spdm), 0x0f);
	KUNIT_EXPECT_EQ(test, r->chunk_gets, 0);
	/* GET_CAPABILITIES went out without CHUNK_CAP */
	KUNIT_EXPECT_EQ(test, r->mismatch, 1);
}

/*
 * A responder that keeps the requester waiting fails it in bounded time:
 * the Busy and RESPOND_IF_READY retries are bounded, and so is the total
 * wait of one authentication (max_wait_ms), even when every single
 * exchange stays within its own retries.
 */
struct spdm_wait_case {
	const char *name;
	u8 code;		/* request answered with ERROR */
	u8 error;
	u8 rdt_exp;		/* ResponseNotReady RDTExponent */
	unsigned int per_req;	/* ERRORs per request (0: forever) */
	u32 max_wait_ms;
	unsigned int vector;
	int err;
	unsigned int calls;	/* transport calls, RESPOND_IF_READY included */
	unsigned int rif;
	u32 min_ms;		/* the waits the requester had to do */
};

static const struct spdm_wait_case spdm_wait_cases[] = {
	/* 3 messages, then GET_DIGESTS and 3 retries: 2 + 4 + 8 ms */
	{ "busy_retries", REQ_GET_DIGESTS, 0x03, 0, 0, 0, 0, -EBUSY, 3 + 4, 0,
	  14 },
	/* the 4 ms retry would pass the 5 ms budget */
	{ "busy_budget", REQ_GET_DIGESTS, 0x03, 0, 0, 5, 0, -ETIMEDOUT, 3 + 2,
	  0, 2 },
	/* 1 s wanted, 100 ms allowed: no wait at all */
	{ "not_ready_too_long", REQ_CHALLENGE, 0x42, 20, 0, 100, 0,
	  -ETIMEDOUT, 6, 0, 0 },
	/* RDTExponent 31 is capped to 2^20 us: one wait fits in 2 s */
	{ "not_ready_capped", REQ_CHALLENGE, 0x42, 31, 0, 2000, 0, -ETIMEDOUT,
	  7, 1, 1048 },
	/* 16.4 ms each: six fit in 100 ms, the seventh does not */
	{ "not_ready_budget", REQ_CHALLENGE, 0x42, 14, 0, 100, 0, -ETIMEDOUT,
	  6 + 6, 6, 98 },
	/*
	 * Two 16.4 ms waits per CERTIFICATE portion, 60 ms in all: the first
	 * portion takes two, the second fails at its second wait.
	 */
	{ "not_ready_spread", REQ_GET_CERTIFICATE, 0x42, 14, 2, 60, 1,
	  -ETIMEDOUT, 4 + 3 + 2, 3, 49 },
	/* the same within the default budget: it succeeds */
	{ "not_ready_spread_ok", REQ_GET_CERTIFICATE, 0x42, 14, 2, 0, 1, 0,
	  4 + 3 + 3 + 2, 4, 65 },
};

KUNIT_ARRAY_PARAM_DESC(spdm_wait, spdm_wait_cases, name);

static void spdm_test_wait_bounded(struct kunit *test)
{
	const struct spdm_wait_case *c = test->param_value;
	u32 budget = c->max_wait_ms ?: SPDM_DEFAULT_MAX_WAIT_MS;
	struct spdm_replay *r;
	struct spdm_state *spdm;
	ktime_t start;
	s64 ms;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->inject_code = c->code;
	r->inject_times = c->per_req ? 0 : 1000;
	r->inject_per_req = c->per_req;
	r->inject[0] = SPDM_VER_12;
	r->inject[1] = 0x7f;
	r->inject[2] = c->error;
	r->inject[4] = c->rdt_exp;
	r->inject[5] = c->code;
	r->inject[6] = 0x77;	/* Token */
	r->inject[7] = 1;	/* RDTM */
	r->inject_len = c->error == 0x42 ? 8 : 4;
	r->max_wait_ms = c->max_wait_ms;
	spdm = spdm_test_setup(test, r, &spdm_vectors[c->vector]);

	start = ktime_get();
	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), c->err);
	ms = ktime_ms_delta(ktime_get(), start);

	KUNIT_EXPECT_EQ(test, r->calls, c->calls);
	KUNIT_EXPECT_EQ(test, r->rif_seen, c->rif);
	KUNIT_EXPECT_EQ(test, r->rif_bad, 0);
	KUNIT_EXPECT_EQ(test, spdm_last_error(spdm), c->error);
	KUNIT_EXPECT_EQ(test, !spdm_evidence(spdm), !!c->err);
	/* it did wait what it was asked, and never past the budget */
	KUNIT_EXPECT_GE(test, ms, (s64)c->min_ms);
	KUNIT_EXPECT_LE(test, ms, (s64)budget + 2000);
}

/*
 * The work one authentication can cost is bounded whatever the responder
 * answers: transfers, bytes received and time, the transport's included.
 * Vector 0 takes 7 transfers and about 4.5 KB.
 */
struct spdm_budget_case {
	const char *name;
	u32 max_exchanges;
	u32 max_rx_bytes;
	u32 max_time_ms;
	unsigned int delay_ms;	/* per transfer */
	int err;
	unsigned int min_calls;
	unsigned int max_calls;
};

static const struct spdm_budget_case spdm_budget_cases[] = {
	/* the fifth transfer (GET_CERTIFICATE) is one too many */
	{ "exchanges", 4, 0, 0, 0, -ETIMEDOUT, 4, 4 },
	/* VERSION, CAPABILITIES, ALGORITHMS, DIGESTS fit; the chain does not */
	{ "bytes", 0, 300, 0, 0, -EMSGSIZE, 5, 5 },
	/* 40 ms a transfer, 100 ms allowed: the fourth starts too late */
	{ "time", 0, 0, 100, 40, -ETIMEDOUT, 2, 3 },
	/* the same responder within the defaults: it passes */
	{ "within", 0, 0, 0, 40, 0, 7, 7 },
};

KUNIT_ARRAY_PARAM_DESC(spdm_budget, spdm_budget_cases, name);

static void spdm_test_budget(struct kunit *test)
{
	const struct spdm_budget_case *c = test->param_value;
	struct spdm_replay *r;
	struct spdm_state *spdm;
	ktime_t start;
	s64 ms;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->max_exchanges = c->max_exchanges;
	r->max_rx_bytes = c->max_rx_bytes;
	r->max_time_ms = c->max_time_ms;
	r->delay_ms = c->delay_ms;
	spdm = spdm_test_setup(test, r, &spdm_vectors[0]);

	start = ktime_get();
	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), c->err);
	ms = ktime_ms_delta(ktime_get(), start);
	KUNIT_EXPECT_GE(test, r->calls, c->min_calls);
	KUNIT_EXPECT_LE(test, r->calls, c->max_calls);
	KUNIT_EXPECT_EQ(test, r->mismatch, 0);
	/* ended at most one transfer past the deadline (slack for TCG) */
	if (c->max_time_ms)
		KUNIT_EXPECT_LE(test, ms, (s64)c->max_time_ms + c->delay_ms +
				1000);
}

/*
 * A responder that sends its chain a byte at a time would cost an
 * exchange per byte: a short portion that is not the last is refused at
 * once.  Vector 1 asks for 1024-byte portions.
 */
static void spdm_test_short_portion(struct kunit *test)
{
	struct spdm_replay *r;
	struct spdm_state *spdm;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->tamper_code = REQ_GET_CERTIFICATE;
	r->tamper = tamper_le16;
	r->off = 4;	/* PortionLength */
	r->val = 1;
	spdm = spdm_test_setup(test, r, &spdm_vectors[1]);

	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), -EPROTO);
	/* VERSION, CAPABILITIES, ALGORITHMS, DIGESTS, one CERTIFICATE */
	KUNIT_EXPECT_EQ(test, r->calls, 5);
	KUNIT_EXPECT_EQ(test, r->cert_requests, 1);
}

/*
 * spdm_release() frees what a failed authentication received: nothing is
 * left to show, and the next authentication fetches the chain again.
 */
static void spdm_test_release(struct kunit *test)
{
	struct spdm_replay *r;
	struct spdm_state *spdm;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->tamper_code = REQ_CHALLENGE;
	r->tamper = tamper_xor;
	r->off = -1;
	r->val = 0x01;
	spdm = spdm_test_setup(test, r, &spdm_vectors[0]);
	KUNIT_ASSERT_EQ(test, spdm_authenticate(spdm), -EKEYREJECTED);
	KUNIT_ASSERT_NOT_NULL(test, spdm_failed_evidence(spdm));

	spdm_release(spdm);
	KUNIT_EXPECT_NULL(test, spdm_failed_evidence(spdm));
	KUNIT_EXPECT_NULL(test, spdm_evidence(spdm));
	KUNIT_EXPECT_EQ(test, spdm_last_error(spdm), 0);

	r->pos = 0;
	r->nonce_idx = 0;
	r->cert_requests = 0;
	r->tamper = NULL;
	KUNIT_EXPECT_EQ(test, spdm_authenticate(spdm), 0);
	KUNIT_EXPECT_EQ(test, r->cert_requests, 1);
	KUNIT_EXPECT_EQ(test, r->mismatch, 0);
}

/*
 * Path validation on the chains of tests/chains/ (made with OpenSSL,
 * shared with the pci-tsm tool's tests, which must reach the same
 * verdicts): each is put behind the SPDM chain header, RootHash being
 * that of the vectors' root whether the chain carries it or not, unless
 * the chain starts with a self-signed certificate of its own (root-not-ca):
 * then RootHash is its hash, so that the chain fails on the rule the
 * vector is about and not on RootHash.
 */
static void spdm_chain_vector_desc(const struct spdm_chain_vector *v,
				   char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_chain_vector, spdm_chain_vectors,
		  spdm_chain_vector_desc);

/* A session whose slot 0 holds @v's chain, SHA-256 for the root hash */
static struct spdm_state *spdm_chain_setup(struct kunit *test,
					   const struct spdm_chain_vector *v,
					   u8 **chain, size_t *len)
{
	struct spdm_config cfg = {
		.transport = spdm_null_transport,
	};
	const u8 *root = chain_root;
	size_t root_len = sizeof(chain_root), first;
	struct x509_certificate *cert0;
	struct spdm_state *spdm;

	spdm = spdm_create(&cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, spdm);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   spdm_test_destroy,
							   spdm));
	/* Every certificate of the vectors has a two-byte DER length */
	KUNIT_ASSERT_GE(test, v->len, (size_t)4);
	KUNIT_ASSERT_EQ(test, v->der[0], 0x30);
	KUNIT_ASSERT_EQ(test, v->der[1], 0x82);
	first = 4 + get_unaligned_be16(v->der + 2);
	KUNIT_ASSERT_LE(test, first, v->len);
	cert0 = x509_cert_parse(v->der, first);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cert0);
	if (cert0->self_signed) {
		root = v->der;
		root_len = first;
	}
	x509_free_certificate(cert0);

	*len = SPDM_CHAIN_HDR + SHA256_DIGEST_SIZE + v->len;
	*chain = kunit_kzalloc(test, *len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, *chain);
	put_unaligned_le16(*len, *chain);
	sha256(root, root_len, *chain + SPDM_CHAIN_HDR);
	memcpy(*chain + SPDM_CHAIN_HDR + SHA256_DIGEST_SIZE, v->der, v->len);

	spdm->base_hash = SPDM_HASH_SHA256;
	spdm->hash_len = SHA256_DIGEST_SIZE;
	KUNIT_ASSERT_EQ(test, spdm_buf_set(&spdm->chain[0], *chain, *len), 0);
	return spdm;
}

static void spdm_test_chain_vector(struct kunit *test)
{
	const struct spdm_chain_vector *v = test->param_value;
	struct x509_certificate *leaf = NULL;
	struct spdm_state *spdm;
	size_t len;
	u8 *chain;
	int rc;

	spdm = spdm_chain_setup(test, v, &chain, &len);
	rc = spdm_verify_chain(spdm, 0, &leaf);
	if (v->valid) {
		KUNIT_EXPECT_EQ(test, rc, 0);
		KUNIT_EXPECT_NOT_NULL(test, leaf);
		KUNIT_EXPECT_NULL(test, spdm->chain_rule);
	} else {
		KUNIT_EXPECT_EQ(test, rc, -EKEYREJECTED);
		KUNIT_EXPECT_STREQ(test, spdm->chain_rule ?: "(none)", v->rule);
	}
	if (!rc)
		x509_free_certificate(leaf);
}

/*
 * A device decides how many certificates its chain holds, and each costs a
 * parse and a signature check: more than SPDM_MAX_CHAIN_CERTS are refused
 * before the first is parsed.  The chain is the vectors' root repeated, so
 * that only the count differs between the two runs.
 */
static void spdm_test_chain_limit(struct kunit *test)
{
	static const unsigned int counts[] = {
		SPDM_MAX_CHAIN_CERTS, SPDM_MAX_CHAIN_CERTS + 1
	};
	struct spdm_config cfg = {
		.transport = spdm_null_transport,
	};
	size_t hdr = SPDM_CHAIN_HDR + SHA256_DIGEST_SIZE;

	for (unsigned int c = 0; c < ARRAY_SIZE(counts); c++) {
		size_t len = hdr + counts[c] * sizeof(chain_root);
		struct x509_certificate *leaf = NULL;
		struct spdm_state *spdm;
		u8 *chain;
		int rc;

		KUNIT_ASSERT_LE(test, len, (size_t)U16_MAX);
		spdm = spdm_create(&cfg);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, spdm);
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test, spdm_test_destroy, spdm));
		chain = kunit_kzalloc(test, len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, chain);
		put_unaligned_le16(len, chain);
		sha256(chain_root, sizeof(chain_root), chain + SPDM_CHAIN_HDR);
		for (unsigned int i = 0; i < counts[c]; i++)
			memcpy(chain + hdr + i * sizeof(chain_root), chain_root,
			       sizeof(chain_root));
		spdm->base_hash = SPDM_HASH_SHA256;
		spdm->hash_len = SHA256_DIGEST_SIZE;
		KUNIT_ASSERT_EQ(test, spdm_buf_set(&spdm->chain[0], chain, len), 0);

		rc = spdm_verify_chain(spdm, 0, &leaf);
		if (counts[c] > SPDM_MAX_CHAIN_CERTS) {
			KUNIT_EXPECT_EQ(test, rc, -E2BIG);
		} else {
			/* parsed and checked: refused for a rule, not for the count */
			KUNIT_EXPECT_NE(test, rc, -E2BIG);
			KUNIT_EXPECT_NOT_NULL(test, spdm->chain_rule);
		}
		if (!rc)
			x509_free_certificate(leaf);
	}
}

#define SPDM_CHAIN_MUTATIONS	48

/*
 * The chain validator over the real X.509 parser, under KASAN (see
 * .kunitconfig): every vector with one to three bytes changed at
 * pseudo-random places (a fixed seed, so a failure reproduces).  No
 * verdict is expected, only that nothing is read out of bounds or
 * leaked, that an error is an errno and that a chain accepted has a leaf
 * and broke no rule.
 */
static void spdm_test_chain_mutations(struct kunit *test)
{
	unsigned int i, j, k, accepted = 0, runs = 0;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, 0x5bd1e995);
	for (i = 0; i < ARRAY_SIZE(spdm_chain_vectors); i++) {
		const struct spdm_chain_vector *v = &spdm_chain_vectors[i];
		struct spdm_state *spdm;
		size_t len, hdr = SPDM_CHAIN_HDR + SHA256_DIGEST_SIZE;
		u8 *chain;

		spdm = spdm_chain_setup(test, v, &chain, &len);
		for (j = 0; j < SPDM_CHAIN_MUTATIONS; j++) {
			struct x509_certificate *leaf = NULL;
			unsigned int n = 1 + prandom_u32_state(&rnd) % 3;
			int rc;

			memcpy(spdm->chain[0].data, chain, len);
			for (k = 0; k < n; k++) {
				u32 x = prandom_u32_state(&rnd);

				spdm->chain[0].data[hdr + x % v->len] ^=
					1 + (x >> 24) % 255;
			}
			rc = spdm_verify_chain(spdm, 0, &leaf);
			runs++;
			KUNIT_EXPECT_LE(test, rc, 0);
			KUNIT_EXPECT_GE(test, rc, -MAX_ERRNO);
			if (rc)
				continue;
			accepted++;
			KUNIT_EXPECT_NOT_NULL(test, leaf);
			KUNIT_EXPECT_NULL(test, spdm->chain_rule);
			x509_free_certificate(leaf);
		}
	}
	kunit_info(test, "%u mutated chains, %u accepted\n", runs, accepted);
}

static struct kunit_case spdm_test_cases[] = {
	KUNIT_CASE_PARAM(spdm_test_replay, spdm_vector_gen_params),
	KUNIT_CASE(spdm_test_cached_chain),
	KUNIT_CASE_PARAM(spdm_test_peer, spdm_peer_gen_params),
	KUNIT_CASE_PARAM(spdm_test_malformed, spdm_neg_gen_params),
	KUNIT_CASE(spdm_test_truncate_all),
	KUNIT_CASE_PARAM(spdm_test_chain, spdm_chain_gen_params),
	KUNIT_CASE_PARAM(spdm_test_chain_vector, spdm_chain_vector_gen_params),
	KUNIT_CASE(spdm_test_chain_mutations),
	KUNIT_CASE(spdm_test_chain_limit),
	KUNIT_CASE_PARAM(spdm_test_error_rsp, spdm_err_gen_params),
	KUNIT_CASE(spdm_test_wrong_nonce),
	KUNIT_CASE(spdm_test_transport),
	KUNIT_CASE(spdm_test_config),
	KUNIT_CASE(spdm_test_no_common_version),
	KUNIT_CASE_PARAM(spdm_test_rsapss, spdm_pss_gen_params),
	KUNIT_CASE_PARAM(spdm_test_generated, spdm_gen_gen_params),
	KUNIT_CASE_PARAM(spdm_test_generated_badsig, spdm_gen_gen_params),
	KUNIT_CASE_PARAM(spdm_test_chunk_hostile, spdm_chunk_gen_params),
	KUNIT_CASE(spdm_test_chunk_not_negotiated),
	KUNIT_CASE_PARAM(spdm_test_wait_bounded, spdm_wait_gen_params),
	KUNIT_CASE_PARAM(spdm_test_budget, spdm_budget_gen_params),
	KUNIT_CASE(spdm_test_short_portion),
	KUNIT_CASE(spdm_test_release),
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

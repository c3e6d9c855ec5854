// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the lib/spdm requester
 *
 * Runs spdm_authenticate() against a responder whose every message comes
 * from the fuzz input (format in fuzz.h), twice if input remains, so the
 * second run takes the cached-chain path.  After a successful run every
 * byte of the evidence is read, so a blob or measurement block that
 * points outside what lib/spdm allocated is caught by AddressSanitizer.
 * A responder that makes the requester wait longer than
 * FUZZ_MAX_SLEEP_US in total is reported as a crash: waits must be
 * bounded (sleeps are counted, not slept).
 */
#include <linux/spdm.h>
#include "fuzz.h"

int fuzz_rc[2];

struct fuzz_responder {
	const u8 *data;
	size_t len;
	size_t off;
};

static const char * const fuzz_key_algos[] = {
	"rsa", "ecdsa-nist-p256", "ecdsa-nist-p384", "ecdsa-nist-p521",
};

static ssize_t fuzz_transport(void *priv, const void *req, size_t req_sz,
			      void *rsp, size_t rsp_sz)
{
	struct fuzz_responder *r = priv;
	size_t n;

	/* A request built past its buffer is caught here */
	fuzz_touch(req, req_sz);

	if (r->len - r->off < 2)
		return -EIO;
	n = get_unaligned_le16(r->data + r->off);
	r->off += 2;
	n = min(n, r->len - r->off);
	memcpy(rsp, r->data + r->off, min(n, rsp_sz));
	r->off += n;
	return min(n, rsp_sz);
}

static void fuzz_check_evidence(const struct spdm_evidence *ev)
{
	const struct spdm_blob *blobs[] = {
		&ev->vca, &ev->cert_transcript, &ev->challenge_req,
		&ev->challenge_rsp, &ev->challenge_sig, &ev->meas_req,
		&ev->meas_rsp, &ev->meas_sig,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(blobs); i++)
		fuzz_touch(blobs[i]->data, blobs[i]->len);
	for (i = 0; i < SPDM_MAX_SLOTS; i++)
		fuzz_touch(ev->cert_chain[i].data, ev->cert_chain[i].len);
	for (i = 0; i < ev->num_meas_blocks; i++) {
		fuzz_touch(ev->meas_blocks[i].raw, ev->meas_blocks[i].raw_len);
		if (ev->meas_blocks[i].value)
			fuzz_touch(ev->meas_blocks[i].value,
				   ev->meas_blocks[i].value_len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_responder r = { .data = data, .len = size,
				    .off = FUZZ_HDR_SIZE };
	static const u8 summary[] = {
		SPDM_SUMMARY_HASH_NONE, SPDM_SUMMARY_HASH_TCB,
		SPDM_SUMMARY_HASH_ALL, SPDM_SUMMARY_HASH_ALL,
	};
	struct spdm_config cfg = {
		.transport = fuzz_transport,
		.priv = &r,
	};
	struct spdm_state *spdm;
	unsigned int round;
	int rc;

	fuzz_rc[0] = 1;
	fuzz_rc[1] = 1;
	if (size < FUZZ_HDR_SIZE)
		return -1;	/* not worth keeping in the corpus */

	cfg.max_version = SPDM_VER_10 + (data[0] & 3);
	cfg.summary_hash_type = summary[(data[0] >> 2) & 3];
	cfg.slot = data[0] & BIT(4) ? 1 : 0;
	cfg.slot_mask = data[0] & BIT(5) ? 0xff : 0;
	fuzz_reject_sigs = data[0] & BIT(6);
	fuzz_key_algo = fuzz_key_algos[data[1] & 3];
	fuzz_cert_attrs_from_input = data[1] & BIT(2);
	cfg.data_transfer_size = get_unaligned_le16(data + 2);
	if (cfg.data_transfer_size)
		cfg.data_transfer_size = max_t(u32, cfg.data_transfer_size,
					       SPDM_MIN_TRANSFER_SIZE);
	cfg.cert_portion = get_unaligned_le16(data + 4);
	if (data[0] & BIT(7))
		cfg.max_spdm_msg_size = FUZZ_MAX_MSG;

	spdm = spdm_create(&cfg);
	if (IS_ERR(spdm))
		abort();	/* the configuration above is always valid */

	for (round = 0; round < 2 && r.off < r.len; round++) {
		const struct spdm_evidence *ev;

		shim_slept_us = 0;
		rc = spdm_authenticate(spdm);
		fuzz_rc[round] = rc;
		if (shim_slept_us > FUZZ_MAX_SLEEP_US) {
			fprintf(stderr, "responder made the requester wait %llu us\n",
				shim_slept_us);
			abort();
		}
		ev = spdm_evidence(spdm);
		if (!rc != !!ev)
			abort();	/* evidence iff success */
		if (ev)
			fuzz_check_evidence(ev);
	}
	spdm_destroy(spdm);
	return 0;
}

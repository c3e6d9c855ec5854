// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM requester: GET_MEASUREMENTS / MEASUREMENTS, all blocks, signed
 *
 * MEASUREMENTS is
 *
 *   header | NumberOfBlocks (1) | MeasurementRecordLength (3) | record
 *   | Nonce (32) | OpaqueDataLength (2) | OpaqueData
 *   | [RequesterContext (8), 1.3+] | Signature (S)
 *
 * and each block of the record is Index (1) | MeasurementSpecification (1)
 * | MeasurementSize (2) | Measurement; a DMTF measurement starts with
 * DMTFSpecMeasurementValueType (1) | DMTFSpecMeasurementValueSize (2).
 * NumberOfBlocks blocks must fill the record exactly.
 *
 * The signature covers L1: for 1.2+ A || GET_MEASUREMENTS || MEASUREMENTS
 * up to the signature; before 1.2 without A.  If CHALLENGE asked for the
 * summary of all measurements, H(record) must equal it.
 */

#include <linux/slab.h>
#include <linux/unaligned.h>

#include "spdm.h"

#define SPDM_MEAS_SIG_REQUESTED		BIT(0)
#define SPDM_MEAS_ALL_BLOCKS		0xff
#define SPDM_MEAS_SPEC_DMTF		BIT(0)

static int spdm_parse_blocks(struct spdm_state *spdm, const u8 *rec,
			     size_t rec_len, unsigned int count)
{
	struct spdm_meas_block *blocks;
	size_t off = 0;
	unsigned int i;

	blocks = kcalloc(count, sizeof(*blocks), GFP_KERNEL);
	if (!blocks && count)
		return -ENOMEM;
	spdm->blocks = blocks;

	for (i = 0; i < count; i++) {
		const struct spdm_meas_block_hdr *bh;
		const struct spdm_dmtf_meas_hdr *dh;
		size_t size;

		if (rec_len - off < sizeof(*bh))
			return -EPROTO;
		bh = (const void *)(rec + off);
		size = le16_to_cpu(bh->size);
		if (rec_len - off - sizeof(*bh) < size)
			return -EPROTO;

		blocks[i].index = bh->index;
		blocks[i].spec = bh->spec;
		blocks[i].raw = rec + off;
		blocks[i].raw_len = sizeof(*bh) + size;
		if (bh->spec & SPDM_MEAS_SPEC_DMTF) {
			dh = (const void *)(bh + 1);
			if (size < sizeof(*dh) ||
			    le16_to_cpu(dh->size) != size - sizeof(*dh))
				return -EPROTO;
			blocks[i].value_type = dh->type;
			blocks[i].value = (const u8 *)(dh + 1);
			blocks[i].value_len = size - sizeof(*dh);
		}
		off += sizeof(*bh) + size;
	}
	return off == rec_len ? 0 : -EPROTO;
}

int spdm_get_measurements(struct spdm_state *spdm)
{
	struct spdm_get_measurements *req = (void *)spdm->req;
	const struct spdm_measurements_rsp *rsp = (const void *)spdm->rsp;
	struct spdm_evidence *ev = &spdm->ev;
	size_t req_sz, rec_len, opaque_len, off, sig_off, ctx_len = 0;
	u8 digest[SPDM_MAX_HASH_SIZE];
	struct spdm_hash h;
	ssize_t len;
	int rc;

	if (spdm->version >= SPDM_VER_13)
		ctx_len = SPDM_REQ_CONTEXT_SIZE;
	req_sz = sizeof(req->hdr) + SPDM_NONCE_SIZE;
	if (spdm->version >= SPDM_VER_11)
		req_sz += 1 + ctx_len;		/* SlotIDParam, context */

	memset(req, 0, sizeof(*req));
	req->hdr = (struct spdm_header){ .version = spdm->version,
					 .code = SPDM_GET_MEASUREMENTS,
					 .param1 = SPDM_MEAS_SIG_REQUESTED,
					 .param2 = SPDM_MEAS_ALL_BLOCKS };
	req->slot_id = spdm->cfg.slot;
	rc = spdm_get_nonce(spdm, req->nonce);
	if (rc)
		return rc;

	len = spdm_exchange(spdm, req_sz, SPDM_RSP_CODE(SPDM_GET_MEASUREMENTS),
			    sizeof(*rsp));
	if (len < 0)
		return len;

	/* Walk the variable fields; each step is checked against len */
	rec_len = get_unaligned_le24(rsp->record_length);
	off = sizeof(*rsp) + rec_len;
	if (len < off + SPDM_NONCE_SIZE + 2)
		goto truncated;
	opaque_len = get_unaligned_le16(spdm->rsp + off + SPDM_NONCE_SIZE);
	if (opaque_len > SPDM_MAX_OPAQUE)
		goto truncated;
	sig_off = off + SPDM_NONCE_SIZE + 2 + opaque_len + ctx_len;
	if (len < sig_off + spdm->sig_len)
		goto truncated;
	if (spdm->version >= SPDM_VER_12 &&
	    (rsp->hdr.param2 & 0xf) != spdm->cfg.slot)
		goto truncated;
	if (ctx_len && memcmp(spdm->rsp + sig_off - ctx_len, req->context,
			      ctx_len))
		return -EPROTO;

	rc = spdm_buf_set(&spdm->meas_req, req, req_sz);
	if (rc)
		return rc;
	rc = spdm_buf_set(&spdm->meas_rsp, rsp, sig_off + spdm->sig_len);
	if (rc)
		return rc;
	/* Set before the checks, for spdm_failed_evidence() */
	memcpy(ev->meas_req_nonce, req->nonce, SPDM_NONCE_SIZE);
	memcpy(ev->meas_rsp_nonce, spdm->rsp + off, SPDM_NONCE_SIZE);
	ev->meas_sig = (struct spdm_blob){
		.data = spdm->meas_rsp.data + sig_off, .len = spdm->sig_len };

	/* Blocks point into the kept copy of the response */
	rc = spdm_parse_blocks(spdm, spdm->meas_rsp.data + sizeof(*rsp),
			       rec_len, rsp->num_blocks);
	if (rc) {
		spdm_err(spdm, "MEASUREMENTS: %u blocks do not fill %zu bytes\n",
			 rsp->num_blocks, rec_len);
		return rc;
	}
	ev->num_meas_blocks = rsp->num_blocks;

	if (ev->summary_hash_type == SPDM_SUMMARY_HASH_ALL) {
		spdm_hash(spdm->base_hash, spdm->rsp + sizeof(*rsp), rec_len,
			  digest);
		if (memcmp(digest, spdm->summary_hash, spdm->hash_len)) {
			spdm_err(spdm, "measurement summary hash mismatch\n");
			return -EBADMSG;
		}
	}

	spdm_hash_init(&h, spdm->base_hash);
	if (spdm->version >= SPDM_VER_12)
		spdm_hash_update(&h, spdm->vca.data, spdm->vca.len);
	spdm_hash_update(&h, req, req_sz);
	spdm_hash_update(&h, rsp, sig_off);
	rc = spdm_verify_signature(spdm, &h, SPDM_CTX_MEASUREMENTS,
				   spdm->rsp + sig_off);
	if (rc)
		return rc;

	return 0;

truncated:
	spdm_err(spdm, "MEASUREMENTS: record %zu bytes in %zd byte response\n",
		 rec_len, len);
	return -EPROTO;
}

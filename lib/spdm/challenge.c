// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM requester: CHALLENGE / CHALLENGE_AUTH
 *
 * CHALLENGE_AUTH is
 *
 *   header | CertChainHash (H) | Nonce (32) | MeasurementSummaryHash (H or 0)
 *   | OpaqueDataLength (2) | OpaqueData | [RequesterContext (8), 1.3+]
 *   | Signature (S)
 *
 * The signature covers M1 = A || B || CHALLENGE || CHALLENGE_AUTH up to the
 * signature.  The summary hash is kept and checked against the blocks of
 * GET_MEASUREMENTS later.
 */

#include <linux/unaligned.h>

#include "spdm.h"

int spdm_challenge(struct spdm_state *spdm)
{
	struct spdm_challenge *req = (void *)spdm->req;
	const struct spdm_header *rsp = (const void *)spdm->rsp;
	size_t hlen = spdm->hash_len, ctx_len = 0, req_sz, fixed, summary_len;
	size_t opaque_len, sig_off;
	u8 slot = spdm->cfg.slot, type = spdm->cfg.summary_hash_type;
	struct spdm_evidence *ev = &spdm->ev;
	u8 digest[SPDM_MAX_HASH_SIZE];
	const u8 *p = spdm->rsp + sizeof(*rsp);
	struct spdm_hash h;
	ssize_t len;
	int rc;

	if (!(spdm->rsp_caps & SPDM_CAP_MEAS))
		type = SPDM_SUMMARY_HASH_NONE;
	if (spdm->version >= SPDM_VER_13)
		ctx_len = SPDM_REQ_CONTEXT_SIZE;
	summary_len = type == SPDM_SUMMARY_HASH_NONE ? 0 : hlen;

	memset(req, 0, sizeof(*req));
	req->hdr = (struct spdm_header){ .version = spdm->version,
					 .code = SPDM_CHALLENGE,
					 .param1 = slot, .param2 = type };
	rc = spdm_get_nonce(spdm, req->nonce);
	if (rc)
		return rc;
	req_sz = sizeof(req->hdr) + SPDM_NONCE_SIZE + ctx_len;

	fixed = sizeof(*rsp) + hlen + SPDM_NONCE_SIZE + summary_len + 2;
	len = spdm_exchange(spdm, req_sz, SPDM_RSP_CODE(SPDM_CHALLENGE), fixed);
	if (len < 0)
		return len;

	opaque_len = get_unaligned_le16(p + hlen + SPDM_NONCE_SIZE + summary_len);
	sig_off = fixed + opaque_len + ctx_len;
	if ((rsp->param1 & 0xf) != slot || opaque_len > SPDM_MAX_OPAQUE ||
	    len < sig_off + spdm->sig_len) {
		spdm_err(spdm, "CHALLENGE_AUTH: slot %u opaque %zu in %zd bytes\n",
			 rsp->param1 & 0xf, opaque_len, len);
		return -EPROTO;
	}
	if (ctx_len && memcmp(spdm->rsp + fixed + opaque_len, req->context,
			      ctx_len))
		return -EPROTO;

	/*
	 * Kept before it is checked: a failed authentication publishes the
	 * exchange that failed (spdm_failed_evidence()).
	 */
	rc = spdm_buf_set(&spdm->chal_req, req, req_sz);
	if (rc)
		return rc;
	rc = spdm_buf_set(&spdm->chal_rsp, rsp, sig_off + spdm->sig_len);
	if (rc)
		return rc;
	memcpy(ev->req_nonce, req->nonce, SPDM_NONCE_SIZE);
	memcpy(ev->rsp_nonce, p + hlen, SPDM_NONCE_SIZE);
	ev->summary_hash_type = type;
	ev->challenge_sig = (struct spdm_blob){
		.data = spdm->chal_rsp.data + sig_off, .len = spdm->sig_len };

	spdm_hash(spdm->base_hash, spdm->chain[slot].data,
		  spdm->chain[slot].len, digest);
	if (memcmp(p, digest, hlen)) {
		spdm_err(spdm, "CHALLENGE_AUTH: CertChainHash mismatch\n");
		return -EBADMSG;
	}

	spdm_hash_init(&h, spdm->base_hash);
	spdm_hash_update(&h, spdm->vca.data, spdm->vca.len);
	spdm_hash_update(&h, spdm->b.data, spdm->b.len);
	spdm_hash_update(&h, req, req_sz);
	spdm_hash_update(&h, rsp, sig_off);
	rc = spdm_verify_signature(spdm, &h, SPDM_CTX_CHALLENGE_AUTH,
				   spdm->rsp + sig_off);
	if (rc)
		return rc;

	memcpy(spdm->summary_hash, p + hlen + SPDM_NONCE_SIZE, summary_len);
	return 0;
}

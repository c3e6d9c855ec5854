// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM requester: version, capabilities and algorithm negotiation
 *
 * These three exchanges form transcript A ("VCA"), which every signature
 * of SPDM 1.2 and later covers.  Each request and the exact response are
 * appended to it.
 */

#include <linux/bitops.h>
#include <linux/unaligned.h>

#include "spdm.h"

#define SPDM_MEAS_SPEC_DMTF	BIT(0)

int spdm_get_version(struct spdm_state *spdm)
{
	struct spdm_header *req = (void *)spdm->req;
	struct spdm_version_rsp *rsp = (void *)spdm->rsp;
	size_t rsp_sz;
	ssize_t len;
	unsigned int i;
	u8 best = 0;
	int rc;

	/* GET_VERSION always goes out as version 1.0 */
	*req = (struct spdm_header){ .version = SPDM_VER_10,
				     .code = SPDM_GET_VERSION };
	len = spdm_exchange(spdm, sizeof(*req), SPDM_RSP_CODE(SPDM_GET_VERSION),
			    sizeof(*rsp));
	if (len < 0)
		return len;

	rsp_sz = struct_size(rsp, entries, rsp->count);
	if (!rsp->count || len < rsp_sz) {
		spdm_err(spdm, "VERSION: %u entries in %zd bytes\n",
			 rsp->count, len);
		return -EPROTO;
	}

	for (i = 0; i < rsp->count; i++) {
		/* Major in bits 15:12, minor in 11:8: the SPDMVersion byte */
		u8 ver = get_unaligned_le16(&rsp->entries[i]) >> 8;

		if (ver >= SPDM_VER_10 && ver <= spdm->cfg.max_version &&
		    ver > best)
			best = ver;
	}
	if (!best) {
		spdm_err(spdm, "no common version\n");
		return -EPROTONOSUPPORT;
	}
	spdm->version = best;

	rc = spdm_buf_append(&spdm->vca, req, sizeof(*req));
	if (rc)
		return rc;
	return spdm_buf_append(&spdm->vca, rsp, rsp_sz);
}

int spdm_get_capabilities(struct spdm_state *spdm)
{
	struct spdm_caps *req = (void *)spdm->req;
	struct spdm_caps *rsp = (void *)spdm->rsp;
	u32 dts, max_msg, req_caps;
	size_t req_sz, rsp_sz;
	ssize_t len;
	int rc;

	/*
	 * CHUNK_CAP is 1.2+.  We can take large responses whenever a
	 * message may be larger than a transfer: say so.
	 */
	req_caps = spdm->cfg.req_caps & ~SPDM_CAP_CHUNK;
	if (spdm->version >= SPDM_VER_12 &&
	    (spdm->cfg.req_caps & SPDM_CAP_CHUNK ||
	     spdm->cfg.max_spdm_msg_size > spdm->cfg.data_transfer_size))
		req_caps |= SPDM_CAP_CHUNK;

	memset(req, 0, sizeof(*req));
	req->hdr.version = spdm->version;
	req->hdr.code = SPDM_GET_CAPABILITIES;
	if (spdm->version == SPDM_VER_10) {
		req_sz = SPDM_CAPS_SIZE_10;
		rsp_sz = SPDM_CAPS_SIZE_11;
	} else if (spdm->version == SPDM_VER_11) {
		req->flags = cpu_to_le32(req_caps);
		req_sz = SPDM_CAPS_SIZE_11;
		rsp_sz = SPDM_CAPS_SIZE_11;
	} else {
		req->flags = cpu_to_le32(req_caps);
		req->data_transfer_size =
			cpu_to_le32(spdm->cfg.data_transfer_size);
		req->max_spdm_msg_size =
			cpu_to_le32(spdm->cfg.max_spdm_msg_size);
		req_sz = SPDM_CAPS_SIZE_12;
		rsp_sz = SPDM_CAPS_SIZE_12;
	}

	len = spdm_exchange(spdm, req_sz, SPDM_RSP_CODE(SPDM_GET_CAPABILITIES),
			    rsp_sz);
	if (len < 0)
		return len;

	spdm->rsp_caps = le32_to_cpu(rsp->flags);
	spdm->rsp_transfer_size = spdm->cfg.data_transfer_size;
	if (spdm->version >= SPDM_VER_12) {
		dts = le32_to_cpu(rsp->data_transfer_size);
		max_msg = le32_to_cpu(rsp->max_spdm_msg_size);
		if (dts < SPDM_MIN_TRANSFER_SIZE || max_msg < dts) {
			spdm_err(spdm, "CAPABILITIES: transfer size %u, max %u\n",
				 dts, max_msg);
			return -EPROTO;
		}
		spdm->rsp_transfer_size = min(dts, spdm->cfg.data_transfer_size);
		spdm->rsp_dts = dts;
		spdm->rsp_max_msg = max_msg;
		spdm->chunking = req_caps & spdm->rsp_caps & SPDM_CAP_CHUNK;
	}

	if ((spdm->rsp_caps & SPDM_CAP_MEAS) == SPDM_CAP_MEAS) {
		spdm_err(spdm, "CAPABILITIES: reserved MEAS_CAP\n");
		return -EPROTO;
	}
	/*
	 * The leaf key must sign something with our nonce: CHALLENGE_AUTH,
	 * or signed MEASUREMENTS for a responder without CHAL_CAP.
	 */
	if (!(spdm->rsp_caps & SPDM_CAP_CERT) ||
	    (!(spdm->rsp_caps & SPDM_CAP_CHAL) &&
	     (spdm->rsp_caps & SPDM_CAP_MEAS) != SPDM_CAP_MEAS_SIG)) {
		spdm_err(spdm, "responder cannot be authenticated (caps %#x)\n",
			 spdm->rsp_caps);
		return -EOPNOTSUPP;
	}

	rc = spdm_buf_append(&spdm->vca, req, req_sz);
	if (rc)
		return rc;
	return spdm_buf_append(&spdm->vca, rsp, rsp_sz);
}

/* Exactly one bit of @sel, and one we offered */
static bool spdm_one_of(u32 sel, u32 offered)
{
	return hweight32(sel) == 1 && (sel & offered);
}

/* AlgStructs follow the fixed part; only their bounds matter here */
static int spdm_check_alg_structs(const u8 *p, size_t off, size_t end,
				  unsigned int count)
{
	while (count--) {
		size_t sz;

		if (end - off < 2)
			return -EPROTO;
		/* AlgCount: bits 7:4 fixed bytes, bits 3:0 external entries */
		sz = 2 + (p[off + 1] >> 4) + 4 * (p[off + 1] & 0xf);
		if (end - off < sz)
			return -EPROTO;
		off += sz;
	}
	return 0;
}

int spdm_negotiate_algorithms(struct spdm_state *spdm)
{
	struct spdm_negotiate_algs *req = (void *)spdm->req;
	struct spdm_algs_rsp *rsp = (void *)spdm->rsp;
	const struct spdm_config *cfg = &spdm->cfg;
	unsigned int i, n = 0;
	size_t req_sz, rsp_sz;
	bool meas;
	ssize_t len;
	int rc;

	if (spdm->version >= SPDM_VER_11)
		n = cfg->num_alg_structs;
	req_sz = sizeof(*req) + 4 * n;

	memset(req, 0, req_sz);
	req->hdr.version = spdm->version;
	req->hdr.code = SPDM_NEGOTIATE_ALGORITHMS;
	req->hdr.param1 = n;
	req->length = cpu_to_le16(req_sz);
	req->meas_spec = SPDM_MEAS_SPEC_DMTF;
	if (spdm->version >= SPDM_VER_12)
		req->other_params = cfg->other_params;
	req->base_asym = cpu_to_le32(cfg->base_asym);
	req->base_hash = cpu_to_le32(cfg->base_hash);
	for (i = 0; i < n; i++) {
		u8 *as = &req->alg_structs[4 * i];

		as[0] = cfg->alg_structs[i].type;
		as[1] = 2 << 4;		/* 2 bytes of fixed algorithms */
		put_unaligned_le16(cfg->alg_structs[i].algs, &as[2]);
	}

	len = spdm_exchange(spdm, req_sz,
			    SPDM_RSP_CODE(SPDM_NEGOTIATE_ALGORITHMS),
			    sizeof(*rsp));
	if (len < 0)
		return len;

	rsp_sz = le16_to_cpu(rsp->length);
	if (rsp_sz < sizeof(*rsp) || rsp_sz > len) {
		spdm_err(spdm, "ALGORITHMS: length %zu in %zd bytes\n",
			 rsp_sz, len);
		return -EPROTO;
	}
	/* No extended algorithms were offered, none may be selected */
	if (rsp->ext_asym_count || rsp->ext_hash_count)
		return -EPROTO;
	if (spdm->version >= SPDM_VER_11 &&
	    spdm_check_alg_structs(spdm->rsp, sizeof(*rsp), rsp_sz,
				   rsp->hdr.param1))
		return -EPROTO;

	spdm->base_asym = le32_to_cpu(rsp->base_asym);
	spdm->base_hash = le32_to_cpu(rsp->base_hash);
	spdm->meas_hash = le32_to_cpu(rsp->meas_hash);
	spdm->meas_spec = rsp->meas_spec;
	spdm->other_params = rsp->other_params;
	if (!spdm_one_of(spdm->base_asym, cfg->base_asym) ||
	    !spdm_one_of(spdm->base_hash, cfg->base_hash)) {
		spdm_err(spdm, "ALGORITHMS: asym %#x hash %#x not offered\n",
			 spdm->base_asym, spdm->base_hash);
		return -EPROTO;
	}

	meas = spdm->rsp_caps & SPDM_CAP_MEAS;
	if (meas && (!spdm_one_of(spdm->meas_hash, GENMASK(3, 0)) ||
		     spdm->meas_spec != SPDM_MEAS_SPEC_DMTF)) {
		spdm_err(spdm, "ALGORITHMS: measurement hash %#x spec %#x\n",
			 spdm->meas_hash, spdm->meas_spec);
		return -EPROTO;
	}

	spdm->hash_len = spdm_hash_size(spdm->base_hash);
	spdm->sig_len = spdm_sig_size(spdm->base_asym);

	rc = spdm_buf_append(&spdm->vca, req, req_sz);
	if (rc)
		return rc;
	return spdm_buf_append(&spdm->vca, rsp, rsp_sz);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM 1.2 responder of the emulated devsec endpoints (DMTF DSP0274 1.2)
 *
 * Answers GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS, GET_DIGESTS,
 * GET_CERTIFICATE, CHALLENGE and GET_MEASUREMENTS, and passes PCI-SIG
 * VENDOR_DEFINED_REQUESTs carrying TDISP to tdisp.c.  One certificate slot
 * (0), RSASSA-3072 signatures over SHA-384 hashes, no sessions.
 *
 * Transcripts, as DSP0274 1.2 defines them for signing:
 *  - VCA: GET_VERSION .. ALGORITHMS, restarted by GET_VERSION;
 *  - M1 = VCA || GET_DIGESTS .. CERTIFICATE || CHALLENGE || CHALLENGE_AUTH
 *    without its signature, restarted after each CHALLENGE_AUTH;
 *  - L1 = VCA || GET_MEASUREMENTS || MEASUREMENTS ..., restarted after a
 *    signed MEASUREMENTS and by any request other than GET_MEASUREMENTS.
 * Both @m and @l start with a copy of VCA so that each is hashed in one go.
 * Messages enter transcripts at their own length, without the DOE padding
 * the transport may add to requests.
 *
 * The requester is not trusted: every length and field is checked before
 * use, and a malformed request gets an SPDM ERROR, never a larger read.
 */

#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "devsec_rsp.h"

#define SPDM_VER_10	0x10
#define SPDM_VER_12	0x12

/* Fixed message sizes (DSP0274 1.2) */
#define GET_VERSION_LEN		4
#define GET_CAPS_LEN		20
#define NEG_ALGS_MIN_LEN	32
#define NEG_ALGS_MAX_LEN	128
#define ALGS_LEN		36
#define GET_DIGESTS_LEN		4
#define GET_CERT_LEN		8
#define CERT_HDR_LEN		8
#define CHALLENGE_LEN		(4 + DEVSEC_NONCE_SIZE)
#define GET_MEAS_LEN		4
#define GET_MEAS_SIG_LEN	(4 + DEVSEC_NONCE_SIZE + 1)
#define VENDOR_HDR_LEN		4

/* Smallest DataTransferSize a requester may announce */
#define SPDM_MIN_TRANSFER_SIZE	42

/* Time the responder may take for a signature: 2^20 us, about 1 s */
#define DEVSEC_CT_EXPONENT	20

#define SPDM_SIGN_PREFIX	"dmtf-spdm-v1.2.*"
#define SPDM_SIGN_CTX_LEN	36
#define SPDM_SIGN_HDR_LEN	(4 * 16 + SPDM_SIGN_CTX_LEN)

/* Measurement block value types (DSP0274 1.2 DMTFSpecMeasurementValueType) */
#define MEAS_TYPE_ROM		0x00
#define MEAS_TYPE_FIRMWARE	0x01
#define MEAS_TYPE_HW_CONFIG	0x02
#define MEAS_TYPE_RAW		0x80

static size_t spdm_error(u8 ver, u8 code, u8 data, u8 *out)
{
	out[0] = ver;
	out[1] = SPDM_ERROR;
	out[2] = code;
	out[3] = data;
	return 4;
}

static void t_append(struct devsec_rsp *rsp, u8 *buf, size_t *len,
		     const u8 *data, size_t n)
{
	if (rsp->overflow || n > DEVSEC_TRANSCRIPT_MAX - *len) {
		rsp->overflow = true;
		return;
	}
	memcpy(buf + *len, data, n);
	*len += n;
}

static void vca_append(struct devsec_rsp *rsp, const u8 *data, size_t n)
{
	if (rsp->overflow || n > DEVSEC_VCA_MAX - rsp->vca_len) {
		rsp->overflow = true;
		return;
	}
	memcpy(rsp->vca + rsp->vca_len, data, n);
	rsp->vca_len += n;
	t_append(rsp, rsp->m, &rsp->m_len, data, n);
	t_append(rsp, rsp->l, &rsp->l_len, data, n);
}

static void m_restart(struct devsec_rsp *rsp)
{
	memcpy(rsp->m, rsp->vca, rsp->vca_len);
	rsp->m_len = rsp->vca_len;
}

static void l_restart(struct devsec_rsp *rsp)
{
	memcpy(rsp->l, rsp->vca, rsp->vca_len);
	rsp->l_len = rsp->vca_len;
}

static void spdm_connection_reset(struct devsec_rsp *rsp)
{
	rsp->state = DEVSEC_SPDM_IDLE;
	rsp->req_transfer_size = 0;
	rsp->meas_spec = 0;
	rsp->algs_ok = false;
	rsp->overflow = false;
	rsp->vca_len = 0;
	rsp->m_len = 0;
	rsp->l_len = 0;
}

/* Largest response the requester accepts (its DataTransferSize) */
static size_t rsp_limit(struct devsec_rsp *rsp)
{
	if (rsp->req_transfer_size && rsp->req_transfer_size < DEVSEC_MAX_MSG)
		return rsp->req_transfer_size;
	return DEVSEC_MAX_MSG;
}

/*
 * DSP0274 1.2 sec 15: the signed message is a 100-byte prefix (the version
 * string four times, then the zero-padded context string) followed by the
 * hash of the transcript; RSASSA hashes that message once more.
 */
static int spdm_sign(struct devsec_rsp *rsp, const char *ctx,
		     const u8 *t, size_t t_len, u8 *sig)
{
	u8 msg[SPDM_SIGN_HDR_LEN + DEVSEC_HASH_SIZE];
	size_t ctx_len = strlen(ctx);
	u8 digest[DEVSEC_HASH_SIZE];
	int i, rc;

	if (rsp->overflow || ctx_len > SPDM_SIGN_CTX_LEN)
		return -1;

	for (i = 0; i < 4; i++)
		memcpy(msg + 16 * i, SPDM_SIGN_PREFIX, 16);
	memset(msg + 64, 0, SPDM_SIGN_CTX_LEN - ctx_len);
	memcpy(msg + SPDM_SIGN_HDR_LEN - ctx_len, ctx, ctx_len);
	rsp->ops->hash(t, t_len, msg + SPDM_SIGN_HDR_LEN);
	rsp->ops->hash(msg, sizeof(msg), digest);

	rc = rsp->ops->sign(rsp->id->key, digest, sig);
	if (rc)
		return rc;

	/* Fault injection: flip bits in the middle of the signature */
	if (rsp->corrupt_sig) {
		rsp->corrupt_sig = false;
		sig[DEVSEC_SIG_SIZE / 2] ^= 0x5a;
	}
	return 0;
}

static size_t meas_block(u8 *p, u8 index, u8 type, const u8 *val, u16 len)
{
	p[0] = index;
	p[1] = SPDM_MEAS_SPEC_DMTF;
	put_unaligned_le16(3 + len, p + 2);
	p[4] = type;
	put_unaligned_le16(len, p + 5);
	memcpy(p + 7, val, len);
	return 7 + len;
}

/* Blocks: 1 immutable ROM digest, 2 firmware digest, 3 raw hardware config */
static void build_measurements(struct devsec_rsp *rsp)
{
	static const u8 rom[] = "devsec immutable ROM";
	u8 fw[sizeof("devsec firmware") + 4] = "devsec firmware";
	u8 digest[DEVSEC_HASH_SIZE];
	u8 cfg[4];
	size_t n = 0;

	rsp->ops->hash(rom, sizeof(rom), digest);
	n += meas_block(rsp->meas + n, 1, MEAS_TYPE_ROM, digest, sizeof(digest));

	put_unaligned_le32(rsp->fw_version, fw + sizeof("devsec firmware"));
	rsp->ops->hash(fw, sizeof(fw), digest);
	n += meas_block(rsp->meas + n, 2, MEAS_TYPE_FIRMWARE, digest,
			sizeof(digest));

	put_unaligned_le32(rsp->function_id, cfg);
	n += meas_block(rsp->meas + n, 3, MEAS_TYPE_RAW | MEAS_TYPE_HW_CONFIG,
			cfg, sizeof(cfg));
	rsp->meas_len = n;
}

/* Find block @index in rsp->meas; returns its offset and sets @len */
static int find_meas_block(struct devsec_rsp *rsp, u8 index, size_t *len)
{
	size_t off = 0;

	while (off + 4 <= rsp->meas_len) {
		size_t blen = 4 + get_unaligned_le16(rsp->meas + off + 2);

		if (rsp->meas[off] == index) {
			*len = blen;
			return off;
		}
		off += blen;
	}
	return -1;
}

static size_t get_version(struct devsec_rsp *rsp, const u8 *req,
			  size_t req_len, u8 *out)
{
	if (req[0] != SPDM_VER_10)
		return spdm_error(SPDM_VER_10, SPDM_ERR_VERSION_MISMATCH, 0,
				  out);

	spdm_connection_reset(rsp);

	out[0] = SPDM_VER_10;
	out[1] = SPDM_VERSION;
	out[2] = 0;
	out[3] = 0;
	out[4] = 0;
	out[5] = 1;				/* VersionNumberEntryCount */
	put_unaligned_le16(SPDM_VER_12 << 8, out + 6);	/* 1.2.0.0 */

	vca_append(rsp, req, GET_VERSION_LEN);
	vca_append(rsp, out, 8);
	rsp->state = DEVSEC_SPDM_AFTER_VERSION;
	return 8;
}

static size_t get_capabilities(struct devsec_rsp *rsp, const u8 *req,
			       size_t req_len, u8 *out)
{
	u32 transfer_size, max_msg;

	if (req_len < GET_CAPS_LEN)
		return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST, 0, out);

	transfer_size = get_unaligned_le32(req + 12);
	max_msg = get_unaligned_le32(req + 16);
	if (transfer_size < SPDM_MIN_TRANSFER_SIZE || max_msg < transfer_size)
		return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST, 0, out);
	rsp->req_transfer_size = transfer_size;

	memset(out, 0, GET_CAPS_LEN);
	out[0] = SPDM_VER_12;
	out[1] = SPDM_CAPABILITIES;
	out[5] = DEVSEC_CT_EXPONENT;
	put_unaligned_le32(SPDM_CAP_CERT | SPDM_CAP_CHAL | SPDM_CAP_MEAS_SIG,
			   out + 8);
	put_unaligned_le32(DEVSEC_MAX_MSG, out + 12);
	put_unaligned_le32(DEVSEC_MAX_MSG, out + 16);

	vca_append(rsp, req, GET_CAPS_LEN);
	vca_append(rsp, out, GET_CAPS_LEN);
	rsp->state = DEVSEC_SPDM_AFTER_CAPS;
	return GET_CAPS_LEN;
}

static size_t negotiate_algorithms(struct devsec_rsp *rsp, const u8 *req,
				   size_t req_len, u8 *out)
{
	u32 asym, hash, off;
	u8 meas_spec, other;
	u16 len;
	int i;

	if (req_len < NEG_ALGS_MIN_LEN)
		goto invalid;
	len = get_unaligned_le16(req + 4);
	if (len < NEG_ALGS_MIN_LEN || len > NEG_ALGS_MAX_LEN || len > req_len)
		goto invalid;

	meas_spec = req[6];
	other = req[7];
	asym = get_unaligned_le32(req + 8);
	hash = get_unaligned_le32(req + 12);

	/* ExtAsym and ExtHash entries, then param1 AlgStructs, fill Length */
	off = NEG_ALGS_MIN_LEN + 4 * (req[28] + req[29]);
	for (i = 0; i < req[2]; i++) {
		if (off + 4 > len || req[off + 1] >> 4 != 2)
			goto invalid;
		off += 4 + 4 * (req[off + 1] & 0xf);
	}
	if (off != len)
		goto invalid;

	rsp->meas_spec = meas_spec & SPDM_MEAS_SPEC_DMTF;
	rsp->algs_ok = (asym & SPDM_ASYM_RSASSA_3072) &&
		       (hash & SPDM_HASH_SHA384);

	memset(out, 0, ALGS_LEN);
	out[0] = SPDM_VER_12;
	out[1] = SPDM_ALGORITHMS;
	put_unaligned_le16(ALGS_LEN, out + 4);
	out[6] = rsp->meas_spec;
	out[7] = other & SPDM_OPAQUE_DATA_FMT1;
	put_unaligned_le32(rsp->meas_spec ? SPDM_MEAS_HASH_SHA384 : 0, out + 8);
	put_unaligned_le32(asym & SPDM_ASYM_RSASSA_3072, out + 12);
	put_unaligned_le32(hash & SPDM_HASH_SHA384, out + 16);

	vca_append(rsp, req, len);
	vca_append(rsp, out, ALGS_LEN);
	m_restart(rsp);
	l_restart(rsp);
	rsp->state = DEVSEC_SPDM_NEGOTIATED;
	return ALGS_LEN;

invalid:
	return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST, 0, out);
}

static size_t get_digests(struct devsec_rsp *rsp, const u8 *req,
			  size_t req_len, u8 *out)
{
	size_t n = 4 + DEVSEC_HASH_SIZE;

	out[0] = SPDM_VER_12;
	out[1] = SPDM_DIGESTS;
	out[2] = 0;
	out[3] = BIT(0);		/* slot mask */
	rsp->ops->hash(rsp->id->chain, rsp->id->chain_len, out + 4);
	if (rsp->slot1) {
		out[3] |= BIT(1);
		rsp->ops->hash(rsp->slot1->chain, rsp->slot1->chain_len,
			       out + n);
		n += DEVSEC_HASH_SIZE;
	}

	t_append(rsp, rsp->m, &rsp->m_len, req, GET_DIGESTS_LEN);
	t_append(rsp, rsp->m, &rsp->m_len, out, n);
	return n;
}

static size_t get_certificate(struct devsec_rsp *rsp, const u8 *req,
			      size_t req_len, u8 *out)
{
	const struct devsec_identity *id;
	size_t chain_len, offset, portion, remainder;
	u8 slot;

	if (req_len < GET_CERT_LEN)
		return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST, 0, out);
	slot = req[2] & 0xf;
	id = slot == 0 ? rsp->id : slot == 1 ? rsp->slot1 : NULL;
	if (!id)
		return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST, 0, out);
	chain_len = id->chain_len;

	offset = get_unaligned_le16(req + 4);
	if (offset >= chain_len)
		return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST, 0, out);

	portion = get_unaligned_le16(req + 6);
	portion = min(portion, chain_len - offset);
	portion = min(portion, rsp_limit(rsp) - CERT_HDR_LEN);
	if (rsp->max_portion)
		portion = min(portion, (size_t)rsp->max_portion);
	remainder = chain_len - offset - portion;

	out[0] = SPDM_VER_12;
	out[1] = SPDM_CERTIFICATE;
	out[2] = slot;
	out[3] = 0;
	put_unaligned_le16(portion, out + 4);
	put_unaligned_le16(remainder, out + 6);
	memcpy(out + CERT_HDR_LEN, id->chain + offset, portion);

	t_append(rsp, rsp->m, &rsp->m_len, req, GET_CERT_LEN);
	t_append(rsp, rsp->m, &rsp->m_len, out, CERT_HDR_LEN + portion);
	return CERT_HDR_LEN + portion;
}

static void meas_summary(struct devsec_rsp *rsp, u8 type, u8 *digest)
{
	size_t len;
	int off;

	/* TCB: the ROM and firmware blocks, which come first */
	if (type == 1) {
		off = find_meas_block(rsp, 3, &len);
		rsp->ops->hash(rsp->meas, off, digest);
	} else {
		rsp->ops->hash(rsp->meas, rsp->meas_len, digest);
	}
}

static size_t challenge(struct devsec_rsp *rsp, const u8 *req,
			size_t req_len, u8 *out)
{
	u8 type;
	size_t n;

	if (req_len < CHALLENGE_LEN || req[2] != 0)
		return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST, 0, out);
	type = req[3];
	if ((type != 0 && type != 1 && type != 0xff) ||
	    (type && !rsp->meas_spec))
		return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST, 0, out);

	out[0] = SPDM_VER_12;
	out[1] = SPDM_CHALLENGE_AUTH;
	out[2] = 0;			/* slot 0 */
	out[3] = BIT(0);		/* slot mask */
	n = 4;
	rsp->ops->hash(rsp->id->chain, rsp->id->chain_len, out + n);
	n += DEVSEC_HASH_SIZE;
	rsp->ops->random(out + n, DEVSEC_NONCE_SIZE);
	n += DEVSEC_NONCE_SIZE;
	if (type) {
		meas_summary(rsp, type, out + n);
		n += DEVSEC_HASH_SIZE;
	}
	put_unaligned_le16(0, out + n);	/* OpaqueDataLength */
	n += 2;

	if (n + DEVSEC_SIG_SIZE > rsp_limit(rsp))
		return spdm_error(SPDM_VER_12, SPDM_ERR_UNSPECIFIED, 0, out);

	t_append(rsp, rsp->m, &rsp->m_len, req, CHALLENGE_LEN);
	t_append(rsp, rsp->m, &rsp->m_len, out, n);
	if (spdm_sign(rsp, "responder-challenge_auth signing", rsp->m,
		      rsp->m_len, out + n)) {
		m_restart(rsp);
		return spdm_error(SPDM_VER_12, SPDM_ERR_UNSPECIFIED, 0, out);
	}
	m_restart(rsp);
	return n + DEVSEC_SIG_SIZE;
}

static size_t get_measurements(struct devsec_rsp *rsp, const u8 *req,
			       size_t req_len, u8 *out)
{
	bool sig = req[2] & BIT(0);
	size_t req_n = sig ? GET_MEAS_SIG_LEN : GET_MEAS_LEN;
	size_t n = 8, rec_len = 0, blen;
	u8 op = req[3], nblocks = 0;
	int off;

	if (!rsp->meas_spec)
		return spdm_error(SPDM_VER_12, SPDM_ERR_UNEXPECTED_REQUEST, 0,
				  out);
	if (req_len < req_n || (sig && (req[36] & 0xf) != 0))
		return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST, 0, out);

	out[0] = SPDM_VER_12;
	out[1] = SPDM_MEASUREMENTS;
	out[2] = 0;
	out[3] = 0;			/* slot 0, content change not reported */
	if (op == 0) {
		out[2] = DEVSEC_MEAS_BLOCKS;
	} else if (op == 0xff) {
		memcpy(out + n, rsp->meas, rsp->meas_len);
		rec_len = rsp->meas_len;
		nblocks = DEVSEC_MEAS_BLOCKS;
	} else {
		off = find_meas_block(rsp, op, &blen);
		if (off < 0)
			return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST,
					  0, out);
		memcpy(out + n, rsp->meas + off, blen);
		rec_len = blen;
		nblocks = 1;
	}
	out[4] = nblocks;
	put_unaligned_le24(rec_len, out + 5);
	n += rec_len;
	rsp->ops->random(out + n, DEVSEC_NONCE_SIZE);
	n += DEVSEC_NONCE_SIZE;
	put_unaligned_le16(0, out + n);	/* OpaqueDataLength */
	n += 2;

	if (n + (sig ? DEVSEC_SIG_SIZE : 0) > rsp_limit(rsp))
		return spdm_error(SPDM_VER_12, SPDM_ERR_UNSPECIFIED, 0, out);

	t_append(rsp, rsp->l, &rsp->l_len, req, req_n);
	t_append(rsp, rsp->l, &rsp->l_len, out, n);
	if (!sig)
		return n;

	if (spdm_sign(rsp, "responder-measurements signing", rsp->l,
		      rsp->l_len, out + n)) {
		l_restart(rsp);
		return spdm_error(SPDM_VER_12, SPDM_ERR_UNSPECIFIED, 0, out);
	}
	l_restart(rsp);
	return n + DEVSEC_SIG_SIZE;
}

/*
 * VENDOR_DEFINED_REQUEST: StandardID, Len, VendorID, ReqLength, payload.
 * Only PCI-SIG (StandardID 3, VendorID 0x0001) with protocol TDISP.
 * Real TDISP runs inside a secure session; this emulation has no
 * sessions and accepts it in the clear once algorithms are negotiated.
 */
static size_t vendor_defined(struct devsec_rsp *rsp, const u8 *req,
			     size_t req_len, u8 *out)
{
	size_t hdr = VENDOR_HDR_LEN + 3, plen, tlen;
	const u8 *payload;

	if (req_len < hdr)
		goto invalid;
	hdr += req[6] + 2;
	if (req_len < hdr)
		goto invalid;
	plen = get_unaligned_le16(req + hdr - 2);
	if (plen > req_len - hdr)
		goto invalid;
	payload = req + hdr;

	if (get_unaligned_le16(req + 4) != SPDM_STANDARD_ID_PCISIG ||
	    req[6] != 2 || get_unaligned_le16(req + 7) != SPDM_PCISIG_VENDOR_ID)
		return spdm_error(SPDM_VER_12, SPDM_ERR_UNSUPPORTED_REQUEST,
				  SPDM_VENDOR_DEFINED_REQUEST, out);
	if (plen < 1 || payload[0] != PCISIG_PROTOCOL_TDISP)
		return spdm_error(SPDM_VER_12, SPDM_ERR_UNSUPPORTED_REQUEST,
				  SPDM_VENDOR_DEFINED_REQUEST, out);

	/* Response header, then protocol ID, then the TDISP response */
	out[0] = SPDM_VER_12;
	out[1] = SPDM_VENDOR_DEFINED_RESPONSE;
	out[2] = 0;
	out[3] = 0;
	put_unaligned_le16(SPDM_STANDARD_ID_PCISIG, out + 4);
	out[6] = 2;
	put_unaligned_le16(SPDM_PCISIG_VENDOR_ID, out + 7);
	out[11] = PCISIG_PROTOCOL_TDISP;
	tlen = devsec_tdisp_handle(rsp, payload + 1, plen - 1, out + 12,
				   rsp_limit(rsp) - 12);
	if (!tlen)
		return spdm_error(SPDM_VER_12, SPDM_ERR_UNSPECIFIED, 0, out);
	put_unaligned_le16(tlen + 1, out + 9);
	return 12 + tlen;

invalid:
	return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST, 0, out);
}

/**
 * devsec_rsp_handle() - answer one SPDM request
 * @rsp: responder
 * @req: the request (may carry transport padding after the message)
 * @req_len: bytes at @req
 * @out: where the response goes
 * @out_size: room at @out, at least DEVSEC_MAX_MSG
 *
 * Return: length of the response at @out (a response or an SPDM ERROR),
 * 0 if @out is too small.
 */
size_t devsec_rsp_handle(struct devsec_rsp *rsp, const u8 *req, size_t req_len,
			 u8 *out, size_t out_size)
{
	u8 code;

	if (out_size < DEVSEC_MAX_MSG)
		return 0;
	if (req_len < 4)
		return spdm_error(SPDM_VER_12, SPDM_ERR_INVALID_REQUEST, 0, out);
	code = req[1];
	rsp->requests++;

	/*
	 * Fault injection: a responder that is always about to be ready
	 * (2^10 us), RESPOND_IF_READY included
	 */
	if (rsp->not_ready) {
		spdm_error(req[0], SPDM_ERR_RESPONSE_NOT_READY, 0, out);
		out[4] = 10;
		out[5] = code == SPDM_RESPOND_IF_READY ? req[2] : code;
		out[6] = 1;
		out[7] = 1;
		return 8;
	}

	/* Fault injection: one ERROR of the chosen code */
	if (rsp->error_code) {
		u8 ver = code == SPDM_GET_VERSION ? SPDM_VER_10 : SPDM_VER_12;
		u8 err = rsp->error_code;

		rsp->error_code = 0;
		spdm_error(ver, err, 0, out);
		if (err != SPDM_ERR_RESPONSE_NOT_READY)
			return 4;
		/* ExtendedErrorData: RDTExponent, RequestCode, Token, RDTM */
		out[4] = DEVSEC_CT_EXPONENT;
		out[5] = code;
		out[6] = 1;
		out[7] = 1;
		return 8;
	}

	if (code != SPDM_GET_MEASUREMENTS && rsp->state == DEVSEC_SPDM_NEGOTIATED)
		l_restart(rsp);

	if (code == SPDM_GET_VERSION)
		return get_version(rsp, req, req_len, out);
	if (rsp->state == DEVSEC_SPDM_IDLE)
		return spdm_error(SPDM_VER_12, SPDM_ERR_UNEXPECTED_REQUEST, 0,
				  out);
	if (req[0] != SPDM_VER_12)
		return spdm_error(SPDM_VER_12, SPDM_ERR_VERSION_MISMATCH, 0,
				  out);

	switch (code) {
	case SPDM_GET_CAPABILITIES:
		if (rsp->state != DEVSEC_SPDM_AFTER_VERSION)
			break;
		return get_capabilities(rsp, req, req_len, out);
	case SPDM_NEGOTIATE_ALGORITHMS:
		if (rsp->state != DEVSEC_SPDM_AFTER_CAPS)
			break;
		return negotiate_algorithms(rsp, req, req_len, out);
	case SPDM_GET_DIGESTS:
	case SPDM_GET_CERTIFICATE:
	case SPDM_CHALLENGE:
	case SPDM_GET_MEASUREMENTS:
	case SPDM_VENDOR_DEFINED_REQUEST:
		if (rsp->state != DEVSEC_SPDM_NEGOTIATED)
			break;
		if (code == SPDM_VENDOR_DEFINED_REQUEST)
			return vendor_defined(rsp, req, req_len, out);
		if (!rsp->algs_ok)
			break;
		if (code == SPDM_GET_DIGESTS)
			return get_digests(rsp, req, req_len, out);
		if (code == SPDM_GET_CERTIFICATE)
			return get_certificate(rsp, req, req_len, out);
		if (code == SPDM_CHALLENGE)
			return challenge(rsp, req, req_len, out);
		return get_measurements(rsp, req, req_len, out);
	default:
		return spdm_error(SPDM_VER_12, SPDM_ERR_UNSUPPORTED_REQUEST,
				  code, out);
	}
	return spdm_error(SPDM_VER_12, SPDM_ERR_UNEXPECTED_REQUEST, 0, out);
}

/**
 * devsec_rsp_reset() - forget everything, as a device does on reset
 * @rsp: responder
 *
 * The SPDM connection and the TDISP state are lost; the identity, the
 * firmware version and armed faults are kept.
 */
void devsec_rsp_reset(struct devsec_rsp *rsp)
{
	spdm_connection_reset(rsp);
	devsec_tdisp_reset(rsp);
}

/**
 * devsec_rsp_set_identity() - present another certificate chain and key
 * @rsp: responder
 * @id: the new identity
 */
void devsec_rsp_set_identity(struct devsec_rsp *rsp,
			     const struct devsec_identity *id)
{
	rsp->id = id;
}

/**
 * devsec_rsp_update_firmware() - change the firmware measurement
 * @rsp: responder
 *
 * Models a firmware update: measurement block 2 changes, and a TDI that is
 * locked or running goes to ERROR as TDISP requires.
 */
void devsec_rsp_update_firmware(struct devsec_rsp *rsp)
{
	rsp->fw_version++;
	build_measurements(rsp);
	if (rsp->tdi_state == DEVSEC_TDI_CONFIG_LOCKED ||
	    rsp->tdi_state == DEVSEC_TDI_RUN)
		rsp->tdi_state = DEVSEC_TDI_ERROR;
}

/**
 * devsec_rsp_init() - set up a responder
 * @rsp: responder, zeroed or not
 * @ops: host services
 * @id: initial identity
 * @function_id: TDISP FUNCTION_ID of the interface (the Requester ID)
 */
void devsec_rsp_init(struct devsec_rsp *rsp, const struct devsec_rsp_ops *ops,
		     const struct devsec_identity *id, u32 function_id)
{
	memset(rsp, 0, sizeof(*rsp));
	rsp->ops = ops;
	rsp->id = id;
	rsp->function_id = function_id;
	rsp->fw_version = 1;
	build_measurements(rsp);
	devsec_rsp_reset(rsp);
}

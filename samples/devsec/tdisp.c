// SPDX-License-Identifier: GPL-2.0
/*
 * TDISP responder of the emulated devsec endpoints (PCIe r6.2 sec 11)
 *
 * One TDI per endpoint (the function itself) with the TDISP state machine:
 *
 *   CONFIG_UNLOCKED --LOCK_INTERFACE--> CONFIG_LOCKED --START_INTERFACE--> RUN
 *   any state --STOP_INTERFACE--> CONFIG_UNLOCKED
 *   CONFIG_LOCKED, RUN --firmware update (fault injection)--> ERROR
 *
 * Requests that are not legal in the current state get TDISP_ERROR
 * INVALID_INTERFACE_STATE and change nothing; a START_INTERFACE with the
 * wrong nonce gets INVALID_NONCE.  GET_DEVICE_INTERFACE_STATE and
 * GET_TDISP_VERSION are legal in every state.
 */

#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "devsec_rsp.h"

#define LOCK_REQ_LEN		(TDISP_HDR_SIZE + 20)
#define REPORT_REQ_LEN		(TDISP_HDR_SIZE + 4)
#define START_REQ_LEN		(TDISP_HDR_SIZE + DEVSEC_NONCE_SIZE)

#define LOCK_FLAGS_SUPPORTED	(TDISP_LOCK_NO_FW_UPDATE | \
				 TDISP_LOCK_SYSTEM_CACHE_LINE | \
				 TDISP_LOCK_MSIX | \
				 TDISP_LOCK_ALL_REQUEST_REDIRECT)

/* DEVICE_INTERFACE_REPORT INTERFACE_INFO bits */
#define REPORT_INFO_NO_FW_UPDATE	BIT(0)
#define REPORT_INFO_DMA_NO_PASID	BIT(1)

#define REPORT_MAX		64

/* Response header: the request's header with the response type */
static size_t tdisp_hdr(const u8 *req, u8 type, u8 *out)
{
	out[0] = TDISP_VERSION_1_0;
	out[1] = type;
	out[2] = 0;
	out[3] = 0;
	memcpy(out + 4, req + 4, TDISP_HDR_SIZE - 4);
	return TDISP_HDR_SIZE;
}

static size_t tdisp_error(const u8 *req, u32 code, u8 *out)
{
	size_t n = tdisp_hdr(req, TDISP_ERROR, out);

	put_unaligned_le32(code, out + n);
	put_unaligned_le32(0, out + n + 4);
	return n + 8;
}

/* Constant time, so that a wrong nonce leaks nothing about the right one */
static bool nonce_equal(const u8 *a, const u8 *b)
{
	u8 diff = 0;
	int i;

	for (i = 0; i < DEVSEC_NONCE_SIZE; i++)
		diff |= a[i] ^ b[i];
	return !diff;
}

static size_t build_report(struct devsec_rsp *rsp, u8 *r)
{
	u16 info = REPORT_INFO_DMA_NO_PASID;

	if (rsp->lock_flags & TDISP_LOCK_NO_FW_UPDATE)
		info |= REPORT_INFO_NO_FW_UPDATE;

	memset(r, 0, 28);
	put_unaligned_le16(info, r);		/* INTERFACE_INFO */
	/* MSI_X_MESSAGE_CONTROL, LNR_CONTROL, TPH_CONTROL: 0 */
	put_unaligned_le32(0, r + 12);		/* MMIO_RANGE_COUNT */
	put_unaligned_le32(8, r + 16);		/* DEVICE_SPECIFIC_INFO_LEN */
	put_unaligned_le32(rsp->fw_version, r + 20);
	put_unaligned_le32(rsp->function_id, r + 24);
	return 28;
}

static size_t lock_interface(struct devsec_rsp *rsp, const u8 *req,
			     size_t req_len, u8 *out)
{
	u16 flags;
	size_t n;

	if (req_len < LOCK_REQ_LEN)
		return tdisp_error(req, TDISP_ERR_INVALID_REQUEST, out);
	flags = get_unaligned_le16(req + TDISP_HDR_SIZE);
	if (flags & ~LOCK_FLAGS_SUPPORTED)
		return tdisp_error(req, TDISP_ERR_INVALID_REQUEST, out);
	if (rsp->tdi_state != DEVSEC_TDI_CONFIG_UNLOCKED)
		return tdisp_error(req, TDISP_ERR_INVALID_INTERFACE_STATE, out);

	rsp->lock_flags = flags;
	rsp->ops->random(rsp->start_nonce, DEVSEC_NONCE_SIZE);
	rsp->tdi_state = DEVSEC_TDI_CONFIG_LOCKED;

	n = tdisp_hdr(req, TDISP_RSP(TDISP_LOCK_INTERFACE), out);
	memcpy(out + n, rsp->start_nonce, DEVSEC_NONCE_SIZE);
	return n + DEVSEC_NONCE_SIZE;
}

static size_t get_report(struct devsec_rsp *rsp, const u8 *req,
			 size_t req_len, u8 *out, size_t out_size)
{
	size_t n, len, offset, portion;
	u8 report[REPORT_MAX];

	if (req_len < REPORT_REQ_LEN)
		return tdisp_error(req, TDISP_ERR_INVALID_REQUEST, out);
	if (rsp->tdi_state != DEVSEC_TDI_CONFIG_LOCKED &&
	    rsp->tdi_state != DEVSEC_TDI_RUN)
		return tdisp_error(req, TDISP_ERR_INVALID_INTERFACE_STATE, out);

	len = build_report(rsp, report);
	offset = get_unaligned_le16(req + TDISP_HDR_SIZE);
	if (offset >= len)
		return tdisp_error(req, TDISP_ERR_INVALID_REQUEST, out);
	portion = get_unaligned_le16(req + TDISP_HDR_SIZE + 2);
	portion = min(portion, len - offset);
	portion = min(portion, out_size - TDISP_HDR_SIZE - 4);

	n = tdisp_hdr(req, TDISP_RSP(TDISP_GET_DEVICE_INTERFACE_REPORT), out);
	put_unaligned_le16(portion, out + n);
	put_unaligned_le16(len - offset - portion, out + n + 2);
	memcpy(out + n + 4, report + offset, portion);
	return n + 4 + portion;
}

static size_t start_interface(struct devsec_rsp *rsp, const u8 *req,
			      size_t req_len, u8 *out)
{
	if (req_len < START_REQ_LEN)
		return tdisp_error(req, TDISP_ERR_INVALID_REQUEST, out);
	if (rsp->tdi_state != DEVSEC_TDI_CONFIG_LOCKED)
		return tdisp_error(req, TDISP_ERR_INVALID_INTERFACE_STATE, out);
	if (!nonce_equal(req + TDISP_HDR_SIZE, rsp->start_nonce))
		return tdisp_error(req, TDISP_ERR_INVALID_NONCE, out);

	/* The nonce is good for one START only */
	memset(rsp->start_nonce, 0, DEVSEC_NONCE_SIZE);
	rsp->tdi_state = DEVSEC_TDI_RUN;
	return tdisp_hdr(req, TDISP_RSP(TDISP_START_INTERFACE), out);
}

/**
 * devsec_tdisp_handle() - answer one TDISP request
 * @rsp: responder
 * @req: the TDISP request (after the PCI-SIG protocol ID)
 * @req_len: bytes at @req
 * @out: where the TDISP response goes
 * @out_size: room at @out
 *
 * Return: length of the response at @out, or 0 if it does not fit.
 */
size_t devsec_tdisp_handle(struct devsec_rsp *rsp, const u8 *req,
			   size_t req_len, u8 *out, size_t out_size)
{
	size_t n;
	u8 type;

	/* Room for the largest response but the report, which checks */
	if (out_size < TDISP_HDR_SIZE + 4 + DEVSEC_NONCE_SIZE)
		return 0;
	if (req_len < TDISP_HDR_SIZE) {
		u8 hdr[TDISP_HDR_SIZE] = { };

		memcpy(hdr, req, req_len);
		return tdisp_error(hdr, TDISP_ERR_INVALID_REQUEST, out);
	}

	type = req[1];
	if (req[0] != TDISP_VERSION_1_0)
		return tdisp_error(req, TDISP_ERR_VERSION_MISMATCH, out);
	if (type != TDISP_GET_VERSION &&
	    get_unaligned_le32(req + 4) != rsp->function_id)
		return tdisp_error(req, TDISP_ERR_INVALID_INTERFACE, out);

	switch (type) {
	case TDISP_GET_VERSION:
		n = tdisp_hdr(req, TDISP_RSP(type), out);
		out[n] = 1;			/* VERSION_NUM_COUNT */
		out[n + 1] = TDISP_VERSION_1_0;
		return n + 2;
	case TDISP_LOCK_INTERFACE:
		return lock_interface(rsp, req, req_len, out);
	case TDISP_GET_DEVICE_INTERFACE_REPORT:
		return get_report(rsp, req, req_len, out, out_size);
	case TDISP_GET_DEVICE_INTERFACE_STATE:
		n = tdisp_hdr(req, TDISP_RSP(type), out);
		out[n] = rsp->tdi_state;
		return n + 1;
	case TDISP_START_INTERFACE:
		return start_interface(rsp, req, req_len, out);
	case TDISP_STOP_INTERFACE:
		devsec_tdisp_reset(rsp);
		return tdisp_hdr(req, TDISP_RSP(type), out);
	default:
		return tdisp_error(req, TDISP_ERR_UNSUPPORTED_REQUEST, out);
	}
}

/**
 * devsec_tdisp_reset() - return the TDI to CONFIG_UNLOCKED
 * @rsp: responder
 */
void devsec_tdisp_reset(struct devsec_rsp *rsp)
{
	rsp->tdi_state = DEVSEC_TDI_CONFIG_UNLOCKED;
	rsp->lock_flags = 0;
	memset(rsp->start_nonce, 0, DEVSEC_NONCE_SIZE);
}

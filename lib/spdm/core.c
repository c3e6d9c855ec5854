// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM requester: session object, message exchange, top-level flow
 *
 * One spdm_state talks to one responder through the caller's transport.
 * spdm_authenticate() runs the whole flow under the session mutex:
 *
 *   GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS   (transcript A)
 *   GET_DIGESTS, GET_CERTIFICATE for each wanted slot      (transcript B)
 *   CHALLENGE                     signed over A || B || C        (M1)
 *   GET_MEASUREMENTS, all blocks  signed over [A ||] L            (L1)
 *
 * Each step appends its request and its exact response to the transcript
 * it belongs to.  ERROR responses are handled here, in one place: Busy is
 * retried a bounded number of times, ResponseNotReady is followed by
 * RESPOND_IF_READY a bounded number of times, and the final response takes
 * the place of the first in the transcript, as DSP0274 requires.  All the
 * waiting these ask for counts against one budget per authentication, so
 * a responder cannot stall its caller for longer by spreading its delays
 * over many exchanges.  So do the transfers, the bytes received and the
 * time taken, the transport's included (spdm_transfer()): whatever a
 * responder answers, one authentication ends within
 * &spdm_config.max_time_ms plus one transfer.
 *
 * Large messages (SPDM 1.2+, both sides with CHUNK_CAP) are handled here
 * too.  A request larger than the responder's DataTransferSize goes out
 * in CHUNK_SEND pieces; a response larger than ours is announced by ERROR
 * LargeResponse and collected with CHUNK_GET.  Only the whole messages
 * enter the transcripts, so the steps above never see chunks.
 */

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/unaligned.h>
#include <keys/x509-parser.h>

#include "spdm.h"

/* No transcript or chain the requester keeps may grow beyond this */
#define SPDM_MAX_BUF		SZ_1M

void spdm_err(const struct spdm_state *spdm, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	/* Device-triggered: rate limited so a device cannot flood the log */
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (spdm->cfg.dev)
		dev_err_ratelimited(spdm->cfg.dev, "SPDM: %pV", &vaf);
	else
		pr_err_ratelimited("SPDM: %pV", &vaf);
	va_end(args);
}

int spdm_buf_append(struct spdm_buf *buf, const void *data, size_t len)
{
	size_t need;
	u8 *p;

	if (check_add_overflow(buf->len, len, &need) || need > SPDM_MAX_BUF)
		return -EMSGSIZE;
	if (need > buf->cap) {
		size_t cap = max3(need, 2 * buf->cap, (size_t)SZ_256);

		cap = min_t(size_t, cap, SPDM_MAX_BUF);
		/* Up to 1 MiB: no high-order page allocation needed */
		p = kvrealloc(buf->data, cap, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		buf->data = p;
		buf->cap = cap;
	}
	memcpy(buf->data + buf->len, data, len);
	buf->len = need;
	return 0;
}

int spdm_buf_set(struct spdm_buf *buf, const void *data, size_t len)
{
	buf->len = 0;
	return spdm_buf_append(buf, data, len);
}

void spdm_buf_free(struct spdm_buf *buf)
{
	kvfree(buf->data);
	*buf = (struct spdm_buf){};
}

int spdm_get_nonce(struct spdm_state *spdm, u8 *nonce)
{
	if (spdm->cfg.get_nonce)
		return spdm->cfg.get_nonce(spdm->cfg.priv, nonce,
					   SPDM_NONCE_SIZE);
	get_random_bytes(nonce, SPDM_NONCE_SIZE);
	return 0;
}

/* Map an ERROR code the device sent to the errno the caller sees */
static int spdm_error_to_errno(u8 code)
{
	switch (code) {
	case SPDM_ERR_BUSY:
		return -EBUSY;
	case SPDM_ERR_RESPONSE_NOT_READY:
		return -ETIMEDOUT;
	case SPDM_ERR_UNSUPPORTED_REQUEST:
		return -EOPNOTSUPP;
	case SPDM_ERR_VERSION_MISMATCH:
		return -EPROTONOSUPPORT;
	case SPDM_ERR_RESET_REQUIRED:
	case SPDM_ERR_REQUEST_RESYNCH:
		return -ECONNRESET;
	case SPDM_ERR_RESPONSE_TOO_LARGE:
	case SPDM_ERR_REQUEST_TOO_LARGE:
	case SPDM_ERR_LARGE_RESPONSE:	/* would need CHUNK_GET */
		return -EMSGSIZE;
	default:
		return -EREMOTEIO;
	}
}

/*
 * Sleep @us for the responder, within the budget of this authentication:
 * whatever it asks for, a device must not be able to stall its caller.
 */
static int spdm_wait(struct spdm_state *spdm, unsigned long us)
{
	u64 budget = (u64)spdm->cfg.max_wait_ms * USEC_PER_MSEC;

	if (spdm->wait_us + us > budget) {
		spdm_err(spdm, "responder asks to wait %lu us after %llu us: over the %u ms limit\n",
			 us, (unsigned long long)spdm->wait_us,
			 spdm->cfg.max_wait_ms);
		return -ETIMEDOUT;
	}
	/* No point in a wait that ends past the deadline */
	if (ktime_after(ktime_add_us(ktime_get(), us), spdm->deadline)) {
		spdm_err(spdm, "responder asks to wait %lu us: past the %u ms limit of one authentication\n",
			 us, spdm->cfg.max_time_ms);
		return -ETIMEDOUT;
	}
	spdm->wait_us += us;
	fsleep(us);
	return 0;
}

/*
 * ResponseNotReady carries RDTExponent, the RequestCode it refers to, a
 * Token and RDTM.  Wait about 2^RDTExponent us (capped, so a device cannot
 * park the requester) and build the RESPOND_IF_READY that collects the
 * response.
 */
static int spdm_not_ready(struct spdm_state *spdm, size_t len, u8 req_code,
			  u8 *rif)
{
	const u8 *ext = spdm->rsp + sizeof(struct spdm_header);
	int rc;
	u8 exp;

	if (len < sizeof(struct spdm_header) + 4)
		return -EPROTO;
	if (ext[1] != req_code) {
		spdm_err(spdm, "ResponseNotReady for request %#x, sent %#x\n",
			 ext[1], req_code);
		return -EPROTO;
	}
	exp = min_t(u8, ext[0], SPDM_MAX_RDT_EXPONENT);
	rc = spdm_wait(spdm, 1UL << exp);
	if (rc)
		return rc;

	rif[0] = spdm->req[0];
	rif[1] = SPDM_RESPOND_IF_READY;
	rif[2] = req_code;
	rif[3] = ext[2];
	return 0;
}

/*
 * Every transfer of an authentication goes through here, and so through
 * its budget: the responder decides how many there are (portions, chunks,
 * retries) and how long each takes.
 */
static ssize_t spdm_transfer(struct spdm_state *spdm, const void *msg,
			     size_t msg_sz, void *rsp)
{
	ssize_t len;

	if (spdm->exchanges >= spdm->cfg.max_exchanges) {
		spdm_err(spdm, "responder needs more than %u exchanges\n",
			 spdm->cfg.max_exchanges);
		return -ETIMEDOUT;
	}
	if (ktime_after(ktime_get(), spdm->deadline)) {
		spdm_err(spdm, "authentication takes longer than %u ms, after %u exchanges\n",
			 spdm->cfg.max_time_ms, spdm->exchanges);
		return -ETIMEDOUT;
	}
	spdm->exchanges++;

	len = spdm->cfg.transport(spdm->cfg.priv, msg, msg_sz, rsp,
				  spdm->cfg.data_transfer_size);
	if (len > (ssize_t)spdm->cfg.data_transfer_size)
		return -EMSGSIZE;
	if (len > 0) {
		spdm->rx_bytes += len;
		if (spdm->rx_bytes > spdm->cfg.max_rx_bytes) {
			spdm_err(spdm, "responder sends more than %u bytes\n",
				 spdm->cfg.max_rx_bytes);
			return -EMSGSIZE;
		}
	}
	return len;
}

/*
 * Send the request @msg in CHUNK_SEND pieces that fit the responder's
 * DataTransferSize.  The responder acknowledges each; the last
 * acknowledgment (or one flagged EarlyErrorDetected) carries the
 * response, which is moved to the start of @spdm->rsp.
 */
static ssize_t spdm_chunk_send(struct spdm_state *spdm, const u8 *msg,
			       size_t msg_sz)
{
	struct spdm_chunk_hdr *c = (void *)spdm->chunk_req;
	const struct spdm_chunk_get *ack = (const void *)spdm->rsp;
	u8 handle = ++spdm->chunk_handle;
	size_t off = 0, hdr, n;
	ssize_t len;
	bool last;
	u16 seq;

	if (msg_sz > spdm->rsp_max_msg)
		return -EMSGSIZE;

	/*
	 * >= 26 bytes per chunk (DataTransferSize >= 42): a few chunks.  A
	 * chunk with its header is at most the responder's DataTransferSize,
	 * which is less than @msg_sz: it fits in @spdm->chunk_req.
	 */
	for (seq = 0; ; seq++) {
		hdr = sizeof(*c) + (seq ? 0 : SPDM_CHUNK_LARGE_SIZE);
		n = min(msg_sz - off, spdm->rsp_dts - hdr);
		last = off + n == msg_sz;
		*c = (struct spdm_chunk_hdr){
			.hdr.version = msg[0],
			.hdr.code = SPDM_CHUNK_SEND,
			.hdr.param1 = last ? SPDM_CHUNK_LAST : 0,
			.hdr.param2 = handle,
			.seq = cpu_to_le16(seq),
			.chunk_size = cpu_to_le32(n),
		};
		if (!seq)
			put_unaligned_le32(msg_sz, c + 1);
		memcpy(spdm->chunk_req + hdr, msg + off, n);

		len = spdm_transfer(spdm, c, hdr + n, spdm->rsp);
		if (len < 0)
			return len;
		if (len < sizeof(ack->hdr) || ack->hdr.version != msg[0])
			return -EPROTO;
		/* An ERROR instead of an acknowledgment ends the request */
		if (ack->hdr.code == SPDM_ERROR)
			return len;
		if (ack->hdr.code != SPDM_RSP_CODE(SPDM_CHUNK_SEND) ||
		    len < sizeof(*ack) || ack->hdr.param2 != handle ||
		    le16_to_cpu(ack->seq) != seq) {
			spdm_err(spdm, "CHUNK_SEND_ACK %#x for chunk %u: handle %u seq %u\n",
				 ack->hdr.code, seq, ack->hdr.param2,
				 len < sizeof(*ack) ? 0 : le16_to_cpu(ack->seq));
			return -EPROTO;
		}

		off += n;
		if (last || ack->hdr.param1 & SPDM_CHUNK_EARLY_ERROR) {
			len -= sizeof(*ack);
			memmove(spdm->rsp, spdm->rsp + sizeof(*ack), len);
			/* An early error is an ERROR, not a response */
			if (!last && (len < sizeof(ack->hdr) ||
				      ack->hdr.code != SPDM_ERROR))
				return -EPROTO;
			return len;
		}
	}
}

/*
 * Collect a large response announced by ERROR LargeResponse (@err_len
 * bytes in @spdm->rsp, Handle in its extended data) with CHUNK_GET, and
 * reassemble it in @spdm->rsp.  Every chunk but the last must fill the
 * smaller of both DataTransferSizes, as a responder sends them: that
 * bounds the number of exchanges a responder can make us do to the size
 * of the message.
 */
static ssize_t spdm_chunk_get(struct spdm_state *spdm, u8 version,
			      size_t err_len)
{
	const struct spdm_chunk_hdr *c = (const void *)spdm->chunk;
	u32 dts = spdm->cfg.data_transfer_size;
	u32 fill = min(dts, spdm->rsp_dts);
	size_t total = 0, off = 0, hdr, n;
	struct spdm_chunk_get req;
	ssize_t len;
	u8 handle;
	bool last;
	u16 seq;

	if (err_len < sizeof(struct spdm_header) + 1)
		return -EPROTO;
	handle = spdm->rsp[sizeof(struct spdm_header)];

	for (seq = 0; ; seq++) {
		req = (struct spdm_chunk_get){
			.hdr.version = version,
			.hdr.code = SPDM_CHUNK_GET,
			.hdr.param2 = handle,
			.seq = cpu_to_le16(seq),
		};
		len = spdm_transfer(spdm, &req, sizeof(req), spdm->chunk);
		if (len < 0)
			return len;
		if (len < sizeof(c->hdr) || c->hdr.version != version)
			return -EPROTO;
		if (c->hdr.code == SPDM_ERROR) {
			spdm->last_error = c->hdr.param1;
			spdm_err(spdm, "CHUNK_GET %u: ERROR %#x\n", seq,
				 c->hdr.param1);
			return -EPROTO;
		}

		hdr = sizeof(*c) + (seq ? 0 : SPDM_CHUNK_LARGE_SIZE);
		if (c->hdr.code != SPDM_RSP_CODE(SPDM_CHUNK_GET) || len < hdr ||
		    c->hdr.param2 != handle || le16_to_cpu(c->seq) != seq)
			goto bad;
		if (!seq) {
			/* A message that fits in one transfer needs no chunks */
			total = get_unaligned_le32(c + 1);
			if (total <= dts || total > spdm->cfg.max_spdm_msg_size)
				goto bad;
		}
		n = le32_to_cpu(c->chunk_size);
		last = c->hdr.param1 & SPDM_CHUNK_LAST;
		if (n > len - hdr || n > total - off ||
		    last != (off + n == total) || (!last && hdr + n != fill))
			goto bad;

		memcpy(spdm->rsp + off, spdm->chunk + hdr, n);
		off += n;
		if (last)
			return total;
	}

bad:
	spdm_err(spdm, "CHUNK_RESPONSE %u: code %#x handle %u, %zu of %zu bytes\n",
		 seq, c->hdr.code, c->hdr.param2, off, total);
	return -EPROTO;
}

/* Send a request, in chunks if it is too large for the responder */
static ssize_t spdm_send_recv(struct spdm_state *spdm, const u8 *msg,
			      size_t msg_sz)
{
	const struct spdm_header *rsp = (const void *)spdm->rsp;
	ssize_t len;

	if (spdm->chunking && msg_sz > spdm->rsp_dts)
		len = spdm_chunk_send(spdm, msg, msg_sz);
	else
		len = spdm_transfer(spdm, msg, msg_sz, spdm->rsp);
	if (len < 0)
		return len;

	if (spdm->chunking && len >= sizeof(*rsp) && rsp->version == msg[0] &&
	    rsp->code == SPDM_ERROR &&
	    rsp->param1 == SPDM_ERR_LARGE_RESPONSE)
		return spdm_chunk_get(spdm, msg[0], len);
	return len;
}

/**
 * spdm_exchange() - send the request in @spdm->req, receive a response
 * @spdm: session
 * @req_sz: size of the request
 * @rsp_code: response code expected
 * @min_rsp: smallest acceptable response (the fixed part of its layout)
 *
 * Return: size of the response in @spdm->rsp, or a negative errno.  The
 * response carries the request's version and @rsp_code.
 */
ssize_t spdm_exchange(struct spdm_state *spdm, size_t req_sz, u8 rsp_code,
		      size_t min_rsp)
{
	const struct spdm_header *req = (const void *)spdm->req;
	const struct spdm_header *rsp = (const void *)spdm->rsp;
	unsigned int busy = 0, not_ready = 0;
	const u8 *msg = spdm->req;
	size_t msg_sz = req_sz;
	u8 rif[sizeof(struct spdm_header)];
	ssize_t len;
	int rc;

	for (;;) {
		len = spdm_send_recv(spdm, msg, msg_sz);
		if (len < 0)
			return len;
		if (len < sizeof(*rsp))
			return -EPROTO;
		if (rsp->version != req->version) {
			spdm_err(spdm, "response version %#x, expected %#x\n",
				 rsp->version, req->version);
			return -EPROTO;
		}
		if (rsp->code == rsp_code)
			break;
		if (rsp->code != SPDM_ERROR) {
			spdm_err(spdm, "response code %#x to request %#x\n",
				 rsp->code, req->code);
			return -EPROTO;
		}

		spdm->last_error = rsp->param1;
		if (rsp->param1 == SPDM_ERR_BUSY &&
		    busy++ < SPDM_BUSY_RETRIES) {
			rc = spdm_wait(spdm, USEC_PER_MSEC << busy);
			if (rc)
				return rc;
			msg = spdm->req;
			msg_sz = req_sz;
			continue;
		}
		if (rsp->param1 == SPDM_ERR_RESPONSE_NOT_READY &&
		    not_ready++ < SPDM_NOT_READY_RETRIES) {
			rc = spdm_not_ready(spdm, len, req->code, rif);
			if (rc)
				return rc;
			msg = rif;
			msg_sz = sizeof(rif);
			continue;
		}
		if (rsp->param1 == SPDM_ERR_BUSY)
			spdm_err(spdm, "request %#x: still Busy after %u retries\n",
				 req->code, SPDM_BUSY_RETRIES);
		else if (rsp->param1 == SPDM_ERR_RESPONSE_NOT_READY)
			spdm_err(spdm, "request %#x: not ready after %u RESPOND_IF_READY\n",
				 req->code, SPDM_NOT_READY_RETRIES);
		else
			spdm_err(spdm, "request %#x: ERROR %#x data %#x\n",
				 req->code, rsp->param1, rsp->param2);
		return spdm_error_to_errno(rsp->param1);
	}

	if (len < min_rsp) {
		spdm_err(spdm, "response %#x truncated: %zd < %zu bytes\n",
			 rsp_code, len, min_rsp);
		return -EPROTO;
	}
	return len;
}

static void spdm_reset(struct spdm_state *spdm)
{
	spdm->valid = false;
	spdm->fetched = 0;
	spdm->last_error = 0;
	spdm->version = 0;
	/* What the last attempt negotiated is not this one's */
	spdm->rsp_caps = 0;
	spdm->base_asym = 0;
	spdm->base_hash = 0;
	spdm->meas_hash = 0;
	spdm->meas_spec = 0;
	spdm->other_params = 0;
	spdm->hash_len = 0;
	spdm->sig_len = 0;
	spdm->chunking = false;
	spdm->wait_us = 0;
	spdm->exchanges = 0;
	spdm->rx_bytes = 0;
	spdm->deadline = ktime_add_ms(ktime_get(), spdm->cfg.max_time_ms);
	spdm->rsp_dts = 0;
	spdm->rsp_max_msg = 0;
	spdm->slot_mask = 0;
	spdm->vca.len = 0;
	spdm->b.len = 0;
	spdm->chal_req.len = 0;
	spdm->chal_rsp.len = 0;
	spdm->meas_req.len = 0;
	spdm->meas_rsp.len = 0;
	kfree(spdm->blocks);
	spdm->blocks = NULL;
	if (spdm->leaf)
		x509_free_certificate(spdm->leaf);
	spdm->leaf = NULL;
	memset(&spdm->ev, 0, sizeof(spdm->ev));
}

static struct spdm_blob spdm_blob(const struct spdm_buf *buf)
{
	return (struct spdm_blob){ .data = buf->data, .len = buf->len };
}

static void spdm_fill_evidence(struct spdm_state *spdm)
{
	struct spdm_evidence *ev = &spdm->ev;
	unsigned int i;

	ev->version = spdm->version;
	ev->rsp_caps = spdm->rsp_caps;
	ev->base_asym = spdm->base_asym;
	ev->base_hash = spdm->base_hash;
	ev->meas_hash = spdm->meas_hash;
	ev->meas_spec = spdm->meas_spec;
	ev->other_params = spdm->other_params;
	ev->slot_mask = spdm->slot_mask;
	ev->slot = spdm->cfg.slot;
	for (i = 0; i < SPDM_MAX_SLOTS; i++) {
		/* Not a chain kept from an earlier authentication */
		if (spdm->fetched & BIT(i)) {
			ev->cert_chain[i] = spdm_blob(&spdm->chain[i]);
			ev->cert_status[i] = spdm->chain_status[i];
		} else {
			ev->cert_status[i] = -ENODATA;
		}
	}
	ev->vca = spdm_blob(&spdm->vca);
	ev->cert_transcript = spdm_blob(&spdm->b);
	ev->challenge_req = spdm_blob(&spdm->chal_req);
	ev->challenge_rsp = spdm_blob(&spdm->chal_rsp);
	ev->meas_req = spdm_blob(&spdm->meas_req);
	ev->meas_rsp = spdm_blob(&spdm->meas_rsp);
	ev->meas_blocks = spdm->blocks;
	/* nonces, signatures and block count were set by the steps */
}

static int spdm_run(struct spdm_state *spdm)
{
	int rc;

	rc = spdm_get_version(spdm);
	if (rc)
		return rc;
	rc = spdm_get_capabilities(spdm);
	if (rc)
		return rc;
	rc = spdm_negotiate_algorithms(spdm);
	if (rc)
		return rc;
	rc = spdm_get_digests(spdm);
	if (rc)
		return rc;
	rc = spdm_get_certificates(spdm);
	if (rc)
		return rc;
	if (spdm->rsp_caps & SPDM_CAP_CHAL) {
		rc = spdm_challenge(spdm);
		if (rc)
			return rc;
	}
	if ((spdm->rsp_caps & SPDM_CAP_MEAS) == SPDM_CAP_MEAS_SIG) {
		rc = spdm_get_measurements(spdm);
		if (rc)
			return rc;
	}
	return 0;
}

/**
 * spdm_authenticate() - authenticate the responder
 * @spdm: session from spdm_create()
 *
 * Runs the whole exchange (version, capabilities, algorithms, digests,
 * the certificate chain of &spdm_config.slot and those of
 * &spdm_config.slot_mask, challenge if the responder supports it, signed
 * measurements if it supports them; one of the two at least) and checks
 * its self-consistency: the chain in use as a certificate path (see
 * spdm_verify_chain()), root hash, digests, certificate chain hash,
 * measurement summary hash and the signatures by the leaf key.  No trust
 * decision is made.
 *
 * Certificate chains of an earlier successful call are reused without
 * GET_CERTIFICATE when their digest still matches DIGESTS.
 *
 * Context: process context, may sleep.  Takes the session mutex.
 * Return: 0 on success, after which spdm_evidence() describes the exchange;
 * else an errno, after which spdm_failed_evidence() may tell what was
 * received:
 * -EPROTO for a malformed or unexpected response, -EMSGSIZE for a response
 * larger than allowed, -EBADMSG for a hash that does not match,
 * -EKEYREJECTED for a signature or certificate link that does not verify,
 * -EOPNOTSUPP when the responder lacks a required capability or algorithm,
 * -ETIMEDOUT when the responder asks to wait longer than
 * &spdm_config.max_wait_ms in total or needs more exchanges or time than
 * &spdm_config.max_exchanges and &spdm_config.max_time_ms allow (-EMSGSIZE
 * for more bytes than &spdm_config.max_rx_bytes), an errno mapped from an ERROR response
 * (-EBUSY: still Busy after the retries, -ETIMEDOUT: still not ready after
 * the RESPOND_IF_READY retries), or the transport's errno.
 */
int spdm_authenticate(struct spdm_state *spdm)
{
	int rc;

	guard(mutex)(&spdm->lock);
	spdm_reset(spdm);
	rc = spdm_run(spdm);
	/* On failure too: what was received so far explains the failure */
	spdm_fill_evidence(spdm);
	spdm->valid = !rc;
	return rc;
}
EXPORT_SYMBOL_GPL(spdm_authenticate);

/**
 * spdm_evidence() - evidence of the last successful spdm_authenticate()
 * @spdm: session
 *
 * The returned structure and every buffer it points to belong to @spdm.
 * They stay valid until the next spdm_authenticate() or spdm_destroy();
 * the caller serialises those against its use of the evidence.
 *
 * Return: the evidence, or %NULL if the last authentication failed or
 * none was run.
 */
const struct spdm_evidence *spdm_evidence(struct spdm_state *spdm)
{
	guard(mutex)(&spdm->lock);
	return spdm->valid ? &spdm->ev : NULL;
}
EXPORT_SYMBOL_GPL(spdm_evidence);

/**
 * spdm_failed_evidence() - what the last, failed spdm_authenticate() received
 * @spdm: session
 *
 * Lets a caller publish why a device was refused (a certificate that is
 * no CA, a signature that does not verify), since trust is decided by
 * userspace.  The fields of the steps that completed are set as for
 * spdm_evidence().  Those of the step that failed are set once its
 * response parsed: a chain fetched whole and matching its digest, with
 * the validation result in &spdm_evidence.cert_status; CHALLENGE_AUTH and
 * MEASUREMENTS with their signatures, whether or not those verify.  The
 * rest is empty.  Nothing here has been found consistent: it is the
 * device's word only.
 *
 * Lifetime and serialisation are those of spdm_evidence().
 *
 * Return: the partial evidence, or %NULL if the last authentication
 * succeeded, none was run, or it failed before a version was negotiated.
 */
const struct spdm_evidence *spdm_failed_evidence(struct spdm_state *spdm)
{
	guard(mutex)(&spdm->lock);
	/* Failed after VERSION: something to show */
	return !spdm->valid && spdm->vca.len ? &spdm->ev : NULL;
}
EXPORT_SYMBOL_GPL(spdm_failed_evidence);

/**
 * spdm_set_slot_mask() - choose the further slots the next authentication fetches
 * @spdm: session
 * @slot_mask: as &spdm_config.slot_mask; replaces it
 *
 * Fetching every populated slot costs exchanges a connect does not need,
 * so callers ask for other slots only when userspace wants to see them.
 */
void spdm_set_slot_mask(struct spdm_state *spdm, u8 slot_mask)
{
	guard(mutex)(&spdm->lock);
	spdm->cfg.slot_mask = slot_mask;
}
EXPORT_SYMBOL_GPL(spdm_set_slot_mask);

/**
 * spdm_last_error() - last ERROR code the responder returned
 * @spdm: session
 *
 * Return: Param1 of the last ERROR response seen by the last
 * spdm_authenticate(), 0 if there was none.
 */
u8 spdm_last_error(struct spdm_state *spdm)
{
	guard(mutex)(&spdm->lock);
	return spdm->last_error;
}
EXPORT_SYMBOL_GPL(spdm_last_error);

static int spdm_check_config(const struct spdm_config *cfg)
{
	if (!cfg->transport || cfg->slot >= SPDM_MAX_SLOTS)
		return -EINVAL;
	if (cfg->data_transfer_size < SPDM_MIN_TRANSFER_SIZE ||
	    cfg->data_transfer_size > SPDM_MAX_BUF ||
	    cfg->max_spdm_msg_size < cfg->data_transfer_size ||
	    cfg->max_spdm_msg_size > SPDM_MAX_BUF)
		return -EINVAL;
	if (cfg->max_version < SPDM_VER_10 || cfg->max_version > SPDM_VER_13)
		return -EINVAL;
	if (!cfg->base_asym || cfg->base_asym & ~SPDM_ASYM_SUPPORTED ||
	    !cfg->base_hash || cfg->base_hash & ~SPDM_HASH_SUPPORTED)
		return -EINVAL;
	if (cfg->num_alg_structs &&
	    (!cfg->alg_structs || cfg->num_alg_structs > 4))
		return -EINVAL;
	if (cfg->summary_hash_type != SPDM_SUMMARY_HASH_NONE &&
	    cfg->summary_hash_type != SPDM_SUMMARY_HASH_TCB &&
	    cfg->summary_hash_type != SPDM_SUMMARY_HASH_ALL)
		return -EINVAL;
	return 0;
}

/**
 * spdm_create() - create a requester session
 * @cfg: transport and negotiation parameters; copied, zero fields take
 *	the defaults documented in &struct spdm_config
 *
 * Context: process context, may sleep.
 * Return: the session, or an ERR_PTR() (-EINVAL for a bad @cfg, -ENOMEM).
 */
struct spdm_state *spdm_create(const struct spdm_config *cfg)
{
	struct spdm_state *spdm;
	int rc;

	spdm = kzalloc_obj(*spdm);
	if (!spdm)
		return ERR_PTR(-ENOMEM);

	spdm->cfg = *cfg;
	if (!spdm->cfg.data_transfer_size)
		spdm->cfg.data_transfer_size = SPDM_DEFAULT_TRANSFER_SIZE;
	if (!spdm->cfg.max_spdm_msg_size)
		spdm->cfg.max_spdm_msg_size = spdm->cfg.data_transfer_size;
	if (!spdm->cfg.max_version)
		spdm->cfg.max_version = SPDM_VER_13;
	if (!spdm->cfg.base_asym)
		spdm->cfg.base_asym = SPDM_ASYM_SUPPORTED;
	if (!spdm->cfg.base_hash)
		spdm->cfg.base_hash = SPDM_HASH_SUPPORTED;
	if (!spdm->cfg.max_wait_ms)
		spdm->cfg.max_wait_ms = SPDM_DEFAULT_MAX_WAIT_MS;
	if (!spdm->cfg.max_exchanges)
		spdm->cfg.max_exchanges = SPDM_DEFAULT_MAX_EXCHANGES;
	if (!spdm->cfg.max_rx_bytes)
		spdm->cfg.max_rx_bytes = SPDM_DEFAULT_MAX_RX_BYTES;
	if (!spdm->cfg.max_time_ms)
		spdm->cfg.max_time_ms = SPDM_DEFAULT_MAX_TIME_MS;

	rc = spdm_check_config(&spdm->cfg);
	if (rc) {
		kfree(spdm);
		return ERR_PTR(rc);
	}

	spdm->req = kzalloc(SPDM_MAX_REQ, GFP_KERNEL);
	spdm->rsp = kvzalloc(spdm->cfg.max_spdm_msg_size, GFP_KERNEL);
	spdm->chunk = kvzalloc(spdm->cfg.data_transfer_size, GFP_KERNEL);
	if (!spdm->req || !spdm->rsp || !spdm->chunk) {
		kfree(spdm->req);
		kvfree(spdm->rsp);
		kvfree(spdm->chunk);
		kfree(spdm);
		return ERR_PTR(-ENOMEM);
	}
	mutex_init(&spdm->lock);
	return spdm;
}
EXPORT_SYMBOL_GPL(spdm_create);

static void spdm_free_buffers(struct spdm_state *spdm)
{
	unsigned int i;

	spdm_reset(spdm);
	for (i = 0; i < SPDM_MAX_SLOTS; i++)
		spdm_buf_free(&spdm->chain[i]);
	spdm_buf_free(&spdm->vca);
	spdm_buf_free(&spdm->b);
	spdm_buf_free(&spdm->chal_req);
	spdm_buf_free(&spdm->chal_rsp);
	spdm_buf_free(&spdm->meas_req);
	spdm_buf_free(&spdm->meas_rsp);
}

/**
 * spdm_release() - free what the last authentication received
 * @spdm: session
 *
 * Transcripts, copies of messages and cached certificate chains are
 * sized by the device, up to 1 MiB each.  A caller done with a failed
 * authentication (after publishing spdm_failed_evidence(), or not) frees
 * them here rather than keep them for the life of the session; the next
 * authentication then fetches every chain again.  spdm_evidence() and
 * spdm_failed_evidence() return %NULL until then.
 *
 * Context: process context.  Takes the session mutex.
 */
void spdm_release(struct spdm_state *spdm)
{
	guard(mutex)(&spdm->lock);
	spdm_free_buffers(spdm);
}
EXPORT_SYMBOL_GPL(spdm_release);

/**
 * spdm_destroy() - free a session and its evidence
 * @spdm: session from spdm_create()
 */
void spdm_destroy(struct spdm_state *spdm)
{
	spdm_free_buffers(spdm);
	kfree(spdm->req);
	kvfree(spdm->rsp);
	kvfree(spdm->chunk);
	mutex_destroy(&spdm->lock);
	kfree(spdm);
}
EXPORT_SYMBOL_GPL(spdm_destroy);

MODULE_DESCRIPTION("SPDM requester (DMTF DSP0274)");
MODULE_LICENSE("GPL");

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPDM requester: wire format and state shared by lib/spdm/ files
 *
 * Message layouts follow DMTF DSP0274.  Every multi-byte field is little
 * endian.  Responses come from a device and are parsed as hostile input:
 * each parser checks the received size against the fixed part first, then
 * against every length and count the message declares, and computes the
 * message's exact size from those fields (the transport may append
 * padding).
 */

#ifndef _LIB_SPDM_H
#define _LIB_SPDM_H

#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/spdm.h>
#include <crypto/sha2.h>

struct public_key;
struct x509_certificate;

/* Request codes; the response code is the request code with bit 7 clear */
#define SPDM_GET_DIGESTS		0x81
#define SPDM_GET_CERTIFICATE		0x82
#define SPDM_CHALLENGE			0x83
#define SPDM_GET_VERSION		0x84
#define SPDM_GET_MEASUREMENTS		0xe0
#define SPDM_GET_CAPABILITIES		0xe1
#define SPDM_NEGOTIATE_ALGORITHMS	0xe3
#define SPDM_CHUNK_SEND			0x85	/* 1.2+ */
#define SPDM_CHUNK_GET			0x86	/* 1.2+ */
#define SPDM_RESPOND_IF_READY		0xff
#define SPDM_ERROR			0x7f
#define SPDM_RSP_CODE(req)		((req) & 0x7f)

/* ERROR codes (Param1 of an ERROR response) */
#define SPDM_ERR_INVALID_REQUEST	0x01
#define SPDM_ERR_BUSY			0x03
#define SPDM_ERR_UNEXPECTED_REQUEST	0x04
#define SPDM_ERR_UNSPECIFIED		0x05
#define SPDM_ERR_UNSUPPORTED_REQUEST	0x07
#define SPDM_ERR_RESET_REQUIRED		0x0c
#define SPDM_ERR_RESPONSE_TOO_LARGE	0x0d
#define SPDM_ERR_REQUEST_TOO_LARGE	0x0e
#define SPDM_ERR_LARGE_RESPONSE		0x0f
#define SPDM_ERR_VERSION_MISMATCH	0x41
#define SPDM_ERR_RESPONSE_NOT_READY	0x42
#define SPDM_ERR_REQUEST_RESYNCH	0x43

/*
 * Bounded retries: a device must not be able to stall the requester.  The
 * total wait of one authentication is bounded too (spdm_config.max_wait_ms),
 * since the number of exchanges is partly up to the device.
 */
#define SPDM_BUSY_RETRIES		3
#define SPDM_NOT_READY_RETRIES		8
#define SPDM_MAX_RDT_EXPONENT		20	/* 2^20 us, about 1 s */

#define SPDM_MAX_OPAQUE			1024
#define SPDM_REQ_CONTEXT_SIZE		8	/* SPDM 1.3 RequesterContext */
#define SPDM_MAX_CHAIN			0xffff
/*
 * Every CERTIFICATE portion but the last carries at least this much (or
 * all that was asked for, if less): a responder cannot make a chain cost
 * more than SPDM_MAX_CHAIN / SPDM_MIN_CERT_PORTION exchanges.  Real ones
 * send 1 KiB or more.
 */
#define SPDM_MIN_CERT_PORTION		256
#define SPDM_MAX_CHAIN_CERTS		16	/* real chains: 2 to 5 */
#define SPDM_CHAIN_HDR			4	/* Length + Reserved */
#define SPDM_MAX_REQ			256	/* largest request built here */

/* 1.2+ signing context: 4 version strings, padding, context string */
#define SPDM_SIGN_PREFIX_SIZE		100
#define SPDM_SIGN_VERSION_SIZE		16
#define SPDM_CTX_CHALLENGE_AUTH		"responder-challenge_auth signing"
#define SPDM_CTX_MEASUREMENTS		"responder-measurements signing"

struct spdm_header {
	u8 version;
	u8 code;
	u8 param1;
	u8 param2;
} __packed;

struct spdm_version_rsp {
	struct spdm_header hdr;
	u8 reserved;
	u8 count;
	__le16 entries[];
} __packed;

struct spdm_caps {
	struct spdm_header hdr;
	u8 reserved1;
	u8 ct_exponent;
	__le16 reserved2;
	__le32 flags;
	/* 1.2+ */
	__le32 data_transfer_size;
	__le32 max_spdm_msg_size;
} __packed;

#define SPDM_CAPS_SIZE_10		4	/* request, 1.0 */
#define SPDM_CAPS_SIZE_11		12	/* request 1.1, response 1.0/1.1 */
#define SPDM_CAPS_SIZE_12		20

struct spdm_negotiate_algs {
	struct spdm_header hdr;
	__le16 length;
	u8 meas_spec;
	u8 other_params;
	__le32 base_asym;
	__le32 base_hash;
	u8 reserved1[12];
	u8 ext_asym_count;
	u8 ext_hash_count;
	u8 reserved2[2];
	u8 alg_structs[];
} __packed;

struct spdm_algs_rsp {
	struct spdm_header hdr;
	__le16 length;
	u8 meas_spec;
	u8 other_params;
	__le32 meas_hash;
	__le32 base_asym;
	__le32 base_hash;
	u8 reserved1[12];
	u8 ext_asym_count;
	u8 ext_hash_count;
	u8 reserved2[2];
	u8 ext_and_alg_structs[];
} __packed;

struct spdm_get_certificate {
	struct spdm_header hdr;
	__le16 offset;
	__le16 length;
} __packed;

struct spdm_certificate_rsp {
	struct spdm_header hdr;
	__le16 portion_length;
	__le16 remainder_length;
	u8 cert_chain[];
} __packed;

struct spdm_challenge {
	struct spdm_header hdr;
	u8 nonce[SPDM_NONCE_SIZE];
	u8 context[SPDM_REQ_CONTEXT_SIZE];	/* 1.3+ */
} __packed;

struct spdm_get_measurements {
	struct spdm_header hdr;
	u8 nonce[SPDM_NONCE_SIZE];
	u8 slot_id;				/* 1.1+ */
	u8 context[SPDM_REQ_CONTEXT_SIZE];	/* 1.3+ */
} __packed;

struct spdm_measurements_rsp {
	struct spdm_header hdr;
	u8 num_blocks;
	u8 record_length[3];
	u8 record[];
} __packed;

struct spdm_meas_block_hdr {
	u8 index;
	u8 spec;
	__le16 size;
} __packed;

/*
 * Large messages (1.2+): CHUNK_SEND and CHUNK_RESPONSE carry a chunk behind
 * this header; the first chunk (ChunkSeqNo 0) also carries the size of
 * the whole message (LargeMessageSize, 4 bytes) before its chunk.
 */
struct spdm_chunk_hdr {
	struct spdm_header hdr;		/* Param1: attributes, Param2: handle */
	__le16 seq;
	__le16 reserved;
	__le32 chunk_size;
} __packed;

#define SPDM_CHUNK_LAST			BIT(0)	/* ChunkSenderAttributes */
#define SPDM_CHUNK_EARLY_ERROR		BIT(0)	/* ChunkReceiverAttributes */
#define SPDM_CHUNK_LARGE_SIZE		4	/* LargeMessageSize */

/* CHUNK_GET; CHUNK_SEND_ACK has the same layout, then a response */
struct spdm_chunk_get {
	struct spdm_header hdr;		/* Param2: handle */
	__le16 seq;
} __packed;

struct spdm_dmtf_meas_hdr {
	u8 type;
	__le16 size;
} __packed;

/**
 * struct spdm_cert_ext - what chain validation needs that the X.509 parser
 *	does not keep
 * @key_usage: a keyUsage extension is present (its bits are in
 *	&public_key.key_eflags)
 * @unknown_critical: an extension marked critical is not understood
 * @path_len: basicConstraints pathLenConstraint, -1 if absent
 */
struct spdm_cert_ext {
	bool key_usage;
	bool unknown_critical;
	int path_len;
};

/* A growable byte buffer (transcripts, chains, copies of messages) */
struct spdm_buf {
	u8 *data;
	size_t len;
	size_t cap;
};

/* Incremental hash over the negotiated BaseHashAlgo */
struct spdm_hash {
	u32 alg;
	union {
		struct sha256_ctx sha256;
		struct sha384_ctx sha384;
		struct sha512_ctx sha512;
	};
};

/**
 * struct spdm_state - one requester session with one responder
 * @lock: serialises spdm_authenticate() and evidence access
 * @cfg: caller's configuration, defaults filled in
 * @req: request buffer (%SPDM_MAX_REQ bytes)
 * @rsp: response buffer (@cfg.max_spdm_msg_size bytes: a response may be
 *	reassembled from chunks)
 * @chunk: one transfer of a chunked response (@cfg.data_transfer_size)
 * @chunk_req: one transfer of a chunked request
 * @chunk_handle: Handle of the last CHUNK_SEND
 * @last_error: last ERROR code the responder sent, 0 if none
 * @version: negotiated version byte
 * @rsp_caps: responder capability flags
 * @rsp_transfer_size: smaller of both DataTransferSizes (1.2+, else ours)
 * @rsp_dts: responder DataTransferSize (1.2+, 0 before CAPABILITIES)
 * @rsp_max_msg: responder MaxSPDMmsgSize (1.2+)
 * @chunking: both sides have CHUNK_CAP: large messages go in chunks
 * @wait_us: time waited on Busy and ResponseNotReady in this
 *	authentication (bounded by @cfg.max_wait_ms)
 * @exchanges: transfers made in this authentication (bounded by
 *	@cfg.max_exchanges)
 * @rx_bytes: bytes received in this authentication (bounded by
 *	@cfg.max_rx_bytes)
 * @deadline: when this authentication runs out of time (@cfg.max_time_ms)
 * @base_asym: selected signature algorithm
 * @base_hash: selected hash algorithm
 * @meas_hash: selected measurement hash algorithm
 * @meas_spec: selected measurement specification
 * @other_params: selected OtherParams
 * @hash_len: digest size of @base_hash
 * @sig_len: signature size of @base_asym
 * @slot_mask: populated slots from DIGESTS
 * @digests: per-slot digests from DIGESTS
 * @chain: per-slot certificate chains, kept to skip GET_CERTIFICATE when
 *	a later DIGESTS still matches
 * @chain_status: per slot, the result of validating @chain (-ENODATA if
 *	not fetched)
 * @leaf: leaf certificate of @cfg.slot's chain
 * @chain_rule: the path validation rule the last chain checked broke, or
 *	%NULL (a short token; tests compare it)
 * @vca: transcript A
 * @b: transcript B
 * @chal_req: copy of CHALLENGE
 * @chal_rsp: copy of CHALLENGE_AUTH
 * @summary_hash: MeasurementSummaryHash from CHALLENGE_AUTH
 * @meas_req: copy of GET_MEASUREMENTS
 * @meas_rsp: copy of MEASUREMENTS
 * @blocks: parsed measurement blocks
 * @ev: evidence handed to the caller
 * @valid: @ev describes a completed exchange
 */
struct spdm_state {
	struct mutex lock;	/* protects everything below */
	struct spdm_config cfg;
	u8 *req;
	u8 *rsp;
	u8 *chunk;
	u8 chunk_req[SPDM_MAX_REQ];
	u8 chunk_handle;
	u8 last_error;

	u8 version;
	u32 rsp_caps;
	u32 rsp_transfer_size;
	u32 rsp_dts;
	u32 rsp_max_msg;
	bool chunking;
	u64 wait_us;
	u32 exchanges;
	size_t rx_bytes;
	ktime_t deadline;
	u32 base_asym;
	u32 base_hash;
	u32 meas_hash;
	u8 meas_spec;
	u8 other_params;
	size_t hash_len;
	size_t sig_len;

	u8 slot_mask;
	u8 digests[SPDM_MAX_SLOTS][SPDM_MAX_HASH_SIZE];
	struct spdm_buf chain[SPDM_MAX_SLOTS];
	int chain_status[SPDM_MAX_SLOTS];
	struct x509_certificate *leaf;
	const char *chain_rule;

	struct spdm_buf vca;
	struct spdm_buf b;
	struct spdm_buf chal_req;
	struct spdm_buf chal_rsp;
	u8 summary_hash[SPDM_MAX_HASH_SIZE];
	struct spdm_buf meas_req;
	struct spdm_buf meas_rsp;
	struct spdm_meas_block *blocks;

	struct spdm_evidence ev;
	bool valid;
	u8 fetched;
};

/* core.c */
__printf(2, 3) void spdm_err(const struct spdm_state *spdm, const char *fmt,
			     ...);
int spdm_buf_append(struct spdm_buf *buf, const void *data, size_t len);
int spdm_buf_set(struct spdm_buf *buf, const void *data, size_t len);
void spdm_buf_free(struct spdm_buf *buf);
ssize_t spdm_exchange(struct spdm_state *spdm, size_t req_sz, u8 rsp_code,
		      size_t min_rsp);
int spdm_get_nonce(struct spdm_state *spdm, u8 *nonce);

/* negotiate.c */
int spdm_get_version(struct spdm_state *spdm);
int spdm_get_capabilities(struct spdm_state *spdm);
int spdm_negotiate_algorithms(struct spdm_state *spdm);

/* cert.c */
int spdm_get_digests(struct spdm_state *spdm);
int spdm_get_certificates(struct spdm_state *spdm);
int spdm_verify_chain(struct spdm_state *spdm, u8 slot,
		      struct x509_certificate **leaf);

/* x509_ext.c */
int spdm_cert_ext_parse(const struct x509_certificate *cert,
			struct spdm_cert_ext *ext);

/* challenge.c */
int spdm_challenge(struct spdm_state *spdm);

/* measurements.c */
int spdm_get_measurements(struct spdm_state *spdm);

/* verify.c, rsapss.c */
size_t spdm_hash_size(u32 base_hash);
size_t spdm_sig_size(u32 base_asym);
void spdm_hash_init(struct spdm_hash *h, u32 base_hash);
void spdm_hash_update(struct spdm_hash *h, const void *data, size_t len);
void spdm_hash_final(struct spdm_hash *h, u8 *out);
void spdm_hash(u32 base_hash, const void *data, size_t len, u8 *out);
int spdm_rsapss_verify(const struct public_key *pub, u32 base_hash,
		       const u8 *mhash, const u8 *sig, size_t sig_len);
int spdm_verify_signature(struct spdm_state *spdm, struct spdm_hash *h,
			  const char *context, const u8 *sig);

#endif /* _LIB_SPDM_H */

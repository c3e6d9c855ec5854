/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPDM 1.2 + PCIe TDISP responder of the emulated devsec endpoints.
 *
 * The message logic (spdm.c, tdisp.c) only needs fixed-width types,
 * memcpy()/memset() and the unaligned little-endian accessors, and gets
 * hashing, signing and randomness from the caller through
 * struct devsec_rsp_ops, so that a userspace responder (for QEMU's
 * spdm_port) can reuse it with a few shims.  It allocates nothing and
 * takes no locks: the caller serialises calls on one responder.
 *
 * Cryptography is fixed: RSASSA-3072 (PKCS#1 v1.5) with SHA-384, because
 * that is what the kernel can sign with.
 */
#ifndef __DEVSEC_RSP_H__
#define __DEVSEC_RSP_H__

#include <linux/bits.h>
#include <linux/types.h>

#define DEVSEC_HASH_SIZE	48	/* SHA-384 */
#define DEVSEC_SIG_SIZE		384	/* RSA-3072 */
#define DEVSEC_NONCE_SIZE	32

/*
 * Largest SPDM message the responder sends or accepts: its DataTransferSize
 * and MaxSPDMmsgSize (no chunking).
 */
#define DEVSEC_MAX_MSG		4096

/* Room for VCA, and for the B/C or L transcripts (certificate chain etc.) */
#define DEVSEC_VCA_MAX		512
#define DEVSEC_TRANSCRIPT_MAX	16384

/* SPDM request and response codes */
#define SPDM_GET_VERSION		0x84
#define SPDM_VERSION			0x04
#define SPDM_GET_CAPABILITIES		0xe1
#define SPDM_CAPABILITIES		0x61
#define SPDM_NEGOTIATE_ALGORITHMS	0xe3
#define SPDM_ALGORITHMS			0x63
#define SPDM_GET_DIGESTS		0x81
#define SPDM_DIGESTS			0x01
#define SPDM_GET_CERTIFICATE		0x82
#define SPDM_CERTIFICATE		0x02
#define SPDM_CHALLENGE			0x83
#define SPDM_CHALLENGE_AUTH		0x03
#define SPDM_GET_MEASUREMENTS		0xe0
#define SPDM_MEASUREMENTS		0x60
#define SPDM_VENDOR_DEFINED_REQUEST	0xfe
#define SPDM_VENDOR_DEFINED_RESPONSE	0x7e
#define SPDM_RESPOND_IF_READY		0xff
#define SPDM_ERROR			0x7f

/* SPDM ERROR codes (DSP0274 1.2) */
#define SPDM_ERR_INVALID_REQUEST	0x01
#define SPDM_ERR_BUSY			0x03
#define SPDM_ERR_UNEXPECTED_REQUEST	0x04
#define SPDM_ERR_UNSPECIFIED		0x05
#define SPDM_ERR_UNSUPPORTED_REQUEST	0x07
#define SPDM_ERR_VERSION_MISMATCH	0x41
#define SPDM_ERR_RESPONSE_NOT_READY	0x42
#define SPDM_ERR_REQUEST_RESYNCH	0x43

/* CAPABILITIES flags the responder advertises */
#define SPDM_CAP_CERT			BIT(1)
#define SPDM_CAP_CHAL			BIT(2)
#define SPDM_CAP_MEAS_SIG		BIT(4)	/* MEAS_CAP 10b */

/* Algorithm bits */
#define SPDM_MEAS_SPEC_DMTF		BIT(0)
#define SPDM_OPAQUE_DATA_FMT1		BIT(1)
#define SPDM_ASYM_RSASSA_3072		BIT(2)
#define SPDM_HASH_SHA384		BIT(1)
#define SPDM_MEAS_HASH_SHA384		BIT(2)

/* DMTF "Registry or standards body ID" of PCI-SIG, and its vendor ID */
#define SPDM_STANDARD_ID_PCISIG		3
#define SPDM_PCISIG_VENDOR_ID		0x0001
#define PCISIG_PROTOCOL_TDISP		0x01

/* TDISP (PCIe r6.2 sec 11) */
#define TDISP_VERSION_1_0		0x10
#define TDISP_GET_VERSION		0x81
#define TDISP_GET_CAPABILITIES		0x82
#define TDISP_LOCK_INTERFACE		0x83
#define TDISP_GET_DEVICE_INTERFACE_REPORT 0x84
#define TDISP_GET_DEVICE_INTERFACE_STATE 0x85
#define TDISP_START_INTERFACE		0x86
#define TDISP_STOP_INTERFACE		0x87
#define TDISP_RSP(req)			((req) & 0x7f)
#define TDISP_ERROR			0x7f

#define TDISP_ERR_INVALID_REQUEST	0x0001
#define TDISP_ERR_BUSY			0x0003
#define TDISP_ERR_INVALID_INTERFACE_STATE 0x0004
#define TDISP_ERR_UNSPECIFIED		0x0005
#define TDISP_ERR_UNSUPPORTED_REQUEST	0x0007
#define TDISP_ERR_VERSION_MISMATCH	0x0041
#define TDISP_ERR_INVALID_INTERFACE	0x0101
#define TDISP_ERR_INVALID_NONCE		0x0102

/* LOCK_INTERFACE_REQUEST flags */
#define TDISP_LOCK_NO_FW_UPDATE		BIT(0)
#define TDISP_LOCK_SYSTEM_CACHE_LINE	BIT(1)
#define TDISP_LOCK_MSIX			BIT(2)
#define TDISP_LOCK_BIND_P2P		BIT(3)
#define TDISP_LOCK_ALL_REQUEST_REDIRECT	BIT(4)

/* Header of every TDISP message: version, type, reserved, INTERFACE_ID */
#define TDISP_HDR_SIZE			16

enum devsec_tdi_state {
	DEVSEC_TDI_CONFIG_UNLOCKED = 0,
	DEVSEC_TDI_CONFIG_LOCKED = 1,
	DEVSEC_TDI_RUN = 2,
	DEVSEC_TDI_ERROR = 3,
};

/**
 * struct devsec_identity - what a device proves itself with
 * @chain: slot 0 certificate chain as SPDM carries it (length, reserved,
 *	root hash, DER certificates from the root to the leaf)
 * @chain_len: length of @chain
 * @key: the leaf's private key, opaque to the responder, passed to ->sign()
 */
struct devsec_identity {
	const u8 *chain;
	size_t chain_len;
	void *key;
};

/**
 * struct devsec_rsp_ops - services the responder needs from its host
 * @hash: SHA-384 of @len bytes at @data
 * @sign: RSASSA-PKCS1-v1_5 signature with SHA-384 of a message whose
 *	SHA-384 is @digest, with the private key @key; 0 or a negative errno
 * @random: fill @buf with @len random bytes
 */
struct devsec_rsp_ops {
	void (*hash)(const void *data, size_t len, u8 *digest);
	int (*sign)(void *key, const u8 *digest, u8 *sig);
	void (*random)(void *buf, size_t len);
};

enum devsec_spdm_state {
	DEVSEC_SPDM_IDLE,		/* expects GET_VERSION */
	DEVSEC_SPDM_AFTER_VERSION,	/* expects GET_CAPABILITIES */
	DEVSEC_SPDM_AFTER_CAPS,		/* expects NEGOTIATE_ALGORITHMS */
	DEVSEC_SPDM_NEGOTIATED,
};

#define DEVSEC_MEAS_BLOCKS	3
#define DEVSEC_MEAS_MAX		256

/**
 * struct devsec_rsp - state of one responder (one endpoint)
 * @ops: host services
 * @id: current identity (certificate chain and key)
 * @slot1: a certificate chain the responder also presents in slot 1, or
 *	%NULL: slot 0 only.  Its key is never used (CHALLENGE and
 *	MEASUREMENTS are signed with slot 0's): a chain to be looked at.
 * @function_id: TDISP FUNCTION_ID of the one interface (the Requester ID)
 * @state: SPDM connection state
 * @req_transfer_size: requester's DataTransferSize: bounds every response
 * @meas_spec: selected measurement specification (0: no measurements)
 * @algs_ok: RSASSA-3072 and SHA-384 were both negotiated
 * @vca: GET_VERSION .. ALGORITHMS, prefix of both transcripts
 * @vca_len: bytes in @vca
 * @m: GET_DIGESTS .. CHALLENGE_AUTH messages since the last CHALLENGE (B, C)
 * @m_len: bytes in @m
 * @l: GET_MEASUREMENTS/MEASUREMENTS since the last signed MEASUREMENTS
 * @l_len: bytes in @l
 * @overflow: a transcript ran out of room; signing fails until reset
 * @fw_version: firmware version measured in block 2; bumped by the
 *	"change a measurement" fault
 * @meas: measurement blocks 1..DEVSEC_MEAS_BLOCKS, concatenated
 * @meas_len: bytes in @meas
 * @tdi_state: TDISP state of the interface
 * @lock_flags: flags of the accepted LOCK_INTERFACE_REQUEST
 * @start_nonce: nonce handed out by LOCK_INTERFACE_RESPONSE
 * @corrupt_sig: fault: corrupt the next signature
 * @error_code: fault: answer the next request with this SPDM ERROR code
 * @max_portion: fault: no CERTIFICATE portion longer than this (0: off)
 * @not_ready: fault: answer every request with ResponseNotReady
 * @requests: SPDM requests answered, for tests that count exchanges
 */
struct devsec_rsp {
	const struct devsec_rsp_ops *ops;
	const struct devsec_identity *id;
	const struct devsec_identity *slot1;
	u32 function_id;

	enum devsec_spdm_state state;
	u32 req_transfer_size;
	u8 meas_spec;
	bool algs_ok;

	u8 vca[DEVSEC_VCA_MAX];
	size_t vca_len;
	u8 m[DEVSEC_TRANSCRIPT_MAX];
	size_t m_len;
	u8 l[DEVSEC_TRANSCRIPT_MAX];
	size_t l_len;
	bool overflow;

	u32 fw_version;
	u8 meas[DEVSEC_MEAS_MAX];
	size_t meas_len;

	enum devsec_tdi_state tdi_state;
	u16 lock_flags;
	u8 start_nonce[DEVSEC_NONCE_SIZE];

	bool corrupt_sig;
	u8 error_code;
	u16 max_portion;
	bool not_ready;
	unsigned int requests;
};

void devsec_rsp_init(struct devsec_rsp *rsp, const struct devsec_rsp_ops *ops,
		     const struct devsec_identity *id, u32 function_id);
void devsec_rsp_reset(struct devsec_rsp *rsp);
void devsec_rsp_set_identity(struct devsec_rsp *rsp,
			     const struct devsec_identity *id);
void devsec_rsp_update_firmware(struct devsec_rsp *rsp);
size_t devsec_rsp_handle(struct devsec_rsp *rsp, const u8 *req, size_t req_len,
			 u8 *rsp_buf, size_t rsp_size);

/* tdisp.c */
void devsec_tdisp_reset(struct devsec_rsp *rsp);
size_t devsec_tdisp_handle(struct devsec_rsp *rsp, const u8 *req,
			   size_t req_len, u8 *out, size_t out_size);

#endif /* __DEVSEC_RSP_H__ */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPDM requester (DMTF DSP0274, versions 1.0 to 1.3)
 *
 * The requester authenticates a device: it negotiates version, capabilities
 * and algorithms, fetches the certificate chains, challenges the device and
 * retrieves signed measurements.  It checks what the protocol makes
 * checkable (chain links, hashes, signatures by the leaf key over the
 * transcript) and hands the evidence to the caller.  It makes no trust
 * decision: whether the root certificate is trusted is up to the caller.
 *
 * The transport (PCI DOE, MCTP, a test harness, ...) is a callback.
 */

#ifndef _LINUX_SPDM_H
#define _LINUX_SPDM_H

#include <linux/bits.h>
#include <linux/cleanup.h>
#include <linux/err.h>
#include <linux/types.h>

struct device;
struct spdm_state;

#define SPDM_NONCE_SIZE			32
#define SPDM_MAX_SLOTS			8
#define SPDM_MAX_HASH_SIZE		64

/* Version bytes as carried in SPDMVersion: major << 4 | minor */
#define SPDM_VER_10			0x10
#define SPDM_VER_11			0x11
#define SPDM_VER_12			0x12
#define SPDM_VER_13			0x13

/* BaseAsymAlgo (NEGOTIATE_ALGORITHMS / ALGORITHMS) */
#define SPDM_ASYM_RSASSA_2048		BIT(0)
#define SPDM_ASYM_RSAPSS_2048		BIT(1)
#define SPDM_ASYM_RSASSA_3072		BIT(2)
#define SPDM_ASYM_RSAPSS_3072		BIT(3)
#define SPDM_ASYM_ECDSA_P256		BIT(4)
#define SPDM_ASYM_RSASSA_4096		BIT(5)
#define SPDM_ASYM_RSAPSS_4096		BIT(6)
#define SPDM_ASYM_ECDSA_P384		BIT(7)
#define SPDM_ASYM_ECDSA_P521		BIT(8)

/* BaseHashAlgo */
#define SPDM_HASH_SHA256		BIT(0)
#define SPDM_HASH_SHA384		BIT(1)
#define SPDM_HASH_SHA512		BIT(2)

/* MeasurementHashAlgo */
#define SPDM_MEAS_HASH_RAW		BIT(0)
#define SPDM_MEAS_HASH_SHA256		BIT(1)
#define SPDM_MEAS_HASH_SHA384		BIT(2)
#define SPDM_MEAS_HASH_SHA512		BIT(3)

/* Capability flags (GET_CAPABILITIES / CAPABILITIES) */
#define SPDM_CAP_CACHE			BIT(0)
#define SPDM_CAP_CERT			BIT(1)
#define SPDM_CAP_CHAL			BIT(2)
#define SPDM_CAP_MEAS			GENMASK(4, 3)
#define SPDM_CAP_MEAS_NOSIG		BIT(3)	/* MEAS_CAP 01b */
#define SPDM_CAP_MEAS_SIG		BIT(4)	/* MEAS_CAP 10b */
#define SPDM_CAP_MEAS_FRESH		BIT(5)
#define SPDM_CAP_CHUNK			BIT(17)

/* CHALLENGE Param2: which measurement summary hash to return */
#define SPDM_SUMMARY_HASH_NONE		0x00
#define SPDM_SUMMARY_HASH_TCB		0x01
#define SPDM_SUMMARY_HASH_ALL		0xff

/**
 * typedef spdm_transport_fn - send one SPDM request, receive its response
 * @priv: &spdm_config.priv
 * @req: request message (SPDM bytes only, no transport header)
 * @req_sz: size of @req
 * @rsp: buffer for the response message
 * @rsp_sz: size of @rsp
 *
 * Called with the session's mutex held; may sleep.
 *
 * Return: number of response bytes written to @rsp, or a negative errno.
 * Trailing transport padding may be included: the requester derives each
 * message's size from its own fields.
 */
typedef ssize_t (*spdm_transport_fn)(void *priv, const void *req,
				     size_t req_sz, void *rsp, size_t rsp_sz);

/**
 * struct spdm_alg_struct - one AlgStruct offered in NEGOTIATE_ALGORITHMS
 * @type: AlgType (2 DHE, 3 AEAD, 4 ReqBaseAsymAlg, 5 KeySchedule)
 * @algs: AlgSupported bit mask
 */
struct spdm_alg_struct {
	u8 type;
	u16 algs;
};

/**
 * struct spdm_config - how to talk to one responder
 * @transport: sends a request, returns the response (mandatory)
 * @priv: opaque pointer passed to @transport and @get_nonce
 * @get_nonce: fills a requester nonce; %NULL uses get_random_bytes().
 *	Tests use it to replay recorded exchanges.
 * @dev: device used for log messages (may be %NULL)
 * @data_transfer_size: our DataTransferSize, the largest response the
 *	transport can return; 0 means %SPDM_DEFAULT_TRANSFER_SIZE
 * @max_spdm_msg_size: our MaxSPDMmsgSize; 0 means @data_transfer_size.
 *	Larger than @data_transfer_size, it enables large messages (SPDM
 *	1.2+ chunking, CHUNK_CAP): responses up to this size are reassembled
 *	from chunks, requests are sent in chunks when the responder's
 *	DataTransferSize requires it.  At most 1 MiB.
 * @max_version: highest version to negotiate; 0 means 1.3
 * @req_caps: requester capability flags sent in GET_CAPABILITIES;
 *	%SPDM_CAP_CHUNK is managed by the requester (see @max_spdm_msg_size)
 * @base_asym: BaseAsymAlgo to offer; 0 means every algorithm supported
 *	here (%SPDM_ASYM_SUPPORTED)
 * @base_hash: BaseHashAlgo to offer; 0 means %SPDM_HASH_SUPPORTED
 * @other_params: OtherParamsSupport (SPDM 1.2+)
 * @alg_structs: AlgStructs appended to NEGOTIATE_ALGORITHMS (1.1+), for
 *	callers that go on to negotiate session algorithms; may be %NULL
 * @num_alg_structs: number of entries in @alg_structs
 * @slot_mask: further certificate slots to fetch, beside @slot (which
 *	is always fetched), for the caller to publish; 0 means none.  A
 *	chain there that does not validate does not fail the authentication
 *	(see &spdm_evidence.cert_status).
 * @slot: slot whose key signs CHALLENGE_AUTH and MEASUREMENTS
 * @summary_hash_type: CHALLENGE Param2 (%SPDM_SUMMARY_HASH_*); forced to
 *	none if the responder cannot measure
 * @cert_portion: largest GET_CERTIFICATE portion to request; 0 means
 *	as much as fits in one response
 * @max_wait_ms: longest the responder may make one spdm_authenticate()
 *	wait in total, with Busy and ResponseNotReady; 0 means
 *	%SPDM_DEFAULT_MAX_WAIT_MS.  A responder that asks for more fails
 *	the exchange with -ETIMEDOUT.
 * @max_exchanges: most transfers one spdm_authenticate() may make, every
 *	chunk and retry included; 0 means %SPDM_DEFAULT_MAX_EXCHANGES
 * @max_rx_bytes: most bytes one spdm_authenticate() may receive, padding
 *	included; 0 means %SPDM_DEFAULT_MAX_RX_BYTES
 * @max_time_ms: longest one spdm_authenticate() may take, the
 *	transport's time and the waits included; 0 means
 *	%SPDM_DEFAULT_MAX_TIME_MS.  Checked before each transfer, so a call
 *	ends at most one transfer (the transport's own timeout) later.
 *
 * The last three bound the work a responder can make its requester do,
 * whatever it answers; a responder that needs more fails the
 * authentication with -ETIMEDOUT (exchanges, time) or -EMSGSIZE (bytes).
 */
struct spdm_config {
	spdm_transport_fn transport;
	void *priv;
	int (*get_nonce)(void *priv, u8 *nonce, size_t len);
	struct device *dev;
	u32 data_transfer_size;
	u32 max_spdm_msg_size;
	u8 max_version;
	u32 req_caps;
	u32 base_asym;
	u32 base_hash;
	u8 other_params;
	const struct spdm_alg_struct *alg_structs;
	unsigned int num_alg_structs;
	u8 slot_mask;
	u8 slot;
	u8 summary_hash_type;
	u16 cert_portion;
	u32 max_wait_ms;
	u32 max_exchanges;
	u32 max_rx_bytes;
	u32 max_time_ms;
};

#define SPDM_DEFAULT_TRANSFER_SIZE	4608
#define SPDM_DEFAULT_MAX_WAIT_MS	10000
/*
 * A connect takes 7 exchanges and receives a few KiB.  The defaults leave
 * room for two 64 KiB chains in the shortest portions allowed (256 bytes,
 * 256 exchanges each) and 1 MiB of measurements in chunks; 30 s is about
 * 100 times what a connect takes over QEMU's DOE, under TCG.
 */
#define SPDM_DEFAULT_MAX_EXCHANGES	1024
#define SPDM_DEFAULT_MAX_RX_BYTES	(2 * 1024 * 1024)
#define SPDM_DEFAULT_MAX_TIME_MS	30000
#define SPDM_MIN_TRANSFER_SIZE		42

#define SPDM_ASYM_RSAPSS	(SPDM_ASYM_RSAPSS_2048 | SPDM_ASYM_RSAPSS_3072 | \
				 SPDM_ASYM_RSAPSS_4096)

/* Algorithms this requester can verify */
#define SPDM_ASYM_SUPPORTED	(SPDM_ASYM_RSASSA_2048 | SPDM_ASYM_RSASSA_3072 | \
				 SPDM_ASYM_RSASSA_4096 | SPDM_ASYM_RSAPSS | \
				 SPDM_ASYM_ECDSA_P256 | SPDM_ASYM_ECDSA_P384 | \
				 SPDM_ASYM_ECDSA_P521)
#define SPDM_HASH_SUPPORTED	(SPDM_HASH_SHA256 | SPDM_HASH_SHA384 | \
				 SPDM_HASH_SHA512)

/**
 * struct spdm_blob - a byte string owned by the session
 * @data: the bytes; %NULL if absent
 * @len: number of bytes
 */
struct spdm_blob {
	const u8 *data;
	size_t len;
};

/**
 * struct spdm_meas_block - one measurement block from MEASUREMENTS
 * @index: measurement index
 * @spec: MeasurementSpecification of the block (bit 0: DMTF)
 * @raw: the whole block (4-byte header included), as hashed into the
 *	measurement summary
 * @raw_len: size of @raw
 * @value_type: DMTFSpecMeasurementValueType (DMTF blocks only)
 * @value: the measurement value (DMTF blocks only, else %NULL)
 * @value_len: size of @value
 */
struct spdm_meas_block {
	u8 index;
	u8 spec;
	const u8 *raw;
	u32 raw_len;
	u8 value_type;
	const u8 *value;
	u16 value_len;
};

/**
 * struct spdm_evidence - what a successful spdm_authenticate() produced
 * @version: negotiated SPDMVersion byte (e.g. 0x12)
 * @rsp_caps: responder capability flags
 * @base_asym: selected BaseAsymAlgo (one bit)
 * @base_hash: selected BaseHashAlgo (one bit)
 * @meas_hash: selected MeasurementHashAlgo (0 if the device cannot measure)
 * @meas_spec: selected MeasurementSpecification
 * @other_params: selected OtherParams (1.2+)
 * @slot_mask: slots the device reported as populated (DIGESTS)
 * @slot: slot whose key signed the challenge and the measurements
 * @cert_chain: per slot, the certificate chain as SPDM carries it (length
 *	header, root hash, DER certificates); empty for slots not fetched
 * @cert_status: per slot, 0 if @cert_chain validated as a certificate
 *	path, else why not (a negative errno); -ENODATA if not fetched
 * @vca: transcript of GET_VERSION..ALGORITHMS (VCA, "A")
 * @cert_transcript: GET_DIGESTS..CERTIFICATE as exchanged ("B"); holds no
 *	certificates when a cached chain was reused
 * @challenge_req: the CHALLENGE request (empty for a responder without
 *	CHAL_CAP, authenticated by its signed measurements alone)
 * @challenge_rsp: the CHALLENGE_AUTH response, signature included
 * @challenge_sig: the signature inside @challenge_rsp
 * @req_nonce: nonce sent in CHALLENGE
 * @rsp_nonce: nonce returned in CHALLENGE_AUTH
 * @summary_hash_type: CHALLENGE Param2 that was sent
 * @meas_req: the GET_MEASUREMENTS request (empty if not measured)
 * @meas_rsp: the MEASUREMENTS response, signature included
 * @meas_sig: the signature inside @meas_rsp
 * @meas_req_nonce: nonce sent in GET_MEASUREMENTS
 * @meas_rsp_nonce: nonce returned in MEASUREMENTS
 * @num_meas_blocks: number of entries in @meas_blocks
 * @meas_blocks: parsed measurement blocks, pointing into @meas_rsp
 *
 * For SPDM 1.2 and later the challenge signature covers
 * @vca || @cert_transcript || @challenge_req || @challenge_rsp minus
 * @challenge_sig, the measurement signature covers @vca || @meas_req ||
 * @meas_rsp minus @meas_sig, each hashed behind the 1.2 signing context.
 */
struct spdm_evidence {
	u8 version;
	u32 rsp_caps;
	u32 base_asym;
	u32 base_hash;
	u32 meas_hash;
	u8 meas_spec;
	u8 other_params;
	u8 slot_mask;
	u8 slot;
	struct spdm_blob cert_chain[SPDM_MAX_SLOTS];
	int cert_status[SPDM_MAX_SLOTS];
	struct spdm_blob vca;
	struct spdm_blob cert_transcript;
	struct spdm_blob challenge_req;
	struct spdm_blob challenge_rsp;
	struct spdm_blob challenge_sig;
	u8 req_nonce[SPDM_NONCE_SIZE];
	u8 rsp_nonce[SPDM_NONCE_SIZE];
	u8 summary_hash_type;
	struct spdm_blob meas_req;
	struct spdm_blob meas_rsp;
	struct spdm_blob meas_sig;
	u8 meas_req_nonce[SPDM_NONCE_SIZE];
	u8 meas_rsp_nonce[SPDM_NONCE_SIZE];
	unsigned int num_meas_blocks;
	const struct spdm_meas_block *meas_blocks;
};

struct spdm_state *spdm_create(const struct spdm_config *cfg);
void spdm_destroy(struct spdm_state *spdm);
int spdm_authenticate(struct spdm_state *spdm);
const struct spdm_evidence *spdm_evidence(struct spdm_state *spdm);
const struct spdm_evidence *spdm_failed_evidence(struct spdm_state *spdm);
void spdm_set_slot_mask(struct spdm_state *spdm, u8 slot_mask);
void spdm_release(struct spdm_state *spdm);
u8 spdm_last_error(struct spdm_state *spdm);

DEFINE_FREE(spdm_destroy, struct spdm_state *, if (!IS_ERR_OR_NULL(_T)) spdm_destroy(_T))

#endif /* _LINUX_SPDM_H */

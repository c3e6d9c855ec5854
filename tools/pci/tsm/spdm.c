// SPDX-License-Identifier: GPL-2.0
/*
 * pci-tsm: parsing of the SPDM (DMTF DSP0274) data found in evidence.
 *
 * Everything here comes from the device: each length and count is checked
 * against the bytes actually present before it is used.
 */
#include <errno.h>
#include <string.h>

#include "tsmtool.h"

#define SPDM_GET_VERSION		0x84
#define SPDM_VERSION			0x04
#define SPDM_GET_CAPABILITIES		0xe1
#define SPDM_CAPABILITIES		0x61
#define SPDM_NEGOTIATE_ALGORITHMS	0xe3
#define SPDM_ALGORITHMS			0x63

static uint16_t get_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

struct algo {
	uint32_t bit;
	const char *name;
	size_t len;		/* digest or signature size */
};

static const struct algo hash_algos[] = {
	{ 1u << 0, "SHA-256", 32 },
	{ 1u << 1, "SHA-384", 48 },
	{ 1u << 2, "SHA-512", 64 },
	{ 1u << 3, "SHA3-256", 32 },
	{ 1u << 4, "SHA3-384", 48 },
	{ 1u << 5, "SHA3-512", 64 },
	{ 1u << 6, "SM3-256", 32 },
};

static const struct algo asym_algos[] = {
	{ 1u << 0, "RSASSA-2048", 256 },
	{ 1u << 1, "RSAPSS-2048", 256 },
	{ 1u << 2, "RSASSA-3072", 384 },
	{ 1u << 3, "RSAPSS-3072", 384 },
	{ 1u << 4, "ECDSA-P256", 64 },
	{ 1u << 5, "RSASSA-4096", 512 },
	{ 1u << 6, "RSAPSS-4096", 512 },
	{ 1u << 7, "ECDSA-P384", 96 },
	{ 1u << 8, "ECDSA-P521", 132 },
	{ 1u << 9, "SM2-P256", 64 },
	{ 1u << 10, "EdDSA-Ed25519", 64 },
	{ 1u << 11, "EdDSA-Ed448", 114 },
};

static const struct algo *algo_find(const struct algo *tbl, size_t n, uint32_t bit)
{
	for (size_t i = 0; i < n; i++)
		if (tbl[i].bit == bit)
			return &tbl[i];
	return NULL;
}

static const struct algo *hash_algo(uint32_t bit)
{
	return algo_find(hash_algos, ARRAY_SIZE(hash_algos), bit);
}

static const struct algo *asym_algo(uint32_t bit)
{
	return algo_find(asym_algos, ARRAY_SIZE(asym_algos), bit);
}

size_t spdm_hash_len(uint32_t base_hash)
{
	const struct algo *a = hash_algo(base_hash);

	return a ? a->len : 0;
}

const char *spdm_hash_name(uint32_t base_hash)
{
	const struct algo *a = hash_algo(base_hash);

	return a ? a->name : "unknown";
}

size_t spdm_sig_len(uint32_t base_asym)
{
	const struct algo *a = asym_algo(base_asym);

	return a ? a->len : 0;
}

const char *spdm_asym_name(uint32_t base_asym)
{
	const struct algo *a = asym_algo(base_asym);

	return a ? a->name : "unknown";
}

/* Take one message of @len bytes with response code @code off the front */
static int take(const uint8_t **p, size_t *rem, size_t len, uint8_t code,
		uint8_t ver, const char *name, char *err)
{
	if (*rem < 4 || *rem < len) {
		err_set(err, "VCA: %s truncated (%zu bytes left, %zu needed)",
			name, *rem, len < 4 ? (size_t)4 : len);
		return -EBADMSG;
	}
	if ((*p)[1] != code) {
		err_set(err, "VCA: expected %s (0x%02x), found code 0x%02x",
			name, code, (*p)[1]);
		return -EBADMSG;
	}
	if ((*p)[0] != ver) {
		err_set(err, "VCA: %s has version 0x%02x, expected 0x%02x",
			name, (*p)[0], ver);
		return -EBADMSG;
	}
	*p += len;
	*rem -= len;
	return 0;
}

/*
 * Parse GET_VERSION, VERSION, GET_CAPABILITIES, CAPABILITIES,
 * NEGOTIATE_ALGORITHMS and ALGORITHMS at the start of @p: the negotiated
 * version and algorithms as the device signed them (the transcript begins
 * with these messages), not as anyone else reports them.
 */
int spdm_parse_vca(const uint8_t *p, size_t len, struct spdm_vca *vca, char *err)
{
	const uint8_t *start = p, *msg;
	size_t rem = len, n;
	uint8_t ver, count;
	bool offered = false;

	memset(vca, 0, sizeof(*vca));
	/* GET_VERSION and VERSION always speak 1.0 */
	if (take(&p, &rem, 4, SPDM_GET_VERSION, 0x10, "GET_VERSION", err))
		return -EBADMSG;

	msg = p;
	if (rem < 6) {
		err_set(err, "VCA: VERSION truncated");
		return -EBADMSG;
	}
	count = msg[5];
	if (take(&p, &rem, 6 + 2 * (size_t)count, SPDM_VERSION, 0x10, "VERSION", err))
		return -EBADMSG;

	/* the requester states the chosen version in GET_CAPABILITIES */
	if (rem < 1) {
		err_set(err, "VCA: GET_CAPABILITIES truncated");
		return -EBADMSG;
	}
	ver = p[0];
	if (ver < 0x10 || ver > 0x13) {
		err_set(err, "VCA: unsupported SPDM version %u.%u", ver >> 4, ver & 0xf);
		return -EBADMSG;
	}
	for (int i = 0; i < count; i++)
		if (msg[6 + 2 * i + 1] == ver)
			offered = true;
	if (!offered) {
		err_set(err, "VCA: version %u.%u was not offered in VERSION",
			ver >> 4, ver & 0xf);
		return -EBADMSG;
	}

	n = ver == 0x10 ? 4 : ver == 0x11 ? 12 : 20;
	msg = p;
	if (take(&p, &rem, n, SPDM_GET_CAPABILITIES, ver,
		 "GET_CAPABILITIES", err))
		return -EBADMSG;
	/* SPDM 1.3 lets CAPABILITIES carry algorithms; not supported here */
	if (ver >= 0x13 && (msg[2] & 1)) {
		err_set(err,
			"VCA: CAPABILITIES with supported algorithms (1.3 Param1 bit 0) not supported");
		return -EOPNOTSUPP;
	}
	n = ver >= 0x12 ? 20 : 12;
	if (take(&p, &rem, n, SPDM_CAPABILITIES, ver,
		 "CAPABILITIES", err))
		return -EBADMSG;

	if (rem < 6) {
		err_set(err, "VCA: NEGOTIATE_ALGORITHMS truncated");
		return -EBADMSG;
	}
	n = get_le16(p + 4);
	if (n < 32) {
		err_set(err, "VCA: NEGOTIATE_ALGORITHMS length %zu too small", n);
		return -EBADMSG;
	}
	if (take(&p, &rem, n, SPDM_NEGOTIATE_ALGORITHMS, ver,
		 "NEGOTIATE_ALGORITHMS", err))
		return -EBADMSG;

	if (rem < 6) {
		err_set(err, "VCA: ALGORITHMS truncated");
		return -EBADMSG;
	}
	msg = p;
	n = get_le16(p + 4);
	if (n < 36) {
		err_set(err, "VCA: ALGORITHMS length %zu too small", n);
		return -EBADMSG;
	}
	if (take(&p, &rem, n, SPDM_ALGORITHMS, ver,
		 "ALGORITHMS", err))
		return -EBADMSG;

	vca->version = ver;
	vca->base_asym = get_le32(msg + 12);
	vca->base_hash = get_le32(msg + 16);
	vca->len = p - start;
	if (!spdm_sig_len(vca->base_asym)) {
		err_set(err,
			"VCA: ALGORITHMS selected BaseAsymAlgo 0x%08x, not exactly one known algorithm",
			vca->base_asym);
		return -EBADMSG;
	}
	if (!spdm_hash_len(vca->base_hash)) {
		err_set(err,
			"VCA: ALGORITHMS selected BaseHashAlgo 0x%08x, not exactly one known algorithm",
			vca->base_hash);
		return -EBADMSG;
	}
	return 0;
}

/* Length of the DER element at @p (tag, length, contents), 0 if malformed */
static size_t der_elem_len(const uint8_t *p, size_t rem)
{
	size_t hdr, len;

	if (rem < 2 || p[0] != 0x30)	/* a certificate is a SEQUENCE */
		return 0;
	if (p[1] < 0x80) {
		hdr = 2;
		len = p[1];
	} else {
		size_t nb = p[1] & 0x7f;

		/* DER: minimal long form, at most 3 length bytes (16 MiB) */
		if (nb < 1 || nb > 3 || rem < 2 + nb || p[2] == 0)
			return 0;
		len = 0;
		for (size_t i = 0; i < nb; i++)
			len = len << 8 | p[2 + i];
		if (len < 0x80)
			return 0;
		hdr = 2 + nb;
	}
	if (len > rem - hdr)
		return 0;
	return hdr + len;
}

/*
 * Split an SPDM certificate chain: Length (u16 LE, the whole chain),
 * Reserved (u16), the hash of the root certificate, then DER certificates,
 * root first and leaf last.
 */
int spdm_chain_split(const uint8_t *p, size_t len, size_t hash_len,
		     struct spdm_chain *chain, char *err)
{
	size_t total;

	memset(chain, 0, sizeof(*chain));
	if (len < 4) {
		err_set(err, "cert chain truncated: %zu bytes, header needs 4", len);
		return -EBADMSG;
	}
	total = get_le16(p);
	if (total != len) {
		err_set(err, "cert chain truncated or padded: header says %zu bytes, have %zu",
			total, len);
		return -EBADMSG;
	}
	if (len < 4 + hash_len + 2) {
		err_set(err, "cert chain too short for a %zu-byte root hash and a certificate",
			hash_len);
		return -EBADMSG;
	}
	chain->hash_len = hash_len;
	chain->root_hash = p + 4;
	return der_certs_split(p + 4 + hash_len, len - 4 - hash_len, chain, err);
}

/*
 * Split DER certificates laid end to end (the tail of an SPDM chain, or a
 * file of them) into @chain->der; the root hash fields are left alone.
 */
int der_certs_split(const uint8_t *p, size_t len, struct spdm_chain *chain,
		    char *err)
{
	size_t off;

	chain->nr = 0;
	for (off = 0; off < len; ) {
		size_t n = der_elem_len(p + off, len - off);

		if (!n) {
			err_set(err,
				"cert chain: certificate %d at offset %zu is not a complete DER SEQUENCE",
				chain->nr, off);
			return -EBADMSG;
		}
		if (chain->nr == SPDM_MAX_CERTS) {
			err_set(err, "cert chain: more than %d certificates", SPDM_MAX_CERTS);
			return -E2BIG;
		}
		chain->der[chain->nr] = p + off;
		chain->der_len[chain->nr] = n;
		chain->nr++;
		off += n;
	}
	return 0;
}

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

static uint16_t get_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
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
	size_t off, total;

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
	for (off = 4 + hash_len; off < len; ) {
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

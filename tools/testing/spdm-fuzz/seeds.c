// SPDX-License-Identifier: GPL-2.0
/*
 * Write the seed corpus: the responses of the exchanges that the KUnit
 * tests replay (lib/spdm/tests/), in the fuzz input format of fuzz.h.
 *
 *   spdm-seeds SEED-DIR REGRESSION-DIR CHAIN-SEED-DIR
 *
 * For each recorded exchange: one seed with its responses, and one with
 * them followed by a second authentication that reuses the cached
 * certificate chain (the same responses without CERTIFICATE).
 *
 * The generated exchanges (every version and algorithm) follow, one seed
 * each.  Those with a small DataTransferSize are written as the wire
 * carries them: a large response as ERROR LargeResponse and the
 * CHUNK_RESPONSEs to the requester's CHUNK_GETs, a large request as the
 * CHUNK_SEND_ACKs to its CHUNK_SENDs.
 */
#include <sys/stat.h>
#include <linux/spdm.h>
#include "fuzz.h"
#include "../../../lib/spdm/tests/spdm_test_vectors.h"
#include "../../../lib/spdm/tests/spdm_gen_vectors.h"

struct spdm_chain_vector {
	const char *name;
	const u8 *der;
	size_t len;
	bool valid;
	const char *rule;
};

#include "../../../lib/spdm/tests/spdm_chain_vectors.h"
#include <openssl/sha.h>

struct seed_vector {
	const char *name;
	const struct spdm_test_msg *msgs;
	unsigned int num_msgs;
	u8 hdr[FUZZ_HDR_SIZE];
};

/* Offered 1.3, summary of all measurements, slot 0 only, ECDSA P-384 */
#define SEED(n, portion_lo, portion_hi)				\
	{ #n, n##_msgs, ARRAY_SIZE(n##_msgs),				\
	  { 0x03 | 2 << 2, 2, 0, 0, portion_lo, portion_hi } }

static const struct seed_vector seed_vectors[] = {
	SEED(v12_p384_sha384, 0, 0),
	SEED(v12_p384_sha384_portion1024, 0x00, 0x04),
};

static void put_msgs(FILE *f, const struct seed_vector *v, bool skip_cert)
{
	unsigned int i;

	for (i = 1; i < v->num_msgs; i += 2) {
		const struct spdm_test_msg *m = &v->msgs[i];
		u8 len[2] = { m->len & 0xff, m->len >> 8 };

		/* the request before it says what it answers */
		if (skip_cert && v->msgs[i - 1].data[1] == 0x82)
			continue;
		fwrite(len, 1, 2, f);
		fwrite(m->data, 1, m->len, f);
	}
}

static int write_seed(const char *dir, const struct seed_vector *v,
		      bool cached)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%s", dir, v->name,
		 cached ? "-cached" : "");
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	fwrite(v->hdr, 1, sizeof(v->hdr), f);
	put_msgs(f, v, false);
	if (cached)
		put_msgs(f, v, true);
	return fclose(f);
}

static void put_rec(FILE *f, const u8 *data, size_t len)
{
	u8 hdr[2] = { len & 0xff, len >> 8 };

	fwrite(hdr, 1, 2, f);
	fwrite(data, 1, len, f);
}

/* The CHUNK_RESPONSEs of a @len byte response, @dts bytes at most each */
static void put_chunks(FILE *f, u8 handle, const u8 *msg, size_t len,
		       u32 dts)
{
	u8 buf[4608];
	size_t off = 0, hdr, n;
	unsigned int seq;

	for (seq = 0; off < len; seq++) {
		hdr = 12 + (seq ? 0 : 4);
		n = min(len - off, dts - hdr);
		buf[0] = msg[0];
		buf[1] = 0x06;
		buf[2] = off + n == len;
		buf[3] = handle;
		put_unaligned_le16(seq, buf + 4);
		put_unaligned_le16(0, buf + 6);
		put_unaligned_le32(n, buf + 8);
		if (!seq)
			put_unaligned_le32(len, buf + 12);
		memcpy(buf + hdr, msg + off, n);
		put_rec(f, buf, hdr + n);
		off += n;
	}
}

static int write_gen_seed(const char *dir, const struct spdm_gen_vector *v)
{
	bool chunk = v->version >= SPDM_VER_12 && v->max_msg > v->dts;
	u8 hdr[FUZZ_HDR_SIZE] = {
		(v->version - SPDM_VER_10) | 2 << 2 | (chunk ? 0x80 : 0),
		v->base_asym == SPDM_ASYM_ECDSA_P256 ? 1 :
		v->base_asym == SPDM_ASYM_ECDSA_P384 ? 2 :
		v->base_asym == SPDM_ASYM_ECDSA_P521 ? 3 : 0,
		v->dts & 0xff, v->dts >> 8, 0, 0,
	};
	u8 send_handle = 0, get_handle = 0x40, buf[4608];
	char path[4096];
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/gen_%s", dir, v->name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	fwrite(hdr, 1, sizeof(hdr), f);
	for (i = 1; i < v->num_msgs; i += 2) {
		const struct spdm_test_msg *q = &v->msgs[i - 1];
		const struct spdm_test_msg *m = &v->msgs[i];
		u8 err[5] = { m->data[0], 0x7f, 0x0f, 0, ++get_handle };
		size_t ack = 0;

		if (chunk && q->len > v->rsp_dts) {
			/* every CHUNK_SEND_ACK but the last: 6 bytes */
			size_t off = v->rsp_dts - 16, seq = 0;

			send_handle++;
			while (off < q->len) {
				u8 a[6] = { q->data[0], 0x05, 0, send_handle,
					    seq++, 0 };

				put_rec(f, a, sizeof(a));
				off += v->rsp_dts - 12;
			}
			buf[0] = q->data[0];
			buf[1] = 0x05;
			buf[2] = 0;
			buf[3] = send_handle;
			put_unaligned_le16(seq, buf + 4);
			ack = 6;
		}
		if (!chunk || ack + m->len <= v->dts) {
			memcpy(buf + ack, m->data, m->len);
			put_rec(f, buf, ack + m->len);
			continue;
		}
		memcpy(buf + ack, err, sizeof(err));
		put_rec(f, buf, ack + sizeof(err));
		/* A responder fills the smaller DataTransferSize */
		put_chunks(f, get_handle, m->data, m->len,
			   min(v->dts, v->rsp_dts));
	}
	return fclose(f);
}

/*
 * Regression inputs (not seeds: they need not authenticate).
 *
 * not_ready_everywhere: every request of the DMTF exchange is answered
 * with ResponseNotReady, RDTExponent 20 (1 s), eight times, before the
 * real response.  Eight waits of 1 s per exchange were allowed, with
 * nothing bounding the sum: 67 s for these eight exchanges (the chain
 * comes in two portions), more with more portions.
 */
static int write_regressions(const char *dir)
{
	const struct seed_vector *v = &seed_vectors[1];
	char path[4096];
	unsigned int i, n;
	FILE *f;

	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/not_ready_everywhere", dir);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	fwrite(v->hdr, 1, sizeof(v->hdr), f);
	for (i = 1; i < v->num_msgs; i += 2) {
		const u8 *q = v->msgs[i - 1].data;
		u8 nr[8] = { q[0], 0x7f, 0x42, 0, 20, q[1], i, 1 };

		for (n = 0; n < 8; n++)
			put_rec(f, nr, sizeof(nr));
		put_rec(f, v->msgs[i].data, v->msgs[i].len);
	}
	return fclose(f);
}

/*
 * Seeds of the chain target (chain_fuzz.c): options, RootHash, the
 * certificates.  RootHash is that of the first certificate, which the
 * permissive stub parser takes for self-signed, so the seeds named good-*
 * validate and the fuzzer starts from complete chains.
 */
static int write_chain_seed(const char *dir, const char *name, u8 opts,
			    const u8 *certs, size_t len)
{
	u8 hash[SHA512_DIGEST_LENGTH];
	size_t first = len, hlen;
	char path[4096];
	FILE *f;

	if (len > 4 && certs[0] == 0x30 && certs[1] == 0x82)
		first = min(len, 4 + get_unaligned_be16(certs + 2));
	if (opts >> 2 == 1) {
		SHA384(certs, first, hash);
		hlen = SHA384_DIGEST_LENGTH;
	} else {
		SHA256(certs, first, hash);
		hlen = SHA256_DIGEST_LENGTH;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	fwrite(&opts, 1, 1, f);
	fwrite(hash, 1, hlen, f);
	fwrite(certs, 1, len, f);
	return fclose(f);
}

static int write_chain_seeds(const char *dir)
{
	/* The DMTF chain: header and SHA-384 RootHash, then certificates */
	const u8 *dmtf = v12_p384_sha384_chain + 4 + SHA384_DIGEST_LENGTH;
	char name[256];
	unsigned int i;

	mkdir(dir, 0755);
	if (write_chain_seed(dir, "good-dmtf-v12-p384", 1 << 2, dmtf,
			     sizeof(v12_p384_sha384_chain) - 4 -
			     SHA384_DIGEST_LENGTH))
		return -1;
	for (i = 0; i < ARRAY_SIZE(spdm_chain_vectors); i++) {
		const struct spdm_chain_vector *v = &spdm_chain_vectors[i];

		snprintf(name, sizeof(name), "%s-%s", v->valid ? "good" : "bad",
			 v->name);
		if (write_chain_seed(dir, name, 0, v->der, v->len))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc != 4) {
		fprintf(stderr, "usage: %s SEED-DIR REGRESSION-DIR CHAIN-SEED-DIR\n",
			argv[0]);
		return 2;
	}
	if (write_chain_seeds(argv[3]))
		return 1;
	mkdir(argv[1], 0755);
	for (i = 0; i < ARRAY_SIZE(seed_vectors); i++)
		if (write_seed(argv[1], &seed_vectors[i], false) ||
		    write_seed(argv[1], &seed_vectors[i], true))
			return 1;
	for (i = 0; i < ARRAY_SIZE(spdm_gen_vectors); i++) {
		const struct spdm_gen_vector *v = &spdm_gen_vectors[i];

		/* the harness fetches slot 0 only: as a seed, it could not pass */
		if (v->slot_mask)
			continue;
		if (write_gen_seed(argv[1], v))
			return 1;
	}
	return write_regressions(argv[2]) ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * pci-tsm: verify dumped evidence with OpenSSL's libcrypto.
 *
 * Input is a directory written by "evidence dump" (or built the same way):
 * transcript-slotN.bin, signature-slotN.bin, cert-chain-slotN.bin and the
 * challenge and/or measurements object whose response was signed. The
 * checks, in order, each failing with its own message:
 *  - the transcript starts with a well-formed VCA (version, algorithms),
 *    except SPDM 1.0/1.1 measurement transcripts, which have none;
 *  - it ends with the signed exchange, minus its signature: that tells
 *    which request was signed, its slot and its requester nonce;
 *  - the slot's certificate chain: length header, root hash (when
 *    certificate 0 is the root), a valid certification path as a PKI
 *    validates it (chain.c: CA issuers, keyCertSign, pathLenConstraint,
 *    names, critical extensions, a leaf that may sign); with --root,
 *    anchored to those CAs, otherwise reported as self-consistent only;
 *  - the signature over the transcript with the leaf key, by the SPDM
 *    1.0/1.1 rule (transcript hashed by the signature scheme) or the 1.2+
 *    rule (signing-context prefix followed by the transcript hash);
 *  - with --nonce, the signed request carries that nonce.
 * Version and algorithms come from the signed VCA, not from summary.json.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/pci-tsm.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tsmtool.h"

#define SPDM_CHALLENGE		0x83
#define SPDM_CHALLENGE_AUTH	0x03
#define SPDM_GET_MEASUREMENTS	0xe0
#define SPDM_MEASUREMENTS	0x60
#define SPDM_NONCE_LEN		32
#define SPDM_CONTEXT_LEN	8	/* 1.3 RequesterContext */

/* DSP0274 1.2+: the signed message starts with a 100-byte context prefix */
#define SPDM_PREFIX_LEN		100
#define SPDM_PREFIX_VER_LEN	64
#define SPDM_PREFIX_CTX_LEN	36

struct blob {
	uint8_t *p;
	size_t len;
};

/*
 * Exit codes of "evidence verify", for scripts to gate on: only
 * VERIFY_OK means the device can be trusted as far as evidence can tell.
 */
enum {
	VERIFY_OK = 0,		/* all signatures verified, chain anchored to --root */
	VERIFY_FAILED = 1,	/* a check failed */
	VERIFY_USAGE = 2,	/* bad command line, nothing was read */
	VERIFY_BAD_INPUT = 3,	/* a file is missing, unreadable or malformed */
	VERIFY_UNANCHORED = 4,	/* all else verified, but no --root anchored the chain */
};

/*
 * The signed exchanges a dump may hold: since types 8-11, one transcript
 * and signature per signed exchange (M1 of CHALLENGE_AUTH, L1 of
 * MEASUREMENTS); before, and still, the last signed one as "transcript".
 * Every pair present is verified.
 */
struct pair_def {
	const char *transcript, *signature;	/* object type names */
	const char *only;			/* the exchange it must end with */
};

static const struct pair_def pair_defs[] = {
	{ "challenge-transcript", "challenge-signature", "challenge" },
	{ "measurements-transcript", "measurements-signature", "measurements" },
	{ "transcript", "signature", NULL },
};

#define NR_PAIRS	ARRAY_SIZE(pair_defs)

struct verify {
	const char *dir;
	int code;			/* VERIFY_*, of the first failure */
	int dirfd;			/* every file is opened relative to it */
	char err[ERRLEN];
	struct spdm_vca vca;
	bool vca_signed;		/* the transcript starts with the VCA */
	size_t hlen, slen;
	const EVP_MD *md;
	struct blob transcript, signature, exchange, chain_file;
	const char *kind;		/* "challenge" or "measurements" */
	const uint8_t *request;		/* signed request inside the transcript */
	size_t req_len;
	int slot;
	struct x509_st *certs[SPDM_MAX_CERTS];	/* X509 */
	int nr;
	struct chain_opts chain;	/* --check-time, --ids, --device */
	/* across the pairs */
	const struct pair_def *pair;	/* the one being verified */
	bool setup;			/* algorithms, chain and root checked */
	struct spdm_vca vca0;		/* of the first pair */
	struct blob vca0_signed;	/* the first VCA a transcript starts with */
	bool pair_ok[NR_PAIRS];
	bool vca_covered;		/* vca object equals a signed VCA */
	bool signed_challenge, signed_measurements;
	bool summary_ok;		/* measurement blocks match a signed summary */
	const uint8_t *chal_rsp;	/* CHALLENGE_AUTH of the pair, for its summary */
	size_t chal_rsp_len;
	uint8_t summary_type;		/* CHALLENGE Param2 */
};

/* A check failed: the evidence is not what it claims (exit 1) */
static __printf(2, 3) int fail(struct verify *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->err, sizeof(v->err), fmt, ap);
	va_end(ap);
	v->code = VERIFY_FAILED;
	return -1;
}

/* A file is missing, unreadable or malformed: nothing to check (exit 3) */
static __printf(2, 3) int bad(struct verify *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->err, sizeof(v->err), fmt, ap);
	va_end(ap);
	v->code = VERIFY_BAD_INPUT;
	return -1;
}

/* The same, for a helper that already wrote its reason to v->err */
static int bad_input(struct verify *v)
{
	v->code = VERIFY_BAD_INPUT;
	return -1;
}

/* Append OpenSSL's reason for a failure, if it left one */
static const char *ossl_reason(void)
{
	static char buf[160];
	unsigned long e = ERR_get_error();

	ERR_clear_error();
	if (!e)
		return "no further detail";
	ERR_error_string_n(e, buf, sizeof(buf));
	return buf;
}

static int load_obj(struct verify *v, const char *type, int slot, struct blob *b,
		    bool optional)
{
	char name[64];
	int rc;

	snprintf(name, sizeof(name), "%s-slot%d.bin", type, slot);
	rc = read_file_at(v->dirfd, name, &b->p, &b->len, v->err);
	if (rc == -ENOENT && optional)
		return 1;
	return rc ? bad_input(v) : 0;
}

/* The slot is in the file names: every transcript must be of one slot */
static int find_slot(struct verify *v)
{
	unsigned int seen = 0;
	struct dirent *de;
	int fd, n = 0;
	DIR *d;

	fd = dup(v->dirfd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return bad(v, "%s: %s", v->dir, strerror(errno));
	}
	while ((de = readdir(d))) {
		for (size_t i = 0; i < NR_PAIRS; i++) {
			size_t tl = strlen(pair_defs[i].transcript);
			unsigned int slot;
			int end = 0;

			if (strncmp(de->d_name, pair_defs[i].transcript, tl) ||
			    sscanf(de->d_name + tl, "-slot%u%n", &slot, &end) != 1 ||
			    strcmp(de->d_name + tl + end, ".bin") || slot > 7)
				continue;
			if (!(seen & 1u << slot))
				n++;
			seen |= 1u << slot;
			v->slot = slot;
		}
	}
	closedir(d);
	if (!n)
		return bad(v, "%s: no transcript-slotN.bin (nor challenge- or measurements-)",
			   v->dir);
	if (n > 1)
		return bad(v, "%s: transcripts of %d slots, choose one with --slot", v->dir, n);
	return 0;
}

static const EVP_MD *spdm_md(uint32_t base_hash)
{
	switch (base_hash) {
	case 1u << 0: return EVP_sha256();
	case 1u << 1: return EVP_sha384();
	case 1u << 2: return EVP_sha512();
	case 1u << 3: return EVP_sha3_256();
	case 1u << 4: return EVP_sha3_384();
	case 1u << 5: return EVP_sha3_512();
	default: return NULL;
	}
}

/* EVP_Digest(), checked: 0, or -1 and @out is not to be used */
static int digest(const EVP_MD *md, const uint8_t *p, size_t len, uint8_t *out)
{
	unsigned int n;

	if (EVP_Digest(p, len, out, &n, md, NULL) != 1 ||
	    n != (unsigned int)EVP_MD_get_size(md)) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

/*
 * The transcript ends with the signed exchange minus the signature: find
 * which of the exchange objects it is, and with it the signed request.
 */
static int find_exchange(struct verify *v)
{
	static const char * const kinds[] = { "measurements", "challenge" };
	const struct blob *t = &v->transcript;
	const char *only = v->pair->only;
	bool any = false;

	for (int i = 0; i < 2; i++) {
		struct blob *x = &v->exchange;
		size_t body;
		int rc;

		if (only && strcmp(only, kinds[i]))
			continue;
		rc = load_obj(v, kinds[i], v->slot, x, true);
		if (rc < 0)
			return -1;
		if (rc > 0)
			continue;
		any = true;
		if (x->len > v->slen + 4) {
			body = x->len - v->slen;
			if (t->len >= (v->vca_signed ? v->vca.len : 0) + body &&
			    !memcmp(t->p + t->len - body, x->p, body)) {
				v->kind = kinds[i];
				v->request = t->p + t->len - body;
				v->req_len = body;
				return 0;
			}
		}
		free(x->p);
		x->p = NULL;
	}
	if (!any && only)
		return bad(v, "no %s-slot%d.bin: cannot tell which request was signed",
			   only, v->slot);
	if (!any)
		return bad(v,
			    "no challenge-slot%d.bin or measurements-slot%d.bin: cannot tell which request was signed",
			    v->slot, v->slot);
	if (only)
		return fail(v,
			    "transcript does not end with the signed exchange of %s-slot%d.bin (minus its %zu-byte signature)",
			    only, v->slot, v->slen);
	return fail(v,
		    "transcript does not end with the signed exchange of challenge-slot%d.bin or measurements-slot%d.bin (minus its %zu-byte signature)",
		    v->slot, v->slot, v->slen);
}

static uint32_t get_le24(const uint8_t *p)
{
	return p[0] | p[1] << 8 | (uint32_t)p[2] << 16;
}

/*
 * A CHALLENGE with Param2 0xff has the device sign, in CHALLENGE_AUTH, the
 * hash of all its measurement blocks: with it, the blocks of the
 * measurements object are bound by the challenge signature even when the
 * MEASUREMENTS response was not signed, or its signature not published.
 * DSP0274 (1.1.2 and later, and the 1.2+ text) defines it as the hash of
 * the concatenation of every measurement block, each whole (Index,
 * MeasurementSpecification, MeasurementSize, Measurement), in the order of
 * the MEASUREMENTS record; lib/spdm checks the same at connect. @r is
 * CHALLENGE_AUTH, @type the summary hash type of CHALLENGE (Param2).
 */
static int check_summary(struct verify *v, const uint8_t *r, size_t rlen, uint8_t type)
{
	uint8_t h[EVP_MAX_MD_SIZE], ver = v->vca.version;
	const uint8_t *m, *rec, *summary = r + 4 + v->hlen + SPDM_NONCE_LEN;
	size_t qlen, reclen, off = 0;
	struct blob x = { };
	int rc, nblocks, n = 0;

	if (!type) {
		printf("summary: none asked for (CHALLENGE Param2 0): %s\n",
		       "no measurement is signed by it");
		return 0;
	}
	if (rlen < 4 + v->hlen + SPDM_NONCE_LEN + v->hlen)
		return bad(v, "challenge: CHALLENGE_AUTH too short for MeasurementSummaryHash");
	if (type != 0xff) {
		printf("summary: type 0x%02x (TCB components) not checked: %s\n", type,
		       "only the device knows its TCB");
		return 0;
	}
	rc = load_obj(v, "measurements", v->slot, &x, true);
	if (rc < 0)
		return -1;
	if (rc) {
		printf("summary: not checked, no measurements-slot%d.bin\n", v->slot);
		return 0;
	}
	m = x.p;
	rc = -1;
	if (x.len < 4 || m[0] != ver || m[1] != SPDM_GET_MEASUREMENTS) {
		bad(v,
		    "measurements-slot%d.bin does not start with a GET_MEASUREMENTS of SPDM %u.%u",
		    v->slot, ver >> 4, ver & 0xf);
		goto out;
	}
	if (m[3] != 0xff) {
		printf("summary: not checked, GET_MEASUREMENTS asked for block %u, not all\n",
		       m[3]);
		rc = 0;
		goto out;
	}
	qlen = 4 + (m[2] & 1 ? SPDM_NONCE_LEN + (ver >= 0x11) : 0) +
	       (ver >= 0x13 ? SPDM_CONTEXT_LEN : 0);
	if (x.len < qlen + 8 || m[qlen] != ver || m[qlen + 1] != SPDM_MEASUREMENTS) {
		bad(v, "measurements-slot%d.bin: no MEASUREMENTS response after the request",
		    v->slot);
		goto out;
	}
	nblocks = m[qlen + 4];
	reclen = get_le24(m + qlen + 5);
	rec = m + qlen + 8;
	if (reclen > x.len - qlen - 8) {
		bad(v, "measurements-slot%d.bin: MeasurementRecordLength %zu exceeds the object",
		    v->slot, reclen);
		goto out;
	}
	/* the record must be exactly NumberOfBlocks whole blocks */
	while (off < reclen) {
		size_t size = reclen - off < 4 ? 0 : (size_t)(rec[off + 2] | rec[off + 3] << 8);

		if (reclen - off < 4 || reclen - off - 4 < size) {
			bad(v, "measurements-slot%d.bin: block %d runs past the record",
			    v->slot, n);
			goto out;
		}
		off += 4 + size;
		n++;
	}
	if (n != nblocks) {
		bad(v, "measurements-slot%d.bin: %d blocks in the record, NumberOfBlocks says %d",
		    v->slot, n, nblocks);
		goto out;
	}
	if (digest(v->md, rec, reclen, h)) {
		fail(v, "summary: cannot hash the measurement blocks: %s", ossl_reason());
		goto out;
	}
	if (memcmp(h, summary, v->hlen)) {
		fail(v,
		     "challenge: CHALLENGE_AUTH MeasurementSummaryHash (all blocks) does not match the %d measurement blocks of measurements-slot%d.bin",
		     n, v->slot);
		goto out;
	}
	printf("summary: ok, the signed MeasurementSummaryHash matches the %d %s%d.bin\n",
	       n, "measurement blocks of measurements-slot", v->slot);
	v->summary_ok = true;
	rc = 0;
out:
	free(x.p);
	return rc;
}

/* Check the signed request and response headers; find slot and nonce */
static int parse_exchange(struct verify *v, const uint8_t **nonce)
{
	const uint8_t *q = v->request;
	uint8_t ver = v->vca.version;
	size_t qlen, n = v->req_len;
	int slot;

	if (n < 4 || q[0] != ver)
		return fail(v, "%s: request has version 0x%02x, negotiated 0x%02x",
			    v->kind, n ? q[0] : 0, ver);
	if (!strcmp(v->kind, "challenge")) {
		if (q[1] != SPDM_CHALLENGE)
			return bad(v, "challenge: request code 0x%02x is not CHALLENGE", q[1]);
		qlen = 4 + SPDM_NONCE_LEN + (ver >= 0x13 ? SPDM_CONTEXT_LEN : 0);
		if (q[2] == 0xff)
			return fail(v,
				    "challenge: slot 0xff (provisioned public key) is not supported");
		slot = q[2] & 0xf;
	} else {
		if (q[1] != SPDM_GET_MEASUREMENTS)
			return bad(v, "measurements: request code 0x%02x is not GET_MEASUREMENTS",
				    q[1]);
		if (!(q[2] & 1))
			return fail(v,
				    "measurements: GET_MEASUREMENTS did not ask for a signature");
		qlen = 4 + SPDM_NONCE_LEN + (ver >= 0x11 ? 1 : 0) +
		       (ver >= 0x13 ? SPDM_CONTEXT_LEN : 0);
		slot = ver >= 0x11 && n > 36 ? q[36] & 0xf : 0;
	}
	if (n < qlen + 4)
		return bad(v, "%s: exchange too short (%zu bytes) for its request and a response",
			    v->kind, n);
	if (q[qlen] != ver)
		return fail(v, "%s: response has version 0x%02x, negotiated 0x%02x",
			    v->kind, q[qlen], ver);
	if (q[qlen + 1] != (q[1] == SPDM_CHALLENGE ? SPDM_CHALLENGE_AUTH : SPDM_MEASUREMENTS))
		return fail(v, "%s: response code 0x%02x does not answer request 0x%02x",
			    v->kind, q[qlen + 1], q[1]);
	if (slot > 7 || slot != v->slot)
		return fail(v, "%s: the signed request names slot %d, the evidence is for slot %d",
			    v->kind, slot, v->slot);
	if (q[1] == SPDM_CHALLENGE) {
		uint8_t h[EVP_MAX_MD_SIZE];

		if (n < qlen + 4 + v->hlen)
			return bad(v, "challenge: CHALLENGE_AUTH too short for CertChainHash");
		if (digest(v->md, v->chain_file.p, v->chain_file.len, h))
			return fail(v, "challenge: cannot hash the chain: %s", ossl_reason());
		if (memcmp(h, q + qlen + 4, v->hlen))
			return fail(v,
				    "challenge: CHALLENGE_AUTH CertChainHash does not match cert-chain-slot%d.bin",
				    v->slot);
		/* checked once the signature is: it is what makes it the device's */
		v->chal_rsp = q + qlen;
		v->chal_rsp_len = n - qlen;
		v->summary_type = q[3];
	}
	*nonce = q + 4;
	return 0;
}

static int check_chain(struct verify *v)
{
	struct chain_opts self = { };
	struct spdm_chain c;
	uint8_t h[EVP_MAX_MD_SIZE];
	bool anchored;

	if (spdm_chain_split(v->chain_file.p, v->chain_file.len, v->hlen, &c, v->err))
		return -1;
	if (!c.nr)
		return fail(v, "cert chain: no certificates");
	for (int i = 0; i < c.nr; i++) {
		const uint8_t *p = c.der[i];

		v->certs[i] = d2i_X509(NULL, &p, c.der_len[i]);
		if (!v->certs[i] || p != c.der[i] + c.der_len[i])
			return fail(v, "cert chain: certificate %d does not parse as X.509: %s",
				    i, ossl_reason());
		v->nr = i + 1;
	}
	/*
	 * Certificate 0 is the root or was issued by it (DSP0274): RootHash
	 * is checked here for a root, against --root otherwise (chain.c).
	 */
	v->chain.root_hash = c.root_hash;
	v->chain.md = v->md;
	if (X509_check_issued(v->certs[0], v->certs[0]) == X509_V_OK) {
		digest(v->md, c.der[0], c.der_len[0], h);
		if (memcmp(h, c.root_hash, v->hlen))
			return fail(v,
				    "cert chain: root hash in the header does not match certificate 0");
	}
	ERR_clear_error();

	/* The same path rules with or without --root */
	self.check_time = v->chain.check_time;
	self.ids = v->chain.ids;
	if (chain_validate(v->certs, v->nr, &self, &anchored, v->err))
		return -1;
	printf("chain: slot %d, %d certificates, a valid certification path\n",
	       v->slot, v->nr);
	return 0;
}

static int check_root(struct verify *v, const char *path)
{
	struct chain_opts o = v->chain;
	bool anchored;
	int rc;

	if (!path) {
		printf("trust: self-consistent only (no --root: the chain is not anchored)\n");
		return 0;
	}
	o.root = path;
	rc = chain_validate(v->certs, v->nr, &o, &anchored, v->err);
	if (rc)
		return -1;
	printf("trust: chain anchored to %s\n", path);
	return 0;
}

/* Key and signature scheme must be the negotiated BaseAsymAlgo */
static int check_key(struct verify *v, EVP_PKEY *key, const char **curve)
{
	uint32_t a = v->vca.base_asym;
	char group[64] = "";
	size_t glen;
	int bits = EVP_PKEY_get_bits(key);

	*curve = NULL;
	if (a & (1u << 4 | 1u << 7 | 1u << 8)) {
		*curve = a & (1u << 4) ? "prime256v1" : a & (1u << 7) ? "secp384r1" : "secp521r1";
		if (!EVP_PKEY_is_a(key, "EC") ||
		    !EVP_PKEY_get_group_name(key, group, sizeof(group), &glen) ||
		    strcmp(group, *curve))
			return fail(v, "leaf key is not an EC %s key as %s requires",
				    *curve, spdm_asym_name(a));
		return 0;
	}
	if (a & (1u << 0 | 1u << 1 | 1u << 2 | 1u << 3 | 1u << 5 | 1u << 6)) {
		if (!EVP_PKEY_is_a(key, "RSA") || bits != (int)v->slen * 8)
			return fail(v, "leaf key is not a %zu-bit RSA key as %s requires",
				    v->slen * 8, spdm_asym_name(a));
		return 0;
	}
	return fail(v, "signature algorithm %s is not supported", spdm_asym_name(a));
}

/* SPDM carries ECDSA signatures as r || s; OpenSSL wants DER */
static int ecdsa_der(const uint8_t *sig, size_t len, uint8_t **der, int *der_len)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r, *s;

	if (!es)
		return -1;
	r = BN_bin2bn(sig, len / 2, NULL);
	s = BN_bin2bn(sig + len / 2, len / 2, NULL);
	if (!r || !s || !ECDSA_SIG_set0(es, r, s)) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return -1;
	}
	*der = NULL;
	*der_len = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	return *der_len > 0 ? 0 : -1;
}

static int check_signature(struct verify *v)
{
	const char *ctx_str = !strcmp(v->kind, "challenge") ?
		"responder-challenge_auth signing" : "responder-measurements signing";
	uint8_t msg[SPDM_PREFIX_LEN + EVP_MAX_MD_SIZE];
	EVP_PKEY *key = X509_get0_pubkey(v->certs[v->nr - 1]);
	const uint8_t *m = v->transcript.p, *sig = v->signature.p;
	size_t mlen = v->transcript.len, siglen = v->slen;
	EVP_PKEY_CTX *pctx = NULL;
	uint8_t *der = NULL;
	const char *curve;
	EVP_MD_CTX *mctx;
	uint8_t ver = v->vca.version;
	int rc, der_len;

	if (!key)
		return fail(v, "leaf certificate has no usable public key: %s", ossl_reason());
	if (check_key(v, key, &curve))
		return -1;

	if (ver >= 0x12) {
		/* "dmtf-spdm-v1.X.*" x 4, zero padding, context, transcript hash */
		for (int i = 0; i < 4; i++)
			memcpy(msg + 16 * i, ver == 0x12 ? "dmtf-spdm-v1.2.*" :
			       "dmtf-spdm-v1.3.*", 16);
		memset(msg + SPDM_PREFIX_VER_LEN, 0, SPDM_PREFIX_CTX_LEN - strlen(ctx_str));
		memcpy(msg + SPDM_PREFIX_LEN - strlen(ctx_str), ctx_str, strlen(ctx_str));
		if (digest(v->md, v->transcript.p, v->transcript.len, msg + SPDM_PREFIX_LEN))
			return fail(v, "cannot hash the transcript: %s", ossl_reason());
		m = msg;
		mlen = SPDM_PREFIX_LEN + v->hlen;
	}
	if (curve) {
		if (ecdsa_der(v->signature.p, v->slen, &der, &der_len))
			return fail(v, "cannot encode the ECDSA signature: %s", ossl_reason());
		sig = der;
		siglen = der_len;
	}

	mctx = EVP_MD_CTX_new();
	if (!mctx || EVP_DigestVerifyInit(mctx, &pctx, v->md, NULL, key) != 1) {
		EVP_MD_CTX_free(mctx);
		OPENSSL_free(der);
		return fail(v, "cannot set up signature verification: %s", ossl_reason());
	}
	if (v->vca.base_asym & (1u << 1 | 1u << 3 | 1u << 6)) {
		/* DSP0274: RSASSA-PSS with a salt as long as the hash */
		if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
			EVP_MD_CTX_free(mctx);
			OPENSSL_free(der);
			return fail(v, "cannot set up RSASSA-PSS: %s", ossl_reason());
		}
	}
	rc = EVP_DigestVerify(mctx, sig, siglen, m, mlen);
	EVP_MD_CTX_free(mctx);
	OPENSSL_free(der);
	if (rc != 1)
		return fail(v,
			    "signature: %s signature over the %zu-byte transcript does not verify with the leaf key (SPDM %u.%u %s, %s): %s",
			    spdm_asym_name(v->vca.base_asym), v->transcript.len,
			    ver >> 4, ver & 0xf,
			    ver >= 0x12 ? "signing-context rule" : "plain hash rule",
			    spdm_hash_name(v->vca.base_hash), ossl_reason());
	printf("signature: ok, %s-slot%d.bin: %s with %s over the %s transcript",
	       v->pair->signature, v->slot,
	       spdm_asym_name(v->vca.base_asym), spdm_hash_name(v->vca.base_hash), v->kind);
	printf(" (%zu bytes), SPDM %u.%u\n", v->transcript.len, ver >> 4, ver & 0xf);
	return 0;
}

/*
 * Version and algorithms come from the VCA the transcript starts with.
 * Only SPDM 1.0/1.1 measurement transcripts (L1) lack it: then they come
 * from the vca object, which must be 1.0 or 1.1 too.
 */
static int load_vca(struct verify *v)
{
	const struct blob *t = &v->transcript;
	struct blob vca = { };
	int rc;

	v->vca_signed = t->len >= 2 && t->p[1] == 0x84;	/* GET_VERSION */
	if (v->vca_signed &&
	    spdm_parse_vca(t->p, t->len, &v->vca, v->err))
		return bad_input(v);

	rc = load_obj(v, "vca", v->slot, &vca, true);
	if (rc < 0)
		return -1;
	if (rc && !v->vca_signed)
		return bad(v,
			    "the transcript does not start with GET_VERSION and there is no vca-slot%d.bin",
			    v->slot);
	if (!rc && v->vca_signed) {
		rc = vca.len != v->vca.len || memcmp(vca.p, t->p, vca.len);
		free(vca.p);
		if (rc)
			return fail(v,
				    "vca-slot%d.bin differs from the VCA that starts the transcript",
				    v->slot);
		return 0;
	}
	if (!v->vca_signed) {
		rc = spdm_parse_vca(vca.p, vca.len, &v->vca, v->err);
		if (rc)
			rc = bad_input(v);
		if (!rc && vca.len != v->vca.len)
			rc = bad(v, "vca-slot%d.bin: %zu bytes after the VCA",
				 v->slot, vca.len - v->vca.len);
		if (!rc && v->vca.version >= 0x12)
			rc = fail(v, "SPDM %u.%u transcripts must start with the VCA",
				  v->vca.version >> 4, v->vca.version & 0xf);
		free(vca.p);
		return rc;
	}
	return 0;
}

/*
 * Once, with the first pair: the algorithms it negotiated, the chain and
 * its anchoring. Later pairs must have negotiated the same.
 */
static int setup(struct verify *v, const char *root)
{
	struct spdm_chain chain;

	v->vca0 = v->vca;
	v->hlen = spdm_hash_len(v->vca.base_hash);
	v->slen = spdm_sig_len(v->vca.base_asym);
	v->md = spdm_md(v->vca.base_hash);
	if (!v->md)
		return fail(v, "hash algorithm %s is not supported",
			    spdm_hash_name(v->vca.base_hash));
	printf("vca: SPDM %u.%u, %s, %s%s\n", v->vca.version >> 4, v->vca.version & 0xf,
	       spdm_asym_name(v->vca.base_asym), spdm_hash_name(v->vca.base_hash),
	       v->vca_signed ? "" : " (from the vca object: not in the signed transcript)");
	if (load_obj(v, "cert-chain", v->slot, &v->chain_file, false))
		return -1;
	/* a malformed chain is bad input; check_chain() judges a well-formed one */
	if (spdm_chain_split(v->chain_file.p, v->chain_file.len, v->hlen, &chain, v->err))
		return bad_input(v);
	if (check_chain(v) || check_root(v, root))
		return -1;
	v->setup = true;
	return 0;
}

/* Every pair must start with the same VCA, the one the first pair set up */
static int same_vca(struct verify *v)
{
	const struct blob *t = &v->transcript;

	if (v->vca.version != v->vca0.version || v->vca.base_asym != v->vca0.base_asym ||
	    v->vca.base_hash != v->vca0.base_hash)
		return fail(v, "negotiated other algorithms or version than the first transcript");
	if (!v->vca_signed)
		return 0;
	if (!v->vca0_signed.p) {
		v->vca0_signed.p = malloc(v->vca.len);
		if (!v->vca0_signed.p)
			return bad(v, "out of memory");
		memcpy(v->vca0_signed.p, t->p, v->vca.len);
		v->vca0_signed.len = v->vca.len;
		return 0;
	}
	if (v->vca0_signed.len != v->vca.len || memcmp(v->vca0_signed.p, t->p, v->vca.len))
		return fail(v, "starts with another VCA than the other transcripts");
	return 0;
}

static int check_nonce(struct verify *v, const uint8_t *nonce, const uint8_t *want)
{
	char got[2 * SPDM_NONCE_LEN + 1], exp[2 * SPDM_NONCE_LEN + 1];

	for (int i = 0; i < SPDM_NONCE_LEN; i++) {
		sprintf(got + 2 * i, "%02x", nonce[i]);
		sprintf(exp + 2 * i, "%02x", want ? want[i] : 0);
	}
	if (!want) {
		printf("nonce: not checked (no --nonce), the signed %s request carries %s\n",
		       v->kind, got);
		return 0;
	}
	if (memcmp(want, nonce, SPDM_NONCE_LEN))
		return fail(v, "nonce: the signed %s request carries nonce %s, expected %s",
			    v->kind, got, exp);
	printf("nonce: ok, the signed %s request carries the given nonce\n", v->kind);
	return 0;
}

/* One transcript and signature pair; 1 if the dump has none of it */
static int run_pair(struct verify *v, const char *root, const uint8_t *want)
{
	const struct pair_def *p = v->pair;
	const uint8_t *nonce = NULL;
	int rc;

	rc = load_obj(v, p->transcript, v->slot, &v->transcript, true);
	if (rc)
		return rc;
	if (load_obj(v, p->signature, v->slot, &v->signature, false) || load_vca(v))
		return -1;
	if (!v->setup && setup(v, root))
		return -1;
	if (same_vca(v))
		return -1;
	if (v->signature.len != v->slen)
		return bad(v, "%s-slot%d.bin is %zu bytes, %s signatures are %zu",
			   p->signature, v->slot, v->signature.len,
			   spdm_asym_name(v->vca.base_asym), v->slen);
	if (find_exchange(v))
		return -1;
	if (!v->vca_signed && strcmp(v->kind, "measurements"))
		return fail(v, "a %s transcript must start with the VCA", v->kind);
	if (parse_exchange(v, &nonce) || check_signature(v))
		return -1;
	if (memcmp(v->exchange.p + v->exchange.len - v->slen, v->signature.p, v->slen))
		return fail(v, "%s-slot%d.bin differs from the signature in %s-slot%d.bin",
			    p->signature, v->slot, v->kind, v->slot);
	if (!strcmp(v->kind, "challenge") &&
	    check_summary(v, v->chal_rsp, v->chal_rsp_len, v->summary_type))
		return -1;
	if (check_nonce(v, nonce, want))
		return -1;
	if (v->vca_signed)
		v->vca_covered = true;
	if (!strcmp(v->kind, "challenge"))
		v->signed_challenge = true;
	else
		v->signed_measurements = true;
	return 0;
}

static void pair_reset(struct verify *v)
{
	free(v->transcript.p);
	free(v->signature.p);
	free(v->exchange.p);
	memset(&v->transcript, 0, sizeof(v->transcript));
	memset(&v->signature, 0, sizeof(v->signature));
	memset(&v->exchange, 0, sizeof(v->exchange));
	v->kind = NULL;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Why a verified signature covers object @type of the verified slot, or NULL */
static const char *covered_by(const struct verify *v, const char *type)
{
	for (size_t i = 0; i < NR_PAIRS; i++) {
		if (v->pair_ok[i] && !strcmp(type, pair_defs[i].transcript))
			return "the data of a verified signature";
		if (v->pair_ok[i] && !strcmp(type, pair_defs[i].signature))
			return "a verified signature";
	}
	if (!strcmp(type, "cert-chain") && v->signed_challenge)
		return "challenge signature: CertChainHash and the CERTIFICATE responses";
	if (!strcmp(type, "vca") && v->vca_covered)
		return "every signed transcript starts with it";
	if (!strcmp(type, "challenge") && v->signed_challenge)
		return "challenge signature: the end of M1";
	if (!strcmp(type, "measurements") && v->signed_measurements)
		return "measurements signature: the end of L1";
	if (!strcmp(type, "measurements") && v->summary_ok)
		return "its blocks only, by the challenge signature's MeasurementSummaryHash; "
		       "not its request, nonce or opaque data";
	return NULL;
}

/* Why a file is not covered by any verified signature */
static const char *not_covered(const struct verify *v, const char *name, const char *type,
			       int slot)
{
	if (!type)
		return !strcmp(name, "summary.json") ?
			"written by the dump, never read by verify" :
			!strcmp(name, "connect-error") ?
			"the kernel's error: it refused the device at connect" :
			"not an evidence object of the dump format";
	if (slot != v->slot)
		return "another slot than the one verified";
	if (!strcmp(type, "interface-report"))
		return "supplied by the TSM, not signed by the device";
	if (!strcmp(type, "cert-chain"))
		return "no challenge signature; its leaf key verified the measurements signature";
	if (!strcmp(type, "measurements"))
		return "neither signed nor bound by a matching MeasurementSummaryHash";
	if (!strcmp(type, "vca"))
		return "no signed transcript starts with it (SPDM 1.0/1.1 L1)";
	if (!strncmp(type, "type-", 5))
		return "an object type this tool does not know (newer kernel?)";
	if (!strcmp(type, "challenge"))
		return "the dump holds no CHALLENGE_AUTH signature";
	return "not verified";
}

/*
 * Say, for every file of the dump, whether a verified signature covered
 * it: only those are the device's word, the rest is whatever the TSM, the
 * dump or anyone with write access to DIR put there.
 */
static void print_coverage(struct verify *v)
{
	char **names = NULL;
	struct dirent *de;
	int fd, n = 0;
	DIR *d;

	fd = dup(v->dirfd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		printf("coverage: cannot list %s: %s\n", v->dir, strerror(errno));
		return;
	}
	/* the duplicate shares the offset find_slot() left at the end */
	rewinddir(d);
	while ((de = readdir(d))) {
		char **p;

		if (de->d_name[0] == '.')
			continue;
		p = realloc(names, (n + 1) * sizeof(*names));
		if (!p)
			break;
		names = p;
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (int i = 0; i < n; i++) {
		char type[64] = "", *name = names[i];
		unsigned int slot = ~0u;
		const char *why = NULL, *t = NULL;
		char *dash = strstr(name, "-slot");
		int end = 0;

		if (dash && (size_t)(dash - name) < sizeof(type) &&
		    sscanf(dash, "-slot%u%n", &slot, &end) == 1) {
			memcpy(type, name, dash - name);
			if (!strcmp(dash + end, ".bin")) {
				t = type;
				why = slot == (unsigned int)v->slot ? covered_by(v, type) : NULL;
			} else if (!strcmp(type, "cert-chain") && dash[end] == '-') {
				printf("NOT covered: %s (%s%u.bin for convenience; %s)\n", name,
				       "a copy split from cert-chain-slot", slot,
				       "verify reads that");
				free(name);
				continue;
			}
		}
		if (why)
			printf("covered: %s (%s)\n", name, why);
		else
			printf("NOT covered: %s (%s)\n", name, not_covered(v, name, t, slot));
		free(name);
	}
	free(names);
}

/*
 * Verify every pair the dump holds, each on its own: a failure is
 * reported and the next pair still checked, so that the output names
 * every problem. A failure of the chain or its anchoring ends it. The
 * exit code is that of the first failure.
 */
static int run(struct verify *v, const char *root, const uint8_t *want)
{
	int found = 0, ok = 0, code = 0;

	for (size_t i = 0; i < NR_PAIRS; i++) {
		int rc;

		v->pair = &pair_defs[i];
		v->err[0] = '\0';
		rc = run_pair(v, root, want);
		pair_reset(v);
		if (rc > 0)
			continue;
		found++;
		if (!rc) {
			v->pair_ok[i] = true;
			ok++;
			continue;
		}
		fprintf(stderr, "%s: evidence verify %s: FAILED: %s-slot%d.bin: %s\n",
			prog, v->dir, v->pair->transcript, v->slot, v->err);
		if (!code)
			code = v->code ? v->code : VERIFY_FAILED;
		if (!v->setup)
			break;
	}
	v->code = code;
	if (!found)
		return bad(v, "no signed transcript of slot %d", v->slot);
	if (code) {
		snprintf(v->err, sizeof(v->err), "%d of %d signed transcripts failed (see above)",
			 found - ok, found);
		v->code = code;
		return -1;
	}
	print_coverage(v);
	printf("fresh: %s\n", want ? "ok, every signed request carries the given --nonce" :
	       "not checked (no --nonce): the evidence may be a replay");
	return 0;
}

/*
 * The dump of a refused connect holds "connect-error": the kernel's errno
 * and its text.  Its presence alone fails verify; its text, printable
 * characters only, goes into @why.  Returns 1 if present, 0 if absent,
 * -1 if it cannot be read (a symlink, a FIFO...): that fails verify too.
 */
static int connect_refused(struct verify *v, char *why, size_t size)
{
	uint8_t *p = NULL;
	size_t len, n = 0;
	int rc;

	rc = read_file_at(v->dirfd, "connect-error", &p, &len, v->err);
	if (rc == -ENOENT) {
		v->err[0] = '\0';
		return 0;
	}
	if (rc)
		return bad_input(v);
	for (size_t i = 0; i < len && n + 1 < size; i++)
		if (p[i] >= 0x20 && p[i] < 0x7f)
			why[n++] = p[i];
	why[n] = '\0';
	free(p);
	return 1;
}

static void verify_usage(void)
{
	fprintf(stderr,
		"usage: %s evidence verify DIR [--root CA] [--nonce HEX] [--require-nonce] [--slot N]\n"
		"       [--check-time] [--ids IDS | --device BDF]\n"
		"       IDS: Vendor=VVVV:Device=DDDD:CC=CCCCCC:REV=RR:SSVID=SSSS:SSID=SSSS (hex)\n"
		"exit: 0 every signature verified and the chain anchored to --root\n"
		"        (with --nonce: every signed request carries it)\n"
		"      1 a check failed (or --require-nonce without --nonce,\n"
		"        or the kernel refused the device at connect)\n"
		"      2 usage error, nothing read\n"
		"      3 a file is missing, unreadable or malformed\n"
		"      4 all verified but unanchored: no --root\n", prog);
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "require-nonce", no_argument, NULL, 'N' },
		{ "slot", required_argument, NULL, 's' },
		{ "check-time", no_argument, NULL, 't' },
		{ "ids", required_argument, NULL, 'i' },
		{ "device", required_argument, NULL, 'd' },
		{ }
	};
	const char *device = NULL;
	static char ids[128];
	const char *root = NULL, *nonce_hex = NULL;
	struct verify v = { .slot = -1 };
	uint8_t nonce[SPDM_NONCE_LEN];
	bool require_nonce = false;
	int refused;
	char why[160];
	char *end;
	int c, rc;

	/* every usage error is reported before any file is read */
	while ((c = getopt_long(argc, argv, "r:n:s:ti:d:", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			root = optarg;
			break;
		case 'n':
			nonce_hex = optarg;
			if (hex_decode(nonce_hex, nonce, sizeof(nonce))) {
				fprintf(stderr, "%s: --nonce must be %d hex digits\n", prog,
					2 * SPDM_NONCE_LEN);
				return VERIFY_USAGE;
			}
			break;
		case 'N':
			require_nonce = true;
			break;
		case 't':
			v.chain.check_time = true;
			break;
		case 'i':
			v.chain.ids = optarg;
			break;
		case 'd':
			device = optarg;
			break;
		case 's':
			v.slot = strtol(optarg, &end, 10);
			if (*end || v.slot < 0 || v.slot > 7) {
				fprintf(stderr, "%s: --slot must be 0-7\n", prog);
				return VERIFY_USAGE;
			}
			break;
		default:
			verify_usage();
			return VERIFY_USAGE;
		}
	}
	if (optind + 1 != argc || (device && v.chain.ids) ||
	    (v.chain.ids && !chain_ids_valid(v.chain.ids))) {
		verify_usage();
		return VERIFY_USAGE;
	}
	v.dir = argv[optind];
	if (device) {
		if (chain_ids_from_device(device, ids, sizeof(ids), v.err)) {
			fprintf(stderr, "%s: %s\n", prog, v.err);
			return VERIFY_BAD_INPUT;
		}
		v.chain.ids = ids;
	}

	v.dirfd = open(v.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (v.dirfd < 0) {
		fprintf(stderr, "%s: evidence verify %s: FAILED: %s\n", prog, v.dir,
			strerror(errno));
		return VERIFY_BAD_INPUT;
	}
	refused = connect_refused(&v, why, sizeof(why));
	rc = refused < 0 ? -1 : v.slot < 0 ? find_slot(&v) : 0;
	if (!rc)
		rc = run(&v, root, nonce_hex ? nonce : NULL);
	for (int i = 0; i < v.nr; i++)
		X509_free(v.certs[i]);
	free(v.chain_file.p);
	free(v.vca0_signed.p);
	close(v.dirfd);
	if (refused > 0)
		fprintf(stderr,
			"%s: evidence verify %s: the kernel refused this device at connect (errno %s): the evidence is what it sent before\n",
			prog, v.dir, why);
	if (rc) {
		fprintf(stderr, "%s: evidence verify %s: FAILED: %s\n", prog, v.dir, v.err);
		/* A refusal usually leaves no signature: a failure, not bad input */
		return refused > 0 ? VERIFY_FAILED : v.code ? v.code : VERIFY_FAILED;
	}
	/* Whatever verified offline, the kernel found something wrong */
	if (refused > 0) {
		fprintf(stderr, "%s: evidence verify %s: FAILED: the device was refused\n",
			prog, v.dir);
		return VERIFY_FAILED;
	}
	if (require_nonce && !nonce_hex) {
		fprintf(stderr,
			"%s: evidence verify %s: FAILED: --require-nonce, but no --nonce: freshness not checked\n",
			prog, v.dir);
		return VERIFY_FAILED;
	}
	if (!root) {
		printf("evidence verify %s: UNANCHORED: %s\n", v.dir,
		       "verified, but the chain is self-consistent only (no --root)");
		return VERIFY_UNANCHORED;
	}
	printf("evidence verify %s: OK\n", v.dir);
	return VERIFY_OK;
}

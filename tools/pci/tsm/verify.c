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

struct verify {
	const char *dir;
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
};

static __printf(2, 3) int fail(struct verify *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->err, sizeof(v->err), fmt, ap);
	va_end(ap);
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
	return rc ? -1 : 0;
}

/* The slot is in the file names: there must be exactly one transcript */
static int find_slot(struct verify *v)
{
	struct dirent *de;
	int fd, found = -1, n = 0;
	DIR *d;

	fd = dup(v->dirfd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return fail(v, "%s: %s", v->dir, strerror(errno));
	}
	while ((de = readdir(d))) {
		unsigned int slot;
		int end = 0;

		if (sscanf(de->d_name, "transcript-slot%u%n", &slot, &end) == 1 &&
		    !strcmp(de->d_name + end, ".bin") && slot <= 7) {
			found = slot;
			n++;
		}
	}
	closedir(d);
	if (!n)
		return fail(v, "%s: no transcript-slotN.bin", v->dir);
	if (n > 1)
		return fail(v, "%s: %d transcripts, choose one with --slot", v->dir, n);
	v->slot = found;
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

static void digest(const EVP_MD *md, const uint8_t *p, size_t len, uint8_t *out)
{
	unsigned int n;

	EVP_Digest(p, len, out, &n, md, NULL);
}

/*
 * The transcript ends with the signed exchange minus the signature: find
 * which of the exchange objects it is, and with it the signed request.
 */
static int find_exchange(struct verify *v)
{
	static const char * const kinds[] = { "measurements", "challenge" };
	const struct blob *t = &v->transcript;
	bool any = false;

	for (int i = 0; i < 2; i++) {
		struct blob *x = &v->exchange;
		size_t body;
		int rc;

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
	if (!any)
		return fail(v,
			    "no challenge-slot%d.bin or measurements-slot%d.bin: cannot tell which request was signed",
			    v->slot, v->slot);
	return fail(v,
		    "transcript does not end with the signed exchange of challenge-slot%d.bin or measurements-slot%d.bin (minus its %zu-byte signature)",
		    v->slot, v->slot, v->slen);
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
			return fail(v, "challenge: request code 0x%02x is not CHALLENGE", q[1]);
		qlen = 4 + SPDM_NONCE_LEN + (ver >= 0x13 ? SPDM_CONTEXT_LEN : 0);
		if (q[2] == 0xff)
			return fail(v,
				    "challenge: slot 0xff (provisioned public key) is not supported");
		slot = q[2] & 0xf;
	} else {
		if (q[1] != SPDM_GET_MEASUREMENTS)
			return fail(v, "measurements: request code 0x%02x is not GET_MEASUREMENTS",
				    q[1]);
		if (!(q[2] & 1))
			return fail(v,
				    "measurements: GET_MEASUREMENTS did not ask for a signature");
		qlen = 4 + SPDM_NONCE_LEN + (ver >= 0x11 ? 1 : 0) +
		       (ver >= 0x13 ? SPDM_CONTEXT_LEN : 0);
		slot = ver >= 0x11 && n > 36 ? q[36] & 0xf : 0;
	}
	if (n < qlen + 4)
		return fail(v, "%s: exchange too short (%zu bytes) for its request and a response",
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
			return fail(v, "challenge: CHALLENGE_AUTH too short for CertChainHash");
		digest(v->md, v->chain_file.p, v->chain_file.len, h);
		if (memcmp(h, q + qlen + 4, v->hlen))
			return fail(v,
				    "challenge: CHALLENGE_AUTH CertChainHash does not match cert-chain-slot%d.bin",
				    v->slot);
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
		digest(v->md, v->transcript.p, v->transcript.len, msg + SPDM_PREFIX_LEN);
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
	printf("signature: ok, %s with %s over the %s transcript (%zu bytes), SPDM %u.%u\n",
	       spdm_asym_name(v->vca.base_asym), spdm_hash_name(v->vca.base_hash),
	       v->kind, v->transcript.len, ver >> 4, ver & 0xf);
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
		return -1;

	rc = load_obj(v, "vca", v->slot, &vca, true);
	if (rc < 0)
		return -1;
	if (rc && !v->vca_signed)
		return fail(v,
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
		if (!rc && vca.len != v->vca.len)
			rc = fail(v, "vca-slot%d.bin: %zu bytes after the VCA",
				  v->slot, vca.len - v->vca.len);
		if (!rc && v->vca.version >= 0x12)
			rc = fail(v, "SPDM %u.%u transcripts must start with the VCA",
				  v->vca.version >> 4, v->vca.version & 0xf);
		free(vca.p);
		return rc;
	}
	return 0;
}

static int run(struct verify *v, const char *root, const char *nonce_hex)
{
	const uint8_t *nonce = NULL;

	if (load_obj(v, "transcript", v->slot, &v->transcript, false) ||
	    load_obj(v, "signature", v->slot, &v->signature, false))
		return -1;
	if (load_vca(v))
		return -1;
	v->hlen = spdm_hash_len(v->vca.base_hash);
	v->slen = spdm_sig_len(v->vca.base_asym);
	v->md = spdm_md(v->vca.base_hash);
	if (!v->md)
		return fail(v, "hash algorithm %s is not supported",
			    spdm_hash_name(v->vca.base_hash));
	printf("vca: SPDM %u.%u, %s, %s%s\n", v->vca.version >> 4, v->vca.version & 0xf,
	       spdm_asym_name(v->vca.base_asym), spdm_hash_name(v->vca.base_hash),
	       v->vca_signed ? "" : " (from the vca object: not in the signed transcript)");
	if (v->signature.len != v->slen)
		return fail(v, "signature-slot%d.bin is %zu bytes, %s signatures are %zu",
			    v->slot, v->signature.len, spdm_asym_name(v->vca.base_asym), v->slen);
	if (find_exchange(v))
		return -1;
	if (!v->vca_signed && strcmp(v->kind, "measurements"))
		return fail(v, "a %s transcript must start with the VCA", v->kind);
	if (load_obj(v, "cert-chain", v->slot, &v->chain_file, false))
		return -1;
	if (check_chain(v) || parse_exchange(v, &nonce))
		return -1;
	if (check_root(v, root) || check_signature(v))
		return -1;
	if (memcmp(v->exchange.p + v->exchange.len - v->slen, v->signature.p, v->slen))
		return fail(v, "signature-slot%d.bin differs from the signature in %s-slot%d.bin",
			    v->slot, v->kind, v->slot);

	if (nonce_hex) {
		uint8_t want[SPDM_NONCE_LEN];

		if (hex_decode(nonce_hex, want, sizeof(want)))
			return fail(v, "--nonce must be %d hex digits", 2 * SPDM_NONCE_LEN);
		if (memcmp(want, nonce, sizeof(want))) {
			char got[2 * SPDM_NONCE_LEN + 1];

			for (int i = 0; i < SPDM_NONCE_LEN; i++)
				sprintf(got + 2 * i, "%02x", nonce[i]);
			return fail(v, "nonce: the signed %s request carries nonce %s, expected %s",
				    v->kind, got, nonce_hex);
		}
		printf("nonce: ok, the signed %s request carries the given nonce\n", v->kind);
	} else {
		printf("nonce: not checked (no --nonce), the signed request carries ");
		hex_print(stdout, nonce, SPDM_NONCE_LEN);
		printf("\n");
	}
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "slot", required_argument, NULL, 's' },
		{ "check-time", no_argument, NULL, 't' },
		{ "ids", required_argument, NULL, 'i' },
		{ "device", required_argument, NULL, 'd' },
		{ }
	};
	const char *device = NULL;
	static char ids[128];
	const char *root = NULL, *nonce = NULL;
	struct verify v = { .slot = -1 };
	char *end;
	int c, rc;

	while ((c = getopt_long(argc, argv, "r:n:s:ti:d:", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			root = optarg;
			break;
		case 'n':
			nonce = optarg;
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
				return 2;
			}
			break;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc || (device && v.chain.ids) ||
	    (v.chain.ids && !chain_ids_valid(v.chain.ids))) {
		fprintf(stderr,
			"usage: %s evidence verify DIR [--root CA] [--nonce HEX] [--slot N]\n"
			"       [--check-time] [--ids IDS | --device BDF]\n"
			"       IDS: Vendor=VVVV:Device=DDDD:CC=CCCCCC:REV=RR:SSVID=SSSS:SSID=SSSS (hex)\n",
			prog);
		return 2;
	}
	v.dir = argv[optind];
	if (device) {
		if (chain_ids_from_device(device, ids, sizeof(ids), v.err)) {
			fprintf(stderr, "%s: %s\n", prog, v.err);
			return 3;
		}
		v.chain.ids = ids;
	}

	v.dirfd = open(v.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (v.dirfd < 0) {
		fprintf(stderr, "%s: evidence verify %s: FAILED: %s\n", prog, v.dir,
			strerror(errno));
		return 1;
	}
	rc = v.slot < 0 ? find_slot(&v) : 0;
	if (!rc)
		rc = run(&v, root, nonce);
	for (int i = 0; i < v.nr; i++)
		X509_free(v.certs[i]);
	free(v.transcript.p);
	free(v.signature.p);
	free(v.exchange.p);
	free(v.chain_file.p);
	close(v.dirfd);
	if (rc) {
		fprintf(stderr, "%s: evidence verify %s: FAILED: %s\n", prog, v.dir, v.err);
		return 1;
	}
	printf("evidence verify %s: OK%s\n", v.dir,
	       root ? "" : " (self-consistent only)");
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-ins for what lib/spdm takes from the rest of the kernel: logging,
 * randomness, the X.509 parser and signature verification.
 *
 * The X.509 and signature stubs accept whatever they are given, so that
 * fuzzed responses get past the checks a fuzzer cannot satisfy (it cannot
 * sign), but they read every byte they are handed: a certificate or
 * signature that lib/spdm located outside the response shows up as an
 * AddressSanitizer report here.  The leaf key algorithm and whether
 * signatures verify are chosen by the fuzz input (fuzz.c).
 */
#include <openssl/sha.h>
#include <linux/slab.h>
#include "fuzz.h"

bool shim_verbose;
unsigned long long shim_slept_us;
const char *fuzz_key_algo = "ecdsa-nist-p384";
bool fuzz_reject_sigs;
bool fuzz_cert_attrs_from_input;

unsigned int fuzz_sink;

void shim_log_vaf(const struct device *dev, const char *fmt,
		  const struct va_format *vaf)
{
	va_list ap;

	if (!shim_verbose)
		return;
	/* @fmt is "SPDM: %pV": print the prefix, then the message */
	fprintf(stderr, "%.*s", (int)(strstr(fmt, "%pV") - fmt), fmt);
	va_copy(ap, *vaf->va);
	vfprintf(stderr, vaf->fmt, ap);
	va_end(ap);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	if (gfp & __GFP_ZERO)
		return calloc(1, size ?: 1);
	return malloc(size ?: 1);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return calloc(n ?: 1, size ?: 1);
}

void *krealloc(const void *p, size_t size, gfp_t gfp)
{
	return realloc((void *)p, size ?: 1);
}

void kfree(void *p)
{
	free(p);
}

void shim_hash_update(struct shim_hash_ctx *ctx, const void *data, size_t len)
{
	u8 *p;

	if (!len)
		return;
	p = realloc(ctx->data, ctx->len + len);
	if (!p)
		abort();
	memcpy(p + ctx->len, data, len);
	ctx->data = p;
	ctx->len += len;
}

void shim_hash_final(struct shim_hash_ctx *ctx, unsigned int bits, u8 *out)
{
	static const u8 empty;
	const u8 *data = ctx->data ?: &empty;

	if (bits == 256)
		SHA256(data, ctx->len, out);
	else if (bits == 384)
		SHA384(data, ctx->len, out);
	else
		SHA512(data, ctx->len, out);
	free(ctx->data);
	ctx->data = NULL;
	ctx->len = 0;
}

void get_random_bytes(void *buf, size_t len)
{
	memset(buf, 0x5a, len);	/* reproducible runs */
}

/* Read @len bytes so that ASan sees every access */
void fuzz_touch(const void *p, size_t len)
{
	const u8 *b = p;
	unsigned int x = 0;

	while (len--)
		x += *b++;
	fuzz_sink += x;	/* a global: the reads cannot be optimised away */
}

/*
 * What the parser would have found in the certificate.  With
 * fuzz_cert_attrs_from_input clear (the seeds), every certificate is a CA
 * that may sign anything and all names are equal, so real chains pass the
 * chain rules of cert.c.  With it set, the attributes come from the
 * certificate's own last byte and its names from fixed places in it, so
 * the fuzzer breaks each rule at will.  The extensions walked by
 * x509_ext.c are the real bytes: TBSCertificate is the first element of
 * the outer SEQUENCE when it has one.
 */
static void fuzz_cert_attrs(struct x509_certificate *cert, const u8 *d,
			    size_t len)
{
	static const char name[] = "fuzz";
	size_t hdr = 2;

	cert->tbs = d;
	cert->tbs_size = len;
	if (d[0] == 0x30) {
		hdr += d[1] & 0x80 ? d[1] & 0x7f : 0;
		if (hdr < len && d[hdr] == 0x30) {
			cert->tbs = d + hdr;
			cert->tbs_size = len - hdr;
		}
	}

	if (!fuzz_cert_attrs_from_input) {
		cert->pub->key_eflags = BIT(KEY_EFLAG_CA) |
					BIT(KEY_EFLAG_KEYCERTSIGN) |
					BIT(KEY_EFLAG_DIGITALSIG);
		cert->raw_issuer = name;
		cert->raw_subject = name;
		cert->raw_issuer_size = sizeof(name);
		cert->raw_subject_size = sizeof(name);
		cert->self_signed = true;
		return;
	}
	cert->pub->key_eflags = d[len - 1] & 7;
	cert->self_signed = d[len - 1] & 8;
	cert->raw_subject = d + 4;
	cert->raw_subject_size = 4;
	cert->raw_issuer = d + 8;
	cert->raw_issuer_size = 4;
}

struct x509_certificate *x509_cert_parse(const void *data, size_t datalen)
{
	struct x509_certificate *cert;

	fuzz_touch(data, datalen);
	/* The smallest DER certificate is far larger */
	if (datalen < 16)
		return ERR_PTR(-EBADMSG);

	cert = calloc(1, sizeof(*cert));
	if (!cert)
		return ERR_PTR(-ENOMEM);
	cert->pub = calloc(1, sizeof(*cert->pub));
	cert->sig = calloc(1, sizeof(*cert->sig));
	if (!cert->pub || !cert->sig) {
		x509_free_certificate(cert);
		return ERR_PTR(-ENOMEM);
	}
	cert->pub->pkey_algo = fuzz_key_algo;
	fuzz_cert_attrs(cert, data, datalen);
	return cert;
}

void x509_free_certificate(struct x509_certificate *cert)
{
	if (!cert)
		return;
	free(cert->pub);
	free(cert->sig);
	free(cert);
}

int public_key_verify_signature(const struct public_key *pkey,
				const struct public_key_signature *sig)
{
	if (sig->s)
		fuzz_touch(sig->s, sig->s_size);
	if (sig->m)
		fuzz_touch(sig->m, sig->m_size);
	return fuzz_reject_sigs ? -EKEYREJECTED : 0;
}

/* lib/spdm/rsapss.c needs the kernel's RSA: replaced as a whole */
int spdm_rsapss_verify(const struct public_key *pub, u32 base_hash,
		       const u8 *mhash, const u8 *sig, size_t sig_len)
{
	fuzz_touch(sig, sig_len);
	fuzz_touch(mhash, base_hash == 1 ? 32 : base_hash == 2 ? 48 : 64);
	return fuzz_reject_sigs ? -EKEYREJECTED : 0;
}

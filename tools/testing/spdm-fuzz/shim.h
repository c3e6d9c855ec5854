/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lib/spdm needs from the kernel and tools/include lacks, for
 * building it in userspace.  Force-included before every source file.
 *
 * Allocation maps to libc (stubs.c), hashes to libcrypto, locking and
 * module glue to nothing.  Sleeping is not done but accounted, so the
 * harness can check that a responder cannot make the requester wait
 * without bound.  X.509 parsing and signature verification are stubs
 * (stubs.c): a fuzzer cannot forge signatures, the stubs let it reach
 * the code behind them, and the chain rules of cert.c and the extension
 * walker of x509_ext.c run on what the stubs derive from the input.
 */
#ifndef _SPDM_FUZZ_SHIM_H
#define _SPDM_FUZZ_SHIM_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/bitops.h>
#include <linux/bitmap.h>
#include <linux/time64.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/overflow.h>
#include <linux/unaligned.h>
#include <linux/gfp.h>

#define max3(a, b, c)		max(max(a, b), c)

#define MODULE_DESCRIPTION(s)
#define MODULE_LICENSE(s)

void *krealloc(const void *p, size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
#define kvzalloc(size, gfp)	kzalloc(size, gfp)
#define kvfree(p)		kfree(p)
#define kvrealloc(p, size, gfp)	krealloc(p, size, gfp)

/* Locking: the harness is single threaded */
struct mutex {
	int unused;
};

#define mutex_init(m)		((void)(m))
#define mutex_destroy(m)	((void)(m))
#define guard(type)		(void)
#define DEFINE_FREE(_name, _type, _free)

/* Time: accounted in shim_slept_us, not slept */
extern unsigned long long shim_slept_us;

static inline void fsleep(unsigned long usecs)
{
	shim_slept_us += usecs;
}

void get_random_bytes(void *buf, size_t len);

/* Logging: lib/spdm logs through spdm_err() and "%pV" only */
struct device;
struct va_format {
	const char *fmt;
	va_list *va;
};

extern bool shim_verbose;
void shim_log_vaf(const struct device *dev, const char *fmt,
		  const struct va_format *vaf);
#define dev_err_ratelimited(dev, fmt, vaf)	shim_log_vaf(dev, fmt, vaf)
#define pr_err_ratelimited(fmt, vaf)		shim_log_vaf(NULL, fmt, vaf)

/*
 * Hashes: libcrypto's one-shot functions over the buffered input (a
 * transcript is at most 1 MiB); the final step frees the buffer.
 */
#define SHA256_DIGEST_SIZE	32
#define SHA384_DIGEST_SIZE	48
#define SHA512_DIGEST_SIZE	64

struct shim_hash_ctx {
	u8 *data;
	size_t len;
};

void shim_hash_update(struct shim_hash_ctx *ctx, const void *data, size_t len);
void shim_hash_final(struct shim_hash_ctx *ctx, unsigned int bits, u8 *out);

struct sha256_ctx {
	struct shim_hash_ctx ctx;
};

struct sha384_ctx {
	struct shim_hash_ctx ctx;
};

struct sha512_ctx {
	struct shim_hash_ctx ctx;
};

static inline void sha256_init(struct sha256_ctx *c)
{
	c->ctx = (struct shim_hash_ctx){};
}

static inline void sha384_init(struct sha384_ctx *c)
{
	c->ctx = (struct shim_hash_ctx){};
}

static inline void sha512_init(struct sha512_ctx *c)
{
	c->ctx = (struct shim_hash_ctx){};
}

#define sha256_update(c, d, l)	shim_hash_update(&(c)->ctx, d, l)
#define sha384_update(c, d, l)	shim_hash_update(&(c)->ctx, d, l)
#define sha512_update(c, d, l)	shim_hash_update(&(c)->ctx, d, l)
#define sha256_final(c, out)	shim_hash_final(&(c)->ctx, 256, out)
#define sha384_final(c, out)	shim_hash_final(&(c)->ctx, 384, out)
#define sha512_final(c, out)	shim_hash_final(&(c)->ctx, 512, out)

/* X.509 and signatures: stubs.c */
#define KEY_EFLAG_CA		0
#define KEY_EFLAG_DIGITALSIG	1
#define KEY_EFLAG_KEYCERTSIGN	2

struct public_key {
	void *key;
	u32 keylen;
	unsigned long key_eflags;
	const char *pkey_algo;
};

struct public_key_signature {
	u8 *s;
	u8 *m;
	u32 s_size;
	u32 m_size;
	const char *pkey_algo;
	const char *hash_algo;
	const char *encoding;
};

struct x509_certificate {
	struct public_key *pub;
	struct public_key_signature *sig;
	char *subject;
	const void *tbs;
	unsigned int tbs_size;
	const void *raw_issuer;
	unsigned int raw_issuer_size;
	const void *raw_subject;
	unsigned int raw_subject_size;
	bool self_signed;
	bool unsupported_sig;
};

/* DER, for lib/spdm/x509_ext.c */
#define ASN1_CONS_BIT		0x20
enum { ASN1_UNIV, ASN1_APPL, ASN1_CONT, ASN1_PRIV };
enum {
	ASN1_BOOL = 1, ASN1_INT = 2, ASN1_BTS = 3, ASN1_OTS = 4, ASN1_OID = 6,
	ASN1_SEQ = 16,
};

struct x509_certificate *x509_cert_parse(const void *data, size_t datalen);
void x509_free_certificate(struct x509_certificate *cert);
int public_key_verify_signature(const struct public_key *pkey,
				const struct public_key_signature *sig);

#endif /* _SPDM_FUZZ_SHIM_H */

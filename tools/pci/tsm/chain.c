// SPDX-License-Identifier: GPL-2.0
/*
 * pci-tsm: validate a device's certificate chain as a PKI does.
 *
 * Standard path validation (RFC 5280, OpenSSL's X509_verify_cert): the
 * trusted roots in an X509_STORE, the chain's certificates but the leaf as
 * untrusted, the leaf as the target.  So every issuer must be a CA allowed
 * to sign certificates, pathLenConstraint must hold, names must chain and
 * no critical extension may go unhandled: a chain in which one device's
 * leaf key issues a certificate for another key is refused.  On top:
 *  - the path must be the chain as the device sent it, in order, nothing
 *    skipped: the kernel (lib/spdm/cert.c) walks it that way, and both
 *    must reach the same verdict;
 *  - every certificate of the chain that issues another must have
 *    basicConstraints cA, certificate 0 too, of which OpenSSL as a trust
 *    anchor would take less (the kernel does not);
 *  - a leaf with keyUsage must have digitalSignature (it signs SPDM
 *    transcripts), which OpenSSL checks only for a purpose;
 *  - the critical extensions devices carry are handled: TCG DICE TcbInfo
 *    and MultiTcbInfo, and the DMTF SPDM arc (DSP0274);
 *  - validity periods are ignored unless asked for: device clocks and
 *    certificates are odd;
 *  - DSP0274 lets certificate 0 be signed by the root instead of being
 *    it (partial chain): then RootHash must be the hash of the --root
 *    certificate the path reached, since the kernel cannot check it;
 *  - optionally, the leaf's PCIe CMA otherName names the function.
 * The whole chain is always validated anchored to its own first
 * certificate, as the kernel does: the same rules, no trust.  With roots,
 * the leaf's path must then reach one of them: a root that issued
 * certificate 0, or any of the chain's certificates (a trusted
 * intermediate, the chain above it checked by the first pass).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tsmtool.h"

#define CMA_OTHERNAME_OID	"2.23.147"
#define CMA_NR_FIELDS		6
/* The CMA otherName's form, as the tool writes it */
#define CMA_IDS_FMT \
	"Vendor=%04x:Device=%04x:CC=%06x:REV=%02x:SSVID=%04x:SSID=%04x"

/* The function's IDs in CMA otherName order */
struct cma_ids {
	unsigned int v[CMA_NR_FIELDS];
};

/*
 * Critical extensions of device certificates that are understood here,
 * beyond what OpenSSL implements: the DICE and SPDM identity extensions
 * devices mark critical, and the key identifiers, which constrain
 * nothing (RFC 5280 wants them non-critical, which OpenSSL enforces by
 * not listing them, but lib/spdm accepts them critical).
 */
static bool ext_handled(const ASN1_OBJECT *obj)
{
	static const char * const oids[] = {
		"2.23.133.5.4.1",	/* TCG DICE TcbInfo */
		"2.23.133.5.4.5",	/* TCG DICE MultiTcbInfo */
	};
	static const char spdm_arc[] = "1.3.6.1.4.1.412.274.";
	int nid = OBJ_obj2nid(obj);
	char txt[128];
	int n;

	if (nid == NID_subject_key_identifier ||
	    nid == NID_authority_key_identifier)
		return true;
	n = OBJ_obj2txt(txt, sizeof(txt), obj, 1);
	if (n <= 0 || n >= (int)sizeof(txt))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(oids); i++)
		if (!strcmp(txt, oids[i]))
			return true;
	return !strncmp(txt, spdm_arc, strlen(spdm_arc)) &&
	       txt[strlen(spdm_arc)];
}

/*
 * OpenSSL fails a certificate with a critical extension it does not
 * implement; accept it when every such extension is one handled above.
 */
static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	X509 *x = X509_STORE_CTX_get_current_cert(ctx);

	if (ok || X509_STORE_CTX_get_error(ctx) !=
		  X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION || !x)
		return ok;
	for (int i = 0; i < X509_get_ext_count(x); i++) {
		X509_EXTENSION *e = X509_get_ext(x, i);

		if (X509_EXTENSION_get_critical(e) &&
		    !X509_supported_extension(e) &&
		    !ext_handled(X509_EXTENSION_get_object(e)))
			return 0;
	}
	X509_STORE_CTX_set_error(ctx, X509_V_OK);
	return 1;
}

/*
 * OpenSSL "supports" critical extensions it does not enforce by default
 * (certificate policies, without X509_V_FLAG_POLICY_CHECK) or that
 * lib/spdm does not implement (name constraints, policy constraints and
 * mappings, ...).  A device chain's critical extensions must be the ones
 * both understand: those that lib/spdm checks or that constrain nothing
 * (keyUsage, basicConstraints, subjectAltName, extKeyUsage), and
 * ext_handled()'s.  Return the index of the first that is not, or -1.
 */
static int critical_not_understood(X509 *x)
{
	for (int i = 0; i < X509_get_ext_count(x); i++) {
		X509_EXTENSION *e = X509_get_ext(x, i);
		const ASN1_OBJECT *obj = X509_EXTENSION_get_object(e);

		if (!X509_EXTENSION_get_critical(e))
			continue;
		switch (OBJ_obj2nid(obj)) {
		case NID_key_usage:
		case NID_basic_constraints:
		case NID_subject_alt_name:
		case NID_ext_key_usage:
			continue;
		}
		if (!ext_handled(obj))
			return i;
	}
	return -1;
}

/* A --root file, a whole CA bundle included, is at most this large */
#define ROOT_FILE_MAX	(16u << 20)

/*
 * Read the regular file @name (relative to @atfd) whole.  Symlinks are
 * followed, as in any CA directory; the open does not block, so that a
 * FIFO is refused instead of hanging.  Return 0, or -1 with @err set.
 */
static int read_whole(int atfd, const char *name, const char *label,
		      uint8_t **data, size_t *len, char *err)
{
	struct stat st;
	size_t done = 0;
	uint8_t *buf;
	int fd;

	fd = openat(atfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		err_set(err, "%s: %s", label, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > ROOT_FILE_MAX) {
		err_set(err, "%s: not a regular file of at most %u bytes",
			label, ROOT_FILE_MAX);
		close(fd);
		return -1;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		err_set(err, "%s: out of memory", label);
		close(fd);
		return -1;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_set(err, "%s: %s", label,
				n ? strerror(errno) : "file shrank while reading");
			free(buf);
			close(fd);
			return -1;
		}
		done += n;
	}
	close(fd);
	*data = buf;
	*len = done;
	return 0;
}

static int store_add(X509_STORE *store, X509 *x, const char *name, int i,
		     char *err)
{
	int rc = X509_STORE_add_cert(store, x);

	X509_free(x);
	if (rc != 1) {
		err_set(err, "%s: certificate %d: cannot add it to the store: %s",
			name, i, ERR_reason_error_string(ERR_get_error()));
		return -1;
	}
	return 0;
}

/*
 * Add every certificate of the file @name to @store: DER certificates laid
 * end to end (like a chain file), or PEM, any number of them (a bundle).
 * Anything that does not parse fails, so that a damaged bundle is not
 * silently cut short.  Return the number added (at least 1), or -1.
 */
static int add_file(X509_STORE *store, int atfd, const char *name,
		    const char *label, char *err)
{
	uint8_t *buf;
	size_t len;
	int n = 0;

	if (read_whole(atfd, name, label, &buf, &len, err))
		return -1;
	if (len && buf[0] == 0x30) {	/* DER: SEQUENCE */
		const uint8_t *p = buf;

		while (p < buf + len) {
			X509 *x = d2i_X509(NULL, &p, buf + len - p);

			if (!x) {
				err_set(err, "%s: DER certificate %d (at byte %td) does not parse",
					label, n, p - buf);
				goto fail;
			}
			if (store_add(store, x, label, n, err))
				goto fail;
			n++;
		}
	} else {
		BIO *bio = BIO_new_mem_buf(buf, len);
		unsigned long e;
		X509 *x;

		if (!bio) {
			err_set(err, "%s: out of memory", label);
			goto fail;
		}
		ERR_clear_error();
		while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
			if (store_add(store, x, label, n, err)) {
				BIO_free(bio);
				goto fail;
			}
			n++;
		}
		BIO_free(bio);
		/* The only good end is no further "BEGIN CERTIFICATE" line */
		e = ERR_peek_last_error();
		if (ERR_GET_LIB(e) != ERR_LIB_PEM ||
		    ERR_GET_REASON(e) != PEM_R_NO_START_LINE) {
			err_set(err, "%s: PEM certificate %d does not parse: %s",
				label, n, e ? ERR_reason_error_string(e) : "?");
			goto fail;
		}
		if (!n) {
			err_set(err, "%s: no PEM or DER certificate", label);
			goto fail;
		}
	}
	ERR_clear_error();
	free(buf);
	return n;
fail:
	ERR_clear_error();
	free(buf);
	return -1;
}

/*
 * --root: a file of one or more certificates, or a directory whose every
 * regular file (names starting with '.' aside) is such a file.  Unlike
 * -CApath, names need not be subject hashes: all of them are loaded.
 */
static int load_roots(X509_STORE *store, const char *root, char *err)
{
	char label[PATH_MAX + sizeof("--root /") + NAME_MAX];
	struct dirent *d;
	struct stat st;
	int total = 0;
	DIR *dir;

	snprintf(label, sizeof(label), "--root %s", root);
	if (stat(root, &st)) {
		err_set(err, "--root %s: %s", root, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return add_file(store, AT_FDCWD, root, label, err) < 0 ? -1 : 0;
	dir = opendir(root);
	if (!dir) {
		err_set(err, "--root %s: %s", root, strerror(errno));
		return -1;
	}
	while ((errno = 0, d = readdir(dir))) {
		int n;

		if (d->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(dir), d->d_name, &st, 0) || !S_ISREG(st.st_mode))
			continue;
		if (snprintf(label, sizeof(label), "--root %s/%s", root,
			     d->d_name) >= (int)sizeof(label)) {
			err_set(err, "--root %s: path too long", root);
			closedir(dir);
			return -1;
		}
		n = add_file(store, dirfd(dir), d->d_name, label, err);
		if (n < 0) {
			closedir(dir);
			return -1;
		}
		total += n;
	}
	if (errno) {
		err_set(err, "--root %s: %s", root, strerror(errno));
		closedir(dir);
		return -1;
	}
	closedir(dir);
	if (!total) {
		err_set(err, "--root %s: no certificate in the directory", root);
		return -1;
	}
	return 0;
}

static void subject(X509 *x, char *buf, size_t len)
{
	if (!X509_NAME_oneline(X509_get_subject_name(x), buf, len))
		snprintf(buf, len, "?");
}

/* Errors that mean no path to a trusted certificate was found */
static bool no_anchor(int e)
{
	return e == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	       e == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	       e == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
	       e == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN;
}

static int index_of(X509 **certs, int nr, X509 *x)
{
	for (int i = 0; i < nr; i++)
		if (!X509_cmp(certs[i], x))
			return i;
	return -1;
}

/*
 * The PCIe CMA otherName (PCIe Base Specification, CMA) names the function:
 * "Vendor=VVVV:Device=DDDD:CC=CCCCCC:REV=RR:SSVID=SSSS:SSID=SSSS", each
 * value a fixed number of hex digits.  It is parsed field by field, so
 * that the case of the digits does not matter and nothing else passes.
 */
static const struct {
	const char *key;
	unsigned int digits;
} cma_fields[CMA_NR_FIELDS] = {
	{ "Vendor", 4 }, { "Device", 4 }, { "CC", 6 }, { "REV", 2 },
	{ "SSVID", 4 }, { "SSID", 4 },
};

/* @s has @len bytes, not NUL-terminated (it may come from a certificate) */
static int cma_ids_parse(const char *s, size_t len, struct cma_ids *ids)
{
	size_t off = 0;

	for (int i = 0; i < CMA_NR_FIELDS; i++) {
		size_t klen = strlen(cma_fields[i].key);

		if (i && (off >= len || s[off++] != ':'))
			return -1;
		if (len - off < klen + 1 || memcmp(s + off, cma_fields[i].key, klen) ||
		    s[off + klen] != '=')
			return -1;
		off += klen + 1;
		ids->v[i] = 0;
		for (unsigned int d = 0; d < cma_fields[i].digits; d++) {
			int h = off < len ? hexval(s[off]) : -1;

			if (h < 0)
				return -1;
			ids->v[i] = ids->v[i] << 4 | h;
			off++;
		}
	}
	return off == len ? 0 : -1;
}

/**
 * chain_ids_valid() - whether @ids is written as the CMA otherName is
 * @ids: "Vendor=VVVV:Device=DDDD:CC=CCCCCC:REV=RR:SSVID=SSSS:SSID=SSSS"
 *
 * Return: true if it parses (hex digits of either case).
 */
bool chain_ids_valid(const char *ids)
{
	struct cma_ids v;

	return !cma_ids_parse(ids, strlen(ids), &v);
}

/* What a leaf's CMA otherNames say: cma_scan() */
struct cma_scan {
	int found;		/* otherNames of type 2.23.147 */
	int bad;		/* of them, not a UTF8String of the CMA form */
	struct cma_ids first;	/* the first of the CMA form */
	bool match;		/* one of them is @want */
};

/*
 * Look at every PCIe CMA otherName of @leaf's subjectAltName, with
 * OpenSSL's GENERAL_NAME decoding: the certificate is the device's.
 * Return 0, or -1 with @err set if the subjectAltName does not decode.
 */
static int cma_scan(X509 *leaf, const struct cma_ids *want,
		    struct cma_scan *sc, char *err)
{
	GENERAL_NAMES *names;
	ASN1_OBJECT *cma_oid;
	int crit = -1;

	memset(sc, 0, sizeof(*sc));
	names = X509_get_ext_d2i(leaf, NID_subject_alt_name, &crit, NULL);
	if (!names && crit != -1) {
		/* -2: more than one subjectAltName; otherwise undecodable */
		err_set(err, "ids: the leaf's subjectAltName is %s",
			crit == -2 ? "present more than once" : "malformed");
		ERR_clear_error();
		return -1;
	}
	cma_oid = OBJ_txt2obj(CMA_OTHERNAME_OID, 1);
	if (!cma_oid) {
		GENERAL_NAMES_free(names);
		err_set(err, "out of memory");
		return -1;
	}
	for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
		const ASN1_STRING *str;
		const OTHERNAME *on;
		struct cma_ids got;
		int type;

		on = GENERAL_NAME_get0_value(gn, &type);
		if (type != GEN_OTHERNAME || !on || !on->type_id ||
		    OBJ_cmp(on->type_id, cma_oid))
			continue;
		sc->found++;
		if (!on->value || on->value->type != V_ASN1_UTF8STRING) {
			sc->bad++;
			continue;
		}
		str = on->value->value.utf8string;
		if (cma_ids_parse((const char *)ASN1_STRING_get0_data(str),
				  ASN1_STRING_length(str), &got)) {
			sc->bad++;
			continue;
		}
		if (sc->found - sc->bad == 1)
			sc->first = got;
		if (want && !memcmp(&got, want, sizeof(got)))
			sc->match = true;
	}
	GENERAL_NAMES_free(names);
	ASN1_OBJECT_free(cma_oid);
	ERR_clear_error();
	return 0;
}

/* The leaf must carry a CMA otherName, and one of them must be @ids */
static int check_ids(X509 *leaf, const char *ids, char *err)
{
	struct cma_ids want;
	struct cma_scan sc;

	if (cma_ids_parse(ids, strlen(ids), &want)) {
		err_set(err, "ids: %s is not of the form %s", ids,
			"Vendor=VVVV:Device=DDDD:CC=CCCCCC:REV=RR:SSVID=SSSS:SSID=SSSS");
		return -1;
	}
	if (cma_scan(leaf, &want, &sc, err))
		return -1;
	if (!sc.found) {
		err_set(err, "ids: the leaf has no PCIe CMA otherName (%s)", CMA_OTHERNAME_OID);
		return -1;
	}
	if (!sc.match) {
		err_set(err, "ids: the leaf's PCIe CMA otherName%s do%s not name %s%s",
			sc.found > 1 ? "s" : "", sc.found > 1 ? "" : "es", ids,
			sc.bad ? " (some are not UTF8Strings of that form)" : "");
		return -1;
	}
	return 0;
}

/*
 * Without IDs to compare, say what the leaf names, or that it names no
 * function: the value is printed as parsed, never the device's bytes.
 */
static void report_ids(X509 *leaf)
{
	const struct cma_ids *v;
	char err[ERRLEN];
	struct cma_scan sc;

	if (cma_scan(leaf, NULL, &sc, err)) {
		printf("leaf: %s\n", err + strlen("ids: "));
		return;
	}
	if (!sc.found) {
		printf("leaf: no PCIe CMA otherName (%s): names no function\n",
		       CMA_OTHERNAME_OID);
		return;
	}
	if (sc.found == sc.bad) {
		printf("leaf: PCIe CMA otherName not of the CMA form\n");
		return;
	}
	v = &sc.first;
	printf("leaf: PCIe CMA otherName " CMA_IDS_FMT "%s\n",
	       v->v[0], v->v[1], v->v[2], v->v[3], v->v[4], v->v[5],
	       sc.found > 1 ? " (and others)" : "");
}

/*
 * One X509_verify_cert() of the leaf: @store holds the trusted
 * certificates, the chain's others are untrusted.  On success *@depth is
 * the number of the chain's certificates on the path, which must be the
 * chain from the leaf back, in order; *@issuer0 is the certificate of
 * @store that issued certificate 0, if the path goes on past it.
 */
static int verify_path(X509 **certs, int nr, X509_STORE *store,
		       const struct chain_opts *o, int *depth, X509 **issuer0,
		       char *err)
{
	/* STACK_OF(X509), spelt out */
	struct stack_st_X509 *untrusted = sk_X509_new_null(), *path;
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	unsigned long flags = X509_V_FLAG_PARTIAL_CHAIN;
	int rc = -1, n;

	if (!untrusted || !ctx) {
		err_set(err, "out of memory");
		goto out;
	}
	for (int i = 0; i < nr - 1; i++)
		if (!sk_X509_push(untrusted, certs[i])) {
			err_set(err, "out of memory");
			goto out;
		}
	if (!o->check_time)
		flags |= X509_V_FLAG_NO_CHECK_TIME;
	X509_STORE_set_verify_cb(store, verify_cb);
	if (X509_STORE_CTX_init(ctx, store, certs[nr - 1], untrusted) != 1) {
		err_set(err, "X509_STORE_CTX_init failed");
		goto out;
	}
	X509_STORE_CTX_set_flags(ctx, flags);

	if (X509_verify_cert(ctx) != 1) {
		int e = X509_STORE_CTX_get_error(ctx);
		X509 *bad = X509_STORE_CTX_get_current_cert(ctx);
		bool trust = o->root && no_anchor(e);
		char name[256] = "?", which[32];
		int i;

		if (bad)
			subject(bad, name, sizeof(name));
		/* The failing certificate may be one of --root's */
		i = bad ? index_of(certs, nr, bad) : -1;
		if (i >= 0)
			snprintf(which, sizeof(which), "certificate %d", i);
		else
			snprintf(which, sizeof(which), "%s",
				 bad ? "the --root certificate" : "a certificate");
		err_set(err, "%s%s%scert chain: %s (%s): %s (OpenSSL error %d)",
			trust ? "trust: the chain does not anchor to --root " : "",
			trust ? o->root : "", trust ? ": " : "",
			which, name, X509_verify_cert_error_string(e), e);
		goto out;
	}

	/*
	 * The path, leaf first, must be the chain the device sent, from the
	 * leaf back towards certificate 0, as lib/spdm walks it: OpenSSL
	 * would otherwise build any path the certificates allow.
	 */
	path = X509_STORE_CTX_get0_chain(ctx);
	n = sk_X509_num(path);
	for (int d = 0; d < n && d < nr; d++)
		if (X509_cmp(sk_X509_value(path, d), certs[nr - 1 - d])) {
			err_set(err,
				"cert chain: certificate %d is not on the path from the leaf: the chain is not in order",
				nr - 1 - d);
			goto out;
		}
	*depth = n < nr ? n : nr;
	*issuer0 = n > nr ? sk_X509_value(path, nr) : NULL;
	rc = 0;
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	return rc;
}

/* Certificate 0 was issued by @root: RootHash must be @root's hash */
static int check_root_hash(X509 *root, const struct chain_opts *o, char *err)
{
	unsigned char *der = NULL, h[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;
	int len = i2d_X509(root, &der);

	if (len <= 0 || EVP_Digest(der, len, h, &hlen, o->md, NULL) != 1) {
		OPENSSL_free(der);
		err_set(err, "cannot hash the root: %s",
			ERR_reason_error_string(ERR_get_error()));
		return -1;
	}
	OPENSSL_free(der);
	if (memcmp(h, o->root_hash, hlen)) {
		err_set(err,
			"cert chain: RootHash is not the hash of the --root certificate that issued certificate 0");
		return -1;
	}
	return 0;
}

/**
 * chain_validate() - validate a device certificate chain as a PKI does
 * @certs: the chain, certificate 0 (the root, or issued by it) first, the
 *	leaf last
 * @nr: number of certificates
 * @o: roots and options (&struct chain_opts)
 * @anchored: set when the path reached a certificate of @o->root
 * @err: why not, on failure
 *
 * The whole chain is first validated anchored to its own certificate 0,
 * as the kernel validates it.  With @o->root, the leaf's path must then
 * reach a --root certificate: one that issued certificate 0, or one of the
 * chain's certificates itself (an intermediate may be trusted).
 *
 * Return: 0 if the chain is a valid path (anchored to @o->root if given),
 * -1 if not, -2 if @o->root cannot be read.
 */
int chain_validate(X509 **certs, int nr, const struct chain_opts *o,
		   bool *anchored, char *err)
{
	struct chain_opts self = *o;
	X509 *leaf = certs[nr - 1], *issuer0;
	X509_STORE *store;
	int rc = -1, depth;

	*anchored = false;
	self.root = NULL;
	store = X509_STORE_new();
	if (!store) {
		err_set(err, "out of memory");
		return -1;
	}
	if (X509_STORE_add_cert(store, certs[0]) != 1) {
		err_set(err, "cannot use certificate 0 as the anchor");
		goto out;
	}
	if (verify_path(certs, nr, store, &self, &depth, &issuer0, err))
		goto out;
	if (depth < nr) {
		/* Certificate 0 is the only trusted one: cannot happen */
		err_set(err, "cert chain: the path from the leaf ends at certificate %d",
			nr - depth);
		goto out;
	}

	for (int i = 0; i < nr; i++) {
		int e = critical_not_understood(certs[i]);

		if (e >= 0) {
			char name[256], oid[128] = "?";

			subject(certs[i], name, sizeof(name));
			if (OBJ_obj2txt(oid, sizeof(oid),
					X509_EXTENSION_get_object(X509_get_ext(certs[i], e)),
					1) <= 0)
				snprintf(oid, sizeof(oid), "?");
			err_set(err,
				"cert chain: certificate %d (%s): unhandled critical extension %s (which OpenSSL takes, but lib/spdm does not understand)",
				i, name, oid);
			goto out;
		}
	}

	/*
	 * OpenSSL requires basicConstraints cA of the certificates it does
	 * not trust, but tolerates a trust anchor without basicConstraints
	 * (keyUsage keyCertSign is enough for it).  Certificate 0 is our
	 * anchor only for the self-consistency check: the device sent it,
	 * and as lib/spdm does, every certificate that issues another must
	 * be a CA (RFC 5280 4.2.1.9).
	 */
	for (int i = 0; i < nr - 1; i++) {
		if (X509_check_ca(certs[i]) != 1) {
			char name[256];

			subject(certs[i], name, sizeof(name));
			err_set(err,
				"cert chain: certificate %d (%s): invalid CA certificate: it issues certificate %d without basicConstraints cA",
				i, name, i + 1);
			goto out;
		}
	}

	/* The leaf signs CHALLENGE_AUTH and MEASUREMENTS */
	if (X509_get_key_usage(leaf) != UINT32_MAX &&
	    !(X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE)) {
		err_set(err,
			"cert chain: certificate %d (the leaf): keyUsage lacks digitalSignature",
			nr - 1);
		goto out;
	}
	if (o->ids && check_ids(leaf, o->ids, err))
		goto out;

	if (o->root) {
		X509_STORE_free(store);
		store = X509_STORE_new();
		if (!store) {
			err_set(err, "out of memory");
			return -1;
		}
		if (load_roots(store, o->root, err)) {
			rc = -2;
			goto out;
		}
		if (verify_path(certs, nr, store, o, &depth, &issuer0, err))
			goto out;
		/*
		 * Certificate 0 signed by a --root certificate, the root
		 * (DSP0274): RootHash is its hash, which the kernel could not
		 * check.  When the anchor is one of the chain's own
		 * certificates, the chain above it was validated above.
		 */
		if (issuer0 && o->root_hash && check_root_hash(issuer0, o, err))
			goto out;
		*anchored = true;
	}
	rc = 0;
out:
	X509_STORE_free(store);
	ERR_clear_error();
	return rc;
}

/* As the rest of the tool: PCI_TSM_SYSFS replaces /sys for the tests */
static const char *sysfs_dir(void)
{
	const char *root = getenv("PCI_TSM_SYSFS");

	return root && *root ? root : "/sys";
}

/* A sysfs attribute of @bdf, a hex number of at most @max */
static int read_id(const char *bdf, const char *attr, unsigned long max,
		   unsigned int *v, char *err)
{
	char path[PATH_MAX], buf[32], *end;
	unsigned long n;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/%s", sysfs_dir(),
		     bdf, attr) >= (int)sizeof(path)) {
		err_set(err, "--device %s: path too long", bdf);
		return -1;
	}
	f = fopen(path, "re");
	if (!f) {
		err_set(err, "--device %s: %s: %s", bdf, path, strerror(errno));
		return -1;
	}
	if (!fgets(buf, sizeof(buf), f)) {
		err_set(err, "--device %s: %s: %s", bdf, path,
			ferror(f) ? strerror(errno) : "empty");
		fclose(f);
		return -1;
	}
	fclose(f);
	errno = 0;
	n = strtoul(buf, &end, 16);
	if (end == buf || (*end && *end != '\n') || errno || n > max) {
		err_set(err, "--device %s: %s: not a hex number of at most 0x%lx",
			bdf, path, max);
		return -1;
	}
	*v = n;
	return 0;
}

/**
 * chain_ids_from_device() - the CMA otherName a function's leaf should carry
 * @bdf: PCI address (DDDD:BB:DD.F), a name in /sys/bus/pci/devices
 * @ids: buffer for "Vendor=VVVV:Device=DDDD:CC=CCCCCC:REV=RR:SSVID=SSSS:SSID=SSSS"
 * @len: size of @ids
 * @err: why not
 *
 * Return: 0, or -1 if sysfs cannot be read.
 */
int chain_ids_from_device(const char *bdf, char *ids, size_t len, char *err)
{
	static const char * const attrs[CMA_NR_FIELDS] = {
		"vendor", "device", "class", "revision", "subsystem_vendor",
		"subsystem_device",
	};
	struct cma_ids v;

	if (!*bdf || strchr(bdf, '/') || !strcmp(bdf, ".") || !strcmp(bdf, "..")) {
		err_set(err, "--device %s: not a PCI device name", bdf);
		return -1;
	}
	for (int i = 0; i < CMA_NR_FIELDS; i++)
		if (read_id(bdf, attrs[i], (1ul << 4 * cma_fields[i].digits) - 1,
			    &v.v[i], err))
			return -1;
	if (snprintf(ids, len, CMA_IDS_FMT, v.v[0], v.v[1], v.v[2], v.v[3],
		     v.v[4], v.v[5]) >= (int)len) {
		err_set(err, "--device %s: IDs do not fit", bdf);
		return -1;
	}
	return 0;
}

/* pci-tsm chain verify FILE: a file of DER certificates, root first */
int cmd_chain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "check-time", no_argument, NULL, 't' },
		{ "ids", required_argument, NULL, 'i' },
		{ "device", required_argument, NULL, 'd' },
		{ }
	};
	struct chain_opts o = { };
	const char *device = NULL, *file;
	char err[ERRLEN] = "", ids[128];
	X509 *certs[SPDM_MAX_CERTS];
	struct spdm_chain c = { };
	uint8_t *buf = NULL;
	bool anchored;
	size_t len;
	int ch, rc, nr = 0;

	while ((ch = getopt_long(argc, argv, "r:ti:d:", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			o.root = optarg;
			break;
		case 't':
			o.check_time = true;
			break;
		case 'i':
			o.ids = optarg;
			break;
		case 'd':
			device = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind + 2 != argc || strcmp(argv[optind], "verify") ||
	    (o.ids && device) || (o.ids && !chain_ids_valid(o.ids))) {
		fprintf(stderr,
			"usage: %s chain verify FILE [--root CA] [--check-time] [--ids IDS | --device BDF]\n"
			"       IDS: Vendor=VVVV:Device=DDDD:CC=CCCCCC:REV=RR:SSVID=SSSS:SSID=SSSS (hex)\n",
			prog);
		return 2;
	}
	file = argv[optind + 1];
	if (device) {
		if (chain_ids_from_device(device, ids, sizeof(ids), err)) {
			fprintf(stderr, "%s: %s\n", prog, err);
			return 3;
		}
		o.ids = ids;
	}
	if (read_whole(AT_FDCWD, file, file, &buf, &len, err)) {
		fprintf(stderr, "%s: chain %s\n", prog, err);
		return 3;
	}
	/* What the file holds is the device's: not parsing is invalid */
	rc = 1;
	if (der_certs_split(buf, len, &c, err) || !c.nr) {
		fprintf(stderr, "%s: chain %s: INVALID: %s\n", prog, file,
			c.nr || *err ? err : "no certificate");
		goto out;
	}
	for (nr = 0; nr < c.nr; nr++) {
		const uint8_t *p = c.der[nr];

		certs[nr] = d2i_X509(NULL, &p, c.der_len[nr]);
		if (!certs[nr] || p != c.der[nr] + c.der_len[nr]) {
			X509_free(certs[nr]);
			fprintf(stderr,
				"%s: chain %s: INVALID: certificate %d does not parse as X.509\n",
				prog, file, nr);
			goto out;
		}
	}
	rc = chain_validate(certs, nr, &o, &anchored, err);
	if (rc == -2) {
		fprintf(stderr, "%s: %s\n", prog, err);
		rc = 3;
	} else if (rc) {
		fprintf(stderr, "%s: chain %s: INVALID: %s\n", prog, file, err);
		rc = 1;
	} else {
		printf("chain %s: valid, %d certificates, %s\n", file, nr,
		       anchored ? "anchored to --root" : "self-consistent, not anchored");
		if (o.ids)
			printf("leaf: PCIe CMA otherName %s, as asked\n", o.ids);
		else
			report_ids(certs[nr - 1]);
	}
out:
	while (nr-- > 0)
		X509_free(certs[nr]);
	free(buf);
	ERR_clear_error();
	return rc;
}

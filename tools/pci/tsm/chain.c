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
 * Without roots the chain anchors to its own first certificate: the same
 * rules, no trust.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tsmtool.h"

#define CMA_OTHERNAME_OID	"2.23.147"

/* Critical extensions of device certificates that are understood here */
static bool ext_handled(const ASN1_OBJECT *obj)
{
	static const char * const oids[] = {
		"2.23.133.5.4.1",	/* TCG DICE TcbInfo */
		"2.23.133.5.4.5",	/* TCG DICE MultiTcbInfo */
	};
	static const char spdm_arc[] = "1.3.6.1.4.1.412.274.";
	char txt[128];
	int n;

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

/* Add every certificate in @path (PEM, possibly several, or one DER) */
static int add_file(X509_STORE *store, const char *path, char *err)
{
	int n = 0;
	X509 *x;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		err_set(err, "--root %s: %s", path, strerror(errno));
		return -1;
	}
	while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
		if (X509_STORE_add_cert(store, x) != 1) {
			X509_free(x);
			fclose(f);
			err_set(err, "--root %s: cannot add certificate %d", path, n);
			return -1;
		}
		X509_free(x);
		n++;
	}
	if (!n) {
		ERR_clear_error();
		rewind(f);
		x = d2i_X509_fp(f, NULL);
		if (x && X509_STORE_add_cert(store, x) == 1)
			n = 1;
		X509_free(x);
	}
	ERR_clear_error();
	fclose(f);
	return n;
}

/* --root: a file (one or more certificates) or a directory of such files */
static int load_roots(X509_STORE *store, const char *root, char *err)
{
	struct stat st;
	struct dirent *d;
	int total = 0, n;
	DIR *dir;

	if (stat(root, &st)) {
		err_set(err, "--root %s: %s", root, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		n = add_file(store, root, err);
		if (n == 0)
			err_set(err, "--root %s: no PEM or DER certificate", root);
		return n > 0 ? 0 : -1;
	}
	dir = opendir(root);
	if (!dir) {
		err_set(err, "--root %s: %s", root, strerror(errno));
		return -1;
	}
	while ((d = readdir(dir))) {
		char path[4096];

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, d->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		n = add_file(store, path, err);
		if (n < 0) {
			closedir(dir);
			return -1;
		}
		total += n;
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

/* The leaf's CMA otherName must be @ids */
static int check_ids(X509 *leaf, const char *ids, char *err)
{
	GENERAL_NAMES *names;
	bool found = false, match = false;

	names = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
		const OTHERNAME *on;
		ASN1_TYPE *val;
		char txt[32];
		int type;

		on = GENERAL_NAME_get0_value(gn, &type);
		if (type != GEN_OTHERNAME || !on ||
		    OBJ_obj2txt(txt, sizeof(txt), on->type_id, 1) <= 0 ||
		    strcmp(txt, CMA_OTHERNAME_OID))
			continue;
		found = true;
		val = on->value;
		if (val->type == V_ASN1_UTF8STRING &&
		    (size_t)ASN1_STRING_length(val->value.utf8string) == strlen(ids) &&
		    !strncasecmp((const char *)ASN1_STRING_get0_data(val->value.utf8string),
				 ids, strlen(ids)))
			match = true;
	}
	GENERAL_NAMES_free(names);
	ERR_clear_error();
	if (!found) {
		err_set(err, "ids: the leaf has no PCIe CMA otherName (%s)", CMA_OTHERNAME_OID);
		return -1;
	}
	if (!match) {
		err_set(err, "ids: the leaf's PCIe CMA otherName does not name %s", ids);
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
 * Return: 0 if the chain is a valid path (anchored to @o->root if given),
 * -1 if not, -2 if @o->root cannot be read.
 */
int chain_validate(X509 **certs, int nr, const struct chain_opts *o,
		   bool *anchored, char *err)
{
	/* STACK_OF(X509), spelt out */
	struct stack_st_X509 *untrusted = sk_X509_new_null(), *path;
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	unsigned long flags = X509_V_FLAG_PARTIAL_CHAIN;
	X509 *leaf = certs[nr - 1], *top;
	int rc = -1, n;

	*anchored = false;
	if (!store || !untrusted || !ctx) {
		err_set(err, "out of memory");
		goto out;
	}
	if (o->root) {
		if (load_roots(store, o->root, err)) {
			rc = -2;
			goto out;
		}
	} else if (X509_STORE_add_cert(store, certs[0]) != 1) {
		err_set(err, "cannot use certificate 0 as the anchor");
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
	if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) {
		err_set(err, "X509_STORE_CTX_init failed");
		goto out;
	}
	X509_STORE_CTX_set_flags(ctx, flags);

	if (X509_verify_cert(ctx) != 1) {
		int e = X509_STORE_CTX_get_error(ctx);
		X509 *bad = X509_STORE_CTX_get_current_cert(ctx);
		bool trust = o->root && no_anchor(e);
		char name[256] = "?";

		if (bad)
			subject(bad, name, sizeof(name));
		err_set(err, "%s%s%scert chain: certificate %d (%s): %s (OpenSSL error %d)",
			trust ? "trust: the chain does not anchor to --root " : "",
			trust ? o->root : "", trust ? ": " : "",
			bad ? index_of(certs, nr, bad) : -1, name,
			X509_verify_cert_error_string(e), e);
		goto out;
	}

	/*
	 * The path, leaf first, must be the chain the device sent, from the
	 * leaf back to certificate 0, then at most the --root it anchors to.
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
	if (n < nr) {
		err_set(err,
			"trust: the chain does not anchor to --root %s: the path from the leaf ends at certificate %d, before certificate 0",
			o->root ? o->root : "(none)", nr - n);
		goto out;
	}
	top = sk_X509_value(path, n - 1);

	/* The leaf signs CHALLENGE_AUTH and MEASUREMENTS */
	if (X509_get_key_usage(leaf) != UINT32_MAX &&
	    !(X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE)) {
		err_set(err,
			"cert chain: certificate %d (the leaf): keyUsage lacks digitalSignature",
			nr - 1);
		goto out;
	}

	/* Certificate 0 signed by the root: RootHash is the root's hash */
	if (o->root && n > nr && o->root_hash) {
		unsigned char *der = NULL, h[EVP_MAX_MD_SIZE];
		unsigned int hlen = 0;
		int len = i2d_X509(top, &der);

		if (len <= 0 || EVP_Digest(der, len, h, &hlen, o->md, NULL) != 1) {
			OPENSSL_free(der);
			err_set(err, "cannot hash the root: %s",
				ERR_reason_error_string(ERR_get_error()));
			goto out;
		}
		OPENSSL_free(der);
		if (memcmp(h, o->root_hash, hlen)) {
			err_set(err,
				"cert chain: RootHash is not the hash of the root certificate 0 was issued by");
			goto out;
		}
	}
	if (o->ids && check_ids(leaf, o->ids, err))
		goto out;
	*anchored = o->root;
	rc = 0;
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	X509_STORE_free(store);
	ERR_clear_error();
	return rc;
}

/* A sysfs attribute of @bdf as a number */
static int read_id(const char *bdf, const char *attr, unsigned long *v,
		   char *err)
{
	char path[256], buf[32], *end;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		err_set(err, "--device: %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	*v = strtoul(buf, &end, 0);
	if (end == buf) {
		err_set(err, "--device: %s: not a number", path);
		return -1;
	}
	return 0;
}

/**
 * chain_ids_from_device() - the CMA otherName a function's leaf should carry
 * @bdf: PCI address (DDDD:BB:DD.F)
 * @ids: buffer for "Vendor=VVVV:Device=DDDD:CC=CCCCCC:REV=RR:SSVID=SSSS:SSID=SSSS"
 * @len: size of @ids
 * @err: why not
 *
 * Return: 0, or -1 if sysfs cannot be read.
 */
int chain_ids_from_device(const char *bdf, char *ids, size_t len, char *err)
{
	static const char * const attrs[] = {
		"vendor", "device", "class", "revision", "subsystem_vendor",
		"subsystem_device",
	};
	unsigned long v[ARRAY_SIZE(attrs)];

	for (size_t i = 0; i < ARRAY_SIZE(attrs); i++)
		if (read_id(bdf, attrs[i], &v[i], err))
			return -1;
	snprintf(ids, len, "Vendor=%04lx:Device=%04lx:CC=%06lx:REV=%02lx:SSVID=%04lx:SSID=%04lx",
		 v[0], v[1], v[2], v[3], v[4], v[5]);
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
	const char *device = NULL;
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
	    (o.ids && device)) {
		fprintf(stderr,
			"usage: %s chain verify FILE [--root CA] [--check-time] [--ids IDS | --device BDF]\n",
			prog);
		return 2;
	}
	if (device) {
		if (chain_ids_from_device(device, ids, sizeof(ids), err)) {
			fprintf(stderr, "%s: %s\n", prog, err);
			return 3;
		}
		o.ids = ids;
	}
	if (read_file_at(AT_FDCWD, argv[optind + 1], &buf, &len, err) ||
	    der_certs_split(buf, len, &c, err) || !c.nr) {
		fprintf(stderr, "%s: chain %s: %s\n", prog, argv[optind + 1],
			c.nr || *err ? err : "no certificate");
		free(buf);
		return 3;
	}
	for (nr = 0; nr < c.nr; nr++) {
		const uint8_t *p = c.der[nr];

		certs[nr] = d2i_X509(NULL, &p, c.der_len[nr]);
		if (!certs[nr] || p != c.der[nr] + c.der_len[nr]) {
			X509_free(certs[nr]);
			fprintf(stderr, "%s: chain %s: certificate %d does not parse as X.509\n",
				prog, argv[optind + 1], nr);
			rc = 3;
			goto out;
		}
	}
	rc = chain_validate(certs, nr, &o, &anchored, err);
	if (rc == -2) {
		fprintf(stderr, "%s: %s\n", prog, err);
		rc = 3;
	} else if (rc) {
		fprintf(stderr, "%s: chain %s: INVALID: %s\n", prog, argv[optind + 1], err);
		rc = 1;
	} else {
		printf("chain %s: valid, %d certificates, %s\n", argv[optind + 1], nr,
		       anchored ? "anchored to --root" : "self-consistent, not anchored");
	}
out:
	while (nr--)
		X509_free(certs[nr]);
	free(buf);
	return rc;
}

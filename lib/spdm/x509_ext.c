// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM requester: the certificate extensions the X.509 parser does not keep
 *
 * x509_cert_parse() records basicConstraints cA and the keyUsage bits
 * (KEY_EFLAG_*), but not whether keyUsage was present at all, nor
 * pathLenConstraint, nor which extensions were critical.  Chain validation
 * needs all three: an absent keyUsage allows every use (RFC 5280 4.2.1.3),
 * a present one without keyCertSign forbids issuing, and a critical
 * extension nobody here understands must fail the certificate (4.2).
 *
 * This walks the extensions of the TBSCertificate the parser already
 * accepted, so the DER is known to be well formed; every length is still
 * checked against its container, since the bytes come from a device.
 *
 *   TBSCertificate ::= SEQUENCE { [0] version, serial, signature, issuer,
 *	validity, subject, subjectPublicKeyInfo, [1] issuerUID,
 *	[2] subjectUID, [3] EXPLICIT Extensions }
 *   Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 *	extnValue OCTET STRING }
 */

#include <linux/asn1.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include <keys/x509-parser.h>

#include "spdm.h"

struct der {
	const u8 *p;
	size_t len;
};

/* Take the next TLV off @in: its tag and contents in @val */
static int der_next(struct der *in, u8 *tag, struct der *val)
{
	size_t hdr = 2, n, i;

	if (in->len < 2 || (in->p[0] & 0x1f) == 0x1f)	/* no high tags */
		return -EBADMSG;
	n = in->p[1];
	if (n & 0x80) {
		n &= 0x7f;
		/* Certificates here are under 64 KiB: 2 length bytes */
		if (!n || n > 2 || in->len < 2 + n)
			return -EBADMSG;
		hdr += n;
		for (i = 0, n = 0; i < hdr - 2; i++)
			n = n << 8 | in->p[2 + i];
	}
	if (n > in->len - hdr)
		return -EBADMSG;
	*tag = in->p[0];
	val->p = in->p + hdr;
	val->len = n;
	in->p += hdr + n;
	in->len -= hdr + n;
	return 0;
}

static bool oid_is(const struct der *oid, const u8 *want, size_t len)
{
	return oid->len == len && !memcmp(oid->p, want, len);
}

/* id-ce arc, 2.5.29: the extensions RFC 5280 defines */
static const u8 oid_id_ce[] = { 0x55, 0x1d };
/* 2.23.133.5.4.1 TCG DICE TcbInfo, 2.23.133.5.4.5 MultiTcbInfo */
static const u8 oid_dice_tcb_info[] = { 0x67, 0x81, 0x05, 0x05, 0x04, 0x01 };
static const u8 oid_dice_multi_tcb_info[] = { 0x67, 0x81, 0x05, 0x05, 0x04,
					       0x05 };
/* 1.3.6.1.4.1.412.274: the DMTF SPDM arc (DSP0274) */
static const u8 oid_dmtf_spdm[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0x1c,
				    0x82, 0x12 };

#define ID_CE_KEY_USAGE			15
#define ID_CE_BASIC_CONSTRAINTS		19

/*
 * A critical extension is understood when its meaning is either checked
 * here or carries no constraint a verifier must enforce: key identifiers,
 * subjectAltName (PCIe CMA puts the function's IDs there), extKeyUsage
 * (SPDM does not define a purpose the kernel could require), and the
 * DICE and SPDM identity extensions devices mark critical.  Policies and
 * name constraints would restrict the chain: not enforced, so not
 * understood.
 */
static bool spdm_ext_understood(const struct der *oid)
{
	if (oid->len == 3 && !memcmp(oid->p, oid_id_ce, 2)) {
		switch (oid->p[2]) {
		case 14:	/* subjectKeyIdentifier */
		case ID_CE_KEY_USAGE:
		case 17:	/* subjectAltName */
		case ID_CE_BASIC_CONSTRAINTS:
		case 35:	/* authorityKeyIdentifier */
		case 37:	/* extKeyUsage */
			return true;
		}
		return false;
	}
	return oid_is(oid, oid_dice_tcb_info, sizeof(oid_dice_tcb_info)) ||
	       oid_is(oid, oid_dice_multi_tcb_info,
		      sizeof(oid_dice_multi_tcb_info)) ||
	       (oid->len > sizeof(oid_dmtf_spdm) &&
		!memcmp(oid->p, oid_dmtf_spdm, sizeof(oid_dmtf_spdm)));
}

/* basicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLen INTEGER } */
static int spdm_ext_path_len(struct der val, struct spdm_cert_ext *ext)
{
	struct der seq, f;
	u8 tag;
	int rc;

	rc = der_next(&val, &tag, &seq);
	if (rc || tag != (ASN1_CONS_BIT | ASN1_SEQ) || val.len)
		return -EBADMSG;
	if (seq.len && seq.p[0] == ASN1_BOOL) {
		rc = der_next(&seq, &tag, &f);
		if (rc)
			return rc;
	}
	if (!seq.len)
		return 0;
	rc = der_next(&seq, &tag, &f);
	if (rc || tag != ASN1_INT || seq.len || !f.len || f.p[0] & 0x80)
		return -EBADMSG;
	/* Any constraint beyond a chain's length is no constraint */
	ext->path_len = f.len > 1 ? INT_MAX : f.p[0];
	return 0;
}

/**
 * spdm_cert_ext_parse() - read what chain validation needs from extensions
 * @cert: a certificate x509_cert_parse() accepted
 * @ext: filled in; @ext->unknown_critical is set when a critical
 *	extension is not understood (see spdm_ext_understood())
 *
 * Return: 0, or -EBADMSG if the extensions are not what the parser saw.
 */
int spdm_cert_ext_parse(const struct x509_certificate *cert,
			struct spdm_cert_ext *ext)
{
	struct der tbs = { cert->tbs, cert->tbs_size }, in, v, exts;
	u8 tag;
	int rc;

	*ext = (struct spdm_cert_ext){ .path_len = -1 };

	rc = der_next(&tbs, &tag, &in);
	if (rc || tag != (ASN1_CONS_BIT | ASN1_SEQ))
		return -EBADMSG;
	/* Skip to [3] EXPLICIT Extensions, the last field if present */
	do {
		if (!in.len)
			return 0;
		rc = der_next(&in, &tag, &v);
		if (rc)
			return rc;
	} while (tag != (ASN1_CONT << 6 | ASN1_CONS_BIT | 3));

	rc = der_next(&v, &tag, &exts);
	if (rc || tag != (ASN1_CONS_BIT | ASN1_SEQ))
		return -EBADMSG;

	while (exts.len) {
		struct der e, oid;
		bool critical = false;

		rc = der_next(&exts, &tag, &e);
		if (rc || tag != (ASN1_CONS_BIT | ASN1_SEQ))
			return -EBADMSG;
		rc = der_next(&e, &tag, &oid);
		if (rc || tag != ASN1_OID)
			return -EBADMSG;
		rc = der_next(&e, &tag, &v);
		if (!rc && tag == ASN1_BOOL) {
			if (v.len != 1)
				return -EBADMSG;
			critical = v.p[0];
			rc = der_next(&e, &tag, &v);
		}
		if (rc || tag != ASN1_OTS || e.len)
			return -EBADMSG;

		if (oid.len == 3 && !memcmp(oid.p, oid_id_ce, 2)) {
			if (oid.p[2] == ID_CE_KEY_USAGE)
				ext->key_usage = true;
			if (oid.p[2] == ID_CE_BASIC_CONSTRAINTS) {
				rc = spdm_ext_path_len(v, ext);
				if (rc)
					return rc;
			}
		}
		if (critical && !ext->unknown_critical &&
		    !spdm_ext_understood(&oid))
			ext->unknown_critical = true;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_cert_ext_parse);

// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: PCI TSM revalidation policy
 *
 * A reset, an AER/DPC recovery or a resume may leave a device without the
 * security state it had, or may even hide that it was replaced. What the
 * kernel does then is userspace's choice, made once it trusts the
 * device's evidence, and stored here per device (policy-set over the
 * pci-tsm netlink family):
 *
 *  - no policy: the defaults, a devsec device falls out of the TCB, a
 *    device connected by a link TSM keeps operating unchecked;
 *  - signature: the device must re-authenticate, with a nonce the kernel
 *    chooses, using the certificate chain (or public key) of each slot
 *    the policy names;
 *  - measurements: the same, and its signed measurements must hash to
 *    the policy's measurement hash;
 *  - fatal: out of the TCB on any recovery event.
 *
 * A policy describes one device as one TSM saw it: it is dropped when the
 * device is disconnected, unlocked, connected or locked again, or removed.
 * The outcome of the last revalidation is kept with it, for policy-get.
 *
 * Locking: pci_tsm_policy_lock protects the record list. Policies are
 * only replaced with pci_tsm_rwsem held (for read by policy-set, for
 * write everywhere else), so the revalidation worker, which holds
 * pci_tsm_rwsem for write, may use a policy without copying it.
 */

#define dev_fmt(fmt) "PCI/TSM: " fmt

#include <crypto/public_key.h>
#include <crypto/sha2.h>
#include <crypto/utils.h>
#include <keys/x509-parser.h>
#include <linux/cleanup.h>
#include <linux/capability.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/slab.h>
#include <linux/spdm.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "netlink-gen.h"
#include "tsm.h"

/**
 * struct pci_tsm_policy_rec - revalidation state of one device
 * @node: entry in pci_tsm_policy_list
 * @pdev: the device, with a reference
 * @policy: the policy userspace set, %NULL if none (only a result)
 * @last_result: outcome of the last revalidation, 0 if none yet
 * @last_error: errno (positive) behind an auth-failed @last_result
 */
struct pci_tsm_policy_rec {
	struct list_head node;
	struct pci_dev *pdev;
	struct pci_tsm_policy *policy;
	u32 last_result;
	u32 last_error;
};

static DEFINE_MUTEX(pci_tsm_policy_lock);
static LIST_HEAD(pci_tsm_policy_list);

/**
 * pci_tsm_policy_free() - free a policy and the keys it holds
 * @policy: policy, may be %NULL or an ERR_PTR()
 */
void pci_tsm_policy_free(struct pci_tsm_policy *policy)
{
	if (IS_ERR_OR_NULL(policy))
		return;
	for (int i = 0; i < PCI_TSM_POLICY_SLOTS; i++)
		kfree(policy->slots[i].public_key);
	kfree_sensitive(policy);
}

static struct pci_tsm_policy_rec *rec_find(struct pci_dev *pdev)
{
	struct pci_tsm_policy_rec *rec;

	lockdep_assert_held(&pci_tsm_policy_lock);
	list_for_each_entry(rec, &pci_tsm_policy_list, node)
		if (rec->pdev == pdev)
			return rec;
	return NULL;
}

static struct pci_tsm_policy_rec *rec_get(struct pci_dev *pdev)
{
	struct pci_tsm_policy_rec *rec = rec_find(pdev);

	if (rec)
		return rec;
	rec = kzalloc_obj(*rec);
	if (!rec)
		return NULL;
	rec->pdev = pci_dev_get(pdev);
	list_add_tail(&rec->node, &pci_tsm_policy_list);
	return rec;
}

static void rec_free(struct pci_tsm_policy_rec *rec)
{
	list_del(&rec->node);
	pci_tsm_policy_free(rec->policy);
	pci_dev_put(rec->pdev);
	kfree(rec);
}

/**
 * pci_tsm_policy_clear() - forget a device's policy and last result
 * @pdev: device being disconnected, unlocked, connected, locked or removed
 */
void pci_tsm_policy_clear(struct pci_dev *pdev)
{
	struct pci_tsm_policy_rec *rec;

	guard(mutex)(&pci_tsm_policy_lock);
	rec = rec_find(pdev);
	if (rec)
		rec_free(rec);
}

/**
 * pci_tsm_policy_get() - the policy of a device
 * @pdev: device
 *
 * Context: pci_tsm_rwsem held for write, which keeps the policy from being
 * replaced or freed until it is released.
 *
 * Return: the policy, or %NULL if userspace set none.
 */
const struct pci_tsm_policy *pci_tsm_policy_get(struct pci_dev *pdev)
{
	struct pci_tsm_policy_rec *rec;

	lockdep_assert_held_write(&pci_tsm_rwsem);
	guard(mutex)(&pci_tsm_policy_lock);
	rec = rec_find(pdev);
	return rec ? rec->policy : NULL;
}

/**
 * pci_tsm_policy_record() - remember the outcome of a revalidation
 * @pdev: device
 * @result: the outcome
 * @err: errno (negative) behind an auth-failed @result, else 0
 */
void pci_tsm_policy_record(struct pci_dev *pdev,
			   enum pci_tsm_revalidate_result result, int err)
{
	struct pci_tsm_policy_rec *rec;

	guard(mutex)(&pci_tsm_policy_lock);
	rec = rec_get(pdev);
	if (!rec)
		return;
	rec->last_result = result;
	rec->last_error = err < 0 ? -err : 0;
}

/**
 * pci_tsm_policy_set() - install the policy of a connected or locked device
 * @pdev: device
 * @policy: the policy; this function owns it from now on, and frees it on
 *	    failure
 *
 * Replaces any earlier policy of @pdev and forgets the result that one led
 * to.
 *
 * Context: pci_tsm_rwsem held, for read or write.
 *
 * A policy that could never apply is refused: one for a function that
 * holds no session of its own (another function of a device a link TSM
 * connected through function 0, which revalidation leaves alone), or one
 * that asks for a check (signature, measurements) of a TSM that cannot
 * revalidate.
 *
 * Return: 0; -ENXIO if no TSM holds @pdev (a policy describes the device
 * as its TSM authenticated it); -EINVAL for a function without a session
 * of its own; -EOPNOTSUPP if the TSM cannot revalidate; -ENOMEM.
 */
int pci_tsm_policy_set(struct pci_dev *pdev, struct pci_tsm_policy *policy)
{
	struct pci_tsm_policy_rec *rec;
	int rc = 0;

	lockdep_assert_held(&pci_tsm_rwsem);
	if (!pdev->tsm)
		rc = -ENXIO;
	else if (is_link_tsm(pdev->tsm->tsm_dev) && pdev->tsm->dsm_dev != pdev)
		rc = -EINVAL;
	else if (policy->mode != PCI_TSM_REVALIDATE_MODE_FATAL &&
		 !pdev->tsm->tsm_dev->pci_ops->revalidate)
		rc = -EOPNOTSUPP;
	if (rc) {
		pci_tsm_policy_free(policy);
		return rc;
	}

	guard(mutex)(&pci_tsm_policy_lock);
	rec = rec_get(pdev);
	if (!rec) {
		pci_tsm_policy_free(policy);
		return -ENOMEM;
	}
	pci_tsm_policy_free(rec->policy);
	rec->policy = policy;
	rec->last_result = 0;
	rec->last_error = 0;
	return 0;
}

/**
 * pci_tsm_policy_last_result() - how the last revalidation of a device ended
 * @pdev: device
 * @err: set to the errno (positive) behind an auth-failed result, else 0
 *
 * Return: the &enum pci_tsm_revalidate_result of the last revalidation
 * since the policy was set (or since the device was connected or locked,
 * without a policy), 0 if there was none.
 */
u32 pci_tsm_policy_last_result(struct pci_dev *pdev, u32 *err)
{
	struct pci_tsm_policy_rec *rec;

	guard(mutex)(&pci_tsm_policy_lock);
	rec = rec_find(pdev);
	*err = rec ? rec->last_error : 0;
	return rec ? rec->last_result : 0;
}

static bool hash_len_ok(unsigned int len)
{
	return len == SHA256_DIGEST_SIZE || len == SHA384_DIGEST_SIZE ||
	       len == SHA512_DIGEST_SIZE;
}

static int parse_slot(struct pci_tsm_policy *policy, const struct nlattr *nest,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PCI_TSM_A_POLICY_SLOT_MAX + 1];
	struct pci_tsm_policy_slot *ps;
	const struct nlattr *a;
	u8 slot;
	int rc;

	rc = nla_parse_nested(tb, PCI_TSM_A_POLICY_SLOT_MAX, nest,
			      pci_tsm_policy_slot_nl_policy, extack);
	if (rc)
		return rc;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, PCI_TSM_A_POLICY_SLOT_SLOT))
		return -EINVAL;
	slot = nla_get_u8(tb[PCI_TSM_A_POLICY_SLOT_SLOT]);
	if (policy->slot_mask & BIT(slot)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PCI_TSM_A_POLICY_SLOT_SLOT],
				    "slot given twice");
		return -EINVAL;
	}
	if (!tb[PCI_TSM_A_POLICY_SLOT_CHAIN_HASH] ==
	    !tb[PCI_TSM_A_POLICY_SLOT_PUBLIC_KEY]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a slot takes a chain hash or a public key");
		return -EINVAL;
	}

	ps = &policy->slots[slot];
	a = tb[PCI_TSM_A_POLICY_SLOT_CHAIN_HASH];
	if (a) {
		if (!hash_len_ok(nla_len(a))) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "chain hash must be 32, 48 or 64 bytes");
			return -EINVAL;
		}
		nla_memcpy(ps->chain_hash, a, sizeof(ps->chain_hash));
		ps->chain_hash_len = nla_len(a);
	} else {
		a = tb[PCI_TSM_A_POLICY_SLOT_PUBLIC_KEY];
		if (!IS_BUILTIN(CONFIG_X509_CERTIFICATE_PARSER)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "public keys need the X.509 parser built in");
			return -EOPNOTSUPP;
		}
		if (!nla_len(a)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "empty public key");
			return -EINVAL;
		}
		ps->public_key = nla_memdup(a, GFP_KERNEL);
		if (!ps->public_key)
			return -ENOMEM;
		ps->public_key_len = nla_len(a);
	}
	policy->slot_mask |= BIT(slot);
	return 0;
}

/**
 * pci_tsm_policy_parse() - build a policy from a policy-set request
 * @attrs: the request's attributes, parsed against the op's policy
 * @head: first attribute of the request (for the repeated slot-policy)
 * @len: length of the request's attributes
 * @extack: where to say what is wrong
 *
 * Every combination that does not make sense is refused: fatal with slots
 * or a hash, signature without slots or with a measurement hash,
 * measurements without either, a slot given twice, a slot with both or
 * neither a chain hash and a public key, digests of another length than
 * SHA-256/384/512's.
 *
 * Return: the policy (free with pci_tsm_policy_free()), or an ERR_PTR().
 */
struct pci_tsm_policy *pci_tsm_policy_parse(struct nlattr **attrs,
					    const struct nlattr *head, int len,
					    struct netlink_ext_ack *extack)
{
	struct nlattr *mode_attr = attrs[PCI_TSM_A_POLICY_MODE];
	struct nlattr *meas = attrs[PCI_TSM_A_POLICY_MEAS_HASH];
	const struct nlattr *a;
	int rem, rc;

	if (!mode_attr) {
		NL_SET_ERR_MSG(extack, "mode is required");
		return ERR_PTR(-EINVAL);
	}

	struct pci_tsm_policy *policy __free(pci_tsm_policy_free) =
		kzalloc_obj(*policy);
	if (!policy)
		return ERR_PTR(-ENOMEM);
	policy->mode = nla_get_u32(mode_attr);
	if (policy->mode < PCI_TSM_REVALIDATE_MODE_SIGNATURE ||
	    policy->mode > PCI_TSM_REVALIDATE_MODE_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, mode_attr, "unknown mode");
		return ERR_PTR(-EINVAL);
	}

	nla_for_each_attr_type(a, PCI_TSM_A_POLICY_SLOT_POLICY, head, len, rem) {
		rc = parse_slot(policy, a, extack);
		if (rc)
			return ERR_PTR(rc);
	}

	if (meas) {
		if (policy->mode != PCI_TSM_REVALIDATE_MODE_MEASUREMENTS) {
			NL_SET_ERR_MSG_ATTR(extack, meas,
					    "measurement hash only in measurements mode");
			return ERR_PTR(-EINVAL);
		}
		if (!hash_len_ok(nla_len(meas))) {
			NL_SET_ERR_MSG_ATTR(extack, meas,
					    "measurement hash must be 32, 48 or 64 bytes");
			return ERR_PTR(-EINVAL);
		}
		nla_memcpy(policy->meas_hash, meas, sizeof(policy->meas_hash));
		policy->meas_hash_len = nla_len(meas);
	}

	switch (policy->mode) {
	case PCI_TSM_REVALIDATE_MODE_FATAL:
		if (policy->slot_mask) {
			NL_SET_ERR_MSG(extack, "fatal mode takes no slots");
			return ERR_PTR(-EINVAL);
		}
		break;
	case PCI_TSM_REVALIDATE_MODE_MEASUREMENTS:
		if (!policy->meas_hash_len) {
			NL_SET_ERR_MSG(extack, "measurements mode needs a measurement hash");
			return ERR_PTR(-EINVAL);
		}
		fallthrough;
	default:
		if (!policy->slot_mask) {
			NL_SET_ERR_MSG(extack, "at least one slot-policy is required");
			return ERR_PTR(-EINVAL);
		}
		break;
	}
	return no_free_ptr(policy);
}

/* SHA-256/384/512 of the concatenation of @n parts, by digest length */
static void digest(unsigned int len, const struct spdm_blob *parts,
		   unsigned int n, u8 *out)
{
	union {
		struct sha256_ctx s256;
		struct sha384_ctx s384;
		struct sha512_ctx s512;
	} ctx;
	unsigned int i;

	switch (len) {
	case SHA256_DIGEST_SIZE:
		sha256_init(&ctx.s256);
		for (i = 0; i < n; i++)
			sha256_update(&ctx.s256, parts[i].data, parts[i].len);
		sha256_final(&ctx.s256, out);
		break;
	case SHA384_DIGEST_SIZE:
		sha384_init(&ctx.s384);
		for (i = 0; i < n; i++)
			sha384_update(&ctx.s384, parts[i].data, parts[i].len);
		sha384_final(&ctx.s384, out);
		break;
	default:
		sha512_init(&ctx.s512);
		for (i = 0; i < n; i++)
			sha512_update(&ctx.s512, parts[i].data, parts[i].len);
		sha512_final(&ctx.s512, out);
		break;
	}
}

static unsigned int hash_size(u32 base_hash)
{
	switch (base_hash) {
	case SPDM_HASH_SHA256:
		return SHA256_DIGEST_SIZE;
	case SPDM_HASH_SHA384:
		return SHA384_DIGEST_SIZE;
	case SPDM_HASH_SHA512:
		return SHA512_DIGEST_SIZE;
	default:
		return 0;
	}
}

/* Size of the DER element at @p (tag and length included), 0 if malformed */
static size_t der_size(const u8 *p, size_t avail)
{
	size_t len, hdr;
	unsigned int i, n;

	if (avail < 2)
		return 0;
	if (!(p[1] & 0x80)) {
		hdr = 2;
		len = p[1];
	} else {
		n = p[1] & 0x7f;
		/* Certificates are below 16 MiB: up to 3 length bytes */
		if (n < 1 || n > 3 || avail < 2 + n)
			return 0;
		hdr = 2 + n;
		for (len = 0, i = 0; i < n; i++)
			len = len << 8 | p[2 + i];
	}
	if (len > avail - hdr)
		return 0;
	return hdr + len;
}

/*
 * Does the leaf certificate of @chain (SPDM format: 4-byte header, root
 * hash, DER certificates) carry @key? The chain comes from the device:
 * walk it with every length checked, even though lib/spdm verified it.
 */
static bool leaf_key_matches(const struct spdm_blob *chain, u32 base_hash,
			     const u8 *key, size_t key_len)
{
	size_t off = 4 + hash_size(base_hash), leaf = 0, leaf_len = 0, n;
	struct x509_certificate *cert;
	bool match;

	if (!IS_BUILTIN(CONFIG_X509_CERTIFICATE_PARSER) ||
	    !hash_size(base_hash) || chain->len <= off)
		return false;
	while (off < chain->len) {
		n = der_size(chain->data + off, chain->len - off);
		if (!n || chain->data[off] != 0x30)
			return false;
		leaf = off;
		leaf_len = n;
		off += n;
	}

	cert = x509_cert_parse(chain->data + leaf, leaf_len);
	if (IS_ERR(cert))
		return false;
	match = cert->pub->keylen == key_len &&
		!crypto_memneq(cert->pub->key, key, key_len);
	x509_free_certificate(cert);
	return match;
}

/**
 * pci_tsm_policy_check_spdm() - check an SPDM authentication against a policy
 * @policy: signature or measurements policy
 * @s: what a successful, fresh spdm_authenticate() produced
 *
 * The signature itself was verified by lib/spdm, against the leaf key of
 * the chain the device presented; this checks that this chain is the one
 * userspace trusted: every slot the policy names must be present with the
 * same chain digest (or leaf key), the device must have signed with one of
 * them, and in measurements mode the measurement record (every block of
 * the signed MEASUREMENTS response, in order) must hash to the policy's
 * digest.
 *
 * Return: 0 if the device matches; -EKEYREVOKED if it presented another
 * chain or key (a different device); -EBADE if its measurements differ;
 * -EINVAL for a policy that is not signature or measurements.
 */
int pci_tsm_policy_check_spdm(const struct pci_tsm_policy *policy,
			      const struct spdm_evidence *s)
{
	u8 md[PCI_TSM_HASH_MAX_LEN];
	struct spdm_blob *parts;
	unsigned int i;

	if (policy->mode != PCI_TSM_REVALIDATE_MODE_SIGNATURE &&
	    policy->mode != PCI_TSM_REVALIDATE_MODE_MEASUREMENTS)
		return -EINVAL;

	if (s->slot >= PCI_TSM_POLICY_SLOTS || !(policy->slot_mask & BIT(s->slot)))
		return -EKEYREVOKED;
	for (i = 0; i < PCI_TSM_POLICY_SLOTS; i++) {
		const struct pci_tsm_policy_slot *ps = &policy->slots[i];
		const struct spdm_blob *chain = &s->cert_chain[i];

		if (!(policy->slot_mask & BIT(i)))
			continue;
		if (!chain->len)
			return -EKEYREVOKED;
		if (ps->chain_hash_len) {
			digest(ps->chain_hash_len, chain, 1, md);
			if (crypto_memneq(md, ps->chain_hash, ps->chain_hash_len))
				return -EKEYREVOKED;
		} else if (!leaf_key_matches(chain, s->base_hash, ps->public_key,
					     ps->public_key_len)) {
			return -EKEYREVOKED;
		}
	}

	if (policy->mode != PCI_TSM_REVALIDATE_MODE_MEASUREMENTS)
		return 0;
	if (!s->num_meas_blocks || !s->meas_blocks)
		return -EBADE;
	parts = kcalloc(s->num_meas_blocks, sizeof(*parts), GFP_KERNEL);
	if (!parts)
		return -ENOMEM;
	for (i = 0; i < s->num_meas_blocks; i++) {
		parts[i].data = s->meas_blocks[i].raw;
		parts[i].len = s->meas_blocks[i].raw_len;
	}
	digest(policy->meas_hash_len, parts, s->num_meas_blocks, md);
	kfree(parts);
	if (crypto_memneq(md, policy->meas_hash, policy->meas_hash_len))
		return -EBADE;
	return 0;
}
EXPORT_SYMBOL_GPL(pci_tsm_policy_check_spdm);

static struct pci_dev *policy_pdev(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PCI_TSM_A_POLICY_DEV_NAME];
	struct device *dev;

	dev = bus_find_device_by_name(&pci_bus_type, NULL, nla_data(attr));
	if (!dev) {
		NL_SET_BAD_ATTR(info->extack, attr);
		return NULL;
	}
	return to_pci_dev(dev);
}

int pci_tsm_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, PCI_TSM_A_POLICY_DEV_NAME))
		return -EINVAL;

	struct pci_tsm_policy *policy __free(pci_tsm_policy_free) =
		pci_tsm_policy_parse(info->attrs,
				     nlmsg_attrdata(info->nlhdr, GENL_HDRLEN),
				     nlmsg_attrlen(info->nlhdr, GENL_HDRLEN),
				     info->extack);
	if (IS_ERR(policy))
		return PTR_ERR(policy);

	struct pci_dev *pdev __free(pci_dev_put) = policy_pdev(info);
	if (!pdev)
		return -ENODEV;

	ACQUIRE(rwsem_read_intr, lock)(&pci_tsm_rwsem);
	rc = ACQUIRE_ERR(rwsem_read_intr, &lock);
	if (rc)
		return rc;

	rc = pci_tsm_policy_set(pdev, no_free_ptr(policy));
	if (rc == -ENXIO)
		NL_SET_ERR_MSG(info->extack, "device is not connected or locked");
	else if (rc == -EINVAL)
		NL_SET_ERR_MSG(info->extack,
			       "function 0 holds the session: set the policy there");
	else if (rc == -EOPNOTSUPP)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PCI_TSM_A_POLICY_MODE],
				    "the TSM cannot revalidate: only fatal applies");
	return rc;
}

static int put_policy(struct sk_buff *msg, const struct pci_tsm_policy *policy)
{
	struct nlattr *nest;

	if (nla_put_u32(msg, PCI_TSM_A_POLICY_MODE, policy->mode))
		return -EMSGSIZE;
	for (int i = 0; i < PCI_TSM_POLICY_SLOTS; i++) {
		const struct pci_tsm_policy_slot *ps = &policy->slots[i];

		if (!(policy->slot_mask & BIT(i)))
			continue;
		nest = nla_nest_start(msg, PCI_TSM_A_POLICY_SLOT_POLICY);
		if (!nest || nla_put_u8(msg, PCI_TSM_A_POLICY_SLOT_SLOT, i))
			return -EMSGSIZE;
		if (ps->chain_hash_len ?
		    nla_put(msg, PCI_TSM_A_POLICY_SLOT_CHAIN_HASH,
			    ps->chain_hash_len, ps->chain_hash) :
		    nla_put(msg, PCI_TSM_A_POLICY_SLOT_PUBLIC_KEY,
			    ps->public_key_len, ps->public_key))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	if (policy->meas_hash_len &&
	    nla_put(msg, PCI_TSM_A_POLICY_MEAS_HASH,
		    policy->meas_hash_len, policy->meas_hash))
		return -EMSGSIZE;
	return 0;
}

int pci_tsm_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pci_tsm_policy_rec *rec;
	struct sk_buff *msg;
	void *hdr;
	int rc = 0;

	if (GENL_REQ_ATTR_CHECK(info, PCI_TSM_A_POLICY_DEV_NAME))
		return -EINVAL;

	struct pci_dev *pdev __free(pci_dev_put) = policy_pdev(info);
	if (!pdev)
		return -ENODEV;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_iput(msg, info);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	scoped_guard(mutex, &pci_tsm_policy_lock) {
		rec = rec_find(pdev);
		if (!rec) {
			rc = -ENOENT;
			break;
		}
		if (nla_put_string(msg, PCI_TSM_A_POLICY_DEV_NAME, pci_name(pdev)) ||
		    (rec->policy && put_policy(msg, rec->policy)) ||
		    (rec->last_result &&
		     (nla_put_u32(msg, PCI_TSM_A_POLICY_LAST_RESULT, rec->last_result) ||
		      nla_put_u32(msg, PCI_TSM_A_POLICY_LAST_ERROR, rec->last_error))))
			rc = -EMSGSIZE;
	}
	if (rc) {
		nlmsg_free(msg);
		if (rc == -ENOENT)
			NL_SET_ERR_MSG(info->extack, "device has no policy");
		return rc;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int pci_tsm_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pci_tsm_policy_rec *rec;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, PCI_TSM_A_POLICY_DEV_NAME))
		return -EINVAL;

	struct pci_dev *pdev __free(pci_dev_put) = policy_pdev(info);
	if (!pdev)
		return -ENODEV;

	ACQUIRE(rwsem_read_intr, lock)(&pci_tsm_rwsem);
	rc = ACQUIRE_ERR(rwsem_read_intr, &lock);
	if (rc)
		return rc;

	guard(mutex)(&pci_tsm_policy_lock);
	rec = rec_find(pdev);
	if (!rec || !rec->policy) {
		NL_SET_ERR_MSG(info->extack, "device has no policy");
		return -ENOENT;
	}
	/* Keep the last result: it still describes the device */
	pci_tsm_policy_free(rec->policy);
	rec->policy = NULL;
	return 0;
}

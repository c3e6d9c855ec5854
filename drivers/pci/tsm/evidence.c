// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: PCI TSM evidence
 *
 * When a TSM connects (link TSMs) or locks (devsec TSMs) a device, it
 * records what the session establishment produced: certificate chains,
 * transcripts, signatures, measurements, interface reports. Userspace
 * dumps that evidence and decides, itself, whether to trust the device:
 * the kernel makes no trust decision here ("authenticated" means
 * "evidence ready").
 *
 * A TSM builds a complete &struct pci_tsm_evidence off-line and publishes
 * it in one step, so readers never see a half-filled set. Each change of a
 * device's evidence bumps the device's generation (pci_tsm_generation()):
 * values come from one global sequence and are never reused, so a
 * generation userspace saw names exactly one set of evidence, and
 * tsm/accept can be bound to it.
 *
 * A connect that fails may still publish what the device sent, marked
 * with the error (pci_tsm_evidence_publish_failed()): the kernel refused
 * the device, and userspace, which decides trust, can see why.  Chains
 * carry the TSM's verdict on them, but are published whatever it is.
 *
 * Locking: pci_tsm_evidence_lock protects the device table and every
 * record in it, and is held across each dump round. TSM callbacks
 * (refresh) run under pci_tsm_rwsem held for read, taken before
 * pci_tsm_evidence_lock is ever needed by them.
 */

#define dev_fmt(fmt) "PCI/TSM: " fmt

#include <linux/cleanup.h>
#include <linux/capability.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/slab.h>
#include <linux/tsm.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "netlink-gen.h"
#include "tsm.h"

/* At most this many objects per device: 8 chains and a few transcripts */
#define PCI_TSM_EVIDENCE_MAX_OBJECTS	32

struct pci_tsm_object {
	enum pci_tsm_object_type type;
	u8 slot;
	bool has_status;
	int status;
	size_t len;
	void *data;
};

/**
 * struct pci_tsm_evidence - a complete set of evidence for one device
 * @info: how the evidence was produced (SPDM version, algorithms, slot)
 * @nr: number of valid entries in @objects
 * @objects: the evidence objects, in the order they were added
 */
struct pci_tsm_evidence {
	struct pci_tsm_evidence_info info;
	unsigned int nr;
	struct pci_tsm_object objects[PCI_TSM_EVIDENCE_MAX_OBJECTS];
};

/*
 * The published evidence of one device: of its session, or, with a
 * @connect_error, of the connect that failed
 */
struct pci_tsm_evidence_rec {
	struct pci_dev *pdev;
	char tsm_name[16];
	int connect_error;
	struct pci_tsm_evidence *ev;
};

static DEFINE_MUTEX(pci_tsm_evidence_lock);
static DEFINE_XARRAY_ALLOC(pci_tsm_evidence_xa);

/**
 * pci_tsm_evidence_alloc() - start a new set of evidence
 * @info: how the evidence was produced, copied
 *
 * Return: the new, empty set, or NULL when out of memory.
 */
struct pci_tsm_evidence *pci_tsm_evidence_alloc(const struct pci_tsm_evidence_info *info)
{
	struct pci_tsm_evidence *ev = kzalloc_obj(*ev);

	if (ev && info)
		ev->info = *info;
	return ev;
}
EXPORT_SYMBOL_GPL(pci_tsm_evidence_alloc);

static int evidence_add(struct pci_tsm_evidence *ev,
			enum pci_tsm_object_type type, u8 slot,
			const void *data, size_t len, bool has_status,
			int status)
{
	struct pci_tsm_object *obj;

	if (!ev || type < 1 || type > PCI_TSM_OBJECT_TYPE_MAX || slot > 7)
		return -EINVAL;
	if (len && !data)
		return -EINVAL;
	if (len > PCI_TSM_EVIDENCE_MAX_OBJECT)
		return -E2BIG;
	for (unsigned int i = 0; i < ev->nr; i++)
		if (ev->objects[i].type == type && ev->objects[i].slot == slot)
			return -EEXIST;
	if (ev->nr == PCI_TSM_EVIDENCE_MAX_OBJECTS)
		return -ENOSPC;

	obj = &ev->objects[ev->nr];
	obj->data = kvmemdup(data, len, GFP_KERNEL);
	if (len && !obj->data)
		return -ENOMEM;
	obj->type = type;
	obj->slot = slot;
	obj->has_status = has_status;
	obj->status = status;
	obj->len = len;
	ev->nr++;
	return 0;
}

/**
 * pci_tsm_evidence_add() - copy one object into a set of evidence
 * @ev: set from pci_tsm_evidence_alloc()
 * @type: kind of object
 * @slot: certificate slot the object belongs to (0-7)
 * @data: the object's bytes, copied
 * @len: length of @data, at most %PCI_TSM_EVIDENCE_MAX_OBJECT
 *
 * A certificate chain added here carries no verdict on it (for a TSM
 * that does not validate chains); see pci_tsm_evidence_add_chain().
 *
 * Return: 0, -EINVAL for an unknown type or slot, -E2BIG for an object
 * that is too large, -ENOSPC when the set is full, -EEXIST when the set
 * already holds an object of this type and slot, -ENOMEM.
 */
int pci_tsm_evidence_add(struct pci_tsm_evidence *ev, enum pci_tsm_object_type type,
			 u8 slot, const void *data, size_t len)
{
	return evidence_add(ev, type, slot, data, len, false, 0);
}
EXPORT_SYMBOL_GPL(pci_tsm_evidence_add);

/**
 * pci_tsm_evidence_add_chain() - copy one certificate chain into a set
 * @ev: set from pci_tsm_evidence_alloc()
 * @slot: the chain's certificate slot (0-7)
 * @data: the chain as SPDM carries it, copied
 * @len: length of @data
 * @status: 0 if the TSM validated the chain, else why not (a negative
 *	errno); the chain is published as the device sent it either way
 *
 * Return: as pci_tsm_evidence_add(); -EINVAL for a positive @status.
 */
int pci_tsm_evidence_add_chain(struct pci_tsm_evidence *ev, u8 slot,
			       const void *data, size_t len, int status)
{
	if (status > 0 || status < -MAX_ERRNO)
		return -EINVAL;
	return evidence_add(ev, PCI_TSM_OBJECT_TYPE_CERT_CHAIN, slot, data, len,
			    true, status);
}
EXPORT_SYMBOL_GPL(pci_tsm_evidence_add_chain);

/**
 * pci_tsm_evidence_free() - free a set of evidence that was not published
 * @ev: set to free, may be NULL
 */
void pci_tsm_evidence_free(struct pci_tsm_evidence *ev)
{
	if (!ev)
		return;
	for (unsigned int i = 0; i < ev->nr; i++)
		kvfree(ev->objects[i].data);
	kfree(ev);
}
EXPORT_SYMBOL_GPL(pci_tsm_evidence_free);

static struct pci_tsm_evidence_rec *rec_find(struct pci_dev *pdev, unsigned long *index)
{
	struct pci_tsm_evidence_rec *rec;
	unsigned long i;

	lockdep_assert_held(&pci_tsm_evidence_lock);
	xa_for_each(&pci_tsm_evidence_xa, i, rec) {
		if (rec->pdev == pdev) {
			if (index)
				*index = i;
			return rec;
		}
	}
	return NULL;
}

/*
 * Any generation change, of any device, makes a dump in progress
 * inconsistent (NLM_F_DUMP_INTR): dumps compare this across rounds.
 */
static u32 dump_seq(void)
{
	return (u32)pci_tsm_generation_latest();
}

static void notify(struct pci_dev *pdev, const char *tsm_name, u64 generation,
		   enum pci_tsm_event event, u32 result);
static void __pci_tsm_evidence_event(struct pci_dev *pdev,
				     enum pci_tsm_event event, u32 result);

static u64 evidence_publish(struct pci_dev *pdev, struct tsm_dev *tsm_dev,
			    struct pci_tsm_evidence *ev, int err)
{
	struct pci_tsm_evidence *old = NULL;
	struct pci_tsm_evidence_rec *rec;
	char tsm_name[16];
	u64 gen;
	u32 id;

	strscpy(tsm_name, tsm_dev ? dev_name(&tsm_dev->dev) : "");
	scoped_guard(mutex, &pci_tsm_evidence_lock) {
		rec = rec_find(pdev, NULL);
		if (!rec) {
			rec = kzalloc_obj(*rec);
			if (!rec || xa_alloc(&pci_tsm_evidence_xa, &id, rec,
					     xa_limit_32b, GFP_KERNEL)) {
				kfree(rec);
				pci_tsm_evidence_free(ev);
				return 0;
			}
			rec->pdev = pci_dev_get(pdev);
		}
		old = rec->ev;
		rec->ev = ev;
		rec->connect_error = err;
		strscpy(rec->tsm_name, tsm_name);
		pci_tsm_generation_bump(pdev);
		gen = pci_tsm_generation(pdev);
	}
	pci_tsm_evidence_free(old);
	notify(pdev, tsm_name, gen, PCI_TSM_EVENT_EVIDENCE, 0);
	return gen;
}

/**
 * pci_tsm_evidence_publish() - make a set of evidence the device's evidence
 * @pdev: device the evidence describes
 * @tsm_dev: TSM that produced it
 * @ev: the set; the store owns it from now on, whatever the result
 *
 * Replaces any evidence previously published for @pdev, gives the device
 * a new generation and announces the change on the "events" multicast
 * group.
 *
 * Return: the new generation, or 0 when out of memory (the evidence is
 * then dropped and the device has none).
 */
u64 pci_tsm_evidence_publish(struct pci_dev *pdev, struct tsm_dev *tsm_dev,
			     struct pci_tsm_evidence *ev)
{
	return evidence_publish(pdev, tsm_dev, ev, 0);
}
EXPORT_SYMBOL_GPL(pci_tsm_evidence_publish);

/**
 * pci_tsm_evidence_publish_failed() - publish what a failed connect received
 * @pdev: device whose connect failed, not connected
 * @tsm_dev: TSM whose connect failed
 * @ev: what the device sent before the failure; the store owns it from
 *	now on, whatever the result
 * @err: the connect's error (a negative errno)
 *
 * The kernel refuses a device whose evidence is not self-consistent, but
 * trust is userspace's decision, so userspace must be able to see what
 * was refused and why: device-get reports @err as connect-error.  Call
 * from &pci_tsm_ops.connect before it fails with @err; the core keeps
 * this evidence until the next connect of @pdev, or until @pdev or
 * @tsm_dev goes away.
 *
 * Return: the new generation, or 0 for an @err that is no errno or when
 * out of memory (@ev is dropped then).
 */
u64 pci_tsm_evidence_publish_failed(struct pci_dev *pdev,
				    struct tsm_dev *tsm_dev,
				    struct pci_tsm_evidence *ev, int err)
{
	if (err >= 0 || err < -MAX_ERRNO) {
		pci_tsm_evidence_free(ev);
		return 0;
	}
	return evidence_publish(pdev, tsm_dev, ev, err);
}
EXPORT_SYMBOL_GPL(pci_tsm_evidence_publish_failed);

enum evidence_kind { EV_ANY, EV_SESSION, EV_FAILED };

static void evidence_remove(struct pci_dev *pdev, enum evidence_kind kind,
			    struct tsm_dev *tsm_dev)
{
	struct pci_tsm_evidence_rec *rec;
	unsigned long index;

	scoped_guard(mutex, &pci_tsm_evidence_lock) {
		rec = rec_find(pdev, &index);
		if (!rec)
			return;
		if ((kind == EV_SESSION && rec->connect_error) ||
		    (kind == EV_FAILED && !rec->connect_error))
			return;
		if (tsm_dev && strcmp(rec->tsm_name, dev_name(&tsm_dev->dev)))
			return;
		xa_erase(&pci_tsm_evidence_xa, index);
		/* what userspace may have checked is gone */
		pci_tsm_generation_bump(pdev);
	}
	pci_tsm_evidence_free(rec->ev);
	pci_dev_put(rec->pdev);
	kfree(rec);
}

/**
 * pci_tsm_evidence_remove() - forget a device's evidence
 * @pdev: device that was disconnected, unlocked or removed
 *
 * Safe to call when the device has no evidence.
 */
void pci_tsm_evidence_remove(struct pci_dev *pdev)
{
	evidence_remove(pdev, EV_ANY, NULL);
}
EXPORT_SYMBOL_GPL(pci_tsm_evidence_remove);

/**
 * pci_tsm_evidence_connected() - give a device that just connected a record
 * @pdev: device whose connect succeeded
 * @tsm_dev: the TSM that connected it
 *
 * "Authenticated" means "evidence ready": a connected device has an
 * evidence record, even when its TSM publishes nothing (SEV-TIO does not
 * yet): device-get then reports it with its TSM and a dump yields zero
 * objects, rather than ENODATA as for a device nobody connected.  What
 * the TSM published during connect is kept.
 *
 * Context: pci_tsm_rwsem held for write: nothing else publishes for
 * @pdev meanwhile.
 *
 * Return: 0, or -ENOMEM.
 */
int pci_tsm_evidence_connected(struct pci_dev *pdev, struct tsm_dev *tsm_dev)
{
	struct pci_tsm_evidence_rec *rec;
	struct pci_tsm_evidence *ev;

	lockdep_assert_held_write(&pci_tsm_rwsem);
	scoped_guard(mutex, &pci_tsm_evidence_lock) {
		rec = rec_find(pdev, NULL);
		if (rec && !rec->connect_error)
			return 0;
	}
	ev = pci_tsm_evidence_alloc(NULL);
	if (!ev)
		return -ENOMEM;
	return evidence_publish(pdev, tsm_dev, ev, 0) ? 0 : -ENOMEM;
}

/**
 * pci_tsm_evidence_remove_session() - forget the evidence of a session
 * @pdev: device disconnected, or whose connect failed
 *
 * The evidence of a failed connect (pci_tsm_evidence_publish_failed())
 * stays.
 */
void pci_tsm_evidence_remove_session(struct pci_dev *pdev)
{
	evidence_remove(pdev, EV_SESSION, NULL);
}

/**
 * pci_tsm_evidence_remove_failed() - forget the evidence of a failed connect
 * @pdev: device about to be connected, or whose TSM goes away
 * @tsm_dev: only if this TSM made it; NULL: whichever did
 */
void pci_tsm_evidence_remove_failed(struct pci_dev *pdev,
				    struct tsm_dev *tsm_dev)
{
	evidence_remove(pdev, EV_FAILED, tsm_dev);
}

/**
 * pci_tsm_evidence_event() - announce a change of a device's security state
 * @pdev: the device
 * @event: what happened
 *
 * Sends a notification with the device's current generation to the
 * "events" multicast group of the pci-tsm family.
 */
void pci_tsm_evidence_event(struct pci_dev *pdev, enum pci_tsm_event event)
{
	__pci_tsm_evidence_event(pdev, event, 0);
}
EXPORT_SYMBOL_GPL(pci_tsm_evidence_event);

/**
 * pci_tsm_revalidate_event() - announce the outcome of a revalidation
 * @pdev: the device
 * @result: the outcome
 */
void pci_tsm_revalidate_event(struct pci_dev *pdev,
			      enum pci_tsm_revalidate_result result)
{
	__pci_tsm_evidence_event(pdev, PCI_TSM_EVENT_REVALIDATE, result);
}

static void __pci_tsm_evidence_event(struct pci_dev *pdev,
				     enum pci_tsm_event event, u32 result)
{
	struct pci_tsm_evidence_rec *rec;
	char tsm_name[16] = "";

	scoped_guard(mutex, &pci_tsm_evidence_lock) {
		rec = rec_find(pdev, NULL);
		if (rec)
			strscpy(tsm_name, rec->tsm_name);
	}
	if (!tsm_name[0] && pdev->tsm)
		strscpy(tsm_name, dev_name(&pdev->tsm->tsm_dev->dev));
	notify(pdev, tsm_name, pci_tsm_generation(pdev), event, result);
}

static void notify(struct pci_dev *pdev, const char *tsm_name, u64 generation,
		   enum pci_tsm_event event, u32 result)
{
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&pci_tsm_nl_family, &init_net, PCI_TSM_NLGRP_EVENTS))
		return;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &pci_tsm_nl_family, 0, PCI_TSM_CMD_EVENT_NTF);
	if (!hdr ||
	    nla_put_string(skb, PCI_TSM_A_EVIDENCE_DEV_NAME, pci_name(pdev)) ||
	    nla_put_string(skb, PCI_TSM_A_EVIDENCE_TSM, tsm_name) ||
	    nla_put_uint(skb, PCI_TSM_A_EVIDENCE_GENERATION, generation) ||
	    nla_put_u32(skb, PCI_TSM_A_EVIDENCE_EVENT, event) ||
	    (result && nla_put_u32(skb, PCI_TSM_A_EVIDENCE_RESULT, result))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&pci_tsm_nl_family, skb, 0, PCI_TSM_NLGRP_EVENTS, GFP_KERNEL);
}

/*
 * Evidence is about device identity and may be used to decide whether to
 * let a device near secrets: reading it, like changing device security
 * state through sysfs, needs CAP_SYS_ADMIN, and is only offered in the
 * initial network namespace, where PCI devices live.  GENL_ADMIN_PERM
 * only asks for CAP_NET_ADMIN.  The capability is the socket opener's as
 * well as the caller's (netlink_capable()): a socket opened by root and
 * handed to an unprivileged process does not carry it over.  Checked once
 * per request, before any handler (pre_doit) or dump round (start).
 */
static int pci_tsm_nl_allowed(struct sk_buff *skb)
{
	if (!net_eq(sock_net(skb->sk), &init_net))
		return -EOPNOTSUPP;
	if (!netlink_capable(skb, CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

int pci_tsm_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info)
{
	return pci_tsm_nl_allowed(skb);
}

int pci_tsm_nl_dump_start(struct netlink_callback *cb)
{
	return pci_tsm_nl_allowed(cb->skb);
}

/**
 * pci_tsm_evidence_chunk() - how much of an object the next message carries
 * @remaining: bytes of the object not yet sent
 * @tailroom: free bytes left in the message buffer
 *
 * A netlink attribute's length is a u16 that includes its 4-byte header,
 * so one attribute carries at most 65531 bytes; within that, as much as
 * fits the buffer.
 *
 * Return: number of bytes to put in the data attribute of this message.
 */
size_t pci_tsm_evidence_chunk(size_t remaining, int tailroom)
{
	int room = tailroom - NLA_HDRLEN - NLA_ALIGNTO;

	if (room <= 0)
		return 0;
	return min3(remaining, (size_t)room, (size_t)(U16_MAX - NLA_HDRLEN));
}

static int put_summary(struct sk_buff *skb, struct pci_tsm_evidence_rec *rec)
{
	const struct pci_tsm_evidence_info *info = &rec->ev->info;

	if (nla_put_string(skb, PCI_TSM_A_EVIDENCE_DEV_NAME, pci_name(rec->pdev)) ||
	    nla_put_string(skb, PCI_TSM_A_EVIDENCE_TSM, rec->tsm_name) ||
	    nla_put_uint(skb, PCI_TSM_A_EVIDENCE_GENERATION, pci_tsm_generation(rec->pdev)))
		return -EMSGSIZE;
	if (rec->connect_error &&
	    nla_put_u32(skb, PCI_TSM_A_EVIDENCE_CONNECT_ERROR, -rec->connect_error))
		return -EMSGSIZE;
	if (info->spdm_version &&
	    (nla_put_u8(skb, PCI_TSM_A_EVIDENCE_SPDM_VERSION, info->spdm_version) ||
	     nla_put_u32(skb, PCI_TSM_A_EVIDENCE_BASE_ASYM_ALGO, info->base_asym_algo) ||
	     nla_put_u32(skb, PCI_TSM_A_EVIDENCE_BASE_HASH_ALGO, info->base_hash_algo) ||
	     nla_put_u8(skb, PCI_TSM_A_EVIDENCE_SLOT, info->slot)))
		return -EMSGSIZE;
	return 0;
}

/* The device a request names, with a reference; extack says so if none */
static struct pci_dev *pdev_by_name(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PCI_TSM_A_EVIDENCE_DEV_NAME];
	struct device *dev;

	dev = bus_find_device_by_name(&pci_bus_type, NULL, nla_data(attr));
	if (!dev) {
		NL_SET_BAD_ATTR(info->extack, attr);
		return NULL;
	}
	return to_pci_dev(dev);
}

int pci_tsm_nl_device_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pci_tsm_evidence_rec *rec;
	struct sk_buff *msg;
	void *hdr;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, PCI_TSM_A_EVIDENCE_DEV_NAME))
		return -EINVAL;

	struct pci_dev *pdev __free(pci_dev_put) = pdev_by_name(info);
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
	scoped_guard(mutex, &pci_tsm_evidence_lock) {
		rec = rec_find(pdev, NULL);
		rc = rec ? put_summary(msg, rec) : -ENODATA;
	}
	if (rc) {
		nlmsg_free(msg);
		if (rc == -ENODATA)
			NL_SET_ERR_MSG(info->extack, "device has no evidence");
		return rc;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Where a dump resumes: record, object within it, offset within that */
struct pci_tsm_dump_ctx {
	unsigned long index;
	unsigned int obj;
	u32 offset;
};

int pci_tsm_nl_device_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pci_tsm_dump_ctx *ctx = (void *)cb->ctx;
	struct pci_tsm_evidence_rec *rec;
	unsigned long index;
	void *hdr;

	NL_ASSERT_CTX_FITS(struct pci_tsm_dump_ctx);

	guard(mutex)(&pci_tsm_evidence_lock);
	cb->seq = dump_seq();
	xa_for_each_start(&pci_tsm_evidence_xa, index, rec, ctx->index) {
		hdr = genlmsg_iput(skb, genl_info_dump(cb));
		if (!hdr)
			goto full;
		genl_dump_check_consistent(cb, hdr);
		if (put_summary(skb, rec)) {
			genlmsg_cancel(skb, hdr);
			goto full;
		}
		genlmsg_end(skb, hdr);
	}
	return 0;
full:
	ctx->index = index;
	return skb->len ? skb->len : -EMSGSIZE;
}

/* Put bytes from *offset of @obj in one message; advance *offset. */
static int put_chunk(struct sk_buff *skb, struct netlink_callback *cb,
		     struct pci_tsm_evidence_rec *rec,
		     const struct pci_tsm_object *obj, u32 *offset)
{
	struct nlattr *attr;
	size_t n;
	void *hdr;

	hdr = genlmsg_iput(skb, genl_info_dump(cb));
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_string(skb, PCI_TSM_A_EVIDENCE_DEV_NAME, pci_name(rec->pdev)) ||
	    nla_put_string(skb, PCI_TSM_A_EVIDENCE_TSM, rec->tsm_name) ||
	    nla_put_uint(skb, PCI_TSM_A_EVIDENCE_GENERATION, pci_tsm_generation(rec->pdev)) ||
	    nla_put_u32(skb, PCI_TSM_A_EVIDENCE_TYPE, obj->type) ||
	    nla_put_u8(skb, PCI_TSM_A_EVIDENCE_SLOT, obj->slot) ||
	    nla_put_u32(skb, PCI_TSM_A_EVIDENCE_OFFSET, *offset) ||
	    nla_put_u32(skb, PCI_TSM_A_EVIDENCE_TOTAL_LEN, obj->len))
		goto cancel;
	if (obj->has_status &&
	    nla_put_u32(skb, PCI_TSM_A_EVIDENCE_CHAIN_STATUS, -obj->status))
		goto cancel;
	/* So that no reader takes it for the evidence of a session */
	if (rec->connect_error &&
	    nla_put_u32(skb, PCI_TSM_A_EVIDENCE_CONNECT_ERROR, -rec->connect_error))
		goto cancel;

	n = pci_tsm_evidence_chunk(obj->len - *offset, skb_tailroom(skb));
	/* Only a zero-length object may go out without data bytes */
	if (!n && obj->len)
		goto cancel;
	attr = nla_reserve(skb, PCI_TSM_A_EVIDENCE_DATA, n);
	if (!attr)
		goto cancel;
	memcpy(nla_data(attr), obj->data + *offset, n);
	genlmsg_end(skb, hdr);
	*offset += n;
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int pci_tsm_nl_evidence_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct pci_tsm_dump_ctx *ctx = (void *)cb->ctx;
	struct nlattr *name_attr = info->attrs[PCI_TSM_A_EVIDENCE_DEV_NAME];
	struct nlattr *type_attr = info->attrs[PCI_TSM_A_EVIDENCE_TYPE];
	struct pci_tsm_evidence_rec *rec;
	unsigned long index;


	guard(mutex)(&pci_tsm_evidence_lock);
	cb->seq = dump_seq();
	xa_for_each_start(&pci_tsm_evidence_xa, index, rec, ctx->index) {
		struct pci_tsm_evidence *ev = rec->ev;

		if (name_attr && strcmp(pci_name(rec->pdev), nla_data(name_attr)))
			continue;
		if (index != ctx->index) {
			ctx->obj = 0;
			ctx->offset = 0;
		}
		ctx->index = index;
		for (; ctx->obj < ev->nr; ctx->obj++, ctx->offset = 0) {
			const struct pci_tsm_object *obj = &ev->objects[ctx->obj];

			if (type_attr && obj->type != nla_get_u32(type_attr))
				continue;
			/* evidence replaced since the last round: stay in bounds */
			if (ctx->offset > obj->len)
				ctx->offset = obj->len;
			do {
				if (put_chunk(skb, cb, rec, obj, &ctx->offset))
					return skb->len ? skb->len : -EMSGSIZE;
			} while (ctx->offset < obj->len);
		}
	}
	return 0;
}

int pci_tsm_nl_evidence_refresh_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	u8 slot_mask = 0;
	u64 gen;
	void *hdr;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, PCI_TSM_A_EVIDENCE_DEV_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, PCI_TSM_A_EVIDENCE_NONCE))
		return -EINVAL;

	struct pci_dev *pdev __free(pci_dev_put) = pdev_by_name(info);
	if (!pdev)
		return -ENODEV;

	if (info->attrs[PCI_TSM_A_EVIDENCE_SLOTS])
		slot_mask = nla_get_u8(info->attrs[PCI_TSM_A_EVIDENCE_SLOTS]);
	rc = pci_tsm_refresh(pdev, nla_data(info->attrs[PCI_TSM_A_EVIDENCE_NONCE]),
			     slot_mask);
	if (rc) {
		if (rc == -ENXIO)
			NL_SET_ERR_MSG(info->extack, "device is not connected or locked");
		else if (rc == -EINVAL)
			NL_SET_ERR_MSG(info->extack,
				       "function 0 holds the session: refresh it there");
		else if (rc == -EOPNOTSUPP && slot_mask)
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[PCI_TSM_A_EVIDENCE_SLOTS],
					    "the TSM cannot refresh evidence with these slots");
		else if (rc == -EOPNOTSUPP)
			NL_SET_ERR_MSG(info->extack, "the TSM cannot refresh evidence");
		return rc;
	}
	gen = pci_tsm_generation(pdev);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_iput(msg, info);
	if (!hdr || nla_put_string(msg, PCI_TSM_A_EVIDENCE_DEV_NAME, pci_name(pdev)) ||
	    nla_put_uint(msg, PCI_TSM_A_EVIDENCE_GENERATION, gen)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * pci_tsm_refresh() - ask a device's TSM for fresh evidence bound to a nonce
 * @pdev: a connected (link TSM) or locked (devsec TSM) device
 * @nonce: %PCI_TSM_NONCE_LEN bytes chosen by the requester
 * @slot_mask: further certificate slots whose chains to publish; 0: none
 *
 * Return: 0 once the TSM published the new evidence, -ENXIO when no TSM
 * holds the device, -EINVAL for a function whose session is function 0's,
 * -EOPNOTSUPP when its TSM cannot refresh, or the TSM's error.
 */
int pci_tsm_refresh(struct pci_dev *pdev, const u8 *nonce, u8 slot_mask)
{
	const struct pci_tsm_ops *ops;
	int rc;

	rc = down_read_interruptible(&pci_tsm_rwsem);
	if (rc)
		return rc;
	if (!pdev->tsm) {
		rc = -ENXIO;
	} else if (is_link_tsm(pdev->tsm->tsm_dev) &&
		   pdev->tsm->dsm_dev != pdev) {
		/* Function 0, the DSM, holds the session and the evidence */
		rc = -EINVAL;
	} else {
		ops = pdev->tsm->tsm_dev->pci_ops;
		rc = ops->refresh ? ops->refresh(pdev, nonce, slot_mask) :
				   -EOPNOTSUPP;
	}
	up_read(&pci_tsm_rwsem);
	return rc;
}

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * Read-back for KUnit tests (evidence_kunit.c, the emulated platform's
 * suite in samples/devsec): in the kernel the store is write-only, only
 * userspace reads it, over netlink.
 */
static const struct pci_tsm_object *
object_find(const struct pci_tsm_evidence *ev, enum pci_tsm_object_type type,
	    u8 slot)
{
	for (unsigned int i = 0; i < ev->nr; i++)
		if (ev->objects[i].type == type && ev->objects[i].slot == slot)
			return &ev->objects[i];
	return NULL;
}

/* Object @type/@slot of @pdev's published evidence, or an ERR_PTR() */
static const struct pci_tsm_object *
published_object(struct pci_dev *pdev, enum pci_tsm_object_type type, u8 slot)
{
	struct pci_tsm_evidence_rec *rec;

	lockdep_assert_held(&pci_tsm_evidence_lock);
	rec = rec_find(pdev, NULL);
	if (!rec)
		return ERR_PTR(-ENODATA);
	return object_find(rec->ev, type, slot) ?: ERR_PTR(-ENOENT);
}

/**
 * pci_tsm_evidence_peek() - one object of a set that is not published
 * @ev: the set
 * @type: kind of object
 * @slot: its slot
 * @len: set to the object's length
 *
 * Return: the object's bytes, owned by @ev, or NULL if @ev holds no such
 * object.
 */
const void *pci_tsm_evidence_peek(const struct pci_tsm_evidence *ev,
				  enum pci_tsm_object_type type, u8 slot,
				  size_t *len)
{
	const struct pci_tsm_object *obj = object_find(ev, type, slot);

	if (!obj)
		return NULL;
	*len = obj->len;
	return obj->data ?: ZERO_SIZE_PTR;
}

/**
 * pci_tsm_evidence_count() - number of objects in a set
 * @ev: the set
 *
 * Return: the number of objects added to @ev.
 */
unsigned int pci_tsm_evidence_count(const struct pci_tsm_evidence *ev)
{
	return ev->nr;
}

/**
 * pci_tsm_evidence_get_info() - how a set of evidence was produced
 * @ev: the set
 *
 * Return: what pci_tsm_evidence_alloc() was given, owned by @ev.
 */
const struct pci_tsm_evidence_info *
pci_tsm_evidence_get_info(const struct pci_tsm_evidence *ev)
{
	return &ev->info;
}

/**
 * pci_tsm_evidence_copy() - copy one object of a device's evidence
 * @pdev: the device
 * @type: kind of object
 * @slot: its slot
 * @buf: where to copy the object, may be NULL if @size is 0
 * @size: room at @buf; a longer object is truncated
 *
 * Return: the object's length; -ENODATA if @pdev has no published
 * evidence, -ENOENT if its evidence holds no such object.
 */
ssize_t pci_tsm_evidence_copy(struct pci_dev *pdev,
			      enum pci_tsm_object_type type, u8 slot,
			      void *buf, size_t size)
{
	const struct pci_tsm_object *obj;

	guard(mutex)(&pci_tsm_evidence_lock);
	obj = published_object(pdev, type, slot);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	if (size)
		memcpy(buf, obj->data, min(size, obj->len));
	return obj->len;
}

/**
 * pci_tsm_evidence_connect_error() - the error a device's evidence records
 * @pdev: the device
 *
 * Return: the negative errno of the failed connect the evidence is from,
 * 0 for the evidence of a session, -ENODATA if @pdev has none.  (Assert
 * the -ENODATA case with pci_tsm_evidence_objects().)
 */
int pci_tsm_evidence_connect_error(struct pci_dev *pdev)
{
	struct pci_tsm_evidence_rec *rec;

	guard(mutex)(&pci_tsm_evidence_lock);
	rec = rec_find(pdev, NULL);
	return rec ? rec->connect_error : -ENODATA;
}

/**
 * pci_tsm_evidence_chain_status() - the verdict on one published chain
 * @pdev: the device
 * @slot: the chain's slot
 * @status: set to the chain's status (0 or a negative errno)
 *
 * Return: 0, -ENODATA if @pdev has no evidence, -ENOENT if it holds no
 * chain for @slot, or one without a verdict.
 */
int pci_tsm_evidence_chain_status(struct pci_dev *pdev, u8 slot, int *status)
{
	const struct pci_tsm_object *obj;

	guard(mutex)(&pci_tsm_evidence_lock);
	obj = published_object(pdev, PCI_TSM_OBJECT_TYPE_CERT_CHAIN, slot);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	if (!obj->has_status)
		return -ENOENT;
	*status = obj->status;
	return 0;
}

/**
 * pci_tsm_evidence_objects() - number of objects in a device's evidence
 * @pdev: the device
 *
 * Return: the number of objects, or -ENODATA if @pdev has no published
 * evidence.
 */
int pci_tsm_evidence_objects(struct pci_dev *pdev)
{
	struct pci_tsm_evidence_rec *rec;

	guard(mutex)(&pci_tsm_evidence_lock);
	rec = rec_find(pdev, NULL);
	return rec ? rec->ev->nr : -ENODATA;
}
#endif /* CONFIG_KUNIT */

static int __init pci_tsm_evidence_init(void)
{
	return genl_register_family(&pci_tsm_nl_family);
}
subsys_initcall(pci_tsm_evidence_init);

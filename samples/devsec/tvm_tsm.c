// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated devsec TSM: the confidential-VM side.  "lock" authenticates the
 * endpoint, moves its interface (TDI) to CONFIG_LOCKED with TDISP
 * LOCK_INTERFACE and publishes the SPDM evidence plus the
 * DEVICE_INTERFACE_REPORT; "accept" moves it to RUN with START_INTERFACE
 * and the nonce LOCK_INTERFACE returned; "unlock" sends STOP_INTERFACE.
 *
 * On a real platform the TVM asks the platform TSM, which talks TDISP to
 * the device inside a secure SPDM session.  The emulation has no secure
 * sessions: TDISP goes in the clear, in SPDM VENDOR_DEFINED_REQUESTs
 * (PCI-SIG, protocol 1) over the endpoint's DOE mailbox.
 *
 * Every response is parsed as hostile: lengths, codes and the echoed
 * interface ID are checked before anything is used.
 */

#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/slab.h>
#include <linux/spdm.h>
#include <linux/tsm.h>
#include <linux/unaligned.h>

#include "devsec.h"

/* VENDOR_DEFINED_REQUEST: header, StandardID, Len, VendorID, ReqLength */
#define VDM_HDR_LEN		11
/* ... then the PCI-SIG protocol ID */
#define VDM_PAYLOAD_OFF		(VDM_HDR_LEN + 1)
#define TDISP_REQ_MAX		(VDM_PAYLOAD_OFF + TDISP_HDR_SIZE + 32)
#define TDISP_RSP_MAX		1024
/* GET_DEVICE_INTERFACE_REPORT: OFFSET and LENGTH are 16-bit */
#define TDISP_REPORT_MAX	U16_MAX
#define TDISP_REPORT_PORTION	(TDISP_RSP_MAX - VDM_PAYLOAD_OFF - \
				 TDISP_HDR_SIZE - 4)

/**
 * struct devsec_tdi - devsec context of one locked function
 * @devsec: core context
 * @cma: SPDM session with the function; its lock serialises TDISP
 * @function_id: TDISP FUNCTION_ID (the Requester ID)
 * @version: SPDMVersion of the last successful authentication, which
 *	TDISP messages carry; kept across a failed refresh so that the
 *	interface can still be accepted, queried and stopped
 * @start_nonce: START_INTERFACE_NONCE from LOCK_INTERFACE_RESPONSE
 * @req: request buffer, under @cma.lock
 * @rsp: response buffer, under @cma.lock
 */
struct devsec_tdi {
	struct pci_tsm_devsec devsec;
	struct pci_tsm_spdm cma;
	u32 function_id;
	u8 version;
	u8 start_nonce[DEVSEC_NONCE_SIZE];
	u8 req[TDISP_REQ_MAX];
	u8 rsp[TDISP_RSP_MAX];
};

static struct devsec_tdi *to_devsec_tdi(struct pci_tsm *tsm)
{
	return container_of(tsm, struct devsec_tdi, devsec.base_tsm);
}

static int tdisp_errno(u32 code)
{
	switch (code) {
	case TDISP_ERR_BUSY:
		return -EBUSY;
	case TDISP_ERR_INVALID_INTERFACE_STATE:
		return -EBADFD;
	case TDISP_ERR_INVALID_NONCE:
		return -EACCES;
	case TDISP_ERR_UNSUPPORTED_REQUEST:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

/**
 * __tdisp_exchange() - one TDISP request and its response
 * @tdi: the interface, @tdi->cma.lock held
 * @type: TDISP request code
 * @payload: request fields after the TDISP header
 * @len: size of @payload
 * @out: set to the response fields after the TDISP header (in @tdi->rsp)
 *
 * Return: size of the fields at @out; -EPROTO for a malformed response,
 * the errno of a TDISP_ERROR, -ECONNRESET for an SPDM ERROR saying the
 * device lost the connection, -EIO for other SPDM ERRORs, or the
 * transport's errno.
 */
static ssize_t __tdisp_exchange(struct devsec_tdi *tdi, u8 type,
				const void *payload, size_t len,
				const u8 **out)
{
	struct pci_dev *pdev = tdi->devsec.base_tsm.pdev;
	size_t tdisp_len = TDISP_HDR_SIZE + len;
	u8 *req = tdi->req, *rsp = tdi->rsp, *t;
	ssize_t n;
	u8 ver = tdi->version;
	u16 plen;

	if (WARN_ON_ONCE(VDM_PAYLOAD_OFF + tdisp_len > sizeof(tdi->req)))
		return -EINVAL;
	if (!ver)
		return -ENOTCONN;

	memset(req, 0, VDM_PAYLOAD_OFF + tdisp_len);
	req[0] = ver;
	req[1] = SPDM_VENDOR_DEFINED_REQUEST;
	put_unaligned_le16(SPDM_STANDARD_ID_PCISIG, req + 4);
	req[6] = 2;
	put_unaligned_le16(SPDM_PCISIG_VENDOR_ID, req + 7);
	put_unaligned_le16(1 + tdisp_len, req + 9);
	req[VDM_HDR_LEN] = PCISIG_PROTOCOL_TDISP;
	t = req + VDM_PAYLOAD_OFF;
	t[0] = TDISP_VERSION_1_0;
	t[1] = type;
	put_unaligned_le32(tdi->function_id, t + 4);
	memcpy(t + TDISP_HDR_SIZE, payload, len);

	n = pci_tsm_spdm_exchange(&tdi->cma, req, VDM_PAYLOAD_OFF + tdisp_len,
				  rsp, sizeof(tdi->rsp));
	if (n < 0)
		return n;
	if (n < 4 || rsp[0] != ver)
		goto malformed;
	if (rsp[1] == SPDM_ERROR) {
		pci_info(pdev, "TDISP %#x: SPDM error %#x\n", type, rsp[2]);
		if (rsp[2] == SPDM_ERR_UNEXPECTED_REQUEST ||
		    rsp[2] == SPDM_ERR_REQUEST_RESYNCH)
			return -ECONNRESET;
		return -EIO;
	}
	if (rsp[1] != SPDM_VENDOR_DEFINED_RESPONSE || n < VDM_PAYLOAD_OFF ||
	    get_unaligned_le16(rsp + 4) != SPDM_STANDARD_ID_PCISIG ||
	    rsp[6] != 2 || get_unaligned_le16(rsp + 7) != SPDM_PCISIG_VENDOR_ID)
		goto malformed;
	plen = get_unaligned_le16(rsp + 9);
	if (plen < 1 + TDISP_HDR_SIZE || plen > n - VDM_HDR_LEN ||
	    rsp[VDM_HDR_LEN] != PCISIG_PROTOCOL_TDISP)
		goto malformed;

	t = rsp + VDM_PAYLOAD_OFF;
	tdisp_len = plen - 1;
	if (t[0] != TDISP_VERSION_1_0 ||
	    get_unaligned_le32(t + 4) != tdi->function_id)
		goto malformed;
	if (t[1] == TDISP_ERROR) {
		u32 code;

		if (tdisp_len < TDISP_HDR_SIZE + 4)
			goto malformed;
		code = get_unaligned_le32(t + TDISP_HDR_SIZE);
		pci_info(pdev, "TDISP %#x: error %#x\n", type, code);
		return tdisp_errno(code);
	}
	if (t[1] != TDISP_RSP(type))
		goto malformed;

	*out = t + TDISP_HDR_SIZE;
	return tdisp_len - TDISP_HDR_SIZE;

malformed:
	pci_info(pdev, "TDISP %#x: malformed response\n", type);
	return -EPROTO;
}

/*
 * As __tdisp_exchange(), but a device that forgot the SPDM connection, as
 * after a reset, gets one new one: the TDISP state it reports then is the
 * truth, typically CONFIG_UNLOCKED. The evidence is not republished.
 */
static ssize_t tdisp_exchange(struct devsec_tdi *tdi, u8 type,
			      const void *payload, size_t len, const u8 **out)
{
	ssize_t n = __tdisp_exchange(tdi, type, payload, len, out);
	int rc;

	if (n != -ECONNRESET)
		return n;
	rc = pci_tsm_spdm_authenticate(&tdi->cma, NULL, 0);
	if (rc)
		return rc;
	tdi->version = pci_tsm_spdm_result(&tdi->cma)->version;
	return __tdisp_exchange(tdi, type, payload, len, out);
}

static int tdisp_lock(struct devsec_tdi *tdi)
{
	u8 lock[20] = { };
	const u8 *f;
	ssize_t n;

	put_unaligned_le16(TDISP_LOCK_NO_FW_UPDATE, lock);
	n = tdisp_exchange(tdi, TDISP_LOCK_INTERFACE, lock, sizeof(lock), &f);
	if (n < 0)
		return n;
	if (n < DEVSEC_NONCE_SIZE)
		return -EPROTO;
	memcpy(tdi->start_nonce, f, DEVSEC_NONCE_SIZE);
	return 0;
}

static int tdisp_stop(struct devsec_tdi *tdi)
{
	const u8 *f;
	ssize_t n;

	n = tdisp_exchange(tdi, TDISP_STOP_INTERFACE, NULL, 0, &f);
	return n < 0 ? n : 0;
}

/* Fetch the whole DEVICE_INTERFACE_REPORT and add it to @ev */
static int tdisp_add_report(struct devsec_tdi *tdi, struct pci_tsm_evidence *ev,
			    u8 slot)
{
	size_t len = 0, total = 0;
	u8 q[4];
	int rc;

	u8 *report __free(kvfree) = kvmalloc(TDISP_REPORT_MAX, GFP_KERNEL);
	if (!report)
		return -ENOMEM;

	do {
		u16 portion, remainder;
		const u8 *f;
		ssize_t n;

		put_unaligned_le16(len, q);
		put_unaligned_le16(TDISP_REPORT_PORTION, q + 2);
		n = tdisp_exchange(tdi, TDISP_GET_DEVICE_INTERFACE_REPORT,
				   q, sizeof(q), &f);
		if (n < 0)
			return n;
		if (n < 4)
			return -EPROTO;
		portion = get_unaligned_le16(f);
		remainder = get_unaligned_le16(f + 2);
		/* No progress, more than the message holds, or a moving total */
		if (!portion || portion > n - 4 ||
		    portion > TDISP_REPORT_MAX - len ||
		    (total && len + portion + remainder != total))
			return -EPROTO;
		if (remainder > TDISP_REPORT_MAX - len - portion)
			return -EPROTO;
		total = len + portion + remainder;
		memcpy(report + len, f + 4, portion);
		len += portion;
	} while (len < total);

	rc = pci_tsm_evidence_add(ev, PCI_TSM_OBJECT_TYPE_INTERFACE_REPORT,
				  slot, report, len);
	return rc;
}

/*
 * Publish the evidence of the last authentication with the interface
 * report; @tdi->cma.lock held.
 */
static int devsec_tdi_publish(struct devsec_tdi *tdi)
{
	const struct spdm_evidence *spdm = pci_tsm_spdm_result(&tdi->cma);
	struct pci_tsm *tsm = &tdi->devsec.base_tsm;
	struct pci_tsm_evidence *ev;
	int rc;

	if (!spdm)
		return -ENOTCONN;
	ev = pci_tsm_spdm_evidence(&tdi->cma);
	if (IS_ERR(ev))
		return PTR_ERR(ev);
	rc = tdisp_add_report(tdi, ev, spdm->slot);
	if (rc) {
		pci_tsm_evidence_free(ev);
		return rc;
	}
	if (!pci_tsm_evidence_publish(tsm->pdev, tsm->tsm_dev, ev))
		return -ENOMEM;
	return 0;
}

static void devsec_tdi_free(struct devsec_tdi *tdi)
{
	pci_tsm_spdm_exit(&tdi->cma);
	kfree(tdi);
}

static struct pci_tsm *devsec_tvm_lock(struct tsm_dev *tsm_dev,
				       struct pci_dev *pdev)
{
	struct devsec_bridge *br = devsec_bridge_from_dev(tsm_dev->dev.parent);
	struct devsec_tdi *tdi;
	int rc;

	if (!br || !devsec_ep_of(br, pdev))
		return NULL;

	tdi = kzalloc_obj(*tdi);
	if (!tdi)
		return ERR_PTR(-ENOMEM);
	rc = pci_tsm_spdm_init(&tdi->cma, pdev, 0);
	if (!rc)
		rc = pci_tsm_devsec_constructor(pdev, &tdi->devsec, tsm_dev);
	if (rc)
		goto err;
	tdi->function_id = pci_dev_id(pdev);

	/*
	 * SPDM first: TDISP needs the negotiated version. The measurements
	 * it signed stay valid after LOCK_INTERFACE, which forbids firmware
	 * updates; the report is only defined once locked.
	 */
	scoped_guard(mutex, &tdi->cma.lock) {
		rc = pci_tsm_spdm_authenticate(&tdi->cma, NULL, 0);
		if (rc)
			break;
		tdi->version = pci_tsm_spdm_result(&tdi->cma)->version;
		rc = tdisp_lock(tdi);
		if (rc)
			break;
		rc = devsec_tdi_publish(tdi);
		if (rc)
			tdisp_stop(tdi);
	}
	if (rc)
		goto err;
	return &tdi->devsec.base_tsm;

err:
	devsec_tdi_free(tdi);
	return ERR_PTR(rc);
}

static void devsec_tvm_unlock(struct pci_tsm *tsm)
{
	struct devsec_tdi *tdi = to_devsec_tdi(tsm);

	scoped_guard(mutex, &tdi->cma.lock) {
		/* Also the teardown path: the device may be gone or in ERROR */
		if (tdisp_stop(tdi))
			pci_dbg(tsm->pdev, "STOP_INTERFACE failed\n");
	}
	devsec_tdi_free(tdi);
}

static int devsec_tvm_accept(struct pci_tsm *tsm)
{
	struct devsec_tdi *tdi = to_devsec_tdi(tsm);
	const u8 *f;
	ssize_t n;

	guard(mutex)(&tdi->cma.lock);
	n = tdisp_exchange(tdi, TDISP_START_INTERFACE, tdi->start_nonce,
			   DEVSEC_NONCE_SIZE, &f);
	if (n < 0)
		return n;
	/* Good for one START only */
	memzero_explicit(tdi->start_nonce, sizeof(tdi->start_nonce));
	return 0;
}

/* TDISP state of the interface; @tdi->cma.lock held */
static int tdisp_state(struct devsec_tdi *tdi)
{
	const u8 *f;
	ssize_t n;

	n = tdisp_exchange(tdi, TDISP_GET_DEVICE_INTERFACE_STATE, NULL, 0, &f);
	if (n < 0)
		return n;
	if (n < 1)
		return -EPROTO;
	return f[0];
}

static int devsec_tvm_status(struct pci_tsm *tsm)
{
	struct devsec_tdi *tdi = to_devsec_tdi(tsm);
	int state;

	guard(mutex)(&tdi->cma.lock);
	state = tdisp_state(tdi);
	if (state < 0)
		return state;
	switch (state) {
	case DEVSEC_TDI_CONFIG_UNLOCKED:
		return PCI_TSM_DEVSEC_UNLOCKED;
	case DEVSEC_TDI_CONFIG_LOCKED:
		return PCI_TSM_DEVSEC_LOCKED;
	case DEVSEC_TDI_RUN:
		return PCI_TSM_DEVSEC_RUN;
	case DEVSEC_TDI_ERROR:
		return PCI_TSM_DEVSEC_ERROR;
	default:
		return -EPROTO;
	}
}

static int devsec_tvm_refresh(struct pci_dev *pdev, const u8 *nonce,
			      u8 slot_mask)
{
	struct devsec_tdi *tdi = to_devsec_tdi(pdev->tsm);
	int rc;

	/*
	 * On failure the evidence published at lock time stays, and TDISP
	 * goes on with @tdi->version: spdm_evidence() is NULL until the next
	 * successful authentication, but the interface is still locked.
	 */
	guard(mutex)(&tdi->cma.lock);
	rc = pci_tsm_spdm_authenticate(&tdi->cma, nonce, slot_mask);
	if (rc)
		return rc;
	tdi->version = pci_tsm_spdm_result(&tdi->cma)->version;
	return devsec_tdi_publish(tdi);
}

/*
 * Re-authenticate with the kernel's @nonce and check the device against
 * @policy before anything else: a replaced device gets no LOCK_INTERFACE
 * and publishes nothing. Then lock the interface again (a reset left it
 * CONFIG_UNLOCKED; a resume that kept power may have left it locked or
 * running, so stop it first) and publish the new evidence with the new
 * interface report. The core starts the interface if it was running.
 */
static int devsec_tvm_revalidate(struct pci_dev *pdev,
				 const struct pci_tsm_policy *policy,
				 const u8 *nonce)
{
	struct devsec_tdi *tdi = to_devsec_tdi(pdev->tsm);
	int rc, state;

	guard(mutex)(&tdi->cma.lock);
	/* The policy may pin other slots than the one that signs */
	rc = pci_tsm_spdm_authenticate(&tdi->cma, nonce, policy->slot_mask);
	if (rc)
		return rc;
	rc = pci_tsm_policy_check_spdm(policy, pci_tsm_spdm_result(&tdi->cma));
	if (rc)
		return rc;

	state = tdisp_state(tdi);
	if (state < 0)
		return state;
	if (state != DEVSEC_TDI_CONFIG_UNLOCKED) {
		rc = tdisp_stop(tdi);
		if (rc)
			return rc;
	}
	rc = tdisp_lock(tdi);
	if (rc)
		return rc;
	rc = devsec_tdi_publish(tdi);
	if (rc)
		tdisp_stop(tdi);
	return rc;
}

static struct pci_tsm_ops devsec_tvm_ops = {
	.devsec_ops = {
		.lock = devsec_tvm_lock,
		.unlock = devsec_tvm_unlock,
		.accept = devsec_tvm_accept,
		.status = devsec_tvm_status,
	},
	.refresh = devsec_tvm_refresh,
	.revalidate = devsec_tvm_revalidate,
};

/**
 * devsec_tvm_tsm_add() - register the platform's devsec TSM
 * @br: the emulated platform, drvdata of its platform device already
 *
 * Return: 0 or tsm_register()'s error.
 */
int devsec_tvm_tsm_add(struct devsec_bridge *br)
{
	struct tsm_dev *tsm_dev = tsm_register(br->dev, &devsec_tvm_ops);

	if (IS_ERR(tsm_dev))
		return PTR_ERR(tsm_dev);
	br->tvm_tsm = tsm_dev;
	return 0;
}

/**
 * devsec_tvm_tsm_del() - unregister the devsec TSM, unlocking functions
 * @br: the emulated platform
 */
void devsec_tvm_tsm_del(struct devsec_bridge *br)
{
	if (br->tvm_tsm)
		tsm_unregister(br->tvm_tsm);
	br->tvm_tsm = NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Register-level emulation of the DOE mailbox of a devsec endpoint
 * (PCIe r6.2 sec 6.30), so that drivers/pci/doe.c drives it unmodified.
 *
 * - Write Data Mailbox: each dword write appends to the request object;
 *   more dwords than its header's Length, or than the mailbox holds, set
 *   Error.
 * - Control GO: an incomplete object, a GO while Busy or while a response
 *   is still unread, or an unsupported data object type sets Error.
 *   DOE Discovery (type 0) is answered at once; CMA/SPDM (type 1) sets
 *   Busy and queues the responder, which may sleep to sign; when it is
 *   done Busy clears and Data Object Ready sets.
 * - Read Data Mailbox: a read returns the current dword of the response, a
 *   write (of any value) acknowledges it and moves to the next; the last
 *   acknowledgment clears Data Object Ready.
 * - Control Abort: drops the request and response in flight, clears Busy,
 *   Error and Data Object Ready at once.  A response still being computed
 *   is discarded when it completes (generation count).
 *
 * Only dword accesses have side effects; narrower reads return the
 * matching bytes, narrower writes to the mailbox registers are ignored.
 * No interrupt support is advertised, doe.c polls.
 *
 * Fault injection adds: drop (the response never becomes ready, Busy
 * stays set until Abort) and delay (the response becomes ready N ms late).
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/unaligned.h>

#include "devsec.h"

#define DOE_HDR1(type)	(FIELD_PREP(PCI_DOE_DATA_OBJECT_HEADER_1_VID, \
				    PCI_VENDOR_ID_PCI_SIG) | \
			 FIELD_PREP(PCI_DOE_DATA_OBJECT_HEADER_1_TYPE, (type)))

/* Discovery table: index -> feature type, all PCI-SIG */
static const u8 devsec_doe_features[] = {
	PCI_DOE_FEATURE_DISCOVERY,
	PCI_DOE_FEATURE_CMA,
};

static void mb_clear(struct devsec_mb *mb)
{
	mb->wlen = 0;
	mb->rlen = 0;
	mb->rpos = 0;
	mb->busy = false;
	mb->error = false;
	mb->ready = false;
	mb->pending = false;
	mb->gen++;
}

/* Make @len bytes at @payload the response object; ep->lock held */
static void mb_respond(struct devsec_mb *mb, u8 type, const void *payload,
		       size_t len)
{
	size_t dw = DIV_ROUND_UP(len, sizeof(u32)), i;
	const u8 *p = payload;
	u8 last[4] = { };

	mb->rbuf[0] = DOE_HDR1(type);
	mb->rbuf[1] = FIELD_PREP(PCI_DOE_DATA_OBJECT_HEADER_2_LENGTH, 2 + dw);
	/* The payload is a byte stream: dword n holds bytes 4n..4n+3 LE */
	for (i = 0; i < len / 4; i++)
		mb->rbuf[2 + i] = get_unaligned_le32(p + 4 * i);
	if (len % 4) {
		memcpy(last, p + 4 * i, len % 4);
		mb->rbuf[2 + i] = get_unaligned_le32(last);
	}
	mb->rlen = 2 + dw;
	mb->rpos = 0;
	mb->busy = false;
	mb->ready = true;
}

static void mb_discovery(struct devsec_mb *mb)
{
	u8 index, rsp[4];

	if (mb->wlen != 3) {
		mb->error = true;
		return;
	}
	index = FIELD_GET(PCI_DOE_DATA_OBJECT_DISC_REQ_3_INDEX, mb->wbuf[2]);
	if (index >= ARRAY_SIZE(devsec_doe_features)) {
		mb->error = true;
		return;
	}

	put_unaligned_le32(FIELD_PREP(PCI_DOE_DATA_OBJECT_DISC_RSP_3_VID,
				      PCI_VENDOR_ID_PCI_SIG) |
			   FIELD_PREP(PCI_DOE_DATA_OBJECT_DISC_RSP_3_TYPE,
				      devsec_doe_features[index]) |
			   FIELD_PREP(PCI_DOE_DATA_OBJECT_DISC_RSP_3_NEXT_INDEX,
				      (index + 1) %
				      ARRAY_SIZE(devsec_doe_features)),
			   rsp);
	mb->wlen = 0;
	mb_respond(mb, PCI_DOE_FEATURE_DISCOVERY, rsp, sizeof(rsp));
}

static void mb_go(struct devsec_ep *ep)
{
	struct devsec_mb *mb = &ep->mb;
	size_t len;

	if (mb->busy || mb->ready || mb->error || mb->wlen < 2)
		goto error;

	len = FIELD_GET(PCI_DOE_DATA_OBJECT_HEADER_2_LENGTH, mb->wbuf[1]);
	if (len != mb->wlen)
		goto error;
	if (FIELD_GET(PCI_DOE_DATA_OBJECT_HEADER_1_VID, mb->wbuf[0]) !=
	    PCI_VENDOR_ID_PCI_SIG)
		goto error;

	switch (FIELD_GET(PCI_DOE_DATA_OBJECT_HEADER_1_TYPE, mb->wbuf[0])) {
	case PCI_DOE_FEATURE_DISCOVERY:
		mb_discovery(mb);
		return;
	case PCI_DOE_FEATURE_CMA:
		mb->busy = true;
		mb->pending = true;
		queue_work(system_dfl_wq, &mb->work);
		return;
	}

error:
	mb->error = true;
}

static void mb_write_data(struct devsec_mb *mb, u32 val)
{
	size_t len = 0;

	if (mb->busy || mb->error)
		return;
	if (mb->wlen >= 2)
		len = FIELD_GET(PCI_DOE_DATA_OBJECT_HEADER_2_LENGTH,
				mb->wbuf[1]);
	if (mb->wlen >= DEVSEC_DOE_MAX_DW || (mb->wlen >= 2 && mb->wlen >= len)) {
		mb->error = true;
		return;
	}
	mb->wbuf[mb->wlen++] = val;
}

/**
 * devsec_mb_read() - read a DOE register
 * @ep: endpoint, lock held
 * @reg: offset in the DOE capability, dword aligned
 *
 * Return: the register's value.
 */
u32 devsec_mb_read(struct devsec_ep *ep, unsigned int reg)
{
	struct devsec_mb *mb = &ep->mb;

	lockdep_assert_held(&ep->lock);

	switch (reg) {
	case PCI_DOE_STATUS:
		return (mb->busy ? PCI_DOE_STATUS_BUSY : 0) |
		       (mb->error ? PCI_DOE_STATUS_ERROR : 0) |
		       (mb->ready ? PCI_DOE_STATUS_DATA_OBJECT_READY : 0);
	case PCI_DOE_READ:
		if (mb->ready && mb->rpos < mb->rlen)
			return mb->rbuf[mb->rpos];
		return 0;
	default:
		return 0;
	}
}

/**
 * devsec_mb_write() - write a DOE register
 * @ep: endpoint, lock held
 * @reg: offset in the DOE capability, dword aligned
 * @val: the dword written
 */
void devsec_mb_write(struct devsec_ep *ep, unsigned int reg, u32 val)
{
	struct devsec_mb *mb = &ep->mb;

	lockdep_assert_held(&ep->lock);

	switch (reg) {
	case PCI_DOE_CTRL:
		if (val & PCI_DOE_CTRL_ABORT)
			mb_clear(mb);
		else if (val & PCI_DOE_CTRL_GO)
			mb_go(ep);
		break;
	case PCI_DOE_WRITE:
		mb_write_data(mb, val);
		break;
	case PCI_DOE_READ:
		if (mb->ready && ++mb->rpos >= mb->rlen)
			mb->ready = false;
		break;
	}
}

static void devsec_mb_work(struct work_struct *work)
{
	struct devsec_mb *mb = container_of(work, struct devsec_mb, work);
	struct devsec_ep *ep = container_of(mb, struct devsec_ep, mb);
	unsigned int gen, delay_ms;
	size_t req_len, len, i;
	bool drop;

	raw_spin_lock_irq(&ep->lock);
	if (!mb->pending) {
		raw_spin_unlock_irq(&ep->lock);
		return;
	}
	mb->pending = false;
	gen = mb->gen;
	req_len = (mb->wlen - 2) * sizeof(u32);
	for (i = 0; i < mb->wlen - 2; i++)
		put_unaligned_le32(mb->wbuf[2 + i], mb->req + 4 * i);
	mb->wlen = 0;
	drop = mb->drop;
	if (drop)
		mb->drop--;
	delay_ms = mb->delay_ms;
	raw_spin_unlock_irq(&ep->lock);

	mutex_lock(&ep->rsp_lock);
	/* A reset signalled before this request comes first */
	devsec_ep_reset_sync(ep);
	len = devsec_rsp_handle(&ep->rsp, mb->req, req_len, mb->rsp,
				sizeof(mb->rsp));
	mutex_unlock(&ep->rsp_lock);

	/* Dropped: Busy stays set until the requester gives up and aborts */
	if (drop)
		return;
	if (delay_ms)
		msleep(delay_ms);

	raw_spin_lock_irq(&ep->lock);
	if (gen == mb->gen && mb->busy) {
		if (len)
			mb_respond(mb, PCI_DOE_FEATURE_CMA, mb->rsp, len);
		else
			mb->error = true;
	}
	raw_spin_unlock_irq(&ep->lock);
}

/**
 * devsec_mb_reset() - reset the mailbox as a function reset does
 * @ep: endpoint
 */
void devsec_mb_reset(struct devsec_ep *ep)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ep->lock, flags);
	mb_clear(&ep->mb);
	raw_spin_unlock_irqrestore(&ep->lock, flags);
}

/**
 * devsec_ep_reset_sync() - apply a pending function reset to the responder
 * @ep: endpoint, @ep->rsp_lock held
 *
 * Both the reset work and the mailbox work call this before they touch
 * the responder, under @ep->rsp_lock: whichever runs first after the
 * reset forgets the responder's state, so no request is ever answered
 * from the state before it.
 */
void devsec_ep_reset_sync(struct devsec_ep *ep)
{
	bool pending;

	lockdep_assert_held(&ep->rsp_lock);
	raw_spin_lock_irq(&ep->lock);
	pending = ep->reset_pending;
	ep->reset_pending = false;
	raw_spin_unlock_irq(&ep->lock);
	if (pending)
		devsec_rsp_reset(&ep->rsp);
}

static void devsec_ep_reset_work(struct work_struct *work)
{
	struct devsec_ep *ep = container_of(work, struct devsec_ep, reset_work);

	mutex_lock(&ep->rsp_lock);
	devsec_ep_reset_sync(ep);
	mutex_unlock(&ep->rsp_lock);
}

/**
 * devsec_mb_hw_reset() - a function reset (FLR, secondary bus reset) hit
 * the endpoint
 * @ep: endpoint, @ep->lock held (a config write)
 *
 * The mailbox is cleared at once. The responder, which sleeps under
 * @ep->rsp_lock, forgets its SPDM and TDISP state from a work item, or
 * before the next request at the latest (devsec_ep_reset_sync()).
 */
void devsec_mb_hw_reset(struct devsec_ep *ep)
{
	lockdep_assert_held(&ep->lock);
	mb_clear(&ep->mb);
	ep->reset_pending = true;
	queue_work(system_dfl_wq, &ep->reset_work);
}

/**
 * devsec_mb_init() - set up the mailbox of an endpoint
 * @ep: endpoint
 */
void devsec_mb_init(struct devsec_ep *ep)
{
	INIT_WORK(&ep->mb.work, devsec_mb_work);
	INIT_WORK(&ep->reset_work, devsec_ep_reset_work);
}

/**
 * devsec_mb_exit() - wait for the responder to finish
 * @ep: endpoint, no longer reachable through config space
 */
void devsec_mb_exit(struct devsec_ep *ep)
{
	cancel_work_sync(&ep->mb.work);
	cancel_work_sync(&ep->reset_work);
}

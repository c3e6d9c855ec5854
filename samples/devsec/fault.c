// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for the emulated devsec endpoints, as functions (used by
 * the KUnit suite) and as debugfs files, one directory per endpoint:
 *
 * /sys/kernel/debug/devsec/<pci-name>/
 *   corrupt_sig  write 1: the next signature (CHALLENGE_AUTH or signed
 *                MEASUREMENTS) is corrupted; reads 1 while armed
 *   identity     0: the device's own certificate chain and key; 1: those of
 *                a different device ("replaced device")
 *   measurement  write 1: firmware update, measurement block 2 changes
 *                (a locked or running TDI goes to ERROR); reads the
 *                firmware version
 *   drop         number of DOE responses to drop: the mailbox stays Busy
 *                and never becomes ready, until the requester aborts
 *   delay_ms     every DOE response becomes ready this late (max 10000)
 *   error        SPDM ERROR code to answer the next request with (0: off)
 *   max_portion  no CERTIFICATE portion is longer than this (0: off)
 *   not_ready    1: every request, RESPOND_IF_READY included, is answered
 *                ResponseNotReady; 0: off
 *   requests     SPDM requests the endpoint answered (read only)
 *   reset        write 1: forget all state as after a reset (SPDM
 *                connection, TDISP state, mailbox contents)
 *   tdi_state    TDISP state: 0 CONFIG_UNLOCKED, 1 CONFIG_LOCKED, 2 RUN,
 *                3 ERROR
 *
 * /sys/kernel/debug/devsec/rootN.der is the root CA of identity N: what a
 * verifier of the evidence is given as its trust anchor.
 */

#include <linux/debugfs.h>

#include "devsec.h"

#define DEVSEC_MAX_DELAY_MS	10000

static struct dentry *devsec_debugfs;

/**
 * devsec_ep_corrupt_sig() - corrupt the next signature the endpoint makes
 * @ep: endpoint
 */
void devsec_ep_corrupt_sig(struct devsec_ep *ep)
{
	mutex_lock(&ep->rsp_lock);
	ep->rsp.corrupt_sig = true;
	mutex_unlock(&ep->rsp_lock);
}

/**
 * devsec_ep_set_identity() - choose the certificate chain and key
 * @ep: endpoint
 * @identity: 0 for the device's own, 1 for the replaced device's
 *
 * Return: 0, or -EINVAL for an unknown identity.
 */
int devsec_ep_set_identity(struct devsec_ep *ep, unsigned int identity)
{
	const struct devsec_identity *id = devsec_identity(identity);

	if (!id)
		return -EINVAL;
	mutex_lock(&ep->rsp_lock);
	ep->identity = identity;
	devsec_rsp_set_identity(&ep->rsp, id);
	mutex_unlock(&ep->rsp_lock);
	return 0;
}

/**
 * devsec_ep_set_slot1() - present a second certificate chain in slot 1
 * @ep: endpoint
 * @identity: whose chain slot 1 holds; negative: slot 1 is empty
 *
 * Return: 0, or -EINVAL for an unknown identity.
 */
int devsec_ep_set_slot1(struct devsec_ep *ep, int identity)
{
	const struct devsec_identity *id = NULL;

	if (identity >= 0) {
		id = devsec_identity(identity);
		if (!id)
			return -EINVAL;
	}
	mutex_lock(&ep->rsp_lock);
	ep->rsp.slot1 = id;
	mutex_unlock(&ep->rsp_lock);
	return 0;
}

/**
 * devsec_ep_update_firmware() - change the firmware measurement
 * @ep: endpoint
 */
void devsec_ep_update_firmware(struct devsec_ep *ep)
{
	mutex_lock(&ep->rsp_lock);
	devsec_rsp_update_firmware(&ep->rsp);
	mutex_unlock(&ep->rsp_lock);
}

/**
 * devsec_ep_set_drop() - drop the next DOE responses
 * @ep: endpoint
 * @count: number of responses to drop
 */
void devsec_ep_set_drop(struct devsec_ep *ep, unsigned int count)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ep->lock, flags);
	ep->mb.drop = count;
	raw_spin_unlock_irqrestore(&ep->lock, flags);
}

/**
 * devsec_ep_set_delay() - delay every DOE response
 * @ep: endpoint
 * @ms: delay in milliseconds, capped at 10 s
 */
void devsec_ep_set_delay(struct devsec_ep *ep, unsigned int ms)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ep->lock, flags);
	ep->mb.delay_ms = min(ms, DEVSEC_MAX_DELAY_MS);
	raw_spin_unlock_irqrestore(&ep->lock, flags);
}

/**
 * devsec_ep_set_error() - answer the next SPDM request with an ERROR
 * @ep: endpoint
 * @code: SPDM error code, 0 to disarm
 */
void devsec_ep_set_error(struct devsec_ep *ep, u8 code)
{
	mutex_lock(&ep->rsp_lock);
	ep->rsp.error_code = code;
	mutex_unlock(&ep->rsp_lock);
}

/**
 * devsec_ep_set_max_portion() - shorten the CERTIFICATE portions
 * @ep: endpoint
 * @len: longest portion the endpoint sends, 0 for no limit
 */
void devsec_ep_set_max_portion(struct devsec_ep *ep, u16 len)
{
	mutex_lock(&ep->rsp_lock);
	ep->rsp.max_portion = len;
	mutex_unlock(&ep->rsp_lock);
}

/**
 * devsec_ep_set_not_ready() - never have a response ready
 * @ep: endpoint
 * @on: answer every request with ResponseNotReady
 */
void devsec_ep_set_not_ready(struct devsec_ep *ep, bool on)
{
	mutex_lock(&ep->rsp_lock);
	ep->rsp.not_ready = on;
	mutex_unlock(&ep->rsp_lock);
}

/**
 * devsec_ep_requests() - SPDM requests the endpoint answered so far
 * @ep: endpoint
 *
 * Return: the count.
 */
unsigned int devsec_ep_requests(struct devsec_ep *ep)
{
	unsigned int n;

	mutex_lock(&ep->rsp_lock);
	n = ep->rsp.requests;
	mutex_unlock(&ep->rsp_lock);
	return n;
}

/**
 * devsec_ep_reset() - make the endpoint forget its state, as on reset
 * @ep: endpoint
 */
void devsec_ep_reset(struct devsec_ep *ep)
{
	mutex_lock(&ep->rsp_lock);
	devsec_rsp_reset(&ep->rsp);
	mutex_unlock(&ep->rsp_lock);
	devsec_mb_reset(ep);
}

/**
 * devsec_ep_tdi_state() - TDISP state of the endpoint's interface
 * @ep: endpoint
 *
 * Return: the state.
 */
enum devsec_tdi_state devsec_ep_tdi_state(struct devsec_ep *ep)
{
	enum devsec_tdi_state state;

	mutex_lock(&ep->rsp_lock);
	state = ep->rsp.tdi_state;
	mutex_unlock(&ep->rsp_lock);
	return state;
}

static int corrupt_sig_get(void *data, u64 *val)
{
	struct devsec_ep *ep = data;

	mutex_lock(&ep->rsp_lock);
	*val = ep->rsp.corrupt_sig;
	mutex_unlock(&ep->rsp_lock);
	return 0;
}

static int corrupt_sig_set(void *data, u64 val)
{
	if (val != 1)
		return -EINVAL;
	devsec_ep_corrupt_sig(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(corrupt_sig_fops, corrupt_sig_get, corrupt_sig_set,
			 "%llu\n");

static int identity_get(void *data, u64 *val)
{
	struct devsec_ep *ep = data;

	mutex_lock(&ep->rsp_lock);
	*val = ep->identity;
	mutex_unlock(&ep->rsp_lock);
	return 0;
}

static int identity_set(void *data, u64 val)
{
	if (val >= DEVSEC_NR_IDENTITIES)
		return -EINVAL;
	return devsec_ep_set_identity(data, val);
}
DEFINE_DEBUGFS_ATTRIBUTE(identity_fops, identity_get, identity_set, "%llu\n");

static int measurement_get(void *data, u64 *val)
{
	struct devsec_ep *ep = data;

	mutex_lock(&ep->rsp_lock);
	*val = ep->rsp.fw_version;
	mutex_unlock(&ep->rsp_lock);
	return 0;
}

static int measurement_set(void *data, u64 val)
{
	if (val != 1)
		return -EINVAL;
	devsec_ep_update_firmware(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(measurement_fops, measurement_get, measurement_set,
			 "%llu\n");

static int drop_get(void *data, u64 *val)
{
	struct devsec_ep *ep = data;
	unsigned long flags;

	raw_spin_lock_irqsave(&ep->lock, flags);
	*val = ep->mb.drop;
	raw_spin_unlock_irqrestore(&ep->lock, flags);
	return 0;
}

static int drop_set(void *data, u64 val)
{
	if (val > UINT_MAX)
		return -EINVAL;
	devsec_ep_set_drop(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(drop_fops, drop_get, drop_set, "%llu\n");

static int delay_get(void *data, u64 *val)
{
	struct devsec_ep *ep = data;
	unsigned long flags;

	raw_spin_lock_irqsave(&ep->lock, flags);
	*val = ep->mb.delay_ms;
	raw_spin_unlock_irqrestore(&ep->lock, flags);
	return 0;
}

static int delay_set(void *data, u64 val)
{
	if (val > DEVSEC_MAX_DELAY_MS)
		return -EINVAL;
	devsec_ep_set_delay(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(delay_fops, delay_get, delay_set, "%llu\n");

static int error_get(void *data, u64 *val)
{
	struct devsec_ep *ep = data;

	mutex_lock(&ep->rsp_lock);
	*val = ep->rsp.error_code;
	mutex_unlock(&ep->rsp_lock);
	return 0;
}

static int error_set(void *data, u64 val)
{
	if (val > U8_MAX)
		return -EINVAL;
	devsec_ep_set_error(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(error_fops, error_get, error_set, "0x%02llx\n");

static int max_portion_get(void *data, u64 *val)
{
	struct devsec_ep *ep = data;

	mutex_lock(&ep->rsp_lock);
	*val = ep->rsp.max_portion;
	mutex_unlock(&ep->rsp_lock);
	return 0;
}

static int max_portion_set(void *data, u64 val)
{
	if (val > U16_MAX)
		return -EINVAL;
	devsec_ep_set_max_portion(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(max_portion_fops, max_portion_get, max_portion_set,
			 "%llu\n");

static int not_ready_get(void *data, u64 *val)
{
	struct devsec_ep *ep = data;

	mutex_lock(&ep->rsp_lock);
	*val = ep->rsp.not_ready;
	mutex_unlock(&ep->rsp_lock);
	return 0;
}

static int not_ready_set(void *data, u64 val)
{
	if (val > 1)
		return -EINVAL;
	devsec_ep_set_not_ready(data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(not_ready_fops, not_ready_get, not_ready_set,
			 "%llu\n");

static int requests_get(void *data, u64 *val)
{
	*val = devsec_ep_requests(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(requests_fops, requests_get, NULL, "%llu\n");

static int reset_set(void *data, u64 val)
{
	if (val != 1)
		return -EINVAL;
	devsec_ep_reset(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(reset_fops, NULL, reset_set, "%llu\n");

static int tdi_state_get(void *data, u64 *val)
{
	*val = devsec_ep_tdi_state(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(tdi_state_fops, tdi_state_get, NULL, "%llu\n");

/**
 * devsec_ep_debugfs_add() - create the fault injection files of an endpoint
 * @ep: endpoint, with its pci_dev scanned
 */
void devsec_ep_debugfs_add(struct devsec_ep *ep)
{
	struct dentry *dir;

	dir = debugfs_create_dir(pci_name(ep->pdev), devsec_debugfs);
	ep->debugfs = dir;
	debugfs_create_file_unsafe("corrupt_sig", 0600, dir, ep,
				   &corrupt_sig_fops);
	debugfs_create_file_unsafe("identity", 0600, dir, ep, &identity_fops);
	debugfs_create_file_unsafe("measurement", 0600, dir, ep,
				   &measurement_fops);
	debugfs_create_file_unsafe("drop", 0600, dir, ep, &drop_fops);
	debugfs_create_file_unsafe("delay_ms", 0600, dir, ep, &delay_fops);
	debugfs_create_file_unsafe("error", 0600, dir, ep, &error_fops);
	debugfs_create_file_unsafe("max_portion", 0600, dir, ep,
				   &max_portion_fops);
	debugfs_create_file_unsafe("not_ready", 0600, dir, ep, &not_ready_fops);
	debugfs_create_file_unsafe("requests", 0400, dir, ep, &requests_fops);
	debugfs_create_file_unsafe("reset", 0200, dir, ep, &reset_fops);
	debugfs_create_file_unsafe("tdi_state", 0400, dir, ep,
				   &tdi_state_fops);
}

/**
 * devsec_ep_debugfs_remove() - remove the fault injection files
 * @ep: endpoint
 */
void devsec_ep_debugfs_remove(struct devsec_ep *ep)
{
	debugfs_remove_recursive(ep->debugfs);
	ep->debugfs = NULL;
}

static struct debugfs_blob_wrapper devsec_roots[DEVSEC_NR_IDENTITIES];

/**
 * devsec_debugfs_init() - create /sys/kernel/debug/devsec
 *
 * Besides a directory per endpoint, it holds rootN.der, the root CA of
 * identity N, the trust anchor a verifier of the evidence is given.
 *
 * Return: 0; debugfs failures are not fatal.
 */
int devsec_debugfs_init(void)
{
	char name[16];
	unsigned int i;
	size_t len;

	devsec_debugfs = debugfs_create_dir("devsec", NULL);
	for (i = 0; i < DEVSEC_NR_IDENTITIES; i++) {
		devsec_roots[i].data = (void *)devsec_identity_root(i, &len);
		devsec_roots[i].size = len;
		snprintf(name, sizeof(name), "root%u.der", i);
		debugfs_create_blob(name, 0444, devsec_debugfs, &devsec_roots[i]);
	}
	return 0;
}

/**
 * devsec_debugfs_exit() - remove /sys/kernel/debug/devsec
 */
void devsec_debugfs_exit(void)
{
	debugfs_remove_recursive(devsec_debugfs);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interfaces between the files of the PCI TSM core.
 */
#ifndef __PCI_TSM_PRIV_H
#define __PCI_TSM_PRIV_H

#include <linux/cleanup.h>
#include <linux/err.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-evidence.h>
#include <linux/rwsem.h>
#include <linux/sysfs.h>
#include <linux/tsm.h>

struct pci_dev;

/*
 * pci_tsm_rwsem: held for write around every change of pdev->tsm and of
 * the set of registered TSMs (connect, disconnect, lock, unlock, accept,
 * TSM (un)registration, device removal); held for read to look at them.
 * Never held while tsm/ groups are updated (as the first TSM of a kind
 * arrives or the last one leaves, or a function gains or loses its
 * context): updating waits for the tsm/ attribute handlers, which take
 * it.  The visibility callbacks take it for read.
 */
extern struct rw_semaphore pci_tsm_rwsem;
extern int pci_tsm_devsec_count;

/* Is @tsm_dev managing physical link / session properties... */
static inline bool is_link_tsm(struct tsm_dev *tsm_dev)
{
	return tsm_dev && tsm_dev->pci_ops && tsm_dev->pci_ops->link_ops.probe;
}

/* ...or is @tsm_dev managing device security state ? */
static inline bool is_devsec_tsm(struct tsm_dev *tsm_dev)
{
	return tsm_dev && tsm_dev->pci_ops && tsm_dev->pci_ops->devsec_ops.lock;
}

struct tsm_dev *pci_tsm_find(int id);
int pci_tsm_parse_connect(const char *buf, int *id, int *slot);
void pci_tsm_link_drop(struct pci_dev *pdev);
void pci_tsm_sysfs_flush(void);

/* devsec.c */
extern struct device_attribute dev_attr_pci_tsm_lock;
extern struct device_attribute dev_attr_pci_tsm_unlock;
extern struct device_attribute dev_attr_pci_tsm_accept;
extern struct device_attribute dev_attr_pci_tsm_state;
bool pci_tsm_devsec_visible(struct pci_dev *pdev);
umode_t pci_tsm_devsec_attr_visible(struct pci_dev *pdev,
				    struct attribute *attr);
void pci_tsm_devsec_destroy(struct pci_dev *pdev);
int pci_tsm_devsec_lock(struct pci_dev *pdev, int tsm_id);
int pci_tsm_devsec_unlock(struct pci_dev *pdev);
int pci_tsm_devsec_accept(struct pci_dev *pdev, const u64 *generation);
int pci_tsm_devsec_state(struct pci_dev *pdev);

/* generation.c */
extern struct device_attribute dev_attr_pci_tsm_generation;
u64 pci_tsm_generation_latest(void);

/* evidence.c */
size_t pci_tsm_evidence_chunk(size_t remaining, int tailroom);
int pci_tsm_refresh(struct pci_dev *pdev, const u8 *nonce, u8 slot_mask);
#ifdef CONFIG_PCI_TSM_EVIDENCE
void pci_tsm_revalidate_event(struct pci_dev *pdev,
			      enum pci_tsm_revalidate_result result);
void pci_tsm_evidence_remove_session(struct pci_dev *pdev);
int pci_tsm_evidence_connected(struct pci_dev *pdev, struct tsm_dev *tsm_dev);
void pci_tsm_evidence_remove_failed(struct pci_dev *pdev,
				    struct tsm_dev *tsm_dev);
#else
static inline void pci_tsm_revalidate_event(struct pci_dev *pdev,
					    enum pci_tsm_revalidate_result result)
{
}

static inline void pci_tsm_evidence_remove_session(struct pci_dev *pdev)
{
}

static inline int pci_tsm_evidence_connected(struct pci_dev *pdev,
					     struct tsm_dev *tsm_dev)
{
	return 0;
}

static inline void pci_tsm_evidence_remove_failed(struct pci_dev *pdev,
						  struct tsm_dev *tsm_dev)
{
}
#endif

/* revalidate.c */
void pci_tsm_revalidate_flush(void);

/* policy.c */
struct netlink_ext_ack;
struct nlattr;
#ifdef CONFIG_PCI_TSM_EVIDENCE
void pci_tsm_policy_free(struct pci_tsm_policy *policy);
struct pci_tsm_policy *pci_tsm_policy_parse(struct nlattr **attrs,
					    const struct nlattr *head, int len,
					    struct netlink_ext_ack *extack);
void pci_tsm_policy_clear(struct pci_dev *pdev);
int pci_tsm_policy_set(struct pci_dev *pdev, struct pci_tsm_policy *policy);
u32 pci_tsm_policy_last_result(struct pci_dev *pdev, u32 *err);
const struct pci_tsm_policy *pci_tsm_policy_get(struct pci_dev *pdev);
void pci_tsm_policy_record(struct pci_dev *pdev,
			   enum pci_tsm_revalidate_result result, int err);
#else
static inline void pci_tsm_policy_free(struct pci_tsm_policy *policy)
{
}

static inline void pci_tsm_policy_clear(struct pci_dev *pdev)
{
}

static inline const struct pci_tsm_policy *
pci_tsm_policy_get(struct pci_dev *pdev)
{
	return NULL;
}

static inline void pci_tsm_policy_record(struct pci_dev *pdev,
					 enum pci_tsm_revalidate_result result,
					 int err)
{
}
#endif
DEFINE_FREE(pci_tsm_policy_free, struct pci_tsm_policy *, pci_tsm_policy_free(_T))

#if IS_ENABLED(CONFIG_KUNIT) && IS_ENABLED(CONFIG_PCI_TSM_EVIDENCE)
/* evidence.c: read-back for KUnit tests only */
const void *pci_tsm_evidence_peek(const struct pci_tsm_evidence *ev,
				  enum pci_tsm_object_type type, u8 slot,
				  size_t *len);
unsigned int pci_tsm_evidence_count(const struct pci_tsm_evidence *ev);
const struct pci_tsm_evidence_info *
pci_tsm_evidence_get_info(const struct pci_tsm_evidence *ev);
ssize_t pci_tsm_evidence_copy(struct pci_dev *pdev,
			      enum pci_tsm_object_type type, u8 slot,
			      void *buf, size_t size);
int pci_tsm_evidence_objects(struct pci_dev *pdev);
int pci_tsm_evidence_connect_error(struct pci_dev *pdev);
int pci_tsm_evidence_chain_status(struct pci_dev *pdev, u8 slot, int *status);
#endif

#endif /* __PCI_TSM_PRIV_H */

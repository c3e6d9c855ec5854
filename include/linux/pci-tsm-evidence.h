/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Evidence of PCI device security sessions, as recorded by TSM drivers
 * and dumped to userspace by the pci-tsm generic netlink family.
 */
#ifndef __PCI_TSM_EVIDENCE_H
#define __PCI_TSM_EVIDENCE_H

#include <linux/cleanup.h>
#include <linux/err.h>
#include <linux/types.h>
#include <uapi/linux/pci-tsm.h>

struct pci_dev;
struct tsm_dev;
struct pci_tsm_evidence;
struct pci_tsm_policy;
struct spdm_evidence;

/**
 * struct pci_tsm_evidence_info - how the evidence was produced
 * @spdm_version: negotiated SPDM version, major << 4 | minor (0: none)
 * @base_asym_algo: negotiated SPDM BaseAsymAlgo bit
 * @base_hash_algo: negotiated SPDM BaseHashAlgo bit
 * @slot: certificate slot the signatures were made with
 */
struct pci_tsm_evidence_info {
	u8 spdm_version;
	u32 base_asym_algo;
	u32 base_hash_algo;
	u8 slot;
};

/* Largest single evidence object the store accepts */
#define PCI_TSM_EVIDENCE_MAX_OBJECT	SZ_32M

#ifdef CONFIG_PCI_TSM_EVIDENCE
struct pci_tsm_evidence *pci_tsm_evidence_alloc(const struct pci_tsm_evidence_info *info);
int pci_tsm_evidence_add(struct pci_tsm_evidence *ev, enum pci_tsm_object_type type,
			 u8 slot, const void *data, size_t len);
int pci_tsm_evidence_add_chain(struct pci_tsm_evidence *ev, u8 slot,
			       const void *data, size_t len, int status);
void pci_tsm_evidence_free(struct pci_tsm_evidence *ev);
u64 pci_tsm_evidence_publish(struct pci_dev *pdev, struct tsm_dev *tsm_dev,
			     struct pci_tsm_evidence *ev);
u64 pci_tsm_evidence_publish_failed(struct pci_dev *pdev,
				    struct tsm_dev *tsm_dev,
				    struct pci_tsm_evidence *ev, int err);
void pci_tsm_evidence_remove(struct pci_dev *pdev);
void pci_tsm_evidence_event(struct pci_dev *pdev, enum pci_tsm_event event);
struct pci_tsm_evidence *pci_tsm_evidence_from_spdm(const struct spdm_evidence *s);
struct pci_tsm_evidence *
pci_tsm_evidence_from_failed_spdm(const struct spdm_evidence *s);
int pci_tsm_policy_check_spdm(const struct pci_tsm_policy *policy,
			      const struct spdm_evidence *s);
#else
static inline struct pci_tsm_evidence *
pci_tsm_evidence_alloc(const struct pci_tsm_evidence_info *info)
{
	return NULL;
}

static inline int pci_tsm_evidence_add(struct pci_tsm_evidence *ev,
				       enum pci_tsm_object_type type, u8 slot,
				       const void *data, size_t len)
{
	return -EOPNOTSUPP;
}

static inline int pci_tsm_evidence_add_chain(struct pci_tsm_evidence *ev,
					     u8 slot, const void *data,
					     size_t len, int status)
{
	return -EOPNOTSUPP;
}

static inline void pci_tsm_evidence_free(struct pci_tsm_evidence *ev)
{
}

static inline u64 pci_tsm_evidence_publish(struct pci_dev *pdev,
					   struct tsm_dev *tsm_dev,
					   struct pci_tsm_evidence *ev)
{
	return 0;
}

static inline u64 pci_tsm_evidence_publish_failed(struct pci_dev *pdev,
						  struct tsm_dev *tsm_dev,
						  struct pci_tsm_evidence *ev,
						  int err)
{
	return 0;
}

static inline void pci_tsm_evidence_remove(struct pci_dev *pdev)
{
}

static inline void pci_tsm_evidence_event(struct pci_dev *pdev,
					  enum pci_tsm_event event)
{
}

static inline struct pci_tsm_evidence *
pci_tsm_evidence_from_spdm(const struct spdm_evidence *s)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline struct pci_tsm_evidence *
pci_tsm_evidence_from_failed_spdm(const struct spdm_evidence *s)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int pci_tsm_policy_check_spdm(const struct pci_tsm_policy *policy,
					    const struct spdm_evidence *s)
{
	return -EOPNOTSUPP;
}
#endif

/* pci_tsm_evidence_free() takes NULL */
DEFINE_FREE(pci_tsm_evidence_free, struct pci_tsm_evidence *,
	    pci_tsm_evidence_free(_T))

#endif /* __PCI_TSM_EVIDENCE_H */

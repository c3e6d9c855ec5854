/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An SPDM session with a PCI function over its CMA DOE mailbox, for TSMs
 * that run the SPDM requester (lib/spdm) in the kernel: the native CMA
 * TSM and emulated platforms.
 */
#ifndef __PCI_TSM_SPDM_H
#define __PCI_TSM_SPDM_H

#include <linux/mutex.h>
#include <linux/types.h>

struct pci_dev;
struct pci_doe_mb;
struct pci_tsm_evidence;
struct spdm_evidence;
struct spdm_state;
struct tsm_dev;

/**
 * struct pci_tsm_spdm - SPDM session with one function
 * @lock: serialises the session and every exchange on @mb made for it
 * @pdev: the function
 * @mb: its CMA DOE mailbox
 * @spdm: lib/spdm requester state, which caches certificate chains
 *	between authentications
 * @nonce: nonce of the authentication in progress, %NULL for random
 */
struct pci_tsm_spdm {
	struct mutex lock; /* the session and its DOE exchanges */
	struct pci_dev *pdev;
	struct pci_doe_mb *mb;
	struct spdm_state *spdm;
	const u8 *nonce;
};

int pci_tsm_spdm_init(struct pci_tsm_spdm *s, struct pci_dev *pdev, u8 slot);
void pci_tsm_spdm_exit(struct pci_tsm_spdm *s);
int pci_tsm_spdm_authenticate(struct pci_tsm_spdm *s, const u8 *nonce,
			      u8 slot_mask);
int pci_tsm_spdm_connect(struct pci_tsm_spdm *s, struct tsm_dev *tsm_dev);
const struct spdm_evidence *pci_tsm_spdm_result(struct pci_tsm_spdm *s);
ssize_t pci_tsm_spdm_exchange(struct pci_tsm_spdm *s, const void *req,
			      size_t req_sz, void *rsp, size_t rsp_sz);
struct pci_tsm_evidence *pci_tsm_spdm_evidence(struct pci_tsm_spdm *s);

#if IS_ENABLED(CONFIG_KUNIT)
extern unsigned int pci_tsm_spdm_auth_time_ms;
#endif

#endif /* __PCI_TSM_SPDM_H */

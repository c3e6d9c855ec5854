/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pci-tsm.yaml */
/* YNL-GEN uapi header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _UAPI_LINUX_PCI_TSM_H
#define _UAPI_LINUX_PCI_TSM_H

#define PCI_TSM_FAMILY_NAME	"pci-tsm"
#define PCI_TSM_FAMILY_VERSION	1

#define PCI_TSM_NONCE_LEN	32

/**
 * enum pci_tsm_object_type - Kinds of evidence object.
 * @PCI_TSM_OBJECT_TYPE_CERT_CHAIN: SPDM certificate chain of one slot, exactly
 *   as carried by CERTIFICATE responses (length header, root hash, DER
 *   certificates).
 * @PCI_TSM_OBJECT_TYPE_VCA: The GET_VERSION, GET_CAPABILITIES and
 *   NEGOTIATE_ALGORITHMS requests and responses, concatenated (the "VCA"
 *   transcript part).
 * @PCI_TSM_OBJECT_TYPE_CHALLENGE: CHALLENGE request followed by the
 *   CHALLENGE_AUTH response.
 * @PCI_TSM_OBJECT_TYPE_TRANSCRIPT: The full message transcript the device
 *   signed for the last signature (M1 for CHALLENGE_AUTH, L1 for
 *   MEASUREMENTS), signature excluded.
 * @PCI_TSM_OBJECT_TYPE_SIGNATURE: The device's signature over the transcript.
 * @PCI_TSM_OBJECT_TYPE_MEASUREMENTS: GET_MEASUREMENTS request followed by the
 *   signed MEASUREMENTS response.
 * @PCI_TSM_OBJECT_TYPE_INTERFACE_REPORT: TDISP DEVICE_INTERFACE_REPORT of a
 *   locked interface.
 */
enum pci_tsm_object_type {
	PCI_TSM_OBJECT_TYPE_CERT_CHAIN = 1,
	PCI_TSM_OBJECT_TYPE_VCA,
	PCI_TSM_OBJECT_TYPE_CHALLENGE,
	PCI_TSM_OBJECT_TYPE_TRANSCRIPT,
	PCI_TSM_OBJECT_TYPE_SIGNATURE,
	PCI_TSM_OBJECT_TYPE_MEASUREMENTS,
	PCI_TSM_OBJECT_TYPE_INTERFACE_REPORT,

	/* private: */
	__PCI_TSM_OBJECT_TYPE_MAX,
	PCI_TSM_OBJECT_TYPE_MAX = (__PCI_TSM_OBJECT_TYPE_MAX - 1)
};

/*
 * What an event notification announces.
 */
enum pci_tsm_event {
	PCI_TSM_EVENT_CONNECT = 1,
	PCI_TSM_EVENT_DISCONNECT,
	PCI_TSM_EVENT_LOCK,
	PCI_TSM_EVENT_UNLOCK,
	PCI_TSM_EVENT_ACCEPT,
	PCI_TSM_EVENT_EVIDENCE,
	PCI_TSM_EVENT_REVALIDATE,
};

enum {
	PCI_TSM_A_EVIDENCE_DEV_NAME = 1,
	PCI_TSM_A_EVIDENCE_TSM,
	PCI_TSM_A_EVIDENCE_GENERATION,
	PCI_TSM_A_EVIDENCE_TYPE,
	PCI_TSM_A_EVIDENCE_SLOT,
	PCI_TSM_A_EVIDENCE_OFFSET,
	PCI_TSM_A_EVIDENCE_TOTAL_LEN,
	PCI_TSM_A_EVIDENCE_DATA,
	PCI_TSM_A_EVIDENCE_NONCE,
	PCI_TSM_A_EVIDENCE_SPDM_VERSION,
	PCI_TSM_A_EVIDENCE_BASE_ASYM_ALGO,
	PCI_TSM_A_EVIDENCE_BASE_HASH_ALGO,
	PCI_TSM_A_EVIDENCE_EVENT,

	__PCI_TSM_A_EVIDENCE_MAX,
	PCI_TSM_A_EVIDENCE_MAX = (__PCI_TSM_A_EVIDENCE_MAX - 1)
};

enum {
	PCI_TSM_CMD_DEVICE_GET = 1,
	PCI_TSM_CMD_EVIDENCE_GET,
	PCI_TSM_CMD_EVIDENCE_REFRESH,
	PCI_TSM_CMD_EVENT_NTF,

	__PCI_TSM_CMD_MAX,
	PCI_TSM_CMD_MAX = (__PCI_TSM_CMD_MAX - 1)
};

#define PCI_TSM_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_PCI_TSM_H */

/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pci-tsm.yaml */
/* YNL-GEN uapi header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _UAPI_LINUX_PCI_TSM_H
#define _UAPI_LINUX_PCI_TSM_H

#define PCI_TSM_FAMILY_NAME	"pci-tsm"
#define PCI_TSM_FAMILY_VERSION	1

#define PCI_TSM_NONCE_LEN		32
#define PCI_TSM_HASH_MAX_LEN		64
#define PCI_TSM_PUBLIC_KEY_MAX_LEN	1024

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
 * @PCI_TSM_OBJECT_TYPE_CHALLENGE_TRANSCRIPT: What the CHALLENGE_AUTH signature
 *   covers, signature excluded: M1 (VCA, GET_DIGESTS..CERTIFICATE as
 *   exchanged, CHALLENGE, CHALLENGE_AUTH).
 * @PCI_TSM_OBJECT_TYPE_CHALLENGE_SIGNATURE: The CHALLENGE_AUTH signature.
 * @PCI_TSM_OBJECT_TYPE_MEASUREMENTS_TRANSCRIPT: What the MEASUREMENTS
 *   signature covers, signature excluded: L1 (VCA from SPDM 1.2 on,
 *   GET_MEASUREMENTS, MEASUREMENTS).
 * @PCI_TSM_OBJECT_TYPE_MEASUREMENTS_SIGNATURE: The MEASUREMENTS signature.
 */
enum pci_tsm_object_type {
	PCI_TSM_OBJECT_TYPE_CERT_CHAIN = 1,
	PCI_TSM_OBJECT_TYPE_VCA,
	PCI_TSM_OBJECT_TYPE_CHALLENGE,
	PCI_TSM_OBJECT_TYPE_TRANSCRIPT,
	PCI_TSM_OBJECT_TYPE_SIGNATURE,
	PCI_TSM_OBJECT_TYPE_MEASUREMENTS,
	PCI_TSM_OBJECT_TYPE_INTERFACE_REPORT,
	PCI_TSM_OBJECT_TYPE_CHALLENGE_TRANSCRIPT,
	PCI_TSM_OBJECT_TYPE_CHALLENGE_SIGNATURE,
	PCI_TSM_OBJECT_TYPE_MEASUREMENTS_TRANSCRIPT,
	PCI_TSM_OBJECT_TYPE_MEASUREMENTS_SIGNATURE,

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

/**
 * enum pci_tsm_revalidate_mode - How the kernel revalidates a device after a
 *   recovery event (function, slot or bus reset, AER/DPC recovery, resume) may
 *   have reset or replaced it. Without a policy, a device locked by a devsec
 *   TSM falls out of the TCB and one connected by a link TSM keeps operating.
 * @PCI_TSM_REVALIDATE_MODE_SIGNATURE: Re-authenticate the device with a nonce
 *   the kernel chooses: it must sign with a key whose certificate chain (or
 *   public key) matches the policy's, per slot.
 * @PCI_TSM_REVALIDATE_MODE_MEASUREMENTS: As signature, and the signed
 *   measurement blocks must hash to the policy's measurement hash.
 * @PCI_TSM_REVALIDATE_MODE_FATAL: Take the device out of the TCB on any
 *   recovery event, without asking it anything (opt out of automatic
 *   recovery).
 */
enum pci_tsm_revalidate_mode {
	PCI_TSM_REVALIDATE_MODE_SIGNATURE = 1,
	PCI_TSM_REVALIDATE_MODE_MEASUREMENTS,
	PCI_TSM_REVALIDATE_MODE_FATAL,

	/* private: */
	__PCI_TSM_REVALIDATE_MODE_MAX,
	PCI_TSM_REVALIDATE_MODE_MAX = (__PCI_TSM_REVALIDATE_MODE_MAX - 1)
};

/**
 * enum pci_tsm_revalidate_result - Outcome of a revalidation, in revalidate
 *   events and policy-get.
 * @PCI_TSM_REVALIDATE_RESULT_PASS: The device proved it is the one the policy
 *   describes.
 * @PCI_TSM_REVALIDATE_RESULT_KEPT: No policy, link TSM: the device keeps
 *   operating, unchecked.
 * @PCI_TSM_REVALIDATE_RESULT_DROPPED: No policy, devsec TSM: the device fell
 *   out of the TCB (state error); unlock, lock and accept it again.
 * @PCI_TSM_REVALIDATE_RESULT_FATAL: The policy is fatal; the device was taken
 *   out of the TCB.
 * @PCI_TSM_REVALIDATE_RESULT_AUTH_FAILED: The device could not be
 *   re-authenticated (no response, bad signature, protocol error, or the TSM
 *   cannot revalidate).
 * @PCI_TSM_REVALIDATE_RESULT_IDENTITY_MISMATCH: The device authenticated, but
 *   with a certificate chain or key the policy does not name: a different
 *   device.
 * @PCI_TSM_REVALIDATE_RESULT_MEASUREMENT_MISMATCH: The signed measurements do
 *   not hash to the policy's hash.
 */
enum pci_tsm_revalidate_result {
	PCI_TSM_REVALIDATE_RESULT_PASS = 1,
	PCI_TSM_REVALIDATE_RESULT_KEPT,
	PCI_TSM_REVALIDATE_RESULT_DROPPED,
	PCI_TSM_REVALIDATE_RESULT_FATAL,
	PCI_TSM_REVALIDATE_RESULT_AUTH_FAILED,
	PCI_TSM_REVALIDATE_RESULT_IDENTITY_MISMATCH,
	PCI_TSM_REVALIDATE_RESULT_MEASUREMENT_MISMATCH,
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
	PCI_TSM_A_EVIDENCE_RESULT,
	PCI_TSM_A_EVIDENCE_CONNECT_ERROR,
	PCI_TSM_A_EVIDENCE_CHAIN_STATUS,
	PCI_TSM_A_EVIDENCE_SLOTS,

	__PCI_TSM_A_EVIDENCE_MAX,
	PCI_TSM_A_EVIDENCE_MAX = (__PCI_TSM_A_EVIDENCE_MAX - 1)
};

enum {
	PCI_TSM_A_POLICY_SLOT_SLOT = 1,
	PCI_TSM_A_POLICY_SLOT_CHAIN_HASH,
	PCI_TSM_A_POLICY_SLOT_PUBLIC_KEY,

	__PCI_TSM_A_POLICY_SLOT_MAX,
	PCI_TSM_A_POLICY_SLOT_MAX = (__PCI_TSM_A_POLICY_SLOT_MAX - 1)
};

enum {
	PCI_TSM_A_POLICY_DEV_NAME = 1,
	PCI_TSM_A_POLICY_MODE,
	PCI_TSM_A_POLICY_SLOT_POLICY,
	PCI_TSM_A_POLICY_MEAS_HASH,
	PCI_TSM_A_POLICY_LAST_RESULT,
	PCI_TSM_A_POLICY_LAST_ERROR,

	__PCI_TSM_A_POLICY_MAX,
	PCI_TSM_A_POLICY_MAX = (__PCI_TSM_A_POLICY_MAX - 1)
};

enum {
	PCI_TSM_CMD_DEVICE_GET = 1,
	PCI_TSM_CMD_EVIDENCE_GET,
	PCI_TSM_CMD_EVIDENCE_REFRESH,
	PCI_TSM_CMD_EVENT_NTF,
	PCI_TSM_CMD_POLICY_SET,
	PCI_TSM_CMD_POLICY_GET,
	PCI_TSM_CMD_POLICY_DEL,

	__PCI_TSM_CMD_MAX,
	PCI_TSM_CMD_MAX = (__PCI_TSM_CMD_MAX - 1)
};

#define PCI_TSM_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_PCI_TSM_H */

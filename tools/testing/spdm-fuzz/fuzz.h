/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SPDM_FUZZ_H
#define _SPDM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Fuzz input: a 6-byte header choosing the requester's configuration,
 * then the responder's messages, each as a little-endian 16-bit length
 * followed by that many bytes.  The transport hands them out in order,
 * one per request; when they run out it fails with -EIO.
 *
 *   byte 0  bits 1:0  highest version offered, 1.0 + n
 *           bits 3:2  CHALLENGE summary hash: 0 none, 1 TCB, 2-3 all
 *           bit 4     use slot 1 instead of slot 0
 *           bit 5     fetch every populated slot, beside the one used
 *           bit 6     signatures do not verify
 *           bit 7     MaxSPDMmsgSize 64 KiB: large messages (1.2+ chunks)
 *   byte 1  bits 1:0  leaf key: RSA, ECDSA P-256, P-384, P-521
 *           bit 2     certificate attributes (CA, keyUsage, names,
 *                     self-signed) from the certificates' bytes, not all
 *                     permissive (stubs.c)
 *   byte 2-3          our DataTransferSize (0: default, else >= 42)
 *   byte 4-5          GET_CERTIFICATE portion size (0: largest)
 */
#define FUZZ_HDR_SIZE		6
#define FUZZ_MAX_MSG		65536

/* Longest total wait a responder may cause: lib/spdm's default budget */
#define FUZZ_MAX_SLEEP_US	(SPDM_DEFAULT_MAX_WAIT_MS * 1000ULL)

extern const char *fuzz_key_algo;
extern bool fuzz_reject_sigs;
extern bool fuzz_cert_attrs_from_input;
extern int fuzz_rc[2];
extern unsigned int fuzz_sink;

void fuzz_touch(const void *p, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* _SPDM_FUZZ_H */

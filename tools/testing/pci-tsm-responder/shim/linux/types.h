/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the few kernel headers the devsec SPDM/TDISP
 * responder (samples/devsec/spdm.c, tdisp.c) includes; see README.
 */
#ifndef __RSP_SHIM_TYPES_H
#define __RSP_SHIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#endif

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __RSP_SHIM_MINMAX_H
#define __RSP_SHIM_MINMAX_H

/* Both operands evaluated once; like the kernel's, for same-type operands */
#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     _a > _b ? _a : _b; })

#endif

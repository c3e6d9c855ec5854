/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __RSP_SHIM_BITS_H
#define __RSP_SHIM_BITS_H

#define BIT(n)	(1UL << (n))

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Provided by shim.h, force-included */

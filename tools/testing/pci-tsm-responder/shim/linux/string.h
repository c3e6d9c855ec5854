/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __RSP_SHIM_STRING_H
#define __RSP_SHIM_STRING_H

#include <string.h>

#endif

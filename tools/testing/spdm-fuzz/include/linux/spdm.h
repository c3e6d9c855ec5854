/* SPDX-License-Identifier: GPL-2.0 */
/* The real API header, used unchanged */
#include "../../../../../include/linux/spdm.h"

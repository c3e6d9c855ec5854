/* SPDX-License-Identifier: GPL-2.0 */
/* Nothing is built for KUnit here: exports are plain exports */
#include <linux/export.h>
#define EXPORT_SYMBOL_IF_KUNIT EXPORT_SYMBOL_GPL

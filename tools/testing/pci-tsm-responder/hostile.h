/* SPDX-License-Identifier: GPL-2.0 */
/* A responder that breaks its answers on purpose: see hostile.c */
#ifndef _HOSTILE_H
#define _HOSTILE_H

#include <stddef.h>

struct hostile_stats {
	unsigned long seen, broken, slow;
};

void hostile_init(unsigned int seed, unsigned int rate);
size_t hostile_mutate(unsigned char *msg, size_t len, size_t cap,
		      unsigned char req_code, unsigned int *delay_ms);
const struct hostile_stats *hostile_stats(void);

#endif

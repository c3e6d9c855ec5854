/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time for the harness: a virtual clock that only fsleep() advances, so
 * that a run is deterministic and the deadline of an authentication is
 * reached by the waits a responder asks for, never by the harness's speed.
 */
#ifndef _FUZZ_LINUX_KTIME_H
#define _FUZZ_LINUX_KTIME_H

/* As the kernel's: nanoseconds, signed */
#define ktime_t long long

extern unsigned long long shim_slept_us;

static inline ktime_t ktime_get(void)
{
	return (ktime_t)shim_slept_us * 1000;
}

static inline ktime_t ktime_add_us(ktime_t t, unsigned long long us)
{
	return t + (ktime_t)us * 1000;
}

static inline ktime_t ktime_add_ms(ktime_t t, unsigned long long ms)
{
	return t + (ktime_t)ms * 1000000;
}

static inline bool ktime_after(ktime_t a, ktime_t b)
{
	return a > b;
}

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * The hostile mode of the SPDM responder: answers that a broken or
 * malicious device would send, to show that the requester fails each
 * with a clean errno, within its budget, and never accepts one.
 *
 * Each SPDM response is broken with probability rate/100, in one of
 * these ways, chosen by a seeded xorshift generator (so that a failing
 * run can be replayed with the seed it logged):
 *
 *   bit       one bit flipped anywhere in the message
 *   truncate  cut short, to any length from 1 byte to one below its own
 *   version   a wrong SPDMVersion byte
 *   length    length and count fields at their extremes (PortionLength,
 *             RemainderLength, MeasurementRecordLength, NumberOfBlocks,
 *             the DIGESTS slot mask, VERSION's entry count, ALGORITHMS'
 *             Length), or Param1/Param2 set to 0xff for other messages
 *   portion   a CERTIFICATE portion of 1 byte, the rest announced
 *   notready  ERROR ResponseNotReady instead (the responder then refuses
 *             RESPOND_IF_READY, as a device that never gets ready)
 *   busy      ERROR Busy instead
 *   slow      the right answer, 100 to 800 ms late (the DOE timeout is
 *             1 s)
 *
 * The responder signs its own transcript, so any change to a message's
 * content also breaks the signature that covers it.
 */

#include <string.h>

#include <linux/unaligned.h>

#include "devsec_rsp.h"
#include "hostile.h"

enum {
	BIT, TRUNCATE, VERSION, LENGTH, PORTION, NOTREADY, BUSY, SLOW,
	NR_KINDS
};

static unsigned int state = 1, rate;
static struct hostile_stats stats;

static unsigned int next(void)
{
	/* xorshift32 */
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return state;
}

/**
 * hostile_init() - seed the generator and set how often to break
 * @seed: any value (0 is taken as 1)
 * @rate_pct: percentage of responses to break
 */
void hostile_init(unsigned int seed, unsigned int rate_pct)
{
	state = seed ?: 1;
	rate = rate_pct > 100 ? 100 : rate_pct;
}

const struct hostile_stats *hostile_stats(void)
{
	return &stats;
}

static size_t error(unsigned char *msg, unsigned char code,
		    unsigned char req_code)
{
	msg[1] = SPDM_ERROR;
	msg[2] = code;
	msg[3] = 0;
	if (code != SPDM_ERR_RESPONSE_NOT_READY)
		return 4;
	msg[4] = 10;		/* RDTExponent: about 1 ms */
	msg[5] = req_code;
	msg[6] = 1;		/* Token */
	msg[7] = 1;		/* RDTM */
	return 8;
}

static void extreme_lengths(unsigned char *msg, size_t len)
{
	switch (msg[1]) {
	case SPDM_CERTIFICATE:
		if (len >= 8)
			put_unaligned_le16(next() & 1 ? 0xffff : 0, msg +
					   (next() & 1 ? 4 : 6));
		break;
	case SPDM_MEASUREMENTS:
		if (len >= 8) {
			msg[4] = 0xff;
			put_unaligned_le24(0xffffff, msg + 5);
		}
		break;
	case SPDM_DIGESTS:
		msg[3] = 0xff;
		break;
	case SPDM_VERSION:
		if (len >= 6)
			msg[5] = 0xff;
		break;
	case SPDM_ALGORITHMS:
		if (len >= 6)
			put_unaligned_le16(0xffff, msg + 4);
		break;
	default:
		msg[2] = 0xff;
		msg[3] = 0xff;
	}
}

/**
 * hostile_mutate() - maybe break a response
 * @msg: the SPDM response
 * @len: its length
 * @cap: room at @msg (at least 8 bytes)
 * @req_code: the request it answers
 * @delay_ms: set to how long to wait before sending it (0: no wait)
 *
 * Return: the new length of @msg.
 */
size_t hostile_mutate(unsigned char *msg, size_t len, size_t cap,
		      unsigned char req_code, unsigned int *delay_ms)
{
	*delay_ms = 0;
	stats.seen++;
	if (len < 4 || cap < 8 || next() % 100 >= rate)
		return len;
	stats.broken++;

	switch (next() % NR_KINDS) {
	case BIT:
		msg[next() % len] ^= 1u << (next() % 8);
		return len;
	case TRUNCATE:
		/* at least a byte: an empty object is no SPDM message at all */
		return 1 + next() % (len - 1);
	case VERSION:
		msg[0] = msg[0] == 0x12 ? 0x13 : 0x12;
		return len;
	case LENGTH:
		extreme_lengths(msg, len);
		return len;
	case PORTION:
		if (msg[1] != SPDM_CERTIFICATE || len < 9)
			return error(msg, SPDM_ERR_UNSPECIFIED, req_code);
		/* one byte sent, the rest announced: the total stays right */
		put_unaligned_le16(get_unaligned_le16(msg + 6) +
				   get_unaligned_le16(msg + 4) - 1, msg + 6);
		put_unaligned_le16(1, msg + 4);
		return 9;
	case NOTREADY:
		return error(msg, SPDM_ERR_RESPONSE_NOT_READY, req_code);
	case BUSY:
		return error(msg, SPDM_ERR_BUSY, req_code);
	default:
		stats.slow++;
		*delay_ms = 100 + next() % 701;
		return len;
	}
}

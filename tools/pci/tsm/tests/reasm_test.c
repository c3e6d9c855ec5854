// SPDX-License-Identifier: GPL-2.0
/*
 * reasm_test: the evidence dump reassembly (reasm.c) against synthetic
 * evidence-get message sequences, built as the kernel would send them.
 * Prints TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/pci-tsm.h>

#include "../tsmtool.h"

const char *prog = "reasm_test";

#define MSG_MAX	(70 * 1024)
#define NA	0xffffffffu	/* leave this attribute out */

struct msg {
	uint8_t buf[MSG_MAX];
	struct nlmsghdr *nlh;
};

static int tests, failures;

static void ok(int cond, const char *name, const char *detail)
{
	tests++;
	if (!cond)
		failures++;
	printf("%sok %d - %s%s%s\n", cond ? "" : "not ", tests, name,
	       detail && *detail ? " # " : "", detail ? detail : "");
}

static void put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (void *)(m->buf + NLMSG_ALIGN(m->nlh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	m->nlh->nlmsg_len = NLMSG_ALIGN(m->nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

struct spec {
	const char *dev;
	uint64_t gen;
	int gen_bytes;		/* 4 or 8: netlink "uint" */
	uint32_t type;
	uint32_t slot;
	uint32_t offset;
	uint32_t total;
	uint32_t len;		/* NA: no data attribute */
};

/* Message carrying bytes [offset, offset + len) of a pattern object */
static void build(struct msg *m, const struct spec *s)
{
	static uint8_t data[MSG_MAX];
	uint32_t gen32 = s->gen;
	uint8_t slot = s->slot;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->nlh = (void *)m->buf;
	m->nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	put(m, PCI_TSM_A_EVIDENCE_DEV_NAME, s->dev, strlen(s->dev) + 1);
	put(m, PCI_TSM_A_EVIDENCE_TSM, "tsm0", 5);
	if (s->gen_bytes == 4)
		put(m, PCI_TSM_A_EVIDENCE_GENERATION, &gen32, 4);
	else
		put(m, PCI_TSM_A_EVIDENCE_GENERATION, &s->gen, 8);
	put(m, PCI_TSM_A_EVIDENCE_TYPE, &s->type, 4);
	if (s->slot != NA)
		put(m, PCI_TSM_A_EVIDENCE_SLOT, &slot, 1);
	if (s->offset != NA)
		put(m, PCI_TSM_A_EVIDENCE_OFFSET, &s->offset, 4);
	put(m, PCI_TSM_A_EVIDENCE_TOTAL_LEN, &s->total, 4);
	if (s->len != NA) {
		for (uint32_t i = 0; i < s->len; i++)
			data[i] = (uint8_t)((s->offset + i) * 7 + s->type);
		put(m, PCI_TSM_A_EVIDENCE_DATA, data, s->len);
	}
}

/*
 * Feed @n messages; return 0 if all were accepted and the set is complete,
 * else the (negative) result of the first failing step, with @err set.
 */
static int feed(struct ev_set *set, const struct spec *s, int n, char *err)
{
	static struct msg m;
	struct ev_chunk c;
	int rc;

	ev_set_reset(set);
	err[0] = '\0';
	for (int i = 0; i < n; i++) {
		build(&m, &s[i]);
		rc = ev_chunk_parse(m.nlh, &c, err);
		if (rc)
			return rc;
		rc = ev_set_add(set, &c, err);
		if (rc)
			return rc;
	}
	return ev_set_complete(set, err);
}

static int pattern_ok(const struct ev_object *o)
{
	for (uint32_t i = 0; i < o->len; i++)
		if (o->data[i] != (uint8_t)(i * 7 + o->type))
			return 0;
	return 1;
}

/* The same for an unfiltered dump of every device, split by device */
static int feed_multi(struct ev_multi *m, const struct spec *s, int n, char *err)
{
	static struct msg msg;
	struct ev_chunk c;
	int rc;

	ev_multi_reset(m);
	err[0] = '\0';
	for (int i = 0; i < n; i++) {
		build(&msg, &s[i]);
		rc = ev_chunk_parse(msg.nlh, &c, err);
		if (rc)
			return rc;
		rc = ev_multi_add(m, &c, err);
		if (rc)
			return rc;
	}
	return ev_multi_complete(m, err);
}

#define D "0000:01:00.0"
#define CHAIN PCI_TSM_OBJECT_TYPE_CERT_CHAIN
#define SIG PCI_TSM_OBJECT_TYPE_SIGNATURE
#define N(a) ((int)ARRAY_SIZE(a))

static void expect_ok(const char *name, const struct spec *s, int n, int objs)
{
	struct ev_set set = { };
	char err[ERRLEN];
	int rc = feed(&set, s, n, err), good = !rc && set.nr == objs;

	for (int i = 0; good && i < set.nr; i++)
		good = pattern_ok(&set.obj[i]);
	ok(good, name, rc ? err : NULL);
	ev_set_reset(&set);
}

static void expect_fail(const char *name, const struct spec *s, int n, const char *why)
{
	struct ev_set set = { };
	char err[ERRLEN], detail[ERRLEN + 64];
	int rc = feed(&set, s, n, err);

	snprintf(detail, sizeof(detail), "%s", rc ? err : "accepted");
	ok(rc && strstr(err, why), name, detail);
	ev_set_reset(&set);
}

/* @devs[i] must have @objs[i] objects at generation @gens[i], in that order */
static void expect_multi_ok(const char *name, const struct spec *s, int n,
			    const char * const *devs, const int *objs,
			    const uint64_t *gens, int ndev)
{
	struct ev_multi m = { };
	char err[ERRLEN];
	int rc = feed_multi(&m, s, n, err), good = !rc && m.nr == ndev;

	for (int i = 0; good && i < ndev; i++) {
		const struct ev_set *set = ev_multi_find(&m, devs[i]);

		good = set && set == &m.set[i] && set->nr == objs[i] &&
		       set->gen == gens[i];
		for (int j = 0; good && j < set->nr; j++)
			good = pattern_ok(&set->obj[j]);
	}
	ok(good, name, rc ? err : NULL);
	ev_multi_reset(&m);
}

static void expect_multi_fail(const char *name, const struct spec *s, int n,
			      const char *why)
{
	struct ev_multi m = { };
	char err[ERRLEN], detail[ERRLEN + 64];
	int rc = feed_multi(&m, s, n, err);

	snprintf(detail, sizeof(detail), "%s", rc ? err : "accepted");
	ok(rc && strstr(err, why), name, detail);
	ev_multi_reset(&m);
}

#define D2 "0000:02:00.0"
#define D3 "0000:03:00.0"

static void test_multi(void)
{
	{
		/* chunks of three devices interleaved, same keys otherwise */
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 3000, 1000 },
			{ D2, 9, 8, CHAIN, 0, 0, 2000, 1000 },
			{ D3, 2, 4, SIG, 0, 0, 96, 96 },
			{ D2, 9, 8, CHAIN, 0, 1000, 2000, 1000 },
			{ D, 5, 8, CHAIN, 0, 1000, 3000, 1000 },
			{ D2, 9, 8, SIG, 0, 0, 64, 64 },
			{ D, 5, 8, CHAIN, 0, 2000, 3000, 1000 },
		};
		static const char * const devs[] = { D, D2, D3 };
		static const int objs[] = { 1, 2, 1 };
		static const uint64_t gens[] = { 5, 9, 2 };

		expect_multi_ok("all devices: interleaved devices reassembled by their keys",
				s, N(s), devs, objs, gens, 3);
	}
	{
		/* more devices than the first allocation holds */
		struct spec s[40];
		static char names[40][16];
		const char *devs[40];
		int objs[40];
		uint64_t gens[40];

		for (int i = 0; i < 40; i++) {
			snprintf(names[i], sizeof(names[i]), "0000:%02x:00.0", i + 1);
			s[i] = (struct spec){ names[i], i + 1, 8, CHAIN, 0, 0, 100, 100 };
			devs[i] = names[i];
			objs[i] = 1;
			gens[i] = i + 1;
		}
		expect_multi_ok("all devices: 40 devices", s, N(s), devs, objs, gens, 40);
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 3000, 1000 },
			{ D2, 9, 8, CHAIN, 0, 0, 2000, 2000 },
			{ D, 5, 8, CHAIN, 0, 1000, 3000, 1000 },
		};

		expect_multi_fail("all devices: an incomplete device fails, named",
				  s, N(s), D ": cert-chain slot 0: incomplete, 2000 of 3000");
	}
	{
		/* D2's chunk at offset 1000 must not complete D's object */
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 2000, 1000 },
			{ D2, 5, 8, CHAIN, 0, 1000, 2000, 1000 },
		};

		expect_multi_fail("all devices: a chunk counts only for its own device",
				  s, N(s), D2 ": cert-chain slot 0: gap");
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 10, 10 },
			{ D2, 9, 8, CHAIN, 0, 0, 10, 10 },
			{ D, 6, 8, SIG, 0, 0, 10, 10 },
		};

		expect_multi_fail("all devices: two generations of one device rejected",
				  s, N(s), D ": signature slot 0: generation 6");
	}
	{
		struct spec s[] = { { "..", 5, 8, CHAIN, 0, 0, 10, 10 } };

		expect_multi_fail("all devices: device name \"..\" rejected", s, N(s),
				  "not usable as a directory name");
	}
	{
		struct spec s[] = { { "../etc", 5, 8, CHAIN, 0, 0, 10, 10 } };

		expect_multi_fail("all devices: device name with a slash rejected", s, N(s),
				  "not usable as a directory name");
	}
	{
		static const char longname[] =
			"0000:01:00.0-012345678901234567890123456789012345678901234567890";
		struct spec s[] = { { longname, 5, 8, CHAIN, 0, 0, 10, 10 } };

		expect_multi_fail("all devices: 64-byte device name rejected", s, N(s),
				  "not usable as a directory name");
	}
}

int main(void)
{
	/* the largest data payload one netlink attribute can carry */
	const uint32_t amax = 65535 - NLA_HDRLEN;

	printf("TAP version 13\n");
	{
		struct spec s[] = { { D, 5, 8, CHAIN, 0, 0, 1696, 1696 } };

		expect_ok("one object in one message", s, N(s), 1);
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 3000, 1000 },
			{ D, 5, 8, CHAIN, 0, 1000, 3000, 1000 },
			{ D, 5, 8, CHAIN, 0, 2000, 3000, 1000 },
		};

		expect_ok("object split in three contiguous chunks", s, N(s), 1);
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, amax + 1, amax },
			{ D, 5, 8, CHAIN, 0, amax, amax + 1, 1 },
		};

		expect_ok("65532-byte object: 65531 + 1 at the attribute limit", s, N(s), 1);
	}
	{
		/* 16 MiB in as many full attributes as it takes, then the rest */
		const uint32_t total = 16u << 20, n = total / amax + 1;
		struct spec *s = calloc(n, sizeof(*s));

		for (uint32_t i = 0; s && i < n; i++) {
			s[i] = (struct spec){ D, 5, 8, CHAIN, 0, i * amax, total, amax };
			if (i == n - 1)
				s[i].len = total - i * amax;
		}
		if (s)
			expect_ok("16 MiB object in 257 chunks", s, n, 1);
		free(s);
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 0, 0 },
			{ D, 5, 8, SIG, 0, 0, 1, 1 },
		};

		expect_ok("zero-length and one-byte objects", s, N(s), 2);
	}
	{
		struct spec s[] = {
			{ D, 9, 8, CHAIN, 0, 0, 20, 10 },
			{ D, 9, 8, CHAIN, 1, 0, 20, 10 },
			{ D, 9, 8, CHAIN, 0, 10, 20, 10 },
			{ D, 9, 8, CHAIN, 1, 10, 20, 10 },
		};

		expect_ok("interleaved objects of two slots", s, N(s), 2);
	}
	{
		struct spec s[] = {
			{ D, 7, 4, CHAIN, 0, 0, 10, 5 },
			{ D, 7, 8, CHAIN, 0, 5, 10, 5 },
		};

		expect_ok("generation as 4- and 8-byte uint", s, N(s), 1);
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 3000, 1000 },
			{ D, 5, 8, CHAIN, 0, 1500, 3000, 1000 },
		};

		expect_fail("gap between chunks rejected", s, N(s), "gap");
	}
	{
		struct spec s[] = { { D, 5, 8, CHAIN, 0, 100, 300, 200 } };

		expect_fail("first chunk not at offset 0 rejected", s, N(s), "gap");
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 3000, 1000 },
			{ D, 5, 8, CHAIN, 0, 500, 3000, 1000 },
		};

		expect_fail("overlapping chunks rejected", s, N(s), "overlaps");
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 100, 100 },
			{ D, 5, 8, CHAIN, 0, 0, 100, 100 },
		};

		expect_fail("object sent twice rejected", s, N(s), "overlaps");
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 100, 100 },
			{ D, 5, 8, CHAIN, 0, 100, 100, 0 },
		};

		expect_fail("chunk after a complete object rejected", s, N(s), "overlaps");
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 3000, 1000 },
			{ D, 6, 8, CHAIN, 0, 1000, 3000, 2000 },
		};

		expect_fail("mixed generations within an object rejected", s, N(s), "generation");
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 10, 10 },
			{ D, 6, 8, SIG, 0, 0, 10, 10 },
		};

		expect_fail("mixed generations across objects rejected", s, N(s), "generation");
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 10, 10 },
			{ "0000:02:00.0", 5, 8, SIG, 0, 0, 10, 10 },
		};

		expect_fail("mixed devices rejected", s, N(s), "mixes devices");
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 3000, 1000 },
			{ D, 5, 8, CHAIN, 0, 1000, 2500, 1000 },
		};

		expect_fail("total-len change rejected", s, N(s), "total-len changed");
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 1500, 1000 },
			{ D, 5, 8, CHAIN, 0, 1000, 1500, 1000 },
		};

		expect_fail("chunk past total-len rejected", s, N(s), "runs past");
	}
	{
		struct spec s[] = {
			{ D, 5, 8, CHAIN, 0, 0, 3000, 1000 },
			{ D, 5, 8, CHAIN, 0, 1000, 3000, 1000 },
		};

		expect_fail("final size short of total-len rejected", s, N(s), "incomplete");
	}
	{
		struct spec s[] = { { D, 5, 8, CHAIN, 0, 0, 10, 0 } };

		expect_fail("empty chunk of a non-empty object rejected", s, N(s), "empty chunk");
	}
	{
		/* a newer kernel's type: kept, under the rules of every object */
		struct spec s[] = {
			{ D, 5, 8, 99, 0, 0, 10, 4 },
			{ D, 5, 8, 99, 0, 4, 10, 6 },
			{ D, 5, 8, EV_TYPE_MEASUREMENTS_SIGNATURE, 0, 0, 96, 96 },
		};
		struct ev_type_buf b;

		expect_ok("unknown object type 99 kept, with a known type 11", s, N(s), 2);
		ok(!strcmp(ev_type_label(99, &b), "type-99") &&
		   !strcmp(ev_type_label(EV_TYPE_CHALLENGE_TRANSCRIPT, &b),
			   "challenge-transcript"),
		   "type names: type-99 for an unknown type, challenge-transcript for 8", NULL);
	}
	{
		struct spec s[] = {
			{ D, 5, 8, 99, 0, 0, 10, 4 },
			{ D, 5, 8, 99, 0, 5, 10, 5 },
		};

		expect_fail("unknown object type with a gap rejected, named", s, N(s),
			    "type-99 slot 0: gap");
	}
	{
		struct spec s[] = { { D, 5, 8, CHAIN, 8, 0, 10, 10 } };

		expect_fail("slot 8 rejected", s, N(s), "out of range");
	}
	{
		struct spec s[] = { { D, 5, 8, CHAIN, 0, 0, EV_MAX_OBJECT_SIZE + 1, 10 } };

		expect_fail("hostile total-len rejected before allocation", s, N(s), "exceeds");
	}
	{
		struct spec s[] = { { D, 5, 8, CHAIN, 0, NA, 10, 10 } };

		expect_fail("message without offset rejected", s, N(s), "lacks");
	}
	{
		struct spec s[] = { { D, 5, 8, CHAIN, NA, 0, 10, 10 } };

		expect_fail("message without slot rejected", s, N(s), "lacks");
	}
	{
		struct spec s[] = { { D, 5, 8, CHAIN, 0, 0, 10, NA } };

		expect_fail("message without data rejected", s, N(s), "without data");
	}
	{
		/* an attribute whose length runs past the end of the message */
		static struct msg m;
		struct spec s = { D, 5, 8, CHAIN, 0, 0, 10, 10 };
		struct ev_chunk c;
		char err[ERRLEN];
		struct nlattr *last;

		build(&m, &s);
		last = (void *)(m.buf + m.nlh->nlmsg_len - NLA_ALIGN(NLA_HDRLEN + 10));
		last->nla_len += 64;
		ok(ev_chunk_parse(m.nlh, &c, err) && strstr(err, "malformed"),
		   "attribute overrunning the message rejected", err);
	}
	{
		/* a dev-name string that is not NUL-terminated */
		static struct msg m;
		struct spec s = { D, 5, 8, CHAIN, 0, 0, 10, 10 };
		struct ev_chunk c;
		char err[ERRLEN];
		struct nlattr *a;

		build(&m, &s);
		a = (void *)(m.buf + NLMSG_HDRLEN + GENL_HDRLEN);
		((char *)a)[NLA_HDRLEN + strlen(D)] = 'x';
		ok(ev_chunk_parse(m.nlh, &c, err) && strstr(err, "dev-name"),
		   "unterminated dev-name rejected", err);
	}

	test_multi();

	printf("1..%d\n", tests);
	printf("%d passed, %d failed\n", tests - failures, failures);
	return failures ? 1 : 0;
}

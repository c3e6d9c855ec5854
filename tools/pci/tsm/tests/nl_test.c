// SPDX-License-Identifier: GPL-2.0
/*
 * nl_test: the raw generic netlink client (nl.c) against the running
 * kernel's own "nlctrl" family, which every kernel with generic netlink
 * has: family and multicast group resolution, a multipart dump read to
 * NLMSG_DONE, and error replies with their extended ack. Prints TAP;
 * SKIPs when the host has no netlink at all.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>

#include "../tsmtool.h"

const char *prog = "nl_test";

static int tests, failures;

static void ok(int cond, const char *name, const char *detail)
{
	tests++;
	if (!cond)
		failures++;
	printf("%sok %d - %s%s%s\n", cond ? "" : "not ", tests, name,
	       detail && *detail ? " # " : "", detail ? detail : "");
}

struct count {
	int msgs;
	int have_nlctrl;
};

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct count *c = arg;
	const char *name;

	if (nl_parse(nlh, GENL_HDRLEN, tb, CTRL_ATTR_MAX))
		return -EBADMSG;
	c->msgs++;
	name = nla_get_str(tb[CTRL_ATTR_FAMILY_NAME]);
	if (name && !strcmp(name, "nlctrl"))
		c->have_nlctrl = 1;
	return 0;
}

int main(void)
{
	struct count c = { };
	struct nl_sock s;
	struct nl_req r;
	char detail[ERRLEN + 32];
	uint8_t bad = 1;
	bool intr;
	int rc;

	printf("TAP version 13\n");
	rc = nl_open(&s, "nlctrl", "notify");
	if (rc == -EAFNOSUPPORT || rc == -EPROTONOSUPPORT || rc == -EACCES ||
	    rc == -EPERM) {
		printf("1..0 # SKIP no generic netlink here: %s\n", strerror(-rc));
		printf("0 passed, 0 failed\n");
		return 0;
	}
	ok(!rc && s.family == GENL_ID_CTRL && s.mcgrp,
	   "resolve nlctrl and its notify multicast group", rc ? strerror(-rc) : NULL);
	if (rc) {
		printf("1..%d\n%d passed, %d failed\n", tests, tests - failures, failures);
		return 1;
	}

	nl_req_init(&r, &s, CTRL_CMD_GETFAMILY, NLM_F_DUMP);
	rc = nl_transact(&s, &r, family_cb, &c, &intr);
	snprintf(detail, sizeof(detail), "rc %d, %d families", rc, c.msgs);
	ok(!rc && c.msgs > 1 && c.have_nlctrl && !intr,
	   "dump all families to NLMSG_DONE", detail);

	/* a do request is acked; its reply reaches the callback first */
	c.msgs = 0;
	nl_req_init(&r, &s, CTRL_CMD_GETFAMILY, 0);
	nl_req_put_str(&r, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	rc = nl_transact(&s, &r, family_cb, &c, NULL);
	ok(!rc && c.msgs == 1, "do request: one reply, then the ack", NULL);

	nl_req_init(&r, &s, CTRL_CMD_GETFAMILY, 0);
	nl_req_put_str(&r, CTRL_ATTR_FAMILY_NAME, "no-such-family");
	rc = nl_transact(&s, &r, family_cb, &c, NULL);
	ok(rc == -ENOENT, "unknown family is -ENOENT", strerror(-rc));

	/* policy violation: the kernel explains it in an extended ack */
	nl_req_init(&r, &s, CTRL_CMD_GETFAMILY, 0);
	nl_req_put(&r, CTRL_ATTR_FAMILY_ID, &bad, 1);
	rc = nl_transact(&s, &r, family_cb, &c, NULL);
	snprintf(detail, sizeof(detail), "%s, extack \"%s\"", strerror(-rc), s.extack);
	ok(rc < 0 && s.extack[0], "malformed request: error with extack message", detail);

	/* the socket stays usable after an error */
	c.msgs = 0;
	nl_req_init(&r, &s, CTRL_CMD_GETFAMILY, 0);
	nl_req_put_str(&r, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	rc = nl_transact(&s, &r, family_cb, &c, NULL);
	ok(!rc && c.msgs == 1, "socket usable after an error", NULL);
	nl_close(&s);

	rc = nl_open(&s, "nlctrl", "no-such-group");
	ok(rc == -ENOENT, "unknown multicast group is -ENOENT", strerror(-rc));

	printf("1..%d\n", tests);
	printf("%d passed, %d failed\n", tests - failures, failures);
	return failures ? 1 : 0;
}

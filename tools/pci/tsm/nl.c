// SPDX-License-Identifier: GPL-2.0
/*
 * pci-tsm: a small raw generic netlink client.
 *
 * The tool talks to one family with a handful of attributes, so it builds
 * requests and parses replies itself instead of depending on libnl. Every
 * attribute length read from the kernel is bounds-checked before use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "tsmtool.h"

/*
 * Dumps fill each message up to the size of the reader's last receive
 * buffer (the kernel caps that at 32 KiB); 128 KiB leaves room for any
 * single message and never truncates.
 */
#define NL_BUFLEN	(128 * 1024)

#define GENL_MSG_OFF	(NLMSG_HDRLEN + GENL_HDRLEN)

static int nl_attr_ok(const struct nlattr *a, size_t rem)
{
	return rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;
}

/*
 * Index the attributes that follow @hdrlen bytes of fixed header in @nlh:
 * unknown types are skipped, malformed lengths fail.
 */
static int parse_attrs(const uint8_t *p, size_t rem, const struct nlattr **tb, int max)
{
	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (rem >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		size_t step;
		int type;

		if (!nl_attr_ok(a, rem))
			return -EBADMSG;
		type = a->nla_type & NLA_TYPE_MASK;
		if (type <= max)
			tb[type] = a;
		step = NLA_ALIGN(a->nla_len);
		if (step >= rem)
			break;
		p += step;
		rem -= step;
	}
	return 0;
}

int nl_parse(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb, int max)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);

	if (nlh->nlmsg_len < off)
		return -EBADMSG;
	return parse_attrs((const uint8_t *)nlh + off, nlh->nlmsg_len - off, tb, max);
}

/* Netlink "uint" attributes are 4 or 8 bytes, as the kernel chooses */
int nla_get_uint(const struct nlattr *a, uint64_t *v)
{
	uint32_t v32;

	if (!a)
		return -ENOENT;
	if (nla_payload_len(a) == 8) {
		memcpy(v, nla_payload(a), 8);
		return 0;
	}
	if (nla_payload_len(a) == 4) {
		memcpy(&v32, nla_payload(a), 4);
		*v = v32;
		return 0;
	}
	return -EBADMSG;
}

int nla_get_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a)
		return -ENOENT;
	if (nla_payload_len(a) != 4)
		return -EBADMSG;
	memcpy(v, nla_payload(a), 4);
	return 0;
}

int nla_get_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a)
		return -ENOENT;
	if (nla_payload_len(a) != 1)
		return -EBADMSG;
	*v = *(const uint8_t *)nla_payload(a);
	return 0;
}

/* A string attribute must be NUL-terminated within its payload */
const char *nla_get_str(const struct nlattr *a)
{
	const char *s;
	uint16_t n;

	if (!a)
		return NULL;
	n = nla_payload_len(a);
	s = nla_payload(a);
	if (!n || s[n - 1] != '\0')
		return NULL;
	return s;
}

void nl_req_init(struct nl_req *r, struct nl_sock *s, uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *g;

	memset(r->buf, 0, sizeof(r->buf));
	r->overflow = 0;
	r->nlh = (struct nlmsghdr *)r->buf;
	r->nlh->nlmsg_len = GENL_MSG_OFF;
	r->nlh->nlmsg_type = s->family;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	r->nlh->nlmsg_seq = ++s->seq;
	g = (void *)(r->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = 1;
}

void nl_req_put(struct nl_req *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;
	size_t off = NLMSG_ALIGN(r->nlh->nlmsg_len);

	if (off + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(r->buf)) {
		r->overflow = 1;
		return;
	}
	a = (void *)(r->buf + off);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	r->nlh->nlmsg_len = off + NLA_ALIGN(a->nla_len);
}

void nl_req_put_str(struct nl_req *r, uint16_t type, const char *str)
{
	nl_req_put(r, type, str, strlen(str) + 1);
}

/* Remember the kernel's extended ack message, if it sent one */
static void parse_extack(struct nl_sock *s, const struct nlmsghdr *nlh, size_t off)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *msg;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len < off)
		return;
	if (parse_attrs((const uint8_t *)nlh + off, nlh->nlmsg_len - off, tb,
			NLMSGERR_ATTR_MAX))
		return;
	msg = nla_get_str(tb[NLMSGERR_ATTR_MSG]);
	if (msg)
		snprintf(s->extack, sizeof(s->extack), "%s", msg);
}

static int nl_error(struct nl_sock *s, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;
	size_t off;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return -EBADMSG;
	e = NLMSG_DATA(nlh);
	if (e->error > 0)
		return -EBADMSG;
	if (e->error) {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		parse_extack(s, nlh, NLMSG_HDRLEN + NLMSG_ALIGN(off));
	}
	return e->error;
}

static int nl_done(struct nl_sock *s, const struct nlmsghdr *nlh)
{
	int err;

	/* the dump's final status, with extack attributes after it */
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
		return 0;
	memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	if (err > 0)
		return -EBADMSG;
	if (err)
		parse_extack(s, nlh, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int)));
	return err;
}

static ssize_t nl_recv(struct nl_sock *s)
{
	struct iovec iov = { .iov_base = s->buf, .iov_len = s->buflen };
	struct sockaddr_nl sa;
	struct msghdr msg = {
		.msg_name = &sa,
		.msg_namelen = sizeof(sa),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	do {
		n = recvmsg(s->fd, &msg, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	if (sa.nl_pid != 0)	/* only the kernel talks to us */
		return 0;
	return n;
}

/*
 * Send @r and read every reply until its ack, NLMSG_DONE or an error.
 * @intr is set when any message of a dump carried NLM_F_DUMP_INTR; the
 * dump is still read to its end so the socket stays usable for a retry.
 */
int nl_transact(struct nl_sock *s, struct nl_req *r, nl_cb_t cb, void *arg, bool *intr)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	bool dump = r->nlh->nlmsg_flags & NLM_F_DUMP;
	int cb_rc = 0;
	ssize_t n;

	s->extack[0] = '\0';
	if (intr)
		*intr = false;
	if (r->overflow)
		return -EMSGSIZE;
	if (!dump)
		r->nlh->nlmsg_flags |= NLM_F_ACK;
	if (sendto(s->fd, r->buf, r->nlh->nlmsg_len, 0, (void *)&sa, sizeof(sa)) < 0)
		return -errno;

	for (;;) {
		const struct nlmsghdr *nlh;
		size_t rem;

		n = nl_recv(s);
		if (n < 0)
			return n;
		rem = n;
		for (nlh = (void *)s->buf; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem)) {
			int rc;

			if (nlh->nlmsg_seq != r->nlh->nlmsg_seq)
				continue;	/* stale reply of an earlier request */
			if (intr && (nlh->nlmsg_flags & NLM_F_DUMP_INTR))
				*intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				rc = nl_error(s, nlh);
				return rc ? rc : cb_rc;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				rc = nl_done(s, nlh);
				return rc ? rc : cb_rc;
			}
			if (nlh->nlmsg_type != s->family)
				continue;
			/* keep reading to the end after a callback failure */
			if (!cb_rc && cb)
				cb_rc = cb(nlh, arg);
		}
		if (rem)
			return -EBADMSG;
	}
}

/* Block for multicast notifications and hand each to @cb, forever */
int nl_recv_events(struct nl_sock *s, nl_cb_t cb, void *arg)
{
	for (;;) {
		const struct nlmsghdr *nlh;
		ssize_t n;
		size_t rem;

		n = nl_recv(s);
		if (n == -ENOBUFS) {
			fprintf(stderr, "%s: events were lost (receive buffer overrun)\n",
				prog);
			continue;
		}
		if (n < 0)
			return n;
		rem = n;
		for (nlh = (void *)s->buf; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem)) {
			int rc;

			if (nlh->nlmsg_type != s->family)
				continue;
			rc = cb(nlh, arg);
			if (rc)
				return rc;
		}
	}
}

struct family_info {
	const char *mcgrp;
	uint16_t id;
	uint32_t grp;
};

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct family_info *fi = arg;
	const struct nlattr *grps;
	const uint8_t *p;
	size_t rem;

	if (nl_parse(nlh, GENL_HDRLEN, tb, CTRL_ATTR_MAX))
		return -EBADMSG;
	if (!tb[CTRL_ATTR_FAMILY_ID] || nla_payload_len(tb[CTRL_ATTR_FAMILY_ID]) != 2)
		return -EBADMSG;
	memcpy(&fi->id, nla_payload(tb[CTRL_ATTR_FAMILY_ID]), 2);

	grps = tb[CTRL_ATTR_MCAST_GROUPS];
	if (!fi->mcgrp || !grps)
		return 0;
	/* a nest of nests, one per group: { name, id } */
	p = nla_payload(grps);
	rem = nla_payload_len(grps);
	while (rem >= NLA_HDRLEN) {
		const struct nlattr *g = (const void *)p;
		const struct nlattr *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];
		const char *name;
		size_t step;

		if (!nl_attr_ok(g, rem))
			return -EBADMSG;
		if (parse_attrs(p + NLA_HDRLEN, g->nla_len - NLA_HDRLEN, gtb,
				CTRL_ATTR_MCAST_GRP_MAX))
			return -EBADMSG;
		name = nla_get_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]);
		if (name && !strcmp(name, fi->mcgrp) &&
		    !nla_get_u32(gtb[CTRL_ATTR_MCAST_GRP_ID], &fi->grp))
			return 0;
		step = NLA_ALIGN(g->nla_len);
		if (step >= rem)
			break;
		p += step;
		rem -= step;
	}
	return 0;
}

/*
 * Open a generic netlink socket for @family and, if @mcgrp is given,
 * join that multicast group. Both ids are resolved with the controller's
 * CTRL_CMD_GETFAMILY.
 */
int nl_open(struct nl_sock *s, const char *family, const char *mcgrp)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct family_info fi = { .mcgrp = mcgrp };
	socklen_t salen = sizeof(sa);
	struct nl_req r;
	int one = 1, rc;

	memset(s, 0, sizeof(*s));
	s->buflen = NL_BUFLEN;
	s->buf = malloc(s->buflen);
	if (!s->buf)
		return -ENOMEM;
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0) {
		rc = -errno;
		free(s->buf);
		return rc;
	}
	/* extended acks carry the kernel's reason for a failure */
	setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(s->fd, (void *)&sa, sizeof(sa)) < 0 ||
	    getsockname(s->fd, (void *)&sa, &salen) < 0) {
		rc = -errno;
		goto fail;
	}
	s->portid = sa.nl_pid;

	s->family = GENL_ID_CTRL;
	nl_req_init(&r, s, CTRL_CMD_GETFAMILY, 0);
	nl_req_put_str(&r, CTRL_ATTR_FAMILY_NAME, family);
	rc = nl_transact(s, &r, family_cb, &fi, NULL);
	if (rc)
		goto fail;
	if (!fi.id) {
		rc = -EBADMSG;
		goto fail;
	}
	s->family = fi.id;
	if (mcgrp) {
		if (!fi.grp) {
			snprintf(s->extack, sizeof(s->extack),
				 "family %s has no multicast group %s", family, mcgrp);
			rc = -ENOENT;
			goto fail;
		}
		s->mcgrp = fi.grp;
		if (setsockopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &fi.grp, sizeof(fi.grp)) < 0) {
			rc = -errno;
			goto fail;
		}
	}
	return 0;
fail:
	close(s->fd);
	free(s->buf);
	s->fd = -1;
	s->buf = NULL;
	return rc;
}

void nl_close(struct nl_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	s->fd = -1;
	s->buf = NULL;
}

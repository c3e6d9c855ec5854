// SPDX-License-Identifier: GPL-2.0
/*
 * pci-tsm: evidence dump, evidence refresh and monitor, over the "pci-tsm"
 * generic netlink family.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/pci-tsm.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tsmtool.h"

/* A dump that races with evidence changes is retried this many times */
#define DUMP_TRIES	5

/* "pci-tsm: WHAT: errno text (kernel: extack message)" */
static __printf(3, 4) void nl_perror(struct nl_sock *s, int rc, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s%s%s%s\n", strerror(-rc),
		s->extack[0] ? " (kernel: " : "", s->extack,
		s->extack[0] ? ")" : "");
}

static int open_family(struct nl_sock *s, const char *mcgrp)
{
	int rc = nl_open(s, PCI_TSM_FAMILY_NAME, mcgrp);

	if (rc == -ENOENT && !s->extack[0])
		fprintf(stderr,
			"%s: generic netlink family \"%s\" not found: kernel without PCI TSM evidence support?\n",
			prog, PCI_TSM_FAMILY_NAME);
	else if (rc)
		nl_perror(s, rc, "cannot open the %s netlink family", PCI_TSM_FAMILY_NAME);
	return rc;
}

static int summary_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[PCI_TSM_A_EVIDENCE_MAX + 1];
	struct ev_summary *d = arg;
	const char *tsm;

	if (nl_parse(nlh, GENL_HDRLEN, tb, PCI_TSM_A_EVIDENCE_MAX))
		return -EBADMSG;
	tsm = nla_get_str(tb[PCI_TSM_A_EVIDENCE_TSM]);
	if (!tsm || nla_get_uint(tb[PCI_TSM_A_EVIDENCE_GENERATION], &d->gen))
		return -EBADMSG;
	snprintf(d->tsm, sizeof(d->tsm), "%s", tsm);
	d->connect_error = 0;
	if (tb[PCI_TSM_A_EVIDENCE_CONNECT_ERROR] &&
	    (nla_get_u32(tb[PCI_TSM_A_EVIDENCE_CONNECT_ERROR], &d->connect_error) ||
	     !d->connect_error))
		return -EBADMSG;
	d->has_spdm = !nla_get_u8(tb[PCI_TSM_A_EVIDENCE_SPDM_VERSION], &d->spdm_version) &&
		      !nla_get_u32(tb[PCI_TSM_A_EVIDENCE_BASE_ASYM_ALGO], &d->base_asym) &&
		      !nla_get_u32(tb[PCI_TSM_A_EVIDENCE_BASE_HASH_ALGO], &d->base_hash) &&
		      !nla_get_u8(tb[PCI_TSM_A_EVIDENCE_SLOT], &d->slot);
	d->valid = true;
	return 0;
}

struct dump_ctx {
	struct ev_set set;
	const char *dev;
	int rc;
	char err[ERRLEN];
};

static int chunk_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_ctx *ctx = arg;
	struct ev_chunk c;
	int rc;

	rc = ev_chunk_parse(nlh, &c, ctx->err);
	if (!rc && strcmp(c.dev, ctx->dev)) {
		err_set(ctx->err, "dump of %s returned evidence of %s", ctx->dev, c.dev);
		rc = -EBADMSG;
	}
	if (!rc)
		rc = ev_set_add(&ctx->set, &c, ctx->err);
	ctx->rc = rc;
	return rc;
}

/*
 * Read the summary, then every object of @dev. Both must describe one
 * generation; a dump flagged NLM_F_DUMP_INTR, or a summary that no longer
 * matches the objects, means the evidence changed underneath: start over.
 */
static int dump_evidence(struct nl_sock *s, const char *dev, struct ev_summary *sum,
			 struct dump_ctx *ctx)
{
	for (int attempt = 1; attempt <= DUMP_TRIES; attempt++) {
		struct nl_req r;
		bool intr;
		int rc;

		memset(sum, 0, sizeof(*sum));
		nl_req_init(&r, s, PCI_TSM_CMD_DEVICE_GET, 0);
		nl_req_put_str(&r, PCI_TSM_A_EVIDENCE_DEV_NAME, dev);
		rc = nl_transact(s, &r, summary_cb, sum, NULL);
		if (rc || !sum->valid) {
			nl_perror(s, rc ? rc : -EBADMSG, "device-get %s", dev);
			return rc ? rc : -EBADMSG;
		}

		ev_set_reset(&ctx->set);
		ctx->rc = 0;
		ctx->err[0] = '\0';
		nl_req_init(&r, s, PCI_TSM_CMD_EVIDENCE_GET, NLM_F_DUMP);
		nl_req_put_str(&r, PCI_TSM_A_EVIDENCE_DEV_NAME, dev);
		rc = nl_transact(s, &r, chunk_cb, ctx, &intr);
		if (intr) {
			fprintf(stderr, "%s: evidence of %s changed during the dump, retrying\n",
				prog, dev);
			continue;
		}
		if (ctx->rc) {
			fprintf(stderr, "%s: evidence dump %s: %s\n", prog, dev, ctx->err);
			return ctx->rc;
		}
		if (rc) {
			nl_perror(s, rc, "evidence-get %s", dev);
			return rc;
		}
		if (!ctx->set.started) {
			fprintf(stderr, "%s: %s: no evidence objects\n", prog, dev);
			return -ENODATA;
		}
		if (ev_set_complete(&ctx->set, ctx->err)) {
			fprintf(stderr, "%s: evidence dump %s: %s\n", prog, dev, ctx->err);
			return -EBADMSG;
		}
		if (ctx->set.gen != sum->gen) {
			fprintf(stderr,
				"%s: evidence of %s moved from generation %llu to %llu, retrying\n",
				prog, dev, (unsigned long long)sum->gen,
				(unsigned long long)ctx->set.gen);
			continue;
		}
		return 0;
	}
	fprintf(stderr, "%s: evidence of %s kept changing, gave up after %d tries\n",
		prog, dev, DUMP_TRIES);
	return -EAGAIN;
}

/* A new file @name in @dirfd as a stdio stream (see create_file_at()) */
static FILE *create_stream_at(int dirfd, const char *name, char *err)
{
	int fd = create_file_at(dirfd, name, err);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f) {
		err_set(err, "%s: %s", name, strerror(errno));
		close(fd);
	}
	return f;
}

static int write_pem(int dirfd, const char *name, const uint8_t *der, size_t len,
		     char *err)
{
	size_t b64len = 4 * ((len + 2) / 3) + 1;
	char *b64 = malloc(b64len);
	FILE *f;
	int n;

	if (!b64) {
		err_set(err, "out of memory");
		return -1;
	}
	n = EVP_EncodeBlock((unsigned char *)b64, der, len);
	if (n < 0) {
		err_set(err, "%s: cannot encode the certificate as base64", name);
		free(b64);
		return -1;
	}
	f = create_stream_at(dirfd, name, err);
	if (!f) {
		free(b64);
		return -1;
	}
	fputs("-----BEGIN CERTIFICATE-----\n", f);
	for (int i = 0; i < n; i += 64)
		fprintf(f, "%.*s\n", n - i < 64 ? n - i : 64, b64 + i);
	fputs("-----END CERTIFICATE-----\n", f);
	free(b64);
	if (fclose(f)) {
		err_set(err, "%s: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Find the root hash size when the summary gave no algorithm: the one
 * after which the rest of the chain splits into whole certificates.
 */
static int split_chain(const struct ev_object *o, size_t hash_len, struct spdm_chain *chain,
		       char *err)
{
	static const size_t guesses[] = { 32, 48, 64 };

	if (hash_len)
		return spdm_chain_split(o->data, o->len, hash_len, chain, err);
	for (size_t i = 0; i < 3; i++)
		if (!spdm_chain_split(o->data, o->len, guesses[i], chain, err))
			return 0;
	return -EBADMSG;
}

static int write_chain_certs(FILE *js, int dirfd, const struct ev_object *o,
			     size_t hash_len, char *err)
{
	struct spdm_chain chain;
	char name[64];

	if (split_chain(o, hash_len, &chain, err)) {
		fprintf(stderr, "%s: warning: cert-chain slot %u not split: %s\n",
			prog, o->slot, err);
		fprintf(js, ",\n      \"certificates\": null");
		return 0;
	}
	fprintf(js, ",\n      \"root_hash\": \"");
	hex_print(js, chain.root_hash, chain.hash_len);
	fprintf(js, "\",\n      \"certificates\": [");
	for (int i = 0; i < chain.nr; i++) {
		const uint8_t *p = chain.der[i];
		X509 *x = d2i_X509(NULL, &p, chain.der_len[i]);
		char subject[512] = "";
		bool have_subject;

		/* the subject is only informational: without one, it is null */
		have_subject = x && X509_NAME_oneline(X509_get_subject_name(x),
						      subject, sizeof(subject));
		X509_free(x);
		ERR_clear_error();
		snprintf(name, sizeof(name), "cert-chain-slot%u-%d.der", o->slot, i);
		if (write_file_at(dirfd, name, chain.der[i], chain.der_len[i], err))
			return -1;
		snprintf(name, sizeof(name), "cert-chain-slot%u-%d.pem", o->slot, i);
		if (write_pem(dirfd, name, chain.der[i], chain.der_len[i], err))
			return -1;
		fprintf(js, "%s\n        { \"index\": %d, \"role\": \"%s\", \"size\": %zu, ",
			i ? "," : "", i, i == chain.nr - 1 ? "leaf" : i ? "intermediate" : "root",
			chain.der_len[i]);
		fprintf(js,
			"\"der\": \"cert-chain-slot%u-%d.der\", \"pem\": \"cert-chain-slot%u-%d.pem\", \"subject\": ",
			o->slot, i, o->slot, i);
		if (have_subject)
			json_string(js, subject);
		else
			fprintf(js, "null");
		fprintf(js, " }");
	}
	fprintf(js, "\n      ]");
	return 0;
}

/*
 * Write every object of @set to the new directory @dir (relative to
 * @atfd; @shown names it in messages) as TYPE-slotN.bin, each certificate
 * of a chain also as DER and PEM, and summary.json describing them.
 */
int ev_write_dir(int atfd, const char *dir, const char *shown,
		 const struct ev_summary *sum, const struct ev_set *set)
{
	size_t hash_len = sum->has_spdm ? spdm_hash_len(sum->base_hash) : 0;
	char name[64], err[ERRLEN];
	int dirfd;
	FILE *js;

	dirfd = dir_create(atfd, dir, err);
	if (dirfd < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return -1;
	}
	js = create_stream_at(dirfd, "summary.json", err);
	if (!js) {
		fprintf(stderr, "%s: %s: %s\n", prog, shown, err);
		close(dirfd);
		return -1;
	}
	fprintf(js, "{\n  \"device\": ");
	json_string(js, set->dev);
	fprintf(js, ",\n  \"tsm\": ");
	json_string(js, set->tsm);
	fprintf(js, ",\n  \"generation\": %llu,\n", (unsigned long long)set->gen);
	/* Beside summary.json, which verify never reads, so that it fails */
	if (sum->connect_error) {
		char line[160];
		int n = snprintf(line, sizeof(line), "%u %s\n", sum->connect_error,
				 strerror(sum->connect_error));

		if (write_file_at(dirfd, "connect-error", line, n, err))
			goto fail;
		fprintf(js, "  \"connect_error\": { \"errno\": %u, \"message\": ",
			sum->connect_error);
		json_string(js, strerror(sum->connect_error));
		fprintf(js, " },\n");
	} else {
		fprintf(js, "  \"connect_error\": null,\n");
	}
	if (sum->has_spdm) {
		fprintf(js, "  \"spdm_version\": \"%u.%u\",\n",
			sum->spdm_version >> 4, sum->spdm_version & 0xf);
		fprintf(js, "  \"base_asym_algo\": { \"value\": \"0x%08x\", \"name\": \"%s\" },\n",
			sum->base_asym, spdm_asym_name(sum->base_asym));
		fprintf(js, "  \"base_hash_algo\": { \"value\": \"0x%08x\", \"name\": \"%s\" },\n",
			sum->base_hash, spdm_hash_name(sum->base_hash));
		fprintf(js, "  \"slot\": %u,\n", sum->slot);
	} else {
		fprintf(js, "  \"spdm_version\": null,\n  \"base_asym_algo\": null,\n"
			"  \"base_hash_algo\": null,\n  \"slot\": null,\n");
	}
	fprintf(js, "  \"objects\": [");
	for (int i = 0; i < set->nr; i++) {
		const struct ev_object *o = &set->obj[i];
		struct ev_type_buf tbuf;
		const char *tname = ev_type_label(o->type, &tbuf);

		if (!ev_type_name(o->type))
			fprintf(stderr,
				"%s: warning: %s: evidence object type %u is unknown to this tool (newer kernel?): kept as %s-slot%u.bin, not verified\n",
				prog, set->dev, o->type, tname, o->slot);
		snprintf(name, sizeof(name), "%s-slot%u.bin", tname, o->slot);
		if (write_file_at(dirfd, name, o->data, o->len, err))
			goto fail;
		fprintf(js, "%s\n    {\n      \"type\": \"%s\",\n      \"slot\": %u,\n"
			"      \"size\": %u,\n      \"file\": \"%s-slot%u.bin\"",
			i ? "," : "", tname, o->slot, o->len, tname, o->slot);
		if (o->has_status) {
			fprintf(js, ",\n      \"chain_status\": %u", o->status);
			if (o->status) {
				fprintf(js, ",\n      \"chain_error\": ");
				json_string(js, strerror(o->status));
			}
		}
		if (o->type == PCI_TSM_OBJECT_TYPE_CERT_CHAIN &&
		    write_chain_certs(js, dirfd, o, hash_len, err))
			goto fail;
		fprintf(js, "\n    }");
	}
	fprintf(js, "\n  ]\n}\n");
	close(dirfd);
	if (fclose(js)) {
		fprintf(stderr, "%s: %s/summary.json: %s\n", prog, shown, strerror(errno));
		return -1;
	}
	return 0;
fail:
	fprintf(stderr, "%s: %s: %s\n", prog, shown, err);
	fclose(js);
	close(dirfd);
	return -1;
}

/* device-get of every device: one summary per device, by name */
struct all_summaries {
	int nr;
	int cap;
	char (*dev)[64];
	struct ev_summary *sum;
	char err[ERRLEN];
};

static int all_summary_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[PCI_TSM_A_EVIDENCE_MAX + 1];
	struct all_summaries *a = arg;
	const char *dev;
	int rc;

	if (nl_parse(nlh, GENL_HDRLEN, tb, PCI_TSM_A_EVIDENCE_MAX)) {
		err_set(a->err, "malformed device-get message");
		return -EBADMSG;
	}
	dev = nla_get_str(tb[PCI_TSM_A_EVIDENCE_DEV_NAME]);
	if (!dev || !ev_dev_name_ok(dev)) {
		err_set(a->err, "device-get message without a usable dev-name");
		return -EBADMSG;
	}
	for (int i = 0; i < a->nr; i++) {
		if (!strcmp(a->dev[i], dev)) {
			err_set(a->err, "device-get reported %s twice", dev);
			return -EBADMSG;
		}
	}
	if (a->nr == EV_MAX_DEVICES) {
		err_set(a->err, "more than %d devices with evidence", EV_MAX_DEVICES);
		return -E2BIG;
	}
	if (a->nr == a->cap) {
		int cap = a->cap ? 2 * a->cap : 16;
		void *d = realloc(a->dev, cap * sizeof(*a->dev));

		if (d)
			a->dev = d;
		d = d ? realloc(a->sum, cap * sizeof(*a->sum)) : NULL;
		if (!d) {
			err_set(a->err, "out of memory");
			return -ENOMEM;
		}
		a->sum = d;
		a->cap = cap;
	}
	memset(&a->sum[a->nr], 0, sizeof(a->sum[a->nr]));
	rc = summary_cb(nlh, &a->sum[a->nr]);
	if (rc) {
		err_set(a->err, "%s: device-get message without tsm or generation", dev);
		return rc;
	}
	snprintf(a->dev[a->nr], sizeof(a->dev[a->nr]), "%s", dev);
	a->nr++;
	return 0;
}

static void all_summaries_reset(struct all_summaries *a)
{
	free(a->dev);
	free(a->sum);
	memset(a, 0, sizeof(*a));
}

struct dump_all_ctx {
	struct ev_multi m;
	int rc;
	char err[ERRLEN];
};

static int chunk_all_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_all_ctx *ctx = arg;
	struct ev_chunk c;
	int rc;

	rc = ev_chunk_parse(nlh, &c, ctx->err);
	if (!rc)
		rc = ev_multi_add(&ctx->m, &c, ctx->err);
	ctx->rc = rc;
	return rc;
}

/*
 * Does the dump hold exactly the devices of the summaries, each at the
 * generation device-get reported? If not, evidence changed between the
 * two requests: @why says how, and the caller starts over.
 */
static bool all_consistent(const struct all_summaries *a, struct dump_all_ctx *ctx,
			   char *why)
{
	for (int i = 0; i < a->nr; i++) {
		const struct ev_set *set = ev_multi_find(&ctx->m, a->dev[i]);

		if (!set) {
			err_set(why, "%s: device-get reported it, the dump has no objects of it",
				a->dev[i]);
			return false;
		}
		if (set->gen != a->sum[i].gen) {
			err_set(why, "%s: generation %llu in device-get, %llu in the dump",
				a->dev[i], (unsigned long long)a->sum[i].gen,
				(unsigned long long)set->gen);
			return false;
		}
	}
	/* every device of the dump matched a distinct summary above */
	if (ctx->m.nr != a->nr) {
		for (int i = 0; i < ctx->m.nr; i++) {
			bool found = false;

			for (int j = 0; !found && j < a->nr; j++)
				found = !strcmp(ctx->m.set[i].dev, a->dev[j]);
			if (!found) {
				err_set(why, "%s: in the dump, not in device-get",
					ctx->m.set[i].dev);
				break;
			}
		}
		return false;
	}
	return true;
}

/*
 * One device-get dump, then one evidence-get dump without a device
 * filter: the objects of every device, in whatever order the kernel
 * sends them, sorted into one set per device by the keys each message
 * carries. Retried like dump_evidence() when anything changed meanwhile.
 */
static int dump_all(struct nl_sock *s, struct all_summaries *a, struct dump_all_ctx *ctx)
{
	char why[ERRLEN] = "";

	for (int attempt = 1; attempt <= DUMP_TRIES; attempt++) {
		struct nl_req r;
		bool intr;
		int rc;

		all_summaries_reset(a);
		nl_req_init(&r, s, PCI_TSM_CMD_DEVICE_GET, NLM_F_DUMP);
		rc = nl_transact(s, &r, all_summary_cb, a, &intr);
		if (intr) {
			err_set(why, "evidence changed during device-get");
			fprintf(stderr, "%s: %s, retrying\n", prog, why);
			continue;
		}
		if (a->err[0]) {
			fprintf(stderr, "%s: device-get: %s\n", prog, a->err);
			return rc ? rc : -EBADMSG;
		}
		if (rc) {
			nl_perror(s, rc, "device-get");
			return rc;
		}

		ev_multi_reset(&ctx->m);
		ctx->rc = 0;
		ctx->err[0] = '\0';
		nl_req_init(&r, s, PCI_TSM_CMD_EVIDENCE_GET, NLM_F_DUMP);
		rc = nl_transact(s, &r, chunk_all_cb, ctx, &intr);
		if (intr) {
			err_set(why, "evidence changed during the dump");
			fprintf(stderr, "%s: %s, retrying\n", prog, why);
			continue;
		}
		if (ctx->rc) {
			fprintf(stderr, "%s: evidence dump: %s\n", prog, ctx->err);
			return ctx->rc;
		}
		if (rc) {
			nl_perror(s, rc, "evidence-get");
			return rc;
		}
		if (ev_multi_complete(&ctx->m, ctx->err)) {
			fprintf(stderr, "%s: evidence dump: %s\n", prog, ctx->err);
			return -EBADMSG;
		}
		if (!all_consistent(a, ctx, why)) {
			fprintf(stderr,
				"%s: evidence changed between device-get and the dump (%s), retrying\n",
				prog, why);
			continue;
		}
		if (!a->nr) {
			fprintf(stderr, "%s: no device has evidence\n", prog);
			return -ENODATA;
		}
		return 0;
	}
	fprintf(stderr, "%s: evidence kept changing, gave up after %d tries (last: %s)\n",
		prog, DUMP_TRIES, why);
	return -EAGAIN;
}

static void warn_refused(const char *dev, const struct ev_summary *sum)
{
	if (sum->connect_error)
		fprintf(stderr,
			"%s: warning: %s is not connected: this is what it sent before the kernel refused it (%s)\n",
			prog, dev, strerror(sum->connect_error));
}

static int evidence_dump_all(const char *dir)
{
	struct dump_all_ctx ctx = { };
	struct all_summaries a = { };
	char path[4096], err[ERRLEN];
	int rc, dirfd = -1;
	struct nl_sock s;

	if (open_family(&s, NULL))
		return 1;
	rc = dump_all(&s, &a, &ctx);
	nl_close(&s);
	if (rc)
		goto out;

	/* a new DIR, and in it a new DIR/DEV for each device */
	rc = -1;
	dirfd = dir_create(AT_FDCWD, dir, err);
	if (dirfd < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto out;
	}
	for (int i = 0; i < a.nr; i++) {
		const struct ev_set *set = ev_multi_find(&ctx.m, a.dev[i]);

		snprintf(path, sizeof(path), "%s/%s", dir, a.dev[i]);
		if (ev_write_dir(dirfd, a.dev[i], path, &a.sum[i], set))
			goto out;
		printf("%s: generation %llu, %d objects written to %s\n", a.dev[i],
		       (unsigned long long)set->gen, set->nr, path);
		warn_refused(a.dev[i], &a.sum[i]);
	}
	rc = 0;
out:
	if (dirfd >= 0)
		close(dirfd);
	ev_multi_reset(&ctx.m);
	all_summaries_reset(&a);
	return rc ? 1 : 0;
}

static int evidence_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "all", no_argument, NULL, 'a' },
		{ }
	};
	struct dump_ctx ctx = { };
	struct ev_summary sum;
	const char *dir = NULL;
	struct nl_sock s;
	bool all = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, "ao:", opts, NULL)) != -1) {
		if (c == 'a')
			all = true;
		else if (c == 'o')
			dir = optarg;
		else
			return 2;
	}
	if (optind + !all != argc || !dir) {
		fprintf(stderr, "usage: %s evidence dump DEV|--all -o DIR\n", prog);
		return 2;
	}
	if (all)
		return evidence_dump_all(dir);
	ctx.dev = argv[optind];
	if (open_family(&s, NULL))
		return 1;
	rc = dump_evidence(&s, ctx.dev, &sum, &ctx);
	nl_close(&s);
	if (!rc)
		rc = ev_write_dir(AT_FDCWD, dir, dir, &sum, &ctx.set);
	if (!rc)
		printf("%s: generation %llu, %d objects written to %s\n", ctx.dev,
		       (unsigned long long)ctx.set.gen, ctx.set.nr, dir);
	if (!rc)
		warn_refused(ctx.dev, &sum);
	ev_set_reset(&ctx.set);
	return rc ? 1 : 0;
}

/* "1,3": slots 1 and 3, as a mask; every slot 0-7, each at most once */
static int parse_slot_list(const char *list, uint8_t *mask)
{
	const char *p = list;

	*mask = 0;
	for (;;) {
		if (*p < '0' || *p > '7' || (*mask & (1u << (*p - '0'))))
			return -1;
		*mask |= 1u << (*p - '0');
		p++;
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

static int refresh_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[PCI_TSM_A_EVIDENCE_MAX + 1];

	if (nl_parse(nlh, GENL_HDRLEN, tb, PCI_TSM_A_EVIDENCE_MAX) ||
	    nla_get_uint(tb[PCI_TSM_A_EVIDENCE_GENERATION], arg))
		return -EBADMSG;
	return 0;
}

static int evidence_refresh(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nonce", required_argument, NULL, 'n' },
		{ "slots", required_argument, NULL, 's' },
		{ }
	};
	uint8_t nonce[PCI_TSM_NONCE_LEN], slot_mask = 0;
	const char *hex = NULL, *dev;
	bool slots = false;
	uint64_t gen = 0;
	struct nl_sock s;
	struct nl_req r;
	int c, rc;

	while ((c = getopt_long(argc, argv, "n:s:", opts, NULL)) != -1) {
		if (c == 'n') {
			hex = optarg;
		} else if (c == 's') {
			if (parse_slot_list(optarg, &slot_mask)) {
				fprintf(stderr,
					"%s: --slots takes slot numbers 0-7, comma separated\n",
					prog);
				return 2;
			}
			slots = true;
		} else {
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: %s evidence refresh DEV [--nonce HEX] [--slots N[,N...]]\n",
			prog);
		return 2;
	}
	dev = argv[optind];
	if (hex && hex_decode(hex, nonce, sizeof(nonce))) {
		fprintf(stderr, "%s: --nonce must be %d hex digits (%d bytes)\n",
			prog, 2 * PCI_TSM_NONCE_LEN, PCI_TSM_NONCE_LEN);
		return 2;
	}
	if (!hex && getrandom(nonce, sizeof(nonce), 0) != sizeof(nonce)) {
		fprintf(stderr, "%s: getrandom: %s\n", prog, strerror(errno));
		return 1;
	}
	if (open_family(&s, NULL))
		return 1;
	nl_req_init(&r, &s, PCI_TSM_CMD_EVIDENCE_REFRESH, 0);
	nl_req_put_str(&r, PCI_TSM_A_EVIDENCE_DEV_NAME, dev);
	nl_req_put(&r, PCI_TSM_A_EVIDENCE_NONCE, nonce, sizeof(nonce));
	if (slots)
		nl_req_put(&r, PCI_TSM_A_EVIDENCE_SLOTS, &slot_mask, sizeof(slot_mask));
	rc = nl_transact(&s, &r, refresh_cb, &gen, NULL);
	if (rc) {
		nl_perror(&s, rc, "evidence-refresh %s", dev);
		nl_close(&s);
		return 1;
	}
	nl_close(&s);
	printf("%s: generation %llu nonce ", dev, (unsigned long long)gen);
	hex_print(stdout, nonce, sizeof(nonce));
	printf("\n");
	return 0;
}

int cmd_evidence(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "dump"))
		return evidence_dump(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "refresh"))
		return evidence_refresh(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "verify"))
		return cmd_verify(argc - 1, argv + 1);
	fprintf(stderr, "usage: %s evidence dump|refresh|verify ...\n", prog);
	return 2;
}

static const char * const event_names[] = {
	[PCI_TSM_EVENT_CONNECT] = "connect",
	[PCI_TSM_EVENT_DISCONNECT] = "disconnect",
	[PCI_TSM_EVENT_LOCK] = "lock",
	[PCI_TSM_EVENT_UNLOCK] = "unlock",
	[PCI_TSM_EVENT_ACCEPT] = "accept",
	[PCI_TSM_EVENT_EVIDENCE] = "evidence",
	[PCI_TSM_EVENT_REVALIDATE] = "revalidate",
};

static const char * const result_names[] = {
	[PCI_TSM_REVALIDATE_RESULT_PASS] = "pass",
	[PCI_TSM_REVALIDATE_RESULT_KEPT] = "kept",
	[PCI_TSM_REVALIDATE_RESULT_DROPPED] = "dropped",
	[PCI_TSM_REVALIDATE_RESULT_FATAL] = "fatal",
	[PCI_TSM_REVALIDATE_RESULT_AUTH_FAILED] = "auth-failed",
	[PCI_TSM_REVALIDATE_RESULT_IDENTITY_MISMATCH] = "identity-mismatch",
	[PCI_TSM_REVALIDATE_RESULT_MEASUREMENT_MISMATCH] = "measurement-mismatch",
};

/* " KEY=NAME", or the number for a value newer than this tool */
static void print_enum(const char *key, const char * const *names,
		       size_t n, uint32_t v)
{
	if (v < n && names[v])
		printf(" %s=%s", key, names[v]);
	else
		printf(" %s=%u", key, v);
}

static int event_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[PCI_TSM_A_EVIDENCE_MAX + 1];
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const char *dev, *tsm;
	uint32_t ev = 0, result;
	uint64_t gen = 0;

	(void)arg;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    g->cmd != PCI_TSM_CMD_EVENT_NTF)
		return 0;
	if (nl_parse(nlh, GENL_HDRLEN, tb, PCI_TSM_A_EVIDENCE_MAX)) {
		fprintf(stderr, "%s: malformed notification ignored\n", prog);
		return 0;
	}
	dev = nla_get_str(tb[PCI_TSM_A_EVIDENCE_DEV_NAME]);
	tsm = nla_get_str(tb[PCI_TSM_A_EVIDENCE_TSM]);
	nla_get_uint(tb[PCI_TSM_A_EVIDENCE_GENERATION], &gen);
	nla_get_u32(tb[PCI_TSM_A_EVIDENCE_EVENT], &ev);
	printf("%s tsm=%s generation=%llu", dev ? dev : "?",
	       tsm && *tsm ? tsm : "-", (unsigned long long)gen);
	print_enum("event", event_names, ARRAY_SIZE(event_names), ev);
	/* Revalidate events say how the revalidation ended */
	if (!nla_get_u32(tb[PCI_TSM_A_EVIDENCE_RESULT], &result))
		print_enum("result", result_names, ARRAY_SIZE(result_names),
			   result);
	printf("\n");
	fflush(stdout);
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct nl_sock s;
	int rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: %s monitor\n", prog);
		return 2;
	}
	if (open_family(&s, PCI_TSM_MCGRP_EVENTS))
		return 1;
	rc = nl_recv_events(&s, event_cb, NULL);
	nl_perror(&s, rc, "monitor");
	nl_close(&s);
	return 1;
}

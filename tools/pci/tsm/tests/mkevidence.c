// SPDX-License-Identifier: GPL-2.0
/*
 * mkevidence: build an evidence directory, as "pci-tsm evidence dump"
 * writes it, from a recorded SPDM exchange (tests/vectors/NAME/exchange.txt:
 * "> HEX" requests, "< HEX" responses, "#" comments).
 *
 *   mkevidence [--pairs] [--extra-type N] EXCHANGE.TXT SIGLEN challenge|measurements DIR
 *
 * The transcript is built by the rule the recording's README states:
 *   challenge:    VCA || GET_DIGESTS..CERTIFICATE || CHALLENGE || CHALLENGE_AUTH
 *   measurements: VCA || GET_MEASUREMENTS || MEASUREMENTS   (SPDM 1.2+)
 *                 GET_MEASUREMENTS || MEASUREMENTS          (SPDM 1.1: no VCA)
 * each with the response's trailing SIGLEN-byte signature left out. The
 * signature length is given, not derived, so that this builder shares no
 * SPDM parsing with the verifier it tests; the few fields it reads (the
 * version byte, the CERTIFICATE slot and portion length, the selected
 * algorithms for summary.json) are read here at their fixed offsets.
 * Every message must be whole, without transport padding: recordings taken
 * at the DOE mailbox go through unpad_exchange.py first.
 *
 * The objects then take the path a kernel dump takes: split into
 * evidence-get netlink messages of CHUNK bytes, reassembled by reasm.c and
 * written by the same code as "pci-tsm evidence dump" (ev_write_dir()).
 * As a kernel does, every slot's chain is published under its slot, and a
 * recording without GET_MEASUREMENTS gets no measurements object.
 *
 * challenge|measurements names the exchange of the TRANSCRIPT and SIGNATURE
 * objects (the last signed one). --pairs adds the objects of types 8-11, as
 * a kernel publishes them since: M1 and L1, each with its signature (L1
 * only if the recording has a MEASUREMENTS).
 * --extra-type N adds a 16-byte object of type N in slot 0, as a kernel
 * newer than the tool could publish.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/pci-tsm.h>

#include "../tsmtool.h"

/* Small enough that every object spans several messages */
#define CHUNK	500

const char *prog = "mkevidence";

struct buf {
	uint8_t *p;
	size_t len;
};

static void append(struct buf *b, const uint8_t *p, size_t len)
{
	b->p = realloc(b->p, b->len + len + 1);
	if (!b->p) {
		perror("realloc");
		exit(2);
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
}

static void attr(struct nlmsghdr *nlh, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (void *)((uint8_t *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/* Send @b through evidence-get messages into @set, as a kernel dump would */
static void put(struct ev_set *set, uint32_t type, uint8_t slot, const struct buf *b)
{
	static uint32_t m32[(CHUNK + 512) / 4];	/* aligned for nlmsghdr */
	uint8_t *m = (uint8_t *)m32;
	struct nlmsghdr *nlh = (void *)m;
	uint32_t off = 0, total = b->len;
	uint64_t gen = 1;
	char err[ERRLEN];

	do {
		uint32_t n = total - off < CHUNK ? total - off : CHUNK;
		struct ev_chunk c;

		memset(m, 0, NLMSG_HDRLEN + GENL_HDRLEN);
		nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
		attr(nlh, PCI_TSM_A_EVIDENCE_DEV_NAME, "0000:01:00.0", 13);
		attr(nlh, PCI_TSM_A_EVIDENCE_TSM, "tsm0", 5);
		attr(nlh, PCI_TSM_A_EVIDENCE_GENERATION, &gen, 8);
		attr(nlh, PCI_TSM_A_EVIDENCE_TYPE, &type, 4);
		attr(nlh, PCI_TSM_A_EVIDENCE_SLOT, &slot, 1);
		attr(nlh, PCI_TSM_A_EVIDENCE_OFFSET, &off, 4);
		attr(nlh, PCI_TSM_A_EVIDENCE_TOTAL_LEN, &total, 4);
		attr(nlh, PCI_TSM_A_EVIDENCE_DATA, b->p + off, n);
		if (ev_chunk_parse(nlh, &c, err) || ev_set_add(set, &c, err)) {
			fprintf(stderr, "%s: %s\n", prog, err);
			exit(2);
		}
		off += n;
	} while (off < total);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "extra-type", required_argument, NULL, 'x' },
		{ "pairs", no_argument, NULL, 'p' },
		{ "connect-error", required_argument, NULL, 'e' },
		{ "chain-status", required_argument, NULL, 's' },
		{ }
	};
	struct buf vca = { }, certs = { }, chal = { }, meas = { }, chain[8] = { };
	struct buf transcript = { }, sig = { };
	/* what device-get would report: completed from the VCA below */
	struct ev_summary sum = {
		.valid = true, .tsm = "tsm0", .gen = 1, .has_spdm = true,
	};
	static struct ev_set set;
	const struct buf *signed_x;
	long extra_type = -1, chain_status = -1;
	bool pairs = false;
	char err[ERRLEN];
	uint8_t msg[65536];
	char line[140000];
	size_t siglen, skip;
	int nmsg = 0, c;
	FILE *f;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p')
			pairs = true;
		else if (c == 'x')
			extra_type = strtol(optarg, NULL, 0);
		else if (c == 'e')
			sum.connect_error = strtoul(optarg, NULL, 0);
		else if (c == 's')
			chain_status = strtol(optarg, NULL, 0);
		else
			return 2;
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc != 5 || (strcmp(argv[3], "challenge") && strcmp(argv[3], "measurements"))) {
		fprintf(stderr,
			"usage: %s [--pairs] [--extra-type N] [--connect-error ERRNO] [--chain-status ERRNO]\n"
			"       EXCHANGE.TXT SIGLEN challenge|measurements DIR\n",
			prog);
		return 2;
	}
	siglen = strtoul(argv[2], NULL, 0);
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n;
		char *hex;

		if (line[0] != '>' && line[0] != '<')
			continue;
		hex = line + 2;
		hex[strcspn(hex, " \r\n")] = '\0';
		n = strlen(hex) / 2;
		if (n < 4 || n > sizeof(msg) || hex_decode(hex, msg, n)) {
			fprintf(stderr, "%s: %s: bad message line\n", prog, argv[1]);
			return 2;
		}
		nmsg++;
		switch (msg[1]) {
		case 0xe1:	/* the version chosen: every message after VERSION has it */
			sum.spdm_version = msg[0];
			append(&vca, msg, n);
			break;
		case 0x63:	/* ALGORITHMS: BaseAsymSel at 12, BaseHashSel at 16 */
			if (n >= 20) {
				sum.base_asym = msg[12] | msg[13] << 8 | msg[14] << 16 |
						(uint32_t)msg[15] << 24;
				sum.base_hash = msg[16] | msg[17] << 8 | msg[18] << 16 |
						(uint32_t)msg[19] << 24;
			}
			append(&vca, msg, n);
			break;
		case 0x84: case 0x04: case 0x61: case 0xe3:
			append(&vca, msg, n);
			break;
		case 0x81: case 0x01: case 0x82:
			append(&certs, msg, n);
			break;
		case 0x02:	/* CERTIFICATE: slot in Param1, PortionLength at 4 */
			append(&certs, msg, n);
			if (n < 8 || 8 + (size_t)(msg[4] | msg[5] << 8) > n || (msg[2] & 0xf) > 7) {
				fprintf(stderr, "%s: bad CERTIFICATE\n", prog);
				return 2;
			}
			append(&chain[msg[2] & 0xf], msg + 8, msg[4] | msg[5] << 8);
			break;
		case 0x83: case 0x03:
			append(&chal, msg, n);
			break;
		case 0xe0: case 0x60:
			append(&meas, msg, n);
			break;
		default:
			fprintf(stderr, "%s: unexpected message code 0x%02x\n", prog, msg[1]);
			return 2;
		}
	}
	fclose(f);

	/* DSP0274 1.2 puts the VCA in front of L1; 1.0 and 1.1 have none there */
	skip = meas.len && meas.p[0] < 0x12 ? vca.len : 0;
	if (!strcmp(argv[3], "challenge")) {
		append(&transcript, vca.p, vca.len);
		append(&transcript, certs.p, certs.len);
		signed_x = &chal;
	} else {
		append(&transcript, vca.p + skip, vca.len - skip);
		signed_x = &meas;
	}
	if (signed_x->len <= siglen) {
		fprintf(stderr, "%s: no signed %s exchange\n", prog, argv[3]);
		return 2;
	}
	append(&transcript, signed_x->p, signed_x->len - siglen);
	append(&sig, signed_x->p + signed_x->len - siglen, siglen);

	for (int i = 0; i < 8; i++)
		if (chain[i].len)
			put(&set, PCI_TSM_OBJECT_TYPE_CERT_CHAIN, i, &chain[i]);
	put(&set, PCI_TSM_OBJECT_TYPE_VCA, 0, &vca);
	put(&set, PCI_TSM_OBJECT_TYPE_CHALLENGE, 0, &chal);
	if (meas.len)
		put(&set, PCI_TSM_OBJECT_TYPE_MEASUREMENTS, 0, &meas);
	put(&set, PCI_TSM_OBJECT_TYPE_TRANSCRIPT, 0, &transcript);
	put(&set, PCI_TSM_OBJECT_TYPE_SIGNATURE, 0, &sig);
	if (pairs) {
		struct buf m1 = { }, l1 = { }, s1 = { }, s2 = { };

		if (chal.len <= siglen || (meas.len && meas.len <= siglen)) {
			fprintf(stderr, "%s: --pairs needs signed exchanges\n", prog);
			return 2;
		}
		append(&m1, vca.p, vca.len);
		append(&m1, certs.p, certs.len);
		append(&m1, chal.p, chal.len - siglen);
		append(&s1, chal.p + chal.len - siglen, siglen);
		put(&set, EV_TYPE_CHALLENGE_TRANSCRIPT, 0, &m1);
		put(&set, EV_TYPE_CHALLENGE_SIGNATURE, 0, &s1);
		if (meas.len) {
			append(&l1, vca.p + skip, vca.len - skip);
			append(&l1, meas.p, meas.len - siglen);
			append(&s2, meas.p + meas.len - siglen, siglen);
			put(&set, EV_TYPE_MEASUREMENTS_TRANSCRIPT, 0, &l1);
			put(&set, EV_TYPE_MEASUREMENTS_SIGNATURE, 0, &s2);
		}
		free(m1.p);
		free(l1.p);
		free(s1.p);
		free(s2.p);
	}
	if (extra_type >= 0) {
		struct buf extra = { };

		append(&extra, (const uint8_t *)"from a newer kernel", 16);
		put(&set, extra_type, 0, &extra);
		free(extra.p);
	}
	/* what evidence-get of a kernel with chain-status would carry */
	for (int i = 0; chain_status >= 0 && i < set.nr; i++) {
		if (set.obj[i].type != PCI_TSM_OBJECT_TYPE_CERT_CHAIN)
			continue;
		set.obj[i].has_status = true;
		set.obj[i].status = chain_status;
	}
	if (ev_set_complete(&set, err)) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return 2;
	}
	if (ev_write_dir(AT_FDCWD, argv[4], argv[4], &sum, &set))
		return 2;
	ev_set_reset(&set);
	printf("%s: %d messages, %s transcript %zu bytes, slot-0 chain %zu bytes\n",
	       argv[4], nmsg, argv[3], transcript.len, chain[0].len);
	free(vca.p);
	free(certs.p);
	free(chal.p);
	free(meas.p);
	for (int i = 0; i < 8; i++)
		free(chain[i].p);
	free(transcript.p);
	free(sig.p);
	return 0;
}

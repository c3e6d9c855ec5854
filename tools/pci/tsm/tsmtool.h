/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-tsm: shared declarations of the PCI TSM command-line tool.
 */
#ifndef _PCI_TSM_TOOL_H
#define _PCI_TSM_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/netlink.h>

#define ERRLEN	256

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The kernel's __printf(); tools/include has it, but the tool must also
 * build on its own, with only the C library's headers.
 */
#ifndef __printf
#define __printf(a, b)	__attribute__(( \
	format(printf, a, b)))
#endif

/* util.c */
__printf(2, 3) void err_set(char *err, const char *fmt, ...);
int read_file_at(int dirfd, const char *name, uint8_t **data, size_t *len, char *err);
int create_file_at(int dirfd, const char *name, char *err);
int write_file_at(int dirfd, const char *name, const void *data, size_t len,
		  char *err);
int dir_create(int atfd, const char *path, char *err);
int hexval(char c);
int hex_decode(const char *hex, uint8_t *out, size_t outlen);
void hex_print(FILE *f, const uint8_t *p, size_t len);
void json_string(FILE *f, const char *s);

/* nl.c: raw generic netlink, no libnl */
struct nl_sock {
	int fd;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t mcgrp;
	uint8_t *buf;
	size_t buflen;
	char extack[ERRLEN];	/* last error message from the kernel */
};

struct nl_req {
	uint8_t buf[512];
	struct nlmsghdr *nlh;
	int overflow;
};

/* Called for every reply message; a non-zero return stops the receive */
typedef int (*nl_cb_t)(const struct nlmsghdr *nlh, void *arg);

int nl_open(struct nl_sock *s, const char *family, const char *mcgrp);
void nl_close(struct nl_sock *s);
void nl_req_init(struct nl_req *r, struct nl_sock *s, uint8_t cmd, uint16_t flags);
void nl_req_put(struct nl_req *r, uint16_t type, const void *data, size_t len);
void nl_req_put_str(struct nl_req *r, uint16_t type, const char *str);
int nl_transact(struct nl_sock *s, struct nl_req *r, nl_cb_t cb, void *arg,
		bool *intr);
int nl_recv_events(struct nl_sock *s, nl_cb_t cb, void *arg);
int nl_parse(const struct nlmsghdr *nlh, size_t hdrlen,
	     const struct nlattr **tb, int max);
int nla_get_uint(const struct nlattr *a, uint64_t *v);
int nla_get_u32(const struct nlattr *a, uint32_t *v);
int nla_get_u8(const struct nlattr *a, uint8_t *v);
const char *nla_get_str(const struct nlattr *a);
static inline const void *nla_payload(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static inline uint16_t nla_payload_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* reasm.c: reassembly of evidence-get dump messages */
#define EV_MAX_OBJECTS		64
/* Larger than the kernel's 32 MiB object limit, bounds hostile total-len */
#define EV_MAX_OBJECT_SIZE	(64u << 20)

struct ev_chunk {
	const char *dev;
	const char *tsm;
	uint64_t gen;
	uint32_t type;
	uint8_t slot;
	uint32_t offset;
	uint32_t total;
	const uint8_t *data;
	uint32_t len;
	bool has_status;	/* chain-status: cert-chain objects only */
	uint32_t status;
};

struct ev_object {
	uint32_t type;
	uint8_t slot;
	uint32_t total;
	uint32_t len;
	uint8_t *data;
	bool has_status;	/* the kernel's verdict on a chain */
	uint32_t status;	/* 0: validated, else a (positive) errno */
};

struct ev_set {
	bool started;
	char dev[64];
	char tsm[64];
	uint64_t gen;
	int nr;
	struct ev_object obj[EV_MAX_OBJECTS];
};

/*
 * Object types 8-11 of enum pci_tsm_object_type: one transcript and
 * signature pair per signed exchange of a connect (M1 of CHALLENGE_AUTH,
 * L1 of MEASUREMENTS), each without its signature, next to the TRANSCRIPT
 * and SIGNATURE of the last signed exchange. The values are the uapi's;
 * they are defined here, under the tool's own names, so that the tool
 * builds with a <linux/pci-tsm.h> that predates them.
 */
#define EV_TYPE_CHALLENGE_TRANSCRIPT	8
#define EV_TYPE_CHALLENGE_SIGNATURE	9
#define EV_TYPE_MEASUREMENTS_TRANSCRIPT	10
#define EV_TYPE_MEASUREMENTS_SIGNATURE	11

/* "type-4294967295" and its NUL */
struct ev_type_buf {
	char name[16];
};

int ev_chunk_parse(const struct nlmsghdr *nlh, struct ev_chunk *c, char *err);
int ev_set_add(struct ev_set *s, const struct ev_chunk *c, char *err);
int ev_set_complete(const struct ev_set *s, char *err);
void ev_set_reset(struct ev_set *s);
const char *ev_type_name(uint32_t type);
const char *ev_type_label(uint32_t type, struct ev_type_buf *buf);

/* The objects of every device in one unfiltered evidence-get dump */
#define EV_MAX_DEVICES		4096

struct ev_multi {
	int nr;
	int cap;
	struct ev_set *set;
};

bool ev_dev_name_ok(const char *dev);
int ev_multi_add(struct ev_multi *m, const struct ev_chunk *c, char *err);
struct ev_set *ev_multi_find(struct ev_multi *m, const char *dev);
int ev_multi_complete(const struct ev_multi *m, char *err);
void ev_multi_reset(struct ev_multi *m);

/* evidence.c: what device-get reports about a device's evidence */
struct ev_summary {
	bool valid;
	char tsm[64];
	uint64_t gen;
	uint8_t spdm_version;
	uint32_t base_asym;
	uint32_t base_hash;
	uint8_t slot;
	bool has_spdm;
	uint32_t connect_error;	/* evidence of a refused connect: its errno */
};

int ev_write_dir(int atfd, const char *dir, const char *shown,
		 const struct ev_summary *sum, const struct ev_set *set);

/* spdm.c: SPDM message and certificate chain parsing */
struct spdm_vca {
	uint8_t version;	/* major << 4 | minor */
	uint32_t base_asym;
	uint32_t base_hash;
	size_t len;		/* bytes of the VCA messages */
};

int spdm_parse_vca(const uint8_t *p, size_t len, struct spdm_vca *vca, char *err);
size_t spdm_hash_len(uint32_t base_hash);
const char *spdm_hash_name(uint32_t base_hash);
size_t spdm_sig_len(uint32_t base_asym);
const char *spdm_asym_name(uint32_t base_asym);

#define SPDM_MAX_CERTS	16

struct spdm_chain {
	size_t hash_len;
	const uint8_t *root_hash;
	int nr;
	const uint8_t *der[SPDM_MAX_CERTS];
	size_t der_len[SPDM_MAX_CERTS];
};

int spdm_chain_split(const uint8_t *p, size_t len, size_t hash_len,
		     struct spdm_chain *chain, char *err);
int der_certs_split(const uint8_t *p, size_t len, struct spdm_chain *chain,
		    char *err);

/* chain.c: certification path validation */
struct x509_st;

/**
 * struct chain_opts - how to validate a certificate chain
 * @root: trusted certificates: a file of PEM or DER certificates (any
 *	number, a bundle), or a directory whose every regular file is such a
 *	file; NULL: no anchor (self-consistency only)
 * @check_time: check validity periods (off by default)
 * @ids: the function's PCIe IDs, as the CMA otherName (2.23.147) writes
 *	them ("Vendor=1b36:Device=0010:...", see chain_ids_valid()); NULL:
 *	not compared
 * @root_hash: the chain's RootHash (SPDM header), checked against the
 *	anchor when certificate 0 is not the root; NULL: not checked
 * @md: hash of @root_hash (an EVP_MD)
 */
struct chain_opts {
	const char *root;
	bool check_time;
	const char *ids;
	const uint8_t *root_hash;
	const void *md;
};

int chain_validate(struct x509_st **certs, int nr, const struct chain_opts *o,
		   bool *anchored, char *err);
bool chain_ids_valid(const char *ids);
int chain_ids_from_device(const char *bdf, char *ids, size_t len, char *err);
int cmd_chain(int argc, char **argv);

/* subcommands */
int cmd_evidence(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_monitor(int argc, char **argv);

extern const char *prog;

#endif /* _PCI_TSM_TOOL_H */

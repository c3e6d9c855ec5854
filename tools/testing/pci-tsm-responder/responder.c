// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM responder for QEMU's NVMe "spdm_port": QEMU forwards every CMA DOE
 * data object its emulated function receives to this TCP server and
 * returns our answer to the guest, so the guest kernel authenticates a
 * device it did not emulate itself.
 *
 * The SPDM 1.2 / TDISP message logic is samples/devsec/spdm.c and
 * tdisp.c, the very code the kernel's emulated endpoints run, built here
 * against a few header shims (shim/); this file only adds what the kernel
 * provided there: SHA-384, RSASSA-3072 signatures and random numbers from
 * OpenSSL, the certificate chain and key from files, and QEMU's socket
 * framing around DOE data objects.
 *
 * QEMU's framing (hw/pci/spdm-socket): three big-endian u32 (command,
 * transport type, payload size) then the payload, both ways.  Commands:
 * 0x0001 normal message, 0xFFFE shutdown (no answer), 0xDEAD test (echo).
 * A normal message's payload is a whole DOE data object, header included;
 * so is the answer, padded to whole dwords.
 *
 * One QEMU connection at a time; end of file ends the session and the
 * responder waits for the next QEMU.  SIGUSR1 switches to the alternate
 * identity (-a), as if the device had been replaced; SIGUSR2 to the -f
 * identity (a chain no PKI accepts, for the requester to refuse) and
 * SIGHUP back to the first one.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/store.h>
#include <openssl/x509.h>

#include <linux/unaligned.h>

#include "devsec_rsp.h"
#include "hostile.h"

#define QEMU_CMD_NORMAL		0x0001
#define QEMU_CMD_SHUTDOWN	0xfffe
#define QEMU_CMD_TEST		0xdead
#define QEMU_TRANSPORT_DOE	0x02

#define DOE_VENDOR_PCISIG	0x0001
#define DOE_TYPE_CMA		1
#define DOE_TYPE_SECURED_CMA	2
#define DOE_HDR_LEN		8
/* QEMU resets the mailbox on a larger answer (its DOE buffer) */
#define DOE_MAX_OBJ		4608
/* Largest request we read: the DOE Length field's limit (2^18 dwords) */
#define DOE_MAX_REQ		0x100000

#define MAX_CERTS		8

static int verbose;
/* The identity to switch to, set by the signals; lock-free atomics are
 * async-signal-safe
 */
enum { ID_KEEP, ID_ALT, ID_FORGED, ID_FIRST };
static int switch_identity;
/* Break answers on purpose (hostile.c); set by -X and the RT signals */
static int hostile;

/* Counters for the benchmark, also written to --stats */
static struct {
	unsigned long sessions, exchanges, bytes_in, bytes_out;
} stats;
static const char *stats_path;

static void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("spdm-responder: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static void die_ssl(const char *what)
{
	msg("%s failed\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

/* --- services for spdm.c / tdisp.c (struct devsec_rsp_ops) --- */

static void ossl_hash(const void *data, size_t len, u8 *digest)
{
	unsigned int n = 0;

	if (!EVP_Digest(data, len, digest, &n, EVP_sha384(), NULL) ||
	    n != DEVSEC_HASH_SIZE)
		die_ssl("SHA-384");
}

/* RSASSA-PKCS1-v1_5 over a SHA-384 digest computed by the caller */
static int ossl_sign(void *key, const u8 *digest, u8 *sig)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	size_t len = DEVSEC_SIG_SIZE;
	int rc = -EIO;

	if (ctx && EVP_PKEY_sign_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
	    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha384()) > 0 &&
	    EVP_PKEY_sign(ctx, sig, &len, digest, DEVSEC_HASH_SIZE) > 0 &&
	    len == DEVSEC_SIG_SIZE)
		rc = 0;
	if (rc)
		ERR_print_errors_fp(stderr);
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

static void ossl_random(void *buf, size_t len)
{
	if (RAND_bytes(buf, len) != 1)
		die_ssl("RAND_bytes");
}

static const struct devsec_rsp_ops ossl_ops = {
	.hash = ossl_hash,
	.sign = ossl_sign,
	.random = ossl_random,
};

/* --- identity: certificate chain and key from files --- */

/* One certificate, PEM or DER, as DER */
static unsigned char *load_cert(const char *path, int *len)
{
	unsigned char *der = NULL;
	X509 *x = NULL;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		msg("%s: %s\n", path, strerror(errno));
		exit(1);
	}
	x = PEM_read_X509(f, NULL, NULL, NULL);
	if (!x) {
		ERR_clear_error();
		rewind(f);
		x = d2i_X509_fp(f, NULL);
	}
	fclose(f);
	if (!x)
		die_ssl(path);
	*len = i2d_X509(x, &der);
	X509_free(x);
	if (*len <= 0)
		die_ssl("i2d_X509");
	return der;
}

/* The first private key in the PEM file at @path (OpenSSL's store API) */
static EVP_PKEY *load_key(const char *path)
{
	OSSL_STORE_CTX *store;
	OSSL_STORE_INFO *info;
	EVP_PKEY *key = NULL;

	store = OSSL_STORE_open(path, NULL, NULL, NULL, NULL);
	if (!store)
		die_ssl(path);
	while (!key && !OSSL_STORE_eof(store)) {
		info = OSSL_STORE_load(store);
		if (info && OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY)
			key = OSSL_STORE_INFO_get1_PKEY(info);
		OSSL_STORE_INFO_free(info);
	}
	OSSL_STORE_close(store);
	if (!key)
		die_ssl(path);
	return key;
}

/*
 * The chain as SPDM carries it (DSP0274 1.2 sec 10.7.1): Length (2 bytes,
 * the whole chain), Reserved, the hash of the root certificate, then the
 * DER certificates from the root to the leaf.
 */
static void load_identity(struct devsec_identity *id, char **certs,
			  int ncerts, const char *key_path)
{
	unsigned char *der[MAX_CERTS] = { };
	int len[MAX_CERTS] = { }, i;
	size_t total = 4 + DEVSEC_HASH_SIZE, pos;
	EVP_PKEY *key;
	u8 *chain;

	if (ncerts < 1 || ncerts > MAX_CERTS)
		exit(2);
	for (i = 0; i < ncerts; i++) {
		der[i] = load_cert(certs[i], &len[i]);
		total += len[i];
	}
	if (total > 0xffff) {
		msg("certificate chain of %zu bytes: SPDM allows 65535\n",
		    total);
		exit(1);
	}
	chain = malloc(total);
	if (!chain)
		exit(1);
	put_unaligned_le16(total, chain);
	put_unaligned_le16(0, chain + 2);
	ossl_hash(der[0], len[0], chain + 4);
	pos = 4 + DEVSEC_HASH_SIZE;
	for (i = 0; i < ncerts; i++) {
		memcpy(chain + pos, der[i], len[i]);
		pos += len[i];
		OPENSSL_free(der[i]);
	}

	key = load_key(key_path);
	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA ||
	    EVP_PKEY_get_size(key) != DEVSEC_SIG_SIZE) {
		msg("%s: need an RSA-3072 key\n", key_path);
		exit(1);
	}

	id->chain = chain;
	id->chain_len = total;
	id->key = key;
}

/*
 * -d DIR: DIR/root.der, DIR/inter.der, DIR/leaf.der and DIR/leaf.key; or,
 * when DIR/chain exists, the certificates it names (one file name in DIR
 * a line, root first) and DIR/leaf.key
 */
static void load_identity_dir(struct devsec_identity *id, const char *dir)
{
	const char *names[MAX_CERTS] = { "root.der", "inter.der", "leaf.der" };
	char *certs[MAX_CERTS], *key, *list, line[256];
	int i, n = 3;
	FILE *f;

	if (asprintf(&list, "%s/chain", dir) < 0)
		exit(1);
	f = fopen(list, "r");
	if (f) {
		for (n = 0; fgets(line, sizeof(line), f); n++) {
			line[strcspn(line, "\n")] = 0;
			if (n == MAX_CERTS || !line[0]) {
				msg("%s/chain: 1 to %d file names\n", dir,
				    MAX_CERTS);
				exit(2);
			}
			/* Kept for the life of the process */
			names[n] = strdup(line);
			if (!names[n])
				exit(1);
		}
		fclose(f);
	}
	free(list);
	for (i = 0; i < n; i++)
		if (asprintf(&certs[i], "%s/%s", dir, names[i]) < 0)
			exit(1);
	if (asprintf(&key, "%s/leaf.key", dir) < 0)
		exit(1);
	load_identity(id, certs, n, key);
	for (i = 0; i < n; i++)
		free(certs[i]);
	free(key);
}

/* --- QEMU's socket --- */

static int read_all(int fd, void *buf, size_t len)
{
	u8 *p = buf;

	while (len) {
		ssize_t n = recv(fd, p, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		p += n;
		len -= n;
	}
	return 1;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const u8 *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

/* Header and payload in one send: with TCP_NODELAY, one segment */
static int send_msg(int fd, u32 cmd, const u8 *payload, u32 len)
{
	u8 buf[12 + DOE_MAX_OBJ];
	u32 hdr[3] = { htonl(cmd), htonl(QEMU_TRANSPORT_DOE), htonl(len) };

	if (len > DOE_MAX_OBJ)
		return -EMSGSIZE;
	memcpy(buf, hdr, sizeof(hdr));
	if (len)
		memcpy(buf + sizeof(hdr), payload, len);
	return write_all(fd, buf, sizeof(hdr) + len);
}

static void write_stats(void)
{
	char tmp[4096];
	FILE *f;

	if (!stats_path)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", stats_path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "sessions %lu\nexchanges %lu\nbytes_in %lu\nbytes_out %lu\n",
		stats.sessions, stats.exchanges, stats.bytes_in,
		stats.bytes_out);
	if (fclose(f) == 0)
		rename(tmp, stats_path);
}

/*
 * Answer one DOE data object; @obj has @len bytes.  Return the length of
 * the answer at @out, 0 to send none; @delay_ms: how long to wait first.
 */
static size_t handle_doe(struct devsec_rsp *rsp, const u8 *obj, size_t len,
			 u8 *out, unsigned int *delay_ms)
{
	static u8 spdm_rsp[DEVSEC_MAX_MSG];
	u32 hdr0, dwords;
	size_t n;
	u8 type;

	if (len < DOE_HDR_LEN || len % 4) {
		msg("DOE object of %zu bytes\n", len);
		return 0;
	}
	hdr0 = get_unaligned_le32(obj);
	dwords = get_unaligned_le32(obj + 4) & 0x3ffff;
	type = hdr0 >> 16;
	if ((hdr0 & 0xffff) != DOE_VENDOR_PCISIG ||
	    (size_t)dwords * 4 != len) {
		msg("bad DOE header %08x %08x for %zu bytes\n", hdr0,
		    get_unaligned_le32(obj + 4), len);
		return 0;
	}

	if (type == DOE_TYPE_CMA) {
		n = devsec_rsp_handle(rsp, obj + DOE_HDR_LEN, len - DOE_HDR_LEN,
				      spdm_rsp, sizeof(spdm_rsp));
		if (verbose)
			msg("%02x -> %02x, %zu -> %zu bytes\n",
			    len > DOE_HDR_LEN + 1 ? obj[DOE_HDR_LEN + 1] : 0,
			    n > 1 ? spdm_rsp[1] : 0, len - DOE_HDR_LEN, n);
	} else {
		/* No secured sessions: SPDM ERROR UnsupportedRequest */
		spdm_rsp[0] = 0x12;
		spdm_rsp[1] = SPDM_ERROR;
		spdm_rsp[2] = SPDM_ERR_UNSUPPORTED_REQUEST;
		spdm_rsp[3] = 0;
		n = 4;
	}
	*delay_ms = 0;
	if (n && __atomic_load_n(&hostile, __ATOMIC_ACQUIRE))
		n = hostile_mutate(spdm_rsp, n, sizeof(spdm_rsp),
				   len > DOE_HDR_LEN + 1 ? obj[DOE_HDR_LEN + 1] : 0,
				   delay_ms);
	if (!n || DOE_HDR_LEN + n > DOE_MAX_OBJ)
		return 0;

	dwords = 2 + (n + 3) / 4;
	put_unaligned_le32(DOE_VENDOR_PCISIG | (u32)type << 16, out);
	put_unaligned_le32(dwords, out + 4);
	memcpy(out + DOE_HDR_LEN, spdm_rsp, n);
	memset(out + DOE_HDR_LEN + n, 0, dwords * 4 - DOE_HDR_LEN - n);
	return dwords * 4;
}

/* @ids: indexed by ID_*, %NULL where not given */
static void serve(int fd, struct devsec_rsp *rsp,
		  const struct devsec_identity *const *ids)
{
	static const char * const what[] = {
		[ID_ALT] = "alternate", [ID_FORGED] = "forged",
		[ID_FIRST] = "first",
	};
	static u8 req[DOE_MAX_REQ], out[DOE_MAX_OBJ];
	int one = 1;

	/* QEMU sends each header field on its own: avoid Nagle + delayed ACK */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	stats.sessions++;
	write_stats();

	for (;;) {
		unsigned int delay_ms;
		u32 hdr[3], cmd, size;
		int rc, want;
		size_t n;

		rc = read_all(fd, hdr, sizeof(hdr));
		if (rc <= 0)
			break;
		cmd = ntohl(hdr[0]);
		size = ntohl(hdr[2]);
		if (size > sizeof(req)) {
			msg("payload of %u bytes, dropping the connection\n",
			    size);
			break;
		}
		if (size && read_all(fd, req, size) <= 0)
			break;
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));

		if (cmd == QEMU_CMD_SHUTDOWN)
			break;
		if (cmd == QEMU_CMD_TEST) {
			if (send_msg(fd, cmd, NULL, 0))
				break;
			continue;
		}
		if (cmd != QEMU_CMD_NORMAL) {
			msg("ignoring command %#x\n", cmd);
			continue;
		}

		want = __atomic_exchange_n(&switch_identity, ID_KEEP,
					   __ATOMIC_ACQ_REL);
		if (want != ID_KEEP && ids[want]) {
			devsec_rsp_set_identity(rsp, ids[want]);
			msg("now presenting the %s identity\n", what[want]);
		}

		n = handle_doe(rsp, req, size, out, &delay_ms);
		/* No answer would hang the guest until its DOE timeout */
		if (!n) {
			msg("cannot answer; closing to reset QEMU's mailbox\n");
			break;
		}
		/* Counted first: the guest may read them as soon as it has the answer */
		stats.exchanges++;
		stats.bytes_in += size;
		stats.bytes_out += n;
		write_stats();
		if (delay_ms) {
			struct timespec ts = {
				.tv_sec = delay_ms / 1000,
				.tv_nsec = (delay_ms % 1000) * 1000000L,
			};

			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
		}
		if (send_msg(fd, QEMU_CMD_NORMAL, out, n))
			break;
	}
	msg("session %lu over: %lu exchanges, %lu bytes in, %lu bytes out\n",
	    stats.sessions, stats.exchanges, stats.bytes_in, stats.bytes_out);
	if (hostile_stats()->seen)
		msg("hostile: %lu answers seen, %lu broken, %lu of them late\n",
		    hostile_stats()->seen, hostile_stats()->broken,
		    hostile_stats()->slow);
}

static void on_signal(int sig)
{
	int id = sig == SIGUSR1 ? ID_ALT : sig == SIGUSR2 ? ID_FORGED : ID_FIRST;

	if (sig == SIGRTMIN || sig == SIGRTMIN + 1) {
		__atomic_store_n(&hostile, sig == SIGRTMIN, __ATOMIC_RELEASE);
		return;
	}
	__atomic_store_n(&switch_identity, id, __ATOMIC_RELEASE);
}

static const char help_text[] =
	"usage: spdm-responder [options]\n"
	"  -p, --port PORT     TCP port on 127.0.0.1 (QEMU's spdm_port), default 2323\n"
	"  -d, --dir DIR       identity from DIR/{root,inter,leaf}.der + leaf.key\n"
	"  -c, --cert FILE     a certificate (PEM/DER), root first, leaf last;\n"
	"                      repeat for each; with -k instead of -d\n"
	"  -k, --key FILE      the leaf's RSA-3072 private key (PEM)\n"
	"  -a, --alt-dir DIR   alternate identity, presented after SIGUSR1\n"
	"  -f, --forged-dir DIR  forged identity, presented after SIGUSR2;\n"
	"                      SIGHUP goes back to the first identity\n"
	"  -s, --stats FILE    keep exchange and byte counters in FILE\n"
	"  -x, --hostile SEED[:RATE]  break RATE%% (default 25) of the answers,\n"
	"                      chosen by SEED, once SIGRTMIN arrives (SIGRTMIN+1:\n"
	"                      stop); with -X from the start\n"
	"  -X, --hostile-now   start in the hostile mode\n"
	"  -1, --once          exit after the first connection\n"
	"  -v, --verbose       log every message\n";

static void bad_usage(void)
{
	fputs(help_text, stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "alt-dir", required_argument, NULL, 'a' },
		{ "forged-dir", required_argument, NULL, 'f' },
		{ "stats", required_argument, NULL, 's' },
		{ "hostile", required_argument, NULL, 'x' },
		{ "hostile-now", no_argument, NULL, 'X' },
		{ "once", no_argument, NULL, '1' },
		{ "verbose", no_argument, NULL, 'v' },
		{ }
	};
	static struct devsec_identity id, alt, forged;
	static const struct devsec_identity *ids[] = { [ID_FIRST] = &id };
	static struct devsec_rsp rsp;
	const char *dir = NULL, *alt_dir = NULL, *forged_dir = NULL;
	const char *key = NULL;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct sigaction sact = { .sa_handler = on_signal };
	char *certs[MAX_CERTS];
	int ncerts = 0, port = 2323, once = 0, one = 1, lfd, c;
	unsigned int seed = 1, rate = 25;
	char *end;

	while ((c = getopt_long(argc, argv, "p:d:c:k:a:f:s:x:X1v", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'p':
			port = atoi(optarg);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'c':
			if (ncerts == MAX_CERTS)
				bad_usage();
			certs[ncerts++] = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'a':
			alt_dir = optarg;
			break;
		case 'f':
			forged_dir = optarg;
			break;
		case 's':
			stats_path = optarg;
			break;
		case 'x':
			seed = strtoul(optarg, &end, 0);
			if (*end == ':')
				rate = strtoul(end + 1, &end, 0);
			if (*end || rate > 100)
				bad_usage();
			break;
		case 'X':
			hostile = 1;
			break;
		case '1':
			once = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			bad_usage();
		}
	}
	if (optind != argc || port <= 0 || port > 65535 ||
	    !!dir == !!(ncerts && key) || (!dir && (!ncerts || !key)))
		bad_usage();

	if (dir)
		load_identity_dir(&id, dir);
	else
		load_identity(&id, certs, ncerts, key);
	if (alt_dir) {
		load_identity_dir(&alt, alt_dir);
		ids[ID_ALT] = &alt;
	}
	if (forged_dir) {
		load_identity_dir(&forged, forged_dir);
		ids[ID_FORGED] = &forged;
	}
	sigaction(SIGUSR1, &sact, NULL);
	sigaction(SIGUSR2, &sact, NULL);
	sigaction(SIGHUP, &sact, NULL);
	sigaction(SIGRTMIN, &sact, NULL);
	sigaction(SIGRTMIN + 1, &sact, NULL);
	hostile_init(seed, rate);
	msg("hostile mode: seed %u, %u%% of the answers\n", seed, rate);

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1)) {
		perror("bind/listen");
		return 1;
	}
	msg("listening on 127.0.0.1:%d\n", port);
	write_stats();

	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			perror("accept");
			return 1;
		}
		/* A new QEMU is a device fresh out of reset */
		devsec_rsp_init(&rsp, &ossl_ops, &id, 0);
		serve(fd, &rsp, ids);
		close(fd);
		if (once)
			break;
	}
	close(lfd);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * pci-tsm: drive the PCI TSM (TEE Security Manager) ABI.
 *
 * The sysfs side (/sys/class/tsm, /sys/bus/pci/devices/DEV/tsm/) changes a
 * device's security state; the "pci-tsm" generic netlink family delivers
 * the evidence a TSM recorded, which "evidence verify" checks with
 * OpenSSL. The tool makes no trust decision the user did not ask for:
 * without a root certificate a chain is only reported as self-consistent.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tsmtool.h"

const char *prog = "pci-tsm";

/* Overridable so that the tests can run against a fake sysfs tree */
static const char *sysfs_root(void)
{
	const char *root = getenv("PCI_TSM_SYSFS");

	return root && *root ? root : "/sys";
}

static int valid_name(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

/* Read a one-line attribute, without its trailing newline */
static int read_attr(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return 0;
}

static void list_attrs(const char *dir, const char *skip)
{
	struct dirent **names;
	char path[4096], val[256];
	int n;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return;
	for (int i = 0; i < n; i++) {
		const char *a = names[i]->d_name;
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, a);
		/* write-only attributes (connect's siblings) cannot be shown */
		if (a[0] != '.' && strcmp(a, skip) && !stat(path, &st) &&
		    S_ISREG(st.st_mode) && (st.st_mode & 0444) &&
		    !read_attr(path, val, sizeof(val)))
			printf(" %s=%s", a, *val ? val : "-");
		free(names[i]);
	}
	free(names);
}

static int cmd_list(int argc, char **argv)
{
	struct dirent **names;
	char dir[4096], val[256];
	int n, ndev = 0;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: %s list\n", prog);
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s/class/tsm", sysfs_root());
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		printf("TSMs: none (%s: %s)\n", dir, strerror(errno));
	} else {
		printf("TSMs:\n");
		for (int i = 0; i < n; i++) {
			if (names[i]->d_name[0] != '.') {
				snprintf(dir, sizeof(dir), "%s/class/tsm/%s",
					 sysfs_root(), names[i]->d_name);
				printf("  %s", names[i]->d_name);
				list_attrs(dir, "uevent");
				printf("\n");
			}
			free(names[i]);
		}
		free(names);
	}

	snprintf(dir, sizeof(dir), "%s/bus/pci/devices", sysfs_root());
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
		return 1;
	}
	printf("Devices:\n");
	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		struct stat st;

		snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s/tsm", sysfs_root(), d);
		if (d[0] != '.' && !stat(dir, &st) && S_ISDIR(st.st_mode)) {
			printf("  %s", d);
			snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s/authenticated",
				 sysfs_root(), d);
			if (!read_attr(dir, val, sizeof(val)))
				printf(" authenticated=%s", *val ? val : "-");
			snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s/tsm",
				 sysfs_root(), d);
			list_attrs(dir, "");
			printf("\n");
			ndev++;
		}
		free(names[i]);
	}
	free(names);
	if (!ndev)
		printf("  none with a tsm/ interface\n");
	return 0;
}

static const char *errno_hint(const char *attr, int err)
{
	switch (err) {
	case ENOENT:
		return "the device has no TSM interface, or no TSM is registered";
	case EACCES:
	case EPERM:
		return "changing device security state needs root (CAP_SYS_ADMIN)";
	case EBUSY:
		return "the device is already bound to a TSM, or a driver is bound";
	case ENXIO:
		if (!strcmp(attr, "connect"))
			return "no such TSM, or it is not a link TSM (see 'mode' in list)";
		if (!strcmp(attr, "lock"))
			return "no such TSM, or it is not a devsec TSM (see 'mode' in list)";
		return "the device is not connected or locked";
	case EINVAL:
		if (!strcmp(attr, "accept"))
			return "the value is neither 1 nor the current evidence generation";
		return "the value was rejected";
	case ESTALE:
		return "the evidence changed since that generation: dump and verify again";
	default:
		return NULL;
	}
}

static int sysfs_write(const char *dev, const char *attr, const char *val)
{
	const char *hint;
	char path[4096];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/tsm/%s",
		 sysfs_root(), dev, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		goto fail;
	}
	n = write(fd, val, strlen(val));
	err = n < 0 ? errno : 0;
	if (close(fd) && !err)
		err = errno;
	if (!err && n != (ssize_t)strlen(val))
		err = EIO;
	if (!err)
		return 0;
fail:
	hint = errno_hint(attr, err);
	fprintf(stderr, "%s: %s %s %s: %s: %s%s%s\n", prog, attr, dev, val, path,
		strerror(err), hint ? ": " : "", hint ? hint : "");
	return 1;
}

static int valid_tsm(const char *s)
{
	if (strncmp(s, "tsm", 3) || !s[3])
		return 0;
	for (s += 3; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int cmd_state(int argc, char **argv)
{
	const char *op = argv[0], *dev, *arg = NULL;
	char path[4096], cur[64];
	int rc;

	if (argc < 2 || argc > 3 || !valid_name(argv[1])) {
		fprintf(stderr, "usage: %s %s DEV%s\n", prog, op,
			!strcmp(op, "connect") || !strcmp(op, "lock") ? " TSM" :
			!strcmp(op, "accept") ? " [GENERATION]" :
			!strcmp(op, "disconnect") ? " [TSM]" : "");
		return 2;
	}
	dev = argv[1];
	arg = argc == 3 ? argv[2] : NULL;

	if (!strcmp(op, "connect") || !strcmp(op, "lock")) {
		if (!arg || !valid_tsm(arg)) {
			fprintf(stderr, "%s: %s needs a TSM name like tsm0 (see %s list)\n",
				prog, op, prog);
			return 2;
		}
	} else if (!strcmp(op, "disconnect")) {
		if (!arg) {
			/* disconnect names the TSM the device is connected to */
			snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/tsm/connect",
				 sysfs_root(), dev);
			rc = read_attr(path, cur, sizeof(cur));
			if (rc || !cur[0]) {
				fprintf(stderr, "%s: disconnect %s: %s\n", prog, dev,
					rc ? strerror(-rc) : "not connected");
				return 1;
			}
			arg = cur;
		} else if (!valid_tsm(arg)) {
			fprintf(stderr, "%s: disconnect needs a TSM name like tsm0\n", prog);
			return 2;
		}
	} else if (!strcmp(op, "unlock")) {
		if (arg) {
			fprintf(stderr, "usage: %s unlock DEV\n", prog);
			return 2;
		}
		arg = "1";
	} else if (!strcmp(op, "accept")) {
		char *end;

		if (!arg)
			arg = "1";
		errno = 0;
		strtoull(arg, &end, 0);
		if (errno || *end || !*arg) {
			fprintf(stderr, "%s: accept takes 1 or an evidence generation number\n",
				prog);
			return 2;
		}
	}
	return sysfs_write(dev, op, arg);
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: %s COMMAND ...\n"
		"  list                              TSMs and PCI devices with their TSM state\n"
		"  connect DEV TSM                   connect DEV through a link TSM (tsmN)\n"
		"  disconnect DEV [TSM]              end the TSM session of DEV\n"
		"  lock DEV TSM                      lock DEV's interface through a devsec TSM\n"
		"  unlock DEV                        unlock DEV's interface\n"
		"  accept DEV [GENERATION]           accept a locked DEV (bound to a generation)\n"
		"  evidence dump DEV -o DIR          write DEV's evidence objects and summary.json\n"
		"  evidence dump --all -o DIR        the same for every device, in DIR/DEV/\n"
		"  evidence refresh DEV [--nonce HEX] [--slots N,...]\n"
		"                                    ask for fresh evidence bound to a nonce\n"
		"  evidence verify DIR [--root CA] [--nonce HEX] [--require-nonce] [--slot N]\n"
		"        [--check-time] [--ids IDS | --device BDF]\n"
		"                                    check chain, signatures and nonce; exit 0 all\n"
		"                                    verified and anchored to --root, 1 a check\n"
		"                                    failed, 2 usage, 3 file missing or malformed,\n"
		"                                    4 verified but unanchored (no --root)\n"
		"  chain verify FILE [--root CA] [--check-time] [--ids IDS | --device BDF]\n"
		"                                    validate DER certificates, root first\n"
		"  monitor                           print TSM event notifications\n", prog);
}

int main(int argc, char **argv)
{
	static const char * const state_ops[] = {
		"connect", "disconnect", "lock", "unlock", "accept",
	};

	if (argc < 2) {
		help(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 1, argv + 1);
	for (size_t i = 0; i < ARRAY_SIZE(state_ops); i++)
		if (!strcmp(argv[1], state_ops[i]))
			return cmd_state(argc - 1, argv + 1);
	if (!strcmp(argv[1], "evidence"))
		return cmd_evidence(argc - 1, argv + 1);
	if (!strcmp(argv[1], "monitor"))
		return cmd_monitor(argc - 1, argv + 1);
	if (!strcmp(argv[1], "chain"))
		return cmd_chain(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
	help(stderr);
	return 2;
}

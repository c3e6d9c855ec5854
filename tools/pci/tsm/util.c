// SPDX-License-Identifier: GPL-2.0
/*
 * pci-tsm: file, hex and JSON helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tsmtool.h"

void err_set(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ERRLEN, fmt, ap);
	va_end(ap);
}

/*
 * Read @name in the dump directory @dirfd, which whoever could write there
 * may have planted: a symlink is not followed (a dump never writes one),
 * and only a regular file of at most the object size limit is read. The
 * open does not block, so that a FIFO is refused by the fstat() check
 * instead of hanging the reader. Returns 0, -ENOENT if there is no such
 * file (@err set too), or another negative errno.
 */
int read_file_at(int dirfd, const char *name, uint8_t **data, size_t *len, char *err)
{
	struct stat st;
	uint8_t *buf;
	size_t done = 0;
	int fd, rc;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		if (rc == -ELOOP)
			err_set(err, "%s: is a symlink: refused, a dump has none", name);
		else
			err_set(err, "%s: %s", name, strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > EV_MAX_OBJECT_SIZE) {
		err_set(err, "%s: not a regular file of at most %u bytes: refused",
			name, EV_MAX_OBJECT_SIZE);
		close(fd);
		return -EINVAL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		err_set(err, "%s: out of memory", name);
		close(fd);
		return -ENOMEM;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n ? -errno : -EIO;
			err_set(err, "%s: %s", name,
				n ? strerror(errno) : "file shrank while reading");
			free(buf);
			close(fd);
			return rc;
		}
		done += n;
	}
	close(fd);
	*data = buf;
	*len = done;
	return 0;
}

/*
 * The dump is written as root, often below /tmp: a name an attacker
 * planted there (a symlink to /etc/shadow, a file of their own) must
 * never be written through. Each file is therefore new (O_EXCL), not a
 * symlink (O_NOFOLLOW), relative to a directory the dump created itself
 * (dir_create()), and readable by its owner only.
 */
int create_file_at(int dirfd, const char *name, char *err)
{
	int fd = openat(dirfd, name,
			O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		err_set(err, "%s: %s", name, strerror(errno));
	return fd;
}

int write_file_at(int dirfd, const char *name, const void *data, size_t len,
		  char *err)
{
	const uint8_t *p = data;
	int fd;

	fd = create_file_at(dirfd, name, err);
	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(err, "%s: %s", name, strerror(errno));
			close(fd);
			return -1;
		}
		p += n;
		len -= n;
	}
	if (close(fd) < 0) {
		err_set(err, "%s: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Create directory @path (relative to @atfd) for a dump and open it. It
 * must not exist: files of an older dump, or an attacker's, would mix with
 * the new ones. Opened without following a symlink, and checked to be the
 * caller's own directory, so that nobody swapped it in between.
 */
int dir_create(int atfd, const char *path, char *err)
{
	struct stat st;
	int fd;

	if (mkdirat(atfd, path, 0700)) {
		if (errno == EEXIST)
			err_set(err,
				"%s: already exists: a dump goes into a new directory (remove it or choose another name)",
				path);
		else
			err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	fd = openat(atfd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
		err_set(err, "%s: replaced while it was being created", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* The value of one hex digit, or -1 */
int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode exactly @outlen bytes of hex; returns 0 or -1 */
int hex_decode(const char *hex, uint8_t *out, size_t outlen)
{
	size_t i;

	if (strlen(hex) != 2 * outlen)
		return -1;
	for (i = 0; i < outlen; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = hi << 4 | lo;
	}
	return 0;
}

void hex_print(FILE *f, const uint8_t *p, size_t len)
{
	while (len--)
		fprintf(f, "%02x", *p++);
}

/* Print @s as a JSON string; device-provided text is escaped, never trusted */
void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

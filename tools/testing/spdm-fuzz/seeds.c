// SPDX-License-Identifier: GPL-2.0
/*
 * Write the seed corpus: the responses of the exchanges that the KUnit
 * tests replay (lib/spdm/tests/), in the fuzz input format of fuzz.h.
 *
 *   spdm-seeds DIR
 *
 * For each recorded exchange: one seed with its responses, and one with
 * them followed by a second authentication that reuses the cached
 * certificate chain (the same responses without CERTIFICATE).
 */
#include <sys/stat.h>
#include "fuzz.h"
#include "../../../lib/spdm/tests/spdm_test_vectors.h"

struct seed_vector {
	const char *name;
	const struct spdm_test_msg *msgs;
	unsigned int num_msgs;
	u8 hdr[FUZZ_HDR_SIZE];
};

/* Offered 1.3, summary of all measurements, slot 0 only, ECDSA P-384 */
#define SEED(n, portion_lo, portion_hi)				\
	{ #n, n##_msgs, ARRAY_SIZE(n##_msgs),				\
	  { 0x03 | 2 << 2, 2, 0, 0, portion_lo, portion_hi } }

static const struct seed_vector seed_vectors[] = {
	SEED(v12_p384_sha384, 0, 0),
	SEED(v12_p384_sha384_portion1024, 0x00, 0x04),
};

static void put_msgs(FILE *f, const struct seed_vector *v, bool skip_cert)
{
	unsigned int i;

	for (i = 1; i < v->num_msgs; i += 2) {
		const struct spdm_test_msg *m = &v->msgs[i];
		u8 len[2] = { m->len & 0xff, m->len >> 8 };

		/* the request before it says what it answers */
		if (skip_cert && v->msgs[i - 1].data[1] == 0x82)
			continue;
		fwrite(len, 1, 2, f);
		fwrite(m->data, 1, m->len, f);
	}
}

static int write_seed(const char *dir, const struct seed_vector *v,
		      bool cached)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%s", dir, v->name,
		 cached ? "-cached" : "");
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	fwrite(v->hdr, 1, sizeof(v->hdr), f);
	put_msgs(f, v, false);
	if (cached)
		put_msgs(f, v, true);
	return fclose(f);
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	mkdir(argv[1], 0755);
	for (i = 0; i < ARRAY_SIZE(seed_vectors); i++)
		if (write_seed(argv[1], &seed_vectors[i], false) ||
		    write_seed(argv[1], &seed_vectors[i], true))
			return 1;
	return 0;
}

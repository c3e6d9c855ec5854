// SPDX-License-Identifier: GPL-2.0
/*
 * Run fuzz inputs without libFuzzer (any C compiler, with sanitizers):
 *
 *   spdm-replay [-v] [-s] FILE...
 *
 * Prints the result of each authentication round per file.  -v shows
 * lib/spdm's log messages; -s requires every file's first round to
 * succeed (the seed corpus must authenticate, or the harness would no
 * longer reach past the first messages).
 */
#include "fuzz.h"

int main(int argc, char **argv)
{
	bool want_ok = false;
	int i, bad = 0, n = 0;

	for (i = 1; i < argc; i++) {
		static u8 buf[1 << 20];
		size_t len;
		FILE *f;

		if (!strcmp(argv[i], "-v")) {
			shim_verbose = true;
			continue;
		}
		if (!strcmp(argv[i], "-s")) {
			want_ok = true;
			continue;
		}
		f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 2;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		n++;
		printf("%s: %d %d\n", argv[i], fuzz_rc[0], fuzz_rc[1]);
		if (want_ok && fuzz_rc[0])
			bad++;
	}
	printf("%d inputs, %d failed\n", n, bad);
	return bad ? 1 : 0;
}

# SPDX-License-Identifier: GPL-2.0
# PCI TSM series: an overlay of the Linux tree. See README.md.
#
# Every target installs and fetches what it needs (scripts/deps.sh,
# scripts/fetch-base.sh); output goes to build/, logs to build/logs/.

S := scripts

.PHONY: help deps tree sync kernel kunit selftest static series check demo bench clean distclean

help:
	@echo 'PCI TSM series: targets'
	@echo '  make demo      boot the guest and show the TSM story (the main job)'
	@echo '  make check     every test: series, checkpatch, sparse, W=1, KUnit, guest selftests'
	@echo '  make bench     benchmarks in the guest (numbers, not pass/fail)'
	@echo '  make series    write the mailable series to build/series/'
	@echo '  make tree      assemble build/linux: the base plus one commit per patch'
	@echo '  make sync      turn commits made in build/linux back into patches/ and files'
	@echo '  make kernel    build the guest kernel (build/kernel)'
	@echo '  make kunit     run the KUnit suites (kunit.py, x86_64 under QEMU)'
	@echo '  make selftest  run the kselftests in the QEMU guest'
	@echo '  make static    sparse (C=2) and W=1 on the series files'
	@echo '  make deps      install the Debian packages (idempotent)'
	@echo '  make clean     remove build/ (the cached base and ccache stay)'

deps:
	@$(S)/deps.sh
tree:
	@$(S)/run.sh tree
sync:
	@$(S)/sync.sh
kernel:
	@$(S)/run.sh kernel
kunit:
	@$(S)/run.sh kunit
selftest:
	@$(S)/run.sh selftest
static:
	@$(S)/run.sh static
series:
	@$(S)/run.sh series
check:
	@$(S)/run.sh check
demo:
	@$(S)/run.sh demo
bench:
	@$(S)/run.sh bench
clean:
	rm -rf build

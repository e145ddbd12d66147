# The iommupt series and the harness that proves it. See README.md.
#
#   make run      build the arm64 kernel and run the IOMMU KUnit suites on
#                 QEMU virt with an emulated SMMUv3 (the main job)
#   make test     the whole KUnit matrix, then the static checks but the
#                 per-prefix builds (CI)
#   make check    the static checks alone, every prefix built
#   make bench    the benchmarks
#   make tree     build/linux: the base plus the series, one commit a patch
#   make export   write series/ back from build/linux
#
# KERNEL_SRC=/path/to/linux make tree   applies the series onto that tree.

SHELL := /bin/bash
MATRIX := $(shell sed -n 's/^\[\(.*\)\]$$/\1/p' kunit/matrix.conf)

.PHONY: all deps base tree export run test check bench clean help

all: help

help:
	@sed -n 's/^#   //p; s/^# \(KERNEL_SRC\)/\1/p' Makefile

deps:
	@scripts/deps.sh

base: deps
	@scripts/base.sh >/dev/null

tree: deps
	@scripts/tree.sh

export:
	@scripts/export.sh

run: tree
	@scripts/matrix.py run arm64; scripts/matrix.py summary arm64

test: tree
	@scripts/matrix.py run $(MATRIX) || true
	@CHECK_BISECT=0 scripts/check.sh || true
	@scripts/matrix.py summary $(MATRIX) check

check: tree
	@scripts/check.sh; scripts/matrix.py summary check

bench: tree
	@scripts/bench.sh
	@scripts/bench-iommu.sh

clean:
	rm -rf build/kunit build/results build/check build/bench

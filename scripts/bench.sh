#!/usr/bin/env bash
# make bench: the benchmarks, printed as tables of ratios against the baseline
# measured in the same run (never a pass/fail on a time).
#
#  - armv8: the iommupt ARMv8 format against io-pgtable-arm, iommu_map() and
#    iommu_unmap() times per call, from the armv8_bench KUnit suite under UML
#    (native speed). The kernel is the one the patches name:
#
#      tools/testing/kunit/kunit.py run --kunitconfig=drivers/iommu/generic_pt \
#        --kconfig_add CONFIG_DEBUG_GENERIC_PT=n \
#        --kconfig_add CONFIG_IOMMU_PT_ARMV8_BENCH=y \
#        --kconfig_add CONFIG_WERROR=n \
#        --kconfig_add CONFIG_INIT_STACK_ALL_ZERO=y \
#        --kconfig_add CONFIG_RANDSTRUCT_NONE=y 'armv8_bench'
#
#    built twice, with gcc and with clang (LLVM=-19: Debian's clang-19, the
#    default clang 14 is older than the kernel's minimum). Each is booted
#    BENCH_RUNS times (default 3), the two interleaved; each boot interleaves
#    both page tables, and the table gives the median over the boots of each
#    time and of each ratio.
#
#    BENCH_CC="gcc" (or "clang") measures one compiler only.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$tree" ] || die "no build/linux; run 'make tree' first"
export CCACHE_DIR=${CCACHE_DIR:-$build/ccache} CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
runs=${BENCH_RUNS:-3}
ccs=(${BENCH_CC:-gcc clang})
out=$build/bench
mkdir -p "$out" "$build/results"
kunit=("$tree/tools/testing/kunit/kunit.py")

# clang is only needed here: installed on first use, not by deps.sh
if [[ " ${ccs[*]} " == *" clang "* ]] && ! command -v clang-19 >/dev/null; then
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	echo "== bench: installing clang-19 and lld-19"
	$SUDO apt-get -qq install -y --no-install-recommends clang-19 lld-19 \
		llvm-19 >/dev/null || die "could not install clang-19"
fi

for cc in "${ccs[@]}"; do
	case $cc in
	gcc) mo=("--make_options=CC=ccache gcc") ;;
	clang) mo=(--make_options=LLVM=-19 "--make_options=CC=ccache clang-19") ;;
	*) die "BENCH_CC: gcc or clang, not $cc" ;;
	esac
	echo "== bench: building UML with $cc"
	python3 "${kunit[@]}" build --build_dir="$out/um-$cc" \
		--kunitconfig="$tree/drivers/iommu/generic_pt" \
		--kconfig_add CONFIG_DEBUG_GENERIC_PT=n \
		--kconfig_add CONFIG_IOMMU_PT_ARMV8_BENCH=y \
		--kconfig_add CONFIG_WERROR=n \
		--kconfig_add CONFIG_INIT_STACK_ALL_ZERO=y \
		--kconfig_add CONFIG_RANDSTRUCT_NONE=y \
		--jobs="$(nproc)" "${mo[@]}" >"$out/build-$cc.log" 2>&1 ||
		die "the $cc bench kernel does not build (see $out/build-$cc.log)"
done

for i in $(seq 1 "$runs"); do
	for cc in "${ccs[@]}"; do
		echo "== bench: armv8 $cc run $i of $runs"
		python3 "${kunit[@]}" exec --build_dir="$out/um-$cc" \
			--raw_output=all 'armv8_bench*' >"$out/armv8-$cc.$i.log" 2>&1 ||
			die "the bench run failed (see $out/armv8-$cc.$i.log)"
	done
done

python3 - "$out" "$runs" "${ccs[@]}" <<'PY' | tee "$build/results/bench-armv8.txt"
import re, statistics, sys
out, runs, ccs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows, order = {}, []
for cc in ccs:
    for i in range(1, runs + 1):
        for line in open(f'{out}/armv8-{cc}.{i}.log', errors='replace'):
            m = re.search(r'bench: (\S+) (map|unmap) (\d+) (\d+) ([\d.]+)', line)
            if not m:
                continue
            key = (m.group(1), m.group(2))
            if key not in order:
                order.append(key)
            rows.setdefault((cc, key), []).append(
                (int(m.group(3)), int(m.group(4)), float(m.group(5))))
if not rows:
    sys.exit('bench: no results in the logs')
med = statistics.median
print()
print('ARMv8 page table: iommupt against io-pgtable-arm, 4K granule, stage 1,')
print(f'ns per call, median of {runs} runs (ratio = io-pgtable-arm / iommupt,')
print('above 1 means iommupt is faster)')
print()
head = f'{"row":<13} {"op":<6}'
for cc in ccs:
    head += f' {cc + " iommupt":>14} {"io-pgtable":>10} {"ratio":>6}'
print(head)
for key in order:
    line = f'{key[0]:<13} {key[1]:<6}'
    for cc in ccs:
        v = rows.get((cc, key), [(0, 0, 0)])
        line += (f' {med(x[0] for x in v):>14.0f} {med(x[1] for x in v):>10.0f}'
                 f' {med(x[2] for x in v):>6.2f}')
    print(line)
PY

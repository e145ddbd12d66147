#!/usr/bin/env bash
# make bench: the benchmarks, printed as tables of ratios against the baseline
# measured in the same run (never a pass/fail on a time).
#
#  - armv8: the iommupt ARMv8 format against io-pgtable-arm, iommu_map() and
#    iommu_unmap() times per call, from the armv8_bench KUnit suite under UML
#    (native speed, no DEBUG_GENERIC_PT). The suite is booted BENCH_RUNS times
#    (default 3); each boot interleaves both sides, and the table gives the
#    median over the boots of each time and of each ratio.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$tree" ] || die "no build/linux; run 'make tree' first"
export CCACHE_DIR=${CCACHE_DIR:-$build/ccache} CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
runs=${BENCH_RUNS:-3}
out=$build/bench
mkdir -p "$out/um" "$build/results"
kunit=("$tree/tools/testing/kunit/kunit.py")

echo "== bench: building UML with kunit/bench.kunitconfig"
python3 "${kunit[@]}" build --build_dir="$out/um" \
	--kunitconfig="$top/kunit/bench.kunitconfig" --jobs="$(nproc)" \
	--make_options="CC=ccache gcc" >"$out/build.log" 2>&1 ||
	die "the bench kernel does not build (see $out/build.log)"

for i in $(seq 1 "$runs"); do
	echo "== bench: armv8 run $i of $runs"
	python3 "${kunit[@]}" exec --build_dir="$out/um" --raw_output=all \
		'armv8_bench*' >"$out/armv8.$i.log" 2>&1 ||
		die "the bench run failed (see $out/armv8.$i.log)"
done

python3 - "$out" "$runs" <<'PY' | tee "$build/results/bench-armv8.txt"
import re, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
rows = {}
order = []
for i in range(1, runs + 1):
    for line in open(f'{out}/armv8.{i}.log', errors='replace'):
        m = re.search(r'bench: (\S+) (map|unmap) (\d+) (\d+) ([\d.]+) ([\d.]+)', line)
        if not m:
            continue
        key = (m.group(1), m.group(2))
        if key not in rows:
            rows[key] = []
            order.append(key)
        rows[key].append((int(m.group(3)), int(m.group(4)),
                          float(m.group(5))))
if not rows:
    sys.exit('bench: no results in the logs')
med = statistics.median
print()
print('ARMv8 page table: iommupt against io-pgtable-arm, 4K granule, stage 1,')
print(f'ns per call, median of {runs} runs (ratio = io-pgtable-arm / iommupt,')
print('above 1 means iommupt is faster)')
print()
print(f'{"row":<13} {"op":<6} {"iommupt":>8} {"io-pgtable":>11} {"ratio":>6}')
for key in order:
    v = rows[key]
    print(f'{key[0]:<13} {key[1]:<6} {med(x[0] for x in v):>8.0f} '
          f'{med(x[1] for x in v):>11.0f} {med(x[2] for x in v):>6.2f}')
PY

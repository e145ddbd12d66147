#!/usr/bin/env bash
# make bench, part 2: the invalidation commands the SMMUv3 driver sends per
# unmap, before and after the series' SMMUv3 invalidation patches.
#
#  - before: the parent of "iommu/arm-smmu-v3: Pass the parameters for the
#    invalidation in a struct" (the base driver, plus the tests that count);
#    after: the tip of build/linux. Both are built for arm64 with
#    kunit/bench-inv.kunitconfig, in work trees of their own.
#  - KUnit: the arm-smmu-v3-inv workloads on a fake SMMU with and without
#    range invalidation (RIL), commands captured from the command queue
#    ("inv_count" lines).
#  - QEMU: the iommu-edu workloads on QEMU's SMMUv3 (which has RIL), the
#    commands counted from QEMU's trace on the host (scripts/inv-count.py).
#  - Stack: the frames of the iotlb_sync() call chain, from
#    scripts/checkstack.pl on arm-smmu-v3.o built with defconfig.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$tree" ] || die "no build/linux; run 'make tree' first"
export CCACHE_DIR=${CCACHE_DIR:-$build/ccache} CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export PATH=$top/scripts/qemu:$PATH
out=$build/bench/inv
mkdir -p "$out" "$build/results"

first_subject='iommu/arm-smmu-v3: Pass the parameters for the invalidation in a struct'
head=$(git -C "$tree" rev-parse HEAD)
first=$(git -C "$tree" log --format='%H %s' "$base_ref..$head" |
	awk -v s="$first_subject" '{ h = $1; sub(/^[^ ]+ /, "") } $0 == s { print h }')
[ -n "$first" ] || die "no commit \"$first_subject\" in build/linux"
declare -A commit=([before]=$(git -C "$tree" rev-parse "$first^") [after]=$head)

trace_events=(memory_region_ops_write smmuv3_cmdq_opcode smmuv3_range_inval)
qemu_args=""
for e in "${trace_events[@]}"; do qemu_args+="-trace enable=$e "; done

for side in before after; do
	src=$out/src-$side
	if [ ! -e "$src/.git" ]; then
		rm -rf "$src"
		git -C "$tree" worktree prune
		git -C "$tree" worktree add -q --detach "$src" "${commit[$side]}"
	fi
	git -C "$src" checkout -q --detach "${commit[$side]}"
	echo "== bench: $side: $(git -C "$src" log -1 --format='%h %s')"
	kunit=(python3 "$src/tools/testing/kunit/kunit.py")
	bd=$out/arm64-$side
	common=(--build_dir="$bd" --qemu_config="$top/kunit/qemu_arm64.py"
		--cross_compile=aarch64-linux-gnu-)
	(cd "$src" && "${kunit[@]}" build "${common[@]}" \
		--kunitconfig="$top/kunit/bench-inv.kunitconfig" \
		--jobs="$(nproc)" --make_options="CC=ccache aarch64-linux-gnu-gcc") \
		>"$out/build-$side.log" 2>&1 ||
		die "the $side kernel does not build (see $out/build-$side.log)"

	echo "== bench: $side: KUnit, captured command queue"
	(cd "$src" && "${kunit[@]}" exec "${common[@]}" --raw_output=all \
		'arm-smmu-v3-inv.arm_smmu_v3_inv_test_workload') \
		>"$out/kunit-$side.log" 2>&1 ||
		die "the $side KUnit workloads failed (see $out/kunit-$side.log)"

	echo "== bench: $side: QEMU SMMUv3, traced"
	rm -f "$out/trace-$side.log"
	(cd "$src" && "${kunit[@]}" exec "${common[@]}" --raw_output=all \
		--qemu_args="$qemu_args -D $out/trace-$side.log" \
		'iommu-edu.edu_test_workloads') >"$out/qemu-$side.log" 2>&1 ||
		die "the $side QEMU workloads failed (see $out/qemu-$side.log)"
	python3 "$top/scripts/inv-count.py" "$out/trace-$side.log" \
		"$out/qemu-$side.log" >"$out/qemu-$side.json"

	echo "== bench: $side: stack of the invalidation path (defconfig)"
	sd=$out/stack-$side
	mkdir -p "$sd"
	{
		make -C "$src" -s O="$sd" ARCH=arm64 \
			CROSS_COMPILE=aarch64-linux-gnu- defconfig
		"$src/scripts/kconfig/merge_config.sh" -m -O "$sd" "$sd/.config" \
			<(printf 'CONFIG_ARM_SMMU_V3=y\nCONFIG_ARM_SMMU_V3_SVA=y\n')
		make -C "$src" -s O="$sd" ARCH=arm64 \
			CROSS_COMPILE=aarch64-linux-gnu- olddefconfig
		make -C "$src" -s O="$sd" ARCH=arm64 \
			CROSS_COMPILE=aarch64-linux-gnu- \
			CC="ccache aarch64-linux-gnu-gcc" -j"$(nproc)" \
			drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.o
	} >"$out/stack-build-$side.log" 2>&1 ||
		die "arm-smmu-v3.o does not build (see $out/stack-build-$side.log)"
	aarch64-linux-gnu-objdump -d "$sd/drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.o" |
		perl "$src/scripts/checkstack.pl" arm64 0 >"$out/stack-$side.txt"
done

python3 - "$out" <<'PY' | tee "$build/results/bench-inv.txt"
import json, re, sys
out = sys.argv[1]

def kunit(side):
    res = {}
    for line in open(f'{out}/kunit-{side}.log', errors='replace'):
        m = re.search(r'inv_count (\S+) (ril|no_ril) tlbi=(\d+) sync=(\d+)',
                      line)
        if m:
            res[(m.group(1), m.group(2))] = (int(m.group(3)), int(m.group(4)))
    return res

def ratio(b, a):
    return f'{b / a:.1f}x' if a else '-'

print()
print('SMMUv3 invalidation commands per unmap, before and after the series')
print('(before: the base driver; TLBI = invalidation commands, SYNC = CMD_SYNC)')
print()
print('KUnit, fake SMMU, captured command queue:')
kb, ka = kunit('before'), kunit('after')
print(f'{"workload":<28} {"SMMU":<7} {"before":>15} {"after":>15} {"fewer":>7}')
for key in kb:
    (bt, bs), (at, as_) = kb[key], ka.get(key, (0, 0))
    print(f'{key[0]:<28} {key[1]:<7} {f"{bt} TLBI {bs} SYNC":>15} '
          f'{f"{at} TLBI {as_} SYNC":>15} {ratio(bt + bs, at + as_):>7}')

print()
print('QEMU SMMUv3 (RIL), commands from its trace, edu DMA workloads:')
qb = json.load(open(f'{out}/qemu-before.json'))
qa = json.load(open(f'{out}/qemu-after.json'))
print(f'{"workload":<28} {"before":>15} {"after":>15} {"fewer":>7}  after: pages per range command')
for name in qb:
    b, a = qb[name], qa.get(name, {})
    bt, bs = b['invalidations'], b.get('SYNC', 0)
    at, as_ = a.get('invalidations', 0), a.get('SYNC', 0)
    print(f'{name:<28} {f"{bt} TLBI {bs} SYNC":>15} {f"{at} TLBI {as_} SYNC":>15} '
          f'{ratio(bt + bs, at + as_):>7}  {a.get("range_pages", "")}')

chain = ['arm_smmu_iotlb_sync', 'arm_smmu_domain_inv_range',
         '__arm_smmu_domain_inv_range', 'arm_smmu_inv_to_cmdq_batch',
         'arm_smmu_cmdq_batch_add_range', 'arm_smmu_cmdq_batch_add_cmd_p',
         'arm_smmu_cmdq_issue_cmdlist', '__arm_smmu_cmdq_issue_cmdlist']
def stack(side):
    frames = {}
    for line in open(f'{out}/stack-{side}.txt'):
        m = re.search(r'\s(\S+?)(?:\.(?:isra|constprop|part)\.\d+)* '
                      r'\[arm-smmu-v3\.o\]:\s*(\d+)', line)
        if m:
            frames[m.group(1)] = max(frames.get(m.group(1), 0), int(m.group(2)))
    return frames
sb, sa = stack('before'), stack('after')
print()
print('Stack of the iotlb_sync() call chain, arm64 defconfig, bytes '
      '(scripts/checkstack.pl; a function not listed is inlined or has no frame):')
for f in chain:
    if f in sb or f in sa:
        print(f'  {f:<32} {sb.get(f, "-"):>6} {sa.get(f, "-"):>6}')
tb = sum(sb.get(f, 0) for f in chain)
ta = sum(sa.get(f, 0) for f in chain)
print(f'  {"total":<32} {tb:>6} {ta:>6}  ({ta - tb:+d})')
PY

#!/usr/bin/env bash
# make bench, part 2: the commands the IOMMU drivers send to QEMU's emulated
# IOMMUs, counted from QEMU's trace on the host (scripts/inv-count.py).
#
#  1. SMMUv3 invalidation, before and after the series' SMMUv3 invalidation
#     patches ("before": the parent of "iommu/arm-smmu-v3: Pass the
#     parameters for the invalidation in a struct", the base driver plus the
#     tests that count): the arm-smmu-v3-inv KUnit workloads on a fake SMMU
#     with and without range invalidation (commands captured from the command
#     queue), the iommu-edu workloads on QEMU's SMMUv3, and the stack of the
#     iotlb_sync() call chain (scripts/checkstack.pl, arm64 defconfig).
#  2. The iommu-edu workloads on every emulated IOMMU, with the series:
#     SMMUv3, RISC-V IOMMU, VT-d legacy and VT-d scalable (first stage).
#  3. Direct I/O to an nvme disk (bench/nvme-dio.c as init), lazy
#     (iommu.strict=0) and strict, before and after "iommu/dma: Defer
#     dma_iova_destroy()'s invalidation to the flush queue", on SMMUv3 and
#     VT-d.
#
# One work tree (build/bench/iommu/src) is checked out at each version in
# turn and built incrementally, one build directory per architecture.
# Results: build/results/bench-iommu.txt.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$tree" ] || die "no build/linux; run 'make tree' first"
export CCACHE_DIR=${CCACHE_DIR:-$build/ccache} CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export PATH=$top/scripts/qemu:$PATH
out=$build/bench/iommu
src=$out/src
mkdir -p "$out" "$build/results"

commit_of() { # SUBJECT: the commit of the series with that subject
	git -C "$tree" log --format='%H %s' "$base_ref..HEAD" |
		awk -v s="$1" '{ h = $1; sub(/^[^ ]+ /, "") } $0 == s { print h }'
}
inv_first=$(commit_of 'iommu/arm-smmu-v3: Pass the parameters for the invalidation in a struct')
fq_fix=$(commit_of "iommu/dma: Defer dma_iova_destroy()'s invalidation to the flush queue")
[ -n "$inv_first" ] && [ -n "$fq_fix" ] ||
	die "build/linux lacks the SMMUv3 invalidation or the dma-iommu patches"
declare -A commit=([after]=$(git -C "$tree" rev-parse HEAD)
		   [before-inv]=$(git -C "$tree" rev-parse "$inv_first^")
		   [before-fq]=$(git -C "$tree" rev-parse "$fq_fix^"))

if [ ! -e "$src/.git" ]; then
	rm -rf "$src"
	git -C "$tree" worktree prune
	git -C "$tree" worktree add -q --detach "$src" "${commit[after]}"
fi

declare -A cross=([arm64]=aarch64-linux-gnu- [riscv64]=riscv64-linux-gnu- [x86_64]=)
declare -A karch=([arm64]=arm64 [riscv64]=riscv [x86_64]=x86_64)
declare -A frags=([arm64]="iommupt arm64 bench-nvme" [riscv64]="iommupt riscv64"
		  [x86_64]="iommupt x86_64 bench-nvme")
declare -A events=([arm64]="smmuv3_cmdq_opcode smmuv3_range_inval"
		   [riscv64]="riscv_iommu_cmd" [x86_64]="vtd_inv_desc*")

kunit() { (cd "$src" && python3 tools/testing/kunit/kunit.py "$@"); }
kargs() { # ARCH: the kunit.py arguments every call takes
	echo "--build_dir=$out/$1 --qemu_config=$top/kunit/qemu_$1.py" \
		"${cross[$1]:+--cross_compile=${cross[$1]}}"
}
trace_args() { # ARCH TRACE [EVENT...]
	local a=$1 t=$2 e
	shift 2
	for e in ${events[$a]} "$@"; do printf -- '-trace enable=%s ' "$e"; done
	printf -- '-D %s' "$t"
}

# The kunitconfig fragments of ARCH, without the options that the version
# checked out in $src does not define yet (the suites of later patches), on
# stdout
kunitconfig() { # ARCH
	local f l sym
	for f in ${frags[$1]}; do cat "$top/kunit/$f.kunitconfig"; done |
	while IFS= read -r l; do
		sym=${l%%=*}
		sym=${sym#CONFIG_}
		if [[ $l == CONFIG_* ]] &&
		   ! git -C "$src" grep -qE "^[[:space:]]*(menu)?config $sym\$" -- '*Kconfig*'; then
			continue
		fi
		printf '%s\n' "$l"
	done
}

build() { # ARCH VERSION
	local a=$1 v=$2 kc=$out/kunitconfig-$1-$2
	git -C "$src" checkout -q --detach "${commit[$v]}"
	echo "== bench: $a: $v: $(git -C "$src" log -1 --format='%h %s')"
	kunitconfig "$a" >"$kc"
	# shellcheck disable=SC2046
	kunit build $(kargs "$a") --kunitconfig="$kc" --jobs="$(nproc)" \
		--make_options="CC=ccache ${cross[$a]}gcc" >"$out/build-$a-$v.log" 2>&1 ||
		die "the $v kernel does not build for $a (see $out/build-$a-$v.log)"
}

edu() { # ARCH VERSION NAME "KERNEL ARGS" "QEMU ARGS": traced edu workloads
	local a=$1 v=$2 n=$3 k ka=()
	local t=$out/trace-edu-$n-$v.log c=$out/console-edu-$n-$v.log
	for k in $4; do ka+=("--kernel_args=$k"); done
	echo "== bench: $a: $v: edu workloads on $n, traced"
	rm -f "$t"
	# shellcheck disable=SC2046
	kunit exec $(kargs "$a") --raw_output=all --timeout=1200 "${ka[@]}" \
		--qemu_args="$5 $(trace_args "$a" "$t" memory_region_ops_write)" \
		'iommu-edu.edu_test_workloads' >"$c" 2>&1 ||
		die "the edu workloads failed on $n, $v (see $c)"
	python3 "$top/scripts/inv-count.py" "$t" "$c" >"$out/edu-$n-$v.json"
}

smmu_kunit() { # VERSION: the arm-smmu-v3-inv workloads, captured command queue
	echo "== bench: arm64: $1: KUnit workloads, captured command queue"
	# shellcheck disable=SC2046
	kunit exec $(kargs arm64) --raw_output=all --timeout=1200 \
		'arm-smmu-v3-inv.arm_smmu_v3_inv_test_workload' \
		>"$out/kunit-inv-$1.log" 2>&1 ||
		die "the $1 KUnit workloads failed (see $out/kunit-inv-$1.log)"
}

initrd() { # ARCH: an initramfs whose init is bench/nvme-dio.c (nolibc)
	local a=$1
	local h=$out/hdr-$a
	make -C "$src" -s O="$h" ARCH="${karch[$a]}" headers_install \
		INSTALL_HDR_PATH="$h/usr" >/dev/null
	"${cross[$a]}gcc" -Os -static -nostdlib -nostdinc -fno-stack-protector \
		-I "$src/tools/include/nolibc" -I "$h/usr/include" \
		-include nolibc.h -o "$out/nvme-dio-$a" "$top/bench/nvme-dio.c" -lgcc
	printf '%s\n' 'dir /dev 0755 0 0' 'nod /dev/console 0600 0 0 c 5 1' \
		"file /init $out/nvme-dio-$a 0755 0 0" >"$out/initrd-$a.list"
	"$out/$a/usr/gen_init_cpio" "$out/initrd-$a.list" >"$out/initrd-$a.cpio"
}

nvme() { # ARCH VERSION MODE: the nvme direct I/O, traced
	local a=$1 v=$2 m=$3 n=nvme-$1-$3-$2 q
	local t=$out/trace-$n.log c=$out/console-$n.log
	local append="printk.time=1 kunit.enable=0 rdinit=/init"
	append+=" iommu.strict=$([ "$m" = strict ] && echo 1 || echo 0)"
	case $a in
	arm64) q=(qemu-system-aarch64 -machine virt,iommu=smmuv3
		  -cpu max,pauth-impdef=on -kernel "$out/$a/arch/arm64/boot/Image.gz")
	       append+=" console=ttyAMA0" ;;
	x86_64) q=(qemu-system-x86_64 -bios qboot.rom
		   -machine q35,kernel-irqchip=split -device intel-iommu,intremap=on
		   -kernel "$out/$a/arch/x86/boot/bzImage")
		append+=" console=ttyS0 intel_iommu=on" ;;
	esac
	echo "== bench: $a: $v: nvme direct I/O, $m, traced"
	rm -f "$t" "$out/disk-$a.img"
	truncate -s 64M "$out/disk-$a.img"
	# shellcheck disable=SC2046
	timeout 1200 "${q[@]}" -nodefaults -m 1024 -smp 2 -no-reboot -nographic \
		-serial stdio -initrd "$out/initrd-$a.cpio" -append "$append" \
		-drive "file=$out/disk-$a.img,if=none,id=nvm,format=raw" \
		-device nvme,serial=bench,drive=nvm \
		$(trace_args "$a" "$t" pci_nvme_read) >"$c" 2>&1 || true
	grep -q '^nvme_dio requests' <(tr -d '\r' <"$c" | sed 's/^\[[^]]*\] //') ||
		die "the nvme workload did not finish ($n, see $c)"
	python3 "$top/scripts/inv-count.py" "$t" "$c" >"$out/$n.json"
}

stack() { # VERSION: checkstack of arm-smmu-v3.o, arm64 defconfig
	local v=$1 sd=$out/stack
	git -C "$src" checkout -q --detach "${commit[$v]}"
	echo "== bench: arm64: $v: stack of the invalidation path (defconfig)"
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
	} >"$out/stack-build-$v.log" 2>&1 ||
		die "arm-smmu-v3.o does not build (see $out/stack-build-$v.log)"
	aarch64-linux-gnu-objdump -d "$sd/drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.o" |
		perl "$src/scripts/checkstack.pl" arm64 0 >"$out/stack-$v.txt"
}

fs_qemu="-global intel-iommu.x-scalable-mode=on -global intel-iommu.x-flts=on"

build arm64 after
smmu_kunit after
edu arm64 after smmuv3 "" ""
initrd arm64
nvme arm64 after lazy
nvme arm64 after strict
build arm64 before-fq
nvme arm64 before-fq lazy
nvme arm64 before-fq strict
build arm64 before-inv
smmu_kunit before-inv
edu arm64 before-inv smmuv3 "" ""

build x86_64 after
edu x86_64 after vtd "" ""
edu x86_64 after vtd-fs "intel_iommu=sm_on" "$fs_qemu"
initrd x86_64
nvme x86_64 after lazy
nvme x86_64 after strict
build x86_64 before-fq
nvme x86_64 before-fq lazy
nvme x86_64 before-fq strict

build riscv64 after
edu riscv64 after riscv "iommu_edu_test.superpages=0" ""

stack before-inv
stack after

python3 "$top/scripts/bench-iommu-table.py" "$out" | tee "$build/results/bench-iommu.txt"

#!/usr/bin/env python3
"""Count the invalidation commands an IOMMU driver sent, per workload.

  inv-count.py TRACE CONSOLE     print a JSON object: workload -> counts

TRACE is QEMU's trace log (-D) of a run of workloads, with these events
enabled:

  memory_region_ops_write      the markers of the iommu-edu KUnit suite: the
                               guest writes 0x5eedNNNN to the edu device's
                               liveness register before (even N) and after
                               (odd N) each workload
  pci_nvme_read                the markers of bench/nvme-dio.c: it reads a
                               block at a given LBA before and after
  smmuv3_cmdq_opcode           SMMUv3: one line per command
  smmuv3_range_inval           SMMUv3: the pages a range TLBI covers (QEMU
                               splits a command into power of 2 chunks)
  vtd_inv_desc*                VT-d: one line per descriptor, plus its kind
                               (PASID-based IOTLB invalidations: only the
                               descriptor)
  riscv_iommu_cmd              RISC-V IOMMU: the raw command dwords

CONSOLE is the kernel log of the same run: its "inv_workload NAME markers
A B" lines name the workloads (A and B are 0x5eedNNNN or lba:0xNNNN).

The counts of a workload are the commands between its two markers, by kind
("TLBI_NH_VA", "SYNC", "IOTINVAL.VMA", ...), with "commands" the total and
"invalidations" the total less the syncs and fences.
"""
import json
import re
import sys

MARKER = re.compile(r"memory_region_ops_write .* value (0x5eed[0-9a-f]{4}) "
                    r"size 4 name 'edu-mmio'")
NVME_MARKER = re.compile(r'pci_nvme_read .*lba 0x([0-9a-f]+)')
SMMU_OP = re.compile(r'smmuv3_cmdq_opcode <--- SMMU_CMD_(\S+)')
SMMU_RANGE = re.compile(r'smmuv3_range_inval .*num_pages=0x([0-9a-f]+)')
VTD_KIND = re.compile(r'(vtd_inv_desc_(iotlb_(?:global|domain|pages|pasid_pages|'
                      r'pasid)|cc_\w+|wait_\w+|iec))\b')
VTD_PAGES = re.compile(r'vtd_inv_desc_iotlb_(?:pasid_)?pages .*mask[= ]'
                       r'(?:0x)?([0-9a-f]+)')  # 2^mask pages
# PASID-based IOTLB invalidations (scalable mode) have no event of their own
VTD_PIOTLB = re.compile(r'vtd_inv_desc invalidate desc type p-iotlb '
                        r'high 0x([0-9a-f]+) low 0x([0-9a-f]+)')
RISCV_CMD = re.compile(r'riscv_iommu_cmd .*?0x([0-9a-f]+).*?0x([0-9a-f]+)')
SYNCS = {'SYNC', 'IOFENCE.C', 'wait_sw', 'wait_irq'}


def riscv_kind(dw0):
    opcode, func3 = dw0 & 0x7f, (dw0 >> 7) & 0x7
    names = {(1, 0): 'IOTINVAL.VMA', (1, 1): 'IOTINVAL.GVMA',
             (2, 0): 'IOFENCE.C', (3, 0): 'IODIR.INVAL_DDT',
             (3, 1): 'IODIR.INVAL_PDT', (4, 0): 'ATS.INVAL'}
    kind = names.get((opcode, func3), f'op{opcode}.{func3}')
    if kind == 'IOTINVAL.VMA':
        # AV: one address; PSCV: one process context
        kind += '.addr' if dw0 & (1 << 10) else '.all'
    return kind


def parse(trace, console):
    names = {}
    for line in open(console, errors='replace'):
        m = re.search(r'inv_workload (\S+) markers (\S+) (\S+)', line)
        if m:
            names[m.group(2)] = (m.group(1), m.group(3))
    result = {}
    cur = None       # the workload being counted
    end = None
    last_tlbi = None
    for line in open(trace, errors='replace'):
        m = MARKER.search(line)
        n = NVME_MARKER.search(line) if not m else None
        if m or n:
            val = m.group(1) if m else f'lba:{int(n.group(1), 16):#x}'
            if val in names:
                cur, end = names[val]
                result[cur] = {'commands': 0, 'invalidations': 0,
                               'range_pages': []}
            elif val == end:
                cur = end = None
            continue
        if cur is None:
            continue
        counts = result[cur]
        kind = None
        m = SMMU_OP.search(line)
        if m:
            kind = m.group(1)
            last_tlbi = None
            if kind.startswith('TLBI'):
                counts['range_pages'].append(0)
                last_tlbi = len(counts['range_pages']) - 1
        elif SMMU_RANGE.search(line):
            if last_tlbi is not None:
                counts['range_pages'][last_tlbi] += int(
                    SMMU_RANGE.search(line).group(1), 16)
            continue
        elif VTD_PIOTLB.search(line):
            m = VTD_PIOTLB.search(line)
            high, low = int(m.group(1), 16), int(m.group(2), 16)
            if (low >> 4) & 3 == 3:     # page-selective within PASID
                kind = 'p_iotlb_pages'
                counts['range_pages'].append(1 << (high & 0x3f))
            else:
                kind = 'p_iotlb_pasid'
        elif line.startswith('vtd_inv_desc'):
            m = VTD_KIND.search(line)
            if not m:
                continue          # the generic vtd_inv_desc line
            kind = m.group(2)
            m = VTD_PAGES.search(line)
            if m:
                counts['range_pages'].append(1 << int(m.group(1), 16))
        elif line.startswith('riscv_iommu_cmd'):
            m = RISCV_CMD.search(line)
            if not m:
                continue
            kind = riscv_kind(int(m.group(1), 16))
        if kind is None:
            continue
        counts[kind] = counts.get(kind, 0) + 1
        counts['commands'] += 1
        if kind not in SYNCS:
            counts['invalidations'] += 1
    for counts in result.values():
        if not any(counts['range_pages']):
            del counts['range_pages']
    return result


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    json.dump(parse(sys.argv[1], sys.argv[2]), sys.stdout, indent=1)
    print()

#!/usr/bin/env python3
"""Print the tables of scripts/bench-iommu.sh from its results directory.

  bench-iommu-table.py DIR
"""
import json
import os
import re
import sys

OUT = sys.argv[1] if len(sys.argv) == 2 else sys.exit(__doc__)

# Invalidation commands by what they cover
RANGED = {'TLBI_NH_VA', 'TLBI_NH_VAA', 'TLBI_S2_IPA', 'TLBI_EL2_VA',
          'iotlb_pages', 'iotlb_pasid_pages', 'p_iotlb_pages',
          'IOTINVAL.VMA.addr'}
WHOLE = {'TLBI_NH_ASID', 'TLBI_NH_ALL', 'TLBI_S12_VMALL', 'TLBI_EL2_ASID',
         'TLBI_EL2_ALL', 'iotlb_domain', 'iotlb_global', 'iotlb_pasid',
         'IOTINVAL.VMA.all', 'IOTINVAL.GVMA'}
FAULT = re.compile(r'event 0x[0-9a-f]+ received|DMAR: \[DMA |DMAR: DRHD: '
                   r'handling fault|riscv-iommu.*fault')


def load(name):
    path = os.path.join(OUT, name)
    return json.load(open(path)) if os.path.exists(path) else None


def ratio(b, a):
    return f'{b / a:.1f}x' if a else ('-' if not b else 'inf')


def cmds(c):
    if c is None:
        return 'n/a'
    return f'{c["invalidations"]} inv {c["commands"] - c["invalidations"]} sync'


def kunit(version):
    res = {}
    path = os.path.join(OUT, f'kunit-inv-{version}.log')
    for line in open(path, errors='replace'):
        m = re.search(r'inv_count (\S+) (ril|no_ril) tlbi=(\d+) sync=(\d+)',
                      line)
        if m:
            res[(m.group(1), m.group(2))] = (int(m.group(3)), int(m.group(4)))
    return res


print()
print('1. SMMUv3 invalidation commands per unmap, before and after the '
      'series\' SMMUv3 invalidation patches')
print('   (inv = TLBI commands, sync = CMD_SYNC; fewer = before/after of '
      'all commands)')
print()
print('KUnit, fake SMMU, commands captured from the command queue:')
kb, ka = kunit('before-inv'), kunit('after')
print(f'  {"workload":<28} {"SMMU":<7} {"before":>16} {"after":>16} {"fewer":>6}')
for key in kb:
    (bt, bs), (at, as_) = kb[key], ka.get(key, (0, 0))
    print(f'  {key[0]:<28} {key[1]:<7} {f"{bt} inv {bs} sync":>16} '
          f'{f"{at} inv {as_} sync":>16} {ratio(bt + bs, at + as_):>6}')

print()
print('QEMU SMMUv3 (with RIL), commands from its trace, iommu-edu workloads '
      '(real DMA):')
qb, qa = load('edu-smmuv3-before-inv.json'), load('edu-smmuv3-after.json')
print(f'  {"workload":<28} {"before":>16} {"after":>16} {"fewer":>6}  '
      'after: pages per range command')
for name in qb:
    b, a = qb[name], qa.get(name)
    print(f'  {name:<28} {cmds(b):>16} {cmds(a):>16} '
          f'{ratio(b["commands"], a["commands"] if a else 0):>6}  '
          f'{a.get("range_pages", "") if a else ""}')

print()
print('2. Commands per unmap on every emulated IOMMU, with the series '
      '(iommu-edu workloads, real DMA)')
print('   (inv = invalidation commands, sync = CMD_SYNC / IOFENCE.C / '
      'wait descriptors)')
iommus = [('smmuv3', 'SMMUv3'), ('riscv', 'RISC-V*'), ('vtd', 'VT-d'),
          ('vtd-fs', 'VT-d fs')]
res = {n: load(f'edu-{n}-after.json') or {} for n, _ in iommus}
names = []
for r in res.values():
    names += [n for n in r if n not in names]
print(f'  {"workload":<28}' + ''.join(f' {t:>15}' for _, t in iommus))
for name in names:
    print(f'  {name:<28}' + ''.join(f' {cmds(res[n].get(name)):>15}'
                                    for n, _ in iommus))
print('  * RISC-V: 4K pages only (iommu_edu_test.superpages=0, see the README)')
for n, t in iommus:
    kinds = {}
    for c in res[n].values():
        for k, v in c.items():
            if k not in ('commands', 'invalidations', 'range_pages'):
                kinds[k] = kinds.get(k, 0) + v
    print(f'  {t}: ' + ', '.join(f'{k} {v}' for k, v in sorted(kinds.items())))

print()
print('3. nvme direct I/O (bench/nvme-dio.c: 4K to 1M reads and writes, '
      'each written, read back')
print('   and compared; the block layer splits an I/O into requests of at '
      'most 128K here)')
print('   before/after "iommu/dma: Defer dma_iova_destroy()\'s invalidation '
      'to the flush queue";')
print('   commands between the workload\'s markers, from QEMU\'s trace; bad = '
      'data mismatches')
print('   and I/O errors, faults = IOMMU faults in the kernel log, ranged / '
      'whole = invalidations')
print('   of a range / of the whole domain')
print(f'  {"IOMMU":<7} {"mode":<7} {"version":<10} {"I/Os":>8} '
      f'{"bad":>4} {"faults":>6} {"ranged":>7} {"whole":>6} {"syncs":>6} '
      f'{"inv/IO":>8}')
for arch, iommu in (('arm64', 'SMMUv3'), ('x86_64', 'VT-d')):
    for mode in ('lazy', 'strict'):
        for version in ('before-fq', 'after'):
            n = f'nvme-{arch}-{mode}-{version}'
            c = (load(n + '.json') or {}).get('nvme_dio')
            console = os.path.join(OUT, f'console-{n}.log')
            req = bad = faults = 0
            if os.path.exists(console):
                for line in open(console, errors='replace'):
                    m = re.search(r'nvme_dio requests (\d+) bytes \d+ '
                                  r'mismatches (\d+) errors (\d+)', line)
                    if m:
                        req = int(m.group(1))
                        bad = int(m.group(2)) + int(m.group(3))
                    if FAULT.search(line):
                        faults += 1
            if c is None:
                print(f'  {iommu:<7} {mode:<7} {version:<10} not run')
                continue
            ranged = sum(v for k, v in c.items() if k in RANGED)
            whole = sum(v for k, v in c.items() if k in WHOLE)
            syncs = c['commands'] - c['invalidations']
            print(f'  {iommu:<7} {mode:<7} {version:<10} {req:>8} {bad:>4} '
                  f'{faults:>6} {ranged:>7} {whole:>6} {syncs:>6} '
                  f'{c["invalidations"] / req if req else 0:>8.2f}')

chain = ['arm_smmu_iotlb_sync', 'arm_smmu_domain_inv_range',
         '__arm_smmu_domain_inv_range', 'arm_smmu_inv_to_cmdq_batch',
         'arm_smmu_cmdq_batch_add_range', 'arm_smmu_cmdq_batch_add_cmd_p',
         'arm_smmu_cmdq_issue_cmdlist', '__arm_smmu_cmdq_issue_cmdlist']


def stack(version):
    frames = {}
    path = os.path.join(OUT, f'stack-{version}.txt')
    for line in open(path):
        m = re.search(r'\s(\S+?)(?:\.(?:isra|constprop|part)\.\d+)* '
                      r'\[arm-smmu-v3\.o\]:\s*(\d+)', line)
        if m:
            frames[m.group(1)] = max(frames.get(m.group(1), 0),
                                     int(m.group(2)))
    return frames


sb, sa = stack('before-inv'), stack('after')
print()
print('4. Stack of the SMMUv3 iotlb_sync() call chain, arm64 defconfig, bytes')
print('   (scripts/checkstack.pl; a function not listed is inlined or has '
      'no frame)')
print(f'  {"function":<32} {"before":>6} {"after":>6}')
for f in chain:
    if f in sb or f in sa:
        print(f'  {f:<32} {sb.get(f, "-"):>6} {sa.get(f, "-"):>6}')
tb = sum(sb.get(f, 0) for f in chain)
ta = sum(sa.get(f, 0) for f in chain)
print(f'  {"total":<32} {tb:>6} {ta:>6}  ({ta - tb:+d})')

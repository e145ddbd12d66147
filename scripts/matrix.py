#!/usr/bin/env python3
"""Run configurations of the KUnit matrix (kunit/matrix.conf) and summarize.

  matrix.py list                 the configurations, in order
  matrix.py run NAME [NAME...]   build and run each; writes build/results/
                                 NAME.log (console), NAME.ktap, NAME.json;
                                 FILTER='GLOB ...' overrides the filter
  matrix.py summary [NAME...]    table of the results, then the line
                                 'N passed, N failed[, N skipped]';
                                 exits 1 if anything failed or is missing

kunit.py comes from the kernel tree (build/linux); the QEMU wrappers in
scripts/qemu force TCG. Builds go through ccache (build/ccache), but not
under CI (CI=true).
"""
import configparser
import json
import os
import re
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KUNIT_DIR = os.path.join(TOP, 'kunit')
BUILD = os.path.join(TOP, 'build')
TREE = os.environ.get('TREE', os.path.join(BUILD, 'linux'))
RESULTS = os.path.join(BUILD, 'results')
CROSS = {'arm64': 'aarch64-linux-gnu-', 'riscv64': 'riscv64-linux-gnu-',
         'x86_64': ''}


def load():
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(os.path.join(KUNIT_DIR, 'matrix.conf'))
    return cfg


def kunit_cmd(sub, sec, build_dir):
    cmd = [sys.executable, os.path.join(TREE, 'tools/testing/kunit/kunit.py'),
           sub, '--build_dir=' + build_dir]
    arch = sec['arch']
    if arch != 'um':
        qemu_config = sec.get('qemu_config', 'qemu_' + arch + '.py')
        cmd.append('--qemu_config=' + os.path.join(KUNIT_DIR, qemu_config))
        if sub == 'exec' and sec.get('qemu_args', '').strip():
            cmd.append('--qemu_args=' + ' '.join(sec['qemu_args'].split()))
        if CROSS[arch]:
            cmd.append('--cross_compile=' + CROSS[arch])
    return cmd


def sh(cmd, log, env):
    """Run cmd, output appended to log; returns (exit code, seconds)."""
    t0 = time.monotonic()
    with open(log, 'a', encoding='utf-8') as f:
        f.write('$ ' + ' '.join(cmd) + '\n')
        f.flush()
        rc = subprocess.call(cmd, stdout=f, stderr=subprocess.STDOUT,
                             env=env, cwd=TREE)
    return rc, time.monotonic() - t0


def parse(log_paths):
    """Counts of the KTAP results found in the console logs of one or more
    boots (kunit.py's own parser, so the numbers match what kunit.py would
    print), summed."""
    sys.path.insert(0, os.path.join(TREE, 'tools/testing/kunit'))
    import kunit_parser
    import kunit_printer
    printer = kunit_printer.Printer(print=False)
    ktap = []
    res = {'passed': 0, 'failed': 0, 'skipped': 0, 'errors': 0,
           'suites': 0, 'failed_tests': []}
    for log_path in log_paths:
        with open(log_path, encoding='utf-8', errors='replace') as f:
            lines = f.readlines()
        ktap += list(kunit_parser.extract_tap_lines(lines))
        test = kunit_parser.parse_run_tests(lines, printer)

        def walk(t, prefix):
            name = prefix + t.name if t.name else prefix
            if not t.subtests and t.status.name in ('FAILURE',
                                                    'TEST_CRASHED'):
                res['failed_tests'].append(name)
            for sub in t.subtests:
                walk(sub, (name + '.') if t.name else prefix)
        walk(test, '')
        c = test.counts
        res['passed'] += c.passed
        res['failed'] += c.failed + c.crashed
        res['skipped'] += c.skipped
        res['errors'] += c.errors
        res['suites'] += len(test.subtests)
    return ktap, res


def run(names):
    cfg = load()
    os.makedirs(RESULTS, exist_ok=True)
    env = dict(os.environ)
    env['PATH'] = os.path.join(TOP, 'scripts/qemu') + ':' + env['PATH']
    env.setdefault('CCACHE_DIR', os.path.join(BUILD, 'ccache'))
    env.setdefault('CCACHE_MAXSIZE', '8G')
    # CI builds every kernel once, on a cache that starts empty and is
    # thrown away: ccache would only add its preprocessor run to each
    # compile (see check.sh), so CI compiles without it.
    if os.environ.get('CI') == 'true':
        env.setdefault('CCACHE_DISABLE', '1')
    rc_all = 0
    for name in names:
        if name not in cfg:
            sys.exit(f'matrix.py: no configuration "{name}" in matrix.conf')
        sec = cfg[name]
        arch = sec['arch']
        build_dir = os.path.join(BUILD, 'kunit', sec['build'])
        log = os.path.join(RESULTS, name + '.log')
        open(log, 'w').close()
        os.makedirs(build_dir, exist_ok=True)
        res = {'config': name, 'build_s': 0, 'run_s': 0}
        for old_log in os.listdir(RESULTS):
            if old_log.startswith(name + '.run'):
                os.unlink(os.path.join(RESULTS, old_log))
        print(f'== {name}: building in build/kunit/{sec["build"]}',
              flush=True)
        cmd = kunit_cmd('build', sec, build_dir)
        cmd += ['--kunitconfig=' + os.path.join(KUNIT_DIR, k)
                for k in sec['kunitconfig'].split()]
        cc = CROSS.get(arch, '') + 'gcc'
        cmd += ['--jobs=' + str(os.cpu_count()), '--make_options=CC=ccache ' + cc]
        rc, res['build_s'] = sh(cmd, log, env)
        # One boot for each filter glob (the kernel takes one at a time)
        run_logs = []
        globs = os.environ.get('FILTER', sec['filter']).split()
        for i, glob in enumerate(globs or [None]):
            if rc != 0:
                break
            print(f'== {name}: running {glob or "every suite"} '
                  f'(build {res["build_s"]:.0f} s)', flush=True)
            cmd = kunit_cmd('exec', sec, build_dir)
            cmd += ['--raw_output=all', '--timeout=' + sec['timeout']]
            for a in sec['kernel_args'].split():
                cmd.append('--kernel_args=' + a)
            if glob:
                cmd.append(glob)
            run_logs.append(os.path.join(RESULTS, f'{name}.run{i}.log'))
            open(run_logs[-1], 'w').close()
            rc, secs = sh(cmd, run_logs[-1], env)
            res['run_s'] += secs
            with open(log, 'a') as out, open(run_logs[-1]) as f:
                out.write(f.read())
        ktap, counts = parse(run_logs)
        res.update(counts)
        with open(os.path.join(RESULTS, name + '.ktap'), 'w') as f:
            f.write('\n'.join(ktap) + '\n')
        problems = []
        if rc != 0:
            problems.append(f'kunit.py exited with {rc} (see {log})')
        if res['passed'] + res['failed'] + res['skipped'] == 0:
            problems.append('no test results')
        if res['errors']:
            problems.append(f'{res["errors"]} KTAP parse errors')
        if sec['probe'].strip():
            # Only the kernel's lines: not the commands echoed by kunit.py
            # and this script (QEMU's command line names the IOMMU too).
            with open(log, encoding='utf-8', errors='replace') as f:
                kernel = [ln for ln in f if not ln.startswith('$ ')]
            res['probed'] = any(re.search(sec['probe'], ln) for ln in kernel)
            if not res['probed']:
                problems.append('the IOMMU driver did not probe '
                                f'(no match for /{sec["probe"]}/)')
        res['problems'] = problems
        with open(os.path.join(RESULTS, name + '.json'), 'w') as f:
            json.dump(res, f, indent=1)
        print(f'== {name}: {res["passed"]} passed, {res["failed"]} failed, '
              f'{res["skipped"]} skipped in {res["run_s"]:.0f} s'
              + ''.join('\n   !! ' + p for p in problems), flush=True)
        for t in res['failed_tests'][:20]:
            print('   FAILED ' + t)
        if res['failed'] or problems:
            rc_all = 1
    return rc_all


def summary(names):
    cfg = load()
    names = names or cfg.sections()
    tot = {'passed': 0, 'failed': 0, 'skipped': 0}
    rows = []
    for name in names:
        path = os.path.join(RESULTS, name + '.json')
        if not os.path.exists(path):
            rows.append((name, '-', '-', '-', '-', '-', '-', 'NOT RUN'))
            tot['failed'] += 1
            continue
        r = json.load(open(path))
        bad = len(r['problems']) > 0
        tot['passed'] += r['passed']
        tot['failed'] += r['failed'] + (1 if bad else 0)
        tot['skipped'] += r['skipped']
        status = 'ok' if not r['failed'] and not bad else 'FAIL'
        if bad:
            status += ': ' + '; '.join(r['problems'])
        rows.append((name, r['suites'], r['passed'], r['failed'],
                     r['skipped'], f'{r["build_s"]:.0f}',
                     f'{r["run_s"]:.0f}', status))
    head = ('config', 'suites', 'passed', 'failed', 'skipped', 'build s',
            'run s', 'status')
    w = [max(len(str(x[i])) for x in rows + [head]) for i in range(7)]
    for row in [head] + rows:
        print('  '.join(str(v).rjust(w[i]) if i else str(v).ljust(w[i])
                        for i, v in enumerate(row[:7])) + '  ' + row[7])
    line = f'{tot["passed"]} passed, {tot["failed"]} failed'
    if tot['skipped']:
        line += f', {tot["skipped"]} skipped'
    print(line)
    return 1 if tot['failed'] else 0


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if sys.argv[1] == 'list':
        print(' '.join(load().sections()))
        return 0
    if sys.argv[1] == 'run' and len(sys.argv) > 2:
        return run(sys.argv[2:])
    if sys.argv[1] == 'summary':
        return summary(sys.argv[2:])
    sys.exit(__doc__)


if __name__ == '__main__':
    sys.exit(main())

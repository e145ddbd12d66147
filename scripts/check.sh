#!/usr/bin/env bash
# The static checks of the series, each a pass or a failure:
#   checkpatch   scripts/checkpatch.pl --strict on every patch: no errors,
#                no warnings, no checks
#   bisect       every prefix of the series builds drivers/iommu/ on arm64
#                (CHECK_BISECT=0 leaves it out: 'make test' does, to keep
#                CI's cold run short; 'make check' runs it)
#   warnings     sparse (C=2) and W=1 over drivers/iommu/ on arm64, riscv64
#                and x86_64: nothing the base does not already warn about
#   kernel-doc   scripts/kernel-doc -none -Wall on every .c and .h file the
#                series touches: nothing the base does not already warn about
# Results: build/results/check.json (read by 'matrix.py summary check') and
# build/results/check-*.log. Work trees and objects live in build/check/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$tree" ] || die "no build/linux; run 'make tree' first"
export CCACHE_DIR=${CCACHE_DIR:-$build/ccache} CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# Depend mode: ccache hashes the compiler's own dependency output instead of
# running the preprocessor first. On a cold cache (CI's) that run made each
# compile slower: kernel/fork.c (x86_64, native gcc) took 3.8-4.6 s through
# ccache, 2.9-3.1 s without it, 3.1-3.2 s through ccache in depend mode.
# Depend mode does not see .incbin (a kernel image's piggy.o would be
# reused for a new image of the same size), so it is only for these builds
# of drivers/iommu/, which have none. CCACHE_NODEPEND=1 turns it off.
[ -n "${CCACHE_NODEPEND-}" ] || export CCACHE_DEPEND=${CCACHE_DEPEND:-1}
results=$build/results
src=$build/check/src
mkdir -p "$results" "$build/check"
items=$results/check.items
: >"$items"
# A run that stops half way must not leave the last run's result behind
rm -f "$results/check.json"
t0=$(date +%s)

# elapsed seconds since the start, for the section headings
since() { printf '%ds' $(( $(date +%s) - t0 )); }
pass() { printf 'pass\t%s\n' "$1" >>"$items"; echo "   ok   $1"; }
fail() { printf 'fail\t%s\t%s\n' "$1" "$2" >>"$items"; echo "   FAIL $1: $2"; }

head=$(git -C "$tree" rev-parse HEAD)
base=$(git -C "$tree" rev-parse "$base_ref")
mapfile -t commits < <(git -C "$tree" rev-list --reverse "$base..$head")

# --- checkpatch ---------------------------------------------------------------
# checkpatch asks "does MAINTAINERS need updating?" (FILE_PATH_CHANGES) of every
# patch that adds a file and does not touch MAINTAINERS. That question is
# answered here rather than ignored: it passes when every file the patch adds
# is covered by a MAINTAINERS section other than THE REST.
uncovered() { # PATCH: the files it adds that no MAINTAINERS section covers
	local f
	sed -n 's|^+++ b/||p' "$1" | while read -r f; do
		grep -q "^new file mode" < <(sed -n "\|^diff --git a/$f b/$f|,/^@@/p" "$1") || continue
		sections=$(cd "$tree" && ./scripts/get_maintainer.pl --no-git \
			--no-git-fallback --sections -f "$f" 2>/dev/null) || true
		grep -v '^THE REST$' <<<"$sections" | grep -q '^[A-Z][A-Z0-9 /().,_-]*$' ||
			echo "$f"
	done
}
# The base is a tarball without history, so checkpatch cannot look up the
# mainline commit of a Fixes: tag or of a commit the message names ("Unknown
# commit id"). check/mainline-commits lists those ids with their subjects,
# each looked up in public mainline logs; the warning is not a finding for an
# id listed there that the patch quotes with that subject.
known_fix() { # PATCH ID
	local subj
	subj=$(sed -n "s/^$2 //p" "$top/check/mainline-commits")
	[ -n "$subj" ] && tr '\n' ' ' <"$1" | sed 's/  */ /g' |
		grep -qF "$2 (\"$subj\")"
}
echo "== check: checkpatch --strict on ${#commits[@]} patches ($(since))"
# One checkpatch per core. It exits 1 on any warning, and the log is what
# is judged below; its exit code is kept so that a checkpatch that could not
# run (perl or python failing: any other code) is a failure, not a clean log.
# System python3: spdxcheck.py needs python3-ply and python3-git.
for p in "$top"/series/[0-9][0-9][0-9][0-9]-*.patch; do
	case $(basename "$p") in 0000-*) ;; *) printf '%s\0' "$p" ;; esac
done | (cd "$tree" && PATH=/usr/bin:$PATH xargs -0 -r -n1 -P "$(nproc)" sh -c '
	log=$0/check-checkpatch-$(basename "$1" .patch).log
	./scripts/checkpatch.pl --strict --quiet "$1" >"$log" 2>&1
	echo $? >"$log.rc"' "$results")
for p in "$top"/series/[0-9][0-9][0-9][0-9]-*.patch; do
	name=$(basename "$p")
	case $name in 0000-*) continue ;; esac
	log=$results/check-checkpatch-${name%.patch}.log
	rc=$(cat "$log.rc" 2>/dev/null || echo missing)
	if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
		fail "checkpatch $name" "checkpatch did not run (exit $rc, see $log)"
		continue
	fi
	# Exit 1 is for a finding: one must be in the log
	if [ "$rc" = 1 ] && ! grep -qE '^(ERROR|WARNING|CHECK):' "$log"; then
		fail "checkpatch $name" "checkpatch exited 1 with no finding (see $log)"
		continue
	fi
	# spdxcheck.py failing is not in checkpatch's exit code
	if grep -q '^Traceback' "$log"; then
		fail "checkpatch $name" "a checkpatch helper failed (see $log)"
		continue
	fi
	issues=$(grep -E '^(ERROR|WARNING|CHECK):' "$log" |
		grep -v '^WARNING: added, moved or deleted file(s), does MAINTAINERS need updating?' || true)
	kept=
	while IFS= read -r l; do
		[ -n "$l" ] || continue
		if [[ $l =~ ^WARNING:\ Unknown\ commit\ id\ \'([0-9a-f]+)\' ]] &&
			known_fix "$p" "${BASH_REMATCH[1]}"; then
			continue
		fi
		kept+="${kept:+$'\n'}$l"
	done <<<"$issues"
	issues=$kept
	if grep -q 'does MAINTAINERS need updating' "$log"; then
		missing=$(uncovered "$p")
		[ -z "$missing" ] || issues+="${issues:+$'\n'}no MAINTAINERS section covers: $missing"
	fi
	if [ -z "$issues" ]; then
		pass "checkpatch $name"
	else
		fail "checkpatch $name" "$(printf '%s\n' "$issues" | head -n1)"
	fi
done

# --- a work tree for the checks, so build/linux is left alone ------------------
if [ ! -e "$src/.git" ]; then
	rm -rf "$src"
	git -C "$tree" worktree prune
	git -C "$tree" worktree add -q --detach "$src" "$base"
fi
checkout() { git -C "$src" checkout -q --detach "$1"; }

declare -A cross=([arm64]=aarch64-linux-gnu- [riscv64]=riscv64-linux-gnu- [x86_64]=)
declare -A karch=([arm64]=arm64 [riscv64]=riscv [x86_64]=x86_64)
kmake() { # ARCH, make arguments...
	local a=$1; shift
	make -C "$src" -s O="$build/check/$a" ARCH="${karch[$a]}" \
		CROSS_COMPILE="${cross[$a]}" CC="ccache ${cross[$a]}gcc" \
		CHECK="$build/tools/bin/sparse" \
		-j"$(nproc)" "$@"
}
configure() { # ARCH: defconfig plus check/ARCH.config, for the checked-out tree
	local a=$1 o=$build/check/$1
	kmake "$a" defconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$o" "$o/.config" \
		"$top/check/$a.config" >/dev/null
	kmake "$a" olddefconfig >/dev/null
}
# All diagnostics of a clean build of drivers/iommu/ with sparse and W=1,
# without line numbers (patches move lines), each once: a header's warning
# is printed again for every file that includes it, and a new includer of a
# header the base already warns about adds no new warning.
diagnostics() { # ARCH LOG
	local a=$1 log=$2
	rm -rf "$build/check/$a/drivers/iommu"
	kmake "$a" C=2 W=1 drivers/iommu/ >"$log" 2>&1 || return 1
	{ grep -E ': (warning|error): ' "$log" || true; } |
		sed -E 's/^([^:]+):[0-9]+(:[0-9]+)?: /\1: /' | sort -u
}

# --- kernel-doc against the base ----------------------------------------------
# The warnings of scripts/kernel-doc -none -Wall for FILES of the checked-out
# tree, without line numbers and each once (kernel-doc prints some twice).
kerneldoc() { # FILE...
	local f
	for f in "$@"; do
		[ -e "$src/$f" ] || continue
		(cd "$src" && ./scripts/kernel-doc -none -Wall "$f" 2>&1) || true
	done | sed -E 's/^(Warning: [^:]+):[0-9]+ /\1: /' | sort -u
}
echo "== check: kernel-doc ($(since))"
mapfile -t docfiles < <(git -C "$tree" diff --name-only "$base" "$head" -- '*.c' '*.h')
checkout "$base"
kerneldoc "${docfiles[@]}" >"$build/check/kernel-doc-base.txt"
checkout "$head"
kerneldoc "${docfiles[@]}" >"$build/check/kernel-doc-series.txt"
new=$(comm -13 "$build/check/kernel-doc-base.txt" "$build/check/kernel-doc-series.txt")
if [ -z "$new" ]; then
	pass "kernel-doc (${#docfiles[@]} files, $(wc -l <"$build/check/kernel-doc-base.txt") warnings in the base, none new)"
else
	printf '%s\n' "$new" >"$results/check-kernel-doc-new.txt"
	fail "kernel-doc" "$(printf '%s\n' "$new" | wc -l) new: $(printf '%s\n' "$new" | head -n1)"
fi

# --- warnings against the base, and every prefix on arm64 ---------------------
for a in arm64 riscv64 x86_64; do
	echo "== check: $a: the base ($(since))"
	checkout "$base"
	configure "$a"
	if ! diagnostics "$a" "$results/check-$a-base.log" >"$build/check/$a-base.diag"; then
		fail "warnings $a" "the base does not build (check-$a-base.log)"
		continue
	fi
	if [ "$a" = arm64 ] && [ "${CHECK_BISECT:-1}" != 0 ]; then
		echo "== check: arm64: every prefix of the series builds drivers/iommu/ ($(since))"
		# A prefix that changes only .c and .h files cannot change the
		# configuration: it keeps the previous one. Any other change (a
		# Kconfig, a Makefile, a script) makes it again. Making it costs
		# about 12 s here (three kconfig runs and the syncconfig after
		# them), for 42 prefixes more than most of them take to build.
		n=0
		prev=$base
		for c in "${commits[@]}"; do
			n=$((n + 1))
			checkout "$c"
			changed=$(git -C "$src" diff --name-only "$prev" "$c")
			prev=$c
			if grep -qvE '\.[ch]$' <<<"$changed" &&
			   ! configure "$a" >"$results/check-bisect-config.log" 2>&1; then
				fail "bisect $(printf %04d $n)" "the configuration cannot be made (see check-bisect-config.log)"
				continue
			fi
			subject=$(git -C "$src" log -1 --format=%s)
			log=$results/check-bisect-$(printf %04d $n).log
			if kmake "$a" W=1 drivers/iommu/ >"$log" 2>&1; then
				pass "bisect $(printf %04d $n) $subject"
			else
				fail "bisect $(printf %04d $n) $subject" "does not build (see $log)"
			fi
		done
	fi
	echo "== check: $a: the series ($(since))"
	checkout "$head"
	configure "$a"
	if ! diagnostics "$a" "$results/check-$a-series.log" >"$build/check/$a-series.diag"; then
		fail "warnings $a" "the series does not build (check-$a-series.log)"
		continue
	fi
	new=$(comm -13 "$build/check/$a-base.diag" "$build/check/$a-series.diag")
	if [ -z "$new" ]; then
		pass "warnings $a ($(wc -l <"$build/check/$a-base.diag") in the base, none new)"
	else
		printf '%s\n' "$new" >"$results/check-$a-new-warnings.txt"
		fail "warnings $a" "$(printf '%s\n' "$new" | wc -l) new: $(printf '%s\n' "$new" | head -n1)"
	fi
done

python3 - "$items" "$results/check.json" "$(( $(date +%s) - t0 ))" <<'PY'
import json, sys
items = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
failed = [i for i in items if i[0] == 'fail']
json.dump({'config': 'check', 'suites': 4, 'build_s': 0,
           'run_s': int(sys.argv[3]),
           'passed': len(items) - len(failed), 'failed': len(failed),
           'skipped': 0, 'errors': 0, 'problems': [],
           'failed_tests': [f'{i[1]}: {i[2]}' for i in failed]},
          open(sys.argv[2], 'w'), indent=1)
PY
[ -z "$(grep -m1 '^fail' "$items")" ]

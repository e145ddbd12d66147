#!/usr/bin/env bash
# Write series/ back from build/linux: one patch per commit on top of the
# base, plus the cover letter made from the branch description. The output is
# deterministic (zero commit ids, no git version signature, the cover letter
# dated like the last patch), so 'make tree && make export' changes nothing.
#
#   export.sh [DIR]    write the patches to DIR instead of series/ (tree.sh
#                      uses it to compare build/linux with series/)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$tree" ] || die "no build/linux; run 'make tree' first"
git_t() { git -C "$tree" "$@"; }
if [ -n "$(git_t status --porcelain --untracked-files=no)" ]; then
	die "build/linux has uncommitted edits; commit them first"
fi
desc=$(git_t config branch.iommupt.description || true)
[ -n "$desc" ] || die "no cover letter: set it with 'git -C build/linux branch --edit-description iommupt'"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=$(git_t rev-list --count "$base_ref..HEAD")
[ "$n" -gt 0 ] || die "no commits on top of the base"
git_t format-patch -q --zero-commit --no-signature --cover-letter \
	--cover-from-description=subject -o "$out" "$base_ref..HEAD"
"$top/scripts/cover.py" date "$out/0000-cover-letter.patch" \
	"$(git_t log -1 --format=%aD HEAD)"
dest=${1:-$top/series}
rm -f "$dest"/*.patch
cp "$out"/*.patch "$dest/"
[ $# -gt 0 ] || note "series/: $n patches and a cover letter"

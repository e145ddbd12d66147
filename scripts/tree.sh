#!/usr/bin/env bash
# Make build/linux a git work tree holding the base plus the series:
#   - one base commit made from the pinned tarball (or, with KERNEL_SRC set,
#     a worktree of that kernel git tree at KERNEL_BASE, default HEAD),
#   - then every patch of series/ applied with 'git am', one commit each.
# Refuses to drop work: commits in build/linux that are not in series/, or
# uncommitted edits, stop it (FORCE=1 overrides).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ident=$(series_ident)
name=${ident% <*}
email=${ident##*<}
email=${email%>}
git_t() { git -C "$tree" "$@"; }

make_base_from_tarball() {
	local tarball upstream
	tarball=$("$top/scripts/base.sh")
	upstream=$(base_field upstream)
	note "unpacking $(basename "$tarball") into build/linux"
	rm -rf "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
	git -C "$tree.tmp" init -q -b iommupt
	# Everything in the tarball is the base, even what .gitignore names.
	git -C "$tree.tmp" add -A -f
	GIT_AUTHOR_NAME="Debian $(base_field package)" GIT_AUTHOR_EMAIL=none \
	GIT_COMMITTER_NAME="Debian $(base_field package)" GIT_COMMITTER_EMAIL=none \
	GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
		git -C "$tree.tmp" commit -q -m "Linux $upstream ($(base_field package) $(base_field version))"
	git -C "$tree.tmp" update-ref "$base_ref" HEAD
	mv "$tree.tmp" "$tree"
}

make_base_from_kernel_src() {
	local rev
	git -C "$KERNEL_SRC" rev-parse --git-dir >/dev/null 2>&1 ||
		die "KERNEL_SRC=$KERNEL_SRC is not a git tree"
	rev=$(git -C "$KERNEL_SRC" rev-parse --verify "${KERNEL_BASE:-HEAD}^{commit}")
	note "adding build/linux as a worktree of $KERNEL_SRC at $rev"
	mkdir -p "$build"
	git -C "$KERNEL_SRC" worktree add -q --detach "$tree" "$rev"
	git_t update-ref "$base_ref" "$rev"
	git_t checkout -q -B iommupt
}

# Patch ids of the commits on top of the base, and of the series files.
tree_ids() {
	git_t log --reverse -p --format='commit %H' "$base_ref..HEAD" |
		git patch-id --stable | awk '{ print $1 }'
}
series_ids() {
	local p
	for p in "$top"/series/*.patch; do
		[ -e "$p" ] || continue
		case $(basename "$p") in 0000-*) continue ;; esac
		git patch-id --stable <"$p" | awk '{ print $1 }'
	done
}

if [ ! -d "$tree/.git" ] && [ ! -f "$tree/.git" ]; then
	if [ -n "${KERNEL_SRC:-}" ]; then
		make_base_from_kernel_src
	else
		make_base_from_tarball
	fi
elif [ -n "${KERNEL_SRC:-}" ]; then
	note "build/linux exists already; KERNEL_SRC is ignored (remove build/linux to switch)"
fi

git_t config user.name "$name"
git_t config user.email "$email"

if [ -n "$(git_t status --porcelain --untracked-files=no)" ] && [ "${FORCE:-0}" != 1 ]; then
	die "build/linux has uncommitted edits; commit them and 'make export', or FORCE=1 to drop them"
fi
unexported=$(comm -23 <(tree_ids | sort) <(series_ids | sort) | wc -l)
if [ "$unexported" -gt 0 ] && [ "${FORCE:-0}" != 1 ]; then
	die "$unexported commit(s) in build/linux are not in series/; 'make export' first, or FORCE=1 to drop them"
fi

# The same patches can differ in their commit messages or cover letter:
# build/linux holds the series only if it exports to exactly series/.
exports_to_series() {
	local tmp rc=0
	tmp=$(mktemp -d)
	"$top/scripts/export.sh" "$tmp" >/dev/null 2>&1 &&
		diff -r -q -x BASE "$tmp" "$top/series" >/dev/null 2>&1 || rc=1
	rm -rf "$tmp"
	return $rc
}

if [ "$(tree_ids)" = "$(series_ids)" ] && exports_to_series; then
	note "build/linux already holds the series ($(series_ids | wc -l) patches)"
	exit 0
fi

git_t checkout -q -f -B iommupt "$base_ref"
shopt -s nullglob
patches=()
for p in "$top"/series/*.patch; do
	case $(basename "$p") in 0000-*) ;; *) patches+=("$p") ;; esac
done
if [ ${#patches[@]} -gt 0 ]; then
	# Committer = author, committer date = author date: the same series
	# always gives the same commit ids.
	if ! GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email \
		git_t am -q --committer-date-is-author-date "${patches[@]}"; then
		git_t am --abort || true
		die "the series does not apply to the base"
	fi
fi
# The cover letter's subject and text are kept as the branch description,
# which 'make export' turns back into series/0000-cover-letter.patch.
cover=("$top"/series/0000-cover-letter.patch)
if [ -e "${cover[0]}" ]; then
	"$top/scripts/cover.py" read "${cover[0]}" >"$build/cover.txt"
	git_t config branch.iommupt.description "$(cat "$build/cover.txt")"
fi
note "build/linux: base + ${#patches[@]} patches"

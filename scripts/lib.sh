# Shared helpers for the harness scripts (sourced, not run).
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$top/build
tree=$build/linux
base_ref=refs/iommupt/base

die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

# KEY=VALUE lines of series/BASE
base_field() { sed -n "s/^$1=//p" "$top/series/BASE"; }

# The identity the series is written under: git's configured identity.
series_ident() {
	local name email
	name=$(git -C "$top" config user.name) || die "git user.name is not set"
	email=$(git -C "$top" config user.email) || die "git user.email is not set"
	printf '%s <%s>\n' "$name" "$email"
}

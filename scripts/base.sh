#!/usr/bin/env bash
# Fetch the pinned base tarball (Debian's linux-source package) into build/dl
# and verify it. Prints the tarball's path. If the pinned version is no longer
# served, says so and falls back to the newest linux-source of the same series.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkg=$(base_field package)
ver=$(base_field version)
member=$(base_field tarball)
sum=$(base_field sha256)
dl=$build/dl
out=$dl/$(basename "$member")

mkdir -p "$dl"
if [ -e "$out" ] && echo "$sum  $out" | sha256sum --quiet -c - 2>/dev/null; then
	echo "$out"
	exit 0
fi

"$top/scripts/deps.sh"
cd "$dl"
rm -f "$pkg"_*.deb
if ! apt-get -qq -o APT::Sandbox::User=root download "$pkg=$ver" >&2; then
	note "the pinned base $pkg $ver is no longer served by the mirror"
	apt-get -qq -o APT::Sandbox::User=root download "$pkg" >&2 ||
		die "no $pkg package available: cannot get the base"
	note "FALLING BACK to $(ls "$pkg"_*.deb); the series may not apply"
fi
deb=$(ls "$pkg"_*.deb)
dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "./$member" >"$out.tmp"
mv "$out.tmp" "$out"
rm -f "$deb"
if ! echo "$sum  $out" | sha256sum --quiet -c - 2>/dev/null; then
	note "WARNING: $out does not match the sha256 pinned in series/BASE"
	note "         expected $sum"
	note "         got      $(sha256sum "$out" | cut -d' ' -f1)"
fi
echo "$out"

#!/usr/bin/env bash
# Install what the harness needs, from Debian's packages. Idempotent: does
# nothing when everything is present.
#
# - Packages from bookworm, and QEMU >= 10 from bookworm-backports (bookworm's
#   QEMU 7.2 has no RISC-V IOMMU). The extra suites (bookworm-backports, and
#   experimental for the linux-source-7.3 base) are added to apt reusing the
#   mirror URI already configured on this machine; no host name is written
#   here.
# - sparse: the kernel needs one that knows __typeof_unqual__ (see the
#   kernel's scripts/checker-valid.sh); bookworm's 0.6.4 does not. It is
#   built from Debian sid's source package into build/tools/bin, with apt
#   state of its own under build/apt (the system's sources are not touched
#   for it).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tools=$top/build/tools
QEMU_MIN=10

# package -> a command (or a file) it provides
declare -A probe=(
	[gcc-aarch64-linux-gnu]=aarch64-linux-gnu-gcc
	[gcc-riscv64-linux-gnu]=riscv64-linux-gnu-gcc
	[gcc]=gcc [make]=make [flex]=flex [bison]=bison [bc]=bc [cpio]=cpio
	[ccache]=ccache [coccinelle]=spatch [python3]=python3 [git]=git
	[xz-utils]=xz [rsync]=rsync [kmod]=depmod
	[python3-ply]=/usr/lib/python3/dist-packages/ply/__init__.py
	[python3-git]=/usr/lib/python3/dist-packages/git/__init__.py
	[qemu-system-arm]=qemu-system-aarch64
	[qemu-system-misc]=qemu-system-riscv64
	[qemu-system-x86]=qemu-system-x86_64
)

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

qemu_ok() {
	local v
	command -v qemu-system-aarch64 >/dev/null || return 1
	v=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
	[ "${v:-0}" -ge "$QEMU_MIN" ]
}

sparse_ok() {
	local t
	[ -x "$tools/bin/sparse" ] || return 1
	t=$(mktemp --suffix=.c)
	printf 'static inline int u(const int *q)\n{\n\t__typeof_unqual__(*q) v = *q;\n\treturn v;\n}\n' >"$t"
	! "$tools/bin/sparse" "$t" 2>&1 | grep -q error
	local rc=$?
	rm -f "$t"
	return $rc
}

# The URI of the machine's own Debian mirror, from its apt configuration.
mirror_uri() {
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		uri=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && u != "" && $0 ~ /bookworm( |$)/ { print u; exit }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -e "$f" ] || continue
		uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	echo "deps: no Debian bookworm mirror configured in /etc/apt" >&2
	return 1
}

install_packages() {
	local list=/etc/apt/sources.list.d/iommupt-harness.sources uri
	if [ ! -e "$list" ]; then
		uri=$(mirror_uri)
		$SUDO tee "$list" >/dev/null <<EOT
Types: deb
URIs: $uri
Suites: bookworm-backports experimental
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get -qq update
	# QEMU comes from bookworm-backports, below
	$SUDO apt-get -qq install -y --no-install-recommends \
		$(printf '%s\n' "$@" | grep -v '^qemu-') \
		ca-certificates libelf-dev libssl-dev >/dev/null
	if ! qemu_ok; then
		$SUDO apt-get -qq install -y --no-install-recommends \
			-t bookworm-backports qemu-system-arm qemu-system-misc \
			qemu-system-x86 qemu-utils >/dev/null
	fi
	qemu_ok || { echo "deps: QEMU >= $QEMU_MIN is not available" >&2; exit 1; }
}

build_sparse() {
	local apt=$top/build/apt src
	local opts=(-o APT::Sandbox::User=root
		-o Dir::Etc::SourceList="$apt/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache")
	echo "deps: building sparse from Debian sid's source package" >&2
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/src" "$tools/bin"
	echo "deb-src $(mirror_uri) sid main" >"$apt/sources.list"
	apt-get -qq "${opts[@]}" update
	rm -rf "${apt:?}/src"/*
	(cd "$apt/src" && apt-get -qq "${opts[@]}" source --download-only sparse >/dev/null)
	tar -xf "$apt"/src/sparse_*.orig.tar.* -C "$apt/src"
	src=$(ls -d "$apt"/src/sparse-*/)
	make -s -C "$src" -j"$(nproc)" sparse >/dev/null 2>&1
	install -m 755 "$src/sparse" "$tools/bin/sparse"
	sparse_ok || { echo "deps: the sparse built from sid does not know __typeof_unqual__" >&2; exit 1; }
}

missing=()
for p in "${!probe[@]}"; do
	command -v "${probe[$p]}" >/dev/null 2>&1 || [ -e "${probe[$p]}" ] ||
		missing+=("$p")
done
[ -e /usr/include/libelf.h ] && [ -e /usr/include/openssl/ssl.h ] || missing+=(libelf-dev)
if [ ${#missing[@]} -gt 0 ] || ! qemu_ok; then
	echo "deps: installing ${missing[*]:-QEMU $QEMU_MIN}" >&2
	install_packages "${missing[@]}"
fi
sparse_ok || build_sparse

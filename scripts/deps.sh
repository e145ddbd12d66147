#!/usr/bin/env bash
# Install what the harness needs, from Debian's packages. Idempotent: does
# nothing when every tool is already present.
#
# The extra suites (bookworm-backports for QEMU 10, experimental for the
# linux-source-7.3 base) reuse the mirror URI already configured on this
# machine; no host name is written here.
set -euo pipefail

need_pkgs=(
	gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu
	flex bison bc cpio ccache sparse coccinelle
	python3 make git xz-utils rsync kmod
	qemu-system-arm qemu-system-misc qemu-system-x86
)
# One command per package, checked before touching apt.
declare -A probe=(
	[gcc-aarch64-linux-gnu]=aarch64-linux-gnu-gcc
	[gcc-riscv64-linux-gnu]=riscv64-linux-gnu-gcc
	[flex]=flex [bison]=bison [bc]=bc [cpio]=cpio [ccache]=ccache
	[sparse]=sparse [coccinelle]=spatch [python3]=python3 [make]=make
	[git]=git [xz-utils]=xz [rsync]=rsync [kmod]=depmod
	[qemu-system-arm]=qemu-system-aarch64
	[qemu-system-misc]=qemu-system-riscv64
	[qemu-system-x86]=qemu-system-x86_64
)
QEMU_MIN=10

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

qemu_ok() {
	local v
	command -v qemu-system-aarch64 >/dev/null || return 1
	v=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
	[ "${v:-0}" -ge "$QEMU_MIN" ]
}

missing=()
for p in "${need_pkgs[@]}"; do
	command -v "${probe[$p]}" >/dev/null 2>&1 || missing+=("$p")
done
for h in /usr/include/libelf.h /usr/include/openssl/ssl.h; do
	[ -e "$h" ] || missing+=(libelf-dev libssl-dev)
done
if [ ${#missing[@]} -eq 0 ] && qemu_ok; then
	exit 0
fi

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
}

list=/etc/apt/sources.list.d/iommupt-harness.sources
if [ ! -e "$list" ]; then
	uri=$(mirror_uri)
	if [ -z "$uri" ]; then
		echo "deps: no Debian bookworm mirror configured in /etc/apt; cannot add suites" >&2
		exit 1
	fi
	$SUDO tee "$list" >/dev/null <<EOT
Types: deb
URIs: $uri
Suites: bookworm-backports experimental
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -q update
$SUDO apt-get -q install -y --no-install-recommends "${missing[@]}" \
	ca-certificates
if ! qemu_ok; then
	$SUDO apt-get -q install -y --no-install-recommends \
		-t bookworm-backports qemu-system-arm qemu-system-misc \
		qemu-system-x86 qemu-utils
fi
qemu_ok || { echo "deps: QEMU >= $QEMU_MIN is not available" >&2; exit 1; }

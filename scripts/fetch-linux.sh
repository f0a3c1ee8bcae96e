#!/usr/bin/env bash
# Fetches Debian's arm64 kernel (the package linux-image-arm64 points at) and
# busybox-static from Debian's archive (dpkg --add-architecture arm64 and
# apt-get download: nothing else is downloaded) and builds Nestor's test
# initramfs. Usage: fetch-linux.sh DIR
# Leaves DIR/Image (the kernel), DIR/initramfs.gz and DIR/kernel-version.
# Does nothing when DIR already holds them.
set -euo pipefail
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -s "$dir/Image" ] && [ -s "$dir/initramfs.gz" ] && [ -s "$dir/kernel-version" ] &&
    [ "$dir/initramfs.gz" -nt "$here/initramfs/init" ] && [ "$dir/initramfs.gz" -nt "$here/initramfs/check" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then sudo=(sudo); else sudo=(); fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    "${sudo[@]}" dpkg --add-architecture arm64
    "${sudo[@]}" apt-get update -q
fi
kernel_pkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-arm64\).*/\1/p' | head -1)
if [ -z "$kernel_pkg" ]; then
    "${sudo[@]}" apt-get update -q
    kernel_pkg=$(apt-cache depends linux-image-arm64:arm64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*-arm64\).*/\1/p' | head -1)
fi
[ -n "$kernel_pkg" ] || { echo "fetch-linux: cannot find the package linux-image-arm64:arm64 depends on" >&2; exit 1; }
kernel_pkg=${kernel_pkg%:arm64}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # apt's _apt user downloads into it
(cd "$work" && apt-get download -q "$kernel_pkg:arm64" busybox-static:arm64 >/dev/null 2>&1) || {
    echo "fetch-linux: apt-get download $kernel_pkg:arm64 busybox-static:arm64 failed" >&2
    exit 1
}
dpkg-deb -x "$work"/linux-image-*_arm64.deb "$work/kernel"
dpkg-deb -x "$work"/busybox-static_*_arm64.deb "$work/busybox"
version=${kernel_pkg#linux-image-}
cp "$work/kernel/boot/vmlinuz-$version" "$dir/Image"
python3 "$here/mkinitramfs.py" "$work/busybox/bin/busybox" "$dir/initramfs.gz" "$work/kernel/lib/modules/$version"
echo "$version" >"$dir/kernel-version"
echo "fetch-linux: Debian kernel $version and busybox in $dir" >&2

#!/usr/bin/env bash
# The main job: installs the dependencies, builds Nestor, fetches Debian's
# arm64 kernel and busybox (scripts/fetch-linux.sh), and boots them at EL2
# with two CPUs to an interactive busybox shell on the serial console, with
# a 64 MiB virtio-blk disk (build/linux/disk.img) as /dev/vda. 'poweroff -f'
# ends Nestor. Extra arguments go to Nestor (e.g. -cpu cortex-a72, -smp 1,
# -append "... nestor.check nestor.poweroff").
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target nestor
./scripts/fetch-linux.sh build/linux
[ -e build/linux/disk.img ] || truncate -s 64M build/linux/disk.img
exec build/cli/nestor -M virt,virtualization=on -cpu max -smp 2 -m 1G -nographic \
    -kernel build/linux/Image -initrd build/linux/initramfs.gz \
    -append "console=ttyAMA0 earlycon=pl011,0x09000000" \
    -drive file=build/linux/disk.img,if=none,format=raw,id=d0 -device virtio-blk-device,drive=d0 \
    -device virtio-rng-device "$@"

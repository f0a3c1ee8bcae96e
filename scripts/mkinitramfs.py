#!/usr/bin/env python3
"""Builds the gzip-compressed initramfs (cpio "newc") that Nestor's Linux
boots use: a static busybox, /init (scripts/initramfs/init) and the check
script (scripts/initramfs/check). Written in Python so that no cpio tool is
needed.

usage: mkinitramfs.py BUSYBOX OUTPUT [MODULES_DIR]

MODULES_DIR is the kernel's lib/modules/VERSION: the virtio modules the
Debian kernel builds as modules (virtio-mmio, -blk, -rng, -console) go into
/modules and /init loads them in that order.
"""
import glob
import gzip
import os
import stat
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# load order: the transport before the devices on it
MODULES = ["virtio_mmio", "virtio_blk", "virtio-rng", "virtio_console"]


class Cpio:
    def __init__(self):
        self.data = bytearray()
        self.ino = 1

    def _entry(self, name, mode, body=b"", rdev=(0, 0)):
        name_bytes = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, 1, 0, len(body), 0, 0, rdev[0], rdev[1], len(name_bytes), 0]
        self.ino += 1
        self.data += b"070701" + b"".join(b"%08X" % f for f in fields)
        self.data += name_bytes
        self.data += b"\0" * (-len(self.data) % 4)
        self.data += body
        self.data += b"\0" * (-len(self.data) % 4)

    def directory(self, name):
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, name, body, mode=0o755):
        self._entry(name, stat.S_IFREG | mode, body)

    def symlink(self, name, target):
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, name, major, minor):
        self._entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def finish(self):
        self._entry("TRAILER!!!", 0)
        return bytes(self.data)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    busybox, output = sys.argv[1], sys.argv[2]
    modules_dir = sys.argv[3] if len(sys.argv) == 4 else None
    with open(busybox, "rb") as f:
        busybox_bytes = f.read()
    if busybox_bytes[:4] != b"\x7fELF" or busybox_bytes[18:20] != b"\xb7\x00":
        sys.exit(f"mkinitramfs: {busybox} is not an AArch64 ELF (want busybox-static:arm64)")
    c = Cpio()
    for d in ("bin", "sbin", "dev", "proc", "sys", "tmp", "mnt", "etc"):
        c.directory(d)
    # the kernel opens /dev/console for init before devtmpfs is mounted
    c.char_device("dev/console", 5, 1)
    c.file("bin/busybox", busybox_bytes)
    c.symlink("bin/sh", "busybox")
    for script in ("init", "check"):
        with open(os.path.join(HERE, "initramfs", script), "rb") as f:
            c.file(script, f.read())
    if modules_dir:
        c.directory("modules")
        for i, name in enumerate(MODULES):
            found = glob.glob(os.path.join(modules_dir, "kernel", "**", name + ".ko*"), recursive=True)
            if not found:
                continue  # built into this kernel
            base = os.path.basename(found[0])
            if not base.endswith(".ko"):
                sys.exit(f"mkinitramfs: {found[0]}: compressed modules are not supported")
            with open(found[0], "rb") as f:
                c.file(f"modules/{i}-{base}", f.read(), 0o644)
    with open(output, "wb") as f:
        f.write(gzip.compress(c.finish(), mtime=0))


if __name__ == "__main__":
    main()

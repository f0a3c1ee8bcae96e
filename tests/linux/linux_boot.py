#!/usr/bin/env python3
"""Boots Debian's arm64 kernel (scripts/fetch-linux.sh) on Nestor with the
test initramfs, a virtio-blk disk and a virtio-rng device, and checks the
log: every --expect regex matches a line, the initramfs /check passed (CPU
features, virtio-blk write/read-back), and Nestor exited 0 after the
guest's poweroff. Prints the log's tail on failure.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--nestor", required=True)
    ap.add_argument("--linux-dir", required=True, help="holds Image and initramfs.gz")
    ap.add_argument("--cpu", default="max")
    ap.add_argument("--smp", default="1")
    ap.add_argument("--append", default="", help="extra kernel command-line words")
    ap.add_argument("--expect", action="append", default=[], help="regex a log line must match")
    ap.add_argument("--timeout", type=float, default=240)
    ap.add_argument("--log", help="keep the log here")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(16 << 20)
        cmd = [args.nestor, "-M", "virt,virtualization=on", "-cpu", args.cpu, "-smp", args.smp, "-m", "1G",
               "-nographic", "-kernel", os.path.join(args.linux_dir, "Image"),
               "-initrd", os.path.join(args.linux_dir, "initramfs.gz"),
               "-append", f"console=ttyAMA0 nestor.check nestor.poweroff {args.append}".strip(),
               "-drive", f"file={disk},if=none,format=raw,id=d0", "-device", "virtio-blk-device,drive=d0",
               "-device", "virtio-rng-device", "-rtc", "base=2026-01-01"]
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=args.timeout)
            log, status = proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace"), proc.returncode
        except subprocess.TimeoutExpired as e:
            log, status = (e.stdout or b"").decode(errors="replace"), "timeout"
    if args.log:
        with open(args.log, "w") as f:
            f.write(log)
    lines = log.splitlines()
    problems = []
    if status != 0:
        problems.append(f"nestor exit status {status}")
    for pattern in args.expect + [r"^CHECK virtio-blk: ok", r"^CHECK done: status 0", r"reboot: Power down"]:
        if not any(re.search(pattern, line) for line in lines):
            problems.append(f"no log line matches {pattern!r}")
    for line in lines:
        if "Kernel panic" in line or re.match(r"^CHECK .*FAIL", line) or "Oops" in line:
            problems.append(f"log: {line}")
    if problems:
        print("\n".join("FAILED: " + p for p in problems))
        print("--- last 40 log lines ---")
        print("\n".join(lines[-40:]))
        return 1
    print(f"PASS ({len(lines)} log lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

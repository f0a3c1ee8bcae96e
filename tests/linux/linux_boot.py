#!/usr/bin/env python3
"""Boots Debian's arm64 kernel (scripts/fetch-linux.sh) on Nestor with the
test initramfs, a virtio-blk disk, a virtio-rng device and a virtio-console
whose output goes to a file chardev, and checks the log: every --expect
regex matches a line, the initramfs /check passed (CPU features, virtio-blk
write/read-back, a line written to /dev/hvc0), that line is in the
chardev's file, and Nestor exited 0 after the guest's poweroff. Prints the
log's tail on failure.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile


# Linux 6.1's ELF hwcaps (arch/arm64/kernel/cpufeature.c, /proc/cpuinfo
# "Features") from ID-register fields: (register, field, minimum, names).
HWCAPS = [
    ("ID_AA64PFR0_EL1", "FP", 0, ["fp"]), ("ID_AA64PFR0_EL1", "FP", 1, ["fphp"]),
    ("ID_AA64PFR0_EL1", "AdvSIMD", 0, ["asimd"]), ("ID_AA64PFR0_EL1", "AdvSIMD", 1, ["asimdhp"]),
    ("ID_AA64PFR0_EL1", "DIT", 1, ["dit"]), ("ID_AA64PFR1_EL1", "SSBS", 2, ["ssbs"]),
    ("ID_AA64ISAR0_EL1", "AES", 1, ["aes"]), ("ID_AA64ISAR0_EL1", "AES", 2, ["pmull"]),
    ("ID_AA64ISAR0_EL1", "SHA1", 1, ["sha1"]), ("ID_AA64ISAR0_EL1", "SHA2", 1, ["sha2"]),
    ("ID_AA64ISAR0_EL1", "SHA2", 2, ["sha512"]), ("ID_AA64ISAR0_EL1", "CRC32", 1, ["crc32"]),
    ("ID_AA64ISAR0_EL1", "Atomic", 2, ["atomics"]), ("ID_AA64ISAR0_EL1", "RDM", 1, ["asimdrdm"]),
    ("ID_AA64ISAR0_EL1", "SHA3", 1, ["sha3"]), ("ID_AA64ISAR0_EL1", "SM3", 1, ["sm3"]),
    ("ID_AA64ISAR0_EL1", "SM4", 1, ["sm4"]), ("ID_AA64ISAR0_EL1", "DP", 1, ["asimddp"]),
    ("ID_AA64ISAR0_EL1", "FHM", 1, ["asimdfhm"]), ("ID_AA64ISAR0_EL1", "TS", 1, ["flagm"]),
    ("ID_AA64ISAR0_EL1", "TS", 2, ["flagm2"]), ("ID_AA64ISAR0_EL1", "RNDR", 1, ["rng"]),
    ("ID_AA64ISAR1_EL1", "DPB", 1, ["dcpop"]), ("ID_AA64ISAR1_EL1", "DPB", 2, ["dcpodp"]),
    ("ID_AA64ISAR1_EL1", "JSCVT", 1, ["jscvt"]), ("ID_AA64ISAR1_EL1", "FCMA", 1, ["fcma"]),
    ("ID_AA64ISAR1_EL1", "LRCPC", 1, ["lrcpc"]), ("ID_AA64ISAR1_EL1", "LRCPC", 2, ["ilrcpc"]),
    ("ID_AA64ISAR1_EL1", "FRINTTS", 1, ["frint"]), ("ID_AA64ISAR1_EL1", "SB", 1, ["sb"]),
    ("ID_AA64ISAR1_EL1", "BF16", 1, ["bf16"]), ("ID_AA64ISAR1_EL1", "DGH", 1, ["dgh"]),
    ("ID_AA64ISAR1_EL1", "I8MM", 1, ["i8mm"]), ("ID_AA64MMFR2_EL1", "AT", 1, ["uscat"]),
]
# Capabilities present when any of several fields is (pointer authentication
# has one field per algorithm: QARMA5, IMPLEMENTATION DEFINED, QARMA3).
HWCAPS_ANY = [
    ([("ID_AA64ISAR1_EL1", "APA"), ("ID_AA64ISAR1_EL1", "API"), ("ID_AA64ISAR2_EL1", "APA3")], 1, ["paca"]),
    ([("ID_AA64ISAR1_EL1", "GPA"), ("ID_AA64ISAR1_EL1", "GPI"), ("ID_AA64ISAR2_EL1", "GPA3")], 1, ["pacg"]),
    ([("ID_AA64PFR1_EL1", "BT")], 1, ["bti"]),
]
# Signed fields where 0xf means "not implemented".
SIGNED = {("ID_AA64PFR0_EL1", "FP"), ("ID_AA64PFR0_EL1", "AdvSIMD")}


def expected_features(nestor, cpu):
    """The hwcaps Linux should report for this CPU model, from --dump-cpu."""
    dump = json.loads(subprocess.run([nestor, "--dump-cpu", "-M", "virt,virtualization=on", "-cpu", cpu],
                                     capture_output=True, check=True).stdout)
    regs = dump["registers"]
    names = ["cpuid", "evtstrm"]  # always: the CPUID emulation and the timer's event stream
    for reg, field, minimum, caps in HWCAPS:
        value = regs[reg]["fields"][field]
        if (reg, field) in SIGNED and value >= 8:
            value -= 16
        if value >= minimum:
            names += caps
    for fields, minimum, caps in HWCAPS_ANY:
        if any(regs[reg]["fields"][field] >= minimum for reg, field in fields):
            names += caps
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--nestor", required=True)
    ap.add_argument("--linux-dir", required=True, help="holds Image and initramfs.gz")
    ap.add_argument("--cpu", default="max")
    ap.add_argument("--smp", default="1")
    ap.add_argument("--append", default="", help="extra kernel command-line words")
    ap.add_argument("--expect", action="append", default=[], help="regex a log line must match")
    ap.add_argument("--framebuffer", action="store_true",
                    help="add the simple-framebuffer (-screendump): /dev/fb0 must exist and the line the guest "
                         "writes to it must be in the screendump")
    ap.add_argument("--timeout", type=float, default=240)
    ap.add_argument("--log", help="keep the log here")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        hvc0 = os.path.join(tmp, "hvc0.txt")
        with open(disk, "wb") as f:
            f.truncate(16 << 20)
        cmd = [args.nestor, "-M", "virt,virtualization=on", "-cpu", args.cpu, "-smp", args.smp, "-m", "1G",
               "-nographic", "-kernel", os.path.join(args.linux_dir, "Image"),
               "-initrd", os.path.join(args.linux_dir, "initramfs.gz"),
               "-append", f"console=ttyAMA0 nestor.check nestor.poweroff nestor.hvc0 "
                          f"nestor.features={','.join(expected_features(args.nestor, args.cpu))} {args.append}".strip(),
               "-drive", f"file={disk},if=none,format=raw,id=d0", "-device", "virtio-blk-device,drive=d0",
               "-device", "virtio-rng-device", "-rtc", "base=2026-01-01",
               "-chardev", f"file,path={hvc0},id=con0", "-device", "virtio-serial-device",
               "-device", "virtconsole,chardev=con0"]
        screendump = os.path.join(tmp, "screen.ppm")
        if args.framebuffer:
            cmd += ["-screendump", screendump]
            cmd[cmd.index("-append") + 1] += " nestor.fb0"
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=args.timeout)
            log, status = proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace"), proc.returncode
        except subprocess.TimeoutExpired as e:
            log, status = (e.stdout or b"").decode(errors="replace"), "timeout"
        try:
            with open(hvc0, errors="replace") as f:
                console = f.read()
        except OSError as e:
            console = f"(cannot read the chardev file: {e})"
        screen = b""
        if args.framebuffer and os.path.exists(screendump):
            with open(screendump, "rb") as f:
                screen = f.read()
    if args.log:
        with open(args.log, "w") as f:
            f.write(log)
    lines = log.splitlines()
    problems = []
    if status != 0:
        problems.append(f"nestor exit status {status}")
    for pattern in args.expect + [r"^CHECK features: ok", r"^CHECK virtio-blk: ok",
                                  r"^CHECK virtio-console: ok", r"^CHECK done: status 0",
                                  r"reboot: Power down"]:
        if not any(re.search(pattern, line) for line in lines):
            problems.append(f"no log line matches {pattern!r}")
    if "nestor-hvc0: hello from aarch64 through virtio-console\n" not in console:
        problems.append(f"the virtio-console file does not hold the guest's line: {console[:200]!r}")
    if args.framebuffer:
        problems += [] if any(re.search(r"^CHECK framebuffer: ok", line) for line in lines) else \
            ["no log line matches '^CHECK framebuffer: ok'"]
        header = b"P6\n640 480\n255\n"
        if not screen.startswith(header) or screen[len(header):len(header) + 640 * 3] != b"\0\0\377" * 640:
            problems.append("the screendump's first line is not the blue line /check wrote to /dev/fb0")
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

#!/usr/bin/env python3
"""Boots a test Image under QEMU (the reference) and under the emulator with
the same options (-kernel, -append, -initrd) and passes only if both exit 0
with byte-identical output ending in the line "DONE" and without "FAIL"."""
import argparse
import subprocess
import sys


def run(label, cmd, timeout):
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, [f"{label}: timed out after {timeout}s"]
    problems = [] if p.returncode == 0 else [f"{label}: exit status {p.returncode}"]
    if p.stderr:
        sys.stdout.write(f"--- {label} stderr ---\n{p.stderr.decode(errors='replace')}")
    out = p.stdout
    if not out.endswith(b"\nDONE\n") or b"FAIL" in out:
        problems.append(f"{label}: output does not end in DONE or contains FAIL")
    return out, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--emulator", required=True)
    ap.add_argument("--accel", default="jit")
    ap.add_argument("--machine", default="virt,virtualization=on")
    ap.add_argument("--initrd")
    ap.add_argument("--dtb", help="a device tree blob for both (-dtb)")
    ap.add_argument("--append", default="console=ttyAMA0 nestor-boot-check")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("image")
    args = ap.parse_args()
    common = ["-M", args.machine, "-cpu", "cortex-a72", "-m", "512M", "-nodefaults", "-display", "none",
              "-serial", "stdio", "-kernel", args.image, "-append", args.append]
    if args.initrd:
        common += ["-initrd", args.initrd]
    if args.dtb:
        common += ["-dtb", args.dtb]
    ref, problems = run("qemu", [args.qemu] + common, args.timeout)
    emu, more = run("emulator", [args.emulator] + common + ["-accel", args.accel], args.timeout)
    problems += more
    if ref is not None and emu is not None and ref != emu:
        problems.append("outputs differ")
    for label, out in (("qemu", ref), ("emulator", emu)):
        if out is not None:
            print(f"--- {label} ---\n{out.decode(errors='replace')}", end="")
    for p in problems:
        print("FAILED: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

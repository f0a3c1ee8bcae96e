#!/usr/bin/env python3
"""Differential runner for the bare-metal conformance tests.

Runs one ELF under QEMU (the reference) and under the emulator with the same
machine options and passes only if both exit 0, both outputs are
byte-identical, end with the line "DONE" and contain neither "FAIL" nor
"UNEXPECTED".  With --reference-only just QEMU runs, which checks the test
itself.  With --no-reference just the emulator runs: for self-checking
probes of Arm ARM rules that QEMU 7.2 does not follow.
"""
import argparse
import difflib
import os
import subprocess
import sys
import tempfile


def run(label, cmd, timeout):
    """Returns (stdout bytes, list of problems)."""
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return e.stdout or b"", [f"{label}: timed out after {timeout}s"]
    except OSError as e:
        return b"", [f"{label}: cannot run {cmd[0]}: {e}"]
    problems = []
    if proc.returncode != 0:
        problems.append(f"{label}: exit status {proc.returncode}")
    if proc.stderr:
        sys.stdout.write(f"--- {label} stderr ---\n"
                         + proc.stderr.decode(errors="replace"))
    return proc.stdout, problems


def check_output(label, out):
    problems = []
    if not (out == b"DONE\n" or out.endswith(b"\nDONE\n")):
        problems.append(f'{label}: output does not end with the line "DONE"')
    for word in (b"FAIL", b"UNEXPECTED"):
        for line in out.splitlines():
            if word in line:
                problems.append(f"{label}: {line.decode(errors='replace')}")
                break
    return problems


def show_tail(label, out, lines=15):
    text = out.decode(errors="replace").splitlines()
    print(f"--- last {min(lines, len(text))} lines of {label} output ---")
    for line in text[-lines:]:
        print(line)


def show_diff(ref, emu, max_lines=60):
    a = ref.decode(errors="replace").splitlines(keepends=True)
    b = emu.decode(errors="replace").splitlines(keepends=True)
    diff = list(difflib.unified_diff(a, b, "qemu", "emulator", n=5))
    sys.stdout.writelines(diff[:max_lines])
    if len(diff) > max_lines:
        print(f"... ({len(diff) - max_lines} more diff lines)")


def save(out_dir, name, data):
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--emulator", help="emulator binary (QEMU-compatible options)")
    ap.add_argument("--reference-only", action="store_true",
                    help="run QEMU only (no emulator available)")
    ap.add_argument("--no-reference", action="store_true",
                    help="run the emulator only (the test checks itself)")
    ap.add_argument("--accel", help="engine for the emulator, passed as -accel")
    ap.add_argument("--machine", default="virt")
    ap.add_argument("--cpu", default="cortex-a72")
    ap.add_argument("--emulator-cpu",
                    help="the emulator's -cpu when it spells the reference's CPU differently "
                         "(default: --cpu)")
    ap.add_argument("--memory", help="RAM size for both, passed as -m (default: theirs)")
    ap.add_argument("--smp", help="CPU count for both, passed as -smp (default: 1)")
    ap.add_argument("--timeout", type=float, default=45.0)
    ap.add_argument("--output-dir", help="keep both outputs here")
    ap.add_argument("--disk", action="store_true",
                    help="give both a 1 MiB virtio-blk disk with a known pattern (snapshot=on, "
                         "serial nestor-conf) and a virtio-rng device")
    ap.add_argument("elf")
    args = ap.parse_args()

    common = ["-M", args.machine, "-cpu", args.cpu, "-nodefaults", "-display", "none",
              "-serial", "stdio", "-kernel", args.elf]
    if args.memory:
        common += ["-m", args.memory]
    qemu_only = []
    if args.disk:
        # QEMU 7.2's virt transports default to legacy virtio-mmio (version 1);
        # Nestor's are modern (version 2) only.
        qemu_only += ["-global", "virtio-mmio.force-legacy=false"]
        disk = tempfile.NamedTemporaryFile(prefix="difftest-disk-", suffix=".img")
        disk.write(bytes(((i % 251) ^ (i >> 9)) & 0xff for i in range(1 << 20)))
        disk.flush()
        common += ["-drive", f"file={disk.name},if=none,format=raw,id=d0,snapshot=on",
                   "-device", "virtio-blk-device,drive=d0,serial=nestor-conf",
                   "-device", "virtio-rng-device"]
    if args.smp:
        common += ["-smp", args.smp]
    if args.no_reference:
        if not args.emulator:
            ap.error("--no-reference needs --emulator")
        accel = ["-accel", args.accel] if args.accel else []
        emu, problems = run("emulator", [args.emulator] + common + accel, args.timeout)
        save(args.output_dir, "emulator.out", emu)
        problems += check_output("emulator", emu)
        for p in problems:
            print("FAILED: " + p)
        if problems:
            show_tail("emulator", emu)
            return 1
        print(f"PASS ({len(emu.splitlines())} output lines, no reference)")
        return 0

    ref, problems = run("qemu", [args.qemu] + common + qemu_only, args.timeout)
    save(args.output_dir, "qemu.out", ref)
    problems += check_output("qemu", ref)

    if not args.reference_only:
        if not args.emulator:
            ap.error("--emulator is required unless --reference-only")
        accel = ["-accel", args.accel] if args.accel else []
        emu_common = common
        if args.emulator_cpu:
            emu_common = [args.emulator_cpu if a == args.cpu and common[i - 1] == "-cpu" else a
                          for i, a in enumerate(common)]
        emu, emu_problems = run("emulator", [args.emulator] + emu_common + accel, args.timeout)
        save(args.output_dir, "emulator.out", emu)
        problems += emu_problems + check_output("emulator", emu)
        if ref != emu:
            problems.append("outputs differ")
            show_diff(ref, emu)

    if problems:
        for p in problems:
            print("FAILED: " + p)
        if args.reference_only or ref == emu:
            show_tail("qemu", ref)
        return 1
    print(f"PASS ({len(ref.splitlines())} output lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Fail if an ELF contains any FP/SIMD/SVE instruction.

The runtime and the integer tests must work with FP disabled (CPACR_EL1.FPEN
resets to 0 at EL1, where FP instructions trap), so they use only the base
integer ISA.  -mgeneral-regs-only keeps the compiler honest; this check also
covers hand-written assembly.  Tests of FP itself link with ALLOW_FP instead
(cmake/NestorGuest.cmake) and enable FP where they need it.
"""
import argparse
import re
import subprocess
import sys

# Operands naming FP/SIMD/SVE registers: b0 h0 s0 d0 q0 v0.16b z0.d p0 ...
FP_REGISTER = re.compile(r"^[bhsdqvzp]([0-9]|[12][0-9]|3[01])(\.|$)")
FP_SYSREGS = {"fpcr", "fpsr", "fpexc32_el2"}
FP_MNEMONIC = re.compile(r"^(f|scvtf|ucvtf)")


def offending(line):
    parts = line.split("\t")
    # "  addr:" "encoding " "mnemonic" "operands..."
    if len(parts) < 3 or not parts[0].strip().endswith(":"):
        return False
    mnemonic = parts[2].strip()
    if mnemonic.startswith("."):  # .word etc: data, not code
        return False
    operands = parts[3] if len(parts) > 3 else ""
    operands = re.sub(r"<[^>]*>", "", operands.split("//")[0])
    tokens = [t for t in re.split(r"[\s,\[\]{}!#]+", operands) if t]
    if FP_MNEMONIC.match(mnemonic):
        return True
    return any(FP_REGISTER.match(t) or t.lower() in FP_SYSREGS for t in tokens)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--objdump", default="aarch64-linux-gnu-objdump")
    ap.add_argument("--stamp", help="file to touch when the check passes")
    ap.add_argument("elf")
    args = ap.parse_args()
    text = subprocess.run([args.objdump, "-d", args.elf], check=True,
                          capture_output=True, text=True).stdout
    bad = [line for line in text.splitlines() if offending(line)]
    if bad:
        print(f"{args.elf}: FP/SIMD instructions found:", file=sys.stderr)
        for line in bad[:20]:
            print("  " + line, file=sys.stderr)
        return 1
    if args.stamp:
        with open(args.stamp, "w") as f:
            f.write("ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

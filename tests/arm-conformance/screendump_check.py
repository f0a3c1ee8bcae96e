#!/usr/bin/env python3
"""Runs tests/framebuffer.c's ELF on Nestor with -screendump and checks the
PPM against the pattern the program draws, the program's own output (DONE,
no FAIL), the same picture with -display sdl (SDL's dummy video driver),
and the device tree's simple-framebuffer node (-M dumpdtb)."""
import argparse
import os
import subprocess
import sys
import tempfile

WIDTH, HEIGHT = 640, 480


def pattern(x, y):
    return (x * 255 // (WIDTH - 1), y * 255 // (HEIGHT - 1), ((x ^ y) & 31) << 3)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--emulator", required=True)
    ap.add_argument("--accel", default="interp")
    ap.add_argument("elf")
    args = ap.parse_args()
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        ppm = os.path.join(tmp, "screen.ppm")
        run = subprocess.run([args.emulator, "-M", "virt,virtualization=on", "-accel", args.accel, "-display",
                              "none", "-screendump", ppm, "-kernel", args.elf], stdin=subprocess.DEVNULL,
                             capture_output=True, timeout=120)
        out = run.stdout.decode(errors="replace")
        if run.returncode != 0 or "DONE" not in out or "FAIL" in out or "UNEXPECTED" in out:
            problems.append(f"guest run: status {run.returncode}, output:\n{out}{run.stderr.decode(errors='replace')}")
        try:
            data = open(ppm, "rb").read()
        except OSError as e:
            data = b""
            problems.append(f"no screendump: {e}")
        header = f"P6\n{WIDTH} {HEIGHT}\n255\n".encode()
        if data and not data.startswith(header):
            problems.append(f"PPM header {data[:20]!r}, want {header!r}")
        elif data:
            pixels = data[len(header):]
            want = bytes(c for y in range(HEIGHT) for x in range(WIDTH) for c in pattern(x, y))
            if pixels != want:
                bad = next(i for i in range(min(len(pixels), len(want))) if pixels[i] != want[i]) \
                    if len(pixels) == len(want) else 0
                problems.append(f"pixels differ (first at byte {bad}; {len(pixels)} bytes, want {len(want)})")
        # the same run with an SDL window (SDL's dummy video driver: no screen
        # needed) must leave the same picture; a build without SDL2 refuses it
        sdl_ppm = os.path.join(tmp, "sdl.ppm")
        sdl = subprocess.run([args.emulator, "-M", "virt,virtualization=on", "-accel", args.accel, "-display", "sdl",
                              "-screendump", sdl_ppm, "-kernel", args.elf], stdin=subprocess.DEVNULL,
                             capture_output=True, timeout=120, env=dict(os.environ, SDL_VIDEODRIVER="dummy"))
        sdl_err = sdl.stderr.decode(errors="replace")
        if "built without SDL2" in sdl_err:
            if sdl.returncode != 1:
                problems.append(f"-display sdl without SDL2: status {sdl.returncode}, want 1")
        elif sdl.returncode != 0 or not os.path.exists(sdl_ppm) or open(sdl_ppm, "rb").read() != data:
            problems.append(f"-display sdl run: status {sdl.returncode}, screendump differs or missing: {sdl_err}")
        dtb = os.path.join(tmp, "virt.dtb")
        subprocess.run([args.emulator, "-M", f"virt,dumpdtb={dtb}", "-screendump", ppm], check=True)
        dts = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", dtb], capture_output=True, check=True).stdout.decode()
        node = dts[dts.find("framebuffer@c000000"):]
        node = node[:node.find("};")]
        for prop in ['compatible = "simple-framebuffer"', "reg = <0x00 0xc000000 0x00 0x12c000>",
                     "width = <0x280>", "height = <0x1e0>", "stride = <0xa00>", 'format = "a8r8g8b8"']:
            if prop not in node:
                problems.append(f"device tree: framebuffer node lacks {prop!r}:\n{node}")
        subprocess.run([args.emulator, "-M", f"virt,dumpdtb={dtb}"], check=True)
        dts = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", dtb], capture_output=True, check=True).stdout.decode()
        if "simple-framebuffer" in dts:
            problems.append("device tree has a framebuffer without -display sdl or -screendump")
    if problems:
        print("\n".join("FAILED: " + p for p in problems))
        return 1
    print("PASS: screendump matches the pattern, device tree node present")
    return 0


if __name__ == "__main__":
    sys.exit(main())

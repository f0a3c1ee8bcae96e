#!/usr/bin/env python3
"""Random A64 base-integer instruction program generator.

    randgen.py --seed N --count K [--lse | --fp | --simd] -o out.S

writes rand_body(), which runs about K random instructions in blocks of
16-32 and calls rand_dump (randgen/harness.S) after each block to print
x0-x27, NZCV and a checksum of the scratch buffer.  Output only depends on
the seed, so QEMU and the emulator must print the same thing.  With --fp the
program is scalar floating point instead (fpgen.py), with --simd AdvSIMD
integer (simdgen.py).

Register conventions: x0-x27 are random data, x28 points at the middle of a
4 KiB scratch buffer, x29/x30/SP belong to the harness.  Every choice below
avoids CONSTRAINED UNPREDICTABLE and IMPLEMENTATION DEFINED behaviour:
writeback bases never overlap the transfer registers, load pairs never
load the same register twice, exclusive status registers overlap nothing,
store-exclusives always match the address and size of their load, and all
accesses are naturally aligned (with the MMU off, memory is Device).
"""
import argparse
import random

DATA_REGS = 28          # x0..x27
ZR = 31
SCRATCH_SIZE = 4096     # x28 = rand_scratch + SCRATCH_SIZE / 2
HALF = SCRATCH_SIZE // 2

CONDS = ["eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
         "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"]

INTERESTING = [0, 1, 2, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000,
               0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
               0xffffffffffffffff, 0xfffffffffffffffe, 0xffffffff80000000,
               0x0123456789abcdef, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa]

# (mnemonic suffix, access size, register width) for single loads/stores
LOADS = [("b", 1, 32), ("h", 2, 32), ("", 4, 32), ("", 8, 64),
         ("sb", 1, 32), ("sb", 1, 64), ("sh", 2, 32), ("sh", 2, 64), ("sw", 4, 64)]
STORES = [("b", 1, 32), ("h", 2, 32), ("", 4, 32), ("", 8, 64)]
SIZE_SUFFIX = {1: "b", 2: "h", 4: "", 8: ""}


def reg(n, width):
    if n == ZR:
        return "xzr" if width == 64 else "wzr"
    return ("x" if width == 64 else "w") + str(n)


def log2(n):
    return n.bit_length() - 1


class Generator:
    def __init__(self, seed, lse):
        self.rng = random.Random(seed)
        self.lse = lse
        self.lines = []
        self.label = 0

    # ---- random helpers ----
    def chance(self, p):
        return self.rng.random() < p

    def width(self):
        return self.rng.choice((32, 64))

    def interesting(self):
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(INTERESTING)
        if r < 0.6:
            return self.rng.randrange(256)
        if r < 0.7:
            return (-self.rng.randrange(1, 256)) & (2**64 - 1)
        if r < 0.8:
            return 1 << self.rng.randrange(64)
        if r < 0.9:
            return self.rng.getrandbits(32)
        return self.rng.getrandbits(64)

    def src(self, zr=True):
        if zr and self.chance(0.06):
            return ZR
        return self.rng.randrange(DATA_REGS)

    def dst(self, zr=False):
        if zr and self.chance(0.04):
            return ZR
        return self.rng.randrange(DATA_REGS)

    def distinct(self, n, exclude=()):
        pool = [r for r in range(DATA_REGS) if r not in exclude]
        return self.rng.sample(pool, n)

    def new_label(self):
        self.label += 1
        return f".Lr{self.label}"

    def bitmask(self, width):
        """A valid logical immediate: a rotated run of ones, replicated."""
        esize = self.rng.choice([e for e in (2, 4, 8, 16, 32, 64) if e <= width])
        ones = self.rng.randrange(1, esize)
        rot = self.rng.randrange(esize)
        elem = (1 << ones) - 1
        elem = ((elem >> rot) | (elem << (esize - rot))) & ((1 << esize) - 1)
        value = 0
        for i in range(0, width, esize):
            value |= elem << i
        return value

    # ---- data processing, immediate ----
    def addsub_imm(self):
        w = self.width()
        op = self.rng.choice(["add", "adds", "sub", "subs"])
        flags = op.endswith("s")
        # Rd=31 is SP for ADD/SUB, ZR for ADDS/SUBS; Rn=31 is always SP.
        rd, rn = self.dst(zr=flags), self.src(zr=False)
        imm = self.rng.choice([0, 1, 4095, self.rng.randrange(4096)])
        shift = ", lsl #12" if self.chance(0.3) else ""
        return [f"{op} {reg(rd, w)}, {reg(rn, w)}, #{imm}{shift}"]

    def logical_imm(self):
        w = self.width()
        op = self.rng.choice(["and", "orr", "eor", "ands"])
        rd = self.dst(zr=(op == "ands"))    # Rd=31 is SP unless ANDS
        return [f"{op} {reg(rd, w)}, {reg(self.src(), w)}, #{self.bitmask(w):#x}"]

    def move_wide(self):
        w = self.width()
        op = self.rng.choice(["movz", "movn", "movk"])
        shift = 16 * self.rng.randrange(w // 16)
        imm = self.rng.choice([0, 0xffff, 0x8000, self.rng.randrange(0x10000)])
        return [f"{op} {reg(self.dst(zr=True), w)}, #{imm:#x}, lsl #{shift}"]

    def bitfield(self):
        w = self.width()
        op = self.rng.choice(["sbfm", "bfm", "ubfm"])
        immr, imms = self.rng.randrange(w), self.rng.randrange(w)
        return [f"{op} {reg(self.dst(zr=True), w)}, {reg(self.src(), w)}, #{immr}, #{imms}"]

    def extract(self):
        w = self.width()
        lsb = self.rng.randrange(w)
        return [f"extr {reg(self.dst(), w)}, {reg(self.src(), w)}, {reg(self.src(), w)}, #{lsb}"]

    def pc_relative(self):
        # Absolute addresses, but the same ELF runs under both emulators.
        if self.chance(0.5):
            return [f"adr {reg(self.dst(), 64)}, . + {4 * self.rng.randrange(-4096, 4096)}"]
        return [f"adrp {reg(self.dst(), 64)}, . + {4096 * self.rng.randrange(-64, 64)}"]

    # ---- data processing, register ----
    def addsub_shifted(self):
        w = self.width()
        op = self.rng.choice(["add", "adds", "sub", "subs"])
        shift = self.rng.choice(["lsl", "lsr", "asr"])
        amount = self.rng.choice([0, 1, w - 1, self.rng.randrange(w)])
        return [f"{op} {reg(self.dst(zr=True), w)}, {reg(self.src(), w)}, "
                f"{reg(self.src(), w)}, {shift} #{amount}"]

    def addsub_extended(self):
        w = self.width()
        op = self.rng.choice(["add", "adds", "sub", "subs"])
        ext = self.rng.choice(["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"])
        rm_width = 64 if (w == 64 and ext.endswith("x")) else 32
        amount = self.rng.randrange(5)
        # Rn=31 is SP here, and so is Rd=31 without S.
        rd = self.dst(zr=op.endswith("s"))
        return [f"{op} {reg(rd, w)}, {reg(self.src(zr=False), w)}, "
                f"{reg(self.src(), rm_width)}, {ext} #{amount}"]

    def logical_shifted(self):
        w = self.width()
        op = self.rng.choice(["and", "bic", "orr", "orn", "eor", "eon", "ands", "bics"])
        shift = self.rng.choice(["lsl", "lsr", "asr", "ror"])
        amount = self.rng.choice([0, 1, w - 1, self.rng.randrange(w)])
        return [f"{op} {reg(self.dst(zr=True), w)}, {reg(self.src(), w)}, "
                f"{reg(self.src(), w)}, {shift} #{amount}"]

    def carry(self):
        w = self.width()
        op = self.rng.choice(["adc", "adcs", "sbc", "sbcs"])
        return [f"{op} {reg(self.dst(zr=True), w)}, {reg(self.src(), w)}, {reg(self.src(), w)}"]

    def cond_compare(self):
        w = self.width()
        op = self.rng.choice(["ccmp", "ccmn"])
        nzcv, cond = self.rng.randrange(16), self.rng.choice(CONDS)
        if self.chance(0.5):
            operand = reg(self.src(), w)
        else:
            operand = f"#{self.rng.randrange(32)}"
        return [f"{op} {reg(self.src(), w)}, {operand}, #{nzcv}, {cond}"]

    def cond_select(self):
        w = self.width()
        op = self.rng.choice(["csel", "csinc", "csinv", "csneg"])
        return [f"{op} {reg(self.dst(zr=True), w)}, {reg(self.src(), w)}, "
                f"{reg(self.src(), w)}, {self.rng.choice(CONDS)}"]

    def multiply(self):
        kind = self.rng.randrange(3)
        if kind == 0:
            w = self.width()
            op = self.rng.choice(["madd", "msub"])
            return [f"{op} {reg(self.dst(zr=True), w)}, {reg(self.src(), w)}, "
                    f"{reg(self.src(), w)}, {reg(self.src(), w)}"]
        if kind == 1:
            op = self.rng.choice(["smaddl", "smsubl", "umaddl", "umsubl"])
            return [f"{op} {reg(self.dst(zr=True), 64)}, {reg(self.src(), 32)}, "
                    f"{reg(self.src(), 32)}, {reg(self.src(), 64)}"]
        op = self.rng.choice(["smulh", "umulh"])
        return [f"{op} {reg(self.dst(zr=True), 64)}, {reg(self.src(), 64)}, {reg(self.src(), 64)}"]

    def two_source(self):
        if self.chance(0.3):
            size = self.rng.choice("bhwx")
            op = self.rng.choice(["crc32", "crc32c"]) + size
            rm_width = 64 if size == "x" else 32
            return [f"{op} {reg(self.dst(), 32)}, {reg(self.src(), 32)}, {reg(self.src(), rm_width)}"]
        w = self.width()
        op = self.rng.choice(["udiv", "sdiv", "lslv", "lsrv", "asrv", "rorv"])
        return [f"{op} {reg(self.dst(zr=True), w)}, {reg(self.src(), w)}, {reg(self.src(), w)}"]

    def one_source(self):
        w = self.width()
        ops = ["rbit", "rev16", "rev", "clz", "cls"] + (["rev32"] if w == 64 else [])
        return [f"{self.rng.choice(ops)} {reg(self.dst(zr=True), w)}, {reg(self.src(), w)}"]

    def flags_access(self):
        if self.chance(0.5):
            return [f"mrs {reg(self.dst(), 64)}, nzcv"]
        # Only NZCV[31:28] exist; write the other bits as zero.
        tmp = self.dst()
        return [f"and {reg(tmp, 64)}, {reg(self.src(), 64)}, #0xf0000000",
                f"msr nzcv, {reg(tmp, 64)}"]

    # ---- loads and stores ----
    def set_base(self, base, lo, hi, align):
        """base = x28 + an aligned offset in [lo, hi]."""
        off = align * self.rng.randrange(-(-lo // align), hi // align + 1)
        op = "add" if off >= 0 else "sub"
        return f"{op} {reg(base, 64)}, x28, #{abs(off)}"

    def scaled_offset(self, size, lo, hi):
        return size * self.rng.randrange(-(-lo // size), hi // size + 1)

    def load_store(self):
        is_load = self.chance(0.55)
        suffix, size, w = self.rng.choice(LOADS if is_load else STORES)
        prefix = "ld" if is_load else "st"
        rt = self.dst(zr=True) if is_load else self.src()
        mode = self.rng.choice(["uimm", "unscaled", "unpriv", "pre", "post", "reg", "reg",
                                "literal" if is_load else "uimm"])
        t = reg(rt, w)
        if mode == "uimm":
            off = self.scaled_offset(size, 0, HALF - size)
            return [f"{prefix}r{suffix} {t}, [x28, #{off}]"]
        if mode in ("unscaled", "unpriv"):
            off = self.scaled_offset(size, -256, 255)
            letter = "u" if mode == "unscaled" else "t"
            return [f"{prefix}{letter}r{suffix} {t}, [x28, #{off}]"]
        if mode in ("pre", "post"):
            base = self.distinct(1, exclude=(rt,))[0]
            setup = self.set_base(base, -1024, 1024, 16)
            off = self.scaled_offset(size, -256, 255)
            access = f"[{reg(base, 64)}, #{off}]!" if mode == "pre" else f"[{reg(base, 64)}], #{off}"
            return [setup, f"{prefix}r{suffix} {t}, {access}"]
        if mode == "reg":
            return self.register_offset(f"{prefix}r{suffix}", t, rt, size)
        # literal: LDR (W/X) and LDRSW only
        if suffix not in ("", "sw"):
            suffix, w = "", self.width()
        index = self.rng.randrange(16)
        align = 8 if w == 64 and suffix == "" else 4
        return [f"ldr{suffix} {reg(rt, w)}, rand_literals + {align * (index // (align // 4))}"]

    def register_offset(self, mnemonic, t, rt, size):
        index_reg = self.distinct(1, exclude=(rt,))[0]
        ext = self.rng.choice(["lsl", "uxtw", "sxtw", "sxtx"])
        scaled = self.chance(0.6)
        shift = log2(size) if scaled else 0
        lo = 0 if ext == "uxtw" else -HALF
        off = self.scaled_offset(size, lo, HALF - size)
        index = off >> shift
        if ext in ("uxtw", "sxtw"):
            # Only Wm counts: put garbage in the upper half to prove it.
            value = (self.rng.getrandbits(32) << 32) | (index & 0xffffffff)
            m = reg(index_reg, 32)
        else:
            value = index & (2**64 - 1)
            m = reg(index_reg, 64)
        amount = f" #{shift}" if (scaled or self.chance(0.5)) else ""
        if ext == "lsl" and not amount:
            operand = m
        else:
            operand = f"{m}, {ext}{amount}"
        return [f"ldr {reg(index_reg, 64)}, ={value:#x}", f"{mnemonic} {t}, [x28, {operand}]"]

    def load_store_pair(self):
        kind = self.rng.choice(["ldp", "stp", "ldpsw", "ldnp", "stnp"])
        w = 64 if kind == "ldpsw" else self.width()
        size = 4 if kind == "ldpsw" else w // 8
        is_load = kind.startswith("ld")
        mode = "offset" if kind.endswith("np") else self.rng.choice(["offset", "pre", "post"])
        if is_load:
            rt, rt2 = self.distinct(2)  # LDP with Rt == Rt2 is CONSTRAINED UNPREDICTABLE
        else:
            rt, rt2 = self.src(), self.src()
        off = self.scaled_offset(size, -64 * size, 63 * size)
        regs = f"{reg(rt, w)}, {reg(rt2, w)}"
        if mode == "offset":
            return [f"{kind} {regs}, [x28, #{off}]"]
        base = self.distinct(1, exclude=(rt, rt2))[0]
        setup = self.set_base(base, -1024, 1024, 16)
        access = f"[{reg(base, 64)}, #{off}]!" if mode == "pre" else f"[{reg(base, 64)}], #{off}"
        return [setup, f"{kind} {regs}, {access}"]

    def prefetch_barrier(self):
        op = self.rng.choice(["prfm", "prfm", "dmb", "dsb", "isb"])
        if op == "prfm":
            kind = self.rng.choice(["pld", "pst", "pli"]) + self.rng.choice(["l1", "l2", "l3"]) \
                + self.rng.choice(["keep", "strm"])
            return [f"prfm {kind}, [x28, #{self.scaled_offset(8, 0, HALF - 8)}]"]
        if op == "isb":
            return ["isb"]
        return [f"{op} {self.rng.choice(['sy', 'ish', 'ishld', 'ishst', 'osh', 'nsh'])}"]

    def acquire_release(self):
        size = self.rng.choice([1, 2, 4, 8])
        w = 64 if size == 8 else 32
        base = self.distinct(1)[0]
        setup = self.set_base(base, -HALF, HALF - 8, 8)
        if self.chance(0.5):
            rt = self.distinct(1, exclude=(base,))[0]
            return [setup, f"ldar{SIZE_SUFFIX[size]} {reg(rt, w)}, [{reg(base, 64)}]"]
        return [setup, f"stlr{SIZE_SUFFIX[size]} {reg(self.src(), w)}, [{reg(base, 64)}]"]

    def exclusive(self):
        """LDXR/STXR pair on one address (status 0), or a lone STXR after CLREX (status 1)."""
        pair = self.chance(0.3)
        size = self.rng.choice([4, 8]) if pair else self.rng.choice([1, 2, 4, 8])
        w = 64 if size == 8 else 32
        acq, rel = self.rng.choice(["", "a"]), self.rng.choice(["", "l"])
        base, rt, rt2, status = self.distinct(4)
        out = [self.set_base(base, -HALF, HALF - 16, 16 if pair else size)]
        sfx = SIZE_SUFFIX[size]
        addr = f"[{reg(base, 64)}]"
        if self.chance(0.2):
            out.append("clrex")
        elif pair:
            out.append(f"ld{acq}xp {reg(rt, w)}, {reg(rt2, w)}, {addr}")
        else:
            out.append(f"ld{acq}xr{sfx} {reg(rt, w)}, {addr}")
        # New values: transform the loaded ones, or any other register.
        v1, v2 = self.src(), self.src()
        if v1 not in (base, status) and self.chance(0.5):
            out.append(f"add {reg(rt, w)}, {reg(rt, w)}, #1")
            v1 = rt
        v1 = v1 if v1 not in (base, status) else ZR
        v2 = v2 if v2 not in (base, status) else ZR
        if pair:
            out.append(f"st{rel}xp {reg(status, 32)}, {reg(v1, w)}, {reg(v2, w)}, {addr}")
        else:
            out.append(f"st{rel}xr{sfx} {reg(status, 32)}, {reg(v1, w)}, {addr}")
        return out

    def atomic(self):
        """FEAT_LSE: LD<op>, ST<op>, SWP, CAS, CASP."""
        kind = self.rng.choice(["ldop", "ldop", "stop", "swp", "cas", "casp"])
        if kind == "casp":
            w = self.width()
            size = w // 8 * 2
            rs, rt = self.rng.sample(range(0, DATA_REGS, 2), 2)
            base = self.distinct(1, exclude=(rs, rs + 1, rt, rt + 1))[0]
            out = [self.set_base(base, -HALF, HALF - 16, size)]
            if self.chance(0.5):  # make the compare succeed
                out.append(f"ldp {reg(rs, w)}, {reg(rs + 1, w)}, [{reg(base, 64)}]")
            order = self.rng.choice(["", "a", "l", "al"])
            out.append(f"casp{order} {reg(rs, w)}, {reg(rs + 1, w)}, {reg(rt, w)}, "
                       f"{reg(rt + 1, w)}, [{reg(base, 64)}]")
            return out
        size = self.rng.choice([1, 2, 4, 8])
        w = 64 if size == 8 else 32
        sfx = SIZE_SUFFIX[size]
        rs, rt, base = self.distinct(3)
        out = [self.set_base(base, -HALF, HALF - 8, size)]
        addr = f"[{reg(base, 64)}]"
        ops = ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin"]
        if kind == "ldop":
            order = self.rng.choice(["", "a", "l", "al"])
            rt = ZR if self.chance(0.1) else rt
            out.append(f"ld{self.rng.choice(ops)}{order}{sfx} {reg(rs, w)}, {reg(rt, w)}, {addr}")
        elif kind == "stop":
            order = self.rng.choice(["", "l"])
            out.append(f"st{self.rng.choice(ops)}{order}{sfx} {reg(rs, w)}, {addr}")
        elif kind == "swp":
            order = self.rng.choice(["", "a", "l", "al"])
            out.append(f"swp{order}{sfx} {reg(rs, w)}, {reg(rt, w)}, {addr}")
        else:
            order = self.rng.choice(["", "a", "l", "al"])
            if self.chance(0.5):  # make the compare succeed
                out.append(f"ldr{sfx} {reg(rs, 32 if size < 8 else 64)}, {addr}")
            out.append(f"cas{order}{sfx} {reg(rs, w)}, {reg(rt, w)}, {addr}")
        return out

    # ---- control flow ----
    SIMPLE = ["addsub_imm", "logical_imm", "move_wide", "bitfield", "extract",
              "addsub_shifted", "addsub_extended", "logical_shifted", "carry",
              "cond_compare", "cond_select", "multiply", "two_source", "one_source"]

    def forward_branch(self):
        """A conditional branch over 1-3 straight-line instructions."""
        target = self.new_label()
        kind = self.rng.choice(["bcond", "bcond", "cbz", "tbz", "b"])
        if kind == "bcond":
            branch = f"b.{self.rng.choice(CONDS)} {target}"
        elif kind == "cbz":
            w = self.width()
            branch = f"{self.rng.choice(['cbz', 'cbnz'])} {reg(self.src(), w)}, {target}"
        elif kind == "tbz":
            w = self.width()
            bit = self.rng.choice([0, w - 1, self.rng.randrange(w)])
            branch = f"{self.rng.choice(['tbz', 'tbnz'])} {reg(self.src(), w)}, #{bit}, {target}"
        else:
            branch = f"b {target}"
        out = [branch]
        for _ in range(self.rng.randint(1, 3)):
            out += getattr(self, self.rng.choice(self.SIMPLE))()
        out.append(f"{target}:")
        return out

    # ---- program ----
    WEIGHTS = {
        "addsub_imm": 6, "logical_imm": 5, "move_wide": 4, "bitfield": 5, "extract": 2,
        "pc_relative": 1, "addsub_shifted": 6, "addsub_extended": 5, "logical_shifted": 6,
        "carry": 4, "cond_compare": 4, "cond_select": 5, "multiply": 4, "two_source": 5,
        "one_source": 4, "flags_access": 2, "load_store": 14, "load_store_pair": 6,
        "prefetch_barrier": 1, "acquire_release": 2, "exclusive": 3, "forward_branch": 5,
    }

    def unit(self):
        weights = dict(self.WEIGHTS)
        if self.lse:
            weights["atomic"] = 10
        kinds = list(weights)
        kind = self.rng.choices(kinds, [weights[k] for k in kinds])[0]
        return getattr(self, kind)()

    def load_value(self, r):
        return f"ldr {reg(r, 64)}, ={self.interesting():#x}"

    def program(self, count):
        out = ["/* Generated by randgen.py: do not edit. */",
               "    .text", "    .global rand_body", "rand_body:",
               "    str x30, [sp, #-16]!",
               f"    ldr x28, =rand_scratch + {HALF}",
               f"    mov x0, #{self.rng.randrange(16) << 28:#x}",
               "    msr nzcv, x0"]
        out += ["    " + self.load_value(r) for r in range(DATA_REGS)]
        emitted, block = 0, 0
        while emitted < count:
            size = self.rng.randint(16, 32)
            body = [self.load_value(self.rng.randrange(DATA_REGS)) for _ in range(2)]
            while len([x for x in body if not x.endswith(":")]) < size:
                body += self.unit()
            emitted += len([x for x in body if not x.endswith(":")])
            out += [line if line.endswith(":") else "    " + line for line in body]
            out += [f"    mov x29, #{block}", "    bl rand_dump"]
            block += 1
            if block % 8 == 0:
                # Keep literal pools within LDR-literal range of their users.
                out += ["    b 1f", "    .ltorg", "1:"]
        out += ["    ldr x30, [sp], #16", "    ret", "    .ltorg", "",
                "    .balign 8", "rand_literals:"]
        out += [f"    .quad {self.rng.getrandbits(64):#018x}" for _ in range(8)]
        out += ["", "    .data", "    .balign 16", "    .global rand_scratch, rand_scratch_end",
                "rand_scratch:"]
        out += [f"    .quad {self.interesting():#018x}" for _ in range(SCRATCH_SIZE // 8)]
        out += ["rand_scratch_end:", ""]
        return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=1000, help="instructions to generate")
    ap.add_argument("--lse", action="store_true", help="also use FEAT_LSE atomics (-cpu max)")
    ap.add_argument("--fp", action="store_true",
                    help="scalar floating-point program instead (fpgen.py; -cpu max)")
    ap.add_argument("--simd", action="store_true",
                    help="AdvSIMD integer program instead (simdgen.py; -cpu max)")
    ap.add_argument("--simdfp", action="store_true",
                    help="AdvSIMD floating-point and crypto program instead (simdfpgen.py; -cpu max)")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    if args.simd:
        from simdgen import SIMDGenerator
        text, _ = SIMDGenerator(random.Random(args.seed)).program(args.count)
    elif args.simdfp:
        from simdfpgen import SIMDFPGenerator
        text, _ = SIMDFPGenerator(random.Random(args.seed)).program(args.count)
    elif args.fp:
        from fpgen import FPGenerator
        text, _ = FPGenerator(random.Random(args.seed)).program(args.count)
    else:
        text = Generator(args.seed, args.lse).program(args.count)
    with open(args.output, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()

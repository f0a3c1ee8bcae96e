"""Random scalar floating-point programs for randgen.py --fp.

Blocks of 16-32 random scalar FP instructions (arithmetic, fused
multiply-add, compares, conversions, FMOV forms, SIMD&FP loads and stores)
run under a random FPCR (RMode, FZ, DN, AHP, FZ16) with FPSR cleared at the
start of the block; operands are refreshed with special values (signalling
and quiet NaNs, infinities, denormals, zeros, extremes, values near
rounding and conversion boundaries). After every block rand_fp_dump
(randgen/fp_harness.S) prints NZCV, x0-x27 and a checksum of the scratch
buffer like rand_dump, then FPSR, FPCR and V0-V31.

QEMU 7.2 departs from the Arm ARM in one case these programs would reach:
FJCVTZS of a nonzero denormal with FPCR.FZ = 1 sets Z (QEMU counts only
inexact and invalid), where FPToFixedJS clears Z ("sign == '0' && value ==
0.0 && !IsZero(op<51:0>)"). Under FZ the generator gives FJCVTZS a fresh
operand that is not a denormal; tests/unit/test_fp.c checks the Arm rule.

Register conventions: V0-V31 and x0-x15 are data, x16 feeds special values
into V registers, x17/x18 are the base and index of addressing modes, x28
points at the middle of the scratch buffer. Every access is naturally
aligned (the MMU is off: memory is Device).
"""
import struct

SCRATCH_SIZE = 4096
HALF = SCRATCH_SIZE // 2

SIZES = {"h": 16, "s": 32, "d": 64}
SPECIAL = {
    16: [0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x7d00, 0x7c01, 0xfd55,
         0x0001, 0x8001, 0x03ff, 0x0400, 0x8400, 0x7bff, 0xfbff, 0x3c00, 0xbc00,
         0x3800, 0x3e00, 0x4100, 0x7800, 0x0200, 0x5bff],
    32: [0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
         0x7fa00000, 0x7f800001, 0xffbfffff, 0x00000001, 0x80000001, 0x007fffff,
         0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbf800000,
         0x3f000000, 0x3fc00000, 0x40200000, 0xbfc00000, 0x4effffff, 0x4f000000,
         0xcf000000, 0xcf000001, 0x4f800000, 0x5f000000, 0xdf000000, 0x5f800000,
         0x477fe000, 0x477ff000, 0x38800000, 0x33800000, 0x00400000, 0x4b000001],
    64: [0x0000000000000000, 0x8000000000000000, 0x7ff0000000000000, 0xfff0000000000000,
         0x7ff8000000000000, 0xfff8000000000000, 0x7ff4000000000000, 0x7ff0000000000001,
         0xfff7ffffffffffff, 0x0000000000000001, 0x8000000000000001, 0x000fffffffffffff,
         0x0010000000000000, 0x8010000000000000, 0x7fefffffffffffff, 0xffefffffffffffff,
         0x3ff0000000000000, 0xbff0000000000000, 0x3fe0000000000000, 0x3ff8000000000000,
         0x4004000000000000, 0xbff8000000000000, 0x41dfffffffc00000, 0x41e0000000000000,
         0xc1e0000000000000, 0xc1e0000000200000, 0x41efffffffe00000, 0x41f0000000000000,
         0x43e0000000000000, 0xc3e0000000000000, 0x43f0000000000000, 0x4330000000000001,
         0x36a0000000000000, 0x3810000000000000, 0x47efffffe0000000, 0x380fffffffffffff,
         0x40effc0000000000, 0x3e70000000000000, 0x0008000000000000, 0xc1dfffffffffffff],
}
INT_SPECIAL = [0, 1, 2, 3, 0x7f, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x80000001,
               0x100000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff,
               0xfffffffffffffffe, 0x0020000000000001, 0x0000000001000001, 0xffffffff80000000]

ROUNDINGS = "npmza"
COND = ["eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
        "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"]
FPCR_FZ16, FPCR_FZ, FPCR_DN, FPCR_AHP = 1 << 19, 1 << 24, 1 << 25, 1 << 26


def vfp_expand_imm(imm8):
    """The single-precision value of an FMOV immediate, as a float."""
    b6 = imm8 >> 6 & 1
    exp = (b6 ^ 1) << 7 | (0x1f << 2 if b6 else 0) | (imm8 >> 4 & 3)
    bits = (imm8 >> 7) << 31 | exp << 23 | (imm8 & 0xf) << 19
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def emit_blocks(gen, count, prologue):
    """Blocks of 16-32 instructions from gen.unit() (gen.counts() says which
    lines count), each after prologue()'s lines and followed by a register
    dump (rand_fp_dump) and, every 8 blocks, a literal pool. Returns the
    lines and the number of counted instructions. Shared by the FP and
    AdvSIMD generators."""
    out, emitted, block = [], 0, 0
    while emitted < count:
        size = gen.rng.randint(16, 32)
        body = prologue()
        n = 0
        while n < size:
            unit = gen.unit()
            body += unit
            n += sum(1 for line in unit if gen.counts(line))
        emitted += n
        out += ["    " + line for line in body]
        out += [f"    mov x29, #{block}", "    bl rand_fp_dump"]
        block += 1
        if block % 8 == 0:
            out += ["    b 1f", "    .ltorg", "1:"]
    return out, emitted


class FPGenerator:
    def __init__(self, rng):
        self.rng = rng
        self.literals = []
        self.block_fpcr = 0

    def chance(self, p):
        return self.rng.random() < p

    def v(self):
        return self.rng.randrange(32)

    def x(self):
        return self.rng.randrange(16)

    def t(self, half=True):
        return self.rng.choice("hsd" if half else "sd")

    def fp_value(self, bits):
        r = self.rng.random()
        if r < 0.6:
            return self.rng.choice(SPECIAL[bits])
        if r < 0.85:  # a normal number of moderate magnitude: exact-rounding cases
            e = {16: 5, 32: 8, 64: 11}[bits]
            bias = (1 << (e - 1)) - 1
            exp = bias + self.rng.randint(-12, 12)
            frac = self.rng.getrandbits(bits - e - 1)
            if self.chance(0.5):
                frac &= ~((1 << self.rng.randrange(bits - e - 1)) - 1)
            return self.rng.getrandbits(1) << (bits - 1) | exp << (bits - e - 1) | frac
        return self.rng.getrandbits(bits)

    # ---- operand refresh ----
    def inject(self):
        t = self.t()
        bits = SIZES[t]
        n = self.v()
        gp = "x16" if bits == 64 else "w16"
        return [f"ldr x16, ={self.fp_value(bits):#x}", f"fmov {t}{n}, {gp}"]

    def inject_int(self):
        value = self.rng.choice(INT_SPECIAL) if self.chance(0.6) else self.rng.getrandbits(64)
        if self.chance(0.3):
            value = (-value) & (2**64 - 1)
        return [f"ldr x{self.x()}, ={value:#x}"]

    # ---- instruction groups ----
    def arith2(self):
        op = self.rng.choice(["fadd", "fsub", "fmul", "fdiv", "fnmul", "fmax", "fmin", "fmaxnm", "fminnm"])
        t = self.t()
        return [f"{op} {t}{self.v()}, {t}{self.v()}, {t}{self.v()}"]

    def fma(self):
        op = self.rng.choice(["fmadd", "fmsub", "fnmadd", "fnmsub"])
        t = self.t()
        return [f"{op} {t}{self.v()}, {t}{self.v()}, {t}{self.v()}, {t}{self.v()}"]

    def unary(self):
        ops = ["fabs", "fneg", "fsqrt", "fmov"] + [f"frint{r}" for r in "npmzaxi"]
        t = self.t()
        if t != "h" and self.chance(0.2):
            op = self.rng.choice(["frint32z", "frint32x", "frint64z", "frint64x"])
        else:
            op = self.rng.choice(ops)
        return [f"{op} {t}{self.v()}, {t}{self.v()}"]

    def convert_precision(self):
        src, dst = self.rng.sample("hsd", 2)
        return [f"fcvt {dst}{self.v()}, {src}{self.v()}"]

    def compare(self):
        t = self.t()
        kind = self.rng.choice(["fcmp", "fcmpe", "fccmp", "fccmpe", "fcsel"])
        if kind in ("fcmp", "fcmpe"):
            other = "#0.0" if self.chance(0.25) else f"{t}{self.v()}"
            return [f"{kind} {t}{self.v()}, {other}"]
        if kind == "fcsel":
            return [f"fcsel {t}{self.v()}, {t}{self.v()}, {t}{self.v()}, {self.rng.choice(COND)}"]
        return [f"{kind} {t}{self.v()}, {t}{self.v()}, #{self.rng.randrange(16)}, {self.rng.choice(COND)}"]

    def to_int(self):
        t = self.t()
        w = self.rng.choice("wx")
        u = self.rng.choice("su")
        if self.chance(0.3):
            fbits = self.rng.randint(1, 32 if w == "w" else 64)
            return [f"fcvtz{u} {w}{self.x()}, {t}{self.v()}, #{fbits}"]
        return [f"fcvt{self.rng.choice(ROUNDINGS)}{u} {w}{self.x()}, {t}{self.v()}"]

    def from_int(self):
        out = self.inject_int() if self.chance(0.5) else []
        t = self.t()
        w = self.rng.choice("wx")
        op = self.rng.choice(["scvtf", "ucvtf"])
        if self.chance(0.3):
            fbits = self.rng.randint(1, 32 if w == "w" else 64)
            return out + [f"{op} {t}{self.v()}, {w}{self.x()}, #{fbits}"]
        return out + [f"{op} {t}{self.v()}, {w}{self.x()}"]

    def fmov_imm(self):
        t = self.t()
        return [f"fmov {t}{self.v()}, #{vfp_expand_imm(self.rng.randrange(256))!r}"]

    def fmov_general(self):
        forms = [("w", "s"), ("x", "d"), ("w", "h"), ("x", "h")]
        gp, fp = self.rng.choice(forms)
        if self.chance(0.2):
            if self.chance(0.5):
                return [f"fmov x{self.x()}, v{self.v()}.d[1]"]
            return [f"fmov v{self.v()}.d[1], x{self.x()}"]
        if self.chance(0.5):
            return [f"fmov {gp}{self.x()}, {fp}{self.v()}"]
        return [f"fmov {fp}{self.v()}, {gp}{self.x()}"]

    def fjcvtzs(self):
        n = self.v()
        out = []
        if self.block_fpcr & FPCR_FZ:  # see the module comment: QEMU 7.2 departure
            value = self.fp_value(64)
            while value & 0x7ff0000000000000 == 0 and value & 0x000fffffffffffff:
                value = self.fp_value(64)
            out = [f"ldr x16, ={value:#x}", f"fmov d{n}, x16"]
        return out + [f"fjcvtzs w{self.x()}, d{n}"]

    def load_store(self):
        t = self.rng.choice("bhsdq")
        size = {"b": 1, "h": 2, "s": 4, "d": 8, "q": 16}[t]
        op = self.rng.choice(["ldr", "str"])
        rt = f"{t}{self.v()}"
        mode = self.rng.choice(["uimm", "unscaled", "pre", "post", "reg", "literal"])
        if mode == "literal" and (size < 4 or op == "str"):
            mode = "uimm"
        if mode == "uimm":
            off = self.rng.randrange(HALF // size) * size
            return [f"{op} {rt}, [x28, #{off}]"]
        if mode == "unscaled":
            off = self.rng.randrange(-256 // size, 256 // size) * size
            return [f"{op[:2]}ur {rt}, [x28, #{off}]"]
        if mode in ("pre", "post"):
            start = self.rng.randrange(-HALF // size // 2, HALF // size // 2) * size
            off = self.rng.randrange(-256 // size, 256 // size) * size
            addr = f"[x17, #{off}]!" if mode == "pre" else f"[x17], #{off}"
            return [f"add x17, x28, #{start}" if start >= 0 else f"sub x17, x28, #{-start}", f"{op} {rt}, {addr}"]
        if mode == "reg":
            off = self.rng.randrange(-HALF // size, HALF // size) * size
            shift = self.rng.choice([0, size.bit_length() - 1])
            index = off >> shift
            ext = self.rng.choice(["lsl", "sxtw", "sxtx"] + (["uxtw"] if index >= 0 else []))
            amount = f" #{shift}" if shift else ""
            if ext == "lsl":
                operand = f"x18, lsl{amount}" if shift else "x18"
            else:
                operand = f"{'x' if ext == 'sxtx' else 'w'}18, {ext}{amount}"
            return [f"ldr x18, ={index & (2**64 - 1):#x}", f"{op} {rt}, [x28, {operand}]"]
        self.literals.append((size, self.rng.getrandbits(8 * size)))
        return [f"ldr {rt}, rand_fp_lit{len(self.literals) - 1}"]

    def load_store_pair(self):
        t = self.rng.choice("sdq")
        size = {"s": 4, "d": 8, "q": 16}[t]
        op = self.rng.choice(["ldp", "stp", "ldnp", "stnp"])
        r1, r2 = self.rng.sample(range(32), 2)
        off = self.rng.randrange(-32, 31) * size
        mode = self.rng.choice(["off", "pre", "post"]) if op in ("ldp", "stp") else "off"
        if mode == "off":
            return [f"{op} {t}{r1}, {t}{r2}, [x28, #{off}]"]
        start = self.rng.randrange(-16, 16) * 32
        addr = f"[x17, #{off}]!" if mode == "pre" else f"[x17], #{off}"
        return [f"add x17, x28, #{start}" if start >= 0 else f"sub x17, x28, #{-start}",
                f"{op} {t}{r1}, {t}{r2}, {addr}"]

    WEIGHTS = {"arith2": 14, "fma": 6, "unary": 10, "convert_precision": 5, "compare": 8,
               "to_int": 8, "from_int": 6, "fmov_imm": 2, "fmov_general": 4, "fjcvtzs": 2,
               "load_store": 5, "load_store_pair": 3}

    def unit(self):
        out = self.inject() if self.chance(0.35) else []
        kinds = list(self.WEIGHTS)
        return out + getattr(self, self.rng.choices(kinds, [self.WEIGHTS[k] for k in kinds])[0])()

    @staticmethod
    def counts(line):
        """Is line one of the random FP instructions (not address or operand set-up)?"""
        setup = line.startswith(("ldr x", "add x17", "sub x17")) or line.endswith((", x16", ", w16"))
        return not setup

    def fpcr(self):
        value = self.rng.randrange(4) << 22
        for bit in (FPCR_FZ, FPCR_DN, FPCR_AHP, FPCR_FZ16):
            if self.chance(0.3):
                value |= bit
        return value

    def block_prologue(self):
        """A random FPCR and NZCV, FPSR cleared, at the start of each block."""
        self.block_fpcr = self.fpcr()
        return [f"ldr x16, ={self.block_fpcr:#x}", "msr fpcr, x16", "msr fpsr, xzr",
                f"mov x16, #{self.rng.randrange(16) << 28:#x}", "msr nzcv, x16"]

    def program(self, count):
        out = ["/* Generated by randgen.py --fp: do not edit. */",
               "    .text", "    .global rand_body", "rand_body:",
               "    str x30, [sp, #-16]!",
               "    mov x0, #(3 << 20)", "    msr cpacr_el1, x0", "    isb",  # CPACR_EL1.FPEN: no FP trap
               f"    ldr x28, =rand_scratch + {HALF}",
               "    adr x17, rand_fp_init"]
        out += [f"    ldp q{n}, q{n + 1}, [x17, #{16 * n}]" for n in range(0, 32, 2)]
        out += [f"    ldr x{n}, ={self.rng.choice(INT_SPECIAL):#x}" for n in range(19)]
        blocks, emitted = emit_blocks(self, count, self.block_prologue)
        out += blocks
        out += ["    ldr x30, [sp], #16", "    ret", "    .ltorg", "", "    .balign 16", "rand_fp_init:"]
        for _ in range(32):
            out.append(f"    .quad {self.fp_value(64):#018x}, {self.rng.getrandbits(64):#018x}")
        for k, (size, value) in enumerate(self.literals):
            out += [f"    .balign {max(size, 4)}", f"rand_fp_lit{k}:"]
            if size == 16:
                out.append(f"    .quad {value & (2**64 - 1):#018x}, {value >> 64:#018x}")
            else:
                out.append(f"    .{'word' if size == 4 else 'quad'} {value:#x}")
        out += ["", "    .data", "    .balign 16", "    .global rand_scratch, rand_scratch_end",
                "rand_scratch:"]
        for _ in range(SCRATCH_SIZE // 8):
            bits = self.rng.choice([16, 32, 64])
            word = 0
            for k in range(64 // bits):
                word |= self.fp_value(bits) << (k * bits)
            out.append(f"    .quad {word:#018x}")
        out += ["rand_scratch_end:", ""]
        return "\n".join(out), emitted

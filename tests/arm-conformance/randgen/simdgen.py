"""Random AdvSIMD integer programs for randgen.py --simd.

Blocks of 16-32 random AdvSIMD integer instructions (three same/different,
two-register misc, across lanes, shifts by immediate, by element, modified
immediates, copies, permutes, EXT, TBL/TBX, LD1-LD4/ST1-ST4 multiple, lane
and replicate forms with post-index) with FPSR cleared at the start of each
block, so FPSR.QC shows whether the block saturated. Operands are refreshed
with vectors of interesting elements (0, 1, all-ones, 0x80.., 0x7f.., their
neighbours, small shift counts for the register shifts). After every block
rand_fp_dump (fp_harness.S) prints NZCV, x0-x27, the scratch checksum, FPSR,
FPCR and V0-V31.

Register conventions as fpgen.py: V0-V31 and x0-x15 are data, x16 feeds
values into V registers, x17/x18 are the base and index of addressing modes,
x28 points at the middle of the scratch buffer. Every element access is
naturally aligned (the MMU is off: memory is Device), and structure accesses
stay inside the buffer.
"""
from randgen import HALF, SCRATCH_SIZE  # the harness's scratch buffer, declared once

ARR = {0: ["8b", "16b"], 1: ["4h", "8h"], 2: ["2s", "4s"], 3: ["2d"]}
LETTER = "bhsd"
BITS = [8, 16, 32, 64]

# Three same, vector: name -> allowed sizes
SAME_ALL = "add sub cmeq cmgt cmhi cmge cmhs cmtst sqadd uqadd sqsub uqsub sshl ushl sqshl uqshl srshl urshl sqrshl uqrshl addp".split()
SAME_NO64 = "shadd uhadd srhadd urhadd shsub uhsub smax umax smin umin sabd uabd saba uaba mla mls mul smaxp umaxp sminp uminp".split()
SAME_HS = "sqdmulh sqrdmulh sqrdmlah sqrdmlsh".split()
LOGIC = "and bic orr orn eor bsl bit bif".split()
SCALAR_SAME_ALL = "sqadd uqadd sqsub uqsub sqshl uqshl sqrshl uqrshl".split()
SCALAR_SAME_D = "cmeq cmgt cmhi cmge cmhs cmtst add sub sshl ushl srshl urshl".split()
LONG = "saddl uaddl ssubl usubl sabal uabal sabdl uabdl smlal umlal smlsl umlsl smull umull".split()
WIDE = "saddw uaddw ssubw usubw".split()
NARROW_HN = "addhn raddhn subhn rsubhn".split()
SQD_LONG = "sqdmlal sqdmlsl sqdmull".split()
MISC_ALL = "suqadd usqadd sqabs sqneg abs neg".split()
CMP0 = "cmgt cmge cmeq cmle cmlt".split()
XTN = "xtn sqxtn uqxtn sqxtun".split()
SHR = "sshr ushr ssra usra srshr urshr srsra ursra sri".split()
SHL = "shl sli sqshl uqshl sqshlu".split()
SHRN = "shrn rshrn sqshrn uqshrn sqrshrn uqrshrn sqshrun sqrshrun".split()


from fpgen import SCRATCH_HEAD, emit_blocks, program_head, program_return


class SIMDGenerator:
    def __init__(self, rng):
        self.rng = rng

    def chance(self, p):
        return self.rng.random() < p

    def v(self):
        return self.rng.randrange(32)

    def x(self):
        return self.rng.randrange(16)

    def pick(self, seq):
        return self.rng.choice(seq)

    # ---- values ----
    def element(self, bits):
        top = 1 << (bits - 1)
        ones = (1 << bits) - 1
        specials = [0, 1, 2, ones, top, top - 1, top + 1, ones - 1, 0x7f & ones, 0x80 & ones,
                    self.rng.randrange(-8, 9) & ones]
        return self.pick(specials) if self.chance(0.6) else self.rng.getrandbits(bits)

    def vector_value(self):
        bits = self.pick(BITS)
        val = 0
        for k in range(128 // bits):
            val |= self.element(bits) << (k * bits)
        return val

    def inject(self):
        n = self.v()
        val = self.vector_value()
        return [f"ldr x16, ={val & (2**64 - 1):#x}", f"fmov d{n}, x16",
                f"ldr x16, ={val >> 64:#x}", f"mov v{n}.d[1], x16"]

    def inject_x(self):
        return [f"ldr x{self.x()}, ={self.element(64):#x}"]

    # ---- groups ----
    def three_same(self):
        r = self.rng.random()
        if r < 0.35:
            op, size = self.pick(SAME_ALL), self.rng.randrange(4)
        elif r < 0.7:
            op, size = self.pick(SAME_NO64), self.rng.randrange(3)
        elif r < 0.8:
            op, size = self.pick(SAME_HS), self.rng.randint(1, 2)
        elif r < 0.85:
            op, size = "pmul", 0
        else:
            op, size = self.pick(LOGIC), 0
        t = self.pick(ARR[size])
        return [f"{op} v{self.v()}.{t}, v{self.v()}.{t}, v{self.v()}.{t}"]

    def scalar_same(self):
        r = self.rng.random()
        if r < 0.5:
            op, size = self.pick(SCALAR_SAME_ALL), self.rng.randrange(4)
        elif r < 0.85:
            op, size = self.pick(SCALAR_SAME_D), 3
        else:
            op, size = self.pick(SAME_HS), self.rng.randint(1, 2)
        c = LETTER[size]
        return [f"{op} {c}{self.v()}, {c}{self.v()}, {c}{self.v()}"]

    def three_diff(self):
        r = self.rng.random()
        two = self.chance(0.5)
        sfx = "2" if two else ""
        if r < 0.15:
            op, size = self.pick(SQD_LONG), self.rng.randint(1, 2)
            if self.chance(0.3):  # scalar
                return [f"{op} {LETTER[size + 1]}{self.v()}, {LETTER[size]}{self.v()}, {LETTER[size]}{self.v()}"]
        else:
            size = self.rng.randrange(3)
            op = self.pick(LONG + WIDE + NARROW_HN)
        narrow = ARR[size][1 if two else 0]
        wide = ARR[size + 1][-1]
        if op in WIDE:
            return [f"{op}{sfx} v{self.v()}.{wide}, v{self.v()}.{wide}, v{self.v()}.{narrow}"]
        if op in NARROW_HN:
            return [f"{op}{sfx} v{self.v()}.{narrow}, v{self.v()}.{wide}, v{self.v()}.{wide}"]
        return [f"{op}{sfx} v{self.v()}.{wide}, v{self.v()}.{narrow}, v{self.v()}.{narrow}"]

    def misc(self):
        r = self.rng.random()
        if r < 0.3:
            size = self.rng.randrange(4)
            t = self.pick(ARR[size])
            if self.chance(0.5):
                return [f"{self.pick(MISC_ALL)} v{self.v()}.{t}, v{self.v()}.{t}"]
            return [f"{self.pick(CMP0)} v{self.v()}.{t}, v{self.v()}.{t}, #0"]
        if r < 0.45:
            kind = self.rng.randrange(6)
            if kind == 0:
                t = self.pick(ARR[0] + ARR[1] + ARR[2])
                return [f"rev64 v{self.v()}.{t}, v{self.v()}.{t}"]
            if kind == 1:
                t = self.pick(ARR[0] + ARR[1])
                return [f"rev32 v{self.v()}.{t}, v{self.v()}.{t}"]
            if kind == 2:
                t = self.pick(ARR[0])
                return [f"{self.pick(['rev16', 'cnt', 'not', 'rbit'])} v{self.v()}.{t}, v{self.v()}.{t}"]
            t = self.pick(ARR[0] + ARR[1] + ARR[2])
            return [f"{self.pick(['cls', 'clz'])} v{self.v()}.{t}, v{self.v()}.{t}"]
        if r < 0.6:
            size = self.rng.randrange(3)
            q = self.rng.randrange(2)
            src = ARR[size][q]
            dst = {0: ["4h", "8h"], 1: ["2s", "4s"], 2: ["1d", "2d"]}[size][q]
            op = self.pick(["saddlp", "uaddlp", "sadalp", "uadalp"])
            return [f"{op} v{self.v()}.{dst}, v{self.v()}.{src}"]
        if r < 0.75:
            size = self.rng.randrange(3)
            two = self.chance(0.5)
            op = self.pick(XTN + ["shll"])
            if op == "shll":
                return [f"shll{'2' if two else ''} v{self.v()}.{ARR[size + 1][-1]}, v{self.v()}.{ARR[size][two]}, #{BITS[size]}"]
            return [f"{op}{'2' if two else ''} v{self.v()}.{ARR[size][two]}, v{self.v()}.{ARR[size + 1][-1]}"]
        # scalar
        kind = self.rng.randrange(3)
        if kind == 0:
            c = LETTER[self.rng.randrange(4)]
            return [f"{self.pick(['suqadd', 'usqadd', 'sqabs', 'sqneg'])} {c}{self.v()}, {c}{self.v()}"]
        if kind == 1:
            if self.chance(0.5):
                return [f"{self.pick(['abs', 'neg'])} d{self.v()}, d{self.v()}"]
            return [f"{self.pick(CMP0)} d{self.v()}, d{self.v()}, #0"]
        size = self.rng.randrange(3)
        return [f"{self.pick(['sqxtn', 'uqxtn', 'sqxtun'])} {LETTER[size]}{self.v()}, {LETTER[size + 1]}{self.v()}"]

    def across(self):
        if self.chance(0.1):
            return [f"addp d{self.v()}, v{self.v()}.2d"]
        t = self.pick(["8b", "16b", "4h", "8h", "4s"])
        size = {"8b": 0, "16b": 0, "4h": 1, "8h": 1, "4s": 2}[t]
        if self.chance(0.3):
            return [f"{self.pick(['saddlv', 'uaddlv'])} {LETTER[size + 1]}{self.v()}, v{self.v()}.{t}"]
        return [f"{self.pick(['addv', 'smaxv', 'umaxv', 'sminv', 'uminv'])} {LETTER[size]}{self.v()}, v{self.v()}.{t}"]

    def shift(self):
        r = self.rng.random()
        if r < 0.5:
            size = self.rng.randrange(4)
            t = self.pick(ARR[size])
            scalar = self.chance(0.25)
            if self.chance(0.5):
                op = self.pick(SHR)
                amount = self.rng.randint(1, BITS[size])
                if scalar:
                    return [f"{op} d{self.v()}, d{self.v()}, #{self.rng.randint(1, 64)}"]
            else:
                op = self.pick(SHL)
                amount = self.rng.randrange(BITS[size])
                if scalar:
                    if op in ("shl", "sli"):
                        return [f"{op} d{self.v()}, d{self.v()}, #{self.rng.randrange(64)}"]
                    c = LETTER[size]
                    return [f"{op} {c}{self.v()}, {c}{self.v()}, #{amount}"]
            return [f"{op} v{self.v()}.{t}, v{self.v()}.{t}, #{amount}"]
        size = self.rng.randrange(3)
        two = self.chance(0.5)
        sfx = "2" if two else ""
        if r < 0.8:
            op = self.pick(SHRN)
            amount = self.rng.randint(1, BITS[size])
            if self.chance(0.25) and op not in ("shrn", "rshrn"):
                return [f"{op} {LETTER[size]}{self.v()}, {LETTER[size + 1]}{self.v()}, #{amount}"]
            return [f"{op}{sfx} v{self.v()}.{ARR[size][two]}, v{self.v()}.{ARR[size + 1][-1]}, #{amount}"]
        op = self.pick(["sshll", "ushll"])
        return [f"{op}{sfx} v{self.v()}.{ARR[size + 1][-1]}, v{self.v()}.{ARR[size][two]}, #{self.rng.randrange(BITS[size])}"]

    def by_element(self):
        size = self.rng.randint(1, 2)
        e = LETTER[size]
        m = self.rng.randrange(16 if size == 1 else 32)
        idx = self.rng.randrange(8 if size == 1 else 4)
        r = self.rng.random()
        if r < 0.35:
            op = self.pick(["mul", "mla", "mls", "sqdmulh", "sqrdmulh", "sqrdmlah", "sqrdmlsh"])
            if self.chance(0.2) and op.startswith("sq"):
                return [f"{op} {e}{self.v()}, {e}{self.v()}, v{m}.{e}[{idx}]"]
            t = self.pick(ARR[size])
            return [f"{op} v{self.v()}.{t}, v{self.v()}.{t}, v{m}.{e}[{idx}]"]
        if r < 0.8:
            op = self.pick(["smlal", "umlal", "smlsl", "umlsl", "smull", "umull"] + SQD_LONG)
            if op in SQD_LONG and self.chance(0.25):
                return [f"{op} {LETTER[size + 1]}{self.v()}, {e}{self.v()}, v{m}.{e}[{idx}]"]
            two = self.chance(0.5)
            return [f"{op}{'2' if two else ''} v{self.v()}.{ARR[size + 1][-1]}, v{self.v()}.{ARR[size][two]}, v{m}.{e}[{idx}]"]
        q = self.rng.randrange(2)
        op = self.pick(["sdot", "udot"])
        if self.chance(0.5):
            return [f"{op} v{self.v()}.{['2s', '4s'][q]}, v{self.v()}.{['8b', '16b'][q]}, v{self.v()}.4b[{self.rng.randrange(4)}]"]
        return [f"{op} v{self.v()}.{['2s', '4s'][q]}, v{self.v()}.{['8b', '16b'][q]}, v{self.v()}.{['8b', '16b'][q]}"]

    def modimm(self):
        kind = self.rng.randrange(7)
        imm = self.rng.randrange(256)
        d = self.v()
        if kind == 0:
            return [f"movi v{d}.{self.pick(ARR[0])}, #{imm:#x}"]
        if kind == 1:
            t = self.pick(ARR[1])
            return [f"{self.pick(['movi', 'mvni', 'orr', 'bic'])} v{d}.{t}, #{imm:#x}, lsl #{self.pick([0, 8])}"]
        if kind == 2:
            t = self.pick(ARR[2])
            return [f"{self.pick(['movi', 'mvni', 'orr', 'bic'])} v{d}.{t}, #{imm:#x}, lsl #{self.pick([0, 8, 16, 24])}"]
        if kind == 3:
            t = self.pick(ARR[2])
            return [f"{self.pick(['movi', 'mvni'])} v{d}.{t}, #{imm:#x}, msl #{self.pick([8, 16])}"]
        if kind == 4:
            mask = 0
            for k in range(8):
                if imm >> k & 1:
                    mask |= 0xff << (8 * k)
            return [f"movi {self.pick([f'd{d}', f'v{d}.2d'])}, #{mask:#x}"]
        # FMOV (vector, immediate): a representable float
        sign = self.pick(["", "-"])
        mant = 16 + self.rng.randrange(16)
        exp = self.rng.randint(-3, 4)
        val = mant / 16 * 2.0 ** exp
        return [f"fmov v{d}.{self.pick(['4h', '8h', '2s', '4s', '2d'])}, #{sign}{val!r}"]

    def copy(self):
        size = self.rng.randrange(4)
        e = LETTER[size]
        i = self.rng.randrange(16 >> size)
        j = self.rng.randrange(16 >> size)
        kind = self.rng.randrange(7)
        if kind == 0:
            return [f"dup v{self.v()}.{self.pick(ARR[size])}, v{self.v()}.{e}[{i}]"]
        if kind == 1:
            return [f"dup v{self.v()}.{self.pick(ARR[size])}, {'x' if size == 3 else 'w'}{self.x()}"]
        if kind == 2:
            return [f"mov v{self.v()}.{e}[{i}], v{self.v()}.{e}[{j}]"]
        if kind == 3:
            return [f"mov v{self.v()}.{e}[{i}], {'x' if size == 3 else 'w'}{self.x()}"]
        if kind == 4:
            return [f"umov {'x' if size == 3 else 'w'}{self.x()}, v{self.v()}.{e}[{i}]"]
        if kind == 5 and size < 3:
            w = self.pick("wx") if size < 2 else "x"
            return [f"smov {w}{self.x()}, v{self.v()}.{e}[{i}]"]
        return [f"mov {e}{self.v()}, v{self.v()}.{e}[{i}]"]

    def permute(self):
        r = self.rng.random()
        if r < 0.6:
            size = self.rng.randrange(4)
            t = self.pick(ARR[size])
            op = self.pick(["zip1", "zip2", "uzp1", "uzp2", "trn1", "trn2"])
            return [f"{op} v{self.v()}.{t}, v{self.v()}.{t}, v{self.v()}.{t}"]
        if r < 0.75:
            q = self.rng.randrange(2)
            t = ["8b", "16b"][q]
            return [f"ext v{self.v()}.{t}, v{self.v()}.{t}, v{self.v()}.{t}, #{self.rng.randrange(16 if q else 8)}"]
        n = self.rng.randint(1, 4)
        first = self.v()
        regs = ", ".join(f"v{(first + k) % 32}.16b" for k in range(n))
        t = self.pick(["8b", "16b"])
        out = []
        idx = self.v()
        if self.chance(0.7):  # indices mostly in range, some not
            val = 0
            for k in range(16):
                b = self.rng.randrange(16 * n + 8) if self.chance(0.85) else self.rng.randrange(256)
                val |= b << (8 * k)
            out = [f"ldr x16, ={val & (2**64 - 1):#x}", f"fmov d{idx}, x16",
                   f"ldr x16, ={val >> 64:#x}", f"mov v{idx}.d[1], x16"]
        return out + [f"{self.pick(['tbl', 'tbx'])} v{self.v()}.{t}, {{{regs}}}, v{idx}.{t}"]

    def base(self, span, align=16):
        """x17 = an aligned address with span bytes available after it."""
        start = self.rng.randrange(-HALF // align, (HALF - span) // align) * align
        return [f"add x17, x28, #{start}" if start >= 0 else f"sub x17, x28, #{-start}"]

    def post(self, total):
        kind = self.rng.randrange(3)
        if kind == 0:
            return "", []
        if kind == 1:
            return f", #{total}", []
        off = self.rng.randrange(-8, 9) * 16
        return ", x18", [f"mov x18, #{off}" if off >= 0 else f"mov x18, #-{-off}"]

    def ldst_multiple(self):
        forms = [("1", 1), ("1", 2), ("1", 3), ("1", 4), ("2", 2), ("3", 3), ("4", 4)]
        n_str, nregs = self.pick(forms)
        size = self.rng.randrange(4)
        q = self.rng.randrange(2)
        if size == 3 and not q:
            t = "1d" if n_str == "1" else "2d"
        else:
            t = ARR[size][q] if size < 3 else "2d"
        bytes_per = 16 if t in ("16b", "8h", "4s", "2d") else 8
        total = nregs * bytes_per
        first = self.v()
        regs = ", ".join(f"v{(first + k) % 32}.{t}" for k in range(nregs))
        op = self.pick(["ld", "st"]) + n_str
        suffix, setup = self.post(total)
        return self.base(total) + setup + [f"{op} {{{regs}}}, [x17]{suffix}"]

    def ldst_single(self):
        n = self.rng.randint(1, 4)
        size = self.rng.randrange(4)
        e = LETTER[size]
        first = self.v()
        total = n << size
        if self.chance(0.3):  # LDnR
            t = self.pick(ARR[size]) if size < 3 else self.pick(["1d", "2d"])
            regs = ", ".join(f"v{(first + k) % 32}.{t}" for k in range(n))
            suffix, setup = self.post(total)
            return self.base(total) + setup + [f"ld{n}r {{{regs}}}, [x17]{suffix}"]
        regs = ", ".join(f"v{(first + k) % 32}.{e}" for k in range(n))
        op = self.pick(["ld", "st"]) + str(n)
        suffix, setup = self.post(total)
        return self.base(total) + setup + [f"{op} {{{regs}}}[{self.rng.randrange(16 >> size)}], [x17]{suffix}"]

    WEIGHTS = {"three_same": 18, "scalar_same": 6, "three_diff": 10, "misc": 12, "across": 4, "shift": 12,
               "by_element": 8, "modimm": 4, "copy": 6, "permute": 6, "ldst_multiple": 5, "ldst_single": 5}

    def unit(self):
        out = []
        if self.chance(0.3):
            out += self.inject()
        if self.chance(0.05):
            out += self.inject_x()
        kinds = list(self.WEIGHTS)
        return out + getattr(self, self.rng.choices(kinds, [self.WEIGHTS[k] for k in kinds])[0])()

    @staticmethod
    def counts(line):
        """Is line one of the random AdvSIMD instructions (not set-up)?"""
        setup = line.startswith(("ldr x", "add x17", "sub x17", "mov x18", "fmov d")) or line.endswith(", x16")
        return not setup

    def program(self, count):
        out = program_head("--simd", "rand_simd_init", [self.element(64) for _ in range(19)])
        blocks, emitted = emit_blocks(self, count, lambda: ["msr fpsr, xzr"])  # FPSR.QC per block
        out += blocks
        out += program_return("rand_simd_init")
        for _ in range(32):
            val = self.vector_value()
            out.append(f"    .quad {val & (2**64 - 1):#018x}, {val >> 64:#018x}")
        out += SCRATCH_HEAD
        for _ in range(SCRATCH_SIZE // 16):
            val = self.vector_value()
            out.append(f"    .quad {val & (2**64 - 1):#018x}, {val >> 64:#018x}")
        out += ["rand_scratch_end:", ""]
        return "\n".join(out), emitted

"""Random AdvSIMD floating-point and cryptographic programs for randgen.py --simdfp.

Like fpgen.py (whose blocks, FPCR settings, special values and register dump
this reuses): blocks of random instructions under a random FPCR with FPSR
cleared, V registers refreshed lane by lane with special values (NaNs,
infinities, denormals, zeros, extremes), then rand_fp_dump prints V0-V31,
FPSR and FPCR. The instructions are the AdvSIMD FP groups in vector, scalar
and half-precision forms (three same, pairwise, across lanes, two-register
miscellaneous, by element, fixed-point converts, FCVTN/FCVTL/FCVTXN,
FCMLA/FCADD, FMLAL/FMLSL) and the AES, SHA1, SHA256, SHA512, SHA3 and PMULL instructions.
Only instructions that move V registers through FMOV are used besides them,
so the program needs no AdvSIMD integer instruction.

QEMU 7.2 departures from the Arm ARM kept out of these programs (Nestor
follows the Arm ARM; tests/unit/test_simd_fp.c pins each case):
1. FCVTZS/FCVTZU (scalar, fixed-point) Hd, Hn, #fbits: QEMU writes the
   result sign-extended to 32 bits; the instruction's result is esize = 16
   bits, and a scalar write zeroes the rest of Vd.
Departures in decoding (unallocated encodings) are listed in decodegen.py.
"""
from fpgen import FPGenerator, SIZES

VEC = {"h": ["4h", "8h"], "s": ["2s", "4s"], "d": ["2d"]}
ROUNDINGS = "npmza"


class SIMDFPGenerator(FPGenerator):
    def arr(self, t):
        return self.rng.choice(VEC[t])

    def vreg(self, t, arr=None):
        return f"v{self.v()}.{arr or self.arr(t)}"

    # ---- operand refresh: every lane of a V register ----
    def inject(self):
        t = self.t()
        bits = SIZES[t]
        n = self.v()
        halves = []
        for _ in range(2):
            word = 0
            for k in range(64 // bits):
                word |= self.fp_value(bits) << (k * bits)
            halves.append(word)
        return [f"ldr x16, ={halves[0]:#x}", f"fmov d{n}, x16",
                f"ldr x16, ={halves[1]:#x}", f"fmov v{n}.d[1], x16"]

    # ---- instruction groups ----
    def three_same(self):
        op = self.rng.choice(["fadd", "fsub", "fmul", "fdiv", "fmax", "fmin", "fmaxnm", "fminnm",
                              "fmla", "fmls", "fmulx", "fabd", "fcmeq", "fcmge", "fcmgt", "facge",
                              "facgt", "faddp", "fmaxp", "fminp", "fmaxnmp", "fminnmp", "frecps",
                              "frsqrts"])
        t = self.t()
        a = self.arr(t)
        return [f"{op} v{self.v()}.{a}, v{self.v()}.{a}, v{self.v()}.{a}"]

    def scalar_three_same(self):
        op = self.rng.choice(["fmulx", "fcmeq", "fcmge", "fcmgt", "facge", "facgt", "fabd",
                              "frecps", "frsqrts"])
        t = self.t()
        return [f"{op} {t}{self.v()}, {t}{self.v()}, {t}{self.v()}"]

    def pairwise_across(self):
        t = self.t()
        if self.chance(0.5):
            op = self.rng.choice(["faddp", "fmaxp", "fminp", "fmaxnmp", "fminnmp"])
            return [f"{op} {t}{self.v()}, v{self.v()}.2{t}"]
        op = self.rng.choice(["fmaxv", "fminv", "fmaxnmv", "fminnmv"])
        if t == "d":
            t = "s"
        a = "4s" if t == "s" else self.rng.choice(["4h", "8h"])
        return [f"{op} {t}{self.v()}, v{self.v()}.{a}"]

    def misc(self):
        t = self.t()
        a = self.arr(t)
        ops = ["fabs", "fneg", "fsqrt", "frecpe", "frsqrte", "scvtf", "ucvtf"] + \
              [f"frint{r}" for r in "npmzaxi"] + [f"fcvt{r}{u}" for r in ROUNDINGS for u in "su"]
        if t != "h":
            ops += ["frint32z", "frint32x", "frint64z", "frint64x"]
        if t == "s":
            ops += ["urecpe", "ursqrte"]
        op = self.rng.choice(ops)
        if self.chance(0.2):
            op = self.rng.choice(["fcmeq", "fcmge", "fcmgt", "fcmle", "fcmlt"])
            return [f"{op} v{self.v()}.{a}, v{self.v()}.{a}, #0.0"]
        return [f"{op} v{self.v()}.{a}, v{self.v()}.{a}"]

    def scalar_misc(self):
        t = self.t()
        if self.chance(0.25):
            op = self.rng.choice(["fcmeq", "fcmge", "fcmgt", "fcmle", "fcmlt"])
            return [f"{op} {t}{self.v()}, {t}{self.v()}, #0.0"]
        op = self.rng.choice(["frecpe", "frsqrte", "frecpx", "scvtf", "ucvtf"] +
                             [f"fcvt{r}{u}" for r in ROUNDINGS for u in "su"])
        return [f"{op} {t}{self.v()}, {t}{self.v()}"]

    def resize(self):
        kind = self.rng.choice(["fcvtn", "fcvtl", "fcvtxn", "fcvtxn_s"])
        two = "2" if self.chance(0.5) else ""
        if kind == "fcvtxn_s":
            return [f"fcvtxn s{self.v()}, d{self.v()}"]
        if kind == "fcvtxn":
            return [f"fcvtxn{two} v{self.v()}.{'4s' if two else '2s'}, v{self.v()}.2d"]
        wide, narrow = self.rng.choice([("4s", "4h"), ("2d", "2s")])
        if two:
            narrow = {"4h": "8h", "2s": "4s"}[narrow]
        if kind == "fcvtn":
            return [f"fcvtn{two} v{self.v()}.{narrow}, v{self.v()}.{wide}"]
        return [f"fcvtl{two} v{self.v()}.{wide}, v{self.v()}.{narrow}"]

    def by_element(self):
        op = self.rng.choice(["fmla", "fmls", "fmul", "fmulx"])
        t = self.t()
        lanes = {"h": 8, "s": 4, "d": 2}[t]
        m = self.rng.randrange(16) if t == "h" else self.v()
        elem = f"v{m}.{t}[{self.rng.randrange(lanes)}]"
        if self.chance(0.3):
            return [f"{op} {t}{self.v()}, {t}{self.v()}, {elem}"]
        a = self.arr(t)
        return [f"{op} v{self.v()}.{a}, v{self.v()}.{a}, {elem}"]

    def fixed(self):
        t = self.t()
        op = self.rng.choice(["scvtf", "ucvtf", "fcvtzs", "fcvtzu"])
        fbits = self.rng.randint(1, SIZES[t])
        if self.chance(0.3) and not (t == "h" and op.startswith("fcvtz")):  # QEMU 7.2 departure 1
            return [f"{op} {t}{self.v()}, {t}{self.v()}, #{fbits}"]
        a = self.arr(t)
        return [f"{op} v{self.v()}.{a}, v{self.v()}.{a}, #{fbits}"]

    def complex(self):
        t = self.t()
        a = self.arr(t)
        if self.chance(0.3):
            rot = self.rng.choice([90, 270])
            return [f"fcadd v{self.v()}.{a}, v{self.v()}.{a}, v{self.v()}.{a}, #{rot}"]
        rot = self.rng.choice([0, 90, 180, 270])
        if t != "d" and self.chance(0.4):
            a = "4s" if t == "s" else a
            pairs = {"4s": 2, "4h": 2, "8h": 4}[a]
            return [f"fcmla v{self.v()}.{a}, v{self.v()}.{a}, v{self.v()}.{t}[{self.rng.randrange(pairs)}], #{rot}"]
        return [f"fcmla v{self.v()}.{a}, v{self.v()}.{a}, v{self.v()}.{a}, #{rot}"]

    def fmlal(self):
        op = self.rng.choice(["fmlal", "fmlsl", "fmlal2", "fmlsl2"])
        q = self.chance(0.5)
        d, n = ("4s", "4h") if q else ("2s", "2h")
        if self.chance(0.4):
            return [f"{op} v{self.v()}.{d}, v{self.v()}.{n}, v{self.rng.randrange(16)}.h[{self.rng.randrange(8)}]"]
        return [f"{op} v{self.v()}.{d}, v{self.v()}.{n}, v{self.v()}.{n}"]

    def crypto(self):
        v = self.v
        forms = [
            lambda: f"{self.rng.choice(['aese', 'aesd'])} v{v()}.16b, v{v()}.16b",
            lambda: f"{self.rng.choice(['aesmc', 'aesimc'])} v{v()}.16b, v{v()}.16b",
            lambda: f"{self.rng.choice(['sha1c', 'sha1p', 'sha1m'])} q{v()}, s{v()}, v{v()}.4s",
            lambda: f"sha1su0 v{v()}.4s, v{v()}.4s, v{v()}.4s",
            lambda: f"sha1h s{v()}, s{v()}",
            lambda: f"sha1su1 v{v()}.4s, v{v()}.4s",
            lambda: f"{self.rng.choice(['sha256h', 'sha256h2'])} q{v()}, q{v()}, v{v()}.4s",
            lambda: f"sha256su0 v{v()}.4s, v{v()}.4s",
            lambda: f"sha256su1 v{v()}.4s, v{v()}.4s, v{v()}.4s",
            lambda: f"{self.rng.choice(['sha512h', 'sha512h2'])} q{v()}, q{v()}, v{v()}.2d",
            lambda: f"sha512su0 v{v()}.2d, v{v()}.2d",
            lambda: f"sha512su1 v{v()}.2d, v{v()}.2d, v{v()}.2d",
            lambda: f"{self.rng.choice(['eor3', 'bcax'])} v{v()}.16b, v{v()}.16b, v{v()}.16b, v{v()}.16b",
            lambda: f"rax1 v{v()}.2d, v{v()}.2d, v{v()}.2d",
            lambda: f"xar v{v()}.2d, v{v()}.2d, v{v()}.2d, #{self.rng.randrange(64)}",
            lambda: f"pmull v{v()}.8h, v{v()}.8b, v{v()}.8b",
            lambda: f"pmull2 v{v()}.8h, v{v()}.16b, v{v()}.16b",
            lambda: f"pmull v{v()}.1q, v{v()}.1d, v{v()}.1d",
            lambda: f"pmull2 v{v()}.1q, v{v()}.2d, v{v()}.2d",
        ]
        return [self.rng.choice(forms)()]

    WEIGHTS = {"three_same": 16, "scalar_three_same": 6, "pairwise_across": 5, "misc": 14,
               "scalar_misc": 6, "resize": 4, "by_element": 8, "fixed": 5, "complex": 4, "fmlal": 3, "crypto": 8}

    def unit(self):
        out = self.inject() if self.chance(0.35) else []
        kinds = list(self.WEIGHTS)
        return out + getattr(self, self.rng.choices(kinds, [self.WEIGHTS[k] for k in kinds])[0])()

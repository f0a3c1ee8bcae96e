/*
 * Pointer authentication (FEAT_PAuth, DDI 0487 D8.8): PAC values of the
 * four address keys and the generic key, AUT success and failure (the error
 * code a failure inserts at PAuth level 1), XPAC, the pointer layout under
 * TxSZ and TBI/TBID, the hint-space forms, the authenticating branches and
 * LDRAA/LDRAB, the SCTLR_ELx.EnXX enables and, entered at EL2, the
 * HCR_EL2.API (EC 0x09) and HCR_EL2.APK (EC 0x18) traps from EL1 and EL0.
 *
 * Diffed against QEMU 7.2 "-cpu max" (QARMA5, level 1: no EPAC, PAuth2 or
 * FPAC); Nestor runs "max,pauth-qarma5=on,ID_AA64ISAR1_EL1.APA=1", the same
 * PE. Self-checks: AUT of a PAC'd canonical pointer gives it back, XPAC
 * strips, the hint forms equal the data-processing ones.
 */
#include "testlib.h"

#define SCTLR_ENIA (1ul << 31)
#define SCTLR_ENIB (1ul << 30)
#define SCTLR_ENDA (1ul << 27)
#define SCTLR_ENDB (1ul << 13)
#define SCTLR_EN_ALL (SCTLR_ENIA | SCTLR_ENIB | SCTLR_ENDA | SCTLR_ENDB)
#define HCR_APK (1ul << 40)
#define HCR_API (1ul << 41)

#define PAC_OP(fn, insn)                                                          \
    static uint64_t fn(uint64_t d, uint64_t m)                                    \
    {                                                                             \
        asm volatile(insn " %[d], %[m]" : [d] "+r"(d) : [m] "r"(m));              \
        return d;                                                                 \
    }
PAC_OP(pacia, "pacia")
PAC_OP(pacib, "pacib")
PAC_OP(pacda, "pacda")
PAC_OP(pacdb, "pacdb")
PAC_OP(autia, "autia")
PAC_OP(autib, "autib")
PAC_OP(autda, "autda")
PAC_OP(autdb, "autdb")

/* The one-register forms: zero modifier (...Z...) or no key (XPAC). */
#define PAC_OP1(fn, insn)                                                         \
    static uint64_t fn(uint64_t d)                                                \
    {                                                                             \
        asm volatile(insn " %[d]" : [d] "+r"(d));                                 \
        return d;                                                                 \
    }
PAC_OP1(xpaci, "xpaci")
PAC_OP1(xpacd, "xpacd")
PAC_OP1(paciza, "paciza")
PAC_OP1(autdzb, "autdzb")

static uint64_t pacga(uint64_t n, uint64_t m)
{
    uint64_t d;
    asm volatile("pacga %0, %1, %2" : "=r"(d) : "r"(n), "r"(m));
    return d;
}

/* The hint-space forms, through X16/X17 and X30/SP. */
static uint64_t pacia1716(uint64_t ptr, uint64_t mod)
{
    register uint64_t x17 asm("x17") = ptr;
    register uint64_t x16 asm("x16") = mod;
    asm volatile("pacia1716" : "+r"(x17) : "r"(x16));
    return x17;
}
static uint64_t autib1716(uint64_t ptr, uint64_t mod)
{
    register uint64_t x17 asm("x17") = ptr;
    register uint64_t x16 asm("x16") = mod;
    asm volatile("autib1716" : "+r"(x17) : "r"(x16));
    return x17;
}
/* PACIASP / PACIBSP on x30, also returning the SP used as the modifier. */
static uint64_t paci_sp(uint64_t ptr, bool key_b, uint64_t *sp)
{
    uint64_t d, s;
    if (key_b)
        asm volatile("mov x30, %2\n\tpacibsp\n\tmov %0, x30\n\tmov %1, sp" : "=r"(d), "=r"(s) : "r"(ptr) : "x30");
    else
        asm volatile("mov x30, %2\n\tpaciasp\n\tmov %0, x30\n\tmov %1, sp" : "=r"(d), "=r"(s) : "r"(ptr) : "x30");
    *sp = s;
    return d;
}
static uint64_t autiaz(uint64_t ptr)
{
    uint64_t d;
    asm volatile("mov x30, %1\n\tautiaz\n\tmov %0, x30" : "=r"(d) : "r"(ptr) : "x30");
    return d;
}
static uint64_t xpaclri(uint64_t ptr)
{
    uint64_t d;
    asm volatile("mov x30, %1\n\txpaclri\n\tmov %0, x30" : "=r"(d) : "r"(ptr) : "x30");
    return d;
}

/* Authenticating branches: 1 when they arrive at the signed target. */
static uint64_t try_braa(uint64_t mod)
{
    uint64_t r;
    asm volatile("adr x9, 1f\n\tpacia x9, %1\n\tbraa x9, %1\n\tmov %0, #0\n\tb 2f\n"
                 "1:\tmov %0, #1\n2:"
                 : "=&r"(r) : "r"(mod) : "x9");
    return r;
}
static uint64_t try_blrabz(void)
{
    uint64_t r;
    asm volatile("adr x9, 1f\n\tpacizb x9\n\tblrabz x9\n\tmov %0, #0\n\tb 2f\n"
                 "1:\tmov %0, x30\n2:"
                 : "=&r"(r) : : "x9", "x30");
    return r;
}
static uint64_t try_retab(void)
{
    uint64_t r;
    asm volatile("adr x30, 1f\n\tpacibsp\n\tretab\n\tmov %0, #0\n\tb 2f\n"
                 "1:\tmov %0, #1\n2:"
                 : "=&r"(r) : : "x30");
    return r;
}

static uint64_t words[4] = {0x1111111111111111, 0x2222222222222222, 0x3333333333333333, 0x4444444444444444};

static void ldra_cases(void)
{
    uint64_t base = (uint64_t)&words[1], v, b;
    b = base;
    asm volatile("pacdza %1\n\tldraa %0, [%1]" : "=&r"(v), "+r"(b));
    printf("ldraa [base] -> %016lx\n", v);
    CHECK_EQ("ldraa", v, words[1]);
    b = base;
    asm volatile("pacdzb %1\n\tldrab %0, [%1, #16]!" : "=&r"(v), "+r"(b));
    printf("ldrab [base, #16]! -> %016lx, base %s\n", v, b == base + 16 ? "base+16" : "other");
    CHECK_EQ("ldrab!", v, words[3]);
    CHECK_EQ("ldrab! writeback", b, base + 16);
    b = base;
    asm volatile("pacdza %1\n\tldraa %0, [%1, #-8]" : "=&r"(v), "+r"(b));
    printf("ldraa [base, #-8] -> %016lx\n", v);
    CHECK_EQ("ldraa -8", v, words[0]);
}

static const uint64_t pointers[] = {
    0x0000000040001234, 0x0000ffffffffff00, 0xffff800000001000, 0x00ff000040001234,
    0x1200000040001234, 0xfe7fffff80000000,
};
static const uint64_t modifiers[] = {0, 0x123456789abcdef0, 0xffffffffffffffff};

/* Canonical with respect to bits top:bottom: all equal to bit 55. */
static bool canonical(uint64_t p, unsigned top, unsigned bottom)
{
    uint64_t mask = (~0ul >> (63 - top)) & (~0ul << bottom);
    return (p & mask) == 0 || (p & mask) == mask;
}

static void sweep(const char *config, unsigned bottom, bool tbi_data, bool tbi_instr)
{
    printf("-- %s\n", config);
    for (size_t i = 0; i < ARRAY_SIZE(pointers); i++) {
        uint64_t p = pointers[i];
        for (size_t j = 0; j < ARRAY_SIZE(modifiers); j++) {
            uint64_t m = modifiers[j];
            uint64_t ia = pacia(p, m), ib = pacib(p, m), da = pacda(p, m), db = pacdb(p, m);
            printf("%016lx %016lx: ia %016lx ib %016lx da %016lx db %016lx ga %016lx\n", p, m, ia, ib, da, db,
                   pacga(p, m));
            uint64_t aia = autia(ia, m), aib = autib(ib, m), ada = autda(da, m), adb = autdb(db, m);
            printf("  aut ok: %016lx %016lx %016lx %016lx\n", aia, aib, ada, adb);
            printf("  aut bad: ia-as-ib %016lx da-as-db %016lx flipped %016lx wrong-mod %016lx\n", autib(ia, m),
                   autdb(da, m), autia(ia ^ (1ul << bottom), m), autda(da, m + 1));
            printf("  xpac: %016lx %016lx\n", xpaci(ia), xpacd(da));
            bool ok_i = canonical(p, tbi_instr ? 55 : 63, bottom), ok_d = canonical(p, tbi_data ? 55 : 63, bottom);
            if (ok_i) {
                CHECK_EQ("autia(pacia)", aia, p);
                CHECK_EQ("autib(pacib)", aib, p);
                CHECK_EQ("xpaci", xpaci(ia), p);
            }
            if (ok_d) {
                CHECK_EQ("autda(pacda)", ada, p);
                CHECK_EQ("autdb(pacdb)", adb, p);
                CHECK_EQ("xpacd", xpacd(da), p);
            }
            CHECK_EQ("pacia1716", pacia1716(p, m), ia);
            CHECK_EQ("autib1716", autib1716(ib, m), aib);
        }
        uint64_t z = paciza(p);
        printf("%016lx: paciza %016lx autiaz %016lx autdzb %016lx xpaclri %016lx\n", p, z, autiaz(z),
               autdzb(z), xpaclri(z));
        uint64_t sp, s = paci_sp(p, false, &sp);
        CHECK_EQ("paciasp", s, pacia(p, sp));
        s = paci_sp(p, true, &sp);
        CHECK_EQ("pacibsp", s, pacib(p, sp));
    }
    printf("braa %lu blrabz %s retab %lu\n", try_braa(0x77), try_blrabz() ? "lr" : "0", try_retab());
    ldra_cases();
}

/* TCR of the current regime: T0SZ (and T1SZ at EL1), TBI, TBID. */
static void set_tcr(unsigned tsz, bool tbi, bool tbid)
{
    if (current_el() == 2) {
        write_sysreg(tcr_el2, (1ul << 31 | 1ul << 23) | tsz | (tbi ? 1ul << 20 : 0) | (tbid ? 1ul << 29 : 0));
    } else {
        write_sysreg(tcr_el1, tsz | (uint64_t)tsz << 16 | (tbi ? 3ul << 37 : 0) | (tbid ? 3ul << 51 : 0));
    }
    isb();
}

static void set_sctlr_en(uint64_t en)
{
    if (current_el() == 2)
        write_sysreg(sctlr_el2, (read_sysreg(sctlr_el2) & ~SCTLR_EN_ALL) | en);
    else
        write_sysreg(sctlr_el1, (read_sysreg(sctlr_el1) & ~SCTLR_EN_ALL) | en);
    isb();
}

static void set_keys(void)
{
    write_sysreg(apiakeylo_el1, 0x0123456789abcdef);
    write_sysreg(apiakeyhi_el1, 0xfedcba9876543210);
    write_sysreg(apibkeylo_el1, 0x1111222233334444);
    write_sysreg(apibkeyhi_el1, 0x5555666677778888);
    write_sysreg(apdakeylo_el1, 0x84be85ce9804e94b);
    write_sysreg(apdakeyhi_el1, 0xec2802d4e0a488e9);
    write_sysreg(apdbkeylo_el1, 0xa5a5a5a5a5a5a5a5);
    write_sysreg(apdbkeyhi_el1, 0x0f0f0f0f0f0f0f0f);
    write_sysreg(apgakeylo_el1, 0x9999aaaabbbbcccc);
    write_sysreg(apgakeyhi_el1, 0xddddeeeeffff0000);
    isb();
}

/* ---- EL2 traps ---- */

static uint64_t el_pacia(uint64_t arg) { return pacia(arg, 5); }
static uint64_t el_pacga(uint64_t arg) { return pacga(arg, 5); }
static uint64_t el_xpaci(uint64_t arg) { return xpaci(arg); }
static uint64_t el_retaa(uint64_t arg)
{
    (void)arg;
    uint64_t r;
    asm volatile("adr x30, 1f\n\tretaa\n1:\tmov %0, #1" : "=r"(r) : : "x30");
    return r;
}
static uint64_t el_key_read(uint64_t arg)
{
    (void)arg;
    return read_sysreg(apiakeylo_el1);
}
static uint64_t el_key_write(uint64_t arg)
{
    write_sysreg(apdbkeyhi_el1, arg);
    return 0;
}

static bool skip(struct exc_frame *f)
{
    f->elr += 4;
    return true;
}

static void trap_case(const char *name, lower_el_fn fn, unsigned el, uint64_t hcr_bits, uint64_t sctlr1_en)
{
    uint64_t hcr = read_sysreg(hcr_el2), sctlr1 = read_sysreg(sctlr_el1);
    write_sysreg(hcr_el2, (hcr & ~(HCR_API | HCR_APK)) | hcr_bits);
    write_sysreg(sctlr_el1, (sctlr1 & ~SCTLR_EN_ALL) | sctlr1_en);
    isb();
    clear_last_exc();
    uint64_t r = el == 0 ? run_at_el0(fn, 0x40001000) : run_at_el1(fn, 0x40001000);
    write_sysreg(hcr_el2, hcr);
    write_sysreg(sctlr_el1, sctlr1);
    isb();
    const volatile struct exc_record *e = &rt_last_exc;
    printf("%-28s EL%u API=%d APK=%d En=%d: ", name, el, !!(hcr_bits & HCR_API), !!(hcr_bits & HCR_APK),
           sctlr1_en != 0);
    if (e->count)
        printf("EL%lu EC %02lx ISS %07lx\n", e->el, ESR_EC(e->esr), ESR_ISS(e->esr));
    else
        printf("no exception, %016lx\n", r);
}

static void traps(void)
{
    set_exception_handler(skip);
    trap_case("pacia", el_pacia, 1, 0, SCTLR_EN_ALL);
    trap_case("pacia", el_pacia, 1, 0, 0);
    trap_case("pacia", el_pacia, 1, HCR_API, SCTLR_EN_ALL);
    trap_case("pacia", el_pacia, 0, 0, SCTLR_EN_ALL);
    trap_case("pacia", el_pacia, 0, HCR_API, SCTLR_EN_ALL);
    trap_case("pacga", el_pacga, 1, 0, 0);
    trap_case("pacga", el_pacga, 0, 0, 0);
    trap_case("xpaci", el_xpaci, 1, 0, SCTLR_EN_ALL);
    trap_case("retaa", el_retaa, 1, 0, SCTLR_EN_ALL);
    trap_case("retaa (disabled)", el_retaa, 1, 0, 0);
    trap_case("mrs apiakeylo_el1", el_key_read, 1, 0, 0);
    trap_case("mrs apiakeylo_el1", el_key_read, 1, HCR_APK, 0);
    trap_case("msr apdbkeyhi_el1", el_key_write, 1, HCR_API, 0);
    trap_case("msr apdbkeyhi_el1", el_key_write, 1, HCR_API | HCR_APK, 0);
    set_exception_handler(NULL);
    CHECK_EQ("APDBKeyHi written from EL1", read_sysreg(apdbkeyhi_el1), 0x40001000);
}

int main(void)
{
    unsigned el = current_el();
    set_keys();
    set_sctlr_en(SCTLR_EN_ALL);
    set_tcr(16, false, false);
    sweep("TxSZ 16", 48, false, false);
    set_tcr(25, true, false);
    sweep("TxSZ 25, TBI", 39, true, true);
    set_tcr(33, true, true); /* 31 VA bits: this code (at 0x4008xxxx) stays reachable */
    sweep("TxSZ 33, TBI, TBID", 31, true, false);
    set_tcr(10, false, false); /* below the minimum: treated as 16 */
    sweep("TxSZ 10", 48, false, false);
    set_tcr(16, false, false);
    /* Disabled keys: the PAC and AUT instructions leave the pointer alone
     * (PACGA and XPAC have no enable). */
    set_sctlr_en(SCTLR_ENIB | SCTLR_ENDA);
    printf("disabled: ia %016lx ib %016lx da %016lx db %016lx aut-ia %016lx aut-db %016lx\n", pacia(0x1000, 1),
           pacib(0x1000, 1), pacda(0x1000, 1), pacdb(0x1000, 1), autia(0xabcd000000001000, 1),
           autdb(0xabcd000000001000, 1));
    CHECK_EQ("pacia disabled", pacia(0x1000, 1), 0x1000);
    set_sctlr_en(SCTLR_EN_ALL);
    if (el == 2)
        traps();
    return 0;
}

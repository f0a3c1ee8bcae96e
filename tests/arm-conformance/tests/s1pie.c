/*
 * FEAT_S1PIE and FEAT_TCR2 (Nestor only: QEMU 7.2 has neither), entered at
 * EL2 on "max":
 *  - the access traps of TCR2_EL1, PIR_EL1 and PIRE0_EL1 from EL1 to EL2
 *    (HCRX_EL2.TCR2En, HCR_EL2.TRVM/TVM, HFGRTR/HFGWTR_EL2.TCR_EL1 and the
 *    inverted nPIR_EL1/nPIRE0_EL1 bits), and their EL2 views with
 *    HCR_EL2.E2H (redirection and the _EL12 aliases);
 *  - Indirect permissions in the EL1&0 regime (DDI 0487 D8.4.1.2 and the
 *    pseudocode AArch64.S1IndirectBasePermissions): for pairs of PIR_EL1 /
 *    PIRE0_EL1 PermN values, a load, a store and a branch to a test page at
 *    EL1 (also with PSTATE.PAN set) and at EL0. Expected values are written
 *    from the Arm ARM's table of PermN encodings: write implies read,
 *    0b0110 is RWX with WXN (writable, so not executable), a PIIndex that is
 *    both privileged-executable and unprivileged-writable grants nothing, and
 *    PAN blocks privileged data accesses to any page with a non-zero PIRE0
 *    PermN (even execute-only).
 *  - TCR2_EL1.PIE has no effect while HCRX_EL2.TCR2En is 0 (IsTCR2EL1Enabled).
 */
#include "testlib.h"

extern char _start[], __text_end[];
void pie_code_page(void);

/* A page of code for execute probes: returns 42. */
asm(".pushsection .text.pie_code, \"ax\"\n"
    ".balign 4096\n"
    ".global pie_code_page\n"
    "pie_code_page:\n"
    "    mov x0, #42\n"
    "    ret\n"
    ".balign 4096\n"
    ".popsection\n");

static uint8_t page_a[4096] __attribute__((aligned(4096)));

#define RAM_BASE 0x40000000ul
#define RAM_MAP  0x08000000ul
#define TEST_VA  0x80000000ul
#define CODE_VA  (TEST_VA + 0x1000)
#define VA_BITS  39
#define TSZ      (64 - VA_BITS)

#define HCRX_TCR2EN (1ul << 14)
#define TCR2_PIE (1ul << 1)
#define HFG_TCR_EL1 (1ul << 32)
#define HFG_NPIRE0 (1ul << 57)
#define HFG_NPIR (1ul << 58)

/* The registers by encoding (the assembler may not know their names). */
#define R_TCR2_EL1 "s3_0_c2_c0_3"
#define R_PIRE0_EL1 "s3_0_c10_c2_2"
#define R_PIR_EL1 "s3_0_c10_c2_3"
#define R_TCR2_EL2 "s3_4_c2_c0_3"
#define R_PIRE0_EL2 "s3_4_c10_c2_2"
#define R_PIR_EL2 "s3_4_c10_c2_3"
#define R_PIR_EL12 "s3_5_c10_c2_3"
#define R_PIRE0_EL12 "s3_5_c10_c2_2"
#define R_TCR2_EL12 "s3_5_c2_c0_3"
#define R_HCRX_EL2 "s3_4_c1_c2_2"
#define R_HFGRTR_EL2 "s3_4_c1_c1_4"
#define R_HFGWTR_EL2 "s3_4_c1_c1_5"

#define MRS(reg) ({ uint64_t v_; asm volatile("mrs %0, " reg : "=r"(v_)); v_; })
#define MSR(reg, v) asm volatile("msr " reg ", %0\n\tisb" ::"r"((uint64_t)(v)) : "memory")

/* PIIndex bits of a descriptor: {54, 53, 51, 6} (DDI 0487 D8.4.1.2). */
static uint64_t pi_bits(unsigned idx)
{
    return (uint64_t)(idx >> 3 & 1) << 54 | (uint64_t)(idx >> 2 & 1) << 53 | (uint64_t)(idx >> 1 & 1) << 51 |
           (uint64_t)(idx & 1) << 6;
}

/* PIIndex use: 0 identity data and devices, 2 identity code, TEST the
 * probed pages. Read as Direct permissions (TCR2_EL1.PIE off) they are
 * AP[2:1] = 00 with DBM (bit 51) for code, which VTCR/TCR.HD = 0 ignores,
 * so EL1 can run and use the map either way; the test pages have PXN and
 * UXN. PermN encodings (PIR_ELx): */
enum { IDX_DATA = 0, IDX_CODE = 2, IDX_TEST = 12 };
enum { P_NONE = 0x0, P_R = 0x1, P_X = 0x2, P_RX = 0x3, P_RW = 0x5, P_RWX_WXN = 0x6, P_RWX = 0x7,
       P_R8 = 0x8, P_RX8 = 0xa, P_RW8 = 0xc, P_RWX8 = 0xe };

static bool handler(struct exc_frame *f)
{
    unsigned ec = ESR_EC(f->esr);
    if (ec == EC_IABT_CUR || ec == EC_IABT_LOWER)
        f->elr = f->x[30];
    else
        f->elr += 4;
    return true;
}

/* ---- access traps ---- */

PROBE(r_tcr2, "mrs x0, " R_TCR2_EL1)
PROBE(w_tcr2, "msr " R_TCR2_EL1 ", x0")
PROBE(r_pir, "mrs x0, " R_PIR_EL1)
PROBE(w_pir, "msr " R_PIR_EL1 ", x0")
PROBE(r_pire0, "mrs x0, " R_PIRE0_EL1)
PROBE(w_pire0, "msr " R_PIRE0_EL1 ", x0")

/* Runs fn at EL1 and checks it trapped to EL2 with iss (want_trap) or ran. */
static void trap_case(const char *name, lower_el_fn fn, bool want_trap, uint64_t iss)
{
    clear_last_exc();
    run_at_el1(fn, 0);
    const volatile struct exc_record *e = &rt_last_exc;
    if (e->count)
        printf("  %-36s EL%lu EC %02lx ISS %07lx\n", name, e->el, ESR_EC(e->esr), ESR_ISS(e->esr));
    else
        printf("  %-36s no exception\n", name);
    CHECK_EQ(name, e->count ? e->el << 32 | e->esr : 0,
             want_trap ? 2ul << 32 | (uint64_t)EC_SYSREG << 26 | ESR_IL | iss : 0);
}

static void trap_tests(void)
{
    const uint64_t tcr2_r = SYS(3, 0, 2, 0, 3, 1), tcr2_w = SYS(3, 0, 2, 0, 3, 0);
    const uint64_t pir_r = SYS(3, 0, 10, 2, 3, 1), pir_w = SYS(3, 0, 10, 2, 3, 0);
    const uint64_t pire0_r = SYS(3, 0, 10, 2, 2, 1), pire0_w = SYS(3, 0, 10, 2, 2, 0);
    uint64_t hcr = read_sysreg(hcr_el2);
    printf("access traps\n");
    /* Reset: HFGxTR_EL2 = 0, so the n-bits trap; HCRX_EL2.TCR2En = 0. */
    MSR(R_HFGRTR_EL2, 0);
    MSR(R_HFGWTR_EL2, 0);
    MSR(R_HCRX_EL2, 0);
    trap_case("TCR2En=0 mrs tcr2_el1", r_tcr2, true, tcr2_r);
    trap_case("TCR2En=0 msr tcr2_el1", w_tcr2, true, tcr2_w);
    trap_case("nPIR_EL1=0 mrs pir_el1", r_pir, true, pir_r);
    trap_case("nPIR_EL1=0 msr pir_el1", w_pir, true, pir_w);
    trap_case("nPIRE0_EL1=0 mrs pire0_el1", r_pire0, true, pire0_r);
    trap_case("nPIRE0_EL1=0 msr pire0_el1", w_pire0, true, pire0_w);
    MSR(R_HCRX_EL2, HCRX_TCR2EN);
    CHECK_EQ("HCRX_EL2 reads TCR2En", MRS(R_HCRX_EL2), HCRX_TCR2EN);
    trap_case("TCR2En=1 mrs tcr2_el1", r_tcr2, false, 0);
    MSR(R_HFGRTR_EL2, HFG_NPIR);
    trap_case("HFGRTR.nPIR=1 mrs pir_el1", r_pir, false, 0);
    trap_case("HFGRTR.nPIR=1 mrs pire0_el1", r_pire0, true, pire0_r);
    trap_case("HFGRTR.nPIR=1 msr pir_el1", w_pir, true, pir_w); /* HFGWTR still 0 */
    MSR(R_HFGWTR_EL2, HFG_NPIR | HFG_NPIRE0);
    MSR(R_HFGRTR_EL2, HFG_NPIR | HFG_NPIRE0);
    CHECK_EQ("HFGRTR_EL2 keeps the n bits", MRS(R_HFGRTR_EL2), HFG_NPIR | HFG_NPIRE0);
    trap_case("nPIR/nPIRE0=1 msr pir_el1", w_pir, false, 0);
    trap_case("nPIR/nPIRE0=1 msr pire0_el1", w_pire0, false, 0);
    MSR(R_HFGRTR_EL2, HFG_NPIR | HFG_NPIRE0 | HFG_TCR_EL1);
    trap_case("HFGRTR.TCR_EL1 mrs tcr2_el1", r_tcr2, true, tcr2_r);
    MSR(R_HFGRTR_EL2, HFG_NPIR | HFG_NPIRE0);
    write_sysreg(hcr_el2, hcr | HCR_TRVM);
    isb();
    trap_case("TRVM mrs pir_el1", r_pir, true, pir_r);
    trap_case("TRVM mrs tcr2_el1", r_tcr2, true, tcr2_r);
    write_sysreg(hcr_el2, hcr | HCR_TVM);
    isb();
    trap_case("TVM msr pire0_el1", w_pire0, true, pire0_w);
    write_sysreg(hcr_el2, hcr);
    isb();

    /* Only TCR2_ELx.PIE is implemented of TCR2 (other fields: absent features, RES0). */
    MSR(R_TCR2_EL2, ~0ul);
    CHECK_EQ("TCR2_EL2 writable bits", MRS(R_TCR2_EL2), TCR2_PIE);
    MSR(R_TCR2_EL2, 0);

    /* E2H: the EL1 encodings reach the EL2 registers, _EL12 the EL1 ones. */
    MSR(R_PIR_EL1, 0x1111);
    MSR(R_PIR_EL2, 0x2222);
    MSR(R_PIRE0_EL2, 0x3333);
    write_sysreg(hcr_el2, hcr | HCR_E2H);
    isb();
    CHECK_EQ("E2H: pir_el1 is PIR_EL2", MRS(R_PIR_EL1), 0x2222);
    CHECK_EQ("E2H: pire0_el1 is PIRE0_EL2", MRS(R_PIRE0_EL1), 0x3333);
    CHECK_EQ("E2H: pir_el12 is PIR_EL1", MRS(R_PIR_EL12), 0x1111);
    MSR(R_PIRE0_EL12, 0x4444);
    MSR(R_TCR2_EL12, TCR2_PIE);
    MSR(R_TCR2_EL1, 0);
    write_sysreg(hcr_el2, hcr);
    isb();
    CHECK_EQ("PIRE0_EL1 via pire0_el12", MRS(R_PIRE0_EL1), 0x4444);
    CHECK_EQ("TCR2_EL1 via tcr2_el12", MRS(R_TCR2_EL1), TCR2_PIE);
    CHECK_EQ("TCR2_EL2 via E2H tcr2_el1", MRS(R_TCR2_EL2), 0);
    MSR(R_TCR2_EL1, 0);
    printf("  register views checked\n");
}

/* ---- Indirect permissions ---- */

static struct pt lo;

static uint64_t round_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* Identity map with PIIndex 0 (data, devices) and 1 (code), and the two
 * test pages with IDX_TEST. nDirty (AP[2], bit 7) stays 0: writable. */
static void build_tables(void)
{
    const uint64_t normal = PTE_ATTR(PT_ATTR_NORMAL) | PTE_SH_INNER | PTE_AF;
    pt_pool_reset();
    pt_init(&lo, 12, VA_BITS);
    uint64_t text = (uint64_t)_start & ~0xffful, text_end = round_up((uint64_t)__text_end, 4096);
    pt_map(&lo, 0, 0, RAM_BASE, PTE_ATTR(PT_ATTR_DEVICE) | PTE_AF | pi_bits(IDX_DATA));
    pt_map(&lo, RAM_BASE, RAM_BASE, text - RAM_BASE, normal | pi_bits(IDX_DATA));
    pt_map(&lo, text, text, text_end - text, normal | pi_bits(IDX_CODE));
    pt_map(&lo, text_end, text_end, RAM_BASE + RAM_MAP - text_end, normal | pi_bits(IDX_DATA));
    pt_map(&lo, TEST_VA, (uint64_t)page_a, 4096, normal | pi_bits(IDX_TEST));
    pt_map(&lo, CODE_VA, (uint64_t)pie_code_page, 4096, normal | pi_bits(IDX_TEST));
}

static void tlbi(void) { asm volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory"); }

/* Sets the test PIIndex's PermN; el0_identity gives EL0 the identity map
 * (so EL0 code can run), else it is privileged only (PAN-proof). */
static void set_pir(unsigned priv, unsigned unpriv, bool el0_identity)
{
    uint64_t pir = (uint64_t)P_RW << (IDX_DATA * 4) | (uint64_t)P_RX << (IDX_CODE * 4) | (uint64_t)priv << (IDX_TEST * 4);
    uint64_t pire0 = (uint64_t)unpriv << (IDX_TEST * 4);
    if (el0_identity)
        pire0 |= (uint64_t)P_RW << (IDX_DATA * 4) | (uint64_t)P_RX << (IDX_CODE * 4);
    MSR(R_PIR_EL1, pir);
    MSR(R_PIRE0_EL1, pire0);
    tlbi();
}

__attribute__((noinline)) static bool try_read(void)
{
    uint64_t v = 0;
    clear_last_exc();
    asm volatile("ldr %0, [%1]" : "+r"(v) : "r"(TEST_VA) : "memory");
    return !rt_last_exc.count;
}

__attribute__((noinline)) static bool try_write(void)
{
    clear_last_exc();
    asm volatile("str %0, [%1]" ::"r"(0x5a5aul), "r"(TEST_VA) : "memory");
    return !rt_last_exc.count;
}

__attribute__((noinline)) static bool try_exec(void)
{
    uint64_t r;
    clear_last_exc();
    asm volatile("mov x0, #0\n\tblr %1\n\tmov %0, x0" : "=r"(r) : "r"(CODE_VA) : "x0", "x30", "memory");
    return !rt_last_exc.count && r == 42;
}

/* The three probes; a fault must be a level 3 Permission fault with the
 * right class and FAR. Returns "rwx" with '-' for what faulted. */
static void probe(char out[4], bool el0)
{
    static const char letters[] = "rwx";
    bool (*const fns[3])(void) = {try_read, try_write, try_exec};
    for (unsigned i = 0; i < 3; i++) {
        bool ok = fns[i]();
        out[i] = ok ? letters[i] : '-';
        if (!ok) {
            unsigned want_ec = i == 2 ? (el0 ? EC_IABT_LOWER : EC_IABT_CUR) : (el0 ? EC_DABT_LOWER : EC_DABT_CUR);
            CHECK_EQ("permission fault EC", ESR_EC(rt_last_exc.esr), want_ec);
            CHECK_EQ("permission fault FSC", rt_last_exc.esr & 0x3f, 0x0f);
            CHECK_EQ("permission fault FAR", rt_last_exc.far, i == 2 ? CODE_VA : TEST_VA);
            if (i == 1)
                CHECK_EQ("write fault WnR", rt_last_exc.esr >> 6 & 1, 1);
        }
    }
    out[3] = 0;
}

static char el0_result[4];
static uint64_t el0_probe(uint64_t unused)
{
    (void)unused;
    probe(el0_result, true);
    return 0;
}

struct pie_case {
    unsigned priv, unpriv;   /* PermN of PIR_EL1, PIRE0_EL1 */
    const char *el1, *el0;   /* expected */
    const char *el1_pan;     /* expected at EL1 with PSTATE.PAN = 1 */
};

static const struct pie_case cases[] = {
    {P_NONE, P_NONE, "---", "---", "---"},
    {P_R, P_NONE, "r--", "---", "r--"},
    {P_X, P_NONE, "--x", "---", "--x"},
    {P_RX, P_NONE, "r-x", "---", "r-x"},
    {P_RW, P_NONE, "rw-", "---", "rw-"},        /* write implies read */
    {P_RWX_WXN, P_NONE, "rw-", "---", "rw-"},   /* WXN: writable, not executable */
    {P_RWX, P_NONE, "rwx", "---", "rwx"},
    {P_R8, P_NONE, "r--", "---", "r--"},        /* 0b1xxx without overlays: as 0b0xxx */
    {P_RX8, P_NONE, "r-x", "---", "r-x"},
    {P_RW8, P_NONE, "rw-", "---", "rw-"},
    {P_RWX8, P_NONE, "rwx", "---", "rwx"},
    {P_RW, P_R, "rw-", "r--", "---"},           /* PAN: EL0-readable */
    {P_RW, P_RW, "rw-", "rw-", "---"},
    {P_R, P_X, "r--", "--x", "---"},            /* PAN also for EL0 execute-only */
    {P_RX, P_X, "r-x", "--x", "--x"},           /* PAN never blocks execution */
    {P_RWX, P_RX, "rwx", "r-x", "--x"},
    {P_RWX, P_RW, "---", "---", "---"},         /* EL1-executable and EL0-writable: nothing */
    {P_RX, P_RWX, "---", "---", "---"},
    {P_RW, P_RWX_WXN, "rw-", "rw-", "---"},     /* EL0 WXN */
    {P_NONE, P_RWX, "---", "rwx", "---"},
    {P_NONE, P_RW8, "---", "rw-", "---"},
};

static void pie_probes(void)
{
    printf("Indirect permissions: PIR PIRE0 -> EL1 EL1+PAN EL0\n");
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct pie_case *c = &cases[i];
        char el1[4], pan[4];
        set_pir(c->priv, c->unpriv, false);
        probe(el1, false);
        asm volatile(".arch_extension pan\n\tmsr pan, #1" ::: "memory");
        probe(pan, false);
        asm volatile(".arch_extension pan\n\tmsr pan, #0" ::: "memory");
        set_pir(c->priv, c->unpriv, true);
        run_at_el0(el0_probe, 0);
        printf("  %x %x -> %s %s %s\n", c->priv, c->unpriv, el1, pan, el0_result);
        for (unsigned k = 0; k < 3; k++) {
            CHECK_EQ("EL1", el1[k], c->el1[k]);
            CHECK_EQ("EL1 with PAN", pan[k], c->el1_pan[k]);
            CHECK_EQ("EL0", el0_result[k], c->el0[k]);
        }
    }
}

static uint64_t el1_tests(uint64_t tcr2en)
{
    set_exception_handler(handler);
    build_tables();
    write_sysreg(mair_el1, PT_MAIR);
    write_sysreg(tcr_el1, TSZ | 1ul << 8 | 1ul << 10 | 3ul << 12 | (uint64_t)pt_tg0(&lo) << 14 | 1ul << 23 |
                              2ul << 32);
    write_sysreg(ttbr0_el1, (uint64_t)lo.root);
    if (tcr2en)
        MSR(R_TCR2_EL1, TCR2_PIE);
    set_pir(P_NONE, P_NONE, false);
    tlbi();
    write_sysreg(sctlr_el1, SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_I);
    isb();
    if (tcr2en) {
        pie_probes();
    } else {
        /* TCR2_EL1.PIE without HCRX_EL2.TCR2En: Direct permissions (the test
         * page's AP[2:1] = 00: EL1 read/write; PXN clear, UXN set). */
        char el1[4];
        probe(el1, false);
        printf("TCR2En=0, TCR2_EL1.PIE=1: EL1 %s (Direct permissions)\n", el1);
        CHECK_EQ("Direct permissions: read", el1[0], 'r');
        CHECK_EQ("Direct permissions: write", el1[1], 'w');
        CHECK_EQ("Direct permissions: PXN", el1[2], '-');
    }
    write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
    isb();
    tlbi();
    return 0;
}

int main(void)
{
    if (rt_start_el != 2) {
        printf("entered at EL%lu: S1PIE needs FEAT_FGT, which needs EL2\n", rt_start_el);
        return 0;
    }
    if (((MRS("s3_0_c0_c7_3") >> 8) & 0xf) == 0) { /* ID_AA64MMFR3_EL1.S1PIE */
        printf("no FEAT_S1PIE\n");
        return 0;
    }
    set_exception_handler(handler);
    trap_tests();
    MSR(R_HFGRTR_EL2, HFG_NPIR | HFG_NPIRE0);
    MSR(R_HFGWTR_EL2, HFG_NPIR | HFG_NPIRE0);
    MSR(R_HCRX_EL2, HCRX_TCR2EN);
    run_at_el1(el1_tests, 1);
    /* With TCR2En = 0, TCR2_EL1 keeps its value (written here at EL2)
     * but has no effect. */
    MSR(R_TCR2_EL1, TCR2_PIE);
    MSR(R_HCRX_EL2, 0);
    run_at_el1(el1_tests, 0);
    set_exception_handler(NULL);
    return 0;
}

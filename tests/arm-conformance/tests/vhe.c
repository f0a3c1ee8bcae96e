/*
 * FEAT_VHE register redirection (DDI 0487 D5.6): at EL2 with HCR_EL2.E2H = 1
 * the EL1 encodings of SCTLR/TTBR0/TCR/ESR/FAR/MAIR/VBAR/CONTEXTIDR/CPACR/
 * ELR/SPSR/CNTKCTL reach the EL2 registers, and the _EL12 encodings reach
 * the EL1 ones; with E2H = 0, or at EL1, the _EL12 encodings are UNDEFINED.
 * Each register gets distinct values through both views and the test prints
 * what each view reads back. The BEYOND_QEMU build (Nestor alone) adds the
 * _EL12 probes with E2H = 0, which QEMU 7.2 does not UNDEF; it also runs
 * with VH = 0 (-cpu ...,ID_AA64MMFR1_EL1.VH=0): E2H is then RES0 and every
 * _EL12 encoding UNDEFINED.
 */
#include "testlib.h"

static bool skip_and_record(struct exc_frame *f)
{
    f->elr += 4;
    return true;
}

/* The _EL12 encodings (op1 = 5) in S-notation: no assembler feature flags. */
#define RD(var, reg) asm volatile("mrs %0, " reg : "=r"(var))
#define WR(reg, v) asm volatile("msr " reg ", %0" ::"r"((uint64_t)(v)) : "memory")

struct pair {
    const char *name;
    void (*rd_el1)(uint64_t *), (*rd_el12)(uint64_t *), (*rd_el2)(uint64_t *);
    void (*wr_el1)(uint64_t), (*wr_el12)(uint64_t), (*wr_el2)(uint64_t);
    uint64_t mask; /* bits that hold values in both registers */
};

#define ACCESSORS(n, el1, el12, el2)                                               \
    static void rd1_##n(uint64_t *v) { RD(*v, el1); }                              \
    static void rd12_##n(uint64_t *v) { RD(*v, el12); }                            \
    static void rd2_##n(uint64_t *v) { RD(*v, el2); }                              \
    static void wr1_##n(uint64_t v) { WR(el1, v); }                                \
    static void wr12_##n(uint64_t v) { WR(el12, v); }                              \
    static void wr2_##n(uint64_t v) { WR(el2, v); }
#define PAIR(n, mask) {#n, rd1_##n, rd12_##n, rd2_##n, wr1_##n, wr12_##n, wr2_##n, mask}

ACCESSORS(contextidr, "contextidr_el1", "S3_5_C13_C0_1", "S3_4_C13_C0_1")
ACCESSORS(far, "far_el1", "S3_5_C6_C0_0", "far_el2")
ACCESSORS(mair, "mair_el1", "S3_5_C10_C2_0", "mair_el2")
ACCESSORS(ttbr0, "ttbr0_el1", "S3_5_C2_C0_0", "ttbr0_el2")
ACCESSORS(tcr, "tcr_el1", "S3_5_C2_C0_2", "tcr_el2")
ACCESSORS(esr, "esr_el1", "S3_5_C5_C2_0", "esr_el2")
ACCESSORS(elr, "elr_el1", "S3_5_C4_C0_1", "elr_el2")
ACCESSORS(spsr, "spsr_el1", "S3_5_C4_C0_0", "spsr_el2")

static const struct pair pairs[] = {
    PAIR(contextidr, 0xffffffff),
    PAIR(far, ~0ul),
    PAIR(mair, ~0ul),
    PAIR(ttbr0, 0x0000fffffffff000ul),
    /* TCR: T0SZ and TG0 mean the same in both layouts */
    PAIR(tcr, 0xc03f),
    PAIR(esr, 0xffffffff),
    PAIR(elr, ~0ul),
    PAIR(spsr, 0xf0000000),
};

static void set_e2h(bool on)
{
    uint64_t hcr = read_sysreg(hcr_el2);
    write_sysreg(hcr_el2, on ? hcr | HCR_E2H : hcr & ~HCR_E2H);
    isb();
}

static void show(const char *what, uint64_t v, uint64_t mask)
{
    printf("  %-24s %016lx\n", what, v & mask);
}

static void test_pair(const struct pair *p)
{
    uint64_t el1, el2, v;
    printf("%s:\n", p->name);
    p->rd_el1(&el1);
    p->rd_el2(&el2);
    /* E2H = 0: distinct values into each register. */
    p->wr_el1(0x1111111111111000ul & p->mask);
    p->wr_el2(0x2222222222222000ul & p->mask);
    set_e2h(true);
    p->rd_el1(&v);
    show("E2H=1 _EL1 reads", v, p->mask);
    CHECK_EQ("EL1 encoding reaches EL2", v & p->mask, 0x2222222222222000ul & p->mask);
    p->rd_el12(&v);
    show("E2H=1 _EL12 reads", v, p->mask);
    CHECK_EQ("EL12 encoding reaches EL1", v & p->mask, 0x1111111111111000ul & p->mask);
    p->wr_el1(0x3333333333333000ul & p->mask);
    p->wr_el12(0x4444444444444000ul & p->mask);
    set_e2h(false);
    p->rd_el1(&v);
    show("E2H=0 EL1 register", v, p->mask);
    CHECK_EQ("EL12 write reached EL1", v & p->mask, 0x4444444444444000ul & p->mask);
    p->rd_el2(&v);
    show("E2H=0 EL2 register", v, p->mask);
    CHECK_EQ("EL1 write reached EL2", v & p->mask, 0x3333333333333000ul & p->mask);
#ifdef BEYOND_QEMU
    /* At EL2 with E2H = 0 the _EL12 encodings are UNDEFINED (the AccessTo
     * pseudocode of each alias); QEMU 7.2 lets them through. */
    clear_last_exc();
    p->rd_el12(&v);
    printf("  E2H=0 _EL12: %s\n", rt_last_exc.count ? "exception" : "no exception");
    CHECK_EQ("_EL12 with E2H=0 UNDEFINED", rt_last_exc.count ? rt_last_exc.esr : 0, ESR_IL);
#endif
    p->wr_el1(el1);
    p->wr_el2(el2);
}

static uint64_t el12_at_el1(uint64_t arg)
{
    (void)arg;
    uint64_t v;
    clear_last_exc();
    RD(v, "S3_5_C13_C0_1");
    (void)v;
    return rt_last_exc.count ? rt_last_exc.esr : 0;
}

int main(void)
{
    if (rt_start_el != 2) {
        printf("entered at EL%lu: VHE needs EL2\n", rt_start_el);
        return 0;
    }
    set_exception_handler(skip_and_record);
    uint64_t vh = read_sysreg(id_aa64mmfr1_el1) >> 8 & 0xf;
    printf("ID_AA64MMFR1_EL1.VH = %lu\n", vh);
    set_e2h(true);
    uint64_t e2h = read_sysreg(hcr_el2) >> 34 & 1;
    set_e2h(false);
    printf("HCR_EL2.E2H after writing 1: %lu\n", e2h);
    CHECK_EQ("E2H writable exactly with FEAT_VHE", e2h, vh != 0);
    if (vh) {
        for (size_t i = 0; i < ARRAY_SIZE(pairs); i++)
            test_pair(&pairs[i]);
    } else {
        uint64_t v;
        clear_last_exc();
        RD(v, "S3_5_C13_C0_1");
        (void)v;
        printf("contextidr_el12 without FEAT_VHE: ESR %lx\n", rt_last_exc.count ? rt_last_exc.esr : 0);
        CHECK_EQ("_EL12 without FEAT_VHE UNDEFINED", rt_last_exc.count ? rt_last_exc.esr : 0, ESR_IL);
    }
    uint64_t esr = run_at_el1(el12_at_el1, 0);
    printf("contextidr_el12 at EL1: ESR %lx\n", esr);
    CHECK_EQ("_EL12 at EL1 UNDEFINED", esr, ESR_IL);
    set_exception_handler(NULL);
    return 0;
}

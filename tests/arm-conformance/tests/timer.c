/*
 * The Generic Timer (DDI 0487 D11): CNTFRQ, counter monotonicity, the
 * CVAL/TVAL relation (TVAL = CVAL - count, 32-bit signed, bits 63:32 RES0),
 * CTL.ISTATUS (condition met while enabled, 0 while disabled, read-only) and
 * IMASK, CNTVOFF_EL2 and the virtual counter (also wrapping), the VHE views
 * at EL2 (CNTP/CNTV_*_EL0 name the EL2 timers with HCR_EL2.E2H = 1, the
 * _EL02 names the EL1 ones), and the access traps of CNTKCTL_EL1 (EL0) and
 * CNTHCTL_EL2 (EL1). Only relations are printed, never counter values.
 */
#include "testlib.h"

#define CTL_ENABLE 1
#define CTL_IMASK 2
#define CTL_ISTATUS 4

static const char *yn(bool b) { return b ? "yes" : "no"; }

static void check(const char *what, bool ok)
{
    printf("  %s: %s\n", what, yn(ok));
    CHECK_EQ(what, ok, 1);
}

static void physical_timer(void)
{
    printf("EL1 physical timer at EL%u\n", current_el());
    uint64_t a = read_sysreg(CNTPCT_EL0), b = read_sysreg(CNTPCT_EL0);
    check("CNTPCT does not go backwards", b >= a);

    uint64_t now = read_sysreg(CNTPCT_EL0);
    write_sysreg(CNTP_CVAL_EL0, now + 0x40000000);
    uint64_t tval = read_sysreg(CNTP_TVAL_EL0);
    check("TVAL = CVAL - count: in (0, 2^30]", (int32_t)tval > 0 && (int32_t)tval <= 0x40000000);
    check("TVAL bits 63:32 read as 0", tval >> 32 == 0);
    write_sysreg(CNTP_TVAL_EL0, 500000);
    uint64_t after = read_sysreg(CNTPCT_EL0), cval = read_sysreg(CNTP_CVAL_EL0);
    check("TVAL write sets CVAL = count + TVAL", cval > after && cval - after <= 500000 && cval >= now + 500000);
    write_sysreg(CNTP_TVAL_EL0, 0xfffffff6ul); /* -10: sign-extended */
    check("negative TVAL puts CVAL in the past", read_sysreg(CNTP_CVAL_EL0) < read_sysreg(CNTPCT_EL0));

    write_sysreg(CNTP_CTL_EL0, CTL_IMASK);
    printf("  CTL disabled, condition met: 0x%lx\n", read_sysreg(CNTP_CTL_EL0));
    write_sysreg(CNTP_CTL_EL0, CTL_ENABLE | CTL_IMASK);
    printf("  CTL enabled, masked, condition met: 0x%lx\n", read_sysreg(CNTP_CTL_EL0));
    write_sysreg(CNTP_CVAL_EL0, ~0ul);
    printf("  CTL with CVAL = ~0: 0x%lx\n", read_sysreg(CNTP_CTL_EL0));
    write_sysreg(CNTP_CTL_EL0, CTL_ENABLE | CTL_IMASK | CTL_ISTATUS | 0xf8);
    printf("  CTL after writing ISTATUS and RES0 bits: 0x%lx\n", read_sysreg(CNTP_CTL_EL0));
    write_sysreg(CNTP_CVAL_EL0, 0);
    printf("  CTL with CVAL = 0: 0x%lx\n", read_sysreg(CNTP_CTL_EL0));
    write_sysreg(CNTP_CTL_EL0, 0);
}

static void virtual_timer(bool el2)
{
    printf("EL1 virtual timer at EL%u\n", current_el());
    uint64_t off = 0;
    if (el2) {
        off = 0x123456789ul;
        write_sysreg(CNTVOFF_EL2, off);
        isb();
    }
    uint64_t p0 = read_sysreg(CNTPCT_EL0), v = read_sysreg(CNTVCT_EL0), p1 = read_sysreg(CNTPCT_EL0);
    check("CNTVCT = CNTPCT - CNTVOFF", v >= p0 - off && v <= p1 - off);
    write_sysreg(CNTV_CVAL_EL0, v + 0x40000000);
    uint64_t tval = read_sysreg(CNTV_TVAL_EL0);
    check("virtual TVAL counts from CNTVCT", (int32_t)tval > 0 && (int32_t)tval <= 0x40000000);
    write_sysreg(CNTV_CTL_EL0, CTL_ENABLE | CTL_IMASK);
    write_sysreg(CNTV_CVAL_EL0, read_sysreg(CNTVCT_EL0) - 1);
    printf("  CTL with CVAL = CNTVCT - 1: 0x%lx\n", read_sysreg(CNTV_CTL_EL0));
    if (el2) {
        /* An offset beyond the physical count: the virtual count wraps and the
         * comparison stays unsigned. */
        write_sysreg(CNTVOFF_EL2, read_sysreg(CNTPCT_EL0) + (1ul << 40));
        isb();
        check("wrapped CNTVCT is above 2^63", read_sysreg(CNTVCT_EL0) >> 63);
        write_sysreg(CNTV_CVAL_EL0, 1ul << 62);
        printf("  CTL, wrapped count vs CVAL 2^62: 0x%lx\n", read_sysreg(CNTV_CTL_EL0));
        write_sysreg(CNTV_CVAL_EL0, ~0ul);
        printf("  CTL, wrapped count vs CVAL ~0: 0x%lx\n", read_sysreg(CNTV_CTL_EL0));
        write_sysreg(CNTVOFF_EL2, 0);
    }
    write_sysreg(CNTV_CTL_EL0, 0);
}

/* At EL2 with HCR_EL2.E2H = 1 (FEAT_VHE). */
static void vhe_views(void)
{
    printf("VHE views at EL2\n");
    write_sysreg(CNTP_CVAL_EL0, 0x1111);
    write_sysreg(CNTV_CVAL_EL0, 0x2222);
    write_sysreg(CNTHP_CVAL_EL2, 0x3333);
    write_sysreg(S3_4_C14_C3_2, 0x4444); /* CNTHV_CVAL_EL2 */
    write_sysreg(HCR_EL2, read_sysreg(HCR_EL2) | HCR_E2H);
    isb();
    printf("  E2H 1: CNTP_CVAL_EL0 0x%lx CNTV_CVAL_EL0 0x%lx\n", read_sysreg(CNTP_CVAL_EL0), read_sysreg(CNTV_CVAL_EL0));
    printf("  E2H 1: CNTP_CVAL_EL02 0x%lx CNTV_CVAL_EL02 0x%lx\n", read_sysreg(S3_5_C14_C2_2),
           read_sysreg(S3_5_C14_C3_2));
    write_sysreg(CNTP_CVAL_EL0, 0x5555);   /* the EL2 physical timer */
    write_sysreg(S3_5_C14_C2_2, 0x6666);   /* CNTP_CVAL_EL02: the EL1 one */
    write_sysreg(CNTVOFF_EL2, 0x100000);
    uint64_t p0 = read_sysreg(CNTPCT_EL0), v = read_sysreg(CNTVCT_EL0);
    check("E2H 1 at EL2: CNTVCT has no offset", v >= p0);
    write_sysreg(CNTVOFF_EL2, 0);
    write_sysreg(CNTKCTL_EL1, 0x303);      /* CNTHCTL_EL2 in its E2H layout */
    write_sysreg(S3_5_C14_C1_0, 0x102);    /* CNTKCTL_EL12: CNTKCTL_EL1 */
    printf("  E2H 1: CNTKCTL_EL1 0x%lx CNTKCTL_EL12 0x%lx\n", read_sysreg(CNTKCTL_EL1), read_sysreg(S3_5_C14_C1_0));
    write_sysreg(HCR_EL2, read_sysreg(HCR_EL2) & ~HCR_E2H);
    isb();
    printf("  E2H 0: CNTHCTL_EL2 0x%lx CNTKCTL_EL1 0x%lx\n", read_sysreg(CNTHCTL_EL2), read_sysreg(CNTKCTL_EL1));
    write_sysreg(CNTHCTL_EL2, 3);
    isb();
    printf("  E2H 0: CNTP_CVAL_EL0 0x%lx CNTHP_CVAL_EL2 0x%lx CNTHV_CVAL_EL2 0x%lx\n", read_sysreg(CNTP_CVAL_EL0),
           read_sysreg(CNTHP_CVAL_EL2), read_sysreg(S3_4_C14_C3_2));
}

/* ---- traps ---- */

static bool record_trap(struct exc_frame *f)
{
    f->elr += 4;
    return true;
}

static void show_trap(const char *what, uint64_t count_before)
{
    if (rt_last_exc.count == count_before) {
        printf("  %s: no trap\n", what);
        return;
    }
    printf("  %s: trap to EL%lu EC 0x%lx ISS 0x%lx\n", what, rt_last_exc.el, ESR_EC(rt_last_exc.esr),
           ESR_ISS(rt_last_exc.esr));
}

static uint64_t read_pct(uint64_t unused) { (void)unused; return read_sysreg(CNTPCT_EL0) != 0; }
static uint64_t read_vct(uint64_t unused) { (void)unused; return read_sysreg(CNTVCT_EL0) != 0; }
static uint64_t read_ptimer(uint64_t unused) { (void)unused; return read_sysreg(CNTP_CTL_EL0) + 1; }
static uint64_t read_vtimer(uint64_t unused) { (void)unused; return read_sysreg(CNTV_CTL_EL0) + 1; }

static void el0_traps(void)
{
    printf("EL0 access (CNTKCTL_EL1)\n");
    static const struct { const char *name; lower_el_fn fn; uint64_t enable; } regs[] = {
        {"CNTPCT_EL0", read_pct, 1 << 0}, {"CNTVCT_EL0", read_vct, 1 << 1},
        {"CNTV_CTL_EL0", read_vtimer, 1 << 8}, {"CNTP_CTL_EL0", read_ptimer, 1 << 9}};
    for (unsigned i = 0; i < ARRAY_SIZE(regs); i++) {
        write_sysreg(CNTKCTL_EL1, 0);
        uint64_t c = rt_last_exc.count;
        run_at_el0(regs[i].fn, 0);
        show_trap(regs[i].name, c);
        write_sysreg(CNTKCTL_EL1, regs[i].enable);
        c = rt_last_exc.count;
        run_at_el0(regs[i].fn, 0);
        show_trap(regs[i].name, c);
    }
    write_sysreg(CNTKCTL_EL1, 0);
}

static void el1_traps(void)
{
    printf("EL1 access (CNTHCTL_EL2, E2H 0)\n");
    static const struct { const char *name; lower_el_fn fn; } regs[] = {
        {"CNTPCT_EL0", read_pct}, {"CNTP_CTL_EL0", read_ptimer}, {"CNTVCT_EL0", read_vct}};
    for (unsigned i = 0; i < ARRAY_SIZE(regs); i++) {
        for (uint64_t cnthctl = 0; cnthctl < 4; cnthctl++) {
            write_sysreg(CNTHCTL_EL2, cnthctl);
            uint64_t c = rt_last_exc.count;
            run_at_el1(regs[i].fn, 0);
            printf("  CNTHCTL 0x%lx", cnthctl);
            show_trap(regs[i].name, c);
        }
    }
    write_sysreg(CNTHCTL_EL2, 3);
}

int main(void)
{
    bool el2 = current_el() == 2;
    printf("CNTFRQ_EL0 %lu\n", read_sysreg(CNTFRQ_EL0));
    set_exception_handler(record_trap);
    physical_timer();
    virtual_timer(el2);
    if (el2)
        vhe_views();
    el0_traps();
    if (el2)
        el1_traps();
    return 0;
}
